/*
 * expect — parsing, name checks and evaluation of assertions (see
 * expect.h).
 *
 * Each kind is a row of one table: its JSON key, the members it accepts
 * (so a typo gets a did-you-mean before "missing required key"), its
 * parser and its evaluator. Items keep copies of everything, positions
 * included, in the set's own arena. Invariant: an evaluation reads the
 * recorder only, and a metric that was not recorded is a failed verdict
 * marked no_data, never a pass.
 */
#include "reports/expect.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rdata.h"
#include "sim/arena.h"
#include "sim/xalloc.h"

enum {
	K_DEPLOY,
	K_ROLLOUT,
	K_HEALTHY,
	K_RUNNING,
	K_INSTANCES,
	K_PLACEMENT,
	K_BREAKER,
	K_ERRORS,
	K_LATENCY,
	K_COST,
	K_RECOVERS,     /* faults: model/ecs/faults.h */
	K_FAULT_ERRORS,
	K_COUNT
};

static const char *const rollout_states[] = {"IN_PROGRESS", "COMPLETED",
    "FAILED"};

typedef struct expect_item {
	int kind;
	const char *name;
	jr_pos pos;                /* of the element */
	const char *service;       /* NULL when not given */
	const char *cluster;
	jr_pos service_pos, cluster_pos;
	int deployment;            /* 1-based; 0: every deployment */
	bool has_within;
	sim_time within;
	int state;                 /* index in rollout_states */
	bool use_min;              /* count: "minimumHealthy" */
	int64_t count;
	sim_time after;
	bool has_after;
	bool is;                   /* circuitBreakerTriggered */
	double percent, ms, usd;
	int percentile;
	int fault;                 /* 1-based fault id; 0: every fault */
	bool has_count, has_percent;
	double in;                 /* "in": percent of seeds, default 100 */
} expect_item;

struct expect_set {
	arena *a;
	expect_item *items;
	size_t n, cap;
};

struct expect_result {
	arena *a;
	expect_verdict *v;
	size_t n, failed;
};

/* ---- the set ---- */

expect_set *
expect_new(void)
{
	expect_set *x = xcalloc(1, sizeof(*x));
	x->a = arena_new();
	return x;
}

void
expect_free(expect_set *x)
{
	if (x == NULL)
		return;
	free(x->items);
	arena_free(x->a);
	free(x);
}

size_t
expect_count(const expect_set *x)
{
	return x->n;
}

const char *
expect_name(const expect_set *x, size_t i)
{
	SIM_ASSERT(i < x->n);
	return x->items[i].name;
}

double
expect_in(const expect_set *x, size_t i)
{
	SIM_ASSERT(i < x->n);
	return x->items[i].in;
}

/* "in": "99%" or "99.5%", a percentage in (0, 100]. */
static int
parse_in(const jr_val *v, double *out, sim_error *err)
{
	const char *s;
	char *end;
	int rc;
	if ((rc = jr_str(v, &s, err)) != 0)
		return rc;
	double p = strtod(s, &end);
	if (end == s || strcmp(end, "%") != 0 || !(p > 0 && p <= 100))
		return jr_fail(v, err,
		    "expected a share of seeds such as \"99%%\" (above 0%%, at most 100%%), got \"%s\"",
		    s);
	*out = p;
	return 0;
}

/* ---- parsing ---- */

/* v's position, copied into the set's arena. */
static jr_pos
where(expect_set *x, const jr_val *v)
{
	jr_pos p = jr_where(v);
	p.file = arena_strdup(x->a, p.file);
	p.path = arena_strdup(x->a, p.path);
	return p;
}

/* A required name member (service or cluster), with its position. */
static int
name_member(expect_set *x, jr_obj *o, const char *key, bool required,
    const char **out, jr_pos *pos, sim_error *err)
{
	jr_val v;
	const char *s;
	int rc;
	if (!jr_get(o, key, &v)) {
		if (required)
			return jr_need(o, key, &v, err);
		return 0;
	}
	if ((rc = jr_str(&v, &s, err)) != 0)
		return rc;
	if (s[0] == '\0')
		return jr_fail(&v, err, "expected a non-empty string");
	*out = arena_strdup(x->a, s);
	*pos = where(x, &v);
	return 0;
}

static int
service_member(expect_set *x, jr_obj *o, expect_item *it, bool required,
    sim_error *err)
{
	return name_member(x, o, "service", required, &it->service,
	    &it->service_pos, err);
}

static int
cluster_member(expect_set *x, jr_obj *o, expect_item *it, bool required,
    sim_error *err)
{
	return name_member(x, o, "cluster", required, &it->cluster,
	    &it->cluster_pos, err);
}

static int
count_member(jr_obj *o, expect_item *it, sim_error *err)
{
	return jr_req_int(o, "count", 0, INT64_MAX, &it->count, err);
}

static int
after_member(jr_obj *o, expect_item *it, sim_error *err)
{
	jr_val v;
	it->has_after = jr_get(o, "after", &v);
	return jr_opt_duration(o, "after", 0, SIM_DURATION_MAX, 0, &it->after,
	    err);
}

static int
parse_deploy(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	jr_val v;
	int rc;
	if ((rc = service_member(x, o, it, true, err)) != 0)
		return rc;
	if (jr_get(o, "within", &v)) {
		if ((rc = jr_duration(&v, 0, SIM_DURATION_MAX, &it->within, err)) != 0)
			return rc;
		it->has_within = true;
	}
	return jr_opt_int32(o, "deployment", 1, 1000000, 0, &it->deployment, err);
}

static int
parse_rollout(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	int rc;
	if ((rc = service_member(x, o, it, true, err)) != 0)
		return rc;
	return jr_req_enum(o, "is", rollout_states, 3, &it->state, err);
}

