/*
 * Tests for the "expect" section: the exact message, line, column and
 * path of every way an assertion can be written wrong; the did-you-mean
 * for a service or cluster that does not exist; and for each assertion
 * kind a pass and a fail on crafted recorder data, with the measured value
 * and bound a user reads. A metric that was not recorded must fail with
 * "no data", never pass.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/expect.h"
#include "tests/suites.h"

#define DNAN ((double)NAN)

static arena *A;
static jr_loader *L;
static expect_set *X;
static expect_result *RES;
static recorder *R;
static sim_error err;

static void
setup(void)
{
	A = arena_new();
	L = jr_loader_new(A);
	X = expect_new();
	RES = NULL;
	R = rec_new();
	sim_error_clear(&err);
}

static void
teardown(void)
{
	expect_result_free(RES);
	rec_free(R);
	expect_free(X);
	jr_loader_free(L);
	arena_free(A);
}

/* Parse a whole scenario-like document and hand its "expect" to the
 * section parser, the way scn_load does. */
static int
parse_doc(const char *text)
{
	jr_val root, v;
	jr_obj o;
	int rc = jr_load_text(L, "t.json", text, &root, &err);
	ck_assert_msg(rc == 0, "malformed test JSON: %s", err.msg);
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, "expect", &v));
	return expect_parse(X, &v, &err);
}

#define CHECK_ERR(rc, line_, col_, path_, msg_) do { \
	ck_assert_int_eq((rc), SIM_EINPUT); \
	ck_assert_int_eq(err.code, SIM_EINPUT); \
	ck_assert_str_eq(err.file, "t.json"); \
	ck_assert_str_eq(err.msg, (msg_)); \
	ck_assert_str_eq(err.path, (path_)); \
	ck_assert_int_eq(err.line, (line_)); \
	ck_assert_int_eq(err.col, (col_)); \
} while (0)

/* ---- parse errors ---- */

