/*
 * The AWS client's pure parts: where credentials and the region come from
 * (environment, shared files, profiles), the standard retry mode's rules,
 * the query protocol's form body, error codes of both protocols, and the
 * XML-to-JSON reading of query answers.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/aws_client.h"
#include "sim/aws_creds.h"
#include "sim/aws_retry.h"
#include "sim/aws_xml.h"
#include "tests/suites.h"

/* A fake environment: "NAME=value" strings. */
typedef struct fenv {
	const char *vars[12];
} fenv;

static const char *
fenv_get(const char *name, void *ctx)
{
	fenv *e = ctx;
	size_t n = strlen(name);
	for (int i = 0; i < 12 && e->vars[i]; i++)
		if (strncmp(e->vars[i], name, n) == 0 && e->vars[i][n] == '=')
			return e->vars[i] + n + 1;
	return NULL;
}

static char dir[64];
static char credf[128], conff[128], credv[160], confv[160];

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void
setup_files(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ecsim-creds-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(credf, sizeof(credf), "%s/credentials", dir);
	snprintf(conff, sizeof(conff), "%s/config", dir);
	snprintf(credv, sizeof(credv), "AWS_SHARED_CREDENTIALS_FILE=%s", credf);
	snprintf(confv, sizeof(confv), "AWS_CONFIG_FILE=%s", conff);
	write_file(credf,
	    "# comment\n"
	    "[default]\n"
	    "aws_access_key_id = AKIDDEFAULT\n"
	    "aws_secret_access_key=secretdefault\n"
	    "\n"
	    "[dev]\n"
	    "aws_access_key_id = AKIDDEV\n"
	    "aws_secret_access_key = secretdev\n"
	    "aws_session_token = tokendev\n");
	write_file(conff,
	    "[default]\n"
	    "region = eu-west-1\n"
	    "[profile dev]\n"
	    "region = eu-central-1\n"
	    "[profile cfgonly]\n"
	    "aws_access_key_id = AKIDCFG\n"
	    "aws_secret_access_key = secretcfg\n"
	    "region = ap-south-1\n"
	    "[profile sso]\n"
	    "sso_session = corp\n");
}

static void
teardown_files(void)
{
	unlink(credf);
	unlink(conff);
	rmdir(dir);
}

START_TEST(env_keys_win_over_files)
{
	fenv e = {{"AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=s3cr3t",
	    "AWS_SESSION_TOKEN=tok", "AWS_REGION=us-west-2",
	    "AWS_DEFAULT_REGION=us-east-2", credv, confv, NULL}};
	aws_creds c;
	sim_error err;
	ck_assert_int_eq(awscred_resolve(&c, fenv_get, &e, NULL, &err), 0);
	ck_assert_str_eq(c.access_key, "AKIDENV");
	ck_assert_str_eq(c.secret_key, "s3cr3t");
	ck_assert_str_eq(c.session_token, "tok");
	ck_assert_str_eq(c.region, "us-west-2");
	ck_assert_str_eq(c.source, "environment");
}
END_TEST

START_TEST(default_region_and_profile_files)
{
	fenv e = {{"AWS_DEFAULT_REGION=us-east-2", credv, confv, NULL}};
	aws_creds c;
	sim_error err;
	ck_assert_int_eq(awscred_resolve(&c, fenv_get, &e, NULL, &err), 0);
	ck_assert_str_eq(c.access_key, "AKIDDEFAULT");
	ck_assert_str_eq(c.secret_key, "secretdefault");
	ck_assert_str_eq(c.session_token, "");
	ck_assert_str_eq(c.region, "us-east-2");
	/* No region variable: the profile's region in the config file. */
	fenv e2 = {{"AWS_PROFILE=dev", credv, confv, NULL}};
	ck_assert_int_eq(awscred_resolve(&c, fenv_get, &e2, NULL, &err), 0);
	ck_assert_str_eq(c.access_key, "AKIDDEV");
	ck_assert_str_eq(c.session_token, "tokendev");
	ck_assert_str_eq(c.region, "eu-central-1");
	ck_assert_ptr_nonnull(strstr(c.source, "[dev]"));
}
END_TEST

START_TEST(profile_option_wins_over_env_keys)
{
	fenv e = {{"AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=s",
	    credv, confv, NULL}};
	aws_creds c;
	sim_error err;
	ck_assert_int_eq(awscred_resolve(&c, fenv_get, &e, "cfgonly", &err), 0);
	ck_assert_str_eq(c.access_key, "AKIDCFG");
	ck_assert_str_eq(c.region, "ap-south-1");
	ck_assert_ptr_nonnull(strstr(c.source, "[profile cfgonly]"));
}
END_TEST

