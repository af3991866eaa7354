/*
 * aas — Application Auto Scaling of ECS services, with the CloudWatch
 * metrics and alarms that drive it.
 *
 * Every metric period (60 s; 20 s when a service has a high-resolution
 * policy) each scaled service publishes CPUUtilization, MemoryUtilization
 * and, behind a load balancer, RequestCountPerTarget for the period just
 * ended ([DOC] autoscaling.md §3). A datapoint reaches its alarms
 * cloudwatch.publicationDelay later [INF]; alarms are evaluated as it
 * arrives, and while an alarm stays in ALARM its policy is invoked again
 * at every evaluation, i.e. once a minute [DOC §1.4].
 *
 * Section "scaling": {"scalableTargets": [register-scalable-target input],
 * "scalingPolicies": [put-scaling-policy input], "scheduledActions":
 * [put-scheduled-action input], "alarms": [put-metric-alarm input, for
 * step scaling policies]}; the same calls may appear in the timeline.
 */
#ifndef MODEL_AUTOSCALING_AAS_H
#define MODEL_AUTOSCALING_AAS_H

#include "model/autoscaling/alarm.h"
#include "model/ecs/ecs.h"
#include "model/autoscaling/scaling_policy.h"
#include "sim/scenario.h"

typedef struct aas_cfg aas_cfg;

int aas_parse(void *ctx, const jr_val *v, sim_error *err);
void aas_register_calls(model_cfg *c, scn_spec *sp);
/* Application Auto Scaling's API operations (serve) into c->ops. */
void aas_register_api(model_cfg *c);

/* Subscribe to ECS: services get their scaling when created. */
void aas_start(model *m);
void aas_free(model *m);
void aas_assume(model *m);
/* Write the service's cpuTarget series for the current row. */
void aas_sample(service *s);

#endif
