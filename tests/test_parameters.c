/*
 * Named parameters: every assumption a run lists is settable (from the
 * "parameters" section, or — for the few that belong to a scenario
 * section — from that section), and setting one changes what the run
 * does, not only what it lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tests/scn_util.h"
#include "tests/suites.h"

/* Assumptions whose value a scenario section sets, not "parameters". */
static const char *const in_sections[] = {
	"behaviour.default",          /* behaviour: {"default": ...} */
	"traffic.timeoutMs",          /* workload entries' timeoutMs */
	"catalog.prices",             /* instanceTypes: price */
	"catalog.registeredMemory",   /* instanceTypes: registeredMemoryMiB */
	"health.alb.defaultTimeout",  /* targetGroups: HealthCheckTimeoutSeconds */
};

static bool
in_section(const char *name)
{
	for (size_t i = 0; i < sizeof(in_sections) / sizeof(in_sections[0]); i++)
		if (strcmp(in_sections[i], name) == 0)
			return true;
	return false;
}

/* The listed value as JSON: numbers and booleans as they are, the rest
 * (durations, enums, dates) as strings. */
static void
as_json(const char *v, char *out, size_t size)
{
	char *end;
	(void)strtod(v, &end);
	if ((*v != '\0' && *end == '\0') || strcmp(v, "true") == 0 || strcmp(v, "false") == 0)
		snprintf(out, size, "%s", v);
	else
		snprintf(out, size, "\"%s\"", v);
}

/* Run a scenario that uses every part of the model (ALB, workload, target
 * tracking, a capacity provider on an Auto Scaling group) and, for each
 * assumption it lists that is not a choice of method (MODEL) or a note
 * on an accepted field (NOTE), give it back to "parameters" with the
 * listed value: the load must accept it (distributions excepted: their
 * listing is a description; the name must still be known). */
START_TEST(test_every_listed_assumption_is_settable)
{
	cli_result res;
	sim_error err;
	const char *paths[] = {"scenarios/seed-article.json", "scenarios/capacity-provider-scale-out.json"};
	int checked = 0;
	for (size_t p = 0; p < 2; p++) {
		cli_run_opts o;
		memset(&o, 0, sizeof(o));
		o.duration_set = true;
		o.duration = 10 * SIM_MIN;
		int rc = cli_run_scenario(paths[p], &o, &res, &err);
		ck_assert_msg(rc == 0, "%s: %s", paths[p], err.msg);
		for (size_t i = 0; i < rec_assumption_count(res.rec); i++) {
			const char *name, *value, *tag, *note;
			rec_assumption_at(res.rec, i, &name, &value, &tag, &note);
			if (strcmp(tag, "MODEL") == 0 || strcmp(tag, "NOTE") == 0 || in_section(name))
				continue;
			char v[300], json[1024];
			as_json(value, v, sizeof(v));
			snprintf(json, sizeof(json), "{\"parameters\": {\"%s\": %s}}", name, v);
			rc = su_validate(json, &err);
			if (rc != 0 && strstr(err.msg, "expected a string") != NULL) {
				/* a string parameter whose value looks like a number */
				snprintf(json, sizeof(json), "{\"parameters\": {\"%s\": \"%s\"}}", name, value);
				rc = su_validate(json, &err);
			}
			if (rc != 0) {
				/* a distribution's listing is a description */
				ck_assert_msg(strstr(err.msg, "unknown parameter") == NULL,
				    "%s is listed but is not a parameter", name);
				ck_assert_msg(strstr(value, "median") != NULL || strstr(value, "mean") != NULL ||
				    strstr(value, "uniform") != NULL || strstr(value, "pull ") != NULL,
				    "%s = %s does not read back: %s", name, value, err.msg);
			}
			checked++;
		}
		cli_result_free(&res);
	}
	ck_assert_int_gt(checked, 40);
}
END_TEST

