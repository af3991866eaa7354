/*
 * task — one ECS task's lifecycle [DOC task-lifecycle.html]:
 *
 *   PROVISIONING → PENDING → ACTIVATING → RUNNING
 *        → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED
 *
 * PROVISIONING lasts ecs.eniAttachTime for awsvpc tasks (ENI creation),
 * PENDING the image pull plus container start drawn from the image's
 * behaviour, ACTIVATING ecs.activatingTime. A task that fails to start
 * goes from PENDING to STOPPED (stopCode TaskFailedToStart). Stopping a
 * RUNNING task behind a load balancer deregisters its targets first
 * (DEACTIVATING lasts until they have drained), then SIGTERM; the
 * application exits after its shutdown time or is killed at the stop
 * timeout [DOC: default 30 s].
 *
 * Invariant: t->ev holds the task's one pending lifecycle event; health and
 * crash events are separate handles; all are cancelled when the task stops,
 * before the struct is recycled.
 */
#include <stdio.h>
#include <string.h>

#include "model/ecs/ecs.h"
#include "model/ecs/faults.h"
#include "model/ecs/fleet.h"
#include "model/ecs/health.h"
#include "model/ecs/listeners.h"
#include "sim/xalloc.h"

static const char *const status_names[] = {
	"PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING",
	"STOPPING", "DEPROVISIONING", "STOPPED",
};

const char *
task_status_name(task_status s)
{
	return status_names[s];
}

static void task_step(engine *e, void *obj, uint64_t arg);

/* t holds resources on inst from now (inst->tasks). */
static void
inst_link(task *t, instance *inst)
{
	t->inst = inst;
	t->inst_idx = inst->index;
	t->inst_prev = NULL;
	t->inst_next = inst->tasks;
	if (inst->tasks)
		inst->tasks->inst_prev = t;
	inst->tasks = t;
}

static void
inst_unlink(task *t)
{
	instance *in = t->inst;
	if (t->inst_prev)
		t->inst_prev->inst_next = t->inst_next;
	else
		in->tasks = t->inst_next;
	if (t->inst_next)
		t->inst_next->inst_prev = t->inst_prev;
	t->inst_prev = t->inst_next = NULL;
	t->inst = NULL;
}
static sim_time provisioning_time(task *t);
static void task_health_event(engine *e, void *obj, uint64_t arg);
static void task_crash(engine *e, void *obj, uint64_t arg);

static void
set_status(task *t, task_status to)
{
	task_status from = t->status;
	ecs_announce_task_will_change(t); /* e.g. traffic so far, old state */
	t->status = to;
	/* an instance's CPU is shared among the tasks running on it */
	if (t->inst != NULL && (from == TS_RUNNING) != (to == TS_RUNNING))
		t->inst->nrunning += to == TS_RUNNING ? 1 : -1;
	ecs_announce_task_changed(t, from);
	svc_note_transition(t, from, to);
}

static void
schedule_step(task *t, sim_time delay)
{
	model *m = t->svc->m;
	eng_cancel(m->eng, t->ev);
	t->ev = eng_after(m->eng, delay, task_step, t, 0);
}

/* The behaviour that decides this task's timings: the container a load
 * balancer targets, else the first essential container [INF]. */
static const behaviour *
task_behaviour(const task *t)
{
	const task_def *td = t->td;
	const service *s = t->svc;
	if (s->cfg.nlbs > 0)
		for (int i = 0; i < td->ncontainers; i++)
			if (strcmp(td->containers[i].name, s->cfg.lbs[0].container_name) == 0)
				return td->containers[i].beh;
	for (int i = 0; i < td->ncontainers; i++)
		if (td->containers[i].essential)
			return td->containers[i].beh;
	return td->containers[0].beh;
}

static bool
is_awsvpc(const task *t)
{
	return t->td->net == NET_AWSVPC;
}

