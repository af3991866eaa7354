/*
 * summary_text — the terminal summary `ecsim run` prints, results first:
 * the run in four lines (name, file, seed, duration); per service its
 * deployments (revision from -> to, times, outcome, circuit breaker,
 * tasks, lowest healthy vs the minimum, failed tasks' stop codes, where
 * the time went), running tasks, lowest healthy, scaling, requests and
 * errors, latency and cost; per cluster its instances and cost; capacity
 * scaling and placement failures; a run line when there are several
 * services or clusters; the expectation verdicts (failures first, with
 * what was measured); one line counting the assumptions by tag (with the
 * ones the scenario set), or all of them on request; one line saying
 * where to read more. The scenario's description is left to report.html.
 *
 * Invariant: every line fits 80 columns (long words are broken), sections
 * without data are left out, and the same recorder gives the same bytes.
 */
#ifndef REPORTS_SUMMARY_TEXT_H
#define REPORTS_SUMMARY_TEXT_H

#include <stdbool.h>

#include "reports/expect.h"
#include "reports/rout.h"
#include "sim/recorder.h"

/* Width every line fits in. */
#define RTEXT_WIDTH 80

/* What the caller can ask of the summary. */
typedef struct rtext_opts {
	bool all_assumptions; /* every assumption with its note (--assumptions),
	                       * instead of one line of counts by tag */
	const char *outdir;   /* where `run -o` wrote the files, or NULL */
	bool no_read_more;    /* leave out the last "report: ..." line */
} rtext_opts;

/* Print the summary of r to o; res (borrowed, may be NULL) adds the
 * expectation verdicts; opts (borrowed, NULL: the defaults, all false).
 * Errors are left in o (see rout_flush). */
void rtext_write_opts(rout *o, const recorder *r, const expect_result *res,
    const rtext_opts *opts);
/* rtext_write_opts with the default options. */
void rtext_write(rout *o, const recorder *r, const expect_result *res);

/* Print text word-wrapped: the cursor is at column col (0-based, text
 * already on the line), continuation lines start with indent spaces, and
 * the last line ends with a newline. Words longer than a line are broken.
 * Exported for the other plain-text reports and for tests. */
void rtext_wrap(rout *o, int col, int indent, const char *text);

#endif
