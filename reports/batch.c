/*
 * batch — runs of a scenario over seeds and sweep points, summarised in
 * index order (see batch.h).
 *
 * Invariant: after rbatch_finish, every summary is a function of the
 * records in index order only (columns by first appearance, stats over
 * seeds in seed order), never of arrival order.
 */
#include "reports/batch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rdata.h"
#include "sim/xalloc.h"

/* ---- spec ---- */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static char **
dup_list(char *const *v, size_t n)
{
	if (n == 0)
		return NULL;
	char **out = xcalloc(n, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
spec_copy(rbatch_spec *d, const rbatch_spec *s)
{
	memset(d, 0, sizeof(*d));
	d->command = xstrdup(s->command);
	d->scenario = xstrdup(s->scenario);
	d->file = xstrdup(s->file);
	d->first_seed = s->first_seed;
	d->nseeds = s->nseeds;
	d->duration = dup_or_null(s->duration);
	d->sets = dup_list(s->sets, s->nsets);
	d->nsets = s->nsets;
	d->ndims = s->ndims;
	d->dims = s->ndims ? xcalloc(s->ndims, sizeof(*d->dims)) : NULL;
	for (size_t i = 0; i < s->ndims; i++) {
		d->dims[i].path = xstrdup(s->dims[i].path);
		d->dims[i].values = dup_list(s->dims[i].values, s->dims[i].nvalues);
		d->dims[i].nvalues = s->dims[i].nvalues;
	}
	d->nexpect = s->nexpect;
	d->expect_names = dup_list(s->expect_names, s->nexpect);
	d->expect_in = s->nexpect ? xcalloc(s->nexpect, sizeof(double)) : NULL;
	for (size_t i = 0; i < s->nexpect; i++)
		d->expect_in[i] = s->expect_in[i];
}

void
rbatch_spec_free(rbatch_spec *s)
{
	free(s->command);
	free(s->scenario);
	free(s->file);
	free(s->duration);
	free_list(s->sets, s->nsets);
	for (size_t i = 0; i < s->ndims; i++) {
		free(s->dims[i].path);
		free_list(s->dims[i].values, s->dims[i].nvalues);
	}
	free(s->dims);
	free_list(s->expect_names, s->nexpect);
	free(s->expect_in);
	memset(s, 0, sizeof(*s));
}

size_t
rbatch_spec_points(const rbatch_spec *s)
{
	size_t n = 1;
	for (size_t d = 0; d < s->ndims; d++)
		n *= s->dims[d].nvalues;
	return n;
}

size_t
rbatch_point_value(const rbatch_spec *s, size_t p, size_t d)
{
	/* the last dim varies fastest */
	for (size_t k = s->ndims; k-- > d + 1;)
		p /= s->dims[k].nvalues;
	return p % s->dims[d].nvalues;
}

/* ---- the batch ---- */

rbatch *
rbatch_new(const rbatch_spec *spec)
{
	rbatch *b = xcalloc(1, sizeof(*b));
	spec_copy(&b->spec, spec);
	b->npoints = rbatch_spec_points(spec);
	b->nruns = b->npoints * spec->nseeds;
	b->runs = xcalloc(b->nruns ? b->nruns : 1, sizeof(*b->runs));
	b->have = xcalloc(b->nruns ? b->nruns : 1, sizeof(*b->have));
	return b;
}

void
rbatch_free(rbatch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->nruns; i++)
		rrun_free(&b->runs[i]);
	free(b->runs);
	free(b->have);
	for (size_t p = 0; b->pts != NULL && p < b->npoints; p++) {
		free(b->pts[p].stats);
		free(b->pts[p].ex);
	}
	free(b->pts);
	free(b->cols);
	rbatch_spec_free(&b->spec);
	free(b);
}

uint64_t
rbatch_seed(const rbatch *b, size_t i)
{
	return b->spec.first_seed + i % b->spec.nseeds;
}

void
rbatch_put(rbatch *b, size_t i, rrun *r)
{
	SIM_ASSERT(i < b->nruns && !b->have[i]);
	b->runs[i] = *r;
	memset(r, 0, sizeof(*r));
	b->have[i] = true;
	b->nhave++;
}

int
rbatch_col_index(const rbatch *b, const char *key)
{
	for (size_t c = 0; c < b->ncols; c++)
		if (strcmp(b->cols[c].key, key) == 0)
			return (int)c;
	return -1;
}

/* Column of key, searching from hint first (runs list keys in the same
 * order almost always). */
static size_t
col_of(const rbatch *b, const char *key, size_t hint)
{
	if (hint < b->ncols && strcmp(b->cols[hint].key, key) == 0)
		return hint;
	int c = rbatch_col_index(b, key);
	return c < 0 ? b->ncols : (size_t)c;
}

static void
collect_cols(rbatch *b)
{
	size_t cap = 0;
	for (size_t i = 0; i < b->nruns; i++) {
		const rmet_set *m = &b->runs[i].m;
		for (size_t k = 0; k < m->n; k++) {
			if (col_of(b, m->v[k].key, k) < b->ncols)
				continue;
			XGROW(b->cols, cap, b->ncols + 1);
			b->cols[b->ncols++] = (rbatch_col){m->v[k].key, m->v[k].unit,
			    m->v[k].better};
		}
	}
}

static void
summarise_expect(rbatch *b, size_t p, rbatch_pt *pt)
{
	size_t ns = b->spec.nseeds;
	for (size_t e = 0; e < b->spec.nexpect; e++) {
		rbatch_exp *x = &pt->ex[e];
		x->n = ns;
		for (size_t s = 0; s < ns; s++) {
			const rrun *r = &b->runs[p * ns + s];
			const rrun_verdict *v = e < r->nv ? &r->v[e] : NULL;
			if (v != NULL && x->kind == NULL) {
				x->kind = v->kind;
				x->bound = v->bound;
			}
			if (r->status == 0 && v != NULL && v->pass) {
				x->held++;
				continue;
			}
			if (x->nfail < RBATCH_MAX_FAIL_SEEDS)
				x->fail_seeds[x->nfail] = rbatch_seed(b, p * ns + s);
			if (x->nfail == 0)
				x->first_measured = v != NULL ? v->measured : r->error;
			x->nfail++;
		}
		x->share = ns ? (double)x->held / (double)ns : (double)NAN;
		rstat_wilson(x->held, ns, &x->lo, &x->hi);
		x->pass = (double)x->held * 100 >= b->spec.expect_in[e] * (double)ns;
		if (x->pass)
			pt->passed++;
		else
			pt->failed++;
	}
}

void
rbatch_finish(rbatch *b)
{
	SIM_ASSERT(b->nhave == b->nruns && b->pts == NULL);
	collect_cols(b);
	size_t ns = b->spec.nseeds, nc = b->ncols;
	double *vals = xcalloc(ns * (nc ? nc : 1), sizeof(double));
	double *scratch = xcalloc(ns ? ns : 1, sizeof(double));
	b->pts = xcalloc(b->npoints, sizeof(*b->pts));
	for (size_t p = 0; p < b->npoints; p++) {
		rbatch_pt *pt = &b->pts[p];
		pt->stats = xcalloc(nc ? nc : 1, sizeof(rstat));
		pt->ex = xcalloc(b->spec.nexpect ? b->spec.nexpect : 1,
		    sizeof(rbatch_exp));
		for (size_t k = 0; k < ns * nc; k++)
			vals[k] = (double)NAN;
		for (size_t s = 0; s < ns; s++) {
			const rrun *r = &b->runs[p * ns + s];
			if (r->status != 0) {
				if (pt->failed_runs++ == 0) {
					pt->first_error = r->error;
					pt->first_error_seed = rbatch_seed(b, p * ns + s);
				}
				continue;
			}
			for (size_t k = 0; k < r->m.n; k++)
				vals[col_of(b, r->m.v[k].key, k) * ns + s] = r->m.v[k].value;
		}
		for (size_t c = 0; c < nc; c++)
			rstat_compute(&pt->stats[c], vals + c * ns, ns, scratch);
		summarise_expect(b, p, pt);
		pt->meets_all = pt->failed_runs == 0 && pt->failed == 0;
	}
	free(vals);
	free(scratch);
}

int
rbatch_exit_code(const rbatch *b)
{
	bool any_meets = false, all_pass = true;
	for (size_t p = 0; p < b->npoints; p++) {
		if (b->pts[p].failed_runs > 0)
			return 3;
		any_meets = any_meets || b->pts[p].meets_all;
		all_pass = all_pass && b->pts[p].failed == 0;
	}
	if (b->spec.ndims > 0)
		return any_meets ? 0 : 1;
	return all_pass ? 0 : 1;
}

/* ---- formatting ---- */

char *
rbatch_fmt(char *buf, size_t size, const char *unit, double v)
{
	if (isnan(v)) {
		snprintf(buf, size, "-");
		return buf;
	}
	if (strcmp(unit, "s") == 0)
		return rdata_secs(buf, size, v);
	if (strcmp(unit, "USD") == 0)
		return rdata_usd(buf, size, v);
	rdata_num(buf, size, v);
	if (strcmp(unit, "%") == 0) {
		size_t n = strlen(buf);
		if (n + 1 < size) {
			buf[n] = '%';
			buf[n + 1] = '\0';
		}
	}
	return buf;
}

char *
rbatch_exact(char *buf, size_t size, double v)
{
	snprintf(buf, size, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, size, "%.17g", v);
	return buf;
}

void
rbatch_csv_field(rout *o, const char *s)
{
	if (strpbrk(s, ",\"\n\r") == NULL) {
		rout_puts(o, s);
		return;
	}
	rout_putc(o, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			rout_putc(o, '"');
		rout_putc(o, *s);
	}
	rout_putc(o, '"');
}

static cJSON *
num(double v)
{
	return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static void
pair(cJSON *o, const char *key, double lo, double hi)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);
	cJSON_AddItemToArray(a, num(lo));
	cJSON_AddItemToArray(a, num(hi));
}

