/*
 * Tests for alarm: the CloudWatch guide's two missing-data tables row by
 * row and treatment by treatment, the premature-transition examples, the
 * alarms AAS and ECS create (with the observed numbers), the values an
 * evaluation hands to scaling policies, and PutMetricAlarm input errors
 * with their exact message and position.
 */
#include <math.h>
#include <string.h>

#include "model/autoscaling/alarm.h"
#include "sim/recorder.h"
#include "tests/suites.h"

static arena *A;
static jr_loader *L;
static sim_error err;

static void
setup(void)
{
	A = arena_new();
	L = jr_loader_new(A);
	sim_error_clear(&err);
}

static void
teardown(void)
{
	jr_loader_free(L);
	arena_free(A);
}

#define CHECK_ERR(rc, line_, col_, path_, msg_) do { \
	ck_assert_int_eq((rc), SIM_EINPUT); \
	ck_assert_str_eq(err.file, "t.json"); \
	ck_assert_int_eq(err.line, (line_)); \
	ck_assert_int_eq(err.col, (col_)); \
	ck_assert_str_eq(err.path, (path_)); \
	ck_assert_str_eq(err.msg, (msg_)); \
} while (0)

/* An alarm "value > 50" with N, M, treatment. */
static alarm *
make(int n, int m, alarm_missing tm)
{
	alarm_config c;
	alarm_config_init(&c);
	c.evaluation_periods = n;
	c.datapoints_to_alarm = m;
	c.threshold = 50;
	c.treat_missing = tm;
	return alarm_new(&c);
}

/* Feed "0 - X" (oldest first; 0 = 10, X = 90, - = missing) into periods
 * first.., evaluate at the last one. */
static alarm_state
feed(alarm *a, int64_t first, const char *pts, alarm_eval *ev)
{
	int64_t k = first;
	for (const char *p = pts; *p != '\0'; p++) {
		if (*p == ' ')
			continue;
		if (*p == '-')
			alarm_put_missing(a, k);
		else
			alarm_put(a, k, *p == 'X' ? 90 : 10);
		k++;
	}
	alarm_evaluate(a, k - 1, ev);
	return ev->state;
}

/* Put a into state s (through real data in periods 0..2). */
static void
prime(alarm *a, alarm_state s)
{
	alarm_eval ev;
	if (s == ALARM_INSUFFICIENT_DATA)
		return;
	feed(a, 0, s == ALARM_ALARM ? "X X X" : "0 0 0", &ev);
	ck_assert_int_eq(ev.state, s);
}

/* ---- the guide's tables ---- */

/* Columns: missing, ignore, breaching, notBreaching. O = OK, A = ALARM,
 * I = INSUFFICIENT_DATA, R = retain the current state. */
static const alarm_missing columns[4] = {
	ALARM_MISSING_MISSING, ALARM_MISSING_IGNORE, ALARM_MISSING_BREACHING,
	ALARM_MISSING_NOT_BREACHING,
};

static const struct {
	int n, m;
	const char *points;
	const char *expect; /* one letter per column */
	int filled;         /* the table's "# that must be filled" */
} table[] = {
	/* first table: 3 of 3, evaluation range 5 */
	{3, 3, "0 - X - X", "OOOO", 0},
	{3, 3, "0 - - - -", "OOOO", 2},
	{3, 3, "- - - - -", "IRAO", 3},
	{3, 3, "0 X X - X", "AAAA", 0},
	{3, 3, "- - X - -", "ARAO", 2},
	/* second table: 2 of 3 */
	{3, 2, "0 - X - X", "AAAA", 0},
	{3, 2, "0 0 X 0 X", "AAAA", 0},
	{3, 2, "0 - X - -", "OOAO", 1},
	{3, 2, "- - - - 0", "OOAO", 2},
	{3, 2, "- - - X -", "ARAO", 2},
};

static alarm_state
letter_state(char c, alarm_state current)
{
	switch (c) {
	case 'O':
		return ALARM_OK;
	case 'A':
		return ALARM_ALARM;
	case 'I':
		return ALARM_INSUFFICIENT_DATA;
	default:
		return current;
	}
}

