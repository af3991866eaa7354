/*
 * alarm — CloudWatch metric alarms: "M out of N" datapoints over a ring of
 * periods, with CloudWatch's documented rules for missing data, plus the
 * alarms that Application Auto Scaling (target tracking) and ECS managed
 * scaling (capacity providers) create on the user's behalf.
 *
 * Pure: no clock, no events. The caller feeds one datapoint (or nothing)
 * per period k = t / Period and asks for an evaluation with period k as the
 * newest of the evaluation range; the alarm remembers its state between
 * evaluations. Invariant: the ring holds exactly the evaluation range
 * (N + extra_range periods), so an evaluation costs O(N) and memory is
 * fixed at alarm_new.
 *
 * Evaluation rules (CloudWatch user guide, "How alarm state is evaluated
 * when data is missing", its two tables and "Avoiding premature
 * transitions"; reference §1.4). With N = EvaluationPeriods, M =
 * DatapointsToAlarm and R = the evaluation range:
 *   1. [DOC] At least N real datapoints in the range: the N most recent
 *      real ones are evaluated; ALARM if >= M breach, else OK. The
 *      TreatMissingData setting is not consulted.
 *   2. [DOC] No real datapoint in the range: missing -> INSUFFICIENT_DATA,
 *      ignore -> keep the current state, breaching -> ALARM,
 *      notBreaching -> OK.
 *   3. k real datapoints, 0 < k < N: all k are evaluated plus N - k filled.
 *      breaching / notBreaching [DOC]: the fills count as breaching / not;
 *      ALARM if >= M breach, else OK.
 *      missing [DOC+INF]: ALARM if >= M real ones breach; otherwise, if
 *      every real datapoint breaches and the oldest of them is at least M
 *      periods old (the newest period is 1 old), ALARM (the documented
 *      premature-transition rule); otherwise, if every real datapoint
 *      breaches, the state is kept [INF: the guide only says the alarm
 *      "does not go immediately into ALARM"]; otherwise OK. Requiring
 *      *every* real datapoint to breach (not only the more recent ones, as
 *      the guide's sentence reads) is what reproduces its M-of-N table
 *      row "0 - X - -" -> OK [INF]; the guide's sentence for M-of-N alarms
 *      says "as old as Evaluation Periods" but its own table ("- - - X -",
 *      2 of 3 -> ALARM) needs M, which is used.
 *      ignore [DOC table + INF]: ALARM if >= M real ones breach; else keep
 *      the state if every real datapoint breaches; else OK.
 *   The range R = N + extra_range; the guide's example fetches 5 periods
 *   for N = 3 ("depends on the period and resolution"): extra_range = 2 by
 *   default [INF].
 */
#ifndef MODEL_AUTOSCALING_ALARM_H
#define MODEL_AUTOSCALING_ALARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/jread.h"
#include "sim/recorder.h"
#include "sim/simtime.h"

typedef enum alarm_state {
	ALARM_INSUFFICIENT_DATA = 0, /* [DOC] the state of a new alarm */
	ALARM_OK,
	ALARM_ALARM,
} alarm_state;

typedef enum alarm_cmp {
	ALARM_GT, /* GreaterThanThreshold */
	ALARM_GE, /* GreaterThanOrEqualToThreshold */
	ALARM_LT, /* LessThanThreshold */
	ALARM_LE, /* LessThanOrEqualToThreshold */
} alarm_cmp;

typedef enum alarm_missing {
	ALARM_MISSING_MISSING = 0, /* [DOC] the default */
	ALARM_MISSING_NOT_BREACHING,
	ALARM_MISSING_BREACHING,
	ALARM_MISSING_IGNORE,
} alarm_missing;

typedef enum alarm_stat {
	ALARM_STAT_AVERAGE = 0,
	ALARM_STAT_SUM,
	ALARM_STAT_MINIMUM,
	ALARM_STAT_MAXIMUM,
	ALARM_STAT_SAMPLE_COUNT,
} alarm_stat;

typedef struct alarm_dim {
	const char *name, *value;
} alarm_dim;

/* [INF] periods fetched beyond N (the guide's example: 5 for N = 3). */
#define ALARM_EXTRA_RANGE 2
/* [INF] longest N x Period accepted: 7 days (the one-day limit of older
 * guides is gone since multi-day alarms). */
#define ALARM_MAX_SPAN (7 * SIM_DAY)

typedef struct alarm_config {
	/* What the alarm watches: metadata for the caller (may be NULL for
	 * the alarms ecsim builds itself). Strings are borrowed. */
	const char *name;
	const char *metric_name;
	const char *ns;
	const alarm_dim *dims;
	int ndims;
	const char *const *alarm_actions; /* AlarmActions ARNs, borrowed */
	int nalarm_actions;
	alarm_stat statistic;

	sim_time period;        /* 10, 20, 30 s or a multiple of 60 s [DOC] */
	int evaluation_periods; /* N >= 1 */
	int datapoints_to_alarm; /* M in [1, N]; [DOC] default N */
	alarm_cmp cmp;
	double threshold;
	alarm_missing treat_missing; /* [DOC] default missing */
	int extra_range;        /* R = N + extra_range [INF] */
	jr_pos pos;             /* of the parsed object; file NULL otherwise */
} alarm_config;

/* Set *c to: period 60 s, 1 of 1, GreaterThanThreshold 0, Average,
 * missing, extra_range ALARM_EXTRA_RANGE, no names. */
void alarm_config_init(alarm_config *c);

