/*
 * Tests for scaling_policy: the documented numbers and worked examples of
 * Application Auto Scaling (step percentages and rounding, cooldowns, the
 * multiple-policy rule, ECS Min/Max boundaries, scheduled actions), the
 * [INF] target tracking formula, schedule expressions, and the input
 * shapes' errors with their exact message and position.
 *
 * Error positions are written into the test inputs: '@' marks where the
 * error must point and is removed before parsing.
 */
#include <stdio.h>
#include <string.h>

#include "model/autoscaling/scaling_policy.h"
#include "sim/recorder.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

static arena *A;
static jr_loader *L;
static sim_error err;
static sp_params P;

static void
setup(void)
{
	A = arena_new();
	L = jr_loader_new(A);
	sim_error_clear(&err);
	sp_params_default(&P);
}

static void
teardown(void)
{
	jr_loader_free(L);
	arena_free(A);
}

static jr_val
load(const char *text)
{
	jr_val root;
	int rc = jr_load_text(L, "t.json", text, &root, &err);
	ck_assert_msg(rc == 0, "unexpected error: %s", err.msg);
	return root;
}

/* Load text with its '@' marker removed; *line, *col: the marker. */
static jr_val
load_marked(const char *text, int *line, int *col)
{
	char buf[4096];
	su_strip_marker(text, buf, sizeof(buf), line, col);
	ck_assert_msg(*line > 0, "no marker in %s", text);
	return load(buf);
}

typedef struct bad_case {
	const char *text; /* with '@' */
	const char *path, *msg;
} bad_case;

typedef int (*parse_fn)(const jr_val *, void *, sim_error *);

static void
check_bad(const bad_case *cases, size_t n, parse_fn fn, void *out)
{
	for (size_t i = 0; i < n; i++) {
		int line, col;
		jr_val v = load_marked(cases[i].text, &line, &col);
		sim_error_clear(&err);
		int rc = fn(&v, out, &err);
		ck_assert_msg(rc == SIM_EINPUT, "case %zu accepted: %s", i,
		    cases[i].text);
		ck_assert_str_eq(err.msg, cases[i].msg);
		ck_assert_str_eq(err.file, "t.json");
		ck_assert_msg(err.line == line && err.col == col,
		    "case %zu (%s): at %d:%d, want %d:%d", i, cases[i].msg, err.line,
		    err.col, line, col);
		ck_assert_str_eq(err.path, cases[i].path);
	}
}

static int
parse_target(const jr_val *v, void *out, sim_error *e)
{
	return sp_parse_target(v, out, e);
}

static int
parse_policy(const jr_val *v, void *out, sim_error *e)
{
	return sp_parse_policy(v, out, e);
}

static int
parse_action(const jr_val *v, void *out, sim_error *e)
{
	return sp_parse_scheduled_action(v, out, e);
}

#define HEAD "\"ServiceNamespace\": \"ecs\", \"ResourceId\": " \
	"\"service/prod/web\", \"ScalableDimension\": \"ecs:service:DesiredCount\""

/* ---- target tracking ---- */

START_TEST(test_tt_capacity)
{
	/* [INF §1.5] ceil(running x metric / target) */
	ck_assert_int_eq(sp_tt_capacity(10, 70, 70), 10);
	ck_assert_int_eq(sp_tt_capacity(10, 77, 70), 11);
	ck_assert_int_eq(sp_tt_capacity(10, 90, 70), 13);   /* 12.86 */
	ck_assert_int_eq(sp_tt_capacity(10, 140, 70), 20);
	ck_assert_int_eq(sp_tt_capacity(10, 50, 70), 8);    /* 7.14 */
	ck_assert_int_eq(sp_tt_capacity(3, 0.7, 0.7), 3);   /* no 3.0000001 */
	ck_assert_int_eq(sp_tt_capacity(7, 10.1, 10.1), 7);
	ck_assert_int_eq(sp_tt_capacity(1, 400, 50), 8);    /* CPU over 100 % */
	ck_assert_int_eq(sp_tt_capacity(0, 90, 70), 0);
	ck_assert_int_eq(sp_tt_capacity(10, 0, 70), 0);
}
END_TEST

START_TEST(test_tt_request)
{
	sp_tt tt = {.target = 70, .metric = SP_METRIC_CPU,
	    .scale_out_cooldown = SP_DEFAULT_COOLDOWN,
	    .scale_in_cooldown = SP_DEFAULT_COOLDOWN};
	sp_cooldown cd;
	sp_cooldown_init(&cd);
	sp_request r;

	r = sp_tt_request(&tt, &cd, &P, true, 90, 10, 10, 1, 100, 0);
	ck_assert_int_eq(r.dir, 1);
	ck_assert_int_eq(r.capacity, 13);
	r = sp_tt_request(&tt, &cd, &P, true, 90, 10, 10, 1, 12, 0);
	ck_assert_int_eq(r.capacity, 12);           /* clamped to Max */
	r = sp_tt_request(&tt, &cd, &P, false, 50, 10, 10, 1, 100, 0);
	ck_assert_int_eq(r.dir, -1);
	ck_assert_int_eq(r.capacity, 8);
	r = sp_tt_request(&tt, &cd, &P, false, 50, 10, 10, 9, 100, 0);
	ck_assert_int_eq(r.capacity, 9);            /* clamped to Min */
	/* [DOC] the base is the running count, not desired */
	r = sp_tt_request(&tt, &cd, &P, true, 75, 10, 15, 1, 100, 0);
	ck_assert_int_eq(r.dir, 0);                 /* 11 < 15 */
	r = sp_tt_request(&tt, &cd, &P, true, 140, 10, 15, 1, 100, 0);
	ck_assert_int_eq(r.capacity, 20);
	/* [DOC] scale from zero: the minimum possible amount */
	r = sp_tt_request(&tt, &cd, &P, true, 500, 0, 0, 0, 100, 0);
	ck_assert_int_eq(r.dir, 1);
	ck_assert_int_eq(r.capacity, 1);
	/* AlarmHigh never scales in, AlarmLow never out */
	r = sp_tt_request(&tt, &cd, &P, true, 60, 10, 10, 1, 100, 0);
	ck_assert_int_eq(r.dir, 0);
	r = sp_tt_request(&tt, &cd, &P, false, 80, 10, 10, 1, 100, 0);
	ck_assert_int_eq(r.dir, 0);
	/* [DOC] DisableScaleIn */
	tt.disable_scale_in = true;
	r = sp_tt_request(&tt, &cd, &P, false, 10, 10, 10, 1, 100, 0);
	ck_assert_int_eq(r.dir, 0);
	ck_assert_int_eq(r.capacity, 10);
}
END_TEST

/* [DOC §1.1] desiredCount set outside [Min, Max]. */
START_TEST(test_boundaries)
{
	/* below Min: a scale-out lifts to Min (then the policy goes on) */
	ck_assert_int_eq(sp_bound(1, 2, 3, 5, 10), 5);
	ck_assert_int_eq(sp_bound(1, 2, 7, 5, 10), 7);
	ck_assert_int_eq(sp_bound(1, 2, 2, 5, 10), 5);
	/* below Min: a scale-in does nothing */
	ck_assert_int_eq(sp_bound(-1, 2, 1, 5, 10), 2);
	/* above Max: a scale-in lowers to Max and continues */
	ck_assert_int_eq(sp_bound(-1, 12, 11, 5, 10), 10);
	ck_assert_int_eq(sp_bound(-1, 12, 8, 5, 10), 8);
	/* above Max: a scale-out does nothing */
	ck_assert_int_eq(sp_bound(1, 12, 15, 5, 10), 12);
	/* inside: clamped */
	ck_assert_int_eq(sp_bound(1, 8, 15, 5, 10), 10);
	ck_assert_int_eq(sp_bound(-1, 8, 2, 5, 10), 5);
	ck_assert_int_eq(sp_bound(0, 8, 2, 5, 10), 8);

	/* through a TT policy: desired 2 below Min 5, AlarmHigh */
	sp_tt tt = {.target = 50};
	sp_cooldown cd;
	sp_cooldown_init(&cd);
	sp_request r = sp_tt_request(&tt, &cd, &P, true, 55, 2, 2, 5, 10, 0);
	ck_assert_int_eq(r.dir, 1);
	ck_assert_int_eq(r.capacity, 5);
	r = sp_tt_request(&tt, &cd, &P, false, 10, 2, 2, 5, 10, 0);
	ck_assert_int_eq(r.dir, 0);
	/* desired 12 above Max 10, AlarmLow */
	r = sp_tt_request(&tt, &cd, &P, false, 44, 12, 12, 5, 10, 0);
	ck_assert_int_eq(r.dir, -1);
	ck_assert_int_eq(r.capacity, 10);
	r = sp_tt_request(&tt, &cd, &P, true, 90, 12, 12, 5, 10, 0);
	ck_assert_int_eq(r.dir, 0);
}
END_TEST

