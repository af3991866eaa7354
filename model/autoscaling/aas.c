/*
 * aas — Application Auto Scaling at run time (see aas.h): scalable
 * targets, target tracking and step policies with their alarms and
 * cooldowns, scheduled actions, and the scaling activities AWS would
 * report.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/autoscaling/aas.h"
#include "model/autoscaling/aas_int.h"
#include "model/autoscaling/as_params.h"
#include "model/ecs/deploy_alarms.h"
#include "model/ecs/ecs_cfg.h"
#include "model/ecs/listeners.h"
#include "model/elbv2/elb.h"
#include "model/traffic/traffic.h"
#include "sim/optable.h"
#include "sim/xalloc.h"

/* ---------------------------------------------------------------- */
/* Configuration.                                                    */


static aas_cfg *
cfg_aas(model_cfg *c)
{
	if (c->aas == NULL) {
		aas_cfg *a = ARENA_NEW(c->a, aas_cfg);
		c->aas = a;
	}
	return c->aas;
}

static void
add_item(model_cfg *c, aas_item *it)
{
	aas_cfg *a = cfg_aas(c);
	if (a->n == a->cap) {
		int ncap = a->cap ? 2 * a->cap : 16;
		aas_item **n = ARENA_ARRAY(c->a, aas_item *, (size_t)ncap);
		if (a->n)
			memcpy(n, a->items, (size_t)a->n * sizeof(*n));
		a->items = n;
		a->cap = ncap;
	}
	a->items[a->n++] = it;
}

/* Is there a scalable target for (cluster, service) among the items so far? */
static const aas_item *
find_target(const aas_cfg *a, const char *cl, const char *svc)
{
	for (int i = a ? a->n - 1 : -1; i >= 0; i--) {
		const aas_item *it = a->items[i];
		if (it->kind == AI_TARGET && strcmp(it->target.cluster, cl) == 0 &&
		    strcmp(it->target.service, svc) == 0)
			return it;
	}
	return NULL;
}

static int
check_service(model_cfg *c, const jr_val *v, const char *cl, const char *svc,
    sim_error *err)
{
	if (cfg_known_service(c, cl, svc) == NULL)
		return jr_fail(v, err, "ResourceId names service \"%s\" in cluster \"%s\", which the scenario does not define",
		    svc, cl);
	return 0;
}

static int
parse_target_item(model_cfg *c, const jr_val *v, sim_time at, aas_item **out,
    sim_error *err)
{
	aas_item *it = ARENA_NEW(c->a, aas_item);
	int rc;
	it->kind = AI_TARGET;
	it->at = at;
	if ((rc = sp_parse_target(v, &it->target, err)) ||
	    (rc = check_service(c, v, it->target.cluster, it->target.service, err)))
		return rc;
	const aas_item *prev = find_target(c->aas, it->target.cluster, it->target.service);
	if (prev == NULL && (!it->target.has_min || !it->target.has_max))
		return jr_fail(v, err, "MinCapacity and MaxCapacity are required when registering a new scalable target");
	if (prev != NULL) {
		/* [DOC] an update keeps what it does not name */
		if (!it->target.has_min)
			it->target.min = prev->target.min, it->target.has_min = true;
		if (!it->target.has_max)
			it->target.max = prev->target.max, it->target.has_max = true;
		if (!it->target.has_suspended)
			it->target.suspended = prev->target.suspended;
		if (it->target.min > it->target.max)
			return jr_fail(v, err, "MinCapacity %d is above MaxCapacity %d", it->target.min, it->target.max);
	}
	add_item(c, it);
	*out = it;
	return 0;
}

static int
parse_policy_item(model_cfg *c, const jr_val *v, sim_time at, aas_item **out,
    sim_error *err)
{
	aas_item *it = ARENA_NEW(c->a, aas_item);
	int rc;
	it->kind = AI_POLICY;
	it->at = at;
	if ((rc = sp_parse_policy(v, &it->policy, err)))
		return rc;
	if (find_target(c->aas, it->policy.cluster, it->policy.service) == NULL)
		return jr_fail(v, err, "no scalable target is registered for %s (RegisterScalableTarget comes first)",
		    it->policy.resource_id);
	add_item(c, it);
	*out = it;
	return 0;
}

static int
parse_sched_item(model_cfg *c, const jr_val *v, sim_time at, aas_item **out,
    sim_error *err)
{
	aas_item *it = ARENA_NEW(c->a, aas_item);
	int rc;
	it->kind = AI_SCHED;
	it->at = at;
	if ((rc = sp_parse_scheduled_action(v, &it->sched, err)))
		return rc;
	if (find_target(c->aas, it->sched.cluster, it->sched.service) == NULL)
		return jr_fail(v, err, "no scalable target is registered for %s (RegisterScalableTarget comes first)",
		    it->sched.resource_id);
	add_item(c, it);
	*out = it;
	return 0;
}

