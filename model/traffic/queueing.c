/*
 * queueing — M/M/c with deterministic patience per task (see queueing.h).
 *
 * Invariant: every quantity is computed from bounded terms. The three
 * weights of no wait / wait / error are scaled by e^(theta*tau) when theta
 * < 0 (overload), so no exponential overflows however long the timeout;
 * e^(-k*y) appears only with k, y >= 0; differences of nearly equal
 * numbers go through expm1 or a series. Times are seconds inside, ms at
 * the interface.
 *
 * Notation: Z = wait + service (latency minus base, before the cap); X is
 * the wait of a request that waits, with density proportional to
 * e^(-theta*x) on (0, tau); S ~ Exp(mu) is its service.
 */
#include "model/traffic/queueing.h"

#include <math.h>

#include <stdlib.h>

#include "sim/error.h"
#include "sim/xalloc.h"

/* e^(-x) for x >= 0. Past 746 the double is 0, which exp returns only
 * through its underflow path (errno and all): the same 0, cheaper. */
static inline double
exp_neg(double x)
{
	return x >= 746 ? 0.0 : exp(-x);
}

/* ∫_0^y e^(-k x) dx for k >= 0. */
static double
H(double k, double y)
{
	if (k == 0)
		return y;
	return -expm1(-k * y) / k;
}

/* ∫_0^y e^(-theta x - mu (y - x)) dx for theta, mu >= 0. */
static double
J(double theta, double mu, double y)
{
	double lo = theta < mu ? theta : mu;
	return exp_neg(lo * y) * H(fabs(mu - theta), y);
}

/* m(z) = 1/z - 1/(e^z - 1): the mean of an exponential of rate z
 * truncated to (0, 1). m(0) = 1/2, m(-z) = 1 - m(z). */
static double
trunc_mean(double z)
{
	if (z < 0)
		return 1 - trunc_mean(-z);
	if (z < 1e-2) {
		double z3 = z * z * z;
		return 0.5 - z / 12 + z3 / 720 - z3 * z * z / 30240;
	}
	return 1 / z - 1 / expm1(z);
}

static double
erlang_b(int n, double a)
{
	double b = 1;
	for (int k = 1; k <= n; k++)
		b = a * b / (k + a * b);
	return b;
}

int
q_default_servers(double vcpu)
{
	SIM_ASSERT(isfinite(vcpu) && vcpu > 0 && vcpu < 1e6);
	int c = (int)ceil(vcpu);
	return c < 1 ? 1 : c;
}

double
q_erlang_c(int c, double a)
{
	SIM_ASSERT(c >= 1 && a >= 0 && a < c);
	double b = erlang_b(c - 1, a);
	return a * b / (c - a + a * b);
}

/* H(|theta|, tau): the normalising constant of the delayed wait's
 * density, fixed for a law (computed once per law and passed along). */
static double
delayed_norm(const q_dist *d)
{
	return H(d->theta >= 0 ? d->theta : -d->theta, d->tau);
}

/* e^(-x) and e^(-x) - 1 for x >= 0 from one call: expm1 where the
 * difference would cancel, exp elsewhere (both to a few ulps). */
static inline void
exp_pair(double x, double *e, double *em1)
{
	if (x < 0.5) {
		*em1 = expm1(-x);
		*e = 1 + *em1;
	} else {
		*e = exp_neg(x);
		*em1 = *e - 1;
	}
}

/* P(Z <= y), its density and the density's derivative (for the
 * solver), 0 <= y <= tau; ht = delayed_norm(d). Each exponential is
 * taken once (e^(-mu y), e^(-theta y), e^(-|mu - theta| y)):
 *   no wait:  p0 (1 - e^(-mu y))
 *   delayed (theta >= 0):  (H(theta, y) - J) / ht, density mu J / ht,
 *     J = e^(-min(theta, mu) y) H(|mu - theta|, y), J' = e^(-theta y) - mu J;
 *   delayed (theta < 0, phi = -theta): tau - X is an exponential of rate
 *     phi truncated to (0, tau): s (H(phi, y) - H(phi + mu, y)) / ht with
 *     s = e^(-phi (tau - y)), density mu s H(phi + mu, y) / ht. */
