/*
 * faults — instances lost or impaired, zones out, agents disconnected,
 * registry faults, crashes, random instance failures, and what each did
 * to the services (see faults.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ecs/catalog.h"
#include "model/ecs/ecs_cfg.h"
#include "model/ecs/faults.h"
#include "model/ecs/fleet.h"
#include "model/ecs/listeners.h"
#include "sim/xalloc.h"

/* ---------------------------------------------------------------- */
/* Configuration.                                                    */

#define P(field) offsetof(faults_params, field)

static const param_def param_defs[] = {
	{.name = "ecs.instanceLossDetection", .tag = "UNCONFIRMED", .type = PT_DURATION,
	    .note = "an EC2 instance that terminates unexpectedly (sim:FailInstance, random instance failures): time until ECS stops its tasks (stopCode TerminationNotice) and deregisters their targets; until then they answer nothing",
	    .offset = P(instance_loss_detection), .lo = 0, .hi = SIM_HOUR},
	{.name = "asg.healthCheckDetection", .tag = "UNCONFIRMED", .type = PT_DURATION,
	    .note = "time for an Auto Scaling group's EC2 health check to see that an instance is no longer running or fails its status checks (impaired, or in a failed Availability Zone) and mark it Unhealthy; an impaired instance is not marked before its HealthCheckGracePeriod has passed, a terminated one is [DOC]",
	    .offset = P(asg_health_detection), .lo = 0, .hi = SIM_HOUR},
	{.name = "ec2.spotInterruptionNotice", .tag = "DOC", .type = PT_DURATION,
	    .note = "Spot Instance interruption notice: EC2 (and Fargate Spot) warn two minutes before the interruption",
	    .offset = P(spot_notice), .lo = 0, .hi = SIM_HOUR},
	{.name = "ec2.spotPricePercent", .tag = "OBS", .type = PT_INT,
	    .note = "built-in Spot price of an instance type as a percentage of its on-demand price, when instanceTypes gives no spotPricePerHour (AWS's own example table, 'example pricing and not current pricing', shows c5.2xlarge Spot at $0.170-0.191 against $0.34 on-demand: 50-56%)",
	    .offset = P(spot_price_percent), .lo = 1, .hi = 100},
	{.name = "fargate.spotVcpuHourUSD", .tag = "OBS", .type = PT_NUM,
	    .note = "Fargate Spot Linux/x86 price per vCPU-hour, us-east-1, third-party tables 'as of 2024' (67 % below on-demand); Fargate Spot prices move with demand [DOC]",
	    .offset = P(fargate_spot_vcpu_hour), .nlo = 0, .nhi = 10},
	{.name = "fargate.spotGbHourUSD", .tag = "OBS", .type = PT_NUM,
	    .note = "Fargate Spot Linux/x86 price per GB-hour, us-east-1, third-party tables 'as of 2024'",
	    .offset = P(fargate_spot_gb_hour), .nlo = 0, .nhi = 10},
};

static bool
params_listed(const model_cfg *c)
{
	if (c->faults != NULL && (c->faults->used || c->faults->spot_used))
		return true;
	for (int i = 0; i < c->ncps; i++)
		if (c->cps[i]->fargate && strcmp(c->cps[i]->p.name, "FARGATE_SPOT") == 0)
			return true;
	return false;
}

static faults_cfg *
cfg_faults(model_cfg *c)
{
	if (c->faults == NULL) {
		c->faults = ARENA_NEW(c->a, faults_cfg);
		faults_params *p = &c->faults->params;
		p->instance_loss_detection = 30 * SIM_SEC;
		p->asg_health_detection = 60 * SIM_SEC;
		p->spot_notice = 2 * SIM_MIN;
		p->spot_price_percent = 50;
		cat_fargate_rate r = cat_fargate_spot_rates();
		p->fargate_spot_vcpu_hour = r.vcpu_hour;
		p->fargate_spot_gb_hour = r.gb_hour;
	}
	return c->faults;
}

static const faults_cfg default_cfg;

faults_cfg *
faults_cfg_of(model_cfg *c)
{
	return cfg_faults(c);
}

const faults_cfg *
faults_config(const model *m)
{
	return m->cfg->faults ? m->cfg->faults : &default_cfg;
}

bool
faults_spot_capacity(const model *m)
{
	const model_cfg *c = m->cfg;
	if (c->faults != NULL && (c->faults->spot_used || c->faults->npools > 0))
		return true;
	for (int i = 0; i < c->ncps; i++)
		if (c->cps[i]->fargate && strcmp(c->cps[i]->p.name, "FARGATE_SPOT") == 0)
			return true;
	return false;
}

const faults_params *
faults_params_of(const model *m)
{
	return &faults_config(m)->params;
}

static int
parse_pool(model_cfg *c, const jr_val *e, spot_pool_cfg *p, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	p->pos = jr_where(e);
	if ((rc = jr_object(e, &o, err)))
		return rc;
	bool has_type = jr_get(&o, "instanceType", &x);
	jr_val pv;
	bool has_cp = jr_get(&o, "capacityProvider", &pv);
	if (has_type == has_cp)
		return jr_fail(e, err, "a Spot pool names an \"instanceType\" (with an optional \"availabilityZone\") or the \"capacityProvider\" FARGATE_SPOT");
	if (has_type) {
		const cat_type *t;
		if ((rc = cat_read(c->cat, &x, &t, err)))
			return rc;
		p->type = t->name;
	} else {
		const char *cp;
		if ((rc = jr_str(&pv, &cp, err)))
			return rc;
		if (strcmp(cp, "FARGATE_SPOT") != 0)
			return jr_fail(&pv, err, "the only capacity provider with a Spot pool of its own is FARGATE_SPOT (an Auto Scaling group's Spot pools are its instance types), got \"%s\"", cp);
		p->fargate = true;
	}
	if (jr_get(&o, "availabilityZone", &x)) {
		if ((rc = jr_str(&x, &p->az, err)) || (rc = cfg_check_az(c, &x, p->az, err)))
			return rc;
	}
	if ((p->has_rate = jr_get(&o, "interruptionsPerHour", &x)) &&
	    (rc = jr_num(&x, 0, 3600, &p->rate, err)))
		return rc;
	if ((p->has_price = jr_get(&o, "pricePerHour", &x))) {
		if (p->fargate)
			return jr_fail(&x, err, "Fargate Spot is billed per vCPU-hour and GB-hour (the catalog's Fargate Spot rates), not per pool");
		if ((rc = jr_num(&x, 0, 1000, &p->price, err)))
			return rc;
	}
	if (!p->has_rate && !p->has_price)
		return jr_fail(e, err, "a Spot pool sets \"interruptionsPerHour\" or \"pricePerHour\" (or both)");
	return jr_done(&o, err);
}

