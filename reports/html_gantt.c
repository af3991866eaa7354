/*
 * html_gantt — a deployment's zoom panel (see html_gantt.h).
 *
 * Geometry: a label column at the left, one row per task, the time axis
 * of the window above and below. The window is [start, end'] padded by
 * 4 %, where end' is the deployment's end (the run's end while it is in
 * progress) or the last STOPPED of a task it stopped, if later.
 */
#include "reports/html_gantt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html_util.h"
#include "reports/rdata.h"

#define GW 1200.0
#define GL 190.0  /* label column */
#define GR 16.0   /* right margin */
#define GT 34.0   /* top: axis labels, window marks */
#define GB 24.0   /* bottom: axis labels */
#define ROW 16.0  /* row pitch */
#define BAR 11.0  /* bar height */
#define PLOT_W (GW - GL - GR)
/* Events listed under a panel before "... and N more". */
#define EVENTS_MAX 40

typedef struct win {
	sim_time t0, t1;
} win;

static double
gx(const win *w, sim_time t)
{
	if (t < w->t0)
		t = w->t0;
	if (t > w->t1)
		t = w->t1;
	return GL + PLOT_W * ((double)(t - w->t0) / (double)(w->t1 - w->t0));
}

/* The first of the times that is set (>= 0), else def. */
static sim_time
first_set(sim_time a, sim_time b, sim_time c, sim_time d, sim_time def)
{
	if (a >= 0)
		return a;
	if (b >= 0)
		return b;
	if (c >= 0)
		return c;
	if (d >= 0)
		return d;
	return def;
}

static void
segment(rout *o, const win *w, double y, sim_time from, sim_time to,
    const char *cls)
{
	if (from < 0 || to < from || to < w->t0 || from > w->t1)
		return;
	double x0 = gx(w, from), x1 = gx(w, to);
	if (x1 - x0 < 1.5)
		x1 = x0 + 1.5; /* an instant still shows */
	rout_printf(o, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\"/>", cls, x0, y, x1 - x0, BAR);
}

/* "00:10:01.250" into buf, or "-" */
static const char *
clock_or(char *buf, size_t size, sim_time t)
{
	if (t < 0)
		return "-";
	return simtime_clock(t, buf, size);
}

static void
row_title(rout *o, const rdata_task *t)
{
	char b[64];
	rout_puts(o, "<title>task ");
	hutil_esc(o, t->id);
	rout_puts(o, " (");
	hutil_esc(o, t->task_definition);
	rout_puts(o, ")");
	static const char *const names[] = {"created", "PENDING (pull)",
	    "RUNNING", "healthy", "draining", "STOPPING", "STOPPED"};
	const sim_time times[] = {t->created, t->pull, t->running, t->healthy,
	    t->draining, t->stopping, t->stopped};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		if (times[i] >= 0)
			rout_printf(o, "\n%s %s", names[i], clock_or(b, sizeof(b),
			    times[i]));
	if (t->stopped < 0) {
		rout_puts(o, "\n");
		hutil_esc(o, t->last_status);
		rout_puts(o, " at the end of the run");
	}
	if (t->stop_code[0] != '\0') {
		rout_puts(o, "\n");
		hutil_esc(o, t->stop_code);
		if (t->stopped_reason[0] != '\0') {
			rout_puts(o, ": ");
			hutil_esc(o, t->stopped_reason);
		}
	}
	if (t->failed)
		rout_puts(o, "\n(counted as a failed task)");
	rout_puts(o, "</title>");
}

/* "family:rev" in at most TD_CHARS characters: a long family is cut
 * ("my-microservi...:12"), the revision always shows. */
#define TD_CHARS 18
static const char *
short_td(char *buf, size_t size, const char *td)
{
	size_t len = strlen(td);
	const char *colon = strrchr(td, ':');
	if (len <= TD_CHARS || colon == NULL || strlen(colon) > TD_CHARS - 4) {
		snprintf(buf, size, "%s", td);
		return buf;
	}
	int keep = (int)(TD_CHARS - strlen(colon) - 3);
	snprintf(buf, size, "%.*s...%s", keep, td, colon);
	return buf;
}

