/*
 * Load balancer and traffic (ecs-deployments.md §4.4, §5): time to
 * healthy, unhealthy detection, draining, fail-open, the grace period,
 * request errors during deployments, and the event-skipping health model
 * against checking every interval.
 */
#include <stdio.h>
#include <string.h>

#include "tests/scn_util.h"
#include "tests/suites.h"

typedef struct lb_opts {
	int interval, healthy, unhealthy, dereg; /* target group */
	int minp, maxp, grace;
	const char *v2_health;                   /* behaviour of app:2 */
	const char *params;                      /* extra "parameters" */
	double rps;
} lb_opts;

static void
lb_defaults(lb_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->interval = 30;
	o->healthy = 5;
	o->unhealthy = 2;
	o->dereg = 300;
	o->minp = 100;
	o->maxp = 200;
	o->v2_health = "\"pass\"";
	o->params = "";
	o->rps = 20;
}

/* Two t3.medium, a service of 2 tasks behind an ALB target group, constant
 * load; app:2 deployed at 10 minutes. Image timings are constant: RUNNING
 * 13 s after launch (pull 10 s, start 2 s, ACTIVATING 1 s), ready 5 s
 * later. */
static void
lb_scenario(char *buf, size_t size, const lb_opts *o)
{
	snprintf(buf, size,
	    "{\"duration\": \"40m\", \"sampleInterval\": \"10s\","
	    " \"parameters\": {%s},"
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"5s\", \"shutdownTime\": \"1s\"},"
	    "   \"app:2\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"5s\", \"shutdownTime\": \"1s\", \"healthCheck\": %s}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256, \"portMappings\": [{\"containerPort\": 8080}]}]}],"
	    " \"targetGroups\": [{\"Name\": \"web-tg\", \"HealthCheckIntervalSeconds\": %d, \"HealthCheckTimeoutSeconds\": %d,"
	    "   \"HealthyThresholdCount\": %d, \"UnhealthyThresholdCount\": %d,"
	    "   \"Attributes\": [{\"Key\": \"deregistration_delay.timeout_seconds\", \"Value\": \"%d\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2,"
	    "   \"healthCheckGracePeriodSeconds\": %d,"
	    "   \"deploymentConfiguration\": {\"maximumPercent\": %d, \"minimumHealthyPercent\": %d},"
	    "   \"loadBalancers\": [{\"targetGroupArn\": \"web-tg\", \"containerName\": \"app\", \"containerPort\": 8080}]}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": %g, \"cpuMsPerRequest\": 5}],"
	    " \"timeline\": ["
	    "  {\"at\": \"10m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": {\"family\": \"app\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:2\", \"cpu\": 256, \"memory\": 256,"
	    "   \"portMappings\": [{\"containerPort\": 8080}]}]}},"
	    "  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app\"}}"
	    " ]}",
	    o->params, o->v2_health, o->interval, o->interval < 10 ? 2 : 5, o->healthy, o->unhealthy,
	    o->dereg, o->grace, o->maxp, o->minp, o->rps);
}

static const rec_fact *
dep(const recorder *r, size_t i)
{
	const rec_fact *f = su_fact(r, "deployment", i);
	ck_assert_msg(f != NULL, "no deployment %zu", i);
	return f;
}

static sim_time
fact_time(const rec_fact *f, const char *key)
{
	const rec_value *v = rec_fact_get(f, key);
	ck_assert_msg(v != NULL, "no field %s", key);
	return v->i;
}

/* [DOC]/[INF] a new target needs HealthyThresholdCount checks (default),
 * the first one interval after registration: 5 × 30 s = 150 s, as the ECS
 * Best Practices guide computes; 10 s × 2 = 20 s when tuned. */
START_TEST(test_time_to_healthy)
{
	char json[8192];
	lb_opts o;
	cli_result res;
	lb_defaults(&o);
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	ck_assert_int_eq(fact_time(dep(res.rec, 0), "timeHealth"), 150 * SIM_SEC);
	cli_result_free(&res);

	o.interval = 10;
	o.healthy = 2;
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	ck_assert_int_eq(fact_time(dep(res.rec, 0), "timeHealth"), 20 * SIM_SEC);
	cli_result_free(&res);
}
END_TEST

/* [DOC] unhealthy after UnhealthyThresholdCount failed checks; ECS then
 * replaces the task, with AWS's event text. */
START_TEST(test_unhealthy_detected)
{
	char json[8192];
	lb_opts o;
	cli_result res;
	lb_defaults(&o);
	o.v2_health = "\"fail\"";
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	/* update at 10:00, pass at 10:01, RUNNING (registered) at 10:14,
	 * checks at +30 and +60: unhealthy at 10:14 + 60 s */
	sim_time t = su_first_event(res.rec, "initial -> unhealthy");
	ck_assert_int_eq(t, 10 * SIM_MIN + 14 * SIM_SEC + 60 * SIM_SEC);
	ck_assert_int_eq(su_first_event(res.rec, "is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/"), t);
	ck_assert_int_ge(su_count_events(res.rec, "due to (reason Health checks failed with these codes: [503])."), 1);
	/* [DOC] maximumPercent 200 leaves no room (2 old + 2 new): unhealthy
	 * tasks are stopped one by one (at the next scheduler pass, 1 s later),
	 * then started again */
	ck_assert_int_eq(su_count_events(res.rec, "Amazon ECS replaced"), 0);
	ck_assert_int_eq(su_first_event(res.rec, "has stopped 1 running tasks"), t + SIM_SEC);
	/* the old tasks keep serving: 100 % minimum holds */
	ck_assert_int_eq((int)su_series_min(res.rec, "service/web/healthy", 5 * SIM_MIN), 2);
	cli_result_free(&res);

	/* [DOC since Oct 2023] with room under maximumPercent, a replacement
	 * starts first */
	o.maxp = 300;
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	t = su_first_event(res.rec, "is unhealthy in (target-group");
	ck_assert_int_eq(su_first_event(res.rec, "Amazon ECS replaced 2 tasks due to an unhealthy status."), t + SIM_SEC);
	cli_result_free(&res);
}
END_TEST

/* [DOC] healthCheckGracePeriodSeconds: unhealthy verdicts are ignored for
 * that long after the task started. */
START_TEST(test_grace_period)
{
	char json[8192];
	lb_opts o;
	cli_result res;
	lb_defaults(&o);
	o.v2_health = "\"fail\"";
	o.grace = 300;
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	/* unhealthy at 10:14 + 60 s, but acted on only at 10:14 + 300 s */
	ck_assert_int_eq(su_first_event(res.rec, "initial -> unhealthy"), 11 * SIM_MIN + 14 * SIM_SEC);
	ck_assert_int_eq(su_first_event(res.rec, "is unhealthy in (target-group"), 15 * SIM_MIN + 14 * SIM_SEC);
	cli_result_free(&res);
}
END_TEST

/* [DOC] draining holds the old task for the deregistration delay when it
 * has traffic; completion waits for it. */
START_TEST(test_draining_delay)
{
	char json[8192];
	lb_opts o;
	cli_result res;
	lb_defaults(&o);
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	const rec_fact *d = dep(res.rec, 1);
	ck_assert_int_eq(fact_time(d, "timeDraining"), 300 * SIM_SEC);
	/* health 150 s + draining 300 s + start and stop */
	sim_time dur = fact_time(d, "duration");
	ck_assert_int_ge(dur, 450 * SIM_SEC);
	ck_assert_int_le(dur, 480 * SIM_SEC);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "COMPLETED");
	/* 100 % healthy throughout the deployment: no request fails (errors
	 * happen only at the start, before the first task answers) */
	ck_assert_double_eq_tol(su_series_max(res.rec, "service/web/errors", 5 * SIM_MIN), 0, 1e-9);
	ck_assert_int_gt(rec_fact_get_int(su_fact(res.rec, "service", 0), "requests", -1), 40000);
	cli_result_free(&res);

	/* tuned: 10 s checks, threshold 2, 30 s delay: far shorter */
	o.interval = 10;
	o.healthy = 2;
	o.dereg = 30;
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	d = dep(res.rec, 1);
	ck_assert_int_eq(fact_time(d, "timeDraining"), 30 * SIM_SEC);
	dur = fact_time(d, "duration");
	ck_assert_int_ge(dur, 50 * SIM_SEC);
	ck_assert_int_le(dur, 80 * SIM_SEC);
	cli_result_free(&res);
}
END_TEST

