/*
 * Tests for batches of runs: the statistics (known samples, GSL's
 * quantile definition, the order-statistic and Wilson intervals), the
 * metrics of a run (the same from the recorder and from its
 * summary.json), run records (binary and JSON round trips to the bit),
 * the batch summary (independent of arrival order; the "in" share rule),
 * the worker pool (same results for any number of workers; a dying
 * worker is named with its item), and a run re-seeded from a loaded
 * scenario being the run `ecsim run --seed` makes.
 */
#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "reports/batch.h"
#include "reports/expect.h"
#include "reports/metrics.h"
#include "reports/runrec.h"
#include "reports/stats.h"
#include "reports/summary_json.h"
#include "sim/cli.h"
#include "sim/cli_batch.h"
#include "sim/pool.h"
#include "sim/xalloc.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

#define DNAN ((double)NAN)

/* ---- stats ---- */

START_TEST(test_stats_known_sample)
{
	/* 1..10 with NaNs between: NaNs are not values */
	double v[13] = {4, DNAN, 1, 9, 2, 10, DNAN, 3, 8, 5, 7, DNAN, 6};
	double scratch[13];
	rstat s;
	rstat_compute(&s, v, 13, scratch);
	ck_assert_uint_eq(s.n, 10);
	ck_assert_double_eq_tol(s.mean, 5.5, 1e-12);
	ck_assert_double_eq_tol(s.sd, sqrt(55.0 / 6.0), 1e-12); /* n - 1 */
	ck_assert_double_eq(s.min, 1);
	ck_assert_double_eq(s.max, 10);
	/* type 7: (n - 1) f = 0.45 -> 1 + 0.45 (2 - 1) */
	ck_assert_double_eq_tol(s.p5, 1.45, 1e-12);
	ck_assert_double_eq_tol(s.p50, 5.5, 1e-12);
	ck_assert_double_eq_tol(s.p95, 9.55, 1e-12);
	ck_assert_double_eq_tol(s.p99, 9.91, 1e-12);
	/* t(0.975, 9) = 2.262157 */
	double half = 2.2621571627 * s.sd / sqrt(10);
	ck_assert_double_eq_tol(s.mean_lo, 5.5 - half, 1e-6);
	ck_assert_double_eq_tol(s.mean_hi, 5.5 + half, 1e-6);
	/* median of 10: x(2) and x(9) (P(2 <= B <= 8) = 97.9%) */
	ck_assert_double_eq(s.p50_lo, 2);
	ck_assert_double_eq(s.p50_hi, 9);
	/* p95 of 10 cannot be bounded above */
	ck_assert(isnan(s.p95_hi));
}
END_TEST

START_TEST(test_stats_quantile_ci_100)
{
	/* the textbook ranks for the median of 100: x(40) and x(61) */
	double v[100], scratch[100];
	for (int i = 0; i < 100; i++)
		v[i] = 100 - i; /* order does not matter for quantiles */
	rstat s;
	rstat_compute(&s, v, 100, scratch);
	ck_assert_double_eq(s.p50_lo, 40);
	ck_assert_double_eq(s.p50_hi, 61);
	ck_assert_double_eq_tol(s.p50, 50.5, 1e-12);
	/* p95: ranks 90 and 100 bound it */
	ck_assert_double_eq(s.p95_lo, 90);
	ck_assert_double_eq(s.p95_hi, 100);
}
END_TEST

START_TEST(test_stats_small_and_empty)
{
	double one = 7, none = DNAN, scratch[1];
	rstat s;
	rstat_compute(&s, &one, 1, scratch);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_double_eq(s.mean, 7);
	ck_assert_double_eq(s.p99, 7);
	ck_assert(isnan(s.sd) && isnan(s.mean_lo));
	rstat_compute(&s, &none, 1, scratch);
	ck_assert_uint_eq(s.n, 0);
	ck_assert(isnan(s.mean) && isnan(s.min) && isnan(s.p50));
}
END_TEST