START_TEST(test_guide_tables)
{
	static const alarm_state primes[3] = {
		ALARM_INSUFFICIENT_DATA, ALARM_OK, ALARM_ALARM,
	};
	for (int col = 0; col < 4; col++)
		for (int p = 0; p < 3; p++) {
			alarm *a = make(table[_i].n, table[_i].m, columns[col]);
			alarm_eval ev;
			prime(a, primes[p]);
			alarm_state got = feed(a, 10, table[_i].points, &ev);
			alarm_state want = letter_state(table[_i].expect[col],
			    primes[p]);
			ck_assert_msg(got == want,
			    "row \"%s\" %d of %d, %s, from %s: got %s, want %s",
			    table[_i].points, table[_i].m, table[_i].n,
			    alarm_missing_name(columns[col]),
			    alarm_state_name(primes[p]), alarm_state_name(got),
			    alarm_state_name(want));
			ck_assert_int_eq(ev.filled, table[_i].filled);
			ck_assert_int_eq(ev.prev, primes[p]);
			ck_assert(ev.changed == (got != primes[p]));
			alarm_free(a);
		}
}
END_TEST

/* [DOC] "- - - - X" and "- - - X -" do not go to ALARM at once (3 of 3,
 * missing): the state is kept [INF]. */
START_TEST(test_premature)
{
	static const char *const rows[] = {"- - - - X", "- - - X -", "- - - X X"};
	for (int i = 0; i < 3; i++) {
		alarm_eval ev;
		alarm *a = make(3, 3, ALARM_MISSING_MISSING);
		ck_assert_int_eq(feed(a, 10, rows[i], &ev), ALARM_INSUFFICIENT_DATA);
		alarm_free(a);
		a = make(3, 3, ALARM_MISSING_MISSING);
		prime(a, ALARM_OK);
		ck_assert_int_eq(feed(a, 10, rows[i], &ev), ALARM_OK);
		alarm_free(a);
	}
}
END_TEST

START_TEST(test_new_alarm)
{
	alarm_config c;
	alarm_config_init(&c);
	ck_assert_int_eq(c.period, 60 * SIM_SEC);
	ck_assert_int_eq(c.treat_missing, ALARM_MISSING_MISSING);
	ck_assert_int_eq(c.extra_range, 2);
	alarm *a = alarm_new(&c);
	ck_assert_int_eq(alarm_get_state(a), ALARM_INSUFFICIENT_DATA);
	ck_assert_int_eq(alarm_period_of(a, 119 * SIM_SEC), 1);
	ck_assert_int_eq(alarm_period_of(a, 120 * SIM_SEC), 2);
	ck_assert_str_eq(alarm_state_name(ALARM_INSUFFICIENT_DATA),
	    "INSUFFICIENT_DATA");
	ck_assert_str_eq(alarm_state_name(ALARM_OK), "OK");
	ck_assert_str_eq(alarm_state_name(ALARM_ALARM), "ALARM");
	ck_assert_str_eq(alarm_cmp_name(ALARM_LE), "LessThanOrEqualToThreshold");
	ck_assert_str_eq(alarm_stat_name(ALARM_STAT_SAMPLE_COUNT), "SampleCount");
	alarm_free(a);
	alarm_free(NULL);
}
END_TEST

START_TEST(test_comparisons)
{
	alarm_config c;
	alarm_config_init(&c);
	c.threshold = 70;
	c.cmp = ALARM_GT;
	ck_assert(!alarm_breaches(&c, 70));
	ck_assert(alarm_breaches(&c, 70.01));
	c.cmp = ALARM_GE;
	ck_assert(alarm_breaches(&c, 70));
	ck_assert(!alarm_breaches(&c, 69.99));
	c.cmp = ALARM_LT;
	ck_assert(!alarm_breaches(&c, 70));
	ck_assert(alarm_breaches(&c, 69.99));
	c.cmp = ALARM_LE;
	ck_assert(alarm_breaches(&c, 70));
	ck_assert(!alarm_breaches(&c, 70.01));
}
END_TEST