cJSON *
rbatch_methods_json(void)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "quantiles", RSTAT_QUANTILE_METHOD);
	cJSON_AddStringToObject(m, "meanCI", RSTAT_MEAN_CI_METHOD);
	cJSON_AddStringToObject(m, "quantileCI", RSTAT_QUANTILE_CI_METHOD);
	cJSON_AddStringToObject(m, "shareCI", RSTAT_SHARE_CI_METHOD);
	cJSON_AddStringToObject(m, "expectations",
	    "an expectation passes when it holds in at least its \"in\" share "
	    "of the seeds (default 100%); a run that failed counts as not "
	    "holding");
	return m;
}

void
rbatch_stat_add(cJSON *o, const rstat *s)
{
	cJSON_AddNumberToObject(o, "n", (double)s->n);
	cJSON_AddItemToObject(o, "mean", num(s->mean));
	pair(o, "meanCI95", s->mean_lo, s->mean_hi);
	cJSON_AddItemToObject(o, "sd", num(s->sd));
	cJSON_AddItemToObject(o, "min", num(s->min));
	cJSON_AddItemToObject(o, "p5", num(s->p5));
	cJSON_AddItemToObject(o, "p50", num(s->p50));
	pair(o, "p50CI95", s->p50_lo, s->p50_hi);
	cJSON_AddItemToObject(o, "p95", num(s->p95));
	pair(o, "p95CI95", s->p95_lo, s->p95_hi);
	cJSON_AddItemToObject(o, "p99", num(s->p99));
	cJSON_AddItemToObject(o, "max", num(s->max));
}

