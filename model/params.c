/*
 * params — the named parameters behind every rule AWS does not document,
 * their defaults and tags, and the scenario's "parameters" section that
 * overrides them. Every run lists them among its assumptions.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "model/ecs/catalog.h"
#include "model/ecs/placement.h"
#include "sim/optable.h"
#include "model/model_cfg.h"

#define P(field) offsetof(model_params, field)
/* One parameter of model_params (durations and ints take [lo, hi]). */
#define PARAM(nm, tg, nt, ty, off, l, h) \
	{.name = (nm), .tag = (tg), .note = (nt), .type = (ty), .offset = (off), .lo = (l), .hi = (h)}

const param_def model_param_defs[] = {
	PARAM("ecs.schedulerDelay", "INF",
	    "time from a change (task state, desired count, update) to the service scheduler's next pass",
	    PT_DURATION, P(scheduler_delay), 0, SIM_HOUR),
	PARAM("ecs.capacityWakesAllServices", "INF",
	    "whether capacity freed or added in a cluster (a task releasing its instance's resources, an instance joining or leaving) triggers a scheduler pass of every service of the cluster; off (the default): only of the services that wait for capacity (their last pass could not place a task, tasks wait in PROVISIONING for a capacity provider) and, when instances join or leave, of DAEMON services; a pass follows a change the service can see (reference sections 1.5, 1.7, 7.2)",
	    PT_BOOL, P(capacity_wakes_all), 0, 0),
	PARAM("ecs.countStoppingInMaximum", "UNCONFIRMED",
	    "whether STOPPING tasks count against maximumPercent (2023 guide: yes; API reference: RUNNING+PENDING only)",
	    PT_BOOL, P(count_stopping_in_max), 0, 0),
	PARAM("ecs.freeResourcesAtStopping", "DOC",
	    "an instance's CPU, memory and ports are free for placement once a task moves to STOPPING (July 2023)",
	    PT_BOOL, P(free_at_stopping), 0, 0),
	PARAM("ecs.placementRetryInitial", "UNCONFIRMED",
	    "first delay before retrying a placement that failed (doubling up to ecs.placementRetryMax)",
	    PT_DURATION, P(placement_retry_initial), SIM_SEC, SIM_HOUR),
	PARAM("ecs.placementRetryMax", "DOC",
	    "longest delay between placement retries (the service throttle cap of 15 minutes)",
	    PT_DURATION, P(placement_retry_max), SIM_SEC, SIM_DAY),
	PARAM("ecs.serviceLaunchRate", "DOC",
	    "'Rate of tasks launched by a service' quota, tasks per minute (500 in the current Service Quotas listing, 250 in 2022 for EC2); metered as a bucket of one minute's worth refilled evenly [INF]",
	    PT_INT, P(service_launch_rate), 1, 1000000),
	PARAM("fargate.launchBurst", "DOC",
	    "Fargate task-launch token bucket per account and Region: burst",
	    PT_INT, P(fargate_launch_burst), 1, 1000000),
	PARAM("fargate.launchRatePerSecond", "DOC",
	    "Fargate task-launch token bucket per account and Region: refill, tasks per second",
	    PT_INT, P(fargate_launch_rate), 1, 1000000),
	PARAM("ecs.dynamicHostPortLow", "INF",
	    "lowest dynamic host port (lowest free port first); 32768-61000 is the ECS-optimized AMI's ip_local_port_range, 49153-65535 the agent's fallback",
	    PT_INT, P(dyn_port_lo), 1024, 65535),
	PARAM("ecs.dynamicHostPortHigh", "INF",
	    "highest dynamic host port",
	    PT_INT, P(dyn_port_hi), 1024, 65535),
	PARAM("ecs.throttleAfterFailures", "UNCONFIRMED",
	    "consecutive tasks failing to start before the service throttle logic delays launches",
	    PT_INT, P(throttle_after), 1, 1000),
	PARAM("ecs.throttleInitialDelay", "UNCONFIRMED",
	    "first launch delay of the throttle logic (doubling up to ecs.throttleMaxDelay)",
	    PT_DURATION, P(throttle_initial), SIM_SEC, SIM_HOUR),
	PARAM("ecs.throttleMaxDelay", "DOC",
	    "cap of the throttle logic's launch delay (15 minutes, 'subject to change')",
	    PT_DURATION, P(throttle_max), SIM_SEC, SIM_DAY),
	PARAM("ecs.circuitBreakerCountsPlacementFailures", "INF",
	    "whether a failed placement counts as a failed task for the circuit breaker (API wording says 'can't launch'; off keeps capacity-limited rolling deploys from tripping it)",
	    PT_BOOL, P(cb_count_placement), 0, 0),
	PARAM("traffic.idleTasksYieldCpu", "INF",
	    "CPU shares are work-conserving: a RUNNING load-balanced task none of whose targets is healthy gets no requests and leaves its share of the instance to busy neighbours (off: every RUNNING task keeps its share)",
	    PT_BOOL, P(idle_yield_cpu), 0, 0),
	PARAM("ecs.healthyAfterRunning", "DOC",
	    "without load balancer and container health check a task counts as healthy after this long in RUNNING",
	    PT_DURATION, P(healthy_after_running), 0, SIM_HOUR),
	PARAM("ecs.eventDeduplication", "DOC",
	    "identical service event messages are suppressed for this long unless their cause resolved",
	    PT_DURATION, P(event_dedup), 0, 7 * SIM_DAY),
	PARAM("ecs.activatingTime", "INF",
	    "time a task spends in ACTIVATING (registration with service discovery / target groups)",
	    PT_DURATION, P(activating_time), 0, SIM_HOUR),
	PARAM("ecs.deprovisioningTime", "INF",
	    "time a task spends in DEPROVISIONING (awsvpc ENI detach); 0 for other network modes",
	    PT_DURATION, P(deprovisioning_time), 0, SIM_HOUR),
	PARAM("ecs.eniAttachTime", "INF",
	    "time in PROVISIONING for an awsvpc task (ENI creation and attachment: 'several seconds')",
	    PT_DURATION, P(eni_attach_time), 0, SIM_HOUR),
	PARAM("ecs.containerStopTimeout", "DOC",
	    "SIGTERM to SIGKILL when a container sets no stopTimeout (ECS_CONTAINER_STOP_TIMEOUT)",
	    PT_DURATION, P(stop_timeout_default), SIM_SEC, SIM_HOUR),
	PARAM("ecs.provisioningTimeout", "UNCONFIRMED",
	    "a task waiting in PROVISIONING for capacity provider capacity is stopped after this long (10-30 minutes reported)",
	    PT_DURATION, P(provisioning_timeout), SIM_MIN, SIM_DAY),
	PARAM("fargate.provisioningTime", "OBS",
	    "time a Fargate task spends in PROVISIONING beyond the ENI (capacity and setup); the image pull follows in PENDING",
	    PT_DIST, P(fargate_provisioning), 0, SIM_HOUR),
	PARAM("asg.instanceLaunchTime", "INF",
	    "an Auto Scaling group's launch until the instance is ACTIVE in the cluster: EC2 boot (~26 s measured, reference §5) plus ECS agent registration (unmeasured)",
	    PT_DIST, P(asg_launch_time), 0, SIM_HOUR),
	PARAM("ecs.reservedMemoryMiB", "DOC",
	    "ECS_RESERVED_MEMORY subtracted from each instance's registered memory",
	    PT_INT, P(reserved_memory_mib), 0, 1 << 20),
	PARAM("elb.evaluateEveryCheck", "INF",
	    "verification mode: one event per target health check instead of one per predicted state change (results are identical; only the cost differs)",
	    PT_BOOL, P(every_check), 0, 0),
	PARAM("ecs.scaleOutBothRevisions", "DOC",
	    "a scale-out during a rolling deployment is applied to both service revisions (Nov 2025): the older revision adds its proportional share of the new tasks too, within maximumPercent (the share is [INF])",
	    PT_BOOL, P(scale_out_both), 0, 0),
	PARAM("aws.region", "INF", "region used in ARNs", PT_STRING, P(region), 0, 0),
	PARAM("aws.account", "INF", "account id used in ARNs", PT_STRING, P(account), 0, 0),
};
const int model_nparam_defs = (int)(sizeof(model_param_defs) / sizeof(model_param_defs[0]));

