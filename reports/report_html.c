/*
 * report_html — the self-contained HTML report (see report_html.h): the
 * page's frame and sections. The pieces live in their own modules:
 * html_chart (time-series charts), html_gantt (a deployment's zoom panel
 * with its tasks), html_events (the filterable event log), html_util
 * (escaping, anchors, the time axis). Every number and phrase comes from
 * rdata, as in the text summary and summary.json.
 */
#include "reports/report_html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html_chart.h"
#include "reports/html_events.h"
#include "reports/html_gantt.h"
#include "reports/html_style.h"
#include "reports/html_util.h"
#include "reports/rdata.h"
#include "sim/xalloc.h"

/* Rows of long tables shown before "... and N more". */
#define TABLE_MAX 200

/* ---- page parts ---- */



static void
head(rout *o, const recorder *r)
{
	const char *name = rec_info_get(r, "scenario");
	rout_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	hutil_esc(o, name ? name : "run");
	rout_puts(o, " - ecsim report</title>\n<style>\n");
	hstyle_write(o);
	rout_puts(o, "</style>\n</head>\n<body>\n<main>\n");
}

static void
run_item(rout *o, const char *label, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	rout_puts(o, "<div><dt>");
	hutil_esc(o, label);
	rout_puts(o, "</dt><dd>");
	hutil_esc(o, value);
	rout_puts(o, "</dd></div>\n");
}

