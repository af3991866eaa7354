/*
 * deploy_codedeploy — CodeDeploy blue/green deployments of CODE_DEPLOY
 * services: deployment configs, deployment groups (section "codeDeploy"),
 * the AppSpec, and the deployment itself on ECS task sets (timeline calls
 * codedeploy:CreateDeployment and codedeploy:ContinueDeployment).
 *
 * Rules ([DOC] CodeDeploy user guide deployment-configurations.html,
 * deployment-steps-ecs.html, reference-appspec-file-structure-hooks.html;
 * API CreateDeploymentGroup, CreateDeploymentConfig, BlueInstanceTermination
 * Option, DeploymentReadyOption, AutoRollbackConfiguration):
 *  - configs CodeDeployDefault.ECSAllAtOnce, ECSLinear10PercentEvery1Minutes,
 *    ECSLinear10PercentEvery3Minutes, ECSCanary10Percent5Minutes,
 *    ECSCanary10Percent15Minutes; custom TimeBasedCanary {canaryPercentage,
 *    canaryInterval}, TimeBasedLinear {linearPercentage, linearInterval},
 *    AllAtOnce;
 *  - lifecycle events BeforeInstall (hook), Install (the replacement task
 *    set, in the other target group of the pair, until it is in
 *    STEADY_STATE: up to 1 hour), AfterInstall (hook), AllowTestTraffic
 *    (the test listener to the replacement, when the group has one),
 *    AfterAllowTestTraffic (hook), BeforeAllowTraffic (hook), AllowTraffic
 *    (production by the config), AfterAllowTraffic (hook); a hook's
 *    function reports within 1 hour or the deployment fails;
 *  - then the replacement is the primary task set and, with action
 *    TERMINATE, the original is deleted after terminationWaitTimeInMinutes
 *    (0-2880; default when omitted: codedeploy.terminationWaitDefault
 *    [UNCONFIRMED], the console's 60); KEEP_ALIVE keeps it;
 *  - deploymentReadyOption STOP_DEPLOYMENT: production rerouting waits for
 *    codedeploy:ContinueDeployment (READY_WAIT) up to waitTimeInMinutes,
 *    else the deployment is Stopped; ContinueDeployment TERMINATION_WAIT
 *    ends the termination wait early;
 *  - alarms (alarmConfiguration) stop the deployment; autoRollbackConfiguration
 *    events DEPLOYMENT_FAILURE / DEPLOYMENT_STOP_ON_ALARM /
 *    DEPLOYMENT_STOP_ON_REQUEST roll back: traffic returns to the original
 *    task set, the replacement is deleted;
 *  - a scaling event during the traffic shift: the deployment continues for
 *    5 minutes and fails if the task sets are not in steady state then.
 * The AppSpec is the JSON form, given inline (revision.appSpecContent.content:
 * a JSON string, or the object itself, e.g. {"file": "appspec.json"});
 * TaskDefinition "<TASK_DEFINITION>" (CodePipeline's placeholder) is the
 * latest revision of the service's family at that point of the timeline.
 *
 * Records: the replacement task set's "deployment" fact (controller
 * CODE_DEPLOY, codeDeployStatus Succeeded / Failed / Stopped), a
 * "deployment_stage" fact per lifecycle event (ecsim adds the console's
 * last two steps as TerminationWait and TerminateOriginalTaskSet),
 * "lifecycle_hook" and "traffic_shift" facts.
 */
#ifndef MODEL_ECS_DEPLOY_CODEDEPLOY_H
#define MODEL_ECS_DEPLOY_CODEDEPLOY_H

#include "model/ecs/ecs_cfg.h"

/* Section "codeDeploy" and the calls codedeploy:CreateDeployment,
 * codedeploy:ContinueDeployment. */
void cd_register(model_cfg *c, scn_spec *sp);
/* After a sets-mode pass: events waiting on task sets advance. */
void cd_progress(service *s);
/* The desired count changed (the 5-minute rule during a traffic shift). */
void cd_desired_changed(service *s);
/* Does the scenario use CodeDeploy? (for the assumptions) */
bool cd_used(const model_cfg *c);

#endif
