/*
 * aws/observe on recorded answers (tests/data/aws/obs/: shapes of the
 * ECS, ELBv2 and Application Auto Scaling API references): a deployment
 * of the seed scenario seen through four polls becomes the series,
 * events and facts the simulator writes (docs/observations.md).
 *
 * (tasks-1.json: the old task still RUNNING; tasks.json: it STOPPED.)
 * Plan time 0 is epoch 1700000000; the new revision's deployment starts
 * at 600.123 s and completes at 1071.5 s; its task is created at 600.5,
 * pulls 601.0 -> 610.8, starts at 612.0 and is first seen healthy at the
 * poll of 760 s.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/aws/observe.h"
#include "sim/aws_xml.h"
#include "sim/xalloc.h"
#include "tests/suites.h"

#define ORIGIN 1700000000.0
#define TG_ARN "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-microservice-tg/6d0ecf831eec9f09"
#define S(x) ((sim_time)((x) * 1e6 + ((x) >= 0 ? 0.5 : -0.5)))

static cJSON *
fixture(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "tests/data/aws/obs/%s", name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s: missing", path);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	cJSON *j = cJSON_Parse(buf);
	ck_assert_msg(j != NULL, "%s: not JSON", path);
	return j;
}

static void
feed(awsobs *o, sim_time t, const char *name,
    void (*fn)(awsobs *, sim_time, const cJSON *))
{
	cJSON *j = fixture(name);
	fn(o, t, j);
	cJSON_Delete(j);
}

static void
health(awsobs *o, sim_time t, const char *name)
{
	cJSON *j = fixture(name);
	awsobs_target_health(o, t, TG_ARN, j);
	cJSON_Delete(j);
}

/* The four polls of the test; returns the recorder (free with rec_free). */
static recorder *
observe_deployment(void)
{
	recorder *r = rec_new();
	awsobs *o = awsobs_new(r, ORIGIN, 1.0);
	awsobs_add_service(o, "default", "my-microservice");
	awsobs_add_target_group(o, "my-microservice", "my-microservice-tg", TG_ARN);
	/* 615 s: deploying; the instance of the tasks is not known yet. */
	feed(o, S(615), "services-1.json", awsobs_services);
	feed(o, S(615), "tasks-1.json", awsobs_tasks);
	const char *unknown[4];
	ck_assert_int_eq(awsobs_unknown_instances(o, unknown, 4), 1);
	cJSON *ci = fixture("container-instances.json");
	awsobs_container_instances(o, ci);
	cJSON_Delete(ci);
	ck_assert_int_eq(awsobs_unknown_instances(o, unknown, 4), 0);
	feed(o, S(615), "tasks-1.json", awsobs_tasks);
	health(o, S(615), "target-health-1.json");
	awsobs_sample(o, S(615));
	/* 760 s: the new target is healthy, the old one draining. */
	feed(o, S(760), "services-1.json", awsobs_services); /* same events again */
	health(o, S(760), "target-health-2.json");
	awsobs_sample(o, S(760));
	/* 1080 s: completed. */
	feed(o, S(1080), "services-2.json", awsobs_services);
	feed(o, S(1080), "tasks.json", awsobs_tasks);
	awsobs_sample(o, S(1080));
	/* 1700 s: a scale-out. */
	feed(o, S(1700), "scaling-activities.json", awsobs_scaling);
	feed(o, S(1700), "scaling-activities.json", awsobs_scaling); /* seen twice */
	awsobs_sample(o, S(1700));
	awsobs_finish(o, S(1700));
	awsobs_free(o);
	return r;
}

static double
series_at(const recorder *r, const char *name, size_t row)
{
	int id = rec_series_find(r, name);
	ck_assert_msg(id >= 0, "no series %s", name);
	return rec_get(r, id, row);
}

START_TEST(timestamps)
{
	recorder *r = rec_new();
	awsobs *o = awsobs_new(r, ORIGIN, 1.0);
	sim_time t;
	cJSON *v = cJSON_CreateNumber(1700000612.25);
	ck_assert(awsobs_time(o, v, &t));
	ck_assert_int_eq(t, S(612.25));
	cJSON_Delete(v);
	v = cJSON_CreateString("2023-11-14T22:13:20Z");
	ck_assert(awsobs_time(o, v, &t));
	ck_assert_int_eq(t, 0);
	cJSON_Delete(v);
	v = cJSON_CreateString("2023-11-15T00:13:21.500+02:00");
	ck_assert(awsobs_time(o, v, &t));
	ck_assert_int_eq(t, S(1.5));
	cJSON_Delete(v);
	v = cJSON_CreateString("yesterday");
	ck_assert(!awsobs_time(o, v, &t));
	cJSON_Delete(v);
	awsobs_free(o);
	/* Against an endpoint on a clock 60 times faster. */
	o = awsobs_new(r, ORIGIN, 60.0);
	v = cJSON_CreateNumber(1700000010.0);
	ck_assert(awsobs_time(o, v, &t));
	ck_assert_int_eq(t, S(600));
	cJSON_Delete(v);
	awsobs_free(o);
	rec_free(r);
}
END_TEST

