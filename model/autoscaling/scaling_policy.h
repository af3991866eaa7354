/*
 * scaling_policy — Application Auto Scaling for ECS services as pure
 * functions: the AWS input shapes (register-scalable-target,
 * put-scaling-policy, put-scheduled-action), the capacity a target
 * tracking or step policy asks for, cooldowns, how several policies
 * combine, the ECS Min/Max boundary rules and scheduled actions.
 *
 * No clock and no events: the caller (the simulation) owns the alarms, the
 * policies' cooldown states and the scalable target, and calls these when
 * an alarm is in ALARM (AAS re-invokes the policy once per minute while it
 * stays there [DOC §1.4]). One invocation of the policies of a target:
 *
 *   for each policy p:                       (its alarm just evaluated)
 *       metric = sp_tt_metric(eval, params)  or sp_step_metric(cfg, eval)
 *       vote[p].req = sp_tt_request(...)     or sp_step_request(...)
 *   w = sp_combine(votes, n, gate, desired, &capacity)
 *   if w >= 0: set desiredCount = capacity;
 *              sp_cooldown_note(&cd[w], ...);
 *              if capacity > desired: sp_cooldown_end_in(&cd[i]) for all i
 *
 * Choices not confirmed by AWS (each a named parameter or stated here):
 *   [INF §1.5] target tracking capacity = ceil(running x metric / target).
 *   [UNCONFIRMED §9.2] the metric value TT uses: the newest datapoint of
 *       the alarm's evaluation (sp_params.tt_source).
 *   [UNCONFIRMED §1.6] cooldowns are tracked per policy; a scale-out
 *       cooldown does not gate scale-in (sp_params.out_cooldown_blocks_in).
 *   [INF] a scale-out inside the scale-out cooldown restarts it and keeps
 *       the capacity before the first scale-out of the chain as the base
 *       against which "already added" capacity is counted; a scale-in
 *       ends the scale-out cooldown.
 *   [INF] schedules: sim time 0 is sp_params.epoch (default
 *       2026-01-01T00:00:00Z); rate(N unit) fires at anchor + k x N,
 *       k >= 1, anchor = StartTime or the time the action was put.
 */
#ifndef MODEL_AUTOSCALING_SCALING_POLICY_H
#define MODEL_AUTOSCALING_SCALING_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/autoscaling/alarm.h"

/* [DOC] TargetValue range: 2^-360 to 2^360 (8.515920e-109 to 1.174271e+108). */
#define SP_TARGET_MIN 8.515920e-109
#define SP_TARGET_MAX 1.174271e+108
#include "sim/error.h"
#include "sim/jread.h"
#include "sim/recorder.h"
#include "sim/simtime.h"

/* [DOC §1.6, §2.1] default cooldowns for ECS services. */
#define SP_DEFAULT_COOLDOWN (300 * SIM_SEC)
/* [DOC §1.1] step adjustments per step policy. */
#define SP_MAX_STEPS 20
/* [INF] Unix time of sim time 0: 2026-01-01T00:00:00Z (a Thursday). */
#define SP_DEFAULT_EPOCH INT64_C(1767225600)

/* ---- parameters ---- */

typedef enum sp_tt_source {
	SP_TT_LATEST = 0, /* newest datapoint evaluated */
	SP_TT_AVERAGE,    /* mean of the datapoints evaluated */
	SP_TT_MAXIMUM,
} sp_tt_source;

typedef struct sp_params {
	sp_tt_source tt_source;      /* SP_TT_LATEST [UNCONFIRMED §9.2] */
	bool out_cooldown_blocks_in; /* false [UNCONFIRMED §1.6] */
	int64_t epoch;               /* SP_DEFAULT_EPOCH [INF] */
} sp_params;

void sp_params_default(sp_params *p);
/* Record the choices of method with no parameter (tag MODEL). */
void sp_assume(recorder *r);

/* ---- register-scalable-target ---- */