task *
task_launch(service *s, deployment *d, int cp, instance *inst, const char *az,
    const int *host_ports)
{
	model *m = s->m;
	task *t = m->free_tasks;
	if (t != NULL) {
		m->free_tasks = t->next;
		int *ports = t->host_ports;
		struct tg_target **targets = t->targets;
		memset(t, 0, sizeof(*t));
		t->host_ports = ports;
		t->targets = targets;
	} else {
		t = xcalloc(1, sizeof(*t));
	}
	t->svc = s;
	t->dep = d;
	t->td = d->td;
	t->az = az;
	t->serial = s->next_serial++;
	model_make_hex_id(m, "task", t->id, 32);
	uint64_t entity = rng_fnv1a64(s->name) * UINT64_C(1000003) + t->serial;
	t->r = rng_new(m->seed, "task.lifecycle", entity);
	/* one stream per health checker (model/ecs/health.h: check k uses
	 * uniform k of its own stream); targets get theirs from their
	 * load-balancer subscriber */
	t->rh = rng_new(m->seed, "health.container", entity);
	int nports = 0;
	for (int i = 0; i < t->td->ncontainers; i++)
		nports += t->td->containers[i].nports;
	t->host_ports = xreallocarray(t->host_ports, (size_t)(nports ? nports : 1), sizeof(int));
	if (host_ports)
		memcpy(t->host_ports, host_ports, (size_t)nports * sizeof(int));
	else
		memset(t->host_ports, 0, (size_t)(nports ? nports : 1) * sizeof(int));
	t->targets = xreallocarray(t->targets, (size_t)(s->cfg.nlbs ? s->cfg.nlbs : 1),
	    sizeof(*t->targets));
	memset(t->targets, 0, (size_t)(s->cfg.nlbs ? s->cfg.nlbs : 1) * sizeof(*t->targets));
	t->status = TS_PROVISIONING;
	t->cp = cp;
	t->created_at = eng_now(m->eng);
	t->container_health = HEALTH_UNKNOWN;
	if (inst) {
		inst_link(t, inst);
		instance_reserve(inst, t->td, t->host_ports);
		t->placed_at = t->created_at;
	}
	/* link at the head of the service's list */
	t->next = s->tasks;
	if (s->tasks)
		s->tasks->prev = t;
	s->tasks = t;
	if (s->ntasks == s->captv) {
		s->captv = s->captv ? 2 * s->captv : 16;
		s->tv = xreallocarray(s->tv, (size_t)s->captv, sizeof(*s->tv));
	}
	s->tv[s->ntasks++] = t;
	d->ntasks++;
	schedule_step(t, provisioning_time(t));
	task_record(t, TR_LAUNCH);
	return t;
}

static void
release_resources(task *t)
{
	if (t->inst != NULL) {
		fleet_task_released(t->svc->m, t);
		instance_release(t->inst, t->td, t->host_ports);
		instance *in = t->inst;
		inst_unlink(t);
		if (in->status == INST_DRAINING && in->ntasks == 0)
			ecs_announce_instance_idle(t->svc->m, in);
		cluster_kick(t->svc->m, in->cl, false);
	}
}

static void
provisioning_timeout(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	task *t = obj;
	t->ev = EVQ_NONE;
	if (!t->waiting)
		return;
	/* [UNCONFIRMED] 10-30 minutes in PROVISIONING, then STOPPED */
	t->waiting = false;
	t->stop_code = STOP_TASK_FAILED_TO_START;
	t->stopped_reason = "Capacity is unavailable at this time. Please try again later or in a different availability zone";
	t->desired_stopped = true;
	set_status(t, TS_PENDING);
	schedule_step(t, 0);
	svc_task_state_changed(t);
}

task *
task_launch_waiting(service *s, deployment *d, int cp)
{
	model *m = s->m;
	task *t = task_launch(s, d, cp, NULL, NULL, NULL);
	eng_cancel_clear(m->eng, &t->ev);
	t->waiting = true;
	t->ev = eng_after(m->eng, m->p->provisioning_timeout, provisioning_timeout, t, 0);
	return t;
}

void
task_assign_instance(task *t, instance *inst, const char *az, const int *host_ports)
{
	int nports = 0;
	for (int i = 0; i < t->td->ncontainers; i++)
		nports += t->td->containers[i].nports;
	if (nports > 0)
		memcpy(t->host_ports, host_ports, (size_t)nports * sizeof(int));
	t->az = az;
	t->waiting = false;
	if (inst) {
		inst_link(t, inst);
		instance_reserve(inst, t->td, t->host_ports);
		t->placed_at = eng_now(t->svc->m->eng);
	}
	schedule_step(t, provisioning_time(t));
}

/* PROVISIONING: the ENI of an awsvpc task; on Fargate also finding and
 * preparing capacity ([OBS] Fargate create-to-start is ~1 minute with a
 * 400 MB image, most of it the pull; fargate.provisioningTime). */
