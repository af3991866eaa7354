/*
 * deploy — how a service deploys, beyond the rolling update: the seam
 * between the service scheduler (service.c) and the strategies, each in
 * its own file:
 *
 *   deploy_bluegreen.c   ECS-native BLUE_GREEN, LINEAR and CANARY: the
 *                        lifecycle stages, bake times, traffic shifts and
 *                        rollback by re-shifting traffic;
 *   deploy_hooks.c       lifecycle hooks (AWS_LAMBDA with its scenario
 *                        outcome, PAUSE) and the "lambdaFunctions" section;
 *   deploy_alarms.c      deployment alarms (rolling and blue/green) and the
 *                        alarm states CloudWatch pushes into ECS;
 *   task_sets.c          task sets and the scheduler pass that keeps each
 *                        deployment at its own count; the EXTERNAL
 *                        controller's calls;
 *   deploy_codedeploy.c  CodeDeploy blue/green (CODE_DEPLOY).
 *
 * The rolling update stays service.c's. A deployment whose `want` is >= 0
 * is kept at that many tasks by the task-set pass instead of being
 * replaced; traffic between a service's two target-group slots is
 * service.prod_w/test_w, announced to the load balancer and the traffic
 * model through listeners.h (traffic_will_shift/traffic_shifted).
 *
 * Invariant: while a service is in "sets mode" (a deployment has want >=
 * 0), every pass leaves each deployment with at most `want` tasks it
 * means to keep, and the stage machines advance only from passes, timers
 * and hook outcomes (never from within a task transition).
 */
#ifndef MODEL_ECS_DEPLOY_H
#define MODEL_ECS_DEPLOY_H

#include "model/ecs/ecs_cfg.h"
#include "model/ecs/service_int.h"

/* The strategies' named parameters (listed in a run that uses a
 * strategy other than the rolling update, deployment alarms, a
 * CODE_DEPLOY or an EXTERNAL service). */
typedef struct dpl_params {
	bool cb_blue_green;        /* [UNCONFIRMED] breaker on BLUE_GREEN */
	bool cb_linear_canary;     /* [UNCONFIRMED] breaker on LINEAR/CANARY */
	sim_time bake_default;     /* [UNCONFIRMED] LINEAR/CANARY BAKE_TIME when
	                              bakeTimeInMinutes is absent */
	sim_time alarm_bake;       /* [UNCONFIRMED] rolling alarm bake; 0: derived
	                              from the alarms [INF] */
	int task_set_default_scale; /* [OBS] CreateTaskSet without scale, percent */
	sim_time cd_termination_wait; /* [UNCONFIRMED] CodeDeploy's wait before
	                              deleting the original task set when the
	                              deployment group does not say */
} dpl_params;

/* The block (borrowed from the configuration). */
const dpl_params *dpl_params_of(const model_cfg *c);

/* Sections and timeline calls of the strategies: "lambdaFunctions",
 * "codeDeploy", ecs:ContinueServiceDeployment, ecs:CreateTaskSet,
 * ecs:UpdateTaskSet, ecs:UpdateServicePrimaryTaskSet, ecs:DeleteTaskSet,
 * codedeploy:CreateDeployment, codedeploy:ContinueDeployment; and the
 * load-time check that deployment alarms exist. */
void dpl_register(model_cfg *c, scn_spec *sp);
/* The strategies' assumptions (rec_assume), for a run that uses them. */
void dpl_assume(model *m);

/* service.c: deployment d (just created, now PRIMARY; prev: the one it
 * supersedes, or NULL) begins under the service's controller and
 * strategy. */
void dpl_begin(service *s, deployment *d, deployment *prev);
/* service.c: is s in sets mode (see above)? */
bool dpl_sets_mode(const service *s);
/* service.c: the sets-mode pass (after unhealthy replacement). */
void dpl_pass(service *s, id_list *started, id_list *stopped);
/* service.c: the desired count changed from `from` to `to`. */
void dpl_desired_changed(service *s, int from, int to);
/* service.c: may d, at steady state, become COMPLETED now? (Not while a
 * deployment alarm's bake time runs.) */
bool dpl_may_complete(deployment *d);
/* circuit_breaker.c: d failed (breaker tripped). Returns true when the
 * strategy handled it (the blue/green family rolls back by re-shifting
 * traffic); false: the rolling rollback applies. */
bool dpl_breaker_tripped(deployment *d);
/* Does the circuit breaker count failures of d? (For the blue/green
 * family: ecs.circuitBreakerBlueGreen / ecs.circuitBreakerLinearCanary.) */
bool dpl_breaker_applies(const deployment *d);
/* The recorder series of d's production traffic weight; written by
 * ecs_sample at each sample (NaN while the service's traffic is not
 * weighted). */
void dpl_sample(service *s);

/* Shift s's traffic: production and test weights per slot (percent),
 * pooled or not; announced to the listeners and recorded ("traffic_shift"
 * fact, event). why: what shifted it (stage name, call). */
void dpl_shift(service *s, double prod0, double prod1, double test0,
    double test1, bool pooled, const char *why);
/* The percent of production traffic deployment d's slot gets now (-1 when
 * the service's traffic is not weighted). */
double dpl_weight_of(const deployment *d);
/* Unlink a deployment that has no task left and no role any more. */
void dpl_unlink(service *s, deployment *d);
/* Stop-time reason text used by every strategy's scale-in. */
const char *dpl_scale_in_reason(service *s, const deployment *by);

#endif
