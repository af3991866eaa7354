/*
 * summary_text — the terminal summary (see summary_text.h).
 *
 * Layout: section titles at column 0, "label:" lines at column 2 with
 * values from column LABEL_COL, details indented under them. All text
 * goes through rtext_wrap, which is what keeps every line within
 * RTEXT_WIDTH columns whatever the scenario's names and notes are. Every
 * number and phrase comes from rdata (the JSON and the HTML say the
 * same).
 */
#include "reports/summary_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/faults_text.h"
#include "reports/rdata.h"
#include "sim/xalloc.h"

#define LABEL_COL 22
/* Deployments listed per service before "... and N more". */
#define DEPLOYMENTS_SHOWN 5
/* Scaling activities shown per service before "... and N more". */
#define SHOW_MAX 4
/* Placement failures shown before "... and N more". */
#define PLACEMENT_MAX 3

/* Display width of n bytes of UTF-8 (continuation bytes take no column). */
static int
u8width(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	return w;
}

/* Bytes of s (n bytes) making up at most cols columns, on a character
 * boundary (at least one character). */
static size_t
u8prefix(const char *s, size_t n, int cols)
{
	size_t i = 0;
	int w = 0;
	while (i < n) {
		size_t k = i + 1;
		while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
			k++;
		if (w + 1 > cols && i > 0)
			break;
		w++;
		i = k;
	}
	return i;
}

static void
newline_indent(rout *o, int indent)
{
	rout_printf(o, "\n%*s", indent, "");
}

void
rtext_wrap(rout *o, int col, int indent, const char *text)
{
	const char *p = text ? text : "";
	bool words = false; /* the current line has a word of text */
	if (indent > RTEXT_WIDTH - 20)
		indent = RTEXT_WIDTH - 20;
	for (;;) {
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		const char *w = p;
		while (*p != '\0' && *p != ' ' && *p != '\n' && *p != '\t' &&
		    *p != '\r')
			p++;
		size_t n = (size_t)(p - w);
		int wl = u8width(w, n);
		if (col + (words ? 1 : 0) + wl > RTEXT_WIDTH &&
		    (words || col > indent)) {
			newline_indent(o, indent);
			col = indent;
			words = false;
		}
		/* a word longer than a line is broken */
		while (col + wl > RTEXT_WIDTH) {
			size_t b = u8prefix(w, n, RTEXT_WIDTH - col);
			rout_write(o, w, b);
			wl -= u8width(w, b);
			w += b;
			n -= b;
			newline_indent(o, indent);
			col = indent;
		}
		if (words) {
			rout_putc(o, ' ');
			col++;
		}
		rout_write(o, w, n);
		col += wl;
		words = true;
	}
	rout_putc(o, '\n');
}

/* "  label:      value" with the value wrapped under itself. */
static void
kv(rout *o, int indent, const char *label, const char *value)
{
	rout_printf(o, "%*s%s:", indent, "", label);
	int col = indent + u8width(label, strlen(label)) + 1;
	if (col < LABEL_COL) {
		rout_printf(o, "%*s", LABEL_COL - col, "");
		col = LABEL_COL;
	} else {
		rout_putc(o, ' ');
		col++;
	}
	rtext_wrap(o, col, LABEL_COL, value);
}

