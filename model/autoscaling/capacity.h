/*
 * capacity — EC2 Auto Scaling groups and the managed scaling of the ECS
 * capacity providers on them (cluster auto scaling, autoscaling.md §4,
 * §5).
 *
 * Configuration lives in a cluster entry of the "clusters" section:
 *   "autoScalingGroups": [create-auto-scaling-group input, with
 *       "InstanceType" (or "InstanceTypes" for a mixed group) naming the
 *       instance type, as a launch template would]
 * (registered with ECS's cluster parser; the entry's "capacityProviders"
 * and "defaultCapacityProviderStrategy" are ECS's own:
 * model/ecs/capacity_provider.h).
 *
 * At run time an ASG launches instances (they register with the cluster
 * after asg.instanceLaunchTime) and terminates them; it replaces an
 * instance that terminated unexpectedly or fails its EC2 status checks
 * (once asg.healthCheckDetection has passed, and for an impaired one not
 * before its HealthCheckGracePeriod) [DOC healthcheck.html,
 * health-check-grace-period.html]; it launches in the zone with the
 * fewest instances among the zones that are not out (balanced best
 * effort [DOC ec2-auto-scaling-availability-zone-balanced.html]) and
 * rebalances when a zone comes back: new instances first, then the
 * surplus in the fullest zones, above MaxSize by 10 % or one instance at
 * most meanwhile [DOC ec2-auto-scaling-benefits.html]; a group with a
 * MixedInstancesPolicy chooses purchase option and pool in spot.h; a capacity provider
 * with managed scaling publishes CapacityProviderReservation every minute
 * into its two alarms (high: > targetCapacity 1 of 1; low: < targetCapacity
 * 15 of 15) and sets the ASG's desired capacity when they fire, gated by
 * the instance warm-up. Tasks of a service using a capacity provider wait
 * in PROVISIONING when nothing can take them.
 */
#ifndef MODEL_AUTOSCALING_CAPACITY_H
#define MODEL_AUTOSCALING_CAPACITY_H

#include "model/autoscaling/cas.h"
#include "model/ecs/ecs.h"
#include "model/ecs/ecs_cfg.h"
#include "sim/scenario.h"

typedef struct asg_cfg {
	const char *name;
	const char *cluster;
	int min, max, desired;
	const char **types;
	int ntypes;
	const char **azs;
	int nazs;
	bool protect_new;          /* NewInstancesProtectedFromScaleIn */
	sim_time grace;            /* HealthCheckGracePeriod, default 0 [DOC] */
	struct mixed_cfg *mixed;   /* MixedInstancesPolicy (spot.h), or NULL */
	jr_pos pos;
} asg_cfg;

typedef struct fleet_cfg {
	asg_cfg **asgs;
	int nasgs, capasgs;
} fleet_cfg;

/* Register the clusters' "autoScalingGroups" member, the check of
 * capacity providers' groups, and the calls autoscaling:SetDesiredCapacity
 * and autoscaling:UpdateAutoScalingGroup. */
void capacity_register(model_cfg *c, scn_spec *sp);

/* Create the groups (launching their desired instances) and subscribe to
 * ECS: an instance that finished draining is terminated. */
void capacity_start(model *m);
void capacity_free(model *m);
/* Write the groups' and providers' series for the current row. */
void capacity_sample(model *m);
void capacity_assume(model *m);
/* The live members of group name (borrowed array, *n of them), or NULL
 * when there is no such group. */
instance *const *capacity_group_members(model *m, const char *name, int *n);
/* The group's configuration, or NULL (load time). */
const asg_cfg *capacity_find_group(const model_cfg *c, const char *name);

#endif
