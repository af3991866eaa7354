/*
 * Tests for reports/: what a user reads in each output, from a synthetic
 * recorder shaped like docs/observations.md. Exact text for the CSV, the
 * event log and text wrapping; numbers read back from summary.json; the
 * HTML's charts, escaping and self-containment; JUnit counts and
 * escaping; the writer's temp-and-rename discipline and its error path
 * (a write failure injected through rout); byte-identical output for the
 * same recorder.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "reports/events_log.h"
#include "reports/expect.h"
#include "reports/junit.h"
#include "reports/markdown.h"
#include "reports/report_html.h"
#include "reports/rout.h"
#include "reports/summary_json.h"
#include "reports/summary_text.h"
#include "reports/timeline_csv.h"
#include "reports/writer.h"
#include "sim/xalloc.h"
#include "tests/rep_fixture.h"
#include "tests/suites.h"

#define DNAN ((double)NAN)

static recorder *R;
static rout *O;
static char TMP[64];
static sim_error err;

static void
rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d != NULL && (e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char *sub = xasprintf("%s/%s", path, e->d_name);
			rm_tree(sub);
			free(sub);
		}
		if (d != NULL)
			closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

static void
setup(void)
{
	R = rec_new();
	O = rout_mem();
	snprintf(TMP, sizeof(TMP), "/tmp/ecsim-reports-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(TMP));
	sim_error_clear(&err);
	rout_inject_failure(0, 0);
}

static void
teardown(void)
{
	rout_inject_failure(0, 0);
	rout_free(O);
	rec_free(R);
	rm_tree(TMP);
}

static const char *
text(void)
{
	return rout_mem_text(O, NULL);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p != NULL;
	    p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

/* Put a row of values for ids[0..n-1] at time t (seconds) into r. */
static void
row(recorder *r, double t, const int *ids, const double *v, int n)
{
	rec_row(r, (sim_time)llround(t * 1e6));
	for (int i = 0; i < n; i++)
		if (!isnan(v[i]))
			rec_put(r, ids[i], v[i]);
}

/*
 * A 20-minute run of one service "web" on cluster "default": web:1
 * created at 0, web:2 deployed at 5m and completed at 11m30s, a scale-out
 * at 14m, one placement failure, traffic with latency and cost.
 */
