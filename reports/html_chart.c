/*
 * html_chart — SVG time-series charts (see html_chart.h).
 *
 * Coordinates are printed with one decimal, so the same recorder gives
 * the same bytes. Stacked areas are drawn as bands, each filled only
 * between the curve below it and its own upper curve, so no band's colour
 * reaches into another's.
 */
#include "reports/html_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html_util.h"
#include "reports/rdata.h"
#include "sim/xalloc.h"

#define ML 64.0 /* left margin: y labels */
#define MR 64.0 /* right margin: right-axis labels */
#define MT 36.0 /* top margin: axis units, scaling labels */
#define MB 24.0 /* bottom margin: time labels */
#define PW ((double)HCHART_W - ML - MR)
#define PH ((double)HCHART_H - MT - MB)
/* Approximate width of one character of the 11 px bold labels. */
#define CHAR_W 7.2

typedef struct hpt {
	sim_time t;
	double v;
} hpt;

/* One y axis: linear from 0 to top in steps, or logarithmic over the
 * decades [lo, hi] (powers of ten). */
typedef struct yaxis {
	bool log;
	double top, step;
	int lo, hi;
} yaxis;

void
hchart_init(hchart *c, const char *title, const char *unit)
{
	memset(c, 0, sizeof(*c));
	c->title = title;
	c->unit = unit;
}

/* Does the series hold at least one sample? */
static bool
has_samples(const recorder *r, int id)
{
	double v;
	return rdata_last(r, id, &v);
}

static hchart_series *
push(hchart *c, int id, const char *label, const char *color, int style,
    int axis, bool guide)
{
	hchart_series *s = &c->s[c->n++];
	s->id = id;
	s->den = -1;
	snprintf(s->label, sizeof(s->label), "%s", label);
	s->color = color;
	s->style = style;
	s->axis = axis;
	s->guide = guide;
	return s;
}

void
hchart_add(hchart *c, const recorder *r, int id, const char *label,
    const char *color, int style, int axis, bool guide)
{
	if (id < 0 || c->n >= HCHART_MAX_SERIES || !has_samples(r, id))
		return;
	push(c, id, label, color, style, axis, guide);
}

void
hchart_add_ratio(hchart *c, const recorder *r, int num, int den,
    const char *label, const char *color)
{
	if (num < 0 || den < 0 || c->n >= HCHART_MAX_SERIES ||
	    !has_samples(r, num) || !has_samples(r, den))
		return;
	push(c, num, label, color, HCHART_LINE, 0, false)->den = den;
}

bool
hchart_has_data(const hchart *c)
{
	for (int i = 0; i < c->n; i++)
		if (!c->s[i].guide)
			return true;
	return false;
}

/* ---- points ---- */

static double
ratio(double num, double den)
{
	if (isnan(num) || isnan(den) || den <= 0)
		return (double)NAN;
	return 100.0 * num / den;
}

/* A ratio line: per sample, or per bucket the ratio of the sums (not the
 * mean of the ratios: a quiet interval must not weigh like a busy one). */
static size_t
ratio_points(const recorder *r, const hchart_series *s, size_t B, hpt **out)
{
	size_t n = rec_row_count(r);
	size_t nb = n <= 2 * B ? n : B;
	hpt *p = xmalloc(nb * sizeof(hpt) + 1);
	for (size_t b = 0; b < nb; b++) {
		size_t lo = n * b / nb, hi = n * (b + 1) / nb;
		double sn = 0, sd = 0;
		bool any = false;
		for (size_t i = lo; i < hi; i++) {
			double x = rec_get(r, s->id, i), y = rec_get(r, s->den, i);
			if (isnan(y))
				continue;
			sn += isnan(x) ? 0 : x;
			sd += y;
			any = true;
		}
		p[b] = (hpt){rec_row_time(r, lo + (hi - lo - 1) / 2),
		    any ? ratio(sn, sd) : (double)NAN};
	}
	*out = p;
	return nb;
}

