/*
 * Tests for queueing: the latency, throughput and error numbers a run
 * reports, pinned against textbook formulas (M/M/1, Erlang C), values
 * worked by hand for the timeout model (M/M/1 at rho = 1), the overload
 * limit, continuity through rho = 1, the mixture across tasks, and a
 * direct simulation of the model.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "model/traffic/queueing.h"
#include "sim/rng.h"
#include "tests/suites.h"

#define NEAR(a, b, rel) ck_assert_double_eq_tol((a), (b), (rel) * (1 + fabs((double)(b))))

/* c servers of rate mu each (vCPU = c, cpu_ms = 1000/mu), times in ms. */
static q_params
params(int c, double mu, double base_ms, double timeout_ms)
{
	return (q_params){.cpu_ms = 1000 / mu, .base_ms = base_ms,
	    .vcpu = c, .servers = c, .timeout_ms = timeout_ms};
}

#define NO_TIMEOUT 1e12 /* ms: 31 years, as good as none */

START_TEST(test_erlang_c)
{
	/* c = 2, a = 1.5: B(1) = 0.6, C = 1.5*0.6 / (2 - 1.5 + 0.9) = 9/14 */
	NEAR(q_erlang_c(2, 1.5), 9.0 / 14, 1e-14);
	/* c = 3, a = 2: B(2) = 0.4, C = 0.8 / 1.8 = 4/9 */
	NEAR(q_erlang_c(3, 2), 4.0 / 9, 1e-14);
	/* one server: P(wait) = rho */
	NEAR(q_erlang_c(1, 0.7), 0.7, 1e-14);
	ck_assert_double_eq(q_erlang_c(4, 0), 0);
	/* large c neither overflows nor underflows */
	double big = q_erlang_c(500, 480);
	ck_assert(big > 0 && big < 1);
	ck_assert(q_erlang_c(500, 1) >= 0);
}
END_TEST

START_TEST(test_default_servers)
{
	ck_assert_int_eq(q_default_servers(0.25), 1);
	ck_assert_int_eq(q_default_servers(1), 1);
	ck_assert_int_eq(q_default_servers(1.5), 2);
	ck_assert_int_eq(q_default_servers(4), 4);
}
END_TEST

START_TEST(test_mm1)
{
	/* one server, 10 ms of CPU per request on 1 vCPU: mu = 100/s */
	q_params p = {.cpu_ms = 10, .base_ms = 0, .vcpu = 1, .servers = 1,
	    .timeout_ms = NO_TIMEOUT};
	q_result r;
	q_eval(&p, 50, &r);
	ck_assert_double_eq(r.capacity, 100);
	ck_assert_double_eq(r.rho, 0.5);
	ck_assert(!r.overloaded);
	NEAR(r.p_wait, 0.5, 1e-12);
	/* response time ~ Exp(mu - lambda): mean 1/(mu - lambda) = 20 ms */
	NEAR(r.mean_ms, 20, 1e-9);
	NEAR(r.p50_ms, 1000 * log(2) / 50, 1e-9);
	NEAR(r.p95_ms, 1000 * log(20) / 50, 1e-9);
	NEAR(r.p99_ms, 1000 * log(100) / 50, 1e-9);
	NEAR(q_quantile(&r, 0.999), 1000 * log(1000) / 50, 1e-9);
	NEAR(q_cdf(&r, 30), 1 - exp(-50 * 0.030), 1e-12);
	ck_assert_double_eq_tol(r.errors, 0, 1e-300);
	ck_assert_double_eq(r.served, 50);
	NEAR(r.busy, 0.5, 1e-12);
	NEAR(r.cpu_vcpu, 0.5, 1e-12);

	/* base latency shifts everything by base */
	p.base_ms = 5;
	q_result s;
	q_eval(&p, 50, &s);
	NEAR(s.mean_ms, 25, 1e-9);
	NEAR(s.p95_ms, r.p95_ms + 5, 1e-9);
	ck_assert_double_eq(q_cdf(&s, 4.9), 0);
	NEAR(q_cdf(&s, 35), q_cdf(&r, 30), 1e-12);
}
END_TEST

