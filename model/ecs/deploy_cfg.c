/*
 * deploy_cfg — deployment controller, strategy, hooks, alarms and
 * advanced load balancer settings of a service (see deploy_cfg.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/ecs/deploy_cfg.h"

static const char *const strategy_names[] = {"ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"};
static const char *const controller_names[] = {"ECS", "CODE_DEPLOY", "EXTERNAL"};
static const char *const stage_names[LC_NSTAGES] = {
	"RECONCILE_SERVICE", "PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP",
	"TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
	"PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT",
	"POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP",
};

/* [DOC] DeploymentLifecycleHookStage: every stage but SCALE_UP,
 * BAKE_TIME and CLEAN_UP. */
static const lc_stage hook_stages[] = {
	LC_RECONCILE_SERVICE, LC_PRE_SCALE_UP, LC_POST_SCALE_UP,
	LC_TEST_TRAFFIC_SHIFT, LC_POST_TEST_TRAFFIC_SHIFT,
	LC_PRE_PRODUCTION_TRAFFIC_SHIFT, LC_PRODUCTION_TRAFFIC_SHIFT,
	LC_POST_PRODUCTION_TRAFFIC_SHIFT,
};
#define NHOOK_STAGES ((int)(sizeof(hook_stages) / sizeof(hook_stages[0])))

const char *
dcfg_strategy_name(deploy_strategy s)
{
	return strategy_names[s];
}

const char *
dcfg_controller_name(deploy_controller c)
{
	return controller_names[c];
}

const char *
dcfg_stage_name(lc_stage s)
{
	SIM_ASSERT(s >= 0 && s < LC_NSTAGES);
	return stage_names[s];
}

const char *
dcfg_tg_name(const char *ref, char *buf, size_t size)
{
	const char *p = strncmp(ref, "arn:", 4) == 0 ? strstr(ref, ":targetgroup/") : NULL;
	if (p == NULL) {
		snprintf(buf, size, "%s", ref);
		return buf;
	}
	p += strlen(":targetgroup/");
	size_t n = strcspn(p, "/");
	snprintf(buf, size, "%.*s", (int)n, p);
	return buf;
}

void
dcfg_defaults(deploy_cfg *dc)
{
	dc->strategy = STRAT_ROLLING;
	dc->linear_step = 10.0;            /* [DOC] */
	dc->linear_bake = 6 * SIM_MIN;     /* [DOC] */
	dc->canary_pct = 5.0;              /* [DOC] */
	dc->canary_bake = 10 * SIM_MIN;    /* [DOC] */
}

/* [DOC] "multiples of 0.1": within a rounding error of one. */
static bool
tenths(double x)
{
	double t = x * 10.0;
	return fabs(t - round(t)) < 1e-6;
}

static int
parse_percent(jr_obj *o, const char *key, double lo, double *out, sim_error *err)
{
	jr_val x;
	int rc;
	if (!jr_get(o, key, &x))
		return 0;
	if ((rc = jr_num(&x, lo, 100.0, out, err)) != 0)
		return rc;
	if (!tenths(*out))
		return jr_fail(&x, err, "%s must be a multiple of 0.1 (from %.1f to 100.0), got %s",
		    key, lo, jr_to_json(&x));
	return 0;
}

static int
parse_minutes(jr_obj *o, const char *key, int lo, int hi, sim_time *out,
    bool *given, sim_error *err)
{
	jr_val x;
	int m, rc;
	if (!jr_get(o, key, &x))
		return 0;
	if ((rc = jr_int32(&x, lo, hi, &m, err)) != 0)
		return rc;
	*out = (sim_time)m * SIM_MIN;
	if (given)
		*given = true;
	return 0;
}

static int
parse_linear(const jr_val *v, deploy_cfg *dc, sim_error *err)
{
	jr_obj o;
	int rc;
	if ((rc = jr_object(v, &o, err)) ||
	    (rc = parse_percent(&o, "stepPercent", 3.0, &dc->linear_step, err)) ||
	    (rc = parse_minutes(&o, "stepBakeTimeInMinutes", 0, 1440, &dc->linear_bake, NULL, err)))
		return rc;
	return jr_done(&o, err);
}

static int
parse_canary(const jr_val *v, deploy_cfg *dc, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	if ((rc = jr_object(v, &o, err)))
		return rc;
	/* the developer guide's canary example writes canaryBakeTime */
	if (jr_get(&o, "canaryBakeTime", &x))
		return jr_fail(&x, err, "unknown key 'canaryBakeTime'; did you mean 'canaryBakeTimeInMinutes'? (the API's name; the developer guide's canary example writes canaryBakeTime, which create-service refuses)");
	if (
	    (rc = parse_percent(&o, "canaryPercent", 0.1, &dc->canary_pct, err)) ||
	    (rc = parse_minutes(&o, "canaryBakeTimeInMinutes", 0, 1440, &dc->canary_bake, NULL, err)))
		return rc;
	return jr_done(&o, err);
}