/* Stop-first (minimumHealthyPercent 0): with load, requests fail while no
 * task can answer. */
START_TEST(test_stop_first_errors)
{
	char json[8192];
	lb_opts o;
	cli_result res;
	lb_defaults(&o);
	o.minp = 0;
	o.maxp = 100;
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	ck_assert_int_eq(rec_fact_get_int(dep(res.rec, 1), "lowestHealthy", -1), 0);
	/* 20 req/s with nothing able to answer for at least the 18 s from
	 * launch to ready, during the deployment */
	int id = rec_series_find(res.rec, "service/web/errors");
	double errors = 0;
	for (size_t i = 0; i < rec_row_count(res.rec); i++)
		if (rec_row_time(res.rec, i) > 10 * SIM_MIN)
			errors += rec_get(res.rec, id, i);
	ck_assert_double_ge(errors, 18 * 20);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
}
END_TEST

/* [DOC] fail open: when every target is unhealthy the ALB routes to all of
 * them. The new tasks' health check fails (a wrong path) but the app
 * answers; with a long grace period ECS does not replace them. */
START_TEST(test_fail_open)
{
	char json[8192];
	lb_opts o;
	cli_result res;
	lb_defaults(&o);
	o.minp = 0;
	o.maxp = 100;
	o.grace = 3600;
	o.v2_health = "\"fail\"";
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	/* after the old tasks are gone, no target is healthy ... */
	ck_assert_int_eq((int)su_series_max(res.rec, "service/web/healthy", 15 * SIM_MIN), 0);
	/* ... yet requests after the new tasks are ready succeed */
	int id = rec_series_find(res.rec, "service/web/errors");
	int rq = rec_series_find(res.rec, "service/web/requests");
	double err = 0, req = 0;
	for (size_t i = 0; i < rec_row_count(res.rec); i++)
		if (rec_row_time(res.rec, i) > 15 * SIM_MIN) {
			err += rec_get(res.rec, id, i);
			req += rec_get(res.rec, rq, i);
		}
	ck_assert_double_gt(req, 10000);
	ck_assert_double_eq_tol(err, 0, 1e-6);
	cli_result_free(&res);
}
END_TEST