/* The last exp_pair of one evaluation point, which the next component
 * reuses when its argument is the same (tasks of one service with one
 * server share |mu - theta| = lambda). */
typedef struct exp_memo {
	double x, e, em1;
} exp_memo;

static void
z_cdf(const q_dist *d, double ht, double y, exp_memo *memo, double *F,
    double *f, double *fp)
{
	double mu = d->mu;
	double emu, amu;
	exp_pair(mu * y, &emu, &amu);
	double Fz = d->p0 * -amu, fz = d->p0 * mu * emu, fpz = -d->p0 * mu * mu * emu;
	if (d->pw > 0) {
		double Fd, fd, fpd;
		if (d->theta >= 0) {
			double th = d->theta, eth, ath;
			exp_pair(th * y, &eth, &ath);
			double hth = th == 0 ? y : -ath / th;
			double dd = fabs(mu - th), hd;
			if (dd == 0)
				hd = y;
			else {
				double x = dd * y;
				if (x != memo->x) {
					memo->x = x;
					exp_pair(x, &memo->e, &memo->em1);
				}
				hd = -memo->em1 / dd;
			}
			double j = (th < mu ? eth : emu) * hd;
			Fd = (hth - j) / ht;
			fd = mu * j / ht;
			fpd = mu * (eth - mu * j) / ht;
		} else {
			double ph = -d->theta, eph, aph, epm, apm;
			double s = exp_neg(ph * (d->tau - y));
			exp_pair(ph * y, &eph, &aph);
			exp_pair((ph + mu) * y, &epm, &apm);
			double hph = -aph / ph, hm = -apm / (ph + mu);
			Fd = s * (hph - hm) / ht;
			fd = mu * s * hm / ht;
			fpd = mu * s * (ph * hm + epm) / ht;
		}
		if (Fd < 0)
			Fd = 0;
		if (Fd > 1)
			Fd = 1;
		Fz += d->pw * Fd;
		fz += d->pw * fd;
		fpz += d->pw * fpd;
	}
	*F = Fz;
	*f = fz;
	*fp = fpz;
}

/* P(latency <= l), its density and the density's derivative (l in s). */
static void
lat_cdf(const q_dist *d, double ht, double l, exp_memo *memo, double *F,
    double *f, double *fp)
{
	if (l < d->base || l >= d->base + d->tau) {
		*F = l < d->base ? 0 : 1;
		*f = *fp = 0;
		return;
	}
	z_cdf(d, ht, l - d->base, memo, F, f, fp);
}