/* A line's points: every sample, or per bucket the min and the max in
 * time order (an envelope that keeps spikes). NaN breaks the line. */
static size_t
line_points(const recorder *r, const hchart_series *s, size_t B, hpt **out)
{
	if (s->den >= 0)
		return ratio_points(r, s, B, out);
	int id = s->id;
	size_t n = rec_row_count(r);
	hpt *p = xmalloc((n < 2 * B ? n : 2 * B) * sizeof(hpt) + 1);
	size_t k = 0;
	if (n <= 2 * B) {
		for (size_t i = 0; i < n; i++)
			p[k++] = (hpt){rec_row_time(r, i), rec_get(r, id, i)};
		*out = p;
		return k;
	}
	for (size_t b = 0; b < B; b++) {
		size_t lo = n * b / B, hi = n * (b + 1) / B;
		size_t imin = hi, imax = hi;
		for (size_t i = lo; i < hi; i++) {
			double v = rec_get(r, id, i);
			if (isnan(v))
				continue;
			if (imin == hi || v < rec_get(r, id, imin))
				imin = i;
			if (imax == hi || v > rec_get(r, id, imax))
				imax = i;
		}
		if (imin == hi) {
			p[k++] = (hpt){rec_row_time(r, lo), (double)NAN};
			continue;
		}
		size_t a = imin < imax ? imin : imax, z = imin < imax ? imax : imin;
		p[k++] = (hpt){rec_row_time(r, a), rec_get(r, id, a)};
		if (z != a)
			p[k++] = (hpt){rec_row_time(r, z), rec_get(r, id, z)};
	}
	*out = p;
	return k;
}

/* An area's points: every sample, or the mean per bucket (the same
 * buckets for every area, so they stack). NaN counts as 0. */
static size_t
area_points(const recorder *r, int id, size_t B, hpt **out)
{
	size_t n = rec_row_count(r);
	size_t nb = n <= 2 * B ? n : 2 * B;
	hpt *p = xmalloc(nb * sizeof(hpt) + 1);
	for (size_t b = 0; b < nb; b++) {
		size_t lo = n * b / nb, hi = n * (b + 1) / nb;
		double sum = 0;
		for (size_t i = lo; i < hi; i++) {
			double v = rec_get(r, id, i);
			if (!isnan(v))
				sum += v;
		}
		p[b] = (hpt){rec_row_time(r, lo + (hi - lo - 1) / 2),
		    hi > lo ? sum / (double)(hi - lo) : 0};
	}
	*out = p;
	return nb;
}

/* ---- axes ---- */

/* A linear axis: a tick step of 1, 2 or 5 times a power of ten giving
 * about 4 ticks up to max (the data's maximum, or a floor above it); the
 * top is a multiple of the step above data_max. */
static yaxis
linear_axis(double max, double data_max, bool integer)
{
	yaxis a = {0};
	if (!(max > 0))
		max = 1;
	double raw = max / 4;
	double mag = pow(10, floor(log10(raw)));
	double norm = raw / mag;
	a.step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
	if (integer && a.step < 1)
		a.step = 1;
	a.top = a.step * ceil(max / a.step - 1e-9);
	/* headroom: a line at the very top would hide in the frame */
	if (a.top <= data_max * (1 + 1e-9))
		a.top += a.step;
	return a;
}

/* A logarithmic axis over whole decades holding [lo, hi] (lo > 0). */
static yaxis
log_axis(double lo, double hi)
{
	yaxis a = {0};
	a.log = true;
	if (!(lo > 0) || !(hi > 0)) {
		lo = 1;
		hi = 1000;
	}
	a.lo = (int)floor(log10(lo) + 1e-9);
	a.hi = (int)ceil(log10(hi) - 1e-9);
	if (a.hi <= a.lo)
		a.hi = a.lo + 1;
	return a;
}