typedef struct sp_suspended {
	bool dynamic_in;  /* DynamicScalingInSuspended, default false [DOC] */
	bool dynamic_out; /* DynamicScalingOutSuspended */
	bool scheduled;   /* ScheduledScalingSuspended */
} sp_suspended;

typedef struct sp_target {
	const char *resource_id; /* "service/<cluster>/<service>" */
	const char *cluster, *service;
	bool has_min, has_max; /* required for a new target [DOC]: the caller
	                        * checks, knowing whether it is new */
	int min, max;
	bool has_suspended;
	sp_suspended suspended;
	jr_pos pos;
} sp_target;

/* Read a RegisterScalableTarget input: ServiceNamespace "ecs",
 * ResourceId, ScalableDimension "ecs:service:DesiredCount", MinCapacity,
 * MaxCapacity (MinCapacity <= MaxCapacity), SuspendedState; RoleARN and
 * Tags accepted and ignored. Strings live in v's loader arena. Returns 0
 * or SIM_EINPUT with *err filled. */
int sp_parse_target(const jr_val *v, sp_target *out, sim_error *err);

/* ---- put-scaling-policy ---- */

typedef enum sp_policy_type {
	SP_TARGET_TRACKING = 0,
	SP_STEP_SCALING,
} sp_policy_type;

typedef enum sp_metric {
	SP_METRIC_CPU = 0,      /* ECSServiceAverageCPUUtilization */
	SP_METRIC_MEMORY,       /* ECSServiceAverageMemoryUtilization */
	SP_METRIC_ALB_REQUESTS, /* ALBRequestCountPerTarget */
	SP_METRIC_CPU_HIRES,    /* ECSServiceAverageCPUUtilizationHighResolution */
	SP_METRIC_MEMORY_HIRES, /* ...MemoryUtilizationHighResolution */
} sp_metric;

typedef struct sp_tt {
	double target;            /* TargetValue > 0 */
	sp_metric metric;
	const char *resource_label; /* ALBRequestCountPerTarget only, else NULL */
	sim_time scale_out_cooldown; /* default 300 s [DOC] */
	sim_time scale_in_cooldown;  /* default 300 s [DOC] */
	bool disable_scale_in;       /* default false [DOC] */
} sp_tt;

typedef enum sp_adjustment {
	SP_CHANGE_IN_CAPACITY = 0,
	SP_PERCENT_CHANGE_IN_CAPACITY,
	SP_EXACT_CAPACITY,
} sp_adjustment;

typedef enum sp_aggregation {
	SP_AGG_AVERAGE = 0, /* [DOC] null means Average */
	SP_AGG_MINIMUM,
	SP_AGG_MAXIMUM,
} sp_aggregation;

typedef struct sp_step {
	bool has_lower, has_upper; /* absent: -inf / +inf */
	double lower, upper;       /* relative to the alarm threshold */
	int adjustment;            /* ScalingAdjustment */
	jr_pos pos;
} sp_step;

typedef struct sp_stepcfg {
	sp_adjustment type;
	const sp_step *steps; /* in input order; validated: no gap, no overlap */
	int nsteps;           /* 1..SP_MAX_STEPS */
	int min_magnitude;    /* MinAdjustmentMagnitude, 0 when absent */
	sim_time cooldown;    /* default 300 s [DOC] */
	sp_aggregation aggregation;
} sp_stepcfg;

typedef struct sp_policy {
	const char *name;
	const char *resource_id, *cluster, *service;
	sp_policy_type type;
	sp_tt tt;          /* SP_TARGET_TRACKING */
	sp_stepcfg step;   /* SP_STEP_SCALING; its alarm is the user's own
	                    * (cloudwatch PutMetricAlarm, see alarm_parse) */
	jr_pos pos;
} sp_policy;

