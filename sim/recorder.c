/*
 * recorder — growable columns, an append-only event log and small
 * field lists for facts (see recorder.h). Strings are interned in an
 * arena owned by the recorder.
 */
#include "sim/recorder.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/arena.h"
#include "sim/error.h"
#include "sim/xalloc.h"

typedef struct rec_kv {
	const char *key, *value;
} rec_kv;

typedef struct rec_assumption {
	const char *name, *value, *tag, *note;
} rec_assumption;

/* A column stores rows [first, first + n); rows outside read as NaN, so a
 * series that starts late (a new revision on day 30) costs nothing for
 * the rows before it. */
typedef struct rec_col {
	const char *name, *unit;
	double *v;
	size_t first;  /* row of v[0] */
	size_t n, cap;
} rec_col;

typedef struct rec_field {
	const char *key;    /* interned: keys compare by pointer */
	rec_value v;
} rec_field;

struct rec_fact {
	recorder *r;
	rec_field *fields;
	size_t n, cap;
};

/* The recorder keeps one copy of each fact key, fact string value and
 * event source and kind (a month of scaling activities repeats a few
 * hundred of them a hundred thousand times): an open-addressing set of
 * strings in the arena, and a small cache from the caller's key pointers
 * (usually literals) to the interned copies. */
#define KEY_CACHE 256

typedef struct intern_set {
	const char **slot;
	size_t mask, n;
	const char *cache_from[KEY_CACHE], *cache_to[KEY_CACHE];
} intern_set;

typedef struct rec_table {
	const char *name;
	rec_fact **facts;
	size_t n, cap;
} rec_table;

struct recorder {
	arena *a;
	rec_kv *info;
	size_t ninfo, capinfo;
	rec_assumption *assume;
	size_t nassume, capassume;
	rec_col *cols;
	size_t ncols, capcols;
	int *col_idx;          /* hash of series names: id + 1, 0 empty */
	size_t col_mask;
	sim_time *rows;
	size_t nrows, caprows;
	rec_event *events;
	size_t nevents, capevents;
	rec_table *tables;
	size_t ntables, captables;
	intern_set strings;
};

static uint64_t
str_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

/* The interned copy of s, or NULL when there is none. */
static const char *
intern_find(const recorder *r, const char *s)
{
	const intern_set *x = &r->strings;
	if (x->slot == NULL)
		return NULL;
	size_t h = (size_t)str_hash(s) & x->mask;
	while (x->slot[h] != NULL) {
		if (strcmp(x->slot[h], s) == 0)
			return x->slot[h];
		h = (h + 1) & x->mask;
	}
	return NULL;
}

/* The one copy of s. */
static const char *
intern(recorder *r, const char *s)
{
	intern_set *x = &r->strings;
	if (2 * (x->n + 1) > x->mask + 1) {
		size_t cap = x->slot ? 2 * (x->mask + 1) : 1024;
		const char **ns = xcalloc(cap, sizeof(*ns));
		for (size_t i = 0; x->slot && i <= x->mask; i++)
			if (x->slot[i] != NULL) {
				size_t h = (size_t)str_hash(x->slot[i]) & (cap - 1);
				while (ns[h] != NULL)
					h = (h + 1) & (cap - 1);
				ns[h] = x->slot[i];
			}
		free(x->slot);
		x->slot = ns;
		x->mask = cap - 1;
	}
	size_t h = (size_t)str_hash(s) & x->mask;
	while (x->slot[h] != NULL) {
		if (strcmp(x->slot[h], s) == 0)
			return x->slot[h];
		h = (h + 1) & x->mask;
	}
	x->n++;
	return x->slot[h] = arena_strdup(r->a, s);
}

/* intern for keys, which are usually literals: through the pointer cache
 * (one comparison confirms a hit, so a reused buffer is safe). */