void
realistic(recorder *r, const char *service)
{
	char name[128];
	rec_info(r, "scenario", "seed-article");
	rec_info(r, "scenarioFile", "scenarios/seed-article.json");
	rec_info(r, "description", "Two instances behind an ALB, 2 tasks of "
	    "256 CPU; revision 2 deployed at 5m; CPU target 50%.");
	rec_info(r, "seed", "1");
	rec_info(r, "generator", "taus2");
	rec_info(r, "gslVersion", "2.7");
	rec_info(r, "ecsimVersion", "0.1.0");
	rec_info(r, "duration", "20m");
	rec_info(r, "durationSeconds", "1200");
	rec_info(r, "sampleInterval", "1m");
	rec_info(r, "sampleIntervalSeconds", "60");
	rec_info(r, "events", "4321");
	rec_assume(r, "health.alb.initialChecksToHealthy", "1", "INF",
	    "A new target turns healthy after one passing check (observed in "
	    "the console; AWS documents only HealthyThresholdCount).");
	rec_assume(r, "placement.ties", "uniform random among tied candidates",
	    "UNCONFIRMED", "");
	rec_assume(r, "scenario.tags", "accepted", "NOTE",
	    "field accepted, no effect in the simulation");

	static const char *const metrics[] = {"desired", "pending", "running",
	    "healthy", "minHealthy", "rev/web:1", "rev/web:2", "cpu", "memory",
	    "cpuTarget", "requests", "errors", "latencyP50", "latencyP95",
	    "latencyP99", "deploying"};
	enum { NM = sizeof(metrics) / sizeof(metrics[0]) };
	int ids[NM + 3];
	static const char *const units[] = {"tasks", "tasks", "tasks", "tasks",
	    "tasks", "tasks", "tasks", "percent", "percent", "percent",
	    "requests", "requests", "ms", "ms", "ms", "0/1"};
	for (int i = 0; i < NM; i++) {
		snprintf(name, sizeof(name), "service/%s/%s", service, metrics[i]);
		ids[i] = rec_series(r, name, units[i]);
	}
	ids[NM] = rec_series(r, "cluster/default/instances", "instances");
	ids[NM + 1] = rec_series(r, "cluster/default/cpuReservation", "percent");
	ids[NM + 2] = rec_series(r, "cluster/default/costUSD", "USD");
	for (int m = 0; m <= 20; m++) {
		double desired = m < 14 ? 2 : 4;
		double r1 = m < 5 ? 2 : m < 8 ? 2 : m < 11 ? 1 : 0;
		double r2 = m < 5 ? 0 : m < 8 ? 2 : m < 11 ? 2 : m < 14 ? 2 :
		    m < 15 ? 3 : 4;
		if (m == 0)
			r1 = 0;
		double running = r1 + r2;
		double healthy = m == 0 ? 0 : m == 8 ? 1 : running > 4 ? 4 :
		    running - (m == 14 ? 1 : 0);
		double req = m == 0 ? 0 : 6000 + 400 * m;
		double v[NM + 3] = {
			desired, m == 0 ? 2 : m == 14 ? 2 : 0, running, healthy,
			m < 5 ? 2 : 2, r1, m < 5 ? DNAN : r2,
			m == 0 ? DNAN : 30 + 2.5 * m - (m >= 15 ? 20 : 0),
			m == 0 ? DNAN : 41.5, 50, req, m == 8 ? 12 : m > 0 ? 1 : 0,
			m == 0 ? DNAN : 11.5, m == 0 ? DNAN : 38, m == 0 ? DNAN :
			80 + (m == 8 ? 120 : 0), m >= 5 && m < 12 ? 1 : 0,
			m < 16 ? 2 : 3, 25 + 12.5 * (m >= 5 && m < 12), 0.0104 * m,
		};
		row(r, 60.0 * m, ids, v, NM + 3);
	}
	snprintf(name, sizeof(name), "service/%s", service);
	rec_event_add(r, 0, name, "ecs", "(service %s) has started 2 tasks: "
	    "(task 1a2b) (task 3c4d).", service);
	rec_event_add(r, 95 * SIM_SEC, name, "ecs", "(service %s) has reached a "
	    "steady state.", service);
	rec_event_add(r, 300 * SIM_SEC + 250 * SIM_MS, name, "ecs",
	    "(service %s) has started 2 tasks: (task 5e6f) (task 7a8b).",
	    service);
	rec_event_add(r, 840 * SIM_SEC, "aas/web", "scaling",
	    "Successfully set desired count to 4. Change successfully "
	    "fulfilled by ecs.");

	rec_fact *f = rec_fact_new(r, "deployment");
	rec_fact_str(f, "service", service);
	rec_fact_str(f, "cluster", "default");
	rec_fact_str(f, "id", "ecs-svc/1");
	rec_fact_str(f, "taskDefinition", "web:1");
	rec_fact_str(f, "from", "");
	rec_fact_str(f, "cause", "service created");
	rec_fact_time(f, "start", 0);
	rec_fact_time(f, "end", 95 * SIM_SEC);
	rec_fact_time(f, "duration", 95 * SIM_SEC);
	rec_fact_str(f, "rolloutState", "COMPLETED");
	rec_fact_int(f, "desiredCount", 2);
	rec_fact_int(f, "minimumHealthy", 2);
	rec_fact_int(f, "lowestHealthy", 0);
	rec_fact_int(f, "tasksStarted", 2);
	rec_fact_int(f, "tasksStopped", 0);
	rec_fact_int(f, "tasksFailed", 0);
	rec_fact_int(f, "placementFailures", 0);
	rec_fact_bool(f, "circuitBreakerTriggered", false);
	rec_fact_bool(f, "rollback", false);
	rec_fact_time(f, "timeStart", 35 * SIM_SEC);
	rec_fact_time(f, "timeHealth", 60 * SIM_SEC);

	f = rec_fact_new(r, "deployment");
	rec_fact_str(f, "service", service);
	rec_fact_str(f, "cluster", "default");
	rec_fact_str(f, "id", "ecs-svc/2");
	rec_fact_str(f, "taskDefinition", "web:2");
	rec_fact_str(f, "from", "web:1");
	rec_fact_str(f, "cause", "new task definition");
	rec_fact_time(f, "start", 300 * SIM_SEC);
	rec_fact_time(f, "end", 690 * SIM_SEC);
	rec_fact_time(f, "duration", 390 * SIM_SEC);
	rec_fact_str(f, "rolloutState", "COMPLETED");
	rec_fact_int(f, "desiredCount", 2);
	rec_fact_int(f, "maximumPercent", 200);
	rec_fact_int(f, "minimumHealthyPercent", 100);
	rec_fact_int(f, "minimumHealthy", 2);
	rec_fact_int(f, "lowestHealthy", 1);
	rec_fact_int(f, "tasksStarted", 2);
	rec_fact_int(f, "tasksStopped", 2);
	rec_fact_int(f, "tasksFailed", 0);
	rec_fact_int(f, "placementFailures", 1);
	rec_fact_bool(f, "circuitBreakerTriggered", false);
	rec_fact_bool(f, "rollback", false);
	rec_fact_time(f, "timeStart", 32500 * SIM_MS);
	rec_fact_time(f, "timeHealth", 61 * SIM_SEC);
	rec_fact_time(f, "timeDraining", 300 * SIM_SEC);
	rec_fact_time(f, "timeStopping", 2 * SIM_SEC);

	f = rec_fact_new(r, "service");
	rec_fact_str(f, "name", service);
	rec_fact_str(f, "cluster", "default");
	rec_fact_time(f, "createdAt", 0);
	rec_fact_int(f, "lowestHealthy", 2);
	rec_fact_int(f, "placementFailures", 1);
	rec_fact_int(f, "maxRunning", 4);
	rec_fact_int(f, "requests", 185200);
	rec_fact_int(f, "errors", 31);
	rec_fact_num(f, "latencyP50", 11.5);
	rec_fact_num(f, "latencyP95", 38);
	rec_fact_num(f, "latencyP99", 84.25);
	rec_fact_num(f, "costUSD", 0.1234);

	f = rec_fact_new(r, "placement_failure");
	rec_fact_str(f, "service", service);
	rec_fact_time(f, "time", 305 * SIM_SEC);
	rec_fact_str(f, "message", "service web was unable to place a task "
	    "because no container instance met all of its requirements. The "
	    "closest matching container-instance 0a1b2c3d4e5f is already using "
	    "a port required by your task.");

	f = rec_fact_new(r, "scaling_activity");
	snprintf(name, sizeof(name), "service/default/%s", service);
	rec_fact_str(f, "resource", name);
	rec_fact_time(f, "time", 840 * SIM_SEC);
	rec_fact_str(f, "cause", "monitor alarm TargetTracking-service/default/"
	    "web-AlarmHigh in state ALARM triggered policy cpu50");
	rec_fact_int(f, "from", 2);
	rec_fact_int(f, "to", 4);
	rec_fact_str(f, "policy", "cpu50");

	f = rec_fact_new(r, "cluster");
	rec_fact_str(f, "name", "default");
	rec_fact_int(f, "maxInstances", 3);
	rec_fact_num(f, "instanceHours", 0.75);
	rec_fact_num(f, "costUSD", 0.208);

	f = rec_fact_new(r, "run");
	rec_fact_int(f, "events", 4321);
	rec_fact_int(f, "tasksLaunched", 6);
	rec_fact_int(f, "requests", 185200);
	rec_fact_int(f, "errors", 31);
	rec_fact_num(f, "costUSD", 0.208);
}

/* ---- rout ---- */

START_TEST(test_rout_mem_and_escape)
{
	rout_puts(O, "a");
	rout_putc(O, 'b');
	rout_printf(O, "%d%s", 12, "c");
	rout_xml(O, "<x a=\"1\">&'\x01\n");
	rout_putc(O, '|');
	rout_xml_attr(O, "l1\nl2\tx\r");
	ck_assert_str_eq(text(), "ab12c&lt;x a=&quot;1&quot;&gt;&amp;&#39;"
	    "\xEF\xBF\xBD\n|l1&#10;l2&#9;x&#13;");
	ck_assert_uint_eq(rout_length(O), strlen(text()));
	ck_assert_int_eq(rout_flush(O), 0);
}
END_TEST

