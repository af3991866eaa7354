/*
 * spot — mixed instances policies, Spot pools and interruptions (see
 * spot.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/autoscaling/capacity.h"
#include "model/autoscaling/spot.h"
#include "model/ecs/catalog.h"
#include "model/ecs/faults.h"
#include "model/ecs/listeners.h"
#include "sim/xalloc.h"

/* ---------------------------------------------------------------- */
/* MixedInstancesPolicy.                                             */

static const char *const strategies[] = {"lowest-price", "capacity-optimized",
    "capacity-optimized-prioritized", "price-capacity-optimized"};

int
spot_parse_mixed(model_cfg *c, const jr_val *v, mixed_cfg **out, sim_error *err)
{
	jr_obj o, lo, dobj;
	jr_val lt, ov, dv, x;
	int rc, n;
	mixed_cfg *mx = ARENA_NEW(c->a, mixed_cfg);
	/* [DOC] InstancesDistribution defaults */
	mx->od_percent = 100;
	mx->strategy = SPOT_LOWEST_PRICE;
	mx->spot_pools = 2;
	if ((rc = jr_object(v, &o, err)) || (rc = jr_need(&o, "LaunchTemplate", &lt, err)) ||
	    (rc = jr_object(&lt, &lo, err)) || (rc = jr_need(&lo, "Overrides", &ov, err)) ||
	    (rc = jr_array(&ov, &n, err)))
		return rc;
	if (n == 0)
		return jr_fail(&ov, err, "a mixed instances policy lists at least one instance type in Overrides");
	if (n > 40)
		return jr_fail(&ov, err, "at most 40 instance types per Auto Scaling group [DOC], got %d", n);
	if (jr_get(&lo, "LaunchTemplateSpecification", &x))
		cfg_note(c, &x);
	if ((rc = jr_done(&lo, err)))
		return rc;
	mx->types = ARENA_ARRAY(c->a, const char *, (size_t)n);
	for (int i = 0; i < n; i++) {
		jr_val e, tv;
		jr_obj eo;
		jr_elem(&ov, i, &e);
		if ((rc = jr_object(&e, &eo, err)))
			return rc;
		if (jr_get(&eo, "InstanceRequirements", &x))
			return jr_fail(&x, err, "give instance types by name (InstanceType): attribute-based selection is not simulated");
		if (jr_get(&eo, "WeightedCapacity", &x))
			return jr_fail(&x, err, "an Auto Scaling group behind an ECS capacity provider must not use instance weighting [DOC]");
		if (jr_get(&eo, "LaunchTemplateSpecification", &x))
			cfg_note(c, &x);
		if (jr_get(&eo, "ImageId", &x))
			cfg_note(c, &x);
		const cat_type *t;
		if ((rc = jr_need(&eo, "InstanceType", &tv, err)) || (rc = cat_read(c->cat, &tv, &t, err)) ||
		    (rc = jr_done(&eo, err)))
			return rc;
		for (int k = 0; k < i; k++)
			if (strcmp(mx->types[k], t->name) == 0)
				return jr_fail(&tv, err, "instance type %s is listed twice in Overrides", t->name);
		mx->types[i] = t->name;
	}
	mx->ntypes = n;
	if (jr_get(&o, "InstancesDistribution", &dv)) {
		static const char *const od[] = {"prioritized", "lowest-price"};
		int ods, sps;
		if ((rc = jr_object(&dv, &dobj, err)) ||
		    (rc = jr_opt_enum(&dobj, "OnDemandAllocationStrategy", od, 2, 0, &ods, err)) ||
		    (rc = jr_opt_int32(&dobj, "OnDemandBaseCapacity", 0, 5000, 0, &mx->od_base, err)) ||
		    (rc = jr_opt_int32(&dobj, "OnDemandPercentageAboveBaseCapacity", 0, 100, 100,
		    &mx->od_percent, err)) ||
		    (rc = jr_opt_enum(&dobj, "SpotAllocationStrategy", strategies, 4, 0, &sps, err)))
			return rc;
		mx->od_lowest_price = ods == 1;
		mx->strategy = (spot_strategy)sps;
		if (jr_get(&dobj, "SpotInstancePools", &x)) {
			/* [DOC] valid only with lowest-price, 1-20 */
			if (mx->strategy != SPOT_LOWEST_PRICE)
				return jr_fail(&x, err, "SpotInstancePools is valid only when SpotAllocationStrategy is lowest-price (here %s)",
				    strategies[mx->strategy]);
			if ((rc = jr_int32(&x, 1, 20, &mx->spot_pools, err)))
				return rc;
		}
		if (jr_get(&dobj, "SpotMaxPrice", &x)) {
			const char *sp;
			if ((rc = jr_str(&x, &sp, err)))
				return rc;
			if (sp[0] != '\0') {
				char *end;
				mx->max_price = strtod(sp, &end);
				if (*end != '\0' || !(mx->max_price >= 0.001))
					return jr_fail(&x, err, "SpotMaxPrice is a price per hour of at least 0.001 as a string, or \"\" for none; got \"%s\"", sp);
			}
		}
		if ((rc = jr_done(&dobj, err)))
			return rc;
	}
	if ((rc = jr_done(&o, err)))
		return rc;
	if (mx->od_percent < 100)
		faults_cfg_of(c)->spot_used = true;
	*out = mx;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Pools.                                                            */

/* The faults section's entry for the pool: the zone's own, else the
 * type's for every zone. */
static const spot_pool_cfg *
pool_cfg(const model *m, const char *type, const char *az, bool fargate)
{
	const faults_cfg *c = faults_config(m);
	const spot_pool_cfg *any = NULL;
	for (int i = 0; i < c->npools; i++) {
		const spot_pool_cfg *p = &c->pools[i];
		if (p->fargate != fargate || (!fargate && strcmp(p->type, type) != 0))
			continue;
		if (p->az != NULL && az != NULL && strcmp(p->az, az) == 0)
			return p;
		if (p->az == NULL)
			any = p;
	}
	return any;
}

/* Interruptions per hour of one instance (or task) of the pool. */
static double
pool_rate(const model *m, const char *type, const char *az, bool fargate)
{
	const faults_cfg *c = faults_config(m);
	const spot_pool_cfg *p = pool_cfg(m, type, az, fargate);
	if (p != NULL && p->has_rate)
		return p->rate;
	return c->has_spot_rate ? c->spot_rate : 0;
}

static double
pool_price(const model *m, const char *type, const char *az)
{
	const spot_pool_cfg *p = pool_cfg(m, type, az, false);
	if (p != NULL && p->has_price)
		return p->price;
	return cat_spot_price(cat_find(m->cfg->cat, type), faults_params_of(m)->spot_price_percent);
}

static int
members_of(instance *const *members, int n, const char *type, const char *az, bool spot)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += members[i]->status != INST_GONE && members[i]->spot == spot &&
		    strcmp(members[i]->type_name, type) == 0 && strcmp(members[i]->az, az) == 0;
	return k;
}

