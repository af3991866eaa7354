/*
 * refgen — the scenario reference from the loader's own reads (see
 * refgen.h).
 *
 * The tree: one node per path pattern. A member's node is named by its
 * key; an array's elements share one node "[]" (or one per variant,
 * "[call=X]"); the members of an object read as a map (jr_member) share
 * one node "*", except those the loader also looks up by name. Children
 * keep the order in which the loader first asked for them, which is the
 * order it reads a scenario in.
 */
#include "sim/refgen.h"

#include <float.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/simtime.h"
#include "sim/xalloc.h"

#define TYPE_BIT(k) (1u << (unsigned)(k))
#define SAFE_INT INT64_C(9007199254740992) /* 2^53 */

typedef struct irange {
	bool set, vary;
	int64_t lo, hi;
} irange;

typedef struct drange {
	bool set, vary;
	double lo, hi;
} drange;

typedef struct node {
	char *name;
	struct node *parent;
	struct node **kids;
	size_t nkids, kidcap;
	bool fixed;     /* looked up by name (not a map entry) */
	bool asked, present, required, ignored, map;
	bool expected;  /* a variant the caller expects (refgen_expect_variant) */
	unsigned types; /* TYPE_BIT(JR_ASK_OBJECT ... JR_ASK_DURATION) */
	irange ir, tr;  /* INT, DURATION */
	drange dr;      /* NUM */
	char **names;   /* ENUM */
	int nnames;
	bool has_def, def_vary;
	char *def;      /* the default as JSON text */
	char *disc;     /* array: the member that tells variants apart */
	char *source;   /* the first document that gave the member */
	char *doc;      /* what it means (jr_describe), or NULL */
	char *rejected; /* the loader's message when a scenario gives it */
	struct node *alias; /* an object read by the same code, earlier */
	uint64_t seq;   /* when the loader first asked for it (0: never) */
	bool target;    /* some object is an alias of this one */
	unsigned long nread;    /* times read as an object */
	unsigned long nfound;   /* times found present in its object */
} node;

struct refgen {
	bool finished;
	uint64_t seq;
	node *root;
	char *source;
	node *last;     /* the member most recently found present */
};

static node *
node_new(node *parent, const char *name)
{
	node *n = xcalloc(1, sizeof(*n));
	n->name = xstrdup(name);
	n->parent = parent;
	return n;
}

static void
node_free(node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	for (int i = 0; i < n->nnames; i++)
		free(n->names[i]);
	free(n->names);
	free(n->kids);
	free(n->name);
	free(n->def);
	free(n->disc);
	free(n->source);
	free(n->doc);
	free(n->rejected);
	free(n);
}

refgen *
refgen_new(void)
{
	refgen *g = xcalloc(1, sizeof(*g));
	g->root = node_new(NULL, "");
	return g;
}

void
refgen_free(refgen *g)
{
	if (g == NULL)
		return;
	node_free(g->root);
	free(g->source);
	free(g);
}

void
refgen_source(refgen *g, const char *name)
{
	free(g->source);
	g->source = xstrdup(name);
}

static node *
find_kid(const node *n, const char *name)
{
	for (size_t i = 0; i < n->nkids; i++)
		if (strcmp(n->kids[i]->name, name) == 0)
			return n->kids[i];
	return NULL;
}

static node *
kid(node *n, const char *name)
{
	node *k = find_kid(n, name);
	if (k == NULL) {
		XGROW(n->kids, n->kidcap, n->nkids + 1);
		k = n->kids[n->nkids++] = node_new(n, name);
	}
	return k;
}

/* The node at a dotted path of member names, created as needed. */
static node *
node_at(refgen *g, const char *path)
{
	node *n = g->root;
	char *p = xstrdup(path);
	for (char *s = strtok(p, "."); s != NULL; s = strtok(NULL, "."))
		n = kid(n, s);
	free(p);
	return n;
}

void
refgen_variants(refgen *g, const char *path, const char *key)
{
	node *n = node_at(g, path);
	free(n->disc);
	n->disc = xstrdup(key);
}

void
refgen_expect_variant(refgen *g, const char *path, const char *value)
{
	node *n = node_at(g, path);
	SIM_ASSERT(n->disc != NULL);
	char *name = xasprintf("[%s=%s]", n->disc, value);
	kid(n, name)->expected = true;
	free(name);
}

/* The node of value v: its parent's, then its key, element or variant. */
static node *
node_of(refgen *g, const jr_val *v)
{
	if (v->parent == NULL)
		return g->root;
	node *p = node_of(g, v->parent);
	if (v->key != NULL) {
		node *k = find_kid(p, v->key);
		if (p->map && (k == NULL || !k->fixed))
			return kid(p, "*");
		return k != NULL ? k : kid(p, v->key);
	}
	if (p->disc != NULL && cJSON_IsObject(v->node)) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(v->node, p->disc);
		if (cJSON_IsString(m)) {
			char *name = xasprintf("[%s=%s]", p->disc, m->valuestring);
			node *k = kid(p, name);
			free(name);
			return k;
		}
	}
	return kid(p, "[]");
}

