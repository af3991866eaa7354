/*
 * report_html — the self-contained HTML report (see report_html.h).
 *
 * Every chart shares one geometry (CHART_W x CHART_H viewBox, the same
 * margins) and one time range [0, run duration], so charts stacked on the
 * page line up in time. A chart is a list of series drawn as stacked
 * areas or lines on a left or right axis; its y range comes from the data
 * drawn (and a floor, e.g. 100 for percentages). Coordinates are printed
 * with one decimal, so the same recorder gives the same bytes.
 */
#include "reports/report_html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rdata.h"
#include "sim/xalloc.h"

#define CHART_W 1200
#define CHART_H 230
#define ML 64.0 /* left margin: y labels */
#define MR 64.0 /* right margin: right-axis labels */
#define MT 24.0 /* top margin: axis units */
#define MB 26.0 /* bottom margin: time labels */
#define PW ((double)CHART_W - ML - MR)
#define PH ((double)CHART_H - MT - MB)
/* Series longer than 2 * BUCKETS samples are reduced per bucket. */
#define BUCKETS 400
#define MAX_SERIES 24
/* Rows of long tables shown before "... and N more". */
#define TABLE_MAX 200

enum { ST_LINE, ST_DASH, ST_AREA };

typedef struct hseries {
	int id;
	char label[96];
	const char *color;
	int style;
	int axis;   /* 0 left, 1 right */
	bool guide; /* a threshold: not enough on its own to draw the chart */
} hseries;

typedef struct hchart {
	const char *title;
	const char *unit, *unit2; /* left and right axis units */
	bool integer;             /* left axis counts things */
	double floor_max;         /* left axis reaches at least this */
	hseries s[MAX_SERIES];
	int n;
	const char *service;      /* shade its deployments, mark its scaling */
	const char *cluster;      /* the service's cluster, if known */
	bool asg_marks;           /* mark scaling of non-service resources */
} hchart;

typedef struct hpt {
	sim_time t;
	double v;
} hpt;

static const char *const palette[] = {"#2563eb", "#16a34a", "#d97706",
    "#7c3aed", "#0d9488", "#db2777", "#92400e", "#4f46e5", "#65a30d",
    "#0891b2"};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* ---- small helpers ---- */

static void
esc(rout *o, const char *s)
{
	rout_xml(o, s);
}

static bool
fact_time(const rec_fact *f, const char *key, sim_time *out)
{
	const rec_value *v = rec_fact_get(f, key);
	if (v == NULL || v->type != REC_TIME)
		return false;
	*out = v->i;
	return true;
}

/* Does the series hold at least one sample? */
static bool
has_samples(const recorder *r, int id)
{
	double v;
	return rdata_last(r, id, &v);
}

static void
add(hchart *c, const recorder *r, int id, const char *label,
    const char *color, int style, int axis, bool guide)
{
	if (id < 0 || c->n >= MAX_SERIES || !has_samples(r, id))
		return;
	hseries *s = &c->s[c->n++];
	s->id = id;
	snprintf(s->label, sizeof(s->label), "%s", label);
	s->color = color;
	s->style = style;
	s->axis = axis;
	s->guide = guide;
}

/* Is resource ("service/C/S") the scalable target of service s? */
static bool
resource_of(const char *resource, const char *cluster, const char *s)
{
	if (resource == NULL || strncmp(resource, "service/", 8) != 0)
		return false;
	const char *rest = resource + 8;
	const char *slash = strrchr(rest, '/');
	if (slash == NULL || strcmp(slash + 1, s) != 0)
		return false;
	return cluster == NULL ||
	    (strlen(cluster) == (size_t)(slash - rest) &&
	    strncmp(rest, cluster, (size_t)(slash - rest)) == 0);
}

static bool
activity_in(const hchart *c, const rec_fact *f)
{
	const char *res = rec_fact_get_str(f, "resource");
	if (c->service != NULL)
		return resource_of(res, c->cluster, c->service);
	return c->asg_marks && (res == NULL || strncmp(res, "service/", 8) != 0);
}

/* ---- points ---- */

/* A line's points: every sample, or per bucket the min and the max in
 * time order (an envelope that keeps spikes). NaN breaks the line. */