void
spot_choose(model *m, const asg_cfg *a, instance *const *members, int nmembers,
    const char *az, const char **type, bool *spot, double *price)
{
	const mixed_cfg *x = a->mixed;
	int live = 0, od = 0;
	for (int i = 0; i < nmembers; i++) {
		const instance *in = members[i];
		if (in->status != INST_LAUNCHING && in->status != INST_ACTIVE)
			continue;
		live++;
		od += !in->spot;
	}
	/* [DOC] the base first, then the percentage above it; [INF] the
	 * On-Demand count above the base rounded up */
	int total = live + 1;
	int base = total < x->od_base ? total : x->od_base;
	int od_target = base + (int)ceil((double)(total - base) * x->od_percent / 100.0 - 1e-9);
	if (od < od_target) {
		*spot = false;
		*type = x->types[0]; /* prioritized: the first listed [DOC] */
		if (x->od_lowest_price)
			for (int i = 1; i < x->ntypes; i++)
				if (cat_find(m->cfg->cat, x->types[i])->price_per_hour <
				    cat_find(m->cfg->cat, *type)->price_per_hour)
					*type = x->types[i];
		*price = cat_find(m->cfg->cat, *type)->price_per_hour;
		return;
	}
	*spot = true;
	/* the pools of the zone, in list order, with price and rate */
	int n = x->ntypes;
	int best = -1;
	double bp = 0, br = 0;
	double lo_rate = (double)INFINITY;
	for (int i = 0; i < n; i++) {
		double p = pool_price(m, x->types[i], az);
		if (x->max_price > 0 && p > x->max_price)
			continue; /* [DOC] above SpotMaxPrice: not launched */
		double r = pool_rate(m, x->types[i], az, false);
		if (r < lo_rate)
			lo_rate = r;
	}
	/* lowest-price: the SpotInstancePools cheapest pools */
	double cutoff = (double)INFINITY;
	if (x->strategy == SPOT_LOWEST_PRICE) {
		double *prices = xcalloc((size_t)n, sizeof(*prices));
		int k = 0;
		for (int i = 0; i < n; i++) {
			double p = pool_price(m, x->types[i], az);
			if (!(x->max_price > 0 && p > x->max_price))
				prices[k++] = p;
		}
		for (int i = 1; i < k; i++)
			for (int j = i; j > 0 && prices[j - 1] > prices[j]; j--) {
				double t = prices[j];
				prices[j] = prices[j - 1];
				prices[j - 1] = t;
			}
		if (k > 0)
			cutoff = prices[(k < x->spot_pools ? k : x->spot_pools) - 1];
		free(prices);
	}
	int bcount = 0;
	for (int i = 0; i < n; i++) {
		const char *t = x->types[i];
		double p = pool_price(m, t, az);
		if (x->max_price > 0 && p > x->max_price)
			continue;
		double r = pool_rate(m, t, az, false);
		int cnt = members_of(members, nmembers, t, az, true);
		bool better = false;
		switch (x->strategy) {
		case SPOT_LOWEST_PRICE:
			if (p > cutoff)
				continue;
			better = best < 0 || cnt < bcount || (cnt == bcount && p < bp);
			break;
		case SPOT_CAPACITY_OPTIMIZED:
			better = best < 0 || r < br || (r == br && p < bp);
			break;
		case SPOT_CAPACITY_OPTIMIZED_PRIORITIZED:
			better = best < 0 || r < br;
			break;
		case SPOT_PRICE_CAPACITY_OPTIMIZED:
			if (r > 2 * lo_rate)
				continue;
			better = best < 0 || p < bp || (p == bp && r < br);
			break;
		}
		if (better) {
			best = i;
			bp = p;
			br = r;
			bcount = cnt;
		}
	}
	if (best < 0) {
		*type = NULL; /* every pool above SpotMaxPrice */
		return;
	}
	*type = x->types[best];
	*price = bp;
}