static sim_time
provisioning_time(task *t)
{
	model *m = t->svc->m;
	sim_time d = is_awsvpc(t) ? m->p->eni_attach_time : 0;
	if (t->inst == NULL && (fleet_is_fargate(t->svc) || fleet_provider_is_fargate(m, t->cp)))
		d += dist_draw(&m->p->fargate_provisioning, t->r);
	return d;
}

static bool
s_no_checks(const task *t)
{
	return t->svc->cfg.nlbs == 0 && !t->td->has_hc;
}

/* Enter RUNNING: targets register, health checks start, crash clock runs. */
static void
enter_running(task *t)
{
	model *m = t->svc->m;
	const behaviour *b = task_behaviour(t);
	set_status(t, TS_RUNNING);
	t->started_at = eng_now(m->eng);
	t->ready_at = t->started_at + dist_draw(&b->ready_time, t->r);
	t->dep->nrunning++;
	t->dep->any_running = true;
	if (b->crash_mean > 0)
		t->crash_ev = eng_after(m->eng, rng_exp_mean_us(t->r, b->crash_mean),
		    task_crash, t, 0);
	chc_task_running(t, b);
	ecs_announce_task_running(t);
	if (s_no_checks(t))
		task_arm_running_timer(t);
	svc_task_state_changed(t);
}

static void
enter_stopped(task *t)
{
	model *m = t->svc->m;
	service *s = t->svc;
	eng_cancel_clear(m->eng, &t->ev);
	eng_cancel_clear(m->eng, &t->health_ev);
	eng_cancel_clear(m->eng, &t->crash_ev);
	eng_cancel_clear(m->eng, &t->grace_ev);
	chc_task_stopped(t);
	ecs_announce_task_gone(t);
	fleet_task_stopped(m, t);
	release_resources(t);
	set_status(t, TS_STOPPED);
	svc_task_stopped(t);
	task_record(t, TR_STOPPED);
	/* unlink and recycle */
	if (t->prev)
		t->prev->next = t->next;
	else
		s->tasks = t->next;
	if (t->next)
		t->next->prev = t->prev;
	int i = s->ntasks - 1;
	while (i >= 0 && s->tv[i] != t) /* newest tasks stop most: from them */
		i--;
	SIM_ASSERT(i >= 0);
	memmove(s->tv + i, s->tv + i + 1, (size_t)(s->ntasks - 1 - i) * sizeof(*s->tv));
	s->ntasks--;
	rng_free(t->r);
	rng_free(t->rh);
	t->r = t->rh = NULL;
	t->next = m->free_tasks;
	m->free_tasks = t;
}

/* After SIGTERM: the app exits after its shutdown time, or is killed. */
static void
enter_stopping(task *t)
{
	model *m = t->svc->m;
	set_status(t, TS_STOPPING);
	t->stopping_at = eng_now(m->eng);
	if (m->p->free_at_stopping)
		release_resources(t);
	sim_time timeout = m->p->stop_timeout_default;
	const task_def *td = t->td;
	for (int i = 0; i < td->ncontainers; i++)
		if (td->containers[i].stop_timeout > 0)
			timeout = td->containers[i].stop_timeout;
	sim_time d = t->stop_code == STOP_ESSENTIAL_CONTAINER_EXITED ||
	    t->stop_code == STOP_TERMINATION_NOTICE || t->kill_now ? 0 :
	    dist_draw(&task_behaviour(t)->shutdown_time, t->r);
	if (d > timeout)
		d = timeout; /* SIGKILL */
	svc_task_state_changed(t);
	schedule_step(t, d);
}

static void
enter_deprovisioning(task *t)
{
	model *m = t->svc->m;
	set_status(t, TS_DEPROVISIONING);
	release_resources(t);
	schedule_step(t, is_awsvpc(t) ? m->p->deprovisioning_time : 0);
}