START_TEST(test_rout_long_printf)
{
	char big[3000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	rout_printf(O, "[%s]", big);
	ck_assert_uint_eq(strlen(text()), sizeof(big) + 1);
}
END_TEST

START_TEST(test_rout_fd_failure_is_sticky)
{
	char *path = xasprintf("%s/f", TMP);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	rout *o = rout_file(f);
	rout_puts(o, "first\n");
	ck_assert_int_eq(rout_flush(o), 0);
	rout_inject_failure(1, ENOSPC);
	rout_puts(o, "second\n");
	ck_assert_int_eq(rout_flush(o), ENOSPC);
	rout_puts(o, "third\n");
	ck_assert_int_eq(rout_flush(o), ENOSPC);
	ck_assert_int_eq(rout_error(o), ENOSPC);
	rout_free(o);
	fclose(f);
	f = fopen(path, "r");
	char buf[64] = "";
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	ck_assert_str_eq(buf, "first\n");
	free(path);
}
END_TEST

/* ---- CSV ---- */

START_TEST(test_csv_exact)
{
	int a = rec_series(R, "service/web/running", "tasks");
	int b = rec_series(R, "service/web/cpu", "percent");
	int c = rec_series(R, "odd,\"name\"", "");
	rec_row(R, 0);
	rec_put(R, a, 2);
	rec_row(R, 60 * SIM_SEC);
	rec_put(R, a, 3);
	rec_put(R, b, 37.123456789);
	rec_put(R, c, -0.5);
	rec_row(R, 90 * SIM_SEC + 500 * SIM_MS);
	rec_put(R, b, 1e-7);
	rec_put(R, c, 123456789012.0);
	rcsv_write(O, R);
	ck_assert_str_eq(text(),
	    "time_s,service/web/running,service/web/cpu,\"odd,\"\"name\"\"\"\n"
	    "0,2,,\n"
	    "60,3,37.1234568,-0.5\n"
	    "90.5,,1e-07,123456789012\n");
}
END_TEST

START_TEST(test_csv_values)
{
	char b[64];
	ck_assert_str_eq(rcsv_value(b, sizeof(b), -3), "-3");
	ck_assert_str_eq(rcsv_value(b, sizeof(b), -0.0), "0");
	ck_assert_str_eq(rcsv_value(b, sizeof(b), 999999999999999.0),
	    "999999999999999");
	ck_assert_str_eq(rcsv_value(b, sizeof(b), 1e15), "1e+15");
	ck_assert_str_eq(rcsv_value(b, sizeof(b), 0.1), "0.1");
	ck_assert_str_eq(rcsv_value(b, sizeof(b), 2.0 / 3), "0.666666667");
	ck_assert_str_eq(rcsv_value(b, sizeof(b), DNAN), "");
	ck_assert_str_eq(rcsv_value(b, sizeof(b), (double)INFINITY), "inf");
}
END_TEST

START_TEST(test_csv_empty)
{
	rcsv_write(O, R);
	ck_assert_str_eq(text(), "time_s\n");
}
END_TEST

START_TEST(test_csv_realistic_shape)
{
	realistic(R, "web");
	rcsv_write(O, R);
	const char *t = text();
	ck_assert_uint_eq(count(t, "\n"), 22);
	ck_assert(strncmp(t, "time_s,service/web/desired,service/web/pending,", 47)
	    == 0);
	/* a row where cpu is NaN (no tasks yet): empty field */
	ck_assert_ptr_nonnull(strstr(t, "\n0,2,2,0,0,2,0,,,,50,0,0,"));
	ck_assert_ptr_nonnull(strstr(t, "\n1200,4,0,4,4,2,0,4,60,41.5,50,14000,"
	    "1,11.5,38,80,0,3,25,0.208\n"));
}
END_TEST

/* ---- events.log ---- */

START_TEST(test_events_log)
{
	rec_event_add(R, 0, "service/web", "ecs", "(service web) has started 2 "
	    "tasks: (task 1a2b) (task 3c4d).");
	rec_event_add(R, 65 * SIM_SEC + 250 * SIM_MS, "tg/web-tg",
	    "target-health", "target (task 1a2b) in tg/web-tg: initial -> "
	    "healthy");
	rec_event_add(R, SIM_DAY + 2 * SIM_HOUR + 5 * SIM_SEC, "sim", "sim",
	    "line one\nline two");
	revents_write(O, R);
	ck_assert_str_eq(text(),
	    "00:00:00  service/web  (service web) has started 2 tasks: (task "
	    "1a2b) (task 3c4d).\n"
	    "00:01:05.250  tg/web-tg  target (task 1a2b) in tg/web-tg: initial "
	    "-> healthy\n"
	    "1d+02:00:05  sim  line one line two\n");
}
END_TEST

/* ---- JSON ---- */

static cJSON *
json_of(const recorder *r, const expect_result *res)
{
	rjson_write(O, r, res);
	cJSON *root = cJSON_Parse(text());
	ck_assert_ptr_nonnull(root);
	return root;
}

static double
jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", key);
	return v->valuedouble;
}

static const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	ck_assert_msg(cJSON_IsString(v), "%s is not a string", key);
	return v->valuestring;
}