static int
parse_hook(model_cfg *c, const jr_val *v, lifecycle_hook *h, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc, n, type;
	static const char *const types[] = {"AWS_LAMBDA", "PAUSE"};
	h->pos = jr_where(v);
	h->timeout = 1440 * SIM_MIN;       /* [DOC] default 1440 (24 hours) */
	h->timeout_rollback = true;        /* [DOC] default ROLLBACK */
	if ((rc = jr_object(v, &o, err)) ||
	    (rc = jr_opt_enum(&o, "targetType", types, 2, 0, &type, err)))
		return rc;
	h->pause = type == 1;
	if (jr_get(&o, "hookTargetArn", &x)) {
		if ((rc = jr_str(&x, &h->target_arn, err)) ||
		    (rc = cfg_check_template(&x, h->target_arn, err)))
			return rc;
		if (h->pause)
			return jr_fail(&x, err, "a PAUSE hook has no hookTargetArn (it waits for ecs:ContinueServiceDeployment)");
	} else if (!h->pause) {
		return jr_fail(v, err, "missing required key 'hookTargetArn' (the Lambda function of an AWS_LAMBDA hook)");
	}
	if ((rc = jr_need(&o, "lifecycleStages", &x, err)) || (rc = jr_array(&x, &n, err)))
		return rc;
	if (n == 0)
		return jr_fail(&x, err, "lifecycleStages needs at least one stage");
	for (int i = 0; i < n; i++) {
		jr_val e;
		const char *name;
		jr_elem(&x, i, &e);
		if ((rc = jr_str(&e, &name, err)))
			return rc;
		int k;
		for (k = 0; k < NHOOK_STAGES && strcmp(stage_names[hook_stages[k]], name) != 0; k++)
			;
		if (k == NHOOK_STAGES) {
			const char *names[NHOOK_STAGES];
			for (int j = 0; j < NHOOK_STAGES; j++)
				names[j] = stage_names[hook_stages[j]];
			int dummy;
			/* jr_enum words the error with the valid names */
			rc = jr_enum(&e, names, NHOOK_STAGES, &dummy, err);
			return rc ? rc : jr_fail(&e, err, "not a hook stage: \"%s\"", name);
		}
		h->stages |= 1u << (unsigned)hook_stages[k];
	}
	if (jr_get(&o, "timeoutConfiguration", &x)) {
		jr_obj to;
		int action = 0, minutes = 1440;
		static const char *const actions[] = {"ROLLBACK", "CONTINUE"};
		if ((rc = jr_object(&x, &to, err)) ||
		    (rc = jr_opt_int32(&to, "timeoutInMinutes", 1, 20160, 1440, &minutes, err)) ||
		    (rc = jr_opt_enum(&to, "action", actions, 2, 0, &action, err)) ||
		    (rc = jr_done(&to, err)))
			return rc;
		h->timeout = (sim_time)minutes * SIM_MIN;
		h->timeout_rollback = action == 0;
	}
	if (jr_get(&o, "roleArn", &x))
		cfg_note(c, &x);
	if (jr_get(&o, "hookDetails", &x))
		cfg_note(c, &x);
	return jr_done(&o, err);
}

static int
parse_hooks(model_cfg *c, const jr_val *v, deploy_cfg *dc, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	dc->hooks = ARENA_ARRAY(c->a, lifecycle_hook, (size_t)(n ? n : 1));
	dc->nhooks = n;
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_elem(v, i, &e);
		if ((rc = parse_hook(c, &e, &dc->hooks[i], err)) != 0)
			return rc;
	}
	return 0;
}

static int
parse_alarms(model_cfg *c, const jr_val *v, deploy_alarms *a, sim_error *err)
{
	jr_obj o;
	jr_val x, en, rb;
	int n, rc;
	a->pos = jr_where(v);
	/* [DOC] DeploymentAlarms: alarmNames, enable and rollback are required */
	if ((rc = jr_object(v, &o, err)) || (rc = jr_need(&o, "alarmNames", &x, err)) ||
	    (rc = jr_need(&o, "enable", &en, err)) || (rc = jr_need(&o, "rollback", &rb, err)) ||
	    (rc = jr_bool(&en, &a->enable, err)) || (rc = jr_bool(&rb, &a->rollback, err)) ||
	    (rc = jr_array(&x, &n, err)))
		return rc;
	a->names = ARENA_ARRAY(c->a, const char *, (size_t)(n ? n : 1));
	a->n = 0; /* whole names only (the loader may read on after an error) */
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_elem(&x, i, &e);
		if ((rc = jr_str(&e, &a->names[i], err)) ||
		    (rc = cfg_check_template(&e, a->names[i], err)))
			return rc;
		if (a->names[i][0] == '\0')
			return jr_fail(&e, err, "an alarm name has 1 to 255 characters, got \"\"");
		a->n = i + 1;
	}
	if (a->enable && n == 0)
		return jr_fail(&x, err, "enabled deployment alarms need at least one alarm name");
	return jr_done(&o, err);
}

