/*
 * service — the ECS service scheduler for REPLICA and DAEMON services:
 * deployments, the rolling update, unhealthy-task replacement, placement
 * retries, the circuit breaker, steady state.
 *
 * Invariant (rolling update, [DOC] API DeploymentConfiguration): while a
 * pass starts tasks, tasks in PENDING or RUNNING never exceed
 * floor(D × maximumPercent / 100), and a pass stops a healthy task only
 * while healthy tasks stay at or above ceil(D × minimumHealthyPercent / 100).
 *
 * One scheduler pass runs ecs.schedulerDelay after any change the service
 * can see (its tasks' state or health, desired count, update, a retry; and
 * freed capacity while it waits for capacity: cluster_kick, [INF]
 * ecs.capacityWakesAllServices), so bursts of changes cost one pass. The per-pass algorithm is [INF] (reference §1.5, §8): stop first
 * (within the lower bound), then start (within the upper bound and free
 * capacity).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ecs/circuit_breaker.h"
#include "model/ecs/deploy.h"
#include "model/ecs/ecs.h"
#include "model/ecs/faults.h"
#include "model/ecs/fleet.h"
#include "model/ecs/listeners.h"
#include "model/ecs/placement.h"
#include "model/ecs/service_int.h"
#include "sim/xalloc.h"

static void svc_pass(engine *e, void *obj, uint64_t arg);
static void svc_retry(engine *e, void *obj, uint64_t arg);

/* [DOC] upper bound: floor(D × maximumPercent / 100). */
int
svc_max_tasks(int desired, int maximum_percent)
{
	return (int)(((int64_t)desired * maximum_percent) / 100);
}

/* [DOC] lower bound: ceil(D × minimumHealthyPercent / 100). */
int
svc_min_healthy(int desired, int minimum_healthy_percent)
{
	return (int)(((int64_t)desired * minimum_healthy_percent + 99) / 100);
}

void
svc_kick(service *s)
{
	model *m = s->m;
	faults_service_changed(s); /* recovery windows (faults.h) */
	if (eng_is_pending(m->eng, s->pass_ev))
		return;
	s->pass_ev = eng_after(m->eng, m->p->scheduler_delay, svc_pass, s, 0);
}

static deployment *
primary(const service *s)
{
	return s->deps;
}

static void
make_deployment_id(model *m, char *out)
{
	/* ecs-svc/ followed by 19 digits, as DescribeServices shows */
	char hex[20];
	model_make_hex_id(m, "deployment", hex, 16);
	unsigned long long v = strtoull(hex, NULL, 16) % 10000000000000000000ULL;
	snprintf(out, 40, "ecs-svc/%019llu", v);
}

static const char *
td_label(arena *a, const task_def *td)
{
	return arena_printf(a, "%s:%d", td->family, td->revision);
}

/* Open d's record (a "deployment" fact, docs/observations.md) as it
 * starts now: from the definition `from` (NULL for the first), for
 * `cause`; a circuit-breaker rollback is a deployment of its own. */
void
dep_record(deployment *d, const task_def *from, const char *cause, bool rollback)
{
	service *s = d->svc;
	model *m = s->m;
	rec_fact *f = d->fact = rec_fact_new(m->rec, "deployment");
	rec_fact_str(f, "service", s->name);
	rec_fact_str(f, "cluster", s->cl->name);
	rec_fact_str(f, "id", d->id);
	rec_fact_str(f, "taskDefinition", td_label(m->a, d->td));
	rec_fact_str(f, "from", from ? td_label(m->a, from) : "");
	rec_fact_str(f, "cause", cause);
	rec_fact_time(f, "start", eng_now(m->eng));
	rec_fact_int(f, "desiredCount", s->desired);
	rec_fact_int(f, "maximumPercent", d->dc.maximum_percent);
	rec_fact_int(f, "minimumHealthyPercent", d->dc.minimum_healthy_percent);
	rec_fact_int(f, "minimumHealthy", svc_min_healthy(s->desired, d->dc.minimum_healthy_percent));
	rec_fact_str(f, "rolloutState", "IN_PROGRESS");
	rec_fact_int(f, "tasksStarted", 0);
	rec_fact_int(f, "tasksStopped", 0);
	rec_fact_int(f, "tasksFailed", 0);
	rec_fact_int(f, "placementFailures", 0);
	rec_fact_bool(f, "circuitBreakerTriggered", false);
	rec_fact_bool(f, "rollback", rollback);
	/* the lowest healthy count starts at what the deployment starts with */
	d->lowest_healthy = svc_healthy_count(s);
	rec_fact_int(f, "lowestHealthy", d->lowest_healthy);
}