START_TEST(test_config_check)
{
	static const int ok[] = {10, 20, 30, 60, 120, 300, 3600, 86400};
	static const struct {
		int period, n, m;
		const char *why;
	} bad[] = {
		{45, 1, 1,
		    "Period must be 10, 20, 30 or a multiple of 60 seconds, got 45s"},
		{90, 1, 1,
		    "Period must be 10, 20, 30 or a multiple of 60 seconds, got 1m30s"},
		{0, 1, 1,
		    "Period must be 10, 20, 30 or a multiple of 60 seconds, got 0s"},
		{60, 0, 1, "EvaluationPeriods must be at least 1, got 0"},
		{60, 3, 4,
		    "DatapointsToAlarm must be in [1, EvaluationPeriods = 3], got 4"},
		{60, 3, 0,
		    "DatapointsToAlarm must be in [1, EvaluationPeriods = 3], got 0"},
		{86400, 8, 1,
		    "EvaluationPeriods x Period must be at most 7 days, got 8 x 86400 s"},
	};
	alarm_config c;
	char why[256];
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		alarm_config_init(&c);
		c.period = ok[i] * SIM_SEC;
		ck_assert_int_eq(alarm_config_check(&c, why, sizeof(why)), 0);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		alarm_config_init(&c);
		c.period = bad[i].period * SIM_SEC;
		c.evaluation_periods = bad[i].n;
		c.datapoints_to_alarm = bad[i].m;
		ck_assert_int_eq(alarm_config_check(&c, why, sizeof(why)), -1);
		ck_assert_str_eq(why, bad[i].why);
	}
}
END_TEST

/* A 3-of-3 alarm fed every minute: ALARM on the third breaching minute,
 * OK on the first good one. */
START_TEST(test_consecutive)
{
	alarm *a = make(3, 3, ALARM_MISSING_MISSING);
	alarm_eval ev;
	static const double v[] = {60, 61, 62, 40, 70};
	static const alarm_state want[] = {
		ALARM_INSUFFICIENT_DATA, ALARM_INSUFFICIENT_DATA, ALARM_ALARM,
		ALARM_OK, ALARM_OK,
	};
	for (int k = 0; k < 5; k++) {
		ck_assert(alarm_put(a, k, v[k]));
		alarm_evaluate(a, k, &ev);
		ck_assert_int_eq(ev.state, want[k]);
	}
	/* the metric stops: the last real datapoints are re-evaluated */
	alarm_evaluate(a, 5, &ev);
	ck_assert_int_eq(ev.real, 3);
	ck_assert_int_eq(ev.state, ALARM_OK);
	alarm_evaluate(a, 9, &ev); /* range 5..9: nothing left */
	ck_assert_int_eq(ev.real, 0);
	ck_assert_int_eq(ev.state, ALARM_INSUFFICIENT_DATA);
	ck_assert(ev.changed);
	alarm_free(a);
}
END_TEST

/* The first real datapoint below the threshold sets OK at once. */
START_TEST(test_first_ok)
{
	alarm *a = make(15, 15, ALARM_MISSING_MISSING);
	alarm_eval ev;
	alarm_put(a, 0, 10);
	alarm_evaluate(a, 0, &ev);
	ck_assert_int_eq(ev.state, ALARM_OK);
	ck_assert(ev.changed);
	alarm_free(a);
}
END_TEST

START_TEST(test_values)
{
	alarm *a = make(3, 3, ALARM_MISSING_MISSING);
	alarm_eval ev;
	alarm_put(a, 0, 100); /* older than the 3 most recent real ones */
	alarm_put(a, 1, 80);
	alarm_put_missing(a, 2);
	alarm_put(a, 3, 60);
	alarm_put(a, 4, 70);
	alarm_evaluate(a, 4, &ev);
	ck_assert_int_eq(ev.real, 3);
	ck_assert_int_eq(ev.filled, 0);
	ck_assert_int_eq(ev.breaching, 3);
	ck_assert_int_eq(ev.state, ALARM_ALARM);
	ck_assert_double_eq(ev.latest, 70);
	ck_assert_double_eq(ev.average, 70);
	ck_assert_double_eq(ev.minimum, 60);
	ck_assert_double_eq(ev.maximum, 80);
	/* replacing a period's datapoint */
	ck_assert(alarm_put(a, 4, 10));
	alarm_evaluate(a, 4, &ev);
	ck_assert_double_eq(ev.latest, 10);
	ck_assert_int_eq(ev.state, ALARM_OK);
	/* too old to matter any more: dropped */
	ck_assert(alarm_put(a, 9, 55));
	ck_assert(!alarm_put(a, 4, 1));
	ck_assert(alarm_put(a, 5, 1));
	alarm_free(a);
}
END_TEST

/* ---- the alarms the services create ---- */