static void
irange_add(irange *r, int64_t lo, int64_t hi)
{
	if (!r->set) {
		r->set = true;
		r->lo = lo;
		r->hi = hi;
	} else if (r->lo != lo || r->hi != hi) {
		r->vary = true;
	}
}

static void
drange_add(drange *r, double lo, double hi)
{
	if (!r->set) {
		r->set = true;
		r->lo = lo;
		r->hi = hi;
	} else if (r->lo < lo || r->lo > lo || r->hi < hi || r->hi > hi) {
		r->vary = true;
	}
}

static void
names_add(node *n, const char *const *names, int count)
{
	for (int i = 0; i < count; i++) {
		bool have = false;
		for (int k = 0; k < n->nnames && !have; k++)
			have = strcmp(n->names[k], names[i]) == 0;
		if (have)
			continue;
		n->names = xreallocarray(n->names, (size_t)n->nnames + 1,
		    sizeof(*n->names));
		n->names[n->nnames++] = xstrdup(names[i]);
	}
}

/* A string as JSON text (owned). */
static char *
json_string(const char *s)
{
	cJSON *j = cJSON_CreateString(s);
	char *t = cJSON_PrintUnformatted(j);
	char *out = xstrdup(t);
	cJSON_free(t);
	cJSON_Delete(j);
	return out;
}

static char *
default_text(const jr_ask *a)
{
	char buf[64];
	switch (a->type) {
	case JR_ASK_BOOL:
		return xstrdup(a->bdef ? "true" : "false");
	case JR_ASK_INT:
		return xasprintf("%" PRId64, a->idef);
	case JR_ASK_NUM:
		return xasprintf("%.15g", a->ddef);
	case JR_ASK_STR:
		return json_string(a->sdef);
	case JR_ASK_ENUM:
		return json_string(a->names[a->idef]);
	case JR_ASK_DURATION:
		return json_string(simtime_format(a->idef, buf, sizeof(buf)));
	default:
		sim_panic(__FILE__, __LINE__, "default of type %d", (int)a->type);
	}
}

/* What a value read as type k with a's bounds adds to n. */
static void
add_type(node *n, jr_ask_kind k, const jr_ask *a)
{
	n->types |= TYPE_BIT(k);
	if (k == JR_ASK_INT)
		irange_add(&n->ir, a->lo, a->hi);
	else if (k == JR_ASK_DURATION)
		irange_add(&n->tr, a->lo, a->hi);
	else if (k == JR_ASK_NUM)
		drange_add(&n->dr, a->dlo, a->dhi);
	else if (k == JR_ASK_ENUM)
		names_add(n, a->names, a->nnames);
}

void
refgen_capture(void *ctx, const jr_ask *a)
{
	refgen *g = ctx;
	node *n = node_of(g, a->v), *k;
	if (n->seq == 0)
		n->seq = ++g->seq;
	switch (a->kind) {
	case JR_ASK_DOC:
		/* a member the loader knows by name: its value is expected
		 * (the gap check), even when the object is read as a map */
		k = kid(n, a->key);
		k->fixed = true;
		k->asked = true;
		if (k->seq == 0)
			k->seq = ++g->seq;
		if (k->doc == NULL)
			k->doc = xstrdup(a->sdef);
		break;
	case JR_ASK_KEY:
	case JR_ASK_REQUIRED:
	case JR_ASK_IGNORED:
	case JR_ASK_DEFAULT:
		k = find_kid(n, a->key);
		if (k == NULL)
			k = kid(n, a->key);
		if (k->seq == 0)
			k->seq = ++g->seq;
		k->fixed = true;
		k->asked = true;
		if (a->kind == JR_ASK_KEY && a->present) {
			k->present = true;
			k->nfound++;
			g->last = k;
			if (k->source == NULL && g->source != NULL)
				k->source = xstrdup(g->source);
		}
		if (a->kind == JR_ASK_REQUIRED)
			k->required = true;
		if (a->kind == JR_ASK_IGNORED)
			k->ignored = true;
		if (a->kind == JR_ASK_DEFAULT) {
			add_type(k, a->type, a);
			if (a->has_def) {
				char *d = default_text(a);
				if (k->has_def && strcmp(k->def, d) != 0)
					k->def_vary = true;
				if (!k->has_def) {
					k->has_def = true;
					k->def = d;
				} else
					free(d);
			}
		}
		break;
	case JR_ASK_MAP:
		n->map = true;
		break;
	default:
		n->present = true;
		if (a->kind == JR_ASK_OBJECT)
			n->nread++;
		add_type(n, a->kind, a);
		break;
	}
}