static const struct {
	const char *text;
	int line, col;
	const char *path, *msg;
} bad[] = {
	{"{\"expect\": {}}", 1, 12, "expect", "expected an array, got object"},
	{"{\"expect\": [\n  42\n]}", 2, 3, "expect[0]",
	    "expected an object, got number"},
	{"{\"expect\": [\n  {}\n]}", 2, 3, "expect[0]",
	    "expected one assertion: deploymentCompletes, rolloutState, "
	    "healthyTasksNeverBelow, runningTasksNeverAbove, instancesNeverAbove, "
	    "placementFailuresAtMost, circuitBreakerTriggered, errorRateAtMost, "
	    "latencyAtMost, costAtMost, recoversWithin or errorsDuringFaultAtMost"},
	{"{\"expect\": [\n  {\"name\": \"x\"}\n]}", 2, 3, "expect[0]",
	    "expected one assertion: deploymentCompletes, rolloutState, "
	    "healthyTasksNeverBelow, runningTasksNeverAbove, instancesNeverAbove, "
	    "placementFailuresAtMost, circuitBreakerTriggered, errorRateAtMost, "
	    "latencyAtMost, costAtMost, recoversWithin or errorsDuringFaultAtMost"},
	/* a misspelt kind gets a did-you-mean, not "expected one assertion" */
	{"{\"expect\": [\n  {\"deploymentComplete\": {\"service\": \"web\"}}\n]}",
	    2, 4, "expect[0]",
	    "unknown assertion 'deploymentComplete'; did you mean 'deploymentCompletes'?"},
	{"{\"expect\": [\n  {\"rolloutstate\": {}}\n]}", 2, 4, "expect[0]",
	    "unknown assertion 'rolloutstate'; did you mean 'rolloutState'?"},
	{"{\"expect\": [\n  {\"rolloutState\": {\"service\": \"web\", \"is\": "
	    "\"COMPLETED\"},\n   \"costAtMost\": {\"usd\": 1}}\n]}", 3, 18,
	    "expect[0].costAtMost",
	    "one assertion per element: 'rolloutState' and 'costAtMost' given"},
	{"{\"expect\": [\n  {\"name\": 7, \"costAtMost\": {\"usd\": 1}}\n]}", 2, 12,
	    "expect[0].name", "expected a string, got number"},
	{"{\"expect\": [\n  {\"name\": \"\", \"costAtMost\": {\"usd\": 1}}\n]}", 2,
	    12, "expect[0].name", "expected a non-empty string"},
	{"{\"expect\": [\n  {\"name\": \"cheap\", \"costAtMost\": {\"usd\": 1}},\n"
	    "  {\"name\": \"cheap\", \"costAtMost\": {\"usd\": 2}}\n]}", 3, 12,
	    "expect[1].name",
	    "duplicate assertion name \"cheap\" (also expect[0])"},
	{"{\"expect\": [\n  {\"rolloutState\": \"COMPLETED\"}\n]}", 2, 20,
	    "expect[0].rolloutState", "expected an object, got string"},
	/* unknown members of a kind: did-you-mean before "missing" */
	{"{\"expect\": [\n  {\"rolloutState\": {\"servce\": \"web\", \"is\": "
	    "\"FAILED\"}}\n]}", 2, 21, "expect[0].rolloutState",
	    "unknown key 'servce'; did you mean 'service'?"},
	{"{\"expect\": [\n  {\"rolloutState\": {\"is\": \"FAILED\"}}\n]}", 2, 20,
	    "expect[0].rolloutState", "missing required key 'service'"},
	{"{\"expect\": [\n  {\"rolloutState\": {\"service\": \"web\"}}\n]}", 2, 20,
	    "expect[0].rolloutState", "missing required key 'is'"},
	{"{\"expect\": [\n  {\"rolloutState\": {\"service\": \"web\", \"is\": "
	    "\"COMPLETE\"}}\n]}", 2, 45, "expect[0].rolloutState.is",
	    "expected one of \"IN_PROGRESS\", \"COMPLETED\", \"FAILED\", got "
	    "\"COMPLETE\"; did you mean \"COMPLETED\"?"},
	{"{\"expect\": [\n  {\"rolloutState\": {\"service\": \"\", \"is\": "
	    "\"FAILED\"}}\n]}", 2, 32, "expect[0].rolloutState.service",
	    "expected a non-empty string"},
	{"{\"expect\": [\n  {\"rolloutState\": {\"service\": [\"web\"], \"is\": "
	    "\"FAILED\"}}\n]}", 2, 32, "expect[0].rolloutState.service",
	    "expected a string, got array"},
	{"{\"expect\": [\n  {\"deploymentCompletes\": {\"service\": \"web\", "
	    "\"within\": \"15 minutes\"}}\n]}", 2, 56,
	    "expect[0].deploymentCompletes.within",
	    "invalid duration: missing unit after 15 in \"15 minutes\" (use d, h, "
	    "m, s or ms)"},
	{"{\"expect\": [\n  {\"deploymentCompletes\": {\"service\": \"web\", "
	    "\"within\": -5}}\n]}", 2, 56, "expect[0].deploymentCompletes.within",
	    "invalid duration: negative duration -5"},
	{"{\"expect\": [\n  {\"deploymentCompletes\": {\"service\": \"web\", "
	    "\"deployment\": 0}}\n]}", 2, 60,
	    "expect[0].deploymentCompletes.deployment",
	    "expected an integer in [1, 1000000], got 0"},
	{"{\"expect\": [\n  {\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": \"minHealthy\"}}\n]}", 2, 58,
	    "expect[0].healthyTasksNeverBelow.count",
	    "expected an integer >= 0 or \"minimumHealthy\", got \"minHealthy\""},
	{"{\"expect\": [\n  {\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": true}}\n]}", 2, 58,
	    "expect[0].healthyTasksNeverBelow.count",
	    "expected an integer >= 0 or \"minimumHealthy\", got boolean"},
	{"{\"expect\": [\n  {\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": 1.5}}\n]}", 2, 58,
	    "expect[0].healthyTasksNeverBelow.count",
	    "expected an integer, got 1.5"},
	{"{\"expect\": [\n  {\"healthyTasksNeverBelow\": {\"service\": \"web\"}}\n"
	    "]}", 2, 30, "expect[0].healthyTasksNeverBelow",
	    "missing required key 'count'"},
	{"{\"expect\": [\n  {\"runningTasksNeverAbove\": {\"service\": \"web\", "
	    "\"count\": -1}}\n]}", 2, 58,
	    "expect[0].runningTasksNeverAbove.count",
	    "expected an integer >= 0, got -1"},
	{"{\"expect\": [\n  {\"runningTasksNeverAbove\": {\"service\": \"web\", "
	    "\"count\": 4, \"after\": \"5x\"}}\n]}", 2, 70,
	    "expect[0].runningTasksNeverAbove.after",
	    "invalid duration: unknown unit \"x\" in \"5x\" (use d, h, m, s or "
	    "ms)"},
	{"{\"expect\": [\n  {\"instancesNeverAbove\": {\"service\": \"web\", "
	    "\"count\": 3}}\n]}", 2, 28, "expect[0].instancesNeverAbove",
	    "unknown key 'service'"},
	{"{\"expect\": [\n  {\"instancesNeverAbove\": {\"cluster\": \"default\"}}\n"
	    "]}", 2, 27, "expect[0].instancesNeverAbove",
	    "missing required key 'count'"},
	{"{\"expect\": [\n  {\"placementFailuresAtMost\": {\"service\": \"web\", "
	    "\"count\": \"0\"}}\n]}", 2, 59,
	    "expect[0].placementFailuresAtMost.count",
	    "expected an integer, got string"},
	{"{\"expect\": [\n  {\"circuitBreakerTriggered\": {\"service\": \"web\", "
	    "\"is\": \"yes\"}}\n]}", 2, 56, "expect[0].circuitBreakerTriggered.is",
	    "expected a boolean, got string"},
	{"{\"expect\": [\n  {\"errorRateAtMost\": {\"service\": \"web\", "
	    "\"percent\": 150}}\n]}", 2, 53, "expect[0].errorRateAtMost.percent",
	    "expected a number in [0, 100], got 150"},
	{"{\"expect\": [\n  {\"errorRateAtMost\": {\"service\": \"web\", "
	    "\"percnt\": 1}}\n]}", 2, 42, "expect[0].errorRateAtMost",
	    "unknown key 'percnt'; did you mean 'percent'?"},
	{"{\"expect\": [\n  {\"latencyAtMost\": {\"service\": \"web\", "
	    "\"percentile\": 90, \"ms\": 250}}\n]}", 2, 54,
	    "expect[0].latencyAtMost.percentile", "percentile must be 50, 95 or 99 (the latencies a run records), got 90"},
	{"{\"expect\": [\n  {\"latencyAtMost\": {\"service\": \"web\", "
	    "\"percentile\": 99, \"ms\": -1}}\n]}", 2, 64,
	    "expect[0].latencyAtMost.ms", "expected a number >= 0, got -1"},
	{"{\"expect\": [\n  {\"latencyAtMost\": {\"service\": \"web\", "
	    "\"percentile\": 99}}\n]}", 2, 21, "expect[0].latencyAtMost",
	    "missing required key 'ms'"},
	{"{\"expect\": [\n  {\"costAtMost\": {\"usd\": 5, \"service\": \"web\", "
	    "\"cluster\": \"default\"}}\n]}", 2, 58, "expect[0].costAtMost.cluster",
	    "give 'service' or 'cluster', not both"},
	{"{\"expect\": [\n  {\"costAtMost\": {\"dollars\": 5}}\n]}", 2, 19,
	    "expect[0].costAtMost", "unknown key 'dollars'"},
	{"{\"expect\": [\n  {\"costAtMost\": {}}\n]}", 2, 18,
	    "expect[0].costAtMost", "missing required key 'usd'"},
};