START_TEST(missing_and_unsupported_credentials)
{
	aws_creds c;
	sim_error err;
	fenv half = {{"AWS_ACCESS_KEY_ID=AKIDENV", credv, confv, NULL}};
	ck_assert_int_eq(awscred_resolve(&c, fenv_get, &half, NULL, &err), SIM_EINPUT);
	ck_assert_str_eq(err.msg, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together; only AWS_ACCESS_KEY_ID is set");
	fenv none = {{"AWS_PROFILE=nosuch", credv, confv, NULL}};
	ck_assert_int_eq(awscred_resolve(&c, fenv_get, &none, NULL, &err), SIM_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "no AWS credentials"));
	ck_assert_ptr_nonnull(strstr(err.msg, "profile 'nosuch'"));
	fenv sso = {{"AWS_PROFILE=sso", credv, confv, NULL}};
	ck_assert_int_eq(awscred_resolve(&c, fenv_get, &sso, NULL, &err), SIM_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "through sso_session"));
	ck_assert_ptr_nonnull(strstr(err.msg, "aws configure export-credentials --profile sso --format env"));
}
END_TEST

START_TEST(region_without_credentials)
{
	char r[64];
	sim_error err;
	fenv e = {{confv, NULL}};
	ck_assert_int_eq(awscred_region(r, sizeof(r), fenv_get, &e, NULL, &err), 0);
	ck_assert_str_eq(r, "eu-west-1");
	fenv e2 = {{"AWS_CONFIG_FILE=/nonexistent/config", NULL}};
	ck_assert_int_eq(awscred_region(r, sizeof(r), fenv_get, &e2, NULL, &err), 0);
	ck_assert_str_eq(r, "");
}
END_TEST

START_TEST(retry_rules)
{
	ck_assert(awsretry_retryable(400, "ThrottlingException"));
	ck_assert(awsretry_retryable(400, "Throttling"));
	ck_assert(awsretry_retryable(503, "RequestLimitExceeded"));
	ck_assert(awsretry_retryable(429, ""));
	ck_assert(awsretry_retryable(500, "InternalError"));
	ck_assert(awsretry_retryable(502, NULL));
	ck_assert(awsretry_retryable(504, NULL));
	ck_assert(awsretry_retryable(0, NULL)); /* no response */
	ck_assert(!awsretry_retryable(400, "InvalidParameterException"));
	ck_assert(!awsretry_retryable(400, "ClusterNotFoundException"));
	ck_assert(!awsretry_retryable(501, NULL));
	ck_assert(!awsretry_retryable(403, "AccessDeniedException"));
	aws_retry_policy p = awsretry_standard();
	ck_assert_int_eq(p.max_attempts, 3);
	/* Full jitter under min(50 ms * 2^(i-1), 20 s). */
	ck_assert_int_eq(awsretry_backoff(&p, 1, 0.5), 25 * SIM_MS);
	ck_assert_int_eq(awsretry_backoff(&p, 2, 0.5), 50 * SIM_MS);
	ck_assert_int_eq(awsretry_backoff(&p, 3, 0.5), 100 * SIM_MS);
	ck_assert_int_eq(awsretry_backoff(&p, 1, 0.0), 0);
	/* 50 ms * 2^9 = 25.6 s: capped at 20 s. */
	ck_assert_int_eq(awsretry_backoff(&p, 10, 0.5), 10 * SIM_SEC);
	ck_assert_int_eq(awsretry_backoff(&p, 60, 0.5), 10 * SIM_SEC);
	ck_assert(awsretry_backoff(&p, 60, 0.9999) < 20 * SIM_SEC);
}
END_TEST

START_TEST(query_form_body)
{
	cJSON *in = cJSON_Parse("{\"Name\":\"web tg\",\"Port\":8080,\"HealthCheckEnabled\":true,"
	    "\"Matcher\":{\"HttpCode\":\"200-299\"},\"Tags\":[{\"Key\":\"ecsim:run-id\",\"Value\":\"r/1\"}],"
	    "\"Ratio\":0.25,\"Empty\":[]}");
	char *b = awsc_query_body("CreateTargetGroup", "2015-12-01", in);
	ck_assert_str_eq(b, "Action=CreateTargetGroup&Version=2015-12-01&Name=web%20tg&Port=8080"
	    "&HealthCheckEnabled=true&Matcher.HttpCode=200-299&Tags.member.1.Key=ecsim%3Arun-id"
	    "&Tags.member.1.Value=r%2F1&Ratio=0.25&Empty=");
	free(b);
	cJSON_Delete(in);
	b = awsc_query_body("GetCallerIdentity", "2011-06-15", NULL);
	ck_assert_str_eq(b, "Action=GetCallerIdentity&Version=2011-06-15");
	free(b);
}
END_TEST

