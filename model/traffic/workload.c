/*
 * workload — load curves (see workload.h for the shapes and the rules).
 *
 * Invariant: a curve is a pure function of simulated time plus its list
 * of overrides; nothing is cached between calls, so evaluation order
 * never changes a value. Tables (steps and traces) keep their times as
 * doubles holding whole microseconds (exact below 2^53 µs, 285 years), so
 * comparisons with a sim_time are exact; cum[i] is the integral of the
 * table from xs[0] to xs[i], in rps·µs. Overrides are sorted by time,
 * stably (equal times keep insertion order).
 */
#include "model/traffic/workload.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_interp.h>

#include "sim/rng.h"
#include "sim/xalloc.h"

#define WL_PI 3.14159265358979323846

typedef enum shape_kind {
	SHAPE_CONST,
	SHAPE_TABLE,
	SHAPE_DIURNAL,
} shape_kind;

typedef enum noise_kind {
	NOISE_NONE,
	NOISE_GAUSSIAN,
	NOISE_LOGNORMAL,
} noise_kind;

typedef struct wl_spike {
	sim_time at, up, hold, down;
	double add;
} wl_spike;

typedef struct wl_override {
	sim_time at;
	bool constant; /* v replaces the scheduled curve; else v scales it */
	double v;
} wl_override;

struct wl_curve {
	arena *a;
	shape_kind kind;
	double rps; /* SHAPE_CONST */

	/* SHAPE_TABLE */
	size_t n;
	double *xs, *ys, *cum;
	bool linear, repeat;
	sim_time cycle;     /* repeat: the last row's time */
	gsl_interp *interp; /* linear with n >= 2 */

	/* SHAPE_DIURNAL */
	double base, amp;
	sim_time peak_at, period;

	wl_spike *spikes;
	size_t nspikes;

	noise_kind noise;
	double rel, sigma;
	sim_time grid;
	uint64_t key;

	wl_override *ovr;
	size_t novr, ovrcap;
};

static const char *const shape_keys[] = {
	"constant", "steps", "diurnal", "spike", "trace",
};
#define NSHAPES (sizeof(shape_keys) / sizeof(shape_keys[0]))

/* ---- noise ---- */

static uint64_t
noise_key(uint64_t master, uint64_t entity)
{
	uint64_t h = rng_fnv1a64(WL_NOISE_PURPOSE);
	return rng_splitmix64(rng_splitmix64(master ^ h) +
	    rng_splitmix64(entity ^ UINT64_C(0x9e3779b97f4a7c15)));
}

/* The factor of the noise cell holding t (1 without noise). */
static double
noise_factor(const wl_curve *c, sim_time t)
{
	if (c->noise == NOISE_NONE)
		return 1.0;
	uint64_t k = (uint64_t)(t / c->grid);
	uint64_t h = rng_splitmix64(c->key ^ rng_splitmix64(k));
	double u = ((double)(h >> 11) + 0.5) * 0x1p-53;
	double z = gsl_cdf_ugaussian_Pinv(u);
	if (c->noise == NOISE_LOGNORMAL)
		return exp(c->sigma * z - c->sigma * c->sigma / 2);
	double f = 1.0 + c->rel * z;
	return f < 0 ? 0 : f;
}

/* ---- tables ---- */

/* t mapped into the table's own time (the cycle, when repeating). */
static double
tab_local(const wl_curve *c, sim_time t)
{
	if (c->repeat)
		t %= c->cycle;
	return (double)t;
}

/* Index i of the row with xs[i] <= x < xs[i+1], for xs[0] <= x < xs[n-1]. */
static size_t
tab_index(const wl_curve *c, double x)
{
	return gsl_interp_bsearch(c->xs, x, 0, c->n - 1);
}

static double
tab_value(const wl_curve *c, double x)
{
	if (x <= c->xs[0])
		return c->ys[0];
	if (x >= c->xs[c->n - 1])
		return c->ys[c->n - 1];
	if (c->linear)
		return gsl_interp_eval(c->interp, c->xs, c->ys, x, NULL);
	return c->ys[tab_index(c, x)];
}

/* Integral from xs[i] to x (xs[i] <= x <= xs[i+1]) within segment i. */
static double
tab_partial(const wl_curve *c, size_t i, double x)
{
	double dx = x - c->xs[i];
	if (!c->linear || dx == 0)
		return c->ys[i] * dx;
	double y = c->ys[i] + (c->ys[i + 1] - c->ys[i]) * dx /
	    (c->xs[i + 1] - c->xs[i]);
	return dx * (c->ys[i] + y) / 2;
}

/* Integral over [x0, x1] of the table extended by holding its end values
 * (x0 <= x1, both in table time). */
