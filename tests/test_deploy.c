/*
 * Deployment strategies beyond the rolling update (ecs-deployments.md §3,
 * §2.5, §1.5): ECS-native BLUE_GREEN, LINEAR and CANARY with their stages,
 * bake times and traffic shifts; lifecycle hooks (AWS_LAMBDA outcomes,
 * PAUSE with ecs:ContinueServiceDeployment); deployment alarms (rolling and
 * blue/green); CodeDeploy blue/green on task sets; EXTERNAL task sets;
 * the rolling scale-out that applies to both revisions; the inputs that
 * configure them and the refusals AWS would answer.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/ecs/deploy_bluegreen.h"
#include "reports/expect.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

/* ---- scenarios ---- */

typedef struct bgopt {
	const char *dc;          /* deploymentConfiguration members */
	const char *svc_extra;   /* more members of the service */
	const char *extra;       /* more top-level members (each ending in ",") */
	const char *timeline;    /* more timeline entries (each starting with ",") */
	const char *adv;         /* advancedConfiguration; NULL: the default one */
	int desired;
	int instances;
	const char *duration;    /* default "2h" */
	const char *pre;         /* timeline entries before 10 min (each ending with ",") */
	const char *expect;      /* the expect section's entries */
} bgopt;

#define TD(img) \
	"{\"family\": \"app\", \"networkMode\": \"bridge\", \"containerDefinitions\": [{\"name\": \"app\"," \
	" \"image\": \"" img "\", \"cpu\": 256, \"memory\": 256, \"portMappings\": [{\"containerPort\": 8080}]}]}"

/* Two t3.medium, an ALB with a rule forwarding to web-blue (alternate
 * web-green), service web of 2 tasks, 20 requests per second; at 10 min a
 * new revision app:2 is deployed. Target health: 5 s x 2. */
static void
scenario(char *buf, size_t size, const bgopt *o)
{
	snprintf(buf, size,
	    "{\"duration\": \"%s\", \"sampleInterval\": \"30s\", %s"
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"startTime\": \"2s\", \"readyTime\": \"3s\"}},"
	    " \"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": %d}]}],"
	    " \"taskDefinitions\": [" TD("app:1") "],"
	    " \"targetGroups\": ["
	    "  {\"Name\": \"web-blue\", \"Port\": 8080, \"HealthCheckIntervalSeconds\": 10, \"HealthCheckTimeoutSeconds\": 5, \"HealthyThresholdCount\": 2,"
	    "   \"Attributes\": [{\"Key\": \"deregistration_delay.timeout_seconds\", \"Value\": \"30\"}]},"
	    "  {\"Name\": \"web-green\", \"Port\": 8080, \"HealthCheckIntervalSeconds\": 10, \"HealthCheckTimeoutSeconds\": 5, \"HealthyThresholdCount\": 2,"
	    "   \"Attributes\": [{\"Key\": \"deregistration_delay.timeout_seconds\", \"Value\": \"30\"}]}],"
	    " \"loadBalancers\": [{\"Name\": \"alb\", \"Listeners\": [{\"Port\": 80,"
	    "   \"DefaultActions\": [{\"Type\": \"forward\", \"TargetGroupArn\": \"web-blue\"}]},"
	    "   {\"Port\": 8080, \"DefaultActions\": [{\"Type\": \"forward\", \"TargetGroupArn\": \"web-green\"}]}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": %d,"
	    "   \"deploymentConfiguration\": {%s}%s,"
	    "   \"loadBalancers\": [{\"targetGroupArn\": \"web-blue\", \"containerName\": \"app\", \"containerPort\": 8080%s%s%s}]}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": 20, \"cpuMsPerRequest\": 2}],"
	    " \"timeline\": [%s"
	    "  {\"at\": \"10m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": " TD("app:2") "},"
	    "  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app\"}}"
	    "  %s], \"expect\": [%s]}",
	    o->duration ? o->duration : "2h", o->extra ? o->extra : "", o->instances ? o->instances : 2, o->desired ? o->desired : 2,
	    o->dc ? o->dc : "", o->svc_extra ? o->svc_extra : "",
	    o->adv && o->adv[0] == '\0' ? "" : ", \"advancedConfiguration\": ",
	    o->adv && o->adv[0] == '\0' ? "" : o->adv ? o->adv :
	    "{\"alternateTargetGroupArn\": \"web-green\", \"productionListenerRule\": \"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/alb/1/2/3\"}",
	    "", o->pre ? o->pre : "", o->timeline ? o->timeline : "", o->expect ? o->expect : "");
}

/* The start of the first lifecycle stage `name` (of any deployment), or -1. */
static sim_time
stage_start(const recorder *r, const char *name)
{
	for (size_t i = 0; i < rec_fact_count(r, "deployment_stage"); i++) {
		rec_fact *f = rec_fact_at(r, "deployment_stage", i);
		if (strcmp(rec_fact_get_str(f, "stage"), name) == 0)
			return rec_fact_get(f, "start")->i;
	}
	return -1;
}

/* Stage names in order, as one comma-separated string. */
static void
stage_order(const recorder *r, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < rec_fact_count(r, "deployment_stage") && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : "",
		    rec_fact_get_str(rec_fact_at(r, "deployment_stage", i), "stage"));
}

/* Traffic shifts: time and percent of the i-th "traffic_shift" fact. */
static sim_time
shift_at(const recorder *r, size_t i, double *pct)
{
	rec_fact *f = rec_fact_at(r, "traffic_shift", i);
	ck_assert_msg(f != NULL, "no traffic shift %zu", i);
	*pct = rec_fact_get_num(f, "percent", -1);
	return rec_fact_get(f, "time")->i;
}

/* Series `name` at the last sample at or before t (NaN if none). */
static double
series_at(const recorder *r, const char *name, sim_time t)
{
	int id = rec_series_find(r, name);
	double v = (double)NAN;
	for (size_t i = 0; id >= 0 && i < rec_row_count(r) && rec_row_time(r, i) <= t; i++)
		v = rec_get(r, id, i);
	return v;
}

static const rec_fact *
dep(const recorder *r, size_t i)
{
	const rec_fact *f = su_fact(r, "deployment", i);
	ck_assert_msg(f != NULL, "no deployment %zu", i);
	return f;
}

/* Tasks started (their "has started" events' counts) at or after t. */
static int
started_after(const recorder *r, sim_time t)
{
	int n = 0;
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		int k;
		const char *p = strstr(e->text, ") has started ");
		if (e->t >= t && p != NULL && sscanf(p, ") has started %d", &k) == 1)
			n += k;
	}
	return n;
}

static const char *const all_stages =
    "PRE_SCALE_UP,SCALE_UP,POST_SCALE_UP,TEST_TRAFFIC_SHIFT,POST_TEST_TRAFFIC_SHIFT,"
    "PRODUCTION_TRAFFIC_SHIFT,POST_PRODUCTION_TRAFFIC_SHIFT,BAKE_TIME,CLEAN_UP";

/* ---- the linear step rule ---- */

START_TEST(test_linear_steps)
{
	/* [DOC] CloudFormation LinearConfiguration: steps that incur a step
	 * bake = (100/step) - 1 when 100/step is an integer, else
	 * floor(100/step); shifts = bakes + 1 */
	ck_assert_int_eq(bg_linear_shifts(10.0) - 1, 9);
	ck_assert_int_eq(bg_linear_shifts(11.0) - 1, 9);
	ck_assert_int_eq(bg_linear_shifts(50.0) - 1, 1);
	ck_assert_int_eq(bg_linear_shifts(25.0) - 1, 3);
	ck_assert_int_eq(bg_linear_shifts(33.3) - 1, 3);
	ck_assert_int_eq(bg_linear_shifts(3.0) - 1, 33);
	ck_assert_int_eq(bg_linear_shifts(100.0) - 1, 0);
	ck_assert_int_eq(bg_linear_shifts(12.5) - 1, 7);
}
END_TEST

/* ---- stage order and timing ---- */

START_TEST(test_blue_green_stages)
{
	static char json[16384];
	cli_result res;
	bgopt o = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 7"};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	char order[1024];
	stage_order(r, order, sizeof(order));
	ck_assert_str_eq(order, all_stages);
	/* green scales up from the update, at once to the desired count */
	ck_assert_int_eq(stage_start(r, "PRE_SCALE_UP"), 10 * SIM_MIN);
	ck_assert_int_eq(stage_start(r, "SCALE_UP"), 10 * SIM_MIN);
	ck_assert_int_eq(su_count_events(r, "(service web) has started 2 tasks"), 2);
	/* both revisions run at full size during the deployment */
	ck_assert_int_eq((int)su_series_max(r, "service/web/running", 10 * SIM_MIN), 4);
	/* production shifts 0 -> 100 % in one step, when the green revision is
	 * healthy; the bake is exactly bakeTimeInMinutes */
	sim_time p = stage_start(r, "PRODUCTION_TRAFFIC_SHIFT");
	ck_assert(p > stage_start(r, "SCALE_UP"));
	ck_assert_int_eq((int)rec_fact_count(r, "traffic_shift"), 2); /* start, then 100 % */
	double pct;
	ck_assert_int_eq(shift_at(r, 1, &pct), p);
	ck_assert(pct == 100.0);
	ck_assert_int_eq(stage_start(r, "BAKE_TIME"), p);
	ck_assert_int_eq(stage_start(r, "CLEAN_UP"), p + 7 * SIM_MIN);
	const rec_fact *d = dep(r, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "strategy"), "BLUE_GREEN");
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "COMPLETED");
	ck_assert_str_eq(rec_fact_get_str(d, "serviceDeploymentStatus"), "SUCCESSFUL");
	ck_assert(rec_fact_get(d, "end")->i > p + 7 * SIM_MIN);
	/* green's tasks register in the alternate target group */
	ck_assert_int_ge(su_count_events(r, "registered 1 targets in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/"), 2);
	/* after the clean-up the service runs 2 tasks of app:2 */
	ck_assert_int_eq((int)su_series_max(r, "service/web/running", 60 * SIM_MIN), 2);
	ck_assert_int_eq((int)su_series_min(r, "service/web/rev/app:2", 60 * SIM_MIN), 2);
	cli_result_free(&res);
}
END_TEST