START_TEST(test_mmc)
{
	/* c = 2, lambda = 1.5, mu = 1: P(wait) = 9/14, mean wait
	 * C/(c mu - lambda) = 9/7 s, mean response 9/7 + 1 s */
	q_params p = params(2, 1, 0, NO_TIMEOUT);
	q_result r;
	q_eval(&p, 1.5, &r);
	NEAR(r.p_wait, 9.0 / 14, 1e-12);
	NEAR(r.mean_ms, 1000 * (9.0 / 7 + 1), 1e-9);
	ck_assert_double_eq(r.rho, 0.75);
	/* the CDF: with theta = c mu - lambda = 0.5 and mu = 1,
	 * P(W + S > y) = (1 - C) e^-y + C P(Exp(0.5) + Exp(1) > y)
	 *              = (1 - C) e^-y + C (2 e^-0.5y - e^-y) */
	double C = 9.0 / 14;
	for (double y = 0.5; y < 20; y += 1.7) {
		double tail = exp(-y) + 2 * C * (exp(-0.5 * y) - exp(-y));
		NEAR(q_cdf(&r, 1000 * y), 1 - tail, 1e-12);
	}
	/* quantiles invert the CDF */
	NEAR(q_cdf(&r, r.p50_ms), 0.5, 1e-10);
	NEAR(q_cdf(&r, r.p99_ms), 0.99, 1e-10);

	/* the vCPU are shared by the servers: 1 vCPU and 4 servers make
	 * requests four times slower but let four run at once */
	q_params s = {.cpu_ms = 10, .base_ms = 0, .vcpu = 1, .servers = 4,
	    .timeout_ms = NO_TIMEOUT};
	q_eval(&s, 0, &r);
	ck_assert_double_eq(r.capacity, 100);
	NEAR(r.mean_ms, 40, 1e-12);
}
END_TEST

START_TEST(test_idle)
{
	/* no load: latency is base + one service, nothing waits */
	q_params p = {.cpu_ms = 10, .base_ms = 2, .vcpu = 0.25, .servers = 1,
	    .timeout_ms = 1000};
	q_result r;
	q_eval(&p, 0, &r);
	ck_assert_double_eq(r.capacity, 25);
	ck_assert_double_eq(r.p_wait, 0);
	ck_assert_double_eq(r.errors, 0);
	ck_assert_double_eq(r.error_ratio, 0);
	ck_assert_double_eq(r.cpu_vcpu, 0);
	/* service mean 40 ms, capped at 998 ms: 40 (1 - e^(-998/40)) */
	NEAR(r.mean_ms, 2 + 40 * -expm1(-998.0 / 40), 1e-12);
	NEAR(r.p50_ms, 2 + 40 * log(2), 1e-10);
}
END_TEST

START_TEST(test_rho_one_by_hand)
{
	/* M/M/1, lambda = mu = 1, timeout 4 s. Weights 1 : lambda tau :
	 * lambda/mu = 1 : 4 : 1, so P(error) = 1/6; a delayed wait is
	 * uniform on (0, 4); P(Z <= 3) = (1 - e^-3)/6 + (4/6)(2 + e^-3)/4 = 1/2,
	 * and the mean of min(Z, 4) is 8/3 s. */
	q_params p = params(1, 1, 0, 4000);
	q_result r;
	q_eval(&p, 1, &r);
	ck_assert(r.overloaded);
	ck_assert_double_eq(r.rho, 1);
	NEAR(r.d.perr, 1.0 / 6, 1e-14);
	NEAR(r.error_ratio, 1.0 / 6, 1e-14);
	NEAR(r.errors, 1.0 / 6, 1e-14);
	NEAR(r.served, 5.0 / 6, 1e-14);
	NEAR(r.p_wait, 5.0 / 6, 1e-14);
	NEAR(r.mean_ms, 8000.0 / 3, 1e-12);
	NEAR(r.p50_ms, 3000, 1e-10);
	/* P(latency < 4 s) = 1 - 1/6 - 1/6 = 2/3: p95 and p99 are the timeout */
	NEAR(q_cdf(&r, 3999.999999), 2.0 / 3, 1e-6);
	ck_assert_double_eq(q_cdf(&r, 4000), 1);
	NEAR(r.p95_ms, 4000, 1e-10);
	NEAR(r.p99_ms, 4000, 1e-10);
}
END_TEST

