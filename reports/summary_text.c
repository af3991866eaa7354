/*
 * summary_text — the terminal summary (see summary_text.h).
 *
 * Layout: section titles at column 0, "label:" lines at column 2 with
 * values from column LABEL_COL, details indented under them. All text
 * goes through rtext_wrap, which is what keeps every line within
 * RTEXT_WIDTH columns whatever the scenario's names and notes are.
 */
#include "reports/summary_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rdata.h"

#define LABEL_COL 22
/* Lines of a list shown before "... and N more". */
#define SHOW_MAX 5

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

static bool
fact_int(const rec_fact *f, const char *key, int64_t *out)
{
	const rec_value *v = rec_fact_get(f, key);
	if (v == NULL || v->type == REC_STR)
		return false;
	*out = rec_fact_get_int(f, key, 0);
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
	if ((s = rec_info_get(r, "description")) != NULL && s[0] != '\0')
		kv(o, 2, "description", s);
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
	if ((s = rec_info_get(r, "ecsimVersion")) != NULL)
		kv(o, 2, "ecsim", s);
}

/* ---- services ---- */

/* Does fact x (a stage or hook of deployment id) fall within deployment
 * record f (its id, from its start to its end)? */
static bool
of_deployment(const rec_fact *x, const rec_fact *f)
{
	const char *id = rec_fact_get_str(f, "id"), *xid = rec_fact_get_str(x, "deployment");
	sim_time start = 0, end = 0, t = 0;
	if (id == NULL || xid == NULL || strcmp(id, xid) != 0 || !fact_time(x, "start", &t))
		return false;
	if (fact_time(f, "start", &start) && t < start)
		return false;
	return !fact_time(f, "end", &end) || t <= end;
}

/* The lifecycle stages of a blue/green, linear, canary or CodeDeploy
 * deployment (facts "deployment_stage", "lifecycle_hook"): where the time
 * went, stage by stage, and the hooks' outcomes. */
static void
stages(rout *o, const recorder *r, const rec_fact *f)
{
	char b1[64], b2[64], b3[64], buf[512];
	bool first = true;
	for (size_t i = 0; i < rec_fact_count(r, "deployment_stage"); i++) {
		const rec_fact *x = rec_fact_at(r, "deployment_stage", i);
		if (!of_deployment(x, f))
			continue;
		if (first)
			line(o, 4, 2, "lifecycle stages (start, time spent, production traffic at its end):");
		first = false;
		sim_time t = 0, d = 0;
		bool has_d = fact_time(x, "duration", &d);
		fact_time(x, "start", &t);
		const char *name = rec_fact_get_str(x, "stage");
		double pct = rec_fact_get_num(x, "productionPercent", (double)NAN);
		snprintf(buf, sizeof(buf), "%s at %s, %s, %s%%", name ? name : "?",
		    simtime_clock(t, b1, sizeof(b1)),
		    has_d ? rdata_dur(b2, sizeof(b2), d) : "until the end of the run",
		    rdata_num(b3, sizeof(b3), pct));
		line(o, 6, 2, buf);
	}
	for (size_t i = 0; i < rec_fact_count(r, "lifecycle_hook"); i++) {
		const rec_fact *x = rec_fact_at(r, "lifecycle_hook", i);
		if (!of_deployment(x, f))
			continue;
		sim_time t = 0, e = 0;
		fact_time(x, "start", &t);
		bool has_e = fact_time(x, "end", &e);
		int64_t inv = 0;
		fact_int(x, "invocations", &inv);
		const char *type = rec_fact_get_str(x, "targetType");
		const char *arn = rec_fact_get_str(x, "hookTargetArn");
		const char *fn = arn ? strstr(arn, ":function:") : NULL;
		if (fn != NULL)
			arn = fn + strlen(":function:");
		size_t n = (size_t)snprintf(buf, sizeof(buf), "hook %s %s%s%s: %s",
		    rec_fact_get_str(x, "stage"), type ? type : "?",
		    arn && arn[0] ? " " : "", arn ? arn : "", rec_fact_get_str(x, "status"));
		if (n < sizeof(buf))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " after %s",
			    has_e ? rdata_dur(b1, sizeof(b1), e - t) : "(still at the end)");
		if (inv > 1 && n < sizeof(buf))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", %lld invocations", (long long)inv);
		if (rec_fact_get_num(x, "duringRollback", 0) != 0 && n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - n, " (rollback)");
		line(o, 6, 4, buf);
	}
}