static size_t
line_points(const recorder *r, int id, hpt **out)
{
	size_t n = rec_row_count(r);
	hpt *p = xmalloc((n < 2 * BUCKETS ? n : 2 * BUCKETS) * sizeof(hpt) + 1);
	size_t k = 0;
	if (n <= 2 * BUCKETS) {
		for (size_t i = 0; i < n; i++)
			p[k++] = (hpt){rec_row_time(r, i), rec_get(r, id, i)};
		*out = p;
		return k;
	}
	for (size_t b = 0; b < BUCKETS; b++) {
		size_t lo = n * b / BUCKETS, hi = n * (b + 1) / BUCKETS;
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
area_points(const recorder *r, int id, hpt **out)
{
	size_t n = rec_row_count(r);
	size_t nb = n <= 2 * BUCKETS ? n : 2 * BUCKETS;
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

/* A tick step of 1, 2 or 5 times a power of ten giving about 4 ticks
 * up to max (the data's maximum, or a floor above it); *top is the axis
 * maximum, a multiple of the step above data_max. */
static double
nice_step(double max, double data_max, bool integer, double *top)
{
	if (!(max > 0))
		max = 1;
	double raw = max / 4;
	double mag = pow(10, floor(log10(raw)));
	double norm = raw / mag;
	double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
	if (integer && step < 1)
		step = 1;
	*top = step * ceil(max / step - 1e-9);
	/* headroom: a line at the very top would hide in the frame */
	if (*top <= data_max * (1 + 1e-9))
		*top += step;
	return step;
}

static double
xpos(sim_time t, sim_time T)
{
	return ML + PW * ((double)t / (double)T);
}

static double
ypos(double v, double top)
{
	double y = MT + PH * (1 - v / top);
	return y < MT ? MT : y > MT + PH ? MT + PH : y;
}

static void
time_label(char *buf, size_t size, sim_time t, sim_time step)
{
	if (step < SIM_MIN) {
		simtime_clock(t, buf, size);
		return;
	}
	long long d = (long long)(t / SIM_DAY);
	long long h = (long long)(t / SIM_HOUR % 24);
	long long m = (long long)(t / SIM_MIN % 60);
	if (d > 0)
		snprintf(buf, size, "%lldd+%02lld:%02lld", d, h, m);
	else
		snprintf(buf, size, "%02lld:%02lld", h, m);
}

static void
x_axis(rout *o, sim_time T)
{
	static const sim_time steps[] = {
		10 * SIM_SEC, 30 * SIM_SEC, SIM_MIN, 2 * SIM_MIN, 5 * SIM_MIN,
		10 * SIM_MIN, 15 * SIM_MIN, 30 * SIM_MIN, SIM_HOUR, 2 * SIM_HOUR,
		3 * SIM_HOUR, 6 * SIM_HOUR, 12 * SIM_HOUR, SIM_DAY, 2 * SIM_DAY,
		7 * SIM_DAY, 14 * SIM_DAY, 28 * SIM_DAY, 56 * SIM_DAY, 112 * SIM_DAY,
		364 * SIM_DAY,
	};
	size_t nsteps = sizeof(steps) / sizeof(steps[0]);
	sim_time step = steps[nsteps - 1];
	for (size_t i = 0; i < nsteps; i++)
		if (T / steps[i] <= 10) {
			step = steps[i];
			break;
		}
	char buf[48];
	for (sim_time t = 0; t <= T; t += step) {
		double x = xpos(t, T);
		rout_printf(o, "<line class=\"gx\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\"/>", x, MT, x, MT + PH);
		time_label(buf, sizeof(buf), t, step);
		rout_printf(o, "<text class=\"tx\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
		    x, MT + PH + 17, buf);
	}
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

static void
y_axis(rout *o, double step, double top, int side, const char *unit)
{
	char buf[64];
	int nticks = (int)lround(top / step);
	for (int i = 0; i <= nticks; i++) {
		double v = step * i;
		double y = ypos(v, top);
		if (side == 0)
			rout_printf(o, "<line class=\"gy\" x1=\"%.1f\" y1=\"%.1f\" "
			    "x2=\"%.1f\" y2=\"%.1f\"/>", ML, y, ML + PW, y);
		rout_printf(o, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
		    side == 0 ? "ty" : "ty2", side == 0 ? ML - 6 : ML + PW + 6, y + 4,
		    tick_label(buf, sizeof(buf), v));
	}
	if (unit != NULL) {
		rout_printf(o, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">",
		    side == 0 ? "ty" : "ty2", side == 0 ? ML - 6 : ML + PW + 6,
		    MT - 10);
		esc(o, unit);
		rout_puts(o, "</text>\n");
	}
}

/* ---- drawing ---- */

static void
path_line(rout *o, const hpt *p, size_t n, sim_time T, double top)
{
	bool pen = false;
	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i].v)) {
			pen = false;
			continue;
		}
		rout_printf(o, "%s%.1f %.1f", pen ? " L" : (i ? " M" : "M"),
		    xpos(p[i].t, T), ypos(p[i].v, top));
		pen = true;
	}
}

static void
shade_deployments(rout *o, const recorder *r, const hchart *c, sim_time T)
{
	char b1[48], b2[48], b3[48];
	if (c->service == NULL)
		return;
	rec_fact **d;
	size_t n = rdata_deployments(r, c->service, &d);
	for (size_t i = 0; i < n; i++) {
		sim_time s, e;
		if (!fact_time(d[i], "start", &s) || s > T)
			continue;
		bool ended = fact_time(d[i], "end", &e);
		if (!ended || e > T)
			e = T;
		const char *state = rec_fact_get_str(d[i], "rolloutState");
		const char *td = rec_fact_get_str(d[i], "taskDefinition");
		const char *from = rec_fact_get_str(d[i], "from");
		const char *cls = state && strcmp(state, "FAILED") == 0 ? "dep failed" :
		    rec_fact_get_num(d[i], "rollback", 0) != 0 ? "dep rollback" : "dep";
		double x0 = xpos(s, T), x1 = xpos(e, T);
		if (x1 - x0 < 2)
			x1 = x0 + 2;
		rout_printf(o, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"><title>", cls, x0, MT, x1 - x0, PH);
		rout_printf(o, "deployment %zu: ", i + 1);
		if (from != NULL && from[0] != '\0') {
			esc(o, from);
			rout_puts(o, " -> ");
		}
		esc(o, td ? td : "?");
		rout_printf(o, ", %s -> %s, ", simtime_clock(s, b1, sizeof(b1)),
		    ended ? simtime_clock(e, b2, sizeof(b2)) : "end of run");
		esc(o, state ? state : "?");
		if (ended)
			rout_printf(o, " in %s", rdata_dur(b3, sizeof(b3), e - s));
		rout_puts(o, "</title></rect>\n");
		if (x1 - x0 >= 48 && td != NULL) {
			rout_printf(o, "<text class=\"dl\" x=\"%.1f\" y=\"%.1f\">",
			    x0 + 4, MT + 12);
			esc(o, td);
			rout_puts(o, "</text>\n");
		}
	}
	free(d);
}

static size_t
mark_scaling(rout *o, const recorder *r, const hchart *c, sim_time T)
{
	char b1[48];
	size_t marks = 0;
	for (size_t i = 0; i < rec_fact_count(r, "scaling_activity"); i++) {
		rec_fact *f = rec_fact_at(r, "scaling_activity", i);
		sim_time t;
		if (!activity_in(c, f) || !fact_time(f, "time", &t) || t > T)
			continue;
		double x = xpos(t, T);
		rout_printf(o, "<g class=\"sc\"><line x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/><path d=\"M%.1f %.1f l-5 -8 h10 z\"/>"
		    "<title>", x, MT, x, MT + PH, x, MT + 8);
		rout_printf(o, "%s ", simtime_clock(t, b1, sizeof(b1)));
		esc(o, rec_fact_get_str(f, "resource"));
		const rec_value *from = rec_fact_get(f, "from");
		const rec_value *to = rec_fact_get(f, "to");
		if (from != NULL && to != NULL)
			rout_printf(o, ": %lld -> %lld",
			    (long long)rec_fact_get_int(f, "from", 0),
			    (long long)rec_fact_get_int(f, "to", 0));
		const char *cause = rec_fact_get_str(f, "cause");
		if (cause != NULL) {
			rout_puts(o, ". ");
			esc(o, cause);
		}
		rout_puts(o, "</title></g>\n");
		marks++;
	}
	return marks;
}

