/*
 * Tests for sim/serve_wire: the bytes real clients send decoded into the JSON
 * the model reads, and the bytes they parse written from its answers —
 * byte for byte. The requests are as awscli v2 (botocore) sent them to a
 * capture server (bodies and headers verbatim); the XML is what botocore's
 * query parser reads (checked at development time with Debian awscli's
 * botocore: parsers.QueryParser).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/serve_wire.h"
#include "sim/error.h"
#include "tests/suites.h"

#define ELB_NS "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

static wire_call call;
static aws_fault fault;
static wire_response rs;

static void
setup(void)
{
	memset(&call, 0, sizeof(call));
	memset(&rs, 0, sizeof(rs));
	aws_fault_clear(&fault);
}

static void
teardown(void)
{
	wire_call_free(&call);
	wire_response_free(&rs);
}

/* Decode a POST with the given headers (name, value pairs, NULL-ended). */
static int
decode(const char *path, const char *body, ...)
{
	wire_header h[16];
	size_t n = 0;
	va_list ap;
	va_start(ap, body);
	for (const char *k; (k = va_arg(ap, const char *)) != NULL && n < 16; n++)
		h[n] = (wire_header){k, va_arg(ap, const char *)};
	va_end(ap);
	wire_request rq = {.method = "POST", .path = path, .headers = h,
	    .nheaders = n, .body = body, .body_len = strlen(body)};
	return wire_decode(&rq, &call, &fault);
}

#define FORM "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"
#define ELB_AUTH "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=46085a3a51372a43ae6181719148e51ad5a2985d8c8416d26f84ee5f4b4cd037"
#define CW_AUTH "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/us-east-1/monitoring/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=dd7dd391ef0a9b52d13060d6cfee885646c8e177e64d2fe1ee1e00d974de5cc4"

/* The query decode fails with code and message. */
#define QUERY_FAILS(body_, code_, msg_) do { \
	ck_assert_int_eq(decode("/", (body_), FORM, ELB_AUTH, NULL), SIM_EFAULT); \
	ck_assert_int_eq(call.proto, WIRE_QUERY); \
	ck_assert_str_eq(fault.code, (code_)); \
	ck_assert_str_eq(fault.message, (msg_)); \
	ck_assert_int_eq(fault.status, 400); \
	wire_call_free(&call); \
	aws_fault_clear(&fault); \
} while (0)

START_TEST(json11_ecs_as_awscli_sends_it)
{
	ck_assert_int_eq(decode("/", "{\"cluster\": \"c1\", \"services\": [\"web\"]}",
	    "X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DescribeServices",
	    "Content-Type", "application/x-amz-json-1.1", NULL), 0);
	ck_assert_int_eq(call.proto, WIRE_JSON11);
	ck_assert_str_eq(call.service, "ecs");
	ck_assert_str_eq(call.op, "ecs:DescribeServices");
	ck_assert_str_eq(call.input_json, "{\"cluster\": \"c1\", \"services\": [\"web\"]}");
	wire_call_free(&call);
	ck_assert_int_eq(decode("/", "{\"ServiceNamespace\": \"ecs\"}",
	    "x-amz-target", "AnyScaleFrontendService.DescribeScalingActivities", NULL), 0);
	ck_assert_str_eq(call.op, "application-autoscaling:DescribeScalingActivities");
	wire_call_free(&call);
	/* the JS SDK's CloudWatch: JSON 1.0 */
	ck_assert_int_eq(decode("/", "{}", "X-Amz-Target",
	    "GraniteServiceVersion20100801.DescribeAlarms", "Content-Type",
	    "application/x-amz-json-1.0", NULL), 0);
	ck_assert_int_eq(call.proto, WIRE_JSON10);
	ck_assert_str_eq(call.op, "cloudwatch:DescribeAlarms");
}
END_TEST

