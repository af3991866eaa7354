/*
 * circuit_breaker — counting failed tasks and tripping (see the header).
 */
#include <math.h>

#include "model/ecs/circuit_breaker.h"
#include "model/ecs/deploy.h"

int
cb_threshold(const deploy_cfg *dc, int desired)
{
	double v = dc->cb_threshold_value;
	switch (dc->cb_threshold_type) {
	case CB_COUNT:
		return (int)v;
	case CB_UNBOUNDED_PERCENT: {
		int t = (int)ceil(v * desired / 100.0);
		return t < 1 ? 1 : t;
	}
	default: {
		/* [DOC] clamp(ceil(0.5 × D), 3, 200) for the default 50 % */
		int t = (int)ceil(v * desired / 100.0);
		return t < 3 ? 3 : t > 200 ? 200 : t;
	}
	}
}

void
cb_task_running(deployment *d)
{
	/* stage 1 ends once any task of the deployment is RUNNING */
	d->any_running = true;
}

void
cb_task_healthy(deployment *d)
{
	if (d->dc.cb_reset_on_healthy)
		d->failed_tasks = 0;
}

/* The most recent COMPLETED deployment other than d. */
static deployment *
rollback_target(service *s, deployment *d)
{
	for (deployment *x = s->deps; x; x = x->next)
		if (x != d && x->rollout == ROLLOUT_COMPLETED)
			return x;
	return NULL;
}

void
cb_fail(deployment *d, const char *who, const char *why, const char *reason,
    bool rollback)
{
	service *s = d->svc;
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	d->rollout = ROLLOUT_FAILED;
	d->finished_at = now;
	d->reason = reason;
	rec_fact_str(d->fact, "rolloutState", "FAILED");
	rec_fact_time(d->fact, "end", now);
	rec_fact_time(d->fact, "duration", now - d->created_at);
	sev_emit(s, "(service %s) (deployment %s) deployment failed: %s.", s->name, d->id, why);
	if (!rollback)
		return;
	deployment *t = rollback_target(s, d);
	if (t == NULL) {
		/* [DOC] no COMPLETED deployment: nothing is launched; the
		 * deployment stays stalled. */
		rec_fact_str(d->fact, "rollbackTarget", "");
		return;
	}
	/* [DOC] the target goes from COMPLETED back to IN_PROGRESS and becomes
	 * PRIMARY; the failed one becomes ACTIVE and drains away. */
	deployment **pp = &s->deps;
	while (*pp != t)
		pp = &(*pp)->next;
	*pp = t->next;
	t->next = s->deps;
	s->deps = t;
	d->status = DEP_ACTIVE;
	t->status = DEP_PRIMARY;
	t->rollout = ROLLOUT_IN_PROGRESS;
	t->is_rollback = true;
	t->failed_tasks = 0;
	t->created_at = now;
	t->finished_at = 0;
	/* its record starts afresh: where the time goes from now on */
	t->sum_start = t->sum_health = t->sum_drain = t->sum_stop = 0;
	t->n_start = t->n_health = t->n_drain = t->n_stop = 0;
	t->reason = arena_printf(m->a, "ECS deployment %s: rolling back to deploymentId %s.", who, t->id);
	s->cfg.td = t->td;
	rec_fact_str(d->fact, "rollbackTarget", t->id);
	dep_record(t, d->td, arena_printf(m->a, "%s rollback", who), true);
	sev_emit(s, "(service %s) rolling back to deployment %s.", s->name, t->id);
	svc_kick(s);
}

static void
trip(deployment *d)
{
	rec_fact_bool(d->fact, "circuitBreakerTriggered", true);
	/* the blue/green family rolls back by re-shifting traffic */
	if (dpl_breaker_tripped(d))
		return;
	cb_fail(d, "circuit breaker", "tasks failed to start",
	    "ECS deployment circuit breaker: task failed to start.", d->dc.cb_rollback);
}

void
cb_task_failed(deployment *d, const task *t)
{
	if (!d->dc.cb_enable || d->rollout != ROLLOUT_IN_PROGRESS || !dpl_breaker_applies(d))
		return;
	/* [DOC] stage 1 counts failures to reach RUNNING only until a task of
	 * the deployment is RUNNING; from then on (stage 2) only tasks replaced
	 * for failed health checks count. */
	if (t != NULL && t->started_at == 0 && d->any_running)
		return;
	d->failed_tasks++;
	rec_fact_int(d->fact, "failedTasksCount", d->failed_tasks);
	if (d->failed_tasks >= cb_threshold(&d->dc, d->svc->desired))
		trip(d);
}