static double
tab_integ_flat(const wl_curve *c, double x0, double x1)
{
	double lo = c->xs[0], hi = c->xs[c->n - 1], s = 0;
	if (x0 < lo) {
		double e = x1 < lo ? x1 : lo;
		s += c->ys[0] * (e - x0);
		x0 = e;
	}
	if (x1 > hi) {
		double b = x0 > hi ? x0 : hi;
		s += c->ys[c->n - 1] * (x1 - b);
		x1 = b;
	}
	if (x1 <= x0)
		return s;
	size_t i = tab_index(c, x0);
	size_t j = x1 >= hi ? c->n - 1 : tab_index(c, x1);
	if (i == j)
		return s + tab_partial(c, i, x1) - tab_partial(c, i, x0);
	/* rest of segment i, whole segments i+1 .. j-1, start of segment j */
	s += (c->cum[i + 1] - c->cum[i]) - tab_partial(c, i, x0);
	s += c->cum[j] - c->cum[i + 1];
	if (j < c->n - 1)
		s += tab_partial(c, j, x1);
	return s;
}

static double
tab_integ(const wl_curve *c, sim_time a, sim_time b)
{
	if (!c->repeat)
		return tab_integ_flat(c, (double)a, (double)b);
	sim_time P = c->cycle, ka = a / P, kb = b / P;
	double la = (double)(a % P), lb = (double)(b % P);
	if (ka == kb)
		return tab_integ_flat(c, la, lb);
	double whole = c->cum[c->n - 1];
	return tab_integ_flat(c, la, (double)P) + (double)(kb - ka - 1) * whole +
	    tab_integ_flat(c, 0, lb);
}

/* Next time after t at which the table may change, t if it is changing at
 * t, SIM_TIME_MAX if never. */
static sim_time
tab_next(const wl_curve *c, sim_time t)
{
	sim_time off = 0, lt = t;
	if (c->repeat) {
		off = t - t % c->cycle;
		lt = t % c->cycle;
	}
	double x = (double)lt;
	if (x < c->xs[0])
		return off + (sim_time)c->xs[0];
	if (x >= c->xs[c->n - 1])
		return c->repeat ? off + c->cycle : SIM_TIME_MAX;
	size_t i = tab_index(c, x);
	if (c->linear && c->ys[i + 1] != c->ys[i])
		return t;
	return off + (sim_time)c->xs[i + 1];
}

/* ---- diurnal ---- */

static sim_time
mod_pos(sim_time x, sim_time m)
{
	sim_time r = x % m;
	return r < 0 ? r + m : r;
}

static double
diurnal_value(const wl_curve *c, sim_time t)
{
	double r = (double)mod_pos(t - c->peak_at, c->period);
	return c->base + c->amp * (1 + cos(2 * WL_PI * r / (double)c->period)) / 2;
}

/* Exact integral of the raised cosine: the sine difference is taken as
 * 2 cos(mid) sin(half) so short intervals keep their precision. */
static double
diurnal_integ(const wl_curve *c, sim_time a, sim_time b)
{
	double P = (double)c->period;
	double ra = (double)mod_pos(a - c->peak_at, c->period);
	double lr = (double)((b - a) % c->period);
	double dsin = 2 * cos(2 * WL_PI * (ra + lr / 2) / P) *
	    sin(WL_PI * lr / P);
	return (c->base + c->amp / 2) * (double)(b - a) +
	    c->amp / 2 * P / (2 * WL_PI) * dsin;
}

/* ---- spikes ---- */

static double
spike_value(const wl_spike *s, sim_time t)
{
	if (t < s->at)
		return 0;
	sim_time d = t - s->at;
	if (d < s->up)
		return s->add * (double)d / (double)s->up;
	d -= s->up;
	if (d < s->hold)
		return s->add;
	d -= s->hold;
	if (d < s->down)
		return s->add * (double)(s->down - d) / (double)s->down;
	return 0;
}

/* Integral over [a, b] of the line from (p0, v0) to (p1, v1), zero
 * outside [p0, p1]. */
static double
line_integ(sim_time p0, sim_time p1, double v0, double v1, sim_time a,
    sim_time b)
{
	sim_time x = a > p0 ? a : p0, y = b < p1 ? b : p1;
	if (y <= x)
		return 0;
	double span = (double)(p1 - p0);
	double vx = v0 + (v1 - v0) * (double)(x - p0) / span;
	double vy = v0 + (v1 - v0) * (double)(y - p0) / span;
	return (double)(y - x) * (vx + vy) / 2;
}

static double
spike_integ(const wl_spike *s, sim_time a, sim_time b)
{
	sim_time t1 = s->at + s->up, t2 = t1 + s->hold, t3 = t2 + s->down;
	return line_integ(s->at, t1, 0, s->add, a, b) +
	    line_integ(t1, t2, s->add, s->add, a, b) +
	    line_integ(t2, t3, s->add, 0, a, b);
}