START_TEST(test_wilson)
{
	double lo, hi;
	/* 20 of 20: [83.89%, 100%]; 16 of 20: [58.40%, 91.93%] */
	rstat_wilson(20, 20, &lo, &hi);
	ck_assert_double_eq_tol(lo, 0.8389, 1e-4);
	ck_assert_double_eq(hi, 1);
	rstat_wilson(16, 20, &lo, &hi);
	ck_assert_double_eq_tol(lo, 0.5840, 1e-4);
	ck_assert_double_eq_tol(hi, 0.9193, 1e-4);
	rstat_wilson(0, 0, &lo, &hi);
	ck_assert(isnan(lo) && isnan(hi));
}
END_TEST

/* ---- metrics and records ---- */

static cli_result R;

static void
load_seed_article(void)
{
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	sim_error err;
	int rc = cli_run_scenario("scenarios/seed-article.json", &o, &R, &err);
	ck_assert_msg(rc == 0, "seed-article failed: %s", err.msg);
}

START_TEST(test_metrics_recorder_equals_summary)
{
	load_seed_article();
	rmet_set a, b;
	rmet_init(&a);
	rmet_init(&b);
	rmet_from_recorder(&a, R.rec, NULL);
	cJSON *j = rjson_build(R.rec, R.verdicts);
	char *text = cJSON_PrintUnformatted(j);
	cJSON *back = cJSON_Parse(text); /* through text, as compare reads it */
	sim_error err;
	ck_assert_int_eq(rmet_from_summary(&b, back, &err), 0);
	ck_assert_uint_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		ck_assert_str_eq(a.v[i].key, b.v[i].key);
		ck_assert_str_eq(a.v[i].unit, b.v[i].unit);
		ck_assert_int_eq(a.v[i].better, b.v[i].better);
		/* summary.json prints numbers with cJSON, which keeps them to
		 * within one unit in the last place */
		ck_assert_msg(fabs(a.v[i].value - b.v[i].value) <=
		    4 * DBL_EPSILON * fabs(a.v[i].value), "%s: %.17g vs %.17g",
		    a.v[i].key, a.v[i].value, b.v[i].value);
	}
	/* the numbers a user reads in the summary */
	const rmet_item *d2 = rmet_find(&a,
	    "service/my-microservice/deployment/2/duration");
	ck_assert_ptr_nonnull(d2);
	ck_assert_double_eq_tol(d2->value, 470.965587, 1e-6);
	ck_assert_int_eq(d2->better, RMET_LOWER);
	ck_assert_double_eq(rmet_find(&a,
	    "service/my-microservice/deployment/2/lowestHealthy")->value, 2);
	ck_assert_ptr_null(rmet_find(&a,
	    "service/my-microservice/deployment/1/lowestHealthy"));
	ck_assert_double_eq(rmet_find(&a, "cluster/default/peakInstances")->value,
	    2);
	ck_assert_double_eq_tol(rmet_find(&a, "run/costUSD")->value, 0.1664,
	    1e-9);
	ck_assert_double_eq(rmet_find(&a, "service/my-microservice/errors")->value,
	    1010);
	ck_assert_int_eq(rmet_from_summary(&b, cJSON_GetObjectItem(back, "info"),
	    &err), SIM_EINPUT);
	cJSON_Delete(back);
	cJSON_free(text);
	cJSON_Delete(j);
	rmet_clear(&a);
	rmet_clear(&b);
	cli_result_free(&R);
}
END_TEST

START_TEST(test_metrics_labels)
{
	char b[200];
	ck_assert_str_eq(rmet_label(b, sizeof(b),
	    "service/web/deployment/2/duration"), "web: deployment 2 duration");
	ck_assert_str_eq(rmet_label(b, sizeof(b), "service/web/peakRunning"),
	    "web: peak running");
	ck_assert_str_eq(rmet_label(b, sizeof(b), "service/web/latencyP99"),
	    "web: latency p99");
	ck_assert_str_eq(rmet_label(b, sizeof(b), "cluster/c1/costUSD"),
	    "cluster c1: cost");
	ck_assert_str_eq(rmet_label(b, sizeof(b), "run/tasksLaunched"),
	    "run: tasks launched");
	ck_assert_str_eq(rmet_label(b, sizeof(b), "expect/p99 under 60/ms"),
	    "p99 under 60/ms");
}
END_TEST