static double
xpos(sim_time t, sim_time T)
{
	return ML + PW * ((double)t / (double)T);
}

static double
ypos(const yaxis *a, double v)
{
	double f;
	if (a->log)
		f = v > 0 ? (log10(v) - a->lo) / (a->hi - a->lo) : 0;
	else
		f = v / a->top;
	double y = MT + PH * (1 - f);
	return y < MT ? MT : y > MT + PH ? MT + PH : y;
}

/* A tick value: "250", "2.5", "80k", "1.2M". */
static char *
tick_label(char *buf, size_t size, double v)
{
	if (fabs(v) >= 1e6)
		snprintf(buf, size, "%gM", v / 1e6);
	else if (fabs(v) >= 1e4)
		snprintf(buf, size, "%gk", v / 1e3);
	else
		rdata_num(buf, size, v);
	return buf;
}

/* A log tick in milliseconds: "5 ms", "1 s", "20 s". */
static char *
ms_label(char *buf, size_t size, double ms)
{
	if (ms >= 1000)
		snprintf(buf, size, "%g s", ms / 1000);
	else
		snprintf(buf, size, "%g ms", ms);
	return buf;
}

static void
tick(rout *o, const yaxis *a, double v, int side, bool grid,
    const char *label)
{
	double y = ypos(a, v);
	if (side == 0 && grid)
		rout_printf(o, "<line class=\"gy\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/>", ML, y, ML + PW, y);
	if (label != NULL) {
		rout_printf(o, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">",
		    side == 0 ? "ty" : "ty2", side == 0 ? ML - 6 : ML + PW + 6, y + 4);
		hutil_esc(o, label);
		rout_puts(o, "</text>\n");
	}
}

static void
y_axis(rout *o, const yaxis *a, int side, const char *unit, bool ms)
{
	char buf[64];
	if (a->log) {
		/* decades labelled; 2 and 5 between them as lighter lines,
		 * labelled too when the axis spans at most two decades */
		bool few = a->hi - a->lo <= 2;
		for (int d = a->lo; d <= a->hi; d++) {
			double v = pow(10, d);
			tick(o, a, v, side, true, ms ? ms_label(buf, sizeof(buf), v) :
			    tick_label(buf, sizeof(buf), v));
			if (d == a->hi)
				break;
			tick(o, a, 2 * v, side, true, few ? (ms ? ms_label(buf,
			    sizeof(buf), 2 * v) : tick_label(buf, sizeof(buf), 2 * v)) :
			    NULL);
			tick(o, a, 5 * v, side, true, few ? (ms ? ms_label(buf,
			    sizeof(buf), 5 * v) : tick_label(buf, sizeof(buf), 5 * v)) :
			    NULL);
		}
	} else {
		int nticks = (int)lround(a->top / a->step);
		for (int i = 0; i <= nticks; i++)
			tick(o, a, a->step * i, side, true, tick_label(buf, sizeof(buf),
			    a->step * i));
	}
	if (unit != NULL) {
		rout_printf(o, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">",
		    side == 0 ? "ty" : "ty2", side == 0 ? ML - 6 : ML + PW + 6,
		    MT - 22);
		hutil_esc(o, unit);
		rout_puts(o, "</text>\n");
	}
}

/* ---- drawing ---- */

static void
path_line(rout *o, const hpt *p, size_t n, sim_time T, const yaxis *a)
{
	bool pen = false;
	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i].v)) {
			pen = false;
			continue;
		}
		rout_printf(o, "%s%.1f %.1f", pen ? " L" : (i ? " M" : "M"),
		    xpos(p[i].t, T), ypos(a, p[i].v));
		pen = true;
	}
}

/* One stacked band: between lower[] and upper[] where it has thickness,
 * one closed sub-path per stretch (the neighbouring points where it is
 * thin close each stretch, so its edges slope as the data do). */
