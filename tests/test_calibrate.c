/*
 * reports/calibrate: a predicted and an observed recorder (built here
 * the way the model and the AWS backend write them) lined up, and the
 * behaviour fragment that would have predicted the observation.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/calibrate.h"
#include "tests/suites.h"

#define SEC(x) ((sim_time)((x) * 1e6))

static recorder *
predicted(void)
{
	recorder *r = rec_new();
	rec_assume(r, "behaviour.default",
	    "pull lognormal(median 12s, sigma 0.3), start 2s, ready 5s, shutdown 2s",
	    "INF", "image timings");
	rec_assume(r, "cloudwatch.publicationDelay", "2m", "INF", "lag");
	rec_fact *s = rec_fact_new(r, "service");
	rec_fact_str(s, "name", "web");
	static const double dur[2] = {150, 471}, health[2] = {140, 150};
	for (int i = 0; i < 2; i++) {
		rec_fact *d = rec_fact_new(r, "deployment");
		rec_fact_str(d, "service", "web");
		rec_fact_time(d, "start", SEC(i * 600));
		rec_fact_time(d, "duration", SEC(dur[i]));
		rec_fact_time(d, "timeStart", SEC(14));
		rec_fact_time(d, "timeHealth", SEC(health[i]));
	}
	rec_fact *a = rec_fact_new(r, "scaling_activity");
	rec_fact_str(a, "service", "web");
	rec_fact_time(a, "time", SEC(1500));
	return r;
}

static recorder *
observed(void)
{
	recorder *r = rec_new();
	rec_info(r, "sampleInterval", "15s");
	rec_fact *s = rec_fact_new(r, "service");
	rec_fact_str(s, "name", "web");
	static const double dur[2] = {160, 480};
	for (int i = 0; i < 2; i++) {
		rec_fact *d = rec_fact_new(r, "deployment");
		rec_fact_str(d, "service", "web");
		rec_fact_time(d, "start", SEC(i * 600));
		rec_fact_time(d, "duration", SEC(dur[i]));
	}
	/* Five tasks: pulls of 6 to 8 s (median 7 s: beyond the sampling
	 * error of 5 draws around the assumed 12 s); starts 1.5 s; healthy
	 * 175 s after RUNNING (one task never seen healthy). */
	static const double pulls[5] = {6, 6.5, 7, 7.5, 8};
	for (int i = 0; i < 5; i++) {
		rec_fact *t = rec_fact_new(r, "task");
		double c = 600 + i;
		rec_fact_str(t, "service", "web");
		rec_fact_time(t, "created", SEC(c));
		rec_fact_time(t, "pullStarted", SEC(c + 0.5));
		rec_fact_time(t, "pullStopped", SEC(c + 0.5 + pulls[i]));
		rec_fact_time(t, "started", SEC(c + 2 + pulls[i]));
		if (i < 4)
			rec_fact_time(t, "healthy", SEC(c + 2 + pulls[i] + 175));
	}
	rec_fact *a = rec_fact_new(r, "scaling_activity");
	rec_fact_str(a, "service", "web");
	rec_fact_time(a, "time", SEC(1620));
	return r;
}

START_TEST(lines_up_and_suggests)
{
	recorder *p = predicted(), *o = observed();
	rcal *c = rcal_new(p, o);
	const rcal_item *it = rcal_find(c, "image pull (median)");
	ck_assert_ptr_nonnull(it);
	ck_assert(it->predicted == 12);
	ck_assert(fabs(it->observed - 7) < 1e-9);
	ck_assert_int_eq(it->samples, 5);
	it = rcal_find(c, "pull end to RUNNING (median): start + ecs.activatingTime");
	ck_assert(it->predicted == 2);
	ck_assert(fabs(it->observed - 1.5) < 1e-9);
	it = rcal_find(c, "web deployment 2: duration");
	ck_assert_ptr_nonnull(it);
	ck_assert(it->predicted == 471);
	ck_assert(it->observed == 480);
	it = rcal_find(c, "RUNNING to healthy (median)");
	ck_assert(fabs(it->predicted - 145) < 1e-9); /* mean of 140 and 150 */
	ck_assert(fabs(it->observed - 175) < 1e-9);
	ck_assert_int_eq(it->samples, 4);
	it = rcal_find(c, "web scaling activity 1: time");
	ck_assert(it->predicted == 1500 && it->observed == 1620);
	/* pull: lognormal at the observed median, sigma of the observed
	 * logs; start: the observed median; ready: 5 s + (175 - 145) s. */
	char *f = rcal_fragment(c);
	ck_assert_str_eq(f, "{\"behaviour\":{\"default\":{"
	    "\"pullTime\":{\"dist\":\"lognormal\",\"median\":\"7s\",\"sigma\":0.11},"
	    "\"startTime\":{\"dist\":\"constant\",\"value\":\"1.5s\"},"
	    "\"readyTime\":{\"dist\":\"constant\",\"value\":\"35s\"}}}}");
	free(f);
	rout *out = rout_mem();
	rcal_write_text(out, c);
	size_t n;
	const char *text = rout_mem_text(out, &n);
	ck_assert_ptr_nonnull(strstr(text, "image pull (median)"));
	ck_assert_ptr_nonnull(strstr(text, "times to healthy are known to 15s"));
	ck_assert_ptr_nonnull(strstr(text, "scaling activities came 2m later than predicted (median): cloudwatch.publicationDelay 4m instead of the assumed 2m would match"));
	rout_free(out);
	rcal_free(c);
	rec_free(p);
	rec_free(o);
}
END_TEST