typedef struct sbuf {
	char *s;
	size_t n, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *t = xvasprintf(fmt, ap);
	va_end(ap);
	size_t tl = strlen(t);
	XGROW(b->s, b->cap, b->n + tl + 1);
	memcpy(b->s + b->n, t, tl + 1);
	b->n += tl;
	free(t);
}

/* ---- walking the tree ---- */

/* n repeats an enclosing member of the same name: a wrapper such as
 * describe-task-definition's {"taskDefinition": ...}, read again inside
 * itself. Not a gap: its members are those of the enclosing one. */
static const node *
recursion_of(const node *n)
{
	for (const node *a = n->parent; a != NULL; a = a->parent)
		if (strcmp(a->name, n->name) == 0)
			return a;
	return NULL;
}

static bool
gap_here(const node *n)
{
	return n->asked && !n->present && n->types == 0 && !n->ignored &&
	    n->rejected == NULL && recursion_of(n) == NULL;
}

/* The node that documents n: n, or the member of the same name of the
 * object its parent is an alias of (read by the same code). */
static const node *
canon(const node *n)
{
	if (n->parent == NULL)
		return n;
	const node *p = canon(n->parent);
	if (p->alias != NULL)
		p = p->alias;
	if (p == n->parent)
		return n->alias != NULL ? n->alias : n;
	const node *k = find_kid(p, n->name);
	if (k == NULL)
		return n;
	return k->alias != NULL ? k->alias : k;
}

static bool
is_gap(const node *n)
{
	if (!gap_here(n))
		return false;
	const node *c = canon(n);
	return c == n || gap_here(c);
}

/* Whether every member n asks for, c asks for too. */
static bool
asks_subset(const node *n, const node *c)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const node *k = n->kids[i];
		if (!k->asked || !k->fixed)
			continue;
		const node *m = find_kid(c, k->name);
		if (m == NULL || !m->asked)
			return false;
	}
	return true;
}

static size_t
asked_count(const node *n)
{
	size_t k = 0;
	for (size_t i = 0; i < n->nkids; i++)
		k += n->kids[i]->asked && n->kids[i]->fixed;
	return k;
}

/* Add what was learnt of a (an alias) to c, recursively: c documents
 * both. */
static void
merge(node *c, const node *a)
{
	c->types |= a->types;
	if (a->ir.set) {
		irange_add(&c->ir, a->ir.lo, a->ir.hi);
		c->ir.vary |= a->ir.vary;
	}
	if (a->tr.set) {
		irange_add(&c->tr, a->tr.lo, a->tr.hi);
		c->tr.vary |= a->tr.vary;
	}
	if (a->dr.set) {
		drange_add(&c->dr, a->dr.lo, a->dr.hi);
		c->dr.vary |= a->dr.vary;
	}
	names_add(c, (const char *const *)a->names, a->nnames);
	c->asked |= a->asked;
	c->present |= a->present;
	c->ignored |= a->ignored;
	c->map |= a->map;
	c->required |= a->required;
	c->nread += a->nread;
	c->nfound += a->nfound;
	if (a->has_def && c->has_def && strcmp(a->def, c->def) != 0)
		c->def_vary = true;
	if (a->has_def && !c->has_def) {
		c->has_def = true;
		c->def = xstrdup(a->def);
		c->def_vary = a->def_vary;
	}
	if (a->doc != NULL && c->doc == NULL)
		c->doc = xstrdup(a->doc);
	if (a->rejected != NULL && c->rejected == NULL)
		c->rejected = xstrdup(a->rejected);
	if (a->disc != NULL && c->disc == NULL)
		c->disc = xstrdup(a->disc);
	for (size_t i = 0; i < a->nkids; i++) {
		const node *ak = a->kids[i];
		node *ck = find_kid(c, ak->name);
		if (ck == NULL) {
			ck = kid(c, ak->name);
			ck->fixed = ak->fixed;
			ck->seq = ak->seq;
		}
		merge(ck, ak);
	}
}

/* Objects read by one parser in several places ask for the same members
 * (a describe-* wrapper's content, a timeline call's input that is a
 * section's element), but for the few a parser asks only in some cases:
 * a later object whose members are all among those of an earlier one,
 * at least 4 and 80 % of them, is an alias of it. */
static void
find_aliases(node *n, node ***seen, size_t *nseen, size_t *cap)
{
	size_t k = asked_count(n);
	bool variant = n->name[0] == '[' && n->name[1] != ']';
	if (k >= 4 && !variant && (n->types & TYPE_BIT(JR_ASK_OBJECT))) {
		for (size_t i = 0; i < *nseen && n->alias == NULL; i++) {
			node *c = (*seen)[i];
			if (k * 5 >= asked_count(c) * 4 && asks_subset(n, c)) {
				n->alias = c;
				c->target = true;
				merge(c, n);
			}
		}
		if (n->alias == NULL) {
			XGROW(*seen, *cap, *nseen + 1);
			(*seen)[(*nseen)++] = n;
		}
	}
	if (n->alias != NULL)
		return; /* documented by the first: its members are aliases too */
	for (size_t i = 0; i < n->nkids; i++)
		find_aliases(n->kids[i], seen, nseen, cap);
}