/* A line of free text at indent, wrapped at indent + hang. */
static void
line(rout *o, int indent, int hang, const char *text)
{
	rout_printf(o, "%*s", indent, "");
	rtext_wrap(o, indent, indent + hang, text);
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

/* ---- the run ---- */

static void
run_header(rout *o, const recorder *r)
{
	char b1[64], b2[64], buf[512];
	const char *name = rec_info_get(r, "scenario");
	rout_puts(o, "ecsim run");
	if (name != NULL) {
		rout_puts(o, ": ");
		rtext_wrap(o, 11, 2, name);
	} else
		rout_putc(o, '\n');
	const char *s;
	if ((s = rec_info_get(r, "scenarioFile")) != NULL)
		kv(o, 2, "file", s);
	if ((s = rec_info_get(r, "seed")) != NULL) {
		const char *gen = rec_info_get(r, "generator");
		const char *gsl = rec_info_get(r, "gslVersion");
		if (gen != NULL && gsl != NULL)
			snprintf(buf, sizeof(buf), "%s (generator %s, GSL %s)", s, gen,
			    gsl);
		else if (gen != NULL)
			snprintf(buf, sizeof(buf), "%s (generator %s)", s, gen);
		else
			snprintf(buf, sizeof(buf), "%s", s);
		kv(o, 2, "seed", buf);
	}
	const char *dur = rec_info_get(r, "duration");
	const char *si = rec_info_get(r, "sampleInterval");
	const char *ev = rec_info_get(r, "events");
	if (dur != NULL || rec_row_count(r) > 0) {
		size_t n = 0;
		if (dur == NULL)
			dur = simtime_format(rdata_duration(r), b1, sizeof(b1));
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", dur);
		if (si != NULL)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			    ", sampled every %s", si);
		if (ev != NULL && n < sizeof(buf)) {
			char *end;
			double d = strtod(ev, &end);
			snprintf(buf + n, sizeof(buf) - n, "; %s engine events",
			    end != ev && *end == '\0' ? rdata_count(b2, sizeof(b2), d) :
			    ev);
		}
		kv(o, 2, "duration", buf);
	}
}

/* ---- services ---- */

/* "5 failed: 5 TaskFailedToStart (Essential container in task exited)":
 * the stop codes and reasons of the deployment's failed tasks, from the
 * task records. */
static void
failed_tasks(rout *o, const recorder *r, const rec_fact *d)
{
	if (rec_fact_get_int(d, "tasksFailed", 0) <= 0)
		return;
	rdata_task *t;
	size_t n = rdata_dep_task_list(r, d, &t);
	char buf[1024];
	size_t len = 0, groups = 0;
	buf[0] = '\0';
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
		size_t same = 0;
		for (size_t k = i; k < n; k++)
			same += t[k].failed && t[k].launched &&
			    strcmp(t[k].stop_code, t[i].stop_code) == 0 &&
			    strcmp(t[k].stopped_reason, t[i].stopped_reason) == 0;
		if (len < sizeof(buf))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    "%s%zu %s%s%s%s", groups ? "; " : "", same,
			    t[i].stop_code[0] ? t[i].stop_code : "stopped",
			    t[i].stopped_reason[0] ? " (" : "", t[i].stopped_reason,
			    t[i].stopped_reason[0] ? ")" : "");
		groups++;
	}
	free(t);
	if (groups > 0) {
		char line_buf[1100];
		snprintf(line_buf, sizeof(line_buf), "failed tasks: %s", buf);
		line(o, 4, 2, line_buf);
	}
}

static void
deployment(rout *o, const recorder *r, const rec_fact *f, size_t i)
{
	char b1[512], b2[512], buf[1200];
	snprintf(buf, sizeof(buf), "Deployment %zu: %s", i + 1,
	    rdata_dep_title(b1, sizeof(b1), f));
	line(o, 2, 4, buf);

	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s",
	    rdata_dep_span(b1, sizeof(b1), f));
	if (rec_fact_get_num(f, "circuitBreakerTriggered", 0) != 0 &&
	    n < sizeof(buf)) {
		const char *tgt = rec_fact_get_str(f, "rollbackTarget");
		if (tgt != NULL && tgt[0] != '\0')
			snprintf(buf + n, sizeof(buf) - n,
			    "; circuit breaker triggered, rolled back to %s", tgt);
		else
			snprintf(buf + n, sizeof(buf) - n,
			    "; circuit breaker triggered, no rollback");
	}
	line(o, 4, 2, buf);

	rdata_dep_tasks(b1, sizeof(b1), f);
	rdata_dep_lowest(b2, sizeof(b2), f);
	if (b1[0] != '\0' || b2[0] != '\0') {
		snprintf(buf, sizeof(buf), "%s%s%s%s", b1[0] ? "tasks: " : "", b1,
		    b1[0] && b2[0] ? "; " : "", b2[0] ? "lowest healthy " : "");
		n = strlen(buf);
		snprintf(buf + n, sizeof(buf) - n, "%s", b2);
		line(o, 4, 2, buf);
	}
	failed_tasks(o, r, f);
	if (rdata_dep_phases(b1, sizeof(b1), f)[0] != '\0') {
		snprintf(buf, sizeof(buf), "where the time went (mean per task): %s",
		    b1);
		line(o, 4, 2, buf);
	}
}