START_TEST(test_unknown_parameter_suggests)
{
	sim_error err;
	ck_assert_int_eq(su_validate("{\"parameters\": {\"cloudwatch.publicationDelays\": \"60s\"}}", &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "parameters[\"cloudwatch.publicationDelays\"]");
	ck_assert_str_eq(err.msg, "unknown parameter 'cloudwatch.publicationDelays'; did you mean 'cloudwatch.publicationDelay'?");
	ck_assert_int_eq(su_validate("{\"parameters\": {\"cas.mixedGroupLaunches\": \"random\"}}", &err), SIM_EINPUT);
	ck_assert_str_eq(err.msg, "expected one of \"first\", \"cycle\", got \"random\"");
}
END_TEST

/* 4 tasks at 30 % CPU, the load steps to 90 % at 20:00; target 50 %. */
static void
step(char *buf, size_t size, const char *params)
{
	snprintf(buf, size,
	    "{\"duration\": \"40m\", \"sampleInterval\": \"1m\", \"parameters\": {%s},"
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"5s\"}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"m5.xlarge\", \"count\": 5}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"cpu\": \"1024\", \"memory\": \"2048\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:1\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": {\"steps\": [{\"at\": \"0s\", \"rps\": 120},"
	    "   {\"at\": \"20m\", \"rps\": 360}]}, \"cpuMsPerRequest\": 10}],"
	    " \"scaling\": {\"scalableTargets\": [{\"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\","
	    "   \"ScalableDimension\": \"ecs:service:DesiredCount\", \"MinCapacity\": 4, \"MaxCapacity\": 20}],"
	    "  \"scalingPolicies\": [{\"PolicyName\": \"cpu50\", \"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\","
	    "   \"ScalableDimension\": \"ecs:service:DesiredCount\", \"PolicyType\": \"TargetTrackingScaling\","
	    "   \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": 50, \"PredefinedMetricSpecification\":"
	    "   {\"PredefinedMetricType\": \"ECSServiceAverageCPUUtilization\"}}}]}}",
	    params);
}

static sim_time
first_scale_out(const char *params)
{
	char json[8192];
	cli_result res;
	step(json, sizeof(json), params);
	su_run_ok(json, &res);
	const rec_fact *a = su_fact(res.rec, "scaling_activity", 0);
	ck_assert_ptr_nonnull(a);
	sim_time t = rec_fact_get(a, "time")->i;
	cli_result_free(&res);
	return t;
}

/* [INF] the publication delay and [OBS] AlarmHigh's 3 of 3: the defaults
 * scale out at 25:00 (the third datapoint, minute 22, published 2 minutes
 * after it ends); 60 s of delay makes it 24:00, 1 of 1 datapoints 23:00. */
START_TEST(test_alarm_parameters_move_the_scale_out)
{
	ck_assert_int_eq(first_scale_out(""), 25 * SIM_MIN);
	ck_assert_int_eq(first_scale_out("\"cloudwatch.publicationDelay\": \"60s\""), 24 * SIM_MIN);
	ck_assert_int_eq(first_scale_out("\"targetTracking.alarmHigh.evaluationPeriods\": 1,"
	    " \"targetTracking.alarmHigh.datapointsToAlarm\": 1"), 23 * SIM_MIN);
}
END_TEST

/* Two instances of an Auto Scaling group with two types: [INF] the first
 * type twice, or each in turn (cas.mixedGroupLaunches "cycle"): the
 * cluster's registered memory shows which (m5.large 8 GiB, c5.large 4 GiB),
 * through the reservation of the same task. */
static double
mixed_reservation(const char *params)
{
	char json[4096];
	cli_result res;
	snprintf(json, sizeof(json),
	    "{\"duration\": \"10m\", \"parameters\": {%s},"
	    " \"clusters\": [{\"autoScalingGroups\": [{\"AutoScalingGroupName\": \"g\", \"MinSize\": 2, \"MaxSize\": 2,"
	    "   \"InstanceTypes\": [\"m5.large\", \"c5.large\"]}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\", \"cpu\": 256, \"memory\": 1024}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 1}]}",
	    params);
	su_run_ok(json, &res);
	double v = su_series_max(res.rec, "cluster/default/memoryReservation", 5 * SIM_MIN);
	cli_result_free(&res);
	return v;
}

START_TEST(test_mixed_group_launches)
{
	double first = mixed_reservation("");
	double cycle = mixed_reservation("\"cas.mixedGroupLaunches\": \"cycle\"");
	/* 1024 MiB of two m5.large vs of an m5.large and a c5.large */
	ck_assert(first > 0 && cycle > 0);
	ck_assert(cycle > first * 1.3);
}
END_TEST

/* [INF] elb.initialChecksToHealthy: the Best Practices' threshold (150 s
 * with 30 s x 5) or the ALB guide's one check (30 s): a deployment's
 * "where the time went" health phase follows. */
static sim_time
time_to_healthy(const char *params, const char *ready)
{
	char json[4096];
	cli_result res;
	snprintf(json, sizeof(json),
	    "{\"duration\": \"30m\", \"parameters\": {%s},"
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"%s\", \"shutdownTime\": \"1s\"}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256, \"portMappings\": [{\"containerPort\": 8080}]}]}],"
	    " \"targetGroups\": [{\"Name\": \"web-tg\", \"Attributes\": [{\"Key\": \"deregistration_delay.timeout_seconds\", \"Value\": \"10\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2,"
	    "   \"loadBalancers\": [{\"targetGroupArn\": \"web-tg\", \"containerName\": \"app\", \"containerPort\": 8080}]}],"
	    " \"timeline\": [{\"at\": \"5m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"forceNewDeployment\": true}}]}",
	    params, ready);
	su_run_ok(json, &res);
	const rec_fact *d = su_fact(res.rec, "deployment", 1);
	ck_assert_ptr_nonnull(d);
	sim_time t = rec_fact_get(d, "timeHealth")->i;
	cli_result_free(&res);
	return t;
}

START_TEST(test_initial_checks_to_healthy)
{
	ck_assert_int_eq(time_to_healthy("", "5s"), 150 * SIM_SEC);
	ck_assert_int_eq(time_to_healthy("\"elb.initialChecksToHealthy\": \"1\"", "5s"), 30 * SIM_SEC);
	/* an application ready at once: checks at 0, 30, ... 120 s */
	ck_assert_int_eq(time_to_healthy("", "0s"), 150 * SIM_SEC);
	ck_assert_int_eq(time_to_healthy("\"elb.firstCheckAt\": \"at registration\"", "0s"), 120 * SIM_SEC);
}
END_TEST

/* [INF] the dynamic host port range: two ports leave room for two bridge
 * tasks with dynamic ports on the one instance; the third cannot be
 * placed, and the event names the ports. */
START_TEST(test_dynamic_port_range)
{
	cli_result res;
	su_run_ok("{\"duration\": \"5m\", \"parameters\": {\"ecs.dynamicHostPortLow\": 40000, \"ecs.dynamicHostPortHigh\": 40001},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"m5.xlarge\"}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\","
	    "   \"cpu\": 128, \"memory\": 128, \"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 0}]}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 3}]}",
	    &res);
	ck_assert_int_eq((int)su_series_max(res.rec, "service/web/running", 2 * SIM_MIN), 2);
	ck_assert_int_ge(su_count_events(res.rec, "was unable to place a task"), 1);
	cli_result_free(&res);
	sim_error err;
	ck_assert_int_eq(su_validate("{\"parameters\": {\"ecs.dynamicHostPortLow\": 50000, \"ecs.dynamicHostPortHigh\": 40000}}", &err), SIM_EINPUT);
	ck_assert_str_eq(err.msg, "ecs.dynamicHostPortLow (50000) must be below ecs.dynamicHostPortHigh (40000)");
}
END_TEST

/* The bundled scenario scales a capacity provider from zero: the minute
 * 0 CapacityProviderReservation (200) reaches its alarm at 01:00 and two
 * instances launch then; [INF] cas.metricDelay 30 s moves that to 01:30. */
static sim_time
first_launch(const char *delay)
{
	FILE *f = fopen("scenarios/capacity-provider-scale-out.json", "rb");
	ck_assert_ptr_nonnull(f);
	static char text[65536];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	cJSON *root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	cJSON_DeleteItemFromObject(root, "parameters");
	cJSON *p = cJSON_AddObjectToObject(root, "parameters");
	if (delay != NULL)
		cJSON_AddStringToObject(p, "cas.metricDelay", delay);
	char *json = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	cli_result res;
	su_run_ok(json, &res);
	free(json);
	sim_time t = su_first_event(res.rec, "Launching a new EC2 instance");
	cli_result_free(&res);
	return t;
}

START_TEST(test_cas_metric_delay)
{
	ck_assert_int_eq(first_launch(NULL), 60 * SIM_SEC);
	ck_assert_int_eq(first_launch("30s"), 90 * SIM_SEC);
}
END_TEST

Suite *
parameters_suite(void)
{
	Suite *s = suite_create("parameters");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_every_listed_assumption_is_settable);
	tcase_add_test(tc, test_unknown_parameter_suggests);
	tcase_add_test(tc, test_alarm_parameters_move_the_scale_out);
	tcase_add_test(tc, test_mixed_group_launches);
	tcase_add_test(tc, test_initial_checks_to_healthy);
	tcase_add_test(tc, test_dynamic_port_range);
	tcase_add_test(tc, test_cas_metric_delay);
	suite_add_tcase(s, tc);
	return s;
}