/* Start a deployment of the service's current task definition. */
static deployment *
new_deployment(service *s, const char *cause)
{
	model *m = s->m;
	deployment *d = arena_calloc(m->a, 1, sizeof(*d));
	deployment *prev = s->deps;
	d->svc = s;
	make_deployment_id(m, d->id);
	d->td = s->cfg.td;
	d->status = DEP_PRIMARY;
	d->rollout = ROLLOUT_IN_PROGRESS;
	d->reason = arena_printf(m->a, "ECS deployment %s in progress.", d->id);
	d->dc = s->cfg.dc;
	d->is_first = s->ndeps_created == 0;
	d->created_at = eng_now(m->eng);
	d->lowest_healthy = -1;
	d->series_rev = -1;
	d->series_weight = -1;
	d->want = -1;
	d->next = s->deps;
	if (prev)
		prev->status = DEP_ACTIVE;
	s->deps = d;
	s->ndeps_created++;
	s->consecutive_start_failures = 0; /* [DOC] an update resets throttling */
	s->throttled_until = 0;
	s->last_failed_launch = -1; /* no launch counted yet (tasks of t=0 count) */
	dep_record(d, prev ? prev->td : NULL, cause, false);
	s->steady = false;
	sev_resolve(s, SEV_STEADY);
	sev_resolve(s, SEV_STUCK);
	sev_resolve(s, SEV_PLACEMENT);
	dpl_begin(s, d, prev); /* the strategy takes over (model/ecs/deploy.h) */
	return d;
}

/* Desired count the scheduler works toward: DAEMON = eligible instances. */
static int
effective_desired(const service *s)
{
	if (!s->cfg.daemon)
		return s->desired;
	int n = 0;
	for (int i = 0; i < s->cl->ninstances; i++)
		n += s->cl->instances[i]->status == INST_ACTIVE;
	return n;
}

service *
svc_create(model *m, const svc_cfg *c)
{
	service *s = arena_calloc(m->a, 1, sizeof(*s));
	s->m = m;
	s->name = c->name;
	s->cfg = *c;
	s->cl = model_find_cluster(m, c->cluster);
	SIM_ASSERT(s->cl != NULL);
	s->arn = arena_printf(m->a, "arn:aws:ecs:%s:%s:service/%s/%s",
	    m->p->region, m->p->account, s->cl->name, s->name);
	s->desired = c->daemon ? 0 : c->desired;
	s->next_serial = 1;
	s->index = m->nservices;
	s->rplace = rng_new(m->seed, "placement", rng_fnv1a64(s->name));
	if (m->nservices == m->capservices) {
		m->capservices = m->capservices ? 2 * m->capservices : 8;
		m->services = xreallocarray(m->services, (size_t)m->capservices, sizeof(*m->services));
	}
	m->services[m->nservices++] = s;
	rec_fact *f = s->fact = rec_fact_new(m->rec, "service");
	rec_fact_str(f, "name", s->name);
	rec_fact_str(f, "cluster", s->cl->name);
	rec_fact_time(f, "createdAt", eng_now(m->eng));
	rec_fact_int(f, "lowestHealthy", -1);
	rec_fact_int(f, "placementFailures", 0);
	svc_register_series(s);
	ecs_announce_service_created(m, s);
	/* [DOC] an EXTERNAL service gets its tasks from task sets */
	if (c->controller != CTRL_EXTERNAL)
		new_deployment(s, "service created");
	ecs_announce_service_deployed(m, s);
	svc_kick(s);
	return s;
}

/* [DOC] UpdateService starts a deployment on a new task definition,
 * forceNewDeployment, or a change of deployment configuration, load
 * balancers or placement; a change of desiredCount or of
 * healthCheckGracePeriodSeconds alone does not. */
int
svc_update(service *s, const svc_cfg *u)
{
	bool deploy = u->force_new_deployment || u->td != s->cfg.td ||
	    u->has_dc || u->lbs != s->cfg.lbs || u->placement != s->cfg.placement;
	const char *cause = u->force_new_deployment ? "forceNewDeployment" :
	    u->td != s->cfg.td ? "new task definition" : "configuration change";
	s->cfg.td = u->td;
	s->cfg.dc = u->dc;
	s->cfg.grace = u->grace;
	s->cfg.placement = u->placement;
	if (u->lbs != s->cfg.lbs) {
		s->cfg.lbs = u->lbs;
		s->cfg.nlbs = u->nlbs;
		ecs_announce_service_bindings_changed(s->m, s);
	}
	if (u->has_desired)
		svc_set_desired(s, u->desired, "UpdateService");
	/* [DOC] CODE_DEPLOY and EXTERNAL services deploy through their tools */
	if (deploy && s->cfg.controller == CTRL_ECS)
		new_deployment(s, cause);
	svc_kick(s);
	return 0;
}

void
svc_set_desired(service *s, int desired, const char *cause)
{
	(void)cause;
	if (s->cfg.daemon || desired == s->desired)
		return;
	int from = s->desired;
	s->desired = desired;
	dpl_desired_changed(s, from, desired);
	if (primary(s) && primary(s)->rollout == ROLLOUT_COMPLETED) {
		s->steady = false;
		sev_resolve(s, SEV_STEADY);
	}
	svc_kick(s);
}

void
svc_delete(service *s)
{
	s->deleted = true;
	s->desired = 0;
	svc_kick(s);
}

int
svc_running_count(const service *s)
{
	int n = 0;
	for (const task *t = s->tasks; t; t = t->next)
		n += t->status == TS_RUNNING && !t->desired_stopped;
	return n;
}

int
svc_healthy_count(const service *s)
{
	int n = 0;
	for (const task *t = s->tasks; t; t = t->next)
		n += task_healthy(t);
	return n;
}

bool
svc_deployment_in_progress(const service *s)
{
	return primary(s) && primary(s)->rollout == ROLLOUT_IN_PROGRESS;
}

