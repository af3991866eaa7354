/*
 * markdown — a Markdown summary of `ecsim check` for CI job summaries
 * (GitHub's $GITHUB_STEP_SUMMARY and the like): a headline with the
 * counts, then one table row per scenario and assertion with the result,
 * the measured value and the bound. Cell text is escaped (| < > & and
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
