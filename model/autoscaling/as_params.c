/*
 * as_params — Auto Scaling's and CloudWatch's named parameters (see
 * as_params.h).
 */
#include "model/autoscaling/as_params.h"

#include <stddef.h>

#define P(field) offsetof(asp_params, field)

static const char *const tt_sources[] = {"latest", "average", "maximum"};
static const char *const in_metrics[] = {"(N - empty) / N x 100", "100 - empty"};
static const char *const mixed[] = {"first", "cycle"};

_Static_assert(sizeof(sp_tt_source) == sizeof(int), "enum parameters are ints");

static const param_def defs[] = {
	{.name = "cloudwatch.publicationDelay", .tag = "INF", .type = PT_DURATION,
	    .note = "a datapoint reaches its alarms this long after its period ends (AWS's benchmark: 363 s from a load step to the scale-out trigger with 60 s metrics)",
	    .offset = P(publication_delay), .lo = 0, .hi = SIM_HOUR},
	{.name = "cloudwatch.evaluationRangeExtra", .tag = "INF", .type = PT_INT,
	    .note = "evaluation range = EvaluationPeriods + this many periods (the CloudWatch guide's example fetches 5 for 3)",
	    .offset = P(eval_extra), .lo = 0, .hi = 100},
	{.name = "targetTracking.alarmPeriod", .tag = "OBS", .type = PT_DURATION,
	    .note = "AAS-created alarms use 60 s periods",
	    .offset = P(tt.period), .lo = 10 * SIM_SEC, .hi = SIM_HOUR},
	{.name = "targetTracking.alarmHigh.evaluationPeriods", .tag = "OBS", .type = PT_INT,
	    .note = "AlarmHigh: metric > target", .offset = P(tt.high_periods), .lo = 1, .hi = 100},
	{.name = "targetTracking.alarmHigh.datapointsToAlarm", .tag = "OBS", .type = PT_INT,
	    .note = "AlarmHigh M of N", .offset = P(tt.high_datapoints), .lo = 1, .hi = 100},
	{.name = "targetTracking.alarmLow.evaluationPeriods", .tag = "OBS", .type = PT_INT,
	    .note = "AlarmLow: metric < factor x target", .offset = P(tt.low_periods), .lo = 1, .hi = 100},
	{.name = "targetTracking.alarmLow.datapointsToAlarm", .tag = "OBS", .type = PT_INT,
	    .note = "AlarmLow M of N", .offset = P(tt.low_datapoints), .lo = 1, .hi = 100},
	{.name = "targetTracking.alarmLow.thresholdFactor", .tag = "OBS", .type = PT_NUM,
	    .note = "AWS docs only say 'usually more than 10% lower'",
	    .offset = P(tt.low_factor), .nlo = 0.01, .nhi = 1.0},
	{.name = "targetTracking.highResolutionAlarmPeriod", .tag = "UNCONFIRMED", .type = PT_DURATION,
	    .note = "alarms of the *HighResolution metric types were not found; same datapoint counts assumed",
	    .offset = P(tt.hires_period), .lo = 10 * SIM_SEC, .hi = SIM_HOUR},
	{.name = "targetTracking.metricValue", .tag = "UNCONFIRMED", .type = PT_ENUM,
	    .note = "which datapoint of the alarm feeds the capacity formula",
	    .offset = P(tt_source), .names = tt_sources, .nnames = 3},
	{.name = "cooldown.scaleOutBlocksScaleIn", .tag = "UNCONFIRMED", .type = PT_BOOL,
	    .note = "whether a scale-out cooldown also holds scale-in (docs are silent)",
	    .offset = P(out_cooldown_blocks_in)},
	{.name = "schedule.epoch", .tag = "INF", .type = PT_TIMESTAMP,
	    .note = "UTC date-time of simulated time 0, for at() and cron() schedules",
	    .offset = P(epoch)},
	{.name = "capacityProvider.alarmPeriod", .tag = "AWS-STAFF", .type = PT_DURATION,
	    .note = "CapacityProviderReservation alarms", .offset = P(cp.period), .lo = 10 * SIM_SEC, .hi = SIM_HOUR},
	{.name = "capacityProvider.alarmHigh.datapointsToAlarm", .tag = "AWS-STAFF", .type = PT_INT,
	    .note = "CPR > targetCapacity, 1 of 1", .offset = P(cp.high_datapoints), .lo = 1, .hi = 100},
	{.name = "capacityProvider.alarmLow.datapointsToAlarm", .tag = "AWS-STAFF", .type = PT_INT,
	    .note = "CPR < targetCapacity, 15 of 15", .offset = P(cp.low_datapoints), .lo = 1, .hi = 100},
	{.name = "capacityProvider.alarmLow.thresholdFactor", .tag = "UNCONFIRMED", .type = PT_NUM,
	    .note = "observed equal to targetCapacity at 100; unknown below",
	    .offset = P(cp.low_factor), .nlo = 0.01, .nhi = 1.0},
	{.name = "capacityProvider.scaleInMetric", .tag = "UNCONFIRMED", .type = PT_ENUM,
	    .note = "with no task provisioning: the current page's (N - empty) / N, or the 2023 guide's 100 - empty",
	    .offset = P(cas_in_metric), .names = in_metrics, .nnames = 2},
	{.name = "capacityProvider.excludedTasksCpr", .tag = "DOC", .type = PT_BOOL,
	    .note = "CPR when every provisioning task fits no smallest instance: false holds it at targetCapacity (current doc), true at 100 (2023 doc)",
	    .offset = P(cas_excluded_at_100)},
	{.name = "cas.metricDelay", .tag = "INF", .type = PT_DURATION,
	    .note = "CapacityProviderReservation of a minute reaches its alarms this long after the minute ends, computed from the state then",
	    .offset = P(cas_metric_delay), .lo = 0, .hi = 59 * SIM_SEC},
	{.name = "cas.mixedGroupLaunches", .tag = "INF", .type = PT_ENUM,
	    .note = "which instance type a group with several types launches: the first listed, or each in turn",
	    .offset = P(mixed_launch), .names = mixed, .nnames = 2},
};

