/*
 * Real AWS input shapes read as AWS reads them, and invalid ones refused
 * with the rule named: task-level sizes in their unit forms become the
 * units placement reserves; describe-* outputs (task definition with its
 * revision, target groups with TargetGroupName) load as they are; an ALB
 * listener cannot forward to a TCP target group.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/scn_util.h"
#include "tests/suites.h"

/* [DOC API RegisterTaskDefinition] "0.25 vCPU" is 256 CPU units and
 * "0.5 GB" 512 MiB: two such tasks on one t3.medium (2 vCPU = 2048 units
 * registered) reserve exactly 25 % of its CPU. */
START_TEST(test_task_sizes_in_units)
{
	cli_result res;
	su_run_ok("{\"duration\": \"10m\","
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"f\", \"cpu\": \"0.25 vCPU\", \"memory\": \"0.5 GB\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"f\", \"desiredCount\": 2}]}",
	    &res);
	double cpu = su_series_max(res.rec, "cluster/default/cpuReservation", 5 * SIM_MIN);
	ck_assert_msg(fabs(cpu - 25.0) < 1e-9, "cpuReservation %g, want 25 (2 x 256 of 2048 units)", cpu);
	cli_result_free(&res);
}
END_TEST

#define DESCRIBED(rev) \
	"{\"taskDefinition\": {\"family\": \"app\", \"revision\": " #rev "," \
	" \"taskDefinitionArn\": \"arn:aws:ecs:us-east-1:123456789012:task-definition/app:" #rev "\"," \
	" \"status\": \"ACTIVE\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:" #rev "\"," \
	" \"cpu\": 256, \"memory\": 256}]}}"

/* A describe-task-definition output of revision 2 registers as app:2, so
 * a service naming app:2 runs it, and the next registration is app:3. */
START_TEST(test_describe_output_keeps_revision)
{
	cli_result res;
	su_run_ok("{\"duration\": \"20m\","
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],"
	    " \"taskDefinitions\": [" DESCRIBED(2) "],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app:2\", \"desiredCount\": 1}],"
	    " \"timeline\": [{\"at\": \"5m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": {\"family\": \"app\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:3\", \"cpu\": 256, \"memory\": 256}]}},"
	    "  {\"at\": \"5m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app:3\"}}]}",
	    &res);
	ck_assert_int_ge(rec_series_find(res.rec, "service/web/rev/app:2"), 0);
	ck_assert_int_ge(rec_series_find(res.rec, "service/web/rev/app:3"), 0);
	ck_assert_int_lt(rec_series_find(res.rec, "service/web/rev/app:1"), 0);
	ck_assert_int_eq(su_count_events(res.rec, "registered task definition app:3"), 1);
	cli_result_free(&res);
}
END_TEST

/* Two definitions claiming the same revision cannot both be registered. */
START_TEST(test_revision_registered_twice)
{
	sim_error err;
	int rc = su_validate("{\"taskDefinitions\": [" DESCRIBED(2) ", " DESCRIBED(2) "]}", &err);
	ck_assert_int_eq(rc, SIM_EINPUT);
	ck_assert_str_eq(err.path, "taskDefinitions[1].taskDefinition");
	ck_assert_str_eq(err.msg, "revision 2 of family \"app\" is already registered (the next revision is 3); give the definitions in revision order");
}
END_TEST

#define TD "\"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\"," \
	" \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256, \"portMappings\": [{\"containerPort\": 8080}]}]}]"

/* describe-target-groups output: {"TargetGroups": [{"TargetGroupName": ...,
 * read-only fields ...}]} loads, and the service binds to it by name. */
