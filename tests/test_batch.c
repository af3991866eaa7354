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
#include "reports/compare.h"
#include "reports/expect.h"
#include "reports/metrics.h"
#include "reports/runrec.h"
#include "reports/stats.h"
#include "reports/summary_json.h"
#include "reports/sweep_out.h"
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


/* ---- sweeps ---- */

START_TEST(test_parse_vary)
{
	rbatch_dim d;
	char why[300];
	ck_assert_int_eq(cli_parse_vary("a.b=50..100:25,120", &d, why,
	    sizeof(why)), 0);
	ck_assert_str_eq(d.path, "a.b");
	ck_assert_uint_eq(d.nvalues, 4);
	ck_assert_str_eq(d.values[0], "50");
	ck_assert_str_eq(d.values[2], "100");
	ck_assert_str_eq(d.values[3], "120");
	cli_dim_free(&d);
	/* decimals; JSON values keep their commas */
	ck_assert_int_eq(cli_parse_vary("x=0.5..1:0.25,{\"a\":1,\"b\":[2,3]},"
	    "\"p,q\"", &d, why, sizeof(why)), 0);
	ck_assert_uint_eq(d.nvalues, 5);
	ck_assert_str_eq(d.values[1], "0.75");
	ck_assert_str_eq(d.values[3], "{\"a\":1,\"b\":[2,3]}");
	ck_assert_str_eq(d.values[4], "\"p,q\"");
	cli_dim_free(&d);
	/* a range of non-numbers is a value */
	ck_assert_int_eq(cli_parse_vary("x=a..b", &d, why, sizeof(why)), 0);
	ck_assert_uint_eq(d.nvalues, 1);
	ck_assert_str_eq(d.values[0], "a..b");
	cli_dim_free(&d);
	ck_assert_int_eq(cli_parse_vary("x", &d, why, sizeof(why)), -1);
	ck_assert_int_eq(cli_parse_vary("x=5..1", &d, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "A <= B") != NULL, "%s", why);
	ck_assert_int_eq(cli_parse_vary("x=1..2:0", &d, why, sizeof(why)), -1);
	ck_assert_int_eq(cli_parse_vary("x=1,,2", &d, why, sizeof(why)), -1);
	ck_assert_int_eq(cli_parse_vary("x=0..100000", &d, why, sizeof(why)), -1);
}
END_TEST

/* Points: the last --vary varies fastest. */
START_TEST(test_point_order)
{
	char *v0[] = {(char *)(uintptr_t)"a", (char *)(uintptr_t)"b"};
	char *v1[] = {(char *)(uintptr_t)"1", (char *)(uintptr_t)"2",
	    (char *)(uintptr_t)"3"};
	rbatch_dim dims[2] = {{(char *)(uintptr_t)"p", v0, 2},
	    {(char *)(uintptr_t)"q", v1, 3}};
	rbatch_spec s = {.ndims = 2, .dims = dims};
	ck_assert_uint_eq(rbatch_spec_points(&s), 6);
	ck_assert_uint_eq(rbatch_point_value(&s, 4, 0), 1);
	ck_assert_uint_eq(rbatch_point_value(&s, 4, 1), 1);
	ck_assert_uint_eq(rbatch_point_value(&s, 2, 1), 2);
}
END_TEST

/* Cheapest: the lowest mean cost among points meeting every
 * expectation; ties to the first. */
START_TEST(test_cheapest)
{
	char *vals[] = {(char *)(uintptr_t)"1", (char *)(uintptr_t)"2",
	    (char *)(uintptr_t)"3", (char *)(uintptr_t)"4"};
	rbatch_dim dim = {(char *)(uintptr_t)"x", vals, 4};
	char *names[1] = {(char *)(uintptr_t)"e"};
	double ins[1] = {100};
	rbatch_spec s = {.command = (char *)(uintptr_t)"sweep",
	    .scenario = (char *)(uintptr_t)"t", .file = (char *)(uintptr_t)"t",
	    .first_seed = 1, .nseeds = 2, .dims = &dim, .ndims = 1,
	    .expect_names = names, .expect_in = ins, .nexpect = 1};
	rbatch *b = rbatch_new(&s);
	/* costs 3, 1, 1, 0.5; point 4 fails its expectation */
	double cost[4] = {3, 1, 1, 0.5};
	for (size_t i = 0; i < 8; i++) {
		rrun r;
		fake_run(&r, 10, i / 2 != 3);
		rmet_clear(&r.m);
		rmet_add(&r.m, "run/costUSD", "USD", RMET_LOWER, cost[i / 2]);
		rbatch_put(b, i, &r);
	}
	rbatch_finish(b);
	ck_assert_int_eq(rsweep_cheapest(b), 1);
	ck_assert(!b->pts[3].meets_all);
	ck_assert_int_eq(rbatch_exit_code(b), 0);
	cJSON *j = rsweep_json(b);
	const cJSON *c = cJSON_GetObjectItem(j, "cheapest");
	ck_assert_double_eq(cJSON_GetObjectItem(c, "point")->valuedouble, 2);
	cJSON_Delete(j);
	rbatch_free(b);
}
END_TEST

/* ---- compare ---- */

static cJSON *
fake_summary(double dur, double lowest, double errors, bool pass)
{
	char text[1200];
	snprintf(text, sizeof(text),
	    "{\"info\":{\"scenario\":\"t\",\"seed\":1},\"facts\":{"
	    "\"service\":[{\"name\":\"w\",\"lowestHealthy\":%g,\"requests\":1000,"
	    "\"errors\":%g,\"maxRunning\":4}],"
	    "\"deployment\":[{\"service\":\"w\",\"from\":\"w:1\","
	    "\"rolloutState\":\"COMPLETED\",\"duration\":%g,\"lowestHealthy\":%g}],"
	    "\"run\":[{\"costUSD\":1.5,\"tasksLaunched\":4}]},"
	    "\"expectations\":{\"verdicts\":[{\"name\":\"fast\",\"pass\":%s}]}}",
	    lowest, errors, dur, lowest, pass ? "true" : "false");
	return cJSON_Parse(text);
}

