/*
 * dist — a random duration as a scenario states it, and drawing from it.
 *
 * JSON forms (all durations as in simtime: seconds or "90s"):
 *   "5s" or 5                                      constant
 *   {"dist": "constant", "value": "5s"}
 *   {"dist": "uniform", "min": "5s", "max": "20s"}
 *   {"dist": "lognormal", "median": "10s", "sigma": 0.5}
 *   {"dist": "exponential", "mean": "30s"}
 * Draws are clamped to [0, SIM_DURATION_MAX].
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include "sim/jread.h"
#include "sim/rng.h"
#include "sim/simtime.h"

typedef enum dist_kind {
	DIST_CONSTANT,
	DIST_UNIFORM,
	DIST_LOGNORMAL,
	DIST_EXPONENTIAL,
} dist_kind;

typedef struct dist {
	dist_kind kind;
	sim_time a, b;  /* constant: a; uniform: [a, b]; lognormal: median a;
	                   exponential: mean a */
	double sigma;   /* lognormal */
} dist;

static inline dist
dist_constant(sim_time t)
{
	dist d = {DIST_CONSTANT, t, t, 0};
	return d;
}

int dist_parse(const jr_val *v, dist *out, sim_error *err);
sim_time dist_draw(const dist *d, rng *r);
/* A short description for assumptions: "lognormal(median 10s, sigma 0.5)". */
void dist_describe(const dist *d, char *buf, size_t size);

#endif