START_TEST(test_canary_defaults)
{
	static char json[16384];
	cli_result res;
	/* [DOC] defaults: canaryPercent 5.0, canaryBakeTimeInMinutes 10 */
	bgopt o = {.dc = "\"strategy\": \"CANARY\", \"bakeTimeInMinutes\": 3"};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	char order[1024];
	stage_order(r, order, sizeof(order));
	ck_assert_str_eq(order, all_stages);
	sim_time p = stage_start(r, "PRODUCTION_TRAFFIC_SHIFT");
	double pct;
	/* the production shift starts with the canary... */
	ck_assert_int_eq(shift_at(r, 1, &pct), p);
	ck_assert(fabs(pct - 5.0) < 1e-9);
	/* ...and the rest follows after exactly 10 minutes */
	ck_assert_int_eq(shift_at(r, 2, &pct), p + 10 * SIM_MIN);
	ck_assert(pct == 100.0);
	ck_assert_int_eq(stage_start(r, "POST_PRODUCTION_TRAFFIC_SHIFT"), p + 10 * SIM_MIN);
	ck_assert_int_eq(stage_start(r, "CLEAN_UP"), p + 13 * SIM_MIN);
	/* requests follow the shift: 5 % to app:2 during the canary */
	int row = -1;
	for (size_t i = 0; i < rec_row_count(r) && row < 0; i++)
		if (rec_row_time(r, i) - 30 * SIM_SEC >= p)
			row = (int)i; /* the first sample interval wholly in the canary */
	ck_assert_int_ge(row, 0);
	int g = rec_series_find(r, "service/web/revRequests/app:2");
	int b = rec_series_find(r, "service/web/revRequests/app:1");
	ck_assert_int_ge(g, 0);
	ck_assert_int_ge(b, 0);
	double gr = rec_get(r, g, (size_t)row), br = rec_get(r, b, (size_t)row);
	ck_assert_msg(fabs(gr / (gr + br) - 0.05) < 1e-6, "green share %g", gr / (gr + br));
	ck_assert(fabs(gr + br - 600.0) < 1e-6); /* 20 rps x 30 s */
	ck_assert(rec_get(r, rec_series_find(r, "service/web/trafficWeight/app:2"), (size_t)row) == 5.0);
	cli_result_free(&res);
}
END_TEST

START_TEST(test_linear_defaults)
{
	static char json[16384];
	cli_result res;
	/* [DOC] defaults: stepPercent 10.0, stepBakeTimeInMinutes 6 */
	bgopt o = {.dc = "\"strategy\": \"LINEAR\", \"bakeTimeInMinutes\": 1", .duration = "3h"};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	sim_time p = stage_start(r, "PRODUCTION_TRAFFIC_SHIFT");
	/* 10 shifts 10 %, 20 %, ... 100 %, 6 minutes apart: 9 bakes */
	ck_assert_int_eq((int)rec_fact_count(r, "traffic_shift"), 11);
	for (int k = 1; k <= 10; k++) {
		double pct;
		ck_assert_int_eq(shift_at(r, (size_t)k, &pct), p + (k - 1) * 6 * SIM_MIN);
		ck_assert_msg(fabs(pct - 10.0 * k) < 1e-9, "step %d: %g", k, pct);
	}
	ck_assert_int_eq(stage_start(r, "BAKE_TIME"), p + 54 * SIM_MIN);
	ck_assert_int_eq(stage_start(r, "CLEAN_UP"), p + 55 * SIM_MIN);
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
}
END_TEST

/* ---- the expectation trafficShiftedBy ---- */

START_TEST(test_traffic_shifted_by)
{
	static char json[16384];
	cli_result res;
	bgopt o = {.dc = "\"strategy\": \"CANARY\", \"bakeTimeInMinutes\": 3",
	    .expect =
	    "{\"name\": \"canary by 15m\", \"trafficShiftedBy\": {\"service\": \"web\", \"percent\": 5, \"by\": \"15m\"}},"
	    " {\"name\": \"all by 20m\", \"trafficShiftedBy\": {\"service\": \"web\", \"percent\": 100, \"by\": \"20m\", \"deployment\": 2}},"
	    " {\"name\": \"all by 30m\", \"trafficShiftedBy\": {\"service\": \"web\", \"percent\": 100, \"by\": \"30m\"}},"
	    " {\"name\": \"clean-up by 40m\", \"trafficShiftedBy\": {\"service\": \"web\", \"stage\": \"CLEAN_UP\", \"by\": \"40m\"}},"
	    " {\"name\": \"the first deployment shifts nothing\", \"trafficShiftedBy\": {\"service\": \"web\", \"stage\": \"BAKE_TIME\", \"by\": \"2h\", \"deployment\": 1}}"};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	sim_time p = stage_start(res.rec, "PRODUCTION_TRAFFIC_SHIFT");
	ck_assert(p < 15 * SIM_MIN && p + 10 * SIM_MIN > 20 * SIM_MIN && p + 10 * SIM_MIN < 30 * SIM_MIN);
	const expect_result *v = res.verdicts;
	ck_assert_int_eq((int)expect_result_count(v), 5);
	ck_assert(expect_result_at(v, 0)->pass);
	ck_assert(!expect_result_at(v, 1)->pass);   /* 100 % comes 10 min after the canary */
	ck_assert(expect_result_at(v, 2)->pass);
	ck_assert(expect_result_at(v, 3)->pass);
	ck_assert(!expect_result_at(v, 4)->pass);
	char want[128], b[64];
	snprintf(want, sizeof(want), "100%% at %s", simtime_clock(p + 10 * SIM_MIN, b, sizeof(b)));
	ck_assert_str_eq(expect_result_at(v, 1)->measured, want);
	/* the creation had no lifecycle stages: no data, a failed verdict */
	ck_assert(expect_result_at(v, 4)->no_data);
	ck_assert_str_eq(expect_result_at(v, 4)->measured, "no data: no lifecycle stage of service web was recorded");
	cli_result_free(&res);
}
END_TEST

/* ---- hooks ---- */

#define CONTINUE_AT(t, action) \
	", {\"at\": \"" t "\", \"call\": \"ecs:ContinueServiceDeployment\", \"input\": {\"serviceDeploymentArn\":" \
	" \"arn:aws:ecs:us-east-1:123456789012:service-deployment/default/web/abc\", \"action\": \"" action "\"}}"

START_TEST(test_pause_hook_holds)
{
	static char json[16384];
	cli_result res;
	bgopt o = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 2, \"lifecycleHooks\": ["
	    "{\"targetType\": \"PAUSE\", \"lifecycleStages\": [\"POST_TEST_TRAFFIC_SHIFT\"]}]",
	    .timeline = CONTINUE_AT("40m", "CONTINUE")};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	/* held from the stage's start until the call at 40 min */
	ck_assert(stage_start(r, "POST_TEST_TRAFFIC_SHIFT") < 15 * SIM_MIN);
	ck_assert_int_eq(stage_start(r, "PRODUCTION_TRAFFIC_SHIFT"), 40 * SIM_MIN);
	const rec_fact *h = su_fact(r, "lifecycle_hook", 0);
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(rec_fact_get_str(h, "targetType"), "PAUSE");
	ck_assert_str_eq(rec_fact_get_str(h, "status"), "SUCCEEDED");
	ck_assert_str_eq(rec_fact_get_str(h, "action"), "CONTINUE");
	ck_assert_int_eq(rec_fact_get(h, "end")->i, 40 * SIM_MIN);
	/* [DOC] AWAITING_ACTION while paused */
	ck_assert_int_eq(su_count_events(r, "PAUSE (hook "), 2);
	ck_assert_int_eq(su_count_events(r, "): AWAITING_ACTION"), 1);
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
}
END_TEST

START_TEST(test_pause_hook_rollback_and_timeout)
{
	static char json[16384];
	cli_result res;
	/* ROLLBACK by the call */
	bgopt o = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 2, \"lifecycleHooks\": ["
	    "{\"targetType\": \"PAUSE\", \"lifecycleStages\": [\"POST_SCALE_UP\"]}]",
	    .timeline = CONTINUE_AT("30m", "ROLLBACK")};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "FAILED");
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "serviceDeploymentStatus"), "ROLLBACK_SUCCESSFUL");
	ck_assert_int_eq(su_first_event(res.rec, "deployment failed:"), 30 * SIM_MIN);
	ck_assert_int_eq(stage_start(res.rec, "PRODUCTION_TRAFFIC_SHIFT"), -1);
	/* the rollback is a deployment of app:1 that completes */
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 2), "taskDefinition"), "app:1");
	ck_assert(rec_fact_get_int(dep(res.rec, 2), "rollback", 0));
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 2), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
	/* a timeout with action CONTINUE proceeds at the timeout */
	bgopt t = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 2, \"lifecycleHooks\": ["
	    "{\"targetType\": \"PAUSE\", \"lifecycleStages\": [\"PRE_SCALE_UP\"],"
	    " \"timeoutConfiguration\": {\"timeoutInMinutes\": 7, \"action\": \"CONTINUE\"}}]"};
	scenario(json, sizeof(json), &t);
	su_run_ok(json, &res);
	ck_assert_int_eq(stage_start(res.rec, "SCALE_UP"), 17 * SIM_MIN);
	ck_assert_str_eq(rec_fact_get_str(su_fact(res.rec, "lifecycle_hook", 0), "status"), "TIMED_OUT");
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
}
END_TEST

#define HOOKED(stage) \
	"\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 2, \"lifecycleHooks\": [{\"hookTargetArn\":" \
	" \"arn:aws:lambda:us-east-1:123456789012:function:smoke\", \"lifecycleStages\": [\"" stage "\"]}]"