/* A deployment's rank for being listed: failed or unfinished first,
 * then rollbacks, then the others. */
static int
dep_rank(const rec_fact *d)
{
	const char *st = rec_fact_get_str(d, "rolloutState");
	if (st == NULL || strcmp(st, "COMPLETED") != 0)
		return 0;
	return rec_fact_get_num(d, "rollback", 0) != 0 ? 1 : 2;
}

/* The service's deployments: all of them up to DEPLOYMENTS_SHOWN, else
 * that many by rank (in order), and one line for the rest. */
static void
deployments(rout *o, const recorder *r, rec_fact *const *d, size_t nd)
{
	bool *show = xcalloc(nd + 1, sizeof(bool));
	size_t k = 0;
	for (int rank = 0; rank <= 2; rank++)
		for (size_t i = 0; i < nd && k < DEPLOYMENTS_SHOWN; i++)
			if (!show[i] && dep_rank(d[i]) == rank) {
				show[i] = true;
				k++;
			}
	size_t states[3] = {0, 0, 0}; /* COMPLETED, FAILED, other */
	sim_time lo = 0, hi = 0;
	bool any = false;
	for (size_t i = 0; i < nd; i++) {
		if (show[i]) {
			deployment(o, r, d[i], i);
			continue;
		}
		const char *st = rec_fact_get_str(d[i], "rolloutState");
		states[st && strcmp(st, "COMPLETED") == 0 ? 0 :
		    st && strcmp(st, "FAILED") == 0 ? 1 : 2]++;
		sim_time t;
		if (fact_time(d[i], "duration", &t)) {
			if (!any || t < lo)
				lo = t;
			if (!any || t > hi)
				hi = t;
			any = true;
		}
	}
	free(show);
	if (nd <= k)
		return;
	char b1[64], b2[64], buf[256];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "... and %zu more "
	    "deployments: %zu COMPLETED", nd - k, states[0]);
	if (states[1] > 0 && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", %zu FAILED",
		    states[1]);
	if (states[2] > 0 && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", %zu other",
		    states[2]);
	if (any && n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, "; %s to %s each",
		    rdata_dur(b1, sizeof(b1), lo), rdata_dur(b2, sizeof(b2), hi));
	line(o, 2, 4, buf);
}

static void
activity_line(rout *o, const rec_fact *f, bool with_resource)
{
	char b1[64], b2[512], buf[1024];
	sim_time t = 0;
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s ",
	    fact_time(f, "time", &t) ? simtime_clock(t, b1, sizeof(b1)) : "?");
	const char *res = rec_fact_get_str(f, "resource");
	if (with_resource && res != NULL && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s ", res);
	if (rec_fact_get(f, "from") != NULL && rec_fact_get(f, "to") != NULL &&
	    n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%lld -> %lld ",
		    (long long)rec_fact_get_int(f, "from", 0),
		    (long long)rec_fact_get_int(f, "to", 0));
	if (n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, "%s",
		    rdata_scaling_short(b2, sizeof(b2), f));
	line(o, 4, 9, buf);
}

static void
service_scaling(rout *o, const rdata_index *x, size_t svc, const rdata_svc *sv)
{
	char buf[128];
	const rec_fact *const *acts;
	size_t n = rdata_index_scaling(x, svc, &acts);
	if (n == 0)
		return;
	snprintf(buf, sizeof(buf), "%zu activit%s", n, n == 1 ? "y" : "ies");
	kv(o, 2, "scaling", buf);
	size_t shown = n < SHOW_MAX ? n : SHOW_MAX;
	for (size_t i = 0; i < shown; i++)
		activity_line(o, acts[i], false);
	if (n > shown)
		rout_printf(o, "    ... and %zu more\n", n - shown);
	(void)sv;
}