static sim_time
spike_next(const wl_spike *s, sim_time t)
{
	sim_time t1 = s->at + s->up, t2 = t1 + s->hold, t3 = t2 + s->down;
	if (s->add == 0 || t >= t3)
		return SIM_TIME_MAX;
	if (t < s->at)
		return s->at;
	if (t >= t1 && t < t2)
		return t2;
	return t; /* on a ramp */
}

/* ---- the scheduled curve: shape plus spikes ---- */

static double
sched_value(const wl_curve *c, sim_time t)
{
	double v;
	switch (c->kind) {
	case SHAPE_CONST:
		v = c->rps;
		break;
	case SHAPE_TABLE:
		v = tab_value(c, tab_local(c, t));
		break;
	default:
		v = diurnal_value(c, t);
		break;
	}
	for (size_t i = 0; i < c->nspikes; i++)
		v += spike_value(&c->spikes[i], t);
	return v;
}

static double
sched_integ(const wl_curve *c, sim_time a, sim_time b)
{
	double s;
	switch (c->kind) {
	case SHAPE_CONST:
		s = c->rps * (double)(b - a);
		break;
	case SHAPE_TABLE:
		s = tab_integ(c, a, b);
		break;
	default:
		s = diurnal_integ(c, a, b);
		break;
	}
	for (size_t i = 0; i < c->nspikes; i++)
		s += spike_integ(&c->spikes[i], a, b);
	return s;
}

static sim_time
sched_next(const wl_curve *c, sim_time t)
{
	sim_time u;
	switch (c->kind) {
	case SHAPE_CONST:
		u = SIM_TIME_MAX;
		break;
	case SHAPE_TABLE:
		u = tab_next(c, t);
		break;
	default:
		u = c->amp == 0 ? SIM_TIME_MAX : t;
		break;
	}
	for (size_t i = 0; i < c->nspikes && u > t; i++) {
		sim_time s = spike_next(&c->spikes[i], t);
		if (s < u)
			u = s;
	}
	return u;
}

/* ---- overrides ---- */

