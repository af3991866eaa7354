/*
 * health — when a health checker's verdict next changes, computed without
 * one event per check.
 *
 * Two checkers share one machine: an ELBv2 target-group health check
 * (states initial / healthy / unhealthy) and a container `healthCheck`
 * (UNKNOWN / HEALTHY / UNHEALTHY). Checks happen at t0 + k*interval,
 * k = 0, 1, 2, ...; each passes or fails according to an outcome model
 * (hc_outcome); consecutive passes and failures move the status.
 *
 * Instead of an event per check, the caller asks hc_predict for the next
 * status change, schedules one event at its time, and adopts the predicted
 * state there (hc_adopt). When the outcome model changes at time t, the
 * caller drops its pending prediction, brings the state up to t under the
 * old model (hc_advance: every check at or before t) and predicts again
 * under the new one.
 *
 * A model change at t governs the checks after t; a check at exactly t
 * still sees the old model. [INF] (the instant is arbitrary either way);
 * chosen because it makes the order of same-time events irrelevant: if the
 * predicted change at t is adopted first, hc_advance(t) has nothing left
 * to do; if the model change comes first, hc_advance(t) evaluates the
 * check at t itself and hands back that change for the caller to apply
 * now (and cancel the pending event). Either way the same (time, state)
 * sequence results.
 *
 * Invariant (tested against hc_reference on random scenarios): the
 * sequence of (time, state) changes is identical to evaluating every check
 * one by one, however often and wherever the caller recomputes. Exactness
 * of randomness rests on one rule: check k uses the k-th uniform of the
 * checker's stream (draw k <-> check k, whether or not the outcome at
 * check k needed it). hc_draws keeps the draws of checks not yet adopted,
 * so a prediction that looked ahead and one made after a model change
 * agree on every check's uniform.
 *
 * Times are sim_time; nothing here schedules, records events or owns a
 * stream: pure, apart from drawing from the borrowed stream (and
 * hc_*_assume, which list the assumptions on a recorder).
 */
#ifndef MODEL_ECS_HEALTH_H
#define MODEL_ECS_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/recorder.h"
#include "sim/rng.h"
#include "sim/simtime.h"

/* ------------------------------------------------------------------ */
/* Settings as AWS defines them: ranges, defaults, validation.         */

/* One integer setting of an AWS API: its API name, range and default. */
typedef struct hc_field {
	const char *name; /* e.g. "HealthCheckIntervalSeconds" */
	int min, max, def;
	size_t offset;    /* of the int in hc_tg_settings / hc_ctr_settings */
} hc_field;

/* ELBv2 target-group health-check settings (seconds and counts, as in the
 * API), plus ecsim's two parameters for what AWS leaves open. */
typedef struct hc_tg_settings {
	int interval;            /* HealthCheckIntervalSeconds 5-300, default 30 */
	int timeout;             /* HealthCheckTimeoutSeconds 2-120, default 5 */
	int healthy_threshold;   /* HealthyThresholdCount 2-10, default 5 */
	int unhealthy_threshold; /* UnhealthyThresholdCount 2-10, default 2 */
	/* [INF] passes a new target needs to leave `initial` for `healthy`:
	 * HC_INITIAL_CHECKS_THRESHOLD (0, the default) = HealthyThresholdCount,
	 * or 1..10. */
	int initial_checks;
	/* [INF] registration to the first check: HC_DELAY_ONE_INTERVAL (the
	 * default) or a duration >= 0. */
	sim_time first_check_delay;
} hc_tg_settings;

#define HC_INITIAL_CHECKS_THRESHOLD 0
#define HC_DELAY_ONE_INTERVAL ((sim_time)-1)

/* Container definition `healthCheck` settings (seconds, counts). */
typedef struct hc_ctr_settings {
	int interval;     /* 5-300, default 30 */
	int timeout;      /* 2-60, default 5 */
	int retries;      /* 1-10, default 3 */
	int start_period; /* 0-300, default 0 (disabled) */
} hc_ctr_settings;

enum { HC_TG_NFIELDS = 4, HC_CTR_NFIELDS = 4 };
/* The ranges and defaults as data, in the order of the structs' fields. */
extern const hc_field hc_tg_fields[HC_TG_NFIELDS];
extern const hc_field hc_ctr_fields[HC_CTR_NFIELDS];

/* The defaults of a new HTTP target group / container health check. */
hc_tg_settings hc_tg_defaults(void);
hc_ctr_settings hc_ctr_defaults(void);

/* Check settings against AWS's ranges and rules. Returns 0, or SIM_EINPUT
 * with *err filled: path is `path` (may be NULL or "") joined with the API
 * name of the offending field, e.g. "targetGroups[0].HealthCheckTimeoutSeconds",
 * message e.g. "expected an integer in [5, 300], got 3". The caller adds
 * the file position (it parsed the JSON). */
