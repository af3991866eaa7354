/*
 * Traffic accounting as a user compares runs: a service's requests, CPU
 * and latency depend on its own tasks, targets and instances only — not,
 * even in their last bits, on what an unrelated service on other
 * instances does in the same minutes.
 */
#include <stdio.h>
#include <string.h>

#include "tests/scn_util.h"
#include "tests/suites.h"

/* "web" (two tasks on the t3.medium instances, constant load) and
 * "batch" (on the m5.large instances, no load); batch_timeline: the
 * timeline's calls for batch. */
static void
two_services(char *buf, size_t size, const char *batch_timeline)
{
	snprintf(buf, size,
	    "{\"duration\": \"30m\", \"sampleInterval\": \"1m\","
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": ["
	    "  {\"type\": \"t3.medium\", \"count\": 2}, {\"type\": \"m5.large\", \"count\": 4}]}],"
	    " \"taskDefinitions\": ["
	    "  {\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"web:1\","
	    "   \"cpu\": 256, \"memory\": 256}]},"
	    "  {\"family\": \"batch\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"batch:1\","
	    "   \"cpu\": 512, \"memory\": 256}]}],"
	    " \"services\": ["
	    "  {\"serviceName\": \"web\", \"taskDefinition\": \"web\", \"desiredCount\": 2,"
	    "   \"placementConstraints\": [{\"type\": \"memberOf\", \"expression\": \"attribute:ecs.instance-type == t3.medium\"}]},"
	    "  {\"serviceName\": \"batch\", \"taskDefinition\": \"batch\", \"desiredCount\": 2,"
	    "   \"placementConstraints\": [{\"type\": \"memberOf\", \"expression\": \"attribute:ecs.instance-type == m5.large\"}]}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": {\"diurnal\": {\"base\": 40, \"peak\": 90, \"peakHour\": 0}},"
	    "   \"cpuMsPerRequest\": 7, \"baseLatencyMs\": 12}],"
	    " \"timeline\": [%s]}",
	    batch_timeline);
}

static void
series(const recorder *r, const char *name, double *out, size_t *n)
{
	int id = rec_series_find(r, name);
	ck_assert_msg(id >= 0, "no series %s", name);
	*n = rec_row_count(r);
	for (size_t i = 0; i < *n; i++)
		out[i] = rec_get(r, id, i);
}

/* batch scaling out and in every few minutes (tasks starting and
 * stopping on the other instances) leaves web's rows exactly as they are
 * when batch does nothing. */
START_TEST(test_unrelated_churn_leaves_numbers_alone)
{
	static const char *const names[] = {"service/web/requests",
		"service/web/cpu", "service/web/latencyP50", "service/web/latencyP99"};
	char json[4096];
	cli_result quiet, busy;
	two_services(json, sizeof(json), "");
	su_run_ok(json, &quiet);
	two_services(json, sizeof(json),
	    "{\"at\": \"4m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"batch\", \"desiredCount\": 6}},"
	    "{\"at\": \"9m30s\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"batch\", \"desiredCount\": 1}},"
	    "{\"at\": \"13m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"batch\", \"desiredCount\": 5}},"
	    "{\"at\": \"21m10s\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"batch\", \"desiredCount\": 2}}");
	su_run_ok(json, &busy);
	ck_assert_int_gt(su_count_events(busy.rec, "(service batch) has stopped"), 1);
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		double a[64], b[64];
		size_t na, nb;
		series(quiet.rec, names[k], a, &na);
		series(busy.rec, names[k], b, &nb);
		ck_assert_uint_eq(na, nb);
		for (size_t i = 0; i < na; i++)
			ck_assert_msg(memcmp(&a[i], &b[i], sizeof(a[i])) == 0,
			    "%s row %zu: %.17g alone, %.17g with batch changing", names[k], i, a[i], b[i]);
	}
	cli_result_free(&quiet);
	cli_result_free(&busy);
}
END_TEST

Suite *
traffic_suite(void)
{
	Suite *s = suite_create("traffic");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_unrelated_churn_leaves_numbers_alone);
	suite_add_tcase(s, tc);
	return s;
}
