/*
 * rout — buffered byte sinks with a sticky error (see rout.h).
 *
 * A file sink holds up to ROUT_BUF bytes and hands them to write(2) or
 * fwrite(3) when full or on rout_flush; a memory sink only grows. After the
 * first failure err is set and every later write is dropped.
 */
#include "reports/rout.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/error.h"
#include "sim/xalloc.h"

#define ROUT_BUF (64 * 1024)

enum rout_kind { ROUT_FD, ROUT_FILE, ROUT_MEM };

struct rout {
	enum rout_kind kind;
	int fd;
	FILE *f;
	char *buf;
	size_t n, cap; /* bytes buffered, capacity */
	size_t total;  /* bytes accepted */
	int err;
};

/* The injected failure: countdown to the failing write, and its errno. */
static unsigned long inject_nth;
static int inject_errno;

void
rout_inject_failure(unsigned long nth, int errnum)
{
	inject_nth = nth;
	inject_errno = errnum;
}

/* True when this sink write is the one a test asked to fail. */
static int
injected(void)
{
	if (inject_nth == 0)
		return 0;
	if (--inject_nth > 0)
		return 0;
	return inject_errno ? inject_errno : EIO;
}

static rout *
rout_new(enum rout_kind kind, size_t cap)
{
	rout *o = xcalloc(1, sizeof(*o));
	o->kind = kind;
	o->fd = -1;
	o->cap = cap;
	o->buf = xmalloc(cap);
	o->buf[0] = '\0';
	return o;
}

rout *
rout_fd(int fd)
{
	rout *o = rout_new(ROUT_FD, ROUT_BUF);
	o->fd = fd;
	return o;
}

rout *
rout_file(FILE *f)
{
	rout *o = rout_new(ROUT_FILE, ROUT_BUF);
	o->f = f;
	return o;
}

rout *
rout_mem(void)
{
	return rout_new(ROUT_MEM, 256);
}

void
rout_free(rout *o)
{
	if (o == NULL)
		return;
	free(o->buf);
	free(o);
}

/* Hand the buffered bytes to the sink. */
static void
drain(rout *o)
{
	if (o->kind == ROUT_MEM || o->n == 0 || o->err)
		return;
	int e = injected();
	if (e) {
		o->err = e;
		o->n = 0;
		return;
	}
	size_t off = 0;
	while (off < o->n) {
		if (o->kind == ROUT_FD) {
			ssize_t w = write(o->fd, o->buf + off, o->n - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				o->err = errno;
				break;
			}
			off += (size_t)w;
		} else {
			size_t w = fwrite(o->buf + off, 1, o->n - off, o->f);
			if (w == 0) {
				o->err = errno ? errno : EIO;
				break;
			}
			off += w;
		}
	}
	o->n = 0;
}

void
rout_write(rout *o, const void *p, size_t n)
{
	if (o->err || n == 0)
		return;
	o->total += n;
	if (o->kind == ROUT_MEM) {
		if (o->n + n + 1 > o->cap)
			XGROW(o->buf, o->cap, o->n + n + 1);
		memcpy(o->buf + o->n, p, n);
		o->n += n;
		o->buf[o->n] = '\0';
		return;
	}
	const char *s = p;
	while (n > 0 && !o->err) {
		size_t room = o->cap - o->n;
		size_t k = n < room ? n : room;
		memcpy(o->buf + o->n, s, k);
		o->n += k;
		s += k;
		n -= k;
		if (o->n == o->cap)
			drain(o);
	}
}

void
rout_puts(rout *o, const char *s)
{
	rout_write(o, s, strlen(s));
}

void
rout_putc(rout *o, char c)
{
	rout_write(o, &c, 1);
}

void
rout_printf(rout *o, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	SIM_ASSERT(n >= 0);
	if ((size_t)n < sizeof(small)) {
		rout_write(o, small, (size_t)n);
		return;
	}
	char *big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rout_write(o, big, (size_t)n);
	free(big);
}

static void
xml_escape(rout *o, const char *s, int attr)
{
	if (s == NULL)
		return;
	const char *run = s;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		const char *rep = NULL;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		case '\r': rep = attr ? "&#13;" : NULL; break;
		default:
			/* not allowed in XML 1.0: U+FFFD REPLACEMENT CHARACTER */
			if (c < 0x20 || c == 0x7f)
				rep = "\xEF\xBF\xBD";
			break;
		}
		if (rep == NULL)
			continue;
		rout_write(o, run, (size_t)(s - run));
		rout_puts(o, rep);
		run = s + 1;
	}
	rout_write(o, run, (size_t)(s - run));
}

void
rout_xml(rout *o, const char *s)
{
	xml_escape(o, s, 0);
}

void
rout_xml_attr(rout *o, const char *s)
{
	xml_escape(o, s, 1);
}

void
rout_text(rout *o, const char *s)
{
	if (s == NULL)
		return;
	const char *run = s;
	char esc[8];
	while (*s != '\0') {
		size_t k = sim_escape_control(s, esc);
		if (k == 0) {
			s++;
			continue;
		}
		rout_write(o, run, (size_t)(s - run));
		rout_puts(o, esc);
		s += k;
		run = s;
	}
	rout_write(o, run, (size_t)(s - run));
}

void
rout_md(rout *o, const char *s)
{
	char esc[8];
	while (s != NULL && *s != '\0') {
		unsigned char c = (unsigned char)*s;
		if (c == '\n' || c == '\r') {
			rout_putc(o, ' ');
			s++;
		} else if (sim_escape_control(s, esc) > 0) {
			/* the escape's backslash, escaped in turn */
			rout_putc(o, '\\');
			rout_puts(o, esc);
			s += sim_escape_control(s, esc);
		} else if (c == '<') {
			rout_puts(o, "&lt;"); /* no HTML, whatever follows */
			s++;
		} else if (c < 0x80 && ispunct(c) && strchr(",;\"'%/=?", c) == NULL) {
			/* CommonMark: any ASCII punctuation may be escaped; the
			 * ones left alone start nothing (':' and '.' are escaped:
			 * no "http://" or "www." autolink, no :emoji:) */
			rout_putc(o, '\\');
			rout_putc(o, (char)c);
			s++;
		} else
			rout_putc(o, *s++);
	}
}

int
rout_flush(rout *o)
{
	drain(o);
	if (o->kind == ROUT_FILE && !o->err && fflush(o->f) != 0)
		o->err = errno ? errno : EIO;
	return o->err;
}

int
rout_error(const rout *o)
{
	return o->err;
}

size_t
rout_length(const rout *o)
{
	return o->total;
}

const char *
rout_mem_text(rout *o, size_t *len)
{
	SIM_ASSERT(o->kind == ROUT_MEM);
	if (len != NULL)
		*len = o->n;
	return o->buf;
}