static int
parse_healthy(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	jr_val v;
	int rc;
	if ((rc = service_member(x, o, it, true, err)) != 0 ||
	    (rc = jr_need(o, "count", &v, err)) != 0)
		return rc;
	if (cJSON_IsString(v.node)) {
		if (strcmp(v.node->valuestring, "minimumHealthy") != 0)
			return jr_fail(&v, err,
			    "expected an integer >= 0 or \"minimumHealthy\", got \"%s\"",
			    v.node->valuestring);
		it->use_min = true;
	} else if (cJSON_IsNumber(v.node)) {
		if ((rc = jr_int(&v, 0, INT64_MAX, &it->count, err)) != 0)
			return rc;
	} else
		return jr_fail(&v, err,
		    "expected an integer >= 0 or \"minimumHealthy\", got %s",
		    jr_type_name(&v));
	return after_member(o, it, err);
}

static int
parse_running(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	int rc;
	if ((rc = service_member(x, o, it, true, err)) != 0 ||
	    (rc = count_member(o, it, err)) != 0)
		return rc;
	return after_member(o, it, err);
}

static int
parse_instances(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	int rc;
	if ((rc = cluster_member(x, o, it, true, err)) != 0 ||
	    (rc = count_member(o, it, err)) != 0)
		return rc;
	return after_member(o, it, err);
}

static int
parse_placement(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	int rc;
	if ((rc = service_member(x, o, it, true, err)) != 0)
		return rc;
	return count_member(o, it, err);
}

static int
parse_breaker(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	jr_val v;
	int rc;
	if ((rc = service_member(x, o, it, true, err)) != 0 ||
	    (rc = jr_need(o, "is", &v, err)) != 0)
		return rc;
	return jr_bool(&v, &it->is, err);
}

static int
parse_errors(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	int rc;
	if ((rc = service_member(x, o, it, false, err)) != 0)
		return rc;
	return jr_req_num(o, "percent", 0, 100, &it->percent, err);
}

static int
parse_latency(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	jr_val v;
	double p;
	int rc;
	if ((rc = service_member(x, o, it, true, err)) != 0 ||
	    (rc = jr_need(o, "percentile", &v, err)) != 0 ||
	    (rc = jr_num(&v, 0, 100, &p, err)) != 0)
		return rc;
	if (p != 50 && p != 95 && p != 99)
		return jr_fail(&v, err, "percentile must be 50, 95 or 99 (the latencies a run records), got %g", p);
	it->percentile = (int)p;
	return jr_req_num(o, "ms", 0, DBL_MAX, &it->ms, err);
}

static int
parse_cost(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	jr_val v;
	int rc;
	if ((rc = service_member(x, o, it, false, err)) != 0)
		return rc;
	if (it->service != NULL && jr_get(o, "cluster", &v))
		return jr_fail(&v, err, "give 'service' or 'cluster', not both");
	if ((rc = cluster_member(x, o, it, false, err)) != 0)
		return rc;
	return jr_req_num(o, "usd", 0, DBL_MAX, &it->usd, err);
}

/* ---- faults: recovery and errors per fault (fault_impact facts) ---- */

static int
fault_member(jr_obj *o, expect_item *it, sim_error *err)
{
	return jr_opt_int32(o, "fault", 1, 1000000, 0, &it->fault, err);
}

static int
parse_recovers(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	int rc;
	if ((rc = service_member(x, o, it, true, err)) != 0 ||
	    (rc = jr_req_duration(o, "within", 0, SIM_DURATION_MAX, &it->within,
	    err)) != 0)
		return rc;
	it->has_within = true;
	return fault_member(o, it, err);
}

static int
parse_fault_errors(expect_set *x, jr_obj *o, expect_item *it, sim_error *err)
{
	jr_val cv, pv;
	int rc;
	if ((rc = service_member(x, o, it, false, err)) != 0)
		return rc;
	it->has_count = jr_get(o, "count", &cv);
	it->has_percent = jr_get(o, "percent", &pv);
	if (it->has_count == it->has_percent)
		return jr_fail(it->has_count ? &pv : &cv, err,
		    "give the bound as \"count\" (failed requests) or \"percent\" (of the requests during the fault), one of them");
	if (it->has_count && (rc = jr_int(&cv, 0, INT64_MAX, &it->count, err)) != 0)
		return rc;
	if (it->has_percent && (rc = jr_num(&pv, 0, 100, &it->percent, err)) != 0)
		return rc;
	return fault_member(o, it, err);
}

typedef int (*parse_fn)(expect_set *, jr_obj *, expect_item *, sim_error *);

static const struct kind_info {
	const char *key;
	const char *members[4]; /* accepted members; NULL-terminated */
	parse_fn parse;
} kinds[K_COUNT] = {
	[K_DEPLOY] = {"deploymentCompletes", {"service", "within", "deployment"},
	    parse_deploy},
	[K_ROLLOUT] = {"rolloutState", {"service", "is"}, parse_rollout},
	[K_HEALTHY] = {"healthyTasksNeverBelow", {"service", "count", "after"},
	    parse_healthy},
	[K_RUNNING] = {"runningTasksNeverAbove", {"service", "count", "after"},
	    parse_running},
	[K_INSTANCES] = {"instancesNeverAbove", {"cluster", "count", "after"},
	    parse_instances},
	[K_PLACEMENT] = {"placementFailuresAtMost", {"service", "count"},
	    parse_placement},
	[K_BREAKER] = {"circuitBreakerTriggered", {"service", "is"},
	    parse_breaker},
	[K_ERRORS] = {"errorRateAtMost", {"service", "percent"}, parse_errors},
	[K_LATENCY] = {"latencyAtMost", {"service", "percentile", "ms"},
	    parse_latency},
	[K_COST] = {"costAtMost", {"usd", "service", "cluster"}, parse_cost},
	[K_RECOVERS] = {"recoversWithin", {"service", "within", "fault"},
	    parse_recovers},
	[K_FAULT_ERRORS] = {"errorsDuringFaultAtMost",
	    {"service", "count", "percent", "fault"}, parse_fault_errors},
};