static const char *
intern_key(recorder *r, const char *key)
{
	intern_set *x = &r->strings;
	size_t c = ((uintptr_t)key >> 3) & (KEY_CACHE - 1);
	if (x->cache_from[c] == key && strcmp(x->cache_to[c], key) == 0)
		return x->cache_to[c];
	const char *k = intern(r, key);
	x->cache_from[c] = key;
	x->cache_to[c] = k;
	return k;
}

recorder *
rec_new(void)
{
	recorder *r = xcalloc(1, sizeof(*r));
	r->a = arena_new();
	return r;
}

void
rec_free(recorder *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->ncols; i++)
		free(r->cols[i].v);
	free(r->cols);
	free(r->rows);
	free(r->events);
	for (size_t i = 0; i < r->ntables; i++) {
		for (size_t k = 0; k < r->tables[i].n; k++)
			free(r->tables[i].facts[k]->fields);
		free(r->tables[i].facts);
	}
	free(r->tables);
	free(r->info);
	free(r->assume);
	free(r->strings.slot);
	free(r->col_idx);
	arena_free(r->a);
	free(r);
}

void
rec_info(recorder *r, const char *key, const char *value)
{
	for (size_t i = 0; i < r->ninfo; i++)
		if (strcmp(r->info[i].key, key) == 0) {
			r->info[i].value = arena_strdup(r->a, value);
			return;
		}
	XGROW(r->info, r->capinfo, r->ninfo + 1);
	r->info[r->ninfo].key = arena_strdup(r->a, key);
	r->info[r->ninfo].value = arena_strdup(r->a, value);
	r->ninfo++;
}

size_t rec_info_count(const recorder *r) { return r->ninfo; }

void
rec_info_at(const recorder *r, size_t i, const char **key, const char **value)
{
	*key = r->info[i].key;
	*value = r->info[i].value;
}

const char *
rec_info_get(const recorder *r, const char *key)
{
	for (size_t i = 0; i < r->ninfo; i++)
		if (strcmp(r->info[i].key, key) == 0)
			return r->info[i].value;
	return NULL;
}

void
rec_assume(recorder *r, const char *name, const char *value, const char *tag,
    const char *note)
{
	rec_assumption *a = NULL;
	for (size_t i = 0; i < r->nassume; i++)
		if (strcmp(r->assume[i].name, name) == 0)
			a = &r->assume[i];
	if (a == NULL) {
		XGROW(r->assume, r->capassume, r->nassume + 1);
		a = &r->assume[r->nassume++];
		a->name = arena_strdup(r->a, name);
	}
	a->value = arena_strdup(r->a, value);
	a->tag = arena_strdup(r->a, tag);
	a->note = arena_strdup(r->a, note ? note : "");
}

size_t rec_assumption_count(const recorder *r) { return r->nassume; }

void
rec_assumption_at(const recorder *r, size_t i, const char **name,
    const char **value, const char **tag, const char **note)
{
	*name = r->assume[i].name;
	*value = r->assume[i].value;
	*tag = r->assume[i].tag;
	*note = r->assume[i].note;
}

int
rec_series_find(const recorder *r, const char *name)
{
	if (r->col_idx == NULL)
		return -1;
	size_t h = (size_t)str_hash(name) & r->col_mask;
	for (; r->col_idx[h] != 0; h = (h + 1) & r->col_mask)
		if (strcmp(r->cols[r->col_idx[h] - 1].name, name) == 0)
			return r->col_idx[h] - 1;
	return -1;
}

/* Index series id under its name (a hash: a month of deployments
 * registers thousands of series, each look-up was a scan). */
static void
col_index(recorder *r, size_t id)
{
	if (r->col_idx == NULL || 2 * (id + 1) > r->col_mask + 1) {
		size_t cap = r->col_idx ? 2 * (r->col_mask + 1) : 256;
		free(r->col_idx);
		r->col_idx = xcalloc(cap, sizeof(*r->col_idx));
		r->col_mask = cap - 1;
		for (size_t i = 0; i < id; i++)
			col_index(r, i);
	}
	size_t h = (size_t)str_hash(r->cols[id].name) & r->col_mask;
	while (r->col_idx[h] != 0)
		h = (h + 1) & r->col_mask;
	r->col_idx[h] = (int)id + 1;
}

