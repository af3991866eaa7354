/*
 * placement — resources, constraints, strategies, select (placement.h).
 *
 * Invariant: plc_place reads the views and writes only its outputs; the
 * same inputs and the same rng state give the same choice, the same ports
 * and the same failure text.
 */
#include "model/ecs/placement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/recorder.h"
#include "sim/xalloc.h"

/* ---- host ports ---- */

/* [DOC] agent README ECS_RESERVED_PORTS default (Linux). */
static const int default_reserved[] = {22, 2375, 2376, 51678, 51679};

#define PORT_OK(p) ((p) >= 1 && (p) <= 65535)

void
plc_ports_clear(plc_ports *s)
{
	memset(s, 0, sizeof(*s));
}

const int *
plc_default_reserved_ports(int *n)
{
	*n = (int)(sizeof(default_reserved) / sizeof(default_reserved[0]));
	return default_reserved;
}

void
plc_ports_reserve_defaults(plc_ports *s)
{
	int n;
	const int *p = plc_default_reserved_ports(&n);
	for (int i = 0; i < n; i++)
		plc_ports_add(s, p[i]);
}

bool
plc_ports_has(const plc_ports *s, int port)
{
	SIM_ASSERT(PORT_OK(port));
	unsigned u = (unsigned)port;
	return (s->bits[u >> 6] >> (u & 63)) & 1u;
}

void
plc_ports_add(plc_ports *s, int port)
{
	SIM_ASSERT(PORT_OK(port));
	unsigned u = (unsigned)port;
	uint64_t bit = UINT64_C(1) << (u & 63);
	s->used += (s->bits[u >> 6] & bit) == 0;
	s->bits[u >> 6] |= bit;
}

void
plc_ports_del(plc_ports *s, int port)
{
	SIM_ASSERT(PORT_OK(port));
	unsigned u = (unsigned)port;
	uint64_t bit = UINT64_C(1) << (u & 63);
	s->used -= (s->bits[u >> 6] & bit) != 0;
	s->bits[u >> 6] &= ~bit;
}

plc_params
plc_params_default(void)
{
	/* [DOC] the ECS-optimized AMI's ip_local_port_range */
	plc_params p = {32768, 61000};
	return p;
}

/* ---- resources ---- */

static bool
task_has_static(const plc_task *t, int port)
{
	for (int i = 0; i < t->nstatic; i++)
		if (t->static_ports[i] == port)
			return true;
	return false;
}

/* Walk the free dynamic ports of view v for task t, lowest first, writing
 * up to want of them to out (NULL: just count). Returns how many. */
static int
free_dynamic(const plc_instance *v, const plc_task *t, const plc_params *par,
    int want, int *out)
{
	int got = 0;
	int port = par->dyn_lo;
	while (got < want && port <= par->dyn_hi) {
		unsigned u = (unsigned)port;
		uint64_t word = v->ports->bits[u >> 6] >> (u & 63);
		if (word == ~UINT64_C(0) >> (u & 63)) {
			/* the rest of this 64-port word is in use */
			port = (int)((u | 63) + 1);
			continue;
		}
		if (!(word & 1u) && !task_has_static(t, port)) {
			if (out != NULL)
				out[got] = port;
			got++;
		}
		port++;
	}
	return got;
}

enum check { CK_AGENT, CK_CPU, CK_MEMORY, CK_PORTS, CK_ALL };

/* Run the resource checks in order; returns the first that fails (CK_ALL
 * when all pass) and the units missing for it. */
static inline __attribute__((always_inline)) enum check
check_resources(const plc_instance *v, const plc_task *t,
    const plc_params *par, int64_t *missing)
{
	*missing = 0;
	if (!v->t.agent_connected)
		return CK_AGENT;
	if (t->cpu > v->cpu_free) {
		*missing = (int64_t)t->cpu - v->cpu_free;
		return CK_CPU;
	}
	if (t->memory > v->mem_free) {
		*missing = (int64_t)t->memory - v->mem_free;
		return CK_MEMORY;
	}
	int64_t bad = 0;
	for (int i = 0; i < t->nstatic; i++)
		if (plc_ports_has(v->ports, t->static_ports[i]))
			bad++;
	/* the range has enough free ports for sure when fewer are in use in
	 * all than it holds, less the task's own static ones: no scan */
	if (t->ndynamic > 0 &&
	    v->ports->used + t->nstatic + t->ndynamic > par->dyn_hi - par->dyn_lo + 1)
		bad += t->ndynamic - free_dynamic(v, t, par, t->ndynamic, NULL);
	if (bad > 0) {
		*missing = bad;
		return CK_PORTS;
	}
	return CK_ALL;
}

