/*
 * traffic — requests: the "workload" section (requests per second over
 * time for a service, a target group, or a load balancer path routed by
 * its listener rules), routing over the targets a load balancer would use,
 * and what it does to tasks: CPU, memory, latency and errors.
 *
 * Routing [DOC ALB guide]: requests go to healthy targets (draining ones
 * get no new requests); below target_group_health ... minimum_healthy_
 * targets.count (default 1) healthy targets the group fails open to all
 * its targets; a newly healthy target in slow start gets a linearly
 * rising share, unless no other healthy target is outside slow start.
 * round_robin and least_outstanding_requests split evenly among equal
 * tasks; weighted_random is approximated by the same even split [INF].
 * A service without load balancer spreads requests evenly over its
 * RUNNING tasks (queue consumers).
 *
 * Accounting is exact for piecewise-constant routing: every change of
 * routing state first integrates the interval since the last change with
 * the old state (traffic_touch). Latency percentiles are those of the
 * state at each sample time (model/traffic/queueing.h: M/M/c+D per task, mixture
 * over tasks) [INF].
 */
#ifndef MODEL_TRAFFIC_TRAFFIC_H
#define MODEL_TRAFFIC_TRAFFIC_H

#include "model/ecs/ecs.h"
#include "model/traffic/workload.h"
#include "sim/scenario.h"

typedef struct svc_traffic svc_traffic;

typedef struct workload_entry {
	const char *service;      /* resolved service name */
	wl_curve *rps;
	double cpu_ms;            /* cpuMsPerRequest */
	double base_ms;           /* baseLatencyMs */
	double timeout_ms;        /* timeoutMs */
	int concurrency;          /* 0: default (ceil of vCPU) */
	double mem_mib;           /* memoryMiBPerTask */
	bool mem_set;
	jr_pos pos;
} workload_entry;

typedef struct workload_cfg {
	workload_entry *entries;
	int n, cap;
} workload_cfg;

/* Section "workload" (after services and load balancers). */
int traffic_parse(void *ctx, const jr_val *v, sim_error *err);

/* Register the section "workload" and the call sim:SetLoad (after the
 * services and load balancers). */
void traffic_register(model_cfg *c, scn_spec *sp);
/* Subscribe to ECS (after the load balancers: model/elbv2): follow each
 * service's load, and each task's share of its instance's CPU. */
void traffic_start(model *m);
void traffic_free(service *s);
/* Integrate [last change, now] with the routing state as it still is.
 * Call before anything that changes routing, CPU or readiness. */
void traffic_touch(service *s);
/* Requests per second reaching s now (0 without workload). */
double traffic_rps_now(const service *s);
/* Does the service's workload reach its tasks through a target group? */
bool traffic_routes_via_lb(const service *s);
/* Write the service's traffic series for the current row and reset the
 * interval's accumulators. */
void traffic_sample(service *s);
/* CloudWatch-style averages since the last call (NaN without data):
 * CPUUtilization and MemoryUtilization in percent, and requests per
 * healthy target per minute (ALB RequestCountPerTarget), and the mean
 * number of RUNNING tasks over the period (the datapoints' SampleCount). */
void traffic_take_metrics(service *s, double *cpu, double *mem,
    double *req_per_target, double *avg_running);
void traffic_assume(model *m);
/* Timeline call sim:SetLoad {"service": "web", "requestsPerSecond": 300}
 * or {"service": "web", "scale": 2}: from its time on, the service's load
 * is that constant, or its curve times the factor. */
int traffic_parse_set_load(void *ctx, sim_time at, const jr_val *in,
    void **typed, sim_error *err);
int traffic_apply_set_load(model *m, void *typed, sim_error *err);

#endif
