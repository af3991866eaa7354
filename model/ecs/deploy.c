/*
 * deploy — the strategies' seam with the service scheduler (see deploy.h):
 * which strategy a deployment runs, traffic shifts and their records, the
 * rolling update's scale-out share and alarm watch, and the calls and
 * sections of the strategies.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "model/ecs/circuit_breaker.h"
#include "model/ecs/deploy.h"
#include "model/ecs/deploy_alarms.h"
#include "model/ecs/deploy_bluegreen.h"
#include "model/ecs/deploy_cfg.h"
#include "model/ecs/deploy_codedeploy.h"
#include "model/ecs/deploy_hooks.h"
#include "model/ecs/listeners.h"
#include "model/ecs/task_sets.h"

/* ---------------------------------------------------------------- */
/* Traffic.                                                          */

double
dpl_weight_of(const deployment *d)
{
	const service *s = d->svc;
	if (!s->shifted)
		return -1;
	if (!s->pooled)
		return s->prod_w[d->slot];
	/* pooled: the deployment's share of the healthy targets */
	int mine = 0, all = 0;
	for (const task *t = s->tasks; t; t = t->next)
		if (task_is_healthy(t)) {
			all++;
			mine += t->dep == d;
		}
	return all > 0 ? 100.0 * mine / all : 0;
}

void
dpl_shift(service *s, double prod0, double prod1, double test0, double test1,
    bool pooled, const char *why)
{
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	bool same = s->shifted && s->pooled == pooled && s->prod_w[0] == prod0 &&
	    s->prod_w[1] == prod1 && s->test_w[0] == test0 && s->test_w[1] == test1;
	if (same)
		return;
	ecs_announce_traffic_will_shift(s);
	s->shifted = true;
	s->pooled = pooled;
	s->prod_w[0] = prod0;
	s->prod_w[1] = prod1;
	s->test_w[0] = test0;
	s->test_w[1] = test1;
	ecs_announce_traffic_shifted(s);
	deployment *d = s->deps;
	rec_fact *f = rec_fact_new(m->rec, "traffic_shift");
	rec_fact_str(f, "service", s->name);
	rec_fact_time(f, "time", now);
	rec_fact_str(f, "deployment", d ? d->id : "");
	rec_fact_str(f, "taskDefinition", d ? arena_printf(m->a, "%s:%d", d->td->family, d->td->revision) : "");
	rec_fact_num(f, "percent", d && !pooled ? s->prod_w[d->slot] : -1);
	rec_fact_num(f, "testPercent", d && !pooled ? s->test_w[d->slot] : -1);
	rec_fact_bool(f, "pooled", pooled);
	rec_fact_str(f, "reason", why);
	char *src = arena_printf(m->a, "service/%s", s->name);
	if (pooled)
		rec_event_add(m->rec, now, src, "traffic", "%s: both target groups share production traffic by registered targets", why);
	else if (d)
		rec_event_add(m->rec, now, src, "traffic", "%s: production traffic %g%% to %s:%d (test %g%%)", why,
		    s->prod_w[d->slot], d->td->family, d->td->revision, s->test_w[d->slot]);
}

void
dpl_sample(service *s)
{
	recorder *r = s->m->rec;
	if (!s->shifted)
		return;
	for (deployment *d = s->deps; d; d = d->next) {
		if (d->ntasks == 0 && d->want <= 0)
			continue;
		if (d->series_weight < 0) {
			char *name = arena_printf(s->m->a, "service/%s/trafficWeight/%s:%d", s->name,
			    d->td->family, d->td->revision);
			d->series_weight = rec_series(r, name, "percent");
		}
		rec_put(r, d->series_weight, dpl_weight_of(d));
	}
}

void
dpl_unlink(service *s, deployment *d)
{
	SIM_ASSERT(d->ntasks == 0);
	for (deployment **pp = &s->deps; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			d->next = NULL;
			d->status = DEP_INACTIVE;
			dal_unwatch(d->watch);
			d->watch = NULL;
			return;
		}
}

const char *
dpl_scale_in_reason(service *s, const deployment *by)
{
	return arena_printf(s->m->a, "Scaling activity initiated by (deployment %s)", by->id);
}

/* ---------------------------------------------------------------- */
/* The scheduler's questions.                                        */