/* A name for an assertion that has none, from what it asserts. */
static const char *
derive_name(arena *a, const expect_item *it)
{
	char b1[64], b2[64];
	const char *who = it->service ? it->service : it->cluster;
	char prefix[300] = "";
	if (who != NULL)
		snprintf(prefix, sizeof(prefix), "%s: ", who);
	char after[80] = "";
	if (it->after > 0)
		snprintf(after, sizeof(after), " after %s",
		    simtime_format(it->after, b2, sizeof(b2)));
	switch (it->kind) {
	case K_DEPLOY: {
		char within[80] = "";
		if (it->has_within)
			snprintf(within, sizeof(within), " within %s",
			    simtime_format(it->within, b1, sizeof(b1)));
		if (it->deployment > 0)
			return arena_printf(a, "%sdeployment %d completes%s", prefix,
			    it->deployment, within);
		return arena_printf(a, "%sdeployments complete%s", prefix, within);
	}
	case K_ROLLOUT:
		return arena_printf(a, "%srolloutState is %s", prefix,
		    rollout_states[it->state]);
	case K_HEALTHY:
		if (it->use_min)
			return arena_printf(a,
			    "%shealthy tasks never below the minimum%s", prefix, after);
		return arena_printf(a, "%shealthy tasks never below %lld%s", prefix,
		    (long long)it->count, after);
	case K_RUNNING:
		return arena_printf(a, "%srunning tasks never above %lld%s", prefix,
		    (long long)it->count, after);
	case K_INSTANCES:
		return arena_printf(a, "%sinstances never above %lld%s", prefix,
		    (long long)it->count, after);
	case K_PLACEMENT:
		return arena_printf(a, "%splacement failures at most %lld", prefix,
		    (long long)it->count);
	case K_BREAKER:
		return arena_printf(a, "%scircuit breaker %s", prefix,
		    it->is ? "triggered" : "not triggered");
	case K_ERRORS:
		return arena_printf(a, "%serror rate at most %s%%", prefix,
		    rdata_num(b1, sizeof(b1), it->percent));
	case K_LATENCY:
		return arena_printf(a, "%sp%d latency at most %s ms", prefix,
		    it->percentile, rdata_num(b1, sizeof(b1), it->ms));
	case K_COST:
		return arena_printf(a, "%scost at most %s", prefix,
		    rdata_usd(b1, sizeof(b1), it->usd));
	case K_RECOVERS:
		return arena_printf(a, "%srecovers within %s of %s", prefix,
		    simtime_format(it->within, b1, sizeof(b1)),
		    it->fault ? arena_printf(a, "fault %d", it->fault) : "each fault");
	case K_FAULT_ERRORS:
		return arena_printf(a, "%serrors during %s at most %s", prefix,
		    it->fault ? arena_printf(a, "fault %d", it->fault) : "each fault",
		    it->has_count ? arena_printf(a, "%lld", (long long)it->count) :
		    arena_printf(a, "%s%%", rdata_num(b1, sizeof(b1), it->percent)));
	default:
		sim_panic(__FILE__, __LINE__, "unknown assertion kind %d", it->kind);
	}
}

/* Read the object of one kind: unknown members are reported (with a
 * did-you-mean among the accepted ones) before anything else. */
static int
parse_kind(expect_set *x, int k, const jr_val *v, expect_item *it,
    sim_error *err)
{
	jr_obj o;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	for (int i = 0; i < 4 && kinds[k].members[i] != NULL; i++)
		jr_ignore(&o, kinds[k].members[i]);
	if ((rc = jr_done(&o, err)) != 0)
		return rc;
	return kinds[k].parse(x, &o, it, err);
}

