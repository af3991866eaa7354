/*
 * expect — a scenario's "expect" section: assertions read strictly from
 * JSON, checked against the model's names once the model is loaded, and
 * evaluated against the recorder at the end of the run.
 *
 * The section is an array; each element is an object with an optional
 * "name" and exactly one assertion kind:
 *
 *   {"deploymentCompletes": {"service": "web", "within": "15m"}}
 *       every deployment of the service ended COMPLETED, each within
 *       "within" (optional); "deployment": n (1-based) picks the n-th
 *   {"rolloutState": {"service": "web", "is": "COMPLETED"}}
 *       rolloutState of the service's last deployment at the end
 *       ("IN_PROGRESS", "COMPLETED" or "FAILED")
 *   {"healthyTasksNeverBelow": {"service": "web", "count": 2, "after": "5m"}}
 *       series service/S/healthy, samples at or after "after"; without
 *       "after", samples from the first steady state (the end of the
 *       deployment that created the service: a service being created has
 *       no healthy task yet); "count": "minimumHealthy" compares each
 *       sample with service/S/minHealthy instead
 *   {"runningTasksNeverAbove": {"service": "web", "count": 4}}
 *       series service/S/running ("after" optional)
 *   {"instancesNeverAbove": {"cluster": "default", "count": 3}}
 *       series cluster/C/instances and the cluster fact maxInstances
 *       ("after" optional: then samples only)
 *   {"placementFailuresAtMost": {"service": "web", "count": 0}}
 *   {"circuitBreakerTriggered": {"service": "web", "is": true}}
 *       true when any deployment of the service tripped the breaker
 *   {"errorRateAtMost": {"service": "web", "percent": 0.1}}
 *       5xx / requests over the run; "service" optional (whole run)
 *   {"latencyAtMost": {"service": "web", "percentile": 99, "ms": 250}}
 *       percentile 50, 95 or 99 over the run
 *   {"costAtMost": {"usd": 12.5}}
 *       the run's cost; or one "service"'s or one "cluster"'s
 *   {"recoversWithin": {"service": "web", "within": "5m", "fault": 1}}
 *       after each fault that touched the service (or fault n), it was
 *       back at its desired healthy count, no task on faulted capacity,
 *       within "within" (fault_impact facts, model/ecs/faults.h)
 *   {"errorsDuringFaultAtMost": {"service": "web", "count": 500}}
 *       failed requests during each fault's window ("count", or
 *       "percent" of the window's requests); "service" and "fault"
 *       optional
 *
 * Any element may also say "in": "99%": in a batch of seeds (`ecsim run
 * --seeds`, `ecsim sweep`) the assertion passes when it holds in at least
 * that share of the seeds (default "100%": every seed). A single run
 * judges its one seed and ignores it.
 *
 * A verdict is pass or fail with the measured value and the bound as text.
 * A metric the run did not record (latency without a workload) fails with
 * "no data: ...": an assertion never passes vacuously.
 *
 * Ownership: an expect_set copies everything it keeps (it does not borrow
 * from the loader); an expect_result owns its strings.
 */
#ifndef REPORTS_EXPECT_H
#define REPORTS_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"
#include "sim/jread.h"
#include "sim/recorder.h"

typedef struct expect_set expect_set;
typedef struct expect_result expect_result;

typedef struct expect_verdict {
	const char *name;     /* given, or derived: "web: running tasks never above 4" */
	const char *kind;     /* the JSON key: "runningTasksNeverAbove" */
	bool pass;
	bool no_data;         /* failed because the metric was not recorded */
	double value;         /* the measured number (seconds, tasks, percent,
	                       * ms, USD, 0/1), NaN when there is none */
	const char *measured; /* "peak 5 at 00:20:00", "no data: ..." */
	const char *bound;    /* "<= 4" */
	const char *message;  /* "measured peak 5 at 00:20:00, expected <= 4" */
	const char *file;     /* the scenario file holding the assertion */
	int line;             /* its line there (1-based; 0: unknown) */
} expect_verdict;

/* One scenario's outcome for the CI reports (JUnit, Markdown): its
 * verdicts, or the error that kept it from running. All borrowed. */
typedef struct expect_run {
	const char *scenario; /* name */
	const char *file;     /* path, may be NULL */
	const expect_result *result; /* NULL when error is set */
	const char *error;    /* NULL when the scenario ran */
	double wall_seconds;  /* wall time of loading and running it (the
	                       * caller measures; 0 when unknown) */
	const char *timestamp; /* when it started, local time
	                        * "2025-01-31T14:05:09"; NULL: the report's
	                        * own time */
	const char *hostname; /* where it ran; NULL: this machine's name */
} expect_run;

/* Returns an owned, empty set; free with expect_free (NULL is a no-op). */
expect_set *expect_new(void);
void expect_free(expect_set *x);

/* The "expect" section parser (scn_section signature): ctx is an
 * expect_set. Appends the assertions of the array v. Returns 0, or
 * SIM_EINPUT with file:line:col, path and message in *err. */
int expect_parse(void *ctx, const jr_val *v, sim_error *err);

/* Number of assertions, and the name of the i-th (borrowed). */
size_t expect_count(const expect_set *x);
const char *expect_name(const expect_set *x, size_t i);
/* The i-th assertion's "in": the percentage of seeds it must hold in
 * (0 < in <= 100; 100 when not given). */
double expect_in(const expect_set *x, size_t i);

/* Check that every service and cluster an assertion names exists.
 * Returns 0, or SIM_EINPUT at the name's position with
 * 'no service named "wbe"; did you mean "web"?' (or the list of names
 * when none is close). */
int expect_check_names(const expect_set *x, const char *const *services,
    size_t nservices, const char *const *clusters, size_t nclusters,
    sim_error *err);

/* Evaluate every assertion against r. Returns an owned result; free with
 * expect_result_free (NULL is a no-op). */
expect_result *expect_eval(const expect_set *x, const recorder *r);
void expect_result_free(expect_result *res);
size_t expect_result_count(const expect_result *res);
size_t expect_result_failed(const expect_result *res);
/* The i-th verdict, in the order of the assertions (borrowed). */
const expect_verdict *expect_result_at(const expect_result *res, size_t i);

#endif
