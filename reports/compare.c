/*
 * compare — sides read into metric lists, rows, sections, the gate (see
 * compare.h).
 *
 * Invariant: the rows of a section follow A's order, then the keys only B
 * has, in B's order; a report depends on the two documents and the
 * tolerance only.
 */
#include "reports/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "reports/batch.h"
#include "reports/metrics.h"
#include "reports/rdata.h"
#include "sim/xalloc.h"

/* ---- a side, read ---- */

enum { SIDE_RUN, SIDE_SEEDS, SIDE_SWEEP };

typedef struct smetric {
	char *key, *unit;
	int better;
	rstat st;
} smetric;

typedef struct sexp {
	char *name;
	bool pass;
	double share; /* percent; NaN for a single run */
} sexp;

typedef struct spoint {
	char *label; /* "" for runs and seeds */
	smetric *m;
	size_t nm, capm;
	sexp *e;
	size_t ne, cape;
} spoint;

typedef struct side {
	int kind;
	char *what;
	spoint *p;
	size_t np;
} side;

static void
side_free(side *s)
{
	for (size_t i = 0; i < s->np; i++) {
		spoint *p = &s->p[i];
		for (size_t k = 0; k < p->nm; k++) {
			free(p->m[k].key);
			free(p->m[k].unit);
		}
		for (size_t k = 0; k < p->ne; k++)
			free(p->e[k].name);
		free(p->m);
		free(p->e);
		free(p->label);
	}
	free(s->p);
	free(s->what);
	memset(s, 0, sizeof(*s));
}

static rstat
single(double v)
{
	const double nan = (double)NAN;
	return (rstat){.n = 1, .mean = v, .sd = nan, .mean_lo = nan,
	    .mean_hi = nan, .min = v, .max = v, .p5 = v, .p50 = v, .p95 = v,
	    .p99 = v, .p50_lo = nan, .p50_hi = nan, .p95_lo = nan, .p95_hi = nan};
}

static double
jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : (double)NAN;
}

static const char *
jstr(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void
pair_of(const cJSON *o, const char *key, double *lo, double *hi)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
	const cJSON *x = cJSON_GetArrayItem(a, 0), *y = cJSON_GetArrayItem(a, 1);
	*lo = cJSON_IsNumber(x) ? x->valuedouble : (double)NAN;
	*hi = cJSON_IsNumber(y) ? y->valuedouble : (double)NAN;
}

/* A distribution as seeds.json and sweep.json write it. */
static rstat
stat_of(const cJSON *o)
{
	rstat s;
	double n = jnum(o, "n");
	s.n = isnan(n) || n < 0 ? 0 : (size_t)n;
	s.mean = jnum(o, "mean");
	s.sd = jnum(o, "sd");
	s.min = jnum(o, "min");
	s.max = jnum(o, "max");
	s.p5 = jnum(o, "p5");
	s.p50 = jnum(o, "p50");
	s.p95 = jnum(o, "p95");
	s.p99 = jnum(o, "p99");
	pair_of(o, "meanCI95", &s.mean_lo, &s.mean_hi);
	pair_of(o, "p50CI95", &s.p50_lo, &s.p50_hi);
	pair_of(o, "p95CI95", &s.p95_lo, &s.p95_hi);
	if (isnan(s.mean))
		s.n = 0;
	return s;
}

static void
add_metric(spoint *p, const char *key, const char *unit, int better,
    rstat st)
{
	XGROW(p->m, p->capm, p->nm + 1);
	p->m[p->nm++] = (smetric){xstrdup(key), xstrdup(unit ? unit : ""),
	    better, st};
}

static void
add_exp(spoint *p, const char *name, bool pass, double share)
{
	XGROW(p->e, p->cape, p->ne + 1);
	p->e[p->ne++] = (sexp){xstrdup(name), pass, share};
}

static void
read_verdicts(spoint *p, const cJSON *arr)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, arr) {
		const char *name = jstr(v, "name");
		if (name != NULL)
			add_exp(p, name, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v,
			    "pass")), jnum(v, "sharePercent"));
	}
}

