/*
 * metrics — a run's numbers as (key, unit, direction, value) (see
 * metrics.h).
 *
 * One extraction (extract) reads facts through a small table of access
 * functions, implemented over the recorder and over summary.json's
 * "facts" object; invariant: both sources of the same run give the same
 * set, item for item.
 */
#include "reports/metrics.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

void
rmet_init(rmet_set *m)
{
	memset(m, 0, sizeof(*m));
}

void
rmet_clear(rmet_set *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].key);
		free(m->v[i].unit);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

void
rmet_add(rmet_set *m, const char *key, const char *unit, int better,
    double value)
{
	if (!isfinite(value))
		return;
	XGROW(m->v, m->cap, m->n + 1);
	rmet_item *it = &m->v[m->n++];
	it->key = xstrdup(key);
	it->unit = xstrdup(unit);
	it->better = better;
	it->value = value == 0 ? 0.0 : value; /* no -0 */
}

const rmet_item *
rmet_find(const rmet_set *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].key, key) == 0)
			return &m->v[i];
	return NULL;
}

const char *
rmet_better_name(int better)
{
	return better == RMET_LOWER ? "lower" : better == RMET_HIGHER ?
	    "higher" : "";
}

int
rmet_better_parse(const char *s)
{
	if (s != NULL && strcmp(s, "lower") == 0)
		return RMET_LOWER;
	if (s != NULL && strcmp(s, "higher") == 0)
		return RMET_HIGHER;
	return RMET_NONE;
}

/* ---- facts, from either source ---- */

typedef struct fsrc {
	const void *self;
	size_t (*count)(const void *self, const char *table);
	/* NULL when absent or not a string */
	const char *(*str)(const void *self, const char *table, size_t i,
	    const char *key);
	/* NaN when absent or not a number (booleans read as 0/1, times as
	 * seconds) */
	double (*num)(const void *self, const char *table, size_t i,
	    const char *key);
} fsrc;

static size_t
rec_count(const void *self, const char *table)
{
	return rec_fact_count(self, table);
}

static const char *
rec_str(const void *self, const char *table, size_t i, const char *key)
{
	const rec_value *v = rec_fact_get(rec_fact_at(self, table, i), key);
	return v != NULL && v->type == REC_STR ? v->s : NULL;
}

static double
rec_num(const void *self, const char *table, size_t i, const char *key)
{
	const rec_value *v = rec_fact_get(rec_fact_at(self, table, i), key);
	if (v == NULL || v->type == REC_STR)
		return (double)NAN;
	return rec_fact_get_num(rec_fact_at(self, table, i), key, (double)NAN);
}

static const cJSON *
json_fact(const void *self, const char *table, size_t i, const char *key)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(self, table);
	const cJSON *f = cJSON_GetArrayItem(a, (int)i);
	return cJSON_GetObjectItemCaseSensitive(f, key);
}

static size_t
json_count(const void *self, const char *table)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(self, table);
	return cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
}

static const char *
json_str(const void *self, const char *table, size_t i, const char *key)
{
	return cJSON_GetStringValue(json_fact(self, table, i, key));
}

static double
json_num(const void *self, const char *table, size_t i, const char *key)
{
	const cJSON *v = json_fact(self, table, i, key);
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? 1 : 0;
	return cJSON_IsNumber(v) ? v->valuedouble : (double)NAN;
}

/* ---- the extraction ---- */

