/*
 * aws/backend's whole life against a scripted local endpoint, on a fake
 * clock: the account check, setup (creating, tagged), the timeline call
 * sent at its time between polls, observation into the recorder, and the
 * cleanup deleting exactly what was created, using the ARNs the answers
 * named, a deletion refused while another finishes tried again. Skips
 * without libcurl unless CI=true.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/aws/backend.h"
#include "model/aws/plan.h"
#include "sim/cli.h"
#include "tests/http_stub.h"
#include "tests/suites.h"

#define SCN "tests/data/aws/tiny.json"
#define TD_ARN "arn:aws:ecs:us-east-1:123456789012:task-definition/api:7"

typedef struct fclock {
	double t;
} fclock;

static double
fnow(void *ctx)
{
	return ((fclock *)ctx)->t;
}

static void
fsleep(void *ctx, sim_time us)
{
	((fclock *)ctx)->t += (double)us / 1e6;
}

static bool
skip(void)
{
	if (awsc_available())
		return false;
	const char *ci = getenv("CI");
	ck_assert_msg(ci == NULL || strcmp(ci, "true") != 0, "CI=true without libcurl");
	fprintf(stderr, "aws_backend: SKIPPED (built without libcurl4-openssl-dev and libxml2-dev)\n");
	return true;
}

static const char sts_ok[] =
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
    "<Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>"
    "</GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

static const char svc_answer[] =
    "{\"services\":[{\"serviceName\":\"api\",\"status\":\"ACTIVE\",\"desiredCount\":1,\"runningCount\":1,"
    "\"pendingCount\":0,\"createdAt\":1700000000.5,\"deployments\":[{\"id\":\"ecs-svc/1\",\"status\":\"PRIMARY\","
    "\"taskDefinition\":\"" TD_ARN "\",\"desiredCount\":1,\"createdAt\":1700000000.5,"
    "\"updatedAt\":1700000030.0,\"rolloutState\":\"COMPLETED\"}],\"events\":[{\"id\":\"e1\","
    "\"createdAt\":1700000030.0,\"message\":\"(service api) has reached a steady state.\"}]}],\"failures\":[]}";

/* The client and backend of a test. */
typedef struct rig {
	hstub h;
	aws_client *client;
	awsplan plan;
	cli_result sim;
	recorder *rec;
	awsb *b;
	fclock clk;
} rig;

static void
rig_start(rig *r, const hstub_response *rs, int n, const char *account)
{
	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(hstub_start(&r->h, rs, n), 0);
	aws_creds cr;
	memset(&cr, 0, sizeof(cr));
	snprintf(cr.access_key, sizeof(cr.access_key), "AKIDEXAMPLE");
	snprintf(cr.secret_key, sizeof(cr.secret_key), "secret");
	snprintf(cr.region, sizeof(cr.region), "us-east-1");
	awsc_config cc;
	memset(&cc, 0, sizeof(cc));
	cc.creds = &cr;
	cc.retry = awsretry_standard();
	cc.timeout_ms = 5000;
	r->client = awsc_new(&cc);
	ck_assert_ptr_nonnull(r->client);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", r->h.port);
	sim_error err;
	ck_assert_int_eq(awsc_set_endpoint(r->client, NULL, url, &err), 0);
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(cli_run_scenario(SCN, &o, &r->sim, &err), 0);
	awsplan_opts po = {true, "unit-1", NULL, NULL, NULL};
	ck_assert_int_eq(awsplan_build(&r->plan, SCN, &po, &err), 0);
	r->rec = rec_new();
	r->clk.t = 1700000000.0;
	static const char *accounts[1];
	accounts[0] = account;
	awsb_config bc;
	memset(&bc, 0, sizeof(bc));
	bc.plan = &r->plan;
	bc.client = r->client;
	bc.rec = r->rec;
	bc.poll = 60 * SIM_SEC;
	bc.clock = 1;
	bc.accounts = accounts;
	bc.naccounts = 1;
	bc.now = fnow;
	bc.sleep_us = fsleep;
	bc.ctx = &r->clk;
	r->b = awsb_new(&bc);
}

/* Stop the stub; return its log (owned). */
static char *
rig_stop(rig *r)
{
	awsb_free(r->b);
	awsc_free(r->client);
	awsplan_fini(&r->plan);
	cli_result_free(&r->sim);
	rec_free(r->rec);
	return hstub_finish(&r->h);
}

