/*
 * Tests for cas: the documented CapacityProviderReservation cases, step
 * sizes and defaults, the binpack estimate (exclusion of tasks that fit no
 * smallest instance, first fit decreasing, ports, ENIs and distinct
 * groups), scale-from-zero launching two instances, strategies, and the
 * create-capacity-provider and strategy input errors with their exact
 * message and position ('@' in an input marks where an error must point).
 */
#include <stdio.h>
#include <string.h>

#include "model/autoscaling/alarm.h"
#include "model/autoscaling/cas.h"
#include "sim/recorder.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

static arena *A;
static jr_loader *L;
static sim_error err;
static cas_params P;

static void
setup(void)
{
	A = arena_new();
	L = jr_loader_new(A);
	sim_error_clear(&err);
	cas_params_default(&P);
}

static void
teardown(void)
{
	jr_loader_free(L);
	arena_free(A);
}

static jr_val
load_marked(const char *text, int *line, int *col)
{
	char buf[8192];
	su_strip_marker(text, buf, sizeof(buf), line, col);
	jr_val root;
	int rc = jr_load_text(L, "t.json", buf, &root, &err);
	ck_assert_msg(rc == 0, "unexpected error: %s", err.msg);
	return root;
}

static jr_val
load(const char *text)
{
	int line, col;
	return load_marked(text, &line, &col);
}

typedef struct bad_case {
	const char *text, *path, *msg;
} bad_case;

typedef int (*parse_fn)(const jr_val *, void *, sim_error *);

static void
check_bad(const bad_case *cases, size_t n, parse_fn fn, void *out)
{
	for (size_t i = 0; i < n; i++) {
		int line, col;
		jr_val v = load_marked(cases[i].text, &line, &col);
		ck_assert_msg(line > 0, "case %zu has no marker", i);
		sim_error_clear(&err);
		int rc = fn(&v, out, &err);
		ck_assert_msg(rc == SIM_EINPUT, "case %zu accepted", i);
		ck_assert_str_eq(err.msg, cases[i].msg);
		ck_assert_msg(err.line == line && err.col == col,
		    "case %zu (%s): at %d:%d, want %d:%d", i, cases[i].msg, err.line,
		    err.col, line, col);
		ck_assert_str_eq(err.path, cases[i].path);
	}
}

static int
parse_provider(const jr_val *v, void *out, sim_error *e)
{
	return cp_parse_provider(v, out, e);
}

static int
parse_strategy(const jr_val *v, void *out, sim_error *e)
{
	return cp_parse_strategy(v, out, e);
}

/* [DOC §3] registered capacity: c4.large 2048 units / 3768 MiB,
 * c4.4xlarge 16384 / 30158. Ports, ENIs, GPUs not counted here. */
static const cas_res C4_LARGE = {2048, 3768, CAS_UNLIMITED, CAS_UNLIMITED,
    CAS_UNLIMITED};
static const cas_res C4_4XLARGE = {16384, 30158, CAS_UNLIMITED, CAS_UNLIMITED,
    CAS_UNLIMITED};

static cas_group
group(int64_t cpu, int64_t mem, int count)
{
	cas_group g = {{cpu, mem, 0, 0, 0}, count, false};
	return g;
}

/* ---- CPR ---- */

START_TEST(test_cpr)
{
	/* [DOC + AWS-STAFF §4.2] */
	ck_assert_double_eq(cas_cpr(0, 0), 100);
	ck_assert_double_eq(cas_cpr(0, 1), 200);
	ck_assert_double_eq(cas_cpr(0, 7), 200);
	ck_assert_double_eq(cas_cpr(4, 4), 100);
	ck_assert_double_eq(cas_cpr(4, 5), 125);
	ck_assert_double_eq(cas_cpr(4, 2), 50);
	ck_assert_double_eq_tol(cas_cpr(3, 5), 500.0 / 3, 1e-9);
}
END_TEST

