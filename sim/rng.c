/*
 * rng — GSL-backed random streams with documented seed mixing (rng.h).
 */
#include "sim/rng.h"

#include <math.h>
#include <threads.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/error.h"
#include "sim/xalloc.h"

struct rng {
	gsl_rng *g;
};

uint64_t
rng_splitmix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

uint64_t
rng_fnv1a64(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

unsigned long
rng_seed_for(uint64_t master, const char *purpose, uint64_t entity)
{
	uint64_t h = rng_fnv1a64(purpose);
	uint64_t s = rng_splitmix64(rng_splitmix64(master ^ h) +
	    rng_splitmix64(entity ^ UINT64_C(0x9e3779b97f4a7c15)));
	unsigned long seed = (unsigned long)(s & 0xffffffffu);
	return seed ? seed : 1;
}

rng *
rng_new(uint64_t master, const char *purpose, uint64_t entity)
{
	rng *r = xmalloc(sizeof(*r));
	r->g = gsl_rng_alloc(gsl_rng_taus2);
	if (r->g == NULL)
		sim_panic(__FILE__, __LINE__, "cannot allocate a random stream");
	gsl_rng_set(r->g, rng_seed_for(master, purpose, entity));
	return r;
}

void
rng_free(rng *r)
{
	if (r == NULL)
		return;
	gsl_rng_free(r->g);
	free(r);
}

const char *
rng_generator_name(void)
{
	return gsl_rng_taus2->name;
}

double
rng_uniform(rng *r)
{
	return gsl_rng_uniform(r->g);
}

double
rng_uniform_pos(rng *r)
{
	return gsl_rng_uniform_pos(r->g);
}

double
rng_uniform_range(rng *r, double lo, double hi)
{
	return lo + (hi - lo) * gsl_rng_uniform(r->g);
}

unsigned long
rng_uniform_index(rng *r, unsigned long n)
{
	SIM_ASSERT(n >= 1);
	return n == 1 ? 0 : gsl_rng_uniform_int(r->g, n);
}

bool
rng_bernoulli(rng *r, double p)
{
	if (p <= 0)
		return false;
	if (p >= 1)
		return true;
	return gsl_rng_uniform(r->g) < p;
}

/*
 * Exponential draws by the ziggurat method (Marsaglia & Tsang, "The
 * Ziggurat Method for Generating Random Variables", J. Stat. Software 5(8),
 * 2000), with 256 layers: one 32-bit draw, one table look-up and one
 * multiplication in ~99 % of draws, instead of a logarithm. The tables are
 * computed once from the method's two constants (the layer edge r and the
 * common layer area v) and are the same on every machine.
 */
#define ZIG_N 256
#define ZIG_R 7.69711747013104972
#define ZIG_V 3.949659822581572e-3

/* Computed once per process (call_once: safe if streams ever live in
 * several threads), then read-only. */
static struct zig {
	uint32_t k[ZIG_N];
	double w[ZIG_N], f[ZIG_N];
} zig;
static once_flag zig_once = ONCE_FLAG_INIT;

static void
zig_init(void)
{
	const double m = 4294967296.0; /* 2^32 */
	double d = ZIG_R, t = d;
	double q = ZIG_V / exp(-d);
	zig.k[0] = (uint32_t)((d / q) * m);
	zig.k[1] = 0;
	zig.w[0] = q / m;
	zig.w[ZIG_N - 1] = d / m;
	zig.f[0] = 1.0;
	zig.f[ZIG_N - 1] = exp(-d);
	for (int i = ZIG_N - 2; i >= 1; i--) {
		d = -log(ZIG_V / d + exp(-d));
		zig.k[i + 1] = (uint32_t)((d / t) * m);
		t = d;
		zig.f[i] = exp(-d);
		zig.w[i] = d / m;
	}
}

/* A standard exponential (mean 1). */
static double
zig_exp(rng *r)
{
	call_once(&zig_once, zig_init);
	for (;;) {
		uint32_t j = (uint32_t)gsl_rng_get(r->g);
		uint32_t i = j & (ZIG_N - 1);
		double x = j * zig.w[i];
		if (j < zig.k[i])
			return x;
		if (i == 0) /* the tail: r plus a fresh exponential */
			return ZIG_R - log(gsl_rng_uniform_pos(r->g));
		if (zig.f[i] + gsl_rng_uniform(r->g) * (zig.f[i - 1] - zig.f[i]) < exp(-x))
			return x;
	}
}

double
rng_exp_mean(rng *r, double mean)
{
	return mean * zig_exp(r);
}

sim_time
rng_exp_mean_us(rng *r, sim_time mean)
{
	return (sim_time)((double)mean * zig_exp(r) + 0.5);
}

double
rng_lognormal_median(rng *r, double median, double sigma)
{
	return gsl_ran_lognormal(r->g, log(median), sigma);
}

sim_time
rng_lognormal_median_us(rng *r, sim_time median, double sigma)
{
	if (median <= 0)
		return 0;
	return (sim_time)llround(gsl_ran_lognormal(r->g, log((double)median), sigma));
}

double
rng_normal(rng *r, double mu, double sd)
{
	return mu + gsl_ran_gaussian(r->g, sd);
}