static int
parse_one(expect_set *x, const jr_val *e, sim_error *err)
{
	jr_obj o;
	jr_val kv[K_COUNT], nv;
	int rc, first = -1, second = -1;
	if ((rc = jr_object(e, &o, err)) != 0)
		return rc;
	bool named = jr_get(&o, "name", &nv);
	jr_val inv;
	bool has_in = jr_get(&o, "in", &inv);
	for (int k = 0; k < K_COUNT; k++) {
		if (!jr_get(&o, kinds[k].key, &kv[k]))
			continue;
		if (first < 0)
			first = k;
		else if (second < 0)
			second = k;
	}
	/* an unknown member is most likely a misspelt or unknown kind: let
	 * jr_done place the error at it (the first unknown member in file
	 * order), then say which kind was meant */
	const char *unknown = NULL;
	for (const cJSON *m = o.v.node->child; m != NULL && unknown == NULL; m = m->next) {
		bool known = strcmp(m->string, "name") == 0 || strcmp(m->string, "in") == 0;
		for (int k = 0; k < K_COUNT && !known; k++)
			known = strcmp(m->string, kinds[k].key) == 0;
		if (!known)
			unknown = m->string;
	}
	if (unknown != NULL && (rc = jr_done(&o, err)) != 0) {
		int best = -1, bestd = 4;
		for (int k = 0; k < K_COUNT; k++) {
			int d = jr_edit_distance(kinds[k].key, unknown, 3);
			if (d < bestd) {
				bestd = d;
				best = k;
			}
		}
		if (best >= 0) {
			snprintf(err->msg, sizeof(err->msg), "unknown assertion '%s'; did you mean '%s'?", unknown, kinds[best].key);
			return rc;
		}
		size_t n = (size_t)snprintf(err->msg, sizeof(err->msg), "unknown assertion '%s'; the kinds are ", unknown);
		for (int k = 0; k < K_COUNT && n < sizeof(err->msg); k++)
			n += (size_t)snprintf(err->msg + n, sizeof(err->msg) - n, "%s%s",
			    k == 0 ? "" : k == K_COUNT - 1 ? " or " : ", ", kinds[k].key);
		if (n < sizeof(err->msg))
			snprintf(err->msg + n, sizeof(err->msg) - n, " (and the members name, in)");
		return rc;
	}
	if ((rc = jr_done(&o, err)) != 0)
		return rc;
	if (first < 0) {
		char list[400];
		size_t n = 0;
		for (int k = 0; k < K_COUNT; k++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
			    k == 0 ? "" : k == K_COUNT - 1 ? " or " : ", ",
			    kinds[k].key);
		return jr_fail(e, err, "expected one assertion: %s", list);
	}
	if (second >= 0)
		return jr_fail(&kv[second], err,
		    "one assertion per element: '%s' and '%s' given",
		    kinds[first].key, kinds[second].key);
	expect_item it;
	memset(&it, 0, sizeof(it));
	it.kind = first;
	it.pos = where(x, e);
	it.in = 100;
	if (has_in && (rc = parse_in(&inv, &it.in, err)) != 0)
		return rc;
	if (named) {
		const char *s;
		if ((rc = jr_str(&nv, &s, err)) != 0)
			return rc;
		if (s[0] == '\0')
			return jr_fail(&nv, err, "expected a non-empty string");
		for (size_t i = 0; i < x->n; i++)
			if (strcmp(x->items[i].name, s) == 0)
				return jr_fail(&nv, err,
				    "duplicate assertion name \"%s\" (also %s)", s,
				    x->items[i].pos.path);
		it.name = arena_strdup(x->a, s);
	}
	if ((rc = parse_kind(x, first, &kv[first], &it, err)) != 0)
		return rc;
	if (it.name == NULL)
		it.name = derive_name(x->a, &it);
	XGROW(x->items, x->cap, x->n + 1);
	x->items[x->n++] = it;
	return 0;
}

int
expect_parse(void *ctx, const jr_val *v, sim_error *err)
{
	expect_set *x = ctx;
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_elem(v, i, &e);
		if ((rc = parse_one(x, &e, err)) != 0)
			return rc;
	}
	return 0;
}

/* ---- name checks ---- */

static bool
same_ignoring_case(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
		if (ca != cb)
			return false;
	}
	return *a == *b;
}

static int
check_one(const char *what, const char *name, const jr_pos *pos,
    const char *const *known, size_t n, sim_error *err)
{
	if (name == NULL)
		return 0;
	const char *best = NULL;
	int bestd = 3;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(known[i], name) == 0)
			return 0;
		int d = same_ignoring_case(known[i], name) ? 0 :
		    jr_edit_distance(name, known[i], 2);
		if (d < bestd) {
			bestd = d;
			best = known[i];
		}
	}
	if (best != NULL)
		return jr_fail_at(pos, err, "no %s named \"%s\"; did you mean \"%s\"?",
		    what, name, best);
	if (n == 0)
		return jr_fail_at(pos, err, "no %s named \"%s\" (the scenario has no %ss)",
		    what, name, what);
	char list[300];
	size_t len = 0;
	for (size_t i = 0; i < n && len < sizeof(list); i++) {
		int w = i < 8 ? snprintf(list + len, sizeof(list) - len, "%s\"%s\"",
		    i ? ", " : "", known[i]) :
		    snprintf(list + len, sizeof(list) - len, ", ...");
		if (w < 0)
			break;
		len += (size_t)w;
		if (i >= 8)
			break;
	}
	return jr_fail_at(pos, err, "no %s named \"%s\" (%ss: %s)", what, name,
	    what, list);
}

int
expect_check_names(const expect_set *x, const char *const *services,
    size_t nservices, const char *const *clusters, size_t nclusters,
    sim_error *err)
{
	int rc;
	for (size_t i = 0; i < x->n; i++) {
		const expect_item *it = &x->items[i];
		if ((rc = check_one("service", it->service, &it->service_pos,
		    services, nservices, err)) != 0 ||
		    (rc = check_one("cluster", it->cluster, &it->cluster_pos,
		    clusters, nclusters, err)) != 0)
			return rc;
	}
	return 0;
}

/* ---- evaluation ---- */

/* Working state of one verdict. */
typedef struct ev {
	arena *a;
	const recorder *r;
	const expect_item *it;
	bool pass, no_data;
	const char *measured, *bound;
	double value; /* the measured number, NaN when none */
} ev;

