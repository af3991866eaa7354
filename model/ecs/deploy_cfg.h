/*
 * deploy_cfg — the parts of create-service / update-service input that
 * choose how a service deploys: deploymentController, the strategy of the
 * blue/green family (strategy, bakeTimeInMinutes, linearConfiguration,
 * canaryConfiguration, lifecycleHooks), deployment alarms, and the load
 * balancers' advancedConfiguration; with the rules that tie them together.
 *
 * Rules enforced here, with their sources ([DOC] API model unless noted):
 *  - strategy ROLLING | BLUE_GREEN | LINEAR | CANARY, only with the ECS
 *    controller; BLUE_GREEN requires bakeTimeInMinutes (0-1440);
 *  - linearConfiguration only with LINEAR: stepPercent a multiple of 0.1
 *    in [3.0, 100.0] (default 10.0), stepBakeTimeInMinutes 0-1440
 *    (default 6); canaryConfiguration only with CANARY: canaryPercent a
 *    multiple of 0.1 in [0.1, 100.0] (default 5.0), canaryBakeTimeInMinutes
 *    0-1440 (default 10);
 *  - lifecycleHooks: targetType AWS_LAMBDA (default; hookTargetArn
 *    required) or PAUSE; lifecycleStages among DeploymentLifecycleHookStage;
 *    timeoutConfiguration.timeoutInMinutes 1-20160 (default 1440), action
 *    ROLLBACK (default) or CONTINUE;
 *  - alarms: alarmNames, enable and rollback all required;
 *  - the blue/green family behind a load balancer needs each binding's
 *    advancedConfiguration (alternateTargetGroupArn, productionListenerRule);
 *  - CODE_DEPLOY and EXTERNAL: REPLICA only; on EC2 a custom
 *    minimumHealthyPercent or maximumPercent is refused.
 * Invariant: a parsed deploy_cfg has a strategy its controller supports and
 * every field the strategy reads set (defaults filled in).
 */
#ifndef MODEL_ECS_DEPLOY_CFG_H
#define MODEL_ECS_DEPLOY_CFG_H

#include "model/ecs/ecs_cfg.h"

/* Fill dc's blue/green-family defaults (the API's). */
void dcfg_defaults(deploy_cfg *dc);
/* Read the strategy members of a deploymentConfiguration object o
 * (strategy, bakeTimeInMinutes, linearConfiguration, canaryConfiguration,
 * lifecycleHooks, alarms) into dc; the caller reads the rest and calls
 * jr_done. Returns 0 or a SIM_E* code with err filled. */
int dcfg_parse(model_cfg *c, jr_obj *o, deploy_cfg *dc, sim_error *err);
/* deploymentController {"type": ...} of create-service input. */
int dcfg_parse_controller(const jr_val *v, deploy_controller *out,
    sim_error *err);
/* A loadBalancers entry's advancedConfiguration (o is the entry). */
int dcfg_parse_advanced(model_cfg *c, jr_obj *o, lb_binding *b,
    sim_error *err);
/* Cross-field rules of a parsed service (v: its input, for positions;
 * dc_given: the input had a deploymentConfiguration). */
int dcfg_check_service(const model_cfg *c, const svc_cfg *s, const jr_val *v,
    bool dc_given, sim_error *err);
/* "BLUE_GREEN", ...; "ECS", ... */
const char *dcfg_strategy_name(deploy_strategy s);
const char *dcfg_controller_name(deploy_controller c);
/* The lifecycle stage name of AWS (LC_PRE_PRODUCTION_TRAFFIC_SHIFT
 * included). */
const char *dcfg_stage_name(lc_stage s);
/* The name of a target group reference: NAME of
 * arn:aws:elasticloadbalancing:R:A:targetgroup/NAME/ID, else the reference
 * itself (ARN syntax only; whether it exists is ELB's to say). Writes at
 * most size bytes. */
const char *dcfg_tg_name(const char *ref, char *buf, size_t size);

#endif