START_TEST(test_defaults_and_step)
{
	cp_managed_scaling m;
	cp_managed_scaling_default(&m);
	/* [DOC §4.1] */
	ck_assert(!m.enabled);
	ck_assert_int_eq(m.target_capacity, 100);
	ck_assert_int_eq(m.min_step, 1);
	ck_assert_int_eq(m.max_step, 10000);
	ck_assert_int_eq(m.warmup, 300 * SIM_SEC);
	/* [DOC §4.3] min step if below it, else min(max step, estimate) */
	ck_assert_int_eq(cas_step(&m, 0), 0);
	ck_assert_int_eq(cas_step(&m, 1), 1);
	ck_assert_int_eq(cas_step(&m, 20000), 10000);
	m.min_step = 3;
	m.max_step = 5;
	ck_assert_int_eq(cas_step(&m, 1), 3);
	ck_assert_int_eq(cas_step(&m, 4), 4);
	ck_assert_int_eq(cas_step(&m, 8), 5);
}
END_TEST

/* ---- binpack ---- */

START_TEST(test_binpack)
{
	cas_estimate e;
	cas_group g = group(1024, 2048, 3);
	/* one c4.large holds one (1024, 2048) task: memory binds */
	cas_binpack(NULL, 0, &g, 1, &C4_LARGE, &C4_LARGE, &e);
	ck_assert_int_eq(e.extra, 3);
	ck_assert_int_eq(e.included, 3);
	ck_assert_int_eq(e.excluded, 0);
	/* free room on an existing instance is used first */
	cas_instance inst = {{1024, 2048, CAS_UNLIMITED, CAS_UNLIMITED,
	    CAS_UNLIMITED}, NULL};
	cas_binpack(&inst, 1, &g, 1, &C4_LARGE, &C4_LARGE, &e);
	ck_assert_int_eq(e.extra, 2);
	/* the estimate uses the largest type: 14 per c4.4xlarge */
	g.count = 10;
	cas_binpack(NULL, 0, &g, 1, &C4_LARGE, &C4_4XLARGE, &e);
	ck_assert_int_eq(e.extra, 1);
	g.count = 15;
	cas_binpack(NULL, 0, &g, 1, &C4_LARGE, &C4_4XLARGE, &e);
	ck_assert_int_eq(e.extra, 2);
	/* no tasks */
	cas_binpack(NULL, 0, NULL, 0, &C4_LARGE, &C4_4XLARGE, &e);
	ck_assert_int_eq(e.extra, 0);
	ck_assert_int_eq(e.included, 0);
}
END_TEST

/* [DOC §4.3] a task that fits no (empty) smallest instance is excluded. */
START_TEST(test_binpack_excluded)
{
	cas_estimate e;
	cas_group g[2] = {group(4096, 8192, 2), group(512, 1024, 3)};
	cas_binpack(NULL, 0, g, 2, &C4_LARGE, &C4_4XLARGE, &e);
	ck_assert_int_eq(e.excluded, 2);
	ck_assert_int_eq(e.included, 3);
	ck_assert_int_eq(e.extra, 1);
	cas_binpack(NULL, 0, g, 1, &C4_LARGE, &C4_4XLARGE, &e);
	ck_assert_int_eq(e.excluded, 2);
	ck_assert_int_eq(e.included, 0);
	ck_assert_int_eq(e.extra, 0);
}
END_TEST

/* [INF] first fit decreasing: the bigger group is placed first. */
START_TEST(test_binpack_ffd)
{
	cas_res type = {10, 100, CAS_UNLIMITED, CAS_UNLIMITED, CAS_UNLIMITED};
	cas_group g[2] = {group(3, 1, 2), group(7, 1, 2)};
	cas_estimate e;
	/* small first would take 3 instances: 3+3 | 7 | 7 */
	cas_binpack(NULL, 0, g, 2, &type, &type, &e);
	ck_assert_int_eq(e.extra, 2); /* 7+3 | 7+3 */
}
END_TEST

