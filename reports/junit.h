/*
 * junit — junit.xml for CI: one <testsuite> per scenario, one <testcase>
 * per assertion, a <failure message="measured X, expected Y"> for each
 * failed one; a scenario that could not run is one <testcase name="run">
 * with an <error>. Counts (tests, failures, errors) are on <testsuites>
 * and on every <testsuite>; time is "0" (simulated runs have no wall time
 * worth reporting, and outputs stay byte-identical).
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