void
q_eval_rates(const q_params *p, double lambda, q_result *out)
{
	SIM_ASSERT(isfinite(p->cpu_ms) && p->cpu_ms > 0);
	SIM_ASSERT(isfinite(p->base_ms) && p->base_ms >= 0);
	SIM_ASSERT(isfinite(p->vcpu) && p->vcpu > 0);
	SIM_ASSERT(p->servers >= 1);
	SIM_ASSERT(isfinite(p->timeout_ms) && p->timeout_ms > p->base_ms);
	SIM_ASSERT(isfinite(lambda) && lambda >= 0);

	int c = p->servers;
	double cap = p->vcpu * 1000 / p->cpu_ms;
	double mu = cap / c;
	double tau = (p->timeout_ms - p->base_ms) / 1000;
	double theta = cap - lambda;
	double lb = lambda * erlang_b(c - 1, lambda / mu);

	/* weights of no wait : wait : error, scaled by e^(theta*tau) when
	 * theta < 0 */
	double w0, ww, we;
	if (theta >= 0) {
		w0 = 1;
		ww = lb * H(theta, tau);
		we = lb * exp_neg(theta * tau) / cap;
	} else {
		w0 = exp(theta * tau);
		ww = lb * H(-theta, tau);
		we = lb / cap;
	}
	double sum = w0 + ww + we;
	q_dist *d = &out->d;
	d->p0 = w0 / sum;
	d->pw = ww / sum;
	d->perr = we / sum;
	d->theta = theta;
	d->mu = mu;
	d->tau = tau;
	d->base = p->base_ms / 1000;

	/* E[min(X + S, tau)] = E[X] + (1 - E[e^(-mu (tau - X))]) / mu */
	double ex = tau * trunc_mean(theta * tau), r;
	if (theta >= 0)
		r = J(theta, mu, tau) / H(theta, tau);
	else
		r = H(mu - theta, tau) / H(-theta, tau);
	d->mean = d->base + d->p0 * H(mu, tau) +
	    d->pw * (ex + (1 - r) / mu) + d->perr * tau;

	out->lambda = lambda;
	out->servers = c;
	out->capacity = cap;
	out->rho = lambda / cap;
	out->overloaded = lambda >= cap;
	out->served = lambda * (1 - d->perr);
	out->errors = lambda * d->perr;
	out->error_ratio = lambda > 0 ? d->perr : 0;
	out->busy = out->served / cap;
	out->cpu_vcpu = out->served * p->cpu_ms / 1000;
	out->p_wait = d->pw + d->perr;
	out->mean_ms = d->mean * 1000;
	out->p50_ms = out->p95_ms = out->p99_ms = (double)NAN;
}

void
q_eval_load(const q_params *p, double lambda, double *served, double *cpu_vcpu)
{
	/* the same terms as q_eval_rates */
	double cap = p->vcpu * 1000 / p->cpu_ms;
	double tau = (p->timeout_ms - p->base_ms) / 1000;
	double theta = cap - lambda;
	if (isfinite(lambda) && lambda >= 0 && theta > 0 && theta * tau >= 50) {
		/* perr = we / sum <= lambda B e^(-theta tau) / cap / 1 with
		 * B <= 1 and lambda < cap: below e^-50 < 2^-54, so
		 * lambda * (1 - perr) is lambda exactly */
		*served = lambda;
		*cpu_vcpu = *served * p->cpu_ms / 1000;
		return;
	}
	q_result q;
	q_eval_rates(p, lambda, &q);
	*served = q.served;
	*cpu_vcpu = q.cpu_vcpu;
}

void
q_eval(const q_params *p, double lambda, q_result *out)
{
	q_eval_rates(p, lambda, out);
	out->p50_ms = q_quantile(out, 0.50);
	out->p95_ms = q_quantile(out, 0.95);
	out->p99_ms = q_quantile(out, 0.99);
}

/* ---- mixtures (one task is a mixture of one) ---- */

/* Weight of task i: its share of the arrivals. */
static double
weight(const q_result *rs, size_t n, double total, size_t i)
{
	return total > 0 ? rs[i].lambda / total : 1.0 / (double)n;
}

void
q_scale_weight(q_result *r, double k)
{
	r->lambda *= k;
}

static double
total_rate(const q_result *rs, size_t n)
{
	double t = 0;
	for (size_t i = 0; i < n; i++)
		t += rs[i].lambda;
	return t;
}

/* A mixture ready for repeated evaluation: each component's weight and
 * the constant of its law, and what every quantile level shares. */
typedef struct mix {
	const q_result *rs;
	size_t n;
	double *w;     /* weights */
	double *ht;    /* delayed_norm of each law */
	double lo, hi; /* shortest base, longest base + tau (s) */
	double mean;   /* the mixture's mean latency (s) */
	double below;  /* P(latency < the longest timeout) */
} mix;

#define MIX_ON_STACK 32

