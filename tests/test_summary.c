/*
 * Tests for what the summaries say (reports/rdata, summary_text,
 * summary_json): request and error counts are integers rounded once, the
 * same in the text, summary.json and report.html; deployment lines (a
 * service's creation, a rollback that started nothing, a drop below the
 * minimum); scaling causes in short; the assumptions as one line of
 * counts (and every one on request); the seed scenario's summary under 60
 * lines with its results first; summary.json's field names pinned.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "reports/rdata.h"
#include "reports/report_html.h"
#include "reports/rout.h"
#include "reports/summary_json.h"
#include "reports/summary_text.h"
#include "sim/cli.h"
#include "tests/rep_fixture.h"
#include "tests/suites.h"

static recorder *R;
static rout *O;

static void
setup(void)
{
	R = rec_new();
	O = rout_mem();
}

static void
teardown(void)
{
	rout_free(O);
	rec_free(R);
}

/* on failure the text is shown (its first 3,000 bytes: Check's limit) */
#define HAS(hay, needle) ck_assert_msg(strstr((hay), (needle)) != NULL, \
    "missing:\n%s\n--- in:\n%.3000s", (needle), (hay))
#define LACKS(hay, needle) ck_assert_msg(strstr((hay), (needle)) == NULL, \
    "unexpected:\n%s\n--- in:\n%.3000s", (needle), (hay))

static const char *
text_of(const rtext_opts *opts)
{
	rtext_write_opts(O, R, NULL, opts);
	return rout_mem_text(O, NULL);
}

/* Rows at minutes 0, 1, ...: vals[i * ns + k] is series k in row i. */
static void
table(const char *const *names, int ns, const double *vals, int nrows)
{
	int ids[8];
	for (int k = 0; k < ns; k++)
		ids[k] = rec_series(R, names[k], "");
	for (int i = 0; i < nrows; i++) {
		rec_row(R, (sim_time)i * SIM_MIN);
		for (int k = 0; k < ns; k++)
			rec_put(R, ids[k], vals[i * ns + k]);
	}
}

static rec_fact *
dep(const char *svc, const char *from, const char *td, const char *cause)
{
	rec_fact *f = rec_fact_new(R, "deployment");
	rec_fact_str(f, "service", svc);
	rec_fact_str(f, "id", "ecs-svc/1");
	rec_fact_str(f, "taskDefinition", td);
	rec_fact_str(f, "from", from);
	rec_fact_str(f, "cause", cause);
	return f;
}

/* ---- counts ---- */

START_TEST(test_traffic_rounded_once)
{
	/* series only: fractional expected values per interval, summed at
	 * full precision, then rounded (1999.7 -> 2000, 0.8 -> 1) */
	static const char *const names[] = {"service/web/requests",
	    "service/web/errors", "service/api/requests"};
	static const double vals[] = {1000.4, 0.4, 10.5, 999.3, 0.4, 10};
	table(names, 3, vals, 2);
	int64_t q, e;
	ck_assert(rdata_traffic(R, "web", &q, &e));
	ck_assert_int_eq(q, 2000);
	ck_assert_int_eq(e, 1);
	/* a second service with its fact: the fact's counts win over its
	 * series; the run's total is the sum of the rounded parts */
	rec_fact *f = rec_fact_new(R, "service");
	rec_fact_str(f, "name", "api");
	rec_fact_int(f, "requests", 21);
	rec_fact_int(f, "errors", 3);
	ck_assert(rdata_traffic(R, "api", &q, &e));
	ck_assert_int_eq(q, 21);
	ck_assert(rdata_traffic(R, NULL, &q, &e));
	ck_assert_int_eq(q, 2021);
	ck_assert_int_eq(e, 4);
	ck_assert(!rdata_traffic(R, "nope", &q, &e));
	/* the text and summary.json say the same integers */
	rtext_opts opts = {.no_read_more = true};
	const char *t = text_of(&opts);
	HAS(t, "  requests:           2,000, errors 1 (0.05%)\n");
	HAS(t, "  requests:           21, errors 3 (14.29%)\n");
	HAS(t, "\nRun: 2,021 requests, 4 errors (0.1979%)\n");
	cJSON *root = rjson_build(R, NULL);
	/* services in order of first appearance: facts, then series */
	const cJSON *s0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root,
	    "services"), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(s0, "name")->valuestring, "web");
	ck_assert(cJSON_GetObjectItem(s0, "requests")->valuedouble == 2000);
	ck_assert(cJSON_GetObjectItem(s0, "errors")->valuedouble == 1);
	const cJSON *tot = cJSON_GetObjectItem(root, "totals");
	ck_assert(cJSON_GetObjectItem(tot, "requests")->valuedouble == 2021);
	ck_assert(cJSON_GetObjectItem(tot, "errors")->valuedouble == 4);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_run_fact_when_no_service_counts)
{
	rec_fact *run = rec_fact_new(R, "run");
	rec_fact_int(run, "requests", 500);
	rec_fact_int(run, "errors", 5);
	int64_t q, e;
	ck_assert(rdata_traffic(R, NULL, &q, &e));
	ck_assert_int_eq(q, 500);
	ck_assert_int_eq(e, 5);
	ck_assert(rdata_error_percent(q, e) == 1.0);
	ck_assert(isnan(rdata_error_percent(0, 0)));
}
END_TEST