static int
cmp_seq(const void *a, const void *b)
{
	const node *x = *(node *const *)a, *y = *(node *const *)b;
	uint64_t sx = x->seq ? x->seq : UINT64_MAX, sy = y->seq ? y->seq : UINT64_MAX;
	return sx < sy ? -1 : sx > sy;
}

/* Members in the order the loader first asked for them (a node made by
 * refgen_variants before any read takes its place); elements and
 * variants keep theirs (the order of the calls the loader knows). */
static void
order_kids(node *n)
{
	bool brackets = false;
	for (size_t i = 0; i < n->nkids; i++)
		brackets |= n->kids[i]->name[0] == '[';
	if (!brackets && n->nkids > 1)
		qsort(n->kids, n->nkids, sizeof(*n->kids), cmp_seq);
	for (size_t i = 0; i < n->nkids; i++)
		order_kids(n->kids[i]);
}

static bool
irange_differs(const irange *a, const irange *b)
{
	return a->set && b->set && (a->vary || b->vary || a->lo != b->lo ||
	    a->hi != b->hi);
}

/* The members every variant of an array shares (a timeline entry's "at")
 * are read by the same code: when their bounds differ between variants
 * (set by another member), they depend on other values in all. */
static void
unify_variants(node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		unify_variants(n->kids[i]);
	if (n->disc == NULL)
		return;
	for (size_t i = 0; i < n->nkids; i++) {
		for (size_t m = 0; m < n->kids[i]->nkids; m++) {
			node *a = n->kids[i]->kids[m];
			for (size_t j = 0; j < n->nkids; j++) {
				node *b = find_kid(n->kids[j], a->name);
				if (b == NULL || b == a)
					continue;
				if (irange_differs(&a->ir, &b->ir))
					a->ir.vary = b->ir.vary = true;
				if (irange_differs(&a->tr, &b->tr))
					a->tr.vary = b->tr.vary = true;
			}
		}
	}
}

void
refgen_finish(refgen *g)
{
	if (g->finished)
		return;
	order_kids(g->root);
	unify_variants(g->root);
	node **seen = NULL;
	size_t nseen = 0, cap = 0;
	find_aliases(g->root, &seen, &nseen, &cap);
	free(seen);
	g->finished = true;
}

void
refgen_failed(refgen *g, const char *path, const char *msg)
{
	node *k = g->last;
	if (k == NULL || k->types != 0)
		return;
	size_t pl = strlen(path), kl = strlen(k->name);
	if (pl < kl || strcmp(path + pl - kl, k->name) != 0)
		return;
	if (k->rejected == NULL)
		k->rejected = xstrdup(msg);
}

/* The pattern of n ("services[].deploymentConfiguration"). */
static void
path_of(const node *n, char *buf, size_t size)
{
	if (n->parent == NULL) {
		buf[0] = '\0';
		return;
	}
	path_of(n->parent, buf, size);
	size_t len = strlen(buf);
	if (n->name[0] == '[')
		snprintf(buf + len, size - len, "%s", n->name);
	else
		snprintf(buf + len, size - len, "%s%s", len ? "." : "", n->name);
}

static size_t
gaps(const node *n, FILE *f)
{
	size_t count = 0;
	char path[512];
	if (is_gap(n)) {
		path_of(n->parent, path, sizeof(path));
		fprintf(f, "%s: %s\n", path[0] ? path : "(top level)", n->name);
		count++;
	}
	if (n->expected && !n->present) {
		path_of(n, path, sizeof(path));
		fprintf(f, "%s: no element of this kind\n", path);
		count++;
	}
	for (size_t i = 0; i < n->nkids; i++)
		count += gaps(n->kids[i], f);
	return count;
}

size_t
refgen_gaps(const refgen *g, FILE *f)
{
	SIM_ASSERT(g->finished);
	return gaps(g->root, f);
}

static void
keys(const node *n, FILE *f)
{
	char path[512];
	if (n->parent != NULL && n->name[0] != '[' && strcmp(n->name, "*") != 0) {
		path_of(n->parent, path, sizeof(path));
		fprintf(f, "%s\t%s\n", path, n->name);
	}
	for (size_t i = 0; i < n->nkids; i++)
		keys(n->kids[i], f);
}

void
refgen_keys(const refgen *g, FILE *f)
{
	keys(g->root, f);
}

/* ---- the type of a node in words ---- */