START_TEST(json_refusals)
{
	ck_assert_int_eq(decode("/", "{}", "X-Amz-Target", "DynamoDB_20120810.GetItem", NULL),
	    SIM_EFAULT);
	ck_assert_str_eq(fault.code, "UnknownOperationException");
	ck_assert_msg(strstr(fault.message, "\"DynamoDB_20120810\"") != NULL, "%s", fault.message);
	aws_fault_clear(&fault);
	ck_assert_int_eq(decode("/", "{}", "X-Amz-Target",
	    "AmazonEC2ContainerServiceV20141113.", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "UnknownOperationException");
	/* found by make fuzz-serve: a target that is the prefix alone */
	ck_assert_int_eq(decode("/", "{}", "X-Amz-Target",
	    "AmazonEC2ContainerServiceV20141113", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "UnknownOperationException");
	ck_assert_str_eq(fault.message, "X-Amz-Target names no operation: "
	    "\"AmazonEC2ContainerServiceV20141113\"");
	ck_assert_int_eq(decode("/", "{\"a\":\"\xff\"}", "X-Amz-Target",
	    "AmazonEC2ContainerServiceV20141113.ListClusters", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "SerializationException");
	ck_assert_int_eq(decode("/", "{}", "Content-Type", "application/x-amz-json-1.1", NULL),
	    SIM_EFAULT);
	ck_assert_str_eq(fault.message, "a JSON request needs the X-Amz-Target header (Service.Operation)");
	ck_assert_int_eq(decode("/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
	    "\xa0", "Smithy-Protocol", "rpc-v2-cbor", "Content-Type", "application/cbor", NULL),
	    SIM_EFAULT);
	ck_assert_str_eq(fault.code, "UnsupportedProtocol");
}
END_TEST

START_TEST(query_elbv2_as_awscli_sends_it)
{
	ck_assert_int_eq(decode("/", "Action=DescribeTargetHealth&Version=2015-12-01&"
	    "TargetGroupArn=arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A123456789012"
	    "%3Atargetgroup%2Ftg%2Fabc&Targets.member.1.Id=i-1&Targets.member.1.Port=80&"
	    "Targets.member.2.Id=i-2", FORM, ELB_AUTH, NULL), 0);
	ck_assert_int_eq(call.proto, WIRE_QUERY);
	ck_assert_str_eq(call.op, "elasticloadbalancing:DescribeTargetHealth");
	ck_assert_str_eq(call.input_json, "{\"TargetGroupArn\":\"arn:aws:elasticloadbalancing:"
	    "us-east-1:123456789012:targetgroup/tg/abc\",\"Targets\":[{\"Id\":\"i-1\","
	    "\"Port\":80},{\"Id\":\"i-2\"}]}");
}
END_TEST

START_TEST(query_cloudwatch_as_awscli_sends_it)
{
	ck_assert_int_eq(decode("/", "Action=DescribeAlarms&Version=2010-08-01&"
	    "AlarmNames.member.1=a&AlarmNames.member.2=b&MaxRecords=50", FORM, CW_AUTH, NULL), 0);
	ck_assert_str_eq(call.op, "cloudwatch:DescribeAlarms");
	ck_assert_str_eq(call.input_json,
	    "{\"AlarmNames\":[\"a\",\"b\"],\"MaxRecords\":50}");
	wire_call_free(&call);
	/* timestamps (ISO 8601 → epoch seconds), doubles, lists of structures */
	ck_assert_int_eq(decode("/", "Action=GetMetricStatistics&Version=2010-08-01&"
	    "Namespace=AWS%2FECS&MetricName=CPUUtilization&StartTime=2026-12-05T17%3A00%3A00Z&"
	    "EndTime=2026-12-05T18%3A00%3A00.500Z&Period=60&Statistics.member.1=Average&"
	    "Dimensions.member.1.Name=ServiceName&Dimensions.member.1.Value=web",
	    FORM, CW_AUTH, NULL), 0);
	ck_assert_str_eq(call.input_json, "{\"Namespace\":\"AWS/ECS\",\"MetricName\":"
	    "\"CPUUtilization\",\"Dimensions\":[{\"Name\":\"ServiceName\",\"Value\":\"web\"}],"
	    "\"StartTime\":1796490000,\"EndTime\":1796493600.5,\"Period\":60,"
	    "\"Statistics\":[\"Average\"]}");
}
END_TEST

START_TEST(query_routing)
{
	/* no signature: the Version names the service; then the path */
	ck_assert_int_eq(decode("/", "Action=DescribeAlarms&Version=2010-08-01", FORM, NULL), 0);
	ck_assert_str_eq(call.op, "cloudwatch:DescribeAlarms");
	wire_call_free(&call);
	ck_assert_int_eq(decode("/monitoring", "Action=DescribeAlarms", FORM, NULL), 0);
	ck_assert_str_eq(call.op, "cloudwatch:DescribeAlarms");
	wire_call_free(&call);
	/* without Content-Type, a body starting with Action= is a form */
	ck_assert_int_eq(decode("/", "Action=DescribeLoadBalancers&Version=2015-12-01", NULL), 0);
	ck_assert_str_eq(call.op, "elasticloadbalancing:DescribeLoadBalancers");
	wire_call_free(&call);
	/* GET with the form in the query string */
	wire_request rq = {.method = "GET", .path = "/", .query =
	    "Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=tg", .body = ""};
	ck_assert_int_eq(wire_decode(&rq, &call, &fault), 0);
	ck_assert_str_eq(call.input_json, "{\"Names\":[\"tg\"]}");
	wire_call_free(&call);
	/* a scope naming a JSON service is not a query service */
	ck_assert_int_eq(decode("/", "Action=ListClusters", FORM, "Authorization",
	    "AWS4-HMAC-SHA256 Credential=K/20261205/us-east-1/ecs/aws4_request, "
	    "SignedHeaders=host, Signature=00", NULL), SIM_EFAULT);
	ck_assert_str_eq(fault.code, "InvalidAction");
}
END_TEST

START_TEST(query_refusals)
{
	QUERY_FAILS("Version=2015-12-01", "MissingAction", "the request has no Action parameter");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2015-12-01&Bogus=1",
	    "ValidationError", "Bogus: unknown parameter \"Bogus\"");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2015-12-01&PageSize=ten",
	    "ValidationError", "PageSize: expected an integer, got \"ten\"");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2015-12-01&Names.member.2=b",
	    "ValidationError", "Names.member.2: member.1 is missing (indices run from 1 without gaps)");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2015-12-01&Names.member.0=b",
	    "ValidationError", "Names.member.0: member index must be an integer in [1, 1000]");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1001=b",
	    "ValidationError", "Names.member.1001: member index must be an integer in [1, 1000]");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2015-12-01&Names.1=b",
	    "ValidationError", "Names.1: is a list: give it as member.N");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2015-12-01&PageSize=1&PageSize=2",
	    "ValidationError", "PageSize: given twice");
	QUERY_FAILS("Action=ModifyTargetGroup&Version=2015-12-01&HealthCheckEnabled=yes",
	    "ValidationError", "HealthCheckEnabled: expected true or false, got \"yes\"");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2015-12-01&Names=%zz",
	    "MalformedQueryString", "bad percent-encoding in the form");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2015-12-01&Names=%00",
	    "MalformedQueryString", "a parameter name or value is empty or not UTF-8 text");
	QUERY_FAILS("Action=DescribeTargetGroups&Version=2010-08-01",
	    "InvalidAction", "elasticloadbalancing speaks Version=2015-12-01, not \"2010-08-01\"");
	QUERY_FAILS("Action=CreateTrustStore&Version=2015-12-01",
	    "InvalidAction", "ecsim does not serve the operation elasticloadbalancing:CreateTrustStore");
	QUERY_FAILS("Action=describe-target-groups&Version=2015-12-01",
	    "InvalidAction", "\"describe-target-groups\" is not an action");
	/* an empty list is given as the bare name */
	ck_assert_int_eq(decode("/", "Action=DescribeTargetGroups&Version=2015-12-01&Names=",
	    FORM, ELB_AUTH, NULL), 0);
	ck_assert_str_eq(call.input_json, "{\"Names\":[]}");
}
END_TEST

