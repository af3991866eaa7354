/*
 * rdata — recorder queries and formatting shared by the reports (see
 * rdata.h). Everything here is a linear scan: reports run once per run.
 */
#include "reports/rdata.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/error.h"
#include "sim/xalloc.h"

/* Append name to list unless present. */
static void
add_name(const char ***list, size_t *n, size_t *cap, const char *name)
{
	if (name == NULL || name[0] == '\0')
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i], name) == 0)
			return;
	XGROW(*list, *cap, *n + 1);
	(*list)[(*n)++] = name;
}

/* The <name> of a series "<scope>/<name>/<metric...>", copied into buf;
 * NULL when the series is not of scope. */
static const char *
series_owner(const char *series, const char *scope, char *buf, size_t size)
{
	size_t sl = strlen(scope);
	if (strncmp(series, scope, sl) != 0 || series[sl] != '/')
		return NULL;
	const char *name = series + sl + 1;
	const char *slash = strchr(name, '/');
	if (slash == NULL || slash == name || (size_t)(slash - name) >= size)
		return NULL;
	memcpy(buf, name, (size_t)(slash - name));
	buf[slash - name] = '\0';
	return buf;
}

/* Names from the facts (borrowed from the recorder). */
static size_t
collect(const recorder *r, const char *scope, const char *table,
    const char *key, const char ***names)
{
	const char **list = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < rec_fact_count(r, table); i++)
		add_name(&list, &n, &cap, rec_fact_get_str(rec_fact_at(r, table, i),
		    key));
	if (strcmp(scope, "service") == 0)
		for (size_t i = 0; i < rec_fact_count(r, "deployment"); i++)
			add_name(&list, &n, &cap, rec_fact_get_str(
			    rec_fact_at(r, "deployment", i), "service"));
	*names = list;
	return n;
}

/*
 * Add the names only series mention. Those are part of a longer string in
 * the recorder, so they are copied after the pointers in the one block
 * returned: a single free() releases both.
 */
static size_t
with_series(const recorder *r, const char *scope, const char **list,
    size_t n, const char ***names)
{
	char buf[256];
	char **extra = NULL;
	size_t nextra = 0, capextra = 0, bytes = 0;
	for (size_t i = 0; i < rec_series_count(r); i++) {
		const char *nm = series_owner(rec_series_name(r, (int)i), scope, buf,
		    sizeof(buf));
		if (nm == NULL)
			continue;
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = strcmp(list[k], nm) == 0;
		for (size_t k = 0; k < nextra && !seen; k++)
			seen = strcmp(extra[k], nm) == 0;
		if (seen)
			continue;
		XGROW(extra, capextra, nextra + 1);
		extra[nextra++] = xstrdup(nm);
		bytes += strlen(nm) + 1;
	}
	size_t total = n + nextra;
	if (total == 0) {
		*names = NULL;
		free(list);
		return 0;
	}
	char *block = xmalloc(total * sizeof(char *) + bytes);
	const char **out = (const char **)(void *)block;
	char *str = block + total * sizeof(char *);
	for (size_t i = 0; i < n; i++)
		out[i] = list[i];
	for (size_t i = 0; i < nextra; i++) {
		size_t len = strlen(extra[i]) + 1;
		memcpy(str, extra[i], len);
		out[n + i] = str;
		str += len;
		free(extra[i]);
	}
	free(extra);
	free(list);
	*names = out;
	return total;
}

size_t
rdata_services(const recorder *r, const char ***names)
{
	const char **list;
	size_t n = collect(r, "service", "service", "name", &list);
	return with_series(r, "service", list, n, names);
}

size_t
rdata_clusters(const recorder *r, const char ***names)
{
	const char **list;
	size_t n = collect(r, "cluster", "cluster", "name", &list);
	return with_series(r, "cluster", list, n, names);
}

int
rdata_series(const recorder *r, const char *scope, const char *name,
    const char *metric)
{
	char buf[512];
	int w = snprintf(buf, sizeof(buf), "%s/%s/%s", scope, name, metric);
	if (w < 0 || (size_t)w >= sizeof(buf))
		return -1;
	return rec_series_find(r, buf);
}

