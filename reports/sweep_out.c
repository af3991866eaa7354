/*
 * sweep_out — sweep.csv, sweep.json, sweep.html and the text table (see
 * sweep_out.h).
 *
 * Charts are SVG computed here: coordinates printed with one decimal, a
 * fixed palette, so the same batch gives the same bytes. The x axis of a
 * swept parameter is numeric (linear) when every value is a number, else
 * its values are evenly spaced in the order given.
 */
#include "reports/sweep_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/metrics.h"
#include "reports/rdata.h"
#include "sim/xalloc.h"

static const char *const palette[] = {"#2563eb", "#16a34a", "#d97706",
    "#7c3aed", "#0d9488", "#db2777", "#92400e", "#4f46e5", "#65a30d",
    "#0891b2"};
#define NPAL (sizeof(palette) / sizeof(palette[0]))

/* ---- shared ---- */

long
rsweep_cheapest(const rbatch *b)
{
	int c = rbatch_col_index(b, "run/costUSD");
	long best = -1;
	for (size_t p = 0; p < b->npoints; p++) {
		if (!b->pts[p].meets_all)
			continue;
		double cost = c >= 0 ? b->pts[p].stats[c].mean : (double)NAN;
		if (best < 0)
			best = (long)p;
		else if (c >= 0 && !isnan(cost)) {
			double bc = b->pts[best].stats[c].mean;
			if (isnan(bc) || cost < bc)
				best = (long)p;
		}
	}
	return best;
}

/* The last component of a --set path ("minimumHealthyPercent"); the
 * whole path when another dim has the same last component. */
static const char *
dim_label(const rbatch *b, size_t d)
{
	const char *path = b->spec.dims[d].path;
	const char *last = path;
	int depth = 0;
	for (const char *p = path; *p != '\0'; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (*p == '.' && depth == 0)
			last = p + 1;
	}
	for (size_t k = 0; k < b->spec.ndims; k++) {
		if (k == d)
			continue;
		const char *o = b->spec.dims[k].path;
		size_t lo = strlen(o), ll = strlen(last);
		if (lo >= ll && strcmp(o + lo - ll, last) == 0)
			return path;
	}
	return last;
}

static const char *
point_value(const rbatch *b, size_t p, size_t d)
{
	return b->spec.dims[d].values[rbatch_point_value(&b->spec, p, d)];
}

/* "minimumHealthyPercent=50, maximumPercent=150" into buf. */
static char *
point_label(char *buf, size_t size, const rbatch *b, size_t p)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t d = 0; d < b->spec.ndims && n < size; d++) {
		int w = snprintf(buf + n, size - n, "%s%s=%s", d ? ", " : "",
		    dim_label(b, d), point_value(b, p, d));
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return buf;
}

static bool
is_expect(const rbatch_col *c)
{
	return strncmp(c->key, "expect/", 7) == 0;
}

/* Does the column's distribution change across points or seeds? */
static bool
varies(const rbatch *b, size_t c)
{
	double lo = (double)INFINITY, hi = -(double)INFINITY;
	for (size_t p = 0; p < b->npoints; p++) {
		const rstat *s = &b->pts[p].stats[c];
		if (s->n == 0)
			continue;
		lo = fmin(lo, s->min);
		hi = fmax(hi, s->max);
	}
	return hi > lo;
}

/* Headline columns of the text table: deployment durations, lowest
 * healthy, error rate, run cost. */
static size_t
headline(const rbatch *b, size_t *cols, size_t max)
{
	static const char *const suffix[] = {"/duration", "/lowestHealthy",
	    "/errorPercent", "run/costUSD"};
	size_t n = 0;
	for (size_t k = 0; k < 4; k++)
		for (size_t c = 0; c < b->ncols && n < max; c++) {
			const char *key = b->cols[c].key;
			size_t kl = strlen(key), sl = strlen(suffix[k]);
			if (is_expect(&b->cols[c]) || kl < sl ||
			    strcmp(key + kl - sl, suffix[k]) != 0)
				continue;
			if (k == 1 && strstr(key, "/deployment/") != NULL)
				continue; /* the service's, not each deployment's */
			cols[n++] = c;
		}
	return n;
}

/* A short label for a column header: "dep 2 duration", "lowest healthy". */
static void
short_label(char *buf, size_t size, const char *key)
{
	char full[700];
	rmet_label(full, sizeof(full), key);
	const char *colon = strstr(full, ": ");
	const char *rest = colon ? colon + 2 : full;
	if (strncmp(rest, "deployment ", 11) == 0)
		snprintf(buf, size, "dep %.100s", rest + 11);
	else if (strncmp(key, "run/", 4) == 0)
		snprintf(buf, size, "run %.100s", rest);
	else
		snprintf(buf, size, "%.100s", rest);
}

/* ---- text ---- */

static void
seeds_phrase(char *buf, size_t size, const rbatch_spec *s)
{
	if (s->nseeds == 1)
		snprintf(buf, size, "seed %llu", (unsigned long long)s->first_seed);
	else
		snprintf(buf, size, "seeds %llu..%llu",
		    (unsigned long long)s->first_seed,
		    (unsigned long long)(s->first_seed + s->nseeds - 1));
}