START_TEST(test_lambda_hook_outcomes)
{
	static char json[16384];
	cli_result res;
	/* IN_PROGRESS twice: invoked again after the 30 s callback delay */
	bgopt o = {.dc = HOOKED("PRE_SCALE_UP"),
	    .extra = "\"lambdaFunctions\": {\"smoke\": {\"duration\": \"20s\", \"inProgress\": 2}},"};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	const rec_fact *h = su_fact(res.rec, "lifecycle_hook", 0);
	ck_assert_str_eq(rec_fact_get_str(h, "status"), "SUCCEEDED");
	ck_assert_int_eq(rec_fact_get_int(h, "invocations", 0), 3);
	/* 3 x 20 s + 2 x 30 s */
	ck_assert_int_eq(stage_start(res.rec, "SCALE_UP"), 10 * SIM_MIN + 120 * SIM_SEC);
	cli_result_free(&res);
	/* FAILED rolls back before any green task starts */
	bgopt f = {.dc = HOOKED("PRE_SCALE_UP"),
	    .extra = "\"lambdaFunctions\": {\"arn:aws:lambda:us-east-1:123456789012:function:smoke\": {\"hookStatus\": \"FAILED\"}},"};
	scenario(json, sizeof(json), &f);
	su_run_ok(json, &res);
	ck_assert_str_eq(rec_fact_get_str(su_fact(res.rec, "lifecycle_hook", 0), "status"), "FAILED");
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "FAILED");
	ck_assert_int_eq(started_after(res.rec, 10 * SIM_MIN), 0);
	cli_result_free(&res);
	/* a function error rolls back too */
	bgopt e = {.dc = HOOKED("POST_SCALE_UP"),
	    .extra = "\"lambdaFunctions\": {\"smoke\": {\"hookStatus\": \"ERROR\"}},"};
	scenario(json, sizeof(json), &e);
	su_run_ok(json, &res);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "FAILED");
	ck_assert_int_eq(stage_start(res.rec, "TEST_TRAFFIC_SHIFT"), -1);
	cli_result_free(&res);
	/* IN_PROGRESS forever: TIMED_OUT after timeoutInMinutes, then the
	 * default action ROLLBACK */
	bgopt t = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 2, \"lifecycleHooks\": [{\"hookTargetArn\":"
	    " \"smoke\", \"lifecycleStages\": [\"PRE_SCALE_UP\"], \"timeoutConfiguration\": {\"timeoutInMinutes\": 5}}]",
	    .extra = "\"lambdaFunctions\": {\"smoke\": {\"hookStatus\": \"IN_PROGRESS\"}},"};
	scenario(json, sizeof(json), &t);
	su_run_ok(json, &res);
	h = su_fact(res.rec, "lifecycle_hook", 0);
	ck_assert_str_eq(rec_fact_get_str(h, "status"), "TIMED_OUT");
	ck_assert_int_eq(rec_fact_get(h, "end")->i, 15 * SIM_MIN);
	ck_assert_int_eq(rec_fact_get_int(h, "invocations", 0), 10); /* every 30 s */
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "FAILED");
	cli_result_free(&res);
}
END_TEST

/* ---- alarms ---- */

#define ALARM_AT(threshold) \
	"\"scaling\": {\"alarms\": [{\"AlarmName\": \"web-cpu\", \"MetricName\": \"CPUUtilization\", \"Namespace\": \"AWS/ECS\"," \
	" \"Statistic\": \"Average\", \"Dimensions\": [{\"Name\": \"ClusterName\", \"Value\": \"default\"}," \
	" {\"Name\": \"ServiceName\", \"Value\": \"web\"}], \"Period\": 60, \"EvaluationPeriods\": 3, \"Threshold\": " threshold "," \
	" \"ComparisonOperator\": \"GreaterThanThreshold\"}]},"
#define ALARM_DEF ALARM_AT("90")
#define ALARMS "\"alarms\": {\"alarmNames\": [\"web-cpu\"], \"enable\": true, \"rollback\": true}"
#define SET_ALARM(t) \
	", {\"at\": \"" t "\", \"call\": \"cloudwatch:SetAlarmState\", \"input\": {\"AlarmName\": \"web-cpu\"," \
	" \"StateValue\": \"ALARM\", \"StateReason\": \"test\"}}"

START_TEST(test_alarm_during_bake_rolls_back_traffic)
{
	static char json[16384];
	cli_result res;
	bgopt o = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 30, " ALARMS,
	    .extra = ALARM_DEF, .timeline = SET_ALARM("20m30s")};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	sim_time bake = stage_start(r, "BAKE_TIME");
	ck_assert(bake > 0 && bake < 20 * SIM_MIN);
	/* the alarm in ALARM during the bake fails the deployment... */
	ck_assert_int_eq(su_first_event(r, "deployment failed: alarm detected."), 20 * SIM_MIN + 30 * SIM_SEC);
	const rec_fact *d = dep(r, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "FAILED");
	ck_assert_str_eq(rec_fact_get_str(d, "alarmTriggered"), "web-cpu");
	/* ...and production traffic returns to blue at once (the shift's
	 * fact names blue, PRIMARY again) */
	size_t n = rec_fact_count(r, "traffic_shift");
	double pct;
	ck_assert_int_eq(shift_at(r, n - 1, &pct), 20 * SIM_MIN + 30 * SIM_SEC);
	ck_assert(pct == 100.0);
	ck_assert_str_eq(rec_fact_get_str(rec_fact_at(r, "traffic_shift", n - 1), "taskDefinition"), "app:1");
	ck_assert(rec_get(r, rec_series_find(r, "service/web/trafficWeight/app:1"),
	    rec_row_count(r) - 1) == 100.0);
	/* without relaunching blue: no task starts after the alarm, green's
	 * two stop */
	ck_assert_int_eq(started_after(r, 20 * SIM_MIN), 0);
	double g2 = su_series_max(r, "service/web/rev/app:2", 30 * SIM_MIN);
	ck_assert_msg(isnan(g2) || g2 == 0, "app:2 tasks %g", g2); /* (gone: no series) */
	ck_assert_int_eq((int)su_series_min(r, "service/web/rev/app:1", 10 * SIM_MIN), 2);
	/* blue is PRIMARY and COMPLETED again */
	ck_assert_str_eq(rec_fact_get_str(dep(r, 2), "taskDefinition"), "app:1");
	ck_assert_str_eq(rec_fact_get_str(dep(r, 2), "rolloutState"), "COMPLETED");
	ck_assert_int_eq(su_count_events(r, "(service web) rolling back to deployment"), 1);
	cli_result_free(&res);
}
END_TEST

/* [DOC] "When a roll back happens, Amazon ECS runs the lifecycle hooks for
 * the following lifecycle stages: PRODUCTION_TRAFFIC_SHIFT,
 * TEST_TRAFFIC_SHIFT" (deployment-lifecycle-hooks.html): production goes
 * back to blue at once, then its hooks run (20 s), then test traffic goes
 * back and its hooks run (20 s); green's tasks stop after them. A hook
 * failing during the rollback does not stop the rollback [INF]. */
START_TEST(test_rollback_runs_traffic_shift_hooks)
{
	static char json[16384];
	cli_result res;
	bgopt o = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 30, " ALARMS ", \"lifecycleHooks\": ["
	    "{\"hookTargetArn\": \"prodcheck\", \"lifecycleStages\": [\"PRODUCTION_TRAFFIC_SHIFT\"]},"
	    "{\"hookTargetArn\": \"testcheck\", \"lifecycleStages\": [\"TEST_TRAFFIC_SHIFT\"]}]",
	    .adv = "{\"alternateTargetGroupArn\": \"web-green\", \"productionListenerRule\": \"arn:aws:elasticloadbalancing:"
	    "us-east-1:123456789012:listener-rule/app/alb/1/2/3\", \"testListenerRule\": \"arn:aws:elasticloadbalancing:"
	    "us-east-1:123456789012:listener-rule/app/alb/1/4/5\"}",
	    .extra = ALARM_DEF "\"lambdaFunctions\": {\"prodcheck\": {\"duration\": \"20s\"},"
	    " \"testcheck\": {\"duration\": \"20s\"}},",
	    .timeline = SET_ALARM("20m30s")};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	const sim_time t0 = 20 * SIM_MIN + 30 * SIM_SEC;
	ck_assert_int_eq((int)rec_fact_count(r, "lifecycle_hook"), 4);
	/* the forward run: TEST_TRAFFIC_SHIFT, then PRODUCTION_TRAFFIC_SHIFT */
	ck_assert_str_eq(rec_fact_get_str(su_fact(r, "lifecycle_hook", 0), "stage"), "TEST_TRAFFIC_SHIFT");
	ck_assert_str_eq(rec_fact_get_str(su_fact(r, "lifecycle_hook", 1), "stage"), "PRODUCTION_TRAFFIC_SHIFT");
	ck_assert(rec_fact_get(su_fact(r, "lifecycle_hook", 1), "duringRollback") == NULL);
	/* the rollback: PRODUCTION_TRAFFIC_SHIFT's at once, TEST's 20 s later */
	const rec_fact *p = su_fact(r, "lifecycle_hook", 2), *t = su_fact(r, "lifecycle_hook", 3);
	ck_assert_str_eq(rec_fact_get_str(p, "stage"), "PRODUCTION_TRAFFIC_SHIFT");
	ck_assert(rec_fact_get_num(p, "duringRollback", 0) != 0);
	ck_assert_int_eq(rec_fact_get(p, "start")->i, t0);
	ck_assert_str_eq(rec_fact_get_str(t, "stage"), "TEST_TRAFFIC_SHIFT");
	ck_assert_int_eq(rec_fact_get(t, "start")->i, t0 + 20 * SIM_SEC);
	ck_assert_str_eq(rec_fact_get_str(t, "status"), "SUCCEEDED");
	/* production was back on blue before the first of them */
	size_t n = rec_fact_count(r, "traffic_shift");
	double pct;
	ck_assert_int_eq(shift_at(r, n - 2, &pct), t0);
	ck_assert(pct == 100.0);
	ck_assert(rec_fact_get_num(rec_fact_at(r, "traffic_shift", n - 2), "testPercent", -1) == 0.0);
	ck_assert_int_eq(shift_at(r, n - 1, &pct), t0 + 20 * SIM_SEC);
	ck_assert(rec_fact_get_num(rec_fact_at(r, "traffic_shift", n - 1), "testPercent", -1) == 100.0);
	/* green's tasks stop once the hooks are done; nothing is relaunched */
	ck_assert_int_eq(su_first_event_after(r, "has stopped 2 running tasks", t0), t0 + 40 * SIM_SEC + SIM_SEC);
	ck_assert_int_eq(started_after(r, 20 * SIM_MIN), 0);
	ck_assert_str_eq(rec_fact_get_str(dep(r, 2), "rolloutState"), "COMPLETED");
	cli_result_free(&res);

	/* a hook that fails (the same function fails the forward run and
	 * its rollback run): the rollback goes on */
	o.extra = ALARM_DEF "\"lambdaFunctions\": {\"prodcheck\": {\"hookStatus\": \"ERROR\"}},";
	o.timeline = NULL;
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	r = res.rec;
	ck_assert_int_eq((int)rec_fact_count(r, "lifecycle_hook"), 4);
	ck_assert_str_eq(rec_fact_get_str(su_fact(r, "lifecycle_hook", 1), "status"), "FAILED");
	p = su_fact(r, "lifecycle_hook", 2);
	ck_assert(rec_fact_get_num(p, "duringRollback", 0) != 0);
	ck_assert_str_eq(rec_fact_get_str(p, "status"), "FAILED");
	ck_assert_str_eq(rec_fact_get_str(su_fact(r, "lifecycle_hook", 3), "status"), "SUCCEEDED");
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "rolloutState"), "FAILED");
	ck_assert_str_eq(rec_fact_get_str(dep(r, 2), "rolloutState"), "COMPLETED");
	ck_assert_int_eq(started_after(r, 11 * SIM_MIN), 0);
	cli_result_free(&res);
}
END_TEST