/* ---- events from tasks ---- */

static void
note_lowest_healthy(service *s)
{
	deployment *d = primary(s);
	int h = svc_healthy_count(s);
	if (d && d->rollout == ROLLOUT_IN_PROGRESS) {
		if (d->lowest_healthy < 0 || h < d->lowest_healthy) {
			d->lowest_healthy = h;
			rec_fact_int(d->fact, "lowestHealthy", h);
		}
	}
	int64_t lo = rec_fact_get_int(s->fact, "lowestHealthy", -1);
	if (s->steady && (lo < 0 || h < lo))
		rec_fact_int(s->fact, "lowestHealthy", h);
}

void
svc_task_state_changed(task *t)
{
	service *s = t->svc;
	if (t->status == TS_RUNNING && t->dep->rollout == ROLLOUT_IN_PROGRESS)
		cb_task_running(t->dep);
	/* the healthy count can only drop when a task leaves RUNNING */
	if (t->desired_stopped || t->status > TS_RUNNING)
		note_lowest_healthy(s);
	svc_kick(s);
}

void
svc_task_health_changed(task *t)
{
	service *s = t->svc;
	if (task_healthy(t) && t->healthy_at == 0) {
		t->healthy_at = eng_now(s->m->eng);
		svc_note_healthy(t);
		cb_task_healthy(t->dep);
		/* a replacement that became healthy lets its unhealthy
		 * predecessor go */
		if (t->replaces != NULL) {
			task *old = t->replaces;
			t->replaces = NULL;
			if (!old->desired_stopped) {
				old->stopped_for_health = true;
				old->stopped_by = s->deps;
				task_stop(old, STOP_SERVICE_SCHEDULER_INITIATED, old->stopped_reason);
			}
		}
	}
	if (!task_healthy(t))
		note_lowest_healthy(s);
	svc_kick(s);
}

void
svc_task_stopped(task *t)
{
	service *s = t->svc;
	model *m = s->m;
	deployment *d = t->dep;
	d->ntasks--;
	if (t->started_at == 0 && t->stop_code == STOP_TASK_FAILED_TO_START) {
		/* [DOC] stage 1: a task that never reached RUNNING */
		rec_fact_add_int(d->fact, "tasksFailed", 1);
		if (d->rollout == ROLLOUT_IN_PROGRESS)
			cb_task_failed(d, t);
		/* [DOC] §7.2 throttle: repeated failures to reach RUNNING delay
		 * further launches, growing up to 15 minutes. Tasks launched
		 * together are one attempt [INF]: ten failing at once raise the
		 * delay once, not ten times. Only a launch later than the last
		 * one counted is a new attempt, so failures of two batches that
		 * interleave do not count a batch twice. */
		if (t->created_at > s->last_failed_launch) {
			s->consecutive_start_failures++;
			s->last_failed_launch = t->created_at;
		}
		if (s->consecutive_start_failures >= m->p->throttle_after) {
			int k = s->consecutive_start_failures - m->p->throttle_after;
			sim_time delay = m->p->throttle_initial;
			for (int i = 0; i < k && delay < m->p->throttle_max; i++)
				delay *= 2;
			if (delay > m->p->throttle_max)
				delay = m->p->throttle_max;
			s->throttled_until = eng_now(m->eng) + delay;
			sev_emit_dedup(s, SEV_THROTTLED,
			    "(service %s) is unable to consistently start tasks successfully.", s->name);
		}
	} else if (t->stopped_for_health) {
		rec_fact_add_int(d->fact, "tasksFailed", 1);
		if (d->rollout == ROLLOUT_IN_PROGRESS)
			cb_task_failed(d, t);
	}
	if (t->started_at != 0)
		s->consecutive_start_failures = 0, sev_resolve(s, SEV_THROTTLED);
	/* a replacement that failed: its unhealthy task needs a new one */
	if (t->replaces != NULL && !t->replaces->desired_stopped)
		t->replaces->replacing = false;
	/* any replacement pointing at this task no longer replaces it */
	for (task *x = s->tasks; x; x = x->next)
		if (x->replaces == t)
			x->replaces = NULL;
	note_lowest_healthy(s);
	svc_kick(s);
}

/* ---- the pass ---- */

typedef struct pass_view {
	int D, MAX, MIN;
	int active;   /* counts toward maximumPercent */
	int healthy;
	int primary_n; /* primary tasks still wanted (not replaced) */
	int old_n;     /* tasks of other deployments, desired RUNNING */
	int waiting;   /* primary tasks not yet healthy, or tasks stopping */
	int unhealthy; /* flagged unhealthy, not yet replaced (replace_unhealthy) */
} pass_view;

static void
view(service *s, pass_view *v)
{
	memset(v, 0, sizeof(*v));
	deployment *p = primary(s);
	v->D = effective_desired(s);
	v->MAX = svc_max_tasks(v->D, p->dc.maximum_percent);
	v->MIN = svc_min_healthy(v->D, p->dc.minimum_healthy_percent);
	for (int i = s->ntasks - 1; i >= 0; i--) {
		const task *t = s->tv[i];
		if (t->desired_stopped) {
			v->waiting++;
			if (s->m->p->count_stopping_in_max &&
			    (t->status == TS_DEACTIVATING || t->status == TS_STOPPING))
				v->active++;
			continue;
		}
		v->active++;
		v->unhealthy += t->unhealthy && !t->replacing;
		bool h = task_healthy(t);
		v->healthy += h;
		if (t->dep == p && !t->on_draining) {
			if (!t->replacing)
				v->primary_n++;
			if (!h && !t->unhealthy)
				v->waiting++;
		} else {
			v->old_n++;
		}
	}
}