START_TEST(query_maps_and_nesting)
{
	ck_assert_int_eq(decode("/", "Action=CreateListener&Version=2015-12-01&"
	    "LoadBalancerArn=lb&Port=80&Protocol=HTTP&"
	    "DefaultActions.member.1.Type=authenticate-oidc&"
	    "DefaultActions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key=k1&"
	    "DefaultActions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value=v1&"
	    "DefaultActions.member.1.Order=1", FORM, ELB_AUTH, NULL), 0);
	ck_assert_str_eq(call.input_json, "{\"LoadBalancerArn\":\"lb\",\"Protocol\":\"HTTP\","
	    "\"Port\":80,\"DefaultActions\":[{\"Type\":\"authenticate-oidc\","
	    "\"AuthenticateOidcConfig\":{\"AuthenticationRequestExtraParams\":{\"k1\":\"v1\"}},"
	    "\"Order\":1}]}");
}
END_TEST

START_TEST(xml_output_of_describe_target_health)
{
	call.proto = WIRE_QUERY;
	snprintf(call.service, sizeof(call.service), "elasticloadbalancing");
	snprintf(call.op, sizeof(call.op), "elasticloadbalancing:DescribeTargetHealth");
	ck_assert_int_eq(wire_encode_output(&call, "{\"TargetHealthDescriptions\":[{"
	    "\"TargetHealth\":{\"State\":\"unhealthy\",\"Reason\":\"Target.FailedHealthChecks\","
	    "\"Description\":\"Health checks failed with these codes: [502] & <more>\"},"
	    "\"Target\":{\"Port\":32768,\"Id\":\"i-1\"},\"HealthCheckPort\":\"32768\"}]}",
	    "rid-1", &rs, &fault), 0);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(rs.content_type, "text/xml");
	ck_assert_str_eq(rs.body, "<DescribeTargetHealthResponse xmlns=\"" ELB_NS "\">"
	    "<DescribeTargetHealthResult><TargetHealthDescriptions><member>"
	    "<Target><Id>i-1</Id><Port>32768</Port></Target>"
	    "<HealthCheckPort>32768</HealthCheckPort>"
	    "<TargetHealth><State>unhealthy</State><Reason>Target.FailedHealthChecks</Reason>"
	    "<Description>Health checks failed with these codes: [502] &amp; &lt;more&gt;</Description>"
	    "</TargetHealth></member></TargetHealthDescriptions></DescribeTargetHealthResult>"
	    "<ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata>"
	    "</DescribeTargetHealthResponse>");
	ck_assert_uint_eq(rs.len, strlen(rs.body));
}
END_TEST

