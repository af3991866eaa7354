/*
 * rdata — recorder queries and formatting shared by the reports (see
 * rdata.h). Everything here is a linear scan: reports run once per run.
 */
#include "reports/rdata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
