/*
 * Tests for report.html beyond its frame (tests/test_reports.c): the
 * zoom panel of a deployment draws every task from its records, so a
 * task that failed 20 seconds after it was created in a 3-hour run is a
 * wide red bar with its stop reason on hover; the window of a panel
 * covers the draining of the tasks it stopped; stacked revisions are
 * bands; latency is on a log axis; errors are a percentage of requests
 * on one axis; scaling marks are labelled; the event log carries its
 * filter; the table of contents links every section; a month-long run
 * stays a few megabytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html_gantt.h"
#include "reports/html_events.h"
#include "reports/report_html.h"
#include "reports/rout.h"
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

#define HAS(hay, needle) ck_assert_msg(strstr((hay), (needle)) != NULL, \
    "missing: %s", (needle))
#define LACKS(hay, needle) ck_assert_msg(strstr((hay), (needle)) == NULL, \
    "unexpected: %s", (needle))

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p != NULL;
	    p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

static const char *
page(void)
{
	rhtml_write(O, R, NULL);
	return rout_mem_text(O, NULL);
}

/* The text of the element that starts at the first `start` after `from`,
 * up to its `end` (an owned copy). */
static char *
slice(const char *from, const char *start, const char *end)
{
	const char *a = strstr(from, start);
	ck_assert_msg(a != NULL, "no %s", start);
	const char *b = strstr(a, end);
	ck_assert_msg(b != NULL, "no %s after %s", end, start);
	size_t n = (size_t)(b - a) + strlen(end);
	char *s = malloc(n + 1);
	memcpy(s, a, n);
	s[n] = '\0';
	return s;
}

/* The number after attr=" at the first attr after p. */
static double
attr_num(const char *p, const char *attr)
{
	char key[32];
	snprintf(key, sizeof(key), " %s=\"", attr);
	const char *a = strstr(p, key);
	ck_assert_msg(a != NULL, "no %s", attr);
	return strtod(a + strlen(key), NULL);
}

static rec_fact *
deployment(const char *id, const char *from, const char *td, double start_s,
    double end_s, const char *state)
{
	rec_fact *f = rec_fact_new(R, "deployment");
	rec_fact_str(f, "service", "web");
	rec_fact_str(f, "cluster", "prod");
	rec_fact_str(f, "id", id);
	rec_fact_str(f, "taskDefinition", td);
	rec_fact_str(f, "from", from);
	rec_fact_str(f, "cause", from[0] ? "new task definition" :
	    "service created");
	rec_fact_time(f, "start", (sim_time)(start_s * 1e6));
	if (end_s >= 0) {
		rec_fact_time(f, "end", (sim_time)(end_s * 1e6));
		rec_fact_time(f, "duration", (sim_time)((end_s - start_s) * 1e6));
	}
	rec_fact_str(f, "rolloutState", state);
	rec_fact_int(f, "minimumHealthy", 2);
	rec_fact_int(f, "lowestHealthy", from[0] ? 2 : 0);
	rec_fact_int(f, "tasksStarted", 2);
	rec_fact_int(f, "tasksStopped", 0);
	rec_fact_int(f, "tasksFailed", 0);
	return f;
}

/* A task record; times in seconds, < 0: never. */
static rec_fact *
task(const char *id, const char *td, const char *dep, double dep_start,
    double created, double pull, double running, double healthy,
    double draining, double stopping, double stopped)
{
	rec_fact *f = rec_fact_new(R, "task");
	rec_fact_str(f, "service", "web");
	rec_fact_str(f, "cluster", "prod");
	rec_fact_str(f, "task", id);
	rec_fact_str(f, "deployment", dep);
	rec_fact_time(f, "deploymentStart", (sim_time)(dep_start * 1e6));
	rec_fact_str(f, "taskDefinition", td);
	const char *keys[] = {"created", "pullStart", "running", "healthy",
	    "draining", "stopping", "stopped"};
	const double v[] = {created, pull, running, healthy, draining, stopping,
	    stopped};
	for (int i = 0; i < 7; i++)
		if (v[i] >= 0)
			rec_fact_time(f, keys[i], (sim_time)(v[i] * 1e6));
	rec_fact_str(f, "lastStatus", stopped >= 0 ? "STOPPED" : "RUNNING");
	rec_fact_bool(f, "failed", false);
	return f;
}