int
rec_series(recorder *r, const char *name, const char *unit)
{
	int id = rec_series_find(r, name);
	if (id >= 0)
		return id;
	XGROW(r->cols, r->capcols, r->ncols + 1);
	rec_col *c = &r->cols[r->ncols];
	memset(c, 0, sizeof(*c));
	c->name = arena_strdup(r->a, name);
	c->unit = arena_strdup(r->a, unit ? unit : "");
	col_index(r, r->ncols);
	return (int)r->ncols++;
}

size_t rec_series_count(const recorder *r) { return r->ncols; }
const char *rec_series_name(const recorder *r, int id) { return r->cols[id].name; }
const char *rec_series_unit(const recorder *r, int id) { return r->cols[id].unit; }

void
rec_row(recorder *r, sim_time t)
{
	SIM_ASSERT(r->nrows == 0 || t >= r->rows[r->nrows - 1]);
	XGROW(r->rows, r->caprows, r->nrows + 1);
	r->rows[r->nrows++] = t;
}

void
rec_put(recorder *r, int id, double v)
{
	SIM_ASSERT(id >= 0 && (size_t)id < r->ncols && r->nrows > 0);
	rec_col *c = &r->cols[id];
	size_t row = r->nrows - 1;
	if (c->n == 0)
		c->first = row;
	size_t at = row - c->first;
	if (c->n <= at) {
		XGROW(c->v, c->cap, at + 1);
		for (size_t i = c->n; i < at; i++)
			c->v[i] = (double)NAN;
		c->n = at + 1;
	}
	c->v[at] = v;
}

size_t rec_row_count(const recorder *r) { return r->nrows; }
sim_time rec_row_time(const recorder *r, size_t row) { return r->rows[row]; }

double
rec_get(const recorder *r, int id, size_t row)
{
	const rec_col *c = &r->cols[id];
	return row >= c->first && row - c->first < c->n ? c->v[row - c->first] : (double)NAN;
}

void
rec_event_add(recorder *r, sim_time t, const char *source, const char *kind,
    const char *fmt, ...)
{
	SIM_ASSERT(r->nevents == 0 || t >= r->events[r->nevents - 1].t);
	XGROW(r->events, r->capevents, r->nevents + 1);
	rec_event *e = &r->events[r->nevents++];
	e->t = t;
	e->source = intern(r, source);
	e->kind = intern(r, kind);
	va_list ap;
	va_start(ap, fmt);
	e->text = arena_vprintf(r->a, fmt, ap); /* whole, never cut */
	va_end(ap);
}

size_t rec_event_count(const recorder *r) { return r->nevents; }
const rec_event *rec_event_at(const recorder *r, size_t i) { return &r->events[i]; }

static rec_table *
table_find(const recorder *r, const char *name)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (strcmp(r->tables[i].name, name) == 0)
			return &r->tables[i];
	return NULL;
}

rec_fact *
rec_fact_new(recorder *r, const char *table)
{
	rec_table *t = table_find(r, table);
	if (t == NULL) {
		XGROW(r->tables, r->captables, r->ntables + 1);
		t = &r->tables[r->ntables++];
		memset(t, 0, sizeof(*t));
		t->name = arena_strdup(r->a, table);
	}
	rec_fact *f = ARENA_NEW(r->a, rec_fact);
	f->r = r;
	XGROW(t->facts, t->cap, t->n + 1);
	t->facts[t->n++] = f;
	return f;
}