/* The expectations' numbers: the measured value of each kind. */
START_TEST(test_verdict_values)
{
	load_seed_article();
	size_t n = expect_result_count(R.verdicts);
	ck_assert_uint_eq(n, 9);
	double want[9] = {470.965587, 2, 0, 5, 2, 2, 100.0 * 1010 / 600000,
	    48.51653859080412, 0.1664};
	for (size_t i = 0; i < n; i++) {
		const expect_verdict *v = expect_result_at(R.verdicts, i);
		ck_assert_msg(fabs(v->value - want[i]) < 1e-6, "%s: %.17g",
		    v->name, v->value);
	}
	/* "in" defaults to every seed */
	ck_assert_double_eq(expect_in(R.expect, 0), 100);
	cli_result_free(&R);
}
END_TEST

static void
fake_run(rrun *r, double dur, bool pass)
{
	memset(r, 0, sizeof(*r));
	rmet_add(&r->m, "service/w/deployment/1/duration", "s", RMET_LOWER, dur);
	rmet_add(&r->m, "run/costUSD", "USD", RMET_LOWER, 0.1 + 0.2);
	r->nv = 1;
	r->v = xcalloc(1, sizeof(*r->v));
	r->v[0].pass = pass;
	r->v[0].kind = xstrdup("deploymentCompletes");
	r->v[0].bound = xstrdup("COMPLETED within 5m");
	r->v[0].measured = pass ? NULL : xstrdup("deployment 1 took 6m");
}

static void
same_run(const rrun *a, const rrun *b)
{
	ck_assert_int_eq(a->status, b->status);
	ck_assert_uint_eq(a->m.n, b->m.n);
	for (size_t i = 0; i < a->m.n; i++) {
		ck_assert_str_eq(a->m.v[i].key, b->m.v[i].key);
		ck_assert_str_eq(a->m.v[i].unit, b->m.v[i].unit);
		ck_assert_int_eq(a->m.v[i].better, b->m.v[i].better);
		ck_assert(memcmp(&a->m.v[i].value, &b->m.v[i].value, 8) == 0);
	}
	ck_assert_uint_eq(a->nv, b->nv);
	for (size_t i = 0; i < a->nv; i++) {
		ck_assert(a->v[i].pass == b->v[i].pass);
		ck_assert_str_eq(a->v[i].bound, b->v[i].bound);
		ck_assert(!a->v[i].measured == !b->v[i].measured);
	}
}

START_TEST(test_runrec_round_trips)
{
	rrun a, b, c;
	fake_run(&a, 1.0 / 3.0, false);
	rout *o = rout_mem();
	rrun_encode(&a, o);
	size_t n;
	const char *bytes = rout_mem_text(o, &n);
	ck_assert_int_eq(rrun_decode(&b, bytes, n), 0);
	same_run(&a, &b);
	/* truncated or trailing bytes are rejected */
	ck_assert_int_eq(rrun_decode(&c, bytes, n - 1), -1);
	cJSON *j = cJSON_CreateObject();
	rrun_add_json(j, &a);
	char *text = cJSON_Print(j);
	cJSON *back = cJSON_Parse(text);
	sim_error err;
	rrun_free(&b);
	ck_assert_int_eq(rrun_from_json(&b, back, "runs[0]", &err), 0);
	same_run(&a, &b); /* 1/3 and 0.1 + 0.2 read back to the bit */
	cJSON_Delete(back);
	cJSON_free(text);
	cJSON_Delete(j);
	rout_free(o);
	rrun_free(&a);
	rrun_free(&b);
}
END_TEST

/* ---- the batch ---- */

