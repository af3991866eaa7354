/*
 * The AWS client over the wire, against a scripted local server: the
 * SigV4 Authorization header libcurl produces with our configuration,
 * compared byte for byte with AWS's published test vectors; the JSON 1.1
 * and query requests real clients send; error parsing; retries with the
 * standard backoff (deterministic jitter, recorded not slept).
 *
 * Skips (with a message) when built without libcurl, unless CI=true.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/aws_client.h"
#include "sim/xalloc.h"
#include "tests/http_stub.h"
#include "tests/suites.h"

/* AWS's SigV4 test suite credentials and time (awslabs/aws-c-auth
 * tests/aws-signing-test-suite/v4/<case>/context.json, commit 495329c2;
 * the same vectors are in smithy-lang/smithy-typescript
 * packages/signature-v4/src/suite.fixture.ts). */
#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define VDATE "20150830T123600Z"
#define SCOPE "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

static bool
skip_without_curl(void)
{
	if (awsc_available())
		return false;
	const char *ci = getenv("CI");
	ck_assert_msg(ci == NULL || strcmp(ci, "true") != 0,
	    "CI=true but ecsim was built without libcurl/libxml2");
	fprintf(stderr, "aws_client: SKIPPED (built without libcurl4-openssl-dev and libxml2-dev: make deps-aws, then make clean all)\n");
	return true;
}

typedef struct sleeps {
	sim_time t[8];
	int n;
	double u;
} sleeps;

static void
rec_sleep(void *ctx, sim_time us)
{
	sleeps *s = ctx;
	if (s->n < 8)
		s->t[s->n] = us;
	s->n++;
}

static double
fixed_u(void *ctx)
{
	return ((sleeps *)ctx)->u;
}

