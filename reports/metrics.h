/*
 * metrics — the numbers of one run that batches of runs compare: a flat,
 * ordered list of (key, unit, direction, value), read from the run's
 * facts (docs/observations.md) and expectation verdicts.
 *
 * Keys, per service S (in the order services were recorded), cluster C
 * and deployment N (1-based, per service):
 *
 *   service/S/deployment/N/duration       s          lower is better
 *   service/S/deployment/N/completed      0/1        higher (COMPLETED)
 *   service/S/deployment/N/lowestHealthy  tasks      higher (not for the
 *                                                    deployment creating
 *                                                    the service)
 *   service/S/deployment/N/tasksFailed    tasks      lower
 *   service/S/lowestHealthy               tasks      higher (after the
 *                                                    service's creation)
 *   service/S/peakRunning                 tasks
 *   service/S/placementFailures           failures   lower
 *   service/S/scalingActivities           activities
 *   service/S/requests, errors            requests   errors lower
 *   service/S/errorPercent                %          lower
 *   service/S/latencyP50, P95, P99        ms         lower
 *   service/S/costUSD                     USD        lower
 *   cluster/C/peakInstances               instances
 *   cluster/C/instanceHours               h          lower
 *   cluster/C/costUSD                     USD        lower
 *   run/tasksLaunched                     tasks
 *   run/costUSD                           USD        lower
 *   expect/NAME                           the assertion's measured value
 *                                         (its unit and direction by kind)
 *
 * A number the run did not record is left out (never NaN in a set). The
 * same extraction reads a recorder (in memory, for batches) and a
 * summary.json document (for `ecsim compare`), through one table of
 * facts, so both give the same keys and values.
 */
#ifndef REPORTS_METRICS_H
#define REPORTS_METRICS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "reports/expect.h"
#include "sim/error.h"
#include "sim/recorder.h"

/* Which way is better (for `ecsim compare`). */
enum { RMET_NONE = 0, RMET_LOWER = 1, RMET_HIGHER = 2 };

typedef struct rmet_item {
	char *key;    /* owned */
	char *unit;   /* owned */
	int better;   /* RMET_* */
	double value; /* finite */
} rmet_item;

typedef struct rmet_set {
	rmet_item *v;
	size_t n, cap;
} rmet_set;

/* An empty set (or memset to zero). */
void rmet_init(rmet_set *m);
/* Free the items' strings and the array; the set is empty again. */
void rmet_clear(rmet_set *m);
/* Append (copies key and unit); a NaN or infinite value is ignored. */
void rmet_add(rmet_set *m, const char *key, const char *unit, int better,
    double value);
/* The item with key, or NULL. */
const rmet_item *rmet_find(const rmet_set *m, const char *key);

/* Append the metrics of a finished run: its facts, then one expect/NAME
 * per verdict of res (may be NULL) that measured a number. */
void rmet_from_recorder(rmet_set *m, const recorder *r,
    const expect_result *res);

/* Append the metrics of a summary.json document (its "facts" and, when
 * present, the verdicts' "value"). Returns 0, or SIM_EINPUT when root is
 * not a summary (no "facts" object), with a message naming what. */
int rmet_from_summary(rmet_set *m, const cJSON *root, sim_error *err);

/* A key for people: "my-microservice: deployment 2 duration",
 * "cluster default: peak instances", "run: cost"; for expect/NAME the
 * NAME. Writes into buf and returns it. */
char *rmet_label(char *buf, size_t size, const char *key);

/* "lower", "higher" or "" for RMET_*; and back (RMET_NONE when
 * unknown). */
const char *rmet_better_name(int better);
int rmet_better_parse(const char *s);

#endif