START_TEST(test_continuous_through_rho_one)
{
	q_params p = params(3, 100, 1, 2000);
	q_result below, at, above;
	double cap = 300;
	q_eval(&p, cap * (1 - 1e-9), &below);
	q_eval(&p, cap, &at);
	q_eval(&p, cap * (1 + 1e-9), &above);
	ck_assert(!below.overloaded && at.overloaded && above.overloaded);
	double fields[][3] = {
		{below.mean_ms, at.mean_ms, above.mean_ms},
		{below.p50_ms, at.p50_ms, above.p50_ms},
		{below.p95_ms, at.p95_ms, above.p95_ms},
		{below.error_ratio, at.error_ratio, above.error_ratio},
		{below.served, at.served, above.served},
	};
	for (int i = 0; i < 5; i++) {
		NEAR(fields[i][0], fields[i][1], 1e-6);
		NEAR(fields[i][2], fields[i][1], 1e-6);
	}
	/* at rho = 1 a delayed wait is uniform on (0, tau): the mean latency
	 * is about base + tau/2 when tau is long against a service */
	NEAR(at.mean_ms, 1 + 999.5, 0.02);
}
END_TEST

START_TEST(test_rho_towards_one)
{
	/* with a 60 s timeout and mu = 100/s, M/M/1 holds until the mean
	 * response nears the timeout, then the timeout caps it */
	q_params p = params(1, 100, 0, 60000);
	double prev = 0;
	double rhos[] = {0.5, 0.9, 0.99, 0.999, 0.9999, 1, 1.5, 3};
	for (int i = 0; i < 8; i++) {
		q_result r;
		q_eval(&p, 100 * rhos[i], &r);
		ck_assert(r.mean_ms > prev);
		ck_assert(r.mean_ms <= 60000);
		ck_assert(r.p99_ms <= 60000);
		ck_assert(r.served <= 100 * (1 + 1e-12));
		prev = r.mean_ms;
		if (rhos[i] <= 0.99) {
			/* 1/(mu - lambda): e^(-theta tau) is negligible */
			NEAR(r.mean_ms, 1000 / (100 - 100 * rhos[i]), 1e-9);
			NEAR(r.p99_ms, 1000 * log(100) / (100 - 100 * rhos[i]), 1e-9);
		}
	}
}
END_TEST

START_TEST(test_overload)
{
	/* capacity 200 req/s (2 vCPU, 10 ms each), offered 400 req/s, 10 s
	 * timeout: the task serves its capacity and fails the rest */
	q_params p = {.cpu_ms = 10, .base_ms = 0, .vcpu = 2, .servers = 2,
	    .timeout_ms = 10000};
	q_result r;
	q_eval(&p, 400, &r);
	ck_assert(r.overloaded);
	ck_assert_double_eq(r.rho, 2);
	NEAR(r.served, 200, 1e-12);
	NEAR(r.errors, 200, 1e-12);
	NEAR(r.error_ratio, 0.5, 1e-12);
	NEAR(r.busy, 1, 1e-12);
	NEAR(r.cpu_vcpu, 2, 1e-12);
	NEAR(r.p_wait, 1, 1e-12);
	/* the queue sits at the timeout: every percentile is the timeout */
	NEAR(r.p50_ms, 10000, 1e-12);
	NEAR(r.p99_ms, 10000, 1e-12);
	ck_assert(r.mean_ms > 9990 && r.mean_ms <= 10000);

	/* error rate = lambda - capacity once the overload is clear */
	double lams[] = {250, 300, 1000, 1e5};
	for (int i = 0; i < 4; i++) {
		q_eval(&p, lams[i], &r);
		NEAR(r.errors, lams[i] - 200, 1e-9);
		NEAR(r.served + r.errors, lams[i], 1e-12);
	}
	/* a long timeout does not overflow anything */
	p.timeout_ms = 1e9;
	q_eval(&p, 1e4, &r);
	NEAR(r.served, 200, 1e-12);
	ck_assert(isfinite(r.mean_ms) && isfinite(r.p50_ms));
}
END_TEST