START_TEST(test_parse_errors)
{
	int rc = parse_doc(bad[_i].text);
	CHECK_ERR(rc, bad[_i].line, bad[_i].col, bad[_i].path, bad[_i].msg);
}
END_TEST

START_TEST(test_parse_error_format)
{
	char buf[512];
	int rc = parse_doc("{\"expect\": [\n  {\"latencyAtMost\": {\"service\": "
	    "\"web\", \"percentile\": 90, \"ms\": 250}}\n]}");
	ck_assert_int_eq(rc, SIM_EINPUT);
	sim_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "t.json:2:54: expect[0].latencyAtMost.percentile: "
	    "percentile must be 50, 95 or 99 (the latencies a run records), got 90");
}
END_TEST

/* ---- names ---- */

static const char *const all_kinds =
    "{\"expect\": [\n"
    "  {\"deploymentCompletes\": {\"service\": \"web\", \"within\": \"15m\"}},\n"
    "  {\"deploymentCompletes\": {\"service\": \"web\", \"deployment\": 2}},\n"
    "  {\"rolloutState\": {\"service\": \"web\", \"is\": \"COMPLETED\"}},\n"
    "  {\"healthyTasksNeverBelow\": {\"service\": \"web\", \"count\": 2, "
    "\"after\": \"5m\"}},\n"
    "  {\"healthyTasksNeverBelow\": {\"service\": \"web\", \"count\": "
    "\"minimumHealthy\"}},\n"
    "  {\"runningTasksNeverAbove\": {\"service\": \"web\", \"count\": 4}},\n"
    "  {\"instancesNeverAbove\": {\"cluster\": \"default\", \"count\": 3}},\n"
    "  {\"placementFailuresAtMost\": {\"service\": \"web\", \"count\": 0}},\n"
    "  {\"circuitBreakerTriggered\": {\"service\": \"web\", \"is\": false}},\n"
    "  {\"errorRateAtMost\": {\"service\": \"web\", \"percent\": 0.1}},\n"
    "  {\"errorRateAtMost\": {\"percent\": 1}},\n"
    "  {\"latencyAtMost\": {\"service\": \"web\", \"percentile\": 99, "
    "\"ms\": 250}},\n"
    "  {\"costAtMost\": {\"usd\": 12.5}},\n"
    "  {\"costAtMost\": {\"usd\": 0.5, \"cluster\": \"default\"}},\n"
    "  {\"name\": \"web is cheap\", \"costAtMost\": {\"usd\": 0.25, "
    "\"service\": \"web\"}}\n"
    "]}";

START_TEST(test_default_names)
{
	static const char *const want[] = {
		"web: deployments complete within 15m",
		"web: deployment 2 completes",
		"web: rolloutState is COMPLETED",
		"web: healthy tasks never below 2 after 5m",
		"web: healthy tasks never below the minimum",
		"web: running tasks never above 4",
		"default: instances never above 3",
		"web: placement failures at most 0",
		"web: circuit breaker not triggered",
		"web: error rate at most 0.1%",
		"error rate at most 1%",
		"web: p99 latency at most 250 ms",
		"cost at most $12.50",
		"default: cost at most $0.50",
		"web is cheap",
	};
	ck_assert_int_eq(parse_doc(all_kinds), 0);
	ck_assert_uint_eq(expect_count(X), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < expect_count(X); i++)
		ck_assert_str_eq(expect_name(X, i), want[i]);
}
END_TEST