/* Check the rules CloudWatch enforces on a config: Period 10, 20, 30 or a
 * multiple of 60 s; N >= 1; 1 <= M <= N; N x Period <= ALARM_MAX_SPAN;
 * extra_range >= 0. Returns 0, or -1 with the reason in why. */
int alarm_config_check(const alarm_config *c, char *why, size_t size);

/* True if value v breaches c's threshold. */
bool alarm_breaches(const alarm_config *c, double v);

typedef struct alarm alarm;

/* Returns an owned alarm in INSUFFICIENT_DATA, with a copy of *c (strings
 * stay borrowed); free with alarm_free (NULL is a no-op). c must pass
 * alarm_config_check (programmer error otherwise). */
alarm *alarm_new(const alarm_config *c);
void alarm_free(alarm *a);
const alarm_config *alarm_get_config(const alarm *a);
alarm_state alarm_get_state(const alarm *a);

/* The period index of time t: t / Period (t >= 0). */
int64_t alarm_period_of(const alarm *a, sim_time t);

/* Record the datapoint of period k >= 0 (the statistic's value for that
 * period). Recording period k again replaces it. A datapoint older than
 * the range behind the newest period recorded is dropped (returns false):
 * CloudWatch would no longer look at it. */
bool alarm_put(alarm *a, int64_t k, double value);
/* Record that period k has no datapoint (the default for a period never
 * put); same return as alarm_put. */
bool alarm_put_missing(alarm *a, int64_t k);

/* The outcome of one evaluation and the datapoints it used. */
typedef struct alarm_eval {
	alarm_state state;  /* after the evaluation */
	alarm_state prev;   /* before it */
	bool changed;       /* state != prev */
	int real;           /* real datapoints evaluated (<= N) */
	int filled;         /* N - real: periods filled per TreatMissingData */
	int breaching;      /* breaching among the real ones */
	/* Over the real datapoints evaluated (valid when real > 0): the
	 * newest, their mean, minimum and maximum. */
	double latest, average, minimum, maximum;
} alarm_eval;

/* Evaluate with period k as the newest period of the evaluation range
 * (rules in the header comment), update the state, fill *out. */
void alarm_evaluate(alarm *a, int64_t k, alarm_eval *out);

/* "OK", "ALARM", "INSUFFICIENT_DATA". */
const char *alarm_state_name(alarm_state s);
/* AWS enum names: "GreaterThanThreshold", ... / "missing", ... /
 * "Average", ... */
const char *alarm_cmp_name(alarm_cmp c);
const char *alarm_missing_name(alarm_missing m);
const char *alarm_stat_name(alarm_stat s);

/* Read a PutMetricAlarm input (static-threshold alarms on one metric):
 * AlarmName, MetricName, Namespace, Statistic, Dimensions [{Name, Value}],
 * Period, EvaluationPeriods, DatapointsToAlarm, Threshold,
 * ComparisonOperator, TreatMissingData, Unit; AlarmDescription,
 * ActionsEnabled, OKActions, InsufficientDataActions and Tags are accepted
 * and ignored; AlarmActions is kept (a step policy is linked by its ARN:
 * see alarm_action_policy_name). Strings live in v's loader arena.
 * Returns 0 or SIM_EINPUT with *err filled. */
int alarm_parse(const jr_val *v, alarm_config *out, sim_error *err);

/* The policy name at the end of an Application Auto Scaling policy ARN
 * ("...:policyName/NAME"), pointing into arn; NULL if arn has none. */
const char *alarm_action_policy_name(const char *arn);

/* ---- alarms created by the services ---- */

/* Target tracking alarms (AAS creates AlarmHigh and AlarmLow per policy;
 * reference §1.3). All values [OBS]: named so that runs list them. */
typedef struct alarm_tt_params {
	sim_time period;         /* 60 s [OBS] */
	int high_periods;        /* AlarmHigh: 3 [OBS] */
	int high_datapoints;     /* 3 [OBS] */
	int low_periods;         /* AlarmLow: 15 [OBS] */
	int low_datapoints;      /* 15 [OBS] */
	double low_factor;       /* AlarmLow threshold = 0.9 x target [OBS] */
	sim_time hires_period;   /* high-resolution metric types: 20 s,
	                          * same counts [UNCONFIRMED §1.3] */
} alarm_tt_params;

/* Capacity provider alarms (ECS managed scaling; reference §4.4). */
typedef struct alarm_cp_params {
	sim_time period;         /* 60 s [AWS-STAFF] */
	int high_periods;        /* 1 [AWS-STAFF] */
	int high_datapoints;     /* 1 */
	int low_periods;         /* 15 [AWS-STAFF, OBS] */
	int low_datapoints;      /* 15 */
	double low_factor;       /* low threshold = 1.0 x targetCapacity
	                          * ([OBS] at 100; [UNCONFIRMED] below) */
} alarm_cp_params;

void alarm_tt_params_default(alarm_tt_params *p);
void alarm_cp_params_default(alarm_cp_params *p);

/* The two target tracking alarms for target value `target`: high =
 * GreaterThanThreshold target, low = LessThanThreshold low_factor x
 * target; Average; TreatMissingData missing [OBS]. hires selects
 * hires_period (the *HighResolution metric types). */
void alarm_tt_configs(const alarm_tt_params *p, double target, bool hires,
    alarm_config *high, alarm_config *low);
/* The two capacity provider alarms on CapacityProviderReservation for
 * targetCapacity: high = CPR > target (1 of 1), low = CPR < low_factor x
 * target (15 of 15). */
void alarm_cp_configs(const alarm_cp_params *p, int target_capacity,
    alarm_config *high, alarm_config *low);


#endif