void
rbatch_print_json(rout *o, const cJSON *j)
{
	char *text = cJSON_Print(j);
	SIM_ASSERT(text != NULL);
	rout_puts(o, text);
	rout_putc(o, '\n');
	cJSON_free(text);
}

/* ---- seeds: text ---- */

/* "seeds 1..1000" or "seed 7". */
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

/* The owner part of a key ("my-microservice", "cluster default", "run",
 * "expectations") and the rest of its label. */
static void
split_label(const char *key, char *owner, size_t osize, char *rest,
    size_t rsize)
{
	char label[700];
	rmet_label(label, sizeof(label), key);
	const char *colon = strstr(label, ": ");
	if (strncmp(key, "expect/", 7) == 0 || colon == NULL) {
		snprintf(owner, osize, "%s", strncmp(key, "expect/", 7) == 0 ?
		    "expectations (measured values)" : "");
		snprintf(rest, rsize, "%s", label);
		return;
	}
	snprintf(owner, osize, "%.*s", (int)(colon - label), label);
	snprintf(rest, rsize, "%s", colon + 2);
}

/* The label of a column in the text table, with its unit where the
 * label does not say it. */
static void
text_label(char *buf, size_t size, const char *rest, const char *unit)
{
	if (strcmp(unit, "ms") == 0)
		snprintf(buf, size, "%s (ms)", rest);
	else if (strcmp(unit, "0/1") == 0)
		snprintf(buf, size, "%s (0/1)", rest);
	else
		snprintf(buf, size, "%s", rest);
}