static void
service_section(rout *o, const recorder *r, const rdata_index *x, size_t svc)
{
	char b1[64], b2[64], b3[64], b4[64], buf[512];
	const char *s = rdata_index_name(x, svc);
	rdata_svc sv;
	rdata_index_stats(x, svc, &sv);
	rout_putc(o, '\n');
	if (sv.cluster != NULL)
		snprintf(buf, sizeof(buf), "Service %s (cluster %s)", s, sv.cluster);
	else
		snprintf(buf, sizeof(buf), "Service %s", s);
	line(o, 0, 2, buf);
	rec_fact *const *d;
	size_t nd = rdata_index_deployments(x, svc, &d);
	deployments(o, r, d, nd);

	if (sv.has_peak_running) {
		size_t n = (size_t)snprintf(buf, sizeof(buf), "peak %s at %s",
		    rdata_num(b1, sizeof(b1), sv.peak_running),
		    simtime_clock(sv.peak_running_at, b2, sizeof(b2)));
		if (!isnan(sv.peak_desired) && n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - n, " (desired peak %s)",
			    rdata_num(b3, sizeof(b3), sv.peak_desired));
		kv(o, 2, "running tasks", buf);
	}
	if (sv.lowest_healthy >= 0) {
		size_t n = (size_t)snprintf(buf, sizeof(buf), "%lld",
		    (long long)sv.lowest_healthy);
		if (sv.lowest_healthy_since > 0 && n < sizeof(buf))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			    " after creation");
		if (sv.lowest_healthy_outside >= 0 && n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - n, " (%lld outside deployments)",
			    (long long)sv.lowest_healthy_outside);
		kv(o, 2, "lowest healthy", buf);
	}
	if (sv.placement_failures > 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)sv.placement_failures);
		kv(o, 2, "placement failures", buf);
	}
	service_scaling(o, x, svc, &sv);
	if (sv.has_traffic && sv.requests > 0) {
		snprintf(buf, sizeof(buf), "%s, errors %s (%s)",
		    rdata_count(b1, sizeof(b1), (double)sv.requests),
		    rdata_count(b2, sizeof(b2), (double)sv.errors),
		    rdata_pct(b3, sizeof(b3), sv.error_percent));
		kv(o, 2, "requests", buf);
	}
	if (isfinite(sv.p50) || isfinite(sv.p95) || isfinite(sv.p99)) {
		snprintf(buf, sizeof(buf), "p50 %s ms, p95 %s ms, p99 %s ms",
		    rdata_num(b1, sizeof(b1), sv.p50), rdata_num(b2, sizeof(b2), sv.p95),
		    rdata_num(b3, sizeof(b3), sv.p99));
		kv(o, 2, "latency", buf);
	}
	if (isfinite(sv.cost_usd))
		kv(o, 2, "cost", rdata_usd(b4, sizeof(b4), sv.cost_usd));
}

/* ---- clusters, capacity, placement ---- */

static void
cluster_section(rout *o, const recorder *r, const char *c)
{
	char b1[64], b2[64], buf[256];
	rdata_cluster cs;
	rdata_cluster_stats(r, c, &cs);
	rout_putc(o, '\n');
	snprintf(buf, sizeof(buf), "Cluster %s", c);
	line(o, 0, 2, buf);
	size_t n = 0;
	buf[0] = '\0';
	if (!isnan(cs.peak_instances)) {
		n += (size_t)snprintf(buf, sizeof(buf), "peak %s",
		    rdata_num(b1, sizeof(b1), cs.peak_instances));
		if (cs.peak_from_samples)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " at %s",
			    simtime_clock(cs.peak_at, b2, sizeof(b2)));
	}
	if (isfinite(cs.instance_hours) && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%.2f "
		    "instance-hours", n ? ", " : "", cs.instance_hours);
	if (n > 0)
		kv(o, 2, "instances", buf);
	if (isfinite(cs.cost_usd))
		kv(o, 2, "cost", rdata_usd(b1, sizeof(b1), cs.cost_usd));
}