/* The metrics ecsim publishes: AWS/ECS CPUUtilization and
 * MemoryUtilization of a service (ClusterName, ServiceName), and
 * AWS/ApplicationELB RequestCountPerTarget (TargetGroup). */
static const char *
dim(const alarm_config *a, const char *name)
{
	for (int i = 0; i < a->ndims; i++)
		if (strcmp(a->dims[i].name, name) == 0)
			return a->dims[i].value;
	return NULL;
}

static int
parse_alarm_item(model_cfg *c, const jr_val *v, sim_time at, aas_item **out,
    sim_error *err)
{
	aas_item *it = ARENA_NEW(c->a, aas_item);
	int rc;
	it->kind = AI_ALARM;
	it->at = at;
	if ((rc = alarm_parse(v, &it->alarm, err)))
		return rc;
	it->alarm.extra_range = asp_get(c)->eval_extra;
	const alarm_config *a = &it->alarm;
	bool ecs = strcmp(a->ns, "AWS/ECS") == 0 &&
	    (strcmp(a->metric_name, "CPUUtilization") == 0 || strcmp(a->metric_name, "MemoryUtilization") == 0);
	if (!ecs)
		return jr_fail(v, err, "ecsim publishes AWS/ECS CPUUtilization and MemoryUtilization per service; alarm \"%s\" watches %s %s",
		    a->name, a->ns, a->metric_name);
	const char *cl = dim(a, "ClusterName"), *svc = dim(a, "ServiceName");
	if (cl == NULL || svc == NULL)
		return jr_fail(v, err, "alarm \"%s\" needs the dimensions ClusterName and ServiceName", a->name);
	if ((rc = check_service(c, v, cl, svc, err)))
		return rc;
	add_item(c, it);
	*out = it;
	return 0;
}

static int
parse_list(model_cfg *c, jr_obj *o, const char *key,
    int (*fn)(model_cfg *, const jr_val *, sim_time, aas_item **, sim_error *),
    sim_error *err)
{
	jr_val x;
	int n, rc;
	if (!jr_get(o, key, &x))
		return 0;
	if ((rc = jr_array(&x, &n, err)))
		return rc;
	for (int i = 0; i < n; i++) {
		jr_val e;
		aas_item *it;
		jr_elem(&x, i, &e);
		if ((rc = fn(c, &e, 0, &it, err)))
			return rc;
	}
	return 0;
}

int
aas_parse(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	jr_obj o;
	int rc;
	aas_cfg *a = cfg_aas(c);
	if ((rc = jr_object(v, &o, err)) ||
	    (rc = parse_list(c, &o, "scalableTargets", parse_target_item, err)) ||
	    (rc = parse_list(c, &o, "alarms", parse_alarm_item, err)) ||
	    (rc = parse_list(c, &o, "scalingPolicies", parse_policy_item, err)) ||
	    (rc = parse_list(c, &o, "scheduledActions", parse_sched_item, err)))
		return rc;
	a->nsection = a->n;
	return jr_done(&o, err);
}

static int
call_target(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	return parse_target_item(ctx, in, at, (aas_item **)typed, err);
}

static int
call_policy(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	return parse_policy_item(ctx, in, at, (aas_item **)typed, err);
}

static int
call_sched(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	return parse_sched_item(ctx, in, at, (aas_item **)typed, err);
}

static int
call_alarm(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	return parse_alarm_item(ctx, in, at, (aas_item **)typed, err);
}

/* ---------------------------------------------------------------- */
/* References: every alarm action names a step policy, every
 * ResourceLabel the load balancer and target group of its service.    */

/* The step policy of cluster/service named name, among all items. */
static const aas_item *
find_step_policy(const aas_cfg *a, const char *cname, const char *sname,
    const char *name)
{
	for (int i = 0; i < a->n; i++) {
		const aas_item *it = a->items[i];
		if (it->kind == AI_POLICY && it->policy.type == SP_STEP_SCALING &&
		    strcmp(it->policy.name, name) == 0 &&
		    strcmp(it->policy.cluster, cname) == 0 &&
		    strcmp(it->policy.service, sname) == 0)
			return it;
	}
	return NULL;
}

static int
check_alarm_actions(const aas_cfg *a, const aas_item *it, sim_error *err)
{
	const alarm_config *ac = &it->alarm;
	const char *cl = dim(ac, "ClusterName"), *svc = dim(ac, "ServiceName");
	for (int k = 0; k < ac->nalarm_actions; k++) {
		const char *arn = ac->alarm_actions[k];
		const char *pn = alarm_action_policy_name(arn);
		if (pn == NULL) {
			/* a policy's name where its ARN belongs never fires it */
			bool named = find_step_policy(a, cl, svc, arn) != NULL;
			return jr_fail_at(&ac->pos, err,
			    "alarm \"%s\": AlarmActions[%d] \"%s\" is not a scaling policy ARN%s (arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:ID:resource/ecs/service/%s/%s:policyName/NAME)",
			    ac->name, k, arn, named ? "; a step policy of that name exists: give its ARN" : "",
			    cl, svc);
		}
		if (find_step_policy(a, cl, svc, pn) == NULL)
			return jr_fail_at(&ac->pos, err,
			    "alarm \"%s\": AlarmActions[%d] names policy \"%s\", but service %s/%s has no step scaling policy of that name (scaling.scalingPolicies or application-autoscaling:PutScalingPolicy)",
			    ac->name, k, pn, cl, svc);
	}
	return 0;
}