/* The event-skipping health model equals checking every interval: flaky
 * targets (each check passes with p = 0.75, unhealthy after 2 failures),
 * both modes, identical event logs; the fast one executes fewer events. */
START_TEST(test_skipping_equals_every_check)
{
	char json[8192];
	lb_opts o;
	cli_result fast, slow;
	lb_defaults(&o);
	o.v2_health = "{\"flaky\": 0.75}";
	o.grace = 120;
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &fast);
	o.params = "\"elb.evaluateEveryCheck\": true";
	lb_scenario(json, sizeof(json), &o);
	su_run_ok(json, &slow);
	size_t n = rec_event_count(fast.rec);
	ck_assert_uint_eq(n, rec_event_count(slow.rec));
	int flips = 0;
	for (size_t i = 0; i < n; i++) {
		const rec_event *a = rec_event_at(fast.rec, i), *b = rec_event_at(slow.rec, i);
		ck_assert_int_eq(a->t, b->t);
		ck_assert_str_eq(a->text, b->text);
		flips += strstr(a->text, "-> unhealthy") != NULL;
	}
	ck_assert_int_ge(flips, 3); /* the scenario does exercise flaky flips */
	ck_assert_uint_lt(fast.events, slow.events);
	cli_result_free(&fast);
	cli_result_free(&slow);
}
END_TEST

