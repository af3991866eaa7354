/*
 * html_events — the event log in report.html: one table row per event
 * (time, service, kind, text), every row marked with its service and
 * kind, and two selects that filter the rows by service and by kind. The
 * filter is a few lines of inline script that only shows the selects and
 * hides rows; without scripts the page shows every row and no selects.
 *
 * An event's service is S for sources "service/S" and "aas/S" (Auto
 * Scaling of S); other sources (load balancers' target health, Auto
 * Scaling groups, capacity providers, the simulation) count as "other".
 *
 * Bounds: at most HEVENTS_MAX rows; the rest are counted under the table
 * (events.log has them all).
 */
#ifndef REPORTS_HTML_EVENTS_H
#define REPORTS_HTML_EVENTS_H

#include "reports/rout.h"
#include "sim/recorder.h"

#define HEVENTS_MAX 2000

/* Print the events section (id "events") to o; nothing without events. */
void hevents_section(rout *o, const recorder *r);

#endif