static void
int_range_text(sbuf *b, const irange *r)
{
	if (r->vary)
		sb_printf(b, " (bounds depend on other values)");
	else if (r->lo == INT64_MIN && r->hi == INT64_MAX)
		return;
	else if (r->hi == INT64_MAX || r->hi >= SAFE_INT)
		sb_printf(b, " ≥ %" PRId64, r->lo);
	else if (r->lo == INT64_MIN)
		sb_printf(b, " ≤ %" PRId64, r->hi);
	else
		sb_printf(b, " in [%" PRId64 ", %" PRId64 "]", r->lo, r->hi);
}

static void
num_range_text(sbuf *b, const drange *r)
{
	if (r->vary)
		sb_printf(b, " (bounds depend on other values)");
	else if (r->lo <= -DBL_MAX && r->hi >= DBL_MAX)
		return;
	else if (r->hi >= DBL_MAX)
		sb_printf(b, " ≥ %g", r->lo);
	else if (r->lo <= -DBL_MAX)
		sb_printf(b, " ≤ %g", r->hi);
	else
		sb_printf(b, " in [%g, %g]", r->lo, r->hi);
}

static void
dur_range_text(sbuf *b, const irange *r)
{
	char lo[32], hi[32];
	if (r->vary) {
		sb_printf(b, " (bounds depend on other values)");
		return;
	}
	simtime_format(r->lo < 0 ? 0 : r->lo, lo, sizeof(lo));
	if (r->hi >= SIM_DURATION_MAX)
		sb_printf(b, " ≥ %s", lo);
	else
		sb_printf(b, " in [%s, %s]", lo,
		    simtime_format(r->hi, hi, sizeof(hi)));
}

static void type_text(sbuf *b, const node *n, bool md);

static void
elem_text(sbuf *b, const node *arr, bool md)
{
	size_t nvar = 0;
	for (size_t i = 0; i < arr->nkids; i++)
		if (arr->kids[i]->name[0] == '[' && arr->kids[i]->name[1] != ']')
			nvar++;
	if (nvar > 0) {
		sb_printf(b, "objects, one of %zu kinds by %s%s%s", nvar,
		    md ? "`" : "", arr->disc, md ? "`" : "");
		return;
	}
	const node *e = find_kid(arr, "[]");
	if (e == NULL || e->types == 0)
		sb_printf(b, "anything");
	else
		type_text(b, e, md);
}

static void
type_text(sbuf *b, const node *n, bool md)
{
	const char *sep = "";
	if (n->types & TYPE_BIT(JR_ASK_OBJECT)) {
		if (n->map) {
			const node *e = find_kid(n, "*");
			sb_printf(b, "map of names to ");
			if (e == NULL || e->types == 0)
				sb_printf(b, "anything");
			else
				type_text(b, e, md);
		} else
			sb_printf(b, "object");
		sep = " or ";
	}
	if (n->types & TYPE_BIT(JR_ASK_ARRAY)) {
		sb_printf(b, "%sarray of ", sep);
		elem_text(b, n, md);
		sep = " or ";
	}
	if (n->types & TYPE_BIT(JR_ASK_BOOL)) {
		sb_printf(b, "%sboolean", sep);
		sep = " or ";
	}
	if (n->types & TYPE_BIT(JR_ASK_INT)) {
		sb_printf(b, "%sinteger", sep);
		int_range_text(b, &n->ir);
		sep = " or ";
	}
	if (n->types & TYPE_BIT(JR_ASK_NUM)) {
		sb_printf(b, "%snumber", sep);
		num_range_text(b, &n->dr);
		sep = " or ";
	}
	if (n->types & TYPE_BIT(JR_ASK_DURATION)) {
		sb_printf(b, "%sduration", sep);
		dur_range_text(b, &n->tr);
		sep = " or ";
	}
	if (n->types & TYPE_BIT(JR_ASK_ENUM)) {
		sb_printf(b, "%sone of ", sep);
		for (int i = 0; i < n->nnames; i++)
			sb_printf(b, "%s%s%s%s", i ? ", " : "", md ? "`" : "\"",
			    n->names[i], md ? "`" : "\"");
		sep = " or ";
	}
	if (n->types & TYPE_BIT(JR_ASK_STR))
		sb_printf(b, "%sstring", sep);
	if (n->types == 0 && n->rejected != NULL)
		sb_printf(b, "not supported");
	else if (n->types == 0 && recursion_of(n) != NULL)
		sb_printf(b, "object (the same members as the enclosing %s%s%s)",
		    md ? "`" : "\"", n->name, md ? "`" : "\"");
	else if (n->types == 0)
		sb_printf(b, "%s", n->ignored ? "accepted, not read" :
		    n->present ? "any (not read)" : "unknown");
}

/* Free text about n (required, ignored, ...). */
/* Required in every form of its object (a describe-* wrapper is another
 * form: there the member is inside). */
static bool
always_required(const node *n)
{
	return n->required && n->parent != NULL && n->nfound >= n->parent->nread;
}