static int
read_side(side *s, const rcmp_side *in, sim_error *err)
{
	memset(s, 0, sizeof(*s));
	const cJSON *d = in->doc;
	const char *kind = jstr(d, "kind");
	if (kind != NULL && strcmp(kind, "ecsim-seeds") == 0) {
		s->kind = SIDE_SEEDS;
		s->np = 1;
		s->p = xcalloc(1, sizeof(*s->p));
		s->p[0].label = xstrdup("");
		const cJSON *m;
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(d, "metrics"))
			if (jstr(m, "key") != NULL)
				add_metric(&s->p[0], jstr(m, "key"), jstr(m, "unit"),
				    rmet_better_parse(jstr(m, "better")), stat_of(m));
		read_verdicts(&s->p[0], cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(d, "expectations"), "verdicts"));
		const cJSON *sd = cJSON_GetObjectItemCaseSensitive(d, "seeds");
		s->what = xasprintf("%s, seeds %.0f..%.0f (%.0f runs)",
		    jstr(d, "scenario") ? jstr(d, "scenario") : "?", jnum(sd, "first"),
		    jnum(sd, "last"), jnum(sd, "count"));
		return 0;
	}
	if (kind != NULL && strcmp(kind, "ecsim-sweep") == 0) {
		s->kind = SIDE_SWEEP;
		const cJSON *mets = cJSON_GetObjectItemCaseSensitive(d, "metrics");
		const cJSON *pts = cJSON_GetObjectItemCaseSensitive(d, "points");
		s->np = (size_t)cJSON_GetArraySize(pts);
		s->p = xcalloc(s->np ? s->np : 1, sizeof(*s->p));
		size_t i = 0;
		const cJSON *pt;
		cJSON_ArrayForEach(pt, pts) {
			spoint *p = &s->p[i++];
			char *set = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(
			    pt, "set"));
			p->label = xstrdup(set ? set : "");
			cJSON_free(set);
			const cJSON *st = cJSON_GetObjectItemCaseSensitive(pt, "stats");
			const cJSON *m;
			cJSON_ArrayForEach(m, mets) {
				const char *key = jstr(m, "key");
				const cJSON *x = key ? cJSON_GetObjectItemCaseSensitive(st, key) :
				    NULL;
				if (x != NULL)
					add_metric(p, key, jstr(m, "unit"),
					    rmet_better_parse(jstr(m, "better")), stat_of(x));
			}
			read_verdicts(p, cJSON_GetObjectItemCaseSensitive(pt,
			    "expectations"));
		}
		const cJSON *sd = cJSON_GetObjectItemCaseSensitive(d, "seeds");
		s->what = xasprintf("%s, sweep of %zu points x %.0f seeds",
		    jstr(d, "scenario") ? jstr(d, "scenario") : "?", s->np,
		    jnum(sd, "count"));
		return 0;
	}
	rmet_set m;
	rmet_init(&m);
	if (kind != NULL || rmet_from_summary(&m, d, err) != 0) {
		rmet_clear(&m);
		return sim_error_set(err, SIM_EINPUT, in->name, 0, 0, NULL,
		    "not a result of ecsim (a summary.json, seeds.json or "
		    "sweep.json)");
	}
	s->kind = SIDE_RUN;
	s->np = 1;
	s->p = xcalloc(1, sizeof(*s->p));
	s->p[0].label = xstrdup("");
	for (size_t i = 0; i < m.n; i++)
		add_metric(&s->p[0], m.v[i].key, m.v[i].unit, m.v[i].better,
		    single(m.v[i].value));
	rmet_clear(&m);
	read_verdicts(&s->p[0], cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(d, "expectations"), "verdicts"));
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(d, "info");
	const char *scn = jstr(info, "scenario") ? jstr(info, "scenario") : "?";
	double seed = jnum(info, "seed");
	const char *backend = jstr(info, "backend");
	if (backend != NULL && strcmp(backend, "sim") != 0)
		s->what = xasprintf("%s, observed on %s", scn, backend);
	else if (isnan(seed))
		s->what = xasprintf("%s, one run", scn);
	else
		s->what = xasprintf("%s, one run (seed %.0f)", scn, seed);
	return 0;
}

