/*
 * html_gantt — a deployment's zoom panel in report.html: what the
 * deployment was (revisions, cause, outcome, times, tasks, lowest
 * healthy, where the time went, failed tasks' stop codes), then a
 * per-task timeline on the deployment's own time axis, from its start
 * to COMPLETED/FAILED plus the draining of the tasks it stopped, then
 * the service's events in that window.
 *
 * The timeline is drawn from the "task" facts (every lifecycle change as
 * it happened), not from samples, so a task that failed 20 seconds after
 * it was created is a visible bar: PROVISIONING, PENDING (pull, start),
 * RUNNING, healthy, draining, stopping, and a STOPPED mark; a failed task
 * is red, with its stop code and reason on hover.
 *
 * Bounds: at most HGANTT_ROWS tasks per panel (failed ones first when
 * there are more; the rest are counted under the chart).
 */
#ifndef REPORTS_HTML_GANTT_H
#define REPORTS_HTML_GANTT_H

#include <stddef.h>

#include "reports/rout.h"
#include "sim/recorder.h"

#define HGANTT_ROWS 60

/* Print the zoom panel of deployment fact d (the dep-th, 0-based, of
 * service svc, the svc-th of rdata_services) to o. T is the run's
 * duration. */
void hgantt_panel(rout *o, const recorder *r, const rec_fact *d,
    size_t svc, size_t dep, sim_time T);

#endif
