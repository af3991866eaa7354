/*
 * aws_retry — which AWS errors are worth another attempt, and how long to
 * wait before it: the SDKs' "standard" retry mode.
 *
 * [DOC] AWS SDKs and Tools Reference Guide, "Retry behavior"
 * (docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html):
 * standard mode makes 3 attempts by default (max_attempts), retries
 * throttling errors, transient errors (HTTP 500/502/503/504, timeouts,
 * connection failures) and waits an exponential backoff with full jitter
 * between attempts, capped at 20 s:
 *     delay(i) = u * min(base * 2^(i-1), 20 s),  u uniform in [0, 1)
 * for the i-th retry. base is 50 ms here ([INF]: the SDKs have used
 * 50 ms to 1 s; named so a user can change it with --retry-base).
 *
 * Pure: the uniform draw is the caller's (deterministic in tests).
 * Invariant: 0 <= delay <= cap.
 */
#ifndef SIM_AWS_RETRY_H
#define SIM_AWS_RETRY_H

#include <stdbool.h>

#include "sim/simtime.h"

typedef struct aws_retry_policy {
	int max_attempts; /* >= 1; 1 means no retry */
	sim_time base;    /* first retry's ceiling */
	sim_time cap;     /* no wait is longer */
} aws_retry_policy;

#define AWSRETRY_DEFAULT_ATTEMPTS 3
#define AWSRETRY_DEFAULT_BASE (50 * SIM_MS)
#define AWSRETRY_DEFAULT_CAP (20 * SIM_SEC)

/* The standard policy: 3 attempts, 50 ms base, 20 s cap. */
aws_retry_policy awsretry_standard(void);

/* True when error code (AWS's, "" or NULL when the response had none) is
 * a throttling error of the SDKs' list: Throttling, ThrottlingException,
 * ThrottledException, RequestThrottledException, TooManyRequestsException,
 * ProvisionedThroughputExceededException, TransactionInProgressException,
 * RequestLimitExceeded, BandwidthLimitExceeded, LimitExceededException,
 * RequestThrottled, SlowDown, PriorRequestNotComplete,
 * EC2ThrottledException. */
bool awsretry_is_throttling(const char *code);

/* True when a response (http_status, 0 when none arrived: a connection
 * failure or timeout) with error code should be retried: throttling
 * codes, the transient codes RequestTimeout, RequestTimeoutException,
 * InternalError, InternalFailure, ServiceUnavailable, and HTTP 429, 500,
 * 502, 503, 504 or no response. */
bool awsretry_retryable(long http_status, const char *code);

/* Wait before retry number `retry` (1 for the wait after the first
 * attempt) with the uniform draw u in [0, 1). */
sim_time awsretry_backoff(const aws_retry_policy *p, int retry, double u);

#endif