START_TEST(test_binpack_ports_enis_distinct)
{
	cas_estimate e;
	/* a type with 4 free host ports, tasks with 2 each */
	cas_res type = {4096, 8192, 4, CAS_UNLIMITED, CAS_UNLIMITED};
	cas_group g = {{256, 512, 2, 0, 0}, 3, false};
	cas_binpack(NULL, 0, &g, 1, &type, &type, &e);
	ck_assert_int_eq(e.extra, 2);
	/* awsvpc: 2 ENIs for tasks per instance */
	type = (cas_res){4096, 8192, CAS_UNLIMITED, 2, CAS_UNLIMITED};
	g = (cas_group){{256, 512, 0, 1, 0}, 5, false};
	cas_binpack(NULL, 0, &g, 1, &type, &type, &e);
	ck_assert_int_eq(e.extra, 3);
	/* GPUs: a GPU task fits no smallest instance without one */
	cas_res nogpu = {4096, 8192, CAS_UNLIMITED, CAS_UNLIMITED, 0};
	cas_res gpu = {4096, 8192, CAS_UNLIMITED, CAS_UNLIMITED, 1};
	g = (cas_group){{256, 512, 0, 0, 1}, 1, false};
	cas_binpack(NULL, 0, &g, 1, &nogpu, &gpu, &e);
	ck_assert_int_eq(e.excluded, 1);
	/* distinct: one task of the group per instance */
	type = C4_4XLARGE;
	g = (cas_group){{256, 512, 0, 0, 0}, 3, true};
	cas_binpack(NULL, 0, &g, 1, &type, &type, &e);
	ck_assert_int_eq(e.extra, 3);
	uint8_t hosts[1] = {1}, none[1] = {0};
	cas_instance inst[2] = {
		{{4096, 8192, CAS_UNLIMITED, CAS_UNLIMITED, CAS_UNLIMITED}, hosts},
		{{4096, 8192, CAS_UNLIMITED, CAS_UNLIMITED, CAS_UNLIMITED}, none},
	};
	cas_binpack(inst, 2, &g, 1, &type, &type, &e);
	ck_assert_int_eq(e.extra, 2); /* instance 0 already hosts one */
}
END_TEST

START_TEST(test_types_range)
{
	cas_res types[3] = {
		{2048, 3768, 100, 3, 0},
		{16384, 30158, 100, 8, 0},
		{2048, 15000, 50, 3, 1},
	};
	cas_res lo, hi;
	cas_types_range(types, 3, &lo, &hi);
	ck_assert_int_eq(lo.cpu, 2048);
	ck_assert_int_eq(lo.mem, 3768);
	ck_assert_int_eq(lo.ports, 50);
	ck_assert_int_eq(lo.gpus, 0);
	ck_assert_int_eq(hi.cpu, 16384);
	ck_assert_int_eq(hi.mem, 30158);
	ck_assert_int_eq(hi.enis, 8);
	ck_assert_int_eq(hi.gpus, 1);
}
END_TEST

/* ---- the published metric and the ASG's answer ---- */