void
rsweep_text(rout *o, const rbatch *b)
{
	const rbatch_spec *s = &b->spec;
	char sp[80], buf[64], runs[40];
	seeds_phrase(sp, sizeof(sp), s);
	rout_printf(o, "ecsim sweep: %s, %zu point%s x %zu seed%s (%s) = %s "
	    "runs\n", s->scenario, b->npoints, b->npoints == 1 ? "" : "s",
	    s->nseeds, s->nseeds == 1 ? "" : "s", sp,
	    rdata_count(runs, sizeof(runs), (double)b->nruns));
	rout_printf(o, "  file:     %s\n", s->file);
	for (size_t i = 0; i < s->nsets; i++)
		rout_printf(o, "  set:      %s\n", s->sets[i]);
	if (s->duration != NULL)
		rout_printf(o, "  duration: %s\n", s->duration);
	for (size_t d = 0; d < s->ndims; d++) {
		rout_printf(o, "  vary:     %s:", s->dims[d].path);
		for (size_t v = 0; v < s->dims[d].nvalues; v++)
			rout_printf(o, "%s %s", v ? "," : "", s->dims[d].values[v]);
		rout_putc(o, '\n');
	}
	size_t hc[8];
	size_t nh = headline(b, hc, 8);
	rout_printf(o, "\nMeans over the seeds (lowest healthy: the least in any "
	    "seed); expectations passed of %zu:\n", s->nexpect);
	rout_printf(o, "%5s", "point");
	int *w = xcalloc(s->ndims + nh + 1, sizeof(int));
	for (size_t d = 0; d < s->ndims; d++) {
		const char *l = dim_label(b, d);
		w[d] = (int)strlen(l) < 6 ? 6 : (int)strlen(l);
		rout_printf(o, "  %*s", w[d], l);
	}
	rout_printf(o, "  %-10s", "expect");
	for (size_t k = 0; k < nh; k++) {
		char l[200];
		short_label(l, sizeof(l), b->cols[hc[k]].key);
		w[s->ndims + k] = (int)strlen(l) < 10 ? 10 : (int)strlen(l);
		rout_printf(o, "  %*s", w[s->ndims + k], l);
	}
	rout_putc(o, '\n');
	long cheap = rsweep_cheapest(b);
	for (size_t p = 0; p < b->npoints; p++) {
		const rbatch_pt *pt = &b->pts[p];
		rout_printf(o, "%5zu", p + 1);
		for (size_t d = 0; d < s->ndims; d++)
			rout_printf(o, "  %*s", w[d], point_value(b, p, d));
		char ex[40];
		snprintf(ex, sizeof(ex), "%zu/%zu %s", pt->passed, s->nexpect,
		    pt->failed_runs ? "ERR" : pt->meets_all ? "ok" : "FAIL");
		rout_printf(o, "  %-10s", ex);
		for (size_t k = 0; k < nh; k++) {
			const rstat *st = &pt->stats[hc[k]];
			bool lowest = strstr(b->cols[hc[k]].key, "lowestHealthy") != NULL;
			rout_printf(o, "  %*s", w[s->ndims + k], rbatch_fmt(buf,
			    sizeof(buf), b->cols[hc[k]].unit, lowest ? st->min : st->mean));
		}
		rout_puts(o, (long)p == cheap ? "  <- cheapest meeting all\n" : "\n");
	}
	free(w);
	char lab[600];
	if (cheap >= 0) {
		int c = rbatch_col_index(b, "run/costUSD");
		rout_printf(o, "\nCheapest point meeting every expectation: %ld (%s), "
		    "mean run cost %s\n", cheap + 1, point_label(lab, sizeof(lab), b,
		    (size_t)cheap), c >= 0 ? rbatch_fmt(buf, sizeof(buf), "USD",
		    b->pts[cheap].stats[c].mean) : "not recorded");
	} else
		rout_printf(o, "\nNo point meets every expectation.\n");
	/* why the others fail, one line per point and expectation */
	for (size_t p = 0; p < b->npoints; p++) {
		const rbatch_pt *pt = &b->pts[p];
		if (pt->failed_runs > 0)
			rout_printf(o, "  point %zu: %zu run%s failed; seed %llu: %s\n",
			    p + 1, pt->failed_runs, pt->failed_runs == 1 ? "" : "s",
			    (unsigned long long)pt->first_error_seed, pt->first_error);
		for (size_t e = 0; e < s->nexpect; e++) {
			const rbatch_exp *x = &pt->ex[e];
			if (x->pass)
				continue;
			char sh[40], in[40];
			rout_printf(o, "  point %zu: FAIL %s: held in %s%% of seeds, "
			    "needs %s%%\n", p + 1, s->expect_names[e],
			    rdata_num(sh, sizeof(sh), 100 * x->share),
			    rdata_num(in, sizeof(in), s->expect_in[e]));
		}
	}
}

/* ---- CSV ---- */

static const char *const stat_names[] = {"n", "mean", "sd", "min", "p5",
    "p50", "p95", "p99", "max"};

static double
stat_at(const rstat *s, size_t k)
{
	switch (k) {
	case 0: return (double)s->n;
	case 1: return s->mean;
	case 2: return s->sd;
	case 3: return s->min;
	case 4: return s->p5;
	case 5: return s->p50;
	case 6: return s->p95;
	case 7: return s->p99;
	default: return s->max;
	}
}