START_TEST(test_pct)
{
	char b[32];
	ck_assert_str_eq(rdata_pct(b, sizeof(b), 0), "0%");
	ck_assert_str_eq(rdata_pct(b, sizeof(b), 0.0004), "<0.001%");
	ck_assert_str_eq(rdata_pct(b, sizeof(b), 100.0 * 1010 / 600000),
	    "0.1683%");
	ck_assert_str_eq(rdata_pct(b, sizeof(b), 100.0 / 3), "33.33%");
	ck_assert_str_eq(rdata_pct(b, sizeof(b), 100), "100%");
	ck_assert_str_eq(rdata_pct(b, sizeof(b), (double)NAN), "n/a");
}
END_TEST

START_TEST(test_same_numbers_in_text_json_html)
{
	realistic(R, "web");
	rdata_svc sv;
	rdata_service_stats(R, "web", &sv);
	ck_assert_int_eq(sv.requests, 185200);
	ck_assert_int_eq(sv.errors, 31);
	ck_assert_int_eq(sv.lowest_healthy, 1);
	ck_assert_int_eq(sv.lowest_healthy_outside, 2);
	rtext_write(O, R, NULL);
	const char *t = rout_mem_text(O, NULL);
	HAS(t, "185,200, errors 31 (0.01674%)");
	HAS(t, "lowest healthy:     1 after creation (2 outside deployments)");
	rout *h = rout_mem();
	rhtml_write(h, R, NULL);
	const char *html = rout_mem_text(h, NULL);
	HAS(html, "<b>185,200</b><span>requests</span>");
	HAS(html, "<b>31</b><span>errors (0.01674%)</span>");
	HAS(html, "<b>1</b><span>lowest healthy after creation</span>");
	/* a service's creation is "(service creation)" everywhere, never a
	 * minimum it could not keep */
	HAS(t, "lowest healthy 0 (service creation)");
	HAS(html, "<td class=\"m\">0 (service creation)</td>");
	LACKS(html, "0 (min");
	HAS(html, "<td class=\"m\">1 (minimum 2) - BELOW THE MINIMUM</td>");
	rout_free(h);
	cJSON *root = rjson_build(R, NULL);
	const cJSON *s0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root,
	    "services"), 0);
	ck_assert(cJSON_GetObjectItem(s0, "requests")->valuedouble == 185200);
	ck_assert(cJSON_GetObjectItem(s0, "errors")->valuedouble == 31);
	ck_assert(cJSON_GetObjectItem(s0, "lowestHealthy")->valuedouble == 1);
	cJSON_Delete(root);
}
END_TEST

/* ---- deployments in words ---- */