/* ---- rows and sections ---- */

rcmp_section *
rcmp_section_add(rcmp_report *r, const char *name, const char *title,
    bool gate)
{
	XGROW(r->s, r->cap, r->n + 1);
	rcmp_section *s = &r->s[r->n++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->title = xstrdup(title);
	s->gate = gate;
	return s;
}

static void
welch(const rstat *a, const rstat *b, double delta, double *lo, double *hi)
{
	*lo = *hi = (double)NAN;
	if (a->n < 2 || b->n < 2 || !isfinite(a->sd) || !isfinite(b->sd))
		return;
	double va = a->sd * a->sd / (double)a->n, vb = b->sd * b->sd / (double)b->n;
	double se = sqrt(va + vb);
	if (se == 0) {
		*lo = *hi = delta;
		return;
	}
	double df = (va + vb) * (va + vb) / (va * va / (double)(a->n - 1) +
	    vb * vb / (double)(b->n - 1));
	double t = gsl_cdf_tdist_Pinv(0.975, df);
	*lo = delta - t * se;
	*hi = delta + t * se;
}

rcmp_row *
rcmp_row_add(const rcmp_report *r, rcmp_section *s, const char *key,
    const char *label, const char *unit, int better, const rstat *a,
    const rstat *b)
{
	XGROW(s->rows, s->cap, s->n + 1);
	rcmp_row *w = &s->rows[s->n++];
	memset(w, 0, sizeof(*w));
	w->key = xstrdup(key);
	w->label = xstrdup(label);
	w->unit = xstrdup(unit);
	w->better = better;
	w->a = *a;
	w->b = *b;
	w->delta = w->rel = w->diff_lo = w->diff_hi = (double)NAN;
	if (a->n == 0 || b->n == 0) {
		w->status = a->n == 0 ? RCMP_ONLY_B : RCMP_ONLY_A;
		return w;
	}
	w->delta = b->mean - a->mean;
	w->rel = a->mean != 0 ? w->delta / fabs(a->mean) :
	    w->delta == 0 ? 0 : w->delta > 0 ? (double)INFINITY :
	    -(double)INFINITY;
	welch(a, b, w->delta, &w->diff_lo, &w->diff_hi);
	if (w->delta == 0)
		w->status = RCMP_SAME;
	else if (better == RMET_NONE)
		w->status = RCMP_CHANGED;
	else if ((better == RMET_LOWER) == (w->delta < 0))
		w->status = RCMP_BETTER;
	else
		w->status = fabs(w->rel) > r->tolerance ? RCMP_BEYOND : RCMP_WORSE;
	return w;
}

/* Is key one of the metrics that matter (gated)? */
static bool
key_metric(const char *key)
{
	static const char *const suffix[] = {"/duration", "/completed",
	    "/lowestHealthy", "/tasksFailed", "/placementFailures", "/errors",
	    "/errorPercent", "/latencyP99"};
	if (strcmp(key, "run/costUSD") == 0)
		return true;
	if (strncmp(key, "expect/", 7) == 0)
		return false;
	size_t kl = strlen(key);
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		size_t sl = strlen(suffix[i]);
		if (kl > sl && strcmp(key + kl - sl, suffix[i]) == 0)
			return true;
	}
	return false;
}

static const smetric *
find_metric(const spoint *p, const char *key)
{
	for (size_t i = 0; i < p->nm; i++)
		if (strcmp(p->m[i].key, key) == 0)
			return &p->m[i];
	return NULL;
}