/* "app/LB/ID/targetgroup/TG/ID": the load balancer and target group must
 * exist and the target group must be one the service registers into
 * (RequestCountPerTarget is ecsim's count of that group). */
static int
check_resource_label(const model_cfg *c, const aas_item *it, sim_error *err)
{
	const sp_policy *p = &it->policy;
	const char *label = p->tt.resource_label;
	char lb[300], tg[300];
	const char *t = strstr(label, "/targetgroup/");
	const char *lbs = label + 4;
	const char *lbe = strchr(lbs, '/');
	size_t nl = lbe && lbe < t ? (size_t)(lbe - lbs) : (size_t)(t - lbs);
	const char *tgs = t + strlen("/targetgroup/");
	size_t nt = strcspn(tgs, "/");
	if (nl >= sizeof(lb) || nt >= sizeof(tg))
		return jr_fail_at(&p->pos, err, "ResourceLabel \"%s\" names no load balancer and target group of the scenario", label);
	memcpy(lb, lbs, nl);
	lb[nl] = '\0';
	memcpy(tg, tgs, nt);
	tg[nt] = '\0';
	const elb_cfg *e = c->elb;
	if (e == NULL || elb_cfg_find_lb(e, lb) == NULL)
		return jr_fail_at(&p->pos, err, "policy \"%s\": ResourceLabel names load balancer \"%s\", which is not defined in loadBalancers", p->name, lb);
	const tg_cfg *g = elb_cfg_find_tg(e, tg);
	if (g == NULL)
		return jr_fail_at(&p->pos, err, "policy \"%s\": ResourceLabel names target group \"%s\", which is not defined in targetGroups", p->name, tg);
	for (int i = 0; i < c->nknown; i++) {
		const svc_cfg *s = c->known[i].cfg;
		if (strcmp(s->name, p->service) != 0 || strcmp(s->cluster, p->cluster) != 0)
			continue;
		for (int k = 0; k < s->nlbs; k++)
			if (elb_cfg_find_tg(e, s->lbs[k].target_group) == g)
				return 0;
	}
	return jr_fail_at(&p->pos, err, "policy \"%s\": ResourceLabel names target group \"%s\", but service %s registers no targets in it",
	    p->name, tg, p->service);
}

static int
check_refs(void *ctx, const scenario *sc, sim_error *err)
{
	(void)sc;
	model_cfg *c = ctx;
	const aas_cfg *a = c->aas;
	int rc;
	for (int i = 0; a != NULL && i < a->n; i++) {
		const aas_item *it = a->items[i];
		if (it->kind == AI_ALARM && (rc = check_alarm_actions(a, it, err)))
			return rc;
		if (it->kind == AI_POLICY && it->policy.type == SP_TARGET_TRACKING &&
		    it->policy.tt.resource_label != NULL && (rc = check_resource_label(c, it, err)))
			return rc;
	}
	return 0;
}

static int aas_apply(model *m, void *typed, sim_error *err);

/* ECS's load-time question (model/ecs/deploy_alarms.h): does an alarm of
 * this name exist, and how long is its evaluation window? */
static sim_time
alarm_window(const model_cfg *c, const char *name)
{
	const aas_cfg *a = c->aas;
	for (int i = a ? a->n - 1 : -1; i >= 0; i--)
		if (a->items[i]->kind == AI_ALARM && strcmp(a->items[i]->alarm.name, name) == 0)
			return a->items[i]->alarm.period * a->items[i]->alarm.evaluation_periods;
	return -1;
}

/* cloudwatch:SetAlarmState [DOC API]: {AlarmName, StateValue, StateReason,
 * StateReasonData}: the alarm takes the state until its next evaluation. */
typedef struct set_state {
	const char *name;
	alarm_state state;
} set_state;

static int
call_set_state(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc, k;
	const char *reason;
	static const char *const states[] = {"INSUFFICIENT_DATA", "OK", "ALARM"};
	set_state *ss = ARENA_NEW(c->a, set_state);
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "AlarmName", &ss->name, err)) ||
	    (rc = jr_req_enum(&o, "StateValue", states, 3, &k, err)) ||
	    (rc = jr_req_str(&o, "StateReason", &reason, err)))
		return rc;
	ss->state = (alarm_state)k;
	if (alarm_window(c, ss->name) < 0) {
		jr_get(&o, "AlarmName", &x);
		return jr_fail(&x, err, "alarm \"%s\" is not defined at this point of the scenario (scaling.alarms or cloudwatch:PutMetricAlarm)",
		    ss->name);
	}
	jr_ignore(&o, "StateReasonData");
	if ((rc = jr_done(&o, err)))
		return rc;
	*typed = ss;
	return 0;
}

