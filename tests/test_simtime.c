/*
 * Durations: every accepted form, every malformed form with its reason,
 * and printing.
 */
#include <string.h>

#include "sim/simtime.h"
#include "tests/suites.h"

static sim_time
parse_ok(const char *s)
{
	sim_time t = -1;
	char why[128] = "";
	ck_assert_msg(simtime_parse(s, &t, why, sizeof(why)) == 0,
	    "\"%s\" rejected: %s", s, why);
	return t;
}

static void
parse_bad(const char *s, const char *reason_part)
{
	sim_time t = 12345;
	char why[200] = "";
	ck_assert_msg(simtime_parse(s, &t, why, sizeof(why)) == -1,
	    "\"%s\" accepted", s);
	ck_assert_msg(strstr(why, reason_part) != NULL,
	    "\"%s\": reason \"%s\" lacks \"%s\"", s, why, reason_part);
	ck_assert_int_eq(t, 12345); /* untouched on failure */
}

START_TEST(test_parse_forms)
{
	ck_assert_int_eq(parse_ok("90s"), 90 * SIM_SEC);
	ck_assert_int_eq(parse_ok("5m"), 5 * SIM_MIN);
	ck_assert_int_eq(parse_ok("1h30m"), 90 * SIM_MIN);
	ck_assert_int_eq(parse_ok("2d"), 2 * SIM_DAY);
	ck_assert_int_eq(parse_ok("250ms"), 250 * SIM_MS);
	ck_assert_int_eq(parse_ok("1d2h3m4s5ms"),
	    SIM_DAY + 2 * SIM_HOUR + 3 * SIM_MIN + 4 * SIM_SEC + 5 * SIM_MS);
	ck_assert_int_eq(parse_ok("0s"), 0);
	ck_assert_int_eq(parse_ok("3660d"), SIM_DURATION_MAX);
}
END_TEST

START_TEST(test_parse_malformed)
{
	parse_bad("", "empty duration");
	parse_bad("30", "missing unit after 30");
	parse_bad("5x", "unknown unit \"x\"");
	parse_bad("5min", "unknown unit \"min\"");
	parse_bad("-5s", "negative duration");
	parse_bad("1.5h", "fractional component");
	parse_bad("30m1h", "units out of order");
	parse_bad("1m1m", "units out of order or repeated");
	parse_bad("1h 30m", "space in duration");
	parse_bad("h", "expected a number");
	parse_bad("3661d", "too long");
	parse_bad("99999999999999999999s", "too long");
}
END_TEST

START_TEST(test_from_seconds)
{
	sim_time t;
	ck_assert_int_eq(simtime_from_seconds(30, &t), 0);
	ck_assert_int_eq(t, 30 * SIM_SEC);
	ck_assert_int_eq(simtime_from_seconds(0.0000015, &t), 0);
	ck_assert_int_eq(t, 2); /* rounds to nearest microsecond */
	ck_assert_int_eq(simtime_from_seconds(-1, &t), -1);
	ck_assert_int_eq(simtime_from_seconds(1e300, &t), -1);
}
END_TEST

START_TEST(test_format)
{
	char b[64];
	ck_assert_str_eq(simtime_format(0, b, sizeof(b)), "0s");
	ck_assert_str_eq(simtime_format(90 * SIM_SEC, b, sizeof(b)), "1m30s");
	ck_assert_str_eq(simtime_format(90 * SIM_MIN, b, sizeof(b)), "1h30m");
	ck_assert_str_eq(simtime_format(2 * SIM_DAY + 3 * SIM_HOUR, b, sizeof(b)), "2d3h");
	ck_assert_str_eq(simtime_format(250 * SIM_MS, b, sizeof(b)), "250ms");
	ck_assert_str_eq(simtime_format(12500 * SIM_MS, b, sizeof(b)), "12.5s");
	ck_assert_str_eq(simtime_format(-5 * SIM_SEC, b, sizeof(b)), "-5s");
	ck_assert_str_eq(simtime_clock(3723 * SIM_SEC, b, sizeof(b)), "01:02:03");
	ck_assert_str_eq(simtime_clock(SIM_DAY + 61 * SIM_SEC + 5 * SIM_MS, b, sizeof(b)),
	    "1d+00:01:01.005");
	/* round trip through the parser for whole-unit values */
	sim_time vals[] = {SIM_SEC, 59 * SIM_SEC, SIM_HOUR + SIM_SEC, 3 * SIM_DAY + 7 * SIM_MIN};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		simtime_format(vals[i], b, sizeof(b));
		ck_assert_int_eq(parse_ok(b), vals[i]);
	}
}
END_TEST

Suite *
simtime_suite(void)
{
	Suite *s = suite_create("simtime");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse_forms);
	tcase_add_test(tc, test_parse_malformed);
	tcase_add_test(tc, test_from_seconds);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	return s;
}