rec_fact *
rdata_fact_by(const recorder *r, const char *table, const char *key,
    const char *value)
{
	for (size_t i = 0; i < rec_fact_count(r, table); i++) {
		rec_fact *f = rec_fact_at(r, table, i);
		const char *s = rec_fact_get_str(f, key);
		if (s != NULL && strcmp(s, value) == 0)
			return f;
	}
	return NULL;
}

size_t
rdata_deployments(const recorder *r, const char *service, rec_fact ***out)
{
	rec_fact **list = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < rec_fact_count(r, "deployment"); i++) {
		rec_fact *f = rec_fact_at(r, "deployment", i);
		const char *s = rec_fact_get_str(f, "service");
		if (s == NULL || strcmp(s, service) != 0)
			continue;
		XGROW(list, cap, n + 1);
		list[n++] = f;
	}
	*out = list;
	return n;
}

sim_time
rdata_steady_start(const recorder *r, const char *service)
{
	rec_fact **d;
	sim_time end = 0;
	size_t n = rdata_deployments(r, service, &d);
	if (n > 0) {
		const char *from = rec_fact_get_str(d[0], "from");
		const char *state = rec_fact_get_str(d[0], "rolloutState");
		const rec_value *v = rec_fact_get(d[0], "end");
		if ((from == NULL || from[0] == '\0') && state != NULL &&
		    strcmp(state, "COMPLETED") == 0 && v != NULL &&
		    v->type == REC_TIME)
			end = v->i;
	}
	free(d);
	return end;
}

static bool
extreme(const recorder *r, int id, sim_time after, int sign, double *v,
    sim_time *at)
{
	if (id < 0)
		return false;
	bool found = false;
	double best = 0;
	sim_time when = 0;
	for (size_t i = 0; i < rec_row_count(r); i++) {
		sim_time t = rec_row_time(r, i);
		double x = rec_get(r, id, i);
		if (t < after || isnan(x))
			continue;
		if (!found || (sign > 0 ? x > best : x < best)) {
			best = x;
			when = t;
			found = true;
		}
	}
	if (found) {
		*v = best;
		if (at != NULL)
			*at = when;
	}
	return found;
}

bool
rdata_max(const recorder *r, int id, sim_time after, double *v, sim_time *at)
{
	return extreme(r, id, after, 1, v, at);
}

bool
rdata_min(const recorder *r, int id, sim_time after, double *v, sim_time *at)
{
	return extreme(r, id, after, -1, v, at);
}

bool
rdata_sum(const recorder *r, int id, double *v)
{
	if (id < 0)
		return false;
	bool found = false;
	double s = 0;
	for (size_t i = 0; i < rec_row_count(r); i++) {
		double x = rec_get(r, id, i);
		if (!isnan(x)) {
			s += x;
			found = true;
		}
	}
	if (found)
		*v = s;
	return found;
}

bool
rdata_last(const recorder *r, int id, double *v)
{
	if (id < 0)
		return false;
	for (size_t i = rec_row_count(r); i-- > 0;) {
		double x = rec_get(r, id, i);
		if (!isnan(x)) {
			*v = x;
			return true;
		}
	}
	return false;
}

sim_time
rdata_duration(const recorder *r)
{
	const char *s = rec_info_get(r, "durationSeconds");
	if (s != NULL) {
		char *end;
		double d = strtod(s, &end);
		sim_time t;
		if (end != s && *end == '\0' && simtime_from_seconds(d, &t) == 0)
			return t;
	}
	sim_time t = 0;
	if (rec_row_count(r) > 0)
		t = rec_row_time(r, rec_row_count(r) - 1);
	if (rec_event_count(r) > 0) {
		sim_time e = rec_event_at(r, rec_event_count(r) - 1)->t;
		if (e > t)
			t = e;
	}
	return t;
}

char *
rdata_num(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "n/a");
	else if (isinf(v))
		snprintf(buf, size, v > 0 ? "inf" : "-inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, size, "%.0f", v == 0 ? 0.0 : v);
	else
		snprintf(buf, size, "%.4g", v);
	return buf;
}

