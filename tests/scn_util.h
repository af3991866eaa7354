/*
 * Helpers for tests that run whole scenarios: write JSON text to a
 * temporary file, run it through the real loader, model and recorder, and
 * read what a user would read (events, facts, series).
 */
#ifndef TESTS_SCN_UTIL_H
#define TESTS_SCN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/cli.h"
#include "sim/recorder.h"

/* Run json (a whole scenario). On success returns 0 and fills *res (free
 * with cli_result_free); on error returns the code with *err filled. */
int su_run(const char *json, cli_result *res, sim_error *err);
/* Like su_run, but the test fails unless the run succeeds. */
void su_run_ok(const char *json, cli_result *res);
/* Load only (validate); returns the error code, *err filled. */
int su_validate(const char *json, sim_error *err);

/* Number of events whose text contains needle. */
int su_count_events(const recorder *r, const char *needle);
/* Time of the first event containing needle, or -1. */
sim_time su_first_event(const recorder *r, const char *needle);
/* The same among events at or after `after`. */
sim_time su_first_event_after(const recorder *r, const char *needle,
    sim_time after);
/* The i-th fact of a table, or NULL. */
rec_fact *su_fact(const recorder *r, const char *table, size_t i);
/* Max / min of a series over rows at or after `after` (NaN skipped). */
double su_series_max(const recorder *r, const char *name, sim_time after);
double su_series_min(const recorder *r, const char *name, sim_time after);
/* Copy text into buf (of size bytes) without its '@' marker; *line and
 * *col: where the marker stood (0 when there is none). For tests that pin
 * an error's position. */
void su_strip_marker(const char *text, char *buf, size_t size, int *line,
    int *col);
/* Print the event log (for debugging a failing test). */
void su_dump_events(const recorder *r);

#endif
