/*
 * Tests for sim/serve_server (with a fake backend), sim/serve_sigv4, and the
 * operation table sim/optable: routing of real clients' requests to
 * operations, AWS-shaped errors, the admin endpoints, the clock modes,
 * the journal replayed for reports, --auth with awscli's own signatures,
 * and 10^5 garbage, truncated and oversized requests answered with
 * AWS-shaped errors (run under `make asan` for crashes and leaks).
 *
 * The fake backend has one cluster "c1" with one service "web"; an
 * UpdateService of desiredCount starts a deployment that completes 90
 * simulated seconds later (then the service is steady again).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/model.h"
#include "reports/expect.h"
#include "sim/serve_server.h"
#include "sim/arena.h"
#include "sim/cli.h"
#include "sim/serve_sigv4.h"
#include "sim/optable.h"
#include "sim/xalloc.h"
#include "tests/suites.h"

#define CLUSTER_ARN "arn:aws:ecs:us-east-1:123456789012:cluster/c1"
#define SERVICE_ARN "arn:aws:ecs:us-east-1:123456789012:service/c1/web"

/* ---------------------------------------------------------------- */
/* The fake backend.                                                 */

typedef struct fake {
	sim_time now;
	int desired, running;
	sim_time done_at; /* deployment completes; -1 when none */
	int updates;
} fake;

static int fake_opened;

static int
fake_advance(void *self, sim_time t, sim_error *err)
{
	(void)err;
	fake *f = self;
	ck_assert(t >= f->now);
	f->now = t;
	if (f->done_at >= 0 && t >= f->done_at) {
		f->running = f->desired;
		f->done_at = -1;
	}
	return 0;
}

static char *
print(cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static int
fake_invoke(void *self, const char *op, const char *input, char **out,
    aws_fault *fault, sim_error *err)
{
	(void)err;
	fake *f = self;
	cJSON *in = cJSON_Parse(input && *input ? input : "{}");
	if (in == NULL)
		return aws_fault_client(fault, "SerializationException", "bad JSON");
	const cJSON *cl = cJSON_GetObjectItemCaseSensitive(in, "cluster");
	int rc = 0;
	if (strcmp(op, "ecs:ListClusters") == 0) {
		*out = xstrdup("{\"clusterArns\":[\"" CLUSTER_ARN "\"]}");
	} else if (strcmp(op, "ecs:ListServices") == 0) {
		*out = xstrdup("{\"serviceArns\":[\"" SERVICE_ARN "\"]}");
	} else if (strcmp(op, "ecs:DescribeServices") == 0 ||
	    strcmp(op, "ecs:UpdateService") == 0) {
		if (!cJSON_IsString(cl) || (strcmp(cl->valuestring, "c1") != 0 &&
		    strcmp(cl->valuestring, CLUSTER_ARN) != 0)) {
			rc = aws_fault_client(fault, "ClusterNotFoundException", "Cluster not found.");
		} else {
			if (op[4] == 'U') {
				const cJSON *d = cJSON_GetObjectItemCaseSensitive(in, "desiredCount");
				if (!cJSON_IsNumber(d)) {
					cJSON_Delete(in);
					return sim_error_set(err, SIM_EINPUT, NULL, 0, 0,
					    "desiredCount", "expected a number");
				}
				f->desired = (int)d->valuedouble;
				f->done_at = f->now + 90 * SIM_SEC;
				f->updates++;
			}
			cJSON *o = cJSON_CreateObject();
			cJSON *svcs = cJSON_AddArrayToObject(o, "services");
			cJSON *s = cJSON_CreateObject();
			cJSON_AddStringToObject(s, "serviceName", "web");
			cJSON_AddNumberToObject(s, "desiredCount", f->desired);
			cJSON_AddNumberToObject(s, "runningCount", f->running);
			cJSON *deps = cJSON_AddArrayToObject(s, "deployments");
			cJSON_AddItemToArray(deps, cJSON_CreateObject());
			if (f->done_at >= 0)
				cJSON_AddItemToArray(deps, cJSON_CreateObject());
			cJSON_AddItemToArray(svcs, s);
			if (op[4] == 'U') {
				cJSON_DetachItemViaPointer(o, svcs);
				cJSON_AddItemToObject(o, "service", cJSON_DetachItemFromArray(svcs, 0));
				cJSON_Delete(svcs);
			}
			*out = print(o);
		}
	} else if (strcmp(op, "elasticloadbalancing:DescribeTargetHealth") == 0) {
		*out = xstrdup("{\"TargetHealthDescriptions\":[{\"Target\":{\"Id\":\"i-1\","
		    "\"Port\":32768},\"TargetHealth\":{\"State\":\"healthy\"}}]}");
	} else if (strcmp(op, "elasticloadbalancing:DescribeTargetGroups") == 0) {
		rc = aws_fault_client(fault, "TargetGroupNotFound",
		    "One or more target groups not found");
	} else if (strcmp(op, "elasticloadbalancing:DescribeLoadBalancers") == 0) {
		*out = xstrdup("{\"LoadBalancers\":[{\"Bogus\":true}]}");
	} else if (strcmp(op, "ecs:CrashForTest") == 0) {
		rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL, "the model broke");
	} else {
		rc = aws_fault_client(fault, strncmp(op, "ecs:", 4) == 0 ?
		    "UnknownOperationException" : "InvalidAction",
		    "ecsim does not serve the operation %s", op);
	}
	cJSON_Delete(in);
	return rc;
}