static void
deployment(rout *o, const recorder *r, const rec_fact *f, size_t i)
{
	char b1[64], b2[64], b3[64], buf[1024];
	const char *td = rec_fact_get_str(f, "taskDefinition");
	const char *from = rec_fact_get_str(f, "from");
	const char *cause = rec_fact_get_str(f, "cause");
	const char *state = rec_fact_get_str(f, "rolloutState");
	size_t n = (size_t)snprintf(buf, sizeof(buf), "Deployment %zu: ", i + 1);
	if (from != NULL && from[0] != '\0')
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s -> ", from);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", td ? td : "?");
	if (cause != NULL && cause[0] != '\0' && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " (%s)", cause);
	const char *strategy = rec_fact_get_str(f, "strategy");
	if (strategy != NULL && strcmp(strategy, "ROLLING") != 0 && from != NULL &&
	    from[0] != '\0' && n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, ", %s", strategy);
	line(o, 2, 4, buf);

	sim_time start = 0, end = 0, dur = 0;
	bool has_start = fact_time(f, "start", &start);
	bool has_end = fact_time(f, "end", &end);
	bool has_dur = fact_time(f, "duration", &dur);
	if (!has_dur && has_start && has_end) {
		dur = end - start;
		has_dur = true;
	}
	n = 0;
	buf[0] = '\0';
	if (has_start)
		n += (size_t)snprintf(buf, sizeof(buf), "%s -> %s",
		    simtime_clock(start, b1, sizeof(b1)),
		    has_end ? simtime_clock(end, b2, sizeof(b2)) : "(end of run)");
	if (has_dur && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    n ? ", " : "", rdata_dur(b3, sizeof(b3), dur));
	if (n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? ", " : "",
		    state ? state : "rolloutState unknown");
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

	int64_t st, sp, fl, pf;
	if (fact_int(f, "tasksStarted", &st) && fact_int(f, "tasksStopped", &sp) &&
	    fact_int(f, "tasksFailed", &fl)) {
		n = (size_t)snprintf(buf, sizeof(buf),
		    "tasks: %lld started, %lld stopped, %lld failed", (long long)st,
		    (long long)sp, (long long)fl);
		if (fact_int(f, "placementFailures", &pf) && n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - n, "; %lld placement failure%s",
			    (long long)pf, pf == 1 ? "" : "s");
		line(o, 4, 2, buf);
	}
	int64_t low, min;
	if (fact_int(f, "lowestHealthy", &low) && low >= 0) {
		bool has_min = fact_int(f, "minimumHealthy", &min);
		bool creation = from == NULL || from[0] == '\0';
		if (creation) /* nothing to keep yet: the minimum binds updates */
			snprintf(buf, sizeof(buf), "lowest healthy: %lld (service creation)",
			    (long long)low);
		else if (has_min)
			snprintf(buf, sizeof(buf), "lowest healthy: %lld (minimum %lld)%s",
			    (long long)low, (long long)min,
			    low < min ? " - BELOW THE MINIMUM" : "");
		else
			snprintf(buf, sizeof(buf), "lowest healthy: %lld", (long long)low);
		line(o, 4, 2, buf);
	}
	static const struct {
		const char *key, *label;
	} phases[] = {
		{"timeStart", "start"}, {"timeHealth", "health"},
		{"timeDraining", "draining"}, {"timeStopping", "stopping"},
	};
	n = (size_t)snprintf(buf, sizeof(buf), "mean time per task:");
	bool any = false;
	for (size_t k = 0; k < sizeof(phases) / sizeof(phases[0]); k++) {
		double s = rec_fact_get_num(f, phases[k].key, (double)NAN);
		if (isnan(s) || n >= sizeof(buf))
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s %s %s",
		    any ? "," : "", phases[k].label, rdata_secs(b1, sizeof(b1), s));
		any = true;
	}
	if (any)
		line(o, 4, 2, buf);
	stages(o, r, f);
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