/* Observations within their error suggest nothing: a pull median inside
 * the sampling error of the assumed lognormal, a start equal to start +
 * ecs.activatingTime, a time to healthy within the poll interval. */
START_TEST(within_error_suggests_nothing)
{
	recorder *p = predicted(), *o = rec_new();
	rec_assume(p, "ecs.activatingTime", "1s", "INF", "ACTIVATING");
	rec_info(o, "sampleInterval", "15s");
	rec_info(o, "sampleIntervalSeconds", "15");
	static const double pulls[4] = {10.5, 11.5, 11.9, 14};
	for (int i = 0; i < 4; i++) {
		rec_fact *t = rec_fact_new(o, "task");
		double c = 600 + i;
		rec_fact_str(t, "service", "web");
		rec_fact_time(t, "pullStarted", SEC(c));
		rec_fact_time(t, "pullStopped", SEC(c + pulls[i]));
		rec_fact_time(t, "started", SEC(c + pulls[i] + 3));
		rec_fact_time(t, "healthy", SEC(c + pulls[i] + 3 + 155));
	}
	rcal *c = rcal_new(p, o);
	const rcal_item *it = rcal_find(c, "pull end to RUNNING (median): start + ecs.activatingTime");
	ck_assert(it->predicted == 3 && fabs(it->observed - 3) < 1e-9);
	char *f = rcal_fragment(c);
	ck_assert_str_eq(f, "{}");
	free(f);
	rout *out = rout_mem();
	rcal_write_text(out, c);
	size_t n;
	const char *text = rout_mem_text(out, &n);
	ck_assert_ptr_nonnull(strstr(text, "not suggested: image pull: median 11.7s of 4 is within the sampling error of the assumed 12s (x/ 1.46)"));
	ck_assert_ptr_nonnull(strstr(text, "not suggested: container start: as assumed (3s after the pull, ACTIVATING included)"));
	ck_assert_ptr_nonnull(strstr(text, "not suggested: time to healthy: 10s from the prediction, within the poll interval 15s"));
	rout_free(out);
	rcal_free(c);
	rec_free(p);
	rec_free(o);
}
END_TEST

START_TEST(nothing_observed)
{
	recorder *p = predicted(), *o = rec_new();
	rcal *c = rcal_new(p, o);
	char *f = rcal_fragment(c);
	ck_assert_str_eq(f, "{}");
	free(f);
	const rcal_item *it = rcal_find(c, "image pull (median)");
	ck_assert(isnan(it->observed));
	ck_assert_int_eq(it->samples, 0);
	ck_assert_ptr_null(rcal_find(c, "web deployment 1: duration"));
	rcal_free(c);
	rec_free(p);
	rec_free(o);
}
END_TEST

/* On existing resources: the prediction's service creation and the
 * observed run's deployment under way at its start are not lined up. */
START_TEST(only_deployments_both_made)
{
	recorder *p = rec_new(), *o = rec_new();
	static const char *const pc[2] = {"service created", "new task definition"};
	static const char *const oc[2] = {"existing", "new task definition"};
	for (int i = 0; i < 2; i++) {
		rec_fact *d = rec_fact_new(p, "deployment");
		rec_fact_str(d, "service", "web");
		rec_fact_str(d, "cause", pc[i]);
		rec_fact_time(d, "duration", SEC(100 + i * 371));
		d = rec_fact_new(o, "deployment");
		rec_fact_str(d, "service", "web");
		rec_fact_str(d, "cause", oc[i]);
		rec_fact_time(d, "duration", SEC(6000 + i * -5520));
	}
	rcal *c = rcal_new(p, o);
	const rcal_item *it = rcal_find(c, "web deployment 1: duration");
	ck_assert_ptr_nonnull(it);
	ck_assert(it->predicted == 471);
	ck_assert(it->observed == 480);
	ck_assert_ptr_null(rcal_find(c, "web deployment 2: duration"));
	rcal_free(c);
	rec_free(p);
	rec_free(o);
}
END_TEST

START_TEST(median)
{
	double a[] = {3, 1, 2};
	ck_assert(rcal_median(a, 3) == 2);
	double b[] = {4, 1, 3, 2};
	ck_assert(rcal_median(b, 4) == 2.5);
	ck_assert(isnan(rcal_median(b, 0)));
}
END_TEST

Suite *
calibrate_suite(void)
{
	Suite *s = suite_create("calibrate");
	TCase *tc = tcase_create("calibrate");
	tcase_add_test(tc, lines_up_and_suggests);
	tcase_add_test(tc, within_error_suggests_nothing);
	tcase_add_test(tc, nothing_observed);
	tcase_add_test(tc, only_deployments_both_made);
	tcase_add_test(tc, median);
	suite_add_tcase(s, tc);
	return s;
}