START_TEST(test_rollback_without_starts)
{
	/* a rollback kept the running tasks: none started, 8 stopped; a
	 * mean start time must not stand next to that */
	rec_fact *f = dep("checkout", "checkout:2", "checkout:1",
	    "circuit breaker rollback");
	rec_fact_time(f, "start", 615 * SIM_SEC);
	rec_fact_time(f, "end", 617 * SIM_SEC);
	rec_fact_str(f, "rolloutState", "COMPLETED");
	rec_fact_int(f, "minimumHealthy", 10);
	rec_fact_int(f, "lowestHealthy", 10);
	rec_fact_int(f, "tasksStarted", 0);
	rec_fact_int(f, "tasksStopped", 8);
	rec_fact_int(f, "tasksFailed", 0);
	rec_fact_int(f, "placementFailures", 0);
	rec_fact_bool(f, "rollback", true);
	rec_fact_time(f, "timeStart", 14 * SIM_SEC);
	rec_fact_time(f, "timeStopping", 500 * SIM_MS);
	char b[256];
	ck_assert_str_eq(rdata_dep_tasks(b, sizeof(b), f),
	    "none started, 8 stopped");
	ck_assert_str_eq(rdata_dep_phases(b, sizeof(b), f), "stopping 500ms");
	ck_assert_str_eq(rdata_dep_lowest(b, sizeof(b), f), "10 (minimum 10)");
	ck_assert_str_eq(rdata_dep_title(b, sizeof(b), f),
	    "checkout:2 -> checkout:1 (circuit breaker rollback)");
	ck_assert_str_eq(rdata_dep_span(b, sizeof(b), f),
	    "00:10:15 -> 00:10:17, 2s, COMPLETED");
	rtext_opts opts = {.no_read_more = true};
	const char *t = text_of(&opts);
	HAS(t, "    tasks: none started, 8 stopped; lowest healthy 10 (minimum "
	    "10)\n    where the time went (mean per task): stopping 500ms\n");
	LACKS(t, "0 started");
	LACKS(t, "start 14s");
}
END_TEST

START_TEST(test_deployment_phrases)
{
	char b[256];
	rec_fact *c = dep("web", "", "web:1", "service created");
	rec_fact_int(c, "minimumHealthy", 2);
	rec_fact_int(c, "lowestHealthy", 0);
	ck_assert_str_eq(rdata_dep_lowest(b, sizeof(b), c),
	    "0 (service creation)");
	ck_assert_str_eq(rdata_dep_tasks(b, sizeof(b), c), "");
	ck_assert_str_eq(rdata_dep_span(b, sizeof(b), c), "rolloutState unknown");
	rec_fact *u = dep("web", "web:1", "web:2", "new task definition");
	rec_fact_time(u, "start", 600 * SIM_SEC);
	rec_fact_str(u, "rolloutState", "IN_PROGRESS");
	rec_fact_int(u, "minimumHealthy", 4);
	rec_fact_int(u, "lowestHealthy", 3);
	rec_fact_int(u, "tasksStarted", 13);
	rec_fact_int(u, "tasksFailed", 5);
	rec_fact_int(u, "tasksStopped", 0);
	rec_fact_int(u, "placementFailures", 1);
	ck_assert_str_eq(rdata_dep_lowest(b, sizeof(b), u),
	    "3 (minimum 4) - BELOW THE MINIMUM");
	ck_assert_str_eq(rdata_dep_tasks(b, sizeof(b), u),
	    "13 started, 5 failed; 1 placement failure");
	ck_assert_str_eq(rdata_dep_span(b, sizeof(b), u),
	    "00:10:00 -> (end of run), IN_PROGRESS");
}
END_TEST

START_TEST(test_scaling_in_short)
{
	char b[512];
	rec_fact *f = rec_fact_new(R, "scaling_activity");
	rec_fact_str(f, "cause", "monitor alarm TargetTracking-service/default/"
	    "web-AlarmHigh-14fcb1f8-5d0e-313c-18c4-e2d37195e848 in state ALARM "
	    "triggered policy cpu50");
	rec_fact_str(f, "policy", "cpu50");
	ck_assert_str_eq(rdata_scaling_short(b, sizeof(b), f),
	    "policy cpu50, alarm AlarmHigh");
	f = rec_fact_new(R, "scaling_activity");
	rec_fact_str(f, "cause", "a monitor alarm TargetTracking-ecs-asg-AlarmLow-"
	    "bb12ea16 in state ALARM triggered policy ECSManagedAutoScalingPolicy "
	    "changing the desired capacity from 2 to 1.");
	rec_fact_str(f, "policy", "");
	ck_assert_str_eq(rdata_scaling_short(b, sizeof(b), f),
	    "policy ECSManagedAutoScalingPolicy, alarm AlarmLow");
	f = rec_fact_new(R, "scaling_activity");
	rec_fact_str(f, "cause", "scheduled action name night was triggered");
	ck_assert_str_eq(rdata_scaling_short(b, sizeof(b), f),
	    "scheduled action name night was triggered");
}
END_TEST