static void
activity_line(rout *o, const rec_fact *f, bool with_resource)
{
	char b1[64], buf[1024];
	sim_time t = 0;
	int64_t from = 0, to = 0;
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s ",
	    fact_time(f, "time", &t) ? simtime_clock(t, b1, sizeof(b1)) : "?");
	const char *res = rec_fact_get_str(f, "resource");
	if (with_resource && res != NULL && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s ", res);
	if (fact_int(f, "from", &from) && fact_int(f, "to", &to) &&
	    n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%lld -> %lld ",
		    (long long)from, (long long)to);
	const char *cause = rec_fact_get_str(f, "cause");
	const char *policy = rec_fact_get_str(f, "policy");
	if (policy != NULL && policy[0] != '\0' && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "(%s) ", policy);
	if (cause != NULL && n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, "%s", cause);
	line(o, 4, 9, buf);
}

static void
service_scaling(rout *o, const recorder *r, const char *cluster,
    const char *s)
{
	char buf[128];
	size_t total = 0;
	for (size_t i = 0; i < rec_fact_count(r, "scaling_activity"); i++)
		if (resource_of(rec_fact_get_str(rec_fact_at(r, "scaling_activity",
		    i), "resource"), cluster, s))
			total++;
	if (total == 0)
		return;
	snprintf(buf, sizeof(buf), "%zu", total);
	kv(o, 2, "scaling activities", buf);
	size_t shown = 0;
	for (size_t i = 0; i < rec_fact_count(r, "scaling_activity") &&
	    shown < SHOW_MAX; i++) {
		rec_fact *f = rec_fact_at(r, "scaling_activity", i);
		if (!resource_of(rec_fact_get_str(f, "resource"), cluster, s))
			continue;
		activity_line(o, f, false);
		shown++;
	}
	if (total > shown)
		rout_printf(o, "    ... and %zu more\n", total - shown);
}

static void
service_traffic(rout *o, const recorder *r, const rec_fact *sf,
    const char *s)
{
	char b1[64], b2[64], b3[64], b4[64], buf[256];
	double req = (double)NAN, errs = (double)NAN;
	if (sf != NULL && rec_fact_get(sf, "requests") != NULL) {
		req = rec_fact_get_num(sf, "requests", 0);
		errs = rec_fact_get_num(sf, "errors", 0);
	} else if (rdata_sum(r, rdata_series(r, "service", s, "requests"), &req)) {
		if (!rdata_sum(r, rdata_series(r, "service", s, "errors"), &errs))
			errs = 0;
	}
	if (!isnan(req) && req > 0) {
		snprintf(buf, sizeof(buf), "%s, errors %s (%s%%)",
		    rdata_count(b1, sizeof(b1), req), rdata_count(b2, sizeof(b2), errs),
		    rdata_num(b3, sizeof(b3), 100.0 * errs / req));
		kv(o, 2, "requests", buf);
	}
	if (sf != NULL) {
		double p50 = rec_fact_get_num(sf, "latencyP50", (double)NAN);
		double p95 = rec_fact_get_num(sf, "latencyP95", (double)NAN);
		double p99 = rec_fact_get_num(sf, "latencyP99", (double)NAN);
		if (isfinite(p50) || isfinite(p95) || isfinite(p99)) {
			snprintf(buf, sizeof(buf), "p50 %s ms, p95 %s ms, p99 %s ms",
			    rdata_num(b1, sizeof(b1), p50), rdata_num(b2, sizeof(b2), p95),
			    rdata_num(b3, sizeof(b3), p99));
			kv(o, 2, "latency", buf);
		}
		double cost = rec_fact_get_num(sf, "costUSD", (double)NAN);
		if (isfinite(cost))
			kv(o, 2, "cost", rdata_usd(b4, sizeof(b4), cost));
	}
}

