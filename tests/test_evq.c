/*
 * The event queue and the engine: order against a sorted reference with
 * many ties, cancel and reschedule, stale handles, the clock never going
 * backwards, and the run loop's horizon.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/engine.h"
#include "sim/evq.h"
#include "sim/rng.h"
#include "tests/suites.h"

typedef struct ref_ev {
	sim_time t;
	uint64_t seq;
	uint64_t id;
	int cancelled;
} ref_ev;

static int
ref_cmp(const void *a, const void *b)
{
	const ref_ev *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
noop(struct engine *e, void *obj, uint64_t arg)
{
	(void)e; (void)obj; (void)arg;
}

/* Random workloads with few distinct times (many ties), random cancels and
 * reschedules, interleaved pops: the pop order must equal the reference
 * sorted by (time, sequence of the last (re)scheduling). */
START_TEST(test_order_against_reference)
{
	enum { N = 4000 };
	rng *r = rng_new(42, "test.evq", (uint64_t)_i);
	evq *q = evq_new(0);
	ref_ev *ref = calloc(N, sizeof(*ref));
	evq_handle *h = calloc(N, sizeof(*h));
	uint64_t seq = 0;
	for (int i = 0; i < N; i++) {
		ref[i].t = (sim_time)rng_uniform_index(r, 50); /* heavy ties */
		ref[i].seq = seq++;
		ref[i].id = (uint64_t)i;
		h[i] = evq_push(q, ref[i].t, noop, NULL, (uint64_t)i);
	}
	for (int k = 0; k < N / 4; k++) {
		int i = (int)rng_uniform_index(r, N);
		if (ref[i].cancelled)
			continue;
		if (rng_bernoulli(r, 0.5)) {
			ck_assert(evq_cancel(q, h[i]));
			ck_assert(!evq_cancel(q, h[i])); /* second cancel: stale */
			ref[i].cancelled = 1;
		} else {
			ref[i].t = (sim_time)rng_uniform_index(r, 50);
			ref[i].seq = seq++;
			ck_assert(evq_reschedule(q, h[i], ref[i].t));
			ck_assert_int_eq(evq_time_of(q, h[i]), ref[i].t);
		}
	}
	qsort(ref, N, sizeof(*ref), ref_cmp);
	evq_item it;
	size_t popped = 0;
	for (int i = 0; i < N; i++) {
		if (ref[i].cancelled)
			continue;
		ck_assert(evq_pop(q, &it));
		ck_assert_int_eq(it.time, ref[i].t);
		ck_assert_uint_eq(it.arg, ref[i].id);
		ck_assert(!evq_pending(q, h[it.arg])); /* popped: stale */
		popped++;
	}
	ck_assert(!evq_pop(q, &it));
	ck_assert_uint_eq(evq_size(q), 0);
	ck_assert_int_eq(evq_peek_time(q), SIM_TIME_MAX);
	free(ref);
	free(h);
	evq_free(q);
	rng_free(r);
}
END_TEST

START_TEST(test_ties_keep_insertion_order)
{
	evq *q = evq_new(4);
	for (uint64_t i = 0; i < 100; i++)
		evq_push(q, 7, noop, NULL, i);
	evq_item it;
	for (uint64_t i = 0; i < 100; i++) {
		ck_assert(evq_pop(q, &it));
		ck_assert_uint_eq(it.arg, i);
	}
	evq_free(q);
}
END_TEST

START_TEST(test_stale_handle_after_reuse)
{
	evq *q = evq_new(0);
	evq_handle a = evq_push(q, 5, noop, NULL, 1);
	evq_item it;
	ck_assert(evq_pop(q, &it));
	/* the slot is reused; the old handle must not cancel the new event */
	evq_handle b = evq_push(q, 9, noop, NULL, 2);
	ck_assert(!evq_cancel(q, a));
	ck_assert(!evq_reschedule(q, a, 1));
	ck_assert(evq_pending(q, b));
	ck_assert_int_eq(evq_time_of(q, a), SIM_TIME_MAX);
	ck_assert(!evq_cancel(q, EVQ_NONE));
	ck_assert(evq_cancel(q, b));
	ck_assert_uint_eq(evq_size(q), 0);
	evq_free(q);
}
END_TEST

/* Engine: the hold model; time never decreases, every event executes once. */
typedef struct hold_ctx {
	rng *r;
	sim_time last;
	uint64_t executed;
	int went_back;
} hold_ctx;

static void
hold_fire(struct engine *e, void *obj, uint64_t arg)
{
	hold_ctx *c = obj;
	if (eng_now(e) < c->last)
		c->went_back = 1;
	c->last = eng_now(e);
	c->executed++;
	if (arg > 0)
		eng_after(e, rng_exp_mean_us(c->r, SIM_SEC), hold_fire, c, arg - 1);
}