void
rsweep_csv(rout *o, const rbatch *b)
{
	const rbatch_spec *s = &b->spec;
	char buf[64];
	rout_puts(o, "point");
	for (size_t d = 0; d < s->ndims; d++) {
		rout_putc(o, ',');
		rbatch_csv_field(o, s->dims[d].path);
	}
	rout_puts(o, ",meetsAll,cheapest,failedRuns");
	for (size_t c = 0; c < b->ncols; c++)
		for (size_t k = 0; k < 9; k++) {
			char *h = xasprintf("%s:%s", b->cols[c].key, stat_names[k]);
			rout_putc(o, ',');
			rbatch_csv_field(o, h);
			free(h);
		}
	for (size_t e = 0; e < s->nexpect; e++) {
		char *h = xasprintf("share%%: %s", s->expect_names[e]);
		rout_putc(o, ',');
		rbatch_csv_field(o, h);
		free(h);
	}
	rout_putc(o, '\n');
	long cheap = rsweep_cheapest(b);
	for (size_t p = 0; p < b->npoints; p++) {
		const rbatch_pt *pt = &b->pts[p];
		rout_printf(o, "%zu", p + 1);
		for (size_t d = 0; d < s->ndims; d++) {
			rout_putc(o, ',');
			rbatch_csv_field(o, point_value(b, p, d));
		}
		rout_printf(o, ",%d,%d,%zu", pt->meets_all, (long)p == cheap,
		    pt->failed_runs);
		for (size_t c = 0; c < b->ncols; c++)
			for (size_t k = 0; k < 9; k++) {
				double v = stat_at(&pt->stats[c], k);
				rout_putc(o, ',');
				if (!isnan(v))
					rout_puts(o, rbatch_exact(buf, sizeof(buf), v));
			}
		for (size_t e = 0; e < s->nexpect; e++)
			rout_printf(o, ",%s", rbatch_exact(buf, sizeof(buf),
			    100 * pt->ex[e].share));
		rout_putc(o, '\n');
	}
}

/* ---- JSON ---- */

static cJSON *
num(double v)
{
	return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static cJSON *
point_set(const rbatch *b, size_t p)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t d = 0; d < b->spec.ndims; d++)
		cJSON_AddStringToObject(o, b->spec.dims[d].path, point_value(b, p, d));
	return o;
}

cJSON *
rsweep_json(const rbatch *b)
{
	const rbatch_spec *s = &b->spec;
	char label[700];
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "kind", "ecsim-sweep");
	cJSON_AddNumberToObject(root, "schemaVersion", 1);
	cJSON_AddStringToObject(root, "scenario", s->scenario);
	cJSON_AddStringToObject(root, "file", s->file);
	cJSON *sd = cJSON_AddObjectToObject(root, "seeds");
	cJSON_AddNumberToObject(sd, "first", (double)s->first_seed);
	cJSON_AddNumberToObject(sd, "last", (double)(s->first_seed + s->nseeds - 1));
	cJSON_AddNumberToObject(sd, "count", (double)s->nseeds);
	cJSON *sets = cJSON_AddArrayToObject(root, "set");
	for (size_t i = 0; i < s->nsets; i++)
		cJSON_AddItemToArray(sets, cJSON_CreateString(s->sets[i]));
	if (s->duration != NULL)
		cJSON_AddStringToObject(root, "duration", s->duration);
	cJSON_AddItemToObject(root, "methods", rbatch_methods_json());
	cJSON_AddStringToObject(root, "cheapestRule", "the lowest mean run cost "
	    "(run/costUSD) among the points that meet every expectation; ties: "
	    "the first in sweep order");
	cJSON *vary = cJSON_AddArrayToObject(root, "vary");
	for (size_t d = 0; d < s->ndims; d++) {
		cJSON *v = cJSON_CreateObject();
		cJSON_AddStringToObject(v, "path", s->dims[d].path);
		cJSON_AddStringToObject(v, "label", dim_label(b, d));
		cJSON *vals = cJSON_AddArrayToObject(v, "values");
		for (size_t k = 0; k < s->dims[d].nvalues; k++)
			cJSON_AddItemToArray(vals, cJSON_CreateString(s->dims[d].values[k]));
		cJSON_AddItemToArray(vary, v);
	}
	cJSON *mets = cJSON_AddArrayToObject(root, "metrics");
	for (size_t c = 0; c < b->ncols; c++) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "key", b->cols[c].key);
		cJSON_AddStringToObject(m, "label", rmet_label(label, sizeof(label),
		    b->cols[c].key));
		cJSON_AddStringToObject(m, "unit", b->cols[c].unit);
		cJSON_AddStringToObject(m, "better", rmet_better_name(b->cols[c].better));
		cJSON_AddItemToArray(mets, m);
	}
	cJSON *pts = cJSON_AddArrayToObject(root, "points");
	for (size_t p = 0; p < b->npoints; p++) {
		const rbatch_pt *pt = &b->pts[p];
		cJSON *po = cJSON_CreateObject();
		cJSON_AddNumberToObject(po, "point", (double)(p + 1));
		cJSON_AddItemToObject(po, "set", point_set(b, p));
		cJSON_AddNumberToObject(po, "runs", (double)s->nseeds);
		cJSON_AddNumberToObject(po, "failedRuns", (double)pt->failed_runs);
		if (pt->failed_runs > 0)
			cJSON_AddStringToObject(po, "firstError", pt->first_error);
		cJSON_AddBoolToObject(po, "meetsAll", pt->meets_all);
		cJSON *st = cJSON_AddObjectToObject(po, "stats");
		for (size_t c = 0; c < b->ncols; c++) {
			cJSON *x = cJSON_CreateObject();
			rbatch_stat_add(x, &pt->stats[c]);
			cJSON_AddItemToObject(st, b->cols[c].key, x);
		}
		cJSON *ex = cJSON_AddArrayToObject(po, "expectations");
		for (size_t e = 0; e < s->nexpect; e++) {
			const rbatch_exp *x = &pt->ex[e];
			cJSON *eo = cJSON_CreateObject();
			cJSON_AddStringToObject(eo, "name", s->expect_names[e]);
			cJSON_AddNumberToObject(eo, "inPercent", s->expect_in[e]);
			cJSON_AddNumberToObject(eo, "held", (double)x->held);
			cJSON_AddItemToObject(eo, "sharePercent", num(100 * x->share));
			cJSON *ci = cJSON_AddArrayToObject(eo, "shareCI95");
			cJSON_AddItemToArray(ci, num(100 * x->lo));
			cJSON_AddItemToArray(ci, num(100 * x->hi));
			cJSON_AddBoolToObject(eo, "pass", x->pass);
			cJSON_AddItemToArray(ex, eo);
		}
		cJSON_AddItemToArray(pts, po);
	}
	long cheap = rsweep_cheapest(b);
	if (cheap >= 0) {
		cJSON *c = cJSON_AddObjectToObject(root, "cheapest");
		int cc = rbatch_col_index(b, "run/costUSD");
		cJSON_AddNumberToObject(c, "point", (double)(cheap + 1));
		cJSON_AddItemToObject(c, "set", point_set(b, (size_t)cheap));
		cJSON_AddItemToObject(c, "meanCostUSD", num(cc >= 0 ?
		    b->pts[cheap].stats[cc].mean : (double)NAN));
	} else
		cJSON_AddNullToObject(root, "cheapest");
	return root;
}

