/*
 * markdown — the CI job summary table (see markdown.h).
 */
#include "reports/markdown.h"

#include <string.h>

/* Text for one table cell. */
static void
cell(rout *o, const char *s)
{
	rout_putc(o, ' ');
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '|': rout_puts(o, "\\|"); break;
		case '<': rout_puts(o, "&lt;"); break;
		case '>': rout_puts(o, "&gt;"); break;
		case '&': rout_puts(o, "&amp;"); break;
		case '\r':
		case '\n': rout_putc(o, ' '); break;
		default: rout_putc(o, *s); break;
		}
	}
	rout_puts(o, " |");
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
			cell(o, "(run)");
			cell(o, "💥 error");
			cell(o, run->error ? run->error : "no result");
			cell(o, "");
			rout_putc(o, '\n');
			continue;
		}
		size_t nv = expect_result_count(run->result);
		if (nv == 0) {
			rout_putc(o, '|');
			cell(o, run->scenario);
			cell(o, "(no assertions)");
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
			cell(o, v->pass ? "✅ pass" : "❌ **FAIL**");
			cell(o, v->measured);
			cell(o, v->bound);
			rout_putc(o, '\n');
		}
	}
}