START_TEST(test_alarm_already_in_alarm_is_ignored)
{
	static char json[16384];
	cli_result res;
	/* [DOC] an alarm in ALARM when the deployment starts is ignored for
	 * it: CPU above 1 % keeps this one in ALARM from its third minute */
	bgopt o = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5, " ALARMS,
	    .extra = ALARM_AT("1")};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	ck_assert(su_first_event(res.rec, "Alarm web-cpu state OK -> ALARM") < 10 * SIM_MIN ||
	    su_first_event(res.rec, "Alarm web-cpu state INSUFFICIENT_DATA -> ALARM") < 10 * SIM_MIN);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "COMPLETED");
	ck_assert_int_eq(su_count_events(res.rec, "alarm detected"), 0);
	cli_result_free(&res);
	/* the same alarm entering ALARM during the deployment fails it */
	bgopt f = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5, " ALARMS,
	    .extra = ALARM_DEF, .timeline = SET_ALARM("12m30s")};
	scenario(json, sizeof(json), &f);
	su_run_ok(json, &res);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "FAILED");
	cli_result_free(&res);
}
END_TEST

START_TEST(test_rolling_alarms)
{
	static char json[16384];
	cli_result res;
	/* rolling with alarms: COMPLETED after steady state plus the bake
	 * (Period x EvaluationPeriods = 3 min [INF]) */
	bgopt o = {.dc = ALARMS, .extra = ALARM_DEF, .adv = ""};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	const rec_fact *d = dep(res.rec, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "COMPLETED");
	sim_time bs = rec_fact_get(d, "alarmBakeStart")->i;
	ck_assert_int_eq(rec_fact_get(d, "alarmBakeTime")->i, 3 * SIM_MIN);
	/* (the pass that completes it follows ecs.schedulerDelay, 1 s) */
	ck_assert_int_eq(rec_fact_get(d, "end")->i, bs + 3 * SIM_MIN + SIM_SEC);
	cli_result_free(&res);
	/* an alarm during the rolling update fails it and rolls back */
	bgopt f = {.dc = ALARMS, .extra = ALARM_DEF, .adv = "", .timeline = SET_ALARM("10m30s")};
	scenario(json, sizeof(json), &f);
	su_run_ok(json, &res);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "FAILED");
	ck_assert_int_eq(su_first_event(res.rec, "deployment failed: alarm detected."), 10 * SIM_MIN + 30 * SIM_SEC);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 2), "cause"), "alarm rollback");
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 2), "taskDefinition"), "app:1");
	cli_result_free(&res);
}
END_TEST

/* ---- capacity ---- */

START_TEST(test_blue_green_needs_double_capacity)
{
	static char json[16384];
	cli_result res;
	/* one t3.medium (2 vCPU) holds 8 tasks of 256: desired 5 fits, its
	 * green copy does not */
	bgopt o = {.dc = "\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 1", .desired = 5, .instances = 1};
	scenario(json, sizeof(json), &o);
	su_run_ok(json, &res);
	ck_assert_int_ge(su_count_events(res.rec, "was unable to place a task"), 1);
	ck_assert_int_eq(stage_start(res.rec, "SCALE_UP"), 10 * SIM_MIN);
	ck_assert_int_eq(stage_start(res.rec, "POST_SCALE_UP"), -1);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "IN_PROGRESS");
	ck_assert_int_eq((int)su_series_max(res.rec, "service/web/running", 10 * SIM_MIN), 8);
	cli_result_free(&res);
}
END_TEST

/* ---- CodeDeploy ---- */

#define CD_GROUP(config, wait) \
	"\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"app\", \"deploymentGroupName\": \"dg\"," \
	" \"deploymentConfigName\": \"" config "\", \"serviceRoleArn\": \"arn:aws:iam::123456789012:role/cd\"," \
	" \"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", \"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}," \
	" \"blueGreenDeploymentConfiguration\": {\"terminateBlueInstancesOnDeploymentSuccess\": {\"action\": \"TERMINATE\"," \
	" \"terminationWaitTimeInMinutes\": " wait "}}," \
	" \"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"web-blue\"}, {\"name\": \"web-green\"}]," \
	" \"prodTrafficRoute\": {\"listenerArns\": [\"l80\"]}, \"testTrafficRoute\": {\"listenerArns\": [\"l8080\"]}}]}," \
	" \"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]," \
	" \"autoRollbackConfiguration\": {\"enabled\": true, \"events\": [\"DEPLOYMENT_FAILURE\", \"DEPLOYMENT_STOP_ON_ALARM\"]}}]},"
#define CD_CREATE(t, hooks) \
	", {\"at\": \"" t "\", \"call\": \"codedeploy:CreateDeployment\", \"input\": {\"applicationName\": \"app\"," \
	" \"deploymentGroupName\": \"dg\", \"revision\": {\"revisionType\": \"AppSpecContent\", \"appSpecContent\": {\"content\":" \
	" \"{\\\"version\\\": 0.0, \\\"Resources\\\": [{\\\"TargetService\\\": {\\\"Type\\\": \\\"AWS::ECS::Service\\\"," \
	" \\\"Properties\\\": {\\\"TaskDefinition\\\": \\\"<TASK_DEFINITION>\\\", \\\"LoadBalancerInfo\\\": {\\\"ContainerName\\\":" \
	" \\\"app\\\", \\\"ContainerPort\\\": 8080}}}}]" hooks "}\"}}}}"

/* the CODE_DEPLOY service's scenario: the 10 min UpdateService becomes a
 * CodeDeploy deployment */
static void
cd_scenario(char *json, size_t size, const char *extra, const char *timeline)
{
	bgopt o = {.dc = "", .adv = "", .svc_extra = ", \"deploymentController\": {\"type\": \"CODE_DEPLOY\"}",
	    .extra = extra, .timeline = timeline};
	scenario(json, size, &o);
	char *u = strstr(json, "  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\"");
	ck_assert_ptr_nonnull(u);
	const char *end = strstr(u, "}}") + 2;
	/* drop the UpdateService (and its comma before it) */
	memmove(u - 1, end, strlen(end) + 1);
}

START_TEST(test_codedeploy_canary_end_to_end)
{
	static char json[16384];
	cli_result res;
	cd_scenario(json, sizeof(json), CD_GROUP("CodeDeployDefault.ECSCanary10Percent5Minutes", "15"),
	    CD_CREATE("10m", ""));
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	char order[1024];
	stage_order(r, order, sizeof(order));
	ck_assert_str_eq(order, "BeforeInstall,Install,AfterInstall,AllowTestTraffic,AfterAllowTestTraffic,"
	    "BeforeAllowTraffic,AllowTraffic,AfterAllowTraffic,TerminationWait,TerminateOriginalTaskSet");
	/* the replacement task set starts in the other target group */
	ck_assert_int_eq(stage_start(r, "Install"), 10 * SIM_MIN);
	ck_assert_int_ge(su_count_events(r, "targetgroup/web-green/"), 2);
	/* [DOC] ECSCanary10Percent5Minutes: 10 %, the remaining 90 % after 5 min */
	sim_time a = stage_start(r, "AllowTraffic");
	double pct;
	size_t n = rec_fact_count(r, "traffic_shift");
	size_t k;
	for (k = 0; k < n && strncmp(rec_fact_get_str(rec_fact_at(r, "traffic_shift", k), "reason"),
	    "AllowTraffic step", 17) != 0; k++)
		;
	ck_assert_int_eq(shift_at(r, k, &pct), a);
	ck_assert(pct == 10.0);
	ck_assert_int_eq(shift_at(r, k + 1, &pct), a + 5 * SIM_MIN);
	ck_assert(pct == 100.0);
	/* the original task set goes after terminationWaitTimeInMinutes */
	ck_assert_int_eq(stage_start(r, "TerminationWait"), a + 5 * SIM_MIN);
	ck_assert_int_eq(stage_start(r, "TerminateOriginalTaskSet"), a + 20 * SIM_MIN);
	const rec_fact *d = dep(r, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "controller"), "CODE_DEPLOY");
	ck_assert_str_eq(rec_fact_get_str(d, "codeDeployStatus"), "Succeeded");
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "COMPLETED");
	ck_assert_str_eq(rec_fact_get_str(d, "taskDefinition"), "app:2");
	ck_assert(rec_fact_get(d, "end")->i > a + 20 * SIM_MIN);
	double g1 = su_series_max(r, "service/web/rev/app:1", a + 21 * SIM_MIN);
	ck_assert_msg(isnan(g1) || g1 == 0, "app:1 tasks %g", g1); /* (gone: no series) */
	/* the task set events [DOC AWS CLI example] */
	ck_assert_int_ge(su_count_events(r, "updated state to STEADY_STATE."), 2);
	ck_assert_int_ge(su_count_events(r, "(service web) updated computedDesiredCount for taskSet ecs-svc/"), 3);
	cli_result_free(&res);
}
END_TEST

START_TEST(test_codedeploy_hook_failure_rolls_back)
{
	static char json[16384];
	cli_result res;
	cd_scenario(json, sizeof(json),
	    CD_GROUP("CodeDeployDefault.ECSAllAtOnce", "5") "\"lambdaFunctions\": {\"check\": {\"hookStatus\": \"FAILED\", \"duration\": \"30s\"}},",
	    CD_CREATE("10m", ", \\\"Hooks\\\": [{\\\"AfterAllowTraffic\\\": \\\"arn:aws:lambda:us-east-1:123456789012:function:check\\\"}]"));
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	sim_time a = stage_start(r, "AllowTraffic");
	const rec_fact *d = dep(r, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "codeDeployStatus"), "Failed");
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "FAILED");
	ck_assert(rec_fact_get_int(d, "rollback", 0));
	/* traffic back to the original when the hook reports, 30 s later */
	size_t n = rec_fact_count(r, "traffic_shift");
	double pct;
	ck_assert_int_eq(shift_at(r, n - 1, &pct), a + 30 * SIM_SEC);
	ck_assert(pct == 0.0);
	double g2 = su_series_max(r, "service/web/rev/app:2", a + 5 * SIM_MIN);
	ck_assert_msg(isnan(g2) || g2 == 0, "app:2 tasks %g", g2);
	ck_assert_int_eq((int)su_series_min(r, "service/web/rev/app:1", 5 * SIM_MIN), 2);
	cli_result_free(&res);
}
END_TEST