static int
parse_faults(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	faults_cfg *f = cfg_faults(c);
	jr_obj o;
	jr_val x;
	int rc;
	f->used = true;
	if ((rc = jr_object(v, &o, err)))
		return rc;
	if (jr_get(&o, "instanceMeanTimeBetweenFailures", &x) &&
	    (rc = jr_duration(&x, SIM_MIN, 100 * 365 * SIM_DAY, &f->instance_mtbf, err)))
		return rc;
	static const char *const modes[] = {"terminated", "impaired"};
	int mode;
	if ((rc = jr_opt_enum(&o, "instanceFailure", modes, 2, 0, &mode, err)))
		return rc;
	f->mtbf_impaired = mode == 1;
	if (jr_get(&o, "instanceFailure", &x) && f->instance_mtbf == 0)
		return jr_fail(&x, err, "instanceFailure says how random instance failures happen; give instanceMeanTimeBetweenFailures too");
	if ((f->has_spot_rate = jr_get(&o, "spotInterruptionsPerHour", &x)) &&
	    (rc = jr_num(&x, 0, 3600, &f->spot_rate, err)))
		return rc;
	if (jr_get(&o, "spotPools", &x)) {
		int n;
		if ((rc = jr_array(&x, &n, err)))
			return rc;
		f->pools = ARENA_ARRAY(c->a, spot_pool_cfg, (size_t)(n ? n : 1));
		for (int i = 0; i < n; i++) {
			jr_val e;
			jr_elem(&x, i, &e);
			if ((rc = parse_pool(c, &e, &f->pools[i], err)))
				return rc;
			for (int k = 0; k < i; k++) {
				const spot_pool_cfg *a = &f->pools[k], *b = &f->pools[i];
				bool same = a->fargate == b->fargate &&
				    (a->type == b->type || (a->type && b->type && strcmp(a->type, b->type) == 0)) &&
				    (a->az == b->az || (a->az && b->az && strcmp(a->az, b->az) == 0));
				if (same)
					return jr_fail(&e, err, "this Spot pool is listed twice (also spotPools[%d])", k);
			}
			f->npools++;
		}
	}
	return jr_done(&o, err);
}

static agent_cfg default_agent;

/* A cluster's "ecsAgent": the ecs.config its instances start with. */
static int
parse_agent(model_cfg *c, cluster_cfg *cc, const jr_val *v, sim_error *err)
{
	faults_cfg *f = cfg_faults(c);
	jr_obj o;
	int rc;
	if ((rc = jr_object(v, &o, err)))
		return rc;
	agent_cfg *a = ARENA_NEW(c->a, agent_cfg);
	a->cluster = cc->name;
	for (int i = 0; i < jr_member_count(&o); i++) {
		jr_val x;
		jr_member(&o, i, &x);
		const char *key = x.key;
		if (strncmp(key, "ECS_", 4) != 0)
			return jr_fail(&x, err, "ecsAgent holds ecs.config variables (ECS_...), got \"%s\"", key);
		if (strcmp(key, "ECS_ENABLE_SPOT_INSTANCE_DRAINING") == 0) {
			if ((rc = jr_resolve(&x, &x, err)))
				return rc;
			if (cJSON_IsBool(x.node)) {
				a->spot_draining = cJSON_IsTrue(x.node);
			} else {
				const char *s;
				if ((rc = jr_str(&x, &s, err)))
					return rc;
				if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
					return jr_fail(&x, err, "ECS_ENABLE_SPOT_INSTANCE_DRAINING is \"true\" or \"false\", got \"%s\"", s);
				a->spot_draining = strcmp(s, "true") == 0;
			}
		} else if (strcmp(key, "ECS_IMAGE_PULL_BEHAVIOR") == 0) {
			static const char *const b[] = {"default", "always", "once", "prefer-cached"};
			int k;
			if ((rc = jr_enum(&x, b, 4, &k, err)))
				return rc;
			a->pull = (pull_behavior)k;
		} else if (strcmp(key, "ECS_RESERVED_MEMORY") == 0) {
			return jr_fail(&x, err, "ECS_RESERVED_MEMORY is the parameter ecs.reservedMemoryMiB");
		} else {
			cfg_note(c, &x);
		}
	}
	if (f->nagents == f->capagents) {
		int ncap = f->capagents ? 2 * f->capagents : 4;
		agent_cfg **n2 = ARENA_ARRAY(c->a, agent_cfg *, (size_t)ncap);
		if (f->nagents)
			memcpy(n2, f->agents, (size_t)f->nagents * sizeof(*n2));
		f->agents = n2;
		f->capagents = ncap;
	}
	for (int i = 0; i < f->nagents; i++)
		if (strcmp(f->agents[i]->cluster, cc->name) == 0)
			return jr_fail(v, err, "cluster \"%s\" has ecsAgent twice", cc->name);
	f->agents[f->nagents++] = a;
	return 0;
}

/* ---- timeline calls: parsing ---- */

typedef struct inst_fault_call {
	const char *cluster;
	int index;
	bool terminated;
	sim_time duration;      /* DisconnectAgent: 0 = until reconnected */
	jr_pos pos;
} inst_fault_call;

typedef struct zone_call {
	const char *az;
	const char *cluster;    /* NULL: every cluster */
	sim_time duration;
} zone_call;

typedef struct pull_call {
	const char *image;      /* "*" every image */
	sim_time duration;
	const char *reason;     /* NULL: the built-in text */
} pull_call;

typedef struct crash_call {
	const char *cluster, *service;
	double fraction;        /* < 0: count */
	int count;
	int serial;
} crash_call;

static int
parse_instance_common(model_cfg *c, jr_obj *o, const jr_val *in, inst_fault_call *ic,
    sim_error *err)
{
	jr_val x;
	int rc;
	ic->pos = jr_where(in);
	if ((rc = jr_opt_str(o, "cluster", "default", &ic->cluster, err)) ||
	    (rc = jr_need(o, "instance", &x, err)))
		return rc;
	if (!cfg_cluster_known(c, ic->cluster)) {
		jr_val cv;
		if (!jr_get(o, "cluster", &cv))
			cv = *in;
		return jr_fail(&cv, err, "cluster \"%s\" is not defined", ic->cluster);
	}
	return cfg_parse_instance_ref(c, ic->cluster, &x, &ic->index, err);
}