static void
metric_rows(rcmp_report *r, rcmp_section *s, const spoint *a,
    const spoint *b, bool keys)
{
	rstat none = {0};
	char label[700];
	for (int pass = 0; pass < 2; pass++) {
		const spoint *p = pass == 0 ? a : b, *q = pass == 0 ? b : a;
		for (size_t i = 0; i < p->nm; i++) {
			const smetric *m = &p->m[i];
			if (key_metric(m->key) != keys || strncmp(m->key, "expect/", 7) == 0)
				continue;
			const smetric *o = find_metric(q, m->key);
			if (pass == 1 && o != NULL)
				continue; /* done in A's pass */
			const rstat *sa = pass == 0 ? &m->st : o ? &o->st : &none;
			const rstat *sb = pass == 0 ? (o ? &o->st : &none) : &m->st;
			rcmp_row_add(r, s, m->key, rmet_label(label, sizeof(label), m->key),
			    m->unit, m->better, sa, sb);
		}
	}
}

static char *
verdict_text(const sexp *e)
{
	char buf[40];
	if (e == NULL)
		return xstrdup("absent");
	if (isnan(e->share))
		return xstrdup(e->pass ? "PASS" : "FAIL");
	return xasprintf("%s (held in %s%% of seeds)", e->pass ? "PASS" : "FAIL",
	    rdata_num(buf, sizeof(buf), e->share));
}

static void
expect_rows(rcmp_section *s, const spoint *a, const spoint *b)
{
	for (int pass = 0; pass < 2; pass++) {
		const spoint *p = pass == 0 ? a : b, *q = pass == 0 ? b : a;
		for (size_t i = 0; i < p->ne; i++) {
			const sexp *e = &p->e[i], *o = NULL;
			for (size_t k = 0; k < q->ne && o == NULL; k++)
				if (strcmp(q->e[k].name, e->name) == 0)
					o = &q->e[k];
			if (pass == 1 && o != NULL)
				continue;
			const sexp *ea = pass == 0 ? e : o, *eb = pass == 0 ? o : e;
			XGROW(s->rows, s->cap, s->n + 1);
			rcmp_row *w = &s->rows[s->n++];
			memset(w, 0, sizeof(*w));
			w->key = xasprintf("expect/%s", e->name);
			w->label = xstrdup(e->name);
			w->unit = xstrdup("");
			w->delta = w->rel = w->diff_lo = w->diff_hi = (double)NAN;
			w->a_text = verdict_text(ea);
			w->b_text = verdict_text(eb);
			if (ea == NULL || eb == NULL)
				w->status = ea == NULL ? RCMP_ONLY_B : RCMP_ONLY_A;
			else if (ea->pass && !eb->pass)
				w->status = RCMP_BEYOND;
			else if (!ea->pass && eb->pass)
				w->status = RCMP_BETTER;
			else if (strcmp(w->a_text, w->b_text) == 0)
				w->status = RCMP_SAME;
			else
				w->status = RCMP_CHANGED;
		}
	}
}

static void
compare_points(rcmp_report *r, const spoint *a, const spoint *b,
    const char *where)
{
	char name[600], title[800];
	snprintf(name, sizeof(name), "key-metrics%s%s", where[0] ? "@" : "", where);
	snprintf(title, sizeof(title), "Key metrics%s%s", where[0] ? " at " : "",
	    where);
	rcmp_section *s = rcmp_section_add(r, name, title, true);
	metric_rows(r, s, a, b, true);
	snprintf(name, sizeof(name), "expectations%s%s", where[0] ? "@" : "", where);
	snprintf(title, sizeof(title), "Expectations%s%s", where[0] ? " at " : "",
	    where);
	s = rcmp_section_add(r, name, title, true);
	expect_rows(s, a, b);
	snprintf(name, sizeof(name), "other-metrics%s%s", where[0] ? "@" : "",
	    where);
	snprintf(title, sizeof(title), "Other metrics%s%s", where[0] ? " at " : "",
	    where);
	s = rcmp_section_add(r, name, title, false);
	metric_rows(r, s, a, b, false);
}

