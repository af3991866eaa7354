/*
 * jread — strict JSON reading with positions (see jread.h).
 *
 * A scanner of our own first checks the text alone (RFC 8259 grammar
 * strictly: no control characters in strings, no leading zeros, only the
 * four JSON whitespace bytes; RFC 3629 UTF-8; no \u0000) and counts its
 * values against the loader's budget, so an oversized document is refused
 * before cJSON allocates anything. cJSON then builds the tree, and the
 * scanner walks the same text in lockstep with it, recording where each
 * node starts.
 *
 * Invariant: every node of a loaded document has exactly one slot in its
 * document's pointer-keyed table, holding the byte offset of its value
 * (and of its key for object members); the elements of every array node
 * lie contiguously, in file order, in doc->elems from the slot's elem0.
 * Documents read from files are cached by device and inode number. Every
 * error reported through a loader is in its list unless one at the same
 * position is (or it was counted as possibly dependent).
 */
#include "sim/jread.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/xalloc.h"

#define JR_NESTING_MAX 1000 /* cJSON's CJSON_NESTING_LIMIT */
#define JR_SAFE_INT INT64_C(9007199254740991) /* 2^53 - 1 */
#define JR_NO_OFF SIZE_MAX
#define JR_ERRS_KEPT 200 /* errors kept for sorting; more are counted */

typedef struct jr_slot {
	const cJSON *node; /* NULL: empty */
	size_t val;        /* byte offset of the value */
	size_t key;        /* byte offset of the member's key, or JR_NO_OFF */
	size_t elem0;      /* arrays: index of element 0 in doc->elems */
	size_t nelem;      /* arrays: number of elements */
	const struct jr_doc *rdoc; /* {"file": ...}: the document it names,
	                              once read (a cache) */
} jr_slot;

struct jr_doc {
	char *name;   /* as shown in messages */
	size_t seq;   /* order of reading within the loader (file order) */
	bool is_file; /* read from a file: dev and ino identify it */
	dev_t dev;
	ino_t ino;
	char *text;   /* NUL-terminated copy of the input */
	size_t len;   /* bytes of input (more than strlen if it holds NULs) */
	cJSON *root;
	size_t *lines; /* byte offset of the first byte of each line */
	size_t nlines, linecap;
	jr_slot *tab; /* open addressing, linear probing, at most half full */
	size_t tabcap, tabn;
	const cJSON **elems;
	size_t nelems, elemcap;
};

/* Kinds of recorded errors (see record()). */
enum {
	EK_DOC,        /* the document cannot be read or parsed */
	EK_READER,     /* a reader refused a value and returned the error */
	EK_SOFT,       /* not returned in collecting mode (unknown key ...) */
	EK_SOFT_VALUE, /* an optional member refused; the default was used */
	EK_CHECK,      /* jr_fail: a check of the caller */
	EK_EXTERNAL,   /* jr_record: found outside jread */
};

typedef struct jr_err {
	sim_error e;
	size_t seq;        /* document order, SIZE_MAX when unknown */
	size_t order;      /* recording order (a tie-breaker) */
	const cJSON *node; /* the value it is about, or NULL */
	const cJSON *obj;  /* the object holding that value, or NULL */
	int kind;
} jr_err;

/* A value grafted into another document's tree (jr_graft_*): node is the
 * root of doc, a document of the same loader. */
typedef struct jr_graftrec {
	const cJSON *node;
	const jr_doc *doc;
} jr_graftrec;

struct jr_loader {
	arena *a;
	jr_doc **docs;
	size_t ndocs, doccap;
	size_t nseq;       /* documents started (failed ones included) */
	size_t values;     /* JSON values of all documents */
	size_t bytes;      /* bytes of all documents */
	bool collect;
	bool degraded;     /* a parser gave up (jr_recover) */
	jr_err *errs;
	size_t nerrs, errcap;
	size_t overflow;   /* errors beyond JR_ERRS_KEPT */
	size_t hidden;     /* checks counted as possibly dependent */
	long last;         /* errs index of the reader error just returned */
	const cJSON **tainted; /* objects holding a refused optional member */
	size_t ntainted, taintcap;
	sim_error seen;    /* the last error handled (for jr_record) */
	jr_graftrec *grafts; /* see jr_graft_member */
	size_t ngrafts, graftcap;
	jr_capture_fn capture; /* see jr_set_capture */
	void *capture_ctx;
};

/* Report a read to the capture function, if any (jr_set_capture). */
#define ASK(L_, ...) do { \
	if ((L_)->capture != NULL) { \
		jr_ask ask_ = {__VA_ARGS__}; \
		(L_)->capture((L_)->capture_ctx, &ask_); \
	} \
} while (0)

/* A problem the first pass of the scanner found and went on after. */
typedef struct scan_note {
	size_t off;
	char why[128];
} scan_note;

/* The scanner's state; on failure err_off and why describe the error. */
typedef struct scanner {
	jr_doc *d;
	const char *s;
	size_t len, pos;
	int depth;
	size_t err_off;
	char why[160];
	size_t values, budget; /* values seen; at most budget */
	bool noting;           /* the first pass: notes are taken */
	bool limit;            /* the error is the value budget, not syntax */
	scan_note *notes;
	size_t nnotes, notecap;
} scanner;

static int vreport(jr_loader *, int, const jr_doc *, size_t, const jr_val *,
    sim_error *, const char *, va_list) __attribute__((format(printf, 7, 0)));
static int report(jr_loader *, int, const jr_doc *, size_t, const jr_val *,
    sim_error *, const char *, ...) __attribute__((format(printf, 7, 8)));