/* Expectation e of the first point: PASS/FAIL, its share of seeds, what
 * was measured, the seeds it did not hold in. */
static void
expect_block(rout *o, const rbatch *b, size_t e)
{
	const rbatch_spec *s = &b->spec;
	const rbatch_pt *pt = &b->pts[0];
	char f[10][40];
	const rbatch_exp *x = &pt->ex[e];
	char in[40], sh[40], lo[40], hi[40];
	rdata_num(in, sizeof(in), s->expect_in[e]);
	rdata_num(sh, sizeof(sh), 100 * x->share);
	rdata_num(lo, sizeof(lo), 100 * x->lo);
	rdata_num(hi, sizeof(hi), 100 * x->hi);
	rout_printf(o, "  %s  %s\n", x->pass ? "PASS" : "FAIL",
	    s->expect_names[e]);
	rout_printf(o, "        held in %zu of %zu seeds (%s%%, 95%% CI "
	    "%s%%..%s%%), needs %s%%; expected %s\n", x->held, x->n, sh, lo,
	    hi, in, x->bound ? x->bound : "?");
	char *key = xasprintf("expect/%s", s->expect_names[e]);
	int c = rbatch_col_index(b, key);
	free(key);
	if (c >= 0) {
		const rstat *st = &pt->stats[c];
		const char *u = b->cols[c].unit;
		rout_printf(o, "        measured: mean %s, p5 %s, p50 %s, p95 %s, "
		    "max %s\n", rbatch_fmt(f[0], 40, u, st->mean),
		    rbatch_fmt(f[1], 40, u, st->p5), rbatch_fmt(f[2], 40, u, st->p50),
		    rbatch_fmt(f[3], 40, u, st->p95), rbatch_fmt(f[4], 40, u,
		    st->max));
	}
	if (x->nfail > 0) {
		rout_printf(o, "        did not hold in seed%s", x->nfail > 1 ?
		    "s" : "");
		for (size_t k = 0; k < x->nfail && k < RBATCH_MAX_FAIL_SEEDS; k++)
			rout_printf(o, "%s %llu", k ? "," : "",
			    (unsigned long long)x->fail_seeds[k]);
		if (x->nfail > RBATCH_MAX_FAIL_SEEDS)
			rout_printf(o, ", ... (%zu in all)", x->nfail);
		rout_printf(o, "; seed %llu measured %s\n",
		    (unsigned long long)x->fail_seeds[0],
		    x->first_measured ? x->first_measured : "nothing");
	}
}

void
rbatch_seeds_text(rout *o, const rbatch *b)
{
	const rbatch_spec *s = &b->spec;
	const rbatch_pt *pt = &b->pts[0];
	char sp[80], f[10][40];
	seeds_phrase(sp, sizeof(sp), s);
	rout_printf(o, "ecsim run --seeds: %s, %zu runs (%s)\n", s->scenario,
	    s->nseeds, sp);
	rout_printf(o, "  file:     %s\n", s->file);
	for (size_t i = 0; i < s->nsets; i++)
		rout_printf(o, "  set:      %s\n", s->sets[i]);
	if (s->duration != NULL)
		rout_printf(o, "  duration: %s\n", s->duration);
	rout_printf(o, "  runs:     %zu ok, %zu failed\n",
	    s->nseeds - pt->failed_runs, pt->failed_runs);
	if (pt->failed_runs > 0)
		rout_printf(o, "            first failure, seed %llu: %s\n",
		    (unsigned long long)pt->first_error_seed, pt->first_error);
	rout_printf(o, "\nDistributions over %zu seeds (the mean, the half-width "
	    "of its 95%% CI, sd, quantiles):\n", s->nseeds);
	rout_printf(o, "%-30s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n", "", "mean",
	    "+-CI95", "sd", "min", "p5", "p50", "p95", "p99", "max");
	char owner[400] = "", prev[400] = "\x01", rest[700], label[760];
	for (size_t c = 0; c < b->ncols; c++) {
		const rstat *st = &pt->stats[c];
		const char *u = b->cols[c].unit;
		if (strncmp(b->cols[c].key, "expect/", 7) == 0)
			continue; /* under Expectations */
		split_label(b->cols[c].key, owner, sizeof(owner), rest, sizeof(rest));
		if (strcmp(owner, prev) != 0) {
			rout_printf(o, "%s\n", owner);
			snprintf(prev, sizeof(prev), "%s", owner);
		}
		text_label(label, sizeof(label), rest, u);
		double half = isnan(st->mean_lo) ? (double)NAN :
		    (st->mean_hi - st->mean_lo) / 2;
		if (strlen(label) > 28)
			rout_printf(o, "  %s\n%30s", label, "");
		else
			rout_printf(o, "  %-28s", label);
		rout_printf(o, " %9s %9s %9s %9s %9s %9s %9s %9s %9s",
		    rbatch_fmt(f[0], 40, u, st->mean),
		    rbatch_fmt(f[1], 40, u, half), rbatch_fmt(f[2], 40, u, st->sd),
		    rbatch_fmt(f[3], 40, u, st->min), rbatch_fmt(f[4], 40, u, st->p5),
		    rbatch_fmt(f[5], 40, u, st->p50), rbatch_fmt(f[6], 40, u, st->p95),
		    rbatch_fmt(f[7], 40, u, st->p99), rbatch_fmt(f[8], 40, u, st->max));
		if (st->n < s->nseeds)
			rout_printf(o, "  [%zu of %zu seeds]", st->n, s->nseeds);
		rout_putc(o, '\n');
	}
	rout_printf(o, "\nExpectations: %zu passed, %zu failed (each must hold "
	    "in its \"in\" share of the seeds; default all)\n", pt->passed,
	    pt->failed);
	for (size_t e = 0; e < s->nexpect; e++)
		expect_block(o, b, e);
	rout_printf(o, "\nMethods: quantiles by %s; %s; %s; shares with a %s.\n",
	    RSTAT_QUANTILE_METHOD, RSTAT_MEAN_CI_METHOD, RSTAT_QUANTILE_CI_METHOD,
	    RSTAT_SHARE_CI_METHOD);
}

