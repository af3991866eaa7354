/*
 * report_html — report.html: one self-contained page (inline CSS, inline
 * SVG drawn here, no scripts, fonts or other files, no network) with:
 *
 *   - the run (scenario, description, file, seed, generator, duration);
 *   - the expectation verdicts, when given;
 *   - per service, charts on one shared time axis: tasks by revision
 *     (stacked series service/S/rev/F:N), healthy vs desired with the minHealthy
 *     line, CPU and memory vs the cpuTarget line, requests and errors,
 *     latency; deployments shaded (deployment facts, start..end) and
 *     scaling activities marked (scaling_activity facts); a deployments
 *     table;
 *   - clusters: instances per cluster, reservation, cost so far;
 *   - scaling activities, placement failures, the assumptions in force.
 *
 * A chart whose series do not exist (or hold no sample) is left out.
 * Long series are reduced to a per-pixel-column min/max envelope, so the
 * page stays small for month-long runs. All text is HTML-escaped. Reads
 * well at 1280 px and prints cleanly (@media print). Same recorder, same
 * bytes.
 */
#ifndef REPORTS_REPORT_HTML_H
#define REPORTS_REPORT_HTML_H

#include "reports/expect.h"
#include "reports/rout.h"
#include "sim/recorder.h"

/* Print the page for r to o; res (borrowed) may be NULL. */
void rhtml_write(rout *o, const recorder *r, const expect_result *res);

#endif