static void
no_data(ev *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
no_data(ev *e, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	e->pass = false;
	e->no_data = true;
	e->measured = arena_printf(e->a, "no data: %s", buf);
}

static const char *
clock_at(char *buf, size_t size, sim_time t)
{
	return simtime_clock(t, buf, size);
}

/* A time field of a fact, in microseconds. */
static bool
fact_time(const rec_fact *f, const char *key, sim_time *out)
{
	const rec_value *v = rec_fact_get(f, key);
	if (v == NULL || v->type != REC_TIME)
		return false;
	*out = v->i;
	return true;
}

/* "deployment 2 (web:2)" */
static const char *
dep_label(arena *a, rec_fact *f, size_t i)
{
	const char *td = rec_fact_get_str(f, "taskDefinition");
	if (td != NULL && td[0] != '\0')
		return arena_printf(a, "deployment %zu (%s)", i + 1, td);
	return arena_printf(a, "deployment %zu", i + 1);
}

/* The duration of a finished deployment: "duration", else end - start. */
static bool
dep_duration(const rec_fact *f, sim_time *out)
{
	sim_time s, e;
	if (fact_time(f, "duration", out))
		return true;
	if (fact_time(f, "start", &s) && fact_time(f, "end", &e)) {
		*out = e - s;
		return true;
	}
	return false;
}

static void
eval_deploy(ev *e)
{
	const expect_item *it = e->it;
	char b1[64], b2[64];
	e->bound = it->has_within ? arena_printf(e->a, "COMPLETED within %s",
	    simtime_format(it->within, b1, sizeof(b1))) : "COMPLETED";
	rec_fact **d;
	size_t n = rdata_deployments(e->r, it->service, &d);
	size_t lo = 0, hi = n;
	if (n == 0) {
		no_data(e, "no deployment of service %s was recorded", it->service);
		return;
	}
	if (it->deployment > 0) {
		if ((size_t)it->deployment > n) {
			no_data(e, "service %s had %zu deployment%s, not %d", it->service,
			    n, n == 1 ? "" : "s", it->deployment);
			free(d);
			return;
		}
		lo = (size_t)it->deployment - 1;
		hi = lo + 1;
	}
	e->pass = true;
	sim_time longest = -1;
	size_t longest_i = lo;
	for (size_t i = lo; i < hi; i++) {
		const char *state = rec_fact_get_str(d[i], "rolloutState");
		const char *label = dep_label(e->a, d[i], i);
		sim_time dur = 0, start = 0;
		if (state == NULL)
			state = "UNKNOWN";
		if (strcmp(state, "IN_PROGRESS") == 0) {
			e->pass = false;
			if (fact_time(d[i], "start", &start))
				e->measured = arena_printf(e->a,
				    "%s still IN_PROGRESS at the end, after %s", label,
				    rdata_dur(b2, sizeof(b2), rdata_duration(e->r) - start));
			else
				e->measured = arena_printf(e->a,
				    "%s still IN_PROGRESS at the end", label);
			break;
		}
		bool has_dur = dep_duration(d[i], &dur);
		if (has_dur)
			e->value = simtime_to_seconds(dur);
		if (strcmp(state, "COMPLETED") != 0) {
			e->pass = false;
			e->measured = has_dur ? arena_printf(e->a, "%s %s after %s",
			    label, state, rdata_dur(b2, sizeof(b2), dur)) :
			    arena_printf(e->a, "%s %s", label, state);
			break;
		}
		if (it->has_within && (!has_dur || dur > it->within)) {
			e->pass = false;
			/* rounded up, so it never reads as equal to the bound */
			e->measured = has_dur ? arena_printf(e->a, "%s took %s", label,
			    simtime_format((dur + SIM_MS - 1) / SIM_MS * SIM_MS, b2,
			    sizeof(b2))) :
			    arena_printf(e->a, "%s has no recorded duration", label);
			break;
		}
		if (has_dur && dur > longest) {
			longest = dur;
			longest_i = i;
		}
	}
	if (e->pass) {
		e->value = longest >= 0 ? simtime_to_seconds(longest) : (double)NAN;
		if (hi - lo == 1)
			e->measured = longest >= 0 ? arena_printf(e->a,
			    "COMPLETED in %s", rdata_dur(b2, sizeof(b2), longest)) :
			    "COMPLETED";
		else
			e->measured = longest >= 0 ? arena_printf(e->a,
			    "all %zu COMPLETED, longest %s, %s", hi - lo,
			    rdata_dur(b2, sizeof(b2), longest),
			    dep_label(e->a, d[longest_i], longest_i)) :
			    arena_printf(e->a, "all %zu COMPLETED", hi - lo);
	}
	free(d);
}

static void
eval_rollout(ev *e)
{
	const expect_item *it = e->it;
	const char *want = rollout_states[it->state];
	e->bound = want;
	rec_fact **d;
	size_t n = rdata_deployments(e->r, it->service, &d);
	if (n == 0) {
		no_data(e, "no deployment of service %s was recorded", it->service);
		return;
	}
	const char *state = rec_fact_get_str(d[n - 1], "rolloutState");
	if (state == NULL)
		state = "UNKNOWN";
	e->pass = strcmp(state, want) == 0;
	e->measured = arena_printf(e->a, "%s (%s)", state,
	    dep_label(e->a, d[n - 1], n - 1));
	free(d);
}

static const char *
after_text(ev *e)
{
	char b[64];
	if (e->it->after <= 0)
		return "";
	return arena_printf(e->a, " after %s",
	    simtime_format(e->it->after, b, sizeof(b)));
}

static void
eval_healthy(ev *e)
{
	const expect_item *it = e->it;
	char b1[64], b2[64], b3[64];
	const char *aft = after_text(e);
	/* without "after": from the first steady state (a service being
	 * created has no healthy task yet, whatever its minimum) */
	sim_time from = it->after;
	if (!it->has_after &&
	    (from = rdata_steady_start(e->r, it->service)) > 0)
		aft = arena_printf(e->a, " since steady state at %s",
		    clock_at(b1, sizeof(b1), from));
	int hid = rdata_series(e->r, "service", it->service, "healthy");
	if (!it->use_min) {
		double lo;
		sim_time at;
		e->bound = arena_printf(e->a, ">= %lld%s", (long long)it->count, aft);
		if (hid < 0) {
			no_data(e, "no series service/%s/healthy", it->service);
			return;
		}
		if (!rdata_min(e->r, hid, from, &lo, &at)) {
			no_data(e, "no samples of service/%s/healthy%s", it->service, aft);
			return;
		}
		e->pass = lo >= (double)it->count;
		e->value = lo;
		e->measured = arena_printf(e->a, "lowest %s at %s",
		    rdata_num(b1, sizeof(b1), lo), clock_at(b2, sizeof(b2), at));
		return;
	}
	e->bound = arena_printf(e->a, ">= minimumHealthy%s", aft);
	int mid = rdata_series(e->r, "service", it->service, "minHealthy");
	if (hid < 0 || mid < 0) {
		no_data(e, "no series service/%s/%s", it->service,
		    hid < 0 ? "healthy" : "minHealthy");
		return;
	}
	bool found = false;
	double worst = 0, wh = 0, wm = 0;
	sim_time wat = 0;
	for (size_t i = 0; i < rec_row_count(e->r); i++) {
		sim_time t = rec_row_time(e->r, i);
		double h = rec_get(e->r, hid, i), m = rec_get(e->r, mid, i);
		if (t < from || isnan(h) || isnan(m))
			continue;
		if (!found || h - m < worst) {
			worst = h - m;
			wh = h;
			wm = m;
			wat = t;
			found = true;
		}
	}
	if (!found) {
		no_data(e, "no samples of service/%s/healthy%s", it->service, aft);
		return;
	}
	e->pass = worst >= 0;
	e->value = wh;
	e->measured = arena_printf(e->a, "%s healthy at %s (minimum %s)",
	    rdata_num(b1, sizeof(b1), wh), clock_at(b2, sizeof(b2), wat),
	    rdata_num(b3, sizeof(b3), wm));
}

/* Peak of a series against a count ("never above"). */
static void
eval_peak(ev *e, const char *scope, const char *name, const char *metric,
    double fact_peak)
{
	const expect_item *it = e->it;
	char b1[64], b2[64];
	const char *aft = after_text(e);
	e->bound = arena_printf(e->a, "<= %lld%s", (long long)it->count, aft);
	int id = rdata_series(e->r, scope, name, metric);
	double peak;
	sim_time at;
	bool have = rdata_max(e->r, id, it->after, &peak, &at);
	if (!have && isnan(fact_peak)) {
		if (id < 0)
			no_data(e, "no series %s/%s/%s", scope, name, metric);
		else
			no_data(e, "no samples of %s/%s/%s%s", scope, name, metric, aft);
		return;
	}
	if (!have || (!isnan(fact_peak) && fact_peak > peak)) {
		e->measured = arena_printf(e->a, have ? "peak %s (between samples)" :
		    "peak %s", rdata_num(b1, sizeof(b1), fact_peak));
		peak = fact_peak;
	} else
		e->measured = arena_printf(e->a, "peak %s at %s",
		    rdata_num(b1, sizeof(b1), peak), clock_at(b2, sizeof(b2), at));
	e->pass = peak <= (double)it->count;
	e->value = peak;
}

static void
eval_running(ev *e)
{
	eval_peak(e, "service", e->it->service, "running", (double)NAN);
}

static void
eval_instances(ev *e)
{
	double fact_peak = (double)NAN;
	if (e->it->after <= 0) {
		rec_fact *f = rdata_fact_by(e->r, "cluster", "name", e->it->cluster);
		if (f != NULL)
			fact_peak = rec_fact_get_num(f, "maxInstances", (double)NAN);
	}
	eval_peak(e, "cluster", e->it->cluster, "instances", fact_peak);
}

static void
eval_placement(ev *e)
{
	const expect_item *it = e->it;
	char b[64];
	e->bound = arena_printf(e->a, "<= %lld", (long long)it->count);
	int64_t listed = 0;
	const rec_fact *first = NULL;
	for (size_t i = 0; i < rec_fact_count(e->r, "placement_failure"); i++) {
		rec_fact *f = rec_fact_at(e->r, "placement_failure", i);
		const char *s = rec_fact_get_str(f, "service");
		if (s == NULL || strcmp(s, it->service) != 0)
			continue;
		if (first == NULL)
			first = f;
		listed++;
	}
	rec_fact *sf = rdata_fact_by(e->r, "service", "name", it->service);
	int64_t n = sf ? rec_fact_get_int(sf, "placementFailures", listed) :
	    listed;
	sim_time t;
	if (first != NULL && fact_time(first, "time", &t))
		e->measured = arena_printf(e->a, "%lld (first at %s)", (long long)n,
		    clock_at(b, sizeof(b), t));
	else
		e->measured = arena_printf(e->a, "%lld", (long long)n);
	e->pass = n <= it->count;
	e->value = (double)n;
}

static void
eval_breaker(ev *e)
{
	const expect_item *it = e->it;
	e->bound = it->is ? "triggered" : "not triggered";
	rec_fact **d;
	size_t n = rdata_deployments(e->r, it->service, &d);
	if (n == 0) {
		no_data(e, "no deployment of service %s was recorded", it->service);
		return;
	}
	size_t hit = n;
	for (size_t i = 0; i < n && hit == n; i++)
		if (rec_fact_get_num(d[i], "circuitBreakerTriggered", 0) != 0)
			hit = i;
	if (hit < n)
		e->measured = arena_printf(e->a, "triggered in %s",
		    dep_label(e->a, d[hit], hit));
	else
		e->measured = arena_printf(e->a, "not triggered in %zu deployment%s",
		    n, n == 1 ? "" : "s");
	e->pass = (hit < n) == it->is;
	e->value = hit < n ? 1 : 0;
	free(d);
}

static void
eval_errors(ev *e)
{
	const expect_item *it = e->it;
	char b1[64], b2[64], b3[64];
	e->bound = arena_printf(e->a, "<= %s%%",
	    rdata_num(b1, sizeof(b1), it->percent));
	/* the counts every report shows (rdata_traffic: rounded once) */
	int64_t req = 0, errs = 0;
	bool have = rdata_traffic(e->r, it->service, &req, &errs);
	if (!have || req <= 0) {
		if (it->service != NULL)
			no_data(e, "no requests recorded for service %s", it->service);
		else
			no_data(e, "no requests recorded");
		return;
	}
	double pct = rdata_error_percent(req, errs);
	e->pass = pct <= it->percent;
	e->value = pct;
	e->measured = arena_printf(e->a, "%s (%s of %s requests)",
	    rdata_pct(b1, sizeof(b1), pct), rdata_count(b2, sizeof(b2),
	    (double)errs), rdata_count(b3, sizeof(b3), (double)req));
}

static void
eval_latency(ev *e)
{
	const expect_item *it = e->it;
	char b1[64], b2[64], key[32];
	snprintf(key, sizeof(key), "latencyP%d", it->percentile);
	e->bound = arena_printf(e->a, "p%d <= %s ms", it->percentile,
	    rdata_num(b1, sizeof(b1), it->ms));
	rec_fact *f = rdata_fact_by(e->r, "service", "name", it->service);
	double v = f ? rec_fact_get_num(f, key, (double)NAN) : (double)NAN;
	if (isfinite(v)) {
		e->pass = v <= it->ms;
		e->value = v;
		e->measured = arena_printf(e->a, "%s ms",
		    rdata_num(b1, sizeof(b1), v));
		return;
	}
	sim_time at;
	if (rdata_max(e->r, rdata_series(e->r, "service", it->service, key), 0,
	    &v, &at)) {
		e->pass = v <= it->ms;
		e->value = v;
		e->measured = arena_printf(e->a, "%s ms (worst interval, at %s)",
		    rdata_num(b1, sizeof(b1), v), clock_at(b2, sizeof(b2), at));
		return;
	}
	no_data(e, "no latency recorded for service %s", it->service);
}

/* The last value of cluster/C/costUSD summed over clusters (or one). */
static bool
series_cost(const recorder *r, const char *cluster, double *out)
{
	const char **names;
	size_t n = rdata_clusters(r, &names);
	bool have = false;
	*out = 0;
	for (size_t i = 0; i < n; i++) {
		double v;
		if (cluster != NULL && strcmp(names[i], cluster) != 0)
			continue;
		if (rdata_last(r, rdata_series(r, "cluster", names[i], "costUSD"),
		    &v)) {
			*out += v;
			have = true;
		}
	}
	free(names);
	return have;
}

static void
eval_cost(ev *e)
{
	const expect_item *it = e->it;
	char b[64];
	e->bound = arena_printf(e->a, "<= %s", rdata_usd(b, sizeof(b), it->usd));
	double v = (double)NAN;
	rec_fact *f;
	if (it->service != NULL) {
		f = rdata_fact_by(e->r, "service", "name", it->service);
		v = f ? rec_fact_get_num(f, "costUSD", (double)NAN) : (double)NAN;
	} else if (it->cluster != NULL) {
		f = rdata_fact_by(e->r, "cluster", "name", it->cluster);
		v = f ? rec_fact_get_num(f, "costUSD", (double)NAN) : (double)NAN;
		if (isnan(v) && !series_cost(e->r, it->cluster, &v))
			v = (double)NAN;
	} else {
		f = rec_fact_at(e->r, "run", 0);
		v = f ? rec_fact_get_num(f, "costUSD", (double)NAN) : (double)NAN;
		if (isnan(v) && !series_cost(e->r, NULL, &v))
			v = (double)NAN;
	}
	if (isnan(v)) {
		if (it->service != NULL)
			no_data(e, "no cost recorded for service %s", it->service);
		else if (it->cluster != NULL)
			no_data(e, "no cost recorded for cluster %s", it->cluster);
		else
			no_data(e, "no cost recorded");
		return;
	}
	e->pass = v <= it->usd;
	e->value = v;
	e->measured = arena_strdup(e->a, rdata_usd(b, sizeof(b), v));
}

/* The fault_impact facts the assertion is about: its service's (or
 * every one), of its fault (or every one). Returns how many; *out owned
 * (free). */
static size_t
impacts(const recorder *r, const expect_item *it, rec_fact ***out)
{
	size_t n = rec_fact_count(r, "fault_impact"), k = 0;
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		rec_fact *f = rec_fact_at(r, "fault_impact", i);
		const char *s = rec_fact_get_str(f, "service");
		if (it->service != NULL && (s == NULL || strcmp(s, it->service) != 0))
			continue;
		if (it->fault > 0 && rec_fact_get_int(f, "fault", 0) != it->fault)
			continue;
		(*out)[k++] = f;
	}
	return k;
}