/* ---- step scaling ---- */

START_TEST(test_percent_rounding)
{
	/* [DOC §2.1] > 1 rounds down, (0, 1) -> 1, (-1, 0) -> -1, < -1
	 * toward zero */
	ck_assert_int_eq(sp_percent_delta(127, 10, 0), 12);   /* 12.7 */
	ck_assert_int_eq(sp_percent_delta(5, 10, 0), 1);      /* 0.5 */
	ck_assert_int_eq(sp_percent_delta(10, 10, 0), 1);     /* 1.0 */
	ck_assert_int_eq(sp_percent_delta(5, -10, 0), -1);    /* -0.5 */
	ck_assert_int_eq(sp_percent_delta(667, -1, 0), -6);   /* -6.67 */
	ck_assert_int_eq(sp_percent_delta(13, -30, 0), -3);   /* -3.9 */
	ck_assert_int_eq(sp_percent_delta(10, 200, 0), 20);
	ck_assert_int_eq(sp_percent_delta(10, 0, 0), 0);
	/* [DOC] MinAdjustmentMagnitude: 25 % of 4 = 1, with 2 -> +2 */
	ck_assert_int_eq(sp_percent_delta(4, 25, 2), 2);
	ck_assert_int_eq(sp_percent_delta(4, -25, 2), -2);
	ck_assert_int_eq(sp_percent_delta(40, 25, 2), 10);
	ck_assert_int_eq(sp_percent_delta(0, 10, 2), 2);      /* [INF] */
	ck_assert_int_eq(sp_percent_delta(0, 10, 0), 0);
}
END_TEST

static const char out_policy[] =
    "{\"PolicyName\": \"out\", " HEAD ", \"PolicyType\": \"StepScaling\",\n"
    " \"StepScalingPolicyConfiguration\": {\"AdjustmentType\": "
    "\"PercentChangeInCapacity\", \"StepAdjustments\": [\n"
    "  {\"MetricIntervalLowerBound\": 0, \"MetricIntervalUpperBound\": 10,"
    " \"ScalingAdjustment\": 0},\n"
    "  {\"MetricIntervalLowerBound\": 10, \"MetricIntervalUpperBound\": 20,"
    " \"ScalingAdjustment\": 10},\n"
    "  {\"MetricIntervalLowerBound\": 20, \"ScalingAdjustment\": 30}]}}";
static const char in_policy[] =
    "{\"PolicyName\": \"in\", " HEAD ", \"PolicyType\": \"StepScaling\",\n"
    " \"StepScalingPolicyConfiguration\": {\"AdjustmentType\": "
    "\"PercentChangeInCapacity\", \"StepAdjustments\": [\n"
    "  {\"MetricIntervalLowerBound\": -10, \"MetricIntervalUpperBound\": 0,"
    " \"ScalingAdjustment\": 0},\n"
    "  {\"MetricIntervalLowerBound\": -20, \"MetricIntervalUpperBound\": -10,"
    " \"ScalingAdjustment\": -10},\n"
    "  {\"MetricIntervalLowerBound\": null, \"MetricIntervalUpperBound\": -20,"
    " \"ScalingAdjustment\": -30}]}}";

/* [DOC §2.1] the guide's worked example: threshold 50 %, capacity 10. */
START_TEST(test_step_worked_example)
{
	sp_policy out, in;
	jr_val v = load(out_policy);
	ck_assert_int_eq(sp_parse_policy(&v, &out, &err), 0);
	v = load(in_policy);
	ck_assert_int_eq(sp_parse_policy(&v, &in, &err), 0);
	ck_assert_int_eq(out.step.cooldown, 300 * SIM_SEC); /* [DOC] default */
	ck_assert_int_eq(out.step.aggregation, SP_AGG_AVERAGE);
	ck_assert(!in.step.steps[2].has_lower);

	sp_cooldown cd;
	sp_cooldown_init(&cd);
	int cap = 10;
	static const struct {
		double metric;
		bool scale_out;
		int step, capacity;
	} seq[] = {
		{60, true, 1, 11},  /* +10 % of 10 = 1 */
		{70, true, 2, 14},  /* +30 % of 11 = 3.3 -> 3 */
		{40, false, 1, 13}, /* -10 % of 14 = -1.4 -> -1 */
		{30, false, 2, 10}, /* -30 % of 13 = -3.9 -> -3 */
	};
	for (size_t i = 0; i < 4; i++) {
		const sp_stepcfg *s = seq[i].scale_out ? &out.step : &in.step;
		ck_assert_int_eq(sp_step_pick(s, 50, seq[i].metric), seq[i].step);
		sp_request r = sp_step_request(s, &cd, &P, 50, seq[i].metric, cap, cap,
		    0, 100, 0);
		ck_assert_int_eq(r.capacity, seq[i].capacity);
		ck_assert_int_eq(r.dir, seq[i].scale_out ? 1 : -1);
		cap = r.capacity;
	}
	/* the 0 % steps change nothing */
	sp_request r = sp_step_request(&out.step, &cd, &P, 50, 55, 10, 10, 0,
	    100, 0);
	ck_assert_int_eq(r.dir, 0);
	ck_assert_int_eq(r.capacity, 10);
}
END_TEST

/* [DOC] above the threshold lower bounds are inclusive and upper ones
 * exclusive; below it the reverse. */
START_TEST(test_step_bounds)
{
	sp_policy out, in;
	jr_val v = load(out_policy);
	ck_assert_int_eq(sp_parse_policy(&v, &out, &err), 0);
	v = load(in_policy);
	ck_assert_int_eq(sp_parse_policy(&v, &in, &err), 0);
	ck_assert_int_eq(sp_step_pick(&out.step, 50, 50), 0);
	ck_assert_int_eq(sp_step_pick(&out.step, 50, 59.999), 0);
	ck_assert_int_eq(sp_step_pick(&out.step, 50, 60), 1);
	ck_assert_int_eq(sp_step_pick(&out.step, 50, 70), 2);
	ck_assert_int_eq(sp_step_pick(&out.step, 50, 1e9), 2);
	ck_assert_int_eq(sp_step_pick(&out.step, 50, 49), -1);
	ck_assert_int_eq(sp_step_pick(&in.step, 50, 50), 0);
	ck_assert_int_eq(sp_step_pick(&in.step, 50, 40.001), 0);
	ck_assert_int_eq(sp_step_pick(&in.step, 50, 40), 1);
	ck_assert_int_eq(sp_step_pick(&in.step, 50, 30.001), 1);
	ck_assert_int_eq(sp_step_pick(&in.step, 50, 30), 2);
	ck_assert_int_eq(sp_step_pick(&in.step, 50, -1e9), 2);
	ck_assert_int_eq(sp_step_pick(&in.step, 50, 51), -1);

	/* ChangeInCapacity and ExactCapacity */
	sp_step st = {.adjustment = 3};
	sp_stepcfg s = {.type = SP_CHANGE_IN_CAPACITY, .steps = &st, .nsteps = 1};
	ck_assert_int_eq(sp_step_capacity(&s, &st, 10), 13);
	st.adjustment = -20;
	ck_assert_int_eq(sp_step_capacity(&s, &st, 10), 0);
	s.type = SP_EXACT_CAPACITY;
	st.adjustment = 7;
	ck_assert_int_eq(sp_step_capacity(&s, &st, 10), 7);

	/* MetricAggregationType over the alarm's datapoints */
	alarm_eval e = {.real = 3, .latest = 5, .average = 4, .minimum = 1,
	    .maximum = 9};
	s.aggregation = SP_AGG_AVERAGE;
	ck_assert_double_eq(sp_step_metric(&s, &e), 4);
	s.aggregation = SP_AGG_MINIMUM;
	ck_assert_double_eq(sp_step_metric(&s, &e), 1);
	s.aggregation = SP_AGG_MAXIMUM;
	ck_assert_double_eq(sp_step_metric(&s, &e), 9);
	ck_assert_double_eq(sp_tt_metric(&e, &P), 5); /* [UNCONFIRMED] latest */
	P.tt_source = SP_TT_AVERAGE;
	ck_assert_double_eq(sp_tt_metric(&e, &P), 4);
	P.tt_source = SP_TT_MAXIMUM;
	ck_assert_double_eq(sp_tt_metric(&e, &P), 9);
}
END_TEST