#define CD_GROUP_BG(config, bg) \
	"\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"app\", \"deploymentGroupName\": \"dg\"," \
	" \"deploymentConfigName\": \"" config "\", \"serviceRoleArn\": \"arn:aws:iam::123456789012:role/cd\"," \
	" \"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", \"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}," \
	" \"blueGreenDeploymentConfiguration\": " bg "," \
	" \"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"web-blue\"}, {\"name\": \"web-green\"}]," \
	" \"prodTrafficRoute\": {\"listenerArns\": [\"l80\"]}}]}," \
	" \"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]," \
	" \"autoRollbackConfiguration\": {\"enabled\": true, \"events\": [\"DEPLOYMENT_FAILURE\", \"DEPLOYMENT_STOP_ON_REQUEST\"]}}]},"
#define READY_STOP \
	"{\"terminateBlueInstancesOnDeploymentSuccess\": {\"action\": \"TERMINATE\", \"terminationWaitTimeInMinutes\": 0}," \
	" \"deploymentReadyOption\": {\"actionOnTimeout\": \"STOP_DEPLOYMENT\", \"waitTimeInMinutes\": 10}}"
#define CD_CONTINUE(t, type) \
	", {\"at\": \"" t "\", \"call\": \"codedeploy:ContinueDeployment\", \"input\": {\"applicationName\": \"app\"," \
	" \"deploymentGroupName\": \"dg\", \"deploymentWaitType\": \"" type "\"}}"

/* [DOC] deploymentReadyOption STOP_DEPLOYMENT: the deployment waits in
 * Ready for codedeploy:ContinueDeployment (READY_WAIT); not rerouted within
 * waitTimeInMinutes, it is Stopped (rolled back: DEPLOYMENT_STOP_ON_REQUEST
 * is among the auto-rollback events). KEEP_ALIVE keeps the original task
 * set. [DOC] a scaling event during the traffic shift: 5 minutes to reach
 * a steady state, else the deployment fails. */
START_TEST(test_codedeploy_ready_wait_keep_alive_and_scaling)
{
	static char json[16384];
	cli_result res;
	const recorder *r;
	cd_scenario(json, sizeof(json), CD_GROUP_BG("CodeDeployDefault.ECSAllAtOnce", READY_STOP),
	    CD_CREATE("10m", "") CD_CONTINUE("16m", "READY_WAIT"));
	su_run_ok(json, &res);
	r = res.rec;
	ck_assert(stage_start(r, "Ready") > 10 * SIM_MIN && stage_start(r, "Ready") < 16 * SIM_MIN);
	ck_assert_int_eq(stage_start(r, "BeforeAllowTraffic"), 16 * SIM_MIN);
	ck_assert_int_eq(stage_start(r, "AllowTraffic"), 16 * SIM_MIN);
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "codeDeployStatus"), "Succeeded");
	cli_result_free(&res);
	/* no ContinueDeployment: Stopped after the 10 minutes, traffic never
	 * moved, the replacement task set is deleted */
	cd_scenario(json, sizeof(json), CD_GROUP_BG("CodeDeployDefault.ECSAllAtOnce", READY_STOP), CD_CREATE("10m", ""));
	su_run_ok(json, &res);
	r = res.rec;
	sim_time ready = stage_start(r, "Ready");
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "codeDeployStatus"), "Stopped");
	ck_assert_int_eq(rec_fact_get(dep(r, 1), "end")->i, ready + 10 * SIM_MIN);
	ck_assert_int_eq(stage_start(r, "AllowTraffic"), -1);
	double g2 = su_series_max(r, "service/web/rev/app:2", ready + 11 * SIM_MIN);
	ck_assert_msg(isnan(g2) || g2 == 0, "app:2 tasks %g", g2);
	cli_result_free(&res);
	/* KEEP_ALIVE: Succeeded after AfterAllowTraffic, the original task set
	 * keeps its tasks */
	cd_scenario(json, sizeof(json), CD_GROUP_BG("CodeDeployDefault.ECSAllAtOnce",
	    "{\"terminateBlueInstancesOnDeploymentSuccess\": {\"action\": \"KEEP_ALIVE\"}}"), CD_CREATE("10m", ""));
	su_run_ok(json, &res);
	r = res.rec;
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "codeDeployStatus"), "Succeeded");
	ck_assert_int_eq(stage_start(r, "TerminationWait"), -1);
	ck_assert_int_eq((int)su_series_min(r, "service/web/rev/app:1", 20 * SIM_MIN), 2);
	cli_result_free(&res);
	/* a scale-out to 40 during a 10 %-every-3-minutes shift: two
	 * t3.medium cannot hold it, the task sets do not stabilize, the
	 * deployment fails 5 minutes after the scaling event and rolls back */
	cd_scenario(json, sizeof(json), CD_GROUP_BG("CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
	    "{\"terminateBlueInstancesOnDeploymentSuccess\": {\"action\": \"TERMINATE\", \"terminationWaitTimeInMinutes\": 5}}"),
	    CD_CREATE("10m", "") ", {\"at\": \"15m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"desiredCount\": 40}}");
	su_run_ok(json, &res);
	r = res.rec;
	ck_assert(stage_start(r, "AllowTraffic") < 15 * SIM_MIN);
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "codeDeployStatus"), "Failed");
	ck_assert_int_eq(rec_fact_get(dep(r, 1), "end")->i, 20 * SIM_MIN);
	ck_assert_ptr_nonnull(strstr(rec_fact_get_str(dep(r, 1), "failure"), "within 5 minutes"));
	cli_result_free(&res);
	/* the same scale-out to 4 fits: the shift goes on */
	cd_scenario(json, sizeof(json), CD_GROUP_BG("CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
	    "{\"terminateBlueInstancesOnDeploymentSuccess\": {\"action\": \"TERMINATE\", \"terminationWaitTimeInMinutes\": 5}}"),
	    CD_CREATE("10m", "") ", {\"at\": \"15m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"desiredCount\": 4}}");
	su_run_ok(json, &res);
	r = res.rec;
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "codeDeployStatus"), "Succeeded");
	ck_assert_int_eq((int)su_series_max(r, "service/web/rev/app:2", 45 * SIM_MIN), 4);
	cli_result_free(&res);
}
END_TEST

/* ---- EXTERNAL ---- */

START_TEST(test_external_task_sets)
{
	static char json[16384];
	cli_result res;
	bgopt o = {.dc = "", .adv = "", .svc_extra = ", \"deploymentController\": {\"type\": \"EXTERNAL\"}",
	    .pre = "{\"at\": \"0s\", \"call\": \"ecs:CreateTaskSet\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app:1\","
	    " \"externalId\": \"blue\", \"scale\": {\"value\": 100, \"unit\": \"PERCENT\"}}},",
	    .timeline = ", {\"at\": \"11m\", \"call\": \"ecs:CreateTaskSet\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app:2\","
	    " \"externalId\": \"green\", \"scale\": {\"value\": 0, \"unit\": \"PERCENT\"},"
	    " \"loadBalancers\": [{\"targetGroupArn\": \"web-green\", \"containerName\": \"app\", \"containerPort\": 8080}]}}"
	    ", {\"at\": \"12m\", \"call\": \"ecs:UpdateTaskSet\", \"input\": {\"service\": \"web\", \"taskSet\": \"green\","
	    " \"scale\": {\"value\": 50, \"unit\": \"PERCENT\"}}}"
	    ", {\"at\": \"16m\", \"call\": \"ecs:UpdateTaskSet\", \"input\": {\"service\": \"web\", \"taskSet\": \"green\","
	    " \"scale\": {\"value\": 100, \"unit\": \"PERCENT\"}}}"
	    ", {\"at\": \"20m\", \"call\": \"ecs:UpdateServicePrimaryTaskSet\", \"input\": {\"service\": \"web\","
	    " \"primaryTaskSet\": \"green\"}}"
	    ", {\"at\": \"21m\", \"call\": \"ecs:DeleteTaskSet\", \"input\": {\"service\": \"web\", \"taskSet\": \"blue\"}}"};
	scenario(json, sizeof(json), &o);
	/* an EXTERNAL service takes no UpdateService taskDefinition: drop it */
	char *u = strstr(json, ",  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\"");
	ck_assert_ptr_nonnull(u);
	const char *end = strstr(u, "}}") + 2;
	memmove(u, end, strlen(end) + 1);
	/* nor a taskDefinition in CreateService */
	u = strstr(json, "\"taskDefinition\": \"app\", ");
	memmove(u, u + strlen("\"taskDefinition\": \"app\", "), strlen(u + strlen("\"taskDefinition\": \"app\", ")) + 1);
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	/* computedDesiredCount = ceil(2 x scale / 100): 0, 1, 2 */
	ck_assert_int_eq(su_count_events(r, "updated computedDesiredCount for taskSet"), 4);
	ck_assert(series_at(r, "service/web/rev/app:2", 11 * SIM_MIN + 30 * SIM_SEC) == 0);
	ck_assert(series_at(r, "service/web/rev/app:2", 15 * SIM_MIN) == 1);
	ck_assert(series_at(r, "service/web/rev/app:2", 19 * SIM_MIN) == 2);
	ck_assert(series_at(r, "service/web/rev/app:1", 19 * SIM_MIN) == 2);
	ck_assert(series_at(r, "service/web/running", 40 * SIM_MIN) == 2);
	/* pooled target groups: at 50 % green serves 1 task's share of 3 */
	int g = rec_series_find(r, "service/web/revRequests/app:2");
	ck_assert_int_ge(g, 0);
	for (size_t i = 0; i < rec_row_count(r); i++)
		if (rec_row_time(r, i) == 15 * SIM_MIN)
			ck_assert_msg(fabs(rec_get(r, g, i) - 200.0) < 1e-6, "green requests %g", rec_get(r, g, i));
	/* the green task set's deployment completes once it is the only one */
	const rec_fact *d = dep(r, 1);
	ck_assert_str_eq(rec_fact_get_str(d, "externalId"), "green");
	ck_assert_str_eq(rec_fact_get_str(d, "taskSetStatus"), "PRIMARY");
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "COMPLETED");
	ck_assert_str_eq(rec_fact_get_str(dep(r, 0), "taskSetStatus"), "DRAINING");
	ck_assert_int_ge(su_count_events(r, "(service web, taskSet ecs-svc/"), 3);
	ck_assert_int_ge(su_count_events(r, "updated state to STEADY_STATE."), 3);
	cli_result_free(&res);
}
END_TEST