static void
band(rout *o, const hpt *t, const double *lower, const double *upper,
    size_t n, sim_time T, const yaxis *a)
{
	size_t k = 0;
	while (k < n) {
		while (k < n && !(upper[k] - lower[k] > 1e-9))
			k++;
		if (k == n)
			break;
		size_t s = k > 0 ? k - 1 : k;
		while (k < n && upper[k] - lower[k] > 1e-9)
			k++;
		size_t e = k < n ? k : n - 1;
		for (size_t i = s; i <= e; i++)
			rout_printf(o, "%s%.1f %.1f", i == s ? " M" : " L",
			    xpos(t[i].t, T), ypos(a, upper[i]));
		for (size_t i = e + 1; i-- > s;)
			rout_printf(o, " L%.1f %.1f", xpos(t[i].t, T), ypos(a, lower[i]));
		rout_puts(o, " Z");
	}
}

/* Greedy label rows: the row (0 or 1) whose last label ends before x0,
 * or -1 when both are taken there. */
static int
label_row(double *ends, double x0, double x1)
{
	for (int row = 0; row < 2; row++)
		if (ends[row] < x0) {
			ends[row] = x1;
			return row;
		}
	return -1;
}

static void
shade_deployments(rout *o, const hchart *c, sim_time T)
{
	char b1[48], b2[48], b3[48], anchor[64], title[512];
	rec_fact *const *d = c->deps;
	size_t n = c->ndeps;
	double ends[2] = {-1e9, -1e9};
	/* the shading first, then the labels, so no later shading covers an
	 * earlier label */
	for (int pass = 0; pass < (c->lead ? 2 : 1); pass++)
		for (size_t i = 0; i < n; i++) {
			sim_time s, e;
			if (!hutil_fact_time(d[i], "start", &s) || s > T)
				continue;
			bool ended = hutil_fact_time(d[i], "end", &e);
			if (!ended || e > T)
				e = T;
			const char *state = rec_fact_get_str(d[i], "rolloutState");
			bool failed = state && strcmp(state, "FAILED") == 0;
			const char *cls = failed ? "dep failed" :
			    rec_fact_get_num(d[i], "rollback", 0) != 0 ? "dep rollback" :
			    "dep";
			double x0 = xpos(s, T), x1 = xpos(e, T);
			if (x1 - x0 < 3)
				x1 = x0 + 3;
			hutil_dep_anchor(anchor, sizeof(anchor), c->svc_index, i);
			if (!c->lead) {
				rout_printf(o, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" "
				    "width=\"%.1f\" height=\"%.1f\"/>\n", cls, x0, MT, x1 - x0,
				    PH);
				continue;
			}
			if (pass == 1) {
				char label[32];
				snprintf(label, sizeof(label), "#%zu", i + 1);
				double w = CHAR_W * (double)strlen(label) + 4;
				int row = label_row(ends, x0, x0 + 2 + w);
				if (row >= 0)
					rout_printf(o, "<a href=\"#%s\"><text class=\"dl%s\" "
					    "x=\"%.1f\" y=\"%.1f\">%s</text></a>\n", anchor,
					    failed ? " failed" : "", x0 + 2, MT + 12 + 12 * row,
					    label);
				continue;
			}
			rout_printf(o, "<a href=\"#%s\"><rect class=\"%s\" x=\"%.1f\" "
			    "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>", anchor,
			    cls, x0, MT, x1 - x0, PH);
			rout_printf(o, "deployment %zu: ", i + 1);
			hutil_esc(o, rdata_dep_title(title, sizeof(title), d[i]));
			rout_printf(o, ", %s -> %s, ", simtime_clock(s, b1, sizeof(b1)),
			    ended ? simtime_clock(e, b2, sizeof(b2)) : "end of run");
			hutil_esc(o, state ? state : "?");
			if (ended)
				rout_printf(o, " in %s", rdata_dur(b3, sizeof(b3), e - s));
			rout_puts(o, " (click: its tasks)</title></rect></a>\n");
		}
}

