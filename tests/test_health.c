/*
 * Health checks: the documented timings (150 s to healthy with ALB
 * defaults, unhealthy after UnhealthyThresholdCount checks, container
 * startPeriod and retries), the texts and validation, and the property the
 * module exists for: predicting the next change and skipping the checks in
 * between gives the same (time, state) sequence as evaluating every check,
 * on random scenarios with model changes and recomputations mid-way.
 */
#include <stdlib.h>
#include <string.h>

#include "model/ecs/health.h"
#include "sim/recorder.h"
#include "sim/rng.h"
#include "tests/suites.h"

#define T_REG (1000 * SIM_SEC)
#define S_START (500 * SIM_SEC)

/* One checker driven the way the model drives it: predict, adopt at the
 * predicted time, and on a model change (or a spurious recomputation) at t
 * advance to t and predict again. When a predicted change and an external
 * event fall at the same time, `coin` (NULL: external first) picks which
 * the engine runs first: the result must not depend on it. */
static long g_ties; /* predicted change and external event at one time */

static size_t
fast_run(const hc_machine *m, const hc_phase *ph, size_t nph,
    const sim_time *recomp, size_t nrecomp, rng *r, rng *coin,
    sim_time horizon, int64_t limit, hc_change *out, size_t cap,
    int *limits_seen)
{
	hc_state st = hc_state_initial();
	hc_draws d;
	hc_draws_init(&d, r);
	size_t i = 0, ri = 0, n = 0;
	hc_change c;
	hc_predict(m, &ph[0].outcome, &st, &d, horizon, limit, &c);
	for (;;) {
		sim_time tm = i + 1 < nph ? ph[i + 1].from : SIM_TIME_MAX;
		sim_time tr = ri < nrecomp ? recomp[ri] : SIM_TIME_MAX;
		sim_time tx = tm < tr ? tm : tr;
		sim_time tc = c.kind == HC_CHANGE || c.kind == HC_LIMIT ?
		    c.time : SIM_TIME_MAX;
		if (tc == tx && tc != SIM_TIME_MAX)
			g_ties++;
		bool change_first = tc < tx ||
		    (tc == tx && coin != NULL && rng_uniform(coin) < 0.5);
		if (change_first && tc != SIM_TIME_MAX) {
			if (tc > horizon)
				ck_abort_msg("change past the horizon");
			if (c.kind == HC_CHANGE) {
				if (n < cap)
					out[n] = c;
				n++;
			} else {
				(*limits_seen)++;
			}
			hc_adopt(&st, &d, &c);
		} else if (tx <= horizon) {
			hc_change passed;
			int k = hc_advance(m, &ph[i].outcome, &st, &d, tx, &passed);
			if (k > 1 || (k == 1 && passed.time != tx))
				ck_abort_msg("advance passed over a change before t");
			if (k == 1) {
				if (n < cap)
					out[n] = passed;
				n++;
			}
			if (tm <= tr)
				i++;
			else
				ri++;
		} else {
			break;
		}
		hc_predict(m, &ph[i].outcome, &st, &d, horizon, limit, &c);
	}
	hc_draws_free(&d);
	return n;
}

/* Compared in plain C, asserting once: every ck_assert costs Check a
 * write(2), which dominates the random test (and valgrind's time). */
static void
assert_same_changes(const hc_change *a, size_t na, const hc_change *b,
    size_t nb, int id)
{
	if (na != nb)
		ck_abort_msg("case %d: %zu changes vs %zu", id, na, nb);
	for (size_t i = 0; i < na; i++) {
		const hc_state *x = &a[i].after, *y = &b[i].after;
		if (a[i].time != b[i].time)
			ck_abort_msg("case %d change %zu: time %lld vs %lld", id, i,
			    (long long)a[i].time, (long long)b[i].time);
		if (x->status != y->status || x->succ != y->succ ||
		    x->fail != y->fail || x->last_fail != y->last_fail ||
		    x->last_code != y->last_code || x->next != y->next)
			ck_abort_msg("case %d change %zu: states differ", id, i);
	}
}

/* A single-model checker from a fresh stream: the changes up to horizon. */
static size_t
changes_of(const hc_machine *m, const hc_outcome *o, sim_time horizon,
    hc_change *out, size_t cap)
{
	hc_phase ph = {0, *o};
	rng *r = rng_new(1, "test.health", 0);
	int lim = 0;
	size_t n = fast_run(m, &ph, 1, NULL, 0, r, NULL, horizon, 0, out, cap,
	    &lim);
	rng_free(r);
	/* and the reference agrees */
	hc_change ref[64];
	r = rng_new(1, "test.health", 0);
	size_t nr = hc_reference(m, &ph, 1, r, horizon, ref, 64);
	rng_free(r);
	assert_same_changes(out, n < cap ? n : cap, ref, nr < 64 ? nr : 64, -1);
	ck_assert_uint_eq(n, nr);
	return n;
}

/* ------------------------------------------------------------------ */

