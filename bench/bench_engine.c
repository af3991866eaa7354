/*
 * Engine benchmark: the classic hold model. N events are pending; each
 * executed event schedules one successor at now + Exp(mean 1 s). Prints
 * the median events/s of 5 repetitions for N = 100, 10^4 and 10^6, and the
 * spread (min..max) so noise is visible.
 *
 * Budget (DESIGN.md): >= 20 M events/s at N = 100, >= 5 M events/s at 10^6.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "sim/engine.h"
#include "sim/rng.h"

typedef struct hold {
	rng *r;
} hold;

static void
hold_fire(struct engine *e, void *obj, uint64_t arg)
{
	hold *h = obj;
	eng_at(e, eng_now(e) + rng_exp_mean_us(h->r, 1000000), hold_fire, h, arg);
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double
run_once(size_t n, uint64_t events, int rep)
{
	hold h = {.r = rng_new(1, "bench.hold", (uint64_t)rep)};
	engine *e = eng_new(&h);
	for (size_t i = 0; i < n; i++)
		eng_at(e, rng_exp_mean_us(h.r, 1000000), hold_fire, &h, 0);
	/* warm up: let the queue reach its steady shape */
	uint64_t warm = events / 10;
	while (eng_executed(e) < warm)
		eng_advance_to(e, eng_now(e) + 1000000);
	uint64_t start = eng_executed(e);
	double t0 = now_s();
	/* Step the horizon in 1 s of simulated time: n events per step on
	 * average, so the loop overhead is negligible. */
	while (eng_executed(e) - start < events)
		eng_advance_to(e, eng_now(e) + 1000000);
	double dt = now_s() - t0;
	double rate = (double)(eng_executed(e) - start) / dt;
	eng_free(e);
	rng_free(h.r);
	return rate;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	/* optional argument: run only the case with this many pending events */
	size_t only = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 0;
	gsl_set_error_handler_off();
	const struct {
		size_t n;
		uint64_t events;
		double goal;
	} cases[] = {
		{100, 20000000, 20e6},
		{10000, 10000000, 0},
		{1000000, 10000000, 5e6},
	};
	printf("engine hold model (each event schedules one at now+Exp(1s)); "
	    "median of 5\n");
	printf("%10s %14s %14s %14s %10s\n", "pending", "events/s", "min", "max",
	    "goal");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		if (only && cases[c].n != only)
			continue;
		double r[5];
		for (int i = 0; i < 5; i++)
			r[i] = run_once(cases[c].n, cases[c].events, i);
		qsort(r, 5, sizeof(r[0]), cmp_double);
		char goal[32] = "-";
		if (cases[c].goal > 0)
			snprintf(goal, sizeof(goal), ">=%.0fM", cases[c].goal / 1e6);
		printf("%10zu %13.2fM %13.2fM %13.2fM %10s\n", cases[c].n,
		    r[2] / 1e6, r[0] / 1e6, r[4] / 1e6, goal);
	}
	return 0;
}