static rbatch *
fake_batch(size_t nseeds, double in, const size_t *order)
{
	char *names[1] = {(char *)(uintptr_t)"deploys in 5m"};
	double ins[1] = {in};
	rbatch_spec s = {.command = (char *)(uintptr_t)"seeds",
	    .scenario = (char *)(uintptr_t)"t", .file = (char *)(uintptr_t)"t.json",
	    .first_seed = 1, .nseeds = nseeds, .expect_names = names,
	    .expect_in = ins, .nexpect = 1};
	rbatch *b = rbatch_new(&s);
	for (size_t k = 0; k < nseeds; k++) {
		size_t i = order ? order[k] : k;
		rrun r;
		/* every tenth seed fails its expectation */
		fake_run(&r, 100 + (double)i, (i + 1) % 10 != 0);
		if (i == 3) /* a run with one more metric */
			rmet_add(&r.m, "service/w/errors", "requests", RMET_LOWER, 4);
		rbatch_put(b, i, &r);
	}
	rbatch_finish(b);
	return b;
}

START_TEST(test_batch_order_independent)
{
	size_t order[20];
	for (size_t i = 0; i < 20; i++)
		order[i] = (i * 7) % 20; /* a permutation */
	rbatch *a = fake_batch(20, 100, NULL), *b = fake_batch(20, 100, order);
	cJSON *ja = rbatch_seeds_json(a), *jb = rbatch_seeds_json(b);
	char *ta = cJSON_Print(ja), *tb = cJSON_Print(jb);
	ck_assert_str_eq(ta, tb);
	/* columns by first appearance in index order */
	ck_assert_uint_eq(a->ncols, 3);
	ck_assert_str_eq(a->cols[2].key, "service/w/errors");
	ck_assert_uint_eq(a->pts[0].stats[2].n, 1);
	ck_assert_double_eq_tol(a->pts[0].stats[0].mean, 109.5, 1e-12);
	/* 18 of 20 held; seeds 10 and 20 did not */
	ck_assert_uint_eq(a->pts[0].ex[0].held, 18);
	ck_assert_uint_eq(a->pts[0].ex[0].nfail, 2);
	ck_assert_uint_eq(a->pts[0].ex[0].fail_seeds[0], 10);
	ck_assert_str_eq(a->pts[0].ex[0].first_measured, "deployment 1 took 6m");
	ck_assert(!a->pts[0].ex[0].pass);
	ck_assert_int_eq(rbatch_exit_code(a), 1);
	cJSON_free(ta);
	cJSON_free(tb);
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	rbatch_free(a);
	rbatch_free(b);
}
END_TEST

START_TEST(test_batch_in_share)
{
	/* 18 of 20 = 90%: passes "in": "90%", fails "90.5%" */
	rbatch *a = fake_batch(20, 90, NULL), *b = fake_batch(20, 90.5, NULL);
	ck_assert(a->pts[0].ex[0].pass);
	ck_assert_int_eq(rbatch_exit_code(a), 0);
	ck_assert(!b->pts[0].ex[0].pass);
	ck_assert_int_eq(rbatch_exit_code(b), 1);
	rbatch_free(a);
	rbatch_free(b);
}
END_TEST

START_TEST(test_expect_in_parse)
{
	const char *ok = "{\"services\":[],\"expect\":[{\"in\":\"99.5%\","
	    "\"costAtMost\":{\"usd\":1}}]}";
	cli_result res;
	sim_error err;
	su_validate(ok, &err);
	ck_assert_int_eq(err.code, SIM_OK);
	(void)res;
	const char *bad[] = {"\"99\"", "\"0%\"", "\"101%\"", "99", "\"x%\""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char json[300];
		snprintf(json, sizeof(json), "{\"services\":[],\"expect\":[{\"in\":%s,"
		    "\"costAtMost\":{\"usd\":1}}]}", bad[i]);
		ck_assert_int_eq(su_validate(json, &err), SIM_EINPUT);
		ck_assert_str_eq(err.path, "expect[0].in");
	}
}
END_TEST

/* ---- the pool ---- */