START_TEST(test_tt_alarms)
{
	alarm_tt_params p;
	alarm_config hi, lo;
	alarm_tt_params_default(&p);
	ck_assert_int_eq(p.period, 60 * SIM_SEC);
	ck_assert_int_eq(p.high_periods, 3);
	ck_assert_int_eq(p.high_datapoints, 3);
	ck_assert_int_eq(p.low_periods, 15);
	ck_assert_int_eq(p.low_datapoints, 15);
	ck_assert_double_eq(p.low_factor, 0.9);
	ck_assert_int_eq(p.hires_period, 20 * SIM_SEC);

	/* [OBS] target 70: AlarmHigh > 70 3 of 3; AlarmLow < 63 15 of 15 */
	alarm_tt_configs(&p, 70, false, &hi, &lo);
	ck_assert_int_eq(hi.cmp, ALARM_GT);
	ck_assert_double_eq(hi.threshold, 70);
	ck_assert_int_eq(hi.period, 60 * SIM_SEC);
	ck_assert_int_eq(hi.evaluation_periods, 3);
	ck_assert_int_eq(hi.datapoints_to_alarm, 3);
	ck_assert_int_eq(hi.statistic, ALARM_STAT_AVERAGE);
	ck_assert_int_eq(hi.treat_missing, ALARM_MISSING_MISSING);
	ck_assert_int_eq(lo.cmp, ALARM_LT);
	ck_assert_double_eq_tol(lo.threshold, 63, 1e-9);
	ck_assert_int_eq(lo.period, 60 * SIM_SEC);
	ck_assert_int_eq(lo.evaluation_periods, 15);
	ck_assert_int_eq(lo.datapoints_to_alarm, 15);
	ck_assert_int_eq(lo.treat_missing, ALARM_MISSING_MISSING);
	/* [AWS-STAFF] workshop: target 30 -> > 30 and < 27 */
	alarm_tt_configs(&p, 30, false, &hi, &lo);
	ck_assert_double_eq(hi.threshold, 30);
	ck_assert_double_eq_tol(lo.threshold, 27, 1e-9);
	/* high resolution metric types */
	alarm_tt_configs(&p, 50, true, &hi, &lo);
	ck_assert_int_eq(hi.period, 20 * SIM_SEC);
	ck_assert_int_eq(lo.period, 20 * SIM_SEC);
	/* named parameters are honoured */
	p.low_factor = 0.8;
	p.high_periods = 2;
	p.high_datapoints = 2;
	alarm_tt_configs(&p, 50, false, &hi, &lo);
	ck_assert_double_eq_tol(lo.threshold, 40, 1e-9);
	ck_assert_int_eq(hi.evaluation_periods, 2);
	char why[128];
	ck_assert_int_eq(alarm_config_check(&hi, why, sizeof(why)), 0);
	ck_assert_int_eq(alarm_config_check(&lo, why, sizeof(why)), 0);
}
END_TEST

START_TEST(test_cp_alarms)
{
	alarm_cp_params p;
	alarm_config hi, lo;
	alarm_cp_params_default(&p);
	alarm_cp_configs(&p, 100, &hi, &lo);
	/* [AWS-STAFF] CPR > 100 for 1 of 1 minute; CPR < 100 for 15 of 15 */
	ck_assert_int_eq(hi.cmp, ALARM_GT);
	ck_assert_double_eq(hi.threshold, 100);
	ck_assert_int_eq(hi.period, 60 * SIM_SEC);
	ck_assert_int_eq(hi.evaluation_periods, 1);
	ck_assert_int_eq(hi.datapoints_to_alarm, 1);
	ck_assert_int_eq(lo.cmp, ALARM_LT);
	ck_assert_double_eq(lo.threshold, 100);
	ck_assert_int_eq(lo.evaluation_periods, 15);
	ck_assert_int_eq(lo.datapoints_to_alarm, 15);
	ck_assert_str_eq(hi.metric_name, "CapacityProviderReservation");
	ck_assert_str_eq(hi.ns, "AWS/ECS/ManagedScaling");
	alarm_cp_configs(&p, 90, &hi, &lo);
	ck_assert_double_eq(hi.threshold, 90);
	ck_assert_double_eq(lo.threshold, 90);

	/* one datapoint at 200 (scale from zero) fires the high alarm */
	alarm_cp_configs(&p, 100, &hi, &lo);
	alarm *a = alarm_new(&hi);
	alarm_eval ev;
	alarm_put(a, 0, 200);
	alarm_evaluate(a, 0, &ev);
	ck_assert_int_eq(ev.state, ALARM_ALARM);
	alarm_put(a, 1, 100); /* exactly at target: not > target */
	alarm_evaluate(a, 1, &ev);
	ck_assert_int_eq(ev.state, ALARM_OK);
	alarm_free(a);
}
END_TEST


