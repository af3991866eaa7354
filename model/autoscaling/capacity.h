/*
 * capacity — EC2 Auto Scaling groups and ECS capacity providers with
 * managed scaling (cluster auto scaling, autoscaling.md §4, §5).
 *
 * Configuration lives in a cluster entry of the "clusters" section:
 *   "autoScalingGroups": [create-auto-scaling-group input, with
 *       "InstanceType" (or "InstanceTypes" for a mixed group) naming the
 *       instance type, as a launch template would],
 *   "capacityProviders": [create-capacity-provider input, or the names
 *       "FARGATE" / "FARGATE_SPOT"],
 *   "defaultCapacityProviderStrategy": [{capacityProvider, base, weight}].
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

typedef struct cp_cfg {
	cas_provider p;            /* an ASG provider ... */
	bool fargate;              /* ... or FARGATE / FARGATE_SPOT */
	const char *cluster;
	const asg_cfg *asg;
} cp_cfg;

typedef struct fleet_cfg {
	asg_cfg **asgs;
	int nasgs, capasgs;
	cp_cfg **cps;
	int ncps, capcps;
	cas_params params;
} fleet_cfg;

/* Parts of a "clusters" entry (called by the clusters parser). */
int capacity_parse_asgs(model_cfg *c, cluster_cfg *cc, const jr_val *v,
    sim_error *err);
int capacity_parse_providers(model_cfg *c, cluster_cfg *cc, const jr_val *v,
    sim_error *err);
/* A strategy's providers must be the cluster's. */
int capacity_check_strategy(model_cfg *c, const char *cname,
    const cas_strategy *s, const jr_val *v, sim_error *err);
void capacity_register_calls(model_cfg *c, scn_spec *sp);

void capacity_start(model *m);
void capacity_free(model *m);
/* Write the groups' and providers' series for the current row. */
void capacity_sample(model *m);
void capacity_assume(model *m);
/* The provider (index into the fleet's providers) the next task of s goes
 * to, or -1 when s does not use capacity providers. */
int capacity_provider_for(model *m, service *s);
bool capacity_provider_is_fargate(model *m, int cp);
/* Restrict placement to the provider's ASG: true if in may host it. */
bool capacity_instance_in(model *m, int cp, const instance *in);
/* An instance's last task left (managed draining terminates it). */
void capacity_instance_idle(model *m, instance *in);

#endif