/* ---- constraints ---- */

static bool
meets_constraints(const plc_policy *p, const plc_instance *v)
{
	for (int i = 0; i < p->nconstraints; i++) {
		const plc_constraint *c = &p->constraints[i];
		if (c->type == PLC_DISTINCT_INSTANCE) {
			if (v->svc_tasks > 0)
				return false;
		} else if (!cql_eval(c->expr, &v->t))
			return false;
	}
	return true;
}

/* ---- interned attribute values ---- */

void
plc_intern(plc_interner *x, plc_instance *v)
{
	for (int a = 0; a < CQL_NBUILTIN; a++) {
		const char *val = cql_builtin_value(&v->t, a);
		if (val == NULL) {
			v->vals[a] = -1;
			continue;
		}
		int k = 0;
		while (k < x->n[a] && x->vals[a][k] != val && strcmp(x->vals[a][k], val) != 0)
			k++;
		if (k == x->n[a]) {
			XGROW(x->vals[a], x->cap[a], (size_t)k + 1);
			x->vals[a][x->n[a]++] = val;
		}
		v->vals[a] = k + 1;
	}
}

void
plc_interner_free(plc_interner *x)
{
	for (int a = 0; a < CQL_NBUILTIN; a++)
		free(x->vals[a]);
}

/* ---- strategies ---- */

/* Tasks of this service per value of an attribute, over all views, for
 * views that are not interned: a hash of the value strings. */
typedef struct group_tab {
	const char **key;
	int64_t *count;
	size_t mask;
	int64_t absent; /* views without the attribute */
	/* the last few keys seen, by pointer: attribute values such as an
	 * Availability Zone are shared strings, so most look-ups skip the
	 * hash */
	const char *recent[4];
	size_t recent_slot[4];
	unsigned next_recent;
} group_tab;

static size_t
group_slot(const group_tab *g, const char *key)
{
	size_t h = (size_t)rng_fnv1a64(key) & g->mask;
	/* attribute values are usually shared strings: compare pointers first */
	while (g->key[h] != NULL && g->key[h] != key && strcmp(g->key[h], key) != 0)
		h = (h + 1) & g->mask;
	return h;
}

/* group_slot with the recent-pointer cache. */
static size_t
group_find(group_tab *g, const char *key)
{
	for (int i = 0; i < 4; i++)
		if (g->recent[i] == key)
			return g->recent_slot[i];
	size_t h = group_slot(g, key);
	unsigned r = g->next_recent++ & 3u;
	g->recent[r] = key;
	g->recent_slot[r] = h;
	return h;
}

static void
group_build(group_tab *g, const plc_instance *v, int n, int id, const char *attr)
{
	size_t cap = 8;
	while (cap < 2 * (size_t)n)
		cap *= 2;
	g->key = xcalloc(cap, sizeof(*g->key));
	g->count = xcalloc(cap, sizeof(*g->count));
	g->mask = cap - 1;
	g->absent = 0;
	memset(g->recent, 0, sizeof(g->recent));
	g->next_recent = 0;
	for (int i = 0; i < n; i++) {
		const char *val;
		if (!cql_attr_get_id(&v[i].t, id, attr, &val) || val == NULL) {
			g->absent += v[i].svc_tasks;
			continue;
		}
		size_t h = group_find(g, val);
		g->key[h] = val;
		g->count[h] += v[i].svc_tasks;
	}
}

static int64_t
group_count(group_tab *g, const plc_instance *v, int id, const char *attr)
{
	const char *val;
	if (!cql_attr_get_id(&v->t, id, attr, &val) || val == NULL)
		return g->absent;
	return g->count[group_find(g, val)];
}

static void
group_free(group_tab *g)
{
	free(g->key);
	free(g->count);
}

/* Values of one attribute counted by interned id, when every view is
 * interned and ids stay below this. */
#define STAGE_MAX_IDS 64

/* One ranking strategy, ready to score candidates. */
typedef struct stage {
	plc_field field;
	int attr;              /* PLC_FIELD_ATTRIBUTE: built-in id or -1 */
	const char *name;      /* its name */
	bool by_id;            /* counts[] by interned value, else g */
	int64_t absent;        /* by_id: views without the attribute */
	int64_t counts[STAGE_MAX_IDS];
	group_tab g;
} stage;