/* Index of the override in force at t (the last with at <= t), or -1. */
static long
ovr_active(const wl_curve *c, sim_time t)
{
	size_t lo = 0, hi = c->novr; /* first index with at > t */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->ovr[mid].at <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

static double
level_value(const wl_curve *c, sim_time t)
{
	long i = ovr_active(c, t);
	if (i < 0)
		return sched_value(c, t);
	const wl_override *o = &c->ovr[i];
	if (o->constant)
		return o->v;
	return o->v == 0 ? 0 : o->v * sched_value(c, t);
}

static double
level_integ(const wl_curve *c, sim_time a, sim_time b)
{
	double s = 0;
	long i = ovr_active(c, a);
	for (sim_time x = a; x < b; i++) {
		sim_time end = b;
		if ((size_t)(i + 1) < c->novr && c->ovr[i + 1].at < b)
			end = c->ovr[i + 1].at;
		if (end <= x)
			continue;
		if (i < 0)
			s += sched_integ(c, x, end);
		else if (c->ovr[i].constant)
			s += c->ovr[i].v * (double)(end - x);
		else if (c->ovr[i].v != 0)
			s += c->ovr[i].v * sched_integ(c, x, end);
		x = end;
	}
	return s;
}

static void
ovr_add(wl_curve *c, sim_time at, bool constant, double v)
{
	SIM_ASSERT(at >= 0 && isfinite(v) && v >= 0);
	if (c->novr == c->ovrcap) {
		size_t ncap = c->ovrcap ? c->ovrcap * 2 : 4;
		wl_override *n = ARENA_ARRAY(c->a, wl_override, ncap);
		if (c->novr > 0)
			memcpy(n, c->ovr, c->novr * sizeof(*n));
		c->ovr = n;
		c->ovrcap = ncap;
	}
	size_t i = c->novr;
	while (i > 0 && c->ovr[i - 1].at > at) {
		c->ovr[i] = c->ovr[i - 1];
		i--;
	}
	c->ovr[i] = (wl_override){.at = at, .constant = constant, .v = v};
	c->novr++;
}

void
wl_set_scale(wl_curve *c, sim_time at, double k)
{
	ovr_add(c, at, false, k);
}

void
wl_set_constant(wl_curve *c, sim_time at, double rps)
{
	ovr_add(c, at, true, rps);
}

/* ---- evaluation ---- */

double
wl_rps_at(const wl_curve *c, sim_time t)
{
	SIM_ASSERT(t >= 0);
	double f = noise_factor(c, t);
	return f == 0 ? 0 : f * level_value(c, t);
}

double
wl_mean_rps(const wl_curve *c, sim_time t0, sim_time t1)
{
	SIM_ASSERT(t0 >= 0 && t0 <= t1);
	if (t0 == t1)
		return wl_rps_at(c, t0);
	double s = 0;
	if (c->noise == NOISE_NONE)
		s = level_integ(c, t0, t1);
	else
		for (sim_time x = t0; x < t1;) {
			sim_time end = (x / c->grid + 1) * c->grid;
			if (end > t1)
				end = t1;
			double f = noise_factor(c, x);
			if (f != 0)
				s += f * level_integ(c, x, end);
			x = end;
		}
	return s / (double)(t1 - t0);
}

sim_time
wl_next_change(const wl_curve *c, sim_time t)
{
	SIM_ASSERT(t >= 0);
	long i = ovr_active(c, t);
	sim_time u;
	if (i >= 0 && (c->ovr[i].constant || c->ovr[i].v == 0))
		u = SIM_TIME_MAX;
	else
		u = sched_next(c, t);
	if (u == t)
		return t;
	if ((size_t)(i + 1) < c->novr && c->ovr[i + 1].at < u)
		u = c->ovr[i + 1].at;
	if (c->noise != NOISE_NONE) {
		sim_time cell_end = (t / c->grid + 1) * c->grid;
		if (cell_end < u)
			u = cell_end;
	}
	return u;
}

bool
wl_has_noise(const wl_curve *c)
{
	return c->noise != NOISE_NONE;
}

void
wl_seed(wl_curve *c, uint64_t master, uint64_t entity)
{
	c->key = noise_key(master, entity);
}

static wl_curve *
curve_new(arena *a)
{
	wl_curve *c = ARENA_NEW(a, wl_curve);
	c->a = a;
	c->kind = SHAPE_CONST;
	c->grid = WL_NOISE_INTERVAL;
	c->key = noise_key(1, 0);
	return c;
}

wl_curve *
wl_new_constant(arena *a, double rps)
{
	SIM_ASSERT(isfinite(rps) && rps >= 0);
	wl_curve *c = curve_new(a);
	c->rps = rps;
	return c;
}

/* ---- tables from parsed rows ---- */

/* Finish a table of n rows (times in µs, strictly increasing). */
static void
tab_finish(wl_curve *c, size_t n, bool linear, bool repeat)
{
	c->kind = SHAPE_TABLE;
	c->n = n;
	c->linear = linear && n >= 2;
	c->repeat = repeat;
	c->cycle = repeat ? (sim_time)c->xs[n - 1] : 0;
	c->cum = ARENA_ARRAY(c->a, double, n);
	for (size_t i = 0; i + 1 < n; i++)
		c->cum[i + 1] = c->cum[i] + tab_partial(c, i, c->xs[i + 1]);
	if (c->linear) {
		/* Linear interpolation keeps no state (no alloc, no free): the
		 * struct alone is the object, so it may live in the arena. */
		SIM_ASSERT(gsl_interp_linear->alloc == NULL &&
		    gsl_interp_linear->free == NULL);
		c->interp = ARENA_NEW(c->a, gsl_interp);
		c->interp->type = gsl_interp_linear;
		c->interp->size = n;
		c->interp->state = NULL;
		int rc = gsl_interp_init(c->interp, c->xs, c->ys, n);
		SIM_ASSERT(rc == 0);
	}
}

/* ---- CSV traces ---- */

static int csv_fail(const char *file, int line, int col, sim_error *err,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
csv_fail(const char *file, int line, int col, sim_error *err,
    const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sim_error_set(err, SIM_EINPUT, file, line, col, "", "%s", msg);
}

typedef struct csv_field {
	const char *s; /* trimmed */
	size_t len;
	int col;       /* 1-based column of s */
} csv_field;

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Split [s, e) at commas; up to max fields are stored; returns the count.
 * line0 is where the line starts (for columns). */
static int
csv_split(const char *line0, const char *s, const char *e, csv_field *f,
    int max, const char **third)
{
	int n = 0;
	*third = NULL;
	for (;;) {
		const char *c = s;
		while (c < e && *c != ',')
			c++;
		const char *a = s, *b = c;
		while (a < b && is_blank(*a))
			a++;
		while (b > a && is_blank(b[-1]))
			b--;
		if (n < max)
			f[n] = (csv_field){.s = a, .len = (size_t)(b - a),
			    .col = (int)(a - line0) + 1};
		if (n == max)
			*third = s;
		n++;
		if (c == e)
			return n;
		s = c + 1;
	}
}

static bool
all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A plain decimal: digits, optionally '.' and digits. */
static bool
is_decimal(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);
	if (dot == NULL)
		return all_digits(s, n);
	return all_digits(s, (size_t)(dot - s)) &&
	    all_digits(dot + 1, n - (size_t)(dot - s) - 1);
}

/* A number for rps: a decimal with an optional exponent. */
static bool
is_number(const char *s, size_t n)
{
	size_t e = 0;
	while (e < n && s[e] != 'e' && s[e] != 'E')
		e++;
	if (!is_decimal(s, e))
		return false;
	if (e == n)
		return true;
	size_t k = e + 1;
	if (k < n && (s[k] == '+' || s[k] == '-'))
		k++;
	return all_digits(s + k, n - k);
}

/* The field as a C string for messages (shortened past 40 bytes). */
static void
field_text(const csv_field *f, char *buf, size_t size)
{
	if (f->len > 40)
		snprintf(buf, size, "%.37s...", f->s);
	else
		snprintf(buf, size, "%.*s", (int)f->len, f->s);
}

static int
csv_time(const char *file, int line, const csv_field *f, sim_time *out,
    sim_error *err)
{
	char txt[64], why[256];
	field_text(f, txt, sizeof(txt));
	if (f->len == 0)
		return csv_fail(file, line, f->col, err, "missing time");
	if (f->len > 40)
		return csv_fail(file, line, f->col, err,
		    "invalid time \"%s\": too long", txt);
	if (is_decimal(f->s, f->len)) {
		if (simtime_from_seconds(strtod(txt, NULL), out) != 0)
			return csv_fail(file, line, f->col, err,
			    "invalid time \"%s\": at most 3660d", txt);
		return 0;
	}
	if (simtime_parse(txt, out, why, sizeof(why)) != 0)
		return csv_fail(file, line, f->col, err,
		    "invalid time \"%s\": %s", txt, why);
	return 0;
}

static int
csv_rps(const char *file, int line, const csv_field *f, double *out,
    sim_error *err)
{
	char txt[64];
	field_text(f, txt, sizeof(txt));
	if (f->len == 0)
		return csv_fail(file, line, f->col, err, "missing rps");
	if (f->len > 40 || !is_number(f->s, f->len))
		return csv_fail(file, line, f->col, err,
		    "invalid rps \"%s\": expected a number >= 0", txt);
	double v = strtod(txt, NULL);
	if (!isfinite(v))
		return csv_fail(file, line, f->col, err,
		    "invalid rps \"%s\": expected a finite number", txt);
	if (v > WL_RPS_MAX)
		return csv_fail(file, line, f->col, err,
		    "rps %s is above the largest load a scenario may ask (%g requests per second)", txt, WL_RPS_MAX);
	*out = v;
	return 0;
}

/* Parse text (len bytes) of the CSV file named file into c's table. */
static int
csv_parse(wl_curve *c, const char *file, const char *text, size_t len,
    bool repeat, sim_error *err)
{
	size_t cap = 0, n = 0;
	sim_time *ts = NULL;
	double *vs = NULL;
	int prev_line = 0, rc = 0;
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a UTF-8 byte order mark: columns still count it */
	bool header = true;
	for (int line = 1; p < end || header; line++) {
		const char *line0 = line == 1 ? text : p;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl != NULL ? nl : end;
		const char *next = nl != NULL ? nl + 1 : end;
		if (e > p && e[-1] == '\r')
			e--;
		const char *nul = memchr(p, '\0', (size_t)(e - p));
		if (nul != NULL) {
			rc = csv_fail(file, line, (int)(nul - line0) + 1, err,
			    "NUL byte in the file");
			goto out;
		}
		csv_field f[2];
		const char *third;
		int nf = csv_split(line0, p, e, f, 2, &third);
		if (header) {
			header = false;
			if (p == end) {
				rc = csv_fail(file, 1, 1, err,
				    "expected the header line \"time,rps\", got an empty file");
				goto out;
			}
			if (nf != 2 || f[0].len != 4 || memcmp(f[0].s, "time", 4) ||
			    f[1].len != 3 || memcmp(f[1].s, "rps", 3)) {
				int w = (int)(e - p);
				rc = csv_fail(file, 1, (int)(p - line0) + 1, err,
				    "expected the header line \"time,rps\", got \"%.*s%s\"",
				    w > 40 ? 37 : w, p, w > 40 ? "..." : "");
				goto out;
			}
			p = next;
			continue;
		}
		p = next;
		if (nf == 1 && f[0].len == 0)
			continue; /* blank line */
		if (nf == 1) {
			rc = csv_fail(file, line, (int)(e - line0) + 1, err,
			    "missing ',' and rps (expected \"time,rps\")");
			goto out;
		}
		if (nf > 2) {
			rc = csv_fail(file, line, (int)(third - line0), err,
			    "unexpected third field (expected \"time,rps\")");
			goto out;
		}
		sim_time t = 0;
		double v = 0;
		if ((rc = csv_time(file, line, &f[0], &t, err)) != 0 ||
		    (rc = csv_rps(file, line, &f[1], &v, err)) != 0)
			goto out;
		if (n == 0 && repeat && t != 0) {
			char ts0[32];
			rc = csv_fail(file, line, f[0].col, err,
			    "with \"repeat\": true the first row must be at time 0, got %s",
			    simtime_format(t, ts0, sizeof(ts0)));
			goto out;
		}
		if (n > 0 && t <= ts[n - 1]) {
			char a[32], b[32];
			rc = csv_fail(file, line, f[0].col, err,
			    "time %s is not after the previous row's %s (line %d)",
			    simtime_format(t, a, sizeof(a)),
			    simtime_format(ts[n - 1], b, sizeof(b)), prev_line);
			goto out;
		}
		if (n == cap) {
			size_t vcap = cap;
			XGROW(ts, cap, n + 1);
			XGROW(vs, vcap, n + 1);
		}
		ts[n] = t;
		vs[n] = v;
		n++;
		prev_line = line;
	}
	if (n == 0) {
		rc = csv_fail(file, 2, 1, err, "no data rows after the header");
		goto out;
	}
	if (repeat && n < 2) {
		rc = csv_fail(file, prev_line, 1, err,
		    "with \"repeat\": true the trace needs at least two rows (the last row's time is the period)");
		goto out;
	}
	c->xs = ARENA_ARRAY(c->a, double, n);
	c->ys = ARENA_ARRAY(c->a, double, n);
	for (size_t i = 0; i < n; i++) {
		c->xs[i] = (double)ts[i];
		c->ys[i] = vs[i];
	}
	c->n = n;
out:
	free(ts);
	free(vs);
	return rc;
}

/* ---- JSON ---- */

/* [stated] The largest load a curve may ask: 10^8 requests per second,
 * beyond any one load balancer, and far enough from DBL_MAX that products
 * with scale factors, noise and CPU milliseconds stay finite. */
#define RPS_MAX WL_RPS_MAX

static int
parse_steps(const jr_val *v, wl_curve *c, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	if (n == 0)
		return jr_fail(v, err, "expected at least one step");
	c->xs = ARENA_ARRAY(c->a, double, (size_t)n);
	c->ys = ARENA_ARRAY(c->a, double, (size_t)n);
	for (int i = 0; i < n; i++) {
		jr_val ev, atv;
		jr_obj o;
		sim_time at;
		jr_elem(v, i, &ev);
		if ((rc = jr_object(&ev, &o, err)) != 0 ||
		    (rc = jr_need(&o, "at", &atv, err)) != 0 ||
		    (rc = jr_duration(&atv, 0, SIM_DURATION_MAX, &at, err)) != 0 ||
		    (rc = jr_req_num(&o, "rps", 0, RPS_MAX, &c->ys[i], err)) != 0 ||
		    (rc = jr_done(&o, err)) != 0)
			return rc;
		char a[32], b[32];
		if (i == 0 && at != 0)
			return jr_fail(&atv, err,
			    "the first step must be at 0s, got %s",
			    simtime_format(at, a, sizeof(a)));
		if (i > 0 && (double)at <= c->xs[i - 1])
			return jr_fail(&atv, err,
			    "steps must be in increasing time: %s is not after the previous step's %s",
			    simtime_format(at, a, sizeof(a)),
			    simtime_format((sim_time)c->xs[i - 1], b, sizeof(b)));
		c->xs[i] = (double)at;
	}
	tab_finish(c, (size_t)n, false, false);
	return 0;
}

/* peak must be at least base; pv is where peak was written. */
static int
check_peak(const jr_val *pv, double base, double peak, sim_error *err)
{
	if (peak < base)
		return jr_fail(pv, err, "peak (%g) must be at least base (%g)", peak,
		    base);
	return 0;
}

static int
parse_diurnal(const jr_val *v, wl_curve *c, sim_error *err)
{
	jr_obj o;
	jr_val pv, hv;
	double base, peak, hour;
	sim_time period;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0 ||
	    (rc = jr_req_num(&o, "base", 0, RPS_MAX, &base, err)) != 0 ||
	    (rc = jr_need(&o, "peak", &pv, err)) != 0 ||
	    (rc = jr_num(&pv, 0, RPS_MAX, &peak, err)) != 0 ||
	    (rc = jr_need(&o, "peakHour", &hv, err)) != 0 ||
	    (rc = jr_num(&hv, 0, DBL_MAX, &hour, err)) != 0 ||
	    (rc = jr_opt_duration(&o, "period", SIM_SEC, SIM_DURATION_MAX,
	        SIM_DAY, &period, err)) != 0 ||
	    (rc = jr_done(&o, err)) != 0 ||
	    (rc = check_peak(&pv, base, peak, err)) != 0)
		return rc;
	double hours = (double)period / (double)SIM_HOUR;
	sim_time at;
	if (hour >= hours || simtime_from_seconds(hour * 3600, &at) != 0) {
		char ps[32];
		return jr_fail(&hv, err,
		    "peakHour must be less than the period (%s = %g hours), got %g",
		    simtime_format(period, ps, sizeof(ps)), hours, hour);
	}
	c->kind = SHAPE_DIURNAL;
	c->base = base;
	c->amp = peak - base;
	c->peak_at = at;
	c->period = period;
	return 0;
}