/* sim:SetLoad changes the load from its time on: a constant, then a
 * factor on the curve. */
START_TEST(test_set_load)
{
	const char *json =
	    "{\"duration\": \"30m\", \"sampleInterval\": \"1m\","
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"w\", \"taskDefinition\": \"app\", \"desiredCount\": 1}],"
	    " \"workload\": [{\"service\": \"w\", \"requestsPerSecond\": 10, \"cpuMsPerRequest\": 1}],"
	    " \"timeline\": [{\"at\": \"10m\", \"call\": \"sim:SetLoad\", \"input\": {\"service\": \"w\", \"requestsPerSecond\": 50}},"
	    "   {\"at\": \"20m\", \"call\": \"sim:SetLoad\", \"input\": {\"service\": \"w\", \"scale\": 0.5}}]}";
	cli_result res;
	su_run_ok(json, &res);
	int id = rec_series_find(res.rec, "service/w/requests");
	ck_assert_int_ge(id, 0);
	/* each row holds the minute before it */
	for (size_t i = 0; i < rec_row_count(res.rec); i++) {
		sim_time t = rec_row_time(res.rec, i);
		double want = t <= 0 ? 0 : t <= 10 * SIM_MIN ? 600 : t <= 20 * SIM_MIN ? 3000 : 300;
		ck_assert_double_eq_tol(rec_get(res.rec, id, i), want, 1e-6);
	}
	ck_assert_int_eq(su_count_events(res.rec, "load of service w set to 50 requests/s"), 1);
	ck_assert_int_eq(su_count_events(res.rec, "load of service w scaled by 0.5"), 1);
	cli_result_free(&res);
}
END_TEST

/* [INF] traffic.idleTasksYieldCpu: CPU shares are work-conserving. A t3.medium
 * (2 vCPU) runs "api" (512 CPU units, 60 req/s x 25 ms = 1.5 vCPU) and
 * "side" (1536 units) whose only target never turns healthy: side gets no
 * requests, so api may use the whole instance and answers everything.
 * With the parameter off side keeps its share and api, held to 0.5 vCPU,
 * drops requests. */
static void
share_scenario(char *buf, size_t size, const char *yield)
{
	snprintf(buf, size,
	    "{\"duration\": \"20m\", \"sampleInterval\": \"10s\","
	    " \"parameters\": {\"traffic.idleTasksYieldCpu\": %s},"
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"5s\"},"
	    "   \"side:1\": {\"pullTime\": \"10s\", \"healthCheck\": \"fail\"}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 1}]}],"
	    " \"taskDefinitions\": ["
	    "  {\"family\": \"api\", \"containerDefinitions\": [{\"name\": \"api\", \"image\": \"api:1\", \"cpu\": 512, \"memory\": 256}]},"
	    "  {\"family\": \"side\", \"containerDefinitions\": [{\"name\": \"side\", \"image\": \"side:1\", \"cpu\": 1536, \"memory\": 256,"
	    "    \"portMappings\": [{\"containerPort\": 8080}]}]}],"
	    " \"targetGroups\": [{\"Name\": \"side-tg\"}],"
	    " \"services\": [{\"serviceName\": \"api\", \"taskDefinition\": \"api\", \"desiredCount\": 1},"
	    "  {\"serviceName\": \"side\", \"taskDefinition\": \"side\", \"desiredCount\": 1,"
	    "   \"healthCheckGracePeriodSeconds\": 7200,"
	    "   \"loadBalancers\": [{\"targetGroupArn\": \"side-tg\", \"containerName\": \"side\", \"containerPort\": 8080}]}],"
	    " \"workload\": [{\"service\": \"api\", \"requestsPerSecond\": 60, \"cpuMsPerRequest\": 25},"
	    "  {\"service\": \"side\", \"requestsPerSecond\": 1, \"cpuMsPerRequest\": 5}]}",
	    yield);
}