static void
stopped_by(rec_fact *t, const char *dep, double dep_start, const char *code,
    const char *reason)
{
	rec_fact_str(t, "stoppedBy", dep);
	rec_fact_time(t, "stoppedByStart", (sim_time)(dep_start * 1e6));
	rec_fact_str(t, "stopCode", code);
	rec_fact_str(t, "stoppedReason", reason);
}

/*
 * Three hours: web:1 created at 0 (COMPLETED at 60 s, two tasks); web:2
 * at 1h, FAILED at 1h00m25s: one task failed to start 20 s after it was
 * created, the other was stopped by the rollback (deployment 3, same id
 * as deployment 1, 1h00m25s .. 1h00m27s). Sampled every minute.
 */
static void
three_hours(void)
{
	rec_info(R, "durationSeconds", "10800");
	int run = rec_series(R, "service/web/running", "tasks");
	int rev = rec_series(R, "service/web/rev/web:1", "tasks");
	for (int m = 0; m <= 180; m++) {
		rec_row(R, (sim_time)m * SIM_MIN);
		rec_put(R, run, 2);
		rec_put(R, rev, 2);
	}
	deployment("ecs-svc/1", "", "web:1", 0, 60, "COMPLETED");
	rec_fact *d2 = deployment("ecs-svc/2", "web:1", "web:2", 3600, 3625,
	    "FAILED");
	rec_fact_bool(d2, "circuitBreakerTriggered", true);
	rec_fact_str(d2, "rollbackTarget", "ecs-svc/1");
	rec_fact_int(d2, "tasksFailed", 1);
	rec_fact *d3 = deployment("ecs-svc/1", "web:2", "web:1", 3625, 3627,
	    "COMPLETED");
	rec_fact_bool(d3, "rollback", true);
	rec_fact_int(d3, "tasksStarted", 0);
	rec_fact_int(d3, "tasksStopped", 1);
	task("aaaaaaaa1111", "web:1", "ecs-svc/1", 0, 1, 1, 15, 45, -1, -1, -1);
	task("bbbbbbbb2222", "web:1", "ecs-svc/1", 0, 1, 1, 16, 46, -1, -1, -1);
	rec_fact *bad = task("cccccccc3333", "web:2", "ecs-svc/2", 3600, 3601,
	    3601, -1, -1, -1, -1, 3621);
	rec_fact_str(bad, "stopCode", "TaskFailedToStart");
	rec_fact_str(bad, "stoppedReason", "Essential container in task exited");
	rec_fact_bool(bad, "failed", true);
	rec_fact *other = task("dddddddd4444", "web:2", "ecs-svc/2", 3600, 3601,
	    3601, -1, -1, -1, -1, 3626);
	stopped_by(other, "ecs-svc/1", 3625, "ServiceSchedulerInitiated",
	    "Scaling activity initiated by deployment");
	rec_event_add(R, 3625 * SIM_SEC, "service/web", "ecs", "(service web) "
	    "(deployment ecs-svc/2) deployment failed: tasks failed to start.");
	rec_event_add(R, 3625 * SIM_SEC, "service/web", "ecs", "(service web) "
	    "rolling back to deployment ecs-svc/1.");
}

