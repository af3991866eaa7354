/*
 * stats — the distribution of one metric over many runs (seeds), with
 * GSL's statistics: mean, standard deviation, min/max, quantiles, and
 * 95% confidence intervals; and the Wilson interval of a share (how often
 * an expectation held).
 *
 * Methods (stated in every output through the RSTAT_*_METHOD texts):
 *   quantiles  gsl_sort, then gsl_stats_quantile_from_sorted_data: linear
 *              interpolation between order statistics, x[i] + d (x[i+1] -
 *              x[i]) with i + d = (n - 1) f (Hyndman-Fan type 7, R's
 *              default);
 *   mean CI    Student t: mean +- t(0.975, n - 1) sd / sqrt(n), sd with
 *              n - 1 in the denominator (gsl_stats_sd);
 *   p50/p95 CI distribution-free: the order statistics x(l) and x(u) with
 *              P(l <= B < u) >= 95% for B ~ Binomial(n, f), l and u as
 *              close to n f as that allows, each tail at most 2.5%
 *              (gsl_cdf_binomial_P); a side the sample cannot bound is
 *              NaN (the upper side of p95 needs n >= 72);
 *   share CI   Wilson score interval at 95%.
 *
 * Invariant: a result depends on the multiset of values only through the
 * order given — the same values in the same order give the same bits, so
 * a merged or sharded batch reproduces an unsharded one exactly.
 */
#ifndef REPORTS_STATS_H
#define REPORTS_STATS_H

#include <stddef.h>

#define RSTAT_QUANTILE_METHOD \
	"gsl_stats_quantile_from_sorted_data: linear interpolation between " \
	"order statistics (Hyndman-Fan type 7)"
#define RSTAT_MEAN_CI_METHOD \
	"95% Student t interval of the mean: mean +- t(0.975, n-1) sd/sqrt(n)"
#define RSTAT_QUANTILE_CI_METHOD \
	"95% distribution-free interval of p50 and p95 from order statistics " \
	"(binomial); null where the sample is too small to bound it"
#define RSTAT_SHARE_CI_METHOD "95% Wilson score interval"

typedef struct rstat {
	size_t n;          /* values that were not NaN */
	double mean, sd;   /* sd NaN when n < 2 */
	double mean_lo, mean_hi; /* 95% CI of the mean; NaN when n < 2 */
	double min, max;
	double p5, p50, p95, p99;
	double p50_lo, p50_hi, p95_lo, p95_hi; /* 95% CIs, NaN: unbounded */
} rstat;

/* The distribution of the non-NaN values among v[0..n-1] (in that
 * order). scratch must hold n doubles (it is overwritten). Every field is
 * NaN when no value is present. */
void rstat_compute(rstat *out, const double *v, size_t n, double *scratch);

/* 95% Wilson score interval of the share k/n (0..1); both NaN when
 * n == 0. */
void rstat_wilson(size_t k, size_t n, double *lo, double *hi);

#endif