char *
rdata_count(char *buf, size_t size, double v)
{
	if (!isfinite(v) || fabs(v) >= 1e15)
		return rdata_num(buf, size, v);
	char digits[32];
	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	size_t nd = strlen(digits), o = 0;
	char tmp[48];
	if (v <= -0.5)
		tmp[o++] = '-';
	for (size_t i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = digits[i];
	}
	tmp[o] = '\0';
	snprintf(buf, size, "%s", tmp);
	return buf;
}

char *
rdata_usd(char *buf, size_t size, double v)
{
	if (!isfinite(v))
		return rdata_num(buf, size, v);
	if (v == 0 || fabs(v) >= 1) {
		snprintf(buf, size, "$%.2f", v == 0 ? 0.0 : v);
		return buf;
	}
	snprintf(buf, size, "$%.4g", v);
	/* at least cents: $0.5 reads as $0.50 */
	const char *dot = strchr(buf, '.');
	size_t len = strlen(buf);
	if (dot != NULL && strchr(buf, 'e') == NULL && len - (size_t)(dot - buf)
	    == 2 && len + 1 < size) {
		buf[len] = '0';
		buf[len + 1] = '\0';
	}
	return buf;
}

char *
rdata_dur(char *buf, size_t size, sim_time t)
{
	sim_time a = t < 0 ? -t : t;
	a = a / SIM_MS * SIM_MS;
	return simtime_format(t < 0 ? -a : a, buf, size);
}

char *
rdata_secs(char *buf, size_t size, double seconds)
{
	sim_time t;
	if (!isfinite(seconds))
		return rdata_num(buf, size, seconds);
	if (simtime_from_seconds(fabs(seconds), &t) != 0) {
		snprintf(buf, size, "%.0fs", seconds);
		return buf;
	}
	return rdata_dur(buf, size, seconds < 0 ? -t : t);
}

/* ---- the numbers every report shows ---- */

static bool
traffic_of(const recorder *r, const char *s, int64_t *req, int64_t *errs)
{
	rec_fact *f = rdata_fact_by(r, "service", "name", s);
	if (f != NULL && rec_fact_get(f, "requests") != NULL) {
		*req = rec_fact_get_int(f, "requests", 0);
		*errs = rec_fact_get_int(f, "errors", 0);
		return true;
	}
	double q, e;
	if (!rdata_sum(r, rdata_series(r, "service", s, "requests"), &q))
		return false;
	if (!rdata_sum(r, rdata_series(r, "service", s, "errors"), &e))
		e = 0;
	*req = (int64_t)llround(q);
	*errs = (int64_t)llround(e);
	return true;
}

bool
rdata_traffic(const recorder *r, const char *s, int64_t *requests,
    int64_t *errors)
{
	if (s != NULL)
		return traffic_of(r, s, requests, errors);
	const char **names;
	size_t n = rdata_services(r, &names);
	bool any = false;
	int64_t q = 0, e = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t sq, se;
		if (traffic_of(r, names[i], &sq, &se)) {
			q += sq;
			e += se;
			any = true;
		}
	}
	free(names);
	rec_fact *run = rec_fact_at(r, "run", 0);
	if (!any && run != NULL && rec_fact_get(run, "requests") != NULL) {
		q = rec_fact_get_int(run, "requests", 0);
		e = rec_fact_get_int(run, "errors", 0);
		any = true;
	}
	if (any) {
		*requests = q;
		*errors = e;
	}
	return any;
}

double
rdata_error_percent(int64_t requests, int64_t errors)
{
	if (requests <= 0)
		return (double)NAN;
	return 100.0 * (double)errors / (double)requests;
}

char *
rdata_pct(char *buf, size_t size, double percent)
{
	if (isnan(percent))
		snprintf(buf, size, "n/a");
	else if (percent == 0)
		snprintf(buf, size, "0%%");
	else if (fabs(percent) < 0.001)
		snprintf(buf, size, "<0.001%%");
	else
		snprintf(buf, size, "%.4g%%", percent);
	return buf;
}

bool
rdata_resource_of(const char *resource, const char *c, const char *s)
{
	if (resource == NULL || strncmp(resource, "service/", 8) != 0)
		return false;
	const char *rest = resource + 8;
	const char *slash = strrchr(rest, '/');
	if (slash == NULL || strcmp(slash + 1, s) != 0)
		return false;
	return c == NULL || (strlen(c) == (size_t)(slash - rest) &&
	    strncmp(rest, c, (size_t)(slash - rest)) == 0);
}