/* ---- rolling scale-out ---- */

START_TEST(test_rolling_scale_out_both_revisions)
{
	static char json[16384];
	cli_result res;
	/* slow new revision (its pull takes 5 minutes); the desired count
	 * doubles a minute into the rolling update */
	bgopt o = {.dc = "", .adv = "", .desired = 2,
	    .extra = "\"parameters\": {},",
	    .timeline = ", {\"at\": \"11m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"desiredCount\": 4}}"};
	scenario(json, sizeof(json), &o);
	char *b = strstr(json, "\"behaviour\": {\"default\": {\"pullTime\": \"10s\"");
	ck_assert_ptr_nonnull(b);
	char slow[16384];
	snprintf(slow, sizeof(slow), "%.*s\"behaviour\": {\"app:2\": {\"pullTime\": \"5m\"}, \"default\": {\"pullTime\": \"10s\"%s",
	    (int)(b - json), json, b + strlen("\"behaviour\": {\"default\": {\"pullTime\": \"10s\""));
	su_run_ok(slow, &res);
	/* [DOC Nov 2025] the older revision scales out too: 2 more app:1 */
	ck_assert_int_eq((int)su_series_max(res.rec, "service/web/rev/app:1", 11 * SIM_MIN), 4);
	ck_assert_int_eq(rec_fact_get_int(dep(res.rec, 1), "scaleOutOlderRevision", 0), 2);
	ck_assert_str_eq(rec_fact_get_str(dep(res.rec, 1), "rolloutState"), "COMPLETED");
	cli_result_free(&res);
	/* with the rule off, only the new revision scales out */
	char *p = strstr(slow, "\"parameters\": {}");
	char off[16384];
	snprintf(off, sizeof(off), "%.*s\"parameters\": {\"ecs.scaleOutBothRevisions\": false}%s", (int)(p - slow), slow,
	    p + strlen("\"parameters\": {}"));
	su_run_ok(off, &res);
	ck_assert_int_eq((int)su_series_max(res.rec, "service/web/rev/app:1", 11 * SIM_MIN), 2);
	ck_assert_int_eq(rec_fact_get_int(dep(res.rec, 1), "scaleOutOlderRevision", 0), 0);
	cli_result_free(&res);
}
END_TEST

/* ---- inputs AWS refuses (or ecsim cannot follow), each with its
 * position, path and message ---- */

#define IN_BASE2 \
	"{\"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],\n" \
	" \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256, \"portMappings\": [{\"containerPort\": 8080}]}]}],\n"
#define IN_BASE IN_BASE2 " \"targetGroups\": [{\"Name\": \"blue\"}, {\"Name\": \"green\"}],\n"