static int rfail(const jr_val *, sim_error *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static int scan_fail(scanner *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void scan_note_add(scanner *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void bufcat(char *, size_t, size_t *, const char *, ...)
    __attribute__((format(printf, 4, 5)));
static int scan_value(scanner *, const cJSON *, size_t);

/* ---- node table ---- */

static size_t
slot_hash(const cJSON *node, size_t mask)
{
	uint64_t h = (uint64_t)(uintptr_t)node;
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return (size_t)h & mask;
}

static jr_slot *
tab_probe(jr_slot *tab, size_t cap, const cJSON *node)
{
	size_t mask = cap - 1, i = slot_hash(node, mask);
	while (tab[i].node != NULL && tab[i].node != node)
		i = (i + 1) & mask;
	return &tab[i];
}

/* A fresh slot for node (which must not have one yet). */
static jr_slot *
tab_put(jr_doc *d, const cJSON *node)
{
	if ((d->tabn + 1) * 2 > d->tabcap) {
		size_t ncap = d->tabcap ? d->tabcap * 2 : 64;
		jr_slot *ntab = xcalloc(ncap, sizeof(*ntab));
		for (size_t i = 0; i < d->tabcap; i++)
			if (d->tab[i].node != NULL)
				*tab_probe(ntab, ncap, d->tab[i].node) = d->tab[i];
		free(d->tab);
		d->tab = ntab;
		d->tabcap = ncap;
	}
	jr_slot *sl = tab_probe(d->tab, d->tabcap, node);
	SIM_ASSERT(sl->node == NULL);
	sl->node = node;
	d->tabn++;
	return sl;
}

/* The slot of node (the table belongs to the document; the reference
 * cache in it may be written through a const document). */
static jr_slot *
tab_get(const jr_doc *d, const cJSON *node)
{
	SIM_ASSERT(d->tabcap > 0);
	jr_slot *sl = tab_probe(d->tab, d->tabcap, node);
	SIM_ASSERT(sl->node == node);
	return sl;
}

/* ---- positions and paths ---- */

static void
doc_linecol(const jr_doc *d, size_t off, int *line, int *col)
{
	size_t lo = 0, hi = d->nlines - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (d->lines[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	size_t c = off - d->lines[lo] + 1;
	*line = lo + 1 > INT_MAX ? INT_MAX : (int)(lo + 1);
	*col = c > INT_MAX ? INT_MAX : (int)c;
}

/* Append to buf (size > 0, NUL-terminated at *n); a cut ends in "...". */
static void
bufcat(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	if (*n + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (w < 0)
		return;
	*n += (size_t)w;
	if (*n > size - 1) {
		*n = size - 1;
		if (size >= 4)
			memcpy(buf + size - 4, "...", 4);
	}
}

static bool
is_ident(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static void
path_append(const jr_val *v, char *buf, size_t size, size_t *n)
{
	if (v->parent != NULL)
		path_append(v->parent, buf, size, n);
	if (v->key != NULL) {
		if (is_ident(v->key)) {
			bufcat(buf, size, n, *n == 0 ? "%s" : ".%s", v->key);
			return;
		}
		bufcat(buf, size, n, "[\"");
		for (const char *k = v->key; *k != '\0'; k++)
			bufcat(buf, size, n, *k == '"' || *k == '\\' ? "\\%c" : "%c",
			    *k);
		bufcat(buf, size, n, "\"]");
	} else if (v->index >= 0)
		bufcat(buf, size, n, "[%d]", v->index);
}

/* The JSON path of v ("" for the root or NULL). */
static void
path_of(const jr_val *v, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	if (v != NULL)
		path_append(v, buf, size, &n);
}

/* ---- the error list ---- */

static bool
same_place(const sim_error *a, const sim_error *b)
{
	return a->line == b->line && a->col == b->col &&
	    strcmp(a->file, b->file) == 0;
}

static bool
is_tainted(const jr_loader *L, const cJSON *node)
{
	if (node == NULL)
		return false;
	for (size_t i = 0; i < L->ntainted; i++)
		if (L->tainted[i] == node)
			return true;
	return false;
}

/* Keep e in L's list, by the rules of jread.h: a check right after a
 * reader's error on the same value (or its object) replaces it; an error
 * where one is listed already is dropped; a check that may depend on a
 * refused value is counted in hidden. */
static void
record(jr_loader *L, int kind, size_t seq, const cJSON *node,
    const cJSON *obj, const sim_error *e)
{
	if (L == NULL)
		return;
	L->seen = *e;
	if (kind == EK_CHECK && L->last >= 0) {
		jr_err *p = &L->errs[L->last];
		if (node != NULL && (p->node == node || p->obj == node)) {
			p->e = *e;
			p->kind = EK_CHECK;
			L->last = -1;
			return;
		}
	}
	L->last = -1;
	for (size_t i = 0; i < L->nerrs; i++)
		if (same_place(&L->errs[i].e, e))
			return;
	if ((kind == EK_CHECK || kind == EK_EXTERNAL) && (L->degraded ||
	    is_tainted(L, node) || is_tainted(L, obj))) {
		L->hidden++;
		return;
	}
	if (L->nerrs >= JR_ERRS_KEPT) {
		L->overflow++;
		return;
	}
	XGROW(L->errs, L->errcap, L->nerrs + 1);
	jr_err *p = &L->errs[L->nerrs];
	p->e = *e;
	p->seq = seq;
	p->order = L->nerrs;
	p->node = node;
	p->obj = obj;
	p->kind = kind;
	if (kind == EK_READER)
		L->last = (long)L->nerrs;
	L->nerrs++;
}

/* An optional member of obj was refused and its default used: the error
 * just recorded no longer stops anything, and checks on obj may rest on
 * the default. */
static void
soften(jr_loader *L, const cJSON *obj)
{
	if (L->last >= 0)
		L->errs[L->last].kind = EK_SOFT_VALUE;
	L->last = -1;
	if (!is_tainted(L, obj)) {
		XGROW(L->tainted, L->taintcap, L->ntainted + 1);
		L->tainted[L->ntainted++] = obj;
	}
}

/* Report an error at byte off of d, with the path (and the value it is
 * about) of at; fill *err (if not NULL) and record it in L. Returns
 * SIM_EINPUT. */
static int
vreport(jr_loader *L, int kind, const jr_doc *d, size_t off, const jr_val *at,
    sim_error *err, const char *fmt, va_list ap)
{
	sim_error *tmp = err != NULL ? NULL : xmalloc(sizeof(*tmp));
	sim_error *x = err != NULL ? err : tmp;
	char *msg = xvasprintf(fmt, ap);
	char path[sizeof(x->path)];
	int line, col;
	path_of(at, path, sizeof(path));
	doc_linecol(d, off, &line, &col);
	sim_error_set(x, SIM_EINPUT, d->name, line, col, path, "%s", msg);
	free(msg);
	const cJSON *node = at != NULL ? at->node : NULL;
	const cJSON *obj = at != NULL && at->parent != NULL &&
	    cJSON_IsObject(at->parent->node) ? at->parent->node : NULL;
	record(L, kind, d->seq, node, obj, x);
	free(tmp);
	return SIM_EINPUT;
}

static int
report(jr_loader *L, int kind, const jr_doc *d, size_t off, const jr_val *at,
    sim_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vreport(L, kind, d, off, at, err, fmt, ap);
	va_end(ap);
	return rc;
}

static size_t
val_off(const jr_val *v)
{
	return tab_get(v->doc, v->node)->val;
}

/* A reader's error about v. */
static int
rfail(const jr_val *v, sim_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vreport(v->L, EK_READER, v->doc, val_off(v), v, err, fmt, ap);
	va_end(ap);
	return rc;
}

jr_pos
jr_where(const jr_val *v)
{
	jr_pos p;
	char path[sizeof(((sim_error *)0)->path)];
	doc_linecol(v->doc, val_off(v), &p.line, &p.col);
	path_of(v, path, sizeof(path));
	p.file = arena_strdup(v->L->a, v->doc->name);
	p.path = arena_strdup(v->L->a, path);
	return p;
}

int
jr_fail(const jr_val *v, sim_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vreport(v->L, EK_CHECK, v->doc, val_off(v), v, err, fmt, ap);
	va_end(ap);
	return rc;
}

static size_t key_off(const jr_doc *d, const cJSON *member);
static const jr_doc *node_doc(const jr_val *parent, const cJSON *node);

int
jr_unknown_key(jr_obj *o, const char *key, sim_error *err, const char *fmt, ...)
{
	const cJSON *c = o->v.node->child;
	for (int i = 0; c != NULL; c = c->next, i++)
		if (strcmp(c->string, key) == 0) {
			o->used[i] = 1; /* said here: jr_done stays quiet about it */
			break;
		}
	va_list ap;
	va_start(ap, fmt);
	if (c == NULL) {
		vreport(o->v.L, EK_SOFT, o->v.doc, val_off(&o->v), &o->v, err, fmt, ap);
	} else {
		const jr_doc *kd = node_doc(&o->v, c);
		vreport(o->v.L, EK_SOFT, kd, key_off(kd, c), &o->v, err, fmt, ap);
	}
	va_end(ap);
	return o->v.L->collect ? 0 : SIM_EINPUT;
}

int
jr_fail_at(const jr_pos *p, sim_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	int rc = sim_error_set(err, SIM_EINPUT, p->file, p->line, p->col,
	    p->path, "%s", msg);
	free(msg);
	return rc;
}

void
jr_loader_collect(jr_loader *L, bool on)
{
	L->collect = on;
}

size_t
jr_error_count(const jr_loader *L)
{
	return L->nerrs + L->overflow + L->hidden;
}

void
jr_record(jr_loader *L, const sim_error *err)
{
	if (err->code == SIM_OK || (same_place(&L->seen, err) &&
	    strcmp(L->seen.msg, err->msg) == 0))
		return;
	size_t seq = SIZE_MAX;
	for (size_t i = 0; i < L->ndocs; i++)
		if (strcmp(L->docs[i]->name, err->file) == 0)
			seq = L->docs[i]->seq;
	record(L, EK_EXTERNAL, seq, NULL, NULL, err);
}

bool
jr_recover(jr_loader *L, int rc, const sim_error *err)
{
	if (!L->collect || rc != SIM_EINPUT)
		return false;
	if (err != NULL)
		jr_record(L, err);
	L->degraded = true;
	return true;
}

static int
err_cmp(const void *pa, const void *pb)
{
	const jr_err *a = pa, *b = pb;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	if (a->e.line != b->e.line)
		return a->e.line < b->e.line ? -1 : 1;
	if (a->e.col != b->e.col)
		return a->e.col < b->e.col ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

void
jr_errors(const jr_loader *L, sim_errlist *list)
{
	jr_err *v = xcalloc(L->nerrs ? L->nerrs : 1, sizeof(*v));
	memcpy(v, L->errs, L->nerrs * sizeof(*v));
	qsort(v, L->nerrs, sizeof(*v), err_cmp);
	for (size_t i = 0; i < L->nerrs; i++)
		sim_errlist_add(list, &v[i].e);
	free(v);
	list->more += L->overflow;
	list->hidden += L->hidden;
}

const char *
jr_type_name(const jr_val *v)
{
	switch (v->node->type & 0xFF) {
	case cJSON_False:
	case cJSON_True:
		return "boolean";
	case cJSON_NULL:
		return "null";
	case cJSON_Number:
		return "number";
	case cJSON_String:
		return "string";
	case cJSON_Array:
		return "array";
	case cJSON_Object:
		return "object";
	default:
		return "raw JSON";
	}
}

static int
type_error(const jr_val *v, const char *expected, sim_error *err)
{
	return rfail(v, err, "expected %s, got %s", expected, jr_type_name(v));
}

/* The number v as written in the file (so messages quote the user). */
static void
num_literal(const jr_val *v, char *buf, size_t size)
{
	const jr_doc *d = v->doc;
	size_t off = val_off(v), n = 0;
	while (off + n < d->len && n + 1 < size && d->text[off + n] != '\0' &&
	    strchr("0123456789+-.eE", d->text[off + n]) != NULL)
		n++;
	memcpy(buf, d->text + off, n);
	buf[n] = '\0';
}

/* ---- scanner ---- */

static int
scan_fail(scanner *sc, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sc->why, sizeof(sc->why), fmt, ap);
	va_end(ap);
	sc->err_off = off;
	return -1;
}

/* A problem that leaves the grammar intact: noted in the first pass, and
 * scanning goes on so that one run shows every such problem. */
static void
scan_note_add(scanner *sc, size_t off, const char *fmt, ...)
{
	if (!sc->noting || sc->nnotes >= JR_ERRS_KEPT)
		return;
	XGROW(sc->notes, sc->notecap, sc->nnotes + 1);
	scan_note *n = &sc->notes[sc->nnotes++];
	n->off = off;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(n->why, sizeof(n->why), fmt, ap);
	va_end(ap);
}

/* Length of the well-formed UTF-8 sequence (RFC 3629: no overlong form,
 * no surrogate, at most U+10FFFF) at s, of which n bytes are available;
 * 0 if there is none. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
		return 0;
	return need;
}

static int
peek(const scanner *sc)
{
	return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1;
}

/* "expected <what>, got <byte at pos>", or end of input. */
static int
scan_unexpected(scanner *sc, const char *what)
{
	int c = peek(sc);
	if (c < 0)
		return scan_fail(sc, sc->pos, "unexpected end of input");
	if (c == '\'')
		return scan_fail(sc, sc->pos, "expected %s, got \"'\"", what);
	if (c >= 0x20 && c < 0x7F)
		return scan_fail(sc, sc->pos, "expected %s, got '%c'", what, c);
	return scan_fail(sc, sc->pos, "expected %s, got byte 0x%02x", what, c);
}

static void
skip_ws(scanner *sc)
{
	while (sc->pos < sc->len && (sc->s[sc->pos] == ' ' ||
	    sc->s[sc->pos] == '\t' || sc->s[sc->pos] == '\n' ||
	    sc->s[sc->pos] == '\r'))
		sc->pos++;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Four hex digits at off, or -1. */
static long
hex4(const scanner *sc, size_t off)
{
	long v = 0;
	if (off + 4 > sc->len)
		return -1;
	for (size_t i = off; i < off + 4; i++) {
		int c = (unsigned char)sc->s[i];
		if (is_digit(c))
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return -1;
	}
	return v;
}

/* An escape sequence at the backslash at sc->pos; start is the string's
 * opening quote. Surrogates must pair, as cJSON demands. */
static int
scan_escape(scanner *sc, size_t start)
{
	size_t bs = sc->pos;
	if (bs + 1 >= sc->len)
		return scan_fail(sc, start, "unterminated string");
	int e = (unsigned char)sc->s[bs + 1];
	if (e != '\0' && strchr("\"\\/bfnrt", e) != NULL) {
		sc->pos += 2;
		return 0;
	}
	if (e != 'u') {
		if (e >= 0x20 && e < 0x7F)
			return scan_fail(sc, bs, "invalid escape '\\%c'", e);
		return scan_fail(sc, bs, "invalid escape (byte 0x%02x after '\\')",
		    e);
	}
	long u = hex4(sc, bs + 2);
	if (u < 0)
		return scan_fail(sc, bs,
		    "invalid \\u escape (expected 4 hex digits)");
	if (u == 0)
		scan_note_add(sc, bs, "\\u0000 in a string: strings cannot hold "
		    "the NUL character (it would cut them short)");
	if (u >= 0xDC00 && u <= 0xDFFF)
		return scan_fail(sc, bs, "unpaired surrogate \\u%04lx", u);
	if (u >= 0xD800 && u <= 0xDBFF) {
		long lo = -1;
		if (bs + 7 < sc->len && sc->s[bs + 6] == '\\' &&
		    sc->s[bs + 7] == 'u')
			lo = hex4(sc, bs + 8);
		if (lo < 0xDC00 || lo > 0xDFFF)
			return scan_fail(sc, bs, "unpaired surrogate \\u%04lx", u);
		sc->pos += 12;
		return 0;
	}
	sc->pos += 6;
	return 0;
}

/* A string at the '"' at sc->pos. A raw line break means the closing
 * quote was forgotten: report at the opening quote. */
static int
scan_string(scanner *sc)
{
	size_t start = sc->pos++;
	for (;;) {
		int c = peek(sc);
		if (c < 0 || c == '\n' || c == '\r')
			return scan_fail(sc, start, "unterminated string");
		if (c == '"') {
			sc->pos++;
			return 0;
		}
		if (c < 0x20)
			return scan_fail(sc, sc->pos,
			    "control character 0x%02x in string (write it as \\u%04x)",
			    c, c);
		if (c == '\\') {
			if (scan_escape(sc, start) != 0)
				return -1;
		} else if (c < 0x80)
			sc->pos++;
		else {
			size_t n = utf8_len((const unsigned char *)sc->s + sc->pos,
			    sc->len - sc->pos);
			if (n == 0) {
				scan_note_add(sc, sc->pos, "malformed JSON: invalid UTF-8 "
				    "(byte 0x%02x): JSON text must be UTF-8", c);
				/* one error per bad sequence: its continuation bytes
				 * go with it */
				n = 1;
				while (n < 4 && sc->pos + n < sc->len &&
				    ((unsigned char)sc->s[sc->pos + n] & 0xC0) == 0x80)
					n++;
			}
			sc->pos += n;
		}
	}
}

static int
scan_number(scanner *sc)
{
	size_t start = sc->pos;
	if (peek(sc) == '-') {
		sc->pos++;
		if (!is_digit(peek(sc)))
			return scan_fail(sc, sc->pos,
			    "invalid number: expected a digit after '-'");
	}
	if (peek(sc) == '0') {
		sc->pos++;
		if (is_digit(peek(sc)))
			return scan_fail(sc, start, "invalid number: leading zero");
	} else
		while (is_digit(peek(sc)))
			sc->pos++;
	if (peek(sc) == '.') {
		sc->pos++;
		if (!is_digit(peek(sc)))
			return scan_fail(sc, sc->pos,
			    "invalid number: expected a digit after '.'");
		while (is_digit(peek(sc)))
			sc->pos++;
	}
	if (peek(sc) == 'e' || peek(sc) == 'E') {
		sc->pos++;
		if (peek(sc) == '+' || peek(sc) == '-')
			sc->pos++;
		if (!is_digit(peek(sc)))
			return scan_fail(sc, sc->pos,
			    "invalid number: expected a digit in the exponent");
		while (is_digit(peek(sc)))
			sc->pos++;
	}
	return 0;
}

static int
scan_literal(scanner *sc, const char *word)
{
	size_t n = strlen(word);
	if (sc->pos + n > sc->len || memcmp(sc->s + sc->pos, word, n) != 0)
		return scan_fail(sc, sc->pos,
		    "invalid literal (expected true, false or null)");
	sc->pos += n;
	return 0;
}

/* The node the scanner is on must have the type the text shows. */
static void
lockstep(const cJSON *node, int type)
{
	SIM_ASSERT(node == NULL || (node->type & 0xFF) == type);
}

static int
scan_object(scanner *sc, const cJSON *node)
{
	lockstep(node, cJSON_Object);
	if (sc->depth >= JR_NESTING_MAX)
		return scan_fail(sc, sc->pos, "nesting deeper than %d levels",
		    JR_NESTING_MAX);
	sc->depth++;
	sc->pos++;
	const cJSON *child = node != NULL ? node->child : NULL;
	skip_ws(sc);
	if (peek(sc) != '}') {
		for (;;) {
			skip_ws(sc);
			if (peek(sc) != '"')
				return scan_unexpected(sc, "a string key");
			size_t key = sc->pos;
			if (scan_string(sc) != 0)
				return -1;
			skip_ws(sc);
			if (peek(sc) != ':')
				return scan_unexpected(sc, "':' after the key");
			sc->pos++;
			SIM_ASSERT(node == NULL || child != NULL);
			if (scan_value(sc, child, key) != 0)
				return -1;
			if (child != NULL)
				child = child->next;
			skip_ws(sc);
			if (peek(sc) == '}')
				break;
			if (peek(sc) != ',')
				return scan_unexpected(sc, "',' or '}'");
			size_t comma = sc->pos++;
			skip_ws(sc);
			if (peek(sc) == '}')
				return scan_fail(sc, comma, "trailing comma before '}'");
		}
	}
	SIM_ASSERT(child == NULL);
	sc->pos++;
	sc->depth--;
	return 0;
}

static int
scan_array(scanner *sc, const cJSON *node)
{
	lockstep(node, cJSON_Array);
	if (sc->depth >= JR_NESTING_MAX)
		return scan_fail(sc, sc->pos, "nesting deeper than %d levels",
		    JR_NESTING_MAX);
	sc->depth++;
	sc->pos++;
	const cJSON *child = node != NULL ? node->child : NULL;
	skip_ws(sc);
	if (peek(sc) != ']') {
		for (;;) {
			SIM_ASSERT(node == NULL || child != NULL);
			if (scan_value(sc, child, JR_NO_OFF) != 0)
				return -1;
			if (child != NULL)
				child = child->next;
			skip_ws(sc);
			if (peek(sc) == ']')
				break;
			if (peek(sc) != ',')
				return scan_unexpected(sc, "',' or ']'");
			size_t comma = sc->pos++;
			skip_ws(sc);
			if (peek(sc) == ']')
				return scan_fail(sc, comma, "trailing comma before ']'");
		}
	}
	SIM_ASSERT(child == NULL);
	sc->pos++;
	sc->depth--;
	return 0;
}

/* One value; node is its cJSON twin, or NULL when only validating. */
static int
scan_value(scanner *sc, const cJSON *node, size_t key)
{
	skip_ws(sc);
	if (++sc->values > sc->budget) {
		sc->limit = true;
		return scan_fail(sc, sc->pos, "too large: a scenario and the "
		    "files it references may hold at most %d JSON values in all",
		    JR_MAX_VALUES);
	}
	if (node != NULL) {
		jr_doc *d = sc->d;
		jr_slot *sl = tab_put(d, node);
		sl->val = sc->pos;
		sl->key = key;
		if (cJSON_IsArray(node)) {
			sl->elem0 = d->nelems;
			for (const cJSON *c = node->child; c != NULL; c = c->next) {
				XGROW(d->elems, d->elemcap, d->nelems + 1);
				d->elems[d->nelems++] = c;
			}
			sl->nelem = d->nelems - sl->elem0;
		}
	}
	int c = peek(sc);
	switch (c) {
	case '{':
		return scan_object(sc, node);
	case '[':
		return scan_array(sc, node);
	case '"':
		lockstep(node, cJSON_String);
		return scan_string(sc);
	case 't':
		lockstep(node, cJSON_True);
		return scan_literal(sc, "true");
	case 'f':
		lockstep(node, cJSON_False);
		return scan_literal(sc, "false");
	case 'n':
		lockstep(node, cJSON_NULL);
		return scan_literal(sc, "null");
	default:
		if (c == '-' || is_digit(c)) {
			lockstep(node, cJSON_Number);
			return scan_number(sc);
		}
		return scan_unexpected(sc, "a value");
	}
}

static int
scan_doc(scanner *sc, const cJSON *root)
{
	if (sc->len >= 3 && memcmp(sc->s, "\xEF\xBB\xBF", 3) == 0)
		sc->pos = 3; /* a UTF-8 byte order mark, as cJSON skips */
	if (scan_value(sc, root, JR_NO_OFF) != 0)
		return -1;
	skip_ws(sc);
	if (sc->pos < sc->len)
		return scan_unexpected(sc,
		    "end of input after the top-level value");
	return 0;
}

/* ---- documents ---- */

/* Takes ownership of text (len bytes plus a NUL). */
static jr_doc *
doc_new(jr_loader *L, const char *name, char *text, size_t len)
{
	jr_doc *d = xcalloc(1, sizeof(*d));
	d->name = xstrdup(name);
	d->seq = L->nseq++;
	d->text = text;
	d->len = len;
	XGROW(d->lines, d->linecap, 1);
	d->lines[d->nlines++] = 0;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n') {
			XGROW(d->lines, d->linecap, d->nlines + 1);
			d->lines[d->nlines++] = i + 1;
		}
	return d;
}

static void
doc_free(jr_doc *d)
{
	if (d == NULL)
		return;
	cJSON_Delete(d->root);
	free(d->name);
	free(d->text);
	free(d->lines);
	free(d->tab);
	free(d->elems);
	free(d);
}

/* Parse d's text and record positions; on failure record every problem
 * found in L and fill *err with the first. The values are counted against
 * what is left of L's budget. */
static int
doc_parse(jr_loader *L, jr_doc *d, sim_error *err)
{
	scanner sc = {.d = d, .s = d->text, .len = d->len, .noting = true,
	    .budget = JR_MAX_VALUES - L->values};
	int bad = scan_doc(&sc, NULL);
	sim_error *first = err;
	for (size_t i = 0; i < sc.nnotes; i++) {
		if (bad && sc.notes[i].off > sc.err_off)
			break;
		report(L, EK_DOC, d, sc.notes[i].off, NULL, first, "%s",
		    sc.notes[i].why);
		first = NULL;
	}
	if (bad)
		report(L, EK_DOC, d, sc.err_off, NULL, first,
		    sc.limit ? "%s" : "malformed JSON: %s", sc.why);
	free(sc.notes);
	if (bad || sc.nnotes > 0)
		return SIM_EINPUT;
	const char *end = NULL;
	d->root = cJSON_ParseWithOpts(d->text, &end, 1);
	if (d->root == NULL) /* cJSON refused what the scanner accepts */
		return report(L, EK_DOC, d, end != NULL ?
		    (size_t)(end - d->text) : 0, NULL, err,
		    "malformed JSON: invalid input");
	scanner sc2 = {.d = d, .s = d->text, .len = d->len,
	    .budget = SIZE_MAX};
	int again = scan_doc(&sc2, d->root);
	SIM_ASSERT(again == 0);
	L->values += sc.values;
	return 0;
}

static void
loader_add(jr_loader *L, jr_doc *d)
{
	XGROW(L->docs, L->doccap, L->ndocs + 1);
	L->docs[L->ndocs++] = d;
}

/* What st is, for "cannot read": "a FIFO (named pipe)" ... */
static const char *
file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO (named pipe)";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "a special file";
}

/* Open path for reading if it is a regular file; -1 with why filled
 * otherwise. Never blocks (O_NONBLOCK) on a FIFO. */
static int
open_regular(const char *path, struct stat *st, char *why, size_t whysize)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whysize, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0) {
		snprintf(why, whysize, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		snprintf(why, whysize, "%s, not a regular file (ecsim reads its "
		    "input only from regular files)", file_kind(st->st_mode));
		close(fd);
		return -1;
	}
	return fd;
}

static void
too_big(char *why, size_t whysize, const char *more, uintmax_t n, size_t cap)
{
	snprintf(why, whysize, "%s%ju bytes, over the limit of %zu bytes "
	    "(%zu MiB) for one input file", more, n, cap, cap >> 20);
}

/* Read fd (a regular file of st_size bytes) whole, at most cap bytes. */
static int
read_fd(int fd, const struct stat *st, size_t cap, char **text, size_t *len,
    char *why, size_t whysize)
{
	if (st->st_size > 0 && (uintmax_t)st->st_size > cap) {
		too_big(why, whysize, "", (uintmax_t)st->st_size, cap);
		return -1;
	}
	size_t bufcap = (size_t)(st->st_size > 0 ? st->st_size : 0) + 1;
	char *buf = xmalloc(bufcap + 1);
	size_t n = 0;
	for (;;) {
		if (n == bufcap) {
			if (n > cap) {
				too_big(why, whysize, "more than ", (uintmax_t)cap, cap);
				free(buf);
				return -1;
			}
			bufcap = bufcap * 2 > cap + 1 ? cap + 1 : bufcap * 2;
			buf = xreallocarray(buf, bufcap + 1, 1);
		}
		ssize_t got = read(fd, buf + n, bufcap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(why, whysize, "%s", strerror(errno));
			free(buf);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > cap) {
		too_big(why, whysize, "more than ", (uintmax_t)cap, cap);
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int
jr_read_regular_file(const char *path, size_t cap, char **text, size_t *len,
    char *why, size_t whysize)
{
	struct stat st;
	int fd = open_regular(path, &st, why, whysize);
	if (fd < 0)
		return -1;
	int rc = read_fd(fd, &st, cap, text, len, why, whysize);
	close(fd);
	return rc;
}

/* Load the file at path (shown as path in messages), or find it among the
 * documents already read. Returns 0; 1 when the file cannot be read (why
 * says why); SIM_EINPUT with the errors recorded and *err filled when it is
 * malformed or over a limit of the loader. */
static int
load_path(jr_loader *L, const char *path, jr_doc **out, char *why,
    size_t whysize, sim_error *err)
{
	struct stat st;
	int fd = open_regular(path, &st, why, whysize);
	if (fd < 0)
		return 1;
	for (size_t i = 0; i < L->ndocs; i++) {
		jr_doc *d = L->docs[i];
		if (d->is_file && d->dev == st.st_dev && d->ino == st.st_ino) {
			close(fd);
			*out = d;
			return 0;
		}
	}
	size_t left = JR_MAX_TOTAL_BYTES - L->bytes;
	if (st.st_size > 0 && (uintmax_t)st.st_size > left &&
	    (uintmax_t)st.st_size <= JR_MAX_FILE_BYTES) {
		close(fd);
		snprintf(why, whysize, "the files of one scenario may hold at "
		    "most %u bytes (%u MiB) in all; this one would make %ju",
		    JR_MAX_TOTAL_BYTES, JR_MAX_TOTAL_BYTES >> 20,
		    (uintmax_t)L->bytes + (uintmax_t)st.st_size);
		return 1;
	}
	char *text = NULL;
	size_t len = 0;
	int rc = read_fd(fd, &st, JR_MAX_FILE_BYTES, &text, &len, why, whysize);
	close(fd);
	if (rc != 0)
		return 1;
	jr_doc *d = doc_new(L, path, text, len);
	d->is_file = true;
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	if (doc_parse(L, d, err) != 0) {
		doc_free(d);
		return SIM_EINPUT;
	}
	L->bytes += len;
	loader_add(L, d);
	*out = d;
	return 0;
}

static void
root_cursor(jr_loader *L, const jr_doc *d, jr_val *root)
{
	*root = (jr_val){.node = d->root, .doc = d, .parent = NULL,
	    .key = NULL, .index = -1, .L = L};
}

jr_loader *
jr_loader_new(arena *a)
{
	SIM_ASSERT(a != NULL);
	jr_loader *L = xcalloc(1, sizeof(*L));
	L->a = a;
	L->last = -1;
	return L;
}

void
jr_loader_free(jr_loader *L)
{
	if (L == NULL)
		return;
	for (size_t i = 0; i < L->ndocs; i++)
		doc_free(L->docs[i]);
	free(L->docs);
	free(L->errs);
	free(L->tainted);
	free(L->grafts);
	free(L);
}

void
jr_set_capture(jr_loader *L, jr_capture_fn fn, void *ctx)
{
	L->capture = fn;
	L->capture_ctx = ctx;
}

void
jr_describe(jr_obj *o, const char *key, const char *text)
{
	ASK(o->v.L, .kind = JR_ASK_DOC, .v = &o->v, .key = key, .sdef = text);
}

arena *
jr_arena(jr_loader *L)
{
	return L->a;
}

/* An error about the input as a whole (no position), recorded. */
static int
whole_fail(jr_loader *L, sim_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
whole_fail(jr_loader *L, sim_error *err, const char *fmt, ...)
{
	sim_error *tmp = err != NULL ? NULL : xmalloc(sizeof(*tmp));
	sim_error *x = err != NULL ? err : tmp;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	sim_error_set(x, SIM_EINPUT, NULL, 0, 0, NULL, "%s", msg);
	free(msg);
	record(L, EK_DOC, SIZE_MAX, NULL, NULL, x);
	free(tmp);
	return SIM_EINPUT;
}

int
jr_load_file(jr_loader *L, const char *path, jr_val *root, sim_error *err)
{
	jr_doc *d;
	char why[512];
	int rc = load_path(L, path, &d, why, sizeof(why), err);
	if (rc == 1)
		return whole_fail(L, err, "cannot read '%s': %s", path, why);
	if (rc != 0)
		return rc;
	root_cursor(L, d, root);
	return 0;
}

int
jr_load_text(jr_loader *L, const char *name, const char *text, jr_val *root,
    sim_error *err)
{
	size_t len = strlen(text);
	if (len > JR_MAX_FILE_BYTES) {
		char why[256];
		too_big(why, sizeof(why), "", (uintmax_t)len, JR_MAX_FILE_BYTES);
		return whole_fail(L, err, "cannot read '%s': %s", name, why);
	}
	jr_doc *d = doc_new(L, name, xstrdup(text), len);
	if (doc_parse(L, d, err) != 0) {
		doc_free(d);
		return SIM_EINPUT;
	}
	L->bytes += len;
	loader_add(L, d);
	root_cursor(L, d, root);
	return 0;
}

/* ---- references ---- */

/* {"file": ...}: an object whose only member is "file". */
static bool
is_reference(const cJSON *node)
{
	if (!cJSON_IsObject(node))
		return false;
	const cJSON *c = node->child;
	return c != NULL && c->next == NULL && c->string != NULL &&
	    strcmp(c->string, "file") == 0;
}

/* The name of the file that rel, written in from, refers to. */
static char *
ref_path(const jr_doc *from, const char *rel)
{
	const char *slash = strrchr(from->name, '/');
	if (rel[0] == '/' || slash == NULL)
		return xstrdup(rel);
	return xasprintf("%.*s/%s", (int)(slash - from->name), from->name, rel);
}

/* Whether d is being read already: it is the document of v or of one of
 * its ancestors, or one of hops[0..n-1]. */
static bool
doc_open(const jr_doc *d, const jr_val *v, const jr_doc *const *hops,
    size_t n)
{
	for (; v != NULL; v = v->parent)
		if (v->doc == d)
			return true;
	for (size_t i = 0; i < n; i++)
		if (hops[i] == d)
			return true;
	return false;
}

/* Follow {"file": ...} references from *cur until a plain value; *cur
 * keeps its place (parent, key, index) but moves into the referenced
 * documents. The document a reference names is cached in its slot. */
static int
resolve(jr_val *cur, sim_error *err)
{
	const jr_doc **hops = NULL;
	size_t nhops = 0, hopcap = 0;
	int rc = 0;
	while (is_reference(cur->node)) {
		const cJSON *c = cur->node->child;
		jr_val fv = {.node = c, .doc = cur->doc, .parent = cur,
		    .key = c->string, .index = -1, .L = cur->L};
		if (!cJSON_IsString(c)) {
			rc = type_error(&fv, "a string", err);
			break;
		}
		jr_slot *sl = tab_get(cur->doc, cur->node);
		const jr_doc *d = sl->rdoc;
		if (d == NULL) {
			char *name = ref_path(cur->doc, c->valuestring);
			char why[512];
			jr_doc *nd = NULL;
			rc = load_path(cur->L, name, &nd, why, sizeof(why), err);
			free(name);
			if (rc == 1)
				rc = rfail(&fv, err, "cannot read referenced file '%s': %s",
				    c->valuestring, why);
			if (rc != 0)
				break;
			d = sl->rdoc = nd;
		}
		XGROW(hops, hopcap, nhops + 1);
		hops[nhops++] = cur->doc;
		if (doc_open(d, cur->parent, hops, nhops)) {
			rc = rfail(&fv, err, "reference cycle through '%s'",
			    c->valuestring);
			break;
		}
		cur->node = d->root;
		cur->doc = d;
	}
	free(hops);
	return rc;
}

/* *out is v, or the value v's {"file": ...} reference names. */
static int
deref(const jr_val *v, jr_val *out, sim_error *err)
{
	*out = *v;
	return resolve(out, err);
}

int
jr_resolve(const jr_val *v, jr_val *out, sim_error *err)
{
	return deref(v, out, err);
}

/* The same for a reference a reader has followed already (no I/O). */
static void
deref_cached(jr_val *cur)
{
	while (is_reference(cur->node)) {
		const jr_doc *d = tab_get(cur->doc, cur->node)->rdoc;
		if (d == NULL)
			return;
		cur->node = d->root;
		cur->doc = d;
	}
}

/* ---- objects ---- */

static size_t
key_off(const jr_doc *d, const cJSON *member)
{
	return tab_get(d, member)->key;
}

/* The document holding node, a child of parent's value: parent's own,
 * unless node was grafted there from another (jr_graft_*). */
static const jr_doc *
node_doc(const jr_val *parent, const cJSON *node)
{
	const jr_loader *L = parent->L;
	for (size_t i = 0; i < L->ngrafts; i++)
		if (L->grafts[i].node == node)
			return L->grafts[i].doc;
	return parent->doc;
}

int
jr_object(const jr_val *v, jr_obj *o, sim_error *err)
{
	ASK(v->L, .kind = JR_ASK_OBJECT, .v = v);
	jr_val cur;
	int rc = deref(v, &cur, err);
	if (rc != 0)
		return rc;
	if (!cJSON_IsObject(cur.node))
		return type_error(&cur, "an object", err);
	memset(o, 0, sizeof(*o));
	int n = 0;
	for (const cJSON *c = cur.node->child; c != NULL; c = c->next, n++)
		if (n == JR_MAX_KEYS)
			return rfail(&cur, err, "object has more than %d members",
			    JR_MAX_KEYS);
	int i = 0;
	for (const cJSON *c = cur.node->child; c != NULL; c = c->next, i++) {
		for (const cJSON *p = cur.node->child; p != c; p = p->next) {
			if (strcmp(p->string, c->string) != 0)
				continue;
			int line, col;
			const jr_doc *pd = node_doc(&cur, p), *cd = node_doc(&cur, c);
			doc_linecol(pd, key_off(pd, p), &line, &col);
			report(cur.L, EK_SOFT, cd, key_off(cd, c), &cur,
			    err, "duplicate key '%s' (first at line %d, column %d)",
			    c->string, line, col);
			if (!cur.L->collect)
				return SIM_EINPUT;
			o->used[i] = 1; /* reported once, as a duplicate */
			break;
		}
	}
	o->v = cur;
	o->nmembers = n;
	return 0;
}

static void
note_known(jr_obj *o, const char *key)
{
	for (int i = 0; i < o->nknown; i++)
		if (strcmp(o->known[i], key) == 0)
			return;
	if (o->nknown < JR_MAX_KEYS)
		o->known[o->nknown++] = key;
}

static void
member_cursor(jr_obj *o, const cJSON *c, jr_val *out)
{
	*out = (jr_val){.node = c, .doc = node_doc(&o->v, c), .parent = &o->v,
	    .key = c->string, .index = -1, .L = o->v.L};
}

/* The first member named key and its index, or NULL. */
static const cJSON *
find_member(const jr_obj *o, const char *key, int *idx)
{
	int i = 0;
	for (const cJSON *c = o->v.node->child; c != NULL; c = c->next, i++)
		if (strcmp(c->string, key) == 0) {
			*idx = i;
			return c;
		}
	return NULL;
}

bool
jr_get(jr_obj *o, const char *key, jr_val *out)
{
	int i;
	note_known(o, key);
	const cJSON *c = find_member(o, key, &i);
	if (c != NULL)
		o->used[i] = 1;
	if (c == NULL || cJSON_IsNull(c)) { /* null means absent */
		ASK(o->v.L, .kind = JR_ASK_KEY, .v = &o->v, .key = key);
		return false;
	}
	member_cursor(o, c, out);
	ASK(o->v.L, .kind = JR_ASK_KEY, .v = &o->v, .key = key, .present = true);
	return true;
}

static bool
same_ignoring_case(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

/* What to say when given and known differ only in case: the AWS APIs'
 * JSON is camelCase (ECS) or PascalCase (ELBv2, Application Auto
 * Scaling), CloudFormation's property names are PascalCase. */
static const char *
case_hint(const char *given, const char *known)
{
	if (!same_ignoring_case(given, known))
		return "";
	if (isupper((unsigned char)given[0]) && islower((unsigned char)known[0]))
		return " (CloudFormation property names are PascalCase; the "
		    "API's JSON is camelCase)";
	if (islower((unsigned char)given[0]) && isupper((unsigned char)known[0]))
		return " (this API's JSON is PascalCase, as in CloudFormation)";
	return "";
}

int
jr_need(jr_obj *o, const char *key, jr_val *out, sim_error *err)
{
	int i;
	ASK(o->v.L, .kind = JR_ASK_REQUIRED, .v = &o->v, .key = key);
	if (jr_get(o, key, out))
		return 0;
	const cJSON *c = find_member(o, key, &i);
	if (c != NULL) {
		jr_val nv;
		member_cursor(o, c, &nv);
		return report(o->v.L, EK_READER, nv.doc, val_off(&nv), &o->v, err,
		    "missing required key '%s' (it is null)", key);
	}
	i = 0;
	for (c = o->v.node->child; c != NULL; c = c->next, i++)
		if (!o->used[i] && same_ignoring_case(c->string, key)) {
			o->used[i] = 1;
			return report(o->v.L, EK_READER, node_doc(&o->v, c),
			    key_off(node_doc(&o->v, c), c), &o->v, err,
			    "missing required key '%s'; found '%s'%s", key,
			    c->string, case_hint(c->string, key));
		}
	return rfail(&o->v, err, "missing required key '%s'", key);
}

void
jr_ignore(jr_obj *o, const char *key)
{
	jr_val unused;
	(void)jr_get(o, key, &unused);
	ASK(o->v.L, .kind = JR_ASK_IGNORED, .v = &o->v, .key = key);
}

/* The name closest to word: equal ignoring case, else within edit
 * distance 2; ties go to the first. NULL if none is close. */
static const char *
suggest(const char *word, const char *const *names, int n)
{
	const char *best = NULL;
	int bestd = 3;
	for (int i = 0; i < n; i++) {
		int d = same_ignoring_case(word, names[i]) ? 0 :
		    jr_edit_distance(word, names[i], 2);
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	return best;
}

int
jr_done(jr_obj *o, sim_error *err)
{
	int i = 0, rc = 0;
	sim_error *first = err;
	for (const cJSON *c = o->v.node->child; c != NULL; c = c->next, i++) {
		if (o->used[i])
			continue;
		const jr_doc *kd = node_doc(&o->v, c);
		size_t off = key_off(kd, c);
		const char *best = suggest(c->string, o->known, o->nknown);
		if (best != NULL)
			report(o->v.L, EK_SOFT, kd, off, &o->v, first,
			    "unknown key '%s'; did you mean '%s'?%s", c->string, best,
			    case_hint(c->string, best));
		else
			report(o->v.L, EK_SOFT, kd, off, &o->v, first,
			    "unknown key '%s'", c->string);
		first = NULL;
		rc = SIM_EINPUT;
	}
	return o->v.L->collect ? 0 : rc;
}

int
jr_member_count(const jr_obj *o)
{
	return o->nmembers;
}

bool
jr_member(jr_obj *o, int i, jr_val *out)
{
	if (i < 0 || i >= o->nmembers)
		return false;
	ASK(o->v.L, .kind = JR_ASK_MAP, .v = &o->v);
	const cJSON *c = o->v.node->child;
	for (int k = 0; k < i; k++)
		c = c->next;
	o->used[i] = 1;
	member_cursor(o, c, out);
	return true;
}

/* ---- arrays ---- */

int
jr_array(const jr_val *v, int *count, sim_error *err)
{
	ASK(v->L, .kind = JR_ASK_ARRAY, .v = v);
	jr_val cur;
	int rc = deref(v, &cur, err);
	if (rc != 0)
		return rc;
	if (!cJSON_IsArray(cur.node))
		return type_error(&cur, "an array", err);
	size_t n = tab_get(cur.doc, cur.node)->nelem;
	if (n > INT_MAX)
		return rfail(&cur, err, "array has more than %d elements", INT_MAX);
	*count = (int)n;
	return 0;
}

void
jr_elem(const jr_val *arr, int i, jr_val *out)
{
	jr_val cur = *arr;
	deref_cached(&cur);
	SIM_ASSERT(cJSON_IsArray(cur.node));
	const jr_slot *sl = tab_get(cur.doc, cur.node);
	SIM_ASSERT(i >= 0 && (size_t)i < sl->nelem);
	const cJSON *node = cur.doc->elems[sl->elem0 + (size_t)i];
	*out = (jr_val){.node = node, .doc = node_doc(&cur, node),
	    .parent = arr, .key = NULL, .index = i, .L = arr->L};
}

/* ---- scalars ---- */

/* Readers take v through a {"file": ...} reference first. */
#define DEREF(v, cur, err) do { \
	int rc_ = deref((v), &(cur), (err)); \
	if (rc_ != 0) \
		return rc_; \
	(v) = &(cur); \
} while (0)

int
jr_bool(const jr_val *v, bool *out, sim_error *err)
{
	ASK(v->L, .kind = JR_ASK_BOOL, .v = v);
	jr_val cur;
	DEREF(v, cur, err);
	if (!cJSON_IsBool(v->node))
		return type_error(v, "a boolean", err);
	*out = cJSON_IsTrue(v->node);
	return 0;
}

static int
int_range_error(const jr_val *v, int64_t lo, int64_t hi, const char *lit,
    sim_error *err)
{
	if (hi == INT64_MAX)
		return rfail(v, err, "expected an integer >= %" PRId64 ", got %s",
		    lo, lit);
	if (lo == INT64_MIN)
		return rfail(v, err, "expected an integer <= %" PRId64 ", got %s",
		    hi, lit);
	return rfail(v, err,
	    "expected an integer in [%" PRId64 ", %" PRId64 "], got %s", lo, hi,
	    lit);
}

int
jr_int(const jr_val *v, int64_t lo, int64_t hi, int64_t *out, sim_error *err)
{
	ASK(v->L, .kind = JR_ASK_INT, .v = v, .lo = lo, .hi = hi);
	jr_val cur;
	DEREF(v, cur, err);
	if (!cJSON_IsNumber(v->node))
		return type_error(v, "an integer", err);
	char lit[64];
	num_literal(v, lit, sizeof(lit));
	double d = v->node->valuedouble;
	if (!isfinite(d) || floor(d) != d)
		return rfail(v, err, "expected an integer, got %s", lit);
	if (fabs(d) > (double)JR_SAFE_INT) {
		/* not exact as a double: only a range error can be certain */
		if (d > 0 ? hi <= JR_SAFE_INT : lo >= -JR_SAFE_INT)
			return int_range_error(v, lo, hi, lit, err);
		return rfail(v, err,
		    "expected an integer of magnitude below 2^53, got %s", lit);
	}
	int64_t x = (int64_t)d;
	if (x < lo || x > hi)
		return int_range_error(v, lo, hi, lit, err);
	*out = x;
	return 0;
}

int
jr_int32(const jr_val *v, int lo, int hi, int *out, sim_error *err)
{
	int64_t x = 0;
	int rc = jr_int(v, lo, hi, &x, err);
	if (rc == 0)
		*out = (int)x;
	return rc;
}

int
jr_num(const jr_val *v, double lo, double hi, double *out, sim_error *err)
{
	ASK(v->L, .kind = JR_ASK_NUM, .v = v, .dlo = lo, .dhi = hi);
	jr_val cur;
	DEREF(v, cur, err);
	if (!cJSON_IsNumber(v->node))
		return type_error(v, "a number", err);
	char lit[64];
	num_literal(v, lit, sizeof(lit));
	double d = v->node->valuedouble;
	if (!isfinite(d))
		return rfail(v, err, "expected a finite number, got %s", lit);
	if (d >= lo && d <= hi) {
		*out = d;
		return 0;
	}
	if (hi >= DBL_MAX)
		return rfail(v, err, "expected a number >= %g, got %s", lo, lit);
	if (lo <= -DBL_MAX)
		return rfail(v, err, "expected a number <= %g, got %s", hi, lit);
	return rfail(v, err, "expected a number in [%g, %g], got %s", lo, hi,
	    lit);
}

int
jr_str(const jr_val *v, const char **out, sim_error *err)
{
	ASK(v->L, .kind = JR_ASK_STR, .v = v);
	jr_val cur;
	DEREF(v, cur, err);
	if (!cJSON_IsString(v->node))
		return type_error(v, "a string", err);
	*out = arena_strdup(v->L->a, v->node->valuestring);
	return 0;
}

int
jr_enum(const jr_val *v, const char *const *names, int n, int *out,
    sim_error *err)
{
	ASK(v->L, .kind = JR_ASK_ENUM, .v = v, .names = names, .nnames = n);
	jr_val cur;
	DEREF(v, cur, err);
	if (!cJSON_IsString(v->node))
		return type_error(v, "a string", err);
	const char *s = v->node->valuestring;
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	size_t cap = 64, len = 0;
	for (int i = 0; i < n; i++)
		cap += strlen(names[i]) + 4;
	char *list = xmalloc(cap);
	list[0] = '\0';
	for (int i = 0; i < n; i++)
		bufcat(list, cap, &len, "%s\"%s\"", i ? ", " : "", names[i]);
	const char *best = suggest(s, names, n);
	int rc;
	if (best != NULL)
		rc = rfail(v, err,
		    "expected one of %s, got \"%s\"; did you mean \"%s\"?", list, s,
		    best);
	else
		rc = rfail(v, err, "expected one of %s, got \"%s\"", list, s);
	free(list);
	return rc;
}

int
jr_duration(const jr_val *v, sim_time lo, sim_time hi, sim_time *out,
    sim_error *err)
{
	ASK(v->L, .kind = JR_ASK_DURATION, .v = v, .lo = lo, .hi = hi);
	jr_val cur;
	DEREF(v, cur, err);
	sim_time t;
	if (cJSON_IsNumber(v->node)) {
		char lit[64];
		num_literal(v, lit, sizeof(lit));
		if (simtime_from_seconds(v->node->valuedouble, &t) != 0) {
			if (v->node->valuedouble < 0)
				return rfail(v, err,
				    "invalid duration: negative duration %s", lit);
			return rfail(v, err,
			    "invalid duration: duration %s is too long (at most 3660d)",
			    lit);
		}
	} else if (cJSON_IsString(v->node)) {
		char why[256];
		if (simtime_parse(v->node->valuestring, &t, why, sizeof(why)) != 0)
			return rfail(v, err, "invalid duration: %s", why);
	} else
		return type_error(v,
		    "a duration (seconds or a string like \"90s\")", err);
	if (t < lo || t > hi) {
		char ts[32], los[32], his[32];
		simtime_format(t, ts, sizeof(ts));
		simtime_format(lo < 0 ? 0 : lo, los, sizeof(los));
		simtime_format(hi > SIM_DURATION_MAX ? SIM_DURATION_MAX : hi, his,
		    sizeof(his));
		return rfail(v, err, "duration %s is out of range [%s, %s]", ts,
		    los, his);
	}
	*out = t;
	return 0;
}

/* ---- optional and required members ---- */

/* An optional member was read with result rc: in collecting mode a
 * refused value is recorded, and the caller uses the default (returns
 * true). */
static bool
use_default(jr_obj *o, int rc)
{
	if (rc == 0 || !o->v.L->collect || rc != SIM_EINPUT)
		return false;
	soften(o->v.L, o->v.node);
	return true;
}

#define OPT_BODY(reader_call) do { \
	jr_val v; \
	if (!jr_get(o, key, &v)) { \
		*out = def; \
		return 0; \
	} \
	int rc = (reader_call); \
	if (use_default(o, rc)) { \
		*out = def; \
		return 0; \
	} \
	return rc; \
} while (0)

int
jr_opt_bool(jr_obj *o, const char *key, bool def, bool *out, sim_error *err)
{
	ASK(o->v.L, .kind = JR_ASK_DEFAULT, .v = &o->v, .key = key,
	    .type = JR_ASK_BOOL, .has_def = true, .bdef = def);
	OPT_BODY(jr_bool(&v, out, err));
}

int
jr_opt_int(jr_obj *o, const char *key, int64_t lo, int64_t hi, int64_t def,
    int64_t *out, sim_error *err)
{
	ASK(o->v.L, .kind = JR_ASK_DEFAULT, .v = &o->v, .key = key,
	    .type = JR_ASK_INT, .lo = lo, .hi = hi, .has_def = true, .idef = def);
	OPT_BODY(jr_int(&v, lo, hi, out, err));
}

int
jr_opt_int32(jr_obj *o, const char *key, int lo, int hi, int def, int *out,
    sim_error *err)
{
	ASK(o->v.L, .kind = JR_ASK_DEFAULT, .v = &o->v, .key = key,
	    .type = JR_ASK_INT, .lo = lo, .hi = hi, .has_def = true, .idef = def);
	OPT_BODY(jr_int32(&v, lo, hi, out, err));
}

int
jr_opt_num(jr_obj *o, const char *key, double lo, double hi, double def,
    double *out, sim_error *err)
{
	ASK(o->v.L, .kind = JR_ASK_DEFAULT, .v = &o->v, .key = key,
	    .type = JR_ASK_NUM, .dlo = lo, .dhi = hi, .has_def = true, .ddef = def);
	OPT_BODY(jr_num(&v, lo, hi, out, err));
}

int
jr_opt_str(jr_obj *o, const char *key, const char *def, const char **out,
    sim_error *err)
{
	ASK(o->v.L, .kind = JR_ASK_DEFAULT, .v = &o->v, .key = key,
	    .type = JR_ASK_STR, .has_def = def != NULL, .sdef = def);
	OPT_BODY(jr_str(&v, out, err));
}

int
jr_opt_enum(jr_obj *o, const char *key, const char *const *names, int n,
    int def, int *out, sim_error *err)
{
	ASK(o->v.L, .kind = JR_ASK_DEFAULT, .v = &o->v, .key = key,
	    .type = JR_ASK_ENUM, .names = names, .nnames = n,
	    .has_def = def >= 0 && def < n, .idef = def);
	OPT_BODY(jr_enum(&v, names, n, out, err));
}

int
jr_opt_duration(jr_obj *o, const char *key, sim_time lo, sim_time hi,
    sim_time def, sim_time *out, sim_error *err)
{
	ASK(o->v.L, .kind = JR_ASK_DEFAULT, .v = &o->v, .key = key,
	    .type = JR_ASK_DURATION, .lo = lo, .hi = hi, .has_def = true,
	    .idef = def);
	OPT_BODY(jr_duration(&v, lo, hi, out, err));
}

int
jr_req_int(jr_obj *o, const char *key, int64_t lo, int64_t hi, int64_t *out,
    sim_error *err)
{
	jr_val v = {0};
	int rc = jr_need(o, key, &v, err);
	return rc != 0 ? rc : jr_int(&v, lo, hi, out, err);
}

int
jr_req_int32(jr_obj *o, const char *key, int lo, int hi, int *out,
    sim_error *err)
{
	jr_val v = {0};
	int rc = jr_need(o, key, &v, err);
	return rc != 0 ? rc : jr_int32(&v, lo, hi, out, err);
}

int
jr_req_num(jr_obj *o, const char *key, double lo, double hi, double *out,
    sim_error *err)
{
	jr_val v = {0};
	int rc = jr_need(o, key, &v, err);
	return rc != 0 ? rc : jr_num(&v, lo, hi, out, err);
}

int
jr_req_str(jr_obj *o, const char *key, const char **out, sim_error *err)
{
	jr_val v = {0};
	int rc = jr_need(o, key, &v, err);
	return rc != 0 ? rc : jr_str(&v, out, err);
}

int
jr_req_enum(jr_obj *o, const char *key, const char *const *names, int n,
    int *out, sim_error *err)
{
	jr_val v = {0};
	int rc = jr_need(o, key, &v, err);
	return rc != 0 ? rc : jr_enum(&v, names, n, out, err);
}

int
jr_req_duration(jr_obj *o, const char *key, sim_time lo, sim_time hi,
    sim_time *out, sim_error *err)
{
	jr_val v = {0};
	int rc = jr_need(o, key, &v, err);
	return rc != 0 ? rc : jr_duration(&v, lo, hi, out, err);
}

/* ---- misc ---- */

const char *
jr_to_json(const jr_val *v)
{
	jr_val cur = *v;
	deref_cached(&cur);
	char *s = cJSON_PrintUnformatted(cur.node);
	if (s == NULL)
		sim_panic(__FILE__, __LINE__, "out of memory printing JSON");
	char *copy = arena_strdup(v->L->a, s);
	cJSON_free(s);
	return copy;
}

/* Levenshtein distance with one row of the table; stops early once every
 * entry of a row exceeds cap. */
int
jr_edit_distance(const char *a, const char *b, int cap)
{
	if (cap < 0)
		cap = 0;
	size_t la = strlen(a), lb = strlen(b);
	if ((la > lb ? la - lb : lb - la) > (size_t)cap)
		return cap + 1;
	int small[64];
	int *row = lb < 64 ? small : xcalloc(lb + 1, sizeof(int));
	int over = cap + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j < (size_t)over ? (int)j : over;
	int result = over;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = i < (size_t)over ? (int)i : over;
		int rowmin = row[0];
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (best > over)
				best = over;
			diag = up;
			row[j] = best;
			if (best < rowmin)
				rowmin = best;
		}
		if (rowmin >= over)
			goto out;
	}
	result = row[lb];
out:
	if (row != small)
		free(row);
	return result;
}

/* ---- grafts (the hook --set uses: sim/setpath) ---- */

/* The loader's own (mutable) record of d. */
static jr_doc *
loader_doc(const jr_loader *L, const jr_doc *d)
{
	for (size_t i = 0; i < L->ndocs; i++)
		if (L->docs[i] == d)
			return L->docs[i];
	sim_panic(__FILE__, __LINE__, "jr_graft: document of another loader");
}

/* The loader owns every node; cursors only borrow them as const. */
static cJSON *
owned(const cJSON *node)
{
	return (cJSON *)(uintptr_t)node;
}

/* Detach with's root from its document and remember where it now lives;
 * the document keeps old (detached, may be NULL) so that it is freed with
 * the loader and no node of a live table is ever freed early. */
static cJSON *
graft_take(const jr_val *with, cJSON *old, size_t key_at)
{
	jr_loader *L = with->L;
	jr_doc *wd = loader_doc(L, with->doc);
	SIM_ASSERT(with->parent == NULL && with->node == wd->root);
	cJSON *node = wd->root;
	tab_probe(wd->tab, wd->tabcap, node)->key = key_at;
	wd->root = old;
	XGROW(L->grafts, L->graftcap, L->ngrafts + 1);
	L->grafts[L->ngrafts++] = (jr_graftrec){.node = node, .doc = wd};
	return node;
}

/* Put node where old is in parent's list of children; old leaves it.
 * (By hand: Debian's cJSON 1.7.15 refuses cJSON_InsertItemInArray in the
 * middle of a list, and cJSON_ReplaceItemViaPointer frees old.) */
static void
relink(cJSON *parent, cJSON *old, cJSON *node)
{
	node->next = old->next;
	node->prev = old->prev == old ? node : old->prev;
	if (parent->child == old)
		parent->child = node;
	else
		old->prev->next = node;
	if (old->next != NULL)
		old->next->prev = node;
	else if (parent->child != node)
		parent->child->prev = node; /* the head's prev is the last */
	old->next = old->prev = NULL;
}

void
jr_graft_member(const jr_obj *o, const char *key, const jr_val *with,
    size_t key_at)
{
	SIM_ASSERT(with->L == o->v.L && cJSON_IsObject(o->v.node));
	cJSON *obj = owned(o->v.node);
	cJSON *old = obj->child;
	while (old != NULL && strcmp(old->string, key) != 0)
		old = old->next;
	if (old == NULL) {
		cJSON_AddItemToObject(obj, key, graft_take(with, NULL, key_at));
		return;
	}
	cJSON *node = graft_take(with, old, key_at);
	relink(obj, old, node);
	node->string = old->string; /* the member keeps its name */
	old->string = NULL;
}

void
jr_graft_elem(const jr_val *arr, int i, const jr_val *with)
{
	SIM_ASSERT(with->L == arr->L && cJSON_IsArray(arr->node));
	jr_doc *ad = loader_doc(arr->L, arr->doc);
	const jr_slot *sl = tab_get(ad, arr->node);
	SIM_ASSERT(i >= 0 && (size_t)i < sl->nelem);
	cJSON *old = owned(ad->elems[sl->elem0 + (size_t)i]);
	cJSON *node = graft_take(with, old, JR_NO_OFF);
	relink(owned(arr->node), old, node);
	ad->elems[sl->elem0 + (size_t)i] = node;
}

int
jr_opt_str_array(jr_obj *o, const char *key, const char ***out, int *n,
    sim_error *err)
{
	jr_val v;
	*out = NULL;
	*n = 0;
	if (!jr_get(o, key, &v))
		return 0;
	int rc = jr_array(&v, n, err);
	if (rc != 0)
		return rc;
	*out = arena_calloc(v.L->a, (size_t)(*n ? *n : 1), sizeof(**out));
	for (int i = 0; i < *n; i++) {
		jr_val e;
		jr_elem(&v, i, &e);
		if ((rc = jr_str(&e, &(*out)[i], err)) != 0)
			return rc;
	}
	return 0;
}