static void *
square(void *ctx, size_t item, size_t *len)
{
	(void)ctx;
	if (item == 5 && getenv("ECSIM_TEST_POOL_CRASH") != NULL)
		raise(SIGKILL);
	uint64_t *v = xmalloc(2 * sizeof(*v));
	v[0] = item;
	v[1] = (uint64_t)item * item;
	*len = 2 * sizeof(*v);
	return v;
}

static void
collect(void *ctx, size_t item, const void *data, size_t len)
{
	uint64_t *got = ctx, v[2];
	ck_assert_uint_eq(len, sizeof(v));
	memcpy(v, data, sizeof(v));
	ck_assert_uint_eq(v[0], item);
	ck_assert_uint_eq(got[item], 0); /* once */
	got[item] = v[1] + 1;
}

START_TEST(test_pool_same_for_any_jobs)
{
	size_t items[50];
	for (size_t i = 0; i < 50; i++)
		items[i] = 49 - i;
	for (int jobs = 1; jobs <= 4; jobs++) {
		uint64_t got[50] = {0};
		pool_opts o = {.jobs = jobs};
		sim_error err;
		ck_assert_int_eq(pool_run(items, 50, &o, square, collect, got, &err),
		    0);
		for (uint64_t i = 0; i < 50; i++)
			ck_assert_uint_eq(got[i], i * i + 1);
	}
}
END_TEST

START_TEST(test_pool_worker_dies)
{
	size_t items[10];
	for (size_t i = 0; i < 10; i++)
		items[i] = i;
	uint64_t got[10] = {0};
	setenv("ECSIM_TEST_POOL_CRASH", "1", 1);
	pool_opts o = {.jobs = 2};
	sim_error err;
	sim_error_clear(&err);
	ck_assert_int_eq(pool_run(items, 10, &o, square, collect, got, &err),
	    SIM_ERUNTIME);
	unsetenv("ECSIM_TEST_POOL_CRASH");
	ck_assert_msg(strstr(err.msg, "died (signal 9) while running item 5") !=
	    NULL, "%s", err.msg);
}
END_TEST

/* ---- re-seeding a loaded scenario ---- */

START_TEST(test_batch_equals_single_runs)
{
	cli_batch_opts o = {.command = "seeds", .path =
	    "scenarios/seed-article.json", .seeds_set = true, .first_seed = 4,
	    .nseeds = 3, .jobs = 1};
	rbatch *b;
	bool rank0;
	sim_error err;
	ck_assert_int_eq(cli_batch_run(&o, &b, &rank0, &err), 0);
	ck_assert(rank0);
	for (size_t i = 0; i < 3; i++) {
		cli_run_opts ro = {.seed_set = true, .seed = 4 + i};
		cli_result res;
		ck_assert_int_eq(cli_run_scenario(o.path, &ro, &res, &err), 0);
		rrun r;
		rrun_from_run(&r, res.rec, res.verdicts);
		same_run(&r, &b->runs[i]);
		rrun_free(&r);
		cli_result_free(&res);
	}
	/* different seeds, different draws */
	ck_assert(b->runs[0].m.v[0].value != b->runs[1].m.v[0].value);
	rbatch_free(b);
}
END_TEST

Suite *
batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("stats");
	tcase_add_test(tc, test_stats_known_sample);
	tcase_add_test(tc, test_stats_quantile_ci_100);
	tcase_add_test(tc, test_stats_small_and_empty);
	tcase_add_test(tc, test_wilson);
	suite_add_tcase(s, tc);

	tc = tcase_create("records");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_metrics_recorder_equals_summary);
	tcase_add_test(tc, test_metrics_labels);
	tcase_add_test(tc, test_verdict_values);
	tcase_add_test(tc, test_runrec_round_trips);
	tcase_add_test(tc, test_expect_in_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("batch");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_batch_order_independent);
	tcase_add_test(tc, test_batch_in_share);
	tcase_add_test(tc, test_pool_same_for_any_jobs);
	tcase_add_test(tc, test_pool_worker_dies);
	tcase_add_test(tc, test_batch_equals_single_runs);
	suite_add_tcase(s, tc);
	return s;
}