START_TEST(test_failed_task_of_20s_is_a_visible_bar)
{
	three_hours();
	const char *t = page();
	char *panel = slice(t, "<section class=\"zoom\" id=\"svc-1-dep-2\">",
	    "</section>");
	HAS(panel, "Deployment 2: web:1 -&gt; web:2 (new task definition) "
	    "<span class=\"b bad\">FAILED</span>");
	HAS(panel, "1 failed task: TaskFailedToStart (Essential container in "
	    "task exited)");
	/* both tasks it launched, the failed one in red with its reason */
	ck_assert_uint_eq(count(panel, "<g class=\"tk"), 2);
	char *row = slice(panel, "<g class=\"tk failed\">", "</g>");
	HAS(row, "task cccccccc3333 (web:2)");
	HAS(row, "\nTaskFailedToStart: Essential container in task exited");
	HAS(row, "(counted as a failed task)");
	/* its own time axis: 3600 - 1 s .. 3626 + 1 s or so; the 20 s in
	 * PENDING span most of the 994 px plot */
	char *pend = slice(row, "<rect class=\"p-pend\"", "/>");
	double w = attr_num(pend, "width");
	ck_assert_msg(w > 600, "PENDING bar %.1f px wide", w);
	HAS(row, "<path class=\"x\"");
	HAS(panel, ">01:00:10</text>");
	HAS(panel, ">01:00:20</text>");
	/* the events of the window */
	HAS(panel, "deployment failed: tasks failed to start.");
	/* and on the 3-hour charts, the failed deployment is labelled and
	 * links to its panel */
	HAS(t, "<a href=\"#svc-1-dep-2\"><rect class=\"dep failed\"");
	HAS(t, "<text class=\"dl failed\"");
	free(pend);
	free(row);
	free(panel);
}
END_TEST

START_TEST(test_rollback_panel_and_ids_reused)
{
	/* deployment 3 reuses deployment 1's id: its panel holds only the
	 * task it stopped (by its start), not deployment 1's tasks */
	three_hours();
	const char *t = page();
	char *p3 = slice(t, "id=\"svc-1-dep-3\"", "</section>");
	ck_assert_uint_eq(count(p3, "<g class=\"tk"), 1);
	HAS(p3, "task dddddddd4444");
	HAS(p3, "ServiceSchedulerInitiated: Scaling activity initiated by "
	    "deployment");
	/* it began before the window */
	HAS(p3, "\xE2\x97\x82</text>");
	HAS(p3, "tasks: none started, 1 stopped");
	char *p1 = slice(t, "id=\"svc-1-dep-1\"", "</section>");
	ck_assert_uint_eq(count(p1, "<g class=\"tk"), 2);
	LACKS(p1, "dddddddd4444");
	HAS(p1, "lowest healthy: 0 (service creation)");
	free(p1);
	free(p3);
}
END_TEST

START_TEST(test_window_covers_draining)
{
	/* an update stops the old task: draining 5 minutes past the
	 * deployment's end is in the window */
	deployment("ecs-svc/1", "", "web:1", 0, 60, "COMPLETED");
	rec_fact *d = deployment("ecs-svc/2", "web:1", "web:2", 600, 700,
	    "COMPLETED");
	rec_fact_int(d, "tasksStopped", 1);
	rec_fact *old = task("oooooooo", "web:1", "ecs-svc/1", 0, 1, 1, 10, 40,
	    690, 990, 992);
	stopped_by(old, "ecs-svc/2", 600, "ServiceSchedulerInitiated",
	    "Scaling activity initiated by deployment");
	task("nnnnnnnn", "web:2", "ecs-svc/2", 600, 601, 601, 620, 650, -1, -1,
	    -1);
	rec_info(R, "durationSeconds", "3600");
	rout *o = rout_mem();
	rec_fact *d2 = rec_fact_at(R, "deployment", 1);
	hgantt_panel(o, R, d2, 0, 1, 3600 * SIM_SEC);
	const char *p = rout_mem_text(o, NULL);
	HAS(p, ">draining of the tasks it stopped</text>");
	HAS(p, "<rect class=\"p-drain\"");
	HAS(p, "<rect class=\"p-stop\"");
	HAS(p, ">00:16</text>"); /* past the end at 00:11:40 */
	/* the new task runs on past the window */
	HAS(p, "\xE2\x96\xB8</text>");
	rout_free(o);
}
END_TEST