int hc_tg_validate(const hc_tg_settings *s, const char *path, sim_error *err);
int hc_ctr_validate(const hc_ctr_settings *s, const char *path,
    sim_error *err);

/* Record the [INF]/[UNCONFIRMED] choices in force for these settings with
 * rec_assume (names "health.alb.*" / "health.container.*"). */
void hc_tg_assume(recorder *r, const hc_tg_settings *s);
void hc_ctr_assume(recorder *r, const hc_ctr_settings *s);

/* ------------------------------------------------------------------ */
/* The machine.                                                        */

typedef enum hc_status {
	HC_INITIAL,   /* ALB `initial`, container UNKNOWN */
	HC_HEALTHY,
	HC_UNHEALTHY,
} hc_status;

/* The result of one check. */
typedef enum hc_check {
	HC_CHECK_OK,
	HC_CHECK_REFUSED, /* nothing listening: ALB Target.FailedHealthChecks */
	HC_CHECK_TIMEOUT, /* no answer within the timeout: Target.Timeout */
	HC_CHECK_CODE,    /* wrong HTTP code: Target.ResponseCodeMismatch */
} hc_check;

/* When checks happen and how many consecutive results move the status.
 * Built by hc_tg_machine / hc_ctr_machine; plain data. */
typedef struct hc_machine {
	sim_time t0;       /* time of check 0 (>= 0) */
	sim_time interval; /* > 0 */
	int rise_initial;  /* consecutive passes: INITIAL -> HEALTHY */
	int fall_initial;  /* consecutive counted failures: INITIAL -> UNHEALTHY */
	int rise;          /* UNHEALTHY -> HEALTHY */
	int fall;          /* HEALTHY -> UNHEALTHY */
	/* While INITIAL, failures of checks at times < grace_end are not
	 * counted (container startPeriod). INT64_MIN: no such period. */
	sim_time grace_end;
} hc_machine;

/* The machine of a target registered at `registered_at` (settings must be
 * valid). */
hc_machine hc_tg_machine(const hc_tg_settings *s, sim_time registered_at);
/* The machine of a container health check for a container started at
 * `started_at` (settings must be valid). */
hc_machine hc_ctr_machine(const hc_ctr_settings *s, sim_time started_at);
/* Time of check k (saturates at SIM_TIME_MAX). */
sim_time hc_check_time(const hc_machine *m, int64_t k);

/* How checks turn out: the application's behaviour, piecewise in time.
 *   t <  ready_at              -> HC_CHECK_REFUSED (app not up yet)
 *   t >= breaks_at             -> `broken` (crash/hang/overload)
 *   otherwise by kind: PASS ok; FAIL -> `fail`; FLAKY ok with
 *   probability p (check k passes iff uniform k < p), else `fail`.
 * (ready_at wins when both apply.) */
typedef enum hc_kind { HC_PASS, HC_FAIL, HC_FLAKY } hc_kind;

typedef struct hc_outcome {
	hc_kind kind;
	double p;           /* HC_FLAKY, in [0, 1]: 1 acts as PASS, 0 as FAIL */
	hc_check fail;      /* failure under FAIL/FLAKY (not OK) */
	int code;           /* HTTP code reported for HC_CHECK_CODE */
	sim_time ready_at;
	sim_time breaks_at; /* SIM_TIME_MAX: never */
	hc_check broken;    /* failure once broken (not OK) */
} hc_outcome;

/* An outcome model: kind, ready at ready_at, never breaking; failures are
 * HTTP 503 (HC_CHECK_CODE), breaking means timing out. */
hc_outcome hc_outcome_make(hc_kind kind, double p, sim_time ready_at);

/* Where a checker stands. Plain value: copy freely. */
typedef struct hc_state {
	hc_status status;
	int succ, fail;     /* current run of passes / counted failures */
	hc_check last_fail; /* the most recent failure (HC_CHECK_OK: none yet) */
	int last_code;      /* its HTTP code when HC_CHECK_CODE, else 0 */
	int64_t next;       /* index of the next check not yet evaluated */
} hc_state;

/* The state of a new target / newly started container. */
hc_state hc_state_initial(void);

/* The uniforms of one checker: check k gets uniform k of the stream r.
 * Keeps the uniforms of checks >= the adopted state's `next` that have
 * been drawn (by a look-ahead) in a buffer, so they can be used again
 * after a model change; skips (discards) uniforms of checks already
 * passed. The stream must be dedicated to this one checker (its own
 * purpose/entity): a task's container check and each of its targets need
 * a stream each. Two hc_draws on one stream still run deterministically
 * but lose "check k gets uniform k", so results then depend on how far
 * each look-ahead went.
 * Fields are private. */