/* ---- seeds: JSON and CSV ---- */

static cJSON *
spec_header(const rbatch *b, const char *kind)
{
	const rbatch_spec *s = &b->spec;
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "kind", kind);
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
	return root;
}

static cJSON *
expect_json(const rbatch *b, const rbatch_pt *pt)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t e = 0; e < b->spec.nexpect; e++) {
		const rbatch_exp *x = &pt->ex[e];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", b->spec.expect_names[e]);
		cJSON_AddStringToObject(o, "kind", x->kind ? x->kind : "");
		cJSON_AddStringToObject(o, "bound", x->bound ? x->bound : "");
		cJSON_AddNumberToObject(o, "inPercent", b->spec.expect_in[e]);
		cJSON_AddNumberToObject(o, "held", (double)x->held);
		cJSON_AddNumberToObject(o, "seeds", (double)x->n);
		cJSON_AddItemToObject(o, "sharePercent", num(100 * x->share));
		pair(o, "shareCI95", 100 * x->lo, 100 * x->hi);
		cJSON_AddBoolToObject(o, "pass", x->pass);
		cJSON *fs = cJSON_AddArrayToObject(o, "failedSeeds");
		for (size_t k = 0; k < x->nfail && k < RBATCH_MAX_FAIL_SEEDS; k++)
			cJSON_AddItemToArray(fs, cJSON_CreateNumber(
			    (double)x->fail_seeds[k]));
		cJSON_AddNumberToObject(o, "failedSeedCount", (double)x->nfail);
		if (x->first_measured != NULL)
			cJSON_AddStringToObject(o, "firstFailureMeasured",
			    x->first_measured);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* The metrics of a point: [{"key", "label", "unit", "better", stats}]. */
static cJSON *
metrics_json(const rbatch *b, const rbatch_pt *pt)
{
	cJSON *a = cJSON_CreateArray();
	char label[700];
	for (size_t c = 0; c < b->ncols; c++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "key", b->cols[c].key);
		cJSON_AddStringToObject(o, "label", rmet_label(label, sizeof(label),
		    b->cols[c].key));
		cJSON_AddStringToObject(o, "unit", b->cols[c].unit);
		cJSON_AddStringToObject(o, "better",
		    rmet_better_name(b->cols[c].better));
		rbatch_stat_add(o, &pt->stats[c]);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

cJSON *
rbatch_seeds_json(const rbatch *b)
{
	const rbatch_pt *pt = &b->pts[0];
	cJSON *root = spec_header(b, "ecsim-seeds");
	cJSON_AddNumberToObject(root, "runs", (double)b->spec.nseeds);
	cJSON_AddNumberToObject(root, "failedRuns", (double)pt->failed_runs);
	if (pt->failed_runs > 0) {
		cJSON_AddNumberToObject(root, "firstFailedSeed",
		    (double)pt->first_error_seed);
		cJSON_AddStringToObject(root, "firstError", pt->first_error);
	}
	cJSON_AddItemToObject(root, "metrics", metrics_json(b, pt));
	cJSON *ex = cJSON_AddObjectToObject(root, "expectations");
	cJSON_AddNumberToObject(ex, "passed", (double)pt->passed);
	cJSON_AddNumberToObject(ex, "failed", (double)pt->failed);
	cJSON_AddItemToObject(ex, "verdicts", expect_json(b, pt));
	return root;
}

void
rbatch_seeds_csv(rout *o, const rbatch *b)
{
	char buf[64];
	rout_puts(o, "seed,status");
	for (size_t c = 0; c < b->ncols; c++) {
		rout_putc(o, ',');
		rbatch_csv_field(o, b->cols[c].key);
	}
	for (size_t e = 0; e < b->spec.nexpect; e++) {
		char *h = xasprintf("held: %s", b->spec.expect_names[e]);
		rout_putc(o, ',');
		rbatch_csv_field(o, h);
		free(h);
	}
	rout_putc(o, '\n');
	for (size_t i = 0; i < b->nruns; i++) {
		const rrun *r = &b->runs[i];
		rout_printf(o, "%llu,%d", (unsigned long long)rbatch_seed(b, i),
		    r->status);
		size_t k = 0;
		for (size_t c = 0; c < b->ncols; c++) {
			rout_putc(o, ',');
			/* a run lists its keys in column order, some missing */
			const rmet_item *it = NULL;
			if (k < r->m.n && strcmp(r->m.v[k].key, b->cols[c].key) == 0)
				it = &r->m.v[k++];
			else if ((it = rmet_find(&r->m, b->cols[c].key)) != NULL)
				k = (size_t)(it - r->m.v) + 1;
			if (it != NULL)
				rout_puts(o, rbatch_exact(buf, sizeof(buf), it->value));
		}
		for (size_t e = 0; e < b->spec.nexpect; e++)
			rout_puts(o, r->status == 0 && e < r->nv && r->v[e].pass ?
			    ",1" : ",0");
		rout_putc(o, '\n');
	}
}

/* ---- spec and partials as JSON ---- */

static cJSON *
str_array(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

cJSON *
rbatch_spec_json(const rbatch_spec *s)
{
	char buf[32];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "command", s->command);
	cJSON_AddStringToObject(o, "scenario", s->scenario);
	cJSON_AddStringToObject(o, "file", s->file);
	/* seeds as text: a uint64 does not fit a double */
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)s->first_seed);
	cJSON_AddStringToObject(o, "firstSeed", buf);
	cJSON_AddNumberToObject(o, "seeds", (double)s->nseeds);
	if (s->duration != NULL)
		cJSON_AddStringToObject(o, "duration", s->duration);
	cJSON_AddItemToObject(o, "set", str_array(s->sets, s->nsets));
	cJSON *dims = cJSON_AddArrayToObject(o, "vary");
	for (size_t d = 0; d < s->ndims; d++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "path", s->dims[d].path);
		cJSON_AddItemToObject(x, "values", str_array(s->dims[d].values,
		    s->dims[d].nvalues));
		cJSON_AddItemToArray(dims, x);
	}
	cJSON *ex = cJSON_AddArrayToObject(o, "expectations");
	for (size_t e = 0; e < s->nexpect; e++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", s->expect_names[e]);
		cJSON_AddNumberToObject(x, "inPercent", s->expect_in[e]);
		cJSON_AddItemToArray(ex, x);
	}
	return o;
}

