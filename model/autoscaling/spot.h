/*
 * spot — Spot capacity: an Auto Scaling group's MixedInstancesPolicy
 * (which purchase option and which Spot pool each launch takes), Spot
 * prices, EC2 Spot interruptions with their two-minute notice, Fargate
 * Spot interruptions, and sim:SpotInterruption.
 *
 * MixedInstancesPolicy [DOC API InstancesDistribution, botocore 1.43.11
 * autoscaling model]: OnDemandBaseCapacity (default 0) instances are
 * On-Demand, then OnDemandPercentageAboveBaseCapacity (default 100) % of
 * the capacity above the base; OnDemandAllocationStrategy "prioritized"
 * (default: the first listed type) or "lowest-price"; SpotAllocationStrategy
 * lowest-price (the API default), capacity-optimized,
 * capacity-optimized-prioritized, price-capacity-optimized (recommended);
 * SpotInstancePools (lowest-price only, 1-20, default 2); SpotMaxPrice.
 * The group's zone is chosen first (Availability Zone balance, capacity.c);
 * then the pool, one (instance type, zone) pair, by the stated model:
 *   lowest-price               the SpotInstancePools cheapest pools of the
 *                              zone; the one of them with the fewest group
 *                              instances, cheaper first on ties [DOC intent,
 *                              INF detail]
 *   capacity-optimized         the pool with the lowest interruption rate
 *                              (the deepest capacity), then cheaper, then
 *                              list order [INF: "capacity" is modelled by
 *                              the pool's interruption rate]
 *   capacity-optimized-prioritized  lowest rate, then list order [INF]
 *   price-capacity-optimized   among the pools whose rate is at most twice
 *                              the zone's lowest, the cheapest; then the
 *                              lower rate, then list order [INF]
 * On-demand share rounding: the On-Demand count above the base is
 * rounded up [INF].
 *
 * Prices: a pool's faults.spotPools price, else the type's Spot price in
 * the catalog (instanceTypes spotPricePerHour, else ec2.spotPricePercent
 * of on-demand [OBS]); Fargate Spot at the catalog's Fargate Spot rates.
 *
 * Interruptions (from the faults section's rates, one stream per Spot
 * instance "fault.spot" and per Fargate Spot task "fault.fargateSpot", or
 * sim:SpotInterruption):
 *  - EC2: the two-minute notice [DOC spot-instance-termination-notices];
 *    with ECS_ENABLE_SPOT_INSTANCE_DRAINING the instance goes DRAINING at
 *    the notice [DOC spot-instance-draining-linux-container.html] and its
 *    service tasks are replaced within minimumHealthyPercent /
 *    maximumPercent; two minutes later EC2 terminates it (tasks still on
 *    it stop with TerminationNotice "Host EC2 (instance i-…) terminated.")
 *    and its group launches a replacement [DOC healthcheck.html].
 *    Managed draining does not cover Spot interruptions [DOC
 *    managed-instance-draining.html lists the events it covers].
 *  - Fargate Spot: at the warning the task is stopped (stopCode
 *    SpotInterruption, stoppedReason "Your Spot Task was interrupted."
 *    [DOC fargate-capacity-providers.html]), SIGTERM, and killed two
 *    minutes later at the latest; the service scheduler replaces it on
 *    Fargate Spot [DOC].
 * Timeline: sim:SpotInterruption {AutoScalingGroupName, count,
 *   instanceType?, availabilityZone?} or {cluster, capacityProvider:
 *   "FARGATE_SPOT", service?, count | fraction}.
 */
#ifndef MODEL_AUTOSCALING_SPOT_H
#define MODEL_AUTOSCALING_SPOT_H

#include <stdbool.h>

#include "model/ecs/ecs.h"
#include "model/ecs/ecs_cfg.h"
#include "sim/scenario.h"

struct asg_cfg;

typedef enum spot_strategy {
	SPOT_LOWEST_PRICE,
	SPOT_CAPACITY_OPTIMIZED,
	SPOT_CAPACITY_OPTIMIZED_PRIORITIZED,
	SPOT_PRICE_CAPACITY_OPTIMIZED,
} spot_strategy;

typedef struct mixed_cfg {
	int od_base;              /* OnDemandBaseCapacity */
	int od_percent;           /* OnDemandPercentageAboveBaseCapacity */
	bool od_lowest_price;     /* OnDemandAllocationStrategy lowest-price */
	spot_strategy strategy;   /* SpotAllocationStrategy */
	int spot_pools;           /* SpotInstancePools */
	double max_price;         /* SpotMaxPrice, 0: on-demand price */
	const char **types;       /* LaunchTemplate.Overrides[].InstanceType */
	int ntypes;
} mixed_cfg;

/* Read a create-auto-scaling-group input's MixedInstancesPolicy into *out
 * (its instance types from LaunchTemplate.Overrides). */
int spot_parse_mixed(model_cfg *c, const jr_val *v, mixed_cfg **out,
    sim_error *err);

/* Register sim:SpotInterruption. */
void spot_register(model_cfg *c, scn_spec *sp);

/* What a group launches next in zone az, given its live members: the
 * instance type, whether Spot, and the hourly price. */
void spot_choose(model *m, const struct asg_cfg *a, instance *const *members,
    int nmembers, const char *az, const char **type, bool *spot,
    double *price);

/* A group launched in (after spot_choose): a Spot Instance gets its
 * interruption clock. */
void spot_instance_launched(model *m, instance *in);

void spot_start(model *m);
void spot_free(model *m);
void spot_assume(model *m);

#endif