typedef struct hc_draws {
	rng *r;          /* borrowed */
	int64_t pos;     /* uniforms taken from r */
	int64_t lo;      /* checks below lo are done: their draws are not kept */
	double *buf;     /* uniforms of checks [pos - len, pos), pos - len >= lo */
	size_t head, len, cap;
} hc_draws;

/* r is borrowed and must outlive d. */
void hc_draws_init(hc_draws *d, rng *r);
/* Frees the buffer (not the stream). */
void hc_draws_free(hc_draws *d);

typedef enum hc_next {
	HC_CHANGE,  /* the status changes at `time` (the check there) */
	HC_LIMIT,   /* no change in the max_checks looked at; call again at
	             * `time` (the last check looked at) after adopting */
	HC_HORIZON, /* no change at any check at or before the horizon */
	HC_NEVER,   /* no change ever under this outcome model */
} hc_next;

typedef struct hc_change {
	hc_next kind;
	sim_time time;  /* HC_CHANGE / HC_LIMIT; SIM_TIME_MAX otherwise */
	hc_state after; /* HC_CHANGE / HC_LIMIT: the state after every check at
	                 * or before `time` (after.next - 1 is that check) */
} hc_change;

/* Default number of checks hc_predict looks at before answering HC_LIMIT:
 * bounds the draw buffer (8 bytes a check) of a FLAKY checker with p near
 * 1, at the cost of one extra event per that many checks. */
#define HC_LOOKAHEAD 256

/*
 * The next status change of checker `st` under outcome model o: evaluates
 * checks st->next, st->next + 1, ... (runs of identical results in O(1),
 * FLAKY checks one by one) and stops at the first change, at the last
 * check at or before `horizon`, or after max_checks checks (<= 0:
 * HC_LOOKAHEAD). Fills *out and returns out->kind. Does not change *st;
 * draws are buffered in d. Returns HC_NEVER as soon as the outcome is
 * constant forever and cannot move the status, whatever the horizon.
 */
hc_next hc_predict(const hc_machine *m, const hc_outcome *o,
    const hc_state *st, hc_draws *d, sim_time horizon, int64_t max_checks,
    hc_change *out);

/* At c->time, make c->after the state (c from hc_predict, kind HC_CHANGE
 * or HC_LIMIT, and no model change since), and let d forget the draws of
 * the checks now done. */
void hc_adopt(hc_state *st, hc_draws *d, const hc_change *c);

/*
 * Bring *st up to time t under model o: evaluate every check at or before
 * t not evaluated yet, and let d forget their draws. For a model change at
 * t: drop the pending prediction, call this with the old model, then
 * hc_predict with the new one (which governs checks after t).
 * Returns the number of status changes among those checks and, if passed
 * is not NULL and there was one, fills *passed with the last (kind
 * HC_CHANGE, its time, the state right after it). A caller that adopted
 * every prediction due before t gets 0, or 1 with passed->time == t (the
 * prediction due at t, not yet adopted): it applies that change now.
 */
int hc_advance(const hc_machine *m, const hc_outcome *o, hc_state *st,
    hc_draws *d, sim_time t, hc_change *passed);

/* ------------------------------------------------------------------ */
/* The reference: every check, one by one.                             */

/* Outcome model `outcome` governs checks at times > from, up to and
 * including the next phase's from (phases[0].from is ignored: it governs
 * from the start). */
typedef struct hc_phase {
	sim_time from;
	hc_outcome outcome;
} hc_phase;

/*
 * Evaluate every check of a new checker at times <= horizon, drawing one
 * uniform from r per check (used or not), under the phases (sorted by
 * from). Writes the first `cap` status changes to out (kind HC_CHANGE,
 * time, state after) and returns how many there were. O(checks): for
 * tests and benchmarks, never for a run.
 */
size_t hc_reference(const hc_machine *m, const hc_phase *phases,
    size_t nphases, rng *r, sim_time horizon, hc_change *out, size_t cap);

/* ------------------------------------------------------------------ */
/* Names and texts.                                                    */

/* "initial", "healthy", "unhealthy" (ELBv2 TargetHealthStateEnum). */
const char *hc_tg_state_name(hc_status s);
/* "UNKNOWN", "HEALTHY", "UNHEALTHY" (ECS HealthStatus). */
const char *hc_ctr_status_name(hc_status s);
/* TargetHealth.Reason for a target in state st: "Elb.InitialHealthChecking",
 * "Target.FailedHealthChecks", "Target.Timeout",
 * "Target.ResponseCodeMismatch"; NULL when healthy. */
const char *hc_tg_reason(const hc_state *st);
/* TargetHealth.Description: "Initial health checks in progress",
 * "Health checks failed", "Request timed out", "Health checks failed with
 * these codes: [503]"; "" when healthy. Returns buf. */
char *hc_tg_description(const hc_state *st, char *buf, size_t size);

#endif
