/*
 * summary_json — summary.json built as a cJSON tree (see summary_json.h).
 *
 * Numbers go through num(): NaN and infinities become null, so the
 * document is always valid JSON. Object keys are added in a fixed order,
 * so the printed bytes depend on the recorder only.
 */
#include "reports/summary_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rdata.h"
#include "sim/error.h"

static cJSON *
num(double v)
{
	return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static void
add_num(cJSON *obj, const char *key, double v)
{
	cJSON_AddItemToObject(obj, key, num(v));
}

/* Info values that are numbers in JSON. */
static bool
numeric_info(const char *key)
{
	static const char *const keys[] = {"seed", "durationSeconds",
	    "sampleIntervalSeconds", "events"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

static cJSON *
info(const recorder *r)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < rec_info_count(r); i++) {
		const char *k, *v;
		rec_info_at(r, i, &k, &v);
		char *end;
		double d = strtod(v, &end);
		if (numeric_info(k) && end != v && *end == '\0' && isfinite(d))
			add_num(o, k, d);
		else
			cJSON_AddStringToObject(o, k, v);
	}
	return o;
}

static cJSON *
assumptions(const recorder *r)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < rec_assumption_count(r); i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddStringToObject(o, "value", value);
		cJSON_AddStringToObject(o, "tag", tag);
		cJSON_AddStringToObject(o, "note", note);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* key: v, unless v is NaN (not applicable: left out). */
static void
opt_num(cJSON *o, const char *key, double v)
{
	if (!isnan(v))
		add_num(o, key, v);
}

static cJSON *
services(const recorder *r)
{
	cJSON *a = cJSON_CreateArray();
	rdata_index *x = rdata_index_new(r);
	size_t n = rdata_index_count(x);
	for (size_t i = 0; i < n; i++) {
		rdata_svc sv;
		rdata_index_stats(x, i, &sv);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", sv.name);
		if (sv.cluster != NULL)
			cJSON_AddStringToObject(o, "cluster", sv.cluster);
		add_num(o, "deployments", (double)sv.deployments);
		add_num(o, "failedDeployments", (double)sv.failed_deployments);
		add_num(o, "rollbacks", (double)sv.rollbacks);
		if (sv.has_peak_running) {
			add_num(o, "peakRunning", sv.peak_running);
			add_num(o, "peakRunningAt", simtime_to_seconds(sv.peak_running_at));
		}
		opt_num(o, "peakDesired", sv.peak_desired);
		opt_num(o, "peakPending", sv.peak_pending);
		if (sv.lowest_healthy >= 0) {
			add_num(o, "lowestHealthy", (double)sv.lowest_healthy);
			add_num(o, "lowestHealthySince",
			    simtime_to_seconds(sv.lowest_healthy_since));
		}
		if (sv.lowest_healthy_outside >= 0)
			add_num(o, "lowestHealthyOutsideDeployments",
			    (double)sv.lowest_healthy_outside);
		if (sv.placement_failures >= 0)
			add_num(o, "placementFailures", (double)sv.placement_failures);
		add_num(o, "scalingActivities", (double)sv.scaling_activities);
		opt_num(o, "peakCpuPercent", sv.peak_cpu);
		opt_num(o, "peakMemoryPercent", sv.peak_memory);
		if (sv.has_traffic) {
			add_num(o, "requests", (double)sv.requests);
			add_num(o, "errors", (double)sv.errors);
			opt_num(o, "errorPercent", sv.error_percent);
		}
		opt_num(o, "latencyP50Ms", sv.p50);
		opt_num(o, "latencyP95Ms", sv.p95);
		opt_num(o, "latencyP99Ms", sv.p99);
		opt_num(o, "peakLatencyP99Ms", sv.peak_p99);
		opt_num(o, "costUSD", sv.cost_usd);
		cJSON_AddItemToArray(a, o);
	}
	rdata_index_free(x);
	return a;
}

static cJSON *
clusters(const recorder *r)
{
	cJSON *a = cJSON_CreateArray();
	const char **names;
	size_t n = rdata_clusters(r, &names);
	for (size_t i = 0; i < n; i++) {
		rdata_cluster cs;
		rdata_cluster_stats(r, names[i], &cs);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", cs.name);
		opt_num(o, "peakInstances", cs.peak_instances);
		if (cs.peak_from_samples)
			add_num(o, "peakInstancesAt", simtime_to_seconds(cs.peak_at));
		opt_num(o, "peakCpuReservation", cs.peak_cpu_reservation);
		opt_num(o, "peakMemoryReservation", cs.peak_memory_reservation);
		opt_num(o, "instanceHours", cs.instance_hours);
		opt_num(o, "costUSD", cs.cost_usd);
		cJSON_AddItemToArray(a, o);
	}
	free(names);
	return a;
}

/* The run's totals: what the text summary's "Run:" line says. */
static cJSON *
totals(const recorder *r)
{
	cJSON *o = cJSON_CreateObject();
	rec_fact *f = rec_fact_at(r, "run", 0);
	if (f != NULL && rec_fact_get(f, "tasksLaunched") != NULL)
		add_num(o, "tasksLaunched",
		    (double)rec_fact_get_int(f, "tasksLaunched", 0));
	int64_t req, errs;
	if (rdata_traffic(r, NULL, &req, &errs)) {
		add_num(o, "requests", (double)req);
		add_num(o, "errors", (double)errs);
		opt_num(o, "errorPercent", rdata_error_percent(req, errs));
	}
	if (f != NULL)
		opt_num(o, "costUSD", rec_fact_get_num(f, "costUSD", (double)NAN));
	int64_t max, dropped = rdata_task_records_dropped(r, &max);
	if (dropped > 0) {
		add_num(o, "taskRecordsMax", (double)max);
		add_num(o, "taskRecordsDropped", (double)dropped);
	}
	return o;
}

static cJSON *
series(const recorder *r)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t id = 0; id < rec_series_count(r); id++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", rec_series_name(r, (int)id));
		cJSON_AddStringToObject(o, "unit", rec_series_unit(r, (int)id));
		double lo = (double)NAN, hi = (double)NAN, sum = 0, last = (double)NAN;
		size_t k = 0;
		for (size_t row = 0; row < rec_row_count(r); row++) {
			double x = rec_get(r, (int)id, row);
			if (isnan(x))
				continue;
			if (k == 0 || x < lo)
				lo = x;
			if (k == 0 || x > hi)
				hi = x;
			sum += x;
			last = x;
			k++;
		}
		add_num(o, "samples", (double)k);
		add_num(o, "min", lo);
		add_num(o, "max", hi);
		add_num(o, "mean", k ? sum / (double)k : (double)NAN);
		add_num(o, "last", last);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *
value(const rec_value *v)
{
	switch (v->type) {
	case REC_STR: return cJSON_CreateString(v->s ? v->s : "");
	case REC_NUM: return num(v->num);
	case REC_INT: return num((double)v->i);
	case REC_TIME: return num(simtime_to_seconds(v->i));
	case REC_BOOL: return cJSON_CreateBool(v->i != 0);
	}
	sim_panic(__FILE__, __LINE__, "unknown recorder value type %d",
	    (int)v->type);
}

static cJSON *
facts(const recorder *r)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t t = 0; t < rec_table_count(r); t++) {
		const char *table = rec_table_name(r, t);
		cJSON *a = cJSON_CreateArray();
		for (size_t i = 0; i < rec_fact_count(r, table); i++) {
			const rec_fact *f = rec_fact_at(r, table, i);
			cJSON *fo = cJSON_CreateObject();
			for (size_t k = 0; k < rec_fact_field_count(f); k++) {
				const rec_value *v;
				const char *key = rec_fact_field_at(f, k, &v);
				cJSON_AddItemToObject(fo, key, value(v));
			}
			cJSON_AddItemToArray(a, fo);
		}
		cJSON_AddItemToObject(o, table, a);
	}
	return o;
}