START_TEST(test_parse_appends_and_empty)
{
	ck_assert_int_eq(parse_doc("{\"expect\": []}"), 0);
	ck_assert_uint_eq(expect_count(X), 0);
	RES = expect_eval(X, R);
	ck_assert_uint_eq(expect_result_count(RES), 0);
	ck_assert_uint_eq(expect_result_failed(RES), 0);
}
END_TEST

static const char *const svcs[] = {"web", "api"};
static const char *const clus[] = {"default"};

START_TEST(test_check_names_ok)
{
	ck_assert_int_eq(parse_doc(all_kinds), 0);
	ck_assert_int_eq(expect_check_names(X, svcs, 2, clus, 1, &err), 0);
}
END_TEST

START_TEST(test_unknown_service_did_you_mean)
{
	char buf[512];
	ck_assert_int_eq(parse_doc("{\"expect\": [\n"
	    "  {\"rolloutState\": {\"service\": \"web\", \"is\": \"COMPLETED\"}},\n"
	    "  {\"costAtMost\": {\"usd\": 1}},\n"
	    "  {\"healthyTasksNeverBelow\": {\"service\": \"wbe\", \"count\": 2}}\n"
	    "]}"), 0);
	int rc = expect_check_names(X, svcs, 2, clus, 1, &err);
	CHECK_ERR(rc, 4, 42, "expect[2].healthyTasksNeverBelow.service",
	    "no service named \"wbe\"; did you mean \"web\"?");
	sim_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "t.json:4:42: expect[2].healthyTasksNeverBelow."
	    "service: no service named \"wbe\"; did you mean \"web\"?");
}
END_TEST

START_TEST(test_unknown_service_case)
{
	ck_assert_int_eq(parse_doc("{\"expect\": [\n"
	    "  {\"rolloutState\": {\"service\": \"API\", \"is\": \"COMPLETED\"}}\n"
	    "]}"), 0);
	CHECK_ERR(expect_check_names(X, svcs, 2, clus, 1, &err), 2, 32,
	    "expect[0].rolloutState.service",
	    "no service named \"API\"; did you mean \"api\"?");
}
END_TEST

START_TEST(test_unknown_service_far)
{
	ck_assert_int_eq(parse_doc("{\"expect\": [\n"
	    "  {\"rolloutState\": {\"service\": \"payments\", \"is\": \"FAILED\"}}\n"
	    "]}"), 0);
	CHECK_ERR(expect_check_names(X, svcs, 2, clus, 1, &err), 2, 32,
	    "expect[0].rolloutState.service",
	    "no service named \"payments\" (services: \"web\", \"api\")");
	CHECK_ERR(expect_check_names(X, NULL, 0, clus, 1, &err), 2, 32,
	    "expect[0].rolloutState.service",
	    "no service named \"payments\" (the scenario has no services)");
}
END_TEST

START_TEST(test_unknown_cluster)
{
	ck_assert_int_eq(parse_doc("{\"expect\": [\n"
	    "  {\"instancesNeverAbove\": {\"cluster\": \"defualt\", \"count\": 3}},\n"
	    "  {\"costAtMost\": {\"usd\": 1, \"cluster\": \"prod\"}}\n"
	    "]}"), 0);
	CHECK_ERR(expect_check_names(X, svcs, 2, clus, 1, &err), 2, 39,
	    "expect[0].instancesNeverAbove.cluster",
	    "no cluster named \"defualt\"; did you mean \"default\"?");
}
END_TEST

/* ---- evaluation ---- */

/* Rows at 0, 60, 120, ... seconds of the named series, values row-major. */
static void
table(const char *const *names, int ns, const double *vals, int nrows)
{
	int ids[16];
	ck_assert_int_le(ns, 16);
	for (int k = 0; k < ns; k++)
		ids[k] = rec_series(R, names[k], "");
	for (int i = 0; i < nrows; i++) {
		rec_row(R, (sim_time)i * 60 * SIM_SEC);
		for (int k = 0; k < ns; k++)
			rec_put(R, ids[k], vals[i * ns + k]);
	}
}

static rec_fact *
deployment(const char *td, const char *state, sim_time start, sim_time end)
{
	rec_fact *f = rec_fact_new(R, "deployment");
	rec_fact_str(f, "service", "web");
	rec_fact_str(f, "cluster", "default");
	rec_fact_str(f, "taskDefinition", td);
	rec_fact_time(f, "start", start);
	if (end >= 0) {
		rec_fact_time(f, "end", end);
		rec_fact_time(f, "duration", end - start);
	}
	rec_fact_str(f, "rolloutState", state);
	rec_fact_bool(f, "circuitBreakerTriggered", false);
	return f;
}