/* Read a PutScalingPolicy input: PolicyName, ServiceNamespace,
 * ResourceId, ScalableDimension, PolicyType (TargetTrackingScaling |
 * StepScaling) and the one configuration it names. Target tracking:
 * TargetValue, PredefinedMetricSpecification {PredefinedMetricType,
 * ResourceLabel (required for ALBRequestCountPerTarget, refused for the
 * others)}, ScaleOutCooldown, ScaleInCooldown, DisableScaleIn. Step:
 * AdjustmentType, StepAdjustments (1..20, no gaps or overlaps, at most
 * one open lower and one open upper bound [DOC §2.1]),
 * MinAdjustmentMagnitude (PercentChangeInCapacity only), Cooldown,
 * MetricAggregationType. PolicyARN and Alarms (response fields) are
 * accepted and ignored. Returns 0 or SIM_EINPUT with *err filled. */
int sp_parse_policy(const jr_val *v, sp_policy *out, sim_error *err);

/* Check step adjustments as AWS does [DOC §2.1]. Returns -1 with the
 * reason in why and the offending index in *bad, or 0. */
int sp_steps_check(const sp_step *steps, int n, sp_adjustment type,
    int *bad, char *why, size_t size);

/* AWS names: "TargetTrackingScaling", "ECSServiceAverageCPUUtilization",
 * "ChangeInCapacity", ... */
const char *sp_policy_type_name(sp_policy_type t);
const char *sp_metric_name(sp_metric m);
const char *sp_adjustment_name(sp_adjustment a);
/* True for the *HighResolution metric types (20 s datapoints). */
bool sp_metric_hires(sp_metric m);

/* ---- capacity math ---- */

/* [INF §1.5] ceil(running x metric / target) (a relative 1e-9 tolerance
 * keeps 10 x 70 / 70 at 10); 0 if running <= 0. target > 0. */
int sp_tt_capacity(int running, double metric, double target);

/* The metric value fed to the TT formula from the alarm's evaluation
 * (per p->tt_source). e->real must be > 0. */
double sp_tt_metric(const alarm_eval *e, const sp_params *p);
/* The value step scaling picks its step by: MetricAggregationType over
 * the datapoints evaluated [DOC §2.1]. e->real must be > 0. */
double sp_step_metric(const sp_stepcfg *s, const alarm_eval *e);

/* The step whose interval holds metric - threshold [DOC §2.1]: above the
 * threshold lower bounds are inclusive and upper exclusive, below it the
 * reverse; exactly at the threshold the "above" rule is tried first [INF].
 * Returns its index, or -1 if none. */
int sp_step_pick(const sp_stepcfg *s, double threshold, double metric);

/* [DOC §2.1] the change PercentChangeInCapacity makes to `current`:
 * current x percent / 100 rounded: > 1 down (12.7 -> 12), in (0, 1] -> 1,
 * in [-1, 0) -> -1, < -1 toward zero (-6.67 -> -6); then raised in
 * magnitude to min_magnitude if smaller (25 % of 4 with 2 -> 2). A zero
 * result stays 0 unless percent != 0 and min_magnitude > 0 [INF]. */
int sp_percent_delta(int current, int percent, int min_magnitude);

/* The capacity a step adjustment asks for from `current` (ChangeIn,
 * PercentChangeIn with min_magnitude, or Exact); not clamped. */
int sp_step_capacity(const sp_stepcfg *s, const sp_step *st, int current);

/* [DOC §1.1] ECS boundary rules for a proposal in direction dir (+1
 * scale-out, -1 scale-in): the proposal is clamped into [min, max] and
 * applies only if it still moves desired in direction dir. So with
 * desired below Min a scale-out lifts it to (at least) Min and a scale-in
 * does nothing; with desired above Max a scale-in lowers it to (at most)
 * Max and a scale-out does nothing. Returns the capacity to set
 * (== desired: no change). */
int sp_bound(int dir, int desired, int proposed, int min, int max);

/* ---- cooldowns [DOC §1.6] ---- */