static int apply_set_state(model *m, void *typed, sim_error *err);

void
aas_register_calls(model_cfg *c, scn_spec *sp)
{
	c->alarm_window = alarm_window;
	cfg_add_call(c, sp, "cloudwatch:SetAlarmState", call_set_state, apply_set_state);
	scn_spec_add_finish(sp, check_refs, c);
	cfg_add_call(c, sp, "application-autoscaling:RegisterScalableTarget", call_target, aas_apply);
	cfg_add_call(c, sp, "application-autoscaling:PutScalingPolicy", call_policy, aas_apply);
	cfg_add_call(c, sp, "application-autoscaling:PutScheduledAction", call_sched, aas_apply);
	cfg_add_call(c, sp, "cloudwatch:PutMetricAlarm", call_alarm, aas_apply);
}

/* ---------------------------------------------------------------- */
/* Run time.                                                         */


static const aas_cfg *
acfg(const model *m)
{
	return m->cfg->aas;
}

static struct svc_scaling *
scaling_of(model *m, const char *cl, const char *svc)
{
	service *s = model_find_service(m, cl, svc);
	return s ? s->scaling : NULL;
}

/* Record a scaling activity, worded as AWS reports them. */
static void
activity(model *m, service *s, int from, int to, const char *cause,
    const char *policy)
{
	char src[300];
	snprintf(src, sizeof(src), "aas/%s", s->name);
	rec_event_add(m->rec, eng_now(m->eng), src, "scaling",
	    "Setting desired count to %d. Cause: %s", to, cause);
	rec_fact *f = rec_fact_new(m->rec, "scaling_activity");
	rec_fact_str(f, "resource", arena_printf(m->a, "service/%s/%s", s->cl->name, s->name));
	rec_fact_str(f, "service", s->name);
	rec_fact_time(f, "time", eng_now(m->eng));
	rec_fact_str(f, "cause", cause);
	rec_fact_int(f, "from", from);
	rec_fact_int(f, "to", to);
	rec_fact_str(f, "policy", policy ? policy : "");
}

static void
set_desired(model *m, struct svc_scaling *ss, int to, const char *cause,
    const char *policy)
{
	int from = ss->s->desired;
	if (to == from)
		return;
	activity(m, ss->s, from, to, cause, policy);
	svc_set_desired(ss->s, to, cause);
}

static void
alarm_logged(model *m, const char *name, const alarm_eval *e, service *s)
{
	if (!e->changed)
		return;
	char src[300];
	snprintf(src, sizeof(src), "aas/%s", s->name);
	rec_event_add(m->rec, eng_now(m->eng), src, "alarm", "Alarm %s state %s -> %s",
	    name, alarm_state_name(e->prev), alarm_state_name(e->state));
	/* ECS watches alarms for deployments: it gets every change
	 * (model/ecs/deploy_alarms.h) */
	dal_alarm_changed(m, name, e->state == ALARM_ALARM);
}

static void
add_policy(model *m, struct svc_scaling *ss, const sp_policy *p)
{
	/* PutScalingPolicy with an existing name replaces the policy */
	rt_policy *rp = NULL;
	for (int i = 0; i < ss->npol; i++)
		if (strcmp(ss->pol[i].cfg->name, p->name) == 0) {
			rp = &ss->pol[i];
			alarm_free(rp->high);
			alarm_free(rp->low);
			rp->high = rp->low = NULL;
		}
	if (rp == NULL) {
		if (ss->npol == ss->cappol) {
			ss->cappol = ss->cappol ? 2 * ss->cappol : 4;
			ss->pol = xreallocarray(ss->pol, (size_t)ss->cappol, sizeof(*ss->pol));
		}
		rp = &ss->pol[ss->npol++];
		memset(rp, 0, sizeof(*rp));
		sp_cooldown_init(&rp->cd);
	}
	rp->cfg = p;
	if (p->type == SP_TARGET_TRACKING) {
		alarm_config hi, lo;
		bool hires = sp_metric_hires(p->tt.metric);
		const asp_params *ap = asp_get(m->cfg);
		alarm_tt_configs(&ap->tt, p->tt.target, hires, &hi, &lo);
		hi.extra_range = lo.extra_range = ap->eval_extra;
		char uuid[40];
		model_make_hex_id(m, "alarm-uuid", uuid, 32);
		/* [OBS] names of the alarms AAS creates */
		snprintf(rp->high_name, sizeof(rp->high_name), "TargetTracking-%s-AlarmHigh-%.8s-%.4s-%.4s-%.4s-%.12s",
		    p->resource_id, uuid, uuid + 8, uuid + 12, uuid + 16, uuid + 20);
		snprintf(rp->low_name, sizeof(rp->low_name), "TargetTracking-%s-AlarmLow-%.8s-%.4s-%.4s-%.4s-%.12s",
		    p->resource_id, uuid, uuid + 8, uuid + 12, uuid + 16, uuid + 20);
		rp->high = alarm_new(&hi);
		rp->low = alarm_new(&lo);
		if (hires)
			ss->period = alarm_get_config(rp->high)->period;
		if (p->tt.metric == SP_METRIC_CPU || p->tt.metric == SP_METRIC_CPU_HIRES) {
			char name[300];
			snprintf(name, sizeof(name), "service/%s/cpuTarget", ss->s->name);
			ss->series_target = rec_series(m->rec, name, "percent");
		}
	}
	/* a step policy is driven by the user alarm naming it in AlarmActions */
	for (int i = 0; i < ss->nextra; i++) {
		const alarm_config *ac = alarm_get_config(ss->extra[i]);
		for (int k = 0; k < ac->nalarm_actions; k++) {
			const char *pn = alarm_action_policy_name(ac->alarm_actions[k]);
			if (pn && strcmp(pn, p->name) == 0) {
				rp->user = ac;
				rp->ua = ss->extra[i];
			}
		}
	}
}