static void
service_section(rout *o, const recorder *r, const char *s)
{
	char b1[64], b2[64], b3[64], buf[512];
	rec_fact *sf = rdata_fact_by(r, "service", "name", s);
	const char *cluster = sf ? rec_fact_get_str(sf, "cluster") : NULL;
	rec_fact **d;
	size_t nd = rdata_deployments(r, s, &d);
	if (cluster == NULL && nd > 0)
		cluster = rec_fact_get_str(d[0], "cluster");
	rout_putc(o, '\n');
	if (cluster != NULL)
		snprintf(buf, sizeof(buf), "Service %s (cluster %s)", s, cluster);
	else
		snprintf(buf, sizeof(buf), "Service %s", s);
	line(o, 0, 2, buf);
	for (size_t i = 0; i < nd; i++)
		deployment(o, r, d[i], i);
	free(d);

	double peak, dpeak;
	sim_time at;
	if (rdata_max(r, rdata_series(r, "service", s, "running"), 0, &peak,
	    &at)) {
		size_t n = (size_t)snprintf(buf, sizeof(buf), "%s at %s",
		    rdata_num(b1, sizeof(b1), peak), simtime_clock(at, b2, sizeof(b2)));
		if (rdata_max(r, rdata_series(r, "service", s, "desired"), 0, &dpeak,
		    NULL) && n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - n, " (desired peak %s)",
			    rdata_num(b3, sizeof(b3), dpeak));
		kv(o, 2, "peak running tasks", buf);
	} else if (sf != NULL && rec_fact_get(sf, "maxRunning") != NULL)
		kv(o, 2, "peak running tasks", rdata_num(b1, sizeof(b1),
		    rec_fact_get_num(sf, "maxRunning", 0)));
	int64_t low;
	if (sf != NULL && fact_int(sf, "lowestHealthy", &low) && low >= 0) {
		snprintf(buf, sizeof(buf), "%lld (outside deployments)",
		    (long long)low);
		kv(o, 2, "lowest healthy", buf);
	}
	int64_t pf;
	if (sf != NULL && fact_int(sf, "placementFailures", &pf) && pf > 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)pf);
		kv(o, 2, "placement failures", buf);
	}
	service_scaling(o, r, cluster, s);
	service_traffic(o, r, sf, s);
}

/* ---- clusters, capacity, placement ---- */

