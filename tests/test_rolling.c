/*
 * The rolling update as AWS documents it (ecs-deployments.md §1.2, §1.5,
 * §1.7, §1.8): the two bounds with their rounding, the worked examples of
 * the Best Practices guide and of deployment-type-ecs.html, the stall when
 * neither bound leaves room, and the static-host-port stall.
 *
 * Tasks have no load balancer and no health check, so a task counts as
 * healthy 40 s after RUNNING [DOC §1.4].
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/ecs/ecs.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

/* A cluster of n t3.medium (2048 CPU units each: two 1024-unit tasks fit),
 * a service of `desired` tasks at max/min, a new revision at 10 minutes.
 * Image timings are constant, so tasks started together become healthy
 * together and the rounds of the documented examples are visible. */
static void
scenario(char *buf, size_t size, int ninst, int desired, int maxp, int minp,
    const char *host_port)
{
	snprintf(buf, size,
	    "{\"duration\": \"40m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}},"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{\"type\": \"t3.medium\", \"count\": %d,"
	    "   \"availabilityZones\": [\"us-east-1a\", \"us-east-1b\"]}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 1024, \"memory\": 256,"
	    "   \"portMappings\": [{\"containerPort\": 8080, \"hostPort\": %s}]}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": %d,"
	    "   \"deploymentConfiguration\": {\"maximumPercent\": %d, \"minimumHealthyPercent\": %d}}],"
	    " \"timeline\": ["
	    "  {\"at\": \"10m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": {\"family\": \"app\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:2\", \"cpu\": 1024, \"memory\": 256,"
	    "   \"portMappings\": [{\"containerPort\": 8080, \"hostPort\": %s}]}]}},"
	    "  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app:2\"}}"
	    " ]}",
	    ninst, host_port, desired, maxp, minp, host_port);
}

/* The deployment's starts and stops, in order, after `after`:
 * "+2 -2 +2 ..." from the service events. */
static void
rounds(const recorder *r, sim_time after, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		int n;
		if (e->t < after)
			continue;
		const char *p;
		char tok[16] = "";
		if ((p = strstr(e->text, "has started ")) && sscanf(p, "has started %d", &n) == 1)
			snprintf(tok, sizeof(tok), "+%d", n);
		else if ((p = strstr(e->text, "has stopped ")) && sscanf(p, "has stopped %d", &n) == 1)
			snprintf(tok, sizeof(tok), "-%d", n);
		if (tok[0]) {
			size_t len = strlen(out);
			snprintf(out + len, size - len, "%s%s", len ? " " : "", tok);
		}
	}
}

static const rec_fact *
deployment_fact(const recorder *r, int i)
{
	rec_fact *f = su_fact(r, "deployment", (size_t)i);
	ck_assert_ptr_nonnull(f);
	return f;
}

START_TEST(test_bounds_rounding)
{
	/* [DOC] max rounds down, min rounds up (deployment-type-ecs.html) */
	ck_assert_int_eq(svc_max_tasks(4, 200), 8);
	ck_assert_int_eq(svc_max_tasks(3, 125), 3);  /* floor(3.75) */
	ck_assert_int_eq(svc_min_healthy(4, 50), 2);
	ck_assert_int_eq(svc_min_healthy(2, 75), 2); /* ceil(1.5) */
	ck_assert_int_eq(svc_min_healthy(1, 50), 1); /* ceil(0.5) */
	ck_assert_int_eq(svc_min_healthy(6, 50), 3);
	ck_assert_int_eq(svc_max_tasks(6, 200), 12);
}
END_TEST

/* Example A: desired 6, room for 8, 100/200: start 2 → stop 2 → ... */
START_TEST(test_example_a)
{
	char json[4096], seq[256];
	cli_result res;
	scenario(json, sizeof(json), 4, 6, 200, 100, "0");
	su_run_ok(json, &res);
	rounds(res.rec, 10 * SIM_MIN, seq, sizeof(seq));
	ck_assert_str_eq(seq, "+2 -2 +2 -2 +2 -2");
	const rec_fact *d = deployment_fact(res.rec, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "COMPLETED");
	ck_assert_int_eq(rec_fact_get_int(d, "lowestHealthy", -1), 6);
	ck_assert_int_eq(rec_fact_get_int(d, "peakTasks", -1), 8);
	cli_result_free(&res);
}
END_TEST

/* Example B: same with minimumHealthyPercent 50: stop 3 old → start 5 new
 * → stop the last 3 old → start the last new one. */
START_TEST(test_example_b)
{
	char json[4096], seq[256];
	cli_result res;
	scenario(json, sizeof(json), 4, 6, 200, 50, "0");
	su_run_ok(json, &res);
	rounds(res.rec, 10 * SIM_MIN, seq, sizeof(seq));
	ck_assert_str_eq(seq, "-3 +5 -3 +1");
	const rec_fact *d = deployment_fact(res.rec, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "COMPLETED");
	ck_assert_int_eq(rec_fact_get_int(d, "lowestHealthy", -1), 3);
	cli_result_free(&res);
}
END_TEST

/* Example C: enough room (12): stop 3, start 6, stop 3. */
START_TEST(test_example_c)
{
	char json[4096], seq[256];
	cli_result res;
	scenario(json, sizeof(json), 6, 6, 200, 50, "0");
	su_run_ok(json, &res);
	rounds(res.rec, 10 * SIM_MIN, seq, sizeof(seq));
	ck_assert_str_eq(seq, "-3 +6 -3");
	cli_result_free(&res);
}
END_TEST

/* desired 4, min 50: may stop 2 old before starting 2 new. */
START_TEST(test_desired4_min50)
{
	char json[4096], seq[256];
	cli_result res;
	scenario(json, sizeof(json), 2, 4, 200, 50, "0");
	su_run_ok(json, &res);
	rounds(res.rec, 10 * SIM_MIN, seq, sizeof(seq));
	ck_assert_str_eq(seq, "-2 +2 -2 +2");
	ck_assert_int_eq(rec_fact_get_int(deployment_fact(res.rec, 1), "lowestHealthy", -1), 2);
	cli_result_free(&res);
}
END_TEST

/* desired 2, min 75: ceil(1.5) = 2, so nothing is stopped first. */
START_TEST(test_desired2_min75)
{
	char json[4096], seq[256];
	cli_result res;
	scenario(json, sizeof(json), 2, 2, 200, 75, "0");
	su_run_ok(json, &res);
	rounds(res.rec, 10 * SIM_MIN, seq, sizeof(seq));
	ck_assert_str_eq(seq, "+2 -2");
	cli_result_free(&res);
}
END_TEST

static const char stuck_text[] =
    "service web was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.";

/* desired 3, max 125: floor(3.75) = 3, nothing extra can start; with min
 * 100 nothing can stop: stuck, with AWS's event. */
START_TEST(test_desired3_max125_stuck)
{
	char json[4096];
	cli_result res;
	scenario(json, sizeof(json), 4, 3, 125, 100, "0");
	su_run_ok(json, &res);
	ck_assert_int_eq(su_count_events(res.rec, stuck_text), 1); /* de-duplicated */
	ck_assert_int_ge(su_first_event(res.rec, stuck_text), 10 * SIM_MIN);
	const rec_fact *d = deployment_fact(res.rec, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "IN_PROGRESS");
	ck_assert_int_eq(rec_fact_get_int(d, "tasksStarted", -1), 0);
	cli_result_free(&res);
}
END_TEST

/* desired 1 at 50/100: ceil(0.5) = 1 and floor(1) = 1: a deadlock. */
START_TEST(test_desired1_50_100_deadlock)
{
	char json[4096];
	cli_result res;
	scenario(json, sizeof(json), 2, 1, 100, 50, "0");
	su_run_ok(json, &res);
	ck_assert_int_eq(su_count_events(res.rec, stuck_text), 1);
	ck_assert_str_eq(rec_fact_get_str(deployment_fact(res.rec, 1), "rolloutState"), "IN_PROGRESS");
	cli_result_free(&res);
}
END_TEST

/* desired 1 at 0/100: stop first, then start (downtime). */
START_TEST(test_desired1_0_100_stop_first)
{
	char json[4096], seq[256];
	cli_result res;
	scenario(json, sizeof(json), 1, 1, 100, 0, "0");
	su_run_ok(json, &res);
	rounds(res.rec, 10 * SIM_MIN, seq, sizeof(seq));
	ck_assert_str_eq(seq, "-1 +1");
	ck_assert_int_eq(rec_fact_get_int(deployment_fact(res.rec, 1), "lowestHealthy", -1), 0);
	ck_assert_str_eq(rec_fact_get_str(deployment_fact(res.rec, 1), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
}
END_TEST

/* The classic stall: static host port, 2 instances, desired 2, 100/200:
 * the new tasks need the port on instances that hold it — forever. */
START_TEST(test_static_port_stall)
{
	char json[4096];
	cli_result res;
	scenario(json, sizeof(json), 2, 2, 200, 100, "8080");
	su_run_ok(json, &res);
	ck_assert_int_ge(su_count_events(res.rec,
	    "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance "), 1);
	ck_assert_int_ge(su_count_events(res.rec, "is already using a port required by your task."), 1);
	const rec_fact *d = deployment_fact(res.rec, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "IN_PROGRESS");
	ck_assert_int_eq(rec_fact_get_int(d, "tasksStarted", -1), 0);
	ck_assert_int_ge(rec_fact_get_int(d, "placementFailures", -1), 1);
	/* the old tasks keep serving */
	ck_assert_int_eq((int)su_series_min(res.rec, "service/web/healthy", 5 * SIM_MIN), 2);
	cli_result_free(&res);

	/* the same with a dynamic host port completes */
	scenario(json, sizeof(json), 2, 2, 200, 100, "0");
	su_run_ok(json, &res);
	ck_assert_str_eq(rec_fact_get_str(deployment_fact(res.rec, 1), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
}
END_TEST

/* [DOC] §1.4: without load balancer or health check, a task counts as
 * healthy after 40 s RUNNING: the first deployment completes exactly then. */
START_TEST(test_healthy_after_40s)
{
	char json[4096];
	cli_result res;
	scenario(json, sizeof(json), 2, 2, 200, 100, "0");
	su_run_ok(json, &res);
	const rec_fact *d = deployment_fact(res.rec, 0);
	sim_time start = rec_fact_get(d, "timeStart")->i;
	sim_time health = rec_fact_get(d, "timeHealth")->i;
	ck_assert_int_eq(health, 40 * SIM_SEC);
	ck_assert_int_gt(start, 0);
	cli_result_free(&res);
}
END_TEST

/* The minHealthy series (what `"count": "minimumHealthy"` checks) is the
 * bound the scheduler keeps: a scale-in during a deployment lowers it
 * [DOC §1.2: the bound is ceil(desiredCount x min%)], a scale-out does not
 * raise it above the bound at the deployment's start. Four tasks fill two
 * instances, so the deployment (max 200) has no room until the scale-in. */
START_TEST(test_min_healthy_follows_scale_in)
{
	const char *json =
	    "{\"duration\": \"30m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 1024, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4,"
	    "   \"deploymentConfiguration\": {\"maximumPercent\": 200, \"minimumHealthyPercent\": 100}}],"
	    " \"timeline\": ["
	    "  {\"at\": \"10m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": {\"family\": \"app\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:2\", \"cpu\": 1024, \"memory\": 256}]}},"
	    "  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app:2\"}},"
	    "  {\"at\": \"15m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"desiredCount\": 2}}"
	    " ]}";
	cli_result res;
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	/* stuck for want of room: the bound is ceil(4 x 100%) */
	ck_assert_double_eq(su_series_max(r, "service/web/minHealthy", 10 * SIM_MIN), 4);
	int id = rec_series_find(r, "service/web/minHealthy");
	int hid = rec_series_find(r, "service/web/healthy");
	bool saw_two = false;
	for (size_t i = 0; i < rec_row_count(r); i++) {
		double v = rec_get(r, id, i), h = rec_get(r, hid, i);
		if (rec_row_time(r, i) > 15 * SIM_MIN && !isnan(v)) {
			/* after the scale-in the bound is ceil(2 x 100%) ... */
			ck_assert_double_eq(v, 2);
			saw_two = true;
		}
		/* ... and the scheduler never went below the bound */
		if (!isnan(v))
			ck_assert_double_ge(h, v);
	}
	ck_assert(saw_two);
	ck_assert_str_eq(rec_fact_get_str(deployment_fact(r, 1), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
}
END_TEST

Suite *
rolling_suite(void)
{
	Suite *s = suite_create("rolling");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_bounds_rounding);
	tcase_add_test(tc, test_example_a);
	tcase_add_test(tc, test_example_b);
	tcase_add_test(tc, test_example_c);
	tcase_add_test(tc, test_desired4_min50);
	tcase_add_test(tc, test_desired2_min75);
	tcase_add_test(tc, test_desired3_max125_stuck);
	tcase_add_test(tc, test_desired1_50_100_deadlock);
	tcase_add_test(tc, test_desired1_0_100_stop_first);
	tcase_add_test(tc, test_static_port_stall);
	tcase_add_test(tc, test_healthy_after_40s);
	tcase_add_test(tc, test_min_healthy_follows_scale_in);
	suite_add_tcase(s, tc);
	return s;
}