static bool
chart_has_data(const hchart *c)
{
	for (int i = 0; i < c->n; i++)
		if (!c->s[i].guide)
			return true;
	return false;
}

static void
legend_item(rout *o, const char *cls, const char *color, const char *label)
{
	rout_printf(o, "<span class=\"li\"><span class=\"sw %s\"", cls);
	if (color != NULL)
		rout_printf(o, " style=\"--c:%s\"", color);
	rout_puts(o, "></span>");
	esc(o, label);
	rout_puts(o, "</span>");
}

static void
draw_chart(rout *o, const recorder *r, const hchart *c, sim_time T)
{
	if (!chart_has_data(c))
		return;
	hpt *pts[MAX_SERIES];
	size_t npts[MAX_SERIES];
	double max[2] = {0, 0};
	bool right = false;
	/* points, stacking areas in order */
	double *stack = NULL;
	size_t nstack = 0;
	for (int i = 0; i < c->n; i++) {
		const hseries *s = &c->s[i];
		if (s->style == ST_AREA) {
			npts[i] = area_points(r, s->id, &pts[i]);
			if (stack == NULL) {
				nstack = npts[i];
				stack = xcalloc(nstack + 1, sizeof(double));
			}
			for (size_t k = 0; k < npts[i] && k < nstack; k++) {
				stack[k] += pts[i][k].v;
				pts[i][k].v = stack[k];
				if (stack[k] > max[0])
					max[0] = stack[k];
			}
		} else {
			npts[i] = line_points(r, s->id, &pts[i]);
			for (size_t k = 0; k < npts[i]; k++)
				if (pts[i][k].v > max[s->axis])
					max[s->axis] = pts[i][k].v;
		}
		if (s->axis == 1)
			right = true;
	}
	free(stack);
	double top[2], step[2];
	step[0] = nice_step(max[0] < c->floor_max ? c->floor_max : max[0],
	    max[0], c->integer, &top[0]);
	step[1] = nice_step(max[1], max[1], c->integer, &top[1]);

	rout_puts(o, "<figure class=\"chart\"><figcaption><span class=\"ct\">");
	esc(o, c->title);
	rout_puts(o, "</span><span class=\"lg\">");
	for (int i = 0; i < c->n; i++) {
		const hseries *s = &c->s[i];
		legend_item(o, s->style == ST_AREA ? "area" : s->style == ST_DASH ?
		    "dash" : "line", s->color, s->label);
	}
	bool deps = false, failed = false, rollback = false, marks = false;
	if (c->service != NULL) {
		rec_fact **d;
		size_t nd = rdata_deployments(r, c->service, &d);
		for (size_t i = 0; i < nd; i++) {
			const char *st = rec_fact_get_str(d[i], "rolloutState");
			if (st != NULL && strcmp(st, "FAILED") == 0)
				failed = true;
			else if (rec_fact_get_num(d[i], "rollback", 0) != 0)
				rollback = true;
			else
				deps = true;
		}
		free(d);
	}
	for (size_t i = 0; i < rec_fact_count(r, "scaling_activity") && !marks;
	    i++)
		marks = activity_in(c, rec_fact_at(r, "scaling_activity", i));
	if (deps)
		legend_item(o, "dep", NULL, "deployment");
	if (failed)
		legend_item(o, "dep failed", NULL, "failed deployment");
	if (rollback)
		legend_item(o, "dep rollback", NULL, "rollback");
	if (marks)
		legend_item(o, "sc", NULL, "scaling activity");
	rout_printf(o, "</span></figcaption>\n<svg viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-label=\"", CHART_W, CHART_H);
	rout_xml_attr(o, c->title);
	rout_puts(o, "\">\n");
	rout_printf(o, "<rect class=\"pl\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\"/>\n", ML, MT, PW, PH);
	shade_deployments(o, r, c, T);
	y_axis(o, step[0], top[0], 0, c->unit);
	if (right)
		y_axis(o, step[1], top[1], 1, c->unit2);
	x_axis(o, T);
	/* areas from the top of the stack down, so each shows its band */
	for (int i = c->n - 1; i >= 0; i--) {
		const hseries *s = &c->s[i];
		if (s->style != ST_AREA || npts[i] == 0)
			continue;
		rout_printf(o, "<path class=\"ar\" style=\"--c:%s\" d=\"M%.1f %.1f",
		    s->color, xpos(pts[i][0].t, T), MT + PH);
		for (size_t k = 0; k < npts[i]; k++)
			rout_printf(o, " L%.1f %.1f", xpos(pts[i][k].t, T),
			    ypos(pts[i][k].v, top[0]));
		rout_printf(o, " L%.1f %.1f Z\"><title>", xpos(pts[i][npts[i] - 1].t,
		    T), MT + PH);
		esc(o, s->label);
		rout_puts(o, "</title></path>\n");
	}
	for (int i = 0; i < c->n; i++) {
		const hseries *s = &c->s[i];
		if (s->style == ST_AREA)
			continue;
		rout_printf(o, "<path class=\"%s\" style=\"--c:%s\" d=\"",
		    s->style == ST_DASH ? "ln dash" : "ln", s->color);
		path_line(o, pts[i], npts[i], T, top[s->axis]);
		rout_puts(o, "\"><title>");
		esc(o, s->label);
		rout_puts(o, "</title></path>\n");
	}
	mark_scaling(o, r, c, T);
	rout_puts(o, "</svg></figure>\n");
	for (int i = 0; i < c->n; i++)
		free(pts[i]);
}

/* ---- page parts ---- */