START_TEST(test_reservation)
{
	cp_managed_scaling m;
	cas_metric r;
	cas_estimate e = {.extra = 3, .included = 5};
	cp_managed_scaling_default(&m);

	cas_reservation(&m, &P, 4, 0, &e, &r);
	ck_assert_int_eq(r.step, 3);
	ck_assert_int_eq(r.m, 7);
	ck_assert_double_eq(r.cpr, 175);
	ck_assert_int_eq(cas_asg_desired(4, r.cpr, 100), 7);
	ck_assert_int_eq(cas_asg_desired(4, r.cpr, 90), 8); /* 7.78 */
	/* the step bounds */
	m.min_step = 5;
	e.extra = 2;
	cas_reservation(&m, &P, 4, 0, &e, &r);
	ck_assert_int_eq(r.step, 5);
	ck_assert_double_eq(r.cpr, 225);
	ck_assert_int_eq(cas_asg_desired(4, r.cpr, 100), 9);
	m.min_step = 1;
	m.max_step = 2;
	e.extra = 5;
	cas_reservation(&m, &P, 4, 0, &e, &r);
	ck_assert_int_eq(r.step, 2);
	ck_assert_double_eq(r.cpr, 150);
	ck_assert_int_eq(cas_asg_desired(4, r.cpr, 100), 6);
	/* 5/3 x 100 survives the round trip: 3 x 166.67 / 100 -> 5 */
	m.max_step = 10000;
	e.extra = 2;
	cas_reservation(&m, &P, 3, 0, &e, &r);
	ck_assert_int_eq(cas_asg_desired(3, r.cpr, 100), 5);
	/* tasks that fit on the instances there are: CPR 100 */
	e.extra = 0;
	cas_reservation(&m, &P, 3, 0, &e, &r);
	ck_assert_int_eq(r.step, 0);
	ck_assert_double_eq(r.cpr, 100);

	/* nothing provisioning, 2 of 4 instances empty */
	cas_reservation(&m, &P, 4, 2, NULL, &r);
	ck_assert_int_eq(r.m, 2);
	ck_assert_double_eq(r.cpr, 50);
	ck_assert_int_eq(cas_asg_desired(4, r.cpr, 100), 2);
	P.in_metric = CAS_IN_MINUS_EMPTY; /* the 2023 wording */
	cas_reservation(&m, &P, 4, 2, NULL, &r);
	ck_assert_double_eq(r.cpr, 98);
	cas_params_default(&P);
	/* empty cluster, nothing to run: 100 */
	cas_reservation(&m, &P, 0, 0, NULL, &r);
	ck_assert_double_eq(r.cpr, 100);
	e = (cas_estimate){0};
	cas_reservation(&m, &P, 0, 0, &e, &r);
	ck_assert_double_eq(r.cpr, 100);

	/* [DOC] every provisioning task excluded: held at targetCapacity */
	e = (cas_estimate){.excluded = 4};
	m.target_capacity = 90;
	cas_reservation(&m, &P, 2, 0, &e, &r);
	ck_assert(r.held);
	ck_assert_double_eq(r.cpr, 90);
	P.excluded_hold_at_100 = true; /* the 2023 wording */
	cas_reservation(&m, &P, 2, 0, &e, &r);
	ck_assert_double_eq(r.cpr, 100);
}
END_TEST

/* [DOC/AWS-STAFF §4.2] from zero instances with a pending task: CPR 200,
 * the 1-of-1 high alarm fires, the ASG goes to 2 instances. */
START_TEST(test_scale_from_zero)
{
	cp_managed_scaling m;
	cp_managed_scaling_default(&m);
	cas_group g = group(256, 512, 1);
	cas_estimate e;
	cas_binpack(NULL, 0, &g, 1, &C4_LARGE, &C4_LARGE, &e);
	ck_assert_int_eq(e.extra, 1);
	cas_metric r;
	cas_reservation(&m, &P, 0, 0, &e, &r);
	ck_assert_double_eq(r.cpr, 200);

	alarm_cp_params ap;
	alarm_config hi, lo;
	alarm_cp_params_default(&ap);
	alarm_cp_configs(&ap, m.target_capacity, &hi, &lo);
	alarm *a = alarm_new(&hi);
	alarm_eval ev;
	alarm_put(a, 0, r.cpr);
	alarm_evaluate(a, 0, &ev);
	ck_assert_int_eq(ev.state, ALARM_ALARM);
	ck_assert_int_eq(cas_asg_desired(0, r.cpr, m.target_capacity), 2);
	alarm_free(a);
	/* with many tasks still 2: the first step from zero is 200 % */
	g.count = 40;
	cas_binpack(NULL, 0, &g, 1, &C4_LARGE, &C4_LARGE, &e);
	cas_reservation(&m, &P, 0, 0, &e, &r);
	ck_assert_double_eq(r.cpr, 200);
	ck_assert_int_eq(cas_asg_desired(0, r.cpr, 100), 2);
}
END_TEST

START_TEST(test_warmup)
{
	sim_time launched[2] = {0, 100 * SIM_SEC};
	ck_assert(cas_warmup_blocks(launched, 2, 350 * SIM_SEC, 300 * SIM_SEC));
	ck_assert(!cas_warmup_blocks(launched, 2, 400 * SIM_SEC, 300 * SIM_SEC));
	ck_assert(!cas_warmup_blocks(launched, 2, 100 * SIM_SEC, 0));
	ck_assert(!cas_warmup_blocks(NULL, 0, 0, 300 * SIM_SEC));
}
END_TEST

/* ---- create-capacity-provider ---- */

