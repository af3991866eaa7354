/*
 * fleet — where tasks run: EC2 container instances (placement through
 * model/ecs/placement.h) and Fargate (no instances; Availability Zones
 * balanced), choosing the capacity provider a task goes to, and the
 * cost of what ran.
 */
#ifndef MODEL_ECS_FLEET_H
#define MODEL_ECS_FLEET_H

#include "model/ecs/ecs.h"

/* Choose where a task of s with definition td runs. On success sets *inst
 * (NULL on Fargate), *az and ports (one host port per port mapping, 0
 * when none) and returns true; else writes the AWS placement-failure
 * event text into why and returns false. cp >= 0 restricts the choice to
 * that capacity provider (Fargate, or its Auto Scaling group's
 * instances). */
bool fleet_place_task(model *m, service *s, const task_def *td, int cp,
    instance **inst, const char **az, int *ports, char *why, size_t whysize);
bool fleet_is_fargate(const service *s);
/* The capacity provider (index in the configuration's cps) the next task
 * of s goes to by its strategy (or its cluster's default), or -1 when s
 * does not use capacity providers. */
int fleet_provider_for(model *m, service *s);
bool fleet_provider_is_fargate(const model *m, int cp);
/* Placement for provider cp only considers its group's instances. */
bool fleet_instance_in(const model *m, int cp, const instance *in);
/* Fargate cost accrued so far by the cluster's tasks (USD). */
double fleet_fargate_cost(model *m, cluster *cl);
/* The Fargate Spot part of it. */
double fleet_fargate_spot_cost(model *m, cluster *cl);
/* Account a Fargate task that is about to stop. */
void fleet_task_stopped(model *m, task *t);
/* Account a task giving back its instance's resources. */
void fleet_task_released(model *m, task *t);
/* The service's cost so far: Fargate tasks in full, EC2 tasks by their
 * share of their instances. */
double fleet_service_cost(model *m, service *s);

#endif