/* The field named key, or NULL. */
static rec_field *
field_find(const rec_fact *f, const char *key)
{
	const intern_set *x = &f->r->strings;
	size_t c = ((uintptr_t)key >> 3) & (KEY_CACHE - 1);
	const char *k = x->cache_from[c] == key && strcmp(x->cache_to[c], key) == 0 ?
	    x->cache_to[c] : intern_find(f->r, key);
	if (k == NULL)
		return NULL; /* no fact has that key */
	for (size_t i = 0; i < f->n; i++)
		if (f->fields[i].key == k)
			return &f->fields[i];
	return NULL;
}

static rec_field *
field_slot(rec_fact *f, const char *key)
{
	rec_field *fl = field_find(f, key);
	if (fl != NULL)
		return fl;
	/* facts have a dozen fields at most: grow by a few, not doubling */
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap + 4 : 8;
		f->fields = xreallocarray(f->fields, f->cap, sizeof(*f->fields));
	}
	fl = &f->fields[f->n++];
	memset(fl, 0, sizeof(*fl));
	fl->key = intern_key(f->r, key);
	return fl;
}

void
rec_fact_str(rec_fact *f, const char *key, const char *value)
{
	rec_field *fl = field_slot(f, key);
	fl->v.type = REC_STR;
	fl->v.s = intern(f->r, value ? value : "");
}

void
rec_fact_num(rec_fact *f, const char *key, double value)
{
	rec_field *fl = field_slot(f, key);
	fl->v.type = REC_NUM;
	fl->v.num = value;
}

void
rec_fact_int(rec_fact *f, const char *key, int64_t value)
{
	rec_field *fl = field_slot(f, key);
	fl->v.type = REC_INT;
	fl->v.i = value;
}

void
rec_fact_time(rec_fact *f, const char *key, sim_time value)
{
	rec_field *fl = field_slot(f, key);
	fl->v.type = REC_TIME;
	fl->v.i = value;
}

void
rec_fact_bool(rec_fact *f, const char *key, bool value)
{
	rec_field *fl = field_slot(f, key);
	fl->v.type = REC_BOOL;
	fl->v.i = value;
}

void
rec_fact_add_int(rec_fact *f, const char *key, int64_t delta)
{
	const rec_value *v = rec_fact_get(f, key);
	rec_fact_int(f, key, (v && v->type == REC_INT ? v->i : 0) + delta);
}

size_t
rec_fact_count(const recorder *r, const char *table)
{
	const rec_table *t = table_find(r, table);
	return t ? t->n : 0;
}

rec_fact *
rec_fact_at(const recorder *r, const char *table, size_t i)
{
	const rec_table *t = table_find(r, table);
	return t && i < t->n ? t->facts[i] : NULL;
}

size_t rec_table_count(const recorder *r) { return r->ntables; }
const char *rec_table_name(const recorder *r, size_t i) { return r->tables[i].name; }
size_t rec_fact_field_count(const rec_fact *f) { return f->n; }

const char *
rec_fact_field_at(const rec_fact *f, size_t i, const rec_value **value)
{
	*value = &f->fields[i].v;
	return f->fields[i].key;
}

const rec_value *
rec_fact_get(const rec_fact *f, const char *key)
{
	const rec_field *fl = field_find(f, key);
	return fl ? &fl->v : NULL;
}

const char *
rec_fact_get_str(const rec_fact *f, const char *key)
{
	const rec_value *v = rec_fact_get(f, key);
	return v && v->type == REC_STR ? v->s : NULL;
}

double
rec_fact_get_num(const rec_fact *f, const char *key, double def)
{
	const rec_value *v = rec_fact_get(f, key);
	if (v == NULL)
		return def;
	switch (v->type) {
	case REC_NUM: return v->num;
	case REC_INT:
	case REC_BOOL: return (double)v->i;
	case REC_TIME: return simtime_to_seconds(v->i);
	default: return def;
	}
}

int64_t
rec_fact_get_int(const rec_fact *f, const char *key, int64_t def)
{
	const rec_value *v = rec_fact_get(f, key);
	if (v == NULL || v->type == REC_STR)
		return def;
	return v->type == REC_NUM ? (int64_t)v->num : v->i;
}