static aws_client *
vector_client(int port, const char *token, sleeps *sl)
{
	aws_creds cr;
	memset(&cr, 0, sizeof(cr));
	snprintf(cr.access_key, sizeof(cr.access_key), AKID);
	snprintf(cr.secret_key, sizeof(cr.secret_key), SECRET);
	snprintf(cr.session_token, sizeof(cr.session_token), "%s", token ? token : "");
	snprintf(cr.region, sizeof(cr.region), "us-east-1");
	char cto[100];
	snprintf(cto, sizeof(cto), "example.amazonaws.com:80:127.0.0.1:%d", port);
	awsc_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.creds = &cr;
	cfg.retry = awsretry_standard();
	cfg.timeout_ms = 5000;
	cfg.fixed_date = VDATE;
	cfg.connect_to = cto;
	if (sl) {
		cfg.hooks.sleep_us = rec_sleep;
		cfg.hooks.uniform = fixed_u;
		cfg.hooks.ctx = sl;
	}
	aws_client *c = awsc_new(&cfg);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* Send one raw request for a vector; return the Authorization header. */
static char *
sign_vector(const char *method, const char *ctype, const char *body,
    const char *token)
{
	hstub_response ok = {200, NULL, "{}"};
	hstub h;
	ck_assert_int_eq(hstub_start(&h, &ok, 1), 0);
	aws_client *c = vector_client(h.port, token, NULL);
	awsc_request rq = {method, "http://example.amazonaws.com/", "service",
	    "us-east-1", ctype, NULL, body, body ? strlen(body) : 0};
	awsc_result res;
	memset(&res, 0, sizeof(res));
	sim_error err;
	sim_error_clear(&err);
	ck_assert_msg(awsc_send(c, &rq, &res, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(res.http_status, 200);
	awsc_result_fini(&res);
	awsc_free(c);
	char *log = hstub_finish(&h);
	char *req = hstub_request(log, 0);
	ck_assert_ptr_nonnull(req);
	char *host = hstub_header(req, "Host");
	ck_assert_str_eq(host, "example.amazonaws.com");
	char *auth = hstub_header(req, "Authorization");
	ck_assert_ptr_nonnull(auth);
	free(host);
	free(req);
	free(log);
	return auth;
}

START_TEST(sigv4_get_vanilla)
{
	if (skip_without_curl())
		return;
	char *a = sign_vector("GET", NULL, NULL, NULL);
	ck_assert_str_eq(a, "AWS4-HMAC-SHA256 " SCOPE ", SignedHeaders=host;x-amz-date, "
	    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
	free(a);
}
END_TEST

START_TEST(sigv4_post_vanilla)
{
	if (skip_without_curl())
		return;
	char *a = sign_vector("POST", NULL, "", NULL);
	ck_assert_str_eq(a, "AWS4-HMAC-SHA256 " SCOPE ", SignedHeaders=host;x-amz-date, "
	    "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
	free(a);
}
END_TEST

/* The query protocol's shape: a form body, its content type signed. */
START_TEST(sigv4_post_x_www_form_urlencoded)
{
	if (skip_without_curl())
		return;
	char *a = sign_vector("POST", "application/x-www-form-urlencoded",
	    "Param1=value1", NULL);
	ck_assert_str_eq(a, "AWS4-HMAC-SHA256 " SCOPE ", SignedHeaders=content-type;host;x-amz-date, "
	    "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
	free(a);
}
END_TEST

/* Temporary credentials: the session token is sent and signed. */
START_TEST(sigv4_get_vanilla_with_session_token)
{
	if (skip_without_curl())
		return;
	char *a = sign_vector("GET", NULL, NULL,
	    "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
	ck_assert_str_eq(a, "AWS4-HMAC-SHA256 " SCOPE ", SignedHeaders=host;x-amz-date;x-amz-security-token, "
	    "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
	free(a);
}
END_TEST

/* A client pointed at the stub for every service. */
static aws_client *
stub_client(const hstub *h, sleeps *sl)
{
	aws_client *c = vector_client(h->port, NULL, sl);
	char url[100];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", h->port);
	sim_error err;
	ck_assert_int_eq(awsc_set_endpoint(c, NULL, url, &err), 0);
	return c;
}

START_TEST(json11_request_and_answer)
{
	if (skip_without_curl())
		return;
	hstub_response r = {200, "x-amzn-RequestId: rid-1\r\n",
	    "{\"services\":[{\"serviceName\":\"web\",\"runningCount\":2}],\"failures\":[]}"};
	hstub h;
	ck_assert_int_eq(hstub_start(&h, &r, 1), 0);
	aws_client *c = stub_client(&h, NULL);
	cJSON *in = cJSON_Parse("{\"cluster\":\"default\",\"services\":[\"web\"]}");
	awsc_result res;
	sim_error err;
	ck_assert_int_eq(awsc_call(c, "ecs", "DescribeServices", in, &res, &err), 0);
	ck_assert_int_eq(res.attempts, 1);
	ck_assert_str_eq(res.request_id, "rid-1");
	const cJSON *s0 = cJSON_GetArrayItem(cJSON_GetObjectItem(res.json, "services"), 0);
	ck_assert_int_eq(cJSON_GetObjectItem(s0, "runningCount")->valueint, 2);
	awsc_result_fini(&res);
	cJSON_Delete(in);
	awsc_free(c);
	char *log = hstub_finish(&h);
	char *req = hstub_request(log, 0);
	ck_assert_msg(strncmp(req, "POST / HTTP/1.1\r\n", 17) == 0, "%s", req);
	char *t = hstub_header(req, "X-Amz-Target");
	ck_assert_str_eq(t, "AmazonEC2ContainerServiceV20141113.DescribeServices");
	char *ct = hstub_header(req, "Content-Type");
	ck_assert_str_eq(ct, "application/x-amz-json-1.1");
	char *auth = hstub_header(req, "Authorization");
	ck_assert_msg(strstr(auth, "Credential=AKIDEXAMPLE/20150830/us-east-1/ecs/aws4_request, "
	    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=") == auth + 17, "%s", auth);
	char *body = hstub_body(req);
	ck_assert_str_eq(body, "{\"cluster\":\"default\",\"services\":[\"web\"]}");
	free(t);
	free(ct);
	free(auth);
	free(body);
	free(req);
	free(log);
}
END_TEST

START_TEST(json11_error_is_not_retried)
{
	if (skip_without_curl())
		return;
	hstub_response r = {400, NULL,
	    "{\"__type\":\"com.amazonaws.ecs#ClusterNotFoundException\",\"message\":\"Cluster not found.\"}"};
	hstub h;
	ck_assert_int_eq(hstub_start(&h, &r, 1), 0);
	sleeps sl = {{0}, 0, 0.5};
	aws_client *c = stub_client(&h, &sl);
	awsc_result res;
	sim_error err;
	ck_assert_int_eq(awsc_call(c, "ecs", "DescribeClusters", NULL, &res, &err), SIM_ERUNTIME);
	ck_assert_str_eq(res.code, "ClusterNotFoundException");
	ck_assert_str_eq(res.message, "Cluster not found.");
	ck_assert_str_eq(err.msg, "ecs:DescribeClusters: ClusterNotFoundException: Cluster not found.");
	ck_assert_int_eq(res.attempts, 1);
	ck_assert_int_eq(sl.n, 0);
	awsc_result_fini(&res);
	awsc_free(c);
	free(hstub_finish(&h));
}
END_TEST

/* Throttled twice, then answered: two waits of u * 50 ms and u * 100 ms. */
START_TEST(throttling_is_retried_with_backoff)
{
	if (skip_without_curl())
		return;
	hstub_response r[3] = {
		{400, NULL, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"},
		{429, NULL, "{\"__type\":\"TooManyRequestsException\",\"Message\":\"slow down\"}"},
		{200, NULL, "{\"scalingActivities\":[]}"},
	};
	hstub h;
	ck_assert_int_eq(hstub_start(&h, r, 3), 0);
	sleeps sl = {{0}, 0, 0.5};
	aws_client *c = stub_client(&h, &sl);
	awsc_result res;
	sim_error err;
	ck_assert_int_eq(awsc_call(c, "application-autoscaling", "DescribeScalingActivities",
	    NULL, &res, &err), 0);
	ck_assert_int_eq(res.attempts, 3);
	ck_assert_int_eq(sl.n, 2);
	ck_assert_int_eq(sl.t[0], 25 * SIM_MS);
	ck_assert_int_eq(sl.t[1], 50 * SIM_MS);
	awsc_result_fini(&res);
	awsc_free(c);
	char *log = hstub_finish(&h);
	char *req = hstub_request(log, 2);
	char *t = hstub_header(req, "X-Amz-Target");
	ck_assert_str_eq(t, "AnyScaleFrontendService.DescribeScalingActivities");
	free(t);
	free(req);
	free(log);
}
END_TEST

/* 503 on every attempt: three attempts (the standard mode's default),
 * then the error. */
START_TEST(server_errors_give_up_after_three_attempts)
{
	if (skip_without_curl())
		return;
	hstub_response r[3] = {{503, NULL, ""}, {503, NULL, ""}, {503, NULL, ""}};
	hstub h;
	ck_assert_int_eq(hstub_start(&h, r, 3), 0);
	sleeps sl = {{0}, 0, 0.99};
	aws_client *c = stub_client(&h, &sl);
	awsc_result res;
	sim_error err;
	ck_assert_int_eq(awsc_call(c, "ecs", "ListTasks", NULL, &res, &err), SIM_ERUNTIME);
	ck_assert_int_eq(res.attempts, 3);
	ck_assert_int_eq(res.http_status, 503);
	ck_assert_str_eq(res.code, "HTTP503");
	ck_assert_int_eq(sl.n, 2);
	ck_assert_int_eq(sl.t[0], (sim_time)(0.99 * 50000));
	ck_assert_int_eq(sl.t[1], (sim_time)(0.99 * 100000));
	awsc_result_fini(&res);
	awsc_free(c);
	free(hstub_finish(&h));
}
END_TEST

static const char tg_xml[] =
    "<DescribeTargetGroupsResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">\n"
    "  <DescribeTargetGroupsResult>\n"
    "    <TargetGroups>\n"
    "      <member>\n"
    "        <TargetGroupArn>arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067</TargetGroupArn>\n"
    "        <TargetGroupName>my-targets</TargetGroupName>\n"
    "        <Port>80</Port>\n"
    "        <LoadBalancerArns>\n"
    "          <member>arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/my-load-balancer/50dc6c495c0c9188</member>\n"
    "        </LoadBalancerArns>\n"
    "      </member>\n"
    "    </TargetGroups>\n"
    "  </DescribeTargetGroupsResult>\n"
    "  <ResponseMetadata><RequestId>70092c0e-f3a9-11e5-ae48-cff02092876b</RequestId></ResponseMetadata>\n"
    "</DescribeTargetGroupsResponse>\n";

START_TEST(query_request_and_xml_answer)
{
	if (skip_without_curl())
		return;
	hstub_response r = {200, "Content-Type: text/xml\r\n", tg_xml};
	hstub h;
	ck_assert_int_eq(hstub_start(&h, &r, 1), 0);
	aws_client *c = stub_client(&h, NULL);
	cJSON *in = cJSON_Parse("{\"Names\":[\"my-targets\",\"b c\"]}");
	awsc_result res;
	sim_error err;
	ck_assert_int_eq(awsc_call(c, "elbv2", "DescribeTargetGroups", in, &res, &err), 0);
	const cJSON *tg = cJSON_GetArrayItem(cJSON_GetObjectItem(res.json, "TargetGroups"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(tg, "TargetGroupName")->valuestring, "my-targets");
	ck_assert_str_eq(cJSON_GetObjectItem(tg, "Port")->valuestring, "80");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(tg, "LoadBalancerArns")), 1);
	awsc_result_fini(&res);
	cJSON_Delete(in);
	awsc_free(c);
	char *log = hstub_finish(&h);
	char *req = hstub_request(log, 0);
	char *body = hstub_body(req);
	ck_assert_str_eq(body, "Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=my-targets&Names.member.2=b%20c");
	char *auth = hstub_header(req, "Authorization");
	ck_assert_ptr_nonnull(strstr(auth, "/us-east-1/elasticloadbalancing/aws4_request"));
	ck_assert_ptr_null(hstub_header(req, "X-Amz-Target"));
	free(auth);
	free(body);
	free(req);
	free(log);
}
END_TEST

START_TEST(query_error_and_throttling)
{
	if (skip_without_curl())
		return;
	hstub_response r[2] = {
		{400, NULL, "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>"},
		{400, NULL, "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error><Type>Sender</Type><Code>TargetGroupNotFound</Code><Message>One or more target groups not found</Message></Error><RequestId>r2</RequestId></ErrorResponse>"},
	};
	hstub h;
	ck_assert_int_eq(hstub_start(&h, r, 2), 0);
	sleeps sl = {{0}, 0, 0.0};
	aws_client *c = stub_client(&h, &sl);
	awsc_result res;
	sim_error err;
	ck_assert_int_eq(awsc_call(c, "elbv2", "DescribeTargetHealth", NULL, &res, &err), SIM_ERUNTIME);
	ck_assert_int_eq(res.attempts, 2);
	ck_assert_str_eq(res.code, "TargetGroupNotFound");
	ck_assert_str_eq(res.request_id, "r2");
	ck_assert_str_eq(err.msg, "elbv2:DescribeTargetHealth: TargetGroupNotFound: One or more target groups not found");
	awsc_result_fini(&res);
	awsc_free(c);
	free(hstub_finish(&h));
}
END_TEST

/* Nothing listening: a transport failure, retried, then reported. */
START_TEST(connection_refused_is_reported)
{
	if (skip_without_curl())
		return;
	hstub_response r = {200, NULL, "{}"};
	hstub h;
	ck_assert_int_eq(hstub_start(&h, &r, 1), 0);
	int port = h.port;
	/* Use the stub once so its port is closed afterwards. */
	aws_client *c = stub_client(&h, NULL);
	awsc_result res;
	sim_error err;
	ck_assert_int_eq(awsc_call(c, "ecs", "ListClusters", NULL, &res, &err), 0);
	awsc_result_fini(&res);
	free(hstub_finish(&h));
	sleeps sl = {{0}, 0, 0.5};
	aws_client *c2 = vector_client(port, NULL, &sl);
	char url[100];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	ck_assert_int_eq(awsc_set_endpoint(c2, "ecs", url, &err), 0);
	ck_assert_int_eq(awsc_call(c2, "ecs", "ListClusters", NULL, &res, &err), SIM_ERUNTIME);
	ck_assert_int_eq(res.http_status, 0);
	ck_assert_int_eq(res.attempts, 3);
	ck_assert_msg(strstr(err.msg, "127.0.0.1") != NULL, "%s", err.msg);
	awsc_result_fini(&res);
	awsc_free(c);
	awsc_free(c2);
}
END_TEST

Suite *
aws_client_suite(void)
{
	Suite *s = suite_create("aws_client");
	TCase *tc = tcase_create("wire");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, sigv4_get_vanilla);
	tcase_add_test(tc, sigv4_post_vanilla);
	tcase_add_test(tc, sigv4_post_x_www_form_urlencoded);
	tcase_add_test(tc, sigv4_get_vanilla_with_session_token);
	tcase_add_test(tc, json11_request_and_answer);
	tcase_add_test(tc, json11_error_is_not_retried);
	tcase_add_test(tc, throttling_is_retried_with_backoff);
	tcase_add_test(tc, server_errors_give_up_after_three_attempts);
	tcase_add_test(tc, query_request_and_xml_answer);
	tcase_add_test(tc, query_error_and_throttling);
	tcase_add_test(tc, connection_refused_is_reported);
	suite_add_tcase(s, tc);
	return s;
}
