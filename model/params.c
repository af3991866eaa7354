/*
 * params — the named parameters behind every rule AWS does not document,
 * their defaults and tags, and the scenario's "parameters" section that
 * overrides them. Every run lists them among its assumptions.
 */
#include <stddef.h>
#include <string.h>

#include "model/ecs/catalog.h"
#include "model/model_cfg.h"

#define P(field) offsetof(model_params, field)

const param_def model_param_defs[] = {
	{"ecs.schedulerDelay", "INF",
	    "time from a change (task state, desired count, update) to the service scheduler's next pass",
	    PT_DURATION, P(scheduler_delay), 0, SIM_HOUR},
	{"ecs.capacityWakesAllServices", "INF",
	    "whether capacity freed or added in a cluster (a task releasing its instance's resources, an instance joining or leaving) triggers a scheduler pass of every service of the cluster; off (the default): only of the services that wait for capacity (their last pass could not place a task, tasks wait in PROVISIONING for a capacity provider) and, when instances join or leave, of DAEMON services; a pass follows a change the service can see (reference sections 1.5, 1.7, 7.2)",
	    PT_BOOL, P(capacity_wakes_all), 0, 0},
	{"ecs.countStoppingInMaximum", "UNCONFIRMED",
	    "whether STOPPING tasks count against maximumPercent (2023 guide: yes; API reference: RUNNING+PENDING only)",
	    PT_BOOL, P(count_stopping_in_max), 0, 0},
	{"ecs.freeResourcesAtStopping", "DOC",
	    "an instance's CPU, memory and ports are free for placement once a task moves to STOPPING (July 2023)",
	    PT_BOOL, P(free_at_stopping), 0, 0},
	{"ecs.placementRetryInitial", "UNCONFIRMED",
	    "first delay before retrying a placement that failed (doubling up to ecs.placementRetryMax)",
	    PT_DURATION, P(placement_retry_initial), SIM_SEC, SIM_HOUR},
	{"ecs.placementRetryMax", "DOC",
	    "longest delay between placement retries (the service throttle cap of 15 minutes)",
	    PT_DURATION, P(placement_retry_max), SIM_SEC, SIM_DAY},
	{"ecs.throttleAfterFailures", "UNCONFIRMED",
	    "consecutive tasks failing to start before the service throttle logic delays launches",
	    PT_INT, P(throttle_after), 1, 1000},
	{"ecs.throttleInitialDelay", "UNCONFIRMED",
	    "first launch delay of the throttle logic (doubling up to ecs.throttleMaxDelay)",
	    PT_DURATION, P(throttle_initial), SIM_SEC, SIM_HOUR},
	{"ecs.throttleMaxDelay", "DOC",
	    "cap of the throttle logic's launch delay (15 minutes, 'subject to change')",
	    PT_DURATION, P(throttle_max), SIM_SEC, SIM_DAY},
	{"ecs.circuitBreakerCountsPlacementFailures", "INF",
	    "whether a failed placement counts as a failed task for the circuit breaker (API wording says 'can't launch'; off keeps capacity-limited rolling deploys from tripping it)",
	    PT_BOOL, P(cb_count_placement), 0, 0},
	{"traffic.idleTasksYieldCpu", "INF",
	    "CPU shares are work-conserving: a RUNNING load-balanced task none of whose targets is healthy gets no requests and leaves its share of the instance to busy neighbours (off: every RUNNING task keeps its share)",
	    PT_BOOL, P(idle_yield_cpu), 0, 0},
	{"ecs.healthyAfterRunning", "DOC",
	    "without load balancer and container health check a task counts as healthy after this long in RUNNING",
	    PT_DURATION, P(healthy_after_running), 0, SIM_HOUR},
	{"ecs.eventDeduplication", "DOC",
	    "identical service event messages are suppressed for this long unless their cause resolved",
	    PT_DURATION, P(event_dedup), 0, 7 * SIM_DAY},
	{"ecs.activatingTime", "INF",
	    "time a task spends in ACTIVATING (registration with service discovery / target groups)",
	    PT_DURATION, P(activating_time), 0, SIM_HOUR},
	{"ecs.deprovisioningTime", "INF",
	    "time a task spends in DEPROVISIONING (awsvpc ENI detach); 0 for other network modes",
	    PT_DURATION, P(deprovisioning_time), 0, SIM_HOUR},
	{"ecs.eniAttachTime", "INF",
	    "time in PROVISIONING for an awsvpc task (ENI creation and attachment: 'several seconds')",
	    PT_DURATION, P(eni_attach_time), 0, SIM_HOUR},
	{"ecs.containerStopTimeout", "DOC",
	    "SIGTERM to SIGKILL when a container sets no stopTimeout (ECS_CONTAINER_STOP_TIMEOUT)",
	    PT_DURATION, P(stop_timeout_default), SIM_SEC, SIM_HOUR},
	{"ecs.provisioningTimeout", "UNCONFIRMED",
	    "a task waiting in PROVISIONING for capacity provider capacity is stopped after this long (10-30 minutes reported)",
	    PT_DURATION, P(provisioning_timeout), SIM_MIN, SIM_DAY},
	{"fargate.provisioningTime", "OBS",
	    "time a Fargate task spends in PROVISIONING beyond the ENI (capacity and setup); the image pull follows in PENDING",
	    PT_DIST, P(fargate_provisioning), 0, SIM_HOUR},
	{"asg.instanceLaunchTime", "INF",
	    "an Auto Scaling group's launch until the instance is ACTIVE in the cluster: EC2 boot (~26 s measured, reference §5) plus ECS agent registration (unmeasured)",
	    PT_DIST, P(asg_launch_time), 0, SIM_HOUR},
	{"ecs.reservedMemoryMiB", "DOC",
	    "ECS_RESERVED_MEMORY subtracted from each instance's registered memory",
	    PT_INT, P(reserved_memory_mib), 0, 1 << 20},
	{"elb.evaluateEveryCheck", "INF",
	    "verification mode: one event per target health check instead of one per predicted state change (results are identical; only the cost differs)",
	    PT_BOOL, P(every_check), 0, 0},
	{"aws.region", "INF", "region used in ARNs", PT_STRING, P(region), 0, 0},
	{"aws.account", "INF", "account id used in ARNs", PT_STRING, P(account), 0, 0},
};
const int model_nparam_defs = (int)(sizeof(model_param_defs) / sizeof(model_param_defs[0]));