START_TEST(xml_timestamps_booleans_numbers_empty)
{
	call.proto = WIRE_QUERY;
	snprintf(call.service, sizeof(call.service), "elasticloadbalancing");
	snprintf(call.op, sizeof(call.op), "elasticloadbalancing:DescribeLoadBalancers");
	ck_assert_int_eq(wire_encode_output(&call, "{\"LoadBalancers\":[{\"LoadBalancerName\":"
	    "\"alb\",\"CreatedTime\":1796490000.25,\"AvailabilityZones\":[]}]}", "r", &rs,
	    &fault), 0);
	ck_assert_str_eq(rs.body, "<DescribeLoadBalancersResponse xmlns=\"" ELB_NS "\">"
	    "<DescribeLoadBalancersResult><LoadBalancers><member>"
	    "<CreatedTime>2026-12-05T17:00:00.250Z</CreatedTime>"
	    "<LoadBalancerName>alb</LoadBalancerName><AvailabilityZones></AvailabilityZones>"
	    "</member></LoadBalancers></DescribeLoadBalancersResult>"
	    "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
	    "</DescribeLoadBalancersResponse>");
	wire_response_free(&rs);
	snprintf(call.op, sizeof(call.op), "elasticloadbalancing:ModifyTargetGroup");
	ck_assert_int_eq(wire_encode_output(&call, "{\"TargetGroups\":[{\"HealthCheckEnabled\":"
	    "true,\"HealthyThresholdCount\":5}]}", "r", &rs, &fault), 0);
	ck_assert_msg(strstr(rs.body, "<member><HealthCheckEnabled>true</HealthCheckEnabled>"
	    "<HealthyThresholdCount>5</HealthyThresholdCount></member>") != NULL, "%s", rs.body);
	wire_response_free(&rs);
	/* CloudWatch doubles: the shortest text that reads back the same */
	call.proto = WIRE_QUERY;
	snprintf(call.service, sizeof(call.service), "cloudwatch");
	snprintf(call.op, sizeof(call.op), "cloudwatch:DescribeAlarms");
	ck_assert_int_eq(wire_encode_output(&call, "{\"MetricAlarms\":[{\"Threshold\":0.1,"
	    "\"EvaluationPeriods\":3}]}", "r", &rs, &fault), 0);
	ck_assert_msg(strstr(rs.body, "<EvaluationPeriods>3</EvaluationPeriods>"
	    "<Threshold>0.1</Threshold>") != NULL, "%s", rs.body);
	wire_response_free(&rs);
	/* an output with no members still has its result element */
	snprintf(call.service, sizeof(call.service), "elasticloadbalancing");
	snprintf(call.op, sizeof(call.op), "elasticloadbalancing:AddTags");
	ck_assert_int_eq(wire_encode_output(&call, "{}", "r", &rs, &fault), 0);
	ck_assert_str_eq(rs.body, "<AddTagsResponse xmlns=\"" ELB_NS "\"><AddTagsResult>"
	    "</AddTagsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
	    "</AddTagsResponse>");
}
END_TEST