/* ---- assumptions ---- */

static void
assumptions(void)
{
	rec_assume(R, "ecs.schedulerDelay", "2s", "SET", "time to the next pass");
	rec_assume(R, "a.one", "1", "INF", "one");
	rec_assume(R, "a.two", "2", "INF", "two");
	rec_assume(R, "ecs.throttleMaxDelay", "15m", "DOC", "cap");
	rec_assume(R, "a.three", "3", "UNCONFIRMED", "three");
	rec_assume(R, "catalog.prices", "2025-06", "OBS", "prices");
	rec_assume(R, "behaviour.default", "pull 5s", "SET", "image timings");
	rec_assume(R, "a.four", "4", "INF", "four");
	rec_assume(R, "x.y", "z", "AWS-STAFF", "said so");
	rec_assume(R, "tags", "accepted", "NOTE", "no effect");
}

START_TEST(test_assumptions_one_line)
{
	assumptions();
	const char *tags[16];
	size_t counts[16];
	size_t n = rdata_assumption_tags(R, tags, counts, 16);
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(tags[0], "INF");
	ck_assert_uint_eq(counts[0], 3);
	ck_assert_str_eq(tags[6], "SET");
	ck_assert_uint_eq(counts[6], 2);
	rtext_opts opts = {.no_read_more = true};
	const char *t = text_of(&opts);
	/* the counts, and what the scenario set, with values */
	ck_assert_str_eq(t, "ecsim run\n\n"
	    "Assumptions: 3 INF, 1 OBS, 1 UNCONFIRMED, 1 AWS-STAFF, 1 DOC "
	    "defaults, 1 NOTE\n"
	    "  (accepted, no effect); 2 set by the scenario: ecs.schedulerDelay = "
	    "2s,\n"
	    "  behaviour.default = pull 5s - list them with --assumptions\n");
}
END_TEST

START_TEST(test_assumptions_all_on_request)
{
	assumptions();
	rtext_opts opts = {.all_assumptions = true, .no_read_more = true};
	const char *t = text_of(&opts);
	HAS(t, "\nAssumptions in force (10)\n"
	    "  ecs.schedulerDelay = 2s [SET]\n"
	    "      time to the next pass\n"
	    "  a.one = 1 [INF]\n      one\n");
	HAS(t, "  tags = accepted [NOTE]\n      no effect\n");
	LACKS(t, "list them with --assumptions");
}
END_TEST

/* ---- the seed scenario through the real loader and model ---- */

START_TEST(test_seed_summary_is_short_and_results_first)
{
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	cli_result res;
	sim_error err;
	sim_error_clear(&err);
	ck_assert_int_eq(cli_run_scenario("scenarios/seed-article.json", &o, &res,
	    &err), 0);
	rtext_opts opts = {.outdir = "out/seed-article"};
	rtext_write_opts(O, res.rec, res.verdicts, &opts);
	const char *t = rout_mem_text(O, NULL);
	int lines = 0, service_line = 0;
	for (const char *p = t; *p != '\0'; p++)
		if (*p == '\n') {
			lines++;
			if (service_line == 0 && strncmp(p + 1, "Service ", 8) == 0)
				service_line = lines + 1;
		}
	ck_assert_msg(lines < 60, "the seed summary is %d lines:\n%s", lines, t);
	/* results first: the service after the four lines of the run */
	ck_assert_int_eq(service_line, 6);
	const char *dep2 = strstr(t, "Deployment 2: my-microservice-task:1 -> "
	    "my-microservice-task:2");
	const char *verdicts = strstr(t, "\nExpectations: 9 passed, 0 failed\n");
	const char *assume = strstr(t, "\nAssumptions: ");
	const char *more = strstr(t, "\nreport: out/seed-article/report.html");
	ck_assert(dep2 != NULL && verdicts != NULL && assume != NULL &&
	    more != NULL);
	ck_assert(dep2 < verdicts && verdicts < assume && assume < more);
	HAS(t, "    tasks: 2 started, 2 stopped; lowest healthy 2 (minimum 2)\n");
	HAS(t, "  requests:           600,000, errors 1,010 (0.1683%)\n");
	cli_result_free(&res);
}
END_TEST

/* ---- summary.json's names ---- */