START_TEST(test_parse_provider)
{
	cp_provider p;
	jr_val v = load("{\"name\": \"cp-main\", \"autoScalingGroupProvider\": {"
	    "\"autoScalingGroupArn\": \"arn:aws:autoscaling:us-east-1:1:"
	    "autoScalingGroup:x:autoScalingGroupName/main\"}}");
	ck_assert_int_eq(cp_parse_provider(&v, &p, &err), 0);
	ck_assert_str_eq(p.name, "cp-main");
	ck_assert_ptr_null(p.cluster);
	ck_assert(!p.scaling.enabled);
	ck_assert_int_eq(p.scaling.target_capacity, 100);
	ck_assert(!p.termination_protection); /* [DOC] default off */
	ck_assert(p.draining);                /* [DOC] default ENABLED */

	v = load("{\"name\": \"cp_2\", \"cluster\": \"prod\", \"tags\": [],\n"
	    " \"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"asg-2\",\n"
	    "  \"managedScaling\": {\"status\": \"ENABLED\", \"targetCapacity\": 90,"
	    " \"minimumScalingStepSize\": 2, \"maximumScalingStepSize\": 50,"
	    " \"instanceWarmupPeriod\": 120},\n"
	    "  \"managedTerminationProtection\": \"ENABLED\","
	    " \"managedDraining\": \"DISABLED\"}}");
	ck_assert_int_eq(cp_parse_provider(&v, &p, &err), 0);
	ck_assert_str_eq(p.cluster, "prod");
	ck_assert_str_eq(p.asg, "asg-2");
	ck_assert(p.scaling.enabled);
	ck_assert_int_eq(p.scaling.target_capacity, 90);
	ck_assert_int_eq(p.scaling.min_step, 2);
	ck_assert_int_eq(p.scaling.max_step, 50);
	ck_assert_int_eq(p.scaling.warmup, 120 * SIM_SEC);
	ck_assert(p.termination_protection);
	ck_assert(!p.draining);
	v = load("{\"name\": \"x\", \"autoScalingGroupProvider\": {"
	    "\"autoScalingGroupArn\": \"a\", \"managedScaling\": {\"status\": "
	    "\"ENABLED\"}}}");
	ck_assert_int_eq(cp_parse_provider(&v, &p, &err), 0);
	ck_assert(p.scaling.enabled);
	ck_assert_int_eq(p.scaling.max_step, 10000);
	ck_assert_int_eq(p.scaling.warmup, 300 * SIM_SEC);

#define ASG "\"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"a\""
#define MS(body) "{\"name\": \"cp\", " ASG ",\n \"managedScaling\": {" body "}}}"
	static const bad_case bad[] = {
		{"{\"name\": @\"ecs-main\", " ASG "}}", "name",
		    "a capacity provider name must not start with \"ecs\""},
		{"{\"name\": @\"FargateX\", " ASG "}}", "name",
		    "a capacity provider name must not start with \"fargate\""},
		{"{\"name\": @\"my cp\", " ASG "}}", "name",
		    "a capacity provider name may only hold letters, digits, '_' and "
		    "'-', got \"my cp\""},
		{"{\"name\": @\"\", " ASG "}}", "name",
		    "expected 1 to 255 characters, got 0"},
		{MS("\"targetCapacity\": @0"),
		    "autoScalingGroupProvider.managedScaling.targetCapacity",
		    "expected an integer in [1, 100], got 0"},
		{MS("\"targetCapacity\": @101"),
		    "autoScalingGroupProvider.managedScaling.targetCapacity",
		    "expected an integer in [1, 100], got 101"},
		{MS("\"minimumScalingStepSize\": @0"),
		    "autoScalingGroupProvider.managedScaling.minimumScalingStepSize",
		    "expected an integer in [1, 10000], got 0"},
		{MS("\"maximumScalingStepSize\": @10001"),
		    "autoScalingGroupProvider.managedScaling.maximumScalingStepSize",
		    "expected an integer in [1, 10000], got 10001"},
		{MS("\"minimumScalingStepSize\": 5, \"maximumScalingStepSize\": @4"),
		    "autoScalingGroupProvider.managedScaling.maximumScalingStepSize",
		    "maximumScalingStepSize (4) must be >= minimumScalingStepSize (5)"},
		{MS("\"instanceWarmupPeriod\": @10001"),
		    "autoScalingGroupProvider.managedScaling.instanceWarmupPeriod",
		    "expected an integer in [0, 10000], got 10001"},
		{MS("\"status\": @\"enabled\""),
		    "autoScalingGroupProvider.managedScaling.status",
		    "expected one of \"ENABLED\", \"DISABLED\", got \"enabled\"; did "
		    "you mean \"ENABLED\"?"},
		{"{\"name\": \"cp\", \"autoScalingGroupProvider\": @{}}",
		    "autoScalingGroupProvider",
		    "missing required key 'autoScalingGroupArn'"},
		{"{\"name\": \"cp\", \"autoScalingGroupProvider\": "
		    "{\"autoScalingGroupArn\": @\"\"}}",
		    "autoScalingGroupProvider.autoScalingGroupArn",
		    "expected a non-empty ARN or name"},
		{"{\"name\": \"cp\", " ASG ", \"managedDraining\": @\"ON\"}}",
		    "autoScalingGroupProvider.managedDraining",
		    "expected one of \"ENABLED\", \"DISABLED\", got \"ON\""},
		{"{\"name\": \"cp\", " ASG "},\n @\"managedInstancesProvider\": {}}",
		    "", "unknown key 'managedInstancesProvider'"},
		{"@{\"name\": \"cp\"}", "",
		    "missing required key 'autoScalingGroupProvider'"},
	};
	check_bad(bad, sizeof(bad) / sizeof(bad[0]), parse_provider, &p);
}
END_TEST

