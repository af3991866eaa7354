/*
 * workload — offered load as requests per second over simulated time.
 *
 * A curve is read from the "requestsPerSecond" value of a workload entry.
 * Shapes (durations are seconds or strings such as "90s", "1h30m"):
 *
 *   100                                   constant
 *   {"constant": 100}                     constant
 *   {"steps": [{"at": "0s", "rps": 100},  piecewise constant; "at" strictly
 *              {"at": "30m", "rps": 300}]} increasing, the first at 0
 *   {"diurnal": {"base": 50, "peak": 400, "peakHour": 14, "period": "1d"}}
 *       raised cosine: peak at peakHour, base half a period away;
 *       rps(t) = base + (peak - base) * (1 + cos(2*pi*(t - peakHour)/period))/2.
 *       Time 0 (the scenario start) is midnight; period defaults to 1d and
 *       peakHour (hours, fractional allowed) must lie in [0, period).
 *   {"spike": {"base": 100, "peak": 1000, "at": "2h", "rampUp": "1m",
 *              "hold": "10m", "rampDown": "5m"}}
 *       base, plus one spike of (peak - base): a linear ramp from 0 at "at"
 *       to the full amount after rampUp, held for hold, back to 0 over
 *       rampDown (rampUp and rampDown default to 0s; the three must not all
 *       be 0).
 *   {"trace": {"csv": "traffic.csv", "interpolation": "linear",
 *              "repeat": false}}
 *       a CSV file with the header line "time,rps", one row per line: time
 *       in seconds ("90", "1.5") or a duration ("1h30m"), strictly
 *       increasing; rps a number >= 0. The path is relative to the JSON
 *       file that names it. "linear" (default) joins rows with straight
 *       lines (GSL gsl_interp_linear); "step" holds each row's rps until
 *       the next row. Before the first row and after the last the end
 *       values are held. With "repeat": true the trace must start at 0 and
 *       repeats with a period equal to its last row's time (the last row
 *       closes the cycle: under "step" its rps is never used). The key is
 *       "csv", not "file": {"file": ...} means "this JSON value lives in
 *       another JSON file" everywhere in a scenario.
 *
 * Any object shape may also carry:
 *   "spikes": [{"at": "2h", "add": 500, "rampUp": "1m", "hold": "10m",
 *               "rampDown": "5m"}, ...]
 *       extra requests per second added on top of the shape, each with the
 *       ramp/hold/ramp profile above (add >= 0). Spikes add up where they
 *       overlap. (The "spike" shape is "constant" plus one such spike.)
 *   "noise": {"type": "gaussian", "relative": 0.1, "interval": "1m"}
 *       multiplicative noise: the whole curve (shape + spikes + any
 *       override) is multiplied by a factor drawn once per grid cell
 *       [k*interval, (k+1)*interval) of simulated time. "gaussian"
 *       (default): max(0, 1 + relative*z); "lognormal":
 *       exp(s*z - s*s/2) with s*s = ln(1 + relative^2), so the mean is 1 and
 *       the relative standard deviation is "relative". relative is in
 *       [0, 1]; interval defaults to 1m, in [1s, 1d].
 *
 * Noise determinism: z of cell k is not drawn sequentially from a stream
 * but computed from a counter-based hash, so rps at a time depends only on
 * the time, never on how often or in which order the curve is evaluated:
 *   key  = splitmix64(splitmix64(master ^ fnv1a64("workload.noise"))
 *                     + splitmix64(entity ^ 0x9e3779b97f4a7c15))
 *          (rng_seed_for's mix before its truncation to 32 bits)
 *   h    = splitmix64(key ^ splitmix64(k))
 *   u    = ((h >> 11) + 0.5) / 2^53            in (0, 1)
 *   z    = gsl_cdf_ugaussian_Pinv(u)           standard normal
 * (master, entity) are set by wl_seed; an unseeded curve uses (1, 0).
 *
 * Composition, evaluated at time t (microseconds):
 *   scheduled(t) = shape(t) + sum of spikes(t)
 *   level(t)     = scheduled(t) * k   after wl_set_scale(c, at, k), at <= t
 *                = r                  after wl_set_constant(c, at, r)
 *                  (the override with the latest "at" <= t is in force;
 *                  none: scale 1)
 *   rps(t)       = noise(cell of t) * level(t)
 *
 * Ownership: everything a curve holds is allocated from an arena (the
 * loader's for wl_parse); there is nothing to free. The linear
 * interpolation object of GSL keeps no state outside its struct, so that
 * struct lives in the arena too.
 */
#ifndef MODEL_TRAFFIC_WORKLOAD_H
#define MODEL_TRAFFIC_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/arena.h"
#include "sim/error.h"
#include "sim/jread.h"
#include "sim/simtime.h"

typedef struct wl_curve wl_curve;

/* The largest requests per second a curve may ask [stated]. */
#define WL_RPS_MAX 1e8

/* Purpose string of the noise key (see above). */
#define WL_NOISE_PURPOSE "workload.noise"
/* Default noise grid. */
#define WL_NOISE_INTERVAL (60 * SIM_SEC)

/* Read a curve from v (a number or an object, as above). CSV traces are
 * read now, relative to the JSON file holding v. Returns 0 and sets *out
 * (allocated from jr_arena(v->L); lives as long as that arena), or
 * SIM_EINPUT with *err filled: for a bad CSV line, err->file is the CSV
 * file, line and column are in it, err->path is "". */
int wl_parse(const jr_val *v, wl_curve **out, sim_error *err);

/* A constant curve (rps >= 0), allocated from a. */
wl_curve *wl_new_constant(arena *a, double rps);

/* Set the noise key from the run's master seed and an entity number (say,
 * the service's index). Without noise this has no effect. */
void wl_seed(wl_curve *c, uint64_t master, uint64_t entity);

/* Requests per second at time t >= 0 (>= 0, finite). */
double wl_rps_at(const wl_curve *c, sim_time t);

/* Mean requests per second over [t0, t1] (0 <= t0 <= t1): the exact
 * integral divided by the length, for every shape (steps, traces and
 * spikes are piecewise linear; the diurnal cosine is integrated
 * analytically), with each noise cell's factor applied to its part of the
 * interval. t0 == t1 gives wl_rps_at(c, t0). */
double wl_mean_rps(const wl_curve *c, sim_time t0, sim_time t1);

/* The end u > t of the interval [t, u) on which rps is constant, i.e. the
 * next time the value may change (a step, a spike starting or ending its
 * hold, an override, a noise cell boundary); SIM_TIME_MAX when it never
 * changes after t. Returns t itself when the value is changing
 * continuously at t (a diurnal curve, a ramp, a sloped segment of a linear
 * trace): the caller then samples at its own interval. */
sim_time wl_next_change(const wl_curve *c, sim_time t);

/* Timeline overrides (sim:SetLoad). From time at on, the scheduled curve
 * is multiplied by k >= 0 (wl_set_scale; k = 1 restores it) or replaced by
 * the constant rps >= 0 (wl_set_constant). Noise still applies. A later
 * override supersedes an earlier one from its own time on; overrides may
 * be added in any order (two at the same time: the one added last wins).
 * Values before at are unchanged. Memory comes from the curve's arena. */
void wl_set_scale(wl_curve *c, sim_time at, double k);
void wl_set_constant(wl_curve *c, sim_time at, double rps);

/* True if the curve has noise (the run lists the noise as an assumption). */
bool wl_has_noise(const wl_curve *c);

#endif