static void
run_section(rout *o, const recorder *r)
{
	char buf[128], b1[48];
	const char *name = rec_info_get(r, "scenario");
	const char *desc = rec_info_get(r, "description");
	rout_puts(o, "<section class=\"run\" id=\"run\">\n<h1>");
	hutil_esc(o, name ? name : "ecsim run");
	rout_puts(o, "</h1>\n");
	if (desc != NULL && desc[0] != '\0') {
		rout_puts(o, "<p class=\"desc\">");
		hutil_esc(o, desc);
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
	int64_t max, dropped = rdata_task_records_dropped(r, &max);
	if (dropped > 0)
		rout_printf(o, "<p class=\"note\">This run kept task records for its "
		    "first %lld deployment tasks; %lld more were not recorded, so "
		    "later deployments have no task timeline.</p>\n", (long long)max,
		    (long long)dropped);
}

/* ---- the page's budget ---- */

/*
 * What a page holds, so a month of a hundred services stays a few
 * megabytes: zoom panels for at most PANELS_PER_SERVICE deployments of a
 * service and PANELS_PER_PAGE in all (failed and unfinished deployments
 * first, then rollbacks, then the others, services in order); charts
 * reduced to fewer buckets when there are many services; deployment
 * tables cut to fewer rows.
 */
#define PANELS_PER_SERVICE 12
#define PANELS_PER_PAGE 36

typedef struct page {
	rdata_index *x;        /* the services, their deployments and scaling */
	const char **names;    /* services (rdata_services) */
	size_t n;
	bool **panel;          /* panel[s][d]: deployment d of s has a panel */
	size_t *ndeps;
	size_t buckets;        /* for every time-series chart */
	size_t table_rows;     /* deployment rows per service */
} page;

static int
panel_rank(const rec_fact *d)
{
	const char *st = rec_fact_get_str(d, "rolloutState");
	if (st == NULL || strcmp(st, "COMPLETED") != 0)
		return 0;
	if (rec_fact_get_num(d, "rollback", 0) != 0)
		return 1;
	return 2;
}

static void
page_init(page *pg, const recorder *r)
{
	memset(pg, 0, sizeof(*pg));
	pg->x = rdata_index_new(r);
	pg->n = rdata_index_count(pg->x);
	pg->names = xcalloc(pg->n + 1, sizeof(char *));
	pg->panel = xcalloc(pg->n + 1, sizeof(bool *));
	pg->ndeps = xcalloc(pg->n + 1, sizeof(size_t));
	rec_fact *const **deps = xcalloc(pg->n + 1, sizeof(*deps));
	size_t *per = xcalloc(pg->n + 1, sizeof(size_t));
	for (size_t s = 0; s < pg->n; s++) {
		pg->names[s] = rdata_index_name(pg->x, s);
		pg->ndeps[s] = rdata_index_deployments(pg->x, s, &deps[s]);
		pg->panel[s] = xcalloc(pg->ndeps[s] + 1, sizeof(bool));
	}
	size_t total = 0;
	for (int rank = 0; rank <= 2; rank++)
		for (size_t s = 0; s < pg->n; s++)
			for (size_t d = 0; d < pg->ndeps[s]; d++)
				if (total < PANELS_PER_PAGE && per[s] < PANELS_PER_SERVICE &&
				    !pg->panel[s][d] && panel_rank(deps[s][d]) == rank) {
					pg->panel[s][d] = true;
					per[s]++;
					total++;
				}
	free(deps);
	free(per);
	pg->buckets = pg->n <= 8 ? HCHART_BUCKETS : 8 * HCHART_BUCKETS / pg->n;
	if (pg->buckets < 100)
		pg->buckets = 100;
	pg->table_rows = pg->n <= 8 ? TABLE_MAX : 10;
}

static void
page_fini(page *pg)
{
	for (size_t s = 0; s < pg->n; s++)
		free(pg->panel[s]);
	free(pg->panel);
	free(pg->ndeps);
	free(pg->names);
	rdata_index_free(pg->x);
}

static void
toc(rout *o, const recorder *r, const expect_result *res, const page *pg)
{
	char anchor[64];
	const char **names;
	rout_puts(o, "<nav class=\"toc\"><b>Contents</b><ol>\n");
	if (res != NULL && expect_result_count(res) > 0)
		rout_printf(o, "<li><a href=\"#verdicts\">Expectations</a>: %zu "
		    "passed, %zu failed</li>\n", expect_result_count(res) -
		    expect_result_failed(res), expect_result_failed(res));
	for (size_t i = 0; i < pg->n; i++) {
		rout_printf(o, "<li><a href=\"#%s\">Service ",
		    hutil_svc_anchor(anchor, sizeof(anchor), i));
		hutil_esc(o, pg->names[i]);
		rout_puts(o, "</a>");
		rec_fact *const *d;
		size_t nd = rdata_index_deployments(pg->x, i, &d);
		bool any = false;
		for (size_t k = 0; k < nd; k++) {
			if (!pg->panel[i][k])
				continue;
			if (!any)
				rout_puts(o, "<br><span class=\"deps\">deployments ");
			any = true;
			const char *st = rec_fact_get_str(d[k], "rolloutState");
			bool bad = st == NULL || strcmp(st, "COMPLETED") != 0;
			rout_printf(o, "<a href=\"#%s\"%s>#%zu%s%s</a>",
			    hutil_dep_anchor(anchor, sizeof(anchor), i, k),
			    bad ? " class=\"bad\"" : "", k + 1, bad ? " " : "",
			    bad && st ? st : "");
		}
		if (any)
			rout_puts(o, "</span>");
		rout_puts(o, "</li>\n");
	}
	if (rdata_clusters(r, &names) > 0)
		rout_puts(o, "<li><a href=\"#clusters\">Clusters</a></li>\n");
	free(names);
	if (rec_fact_count(r, "scaling_activity") > 0)
		rout_printf(o, "<li><a href=\"#scaling\">Scaling activities</a> "
		    "(%zu)</li>\n", rec_fact_count(r, "scaling_activity"));
	if (rec_event_count(r) > 0)
		rout_printf(o, "<li><a href=\"#events\">Events</a> (%zu, filter "
		    "by service)</li>\n", rec_event_count(r));
	if (rec_fact_count(r, "placement_failure") > 0)
		rout_printf(o, "<li><a href=\"#placement\">Placement failures</a> "
		    "(%zu)</li>\n", rec_fact_count(r, "placement_failure"));
	if (rec_assumption_count(r) > 0)
		rout_printf(o, "<li><a href=\"#assumptions\">Assumptions</a> "
		    "(%zu)</li>\n", rec_assumption_count(r));
	rout_puts(o, "</ol></nav>\n");
}

static void
verdict_row(rout *o, const expect_verdict *v)
{
	rout_printf(o, "<tr%s><td><span class=\"b %s\">%s</span></td><td>",
	    v->pass ? "" : " class=\"bad\"", v->pass ? "ok" : "bad",
	    v->pass ? "PASS" : "FAIL");
	hutil_esc(o, v->name);
	if (v->file != NULL && v->line > 0) {
		rout_puts(o, "<br><small>");
		hutil_esc(o, v->file);
		rout_printf(o, ":%d</small>", v->line);
	}
	rout_puts(o, "</td><td class=\"w\">");
	hutil_esc(o, v->measured);
	rout_puts(o, "</td><td class=\"w\">");
	hutil_esc(o, v->bound);
	rout_puts(o, "</td></tr>\n");
}

static void
verdict_section(rout *o, const expect_result *res)
{
	if (res == NULL || expect_result_count(res) == 0)
		return;
	size_t n = expect_result_count(res), failed = expect_result_failed(res);
	rout_printf(o, "<section class=\"verdicts\" id=\"verdicts\">\n"
	    "<h2>Expectations <span class=\"b %s\">%zu passed, %zu failed</span>"
	    "</h2>\n", failed ? "bad" : "ok", n - failed, failed);
	rout_puts(o, "<table>\n<thead><tr><th>Result</th><th>Assertion</th>"
	    "<th>Measured</th><th>Expected</th></tr></thead>\n<tbody>\n");
	/* failures first */
	for (int pass = 0; pass <= 1; pass++)
		for (size_t i = 0; i < n; i++) {
			const expect_verdict *v = expect_result_at(res, i);
			if (v->pass == (pass == 1))
				verdict_row(o, v);
		}
	rout_puts(o, "</tbody></table>\n</section>\n");
}

static void
card(rout *o, const char *value, const char *label, bool bad)
{
	rout_printf(o, "<div class=\"card%s\"><b>", bad ? " bad" : "");
	hutil_esc(o, value);
	rout_puts(o, "</b><span>");
	hutil_esc(o, label);
	rout_puts(o, "</span></div>\n");
}

static void
service_cards(rout *o, const rdata_svc *sv)
{
	char b1[64], b2[128];
	rout_puts(o, "<div class=\"cards\">\n");
	if (sv->deployments > 0) {
		snprintf(b1, sizeof(b1), "%zu", sv->deployments);
		if (sv->failed_deployments > 0)
			snprintf(b2, sizeof(b2), "deployments (%zu failed)",
			    sv->failed_deployments);
		else
			snprintf(b2, sizeof(b2), "deployments");
		card(o, b1, b2, sv->failed_deployments > 0);
	}
	if (sv->has_peak_running)
		card(o, rdata_num(b1, sizeof(b1), sv->peak_running),
		    "peak running tasks", false);
	if (sv->lowest_healthy >= 0) {
		snprintf(b1, sizeof(b1), "%lld", (long long)sv->lowest_healthy);
		card(o, b1, sv->lowest_healthy_since > 0 ?
		    "lowest healthy after creation" : "lowest healthy", false);
	}
	if (sv->has_traffic && sv->requests > 0) {
		card(o, rdata_count(b1, sizeof(b1), (double)sv->requests), "requests",
		    false);
		snprintf(b2, sizeof(b2), "errors (%s)", rdata_pct(b1, sizeof(b1),
		    sv->error_percent));
		card(o, rdata_count(b1, sizeof(b1), (double)sv->errors), b2, false);
	}
	if (isfinite(sv->p99)) {
		snprintf(b2, sizeof(b2), "%s ms", rdata_num(b1, sizeof(b1), sv->p99));
		card(o, b2, "p99 latency", false);
	}
	if (isfinite(sv->cost_usd))
		card(o, rdata_usd(b1, sizeof(b1), sv->cost_usd), "cost", false);
	rout_puts(o, "</div>\n");
}

static void
deployments_table(rout *o, rec_fact *const *d, size_t nd, const bool *has,
    size_t svc, size_t max_rows)
{
	char b1[64], anchor[64], buf[512];
	if (nd == 0)
		return;
	rout_puts(o, "<h3>Deployments</h3>\n<table>\n<thead><tr><th class=\"n\">#"
	    "</th><th>Revision</th><th>Cause</th><th class=\"n\">Start</th>"
	    "<th class=\"n\">End</th><th class=\"n\">Duration</th><th>Outcome"
	    "</th><th>Tasks</th><th>Lowest healthy</th>"
	    "<th>Where the time went (mean per task)</th></tr></thead>\n"
	    "<tbody>\n");
	/* beyond max_rows: the first ones and those with a panel */
	size_t shown = 0;
	for (size_t i = 0; i < nd; i++) {
		if (shown >= max_rows && !has[i])
			continue;
		shown++;
		const rec_fact *f = d[i];
		const char *td = rec_fact_get_str(f, "taskDefinition");
		const char *from = rec_fact_get_str(f, "from");
		const char *state = rec_fact_get_str(f, "rolloutState");
		bool bad = state != NULL && strcmp(state, "FAILED") == 0;
		rout_printf(o, "<tr%s><td class=\"n\">", bad ? " class=\"bad\"" : "");
		if (has[i])
			rout_printf(o, "<a href=\"#%s\">%zu</a>", hutil_dep_anchor(anchor,
			    sizeof(anchor), svc, i), i + 1);
		else
			rout_printf(o, "%zu", i + 1);
		rout_puts(o, "</td><td class=\"rv\">");
		if (from != NULL && from[0] != '\0') {
			hutil_esc(o, from);
			rout_puts(o, " &#8594; ");
		}
		hutil_esc(o, td ? td : "");
		rout_puts(o, "</td>");
		hutil_td(o, NULL, rec_fact_get_str(f, "cause"));
		sim_time s = 0, e = 0, dur = 0;
		bool hs = hutil_fact_time(f, "start", &s);
		bool he = hutil_fact_time(f, "end", &e);
		bool hd = hutil_fact_time(f, "duration", &dur);
		if (!hd && hs && he) {
			dur = e - s;
			hd = true;
		}
		hutil_td(o, "n", hs ? simtime_clock(s, b1, sizeof(b1)) : "");
		hutil_td(o, "n", he ? simtime_clock(e, b1, sizeof(b1)) : "");
		hutil_td(o, "n", hd ? rdata_dur(b1, sizeof(b1), dur) : "");
		const char *cls = state == NULL ? "tag" :
		    strcmp(state, "COMPLETED") == 0 ? "ok" : bad ? "bad" : "run";
		rout_printf(o, "<td><span class=\"b %s\">", cls);
		hutil_esc(o, state ? state : "?");
		rout_puts(o, "</span>");
		if (rec_fact_get_num(f, "circuitBreakerTriggered", 0) != 0) {
			const char *tgt = rec_fact_get_str(f, "rollbackTarget");
			rout_puts(o, "<br>circuit breaker triggered");
			if (tgt != NULL && tgt[0] != '\0') {
				rout_puts(o, "; rolled back to ");
				hutil_esc(o, tgt);
			}
		}
		if (rec_fact_get_num(f, "rollback", 0) != 0)
			rout_puts(o, "<br>rollback");
		rout_puts(o, "</td>");
		hutil_td(o, "m", rdata_dep_tasks(buf, sizeof(buf), f));
		hutil_td(o, "m", rdata_dep_lowest(buf, sizeof(buf), f));
		hutil_td(o, "t", rdata_dep_phases(buf, sizeof(buf), f));
		rout_puts(o, "</tr>\n");
	}
	rout_puts(o, "</tbody></table>\n");
	if (nd > shown)
		rout_printf(o, "<p class=\"more\">%zu of %zu deployments listed; "
		    "summary.json has them all (facts.deployment).</p>\n", shown, nd);
}

/* A chart of service s with the section's common settings. */
static void
svc_chart(hchart *c, const char *title, const char *unit, size_t idx,
    const page *pg)
{
	hchart_init(c, title, unit);
	c->ndeps = rdata_index_deployments(pg->x, idx, &c->deps);
	c->nmarks = rdata_index_scaling(pg->x, idx, &c->marks);
	c->svc_index = idx;
	c->buckets = pg->buckets;
	c->faults = true;
}

static void
service_section(rout *o, const recorder *r, size_t idx, const page *pg,
    sim_time T)
{
	char anchor[64], title[96];
	const char *s = pg->names[idx];
	rdata_svc sv;
	rdata_index_stats(pg->x, idx, &sv);
	rec_fact *const *d;
	size_t nd = rdata_index_deployments(pg->x, idx, &d);
	rout_printf(o, "<section class=\"service\" id=\"%s\">\n<h2>Service ",
	    hutil_svc_anchor(anchor, sizeof(anchor), idx));
	hutil_esc(o, s);
	if (sv.cluster != NULL) {
		rout_puts(o, "<small>cluster ");
		hutil_esc(o, sv.cluster);
		rout_puts(o, "</small>");
	}
	rout_puts(o, "</h2>\n");
	service_cards(o, &sv);

	hchart c;
	/* tasks by revision: stacked bands; the lead chart */
	svc_chart(&c, "Tasks by revision", "tasks", idx, pg);
	c.integer = true;
	c.lead = true;
	char prefix[300];
	snprintf(prefix, sizeof(prefix), "service/%s/rev/", s);
	size_t pl = strlen(prefix), nrev = 0;
	for (size_t i = 0; i < rec_series_count(r); i++) {
		const char *name = rec_series_name(r, (int)i);
		if (strncmp(name, prefix, pl) == 0 && name[pl] != '\0')
			hchart_add(&c, r, (int)i, name + pl, hutil_color(nrev++),
			    HCHART_AREA, 0, false);
	}
	hchart_add(&c, r, rdata_series(r, "service", s, "desired"), "desired",
	    "#111827", HCHART_DASH, 0, true);
	/* no revision series: the next chart leads */
	bool led = hchart_has_data(&c);
	hchart_draw(o, r, &c, T);

	svc_chart(&c, "Healthy vs desired", "tasks", idx, pg);
	c.integer = true;
	c.lead = !led;
	hchart_add(&c, r, rdata_series(r, "service", s, "desired"), "desired",
	    "#6b7280", HCHART_LINE, 0, false);
	hchart_add(&c, r, rdata_series(r, "service", s, "running"), "running",
	    "#2563eb", HCHART_LINE, 0, false);
	hchart_add(&c, r, rdata_series(r, "service", s, "healthy"), "healthy",
	    "#16a34a", HCHART_LINE, 0, false);
	hchart_add(&c, r, rdata_series(r, "service", s, "pending"), "pending",
	    "#d97706", HCHART_LINE, 0, false);
	hchart_add(&c, r, rdata_series(r, "service", s, "minHealthy"),
	    "minimum healthy", "#dc2626", HCHART_DASH, 0, true);
	led = led || hchart_has_data(&c);
	hchart_draw(o, r, &c, T);

	svc_chart(&c, "CPU and memory utilization", "%", idx, pg);
	c.floor_max = 100;
	c.lead = !led;
	hchart_add(&c, r, rdata_series(r, "service", s, "cpu"), "CPU", "#2563eb",
	    HCHART_LINE, 0, false);
	hchart_add(&c, r, rdata_series(r, "service", s, "memory"), "memory",
	    "#7c3aed", HCHART_LINE, 0, false);
	hchart_add(&c, r, rdata_series(r, "service", s, "cpuTarget"),
	    "CPU target", "#dc2626", HCHART_DASH, 0, true);
	led = led || hchart_has_data(&c);
	hchart_draw(o, r, &c, T);

	const char *si = rec_info_get(r, "sampleInterval");
	snprintf(title, sizeof(title), "Requests per %s interval",
	    si ? si : "sample");
	svc_chart(&c, title, "requests", idx, pg);
	c.integer = true;
	c.lead = !led;
	hchart_add(&c, r, rdata_series(r, "service", s, "requests"), "requests",
	    "#2563eb", HCHART_LINE, 0, false);
	led = led || hchart_has_data(&c);
	hchart_draw(o, r, &c, T);

	svc_chart(&c, "Errors, % of requests", "%", idx, pg);
	c.lead = !led;
	hchart_add_ratio(&c, r, rdata_series(r, "service", s, "errors"),
	    rdata_series(r, "service", s, "requests"), "5xx errors / requests",
	    "#dc2626");
	led = led || hchart_has_data(&c);
	hchart_draw(o, r, &c, T);

	svc_chart(&c, "Latency (log scale)", "ms", idx, pg);
	c.log_y = true;
	c.lead = !led;
	hchart_add(&c, r, rdata_series(r, "service", s, "latencyP50"), "p50",
	    "#16a34a", HCHART_LINE, 0, false);
	hchart_add(&c, r, rdata_series(r, "service", s, "latencyP95"), "p95",
	    "#d97706", HCHART_LINE, 0, false);
	hchart_add(&c, r, rdata_series(r, "service", s, "latencyP99"), "p99",
	    "#dc2626", HCHART_LINE, 0, false);
	hchart_draw(o, r, &c, T);

	const bool *has = pg->panel[idx];
	deployments_table(o, d, nd, has, idx, pg->table_rows);
	size_t shown = 0;
	for (size_t i = 0; i < nd; i++)
		if (has[i]) {
			hgantt_panel(o, r, d[i], idx, i, T);
			shown++;
		}
	if (shown < nd)
		rout_printf(o, "<p class=\"more\">Zoom panels for %zu of %zu "
		    "deployments (failed and unfinished ones first; at most %d per "
		    "service and %d per page); the table above lists them.</p>\n",
		    shown, nd, PANELS_PER_SERVICE, PANELS_PER_PAGE);
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
		hchart_add(c, r, (int)i, label, hutil_color((*color)++), style, 0,
		    false);
	}
}