static void
stage_init(stage *st, const plc_strategy *s, const plc_instance *v, int n)
{
	SIM_ASSERT(s->type == PLC_BINPACK ?
	    s->field == PLC_FIELD_CPU || s->field == PLC_FIELD_MEMORY :
	    s->field == PLC_FIELD_INSTANCE || s->field == PLC_FIELD_ATTRIBUTE);
	st->field = s->field;
	st->by_id = false;
	if (s->field != PLC_FIELD_ATTRIBUTE)
		return;
	st->name = s->attribute;
	st->attr = cql_builtin_attr(s->attribute);
	if (st->attr >= 0) {
		/* counts by interned value while every view is interned */
		int a = st->attr, max = 0, i;
		st->absent = 0;
		st->counts[0] = 0;
		for (i = 0; i < n; i++) {
			int id = v[i].vals[a];
			if (id < 0) {
				st->absent += v[i].svc_tasks;
				continue;
			}
			if (id == 0 || id >= STAGE_MAX_IDS)
				break;
			while (max < id)
				st->counts[++max] = 0;
			st->counts[id] += v[i].svc_tasks;
		}
		if (i == n) {
			st->by_id = true;
			return;
		}
	}
	group_build(&st->g, v, n, st->attr, st->name);
}

static int64_t
stage_score(stage *st, const plc_task *t, const plc_instance *c)
{
	switch (st->field) {
	case PLC_FIELD_CPU: /* [DOC] least remaining that fits */
		return (int64_t)c->cpu_free - t->cpu;
	case PLC_FIELD_MEMORY:
		return (int64_t)c->mem_free - t->memory;
	case PLC_FIELD_INSTANCE:
		return c->svc_tasks;
	case PLC_FIELD_ATTRIBUTE:
		if (st->by_id) {
			int id = c->vals[st->attr];
			return id < 0 ? st->absent : st->counts[id];
		}
		return group_count(&st->g, c, st->attr, st->name);
	case PLC_FIELD_NONE:
		break;
	}
	sim_panic(__FILE__, __LINE__, "placement: strategy field %d", (int)st->field);
}

static void
stage_free(stage *st)
{
	if (st->field == PLC_FIELD_ATTRIBUTE && !st->by_id)
		group_free(&st->g);
}

/* [DOC §6.4] the service scheduler's default: balance AZs, then
 * instances. */
static const plc_strategy default_strategies[] = {
	{PLC_SPREAD, PLC_FIELD_ATTRIBUTE, "ecs.availability-zone"},
	{PLC_SPREAD, PLC_FIELD_INSTANCE, NULL},
};

static int
fail(plc_result *res, plc_reason why, const plc_instance *v, int closest)
{
	res->reason = why;
	res->closest = closest;
	res->closest_id = closest >= 0 ? v[closest].ci_id : NULL;
	return -1;
}

/* Step 1 over the views in order: which are ACTIVE, which fit the task's
 * resources, and the closest one that does not. */
typedef struct fit_state {
	int nactive;
	int first_fit;          /* first view that fits, or -1 */
	int closest;            /* closest that does not fit, or -1 */
	enum check best;        /* the closest's failed check */
	int64_t best_missing;   /* and its missing units */
} fit_state;

static inline bool
fits(fit_state *fs, const plc_instance *c, int i, const plc_task *t,
    const plc_params *par)
{
	/* 1. resources, on ACTIVE instances only */
	if (c->status != PLC_ACTIVE)
		return false;
	fs->nactive++;
	int64_t missing;
	enum check ck = check_resources(c, t, par, &missing);
	if (ck != CK_ALL) {
		/* [INF] closest: most checks passed, fewest missing, lowest
		 * index */
		if (fs->closest < 0 || ck > fs->best ||
		    (ck == fs->best && missing < fs->best_missing)) {
			fs->closest = i;
			fs->best = ck;
			fs->best_missing = missing;
		}
		return false;
	}
	if (fs->first_fit < 0)
		fs->first_fit = i;
	return true;
}

/* Candidates kept on the stack up to this many. */
#define TIES_ON_STACK 512

