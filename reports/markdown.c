/*
 * markdown — the CI job summary (see markdown.h).
 */
#include "reports/markdown.h"

#include <stdio.h>
#include <string.h>

/* Text safe in a table cell and in running text. */
static void
md_text(rout *o, const char *s)
{
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
}

/* One table cell. */
static void
cell(rout *o, const char *s)
{
	rout_putc(o, ' ');
	md_text(o, s);
	rout_puts(o, " |");
}

static bool
ran(const expect_run *run)
{
	return run->error == NULL && run->result != NULL;
}

static void
verdict_row(rout *o, const expect_run *run, const expect_verdict *v)
{
	char where[1100];
	rout_putc(o, '|');
	cell(o, run->scenario);
	cell(o, v->name);
	cell(o, v->measured);
	cell(o, v->bound);
	if (v->file != NULL && v->line > 0)
		snprintf(where, sizeof(where), "%s:%d", v->file, v->line);
	else
		snprintf(where, sizeof(where), "%s", v->file ? v->file : "");
	cell(o, where);
	rout_putc(o, '\n');
}

static const char table_head[] =
    "| Scenario | Assertion | Measured | Expected | Where |\n"
    "| --- | --- | --- | --- | --- |\n";

void
rmd_write(rout *o, const expect_run *runs, size_t n)
{
	size_t tests = 0, failed = 0, errors = 0, empty = 0;
	for (size_t i = 0; i < n; i++) {
		if (!ran(&runs[i])) {
			errors++;
			continue;
		}
		tests += expect_result_count(runs[i].result);
		failed += expect_result_failed(runs[i].result);
		empty += expect_result_count(runs[i].result) == 0;
	}
	rout_printf(o, "## ecsim check: %zu scenario%s, %zu assertion%s, "
	    "%zu failed", n, n == 1 ? "" : "s", tests, tests == 1 ? "" : "s",
	    failed);
	if (errors > 0)
		rout_printf(o, ", %zu could not run", errors);
	rout_puts(o, failed == 0 && errors == 0 ? " ✅\n" : " ❌\n");

	if (failed > 0) {
		rout_printf(o, "\n### ❌ Failed (%zu)\n\n%s", failed, table_head);
		for (size_t i = 0; i < n; i++)
			if (ran(&runs[i]))
				for (size_t k = 0; k < expect_result_count(runs[i].result);
				    k++) {
					const expect_verdict *v = expect_result_at(runs[i].result,
					    k);
					if (!v->pass)
						verdict_row(o, &runs[i], v);
				}
	}
	if (errors > 0) {
		rout_printf(o, "\n### 💥 Could not run (%zu)\n\n| Scenario | Error "
		    "|\n| --- | --- |\n", errors);
		for (size_t i = 0; i < n; i++)
			if (!ran(&runs[i])) {
				rout_putc(o, '|');
				cell(o, runs[i].scenario);
				cell(o, runs[i].error ? runs[i].error : "no result");
				rout_putc(o, '\n');
			}
	}
	size_t passed = tests - failed;
	if (passed > 0 || empty > 0) {
		rout_printf(o, "\n<details><summary>✅ Passed (%zu)</summary>\n\n",
		    passed);
		if (passed > 0) {
			rout_puts(o, table_head);
			for (size_t i = 0; i < n; i++)
				if (ran(&runs[i]))
					for (size_t k = 0;
					    k < expect_result_count(runs[i].result); k++) {
						const expect_verdict *v = expect_result_at(
						    runs[i].result, k);
						if (v->pass)
							verdict_row(o, &runs[i], v);
					}
		}
		if (empty > 0) {
			rout_puts(o, passed > 0 ? "\nWithout assertions:" :
			    "Without assertions:");
			for (size_t i = 0, k = 0; i < n; i++)
				if (ran(&runs[i]) &&
				    expect_result_count(runs[i].result) == 0) {
					rout_puts(o, k++ ? ", " : " ");
					md_text(o, runs[i].scenario);
				}
			rout_putc(o, '\n');
		}
		rout_puts(o, "\n</details>\n");
	}
}