int
dcfg_parse(model_cfg *c, jr_obj *o, deploy_cfg *dc, sim_error *err)
{
	jr_val x;
	int rc, k;
	if (jr_get(o, "strategy", &x)) {
		if ((rc = jr_enum(&x, strategy_names, 4, &k, err)) != 0)
			return rc;
		dc->strategy = (deploy_strategy)k;
	}
	if ((rc = parse_minutes(o, "bakeTimeInMinutes", 0, 1440, &dc->bake_time, &dc->has_bake, err)))
		return rc;
	if (jr_get(o, "linearConfiguration", &x) && (rc = parse_linear(&x, dc, err)))
		return rc;
	if (jr_get(o, "canaryConfiguration", &x) && (rc = parse_canary(&x, dc, err)))
		return rc;
	if (jr_get(o, "lifecycleHooks", &x) && (rc = parse_hooks(c, &x, dc, err)))
		return rc;
	if (jr_get(o, "alarms", &x)) {
		if ((rc = parse_alarms(c, &x, &dc->alarms, err)))
			return rc;
		/* their names are checked once every alarm is known
		 * (dal_check_names) */
		if (dc->alarms.enable) {
			if (c->nalarm_refs == c->capalarm_refs) {
				int cap = c->capalarm_refs ? 2 * c->capalarm_refs : 8;
				const deploy_alarms **n = ARENA_ARRAY(c->a, const deploy_alarms *, (size_t)cap);
				if (c->nalarm_refs)
					memcpy(n, c->alarm_refs, (size_t)c->nalarm_refs * sizeof(*n));
				c->alarm_refs = n;
				c->capalarm_refs = cap;
			}
			c->alarm_refs[c->nalarm_refs++] = &dc->alarms;
		}
	}
	return 0;
}

int
dcfg_parse_controller(const jr_val *v, deploy_controller *out, sim_error *err)
{
	jr_obj o;
	jr_val t;
	int rc, k;
	if ((rc = jr_object(v, &o, err)) || (rc = jr_need(&o, "type", &t, err)) ||
	    (rc = jr_enum(&t, controller_names, 3, &k, err)) || (rc = jr_done(&o, err)))
		return rc;
	*out = (deploy_controller)k;
	return 0;
}

int
dcfg_parse_advanced(model_cfg *c, jr_obj *o, lb_binding *b, sim_error *err)
{
	jr_val v, x;
	jr_obj a;
	int rc;
	if (!jr_get(o, "advancedConfiguration", &v))
		return 0;
	if ((rc = jr_object(&v, &a, err)) ||
	    (rc = jr_req_str(&a, "alternateTargetGroupArn", &b->alt_target_group, err)) ||
	    (rc = jr_req_str(&a, "productionListenerRule", &b->prod_rule, err)) ||
	    (rc = jr_opt_str(&a, "testListenerRule", NULL, &b->test_rule, err)))
		return rc;
	jr_get(&a, "alternateTargetGroupArn", &x);
	if ((rc = cfg_check_template(&x, b->alt_target_group, err)))
		return rc;
	if (c->target_group_exists == NULL || !c->target_group_exists(c, b->alt_target_group))
		return jr_fail(&x, err, "target group \"%s\" is not defined in targetGroups", b->alt_target_group);
	char n1[300], n2[300];
	if (strcmp(dcfg_tg_name(b->alt_target_group, n1, sizeof(n1)),
	    dcfg_tg_name(b->target_group, n2, sizeof(n2))) == 0)
		return jr_fail(&x, err, "the alternate target group must differ from targetGroupArn (\"%s\")", n2);
	jr_get(&a, "productionListenerRule", &x);
	if ((rc = cfg_check_template(&x, b->prod_rule, err)))
		return rc;
	if (jr_get(&a, "roleArn", &x))
		cfg_note(c, &x);
	return jr_done(&a, err);
}

static bool
bg_family(const deploy_cfg *dc)
{
	return dc->strategy != STRAT_ROLLING;
}