START_TEST(series_from_polls)
{
	recorder *r = observe_deployment();
	ck_assert_uint_eq(rec_row_count(r), 4);
	ck_assert_int_eq(rec_row_time(r, 0), S(615));
	ck_assert(series_at(r, "service/my-microservice/desired", 0) == 2);
	ck_assert(series_at(r, "service/my-microservice/running", 0) == 3);
	ck_assert(series_at(r, "service/my-microservice/pending", 0) == 1);
	ck_assert(series_at(r, "service/my-microservice/deploying", 0) == 1);
	/* Healthy: tasks whose target is healthy (the old one at 615, the
	 * new one at 760; the old one draining then). */
	ck_assert(series_at(r, "service/my-microservice/healthy", 0) == 1);
	ck_assert(series_at(r, "service/my-microservice/healthy", 1) == 1);
	ck_assert(series_at(r, "service/my-microservice/deploying", 2) == 0);
	ck_assert(series_at(r, "service/my-microservice/running", 2) == 2);
	/* Tasks by revision: the old task until it is STOPPED. */
	ck_assert(series_at(r, "service/my-microservice/rev/my-microservice-task:2", 0) == 1);
	ck_assert(series_at(r, "service/my-microservice/rev/my-microservice-task:1", 0) == 1);
	ck_assert(series_at(r, "service/my-microservice/rev/my-microservice-task:1", 2) == 0);
	rec_free(r);
}
END_TEST

START_TEST(events_once_in_time_order)
{
	recorder *r = observe_deployment();
	static const struct {
		double t;
		const char *kind, *text;
	} want[] = {
		{160, "ecs", "(service my-microservice) has reached a steady state."},
		{612.4, "ecs", "(service my-microservice) has started 1 tasks: (task 0b69d5c0d0ba4ce4b0a7d1cb9c3b1e23)."},
		{615, "target-health", "target (task 0b69d5c0d0ba4ce4b0a7d1cb9c3b1e23) port 32768: none -> initial"},
		{615, "target-health", "target (task 4f1e2d3c4b5a69788796a5b4c3d2e1f0) port 32771: none -> healthy"},
		{760, "target-health", "target (task 0b69d5c0d0ba4ce4b0a7d1cb9c3b1e23) port 32768: initial -> healthy"},
		{760, "target-health", "target (task 4f1e2d3c4b5a69788796a5b4c3d2e1f0) port 32771: healthy -> draining"},
		{1075, "ecs", "(service my-microservice) has reached a steady state."},
		{1620, "scaling", "Setting desired count to 5. Cause: monitor alarm TargetTracking-service/default/my-microservice-AlarmHigh-d4f0770c in state ALARM triggered policy cpu50"},
	};
	size_t n = sizeof(want) / sizeof(want[0]);
	ck_assert_uint_eq(rec_event_count(r), n);
	for (size_t i = 0; i < n; i++) {
		const rec_event *e = rec_event_at(r, i);
		ck_assert_msg(e->t == S(want[i].t), "event %d at %lld", (int)i, (long long)e->t);
		ck_assert_str_eq(e->kind, want[i].kind);
		ck_assert_str_eq(e->text, want[i].text);
	}
	ck_assert_str_eq(rec_event_at(r, 0)->source, "service/my-microservice");
	ck_assert_str_eq(rec_event_at(r, 2)->source, "tg/my-microservice-tg");
	ck_assert_str_eq(rec_event_at(r, 7)->source, "aas/my-microservice");
	rec_free(r);
}
END_TEST