START_TEST(test_describe_target_groups_output)
{
	sim_error err;
	int rc = su_validate("{" TD ","
	    " \"targetGroups\": [{\"TargetGroups\": [{\"TargetGroupArn\": \"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef\","
	    "   \"TargetGroupName\": \"web-tg\", \"Protocol\": \"HTTP\", \"Port\": 80, \"VpcId\": \"vpc-1\","
	    "   \"HealthCheckProtocol\": \"HTTP\", \"HealthCheckPort\": \"traffic-port\", \"HealthCheckEnabled\": true,"
	    "   \"HealthCheckIntervalSeconds\": 30, \"HealthCheckTimeoutSeconds\": 5, \"HealthyThresholdCount\": 5,"
	    "   \"UnhealthyThresholdCount\": 2, \"HealthCheckPath\": \"/\", \"Matcher\": {\"HttpCode\": \"200\"},"
	    "   \"LoadBalancerArns\": [], \"TargetType\": \"instance\", \"ProtocolVersion\": \"HTTP1\", \"IpAddressType\": \"ipv4\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 1,"
	    "   \"loadBalancers\": [{\"targetGroupArn\": \"web-tg\", \"containerName\": \"app\", \"containerPort\": 8080}]}]}",
	    &err);
	ck_assert_msg(rc == 0, "%s: %s", err.path, err.msg);
}
END_TEST

#define SVC "\"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 1}]"
#define TT(v) "\"scaling\": {\"scalableTargets\": [{\"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\"," \
	" \"ScalableDimension\": \"ecs:service:DesiredCount\", \"MinCapacity\": 1, \"MaxCapacity\": 4}]," \
	" \"scalingPolicies\": [{\"PolicyName\": \"cpu\", \"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\"," \
	" \"ScalableDimension\": \"ecs:service:DesiredCount\", \"PolicyType\": \"TargetTrackingScaling\"," \
	" \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": " v "," \
	" \"PredefinedMetricSpecification\": {\"PredefinedMetricType\": \"ECSServiceAverageCPUUtilization\"}}}]}"

#define STEP(action) "\"scaling\": {\"scalableTargets\": [{\"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\"," \
	" \"ScalableDimension\": \"ecs:service:DesiredCount\", \"MinCapacity\": 1, \"MaxCapacity\": 10}]," \
	" \"alarms\": [{\"AlarmName\": \"web-cpu-high\", \"MetricName\": \"CPUUtilization\", \"Namespace\": \"AWS/ECS\"," \
	" \"Statistic\": \"Average\", \"Dimensions\": [{\"Name\": \"ClusterName\", \"Value\": \"default\"}," \
	" {\"Name\": \"ServiceName\", \"Value\": \"web\"}], \"Period\": 60, \"EvaluationPeriods\": 2," \
	" \"Threshold\": 70, \"ComparisonOperator\": \"GreaterThanThreshold\", \"AlarmActions\": [\"" action "\"]}]," \
	" \"scalingPolicies\": [{\"PolicyName\": \"step-out\", \"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\"," \
	" \"ScalableDimension\": \"ecs:service:DesiredCount\", \"PolicyType\": \"StepScaling\"," \
	" \"StepScalingPolicyConfiguration\": {\"AdjustmentType\": \"ChangeInCapacity\"," \
	" \"StepAdjustments\": [{\"MetricIntervalLowerBound\": 0, \"ScalingAdjustment\": 2}]}}]}"
#define ARN "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:uuid:resource/ecs/service/default/web:policyName/"
#define LBS "\"targetGroups\": [{\"Name\": \"web-tg\"}, {\"Name\": \"other-tg\"}]," \
	" \"loadBalancers\": [{\"Name\": \"alb\", \"Listeners\": [{\"Port\": 80, \"DefaultActions\": [{\"Type\": \"forward\", \"TargetGroupArn\": \"web-tg\"}]}]}]," \
	" \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 1," \
	" \"loadBalancers\": [{\"targetGroupArn\": \"web-tg\", \"containerName\": \"app\", \"containerPort\": 8080}]}]"
#define REQ(label) "\"scaling\": {\"scalableTargets\": [{\"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\"," \
	" \"ScalableDimension\": \"ecs:service:DesiredCount\", \"MinCapacity\": 1, \"MaxCapacity\": 4}]," \
	" \"scalingPolicies\": [{\"PolicyName\": \"req\", \"ServiceNamespace\": \"ecs\", \"ResourceId\": \"service/default/web\"," \
	" \"ScalableDimension\": \"ecs:service:DesiredCount\", \"PolicyType\": \"TargetTrackingScaling\"," \
	" \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": 1000," \
	" \"PredefinedMetricSpecification\": {\"PredefinedMetricType\": \"ALBRequestCountPerTarget\", \"ResourceLabel\": \"" label "\"}}}]}"