static const rcmp_row *
row_of(const rcmp_report *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; k < r->s[i].n; k++)
			if (strcmp(r->s[i].rows[k].key, key) == 0)
				return &r->s[i].rows[k];
	return NULL;
}

START_TEST(test_compare_directions)
{
	cJSON *a = fake_summary(470, 2, 0, true), *b = fake_summary(500, 1, 3,
	    true);
	rcmp_side sa = {"a", a}, sb = {"b", b};
	sim_error err;
	/* 470 -> 500 s is +6.4%: worse, within 10% */
	rcmp_report *r = rcmp_compare(&sa, &sb, 0.10, &err);
	ck_assert_ptr_nonnull(r);
	const rcmp_row *d = row_of(r, "service/w/deployment/1/duration");
	ck_assert_int_eq(d->status, RCMP_WORSE);
	ck_assert_double_eq_tol(d->rel, 30.0 / 470, 1e-12);
	/* lowest healthy 2 -> 1: higher is better, -50% */
	ck_assert_int_eq(row_of(r, "service/w/lowestHealthy")->status,
	    RCMP_BEYOND);
	/* errors 0 -> 3: from zero, beyond any tolerance */
	ck_assert_int_eq(row_of(r, "service/w/errors")->status, RCMP_BEYOND);
	ck_assert_int_eq(row_of(r, "run/costUSD")->status, RCMP_SAME);
	ck_assert_int_eq(rcmp_exit_code(r), 1);
	rcmp_free(r);
	/* the other way round everything is better */
	r = rcmp_compare(&sb, &sa, 0.10, &err);
	ck_assert_int_eq(row_of(r, "service/w/deployment/1/duration")->status,
	    RCMP_BETTER);
	ck_assert_int_eq(rcmp_exit_code(r), 0);
	rcmp_free(r);
	cJSON_Delete(a);
	cJSON_Delete(b);
}
END_TEST

START_TEST(test_compare_tolerance_and_expectations)
{
	cJSON *a = fake_summary(100, 2, 0, true), *b = fake_summary(110, 2, 0,
	    true), *c = fake_summary(100, 2, 0, false);
	rcmp_side sa = {"a", a}, sb = {"b", b}, sc = {"c", c};
	sim_error err;
	/* exactly +10% is within a 10% tolerance, beyond 9.9% */
	rcmp_report *r = rcmp_compare(&sa, &sb, 0.10, &err);
	ck_assert_int_eq(rcmp_exit_code(r), 0);
	rcmp_free(r);
	r = rcmp_compare(&sa, &sb, 0.099, &err);
	ck_assert_int_eq(rcmp_exit_code(r), 1);
	cJSON *j = rcmp_json(r);
	const cJSON *w = cJSON_GetArrayItem(cJSON_GetObjectItem(j,
	    "worseBeyondTolerance"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(w, "key")->valuestring,
	    "service/w/deployment/1/duration");
	ck_assert_str_eq(cJSON_GetObjectItem(w, "better")->valuestring, "lower");
	cJSON_Delete(j);
	rcmp_free(r);
	/* an expectation that held in A and fails in B fails the gate */
	r = rcmp_compare(&sa, &sc, 1.0, &err);
	ck_assert_int_eq(row_of(r, "expect/fast")->status, RCMP_BEYOND);
	ck_assert_int_eq(rcmp_exit_code(r), 1);
	rcmp_free(r);
	/* not a result */
	cJSON *bad = cJSON_Parse("{\"hello\":1}");
	rcmp_side sbad = {"bad.json", bad};
	ck_assert_ptr_null(rcmp_compare(&sa, &sbad, 0, &err));
	ck_assert_int_eq(err.code, SIM_EINPUT);
	cJSON_Delete(bad);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
}
END_TEST

/* A section of another kind (what a calibration adds) gates the same
 * way. */
START_TEST(test_compare_extra_section)
{
	cJSON *a = fake_summary(100, 2, 0, true);
	rcmp_side sa = {"a", a};
	sim_error err;
	rcmp_report *r = rcmp_compare(&sa, &sa, 0.05, &err);
	ck_assert_int_eq(rcmp_exit_code(r), 0);
	rcmp_section *s = rcmp_section_add(r, "calibration", "Calibration", true);
	rstat p = {.n = 1, .mean = 100}, o = {.n = 1, .mean = 120};
	rcmp_row_add(r, s, "x", "x", "s", RMET_LOWER, &p, &o);
	ck_assert_int_eq(rcmp_exit_code(r), 1);
	rout *out = rout_mem();
	rcmp_text(out, r, false);
	ck_assert_msg(strstr(rout_mem_text(out, NULL), "Calibration (gated)") !=
	    NULL, "%s", rout_mem_text(out, NULL));
	rout_free(out);
	rcmp_free(r);
	cJSON_Delete(a);
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

	tc = tcase_create("sweep");
	tcase_add_test(tc, test_parse_vary);
	tcase_add_test(tc, test_point_order);
	tcase_add_test(tc, test_cheapest);
	suite_add_tcase(s, tc);

	tc = tcase_create("compare");
	tcase_add_test(tc, test_compare_directions);
	tcase_add_test(tc, test_compare_tolerance_and_expectations);
	tcase_add_test(tc, test_compare_extra_section);
	suite_add_tcase(s, tc);
	return s;
}