START_TEST(deployment_facts)
{
	recorder *r = observe_deployment();
	ck_assert_uint_eq(rec_fact_count(r, "deployment"), 2);
	rec_fact *first = rec_fact_at(r, "deployment", 0);
	ck_assert_str_eq(rec_fact_get_str(first, "cause"), "service created");
	ck_assert_str_eq(rec_fact_get_str(first, "taskDefinition"), "my-microservice-task:1");
	ck_assert(rec_fact_get_num(first, "end", -1) == 150.5);
	rec_fact *d = rec_fact_at(r, "deployment", 1);
	ck_assert_str_eq(rec_fact_get_str(d, "service"), "my-microservice");
	ck_assert_str_eq(rec_fact_get_str(d, "id"), "ecs-svc/9223370465135727471");
	ck_assert_str_eq(rec_fact_get_str(d, "taskDefinition"), "my-microservice-task:2");
	ck_assert_str_eq(rec_fact_get_str(d, "from"), "my-microservice-task:1");
	ck_assert_str_eq(rec_fact_get_str(d, "cause"), "new task definition");
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "COMPLETED");
	ck_assert(fabs(rec_fact_get_num(d, "start", -1) - 600.123) < 1e-6);
	ck_assert(fabs(rec_fact_get_num(d, "end", -1) - 1071.5) < 1e-6);
	ck_assert(fabs(rec_fact_get_num(d, "duration", -1) - 471.377) < 1e-6);
	ck_assert_int_eq(rec_fact_get_int(d, "maximumPercent", -1), 200);
	ck_assert_int_eq(rec_fact_get_int(d, "minimumHealthy", -1), 2);
	ck_assert_int_eq(rec_fact_get_int(d, "tasksStarted", -1), 1);
	ck_assert_int_eq(rec_fact_get_int(d, "tasksStopped", -1), 1);
	ck_assert_int_eq(rec_fact_get_int(d, "peakTasks", -1), 4);
	ck_assert_int_eq(rec_fact_get_int(d, "lowestHealthy", -1), 1);
	/* Where the time went: created -> RUNNING 11.5 s, RUNNING -> healthy
	 * 148 s (to the poll that saw it), draining 760 -> 900 s, SIGTERM ->
	 * STOPPED 32 s. */
	ck_assert(fabs(rec_fact_get_num(d, "timeStart", -1) - 11.5) < 1e-6);
	ck_assert(fabs(rec_fact_get_num(d, "timeHealth", -1) - 148) < 1e-6);
	ck_assert(fabs(rec_fact_get_num(d, "timeDraining", -1) - 140) < 1e-6);
	ck_assert(fabs(rec_fact_get_num(d, "timeStopping", -1) - 32) < 1e-6);
	ck_assert_int_eq(rec_fact_get_int(d, "circuitBreakerTriggered", 1), 0);
	rec_free(r);
}
END_TEST

START_TEST(task_and_scaling_facts)
{
	recorder *r = observe_deployment();
	ck_assert_uint_eq(rec_fact_count(r, "task"), 2);
	rec_fact *t = rec_fact_at(r, "task", 0);
	ck_assert_str_eq(rec_fact_get_str(t, "id"), "0b69d5c0d0ba4ce4b0a7d1cb9c3b1e23");
	ck_assert_str_eq(rec_fact_get_str(t, "deployment"), "ecs-svc/9223370465135727471");
	ck_assert(fabs(rec_fact_get_num(t, "pullStarted", -1) - 601.0) < 1e-6);
	ck_assert(fabs(rec_fact_get_num(t, "pullStopped", -1) - 610.8) < 1e-6);
	ck_assert(fabs(rec_fact_get_num(t, "healthy", -1) - 760) < 1e-6);
	ck_assert_ptr_null(rec_fact_get(t, "stopped"));
	rec_fact *old = rec_fact_at(r, "task", 1);
	ck_assert_str_eq(rec_fact_get_str(old, "lastStatus"), "STOPPED");
	ck_assert_str_eq(rec_fact_get_str(old, "stopCode"), "ServiceSchedulerInitiated");
	ck_assert(fabs(rec_fact_get_num(old, "stopped", -1) - 932) < 1e-6);
	ck_assert_uint_eq(rec_fact_count(r, "scaling_activity"), 1);
	rec_fact *a = rec_fact_at(r, "scaling_activity", 0);
	ck_assert_str_eq(rec_fact_get_str(a, "resource"), "service/default/my-microservice");
	ck_assert_str_eq(rec_fact_get_str(a, "service"), "my-microservice");
	ck_assert_int_eq(rec_fact_get_int(a, "to", -1), 5);
	ck_assert(rec_fact_get_num(a, "time", -1) == 1620);
	rec_fact *s = rec_fact_at(r, "service", 0);
	ck_assert_str_eq(rec_fact_get_str(s, "name"), "my-microservice");
	ck_assert_int_eq(rec_fact_get_int(s, "maxRunning", -1), 3);
	rec_fact *run = rec_fact_at(r, "run", 0);
	ck_assert_int_eq(rec_fact_get_int(run, "tasksLaunched", -1), 2);
	rec_free(r);
}
END_TEST

/* The query protocol's XML answer reads as the JSON fixture. */
START_TEST(target_health_xml_reads_as_json)
{
	if (!awsxml_available()) {
		fprintf(stderr, "aws_observe: target_health_xml_reads_as_json SKIPPED (built without libxml2)\n");
		return;
	}
	FILE *f = fopen("tests/data/aws/obs/target-health-1.xml", "rb");
	ck_assert_ptr_nonnull(f);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	cJSON *x = awsxml_result(buf, n, "DescribeTargetHealth");
	cJSON *j = fixture("target-health-1.json");
	ck_assert(cJSON_Compare(x, j, 1));
	cJSON_Delete(x);
	cJSON_Delete(j);
}
END_TEST

Suite *
aws_observe_suite(void)
{
	Suite *s = suite_create("aws_observe");
	TCase *tc = tcase_create("observe");
	tcase_add_test(tc, timestamps);
	tcase_add_test(tc, series_from_polls);
	tcase_add_test(tc, events_once_in_time_order);
	tcase_add_test(tc, deployment_facts);
	tcase_add_test(tc, task_and_scaling_facts);
	tcase_add_test(tc, target_health_xml_reads_as_json);
	suite_add_tcase(s, tc);
	return s;
}