START_TEST(test_cpu_above_reservation)
{
	/* a task reserving 0.5 vCPU that may use 2 (container-level cpu on
	 * EC2): at 150 req/s of 10 ms it uses 1.5 vCPU, 300 % of its
	 * reservation [autoscaling.md §3] */
	q_params p = {.cpu_ms = 10, .base_ms = 0, .vcpu = 2,
	    .servers = q_default_servers(2), .timeout_ms = 30000};
	q_result r;
	q_eval(&p, 150, &r);
	NEAR(r.cpu_vcpu / 0.5 * 100, 300, 1e-9);
	NEAR(r.busy, 0.75, 1e-9);
}
END_TEST

START_TEST(test_mixture)
{
	q_params p = params(2, 50, 3, 5000);
	q_result two[2], one;
	q_eval(&p, 70, &one);
	q_eval(&p, 70, &two[0]);
	q_eval(&p, 70, &two[1]);
	double qs[] = {0.01, 0.5, 0.9, 0.95, 0.99, 0.999};
	for (int i = 0; i < 6; i++)
		NEAR(q_mix_quantile(two, 2, qs[i]), q_quantile(&one, qs[i]),
		    1e-10);
	NEAR(q_mix_mean(two, 2), one.mean_ms, 1e-14);

	/* unequal tasks: weights are the arrival rates */
	q_result t[3];
	q_eval(&p, 20, &t[0]);
	q_eval(&p, 95, &t[1]);
	q_eval(&p, 0, &t[2]); /* no arrivals: no weight */
	for (double ms = 5; ms < 200; ms += 13) {
		double want = (20 * q_cdf(&t[0], ms) + 95 * q_cdf(&t[1], ms)) / 115;
		NEAR(q_mix_cdf(t, 3, ms), want, 1e-12);
	}
	for (int i = 0; i < 6; i++) {
		double x = q_mix_quantile(t, 3, qs[i]);
		ck_assert(x > q_quantile(&t[0], qs[i]));
		ck_assert(x < q_quantile(&t[1], qs[i]));
		NEAR(q_mix_cdf(t, 3, x), qs[i], 1e-9);
	}
	NEAR(q_mix_mean(t, 3), (20 * t[0].mean_ms + 95 * t[1].mean_ms) / 115,
	    1e-12);

	/* a mixture whose CDF jumps at two different timeouts: the quantile
	 * is the least latency reaching q */
	q_params a = params(1, 10, 0, 1000), b = params(1, 10, 0, 3000);
	q_result m[2];
	q_eval(&a, 30, &m[0]); /* overloaded: half its requests time out */
	q_eval(&b, 1, &m[1]);
	double q = q_mix_cdf(m, 2, 999.999999) + 0.01;
	NEAR(q_mix_quantile(m, 2, q), 1000, 1e-9);

	/* every task idle: equal weights */
	q_result idle[2];
	q_params fast = params(1, 20, 0, 1000);
	q_eval(&a, 0, &idle[0]);
	q_eval(&fast, 0, &idle[1]);
	NEAR(q_mix_cdf(idle, 2, 50),
	    (q_cdf(&idle[0], 50) + q_cdf(&idle[1], 50)) / 2, 1e-14);
}
END_TEST

START_TEST(test_quantile_inverts_cdf)
{
	/* across regimes and server counts */
	int cs[] = {1, 2, 8, 64};
	double rhos[] = {0.01, 0.3, 0.8, 0.97, 1, 1.02, 1.5};
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 7; j++) {
			q_params p = params(cs[i], 20, 4, 2500);
			q_result r;
			q_eval(&p, rhos[j] * 20 * cs[i], &r);
			ck_assert(r.p50_ms <= r.p95_ms && r.p95_ms <= r.p99_ms);
			ck_assert(r.p99_ms <= 2500);
			ck_assert(r.mean_ms >= 4 && r.mean_ms <= 2500);
			NEAR(r.d.p0 + r.d.pw + r.d.perr, 1, 1e-14);
			double qs[] = {0.5, 0.95, 0.99};
			double xs[] = {r.p50_ms, r.p95_ms, r.p99_ms};
			for (int k = 0; k < 3; k++) {
				if (xs[k] >= 2500)
					ck_assert(q_cdf(&r, 2499.9999) <= qs[k] + 1e-9);
				else
					NEAR(q_cdf(&r, xs[k]), qs[k], 1e-9);
			}
		}
}
END_TEST