static void
fake_close(void *self)
{
	free(self);
}

static const backend_ops fake_ops = {
	.name = "fake",
	.advance = fake_advance,
	.invoke = fake_invoke,
	.close = fake_close,
};

static int
fake_open(void *ctx, const backend_ops **ops, void **self, sim_error *err)
{
	(void)ctx;
	(void)err;
	fake *f = xcalloc(1, sizeof(*f));
	f->desired = f->running = 2;
	f->done_at = -1;
	fake_opened++;
	*ops = &fake_ops;
	*self = f;
	return 0;
}

/* The report of the fake: what the replayed backend knows. */
static int
fake_report(void *ctx, void *self, const char *name, char **out, size_t *len,
    const char **ctype, sim_error *err)
{
	(void)ctx;
	(void)err;
	fake *f = self;
	if (strcmp(name, "summary.json") != 0)
		return SIM_EINPUT;
	char buf[200];
	snprintf(buf, sizeof(buf), "{\"now\":%lld,\"desired\":%d,\"running\":%d,\"updates\":%d}",
	    (long long)(f->now / SIM_SEC), f->desired, f->running, f->updates);
	*out = xstrdup(buf);
	*len = strlen(buf);
	*ctype = "application/json";
	return 0;
}

static const srv_factory factory = {NULL, fake_open, fake_report};

/* ---------------------------------------------------------------- */
/* Requests.                                                         */

static srv *S;
static wire_response rs;

static void
start(srv_clock clock, double factor)
{
	srv_opts o = {.clock = clock, .factor = factor};
	sim_error err;
	S = srv_new(&factory, &o, 1000.0, &err);
	ck_assert_ptr_nonnull(S);
	memset(&rs, 0, sizeof(rs));
}

static void
stop(void)
{
	wire_response_free(&rs);
	srv_free(S);
	S = NULL;
}

static void
teardown(void)
{
	stop();
}

/* Send method path body with headers (name, value pairs; NULL ends) at
 * wall time `wall`; the answer is in rs. */
static void
req(double wall, const char *method, const char *path, const char *body, ...)
{
	wire_header h[16];
	size_t n = 0;
	va_list ap;
	va_start(ap, body);
	for (const char *k; (k = va_arg(ap, const char *)) != NULL && n < 16; n++)
		h[n] = (wire_header){k, va_arg(ap, const char *)};
	va_end(ap);
	wire_request rq = {.method = method, .path = path, .headers = h,
	    .nheaders = n, .body = body, .body_len = strlen(body)};
	wire_response_free(&rs);
	srv_handle(S, &rq, wall, &rs);
}

#define ECS(op) "X-Amz-Target", "AmazonEC2ContainerServiceV20141113." op, \
	"Content-Type", "application/x-amz-json-1.1"
#define FORM "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"

/* The state's member key as a number. */
static double
state_num(const char *key)
{
	req(0, "GET", "/_ecsim/state", "", NULL);
	cJSON *o = cJSON_Parse(rs.body);
	ck_assert_ptr_nonnull(o);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	ck_assert_msg(cJSON_IsNumber(v), "%s not in %s", key, rs.body);
	double d = v->valuedouble;
	cJSON_Delete(o);
	return d;
}