static void
cluster_section(rout *o, const recorder *r, const char *c)
{
	char b1[64], b2[64], buf[256];
	rec_fact *cf = rdata_fact_by(r, "cluster", "name", c);
	rout_putc(o, '\n');
	snprintf(buf, sizeof(buf), "Cluster %s", c);
	line(o, 0, 2, buf);
	double peak, fpeak = cf ? rec_fact_get_num(cf, "maxInstances", (double)NAN) :
	    (double)NAN;
	sim_time at;
	bool have = rdata_max(r, rdata_series(r, "cluster", c, "instances"), 0,
	    &peak, &at);
	if (have && !(fpeak > peak)) {
		snprintf(buf, sizeof(buf), "%s at %s", rdata_num(b1, sizeof(b1), peak),
		    simtime_clock(at, b2, sizeof(b2)));
		kv(o, 2, "peak instances", buf);
	} else if (!isnan(fpeak))
		kv(o, 2, "peak instances", rdata_num(b1, sizeof(b1), fpeak));
	double ih = cf ? rec_fact_get_num(cf, "instanceHours", (double)NAN) :
	    (double)NAN;
	if (isfinite(ih)) {
		snprintf(buf, sizeof(buf), "%.2f", ih);
		kv(o, 2, "instance-hours", buf);
	}
	double cost = cf ? rec_fact_get_num(cf, "costUSD", (double)NAN) :
	    (double)NAN;
	if (!isfinite(cost) &&
	    !rdata_last(r, rdata_series(r, "cluster", c, "costUSD"), &cost))
		cost = (double)NAN;
	if (isfinite(cost))
		kv(o, 2, "cost", rdata_usd(b1, sizeof(b1), cost));
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
	for (size_t i = 0; i < n && i < SHOW_MAX; i++) {
		rec_fact *f = rec_fact_at(r, "placement_failure", i);
		sim_time t = 0;
		const char *s = rec_fact_get_str(f, "service");
		const char *msg = rec_fact_get_str(f, "message");
		snprintf(buf, sizeof(buf), "%s %s%s%s",
		    fact_time(f, "time", &t) ? simtime_clock(t, b1, sizeof(b1)) : "?",
		    s ? s : "", s ? ": " : "", msg ? msg : "");
		line(o, 2, 9, buf);
	}
	if (n > SHOW_MAX)
		rout_printf(o, "  ... and %zu more\n", n - SHOW_MAX);
}

static void
run_totals(rout *o, const recorder *r)
{
	char b1[64], b2[64], b3[64], buf[256];
	rec_fact *f = rec_fact_at(r, "run", 0);
	if (f == NULL)
		return;
	rout_puts(o, "\nRun totals\n");
	int64_t n;
	if (fact_int(f, "tasksLaunched", &n))
		kv(o, 2, "tasks launched", rdata_count(b1, sizeof(b1), (double)n));
	double req = rec_fact_get_num(f, "requests", (double)NAN);
	double errs = rec_fact_get_num(f, "errors", 0);
	if (isfinite(req) && req > 0) {
		snprintf(buf, sizeof(buf), "%s, errors %s (%s%%)",
		    rdata_count(b1, sizeof(b1), req), rdata_count(b2, sizeof(b2), errs),
		    rdata_num(b3, sizeof(b3), 100.0 * errs / req));
		kv(o, 2, "requests", buf);
	}
	double cost = rec_fact_get_num(f, "costUSD", (double)NAN);
	if (isfinite(cost))
		kv(o, 2, "cost", rdata_usd(b1, sizeof(b1), cost));
}

/* ---- assumptions and verdicts ---- */

static void
assumptions(rout *o, const recorder *r)
{
	char buf[1024];
	size_t n = rec_assumption_count(r);
	if (n == 0)
		return;
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

static void
verdicts(rout *o, const expect_result *res)
{
	if (res == NULL || expect_result_count(res) == 0)
		return;
	size_t n = expect_result_count(res), failed = expect_result_failed(res);
	rout_printf(o, "\nExpectations: %zu passed, %zu failed\n", n - failed,
	    failed);
	for (size_t i = 0; i < n; i++) {
		const expect_verdict *v = expect_result_at(res, i);
		rout_puts(o, v->pass ? "  PASS  " : "  FAIL  ");
		rtext_wrap(o, 8, 8, v->name);
		line(o, 8, 0, v->message);
	}
}

void
rtext_write(rout *o, const recorder *r, const expect_result *res)
{
	const char **names;
	size_t n;
	run_header(o, r);
	n = rdata_services(r, &names);
	for (size_t i = 0; i < n; i++)
		service_section(o, r, names[i]);
	free(names);
	n = rdata_clusters(r, &names);
	for (size_t i = 0; i < n; i++)
		cluster_section(o, r, names[i]);
	free(names);
	other_scaling(o, r);
	placement_failures(o, r);
	run_totals(o, r);
	assumptions(o, r);
	verdicts(o, res);
}