static int
parse_fail_instance(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	int rc, mode;
	inst_fault_call *ic = ARENA_NEW(c->a, inst_fault_call);
	static const char *const modes[] = {"terminated", "impaired"};
	if ((rc = jr_object(in, &o, err)) || (rc = parse_instance_common(c, &o, in, ic, err)) ||
	    (rc = jr_opt_enum(&o, "mode", modes, 2, 0, &mode, err)) || (rc = jr_done(&o, err)))
		return rc;
	ic->terminated = mode == 0;
	cfg_faults(c)->used = true;
	*typed = ic;
	return 0;
}

static int
parse_disconnect(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	int rc;
	inst_fault_call *ic = ARENA_NEW(c->a, inst_fault_call);
	if ((rc = jr_object(in, &o, err)) || (rc = parse_instance_common(c, &o, in, ic, err)) ||
	    (rc = jr_opt_duration(&o, "duration", SIM_SEC, SIM_DURATION_MAX, 0, &ic->duration, err)) ||
	    (rc = jr_done(&o, err)))
		return rc;
	cfg_faults(c)->used = true;
	*typed = ic;
	return 0;
}

static int
parse_reconnect(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	int rc;
	inst_fault_call *ic = ARENA_NEW(c->a, inst_fault_call);
	if ((rc = jr_object(in, &o, err)) || (rc = parse_instance_common(c, &o, in, ic, err)) ||
	    (rc = jr_done(&o, err)))
		return rc;
	cfg_faults(c)->used = true;
	*typed = ic;
	return 0;
}

static int
parse_zone(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc;
	zone_call *z = ARENA_NEW(c->a, zone_call);
	if ((rc = jr_object(in, &o, err)) || (rc = jr_need(&o, "availabilityZone", &x, err)) ||
	    (rc = jr_str(&x, &z->az, err)) || (rc = cfg_check_az(c, &x, z->az, err)) ||
	    (rc = jr_req_duration(&o, "duration", SIM_SEC, SIM_DURATION_MAX, &z->duration, err)))
		return rc;
	if (jr_get(&o, "cluster", &x)) {
		if ((rc = jr_str(&x, &z->cluster, err)))
			return rc;
		if (!cfg_cluster_known(c, z->cluster))
			return jr_fail(&x, err, "cluster \"%s\" is not defined", z->cluster);
	}
	if ((rc = jr_done(&o, err)))
		return rc;
	cfg_faults(c)->used = true;
	*typed = z;
	return 0;
}

/* Is the image used by a container of a task definition registered so
 * far? */
static bool
image_known(const model_cfg *c, const char *image)
{
	for (int i = 0; i < c->ntds; i++)
		for (int k = 0; k < c->tds[i]->ncontainers; k++)
			if (strcmp(c->tds[i]->containers[k].image, image) == 0)
				return true;
	return false;
}

static int
parse_pull(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc;
	pull_call *p = ARENA_NEW(c->a, pull_call);
	if ((rc = jr_object(in, &o, err)) || (rc = jr_need(&o, "image", &x, err)) ||
	    (rc = jr_str(&x, &p->image, err)))
		return rc;
	if (strcmp(p->image, "*") != 0 && !image_known(c, p->image))
		return jr_fail(&x, err, "no task definition registered by this point of the scenario uses the image \"%s\" (register it earlier in the timeline, or give \"*\" for every image)",
		    p->image);
	if ((rc = jr_req_duration(&o, "duration", SIM_SEC, SIM_DURATION_MAX, &p->duration, err)) ||
	    (rc = jr_opt_str(&o, "reason", NULL, &p->reason, err)) || (rc = jr_done(&o, err)))
		return rc;
	cfg_faults(c)->pull_faults = true;
	cfg_faults(c)->used = true;
	*typed = p;
	return 0;
}

