/*
 * service_cfg — services from `create-service` input (or one element of
 * `describe-services` output) and `update-service` input, validated
 * against the task definitions and clusters known at that point of the
 * scenario.
 *
 * Rules enforced here, with their sources:
 *  [DOC] REPLICA defaults 100/200; maximumPercent below 100 is rejected
 *        for REPLICA; DAEMON requires maximumPercent 100 and defaults
 *        minimumHealthyPercent to 0 (API DeploymentConfiguration).
 *  [DOC] launchType and capacityProviderStrategy are mutually exclusive.
 *  [DOC] DAEMON is not supported on Fargate; placement strategies and
 *        constraints are not supported on Fargate.
 *  [DOC] a load balancer's container name and port must exist in the task
 *        definition.
 */
#include <string.h>

#include "model/ecs/capacity_provider.h"
#include "model/ecs/ecs_cfg.h"
#include "model/ecs/placement.h"

static const char *const svc_noeffect[] = {
	"networkConfiguration", "platformVersion", "role", "serviceRegistries",
	"tags", "propagateTags", "enableECSManagedTags", "enableExecuteCommand",
	"serviceConnectConfiguration", "volumeConfigurations",
	"availabilityZoneRebalancing", "vpcLatticeConfigurations",
	"platformFamily",
};

static const char *const svc_readonly[] = {
	"serviceArn", "status", "runningCount", "pendingCount",
	"deployments", "events", "createdAt", "createdBy", "roleArn",
	"taskSets", "deploymentControllerType", "taskDefinitionArn",
	"currentServiceDeployment", "currentServiceRevisions",
	"resourceManagementType",
};

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const launch_types[] = {"EC2", "FARGATE", "EXTERNAL"};

static int
parse_breaker(const jr_val *v, deploy_cfg *dc, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	/* [DOC] enable and rollback are both required. */
	if ((rc = jr_need(&o, "enable", &x, err)) || (rc = jr_bool(&x, &dc->cb_enable, err)) ||
	    (rc = jr_need(&o, "rollback", &x, err)) || (rc = jr_bool(&x, &dc->cb_rollback, err)))
		return rc;
	/* [DOC 2026-07] configurable breaker. */
	if ((rc = jr_opt_bool(&o, "resetOnHealthyTask", true, &dc->cb_reset_on_healthy, err)))
		return rc;
	if (jr_get(&o, "thresholdConfiguration", &x)) {
		static const char *const types[] = {"COUNT", "BOUNDED_PERCENT", "UNBOUNDED_PERCENT"};
		jr_obj t;
		if ((rc = jr_object(&x, &t, err)) ||
		    (rc = jr_opt_enum(&t, "type", types, 3, CB_BOUNDED_PERCENT, &dc->cb_threshold_type, err)) ||
		    (rc = jr_opt_num(&t, "value", 1, 100000, 50, &dc->cb_threshold_value, err)) ||
		    (rc = jr_done(&t, err)))
			return rc;
	}
	return jr_done(&o, err);
}

static int
parse_deploy_cfg(model_cfg *c, const jr_val *v, deploy_cfg *dc, bool daemon,
    sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	if (jr_get(&o, "maximumPercent", &x)) {
		if ((rc = jr_int32(&x, daemon ? 100 : 100, daemon ? 100 : 2147483647,
		    &dc->maximum_percent, err)) != 0) {
			if (daemon)
				return jr_fail(&x, err, "a DAEMON service requires maximumPercent 100, got %s",
				    jr_to_json(&x));
			return jr_fail(&x, err,
			    "maximumPercent must be at least 100 for a REPLICA service (it bounds RUNNING+PENDING tasks as a percentage of desiredCount), got %s",
			    jr_to_json(&x));
		}
	}
	if (jr_get(&o, "minimumHealthyPercent", &x) &&
	    (rc = jr_int32(&x, 0, 100, &dc->minimum_healthy_percent, err)) != 0)
		return rc;
	if (jr_get(&o, "deploymentCircuitBreaker", &x) && (rc = parse_breaker(&x, dc, err)) != 0)
		return rc;
	if (jr_get(&o, "strategy", &x)) {
		static const char *const strategies[] = {"ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"};
		int k;
		if ((rc = jr_enum(&x, strategies, 4, &k, err)) != 0)
			return rc;
		if (k != 0)
			return jr_fail(&x, err, "deployment strategy %s is not simulated yet; ecsim models ROLLING",
			    strategies[k]);
	}
	if (jr_get(&o, "alarms", &x)) {
		/* Alarm-based rollback is on the roadmap; an enabled one would
		 * silently change nothing, so it is refused. */
		jr_obj a;
		bool enable = false;
		if ((rc = jr_object(&x, &a, err)) || (rc = jr_opt_bool(&a, "enable", false, &enable, err)))
			return rc;
		jr_ignore(&a, "alarmNames");
		jr_ignore(&a, "rollback");
		if ((rc = jr_done(&a, err)))
			return rc;
		if (enable)
			return jr_fail(&x, err, "CloudWatch alarm deployment detection is not simulated yet; set enable to false or remove it");
		cfg_note(c, &x);
	}
	return jr_done(&o, err);
}