START_TEST(xml_output_must_fit_the_shape)
{
	call.proto = WIRE_QUERY;
	snprintf(call.service, sizeof(call.service), "elasticloadbalancing");
	snprintf(call.op, sizeof(call.op), "elasticloadbalancing:DescribeTargetGroups");
	ck_assert_int_eq(wire_encode_output(&call, "{\"TargetGroups\":[{\"Bogus\":1}]}",
	    "r", &rs, &fault), SIM_EFAULT);
	ck_assert_int_eq(fault.status, 500);
	ck_assert_str_eq(fault.code, "InternalFailure");
	ck_assert_str_eq(fault.message, "ecsim's answer does not fit the operation's shape: "
	    "Bogus is not a member");
	ck_assert_int_eq(wire_encode_output(&call, "{\"TargetGroups\":[{\"Port\":1.5}]}",
	    "r", &rs, &fault), SIM_EFAULT);
	ck_assert_str_eq(fault.message, "ecsim's answer does not fit the operation's shape: "
	    "Port is not an integer");
}
END_TEST

START_TEST(json_output_and_faults)
{
	call.proto = WIRE_JSON11;
	ck_assert_int_eq(wire_encode_output(&call, "{\"clusterArns\":[]}", "r", &rs, &fault), 0);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(rs.content_type, "application/x-amz-json-1.1");
	ck_assert_str_eq(rs.body, "{\"clusterArns\":[]}");
	wire_response_free(&rs);
	aws_fault_client(&fault, "ClusterNotFoundException", "Cluster not found.");
	wire_encode_fault(&call, &fault, "r", &rs);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_str_eq(rs.body, "{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster not found.\"}");
	ck_assert_str_eq(rs.query_error, "");
	wire_response_free(&rs);
	call.proto = WIRE_JSON10;
	wire_encode_fault(&call, &fault, "r", &rs);
	ck_assert_str_eq(rs.content_type, "application/x-amz-json-1.0");
	ck_assert_str_eq(rs.query_error, "ClusterNotFoundException;Sender");
	wire_response_free(&rs);
	call.proto = WIRE_QUERY;
	snprintf(call.service, sizeof(call.service), "elasticloadbalancing");
	aws_fault_set(&fault, 500, AWS_FAULT_RECEIVER, "InternalFailure", "x < y");
	wire_encode_fault(&call, &fault, "r-2", &rs);
	ck_assert_int_eq(rs.status, 500);
	ck_assert_str_eq(rs.body, "<ErrorResponse xmlns=\"" ELB_NS "\"><Error><Type>Receiver</Type>"
	    "<Code>InternalFailure</Code><Message>x &lt; y</Message></Error>"
	    "<RequestId>r-2</RequestId></ErrorResponse>");
}
END_TEST

START_TEST(iso8601)
{
	double e;
	char buf[40];
	ck_assert_int_eq(wire_iso8601_parse("1970-01-01T00:00:00Z", &e), 0);
	ck_assert(e == 0);
	ck_assert_int_eq(wire_iso8601_parse("2024-02-29T12:30:15.125Z", &e), 0);
	ck_assert(e == 1709209815.125);
	ck_assert_int_eq(wire_iso8601_parse("2024-02-29T14:30:15+02:00", &e), 0);
	ck_assert(e == 1709209815);
	wire_iso8601_format(1709209815.125, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2024-02-29T12:30:15.125Z");
	wire_iso8601_format(1796490000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-12-05T17:00:00.000Z");
	ck_assert_int_eq(wire_iso8601_parse("2024-13-01T00:00:00Z", &e), -1);
	ck_assert_int_eq(wire_iso8601_parse("2024-01-01T00:00:00", &e), 0);
	ck_assert_int_eq(wire_iso8601_parse("2024-01-01T00:00:00Zjunk", &e), -1);
	ck_assert_int_eq(wire_iso8601_parse("2024-01-01", &e), -1);
}
END_TEST

Suite *
serve_wire_suite(void)
{
	Suite *s = suite_create("serve_wire");
	TCase *tc = tcase_create("wire");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json11_ecs_as_awscli_sends_it);
	tcase_add_test(tc, json_refusals);
	tcase_add_test(tc, query_elbv2_as_awscli_sends_it);
	tcase_add_test(tc, query_cloudwatch_as_awscli_sends_it);
	tcase_add_test(tc, query_routing);
	tcase_add_test(tc, query_refusals);
	tcase_add_test(tc, query_maps_and_nesting);
	tcase_add_test(tc, xml_output_of_describe_target_health);
	tcase_add_test(tc, xml_timestamps_booleans_numbers_empty);
	tcase_add_test(tc, xml_output_must_fit_the_shape);
	tcase_add_test(tc, json_output_and_faults);
	tcase_add_test(tc, iso8601);
	suite_add_tcase(s, tc);
	return s;
}