/* ---------------------------------------------------------------- */
/* Runtime: interruptions.                                           */

typedef struct pending {
	instance *in;          /* EC2 Spot Instance, or NULL */
	task *t;               /* Fargate Spot task, or NULL */
	rng *r;
	evq_handle ev;
	fault *f;              /* the interruption under way, or NULL */
	bool noticed;
} pending;

struct spot {
	model *m;
	pending **p;
	size_t n, cap;
	int ncalls;
};

static pending *
add_pending(model *m)
{
	struct spot *sp = m->spot;
	pending *x = xcalloc(1, sizeof(*x));
	XGROW(sp->p, sp->cap, sp->n + 1);
	sp->p[sp->n++] = x;
	return x;
}

static void
drop_pending(model *m, pending *x)
{
	struct spot *sp = m->spot;
	eng_cancel(m->eng, x->ev);
	rng_free(x->r);
	for (size_t i = 0; i < sp->n; i++)
		if (sp->p[i] == x) {
			sp->p[i] = sp->p[--sp->n];
			break;
		}
	free(x);
}

static pending *
find_pending_instance(model *m, const instance *in)
{
	struct spot *sp = m->spot;
	for (size_t i = 0; i < sp->n; i++)
		if (sp->p[i]->in == in)
			return sp->p[i];
	return NULL;
}