/* A direct simulation of the model: FCFS over c servers (each arrival
 * takes the server free earliest); an arrival that would wait tau or more
 * is an error with latency tau. Returns the error fraction, mean and
 * median latency in s (base 0). */
static void
simulate(int c, double lambda, double mu, double tau, int n, double *perr,
    double *mean, double *p50)
{
	rng *r = rng_new(99, "test.queue", (uint64_t)c);
	double free_at[8] = {0}, t = 0, sum = 0;
	double *lat = malloc((size_t)n * sizeof(*lat));
	int errors = 0;
	for (int i = 0; i < n; i++) {
		t += rng_exp_mean(r, 1 / lambda);
		int k = 0;
		for (int j = 1; j < c; j++)
			if (free_at[j] < free_at[k])
				k = j;
		double w = free_at[k] > t ? free_at[k] - t : 0;
		if (w >= tau) {
			errors++;
			lat[i] = tau;
		} else {
			double s = rng_exp_mean(r, 1 / mu);
			free_at[k] = t + w + s;
			lat[i] = w + s < tau ? w + s : tau;
		}
		sum += lat[i];
	}
	gsl_sort(lat, 1, (size_t)n);
	*perr = (double)errors / n;
	*mean = sum / n;
	*p50 = gsl_stats_median_from_sorted_data(lat, 1, (size_t)n);
	free(lat);
	rng_free(r);
}

START_TEST(test_matches_simulation)
{
	/* {c, lambda, mu, tau}: below, at and above capacity */
	static const double cases[][4] = {
		{2, 1.5, 1, 3}, {1, 0.8, 1, 5}, {4, 3.5, 1, 1.5}, {2, 3, 1, 2},
	};
	for (int i = 0; i < 4; i++) {
		int c = (int)cases[i][0];
		double lambda = cases[i][1], mu = cases[i][2], tau = cases[i][3];
		double perr, mean, p50;
		simulate(c, lambda, mu, tau, 400000, &perr, &mean, &p50);
		q_params p = params(c, mu, 0, tau * 1000);
		q_result r;
		q_eval(&p, lambda, &r);
		ck_assert_double_eq_tol(r.error_ratio, perr, 0.005);
		ck_assert_double_eq_tol(r.mean_ms / 1000, mean, 0.02 * mean);
		ck_assert_double_eq_tol(r.p50_ms / 1000, p50, 0.03 * p50);
	}
}
END_TEST

START_TEST(test_model_text)
{
	ck_assert_ptr_nonnull(strstr(q_model_text(), "M/M/c+D"));
}
END_TEST

/* q_eval_load gives q_eval_rates' served rate and CPU bit for bit, far
 * from capacity (where it skips the law) and near or beyond it. */
