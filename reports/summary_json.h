/*
 * summary_json — summary.json, the machine-readable summary of a run
 * (also what `ecsim run --format json` prints). docs/summary-json.md
 * documents every field; the shape, in short:
 *
 *   {
 *     "schemaVersion": RJSON_SCHEMA_VERSION,
 *     "info":        run information; seed, durationSeconds,
 *                    sampleIntervalSeconds and events as numbers
 *     "assumptions": [{"name", "value", "tag", "note"}]
 *     "services":    [one object per service: the numbers of rdata_svc]
 *     "clusters":    [one object per cluster: the numbers of rdata_cluster]
 *     "totals":      {"tasksLaunched", "requests", "errors",
 *                     "errorPercent", "costUSD"}
 *     "series":      [{"name", "unit", "samples", "min", "max", "mean",
 *                      "last"}]
 *     "facts":       {"<table>": [{field: value}]} for every fact table,
 *                    fields typed: strings, numbers, booleans, and time
 *                    fields as seconds
 *     "expectations": {"passed", "failed", "verdicts": [{"name", "kind",
 *                      "pass", "noData", "measured", "bound", "message",
 *                      "file", "line"}]}
 *   }
 *
 * In "services", "clusters" and "totals" a number that does not apply is
 * left out; elsewhere NaN is null. "expectations" is present only when
 * verdicts are given. Same recorder, same bytes.
 */
#ifndef REPORTS_SUMMARY_JSON_H
#define REPORTS_SUMMARY_JSON_H

#include <cjson/cJSON.h>

#include "reports/expect.h"
#include "reports/rout.h"
#include "sim/recorder.h"

/* Bumped when a field is renamed, removed or changes meaning (adding one
 * does not): readers check it. */
#define RJSON_SCHEMA_VERSION 1

/* The summary as a cJSON tree. Returns an owned tree; free with
 * cJSON_Delete. res (borrowed) may be NULL. */
cJSON *rjson_build(const recorder *r, const expect_result *res);

/* Print the summary (indented, newline-terminated) to o. */
void rjson_write(rout *o, const recorder *r, const expect_result *res);

#endif