static void
task_row(rout *o, const win *w, const rdata_task *t, size_t i, sim_time T)
{
	double y = GT + ROW * (double)i + (ROW - BAR) / 2;
	sim_time end = t->stopped >= 0 ? t->stopped : T;
	rout_printf(o, "<g class=\"tk%s\">", t->failed ? " failed" : "");
	row_title(o, t);
	/* the label: revision and the start of the task id */
	rout_printf(o, "<text class=\"tl\" x=\"%.1f\" y=\"%.1f\">", GL - 8,
	    y + BAR - 2);
	char shortid[16], td[64];
	snprintf(shortid, sizeof(shortid), "%.8s", t->id);
	hutil_esc(o, short_td(td, sizeof(td), t->task_definition));
	rout_puts(o, " \xC2\xB7 ");
	hutil_esc(o, shortid);
	rout_puts(o, "</text>");
	/* a task that began before the window */
	if (t->created < w->t0)
		rout_printf(o, "<text class=\"clip\" x=\"%.1f\" y=\"%.1f\">"
		    "\xE2\x97\x82</text>", GL - 1, y + BAR - 2);
	sim_time stop_or_end = end;
	segment(o, w, y, t->created, first_set(t->pull, t->running, t->draining,
	    t->stopping, stop_or_end), "p-prov");
	if (t->pull >= 0)
		segment(o, w, y, t->pull, first_set(t->running, t->draining,
		    t->stopping, -1, stop_or_end), "p-pend");
	if (t->running >= 0)
		segment(o, w, y, t->running, first_set(t->healthy, t->draining,
		    t->stopping, -1, stop_or_end), "p-run");
	if (t->healthy >= 0)
		segment(o, w, y, t->healthy, first_set(t->draining, t->stopping, -1,
		    -1, stop_or_end), "p-ok");
	if (t->draining >= 0)
		segment(o, w, y, t->draining, first_set(t->stopping, -1, -1, -1,
		    stop_or_end), "p-drain");
	if (t->stopping >= 0)
		segment(o, w, y, t->stopping, stop_or_end, "p-stop");
	if (t->stopped >= 0 && t->stopped <= w->t1) {
		double x = gx(w, t->stopped);
		rout_printf(o, "<path class=\"x\" d=\"M%.1f %.1f l4 %.1f m0 %.1f "
		    "l-4 %.1f\"/>", x, y - 1, BAR / 2 + 1, -(BAR / 2 + 1),
		    BAR / 2 + 1);
	} else if (end > w->t1)
		rout_printf(o, "<text class=\"clip\" x=\"%.1f\" y=\"%.1f\">"
		    "\xE2\x96\xB8</text>", GL + PLOT_W + 2, y + BAR - 2);
	rout_puts(o, "</g>\n");
}

/* The rows to draw: every task when they fit; else the failed ones
 * first, then the others in order, up to HGANTT_ROWS, shown in creation
 * order. Returns the number kept (moved to the front of t). */
static size_t
choose_rows(rdata_task *t, size_t n)
{
	if (n <= HGANTT_ROWS)
		return n;
	size_t keep = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = keep; i < n && keep < HGANTT_ROWS; i++)
			if (t[i].failed == (pass == 0)) {
				rdata_task tmp = t[keep];
				t[keep] = t[i];
				t[i] = tmp;
				keep++;
			}
	/* back in creation order (insertion sort, stable) */
	for (size_t i = 1; i < keep; i++)
		for (size_t k = i; k > 0 && t[k - 1].created > t[k].created; k--) {
			rdata_task tmp = t[k];
			t[k] = t[k - 1];
			t[k - 1] = tmp;
		}
	return keep;
}

static void
legend(rout *o)
{
	static const struct {
		const char *cls, *label;
	} items[] = {
		{"p-prov", "PROVISIONING"}, {"p-pend", "PENDING (pull, start)"},
		{"p-run", "RUNNING, not yet healthy"}, {"p-ok", "healthy"},
		{"p-drain", "draining"}, {"p-stop", "stopping"},
		{"p-fail", "failed task (hover: stop reason)"},
	};
	rout_puts(o, "<p class=\"lg gl\">");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		rout_printf(o, "<span class=\"li\"><svg class=\"sw2\" viewBox=\"0 0 "
		    "14 10\"><rect class=\"%s\" width=\"14\" height=\"10\"/></svg>%s"
		    "</span>", items[i].cls, items[i].label);
	rout_puts(o, "<span class=\"li\">\xE2\x9C\x95 STOPPED</span>"
	    "<span class=\"li\">\xE2\x97\x82 \xE2\x96\xB8 began before / went on "
	    "after the window</span></p>\n");
}