static void
notes_text(sbuf *b, const node *n)
{
	const char *sep = "";
	if (n->doc != NULL) {
		sb_printf(b, "%s", n->doc);
		sep = "; ";
	}
	if (n->required) {
		sb_printf(b, "%s", always_required(n) ? "required" :
		    "required in some forms");
		sep = "; ";
	}
	if (n->types == 0 && n->rejected != NULL)
		sb_printf(b, "%srejected: %s", sep, n->rejected);
	else if (n->types == 0 && n->ignored)
		sb_printf(b, "%sa read-only or informational member: accepted, "
		    "ignored", sep);
	else if (n->types == 0 && n->present)
		sb_printf(b, "%saccepted; has no effect in the simulation", sep);
	else if (is_gap(n))
		sb_printf(b, "%sNOT COVERED: no reference scenario gives it", sep);
}

/* ---- Markdown ---- */

static void
md_cell(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

static bool
is_section(const node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i]->name[0] != '[' && strcmp(n->kids[i]->name, "*") != 0)
			return true;
	return false;
}

static void
md_table(FILE *f, const node *n)
{
	char path[512];
	path_of(n, path, sizeof(path));
	int depth = 0;
	for (const node *p = n; p->parent != NULL; p = p->parent)
		if (p->name[0] != '[')
			depth++;
	if (n->parent == NULL)
		fputs("## Top level\n\n", f);
	else
		fprintf(f, "%s `%s`\n\n", depth <= 1 ? "##" : "###", path);
	if (n->map)
		fprintf(f, "Its members are names (any name)%s; each value is %s.\n\n",
		    n->nkids > 1 ? ", besides the ones below" : "",
		    find_kid(n, "*") && find_kid(n, "*")->types ? "described in `*` below" :
		    "free");
	fputs("| member | type | default | notes |\n|---|---|---|---|\n", f);
	for (size_t i = 0; i < n->nkids; i++) {
		const node *k = n->kids[i];
		if (k->name[0] == '[')
			continue;
		sbuf t = {0}, no = {0};
		sb_printf(&t, "%s", "");
		sb_printf(&no, "%s", "");
		type_text(&t, k, true);
		notes_text(&no, k);
		fputs("| `", f);
		md_cell(f, k->name);
		fputs("` | ", f);
		md_cell(f, t.s);
		fputs(" | ", f);
		if (k->has_def && !k->def_vary) {
			fputc('`', f);
			md_cell(f, k->def);
			fputc('`', f);
		} else if (k->has_def)
			fputs("depends on other values", f);
		fputs(" | ", f);
		md_cell(f, no.s);
		fputs(" |\n", f);
		free(t.s);
		free(no.s);
	}
	fputc('\n', f);
}

static void
md_walk(FILE *f, const node *n)
{
	if (n->alias != NULL) {
		char path[512], apath[512];
		path_of(n, path, sizeof(path));
		path_of(n->alias, apath, sizeof(apath));
		fprintf(f, "### `%s`\n\nThe same members as `%s` (read by the same "
		    "code).\n\n", path, apath);
		return;
	}
	if (is_section(n))
		md_table(f, n);
	for (size_t i = 0; i < n->nkids; i++)
		md_walk(f, n->kids[i]);
}

void
refgen_markdown(const refgen *g, FILE *f, const char *intro)
{
	SIM_ASSERT(g->finished);
	fputs(intro, f);
	fputc('\n', f);
	md_walk(f, g->root);
}

/* ---- JSON Schema ---- */

typedef struct sctx {
	cJSON *defs;          /* $defs of the schema */
	const node **done;    /* canonical objects already in $defs */
	size_t ndone, cap;
} sctx;

static cJSON *schema_of(sctx *x, const node *n, bool top);

static void
set_desc(cJSON *s, const node *n)
{
	sbuf t = {0}, no = {0};
	type_text(&t, n, false);
	notes_text(&no, n);
	if (no.n > 0)
		sb_printf(&t, " (%s)", no.s);
	if (n->has_def && !n->def_vary)
		sb_printf(&t, "; default %s", n->def);
	cJSON_AddStringToObject(s, "description", t.s);
	free(t.s);
	free(no.s);
	if (n->has_def && !n->def_vary) {
		cJSON *d = cJSON_Parse(n->def);
		if (d != NULL)
			cJSON_AddItemToObject(s, "default", d);
	}
}

static void
add_bounds(cJSON *s, double lo, double hi, bool lo_ok, bool hi_ok)
{
	if (lo_ok)
		cJSON_AddNumberToObject(s, "minimum", lo);
	if (hi_ok)
		cJSON_AddNumberToObject(s, "maximum", hi);
}