int
plc_place(const plc_policy *p, const plc_task *t, const plc_instance *v,
    int n, const plc_params *par, rng *r, int *dyn_ports, plc_result *res)
{
	plc_params defaults = plc_params_default();
	if (par == NULL)
		par = &defaults;
	SIM_ASSERT(n >= 0 && t->cpu >= 0 && t->memory >= 0);
	SIM_ASSERT(t->nstatic >= 0 && t->ndynamic >= 0);
	SIM_ASSERT(t->ndynamic == 0 || dyn_ports != NULL);
	SIM_ASSERT(PORT_OK(par->dyn_lo) && PORT_OK(par->dyn_hi) &&
	    par->dyn_lo <= par->dyn_hi);
	memset(res, 0, sizeof(*res));
	res->index = -1;
	res->closest = -1;

	/* 3. (prepared) the strategies in order: those before the first
	 * random one rank the candidates; a random one draws among the
	 * ties of the ones before it, so nothing after it has a choice */
	const plc_strategy *s = p->strategies;
	int ns = p->nstrategies;
	if (ns == 0) {
		s = default_strategies;
		ns = (int)(sizeof(default_strategies) / sizeof(default_strategies[0]));
	}
	int nk = 0;
	bool random = false;
	while (nk < ns && !(random = s[nk].type == PLC_RANDOM))
		nk++;
	stage st[PLC_MAX_STRATEGIES];
	for (int k = 0; k < nk; k++)
		stage_init(&st[k], &s[k], v, n);

	int stack_ties[TIES_ON_STACK];
	int *ties = n <= TIES_ON_STACK ? stack_ties : xmalloc((size_t)n * sizeof(*ties));
	int m = 0;
	fit_state fs = {0, -1, -1, CK_AGENT, 0};
	if (nk == 2 && p->nconstraints == 0 && st[0].field == PLC_FIELD_ATTRIBUTE &&
	    st[0].by_id && st[1].field == PLC_FIELD_INSTANCE) {
		/* the service default (spread by an attribute, then by
		 * instance), inlined: the hot path of large clusters */
		const int64_t *counts = st[0].counts;
		int a = st[0].attr;
		int64_t b0 = 0, b1 = 0;
		for (int i = 0; i < n; i++) {
			const plc_instance *c = &v[i];
			if (!fits(&fs, c, i, t, par))
				continue;
			int id = c->vals[a];
			int64_t k0 = id < 0 ? st[0].absent : counts[id], k1 = c->svc_tasks;
			if (m == 0 || k0 < b0 || (k0 == b0 && k1 < b1)) {
				b0 = k0;
				b1 = k1;
				m = 0;
			} else if (k0 != b0 || k1 != b1)
				continue;
			ties[m++] = i;
		}
	} else {
		int64_t best_key[PLC_MAX_STRATEGIES] = {0};
		for (int i = 0; i < n; i++) {
			const plc_instance *c = &v[i];
			if (!fits(&fs, c, i, t, par))
				continue;
			/* 2. constraints */
			if (!meets_constraints(p, c))
				continue;
			/* 3. the ranking strategies: lowest scores, in order */
			int cmp = m == 0 ? -1 : 0;
			int64_t key[PLC_MAX_STRATEGIES];
			for (int k = 0; k < nk; k++) {
				key[k] = stage_score(&st[k], t, c);
				if (cmp == 0 && key[k] != best_key[k])
					cmp = key[k] < best_key[k] ? -1 : 1;
			}
			if (cmp < 0) {
				memcpy(best_key, key, (size_t)nk * sizeof(key[0]));
				m = 0;
			}
			if (cmp <= 0)
				ties[m++] = i;
		}
	}
	int nactive = fs.nactive, closest = fs.closest, first_fit = fs.first_fit;
	enum check best = fs.best;
	for (int k = 0; k < nk; k++)
		stage_free(&st[k]);

	int chosen = -1;
	if (nactive == 0)
		fail(res, PLC_NO_INSTANCES, v, -1);
	else if (first_fit < 0) {
		static const plc_reason why[] = {PLC_AGENT, PLC_CPU, PLC_MEMORY,
			PLC_PORTS};
		fail(res, why[best], v, closest);
	} else if (m == 0)
		fail(res, PLC_ATTRIBUTE, v, first_fit);
	else {
		/* 4. select: [INF] uniform among ties (in view order), lowest
		 * index without an rng; a random strategy draws the same way */
		chosen = ties[0];
		if (m > 1) {
			SIM_ASSERT(!random || r != NULL);
			if (r != NULL)
				chosen = ties[rng_uniform_index(r, (unsigned long)m)];
		}
	}
	if (ties != stack_ties)
		free(ties);
	if (chosen < 0)
		return -1;

	if (t->ndynamic > 0) {
		int got = free_dynamic(&v[chosen], t, par, t->ndynamic, dyn_ports);
		SIM_ASSERT(got == t->ndynamic);
		res->nports = got;
	}
	res->index = chosen;
	res->reason = PLC_PLACED;
	return chosen;
}

/* ---- the incremental index ---- */

/* Resource classes of tasks the index keeps a fit bitset for. */
#define IDX_MAX_CLASSES 32

typedef struct idx_class {
	int cpu, mem, ndyn;
	uint64_t *fit;          /* views the class fits (ACTIVE, resources) */
} idx_class;

struct plc_index {
	plc_params par;
	int n;                  /* views followed */
	size_t capwords;        /* words of every bitset */
	bool usable;            /* every view interned, zone ids small */
	/* views per Availability Zone: slot = interned id, 0 for views
	 * without the attribute (NULL while no view has that slot) */
	uint64_t *zone[STAGE_MAX_IDS];
	int nzones;             /* slots 0..nzones-1 may be in use */
	idx_class cls[IDX_MAX_CLASSES];
	int ncls;
	uint64_t *occ;          /* scratch: views with tasks of the service */
};