/* Scaling activities not of a service (Auto Scaling groups). */
static void
other_scaling(rout *o, const recorder *r)
{
	size_t total = 0;
	for (size_t i = 0; i < rec_fact_count(r, "scaling_activity"); i++) {
		const char *res = rec_fact_get_str(rec_fact_at(r, "scaling_activity",
		    i), "resource");
		if (res == NULL || strncmp(res, "service/", 8) != 0)
			total++;
	}
	if (total == 0)
		return;
	rout_printf(o, "\nCapacity scaling activities (%zu)\n", total);
	size_t shown = 0;
	for (size_t i = 0; i < rec_fact_count(r, "scaling_activity") &&
	    shown < SHOW_MAX; i++) {
		rec_fact *f = rec_fact_at(r, "scaling_activity", i);
		const char *res = rec_fact_get_str(f, "resource");
		if (res != NULL && strncmp(res, "service/", 8) == 0)
			continue;
		activity_line(o, f, true);
		shown++;
	}
	if (total > shown)
		rout_printf(o, "    ... and %zu more\n", total - shown);
}

static void
placement_failures(rout *o, const recorder *r)
{
	char b1[64], buf[1024];
	size_t n = rec_fact_count(r, "placement_failure");
	if (n == 0)
		return;
	rout_printf(o, "\nPlacement failures (%zu)\n", n);
	for (size_t i = 0; i < n && i < PLACEMENT_MAX; i++) {
		rec_fact *f = rec_fact_at(r, "placement_failure", i);
		sim_time t = 0;
		const char *s = rec_fact_get_str(f, "service");
		const char *msg = rec_fact_get_str(f, "message");
		snprintf(buf, sizeof(buf), "%s %s%s%s",
		    fact_time(f, "time", &t) ? simtime_clock(t, b1, sizeof(b1)) : "?",
		    s ? s : "", s ? ": " : "", msg ? msg : "");
		line(o, 2, 9, buf);
	}
	if (n > PLACEMENT_MAX)
		rout_printf(o, "  ... and %zu more\n", n - PLACEMENT_MAX);
}

/* One line for the run when it has more than one service or cluster
 * (otherwise the sections above already said it all). */
static void
run_totals(rout *o, const recorder *r, size_t nservices, size_t nclusters)
{
	char b1[64], b2[64], b3[64], buf[512];
	rec_fact *f = rec_fact_at(r, "run", 0);
	if (nservices <= 1 && nclusters <= 1)
		return;
	size_t n = 0;
	buf[0] = '\0';
	if (f != NULL && rec_fact_get(f, "tasksLaunched") != NULL)
		n += (size_t)snprintf(buf, sizeof(buf), "%s tasks launched",
		    rdata_count(b1, sizeof(b1),
		    (double)rec_fact_get_int(f, "tasksLaunched", 0)));
	int64_t req, errs;
	if (rdata_traffic(r, NULL, &req, &errs) && req > 0 && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "%s%s requests, %s errors (%s)", n ? "; " : "",
		    rdata_count(b1, sizeof(b1), (double)req),
		    rdata_count(b2, sizeof(b2), (double)errs),
		    rdata_pct(b3, sizeof(b3), rdata_error_percent(req, errs)));
	double cost = f ? rec_fact_get_num(f, "costUSD", (double)NAN) :
	    (double)NAN;
	if (isfinite(cost) && n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, "%scost %s", n ? "; " : "",
		    rdata_usd(b1, sizeof(b1), cost));
	if (buf[0] == '\0')
		return;
	rout_puts(o, "\nRun: ");
	rtext_wrap(o, 5, 2, buf);
}

/* ---- verdicts, assumptions, where to read more ---- */

static void
verdicts(rout *o, const expect_result *res)
{
	if (res == NULL || expect_result_count(res) == 0)
		return;
	size_t n = expect_result_count(res), failed = expect_result_failed(res);
	rout_printf(o, "\nExpectations: %zu passed, %zu failed\n", n - failed,
	    failed);
	/* failures first, with what was measured; then one line per pass */
	for (int pass = 0; pass <= 1; pass++)
		for (size_t i = 0; i < n; i++) {
			const expect_verdict *v = expect_result_at(res, i);
			if (v->pass != (pass == 1))
				continue;
			rout_puts(o, v->pass ? "  PASS  " : "  FAIL  ");
			rtext_wrap(o, 8, 8, v->name);
			if (!v->pass)
				line(o, 8, 0, v->message);
		}
}