/* The keys of object o, comma-separated, in order. */
static char *
keys(const cJSON *o)
{
	rout *b = rout_mem();
	for (const cJSON *c = o ? o->child : NULL; c != NULL; c = c->next)
		rout_printf(b, "%s%s", c == o->child ? "" : ",", c->string);
	char *s = strdup(rout_mem_text(b, NULL));
	rout_free(b);
	return s;
}

#define KEYS(obj, want) do { \
	char *k_ = keys(obj); \
	ck_assert_str_eq(k_, want); \
	free(k_); \
} while (0)

START_TEST(test_json_field_names)
{
	/* Readers depend on these names: renaming one is a schemaVersion
	 * bump and a line in docs/summary-json.md. */
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	cli_result res;
	sim_error err;
	sim_error_clear(&err);
	ck_assert_int_eq(cli_run_scenario("scenarios/bad-image-rollback.json", &o,
	    &res, &err), 0);
	cJSON *root = rjson_build(res.rec, res.verdicts);
	ck_assert_int_eq(RJSON_SCHEMA_VERSION, 1);
	KEYS(root, "schemaVersion,info,assumptions,services,clusters,totals,"
	    "series,facts,expectations");
	KEYS(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "services"), 0),
	    "name,cluster,deployments,failedDeployments,rollbacks,peakRunning,"
	    "peakRunningAt,peakDesired,peakPending,lowestHealthy,"
	    "lowestHealthySince,lowestHealthyOutsideDeployments,"
	    "placementFailures,scalingActivities,peakCpuPercent,"
	    "peakMemoryPercent,requests,errors,errorPercent,latencyP50Ms,"
	    "latencyP95Ms,latencyP99Ms,peakLatencyP99Ms,costUSD");
	KEYS(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "clusters"), 0),
	    "name,peakInstances,peakInstancesAt,peakCpuReservation,"
	    "peakMemoryReservation,instanceHours,costUSD");
	KEYS(cJSON_GetObjectItem(root, "totals"),
	    "tasksLaunched,requests,errors,errorPercent,costUSD");
	KEYS(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "series"), 0),
	    "name,unit,samples,min,max,mean,last");
	KEYS(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "assumptions"), 0),
	    "name,value,tag,note");
	const cJSON *e = cJSON_GetObjectItem(root, "expectations");
	KEYS(e, "passed,failed,verdicts");
	KEYS(cJSON_GetArrayItem(cJSON_GetObjectItem(e, "verdicts"), 0),
	    "name,kind,pass,noData,measured,bound,message,file,line");
	const cJSON *facts = cJSON_GetObjectItem(root, "facts");
	/* a failed task's record, and one the rollback stopped */
	const cJSON *tasks = cJSON_GetObjectItem(facts, "task");
	ck_assert_int_eq(cJSON_GetArraySize(tasks), 23);
	KEYS(cJSON_GetArrayItem(tasks, 10), "service,cluster,task,deployment,"
	    "deploymentStart,taskDefinition,created,pullStart,stopped,lastStatus,"
	    "stopCode,stoppedReason,failed");
	KEYS(cJSON_GetArrayItem(tasks, 11), "service,cluster,task,deployment,"
	    "deploymentStart,taskDefinition,created,stoppedBy,stoppedByStart,"
	    "pullStart,stopped,lastStatus,stopCode,stoppedReason,failed");
	/* a task still running at the end */
	KEYS(cJSON_GetArrayItem(tasks, 0), "service,cluster,task,deployment,"
	    "deploymentStart,taskDefinition,created,pullStart,running,healthy,"
	    "lastStatus,failed");
	cJSON_Delete(root);
	cli_result_free(&res);
}
END_TEST

Suite *
summary_suite(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("summary");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_traffic_rounded_once);
	tcase_add_test(tc, test_run_fact_when_no_service_counts);
	tcase_add_test(tc, test_pct);
	tcase_add_test(tc, test_same_numbers_in_text_json_html);
	tcase_add_test(tc, test_rollback_without_starts);
	tcase_add_test(tc, test_deployment_phrases);
	tcase_add_test(tc, test_scaling_in_short);
	tcase_add_test(tc, test_assumptions_one_line);
	tcase_add_test(tc, test_assumptions_all_on_request);
	tcase_add_test(tc, test_seed_summary_is_short_and_results_first);
	tcase_add_test(tc, test_json_field_names);
	suite_add_tcase(s, tc);
	return s;
}