START_TEST(json_error_codes)
{
	char code[64], msg[128];
	ck_assert(awsc_json_error("{\"__type\":\"com.amazonaws.ecs#ServiceNotFoundException\",\"message\":\"Service not found.\"}",
	    NULL, code, sizeof(code), msg, sizeof(msg)));
	ck_assert_str_eq(code, "ServiceNotFoundException");
	ck_assert_str_eq(msg, "Service not found.");
	ck_assert(awsc_json_error("{\"Message\":\"x\"}", "ValidationException:http://internal.amazon.com/",
	    code, sizeof(code), msg, sizeof(msg)));
	ck_assert_str_eq(code, "ValidationException");
	ck_assert_str_eq(msg, "x");
	ck_assert(!awsc_json_error("not json", NULL, code, sizeof(code), msg, sizeof(msg)));
	ck_assert_str_eq(code, "");
}
END_TEST

START_TEST(xml_to_json)
{
	if (!awsxml_available()) {
		fprintf(stderr, "aws_creds: xml_to_json SKIPPED (built without libxml2)\n");
		return;
	}
	const char *x =
	    "<DescribeTargetHealthResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
	    "<DescribeTargetHealthResult><TargetHealthDescriptions>"
	    "<member><HealthCheckPort>32768</HealthCheckPort><Target><Port>32768</Port><Id>i-0f76fade</Id></Target>"
	    "<TargetHealth><State>healthy</State></TargetHealth></member>"
	    "<member><Target><Port>32769</Port><Id>i-0f76fade</Id></Target>"
	    "<TargetHealth><Reason>Elb.InitialHealthChecking</Reason><Description>Initial health checks in progress</Description><State>initial</State></TargetHealth></member>"
	    "</TargetHealthDescriptions></DescribeTargetHealthResult>"
	    "<ResponseMetadata><RequestId>c534f810</RequestId></ResponseMetadata></DescribeTargetHealthResponse>";
	cJSON *j = awsxml_result(x, strlen(x), "DescribeTargetHealth");
	ck_assert_ptr_nonnull(j);
	char *s = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(s, "{\"TargetHealthDescriptions\":["
	    "{\"HealthCheckPort\":\"32768\",\"Target\":{\"Port\":\"32768\",\"Id\":\"i-0f76fade\"},\"TargetHealth\":{\"State\":\"healthy\"}},"
	    "{\"Target\":{\"Port\":\"32769\",\"Id\":\"i-0f76fade\"},\"TargetHealth\":{\"Reason\":\"Elb.InitialHealthChecking\","
	    "\"Description\":\"Initial health checks in progress\",\"State\":\"initial\"}}]}");
	free(s);
	cJSON_Delete(j);
	/* A Delete answer has no result element. */
	const char *d = "<DeleteTargetGroupResponse><DeleteTargetGroupResult/><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></DeleteTargetGroupResponse>";
	j = awsxml_result(d, strlen(d), "DeleteTargetGroup");
	s = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(s, "{}");
	free(s);
	cJSON_Delete(j);
	ck_assert_ptr_null(awsxml_result("<a><b>", 6, "A"));
	char code[64], msg[128], rid[64];
	const char *e = "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no</Message></Error></Errors><RequestID>abc</RequestID></Response>";
	ck_assert(awsxml_error(e, strlen(e), code, sizeof(code), msg, sizeof(msg), rid, sizeof(rid)));
	ck_assert_str_eq(code, "UnauthorizedOperation");
	ck_assert_str_eq(rid, "abc");
}
END_TEST

START_TEST(service_table)
{
	const aws_service *s = awsc_service("elbv2");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->signing, "elasticloadbalancing");
	ck_assert_int_eq(s->protocol, AWS_QUERY);
	s = awsc_service("ecs");
	ck_assert_str_eq(s->target, "AmazonEC2ContainerServiceV20141113");
	s = awsc_service("application-autoscaling");
	ck_assert_str_eq(s->target, "AnyScaleFrontendService");
	ck_assert_ptr_null(awsc_service("s3"));
}
END_TEST

Suite *
aws_creds_suite(void)
{
	Suite *s = suite_create("aws_creds");
	TCase *tc = tcase_create("creds");
	tcase_add_checked_fixture(tc, setup_files, teardown_files);
	tcase_add_test(tc, env_keys_win_over_files);
	tcase_add_test(tc, default_region_and_profile_files);
	tcase_add_test(tc, profile_option_wins_over_env_keys);
	tcase_add_test(tc, missing_and_unsupported_credentials);
	tcase_add_test(tc, region_without_credentials);
	suite_add_tcase(s, tc);
	TCase *tp = tcase_create("protocol");
	tcase_add_test(tp, retry_rules);
	tcase_add_test(tp, query_form_body);
	tcase_add_test(tp, json_error_codes);
	tcase_add_test(tp, xml_to_json);
	tcase_add_test(tp, service_table);
	suite_add_tcase(s, tp);
	return s;
}