rcmp_report *
rcmp_compare(const rcmp_side *a, const rcmp_side *b, double tolerance,
    sim_error *err)
{
	side sa, sb;
	if (read_side(&sa, a, err) != 0)
		return NULL;
	if (read_side(&sb, b, err) != 0) {
		side_free(&sa);
		return NULL;
	}
	if ((sa.kind == SIDE_SWEEP) != (sb.kind == SIDE_SWEEP)) {
		sim_error_set(err, SIM_EINPUT, NULL, 0, 0, NULL, "a sweep compares "
		    "with a sweep only (%s is %s, %s is %s)", a->name, sa.what,
		    b->name, sb.what);
		side_free(&sa);
		side_free(&sb);
		return NULL;
	}
	rcmp_report *r = xcalloc(1, sizeof(*r));
	r->a_name = xstrdup(a->name);
	r->b_name = xstrdup(b->name);
	r->a_what = xstrdup(sa.what);
	r->b_what = xstrdup(sb.what);
	r->tolerance = tolerance;
	if (sa.kind != SIDE_SWEEP)
		compare_points(r, &sa.p[0], &sb.p[0], "");
	else
		for (size_t i = 0; i < sa.np; i++) {
			const spoint *q = NULL;
			for (size_t k = 0; k < sb.np && q == NULL; k++)
				if (strcmp(sb.p[k].label, sa.p[i].label) == 0)
					q = &sb.p[k];
			if (q == NULL) {
				sim_error_set(err, SIM_EINPUT, b->name, 0, 0, NULL,
				    "the sweeps cover other points: %s has no point %s",
				    b->name, sa.p[i].label);
				rcmp_free(r);
				r = NULL;
				break;
			}
			compare_points(r, &sa.p[i], q, sa.p[i].label);
		}
	side_free(&sa);
	side_free(&sb);
	return r;
}

void
rcmp_free(rcmp_report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		rcmp_section *s = &r->s[i];
		for (size_t k = 0; k < s->n; k++) {
			free(s->rows[k].key);
			free(s->rows[k].label);
			free(s->rows[k].unit);
			free(s->rows[k].a_text);
			free(s->rows[k].b_text);
		}
		free(s->rows);
		free(s->name);
		free(s->title);
	}
	free(r->s);
	free(r->a_name);
	free(r->b_name);
	free(r->a_what);
	free(r->b_what);
	free(r);
}

size_t
rcmp_beyond(const rcmp_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; r->s[i].gate && k < r->s[i].n; k++)
			n += r->s[i].rows[k].status == RCMP_BEYOND;
	return n;
}

int
rcmp_exit_code(const rcmp_report *r)
{
	return rcmp_beyond(r) > 0 ? 1 : 0;
}

/* ---- output ---- */

static const char *
status_name(int st)
{
	switch (st) {
	case RCMP_SAME: return "same";
	case RCMP_BETTER: return "better";
	case RCMP_WORSE: return "worse, within the tolerance";
	case RCMP_BEYOND: return "WORSE beyond the tolerance";
	case RCMP_CHANGED: return "changed";
	case RCMP_ONLY_A: return "only in A";
	default: return "only in B";
	}
}

static const char *
status_key(int st)
{
	static const char *const k[] = {"same", "better", "worse", "worseBeyond",
	    "changed", "onlyA", "onlyB"};
	return k[st];
}

/* "7m50.965s" or "mean 7m52.2s [p5 7m47.7s..p95 7m58.2s]" */
static void
side_text(char *buf, size_t size, const rstat *s, const char *unit)
{
	char m[48], a[48], z[48];
	const char *ms = strcmp(unit, "ms") == 0 ? " ms" : "";
	if (s->n == 0)
		snprintf(buf, size, "-");
	else if (s->n == 1)
		snprintf(buf, size, "%s%s", rbatch_fmt(m, sizeof(m), unit, s->mean),
		    ms);
	else
		snprintf(buf, size, "mean %s [p5 %s..p95 %s]%s", rbatch_fmt(m,
		    sizeof(m), unit, s->mean), rbatch_fmt(a, sizeof(a), unit, s->p5),
		    rbatch_fmt(z, sizeof(z), unit, s->p95), ms);
}

