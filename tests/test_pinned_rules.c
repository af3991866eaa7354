/*
 * Documented rules the suite once let break: each test here failed under
 * the mutation its comment names (checked by applying the mutation), so a
 * change that breaks the rule cannot pass `make test` unnoticed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/autoscaling/cas.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

/* desired 10 behind nothing, rolling one task at a time (100/110),
 * breaker {enable, rollback}, app:2 deployed at 10 minutes with the given
 * behaviour and resetOnHealthyTask. */
static void
breaker_scenario(char *buf, size_t size, const char *v2_behaviour,
    const char *reset, const char *hc)
{
	snprintf(buf, size,
	    "{\"duration\": \"3h\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}, \"app:2\": %s},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"m5.xlarge\", \"count\": 3}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256%s}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 10,"
	    "   \"deploymentConfiguration\": {\"maximumPercent\": 110, \"minimumHealthyPercent\": 100,"
	    "     \"deploymentCircuitBreaker\": {\"enable\": true, \"rollback\": true,"
	    "     \"resetOnHealthyTask\": %s}}}],"
	    " \"timeline\": ["
	    "  {\"at\": \"10m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": {\"family\": \"app\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:2\", \"cpu\": 256, \"memory\": 256%s}]}},"
	    "  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app\"}}"
	    " ]}",
	    v2_behaviour, hc, reset, hc);
}

/* [DOC] §2.3 stage 1 counts tasks that fail to reach RUNNING only until a
 * task of the deployment is RUNNING. Half of app:2's tasks fail to start;
 * with the count cumulative (resetOnHealthyTask false) the start failures
 * after the first RUNNING task (15 in all) would reach the threshold
 * (ceil(10/2) = 5) if they were counted. Mutation caught: dropping the `d->any_running`
 * condition in cb_task_failed (model/ecs/circuit_breaker.c). */
START_TEST(test_stage1_ends_at_first_running_task)
{
	char json[4096];
	cli_result res;
	breaker_scenario(json, sizeof(json), "{\"pullTime\": \"10s\", \"failToStart\": 0.5}", "false", "");
	su_run_ok(json, &res);
	const rec_fact *d = su_fact(res.rec, "deployment", 1);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(rec_fact_get_str(d, "taskDefinition"), "app:2");
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "COMPLETED");
	ck_assert_int_eq(rec_fact_get_int(d, "circuitBreakerTriggered", 0), 0);
	/* it did see start failures: more than the threshold in all */
	ck_assert_int_ge(rec_fact_get_int(d, "tasksFailed", -1), 5);
	ck_assert_int_lt(rec_fact_get_int(d, "failedTasksCount", 0), 5);
	cli_result_free(&res);
}
END_TEST

#define FLAKY_HC ", \"healthCheck\": {\"command\": [\"CMD-SHELL\", \"true\"], \"interval\": 10, \"retries\": 2}"

/* [DOC 2026] §2.4 resetOnHealthyTask: true (default) counts consecutive
 * failures — a task reaching healthy resets the count — false counts them
 * all. The same flaky image trips the breaker only when the count is
 * cumulative. Mutation caught: not resetting the count on a healthy task
 * (model/ecs/circuit_breaker.c). */
START_TEST(test_reset_on_healthy_task)
{
	static const char v2[] = "{\"pullTime\": \"10s\", \"healthCheck\": {\"flaky\": 0.75}}";
	char json[4096];
	cli_result res;
	breaker_scenario(json, sizeof(json), v2, "false", FLAKY_HC);
	su_run_ok(json, &res);
	const rec_fact *d = su_fact(res.rec, "deployment", 1);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(rec_fact_get_int(d, "circuitBreakerTriggered", 0), 1);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "FAILED");
	cli_result_free(&res);

	breaker_scenario(json, sizeof(json), v2, "true", FLAKY_HC);
	su_run_ok(json, &res);
	d = su_fact(res.rec, "deployment", 1);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(rec_fact_get_int(d, "circuitBreakerTriggered", 0), 0);
	cli_result_free(&res);
}
END_TEST

/* [DOC ELBv2] deregistration_delay.timeout_seconds defaults to 300: a
 * target group that does not set it drains a busy task for 300 s.
 * Mutation caught: another default in model/elbv2/elb.c parse_tg (every
 * other test sets the attribute). */