START_TEST(test_json_summary)
{
	realistic(R, "web");
	cJSON *root = json_of(R, NULL);
	const cJSON *info = cJSON_GetObjectItem(root, "info");
	ck_assert_str_eq(jstr(info, "scenario"), "seed-article");
	ck_assert(jnum(info, "seed") == 1);
	ck_assert(jnum(info, "durationSeconds") == 1200);
	ck_assert(jnum(info, "events") == 4321);
	ck_assert_str_eq(jstr(info, "duration"), "20m");
	ck_assert_ptr_null(cJSON_GetObjectItem(root, "expectations"));

	const cJSON *as = cJSON_GetObjectItem(root, "assumptions");
	ck_assert_int_eq(cJSON_GetArraySize(as), 3);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(as, 1), "tag"), "UNCONFIRMED");

	const cJSON *svc = cJSON_GetArrayItem(cJSON_GetObjectItem(root,
	    "services"), 0);
	ck_assert_str_eq(jstr(svc, "name"), "web");
	ck_assert_str_eq(jstr(svc, "cluster"), "default");
	ck_assert(jnum(svc, "deployments") == 2);
	ck_assert(jnum(svc, "peakRunning") == 4);
	ck_assert(jnum(svc, "peakRunningAt") == 300);
	ck_assert(jnum(svc, "peakDesired") == 4);
	/* from the first steady state (web:1 completed at 95 s): the least
	 * of the drops the model saw (deployment 2: 1) and the samples */
	ck_assert(jnum(svc, "lowestHealthy") == 1);
	ck_assert(jnum(svc, "lowestHealthySince") == 95);
	ck_assert(jnum(svc, "lowestHealthyOutsideDeployments") == 2);
	/* the counts every report shows: the service fact's, integers (the
	 * series' sum, 204,000, is not what the text and HTML say) */
	ck_assert(jnum(svc, "requests") == 185200);
	ck_assert(jnum(svc, "errors") == 31);
	ck_assert(fabs(jnum(svc, "errorPercent") - 100.0 * 31 / 185200) < 1e-12);
	ck_assert(jnum(svc, "latencyP99Ms") == 84.25);
	ck_assert(jnum(svc, "peakLatencyP99Ms") == 200);
	ck_assert(jnum(svc, "costUSD") == 0.1234);
	ck_assert(jnum(svc, "scalingActivities") == 1);
	ck_assert(jnum(svc, "placementFailures") == 1);
	ck_assert(jnum(svc, "failedDeployments") == 0);
	ck_assert(jnum(root, "schemaVersion") == 1);
	const cJSON *tot = cJSON_GetObjectItem(root, "totals");
	ck_assert(jnum(tot, "requests") == 185200);
	ck_assert(jnum(tot, "errors") == 31);
	ck_assert(jnum(tot, "tasksLaunched") == 6);
	const cJSON *cl = cJSON_GetArrayItem(cJSON_GetObjectItem(root,
	    "clusters"), 0);
	ck_assert(jnum(cl, "peakInstances") == 3);
	ck_assert(jnum(cl, "peakInstancesAt") == 960);
	ck_assert(fabs(jnum(cl, "costUSD") - 0.208) < 1e-12);
	ck_assert(jnum(cl, "instanceHours") == 0.75);

	/* series statistics: NaN samples are skipped */
	const cJSON *series = cJSON_GetObjectItem(root, "series");
	const cJSON *rev2 = cJSON_GetArrayItem(series, 6);
	ck_assert_str_eq(jstr(rev2, "name"), "service/web/rev/web:2");
	ck_assert(jnum(rev2, "samples") == 16);
	ck_assert(jnum(rev2, "min") == 2);
	ck_assert(jnum(rev2, "last") == 4);

	/* facts: typed fields, times in seconds */
	const cJSON *facts = cJSON_GetObjectItem(root, "facts");
	const cJSON *dep = cJSON_GetArrayItem(cJSON_GetObjectItem(facts,
	    "deployment"), 1);
	ck_assert_str_eq(jstr(dep, "taskDefinition"), "web:2");
	ck_assert(jnum(dep, "start") == 300);
	ck_assert(jnum(dep, "duration") == 390);
	ck_assert(jnum(dep, "timeStart") == 32.5);
	ck_assert(jnum(dep, "lowestHealthy") == 1);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(dep,
	    "circuitBreakerTriggered")));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(facts,
	    "placement_failure")), 1);
	ck_assert(jnum(cJSON_GetArrayItem(cJSON_GetObjectItem(facts, "run"), 0),
	    "tasksLaunched") == 6);
	/* tables in order of first use */
	ck_assert_str_eq(cJSON_GetArrayItem(facts, 0)->string, "deployment");
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_json_nan_is_null)
{
	int a = rec_series(R, "service/web/cpu", "percent");
	rec_row(R, 0);
	rec_fact *f = rec_fact_new(R, "service");
	rec_fact_str(f, "name", "web");
	rec_fact_num(f, "latencyP99", DNAN);
	(void)a;
	cJSON *root = json_of(R, NULL);
	const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "series"), 0);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(s, "min")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(s, "mean")));
	ck_assert(jnum(s, "samples") == 0);
	const cJSON *fs = cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(root, "facts"), "service"), 0);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(fs, "latencyP99")));
	/* the service is listed, without peaks of series it lacks */
	const cJSON *svc = cJSON_GetArrayItem(cJSON_GetObjectItem(root,
	    "services"), 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(svc, "peakRunning"));
	cJSON_Delete(root);
}
END_TEST

/* An expectation result over R from assertion text. */
static expect_result *
verdicts_for(const char *doc, arena **a, jr_loader **L, expect_set **x)
{
	jr_val root, v;
	jr_obj o;
	*a = arena_new();
	*L = jr_loader_new(*a);
	*x = expect_new();
	ck_assert_int_eq(jr_load_text(*L, "t.json", doc, &root, &err), 0);
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, "expect", &v));
	ck_assert_int_eq(expect_parse(*x, &v, &err), 0);
	return expect_eval(*x, R);
}

static const char *const two_verdicts =
    "{\"expect\": ["
    "{\"name\": \"deploys <fast> & \\\"well\\\"\", \"deploymentCompletes\": "
    "{\"service\": \"web\", \"within\": \"5m\"}},"
    "{\"runningTasksNeverAbove\": {\"service\": \"web\", \"count\": 4}},"
    "{\"latencyAtMost\": {\"service\": \"web\", \"percentile\": 99, "
    "\"ms\": 100}}]}";

START_TEST(test_json_expectations)
{
	arena *a;
	jr_loader *L;
	expect_set *x;
	realistic(R, "web");
	expect_result *res = verdicts_for(two_verdicts, &a, &L, &x);
	cJSON *root = json_of(R, res);
	const cJSON *e = cJSON_GetObjectItem(root, "expectations");
	ck_assert(jnum(e, "passed") == 2);
	ck_assert(jnum(e, "failed") == 1);
	const cJSON *v0 = cJSON_GetArrayItem(cJSON_GetObjectItem(e, "verdicts"),
	    0);
	ck_assert_str_eq(jstr(v0, "name"), "deploys <fast> & \"well\"");
	ck_assert_str_eq(jstr(v0, "kind"), "deploymentCompletes");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(v0, "pass")));
	ck_assert_str_eq(jstr(v0, "measured"), "deployment 2 (web:2) took 6m30s");
	ck_assert_str_eq(jstr(v0, "bound"), "COMPLETED within 5m");
	cJSON_Delete(root);
	expect_result_free(res);
	expect_free(x);
	jr_loader_free(L);
	arena_free(a);
}
END_TEST

