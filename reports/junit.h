/*
 * junit — junit.xml for CI: one <testsuite> per scenario, one <testcase>
 * per assertion, a <failure message="measured X, expected Y"> for each
 * failed one; a scenario that could not run is one <testcase name="run">
 * with an <error>. Counts (tests, failures, errors) are on <testsuites>
 * and on every <testsuite>.
 *
 * Attributes beyond the counts:
 *   - time (seconds, 3 decimals): every <testcase> of a scenario carries
 *     the wall time of the scenario's run (its assertions share that one
 *     run), the <testsuite> the same, <testsuites> the sum over
 *     scenarios. The caller measures it (expect_run.wall_seconds).
 *   - <testsuite> timestamp (local time, "2025-01-31T14:05:09", the form
 *     the JUnit schema asks: no zone) and hostname: from expect_run, else
 *     the time of writing and this machine's name; file: the scenario.
 *   - <testcase> file and line: where the assertion is in the scenario,
 *     so annotation-based reporters point at it.
 * tests/data/junit/junit.xsd states the rules (and names their source);
 * tests check the output against them.
 *
 * All text is XML-escaped; characters XML 1.0 forbids become U+FFFD.
 */
#ifndef REPORTS_JUNIT_H
#define REPORTS_JUNIT_H

#include <stddef.h>

#include "reports/expect.h"
#include "reports/rout.h"

/* Print the JUnit document for runs[0..n-1] (borrowed) to o. */
void rjunit_write(rout *o, const expect_run *runs, size_t n);

#endif
