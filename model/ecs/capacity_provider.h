/*
 * capacity_provider — ECS capacity providers and capacity provider
 * strategies (autoscaling.md §4.1, §4.6): the create-capacity-provider
 * input (an Auto Scaling group provider with managed scaling, managed
 * termination protection and managed draining, or FARGATE /
 * FARGATE_SPOT), the strategies of clusters and services, and at run time
 * which provider the next task of a service goes to.
 *
 * ECS owns the providers; the Auto Scaling groups behind them and the
 * managed scaling that grows them belong to model/autoscaling, which
 * launches instances into the cluster with the provider's index
 * (instance.cp) and subscribes to ECS's announcements.
 *
 * [UNCONFIRMED §9.12] strategy weights: each task goes to the provider
 * whose weighted count would be lowest after it ((count + 1) / weight),
 * ties to the first in the strategy; base tasks do not count toward the
 * weighted split. (Listed among the run's assumptions with the cluster
 * auto scaling ones: capacityProvider.weightRounding.)
 */
#ifndef MODEL_ECS_CAPACITY_PROVIDER_H
#define MODEL_ECS_CAPACITY_PROVIDER_H

#include <stdbool.h>

#include "sim/error.h"
#include "sim/jread.h"
#include "sim/recorder.h"
#include "sim/simtime.h"

/* [DOC §4.1] managed scaling defaults and ranges */
#define CP_DEFAULT_TARGET_CAPACITY 100
#define CP_DEFAULT_MIN_STEP 1
#define CP_DEFAULT_MAX_STEP 10000
#define CP_DEFAULT_WARMUP (300 * SIM_SEC)
/* [DOC §4.6] */
#define CP_MAX_STRATEGY_ITEMS 20

/* ---- create-capacity-provider ---- */

typedef struct cp_managed_scaling {
	bool enabled;        /* status ENABLED; DISABLED when managedScaling
	                      * or its status is absent [INF] */
	int target_capacity; /* 1-100, default 100 [DOC] */
	int min_step;        /* minimumScalingStepSize 1-10000, default 1 */
	int max_step;        /* maximumScalingStepSize 1-10000, default 10000 */
	sim_time warmup;     /* instanceWarmupPeriod 0-10000 s, default 300 */
} cp_managed_scaling;

typedef struct cp_provider {
	const char *name;
	const char *cluster;         /* optional, NULL when absent */
	const char *asg;             /* autoScalingGroupArn: ARN or name */
	cp_managed_scaling scaling;
	bool termination_protection; /* default DISABLED [DOC] */
	bool draining;               /* managedDraining, default ENABLED [DOC] */
	jr_pos pos;
} cp_provider;

/* Managed scaling defaults (status DISABLED). */
void cp_managed_scaling_default(cp_managed_scaling *m);

/* Read a CreateCapacityProvider input: name (1-255 letters, digits, '_'
 * and '-', not starting with "aws", "ecs" or "fargate" [DOC]), cluster,
 * autoScalingGroupProvider {autoScalingGroupArn, managedScaling {status,
 * targetCapacity, minimumScalingStepSize, maximumScalingStepSize (>= the
 * minimum), instanceWarmupPeriod}, managedTerminationProtection,
 * managedDraining}; tags accepted and ignored. Strings live in v's loader
 * arena. Returns 0 or SIM_EINPUT with *err filled. */
int cp_parse_provider(const jr_val *v, cp_provider *out, sim_error *err);

/* ---- capacity provider strategies [DOC §4.6] ---- */

typedef struct cp_strategy_item {
	const char *provider;
	int base;   /* 0-100000, default 0 */
	int weight; /* 0-1000, default 0 */
	jr_pos pos;
} cp_strategy_item;

typedef struct cp_strategy {
	const cp_strategy_item *items;
	int n; /* 0..CP_MAX_STRATEGY_ITEMS */
} cp_strategy;

/* Read a capacityProviderStrategy array: at most 20 items, each provider
 * once, at most one base > 0, and (when not empty) at least one weight >
 * 0. An empty array is accepted (n = 0: no strategy). */
int cp_parse_strategy(const jr_val *v, cp_strategy *out, sim_error *err);

/* The provider (index) the next task goes to, given the tasks each
 * provider already has (counts[i], for items[i]): the base provider until
 * it holds `base`, then by weight (rule in the header comment). s->n > 0
 * and some weight > 0. */
int cp_strategy_next(const cp_strategy *s, const int *counts);
/* Split ntasks over s from nothing: counts[i] for items[i]. Equal to
 * ntasks calls of cp_strategy_next, so growing a service one task at a
 * time gives the same split. */
void cp_strategy_split(const cp_strategy *s, int ntasks, int *counts);


/* A capacity provider of a cluster: an Auto Scaling group provider, or
 * FARGATE / FARGATE_SPOT. */
typedef struct cp_cfg {
	cp_provider p;             /* an ASG provider (p.asg names its group) ... */
	bool fargate;              /* ... or FARGATE / FARGATE_SPOT */
	const char *cluster;
} cp_cfg;

#endif