/* ---- strategies [DOC §4.6] ---- */

START_TEST(test_parse_strategy)
{
	cp_strategy s;
	jr_val v = load("[{\"capacityProvider\": \"FARGATE\", \"base\": 2, "
	    "\"weight\": 1},\n {\"capacityProvider\": \"FARGATE_SPOT\", "
	    "\"weight\": 4}, {\"capacityProvider\": \"cp\"}]");
	ck_assert_int_eq(cp_parse_strategy(&v, &s, &err), 0);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.items[0].provider, "FARGATE");
	ck_assert_int_eq(s.items[0].base, 2);
	ck_assert_int_eq(s.items[0].weight, 1);
	ck_assert_int_eq(s.items[1].base, 0);
	ck_assert_int_eq(s.items[1].weight, 4);
	ck_assert_int_eq(s.items[2].weight, 0); /* [DOC] default 0 */
	ck_assert_int_eq(s.items[1].pos.line, 2);
	v = load("[]");
	ck_assert_int_eq(cp_parse_strategy(&v, &s, &err), 0);
	ck_assert_int_eq(s.n, 0);

	char big[4096];
	int n = snprintf(big, sizeof(big), "@[");
	for (int i = 0; i < 21; i++)
		n += snprintf(big + n, sizeof(big) - (size_t)n,
		    "%s{\"capacityProvider\": \"cp%d\", \"weight\": 1}",
		    i ? ", " : "", i);
	snprintf(big + n, sizeof(big) - (size_t)n, "]");
	const bad_case bad[] = {
		{"[{\"capacityProvider\": \"a\", \"base\": 1, \"weight\": 1},\n"
		    " {\"capacityProvider\": \"b\", \"base\": @2}]", "[1].base",
		    "only one capacity provider in a strategy may have a base (item 0 "
		    "has base 1)"},
		{"@[{\"capacityProvider\": \"a\", \"base\": 1},"
		    " {\"capacityProvider\": \"b\", \"weight\": 0}]", "",
		    "at least one capacity provider in a strategy must have a weight "
		    "greater than 0"},
		{"[{\"capacityProvider\": \"a\", \"weight\": 1},"
		    " {\"capacityProvider\": @\"a\", \"weight\": 1}]",
		    "[1].capacityProvider",
		    "capacity provider \"a\" is already in this strategy (item 0)"},
		{"[{\"capacityProvider\": \"a\", \"base\": @100001}]", "[0].base",
		    "expected an integer in [0, 100000], got 100001"},
		{"[{\"capacityProvider\": \"a\", \"weight\": @1001}]", "[0].weight",
		    "expected an integer in [0, 1000], got 1001"},
		{"[@{\"weight\": 1}]", "[0]",
		    "missing required key 'capacityProvider'"},
		{"[{\"capacityProvider\": \"a\", @\"Weight\": 1}]", "[0]",
		    "unknown key 'Weight'; did you mean 'weight'?"},
		{big, "", "a capacity provider strategy has at most 20 items, got 21"},
	};
	check_bad(bad, sizeof(bad) / sizeof(bad[0]), parse_strategy, &s);
}
END_TEST