START_TEST(test_rows_capped_failed_first)
{
	deployment("ecs-svc/1", "", "web:1", 0, 600, "COMPLETED");
	char id[32];
	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "t%03d", i);
		rec_fact *f = task(id, "web:1", "ecs-svc/1", 0, 1 + i, 1 + i,
		    i % 10 == 9 ? -1 : 20 + i, -1, -1, -1, i % 10 == 9 ? 30 + i : -1);
		if (i % 10 == 9)
			rec_fact_bool(f, "failed", true);
	}
	rout *o = rout_mem();
	hgantt_panel(o, R, rec_fact_at(R, "deployment", 0), 0, 0, 3600 * SIM_SEC);
	const char *p = rout_mem_text(o, NULL);
	ck_assert_uint_eq(count(p, "<g class=\"tk"), HGANTT_ROWS);
	ck_assert_uint_eq(count(p, "<g class=\"tk failed\">"), 10);
	HAS(p, "60 of 100 tasks drawn (the failed ones first)");
	rout_free(o);
}
END_TEST

START_TEST(test_stacked_revisions_are_bands)
{
	/* a:1 holds 2 tasks, a:2 3 on top: the axis tops at 6, so a:1 is
	 * 216..156 and a:2 156..66 (y in the 240-px chart); a:2's band must
	 * not reach the baseline */
	int r1 = rec_series(R, "service/a/rev/a:1", "tasks");
	int r2 = rec_series(R, "service/a/rev/a:2", "tasks");
	for (int m = 0; m < 5; m++) {
		rec_row(R, (sim_time)m * SIM_MIN);
		rec_put(R, r1, 2);
		rec_put(R, r2, 3);
	}
	const char *t = page();
	char *b1 = slice(t, "<path class=\"ar\" style=\"--c:#2563eb\"", "</path>");
	char *b2 = slice(t, "<path class=\"ar\" style=\"--c:#16a34a\"", "</path>");
	HAS(b1, " 216.0");
	HAS(b1, " 156.0");
	HAS(b2, " 156.0");
	HAS(b2, " 66.0");
	LACKS(b2, " 216.0");
	free(b1);
	free(b2);
}
END_TEST

START_TEST(test_latency_log_axis)
{
	int p50 = rec_series(R, "service/web/latencyP50", "ms");
	int p99 = rec_series(R, "service/web/latencyP99", "ms");
	for (int m = 0; m < 10; m++) {
		rec_row(R, (sim_time)m * SIM_MIN);
		rec_put(R, p50, 20);
		rec_put(R, p99, m == 5 ? 60000 : 45);
	}
	const char *t = page();
	char *fig = slice(t, "aria-label=\"Latency (log scale)\"", "</figure>");
	/* decades from 10 ms to 100 s: the 20 ms p50 is not flattened */
	HAS(fig, ">10 ms</text>");
	HAS(fig, ">100 ms</text>");
	HAS(fig, ">1 s</text>");
	HAS(fig, ">100 s</text>");
	LACKS(fig, ">0</text>");
	free(fig);
}
END_TEST

START_TEST(test_errors_as_percent_one_axis)
{
	int q = rec_series(R, "service/web/requests", "requests");
	int e = rec_series(R, "service/web/errors", "requests");
	static const double req[] = {1000, 1000, 3000}, err[] = {0, 330, 30};
	for (int m = 0; m < 3; m++) {
		rec_row(R, (sim_time)m * SIM_MIN);
		rec_put(R, q, req[m]);
		rec_put(R, e, err[m]);
	}
	const char *t = page();
	char *fig = slice(t, "aria-label=\"Errors, % of requests\"", "</figure>");
	/* 33 % at most: one axis in percent to 40, no right axis */
	HAS(fig, ">40</text>");
	HAS(fig, ">%</text>");
	LACKS(fig, "class=\"ty2\"");
	/* and requests have a chart of their own */
	HAS(t, "aria-label=\"Requests per sample interval\"");
	free(fig);
}
END_TEST