START_TEST(operations_routed_and_answered)
{
	start(SRV_CLOCK_MANUAL, 1);
	req(0, "POST", "/", "{\"cluster\":\"c1\",\"services\":[\"web\"]}", ECS("DescribeServices"), NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(rs.content_type, "application/x-amz-json-1.1");
	ck_assert_str_eq(rs.body, "{\"services\":[{\"serviceName\":\"web\",\"desiredCount\":2,"
	    "\"runningCount\":2,\"deployments\":[{}]}]}");
	ck_assert_str_eq(rs.request_id, "00000000-0000-4000-8000-000000000001");
	req(0, "POST", "/", "{\"cluster\":\"nope\"}", ECS("DescribeServices"), NULL);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_str_eq(rs.body, "{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster not found.\"}");
	/* query: XML out, XML errors */
	req(0, "POST", "/", "Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=tg", FORM, NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_msg(strstr(rs.body, "<TargetHealthDescriptions><member><Target><Id>i-1</Id>"
	    "<Port>32768</Port></Target><TargetHealth><State>healthy</State></TargetHealth>"
	    "</member></TargetHealthDescriptions>") != NULL, "%s", rs.body);
	req(0, "POST", "/", "Action=DescribeTargetGroups&Version=2015-12-01", FORM, NULL);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_msg(strstr(rs.body, "<Error><Type>Sender</Type><Code>TargetGroupNotFound</Code>"
	    "<Message>One or more target groups not found</Message></Error>") != NULL, "%s", rs.body);
	/* an answer that does not fit the shape is the server's fault */
	req(0, "POST", "/", "Action=DescribeLoadBalancers&Version=2015-12-01", FORM, NULL);
	ck_assert_int_eq(rs.status, 500);
	ck_assert_msg(strstr(rs.body, "<Type>Receiver</Type><Code>InternalFailure</Code>") != NULL,
	    "%s", rs.body);
	/* a backend failure: 500 with its message */
	req(0, "POST", "/", "{}", ECS("CrashForTest"), NULL);
	ck_assert_int_eq(rs.status, 500);
	ck_assert_str_eq(rs.body, "{\"__type\":\"InternalFailure\",\"message\":\"the model broke\"}");
	/* input errors from the backend: 400 with its validation code */
	req(0, "POST", "/", "{}", ECS("ListTaskDefinitionFamilies"), NULL);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_str_eq(rs.body, "{\"__type\":\"UnknownOperationException\",\"message\":"
	    "\"ecsim does not serve the operation ecs:ListTaskDefinitionFamilies\"}");
	ck_assert_int_eq((int)srv_requests(S), 7);
}
END_TEST

START_TEST(manual_clock_and_advance)
{
	start(SRV_CLOCK_MANUAL, 1);
	ck_assert(state_num("nowSeconds") == 0);
	req(5000, "POST", "/_ecsim/advance", "{\"by\":\"5m\"}", NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_msg(strstr(rs.body, "\"now\":\"5m\",\"nowSeconds\":300,\"clock\":\"manual\"") != NULL,
	    "%s", rs.body);
	req(9000, "POST", "/_ecsim/advance", "{\"to\":90}", NULL);
	ck_assert(srv_now(S) == 300 * SIM_SEC); /* never back: 90 s < 5 min */
	ck_assert_int_eq(rs.status, 400);
	ck_assert_str_eq(rs.body, "{\"__type\":\"ValidationException\",\"message\":"
	    "\"to: 1m30s is before the current time 5m (the clock never goes back)\"}");
	req(9000, "POST", "/_ecsim/advance", "{\"to\":\"1h\"}", NULL);
	ck_assert(srv_now(S) == SIM_HOUR);
	req(9000, "POST", "/_ecsim/advance", "{\"by\":\"5m\",\"to\":\"2h\"}", NULL);
	ck_assert_int_eq(rs.status, 400);
	req(9000, "POST", "/_ecsim/advance", "{\"bye\":\"5m\"}", NULL);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_msg(strstr(rs.body, "unknown key 'bye'; did you mean 'by'?") != NULL, "%s", rs.body);
	req(9000, "POST", "/_ecsim/advance", "{\"by\":", NULL);
	ck_assert_int_eq(rs.status, 400);
	req(9000, "POST", "/_ecsim/advance", "[\005]", NULL);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_msg(strstr(rs.body, "a control character") != NULL, "%s", rs.body);
	req(9000, "GET", "/_ecsim/advance", "", NULL);
	ck_assert_int_eq(rs.status, 405);
	req(9000, "GET", "/_ecsim/nothing", "", NULL);
	ck_assert_int_eq(rs.status, 404);
	/* wall time passing moves nothing in manual mode */
	ck_assert(srv_tick(S, 1e6, NULL) == 0);
	ck_assert(srv_now(S) == SIM_HOUR);
}
END_TEST

START_TEST(advance_until_steady)
{
	start(SRV_CLOCK_MANUAL, 1);
	req(0, "POST", "/_ecsim/advance", "{\"by\":\"10s\"}", NULL);
	req(0, "POST", "/", "{\"cluster\":\"c1\",\"service\":\"web\",\"desiredCount\":4}",
	    ECS("UpdateService"), NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_msg(strstr(rs.body, "\"service\":{\"serviceName\":\"web\",\"desiredCount\":4,"
	    "\"runningCount\":2,\"deployments\":[{},{}]}") != NULL, "%s", rs.body);
	req(0, "POST", "/_ecsim/advance", "{\"until\":\"steady\"}", NULL);
	ck_assert_int_eq(rs.status, 200);
	/* the deployment completes at 10 s + 90 s: the first steady second */
	ck_assert_msg(strstr(rs.body, "\"now\":\"1m40s\"") != NULL, "%s", rs.body);
	ck_assert_msg(strstr(rs.body, "\"steady\":true") != NULL, "%s", rs.body);
	/* already steady: no time passes */
	req(0, "POST", "/_ecsim/advance", "{\"until\":\"steady\"}", NULL);
	ck_assert(srv_now(S) == 100 * SIM_SEC);
	/* not steady within max: stops at max, says so */
	req(0, "POST", "/", "{\"cluster\":\"c1\",\"service\":\"web\",\"desiredCount\":5}",
	    ECS("UpdateService"), NULL);
	req(0, "POST", "/_ecsim/advance", "{\"until\":\"steady\",\"max\":\"30s\"}", NULL);
	ck_assert(srv_now(S) == 130 * SIM_SEC);
	ck_assert_msg(strstr(rs.body, "\"steady\":false") != NULL, "%s", rs.body);
	req(0, "POST", "/_ecsim/advance", "{\"until\":\"stable\"}", NULL);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_msg(strstr(rs.body, "until") != NULL, "%s", rs.body);
}
END_TEST

START_TEST(factor_clock)
{
	start(SRV_CLOCK_FACTOR, 60);
	/* wall 1000 s is the anchor: 2.5 wall seconds later, 150 simulated */
	req(1002.5, "POST", "/", "{\"cluster\":\"c1\",\"services\":[\"web\"]}", ECS("DescribeServices"), NULL);
	ck_assert(srv_now(S) == 150 * SIM_SEC);
	ck_assert(srv_tick(S, 1003.0, NULL) == 0);
	ck_assert(srv_now(S) == 180 * SIM_SEC);
	/* a manual advance moves the anchor: the clock goes on from there */
	req(1003.0, "POST", "/_ecsim/advance", "{\"by\":\"1h\"}", NULL);
	ck_assert(srv_now(S) == 3780 * SIM_SEC);
	ck_assert(srv_tick(S, 1004.0, NULL) == 0);
	ck_assert(srv_now(S) == 3840 * SIM_SEC);
	/* the wall clock going back does not move time back */
	ck_assert(srv_tick(S, 900.0, NULL) == 0);
	ck_assert(srv_now(S) == 3840 * SIM_SEC);
	req(1004.0, "GET", "/_ecsim/state", "", NULL);
	ck_assert_msg(strstr(rs.body, "\"clock\":\"factor\",\"factor\":60") != NULL, "%s", rs.body);
}
END_TEST

START_TEST(realtime_and_horizon)
{
	srv_opts o = {.clock = SRV_CLOCK_FACTOR, .factor = 1, .horizon = 2 * SIM_MIN};
	S = srv_new(&factory, &o, 0.0, NULL);
	ck_assert(srv_tick(S, 61.5, NULL) == 0);
	ck_assert(srv_now(S) == 61500 * (SIM_SEC / 1000));
	ck_assert(srv_tick(S, 1e5, NULL) == 0);
	ck_assert(srv_now(S) == 2 * SIM_MIN);
	req(1e5, "GET", "/_ecsim/state", "", NULL);
	ck_assert_msg(strstr(rs.body, "\"clock\":\"realtime\",\"horizon\":\"2m\",\"ended\":true") != NULL,
	    "%s", rs.body);
}
END_TEST

START_TEST(reset_and_report_replay)
{
	start(SRV_CLOCK_MANUAL, 1);
	req(0, "POST", "/_ecsim/advance", "{\"by\":\"30s\"}", NULL);
	req(0, "POST", "/", "{\"cluster\":\"c1\",\"service\":\"web\",\"desiredCount\":7}",
	    ECS("UpdateService"), NULL);
	/* describe calls are not journaled; failed calls neither */
	req(0, "POST", "/", "{\"cluster\":\"c1\",\"services\":[\"web\"]}", ECS("DescribeServices"), NULL);
	req(0, "POST", "/", "{\"cluster\":\"zz\",\"service\":\"web\",\"desiredCount\":1}",
	    ECS("UpdateService"), NULL);
	ck_assert(state_num("journaled") == 1);
	req(0, "POST", "/_ecsim/advance", "{\"by\":\"1m\"}", NULL);
	int opened = fake_opened;
	req(0, "GET", "/_ecsim/report", "", NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(rs.content_type, "application/json");
	/* a fresh backend replayed the update at 30 s: at 90 s it is still
	 * deploying (completes at 120 s) */
	ck_assert_str_eq(rs.body, "{\"now\":90,\"desired\":7,\"running\":2,\"updates\":1}");
	ck_assert_int_eq(fake_opened, opened + 1);
	/* the live session goes on */
	req(0, "POST", "/_ecsim/advance", "{\"until\":\"steady\"}", NULL);
	ck_assert(srv_now(S) == 120 * SIM_SEC);
	req(0, "GET", "/_ecsim/report/nope.txt", "", NULL);
	ck_assert_int_eq(rs.status, 404);
	ck_assert_msg(strstr(rs.body, "no report \\\"nope.txt\\\"") != NULL, "%s", rs.body);
	req(0, "POST", "/_ecsim/reset", "", NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert(srv_now(S) == 0);
	ck_assert(state_num("journaled") == 0);
	req(0, "POST", "/", "{\"cluster\":\"c1\",\"services\":[\"web\"]}", ECS("DescribeServices"), NULL);
	ck_assert_msg(strstr(rs.body, "\"desiredCount\":2") != NULL, "%s", rs.body);
}
END_TEST

START_TEST(oversized_is_413_in_the_client_protocol)
{
	start(SRV_CLOCK_MANUAL, 1);
	wire_header h[] = {{"Content-Type", "application/x-www-form-urlencoded"}};
	wire_request rq = {.method = "POST", .path = "/", .headers = h, .nheaders = 1, .body = ""};
	srv_refuse(S, &rq, 413, "RequestEntityTooLarge", "too big", &rs);
	ck_assert_int_eq(rs.status, 413);
	ck_assert_msg(strncmp(rs.body, "<ErrorResponse><Error><Type>Sender</Type>"
	    "<Code>RequestEntityTooLarge</Code><Message>too big</Message>", 93) == 0, "%s", rs.body);
	wire_response_free(&rs);
	h[0] = (wire_header){"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition"};
	srv_refuse(S, &rq, 413, "RequestEntityTooLarge", "too big", &rs);
	ck_assert_str_eq(rs.body, "{\"__type\":\"RequestEntityTooLarge\",\"message\":\"too big\"}");
}
END_TEST

/* ---------------------------------------------------------------- */
/* SigV4: awscli v2's own requests (captured, verbatim), signed with
 * access key AKIDEXAMPLE and secret "secret". */

#define CAP_AUTH "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/us-east-1/ecs/aws4_request, " \
	"SignedHeaders=content-type;host;x-amz-date;x-amz-target, " \
	"Signature=fac105bc727ff3e7aba390f40918962d7ff9fe90e9224ef86a2bf6e6dd678aba"
#define CAP_HEADERS(auth) "Host", "127.0.0.1:18999", "Accept-Encoding", "identity", \
	"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DescribeServices", \
	"Content-Type", "application/x-amz-json-1.1", "User-Agent", "aws-cli/2.9.19", \
	"X-Amz-Date", "20261205T171350Z", "Authorization", auth
#define CAP_BODY "{\"cluster\": \"c1\", \"services\": [\"web\"]}"

START_TEST(sigv4_matches_awscli)
{
	if (!sigv4_available())
		return;
	/* botocore's signature of its own request, recomputed */
	wire_header h[] = {{"Host", "127.0.0.1:18999"}, {"Content-Type", "application/x-amz-json-1.1"},
	    {"X-Amz-Date", "20261205T171350Z"},
	    {"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DescribeServices"}};
	wire_request rq = {.method = "POST", .path = "/", .headers = h, .nheaders = 4,
	    .body = CAP_BODY, .body_len = strlen(CAP_BODY)};
	char hex[65];
	ck_assert_int_eq(sigv4_sign(&rq, "secret", "20261205T171350Z",
	    "20261205/us-east-1/ecs/aws4_request", "content-type;host;x-amz-date;x-amz-target",
	    hex), 0);
	ck_assert_str_eq(hex, "fac105bc727ff3e7aba390f40918962d7ff9fe90e9224ef86a2bf6e6dd678aba");
	/* AWS's published SigV4 test suite, get-vanilla-query-order-key-case:
	 * GET /?Param2=value2&Param1=value1 */
	wire_header g[] = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
	wire_request gq = {.method = "GET", .path = "/", .query = "Param2=value2&Param1=value1",
	    .headers = g, .nheaders = 2, .body = "", .body_len = 0};
	ck_assert_int_eq(sigv4_sign(&gq, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
	    "20150830T123600Z", "20150830/us-east-1/service/aws4_request", "host;x-amz-date",
	    hex), 0);
	ck_assert_str_eq(hex, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}
END_TEST

START_TEST(auth_option)
{
	if (!sigv4_available())
		return;
	srv_opts o = {.clock = SRV_CLOCK_MANUAL, .auth_key = "AKIDEXAMPLE", .auth_secret = "secret"};
	S = srv_new(&factory, &o, 0, NULL);
	req(0, "POST", "/", CAP_BODY, CAP_HEADERS(CAP_AUTH), NULL);
	ck_assert_int_eq(rs.status, 200);
	/* one byte of the body changed */
	req(0, "POST", "/", "{\"cluster\": \"c1\", \"services\": [\"wex\"]}", CAP_HEADERS(CAP_AUTH), NULL);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_msg(strstr(rs.body, "\"__type\":\"InvalidSignatureException\"") != NULL, "%s", rs.body);
	/* another key */
	req(0, "POST", "/", CAP_BODY, CAP_HEADERS("AWS4-HMAC-SHA256 Credential=AKIAREAL/20261205/"
	    "us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"), NULL);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_msg(strstr(rs.body, "\"__type\":\"UnrecognizedClientException\"") != NULL, "%s", rs.body);
	/* unsigned */
	req(0, "POST", "/", CAP_BODY, ECS("DescribeServices"), NULL);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_msg(strstr(rs.body, "\"__type\":\"MissingAuthenticationTokenException\"") != NULL, "%s", rs.body);
	/* query protocol: its own codes */
	req(0, "POST", "/", "Action=DescribeTargetGroups&Version=2015-12-01", FORM, NULL);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_msg(strstr(rs.body, "<Code>MissingAuthenticationToken</Code>") != NULL, "%s", rs.body);
	/* the admin endpoints stay open */
	req(0, "GET", "/_ecsim/state", "", NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_msg(strstr(rs.body, "\"auth\":true") != NULL, "%s", rs.body);
}
END_TEST

/* ---------------------------------------------------------------- */
/* The operation table.                                              */

static int
op_describe(void *self, const jr_val *input, char **out, aws_fault *fault, sim_error *err)
{
	(void)self;
	jr_obj o;
	int rc, n;
	const char *cluster;
	if ((rc = jr_object(input, &o, err)) != 0 ||
	    (rc = jr_req_str(&o, "cluster", &cluster, err)) != 0 ||
	    (rc = jr_opt_int32(&o, "maxResults", 1, 100, 100, &n, err)) != 0 ||
	    (rc = jr_done(&o, err)) != 0)
		return rc;
	if (strcmp(cluster, "c1") != 0)
		return aws_fault_client(fault, "ClusterNotFoundException", "Cluster not found.");
	*out = xstrdup("{\"ok\":true}");
	return 0;
}

START_TEST(optable_invoke)
{
	arena *a = arena_new();
	optab *t = optab_new(a);
	optab_service(t, "ecs", "InvalidParameterException", "UnknownOperationException");
	optab_service(t, "elasticloadbalancing", "ValidationError", "InvalidAction");
	optab_add(t, "ecs:ListServices", op_describe, OPTAB_READ);
	unsigned flags = 0;
	ck_assert(optab_has(t, "ecs:ListServices", &flags) && flags == OPTAB_READ);
	ck_assert_int_eq(optab_count(t), 1);
	ck_assert_str_eq(optab_name(t, 0), "ecs:ListServices");
	char *out = NULL;
	aws_fault f;
	sim_error err;
	aws_fault_clear(&f);
	ck_assert_int_eq(optab_invoke(t, NULL, a, "ecs:ListServices", "{\"cluster\":\"c1\"}",
	    &out, &f, &err), 0);
	ck_assert_str_eq(out, "{\"ok\":true}");
	free(out);
	ck_assert_int_eq(optab_invoke(t, NULL, a, "ecs:ListServices", "{\"cluster\":\"c2\"}",
	    &out, &f, &err), SIM_EFAULT);
	ck_assert_str_eq(f.code, "ClusterNotFoundException");
	ck_assert_ptr_null(out);
	ck_assert_int_eq(optab_invoke(t, NULL, a, "ecs:ListServices",
	    "{\"cluster\":\"c1\",\"maxResults\":500}", &out, &f, &err), SIM_EFAULT);
	ck_assert_str_eq(f.code, "InvalidParameterException");
	ck_assert_str_eq(f.message, "maxResults: expected an integer in [1, 100], got 500");
	ck_assert_int_eq(optab_invoke(t, NULL, a, "ecs:ListServices", "{\"clustr\":\"c1\"}",
	    &out, &f, &err), SIM_EFAULT);
	ck_assert_str_eq(f.message, "missing required key 'cluster'");
	ck_assert_int_eq(optab_invoke(t, NULL, a, "ecs:ListServices",
	    "{\"cluster\":\"c1\",\"maxResult\":5}", &out, &f, &err), SIM_EFAULT);
	ck_assert_msg(strstr(f.message, "did you mean 'maxResults'?") != NULL, "%s", f.message);
	ck_assert_int_eq(optab_invoke(t, NULL, a, "ecs:ListServices", "{\"cluster\":", &out, &f, &err),
	    SIM_EFAULT);
	ck_assert_str_eq(f.code, "SerializationException");
	/* found by make fuzz-serve: raw control characters (jread aborted) */
	ck_assert_int_eq(optab_invoke(t, NULL, a, "ecs:ListServices", "[\005]", &out, &f, &err),
	    SIM_EFAULT);
	ck_assert_str_eq(f.code, "SerializationException");
	ck_assert_str_eq(f.message, "control character 0x05 at byte 1 of the request body");
	ck_assert_int_eq(optab_invoke(t, NULL, a, "ecs:ListServices", "[1]", &out, &f, &err),
	    SIM_EFAULT);
	ck_assert_str_eq(f.message, "the request body must be a JSON object, not a JSON array");
	ck_assert_int_eq(optab_invoke(t, NULL, a, "elasticloadbalancing:DescribeRules", "", &out, &f,
	    &err), SIM_EFAULT);
	ck_assert_str_eq(f.code, "InvalidAction");
	ck_assert_int_eq(optab_invoke(t, NULL, a, "s3:GetObject", "", &out, &f, &err), SIM_EFAULT);
	ck_assert_str_eq(f.code, "UnknownOperationException");
	arena_free(a);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Garbage: 10^5 requests, every answer AWS-shaped.                  */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const char *const good_bodies[] = {
	"Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=arn%3Aaws%3Ax&"
	"Targets.member.1.Id=i-1&Targets.member.1.Port=80&Targets.member.2.Id=i-2",
	"Action=CreateListener&Version=2015-12-01&LoadBalancerArn=lb&Port=80&"
	"DefaultActions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key=k&"
	"DefaultActions.member.1.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value=v",
	"Action=GetMetricStatistics&Version=2010-08-01&StartTime=2026-12-05T17%3A00%3A00Z&Period=60",
	"{\"cluster\": \"c1\", \"services\": [\"web\"]}",
	"{\"cluster\":\"c1\",\"service\":\"web\",\"desiredCount\":3}",
	"{\"by\":\"5m\"}",
	"[\005]",
	"{\"by\":\001\"5m\"}",
};
static const char *const targets[] = {
	NULL, "AmazonEC2ContainerServiceV20141113.DescribeServices",
	"AmazonEC2ContainerServiceV20141113.UpdateService", "AnyScaleFrontendService.X",
	"GraniteServiceVersion20100801.DescribeAlarms", "Bogus.Op", ".", "",
	"AnyScaleFrontendService",
	"AmazonEC2ContainerServiceV20141113.\xff\xfe",
};
static const char *const ctypes[] = {
	NULL, "application/x-www-form-urlencoded", "application/x-amz-json-1.1",
	"application/cbor", "text/plain",
};
static const char *const paths[] = {
	"/", "/_ecsim/advance", "/_ecsim/state", "/_ecsim/report", "/_ecsim/report/x",
	"/monitoring", "/elasticloadbalancing/x", "/service/x", "", "/_ecsim/",
};
static const char *const auths[] = {
	NULL, "AWS4-HMAC-SHA256 Credential=A/2/r/monitoring/aws4_request, SignedHeaders=host, Signature=0",
	"AWS4-HMAC-SHA256 Credential=////", "Credential=", "AWS4-HMAC-SHA256 Credential=A/1/2/",
};

/* One garbage body into buf (at most cap bytes); returns its length. */
static size_t
garbage(char *buf, size_t cap)
{
	const char *g = good_bodies[rnd() % (sizeof(good_bodies) / sizeof(*good_bodies))];
	size_t n = strlen(g);
	memcpy(buf, g, n);
	switch (rnd() % 6) {
	case 0: /* truncated */
		n = n ? (size_t)(rnd() % n) : 0;
		break;
	case 1: /* bytes flipped */
		for (int k = 0; k < 4 && n; k++)
			buf[rnd() % n] = (char)(rnd() & 0xff);
		break;
	case 2: /* random bytes */
		n = (size_t)(rnd() % 200);
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)(rnd() & 0xff);
		break;
	case 3: /* deep nesting or huge indices */
		n = 0;
		n += (size_t)snprintf(buf, cap, "Action=DescribeTargetHealth&Version=2015-12-01&Targets");
		for (int k = 0; k < 30 && n + 40 < cap; k++)
			n += (size_t)snprintf(buf + n, cap - n, rnd() & 1 ? ".member.%d" : ".%d",
			    (int)(rnd() % 3000));
		n += (size_t)snprintf(buf + n, cap - n, "=x");
		break;
	case 4: /* oversized: long values, many parameters, deep JSON */
		if (rnd() & 1) {
			n = (size_t)snprintf(buf, cap, "Action=DescribeTargetGroups&Version=2015-12-01");
			while (n + 32 < cap)
				n += (size_t)snprintf(buf + n, cap - n, "&Names.member.%d=x",
				    (int)(rnd() % 1200));
		} else {
			n = 0;
			while (n + 2 < cap)
				buf[n++] = rnd() & 1 ? '[' : '{';
		}
		break;
	default: /* as is */
		break;
	}
	return n;
}

/* The answer is AWS-shaped: a JSON object with __type and message, XML
 * with <ErrorResponse> and <Code>, or (for a mutated but valid request) a
 * 200 with JSON or XML. */
static void
check_shaped(const wire_response *r, int i)
{
	ck_assert_msg(r->status == 200 || (r->status >= 400 && r->status <= 599),
	    "request %d: status %d", i, r->status);
	ck_assert_msg(r->body != NULL && r->len == strlen(r->body), "request %d: body", i);
	if (r->body[0] == '<') {
		if (r->status != 200)
			ck_assert_msg(strncmp(r->body, "<ErrorResponse", 14) == 0 &&
			    strstr(r->body, "<Code>") != NULL, "request %d: %s", i, r->body);
		return;
	}
	cJSON *o = cJSON_Parse(r->body);
	ck_assert_msg(o != NULL, "request %d: not JSON: %.200s", i, r->body);
	if (r->status != 200) {
		ck_assert_msg(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "__type")) &&
		    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "message")),
		    "request %d: %s", i, r->body);
	}
	cJSON_Delete(o);
}

START_TEST(garbage_answered_aws_shaped)
{
	if (sigv4_available()) {
		srv_opts o = {.clock = SRV_CLOCK_MANUAL, .auth_key = "AKIDEXAMPLE",
		    .auth_secret = "secret"};
		S = srv_new(&factory, &o, 0, NULL);
	} else {
		start(SRV_CLOCK_MANUAL, 1);
	}
	srv *plain = S;
	start(SRV_CLOCK_FACTOR, 60);
	srv *servers[2] = {plain, S};
	enum { N = 100000, CAP = 1 << 16 };
	char *buf = xmalloc(CAP);
	int errors = 0;
	for (int i = 0; i < N; i++) {
		size_t n = garbage(buf, (rnd() % 8 == 0) ? CAP : 512);
		wire_header h[4];
		size_t nh = 0;
		const char *t = targets[rnd() % (sizeof(targets) / sizeof(*targets))];
		const char *c = ctypes[rnd() % (sizeof(ctypes) / sizeof(*ctypes))];
		const char *a = auths[rnd() % (sizeof(auths) / sizeof(*auths))];
		if (t)
			h[nh++] = (wire_header){"X-Amz-Target", t};
		if (c)
			h[nh++] = (wire_header){"Content-Type", c};
		if (a)
			h[nh++] = (wire_header){"Authorization", a};
		wire_request rq = {.method = rnd() % 5 ? "POST" : "GET",
		    .path = paths[rnd() % (sizeof(paths) / sizeof(*paths))],
		    .query = rnd() % 4 ? NULL : "Action=DescribeAlarms&Version=2010-08-01&x=%",
		    .headers = h, .nheaders = nh, .body = buf, .body_len = n};
		wire_response r;
		srv_handle(servers[i & 1], &rq, 1000.0 + i * 1e-3, &r);
		check_shaped(&r, i);
		errors += r.status != 200;
		wire_response_free(&r);
	}
	free(buf);
	srv_free(plain);
	/* most are refused; none crashed */
	ck_assert_msg(errors > N / 2, "%d errors", errors);
}
END_TEST

/* The same garbage at the real model (the seed scenario): every
 * operation's handler reads it with jread. */
typedef struct seed_session {
	arena *a;
	expect_set *e;
	recorder *r;
	model *m;
} seed_session;

static int
seed_advance(void *self, sim_time t, sim_error *err)
{
	return model_backend.advance(((seed_session *)self)->m, t, err);
}

static int
seed_invoke(void *self, const char *op, const char *in, char **out, aws_fault *f,
    sim_error *err)
{
	return model_backend.invoke(((seed_session *)self)->m, op, in, out, f, err);
}

static void
seed_close(void *self)
{
	seed_session *x = self;
	model_free(x->m);
	rec_free(x->r);
	expect_free(x->e);
	arena_free(x->a);
	free(x);
}

static const backend_ops seed_ops = {.name = "sim", .advance = seed_advance,
    .invoke = seed_invoke, .close = seed_close};

static int
seed_open(void *ctx, const backend_ops **ops, void **self, sim_error *err)
{
	(void)ctx;
	seed_session *x = xcalloc(1, sizeof(*x));
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.no_timeline = true;
	x->a = arena_new();
	x->e = expect_new();
	model_cfg *cfg;
	scenario *sc;
	int rc = cli_load_scenario("scenarios/seed-article.json", &o, x->a, x->e, &cfg, &sc, err);
	ck_assert_int_eq(rc, 0);
	x->r = rec_new();
	x->m = model_new(cfg, sc, x->r);
	*ops = &seed_ops;
	*self = x;
	return 0;
}

static const char *const model_targets[] = {
	"AmazonEC2ContainerServiceV20141113.DescribeServices",
	"AmazonEC2ContainerServiceV20141113.UpdateService",
	"AmazonEC2ContainerServiceV20141113.CreateService",
	"AmazonEC2ContainerServiceV20141113.DeleteService",
	"AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition",
	"AmazonEC2ContainerServiceV20141113.ListTasks",
	"AmazonEC2ContainerServiceV20141113.DescribeTasks",
	"AmazonEC2ContainerServiceV20141113.UpdateContainerInstancesState",
	"AnyScaleFrontendService.PutScalingPolicy",
	"AnyScaleFrontendService.DescribeScalingActivities",
	"GraniteServiceVersion20100801.DescribeAlarms",
};
static const char *const model_bodies[] = {
	"{\"cluster\":\"default\",\"services\":[\"my-microservice\"]}",
	"{\"cluster\":\"default\",\"service\":\"my-microservice\",\"desiredCount\":3,"
	"\"forceNewDeployment\":true,\"taskDefinition\":\"my-microservice-task\"}",
	"{\"serviceName\":\"s2\",\"taskDefinition\":\"my-microservice-task\",\"desiredCount\":1}",
	"{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"a\",\"image\":\"i\","
	"\"memory\":128,\"portMappings\":[{\"containerPort\":80}]}]}",
	"{\"containerInstances\":[\"x\"],\"status\":\"DRAINING\",\"tasks\":[\"y\"]}",
	"{\"ServiceNamespace\":\"ecs\",\"ResourceId\":\"service/default/my-microservice\","
	"\"PolicyName\":\"p\",\"PolicyType\":\"TargetTrackingScaling\"}",
	"Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=my-microservice-tg",
	"Action=ModifyTargetGroupAttributes&Version=2015-12-01&TargetGroupArn=my-microservice-tg&"
	"Attributes.member.1.Key=deregistration_delay.timeout_seconds&Attributes.member.1.Value=7",
};

START_TEST(garbage_at_the_model)
{
	static const srv_factory sf = {NULL, seed_open, NULL};
	srv_opts o = {.clock = SRV_CLOCK_FACTOR, .factor = 600};
	S = srv_new(&sf, &o, 0, NULL);
	enum { N = 20000 };
	char buf[4096];
	int ok200 = 0;
	for (int i = 0; i < N; i++) {
		const char *g = model_bodies[rnd() % (sizeof(model_bodies) / sizeof(*model_bodies))];
		size_t n = strlen(g);
		memcpy(buf, g, n);
		switch (rnd() % 4) {
		case 0: n = n ? (size_t)(rnd() % n) : 0; break;
		case 1:
			for (int k = 0; k < 3 && n; k++)
				buf[rnd() % n] = (char)(rnd() & 0xff);
			break;
		case 2:
			for (int k = 0; k < 2 && n; k++)
				buf[rnd() % n] = "{}[],:\"0-.e\\ \005"[rnd() % 15];
			break;
		default: break;
		}
		wire_header h[2];
		size_t nh = 0;
		if (g[0] == '{')
			h[nh++] = (wire_header){"X-Amz-Target",
			    model_targets[rnd() % (sizeof(model_targets) / sizeof(*model_targets))]};
		else
			h[nh++] = (wire_header){"Content-Type", "application/x-www-form-urlencoded"};
		wire_request rq = {.method = "POST", .path = "/", .headers = h, .nheaders = nh,
		    .body = buf, .body_len = n};
		wire_response r;
		srv_handle(S, &rq, i * 0.01, &r);
		check_shaped(&r, i);
		ok200 += r.status == 200;
		wire_response_free(&r);
	}
	/* some mutated requests are still valid and answered */
	ck_assert_msg(ok200 > N / 20, "%d answered 200", ok200);
}
END_TEST

Suite *
serve_suite(void)
{
	Suite *s = suite_create("serve");
	TCase *tc = tcase_create("server");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, operations_routed_and_answered);
	tcase_add_test(tc, manual_clock_and_advance);
	tcase_add_test(tc, advance_until_steady);
	tcase_add_test(tc, factor_clock);
	tcase_add_test(tc, realtime_and_horizon);
	tcase_add_test(tc, reset_and_report_replay);
	tcase_add_test(tc, oversized_is_413_in_the_client_protocol);
	tcase_add_test(tc, sigv4_matches_awscli);
	tcase_add_test(tc, auth_option);
	tcase_add_test(tc, optable_invoke);
	suite_add_tcase(s, tc);
	TCase *tg = tcase_create("garbage");
	tcase_add_checked_fixture(tg, NULL, teardown);
	tcase_set_timeout(tg, 120);
	tcase_add_test(tg, garbage_answered_aws_shaped);
	tcase_add_test(tg, garbage_at_the_model);
	suite_add_tcase(s, tg);
	return s;
}
