/*
 * calibrate — prediction against observation, and what to change (see
 * calibrate.h).
 */
#include "reports/calibrate.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "reports/rdata.h"
#include "sim/xalloc.h"

#define DNAN ((double)NAN)

struct rcal {
	rcal_item *items;
	size_t n, cap;
	/* What the fragment suggests (NaN: nothing). */
	double pull_median, pull_sigma, start, ready;
	double assumed_pull_sigma;
	double lag_assumed, lag_shift; /* publication delay, seconds */
	char poll[64];                 /* observed run's poll interval */
	char kept[3][256];             /* why a measured value is not
	                                * suggested: within its error */
};

static void
item(rcal *c, const char *name, double pred, double obs, int samples)
{
	xgrow((void **)&c->items, &c->cap, c->n + 1, sizeof(*c->items));
	rcal_item *it = &c->items[c->n++];
	snprintf(it->name, sizeof(it->name), "%s", name);
	it->predicted = pred;
	it->observed = obs;
	it->samples = samples;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double
rcal_median(double *v, size_t n)
{
	if (n == 0)
		return DNAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* "12s", "1m30s", "2.5s" at s into seconds; NaN when not a duration. */
static double
secs_at(const char *s)
{
	char buf[32];
	size_t n = strcspn(s, ",) ");
	if (n == 0 || n >= sizeof(buf))
		return DNAN;
	memcpy(buf, s, n);
	buf[n] = '\0';
	sim_time t;
	char why[100];
	if (simtime_parse(buf, &t, why, sizeof(why)) != 0)
		return DNAN;
	return simtime_to_seconds(t);
}

/* The assumed default behaviour: "pull lognormal(median 12s, sigma 0.3),
 * start 2s, ready 5s, shutdown 2s". */
static void
assumed_behaviour(const recorder *r, double *pull, double *sigma,
    double *start, double *ready)
{
	*pull = *sigma = *start = *ready = DNAN;
	for (size_t i = 0; i < rec_assumption_count(r); i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		if (strcmp(name, "behaviour.default") != 0)
			continue;
		const char *p = strstr(value, "pull ");
		if (p) {
			const char *m = strstr(p, "median ");
			*pull = m ? secs_at(m + 7) : secs_at(p + 5);
			const char *sg = strstr(p, "sigma ");
			if (sg)
				*sigma = atof(sg + 6);
		}
		const char *s = strstr(value, "start ");
		if (s)
			*start = secs_at(s + 6);
		const char *rd = strstr(value, "ready ");
		if (rd)
			*ready = secs_at(rd + 6);
	}
}

static double
assumed_secs(const recorder *r, const char *key)
{
	for (size_t i = 0; i < rec_assumption_count(r); i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		if (strcmp(name, key) == 0)
			return secs_at(value);
	}
	return DNAN;
}

/* Medians of the observed tasks' phases (seconds). */
static void
task_phases(rcal *c, const recorder *obs, double *pull, int *npull,
    double *sigma, double *start, int *nstart, double *health, int *nhealth)
{
	size_t n = rec_fact_count(obs, "task");
	double *vp = xcalloc(n + 1, sizeof(double));
	double *vs = xcalloc(n + 1, sizeof(double));
	double *vh = xcalloc(n + 1, sizeof(double));
	size_t np = 0, ns = 0, nh = 0;
	for (size_t i = 0; i < n; i++) {
		rec_fact *f = rec_fact_at(obs, "task", i);
		double ps = rec_fact_get_num(f, "pullStarted", DNAN);
		double pe = rec_fact_get_num(f, "pullStopped", DNAN);
		double st = rec_fact_get_num(f, "started", DNAN);
		double he = rec_fact_get_num(f, "healthy", DNAN);
		if (!isnan(ps) && !isnan(pe) && pe >= ps)
			vp[np++] = pe - ps;
		if (!isnan(pe) && !isnan(st) && st >= pe)
			vs[ns++] = st - pe;
		if (!isnan(st) && !isnan(he) && he >= st)
			vh[nh++] = he - st;
	}
	/* sigma of the log of positive pull times (lognormal fit). */
	double sum = 0, sum2 = 0;
	int k = 0;
	for (size_t i = 0; i < np; i++)
		if (vp[i] > 0) {
			double l = log(vp[i]);
			sum += l;
			sum2 += l * l;
			k++;
		}
	*sigma = k >= 3 ? sqrt(fmax(0, (sum2 - sum * sum / k) / (k - 1))) : DNAN;
	*pull = rcal_median(vp, np);
	*start = rcal_median(vs, ns);
	*health = rcal_median(vh, nh);
	*npull = (int)np;
	*nstart = (int)ns;
	*nhealth = (int)nh;
	(void)c;
	free(vp);
	free(vs);
	free(vh);
}

static double
mean_field(rec_fact **deps, size_t n, const char *key)
{
	double s = 0;
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		double v = rec_fact_get_num(deps[i], key, DNAN);
		if (!isnan(v)) {
			s += v;
			k++;
		}
	}
	return k ? s / k : DNAN;
}

static bool
has_cause(rec_fact **d, size_t n, const char *cause)
{
	for (size_t i = 0; i < n; i++) {
		const char *c = rec_fact_get_str(d[i], "cause");
		if (c && strcmp(c, cause) == 0)
			return true;
	}
	return false;
}

/* Remove the deployments of a cause from d (unless keep); returns the
 * new count. */
static size_t
drop_cause(rec_fact **d, size_t n, const char *cause, bool keep)
{
	if (keep)
		return n;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *c = rec_fact_get_str(d[i], "cause");
		if (!(c && strcmp(c, cause) == 0))
			d[k++] = d[i];
	}
	return k;
}

