/*
 * cas — ECS cluster auto scaling math (see cas.h for the model and its
 * unconfirmed choices).
 *
 * The binpack works group by group rather than task by task: a group's
 * tasks are poured into each open instance as many as fit, then into new
 * instances of the largest type, so the cost is O(groups x instances)
 * however many tasks are provisioning.
 */
#include "model/autoscaling/cas.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/xalloc.h"

/* ---- parameters ---- */

void
cas_params_default(cas_params *p)
{
	p->in_metric = CAS_IN_RATIO;
	p->excluded_hold_at_100 = false;
}

void
cas_assume(recorder *r, const cas_params *p)
{
	rec_assume(r, "capacityProvider.binpack",
	    "first fit decreasing on the largest type", "INF",
	    "AWS describes the estimate only qualitatively");
	rec_assume(r, "capacityProvider.asgDesired",
	    "ceil(max(N,1) x CPR / targetCapacity)", "INF",
	    "ASG target tracking on CPR");
	rec_assume(r, "capacityProvider.scaleInMetric",
	    p->in_metric == CAS_IN_RATIO ? "(N - empty) / N x 100" :
	    "100 - empty", "UNCONFIRMED", "2023 and current docs disagree");
	rec_assume(r, "capacityProvider.excludedTasksCpr",
	    p->excluded_hold_at_100 ? "100" : "targetCapacity", "DOC",
	    "CPR when every provisioning task fits no smallest instance");
	rec_assume(r, "capacityProvider.weightRounding",
	    "next task to min (count+1)/weight, ties to the first",
	    "UNCONFIRMED", "AWS does not document the integer split");
}

/* ---- create-capacity-provider ---- */

static const char *const status_names[] = {"ENABLED", "DISABLED"};

void
cas_managed_scaling_default(cas_managed_scaling *m)
{
	m->enabled = false;
	m->target_capacity = CAS_DEFAULT_TARGET_CAPACITY;
	m->min_step = CAS_DEFAULT_MIN_STEP;
	m->max_step = CAS_DEFAULT_MAX_STEP;
	m->warmup = CAS_DEFAULT_WARMUP;
}

static int
parse_managed_scaling(const jr_val *v, cas_managed_scaling *m,
    sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc, status, warmup;
	if ((rc = jr_object(v, &o, err)) != 0 ||
	    (rc = jr_opt_enum(&o, "status", status_names, 2, 1, &status,
	    err)) != 0 ||
	    (rc = jr_opt_int32(&o, "targetCapacity", 1, 100,
	    CAS_DEFAULT_TARGET_CAPACITY, &m->target_capacity, err)) != 0 ||
	    (rc = jr_opt_int32(&o, "minimumScalingStepSize", 1, 10000,
	    CAS_DEFAULT_MIN_STEP, &m->min_step, err)) != 0 ||
	    (rc = jr_opt_int32(&o, "maximumScalingStepSize", 1, 10000,
	    CAS_DEFAULT_MAX_STEP, &m->max_step, err)) != 0)
		return rc;
	m->enabled = status == 0;
	if (m->max_step < m->min_step) {
		(void)jr_get(&o, "maximumScalingStepSize", &x);
		return jr_fail(&x, err,
		    "maximumScalingStepSize (%d) must be >= minimumScalingStepSize "
		    "(%d)", m->max_step, m->min_step);
	}
	if ((rc = jr_opt_int32(&o, "instanceWarmupPeriod", 0, 10000, 300,
	    &warmup, err)) != 0)
		return rc;
	m->warmup = (sim_time)warmup * SIM_SEC;
	return jr_done(&o, err);
}

/* [DOC] up to 255 letters, digits, '_' and '-'; no "aws", "ecs" or
 * "fargate" prefix (compared ignoring case [INF]). */
