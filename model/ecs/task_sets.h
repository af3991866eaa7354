/*
 * task_sets — task sets (API TaskSet) and the scheduler pass that keeps
 * every deployment of a service at its own count; the EXTERNAL deployment
 * controller's timeline calls ecs:CreateTaskSet, ecs:UpdateTaskSet,
 * ecs:UpdateServicePrimaryTaskSet and ecs:DeleteTaskSet.
 *
 * A task set is a deployment (model/ecs/ecs.h) with a scale: it keeps
 * computedDesiredCount = ceil(desiredCount x scale / 100) tasks ([DOC] the
 * DescribeServices example: desired 1 at 50 % computes 1). Status PRIMARY,
 * ACTIVE or DRAINING (deleted, its tasks stopping). Stability [DOC API
 * TaskSet.stabilityStatus]: STEADY_STATE when runningCount equals
 * computedDesiredCount, nothing is pending, no task runs on a DRAINING
 * instance and every task is healthy; else STABILIZING. Events [DOC AWS
 * CLI describe-services example]: "(service S) updated computedDesiredCount
 * for taskSet ID to N." and "(service S, taskSet ID) updated state to
 * STEADY_STATE."
 *
 * EXTERNAL traffic: a task set names its service's target group or the
 * binding's second one; the listener's weights are the external
 * controller's business, so ecsim pools both groups (requests share by
 * registered targets) [INF].
 *
 * Calls name a task set by its ID or ARN, or (ecsim's extension, since IDs
 * are generated) by the externalId it was created with.
 *
 * Invariant: after a sets-mode pass no deployment keeps more than `want`
 * tasks it means to keep, and a FAILED deployment launches nothing.
 */
#ifndef MODEL_ECS_TASK_SETS_H
#define MODEL_ECS_TASK_SETS_H

#include "model/ecs/ecs_cfg.h"
#include "model/ecs/service_int.h"

/* The sets-mode pass: surplus stopped, missing tasks launched. */
void ts_pass(service *s, id_list *started, id_list *stopped);
/* After a pass: stability of every task set, events, the service's steady
 * state, and EXTERNAL deployments' completion. */
void ts_progress(service *s);
/* A new task set of td on s, in target-group slot `slot`, at scale
 * (percent); ACTIVE (PRIMARY when it is a CODE_DEPLOY service's only one;
 * an EXTERNAL service's stays ACTIVE until ecs:UpdateServicePrimaryTaskSet,
 * [OBS] AWS CLI examples). cause:
 * the deployment record's cause. Returns its deployment. */
deployment *ts_create(service *s, const task_def *td, int slot, double scale,
    const char *external_id, const char *cause);
/* Make an existing deployment d a task set (the first one of a CODE_DEPLOY
 * service), PRIMARY at scale. */
void ts_adopt(deployment *d, double scale);
void ts_set_scale(deployment *d, double scale);
void ts_make_primary(deployment *d);
/* DeleteTaskSet: scale to 0, DRAINING, gone with its last task. */
void ts_delete(deployment *d);
/* Is d a task set in STEADY_STATE? */
bool ts_stable(const deployment *d);
/* computedDesiredCount of a scale at the service's desired count. */
int ts_computed(const service *s, double scale);
/* The desired count changed: every task set's computedDesiredCount. */
void ts_desired_changed(service *s);
/* ecs:CreateTaskSet, ecs:UpdateTaskSet, ecs:UpdateServicePrimaryTaskSet,
 * ecs:DeleteTaskSet. */
void ts_register_calls(model_cfg *c, scn_spec *sp);

#endif