/* ---- HTML ---- */

static const char css[] =
"*{box-sizing:border-box}\n"
"body{margin:0;background:#f4f5f7;color:#1f2937;font:14px/1.45 system-ui,"
"-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}\n"
"main{max-width:1240px;margin:0 auto;padding:24px 20px 40px}\n"
"h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:0 0 12px}\n"
"section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;"
"padding:18px 20px;margin:0 0 18px}\n"
".desc{margin:0 0 10px;color:#4b5563}\n"
".cards{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 6px}\n"
".card{border:1px solid #e5e7eb;border-radius:6px;padding:8px 12px;"
"min-width:130px;background:#fafafa}\n"
".card b{display:block;font-size:19px}.card span{font-size:12px;color:#6b7280}\n"
".card.best{border-color:#16a34a;background:#f0fdf4}\n"
".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));"
"gap:14px}\n"
"figure{margin:0;break-inside:avoid}figcaption{font-weight:600;margin:0 0 2px}\n"
"figcaption small{font-weight:400;color:#6b7280;margin-left:6px}\n"
"svg{display:block;width:100%;height:auto}\n"
"svg text{font-size:12px;fill:#4b5563}\n"
".pl{fill:#fff;stroke:#d1d5db}.gy{stroke:#eef0f3}\n"
".tx{text-anchor:middle}.ty{text-anchor:end}\n"
".band{fill:var(--c);fill-opacity:.16;stroke:none}\n"
".ln{fill:none;stroke:var(--c);stroke-width:1.8;stroke-linejoin:round}\n"
".dot{fill:var(--c)}\n"
".best{fill:none;stroke:#111827;stroke-width:2.2}\n"
"text.bl{font-size:11px;fill:#111827;font-weight:700}\n"
".cell text{text-anchor:middle;font-size:11px}\n"
".lg{display:flex;flex-wrap:wrap;gap:2px 12px;font-size:12px;color:#4b5563}\n"
".sw{display:inline-block;width:14px;height:10px;background:var(--c);"
"opacity:.8;margin-right:4px;vertical-align:middle}\n"
"table{border-collapse:collapse;width:100%;font-size:13px}\n"
".scroll{overflow-x:auto}\n"
"td.x{min-width:16em}\n"
"th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3;"
"vertical-align:top}\n"
"th{font-size:12px;color:#6b7280;font-weight:600;background:#fafafa}\n"
"td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
"tr.best td{background:#f0fdf4;font-weight:600}\n"
".b{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11px;"
"font-weight:700;white-space:nowrap}\n"
".b.ok{background:#dcfce7;color:#166534}.b.bad{background:#fee2e2;"
"color:#991b1b}\n"
".note{color:#6b7280;font-size:12px;margin:8px 0 0}\n"
"footer{color:#6b7280;font-size:12px;text-align:center}\n";

static void
esc(rout *o, const char *s)
{
	rout_xml(o, s);
}

/* Every value of dim d a number? Then *v holds them (owned). */
static bool
numeric_dim(const rbatch *b, size_t d, double **v)
{
	const rbatch_dim *dm = &b->spec.dims[d];
	double *x = xcalloc(dm->nvalues, sizeof(double));
	for (size_t i = 0; i < dm->nvalues; i++) {
		char *end;
		x[i] = strtod(dm->values[i], &end);
		if (end == dm->values[i] || *end != '\0' || !isfinite(x[i])) {
			free(x);
			*v = NULL;
			return false;
		}
	}
	*v = x;
	return true;
}