static cJSON *
object_schema(sctx *x, const node *n, bool top)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "object");
	cJSON *props = cJSON_AddObjectToObject(o, "properties");
	cJSON *req = cJSON_CreateArray();
	for (size_t i = 0; i < n->nkids; i++) {
		const node *k = n->kids[i];
		if (k->name[0] == '[' || strcmp(k->name, "*") == 0)
			continue;
		cJSON_AddItemToObject(props, k->name, schema_of(x, k, false));
		if (always_required(k))
			cJSON_AddItemToArray(req, cJSON_CreateString(k->name));
	}
	if (cJSON_GetArraySize(req) > 0)
		cJSON_AddItemToObject(o, "required", req);
	else
		cJSON_Delete(req);
	const node *e = find_kid(n, "*");
	if (n->map)
		cJSON_AddItemToObject(o, "additionalProperties",
		    e != NULL ? schema_of(x, e, false) : cJSON_CreateObject());
	else
		cJSON_AddFalseToObject(o, "additionalProperties");
	if (top)
		return o;
	/* any object may be {"file": "x.json"} */
	cJSON *any = cJSON_CreateObject();
	cJSON *alts = cJSON_AddArrayToObject(any, "anyOf");
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "$ref", "#/$defs/fileRef");
	cJSON_AddItemToArray(alts, ref);
	cJSON_AddItemToArray(alts, o);
	return any;
}

static cJSON *
array_schema(sctx *x, const node *n)
{
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "type", "array");
	size_t nvar = 0;
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i]->name[0] == '[' && n->kids[i]->name[1] != ']')
			nvar++;
	if (nvar == 0) {
		const node *e = find_kid(n, "[]");
		cJSON_AddItemToObject(a, "items",
		    e != NULL ? schema_of(x, e, false) : cJSON_CreateObject());
		return a;
	}
	cJSON *items = cJSON_AddObjectToObject(a, "items");
	cJSON_AddStringToObject(items, "type", "object");
	cJSON *props = cJSON_AddObjectToObject(items, "properties");
	cJSON *dp = cJSON_AddObjectToObject(props, n->disc);
	cJSON *en = cJSON_AddArrayToObject(dp, "enum");
	cJSON *all = cJSON_AddArrayToObject(items, "allOf");
	size_t plen = strlen(n->disc) + 2;
	for (size_t i = 0; i < n->nkids; i++) {
		const node *v = n->kids[i];
		if (v->name[0] != '[' || v->name[1] == ']')
			continue;
		char *val = xstrndup(v->name + plen, strlen(v->name) - plen - 1);
		cJSON_AddItemToArray(en, cJSON_CreateString(val));
		cJSON *rule = cJSON_CreateObject();
		cJSON *cond = cJSON_AddObjectToObject(rule, "if");
		cJSON *cp = cJSON_AddObjectToObject(cond, "properties");
		cJSON *cv = cJSON_AddObjectToObject(cp, n->disc);
		cJSON_AddStringToObject(cv, "const", val);
		cJSON *creq = cJSON_AddArrayToObject(cond, "required");
		cJSON_AddItemToArray(creq, cJSON_CreateString(n->disc));
		cJSON_AddItemToObject(rule, "then", schema_of(x, v, false));
		cJSON_AddItemToArray(all, rule);
		free(val);
	}
	return a;
}

/* The $defs name of canonical object c: its pattern in letters, digits
 * and '_' ("services[]" -> "services_item"). */
static void
def_name(const node *c, char *buf, size_t size)
{
	char path[512];
	size_t n = 0;
	path_of(c, path, sizeof(path));
	for (const char *p = path; *p != '\0' && n + 6 < size; p++) {
		if (p[0] == '[' && p[1] == ']') {
			n += (size_t)snprintf(buf + n, size - n, "_item");
			p++;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9')) {
			buf[n++] = *p;
		} else if (n > 0 && buf[n - 1] != '_') {
			buf[n++] = '_';
		}
	}
	buf[n] = '\0';
}

static cJSON *schema_body(sctx *x, const node *n, bool top);

/* An object that others alias is described once, in $defs, and named
 * by $ref everywhere (itself included): aliases may nest in it. */
static cJSON *
schema_of(sctx *x, const node *n, bool top)
{
	const node *c = n->alias != NULL ? n->alias : n;
	if (top || !c->target)
		return schema_body(x, n, top);
	char name[300], ref[320];
	def_name(c, name, sizeof(name));
	bool done = false;
	for (size_t i = 0; i < x->ndone && !done; i++)
		done = x->done[i] == c;
	if (!done) {
		XGROW(x->done, x->cap, x->ndone + 1);
		x->done[x->ndone++] = c;
		cJSON *body = schema_body(x, c, false);
		cJSON_DeleteItemFromObjectCaseSensitive(body, "description");
		cJSON_DeleteItemFromObjectCaseSensitive(body, "default");
		cJSON_AddItemToObject(x->defs, name, body);
	}
	cJSON *s = cJSON_CreateObject();
	snprintf(ref, sizeof(ref), "#/$defs/%s", name);
	cJSON_AddStringToObject(s, "$ref", ref);
	set_desc(s, n);
	return s;
}