static void
deployments(rcal *c, const recorder *pred, const recorder *obs,
    double *pred_health)
{
	const char **names;
	size_t ns = rdata_services(pred, &names);
	double hs = 0;
	int hk = 0;
	for (size_t i = 0; i < ns; i++) {
		rec_fact **pd, **od;
		size_t np = rdata_deployments(pred, names[i], &pd);
		size_t no = rdata_deployments(obs, names[i], &od);
		/* Only deployments both runs made are lined up: a service that
		 * existed before the observed run was not created by it, and a
		 * deployment under way when it started is not the prediction's. */
		np = drop_cause(pd, np, "service created", has_cause(od, no, "service created"));
		no = drop_cause(od, no, "existing", false);
		double h = mean_field(pd, np, "timeHealth");
		if (!isnan(h)) {
			hs += h;
			hk++;
		}
		for (size_t k = 0; k < np && k < no; k++) {
			static const struct {
				const char *key, *label;
			} q[] = {
				{"duration", "duration"},
				{"timeStart", "created to RUNNING (mean)"},
				{"timeHealth", "RUNNING to healthy (mean)"},
				{"timeDraining", "draining (mean)"},
				{"timeStopping", "SIGTERM to STOPPED (mean)"},
			};
			for (size_t j = 0; j < sizeof(q) / sizeof(q[0]); j++) {
				double a = rec_fact_get_num(pd[k], q[j].key, DNAN);
				double b = rec_fact_get_num(od[k], q[j].key, DNAN);
				if (isnan(a) && isnan(b))
					continue;
				char name[96];
				snprintf(name, sizeof(name), "%s deployment %zu: %s", names[i],
				    k + 1, q[j].label);
				item(c, name, a, b, isnan(b) ? 0 : 1);
			}
		}
		free(pd);
		free(od);
	}
	*pred_health = hk ? hs / hk : DNAN;
	free(names);
}

/* Scaling activities lined up per service: the median lag of the
 * observed behind the predicted. */