/* A "nice" tick step for a range (1, 2 or 5 times a power of ten). */
static double
nice_step(double range, int ticks)
{
	double raw = range / ticks;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

#define LW 600.0
#define LH 280.0
#define LML 78.0
#define LMR 16.0
#define LMT 14.0
#define LMB 44.0

typedef struct axis {
	double lo, hi;
} axis;

static double
sx(const axis *a, double v)
{
	return LML + (a->hi > a->lo ? (v - a->lo) / (a->hi - a->lo) : 0.5) *
	    (LW - LML - LMR);
}

static double
sy(const axis *a, double v)
{
	return LH - LMB - (a->hi > a->lo ? (v - a->lo) / (a->hi - a->lo) : 0.5) *
	    (LH - LMT - LMB);
}

/* The point with dim 0 at value i and the other dims as in point q. */
static size_t
with_dim0(const rbatch *b, size_t q, size_t i)
{
	size_t stride = b->npoints / b->spec.dims[0].nvalues;
	return i * stride + q % stride;
}

/* A chart of column c against dim 0: a band p5..p95 and the mean, one
 * series per combination of the other dims. */
static void
line_chart(rout *o, const rbatch *b, size_t c, long cheap)
{
	const rbatch_dim *d0 = &b->spec.dims[0];
	size_t nx = d0->nvalues, nser = b->npoints / nx;
	const char *unit = b->cols[c].unit;
	double *xv;
	bool numeric = numeric_dim(b, 0, &xv);
	axis ax = {0, (double)(nx > 1 ? nx - 1 : 1)};
	if (numeric) {
		ax.lo = (double)INFINITY;
		ax.hi = -(double)INFINITY;
		for (size_t i = 0; i < nx; i++) {
			ax.lo = fmin(ax.lo, xv[i]);
			ax.hi = fmax(ax.hi, xv[i]);
		}
		if (ax.hi <= ax.lo) {
			ax.lo -= 1;
			ax.hi += 1;
		}
	}
	axis ay = {(double)INFINITY, -(double)INFINITY};
	for (size_t p = 0; p < b->npoints; p++) {
		const rstat *s = &b->pts[p].stats[c];
		if (s->n == 0)
			continue;
		ay.lo = fmin(ay.lo, fmin(s->p5, s->mean));
		ay.hi = fmax(ay.hi, fmax(s->p95, s->mean));
	}
	if (!(ay.hi >= ay.lo)) {
		free(xv);
		return;
	}
	if (ay.hi - ay.lo < 1e-9 * fmax(1, fabs(ay.hi))) {
		double pad = fabs(ay.hi) > 0 ? fabs(ay.hi) * 0.1 : 1;
		ay.lo -= pad;
		ay.hi += pad;
	}
	double step = nice_step(ay.hi - ay.lo, 4);
	ay.lo = floor(ay.lo / step) * step;
	ay.hi = ceil(ay.hi / step) * step;
	char label[700], buf[64];
	rmet_label(label, sizeof(label), b->cols[c].key);
	rout_puts(o, "<figure><figcaption>");
	esc(o, label);
	rout_printf(o, "<small>mean, band p5-p95 over the seeds (%s)</small>"
	    "</figcaption>\n", unit);
	rout_printf(o, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", LW, LH);
	rout_printf(o, "<rect class=\"pl\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\"/>\n", LML, LMT, LW - LML - LMR, LH - LMT - LMB);
	for (double t = ay.lo; t <= ay.hi + step / 2; t += step) {
		double y = sy(&ay, t);
		rout_printf(o, "<line class=\"gy\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
		    "y2=\"%.1f\"/><text class=\"ty\" x=\"%.1f\" y=\"%.1f\">", LML,
		    LW - LMR, y, y, LML - 6, y + 4);
		esc(o, rbatch_fmt(buf, sizeof(buf), unit, fabs(t) < step * 1e-9 ? 0 : t));
		rout_puts(o, "</text>\n");
	}
	for (size_t i = 0; i < nx; i++) {
		double x = sx(&ax, numeric ? xv[i] : (double)i);
		rout_printf(o, "<text class=\"tx\" x=\"%.1f\" y=\"%.1f\">", x,
		    LH - LMB + 16);
		esc(o, d0->values[i]);
		rout_puts(o, "</text>\n");
	}
	rout_printf(o, "<text class=\"tx\" x=\"%.1f\" y=\"%.1f\">", (LML + LW - LMR)
	    / 2, LH - 6);
	esc(o, dim_label(b, 0));
	rout_puts(o, "</text>\n");
	for (size_t q = 0; q < nser && q < NPAL; q++) {
		const char *col = palette[q % NPAL];
		rout_printf(o, "<g style=\"--c:%s\">", col);
		/* band: p95 forward, p5 back */
		rout_puts(o, "<path class=\"band\" d=\"");
		int k = 0;
		for (size_t i = 0; i < nx; i++) {
			const rstat *s = &b->pts[with_dim0(b, q, i)].stats[c];
			if (s->n == 0)
				continue;
			rout_printf(o, "%s%.1f,%.1f", k++ ? "L" : "M",
			    sx(&ax, numeric ? xv[i] : (double)i), sy(&ay, s->p95));
		}
		for (size_t i = nx; i-- > 0;) {
			const rstat *s = &b->pts[with_dim0(b, q, i)].stats[c];
			if (s->n == 0)
				continue;
			rout_printf(o, "L%.1f,%.1f", sx(&ax, numeric ? xv[i] : (double)i),
			    sy(&ay, s->p5));
		}
		rout_puts(o, k ? "Z\"/>" : "\"/>");
		rout_puts(o, "<path class=\"ln\" d=\"");
		k = 0;
		for (size_t i = 0; i < nx; i++) {
			const rstat *s = &b->pts[with_dim0(b, q, i)].stats[c];
			if (s->n == 0)
				continue;
			rout_printf(o, "%s%.1f,%.1f", k++ ? "L" : "M",
			    sx(&ax, numeric ? xv[i] : (double)i), sy(&ay, s->mean));
		}
		rout_puts(o, "\"/>");
		for (size_t i = 0; i < nx; i++) {
			size_t p = with_dim0(b, q, i);
			const rstat *s = &b->pts[p].stats[c];
			if (s->n == 0)
				continue;
			double x = sx(&ax, numeric ? xv[i] : (double)i), y = sy(&ay, s->mean);
			rout_printf(o, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" "
			    "r=\"3\"><title>", x, y);
			char pl[600];
			esc(o, point_label(pl, sizeof(pl), b, p));
			rout_printf(o, ": mean %s", rbatch_fmt(buf, sizeof(buf), unit,
			    s->mean));
			rout_printf(o, ", p5 %s", rbatch_fmt(buf, sizeof(buf), unit, s->p5));
			rout_printf(o, ", p95 %s</title></circle>", rbatch_fmt(buf,
			    sizeof(buf), unit, s->p95));
			if ((long)p == cheap)
				rout_printf(o, "<circle class=\"best\" cx=\"%.1f\" cy=\"%.1f\" "
				    "r=\"8\"/><text class=\"bl\" x=\"%.1f\" y=\"%.1f\">"
				    "cheapest</text>", x, y, x + 10, y < LMT + 24 ? y + 20 :
				    y - 10);
		}
		rout_puts(o, "</g>\n");
	}
	rout_puts(o, "</svg>\n");
	if (b->spec.ndims >= 2) {
		rout_puts(o, "<div class=\"lg\">");
		for (size_t q = 0; q < nser && q < NPAL; q++) {
			rout_printf(o, "<span><span class=\"sw\" style=\"--c:%s\"></span>",
			    palette[q]);
			for (size_t d = 1; d < b->spec.ndims; d++) {
				if (d > 1)
					rout_puts(o, ", ");
				esc(o, dim_label(b, d));
				rout_putc(o, '=');
				esc(o, point_value(b, with_dim0(b, q, 0), d));
			}
			rout_puts(o, "</span>");
		}
		if (nser > NPAL)
			rout_printf(o, "<span>(first %zu of %zu shown)</span>", NPAL, nser);
		rout_puts(o, "</div>");
	}
	rout_puts(o, "</figure>\n");
	free(xv);
}

/* Blend from #eff6ff (t = 0) to #1e3a8a (t = 1). */
static void
heat_colour(char *buf, size_t size, double t)
{
	static const int a[3] = {0xef, 0xf6, 0xff}, z[3] = {0x1e, 0x3a, 0x8a};
	int c[3];
	for (int i = 0; i < 3; i++)
		c[i] = (int)lround(a[i] + (z[i] - a[i]) * t);
	snprintf(buf, size, "#%02x%02x%02x", c[0], c[1], c[2]);
}

#define HX 150.0 /* left margin of a heat map (dim 1 labels) */
#define HCW 92.0
#define HCH 34.0

/* A heat map over dims 0 (columns) and 1 (rows) of the mean of column c,
 * or (c < 0) of the expectations met. */
static void
heat_map(rout *o, const rbatch *b, long c, long cheap)
{
	const rbatch_dim *d0 = &b->spec.dims[0], *d1 = &b->spec.dims[1];
	size_t nx = d0->nvalues, ny = d1->nvalues;
	double w = HX + HCW * (double)nx + 10, h = 28 + HCH * (double)ny + 40;
	double lo = (double)INFINITY, hi = -(double)INFINITY;
	char buf[64], label[700], col[16];
	if (c >= 0)
		for (size_t p = 0; p < b->npoints; p++)
			if (b->pts[p].stats[c].n > 0) {
				lo = fmin(lo, b->pts[p].stats[c].mean);
				hi = fmax(hi, b->pts[p].stats[c].mean);
			}
	rout_puts(o, "<figure><figcaption>");
	if (c >= 0) {
		esc(o, rmet_label(label, sizeof(label), b->cols[c].key));
		rout_printf(o, "<small>mean over the seeds (%s); darker is higher"
		    "</small>", b->cols[c].unit);
	} else
		rout_printf(o, "Expectations met<small>green: every expectation "
		    "holds in its share of seeds</small>");
	rout_printf(o, "</figcaption>\n<svg viewBox=\"0 0 %.0f %.0f\" "
	    "role=\"img\" style=\"max-width:%.0fpx\">\n", w, h, w * 1.2);
	for (size_t i = 0; i < nx; i++) {
		rout_printf(o, "<text class=\"tx\" x=\"%.1f\" y=\"18\">",
		    HX + HCW * ((double)i + 0.5));
		esc(o, d0->values[i]);
		rout_puts(o, "</text>\n");
	}
	rout_printf(o, "<text class=\"tx\" x=\"%.1f\" y=\"%.1f\">", HX + HCW *
	    (double)nx / 2, h - 8);
	esc(o, dim_label(b, 0));
	rout_puts(o, "</text>\n");
	rout_printf(o, "<text class=\"ty\" x=\"%.1f\" y=\"%.1f\">", HX - 8, 18.0);
	esc(o, dim_label(b, 1));
	rout_puts(o, " \xe2\x86\x93</text>\n");
	for (size_t j = 0; j < ny; j++) {
		double y = 28 + HCH * (double)j;
		rout_printf(o, "<text class=\"ty\" x=\"%.1f\" y=\"%.1f\">", HX - 8,
		    y + HCH / 2 + 4);
		esc(o, d1->values[j]);
		rout_puts(o, "</text>\n");
		for (size_t i = 0; i < nx; i++) {
			/* the point with dim 0 = i, dim 1 = j, other dims first */
			size_t p = 0;
			for (size_t p2 = 0; p2 < b->npoints; p2++)
				if (rbatch_point_value(&b->spec, p2, 0) == i &&
				    rbatch_point_value(&b->spec, p2, 1) == j) {
					p = p2;
					break;
				}
			const rbatch_pt *pt = &b->pts[p];
			double x = HX + HCW * (double)i;
			const char *text_col = "#111827";
			if (c >= 0 && pt->stats[c].n > 0) {
				double t = hi > lo ? (pt->stats[c].mean - lo) / (hi - lo) : 0;
				heat_colour(col, sizeof(col), t);
				if (t > 0.55)
					text_col = "#ffffff";
				rbatch_fmt(buf, sizeof(buf), b->cols[c].unit, pt->stats[c].mean);
			} else if (c >= 0) {
				snprintf(col, sizeof(col), "#f3f4f6");
				snprintf(buf, sizeof(buf), "-");
			} else {
				snprintf(col, sizeof(col), pt->meets_all ? "#bbf7d0" : "#fecaca");
				snprintf(buf, sizeof(buf), "%zu/%zu%s", pt->passed,
				    b->spec.nexpect, pt->failed_runs ? " err" : "");
			}
			rout_printf(o, "<g class=\"cell\"><rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\"/>"
			    "<text x=\"%.1f\" y=\"%.1f\" style=\"fill:%s\">", x, y, HCW, HCH,
			    col, x + HCW / 2, y + HCH / 2 + 4, text_col);
			esc(o, buf);
			if ((long)p == cheap)
				rout_puts(o, " \xe2\x98\x85");
			rout_puts(o, "</text></g>\n");
			if ((long)p == cheap)
				rout_printf(o, "<rect class=\"best\" x=\"%.1f\" y=\"%.1f\" "
				    "width=\"%.1f\" height=\"%.1f\"/>\n", x + 1.5, y + 1.5,
				    HCW - 3, HCH - 3);
		}
	}
	rout_puts(o, "</svg></figure>\n");
}

static void
points_table(rout *o, const rbatch *b, long cheap)
{
	const rbatch_spec *s = &b->spec;
	size_t hc[8];
	size_t nh = headline(b, hc, 8);
	char buf[64], lab[200];
	rout_puts(o, "<section><h2>Points</h2>\n<p class=\"desc\">Means over the "
	    "seeds with p5-p95 below; lowest healthy is the least of any "
	    "seed.</p>\n<div class=\"scroll\"><table><thead><tr><th>point</th>");
	for (size_t d = 0; d < s->ndims; d++) {
		rout_puts(o, "<th>");
		esc(o, dim_label(b, d));
		rout_puts(o, "</th>");
	}
	rout_puts(o, "<th>expectations</th>");
	for (size_t k = 0; k < nh; k++) {
		short_label(lab, sizeof(lab), b->cols[hc[k]].key);
		rout_puts(o, "<th class=\"n\">");
		esc(o, lab);
		rout_puts(o, "</th>");
	}
	rout_puts(o, "</tr></thead><tbody>\n");
	for (size_t p = 0; p < b->npoints; p++) {
		const rbatch_pt *pt = &b->pts[p];
		rout_printf(o, "<tr%s><td class=\"n\">%zu%s</td>", (long)p == cheap ?
		    " class=\"best\"" : "", p + 1, (long)p == cheap ? " \xe2\x98\x85" :
		    "");
		for (size_t d = 0; d < s->ndims; d++) {
			rout_puts(o, "<td>");
			esc(o, point_value(b, p, d));
			rout_puts(o, "</td>");
		}
		rout_printf(o, "<td><span class=\"b %s\">%zu/%zu</span></td>",
		    pt->meets_all ? "ok" : "bad", pt->passed, s->nexpect);
		for (size_t k = 0; k < nh; k++) {
			const rstat *st = &pt->stats[hc[k]];
			const char *u = b->cols[hc[k]].unit;
			rout_puts(o, "<td class=\"n\">");
			if (strstr(b->cols[hc[k]].key, "lowestHealthy") != NULL ||
			    st->n == 0)
				esc(o, rbatch_fmt(buf, sizeof(buf), u, st->n ? st->min :
				    (double)NAN));
			else {
				esc(o, rbatch_fmt(buf, sizeof(buf), u, st->mean));
				rout_puts(o, "<br><small>[");
				esc(o, rbatch_fmt(buf, sizeof(buf), u, st->p5));
				rout_puts(o, "..");
				esc(o, rbatch_fmt(buf, sizeof(buf), u, st->p95));
				rout_puts(o, "]</small>");
			}
			rout_puts(o, "</td>");
		}
		rout_puts(o, "</tr>\n");
	}
	rout_puts(o, "</tbody></table></div></section>\n");
}

static void
expect_table(rout *o, const rbatch *b)
{
	const rbatch_spec *s = &b->spec;
	char buf[64];
	if (s->nexpect == 0)
		return;
	rout_puts(o, "<section><h2>Expectations per point</h2>\n<p class=\"desc\">"
	    "Share of seeds in which each expectation held; it passes at its "
	    "\"in\" share (default all seeds).</p>\n<div class=\"scroll\">"
	    "<table><thead><tr>"
	    "<th>expectation</th><th class=\"n\">in</th>");
	for (size_t p = 0; p < b->npoints; p++)
		rout_printf(o, "<th class=\"n\">%zu</th>", p + 1);
	rout_puts(o, "</tr></thead><tbody>\n");
	for (size_t e = 0; e < s->nexpect; e++) {
		rout_puts(o, "<tr><td class=\"x\">");
		esc(o, s->expect_names[e]);
		rout_printf(o, "</td><td class=\"n\">%s%%</td>", rdata_num(buf,
		    sizeof(buf), s->expect_in[e]));
		for (size_t p = 0; p < b->npoints; p++) {
			const rbatch_exp *x = &b->pts[p].ex[e];
			rout_printf(o, "<td class=\"n\"><span class=\"b %s\">%s%%</span>"
			    "</td>", x->pass ? "ok" : "bad", rdata_num(buf, sizeof(buf),
			    100 * x->share));
		}
		rout_puts(o, "</tr>\n");
	}
	rout_puts(o, "</tbody></table></div></section>\n");
}

void
rsweep_html(rout *o, const rbatch *b)
{
	const rbatch_spec *s = &b->spec;
	char buf[64], sp[80], lab[600];
	long cheap = rsweep_cheapest(b);
	rout_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-"
	    "width, initial-scale=1\">\n<title>");
	esc(o, s->scenario);
	rout_printf(o, " - ecsim sweep</title>\n<style>\n%s</style>\n</head>\n"
	    "<body>\n<main>\n<section><h1>Sweep: ", css);
	esc(o, s->scenario);
	seeds_phrase(sp, sizeof(sp), s);
	rout_printf(o, "</h1>\n<p class=\"desc\">%zu points x %zu seeds (%s) = %zu "
	    "runs of <code>", b->npoints, s->nseeds, sp, b->nruns);
	esc(o, s->file);
	rout_puts(o, "</code>.</p>\n<ul class=\"desc\">");
	for (size_t d = 0; d < s->ndims; d++) {
		rout_puts(o, "<li><code>");
		esc(o, s->dims[d].path);
		rout_puts(o, "</code>: ");
		for (size_t v = 0; v < s->dims[d].nvalues; v++) {
			if (v)
				rout_puts(o, ", ");
			esc(o, s->dims[d].values[v]);
		}
		rout_puts(o, "</li>");
	}
	for (size_t i = 0; i < s->nsets; i++) {
		rout_puts(o, "<li>fixed: <code>");
		esc(o, s->sets[i]);
		rout_puts(o, "</code></li>");
	}
	rout_puts(o, "</ul>\n<div class=\"cards\">");
	if (cheap >= 0) {
		int c = rbatch_col_index(b, "run/costUSD");
		rout_printf(o, "<div class=\"card best\"><b>\xe2\x98\x85 point %ld: ",
		    cheap + 1);
		esc(o, point_label(lab, sizeof(lab), b, (size_t)cheap));
		rout_printf(o, "</b><span>cheapest point meeting every expectation "
		    "(mean run cost %s; ties: first in sweep order)</span></div>",
		    c >= 0 ? rbatch_fmt(buf, sizeof(buf), "USD",
		    b->pts[cheap].stats[c].mean) : "not recorded");
	} else
		rout_puts(o, "<div class=\"card\"><b>none</b><span>no point meets "
		    "every expectation</span></div>");
	size_t meeting = 0;
	for (size_t p = 0; p < b->npoints; p++)
		meeting += b->pts[p].meets_all;
	rout_printf(o, "<div class=\"card\"><b>%zu of %zu</b><span>points meet "
	    "every expectation</span></div></div>\n</section>\n", meeting,
	    b->npoints);
	if (s->ndims == 2) {
		rout_puts(o, "<section><h2>Heat maps</h2>\n<div class=\"grid\">\n");
		heat_map(o, b, -1, cheap);
		for (size_t c = 0; c < b->ncols; c++)
			if (!is_expect(&b->cols[c]) && varies(b, c))
				heat_map(o, b, (long)c, cheap);
		rout_puts(o, "</div></section>\n");
	}
	if (s->ndims >= 1) {
		rout_puts(o, "<section><h2>Metrics against ");
		esc(o, dim_label(b, 0));
		rout_puts(o, "</h2>\n<div class=\"grid\">\n");
		for (size_t c = 0; c < b->ncols; c++)
			if (!is_expect(&b->cols[c]) && varies(b, c))
				line_chart(o, b, c, cheap);
		rout_puts(o, "</div>\n<p class=\"note\">Unchanged across the sweep: ");
		int k = 0;
		for (size_t c = 0; c < b->ncols; c++)
			if (!is_expect(&b->cols[c]) && !varies(b, c)) {
				if (k++)
					rout_puts(o, ", ");
				esc(o, rmet_label(lab, sizeof(lab), b->cols[c].key));
				rout_printf(o, " (%s)", rbatch_fmt(buf, sizeof(buf),
				    b->cols[c].unit, b->pts[0].stats[c].mean));
			}
		if (k == 0)
			rout_puts(o, "none");
		rout_puts(o, ".</p></section>\n");
	}
	points_table(o, b, cheap);
	expect_table(o, b);
	rout_printf(o, "<footer>ecsim sweep. Quantiles: %s. Mean CI: %s. Shares: "
	    "%s.</footer>\n</main>\n</body>\n</html>\n", RSTAT_QUANTILE_METHOD,
	    RSTAT_MEAN_CI_METHOD, RSTAT_SHARE_CI_METHOD);
}