/* Evaluate one assertion (JSON text of an element) against R. */
static const expect_verdict *
eval1(const char *elem)
{
	char doc[1024];
	snprintf(doc, sizeof(doc), "{\"expect\": [%s]}", elem);
	ck_assert_int_eq(parse_doc(doc), 0);
	expect_result_free(RES);
	RES = expect_eval(X, R);
	ck_assert_uint_ge(expect_result_count(RES), 1);
	return expect_result_at(RES, expect_result_count(RES) - 1);
}

#define PASS(v, measured_, bound_) do { \
	const expect_verdict *v_ = (v); \
	ck_assert_msg(v_->pass, "expected a pass: %s", v_->message); \
	ck_assert(!v_->no_data); \
	ck_assert_str_eq(v_->measured, (measured_)); \
	ck_assert_str_eq(v_->bound, (bound_)); \
} while (0)

#define FAIL(v, message_) do { \
	const expect_verdict *v_ = (v); \
	ck_assert_msg(!v_->pass, "expected a fail: %s", v_->message); \
	ck_assert_str_eq(v_->message, (message_)); \
} while (0)

#define NODATA(v, message_) do { \
	const expect_verdict *v_ = (v); \
	ck_assert_msg(!v_->pass && v_->no_data, "expected no data: %s", \
	    v_->message); \
	ck_assert_str_eq(v_->message, (message_)); \
} while (0)

START_TEST(test_deployment_completes)
{
	rec_info(R, "durationSeconds", "3600");
	deployment("web:1", "COMPLETED", 0, 100 * SIM_SEC);
	deployment("web:2", "COMPLETED", 600 * SIM_SEC, 990 * SIM_SEC);
	PASS(eval1("{\"deploymentCompletes\": {\"service\": \"web\", \"within\": "
	    "\"15m\"}}"), "all 2 COMPLETED, longest 6m30s, deployment 2 (web:2)",
	    "COMPLETED within 15m");
	FAIL(eval1("{\"deploymentCompletes\": {\"service\": \"web\", \"within\": "
	    "\"5m\"}}"), "measured deployment 2 (web:2) took 6m30s, expected "
	    "COMPLETED within 5m");
	PASS(eval1("{\"deploymentCompletes\": {\"service\": \"web\", \"within\": "
	    "\"2m\", \"deployment\": 1}}"), "COMPLETED in 1m40s",
	    "COMPLETED within 2m");
	PASS(eval1("{\"deploymentCompletes\": {\"service\": \"web\"}}"),
	    "all 2 COMPLETED, longest 6m30s, deployment 2 (web:2)", "COMPLETED");
	NODATA(eval1("{\"deploymentCompletes\": {\"service\": \"web\", "
	    "\"deployment\": 3}}"), "no data: service web had 2 deployments, not 3;"
	    " expected COMPLETED");
}
END_TEST

START_TEST(test_deployment_failed_and_in_progress)
{
	rec_info(R, "durationSeconds", "3600");
	deployment("web:1", "COMPLETED", 0, 100 * SIM_SEC);
	deployment("web:2", "FAILED", 600 * SIM_SEC, 1320 * SIM_SEC);
	deployment("web:1", "IN_PROGRESS", 1320 * SIM_SEC, -1);
	FAIL(eval1("{\"deploymentCompletes\": {\"service\": \"web\", \"within\": "
	    "\"1h\"}}"), "measured deployment 2 (web:2) FAILED after 12m, "
	    "expected COMPLETED within 1h");
	FAIL(eval1("{\"deploymentCompletes\": {\"service\": \"web\", "
	    "\"deployment\": 3}}"), "measured deployment 3 (web:1) still "
	    "IN_PROGRESS at the end, after 38m, expected COMPLETED");
}
END_TEST

START_TEST(test_deployment_none)
{
	NODATA(eval1("{\"deploymentCompletes\": {\"service\": \"web\"}}"),
	    "no data: no deployment of service web was recorded; expected "
	    "COMPLETED");
	NODATA(eval1("{\"rolloutState\": {\"service\": \"web\", \"is\": "
	    "\"COMPLETED\"}}"), "no data: no deployment of service web was "
	    "recorded; expected COMPLETED");
	NODATA(eval1("{\"circuitBreakerTriggered\": {\"service\": \"web\", "
	    "\"is\": false}}"), "no data: no deployment of service web was "
	    "recorded; expected not triggered");
}
END_TEST

START_TEST(test_rollout_state)
{
	deployment("web:1", "COMPLETED", 0, 100 * SIM_SEC);
	deployment("web:2", "FAILED", 600 * SIM_SEC, 1320 * SIM_SEC);
	PASS(eval1("{\"rolloutState\": {\"service\": \"web\", \"is\": "
	    "\"FAILED\"}}"), "FAILED (deployment 2 (web:2))", "FAILED");
	FAIL(eval1("{\"rolloutState\": {\"service\": \"web\", \"is\": "
	    "\"COMPLETED\"}}"), "measured FAILED (deployment 2 (web:2)), expected "
	    "COMPLETED");
}
END_TEST

