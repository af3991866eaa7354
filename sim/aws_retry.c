/*
 * aws_retry — the standard retry mode's rules (see aws_retry.h).
 */
#include "sim/aws_retry.h"

#include <string.h>

#include "sim/error.h"

aws_retry_policy
awsretry_standard(void)
{
	aws_retry_policy p = {AWSRETRY_DEFAULT_ATTEMPTS, AWSRETRY_DEFAULT_BASE,
	    AWSRETRY_DEFAULT_CAP};
	return p;
}

static bool
in_list(const char *code, const char *const *list, size_t n)
{
	if (code == NULL || *code == '\0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(code, list[i]) == 0)
			return true;
	return false;
}

bool
awsretry_is_throttling(const char *code)
{
	static const char *const throttling[] = {
		"Throttling", "ThrottlingException", "ThrottledException",
		"RequestThrottledException", "TooManyRequestsException",
		"ProvisionedThroughputExceededException",
		"TransactionInProgressException", "RequestLimitExceeded",
		"BandwidthLimitExceeded", "LimitExceededException",
		"RequestThrottled", "SlowDown", "PriorRequestNotComplete",
		"EC2ThrottledException",
	};
	return in_list(code, throttling, sizeof(throttling) / sizeof(throttling[0]));
}

bool
awsretry_retryable(long http_status, const char *code)
{
	static const char *const transient[] = {
		"RequestTimeout", "RequestTimeoutException", "InternalError",
		"InternalFailure", "ServiceUnavailable",
	};
	if (awsretry_is_throttling(code) ||
	    in_list(code, transient, sizeof(transient) / sizeof(transient[0])))
		return true;
	return http_status == 0 || http_status == 429 || http_status == 500 ||
	    http_status == 502 || http_status == 503 || http_status == 504;
}

sim_time
awsretry_backoff(const aws_retry_policy *p, int retry, double u)
{
	SIM_ASSERT(retry >= 1);
	if (u < 0)
		u = 0;
	if (u >= 1)
		u = 0.999999999;
	sim_time ceiling = p->base;
	for (int i = 1; i < retry && ceiling < p->cap; i++)
		ceiling *= 2;
	if (ceiling > p->cap)
		ceiling = p->cap;
	return (sim_time)(u * (double)ceiling);
}