static int
parse_lbs(model_cfg *c, const jr_val *v, svc_cfg *s, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	/* [DOC] at most 5 target groups per service. */
	if (n > 5)
		return jr_fail(v, err, "a service may have at most 5 load balancer entries, got %d", n);
	s->lbs = ARENA_ARRAY(c->a, lb_binding, (size_t)(n ? n : 1));
	s->nlbs = n;
	for (int i = 0; i < n; i++) {
		jr_val e, x;
		jr_obj o;
		lb_binding *b = &s->lbs[i];
		jr_elem(v, i, &e);
		if ((rc = jr_object(&e, &o, err)) != 0)
			return rc;
		if (jr_get(&o, "targetGroupArn", &x)) {
			if ((rc = jr_str(&x, &b->target_group, err)) != 0)
				return rc;
		} else if (jr_get(&o, "loadBalancerName", &x)) {
			return jr_fail(&x, err, "Classic Load Balancers are not simulated; use targetGroupArn");
		} else {
			return jr_fail(&e, err, "missing required key 'targetGroupArn'");
		}
		if (c->target_group_exists == NULL || !c->target_group_exists(c, b->target_group)) {
			jr_get(&o, "targetGroupArn", &x);
			return jr_fail(&x, err, "target group \"%s\" is not defined in targetGroups", b->target_group);
		}
		if ((rc = jr_req_str(&o, "containerName", &b->container_name, err)) ||
		    (rc = jr_req_int32(&o, "containerPort", 1, 65535, &b->container_port, err)))
			return rc;
		jr_ignore(&o, "advancedConfiguration");
		if ((rc = jr_done(&o, err)) != 0)
			return rc;
	}
	return 0;
}

/* The container name and port of each binding exist in the definition.
 * Positions: the bindings' own elements when lbv is given, else fallback
 * (an update that changes only the task definition). */
static int
check_lbs(const svc_cfg *s, const jr_val *lbv, const jr_val *fallback,
    sim_error *err)
{
	const task_def *td = s->td;
	for (int i = 0; i < s->nlbs; i++) {
		const lb_binding *b = &s->lbs[i];
		const container_def *cd = NULL;
		for (int k = 0; k < td->ncontainers; k++)
			if (strcmp(td->containers[k].name, b->container_name) == 0)
				cd = &td->containers[k];
		jr_val e;
		if (lbv != NULL)
			jr_elem(lbv, i, &e);
		else
			e = *fallback;
		if (cd == NULL)
			return jr_fail(&e, err, "container \"%s\" is not in task definition %s:%d",
			    b->container_name, td->family, td->revision);
		bool found = false;
		for (int p = 0; p < cd->nports; p++)
			found |= cd->ports[p].container_port == b->container_port;
		if (!found)
			return jr_fail(&e, err,
			    "container \"%s\" of %s:%d declares no portMappings entry with containerPort %d",
			    b->container_name, td->family, td->revision, b->container_port);
	}
	return 0;
}

static const char *
cluster_from(const char *s)
{
	/* An ARN arn:aws:ecs:r:a:cluster/name names the cluster after '/'. */
	const char *slash = strrchr(s, '/');
	return strncmp(s, "arn:", 4) == 0 && slash ? slash + 1 : s;
}