static const char css[] =
"*{box-sizing:border-box}\n"
"body{margin:0;background:#f4f5f7;color:#1f2937;font:14px/1.45 system-ui,"
"-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}\n"
"main{max-width:1240px;margin:0 auto;padding:24px 20px 40px}\n"
"h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:0 0 12px}"
"h3{font-size:15px;margin:18px 0 8px;color:#374151}\n"
"h2 small{font-weight:400;color:#6b7280;font-size:14px;margin-left:8px}\n"
"section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;"
"padding:18px 20px;margin:0 0 18px}\n"
".desc{margin:0 0 12px;color:#4b5563;max-width:70em}\n"
"dl.run{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));"
"gap:6px 18px;margin:0}\n"
"dl.run div{min-width:0}dl.run dt{font-size:12px;color:#6b7280}"
"dl.run dd{margin:0;font-weight:600;overflow-wrap:anywhere}\n"
".cards{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 14px}\n"
".card{border:1px solid #e5e7eb;border-radius:6px;padding:8px 12px;"
"min-width:130px;background:#fafafa}\n"
".card b{display:block;font-size:19px}.card span{font-size:12px;color:#6b7280}\n"
"figure.chart{margin:0 0 14px;break-inside:avoid;page-break-inside:avoid}\n"
"figcaption{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;"
"margin:0 0 2px}\n"
".ct{font-weight:600}.lg{display:flex;flex-wrap:wrap;gap:2px 12px;"
"font-size:12px;color:#4b5563}\n"
".li{display:inline-flex;align-items:center;gap:5px}\n"
".sw{display:inline-block;width:16px;height:0;border-top:2px solid var(--c)}\n"
".sw.dash{border-top-style:dashed}\n"
".sw.area{height:10px;border:1px solid var(--c);background:var(--c);"
"opacity:.6}\n"
".sw.dep{height:10px;border:0;background:#dbeafe}"
".sw.dep.failed{background:#fee2e2}.sw.dep.rollback{background:#fef3c7}\n"
".sw.sc{width:0;height:12px;border:0;border-left:2px dashed #ea580c}\n"
"svg{display:block;width:100%;height:auto}\n"
"svg text{font-size:12px;fill:#4b5563}\n"
".pl{fill:#fff;stroke:#d1d5db}\n"
".gx,.gy{stroke:#eef0f3}\n"
".tx{text-anchor:middle}.ty{text-anchor:end}.ty2{text-anchor:start}\n"

".dep{fill:#dbeafe;fill-opacity:.7}.dep.failed{fill:#fee2e2}"
".dep.rollback{fill:#fef3c7}\n"
"text.dl{font-size:11px;fill:#1e40af}\n"
".ar{fill:var(--c);fill-opacity:.45;stroke:var(--c);stroke-width:1}\n"
".ln{fill:none;stroke:var(--c);stroke-width:1.8;stroke-linejoin:round}\n"
".ln.dash{stroke-dasharray:6 4;stroke-width:1.5}\n"
".sc line{stroke:#ea580c;stroke-width:1.2;stroke-dasharray:3 3}"
".sc path{fill:#ea580c}\n"
"table{border-collapse:collapse;width:100%;font-size:13px}\n"
"th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eef0f3;"
"vertical-align:top}\n"
"th{font-size:12px;color:#6b7280;font-weight:600;background:#fafafa}\n"
"td.k,th.k{white-space:nowrap}td.t{min-width:13em}"
"td.rv{min-width:11em}\n"
"td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
"th.n{text-align:right}\n"
"td.w{overflow-wrap:anywhere}\n"
".b{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11px;"
"font-weight:700;white-space:nowrap}\n"
".b.ok{background:#dcfce7;color:#166534}.b.bad{background:#fee2e2;"
"color:#991b1b}.b.run{background:#dbeafe;color:#1e40af}"
".b.tag{background:#f3f4f6;color:#374151}\n"
".more{color:#6b7280;font-size:12px;margin:6px 0 0}\n"
"footer{color:#6b7280;font-size:12px;text-align:center}\n"
"@media print{body{background:#fff;font-size:11px}"
"main{max-width:none;padding:0}"
"section{border:0;border-radius:0;padding:0;margin:0 0 14px}"
".card{background:#fff}h2{break-after:avoid}"
"tr{break-inside:avoid}table{font-size:10px}"
"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void
head(rout *o, const recorder *r)
{
	const char *name = rec_info_get(r, "scenario");
	rout_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	esc(o, name ? name : "run");
	rout_puts(o, " - ecsim report</title>\n<style>\n");
	rout_puts(o, css);
	rout_puts(o, "</style>\n</head>\n<body>\n<main>\n");
}

static void
run_item(rout *o, const char *label, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	rout_puts(o, "<div><dt>");
	esc(o, label);
	rout_puts(o, "</dt><dd>");
	esc(o, value);
	rout_puts(o, "</dd></div>\n");
}

static void
run_section(rout *o, const recorder *r)
{
	char buf[128], b1[48];
	const char *name = rec_info_get(r, "scenario");
	const char *desc = rec_info_get(r, "description");
	rout_puts(o, "<section class=\"run\">\n<h1>");
	esc(o, name ? name : "ecsim run");
	rout_puts(o, "</h1>\n");
	if (desc != NULL && desc[0] != '\0') {
		rout_puts(o, "<p class=\"desc\">");
		esc(o, desc);
		rout_puts(o, "</p>\n");
	}
	rout_puts(o, "<dl class=\"run\">\n");
	run_item(o, "Scenario file", rec_info_get(r, "scenarioFile"));
	run_item(o, "Seed", rec_info_get(r, "seed"));
	const char *gen = rec_info_get(r, "generator");
	const char *gsl = rec_info_get(r, "gslVersion");
	if (gen != NULL) {
		snprintf(buf, sizeof(buf), "%s%s%s", gen, gsl ? ", GSL " : "",
		    gsl ? gsl : "");
		run_item(o, "Generator", buf);
	}
	const char *dur = rec_info_get(r, "duration");
	run_item(o, "Duration", dur ? dur :
	    simtime_format(rdata_duration(r), b1, sizeof(b1)));
	run_item(o, "Sample interval", rec_info_get(r, "sampleInterval"));
	const char *ev = rec_info_get(r, "events");
	if (ev != NULL) {
		char *end;
		double d = strtod(ev, &end);
		run_item(o, "Engine events", end != ev && *end == '\0' ?
		    rdata_count(buf, sizeof(buf), d) : ev);
	}
	run_item(o, "ecsim", rec_info_get(r, "ecsimVersion"));
	rout_puts(o, "</dl>\n</section>\n");
}