static bool
is_update(const rec_fact *d)
{
	const char *from = rec_fact_get_str(d, "from");
	return from != NULL && from[0] != '\0';
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

static double
peak_of(const recorder *r, const char *scope, const char *name,
    const char *metric)
{
	double v;
	if (!rdata_max(r, rdata_series(r, scope, name, metric), 0, &v, NULL))
		return (double)NAN;
	return v;
}

/* Lowest healthy sample at or after since while no deployment was in
 * progress (every sample when the "deploying" series is missing). */
static bool
min_outside_deployments(const recorder *r, const char *s, sim_time since,
    double *out)
{
	int h = rdata_series(r, "service", s, "healthy");
	int dep = rdata_series(r, "service", s, "deploying");
	if (h < 0)
		return false;
	bool found = false;
	for (size_t i = 0; i < rec_row_count(r); i++) {
		double x = rec_get(r, h, i);
		if (rec_row_time(r, i) < since || isnan(x) ||
		    (dep >= 0 && rec_get(r, dep, i) > 0))
			continue;
		if (!found || x < *out)
			*out = x;
		found = true;
	}
	return found;
}

struct rdata_index {
	const recorder *r;
	const char **names;       /* rdata_services: one block */
	size_t n;
	const char **cluster;     /* per service, or NULL */
	rec_fact ***deps;         /* per service */
	size_t *ndeps, *capdeps;
	const rec_fact ***scal;   /* per service */
	size_t *nscal, *capscal;
};

static long
index_of(const rdata_index *x, const char *name)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->names[i], name) == 0)
			return (long)i;
	return -1;
}

rdata_index *
rdata_index_new(const recorder *r)
{
	rdata_index *x = xcalloc(1, sizeof(*x));
	x->r = r;
	x->n = rdata_services(r, &x->names);
	size_t n1 = x->n + 1;
	x->cluster = xcalloc(n1, sizeof(*x->cluster));
	x->deps = xcalloc(n1, sizeof(*x->deps));
	x->ndeps = xcalloc(n1, sizeof(size_t));
	x->capdeps = xcalloc(n1, sizeof(size_t));
	x->scal = xcalloc(n1, sizeof(*x->scal));
	x->nscal = xcalloc(n1, sizeof(size_t));
	x->capscal = xcalloc(n1, sizeof(size_t));
	for (size_t i = 0; i < rec_fact_count(r, "service"); i++) {
		rec_fact *f = rec_fact_at(r, "service", i);
		long k = index_of(x, rec_fact_get_str(f, "name"));
		if (k >= 0 && x->cluster[k] == NULL)
			x->cluster[k] = rec_fact_get_str(f, "cluster");
	}
	size_t nd = rec_fact_count(r, "deployment");
	for (size_t i = 0; i < nd; i++) {
		rec_fact *f = rec_fact_at(r, "deployment", i);
		long k = index_of(x, rec_fact_get_str(f, "service"));
		if (k < 0)
			continue;
		XGROW(x->deps[k], x->capdeps[k], x->ndeps[k] + 1);
		x->deps[k][x->ndeps[k]++] = f;
		if (x->cluster[k] == NULL)
			x->cluster[k] = rec_fact_get_str(f, "cluster");
	}
	size_t ns = rec_fact_count(r, "scaling_activity");
	char buf[512];
	for (size_t i = 0; i < ns; i++) {
		rec_fact *f = rec_fact_at(r, "scaling_activity", i);
		const char *res = rec_fact_get_str(f, "resource");
		/* resource "service/C/S": the service is what follows the last
		 * slash */
		const char *slash = res ? strrchr(res, '/') : NULL;
		if (res == NULL || strncmp(res, "service/", 8) != 0 || slash == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%s", slash + 1);
		long k = index_of(x, buf);
		if (k < 0 || !rdata_resource_of(res, x->cluster[k], x->names[k]))
			continue;
		XGROW(x->scal[k], x->capscal[k], x->nscal[k] + 1);
		x->scal[k][x->nscal[k]++] = f;
	}
	return x;
}

void
rdata_index_free(rdata_index *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->n; i++) {
		free(x->deps[i]);
		free(x->scal[i]);
	}
	free(x->deps);
	free(x->ndeps);
	free(x->capdeps);
	free(x->scal);
	free(x->nscal);
	free(x->capscal);
	free(x->cluster);
	free(x->names);
	free(x);
}