#define FTD "\"taskDefinitions\": [{\"family\": \"f\", \"requiresCompatibilities\": [\"FARGATE\"], \"networkMode\": \"awsvpc\"," \
	" \"cpu\": \"256\", \"memory\": \"512\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}]"

/* describe-services output names its cluster by clusterArn only, and has
 * empty placement lists even on Fargate: it loads into that cluster. */
START_TEST(test_describe_services_output)
{
	cli_result res;
	su_run_ok("{\"duration\": \"5m\", \"clusters\": [{\"clusterName\": \"prod\"}], " FTD ","
	    " \"services\": [{\"services\": [{\"serviceArn\": \"arn:aws:ecs:us-east-1:123456789012:service/prod/web\","
	    "   \"serviceName\": \"web\", \"clusterArn\": \"arn:aws:ecs:us-east-1:123456789012:cluster/prod\","
	    "   \"taskDefinition\": \"arn:aws:ecs:us-east-1:123456789012:task-definition/f:1\", \"desiredCount\": 2,"
	    "   \"launchType\": \"FARGATE\", \"placementConstraints\": [], \"placementStrategy\": [],"
	    "   \"status\": \"ACTIVE\", \"runningCount\": 2, \"pendingCount\": 0}], \"failures\": []}]}",
	    &res);
	const rec_fact *f = su_fact(res.rec, "service", 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(rec_fact_get_str(f, "cluster"), "prod");
	ck_assert_int_eq((int)su_series_max(res.rec, "service/web/running", 4 * SIM_MIN), 2);
	cli_result_free(&res);
}
END_TEST

/* AWS's longest names (255 characters for a service and a family) never
 * merge two series or truncate a name: both revisions keep their own
 * column, and the 256th character is refused. */
START_TEST(test_longest_names)
{
	char svc[256], fam[256];
	memset(svc, 's', 255);
	svc[255] = '\0';
	memset(fam, 'f', 255);
	fam[255] = '\0';
	static char json[4096], name[700];
	snprintf(json, sizeof(json),
	    "{\"duration\": \"15m\", \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],"
	    " \"taskDefinitions\": [{\"family\": \"%s\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"%s\", \"taskDefinition\": \"%s\", \"desiredCount\": 1}],"
	    " \"timeline\": [{\"at\": \"1m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": {\"family\": \"%s\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:2\", \"cpu\": 256, \"memory\": 256}]}},"
	    "  {\"at\": \"1m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"%s\", \"taskDefinition\": \"%s\"}}]}",
	    fam, svc, fam, fam, svc, fam);
	cli_result res;
	su_run_ok(json, &res);
	snprintf(name, sizeof(name), "service/%s/rev/%s:1", svc, fam);
	int r1 = rec_series_find(res.rec, name);
	snprintf(name, sizeof(name), "service/%s/rev/%s:2", svc, fam);
	int r2 = rec_series_find(res.rec, name);
	ck_assert_int_ge(r1, 0);
	ck_assert_int_ge(r2, 0);
	ck_assert_int_ne(r1, r2);
	snprintf(name, sizeof(name), "service/%s/rev/%s:2", svc, fam);
	ck_assert_int_eq((int)su_series_max(res.rec, name, 10 * SIM_MIN), 1);
	cli_result_free(&res);

	sim_error err;
	snprintf(json, sizeof(json), "{\"clusters\": [{\"clusterName\": \"%sx\"}]}", svc);
	ck_assert_int_eq(su_validate(json, &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "clusters[0].clusterName");
	ck_assert_str_eq(err.msg, "a cluster name has 1 to 255 characters, got 256");
}
END_TEST

/* containerPortRange (newer API member) is read, not misreported as a
 * missing containerPort, and said to have no effect. */
START_TEST(test_port_range_accepted)
{
	sim_error err;
	int rc = su_validate("{\"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    " \"image\": \"x\", \"memory\": 256, \"portMappings\": [{\"containerPortRange\": \"8000-8010\"}]}]}]}", &err);
	ck_assert_msg(rc == 0, "%s: %s", err.path, err.msg);
}
END_TEST

/* [DOC] 5,000 services per cluster: the 5,001st is refused, and checking
 * thousands of services stays linear (a hashed registry). */
START_TEST(test_services_per_cluster_quota)
{
	size_t cap = 5001 * 96 + 512, n = 0;
	char *json = malloc(cap);
	ck_assert_ptr_nonnull(json);
	n += (size_t)snprintf(json + n, cap - n, "{" TD ", \"services\": [");
	for (int i = 0; i <= 5000; i++)
		n += (size_t)snprintf(json + n, cap - n, "%s{\"serviceName\": \"s%d\", \"taskDefinition\": \"app\", \"desiredCount\": 0}",
		    i ? ", " : "", i);
	snprintf(json + n, cap - n, "]}");
	sim_error err;
	ck_assert_int_eq(su_validate(json, &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "services[5000]");
	ck_assert_str_eq(err.msg, "cluster \"default\" already has 5000 services, the quota per cluster");
	free(json);
}
END_TEST

/* Task-level cpu and memory as JSON numbers (what CloudFormation and SDKs
 * pass) are read, and the run says which form AWS takes. */
START_TEST(test_task_size_numbers_noted)
{
	cli_result res;
	su_run_ok("{\"duration\": \"2m\", \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\"}]}],"
	    " \"taskDefinitions\": [{\"family\": \"f\", \"cpu\": 256, \"memory\": 512,"
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"f\", \"desiredCount\": 1}]}",
	    &res);
	int found = 0;
	for (size_t i = 0; i < rec_assumption_count(res.rec); i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(res.rec, i, &name, &value, &tag, &note);
		if (strcmp(name, "taskDefinitions[0].cpu") == 0) {
			ck_assert_str_eq(tag, "NOTE");
			ck_assert_str_eq(note, "a JSON number where RegisterTaskDefinition takes a string (\"256\" or \"1 vCPU\"); read as CPU units");
			found++;
		}
		if (strcmp(name, "taskDefinitions[0].memory") == 0)
			found++;
	}
	ck_assert_int_eq(found, 2);
	cli_result_free(&res);
}
END_TEST

/* The references that resolve: the same inputs with the right names. */
START_TEST(test_references_resolve)
{
	sim_error err;
	int rc = su_validate("{" TD ", " SVC ", " STEP(ARN "step-out") "}", &err);
	ck_assert_msg(rc == 0, "%s: %s", err.path, err.msg);
	rc = su_validate("{" TD ", " LBS ", " REQ("app/alb/50dc6c495c0c9188/targetgroup/web-tg/73e2d6bc24d8a067") "}", &err);
	ck_assert_msg(rc == 0, "%s: %s", err.path, err.msg);
}
END_TEST

static const struct {
	const char *json, *path, *msg;
} bad[] = {
	/* [DOC] quotas: 5,000 container instances per cluster */
	{"{\"clusters\": [{\"instances\": [{\"type\": \"t3.micro\", \"count\": 5000}, {\"type\": \"t3.micro\", \"count\": 5000}]}]}",
	    "clusters[0].instances[1].count",
	    "cluster \"default\" would have 10000 container instances; the quota per cluster is 5000"},
	/* issue 11: messages that list the valid values or suggest the closest */
	{"{\"taskDefinitions\": [{\"family\": \"checkout\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\", \"memory\": 128}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"chekout\", \"desiredCount\": 1}]}",
	    "services[0].taskDefinition",
	    "task definition \"chekout\" is not registered at this point of the scenario; did you mean \"checkout\"?"},
	{"{" TD ", " SVC ", \"expect\": [{\"latencyAtMost\": {\"service\": \"web\", \"percentile\": 99.9, \"ms\": 100}}]}",
	    "expect[0].latencyAtMost.percentile",
	    "percentile must be 50, 95 or 99 (the latencies a run records), got 99.9"},
	{"{" TD ", " SVC ", \"expect\": [{\"latencyAtMst\": {}}]}",
	    "expect[0]", "unknown assertion 'latencyAtMst'; did you mean 'latencyAtMost'?"},
	{"{" TD ", " SVC ", \"expect\": [{\"p99Below\": {}}]}",
	    "expect[0]", "unknown assertion 'p99Below'; the kinds are deploymentCompletes, rolloutState, healthyTasksNeverBelow, runningTasksNeverAbove, instancesNeverAbove, placementFailuresAtMost, circuitBreakerTriggered, errorRateAtMost, latencyAtMost, costAtMost, recoversWithin or errorsDuringFaultAtMost (and the members name, in)"},
	/* zones of another region than the run's ARNs */
	{"{\"clusters\": [{\"instances\": [{\"type\": \"t3.micro\", \"availabilityZones\": [\"us-east-1a\", \"eu-west-1b\"]}]}]}",
	    "clusters[0].instances[0].availabilityZones[1]",
	    "availability zone \"eu-west-1b\" is not a zone of region us-east-1 (aws.region in parameters; zones are named like us-east-1a)"},
	/* unrendered templates are named as such */
	{"{\"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    " \"image\": \"{{ .Env.IMAGE }}\", \"memory\": 256}]}]}",
	    "taskDefinitions[0].containerDefinitions[0].image",
	    "\"{{ .Env.IMAGE }}\" looks like an unrendered template: render it (with the tool that owns the placeholders) before giving it to ecsim"},
	{"{" TD ", \"services\": [{\"serviceName\": \"${ServiceName}\", \"taskDefinition\": \"app\", \"desiredCount\": 1}]}",
	    "services[0].serviceName",
	    "\"${ServiceName}\" looks like an unrendered template: render it (with the tool that owns the placeholders) before giving it to ecsim"},
	{"{" TD ", \"services\": [{\"serviceName\": \"web api\", \"taskDefinition\": \"app\", \"desiredCount\": 1}]}",
	    "services[0].serviceName", "a service name may only hold letters, digits, hyphens and underscores, got \"web api\""},
	{"{\"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\", \"memory\": 256,"
	    " \"portMappings\": [{\"containerPortRange\": \"9000-8000\"}]}]}]}",
	    "taskDefinitions[0].containerDefinitions[0].portMappings[0].containerPortRange",
	    "expected a port range \"FROM-TO\" with 1 <= FROM < TO <= 65535, got \"9000-8000\""},
	/* Fargate through its capacity provider takes no placement strategy */
	{"{\"clusters\": [{\"capacityProviders\": [\"FARGATE\"]}], " FTD ", \"services\": [{\"serviceName\": \"web\","
	    " \"taskDefinition\": \"f\", \"desiredCount\": 1, \"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 1}],"
	    " \"placementStrategy\": [{\"type\": \"binpack\", \"field\": \"cpu\"}]}]}",
	    "services[0].placementStrategy",
	    "placement strategies and constraints are not supported on Fargate (it spreads tasks across Availability Zones itself)"},
	{"{\"clusters\": [{\"clusterName\": \"prod\"}], " FTD ", \"services\": [{\"serviceName\": \"web\", \"cluster\": \"prod\","
	    " \"clusterArn\": \"arn:aws:ecs:us-east-1:123456789012:cluster/staging\", \"taskDefinition\": \"f\", \"desiredCount\": 1, \"launchType\": \"FARGATE\"}]}",
	    "services[0].clusterArn", "clusterArn names cluster \"staging\" but cluster is \"prod\""},
	/* an alarm wired to a policy by name, or to an ARN naming no policy,
	 * would never scale anything */
	{"{" TD ", " SVC ", " STEP("step-out") "}", "scaling.alarms[0]",
	    "alarm \"web-cpu-high\": AlarmActions[0] \"step-out\" is not a scaling policy ARN; a step policy of that name exists: give its ARN (arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:ID:resource/ecs/service/default/web:policyName/NAME)"},
	{"{" TD ", " SVC ", " STEP(ARN "step-in") "}", "scaling.alarms[0]",
	    "alarm \"web-cpu-high\": AlarmActions[0] names policy \"step-in\", but service default/web has no step scaling policy of that name (scaling.scalingPolicies or application-autoscaling:PutScalingPolicy)"},
	{"{" TD ", " LBS ", " REQ("app/nlb/1/targetgroup/web-tg/2") "}", "scaling.scalingPolicies[0]",
	    "policy \"req\": ResourceLabel names load balancer \"nlb\", which is not defined in loadBalancers"},
	{"{" TD ", " LBS ", " REQ("app/alb/1/targetgroup/api-tg/2") "}", "scaling.scalingPolicies[0]",
	    "policy \"req\": ResourceLabel names target group \"api-tg\", which is not defined in targetGroups"},
	{"{" TD ", " LBS ", " REQ("app/alb/1/targetgroup/other-tg/2") "}", "scaling.scalingPolicies[0]",
	    "policy \"req\": ResourceLabel names target group \"other-tg\", but service web registers no targets in it"},
	/* [DOC] TargetValue 2^-360 .. 2^360: a denormal would make the
	 * capacity formula divide by almost nothing */
	{"{" TD ", " SVC ", " TT("5e-324") "}",
	    "scaling.scalingPolicies[0].TargetTrackingScalingPolicyConfiguration.TargetValue",
	    "TargetValue must be in [8.515920e-109, 1.174271e+108] and greater than 0, got 4.94066e-324"},
	{"{" TD ", " SVC ", \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": 1e300, \"cpuMsPerRequest\": 1}]}",
	    "workload[0].requestsPerSecond", "expected a number in [0, 1e+08], got 1e300"},
	{"{\"targetGroups\": [{\"Name\": \"web_tg\"}]}", "targetGroups[0].Name",
	    "a target group name may only hold letters, digits and hyphens, got \"web_tg\""},
	{"{\"targetGroups\": [{\"Name\": \"a-target-group-name-of-33-chars-x\"}]}", "targetGroups[0].Name",
	    "a target group name has 1 to 32 characters, got 33"},
	{"{\"targetGroups\": [{\"Name\": \"-tg\"}]}", "targetGroups[0].Name",
	    "a target group name must not begin or end with a hyphen, got \"-tg\""},
	{"{\"targetGroups\": [{\"Name\": \"a\", \"TargetGroupName\": \"a\"}]}", "targetGroups[0].TargetGroupName",
	    "give the name once: \"Name\" (create-target-group input) or \"TargetGroupName\" (describe-target-groups output)"},
	{"{\"targetGroups\": [{\"Protocol\": \"HTTP\"}]}", "targetGroups[0]",
	    "missing required key 'Name' (or 'TargetGroupName' of describe-target-groups output)"},
	{"{\"targetGroups\": [{\"Name\": \"tcp\", \"Protocol\": \"TCP\"}],"
	    " \"loadBalancers\": [{\"Name\": \"alb\", \"Listeners\": [{\"Port\": 80, \"Protocol\": \"HTTP\","
	    " \"DefaultActions\": [{\"Type\": \"forward\", \"TargetGroupArn\": \"tcp\"}]}]}]}",
	    "loadBalancers[0].Listeners[0].DefaultActions",
	    "the HTTP listener on port 80 forwards to target group \"tcp\", whose protocol is TCP; an application load balancer forwards to HTTP or HTTPS target groups"},
};

START_TEST(test_bad_aws_input)
{
	sim_error err;
	int rc = su_validate(bad[_i].json, &err);
	ck_assert_int_eq(rc, SIM_EINPUT);
	ck_assert_str_eq(err.path, bad[_i].path);
	ck_assert_str_eq(err.msg, bad[_i].msg);
}
END_TEST

Suite *
aws_input_suite(void)
{
	Suite *s = suite_create("aws_input");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_task_sizes_in_units);
	tcase_add_test(tc, test_describe_output_keeps_revision);
	tcase_add_test(tc, test_revision_registered_twice);
	tcase_add_test(tc, test_describe_target_groups_output);
	tcase_add_test(tc, test_references_resolve);
	tcase_add_test(tc, test_describe_services_output);
	tcase_add_test(tc, test_longest_names);
	tcase_add_test(tc, test_task_size_numbers_noted);
	tcase_add_test(tc, test_services_per_cluster_quota);
	tcase_add_test(tc, test_port_range_accepted);
	tcase_add_loop_test(tc, test_bad_aws_input, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	suite_add_tcase(s, tc);
	return s;
}