typedef struct sp_cooldown {
	sim_time out_until; /* scale-out cooldown runs while now < out_until */
	int out_base;       /* capacity before the first scale-out of it */
	int out_set;        /* capacity the last scale-out set */
	sim_time in_until;  /* scale-in cooldown runs while now < in_until */
} sp_cooldown;

/* No cooldown running. */
void sp_cooldown_init(sp_cooldown *cd);
bool sp_cooldown_out_active(const sp_cooldown *cd, sim_time now);
bool sp_cooldown_in_active(const sp_cooldown *cd, sim_time now);

/* The capacity to apply for a policy's proposal, given its cooldowns:
 * scale-out (proposed > desired) during the scale-out cooldown: target
 * tracking applies proposed (it is larger, and desired already holds what
 * was added); step scaling, whose proposed is then desired + the step's
 * adjustment, adds only what exceeds the capacity already added in this
 * cooldown (+2 then a +3 step => +1 [DOC]). Scale-in during
 * the scale-in cooldown (or, if p->out_cooldown_blocks_in, the scale-out
 * one) is blocked. Returns desired when nothing is to change. */
int sp_cooldown_decide(const sp_cooldown *cd, sp_policy_type type,
    sim_time now, int desired, int proposed, const sp_params *p);

/* Record a scaling activity of this policy at now from `from` to `to`:
 * a scale-out starts (or restarts) the scale-out cooldown of length
 * out_cd and ends the scale-in cooldown [DOC]; a scale-in starts the
 * scale-in cooldown of length in_cd and ends the scale-out one [INF]. */
void sp_cooldown_note(sp_cooldown *cd, sim_time now, int from, int to,
    sim_time out_cd, sim_time in_cd);
/* End the scale-in cooldown (a scale-out by another policy [DOC]). */
void sp_cooldown_end_in(sp_cooldown *cd);

/* ---- one policy's request ---- */

typedef struct sp_request {
	int dir;      /* +1 scale out, -1 scale in, 0 nothing */
	int capacity; /* capacity to set when dir != 0 */
} sp_request;

/* A target tracking policy whose AlarmHigh (high) or AlarmLow (!high) is
 * in ALARM: the TT capacity from the running count (scale from zero
 * [DOC §1.5]: running 0 asks for 1), then cooldowns, then sp_bound.
 * AlarmHigh only scales out, AlarmLow only in (never with
 * DisableScaleIn). */
sp_request sp_tt_request(const sp_tt *tt, const sp_cooldown *cd,
    const sp_params *p, bool high, double metric, int running, int desired,
    int min, int max, sim_time now);
/* A step policy whose alarm (threshold) is in ALARM with aggregated
 * metric: the step, its adjustment applied to `current` (ECS documents
 * the running count as the base of scaling calculations [DOC §1.5]; pass
 * desired for AAS's generic "current capacity"), then cooldowns and
 * sp_bound against desired. The step's sign gives the direction: a
 * scale-out step never scales in, and vice versa. */
sp_request sp_step_request(const sp_stepcfg *s, const sp_cooldown *cd,
    const sp_params *p, double threshold, double metric, int current,
    int desired, int min, int max, sim_time now);

/* ---- several policies on one target [DOC §1.8, §1.7, §1.10] ---- */

typedef struct sp_vote {
	sp_policy_type type;
	bool disable_scale_in; /* target tracking only */
	sp_request req;        /* dir 0 when its alarm is not in ALARM */
} sp_vote;

typedef struct sp_gate {
	bool out_suspended; /* DynamicScalingOutSuspended */
	bool in_suspended;  /* DynamicScalingInSuspended */
	bool deploying;     /* an ECS deployment is in progress: no scale-in */
} sp_gate;

/* Combine one invocation's votes (one per policy of the target): scale
 * out if any policy asks to, taking the largest capacity; otherwise scale
 * in with the largest capacity among the step scale-ins and, only if every
 * scale-in-enabled TT policy asks to scale in, the TT scale-ins. g may be
 * NULL. Returns the winning index (ties: the first) and sets *capacity,
 * or -1 (nothing to do). */