/* Tasks of this service per instance index (for spread and scale-in).
 * Between passes the array is all zeros (clear_per_instance), so a pass
 * counts its tasks without clearing the cluster's whole width. */
static bool
count_per_instance(service *s)
{
	cluster *cl = s->cl;
	if (s->per_instance == NULL || s->per_instance_cap < cl->ninstances) {
		int old = s->per_instance ? s->per_instance_cap : 0;
		int cap = cl->capinstances > 0 ? cl->capinstances : 1;
		s->per_instance = xreallocarray(s->per_instance, (size_t)cap, sizeof(int));
		memset(s->per_instance + old, 0, (size_t)(cap - old) * sizeof(int));
		s->per_instance_cap = cap;
	}
	bool waiting = false;
	for (int i = s->ntasks - 1; i >= 0; i--) {
		const task *t = s->tv[i];
		if (t->inst && !t->desired_stopped)
			s->per_instance[t->inst_idx]++;
		waiting |= t->waiting && !t->desired_stopped;
	}
	return waiting; /* place_waiting has something to do */
}


/* Tasks of s per Availability Zone of its cluster, for one pass's stop
 * choices (AZ strings are shared with the cluster, so pointers compare). */
typedef struct az_tally {
	const char *az[16];
	int n[16];
	int nz;
} az_tally;

/* The slot of az in z, or z->nz: by pointer first (the usual case),
 * then by name. */
static int
az_find(const az_tally *z, const char *az)
{
	for (int k = 0; k < z->nz; k++)
		if (z->az[k] == az)
			return k;
	for (int k = 0; k < z->nz; k++)
		if (strcmp(z->az[k], az) == 0)
			return k;
	return z->nz;
}

static void
az_tally_build(const service *s, az_tally *z)
{
	z->nz = 0;
	for (int i = s->ntasks - 1; i >= 0; i--) {
		const task *t = s->tv[i];
		if (t->desired_stopped || t->stop_selected || t->az == NULL)
			continue;
		int k = az_find(z, t->az);
		if (k == z->nz) {
			if (z->nz == 16)
				continue;
			z->az[z->nz] = t->az;
			z->n[z->nz++] = 0;
		}
		z->n[k]++;
	}
}

static int
az_count(const az_tally *z, const char *az)
{
	int k = az_find(z, az);
	return k < z->nz ? z->n[k] : 0;
}

/* Tasks the scheduler wants gone: an older deployment's, or on a
 * DRAINING instance [DOC container-instance-draining]. */
static bool
is_old(const task *t, const deployment *p)
{
	return t->dep != p || t->on_draining;
}

/* Which task to stop next among candidates: [DOC] not-yet-healthy first;
 * then the old deployment's; then per the placement strategy's scale-in
 * rule [DOC §6.3]: with binpack first, the task on the instance that would
 * have the most of that resource left; otherwise (the default spread) the
 * one in the Availability Zone with the most tasks of the service, and on
 * the instance with the most; ties: the newest task [INF]. */
static task *
pick_stop(service *s, bool (*eligible)(const task *, const deployment *),
    bool healthy_allowed)
{
	deployment *p = primary(s);
	task *best = NULL;
	int bscore[4] = {0};
	az_tally z;
	az_tally_build(s, &z);
	const plc_policy *pol = s->cfg.placement;
	int binpack = 0; /* 1: cpu, 2: memory */
	if (pol && pol->nstrategies > 0 && pol->strategies[0].type == PLC_BINPACK)
		binpack = pol->strategies[0].field == PLC_FIELD_MEMORY ? 2 : 1;
	for (int i = s->ntasks - 1; i >= 0; i--) {
		task *t = s->tv[i];
		if (t->desired_stopped || t->stop_selected || !eligible(t, p))
			continue;
		bool h = task_healthy(t);
		if (h && !healthy_allowed)
			continue;
		int sc[4] = {
			!h,
			is_old(t, p),
			t->az ? az_count(&z, t->az) : 0,
			t->inst ? s->per_instance[t->inst_idx] : 0,
		};
		if (binpack && t->inst) {
			/* what the instance will have free once this pass's chosen
			 * stops are carried out */
			int freed = 0;
			for (size_t k = 0; k < s->nbatch; k++)
				if (s->batch[k]->inst == t->inst)
					freed += binpack == 1 ? s->batch[k]->td->place_cpu :
					    s->batch[k]->td->place_mem;
			sc[2] = (binpack == 1 ? t->inst->cpu_free : t->inst->mem_free) + freed;
			sc[3] = 0;
		}
		bool better = best == NULL;
		for (int k = 0; !better && k < 4; k++) {
			if (sc[k] != bscore[k]) {
				better = sc[k] > bscore[k];
				break;
			}
			if (k == 3)
				better = t->serial > best->serial;
		}
		if (better) {
			best = t;
			memcpy(bscore, sc, sizeof(sc));
		}
	}
	return best;
}