/* The ramp/hold/ramp members of a spike object (at, rampUp, hold,
 * rampDown) into *s; the duration must not be zero. */
static int
parse_profile(jr_obj *o, wl_spike *s, sim_error *err)
{
	int rc;
	if ((rc = jr_req_duration(o, "at", 0, SIM_DURATION_MAX, &s->at,
	        err)) != 0 ||
	    (rc = jr_opt_duration(o, "rampUp", 0, SIM_DURATION_MAX, 0, &s->up,
	        err)) != 0 ||
	    (rc = jr_req_duration(o, "hold", 0, SIM_DURATION_MAX, &s->hold,
	        err)) != 0 ||
	    (rc = jr_opt_duration(o, "rampDown", 0, SIM_DURATION_MAX, 0,
	        &s->down, err)) != 0)
		return rc;
	return 0;
}

static int
check_profile(jr_obj *o, const wl_spike *s, sim_error *err)
{
	if (s->up == 0 && s->hold == 0 && s->down == 0)
		return jr_fail(&o->v, err,
		    "a spike must last: rampUp, hold and rampDown are all 0s");
	return 0;
}

static int
parse_spike_shape(const jr_val *v, wl_curve *c, sim_error *err)
{
	jr_obj o;
	jr_val pv;
	double base, peak;
	wl_spike s = {0};
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0 ||
	    (rc = jr_req_num(&o, "base", 0, RPS_MAX, &base, err)) != 0 ||
	    (rc = jr_need(&o, "peak", &pv, err)) != 0 ||
	    (rc = jr_num(&pv, 0, RPS_MAX, &peak, err)) != 0 ||
	    (rc = parse_profile(&o, &s, err)) != 0 ||
	    (rc = jr_done(&o, err)) != 0 ||
	    (rc = check_peak(&pv, base, peak, err)) != 0 ||
	    (rc = check_profile(&o, &s, err)) != 0)
		return rc;
	s.add = peak - base;
	c->kind = SHAPE_CONST;
	c->rps = base;
	/* the shape's spike goes first; "spikes" are appended after it */
	c->spikes = ARENA_NEW(c->a, wl_spike);
	c->spikes[0] = s;
	c->nspikes = 1;
	return 0;
}