START_TEST(test_engine_clock_monotone)
{
	hold_ctx c = {.r = rng_new(7, "test.hold", 0)};
	engine *e = eng_new(&c);
	for (int i = 0; i < 50; i++)
		eng_at(e, rng_exp_mean_us(c.r, SIM_SEC), hold_fire, &c, 20);
	uint64_t n = eng_run(e);
	ck_assert_uint_eq(n, 50 * 21);
	ck_assert_uint_eq(c.executed, 50 * 21);
	ck_assert_uint_eq(eng_executed(e), 50 * 21);
	ck_assert_int_eq(c.went_back, 0);
	eng_free(e);
	rng_free(c.r);
}
END_TEST

static void
count_fire(struct engine *e, void *obj, uint64_t arg)
{
	(void)e; (void)arg;
	(*(int *)obj)++;
}

START_TEST(test_engine_advance_horizon)
{
	int fired = 0;
	engine *e = eng_new(NULL);
	eng_at(e, 10, count_fire, &fired, 0);
	eng_at(e, 20, count_fire, &fired, 0);
	evq_handle h = eng_at(e, 30, count_fire, &fired, 0);
	ck_assert_uint_eq(eng_advance_to(e, 20), 1); /* strictly before 20 */
	ck_assert_int_eq(eng_now(e), 20);
	ck_assert_int_eq(fired, 1);
	ck_assert(eng_reschedule(e, h, 25));
	ck_assert_uint_eq(eng_advance_to(e, 26), 2);
	ck_assert_int_eq(fired, 3);
	ck_assert_uint_eq(eng_pending(e), 0);
	eng_free(e);
}
END_TEST

typedef struct seen {
	uint64_t n;
	sim_time last;
	int bad;
} seen;

static void
observe(void *ud, const engine *e, const evq_item *ev)
{
	seen *s = ud;
	s->n++;
	if (ev->time != eng_now(e) || ev->time < s->last)
		s->bad = 1;
	s->last = ev->time;
}

/* The observer hook sees every executed event, in order, after it ran. */
START_TEST(test_engine_observer)
{
	hold_ctx c = {.r = rng_new(8, "test.obs", 0)};
	seen s = {0, 0, 0};
	engine *e = eng_new(&c);
	eng_set_observer(e, observe, &s);
	for (int i = 0; i < 10; i++)
		eng_at(e, rng_exp_mean_us(c.r, SIM_SEC), hold_fire, &c, 9);
	evq_handle h = eng_at(e, 5, hold_fire, &c, 0);
	ck_assert(eng_cancel(e, h)); /* cancelled: never observed */
	eng_run(e);
	ck_assert_uint_eq(s.n, 100);
	ck_assert_uint_eq(s.n, eng_executed(e));
	ck_assert_int_eq(s.bad, 0);
	eng_free(e);
	rng_free(c.r);
}
END_TEST

/* Scheduling in the past is a programming error: the process aborts
 * naming the times. Run in a child of its own whose stderr is captured,
 * so the message is checked and a passing suite prints nothing alarming. */
START_TEST(test_engine_past_aborts)
{
	int fd[2];
	ck_assert_int_eq(pipe(fd), 0);
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		engine *e = eng_new(NULL);
		eng_advance_to(e, 100);
		eng_at(e, 99, noop, NULL, 0); /* aborts */
		_exit(0);
	}
	close(fd[1]);
	char msg[512];
	size_t n = 0;
	ssize_t got;
	while (n + 1 < sizeof(msg) &&
	    (got = read(fd[0], msg + n, sizeof(msg) - 1 - n)) > 0)
		n += (size_t)got;
	msg[n] = '\0';
	close(fd[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	    "the child did not abort (status %d)", status);
	ck_assert_msg(strstr(msg, "ecsim internal error: event scheduled in the "
	    "past (at 99 us, now 100 us)") != NULL, "message: %s", msg);
}
END_TEST

Suite *
evq_suite(void)
{
	Suite *s = suite_create("evq");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_order_against_reference, 0, 8);
	tcase_add_test(tc, test_ties_keep_insertion_order);
	tcase_add_test(tc, test_stale_handle_after_reuse);
	tcase_add_test(tc, test_engine_clock_monotone);
	tcase_add_test(tc, test_engine_advance_horizon);
	tcase_add_test(tc, test_engine_observer);
	tcase_add_test(tc, test_engine_past_aborts);
	suite_add_tcase(s, tc);
	return s;
}