static void
window_marks(rout *o, const win *w, sim_time start, sim_time end,
    bool ended, sim_time wend, const char *state, double h)
{
	double xs = gx(w, start), xe = gx(w, end), xw = gx(w, wend);
	bool failed = state != NULL && strcmp(state, "FAILED") == 0;
	rout_printf(o, "<rect class=\"win\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\"/>", xs, GT, xe - xs > 1 ? xe - xs : 1, h);
	if (xw > xe + 1)
		rout_printf(o, "<rect class=\"win after\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"/><text class=\"wl\" x=\"%.1f\" "
		    "y=\"%.1f\">draining of the tasks it stopped</text>", xe, GT,
		    xw - xe, h, xe + 4, GT + h + 14);
	rout_printf(o, "<line class=\"wm\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\"/><text class=\"wl\" x=\"%.1f\" y=\"%.1f\">start</text>",
	    xs, GT - 6, xs, GT + h, xs + 3, GT - 8);
	if (ended) {
		rout_printf(o, "<line class=\"wm%s\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/><text class=\"wl%s\" x=\"%.1f\" "
		    "y=\"%.1f\" text-anchor=\"end\">", failed ? " bad" : "", xe,
		    GT - 6, xe, GT + h, failed ? " bad" : "", xe - 3, GT - 8);
		hutil_esc(o, state ? state : "end");
		rout_puts(o, "</text>");
	}
	rout_puts(o, "\n");
}

static void
events_in(rout *o, const recorder *r, const char *svc, sim_time t0,
    sim_time t1)
{
	char source[512], b[64];
	snprintf(source, sizeof(source), "service/%s", svc);
	size_t n = 0;
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		if (e->t >= t0 && e->t <= t1 && strcmp(e->source, source) == 0)
			n++;
	}
	if (n == 0)
		return;
	rout_printf(o, "<details class=\"dev\"%s><summary>Service events in this "
	    "window (%zu)</summary>\n<table class=\"ev\"><tbody>\n",
	    n <= 12 ? " open" : "", n);
	size_t shown = 0;
	for (size_t i = 0; i < rec_event_count(r) && shown < EVENTS_MAX; i++) {
		const rec_event *e = rec_event_at(r, i);
		if (e->t < t0 || e->t > t1 || strcmp(e->source, source) != 0)
			continue;
		rout_puts(o, "<tr>");
		hutil_td(o, "n", simtime_clock(e->t, b, sizeof(b)));
		hutil_td(o, "w", e->text);
		rout_puts(o, "</tr>\n");
		shown++;
	}
	rout_puts(o, "</tbody></table>\n");
	if (n > shown)
		rout_printf(o, "<p class=\"more\">... and %zu more (events.log has "
		    "them all)</p>\n", n - shown);
	rout_puts(o, "</details>\n");
}

static void
facts(rout *o, const recorder *r, const rec_fact *d, const rdata_task *t,
    size_t n)
{
	char buf[1024];
	rout_puts(o, "<ul class=\"df\">\n<li>");
	hutil_esc(o, rdata_dep_span(buf, sizeof(buf), d));
	if (rec_fact_get_num(d, "circuitBreakerTriggered", 0) != 0) {
		const char *tgt = rec_fact_get_str(d, "rollbackTarget");
		rout_puts(o, "; circuit breaker triggered");
		if (tgt != NULL && tgt[0] != '\0') {
			rout_puts(o, ", rolled back to ");
			hutil_esc(o, tgt);
		}
	}
	rout_puts(o, "</li>\n");
	if (rdata_dep_tasks(buf, sizeof(buf), d)[0] != '\0') {
		rout_puts(o, "<li>tasks: ");
		hutil_esc(o, buf);
		rout_puts(o, "</li>\n");
	}
	if (rdata_dep_lowest(buf, sizeof(buf), d)[0] != '\0') {
		rout_puts(o, "<li>lowest healthy: ");
		hutil_esc(o, buf);
		rout_puts(o, "</li>\n");
	}
	if (rdata_dep_phases(buf, sizeof(buf), d)[0] != '\0') {
		rout_puts(o, "<li>where the time went (mean per task): ");
		hutil_esc(o, buf);
		rout_puts(o, "</li>\n");
	}
	size_t failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += t[i].failed && t[i].launched;
	if (failed > 0) {
		rout_printf(o, "<li class=\"bad\">%zu failed task%s:", failed,
		    failed == 1 ? "" : "s");
		/* each distinct stop code and reason once */
		for (size_t i = 0; i < n; i++) {
			if (!t[i].failed || !t[i].launched)
				continue;
			bool seen = false;
			for (size_t k = 0; k < i && !seen; k++)
				seen = t[k].failed && t[k].launched &&
				    strcmp(t[k].stop_code, t[i].stop_code) == 0 &&
				    strcmp(t[k].stopped_reason, t[i].stopped_reason) == 0;
			if (seen)
				continue;
			rout_puts(o, " ");
			hutil_esc(o, t[i].stop_code[0] ? t[i].stop_code : "stopped");
			if (t[i].stopped_reason[0] != '\0') {
				rout_puts(o, " (");
				hutil_esc(o, t[i].stopped_reason);
				rout_puts(o, ")");
			}
		}
		rout_puts(o, "</li>\n");
	}
	(void)r;
	rout_puts(o, "</ul>\n");
}