/* ---- cooldowns [DOC §1.6, §2.1] ---- */

START_TEST(test_step_cooldown)
{
	sp_step st[2] = {
		{.has_lower = true, .lower = 0, .has_upper = true, .upper = 20,
		    .adjustment = 2},
		{.has_lower = true, .lower = 20, .adjustment = 3},
	};
	sp_stepcfg s = {.type = SP_CHANGE_IN_CAPACITY, .steps = st, .nsteps = 2,
	    .cooldown = 300 * SIM_SEC};
	sp_cooldown cd;
	sp_cooldown_init(&cd);
	/* +2 at t = 0: 10 -> 12, cooldown starts */
	sp_request r = sp_step_request(&s, &cd, &P, 50, 60, 10, 10, 0, 100, 0);
	ck_assert_int_eq(r.capacity, 12);
	sp_cooldown_note(&cd, 0, 10, 12, s.cooldown, s.cooldown);
	ck_assert(sp_cooldown_out_active(&cd, 299 * SIM_SEC));
	ck_assert(!sp_cooldown_out_active(&cd, 300 * SIM_SEC));
	/* the same +2 step again inside the cooldown: nothing */
	r = sp_step_request(&s, &cd, &P, 50, 60, 12, 12, 0, 100, 60 * SIM_SEC);
	ck_assert_int_eq(r.dir, 0);
	/* [DOC] a +3 step inside the cooldown: only +1 */
	r = sp_step_request(&s, &cd, &P, 50, 80, 12, 12, 0, 100, 60 * SIM_SEC);
	ck_assert_int_eq(r.dir, 1);
	ck_assert_int_eq(r.capacity, 13);
	/* the same with the running count as the base (tasks starting) */
	r = sp_step_request(&s, &cd, &P, 50, 80, 10, 12, 0, 100, 60 * SIM_SEC);
	ck_assert_int_eq(r.capacity, 13);
	sp_cooldown_note(&cd, 60 * SIM_SEC, 12, 13, s.cooldown, s.cooldown);
	/* [INF] the chain keeps its base: +3 from 10 is reached already */
	r = sp_step_request(&s, &cd, &P, 50, 80, 13, 13, 0, 100, 120 * SIM_SEC);
	ck_assert_int_eq(r.dir, 0);
	/* [INF] restarted at 60 s: over at 360 s, then a full +3 */
	r = sp_step_request(&s, &cd, &P, 50, 80, 13, 13, 0, 100, 360 * SIM_SEC);
	ck_assert_int_eq(r.capacity, 16);

	/* [DOC §1.5] from the running count: running 10, desired 12 */
	sp_cooldown_init(&cd);
	r = sp_step_request(&s, &cd, &P, 50, 60, 10, 12, 0, 100, 0);
	ck_assert_int_eq(r.dir, 0);                 /* 10 + 2 is not above 12 */
	r = sp_step_request(&s, &cd, &P, 50, 80, 10, 12, 0, 100, 0);
	ck_assert_int_eq(r.capacity, 13);
	st[0].adjustment = -1;
	r = sp_step_request(&s, &cd, &P, 50, 60, 10, 12, 0, 100, 0);
	ck_assert_int_eq(r.dir, -1);                /* a scale-in step */
	ck_assert_int_eq(r.capacity, 9);
}
END_TEST

START_TEST(test_tt_cooldown)
{
	sp_tt tt = {.target = 50, .scale_out_cooldown = 300 * SIM_SEC,
	    .scale_in_cooldown = 300 * SIM_SEC};
	sp_cooldown cd;
	sp_cooldown_init(&cd);
	ck_assert(!sp_cooldown_out_active(&cd, 0));
	ck_assert(!sp_cooldown_in_active(&cd, 0));
	/* scale-out 10 -> 12 at 0 */
	sp_request r = sp_tt_request(&tt, &cd, &P, true, 60, 10, 10, 1, 100, 0);
	ck_assert_int_eq(r.capacity, 12);
	sp_cooldown_note(&cd, 0, 10, 12, tt.scale_out_cooldown,
	    tt.scale_in_cooldown);
	/* [DOC] inside the cooldown only a larger scale-out goes through */
	r = sp_tt_request(&tt, &cd, &P, true, 55, 10, 12, 1, 100, 60 * SIM_SEC);
	ck_assert_int_eq(r.dir, 0);                  /* 11 */
	r = sp_tt_request(&tt, &cd, &P, true, 70, 12, 12, 1, 100, 60 * SIM_SEC);
	ck_assert_int_eq(r.capacity, 17);            /* 16.8 */

	/* scale-in 20 -> 16 at 1000 s: scale-in blocked for 300 s */
	sp_cooldown_init(&cd);
	sp_cooldown_note(&cd, 1000 * SIM_SEC, 20, 16, tt.scale_out_cooldown,
	    tt.scale_in_cooldown);
	r = sp_tt_request(&tt, &cd, &P, false, 30, 16, 16, 1, 100,
	    1299 * SIM_SEC);
	ck_assert_int_eq(r.dir, 0);
	r = sp_tt_request(&tt, &cd, &P, false, 30, 16, 16, 1, 100,
	    1300 * SIM_SEC);
	ck_assert_int_eq(r.capacity, 10);
	/* [DOC] a scale-out during the scale-in cooldown goes through at
	 * once and ends that cooldown */
	r = sp_tt_request(&tt, &cd, &P, true, 60, 16, 16, 1, 100,
	    1100 * SIM_SEC);
	ck_assert_int_eq(r.capacity, 20);
	sp_cooldown_note(&cd, 1100 * SIM_SEC, 16, 20, tt.scale_out_cooldown,
	    tt.scale_in_cooldown);
	ck_assert(!sp_cooldown_in_active(&cd, 1100 * SIM_SEC));
	/* [UNCONFIRMED] the scale-out cooldown does not gate scale-in ... */
	r = sp_tt_request(&tt, &cd, &P, false, 30, 20, 20, 1, 100,
	    1160 * SIM_SEC);
	ck_assert_int_eq(r.capacity, 12);
	/* ... unless the parameter says so */
	P.out_cooldown_blocks_in = true;
	r = sp_tt_request(&tt, &cd, &P, false, 30, 20, 20, 1, 100,
	    1160 * SIM_SEC);
	ck_assert_int_eq(r.dir, 0);
	/* another policy's scale-out ends this one's scale-in cooldown */
	sp_cooldown_note(&cd, 2000 * SIM_SEC, 20, 15, 0, 300 * SIM_SEC);
	ck_assert(sp_cooldown_in_active(&cd, 2001 * SIM_SEC));
	sp_cooldown_end_in(&cd);
	ck_assert(!sp_cooldown_in_active(&cd, 2001 * SIM_SEC));
}
END_TEST

/* ---- several policies [DOC §1.8] ---- */