plc_index *
plc_index_new(const plc_params *par)
{
	plc_index *x = xcalloc(1, sizeof(*x));
	x->par = par ? *par : plc_params_default();
	x->usable = true;
	return x;
}

void
plc_index_free(plc_index *x)
{
	if (x == NULL)
		return;
	for (int s = 0; s < STAGE_MAX_IDS; s++)
		free(x->zone[s]);
	for (int c = 0; c < x->ncls; c++)
		free(x->cls[c].fit);
	free(x->occ);
	free(x);
}

static void
bits_grow(uint64_t **b, size_t old, size_t cap)
{
	if (*b == NULL)
		return;
	*b = xreallocarray(*b, cap, sizeof(**b));
	memset(*b + old, 0, (cap - old) * sizeof(**b));
}

static inline void
bit_put(uint64_t *b, int i, bool on)
{
	uint64_t m = UINT64_C(1) << (i & 63);
	if (on)
		b[i >> 6] |= m;
	else
		b[i >> 6] &= ~m;
}

static bool
class_fits(const plc_index *x, const idx_class *c, const plc_instance *v)
{
	plc_task t = {.cpu = c->cpu, .memory = c->mem, .ndynamic = c->ndyn};
	int64_t missing;
	return v->status == PLC_ACTIVE &&
	    check_resources(v, &t, &x->par, &missing) == CK_ALL;
}

void
plc_index_update(plc_index *x, const plc_instance *v, int i)
{
	SIM_ASSERT(i >= 0 && i <= x->n);
	const plc_instance *c = &v[i];
	if (i == x->n) {
		/* a new view: its zone (an instance's attributes do not
		 * change) */
		x->n++;
		size_t need = ((size_t)x->n + 63) / 64;
		if (need > x->capwords) {
			size_t cap = x->capwords ? 2 * x->capwords : 4;
			for (int s = 0; s < STAGE_MAX_IDS; s++)
				bits_grow(&x->zone[s], x->capwords, cap);
			for (int k = 0; k < x->ncls; k++)
				bits_grow(&x->cls[k].fit, x->capwords, cap);
			if (x->occ == NULL)
				x->occ = xcalloc(cap, sizeof(uint64_t));
			else
				bits_grow(&x->occ, x->capwords, cap);
			x->capwords = cap;
		}
		int id = c->vals[CQL_ATTR_AZ];
		int slot = id < 0 ? 0 : id;
		if (id == 0 || id >= STAGE_MAX_IDS) {
			x->usable = false;
			return;
		}
		if (x->zone[slot] == NULL)
			x->zone[slot] = xcalloc(x->capwords, sizeof(uint64_t));
		bit_put(x->zone[slot], i, true);
		if (slot >= x->nzones)
			x->nzones = slot + 1;
	}
	for (int k = 0; k < x->ncls; k++)
		bit_put(x->cls[k].fit, i, class_fits(x, &x->cls[k], c));
}

/* The fit bitset of t's class, built on first use; NULL when the table
 * of classes is full. */
static const uint64_t *
class_bits(plc_index *x, const plc_task *t, const plc_instance *v)
{
	for (int k = 0; k < x->ncls; k++) {
		const idx_class *c = &x->cls[k];
		if (c->cpu == t->cpu && c->mem == t->memory && c->ndyn == t->ndynamic)
			return c->fit;
	}
	if (x->ncls == IDX_MAX_CLASSES)
		return NULL;
	idx_class *c = &x->cls[x->ncls++];
	c->cpu = t->cpu;
	c->mem = t->memory;
	c->ndyn = t->ndynamic;
	c->fit = xcalloc(x->capwords ? x->capwords : 1, sizeof(uint64_t));
	for (int i = 0; i < x->n; i++)
		if (class_fits(x, c, &v[i]))
			bit_put(c->fit, i, true);
	return c->fit;
}

static bool
is_default_policy(const plc_policy *p)
{
	if (p->nconstraints != 0)
		return false;
	if (p->nstrategies == 0)
		return true;
	return p->nstrategies == 2 && p->strategies[0].type == PLC_SPREAD &&
	    p->strategies[0].field == PLC_FIELD_ATTRIBUTE &&
	    cql_builtin_attr(p->strategies[0].attribute) == CQL_ATTR_AZ &&
	    p->strategies[1].type == PLC_SPREAD &&
	    p->strategies[1].field == PLC_FIELD_INSTANCE;
}