static cJSON *
expectations(const expect_result *res)
{
	cJSON *o = cJSON_CreateObject();
	size_t n = expect_result_count(res), failed = expect_result_failed(res);
	add_num(o, "passed", (double)(n - failed));
	add_num(o, "failed", (double)failed);
	cJSON *a = cJSON_AddArrayToObject(o, "verdicts");
	for (size_t i = 0; i < n; i++) {
		const expect_verdict *v = expect_result_at(res, i);
		cJSON *vo = cJSON_CreateObject();
		cJSON_AddStringToObject(vo, "name", v->name);
		cJSON_AddStringToObject(vo, "kind", v->kind);
		cJSON_AddBoolToObject(vo, "pass", v->pass);
		cJSON_AddBoolToObject(vo, "noData", v->no_data);
		cJSON_AddStringToObject(vo, "measured", v->measured);
		cJSON_AddStringToObject(vo, "bound", v->bound);
		cJSON_AddStringToObject(vo, "message", v->message);
		if (v->file != NULL)
			cJSON_AddStringToObject(vo, "file", v->file);
		if (v->line > 0)
			add_num(vo, "line", v->line);
		cJSON_AddItemToArray(a, vo);
	}
	return o;
}

cJSON *
rjson_build(const recorder *r, const expect_result *res)
{
	cJSON *root = cJSON_CreateObject();
	add_num(root, "schemaVersion", RJSON_SCHEMA_VERSION);
	cJSON_AddItemToObject(root, "info", info(r));
	cJSON_AddItemToObject(root, "assumptions", assumptions(r));
	cJSON_AddItemToObject(root, "services", services(r));
	cJSON_AddItemToObject(root, "clusters", clusters(r));
	cJSON_AddItemToObject(root, "totals", totals(r));
	cJSON_AddItemToObject(root, "series", series(r));
	cJSON_AddItemToObject(root, "facts", facts(r));
	if (res != NULL)
		cJSON_AddItemToObject(root, "expectations", expectations(res));
	return root;
}

void
rjson_write(rout *o, const recorder *r, const expect_result *res)
{
	cJSON *root = rjson_build(r, res);
	char *text = cJSON_Print(root);
	SIM_ASSERT(text != NULL);
	rout_puts(o, text);
	rout_putc(o, '\n');
	cJSON_free(text);
	cJSON_Delete(root);
}