static void
add_fmt(rmet_set *m, const char *unit, int better, double v,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add_fmt(rmet_set *m, const char *unit, int better, double v,
    const char *fmt, ...)
{
	if (!isfinite(v))
		return;
	char key[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	rmet_add(m, key, unit, better, v);
}

static void
service_metrics(rmet_set *m, const fsrc *f, size_t si)
{
	const char *s = f->str(f->self, "service", si, "name");
	if (s == NULL)
		return;
	/* a negative count is the model's "never measured" */
	double lowest = f->num(f->self, "service", si, "lowestHealthy");
	if (lowest < 0)
		lowest = (double)NAN;
	size_t nd = 0;
	for (size_t i = 0; i < f->count(f->self, "deployment"); i++) {
		const char *ds = f->str(f->self, "deployment", i, "service");
		if (ds == NULL || strcmp(ds, s) != 0)
			continue;
		nd++;
		const char *from = f->str(f->self, "deployment", i, "from");
		const char *state = f->str(f->self, "deployment", i, "rolloutState");
		bool creation = from == NULL || from[0] == '\0';
		add_fmt(m, "s", RMET_LOWER,
		    f->num(f->self, "deployment", i, "duration"),
		    "service/%s/deployment/%zu/duration", s, nd);
		add_fmt(m, "0/1", RMET_HIGHER,
		    state != NULL && strcmp(state, "COMPLETED") == 0 ? 1 : 0,
		    "service/%s/deployment/%zu/completed", s, nd);
		double lh = f->num(f->self, "deployment", i, "lowestHealthy");
		if (lh < 0)
			lh = (double)NAN;
		if (!creation) {
			add_fmt(m, "tasks", RMET_HIGHER, lh,
			    "service/%s/deployment/%zu/lowestHealthy", s, nd);
			if (!isnan(lh) && (isnan(lowest) || lh < lowest))
				lowest = lh;
		}
		add_fmt(m, "tasks", RMET_LOWER,
		    f->num(f->self, "deployment", i, "tasksFailed"),
		    "service/%s/deployment/%zu/tasksFailed", s, nd);
	}
	add_fmt(m, "tasks", RMET_HIGHER, lowest, "service/%s/lowestHealthy", s);
	add_fmt(m, "tasks", RMET_NONE,
	    f->num(f->self, "service", si, "maxRunning"),
	    "service/%s/peakRunning", s);
	add_fmt(m, "failures", RMET_LOWER,
	    f->num(f->self, "service", si, "placementFailures"),
	    "service/%s/placementFailures", s);
	size_t acts = 0;
	for (size_t i = 0; i < f->count(f->self, "scaling_activity"); i++) {
		const char *as = f->str(f->self, "scaling_activity", i, "service");
		if (as != NULL && strcmp(as, s) == 0)
			acts++;
	}
	add_fmt(m, "activities", RMET_NONE, (double)acts,
	    "service/%s/scalingActivities", s);
	double req = f->num(f->self, "service", si, "requests");
	double errs = f->num(f->self, "service", si, "errors");
	add_fmt(m, "requests", RMET_NONE, req, "service/%s/requests", s);
	add_fmt(m, "requests", RMET_LOWER, errs, "service/%s/errors", s);
	if (req > 0 && !isnan(errs))
		add_fmt(m, "%", RMET_LOWER, 100.0 * errs / req,
		    "service/%s/errorPercent", s);
	static const char *const lat[] = {"latencyP50", "latencyP95",
	    "latencyP99"};
	for (size_t k = 0; k < 3; k++)
		add_fmt(m, "ms", RMET_LOWER,
		    f->num(f->self, "service", si, lat[k]), "service/%s/%s", s,
		    lat[k]);
	add_fmt(m, "USD", RMET_LOWER, f->num(f->self, "service", si, "costUSD"),
	    "service/%s/costUSD", s);
}

static void
extract(rmet_set *m, const fsrc *f)
{
	for (size_t i = 0; i < f->count(f->self, "service"); i++)
		service_metrics(m, f, i);
	for (size_t i = 0; i < f->count(f->self, "cluster"); i++) {
		const char *c = f->str(f->self, "cluster", i, "name");
		if (c == NULL)
			continue;
		add_fmt(m, "instances", RMET_NONE,
		    f->num(f->self, "cluster", i, "maxInstances"),
		    "cluster/%s/peakInstances", c);
		add_fmt(m, "h", RMET_LOWER,
		    f->num(f->self, "cluster", i, "instanceHours"),
		    "cluster/%s/instanceHours", c);
		add_fmt(m, "USD", RMET_LOWER,
		    f->num(f->self, "cluster", i, "costUSD"), "cluster/%s/costUSD", c);
	}
	if (f->count(f->self, "run") > 0) {
		add_fmt(m, "tasks", RMET_NONE,
		    f->num(f->self, "run", 0, "tasksLaunched"), "run/tasksLaunched");
		add_fmt(m, "USD", RMET_LOWER, f->num(f->self, "run", 0, "costUSD"),
		    "run/costUSD");
	}
}

/* The unit and direction of an assertion's measured value, by kind. */
static void
kind_unit(const char *kind, const char **unit, int *better)
{
	static const struct {
		const char *kind, *unit;
		int better;
	} t[] = {
		{"deploymentCompletes", "s", RMET_LOWER},
		{"healthyTasksNeverBelow", "tasks", RMET_HIGHER},
		{"runningTasksNeverAbove", "tasks", RMET_LOWER},
		{"instancesNeverAbove", "instances", RMET_LOWER},
		{"placementFailuresAtMost", "failures", RMET_LOWER},
		{"circuitBreakerTriggered", "0/1", RMET_NONE},
		{"errorRateAtMost", "%", RMET_LOWER},
		{"latencyAtMost", "ms", RMET_LOWER},
		{"costAtMost", "USD", RMET_LOWER},
		{"recoversWithin", "s", RMET_LOWER},
		{"errorsDuringFaultAtMost", "", RMET_LOWER},
	};
	*unit = "";
	*better = RMET_NONE;
	for (size_t i = 0; kind != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(kind, t[i].kind) == 0) {
			*unit = t[i].unit;
			*better = t[i].better;
		}
}

static void
add_expect(rmet_set *m, const char *name, const char *kind, double v)
{
	const char *unit;
	int better;
	kind_unit(kind, &unit, &better);
	add_fmt(m, unit, better, v, "expect/%s", name);
}

void
rmet_from_recorder(rmet_set *m, const recorder *r, const expect_result *res)
{
	fsrc f = {r, rec_count, rec_str, rec_num};
	extract(m, &f);
	for (size_t i = 0; res != NULL && i < expect_result_count(res); i++) {
		const expect_verdict *v = expect_result_at(res, i);
		add_expect(m, v->name, v->kind, v->value);
	}
}

int
rmet_from_summary(rmet_set *m, const cJSON *root, sim_error *err)
{
	const cJSON *facts = cJSON_GetObjectItemCaseSensitive(root, "facts");
	if (!cJSON_IsObject(facts))
		return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, NULL,
		    "not a summary.json: no \"facts\" object");
	fsrc f = {facts, json_count, json_str, json_num};
	extract(m, &f);
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(root, "expectations");
	const cJSON *v;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(ex, "verdicts")) {
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(v, "value");
		const char *name = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(v, "name"));
		if (name != NULL && cJSON_IsNumber(val))
			add_expect(m, name, cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(v, "kind")),
			    val->valuedouble);
	}
	return 0;
}