static int
spec_bad(sim_error *err, const char *what)
{
	return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, "spec",
	    "%s", what);
}

/* An owned array of the strings of a (NULL when empty); -1 when a holds
 * something else. */
static int
strings_of(const cJSON *a, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!cJSON_IsArray(a))
		return -1;
	size_t k = (size_t)cJSON_GetArraySize(a);
	char **v = k ? xcalloc(k, sizeof(*v)) : NULL;
	const cJSON *e;
	size_t i = 0;
	cJSON_ArrayForEach(e, a) {
		if (!cJSON_IsString(e)) {
			free_list(v, i);
			return -1;
		}
		v[i++] = xstrdup(e->valuestring);
	}
	*out = v;
	*n = k;
	return 0;
}

int
rbatch_spec_from_json(rbatch_spec *s, const cJSON *j, sim_error *err)
{
	memset(s, 0, sizeof(*s));
	const char *cmd = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
	    "command"));
	const char *scn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
	    "scenario"));
	const char *file = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
	    "file"));
	const char *first = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
	    "firstSeed"));
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(j, "seeds");
	if (cmd == NULL || scn == NULL || file == NULL || first == NULL ||
	    !cJSON_IsNumber(ns) || ns->valuedouble < 1)
		return spec_bad(err, "needs \"command\", \"scenario\", \"file\", "
		    "\"firstSeed\" and \"seeds\"");
	s->command = xstrdup(cmd);
	s->scenario = xstrdup(scn);
	s->file = xstrdup(file);
	s->first_seed = strtoull(first, NULL, 10);
	s->nseeds = (size_t)ns->valuedouble;
	s->duration = dup_or_null(cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(j, "duration")));
	if (strings_of(cJSON_GetObjectItemCaseSensitive(j, "set"), &s->sets,
	    &s->nsets) != 0) {
		rbatch_spec_free(s);
		return spec_bad(err, "\"set\" must be an array of strings");
	}
	const cJSON *dims = cJSON_GetObjectItemCaseSensitive(j, "vary");
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(j, "expectations");
	if (!cJSON_IsArray(dims) || !cJSON_IsArray(ex)) {
		rbatch_spec_free(s);
		return spec_bad(err, "needs \"vary\" and \"expectations\" arrays");
	}
	s->ndims = (size_t)cJSON_GetArraySize(dims);
	s->dims = s->ndims ? xcalloc(s->ndims, sizeof(*s->dims)) : NULL;
	const cJSON *e;
	size_t i = 0;
	cJSON_ArrayForEach(e, dims) {
		rbatch_dim *d = &s->dims[i++];
		const char *path = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(e, "path"));
		d->path = xstrdup(path ? path : "");
		if (path == NULL || strings_of(cJSON_GetObjectItemCaseSensitive(e,
		    "values"), &d->values, &d->nvalues) != 0 || d->nvalues == 0) {
			rbatch_spec_free(s);
			return spec_bad(err, "each \"vary\" needs a \"path\" and "
			    "\"values\"");
		}
	}
	s->nexpect = (size_t)cJSON_GetArraySize(ex);
	s->expect_names = s->nexpect ? xcalloc(s->nexpect, sizeof(char *)) : NULL;
	s->expect_in = s->nexpect ? xcalloc(s->nexpect, sizeof(double)) : NULL;
	i = 0;
	cJSON_ArrayForEach(e, ex) {
		const char *name = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(e, "name"));
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(e, "inPercent");
		s->expect_names[i] = xstrdup(name ? name : "");
		s->expect_in[i] = cJSON_IsNumber(in) ? in->valuedouble : 100;
		i++;
		if (name == NULL || !cJSON_IsNumber(in)) {
			rbatch_spec_free(s);
			return spec_bad(err, "each expectation needs \"name\" and "
			    "\"inPercent\"");
		}
	}
	return 0;
}

cJSON *
rbatch_partial_json(const rbatch *b, size_t k, size_t n)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "kind", "ecsim-partial");
	cJSON_AddNumberToObject(root, "schemaVersion", 1);
	cJSON_AddItemToObject(root, "spec", rbatch_spec_json(&b->spec));
	cJSON *sh = cJSON_AddObjectToObject(root, "shard");
	cJSON_AddNumberToObject(sh, "k", (double)k);
	cJSON_AddNumberToObject(sh, "n", (double)n);
	cJSON *runs = cJSON_AddArrayToObject(root, "runs");
	for (size_t i = 0; i < b->nruns; i++) {
		if (!b->have[i])
			continue;
		cJSON *r = cJSON_CreateObject();
		cJSON_AddNumberToObject(r, "index", (double)i);
		rrun_add_json(r, &b->runs[i]);
		cJSON_AddItemToArray(runs, r);
	}
	return root;
}

void
rbatch_seeds_failures(rout *o, const rbatch *b)
{
	for (size_t e = 0; e < b->spec.nexpect; e++)
		if (!b->pts[0].ex[e].pass)
			expect_block(o, b, e);
}