bool
dpl_sets_mode(const service *s)
{
	if (s->cfg.controller != CTRL_ECS)
		return true;
	for (const deployment *d = s->deps; d; d = d->next)
		if (d->want >= 0)
			return true;
	return false;
}

void
dpl_pass(service *s, id_list *started, id_list *stopped)
{
	ts_pass(s, started, stopped);
	ts_progress(s);
	bg_progress(s);
	cd_progress(s);
}

static void
alarm_fired(void *ctx, const char *name)
{
	deployment *d = ctx;
	model *m = d->svc->m;
	if (d->rollout != ROLLOUT_IN_PROGRESS)
		return;
	rec_fact_str(d->fact, "alarmTriggered", name);
	const char *reason = arena_printf(m->a, "ECS deployment %s: alarm %s in ALARM.", d->id, name);
	/* [OBS] "deployment failed: alarm detected." */
	if (bg_fail(d, "alarm detected", reason, d->dc.alarms.rollback))
		return;
	cb_fail(d, "alarm", "alarm detected", reason, d->dc.alarms.rollback);
}

/* The slot serving production: where the weights put it. */
static int
production_slot(const service *s)
{
	return s->shifted && !s->pooled && s->prod_w[1] > s->prod_w[0] ? 1 : 0;
}

void
dpl_begin(service *s, deployment *d, deployment *prev)
{
	model *m = s->m;
	rec_fact_str(d->fact, "controller", dcfg_controller_name(s->cfg.controller));
	rec_fact_str(d->fact, "strategy", dcfg_strategy_name(d->dc.strategy));
	if (s->cfg.controller == CTRL_CODE_DEPLOY) {
		/* the service's creation: its first task set, PRIMARY */
		ts_adopt(d, 100.0);
		return;
	}
	for (deployment *x = d->next; x; x = x->next) {
		dal_unwatch(x->watch);
		x->watch = NULL;
	}
	bool older_tasks = false;
	for (deployment *x = d->next; x; x = x->next)
		older_tasks |= x->ntasks > 0;
	d->slot = production_slot(s);
	if (d->dc.strategy != STRAT_ROLLING && prev != NULL && older_tasks) {
		bg_start(s, d, prev);
	} else {
		/* a rolling update (or a first deployment): a blue/green one in
		 * progress is superseded; the new tasks join production */
		bg_abandon(s);
		for (deployment *x = s->deps; x; x = x->next)
			x->want = -1;
		if (s->shifted && !s->pooled) {
			double p[2] = {0, 0};
			p[d->slot] = 100.0;
			dpl_shift(s, p[0], p[1], p[0], p[1], false, "rolling deployment start");
		}
	}
	if (d->dc.alarms.enable && d->dc.alarms.n > 0)
		d->watch = dal_watch_new(m, d->dc.alarms.names, d->dc.alarms.n, alarm_fired, d);
}

void
dpl_desired_changed(service *s, int from, int to)
{
	if (s->cfg.controller != CTRL_ECS) {
		ts_desired_changed(s);
		cd_desired_changed(s);
		return;
	}
	bg_desired_changed(s);
	deployment *p = s->deps;
	if (!s->m->p->scale_out_both || p == NULL || p->want >= 0 || p->is_first ||
	    p->rollout != ROLLOUT_IN_PROGRESS || to <= from || from <= 0)
		return;
	/* [DOC Nov 2025] a scale-out during a rolling deployment applies to
	 * both revisions; [INF] the older revision (the newest one that still
	 * runs tasks) adds its proportional share: ceil(its tasks x the
	 * increase / the old desired count) */
	for (deployment *d = p->next; d; d = d->next) {
		int n = 0;
		for (const task *t = s->tasks; t; t = t->next)
			n += t->dep == d && !t->desired_stopped;
		if (n == 0)
			continue;
		int extra = (int)(((int64_t)n * (to - from) + from - 1) / from);
		d->extra += extra;
		rec_fact_add_int(p->fact, "scaleOutOlderRevision", extra);
		svc_kick(s);
		return;
	}
}

bool
dpl_may_complete(deployment *d)
{
	return dal_bake_done(d);
}

