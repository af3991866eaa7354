/*
 * events_log — events.log: the event log as AWS shows service events, one
 * line per event:
 *
 *   HH:MM:SS  <source>  <text>
 *
 * with the simulated clock of simtime_clock ("1d+02:00:05" past the first
 * day, ".250" when milliseconds are not zero). A newline inside a text is
 * printed as a space, so one event is always one line.
 */
#ifndef REPORTS_EVENTS_LOG_H
#define REPORTS_EVENTS_LOG_H

#include "reports/rout.h"
#include "sim/recorder.h"

/* Print every event of r to o, in recording order. */
void revents_write(rout *o, const recorder *r);

#endif