START_TEST(test_tg_defaults_and_ranges)
{
	hc_tg_settings s = hc_tg_defaults();
	ck_assert_int_eq(s.interval, 30);
	ck_assert_int_eq(s.timeout, 5);
	ck_assert_int_eq(s.healthy_threshold, 5);
	ck_assert_int_eq(s.unhealthy_threshold, 2);
	ck_assert_int_eq(s.initial_checks, HC_INITIAL_CHECKS_THRESHOLD);
	ck_assert(s.first_check_delay == HC_DELAY_ONE_INTERVAL);
	ck_assert_str_eq(hc_tg_fields[0].name, "HealthCheckIntervalSeconds");
	ck_assert_int_eq(hc_tg_fields[0].min, 5);
	ck_assert_int_eq(hc_tg_fields[0].max, 300);
	ck_assert_int_eq(hc_tg_fields[1].min, 2);
	ck_assert_int_eq(hc_tg_fields[1].max, 120);
	ck_assert_int_eq(hc_tg_fields[2].min, 2);
	ck_assert_int_eq(hc_tg_fields[2].max, 10);
	ck_assert_int_eq(hc_tg_fields[3].min, 2);
	ck_assert_int_eq(hc_tg_fields[3].max, 10);

	sim_error err;
	sim_error_clear(&err);
	ck_assert_int_eq(hc_tg_validate(&s, "targetGroups[0]", &err), SIM_OK);

	hc_tg_settings b = s;
	b.interval = 4;
	ck_assert_int_eq(hc_tg_validate(&b, "targetGroups[0]", &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "targetGroups[0].HealthCheckIntervalSeconds");
	ck_assert_str_eq(err.msg, "expected an integer in [5, 300], got 4");
	b = s;
	b.timeout = 121;
	b.interval = 300;
	ck_assert_int_eq(hc_tg_validate(&b, NULL, &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "HealthCheckTimeoutSeconds");
	b = s;
	b.healthy_threshold = 1;
	ck_assert_int_eq(hc_tg_validate(&b, "", &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "HealthyThresholdCount");
	b = s;
	b.unhealthy_threshold = 11;
	ck_assert_int_eq(hc_tg_validate(&b, "tg", &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "tg.UnhealthyThresholdCount");
	ck_assert_str_eq(err.msg, "expected an integer in [2, 10], got 11");

	/* timeout must be below the interval: 5 s checks need timeout <= 4 */
	b = s;
	b.interval = 5;
	ck_assert_int_eq(hc_tg_validate(&b, "tg", &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "tg.HealthCheckTimeoutSeconds");
	ck_assert(strstr(err.msg, "Health check interval must be greater than "
	    "the timeout.") != NULL);
	b.timeout = 4;
	ck_assert_int_eq(hc_tg_validate(&b, "tg", &err), SIM_OK);

	b = s;
	b.initial_checks = 11;
	ck_assert_int_eq(hc_tg_validate(&b, "tg", &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "tg.initialChecksToHealthy");
	b.initial_checks = 1;
	ck_assert_int_eq(hc_tg_validate(&b, "tg", &err), SIM_OK);
	b = s;
	b.first_check_delay = -5;
	ck_assert_int_eq(hc_tg_validate(&b, "tg", &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "tg.firstCheckDelay");
	b.first_check_delay = 0;
	ck_assert_int_eq(hc_tg_validate(&b, "tg", &err), SIM_OK);
}
END_TEST

START_TEST(test_ctr_defaults_and_ranges)
{
	hc_ctr_settings s = hc_ctr_defaults();
	ck_assert_int_eq(s.interval, 30);
	ck_assert_int_eq(s.timeout, 5);
	ck_assert_int_eq(s.retries, 3);
	ck_assert_int_eq(s.start_period, 0);
	static const int lim[4][2] = {{5, 300}, {2, 60}, {1, 10}, {0, 300}};
	static const char *names[4] = {"interval", "timeout", "retries",
	    "startPeriod"};
	sim_error err;
	sim_error_clear(&err);
	ck_assert_int_eq(hc_ctr_validate(&s, "c", &err), SIM_OK);
	for (int i = 0; i < 4; i++) {
		ck_assert_str_eq(hc_ctr_fields[i].name, names[i]);
		ck_assert_int_eq(hc_ctr_fields[i].min, lim[i][0]);
		ck_assert_int_eq(hc_ctr_fields[i].max, lim[i][1]);
	}
	hc_ctr_settings b = s;
	b.timeout = 61;
	ck_assert_int_eq(hc_ctr_validate(&b, "containerDefinitions[0].healthCheck",
	    &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "containerDefinitions[0].healthCheck.timeout");
	ck_assert_str_eq(err.msg, "expected an integer in [2, 60], got 61");
	b = s;
	b.retries = 0;
	ck_assert_int_eq(hc_ctr_validate(&b, "c", &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "c.retries");
	b = s;
	b.start_period = 301;
	ck_assert_int_eq(hc_ctr_validate(&b, "c", &err), SIM_EINPUT);
	b = s;
	b.interval = 4;
	ck_assert_int_eq(hc_ctr_validate(&b, "c", &err), SIM_EINPUT);
	/* no timeout < interval rule for container checks */
	b = s;
	b.interval = 5;
	b.timeout = 60;
	ck_assert_int_eq(hc_ctr_validate(&b, "c", &err), SIM_OK);
}
END_TEST

/* [DOC] defaults 30 s x 5: a target ready at once is healthy 150 s after
 * registration (first check one interval after registration, the 5th
 * pass at +150 s). */
START_TEST(test_alb_default_time_to_healthy)
{
	hc_tg_settings s = hc_tg_defaults();
	hc_machine m = hc_tg_machine(&s, T_REG);
	ck_assert(m.t0 == T_REG + 30 * SIM_SEC);
	hc_outcome o = hc_outcome_make(HC_PASS, 0, T_REG);
	hc_change c[4];
	ck_assert_uint_eq(changes_of(&m, &o, T_REG + SIM_DAY, c, 4), 1);
	ck_assert(c[0].time == T_REG + 150 * SIM_SEC);
	ck_assert_int_eq(c[0].after.status, HC_HEALTHY);
	ck_assert_int_eq(c[0].after.next, 5);

	/* the ALB guide's reading: one pass leaves initial */
	s.initial_checks = 1;
	m = hc_tg_machine(&s, T_REG);
	ck_assert_uint_eq(changes_of(&m, &o, T_REG + SIM_DAY, c, 4), 1);
	ck_assert(c[0].time == T_REG + 30 * SIM_SEC);

	/* first check at registration: 120 s */
	s = hc_tg_defaults();
	s.first_check_delay = 0;
	m = hc_tg_machine(&s, T_REG);
	ck_assert_uint_eq(changes_of(&m, &o, T_REG + SIM_DAY, c, 4), 1);
	ck_assert(c[0].time == T_REG + 120 * SIM_SEC);

	/* PASS once healthy: nothing more ever happens */
	hc_state st = hc_state_initial();
	hc_draws d;
	hc_draws_init(&d, NULL);
	m = hc_tg_machine(&s, T_REG);
	hc_change p;
	ck_assert_int_eq(hc_predict(&m, &o, &st, &d, SIM_TIME_MAX, 0, &p),
	    HC_CHANGE);
	hc_adopt(&st, &d, &p);
	ck_assert_int_eq(hc_predict(&m, &o, &st, &d, SIM_TIME_MAX, 0, &p),
	    HC_NEVER);
	ck_assert(p.time == SIM_TIME_MAX);
	hc_draws_free(&d);
}
END_TEST

/* [DOC] tuned checks: interval 10 s, threshold 2 -> 20 s; the Best
 * Practices guide's 5 s x 2 = 10 s. */
START_TEST(test_alb_tuned)
{
	hc_tg_settings s = hc_tg_defaults();
	s.interval = 10;
	s.healthy_threshold = 2;
	hc_machine m = hc_tg_machine(&s, T_REG);
	hc_outcome o = hc_outcome_make(HC_PASS, 0, 0);
	hc_change c[4];
	ck_assert_uint_eq(changes_of(&m, &o, T_REG + SIM_HOUR, c, 4), 1);
	ck_assert(c[0].time == T_REG + 20 * SIM_SEC);

	s.interval = 5;
	s.timeout = 2;
	m = hc_tg_machine(&s, T_REG);
	ck_assert_uint_eq(changes_of(&m, &o, T_REG + SIM_HOUR, c, 4), 1);
	ck_assert(c[0].time == T_REG + 10 * SIM_SEC);
}
END_TEST

/* A healthy target whose app hangs: unhealthy at the UnhealthyThreshold-th
 * failed check, i.e. within UnhealthyThresholdCount x interval of the
 * break; reason Target.Timeout. */
START_TEST(test_alb_breaks)
{
	hc_tg_settings s = hc_tg_defaults();
	hc_machine m = hc_tg_machine(&s, T_REG);
	hc_outcome o = hc_outcome_make(HC_PASS, 0, 0);
	o.breaks_at = T_REG + 180 * SIM_SEC + 1; /* just after a check */
	hc_change c[4];
	char buf[128];
	ck_assert_uint_eq(changes_of(&m, &o, T_REG + SIM_DAY, c, 4), 2);
	ck_assert(c[0].time == T_REG + 150 * SIM_SEC);
	ck_assert(c[1].time == T_REG + 240 * SIM_SEC); /* fails at 210, 240 */
	ck_assert(c[1].time - o.breaks_at <= 2 * 30 * SIM_SEC);
	ck_assert_int_eq(c[1].after.status, HC_UNHEALTHY);
	ck_assert_str_eq(hc_tg_reason(&c[1].after), "Target.Timeout");
	ck_assert_str_eq(hc_tg_description(&c[1].after, buf, sizeof(buf)),
	    "Request timed out");

	/* a break exactly at a check: that check fails */
	o.breaks_at = T_REG + 210 * SIM_SEC;
	ck_assert_uint_eq(changes_of(&m, &o, T_REG + SIM_DAY, c, 4), 2);
	ck_assert(c[1].time == T_REG + 240 * SIM_SEC);

	/* the same through model changes: healthy (NEVER pending), then at
	 * +200 s the app answers 503, at +285 s it recovers */
	hc_state st = hc_state_initial();
	hc_draws d;
	hc_draws_init(&d, NULL);
	hc_outcome pass = hc_outcome_make(HC_PASS, 0, 0);
	hc_outcome fail = hc_outcome_make(HC_FAIL, 0, 0);
	hc_change p;
	ck_assert_int_eq(hc_predict(&m, &pass, &st, &d, SIM_TIME_MAX, 0, &p),
	    HC_CHANGE);
	hc_adopt(&st, &d, &p);
	ck_assert_int_eq(hc_predict(&m, &pass, &st, &d, SIM_TIME_MAX, 0, &p),
	    HC_NEVER);
	ck_assert_int_eq(hc_advance(&m, &pass, &st, &d, T_REG + 200 * SIM_SEC,
	    NULL), 0);
	ck_assert_int_eq(st.next, 6); /* checks at 30..180 done */
	ck_assert_int_eq(hc_predict(&m, &fail, &st, &d, SIM_TIME_MAX, 0, &p),
	    HC_CHANGE);
	ck_assert(p.time == T_REG + 240 * SIM_SEC);
	ck_assert_str_eq(hc_tg_reason(&p.after), "Target.ResponseCodeMismatch");
	ck_assert_str_eq(hc_tg_description(&p.after, buf, sizeof(buf)),
	    "Health checks failed with these codes: [503]");
	hc_adopt(&st, &d, &p);
	ck_assert_int_eq(hc_predict(&m, &fail, &st, &d, SIM_TIME_MAX, 0, &p),
	    HC_NEVER);
	ck_assert_int_eq(hc_advance(&m, &fail, &st, &d, T_REG + 285 * SIM_SEC,
	    NULL), 0);
	ck_assert_int_eq(hc_predict(&m, &pass, &st, &d, SIM_TIME_MAX, 0, &p),
	    HC_CHANGE);
	/* [DOC] back after HealthyThresholdCount passes: 300..420 */
	ck_assert(p.time == T_REG + 420 * SIM_SEC);
	ck_assert_int_eq(p.after.status, HC_HEALTHY);
	ck_assert_ptr_null(hc_tg_reason(&p.after));
	ck_assert_str_eq(hc_tg_description(&p.after, buf, sizeof(buf)), "");
	hc_draws_free(&d);
}
END_TEST

/* An app not ready yet: connection failures; initial -> unhealthy after
 * UnhealthyThresholdCount, then healthy after HealthyThresholdCount
 * passes once it listens. */
START_TEST(test_alb_not_ready)
{
	hc_tg_settings s = hc_tg_defaults();
	hc_machine m = hc_tg_machine(&s, T_REG);
	hc_outcome o = hc_outcome_make(HC_PASS, 0, T_REG + 100 * SIM_SEC);
	hc_change c[4];
	char buf[128];
	hc_state st = hc_state_initial();
	ck_assert_str_eq(hc_tg_state_name(st.status), "initial");
	ck_assert_str_eq(hc_tg_reason(&st), "Elb.InitialHealthChecking");
	ck_assert_str_eq(hc_tg_description(&st, buf, sizeof(buf)),
	    "Initial health checks in progress");
	ck_assert_uint_eq(changes_of(&m, &o, T_REG + SIM_DAY, c, 4), 2);
	ck_assert(c[0].time == T_REG + 60 * SIM_SEC);
	ck_assert_int_eq(c[0].after.status, HC_UNHEALTHY);
	ck_assert_str_eq(hc_tg_state_name(c[0].after.status), "unhealthy");
	ck_assert_str_eq(hc_tg_reason(&c[0].after), "Target.FailedHealthChecks");
	ck_assert_str_eq(hc_tg_description(&c[0].after, buf, sizeof(buf)),
	    "Health checks failed");
	ck_assert(c[1].time == T_REG + 240 * SIM_SEC); /* passes 120..240 */
	ck_assert_int_eq(c[1].after.status, HC_HEALTHY);
	ck_assert_str_eq(hc_tg_state_name(c[1].after.status), "healthy");

	/* ready exactly at a check time: that check passes */
	o.ready_at = T_REG + 60 * SIM_SEC;
	ck_assert_uint_eq(changes_of(&m, &o, T_REG + SIM_DAY, c, 4), 1);
	ck_assert(c[0].time == T_REG + 180 * SIM_SEC);
}
END_TEST

/* [DOC] container health check: retries consecutive failures outside
 * startPeriod -> UNHEALTHY; a pass (even inside it) -> HEALTHY. */
START_TEST(test_ctr_start_period_and_retries)
{
	hc_ctr_settings s = hc_ctr_defaults();
	hc_machine m = hc_ctr_machine(&s, S_START);
	ck_assert(m.t0 == S_START + 30 * SIM_SEC);
	hc_outcome fail = hc_outcome_make(HC_FAIL, 0, S_START);
	hc_change c[4];
	ck_assert_str_eq(hc_ctr_status_name(HC_INITIAL), "UNKNOWN");

	/* no startPeriod: fails at 30, 60, 90 */
	ck_assert_uint_eq(changes_of(&m, &fail, S_START + SIM_DAY, c, 4), 1);
	ck_assert(c[0].time == S_START + 90 * SIM_SEC);
	ck_assert_str_eq(hc_ctr_status_name(c[0].after.status), "UNHEALTHY");

	/* startPeriod 60: the check at 30 does not count, 60 does */
	s.start_period = 60;
	m = hc_ctr_machine(&s, S_START);
	ck_assert_uint_eq(changes_of(&m, &fail, S_START + SIM_DAY, c, 4), 1);
	ck_assert(c[0].time == S_START + 120 * SIM_SEC);

	/* startPeriod 300, never ready: counted from 300 on */
	s.start_period = 300;
	m = hc_ctr_machine(&s, S_START);
	ck_assert_uint_eq(changes_of(&m, &fail, S_START + SIM_DAY, c, 4), 1);
	ck_assert(c[0].time == S_START + 360 * SIM_SEC);

	/* startPeriod 300, ready at 200: HEALTHY at the first pass */
	hc_outcome late = hc_outcome_make(HC_PASS, 0, S_START + 200 * SIM_SEC);
	ck_assert_uint_eq(changes_of(&m, &late, S_START + SIM_DAY, c, 4), 1);
	ck_assert(c[0].time == S_START + 210 * SIM_SEC);
	ck_assert_str_eq(hc_ctr_status_name(c[0].after.status), "HEALTHY");

	/* a pass inside startPeriod ends it: later failures count at once */
	hc_outcome brk = hc_outcome_make(HC_PASS, 0, S_START);
	brk.breaks_at = S_START + 45 * SIM_SEC;
	ck_assert_uint_eq(changes_of(&m, &brk, S_START + SIM_DAY, c, 4), 2);
	ck_assert(c[0].time == S_START + 30 * SIM_SEC);
	ck_assert(c[1].time == S_START + 120 * SIM_SEC); /* 60, 90, 120 */
	ck_assert_int_eq(c[1].after.status, HC_UNHEALTHY);

	/* and one pass brings it back (model change at +130 s) */
	hc_phase ph[2] = {{0, brk}, {S_START + 130 * SIM_SEC, brk}};
	ph[1].outcome.breaks_at = SIM_TIME_MAX;
	rng *r = rng_new(3, "test.health", 1);
	int lim = 0;
	ck_assert_uint_eq(fast_run(&m, ph, 2, NULL, 0, r, NULL, S_START + SIM_DAY,
	    0, c, 4, &lim), 3);
	rng_free(r);
	ck_assert(c[2].time == S_START + 150 * SIM_SEC);
	ck_assert_int_eq(c[2].after.status, HC_HEALTHY);

	/* retries 1, interval 5 */
	s = hc_ctr_defaults();
	s.retries = 1;
	s.interval = 5;
	m = hc_ctr_machine(&s, S_START);
	ck_assert_uint_eq(changes_of(&m, &fail, S_START + SIM_DAY, c, 4), 1);
	ck_assert(c[0].time == S_START + 5 * SIM_SEC);
}
END_TEST

/* Limits of the search: horizon, max_checks, and p = 0 / 1 needing no
 * draws. */
START_TEST(test_horizon_limit_and_extreme_p)
{
	hc_tg_settings s = hc_tg_defaults();
	hc_machine m = hc_tg_machine(&s, 0);
	rng *r = rng_new(5, "test.health", 2);
	hc_draws d;
	hc_draws_init(&d, r);
	hc_state st = hc_state_initial();
	hc_change c;

	hc_outcome one = hc_outcome_make(HC_FLAKY, 1.0, 0);
	ck_assert_int_eq(hc_predict(&m, &one, &st, &d, SIM_TIME_MAX, 0, &c),
	    HC_CHANGE);
	hc_adopt(&st, &d, &c);
	ck_assert_int_eq(hc_predict(&m, &one, &st, &d, SIM_TIME_MAX, 0, &c),
	    HC_NEVER);
	hc_outcome zero = hc_outcome_make(HC_FLAKY, 0.0, 0);
	ck_assert_int_eq(hc_predict(&m, &zero, &st, &d, SIM_TIME_MAX, 0, &c),
	    HC_CHANGE);
	ck_assert(c.time == 30 * SIM_SEC * 7); /* checks 5, 6 fail */
	ck_assert_int_eq(d.pos, 0); /* no uniform drawn */

	/* p = 0.99 from healthy: the horizon stops the search */
	hc_outcome flaky = hc_outcome_make(HC_FLAKY, 0.99, 0);
	hc_change whole;
	ck_assert_int_eq(hc_predict(&m, &flaky, &st, &d, SIM_TIME_MAX,
	    INT64_MAX, &whole), HC_CHANGE);
	ck_assert_int_gt(whole.after.next - st.next, 10);
	ck_assert_int_eq(hc_predict(&m, &flaky, &st, &d, whole.time - 1,
	    INT64_MAX, &c), HC_HORIZON);
	ck_assert(c.time == SIM_TIME_MAX);
	ck_assert_int_eq(hc_predict(&m, &flaky, &st, &d, whole.time,
	    INT64_MAX, &c), HC_CHANGE);
	ck_assert(c.time == whole.time);
	ck_assert_int_eq(hc_predict(&m, &flaky, &st, &d, 29 * SIM_SEC, 0, &c),
	    HC_HORIZON);
	/* max_checks 3: LIMIT at the third check looked at */
	ck_assert_int_eq(hc_predict(&m, &flaky, &st, &d, SIM_TIME_MAX, 3, &c),
	    HC_LIMIT);
	ck_assert_int_eq(c.after.next, st.next + 3);
	ck_assert(c.time == hc_check_time(&m, st.next + 2));
	/* resuming from LIMITs finds what one long search finds */
	hc_state s2 = st;
	int steps = 0;
	while (hc_predict(&m, &flaky, &s2, &d, SIM_TIME_MAX, 7, &c) == HC_LIMIT) {
		hc_adopt(&s2, &d, &c);
		steps++;
	}
	ck_assert_int_eq(c.kind, HC_CHANGE);
	ck_assert(c.time == whole.time);
	ck_assert_int_eq(c.after.next, whole.after.next);
	ck_assert_int_eq(steps, (int)((whole.after.next - 1 - st.next) / 7));
	ck_assert(d.len <= 7); /* adopting released the buffer */
	hc_draws_free(&d);
	rng_free(r);
}
END_TEST

/* Check k uses uniform k: a look-ahead made before a model change and a
 * fresh computation after it agree check by check. */
START_TEST(test_draws_by_check_index)
{
	hc_tg_settings s = hc_tg_defaults();
	hc_machine m = hc_tg_machine(&s, 0);
	hc_outcome a = hc_outcome_make(HC_FLAKY, 0.9, 0);
	hc_outcome b = hc_outcome_make(HC_FLAKY, 0.6, 0);
	/* predict far ahead under a, then at t switch to b */
	rng *r = rng_new(11, "test.health", 3);
	hc_draws d;
	hc_draws_init(&d, r);
	hc_state st = hc_state_initial();
	hc_change c;
	int64_t far = 0;
	for (int i = 0; i < 6; i++) {
		ck_assert_int_eq(hc_predict(&m, &a, &st, &d, SIM_TIME_MAX,
		    INT64_MAX, &c), HC_CHANGE);
		hc_adopt(&st, &d, &c);
	}
	ck_assert_int_eq(hc_predict(&m, &a, &st, &d, SIM_TIME_MAX, INT64_MAX,
	    &c), HC_CHANGE);
	far = c.after.next;
	sim_time t = hc_check_time(&m, st.next + (far - st.next) / 2) + 1;
	ck_assert_int_eq(hc_advance(&m, &a, &st, &d, t, NULL), 0);
	hc_change fast[8];
	size_t nf = 0;
	while (nf < 8 && hc_predict(&m, &b, &st, &d, SIM_TIME_MAX, 0, &c) !=
	    HC_NEVER) {
		if (c.kind == HC_CHANGE)
			fast[nf++] = c;
		hc_adopt(&st, &d, &c);
	}
	hc_draws_free(&d);
	rng_free(r);

	/* the reference over the same phases, with its own stream */
	hc_phase ph[2] = {{0, a}, {t, b}};
	hc_change ref[64];
	r = rng_new(11, "test.health", 3);
	size_t nr = hc_reference(&m, ph, 2, r, fast[7].time, ref, 64);
	rng_free(r);
	ck_assert_uint_ge(nr, 14);
	assert_same_changes(fast, 8, ref + (nr - 8), 8, -2);
}
END_TEST

/* A model change at the very time of a predicted change: whichever the
 * engine runs first, the check at that time sees the old model. */
START_TEST(test_same_instant_order)
{
	hc_tg_settings s = hc_tg_defaults();
	hc_machine m = hc_tg_machine(&s, T_REG);
	hc_outcome pass = hc_outcome_make(HC_PASS, 0, 0);
	hc_outcome fail = hc_outcome_make(HC_FAIL, 0, 0);
	sim_time t = T_REG + 150 * SIM_SEC;
	for (int order = 0; order < 2; order++) {
		hc_state st = hc_state_initial();
		hc_draws d;
		hc_draws_init(&d, NULL);
		hc_change c, passed;
		ck_assert_int_eq(hc_predict(&m, &pass, &st, &d, SIM_TIME_MAX, 0, &c),
		    HC_CHANGE);
		ck_assert(c.time == t);
		if (order == 0) { /* the health event first */
			hc_adopt(&st, &d, &c);
			ck_assert_int_eq(hc_advance(&m, &pass, &st, &d, t, &passed), 0);
		} else { /* the model change first */
			ck_assert_int_eq(hc_advance(&m, &pass, &st, &d, t, &passed), 1);
			ck_assert(passed.time == t);
			ck_assert_int_eq(passed.after.status, HC_HEALTHY);
			ck_assert_int_eq(passed.after.next, c.after.next);
		}
		ck_assert_int_eq(st.status, HC_HEALTHY);
		ck_assert_int_eq(hc_predict(&m, &fail, &st, &d, SIM_TIME_MAX, 0, &c),
		    HC_CHANGE);
		ck_assert(c.time == t + 60 * SIM_SEC);
		hc_draws_free(&d);
	}
}
END_TEST

START_TEST(test_assumptions_recorded)
{
	recorder *rec = rec_new();
	hc_tg_settings s = hc_tg_defaults();
	hc_ctr_settings cs = hc_ctr_defaults();
	hc_tg_assume(rec, &s);
	hc_ctr_assume(rec, &cs);
	int found = 0;
	for (size_t i = 0; i < rec_assumption_count(rec); i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(rec, i, &name, &value, &tag, &note);
		/* parameters now (elb.initialChecksToHealthy, elb.firstCheckAt) */
		ck_assert(strcmp(name, "health.alb.initialChecksToHealthy") != 0);
		ck_assert(strcmp(name, "health.alb.firstCheckDelay") != 0);
		if (strcmp(name, "health.alb.defaultTimeout") == 0) {
			ck_assert_str_eq(tag, "UNCONFIRMED");
			found++;
		}
		if (strcmp(name, "health.container.firstCheck") == 0)
			found++;
	}
	ck_assert_int_eq(found, 2);
	rec_free(rec);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The equivalence test: random scenarios.                             */

enum { CASES_PER_LOOP = 1500, LOOPS = 8, MAXCH = 16384 };

/* Uniform in [0, n) for n up to 2^53 (rng_uniform_index stops at 2^32). */
static int64_t
big_index(rng *g, int64_t n)
{
	int64_t v = (int64_t)(rng_uniform(g) * (double)n);
	return v < n ? v : n - 1;
}

static sim_time
rand_time(rng *g, const hc_machine *m, sim_time lo, sim_time hi)
{
	if (hi <= lo)
		return lo;
	sim_time t = lo + big_index(g, hi - lo);
	if (rng_uniform(g) < 0.35) { /* snap onto a check time */
		int64_t k = t <= m->t0 ? 0 : (t - m->t0) / m->interval;
		t = hc_check_time(m, k);
	}
	return t;
}

static hc_check
rand_fail(rng *g)
{
	static const hc_check f[3] = {HC_CHECK_REFUSED, HC_CHECK_TIMEOUT,
	    HC_CHECK_CODE};
	return f[rng_uniform_index(g, 3)];
}

static hc_outcome
rand_outcome(rng *g, const hc_machine *m, sim_time lo, sim_time hi,
    bool near_one)
{
	static const double ps[6] = {0.5, 0.9, 0.99, 0.0, 1.0, -1};
	static const int codes[4] = {500, 502, 503, 404};
	static const hc_kind kinds[4] = {HC_PASS, HC_FAIL, HC_FLAKY, HC_FLAKY};
	hc_outcome o = hc_outcome_make(kinds[rng_uniform_index(g, 4)], 0, 0);
	o.p = ps[rng_uniform_index(g, 6)];
	if (o.p < 0)
		o.p = rng_uniform(g);
	if (near_one) {
		o.kind = HC_FLAKY;
		o.p = 0.99;
	}
	o.fail = rand_fail(g);
	o.broken = rand_fail(g);
	o.code = codes[rng_uniform_index(g, 4)];
	o.ready_at = rng_uniform(g) < 0.3 ? 0 : rand_time(g, m, lo, hi);
	o.breaks_at = rng_uniform(g) < 0.5 ? SIM_TIME_MAX :
	    rand_time(g, m, lo, hi);
	return o;
}

static int
cmp_time(const void *a, const void *b)
{
	sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;
	return (x > y) - (x < y);
}

static int
cmp_phase(const void *a, const void *b)
{
	return cmp_time(&((const hc_phase *)a)->from,
	    &((const hc_phase *)b)->from);
}

typedef struct eq_stats {
	long changes, limits, flaky_cases;
} eq_stats;

static void
one_case(int id, eq_stats *stats, hc_change *fast, hc_change *ref)
{
	rng *g = rng_new(2024, "test.health.gen", (uint64_t)id);
	static const int ivs[6] = {5, 10, 15, 30, 60, 300};
	hc_machine m;
	m.interval = rng_uniform(g) < 0.8 ?
	    ivs[rng_uniform_index(g, 6)] * SIM_SEC :
	    1 + (sim_time)rng_uniform_index(g, 100000000);
	m.t0 = rng_uniform(g) < 0.2 ? 0 : big_index(g, 2 * m.interval);
	int type = (int)rng_uniform_index(g, 3);
	if (type == 0) { /* ALB */
		m.rise = 2 + (int)rng_uniform_index(g, 9);
		m.fall = 2 + (int)rng_uniform_index(g, 9);
		m.rise_initial = rng_uniform(g) < 0.5 ? 1 : m.rise;
		m.fall_initial = m.fall;
		m.grace_end = INT64_MIN;
	} else if (type == 1) { /* container */
		m.rise = m.rise_initial = 1;
		m.fall = m.fall_initial = 1 + (int)rng_uniform_index(g, 10);
		sim_time start = m.t0 >= m.interval ? m.t0 - m.interval : 0;
		m.grace_end = start + (sim_time)rng_uniform_index(g, 301) * SIM_SEC;
	} else { /* anything */
		m.rise = 1 + (int)rng_uniform_index(g, 10);
		m.fall = 1 + (int)rng_uniform_index(g, 10);
		m.rise_initial = 1 + (int)rng_uniform_index(g, 10);
		m.fall_initial = 1 + (int)rng_uniform_index(g, 10);
		m.grace_end = rng_uniform(g) < 0.5 ? INT64_MIN :
		    m.t0 + (sim_time)rng_uniform_index(g, 40) * m.interval +
		    (sim_time)rng_uniform_index(g, 2) * (m.interval / 2);
	}
	bool longrun = rng_uniform(g) < 0.03;
	int64_t nchecks = longrun ? 20000 :
	    (int64_t)rng_uniform_index(g, 601);
	sim_time horizon = m.t0 + nchecks * m.interval +
	    big_index(g, 2 * m.interval) - m.interval;
	if (horizon < 0)
		horizon = 0;
	sim_time lo = m.t0 > m.interval ? m.t0 - m.interval : 0;
	sim_time hi = horizon + m.interval;

	hc_phase ph[6];
	size_t nph = 1 + rng_uniform_index(g, 5);
	bool flaky = false;
	for (size_t i = 0; i < nph; i++) {
		ph[i].from = i == 0 ? 0 : rand_time(g, &m, lo, hi);
		ph[i].outcome = rand_outcome(g, &m, lo, hi, longrun && i == 0);
		if (ph[i].outcome.kind == HC_FLAKY)
			flaky = true;
	}
	qsort(ph + 1, nph - 1, sizeof(ph[0]), cmp_phase);
	sim_time recomp[5];
	size_t nrecomp = rng_uniform_index(g, 6);
	for (size_t i = 0; i < nrecomp; i++)
		recomp[i] = rand_time(g, &m, lo, hi);
	qsort(recomp, nrecomp, sizeof(recomp[0]), cmp_time);
	static const int64_t limits[6] = {0, 1, 2, 5, 50, INT64_MAX};
	int64_t limit = limits[rng_uniform_index(g, 6)];
	rng_free(g);

	rng *r1 = rng_new(77, "test.health.checks", (uint64_t)id);
	rng *r2 = rng_new(77, "test.health.checks", (uint64_t)id);
	rng *coin = rng_new(77, "test.health.ties", (uint64_t)id);
	int lims = 0;
	size_t nf = fast_run(&m, ph, nph, recomp, nrecomp, r1, coin, horizon,
	    limit, fast, MAXCH, &lims);
	size_t nr = hc_reference(&m, ph, nph, r2, horizon, ref, MAXCH);
	rng_free(r1);
	rng_free(r2);
	rng_free(coin);
	if (nr > MAXCH)
		ck_abort_msg("case %d: raise MAXCH", id);
	assert_same_changes(fast, nf, ref, nr, id);
	stats->changes += (long)nr;
	stats->limits += lims;
	stats->flaky_cases += flaky;
}

START_TEST(test_equivalence_random)
{
	static hc_change fast[MAXCH], ref[MAXCH];
	eq_stats st = {0, 0, 0};
	g_ties = 0;
	for (int i = 0; i < CASES_PER_LOOP; i++)
		one_case(_i * CASES_PER_LOOP + i, &st, fast, ref);
	ck_assert_int_gt(g_ties, 10);
	/* the scenarios exercise what they should */
	ck_assert_int_gt(st.changes, 2 * CASES_PER_LOOP);
	ck_assert_int_gt(st.limits, CASES_PER_LOOP / 10);
	ck_assert_int_gt(st.flaky_cases, CASES_PER_LOOP / 3);
}
END_TEST

Suite *
health_suite(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_tg_defaults_and_ranges);
	tcase_add_test(tc, test_ctr_defaults_and_ranges);
	tcase_add_test(tc, test_alb_default_time_to_healthy);
	tcase_add_test(tc, test_alb_tuned);
	tcase_add_test(tc, test_alb_breaks);
	tcase_add_test(tc, test_alb_not_ready);
	tcase_add_test(tc, test_ctr_start_period_and_retries);
	tcase_add_test(tc, test_horizon_limit_and_extreme_p);
	tcase_add_test(tc, test_draws_by_check_index);
	tcase_add_test(tc, test_same_instant_order);
	tcase_add_test(tc, test_assumptions_recorded);
	suite_add_tcase(s, tc);
	TCase *eq = tcase_create("equivalence");
	tcase_set_timeout(eq, 60);
	tcase_add_loop_test(eq, test_equivalence_random, 0, LOOPS);
	suite_add_tcase(s, eq);
	return s;
}
