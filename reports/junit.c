/*
 * junit — the JUnit XML report (see junit.h). The layout follows the
 * schema Jenkins, GitLab and GitHub test reporters read.
 */
#include "reports/junit.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* Tests, failures and errors of one run. */
static void
counts(const expect_run *run, size_t *tests, size_t *failures,
    size_t *errors)
{
	if (run->error != NULL || run->result == NULL) {
		*tests = 1;
		*failures = 0;
		*errors = 1;
		return;
	}
	*tests = expect_result_count(run->result);
	*failures = expect_result_failed(run->result);
	*errors = 0;
}

/* Seconds as the schema's decimal: "0.012" (never negative). */
static void
seconds(rout *o, double s)
{
	rout_printf(o, "%.3f", s > 0 ? s : 0.0);
}

static void
testcase_open(rout *o, const char *name, const char *classname,
    double wall, const char *file, int line)
{
	rout_puts(o, "    <testcase name=\"");
	rout_xml_attr(o, name);
	rout_puts(o, "\" classname=\"");
	rout_xml_attr(o, classname);
	rout_puts(o, "\" time=\"");
	seconds(o, wall);
	rout_putc(o, '"');
	if (file != NULL) {
		rout_puts(o, " file=\"");
		rout_xml_attr(o, file);
		rout_putc(o, '"');
		if (line > 0)
			rout_printf(o, " line=\"%d\"", line);
	}
}

/* The run's timestamp, or now (local time, no zone, as the schema has
 * it). */
static void
timestamp(rout *o, const expect_run *run)
{
	if (run->timestamp != NULL) {
		rout_xml_attr(o, run->timestamp);
		return;
	}
	char buf[32] = "1970-01-01T00:00:00";
	time_t now = time(NULL);
	struct tm tm;
	if (localtime_r(&now, &tm) != NULL)
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	rout_puts(o, buf);
}

static void
hostname(rout *o, const expect_run *run)
{
	if (run->hostname != NULL && run->hostname[0] != '\0') {
		rout_xml_attr(o, run->hostname);
		return;
	}
	char buf[256];
	if (gethostname(buf, sizeof(buf)) != 0 || buf[0] == '\0')
		snprintf(buf, sizeof(buf), "localhost");
	buf[sizeof(buf) - 1] = '\0';
	rout_xml_attr(o, buf);
}

static void
suite(rout *o, const expect_run *run)
{
	size_t tests, failures, errors;
	counts(run, &tests, &failures, &errors);
	const char *name = run->scenario ? run->scenario : "";
	rout_puts(o, "  <testsuite name=\"");
	rout_xml_attr(o, name);
	rout_printf(o, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
	    "skipped=\"0\" time=\"", tests, failures, errors);
	seconds(o, run->wall_seconds);
	rout_puts(o, "\" timestamp=\"");
	timestamp(o, run);
	rout_puts(o, "\" hostname=\"");
	hostname(o, run);
	rout_putc(o, '"');
	if (run->file != NULL) {
		rout_puts(o, " file=\"");
		rout_xml_attr(o, run->file);
		rout_putc(o, '"');
	}
	rout_puts(o, ">\n");
	if (run->error != NULL || run->result == NULL) {
		testcase_open(o, "run", name, run->wall_seconds, run->file, 0);
		rout_puts(o, ">\n      <error message=\"");
		rout_xml_attr(o, run->error ? run->error : "no result");
		rout_puts(o, "\" type=\"error\">");
		rout_xml(o, run->error ? run->error : "no result");
		rout_puts(o, "</error>\n    </testcase>\n");
	} else {
		for (size_t i = 0; i < tests; i++) {
			const expect_verdict *v = expect_result_at(run->result, i);
			testcase_open(o, v->name, name, run->wall_seconds,
			    v->file ? v->file : run->file, v->line);
			if (v->pass) {
				rout_puts(o, "/>\n");
				continue;
			}
			rout_puts(o, ">\n      <failure message=\"");
			rout_xml_attr(o, v->message);
			rout_puts(o, "\" type=\"");
			rout_xml_attr(o, v->kind);
			rout_puts(o, "\">");
			rout_xml(o, v->message);
			rout_puts(o, "</failure>\n    </testcase>\n");
		}
	}
	rout_puts(o, "  </testsuite>\n");
}

void
rjunit_write(rout *o, const expect_run *runs, size_t n)
{
	size_t tests = 0, failures = 0, errors = 0;
	double wall = 0;
	for (size_t i = 0; i < n; i++) {
		size_t t, f, e;
		counts(&runs[i], &t, &f, &e);
		tests += t;
		failures += f;
		errors += e;
		if (runs[i].wall_seconds > 0)
			wall += runs[i].wall_seconds;
	}
	rout_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	rout_printf(o, "<testsuites name=\"ecsim\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"%zu\" time=\"", tests, failures, errors);
	seconds(o, wall);
	rout_puts(o, "\">\n");
	for (size_t i = 0; i < n; i++)
		suite(o, &runs[i]);
	rout_puts(o, "</testsuites>\n");
}