static int
parse_spikes(const jr_val *v, wl_curve *c, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	wl_spike *all = ARENA_ARRAY(c->a, wl_spike, c->nspikes + (size_t)n + 1);
	if (c->nspikes > 0)
		memcpy(all, c->spikes, c->nspikes * sizeof(*all));
	for (int i = 0; i < n; i++) {
		jr_val ev;
		jr_obj o;
		wl_spike *s = &all[c->nspikes + (size_t)i];
		jr_elem(v, i, &ev);
		if ((rc = jr_object(&ev, &o, err)) != 0 ||
		    (rc = parse_profile(&o, s, err)) != 0 ||
		    (rc = jr_req_num(&o, "add", 0, RPS_MAX, &s->add, err)) != 0 ||
		    (rc = jr_done(&o, err)) != 0 ||
		    (rc = check_profile(&o, s, err)) != 0)
			return rc;
	}
	c->spikes = all;
	c->nspikes += (size_t)n;
	return 0;
}

static int
parse_noise(const jr_val *v, wl_curve *c, sim_error *err)
{
	static const char *const types[] = {"gaussian", "lognormal"};
	jr_obj o;
	int type, rc;
	if ((rc = jr_object(v, &o, err)) != 0 ||
	    (rc = jr_opt_enum(&o, "type", types, 2, 0, &type, err)) != 0 ||
	    (rc = jr_req_num(&o, "relative", 0, 1, &c->rel, err)) != 0 ||
	    (rc = jr_opt_duration(&o, "interval", SIM_SEC, SIM_DAY,
	        WL_NOISE_INTERVAL, &c->grid, err)) != 0 ||
	    (rc = jr_done(&o, err)) != 0)
		return rc;
	if (c->rel == 0)
		c->noise = NOISE_NONE;
	else
		c->noise = type == 0 ? NOISE_GAUSSIAN : NOISE_LOGNORMAL;
	c->sigma = sqrt(log1p(c->rel * c->rel));
	return 0;
}