/* Views of the service kept on the stack up to this many. */
#define OCC_ON_STACK 256

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int
plc_place_indexed(plc_index *x, const plc_policy *p, const plc_task *t,
    const plc_instance *v, int n, const int *svc_tasks, const int *occupied,
    int noccupied, rng *r, int *dyn_ports, plc_result *res)
{
	if (!x->usable || n != x->n || n == 0 || t->nstatic != 0 ||
	    !is_default_policy(p))
		return -2;
	SIM_ASSERT(t->cpu >= 0 && t->memory >= 0 && t->ndynamic >= 0);
	SIM_ASSERT(t->ndynamic == 0 || dyn_ports != NULL);
	const uint64_t *fit = class_bits(x, t, v);
	if (fit == NULL)
		return -2;
	size_t nw = ((size_t)n + 63) / 64;

	/* the service's views (distinct, tasks > 0), its tasks per zone */
	int stack_occ[OCC_ON_STACK];
	int *occ = noccupied <= OCC_ON_STACK ? stack_occ :
	    xmalloc((size_t)noccupied * sizeof(*occ));
	int nocc = 0;
	int64_t per_zone[STAGE_MAX_IDS] = {0};
	for (int k = 0; k < noccupied; k++) {
		int i = occupied[k];
		SIM_ASSERT(i >= 0 && i < n && svc_tasks[i] >= 0);
		if (svc_tasks[i] == 0 || (x->occ[i >> 6] >> (i & 63) & 1))
			continue;
		bit_put(x->occ, i, true);
		occ[nocc++] = i;
		int id = v[i].vals[CQL_ATTR_AZ];
		per_zone[id < 0 ? 0 : id] += svc_tasks[i];
	}

	/* spread(attribute:ecs.availability-zone): the zones with a fitting
	 * view and the fewest tasks of the service */
	int zmin[STAGE_MAX_IDS], nzmin = 0;
	for (int s = 0; s < x->nzones; s++) {
		const uint64_t *z = x->zone[s];
		if (z == NULL)
			continue;
		size_t w = 0;
		while (w < nw && (fit[w] & z[w]) == 0)
			w++;
		if (w == nw)
			continue;
		if (nzmin > 0 && per_zone[s] > per_zone[zmin[0]])
			continue;
		if (nzmin > 0 && per_zone[s] < per_zone[zmin[0]])
			nzmin = 0;
		zmin[nzmin++] = s;
	}
	int chosen = -2;
	if (nzmin == 0)
		goto done; /* nothing fits: plc_place names the closest */

	/* spread(instanceId): the fewest tasks of the service; views without
	 * any are most of them */
	uint64_t any_free = 0;
	for (size_t w = 0; w < nw && any_free == 0; w++) {
		uint64_t u = 0;
		for (int k = 0; k < nzmin; k++)
			u |= x->zone[zmin[k]][w];
		any_free = fit[w] & u & ~x->occ[w];
	}
	unsigned long m = 0;
	if (any_free != 0) {
		for (size_t w = 0; w < nw; w++) {
			uint64_t u = 0;
			for (int k = 0; k < nzmin; k++)
				u |= x->zone[zmin[k]][w];
			m += (unsigned long)__builtin_popcountll(fit[w] & u & ~x->occ[w]);
		}
	} else {
		/* every candidate holds tasks of the service: the least */
		int least = -1;
		for (int k = 0; k < nocc; k++) {
			int i = occ[k];
			int id = v[i].vals[CQL_ATTR_AZ], s = id < 0 ? 0 : id;
			bool in_zmin = false;
			for (int z = 0; z < nzmin && !in_zmin; z++)
				in_zmin = zmin[z] == s;
			if (!in_zmin || !(fit[i >> 6] >> (i & 63) & 1))
				continue;
			if (least < 0 || svc_tasks[i] < least) {
				least = svc_tasks[i];
				m = 0;
			}
			if (svc_tasks[i] == least)
				occ[m++] = i; /* reuse: the ties, in any order */
		}
		qsort(occ, m, sizeof(*occ), cmp_int);
	}

	/* 4. select: one draw among the ties, in view order (plc_place) */
	unsigned long pick = m > 1 && r != NULL ? rng_uniform_index(r, m) : 0;
	if (any_free != 0) {
		for (size_t w = 0; w < nw; w++) {
			uint64_t u = 0;
			for (int k = 0; k < nzmin; k++)
				u |= x->zone[zmin[k]][w];
			uint64_t b = fit[w] & u & ~x->occ[w];
			unsigned long c = (unsigned long)__builtin_popcountll(b);
			if (pick >= c) {
				pick -= c;
				continue;
			}
			while (pick-- > 0)
				b &= b - 1;
			chosen = (int)(w * 64 + (size_t)__builtin_ctzll(b));
			break;
		}
	} else {
		chosen = occ[pick];
	}
done:
	/* clear the scratch bits (the distinct views are the first nocc
	 * entries unless the ties reused the array: clear from the list) */
	for (int k = 0; k < noccupied; k++) {
		int i = occupied[k];
		x->occ[i >> 6] &= ~(UINT64_C(1) << (i & 63));
	}
	if (occ != stack_occ)
		free(occ);
	if (chosen < 0)
		return -2;
	memset(res, 0, sizeof(*res));
	res->closest = -1;
	if (t->ndynamic > 0) {
		int got = free_dynamic(&v[chosen], t, &x->par, t->ndynamic, dyn_ports);
		SIM_ASSERT(got == t->ndynamic);
		res->nports = got;
	}
	res->index = chosen;
	res->reason = PLC_PLACED;
	return chosen;
}