/* An old task that may go while not healthy: not a scale-out task of the
 * older revision still starting (it is there for the load). */
static bool
is_old_settled(const task *t, const deployment *p)
{
	return is_old(t, p) && !(t->scale_out && !t->unhealthy);
}

static bool
is_any(const task *t, const deployment *p)
{
	(void)t;
	(void)p;
	return true;
}

/* Collect "has started/stopped" task ids into one event per pass
 * (id_list: service_int.h). */
static void
id_add(id_list *l, const task *t)
{
	size_t len = strlen(l->text);
	if (len + 45 < sizeof(l->text))
		snprintf(l->text + len, sizeof(l->text) - len, " (task %s)", t->id);
	l->n++;
}

/* Choose t to be stopped in this pass. The stops are carried out by
 * flush_stops, after the "has stopped" event, so the event log reads in
 * AWS's order (the stop, then deregistration and draining). */
static void
stop_task(service *s, task *t, id_list *stopped, const char *reason)
{
	/* a deployment's record counts what happens while it is in progress */
	if (primary(s)->rollout == ROLLOUT_IN_PROGRESS)
		rec_fact_add_int(primary(s)->fact, "tasksStopped", 1);
	if (t->status == TS_RUNNING)
		id_add(stopped, t);
	t->stopped_by = primary(s);
	if (t->unhealthy)
		t->stopped_for_health = true;
	t->stop_selected = true;
	t->stop_reason_next = reason;
	XGROW(s->batch, s->capbatch, s->nbatch + 1);
	s->batch[s->nbatch++] = t;
	if (t->inst)
		s->per_instance[t->inst_idx]--;
}

static void
flush_stops(service *s, id_list *stopped)
{
	if (stopped->n > 0)
		sev_emit(s, "(service %s) has stopped %d running tasks:%s.", s->name,
		    stopped->n, stopped->text);
	stopped->n = 0;
	stopped->text[0] = '\0';
	for (size_t i = 0; i < s->nbatch; i++) {
		task *t = s->batch[i];
		t->stop_selected = false;
		task_stop(t, STOP_SERVICE_SCHEDULER_INITIATED, t->stop_reason_next);
	}
	s->nbatch = 0;
}

/* Place and launch one task of deployment d. Returns NULL (with the
 * failure recorded) when no instance can take it. */
/* [DOC] §7.1 the launch quotas: the service's, and on Fargate the
 * account's. Returns 0 when a launch may go now, else how long until it
 * may (and takes nothing). */
static sim_time
launch_quota(service *s, bool fargate)
{
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	const model_params *p = m->p;
	if (fargate) {
		/* look first, take both only when both have a launch */
		lr_bucket probe = m->fargate_launches;
		sim_time w = lr_take(&probe, now, p->fargate_launch_burst, p->fargate_launch_rate);
		if (w > 0)
			return w;
	}
	sim_time w = lr_take(&s->launches, now, p->service_launch_rate, p->service_launch_rate / 60.0);
	if (w > 0)
		return w;
	if (fargate)
		(void)lr_take(&m->fargate_launches, now, p->fargate_launch_burst, p->fargate_launch_rate);
	return 0;
}


static task *
launch_one(service *s, deployment *d, bool *failed_placement, char *why,
    size_t whysize)
{
	instance *inst = NULL;
	const char *az = NULL;
	int ports[64];
	int cp = fleet_provider_for(s->m, s);
	sim_time wait = launch_quota(s, fleet_is_fargate(s) || fleet_provider_is_fargate(s->m, cp));
	if (wait > 0) {
		/* over the quota: the next pass when a launch is allowed */
		model *m = s->m;
		sim_time at = eng_now(m->eng) + wait;
		if (!eng_is_pending(m->eng, s->retry_ev) || eng_time_of(m->eng, s->retry_ev) > at) {
			eng_cancel(m->eng, s->retry_ev);
			s->retry_ev = eng_at(m->eng, at, svc_retry, s, 0);
		}
		return NULL;
	}
	if (!fleet_place_task(s->m, s, d->td, cp, &inst, &az, ports, why, whysize)) {
		if (cp >= 0) {
			/* [DOC] with a capacity provider the task waits in
			 * PROVISIONING while cluster auto scaling adds capacity */
			task *t = task_launch_waiting(s, d, cp);
			if (d->rollout == ROLLOUT_IN_PROGRESS)
				rec_fact_add_int(d->fact, "tasksStarted", 1);
			return t;
		}
		*failed_placement = true;
		return NULL;
	}
	task *t = task_launch(s, d, cp, inst, az, ports);
	if (inst)
		s->per_instance[inst->index]++;
	if (d->rollout == ROLLOUT_IN_PROGRESS)
		rec_fact_add_int(d->fact, "tasksStarted", 1);
	return t;
}

/* Tasks waiting for capacity get an instance as soon as one fits. */
static void
place_waiting(service *s)
{
	for (task *t = s->tasks; t; t = t->next) {
		if (!t->waiting || t->desired_stopped)
			continue;
		instance *inst;
		const char *az;
		int ports[64];
		char why[512];
		if (fleet_place_task(s->m, s, t->td, t->cp, &inst, &az, ports, why, sizeof(why))) {
			task_assign_instance(t, inst, az, ports);
			if (inst)
				s->per_instance[inst->index]++;
		}
	}
}