/* The file that rel, written in the JSON file docname, names. */
static char *
sibling_path(const char *docname, const char *rel)
{
	const char *slash = strrchr(docname, '/');
	if (rel[0] == '/' || slash == NULL)
		return xstrdup(rel);
	return xasprintf("%.*s/%s", (int)(slash - docname), docname, rel);
}

/* {"file": "x.csv"}: a trace named with the key that includes JSON. */
static bool
is_csv_reference(const cJSON *node)
{
	const cJSON *m = node->child;
	if (!cJSON_IsObject(node) || m == NULL || m->next != NULL ||
	    strcmp(m->string, "file") != 0 || !cJSON_IsString(m))
		return false;
	size_t n = strlen(m->valuestring);
	return n >= 4 && strcasecmp(m->valuestring + n - 4, ".csv") == 0;
}

#define CSV_NOT_FILE \
	"the trace's file is named by \"csv\", not \"file\" " \
	"({\"file\": ...} includes a JSON file)"

static int
parse_trace(const jr_val *v, wl_curve *c, sim_error *err)
{
	static const char *const interps[] = {"linear", "step"};
	jr_obj o;
	jr_val fv;
	const char *rel;
	int interp, rc;
	bool repeat;
	if (is_csv_reference(v->node))
		return jr_fail(v, err, CSV_NOT_FILE);
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	if (jr_get(&o, "file", &fv))
		return jr_fail(&fv, err, CSV_NOT_FILE);
	if ((rc = jr_need(&o, "csv", &fv, err)) != 0 ||
	    (rc = jr_str(&fv, &rel, err)) != 0 ||
	    (rc = jr_opt_enum(&o, "interpolation", interps, 2, 0, &interp,
	        err)) != 0 ||
	    (rc = jr_opt_bool(&o, "repeat", false, &repeat, err)) != 0 ||
	    (rc = jr_done(&o, err)) != 0)
		return rc;
	if (rel[0] == '\0')
		return jr_fail(&fv, err, "expected a file name, got \"\"");
	jr_pos pos = jr_where(&fv);
	char *path = sibling_path(pos.file, rel);
	char *text = NULL, why[256];
	size_t len = 0;
	/* a regular file of at most 16 MiB, as any file a scenario names: a
	 * FIFO would block the load, /dev/zero exhaust memory */
	if (jr_read_regular_file(path, JR_MAX_FILE_BYTES, &text, &len, why,
	    sizeof(why)) != 0) {
		free(path);
		return jr_fail(&fv, err, "cannot read trace file '%s': %s", rel, why);
	}
	rc = csv_parse(c, path, text, len, repeat, err);
	free(text);
	free(path);
	if (rc != 0)
		return rc;
	tab_finish(c, c->n, interp == 0, repeat);
	return 0;
}