/* ---- text summary ---- */

/* needle is in hay; on failure the whole text is shown */
#define HAS(hay, needle) ck_assert_msg(strstr((hay), (needle)) != NULL, \
    "missing:\n%s\n--- in:\n%.3000s", (needle), (hay))

static void
assert_fits_80(const char *t)
{
	int line = 1;
	for (const char *p = t; *p != '\0'; line++) {
		const char *nl = strchr(p, '\n');
		ck_assert_msg(nl != NULL, "line %d does not end with a newline",
		    line);
		int w = 0;
		for (const char *q = p; q < nl; q++)
			if (((unsigned char)*q & 0xC0) != 0x80)
				w++;
		ck_assert_msg(w <= 80, "line %d is %d columns: %.*s", line, w,
		    (int)(nl - p), p);
		p = nl + 1;
	}
}

START_TEST(test_text_summary)
{
	arena *a;
	jr_loader *L;
	expect_set *x;
	realistic(R, "web");
	expect_result *res = verdicts_for(two_verdicts, &a, &L, &x);
	rtext_write(O, R, res);
	const char *t = text();
	assert_fits_80(t);
	/* the run in four lines, then results: no description */
	const char *head = "ecsim run: seed-article\n"
	    "  file:               scenarios/seed-article.json\n"
	    "  seed:               1 (generator taus2, GSL 2.7)\n"
	    "  duration:           20m, sampled every 1m; 4,321 engine events\n"
	    "\n"
	    "Service web (cluster default)\n";
	ck_assert_msg(strncmp(t, head, strlen(head)) == 0, "%s", t);
	ck_assert_ptr_null(strstr(t, "Two instances behind an ALB"));
	HAS(t, "\nService web (cluster default)\n"
	    "  Deployment 1: web:1 (service created)\n"
	    "    00:00:00 -> 00:01:35, 1m35s, COMPLETED\n"
	    "    tasks: 2 started; lowest healthy 0 (service creation)\n"
	    "    where the time went (mean per task): start 35s, health 1m\n"
	    "  Deployment 2: web:1 -> web:2 (new task definition)\n"
	    "    00:05:00 -> 00:11:30, 6m30s, COMPLETED\n"
	    "    tasks: 2 started, 2 stopped; 1 placement failure; lowest "
	    "healthy 1 (minimum\n"
	    "      2) - BELOW THE MINIMUM\n"
	    "    where the time went (mean per task): start 32.5s, health 1m1s, "
	    "draining 5m,\n"
	    "      stopping 2s\n"
	    "  running tasks:      peak 4 at 00:05:00 (desired peak 4)\n"
	    "  lowest healthy:     1 after creation (2 outside deployments)\n"
	    "  placement failures: 1\n"
	    "  scaling:            1 activity\n"
	    "    00:14:00 2 -> 4 policy cpu50, alarm AlarmHigh\n"
	    "  requests:           185,200, errors 31 (0.01674%)\n"
	    "  latency:            p50 11.5 ms, p95 38 ms, p99 84.25 ms\n"
	    "  cost:               $0.1234\n");
	HAS(t, "\nCluster default\n"
	    "  instances:          peak 3 at 00:16:00, 0.75 instance-hours\n"
	    "  cost:               $0.208\n");
	HAS(t, "\nPlacement failures (1)\n"
	    "  00:05:05 web: service web was unable to place a task because no "
	    "container\n");
	/* verdicts: failures first, with what was measured; passes one line */
	HAS(t, "\nExpectations: 2 passed, 1 failed\n"
	    "  FAIL  deploys <fast> & \"well\"\n"
	    "        measured deployment 2 (web:2) took 6m30s, expected COMPLETED "
	    "within 5m\n"
	    "  PASS  web: running tasks never above 4\n"
	    "  PASS  web: p99 latency at most 100 ms\n");
	/* assumptions: one line of counts by tag; notes only on request */
	HAS(t, "\nAssumptions: 1 INF, 1 UNCONFIRMED, 1 "
	    "NOTE (accepted, no effect) - list them with\n  --assumptions\n");
	ck_assert_ptr_null(strstr(t, "initialChecksToHealthy"));
	/* and where to read more, last */
	const char *tail = "\nmore: -o DIR writes report.html (charts, each "
	    "deployment, events), summary.json,\n  timeline.csv, events.log\n";
	ck_assert_str_eq(t + strlen(t) - strlen(tail), tail);
	expect_result_free(res);
	expect_free(x);
	jr_loader_free(L);
	arena_free(a);
}
END_TEST

START_TEST(test_text_omits_empty_sections)
{
	int d = rec_series(R, "service/api/desired", "tasks");
	rec_row(R, 0);
	rec_put(R, d, 1);
	rtext_opts opts = {.no_read_more = true};
	rtext_write_opts(O, R, NULL, &opts);
	const char *t = text();
	ck_assert_str_eq(t, "ecsim run\n"
	    "  duration:           0s\n"
	    "\n"
	    "Service api\n");
}
END_TEST

START_TEST(test_text_wrap)
{
	rout_puts(O, "key: ");
	rtext_wrap(O, 5, 4, "alpha beta gamma delta epsilon zeta eta theta iota "
	    "kappa lambda mu nu xi omicron pi rho sigma");
	rout_puts(O, "> ");
	rtext_wrap(O, 2, 2, "arn:aws:ecs:us-east-1:123456789012:task/default/"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef "
	    "end");
	ck_assert_str_eq(text(),
	    "key: alpha beta gamma delta epsilon zeta eta theta iota kappa lambda "
	    "mu nu xi\n"
	    "    omicron pi rho sigma\n"
	    "> arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef"
	    "0123456789abcd\n"
	    "  ef0123456789abcdef0123456789abcdef end\n");
	assert_fits_80(text());
}
END_TEST