static void
verdict_section(rout *o, const expect_result *res)
{
	if (res == NULL || expect_result_count(res) == 0)
		return;
	size_t n = expect_result_count(res), failed = expect_result_failed(res);
	rout_printf(o, "<section class=\"verdicts\">\n<h2>Expectations "
	    "<span class=\"b %s\">%zu passed, %zu failed</span></h2>\n",
	    failed ? "bad" : "ok", n - failed, failed);
	rout_puts(o, "<table>\n<thead><tr><th>Result</th><th>Assertion</th>"
	    "<th>Measured</th><th>Expected</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const expect_verdict *v = expect_result_at(res, i);
		rout_printf(o, "<tr><td><span class=\"b %s\">%s</span></td><td>",
		    v->pass ? "ok" : "bad", v->pass ? "PASS" : "FAIL");
		esc(o, v->name);
		rout_puts(o, "</td><td class=\"w\">");
		esc(o, v->measured);
		rout_puts(o, "</td><td class=\"w\">");
		esc(o, v->bound);
		rout_puts(o, "</td></tr>\n");
	}
	rout_puts(o, "</tbody></table>\n</section>\n");
}

static void
card(rout *o, const char *value, const char *label)
{
	rout_puts(o, "<div class=\"card\"><b>");
	esc(o, value);
	rout_puts(o, "</b><span>");
	esc(o, label);
	rout_puts(o, "</span></div>\n");
}

static void
service_cards(rout *o, const recorder *r, const char *s, rec_fact **d,
    size_t nd)
{
	char b1[64], b2[64];
	rec_fact *sf = rdata_fact_by(r, "service", "name", s);
	rout_puts(o, "<div class=\"cards\">\n");
	if (nd > 0) {
		size_t failed = 0;
		for (size_t i = 0; i < nd; i++) {
			const char *st = rec_fact_get_str(d[i], "rolloutState");
			if (st != NULL && strcmp(st, "FAILED") == 0)
				failed++;
		}
		snprintf(b1, sizeof(b1), "%zu", nd);
		snprintf(b2, sizeof(b2), failed ? "deployments (%zu failed)" :
		    "deployments", failed);
		card(o, b1, b2);
	}
	double v;
	if (rdata_max(r, rdata_series(r, "service", s, "running"), 0, &v, NULL))
		card(o, rdata_num(b1, sizeof(b1), v), "peak running tasks");
	if (rdata_min(r, rdata_series(r, "service", s, "healthy"),
	    rdata_steady_start(r, s), &v, NULL))
		card(o, rdata_num(b1, sizeof(b1), v), "lowest healthy tasks");
	double req = (double)NAN, errs = 0;
	if (sf != NULL && rec_fact_get(sf, "requests") != NULL) {
		req = rec_fact_get_num(sf, "requests", 0);
		errs = rec_fact_get_num(sf, "errors", 0);
	} else if (rdata_sum(r, rdata_series(r, "service", s, "requests"), &req)) {
		if (!rdata_sum(r, rdata_series(r, "service", s, "errors"), &errs))
			errs = 0;
	}
	if (isfinite(req) && req > 0) {
		card(o, rdata_count(b1, sizeof(b1), req), "requests");
		snprintf(b2, sizeof(b2), "%s%%", rdata_num(b1, sizeof(b1),
		    100.0 * errs / req));
		card(o, b2, "error rate");
	}
	v = sf ? rec_fact_get_num(sf, "latencyP99", (double)NAN) : (double)NAN;
	if (isfinite(v)) {
		snprintf(b2, sizeof(b2), "%s ms", rdata_num(b1, sizeof(b1), v));
		card(o, b2, "p99 latency");
	}
	v = sf ? rec_fact_get_num(sf, "costUSD", (double)NAN) : (double)NAN;
	if (isfinite(v))
		card(o, rdata_usd(b1, sizeof(b1), v), "cost");
	rout_puts(o, "</div>\n");
}

static void
td_text(rout *o, const char *cls, const char *s)
{
	if (cls != NULL)
		rout_printf(o, "<td class=\"%s\">", cls);
	else
		rout_puts(o, "<td>");
	esc(o, s ? s : "");
	rout_puts(o, "</td>");
}

