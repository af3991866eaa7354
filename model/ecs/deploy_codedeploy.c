/*
 * deploy_codedeploy — CodeDeploy blue/green deployments on ECS task sets
 * (see deploy_codedeploy.h).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/ecs/deploy.h"
#include "model/ecs/deploy_alarms.h"
#include "model/ecs/deploy_cfg.h"
#include "model/ecs/deploy_codedeploy.h"
#include "model/ecs/deploy_hooks.h"
#include "model/ecs/task_sets.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---------------------------------------------------------------- */
/* Configuration.                                                    */

typedef enum cd_route { CD_ALL_AT_ONCE, CD_CANARY, CD_LINEAR } cd_route;

typedef struct cd_config {
	const char *name;
	cd_route type;
	int percent;              /* canaryPercentage / linearPercentage */
	sim_time interval;        /* canaryInterval / linearInterval (minutes) */
} cd_config;

/* [DOC] the predefined ECS deployment configurations */
static const cd_config predefined[] = {
	{"CodeDeployDefault.ECSAllAtOnce", CD_ALL_AT_ONCE, 100, 0},
	{"CodeDeployDefault.ECSLinear10PercentEvery1Minutes", CD_LINEAR, 10, SIM_MIN},
	{"CodeDeployDefault.ECSLinear10PercentEvery3Minutes", CD_LINEAR, 10, 3 * SIM_MIN},
	{"CodeDeployDefault.ECSCanary10Percent5Minutes", CD_CANARY, 10, 5 * SIM_MIN},
	{"CodeDeployDefault.ECSCanary10Percent15Minutes", CD_CANARY, 10, 15 * SIM_MIN},
};

enum {
	RB_FAILURE = 1,           /* DEPLOYMENT_FAILURE */
	RB_ALARM = 2,             /* DEPLOYMENT_STOP_ON_ALARM */
	RB_REQUEST = 4,           /* DEPLOYMENT_STOP_ON_REQUEST */
};

typedef struct cd_group {
	const char *app, *name;
	const char *cluster, *service;
	const cd_config *config;
	const char *tg[2];        /* the target group pair */
	bool has_test;            /* testTrafficRoute */
	bool terminate;           /* TERMINATE (else KEEP_ALIVE) */
	sim_time termination_wait; /* -1: the parameter's default */
	bool ready_stop;          /* deploymentReadyOption STOP_DEPLOYMENT */
	sim_time ready_wait;
	bool rb_enabled;
	unsigned rb_events;
	const char **alarms;
	int nalarms;
	bool alarms_enabled;
	jr_pos pos;
} cd_group;

struct cd_cfg {
	cd_config **configs;
	int nconfigs, capconfigs;
	cd_group **groups;
	int ngroups, capgroups;
	bool deployments;         /* some codedeploy:CreateDeployment exists */
};

static struct cd_cfg *
cdcfg(model_cfg *c)
{
	if (c->codedeploy == NULL)
		c->codedeploy = ARENA_NEW(c->a, struct cd_cfg);
	return c->codedeploy;
}