/* Many marks: one tick per pixel column on the lead chart, with one
 * title; nothing on the others. */
static void
mark_many(rout *o, const hchart *c, sim_time T)
{
	if (!c->lead)
		return;
	rout_puts(o, "<g class=\"sc many\"><path d=\"");
	long last = -1;
	for (size_t i = 0; i < c->nmarks; i++) {
		sim_time t;
		if (!hutil_fact_time(c->marks[i], "time", &t) || t > T)
			continue;
		long px = lround(xpos(t, T));
		if (px == last)
			continue;
		last = px;
		rout_printf(o, "M%ld %.0f v6", px, MT - 6);
	}
	rout_printf(o, "\"/><title>%zu scaling activities: the table of scaling "
	    "activities lists them</title></g>\n", c->nmarks);
}

static void
mark_scaling(rout *o, const hchart *c, sim_time T)
{
	char b1[48], label[64];
	double ends[2] = {-1e9, -1e9};
	if (c->nmarks > HCHART_MARKS_MAX) {
		mark_many(o, c, T);
		return;
	}
	for (size_t i = 0; i < c->nmarks; i++) {
		const rec_fact *f = c->marks[i];
		sim_time t;
		if (!hutil_fact_time(f, "time", &t) || t > T)
			continue;
		double x = xpos(t, T);
		bool has = rec_fact_get(f, "from") != NULL &&
		    rec_fact_get(f, "to") != NULL;
		long long from = (long long)rec_fact_get_int(f, "from", 0);
		long long to = (long long)rec_fact_get_int(f, "to", 0);
		rout_printf(o, "<g class=\"sc%s%s\"><line x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/><path d=\"M%.1f %.1f l-4 -7 h8 z\"/>",
		    has && to < from ? " in" : "", c->lead ? "" : " faint", x,
		    MT, x, MT + PH, x, MT);
		if (!c->lead) {
			rout_puts(o, "</g>\n");
			continue;
		}
		if (has) {
			snprintf(label, sizeof(label), "%lld\xE2\x86\x92%lld", from, to);
			/* the arrow is 3 bytes and about one digit wide */
			double w = CHAR_W * (double)(strlen(label) - 2);
			int row = label_row(ends, x - w / 2 - 2, x + w / 2 + 2);
			if (row >= 0)
				rout_printf(o, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x,
				    MT - 9 - 11 * (1 - row), label);
		}
		rout_printf(o, "<title>%s ", simtime_clock(t, b1, sizeof(b1)));
		hutil_esc(o, rec_fact_get_str(f, "resource"));
		if (has)
			rout_printf(o, ": %lld \xE2\x86\x92 %lld", from, to);
		const char *cause = rec_fact_get_str(f, "cause");
		if (cause != NULL) {
			rout_puts(o, ". ");
			hutil_esc(o, cause);
		}
		rout_puts(o, "</title></g>\n");
	}
}

/* Beyond this many faults, bands without titles (a month of random
 * failures); the summary lists them. */
#define FAULTS_TITLED 60