static void
mix_init(mix *x, const q_result *rs, size_t n, double *stack)
{
	SIM_ASSERT(n >= 1);
	x->rs = rs;
	x->n = n;
	x->w = n <= MIX_ON_STACK ? stack : xmalloc(2 * n * sizeof(double));
	x->ht = x->w + n;
	double total = total_rate(rs, n);
	x->lo = HUGE_VAL;
	x->hi = 0;
	x->mean = 0;
	for (size_t i = 0; i < n; i++) {
		const q_dist *d = &rs[i].d;
		x->w[i] = weight(rs, n, total, i);
		x->ht[i] = d->pw > 0 ? delayed_norm(d) : 0;
		if (d->base < x->lo)
			x->lo = d->base;
		if (d->base + d->tau > x->hi)
			x->hi = d->base + d->tau;
		x->mean += x->w[i] * d->mean;
	}
	/* beyond every answered request: the (longest) timeout itself */
	x->below = 0;
	for (size_t i = 0; i < n; i++) {
		const q_dist *d = &rs[i].d;
		double F = 1, f, fp;
		exp_memo memo = {-1, 0, 0};
		if (d->base + d->tau >= x->hi)
			z_cdf(d, x->ht[i], d->tau, &memo, &F, &f, &fp);
		x->below += x->w[i] * F;
	}
}

static void
mix_free(mix *x, double *stack)
{
	if (x->w != stack)
		free(x->w);
}

static void
mix_cdf(const mix *x, double l, double *F, double *f, double *fp)
{
	*F = *f = *fp = 0;
	exp_memo memo = {-1, 0, 0};
	for (size_t i = 0; i < x->n; i++) {
		double w = x->w[i], Fi, fi, fpi;
		if (w == 0)
			continue;
		lat_cdf(&x->rs[i].d, x->ht[i], l, &memo, &Fi, &fi, &fpi);
		*F += w * Fi;
		*f += w * fi;
		*fp += w * fpi;
	}
}

/* The points where one q_mix_quantiles call evaluated the CDF: every
 * level starts inside the tightest bracket they give, from the nearest
 * point below. */
typedef struct mix_pts {
	double x[64], F[64], f[64], fp[64];
	int n;
} mix_pts;

/* The least l with F(l) >= q, to 1e-9 of l: Halley steps (the density's
 * derivative is at hand) kept inside a bracket [lo, hi] with F(lo) < q
 * <= F(hi), bisection when a step would leave it or not halve the last
 * step (Numerical Recipes' rtsafe). The CDF may jump at a timeout;
 * bisection then closes in on the jump. */