static int
check_provider_name(const jr_val *v, const char *s, sim_error *err)
{
	static const char *const prefixes[] = {"aws", "ecs", "fargate"};
	size_t n = strlen(s);
	if (n == 0 || n > 255)
		return jr_fail(v, err, "expected 1 to 255 characters, got %zu", n);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return jr_fail(v, err,
			    "a capacity provider name may only hold letters, digits, "
			    "'_' and '-', got \"%s\"", s);
	for (size_t i = 0; i < 3; i++)
		if (strncasecmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return jr_fail(v, err,
			    "a capacity provider name must not start with \"%s\"",
			    prefixes[i]);
	return 0;
}

int
cas_parse_provider(const jr_val *v, cas_provider *out, sim_error *err)
{
	jr_obj o, ao;
	jr_val x, av;
	int rc, tp, dr;
	memset(out, 0, sizeof(*out));
	cas_managed_scaling_default(&out->scaling);
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	out->pos = jr_where(&o.v);
	if ((rc = jr_need(&o, "name", &x, err)) != 0 ||
	    (rc = jr_str(&x, &out->name, err)) != 0 ||
	    (rc = check_provider_name(&x, out->name, err)) != 0 ||
	    (rc = jr_opt_str(&o, "cluster", NULL, &out->cluster, err)) != 0)
		return rc;
	if ((rc = jr_need(&o, "autoScalingGroupProvider", &av, err)) != 0 ||
	    (rc = jr_object(&av, &ao, err)) != 0 ||
	    (rc = jr_req_str(&ao, "autoScalingGroupArn", &out->asg, err)) != 0)
		return rc;
	if (out->asg[0] == '\0') {
		(void)jr_get(&ao, "autoScalingGroupArn", &x);
		return jr_fail(&x, err, "expected a non-empty ARN or name");
	}
	if (jr_get(&ao, "managedScaling", &x) &&
	    (rc = parse_managed_scaling(&x, &out->scaling, err)) != 0)
		return rc;
	if ((rc = jr_opt_enum(&ao, "managedTerminationProtection", status_names,
	    2, 1, &tp, err)) != 0 ||
	    (rc = jr_opt_enum(&ao, "managedDraining", status_names, 2, 0, &dr,
	    err)) != 0 ||
	    (rc = jr_done(&ao, err)) != 0)
		return rc;
	out->termination_protection = tp == 0;
	out->draining = dr == 0;
	jr_ignore(&o, "tags");
	return jr_done(&o, err);
}

/* ---- strategies ---- */

int
cas_parse_strategy(const jr_val *v, cas_strategy *out, sim_error *err)
{
	int n, rc, based = -1, weighted = 0;
	memset(out, 0, sizeof(*out));
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	if (n > CAS_MAX_STRATEGY_ITEMS)
		return jr_fail(v, err,
		    "a capacity provider strategy has at most %d items, got %d",
		    CAS_MAX_STRATEGY_ITEMS, n);
	cas_strategy_item *items = ARENA_ARRAY(jr_arena(v->L), cas_strategy_item,
	    (size_t)n + 1);
	for (int i = 0; i < n; i++) {
		jr_val e, x;
		jr_obj o;
		jr_elem(v, i, &e);
		if ((rc = jr_object(&e, &o, err)) != 0)
			return rc;
		items[i].pos = jr_where(&o.v);
		if ((rc = jr_need(&o, "capacityProvider", &x, err)) != 0 ||
		    (rc = jr_str(&x, &items[i].provider, err)) != 0)
			return rc;
		for (int j = 0; j < i; j++)
			if (strcmp(items[j].provider, items[i].provider) == 0)
				return jr_fail(&x, err,
				    "capacity provider \"%s\" is already in this strategy "
				    "(item %d)", items[i].provider, j);
		jr_val bv;
		bool has_base = jr_get(&o, "base", &bv);
		items[i].base = 0;
		if (has_base && (rc = jr_int32(&bv, 0, 100000, &items[i].base,
		    err)) != 0)
			return rc;
		if (items[i].base > 0) {
			if (based >= 0)
				return jr_fail(&bv, err,
				    "only one capacity provider in a strategy may have a "
				    "base (item %d has base %d)", based, items[based].base);
			based = i;
		}
		if ((rc = jr_opt_int32(&o, "weight", 0, 1000, 0, &items[i].weight,
		    err)) != 0 ||
		    (rc = jr_done(&o, err)) != 0)
			return rc;
		if (items[i].weight > 0)
			weighted++;
	}
	if (n > 0 && weighted == 0)
		return jr_fail(v, err,
		    "at least one capacity provider in a strategy must have a "
		    "weight greater than 0");
	out->items = items;
	out->n = n;
	return 0;
}

int
cas_strategy_next(const cas_strategy *s, const int *counts)
{
	SIM_ASSERT(s->n > 0);
	for (int i = 0; i < s->n; i++)
		if (s->items[i].base > 0 && counts[i] < s->items[i].base)
			return i; /* [DOC] base is satisfied first */
	int best = -1;
	int64_t bnum = 0, bden = 1;
	for (int i = 0; i < s->n; i++) {
		int w = s->items[i].weight;
		if (w <= 0)
			continue; /* [DOC] weight 0: no tasks beyond base */
		int64_t c = counts[i] - s->items[i].base;
		if (c < 0)
			c = 0;
		/* [UNCONFIRMED] smallest (c + 1) / w, exact in integers */
		if (best < 0 || (c + 1) * bden < bnum * w) {
			best = i;
			bnum = c + 1;
			bden = w;
		}
	}
	SIM_ASSERT(best >= 0);
	return best;
}

void
cas_strategy_split(const cas_strategy *s, int ntasks, int *counts)
{
	for (int i = 0; i < s->n; i++)
		counts[i] = 0;
	for (int t = 0; t < ntasks; t++)
		counts[cas_strategy_next(s, counts)]++;
}

/* ---- CPR ---- */

double
cas_cpr(int n, int m)
{
	if (n == 0)
		return m == 0 ? 100.0 : 200.0; /* [DOC + AWS-STAFF §4.2] */
	return (double)m / (double)n * 100.0;
}

#define NRES 5

static void
res_arr(const cas_res *r, int64_t a[NRES])
{
	a[0] = r->cpu;
	a[1] = r->mem;
	a[2] = r->ports;
	a[3] = r->enis;
	a[4] = r->gpus;
}

void
cas_types_range(const cas_res *types, int n, cas_res *smallest,
    cas_res *largest)
{
	SIM_ASSERT(n >= 1);
	*smallest = types[0];
	*largest = types[0];
	for (int i = 1; i < n; i++) {
		const cas_res *t = &types[i];
#define MINMAX(f) do { \
	if (t->f < smallest->f) smallest->f = t->f; \
	if (t->f > largest->f) largest->f = t->f; \
} while (0)
		MINMAX(cpu);
		MINMAX(mem);
		MINMAX(ports);
		MINMAX(enis);
		MINMAX(gpus);
#undef MINMAX
	}
}