static void
mark_faults(rout *o, const recorder *r, const hchart *c, sim_time T)
{
	char b1[48], b2[48], b3[48];
	size_t n = rec_fact_count(r, "fault");
	for (size_t i = 0; i < n; i++) {
		const rec_fact *f = rec_fact_at(r, "fault", i);
		sim_time s, e;
		if (!hutil_fact_time(f, "start", &s) || s > T)
			continue;
		if (!hutil_fact_time(f, "end", &e) || e > T)
			e = T; /* still under way at the end */
		double x0 = xpos(s, T), x1 = xpos(e, T);
		if (x1 - x0 < 2)
			x1 = x0 + 2;
		rout_printf(o, "<rect class=\"flt%s\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\">", c->lead ? "" : " faint", x0, MT,
		    x1 - x0, PH);
		if (c->lead && n <= FAULTS_TITLED) {
			const char *kind = rec_fact_get_str(f, "kind");
			const char *target = rec_fact_get_str(f, "target");
			rout_printf(o, "<title>fault %lld: ",
			    (long long)rec_fact_get_int(f, "id", 0));
			hutil_esc(o, kind ? kind : "?");
			rout_putc(o, ' ');
			hutil_esc(o, target ? target : "");
			rout_printf(o, ", %s", simtime_clock(s, b1, sizeof(b1)));
			if (e > s)
				rout_printf(o, " -> %s (%s)", simtime_clock(e, b2, sizeof(b2)),
				    rdata_dur(b3, sizeof(b3), e - s));
			int64_t k = rec_fact_get_int(f, "tasksStopped", 0);
			if (k > 0)
				rout_printf(o, "; stopped %lld tasks", (long long)k);
			rout_puts(o, "</title>");
		}
		rout_puts(o, "</rect>\n");
	}
}

static void
legend_item(rout *o, const char *cls, const char *color, const char *label)
{
	rout_printf(o, "<span class=\"li\"><span class=\"sw %s\"", cls);
	if (color != NULL)
		rout_printf(o, " style=\"--c:%s\"", color);
	rout_puts(o, "></span>");
	hutil_esc(o, label);
	rout_puts(o, "</span>");
}

static void
legend(rout *o, const recorder *r, const hchart *c)
{
	for (int i = 0; i < c->n; i++) {
		const hchart_series *s = &c->s[i];
		char label[160];
		double peak = 0;
		/* a revision whose tasks all lived between two samples */
		if (s->style == HCHART_AREA && (!rdata_max(r, s->id, 0, &peak, NULL) ||
		    peak <= 0))
			snprintf(label, sizeof(label), "%s (between samples: see the "
			    "deployment's tasks)", s->label);
		else
			snprintf(label, sizeof(label), "%s", s->label);
		legend_item(o, s->style == HCHART_AREA ? "area" :
		    s->style == HCHART_DASH ? "dash" : "line", s->color, label);
	}
	bool deps = false, failed = false, rollback = false, marks = false;
	for (size_t i = 0; i < c->ndeps; i++) {
		const char *st = rec_fact_get_str(c->deps[i], "rolloutState");
		if (st != NULL && strcmp(st, "FAILED") == 0)
			failed = true;
		else if (rec_fact_get_num(c->deps[i], "rollback", 0) != 0)
			rollback = true;
		else
			deps = true;
	}
	marks = c->nmarks > 0 && (c->lead || c->nmarks <= HCHART_MARKS_MAX);
	if (deps)
		legend_item(o, "dep", NULL, "deployment #N");
	if (failed)
		legend_item(o, "dep failed", NULL, "failed deployment");
	if (rollback)
		legend_item(o, "dep rollback", NULL, "rollback");
	if (c->faults && rec_fact_count(r, "fault") > 0)
		legend_item(o, "flt", NULL, c->lead ? "fault (hover: what)" : "fault");
	if (marks && c->nmarks > HCHART_MARKS_MAX)
		legend_item(o, "sc", NULL, "scaling activity (ticks above)");
	else if (marks)
		legend_item(o, "sc", NULL, c->lead ?
		    "scaling from\xE2\x86\x92to (hover: cause)" : "scaling activity");
}