START_TEST(test_combine)
{
	int cap;
	/* [DOC] capacity 10, A +3, B +200 %: B wins with 30 */
	sp_step a = {.has_lower = true, .lower = 0, .adjustment = 3};
	sp_step b = {.has_lower = true, .lower = 0, .adjustment = 200};
	sp_stepcfg sa = {.type = SP_CHANGE_IN_CAPACITY, .steps = &a, .nsteps = 1};
	sp_stepcfg sb = {.type = SP_PERCENT_CHANGE_IN_CAPACITY, .steps = &b,
	    .nsteps = 1};
	sp_cooldown cd;
	sp_cooldown_init(&cd);
	sp_vote v[3] = {
		{SP_STEP_SCALING, false,
		    sp_step_request(&sa, &cd, &P, 50, 60, 10, 10, 0, 100, 0)},
		{SP_STEP_SCALING, false,
		    sp_step_request(&sb, &cd, &P, 50, 60, 10, 10, 0, 100, 0)},
	};
	ck_assert_int_eq(v[0].req.capacity, 13);
	ck_assert_int_eq(sp_combine(v, 2, NULL, 10, &cap), 1);
	ck_assert_int_eq(cap, 30);

	/* scale out if any policy asks, even if another wants in */
	v[0] = (sp_vote){SP_TARGET_TRACKING, false, {1, 12}};
	v[1] = (sp_vote){SP_TARGET_TRACKING, false, {-1, 8}};
	ck_assert_int_eq(sp_combine(v, 2, NULL, 10, &cap), 0);
	ck_assert_int_eq(cap, 12);
	/* TT scale-in only if every scale-in-enabled TT policy asks */
	v[0] = (sp_vote){SP_TARGET_TRACKING, false, {0, 10}};
	ck_assert_int_eq(sp_combine(v, 2, NULL, 10, &cap), -1);
	ck_assert_int_eq(cap, 10);
	v[0] = (sp_vote){SP_TARGET_TRACKING, false, {-1, 9}};
	ck_assert_int_eq(sp_combine(v, 2, NULL, 10, &cap), 0); /* largest */
	ck_assert_int_eq(cap, 9);
	/* a policy with DisableScaleIn does not hold the others back */
	v[0] = (sp_vote){SP_TARGET_TRACKING, true, {0, 10}};
	ck_assert_int_eq(sp_combine(v, 2, NULL, 10, &cap), 1);
	ck_assert_int_eq(cap, 8);
	/* [DOC] a step scale-in is not blocked by a TT policy */
	v[0] = (sp_vote){SP_TARGET_TRACKING, false, {0, 10}};
	v[2] = (sp_vote){SP_STEP_SCALING, false, {-1, 7}};
	ck_assert_int_eq(sp_combine(v, 3, NULL, 10, &cap), 2);
	ck_assert_int_eq(cap, 7);

	/* suspension and deployments */
	sp_gate g = {.deploying = true};
	v[0] = (sp_vote){SP_TARGET_TRACKING, false, {-1, 9}};
	ck_assert_int_eq(sp_combine(v, 3, &g, 10, &cap), -1);
	v[1] = (sp_vote){SP_STEP_SCALING, false, {1, 11}};
	ck_assert_int_eq(sp_combine(v, 3, &g, 10, &cap), 1);
	ck_assert_int_eq(cap, 11);
	g = (sp_gate){.out_suspended = true};
	ck_assert_int_eq(sp_combine(v, 3, &g, 10, &cap), 0);
	ck_assert_int_eq(cap, 9);
	g = (sp_gate){.out_suspended = true, .in_suspended = true};
	ck_assert_int_eq(sp_combine(v, 3, &g, 10, &cap), -1);
	ck_assert_int_eq(sp_combine(v, 0, NULL, 10, &cap), -1);
}
END_TEST

/* ---- parsers ---- */

START_TEST(test_parse_target)
{
	sp_target t;
	jr_val v = load("{" HEAD ", \"MinCapacity\": 2, \"MaxCapacity\": 20,"
	    " \"RoleARN\": \"arn:x\",\n \"SuspendedState\": "
	    "{\"DynamicScalingInSuspended\": true}}");
	ck_assert_int_eq(sp_parse_target(&v, &t, &err), 0);
	ck_assert_str_eq(t.resource_id, "service/prod/web");
	ck_assert_str_eq(t.cluster, "prod");
	ck_assert_str_eq(t.service, "web");
	ck_assert(t.has_min && t.has_max);
	ck_assert_int_eq(t.min, 2);
	ck_assert_int_eq(t.max, 20);
	ck_assert(t.has_suspended);
	ck_assert(t.suspended.dynamic_in);
	ck_assert(!t.suspended.dynamic_out);
	ck_assert(!t.suspended.scheduled);
	v = load("{" HEAD ", \"MaxCapacity\": 0}");
	ck_assert_int_eq(sp_parse_target(&v, &t, &err), 0);
	ck_assert(!t.has_min);
	ck_assert(t.has_max);
	ck_assert(!t.has_suspended);

	static const bad_case bad[] = {
		{"{\"ServiceNamespace\": @\"dynamodb\", \"ResourceId\": \"x\"}",
		    "ServiceNamespace", "expected one of \"ecs\", got \"dynamodb\""},
		{"{\"ServiceNamespace\": \"ecs\",\n \"ResourceId\": @\"service/web\"}",
		    "ResourceId",
		    "expected \"service/<cluster>/<service>\", got \"service/web\""},
		{"{\"ServiceNamespace\": \"ecs\", \"ResourceId\": "
		    "@\"service/a/b/c\"}", "ResourceId",
		    "expected \"service/<cluster>/<service>\", got \"service/a/b/c\""},
		{"{\"ServiceNamespace\": \"ecs\", \"ResourceId\": "
		    "\"service/a/b\",\n \"ScalableDimension\": "
		    "@\"ecs:service:Desiredcount\"}", "ScalableDimension",
		    "expected one of \"ecs:service:DesiredCount\", got "
		    "\"ecs:service:Desiredcount\"; did you mean "
		    "\"ecs:service:DesiredCount\"?"},
		{"{" HEAD ", \"MinCapacity\": 5,\n \"MaxCapacity\": @2}",
		    "MaxCapacity", "MaxCapacity (2) must be >= MinCapacity (5)"},
		{"{" HEAD ", \"MinCapacity\": @-1}", "MinCapacity",
		    "expected an integer in [0, 2147483647], got -1"},
		{"@{\"ResourceId\": \"service/a/b\"}", "",
		    "missing required key 'ServiceNamespace'"},
		{"{" HEAD ", \"SuspendedState\": {@\"ScalingSuspended\": true}}",
		    "SuspendedState", "unknown key 'ScalingSuspended'"},
		{"{" HEAD ",\n @\"MinCapcity\": 1}", "",
		    "unknown key 'MinCapcity'; did you mean 'MinCapacity'?"},
	};
	check_bad(bad, sizeof(bad) / sizeof(bad[0]), parse_target, &t);
}
END_TEST