/* ---- PutMetricAlarm ---- */

static jr_val
load(const char *text)
{
	jr_val root;
	int rc = jr_load_text(L, "t.json", text, &root, &err);
	ck_assert_msg(rc == 0, "unexpected error: %s", err.msg);
	return root;
}

START_TEST(test_parse)
{
	jr_val v = load(
	    "{\"AlarmName\": \"web-cpu-high\", \"MetricName\": \"CPUUtilization\",\n"
	    " \"Namespace\": \"AWS/ECS\", \"Statistic\": \"Maximum\",\n"
	    " \"Dimensions\": [{\"Name\": \"ClusterName\", \"Value\": \"prod\"},\n"
	    "                {\"Name\": \"ServiceName\", \"Value\": \"web\"}],\n"
	    " \"Period\": 60, \"EvaluationPeriods\": 5, \"Threshold\": 80,\n"
	    " \"ComparisonOperator\": \"GreaterThanOrEqualToThreshold\",\n"
	    " \"AlarmActions\": [\"arn:aws:autoscaling:us-east-1:123456789012:"
	    "scalingPolicy:1a2b:resource/ecs/service/prod/web:policyName/web-out\"],\n"
	    " \"Unit\": \"Percent\", \"AlarmDescription\": \"x\", \"Tags\": []}");
	alarm_config c;
	ck_assert_int_eq(alarm_parse(&v, &c, &err), 0);
	ck_assert_str_eq(c.name, "web-cpu-high");
	ck_assert_str_eq(c.metric_name, "CPUUtilization");
	ck_assert_str_eq(c.ns, "AWS/ECS");
	ck_assert_int_eq(c.statistic, ALARM_STAT_MAXIMUM);
	ck_assert_int_eq(c.ndims, 2);
	ck_assert_str_eq(c.dims[1].name, "ServiceName");
	ck_assert_str_eq(c.dims[1].value, "web");
	ck_assert_int_eq(c.period, 60 * SIM_SEC);
	ck_assert_int_eq(c.evaluation_periods, 5);
	ck_assert_int_eq(c.datapoints_to_alarm, 5); /* [DOC] defaults to N */
	ck_assert_int_eq(c.cmp, ALARM_GE);
	ck_assert_double_eq(c.threshold, 80);
	ck_assert_int_eq(c.treat_missing, ALARM_MISSING_MISSING);
	ck_assert_int_eq(c.nalarm_actions, 1);
	ck_assert_str_eq(alarm_action_policy_name(c.alarm_actions[0]), "web-out");
	ck_assert_int_eq(c.pos.line, 1);
	ck_assert_int_eq(c.pos.col, 1);
	char why[128];
	ck_assert_int_eq(alarm_config_check(&c, why, sizeof(why)), 0);

	v = load("{\"AlarmName\": \"a\", \"MetricName\": \"m\", \"Namespace\": \"n\","
	    " \"Statistic\": \"Average\", \"Period\": 10, \"EvaluationPeriods\": 3,"
	    " \"DatapointsToAlarm\": 2, \"Threshold\": -1.5,"
	    " \"ComparisonOperator\": \"LessThanThreshold\","
	    " \"TreatMissingData\": \"notBreaching\"}");
	ck_assert_int_eq(alarm_parse(&v, &c, &err), 0);
	ck_assert_int_eq(c.period, 10 * SIM_SEC);
	ck_assert_int_eq(c.datapoints_to_alarm, 2);
	ck_assert_double_eq(c.threshold, -1.5);
	ck_assert_int_eq(c.treat_missing, ALARM_MISSING_NOT_BREACHING);
	ck_assert_ptr_null(alarm_action_policy_name("arn:aws:sns:x"));
	ck_assert_ptr_null(alarm_action_policy_name("x:policyName/"));
}
END_TEST