void
hchart_draw(rout *o, const recorder *r, const hchart *c, sim_time T)
{
	if (!hchart_has_data(c))
		return;
	size_t B = c->buckets > 0 ? c->buckets : HCHART_BUCKETS;
	hpt *pts[HCHART_MAX_SERIES];
	size_t npts[HCHART_MAX_SERIES];
	double *lower[HCHART_MAX_SERIES];
	double max[2] = {0, 0}, minpos = (double)INFINITY;
	bool right = false;
	double *stack = NULL;
	size_t nstack = 0;
	for (int i = 0; i < c->n; i++) {
		const hchart_series *s = &c->s[i];
		lower[i] = NULL;
		if (s->style == HCHART_AREA) {
			npts[i] = area_points(r, s->id, B, &pts[i]);
			if (stack == NULL) {
				nstack = npts[i];
				stack = xcalloc(nstack + 1, sizeof(double));
			}
			lower[i] = xcalloc(npts[i] + 1, sizeof(double));
			for (size_t k = 0; k < npts[i] && k < nstack; k++) {
				lower[i][k] = stack[k];
				stack[k] += pts[i][k].v;
				pts[i][k].v = stack[k];
				if (stack[k] > max[0])
					max[0] = stack[k];
			}
		} else {
			npts[i] = line_points(r, s, B, &pts[i]);
			for (size_t k = 0; k < npts[i]; k++) {
				double v = pts[i][k].v;
				if (v > max[s->axis])
					max[s->axis] = v;
				if (s->axis == 0 && v > 0 && v < minpos)
					minpos = v;
			}
		}
		if (s->axis == 1)
			right = true;
	}
	free(stack);
	yaxis ax[2];
	if (c->log_y)
		ax[0] = log_axis(minpos, max[0] < c->floor_max ? c->floor_max :
		    max[0]);
	else
		ax[0] = linear_axis(max[0] < c->floor_max ? c->floor_max : max[0],
		    max[0], c->integer);
	ax[1] = linear_axis(max[1], max[1], c->integer);

	rout_puts(o, "<figure class=\"chart\"><figcaption><span class=\"ct\">");
	hutil_esc(o, c->title);
	rout_puts(o, "</span><span class=\"lg\">");
	legend(o, r, c);
	rout_printf(o, "</span></figcaption>\n<svg viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-label=\"", HCHART_W, HCHART_H);
	rout_xml_attr(o, c->title);
	rout_puts(o, "\">\n");
	rout_printf(o, "<rect class=\"pl\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\"/>\n", ML, MT, PW, PH);
	shade_deployments(o, c, T);
	if (c->faults)
		mark_faults(o, r, c, T);
	bool ms = c->unit != NULL && strcmp(c->unit, "ms") == 0;
	y_axis(o, &ax[0], 0, c->unit, ms);
	if (right)
		y_axis(o, &ax[1], 1, c->unit2, false);
	hutil_x_axis(o, 0, T, ML, PW, MT, MT + PH, MT + PH + 16);
	for (int i = 0; i < c->n; i++) {
		const hchart_series *s = &c->s[i];
		if (s->style != HCHART_AREA || npts[i] == 0)
			continue;
		double *upper = xmalloc(npts[i] * sizeof(double));
		for (size_t k = 0; k < npts[i]; k++)
			upper[k] = pts[i][k].v;
		rout_printf(o, "<path class=\"ar\" style=\"--c:%s\" d=\"", s->color);
		band(o, pts[i], lower[i], upper, npts[i], T, &ax[0]);
		rout_puts(o, "\"><title>");
		hutil_esc(o, s->label);
		rout_puts(o, "</title></path>\n");
		free(upper);
	}
	for (int i = 0; i < c->n; i++) {
		const hchart_series *s = &c->s[i];
		if (s->style == HCHART_AREA)
			continue;
		rout_printf(o, "<path class=\"%s\" style=\"--c:%s\" d=\"",
		    s->style == HCHART_DASH ? "ln dash" : "ln", s->color);
		path_line(o, pts[i], npts[i], T, &ax[s->axis]);
		rout_puts(o, "\"><title>");
		hutil_esc(o, s->label);
		rout_puts(o, "</title></path>\n");
	}
	mark_scaling(o, c, T);
	rout_puts(o, "</svg></figure>\n");
	for (int i = 0; i < c->n; i++) {
		free(pts[i]);
		free(lower[i]);
	}
}