/* The lifecycle's next step (t->ev fired). */
static void
task_step(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	task *t = obj;
	model *m = t->svc->m;
	t->ev = EVQ_NONE;
	switch (t->status) {
	case TS_PROVISIONING: {
		const behaviour *b = task_behaviour(t);
		set_status(t, TS_PENDING);
		t->pull_started_at = eng_now(m->eng);
		sim_time pull = dist_draw(&b->pull_time, t->r);
		sim_time start = dist_draw(&b->start_time, t->r);
		/* A failure to start is drawn now so the draw count per task is
		 * fixed whatever happens later. */
		t->will_fail = rng_bernoulli(t->r, b->fail_to_start);
		/* a registry fault (model/ecs/faults.h): the pull fails */
		t->pull_error = faults_pull_error(t);
		if (t->pull_error == NULL)
			t->pull_stopped_at = t->pull_started_at + pull;
		schedule_step(t, pull + start);
		svc_task_state_changed(t);
		break;
	}
	case TS_PENDING:
		if (t->pull_error != NULL && !t->desired_stopped) {
			/* [DOC] the agent could not pull an image: TaskFailedToStart
			 * with CannotPullContainerError */
			t->desired_stopped = true;
			t->stop_code = STOP_TASK_FAILED_TO_START;
			t->stopped_reason = t->pull_error;
		}
		if (t->will_fail && !t->desired_stopped) {
			/* [DOC] stopCode TaskFailedToStart: the essential container
			 * exited before the task reached RUNNING. */
			t->desired_stopped = true;
			t->stop_code = STOP_TASK_FAILED_TO_START;
			t->stopped_reason = "Essential container in task exited";
		}
		if (t->desired_stopped) {
			enter_deprovisioning(t);
			svc_task_state_changed(t);
			break;
		}
		set_status(t, TS_ACTIVATING);
		schedule_step(t, m->p->activating_time);
		break;
	case TS_ACTIVATING:
		if (t->desired_stopped) {
			enter_deprovisioning(t);
			break;
		}
		enter_running(t);
		break;
	case TS_DEACTIVATING:
		/* drained (or nothing to drain): SIGTERM */
		enter_stopping(t);
		break;
	case TS_STOPPING:
		enter_deprovisioning(t);
		break;
	case TS_DEPROVISIONING:
		enter_stopped(t);
		break;
	case TS_RUNNING:
	case TS_STOPPED:
		sim_panic(__FILE__, __LINE__, "lifecycle event for a %s task",
		    task_status_name(t->status));
	}
}

void
task_kill(task *t)
{
	switch (t->status) {
	case TS_DEACTIVATING:
		t->kill_now = true;
		enter_stopping(t);
		break;
	case TS_STOPPING:
		schedule_step(t, 0); /* SIGKILL now */
		break;
	default:
		break;
	}
}

void
task_drained(task *t)
{
	if (t->status == TS_DEACTIVATING)
		schedule_step(t, 0);
}

void
task_stop(task *t, stop_code code, const char *reason)
{
	model *m = t->svc->m;
	if (t->desired_stopped && t->status != TS_PENDING)
		return;
	bool was_desired = !t->desired_stopped;
	t->desired_stopped = true;
	task_record(t, TR_STOP);
	if (t->stop_code == STOP_NONE || was_desired) {
		t->stop_code = code;
		t->stopped_reason = reason;
	}
	eng_cancel_clear(m->eng, &t->crash_ev);
	switch (t->status) {
	case TS_PROVISIONING:
	case TS_PENDING:
	case TS_ACTIVATING:
		/* not started: the next lifecycle step notices desired_stopped;
		 * make it happen now */
		t->waiting = false;
		if (t->status == TS_PROVISIONING)
			t->status = TS_PENDING;
		schedule_step(t, 0);
		break;
	case TS_RUNNING:
		set_status(t, TS_DEACTIVATING);
		t->dep->nrunning--;
		chc_task_stopped(t);
		eng_cancel_clear(m->eng, &t->health_ev);
		/* With nothing to drain, STOPPING follows at once, so the
		 * resources are free to the same scheduler pass ([DOC] July 2023:
		 * free as soon as the task moves to STOPPING). */
		t->target_healthy = false;
		if (code == STOP_ESSENTIAL_CONTAINER_EXITED || code == STOP_TERMINATION_NOTICE) {
			/* the container (or its instance) is gone: no graceful
			 * drain */
			ecs_announce_task_deactivating(t, true);
			enter_stopping(t);
			return;
		}
		if (!ecs_announce_task_deactivating(t, false)) {
			enter_stopping(t);
			return;
		}
		break;
	default:
		break; /* already on its way out */
	}
	svc_task_state_changed(t);
}

static void
task_crash(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	task *t = obj;
	t->crash_ev = EVQ_NONE;
	task_stop(t, STOP_ESSENTIAL_CONTAINER_EXITED, "Essential container in task exited");
}

bool
task_is_healthy(const task *t)
{
	return task_healthy(t);
}

static void
task_health_event(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	task *t = obj;
	t->health_ev = EVQ_NONE;
	svc_task_health_changed(t);
}