static const char *
fault_label(arena *a, const rec_fact *f)
{
	const char *kind = rec_fact_get_str(f, "kind");
	return arena_printf(a, "fault %lld (%s)",
	    (long long)rec_fact_get_int(f, "fault", 0), kind ? kind : "?");
}

static void
no_impacts(ev *e)
{
	const expect_item *it = e->it;
	if (it->fault > 0)
		no_data(e, "fault %d did not touch %s%s", it->fault,
		    it->service ? "service " : "any service",
		    it->service ? it->service : "");
	else
		no_data(e, "no fault touched %s%s", it->service ? "service " : "any service",
		    it->service ? it->service : "");
}

/* Every fault's window: the service back at its desired healthy count
 * (none of its tasks on faulted capacity) within the bound. */
static void
eval_recovers(ev *e)
{
	const expect_item *it = e->it;
	char b1[64], b2[64];
	e->bound = arena_printf(e->a, "back at the desired healthy count within %s",
	    simtime_format(it->within, b1, sizeof(b1)));
	rec_fact **f;
	size_t n = impacts(e->r, it, &f);
	if (n == 0) {
		no_impacts(e);
		free(f);
		return;
	}
	e->pass = true;
	sim_time worst = -1;
	size_t wi = 0;
	for (size_t i = 0; i < n; i++) {
		sim_time t;
		if (rec_fact_get_num(f[i], "recovered", 0) == 0 ||
		    !fact_time(f[i], "recoveryTime", &t)) {
			e->pass = false;
			e->measured = arena_printf(e->a, "not recovered by the end after %s (lowest healthy %lld)",
			    fault_label(e->a, f[i]),
			    (long long)rec_fact_get_int(f[i], "lowestHealthy", 0));
			free(f);
			return;
		}
		if (t > worst) {
			worst = t;
			wi = i;
		}
	}
	e->pass = worst <= it->within;
	e->value = simtime_to_seconds(worst);
	e->measured = arena_printf(e->a, "%s %s after %s (lowest healthy %lld)",
	    e->pass ? "recovered in" : "took",
	    e->pass ? rdata_dur(b2, sizeof(b2), worst) :
	    simtime_format((worst + SIM_MS - 1) / SIM_MS * SIM_MS, b2, sizeof(b2)),
	    fault_label(e->a, f[wi]), (long long)rec_fact_get_int(f[wi], "lowestHealthy", 0));
	free(f);
}