static void
deployments_table(rout *o, rec_fact **d, size_t nd)
{
	char b1[64], b2[64], buf[256];
	if (nd == 0)
		return;
	rout_puts(o, "<h3>Deployments</h3>\n<table>\n<thead><tr><th class=\"n\">#"
	    "</th><th>Revision</th><th>Cause</th><th class=\"n\">Start</th>"
	    "<th class=\"n\">End</th><th class=\"n\">Duration</th><th>Outcome"
	    "</th><th class=\"n\">Tasks started / stopped / failed</th>"
	    "<th class=\"n\">Placement failures</th><th class=\"n\">Lowest "
	    "healthy</th>"
	    "<th>Mean time per task</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < nd; i++) {
		const rec_fact *f = d[i];
		const char *td = rec_fact_get_str(f, "taskDefinition");
		const char *from = rec_fact_get_str(f, "from");
		const char *state = rec_fact_get_str(f, "rolloutState");
		rout_printf(o, "<tr><td class=\"n\">%zu</td><td class=\"rv\">", i + 1);
		if (from != NULL && from[0] != '\0') {
			esc(o, from);
			rout_puts(o, " &#8594; ");
		}
		esc(o, td ? td : "");
		rout_puts(o, "</td>");
		td_text(o, NULL, rec_fact_get_str(f, "cause"));
		sim_time s = 0, e = 0, dur = 0;
		bool hs = fact_time(f, "start", &s), he = fact_time(f, "end", &e);
		bool hd = fact_time(f, "duration", &dur);
		if (!hd && hs && he) {
			dur = e - s;
			hd = true;
		}
		td_text(o, "n", hs ? simtime_clock(s, b1, sizeof(b1)) : "");
		td_text(o, "n", he ? simtime_clock(e, b1, sizeof(b1)) : "");
		td_text(o, "n", hd ? rdata_dur(b1, sizeof(b1), dur) : "");
		const char *cls = state == NULL ? "tag" :
		    strcmp(state, "COMPLETED") == 0 ? "ok" :
		    strcmp(state, "FAILED") == 0 ? "bad" : "run";
		rout_printf(o, "<td><span class=\"b %s\">", cls);
		esc(o, state ? state : "?");
		rout_puts(o, "</span>");
		if (rec_fact_get_num(f, "circuitBreakerTriggered", 0) != 0) {
			const char *tgt = rec_fact_get_str(f, "rollbackTarget");
			rout_puts(o, "<br>circuit breaker triggered");
			if (tgt != NULL && tgt[0] != '\0') {
				rout_puts(o, "; rolled back to ");
				esc(o, tgt);
			}
		}
		if (rec_fact_get_num(f, "rollback", 0) != 0)
			rout_puts(o, "<br>rollback");
		rout_puts(o, "</td>");
		snprintf(buf, sizeof(buf), "%lld / %lld / %lld",
		    (long long)rec_fact_get_int(f, "tasksStarted", 0),
		    (long long)rec_fact_get_int(f, "tasksStopped", 0),
		    (long long)rec_fact_get_int(f, "tasksFailed", 0));
		td_text(o, "n", buf);
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)rec_fact_get_int(f, "placementFailures", 0));
		td_text(o, "n", buf);
		int64_t low = rec_fact_get_int(f, "lowestHealthy", -1);
		if (low >= 0 && rec_fact_get(f, "minimumHealthy") != NULL)
			snprintf(buf, sizeof(buf), "%lld (min %lld)", (long long)low,
			    (long long)rec_fact_get_int(f, "minimumHealthy", 0));
		else if (low >= 0)
			snprintf(buf, sizeof(buf), "%lld", (long long)low);
		else
			buf[0] = '\0';
		td_text(o, "n", buf);
		static const struct {
			const char *key, *label;
		} phases[] = {
			{"timeStart", "start"}, {"timeHealth", "health"},
			{"timeDraining", "draining"}, {"timeStopping", "stopping"},
		};
		size_t n = 0;
		buf[0] = '\0';
		for (size_t k = 0; k < sizeof(phases) / sizeof(phases[0]); k++) {
			double sec = rec_fact_get_num(f, phases[k].key, (double)NAN);
			if (isnan(sec) || n >= sizeof(buf))
				continue;
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %s",
			    n ? ", " : "", phases[k].label, rdata_secs(b2, sizeof(b2),
			    sec));
		}
		td_text(o, "t", buf);
		rout_puts(o, "</tr>\n");
	}
	rout_puts(o, "</tbody></table>\n");
}

static void
service_section(rout *o, const recorder *r, const char *s, sim_time T)
{
	rec_fact *sf = rdata_fact_by(r, "service", "name", s);
	const char *cluster = sf ? rec_fact_get_str(sf, "cluster") : NULL;
	rec_fact **d;
	size_t nd = rdata_deployments(r, s, &d);
	if (cluster == NULL && nd > 0)
		cluster = rec_fact_get_str(d[0], "cluster");
	rout_puts(o, "<section class=\"service\">\n<h2>Service ");
	esc(o, s);
	if (cluster != NULL) {
		rout_puts(o, "<small>cluster ");
		esc(o, cluster);
		rout_puts(o, "</small>");
	}
	rout_puts(o, "</h2>\n");
	service_cards(o, r, s, d, nd);

	hchart c;
	/* tasks by revision */
	memset(&c, 0, sizeof(c));
	c.title = "Tasks by revision";
	c.unit = "tasks";
	c.integer = true;
	c.service = s;
	c.cluster = cluster;
	char prefix[300];
	snprintf(prefix, sizeof(prefix), "service/%s/rev/", s);
	size_t pl = strlen(prefix), nrev = 0;
	for (size_t i = 0; i < rec_series_count(r); i++) {
		const char *name = rec_series_name(r, (int)i);
		if (strncmp(name, prefix, pl) == 0 && name[pl] != '\0')
			add(&c, r, (int)i, name + pl, palette[nrev++ % NPALETTE],
			    ST_AREA, 0, false);
	}
	add(&c, r, rdata_series(r, "service", s, "desired"), "desired",
	    "#111827", ST_DASH, 0, true);
	draw_chart(o, r, &c, T);

	/* production traffic by revision (blue/green, linear, canary,
	 * CodeDeploy, task sets: series service/S/trafficWeight/REV) */
	memset(&c, 0, sizeof(c));
	c.title = "Production traffic by revision";
	c.unit = "%";
	c.floor_max = 100;
	c.service = s;
	c.cluster = cluster;
	snprintf(prefix, sizeof(prefix), "service/%s/trafficWeight/", s);
	pl = strlen(prefix);
	size_t nw = 0;
	for (size_t i = 0; i < rec_series_count(r); i++) {
		const char *name = rec_series_name(r, (int)i);
		if (strncmp(name, prefix, pl) == 0 && name[pl] != '\0')
			add(&c, r, (int)i, name + pl, palette[nw++ % NPALETTE],
			    ST_LINE, 0, false);
	}
	if (nw > 0)
		draw_chart(o, r, &c, T);

	/* healthy vs desired */
	memset(&c, 0, sizeof(c));
	c.title = "Healthy vs desired";
	c.unit = "tasks";
	c.integer = true;
	c.service = s;
	c.cluster = cluster;
	add(&c, r, rdata_series(r, "service", s, "desired"), "desired", "#6b7280",
	    ST_LINE, 0, false);
	add(&c, r, rdata_series(r, "service", s, "running"), "running", "#2563eb",
	    ST_LINE, 0, false);
	add(&c, r, rdata_series(r, "service", s, "healthy"), "healthy", "#16a34a",
	    ST_LINE, 0, false);
	add(&c, r, rdata_series(r, "service", s, "pending"), "pending", "#d97706",
	    ST_LINE, 0, false);
	add(&c, r, rdata_series(r, "service", s, "minHealthy"),
	    "minimum healthy", "#dc2626", ST_DASH, 0, true);
	draw_chart(o, r, &c, T);

	/* CPU vs target */
	memset(&c, 0, sizeof(c));
	c.title = "CPU and memory utilization";
	c.unit = "%";
	c.floor_max = 100;
	c.service = s;
	c.cluster = cluster;
	add(&c, r, rdata_series(r, "service", s, "cpu"), "CPU", "#2563eb",
	    ST_LINE, 0, false);
	add(&c, r, rdata_series(r, "service", s, "memory"), "memory", "#7c3aed",
	    ST_LINE, 0, false);
	add(&c, r, rdata_series(r, "service", s, "cpuTarget"), "CPU target",
	    "#dc2626", ST_DASH, 0, true);
	draw_chart(o, r, &c, T);

	/* requests and errors */
	memset(&c, 0, sizeof(c));
	c.title = "Requests and errors per interval";
	c.unit = "requests";
	c.unit2 = "errors";
	c.integer = true;
	c.service = s;
	c.cluster = cluster;
	add(&c, r, rdata_series(r, "service", s, "requests"), "requests",
	    "#2563eb", ST_LINE, 0, false);
	add(&c, r, rdata_series(r, "service", s, "errors"),
	    "errors (5xx, right axis)", "#dc2626", ST_LINE, 1, false);
	draw_chart(o, r, &c, T);

	/* latency */
	memset(&c, 0, sizeof(c));
	c.title = "Latency";
	c.unit = "ms";
	c.service = s;
	c.cluster = cluster;
	add(&c, r, rdata_series(r, "service", s, "latencyP50"), "p50", "#16a34a",
	    ST_LINE, 0, false);
	add(&c, r, rdata_series(r, "service", s, "latencyP95"), "p95", "#d97706",
	    ST_LINE, 0, false);
	add(&c, r, rdata_series(r, "service", s, "latencyP99"), "p99", "#dc2626",
	    ST_LINE, 0, false);
	draw_chart(o, r, &c, T);

	deployments_table(o, d, nd);
	free(d);
	rout_puts(o, "</section>\n");
}

