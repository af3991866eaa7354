/*
 * simtime — simulated time and durations.
 *
 * Time is int64_t microseconds since the scenario's start, never double.
 * Durations in scenarios are numbers of seconds (as in AWS APIs) or strings
 * of integer components with units in decreasing order: "90s", "5m",
 * "1h30m", "2d", "250ms".
 */
#ifndef SIM_SIMTIME_H
#define SIM_SIMTIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t sim_time;

#define SIM_US ((sim_time)1)
#define SIM_MS ((sim_time)1000)
#define SIM_SEC ((sim_time)1000000)
#define SIM_MIN (60 * SIM_SEC)
#define SIM_HOUR (60 * SIM_MIN)
#define SIM_DAY (24 * SIM_HOUR)
#define SIM_TIME_MAX INT64_MAX
/* Longest duration a scenario may state: 10 years. */
#define SIM_DURATION_MAX (3660 * SIM_DAY)

/* Parse a duration string. Returns 0 and sets *out, or -1 with a reason in
 * why (e.g. "unknown unit 'x'"). */
int simtime_parse(const char *s, sim_time *out, char *why, size_t whysize);
/* Convert seconds (finite, >= 0, at most SIM_DURATION_MAX) to sim_time,
 * rounding to the nearest microsecond. Returns -1 if out of range. */
int simtime_from_seconds(double seconds, sim_time *out);
static inline double simtime_to_seconds(sim_time t) { return (double)t / 1e6; }

/* Print a duration compactly: "0s", "90ms", "1m30s", "1h30m", "2d3h",
 * "12.5s". Negative values get a leading '-'. Returns buf. */
char *simtime_format(sim_time t, char *buf, size_t size);
/* Print a point in simulated time as a clock: "d+HH:MM:SS.mmm" when past the
 * first day, else "HH:MM:SS" (milliseconds shown only when non-zero). */
char *simtime_clock(sim_time t, char *buf, size_t size);

#endif