void
hgantt_panel(rout *o, const recorder *r, const rec_fact *d, size_t svc,
    size_t dep, sim_time T)
{
	char anchor[64], sanchor[64], buf[1024];
	const char *svc_name = rec_fact_get_str(d, "service");
	const char *state = rec_fact_get_str(d, "rolloutState");
	sim_time start = 0, end = T;
	hutil_fact_time(d, "start", &start);
	bool ended = hutil_fact_time(d, "end", &end);
	if (!ended)
		end = T;
	rdata_task *t;
	size_t n = rdata_dep_task_list(r, d, &t);

	rout_printf(o, "<section class=\"zoom\" id=\"%s\">\n<h3>",
	    hutil_dep_anchor(anchor, sizeof(anchor), svc, dep));
	rout_printf(o, "Deployment %zu: ", dep + 1);
	hutil_esc(o, rdata_dep_title(buf, sizeof(buf), d));
	const char *cls = state == NULL ? "tag" :
	    strcmp(state, "COMPLETED") == 0 ? "ok" :
	    strcmp(state, "FAILED") == 0 ? "bad" : "run";
	rout_printf(o, " <span class=\"b %s\">", cls);
	hutil_esc(o, state ? state : "?");
	rout_printf(o, "</span> <a class=\"up\" href=\"#%s\">service "
	    "\xE2\x86\x91</a></h3>\n", hutil_svc_anchor(sanchor, sizeof(sanchor),
	    svc));
	facts(o, r, d, t, n);

	if (n == 0) {
		int64_t max, dropped = rdata_task_records_dropped(r, &max);
		rout_printf(o, "<p class=\"more\">%s</p>\n", dropped > 0 ?
		    "No task records for this deployment: the run kept the first "
		    "records only (see the note at the top)." :
		    rec_fact_count(r, "task") == 0 ?
		    "This run recorded no task lifecycles, so its tasks are not "
		    "drawn." : "This deployment launched and stopped no task.");
		events_in(o, r, svc_name ? svc_name : "", start, end);
		rout_puts(o, "</section>\n");
		free(t);
		return;
	}
	/* the window: the deployment, plus the draining of what it stopped */
	sim_time wend = end;
	for (size_t i = 0; i < n; i++)
		if (t[i].stopped_here && t[i].stopped > wend)
			wend = t[i].stopped;
	sim_time span = wend - start;
	if (span < SIM_SEC)
		span = SIM_SEC;
	sim_time pad = span / 25 > SIM_SEC / 2 ? span / 25 : SIM_SEC / 2;
	win w = {start - pad, wend + pad};
	if (w.t0 < 0)
		w.t0 = 0;
	size_t rows = choose_rows(t, n);
	double h = ROW * (double)rows;
	double H = GT + h + GB + 8;
	rout_printf(o, "<svg class=\"gantt\" viewBox=\"0 0 %.0f %.0f\" "
	    "role=\"img\" aria-label=\"tasks of deployment %zu\">\n", GW, H,
	    dep + 1);
	rout_printf(o, "<rect class=\"pl\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\"/>\n", GL, GT, PLOT_W, h);
	window_marks(o, &w, start, end, ended, wend, state, h);
	hutil_x_axis(o, w.t0, w.t1, GL, PLOT_W, GT, GT + h, GT + h + 16);
	for (size_t i = 0; i < rows; i++)
		task_row(o, &w, &t[i], i, T);
	rout_puts(o, "</svg>\n");
	legend(o);
	if (rows < n)
		rout_printf(o, "<p class=\"more\">%zu of %zu tasks drawn (the failed "
		    "ones first); summary.json lists them all under facts.task.</p>\n",
		    rows, n);
	events_in(o, r, svc_name ? svc_name : "", start, wend);
	rout_puts(o, "</section>\n");
	free(t);
}