START_TEST(test_scaling_marks_labelled)
{
	realistic(R, "web");
	const char *t = page();
	char *fig = slice(t, "aria-label=\"Tasks by revision\"", "</figure>");
	HAS(fig, ">2\xE2\x86\x92" "4</text>");
	HAS(fig, "<title>00:14:00 service/default/web: 2 \xE2\x86\x92 4. monitor "
	    "alarm TargetTracking-service/default/web-AlarmHigh in state ALARM "
	    "triggered policy cpu50</title>");
	free(fig);
	/* and a table of the activities */
	HAS(t, "<section class=\"scaling\" id=\"scaling\">");
}
END_TEST

START_TEST(test_events_filterable)
{
	realistic(R, "web");
	const char *t = page();
	char *sec = slice(t, "<section class=\"events\" id=\"events\">",
	    "</section>");
	/* every row says its service and kind; aas/web is web's */
	ck_assert_uint_eq(count(sec, "<tr data-s=\"web\""), 4);
	HAS(sec, "<tr data-s=\"web\" data-k=\"scaling\">");
	/* the filter: hidden until the script shows it */
	HAS(sec, "<p class=\"filter\" id=\"evf\" hidden>");
	HAS(sec, "<option value=\"web\">web</option>");
	HAS(sec, "<option value=\"ecs\">ecs</option>");
	HAS(sec, "f.hidden=false");
	free(sec);
}
END_TEST

START_TEST(test_events_capped)
{
	rec_series(R, "service/web/running", "tasks");
	rec_row(R, 0);
	for (int i = 0; i < HEVENTS_MAX + 500; i++)
		rec_event_add(R, (sim_time)i * SIM_SEC, "tg/web", "target-health",
		    "target %d healthy", i);
	rout *o = rout_mem();
	hevents_section(o, R);
	const char *s = rout_mem_text(o, NULL);
	ck_assert_uint_eq(count(s, "<tr data-s="), HEVENTS_MAX);
	HAS(s, "The first 2000 of 2500 events; events.log has them all.");
	/* a load balancer's event is "other" */
	HAS(s, "<tr data-s=\"\" data-k=\"target-health\">");
	rout_free(o);
}
END_TEST

START_TEST(test_table_of_contents)
{
	realistic(R, "web");
	const char *t = page();
	char *nav = slice(t, "<nav class=\"toc\">", "</nav>");
	static const char *const targets[] = {"svc-1", "svc-1-dep-1",
	    "svc-1-dep-2", "clusters", "scaling", "events", "placement",
	    "assumptions"};
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char href[64], id[64];
		snprintf(href, sizeof(href), "href=\"#%s\"", targets[i]);
		snprintf(id, sizeof(id), "id=\"%s\"", targets[i]);
		HAS(nav, href);
		HAS(t, id);
	}
	/* the fixture records no task lifecycles: its panels say so */
	ck_assert_uint_eq(count(t, "This run recorded no task lifecycles"), 2);
	free(nav);
}
END_TEST