static void
schedule_retry(service *s)
{
	model *m = s->m;
	if (eng_is_pending(m->eng, s->retry_ev))
		return;
	s->retry_delay = s->retry_delay ? 2 * s->retry_delay : m->p->placement_retry_initial;
	if (s->retry_delay > m->p->placement_retry_max)
		s->retry_delay = m->p->placement_retry_max;
	s->retry_ev = eng_after(m->eng, s->retry_delay, svc_retry, s, 0);
}

static void
svc_retry(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	service *s = obj;
	s->retry_ev = EVQ_NONE;
	svc_kick(s);
}

/* After a pass's launches: a failed placement is recorded, counted and
 * retried with back-off; a pass that launched all it wanted resets the
 * back-off. */
static void
placement_outcome(service *s, deployment *p, bool failed, bool all_launched,
    const char *why)
{
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	if (failed) {
		rec_fact_add_int(p->fact, "placementFailures", 1);
		rec_fact_add_int(s->fact, "placementFailures", 1);
		rec_fact *f = rec_fact_new(m->rec, "placement_failure");
		rec_fact_str(f, "service", s->name);
		rec_fact_time(f, "time", now);
		rec_fact_str(f, "message", why);
		sev_emit_dedup(s, SEV_PLACEMENT, "%s", why);
		if (p->rollout == ROLLOUT_IN_PROGRESS && m->p->cb_count_placement)
			cb_task_failed(p, NULL);
		schedule_retry(s);
	} else if (all_launched) {
		s->retry_delay = 0;
		sev_resolve(s, SEV_PLACEMENT);
	}
}

static void
check_completion(service *s, const pass_view *v)
{
	model *m = s->m;
	deployment *p = primary(s);
	sim_time now = eng_now(m->eng);
	bool old_left = false;
	int running = 0, healthy = 0;
	for (task *t = s->tasks; t; t = t->next) {
		if (t->dep != p)
			old_left = true;
		else if (!t->desired_stopped) {
			running += t->status == TS_RUNNING;
			healthy += task_healthy(t);
		}
	}
	bool at_desired = !old_left && running == v->D && healthy == v->D &&
	    running == (int)(v->active);
	if (p->rollout == ROLLOUT_IN_PROGRESS && at_desired && dpl_may_complete(p)) {
		/* [DOC] §1.8: COMPLETED on steady state; older deployments
		 * become INACTIVE. */
		p->rollout = ROLLOUT_COMPLETED;
		p->finished_at = now;
		p->reason = arena_printf(m->a, "ECS deployment %s completed.", p->id);
		rec_fact_str(p->fact, "rolloutState", "COMPLETED");
		rec_fact_time(p->fact, "end", now);
		rec_fact_time(p->fact, "duration", now - p->created_at);
		for (deployment *d = p->next; d; d = d->next)
			d->status = DEP_INACTIVE;
		p->next = NULL;
		sev_emit(s, "(service %s) (deployment %s) deployment completed.", s->name, p->id);
	}
	if (p->rollout != ROLLOUT_IN_PROGRESS && at_desired) {
		if (!s->steady) {
			s->steady = true;
			s->steady_since = now;
		}
		/* [DOC] reported periodically; duplicates suppressed 6 h */
		sev_emit_dedup(s, SEV_STEADY, "(service %s) has reached a steady state.", s->name);
	} else if (s->steady) {
		s->steady = false;
		sev_resolve(s, SEV_STEADY);
	}
}

/* The unhealthy-task rule [DOC since Oct 2023]: start a replacement first
 * (same revision since Nov 2025) when maximumPercent leaves room; else stop
 * unhealthy tasks one by one. Returns tasks started. */
static int
replace_unhealthy(service *s, pass_view *v, id_list *started, id_list *stopped)
{
	int n = 0;
	bool one_stopped = false;
	for (task *t = s->tasks; t; t = t->next) {
		if (!t->unhealthy || t->desired_stopped || t->replacing)
			continue;
		if (v->active < v->MAX && t->dep->rollout != ROLLOUT_FAILED) {
			bool pf = false;
			char why[512];
			task *r = launch_one(s, t->dep, &pf, why, sizeof(why));
			if (r != NULL) {
				r->replaces = t;
				t->replacing = true;
				v->active++;
				id_add(started, r);
				n++;
				continue;
			}
		}
		if (!one_stopped) {
			stop_task(s, t, stopped, t->stopped_reason);
			one_stopped = true;
		}
	}
	return n;
}

/* The stoppedReason of a task the deployment scales in, formatted once
 * per deployment (it used to be formatted, into the run's arena, per
 * stopped task). */
static const char *
scaling_reason(model *m, deployment *p)
{
	if (p->scaling_reason == NULL)
		p->scaling_reason = arena_printf(m->a,
		    "Scaling activity initiated by (deployment %s)", p->id);
	return p->scaling_reason;
}

/* After a pass: does s wait for capacity (cluster_kick wakes it when
 * capacity is freed)? Its last placement failed (a retry is due), or
 * tasks wait in PROVISIONING for a capacity provider's instances. And the
 * per-instance counts go back to zero (count_per_instance): every
 * non-zero one belongs to an instance a task of the list still holds (a
 * stopped task's count went down when it was chosen, before it gave its
 * instance back). One walk for both. */