/* Requests that failed during each fault's window (from the fault to
 * the later of recovery and its end). */
static void
eval_fault_errors(ev *e)
{
	const expect_item *it = e->it;
	char b1[64], b2[64], b3[64];
	e->bound = it->has_count ? arena_printf(e->a, "<= %lld failed requests per fault",
	    (long long)it->count) :
	    arena_printf(e->a, "<= %s%% of the requests during each fault",
	    rdata_num(b1, sizeof(b1), it->percent));
	rec_fact **f;
	size_t n = impacts(e->r, it, &f);
	if (n == 0) {
		no_impacts(e);
		free(f);
		return;
	}
	double worst = -1, werr = 0, wreq = 0;
	size_t wi = 0;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (rec_fact_get(f[i], "requests") == NULL)
			continue; /* a service without workload */
		any = true;
		double req = rec_fact_get_num(f[i], "requests", 0);
		double err = rec_fact_get_num(f[i], "errors", 0);
		double v = it->has_count ? err : req > 0 ? 100.0 * err / req : 0;
		if (v > worst) {
			worst = v;
			werr = err;
			wreq = req;
			wi = i;
		}
	}
	if (!any) {
		no_data(e, "no requests recorded during the fault%s", n == 1 ? "" : "s");
		free(f);
		return;
	}
	e->pass = it->has_count ? worst <= (double)it->count : worst <= it->percent;
	e->value = worst;
	e->measured = arena_printf(e->a, "%s of %s requests failed (%s%%) during %s",
	    rdata_count(b1, sizeof(b1), werr), rdata_count(b2, sizeof(b2), wreq),
	    rdata_num(b3, sizeof(b3), wreq > 0 ? 100.0 * werr / wreq : 0),
	    fault_label(e->a, f[wi]));
	free(f);
}

