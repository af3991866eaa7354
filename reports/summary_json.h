/*
 * summary_json — summary.json, the machine-readable summary of a run
 * (also what `ecsim run --format json` prints):
 *
 *   {
 *     "info":        run information; seed, durationSeconds,
 *                    sampleIntervalSeconds and events as numbers
 *     "assumptions": [{"name", "value", "tag", "note"}]
 *     "services":    [{"name", "cluster", "deployments", peaks from the
 *                      series: "peakRunning", "peakRunningAt" (s),
 *                      "peakDesired", "peakPending", "lowestHealthy"
 *                      and "lowestHealthySince" (s: the first steady
 *                      state, see rdata_steady_start),
 *                      "peakCpuPercent", "peakMemoryPercent",
 *                      "requests", "errors", "peakLatencyP99Ms"}]
 *     "clusters":    [{"name", "peakInstances", "peakInstancesAt",
 *                      "peakCpuReservation", "peakMemoryReservation",
 *                      "costUSD" (last sample)}]
 *     "series":      [{"name", "unit", "samples", "min", "max", "mean",
 *                      "last"}]
 *     "facts":       {"<table>": [{field: value}]} for every fact table,
 *                    fields typed: strings, numbers, booleans, and time
 *                    fields as seconds
 *     "expectations": {"passed", "failed", "verdicts": [{"name", "kind",
 *                      "pass", "noData", "measured", "bound", "message"}]}
 *   }
 *
 * A peak of a series that does not exist is left out; NaN is null.
 * "expectations" is present only when verdicts are given. Same recorder,
 * same bytes.
 */
#ifndef REPORTS_SUMMARY_JSON_H
#define REPORTS_SUMMARY_JSON_H

#include <cjson/cJSON.h>

#include "reports/expect.h"
#include "reports/rout.h"
#include "sim/recorder.h"

/* The summary as a cJSON tree. Returns an owned tree; free with
 * cJSON_Delete. res (borrowed) may be NULL. */
cJSON *rjson_build(const recorder *r, const expect_result *res);

/* Print the summary (indented, newline-terminated) to o. */
void rjson_write(rout *o, const recorder *r, const expect_result *res);

#endif
