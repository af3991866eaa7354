/*
 * What a long run records, decided before it starts: the default
 * sampleInterval by duration (1 minute up to a day, 5 minutes up to a
 * week, 1 hour beyond), listed among the assumptions when it applies; and
 * the refusal of a run whose timeline would not fit --max-memory, naming
 * the estimate and the setting to change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli.h"
#include "tests/suites.h"

/* One service on one instance, duration dur, sampleInterval si (NULL:
 * none). */
static char *
scenario_file(const char *dur, const char *si)
{
	char *path = strdup("/tmp/ecsim-test-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f,
	    "{\"duration\": \"%s\",%s%s%s\n"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{\"type\": \"m5.large\", \"count\": 1}]}],\n"
	    " \"taskDefinitions\": [{\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"app\","
	    " \"image\": \"web:1\", \"cpu\": 256, \"memory\": 256}]}],\n"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"web\", \"desiredCount\": 1}]}\n",
	    dur, si ? " \"sampleInterval\": \"" : "", si ? si : "", si ? "\"," : "");
	fclose(f);
	return path;
}

static int
run(const char *dur, const char *si, const cli_run_opts *o, cli_result *res,
    sim_error *err)
{
	char *path = scenario_file(dur, si);
	sim_error_clear(err);
	int rc = cli_run_scenario(path, o, res, err);
	unlink(path);
	free(path);
	return rc;
}

/* The sampleInterval in force, in seconds; *listed: the assumption. */
static long
interval_of(const cli_result *res, const char **listed)
{
	*listed = NULL;
	for (size_t i = 0; i < rec_assumption_count(res->rec); i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(res->rec, i, &name, &value, &tag, &note);
		if (strcmp(name, "sampleInterval") == 0)
			*listed = value;
	}
	return strtol(rec_info_get(res->rec, "sampleIntervalSeconds"), NULL, 10);
}

START_TEST(test_default_interval_by_duration)
{
	static const struct {
		const char *dur;
		long secs;
		const char *listed;
	} cases[] = {
		{"2h", 60, "1m"}, {"1d", 60, "1m"}, {"25h", 300, "5m"},
		{"7d", 300, "5m"}, {"8d", 3600, "1h"}, {"30d", 3600, "1h"},
	};
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cli_result res;
		sim_error err;
		ck_assert_int_eq(run(cases[i].dur, NULL, &o, &res, &err), 0);
		const char *listed;
		ck_assert_int_eq(interval_of(&res, &listed), cases[i].secs);
		ck_assert_ptr_nonnull(listed);
		ck_assert_str_eq(listed, cases[i].listed);
		/* 30 days at one row an hour */
		if (strcmp(cases[i].dur, "30d") == 0)
			ck_assert_uint_eq(rec_row_count(res.rec), 721);
		cli_result_free(&res);
	}
	/* a given interval is kept, and not listed as an assumption */
	cli_result res;
	sim_error err;
	ck_assert_int_eq(run("30d", "10m", &o, &res, &err), 0);
	const char *listed;
	ck_assert_int_eq(interval_of(&res, &listed), 600);
	ck_assert_ptr_null(listed);
	cli_result_free(&res);
	/* --duration decides the default too */
	o.duration_set = true;
	o.duration = 3 * SIM_DAY;
	ck_assert_int_eq(run("1h", NULL, &o, &res, &err), 0);
	ck_assert_int_eq(interval_of(&res, &listed), 300);
	cli_result_free(&res);
}
END_TEST

START_TEST(test_refuses_over_max_memory)
{
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.max_memory = 1 << 20;
	cli_result res;
	sim_error err;
	/* 30 days at one row a minute: 43,202 rows of up to 20 series */
	ck_assert_int_eq(run("30d", "1m", &o, &res, &err), SIM_EINPUT);
	ck_assert_str_eq(err.path, "sampleInterval");
	ck_assert_int_eq(err.line, 1);
	ck_assert_msg(strstr(err.msg, "6.6 MiB in memory and 8.2 MiB as timeline.csv") != NULL, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "43202 rows of up to 20 series: sampleInterval 1m over 30d") != NULL, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "the limit is 1.0 MiB: set a longer sampleInterval (\"15m\": about 562.9 KiB) or raise --max-memory") != NULL, "%s", err.msg);
	ck_assert_ptr_null(res.rec); /* refused before the run */
	cli_result_free(&res);
	/* the default interval of a month fits; so does a higher limit */
	ck_assert_int_eq(run("30d", NULL, &o, &res, &err), 0);
	cli_result_free(&res);
	o.max_memory = 16 << 20;
	ck_assert_int_eq(run("30d", "1m", &o, &res, &err), 0);
	cli_result_free(&res);
	/* the default limit (2 GiB) */
	ck_assert_uint_eq(CLI_DEFAULT_MAX_MEMORY, 2ULL << 30);
}
END_TEST

START_TEST(test_parse_size)
{
	unsigned long long v;
	ck_assert_int_eq(cli_parse_size("512M", &v), 0);
	ck_assert_uint_eq(v, 512ULL << 20);
	ck_assert_int_eq(cli_parse_size("4G", &v), 0);
	ck_assert_uint_eq(v, 4ULL << 30);
	ck_assert_int_eq(cli_parse_size("2GiB", &v), 0);
	ck_assert_uint_eq(v, 2ULL << 30);
	ck_assert_int_eq(cli_parse_size("65536", &v), 0);
	ck_assert_uint_eq(v, 65536);
	static const char *const bad[] = {"", "x", "-1G", "0", "1.5G", "4X", "G", "99999999999T"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(cli_parse_size(bad[i], &v) == -1, "%s accepted", bad[i]);
}
END_TEST

Suite *
budget_suite(void)
{
	Suite *s = suite_create("budget");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_default_interval_by_duration);
	tcase_add_test(tc, test_refuses_over_max_memory);
	tcase_add_test(tc, test_parse_size);
	suite_add_tcase(s, tc);
	return s;
}