/* Series "<scope>/<X>/<metric>" for every X, added to c. */
static void
add_each(hchart *c, const recorder *r, const char *scope, const char *metric,
    const char *suffix, int style, size_t *color)
{
	size_t sl = strlen(scope), ml = strlen(metric);
	for (size_t i = 0; i < rec_series_count(r); i++) {
		const char *name = rec_series_name(r, (int)i);
		size_t nl = strlen(name);
		if (nl <= sl + ml + 2 || strncmp(name, scope, sl) != 0 ||
		    name[sl] != '/' || strcmp(name + nl - ml, metric) != 0 ||
		    name[nl - ml - 1] != '/')
			continue;
		char label[96];
		int w = (int)(nl - ml - 1 - (sl + 1));
		snprintf(label, sizeof(label), "%.*s%s", w, name + sl + 1, suffix);
		add(c, r, (int)i, label, palette[(*color)++ % NPALETTE], style, 0,
		    false);
	}
}

static void
cluster_section(rout *o, const recorder *r, sim_time T)
{
	char b1[64];
	const char **names;
	size_t n = rdata_clusters(r, &names);
	hchart c;
	memset(&c, 0, sizeof(c));
	c.title = "Container instances";
	c.unit = "instances";
	c.integer = true;
	c.asg_marks = true;
	size_t color = 0;
	add_each(&c, r, "cluster", "instances", "", ST_LINE, &color);
	add_each(&c, r, "asg", "desired", " (ASG desired)", ST_DASH, &color);
	bool charts = chart_has_data(&c);

	hchart res;
	memset(&res, 0, sizeof(res));
	res.title = "Cluster reservation";
	res.unit = "%";
	res.floor_max = 100;
	color = 0;
	add_each(&res, r, "cluster", "cpuReservation", " CPU", ST_LINE, &color);
	add_each(&res, r, "cluster", "memoryReservation", " memory", ST_DASH,
	    &color);
	add_each(&res, r, "cp", "reservation", " (capacity provider)", ST_LINE,
	    &color);
	charts = charts || chart_has_data(&res);

	hchart cost;
	memset(&cost, 0, sizeof(cost));
	cost.title = "Cost so far";
	cost.unit = "USD";
	color = 0;
	add_each(&cost, r, "cluster", "costUSD", "", ST_LINE, &color);
	charts = charts || chart_has_data(&cost);

	if (n == 0 && !charts) {
		free(names);
		return;
	}
	rout_puts(o, "<section class=\"clusters\">\n<h2>Clusters</h2>\n");
	draw_chart(o, r, &c, T);
	draw_chart(o, r, &res, T);
	draw_chart(o, r, &cost, T);
	if (n > 0) {
		rout_puts(o, "<table>\n<thead><tr><th>Cluster</th><th class=\"n\">"
		    "Peak instances</th><th class=\"n\">Instance-hours</th>"
		    "<th class=\"n\">Cost</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < n; i++) {
			rec_fact *cf = rdata_fact_by(r, "cluster", "name", names[i]);
			double peak = cf ? rec_fact_get_num(cf, "maxInstances",
			    (double)NAN) : (double)NAN, sp;
			if (rdata_max(r, rdata_series(r, "cluster", names[i],
			    "instances"), 0, &sp, NULL) && !(peak > sp))
				peak = sp;
			double ih = cf ? rec_fact_get_num(cf, "instanceHours", (double)NAN) :
			    (double)NAN;
			double usd = cf ? rec_fact_get_num(cf, "costUSD", (double)NAN) :
			    (double)NAN;
			if (isnan(usd) && !rdata_last(r, rdata_series(r, "cluster",
			    names[i], "costUSD"), &usd))
				usd = (double)NAN;
			rout_puts(o, "<tr>");
			td_text(o, NULL, names[i]);
			td_text(o, "n", isnan(peak) ? "" : rdata_num(b1, sizeof(b1), peak));
			if (isnan(ih))
				td_text(o, "n", "");
			else {
				snprintf(b1, sizeof(b1), "%.2f", ih);
				td_text(o, "n", b1);
			}
			td_text(o, "n", isnan(usd) ? "" : rdata_usd(b1, sizeof(b1), usd));
			rout_puts(o, "</tr>\n");
		}
		rout_puts(o, "</tbody></table>\n");
	}
	free(names);
	rout_puts(o, "</section>\n");
}