static void aas_sched_fire(engine *e, void *obj, uint64_t arg);

static void
arm_sched(model *m, rt_sched *r)
{
	sim_time next;
	eng_cancel_clear(m->eng, &r->ev);
	sp_params spp = asp_sp(asp_get(m->cfg));
	if (sp_schedule_next(&r->cfg->schedule, &spp, r->created, eng_now(m->eng), &next) &&
	    next <= m->end)
		r->ev = eng_at(m->eng, next, aas_sched_fire, r, 0);
}

static struct svc_scaling *scaling_new(model *m, service *s, bool tick);

/* Apply one configuration item to the running model. */
static void
apply_item(model *m, const aas_item *it)
{
	sim_time now = eng_now(m->eng);
	switch (it->kind) {
	case AI_TARGET: {
		struct svc_scaling *ss = scaling_of(m, it->target.cluster, it->target.service);
		if (ss == NULL)
			return;
		ss->registered = true;
		ss->min = it->target.min;
		ss->max = it->target.max;
		ss->susp = it->target.suspended;
		/* [DOC] registering moves the current capacity inside the bounds */
		int d = ss->s->desired;
		int nd = d < ss->min ? ss->min : d > ss->max ? ss->max : d;
		if (nd != d)
			set_desired(m, ss, nd, arena_printf(m->a,
			    "the scalable target's bounds [%d, %d] moved the desired count inside them", ss->min, ss->max), NULL);
		break;
	}
	case AI_POLICY: {
		struct svc_scaling *ss = scaling_of(m, it->policy.cluster, it->policy.service);
		if (ss)
			add_policy(m, ss, &it->policy);
		break;
	}
	case AI_SCHED: {
		struct svc_scaling *ss = scaling_of(m, it->sched.cluster, it->sched.service);
		if (ss == NULL)
			return;
		rt_sched *r = NULL;
		for (int i = 0; i < ss->nsched; i++)
			if (strcmp(ss->sched[i]->cfg->name, it->sched.name) == 0)
				r = ss->sched[i];
		if (r == NULL) {
			if (ss->nsched == ss->capsched) {
				ss->capsched = ss->capsched ? 2 * ss->capsched : 4;
				ss->sched = xreallocarray(ss->sched, (size_t)ss->capsched, sizeof(*ss->sched));
			}
			r = xcalloc(1, sizeof(*r));
			r->ss = ss;
			ss->sched[ss->nsched++] = r;
		}
		r->cfg = &it->sched;
		r->created = now;
		arm_sched(m, r);
		break;
	}
	case AI_ALARM: {
		const char *cl = dim(&it->alarm, "ClusterName"), *svc = dim(&it->alarm, "ServiceName");
		service *s = model_find_service(m, cl, svc);
		if (s == NULL)
			return;
		/* an alarm of a service without scalable target is evaluated too
		 * (deployment alarms watch it) */
		struct svc_scaling *ss = s->scaling ? s->scaling : scaling_new(m, s, true);
		ss->extra = xreallocarray(ss->extra, (size_t)ss->nextra + 1, sizeof(*ss->extra));
		ss->extra[ss->nextra++] = alarm_new(&it->alarm);
		/* link to step policies already present */
		for (int i = 0; i < ss->npol; i++)
			add_policy(m, ss, ss->pol[i].cfg);
		break;
	}
	}
}

static int
aas_apply(model *m, void *typed, sim_error *err)
{
	(void)err;
	apply_item(m, typed);
	return 0;
}

