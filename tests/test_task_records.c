/*
 * Tests for the "task" facts the model writes (model/ecs/task.c,
 * task_record; docs/observations.md): every task a deployment launches or
 * stops has one record with its lifecycle times, stop code and reason;
 * tasks of scaling outside deployments have none; a rollback's records
 * pair with it by its start although it reuses its target's id; at most
 * 5,000 records per run, the rest counted.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rdata.h"
#include "sim/cli.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

static cli_result RES;

static void
run_file(const char *path)
{
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	sim_error err;
	sim_error_clear(&err);
	int rc = cli_run_scenario(path, &o, &RES, &err);
	ck_assert_msg(rc == 0, "%s: %s", path, err.msg);
}

static void
teardown(void)
{
	cli_result_free(&RES);
	memset(&RES, 0, sizeof(RES));
}

static double
secs(const rec_fact *f, const char *key)
{
	return rec_fact_get_num(f, key, (double)NAN);
}

static const char *
str(const rec_fact *f, const char *key)
{
	const char *s = rec_fact_get_str(f, key);
	return s ? s : "(absent)";
}

START_TEST(test_bad_image_records)
{
	run_file("scenarios/bad-image-rollback.json");
	const recorder *r = RES.rec;
	ck_assert_uint_eq(rec_fact_count(r, "task"), 23);
	ck_assert_uint_eq(rec_fact_count(r, "task_records"), 0);
	const rec_fact *d1 = rec_fact_at(r, "deployment", 0);
	const rec_fact *d2 = rec_fact_at(r, "deployment", 1);
	const rec_fact *d3 = rec_fact_at(r, "deployment", 2);
	/* the rollback reuses deployment 1's id */
	ck_assert_str_eq(str(d3, "id"), str(d1, "id"));
	size_t failed = 0, by_rollback = 0, running = 0;
	for (size_t i = 0; i < rec_fact_count(r, "task"); i++) {
		const rec_fact *t = rec_fact_at(r, "task", i);
		ck_assert_str_eq(str(t, "service"), "checkout");
		ck_assert_str_eq(str(t, "cluster"), "prod");
		ck_assert_uint_eq(strlen(str(t, "task")), 32);
		if (strcmp(str(t, "taskDefinition"), "checkout:1") == 0) {
			/* the service's creation: healthy, still RUNNING at the end */
			ck_assert_str_eq(str(t, "deployment"), str(d1, "id"));
			ck_assert(secs(t, "deploymentStart") == 0);
			ck_assert(secs(t, "running") > secs(t, "pullStart"));
			ck_assert(secs(t, "healthy") > secs(t, "running"));
			ck_assert_str_eq(str(t, "lastStatus"), "RUNNING");
			ck_assert_ptr_null(rec_fact_get(t, "stopped"));
			running++;
			continue;
		}
		ck_assert_str_eq(str(t, "taskDefinition"), "checkout:2");
		ck_assert_str_eq(str(t, "deployment"), str(d2, "id"));
		ck_assert(secs(t, "deploymentStart") == 600);
		ck_assert_str_eq(str(t, "lastStatus"), "STOPPED");
		/* none of the bad image's tasks ever ran */
		ck_assert_ptr_null(rec_fact_get(t, "running"));
		if (rec_fact_get_num(t, "failed", 0) != 0) {
			failed++;
			ck_assert_str_eq(str(t, "stopCode"), "TaskFailedToStart");
			ck_assert_str_eq(str(t, "stoppedReason"),
			    "Essential container in task exited");
			double life = secs(t, "stopped") - secs(t, "created");
			ck_assert_msg(life > 5 && life < 20, "lived %.3f s", life);
		} else {
			by_rollback++;
			ck_assert_str_eq(str(t, "stopCode"), "ServiceSchedulerInitiated");
			ck_assert_str_eq(str(t, "stoppedBy"), str(d3, "id"));
			ck_assert(secs(t, "stoppedByStart") == secs(d3, "start"));
		}
	}
	ck_assert_uint_eq(running, 10);
	ck_assert_uint_eq(failed, 5);
	ck_assert_uint_eq(by_rollback, 8);
	/* the reports pair them with their deployments by start */
	rdata_task *list;
	size_t n = rdata_dep_task_list(r, d2, &list);
	ck_assert_uint_eq(n, 13);
	size_t launched = 0;
	for (size_t i = 0; i < n; i++)
		launched += list[i].launched;
	ck_assert_uint_eq(launched, 13);
	free(list);
	n = rdata_dep_task_list(r, d3, &list);
	ck_assert_uint_eq(n, 8);
	for (size_t i = 0; i < n; i++)
		ck_assert(list[i].stopped_here && !list[i].launched);
	free(list);
	n = rdata_dep_task_list(r, d1, &list);
	ck_assert_uint_eq(n, 10);
	free(list);
}
END_TEST

