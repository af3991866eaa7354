/*
 * A recorder shaped like a real run, shared by the report suites
 * (defined in tests/test_reports.c).
 */
#ifndef TESTS_REP_FIXTURE_H
#define TESTS_REP_FIXTURE_H

#include "sim/recorder.h"

/*
 * A 20-minute run of one service (named service) on cluster "default":
 * web:1 created at 0, web:2 deployed at 5m and completed at 11m30s, a
 * scale-out at 14m, one placement failure, traffic with latency and cost.
 */
void realistic(recorder *r, const char *service);

#endif