static double
mix_solve(const mix *m, double q, mix_pts *pts)
{
	SIM_ASSERT(q > 0 && q < 1);
	double lo = m->lo, hi = m->hi;
	if (m->below < q)
		return hi;
	/* the bracket from earlier levels, and a Newton step from the
	 * highest point below q */
	int below = -1;
	for (int i = 0; i < pts->n; i++) {
		if (pts->F[i] < q && pts->x[i] > lo) {
			lo = pts->x[i];
			below = i;
		} else if (pts->F[i] >= q && pts->x[i] < hi)
			hi = pts->x[i];
	}
	double x = (double)NAN;
	if (below >= 0 && pts->f[below] > 0) {
		/* as if the tail past it were exponential: 1 - F falls by
		 * e^(-(x - lo) f / (1 - F)) */
		double Fb = pts->F[below], fb = pts->f[below], S = 1 - Fb;
		double h = fb / S, hp = (pts->fp[below] * S + fb * fb) / (S * S);
		double L = log(S / (1 - q)), disc = h * h + 2 * hp * L;
		x = lo + (hp != 0 && disc >= 0 ? (sqrt(disc) - h) / hp : L / h);
	}
	if (!(x > lo && x < hi)) {
		/* the quantile of an exponential of the mixture's mean past
		 * the shortest base */
		x = m->lo + (m->mean - m->lo) * -log1p(-q);
		if (!(x > lo && x < hi))
			x = lo + (hi - lo) / 2;
	}
	double dx = hi - lo, dxold = dx;
	for (int it = 0; it < 400; it++) {
		double F, f, fp;
		mix_cdf(m, x, &F, &f, &fp);
		if (pts->n < 64) {
			pts->x[pts->n] = x;
			pts->F[pts->n] = F;
			pts->fp[pts->n] = fp;
			pts->f[pts->n++] = f;
		}
		if (F >= q)
			hi = x;
		else
			lo = x;
		/* 1e-9 of the latency: far below a microsecond */
		double tol = 1e-9 * hi + 1e-15;
		if (hi - lo <= tol || F == q)
			return hi;
		double g = F - q, step = HUGE_VAL, newton = HUGE_VAL;
		if (f > 0) {
			double den = 2 * f * f - g * fp;
			newton = g / f;
			step = den > 0 ? 2 * g * f / den : newton;
		}
		double nx = x - step;
		/* done: a step below 1e-9 of the latency itself (not of the
		 * bracket, which may still reach a timeout far away); or a
		 * Halley step below 1e-5 of it that Newton's agrees with to
		 * 1e-3 (the curvature term small, the next smaller still: the
		 * step lands within ~1e-14 of the root on the scenarios and
		 * the random mixtures of the tests) */
		bool small = fabs(step) <= 1e-9 * nx + 1e-15 ||
		    (fabs(step) <= 1e-5 * nx && fabs(newton - step) <= 1e-3 * fabs(step));
		if (small && nx >= lo && nx <= hi)
			return nx;
		if (!(nx > lo && nx < hi) || fabs(2 * step) > fabs(dxold)) {
			dxold = dx;
			dx = (hi - lo) / 2;
			x = lo + dx;
		} else {
			dxold = dx;
			dx = step;
			x = nx;
		}
	}
	return hi;
}

double
q_cdf(const q_result *r, double ms)
{
	return q_mix_cdf(r, 1, ms);
}

double
q_quantile(const q_result *r, double q)
{
	double out;
	q_mix_quantiles(r, 1, &q, 1, &out);
	return out;
}

double
q_mix_cdf(const q_result *rs, size_t n, double ms)
{
	double stack[2 * MIX_ON_STACK], F, f, fp;
	mix m;
	mix_init(&m, rs, n, stack);
	mix_cdf(&m, ms / 1000, &F, &f, &fp);
	mix_free(&m, stack);
	return F;
}

double
q_mix_quantile(const q_result *rs, size_t n, double q)
{
	double out;
	q_mix_quantiles(rs, n, &q, 1, &out);
	return out;
}

void
q_mix_quantiles(const q_result *rs, size_t n, const double *qs, int k,
    double *out)
{
	double stack[2 * MIX_ON_STACK];
	mix m;
	mix_init(&m, rs, n, stack);
	mix_pts pts;
	pts.n = 0;
	for (int i = 0; i < k; i++)
		out[i] = mix_solve(&m, qs[i], &pts) * 1000;
	mix_free(&m, stack);
}

double
q_mix_mean(const q_result *rs, size_t n)
{
	SIM_ASSERT(n >= 1);
	double total = total_rate(rs, n), m = 0;
	for (size_t i = 0; i < n; i++)
		m += weight(rs, n, total, i) * rs[i].d.mean;
	return m * 1000;
}

const char *
q_model_text(void)
{
	return "each task is an M/M/c queue with deterministic patience "
	    "(M/M/c+D): Poisson arrivals at the task's share of the load; "
	    "c servers (the image's concurrency, default ceil(vCPU)); "
	    "exponential service with mean cpu_ms*c/vCPU; base_ms of non-CPU "
	    "time per response; a request whose queueing delay would reach "
	    "timeout - base_ms fails at the timeout and uses no CPU; latency = "
	    "base + wait + service capped at the timeout, percentiles over all "
	    "requests";
}
