/*
 * Autoscaling end to end (autoscaling.md §1, §4): the target-tracking
 * alarms' timing and capacity, no scale-in during a deployment, and
 * cluster auto scaling from zero, with its warm-up and empty-only
 * scale-in. The pure rules (alarm tables, cooldowns, policy combination,
 * step adjustments, CapacityProviderReservation) are pinned in the alarm,
 * scaling_policy and cas suites.
 */
#include <stdio.h>
#include <string.h>

#include "tests/scn_util.h"
#include "tests/suites.h"

/* 4 tasks of 1 vCPU (task-level cpu, so CPU stays <= 100 %), no load
 * balancer, 10 ms of CPU per request: 120 req/s is 30 %, 360 is 90 %.
 * Target tracking at 50 % between min and max. */
static void
step_scenario(char *buf, size_t size, int min, const char *steps,
    const char *extra_svc, const char *timeline)
{
	snprintf(buf, size,
	    "{\"duration\": \"90m\", \"sampleInterval\": \"1m\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"5s\"}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"m5.xlarge\", \"count\": 5}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"cpu\": \"1024\", \"memory\": \"2048\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:1\", \"portMappings\": [{\"containerPort\": 8080}]}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4%s}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": {\"steps\": [%s]}, \"cpuMsPerRequest\": 10}],"
	    " \"scaling\": {\"scalableTargets\": [{\"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\","
	    "   \"ScalableDimension\": \"ecs:service:DesiredCount\", \"MinCapacity\": %d, \"MaxCapacity\": 20}],"
	    "  \"scalingPolicies\": [{\"PolicyName\": \"cpu50\", \"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\","
	    "   \"ScalableDimension\": \"ecs:service:DesiredCount\", \"PolicyType\": \"TargetTrackingScaling\","
	    "   \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": 50, \"PredefinedMetricSpecification\":"
	    "   {\"PredefinedMetricType\": \"ECSServiceAverageCPUUtilization\"}}}]}%s}",
	    extra_svc, steps, min, timeline);
}

static const rec_fact *
activity(const recorder *r, size_t i)
{
	return su_fact(r, "scaling_activity", i);
}

/* The load steps from 30 % to 90 % CPU at 20:00 with 4 tasks, target 50.
 * [OBS] AlarmHigh needs 3 of 3 one-minute datapoints above 50; with the
 * datapoints of minutes 20, 21, 22 and cloudwatch.publicationDelay 120 s
 * the third arrives at 25:00 — not before. [INF] capacity
 * ceil(4 × 90 / 50) = 8. Tasks are placed at the next scheduler pass
 * (25:01) and run 13 s later; CPU settles at 45 %. */
START_TEST(test_step_load_timeline)
{
	char json[8192];
	cli_result res;
	/* MinCapacity 4 keeps the 30 % phase from scaling in */
	step_scenario(json, sizeof(json), 4, "{\"at\": \"0s\", \"rps\": 120}, {\"at\": \"20m\", \"rps\": 360}", "", "");
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	sim_time fired = su_first_event(r, "-AlarmHigh-");
	/* the first AlarmHigh event is INSUFFICIENT_DATA -> OK; find ALARM */
	sim_time alarm = -1;
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		if (strstr(e->text, "-AlarmHigh-") && strstr(e->text, "-> ALARM")) {
			alarm = e->t;
			break;
		}
	}
	ck_assert_int_ge(fired, 0);
	ck_assert_int_eq(alarm, 25 * SIM_MIN);
	const rec_fact *a = activity(r, 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(rec_fact_get(a, "time")->i, 25 * SIM_MIN);
	ck_assert_int_eq(rec_fact_get_int(a, "from", -1), 4);
	ck_assert_int_eq(rec_fact_get_int(a, "to", -1), 8);
	ck_assert_ptr_nonnull(strstr(rec_fact_get_str(a, "cause"),
	    "monitor alarm TargetTracking-service/default/web-AlarmHigh-"));
	ck_assert_ptr_nonnull(strstr(rec_fact_get_str(a, "cause"), "in state ALARM triggered policy cpu50"));
	ck_assert_int_eq(su_first_event_after(r, "(service web) has started 4 tasks", 20 * SIM_MIN),
	    25 * SIM_MIN + SIM_SEC);
	/* the datapoints still arriving from before the scale-out do not
	 * scale out again (they are applied to the tasks that produced them) */
	ck_assert_ptr_null(activity(r, 1));
	/* CPU: 30 % before, 90 % after the step, 45 % once 8 tasks run */
	ck_assert_double_eq_tol(su_series_max(r, "service/web/cpu", 5 * SIM_MIN), 90, 0.5);
	ck_assert_double_eq_tol(su_series_min(r, "service/web/cpu", 5 * SIM_MIN), 30, 0.5);
	ck_assert_double_eq_tol(su_series_min(r, "service/web/cpu", 27 * SIM_MIN), 45, 0.5);
	ck_assert_double_eq_tol(su_series_max(r, "service/web/cpu", 27 * SIM_MIN), 45, 0.5);
	cli_result_free(&res);
}
END_TEST

/* The same load step on a cluster that must grow: one m5.xlarge (4096 CPU
 * units) holds the 4 tasks of 1 vCPU exactly, so the 4 added at 25:01 wait
 * in PROVISIONING for the capacity provider. The minute-25 datapoint of
 * CapacityProviderReservation, computed at 26:00, is above the target and
 * its alarm needs 1 of 1 [DOC §4.3]: the group launches one instance at
 * 26:00; with asg.instanceLaunchTime set to 60 s it is in the cluster at
 * 27:00; the waiting tasks are placed at the next scheduler pass (1 s),
 * pull (10 s), start (2 s) and pass ACTIVATING (1 s): RUNNING at 27:14;
 * once they answer (readyTime 5 s) CPU is 45 %. */
static sim_time
first_at_least(const recorder *r, const char *name, double v)
{
	int id = rec_series_find(r, name);
	ck_assert_msg(id >= 0, "no series %s", name);
	for (size_t i = 0; i < rec_row_count(r); i++)
		if (rec_get(r, id, i) >= v)
			return rec_row_time(r, i);
	return -1;
}

START_TEST(test_step_load_adds_instances)
{
	const char *json =
	    "{\"duration\": \"40m\", \"sampleInterval\": \"1s\","
	    " \"parameters\": {\"asg.instanceLaunchTime\": \"60s\"},"
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"5s\"}},"
	    " \"clusters\": [{\"autoScalingGroups\": [{\"AutoScalingGroupName\": \"g\", \"MinSize\": 0, \"MaxSize\": 4,"
	    "   \"DesiredCapacity\": 1, \"InstanceType\": \"m5.xlarge\", \"NewInstancesProtectedFromScaleIn\": true}],"
	    "  \"capacityProviders\": [{\"name\": \"cp\", \"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"g\","
	    "   \"managedScaling\": {\"status\": \"ENABLED\", \"targetCapacity\": 100}, \"managedTerminationProtection\": \"ENABLED\"}}],"
	    "  \"defaultCapacityProviderStrategy\": [{\"capacityProvider\": \"cp\", \"weight\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"cpu\": \"1024\", \"memory\": \"2048\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:1\", \"portMappings\": [{\"containerPort\": 8080}]}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": {\"steps\": [{\"at\": \"0s\", \"rps\": 120}, {\"at\": \"20m\", \"rps\": 360}]},"
	    "   \"cpuMsPerRequest\": 10}],"
	    " \"scaling\": {\"scalableTargets\": [{\"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\","
	    "   \"ScalableDimension\": \"ecs:service:DesiredCount\", \"MinCapacity\": 4, \"MaxCapacity\": 20}],"
	    "  \"scalingPolicies\": [{\"PolicyName\": \"cpu50\", \"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\","
	    "   \"ScalableDimension\": \"ecs:service:DesiredCount\", \"PolicyType\": \"TargetTrackingScaling\","
	    "   \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": 50, \"PredefinedMetricSpecification\":"
	    "   {\"PredefinedMetricType\": \"ECSServiceAverageCPUUtilization\"}}}]}}";
	cli_result res;
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	/* activity 0 is the group's start (0 -> 1 instance) */
	const rec_fact *a = NULL;
	for (size_t i = 0; activity(r, i) && a == NULL; i++)
		if (rec_fact_get_int(activity(r, i), "from", -1) == 4)
			a = activity(r, i);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(rec_fact_get(a, "time")->i, 25 * SIM_MIN);
	ck_assert_int_eq(rec_fact_get_int(a, "to", -1), 8);
	ck_assert_int_eq(su_first_event_after(r, "(service web) has started 4 tasks", 20 * SIM_MIN),
	    25 * SIM_MIN + SIM_SEC);
	/* the first launch is the group's own at 00:00 */
	ck_assert_int_eq(su_first_event_after(r, "Launching a new EC2 instance", SIM_SEC), 26 * SIM_MIN);
	ck_assert_int_eq(su_count_events(r, "Launching a new EC2 instance"), 2);
	ck_assert_int_eq(first_at_least(r, "cluster/default/instances", 2), 27 * SIM_MIN);
	ck_assert_int_eq(first_at_least(r, "service/web/running", 8), 27 * SIM_MIN + 14 * SIM_SEC);
	/* 90 % on 4 tasks until then; 45 % on 8 once the new ones answer
	 * (readyTime 5 s: from 27:19) */
	ck_assert_double_eq_tol(su_series_max(r, "service/web/cpu", 21 * SIM_MIN), 90, 0.5);
	ck_assert_double_eq_tol(su_series_max(r, "service/web/cpu", 27 * SIM_MIN + 20 * SIM_SEC), 45, 0.5);
	ck_assert_double_eq_tol(su_series_min(r, "service/web/cpu", 27 * SIM_MIN + 20 * SIM_SEC), 45, 0.5);
	cli_result_free(&res);
}
END_TEST

/* [OBS] AlarmLow: 15 of 15 datapoints below 0.9 × target. The load drops
 * at 30:00 (8 tasks at 5 %): the 15th low datapoint (minute 44) arrives
 * at 47:00; capacity ceil(8 × 5 / 50) = 1, the minimum. */
START_TEST(test_scale_in_needs_15_datapoints)
{
	char json[8192];
	cli_result res;
	step_scenario(json, sizeof(json), 1,
	    "{\"at\": \"0s\", \"rps\": 120}, {\"at\": \"5m\", \"rps\": 360}, {\"at\": \"30m\", \"rps\": 40}", "", "");
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	const rec_fact *in = NULL;
	for (size_t i = 0; activity(r, i); i++)
		if (rec_fact_get_int(activity(r, i), "to", 0) < rec_fact_get_int(activity(r, i), "from", 0)) {
			in = activity(r, i);
			break;
		}
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(rec_fact_get(in, "time")->i, 47 * SIM_MIN);
	ck_assert_int_eq(rec_fact_get_int(in, "from", -1), 8);
	ck_assert_int_eq(rec_fact_get_int(in, "to", -1), 1);
	cli_result_free(&res);
}
END_TEST

/* [DOC] scale-in is off while a deployment is in progress. A deployment
 * that cannot proceed (100/100) keeps it in progress; the low alarm fires
 * but nothing scales in. Without the deployment, the same load scales in. */
START_TEST(test_no_scale_in_during_deployment)
{
	char json[8192];
	cli_result res;
	const char *tl =
	    ", \"timeline\": [{\"at\": \"2m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\","
	    " \"forceNewDeployment\": true}}]";
	const char *cfg = ", \"deploymentConfiguration\": {\"maximumPercent\": 100, \"minimumHealthyPercent\": 100}";
	step_scenario(json, sizeof(json), 1, "{\"at\": \"0s\", \"rps\": 40}", cfg, tl);
	su_run_ok(json, &res);
	ck_assert_int_ge(su_count_events(res.rec, "-AlarmLow-"), 1);
	ck_assert_ptr_null(activity(res.rec, 0));
	ck_assert_str_eq(rec_fact_get_str(su_fact(res.rec, "deployment", 1), "rolloutState"), "IN_PROGRESS");
	cli_result_free(&res);

	step_scenario(json, sizeof(json), 1, "{\"at\": \"0s\", \"rps\": 40}", cfg, "");
	su_run_ok(json, &res);
	ck_assert_ptr_nonnull(activity(res.rec, 0));
	ck_assert_int_eq(rec_fact_get_int(activity(res.rec, 0), "to", -1), 1);
	cli_result_free(&res);
}
END_TEST

/* Cluster auto scaling on the bundled scenario: from zero instances with
 * tasks waiting, CapacityProviderReservation is 200 and two instances are
 * launched [DOC/AWS-STAFF §4.2]; scale-in removes only empty instances
 * (managed termination protection). */
START_TEST(test_cas_from_zero_and_empty_only)
{
	cli_result res;
	sim_error err;
	sim_error_clear(&err);
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	int rc = cli_run_scenario("scenarios/capacity-provider-scale-out.json", &o, &res, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	const recorder *r = res.rec;
	sim_time first = su_first_event(r, "Launching a new EC2 instance");
	ck_assert_int_eq(first, 60 * SIM_SEC);
	int at_first = 0;
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		at_first += e->t == first && strstr(e->text, "Launching a new EC2 instance") != NULL;
	}
	ck_assert_int_eq(at_first, 2);
	size_t n = rec_fact_count(r, "instance_terminated");
	ck_assert_uint_ge(n, 1);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(rec_fact_get_int(rec_fact_at(r, "instance_terminated", i), "tasks", -1), 0);
	cli_result_free(&res);
}
END_TEST

/* [DOC §4.3] warm-up: no further scale-out until every new instance is
 * past instanceWarmupPeriod. Eight one-instance tasks from zero with a
 * maximum step of 2: launches come in batches at least 300 s apart. */
START_TEST(test_cas_warmup_gates_scale_out)
{
	const char *json =
	    "{\"duration\": \"1h\","
	    " \"clusters\": [{\"autoScalingGroups\": [{\"AutoScalingGroupName\": \"g\", \"MinSize\": 0, \"MaxSize\": 10,"
	    "   \"DesiredCapacity\": 0, \"InstanceType\": \"m5.large\", \"NewInstancesProtectedFromScaleIn\": true}],"
	    "  \"capacityProviders\": [{\"name\": \"cp\", \"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"g\","
	    "   \"managedScaling\": {\"status\": \"ENABLED\", \"targetCapacity\": 100, \"maximumScalingStepSize\": 2,"
	    "   \"instanceWarmupPeriod\": 300}, \"managedTerminationProtection\": \"ENABLED\"}}],"
	    "  \"defaultCapacityProviderStrategy\": [{\"capacityProvider\": \"cp\", \"weight\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"big\", \"containerDefinitions\": [{\"name\": \"big\","
	    "   \"image\": \"big:1\", \"cpu\": 2048, \"memory\": 1024}]}],"
	    " \"services\": [{\"serviceName\": \"big\", \"taskDefinition\": \"big\", \"desiredCount\": 8}]}";
	cli_result res;
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	sim_time last = -1, batch_t = -1;
	int batch = 0, total = 0;
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		if (strstr(e->text, "Launching a new EC2 instance") == NULL)
			continue;
		total++;
		if (e->t != batch_t) {
			if (last >= 0)
				ck_assert_int_ge(e->t - last, 300 * SIM_SEC);
			last = e->t;
			batch_t = e->t;
			batch = 0;
		}
		batch++;
		ck_assert_int_le(batch, 2);
	}
	ck_assert_int_eq(total, 8);
	ck_assert_int_eq((int)su_series_max(r, "service/big/running", 0), 8);
	cli_result_free(&res);
}
END_TEST

/* [DOC §6.3] binpack scale-in stops the task on the instance that would
 * have the most resources left, which empties instances; cluster auto
 * scaling then removes them. Eight 512-unit tasks packed on two m5.large
 * (four each), scaled in to two: with binpack both survivors share one
 * instance and the group shrinks to one; with the default AZ spread they
 * stay on two. */
static int
scale_in_instances(const char *placement)
{
	char json[4096];
	snprintf(json, sizeof(json),
	    "{\"duration\": \"1h\", \"sampleInterval\": \"1m\","
	    " \"clusters\": [{\"autoScalingGroups\": [{\"AutoScalingGroupName\": \"g\", \"MinSize\": 0, \"MaxSize\": 4,"
	    "   \"DesiredCapacity\": 2, \"InstanceType\": \"m5.large\", \"AvailabilityZones\": [\"us-east-1a\", \"us-east-1b\"],"
	    "   \"NewInstancesProtectedFromScaleIn\": true}],"
	    "  \"capacityProviders\": [{\"name\": \"cp\", \"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"g\","
	    "   \"managedScaling\": {\"status\": \"ENABLED\", \"targetCapacity\": 100}, \"managedTerminationProtection\": \"ENABLED\"}}],"
	    "  \"defaultCapacityProviderStrategy\": [{\"capacityProvider\": \"cp\", \"weight\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 512, \"memory\": 512}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 8%s}],"
	    " \"timeline\": [{\"at\": \"10m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"desiredCount\": 2}}]}",
	    placement);
	cli_result res;
	su_run_ok(json, &res);
	int id = rec_series_find(res.rec, "asg/g/inService");
	ck_assert_int_ge(id, 0);
	int n = (int)rec_get(res.rec, id, rec_row_count(res.rec) - 1);
	ck_assert_int_eq((int)su_series_max(res.rec, "service/web/running", 0), 8);
	cli_result_free(&res);
	return n;
}

START_TEST(test_binpack_scale_in_empties_instances)
{
	ck_assert_int_eq(scale_in_instances(", \"placementStrategy\": [{\"type\": \"binpack\", \"field\": \"cpu\"}]"), 1);
	ck_assert_int_eq(scale_in_instances(""), 2);
}
END_TEST

/* Fargate through the FARGATE capacity provider is billed like the
 * FARGATE launch type. */
START_TEST(test_fargate_provider_billed)
{
#define FARGATE_FMT \
	    "{\"duration\": \"1h\"," \
	    " \"clusters\": [{\"capacityProviders\": [\"FARGATE\", \"FARGATE_SPOT\"]}]," \
	    " \"taskDefinitions\": [{\"family\": \"f\", \"requiresCompatibilities\": [\"FARGATE\"], \"networkMode\": \"awsvpc\"," \
	    "   \"cpu\": \"512\", \"memory\": \"1024\", \"containerDefinitions\": [{\"name\": \"f\", \"image\": \"f:1\"}]}]," \
	    " \"services\": [{\"serviceName\": \"f\", \"taskDefinition\": \"f\", \"desiredCount\": 2, %s}]}"
	char json[2048];
	cli_result a, b;
	snprintf(json, sizeof(json), FARGATE_FMT, "\"launchType\": \"FARGATE\"");
	su_run_ok(json, &a);
	snprintf(json, sizeof(json), FARGATE_FMT, "\"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 1}]");
	su_run_ok(json, &b);
	double ca = rec_fact_get_num(su_fact(a.rec, "run", 0), "costUSD", -1);
	double cb = rec_fact_get_num(su_fact(b.rec, "run", 0), "costUSD", -1);
	/* 2 tasks x ~1 h x (0.5 vCPU x 0.04048 + 1 GB x 0.004445) ~ $0.049 */
	ck_assert_double_gt(ca, 0.045);
	ck_assert_double_lt(ca, 0.050);
	ck_assert_double_eq_tol(ca, cb, 1e-9);
	cli_result_free(&a);
	cli_result_free(&b);
}
END_TEST

/* [INF] a service's EC2 cost is its tasks' reserved CPU share of their
 * instances: one 1024-unit task on an m5.large (2048 units, $0.096/h)
 * from 00:00:01 to 01:00:00 costs 0.5 x 0.096 x 3599/3600; the cluster
 * pays for the whole instance ($0.096). */
START_TEST(test_service_cost_share)
{
	const char *json =
	    "{\"duration\": \"1h\", \"clusters\": [{\"instances\": [{\"type\": \"m5.large\", \"count\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"a\", \"containerDefinitions\": [{\"name\": \"a\","
	    "   \"image\": \"a:1\", \"cpu\": 1024, \"memory\": 512}]}],"
	    " \"services\": [{\"serviceName\": \"a\", \"taskDefinition\": \"a\", \"desiredCount\": 1}]}";
	cli_result res;
	su_run_ok(json, &res);
	ck_assert_double_eq_tol(rec_fact_get_num(su_fact(res.rec, "service", 0), "costUSD", -1),
	    0.5 * 0.096 * 3599.0 / 3600.0, 1e-9);
	ck_assert_double_eq_tol(rec_fact_get_num(su_fact(res.rec, "cluster", 0), "costUSD", -1), 0.096, 1e-9);
	cli_result_free(&res);
}
END_TEST

/* Scheduled scaling [DOC §2.2]: at 10:00 a scheduled action raises
 * MinCapacity to 6, and the desired count follows at once (no cooldown);
 * at 20:00 another lowers MaxCapacity to 3 and it is brought down. A
 * step policy [DOC §2.1] on the user's own alarm adds 2 when CPU > 70. */
START_TEST(test_scheduled_and_step)
{
	char json[8192];
	cli_result res;
	snprintf(json, sizeof(json),
	    "{\"duration\": \"40m\", \"sampleInterval\": \"1m\","
	    " \"clusters\": [{\"instances\": [{\"type\": \"m5.xlarge\", \"count\": 4}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"cpu\": \"1024\", \"memory\": \"1024\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:1\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": 20, \"cpuMsPerRequest\": 10}],"
	    " \"scaling\": {\"scalableTargets\": [{\"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\","
	    "   \"ScalableDimension\": \"ecs:service:DesiredCount\", \"MinCapacity\": 1, \"MaxCapacity\": 10}],"
	    "  \"scheduledActions\": ["
	    "   {\"ServiceNamespace\": \"ecs\", \"ScheduledActionName\": \"morning\", \"ResourceId\": \"service/default/web\","
	    "    \"ScalableDimension\": \"ecs:service:DesiredCount\", \"Schedule\": \"at(2026-01-01T00:10:00)\","
	    "    \"ScalableTargetAction\": {\"MinCapacity\": 6}},"
	    "   {\"ServiceNamespace\": \"ecs\", \"ScheduledActionName\": \"evening\", \"ResourceId\": \"service/default/web\","
	    "    \"ScalableDimension\": \"ecs:service:DesiredCount\", \"Schedule\": \"at(2026-01-01T00:20:00)\","
	    "    \"ScalableTargetAction\": {\"MinCapacity\": 1, \"MaxCapacity\": 3}}]}}");
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	const rec_fact *a = activity(r, 0), *b = activity(r, 1);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(rec_fact_get(a, "time")->i, 10 * SIM_MIN);
	ck_assert_int_eq(rec_fact_get_int(a, "to", -1), 6);
	ck_assert_str_eq(rec_fact_get_str(a, "cause"), "scheduled action name morning was triggered");
	ck_assert_int_eq(rec_fact_get(b, "time")->i, 20 * SIM_MIN);
	ck_assert_int_eq(rec_fact_get_int(b, "to", -1), 3);
	ck_assert_int_eq((int)su_series_max(r, "service/web/running", 12 * SIM_MIN), 6);
	ck_assert_int_eq((int)su_series_max(r, "service/web/running", 22 * SIM_MIN), 3);
	cli_result_free(&res);

	/* step scaling: 2 tasks at 90 % (360 req/s x 5 ms over 2 vCPU) */
	snprintf(json, sizeof(json),
	    "{\"duration\": \"30m\", \"sampleInterval\": \"1m\","
	    " \"clusters\": [{\"instances\": [{\"type\": \"m5.xlarge\", \"count\": 4}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"cpu\": \"1024\", \"memory\": \"1024\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:1\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": 360, \"cpuMsPerRequest\": 5}],"
	    " \"scaling\": {\"scalableTargets\": [{\"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\","
	    "   \"ScalableDimension\": \"ecs:service:DesiredCount\", \"MinCapacity\": 1, \"MaxCapacity\": 10}],"
	    "  \"alarms\": [{\"AlarmName\": \"web-cpu-high\", \"MetricName\": \"CPUUtilization\", \"Namespace\": \"AWS/ECS\","
	    "   \"Statistic\": \"Average\", \"Dimensions\": [{\"Name\": \"ClusterName\", \"Value\": \"default\"},"
	    "   {\"Name\": \"ServiceName\", \"Value\": \"web\"}], \"Period\": 60, \"EvaluationPeriods\": 2,"
	    "   \"Threshold\": 70, \"ComparisonOperator\": \"GreaterThanThreshold\","
	    "   \"AlarmActions\": [\"arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:uuid:resource/ecs/service/default/web:policyName/step-out\"]}],"
	    "  \"scalingPolicies\": [{\"PolicyName\": \"step-out\", \"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\","
	    "   \"ScalableDimension\": \"ecs:service:DesiredCount\", \"PolicyType\": \"StepScaling\","
	    "   \"StepScalingPolicyConfiguration\": {\"AdjustmentType\": \"ChangeInCapacity\", \"Cooldown\": 600,"
	    "   \"StepAdjustments\": [{\"MetricIntervalLowerBound\": 0, \"ScalingAdjustment\": 2}]}}]}}");
	su_run_ok(json, &res);
	r = res.rec;
	a = activity(r, 0);
	ck_assert_ptr_nonnull(a);
	/* minutes 0 and 1 above 70 % (the first from the start is partial but
	 * above), delivered 2 minutes later: ALARM at 04:00 [INF delay] */
	ck_assert_int_eq(rec_fact_get(a, "time")->i, 4 * SIM_MIN);
	ck_assert_int_eq(rec_fact_get_int(a, "from", -1), 2);
	ck_assert_int_eq(rec_fact_get_int(a, "to", -1), 4);
	ck_assert_str_eq(rec_fact_get_str(a, "policy"), "step-out");
	ck_assert_str_eq(rec_fact_get_str(a, "cause"), "monitor alarm web-cpu-high in state ALARM triggered policy step-out");
	cli_result_free(&res);
}
END_TEST

Suite *
autoscaling_suite(void)
{
	Suite *s = suite_create("autoscaling");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_step_load_timeline);
	tcase_add_test(tc, test_step_load_adds_instances);
	tcase_add_test(tc, test_scale_in_needs_15_datapoints);
	tcase_add_test(tc, test_no_scale_in_during_deployment);
	tcase_add_test(tc, test_cas_from_zero_and_empty_only);
	tcase_add_test(tc, test_cas_warmup_gates_scale_out);
	tcase_add_test(tc, test_binpack_scale_in_empties_instances);
	tcase_add_test(tc, test_fargate_provider_billed);
	tcase_add_test(tc, test_service_cost_share);
	tcase_add_test(tc, test_scheduled_and_step);
	suite_add_tcase(s, tc);
	return s;
}
