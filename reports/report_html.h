/*
 * report_html — report.html: one self-contained page (inline CSS, inline
 * SVG, one inline script of a few lines; no fonts, images or other files,
 * no network) with:
 *
 *   - the run (scenario, description, file, seed, generator, duration)
 *     and a table of contents linking every section and zoom panel;
 *   - the expectation verdicts, failures first, each with file:line;
 *   - per service: cards with the numbers the text summary states (from
 *     rdata), then charts on one shared time axis: tasks by revision
 *     (stacked bands), healthy vs desired with the minimum, CPU and
 *     memory vs the target, requests per interval, errors as a percentage
 *     of requests, latency on a log axis; deployments shaded, labelled and
 *     linked to their panels; scaling activities marked "from→to" (hover:
 *     the cause); a deployments table; a zoom panel per deployment
 *     (html_gantt: its tasks on its own time axis, drawn from the task
 *     records);
 *   - clusters: instances, reservation, cost so far, a table;
 *   - the scaling activities, the event log filterable by service and
 *     kind (html_events; every row shows without scripts), placement
 *     failures, the assumptions in force.
 *
 * Bounds, so a month of a hundred services stays a few megabytes: long
 * series reduced per bucket (fewer buckets when there are many services),
 * at most 12 zoom panels per service and 36 per page (failed and
 * unfinished deployments first), 60 tasks per panel, 2,000 events, 200
 * rows per table. A chart whose series do not exist is left out. All text
 * is HTML-escaped. Reads well at 1280 px and prints cleanly (@media
 * print). Same recorder, same bytes.
 */
#ifndef REPORTS_REPORT_HTML_H
#define REPORTS_REPORT_HTML_H

#include "reports/expect.h"
#include "reports/rout.h"
#include "sim/recorder.h"

/* Print the page for r to o; res (borrowed) may be NULL. */
void rhtml_write(rout *o, const recorder *r, const expect_result *res);

#endif
