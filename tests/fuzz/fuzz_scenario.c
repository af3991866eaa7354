/*
 * fuzz_scenario — libFuzzer target: a scenario file through the whole
 * program as `ecsim check` takes it: the loader (jread and every section
 * parser), a short run (at most 10 simulated minutes), the expectations,
 * and every report writer (text, JSON, CSV, events, HTML, JUnit,
 * Markdown, check's lines) into memory. A scenario that does not load
 * goes through the error list and the reports of a failed run instead.
 *
 * The input is written to a file in a private temporary directory, so
 * {"file": ...} references resolve as they do for a user (to files that
 * do not exist, or to absolute paths, which the loader must refuse or read
 * safely).
 */
#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "reports/check_text.h"
#include "reports/events_log.h"
#include "reports/junit.h"
#include "reports/markdown.h"
#include "reports/report_html.h"
#include "reports/rout.h"
#include "reports/summary_json.h"
#include "reports/summary_text.h"
#include "reports/timeline_csv.h"
#include "sim/cli.h"

static char *scenario_path;

static void
setup_once(void)
{
	if (scenario_path != NULL)
		return;
	gsl_set_error_handler_off();
	char dir[] = "/tmp/ecsim-fuzz-XXXXXX";
	if (mkdtemp(dir) == NULL)
		abort();
	size_t n = strlen(dir) + 16;
	scenario_path = malloc(n);
	snprintf(scenario_path, n, "%s/s.json", dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup_once();
	FILE *f = fopen(scenario_path, "wb");
	if (f == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);

	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.duration_set = true;
	o.duration = 10 * SIM_MIN;
	cli_result res;
	sim_error err;
	sim_error_clear(&err);
	int rc = cli_run_scenario(scenario_path, &o, &res, &err);
	rout *m = rout_mem();
	expect_run run = {.scenario = res.name ? res.name : "s",
	    .file = scenario_path};
	char *errors = NULL;
	if (rc != 0) {
		SIM_ASSERT(err.code != SIM_OK);
		errors = cli_errors_text(&res, &err);
		run.error = errors;
		rcheck_error(m, scenario_path, &err, 0);
	} else {
		run.result = res.verdicts;
		rtext_write(m, res.rec, res.verdicts);
		rjson_write(m, res.rec, res.verdicts);
		rcsv_write(m, res.rec);
		revents_write(m, res.rec);
		rhtml_write(m, res.rec, res.verdicts);
		rcheck_verdicts(m, run.scenario, res.verdicts, 0);
	}
	rjunit_write(m, &run, 1);
	rmd_write(m, &run, 1);
	SIM_ASSERT(rout_flush(m) == 0);
	rout_free(m);
	free(errors);
	cli_result_free(&res);
	return 0;
}
