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
 * after asg.instanceLaunchTime) and terminates them; a capacity provider
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

#endif