static void
scaling(rcal *c, const recorder *pred, const recorder *obs)
{
	size_t np = rec_fact_count(pred, "scaling_activity");
	size_t no = rec_fact_count(obs, "scaling_activity");
	double *lags = xcalloc(np + 1, sizeof(double));
	size_t nl = 0;
	for (size_t i = 0, used = 0; i < np; i++) {
		rec_fact *p = rec_fact_at(pred, "scaling_activity", i);
		const char *svc = rec_fact_get_str(p, "service");
		/* The next observed activity of the same service. */
		size_t seen = 0, k;
		for (k = 0; k < no; k++) {
			rec_fact *o = rec_fact_at(obs, "scaling_activity", k);
			const char *os = rec_fact_get_str(o, "service");
			if (svc && os && strcmp(svc, os) == 0 && seen++ == used)
				break;
		}
		if (k == no)
			continue;
		rec_fact *o = rec_fact_at(obs, "scaling_activity", k);
		double a = rec_fact_get_num(p, "time", DNAN);
		double b = rec_fact_get_num(o, "time", DNAN);
		char name[96];
		snprintf(name, sizeof(name), "%s scaling activity %zu: time", svc ? svc : "?", used + 1);
		item(c, name, a, b, 1);
		if (!isnan(a) && !isnan(b))
			lags[nl++] = b - a;
		used++;
	}
	c->lag_shift = rcal_median(lags, nl);
	c->lag_assumed = assumed_secs(pred, "cloudwatch.publicationDelay");
	free(lags);
}

rcal *
rcal_new(const recorder *predicted, const recorder *observed)
{
	rcal *c = xcalloc(1, sizeof(*c));
	c->pull_median = c->pull_sigma = c->start = c->ready = DNAN;
	double a_pull, a_sigma, a_start, a_ready;
	assumed_behaviour(predicted, &a_pull, &a_sigma, &a_start, &a_ready);
	c->assumed_pull_sigma = a_sigma;
	double o_pull, o_sigma, o_start, o_health;
	int n_pull, n_start, n_health;
	task_phases(c, observed, &o_pull, &n_pull, &o_sigma, &o_start, &n_start,
	    &o_health, &n_health);
	/* From the pull's end to RUNNING, ECS also spends ACTIVATING. */
	double act = assumed_secs(predicted, "ecs.activatingTime");
	if (isnan(act))
		act = 0;
	double p_health;
	item(c, "image pull (median)", a_pull, o_pull, n_pull);
	item(c, "pull end to RUNNING (median): start + ecs.activatingTime",
	    a_start + act, o_start, n_start);
	deployments(c, predicted, observed, &p_health);
	item(c, "RUNNING to healthy (median)", p_health, o_health, n_health);
	scaling(c, predicted, observed);
	const char *poll = rec_info_get(observed, "sampleInterval");
	snprintf(c->poll, sizeof(c->poll), "%s", poll ? poll : "the poll interval");
	double poll_s = rec_info_get(observed, "sampleIntervalSeconds") ?
	    atof(rec_info_get(observed, "sampleIntervalSeconds")) : 0;
	char b1[64], b2[64];
	/* A value is suggested only when the observation differs from the
	 * assumption by more than it can err. The pull: the sample median of
	 * n lognormal draws has a standard error of about 1.2533 sigma /
	 * sqrt(n) in log terms; beyond two of them the assumption is
	 * refuted. */
	if (n_pull > 0) {
		double sg = !isnan(a_sigma) ? a_sigma : 0.3;
		double band = 2 * 1.2533 * sg / sqrt(n_pull);
		if (isnan(a_pull) || a_pull <= 0 || o_pull <= 0 ||
		    fabs(log(o_pull / a_pull)) > band) {
			c->pull_median = o_pull;
			c->pull_sigma = !isnan(o_sigma) ? o_sigma : sg;
		} else {
			rdata_secs(b1, sizeof(b1), o_pull);
			rdata_secs(b2, sizeof(b2), a_pull);
			snprintf(c->kept[0], sizeof(c->kept[0]),
			    "image pull: median %s of %d is within the sampling error of the assumed %s (x/ %.2f)",
			    b1, n_pull, b2, exp(band));
		}
	}
	/* The start: timestamps to the millisecond. */
	if (n_start > 0) {
		if (isnan(a_start) || fabs(o_start - (a_start + act)) > 0.05)
			c->start = fmax(0, o_start - act);
		else
			snprintf(c->kept[1], sizeof(c->kept[1]),
			    "container start: as assumed (%s after the pull, ACTIVATING included)",
			    rdata_secs(b1, sizeof(b1), o_start));
	}
	/* Time to healthy is the image's readiness plus the health checks:
	 * the difference goes to readyTime, unless it is within the poll
	 * interval (a target's health is dated at the poll that shows it). */
	if (n_health > 0 && !isnan(p_health) && !isnan(a_ready)) {
		if (fabs(o_health - p_health) > poll_s)
			c->ready = fmax(0, a_ready + (o_health - p_health));
		else
			snprintf(c->kept[2], sizeof(c->kept[2]),
			    "time to healthy: %s from the prediction, within the poll interval %s",
			    rdata_secs(b1, sizeof(b1), fabs(o_health - p_health)), c->poll);
	}
	return c;
}

