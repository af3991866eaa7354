/*
 * Engine benchmark: the classic hold model. N events are pending; each
 * executed event schedules one successor at now + Exp(mean 1 s). Prints
 * the median events/s of 5 repetitions for N = 100, 10^4 and 10^6, and the
 * spread (min..max) so noise is visible; and beside it, in the same run,
 * the same hold model on a plain C binary heap (an array ordered by
 * (time, insertion sequence), events inline, a function pointer per
 * event, no cancellation handles) as the reference the engine must match
 * or beat. Events per simulated hour: N x 3600 (each pending event fires
 * once a simulated second on average).
 *
 * Budget (DESIGN.md): >= 20 M events/s at N = 100, >= 5 M events/s at 10^6;
 * (issue 9) the engine at or above the plain heap.
 */
#include <stdbool.h>
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

/* ---- the reference: a plain binary heap ---- */

struct bheap;

typedef struct bh_ev {
	sim_time t;
	uint64_t seq;
	void (*fn)(struct bheap *h, struct bh_ev *ev);
	void *obj;
	uint64_t arg;
} bh_ev;

typedef struct bheap {
	bh_ev *v;
	size_t n, cap;
	uint64_t seq, executed;
	sim_time now;
} bheap;

static bool
bh_less(const bh_ev *a, const bh_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
bh_push(bheap *h, sim_time t, void (*fn)(bheap *, bh_ev *), void *obj, uint64_t arg)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 1024;
		h->v = realloc(h->v, h->cap * sizeof(*h->v));
		if (h->v == NULL)
			abort();
	}
	bh_ev e = {t, h->seq++, fn, obj, arg};
	size_t i = h->n++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!bh_less(&e, &h->v[p]))
			break;
		h->v[i] = h->v[p];
		i = p;
	}
	h->v[i] = e;
}

static bh_ev
bh_pop(bheap *h)
{
	bh_ev top = h->v[0], last = h->v[--h->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && bh_less(&h->v[c + 1], &h->v[c]))
			c++;
		if (!bh_less(&h->v[c], &last))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n > 0)
		h->v[i] = last;
	return top;
}

/* Run every event up to t (as eng_advance_to). */
static void
bh_advance_to(bheap *h, sim_time t)
{
	while (h->n > 0 && h->v[0].t <= t) {
		bh_ev e = bh_pop(h);
		h->now = e.t;
		h->executed++;
		e.fn(h, &e);
	}
	h->now = t;
}

static void
bh_hold_fire(bheap *h, bh_ev *ev)
{
	hold *x = ev->obj;
	bh_push(h, h->now + rng_exp_mean_us(x->r, 1000000), bh_hold_fire, x, ev->arg);
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

/* The same measurement on the plain heap. */
static double
run_heap(size_t n, uint64_t events, int rep)
{
	hold x = {.r = rng_new(1, "bench.hold", (uint64_t)rep)};
	bheap h = {0};
	for (size_t i = 0; i < n; i++)
		bh_push(&h, rng_exp_mean_us(x.r, 1000000), bh_hold_fire, &x, 0);
	uint64_t warm = events / 10;
	while (h.executed < warm)
		bh_advance_to(&h, h.now + 1000000);
	uint64_t start = h.executed;
	double t0 = now_s();
	while (h.executed - start < events)
		bh_advance_to(&h, h.now + 1000000);
	double dt = now_s() - t0;
	double rate = (double)(h.executed - start) / dt;
	free(h.v);
	rng_free(x.r);
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
	    "median of 5 (min..max),\nthe engine and a plain C binary heap "
	    "(reference) alternating in one run\n");
	printf("%10s %5s %30s %30s %8s %12s %8s\n", "pending", "", "engine events/s",
	    "plain heap events/s", "ratio", "ev/sim-h", "goal");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		if (only && cases[c].n != only)
			continue;
		double r[5], b[5];
		for (int i = 0; i < 5; i++) {
			r[i] = run_once(cases[c].n, cases[c].events, i);
			b[i] = run_heap(cases[c].n, cases[c].events, i);
		}
		qsort(r, 5, sizeof(r[0]), cmp_double);
		qsort(b, 5, sizeof(b[0]), cmp_double);
		char goal[32] = "-";
		if (cases[c].goal > 0)
			snprintf(goal, sizeof(goal), ">=%.0fM", cases[c].goal / 1e6);
		printf("%10zu %5s %9.2fM (%7.2fM..%7.2fM) %9.2fM (%7.2fM..%7.2fM) %7.2fx %12.0f %8s\n",
		    cases[c].n, "", r[2] / 1e6, r[0] / 1e6, r[4] / 1e6, b[2] / 1e6,
		    b[0] / 1e6, b[4] / 1e6, r[2] / b[2], (double)cases[c].n * 3600.0, goal);
	}
	return 0;
}
