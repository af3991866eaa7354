/*
 * circuit_breaker — the deployment circuit breaker [DOC
 * deployment-circuit-breaker.html, API DeploymentCircuitBreaker,
 * ThresholdConfiguration]. Stage 1 counts tasks that fail to reach RUNNING
 * until one does; stage 2 counts tasks replaced for failed health checks.
 * A task that becomes healthy resets the count (resetOnHealthyTask,
 * default true). When the count reaches the threshold the deployment
 * FAILS and, with rollback, the most recent COMPLETED deployment becomes
 * PRIMARY again.
 */
#ifndef MODEL_ECS_CIRCUIT_BREAKER_H
#define MODEL_ECS_CIRCUIT_BREAKER_H

#include "model/ecs/ecs.h"

/* [DOC] threshold: BOUNDED_PERCENT (default, value 50) =
 * clamp(ceil(value/100 × D), 3, 200); UNBOUNDED_PERCENT = ceil(value/100 ×
 * D) (at least 1); COUNT = value. D is the latest desired count. */
int cb_threshold(const deploy_cfg *dc, int desired);
void cb_task_running(deployment *d);
void cb_task_healthy(deployment *d);
/* A task of d failed (t may be NULL for a failed placement). */
void cb_task_failed(deployment *d, const task *t);
/* d FAILED: the event "(service S) (deployment D) deployment failed:
 * <why>." and rolloutStateReason `reason`; with rollback, the most recent
 * COMPLETED deployment becomes PRIMARY and IN_PROGRESS again (a new
 * "deployment" record with rollback true, cause "<who> rollback"). Used by
 * the breaker (who "circuit breaker") and by deployment alarms on rolling
 * deployments (who "alarm"). */
void cb_fail(deployment *d, const char *who, const char *why,
    const char *reason, bool rollback);

#endif