size_t
rdata_index_count(const rdata_index *x)
{
	return x->n;
}

const char *
rdata_index_name(const rdata_index *x, size_t svc)
{
	SIM_ASSERT(svc < x->n);
	return x->names[svc];
}

size_t
rdata_index_deployments(const rdata_index *x, size_t svc,
    rec_fact *const **out)
{
	SIM_ASSERT(svc < x->n);
	*out = x->deps[svc];
	return x->ndeps[svc];
}

size_t
rdata_index_scaling(const rdata_index *x, size_t svc,
    const rec_fact *const **out)
{
	SIM_ASSERT(svc < x->n);
	*out = x->scal[svc];
	return x->nscal[svc];
}

void
rdata_index_stats(const rdata_index *x, size_t svc, rdata_svc *out)
{
	const recorder *r = x->r;
	const char *name = rdata_index_name(x, svc);
	memset(out, 0, sizeof(*out));
	out->name = name;
	rec_fact *sf = rdata_fact_by(r, "service", "name", name);
	out->cluster = x->cluster[svc];
	rec_fact *const *d;
	size_t nd = rdata_index_deployments(x, svc, &d);
	out->deployments = nd;
	sim_time steady = rdata_steady_start(r, name);
	out->lowest_healthy_since = steady;
	int64_t lo = -1;
	for (size_t i = 0; i < nd; i++) {
		const char *st = rec_fact_get_str(d[i], "rolloutState");
		if (st != NULL && strcmp(st, "FAILED") == 0)
			out->failed_deployments++;
		if (rec_fact_get_num(d[i], "rollback", 0) != 0)
			out->rollbacks++;
		sim_time start;
		int64_t dl = rec_fact_get_int(d[i], "lowestHealthy", -1);
		if (is_update(d[i]) && fact_time(d[i], "start", &start) &&
		    start >= steady && dl >= 0 && (lo < 0 || dl < lo))
			lo = dl;
	}
	out->has_peak_running = rdata_max(r, rdata_series(r, "service", name,
	    "running"), 0, &out->peak_running, &out->peak_running_at);
	out->peak_desired = peak_of(r, "service", name, "desired");
	out->peak_pending = peak_of(r, "service", name, "pending");
	int64_t outside = sf ? rec_fact_get_int(sf, "lowestHealthy", -1) : -1;
	double v;
	if (outside < 0 && min_outside_deployments(r, name, steady, &v))
		outside = (int64_t)llround(v);
	out->lowest_healthy_outside = outside;
	if (outside >= 0 && (lo < 0 || outside < lo))
		lo = outside;
	if (rdata_min(r, rdata_series(r, "service", name, "healthy"), steady, &v,
	    NULL) && (lo < 0 || llround(v) < lo))
		lo = (int64_t)llround(v);
	out->lowest_healthy = lo;
	out->placement_failures = sf && rec_fact_get(sf, "placementFailures") ?
	    rec_fact_get_int(sf, "placementFailures", 0) : -1;
	out->scaling_activities = x->nscal[svc];
	out->has_traffic = rdata_traffic(r, name, &out->requests, &out->errors);
	out->error_percent = out->has_traffic ?
	    rdata_error_percent(out->requests, out->errors) : (double)NAN;
	out->p50 = sf ? rec_fact_get_num(sf, "latencyP50", (double)NAN) :
	    (double)NAN;
	out->p95 = sf ? rec_fact_get_num(sf, "latencyP95", (double)NAN) :
	    (double)NAN;
	out->p99 = sf ? rec_fact_get_num(sf, "latencyP99", (double)NAN) :
	    (double)NAN;
	out->peak_p99 = peak_of(r, "service", name, "latencyP99");
	out->peak_cpu = peak_of(r, "service", name, "cpu");
	out->peak_memory = peak_of(r, "service", name, "memory");
	out->cost_usd = sf ? rec_fact_get_num(sf, "costUSD", (double)NAN) :
	    (double)NAN;
}

