/*
 * When the service scheduler runs a pass: after a change the service can
 * see (its tasks' states and health, its desired count, an update, a
 * retry), and — for a service waiting for capacity — as soon as capacity
 * is freed in its cluster (ecs-deployments.md §1.5, §1.7, §7.2;
 * parameter ecs.capacityWakesAllServices, [INF], default off).
 *
 * Image timings are constant (pull 10 s, no start or ready time), so the
 * times of the scheduler's events follow from the rule alone.
 */
#include <stdio.h>
#include <string.h>

#include "model/ecs/ecs.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

/* Two services on four t3.medium (2048 CPU units each): "web" (2 tasks
 * of 1024 units) is deployed at 10 min; "other" (2 tasks of 512 units)
 * scales in to 1 at `other_at`, so one of its tasks stops and frees its
 * resources a scheduler delay (1 s) later. wake_all sets
 * ecs.capacityWakesAllServices. */
static void
two_services(char *buf, size_t size, const char *other_at, bool wake_all)
{
	snprintf(buf, size,
	    "{\"duration\": \"20m\", \"sampleInterval\": \"1m\","
	    " \"parameters\": {\"ecs.capacityWakesAllServices\": %s},"
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": 0, \"readyTime\": 0}},"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{\"type\": \"t3.medium\", \"count\": 4,"
	    "   \"availabilityZones\": [\"us-east-1a\", \"us-east-1b\"]}]}],"
	    " \"taskDefinitions\": ["
	    "  {\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"web:1\","
	    "   \"cpu\": 1024, \"memory\": 256}]},"
	    "  {\"family\": \"other\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"other:1\","
	    "   \"cpu\": 512, \"memory\": 256}]}],"
	    " \"services\": ["
	    "  {\"serviceName\": \"web\", \"taskDefinition\": \"web\", \"desiredCount\": 2},"
	    "  {\"serviceName\": \"other\", \"taskDefinition\": \"other\", \"desiredCount\": 2}],"
	    " \"timeline\": ["
	    "  {\"at\": \"10m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": {\"family\": \"web\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"web:2\", \"cpu\": 1024, \"memory\": 256}]}},"
	    "  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"web:2\"}},"
	    "  {\"at\": \"%s\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"other\", \"desiredCount\": 1}}"
	    " ]}",
	    wake_all ? "true" : "false", other_at);
}

/* When web's deployment first stops an old task (its new tasks became
 * healthy a scheduler delay before). */
static sim_time
web_first_stop(const char *other_at, bool wake_all)
{
	char json[4096];
	cli_result res;
	two_services(json, sizeof(json), other_at, wake_all);
	su_run_ok(json, &res);
	sim_time t = su_first_event_after(res.rec, "(service web) has stopped", 10 * SIM_MIN);
	ck_assert_msg(t > 10 * SIM_MIN, "web's deployment stopped no task");
	cli_result_free(&res);
	return t;
}

/* An unrelated service's task stopping half a second before web's new
 * tasks turn healthy does not make web's deployment react earlier: web
 * has placed every task it wanted, freed capacity changes nothing it
 * can see. (With ecs.capacityWakesAllServices the same stop brings web's
 * pass forward by that half second: the old rule, which the test would
 * catch.) */
START_TEST(test_unrelated_stop_does_not_hasten_a_deploy)
{
	/* when web stops its first old task with other's change out of the
	 * way (at 19 min) */
	sim_time alone = web_first_stop("19m", false);
	/* web's tasks turned healthy at alone - 1 s; other's task frees its
	 * resources 1 s after its update: 0.5 s before web's tasks are
	 * healthy */
	sim_time healthy = alone - SIM_SEC;
	sim_time at = healthy - SIM_SEC / 2 - SIM_SEC;
	char at_text[32];
	snprintf(at_text, sizeof(at_text), "%lldms", (long long)(at / 1000));
	ck_assert_int_eq(web_first_stop(at_text, false), alone);
	/* the old rule: other's release woke web, whose pass then came
	 * 1 s after the release, 0.5 s after its tasks turned healthy */
	ck_assert_int_eq(web_first_stop(at_text, true), alone - SIM_SEC / 2);
	ck_assert_int_eq(web_first_stop("19m", true), alone);
}
END_TEST

/* One t3.medium (2048 units) full with "other"'s two 1024-unit tasks;
 * "web" cannot place its task and retries with back-off (10 s, doubling:
 * 11 s, 31 s, 71 s, 151 s, 311 s, ...). At 4 min other scales in to 1:
 * its task frees its resources at 4m1s, and web, which waits for
 * capacity, places its task at once, a scheduler delay later — not at
 * its next retry (5m11s). */
START_TEST(test_waiting_service_reacts_at_once)
{
	for (int wake_all = 0; wake_all <= 1; wake_all++) {
		char json[4096];
		snprintf(json, sizeof(json),
		    "{\"duration\": \"10m\", \"sampleInterval\": \"1m\","
		    " \"parameters\": {\"ecs.capacityWakesAllServices\": %s},"
		    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": 0, \"readyTime\": 0}},"
		    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{\"type\": \"t3.medium\", \"count\": 1}]}],"
		    " \"taskDefinitions\": ["
		    "  {\"family\": \"other\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"other:1\","
		    "   \"cpu\": 1024, \"memory\": 256}]},"
		    "  {\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"web:1\","
		    "   \"cpu\": 1024, \"memory\": 256}]}],"
		    " \"services\": ["
		    "  {\"serviceName\": \"other\", \"taskDefinition\": \"other\", \"desiredCount\": 2},"
		    "  {\"serviceName\": \"web\", \"taskDefinition\": \"web\", \"desiredCount\": 1}],"
		    " \"timeline\": ["
		    "  {\"at\": \"4m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"other\", \"desiredCount\": 1}}"
		    " ]}",
		    wake_all ? "true" : "false");
		cli_result res;
		su_run_ok(json, &res);
		ck_assert_int_eq(su_first_event(res.rec, "(service web) was unable to place a task"), SIM_SEC);
		ck_assert_int_eq(su_first_event(res.rec, "(service other) has stopped 1 running tasks"),
		    4 * SIM_MIN + SIM_SEC);
		ck_assert_int_eq(su_first_event(res.rec, "(service web) has started 1 tasks"),
		    4 * SIM_MIN + 2 * SIM_SEC);
		cli_result_free(&res);
	}
}
END_TEST

Suite *
scheduler_suite(void)
{
	Suite *s = suite_create("scheduler");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_unrelated_stop_does_not_hasten_a_deploy);
	tcase_add_test(tc, test_waiting_service_reacts_at_once);
	suite_add_tcase(s, tc);
	return s;
}