static int
parse_constant(const jr_val *v, wl_curve *c, sim_error *err)
{
	c->kind = SHAPE_CONST;
	return jr_num(v, 0, RPS_MAX, &c->rps, err);
}

int
wl_parse(const jr_val *v, wl_curve **out, sim_error *err)
{
	wl_curve *c = curve_new(jr_arena(v->L));
	int rc;
	jr_val cur;
	/* a number or a shape, possibly in a file ({"file": "x.json"}; a
	 * {"file": "x.csv"} is refused by parse_trace with its reason) */
	if (!is_csv_reference(v->node)) {
		if ((rc = jr_resolve(v, &cur, err)) != 0)
			return rc;
		v = &cur;
	}
	if (cJSON_IsNumber(v->node)) {
		if ((rc = parse_constant(v, c, err)) != 0)
			return rc;
		*out = c;
		return 0;
	}
	if (!cJSON_IsObject(v->node))
		return jr_fail(v, err, "expected a number or an object, got %s",
		    jr_type_name(v));
	jr_obj o;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	jr_val shapes[NSHAPES], first = {0}, sv, nv;
	int found = -1;
	for (size_t i = 0; i < NSHAPES; i++) {
		if (!jr_get(&o, shape_keys[i], &shapes[i]))
			continue;
		if (found >= 0)
			return jr_fail(&shapes[i], err,
			    "'%s' cannot be combined with '%s': give one shape (add bursts with \"spikes\")",
			    shape_keys[i], shape_keys[found]);
		found = (int)i;
		first = shapes[i];
	}
	bool has_spikes = jr_get(&o, "spikes", &sv);
	bool has_noise = jr_get(&o, "noise", &nv);
	if ((rc = jr_done(&o, err)) != 0)
		return rc;
	if (found < 0)
		return jr_fail(&o.v, err,
		    "missing the shape: one of 'constant', 'steps', 'diurnal', 'spike' or 'trace'");
	switch (found) {
	case 0:
		rc = parse_constant(&first, c, err);
		break;
	case 1:
		rc = parse_steps(&first, c, err);
		break;
	case 2:
		rc = parse_diurnal(&first, c, err);
		break;
	case 3:
		rc = parse_spike_shape(&first, c, err);
		break;
	default:
		rc = parse_trace(&first, c, err);
		break;
	}
	if (rc != 0)
		return rc;
	if (has_spikes && (rc = parse_spikes(&sv, c, err)) != 0)
		return rc;
	if (has_noise && (rc = parse_noise(&nv, c, err)) != 0)
		return rc;
	*out = c;
	return 0;
}
