/*
 * deploy_hooks — lifecycle hooks of deployments: ECS's (AWS_LAMBDA and
 * PAUSE, at the lifecycle stages of the blue/green family) and
 * CodeDeploy's (a Lambda function per lifecycle event), with what the
 * Lambda functions do, which AWS cannot know and the scenario states.
 *
 * Rules ([DOC] deployment-lifecycle-hooks.html, lambda-lifecycle-hooks.html,
 * API DeploymentLifecycleHook, DeploymentLifecycleHookDetail,
 * ContinueServiceDeployment; CodeDeploy reference-appspec-file-structure-
 * hooks):
 *  - an ECS Lambda hook returns hookStatus SUCCEEDED (continue), FAILED
 *    (roll back) or IN_PROGRESS (invoked again after callBackDelay, 30 s by
 *    default); a function error or an invalid status rolls back;
 *  - a PAUSE hook is AWAITING_ACTION until ecs:ContinueServiceDeployment
 *    (action CONTINUE, the default, or ROLLBACK);
 *  - a hook not resolved within timeoutInMinutes (default 1440) is
 *    TIMED_OUT and its timeout action (ROLLBACK by default, or CONTINUE)
 *    applies; hook statuses AWAITING_ACTION, IN_PROGRESS, SUCCEEDED,
 *    FAILED, TIMED_OUT;
 *  - the hooks of one stage all complete before the deployment proceeds;
 *  - during a rollback the TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT
 *    hooks run again (deploy_bluegreen; their facts say duringRollback);
 *  - a CodeDeploy hook's function reports Succeeded or Failed; one that
 *    does not report within 1 hour fails the deployment.
 *
 * Section "lambdaFunctions": an object keyed by function name or ARN:
 *   {"duration": <dist, default 1s>, "hookStatus": "SUCCEEDED" | "FAILED"
 *    | "ERROR" | "IN_PROGRESS", "inProgress": N, "callBackDelay": s}
 * ERROR: the function fails (or returns no valid hookStatus);
 * IN_PROGRESS: it answers IN_PROGRESS forever (the hook times out);
 * inProgress: IN_PROGRESS answers before the final hookStatus. A function
 * the section does not name succeeds after 1 s [INF], listed in the run's
 * assumptions.
 *
 * Every hook execution is a "lifecycle_hook" fact (docs/observations.md).
 * Invariant: a batch calls its done callback exactly once, from an event,
 * never from within hk_run_* or hk_continue.
 */
#ifndef MODEL_ECS_DEPLOY_HOOKS_H
#define MODEL_ECS_DEPLOY_HOOKS_H

#include "model/ecs/ecs_cfg.h"

typedef struct hk_batch hk_batch;
/* All hooks of a batch finished: proceed, or roll back (why: the hook and
 * its status). */
typedef void (*hk_done_fn)(void *ctx, bool proceed, const char *why);

/* The section "lambdaFunctions". */
int hk_parse_lambda(void *ctx, const jr_val *v, sim_error *err);
/* Run every hook of hooks[0..n) that names stage, for deployment d.
 * Returns NULL (calling nothing) when none does; else a batch that calls
 * done(ctx, ...) once, later. */
hk_batch *hk_run_ecs(deployment *d, lc_stage stage, const lifecycle_hook *hooks,
    int n, hk_done_fn done, void *ctx);
/* The hooks of b run during a rollback (their facts say so). */
void hk_mark_rollback(hk_batch *b);
/* A CodeDeploy lifecycle event's hook (function: its Lambda function). */
hk_batch *hk_run_codedeploy(deployment *d, const char *event,
    const char *function, hk_done_fn done, void *ctx);
/* Stop a batch (its deployment rolled back or was superseded): its hooks
 * end where they are and done is never called. NULL is a no-op. */
void hk_cancel(hk_batch *b);
/* ecs:ContinueServiceDeployment on service s: act on its paused hook
 * hook_id (NULL: the only one paused). Returns NULL, or why AWS would
 * refuse the call. */
const char *hk_continue(service *s, const char *hook_id, bool rollback);
/* Free what running hooks hold (the model is going). */
void hk_free(model *m);
/* The hooks' assumptions (functions the scenario does not describe). */
void hk_assume(model *m);

#endif