START_TEST(test_parse_tt_policy)
{
	sp_policy p;
	jr_val v = load("{\"PolicyName\": \"cpu70\", " HEAD ",\n"
	    " \"PolicyType\": \"TargetTrackingScaling\", \"PolicyARN\": \"arn:x\","
	    " \"Alarms\": [],\n \"TargetTrackingScalingPolicyConfiguration\": {"
	    "\"TargetValue\": 70.0, \"PredefinedMetricSpecification\": "
	    "{\"PredefinedMetricType\": \"ECSServiceAverageCPUUtilization\"}}}");
	ck_assert_int_eq(sp_parse_policy(&v, &p, &err), 0);
	ck_assert_str_eq(p.name, "cpu70");
	ck_assert_str_eq(p.service, "web");
	ck_assert_int_eq(p.type, SP_TARGET_TRACKING);
	ck_assert_double_eq(p.tt.target, 70);
	ck_assert_int_eq(p.tt.metric, SP_METRIC_CPU);
	ck_assert_ptr_null(p.tt.resource_label);
	/* [DOC] ECS defaults: 300 s cooldowns, scale-in enabled */
	ck_assert_int_eq(p.tt.scale_out_cooldown, 300 * SIM_SEC);
	ck_assert_int_eq(p.tt.scale_in_cooldown, 300 * SIM_SEC);
	ck_assert(!p.tt.disable_scale_in);
	ck_assert(!sp_metric_hires(p.tt.metric));
	ck_assert_int_eq(p.pos.line, 1);

	v = load("{\"PolicyName\": \"alb\", " HEAD ",\n"
	    " \"PolicyType\": \"TargetTrackingScaling\",\n"
	    " \"TargetTrackingScalingPolicyConfiguration\": {"
	    "\"TargetValue\": 1000, \"ScaleOutCooldown\": 60, \"ScaleInCooldown\": 0,"
	    " \"DisableScaleIn\": true, \"PredefinedMetricSpecification\": "
	    "{\"PredefinedMetricType\": \"ALBRequestCountPerTarget\", "
	    "\"ResourceLabel\": \"app/my-alb/778d41231b141a0f/targetgroup/"
	    "my-tg/943f017f100becff\"}}}");
	ck_assert_int_eq(sp_parse_policy(&v, &p, &err), 0);
	ck_assert_int_eq(p.tt.metric, SP_METRIC_ALB_REQUESTS);
	ck_assert_str_eq(p.tt.resource_label,
	    "app/my-alb/778d41231b141a0f/targetgroup/my-tg/943f017f100becff");
	ck_assert_int_eq(p.tt.scale_out_cooldown, 60 * SIM_SEC);
	ck_assert_int_eq(p.tt.scale_in_cooldown, 0);
	ck_assert(p.tt.disable_scale_in);

	v = load("{\"PolicyName\": \"hr\", " HEAD ",\n"
	    " \"PolicyType\": \"TargetTrackingScaling\",\n"
	    " \"TargetTrackingScalingPolicyConfiguration\": {"
	    "\"TargetValue\": 60, \"PredefinedMetricSpecification\": "
	    "{\"PredefinedMetricType\": "
	    "\"ECSServiceAverageMemoryUtilizationHighResolution\"}}}");
	ck_assert_int_eq(sp_parse_policy(&v, &p, &err), 0);
	ck_assert_int_eq(p.tt.metric, SP_METRIC_MEMORY_HIRES);
	ck_assert(sp_metric_hires(p.tt.metric));
	ck_assert_str_eq(sp_metric_name(p.tt.metric),
	    "ECSServiceAverageMemoryUtilizationHighResolution");
	ck_assert_str_eq(sp_policy_type_name(SP_STEP_SCALING), "StepScaling");
	ck_assert_str_eq(sp_adjustment_name(SP_EXACT_CAPACITY), "ExactCapacity");

#define TT(body) "{\"PolicyName\": \"p\", " HEAD \
	", \"PolicyType\": \"TargetTrackingScaling\",\n" \
	" \"TargetTrackingScalingPolicyConfiguration\": " body "}"
#define CPU "\"PredefinedMetricSpecification\": {\"PredefinedMetricType\": " \
	"\"ECSServiceAverageCPUUtilization\"}"
	static const bad_case bad[] = {
		{TT("{\"TargetValue\": @0, " CPU "}"),
		    "TargetTrackingScalingPolicyConfiguration.TargetValue",
		    "TargetValue must be in [8.515920e-109, 1.174271e+108] and greater than 0, got 0"},
		{TT("{\"TargetValue\": 50, \"PredefinedMetricSpecification\": "
		    "@{\"PredefinedMetricType\": \"ALBRequestCountPerTarget\"}}"),
		    "TargetTrackingScalingPolicyConfiguration."
		    "PredefinedMetricSpecification",
		    "missing required key 'ResourceLabel' (required for "
		    "PredefinedMetricType \"ALBRequestCountPerTarget\")"},
		{TT("{\"TargetValue\": 50, \"PredefinedMetricSpecification\": "
		    "{\"PredefinedMetricType\": \"ECSServiceAverageCPUUtilization\","
		    " \"ResourceLabel\": @\"app/a/1/targetgroup/t/2\"}}"),
		    "TargetTrackingScalingPolicyConfiguration."
		    "PredefinedMetricSpecification.ResourceLabel",
		    "ResourceLabel is only valid with PredefinedMetricType "
		    "\"ALBRequestCountPerTarget\""},
		{TT("{\"TargetValue\": 50, \"PredefinedMetricSpecification\": "
		    "{\"PredefinedMetricType\": \"ALBRequestCountPerTarget\","
		    " \"ResourceLabel\": @\"my-tg\"}}"),
		    "TargetTrackingScalingPolicyConfiguration."
		    "PredefinedMetricSpecification.ResourceLabel",
		    "expected \"app/<load-balancer-name>/<id>/targetgroup/"
		    "<target-group-name>/<id>\", got \"my-tg\""},
		{TT("{\"TargetValue\": 50, \"PredefinedMetricSpecification\": "
		    "{\"PredefinedMetricType\": @\"ECSServiceAverageCPU\"}}"),
		    "TargetTrackingScalingPolicyConfiguration."
		    "PredefinedMetricSpecification.PredefinedMetricType",
		    "expected one of \"ECSServiceAverageCPUUtilization\", "
		    "\"ECSServiceAverageMemoryUtilization\", "
		    "\"ALBRequestCountPerTarget\", "
		    "\"ECSServiceAverageCPUUtilizationHighResolution\", "
		    "\"ECSServiceAverageMemoryUtilizationHighResolution\", got "
		    "\"ECSServiceAverageCPU\""},
		{TT("{\"TargetValue\": 50, \"CustomizedMetricSpecification\": "
		    "@{}}"),
		    "TargetTrackingScalingPolicyConfiguration."
		    "CustomizedMetricSpecification",
		    "CustomizedMetricSpecification is not supported by ecsim; use "
		    "PredefinedMetricSpecification"},
		{TT("@{\"TargetValue\": 50}"),
		    "TargetTrackingScalingPolicyConfiguration",
		    "missing required key 'PredefinedMetricSpecification'"},
		{TT("{\"TargetValue\": 50, " CPU ", \"ScaleInCooldown\": @-1}"),
		    "TargetTrackingScalingPolicyConfiguration.ScaleInCooldown",
		    "expected an integer in [0, 2147483647], got -1"},
		{TT("{\"TargetValue\": 50, " CPU ", @\"ScaleInCoolDown\": 60}"),
		    "TargetTrackingScalingPolicyConfiguration",
		    "unknown key 'ScaleInCoolDown'; did you mean 'ScaleInCooldown'?"},
		{"@{\"PolicyName\": \"p\", " HEAD
		    ", \"PolicyType\": \"TargetTrackingScaling\"}", "",
		    "missing required key 'TargetTrackingScalingPolicyConfiguration' "
		    "(PolicyType is \"TargetTrackingScaling\")"},
		{"{\"PolicyName\": \"p\", " HEAD
		    ", \"PolicyType\": \"TargetTrackingScaling\",\n"
		    " \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": "
		    "50, " CPU "},\n \"StepScalingPolicyConfiguration\": @{}}",
		    "StepScalingPolicyConfiguration",
		    "StepScalingPolicyConfiguration is not allowed with PolicyType "
		    "\"TargetTrackingScaling\""},
		{"{\"PolicyName\": \"p\", " HEAD
		    ", \"PolicyType\": @\"PredictiveScaling\"}", "PolicyType",
		    "PolicyType \"PredictiveScaling\" is not supported by ecsim"},
		{"{\"PolicyName\": @\"\", " HEAD "}", "PolicyName",
		    "expected 1 to 256 characters, got 0"},
		{"@{\"PolicyName\": \"p\", " HEAD "}", "",
		    "missing required key 'PolicyType'"},
	};
	check_bad(bad, sizeof(bad) / sizeof(bad[0]), parse_policy, &p);
}
END_TEST

#define STEP(type, steps, rest) "{\"PolicyName\": \"p\", " HEAD \
	", \"PolicyType\": \"StepScaling\",\n" \
	" \"StepScalingPolicyConfiguration\": {\"AdjustmentType\": \"" type \
	"\",\n \"StepAdjustments\": [" steps "]" rest "}}"
#define SA(lo, hi, adj) "{\"MetricIntervalLowerBound\": " lo \
	", \"MetricIntervalUpperBound\": " hi ", \"ScalingAdjustment\": " adj "}"