void
rcal_free(rcal *c)
{
	if (c == NULL)
		return;
	free(c->items);
	free(c);
}

size_t
rcal_count(const rcal *c)
{
	return c->n;
}

const rcal_item *
rcal_at(const rcal *c, size_t i)
{
	return i < c->n ? &c->items[i] : NULL;
}

const rcal_item *
rcal_find(const rcal *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].name, name) == 0)
			return &c->items[i];
	return NULL;
}

/* Seconds as a scenario duration, to 0.1 s: "9.8s", "2m5.5s". */
static void
dur(char *buf, size_t size, double secs)
{
	sim_time t;
	if (simtime_from_seconds(round(secs * 10) / 10, &t) != 0)
		t = 0;
	simtime_format(t, buf, size);
}

char *
rcal_fragment(const rcal *c)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *def = NULL;
	char b[64];
	if (!isnan(c->pull_median) || !isnan(c->start) || !isnan(c->ready))
		def = cJSON_AddObjectToObject(cJSON_AddObjectToObject(root, "behaviour"), "default");
	if (!isnan(c->pull_median)) {
		cJSON *p = cJSON_AddObjectToObject(def, "pullTime");
		cJSON_AddStringToObject(p, "dist", "lognormal");
		dur(b, sizeof(b), c->pull_median);
		cJSON_AddStringToObject(p, "median", b);
		cJSON_AddNumberToObject(p, "sigma", round(c->pull_sigma * 100) / 100);
	}
	if (!isnan(c->start)) {
		cJSON *p = cJSON_AddObjectToObject(def, "startTime");
		cJSON_AddStringToObject(p, "dist", "constant");
		dur(b, sizeof(b), c->start);
		cJSON_AddStringToObject(p, "value", b);
	}
	if (!isnan(c->ready)) {
		cJSON *p = cJSON_AddObjectToObject(def, "readyTime");
		cJSON_AddStringToObject(p, "dist", "constant");
		dur(b, sizeof(b), c->ready);
		cJSON_AddStringToObject(p, "value", b);
	}
	char *s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

recorder *
rcal_read_summary(const cJSON *summary)
{
	recorder *r = rec_new();
	const cJSON *x, *f, *v;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(summary, "info")) {
		char num[64];
		if (cJSON_IsNumber(x))
			snprintf(num, sizeof(num), "%.17g", x->valuedouble);
		if (cJSON_IsString(x) || cJSON_IsNumber(x))
			rec_info(r, x->string, cJSON_IsString(x) ? x->valuestring : num);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(summary, "assumptions")) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(x, "name");
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(x, "value");
		const cJSON *tag = cJSON_GetObjectItemCaseSensitive(x, "tag");
		const cJSON *note = cJSON_GetObjectItemCaseSensitive(x, "note");
		if (cJSON_IsString(n) && cJSON_IsString(val))
			rec_assume(r, n->valuestring, val->valuestring,
			    cJSON_IsString(tag) ? tag->valuestring : "",
			    cJSON_IsString(note) ? note->valuestring : "");
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(summary, "facts"))
		cJSON_ArrayForEach(f, x) {
			rec_fact *rf = rec_fact_new(r, x->string);
			cJSON_ArrayForEach(v, f) {
				if (cJSON_IsString(v))
					rec_fact_str(rf, v->string, v->valuestring);
				else if (cJSON_IsBool(v))
					rec_fact_bool(rf, v->string, cJSON_IsTrue(v));
				else if (cJSON_IsNumber(v))
					rec_fact_num(rf, v->string, v->valuedouble);
			}
		}
	return r;
}