static int
parse_crash(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x, fv, nv;
	int rc;
	crash_call *k = ARENA_NEW(c->a, crash_call);
	if ((rc = jr_object(in, &o, err)) ||
	    (rc = jr_opt_str(&o, "cluster", "default", &k->cluster, err)) ||
	    (rc = jr_req_str(&o, "service", &k->service, err)))
		return rc;
	known_service *ks = cfg_known_service(c, k->cluster, k->service);
	if (ks == NULL || ks->deleted) {
		jr_get(&o, "service", &x);
		return jr_fail(&x, err, "service \"%s\" does not exist in cluster \"%s\" at this point of the scenario",
		    k->service, k->cluster);
	}
	bool has_f = jr_get(&o, "fraction", &fv), has_n = jr_get(&o, "count", &nv);
	if (has_f == has_n)
		return jr_fail(in, err, "give the tasks that exit as \"fraction\" (of the service's RUNNING tasks, rounded up) or \"count\"");
	k->fraction = -1;
	if (has_f && (rc = jr_num(&fv, 0, 1, &k->fraction, err)))
		return rc;
	if (has_n && (rc = jr_int32(&nv, 1, 100000, &k->count, err)))
		return rc;
	if ((rc = jr_done(&o, err)))
		return rc;
	k->serial = cfg_faults(c)->ncrash_calls++;
	cfg_faults(c)->used = true;
	*typed = k;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Runtime state.                                                    */

/* faults.c's part of an instance */
struct inst_fault {
	rng *r;                 /* "fault.instance": its random failure */
	evq_handle fail_ev;     /* random failure */
	evq_handle loss_ev;     /* ECS notices the termination */
	evq_handle reconnect_ev;
	fault *loss_fault;      /* the fault that lost it */
	sim_time lost_at;       /* EC2 lost it (terminated), or -1 */
	int zone_outages;       /* zone outages impairing it */
	bool own_impaired;      /* impaired by sim:FailInstance / a failure */
	bool agent_fault;       /* sim:DisconnectAgent */
	bool doomed;            /* a Spot interruption notice is out */
	const char **images;    /* images pulled on it (ECS_IMAGE_PULL_BEHAVIOR) */
	size_t nimages, capimages;
};

typedef struct impact {
	fault *f;
	service *s;
	rec_fact *fact;
	bool recovered;
	bool open;
	int lowest;
} impact;

struct fault {
	int id;                 /* 1-based, in order of opening */
	const char *kind;
	rec_fact *fact;
	sim_time start;
	bool ended;
	int ntasks;             /* tasks it stopped */
	impact **impacts;
	size_t nimpacts, capimpacts;
};

typedef struct zone_out {
	const char *az;
	cluster *cl;            /* NULL: every cluster */
	fault *f;
	bool active;
} zone_out;

typedef struct pull_out {
	const char *image;
	sim_time until;
	const char *reason;
	fault *f;
} pull_out;

typedef struct origin_count {
	char *key;
	uint64_t next;
} origin_count;

struct faults {
	model *m;
	fault **faults;
	size_t nfaults, capfaults;
	impact **open;          /* impacts whose window is open */
	size_t nopen, capopen;
	zone_out *zones;
	size_t nzones, capzones;
	pull_out *pulls;
	size_t npulls, cappulls;
	origin_count *origins;
	size_t norigins, caporigins;
	struct inst_fault **ifx; /* every inst_fault, to free */
	size_t nifx, capifx;
	rec_fact *task_limit;
	bool finishing;
};

static struct faults *
F(const model *m)
{
	return m->faults;
}

const agent_cfg *
faults_agent(const model *m, const cluster *cl)
{
	const faults_cfg *c = faults_config(m);
	for (int i = 0; i < c->nagents; i++)
		if (strcmp(c->agents[i]->cluster, cl->name) == 0)
			return c->agents[i];
	return &default_agent;
}

static struct inst_fault *
ifx(model *m, instance *in)
{
	if (in->fx == NULL) {
		struct faults *fs = F(m);
		in->fx = xcalloc(1, sizeof(*in->fx));
		in->fx->lost_at = -1;
		XGROW(fs->ifx, fs->capifx, fs->nifx + 1);
		fs->ifx[fs->nifx++] = in->fx;
	}
	return in->fx;
}

const char *
faults_stop_code_name(stop_code c)
{
	static const char *const n[] = {"", "TaskFailedToStart", "EssentialContainerExited",
	    "UserInitiated", "ServiceSchedulerInitiated", "SpotInterruption", "TerminationNotice"};
	return n[c];
}

/* ---- records ---- */

static void
fault_event(model *m, fault *f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
fault_event(model *m, fault *f, const char *fmt, ...)
{
	char text[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	char src[64];
	snprintf(src, sizeof(src), "fault/%s", f->kind);
	rec_event_add(m->rec, eng_now(m->eng), src, "fault", "%s", text);
}

void
faults_detail(fault *f, const char *key, const char *value)
{
	rec_fact_str(f->fact, key, value);
}

void
faults_detail_int(fault *f, const char *key, int64_t value)
{
	rec_fact_int(f->fact, key, value);
}

void
faults_detail_time(fault *f, const char *key, sim_time value)
{
	rec_fact_time(f->fact, key, value);
}

void
faults_note_task(model *m, fault *f, task *t, stop_code code, const char *reason)
{
	struct faults *fs = F(m);
	f->ntasks++;
	rec_fact_int(f->fact, "tasksStopped", f->ntasks);
	if (rec_fact_count(m->rec, "fault_task") >= FAULTS_MAX_TASK_RECORDS) {
		if (fs->task_limit == NULL) {
			fs->task_limit = rec_fact_new(m->rec, "fault_task_records");
			rec_fact_int(fs->task_limit, "max", FAULTS_MAX_TASK_RECORDS);
			rec_fact_int(fs->task_limit, "dropped", 0);
		}
		rec_fact_add_int(fs->task_limit, "dropped", 1);
		return;
	}
	rec_fact *x = rec_fact_new(m->rec, "fault_task");
	rec_fact_int(x, "fault", f->id);
	rec_fact_str(x, "task", t->id);
	rec_fact_str(x, "service", t->svc->name);
	rec_fact_str(x, "lastStatus", task_status_name(t->status));
	rec_fact_str(x, "stopCode", faults_stop_code_name(code));
	rec_fact_str(x, "stoppedReason", reason);
	rec_fact_str(x, "instance", t->inst ? t->inst->ec2_id : "");
	rec_fact_str(x, "az", t->az ? t->az : "");
	rec_fact_time(x, "time", eng_now(m->eng));
}

/* ---- recovery windows ---- */

/* A task on capacity a fault has taken or is about to take. */
static bool
task_faulted(const task *t)
{
	if (t->unreachable)
		return true;
	const instance *in = t->inst;
	return in != NULL && (in->impaired || in->unreachable ||
	    (in->fx != NULL && (in->fx->lost_at >= 0 || in->fx->doomed)));
}

static int
healthy_now(const service *s, bool *clean)
{
	int h = 0;
	*clean = true;
	for (const task *t = s->tasks; t; t = t->next) {
		if (t->desired_stopped)
			continue;
		if (task_faulted(t))
			*clean = false;
		h += task_is_healthy(t);
	}
	return h;
}

/* Where the service's healthy tasks run: "us-east-1b=3,us-east-1c=3"
 * (zones in name order). */
static const char *
zones_text(model *m, const service *s)
{
	const char *z[32];
	int n[32], nz = 0;
	for (const task *t = s->tasks; t; t = t->next) {
		if (!task_is_healthy(t) || t->az == NULL)
			continue;
		int k;
		for (k = 0; k < nz && strcmp(z[k], t->az) != 0; k++)
			;
		if (k == nz) {
			if (nz == 32)
				continue;
			z[nz] = t->az;
			n[nz++] = 0;
		}
		n[k]++;
	}
	for (int i = 1; i < nz; i++)
		for (int j = i; j > 0 && strcmp(z[j - 1], z[j]) > 0; j--) {
			const char *tz = z[j];
			int tn = n[j];
			z[j] = z[j - 1];
			n[j] = n[j - 1];
			z[j - 1] = tz;
			n[j - 1] = tn;
		}
	char buf[1024];
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < nz && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s=%d", i ? "," : "", z[i], n[i]);
	return arena_strdup(m->a, buf);
}

static void
close_window(model *m, impact *x)
{
	struct faults *fs = F(m);
	x->open = false;
	rec_fact_time(x->fact, "windowEnd", eng_now(m->eng));
	ecs_announce_fault_window(m, x->s, x->fact, false);
	for (size_t i = 0; i < fs->nopen; i++)
		if (fs->open[i] == x) {
			fs->open[i] = fs->open[--fs->nopen];
			break;
		}
}

static void
evaluate(model *m, impact *x)
{
	service *s = x->s;
	sim_time now = eng_now(m->eng);
	bool clean;
	int h = healthy_now(s, &clean);
	if (h < x->lowest) {
		x->lowest = h;
		rec_fact_int(x->fact, "lowestHealthy", h);
		rec_fact_time(x->fact, "lowestAt", now);
	}
	int want = s->cfg.daemon ? 0 : s->desired;
	if (!x->recovered && ((h >= want && clean) || s->deleted)) {
		x->recovered = true;
		rec_fact_bool(x->fact, "recovered", true);
		rec_fact_time(x->fact, "recoveredAt", now);
		rec_fact_time(x->fact, "recoveryTime", now - x->f->start);
		rec_fact_str(x->fact, "healthyByZone", zones_text(m, s));
	}
	if (x->recovered && x->f->ended)
		close_window(m, x);
}

void
faults_service_changed(service *s)
{
	struct faults *fs = F(s->m);
	if (fs == NULL || fs->nopen == 0 || fs->finishing)
		return;
	for (size_t i = 0; i < fs->nopen;) {
		impact *x = fs->open[i];
		size_t before = fs->nopen;
		if (x->s == s)
			evaluate(s->m, x);
		if (fs->nopen == before)
			i++;
	}
}

static void
open_window(model *m, fault *f, service *s)
{
	struct faults *fs = F(m);
	impact *x = arena_calloc(m->a, 1, sizeof(*x));
	x->f = f;
	x->s = s;
	x->open = true;
	rec_fact *r = x->fact = rec_fact_new(m->rec, "fault_impact");
	bool clean;
	int h = healthy_now(s, &clean);
	x->lowest = h;
	rec_fact_int(r, "fault", f->id);
	rec_fact_str(r, "kind", f->kind);
	rec_fact_str(r, "service", s->name);
	rec_fact_str(r, "cluster", s->cl->name);
	rec_fact_time(r, "start", f->start);
	rec_fact_int(r, "desiredCount", s->desired);
	rec_fact_int(r, "healthyAtStart", h);
	rec_fact_str(r, "healthyByZoneAtStart", zones_text(m, s));
	rec_fact_int(r, "lowestHealthy", h);
	rec_fact_time(r, "lowestAt", f->start);
	rec_fact_bool(r, "recovered", false);
	XGROW(f->impacts, f->capimpacts, f->nimpacts + 1);
	f->impacts[f->nimpacts++] = x;
	XGROW(fs->open, fs->capopen, fs->nopen + 1);
	fs->open[fs->nopen++] = x;
	ecs_announce_fault_window(m, s, r, true);
}

fault *
faults_open(model *m, const char *kind, const char *target, cluster *cl,
    service *svc, bool random)
{
	struct faults *fs = F(m);
	fault *f = arena_calloc(m->a, 1, sizeof(*f));
	f->id = (int)fs->nfaults + 1;
	f->kind = kind;
	f->start = eng_now(m->eng);
	XGROW(fs->faults, fs->capfaults, fs->nfaults + 1);
	fs->faults[fs->nfaults++] = f;
	rec_fact *r = f->fact = rec_fact_new(m->rec, "fault");
	rec_fact_int(r, "id", f->id);
	rec_fact_str(r, "kind", kind);
	rec_fact_str(r, "target", target);
	rec_fact_str(r, "cluster", svc ? svc->cl->name : cl ? cl->name : "");
	rec_fact_time(r, "start", f->start);
	rec_fact_bool(r, "random", random);
	rec_fact_int(r, "tasksStopped", 0);
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		if (s->deleted || (svc && s != svc) || (cl && s->cl != cl))
			continue;
		open_window(m, f, s);
	}
	return f;
}

void
faults_end(model *m, fault *f)
{
	if (f->ended)
		return;
	f->ended = true;
	rec_fact_time(f->fact, "end", eng_now(m->eng));
	rec_fact_time(f->fact, "duration", eng_now(m->eng) - f->start);
	for (size_t i = 0; i < f->nimpacts; i++)
		if (f->impacts[i]->open)
			evaluate(m, f->impacts[i]);
}

/* Re-evaluate the windows of every service of the fault at once (after
 * its immediate effects). */
static void
settle(model *m, fault *f)
{
	for (size_t i = 0; i < f->nimpacts; i++)
		if (f->impacts[i]->open)
			evaluate(m, f->impacts[i]);
}

/* ---- reachability ---- */

static void
set_task_reachable(task *t, bool reachable)
{
	if (t->unreachable == !reachable)
		return;
	ecs_announce_task_will_change(t); /* traffic so far, with the old state */
	t->unreachable = !reachable;
	ecs_announce_task_reachability_changed(t); /* traffic, ELB follow */
	svc_kick(t->svc);
}

/* The instance answers or not; its tasks follow. */
static void
set_instance_reachable(model *m, instance *in, bool reachable)
{
	if (in->unreachable == !reachable)
		return;
	in->unreachable = !reachable;
	for (int i = 0; i < m->nservices; i++)
		for (task *t = m->services[i]->tasks; t; t = t->next)
			if (t->inst == in)
				set_task_reachable(t, reachable);
}

static void
set_agent(model *m, instance *in)
{
	struct inst_fault *x = ifx(m, in);
	bool disc = x->agent_fault || x->zone_outages > 0 || x->own_impaired || x->lost_at >= 0;
	if (disc != in->agent_disconnected) {
		in->agent_disconnected = disc;
		instance_agent_changed(m, in);
	}
}

static void
set_impaired(model *m, instance *in)
{
	struct inst_fault *x = ifx(m, in);
	bool imp = x->zone_outages > 0 || x->own_impaired;
	if (imp != in->impaired) {
		in->impaired = imp;
		ecs_announce_instance_impaired(m, in);
	}
}

void
faults_mark_doomed(model *m, instance *in)
{
	ifx(m, in)->doomed = true;
}

sim_time
faults_instance_lost_at(const instance *in)
{
	return in->fx ? in->fx->lost_at : -1;
}

bool
faults_instance_lost(const instance *in)
{
	return in->fx != NULL && in->fx->lost_at >= 0;
}

/* ---- instances lost ---- */

void
faults_terminate_instance(model *m, instance *in, fault *f, const char *cause)
{
	if (in->status == INST_GONE)
		return;
	char *reason = arena_printf(m->a, "Host EC2 (instance %s) terminated.", in->ec2_id);
	if (f == NULL && in->fx != NULL) {
		/* its group replaces it: the fault that impaired it */
		f = in->fx->loss_fault;
		struct faults *fs = F(m);
		for (size_t i = 0; f == NULL && i < fs->nzones; i++)
			if (fs->zones[i].active && strcmp(fs->zones[i].az, in->az) == 0)
				f = fs->zones[i].f;
	}
	if (f != NULL)
		for (int i = 0; i < m->nservices; i++)
			for (task *t = m->services[i]->tasks; t; t = t->next)
				if (t->inst == in && !t->desired_stopped)
					faults_note_task(m, f, t, STOP_TERMINATION_NOTICE, reason);
	instance_terminate_with(m, in, STOP_TERMINATION_NOTICE, reason, cause);
	if (in->fx)
		eng_cancel_clear(m->eng, &in->fx->fail_ev);
}

static void
loss_noticed(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	instance *in = obj;
	model *m = in->cl->m;
	struct inst_fault *x = in->fx;
	x->loss_ev = EVQ_NONE;
	if (in->status == INST_GONE)
		return;
	fault *f = x->loss_fault;
	/* the fault's window may already have closed; still count the tasks */
	faults_terminate_instance(m, in, f, "the EC2 instance terminated unexpectedly");
}

void
faults_lose_instance(model *m, instance *in, bool terminated, fault *f)
{
	if (in->status == INST_GONE)
		return;
	struct inst_fault *x = ifx(m, in);
	sim_time now = eng_now(m->eng);
	if (terminated) {
		if (x->lost_at >= 0)
			return;
		x->lost_at = now;
		x->loss_fault = f;
		set_instance_reachable(m, in, false);
		set_agent(m, in);
		/* EC2 reports the instance terminated: its group's health check
		 * sees it (any grace period notwithstanding [DOC]) */
		ecs_announce_instance_impaired(m, in);
		/* [UNCONFIRMED] ECS stops its tasks once it notices */
		x->loss_ev = eng_after(m->eng, faults_params_of(m)->instance_loss_detection, loss_noticed, in, 0);
	} else {
		x->own_impaired = true;
		x->loss_fault = f;
		set_instance_reachable(m, in, false);
		set_agent(m, in);
		set_impaired(m, in);
	}
}

/* ---- random instance failures ---- */

static void
random_failure(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	instance *in = obj;
	model *m = in->cl->m;
	in->fx->fail_ev = EVQ_NONE;
	if (in->status == INST_GONE || faults_instance_lost(in) || in->fx->own_impaired)
		return;
	const faults_cfg *c = faults_config(m);
	fault *f = faults_open(m, "instanceFailure", in->ec2_id, in->cl, NULL, true);
	faults_detail(f, "mode", c->mtbf_impaired ? "impaired" : "terminated");
	faults_detail(f, "az", in->az);
	fault_event(m, f, "instance %s (%s, %s) failed (%s; random, mean time between failures)",
	    in->ec2_id, in->type_name, in->az, c->mtbf_impaired ? "impaired" : "terminated");
	faults_lose_instance(m, in, !c->mtbf_impaired, f);
	faults_end(m, f);
	settle(m, f);
}

static uint64_t
origin_serial(struct faults *fs, const char *key)
{
	for (size_t i = 0; i < fs->norigins; i++)
		if (strcmp(fs->origins[i].key, key) == 0)
			return fs->origins[i].next++;
	XGROW(fs->origins, fs->caporigins, fs->norigins + 1);
	fs->origins[fs->norigins].key = xstrdup(key);
	fs->origins[fs->norigins].next = 1;
	return fs->origins[fs->norigins++].next - 1;
}

void
faults_instance_launched(model *m, instance *in, const char *origin)
{
	struct faults *fs = F(m);
	char key[600];
	/* the entity of its streams: which group launched it, as what, and
	 * how many such instances before it — stable whatever other kinds
	 * of fault do */
	snprintf(key, sizeof(key), "%s/%s/%s", in->cl->name, origin ? origin : "static",
	    in->spot ? "spot" : "on-demand");
	uint64_t serial = origin_serial(fs, key);
	in->fault_entity = rng_fnv1a64(key) * UINT64_C(1000003) + serial;
	const faults_cfg *c = faults_config(m);
	if (c->instance_mtbf <= 0)
		return;
	struct inst_fault *x = ifx(m, in);
	x->r = rng_new(m->seed, "fault.instance", in->fault_entity);
	sim_time at = eng_now(m->eng) + rng_exp_mean_us(x->r, c->instance_mtbf);
	if (at <= m->end)
		x->fail_ev = eng_at(m->eng, at, random_failure, in, 0);
}

/* ---- zones ---- */

bool
faults_zone_down(const model *m, const char *az)
{
	const struct faults *fs = F(m);
	if (fs == NULL)
		return false;
	for (size_t i = 0; i < fs->nzones; i++)
		if (fs->zones[i].active && strcmp(fs->zones[i].az, az) == 0)
			return true;
	return false;
}

static bool
zone_down_for(const struct faults *fs, const char *az, const cluster *cl)
{
	for (size_t i = 0; i < fs->nzones; i++)
		if (fs->zones[i].active && strcmp(fs->zones[i].az, az) == 0 &&
		    (fs->zones[i].cl == NULL || fs->zones[i].cl == cl))
			return true;
	return false;
}

static void
zone_apply(model *m, const char *az, cluster *only, bool down)
{
	struct faults *fs = F(m);
	for (int c = 0; c < m->nclusters; c++) {
		cluster *cl = m->clusters[c];
		if (only && cl != only)
			continue;
		for (int i = 0; i < cl->ninstances; i++) {
			instance *in = cl->instances[i];
			if (in->status == INST_GONE || strcmp(in->az, az) != 0)
				continue;
			struct inst_fault *x = ifx(m, in);
			x->zone_outages += down ? 1 : -1;
			bool reach = x->zone_outages == 0 && !x->own_impaired && x->lost_at < 0;
			set_instance_reachable(m, in, reach);
			set_agent(m, in);
			set_impaired(m, in);
		}
	}
	/* Fargate tasks in the zone */
	for (int i = 0; i < m->nservices; i++)
		for (task *t = m->services[i]->tasks; t; t = t->next)
			if (t->inst == NULL && t->az != NULL && strcmp(t->az, az) == 0 &&
			    (only == NULL || t->svc->cl == only))
				set_task_reachable(t, !zone_down_for(fs, az, t->svc->cl));
}

static void
zone_back(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	model *m = obj;
	struct faults *fs = F(m);
	zone_out *z = &fs->zones[arg];
	z->active = false;
	fault_event(m, z->f, "Availability Zone %s is back", z->az);
	zone_apply(m, z->az, z->cl, false);
	ecs_announce_zone_changed(m, z->az, false);
	for (int c = 0; c < m->nclusters; c++)
		cluster_kick(m, m->clusters[c], true);
	faults_end(m, z->f);
}

/* ---- image pulls ---- */

static bool
cached(const struct inst_fault *x, const char *image)
{
	if (x == NULL)
		return false;
	for (size_t i = 0; i < x->nimages; i++)
		if (strcmp(x->images[i], image) == 0)
			return true;
	return false;
}

const char *
faults_pull_error(task *t)
{
	model *m = t->svc->m;
	struct faults *fs = F(m);
	if (fs == NULL || !faults_config(m)->pull_faults)
		return NULL;
	sim_time now = eng_now(m->eng);
	instance *in = t->inst;
	pull_behavior pb = in ? faults_agent(m, in->cl)->pull : PULL_ALWAYS;
	const char *err = NULL;
	for (int c = 0; c < t->td->ncontainers && err == NULL; c++) {
		const char *image = t->td->containers[c].image;
		bool have = in != NULL && cached(in->fx, image);
		/* [DOC pull-behavior.html] once / prefer-cached use the cached
		 * image without pulling */
		if (have && (pb == PULL_ONCE || pb == PULL_PREFER_CACHED))
			continue;
		for (size_t i = 0; i < fs->npulls; i++) {
			const pull_out *p = &fs->pulls[i];
			if (now >= p->until || (strcmp(p->image, "*") != 0 && strcmp(p->image, image) != 0))
				continue;
			/* [DOC] default: a failed pull falls back to the cached
			 * image; always: the task fails. Fargate caches nothing. */
			if (have && pb == PULL_DEFAULT)
				break;
			err = p->reason ? p->reason : arena_printf(m->a,
			    "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref \"%s\": i/o timeout",
			    image);
			rec_fact_add_int(p->f->fact, "pullsFailed", 1);
			faults_note_task(m, p->f, t, STOP_TASK_FAILED_TO_START, err);
			break;
		}
	}
	if (err == NULL && in != NULL) {
		struct inst_fault *x = ifx(m, in);
		for (int c = 0; c < t->td->ncontainers; c++) {
			const char *image = t->td->containers[c].image;
			if (!cached(x, image)) {
				XGROW(x->images, x->capimages, x->nimages + 1);
				x->images[x->nimages++] = image;
			}
		}
	}
	return err;
}

static void
pull_back(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	model *m = obj;
	struct faults *fs = F(m);
	pull_out *p = &fs->pulls[arg];
	fault_event(m, p->f, "image %s can be pulled again", p->image);
	faults_end(m, p->f);
}

/* ---------------------------------------------------------------- */
/* Timeline calls: applying.                                         */

static instance *
inst_at(model *m, const char *cname, int i)
{
	cluster *cl = model_find_cluster(m, cname);
	return cl && i < cl->ninstances ? cl->instances[i] : NULL;
}

/* A call naming an instance that is not there (gone, or not launched yet
 * by its group) says so in the event log: nothing happens silently. */
static instance *
live_instance(model *m, const inst_fault_call *ic, const char *call)
{
	instance *in = inst_at(m, ic->cluster, ic->index);
	if (in == NULL || in->status == INST_GONE) {
		rec_event_add(m->rec, eng_now(m->eng), "sim", "sim",
		    "%s: cluster %s has no live instance index:%d; nothing happens", call,
		    ic->cluster, ic->index);
		return NULL;
	}
	return in;
}

static int
apply_fail_instance(model *m, void *typed, sim_error *err)
{
	(void)err;
	inst_fault_call *ic = typed;
	instance *in = live_instance(m, ic, "sim:FailInstance");
	if (in == NULL)
		return 0;
	fault *f = faults_open(m, "instance", in->ec2_id, in->cl, NULL, false);
	faults_detail(f, "mode", ic->terminated ? "terminated" : "impaired");
	faults_detail(f, "az", in->az);
	fault_event(m, f, "instance %s (%s, %s) %s", in->ec2_id, in->type_name, in->az,
	    ic->terminated ? "terminated unexpectedly" : "impaired: status checks failing, unreachable");
	faults_lose_instance(m, in, ic->terminated, f);
	faults_end(m, f);
	settle(m, f);
	return 0;
}

static void
reconnect(model *m, instance *in, fault *f)
{
	struct inst_fault *x = ifx(m, in);
	if (!x->agent_fault)
		return;
	x->agent_fault = false;
	eng_cancel_clear(m->eng, &x->reconnect_ev);
	set_agent(m, in);
	if (f != NULL) {
		fault_event(m, f, "agent of instance %s reconnected", in->ec2_id);
		faults_end(m, f);
	}
}

static void
reconnect_due(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	instance *in = obj;
	model *m = in->cl->m;
	struct faults *fs = F(m);
	in->fx->reconnect_ev = EVQ_NONE;
	/* the disconnect fault still open for this instance */
	fault *f = NULL;
	for (size_t i = fs->nfaults; i-- > 0 && f == NULL;)
		if (!fs->faults[i]->ended && strcmp(fs->faults[i]->kind, "agentDisconnect") == 0 &&
		    strcmp(rec_fact_get_str(fs->faults[i]->fact, "target"), in->ec2_id) == 0)
			f = fs->faults[i];
	reconnect(m, in, f);
}

static int
apply_disconnect(model *m, void *typed, sim_error *err)
{
	(void)err;
	inst_fault_call *ic = typed;
	instance *in = live_instance(m, ic, "sim:DisconnectAgent");
	if (in == NULL)
		return 0;
	struct inst_fault *x = ifx(m, in);
	if (x->agent_fault) {
		rec_event_add(m->rec, eng_now(m->eng), "sim", "sim",
		    "sim:DisconnectAgent: the agent of %s is already disconnected", in->ec2_id);
		return 0;
	}
	fault *f = faults_open(m, "agentDisconnect", in->ec2_id, in->cl, NULL, false);
	faults_detail(f, "az", in->az);
	fault_event(m, f, "agent of instance %s disconnected (agentConnected false)", in->ec2_id);
	x->agent_fault = true;
	set_agent(m, in);
	if (ic->duration > 0)
		x->reconnect_ev = eng_after(m->eng, ic->duration, reconnect_due, in, 0);
	settle(m, f);
	return 0;
}

static int
apply_reconnect(model *m, void *typed, sim_error *err)
{
	(void)err;
	inst_fault_call *ic = typed;
	instance *in = live_instance(m, ic, "sim:ReconnectAgent");
	if (in == NULL)
		return 0;
	if (!ifx(m, in)->agent_fault) {
		rec_event_add(m->rec, eng_now(m->eng), "sim", "sim",
		    "sim:ReconnectAgent: the agent of %s is connected; nothing happens", in->ec2_id);
		return 0;
	}
	reconnect_due(m->eng, in, 0);
	return 0;
}

static int
apply_zone(model *m, void *typed, sim_error *err)
{
	(void)err;
	zone_call *z = typed;
	struct faults *fs = F(m);
	cluster *cl = z->cluster ? model_find_cluster(m, z->cluster) : NULL;
	fault *f = faults_open(m, "availabilityZone", z->az, cl, NULL, false);
	char b[64];
	faults_detail(f, "plannedDuration", simtime_format(z->duration, b, sizeof(b)));
	fault_event(m, f, "Availability Zone %s out for %s%s%s", z->az, b,
	    cl ? " in cluster " : "", cl ? cl->name : "");
	XGROW(fs->zones, fs->capzones, fs->nzones + 1);
	size_t k = fs->nzones++;
	fs->zones[k] = (zone_out){z->az, cl, f, true};
	zone_apply(m, z->az, cl, true);
	ecs_announce_zone_changed(m, z->az, true);
	eng_after(m->eng, z->duration, zone_back, m, (uint64_t)k);
	settle(m, f);
	return 0;
}

static int
apply_pull(model *m, void *typed, sim_error *err)
{
	(void)err;
	pull_call *p = typed;
	struct faults *fs = F(m);
	fault *f = faults_open(m, "imagePullFailure", p->image, NULL, NULL, false);
	rec_fact_int(f->fact, "pullsFailed", 0);
	char b[64];
	faults_detail(f, "plannedDuration", simtime_format(p->duration, b, sizeof(b)));
	fault_event(m, f, "pulls of image %s fail for %s", p->image, b);
	XGROW(fs->pulls, fs->cappulls, fs->npulls + 1);
	size_t k = fs->npulls++;
	fs->pulls[k] = (pull_out){p->image, eng_now(m->eng) + p->duration, p->reason, f};
	eng_after(m->eng, p->duration, pull_back, m, (uint64_t)k);
	settle(m, f);
	return 0;
}

static int
apply_crash(model *m, void *typed, sim_error *err)
{
	(void)err;
	crash_call *k = typed;
	service *s = model_find_service(m, k->cluster, k->service);
	if (s == NULL || s->deleted)
		return 0;
	task **cand = NULL;
	size_t n = 0, cap = 0;
	for (task *t = s->tasks; t; t = t->next)
		if (t->status == TS_RUNNING && !t->desired_stopped) {
			XGROW(cand, cap, n + 1);
			cand[n++] = t;
		}
	/* oldest first, so the choice does not depend on list order */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cand[j - 1]->serial > cand[j]->serial; j--) {
			task *tmp = cand[j];
			cand[j] = cand[j - 1];
			cand[j - 1] = tmp;
		}
	size_t want = k->fraction >= 0 ? (size_t)ceil(k->fraction * (double)n - 1e-9) : (size_t)k->count;
	if (want > n)
		want = n;
	fault *f = faults_open(m, "taskCrash", s->name, NULL, s, false);
	rec_fact_int(f->fact, "tasksRunning", (int64_t)n);
	fault_event(m, f, "%zu of the %zu RUNNING tasks of service %s exit", want, n, s->name);
	/* which ones: a partial shuffle from the call's own stream */
	rng *r = rng_new(m->seed, "fault.crash", (uint64_t)k->serial);
	for (size_t i = 0; i < want; i++) {
		size_t j = i + rng_uniform_index(r, (unsigned long)(n - i));
		task *tmp = cand[i];
		cand[i] = cand[j];
		cand[j] = tmp;
	}
	rng_free(r);
	for (size_t i = 0; i < want; i++) {
		faults_note_task(m, f, cand[i], STOP_ESSENTIAL_CONTAINER_EXITED,
		    "Essential container in task exited");
		task_stop(cand[i], STOP_ESSENTIAL_CONTAINER_EXITED, "Essential container in task exited");
	}
	free(cand);
	faults_end(m, f);
	settle(m, f);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Life cycle.                                                       */

void
faults_register(model_cfg *c, scn_spec *sp)
{
	faults_cfg *f = cfg_faults(c);
	cfg_add_params(c, param_defs, (int)(sizeof(param_defs) / sizeof(param_defs[0])), &f->params,
	    params_listed);
	scn_spec_add_section(sp, "faults", parse_faults, c);
	cfg_add_cluster_member(c, "ecsAgent", parse_agent);
	cfg_add_call(c, sp, "sim:FailInstance", parse_fail_instance, apply_fail_instance);
	cfg_add_call(c, sp, "sim:FailAvailabilityZone", parse_zone, apply_zone);
	cfg_add_call(c, sp, "sim:DisconnectAgent", parse_disconnect, apply_disconnect);
	cfg_add_call(c, sp, "sim:ReconnectAgent", parse_reconnect, apply_reconnect);
	cfg_add_call(c, sp, "sim:ImagePullFailure", parse_pull, apply_pull);
	cfg_add_call(c, sp, "sim:CrashTasks", parse_crash, apply_crash);
}

void
faults_start(model *m)
{
	m->faults = arena_calloc(m->a, 1, sizeof(*m->faults));
	m->faults->m = m;
}

void
faults_finish(model *m)
{
	struct faults *fs = F(m);
	if (fs == NULL)
		return;
	/* windows still open at the end: the figures so far */
	while (fs->nopen > 0) {
		impact *x = fs->open[0];
		evaluate(m, x);
		if (fs->nopen > 0 && fs->open[0] == x)
			close_window(m, x);
	}
	fs->finishing = true;
	if (!faults_config(m)->used)
		return;
	rec_fact *r = rec_fact_new(m->rec, "faults");
	rec_fact_int(r, "count", (int64_t)fs->nfaults);
	int64_t nrandom = 0;
	for (size_t i = 0; i < fs->nfaults; i++)
		nrandom += rec_fact_get_int(fs->faults[i]->fact, "random", 0);
	rec_fact_int(r, "random", nrandom);
}

void
faults_free(model *m)
{
	struct faults *fs = F(m);
	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->nfaults; i++)
		free(fs->faults[i]->impacts);
	free(fs->faults);
	free(fs->open);
	free(fs->zones);
	free(fs->pulls);
	for (size_t i = 0; i < fs->norigins; i++)
		free(fs->origins[i].key);
	free(fs->origins);
	for (size_t i = 0; i < fs->nifx; i++) {
		rng_free(fs->ifx[i]->r);
		free(fs->ifx[i]->images);
		free(fs->ifx[i]);
	}
	free(fs->ifx);
	m->faults = NULL;
}

void
faults_assume(model *m)
{
	const faults_cfg *c = faults_config(m);
	recorder *r = m->rec;
	if (!c->used)
		return;
	rec_assume(r, "faults.unreachableTasks", "RUNNING to ECS, answer nothing", "MODEL",
	    "[INF] tasks on an impaired instance or in a failed zone stay RUNNING to ECS (its agent is disconnected); their targets fail health checks (Target.Timeout) and their requests fail until ECS replaces them; container health checks keep their last status");
	rec_assume(r, "faults.stopWhileDisconnected", "completes", "MODEL",
	    "[INF] a task ECS stops while its instance's agent is disconnected leaves at once (ECS deregisters its targets itself; the container's exit would be reported at reconnection)");
	rec_assume(r, "faults.zoneFargate", "no placements in the zone", "MODEL",
	    "[INF] while an Availability Zone is out Fargate places no task there and its Fargate tasks are unreachable; the load balancer's own nodes stay up (DNS failover is not modelled)");
	if (c->pull_faults)
		rec_assume(r, "faults.pullFailureTime", "the drawn pull time", "MODEL",
		    "[INF] a failing image pull takes as long as a pull (its retries), then the task stops with TaskFailedToStart");
}