static void
scaling_section(rout *o, const recorder *r)
{
	char b1[48], buf[64];
	size_t n = rec_fact_count(r, "scaling_activity");
	if (n == 0)
		return;
	rout_printf(o, "<section class=\"scaling\">\n<h2>Scaling activities "
	    "<small>%zu</small></h2>\n<table>\n<thead><tr><th class=\"n\">Time</th>"
	    "<th>Resource</th><th class=\"k n\">From &#8594; to</th><th>Policy</th>"
	    "<th>Cause</th></tr></thead>\n<tbody>\n", n);
	for (size_t i = 0; i < n && i < TABLE_MAX; i++) {
		rec_fact *f = rec_fact_at(r, "scaling_activity", i);
		sim_time t;
		rout_puts(o, "<tr>");
		td_text(o, "n", fact_time(f, "time", &t) ?
		    simtime_clock(t, b1, sizeof(b1)) : "");
		td_text(o, NULL, rec_fact_get_str(f, "resource"));
		if (rec_fact_get(f, "from") != NULL && rec_fact_get(f, "to") != NULL)
			snprintf(buf, sizeof(buf), "%lld \xE2\x86\x92 %lld",
			    (long long)rec_fact_get_int(f, "from", 0),
			    (long long)rec_fact_get_int(f, "to", 0));
		else
			buf[0] = '\0';
		td_text(o, "n", buf);
		td_text(o, NULL, rec_fact_get_str(f, "policy"));
		td_text(o, "w", rec_fact_get_str(f, "cause"));
		rout_puts(o, "</tr>\n");
	}
	rout_puts(o, "</tbody></table>\n");
	if (n > TABLE_MAX)
		rout_printf(o, "<p class=\"more\">... and %zu more (see "
		    "summary.json)</p>\n", n - TABLE_MAX);
	rout_puts(o, "</section>\n");
}

static void
placement_section(rout *o, const recorder *r)
{
	char b1[48];
	size_t n = rec_fact_count(r, "placement_failure");
	if (n == 0)
		return;
	rout_printf(o, "<section class=\"placement\">\n<h2>Placement failures "
	    "<small>%zu</small></h2>\n<table>\n<thead><tr><th class=\"n\">Time</th>"
	    "<th>Service</th><th>Message</th></tr></thead>\n<tbody>\n", n);
	for (size_t i = 0; i < n && i < TABLE_MAX; i++) {
		rec_fact *f = rec_fact_at(r, "placement_failure", i);
		sim_time t;
		rout_puts(o, "<tr>");
		td_text(o, "n", fact_time(f, "time", &t) ?
		    simtime_clock(t, b1, sizeof(b1)) : "");
		td_text(o, NULL, rec_fact_get_str(f, "service"));
		td_text(o, "w", rec_fact_get_str(f, "message"));
		rout_puts(o, "</tr>\n");
	}
	rout_puts(o, "</tbody></table>\n");
	if (n > TABLE_MAX)
		rout_printf(o, "<p class=\"more\">... and %zu more (see "
		    "summary.json)</p>\n", n - TABLE_MAX);
	rout_puts(o, "</section>\n");
}

static void
assumptions_section(rout *o, const recorder *r)
{
	size_t n = rec_assumption_count(r);
	if (n == 0)
		return;
	rout_printf(o, "<section class=\"assumptions\">\n<h2>Assumptions in "
	    "force <small>%zu</small></h2>\n<table>\n<thead><tr><th>Parameter"
	    "</th><th>Value</th><th>Tag</th><th>Note</th></tr></thead>\n"
	    "<tbody>\n", n);
	for (size_t i = 0; i < n; i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		/* a long dotted name may break after each dot */
		rout_puts(o, "<tr><td class=\"w\">");
		for (const char *p = name; *p != '\0';) {
			size_t len = strcspn(p, ".");
			char *part = xstrndup(p, len);
			esc(o, part);
			free(part);
			p += len;
			if (*p == '.') {
				rout_puts(o, ".<wbr>");
				p++;
			}
		}
		rout_puts(o, "</td>");
		td_text(o, "w", value);
		rout_puts(o, "<td><span class=\"b tag\">");
		esc(o, tag);
		rout_puts(o, "</span></td>");
		td_text(o, "w", note);
		rout_puts(o, "</tr>\n");
	}
	rout_puts(o, "</tbody></table>\n</section>\n");
}

void
rhtml_write(rout *o, const recorder *r, const expect_result *res)
{
	sim_time T = rdata_duration(r);
	if (rec_row_count(r) > 0 && rec_row_time(r, rec_row_count(r) - 1) > T)
		T = rec_row_time(r, rec_row_count(r) - 1);
	if (T <= 0)
		T = SIM_SEC;
	head(o, r);
	run_section(o, r);
	verdict_section(o, res);
	const char **names;
	size_t n = rdata_services(r, &names);
	for (size_t i = 0; i < n; i++)
		service_section(o, r, names[i], T);
	free(names);
	cluster_section(o, r, T);
	scaling_section(o, r);
	placement_section(o, r);
	assumptions_section(o, r);
	const char *ver = rec_info_get(r, "ecsimVersion");
	rout_puts(o, "<footer>Simulated by ecsim");
	if (ver != NULL) {
		rout_putc(o, ' ');
		esc(o, ver);
	}
	rout_puts(o, ". Times are simulated time since the start of the "
	    "scenario.</footer>\n</main>\n</body>\n</html>\n");
}