START_TEST(test_idle_neighbour_yields_cpu)
{
	char json[8192];
	cli_result res;
	share_scenario(json, sizeof(json), "true");
	su_run_ok(json, &res);
	/* side is RUNNING from the start, its target unhealthy throughout */
	ck_assert_int_ge(su_first_event(res.rec, "initial -> unhealthy"), 0);
	ck_assert_double_eq(su_series_min(res.rec, "service/side/running", 2 * SIM_MIN), 1);
	ck_assert_double_eq_tol(su_series_max(res.rec, "service/api/errors", 2 * SIM_MIN), 0, 1e-9);
	cli_result_free(&res);

	share_scenario(json, sizeof(json), "false");
	su_run_ok(json, &res);
	/* 60 req/s offered, at most 0.5 / 0.025 = 20 answered */
	ck_assert_double_gt(su_series_min(res.rec, "service/api/errors", 2 * SIM_MIN), 100);
	cli_result_free(&res);
}
END_TEST

/* The run's latency percentiles come from every sample's law. One task of
 * 1 vCPU at 10 ms per request answers 100 req/s; the load is 50 req/s but
 * 200 for 80 s near the end: about 8 % of the run's requests meet an
 * overloaded task, where half time out and the answered half wait almost
 * the 60 s timeout (M/M/c+D). So the run's p95 is close to the timeout,
 * its p50 that of the quiet load. (Spreading an overloaded sample's lower
 * half evenly from the base latency put the p95 at a few seconds.) */
START_TEST(test_run_percentiles_in_overload)
{
	const char *json =
	    "{\"duration\": \"60m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"5s\"}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"cpu\": \"1024\", \"memory\": \"512\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:1\"}]}],"
	    " \"services\": [{\"serviceName\": \"w\", \"taskDefinition\": \"app\", \"desiredCount\": 1}],"
	    " \"workload\": [{\"service\": \"w\", \"cpuMsPerRequest\": 10, \"requestsPerSecond\": {\"steps\":"
	    "   [{\"at\": \"0s\", \"rps\": 50}, {\"at\": \"58m\", \"rps\": 200}, {\"at\": \"59m20s\", \"rps\": 50}]}}]}";
	cli_result res;
	su_run_ok(json, &res);
	const rec_fact *f = su_fact(res.rec, "service", 0);
	ck_assert_ptr_nonnull(f);
	/* overloaded samples: the median request waits nearly the timeout */
	ck_assert_double_gt(su_series_max(res.rec, "service/w/latencyP50", 58 * SIM_MIN), 50000);
	ck_assert_double_gt(rec_fact_get_num(f, "latencyP95", 0), 50000);
	ck_assert_double_lt(rec_fact_get_num(f, "latencyP50", 1e9), 100);
	cli_result_free(&res);
}
END_TEST

Suite *
elb_suite(void)
{
	Suite *s = suite_create("elb");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_time_to_healthy);
	tcase_add_test(tc, test_unhealthy_detected);
	tcase_add_test(tc, test_grace_period);
	tcase_add_test(tc, test_draining_delay);
	tcase_add_test(tc, test_stop_first_errors);
	tcase_add_test(tc, test_fail_open);
	tcase_add_test(tc, test_skipping_equals_every_check);
	tcase_add_test(tc, test_set_load);
	tcase_add_test(tc, test_idle_neighbour_yields_cpu);
	tcase_add_test(tc, test_run_percentiles_in_overload);
	suite_add_tcase(s, tc);
	return s;
}