START_TEST(test_text_long_names_fit)
{
	char svc[200];
	memset(svc, 's', 150);
	svc[150] = '\0';
	realistic(R, svc);
	rec_info(R, "scenario", "a-scenario-name-that-is-far-too-long-for-one-line-"
	    "of-the-terminal-summary-really");
	rtext_write(O, R, NULL);
	assert_fits_80(text());
}
END_TEST

/* ---- HTML ---- */

START_TEST(test_html_charts)
{
	realistic(R, "web");
	rhtml_write(O, R, NULL);
	const char *t = text();
	ck_assert(strncmp(t, "<!DOCTYPE html>\n", 16) == 0);
	ck_assert_ptr_nonnull(strstr(t, "</html>\n"));
	/* tasks by revision, healthy, CPU, requests, errors, latency;
	 * instances, reservation, cost (the fixture has no task records: its
	 * zoom panels have no timeline) */
	ck_assert_uint_eq(count(t, "<svg"), 9);
	ck_assert_uint_eq(count(t, "</svg>"), 9);
	ck_assert_ptr_nonnull(strstr(t, ">Tasks by revision<"));
	ck_assert_ptr_nonnull(strstr(t, ">Healthy vs desired<"));
	ck_assert_ptr_nonnull(strstr(t, ">minimum healthy<"));
	ck_assert_ptr_nonnull(strstr(t, ">CPU target<"));
	/* both deployments shaded on each of the 6 service charts */
	ck_assert_uint_eq(count(t, "<rect class=\"dep\""), 12);
	/* the scale-out marked on each service chart, labelled on the first */
	ck_assert_uint_eq(count(t, "<g class=\"sc\">"), 1);
	ck_assert_uint_eq(count(t, "<g class=\"sc faint\">"), 5);
	ck_assert_ptr_nonnull(strstr(t, "<h3>Deployments</h3>"));
	ck_assert_ptr_nonnull(strstr(t, "<h2>Assumptions in force "));
	ck_assert_ptr_nonnull(strstr(t, "@media print"));
	/* self-contained: one inline script (the event filter), no external
	 * references */
	ck_assert_uint_eq(count(t, "<script"), 1);
	ck_assert_uint_eq(count(t, "<script>\n"), 1);
	ck_assert_ptr_null(strstr(t, " src="));
	ck_assert_ptr_null(strstr(t, "http://"));
	ck_assert_ptr_null(strstr(t, "https://"));
	ck_assert_ptr_null(strstr(t, "<link"));
	ck_assert_ptr_null(strstr(t, "url("));
	ck_assert_ptr_null(strstr(t, "@import"));
}
END_TEST

START_TEST(test_html_skips_missing_charts)
{
	static const char *const names[] = {"service/api/desired",
	    "service/api/running", "service/api/cpuTarget"};
	int ids[3];
	for (int i = 0; i < 3; i++)
		ids[i] = rec_series(R, names[i], "tasks");
	double v[3] = {2, 1, 50};
	row(R, 0, ids, v, 3);
	row(R, 60, ids, v, 3);
	rhtml_write(O, R, NULL);
	/* only healthy vs desired: CPU has a target and no data; no
	 * revisions, requests, latency or clusters */
	ck_assert_uint_eq(count(text(), "<svg"), 1);
	ck_assert_ptr_nonnull(strstr(text(), ">Healthy vs desired<"));
}
END_TEST

