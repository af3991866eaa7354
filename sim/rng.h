/*
 * rng — independent random streams, one per (purpose, entity).
 *
 * Each stream is a GSL generator of one explicit type (taus2: 3 words of
 * state, cheap to seed, period ~2^88), seeded by rng_seed_for(master,
 * purpose, entity). Streams never share state, so drawing more numbers in
 * one place (say, a task's start time) leaves every other stream's numbers
 * unchanged: comparisons between variants of a scenario use common random
 * numbers. gsl_rng_env_setup is never called, so GSL_RNG_* environment
 * variables cannot change results.
 *
 * Seed mixing (documented because results depend on it):
 *   h   = fnv1a64(purpose)
 *   s   = splitmix64(splitmix64(master ^ h) + splitmix64(entity ^ K))
 *   seed = low 32 bits of s, or 1 if those are 0
 * where K = 0x9e3779b97f4a7c15 and splitmix64 is Steele, Lea & Flood's
 * finaliser. (taus2 reduces seeds modulo 2^32; 0 would select GSL's
 * default seed.)
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/simtime.h"

typedef struct rng rng;

uint64_t rng_splitmix64(uint64_t x);
uint64_t rng_fnv1a64(const char *s);
unsigned long rng_seed_for(uint64_t master, const char *purpose,
    uint64_t entity);

/* Returns an owned stream; free with rng_free (NULL is a no-op). */
rng *rng_new(uint64_t master, const char *purpose, uint64_t entity);
void rng_free(rng *r);
/* Name of the generator type, e.g. "taus2" (for the run's assumptions). */
const char *rng_generator_name(void);

/* Uniform in [0, 1). */
double rng_uniform(rng *r);
/* Uniform in (0, 1): safe before log. */
double rng_uniform_pos(rng *r);
/* Uniform in [lo, hi). */
double rng_uniform_range(rng *r, double lo, double hi);
/* Uniform integer in [0, n-1]; n must be >= 1. */
unsigned long rng_uniform_index(rng *r, unsigned long n);
/* True with probability p (p outside [0,1] is clamped). */
bool rng_bernoulli(rng *r, double p);
/* Exponential with the given mean (not rate). */
double rng_exp_mean(rng *r, double mean);
sim_time rng_exp_mean_us(rng *r, sim_time mean);
/* Lognormal given by its median and the sigma of the underlying normal. */
double rng_lognormal_median(rng *r, double median, double sigma);
sim_time rng_lognormal_median_us(rng *r, sim_time median, double sigma);
/* Normal with mean mu and standard deviation sd. */
double rng_normal(rng *r, double mu, double sd);

#endif
