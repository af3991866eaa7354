/*
 * check_text — check's and validate's lines (see check_text.h).
 */
#include "reports/check_text.h"

#include <stdlib.h>

#include "sim/xalloc.h"

/* The verdict's word, coloured (green, bold red) when asked. */
static void
word(rout *o, const char *w, const char *sgr, int flags)
{
	if (flags & RCHECK_COLOR)
		rout_printf(o, "\033[%sm%s\033[0m", sgr, w);
	else
		rout_puts(o, w);
}

void
rcheck_verdicts(rout *o, const char *scenario, const expect_result *res,
    int flags)
{
	size_t n = expect_result_count(res);
	if (n == 0 && !(flags & RCHECK_FAILURES)) {
		rout_puts(o, "----  ");
		rout_text(o, scenario);
		rout_puts(o, ": no expectations\n");
	}
	for (size_t k = 0; k < n; k++) {
		const expect_verdict *v = expect_result_at(res, k);
		if (v->pass && (flags & RCHECK_FAILURES))
			continue;
		word(o, v->pass ? "PASS" : "FAIL", v->pass ? "32" : "1;31", flags);
		rout_puts(o, "  ");
		rout_text(o, scenario);
		rout_puts(o, ": ");
		rout_text(o, v->name);
		rout_puts(o, " (");
		rout_text(o, v->measured);
		rout_puts(o, "; expected ");
		rout_text(o, v->bound);
		rout_puts(o, ")\n");
	}
}

void
rcheck_error(rout *o, const char *file, const sim_error *e, int flags)
{
	char *buf = xmalloc(SIM_ERROR_TEXT);
	sim_error_format(e, buf, SIM_ERROR_TEXT); /* escaped already */
	word(o, "ERROR", "1;31", flags);
	rout_puts(o, " ");
	rout_text(o, file);
	rout_puts(o, ": ");
	rout_puts(o, buf);
	rout_putc(o, '\n');
	free(buf);
}

void
rcheck_totals(rout *o, size_t total, size_t failed, size_t errors)
{
	rout_printf(o, "%zu assertions, %zu failed, %zu scenarios with errors\n",
	    total, failed, errors);
}

void
rcheck_valid(rout *o, const char *file, const char *scenario)
{
	rout_text(o, file);
	rout_puts(o, ": ok (");
	rout_text(o, scenario);
	rout_puts(o, ")\n");
}
