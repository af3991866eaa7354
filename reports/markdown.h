/*
 * markdown — a Markdown summary of `ecsim check` for CI job summaries
 * (GitHub's $GITHUB_STEP_SUMMARY and the like), failures first:
 *
 *   a headline with the counts;
 *   "### Failed (N)": one table row per failed assertion with its
 *     scenario, the measured value, the bound and file:line;
 *   "### Could not run (N)": one row per scenario that did not load or
 *     run, with its error;
 *   the passed assertions folded into <details> (one table, same
 *     columns), and scenarios without assertions listed there.
 *
 * Sections without rows are left out. Cell text is escaped (| < > & and
 * newlines) so a name cannot break the table or inject HTML.
 */
#ifndef REPORTS_MARKDOWN_H
#define REPORTS_MARKDOWN_H

#include <stddef.h>

#include "reports/expect.h"
#include "reports/rout.h"

/* Print the summary of runs[0..n-1] (borrowed) to o. */
void rmd_write(rout *o, const expect_run *runs, size_t n);

#endif
