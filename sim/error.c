/*
 * error — sim_error formatting, the error list, and the code → exit-code
 * map.
 *
 * Invariant: a formatted error is one line of printable text: control
 * characters are written as visible escapes, and a text cut to fit its
 * buffer ends in "...".
 */
#include "sim/error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
sim_error_clear(sim_error *err)
{
	memset(err, 0, sizeof(*err));
}

/* "..." over the last bytes of a buffer whose text was cut. */
static void
mark_cut(char *buf, size_t size)
{
	if (size >= 4)
		memcpy(buf + size - 4, "...", 4);
}

int
sim_error_set(sim_error *err, int code, const char *file, int line, int col,
    const char *path, const char *fmt, ...)
{
	if (err == NULL)
		return code;
	err->code = code;
	if ((size_t)snprintf(err->file, sizeof(err->file), "%s",
	    file ? file : "") >= sizeof(err->file))
		mark_cut(err->file, sizeof(err->file));
	err->line = line;
	err->col = col;
	if ((size_t)snprintf(err->path, sizeof(err->path), "%s",
	    path ? path : "") >= sizeof(err->path))
		mark_cut(err->path, sizeof(err->path));
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= sizeof(err->msg))
		mark_cut(err->msg, sizeof(err->msg));
	return code;
}

/* A buffer being filled; cut is set once something did not fit. */
typedef struct tbuf {
	char *buf;
	size_t size, n;
	int cut;
} tbuf;

static void
tb_raw(tbuf *t, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (t->n + 1 >= t->size) {
			t->cut = 1;
			return;
		}
		t->buf[t->n++] = s[i];
	}
	t->buf[t->n] = '\0';
}

size_t
sim_escape_control(const char *s, char out[8])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c = (unsigned char)s[0];
	if (c == '\n' || c == '\r' || c == '\t') {
		out[0] = '\\';
		out[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		out[2] = '\0';
		return 1;
	}
	if ((c < 0x20 && c != '\0') || c == 0x7f) {
		snprintf(out, 8, "\\x%c%c", hex[c >> 4], hex[c & 15]);
		return 1;
	}
	unsigned char d = (unsigned char)s[1];
	if (c == 0xc2 && d >= 0x80 && d <= 0x9f) {
		/* a C1 control (U+0080..U+009F), e.g. CSI */
		snprintf(out, 8, "\\u00%c%c", hex[d >> 4], hex[d & 15]);
		return 2;
	}
	return 0;
}

/* s with control characters as visible escapes. */
static void
tb_text(tbuf *t, const char *s)
{
	char esc[8];
	while (*s != '\0' && !t->cut) {
		size_t k = sim_escape_control(s, esc);
		if (k > 0) {
			tb_raw(t, esc, strlen(esc));
			s += k;
		} else
			tb_raw(t, s++, 1);
	}
}

void
sim_error_format(const sim_error *err, char *buf, size_t size)
{
	tbuf t = {buf, size, 0, 0};
	char num[48];
	if (size == 0)
		return;
	buf[0] = '\0';
	if (err->file[0] != '\0') {
		tb_text(&t, err->file);
		tb_raw(&t, ":", 1);
		if (err->line > 0) {
			snprintf(num, sizeof(num), "%d:%d:", err->line, err->col);
			tb_raw(&t, num, strlen(num));
		}
		tb_raw(&t, " ", 1);
	}
	if (err->path[0] != '\0') {
		tb_text(&t, err->path);
		tb_raw(&t, ": ", 2);
	}
	tb_text(&t, err->msg);
	if (t.cut)
		mark_cut(buf, size);
}

void
sim_error_print(FILE *out, const sim_error *err)
{
	char *buf = malloc(SIM_ERROR_TEXT);
	if (buf == NULL)
		sim_panic(__FILE__, __LINE__, "out of memory");
	sim_error_format(err, buf, SIM_ERROR_TEXT);
	fprintf(out, "%s\n", buf);
	free(buf);
}

void
sim_errlist_init(sim_errlist *l)
{
	memset(l, 0, sizeof(*l));
}

void
sim_errlist_fini(sim_errlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
sim_errlist_add(sim_errlist *l, const sim_error *e)
{
	if (l->n >= SIM_ERRLIST_MAX) {
		l->more++;
		return;
	}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 4;
		sim_error *nv = realloc(l->v, ncap * sizeof(*nv));
		if (nv == NULL)
			sim_panic(__FILE__, __LINE__, "out of memory");
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = *e;
}

void
sim_errlist_print(FILE *out, const sim_errlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		sim_error_print(out, &l->v[i]);
	if (l->more > 0)
		fprintf(out, "ecsim: %zu more error%s not shown (the first %d are listed)\n",
		    l->more, l->more == 1 ? "" : "s", SIM_ERRLIST_MAX);
	if (l->hidden > 0)
		fprintf(out, "ecsim: %zu further problem%s may follow from the errors above and %s not listed; fix these and run again\n",
		    l->hidden, l->hidden == 1 ? "" : "s",
		    l->hidden == 1 ? "is" : "are");
}

int
sim_exit_code(int code)
{
	switch (code) {
	case SIM_OK:
		return SIM_EXIT_OK;
	case SIM_EEXPECT:
		return SIM_EXIT_EXPECT;
	case SIM_EINPUT:
	case SIM_EUSAGE:
		return SIM_EXIT_INPUT;
	default:
		return SIM_EXIT_RUNTIME;
	}
}

const char *
sim_strerror(int code)
{
	switch (code) {
	case SIM_OK: return "ok";
	case SIM_EINPUT: return "input error";
	case SIM_EUSAGE: return "usage error";
	case SIM_EIO: return "i/o error";
	case SIM_ERUNTIME: return "runtime error";
	case SIM_EEXPECT: return "expectation failed";
	case SIM_EFAULT: return "AWS error";
	default: return "unknown error";
	}
}

void
sim_panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: ecsim internal error: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