START_TEST(test_parse_step_policy)
{
	sp_policy p;
	jr_val v = load(STEP("ChangeInCapacity",
	    "{\"ScalingAdjustment\": 1, \"MetricIntervalLowerBound\": 0}",
	    ", \"Cooldown\": 120, \"MetricAggregationType\": \"Maximum\""));
	ck_assert_int_eq(sp_parse_policy(&v, &p, &err), 0);
	ck_assert_int_eq(p.type, SP_STEP_SCALING);
	ck_assert_int_eq(p.step.type, SP_CHANGE_IN_CAPACITY);
	ck_assert_int_eq(p.step.nsteps, 1);
	ck_assert(p.step.steps[0].has_lower);
	ck_assert(!p.step.steps[0].has_upper);
	ck_assert_int_eq(p.step.cooldown, 120 * SIM_SEC);
	ck_assert_int_eq(p.step.aggregation, SP_AGG_MAXIMUM);
	ck_assert_int_eq(p.step.min_magnitude, 0);
	v = load(STEP("PercentChangeInCapacity",
	    "{\"ScalingAdjustment\": 25, \"MetricIntervalLowerBound\": 0}",
	    ", \"MinAdjustmentMagnitude\": 2"));
	ck_assert_int_eq(sp_parse_policy(&v, &p, &err), 0);
	ck_assert_int_eq(p.step.min_magnitude, 2);
	/* 20 steps: the limit */
	char text[8192];
	int len = snprintf(text, sizeof(text), "{\"PolicyName\": \"p\", " HEAD
	    ", \"PolicyType\": \"StepScaling\", \"StepScalingPolicyConfiguration\": "
	    "{\"AdjustmentType\": \"ChangeInCapacity\", \"StepAdjustments\": [");
	for (int i = 0; i < 20; i++) {
		len += snprintf(text + len, sizeof(text) - (size_t)len,
		    "%s{\"MetricIntervalLowerBound\": %d, ", i ? ", " : "", i * 10);
		if (i < 19)
			len += snprintf(text + len, sizeof(text) - (size_t)len,
			    "\"MetricIntervalUpperBound\": %d, ", (i + 1) * 10);
		len += snprintf(text + len, sizeof(text) - (size_t)len,
		    "\"ScalingAdjustment\": 1}");
	}
	snprintf(text + len, sizeof(text) - (size_t)len, "]}}");
	v = load(text);
	ck_assert_msg(sp_parse_policy(&v, &p, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(p.step.nsteps, 20);

	static const bad_case bad[] = {
		{STEP("ChangeInCapacity", SA("0", "10", "1") ", "
		    "@" SA("5", "null", "2"), ""),
		    "StepScalingPolicyConfiguration.StepAdjustments[1]",
		    "interval [5, +inf] overlaps StepAdjustments[0] [0, 10]"},
		{STEP("ChangeInCapacity", "@" SA("10", "null", "2") ", "
		    SA("0", "5", "1"), ""),
		    "StepScalingPolicyConfiguration.StepAdjustments[0]",
		    "gap between 5 (upper bound of StepAdjustments[1]) and 10 "
		    "(lower bound of this one)"},
		{STEP("ChangeInCapacity", SA("null", "0", "-1") ", "
		    "@" SA("null", "-10", "-2"), ""),
		    "StepScalingPolicyConfiguration.StepAdjustments[1]",
		    "only one step adjustment may have a null "
		    "MetricIntervalLowerBound (StepAdjustments[0] has one)"},
		{STEP("ChangeInCapacity", SA("0", "null", "1") ", "
		    "@" SA("10", "null", "2"), ""),
		    "StepScalingPolicyConfiguration.StepAdjustments[1]",
		    "only one step adjustment may have a null "
		    "MetricIntervalUpperBound (StepAdjustments[0] has one)"},
		{STEP("ChangeInCapacity", "@" SA("10", "10", "1"), ""),
		    "StepScalingPolicyConfiguration.StepAdjustments[0]",
		    "MetricIntervalUpperBound (10) must be greater than "
		    "MetricIntervalLowerBound (10)"},
		{STEP("ExactCapacity", "@" SA("0", "null", "-1"), ""),
		    "StepScalingPolicyConfiguration.StepAdjustments[0]",
		    "ScalingAdjustment must be >= 0 with ExactCapacity, got -1"},
		{"{\"PolicyName\": \"p\", " HEAD ", \"PolicyType\": \"StepScaling\",\n"
		    " \"StepScalingPolicyConfiguration\": {\"AdjustmentType\": "
		    "\"ChangeInCapacity\", \"StepAdjustments\": @[]}}",
		    "StepScalingPolicyConfiguration.StepAdjustments",
		    "expected 1 to 20 step adjustments, got 0"},
		{STEP("ChangeInCapacity", SA("0", "null", "1"),
		    ", \"MinAdjustmentMagnitude\": @2"),
		    "StepScalingPolicyConfiguration.MinAdjustmentMagnitude",
		    "MinAdjustmentMagnitude is only valid with AdjustmentType "
		    "\"PercentChangeInCapacity\""},
		{STEP("ChangeInCapacity", "@{\"MetricIntervalLowerBound\": 0}", ""),
		    "StepScalingPolicyConfiguration.StepAdjustments[0]",
		    "missing required key 'ScalingAdjustment'"},
		{STEP("ChangeInCapacity", SA("0", "null", "1"),
		    ", \"MetricAggregationType\": @\"Sum\""),
		    "StepScalingPolicyConfiguration.MetricAggregationType",
		    "expected one of \"Average\", \"Minimum\", \"Maximum\", got \"Sum\""},
		{"{\"PolicyName\": \"p\", " HEAD ", \"PolicyType\": \"StepScaling\",\n"
		    " \"StepScalingPolicyConfiguration\": @{\"StepAdjustments\": []}}",
		    "StepScalingPolicyConfiguration",
		    "missing required key 'AdjustmentType'"},
		{"@{\"PolicyName\": \"p\", " HEAD ", \"PolicyType\": \"StepScaling\"}",
		    "", "missing required key 'StepScalingPolicyConfiguration' "
		    "(PolicyType is \"StepScaling\")"},
	};
	check_bad(bad, sizeof(bad) / sizeof(bad[0]), parse_policy, &p);

	/* 21 steps */
	char big[8192], *o = big;
	o += sprintf(o, "{\"PolicyName\": \"p\", " HEAD ", \"PolicyType\": "
	    "\"StepScaling\", \"StepScalingPolicyConfiguration\": "
	    "{\"AdjustmentType\": \"ChangeInCapacity\", \"StepAdjustments\": @[");
	for (int i = 0; i < 21; i++)
		o += sprintf(o, "%s" SA("%d", "%d", "1"), i ? ", " : "", i, i + 1);
	strcpy(o, "]}}");
	bad_case too_many = {big,
	    "StepScalingPolicyConfiguration.StepAdjustments",
	    "expected 1 to 20 step adjustments, got 21"};
	check_bad(&too_many, 1, parse_policy, &p);
}
END_TEST

START_TEST(test_steps_check)
{
	sp_step s[3] = {
		{.has_lower = true, .lower = 0, .has_upper = true, .upper = 10},
		{.has_lower = true, .lower = 10, .has_upper = true, .upper = 20},
		{.has_lower = true, .lower = 20},
	};
	int bad = -1;
	char why[256];
	ck_assert_int_eq(sp_steps_check(s, 3, SP_CHANGE_IN_CAPACITY, &bad, why,
	    sizeof(why)), 0);
	s[1].lower = 11;
	ck_assert_int_eq(sp_steps_check(s, 3, SP_CHANGE_IN_CAPACITY, &bad, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(bad, 1);
	ck_assert_str_eq(why, "gap between 10 (upper bound of StepAdjustments[0])"
	    " and 11 (lower bound of this one)");
	s[1].lower = 10;
	s[1].upper = 25;
	ck_assert_int_eq(sp_steps_check(s, 3, SP_CHANGE_IN_CAPACITY, &bad, why,
	    sizeof(why)), -1);
	ck_assert_int_eq(bad, 2);
	ck_assert_str_eq(why,
	    "interval [20, +inf] overlaps StepAdjustments[1] [10, 25]");
}
END_TEST

/* ---- schedules [DOC §2.2] ---- */

START_TEST(test_unix_time)
{
	ck_assert_int_eq(sp_unix_time(1970, 1, 1, 0, 0, 0), 0);
	ck_assert_int_eq(sp_unix_time(2026, 1, 1, 0, 0, 0), SP_DEFAULT_EPOCH);
	ck_assert_int_eq(sp_unix_time(2000, 3, 1, 0, 0, 0), 951868800);
	ck_assert_int_eq(sp_unix_time(2028, 2, 29, 12, 30, 15),
	    INT64_C(1835440215));
}
END_TEST

static sp_schedule
sched(const char *text)
{
	sp_schedule s;
	char why[256];
	ck_assert_msg(sp_schedule_parse(text, &s, why, sizeof(why)) == 0,
	    "%s: %s", text, why);
	return s;
}

/* Next fire after `after`, as seconds of sim time (-1: never). */
static int64_t
next_s(const sp_schedule *s, sim_time created, int64_t after_s)
{
	sim_time t;
	if (!sp_schedule_next(s, &P, created, after_s * SIM_SEC, &t))
		return -1;
	return t / SIM_SEC;
}

START_TEST(test_schedule_at_rate)
{
	/* sim time 0 = 2026-01-01T00:00:00Z [INF] */
	sp_schedule s = sched("at(2026-01-01T08:30:00)");
	ck_assert_int_eq(s.kind, SP_SCHED_AT);
	ck_assert_int_eq(next_s(&s, 0, -1), 8 * 3600 + 1800);
	ck_assert_int_eq(next_s(&s, 0, 8 * 3600 + 1799), 8 * 3600 + 1800);
	ck_assert_int_eq(next_s(&s, 0, 8 * 3600 + 1800), -1); /* once */
	s = sched("at(2025-12-31T23:00:00)");                  /* before start */
	ck_assert_int_eq(next_s(&s, 0, -1), -1);
	P.epoch = sp_unix_time(2025, 12, 31, 0, 0, 0);          /* moved epoch */
	ck_assert_int_eq(next_s(&s, 0, -1), 23 * 3600);
	sp_params_default(&P);

	/* rate(): one interval after the put time, then every interval */
	s = sched("rate(5 minutes)");
	ck_assert_int_eq(s.kind, SP_SCHED_RATE);
	ck_assert_int_eq(s.rate, 5 * SIM_MIN);
	ck_assert_int_eq(next_s(&s, 0, -1), 300);
	ck_assert_int_eq(next_s(&s, 0, 300), 600);
	ck_assert_int_eq(next_s(&s, 0, 301), 600);
	ck_assert_int_eq(next_s(&s, 100 * SIM_SEC, 99), 400);
	ck_assert_int_eq(next_s(&s, 100 * SIM_SEC, 400), 700);
	ck_assert_int_eq(sched("rate(1 minute)").rate, SIM_MIN);
	ck_assert_int_eq(sched("rate(2 hours)").rate, 2 * SIM_HOUR);
	ck_assert_int_eq(sched("rate(1 day)").rate, SIM_DAY);
	ck_assert_int_eq(sched("rate(3 days)").rate, 3 * SIM_DAY);
	/* with StartTime / EndTime */
	s = sched("rate(1 hour)");
	s.has_start = true;
	s.start = SP_DEFAULT_EPOCH + 1800;
	s.has_end = true;
	s.end = SP_DEFAULT_EPOCH + 3 * 3600;
	ck_assert_int_eq(next_s(&s, 0, -1), 1800 + 3600);
	ck_assert_int_eq(next_s(&s, 0, 5400), 1800 + 7200);
	ck_assert_int_eq(next_s(&s, 0, 9000), -1);              /* past end */
}
END_TEST

START_TEST(test_schedule_cron)
{
	/* 2026-01-01 is a Thursday */
	sp_schedule s = sched("cron(0 9 ? * MON-FRI *)");
	ck_assert_int_eq(s.kind, SP_SCHED_CRON);
	ck_assert_int_eq(next_s(&s, 0, -1), 9 * 3600);          /* Thu 09:00 */
	ck_assert_int_eq(next_s(&s, 0, 9 * 3600), 33 * 3600);   /* Fri */
	ck_assert_int_eq(next_s(&s, 0, 33 * 3600), (4 * 24 + 9) * 3600); /* Mon */
	s = sched("cron(0 9 ? * 2-6 *)");                        /* same, numbers */
	ck_assert_int_eq(next_s(&s, 0, 33 * 3600), (4 * 24 + 9) * 3600);
	s = sched("cron(30 18 ? * SUN *)");                      /* 1 = Sunday */
	ck_assert_int_eq(next_s(&s, 0, 0), (3 * 24 + 18) * 3600 + 1800);
	ck_assert_int_eq(sched("cron(30 18 ? * 1 *)").cron.dows,
	    s.cron.dows);
	s = sched("cron(*/15 * * * ? *)");
	ck_assert_int_eq(next_s(&s, 0, -1), 0);
	ck_assert_int_eq(next_s(&s, 0, 0), 900);
	ck_assert_int_eq(next_s(&s, 0, 901), 1800);
	s = sched("cron(15 12 * * ? *)");                        /* AWS example */
	ck_assert_int_eq(next_s(&s, 0, 0), 12 * 3600 + 900);
	ck_assert_int_eq(next_s(&s, 0, 12 * 3600 + 900), 36 * 3600 + 900);
	s = sched("cron(0 0 1 * ? *)");                          /* monthly */
	ck_assert_int_eq(next_s(&s, 0, 0), 31 * 86400);
	s = sched("cron(0 0 29 FEB ? *)");                        /* leap day */
	ck_assert_int_eq(next_s(&s, 0, 0),
	    sp_unix_time(2028, 2, 29, 0, 0, 0) - SP_DEFAULT_EPOCH);
	s = sched("cron(0 6,18 ? * * 2027)");
	ck_assert_int_eq(next_s(&s, 0, 0),
	    sp_unix_time(2027, 1, 1, 6, 0, 0) - SP_DEFAULT_EPOCH);
	s = sched("cron(0 0 31 2 ? *)");                          /* never */
	ck_assert_int_eq(next_s(&s, 0, 0), -1);
	s = sched("cron(5/20 8-10 1,15 jan-mar ? 2026-2030)");
	ck_assert_int_eq(next_s(&s, 0, 0), 8 * 3600 + 300);
	ck_assert_int_eq(next_s(&s, 0, 8 * 3600 + 300), 8 * 3600 + 1500);
	ck_assert_int_eq(next_s(&s, 0, 10 * 3600 + 2700), 14 * 86400 + 8 * 3600 + 300);
	/* within StartTime and EndTime */
	s = sched("cron(0 * * * ? *)");
	s.has_start = true;
	s.start = SP_DEFAULT_EPOCH + 86400;
	s.has_end = true;
	s.end = SP_DEFAULT_EPOCH + 86400 + 7200;
	ck_assert_int_eq(next_s(&s, 0, 0), 86400);
	ck_assert_int_eq(next_s(&s, 0, 86400 + 3600), 86400 + 7200);
	ck_assert_int_eq(next_s(&s, 0, 86400 + 7200), -1);
}
END_TEST

START_TEST(test_schedule_errors)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{"every(5 minutes)",
		    "expected at(...), rate(...) or cron(...), got \"every(5 minutes)\""},
		{"rate(5 minutes", "expected at(...), rate(...) or cron(...), got "
		    "\"rate(5 minutes\""},
		{"rate(0 minutes)", "rate() value must be at least 1"},
		{"rate(5 weeks)", "expected rate(<value> <unit>) with unit minute, "
		    "minutes, hour, hours, day or days, got \"rate(5 weeks)\""},
		{"rate(-5 minutes)", "expected rate(<value> <unit>) with unit minute, "
		    "minutes, hour, hours, day or days, got \"rate(-5 minutes)\""},
		{"at(2026-02-30T00:00:00)", "expected at(yyyy-mm-ddThh:mm:ss) with a "
		    "valid UTC date and time, got \"at(2026-02-30T00:00:00)\""},
		{"at(2026-01-01 00:00:00)", "expected at(yyyy-mm-ddThh:mm:ss) with a "
		    "valid UTC date and time, got \"at(2026-01-01 00:00:00)\""},
		{"cron(0 9 * * *)", "cron() needs 6 fields (minutes hours "
		    "day-of-month month day-of-week year), got 5"},
		{"cron(0 9 * * * * *)", "cron() needs 6 fields (minutes hours "
		    "day-of-month month day-of-week year), got more than 6"},
		{"cron(0 9 * * MON *)",
		    "exactly one of day-of-month and day-of-week must be '?'"},
		{"cron(0 9 ? * ? *)",
		    "exactly one of day-of-month and day-of-week must be '?'"},
		{"cron(0 9 L * ? *)", "'L' in the day-of-month field is not "
		    "supported by ecsim (use numbers, names, '*', '?', ranges, lists "
		    "and steps)"},
		{"cron(0 9 ? * 6#3 *)", "'#' in the day-of-week field is not "
		    "supported by ecsim (use numbers, names, '*', '?', ranges, lists "
		    "and steps)"},
		{"cron(60 9 * * ? *)",
		    "minutes value out of range [0, 59] in \"60\""},
		{"cron(0 9 * * ? 2200)",
		    "year value out of range [1970, 2199] in \"2200\""},
		{"cron(0 ? * * ? *)", "'?' is only allowed in the day-of-month and "
		    "day-of-week fields, not in the hours field"},
		{"cron(0 9-5 * * ? *)",
		    "range 9-5 in the hours field goes backwards"},
		{"cron(*/0 * * * ? *)", "step 0 in the minutes field"},
		{"cron(0 9 * FOO ? *)", "invalid month field \"FOO\""},
		{"cron(0 9,,10 * * ? *)", "invalid hours field \"9,,10\""},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sp_schedule s;
		char why[256];
		ck_assert_msg(sp_schedule_parse(bad[i].text, &s, why,
		    sizeof(why)) == -1, "accepted %s", bad[i].text);
		ck_assert_str_eq(why, bad[i].why);
	}
}
END_TEST

#define ACTION(rest) "{\"ScheduledActionName\": \"morning\", " HEAD rest "}"

START_TEST(test_parse_action)
{
	sp_sched_action a;
	jr_val v = load(ACTION(", \"Schedule\": \"cron(0 8 ? * MON-FRI *)\","
	    " \"Timezone\": \"UTC\",\n \"StartTime\": \"2026-01-02T00:00:00Z\","
	    " \"EndTime\": 1800000000,\n \"ScalableTargetAction\": "
	    "{\"MinCapacity\": 5}"));
	ck_assert_int_eq(sp_parse_scheduled_action(&v, &a, &err), 0);
	ck_assert_str_eq(a.name, "morning");
	ck_assert_str_eq(a.cluster, "prod");
	ck_assert_str_eq(a.expression, "cron(0 8 ? * MON-FRI *)");
	ck_assert_int_eq(a.schedule.kind, SP_SCHED_CRON);
	ck_assert(a.schedule.has_start);
	ck_assert_int_eq(a.schedule.start, SP_DEFAULT_EPOCH + 86400);
	ck_assert(a.schedule.has_end);
	ck_assert_int_eq(a.schedule.end, 1800000000);
	ck_assert(a.has_min);
	ck_assert(!a.has_max);
	ck_assert_int_eq(a.min, 5);
	/* first fire: Friday 2026-01-02 08:00 (after StartTime) */
	sim_time t;
	ck_assert(sp_schedule_next(&a.schedule, &P, 0, -1, &t));
	ck_assert_int_eq(t, (24 + 8) * SIM_HOUR);

	static const bad_case bad[] = {
		{ACTION(", \"Schedule\": \"rate(1 hour)\", \"Timezone\": "
		    "@\"Europe/Paris\", \"ScalableTargetAction\": {\"MinCapacity\": 1}"),
		    "Timezone", "Timezone \"Europe/Paris\" is not supported: ecsim "
		    "evaluates schedules in UTC only (use \"UTC\" or omit Timezone)"},
		{ACTION(", \"Schedule\": @\"rate(1 weeks)\", "
		    "\"ScalableTargetAction\": {\"MinCapacity\": 1}"), "Schedule",
		    "expected rate(<value> <unit>) with unit minute, minutes, hour, "
		    "hours, day or days, got \"rate(1 weeks)\""},
		{ACTION(", \"Schedule\": \"rate(1 hour)\", "
		    "\"ScalableTargetAction\": @{}"), "ScalableTargetAction",
		    "ScalableTargetAction must set MinCapacity or MaxCapacity"},
		{ACTION(", \"Schedule\": \"rate(1 hour)\", "
		    "\"ScalableTargetAction\": {\"MinCapacity\": 4, "
		    "\"MaxCapacity\": @3}"), "ScalableTargetAction.MaxCapacity",
		    "MaxCapacity (3) must be >= MinCapacity (4)"},
		{ACTION(", \"Schedule\": \"rate(1 hour)\", \"StartTime\": "
		    "@\"tomorrow\", \"ScalableTargetAction\": {\"MinCapacity\": 1}"),
		    "StartTime", "expected a UTC date-time \"yyyy-mm-ddThh:mm:ss\" "
		    "(optionally ending in Z), got \"tomorrow\""},
		{ACTION(", \"Schedule\": \"rate(1 hour)\", \"StartTime\": "
		    "\"2026-01-02T00:00:00\",\n \"EndTime\": @\"2026-01-01T00:00:00\","
		    " \"ScalableTargetAction\": {\"MinCapacity\": 1}"),
		    "EndTime", "EndTime must be after StartTime"},
		{"{\"ScheduledActionName\": @\"a/b\", " HEAD "}",
		    "ScheduledActionName", "ScheduledActionName must not contain ':', "
		    "'/', '|' or control characters, nor start or end with a space"},
		{"@{\"ScheduledActionName\": \"a\", " HEAD
		    ", \"ScalableTargetAction\": {\"MinCapacity\": 1}}", "",
		    "missing required key 'Schedule'"},
	};
	check_bad(bad, sizeof(bad) / sizeof(bad[0]), parse_action, &a);
}
END_TEST

START_TEST(test_scheduled_apply)
{
	sp_sched_action a = {.has_min = true, .min = 5};
	int min = 1, max = 10;
	/* [DOC] below the new Min: scale out to it */
	ck_assert_int_eq(sp_scheduled_apply(&a, &min, &max, 3), 5);
	ck_assert_int_eq(min, 5);
	ck_assert_int_eq(max, 10);
	ck_assert_int_eq(sp_scheduled_apply(&a, &min, &max, 7), 7);
	/* [DOC] above the new Max: scale in to it */
	a = (sp_sched_action){.has_max = true, .max = 4};
	min = 1;
	max = 10;
	ck_assert_int_eq(sp_scheduled_apply(&a, &min, &max, 8), 4);
	ck_assert_int_eq(max, 4);
	/* [INF] the bound it does not name follows */
	a = (sp_sched_action){.has_min = true, .min = 12};
	min = 1;
	max = 10;
	ck_assert_int_eq(sp_scheduled_apply(&a, &min, &max, 8), 12);
	ck_assert_int_eq(max, 12);
	a = (sp_sched_action){.has_max = true, .max = 0};
	ck_assert_int_eq(sp_scheduled_apply(&a, &min, &max, 8), 0);
	ck_assert_int_eq(min, 0);
	a = (sp_sched_action){.has_min = true, .min = 2, .has_max = true,
	    .max = 6};
	ck_assert_int_eq(sp_scheduled_apply(&a, &min, &max, 8), 6);
	ck_assert_int_eq(min, 2);
	ck_assert_int_eq(max, 6);
}
END_TEST

START_TEST(test_assume)
{
	recorder *r = rec_new();
	sp_assume(r);
	/* values are parameters (as_params); these are choices of method */
	for (size_t i = 0; i < rec_assumption_count(r); i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		ck_assert_str_eq(tag, "MODEL");
		ck_assert(strcmp(name, "schedule.epoch") != 0);
		ck_assert(strcmp(name, "targetTracking.metricValue") != 0);
	}
	ck_assert_uint_eq(rec_assumption_count(r), 3);
	rec_free(r);
}
END_TEST

Suite *
scaling_policy_suite(void)
{
	Suite *s = suite_create("scaling_policy");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tt_capacity);
	tcase_add_test(tc, test_tt_request);
	tcase_add_test(tc, test_boundaries);
	tcase_add_test(tc, test_percent_rounding);
	tcase_add_test(tc, test_step_worked_example);
	tcase_add_test(tc, test_step_bounds);
	tcase_add_test(tc, test_step_cooldown);
	tcase_add_test(tc, test_tt_cooldown);
	tcase_add_test(tc, test_combine);
	tcase_add_test(tc, test_parse_target);
	tcase_add_test(tc, test_parse_tt_policy);
	tcase_add_test(tc, test_parse_step_policy);
	tcase_add_test(tc, test_steps_check);
	tcase_add_test(tc, test_unix_time);
	tcase_add_test(tc, test_schedule_at_rate);
	tcase_add_test(tc, test_schedule_cron);
	tcase_add_test(tc, test_schedule_errors);
	tcase_add_test(tc, test_parse_action);
	tcase_add_test(tc, test_scheduled_apply);
	tcase_add_test(tc, test_assume);
	suite_add_tcase(s, tc);
	return s;
}