START_TEST(test_month_stays_small)
{
	/* 30 days sampled every minute, 4 services with 30 revisions and 30
	 * deployments of 40 tasks each, 900 scaling activities, 20,000
	 * events: a few megabytes, not hundreds */
	static const char *const metrics[] = {"desired", "running", "healthy",
	    "pending", "cpu", "memory", "requests", "errors", "latencyP50",
	    "latencyP99"};
	enum { NS = 4, NM = 10, NREV = 30, ROWS = 30 * 24 * 60 };
	int ids[NS][NM], rev[NS][NREV];
	char name[128], id[64];
	for (int s = 0; s < NS; s++) {
		for (int k = 0; k < NM; k++) {
			snprintf(name, sizeof(name), "service/s%d/%s", s, metrics[k]);
			ids[s][k] = rec_series(R, name, "");
		}
		for (int v = 0; v < NREV; v++) {
			snprintf(name, sizeof(name), "service/s%d/rev/s%d:%d", s, s, v + 1);
			rev[s][v] = rec_series(R, name, "tasks");
		}
	}
	for (int i = 0; i < ROWS; i++) {
		rec_row(R, (sim_time)i * SIM_MIN);
		int day = i / (24 * 60);
		for (int s = 0; s < NS; s++) {
			for (int k = 0; k < NM; k++)
				rec_put(R, ids[s][k], 10 + (i * 7 + k * 13 + s) % 31);
			rec_put(R, rev[s][day], 20);
		}
	}
	for (int s = 0; s < NS; s++)
		for (int d = 0; d < 30; d++) {
			rec_fact *f = rec_fact_new(R, "deployment");
			snprintf(name, sizeof(name), "s%d", s);
			rec_fact_str(f, "service", name);
			snprintf(id, sizeof(id), "ecs-svc/%d%02d", s, d);
			rec_fact_str(f, "id", id);
			rec_fact_str(f, "from", d ? "x:1" : "");
			rec_fact_str(f, "taskDefinition", "x:2");
			rec_fact_time(f, "start", (sim_time)d * SIM_DAY);
			rec_fact_time(f, "end", (sim_time)d * SIM_DAY + 10 * SIM_MIN);
			rec_fact_str(f, "rolloutState", "COMPLETED");
			for (int k = 0; k < 40; k++) {
				rec_fact *t = rec_fact_new(R, "task");
				rec_fact_str(t, "service", name);
				rec_fact_str(t, "task", "0123456789abcdef");
				rec_fact_str(t, "deployment", id);
				rec_fact_time(t, "deploymentStart", (sim_time)d * SIM_DAY);
				rec_fact_str(t, "taskDefinition", "x:2");
				rec_fact_time(t, "created", (sim_time)d * SIM_DAY + k * SIM_SEC);
				rec_fact_time(t, "running", (sim_time)d * SIM_DAY + 60 * SIM_SEC);
			}
		}
	for (int i = 0; i < 900; i++) {
		rec_fact *f = rec_fact_new(R, "scaling_activity");
		snprintf(name, sizeof(name), "service/default/s%d", i % NS);
		rec_fact_str(f, "resource", name);
		rec_fact_time(f, "time", (sim_time)i * 48 * SIM_MIN);
		rec_fact_int(f, "from", 20);
		rec_fact_int(f, "to", 21);
		rec_fact_str(f, "cause", "monitor alarm X-AlarmHigh in state ALARM "
		    "triggered policy cpu50");
	}
	for (int i = 0; i < 20000; i++)
		rec_event_add(R, (sim_time)i * 2 * SIM_MIN, "service/s0", "ecs",
		    "(service s0) has reached a steady state.");
	const char *t = page();
	size_t len = rout_length(O);
	ck_assert_msg(len < 4u * 1024 * 1024, "report.html is %zu bytes", len);
	/* 12 zoom panels per service and 36 per page at most, and the rest
	 * said */
	ck_assert_uint_eq(count(t, "<section class=\"zoom\""), 36);
	HAS(t, "Zoom panels for 12 of 30 deployments");
	HAS(t, "Zoom panels for 0 of 30 deployments");
}
END_TEST

Suite *
report_html_suite(void)
{
	Suite *s = suite_create("report_html");
	TCase *tc = tcase_create("report_html");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_failed_task_of_20s_is_a_visible_bar);
	tcase_add_test(tc, test_rollback_panel_and_ids_reused);
	tcase_add_test(tc, test_window_covers_draining);
	tcase_add_test(tc, test_rows_capped_failed_first);
	tcase_add_test(tc, test_stacked_revisions_are_bands);
	tcase_add_test(tc, test_latency_log_axis);
	tcase_add_test(tc, test_errors_as_percent_one_axis);
	tcase_add_test(tc, test_scaling_marks_labelled);
	tcase_add_test(tc, test_events_filterable);
	tcase_add_test(tc, test_events_capped);
	tcase_add_test(tc, test_table_of_contents);
	tcase_add_test(tc, test_month_stays_small);
	suite_add_tcase(s, tc);
	return s;
}
