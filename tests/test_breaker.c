/*
 * The deployment circuit breaker (ecs-deployments.md §2): the documented
 * threshold table, stage 1 (tasks that never reach RUNNING), stage 2
 * (tasks replaced for failed health checks), FAILED, rollback to the last
 * COMPLETED deployment, and what happens when there is none.
 */
#include <stdio.h>
#include <string.h>

#include "model/ecs/circuit_breaker.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

START_TEST(test_threshold_table)
{
	/* [DOC] deployment-circuit-breaker.html: desired 1 → 3, 25 → 13,
	 * 400 → 200, 800 → 200 (BOUNDED_PERCENT 50, the default). */
	deploy_cfg dc = {.cb_threshold_type = CB_BOUNDED_PERCENT, .cb_threshold_value = 50};
	ck_assert_int_eq(cb_threshold(&dc, 1), 3);
	ck_assert_int_eq(cb_threshold(&dc, 2), 3);
	ck_assert_int_eq(cb_threshold(&dc, 6), 3);
	ck_assert_int_eq(cb_threshold(&dc, 7), 4);
	ck_assert_int_eq(cb_threshold(&dc, 25), 13);
	ck_assert_int_eq(cb_threshold(&dc, 400), 200);
	ck_assert_int_eq(cb_threshold(&dc, 800), 200);
	dc.cb_threshold_type = CB_COUNT;
	dc.cb_threshold_value = 7;
	ck_assert_int_eq(cb_threshold(&dc, 800), 7);
	dc.cb_threshold_type = CB_UNBOUNDED_PERCENT;
	dc.cb_threshold_value = 50;
	ck_assert_int_eq(cb_threshold(&dc, 800), 400);
	ck_assert_int_eq(cb_threshold(&dc, 1), 1);
}
END_TEST

/* desired 2, a new image that never starts, breaker {enable, rollback}. */
static void
bad_image(char *buf, size_t size, const char *rollback, const char *v2_behaviour,
    const char *hc)
{
	snprintf(buf, size,
	    "{\"duration\": \"2h\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}, \"app:2\": %s},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256%s}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2,"
	    "   \"deploymentConfiguration\": {\"deploymentCircuitBreaker\": {\"enable\": true, \"rollback\": %s}}}],"
	    " \"timeline\": ["
	    "  {\"at\": \"10m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": {\"family\": \"app\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:2\", \"cpu\": 256, \"memory\": 256%s}]}},"
	    "  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app\"}}"
	    " ]}",
	    v2_behaviour, hc, rollback, hc);
}

static const rec_fact *
dep(const recorder *r, size_t i)
{
	const rec_fact *f = su_fact(r, "deployment", i);
	ck_assert_msg(f != NULL, "no deployment %zu", i);
	return f;
}

START_TEST(test_stage1_trips_and_rolls_back)
{
	char json[4096];
	cli_result res;
	bad_image(json, sizeof(json), "true", "{\"failToStart\": 1.0}", "");
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	const rec_fact *first = dep(r, 0), *failed = dep(r, 1), *back = dep(r, 2);
	/* [DOC] threshold for desired 2 is 3: the breaker trips on the third
	 * failure. Tasks go out two at a time (maximumPercent 200), so the
	 * fourth was already starting and fails too. */
	ck_assert_str_eq(rec_fact_get_str(failed, "rolloutState"), "FAILED");
	ck_assert_int_eq(rec_fact_get_int(failed, "failedTasksCount", -1), 3);
	ck_assert_int_eq(rec_fact_get_int(failed, "tasksStarted", -1), 4);
	ck_assert_int_eq(rec_fact_get_int(failed, "tasksFailed", -1), 4);
	ck_assert(rec_fact_get_int(failed, "circuitBreakerTriggered", 0));
	ck_assert_str_eq(rec_fact_get_str(failed, "rollbackTarget"), rec_fact_get_str(first, "id"));
	/* the rollback targets the last COMPLETED deployment, which becomes
	 * IN_PROGRESS and then COMPLETED again */
	ck_assert_str_eq(rec_fact_get_str(back, "id"), rec_fact_get_str(first, "id"));
	ck_assert(rec_fact_get_int(back, "rollback", 0));
	ck_assert_str_eq(rec_fact_get_str(back, "rolloutState"), "COMPLETED");
	ck_assert_str_eq(rec_fact_get_str(back, "taskDefinition"), "app:1");
	char text[300];
	snprintf(text, sizeof(text), "(service web) (deployment %s) deployment failed: tasks failed to start.",
	    rec_fact_get_str(failed, "id"));
	ck_assert_int_eq(su_count_events(r, text), 1);
	snprintf(text, sizeof(text), "(service web) rolling back to deployment %s.",
	    rec_fact_get_str(first, "id"));
	ck_assert_int_eq(su_count_events(r, text), 1);
	/* the old tasks were never below the minimum (100 %) */
	ck_assert_int_eq((int)su_series_min(r, "service/web/healthy", 5 * SIM_MIN), 2);
	cli_result_free(&res);
}
END_TEST

START_TEST(test_no_rollback_launches_nothing)
{
	char json[4096];
	cli_result res;
	bad_image(json, sizeof(json), "false", "{\"failToStart\": 1.0}", "");
	su_run_ok(json, &res);
	const rec_fact *failed = dep(res.rec, 1);
	ck_assert_str_eq(rec_fact_get_str(failed, "rolloutState"), "FAILED");
	/* [DOC] a FAILED deployment launches no new tasks: the four are the
	 * two rounds before the trip */
	ck_assert_int_eq(rec_fact_get_int(failed, "tasksStarted", -1), 4);
	ck_assert_ptr_null(su_fact(res.rec, "deployment", 2));
	ck_assert_int_eq(su_count_events(res.rec, "rolling back"), 0);
	cli_result_free(&res);
}
END_TEST

/* Stage 2: tasks reach RUNNING but fail their container health check and
 * are replaced; each replacement counts. */
START_TEST(test_stage2_health_failures)
{
	char json[4096];
	cli_result res;
	bad_image(json, sizeof(json), "true", "{\"healthCheck\": \"fail\"}",
	    ", \"healthCheck\": {\"command\": [\"CMD-SHELL\", \"curl -f localhost\"], \"interval\": 10, \"retries\": 2}");
	su_run_ok(json, &res);
	const rec_fact *failed = dep(res.rec, 1);
	ck_assert_str_eq(rec_fact_get_str(failed, "rolloutState"), "FAILED");
	ck_assert_int_eq(rec_fact_get_int(failed, "failedTasksCount", -1), 3);
	ck_assert_int_ge(su_count_events(res.rec, "failed container health checks."), 3);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 2), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
}
END_TEST