void
rdata_service_stats(const recorder *r, const char *name, rdata_svc *out)
{
	rdata_index *x = rdata_index_new(r);
	long k = index_of(x, name);
	if (k >= 0)
		rdata_index_stats(x, (size_t)k, out);
	else {
		memset(out, 0, sizeof(*out));
		out->name = name;
		out->lowest_healthy = out->lowest_healthy_outside = -1;
		out->placement_failures = -1;
		out->peak_desired = out->peak_pending = out->error_percent =
		    out->p50 = out->p95 = out->p99 = out->peak_p99 =
		    out->peak_cpu = out->peak_memory = out->cost_usd = (double)NAN;
	}
	rdata_index_free(x);
}

void
rdata_cluster_stats(const recorder *r, const char *name, rdata_cluster *out)
{
	memset(out, 0, sizeof(*out));
	out->name = name;
	rec_fact *cf = rdata_fact_by(r, "cluster", "name", name);
	double fpeak = cf ? rec_fact_get_num(cf, "maxInstances", (double)NAN) :
	    (double)NAN, sp;
	sim_time at;
	bool have = rdata_max(r, rdata_series(r, "cluster", name, "instances"), 0,
	    &sp, &at);
	if (have && !(fpeak > sp)) {
		out->peak_instances = sp;
		out->peak_from_samples = true;
		out->peak_at = at;
	} else
		out->peak_instances = fpeak;
	out->peak_cpu_reservation = peak_of(r, "cluster", name, "cpuReservation");
	out->peak_memory_reservation = peak_of(r, "cluster", name,
	    "memoryReservation");
	out->instance_hours = cf ? rec_fact_get_num(cf, "instanceHours",
	    (double)NAN) : (double)NAN;
	out->cost_usd = cf ? rec_fact_get_num(cf, "costUSD", (double)NAN) :
	    (double)NAN;
	double last;
	if (isnan(out->cost_usd) && rdata_last(r, rdata_series(r, "cluster", name,
	    "costUSD"), &last))
		out->cost_usd = last;
}

/* ---- deployments in words ---- */