bool
cd_used(const model_cfg *c)
{
	return c->codedeploy != NULL;
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

static const cd_config *
find_config(const struct cd_cfg *cc, const char *name)
{
	for (int i = 0; i < NELEM(predefined); i++)
		if (strcmp(predefined[i].name, name) == 0)
			return &predefined[i];
	for (int i = 0; cc && i < cc->nconfigs; i++)
		if (strcmp(cc->configs[i]->name, name) == 0)
			return cc->configs[i];
	return NULL;
}

static int
config_ref(model_cfg *c, const jr_val *v, const cd_config **out, sim_error *err)
{
	const char *name;
	int rc;
	if ((rc = jr_str(v, &name, err)))
		return rc;
	if ((*out = find_config(c->codedeploy, name)) == NULL) {
		if (strncmp(name, "CodeDeployDefault.", 18) == 0)
			return jr_fail(v, err, "\"%s\" is not an ECS deployment configuration (ECSAllAtOnce, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes)",
			    name);
		return jr_fail(v, err, "deployment configuration \"%s\" is not defined (codeDeploy.deploymentConfigs)", name);
	}
	return 0;
}

static int
parse_time_based(const jr_val *v, const char *pkey, const char *ikey,
    cd_config *cfg, sim_error *err)
{
	jr_obj o;
	int rc, minutes;
	if ((rc = jr_object(v, &o, err)) ||
	    (rc = jr_req_int32(&o, pkey, 1, 99, &cfg->percent, err)) ||
	    (rc = jr_req_int32(&o, ikey, 1, 2880, &minutes, err)))
		return rc;
	cfg->interval = (sim_time)minutes * SIM_MIN;
	return jr_done(&o, err);
}

/* create-deployment-config input */
static int
parse_config(model_cfg *c, const jr_val *v, sim_error *err)
{
	struct cd_cfg *cc = cdcfg(c);
	jr_obj o;
	jr_val x;
	int rc, k;
	cd_config *cfg = ARENA_NEW(c->a, cd_config);
	static const char *const platforms[] = {"ECS", "Server", "Lambda"};
	static const char *const types[] = {"AllAtOnce", "TimeBasedCanary", "TimeBasedLinear"};
	if ((rc = jr_object(v, &o, err)) || (rc = jr_req_str(&o, "deploymentConfigName", &cfg->name, err)))
		return rc;
	if (find_config(cc, cfg->name) != NULL) {
		jr_get(&o, "deploymentConfigName", &x);
		return jr_fail(&x, err, "deployment configuration \"%s\" already exists", cfg->name);
	}
	if ((rc = jr_opt_enum(&o, "computePlatform", platforms, 3, 0, &k, err)))
		return rc;
	if (k != 0) {
		jr_get(&o, "computePlatform", &x);
		return jr_fail(&x, err, "ecsim deploys ECS services: computePlatform must be ECS, got %s", platforms[k]);
	}
	if ((rc = jr_need(&o, "trafficRoutingConfig", &x, err)))
		return rc;
	jr_obj t;
	jr_val y;
	if ((rc = jr_object(&x, &t, err)) || (rc = jr_req_enum(&t, "type", types, 3, &k, err)))
		return rc;
	cfg->type = k == 0 ? CD_ALL_AT_ONCE : k == 1 ? CD_CANARY : CD_LINEAR;
	cfg->percent = 100;
	if (k == 1) {
		if ((rc = jr_need(&t, "timeBasedCanary", &y, err)) ||
		    (rc = parse_time_based(&y, "canaryPercentage", "canaryInterval", cfg, err)))
			return rc;
	} else if (k == 2) {
		if ((rc = jr_need(&t, "timeBasedLinear", &y, err)) ||
		    (rc = parse_time_based(&y, "linearPercentage", "linearInterval", cfg, err)))
			return rc;
	}
	if ((rc = jr_done(&t, err)))
		return rc;
	if (jr_get(&o, "minimumHealthyHosts", &x))
		return jr_fail(&x, err, "minimumHealthyHosts is for EC2/on-premises deployments, not ECS");
	if (jr_get(&o, "zonalConfig", &x))
		return jr_fail(&x, err, "zonalConfig is for EC2/on-premises deployments, not ECS");
	if ((rc = jr_done(&o, err)))
		return rc;
	cc->configs = grow(c->a, cc->configs, cc->nconfigs, &cc->capconfigs, sizeof(*cc->configs));
	cc->configs[cc->nconfigs++] = cfg;
	return 0;
}

static const cd_group *
find_group(const struct cd_cfg *cc, const char *app, const char *name)
{
	for (int i = 0; cc && i < cc->ngroups; i++)
		if (strcmp(cc->groups[i]->app, app) == 0 && strcmp(cc->groups[i]->name, name) == 0)
			return cc->groups[i];
	return NULL;
}

static int
parse_bg(const jr_val *v, cd_group *g, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	if ((rc = jr_object(v, &o, err)))
		return rc;
	if (jr_get(&o, "terminateBlueInstancesOnDeploymentSuccess", &x)) {
		jr_obj t;
		int action, minutes = -1;
		static const char *const actions[] = {"TERMINATE", "KEEP_ALIVE"};
		if ((rc = jr_object(&x, &t, err)) ||
		    (rc = jr_opt_enum(&t, "action", actions, 2, 0, &action, err)) ||
		    (rc = jr_opt_int32(&t, "terminationWaitTimeInMinutes", 0, 2880, -1, &minutes, err)) ||
		    (rc = jr_done(&t, err)))
			return rc;
		g->terminate = action == 0;
		g->termination_wait = minutes < 0 ? -1 : (sim_time)minutes * SIM_MIN;
	}
	if (jr_get(&o, "deploymentReadyOption", &x)) {
		jr_obj r;
		int action, minutes = 0;
		static const char *const actions[] = {"CONTINUE_DEPLOYMENT", "STOP_DEPLOYMENT"};
		if ((rc = jr_object(&x, &r, err)) ||
		    (rc = jr_opt_enum(&r, "actionOnTimeout", actions, 2, 0, &action, err)) ||
		    (rc = jr_opt_int32(&r, "waitTimeInMinutes", 0, 2880, 0, &minutes, err)) ||
		    (rc = jr_done(&r, err)))
			return rc;
		g->ready_stop = action == 1;
		g->ready_wait = (sim_time)minutes * SIM_MIN;
	}
	if (jr_get(&o, "greenFleetProvisioningOption", &x))
		return jr_fail(&x, err, "greenFleetProvisioningOption is for EC2 blue/green deployments, not ECS");
	return jr_done(&o, err);
}

static int
parse_lb_info(model_cfg *c, const jr_val *v, cd_group *g, sim_error *err)
{
	jr_obj o;
	jr_val x, pair;
	int rc, n;
	if ((rc = jr_object(v, &o, err)) || (rc = jr_need(&o, "targetGroupPairInfoList", &x, err)) ||
	    (rc = jr_array(&x, &n, err)))
		return rc;
	if (n != 1)
		return jr_fail(&x, err, "an ECS deployment group has exactly one target group pair, got %d", n);
	jr_elem(&x, 0, &pair);
	jr_obj p;
	jr_val tgs, r;
	if ((rc = jr_object(&pair, &p, err)) || (rc = jr_need(&p, "targetGroups", &tgs, err)) ||
	    (rc = jr_array(&tgs, &n, err)))
		return rc;
	if (n != 2)
		return jr_fail(&tgs, err, "a target group pair has 2 target groups, got %d", n);
	for (int i = 0; i < 2; i++) {
		jr_val e;
		jr_obj eo;
		jr_elem(&tgs, i, &e);
		if ((rc = jr_object(&e, &eo, err)) || (rc = jr_req_str(&eo, "name", &g->tg[i], err)) ||
		    (rc = jr_done(&eo, err)))
			return rc;
		if (c->target_group_exists == NULL || !c->target_group_exists(c, g->tg[i]))
			return jr_fail(&e, err, "target group \"%s\" is not defined in targetGroups", g->tg[i]);
	}
	if (strcmp(g->tg[0], g->tg[1]) == 0)
		return jr_fail(&tgs, err, "the two target groups of a pair must differ");
	if ((rc = jr_need(&p, "prodTrafficRoute", &r, err)))
		return rc;
	cfg_note(c, &r);
	if (jr_get(&p, "testTrafficRoute", &r)) {
		g->has_test = true;
		cfg_note(c, &r);
	}
	if ((rc = jr_done(&p, err)))
		return rc;
	if (jr_get(&o, "elbInfoList", &x) || jr_get(&o, "targetGroupInfoList", &x))
		return jr_fail(&x, err, "an ECS deployment group routes through targetGroupPairInfoList");
	return jr_done(&o, err);
}

static int
parse_rollback(const jr_val *v, bool *enabled, unsigned *events, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc, n;
	static const char *const names[] = {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"};
	if ((rc = jr_object(v, &o, err)) || (rc = jr_opt_bool(&o, "enabled", false, enabled, err)))
		return rc;
	*events = 0;
	if (jr_get(&o, "events", &x)) {
		if ((rc = jr_array(&x, &n, err)))
			return rc;
		for (int i = 0; i < n; i++) {
			jr_val e;
			int k;
			jr_elem(&x, i, &e);
			if ((rc = jr_enum(&e, names, 3, &k, err)))
				return rc;
			*events |= 1u << (unsigned)k;
		}
	}
	return jr_done(&o, err);
}

static int
parse_alarm_cfg(model_cfg *c, const jr_val *v, cd_group *g, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc, n;
	if ((rc = jr_object(v, &o, err)) || (rc = jr_opt_bool(&o, "enabled", false, &g->alarms_enabled, err)))
		return rc;
	if (jr_get(&o, "ignorePollAlarmFailure", &x))
		cfg_note(c, &x);
	if (jr_get(&o, "alarms", &x)) {
		if ((rc = jr_array(&x, &n, err)))
			return rc;
		g->alarms = ARENA_ARRAY(c->a, const char *, (size_t)(n ? n : 1));
		g->nalarms = n;
		for (int i = 0; i < n; i++) {
			jr_val e;
			jr_obj eo;
			jr_elem(&x, i, &e);
			if ((rc = jr_object(&e, &eo, err)) || (rc = jr_req_str(&eo, "name", &g->alarms[i], err)) ||
			    (rc = jr_done(&eo, err)))
				return rc;
		}
	}
	if ((rc = jr_done(&o, err)))
		return rc;
	if (g->alarms_enabled && g->nalarms > 0) {
		/* checked with the ECS deployment alarms once all are known */
		deploy_alarms *a = ARENA_NEW(c->a, deploy_alarms);
		a->names = g->alarms;
		a->n = g->nalarms;
		a->enable = true;
		a->pos = jr_where(v);
		if (c->nalarm_refs == c->capalarm_refs) {
			int cap = c->capalarm_refs ? 2 * c->capalarm_refs : 8;
			const deploy_alarms **na = ARENA_ARRAY(c->a, const deploy_alarms *, (size_t)cap);
			if (c->nalarm_refs)
				memcpy(na, c->alarm_refs, (size_t)c->nalarm_refs * sizeof(*na));
			c->alarm_refs = na;
			c->capalarm_refs = cap;
		}
		c->alarm_refs[c->nalarm_refs++] = a;
	}
	return 0;
}

/* The group's service: CODE_DEPLOY, one binding whose target group is one
 * of the pair; the other becomes the binding's second target group. */
static int
bind_service(model_cfg *c, const cd_group *g, const jr_val *at, sim_error *err)
{
	known_service *ks = cfg_known_service(c, g->cluster, g->service);
	if (ks == NULL || ks->deleted)
		return jr_fail(at, err, "deployment group \"%s\" names service \"%s\" of cluster \"%s\", which does not exist at this point of the scenario",
		    g->name, g->service, g->cluster);
	if (ks->cfg->controller != CTRL_CODE_DEPLOY)
		return jr_fail(at, err, "service \"%s\" uses the %s deployment controller; CodeDeploy deploys CODE_DEPLOY services",
		    g->service, dcfg_controller_name(ks->cfg->controller));
	lb_binding *b = &ks->cfg->lbs[0];
	char n0[300], n1[300], nb[300];
	dcfg_tg_name(g->tg[0], n0, sizeof(n0));
	dcfg_tg_name(g->tg[1], n1, sizeof(n1));
	dcfg_tg_name(b->target_group, nb, sizeof(nb));
	int k = strcmp(n0, nb) == 0 ? 0 : strcmp(n1, nb) == 0 ? 1 : -1;
	if (k < 0)
		return jr_fail(at, err, "service \"%s\" registers in target group \"%s\", which is not in the deployment group's pair (\"%s\", \"%s\")",
		    g->service, nb, n0, n1);
	b->alt_target_group = g->tg[1 - k];
	return 0;
}

/* create-deployment-group input */
static int
parse_group(model_cfg *c, const jr_val *v, sim_error *err)
{
	struct cd_cfg *cc = cdcfg(c);
	jr_obj o;
	jr_val x;
	int rc, n;
	cd_group *g = ARENA_NEW(c->a, cd_group);
	g->pos = jr_where(v);
	g->terminate = true;
	g->termination_wait = -1;
	if ((rc = jr_object(v, &o, err)) || (rc = jr_req_str(&o, "applicationName", &g->app, err)) ||
	    (rc = jr_req_str(&o, "deploymentGroupName", &g->name, err)))
		return rc;
	if (find_group(cc, g->app, g->name) != NULL) {
		jr_get(&o, "deploymentGroupName", &x);
		return jr_fail(&x, err, "deployment group \"%s\" of application \"%s\" is defined twice", g->name, g->app);
	}
	/* [DOC] the console's default for ECS */
	g->config = &predefined[0];
	if (jr_get(&o, "deploymentConfigName", &x) && (rc = config_ref(c, &x, &g->config, err)))
		return rc;
	if ((rc = jr_need(&o, "deploymentStyle", &x, err)))
		return rc;
	jr_obj st;
	int type, option;
	static const char *const types[] = {"BLUE_GREEN", "IN_PLACE"};
	static const char *const options[] = {"WITH_TRAFFIC_CONTROL", "WITHOUT_TRAFFIC_CONTROL"};
	if ((rc = jr_object(&x, &st, err)) || (rc = jr_req_enum(&st, "deploymentType", types, 2, &type, err)) ||
	    (rc = jr_req_enum(&st, "deploymentOption", options, 2, &option, err)) || (rc = jr_done(&st, err)))
		return rc;
	if (type != 0 || option != 0)
		return jr_fail(&x, err, "an ECS deployment group is BLUE_GREEN WITH_TRAFFIC_CONTROL");
	if (jr_get(&o, "blueGreenDeploymentConfiguration", &x) && (rc = parse_bg(&x, g, err)))
		return rc;
	if ((rc = jr_need(&o, "loadBalancerInfo", &x, err)) || (rc = parse_lb_info(c, &x, g, err)))
		return rc;
	if ((rc = jr_need(&o, "ecsServices", &x, err)) || (rc = jr_array(&x, &n, err)))
		return rc;
	if (n != 1)
		return jr_fail(&x, err, "an ECS deployment group deploys exactly one service, got %d", n);
	jr_val e;
	jr_obj eo;
	jr_elem(&x, 0, &e);
	if ((rc = jr_object(&e, &eo, err)) || (rc = jr_req_str(&eo, "serviceName", &g->service, err)) ||
	    (rc = jr_req_str(&eo, "clusterName", &g->cluster, err)) || (rc = jr_done(&eo, err)))
		return rc;
	if ((rc = bind_service(c, g, &e, err)))
		return rc;
	if (jr_get(&o, "autoRollbackConfiguration", &x) &&
	    (rc = parse_rollback(&x, &g->rb_enabled, &g->rb_events, err)))
		return rc;
	if (jr_get(&o, "alarmConfiguration", &x) && (rc = parse_alarm_cfg(c, &x, g, err)))
		return rc;
	if ((rc = jr_need(&o, "serviceRoleArn", &x, err)))
		return rc;
	static const char *const noted[] = {"serviceRoleArn", "triggerConfigurations", "tags",
	    "outdatedInstancesStrategy", "terminationHookEnabled"};
	for (int i = 0; i < NELEM(noted); i++)
		if (jr_get(&o, noted[i], &x))
			cfg_note(c, &x);
	static const char *const ec2_only[] = {"ec2TagFilters", "onPremisesInstanceTagFilters",
	    "autoScalingGroups", "ec2TagSet", "onPremisesTagSet"};
	for (int i = 0; i < NELEM(ec2_only); i++)
		if (jr_get(&o, ec2_only[i], &x))
			return jr_fail(&x, err, "%s is for EC2/on-premises deployment groups, not ECS", ec2_only[i]);
	if ((rc = jr_done(&o, err)))
		return rc;
	cc->groups = grow(c->a, cc->groups, cc->ngroups, &cc->capgroups, sizeof(*cc->groups));
	cc->groups[cc->ngroups++] = g;
	return 0;
}

static int
parse_section(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc, n;
	cdcfg(c);
	if ((rc = jr_object(v, &o, err)))
		return rc;
	if (jr_get(&o, "deploymentConfigs", &x)) {
		if ((rc = jr_array(&x, &n, err)))
			return rc;
		for (int i = 0; i < n; i++) {
			jr_val e;
			jr_elem(&x, i, &e);
			if ((rc = parse_config(c, &e, err)))
				return rc;
		}
	}
	if (jr_get(&o, "deploymentGroups", &x)) {
		if ((rc = jr_array(&x, &n, err)))
			return rc;
		for (int i = 0; i < n; i++) {
			jr_val e;
			jr_elem(&x, i, &e);
			if ((rc = parse_group(c, &e, err)))
				return rc;
		}
	}
	if (jr_get(&o, "applications", &x))
		cfg_note(c, &x);
	return jr_done(&o, err);
}

/* ---------------------------------------------------------------- */
/* codedeploy:CreateDeployment and the AppSpec.                      */

enum { EV_BEFORE_INSTALL, EV_AFTER_INSTALL, EV_AFTER_ALLOW_TEST, EV_BEFORE_ALLOW, EV_AFTER_ALLOW, EV_NHOOKS };
static const char *const hook_events[EV_NHOOKS] = {
	"BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic",
};

typedef struct cd_call {
	bool is_continue;
	const cd_group *g;
	const cd_config *config;
	const task_def *td;
	const char *hooks[EV_NHOOKS];
	bool rb_enabled;
	unsigned rb_events;
	bool termination;         /* ContinueDeployment TERMINATION_WAIT */
	const char *bad_version;  /* the AppSpec's version when not 0.0 */
	jr_pos pos;
} cd_call;

static int
parse_appspec(model_cfg *c, const jr_val *v, cd_call *call, const svc_cfg *sc,
    sim_error *err)
{
	jr_obj o;
	jr_val x, r;
	int rc, n;
	if ((rc = jr_object(v, &o, err)))
		return rc;
	/* [DOC] reference-appspec-file-structure: version is required and
	 * "currently, the only allowed value is 0.0". CodeDeploy accepts the
	 * deployment and fails it [OBS: the message of apply's failure]; as a
	 * string or (the JSON examples) a number. */
	jr_describe(&o, "version", "0.0 (a number, or the string \"0.0\"); CodeDeploy fails a deployment whose AppSpec gives another version or none");
	if (!jr_get(&o, "version", &x)) {
		call->bad_version = "(none)";
	} else if ((rc = jr_resolve(&x, &x, err))) {
		return rc;
	} else if (cJSON_IsNumber(x.node)) {
		double ver;
		if ((rc = jr_num(&x, -DBL_MAX, DBL_MAX, &ver, err)))
			return rc;
		if (ver != 0.0)
			call->bad_version = arena_printf(c->a, "%g", ver);
	} else if (cJSON_IsString(x.node)) {
		const char *ver;
		if ((rc = jr_str(&x, &ver, err)))
			return rc;
		if (strcmp(ver, "0.0") != 0)
			call->bad_version = ver;
	} else {
		call->bad_version = "?";
	}
	if ((rc = jr_need(&o, "Resources", &x, err)) || (rc = jr_array(&x, &n, err)))
		return rc;
	if (n != 1)
		return jr_fail(&x, err, "an ECS AppSpec has exactly one resource (TargetService), got %d", n);
	jr_elem(&x, 0, &r);
	jr_obj ro, to, po;
	jr_val ts, props, y;
	const char *type, *tdref;
	if ((rc = jr_object(&r, &ro, err)) || (rc = jr_need(&ro, "TargetService", &ts, err)) ||
	    (rc = jr_done(&ro, err)) || (rc = jr_object(&ts, &to, err)) ||
	    (rc = jr_req_str(&to, "Type", &type, err)) || (rc = jr_need(&to, "Properties", &props, err)) ||
	    (rc = jr_done(&to, err)))
		return rc;
	if (strcmp(type, "AWS::ECS::Service") != 0) {
		jr_get(&to, "Type", &y);
		return jr_fail(&y, err, "the target service of an ECS AppSpec has Type AWS::ECS::Service, got \"%s\"", type);
	}
	if ((rc = jr_object(&props, &po, err)) || (rc = jr_req_str(&po, "TaskDefinition", &tdref, err)))
		return rc;
	jr_get(&po, "TaskDefinition", &y);
	if (strcmp(tdref, "<TASK_DEFINITION>") == 0) {
		/* [DOC CodePipeline ECS blue/green action] the placeholder is the
		 * task definition the pipeline registered: the family's latest */
		call->td = cfg_resolve_td(c, sc->td->family, c->ntds);
	} else {
		if ((rc = cfg_check_template(&y, tdref, err)))
			return rc;
		call->td = cfg_resolve_td(c, tdref, c->ntds);
	}
	if (call->td == NULL)
		return jr_fail(&y, err, "task definition \"%s\" is not registered at this point of the scenario", tdref);
	jr_val lb;
	jr_obj lo;
	const char *cn;
	int port;
	if ((rc = jr_need(&po, "LoadBalancerInfo", &lb, err)) || (rc = jr_object(&lb, &lo, err)) ||
	    (rc = jr_req_str(&lo, "ContainerName", &cn, err)) ||
	    (rc = jr_req_int32(&lo, "ContainerPort", 1, 65535, &port, err)) || (rc = jr_done(&lo, err)))
		return rc;
	const lb_binding *b = &sc->lbs[0];
	if (strcmp(cn, b->container_name) != 0 || port != b->container_port)
		return jr_fail(&lb, err, "the service's load balancer serves %s:%d, the AppSpec names %s:%d",
		    b->container_name, b->container_port, cn, port);
	bool found = false;
	for (int k = 0; k < call->td->ncontainers; k++)
		if (strcmp(call->td->containers[k].name, cn) == 0)
			for (int p = 0; p < call->td->containers[k].nports; p++)
				found |= call->td->containers[k].ports[p].container_port == port;
	if (!found)
		return jr_fail(&lb, err, "task definition %s:%d has no container \"%s\" with containerPort %d",
		    call->td->family, call->td->revision, cn, port);
	static const char *const noted[] = {"PlatformVersion", "NetworkConfiguration", "CapacityProviderStrategy"};
	for (int i = 0; i < NELEM(noted); i++)
		if (jr_get(&po, noted[i], &y))
			cfg_note(c, &y);
	if ((rc = jr_done(&po, err)))
		return rc;
	if (jr_get(&o, "Hooks", &x)) {
		if ((rc = jr_array(&x, &n, err)))
			return rc;
		for (int i = 0; i < n; i++) {
			jr_val e, f;
			jr_obj eo;
			jr_elem(&x, i, &e);
			if ((rc = jr_object(&e, &eo, err)))
				return rc;
			if (jr_member_count(&eo) == 0)
				return jr_fail(&e, err, "a Hooks entry names a lifecycle event and its Lambda function");
			/* [INF] one event per entry in AWS's examples; an entry
			 * naming several (seen in public AppSpecs) reads as several */
			for (int j = 0; j < jr_member_count(&eo); j++) {
				jr_member(&eo, j, &f);
				const char *ev = f.node->string;
				int k;
				for (k = 0; k < EV_NHOOKS && strcmp(hook_events[k], ev) != 0; k++)
					;
				if (k == EV_NHOOKS)
					return jr_fail(&f, err, "\"%s\" is not a hookable ECS lifecycle event (BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic)",
					    ev);
				if (call->hooks[k] != NULL)
					return jr_fail(&f, err, "lifecycle event %s has a hook already", ev);
				if ((rc = jr_str(&f, &call->hooks[k], err)) || (rc = cfg_check_template(&f, call->hooks[k], err)))
					return rc;
			}
		}
	}
	return jr_done(&o, err);
}

static int
parse_create(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	struct cd_cfg *cc = cdcfg(c);
	jr_obj o;
	jr_val x;
	int rc;
	const char *app, *group;
	cd_call *call = ARENA_NEW(c->a, cd_call);
	call->pos = jr_where(in);
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "applicationName", &app, err)) ||
	    (rc = jr_req_str(&o, "deploymentGroupName", &group, err)))
		return rc;
	if ((call->g = find_group(cc, app, group)) == NULL) {
		jr_get(&o, "deploymentGroupName", &x);
		return jr_fail(&x, err, "deployment group \"%s\" of application \"%s\" is not defined (codeDeploy.deploymentGroups)",
		    group, app);
	}
	const cd_group *g = call->g;
	known_service *ks = cfg_known_service(c, g->cluster, g->service);
	if (ks == NULL || ks->deleted || ks->cfg->controller != CTRL_CODE_DEPLOY)
		return jr_fail(in, err, "deployment group \"%s\" deploys service \"%s\", which is not a CODE_DEPLOY service at this point of the scenario",
		    g->name, g->service);
	if ((rc = bind_service(c, g, in, err)))
		return rc;
	call->config = g->config;
	if (jr_get(&o, "deploymentConfigName", &x) && (rc = config_ref(c, &x, &call->config, err)))
		return rc;
	call->rb_enabled = g->rb_enabled;
	call->rb_events = g->rb_events;
	if (jr_get(&o, "autoRollbackConfiguration", &x) &&
	    (rc = parse_rollback(&x, &call->rb_enabled, &call->rb_events, err)))
		return rc;
	/* revision: the AppSpec inline */
	jr_val rev, y, content;
	jr_obj ro, ao;
	const char *rtype;
	if ((rc = jr_need(&o, "revision", &rev, err)) || (rc = jr_object(&rev, &ro, err)) ||
	    (rc = jr_req_str(&ro, "revisionType", &rtype, err)))
		return rc;
	if (strcmp(rtype, "AppSpecContent") != 0) {
		jr_get(&ro, "revisionType", &y);
		return jr_fail(&y, err, "ecsim reads the AppSpec inline: revisionType AppSpecContent (with appSpecContent.content), got %s",
		    rtype);
	}
	if ((rc = jr_need(&ro, "appSpecContent", &y, err)) || (rc = jr_object(&y, &ao, err)) ||
	    (rc = jr_need(&ao, "content", &content, err)))
		return rc;
	if (jr_get(&ao, "sha256", &x))
		cfg_note(c, &x);
	if ((rc = jr_done(&ao, err)) || (rc = jr_done(&ro, err)))
		return rc;
	if (cJSON_IsString(content.node)) {
		const char *text;
		if ((rc = jr_str(&content, &text, err)))
			return rc;
		const char *p = text;
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (*p != '{')
			return jr_fail(&content, err, "the AppSpec content is not JSON (YAML?): ecsim reads the JSON form of an AppSpec");
		jr_val root;
		jr_pos pos = jr_where(&content);
		char *name = arena_printf(c->a, "%s (%s)", pos.file, pos.path);
		if ((rc = jr_load_text(content.L, name, text, &root, err)))
			return rc;
		/* the parsed text keeps content's place (as a {"file": ...}
		 * reference does): paths in messages, and the reference
		 * (sim/refgen), see it where the object form stands */
		root.parent = content.parent;
		root.key = content.key;
		root.index = content.index;
		if ((rc = parse_appspec(c, &root, call, ks->cfg, err)))
			return rc;
	} else if ((rc = parse_appspec(c, &content, call, ks->cfg, err))) {
		return rc;
	}
	static const char *const noted[] = {"description", "ignoreApplicationStopFailures",
	    "fileExistsBehavior", "updateOutdatedInstancesOnly", "overrideAlarmConfiguration"};
	for (int i = 0; i < NELEM(noted); i++)
		if (jr_get(&o, noted[i], &x))
			cfg_note(c, &x);
	if ((rc = jr_done(&o, err)))
		return rc;
	cc->deployments = true;
	*typed = call;
	return 0;
}

