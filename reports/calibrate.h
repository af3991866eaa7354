/*
 * calibrate — a prediction laid beside what AWS did, and the values of
 * the named parameters and behaviour entries that would have predicted
 * it: deployments lined up (the k-th of a service against the k-th),
 * per-task phases (image pull, start, time to healthy) from the observed
 * run's "task" facts, scaling activities lined up for the alarm lag.
 *
 * Reads two recorders only (the simulation's and one written by the AWS
 * backend, or their summary.json read back); never the model. Suggestions
 * are medians; times observed by polling (a target's health) are known
 * to the poll interval, which the text says.
 *
 * Invariant: the JSON fragment only holds keys a scenario accepts
 * ("behaviour" entries); quantities that no scenario key sets yet are in
 * the text, marked so.
 */
#ifndef REPORTS_CALIBRATE_H
#define REPORTS_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "reports/rout.h"
#include "sim/recorder.h"
#include "sim/simtime.h"

/* One quantity, predicted and observed (seconds; NaN: not measured). */
typedef struct rcal_item {
	char name[96];        /* "deployment 2 of web: duration" */
	double predicted, observed;
	int samples;          /* observations behind `observed` */
} rcal_item;

typedef struct rcal rcal;

/* Compare. Returns an owned result (free with rcal_free); both recorders
 * are borrowed for the call only. */
rcal *rcal_new(const recorder *predicted, const recorder *observed);
void rcal_free(rcal *c);

size_t rcal_count(const rcal *c);
const rcal_item *rcal_at(const rcal *c, size_t i);
/* The item called name, or NULL. */
const rcal_item *rcal_find(const rcal *c, const char *name);

/* The suggested "behaviour" fragment as JSON text ("{}" when nothing was
 * measured), e.g. {"behaviour":{"default":{"pullTime":{"dist":
 * "lognormal","median":"9.8s","sigma":0.3}}}}. Returns an owned string
 * (free with free). */
char *rcal_fragment(const rcal *c);

/* The side-by-side table, the notes and the fragment, for people. */
void rcal_write_text(rout *o, const rcal *c);

/* A recorder holding what calibration reads of a summary.json read back
 * (borrowed): its info, assumptions and facts (series and events are
 * not in that file). Returns an owned recorder (rec_free). */
recorder *rcal_read_summary(const cJSON *summary);

/* True when summary (a summary.json) is an observed run: info.backend
 * is "aws". */
bool rcal_is_observed(const cJSON *summary);

/* The calibration as JSON: {"items":[{"name","predicted","observed",
 * "samples"}], "fragment":{...}, "notes":[...]} (NaN as null). Returns
 * an owned object. */
cJSON *rcal_json(const rcal *c);

/* Median of n values (sorts v in place); NaN when n is 0. */
double rcal_median(double *v, size_t n);

#endif