static const struct {
	const char *json;
	int line, col;
	const char *path, *msg;
} bad_inputs[] = {
	/* bg_no_bake */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\"}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 109, "services[0].deploymentConfiguration",
	    "strategy BLUE_GREEN requires bakeTimeInMinutes (0-1440)"},
	/* canary_tenths */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"CANARY\", "
	    "\"canaryConfiguration\": {\"canaryPercent\": 5.05}}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 173, "services[0].deploymentConfiguration.canaryConfiguration.canaryPercent",
	    "canaryPercent must be a multiple of 0.1 (from 0.1 to 100.0), got 5.05"},
	/* linear_min */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"LINEAR\", "
	    "\"linearConfiguration\": {\"stepPercent\": 2.5}}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 171, "services[0].deploymentConfiguration.linearConfiguration.stepPercent",
	    "expected a number in [3, 100], got 2.5"},
	/* linear_on_canary */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"CANARY\", "
	    "\"linearConfiguration\": {\"stepPercent\": 20}}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 155, "services[0].deploymentConfiguration.linearConfiguration",
	    "linearConfiguration is only valid with strategy LINEAR (the strategy is CANARY)"},
	/* canary_typo */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"CANARY\", "
	    "\"canaryConfiguration\": {\"canaryPercent\": 5.0, \"canaryBakeTime\": 10}, "
	    "\"bakeTimeInMinutes\": 10}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 196, "services[0].deploymentConfiguration.canaryConfiguration.canaryBakeTime",
	    "unknown key 'canaryBakeTime'; did you mean 'canaryBakeTimeInMinutes'? (the API's name; the developer guide's canary example writes canaryBakeTime, which create-service refuses)"},
	/* hook_no_arn */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5, "
	    "\"lifecycleHooks\": [{\"lifecycleStages\": [\"PRE_SCALE_UP\"]}]}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 179, "services[0].deploymentConfiguration.lifecycleHooks[0]",
	    "missing required key 'hookTargetArn' (the Lambda function of an AWS_LAMBDA hook)"},
	/* pause_arn */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5, "
	    "\"lifecycleHooks\": [{\"targetType\": \"PAUSE\", \"hookTargetArn\": \"x\", "
	    "\"lifecycleStages\": [\"PRE_SCALE_UP\"]}]}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 220, "services[0].deploymentConfiguration.lifecycleHooks[0].hookTargetArn",
	    "a PAUSE hook has no hookTargetArn (it waits for ecs:ContinueServiceDeployment)"},
	/* hook_stage */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5, "
	    "\"lifecycleHooks\": [{\"targetType\": \"PAUSE\", \"lifecycleStages\": [\"SCALE_UP\"]}]}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 223, "services[0].deploymentConfiguration.lifecycleHooks[0].lifecycleStages[0]",
	    "expected one of \"RECONCILE_SERVICE\", \"PRE_SCALE_UP\", \"POST_SCALE_UP\", \"TEST_TRAFFIC_SHIFT\", \"POST_TEST_TRAFFIC_SHIFT\", \"PRE_PRODUCTION_TRAFFIC_SHIFT\", \"PRODUCTION_TRAFFIC_SHIFT\", \"POST_PRODUCTION_TRAFFIC_SHIFT\", got \"SCALE_UP\""},
	/* hook_timeout */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5, "
	    "\"lifecycleHooks\": [{\"targetType\": \"PAUSE\", \"lifecycleStages\": [\"PRE_SCALE_UP\"], "
	    "\"timeoutConfiguration\": {\"timeoutInMinutes\": 20161}}]}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 285, "services[0].deploymentConfiguration.lifecycleHooks[0].timeoutConfiguration.timeoutInMinutes",
	    "expected an integer in [1, 20160], got 20161"},
	/* alarms_req */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"alarms\": {\"alarmNames\": [\"a\"], \"enable\": true}}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 120, "services[0].deploymentConfiguration.alarms",
	    "missing required key 'rollback'"},
	/* alarm_undefined */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"alarms\": {\"alarmNames\": [\"web-5xx\"], \"enable\": true, "
	    "\"rollback\": true}}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 120, "services[0].deploymentConfiguration.alarms",
	    "deployment alarm \"web-5xx\" is not defined (scaling.alarms or a cloudwatch:PutMetricAlarm call)"},
	/* bg_no_adv */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080}]}]}",
	    4, 109, "services[0].deploymentConfiguration",
	    "strategy BLUE_GREEN behind a load balancer needs loadBalancers[0].advancedConfiguration (alternateTargetGroupArn, productionListenerRule)"},
	/* adv_same */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 306, "services[0].loadBalancers[0].advancedConfiguration.alternateTargetGroupArn",
	    "the alternate target group must differ from targetGroupArn (\"blue\")"},
	/* adv_missing_tg */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"greeen\", "
	    "\"productionListenerRule\": \"rule\"}}]}]}",
	    4, 306, "services[0].loadBalancers[0].advancedConfiguration.alternateTargetGroupArn",
	    "target group \"greeen\" is not defined in targetGroups"},
	/* cd_maxpct */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"maximumPercent\": 150}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080}], \"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}]}",
	    4, 128, "services[0].deploymentConfiguration.maximumPercent",
	    "a CODE_DEPLOY service on EC2 cannot set a custom minimumHealthyPercent or maximumPercent (AWS keeps 100/200)"},
	/* cd_strategy */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"CANARY\"}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080}], \"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}]}",
	    4, 109, "services[0].deploymentConfiguration",
	    "deployment strategy CANARY needs the ECS deployment controller, not CODE_DEPLOY"},
	/* cd_update_td */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}], "
	    "\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}], \"timeline\": [{\"at\": \"5m\", "
	    "\"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app\"}}]}",
	    4, 359, "timeline[0].input.taskDefinition",
	    "service \"web\" uses the CODE_DEPLOY deployment controller: taskDefinition changes through codedeploy:CreateDeployment"},
	/* ctrl_change */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}]}], \"timeline\": [{\"at\": \"5m\", "
	    "\"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", "
	    "\"deploymentController\": {\"type\": \"EXTERNAL\"}}}]}",
	    4, 316, "timeline[0].input.deploymentController",
	    "service \"web\" uses the ECS deployment controller; changing it to EXTERNAL is not simulated"},
	/* continue_nopause */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5}, "
	    "\"loadBalancers\": [{\"targetGroupArn\": \"blue\", \"containerName\": \"app\", "
	    "\"containerPort\": 8080, "
	    "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"green\", "
	    "\"productionListenerRule\": \"rule\"}}]}], \"timeline\": [{\"at\": \"5m\", "
	    "\"call\": \"ecs:ContinueServiceDeployment\", "
	    "\"input\": {\"serviceDeploymentArn\": \"arn:aws:ecs:us-east-1:123456789012:service-deployment/default/web/x\"}}]}",
	    4, 430, "timeline[0].input",
	    "service \"web\" has no PAUSE lifecycle hook to continue"},
	/* ts_not_external */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}]}], \"timeline\": [{\"at\": \"5m\", "
	    "\"call\": \"ecs:CreateTaskSet\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app\"}}]}",
	    4, 285, "timeline[0].input.service",
	    "service \"web\" uses the ECS deployment controller; task sets are for EXTERNAL services"},
	/* ts_unknown */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"deploymentController\": {\"type\": \"EXTERNAL\"}}], "
	    "\"timeline\": [{\"at\": \"5m\", \"call\": \"ecs:UpdateTaskSet\", \"input\": {\"service\": \"web\", "
	    "\"taskSet\": \"canary\", \"scale\": {\"value\": 10}}}]}",
	    4, 230, "timeline[0].input.taskSet",
	    "no task set \"canary\" of service \"web\" at this point of the scenario (name one by its ID, its ARN, or the externalId of an earlier ecs:CreateTaskSet)"},
	/* cd_config */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}], "
	    "\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}], "
	    "\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"a\", "
	    "\"deploymentGroupName\": \"g\", "
	    "\"deploymentConfigName\": \"CodeDeployDefault.ECSCanary10Percent10Minutes\", "
	    "\"serviceRoleArn\": \"r\", \"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", "
	    "\"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}, "
	    "\"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"blue\"}, "
	    "{\"name\": \"green\"}], \"prodTrafficRoute\": {\"listenerArns\": [\"l\"]}}]}, "
	    "\"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]}]}}",
	    4, 371, "codeDeploy.deploymentGroups[0].deploymentConfigName",
	    "\"CodeDeployDefault.ECSCanary10Percent10Minutes\" is not an ECS deployment configuration (ECSAllAtOnce, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes)"},
	/* cd_pair */
	{IN_BASE2 " \"targetGroups\": [{\"Name\": \"blue\"}, {\"Name\": \"green\"}, {\"Name\": \"other\"}],\n"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}], "
	    "\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}], "
	    "\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"a\", "
	    "\"deploymentGroupName\": \"g\", "
	    "\"deploymentConfigName\": \"CodeDeployDefault.ECSAllAtOnce\", \"serviceRoleArn\": \"r\", "
	    "\"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", "
	    "\"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}, "
	    "\"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"other\"}, "
	    "{\"name\": \"green\"}], \"prodTrafficRoute\": {\"listenerArns\": [\"l\"]}}]}, "
	    "\"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]}]}}",
	    4, 695, "codeDeploy.deploymentGroups[0].ecsServices[0]",
	    "service \"web\" registers in target group \"blue\", which is not in the deployment group's pair (\"other\", \"green\")"},
	/* cd_yaml */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}], "
	    "\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}], "
	    "\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"a\", "
	    "\"deploymentGroupName\": \"g\", "
	    "\"deploymentConfigName\": \"CodeDeployDefault.ECSAllAtOnce\", \"serviceRoleArn\": \"r\", "
	    "\"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", "
	    "\"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}, "
	    "\"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"blue\"}, "
	    "{\"name\": \"green\"}], \"prodTrafficRoute\": {\"listenerArns\": [\"l\"]}}]}, "
	    "\"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]}]}, "
	    "\"timeline\": [{\"at\": \"5m\", \"call\": \"codedeploy:CreateDeployment\", "
	    "\"input\": {\"applicationName\": \"a\", \"deploymentGroupName\": \"g\", "
	    "\"revision\": {\"revisionType\": \"AppSpecContent\", "
	    "\"appSpecContent\": {\"content\": \"version: 0.0\\nResources: []\"}}}}]}",
	    4, 952, "timeline[0].input.revision.appSpecContent.content",
	    "the AppSpec content is not JSON (YAML?): ecsim reads the JSON form of an AppSpec"},
	/* cd_s3 */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}], "
	    "\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}], "
	    "\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"a\", "
	    "\"deploymentGroupName\": \"g\", "
	    "\"deploymentConfigName\": \"CodeDeployDefault.ECSAllAtOnce\", \"serviceRoleArn\": \"r\", "
	    "\"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", "
	    "\"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}, "
	    "\"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"blue\"}, "
	    "{\"name\": \"green\"}], \"prodTrafficRoute\": {\"listenerArns\": [\"l\"]}}]}, "
	    "\"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]}]}, "
	    "\"timeline\": [{\"at\": \"5m\", \"call\": \"codedeploy:CreateDeployment\", "
	    "\"input\": {\"applicationName\": \"a\", \"deploymentGroupName\": \"g\", "
	    "\"revision\": {\"revisionType\": \"S3\", \"s3Location\": {\"bucket\": \"b\", \"key\": \"k\"}}}}]}",
	    4, 904, "timeline[0].input.revision.revisionType",
	    "ecsim reads the AppSpec inline: revisionType AppSpecContent (with appSpecContent.content), got S3"},
	/* cd_lbinfo */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}], "
	    "\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}], "
	    "\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"a\", "
	    "\"deploymentGroupName\": \"g\", "
	    "\"deploymentConfigName\": \"CodeDeployDefault.ECSAllAtOnce\", \"serviceRoleArn\": \"r\", "
	    "\"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", "
	    "\"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}, "
	    "\"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"blue\"}, "
	    "{\"name\": \"green\"}], \"prodTrafficRoute\": {\"listenerArns\": [\"l\"]}}]}, "
	    "\"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]}]}, "
	    "\"timeline\": [{\"at\": \"5m\", \"call\": \"codedeploy:CreateDeployment\", "
	    "\"input\": {\"applicationName\": \"a\", \"deploymentGroupName\": \"g\", "
	    "\"revision\": {\"revisionType\": \"AppSpecContent\", "
	    "\"appSpecContent\": {\"content\": {\"version\": 0.0, "
	    "\"Resources\": [{\"TargetService\": {\"Type\": \"AWS::ECS::Service\", "
	    "\"Properties\": {\"TaskDefinition\": \"app:1\", "
	    "\"LoadBalancerInfo\": {\"ContainerName\": \"app\", \"ContainerPort\": 80}}}}]}}}}}]}",
	    4, 1093, "timeline[0].input.revision.appSpecContent.content.Resources[0].TargetService.Properties.LoadBalancerInfo",
	    "the service's load balancer serves app:8080, the AppSpec names app:80"},
	/* cd_hook_event */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}], "
	    "\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}], "
	    "\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"a\", "
	    "\"deploymentGroupName\": \"g\", "
	    "\"deploymentConfigName\": \"CodeDeployDefault.ECSAllAtOnce\", \"serviceRoleArn\": \"r\", "
	    "\"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", "
	    "\"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}, "
	    "\"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"blue\"}, "
	    "{\"name\": \"green\"}], \"prodTrafficRoute\": {\"listenerArns\": [\"l\"]}}]}, "
	    "\"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]}]}, "
	    "\"timeline\": [{\"at\": \"5m\", \"call\": \"codedeploy:CreateDeployment\", "
	    "\"input\": {\"applicationName\": \"a\", \"deploymentGroupName\": \"g\", "
	    "\"revision\": {\"revisionType\": \"AppSpecContent\", "
	    "\"appSpecContent\": {\"content\": {\"version\": 0.0, "
	    "\"Resources\": [{\"TargetService\": {\"Type\": \"AWS::ECS::Service\", "
	    "\"Properties\": {\"TaskDefinition\": \"app:1\", "
	    "\"LoadBalancerInfo\": {\"ContainerName\": \"app\", \"ContainerPort\": 8080}}}}], "
	    "\"Hooks\": [{\"BeforeAllowTestTraffic\": \"f\"}]}}}}}]}",
	    4, 1183, "timeline[0].input.revision.appSpecContent.content.Hooks[0].BeforeAllowTestTraffic",
	    "\"BeforeAllowTestTraffic\" is not a hookable ECS lifecycle event (BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic)"},
	/* cd_placeholder */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}], "
	    "\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}], "
	    "\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"a\", "
	    "\"deploymentGroupName\": \"g\", "
	    "\"deploymentConfigName\": \"CodeDeployDefault.ECSAllAtOnce\", \"serviceRoleArn\": \"r\", "
	    "\"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", "
	    "\"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}, "
	    "\"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"blue\"}, "
	    "{\"name\": \"green\"}], \"prodTrafficRoute\": {\"listenerArns\": [\"l\"]}}]}, "
	    "\"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]}]}, "
	    "\"timeline\": [{\"at\": \"5m\", \"call\": \"codedeploy:CreateDeployment\", "
	    "\"input\": {\"applicationName\": \"a\", \"deploymentGroupName\": \"g\", "
	    "\"revision\": {\"revisionType\": \"AppSpecContent\", "
	    "\"appSpecContent\": {\"content\": {\"version\": 0.0, "
	    "\"Resources\": [{\"TargetService\": {\"Type\": \"AWS::ECS::Service\", "
	    "\"Properties\": {\"TaskDefinition\": \"REPLACE_TASK_DEFINITION_ARN\", "
	    "\"LoadBalancerInfo\": {\"ContainerName\": \"app\", \"ContainerPort\": 8080}}}}]}}}}}]}",
	    4, 1064, "timeline[0].input.revision.appSpecContent.content.Resources[0].TargetService.Properties.TaskDefinition",
	    "task definition \"REPLACE_TASK_DEFINITION_ARN\" is not registered at this point of the scenario"},
	/* cd_string_path: an AppSpec given as a JSON string is read where
	 * the object form stands (its line and column are the string's) */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"deploymentConfiguration\": {}, \"loadBalancers\": [{\"targetGroupArn\": \"blue\", "
	    "\"containerName\": \"app\", \"containerPort\": 8080}], "
	    "\"deploymentController\": {\"type\": \"CODE_DEPLOY\"}}], "
	    "\"codeDeploy\": {\"deploymentGroups\": [{\"applicationName\": \"a\", "
	    "\"deploymentGroupName\": \"g\", "
	    "\"deploymentConfigName\": \"CodeDeployDefault.ECSAllAtOnce\", \"serviceRoleArn\": \"r\", "
	    "\"deploymentStyle\": {\"deploymentType\": \"BLUE_GREEN\", "
	    "\"deploymentOption\": \"WITH_TRAFFIC_CONTROL\"}, "
	    "\"loadBalancerInfo\": {\"targetGroupPairInfoList\": [{\"targetGroups\": [{\"name\": \"blue\"}, "
	    "{\"name\": \"green\"}], \"prodTrafficRoute\": {\"listenerArns\": [\"l\"]}}]}, "
	    "\"ecsServices\": [{\"serviceName\": \"web\", \"clusterName\": \"default\"}]}]}, "
	    "\"timeline\": [{\"at\": \"5m\", \"call\": \"codedeploy:CreateDeployment\", "
	    "\"input\": {\"applicationName\": \"a\", \"deploymentGroupName\": \"g\", "
	    "\"revision\": {\"revisionType\": \"AppSpecContent\", "
	    "\"appSpecContent\": {\"content\": \"{\\\"version\\\": 0.0, "
	    "\\\"Resources\\\": [{\\\"TargetService\\\": {\\\"Type\\\": \\\"AWS::ECS::Service\\\", "
	    "\\\"Properties\\\": {\\\"TaskDefinition\\\": \\\"app:9\\\", "
	    "\\\"LoadBalancerInfo\\\": {\\\"ContainerName\\\": \\\"app\\\", \\\"ContainerPort\\\": 8080}}}}]}\"}}}}]}",
	    1, 113, "timeline[0].input.revision.appSpecContent.content.Resources[0].TargetService.Properties.TaskDefinition",
	    "task definition \"app:9\" is not registered at this point of the scenario"},
	/* launch_external: the message points at launchType, not at the
	 * deploymentController read after it */
	{IN_BASE
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, "
	    "\"launchType\": \"EXTERNAL\", \"deploymentController\": {\"type\": \"ECS\"}}]}",
	    4, 96, "services[0].launchType", "launch type EXTERNAL is not simulated"},
};