static pending *
find_pending_task(model *m, const task *t)
{
	struct spot *sp = m->spot;
	for (size_t i = 0; i < sp->n; i++)
		if (sp->p[i]->t == t)
			return sp->p[i];
	return NULL;
}

static void
spot_event(model *m, fault *f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
spot_event(model *m, fault *f, const char *fmt, ...)
{
	(void)f;
	char text[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	rec_event_add(m->rec, eng_now(m->eng), "fault/spotInterruption", "fault", "%s", text);
}

/* Two minutes after the notice: EC2 takes the instance back. */
static void
instance_reclaimed(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	pending *x = obj;
	instance *in = x->in;
	model *m = in->cl->m;
	x->ev = EVQ_NONE;
	fault *f = x->f;
	if (in->status != INST_GONE) {
		spot_event(m, f, "EC2 interrupted Spot Instance %s (%s, %s)", in->ec2_id,
		    in->type_name, in->az);
		faults_terminate_instance(m, in, f, "Spot Instance interruption");
	}
	drop_pending(m, x);
	faults_end(m, f);
}

/* The two-minute notice for an EC2 Spot Instance [DOC]. */
static void
notice_instance(model *m, pending *x, fault *f, bool single)
{
	instance *in = x->in;
	x->f = f;
	x->noticed = true;
	eng_cancel_clear(m->eng, &x->ev);
	char b[32];
	bool drain = faults_agent(m, in->cl)->spot_draining;
	spot_event(m, f, "Spot Instance interruption notice for %s (%s, %s): terminate at %s%s",
	    in->ec2_id, in->type_name, in->az,
	    simtime_clock(eng_now(m->eng) + faults_params_of(m)->spot_notice, b, sizeof(b)),
	    drain ? "; ECS sets it DRAINING (ECS_ENABLE_SPOT_INSTANCE_DRAINING)" : "");
	if (single) {
		faults_detail(f, "instanceType", in->type_name);
		faults_detail(f, "az", in->az);
	}
	faults_mark_doomed(m, in);
	/* [DOC] with Spot Instance draining on, ECS receives the notice and
	 * places the instance in DRAINING */
	if (drain)
		instance_set_draining(m, in);
	x->ev = eng_after(m->eng, faults_params_of(m)->spot_notice, instance_reclaimed, x, 0);
	for (int i = 0; i < m->nservices; i++)
		faults_service_changed(m->services[i]);
}

static void
random_instance_notice(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	pending *x = obj;
	model *m = x->in->cl->m;
	x->ev = EVQ_NONE;
	if (x->in->status == INST_GONE) {
		drop_pending(m, x);
		return;
	}
	fault *f = faults_open(m, "spotInterruption", x->in->ec2_id, x->in->cl, NULL, true);
	notice_instance(m, x, f, true);
}

void
spot_instance_launched(model *m, instance *in)
{
	if (!in->spot || m->spot == NULL)
		return;
	pending *x = add_pending(m);
	x->in = in;
	double rate = pool_rate(m, in->type_name, in->az, false);
	if (rate <= 0)
		return;
	x->r = rng_new(m->seed, "fault.spot", in->fault_entity);
	sim_time at = eng_now(m->eng) + rng_exp_mean_us(x->r, (sim_time)(3600.0 / rate * SIM_SEC));
	if (at <= m->end)
		x->ev = eng_at(m->eng, at, random_instance_notice, x, 0);
}

/* ---- Fargate Spot ---- */

static bool
task_on_fargate_spot(const model *m, const task *t)
{
	return t->cp >= 0 && m->cfg->cps[t->cp]->fargate &&
	    strcmp(m->cfg->cps[t->cp]->p.name, "FARGATE_SPOT") == 0;
}

static void
task_reclaimed(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	pending *x = obj;
	x->ev = EVQ_NONE;
	task_kill(x->t); /* SIGKILL two minutes after the warning */
}

/* [DOC] the warning: a task state change with stopCode SpotInterruption
 * and SIGTERM; the task is stopped two minutes later at the latest. */
static void
notice_task(model *m, pending *x, fault *f)
{
	task *t = x->t;
	x->f = f;
	x->noticed = true;
	eng_cancel_clear(m->eng, &x->ev);
	static const char reason[] = "Your Spot Task was interrupted.";
	faults_note_task(m, f, t, STOP_SPOT_INTERRUPTION, reason);
	task_stop(t, STOP_SPOT_INTERRUPTION, reason);
	if (t->status != TS_STOPPED)
		x->ev = eng_after(m->eng, faults_params_of(m)->spot_notice, task_reclaimed, x, 0);
}

static void
random_task_notice(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	pending *x = obj;
	model *m = x->t->svc->m;
	x->ev = EVQ_NONE;
	task *t = x->t;
	fault *f = faults_open(m, "spotInterruption", t->id, t->svc->cl, t->svc, true);
	faults_detail(f, "capacityProvider", "FARGATE_SPOT");
	faults_detail(f, "az", t->az ? t->az : "");
	spot_event(m, f, "Fargate Spot interruption warning for task %s of service %s", t->id, t->svc->name);
	notice_task(m, x, f);
	faults_end(m, f);
}

static void
on_task_running(void *ctx, task *t)
{
	model *m = ctx;
	if (!task_on_fargate_spot(m, t))
		return;
	double rate = pool_rate(m, NULL, t->az, true);
	if (rate <= 0)
		return;
	pending *x = add_pending(m);
	x->t = t;
	uint64_t entity = rng_fnv1a64(t->svc->name) * UINT64_C(1000003) + t->serial;
	x->r = rng_new(m->seed, "fault.fargateSpot", entity);
	sim_time at = eng_now(m->eng) + rng_exp_mean_us(x->r, (sim_time)(3600.0 / rate * SIM_SEC));
	if (at <= m->end)
		x->ev = eng_at(m->eng, at, random_task_notice, x, 0);
}

static void
on_task_gone(void *ctx, task *t)
{
	model *m = ctx;
	pending *x = find_pending_task(m, t);
	if (x == NULL)
		return;
	if (x->noticed)
		faults_detail_time(x->f, "lastTaskStopped", eng_now(m->eng));
	drop_pending(m, x);
}

/* ---------------------------------------------------------------- */
/* sim:SpotInterruption.                                             */

typedef struct spot_call {
	const char *group;        /* EC2 form */
	const char *type, *az;    /* optional filters */
	const char *cluster;      /* Fargate form */
	const char *service;      /* optional */
	int count;
	double fraction;          /* < 0: count */
	int serial;
} spot_call;

static int
parse_spot_call(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x, gv, cpv;
	int rc;
	spot_call *k = ARENA_NEW(c->a, spot_call);
	k->fraction = -1;
	if ((rc = jr_object(in, &o, err)))
		return rc;
	bool group = jr_get(&o, "AutoScalingGroupName", &gv);
	bool fargate = jr_get(&o, "capacityProvider", &cpv);
	if (group == fargate)
		return jr_fail(in, err, "name the Spot capacity: an \"AutoScalingGroupName\" (EC2 Spot Instances) or the \"capacityProvider\" FARGATE_SPOT");
	if (group) {
		if ((rc = jr_str(&gv, &k->group, err)))
			return rc;
		const asg_cfg *a = capacity_find_group(c, k->group);
		if (a == NULL)
			return jr_fail(&gv, err, "Auto Scaling group \"%s\" is not defined", k->group);
		if (a->mixed == NULL || (a->mixed->od_percent == 100))
			return jr_fail(&gv, err, "Auto Scaling group \"%s\" launches no Spot Instances (it needs a MixedInstancesPolicy with OnDemandPercentageAboveBaseCapacity below 100)",
			    k->group);
		if (jr_get(&o, "instanceType", &x)) {
			const cat_type *t;
			if ((rc = cat_read(c->cat, &x, &t, err)))
				return rc;
			bool in_group = false;
			for (int i = 0; i < a->ntypes; i++)
				in_group |= strcmp(a->types[i], t->name) == 0;
			if (!in_group)
				return jr_fail(&x, err, "Auto Scaling group \"%s\" does not launch %s", k->group, t->name);
			k->type = t->name;
		}
		if (jr_get(&o, "availabilityZone", &x)) {
			if ((rc = jr_str(&x, &k->az, err)))
				return rc;
			bool in_group = false;
			for (int i = 0; i < a->nazs; i++)
				in_group |= strcmp(a->azs[i], k->az) == 0;
			if (!in_group)
				return jr_fail(&x, err, "Auto Scaling group \"%s\" has no instances in %s", k->group, k->az);
		}
		if ((rc = jr_req_int32(&o, "count", 1, 5000, &k->count, err)))
			return rc;
	} else {
		const char *cp;
		if ((rc = jr_str(&cpv, &cp, err)))
			return rc;
		if (strcmp(cp, "FARGATE_SPOT") != 0)
			return jr_fail(&cpv, err, "only FARGATE_SPOT is interrupted by capacity provider (EC2 Spot Instances by their \"AutoScalingGroupName\"), got \"%s\"", cp);
		if ((rc = jr_opt_str(&o, "cluster", "default", &k->cluster, err)))
			return rc;
		if (cfg_find_provider(c, k->cluster, "FARGATE_SPOT") == NULL) {
			if (!jr_get(&o, "cluster", &x))
				x = cpv;
			return jr_fail(&x, err, "cluster \"%s\" has no FARGATE_SPOT capacity provider", k->cluster);
		}
		if (jr_get(&o, "service", &x)) {
			if ((rc = jr_str(&x, &k->service, err)))
				return rc;
			known_service *ks = cfg_known_service(c, k->cluster, k->service);
			if (ks == NULL || ks->deleted)
				return jr_fail(&x, err, "service \"%s\" does not exist in cluster \"%s\" at this point of the scenario",
				    k->service, k->cluster);
		}
		jr_val fv, nv;
		bool has_f = jr_get(&o, "fraction", &fv), has_n = jr_get(&o, "count", &nv);
		if (has_f == has_n)
			return jr_fail(in, err, "give the Fargate Spot tasks interrupted as \"fraction\" (of those RUNNING, rounded up) or \"count\"");
		if (has_f && (rc = jr_num(&fv, 0, 1, &k->fraction, err)))
			return rc;
		if (has_n && (rc = jr_int32(&nv, 1, 100000, &k->count, err)))
			return rc;
	}
	if ((rc = jr_done(&o, err)))
		return rc;
	k->serial = faults_cfg_of(c)->nspot_calls++;
	faults_cfg_of(c)->used = true;
	*typed = k;
	return 0;
}

static int
apply_spot_call(model *m, void *typed, sim_error *err)
{
	(void)err;
	spot_call *k = typed;
	if (k->group != NULL) {
		int n;
		instance *const *mem = capacity_group_members(m, k->group, &n);
		instance **cand = xcalloc((size_t)(n ? n : 1), sizeof(*cand));
		int nc = 0;
		for (int i = 0; i < n; i++) {
			instance *in = mem[i];
			pending *x = find_pending_instance(m, in);
			if (!in->spot || in->status == INST_GONE || (x && x->noticed) ||
			    (k->type && strcmp(in->type_name, k->type) != 0) ||
			    (k->az && strcmp(in->az, k->az) != 0))
				continue;
			cand[nc++] = in;
		}
		/* the oldest first [INF] */
		for (int i = 1; i < nc; i++)
			for (int j = i; j > 0 && (cand[j - 1]->launched_at > cand[j]->launched_at ||
			    (cand[j - 1]->launched_at == cand[j]->launched_at && cand[j - 1]->index > cand[j]->index)); j--) {
				instance *t = cand[j];
				cand[j] = cand[j - 1];
				cand[j - 1] = t;
			}
		int take = nc < k->count ? nc : k->count;
		fault *f = faults_open(m, "spotInterruption", k->group, nc ? cand[0]->cl : NULL, NULL, false);
		faults_detail_int(f, "instances", take);
		spot_event(m, f, "Spot interruption of %d of the %d Spot Instances of group %s%s", take, nc, k->group,
		    take < k->count ? " (fewer than asked)" : "");
		for (int i = 0; i < take; i++) {
			pending *x = find_pending_instance(m, cand[i]);
			if (x == NULL) {
				x = add_pending(m);
				x->in = cand[i];
			}
			notice_instance(m, x, f, false);
		}
		if (take == 0)
			faults_end(m, f);
		free(cand);
		return 0;
	}
	cluster *cl = model_find_cluster(m, k->cluster);
	task **cand = NULL;
	size_t nc = 0, cap = 0;
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		if (s->cl != cl || s->deleted || (k->service && strcmp(s->name, k->service) != 0))
			continue;
		for (task *t = s->tasks; t; t = t->next)
			if (t->status == TS_RUNNING && !t->desired_stopped && task_on_fargate_spot(m, t)) {
				XGROW(cand, cap, nc + 1);
				cand[nc++] = t;
			}
	}
	size_t take = k->fraction >= 0 ? (size_t)ceil(k->fraction * (double)nc - 1e-9) : (size_t)k->count;
	if (take > nc)
		take = nc;
	service *only = k->service ? model_find_service(m, k->cluster, k->service) : NULL;
	fault *f = faults_open(m, "spotInterruption", "FARGATE_SPOT", cl, only, false);
	faults_detail(f, "capacityProvider", "FARGATE_SPOT");
	spot_event(m, f, "Fargate Spot interruption of %zu of the %zu RUNNING FARGATE_SPOT tasks", take, nc);
	rng *r = rng_new(m->seed, "fault.spotCall", (uint64_t)k->serial);
	for (size_t i = 0; i < take; i++) {
		size_t j = i + rng_uniform_index(r, (unsigned long)(nc - i));
		task *t = cand[i];
		cand[i] = cand[j];
		cand[j] = t;
	}
	rng_free(r);
	for (size_t i = 0; i < take; i++) {
		pending *x = find_pending_task(m, cand[i]);
		if (x == NULL) {
			x = add_pending(m);
			x->t = cand[i];
		}
		notice_task(m, x, f);
	}
	free(cand);
	faults_end(m, f);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Life cycle.                                                       */

void
spot_register(model_cfg *c, scn_spec *sp)
{
	cfg_add_call(c, sp, "sim:SpotInterruption", parse_spot_call, apply_spot_call);
}

void
spot_start(model *m)
{
	struct spot *sp = arena_calloc(m->a, 1, sizeof(*sp));
	sp->m = m;
	m->spot = sp;
	ecs_listener l = {.ctx = m, .task_running = on_task_running, .task_gone = on_task_gone};
	ecs_subscribe(m, &l);
}

void
spot_free(model *m)
{
	struct spot *sp = m->spot;
	if (sp == NULL)
		return;
	for (size_t i = 0; i < sp->n; i++) {
		rng_free(sp->p[i]->r);
		free(sp->p[i]);
	}
	free(sp->p);
	m->spot = NULL;
}

void
spot_assume(model *m)
{
	const fleet_cfg *fc = m->cfg->fleet;
	bool mixed = false;
	for (int i = 0; fc && i < fc->nasgs; i++)
		mixed |= fc->asgs[i]->mixed != NULL;
	if (!mixed)
		return;
	rec_assume(m->rec, "spot.allocation",
	    "lowest-price: the SpotInstancePools cheapest pools of the zone, the emptiest first; capacity-optimized: the lowest interruption rate; price-capacity-optimized: the cheapest pool whose rate is at most twice the zone's lowest",
	    "MODEL", "[INF] AWS describes the strategies, not their algorithm; a pool's available capacity is modelled by its interruption rate (faults.spotPools)");
	rec_assume(m->rec, "spot.onDemandRounding", "up", "MODEL",
	    "[INF] the On-Demand count above OnDemandBaseCapacity is ceil(OnDemandPercentageAboveBaseCapacity % of the capacity above the base)");
}