static void
end_pass(service *s)
{
	bool waiting = !s->deleted && s->retry_delay > 0;
	for (int i = s->ntasks - 1; i >= 0; i--) {
		const task *t = s->tv[i];
		waiting |= t->waiting && !t->desired_stopped;
		if (t->inst)
			s->per_instance[t->inst_idx] = 0;
	}
	cluster_set_waiting(s->cl, s, waiting);
}

static void
svc_pass(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	service *s = obj;
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	s->pass_ev = EVQ_NONE;
	deployment *p = primary(s);
	id_list started = {{0}, 0}, stopped = {{0}, 0};
	bool waiting = count_per_instance(s);

	if (s->deleted) {
		for (task *t = s->tasks; t; t = t->next)
			if (!t->desired_stopped)
				stop_task(s, t, &stopped, "Service deleted");
		flush_stops(s, &stopped);
		goto events;
	}

	if (waiting)
		place_waiting(s);
	if (dpl_sets_mode(s)) {
		/* task sets, the blue/green family: each deployment keeps its own
		 * count (model/ecs/deploy.h) */
		dpl_pass(s, &started, &stopped);
		goto events;
	}
	pass_view v;
	view(s, &v);
	int replaced = v.unhealthy > 0 ? replace_unhealthy(s, &v, &started, &stopped) : 0;
	/* old tasks to look at: counted by the view, or just started as
	 * replacements of an old deployment's unhealthy tasks */
	bool any_old = v.old_n > 0 || replaced > 0;

	/* 1. Stops within the lower bound. Not-healthy candidates cost no
	 *    budget; healthy ones only while healthy - 1 >= MIN. */
	int budget = v.healthy - v.MIN;
	int stops = 0;
	int excess = v.primary_n - v.D;
	while (any_old) {
		task *t = pick_stop(s, is_old_settled, false);
		if (t == NULL)
			break;
		stop_task(s, t, &stopped, "Scaling activity initiated by deployment");
		stops++;
	}
	while (any_old && budget > 0) {
		task *t = pick_stop(s, is_old, true);
		if (t == NULL)
			break;
		stop_task(s, t, &stopped, scaling_reason(m, p));
		budget--;
		stops++;
	}
	/* Scale-in of the primary: surplus tasks go, unhealthy first; the
	 * lower bound applies to healthy ones. */
	while (excess > 0) {
		task *t = pick_stop(s, is_any, budget > 0);
		if (t == NULL)
			break;
		if (task_healthy(t))
			budget--;
		stop_task(s, t, &stopped, scaling_reason(m, p));
		excess--;
		stops++;
	}
	flush_stops(s, &stopped);
	view(s, &v);

	/* 2. Starts within the upper bound and free capacity. */
	int needed = v.D - v.primary_n;
	int room = v.MAX - v.active;
	int want = needed < room ? needed : room;
	if (p->rollout == ROLLOUT_FAILED)
		want = 0; /* [DOC] a FAILED deployment launches no new tasks */
	if (want > 0 && now < s->throttled_until) {
		eng_cancel(m->eng, s->retry_ev);
		s->retry_ev = eng_at(m->eng, s->throttled_until, svc_retry, s, 0);
		want = 0;
	}
	bool placement_failed = false;
	char why[512] = "";
	int launched = 0;
	/* [DOC Nov 2025] a scale-out during a rolling deployment applies to
	 * both revisions: the older revision's share first, within the upper
	 * bound (ecs.scaleOutBothRevisions; the share: deploy.c) */
	for (deployment *d = p->next; d && !placement_failed; d = d->next)
		for (; d->extra > 0 && v.MAX - v.active > 0 && now >= s->throttled_until &&
		    p->rollout == ROLLOUT_IN_PROGRESS; d->extra--) {
			task *t = launch_one(s, d, &placement_failed, why, sizeof(why));
			if (t == NULL)
				break;
			t->scale_out = true;
			id_add(&started, t);
			v.active++;
			want = want < v.MAX - v.active ? want : v.MAX - v.active;
		}
	for (int i = 0; i < want && !placement_failed; i++) {
		task *t = launch_one(s, p, &placement_failed, why, sizeof(why));
		if (t == NULL)
			break;
		id_add(&started, t);
		launched++;
	}
	placement_outcome(s, p, placement_failed, launched == want, why);

	/* 3. Stuck: [DOC] neither bound leaves room to stop or start. */
	view(s, &v);
	if (v.old_n > 0 && stops == 0 && launched == 0 && v.MAX - v.active <= 0 &&
	    v.healthy - v.MIN <= 0 && v.waiting == 0 && p->rollout == ROLLOUT_IN_PROGRESS)
		sev_emit_dedup(s, SEV_STUCK,
		    "service %s was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.",
		    s->name);
	else
		sev_resolve(s, SEV_STUCK);

	if (p->rollout == ROLLOUT_IN_PROGRESS &&
	    v.active > rec_fact_get_int(p->fact, "peakTasks", 0))
		rec_fact_int(p->fact, "peakTasks", v.active);
	check_completion(s, &v);
events:
	if (started.n > 0) {
		bool repl = false;
		for (task *t = s->tasks; t; t = t->next)
			repl |= t->replaces != NULL && t->created_at == now;
		if (repl)
			sev_emit(s, "(service %s) has started %d tasks:%s. Amazon ECS replaced %d tasks due to an unhealthy status.",
			    s->name, started.n, started.text, started.n);
		else
			sev_emit(s, "(service %s) has started %d tasks:%s.", s->name, started.n, started.text);
	}
	end_pass(s);
}