bool
rcal_is_observed(const cJSON *summary)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(summary, "info"), "backend");
	return cJSON_IsString(b) && strcmp(b->valuestring, "aws") == 0;
}

static cJSON *
num_or_null(double v)
{
	return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v);
}

cJSON *
rcal_json(const rcal *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *items = cJSON_AddArrayToObject(o, "items");
	for (size_t i = 0; i < c->n; i++) {
		cJSON *it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "name", c->items[i].name);
		cJSON_AddItemToObject(it, "predicted", num_or_null(c->items[i].predicted));
		cJSON_AddItemToObject(it, "observed", num_or_null(c->items[i].observed));
		cJSON_AddNumberToObject(it, "samples", c->items[i].samples);
		cJSON_AddItemToArray(items, it);
	}
	char *frag = rcal_fragment(c);
	cJSON *fj = cJSON_Parse(frag);
	free(frag);
	cJSON_AddItemToObject(o, "fragment", fj ? fj : cJSON_CreateObject());
	cJSON *notes = cJSON_AddArrayToObject(o, "notSuggested");
	for (int i = 0; i < 3; i++)
		if (c->kept[i][0])
			cJSON_AddItemToArray(notes, cJSON_CreateString(c->kept[i]));
	return o;
}

static void
cell(rout *o, double secs)
{
	char b[64];
	if (isnan(secs))
		snprintf(b, sizeof(b), "n/a");
	else
		rdata_secs(b, sizeof(b), secs);
	rout_printf(o, "  %-12s", b);
}

void
rcal_write_text(rout *o, const rcal *c)
{
	rout_printf(o, "Calibration: prediction (simulation) against observation\n");
	rout_printf(o, "  %-58s  %-12s  %-12s  %s\n", "quantity", "predicted", "observed",
	    "samples");
	for (size_t i = 0; i < c->n; i++) {
		const rcal_item *it = &c->items[i];
		rout_printf(o, "  %-58s", it->name);
		cell(o, it->predicted);
		cell(o, it->observed);
		rout_printf(o, "  %d\n", it->samples);
	}
	char *frag = rcal_fragment(c);
	rout_printf(o, "\nSuggested scenario fragment (merge into the scenario):\n  %s\n", frag);
	free(frag);
	rout_printf(o, "\nNotes:\n");
	rout_printf(o, "  - a target's health is seen when polled: times to healthy are known to %s\n",
	    c->poll);
	for (int i = 0; i < 3; i++)
		if (c->kept[i][0])
			rout_printf(o, "  - not suggested: %s\n", c->kept[i]);
	if (!isnan(c->lag_shift)) {
		char sh[64], as[64], sug[64];
		rdata_secs(sh, sizeof(sh), fabs(c->lag_shift));
		rout_printf(o, "  - scaling activities came %s %s than predicted (median)", sh,
		    c->lag_shift >= 0 ? "later" : "earlier");
		if (!isnan(c->lag_assumed)) {
			rdata_secs(as, sizeof(as), c->lag_assumed);
			rdata_secs(sug, sizeof(sug), fmax(0, c->lag_assumed + c->lag_shift));
			rout_printf(o, ": cloudwatch.publicationDelay %s instead of the assumed %s would match", sug, as);
		}
		rout_printf(o, " (no scenario key sets it yet)\n");
	}
}
