/*
 * junit — the JUnit XML report (see junit.h). The layout follows the
 * schema Jenkins, GitLab and GitHub test reporters read.
 */
#include "reports/junit.h"

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

static void
testcase_open(rout *o, const char *name, const char *classname)
{
	rout_puts(o, "    <testcase name=\"");
	rout_xml_attr(o, name);
	rout_puts(o, "\" classname=\"");
	rout_xml_attr(o, classname);
	rout_puts(o, "\" time=\"0\"");
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
	    "skipped=\"0\" time=\"0\"", tests, failures, errors);
	if (run->file != NULL) {
		rout_puts(o, " file=\"");
		rout_xml_attr(o, run->file);
		rout_putc(o, '"');
	}
	rout_puts(o, ">\n");
	if (run->error != NULL || run->result == NULL) {
		testcase_open(o, "run", name);
		rout_puts(o, ">\n      <error message=\"");
		rout_xml_attr(o, run->error ? run->error : "no result");
		rout_puts(o, "\" type=\"error\">");
		rout_xml(o, run->error ? run->error : "no result");
		rout_puts(o, "</error>\n    </testcase>\n");
	} else {
		for (size_t i = 0; i < tests; i++) {
			const expect_verdict *v = expect_result_at(run->result, i);
			testcase_open(o, v->name, name);
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
	for (size_t i = 0; i < n; i++) {
		size_t t, f, e;
		counts(&runs[i], &t, &f, &e);
		tests += t;
		failures += f;
		errors += e;
	}
	rout_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	rout_printf(o, "<testsuites name=\"ecsim\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"%zu\" time=\"0\">\n", tests, failures, errors);
	for (size_t i = 0; i < n; i++)
		suite(o, &runs[i]);
	rout_puts(o, "</testsuites>\n");
}