static void (*const evals[K_COUNT])(ev *) = {
	[K_DEPLOY] = eval_deploy,
	[K_ROLLOUT] = eval_rollout,
	[K_HEALTHY] = eval_healthy,
	[K_RUNNING] = eval_running,
	[K_INSTANCES] = eval_instances,
	[K_PLACEMENT] = eval_placement,
	[K_BREAKER] = eval_breaker,
	[K_ERRORS] = eval_errors,
	[K_LATENCY] = eval_latency,
	[K_COST] = eval_cost,
	[K_RECOVERS] = eval_recovers,
	[K_FAULT_ERRORS] = eval_fault_errors,
};

expect_result *
expect_eval(const expect_set *x, const recorder *r)
{
	expect_result *res = xcalloc(1, sizeof(*res));
	res->a = arena_new();
	res->n = x->n;
	res->v = x->n ? arena_calloc(res->a, x->n, sizeof(expect_verdict)) : NULL;
	for (size_t i = 0; i < x->n; i++) {
		const expect_item *it = &x->items[i];
		ev e = {.a = res->a, .r = r, .it = it, .measured = "", .bound = "",
		    .value = (double)NAN};
		evals[it->kind](&e);
		expect_verdict *v = &res->v[i];
		v->name = arena_strdup(res->a, it->name);
		v->kind = kinds[it->kind].key;
		v->pass = e.pass;
		v->value = e.no_data ? (double)NAN : e.value;
		v->no_data = e.no_data;
		v->measured = e.measured;
		v->bound = e.bound;
		v->file = it->pos.file ? arena_strdup(res->a, it->pos.file) : NULL;
		v->line = it->pos.line;
		v->message = e.no_data ?
		    arena_printf(res->a, "%s; expected %s", e.measured, e.bound) :
		    arena_printf(res->a, "measured %s, expected %s", e.measured,
		    e.bound);
		if (!e.pass)
			res->failed++;
	}
	return res;
}

void
expect_result_free(expect_result *res)
{
	if (res == NULL)
		return;
	arena_free(res->a);
	free(res);
}

size_t
expect_result_count(const expect_result *res)
{
	return res->n;
}

size_t
expect_result_failed(const expect_result *res)
{
	return res->failed;
}

const expect_verdict *
expect_result_at(const expect_result *res, size_t i)
{
	SIM_ASSERT(i < res->n);
	return &res->v[i];
}