model_cfg *
model_cfg_new(arena *a)
{
	model_cfg *c = ARENA_NEW(a, model_cfg);
	c->a = a;
	c->ops = optab_new(a);
	model_params *p = &c->params;
	cfg_add_params(c, model_param_defs, model_nparam_defs, p, NULL);
	p->scheduler_delay = SIM_SEC;
	p->count_stopping_in_max = false;
	p->free_at_stopping = true;
	p->placement_retry_initial = 10 * SIM_SEC;
	p->placement_retry_max = 15 * SIM_MIN;
	p->service_launch_rate = 500;
	plc_params plc = plc_params_default();
	p->dyn_port_lo = plc.dyn_lo;
	p->dyn_port_hi = plc.dyn_hi;
	p->fargate_launch_burst = 100;
	p->fargate_launch_rate = 20;
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
	p->scale_out_both = true;
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
	/* what each parameter means, for the generated scenario reference */
	for (int t = 0; t < c->nparam_tables; t++)
		for (int i = 0; i < c->param_tables[t].n; i++) {
			const param_def *d = &c->param_tables[t].defs[i];
			char doc[512];
			snprintf(doc, sizeof(doc), "[%s] %s", d->tag, d->note);
			jr_describe(&o, d->name, doc);
		}
	/* every member names a parameter of some part of the model */
	for (int k = 0; k < jr_member_count(&o); k++) {
		jr_val pv;
		jr_member(&o, k, &pv);
		const char *name = pv.key;
		const param_table *hit = NULL;
		int hi = -1;
		const char *best = NULL;
		int bestd = 3;
		for (int t = 0; t < c->nparam_tables && hit == NULL; t++) {
			const param_table *tb = &c->param_tables[t];
			for (int i = 0; i < tb->n; i++) {
				if (strcmp(tb->defs[i].name, name) == 0) {
					hit = tb;
					hi = i;
					break;
				}
				int d = jr_edit_distance(tb->defs[i].name, name, 2);
				if (d < bestd) {
					bestd = d;
					best = tb->defs[i].name;
				}
			}
		}
		if (hit == NULL) {
			if (best != NULL)
				return jr_fail(&pv, err, "unknown parameter '%s'; did you mean '%s'?", name, best);
			return jr_fail(&pv, err, "unknown parameter '%s' (every run lists the parameters it knows among its assumptions)", name);
		}
		if ((rc = cfg_param_read(&hit->defs[hi], hit->block, &pv, err)) != 0)
			return rc;
		hit->set[hi] = true;
	}
	if (c->params.dyn_port_lo >= c->params.dyn_port_hi)
		return jr_fail(v, err, "ecs.dynamicHostPortLow (%d) must be below ecs.dynamicHostPortHigh (%d)",
		    c->params.dyn_port_lo, c->params.dyn_port_hi);
	return jr_done(&o, err);
}
