/*
 * Tests for the AWS operations the model answers (model/ecs/ecs_api.c,
 * model/elbv2, model/autoscaling) through the simulator backend's invoke,
 * on the seed scenario without its timeline: the shapes a pipeline reads
 * (deployments with rolloutState, events newest first, target health),
 * AWS's error codes, pagination, and calls that change the model (the
 * seed's deploy made by RegisterTaskDefinition + UpdateService at 10m
 * completes at 17m51s, as `ecsim run` says).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/model.h"
#include "reports/expect.h"
#include "sim/arena.h"
#include "sim/cli.h"
#include "sim/scenario.h"
#include "tests/suites.h"

static arena *A;
static expect_set *E;
static recorder *R;
static model *M;
static scenario *S;
static char *out;
static aws_fault fault;
static sim_error err;

static void
setup(void)
{
	A = arena_new();
	E = expect_new();
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.no_timeline = true;
	model_cfg *cfg;
	sim_error_clear(&err);
	ck_assert_int_eq(cli_load_scenario("scenarios/seed-article.json", &o, A, E, &cfg, &S, &err), 0);
	R = rec_new();
	M = model_new(cfg, S, R);
	model_set_api_epoch(M, 1767225600); /* 2026-01-01T00:00:00Z */
	out = NULL;
	aws_fault_clear(&fault);
}

static void
teardown(void)
{
	free(out);
	model_free(M);
	rec_free(R);
	expect_free(E);
	arena_free(A);
}

/* Invoke op; returns its rc; the output (if any) is parsed into *o. */
static int
call(const char *op, const char *input, cJSON **o)
{
	free(out);
	out = NULL;
	aws_fault_clear(&fault);
	int rc = model_backend.invoke(M, op, input, &out, &fault, &err);
	if (o)
		*o = rc == 0 ? cJSON_Parse(out) : NULL;
	return rc;
}

static void
advance(sim_time t)
{
	ck_assert_int_eq(model_backend.advance(M, t, &err), 0);
}

static const char *
str(const cJSON *o, const char *path)
{
	/* path: "a.b.0.c" */
	char buf[200];
	snprintf(buf, sizeof(buf), "%s", path);
	const cJSON *x = o;
	for (char *p = strtok(buf, "."); p && x; p = strtok(NULL, "."))
		x = cJSON_IsArray(x) ? cJSON_GetArrayItem(x, atoi(p)) :
		    cJSON_GetObjectItemCaseSensitive(x, p);
	ck_assert_msg(x != NULL, "%s not in %s", path, out);
	if (cJSON_IsString(x))
		return x->valuestring;
	static char num[64];
	snprintf(num, sizeof(num), "%g", x->valuedouble);
	return num;
}

#define SVC_IN "{\"cluster\":\"default\",\"services\":[\"my-microservice\"]}"

START_TEST(describe_services_shape)
{
	cJSON *o;
	advance(5 * SIM_MIN);
	ck_assert_int_eq(call("ecs:DescribeServices", SVC_IN, &o), 0);
	ck_assert_str_eq(str(o, "services.0.serviceArn"),
	    "arn:aws:ecs:us-east-1:123456789012:service/default/my-microservice");
	ck_assert_str_eq(str(o, "services.0.status"), "ACTIVE");
	ck_assert_str_eq(str(o, "services.0.runningCount"), "2");
	ck_assert_str_eq(str(o, "services.0.deployments.0.status"), "PRIMARY");
	ck_assert_str_eq(str(o, "services.0.deployments.0.rolloutState"), "COMPLETED");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(o, "services"), 0), "deployments")), 1);
	/* events newest first, AWS's texts, epoch timestamps */
	ck_assert_str_eq(str(o, "services.0.events.0.message"),
	    "(service my-microservice) has reached a steady state.");
	ck_assert_str_eq(str(o, "services.0.deploymentConfiguration.maximumPercent"), "200");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "failures")), 0);
	cJSON_Delete(o);
	/* by ARN, and a missing one as a failure */
	ck_assert_int_eq(call("ecs:DescribeServices", "{\"services\":[\"arn:aws:ecs:us-east-1:"
	    "123456789012:service/default/my-microservice\",\"nope\"]}", &o), 0);
	ck_assert_str_eq(str(o, "services.0.serviceName"), "my-microservice");
	ck_assert_str_eq(str(o, "failures.0.arn"),
	    "arn:aws:ecs:us-east-1:123456789012:service/default/nope");
	ck_assert_str_eq(str(o, "failures.0.reason"), "MISSING");
	cJSON_Delete(o);
}
END_TEST