static void
signed_fmt(char *buf, size_t size, const char *unit, double v)
{
	char t[48];
	rbatch_fmt(t, sizeof(t), unit, fabs(v));
	snprintf(buf, size, "%s%s%s", v > 0 ? "+" : v < 0 ? "-" : "", t,
	    strcmp(unit, "ms") == 0 ? " ms" : "");
}

static void
rel_text(char *buf, size_t size, double rel)
{
	char t[40];
	if (isinf(rel))
		snprintf(buf, size, "from 0");
	else
		snprintf(buf, size, "%s%s%%", rel > 0 ? "+" : "",
		    rdata_num(t, sizeof(t), 100 * rel));
}

void
rcmp_text(rout *o, const rcmp_report *r, bool all)
{
	char t[40];
	rout_printf(o, "ecsim compare\n  A: %s (%s)\n  B: %s (%s)\n", r->a_name,
	    r->a_what, r->b_name, r->b_what);
	rout_printf(o, "  tolerance: %s%% (relative to A; a gated metric worse "
	    "beyond it exits 1)\n", rdata_num(t, sizeof(t), 100 * r->tolerance));
	for (size_t i = 0; i < r->n; i++) {
		const rcmp_section *s = &r->s[i];
		size_t shown = 0, same = 0;
		for (size_t k = 0; k < s->n; k++)
			same += s->rows[k].status == RCMP_SAME;
		for (size_t k = 0; k < s->n; k++) {
			const rcmp_row *w = &s->rows[k];
			if (w->status == RCMP_SAME && !s->show_same && !all)
				continue;
			if (shown++ == 0)
				rout_printf(o, "\n%s%s\n", s->title, s->gate ? " (gated)" : "");
			const char *dir = rmet_better_name(w->better);
			rout_printf(o, "  %s", w->label);
			if (dir[0] != '\0')
				rout_printf(o, " (%s is better)", dir);
			rout_putc(o, '\n');
			char a[200], b[200], d[64];
			if (w->a_text != NULL) {
				rout_printf(o, "      A %s   B %s   %s\n", w->a_text, w->b_text,
				    status_name(w->status));
				continue;
			}
			side_text(a, sizeof(a), &w->a, w->unit);
			side_text(b, sizeof(b), &w->b, w->unit);
			rout_printf(o, "      A %s   B %s", a, b);
			if (!isnan(w->delta) && w->delta != 0) {
				signed_fmt(d, sizeof(d), w->unit, w->delta);
				rel_text(t, sizeof(t), w->rel);
				rout_printf(o, "   %s (%s)", d, t);
				if (!isnan(w->diff_lo)) {
					char lo[64], hi[64];
					signed_fmt(lo, sizeof(lo), w->unit, w->diff_lo);
					signed_fmt(hi, sizeof(hi), w->unit, w->diff_hi);
					rout_printf(o, ", 95%% CI %s..%s", lo, hi);
				}
			}
			rout_printf(o, "   %s\n", status_name(w->status));
		}
		if (shown == 0 && s->n > 0)
			rout_printf(o, "\n%s%s: all %zu the same\n", s->title, s->gate ?
			    " (gated)" : "", s->n);
		else if (same > 0 && !s->show_same && !all)
			rout_printf(o, "  (%zu more the same; --all lists them)\n", same);
	}
	size_t n = rcmp_beyond(r);
	rdata_num(t, sizeof(t), 100 * r->tolerance);
	if (n == 0) {
		rout_printf(o, "\nB is not worse than A beyond %s%% in any gated "
		    "metric or expectation (exit 0).\n", t);
		return;
	}
	rout_printf(o, "\nB is worse than A beyond %s%% in %zu gated row%s "
	    "(exit 1):\n", t, n, n == 1 ? "" : "s");
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; r->s[i].gate && k < r->s[i].n; k++) {
			const rcmp_row *w = &r->s[i].rows[k];
			if (w->status != RCMP_BEYOND)
				continue;
			if (w->a_text != NULL) {
				rout_printf(o, "  %s: held in A, fails in B\n", w->label);
				continue;
			}
			char rel[40];
			rel_text(rel, sizeof(rel), w->rel);
			rout_printf(o, "  %s: %s, %s (%s is better)\n", w->label, rel,
			    w->better == RMET_LOWER ? "higher" : "lower",
			    rmet_better_name(w->better));
		}
}