model_cfg *
model_cfg_new(arena *a)
{
	model_cfg *c = ARENA_NEW(a, model_cfg);
	c->a = a;
	model_params *p = &c->params;
	p->scheduler_delay = SIM_SEC;
	p->count_stopping_in_max = false;
	p->free_at_stopping = true;
	p->placement_retry_initial = 10 * SIM_SEC;
	p->placement_retry_max = 15 * SIM_MIN;
	p->throttle_after = 3;
	p->throttle_initial = 30 * SIM_SEC;
	p->throttle_max = 15 * SIM_MIN;
	p->cb_count_placement = false;
	p->idle_yield_cpu = true;
	p->healthy_after_running = 40 * SIM_SEC;
	p->event_dedup = 6 * SIM_HOUR;
	p->activating_time = SIM_SEC;
	p->deprovisioning_time = 2 * SIM_SEC;
	p->eni_attach_time = 5 * SIM_SEC;
	p->stop_timeout_default = 30 * SIM_SEC;
	p->provisioning_timeout = 30 * SIM_MIN;
	/* [OBS] Fargate create-to-start 53-62 s for a 413 MB image (reference
	 * autoscaling.md §6.2), of which the pull is the larger part: the rest,
	 * capacity and setup, lognormal with median 25 s */
	p->fargate_provisioning.kind = DIST_LOGNORMAL;
	p->fargate_provisioning.a = 25 * SIM_SEC;
	p->fargate_provisioning.sigma = 0.25;
	/* [INF] EC2 boot (~26 s measured) plus ECS agent registration (10-40 s,
	 * unmeasured): lognormal, median 60 s */
	p->asg_launch_time.kind = DIST_LOGNORMAL;
	p->asg_launch_time.a = 60 * SIM_SEC;
	p->asg_launch_time.sigma = 0.25;
	p->reserved_memory_mib = 0;
	p->region = "us-east-1";
	p->account = "123456789012";
	behaviour_init_defaults(c);
	c->cat = cat_new(a);
	/* AWS creates the cluster "default" on first use: a scenario without a
	 * clusters section has it, with no instances (Fargate, or capacity
	 * providers added later). */
	c->clusters = ARENA_ARRAY(a, cluster_cfg *, 1);
	c->clusters[0] = ARENA_NEW(a, cluster_cfg);
	c->clusters[0]->name = "default";
	c->nclusters = 1;
	return c;
}

int
cfg_parse_params(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	jr_obj o;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	for (int i = 0; i < model_nparam_defs; i++) {
		const param_def *d = &model_param_defs[i];
		jr_val pv;
		if (!jr_get(&o, d->name, &pv))
			continue;
		char *field = (char *)&c->params + d->offset;
		switch (d->type) {
		case PT_DURATION:
			rc = jr_duration(&pv, d->lo, d->hi, (sim_time *)(void *)field, err);
			break;
		case PT_BOOL:
			rc = jr_bool(&pv, (bool *)(void *)field, err);
			break;
		case PT_INT:
			rc = jr_int32(&pv, (int)d->lo, (int)d->hi, (int *)(void *)field, err);
			break;
		case PT_STRING:
			rc = jr_str(&pv, (const char **)(void *)field, err);
			break;
		case PT_DIST:
			rc = dist_parse(&pv, (dist *)(void *)field, err);
			break;
		}
		if (rc != 0)
			return rc;
		c->param_set[i] = true;
	}
	/* Parameters owned by other modules register under their own section
	 * keys; an unknown name here gets a suggestion. */
	return jr_done(&o, err);
}
