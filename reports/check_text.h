/*
 * check_text — the lines `ecsim check` and `ecsim validate` print, one
 * per verdict or error, for a terminal or a CI log.
 *
 * Invariant: every user-given string (scenario and assertion names, file
 * names, error texts) goes through rout_text, so each call prints exactly
 * the lines it says and no control character reaches the output raw: a
 * name cannot forge a PASS line, a GitHub Actions "::error::" command or
 * a terminal escape.
 */
#ifndef REPORTS_CHECK_TEXT_H
#define REPORTS_CHECK_TEXT_H

#include <stddef.h>

#include "reports/expect.h"
#include "reports/rout.h"
#include "sim/error.h"

/* How the lines look: the word (PASS, FAIL, ERROR) in colour for a
 * terminal, and, for -q, the failing verdicts only. */
enum {
	RCHECK_COLOR = 1 << 0,
	RCHECK_FAILURES = 1 << 1,
};

/* "PASS  scenario: name (measured; expected bound)" per verdict of res,
 * or "----  scenario: no expectations" (neither with RCHECK_FAILURES,
 * which keeps the FAIL lines only). */
void rcheck_verdicts(rout *o, const char *scenario, const expect_result *res,
    int flags);
/* "ERROR file: <error>" for one error of a scenario that could not run. */
void rcheck_error(rout *o, const char *file, const sim_error *e, int flags);
/* "N assertions, N failed, N scenarios with errors". */
void rcheck_totals(rout *o, size_t total, size_t failed, size_t errors);
/* validate: "file: ok (scenario)". */
void rcheck_valid(rout *o, const char *file, const char *scenario);

#endif