/* [DOC] no COMPLETED deployment to roll back to: nothing is launched and
 * the deployment stays stalled. */
START_TEST(test_first_deployment_fails)
{
	const char *json =
	    "{\"duration\": \"1h\","
	    " \"behaviour\": {\"app:1\": {\"failToStart\": 1.0}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2,"
	    "   \"deploymentConfiguration\": {\"deploymentCircuitBreaker\": {\"enable\": true, \"rollback\": true}}}]}";
	cli_result res;
	su_run_ok(json, &res);
	const rec_fact *d = dep(res.rec, 0);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "FAILED");
	ck_assert_str_eq(rec_fact_get_str(d, "rollbackTarget"), "");
	ck_assert_int_eq(rec_fact_get_int(d, "tasksStarted", -1), 4);
	ck_assert_ptr_null(su_fact(res.rec, "deployment", 1));
	cli_result_free(&res);
}
END_TEST

/* Without the breaker a bad image retries forever, throttled [DOC §7.2]. */
START_TEST(test_throttle_without_breaker)
{
	const char *json =
	    "{\"duration\": \"2h\","
	    " \"behaviour\": {\"app:1\": {\"failToStart\": 1.0, \"pullTime\": \"5s\"}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 1}]}";
	cli_result res;
	su_run_ok(json, &res);
	ck_assert_int_eq(su_count_events(res.rec,
	    "(service web) is unable to consistently start tasks successfully."), 1);
	const rec_fact *d = dep(res.rec, 0);
	int64_t started = rec_fact_get_int(d, "tasksStarted", -1);
	/* without back-off a 5 s failure would restart ~1400 times in 2 h;
	 * with delays doubling to 15 minutes it is a handful */
	ck_assert_int_gt(started, 5);
	ck_assert_int_lt(started, 20);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "IN_PROGRESS");
	cli_result_free(&res);
}
END_TEST

Suite *
breaker_suite(void)
{
	Suite *s = suite_create("breaker");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_threshold_table);
	tcase_add_test(tc, test_stage1_trips_and_rolls_back);
	tcase_add_test(tc, test_no_rollback_launches_nothing);
	tcase_add_test(tc, test_stage2_health_failures);
	tcase_add_test(tc, test_first_deployment_fails);
	tcase_add_test(tc, test_throttle_without_breaker);
	suite_add_tcase(s, tc);
	return s;
}