static int
parse_continue(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	struct cd_cfg *cc = cdcfg(c);
	jr_obj o;
	jr_val x;
	int rc, k;
	const char *app = NULL, *group = NULL, *id = NULL;
	static const char *const waits[] = {"READY_WAIT", "TERMINATION_WAIT"};
	cd_call *call = ARENA_NEW(c->a, cd_call);
	call->is_continue = true;
	call->pos = jr_where(in);
	if ((rc = jr_object(in, &o, err)) || (rc = jr_opt_str(&o, "deploymentId", NULL, &id, err)) ||
	    (rc = jr_opt_str(&o, "applicationName", NULL, &app, err)) ||
	    (rc = jr_opt_str(&o, "deploymentGroupName", NULL, &group, err)) ||
	    (rc = jr_opt_enum(&o, "deploymentWaitType", waits, 2, 0, &k, err)))
		return rc;
	/* deployment IDs are generated: ecsim names the deployment by its
	 * group (its only one in progress) */
	if (app == NULL || group == NULL)
		return jr_fail(in, err, "name the deployment by its applicationName and deploymentGroupName (ecsim generates deployment IDs)");
	if ((call->g = find_group(cc, app, group)) == NULL) {
		jr_get(&o, "deploymentGroupName", &x);
		return jr_fail(&x, err, "deployment group \"%s\" of application \"%s\" is not defined (codeDeploy.deploymentGroups)",
		    group, app);
	}
	if (id != NULL) {
		jr_get(&o, "deploymentId", &x);
		cfg_note(c, &x);
	}
	call->termination = k == 1;
	if ((rc = jr_done(&o, err)))
		return rc;
	*typed = call;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Running a deployment.                                             */

typedef enum cd_step {
	S_BEFORE_INSTALL,
	S_INSTALL,
	S_AFTER_INSTALL,
	S_ALLOW_TEST,
	S_AFTER_ALLOW_TEST,
	S_READY,                  /* STOP_DEPLOYMENT: waiting for ContinueDeployment */
	S_BEFORE_ALLOW,
	S_ALLOW,
	S_AFTER_ALLOW,
	S_TERMINATION_WAIT,
	S_TERMINATE,
	S_DONE,
} cd_step;

static const char *const step_names[] = {
	"BeforeInstall", "Install", "AfterInstall", "AllowTestTraffic", "AfterAllowTestTraffic",
	"Ready", "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic", "TerminationWait",
	"TerminateOriginalTaskSet", "",
};

typedef struct cd_run {
	service *s;
	const cd_call *call;
	char id[16];              /* d-XXXXXXXXX */
	deployment *orig, *repl;
	cd_step step;
	bool waiting;             /* on task sets, a timer or hooks */
	int shifts, nshifts;
	hk_batch *hooks;
	evq_handle ev;            /* timers: bake, install timeout, ready wait */
	evq_handle scale_ev;      /* the 5-minute rule */
	dal_watch *watch;
	rec_fact *sf;
	sim_time stage_start;
	bool finished;
	struct cd_run *next;
} cd_run;

struct cd_svc {
	cd_run *runs;             /* newest first */
};

static void cd_enter(cd_run *r, cd_step st);
static void cd_after_hooks(cd_run *r);
static void cd_fail(cd_run *r, const char *why, unsigned event, const char *status);

static cd_run *
active_run(const service *s)
{
	for (cd_run *r = s->cd ? s->cd->runs : NULL; r; r = r->next)
		if (!r->finished)
			return r;
	return NULL;
}

static void
cd_note(cd_run *r, const char *text)
{
	model *m = r->s->m;
	char *src = arena_printf(m->a, "codedeploy/%s", r->call->g->name);
	rec_event_add(m->rec, eng_now(m->eng), src, "deployment", "deployment %s: %s", r->id, text);
}

static void
close_stage(cd_run *r)
{
	if (r->sf == NULL)
		return;
	sim_time now = eng_now(r->s->m->eng);
	rec_fact_time(r->sf, "end", now);
	rec_fact_time(r->sf, "duration", now - r->stage_start);
	double w = dpl_weight_of(r->repl);
	rec_fact_num(r->sf, "productionPercent", w < 0 ? 0 : w);
	r->sf = NULL;
}

static void
open_stage(cd_run *r, const char *name)
{
	model *m = r->s->m;
	close_stage(r);
	deployment *d = r->repl;
	rec_fact *f = r->sf = rec_fact_new(m->rec, "deployment_stage");
	rec_fact_str(f, "service", r->s->name);
	rec_fact_str(f, "deployment", d->id);
	rec_fact_str(f, "taskDefinition", arena_printf(m->a, "%s:%d", d->td->family, d->td->revision));
	rec_fact_str(f, "strategy", r->call->config->name);
	rec_fact_str(f, "stage", name);
	r->stage_start = eng_now(m->eng);
	rec_fact_time(f, "start", r->stage_start);
	rec_fact_str(d->fact, "lifecycleStage", name);
	cd_note(r, arena_printf(m->a, "lifecycle event %s", name));
}

/* Production (test) percent to the replacement task set. */
static void
cd_shift(cd_run *r, double prod, double test, const char *why)
{
	int g = r->repl->slot;
	double p[2], t[2];
	p[g] = prod;
	p[1 - g] = 100.0 - prod;
	t[g] = test;
	t[1 - g] = 100.0 - test;
	dpl_shift(r->s, p[0], p[1], t[0], t[1], false, why);
}

static void
on_hooks(void *ctx, bool proceed, const char *why)
{
	cd_run *r = ctx;
	r->hooks = NULL;
	r->waiting = false;
	if (!proceed) {
		cd_fail(r, why, RB_FAILURE, "Failed");
		return;
	}
	cd_after_hooks(r);
}

static bool
run_hook(cd_run *r, int ev)
{
	r->hooks = hk_run_codedeploy(r->repl, hook_events[ev], r->call->hooks[ev], on_hooks, r);
	if (r->hooks == NULL)
		return false;
	r->waiting = true;
	return true;
}

static void
timer(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	cd_run *r = obj;
	r->ev = EVQ_NONE;
	r->waiting = false;
	switch (r->step) {
	case S_INSTALL:
		/* [DOC] the replacement did not reach steady state in time */
		cd_fail(r, "the replacement task set did not reach a steady state within 1 hour", RB_FAILURE, "Failed");
		return;
	case S_READY:
		/* [DOC] not rerouted in time: the deployment is Stopped */
		cd_fail(r, "traffic rerouting was not started within the wait time", RB_REQUEST, "Stopped");
		return;
	case S_ALLOW:
		cd_enter(r, S_ALLOW);
		return;
	case S_TERMINATION_WAIT:
		cd_enter(r, S_TERMINATE);
		return;
	default:
		return;
	}
}

static double
route_pct(const cd_run *r, int k)
{
	const cd_config *c = r->call->config;
	if (c->type == CD_ALL_AT_ONCE || k >= r->nshifts)
		return 100.0;
	return c->type == CD_CANARY ? c->percent : (double)(c->percent * k);
}

static void
finish(cd_run *r, bool ok, const char *status, const char *reason)
{
	service *s = r->s;
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	deployment *d = r->repl;
	close_stage(r);
	r->finished = true;
	r->waiting = false;
	eng_cancel_clear(m->eng, &r->ev);
	eng_cancel_clear(m->eng, &r->scale_ev);
	dal_unwatch(r->watch);
	r->watch = NULL;
	rec_fact_str(d->fact, "codeDeployStatus", status);
	if (d->rollout == ROLLOUT_IN_PROGRESS) {
		d->rollout = ok ? ROLLOUT_COMPLETED : ROLLOUT_FAILED;
		d->finished_at = now;
		d->reason = reason;
		rec_fact_str(d->fact, "rolloutState", ok ? "COMPLETED" : "FAILED");
		rec_fact_time(d->fact, "end", now);
		rec_fact_time(d->fact, "duration", now - d->created_at);
	}
	cd_note(r, arena_printf(m->a, "%s", status));
}

static void
cd_fail(cd_run *r, const char *why, unsigned event, const char *status)
{
	service *s = r->s;
	model *m = s->m;
	if (r->finished)
		return;
	hk_cancel(r->hooks);
	r->hooks = NULL;
	bool rollback = r->call->rb_enabled && (r->call->rb_events & event) != 0;
	rec_fact_str(r->repl->fact, "failure", why);
	if (rollback && r->step <= S_TERMINATION_WAIT) {
		/* [DOC] rollback: traffic back to the original task set, the
		 * replacement deleted */
		open_stage(r, "Rollback");
		cd_shift(r, 0, 0, "CodeDeploy rollback");
		ts_make_primary(r->orig);
		ts_delete(r->repl);
		rec_fact_bool(r->repl->fact, "rollback", true);
		rec_fact_str(r->repl->fact, "rollbackTarget", r->orig->id);
	}
	finish(r, false, status, arena_printf(m->a, "CodeDeploy deployment %s %s: %s", r->id, status, why));
	svc_kick(s);
}

static void
cd_enter(cd_run *r, cd_step st)
{
	service *s = r->s;
	model *m = s->m;
	if (r->finished)
		return;
	r->step = st;
	r->waiting = false;
	const cd_group *g = r->call->g;
	switch (st) {
	case S_BEFORE_INSTALL:
		open_stage(r, step_names[st]);
		if (!run_hook(r, EV_BEFORE_INSTALL))
			cd_after_hooks(r);
		return;
	case S_INSTALL:
		open_stage(r, step_names[st]);
		/* the replacement task set at 100 % of the desired count */
		ts_set_scale(r->repl, 100.0);
		r->waiting = true;
		r->ev = eng_after(m->eng, SIM_HOUR, timer, r, 0);
		return;
	case S_AFTER_INSTALL:
		open_stage(r, step_names[st]);
		if (!run_hook(r, EV_AFTER_INSTALL))
			cd_after_hooks(r);
		return;
	case S_ALLOW_TEST:
		open_stage(r, step_names[st]);
		if (g->has_test)
			cd_shift(r, 0, 100.0, step_names[st]);
		cd_enter(r, S_AFTER_ALLOW_TEST);
		return;
	case S_AFTER_ALLOW_TEST:
		open_stage(r, step_names[st]);
		/* [DOC] reference-appspec-file-example: "If you do not specify a
		 * test listener in your deployment group, this hook is ignored." */
		if (!g->has_test || !run_hook(r, EV_AFTER_ALLOW_TEST))
			cd_after_hooks(r);
		return;
	case S_READY:
		open_stage(r, step_names[st]);
		rec_fact_str(r->repl->fact, "codeDeployStatus", "Ready");
		r->waiting = true;
		r->ev = eng_after(m->eng, g->ready_wait, timer, r, 0);
		return;
	case S_BEFORE_ALLOW:
		open_stage(r, step_names[st]);
		if (!run_hook(r, EV_BEFORE_ALLOW))
			cd_after_hooks(r);
		return;
	case S_ALLOW: {
		if (r->shifts == 0)
			open_stage(r, step_names[st]);
		r->shifts++;
		double pct = route_pct(r, r->shifts);
		cd_shift(r, pct, g->has_test ? 100.0 : 0, arena_printf(m->a, "%s step %d of %d",
		    step_names[st], r->shifts, r->nshifts));
		if (r->shifts < r->nshifts) {
			r->waiting = true;
			r->ev = eng_after(m->eng, r->call->config->interval, timer, r, 0);
			return;
		}
		cd_enter(r, S_AFTER_ALLOW);
		return;
	}
	case S_AFTER_ALLOW:
		open_stage(r, step_names[st]);
		if (!run_hook(r, EV_AFTER_ALLOW))
			cd_after_hooks(r);
		return;
	case S_TERMINATION_WAIT: {
		open_stage(r, step_names[st]);
		sim_time wait = g->termination_wait >= 0 ? g->termination_wait : dpl_params_of(m->cfg)->cd_termination_wait;
		r->waiting = true;
		r->ev = eng_after(m->eng, wait, timer, r, 0);
		return;
	}
	case S_TERMINATE:
		open_stage(r, step_names[st]);
		ts_delete(r->orig);
		r->waiting = true;
		svc_kick(s);
		return;
	case S_DONE:
		finish(r, true, "Succeeded", arena_printf(m->a, "CodeDeploy deployment %s Succeeded", r->id));
		return;
	}
}

/* The step's hooks are done (or it has none): what follows. */
static void
cd_after_hooks(cd_run *r)
{
	model *m = r->s->m;
	const cd_group *g = r->call->g;
	switch (r->step) {
	case S_BEFORE_INSTALL:
		cd_enter(r, S_INSTALL);
		return;
	case S_AFTER_INSTALL:
		cd_enter(r, S_ALLOW_TEST);
		return;
	case S_AFTER_ALLOW_TEST:
		cd_enter(r, g->ready_stop ? S_READY : S_BEFORE_ALLOW);
		return;
	case S_BEFORE_ALLOW:
		r->shifts = 0;
		cd_enter(r, S_ALLOW);
		return;
	case S_AFTER_ALLOW:
		/* the replacement is the primary task set now */
		ts_make_primary(r->repl);
		if (!g->terminate) {
			/* KEEP_ALIVE: the original stays [INF: at its scale] */
			finish(r, true, "Succeeded", arena_printf(m->a, "CodeDeploy deployment %s Succeeded", r->id));
			return;
		}
		cd_enter(r, S_TERMINATION_WAIT);
		return;
	default:
		return;
	}
}

void
cd_progress(service *s)
{
	cd_run *r = active_run(s);
	if (r == NULL || !r->waiting)
		return;
	if (r->step == S_INSTALL && ts_stable(r->repl)) {
		eng_cancel_clear(s->m->eng, &r->ev);
		cd_enter(r, S_AFTER_INSTALL);
	} else if (r->step == S_TERMINATE && r->orig->ntasks == 0) {
		cd_enter(r, S_DONE);
	}
}

static void
scale_check(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	cd_run *r = obj;
	r->scale_ev = EVQ_NONE;
	if (r->finished)
		return;
	/* [DOC] 5 minutes after a scaling event during the traffic shift */
	if (!ts_stable(r->orig) || !ts_stable(r->repl))
		cd_fail(r, "a scaling event during the traffic shift: the task sets did not reach a steady state within 5 minutes",
		    RB_FAILURE, "Failed");
}

void
cd_desired_changed(service *s)
{
	cd_run *r = active_run(s);
	if (r == NULL || r->step != S_ALLOW || eng_is_pending(s->m->eng, r->scale_ev))
		return;
	r->scale_ev = eng_after(s->m->eng, 5 * SIM_MIN, scale_check, r, 0);
}

static void
alarm_fired(void *ctx, const char *name)
{
	cd_run *r = ctx;
	rec_fact_str(r->repl->fact, "alarmTriggered", name);
	/* [DOC] an activated alarm stops the deployment */
	cd_fail(r, arena_printf(r->s->m->a, "alarm %s entered ALARM", name), RB_ALARM, "Stopped");
}

static int
apply(model *m, void *typed, sim_error *err)
{
	(void)err;
	const cd_call *call = typed;
	const cd_group *g = call->g;
	service *s = model_find_service(m, g->cluster, g->service);
	char *src = arena_printf(m->a, "codedeploy/%s", g->name);
	if (s == NULL || s->deleted)
		return 0;
	cd_run *cur = active_run(s);
	if (call->is_continue) {
		if (cur == NULL) {
			rec_event_add(m->rec, eng_now(m->eng), src, "deployment",
			    "codedeploy:ContinueDeployment rejected: no deployment in progress");
		} else if (!call->termination && cur->step == S_READY) {
			eng_cancel_clear(m->eng, &cur->ev);
			cd_enter(cur, S_BEFORE_ALLOW);
		} else if (call->termination && cur->step == S_TERMINATION_WAIT) {
			eng_cancel_clear(m->eng, &cur->ev);
			cd_enter(cur, S_TERMINATE);
		} else {
			rec_event_add(m->rec, eng_now(m->eng), src, "deployment",
			    "codedeploy:ContinueDeployment rejected: deployment %s is not waiting (%s)", cur->id,
			    step_names[cur->step]);
		}
		return 0;
	}
	if (cur != NULL) {
		/* [DOC] one deployment per deployment group at a time */
		rec_event_add(m->rec, eng_now(m->eng), src, "deployment",
		    "codedeploy:CreateDeployment rejected: DeploymentLimitExceededException (deployment %s in progress)",
		    cur->id);
		return 0;
	}
	deployment *orig = NULL;
	for (deployment *d = s->deps; d; d = d->next)
		if (d->set && d->status == DEP_PRIMARY)
			orig = d;
	if (orig == NULL)
		return 0;
	if (s->cd == NULL)
		s->cd = arena_calloc(m->a, 1, sizeof(*s->cd));
	cd_run *r = arena_calloc(m->a, 1, sizeof(*r));
	r->s = s;
	r->call = call;
	char hex[12];
	model_make_hex_id(m, "codedeploy", hex, 9);
	for (int i = 0; i < 9; i++)
		hex[i] = (char)(hex[i] >= 'a' ? hex[i] - 'a' + 'A' : hex[i]);
	snprintf(r->id, sizeof(r->id), "d-%s", hex);
	r->orig = orig;
	const cd_config *cfg = call->config;
	r->nshifts = cfg->type == CD_ALL_AT_ONCE ? 1 : cfg->type == CD_CANARY ? 2 :
	    (100 + cfg->percent - 1) / cfg->percent;
	r->next = s->cd->runs;
	s->cd->runs = r;
	/* the replacement task set: the pair's other target group, no task
	 * before Install */
	r->repl = ts_create(s, call->td, 1 - orig->slot, 0, NULL, "codedeploy:CreateDeployment");
	deployment *d = r->repl;
	rec_fact_str(d->fact, "controller", "CODE_DEPLOY");
	rec_fact_str(d->fact, "strategy", cfg->name);
	rec_fact_str(d->fact, "codeDeployDeploymentId", r->id);
	rec_fact_str(d->fact, "deploymentGroup", g->name);
	rec_fact_str(d->fact, "codeDeployStatus", "InProgress");
	rec_fact_int(d->fact, "productionShifts", r->nshifts);
	if (g->alarms_enabled && g->nalarms > 0)
		r->watch = dal_watch_new(m, g->alarms, g->nalarms, alarm_fired, r);
	rec_event_add(m->rec, eng_now(m->eng), src, "deployment",
	    "codedeploy:CreateDeployment: deployment %s of %s:%d (%s)", r->id, call->td->family,
	    call->td->revision, cfg->name);
	if (call->bad_version != NULL) {
		/* [OBS] CodeDeploy's error: nothing is installed */
		const char *msg = arena_printf(m->a,
		    "The deployment failed because an invalid version value (%s) was entered in the application "
		    "specification file. Make sure your AppSpec file specifies \"0.0\" as the version, and then try again.",
		    call->bad_version);
		ts_delete(r->repl);
		rec_fact_str(d->fact, "failure", msg);
		cd_note(r, msg);
		finish(r, false, "Failed", msg);
		svc_kick(s);
		return 0;
	}
	/* production and test traffic on the original until the shifts */
	cd_shift(r, 0, 0, "CodeDeploy deployment start");
	cd_enter(r, S_BEFORE_INSTALL);
	return 0;
}

void
cd_register(model_cfg *c, scn_spec *sp)
{
	scn_spec_add_section(sp, "codeDeploy", parse_section, c);
	cfg_add_call(c, sp, "codedeploy:CreateDeployment", parse_create, apply);
	cfg_add_call(c, sp, "codedeploy:ContinueDeployment", parse_continue, apply);
}