void
plc_commit(plc_instance *v, const plc_task *t, const int *dyn_ports)
{
	v->cpu_free -= t->cpu;
	v->mem_free -= t->memory;
	for (int i = 0; i < t->nstatic; i++)
		plc_ports_add(v->ports, t->static_ports[i]);
	for (int i = 0; i < t->ndynamic; i++)
		plc_ports_add(v->ports, dyn_ports[i]);
	v->svc_tasks++;
	v->t.running_tasks++;
}

/* ---- texts ---- */

const char *
plc_reason_code(plc_reason why)
{
	/* [DOC] SERVICE_TASK_PLACEMENT_FAILURE reasons */
	switch (why) {
	case PLC_CPU: return "RESOURCE:CPU";
	case PLC_MEMORY: return "RESOURCE:MEMORY";
	case PLC_PORTS: return "RESOURCE:PORTS";
	default: return NULL;
	}
}

const char *
plc_reason_text(plc_reason why)
{
	/* [DOC §6.8] the endings of the service event */
	switch (why) {
	case PLC_PLACED: return "";
	case PLC_NO_INSTANCES:
		return "No Container Instances were found in your cluster.";
	case PLC_AGENT: return "encountered error \"AGENT\".";
	case PLC_CPU: return "has insufficient CPU units available.";
	case PLC_MEMORY: return "has insufficient memory available.";
	case PLC_PORTS: return "is already using a port required by your task.";
	case PLC_ATTRIBUTE:
		return "is missing an attribute required by your task.";
	}
	return "";
}

void
plc_event_text(const plc_result *res, const char *service, char *buf,
    size_t size)
{
	static const char head[] = "was unable to place a task because no "
	    "container instance met all of its requirements.";
	static const char tail[] = "For more information, see the "
	    "Troubleshooting section of the Amazon ECS Developer Guide.";
	SIM_ASSERT(size > 0);
	switch (res->reason) {
	case PLC_PLACED:
		buf[0] = '\0';
		break;
	case PLC_NO_INSTANCES:
		snprintf(buf, size, "(service %s) %s Reason: %s %s", service, head,
		    plc_reason_text(res->reason), tail);
		break;
	default:
		snprintf(buf, size,
		    "(service %s) %s The closest matching (container-instance %s) %s %s",
		    service, head, res->closest_id ? res->closest_id : "?",
		    plc_reason_text(res->reason), tail);
		break;
	}
}

/* ---- scenario input ---- */

/* A required member is absent: report a misspelled key first (it is the
 * likely cause), else msg at the object. */
static int
missing(jr_obj *o, const jr_val *ev, sim_error *err, const char *msg)
{
	int rc = jr_done(o, err);
	return rc ? rc : jr_fail(ev, err, "%s", msg);
}