START_TEST(errors_as_aws_names_them)
{
	ck_assert_int_eq(call("ecs:DescribeServices", "{\"cluster\":\"nope\",\"services\":[\"x\"]}", NULL),
	    SIM_EFAULT);
	ck_assert_str_eq(fault.code, "ClusterNotFoundException");
	ck_assert_str_eq(fault.message, "Cluster not found.");
	ck_assert_int_eq(call("ecs:DescribeServices", "{\"cluster\":\"default\"}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "InvalidParameterException");
	ck_assert_str_eq(fault.message, "missing required key 'services'");
	ck_assert_int_eq(call("ecs:DescribeServices", "{\"services\":[\"a\",\"b\",\"c\",\"d\",\"e\","
	    "\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"]}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.message, "services: at most 10 entries, got 11");
	ck_assert_int_eq(call("ecs:UpdateService", "{\"service\":\"nope\",\"desiredCount\":3}", NULL),
	    SIM_EFAULT);
	ck_assert_str_eq(fault.code, "ServiceNotFoundException");
	ck_assert_int_eq(call("ecs:UpdateService", "{\"service\":\"my-microservice\","
	    "\"desiredCount\":-1}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "InvalidParameterException");
	ck_assert_msg(strstr(fault.message, "desiredCount") != NULL, "%s", fault.message);
	ck_assert_int_eq(call("ecs:DescribeTaskDefinition", "{\"taskDefinition\":\"nope:9\"}", NULL),
	    SIM_EFAULT);
	ck_assert_str_eq(fault.code, "ClientException");
	ck_assert_int_eq(call("ecs:CreateService", "{\"serviceName\":\"my-microservice\","
	    "\"taskDefinition\":\"my-microservice-task\",\"desiredCount\":1}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.message, "Creation of service was not idempotent.");
	ck_assert_int_eq(call("ecs:ListServices", "{\"nextToken\":\"bogus\"}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "InvalidParameterException");
	/* a refused DeleteService leaves the service as it was */
	ck_assert_int_eq(call("ecs:DeleteService", "{\"service\":\"my-microservice\","
	    "\"force\":true,\"bogus\":1}", NULL), SIM_EFAULT);
	ck_assert_msg(strstr(fault.message, "unknown key 'bogus'") != NULL, "%s", fault.message);
	ck_assert_int_eq(call("ecs:DeleteService", "{\"service\":\"my-microservice\"}", NULL),
	    SIM_EFAULT);
	ck_assert_msg(strstr(fault.message, "scale it to 0 first") != NULL, "%s", fault.message);
	ck_assert_int_eq(call("ecs:UpdateService", "{\"service\":\"my-microservice\","
	    "\"desiredCount\":3}", NULL), 0);
	ck_assert_int_eq(call("ecs:DeleteService", "{\"service\":\"my-microservice\","
	    "\"force\":true}", NULL), 0);
	ck_assert_int_eq(call("ecs:UpdateService", "{\"service\":\"my-microservice\","
	    "\"desiredCount\":3}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "ServiceNotActiveException");
	ck_assert_int_eq(call("ecs:RunTask", "{}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "UnknownOperationException");
	ck_assert_int_eq(call("elasticloadbalancing:DescribeTargetGroups", "{\"Names\":[\"x\"]}", NULL),
	    SIM_EFAULT);
	ck_assert_str_eq(fault.code, "TargetGroupNotFound");
	ck_assert_int_eq(call("elasticloadbalancing:CreateLoadBalancer", "{}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "InvalidAction");
	ck_assert_int_eq(call("application-autoscaling:DescribeScalingActivities",
	    "{\"ServiceNamespace\":\"dynamodb\"}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "ValidationException");
}
END_TEST

START_TEST(deploy_through_the_api)
{
	cJSON *o;
	advance(10 * SIM_MIN);
	ck_assert_int_eq(call("ecs:RegisterTaskDefinition", "{\"family\":\"my-microservice-task\","
	    "\"networkMode\":\"bridge\",\"containerDefinitions\":[{\"name\":\"app\",\"image\":"
	    "\"example/my-microservice:1.1\",\"cpu\":256,\"memory\":256,\"essential\":true,"
	    "\"portMappings\":[{\"containerPort\":8080,\"hostPort\":0,\"protocol\":\"tcp\"}]}]}", &o), 0);
	ck_assert_str_eq(str(o, "taskDefinition.taskDefinitionArn"),
	    "arn:aws:ecs:us-east-1:123456789012:task-definition/my-microservice-task:2");
	ck_assert_str_eq(str(o, "taskDefinition.registeredAt"), "1.76723e+09");
	cJSON_Delete(o);
	ck_assert_int_eq(call("ecs:UpdateService", "{\"service\":\"my-microservice\","
	    "\"taskDefinition\":\"my-microservice-task\",\"forceNewDeployment\":true}", &o), 0);
	ck_assert_str_eq(str(o, "service.deployments.0.rolloutState"), "IN_PROGRESS");
	ck_assert_str_eq(str(o, "service.deployments.0.taskDefinition"),
	    "arn:aws:ecs:us-east-1:123456789012:task-definition/my-microservice-task:2");
	ck_assert_str_eq(str(o, "service.deployments.1.status"), "ACTIVE");
	cJSON_Delete(o);
	/* [the seed's figure] the deploy completes at 17m51s (10m + 7m51s) */
	advance(17 * SIM_MIN + 50 * SIM_SEC);
	ck_assert_int_eq(call("ecs:DescribeServices", SVC_IN, &o), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(o, "services"), 0), "deployments")), 2);
	cJSON_Delete(o);
	advance(17 * SIM_MIN + 51 * SIM_SEC);
	ck_assert_int_eq(call("ecs:DescribeServices", SVC_IN, &o), 0);
	ck_assert_str_eq(str(o, "services.0.deployments.0.rolloutState"), "COMPLETED");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(o, "services"), 0), "deployments")), 1);
	ck_assert_str_eq(str(o, "services.0.events.1.message"),
	    "(service my-microservice) (deployment ecs-svc/3231518934821891728) deployment completed.");
	cJSON_Delete(o);
	/* the tasks: RUNNING, of revision 2, on container instances */
	ck_assert_int_eq(call("ecs:ListTasks", "{\"serviceName\":\"my-microservice\"}", &o), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "taskArns")), 2);
	char in[400];
	snprintf(in, sizeof(in), "{\"tasks\":[\"%s\",\"0123\"]}", str(o, "taskArns.0"));
	cJSON_Delete(o);
	ck_assert_int_eq(call("ecs:DescribeTasks", in, &o), 0);
	ck_assert_str_eq(str(o, "tasks.0.lastStatus"), "RUNNING");
	ck_assert_str_eq(str(o, "tasks.0.group"), "service:my-microservice");
	ck_assert_str_eq(str(o, "tasks.0.taskDefinitionArn"),
	    "arn:aws:ecs:us-east-1:123456789012:task-definition/my-microservice-task:2");
	ck_assert_str_eq(str(o, "failures.0.reason"), "MISSING");
	cJSON_Delete(o);
	/* the targets the ALB sees */
	ck_assert_int_eq(call("elasticloadbalancing:DescribeTargetHealth", "{\"TargetGroupArn\":"
	    "\"my-microservice-tg\"}", &o), 0);
	ck_assert_str_eq(str(o, "TargetHealthDescriptions.0.TargetHealth.State"), "healthy");
	ck_assert_str_eq(str(o, "TargetHealthDescriptions.1.TargetHealth.State"), "healthy");
	cJSON_Delete(o);
}
END_TEST

START_TEST(pagination_and_instances)
{
	cJSON *o;
	advance(SIM_MIN);
	ck_assert_int_eq(call("ecs:ListContainerInstances", "{\"maxResults\":1}", &o), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "containerInstanceArns")), 1);
	ck_assert_str_eq(str(o, "nextToken"), "ecsim-1");
	char first[300];
	snprintf(first, sizeof(first), "%s", str(o, "containerInstanceArns.0"));
	cJSON_Delete(o);
	ck_assert_int_eq(call("ecs:ListContainerInstances", "{\"maxResults\":1,\"nextToken\":\"ecsim-1\"}",
	    &o), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "containerInstanceArns")), 1);
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "nextToken"));
	ck_assert_str_ne(str(o, "containerInstanceArns.0"), first);
	cJSON_Delete(o);
	char in[500];
	snprintf(in, sizeof(in), "{\"containerInstances\":[\"%s\"],\"status\":\"DRAINING\"}", first);
	ck_assert_int_eq(call("ecs:UpdateContainerInstancesState", in, &o), 0);
	ck_assert_str_eq(str(o, "containerInstances.0.status"), "DRAINING");
	cJSON_Delete(o);
	snprintf(in, sizeof(in), "{\"containerInstances\":[\"%s\"]}", first);
	ck_assert_int_eq(call("ecs:DescribeContainerInstances", in, &o), 0);
	ck_assert_str_eq(str(o, "containerInstances.0.status"), "DRAINING");
	ck_assert_str_eq(str(o, "containerInstances.0.registeredResources.0.name"), "CPU");
	cJSON_Delete(o);
	ck_assert_int_eq(call("application-autoscaling:DescribeScalableTargets",
	    "{\"ServiceNamespace\":\"ecs\"}", &o), 0);
	ck_assert_str_eq(str(o, "ScalableTargets.0.ResourceId"), "service/default/my-microservice");
	ck_assert_str_eq(str(o, "ScalableTargets.0.MaxCapacity"), "10");
	cJSON_Delete(o);
	ck_assert_int_eq(call("application-autoscaling:DescribeScalingPolicies",
	    "{\"ServiceNamespace\":\"ecs\"}", &o), 0);
	ck_assert_str_eq(str(o, "ScalingPolicies.0.PolicyName"), "cpu50");
	ck_assert_str_eq(str(o, "ScalingPolicies.0.PolicyType"), "TargetTrackingScaling");
	cJSON_Delete(o);
	/* target tracking's two alarms, as CloudWatch lists them */
	advance(10 * SIM_MIN);
	ck_assert_int_eq(call("cloudwatch:DescribeAlarms", "{\"StateValue\":\"OK\"}", &o), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "MetricAlarms")), 1);
	ck_assert_msg(strncmp(str(o, "MetricAlarms.0.AlarmName"),
	    "TargetTracking-service/default/my-microservice-AlarmHigh-", 57) == 0, "%s", out);
	ck_assert_str_eq(str(o, "MetricAlarms.0.MetricName"), "CPUUtilization");
	ck_assert_str_eq(str(o, "MetricAlarms.0.Threshold"), "50");
	ck_assert_str_eq(str(o, "MetricAlarms.0.EvaluationPeriods"), "3");
	ck_assert_str_eq(str(o, "MetricAlarms.0.Dimensions.1.Value"), "my-microservice");
	cJSON_Delete(o);
	ck_assert_int_eq(call("cloudwatch:DescribeAlarms", "{\"AlarmNamePrefix\":\"TargetTracking-\","
	    "\"MaxRecords\":1}", &o), 0);
	ck_assert_str_eq(str(o, "NextToken"), "ecsim-1");
	ck_assert_str_eq(str(o, "MetricAlarms.0.StateValue"), "OK");
	cJSON_Delete(o);
	ck_assert_int_eq(call("elasticloadbalancing:ModifyTargetGroupAttributes", "{\"TargetGroupArn\":"
	    "\"my-microservice-tg\",\"Attributes\":[{\"Key\":\"deregistration_delay.timeout_seconds\","
	    "\"Value\":\"30\"}]}", &o), 0);
	ck_assert_str_eq(str(o, "Attributes.0.Value"), "30");
	cJSON_Delete(o);
	ck_assert_int_eq(call("elasticloadbalancing:ModifyTargetGroupAttributes", "{\"TargetGroupArn\":"
	    "\"my-microservice-tg\",\"Attributes\":[{\"Key\":\"deregistration_delay.timeout_seconds\","
	    "\"Value\":\"9999\"}]}", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "ValidationError");
}
END_TEST

Suite *
serve_model_suite(void)
{
	Suite *s = suite_create("serve_model");
	TCase *tc = tcase_create("api");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, describe_services_shape);
	tcase_add_test(tc, errors_as_aws_names_them);
	tcase_add_test(tc, deploy_through_the_api);
	tcase_add_test(tc, pagination_and_instances);
	suite_add_tcase(s, tc);
	return s;
}
