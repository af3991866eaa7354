/*
 * as_params — the named parameters of Auto Scaling and CloudWatch as the
 * model uses them: when a datapoint reaches its alarms, the alarms
 * Application Auto Scaling creates for target tracking, the alarms of
 * capacity providers' managed scaling, which datapoint feeds the
 * capacity formula, cooldown interplay, the UTC time of simulated time 0,
 * and how cluster auto scaling computes and publishes its metric. Every
 * value here is [INF], [OBS], [AWS-STAFF] or [UNCONFIRMED]; each is
 * settable in the scenario's "parameters" section and listed in every
 * run that uses Auto Scaling.
 */
#ifndef MODEL_AUTOSCALING_AS_PARAMS_H
#define MODEL_AUTOSCALING_AS_PARAMS_H

#include "model/autoscaling/alarm.h"
#include "model/autoscaling/cas.h"
#include "model/autoscaling/scaling_policy.h"
#include "model/ecs/ecs_cfg.h"

typedef enum asp_mixed_launch {
	ASP_MIXED_FIRST = 0, /* a mixed group launches its first type */
	ASP_MIXED_CYCLE,     /* ... its types in turn */
} asp_mixed_launch;

typedef struct asp_params {
	sim_time publication_delay; /* cloudwatch.publicationDelay [INF] 120 s */
	int eval_extra;             /* cloudwatch.evaluationRangeExtra [INF] 2 */
	alarm_tt_params tt;         /* targetTracking.* [OBS] */
	alarm_cp_params cp;         /* capacityProvider.alarm* [AWS-STAFF] */
	int tt_source;              /* sp_tt_source: targetTracking.metricValue */
	bool out_cooldown_blocks_in; /* cooldown.scaleOutBlocksScaleIn */
	int64_t epoch;              /* schedule.epoch, Unix seconds */
	int cas_in_metric;          /* cas_in_metric: capacityProvider.scaleInMetric */
	bool cas_excluded_at_100;   /* capacityProvider.excludedTasksCpr */
	sim_time cas_metric_delay;  /* cas.metricDelay [INF] 0 */
	int mixed_launch;           /* asp_mixed_launch: cas.mixedGroupLaunches */
} asp_params;

/* Register the table (in model_register, before the sections). */
void asp_register(model_cfg *c);
/* The run's values (borrowed; valid with c). */
const asp_params *asp_get(const model_cfg *c);
/* The same values in the shapes of the pure modules. */
sp_params asp_sp(const asp_params *p);
cas_params asp_cas(const asp_params *p);

#endif