START_TEST(test_strategy_split)
{
	cp_strategy_item items[3] = {
		{"FARGATE", 2, 1, {0}},
		{"FARGATE_SPOT", 0, 4, {0}},
	};
	cp_strategy s = {items, 2};
	int c[3];
	/* [DOC] base first, then 1:4 */
	cp_strategy_split(&s, 1, c);
	ck_assert(c[0] == 1 && c[1] == 0);
	cp_strategy_split(&s, 2, c);
	ck_assert(c[0] == 2 && c[1] == 0);
	cp_strategy_split(&s, 7, c);
	ck_assert(c[0] == 3 && c[1] == 4);
	cp_strategy_split(&s, 12, c);
	ck_assert(c[0] == 4 && c[1] == 8);
	/* [UNCONFIRMED] growing one task at a time: the same split */
	int inc[2] = {0, 0};
	for (int t = 1; t <= 40; t++) {
		inc[cp_strategy_next(&s, inc)]++;
		cp_strategy_split(&s, t, c);
		ck_assert(c[0] == inc[0] && c[1] == inc[1]);
	}
	/* 1:1 alternates, ties to the first */
	items[0] = (cp_strategy_item){"A", 0, 1, {0}};
	items[1] = (cp_strategy_item){"B", 0, 1, {0}};
	cp_strategy_split(&s, 3, c);
	ck_assert(c[0] == 2 && c[1] == 1);
	/* [DOC] weight 0: nothing beyond base */
	items[0] = (cp_strategy_item){"A", 3, 0, {0}};
	items[1] = (cp_strategy_item){"B", 0, 1, {0}};
	cp_strategy_split(&s, 5, c);
	ck_assert(c[0] == 3 && c[1] == 2);
	cp_strategy_split(&s, 2, c);
	ck_assert(c[0] == 2 && c[1] == 0);
	/* 2:3 over 10 tasks: 4 and 6 */
	items[0] = (cp_strategy_item){"A", 0, 2, {0}};
	items[1] = (cp_strategy_item){"B", 0, 3, {0}};
	items[2] = (cp_strategy_item){"C", 0, 0, {0}};
	s.n = 3;
	cp_strategy_split(&s, 10, c);
	ck_assert(c[0] == 4 && c[1] == 6 && c[2] == 0);
}
END_TEST

START_TEST(test_assume)
{
	recorder *r = rec_new();
	cas_assume(r);
	/* the values are parameters now (as_params); what is left are the
	 * choices of method, tagged MODEL */
	bool found = false;
	for (size_t i = 0; i < rec_assumption_count(r); i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		ck_assert_str_eq(tag, "MODEL");
		ck_assert(strcmp(name, "capacityProvider.scaleInMetric") != 0);
		if (strcmp(name, "capacityProvider.binpack") == 0)
			found = true;
	}
	ck_assert(found);
	rec_free(r);
}
END_TEST

Suite *
cas_suite(void)
{
	Suite *s = suite_create("cas");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cpr);
	tcase_add_test(tc, test_defaults_and_step);
	tcase_add_test(tc, test_binpack);
	tcase_add_test(tc, test_binpack_excluded);
	tcase_add_test(tc, test_binpack_ffd);
	tcase_add_test(tc, test_binpack_ports_enis_distinct);
	tcase_add_test(tc, test_types_range);
	tcase_add_test(tc, test_reservation);
	tcase_add_test(tc, test_scale_from_zero);
	tcase_add_test(tc, test_warmup);
	tcase_add_test(tc, test_parse_provider);
	tcase_add_test(tc, test_parse_strategy);
	tcase_add_test(tc, test_strategy_split);
	tcase_add_test(tc, test_assume);
	suite_add_tcase(s, tc);
	return s;
}