static const char *const health_names[] = {"service/web/healthy",
    "service/web/minHealthy"};
/* healthy dips to 1 at 2m (minimum 1 then), to 2 at 6m (minimum 3) */
static const double health_vals[] = {
	0, 0,
	2, 1,
	1, 1,
	2, 2,
	2, 2,
	3, 3,
	2, 3,
	3, 3,
};

START_TEST(test_healthy_count)
{
	table(health_names, 2, health_vals, 8);
	FAIL(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": 2}}"), "measured lowest 0 at 00:00:00, expected >= 2");
	FAIL(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": 2, \"after\": \"1m\"}}"),
	    "measured lowest 1 at 00:02:00, expected >= 2 after 1m");
	PASS(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": 2, \"after\": \"3m\"}}"), "lowest 2 at 00:03:00",
	    ">= 2 after 3m");
	NODATA(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": 2, \"after\": \"1h\"}}"), "no data: no samples of "
	    "service/web/healthy after 1h; expected >= 2 after 1h");
}
END_TEST

START_TEST(test_healthy_minimum)
{
	table(health_names, 2, health_vals, 8);
	FAIL(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": \"minimumHealthy\"}}"), "measured 2 healthy at 00:06:00 "
	    "(minimum 3), expected >= minimumHealthy");
	PASS(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": \"minimumHealthy\", \"after\": \"7m\"}}"),
	    "3 healthy at 00:07:00 (minimum 3)", ">= minimumHealthy after 7m");
}
END_TEST

START_TEST(test_healthy_from_steady_state)
{
	table(health_names, 2, health_vals, 8);
	/* created at 0, steady at 3m: the dip at 2m does not count */
	rec_fact *f = deployment("web:1", "COMPLETED", 0, 180 * SIM_SEC);
	rec_fact_str(f, "from", "");
	PASS(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": 2}}"), "lowest 2 at 00:03:00",
	    ">= 2 since steady state at 00:03:00");
	FAIL(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": \"minimumHealthy\"}}"), "measured 2 healthy at 00:06:00 "
	    "(minimum 3), expected >= minimumHealthy since steady state at "
	    "00:03:00");
	/* an explicit "after" is taken as given */
	FAIL(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": 2, \"after\": 0}}"),
	    "measured lowest 0 at 00:00:00, expected >= 2");
}
END_TEST

START_TEST(test_healthy_no_series)
{
	static const char *const names[] = {"service/web/healthy"};
	static const double vals[] = {2, 2};
	NODATA(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": 2}}"), "no data: no series service/web/healthy; expected "
	    ">= 2");
	table(names, 1, vals, 2);
	NODATA(eval1("{\"healthyTasksNeverBelow\": {\"service\": \"web\", "
	    "\"count\": \"minimumHealthy\"}}"), "no data: no series "
	    "service/web/minHealthy; expected >= minimumHealthy");
}
END_TEST

START_TEST(test_running_never_above)
{
	static const char *const names[] = {"service/web/running"};
	static const double vals[] = {2, 4, 5, DNAN, 3};
	table(names, 1, vals, 5);
	FAIL(eval1("{\"runningTasksNeverAbove\": {\"service\": \"web\", "
	    "\"count\": 4}}"), "measured peak 5 at 00:02:00, expected <= 4");
	PASS(eval1("{\"runningTasksNeverAbove\": {\"service\": \"web\", "
	    "\"count\": 5}}"), "peak 5 at 00:02:00", "<= 5");
	PASS(eval1("{\"runningTasksNeverAbove\": {\"service\": \"web\", "
	    "\"count\": 3, \"after\": \"3m\"}}"), "peak 3 at 00:04:00",
	    "<= 3 after 3m");
}
END_TEST

START_TEST(test_instances_never_above)
{
	static const char *const names[] = {"cluster/default/instances"};
	static const double vals[] = {2, 3, 2};
	NODATA(eval1("{\"instancesNeverAbove\": {\"cluster\": \"default\", "
	    "\"count\": 3}}"), "no data: no series cluster/default/instances; "
	    "expected <= 3");
	table(names, 1, vals, 3);
	PASS(eval1("{\"instancesNeverAbove\": {\"cluster\": \"default\", "
	    "\"count\": 3}}"), "peak 3 at 00:01:00", "<= 3");
	/* the fact sees a peak between samples */
	rec_fact *f = rec_fact_new(R, "cluster");
	rec_fact_str(f, "name", "default");
	rec_fact_int(f, "maxInstances", 4);
	FAIL(eval1("{\"instancesNeverAbove\": {\"cluster\": \"default\", "
	    "\"count\": 3}}"), "measured peak 4 (between samples), expected <= 3");
	/* with "after", samples only */
	PASS(eval1("{\"instancesNeverAbove\": {\"cluster\": \"default\", "
	    "\"count\": 2, \"after\": \"2m\"}}"), "peak 2 at 00:02:00",
	    "<= 2 after 2m");
}
END_TEST