int
dcfg_check_service(const model_cfg *c, const svc_cfg *s, const jr_val *v,
    bool dc_given, sim_error *err)
{
	(void)c;
	const deploy_cfg *dc = &s->dc;
	jr_obj o;
	jr_val dv, x;
	bool have_dv = false;
	if (jr_object(v, &o, err) == 0 && jr_get(&o, "deploymentConfiguration", &dv))
		have_dv = true;
	const jr_val *at = have_dv ? &dv : v;
	jr_obj d;
	bool have_d = have_dv && jr_object(&dv, &d, err) == 0;
	if (bg_family(dc) && s->controller != CTRL_ECS)
		return jr_fail(at, err, "deployment strategy %s needs the ECS deployment controller, not %s",
		    strategy_names[dc->strategy], controller_names[s->controller]);
	if (dc_given && have_d) {
		/* [DOC] each configuration belongs to its strategy */
		if (jr_get(&d, "linearConfiguration", &x) && dc->strategy != STRAT_LINEAR)
			return jr_fail(&x, err, "linearConfiguration is only valid with strategy LINEAR (the strategy is %s)",
			    strategy_names[dc->strategy]);
		if (jr_get(&d, "canaryConfiguration", &x) && dc->strategy != STRAT_CANARY)
			return jr_fail(&x, err, "canaryConfiguration is only valid with strategy CANARY (the strategy is %s)",
			    strategy_names[dc->strategy]);
		if (jr_get(&d, "lifecycleHooks", &x) && dc->nhooks > 0 && !bg_family(dc))
			return jr_fail(&x, err, "lifecycleHooks run only in BLUE_GREEN, LINEAR and CANARY deployments (the strategy is ROLLING)");
	}
	/* [DOC] bakeTimeInMinutes: "You must provide this parameter when you use
	 * the BLUE_GREEN deployment strategy." */
	if (dc->strategy == STRAT_BLUE_GREEN && !dc->has_bake)
		return jr_fail(at, err, "strategy BLUE_GREEN requires bakeTimeInMinutes (0-1440)");
	if (bg_family(dc) && s->daemon)
		return jr_fail(at, err, "strategy %s needs a REPLICA service (DAEMON services deploy rolling)",
		    strategy_names[dc->strategy]);
	if (bg_family(dc))
		for (int i = 0; i < s->nlbs; i++)
			if (s->lbs[i].alt_target_group == NULL)
				return jr_fail(at, err,
				    "strategy %s behind a load balancer needs loadBalancers[%d].advancedConfiguration (alternateTargetGroupArn, productionListenerRule)",
				    strategy_names[dc->strategy], i);
	if (s->controller != CTRL_ECS) {
		if (s->daemon)
			return jr_fail(v, err, "the DAEMON scheduling strategy does not support the %s deployment controller",
			    controller_names[s->controller]);
		/* [DOC] "You can't specify a custom maximumPercent (or
		 * minimumHealthyPercent) value for a service that uses either the
		 * blue/green (CODE_DEPLOY) or EXTERNAL deployment types and has
		 * tasks that use the EC2 launch type." */
		if (have_d && s->launch == LAUNCH_EC2 &&
		    ((jr_get(&d, "maximumPercent", &x) && dc->maximum_percent != 200) ||
		    (jr_get(&d, "minimumHealthyPercent", &x) && dc->minimum_healthy_percent != 100)))
			return jr_fail(&x, err, "a %s service on EC2 cannot set a custom minimumHealthyPercent or maximumPercent (AWS keeps 100/200)",
			    controller_names[s->controller]);
		if (dc->cb_enable)
			return jr_fail(at, err, "the deployment circuit breaker is for the ECS deployment controller, not %s",
			    controller_names[s->controller]);
		if (dc->alarms.enable)
			return jr_fail(at, err, "deploymentConfiguration.alarms are for the ECS deployment controller; a %s service watches alarms in its deployment tool%s",
			    controller_names[s->controller],
			    s->controller == CTRL_CODE_DEPLOY ? " (the CodeDeploy deployment group's alarmConfiguration)" : "");
		for (int i = 0; i < s->nlbs; i++)
			if (s->lbs[i].prod_rule != NULL)
				return jr_fail(at, err, "advancedConfiguration is for the ECS deployment controller's blue/green family, not %s",
				    controller_names[s->controller]);
	}
	if (s->controller == CTRL_CODE_DEPLOY && s->nlbs != 1)
		return jr_fail(v, err, "a CODE_DEPLOY service needs exactly one load balancer entry (CodeDeploy shifts one target group pair), got %d",
		    s->nlbs);
	return 0;
}