/* How many tasks needing need[] fit in free[] (capped at cap). */
static int64_t
fit_count(const int64_t free_[NRES], const int64_t need[NRES], int64_t cap)
{
	int64_t k = cap;
	for (int r = 0; r < NRES; r++) {
		if (need[r] <= 0)
			continue;
		int64_t f = free_[r] > 0 ? free_[r] / need[r] : 0;
		if (f < k)
			k = f;
	}
	return k;
}

typedef struct bin {
	int64_t free_[NRES];
} bin;

typedef struct order_key {
	int g;
	double share;
} order_key;

static int
order_cmp(const void *pa, const void *pb)
{
	const order_key *a = pa, *b = pb;
	if (a->share != b->share)
		return a->share > b->share ? -1 : 1; /* decreasing */
	return a->g - b->g;
}

void
cas_binpack(const cas_instance *inst, int ninst, const cas_group *g,
    int ngroups, const cas_res *smallest, const cas_res *largest,
    cas_estimate *out)
{
	int64_t small[NRES], large[NRES];
	res_arr(smallest, small);
	res_arr(largest, large);
	memset(out, 0, sizeof(*out));
	if (ngroups <= 0)
		return;

	/* [DOC] tasks that fit no empty smallest instance are excluded */
	order_key *order = xcalloc((size_t)ngroups, sizeof(*order));
	int norder = 0;
	for (int i = 0; i < ngroups; i++) {
		int64_t need[NRES];
		if (g[i].count <= 0)
			continue;
		res_arr(&g[i].need, need);
		if (fit_count(small, need, 1) < 1 || fit_count(large, need, 1) < 1) {
			out->excluded += g[i].count;
			continue;
		}
		out->included += g[i].count;
		double share = 0;
		for (int r = 0; r < NRES; r++)
			if (need[r] > 0 && large[r] > 0)
				share = fmax(share, (double)need[r] / (double)large[r]);
		order[norder].g = i;
		order[norder].share = share;
		norder++;
	}
	qsort(order, (size_t)norder, sizeof(*order), order_cmp);

	/* Existing instances first, then new ones of the largest type. */
	size_t nbins = (size_t)(ninst > 0 ? ninst : 0), cap = nbins + 16;
	bin *bins = xcalloc(cap, sizeof(*bins));
	for (int i = 0; i < ninst; i++)
		res_arr(&inst[i].free, bins[i].free_);

	for (int k = 0; k < norder; k++) {
		int gi = order[k].g;
		const cas_group *grp = &g[gi];
		int64_t need[NRES], left = grp->count;
		res_arr(&grp->need, need);
		int64_t per = grp->distinct ? 1 : INT64_MAX;
		for (size_t b = 0; b < nbins && left > 0; b++) {
			if (grp->distinct && (int)b < ninst && inst[b].hosts != NULL &&
			    inst[b].hosts[gi])
				continue;
			int64_t put = fit_count(bins[b].free_, need,
			    left < per ? left : per);
			for (int r = 0; r < NRES; r++)
				bins[b].free_[r] -= put * need[r];
			left -= put;
		}
		while (left > 0) {
			if (nbins == cap)
				XGROW(bins, cap, nbins + 1);
			bin *nb = &bins[nbins++];
			memcpy(nb->free_, large, sizeof(large));
			int64_t put = fit_count(nb->free_, need,
			    left < per ? left : per);
			SIM_ASSERT(put >= 1);
			for (int r = 0; r < NRES; r++)
				nb->free_[r] -= put * need[r];
			left -= put;
			out->extra++;
		}
	}
	free(bins);
	free(order);
}