/* "ecs:UpdateService" style name of request i of the log. */
static void
op_of(const char *log, int i, char *buf, size_t size)
{
	char *req = hstub_request(log, i);
	ck_assert_msg(req != NULL, "no request %d", i);
	char *t = hstub_header(req, "X-Amz-Target");
	if (t) {
		const char *dot = strchr(t, '.');
		snprintf(buf, size, "%s", dot ? dot + 1 : t);
	} else {
		char *body = hstub_body(req);
		snprintf(buf, size, "%.*s", (int)strcspn(body + 7, "&"), body + 7);
		free(body);
	}
	free(t);
	free(req);
}

START_TEST(whole_run)
{
	if (skip())
		return;
	hstub_response rs[] = {
		{200, NULL, sts_ok},
		{200, NULL, "{\"cluster\":{\"clusterArn\":\"arn:aws:ecs:us-east-1:123456789012:cluster/apps\"}}"},
		{200, NULL, "{\"taskDefinition\":{\"taskDefinitionArn\":\"" TD_ARN "\"}}"},
		{200, NULL, "{\"service\":{\"serviceArn\":\"arn:aws:ecs:us-east-1:123456789012:service/apps/api\"}}"},
		/* poll at 0 s */
		{200, NULL, svc_answer}, {200, NULL, "{\"taskArns\":[]}"}, {200, NULL, "{\"taskArns\":[]}"},
		/* poll at 60 s, then the timeline call */
		{200, NULL, svc_answer}, {200, NULL, "{\"taskArns\":[]}"}, {200, NULL, "{\"taskArns\":[]}"},
		{200, NULL, "{\"service\":{}}"},
		/* poll at 120 s, and the last one at the end */
		{200, NULL, svc_answer}, {200, NULL, "{\"taskArns\":[]}"}, {200, NULL, "{\"taskArns\":[]}"},
		{200, NULL, svc_answer}, {200, NULL, "{\"taskArns\":[]}"}, {200, NULL, "{\"taskArns\":[]}"},
		/* cleanup */
		{200, NULL, "{\"service\":{}}"}, {200, NULL, "{\"service\":{}}"},
		{200, NULL, "{\"services\":[{\"serviceName\":\"api\",\"status\":\"INACTIVE\"}]}"},
		{200, NULL, "{\"taskDefinition\":{}}"},
		/* the cluster still drains its service: tried again */
		{400, NULL, "{\"__type\":\"ClusterContainsServicesException\",\"message\":\"The Cluster cannot be deleted while Services are active.\"}"},
		{200, NULL, "{\"cluster\":{}}"},
	};
	int n = (int)(sizeof(rs) / sizeof(rs[0]));
	rig r;
	rig_start(&r, rs, n, "123456789012");
	sim_error err;
	char account[32];
	ck_assert_msg(awsb_identify(r.b, account, sizeof(account), &err) == 0, "%s", err.msg);
	ck_assert_str_eq(account, "123456789012");
	ck_assert_msg(awsb_setup(r.b, &err) == 0, "%s", err.msg);
	ck_assert_msg(plan_run(r.sim.timeline, &awsb_ops, r.b, r.sim.duration, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(awsb_now(r.b), 120 * SIM_SEC);
	awsb_finish(r.b);
	ck_assert_int_eq(awsb_cleanup(r.b), 0);
	/* Observed: rows at 0, 60, 120 (and the final poll), the event. */
	ck_assert_uint_eq(rec_row_count(r.rec), 4);
	ck_assert_int_eq(rec_row_time(r.rec, 1), 60 * SIM_SEC);
	ck_assert_uint_eq(rec_event_count(r.rec), 1);
	ck_assert_int_eq(rec_event_at(r.rec, 0)->t, 30 * SIM_SEC);
	rec_fact *d = rec_fact_at(r.rec, "deployment", 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(rec_fact_get_str(d, "taskDefinition"), "api:7");
	char *log = rig_stop(&r);
	static const char *const want[] = {
		"GetCallerIdentity", "CreateCluster", "RegisterTaskDefinition", "CreateService",
		"DescribeServices", "ListTasks", "ListTasks",
		"DescribeServices", "ListTasks", "ListTasks", "UpdateService",
		"DescribeServices", "ListTasks", "ListTasks",
		"DescribeServices", "ListTasks", "ListTasks",
		"UpdateService", "DeleteService", "DescribeServices", "DeregisterTaskDefinition",
		"DeleteCluster", "DeleteCluster",
	};
	ck_assert_int_eq((int)(sizeof(want) / sizeof(want[0])), n);
	for (int i = 0; i < n; i++) {
		char op[64];
		op_of(log, i, op, sizeof(op));
		ck_assert_msg(strcmp(op, want[i]) == 0, "request %d: %s, expected %s", i, op, want[i]);
	}
	ck_assert_ptr_null(hstub_request(log, n));
	/* Created things are tagged; the timeline call is the scenario's;
	 * the cleanup deregisters the revision the answer named. */
	char *req = hstub_request(log, 1), *body = hstub_body(req);
	ck_assert_str_eq(body, "{\"clusterName\":\"apps\",\"tags\":[{\"key\":\"ecsim:run-id\",\"value\":\"unit-1\"}]}");
	free(body);
	free(req);
	req = hstub_request(log, 10);
	body = hstub_body(req);
	ck_assert_str_eq(body, "{\"cluster\":\"apps\",\"service\":\"api\",\"desiredCount\":2}");
	free(body);
	free(req);
	req = hstub_request(log, 20);
	body = hstub_body(req);
	ck_assert_str_eq(body, "{\"taskDefinition\":\"" TD_ARN "\"}");
	free(body);
	free(req);
	free(log);
}
END_TEST

/* Credentials of another account: refused after the one read-only call. */
START_TEST(other_account_refused)
{
	if (skip())
		return;
	hstub_response rs[] = {{200, NULL, sts_ok}};
	rig r;
	rig_start(&r, rs, 1, "999999999999");
	sim_error err;
	char account[32];
	ck_assert_int_eq(awsb_identify(r.b, account, sizeof(account), &err), SIM_ERUNTIME);
	ck_assert_str_eq(err.msg, "the credentials belong to account 123456789012, which --account does not allow");
	/* Nothing was created, so the cleanup sends nothing. */
	ck_assert_int_eq(awsb_cleanup(r.b), 0);
	char *log = rig_stop(&r);
	char *first = hstub_request(log, 0);
	ck_assert_ptr_nonnull(first);
	free(first);
	ck_assert_ptr_null(hstub_request(log, 1));
	free(log);
}
END_TEST

/* A setup call fails: what was created before it is deleted, nothing
 * else; a deletion answered "not found" counts as done. */
START_TEST(failed_setup_cleans_what_exists)
{
	if (skip())
		return;
	hstub_response rs[] = {
		{200, NULL, sts_ok},
		{200, NULL, "{\"cluster\":{\"clusterArn\":\"arn:aws:ecs:us-east-1:123456789012:cluster/apps\"}}"},
		{400, NULL, "{\"__type\":\"ClientException\",\"message\":\"Invalid setting for container definition.\"}"},
		/* deleted meanwhile by someone else: the goal is reached */
		{400, NULL, "{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster not found.\"}"},
	};
	rig r;
	rig_start(&r, rs, 4, "123456789012");
	sim_error err;
	char account[32];
	ck_assert_int_eq(awsb_identify(r.b, account, sizeof(account), &err), 0);
	ck_assert_int_eq(awsb_setup(r.b, &err), SIM_ERUNTIME);
	ck_assert_str_eq(err.msg, "ecs:RegisterTaskDefinition: ClientException: Invalid setting for container definition.");
	ck_assert_int_eq(awsb_cleanup(r.b), 0);
	char *log = rig_stop(&r);
	char op[64];
	op_of(log, 3, op, sizeof(op));
	ck_assert_str_eq(op, "DeleteCluster");
	ck_assert_ptr_null(hstub_request(log, 4));
	free(log);
}
END_TEST

Suite *
aws_backend_suite(void)
{
	Suite *s = suite_create("aws_backend");
	TCase *tc = tcase_create("backend");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, whole_run);
	tcase_add_test(tc, other_account_refused);
	tcase_add_test(tc, failed_setup_cleans_what_exists);
	suite_add_tcase(s, tc);
	return s;
}