START_TEST(test_default_deregistration_delay)
{
	cli_result res;
	su_run_ok("{\"duration\": \"30m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"5s\", \"shutdownTime\": \"1s\"}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256, \"portMappings\": [{\"containerPort\": 8080}]}]}],"
	    " \"targetGroups\": [{\"Name\": \"web-tg\"}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2,"
	    "   \"loadBalancers\": [{\"targetGroupArn\": \"web-tg\", \"containerName\": \"app\", \"containerPort\": 8080}]}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": 20, \"cpuMsPerRequest\": 5}],"
	    " \"timeline\": [{\"at\": \"5m\", \"call\": \"ecs:UpdateService\","
	    "   \"input\": {\"service\": \"web\", \"forceNewDeployment\": true}}]}",
	    &res);
	const rec_fact *d = su_fact(res.rec, "deployment", 1);
	ck_assert_ptr_nonnull(d);
	const rec_value *v = rec_fact_get(d, "timeDraining");
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(v->i, 300 * SIM_SEC);
	cli_result_free(&res);
}
END_TEST

/* [INF §1.5 of autoscaling.md] the ASG target tracking capacity is
 * ceil(N x CPR / target): 4 instances at CPR 110 need 4.4, so 5. Mutation
 * caught: round() instead of ceil in cas_asg_desired (only a golden file
 * noticed: no case had a fraction below .5). */
START_TEST(test_capacity_provider_desired_rounds_up)
{
	ck_assert_int_eq(cas_asg_desired(4, 110.0, 100), 5);
	ck_assert_int_eq(cas_asg_desired(10, 101.0, 100), 11);
	ck_assert_int_eq(cas_asg_desired(3, 100.0, 100), 3);
}
END_TEST

/* The first sample time at which series name reaches v, or -1. */
static sim_time
first_time_at(const recorder *r, const char *name, double v)
{
	int id = rec_series_find(r, name);
	ck_assert_int_ge(id, 0);
	for (size_t i = 0; i < rec_row_count(r); i++)
		if (rec_get(r, id, i) >= v)
			return rec_row_time(r, i);
	return -1;
}

/* [DOC] §7.1 "Rate of tasks launched by a service": 500 per minute. A
 * scale from 10 to 1,200 starts 500 tasks in its first pass, the rest as
 * the quota refills (500/60 per second [INF]): all by 2 minutes later.
 * Before, all 1,190 started in one pass. */
START_TEST(test_service_launch_rate)
{
	cli_result res;
	su_run_ok("{\"duration\": \"12m\", \"sampleInterval\": \"10s\","
	    " \"clusters\": [{\"instances\": [{\"type\": \"m5.4xlarge\", \"count\": 40}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 128, \"memory\": 128}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 10}],"
	    " \"timeline\": [{\"at\": \"5m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"desiredCount\": 1200}}]}",
	    &res);
	ck_assert_int_eq(su_count_events(res.rec, "(service web) has started 500 tasks:"), 1);
	ck_assert_int_eq(su_count_events(res.rec, "(service web) has started 1190 tasks:"), 0);
	/* 690 more at 500/60 per second: 83 s, then their start-up */
	sim_time full = first_time_at(res.rec, "service/web/running", 1200);
	ck_assert_int_ge(full, 5 * SIM_MIN + 83 * SIM_SEC);
	ck_assert_int_le(full, 5 * SIM_MIN + 120 * SIM_SEC);
	cli_result_free(&res);
}
END_TEST

/* [DOC] §7.1 Fargate's task-launch bucket per account and Region: burst
 * 100, 20 per second. 300 Fargate tasks start 100 at once, then 20 a
 * second. */
START_TEST(test_fargate_launch_bucket)
{
	cli_result res;
	su_run_ok("{\"duration\": \"3m\", \"sampleInterval\": \"10s\","
	    " \"taskDefinitions\": [{\"family\": \"f\", \"requiresCompatibilities\": [\"FARGATE\"], \"networkMode\": \"awsvpc\","
	    "   \"cpu\": \"256\", \"memory\": \"512\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"f\", \"desiredCount\": 300, \"launchType\": \"FARGATE\"}]}",
	    &res);
	ck_assert_int_eq(su_count_events(res.rec, "(service web) has started 100 tasks:"), 1);
	ck_assert_int_eq(su_count_events(res.rec, "(service web) has started 300 tasks:"), 0);
	/* the last 200 at 20 per second: 10 s after the first 100 */
	sim_time full = first_time_at(res.rec, "service/web/running", 300);
	ck_assert_int_gt(full, 0);
	ck_assert_int_ge(full, first_time_at(res.rec, "service/web/running", 100) + 10 * SIM_SEC);
	cli_result_free(&res);
}
END_TEST

Suite *
pinned_rules_suite(void)
{
	Suite *s = suite_create("pinned_rules");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_stage1_ends_at_first_running_task);
	tcase_add_test(tc, test_reset_on_healthy_task);
	tcase_add_test(tc, test_default_deregistration_delay);
	tcase_add_test(tc, test_capacity_provider_desired_rounds_up);
	tcase_add_test(tc, test_service_launch_rate);
	tcase_add_test(tc, test_fargate_launch_bucket);
	suite_add_tcase(s, tc);
	return s;
}
