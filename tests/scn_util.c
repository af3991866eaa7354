/*
 * Scenario-running helpers for the tests (see scn_util.h).
 */
#include "tests/scn_util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *
write_temp(const char *json)
{
	char *path = strdup("/tmp/ecsim-test-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_msg(fd >= 0, "mkstemp failed");
	size_t n = strlen(json);
	ck_assert_msg(write(fd, json, n) == (ssize_t)n, "short write");
	close(fd);
	return path;
}

static int
run(const char *json, bool validate, cli_result *res, sim_error *err)
{
	char *path = write_temp(json);
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.validate_only = validate;
	sim_error_clear(err);
	int rc = cli_run_scenario(path, &o, res, err);
	unlink(path);
	free(path);
	return rc;
}

int
su_run(const char *json, cli_result *res, sim_error *err)
{
	return run(json, false, res, err);
}

void
su_run_ok(const char *json, cli_result *res)
{
	sim_error err;
	int rc = run(json, false, res, &err);
	if (rc != 0) {
		char buf[1400];
		sim_error_format(&err, buf, sizeof(buf));
		ck_abort_msg("scenario failed: %s", buf);
	}
}

int
su_validate(const char *json, sim_error *err)
{
	cli_result res;
	int rc = run(json, true, &res, err);
	cli_result_free(&res);
	return rc;
}

int
su_count_events(const recorder *r, const char *needle)
{
	int n = 0;
	for (size_t i = 0; i < rec_event_count(r); i++)
		n += strstr(rec_event_at(r, i)->text, needle) != NULL;
	return n;
}

sim_time
su_first_event(const recorder *r, const char *needle)
{
	for (size_t i = 0; i < rec_event_count(r); i++)
		if (strstr(rec_event_at(r, i)->text, needle) != NULL)
			return rec_event_at(r, i)->t;
	return -1;
}

sim_time
su_first_event_after(const recorder *r, const char *needle, sim_time after)
{
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		if (e->t >= after && strstr(e->text, needle) != NULL)
			return e->t;
	}
	return -1;
}

rec_fact *
su_fact(const recorder *r, const char *table, size_t i)
{
	return rec_fact_at(r, table, i);
}

static double
fold(const recorder *r, const char *name, sim_time after, int sign)
{
	int id = rec_series_find(r, name);
	ck_assert_msg(id >= 0, "no series %s", name);
	double best = (double)NAN;
	for (size_t i = 0; i < rec_row_count(r); i++) {
		if (rec_row_time(r, i) < after)
			continue;
		double v = rec_get(r, id, i);
		if (isnan(v))
			continue;
		if (isnan(best) || v * sign > best * sign)
			best = v;
	}
	return best;
}

double
su_series_max(const recorder *r, const char *name, sim_time after)
{
	return fold(r, name, after, 1);
}

double
su_series_min(const recorder *r, const char *name, sim_time after)
{
	return fold(r, name, after, -1);
}

void
su_strip_marker(const char *text, char *buf, size_t size, int *line, int *col)
{
	size_t n = 0;
	int l = 1, c = 1;
	*line = *col = 0;
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '@') {
			*line = l;
			*col = c;
			continue;
		}
		ck_assert(n + 1 < size);
		buf[n++] = *p;
		if (*p == '\n') {
			l++;
			c = 1;
		} else
			c++;
	}
	buf[n] = '\0';
}

void
su_dump_events(const recorder *r)
{
	char clk[32];
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		fprintf(stderr, "%s %s\n", simtime_clock(e->t, clk, sizeof(clk)), e->text);
	}
}
