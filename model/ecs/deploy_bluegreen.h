/*
 * deploy_bluegreen — ECS-native BLUE_GREEN, LINEAR and CANARY deployments
 * (controller ECS): the lifecycle stages, the traffic shifts between the
 * blue revision's target group and the green one's, the bake times, the
 * lifecycle hooks of each stage, completion and rollback.
 *
 * Stages ([DOC] API ServiceDeploymentLifecycleStage, in order):
 * RECONCILE_SERVICE (only when more than one older revision has tasks:
 * the one with the most production traffic stays blue, the others scale
 * to 0 [INF]) -> PRE_SCALE_UP -> SCALE_UP (green to 100 % of desired
 * count at once, no traffic; done when every green task is healthy [INF:
 * whether min/max percent bound it is UNCONFIRMED; they do not here]) ->
 * POST_SCALE_UP -> TEST_TRAFFIC_SHIFT (test rule 0 -> 100 % green) ->
 * POST_TEST_TRAFFIC_SHIFT -> PRODUCTION_TRAFFIC_SHIFT -> POST_PRODUCTION_
 * TRAFFIC_SHIFT -> BAKE_TIME (bakeTimeInMinutes; both revisions run) ->
 * CLEAN_UP (blue to 0; done when its last task has stopped).
 *
 * The production shift [DOC API LinearConfiguration, CanaryConfiguration,
 * CloudFormation LinearConfiguration]: BLUE_GREEN shifts 100 % at once;
 * CANARY shifts canaryPercent, waits canaryBakeTimeInMinutes, then the
 * rest; LINEAR shifts stepPercent at a time (the last step to 100 %), with
 * stepBakeTimeInMinutes after every step but the last, so 100/step steps
 * and (100/step) - 1 bakes when 100/step is an integer, else floor(100/
 * step) bakes. At every step, PRE_PRODUCTION_TRAFFIC_SHIFT hooks run before
 * the shift and PRODUCTION_TRAFFIC_SHIFT hooks after it [DOC for linear;
 * INF for canary]. Each shift is immediate [INF: ELB ModifyRule latency is
 * not modelled].
 *
 * Failure (a hook's FAILED / ROLLBACK / timeout ROLLBACK, a deployment
 * alarm, the circuit breaker where ecs.circuitBreaker* say it applies):
 * the green deployment is FAILED; with rollback, blue becomes PRIMARY and
 * IN_PROGRESS and [DOC deployment-lifecycle-hooks.html: "When a roll back
 * happens, Amazon ECS runs the lifecycle hooks for ... PRODUCTION_TRAFFIC_
 * SHIFT, TEST_TRAFFIC_SHIFT"]: production traffic returns to blue at once
 * and the PRODUCTION_TRAFFIC_SHIFT hooks run, then test traffic returns
 * and the TEST_TRAFFIC_SHIFT hooks run [INF: this order, each only when
 * green had some of that traffic; a hook failing or timing out during a
 * rollback is recorded and the rollback goes on]; then green scales to 0.
 * Blue's tasks are not relaunched while they still run (rollback during
 * bake [DOC-ish, the mechanism UNCONFIRMED]); blue is COMPLETED when
 * green is gone. Without rollback the deployment stops where it is [INF].
 *
 * Records: a "deployment_stage" fact per stage, "traffic_shift" facts, the
 * "deployment" fact's strategy, lifecycleStage and serviceDeploymentStatus
 * (docs/observations.md).
 */
#ifndef MODEL_ECS_DEPLOY_BLUEGREEN_H
#define MODEL_ECS_DEPLOY_BLUEGREEN_H

#include "model/ecs/ecs.h"

/* green (PRIMARY) replaces blue (the deployment serving production). */
void bg_start(service *s, deployment *green, deployment *blue);
/* After a sets-mode pass: stages waiting on tasks advance. */
void bg_progress(service *s);
/* The desired count changed: revisions at full size follow it. */
void bg_desired_changed(service *s);
/* d (a green deployment) failed: event "deployment failed: <why>.",
 * rolloutStateReason `reason`; rolls back if asked. Returns false when d
 * is not a blue/green deployment in progress. */
bool bg_fail(deployment *d, const char *why, const char *reason,
    bool rollback);
/* A rolling deployment supersedes the blue/green one in progress: its
 * hooks and timers stop, its revisions are the rolling update's "old". */
void bg_abandon(service *s);
/* Production shifts of a LINEAR deployment of step percent (the
 * CloudFormation rule's steps + 1) — exposed for tests. */
int bg_linear_shifts(double step);

#endif