service *
model_find_service(model *m, const char *cname, const char *name)
{
	for (int i = m->nservices - 1; i >= 0; i--) {
		service *s = m->services[i];
		if (strcmp(s->name, name) == 0 && strcmp(s->cl->name, cname) == 0)
			return s;
	}
	return NULL;
}

static void
time_facts(deployment *d)
{
	if (d->n_start)
		rec_fact_time(d->fact, "timeStart", d->sum_start / d->n_start);
	if (d->n_health)
		rec_fact_time(d->fact, "timeHealth", d->sum_health / d->n_health);
	if (d->n_drain)
		rec_fact_time(d->fact, "timeDraining", d->sum_drain / d->n_drain);
	if (d->n_stop)
		rec_fact_time(d->fact, "timeStopping", d->sum_stop / d->n_stop);
}

/* Where a deployment's time went: called on each task transition. Only
 * the mean that changed is rewritten (each field first appears when its
 * first sample arrives, as when all four were rewritten every time). */
void
svc_note_transition(task *t, task_status from, task_status to)
{
	sim_time now = eng_now(t->svc->m->eng);
	deployment *d = t->dep, *b = t->stopped_by;
	if (to == TS_RUNNING) {
		d->sum_start += now - t->created_at;
		d->n_start++;
		rec_fact_time(d->fact, "timeStart", d->sum_start / d->n_start);
	} else if (to == TS_DEACTIVATING) {
		t->deactivating_at = now;
	} else if (to == TS_STOPPING && from == TS_DEACTIVATING && b) {
		b->sum_drain += now - t->deactivating_at;
		b->n_drain++;
		rec_fact_time(b->fact, "timeDraining", b->sum_drain / b->n_drain);
	} else if (to == TS_STOPPED && b && t->stopping_at) {
		b->sum_stop += now - t->stopping_at;
		b->n_stop++;
		rec_fact_time(b->fact, "timeStopping", b->sum_stop / b->n_stop);
	}
}

void
svc_note_healthy(task *t)
{
	deployment *d = t->dep;
	d->sum_health += t->healthy_at - t->started_at;
	d->n_health++;
	rec_fact_time(d->fact, "timeHealth", d->sum_health / d->n_health);
}

void
svc_finish(service *s)
{
	int64_t lo = rec_fact_get_int(s->fact, "lowestHealthy", -1);
	(void)lo;
	for (deployment *d = s->deps; d; d = d->next)
		time_facts(d);
	for (task *t = s->tasks; t; t = t->next)
		task_record(t, TR_END);
	ecs_announce_service_finished(s->m, s);
	rec_fact_num(s->fact, "costUSD", fleet_service_cost(s->m, s));
}

/* ---- for the strategies' passes (service_int.h) ---- */

void
svc_ids_add(id_list *l, const task *t)
{
	id_add(l, t);
}

task *
svc_launch(service *s, deployment *d, bool *failed_placement, char *why,
    size_t whysize)
{
	/* called within svc_pass: the per-instance counts are kept as tasks
	 * start and stop (count_per_instance at the start, end_pass after) */
	return launch_one(s, d, failed_placement, why, whysize);
}

void
svc_stop_chosen(service *s, task *t, id_list *stopped, const char *reason)
{
	/* called within svc_pass: the per-instance counts are kept as tasks
	 * start and stop (count_per_instance at the start, end_pass after) */
	stop_task(s, t, stopped, reason);
}

void
svc_stops_flush(service *s, id_list *stopped)
{
	flush_stops(s, stopped);
}

void
svc_placement_outcome(service *s, deployment *d, bool failed,
    bool all_launched, const char *why)
{
	placement_outcome(s, d, failed, all_launched, why);
}

bool
svc_throttled(service *s)
{
	model *m = s->m;
	if (eng_now(m->eng) >= s->throttled_until)
		return false;
	eng_cancel(m->eng, s->retry_ev);
	s->retry_ev = eng_at(m->eng, s->throttled_until, svc_retry, s, 0);
	return true;
}

deployment *
svc_add_deployment(service *s, const task_def *td, const task_def *from,
    const char *cause)
{
	model *m = s->m;
	deployment *d = arena_calloc(m->a, 1, sizeof(*d));
	d->svc = s;
	make_deployment_id(m, d->id);
	d->td = td;
	d->status = DEP_ACTIVE;
	d->rollout = ROLLOUT_IN_PROGRESS;
	d->reason = arena_printf(m->a, "ECS deployment %s in progress.", d->id);
	d->dc = s->cfg.dc;
	d->is_first = s->ndeps_created == 0;
	d->created_at = eng_now(m->eng);
	d->lowest_healthy = -1;
	d->series_rev = -1;
	d->series_weight = -1;
	d->want = 0;
	d->next = s->deps;
	s->deps = d;
	s->ndeps_created++;
	dep_record(d, from, cause, false);
	s->steady = false;
	sev_resolve(s, SEV_STEADY);
	return d;
}