bool
dpl_breaker_applies(const deployment *d)
{
	const dpl_params *p = dpl_params_of(d->svc->m->cfg);
	switch (d->dc.strategy) {
	case STRAT_BLUE_GREEN:
		return d->bg == NULL || p->cb_blue_green;
	case STRAT_LINEAR:
	case STRAT_CANARY:
		return d->bg == NULL || p->cb_linear_canary;
	default:
		return true;
	}
}

bool
dpl_breaker_tripped(deployment *d)
{
	return bg_fail(d, "tasks failed to start", "ECS deployment circuit breaker: task failed to start.",
	    d->dc.cb_rollback);
}

/* ---------------------------------------------------------------- */
/* ecs:ContinueServiceDeployment                                     */

typedef struct continue_call {
	const char *cluster, *service;
	const char *hook_id;
	bool rollback;
} continue_call;

static int
parse_continue(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc, k;
	const char *arn = NULL;
	static const char *const actions[] = {"CONTINUE", "ROLLBACK"};
	continue_call *cc = ARENA_NEW(c->a, continue_call);
	if ((rc = jr_object(in, &o, err)) ||
	    (rc = jr_opt_str(&o, "serviceDeploymentArn", NULL, &arn, err)) ||
	    (rc = jr_opt_str(&o, "hookId", NULL, &cc->hook_id, err)) ||
	    (rc = jr_opt_enum(&o, "action", actions, 2, 0, &k, err)) ||
	    (rc = jr_opt_str(&o, "cluster", NULL, &cc->cluster, err)) ||
	    (rc = jr_opt_str(&o, "service", NULL, &cc->service, err)))
		return rc;
	cc->rollback = k == 1;
	if (arn != NULL) {
		/* arn:aws:ecs:R:A:service-deployment/CLUSTER/SERVICE/ID */
		const char *p = strstr(arn, ":service-deployment/");
		jr_get(&o, "serviceDeploymentArn", &x);
		if (strncmp(arn, "arn:", 4) != 0 || p == NULL)
			return jr_fail(&x, err, "expected a service deployment ARN (arn:aws:ecs:REGION:ACCOUNT:service-deployment/CLUSTER/SERVICE/ID), got \"%s\"",
			    arn);
		p += strlen(":service-deployment/");
		size_t n1 = strcspn(p, "/");
		const char *q = p[n1] == '/' ? p + n1 + 1 : NULL;
		size_t n2 = q ? strcspn(q, "/") : 0;
		if (q == NULL || n1 == 0 || n2 == 0)
			return jr_fail(&x, err, "the service deployment ARN names no cluster and service: \"%s\"", arn);
		cc->cluster = arena_printf(c->a, "%.*s", (int)n1, p);
		cc->service = arena_printf(c->a, "%.*s", (int)n2, q);
	} else if (cc->service == NULL) {
		return jr_fail(in, err, "missing required key 'serviceDeploymentArn' (or, since ecsim generates deployment IDs, 'service' and 'cluster')");
	}
	if (cc->cluster == NULL)
		cc->cluster = "default";
	known_service *ks = cfg_known_service(c, cc->cluster, cc->service);
	if (ks == NULL || ks->deleted)
		return jr_fail(in, err, "service \"%s\" does not exist in cluster \"%s\" at this point of the scenario",
		    cc->service, cc->cluster);
	bool pause = false;
	for (int i = 0; i < ks->cfg->dc.nhooks; i++)
		pause |= ks->cfg->dc.hooks[i].pause;
	if (!pause)
		return jr_fail(in, err, "service \"%s\" has no PAUSE lifecycle hook to continue", cc->service);
	if ((rc = jr_done(&o, err)))
		return rc;
	*typed = cc;
	return 0;
}

static int
apply_continue(model *m, void *typed, sim_error *err)
{
	(void)err;
	continue_call *cc = typed;
	service *s = model_find_service(m, cc->cluster, cc->service);
	if (s == NULL || s->deleted)
		return 0;
	const char *why = hk_continue(s, cc->hook_id, cc->rollback);
	char *src = arena_printf(m->a, "service/%s", s->name);
	if (why != NULL)
		/* AWS answers with an error; the plan goes on */
		rec_event_add(m->rec, eng_now(m->eng), src, "deployment",
		    "ecs:ContinueServiceDeployment rejected: %s", why);
	else
		rec_event_add(m->rec, eng_now(m->eng), src, "deployment",
		    "ecs:ContinueServiceDeployment: %s", cc->rollback ? "ROLLBACK" : "CONTINUE");
	return 0;
}