int
cas_step(const cas_managed_scaling *m, int estimate)
{
	if (estimate <= 0)
		return 0;
	if (estimate < m->min_step)
		return m->min_step; /* [DOC] at least the minimum step */
	return estimate < m->max_step ? estimate : m->max_step;
}

void
cas_reservation(const cas_managed_scaling *m, const cas_params *p, int n,
    int n_empty, const cas_estimate *e, cas_metric *out)
{
	memset(out, 0, sizeof(*out));
	if (e != NULL && e->included == 0 && e->excluded > 0) {
		/* [DOC] every provisioning task is excluded: CPR held */
		out->held = true;
		out->m = n;
		out->cpr = p->excluded_hold_at_100 ? 100.0 :
		    (double)m->target_capacity;
		return;
	}
	if (e != NULL && e->included > 0) {
		out->step = cas_step(m, e->extra);
		out->m = n + out->step;
		out->cpr = cas_cpr(n, out->m);
		return;
	}
	/* nothing provisioning */
	if (n_empty > n)
		n_empty = n;
	if (n_empty < 0)
		n_empty = 0;
	out->m = n - n_empty;
	if (p->in_metric == CAS_IN_MINUS_EMPTY)
		out->cpr = 100.0 - n_empty;
	else
		out->cpr = cas_cpr(n, out->m);
}

int
cas_asg_desired(int n, double cpr, int target_capacity)
{
	SIM_ASSERT(target_capacity > 0);
	double cur = n > 0 ? (double)n : 1.0; /* [AWS-STAFF] from zero: 1 */
	double x = cur * cpr / target_capacity;
	double c = ceil(x - 1e-9 * fmax(1.0, x));
	if (c < 0)
		return 0;
	if (c > (double)INT_MAX)
		return INT_MAX;
	return (int)c;
}

bool
cas_warmup_blocks(const sim_time *launched, int n, sim_time now,
    sim_time warmup)
{
	for (int i = 0; i < n; i++)
		if (now - launched[i] < warmup)
			return true;
	return false;
}