static void
sched_fire_one(model *m, rt_sched *r)
{
	struct svc_scaling *ss = r->ss;
	if (ss->susp.scheduled)
		return; /* [DOC] ScheduledScalingSuspended */
	int d = ss->s->desired;
	int nd = sp_scheduled_apply(r->cfg, &ss->min, &ss->max, d);
	char src[300];
	snprintf(src, sizeof(src), "aas/%s", ss->s->name);
	rec_event_add(m->rec, eng_now(m->eng), src, "scaling",
	    "Scheduled action %s set MinCapacity %d, MaxCapacity %d", r->cfg->name, ss->min, ss->max);
	if (nd != d)
		set_desired(m, ss, nd, arena_printf(m->a, "scheduled action name %s was triggered", r->cfg->name),
		    r->cfg->name);
}

static void
aas_sched_fire(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	rt_sched *r = obj;
	model *m = r->ss->s->m;
	r->ev = EVQ_NONE;
	sched_fire_one(m, r);
	arm_sched(m, r);
}

/* One invocation of the service's policies after its alarms evaluated
 * [DOC §1.8, §1.10]: out if any, in only if all, largest capacity wins,
 * no scale-in during a deployment. */
static void
invoke(model *m, struct svc_scaling *ss)
{
	if (!ss->registered || ss->npol == 0)
		return;
	sim_time now = eng_now(m->eng);
	service *s = ss->s;
	int running = -1; /* counted only if a step policy needs it */
	/* [INF] target tracking scales the running count that produced the
	 * metric — the datapoint's SampleCount, which is the number of RUNNING
	 * tasks [DOC §3] — so a datapoint from before a scale-out is not
	 * applied again to the tasks that scale-out added. */
	int base = ss->metric_running;
	int desired = s->desired;
	sp_params spp_v = asp_sp(asp_get(m->cfg));
	const sp_params *spp = &spp_v;
	/* on the stack for the usual few policies (one invocation per metric
	 * period of every service) */
	sp_vote vstack[8];
	const char *cstack[8];
	sp_vote *votes = ss->npol <= 8 ? vstack : xmalloc((size_t)ss->npol * sizeof(*votes));
	const char **causes = ss->npol <= 8 ? cstack : xmalloc((size_t)ss->npol * sizeof(*causes));
	memset(votes, 0, (size_t)ss->npol * sizeof(*votes));
	memset(causes, 0, (size_t)ss->npol * sizeof(*causes));
	for (int i = 0; i < ss->npol; i++) {
		rt_policy *rp = &ss->pol[i];
		const sp_policy *p = rp->cfg;
		votes[i].type = p->type;
		if (p->type == SP_TARGET_TRACKING) {
			votes[i].disable_scale_in = p->tt.disable_scale_in;
			if (rp->high && alarm_get_state(rp->high) == ALARM_ALARM && rp->eh.real > 0) {
				votes[i].req = sp_tt_request(&p->tt, &rp->cd, spp, true,
				    sp_tt_metric(&rp->eh, spp), base, desired, ss->min, ss->max, now);
				causes[i] = rp->high_name;
			} else if (rp->low && alarm_get_state(rp->low) == ALARM_ALARM && rp->el.real > 0) {
				votes[i].req = sp_tt_request(&p->tt, &rp->cd, spp, false,
				    sp_tt_metric(&rp->el, spp), base, desired, ss->min, ss->max, now);
				causes[i] = rp->low_name;
			}
		} else if (rp->ua && alarm_get_state(rp->ua) == ALARM_ALARM && rp->eu.real > 0) {
			/* [DOC §1.5] ECS scales from the running count */
			if (running < 0)
				running = svc_running_count(s);
			votes[i].req = sp_step_request(&p->step, &rp->cd, spp,
			    alarm_get_config(rp->ua)->threshold, sp_step_metric(&p->step, &rp->eu),
			    running, desired, ss->min, ss->max, now);
			causes[i] = alarm_get_config(rp->ua)->name;
		}
	}
	sp_gate g = {
		.out_suspended = ss->susp.dynamic_out,
		.in_suspended = ss->susp.dynamic_in,
		.deploying = svc_deployment_in_progress(s),
	};
	int cap;
	int w = sp_combine(votes, ss->npol, &g, desired, &cap);
	if (w >= 0 && cap != desired) {
		rt_policy *rp = &ss->pol[w];
		const sp_policy *p = rp->cfg;
		sim_time out_cd = p->type == SP_TARGET_TRACKING ? p->tt.scale_out_cooldown : p->step.cooldown;
		sim_time in_cd = p->type == SP_TARGET_TRACKING ? p->tt.scale_in_cooldown : p->step.cooldown;
		sp_cooldown_note(&rp->cd, now, desired, cap, out_cd, in_cd);
		if (cap > desired)
			for (int i = 0; i < ss->npol; i++)
				if (i != w)
					sp_cooldown_end_in(&ss->pol[i].cd);
		set_desired(m, ss, cap, arena_printf(m->a,
		    "monitor alarm %s in state ALARM triggered policy %s", causes[w], p->name), p->name);
	}
	if (votes != vstack)
		free(votes);
	if (causes != cstack)
		free(causes);
}