/* ---------------------------------------------------------------- */
/* Registration, parameters and assumptions.                         */

#define DP(field) offsetof(dpl_params, field)

static const param_def dpl_defs[] = {
	{.name = "ecs.circuitBreakerBlueGreen", .tag = "UNCONFIRMED", .type = PT_BOOL,
	    .note = "whether an enabled deployment circuit breaker counts failures of a BLUE_GREEN deployment (the developer guide's failure-detection page: rolling and blue/green)",
	    .offset = DP(cb_blue_green)},
	{.name = "ecs.circuitBreakerLinearCanary", .tag = "UNCONFIRMED", .type = PT_BOOL,
	    .note = "whether an enabled deployment circuit breaker counts failures of a LINEAR or CANARY deployment (the API reference: rolling only)",
	    .offset = DP(cb_linear_canary)},
	{.name = "ecs.defaultBakeTime", .tag = "UNCONFIRMED", .type = PT_DURATION,
	    .note = "BAKE_TIME of a LINEAR or CANARY deployment whose configuration gives no bakeTimeInMinutes",
	    .offset = DP(bake_default), .lo = 0, .hi = 1440 * SIM_MIN},
	{.name = "ecs.alarmBakeTime", .tag = "UNCONFIRMED", .type = PT_DURATION,
	    .note = "bake time of a rolling deployment with CloudWatch alarms, after steady state ('computed from the alarm configuration'); 0: the longest Period x EvaluationPeriods of its alarms [INF]",
	    .offset = DP(alarm_bake), .lo = 0, .hi = SIM_DAY},
	{.name = "ecs.taskSetDefaultScale", .tag = "OBS", .type = PT_INT,
	    .note = "scale (percent of desiredCount) of a task set created without one (the AWS CLI's create-task-set example answers scale 0.0 PERCENT, computedDesiredCount 0; a public walkthrough sees STEADY_STATE at once)",
	    .offset = DP(task_set_default_scale), .lo = 0, .hi = 100},
	{.name = "codedeploy.terminationWaitDefault", .tag = "UNCONFIRMED", .type = PT_DURATION,
	    .note = "CodeDeploy's wait before deleting the original task set when a deployment group gives no terminationWaitTimeInMinutes (the console's default: 1 hour; an AWS sample's README: 'the default is 60 minutes')",
	    .offset = DP(cd_termination_wait), .lo = 0, .hi = 2880 * SIM_MIN},
};

const dpl_params *
dpl_params_of(const model_cfg *c)
{
	return cfg_params(c, dpl_defs);
}

/* Does the scenario deploy other than by rolling updates without alarms? */
static bool
dpl_listed(const model_cfg *c)
{
	if (c->codedeploy != NULL || c->task_sets != NULL || c->nalarm_refs > 0)
		return true;
	for (int i = 0; i < c->nknown; i++) {
		const svc_cfg *s = c->known[i].cfg;
		if (s->controller != CTRL_ECS || s->dc.strategy != STRAT_ROLLING)
			return true;
	}
	return false;
}

void
dpl_register(model_cfg *c, scn_spec *sp)
{
	dpl_params *p = ARENA_NEW(c->a, dpl_params);
	p->cb_blue_green = true;
	p->cb_linear_canary = false;
	p->bake_default = 0;
	p->alarm_bake = 0;
	p->task_set_default_scale = 0;
	p->cd_termination_wait = 60 * SIM_MIN;
	cfg_add_params(c, dpl_defs, (int)(sizeof(dpl_defs) / sizeof(dpl_defs[0])), p, dpl_listed);
	scn_spec_add_section(sp, "lambdaFunctions", hk_parse_lambda, c);
	cd_register(c, sp);
	cfg_add_call(c, sp, "ecs:ContinueServiceDeployment", parse_continue, apply_continue);
	ts_register_calls(c, sp);
	scn_spec_add_finish(sp, dal_check_names, c);
}

void
dpl_assume(model *m)
{
	const model_cfg *c = m->cfg;
	bool hooks = c->lambda != NULL || cd_used(c);
	for (int i = 0; i < c->nknown && !hooks; i++)
		hooks = c->known[i].cfg->dc.nhooks > 0;
	if (hooks)
		hk_assume(m);
}