START_TEST(test_html_escapes)
{
	realistic(R, "<script>alert(1)</script>");
	rec_info(R, "description", "See https://example.com/runbook & <b>this</b>");
	rhtml_write(O, R, NULL);
	const char *t = text();
	/* the only script is the page's own event filter */
	ck_assert_uint_eq(count(t, "<script"), 1);
	ck_assert_ptr_null(strstr(t, "<script>alert"));
	ck_assert_ptr_null(strstr(t, "<b>this"));
	ck_assert_ptr_nonnull(strstr(t, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(t, "See https://example.com/runbook &amp; "
	    "&lt;b&gt;this&lt;/b&gt;"));
	/* the only URL is the one the user wrote */
	ck_assert_uint_eq(count(t, "https://"), 1);
	ck_assert_uint_eq(count(t, "http://"), 0);
	/* the service's charts are still found under the odd name */
	ck_assert_uint_eq(count(t, "<svg"), 9);
	/* and its anchors are indexes, not names */
	ck_assert_ptr_nonnull(strstr(t, "<section class=\"service\" "
	    "id=\"svc-1\">"));
}
END_TEST

START_TEST(test_html_verdicts)
{
	arena *a;
	jr_loader *L;
	expect_set *x;
	realistic(R, "web");
	expect_result *res = verdicts_for(two_verdicts, &a, &L, &x);
	rhtml_write(O, R, res);
	const char *t = text();
	ck_assert_ptr_nonnull(strstr(t, "2 passed, 1 failed"));
	ck_assert_ptr_nonnull(strstr(t, "deploys &lt;fast&gt; &amp; "
	    "&quot;well&quot;"));
	ck_assert_uint_eq(count(t, ">FAIL<"), 1);
	ck_assert_uint_eq(count(t, ">PASS<"), 2);
	expect_result_free(res);
	expect_free(x);
	jr_loader_free(L);
	arena_free(a);
}
END_TEST

START_TEST(test_html_long_run_is_reduced)
{
	int id = rec_series(R, "service/web/running", "tasks");
	for (int i = 0; i < 30 * 24 * 60; i++) {
		rec_row(R, (sim_time)i * SIM_MIN);
		rec_put(R, id, i % 97 == 0 ? 9 : 2);
	}
	rhtml_write(O, R, NULL);
	/* 43,200 samples drawn as at most 800 points */
	ck_assert_uint_le(count(text(), " L"), 800);
	ck_assert_uint_lt(rout_length(O), 60000);
}
END_TEST

/* ---- JUnit and Markdown ---- */

START_TEST(test_junit)
{
	arena *a;
	jr_loader *L;
	expect_set *x;
	realistic(R, "web");
	expect_result *res = verdicts_for(two_verdicts, &a, &L, &x);
	expect_run runs[] = {
		{"seed-article", "scenarios/seed-article.json", res, NULL, 0.0125,
		    "2025-01-31T14:05:09", "ci-runner-7"},
		{"bad <one>", "scenarios/bad.json", NULL,
		    "scenarios/bad.json:3:5: services[0]: unknown key 'x'", 0.0004,
		    "2025-01-31T14:05:10", "ci-runner-7"},
	};
	rjunit_write(O, runs, 2);
	/* every testcase: the wall time of its scenario's run and where the
	 * assertion is (t.json, line 1: the test's scenario is one line) */
	ck_assert_str_eq(text(),
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"ecsim\" tests=\"4\" failures=\"1\" errors=\"1\" "
	    "time=\"0.013\">\n"
	    "  <testsuite name=\"seed-article\" tests=\"3\" failures=\"1\" "
	    "errors=\"0\" skipped=\"0\" time=\"0.013\" "
	    "timestamp=\"2025-01-31T14:05:09\" hostname=\"ci-runner-7\" "
	    "file=\"scenarios/seed-article.json\">\n"
	    "    <testcase name=\"deploys &lt;fast&gt; &amp; &quot;well&quot;\" "
	    "classname=\"seed-article\" time=\"0.013\" file=\"t.json\" "
	    "line=\"1\">\n"
	    "      <failure message=\"measured deployment 2 (web:2) took 6m30s, "
	    "expected COMPLETED within 5m\" type=\"deploymentCompletes\">measured "
	    "deployment 2 (web:2) took 6m30s, expected COMPLETED within 5m"
	    "</failure>\n"
	    "    </testcase>\n"
	    "    <testcase name=\"web: running tasks never above 4\" "
	    "classname=\"seed-article\" time=\"0.013\" file=\"t.json\" "
	    "line=\"1\"/>\n"
	    "    <testcase name=\"web: p99 latency at most 100 ms\" "
	    "classname=\"seed-article\" time=\"0.013\" file=\"t.json\" "
	    "line=\"1\"/>\n"
	    "  </testsuite>\n"
	    "  <testsuite name=\"bad &lt;one&gt;\" tests=\"1\" failures=\"0\" "
	    "errors=\"1\" skipped=\"0\" time=\"0.000\" "
	    "timestamp=\"2025-01-31T14:05:10\" hostname=\"ci-runner-7\" "
	    "file=\"scenarios/bad.json\">\n"
	    "    <testcase name=\"run\" classname=\"bad &lt;one&gt;\" "
	    "time=\"0.000\" file=\"scenarios/bad.json\">\n"
	    "      <error message=\"scenarios/bad.json:3:5: services[0]: unknown "
	    "key &#39;x&#39;\" type=\"error\">scenarios/bad.json:3:5: "
	    "services[0]: unknown key &#39;x&#39;</error>\n"
	    "    </testcase>\n"
	    "  </testsuite>\n"
	    "</testsuites>\n");
	expect_result_free(res);
	expect_free(x);
	jr_loader_free(L);
	arena_free(a);
}
END_TEST

START_TEST(test_junit_empty)
{
	rjunit_write(O, NULL, 0);
	ck_assert_str_eq(text(), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"ecsim\" tests=\"0\" failures=\"0\" errors=\"0\" "
	    "time=\"0.000\">\n</testsuites>\n");
}
END_TEST

START_TEST(test_markdown)
{
	arena *a;
	jr_loader *L;
	expect_set *x;
	realistic(R, "web");
	expect_result *res = verdicts_for(two_verdicts, &a, &L, &x);
	expect_run runs[] = {
		{"seed|article", NULL, res, NULL, 0, NULL, NULL},
		{"broken", NULL, NULL, "cannot read 'x.json': No such file", 0, NULL,
		    NULL},
	};
	rmd_write(O, runs, 2);
	/* failures first with where they are, then what could not run, the
	 * passes folded away */
	ck_assert_str_eq(text(),
	    "## ecsim check: 2 scenarios, 3 assertions, 1 failed, 1 could not "
	    "run ❌\n"
	    "\n### ❌ Failed (1)\n\n"
	    "| Scenario | Assertion | Measured | Expected | Where |\n"
	    "| --- | --- | --- | --- | --- |\n"
	    "| seed\\|article | deploys &lt;fast&gt; &amp; \"well\" | deployment 2 "
	    "(web:2) took 6m30s | COMPLETED within 5m | t.json:1 |\n"
	    "\n### 💥 Could not run (1)\n\n"
	    "| Scenario | Error |\n| --- | --- |\n"
	    "| broken | cannot read 'x.json': No such file |\n"
	    "\n<details><summary>✅ Passed (2)</summary>\n\n"
	    "| Scenario | Assertion | Measured | Expected | Where |\n"
	    "| --- | --- | --- | --- | --- |\n"
	    "| seed\\|article | web: running tasks never above 4 | peak 4 at "
	    "00:05:00 | &lt;= 4 | t.json:1 |\n"
	    "| seed\\|article | web: p99 latency at most 100 ms | 84.25 ms | p99 "
	    "&lt;= 100 ms | t.json:1 |\n"
	    "\n</details>\n");
	expect_result_free(res);
	expect_free(x);
	jr_loader_free(L);
	arena_free(a);
}
END_TEST

/* ---- writer ---- */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = xmalloc((size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

/* Names in dir, sorted, joined with spaces. */
static char *
listing(const char *dir)
{
	char *names[32];
	int n = 0;
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < 32)
		if (e->d_name[0] != '.')
			names[n++] = xstrdup(e->d_name);
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			char *t = names[k];
			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	char *out = xstrdup("");
	for (int i = 0; i < n; i++) {
		char *next = xasprintf("%s%s%s", out, i ? " " : "", names[i]);
		free(out);
		free(names[i]);
		out = next;
	}
	return out;
}

START_TEST(test_writer_all)
{
	realistic(R, "web");
	char *dir = xasprintf("%s/out/seed-article", TMP);
	ck_assert_int_eq(rwrite_all(dir, R, NULL, &err), 0);
	char *ls = listing(dir);
	ck_assert_str_eq(ls, "events.log report.html summary.json timeline.csv");
	free(ls);
	/* the files hold what the generators print */
	char *path = xasprintf("%s/timeline.csv", dir);
	char *csv = slurp(path, NULL);
	rcsv_write(O, R);
	ck_assert_str_eq(csv, text());
	free(csv);
	free(path);
	path = xasprintf("%s/summary.json", dir);
	char *json = slurp(path, NULL);
	cJSON *root = cJSON_Parse(json);
	ck_assert_ptr_nonnull(root);
	cJSON_Delete(root);
	free(json);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_writer_deterministic)
{
	arena *a;
	jr_loader *L;
	expect_set *x;
	realistic(R, "web");
	expect_result *res = verdicts_for(two_verdicts, &a, &L, &x);
	char *d1 = xasprintf("%s/one", TMP), *d2 = xasprintf("%s/two/", TMP);
	ck_assert_int_eq(rwrite_all(d1, R, res, &err), 0);
	ck_assert_int_eq(rwrite_all(d2, R, res, &err), 0);
	static const char *const files[] = {"summary.json", "timeline.csv",
	    "events.log", "report.html"};
	for (size_t i = 0; i < 4; i++) {
		char *p1 = xasprintf("%s/%s", d1, files[i]);
		char *p2 = xasprintf("%s%s", d2, files[i]);
		size_t n1, n2;
		char *b1 = slurp(p1, &n1), *b2 = slurp(p2, &n2);
		ck_assert_uint_gt(n1, 0);
		ck_assert_uint_eq(n1, n2);
		ck_assert_msg(memcmp(b1, b2, n1) == 0, "%s differs", files[i]);
		free(b1);
		free(b2);
		free(p1);
		free(p2);
	}
	/* and the text summary, rendered twice */
	rout *o2 = rout_mem();
	rtext_write(O, R, res);
	rtext_write(o2, R, res);
	ck_assert_str_eq(text(), rout_mem_text(o2, NULL));
	rout_free(o2);
	free(d1);
	free(d2);
	expect_result_free(res);
	expect_free(x);
	jr_loader_free(L);
	arena_free(a);
}
END_TEST

static void
gen_big(rout *o, const void *ctx)
{
	(void)ctx;
	for (int i = 0; i < 20000; i++)
		rout_printf(o, "line %d of a report that is longer than a buffer\n",
		    i);
}

static void
gen_small(rout *o, const void *ctx)
{
	rout_puts(o, ctx);
}

START_TEST(test_writer_failure_removes_temp)
{
	char *dir = xasprintf("%s/x", TMP);
	/* a first, good version */
	ck_assert_int_eq(rwrite_file(dir, "summary.json", gen_small, "old\n",
	    &err), 0);
	/* the third write to disk fails: the report is > 2 buffers */
	rout_inject_failure(3, ENOSPC);
	int rc = rwrite_file(dir, "summary.json", gen_big, NULL, &err);
	ck_assert_int_eq(rc, SIM_EIO);
	ck_assert_int_eq(err.code, SIM_EIO);
	char *want = xasprintf("cannot write '%s/summary.json': No space left on "
	    "device", dir);
	ck_assert_str_eq(err.msg, want);
	free(want);
	/* no temporary file, the old report intact */
	char *ls = listing(dir);
	ck_assert_str_eq(ls, "summary.json");
	free(ls);
	char *path = xasprintf("%s/summary.json", dir);
	char *content = slurp(path, NULL);
	ck_assert_str_eq(content, "old\n");
	free(content);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_writer_failure_first_write)
{
	realistic(R, "web");
	char *dir = xasprintf("%s/y", TMP);
	rout_inject_failure(1, EIO);
	ck_assert_int_eq(rwrite_all(dir, R, NULL, &err), SIM_EIO);
	char *want = xasprintf("cannot write '%s/summary.json': Input/output error",
	    dir);
	ck_assert_str_eq(err.msg, want);
	free(want);
	char *ls = listing(dir);
	ck_assert_str_eq(ls, "");
	free(ls);
	free(dir);
}
END_TEST

START_TEST(test_writer_bad_dir)
{
	char *file = xasprintf("%s/plain", TMP);
	FILE *f = fopen(file, "w");
	fclose(f);
	char *dir = xasprintf("%s/sub", file);
	ck_assert_int_eq(rwrite_file(dir, "a.txt", gen_small, "x", &err),
	    SIM_EIO);
	/* the component that is not a directory is named */
	char *want = xasprintf("cannot create directory '%s': Not a directory",
	    file);
	ck_assert_str_eq(err.msg, want);
	free(want);
	free(dir);
	free(file);
}
END_TEST

Suite *
reports_suite(void)
{
	Suite *s = suite_create("reports");
	TCase *tc = tcase_create("outputs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rout_mem_and_escape);
	tcase_add_test(tc, test_rout_long_printf);
	tcase_add_test(tc, test_rout_fd_failure_is_sticky);
	tcase_add_test(tc, test_csv_exact);
	tcase_add_test(tc, test_csv_values);
	tcase_add_test(tc, test_csv_empty);
	tcase_add_test(tc, test_csv_realistic_shape);
	tcase_add_test(tc, test_events_log);
	tcase_add_test(tc, test_json_summary);
	tcase_add_test(tc, test_json_nan_is_null);
	tcase_add_test(tc, test_json_expectations);
	tcase_add_test(tc, test_text_summary);
	tcase_add_test(tc, test_text_omits_empty_sections);
	tcase_add_test(tc, test_text_wrap);
	tcase_add_test(tc, test_text_long_names_fit);
	tcase_add_test(tc, test_html_charts);
	tcase_add_test(tc, test_html_skips_missing_charts);
	tcase_add_test(tc, test_html_escapes);
	tcase_add_test(tc, test_html_verdicts);
	tcase_add_test(tc, test_html_long_run_is_reduced);
	tcase_add_test(tc, test_junit);
	tcase_add_test(tc, test_junit_empty);
	tcase_add_test(tc, test_markdown);
	suite_add_tcase(s, tc);

	tc = tcase_create("writer");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_writer_all);
	tcase_add_test(tc, test_writer_deterministic);
	tcase_add_test(tc, test_writer_failure_removes_temp);
	tcase_add_test(tc, test_writer_failure_first_write);
	tcase_add_test(tc, test_writer_bad_dir);
	suite_add_tcase(s, tc);
	return s;
}