/* ---- labels ---- */

/* "peakRunning" -> "peak running", "latencyP99" -> "latency p99",
 * "costUSD" -> "cost". */
static void
words(char *out, size_t size, const char *camel)
{
	static const struct {
		const char *key, *text;
	} fixed[] = {
		{"costUSD", "cost"}, {"errorPercent", "error rate"},
		{"latencyP50", "latency p50"}, {"latencyP95", "latency p95"},
		{"latencyP99", "latency p99"},
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(camel, fixed[i].key) == 0) {
			snprintf(out, size, "%s", fixed[i].text);
			return;
		}
	size_t o = 0;
	for (const char *p = camel; *p != '\0' && o + 2 < size; p++) {
		if (*p >= 'A' && *p <= 'Z') {
			out[o++] = ' ';
			out[o++] = (char)(*p - 'A' + 'a');
		} else
			out[o++] = *p;
	}
	out[o] = '\0';
}

char *
rmet_label(char *buf, size_t size, const char *key)
{
	char w[64], name[300];
	const char *p;
	if (strncmp(key, "expect/", 7) == 0) {
		snprintf(buf, size, "%s", key + 7);
		return buf;
	}
	if (strncmp(key, "run/", 4) == 0) {
		words(w, sizeof(w), key + 4);
		snprintf(buf, size, "run: %s", w);
		return buf;
	}
	bool svc = strncmp(key, "service/", 8) == 0;
	bool cl = strncmp(key, "cluster/", 8) == 0;
	if ((!svc && !cl) || (p = strchr(key + 8, '/')) == NULL) {
		snprintf(buf, size, "%s", key);
		return buf;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(p - (key + 8)), key + 8);
	unsigned n;
	char last[64];
	if (svc && sscanf(p, "/deployment/%u/%63s", &n, last) == 2) {
		words(w, sizeof(w), last);
		snprintf(buf, size, "%s: deployment %u %s", name, n, w);
		return buf;
	}
	words(w, sizeof(w), p + 1);
	snprintf(buf, size, cl ? "cluster %s: %s" : "%s: %s", name, w);
	return buf;
}