/* Listed when the scenario uses Application Auto Scaling or cluster auto
 * scaling. */
static bool
listed(const model_cfg *c)
{
	return c->aas != NULL || c->fleet != NULL || c->ncps > 0;
}

void
asp_register(model_cfg *c)
{
	asp_params *p = ARENA_NEW(c->a, asp_params);
	p->publication_delay = 120 * SIM_SEC;
	p->eval_extra = ALARM_EXTRA_RANGE;
	alarm_tt_params_default(&p->tt);
	alarm_cp_params_default(&p->cp);
	sp_params sp;
	sp_params_default(&sp);
	p->tt_source = (int)sp.tt_source;
	p->out_cooldown_blocks_in = sp.out_cooldown_blocks_in;
	p->epoch = sp.epoch;
	cas_params cas;
	cas_params_default(&cas);
	p->cas_in_metric = (int)cas.in_metric;
	p->cas_excluded_at_100 = cas.excluded_hold_at_100;
	p->cas_metric_delay = 0;
	p->mixed_launch = ASP_MIXED_FIRST;
	cfg_add_params(c, defs, (int)(sizeof(defs) / sizeof(defs[0])), p, listed);
}

const asp_params *
asp_get(const model_cfg *c)
{
	return cfg_params(c, defs);
}

sp_params
asp_sp(const asp_params *p)
{
	sp_params sp;
	sp_params_default(&sp);
	sp.tt_source = (sp_tt_source)p->tt_source;
	sp.out_cooldown_blocks_in = p->out_cooldown_blocks_in;
	sp.epoch = p->epoch;
	return sp;
}

cas_params
asp_cas(const asp_params *p)
{
	cas_params cas;
	cas_params_default(&cas);
	cas.in_metric = (cas_in_metric)p->cas_in_metric;
	cas.excluded_hold_at_100 = p->cas_excluded_at_100;
	return cas;
}