/* Append to buf at *n (snprintf that never overruns). */
static void
cat(char *buf, size_t size, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void
cat(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	if (*n >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (w > 0)
		*n += (size_t)w;
	if (*n >= size)
		*n = size - 1;
}

char *
rdata_dep_title(char *buf, size_t size, const rec_fact *d)
{
	size_t n = 0;
	buf[0] = '\0';
	const char *td = rec_fact_get_str(d, "taskDefinition");
	const char *from = rec_fact_get_str(d, "from");
	const char *cause = rec_fact_get_str(d, "cause");
	if (from != NULL && from[0] != '\0')
		cat(buf, size, &n, "%s -> ", from);
	cat(buf, size, &n, "%s", td ? td : "?");
	if (cause != NULL && cause[0] != '\0')
		cat(buf, size, &n, " (%s)", cause);
	return buf;
}

char *
rdata_dep_span(char *buf, size_t size, const rec_fact *d)
{
	char b1[64], b2[64], b3[64];
	size_t n = 0;
	buf[0] = '\0';
	sim_time start = 0, end = 0, dur = 0;
	bool has_start = fact_time(d, "start", &start);
	bool has_end = fact_time(d, "end", &end);
	bool has_dur = fact_time(d, "duration", &dur);
	if (!has_dur && has_start && has_end) {
		dur = end - start;
		has_dur = true;
	}
	if (has_start)
		cat(buf, size, &n, "%s -> %s", simtime_clock(start, b1, sizeof(b1)),
		    has_end ? simtime_clock(end, b2, sizeof(b2)) : "(end of run)");
	if (has_dur)
		cat(buf, size, &n, "%s%s", n ? ", " : "", rdata_dur(b3, sizeof(b3),
		    dur));
	const char *state = rec_fact_get_str(d, "rolloutState");
	cat(buf, size, &n, "%s%s", n ? ", " : "", state ? state :
	    "rolloutState unknown");
	return buf;
}

char *
rdata_dep_tasks(char *buf, size_t size, const rec_fact *d)
{
	size_t n = 0;
	buf[0] = '\0';
	int64_t st = rec_fact_get_int(d, "tasksStarted", -1);
	int64_t fl = rec_fact_get_int(d, "tasksFailed", 0);
	int64_t sp = rec_fact_get_int(d, "tasksStopped", 0);
	int64_t pf = rec_fact_get_int(d, "placementFailures", 0);
	if (st < 0)
		return buf;
	if (st == 0)
		cat(buf, size, &n, "none started");
	else
		cat(buf, size, &n, "%lld started", (long long)st);
	if (fl > 0)
		cat(buf, size, &n, ", %lld failed", (long long)fl);
	if (sp > 0)
		cat(buf, size, &n, ", %lld stopped", (long long)sp);
	if (pf > 0)
		cat(buf, size, &n, "; %lld placement failure%s", (long long)pf,
		    pf == 1 ? "" : "s");
	return buf;
}

char *
rdata_dep_lowest(char *buf, size_t size, const rec_fact *d)
{
	buf[0] = '\0';
	int64_t low = rec_fact_get_int(d, "lowestHealthy", -1);
	if (low < 0)
		return buf;
	if (!is_update(d)) /* nothing to keep yet: the minimum binds updates */
		snprintf(buf, size, "%lld (service creation)", (long long)low);
	else if (rec_fact_get(d, "minimumHealthy") != NULL) {
		int64_t min = rec_fact_get_int(d, "minimumHealthy", 0);
		snprintf(buf, size, "%lld (minimum %lld)%s", (long long)low,
		    (long long)min, low < min ? " - BELOW THE MINIMUM" : "");
	} else
		snprintf(buf, size, "%lld", (long long)low);
	return buf;
}

char *
rdata_dep_phases(char *buf, size_t size, const rec_fact *d)
{
	static const struct {
		const char *key, *label, *count;
	} phases[] = {
		{"timeStart", "start", "tasksStarted"},
		{"timeHealth", "health", "tasksStarted"},
		{"timeDraining", "draining", "tasksStopped"},
		{"timeStopping", "stopping", "tasksStopped"},
	};
	char b1[64];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < sizeof(phases) / sizeof(phases[0]); k++) {
		double s = rec_fact_get_num(d, phases[k].key, (double)NAN);
		/* a mean over no task of the deployment's is not its time */
		if (isnan(s) || rec_fact_get_int(d, phases[k].count, 1) <= 0)
			continue;
		cat(buf, size, &n, "%s%s %s", n ? ", " : "", phases[k].label,
		    rdata_secs(b1, sizeof(b1), s));
	}
	return buf;
}

/* The word after marker in text, into out (trailing '.' and ',' cut). */
static bool
word_after(const char *text, const char *marker, char *out, size_t size)
{
	const char *p = text ? strstr(text, marker) : NULL;
	if (p == NULL)
		return false;
	p += strlen(marker);
	size_t len = strcspn(p, " ");
	while (len > 0 && (p[len - 1] == '.' || p[len - 1] == ','))
		len--;
	if (len == 0 || len >= size)
		return false;
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

char *
rdata_scaling_short(char *buf, size_t size, const rec_fact *f)
{
	char alarm[256], policy[256];
	const char *cause = rec_fact_get_str(f, "cause");
	const char *pol = rec_fact_get_str(f, "policy");
	bool has_policy = pol != NULL && pol[0] != '\0';
	if (has_policy)
		snprintf(policy, sizeof(policy), "%s", pol);
	else
		has_policy = word_after(cause, "triggered policy ", policy,
		    sizeof(policy));
	bool has_alarm = word_after(cause, "alarm ", alarm, sizeof(alarm));
	/* target tracking's alarms: TargetTracking-<resource>-AlarmHigh-<uuid> */
	if (has_alarm && strstr(alarm, "-AlarmHigh") != NULL)
		snprintf(alarm, sizeof(alarm), "AlarmHigh");
	else if (has_alarm && strstr(alarm, "-AlarmLow") != NULL)
		snprintf(alarm, sizeof(alarm), "AlarmLow");
	if (has_policy && has_alarm)
		snprintf(buf, size, "policy %s, alarm %s", policy, alarm);
	else if (has_policy)
		snprintf(buf, size, "policy %s", policy);
	else
		snprintf(buf, size, "%s", cause ? cause : "");
	return buf;
}

/* ---- per-task records ---- */

static sim_time
task_time(const rec_fact *f, const char *key)
{
	sim_time t;
	return fact_time(f, key, &t) ? t : -1;
}

static int
task_cmp(const void *a, const void *b)
{
	const rdata_task *x = a, *y = b;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return 0;
}

/* Does task fact f name deployment (id, start) under key/key_start? */
static bool
names_dep(const rec_fact *f, const char *key, const char *key_start,
    const char *id, sim_time start)
{
	const char *x = rec_fact_get_str(f, key);
	sim_time t;
	return x != NULL && strcmp(x, id) == 0 && fact_time(f, key_start, &t) &&
	    t == start;
}

static const char *
str_or_empty(const rec_fact *f, const char *key)
{
	const char *s = rec_fact_get_str(f, key);
	return s ? s : "";
}

size_t
rdata_dep_task_list(const recorder *r, const rec_fact *d, rdata_task **out)
{
	const char *svc = rec_fact_get_str(d, "service");
	const char *id = rec_fact_get_str(d, "id");
	sim_time start;
	rdata_task *list = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	if (svc == NULL || id == NULL || !fact_time(d, "start", &start))
		return 0;
	for (size_t i = 0; i < rec_fact_count(r, "task"); i++) {
		const rec_fact *f = rec_fact_at(r, "task", i);
		const char *s = rec_fact_get_str(f, "service");
		if (s == NULL || strcmp(s, svc) != 0)
			continue;
		bool launched = names_dep(f, "deployment", "deploymentStart", id,
		    start) && task_time(f, "created") >= start;
		bool stopped_here = names_dep(f, "stoppedBy", "stoppedByStart", id,
		    start);
		if (!launched && !stopped_here)
			continue;
		XGROW(list, cap, n + 1);
		rdata_task *t = &list[n++];
		t->id = str_or_empty(f, "task");
		t->task_definition = str_or_empty(f, "taskDefinition");
		t->last_status = str_or_empty(f, "lastStatus");
		t->stop_code = str_or_empty(f, "stopCode");
		t->stopped_reason = str_or_empty(f, "stoppedReason");
		t->created = task_time(f, "created");
		t->pull = task_time(f, "pullStart");
		t->running = task_time(f, "running");
		t->healthy = task_time(f, "healthy");
		t->draining = task_time(f, "draining");
		t->stopping = task_time(f, "stopping");
		t->stopped = task_time(f, "stopped");
		t->failed = rec_fact_get_num(f, "failed", 0) != 0;
		t->launched = launched;
		t->stopped_here = stopped_here;
	}
	/* stable: insertion sort keeps recording order among ties */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && task_cmp(&list[k - 1], &list[k]) > 0;
		    k--) {
			rdata_task tmp = list[k];
			list[k] = list[k - 1];
			list[k - 1] = tmp;
		}
	*out = list;
	return n;
}

int64_t
rdata_task_records_dropped(const recorder *r, int64_t *max)
{
	rec_fact *f = rec_fact_at(r, "task_records", 0);
	*max = f ? rec_fact_get_int(f, "max", 0) : 0;
	return f ? rec_fact_get_int(f, "dropped", 0) : 0;
}

/* ---- assumptions ---- */

size_t
rdata_assumption_tags(const recorder *r, const char **tags, size_t *counts,
    size_t max)
{
	static const char *const order[] = {"INF", "OBS", "UNCONFIRMED",
	    "AWS-STAFF", "MODEL", "DOC", "NOTE", "SET"};
	size_t n = 0;
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && n < max; k++) {
		tags[n] = order[k];
		counts[n] = 0;
		n++;
	}
	for (size_t i = 0; i < rec_assumption_count(r); i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		size_t k = 0;
		while (k < n && strcmp(tags[k], tag) != 0)
			k++;
		if (k == n) {
			if (n == max)
				continue;
			tags[n] = tag;
			counts[n++] = 0;
		}
		counts[k]++;
	}
	/* drop the fixed tags nobody used */
	size_t w = 0;
	for (size_t k = 0; k < n; k++)
		if (counts[k] > 0) {
			tags[w] = tags[k];
			counts[w++] = counts[k];
		}
	return w;
}
