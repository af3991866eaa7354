/*
 * markdown — the CI job summary table (see markdown.h).
 */
#include "reports/markdown.h"

#include <string.h>

/* Text for one table cell: user text, escaped. */
static void
cell(rout *o, const char *s)
{
	rout_putc(o, ' ');
	rout_md(o, s);
	rout_puts(o, " |");
}

/* A cell of our own Markdown (a constant). */
static void
markup_cell(rout *o, const char *md)
{
	rout_printf(o, " %s |", md);
}

void
rmd_write(rout *o, const expect_run *runs, size_t n)
{
	size_t tests = 0, failed = 0, errors = 0;
	for (size_t i = 0; i < n; i++) {
		if (runs[i].error != NULL || runs[i].result == NULL) {
			errors++;
			continue;
		}
		tests += expect_result_count(runs[i].result);
		failed += expect_result_failed(runs[i].result);
	}
	rout_printf(o, "## ecsim check: %zu scenario%s, %zu assertion%s, "
	    "%zu failed", n, n == 1 ? "" : "s", tests, tests == 1 ? "" : "s",
	    failed);
	if (errors > 0)
		rout_printf(o, ", %zu could not run", errors);
	rout_puts(o, failed == 0 && errors == 0 ? " ✅\n\n" : " ❌\n\n");
	if (n == 0)
		return;
	rout_puts(o, "| Scenario | Assertion | Result | Measured | Bound |\n");
	rout_puts(o, "| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < n; i++) {
		const expect_run *run = &runs[i];
		if (run->error != NULL || run->result == NULL) {
			rout_putc(o, '|');
			cell(o, run->scenario);
			markup_cell(o, "(run)");
			markup_cell(o, "💥 error");
			cell(o, run->error ? run->error : "no result");
			cell(o, "");
			rout_putc(o, '\n');
			continue;
		}
		size_t nv = expect_result_count(run->result);
		if (nv == 0) {
			rout_putc(o, '|');
			cell(o, run->scenario);
			markup_cell(o, "(no assertions)");
			cell(o, "");
			cell(o, "");
			cell(o, "");
			rout_putc(o, '\n');
		}
		for (size_t k = 0; k < nv; k++) {
			const expect_verdict *v = expect_result_at(run->result, k);
			rout_putc(o, '|');
			cell(o, run->scenario);
			cell(o, v->name);
			markup_cell(o, v->pass ? "✅ pass" : "❌ **FAIL**");
			cell(o, v->measured);
			cell(o, v->bound);
			rout_putc(o, '\n');
		}
	}
}