static bool
is_empty_array(const jr_val *v)
{
	return v->node != NULL && cJSON_IsArray(v->node) && cJSON_GetArraySize(v->node) == 0;
}

/* [DOC] Fargate by launch type or through FARGATE / FARGATE_SPOT in the
 * capacity provider strategy (the service's, else the cluster's default). */
static bool
on_fargate(const model_cfg *c, const svc_cfg *s)
{
	if (s->launch == LAUNCH_FARGATE)
		return true;
	const cp_strategy *st = &s->cps;
	if (st->n == 0 && !s->launch_set)
		for (int i = 0; i < c->nclusters; i++)
			if (strcmp(c->clusters[i]->name, s->cluster) == 0)
				st = &c->clusters[i]->default_cps;
	for (int i = 0; i < st->n; i++) {
		const cp_cfg *p = cfg_find_provider(c, s->cluster, st->items[i].provider);
		if (p != NULL && p->fargate)
			return true;
	}
	return false;
}

int
svc_cfg_parse(model_cfg *c, const jr_val *v, bool update, sim_time at,
    svc_cfg **out, sim_error *err)
{
	jr_obj o;
	jr_val x, tdv, lbv;
	int rc;
	(void)at;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	/* describe-services output: {"services": [ {...} ]} with one service. */
	if (!update && jr_get(&o, "services", &x)) {
		int n;
		jr_ignore(&o, "failures");
		if ((rc = jr_array(&x, &n, err)) || (rc = jr_done(&o, err)))
			return rc;
		if (n != 1)
			return jr_fail(&x, err, "expected exactly one service in describe-services output, got %d", n);
		jr_val e;
		jr_elem(&x, 0, &e);
		return svc_cfg_parse(c, &e, false, at, out, err);
	}
	svc_cfg *s = ARENA_NEW(c->a, svc_cfg);
	s->pos = jr_where(v);
	jr_val namev;
	if ((rc = jr_need(&o, update ? "service" : "serviceName", &namev, err)) != 0 ||
	    (rc = jr_str(&namev, &s->name, err)) != 0)
		return rc;
	s->name = cluster_from(s->name);
	if ((rc = cfg_check_name(&namev, "service name", s->name, err)) != 0)
		return rc;
	if ((rc = jr_opt_str(&o, "cluster", "default", &s->cluster, err)) != 0)
		return rc;
	s->cluster = cluster_from(s->cluster);
	/* describe-services output names the cluster by its ARN only */
	if (!update && jr_get(&o, "clusterArn", &x)) {
		const char *arn;
		if ((rc = jr_str(&x, &arn, err)) != 0)
			return rc;
		jr_val cv;
		if (jr_get(&o, "cluster", &cv) && strcmp(cluster_from(arn), s->cluster) != 0)
			return jr_fail(&x, err, "clusterArn names cluster \"%s\" but cluster is \"%s\"",
			    cluster_from(arn), s->cluster);
		s->cluster = cluster_from(arn);
	}
	known_service *ks = cfg_known_service(c, s->cluster, s->name);
	const svc_cfg *base = NULL;
	if (update) {
		if (ks == NULL || ks->deleted) {
			jr_get(&o, "service", &x);
			return jr_fail(&x, err, "service \"%s\" does not exist in cluster \"%s\" at this point of the scenario",
			    s->name, s->cluster);
		}
		base = ks->cfg;
	} else if (ks != NULL && !ks->deleted) {
		jr_get(&o, "serviceName", &x);
		return jr_fail(&x, err, "service \"%s\" already exists in cluster \"%s\"", s->name, s->cluster);
	}
	if (!update) {
		for (int i = 0; i < c->nclusters; i++)
			if (strcmp(c->clusters[i]->name, s->cluster) == 0 &&
			    c->clusters[i]->nservices >= CFG_MAX_SERVICES_PER_CLUSTER)
				return jr_fail(v, err, "cluster \"%s\" already has %d services, the quota per cluster",
				    s->cluster, CFG_MAX_SERVICES_PER_CLUSTER);
	}
	bool found_cluster = false;
	for (int i = 0; i < c->nclusters; i++)
		found_cluster |= strcmp(c->clusters[i]->name, s->cluster) == 0;
	if (!found_cluster) {
		if (!jr_get(&o, "cluster", &x))
			x = *v;
		return jr_fail(&x, err, "cluster \"%s\" is not defined in the clusters section", s->cluster);
	}

	/* Scheduling strategy and launch type (create only). */
	if (!update) {
		static const char *const sched[] = {"REPLICA", "DAEMON"};
		int k, lt = -1;
		if ((rc = jr_opt_enum(&o, "schedulingStrategy", sched, 2, 0, &k, err)))
			return rc;
		s->daemon = k == 1;
		if (jr_get(&o, "launchType", &x) && (rc = jr_enum(&x, launch_types, 3, &lt, err)))
			return rc;
		if (jr_get(&o, "deploymentController", &x)) {
			static const char *const ctrl[] = {"ECS", "CODE_DEPLOY", "EXTERNAL"};
			jr_obj co;
			int t;
			jr_val tv;
			if ((rc = jr_object(&x, &co, err)) || (rc = jr_need(&co, "type", &tv, err)) ||
			    (rc = jr_enum(&tv, ctrl, 3, &t, err)) || (rc = jr_done(&co, err)))
				return rc;
			if (t != 0)
				return jr_fail(&tv, err, "deployment controller %s is not simulated; ecsim models the ECS controller",
				    ctrl[t]);
		}
		s->launch = lt < 0 ? LAUNCH_EC2 : (launch_type)lt;
		s->launch_set = lt >= 0;
		if (lt == LAUNCH_EXTERNAL)
			return jr_fail(&x, err, "launch type EXTERNAL is not simulated");
	} else {
		s->daemon = base->daemon;
		s->launch = base->launch;
		s->launch_set = base->launch_set;
		s->td = base->td;
		s->desired = base->desired;
		s->dc = base->dc;
		s->grace = base->grace;
		s->lbs = base->lbs;
		s->nlbs = base->nlbs;
		s->placement = base->placement;
		s->cps = base->cps;
		if ((rc = jr_opt_bool(&o, "forceNewDeployment", false, &s->force_new_deployment, err)))
			return rc;
	}
	if (jr_get(&o, "capacityProviderStrategy", &x)) {
		if (!update && jr_get(&o, "launchType", &lbv))
			return jr_fail(&x, err, "launchType and capacityProviderStrategy cannot both be set");
		if ((rc = cp_parse_strategy(&x, &s->cps, err)) ||
		    (rc = cfg_check_strategy(c, s->cluster, &s->cps, err)))
			return rc;
		s->launch = LAUNCH_CAPACITY_PROVIDER;
		s->launch_set = true;
	}

	/* Task definition. */
	if (jr_get(&o, "taskDefinition", &tdv)) {
		if ((rc = jr_str(&tdv, &s->task_def_ref, err)) != 0)
			return rc;
		s->td = cfg_resolve_td(c, s->task_def_ref, c->ntds);
		if (s->td == NULL) {
			/* a misspelt family: the nearest one registered so far */
			const char *best = NULL;
			int bestd = 3;
			for (int i = 0; i < c->ntds; i++) {
				int d = jr_edit_distance(c->tds[i]->family, s->task_def_ref, 2);
				if (d < bestd) {
					bestd = d;
					best = c->tds[i]->family;
				}
			}
			if (best != NULL && strchr(s->task_def_ref, ':') == NULL)
				return jr_fail(&tdv, err, "task definition \"%s\" is not registered at this point of the scenario; did you mean \"%s\"?",
				    s->task_def_ref, best);
			return jr_fail(&tdv, err, "task definition \"%s\" is not registered at this point of the scenario",
			    s->task_def_ref);
		}
	} else if (!update) {
		return jr_fail(v, err, "missing required key 'taskDefinition'");
	}
	if (s->launch == LAUNCH_FARGATE && !s->td->fargate)
		return jr_fail(update ? &tdv : v, err, "task definition %s:%d is not FARGATE-compatible (requiresCompatibilities)",
		    s->td->family, s->td->revision);
	if (s->launch == LAUNCH_FARGATE && s->daemon)
		return jr_fail(v, err, "the DAEMON scheduling strategy is not supported on Fargate");
	if (s->launch == LAUNCH_EC2 && !s->td->ec2)
		return jr_fail(update ? &tdv : v, err, "task definition %s:%d does not allow EC2 (requiresCompatibilities)",
		    s->td->family, s->td->revision);

	/* Desired count: [DOC] required for REPLICA on create. */
	if (jr_get(&o, "desiredCount", &x)) {
		if (s->daemon)
			return jr_fail(&x, err, "desiredCount cannot be set for a DAEMON service");
		if ((rc = jr_int32(&x, 0, 100000, &s->desired, err)) != 0)
			return rc;
		s->has_desired = true;
	} else if (!update && !s->daemon) {
		return jr_fail(v, err, "missing required key 'desiredCount' (required for REPLICA services)");
	}

	/* Deployment configuration: [DOC] REPLICA 100/200, DAEMON 0/100. */
	if (!update) {
		s->dc.maximum_percent = s->daemon ? 100 : 200;
		s->dc.minimum_healthy_percent = s->daemon ? 0 : 100;
		s->dc.cb_reset_on_healthy = true;
		s->dc.cb_threshold_type = CB_BOUNDED_PERCENT;
		s->dc.cb_threshold_value = 50;
	}
	if (jr_get(&o, "deploymentConfiguration", &x)) {
		if ((rc = parse_deploy_cfg(c, &x, &s->dc, s->daemon, err)) != 0)
			return rc;
		s->has_dc = true;
	}

	if (jr_get(&o, "healthCheckGracePeriodSeconds", &x)) {
		int g;
		if ((rc = jr_int32(&x, 0, 2147483647, &g, err)) != 0)
			return rc;
		s->grace = (sim_time)g * SIM_SEC;
		s->has_grace = true;
	}
	bool lbs_here = jr_get(&o, "loadBalancers", &lbv);
	if (lbs_here && (rc = parse_lbs(c, &lbv, s, err)) != 0)
		return rc;
	if (s->nlbs > 0 && (rc = check_lbs(s, lbs_here ? &lbv : NULL,
	    jr_get(&o, "taskDefinition", &x) ? &x : v, err)) != 0)
		return rc;
	jr_val ps, pc;
	bool has_ps = jr_get(&o, "placementStrategy", &ps);
	bool has_pc = jr_get(&o, "placementConstraints", &pc);
	/* AWS accepts empty lists everywhere (describe output has them) */
	has_ps = has_ps && !is_empty_array(&ps);
	has_pc = has_pc && !is_empty_array(&pc);
	if (has_ps || has_pc) {
		if (on_fargate(c, s))
			return jr_fail(has_ps ? &ps : &pc, err,
			    "placement strategies and constraints are not supported on Fargate (it spreads tasks across Availability Zones itself)");
		plc_policy *pol = ARENA_NEW(c->a, plc_policy);
		if (has_ps && (rc = plc_parse_strategies(&ps, pol, err)) != 0)
			return rc;
		if (has_pc && (rc = plc_parse_constraints(&pc, c->a, pol, err)) != 0)
			return rc;
		s->placement = pol;
	}
	for (int i = 0; i < NELEM(svc_noeffect); i++)
		if (jr_get(&o, svc_noeffect[i], &x))
			cfg_note(c, &x);
	jr_ignore(&o, "clientToken");
	if (!update)
		for (int i = 0; i < NELEM(svc_readonly); i++)
			jr_ignore(&o, svc_readonly[i]);
	if ((rc = jr_done(&o, err)) != 0)
		return rc;
	*out = s;
	return 0;
}

int
cfg_parse_services(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	c->services = ARENA_ARRAY(c->a, svc_cfg *, (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		jr_val e;
		svc_cfg *s;
		jr_elem(v, i, &e);
		if ((rc = svc_cfg_parse(c, &e, false, 0, &s, err)) != 0)
			return rc;
		c->services[c->nservices++] = s;
		cfg_set_known(c, s);
	}
	return 0;
}
