/*
 * capacity — Auto Scaling groups and capacity providers (see capacity.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/autoscaling/alarm.h"
#include "model/autoscaling/as_params.h"
#include "model/autoscaling/capacity.h"
#include "model/autoscaling/spot.h"
#include "model/ecs/catalog.h"
#include "model/ecs/ecs_cfg.h"
#include "model/ecs/faults.h"
#include "model/ecs/listeners.h"
#include "sim/xalloc.h"

/* ---------------------------------------------------------------- */
/* Configuration.                                                    */

static fleet_cfg *
cfg_fleet(model_cfg *c)
{
	if (c->fleet == NULL) {
		c->fleet = ARENA_NEW(c->a, fleet_cfg);
	}
	return c->fleet;
}

static void *
grow(arena *a, void *old, int n, int *cap, size_t elsize)
{
	if (n < *cap)
		return old;
	int ncap = *cap ? *cap * 2 : 8;
	void *p = arena_calloc(a, (size_t)ncap, elsize);
	if (n)
		memcpy(p, old, (size_t)n * elsize);
	*cap = ncap;
	return p;
}

static const asg_cfg *
find_asg(const fleet_cfg *f, const char *ref)
{
	if (f == NULL)
		return NULL;
	/* arn:aws:autoscaling:r:a:autoScalingGroup:uuid:autoScalingGroupName/NAME */
	const char *n = strstr(ref, "autoScalingGroupName/");
	n = n ? n + strlen("autoScalingGroupName/") : ref;
	for (int i = 0; i < f->nasgs; i++)
		if (strcmp(f->asgs[i]->name, n) == 0)
			return f->asgs[i];
	return NULL;
}

static int
str_list(model_cfg *c, const jr_val *v, const char ***out, int *n, sim_error *err)
{
	int rc;
	if ((rc = jr_array(v, n, err)))
		return rc;
	if (*n == 0)
		return jr_fail(v, err, "must not be empty");
	*out = ARENA_ARRAY(c->a, const char *, (size_t)*n);
	for (int i = 0; i < *n; i++) {
		jr_val e;
		jr_elem(v, i, &e);
		if ((rc = jr_str(&e, &(*out)[i], err)))
			return rc;
	}
	return 0;
}

/* [DOC API CreateAutoScalingGroup] AutoScalingGroupName: 1 to 255
 * characters. */
static int
check_asg_name(const jr_val *v, const char *name, sim_error *err)
{
	size_t n = strlen(name);
	if (n == 0 || n > 255)
		return jr_fail(v, err, "AutoScalingGroupName has 1 to 255 characters, got %zu", n);
	return cfg_check_template(v, name, err);
}