int sp_combine(const sp_vote *v, int n, const sp_gate *g, int desired,
    int *capacity);

/* ---- scheduled actions [DOC §2.2] ---- */

typedef enum sp_sched_kind {
	SP_SCHED_AT = 0,
	SP_SCHED_RATE,
	SP_SCHED_CRON,
} sp_sched_kind;

/* A cron(min hour dom month dow year) expression as bit sets. */
typedef struct sp_cron {
	uint64_t minutes;  /* bit m: minute m (0-59) */
	uint32_t hours;    /* bit h (0-23) */
	uint32_t doms;     /* bit d (1-31) */
	uint16_t months;   /* bit m (1-12) */
	uint8_t dows;      /* bit d (1-7, 1 = Sunday, as AWS) */
	bool dom_any;      /* '?' in day-of-month: match on day-of-week */
	uint64_t years[4]; /* bit y - 1970 (1970-2199) */
} sp_cron;

typedef struct sp_schedule {
	sp_sched_kind kind;
	int64_t at;      /* SP_SCHED_AT: Unix seconds, UTC */
	sim_time rate;   /* SP_SCHED_RATE */
	sp_cron cron;    /* SP_SCHED_CRON */
	bool has_start, has_end; /* StartTime / EndTime (recurring only) */
	int64_t start, end;      /* Unix seconds, UTC */
} sp_schedule;

/* Parse a Schedule expression: "at(yyyy-mm-ddThh:mm:ss)"; "rate(N unit)"
 * with N >= 1 and unit minute, minutes, hour, hours, day or days; or
 * "cron(m h dom mon dow year)" where each field holds '*', numbers,
 * ranges a-b, lists a,b and steps ('*', a value or a range, then '/' and
 * the step), month names JAN-DEC and day names SUN-SAT (1 = Sunday);
 * exactly one of day-of-month and day-of-week is '?'; years 1970-2199.
 * Not supported (refused with a message): L, W and '#'. Returns 0, or -1
 * with the reason in why. */
int sp_schedule_parse(const char *text, sp_schedule *out, char *why,
    size_t size);

/* The first fire time strictly after `after` (sim time), within
 * [StartTime, EndTime] for recurring schedules; `created` is the sim time
 * the action was put (anchor of rate() without StartTime). Returns true
 * and sets *out, or false if it never fires again. Cron resolution is one
 * minute; the search ends with year 2199. */
bool sp_schedule_next(const sp_schedule *s, const sp_params *p,
    sim_time created, sim_time after, sim_time *out);

/* Civil UTC date-time to Unix seconds (exported for tests). */
int64_t sp_unix_time(int year, int month, int day, int hour, int min,
    int sec);

typedef struct sp_sched_action {
	const char *name;
	const char *resource_id, *cluster, *service;
	const char *expression; /* the Schedule text */
	sp_schedule schedule;
	bool has_min, has_max; /* ScalableTargetAction */
	int min, max;
	jr_pos pos;
} sp_sched_action;

/* Read a PutScheduledAction input: ServiceNamespace, ScheduledActionName,
 * ResourceId, ScalableDimension, Schedule, Timezone (only "UTC" or
 * "Etc/UTC"), StartTime, EndTime ("yyyy-mm-ddThh:mm:ss" with optional "Z",
 * or Unix seconds), ScalableTargetAction {MinCapacity, MaxCapacity}.
 * Returns 0 or SIM_EINPUT with *err filled. */
int sp_parse_scheduled_action(const jr_val *v, sp_sched_action *out,
    sim_error *err);

/* Run a scheduled action on a target's bounds [DOC §2.2]: set the Min and
 * Max it names; if that leaves min > max, the bound it did not name
 * follows the one it did [INF]. Returns `current` clamped into the new
 * bounds (the capacity to set). Cooldowns do not apply [DOC]. */
int sp_scheduled_apply(const sp_sched_action *a, int *min, int *max,
    int current);

#endif
