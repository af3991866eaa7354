/*
 * stats — distributions with GSL (see stats.h).
 */
#include "reports/stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* Largest k in [0, n-1] with F(k) <= a, or -1 when even F(0) > a
 * (F: the Binomial(n, f) distribution function; monotone, so bisect). */
static long
last_at_most(double a, double f, unsigned n)
{
	if (gsl_cdf_binomial_P(0, f, n) > a)
		return -1;
	unsigned lo = 0, hi = n - 1; /* F(lo) <= a */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo + 1) / 2;
		if (gsl_cdf_binomial_P(mid, f, n) <= a)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (long)lo;
}

/* Smallest k in [0, n-1] with F(k) >= a, or -1 when F(n-1) < a. */
static long
first_at_least(double a, double f, unsigned n)
{
	if (gsl_cdf_binomial_P(n - 1, f, n) < a)
		return -1;
	unsigned lo = 0, hi = n - 1; /* F(hi) >= a */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (gsl_cdf_binomial_P(mid, f, n) >= a)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (long)lo;
}

/* The 95% order-statistic interval of quantile f of sorted x[0..n-1]. */
static void
quantile_ci(const double *x, size_t n, double f, double *lo, double *hi)
{
	*lo = *hi = (double)NAN;
	if (n == 0 || n > 4000000000u)
		return;
	long l = last_at_most(0.025, f, (unsigned)n);
	long u = first_at_least(0.975, f, (unsigned)n);
	if (l >= 0)
		*lo = x[l];
	if (u >= 0)
		*hi = x[u];
}

void
rstat_compute(rstat *out, const double *v, size_t n, double *scratch)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			scratch[k++] = v[i];
	const double nan = (double)NAN;
	*out = (rstat){.n = k, .mean = nan, .sd = nan, .mean_lo = nan,
	    .mean_hi = nan, .min = nan, .max = nan, .p5 = nan, .p50 = nan,
	    .p95 = nan, .p99 = nan, .p50_lo = nan, .p50_hi = nan, .p95_lo = nan,
	    .p95_hi = nan};
	if (k == 0)
		return;
	out->mean = gsl_stats_mean(scratch, 1, k);
	if (k >= 2) {
		out->sd = gsl_stats_sd_m(scratch, 1, k, out->mean);
		double half = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) * out->sd /
		    sqrt((double)k);
		out->mean_lo = out->mean - half;
		out->mean_hi = out->mean + half;
	}
	gsl_sort(scratch, 1, k);
	out->min = scratch[0];
	out->max = scratch[k - 1];
	out->p5 = gsl_stats_quantile_from_sorted_data(scratch, 1, k, 0.05);
	out->p50 = gsl_stats_quantile_from_sorted_data(scratch, 1, k, 0.50);
	out->p95 = gsl_stats_quantile_from_sorted_data(scratch, 1, k, 0.95);
	out->p99 = gsl_stats_quantile_from_sorted_data(scratch, 1, k, 0.99);
	quantile_ci(scratch, k, 0.50, &out->p50_lo, &out->p50_hi);
	quantile_ci(scratch, k, 0.95, &out->p95_lo, &out->p95_hi);
}

void
rstat_wilson(size_t k, size_t n, double *lo, double *hi)
{
	if (n == 0) {
		*lo = *hi = (double)NAN;
		return;
	}
	double z = gsl_cdf_ugaussian_Pinv(0.975);
	double nn = (double)n, p = (double)k / nn, z2 = z * z;
	double den = 1 + z2 / nn;
	double centre = (p + z2 / (2 * nn)) / den;
	double half = z / den * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
	*lo = k == 0 ? 0 : fmax(0, centre - half);
	*hi = k == n ? 1 : fmin(1, centre + half);
}