/* A datapoint of period k reaches the service's alarms. */
static void
deliver(model *m, struct svc_scaling *ss, int64_t k, double cpu, double mem,
    double rpt)
{
	for (int i = 0; i < ss->npol; i++) {
		rt_policy *rp = &ss->pol[i];
		const sp_policy *p = rp->cfg;
		if (p->type != SP_TARGET_TRACKING)
			continue;
		double v = (p->tt.metric == SP_METRIC_CPU || p->tt.metric == SP_METRIC_CPU_HIRES) ? cpu :
		    (p->tt.metric == SP_METRIC_ALB_REQUESTS) ? rpt : mem;
		if (isnan(v)) {
			alarm_put_missing(rp->high, k);
			alarm_put_missing(rp->low, k);
		} else {
			alarm_put(rp->high, k, v);
			alarm_put(rp->low, k, v);
		}
		alarm_evaluate(rp->high, k, &rp->eh);
		alarm_evaluate(rp->low, k, &rp->el);
		alarm_logged(m, rp->high_name, &rp->eh, ss->s);
		alarm_logged(m, rp->low_name, &rp->el, ss->s);
	}
	for (int i = 0; i < ss->nextra; i++) {
		alarm *a = ss->extra[i];
		const alarm_config *ac = alarm_get_config(a);
		double v = strcmp(ac->metric_name, "CPUUtilization") == 0 ? cpu : mem;
		if (isnan(v))
			alarm_put_missing(a, k);
		else
			alarm_put(a, k, v);
		alarm_eval ev;
		alarm_evaluate(a, k, &ev);
		alarm_logged(m, ac->name, &ev, ss->s);
		for (int p = 0; p < ss->npol; p++)
			if (ss->pol[p].ua == a)
				ss->pol[p].eu = ev;
	}
	invoke(m, ss);
}

/* The metric tick: publish the period that just ended, deliver what has
 * waited out the publication delay. */
static void
aas_tick(engine *e, void *obj, uint64_t arg)
{
	(void)arg;
	model *m = obj;
	struct scaling *sc = m->aas;
	sim_time now = eng_now(e);
	for (int i = 0; i < sc->n; i++) {
		struct svc_scaling *ss = sc->list[i];
		if (ss->s->deleted || now % ss->period != 0)
			continue;
		double cpu, mem, rpt, avg;
		traffic_take_metrics(ss->s, &cpu, &mem, &rpt, &avg);
		/* [DOC §3] no datapoint while the service has no task (the
		 * traffic record knows how many ran in the period) */
		if (isnan(avg) ? svc_running_count(ss->s) == 0 : avg <= 0)
			cpu = mem = rpt = (double)NAN;
		int slot = (ss->phead + ss->pn) % 64;
		ss->pend[slot].k = now / ss->period - 1;
		ss->pend[slot].cpu = cpu;
		ss->pend[slot].mem = mem;
		ss->pend[slot].rpt = rpt;
		ss->pend[slot].running = isnan(avg) ? svc_running_count(ss->s) : avg;
		if (ss->pn < 64)
			ss->pn++;
		else
			ss->phead = (ss->phead + 1) % 64;
		while (ss->pn > 0) {
			int h = ss->phead;
			sim_time ends = (ss->pend[h].k + 1) * ss->period;
			if (ends + asp_get(m->cfg)->publication_delay > now)
				break;
			/* SampleCount ~ running tasks, rounded [DOC §3] */
			ss->metric_running = (int)lround(ss->pend[h].running);
			deliver(m, ss, ss->pend[h].k, ss->pend[h].cpu, ss->pend[h].mem, ss->pend[h].rpt);
			ss->phead = (h + 1) % 64;
			ss->pn--;
		}
	}
	sim_time step = 60 * SIM_SEC;
	for (int i = 0; i < sc->n; i++)
		if (sc->list[i]->period < step)
			step = sc->list[i]->period;
	if (now + step <= m->end)
		sc->tick = eng_at(e, now + step, aas_tick, m, 0);
}

static void on_service_deployed(void *ctx, service *s);

/* The scaling state of s, from now on: its metrics are published and its
 * alarms evaluated every period. */
static struct svc_scaling *
scaling_new(model *m, service *s, bool tick)
{
	struct scaling *sc = m->aas;
	struct svc_scaling *ss = xcalloc(1, sizeof(*ss));
	ss->s = s;
	ss->period = 60 * SIM_SEC;
	ss->series_target = -1;
	s->scaling = ss;
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 8;
		sc->list = xreallocarray(sc->list, (size_t)sc->cap, sizeof(*sc->list));
	}
	sc->list[sc->n++] = ss;
	if (tick && !eng_is_pending(m->eng, sc->tick)) {
		sim_time now = eng_now(m->eng);
		sim_time first = (now / ss->period + 1) * ss->period;
		sc->tick = eng_at(m->eng, first, aas_tick, m, 0);
	}
	return ss;
}

