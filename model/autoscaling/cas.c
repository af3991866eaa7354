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
cas_assume(recorder *r)
{
	/* the values of cas_params are parameters (model/autoscaling/
	 * as_params.h); these are choices of method with no alternative */
	rec_assume(r, "capacityProvider.binpack",
	    "first fit decreasing on the largest type", "MODEL",
	    "[INF] AWS describes the estimate only qualitatively");
	rec_assume(r, "capacityProvider.asgDesired",
	    "ceil(max(N,1) x CPR / targetCapacity)", "MODEL",
	    "[INF] ASG target tracking on CPR");
	rec_assume(r, "capacityProvider.weightRounding",
	    "next task to min (count+1)/weight, ties to the first",
	    "MODEL", "[UNCONFIRMED] AWS does not document the integer split");
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
cas_step(const cp_managed_scaling *m, int estimate)
{
	if (estimate <= 0)
		return 0;
	if (estimate < m->min_step)
		return m->min_step; /* [DOC] at least the minimum step */
	return estimate < m->max_step ? estimate : m->max_step;
}

void
cas_reservation(const cp_managed_scaling *m, const cas_params *p, int n,
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