static cJSON *
jnum_or_null(double v)
{
	return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

cJSON *
rcmp_json(const rcmp_report *r)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "kind", "ecsim-compare");
	cJSON_AddNumberToObject(root, "schemaVersion", 1);
	cJSON *a = cJSON_AddObjectToObject(root, "a");
	cJSON_AddStringToObject(a, "path", r->a_name);
	cJSON_AddStringToObject(a, "what", r->a_what);
	cJSON *b = cJSON_AddObjectToObject(root, "b");
	cJSON_AddStringToObject(b, "path", r->b_name);
	cJSON_AddStringToObject(b, "what", r->b_what);
	cJSON_AddNumberToObject(root, "tolerancePercent", 100 * r->tolerance);
	cJSON *secs = cJSON_AddArrayToObject(root, "sections");
	cJSON *beyond = cJSON_CreateArray();
	for (size_t i = 0; i < r->n; i++) {
		const rcmp_section *s = &r->s[i];
		cJSON *so = cJSON_CreateObject();
		cJSON_AddStringToObject(so, "name", s->name);
		cJSON_AddStringToObject(so, "title", s->title);
		cJSON_AddBoolToObject(so, "gate", s->gate);
		cJSON *rows = cJSON_AddArrayToObject(so, "rows");
		for (size_t k = 0; k < s->n; k++) {
			const rcmp_row *w = &s->rows[k];
			cJSON *ro = cJSON_CreateObject();
			cJSON_AddStringToObject(ro, "key", w->key);
			cJSON_AddStringToObject(ro, "label", w->label);
			cJSON_AddStringToObject(ro, "unit", w->unit);
			cJSON_AddStringToObject(ro, "better", rmet_better_name(w->better));
			cJSON_AddStringToObject(ro, "status", status_key(w->status));
			if (w->a_text != NULL) {
				cJSON_AddStringToObject(ro, "a", w->a_text);
				cJSON_AddStringToObject(ro, "b", w->b_text);
			} else {
				for (int sd = 0; sd < 2; sd++) {
					const rstat *st = sd ? &w->b : &w->a;
					if (st->n == 0) {
						cJSON_AddNullToObject(ro, sd ? "b" : "a");
						continue;
					}
					cJSON *x = cJSON_CreateObject();
					rbatch_stat_add(x, st);
					cJSON_AddItemToObject(ro, sd ? "b" : "a", x);
				}
				cJSON_AddItemToObject(ro, "delta", jnum_or_null(w->delta));
				cJSON_AddItemToObject(ro, "relativePercent",
				    jnum_or_null(100 * w->rel));
				cJSON *ci = cJSON_AddArrayToObject(ro, "deltaCI95");
				cJSON_AddItemToArray(ci, jnum_or_null(w->diff_lo));
				cJSON_AddItemToArray(ci, jnum_or_null(w->diff_hi));
			}
			cJSON_AddItemToArray(rows, ro);
			if (s->gate && w->status == RCMP_BEYOND) {
				cJSON *bo = cJSON_CreateObject();
				cJSON_AddStringToObject(bo, "section", s->name);
				cJSON_AddStringToObject(bo, "key", w->key);
				cJSON_AddStringToObject(bo, "label", w->label);
				cJSON_AddStringToObject(bo, "better", rmet_better_name(w->better));
				cJSON_AddItemToObject(bo, "relativePercent",
				    jnum_or_null(100 * w->rel));
				cJSON_AddItemToArray(beyond, bo);
			}
		}
		cJSON_AddItemToArray(secs, so);
	}
	cJSON_AddItemToObject(root, "worseBeyondTolerance", beyond);
	cJSON_AddNumberToObject(root, "exit", rcmp_exit_code(r));
	return root;
}