void
aas_start(model *m)
{
	m->aas = arena_calloc(m->a, 1, sizeof(*m->aas));
	ecs_listener l = {.ctx = m, .service_deployed = on_service_deployed};
	ecs_subscribe(m, &l);
}

/* A service exists (at time 0 or by the timeline): its scalable target
 * and policies apply from now. */
static void
on_service_deployed(void *ctx, service *s)
{
	model *m = ctx;
	const aas_cfg *a = acfg(m);
	if (a == NULL)
		return;
	bool any = false;
	for (int i = 0; i < a->n && !any; i++) {
		const aas_item *it = a->items[i];
		any = it->kind == AI_TARGET && strcmp(it->target.service, s->name) == 0 &&
		    strcmp(it->target.cluster, s->cl->name) == 0;
		/* or an alarm on its metrics, for deployments to watch */
		any = any || (it->kind == AI_ALARM && strcmp(dim(&it->alarm, "ServiceName"), s->name) == 0 &&
		    strcmp(dim(&it->alarm, "ClusterName"), s->cl->name) == 0);
	}
	if (!any)
		return;
	struct scaling *sc = m->aas;
	struct svc_scaling *ss = scaling_new(m, s, false);
	/* the section's items for this service apply at once */
	for (int i = 0; i < a->nsection; i++) {
		const aas_item *it = a->items[i];
		const char *cl = NULL, *svc = NULL;
		switch (it->kind) {
		case AI_TARGET: cl = it->target.cluster; svc = it->target.service; break;
		case AI_POLICY: cl = it->policy.cluster; svc = it->policy.service; break;
		case AI_SCHED: cl = it->sched.cluster; svc = it->sched.service; break;
		case AI_ALARM: cl = dim(&it->alarm, "ClusterName"); svc = dim(&it->alarm, "ServiceName"); break;
		}
		if (strcmp(cl, s->cl->name) == 0 && strcmp(svc, s->name) == 0)
			apply_item(m, it);
	}
	if (!eng_is_pending(m->eng, sc->tick)) {
		sim_time now = eng_now(m->eng);
		sim_time first = (now / ss->period + 1) * ss->period;
		sc->tick = eng_at(m->eng, first, aas_tick, m, 0);
	}
}

void
aas_sample(service *s)
{
	struct svc_scaling *ss = s->scaling;
	if (ss == NULL || ss->series_target < 0)
		return;
	for (int i = 0; i < ss->npol; i++)
		if (ss->pol[i].cfg->type == SP_TARGET_TRACKING &&
		    (ss->pol[i].cfg->tt.metric == SP_METRIC_CPU || ss->pol[i].cfg->tt.metric == SP_METRIC_CPU_HIRES))
			rec_put(s->m->rec, ss->series_target, ss->pol[i].cfg->tt.target);
}

void
aas_free(model *m)
{
	struct scaling *sc = m->aas;
	if (sc == NULL)
		return;
	for (int i = 0; i < sc->n; i++) {
		struct svc_scaling *ss = sc->list[i];
		for (int k = 0; k < ss->npol; k++) {
			alarm_free(ss->pol[k].high);
			alarm_free(ss->pol[k].low);
		}
		for (int k = 0; k < ss->nextra; k++)
			alarm_free(ss->extra[k]);
		for (int k = 0; k < ss->nsched; k++)
			free(ss->sched[k]);
		free(ss->extra);
		free(ss->pol);
		free(ss->sched);
		free(ss);
	}
	free(sc->list);
}

void
aas_assume(model *m)
{
	const aas_cfg *a = acfg(m);
	if (a == NULL)
		return;
	/* the values are parameters (as_params.h, listed with the others);
	 * these are choices of method with no alternative */
	rec_assume(m->rec, "aas.targetTrackingBase", "running tasks of the datapoint (SampleCount)", "MODEL",
	    "[INF] target tracking computes ceil(N x metric / target) with N = the RUNNING tasks during the metric's period");
	sp_assume(m->rec);
}

static int
apply_set_state(model *m, void *typed, sim_error *err)
{
	(void)err;
	const set_state *st = typed;
	struct scaling *sc = m->aas;
	for (int i = 0; i < sc->n; i++) {
		struct svc_scaling *ss = sc->list[i];
		for (int k = 0; k < ss->nextra; k++) {
			alarm *a = ss->extra[k];
			if (strcmp(alarm_get_config(a)->name, st->name) != 0)
				continue;
			alarm_eval e;
			memset(&e, 0, sizeof(e));
			e.prev = alarm_set_state(a, st->state);
			e.state = st->state;
			e.changed = e.prev != e.state;
			alarm_logged(m, st->name, &e, ss->s);
		}
	}
	return 0;
}
