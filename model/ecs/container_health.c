/*
 * container_health — a task's container health check [DOC API HealthCheck]
 * driven by model/ecs/health.h: one event per predicted status change, never
 * one per check.
 *
 * [INF] A task is checked through the first essential container that
 * defines a healthCheck; its status is the task's healthStatus (AWS
 * aggregates every essential container; with one checked container the
 * two agree).
 *
 * [DOC] healthCheckGracePeriodSeconds: an UNHEALTHY status is ignored for
 * that long after the task started [INF: measured from RUNNING]; the task
 * still does not count as healthy.
 */
#include <string.h>

#include "model/ecs/ecs.h"
#include "model/ecs/listeners.h"

static void chc_fire(engine *e, void *obj, uint64_t arg);

static hc_ctr_settings
settings_of(const container_hc *c)
{
	hc_ctr_settings s;
	s.interval = (int)(c->interval / SIM_SEC);
	s.timeout = (int)(c->timeout / SIM_SEC);
	s.retries = c->retries;
	s.start_period = (int)(c->start_period / SIM_SEC);
	return s;
}

static void
predict(task *t)
{
	model *m = t->svc->m;
	hc_change c;
	hc_next k = hc_predict(&t->chc_m, &t->chc_o, &t->chc_st, &t->chc_d,
	    m->end, 0, &c);
	eng_cancel_clear(m->eng, &t->health_ev);
	if (k == HC_CHANGE || k == HC_LIMIT) {
		/* the change happens at the check at c.time */
		t->health_ev = eng_at(m->eng, c.time, chc_fire, t, 0);
	}
}

static health_status
to_health(hc_status s)
{
	return s == HC_HEALTHY ? HEALTH_HEALTHY :
	    s == HC_UNHEALTHY ? HEALTH_UNHEALTHY : HEALTH_UNKNOWN;
}

static void
chc_fire(engine *e, void *obj, uint64_t arg)
{
	(void)arg;
	task *t = obj;
	model *m = t->svc->m;
	t->health_ev = EVQ_NONE;
	hc_change c;
	hc_next k = hc_predict(&t->chc_m, &t->chc_o, &t->chc_st, &t->chc_d,
	    m->end, 0, &c);
	if ((k == HC_CHANGE || k == HC_LIMIT) && c.time == eng_now(e)) {
		hc_adopt(&t->chc_st, &t->chc_d, &c);
	}
	health_status h = to_health(t->chc_st.status);
	if (h != t->container_health) {
		t->container_health = h;
		if (h == HEALTH_UNHEALTHY)
			task_check_unhealthy(t);
		svc_task_health_changed(t);
	}
	predict(t);
}

void
chc_task_running(task *t, const behaviour *b)
{
	const task_def *td = t->td;
	const container_hc *hc = NULL;
	for (int i = 0; i < td->ncontainers && hc == NULL; i++)
		if (td->containers[i].essential && td->containers[i].hc.set)
			hc = &td->containers[i].hc;
	if (hc == NULL)
		return;
	hc_ctr_settings s = settings_of(hc);
	t->chc_m = hc_ctr_machine(&s, t->started_at);
	t->chc_o = hc_outcome_make(b->health, b->flaky_pass, t->ready_at);
	t->chc_st = hc_state_initial();
	hc_draws_init(&t->chc_d, t->rh);
	t->chc_on = true;
	predict(t);
}

void
chc_task_stopped(task *t)
{
	if (!t->chc_on)
		return;
	eng_cancel_clear(t->svc->m->eng, &t->health_ev);
	hc_draws_free(&t->chc_d);
	t->chc_on = false;
}

static void grace_end(engine *e, void *obj, uint64_t arg);

/* Flag t for replacement if it is unhealthy and past the grace period. */
void
task_check_unhealthy(task *t)
{
	service *s = t->svc;
	model *m = s->m;
	if (t->unhealthy || t->desired_stopped || t->status != TS_RUNNING)
		return;
	bool ctr_bad = t->td->has_hc && t->container_health == HEALTH_UNHEALTHY;
	bool tg_bad = ecs_ask_task_target_unhealthy(t);
	if (!ctr_bad && !tg_bad)
		return;
	sim_time until = t->started_at + s->cfg.grace;
	if (eng_now(m->eng) < until) {
		/* [DOC] ignored during healthCheckGracePeriodSeconds: look again
		 * when it ends */
		if (!eng_is_pending(m->eng, t->grace_ev))
			t->grace_ev = eng_at(m->eng, until, grace_end, t, 0);
		return;
	}
	t->unhealthy = true;
	if (ctr_bad) {
		t->stopped_reason = "Task failed container health checks";
		sev_emit(s, "(service %s) (task %s) failed container health checks.", s->name, t->id);
	} else {
		(void)ecs_ask_explain_unhealthy(t);
	}
	svc_kick(s);
}

static void
grace_end(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	task *t = obj;
	t->grace_ev = EVQ_NONE;
	task_check_unhealthy(t);
}