/* A cluster's "autoScalingGroups": create-auto-scaling-group inputs. */
static int
parse_asgs(model_cfg *c, cluster_cfg *cc, const jr_val *v, sim_error *err)
{
	fleet_cfg *f = cfg_fleet(c);
	int n, rc;
	cc->elastic = true;
	if ((rc = jr_array(v, &n, err)))
		return rc;
	for (int i = 0; i < n; i++) {
		jr_val e, x;
		jr_obj o;
		jr_elem(v, i, &e);
		asg_cfg *a = ARENA_NEW(c->a, asg_cfg);
		a->pos = jr_where(&e);
		a->cluster = cc->name;
		if ((rc = jr_object(&e, &o, err)) ||
		    (rc = jr_need(&o, "AutoScalingGroupName", &x, err)) ||
		    (rc = jr_str(&x, &a->name, err)) ||
		    (rc = check_asg_name(&x, a->name, err)) ||
		    (rc = jr_req_int32(&o, "MinSize", 0, 5000, &a->min, err)) ||
		    (rc = jr_req_int32(&o, "MaxSize", 0, 5000, &a->max, err)))
			return rc;
		if (a->max < a->min) {
			jr_get(&o, "MaxSize", &x);
			return jr_fail(&x, err, "MaxSize %d is below MinSize %d", a->max, a->min);
		}
		if ((rc = jr_opt_int32(&o, "DesiredCapacity", a->min, a->max, a->min, &a->desired, err)))
			return rc;
		if (find_asg(f, a->name))
			return jr_fail(&e, err, "Auto Scaling group \"%s\" is defined twice", a->name);
		bool one = jr_get(&o, "InstanceType", &x);
		jr_val many, mv;
		bool several = jr_get(&o, "InstanceTypes", &many);
		bool mixed = jr_get(&o, "MixedInstancesPolicy", &mv);
		if (one + several + mixed != 1)
			return jr_fail(&e, err, "give the instance type as \"InstanceType\", a mixed group's \"InstanceTypes\" (the launch template's choice), or a \"MixedInstancesPolicy\" with LaunchTemplate.Overrides; exactly one of them");
		if (one) {
			const cat_type *t;
			if ((rc = cat_read(c->cat, &x, &t, err)))
				return rc;
			a->types = ARENA_ARRAY(c->a, const char *, 1);
			a->types[0] = t->name;
			a->ntypes = 1;
		} else if (several) {
			if ((rc = str_list(c, &many, &a->types, &a->ntypes, err)))
				return rc;
			for (int k = 0; k < a->ntypes; k++) {
				jr_val te;
				const cat_type *t;
				jr_elem(&many, k, &te);
				if ((rc = cat_read(c->cat, &te, &t, err)))
					return rc;
			}
		} else {
			if ((rc = spot_parse_mixed(c, &mv, &a->mixed, err)))
				return rc;
			a->types = a->mixed->types;
			a->ntypes = a->mixed->ntypes;
		}
		int grace_s;
		if ((rc = jr_opt_int32(&o, "HealthCheckGracePeriod", 0, 2147483647, 0, &grace_s, err)))
			return rc;
		a->grace = (sim_time)grace_s * SIM_SEC;
		if (jr_get(&o, "AvailabilityZones", &x)) {
			if ((rc = str_list(c, &x, &a->azs, &a->nazs, err)))
				return rc;
			for (int k = 0; k < a->nazs; k++) {
				jr_val ze;
				jr_elem(&x, k, &ze);
				if ((rc = cfg_check_az(c, &ze, a->azs[k], err)))
					return rc;
			}
		} else {
			a->nazs = 2;
			a->azs = ARENA_ARRAY(c->a, const char *, 2);
			a->azs[0] = arena_printf(c->a, "%sa", c->params.region);
			a->azs[1] = arena_printf(c->a, "%sb", c->params.region);
		}
		if ((rc = jr_opt_bool(&o, "NewInstancesProtectedFromScaleIn", false, &a->protect_new, err)))
			return rc;
		static const char *const noeffect[] = {"LaunchTemplate",
		    "LaunchConfigurationName", "VPCZoneIdentifier", "DefaultCooldown",
		    "HealthCheckType", "Tags", "TerminationPolicies",
		    "CapacityRebalance", "DefaultInstanceWarmup", "ServiceLinkedRoleARN"};
		for (size_t k = 0; k < sizeof(noeffect) / sizeof(noeffect[0]); k++)
			if (jr_get(&o, noeffect[k], &x))
				cfg_note(c, &x);
		if ((rc = jr_done(&o, err)))
			return rc;
		f->asgs = grow(c->a, f->asgs, f->nasgs, &f->capasgs, sizeof(*f->asgs));
		f->asgs[f->nasgs++] = a;
	}
	return 0;
}

/* ECS asks whether an Auto Scaling group provider's group exists: it must
 * be one of this cluster's groups, and have no other provider. */