static void
cluster_section(rout *o, const recorder *r, sim_time T)
{
	char b1[64], b2[64];
	const char **names;
	size_t n = rdata_clusters(r, &names);
	hchart c, res, cost;
	size_t color = 0;
	/* scaling of what is not a service: Auto Scaling groups */
	const rec_fact **marks = xcalloc(rec_fact_count(r, "scaling_activity") + 1,
	    sizeof(*marks));
	size_t nmarks = 0;
	for (size_t i = 0; i < rec_fact_count(r, "scaling_activity"); i++) {
		const rec_fact *f = rec_fact_at(r, "scaling_activity", i);
		const char *rs = rec_fact_get_str(f, "resource");
		if (rs == NULL || strncmp(rs, "service/", 8) != 0)
			marks[nmarks++] = f;
	}
	hchart_init(&c, "Container instances", "instances");
	c.integer = true;
	c.lead = true;
	c.marks = marks;
	c.nmarks = nmarks;
	c.faults = true;
	add_each(&c, r, "cluster", "instances", "", HCHART_LINE, &color);
	add_each(&c, r, "asg", "desired", " (ASG desired)", HCHART_DASH, &color);
	hchart_init(&res, "Cluster reservation", "%");
	res.floor_max = 100;
	color = 0;
	add_each(&res, r, "cluster", "cpuReservation", " CPU", HCHART_LINE,
	    &color);
	add_each(&res, r, "cluster", "memoryReservation", " memory", HCHART_DASH,
	    &color);
	add_each(&res, r, "cp", "reservation", " (capacity provider)",
	    HCHART_LINE, &color);
	hchart_init(&cost, "Cost so far", "USD");
	color = 0;
	add_each(&cost, r, "cluster", "costUSD", "", HCHART_LINE, &color);
	bool charts = hchart_has_data(&c) || hchart_has_data(&res) ||
	    hchart_has_data(&cost);
	if (n == 0 && !charts) {
		free(marks);
		free(names);
		return;
	}
	rout_puts(o, "<section class=\"clusters\" id=\"clusters\">\n"
	    "<h2>Clusters</h2>\n");
	hchart_draw(o, r, &c, T);
	hchart_draw(o, r, &res, T);
	hchart_draw(o, r, &cost, T);
	if (n > 0) {
		rout_puts(o, "<table>\n<thead><tr><th>Cluster</th><th class=\"n\">"
		    "Peak instances</th><th class=\"n\">Instance-hours</th>"
		    "<th class=\"n\">Cost</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < n; i++) {
			rdata_cluster cs;
			rdata_cluster_stats(r, names[i], &cs);
			rout_puts(o, "<tr>");
			hutil_td(o, NULL, names[i]);
			if (isnan(cs.peak_instances))
				hutil_td(o, "n", "");
			else {
				rdata_num(b1, sizeof(b1), cs.peak_instances);
				if (cs.peak_from_samples) {
					size_t len = strlen(b1);
					snprintf(b1 + len, sizeof(b1) - len, " at %s",
					    simtime_clock(cs.peak_at, b2, sizeof(b2)));
				}
				hutil_td(o, "n", b1);
			}
			if (isnan(cs.instance_hours))
				hutil_td(o, "n", "");
			else {
				snprintf(b1, sizeof(b1), "%.2f", cs.instance_hours);
				hutil_td(o, "n", b1);
			}
			hutil_td(o, "n", isnan(cs.cost_usd) ? "" : rdata_usd(b1,
			    sizeof(b1), cs.cost_usd));
			rout_puts(o, "</tr>\n");
		}
		rout_puts(o, "</tbody></table>\n");
	}
	free(marks);
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
	rout_printf(o, "<section class=\"scaling\" id=\"scaling\">\n<h2>Scaling "
	    "activities <small>%zu</small></h2>\n<table>\n<thead><tr><th "
	    "class=\"n\">Time</th><th>Resource</th><th class=\"k n\">From "
	    "&#8594; to</th><th>Policy</th><th>Cause</th></tr></thead>\n"
	    "<tbody>\n", n);
	for (size_t i = 0; i < n && i < TABLE_MAX; i++) {
		rec_fact *f = rec_fact_at(r, "scaling_activity", i);
		sim_time t;
		rout_puts(o, "<tr>");
		hutil_td(o, "n", hutil_fact_time(f, "time", &t) ?
		    simtime_clock(t, b1, sizeof(b1)) : "");
		hutil_td(o, NULL, rec_fact_get_str(f, "resource"));
		if (rec_fact_get(f, "from") != NULL && rec_fact_get(f, "to") != NULL)
			snprintf(buf, sizeof(buf), "%lld \xE2\x86\x92 %lld",
			    (long long)rec_fact_get_int(f, "from", 0),
			    (long long)rec_fact_get_int(f, "to", 0));
		else
			buf[0] = '\0';
		hutil_td(o, "n", buf);
		hutil_td(o, NULL, rec_fact_get_str(f, "policy"));
		hutil_td(o, "w", rec_fact_get_str(f, "cause"));
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
	rout_printf(o, "<section class=\"placement\" id=\"placement\">\n"
	    "<h2>Placement failures <small>%zu</small></h2>\n<table>\n<thead><tr>"
	    "<th class=\"n\">Time</th><th>Service</th><th>Message</th></tr>"
	    "</thead>\n<tbody>\n", n);
	for (size_t i = 0; i < n && i < TABLE_MAX; i++) {
		rec_fact *f = rec_fact_at(r, "placement_failure", i);
		sim_time t;
		rout_puts(o, "<tr>");
		hutil_td(o, "n", hutil_fact_time(f, "time", &t) ?
		    simtime_clock(t, b1, sizeof(b1)) : "");
		hutil_td(o, NULL, rec_fact_get_str(f, "service"));
		hutil_td(o, "w", rec_fact_get_str(f, "message"));
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
	rout_printf(o, "<section class=\"assumptions\" id=\"assumptions\">\n"
	    "<h2>Assumptions in force <small>%zu</small></h2>\n<table>\n<thead>"
	    "<tr><th>Parameter</th><th>Value</th><th>Tag</th><th>Note</th></tr>"
	    "</thead>\n<tbody>\n", n);
	for (size_t i = 0; i < n; i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		/* a long dotted name may break after each dot */
		rout_puts(o, "<tr><td class=\"w\">");
		for (const char *p = name; *p != '\0';) {
			size_t len = strcspn(p, ".");
			char *part = xstrndup(p, len);
			hutil_esc(o, part);
			free(part);
			p += len;
			if (*p == '.') {
				rout_puts(o, ".<wbr>");
				p++;
			}
		}
		rout_puts(o, "</td>");
		hutil_td(o, "w", value);
		rout_puts(o, "<td><span class=\"b tag\">");
		hutil_esc(o, tag);
		rout_puts(o, "</span></td>");
		hutil_td(o, "w", note);
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
	page pg;
	page_init(&pg, r);
	head(o, r);
	run_section(o, r);
	toc(o, r, res, &pg);
	verdict_section(o, res);
	for (size_t i = 0; i < pg.n; i++)
		service_section(o, r, i, &pg, T);
	page_fini(&pg);
	cluster_section(o, r, T);
	scaling_section(o, r);
	hevents_section(o, r);
	placement_section(o, r);
	assumptions_section(o, r);
	const char *ver = rec_info_get(r, "ecsimVersion");
	rout_puts(o, "<footer>Simulated by ecsim");
	if (ver != NULL) {
		rout_putc(o, ' ');
		hutil_esc(o, ver);
	}
	rout_puts(o, ". Times are simulated time since the start of the "
	    "scenario.</footer>\n</main>\n</body>\n</html>\n");
}