int
plc_parse_strategies(const jr_val *v, plc_policy *p, sim_error *err)
{
	static const char *const types[] = {"binpack", "spread", "random"};
	static const char *const bin_fields[] = {"cpu", "memory"};
	int count, rc;
	if ((rc = jr_array(v, &count, err)) != 0)
		return rc;
	if (count > PLC_MAX_STRATEGIES) /* [DOC] */
		return jr_fail(v, err,
		    "at most %d placement strategy rules are allowed, got %d",
		    PLC_MAX_STRATEGIES, count);
	plc_strategy out[PLC_MAX_STRATEGIES];
	for (int i = 0; i < count; i++) {
		jr_val ev, fv;
		jr_obj o;
		int type, f;
		const char *field;
		plc_strategy *s = &out[i];
		memset(s, 0, sizeof(*s));
		jr_elem(v, i, &ev);
		if ((rc = jr_object(&ev, &o, err)) != 0 ||
		    (rc = jr_req_enum(&o, "type", types, 3, &type, err)) != 0)
			return rc;
		s->type = (plc_strategy_type)type;
		bool has_field = jr_get(&o, "field", &fv);
		switch (s->type) {
		case PLC_BINPACK:
			if (!has_field)
				return missing(&o, &ev, err,
				    "binpack needs a field (\"cpu\" or \"memory\")");
			if ((rc = jr_enum(&fv, bin_fields, 2, &f, err)) != 0)
				return rc;
			s->field = f == 0 ? PLC_FIELD_CPU : PLC_FIELD_MEMORY;
			break;
		case PLC_SPREAD:
			if (!has_field)
				return missing(&o, &ev, err,
				    "spread needs a field (\"instanceId\", \"host\" or \"attribute:<name>\")");
			if ((rc = jr_str(&fv, &field, err)) != 0)
				return rc;
			if (strcmp(field, "instanceId") == 0 ||
			    strcmp(field, "host") == 0)
				s->field = PLC_FIELD_INSTANCE;
			else if (strncmp(field, "attribute:", 10) == 0 &&
			    field[10] != '\0') {
				s->field = PLC_FIELD_ATTRIBUTE;
				s->attribute = field + 10;
			} else
				return jr_fail(&fv, err,
				    "spread field must be \"instanceId\", \"host\" or \"attribute:<name>\", got \"%s\"",
				    field);
			break;
		case PLC_RANDOM:
			if (has_field)
				return jr_fail(&fv, err, "random takes no field");
			s->field = PLC_FIELD_NONE;
			break;
		}
		if ((rc = jr_done(&o, err)) != 0)
			return rc;
	}
	memcpy(p->strategies, out, sizeof(out[0]) * (size_t)count);
	p->nstrategies = count;
	return 0;
}

int
plc_parse_constraints(const jr_val *v, arena *a, plc_policy *p,
    sim_error *err)
{
	static const char *const types[] = {"distinctInstance", "memberOf"};
	int count, rc;
	if ((rc = jr_array(v, &count, err)) != 0)
		return rc;
	if (p->nconstraints + count > PLC_MAX_CONSTRAINTS) { /* [DOC] */
		if (p->nconstraints > 0)
			return jr_fail(v, err,
			    "at most %d placement constraints are allowed per task, got %d (%d here and %d from the task definition)",
			    PLC_MAX_CONSTRAINTS, p->nconstraints + count, count,
			    p->nconstraints);
		return jr_fail(v, err,
		    "at most %d placement constraints are allowed per task, got %d",
		    PLC_MAX_CONSTRAINTS, count);
	}
	plc_constraint out[PLC_MAX_CONSTRAINTS];
	for (int i = 0; i < count; i++) {
		jr_val ev, xv;
		jr_obj o;
		int type;
		const char *text;
		jr_elem(v, i, &ev);
		if ((rc = jr_object(&ev, &o, err)) != 0 ||
		    (rc = jr_req_enum(&o, "type", types, 2, &type, err)) != 0)
			return rc;
		out[i].type = (plc_constraint_type)type;
		out[i].expr = NULL;
		bool has_expr = jr_get(&o, "expression", &xv);
		if (out[i].type == PLC_DISTINCT_INSTANCE) {
			if (has_expr) /* [DOC] */
				return jr_fail(&xv, err,
				    "distinctInstance takes no expression");
		} else {
			sim_error cerr;
			if (!has_expr)
				return missing(&o, &ev, err,
				    "memberOf needs an expression");
			if ((rc = jr_str(&xv, &text, err)) != 0)
				return rc;
			if (cql_parse(a, text, &out[i].expr, &cerr) != 0)
				return jr_fail(&xv, err, "%s", cerr.msg);
		}
		if ((rc = jr_done(&o, err)) != 0)
			return rc;
	}
	memcpy(p->constraints + p->nconstraints, out,
	    sizeof(out[0]) * (size_t)count);
	p->nconstraints += count;
	return 0;
}

void
plc_assume(recorder *r)
{
	/* the dynamic port range is a parameter (ecs.dynamicHostPort*) */
	rec_assume(r, "placement.closestInstance",
	    "most checks passed (agent, CPU, memory, ports), then fewest missing units, then lowest index",
	    "MODEL", "[INF] AWS names a 'closest matching' instance without saying how it is chosen");
	rec_assume(r, "placement.ties", "uniform random among tied candidates",
	    "MODEL", "[INF] after every strategy; one draw from the placement stream only when more than one instance is tied");
	rec_assume(r, "placement.defaultWithConstraints",
	    "spread(attribute:ecs.availability-zone), spread(instanceId)",
	    "MODEL", "[INF] the service default strategy is also used when constraints but no strategy are given");
}
