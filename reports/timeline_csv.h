/*
 * timeline_csv — timeline.csv: one row per recorder sample, header
 * "time_s,<series names in registration order>".
 *
 * Times are seconds ("60", "90.5"); values are integers when whole
 * ("3"), else 9 significant digits ("37.1234568"); NaN (no value in that
 * row) is an empty field. A series name holding a comma, quote or newline
 * is quoted as RFC 4180 says. Same recorder, same bytes.
 */
#ifndef REPORTS_TIMELINE_CSV_H
#define REPORTS_TIMELINE_CSV_H

#include "reports/rout.h"
#include "sim/recorder.h"

/* Print the timeline of r to o (lines end with "\n"). */
void rcsv_write(rout *o, const recorder *r);

/* A value as timeline.csv prints it ("" for NaN) into buf; returns buf. */
char *rcsv_value(char *buf, size_t size, double v);

#endif