/* Without checks, healthy after 40 s RUNNING: one event at that time. */
void
task_arm_running_timer(task *t)
{
	model *m = t->svc->m;
	eng_cancel(m->eng, t->health_ev);
	t->health_ev = eng_at(m->eng, t->started_at + m->p->healthy_after_running,
	    task_health_event, t, 0);
}

void
task_targets_will_change(task *t)
{
	ecs_announce_task_will_change(t);
}

void
task_targets_changed(task *t, bool all_healthy, bool became_unhealthy)
{
	t->target_healthy = all_healthy;
	if (became_unhealthy)
		task_check_unhealthy(t);
	ecs_announce_task_health_changed(t);
	svc_task_health_changed(t);
}

/* ---- the task record (one helper, called at four points) ---- */

/* Records kept per run: beyond this, tasks are counted, not recorded
 * (a month of deployments would otherwise hold every task twice). */
#define TASK_RECORDS_MAX 5000

static const char *const stop_code_names[] = {
	"", "TaskFailedToStart", "EssentialContainerExited", "UserInitiated",
	"ServiceSchedulerInitiated", "SpotInterruption", "TerminationNotice",
};

static void
record_time(rec_fact *f, const char *key, sim_time t)
{
	if (t != 0)
		rec_fact_time(f, key, t);
}

/*
 * The "task" facts the reports draw per-task timelines from. A record is
 * opened (identity, creation) when a deployment in progress launches the
 * task or stops it, and completed with every lifecycle time when the task
 * is STOPPED or the run ends; tasks outside deployments (scaling, steady
 * state) are not recorded. "deploymentStart"/"stoppedByStart" pair with the
 * deployment fact's "start", since a rollback reuses its target's id.
 */
void
task_record(task *t, int when)
{
	recorder *r = t->svc->m->rec;
	if (t->fact == NULL) {
		deployment *d = when == TR_LAUNCH ? t->dep : t->stopped_by;
		if ((when != TR_LAUNCH && when != TR_STOP) || d == NULL ||
		    d->rollout != ROLLOUT_IN_PROGRESS)
			return;
		if (rec_fact_count(r, "task") >= TASK_RECORDS_MAX) {
			rec_fact *lim = rec_fact_count(r, "task_records") ?
			    rec_fact_at(r, "task_records", 0) : NULL;
			if (lim == NULL) {
				lim = rec_fact_new(r, "task_records");
				rec_fact_int(lim, "max", TASK_RECORDS_MAX);
				rec_fact_int(lim, "dropped", 0);
			}
			rec_fact_add_int(lim, "dropped", 1);
			return;
		}
		rec_fact *f = t->fact = rec_fact_new(r, "task");
		rec_fact_str(f, "service", t->svc->name);
		rec_fact_str(f, "cluster", t->svc->cl->name);
		rec_fact_str(f, "task", t->id);
		rec_fact_str(f, "deployment", t->dep->id);
		rec_fact_time(f, "deploymentStart", t->dep->created_at);
		char rev[300];
		snprintf(rev, sizeof(rev), "%s:%d", t->td->family, t->td->revision);
		rec_fact_str(f, "taskDefinition", rev);
		rec_fact_time(f, "created", t->created_at);
	}
	rec_fact *f = t->fact;
	if (when == TR_STOP) {
		rec_fact_str(f, "stoppedBy", t->stopped_by ? t->stopped_by->id : "");
		if (t->stopped_by != NULL)
			rec_fact_time(f, "stoppedByStart", t->stopped_by->created_at);
		return;
	}
	if (when == TR_LAUNCH)
		return;
	record_time(f, "pullStart", t->pull_started_at);
	record_time(f, "running", t->started_at);
	record_time(f, "healthy", t->healthy_at);
	record_time(f, "draining", t->deactivating_at);
	record_time(f, "stopping", t->stopping_at);
	if (when == TR_STOPPED)
		rec_fact_time(f, "stopped", eng_now(t->svc->m->eng));
	rec_fact_str(f, "lastStatus", task_status_name(t->status));
	if (t->stop_code != STOP_NONE) {
		rec_fact_str(f, "stopCode", stop_code_names[t->stop_code]);
		rec_fact_str(f, "stoppedReason", t->stopped_reason ?
		    t->stopped_reason : "");
	}
	/* failed: what the circuit breaker counts as a failed task */
	rec_fact_bool(f, "failed", t->stop_code == STOP_TASK_FAILED_TO_START ||
	    t->stop_code == STOP_ESSENTIAL_CONTAINER_EXITED ||
	    t->stopped_for_health);
	t->fact = NULL;
}