#define BASE "\"AlarmName\": \"a\", \"MetricName\": \"m\", \"Namespace\": \"n\", " \
	"\"Statistic\": \"Average\", \"Threshold\": 1, " \
	"\"ComparisonOperator\": \"GreaterThanThreshold\""

START_TEST(test_parse_errors)
{
	static const struct {
		const char *text;
		int line, col;
		const char *path, *msg;
	} cases[] = {
		{"{" BASE ",\n \"Period\": 45, \"EvaluationPeriods\": 1}", 2, 12,
		    "Period", "expected 10, 20, 30 or a multiple of 60, got 45"},
		{"{" BASE ", \"Period\": 60,\n \"EvaluationPeriods\": 3,"
		    " \"DatapointsToAlarm\": 4}", 2, 47, "DatapointsToAlarm",
		    "DatapointsToAlarm (4) must not exceed EvaluationPeriods (3)"},
		{"{" BASE ", \"Period\": 60, \"EvaluationPeriods\": 0}", 1, 178,
		    "EvaluationPeriods",
		    "expected an integer in [1, 100000], got 0"},
		{"{" BASE ", \"Period\": 86400,\n \"EvaluationPeriods\": 8}", 1, 153,
		    "Period",
		    "EvaluationPeriods x Period must be at most 7 days, got 8 x 86400 s"},
		{"{" BASE ", \"Period\": 60, \"EvaluationPeriods\": 1,\n"
		    " \"TreatMissingData\": \"Missing\"}", 2, 22, "TreatMissingData",
		    "expected one of \"missing\", \"notBreaching\", \"breaching\", "
		    "\"ignore\", got \"Missing\"; did you mean \"missing\"?"},
		{"{" BASE ", \"Period\": 60, \"EvaluationPeriods\": 1,\n"
		    " \"Treshold\": 2}", 2, 2, "",
		    "unknown key 'Treshold'; did you mean 'Threshold'?"},
		{"{" BASE ", \"Period\": 60, \"EvaluationPeriods\": 1,\n"
		    " \"ExtendedStatistic\": \"p99\"}", 2, 2, "",
		    "unknown key 'ExtendedStatistic'"},
		{"{\"AlarmName\": \"a\", \"MetricName\": \"m\", \"Namespace\": \"n\",\n"
		    " \"Statistic\": \"Average\", \"Period\": 60, \"EvaluationPeriods\": 1,"
		    " \"ComparisonOperator\": \"GreaterThanThreshold\"}", 1, 1, "",
		    "missing required key 'Threshold'"},
		{"{" BASE ", \"Period\": 60, \"EvaluationPeriods\": 1,\n"
		    " \"Dimensions\": [{\"Name\": \"ClusterName\"}]}", 2, 17,
		    "Dimensions[0]", "missing required key 'Value'"},
		{"{\"AlarmName\": \"a\", \"MetricName\": \"m\", \"Namespace\": \"n\",\n"
		    " \"Statistic\": \"Average\", \"Period\": 60, \"EvaluationPeriods\": 1,"
		    " \"Threshold\": 1,\n \"ComparisonOperator\": "
		    "\"LessThanLowerOrGreaterThanUpperThreshold\"}", 3, 24,
		    "ComparisonOperator",
		    "expected one of \"GreaterThanThreshold\", "
		    "\"GreaterThanOrEqualToThreshold\", \"LessThanThreshold\", "
		    "\"LessThanOrEqualToThreshold\", got "
		    "\"LessThanLowerOrGreaterThanUpperThreshold\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		jr_val v = load(cases[i].text);
		alarm_config c;
		sim_error_clear(&err);
		CHECK_ERR(alarm_parse(&v, &c, &err), cases[i].line, cases[i].col,
		    cases[i].path, cases[i].msg);
	}
}
END_TEST

Suite *
alarm_suite(void)
{
	Suite *s = suite_create("alarm");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_guide_tables, 0,
	    (int)(sizeof(table) / sizeof(table[0])));
	tcase_add_test(tc, test_premature);
	tcase_add_test(tc, test_new_alarm);
	tcase_add_test(tc, test_comparisons);
	tcase_add_test(tc, test_config_check);
	tcase_add_test(tc, test_consecutive);
	tcase_add_test(tc, test_first_ok);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_tt_alarms);
	tcase_add_test(tc, test_cp_alarms);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_parse_errors);
	suite_add_tcase(s, tc);
	return s;
}