START_TEST(test_eval_load_is_eval_rates)
{
	int far = 0, near = 0;
	static const double vcpus[] = {0.125, 0.25, 0.5, 1, 1.7, 2, 4, 16};
	static const double cpu_ms[] = {0.5, 5, 50};
	static const double timeouts[] = {100, 1000, 60000};
	for (size_t a = 0; a < sizeof(vcpus) / sizeof(vcpus[0]); a++)
		for (size_t b = 0; b < 3; b++)
			for (size_t c = 0; c < 3; c++)
				for (double rho = 0; rho <= 1.5; rho += 0.0625) {
					q_params p = {.cpu_ms = cpu_ms[b], .base_ms = 20,
					    .vcpu = vcpus[a], .servers = q_default_servers(vcpus[a]),
					    .timeout_ms = timeouts[c]};
					double cap = p.vcpu * 1000 / p.cpu_ms, lambda = rho * cap;
					q_result q;
					q_eval_rates(&p, lambda, &q);
					double served, cpu;
					q_eval_load(&p, lambda, &served, &cpu);
					ck_assert_msg(served == q.served && cpu == q.cpu_vcpu,
					    "vcpu %g cpu_ms %g timeout %g rho %g: %.17g %.17g vs %.17g %.17g",
					    p.vcpu, p.cpu_ms, p.timeout_ms, rho, served, cpu, q.served, q.cpu_vcpu);
					double tau = (p.timeout_ms - p.base_ms) / 1000;
					if ((cap - lambda) * tau >= 50)
						far++;
					else
						near++;
				}
	/* both paths were taken */
	ck_assert_int_gt(far, 100);
	ck_assert_int_gt(near, 100);
}
END_TEST

/* The eight levels of a sample, solved together, agree with plain
 * bisection on the mixture's CDF to 1e-9 of the latency, on random
 * mixtures of up to 40 tasks of different vCPU (below, near and beyond
 * their capacity) and, in a third of them, two different timeouts. */
START_TEST(test_quantiles_match_bisection)
{
	static const double lv[8] = {0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 0.999};
	rng *g = rng_new(11, "test.quantiles", 0);
	for (int trial = 0; trial < 300; trial++) {
		size_t n = 1 + rng_uniform_index(g, 40);
		q_result rs[40];
		for (size_t i = 0; i < n; i++) {
			double vcpu = 0.1 + 3.9 * rng_uniform(g);
			q_params p = {.cpu_ms = 5, .base_ms = 20, .vcpu = vcpu,
			    .servers = q_default_servers(vcpu),
			    .timeout_ms = trial % 3 == 0 && i % 2 ? 30000 : 60000};
			double cap = vcpu * 1000 / p.cpu_ms;
			q_eval_rates(&p, cap * 1.1 * rng_uniform(g), &rs[i]);
		}
		double got[8];
		q_mix_quantiles(rs, n, lv, 8, got);
		for (int k = 0; k < 8; k++) {
			/* the least l with F(l) >= q, by bisection */
			double lo = 0, hi = 60000;
			if (q_mix_cdf(rs, n, hi * (1 - 1e-12)) < lv[k]) {
				ck_assert_double_eq(got[k], hi);
				continue;
			}
			for (int it = 0; it < 200; it++) {
				double mid = (lo + hi) / 2;
				if (q_mix_cdf(rs, n, mid) >= lv[k])
					hi = mid;
				else
					lo = mid;
			}
			ck_assert_msg(fabs(got[k] - hi) <= 2e-9 * hi,
			    "trial %d level %g: %.17g vs bisection %.17g", trial, lv[k], got[k], hi);
			/* ascending, but for two levels on one jump (a
			 * timeout), each within the tolerance of it */
			if (k > 0)
				ck_assert(got[k] >= got[k - 1] * (1 - 2e-9));
		}
	}
	rng_free(g);
}
END_TEST

Suite *
queueing_suite(void)
{
	Suite *s = suite_create("queueing");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_erlang_c);
	tcase_add_test(tc, test_default_servers);
	tcase_add_test(tc, test_mm1);
	tcase_add_test(tc, test_mmc);
	tcase_add_test(tc, test_idle);
	tcase_add_test(tc, test_rho_one_by_hand);
	tcase_add_test(tc, test_continuous_through_rho_one);
	tcase_add_test(tc, test_rho_towards_one);
	tcase_add_test(tc, test_overload);
	tcase_add_test(tc, test_cpu_above_reservation);
	tcase_add_test(tc, test_mixture);
	tcase_add_test(tc, test_quantile_inverts_cdf);
	tcase_add_test(tc, test_matches_simulation);
	tcase_add_test(tc, test_model_text);
	tcase_add_test(tc, test_eval_load_is_eval_rates);
	tcase_add_test(tc, test_quantiles_match_bisection);
	suite_add_tcase(s, tc);
	return s;
}