static cJSON *
schema_body(sctx *x, const node *n, bool top)
{
	cJSON *alts = cJSON_CreateArray();
	cJSON *s;
	if (n->types & TYPE_BIT(JR_ASK_OBJECT))
		cJSON_AddItemToArray(alts, object_schema(x, n, top));
	if (n->types & TYPE_BIT(JR_ASK_ARRAY))
		cJSON_AddItemToArray(alts, array_schema(x, n));
	if (n->types & TYPE_BIT(JR_ASK_BOOL)) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "type", "boolean");
		cJSON_AddItemToArray(alts, s);
	}
	if (n->types & TYPE_BIT(JR_ASK_INT)) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "type", "integer");
		if (!n->ir.vary)
			add_bounds(s, (double)n->ir.lo, (double)n->ir.hi,
			    n->ir.lo > -SAFE_INT, n->ir.hi < SAFE_INT);
		cJSON_AddItemToArray(alts, s);
	}
	if (n->types & TYPE_BIT(JR_ASK_NUM)) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "type", "number");
		if (!n->dr.vary)
			add_bounds(s, n->dr.lo, n->dr.hi, n->dr.lo > -DBL_MAX,
			    n->dr.hi < DBL_MAX);
		cJSON_AddItemToArray(alts, s);
	}
	if (n->types & TYPE_BIT(JR_ASK_DURATION)) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "type", "number");
		if (!n->tr.vary)
			add_bounds(s, simtime_to_seconds(n->tr.lo < 0 ? 0 : n->tr.lo),
			    simtime_to_seconds(n->tr.hi), true,
			    n->tr.hi < SIM_DURATION_MAX);
		cJSON_AddItemToArray(alts, s);
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "type", "string");
		cJSON_AddStringToObject(s, "pattern",
		    "^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$");
		cJSON_AddNumberToObject(s, "minLength", 2);
		cJSON_AddItemToArray(alts, s);
	}
	if (n->types & TYPE_BIT(JR_ASK_ENUM)) {
		s = cJSON_CreateObject();
		cJSON *en = cJSON_AddArrayToObject(s, "enum");
		for (int i = 0; i < n->nnames; i++)
			cJSON_AddItemToArray(en, cJSON_CreateString(n->names[i]));
		cJSON_AddItemToArray(alts, s);
	}
	if (n->types & TYPE_BIT(JR_ASK_STR)) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "type", "string");
		cJSON_AddItemToArray(alts, s);
	}
	if (n->types == 0 && n->rejected != NULL) {
		/* the loader refuses it */
		cJSON_AddItemToArray(alts, cJSON_CreateFalse());
	}
	int na = cJSON_GetArraySize(alts);
	if (na == 1 && n->types == 0) {
		/* false cannot carry a description */
		cJSON_Delete(alts);
		s = cJSON_CreateObject();
		cJSON_AddItemToObject(s, "not", cJSON_CreateObject());
	} else if (na == 1) {
		s = cJSON_DetachItemFromArray(alts, 0);
		cJSON_Delete(alts);
	} else {
		s = cJSON_CreateObject();
		if (na > 1)
			cJSON_AddItemToObject(s, "anyOf", alts);
		else
			cJSON_Delete(alts);
	}
	if (!top)
		set_desc(s, n);
	return s;
}

void
refgen_schema(const refgen *g, FILE *f, const char *title,
    const char *description)
{
	SIM_ASSERT(g->finished);
	sctx x = {0};
	x.defs = cJSON_CreateObject();
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "$schema",
	    "https://json-schema.org/draft/2020-12/schema");
	cJSON_AddStringToObject(s, "title", title);
	cJSON_AddStringToObject(s, "description", description);
	cJSON *body = schema_of(&x, g->root, true);
	for (cJSON *m = body->child; m != NULL;) {
		cJSON *next = m->next;
		cJSON_AddItemToObject(s, m->string,
		    cJSON_DetachItemViaPointer(body, m));
		m = next;
	}
	cJSON_Delete(body);
	free(x.done);
	cJSON *defs = x.defs;
	cJSON_AddItemToObject(s, "$defs", defs);
	cJSON *ref = cJSON_AddObjectToObject(defs, "fileRef");
	cJSON_AddStringToObject(ref, "description",
	    "the object is read from this JSON file, relative to the file that "
	    "names it");
	cJSON_AddStringToObject(ref, "type", "object");
	cJSON *rp = cJSON_AddObjectToObject(ref, "properties");
	cJSON *fp = cJSON_AddObjectToObject(rp, "file");
	cJSON_AddStringToObject(fp, "type", "string");
	cJSON *rr = cJSON_AddArrayToObject(ref, "required");
	cJSON_AddItemToArray(rr, cJSON_CreateString("file"));
	cJSON_AddFalseToObject(ref, "additionalProperties");
	char *text = cJSON_Print(s);
	fputs(text, f);
	fputc('\n', f);
	cJSON_free(text);
	cJSON_Delete(s);
}