START_TEST(test_only_deployment_tasks)
{
	/* the seed: 2 tasks created, 2 replaced by the forced deployment; the
	 * scale-out 2 -> 5 and the scale-in back happen outside deployments:
	 * 7 tasks launched, 4 recorded */
	run_file("scenarios/seed-article.json");
	const recorder *r = RES.rec;
	ck_assert_int_eq(rec_fact_get_int(rec_fact_at(r, "run", 0),
	    "tasksLaunched", 0), 7);
	ck_assert_uint_eq(rec_fact_count(r, "task"), 4);
	/* the old tasks: drained 5 minutes (deregistration delay 300 s) */
	size_t drained = 0;
	for (size_t i = 0; i < rec_fact_count(r, "task"); i++) {
		const rec_fact *t = rec_fact_at(r, "task", i);
		if (rec_fact_get(t, "draining") == NULL)
			continue;
		drained++;
		ck_assert(fabs(secs(t, "stopping") - secs(t, "draining") - 300) <
		    1e-6);
		ck_assert_str_eq(str(t, "stopCode"), "ServiceSchedulerInitiated");
		ck_assert_str_eq(str(t, "stoppedBy"), str(rec_fact_at(r, "deployment",
		    1), "id"));
	}
	ck_assert_uint_eq(drained, 2);
}
END_TEST

START_TEST(test_records_are_capped)
{
	/* 3 x 2,100 tasks launched by deployments: 5,000 recorded, 1,300
	 * counted */
	cli_result_free(&RES);
	su_run_ok("{\"name\": \"cap\", \"seed\": 1, \"duration\": \"90m\","
	    " \"sampleInterval\": \"10m\", \"clusters\": [{\"clusterName\": \"c\"}],"
	    " \"taskDefinitions\": [{\"family\": \"f\", \"requiresCompatibilities\":"
	    " [\"FARGATE\"], \"networkMode\": \"awsvpc\", \"cpu\": \"256\","
	    " \"memory\": \"512\", \"containerDefinitions\": [{\"name\": \"app\","
	    " \"image\": \"x/y:1\", \"essential\": true}]}],"
	    " \"services\": [{\"serviceName\": \"big\", \"cluster\": \"c\","
	    " \"taskDefinition\": \"f\", \"desiredCount\": 2100, \"launchType\":"
	    " \"FARGATE\", \"networkConfiguration\": {\"awsvpcConfiguration\":"
	    " {\"subnets\": [\"subnet-0a1b2c3d\"]}}}],"
	    " \"timeline\": [{\"at\": \"20m\", \"call\": \"ecs:UpdateService\","
	    " \"input\": {\"cluster\": \"c\", \"service\": \"big\","
	    " \"forceNewDeployment\": true}}, {\"at\": \"60m\", \"call\":"
	    " \"ecs:UpdateService\", \"input\": {\"cluster\": \"c\", \"service\":"
	    " \"big\", \"forceNewDeployment\": true}}]}", &RES);
	const recorder *r = RES.rec;
	ck_assert_uint_eq(rec_fact_count(r, "task"), 5000);
	int64_t max, dropped = rdata_task_records_dropped(r, &max);
	ck_assert_int_eq(max, 5000);
	ck_assert_int_eq(dropped, 1300);
}
END_TEST

Suite *
task_records_suite(void)
{
	Suite *s = suite_create("task_records");
	TCase *tc = tcase_create("task_records");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_bad_image_records);
	tcase_add_test(tc, test_only_deployment_tasks);
	tcase_add_test(tc, test_records_are_capped);
	suite_add_tcase(s, tc);
	return s;
}