static void
assumption_list(rout *o, const recorder *r)
{
	char buf[1024];
	size_t n = rec_assumption_count(r);
	rout_printf(o, "\nAssumptions in force (%zu)\n", n);
	for (size_t i = 0; i < n; i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		snprintf(buf, sizeof(buf), "%s = %s [%s]", name, value, tag);
		line(o, 2, 4, buf);
		if (note != NULL && note[0] != '\0')
			line(o, 6, 0, note);
	}
}

/* "Assumptions: 35 INF, 8 OBS, ... ; 1 set by the scenario: a = b - list
 * them with --assumptions" */
static void
assumption_counts(rout *o, const recorder *r)
{
	const char *tags[16];
	size_t counts[16];
	size_t nt = rdata_assumption_tags(r, tags, counts, 16);
	rout *b = rout_mem();
	size_t nset = 0;
	for (size_t k = 0; k < nt; k++) {
		if (strcmp(tags[k], "SET") == 0) {
			nset = counts[k];
			continue;
		}
		rout_printf(b, "%s%zu %s%s", rout_length(b) ? ", " : "", counts[k],
		    tags[k], strcmp(tags[k], "DOC") == 0 ? " defaults" :
		    strcmp(tags[k], "NOTE") == 0 ? " (accepted, no effect)" : "");
	}
	if (nset > 0) {
		rout_printf(b, "; %zu set by the scenario:", nset);
		size_t k = 0;
		for (size_t i = 0; i < rec_assumption_count(r); i++) {
			const char *name, *value, *tag, *note;
			rec_assumption_at(r, i, &name, &value, &tag, &note);
			if (strcmp(tag, "SET") == 0)
				rout_printf(b, "%s %s = %s", k++ ? "," : "", name, value);
		}
	}
	rout_puts(b, " - list them with --assumptions");
	rout_puts(o, "\nAssumptions: ");
	rtext_wrap(o, 13, 2, rout_mem_text(b, NULL));
	rout_free(b);
}

static void
read_more(rout *o, const rtext_opts *opts)
{
	rout *b = rout_mem();
	if (opts != NULL && opts->outdir != NULL)
		rout_printf(b, "report: %s/report.html (charts, each deployment, "
		    "events); summary.json, timeline.csv, events.log beside it",
		    opts->outdir);
	else
		rout_puts(b, "more: -o DIR writes report.html (charts, each "
		    "deployment, events), summary.json, timeline.csv, events.log");
	rout_putc(o, '\n');
	rtext_wrap(o, 0, 2, rout_mem_text(b, NULL));
	rout_free(b);
}

void
rtext_write_opts(rout *o, const recorder *r, const expect_result *res,
    const rtext_opts *opts)
{
	const char **names;
	size_t ns, nc;
	run_header(o, r);
	rdata_index *x = rdata_index_new(r);
	ns = rdata_index_count(x);
	for (size_t i = 0; i < ns; i++)
		service_section(o, r, x, i);
	rdata_index_free(x);
	nc = rdata_clusters(r, &names);
	for (size_t i = 0; i < nc; i++)
		cluster_section(o, r, names[i]);
	free(names);
	other_scaling(o, r);
	placement_failures(o, r);
	rfaults_text(o, r); /* faults and the Spot cost split (faults_text.h) */
	run_totals(o, r, ns, nc);
	verdicts(o, res);
	if (rec_assumption_count(r) > 0) {
		if (opts != NULL && opts->all_assumptions)
			assumption_list(o, r);
		else
			assumption_counts(o, r);
	}
	if (opts == NULL || !opts->no_read_more)
		read_more(o, opts);
}

void
rtext_write(rout *o, const recorder *r, const expect_result *res)
{
	rtext_write_opts(o, r, res, NULL);
}