START_TEST(test_refused_inputs)
{
	sim_error err;
	int rc = su_validate(bad_inputs[_i].json, &err);
	ck_assert_msg(rc == SIM_EINPUT, "row %d: rc %d", _i, rc);
	ck_assert_str_eq(err.msg, bad_inputs[_i].msg);
	ck_assert_str_eq(err.path, bad_inputs[_i].path);
	ck_assert_int_eq(err.line, bad_inputs[_i].line);
	ck_assert_int_eq(err.col, bad_inputs[_i].col);
}
END_TEST

/* ---- real files (tests/data/corpus/README.md names their sources) ---- */

static void
corpus_run(const char *name, cli_result *res)
{
	char path[256];
	sim_error err;
	cli_run_opts o = {0};
	snprintf(path, sizeof(path), "tests/data/corpus/%s", name);
	int rc = cli_run_scenario(path, &o, res, &err);
	ck_assert_msg(rc == 0, "%s: %s: %s", path, err.path, err.msg);
}

/* The length of the first lifecycle stage `name`. */
static sim_time
stage_len(const recorder *r, const char *name)
{
	for (size_t i = 0; i < rec_fact_count(r, "deployment_stage"); i++) {
		rec_fact *f = rec_fact_at(r, "deployment_stage", i);
		if (strcmp(rec_fact_get_str(f, "stage"), name) == 0)
			return rec_fact_get(f, "duration")->i;
	}
	ck_abort_msg("no stage %s", name);
	return -1;
}

START_TEST(test_corpus_files)
{
	cli_result res;
	const recorder *r;
	/* aws-samples ecs-bluegreen-lifecycle-hooks: service_template.json and
	 * taskdef_template.json as populate-templates.sh fills them in (hook
	 * roleArn and hookDetails, advancedConfiguration with roleArn, Fargate,
	 * versionConsistency); the approval hook is IN_PROGRESS 4 times with
	 * callBackDelay 30 (5 invocations of 1 s) */
	corpus_run("bluegreen-hooks.scenario.json", &res);
	r = res.rec;
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "strategy"), "BLUE_GREEN");
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "rolloutState"), "COMPLETED");
	ck_assert_int_eq(stage_len(r, "PRE_SCALE_UP"), 2 * SIM_SEC);
	ck_assert_int_eq(stage_len(r, "POST_TEST_TRAFFIC_SHIFT"), 4 * 31 * SIM_SEC + SIM_SEC);
	ck_assert_int_eq(stage_len(r, "BAKE_TIME"), SIM_MIN);
	ck_assert_int_eq(rec_fact_get_int(su_fact(r, "lifecycle_hook", 1), "invocations", 0), 5);
	cli_result_free(&res);

	/* aws-samples aws-codedeploy-linear-canary-deployments-blog: the
	 * README's create_service.json and code_deployment_group.json:
	 * ECSLinear10PercentEvery1Minutes = 10 shifts a minute apart, then
	 * 5 minutes of termination wait */
	corpus_run("linear-blog.scenario.json", &res);
	r = res.rec;
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "codeDeployStatus"), "Succeeded");
	ck_assert_int_eq(rec_fact_get_int(dep(r, 1), "productionShifts", 0), 10);
	ck_assert_int_eq(stage_len(r, "AllowTraffic"), 9 * SIM_MIN);
	ck_assert_int_eq(stage_len(r, "TerminationWait"), 5 * SIM_MIN);
	cli_result_free(&res);

	/* the AWS CodeDeploy User Guide's JSON AppSpec: its five hooks in
	 * order (10 to 50 s) */
	corpus_run("codedeploy-userguide.scenario.json", &res);
	r = res.rec;
	static const char *const ev[] = {"BeforeInstall", "AfterInstall", "AfterAllowTestTraffic",
	    "BeforeAllowTraffic", "AfterAllowTraffic"};
	ck_assert_int_eq((int)rec_fact_count(r, "lifecycle_hook"), 5);
	for (int i = 0; i < 5; i++) {
		const rec_fact *h = su_fact(r, "lifecycle_hook", (size_t)i);
		ck_assert_str_eq(rec_fact_get_str(h, "stage"), ev[i]);
		ck_assert_str_eq(rec_fact_get_str(h, "status"), "Succeeded");
		ck_assert_int_eq(rec_fact_get(h, "end")->i - rec_fact_get(h, "start")->i, (i + 1) * 10 * SIM_SEC);
	}
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "codeDeployStatus"), "Succeeded");
	cli_result_free(&res);
	/* without a test listener AfterAllowTestTraffic is ignored [DOC] */
	corpus_run("codedeploy-userguide-no-test.scenario.json", &res);
	r = res.rec;
	ck_assert_int_eq((int)rec_fact_count(r, "lifecycle_hook"), 4);
	ck_assert_str_eq(rec_fact_get_str(su_fact(r, "lifecycle_hook", 2), "stage"), "BeforeAllowTraffic");
	ck_assert_int_eq(stage_len(r, "AfterAllowTestTraffic"), 0);
	cli_result_free(&res);

	/* Chrisblurp/Blue-Green-Deploy's appspec.json says version 1: the
	 * deployment fails with CodeDeploy's message; nothing is installed */
	corpus_run("appspec-version-1.scenario.json", &res);
	r = res.rec;
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "codeDeployStatus"), "Failed");
	ck_assert_ptr_nonnull(strstr(rec_fact_get_str(dep(r, 1), "failure"),
	    "invalid version value (1) was entered in the application specification file"));
	ck_assert_int_eq(started_after(r, 10 * SIM_MIN), 0);
	cli_result_free(&res);

	/* the AWS microservices lab's employee service and task definition
	 * (CODE_DEPLOY, Fargate, ARM64), deployed with its AppSpec in JSON */
	corpus_run("lab-employee.scenario.json", &res);
	r = res.rec;
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "codeDeployStatus"), "Succeeded");
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "taskDefinition"), "employee-microservice:22");
	cli_result_free(&res);

	/* the AWS CLI's task set examples: created ACTIVE at scale 0, 50 % of
	 * 2 = 1 task, PRIMARY, deleted with force: DRAINING, its task stops */
	corpus_run("external-cli.scenario.json", &res);
	r = res.rec;
	ck_assert_str_eq(rec_fact_get_str(dep(r, 0), "taskSetStatus"), "DRAINING");
	ck_assert_int_eq(su_first_event(r, "updated computedDesiredCount for taskSet"), SIM_MIN);
	ck_assert_int_eq(su_count_events(r, "to 1."), 1);
	ck_assert_int_eq(su_first_event(r, "ecs:UpdateServicePrimaryTaskSet"), 2 * SIM_MIN);
	ck_assert_int_eq(su_first_event(r, "has stopped 1 running tasks"), 20 * SIM_MIN + SIM_SEC);
	cli_result_free(&res);

	/* a workshop's ecs/update.json turns a rolling service blue/green with
	 * an alarm, a hook and the alternate target group in one UpdateService */
	corpus_run("safe-delivery.scenario.json", &res);
	r = res.rec;
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "strategy"), "BLUE_GREEN");
	ck_assert_str_eq(rec_fact_get_str(dep(r, 1), "rolloutState"), "COMPLETED");
	ck_assert_int_eq(stage_len(r, "BAKE_TIME"), 15 * SIM_MIN);
	ck_assert_int_eq(stage_len(r, "POST_TEST_TRAFFIC_SHIFT"), 20 * SIM_SEC);
	cli_result_free(&res);

	/* the lab's YAML AppSpec is refused where it stands */
	sim_error err;
	cli_run_opts vo = {.validate_only = true};
	int rc = cli_run_scenario("tests/data/corpus/lab-employee-yaml.scenario.json", &vo, &res, &err);
	cli_result_free(&res);
	ck_assert_int_ne(rc, 0);
	ck_assert_str_eq(err.path, "timeline[0].input.revision.appSpecContent.content");
	ck_assert_ptr_nonnull(strstr(err.msg, "the AppSpec content is not JSON (YAML?)"));
}
END_TEST

Suite *
deploy_suite(void)
{
	Suite *s = suite_create("deploy");
	TCase *tc = tcase_create("strategies");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_linear_steps);
	tcase_add_test(tc, test_blue_green_stages);
	tcase_add_test(tc, test_canary_defaults);
	tcase_add_test(tc, test_linear_defaults);
	tcase_add_test(tc, test_traffic_shifted_by);
	tcase_add_test(tc, test_pause_hook_holds);
	tcase_add_test(tc, test_pause_hook_rollback_and_timeout);
	tcase_add_test(tc, test_lambda_hook_outcomes);
	tcase_add_test(tc, test_alarm_during_bake_rolls_back_traffic);
	tcase_add_test(tc, test_alarm_already_in_alarm_is_ignored);
	tcase_add_test(tc, test_rollback_runs_traffic_shift_hooks);
	tcase_add_test(tc, test_corpus_files);
	tcase_add_test(tc, test_codedeploy_ready_wait_keep_alive_and_scaling);
	tcase_add_test(tc, test_rolling_alarms);
	tcase_add_test(tc, test_blue_green_needs_double_capacity);
	tcase_add_test(tc, test_codedeploy_canary_end_to_end);
	tcase_add_test(tc, test_codedeploy_hook_failure_rolls_back);
	tcase_add_test(tc, test_external_task_sets);
	tcase_add_test(tc, test_rolling_scale_out_both_revisions);
	suite_add_tcase(s, tc);
	TCase *ti = tcase_create("inputs");
	tcase_add_loop_test(ti, test_refused_inputs, 0, (int)(sizeof(bad_inputs) / sizeof(bad_inputs[0])));
	suite_add_tcase(s, ti);
	return s;
}