START_TEST(test_placement_failures)
{
	rec_fact *s = rec_fact_new(R, "service");
	rec_fact_str(s, "name", "web");
	rec_fact_int(s, "placementFailures", 0);
	PASS(eval1("{\"placementFailuresAtMost\": {\"service\": \"web\", "
	    "\"count\": 0}}"), "0", "<= 0");
	rec_fact_int(s, "placementFailures", 2);
	for (int i = 0; i < 2; i++) {
		rec_fact *f = rec_fact_new(R, "placement_failure");
		rec_fact_str(f, "service", "web");
		rec_fact_time(f, "time", (605 + 60 * i) * SIM_SEC);
		rec_fact_str(f, "message", "no container instance met all of its "
		    "requirements");
	}
	FAIL(eval1("{\"placementFailuresAtMost\": {\"service\": \"web\", "
	    "\"count\": 1}}"), "measured 2 (first at 00:10:05), expected <= 1");
}
END_TEST

START_TEST(test_circuit_breaker)
{
	deployment("web:1", "COMPLETED", 0, 100 * SIM_SEC);
	rec_fact *f = deployment("web:2", "FAILED", 600 * SIM_SEC, 900 * SIM_SEC);
	PASS(eval1("{\"circuitBreakerTriggered\": {\"service\": \"web\", "
	    "\"is\": false}}"), "not triggered in 2 deployments", "not triggered");
	rec_fact_bool(f, "circuitBreakerTriggered", true);
	PASS(eval1("{\"circuitBreakerTriggered\": {\"service\": \"web\", "
	    "\"is\": true}}"), "triggered in deployment 2 (web:2)", "triggered");
	FAIL(eval1("{\"circuitBreakerTriggered\": {\"service\": \"web\", "
	    "\"is\": false}}"), "measured triggered in deployment 2 (web:2), "
	    "expected not triggered");
}
END_TEST

START_TEST(test_error_rate)
{
	NODATA(eval1("{\"errorRateAtMost\": {\"service\": \"web\", \"percent\": "
	    "1}}"), "no data: no requests recorded for service web; expected "
	    "<= 1%");
	NODATA(eval1("{\"errorRateAtMost\": {\"percent\": 1}}"),
	    "no data: no requests recorded; expected <= 1%");
	rec_fact *s = rec_fact_new(R, "service");
	rec_fact_str(s, "name", "web");
	rec_fact_int(s, "requests", 120000);
	rec_fact_int(s, "errors", 150);
	FAIL(eval1("{\"errorRateAtMost\": {\"service\": \"web\", \"percent\": "
	    "0.1}}"), "measured 0.125% (150 of 120,000 requests), expected "
	    "<= 0.1%");
	PASS(eval1("{\"errorRateAtMost\": {\"service\": \"web\", \"percent\": "
	    "0.125}}"), "0.125% (150 of 120,000 requests)", "<= 0.125%");
	/* the whole run: the sum of its services' counts (the parts add up
	 * to the total; a run fact is read only when no service has counts) */
	rec_fact *run = rec_fact_new(R, "run");
	rec_fact_int(run, "requests", 200000);
	rec_fact_int(run, "errors", 0);
	FAIL(eval1("{\"errorRateAtMost\": {\"percent\": 0}}"),
	    "measured 0.125% (150 of 120,000 requests), expected <= 0%");
}
END_TEST

START_TEST(test_error_rate_from_series)
{
	static const char *const names[] = {"service/web/requests",
	    "service/web/errors"};
	static const double vals[] = {1000, 0, 1000, 30, DNAN, DNAN};
	table(names, 2, vals, 3);
	FAIL(eval1("{\"errorRateAtMost\": {\"percent\": 1}}"),
	    "measured 1.5% (30 of 2,000 requests), expected <= 1%");
}
END_TEST

START_TEST(test_latency)
{
	NODATA(eval1("{\"latencyAtMost\": {\"service\": \"web\", \"percentile\": "
	    "99, \"ms\": 250}}"), "no data: no latency recorded for service web; "
	    "expected p99 <= 250 ms");
	rec_fact *s = rec_fact_new(R, "service");
	rec_fact_str(s, "name", "web");
	rec_fact_num(s, "latencyP50", 12.5);
	rec_fact_num(s, "latencyP99", DNAN);
	PASS(eval1("{\"latencyAtMost\": {\"service\": \"web\", \"percentile\": "
	    "50, \"ms\": 20}}"), "12.5 ms", "p50 <= 20 ms");
	/* NaN in the fact (no requests) is no data too */
	NODATA(eval1("{\"latencyAtMost\": {\"service\": \"web\", \"percentile\": "
	    "99, \"ms\": 250}}"), "no data: no latency recorded for service web; "
	    "expected p99 <= 250 ms");
	rec_fact_num(s, "latencyP99", 312);
	FAIL(eval1("{\"latencyAtMost\": {\"service\": \"web\", \"percentile\": "
	    "99, \"ms\": 250}}"), "measured 312 ms, expected p99 <= 250 ms");
}
END_TEST