static int
check_provider(model_cfg *c, const cluster_cfg *cc, const cp_cfg *cp,
    const jr_val *e, sim_error *err)
{
	const asg_cfg *asg = find_asg(c->fleet, cp->p.asg);
	if (asg == NULL)
		return jr_fail(e, err, "Auto Scaling group \"%s\" is not defined in this cluster's autoScalingGroups",
		    cp->p.asg);
	if (strcmp(asg->cluster, cc->name) != 0)
		return jr_fail(e, err, "Auto Scaling group \"%s\" belongs to cluster \"%s\"", cp->p.asg, asg->cluster);
	for (int k = 0; k < c->ncps; k++)
		if (!c->cps[k]->fargate && find_asg(c->fleet, c->cps[k]->p.asg) == asg)
			return jr_fail(e, err, "Auto Scaling group \"%s\" already has capacity provider \"%s\"",
			    cp->p.asg, c->cps[k]->p.name);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Run time.                                                         */

struct asg {
	const asg_cfg *cfg;
	model *m;
	cluster *cl;
	int desired, min, max;
	instance **members;       /* not GONE */
	int nmembers, capmembers;
	rng *r;
	int cp;                   /* its capacity provider, or -1 */
	int index;
	int series;
	/* health checks due (an instance impaired or lost) */
	struct hc_due {
		instance *in;
		evq_handle ev;
	} *due;
	size_t ndue, capdue;
	bool launch_blocked;      /* every zone was out at a launch */
	instance **draining;      /* members it drains before terminating */
	size_t ndraining, capdraining;
	int rebalancing;          /* instances launched to rebalance zones */
	int launches;             /* launches so far (cas.mixedGroupLaunches) */
};

typedef struct cp_rt {
	const cp_cfg *cfg;
	struct asg *asg;
	alarm *high, *low;
	alarm_eval eh, el;
	char high_name[600], low_name[600]; /* "TargetTracking-" + a resource id of two 255-character names + 60 */
	int series;
	int64_t excluded;         /* provisioning tasks no instance type fits */
	double last_cpr;          /* the last CapacityProviderReservation */
} cp_rt;

struct fleet {
	struct asg **asgs;
	int nasgs;
	cp_rt *cps;
	int ncps;
	evq_handle tick;
	alarm_cp_params ap;
};

static void asg_launch_done(engine *e, void *obj, uint64_t arg);

static struct asg *
asg_by_name(model *m, const char *name)
{
	for (int i = 0; i < m->fleet->nasgs; i++)
		if (strcmp(m->fleet->asgs[i]->cfg->name, name) == 0)
			return m->fleet->asgs[i];
	return NULL;
}

/* An Auto Scaling activity: what happened to which instance, and why. */
static void
asg_event(model *m, struct asg *a, const char *what, const char *id,
    const char *cause)
{
	char src[300];
	snprintf(src, sizeof(src), "asg/%s", a->cfg->name);
	rec_event_add(m->rec, eng_now(m->eng), src, "scaling", "%s EC2 instance: %s. Cause: %s",
	    what, id, cause);
}

static bool
group_drains(const struct asg *a, const instance *in)
{
	for (size_t i = 0; i < a->ndraining; i++)
		if (a->draining[i] == in)
			return true;
	return false;
}

/* InService to the group: launching or ACTIVE, or DRAINING for a reason
 * of ECS's own (a Spot notice, a user): the group terminates only what it
 * drains itself. */
static int
live_members(const struct asg *a)
{
	int n = 0;
	for (int i = 0; i < a->nmembers; i++) {
		const instance *in = a->members[i];
		n += in->status == INST_LAUNCHING || in->status == INST_ACTIVE ||
		    (in->status == INST_DRAINING && !group_drains(a, in));
	}
	return n;
}

static void
remove_member(struct asg *a, instance *in)
{
	for (int i = 0; i < a->nmembers; i++)
		if (a->members[i] == in) {
			a->members[i] = a->members[--a->nmembers];
			return;
		}
}

/* [DOC] balance Availability Zones: launch in the zone with the fewest
 * instances of the group, first listed on ties; a zone that is out takes
 * no launch (balanced best effort). NULL: every zone is out. */
static const char *
launch_az(const struct asg *a)
{
	const char *best = NULL;
	int bestn = 0;
	for (int z = 0; z < a->cfg->nazs; z++) {
		if (faults_zone_down(a->m, a->cfg->azs[z]))
			continue;
		int n = 0;
		for (int i = 0; i < a->nmembers; i++)
			n += strcmp(a->members[i]->az, a->cfg->azs[z]) == 0 &&
			    a->members[i]->status != INST_DRAINING;
		if (best == NULL || n < bestn) {
			best = a->cfg->azs[z];
			bestn = n;
		}
	}
	return best;
}

static void
launch(model *m, struct asg *a, const char *cause)
{
	const char *az = launch_az(a);
	if (az == NULL) {
		a->launch_blocked = true; /* tried again at the next minute */
		return;
	}
	/* a MixedInstancesPolicy chooses purchase option and pool (spot.h);
	 * [INF] otherwise cas.mixedGroupLaunches: the first type, or each in
	 * turn */
	int ti = asp_get(m->cfg)->mixed_launch == ASP_MIXED_CYCLE ? a->launches % a->cfg->ntypes : 0;
	const char *type = a->cfg->types[ti];
	bool spot = false;
	double price = -1;
	if (a->cfg->mixed)
		spot_choose(m, a->cfg, a->members, a->nmembers, az, &type, &spot, &price);
	if (type == NULL) {
		a->launch_blocked = true; /* every Spot pool above SpotMaxPrice */
		return;
	}
	a->launches++;
	instance *in = cluster_add_instance(m, a->cl, type, az, INST_LAUNCHING, a, a->cp);
	in->protected_scale_in = a->cfg->protect_new;
	in->spot = spot;
	if (price >= 0)
		in->price_hour = price;
	faults_instance_launched(m, in, a->cfg->name);
	spot_instance_launched(m, in);
	if (a->nmembers == a->capmembers) {
		a->capmembers = a->capmembers ? 2 * a->capmembers : 8;
		a->members = xreallocarray(a->members, (size_t)a->capmembers, sizeof(*a->members));
	}
	a->members[a->nmembers++] = in;
	in->ev = eng_after(m->eng, dist_draw(&m->p->asg_launch_time, a->r), asg_launch_done, in, 0);
	asg_event(m, a, "Launching a new", in->ec2_id, cause);
}

static void asg_set_desired(model *m, struct asg *a, int n, const char *cause);

static void
asg_launch_done(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	instance *in = obj;
	in->ev = EVQ_NONE;
	if (in->status == INST_LAUNCHING)
		instance_activate(in->asg->m, in);
	struct asg *a = in->asg;
	if (a->rebalancing > 0) {
		/* [DOC] rebalancing launches first, then terminates the surplus
		 * of the fullest zones */
		for (int i = 0; i < a->nmembers; i++)
			if (a->members[i]->status == INST_LAUNCHING)
				return;
		a->rebalancing = 0;
		asg_set_desired(a->m, a, a->desired,
		    "an instance was taken out of service in response to an Availability Zone rebalancing activity.");
	}
}

static void
terminate(model *m, struct asg *a, instance *in, const char *cause)
{
	for (size_t i = 0; i < a->ndraining; i++)
		if (a->draining[i] == in) {
			a->draining[i] = a->draining[--a->ndraining];
			break;
		}
	asg_event(m, a, "Terminating", in->ec2_id, cause);
	eng_cancel_clear(m->eng, &in->ev);
	remove_member(a, in);
	instance_terminate(m, in, "EC2 instance terminated by its Auto Scaling group");
}

/* [DOC] default termination policy: the Availability Zone with the most
 * instances first; then (per-second billing, one launch template) at
 * random. Protected instances are skipped. */
static instance *
pick_victim(struct asg *a, bool managed_protection)
{
	const char *zone = NULL;
	int zonen = -1;
	for (int z = 0; z < a->cfg->nazs; z++) {
		int n = 0, cand = 0;
		for (int i = 0; i < a->nmembers; i++) {
			instance *in = a->members[i];
			if (strcmp(in->az, a->cfg->azs[z]) != 0 || in->status == INST_DRAINING)
				continue;
			n++;
			cand += !(managed_protection && in->ntasks > 0) && !(in->protected_scale_in && !managed_protection);
		}
		if (cand > 0 && n > zonen) {
			zone = a->cfg->azs[z];
			zonen = n;
		}
	}
	if (zone == NULL)
		return NULL;
	instance *cands[64];
	int nc = 0;
	for (int i = 0; i < a->nmembers && nc < 64; i++) {
		instance *in = a->members[i];
		if (strcmp(in->az, zone) != 0 || in->status == INST_DRAINING)
			continue;
		if (managed_protection ? in->ntasks > 0 : in->protected_scale_in)
			continue;
		cands[nc++] = in;
	}
	/* launching instances go first, then at random */
	for (int i = 0; i < nc; i++)
		if (cands[i]->status == INST_LAUNCHING)
			return cands[i];
	return nc ? cands[rng_uniform_index(a->r, (unsigned long)nc)] : NULL;
}

static void
asg_set_desired(model *m, struct asg *a, int n, const char *cause)
{
	if (n < a->min)
		n = a->min;
	if (n > a->max)
		n = a->max;
	int from = a->desired;
	a->desired = n;
	if (from != n) {
		rec_fact *f = rec_fact_new(m->rec, "scaling_activity");
		rec_fact_str(f, "resource", arena_printf(m->a, "asg/%s", a->cfg->name));
		rec_fact_time(f, "time", eng_now(m->eng));
		rec_fact_str(f, "cause", cause);
		rec_fact_int(f, "from", from);
		rec_fact_int(f, "to", n);
		rec_fact_str(f, "policy", "");
	}
	int live = live_members(a);
	while (live < n) {
		launch(m, a, cause);
		live++;
	}
	const cp_cfg *cp = a->cp >= 0 ? m->cfg->cps[a->cp] : NULL;
	bool protection = cp && cp->p.termination_protection;
	bool draining = cp && cp->p.draining;
	while (live > n) {
		instance *in = pick_victim(a, protection);
		if (in == NULL) {
			a->desired = live; /* protected instances hold the group up */
			break;
		}
		live--;
		if (draining && in->ntasks > 0) {
			/* [DOC] managed draining: drain first, terminate when empty */
			asg_event(m, a, "Draining (before termination)", in->ec2_id, cause);
			XGROW(a->draining, a->capdraining, a->ndraining + 1);
			a->draining[a->ndraining++] = in;
			instance_set_draining(m, in);
		} else {
			terminate(m, a, in, cause);
		}
	}
}

/* [DOC] managed draining: a group instance that finished draining is
 * terminated. */
static void
on_instance_idle(void *ctx, instance *in)
{
	model *m = ctx;
	struct asg *a = in->asg;
	if (a == NULL || in->status != INST_DRAINING || in->ntasks > 0)
		return;
	/* only what the group itself drains (not a Spot notice, not a user) */
	if (!group_drains(a, in))
		return;
	terminate(m, a, in, "the instance finished draining");
}

/* ---- health checks and replacement of instances [DOC healthcheck.html] ---- */

static bool
is_member(const struct asg *a, const instance *in)
{
	for (int i = 0; i < a->nmembers; i++)
		if (a->members[i] == in)
			return true;
	return false;
}

static void
cancel_due(model *m, struct asg *a, const instance *in)
{
	for (size_t i = 0; i < a->ndue; i++)
		if (a->due[i].in == in) {
			eng_cancel(m->eng, a->due[i].ev);
			a->due[i] = a->due[--a->ndue];
			return;
		}
}

/* Launch what the group lacks (replacements). */
static void
refill(model *m, struct asg *a, const char *cause)
{
	int live = live_members(a);
	a->launch_blocked = false;
	while (live < a->desired && !a->launch_blocked) {
		launch(m, a, cause);
		live++;
	}
}

static const char *
clock_text(model *m, char *buf, size_t size)
{
	return simtime_clock(eng_now(m->eng), buf, size);
}

static void
health_due(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	instance *in = obj;
	struct asg *a = in->asg;
	model *m = a->m;
	for (size_t i = 0; i < a->ndue; i++)
		if (a->due[i].in == in) {
			a->due[i] = a->due[--a->ndue];
			break;
		}
	bool lost = faults_instance_lost(in) || in->status == INST_GONE;
	if (!is_member(a, in) || (!lost && !in->impaired))
		return;
	char b[32];
	/* [OBS] the Auto Scaling activity causes of health replacements */
	const char *cause = lost ?
	    arena_printf(m->a, "At %s an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.", clock_text(m, b, sizeof(b))) :
	    arena_printf(m->a, "At %s an instance was taken out of service in response to an EC2 instance status checks failure.", clock_text(m, b, sizeof(b)));
	asg_event(m, a, "Terminating", in->ec2_id, cause);
	eng_cancel_clear(m->eng, &in->ev);
	remove_member(a, in);
	if (!lost)
		faults_terminate_instance(m, in, NULL, "its Auto Scaling group replaced it after a failed EC2 status check");
	refill(m, a, arena_printf(m->a,
	    "At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to %d.",
	    clock_text(m, b, sizeof(b)), live_members(a), a->desired));
}

/* The group's EC2 health check will see in: unhealthy once
 * asg.healthCheckDetection passed — a terminated instance at once,
 * grace period or not; an impaired one not before its grace period
 * [DOC health-check-grace-period.html]. */
static void
schedule_health(model *m, struct asg *a, instance *in, sim_time since)
{
	sim_time at = since + faults_params_of(m)->asg_health_detection;
	bool lost = faults_instance_lost(in) || in->status == INST_GONE;
	if (!lost && in->launched_at + a->cfg->grace > at)
		at = in->launched_at + a->cfg->grace;
	if (at < eng_now(m->eng))
		at = eng_now(m->eng);
	cancel_due(m, a, in);
	XGROW(a->due, a->capdue, a->ndue + 1);
	a->due[a->ndue].in = in;
	a->due[a->ndue].ev = eng_at(m->eng, at, health_due, in, 0);
	a->ndue++;
}

static void
on_instance_impaired(void *ctx, instance *in)
{
	model *m = ctx;
	struct asg *a = in->asg;
	if (a == NULL || !is_member(a, in))
		return;
	if (faults_instance_lost(in))
		schedule_health(m, a, in, faults_instance_lost_at(in));
	else if (in->impaired)
		schedule_health(m, a, in, eng_now(m->eng));
	else
		cancel_due(m, a, in); /* passing its checks again */
}

/* A member terminated by someone else (EC2: a Spot interruption, a
 * lost host; a user): its health check sees it, and the group replaces
 * it. */
static void
on_instance_gone(void *ctx, instance *in)
{
	model *m = ctx;
	struct asg *a = in->asg;
	if (a == NULL || !is_member(a, in))
		return;
	sim_time lost = faults_instance_lost_at(in);
	schedule_health(m, a, in, lost >= 0 ? lost : eng_now(m->eng));
}

/* [DOC] rebalancing after a zone is back: launch in the zones short of
 * an even share (above MaxSize by at most 10 % or one instance), then
 * (asg_launch_done) terminate the surplus of the fullest zones. */
static void
rebalance(model *m, struct asg *a)
{
	int nz = 0, total = 0, counts[64] = {0};
	for (int z = 0; z < a->cfg->nazs && z < 64; z++) {
		if (faults_zone_down(m, a->cfg->azs[z]))
			continue;
		nz++;
		for (int i = 0; i < a->nmembers; i++) {
			instance *in = a->members[i];
			if (in->status != INST_DRAINING && in->status != INST_GONE &&
			    strcmp(in->az, a->cfg->azs[z]) == 0)
				counts[z]++;
		}
		total += counts[z];
	}
	if (nz < 2 || total == 0)
		return;
	int share = total / nz, deficit = 0;
	for (int z = 0; z < a->cfg->nazs && z < 64; z++)
		if (!faults_zone_down(m, a->cfg->azs[z]) && counts[z] < share)
			deficit += share - counts[z];
	int margin = a->max / 10 > 1 ? (a->max + 9) / 10 : 1;
	int room = a->max + margin - live_members(a);
	if (deficit > room)
		deficit = room;
	if (deficit <= 0)
		return;
	char b[32];
	const char *cause = arena_printf(m->a, "At %s instances were launched to balance instances in zones.",
	    clock_text(m, b, sizeof(b)));
	for (int i = 0; i < deficit; i++) {
		launch(m, a, cause);
		a->rebalancing++;
	}
}

static void
on_zone_changed(void *ctx, const char *az, bool down)
{
	model *m = ctx;
	struct fleet *f = m->fleet;
	for (int i = 0; i < f->nasgs; i++) {
		struct asg *a = f->asgs[i];
		bool has = false;
		for (int z = 0; z < a->cfg->nazs; z++)
			has |= strcmp(a->cfg->azs[z], az) == 0;
		if (!has)
			continue;
		if (down)
			continue; /* its impaired instances are replaced elsewhere */
		if (a->launch_blocked)
			refill(m, a, "an instance was started in response to a difference between desired and actual capacity.");
		rebalance(m, a);
	}
}

/* Tasks of provider cp waiting for capacity, grouped by requirements. */
static int
waiting_groups(model *m, int cp, cas_group *g, int cap)
{
	int ng = 0;
	for (int i = 0; i < m->nservices; i++)
		for (task *t = m->services[i]->tasks; t; t = t->next) {
			if (!t->waiting || t->cp != cp || t->desired_stopped)
				continue;
			cas_res need = {t->td->place_cpu, t->td->place_mem, t->td->nstatic_ports, 0, 0};
			bool distinct = t->td->nstatic_ports > 0;
			int k;
			for (k = 0; k < ng; k++)
				if (memcmp(&g[k].need, &need, sizeof(need)) == 0 && g[k].distinct == distinct)
					break;
			if (k == ng) {
				if (ng == cap)
					continue;
				g[ng].need = need;
				g[ng].count = 0;
				g[ng].distinct = distinct;
				ng++;
			}
			g[k].count++;
		}
	return ng;
}

static void
cp_tick_one(model *m, cp_rt *c, int64_t k)
{
	struct asg *a = c->asg;
	const cp_managed_scaling *ms = &c->cfg->p.scaling;
	sim_time now = eng_now(m->eng);
	int n = 0, empty = 0;
	cas_instance *inst = xcalloc((size_t)(a->nmembers ? a->nmembers : 1), sizeof(*inst));
	sim_time *launched = xcalloc((size_t)(a->nmembers ? a->nmembers : 1), sizeof(*launched));
	int ni = 0, nl = 0;
	for (int i = 0; i < a->nmembers; i++) {
		instance *in = a->members[i];
		/* running in the group: a member DRAINING for ECS's own reason
		 * (a Spot notice) is still running, with no room for tasks */
		bool spot_drained = in->status == INST_DRAINING && !group_drains(a, in);
		if (in->status != INST_LAUNCHING && in->status != INST_ACTIVE && !spot_drained)
			continue;
		n++;
		launched[nl++] = in->launched_at;
		if (in->status == INST_ACTIVE) {
			empty += in->ntasks == 0;
			inst[ni].free = (cas_res){in->cpu_free, in->mem_free, 64, 0, 0};
			ni++;
		}
	}
	cas_group groups[32];
	int ng = waiting_groups(m, (int)(c - m->fleet->cps), groups, 32);
	cas_res *types = xcalloc((size_t)a->cfg->ntypes, sizeof(*types));
	cat_mem_fit fit = cat_default_mem_fit();
	for (int i = 0; i < a->cfg->ntypes; i++) {
		const cat_type *t = cat_find(m->cfg->cat, a->cfg->types[i]);
		types[i] = (cas_res){cat_registered_cpu(t), cat_registered_memory(t, m->p->reserved_memory_mib, &fit), 64, 0, 0};
	}
	cas_res smallest, largest;
	cas_types_range(types, a->cfg->ntypes, &smallest, &largest);
	cas_estimate est;
	memset(&est, 0, sizeof(est));
	if (ng > 0)
		cas_binpack(inst, ni, groups, ng, &smallest, &largest, &est);
	cas_metric mt;
	cas_params cp_par = asp_cas(asp_get(m->cfg));
	cas_reservation(ms, &cp_par, n, empty, ng > 0 ? &est : NULL, &mt);
	c->excluded = est.excluded;
	c->last_cpr = mt.cpr;
	alarm_put(c->high, k, mt.cpr);
	alarm_put(c->low, k, mt.cpr);
	alarm_evaluate(c->high, k, &c->eh);
	alarm_evaluate(c->low, k, &c->el);
	char src[300];
	snprintf(src, sizeof(src), "cp/%s", c->cfg->p.name);
	if (c->eh.changed)
		rec_event_add(m->rec, now, src, "alarm", "Alarm %s state %s -> %s", c->high_name,
		    alarm_state_name(c->eh.prev), alarm_state_name(c->eh.state));
	if (c->el.changed)
		rec_event_add(m->rec, now, src, "alarm", "Alarm %s state %s -> %s", c->low_name,
		    alarm_state_name(c->el.prev), alarm_state_name(c->el.state));
	if (alarm_get_state(c->high) == ALARM_ALARM) {
		/* [DOC §4.3] no further scale-out until every new instance is
		 * past its warm-up */
		if (!cas_warmup_blocks(launched, nl, now, ms->warmup)) {
			int d = cas_asg_desired(n, mt.cpr, ms->target_capacity);
			if (d > a->desired)
				asg_set_desired(m, a, d, arena_printf(m->a,
				    "a monitor alarm %s in state ALARM triggered policy ECSManagedAutoScalingPolicy changing the desired capacity from %d to %d.",
				    c->high_name, a->desired, d < a->max ? d : a->max));
		}
	} else if (alarm_get_state(c->low) == ALARM_ALARM) {
		int d = cas_asg_desired(n, mt.cpr, ms->target_capacity);
		if (d < a->desired)
			asg_set_desired(m, a, d, arena_printf(m->a,
			    "a monitor alarm %s in state ALARM triggered policy ECSManagedAutoScalingPolicy changing the desired capacity from %d to %d.",
			    c->low_name, a->desired, d > a->min ? d : a->min));
	}
	free(inst);
	free(launched);
	free(types);
}

static void
capacity_tick(engine *e, void *obj, uint64_t arg)
{
	(void)arg;
	model *m = obj;
	struct fleet *f = m->fleet;
	sim_time now = eng_now(e);
	/* [INF] cas.metricDelay: minute k's datapoint is computed and reaches
	 * the alarms this long after the minute ends */
	int64_t k = (now - asp_get(m->cfg)->cas_metric_delay) / (60 * SIM_SEC) - 1;
	for (int i = 0; i < f->ncps; i++)
		if (f->cps[i].asg && f->cps[i].cfg->p.scaling.enabled)
			cp_tick_one(m, &f->cps[i], k);
	/* launches every zone refused (all out): try again */
	for (int i = 0; i < f->nasgs; i++)
		if (f->asgs[i]->launch_blocked)
			refill(m, f->asgs[i], "an instance was started in response to a difference between desired and actual capacity.");
	if (now + 60 * SIM_SEC <= m->end)
		f->tick = eng_at(e, now + 60 * SIM_SEC, capacity_tick, m, 0);
}

void
capacity_start(model *m)
{
	struct fleet *f = arena_calloc(m->a, 1, sizeof(*f));
	m->fleet = f;
	f->ap = asp_get(m->cfg)->cp;
	ecs_listener l = {.ctx = m, .instance_idle = on_instance_idle,
	    .instance_gone = on_instance_gone, .instance_impaired = on_instance_impaired,
	    .zone_changed = on_zone_changed};
	ecs_subscribe(m, &l);
	const fleet_cfg *c = m->cfg->fleet;
	if (c == NULL)
		return;
	f->nasgs = c->nasgs;
	f->asgs = arena_calloc(m->a, (size_t)(c->nasgs ? c->nasgs : 1), sizeof(*f->asgs));
	for (int i = 0; i < c->nasgs; i++) {
		struct asg *a = arena_calloc(m->a, 1, sizeof(*a));
		a->cfg = c->asgs[i];
		a->m = m;
		a->cl = model_find_cluster(m, a->cfg->cluster);
		a->min = a->cfg->min;
		a->max = a->cfg->max;
		a->r = rng_new(m->seed, "asg", rng_fnv1a64(a->cfg->name));
		a->cp = -1;
		a->index = i;
		char name[300];
		snprintf(name, sizeof(name), "asg/%s/desired", a->cfg->name);
		a->series = rec_series(m->rec, name, "instances");
		snprintf(name, sizeof(name), "asg/%s/inService", a->cfg->name);
		rec_series(m->rec, name, "instances");
		f->asgs[i] = a;
	}
	/* the runtime of each of ECS's capacity providers, index-aligned */
	const model_cfg *ec = m->cfg;
	f->ncps = ec->ncps;
	f->cps = arena_calloc(m->a, (size_t)(ec->ncps ? ec->ncps : 1), sizeof(*f->cps));
	bool managed = false;
	for (int i = 0; i < ec->ncps; i++) {
		cp_rt *cp = &f->cps[i];
		cp->cfg = ec->cps[i];
		if (cp->cfg->fargate)
			continue;
		const asg_cfg *ac = find_asg(c, cp->cfg->p.asg);
		cp->asg = asg_by_name(m, ac->name);
		cp->asg->cp = i;
		if (!cp->cfg->p.scaling.enabled)
			continue;
		managed = true;
		alarm_config hi, lo;
		alarm_cp_configs(&f->ap, cp->cfg->p.scaling.target_capacity, &hi, &lo);
		hi.extra_range = lo.extra_range = asp_get(m->cfg)->eval_extra;
		cp->high = alarm_new(&hi);
		cp->low = alarm_new(&lo);
		char uuid[40];
		model_make_hex_id(m, "cp-alarm", uuid, 32);
		snprintf(cp->high_name, sizeof(cp->high_name), "TargetTracking-%s-AlarmHigh-%.8s-%.4s-%.4s-%.4s-%.12s",
		    ac->name, uuid, uuid + 8, uuid + 12, uuid + 16, uuid + 20);
		snprintf(cp->low_name, sizeof(cp->low_name), "TargetTracking-%s-AlarmLow-%.8s-%.4s-%.4s-%.4s-%.12s",
		    ac->name, uuid, uuid + 8, uuid + 12, uuid + 16, uuid + 20);
		char name[300];
		snprintf(name, sizeof(name), "cp/%s/reservation", cp->cfg->p.name);
		cp->series = rec_series(m->rec, name, "percent");
	}
	for (int i = 0; i < f->nasgs; i++)
		asg_set_desired(m, f->asgs[i], f->asgs[i]->cfg->desired, "an instance was started in response to the group's desired capacity.");
	if (managed || f->nasgs > 0)
		f->tick = eng_at(m->eng, 60 * SIM_SEC + asp_get(m->cfg)->cas_metric_delay, capacity_tick, m, 0);
}

instance *const *
capacity_group_members(model *m, const char *name, int *n)
{
	struct fleet *f = m->fleet;
	*n = 0;
	if (f == NULL)
		return NULL;
	struct asg *a = asg_by_name(m, name);
	if (a == NULL)
		return NULL;
	*n = a->nmembers;
	return a->members;
}

const asg_cfg *
capacity_find_group(const model_cfg *c, const char *name)
{
	return find_asg(c->fleet, name);
}

void
capacity_sample(model *m)
{
	struct fleet *f = m->fleet;
	if (f == NULL)
		return;
	for (int i = 0; i < f->nasgs; i++) {
		rec_put(m->rec, f->asgs[i]->series, f->asgs[i]->desired);
		rec_put(m->rec, f->asgs[i]->series + 1, live_members(f->asgs[i]));
	}
	for (int i = 0; i < f->ncps; i++)
		if (f->cps[i].high != NULL)
			rec_put(m->rec, f->cps[i].series, f->cps[i].last_cpr);
}

void
capacity_free(model *m)
{
	struct fleet *f = m->fleet;
	if (f == NULL)
		return;
	for (int i = 0; i < f->nasgs; i++) {
		free(f->asgs[i]->members);
		free(f->asgs[i]->due);
		free(f->asgs[i]->draining);
		rng_free(f->asgs[i]->r);
	}
	for (int i = 0; i < f->ncps; i++) {
		alarm_free(f->cps[i].high);
		alarm_free(f->cps[i].low);
	}
}

void
capacity_assume(model *m)
{
	if (m->cfg->fleet == NULL && m->cfg->ncps == 0)
		return;
	cas_assume(m->rec);
}

/* ---- timeline: autoscaling:SetDesiredCapacity, UpdateAutoScalingGroup ---- */

typedef struct asg_call {
	const char *name;
	bool has_min, has_max, has_desired;
	int min, max, desired;
} asg_call;

static int
parse_asg_call(void *ctx, const jr_val *in, bool update, void **typed, sim_error *err)
{
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc;
	asg_call *a = ARENA_NEW(c->a, asg_call);
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "AutoScalingGroupName", &a->name, err)))
		return rc;
	if (find_asg(c->fleet, a->name) == NULL) {
		jr_get(&o, "AutoScalingGroupName", &x);
		return jr_fail(&x, err, "Auto Scaling group \"%s\" is not defined", a->name);
	}
	if ((a->has_desired = jr_get(&o, "DesiredCapacity", &x)) &&
	    (rc = jr_int32(&x, 0, 5000, &a->desired, err)))
		return rc;
	if (update) {
		if ((a->has_min = jr_get(&o, "MinSize", &x)) && (rc = jr_int32(&x, 0, 5000, &a->min, err)))
			return rc;
		if ((a->has_max = jr_get(&o, "MaxSize", &x)) && (rc = jr_int32(&x, 0, 5000, &a->max, err)))
			return rc;
	} else if (!a->has_desired) {
		return jr_fail(in, err, "missing required key 'DesiredCapacity'");
	}
	jr_ignore(&o, "HonorCooldown");
	if ((rc = jr_done(&o, err)))
		return rc;
	*typed = a;
	return 0;
}

static int
parse_set_desired(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	(void)at;
	return parse_asg_call(ctx, in, false, typed, err);
}

static int
parse_update_asg(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	(void)at;
	return parse_asg_call(ctx, in, true, typed, err);
}

static int
apply_asg_call(model *m, void *typed, sim_error *err)
{
	asg_call *c = typed;
	struct asg *a = asg_by_name(m, c->name);
	(void)err;
	if (a == NULL)
		return 0;
	if (c->has_min)
		a->min = c->has_min ? c->min : a->min;
	if (c->has_max)
		a->max = c->max;
	if (a->max < a->min)
		a->max = a->min;
	int d = c->has_desired ? c->desired : a->desired;
	asg_set_desired(m, a, d, "a user request set the group's desired capacity.");
	return 0;
}

void
capacity_register(model_cfg *c, scn_spec *sp)
{
	cfg_add_cluster_member(c, "autoScalingGroups", parse_asgs);
	c->check_provider = check_provider;
	cfg_add_call(c, sp, "autoscaling:SetDesiredCapacity", parse_set_desired, apply_asg_call);
	cfg_add_call(c, sp, "autoscaling:UpdateAutoScalingGroup", parse_update_asg, apply_asg_call);
}