START_TEST(test_latency_from_series)
{
	static const char *const names[] = {"service/web/latencyP95"};
	static const double vals[] = {40, 95.5, 60};
	table(names, 1, vals, 3);
	FAIL(eval1("{\"latencyAtMost\": {\"service\": \"web\", \"percentile\": "
	    "95, \"ms\": 90}}"), "measured 95.5 ms (worst interval, at 00:01:00), "
	    "expected p95 <= 90 ms");
}
END_TEST

START_TEST(test_cost)
{
	NODATA(eval1("{\"costAtMost\": {\"usd\": 1}}"),
	    "no data: no cost recorded; expected <= $1.00");
	static const char *const names[] = {"cluster/default/costUSD",
	    "cluster/batch/costUSD"};
	static const double vals[] = {0, 0, 0.25, 1, 0.5, 2.125};
	table(names, 2, vals, 3);
	/* from the series: the last values, summed */
	FAIL(eval1("{\"costAtMost\": {\"usd\": 2.5}}"),
	    "measured $2.62, expected <= $2.50");
	PASS(eval1("{\"costAtMost\": {\"usd\": 0.5, \"cluster\": \"default\"}}"),
	    "$0.50", "<= $0.50");
	rec_fact *run = rec_fact_new(R, "run");
	rec_fact_num(run, "costUSD", 12.4);
	PASS(eval1("{\"costAtMost\": {\"usd\": 12.5}}"), "$12.40", "<= $12.50");
	NODATA(eval1("{\"costAtMost\": {\"usd\": 1, \"service\": \"web\"}}"),
	    "no data: no cost recorded for service web; expected <= $1.00");
	rec_fact *s = rec_fact_new(R, "service");
	rec_fact_str(s, "name", "web");
	rec_fact_num(s, "costUSD", 0.0421);
	FAIL(eval1("{\"costAtMost\": {\"usd\": 0.04, \"service\": \"web\"}}"),
	    "measured $0.0421, expected <= $0.04");
}
END_TEST

START_TEST(test_result_counts)
{
	static const char *const names[] = {"service/web/running"};
	static const double vals[] = {2, 5};
	table(names, 1, vals, 2);
	ck_assert_int_eq(parse_doc("{\"expect\": [\n"
	    "  {\"runningTasksNeverAbove\": {\"service\": \"web\", \"count\": 4}},\n"
	    "  {\"name\": \"enough\", \"runningTasksNeverAbove\": {\"service\": "
	    "\"web\", \"count\": 5}},\n"
	    "  {\"latencyAtMost\": {\"service\": \"web\", \"percentile\": 99, "
	    "\"ms\": 1}}\n"
	    "]}"), 0);
	RES = expect_eval(X, R);
	ck_assert_uint_eq(expect_result_count(RES), 3);
	ck_assert_uint_eq(expect_result_failed(RES), 2);
	const expect_verdict *v = expect_result_at(RES, 1);
	ck_assert_str_eq(v->name, "enough");
	ck_assert_str_eq(v->kind, "runningTasksNeverAbove");
	ck_assert(v->pass);
	ck_assert_str_eq(v->message, "measured peak 5 at 00:01:00, expected <= 5");
	ck_assert(expect_result_at(RES, 2)->no_data);
}
END_TEST

Suite *
expect_suite(void)
{
	Suite *s = suite_create("expect");
	TCase *tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_parse_errors, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_parse_error_format);
	tcase_add_test(tc, test_default_names);
	tcase_add_test(tc, test_parse_appends_and_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_check_names_ok);
	tcase_add_test(tc, test_unknown_service_did_you_mean);
	tcase_add_test(tc, test_unknown_service_case);
	tcase_add_test(tc, test_unknown_service_far);
	tcase_add_test(tc, test_unknown_cluster);
	suite_add_tcase(s, tc);

	tc = tcase_create("eval");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_deployment_completes);
	tcase_add_test(tc, test_deployment_failed_and_in_progress);
	tcase_add_test(tc, test_deployment_none);
	tcase_add_test(tc, test_rollout_state);
	tcase_add_test(tc, test_healthy_count);
	tcase_add_test(tc, test_healthy_minimum);
	tcase_add_test(tc, test_healthy_from_steady_state);
	tcase_add_test(tc, test_healthy_no_series);
	tcase_add_test(tc, test_running_never_above);
	tcase_add_test(tc, test_instances_never_above);
	tcase_add_test(tc, test_placement_failures);
	tcase_add_test(tc, test_circuit_breaker);
	tcase_add_test(tc, test_error_rate);
	tcase_add_test(tc, test_error_rate_from_series);
	tcase_add_test(tc, test_latency);
	tcase_add_test(tc, test_latency_from_series);
	tcase_add_test(tc, test_cost);
	tcase_add_test(tc, test_result_counts);
	suite_add_tcase(s, tc);
	return s;
}
