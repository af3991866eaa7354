/*
 * scaling_policy — Application Auto Scaling policy math and input shapes
 * (see scaling_policy.h for the model and its unconfirmed choices).
 *
 * Everything here is a function of its arguments: parsed inputs live in
 * the jread loader's arena, decisions take the state they need and return
 * the capacity to set. Schedules are kept in UTC Unix seconds and turned
 * into sim time through sp_params.epoch only when a fire time is asked
 * for, so the epoch can be chosen after parsing.
 */
#include "model/autoscaling/scaling_policy.h"

#include <ctype.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parameters ---- */

void
sp_params_default(sp_params *p)
{
	p->tt_source = SP_TT_LATEST;
	p->out_cooldown_blocks_in = false;
	p->epoch = SP_DEFAULT_EPOCH;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d);


void
sp_assume(recorder *r)
{
	/* the values of sp_params are parameters (model/autoscaling/
	 * as_params.h); these are choices of method with no alternative */
	rec_assume(r, "targetTracking.capacityFormula",
	    "ceil(running x metric / target)", "MODEL",
	    "[INF] AWS documents only 'proportional' and conservative rounding");
	rec_assume(r, "cooldown.scope", "per policy", "MODEL",
	    "[UNCONFIRMED] per policy or per scalable target is not documented");
	rec_assume(r, "schedule.rateAnchor", "StartTime or put time, first "
	    "fire one rate later", "MODEL", "[INF] not documented");
}

/* ---- small helpers ---- */

static int
clamp_int(int64_t v, int lo, int hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return (int)v;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* ---- AWS names ---- */

static const char *const type_names[] = {
	"TargetTrackingScaling", "StepScaling",
};
static const char *const metric_names[] = {
	"ECSServiceAverageCPUUtilization",
	"ECSServiceAverageMemoryUtilization",
	"ALBRequestCountPerTarget",
	"ECSServiceAverageCPUUtilizationHighResolution",
	"ECSServiceAverageMemoryUtilizationHighResolution",
};
static const char *const adjustment_names[] = {
	"ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity",
};
static const char *const aggregation_names[] = {
	"Average", "Minimum", "Maximum",
};
static const char *const namespace_names[] = {"ecs"};
static const char *const dimension_names[] = {"ecs:service:DesiredCount"};

const char *
sp_policy_type_name(sp_policy_type t)
{
	return type_names[t];
}

const char *
sp_metric_name(sp_metric m)
{
	return metric_names[m];
}

const char *
sp_adjustment_name(sp_adjustment a)
{
	return adjustment_names[a];
}

bool
sp_metric_hires(sp_metric m)
{
	return m == SP_METRIC_CPU_HIRES || m == SP_METRIC_MEMORY_HIRES;
}

/* ---- common input members ---- */

/* ResourceId "service/<cluster>/<service>", split into its parts. */
static int
parse_resource_id(jr_obj *o, const char **rid, const char **cluster,
    const char **service, sim_error *err)
{
	jr_val v;
	int rc;
	if ((rc = jr_need(o, "ResourceId", &v, err)) != 0 ||
	    (rc = jr_str(&v, rid, err)) != 0)
		return rc;
	const char *s = *rid;
	const char *c = strncmp(s, "service/", 8) == 0 ? s + 8 : NULL;
	const char *slash = c != NULL ? strchr(c, '/') : NULL;
	if (slash == NULL || slash == c || slash[1] == '\0' ||
	    strchr(slash + 1, '/') != NULL)
		return jr_fail(&v, err,
		    "expected \"service/<cluster>/<service>\", got \"%s\"", s);
	arena *a = jr_arena(v.L);
	*cluster = arena_strndup(a, c, (size_t)(slash - c));
	*service = arena_strdup(a, slash + 1);
	return 0;
}

/* ServiceNamespace, ResourceId and ScalableDimension. */
static int
parse_head(jr_obj *o, const char **rid, const char **cluster,
    const char **service, sim_error *err)
{
	int rc, idx;
	if ((rc = jr_req_enum(o, "ServiceNamespace", namespace_names, 1, &idx,
	    err)) != 0 ||
	    (rc = parse_resource_id(o, rid, cluster, service, err)) != 0 ||
	    (rc = jr_req_enum(o, "ScalableDimension", dimension_names, 1, &idx,
	    err)) != 0)
		return rc;
	return 0;
}

/* Optional MinCapacity / MaxCapacity, with MinCapacity <= MaxCapacity. */
static int
parse_min_max(jr_obj *o, bool *has_min, int *min, bool *has_max, int *max,
    sim_error *err)
{
	jr_val vmin, vmax;
	int rc;
	*has_min = jr_get(o, "MinCapacity", &vmin);
	*has_max = jr_get(o, "MaxCapacity", &vmax);
	if (*has_min && (rc = jr_int32(&vmin, 0, INT_MAX, min, err)) != 0)
		return rc;
	if (*has_max && (rc = jr_int32(&vmax, 0, INT_MAX, max, err)) != 0)
		return rc;
	if (*has_min && *has_max && *min > *max)
		return jr_fail(&vmax, err,
		    "MaxCapacity (%d) must be >= MinCapacity (%d)", *max, *min);
	return 0;
}

/* A string of 1..maxlen characters. */
static int
req_name(jr_obj *o, const char *key, int maxlen, const char **out,
    jr_val *where, sim_error *err)
{
	int rc;
	if ((rc = jr_need(o, key, where, err)) != 0 ||
	    (rc = jr_str(where, out, err)) != 0)
		return rc;
	size_t n = strlen(*out);
	if (n == 0 || n > (size_t)maxlen)
		return jr_fail(where, err, "expected 1 to %d characters, got %zu",
		    maxlen, n);
	return 0;
}

/* ---- register-scalable-target ---- */

int
sp_parse_target(const jr_val *v, sp_target *out, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	out->pos = jr_where(&o.v);
	if ((rc = parse_head(&o, &out->resource_id, &out->cluster,
	    &out->service, err)) != 0 ||
	    (rc = parse_min_max(&o, &out->has_min, &out->min, &out->has_max,
	    &out->max, err)) != 0)
		return rc;
	if (jr_get(&o, "SuspendedState", &x)) {
		jr_obj so;
		out->has_suspended = true;
		if ((rc = jr_object(&x, &so, err)) != 0 ||
		    (rc = jr_opt_bool(&so, "DynamicScalingInSuspended", false,
		    &out->suspended.dynamic_in, err)) != 0 ||
		    (rc = jr_opt_bool(&so, "DynamicScalingOutSuspended", false,
		    &out->suspended.dynamic_out, err)) != 0 ||
		    (rc = jr_opt_bool(&so, "ScheduledScalingSuspended", false,
		    &out->suspended.scheduled, err)) != 0 ||
		    (rc = jr_done(&so, err)) != 0)
			return rc;
	}
	jr_ignore(&o, "RoleARN");
	jr_ignore(&o, "Tags");
	return jr_done(&o, err);
}

/* ---- put-scaling-policy ---- */

static int
parse_cooldown(jr_obj *o, const char *key, sim_time *out, sim_error *err)
{
	int secs, rc;
	if ((rc = jr_opt_int32(o, key, 0, INT_MAX, 300, &secs, err)) != 0)
		return rc;
	*out = (sim_time)secs * SIM_SEC;
	return 0;
}

static int
parse_tt(const jr_val *v, sp_tt *tt, sim_error *err)
{
	jr_obj o, mo;
	jr_val x, mv;
	int rc, metric;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	/* [DOC API TargetTrackingScalingPolicyConfiguration] TargetValue:
	 * 8.515920e-109 to 1.174271e+108 (2^-360 to 2^360). */
	if ((rc = jr_need(&o, "TargetValue", &x, err)) != 0 ||
	    (rc = jr_num(&x, -DBL_MAX, DBL_MAX, &tt->target, err)) != 0)
		return rc;
	if (!(tt->target >= SP_TARGET_MIN && tt->target <= SP_TARGET_MAX))
		return jr_fail(&x, err,
		    "TargetValue must be in [8.515920e-109, 1.174271e+108] and greater than 0, got %g",
		    tt->target);
	if (jr_get(&o, "CustomizedMetricSpecification", &x))
		return jr_fail(&x, err,
		    "CustomizedMetricSpecification is not supported by ecsim; use "
		    "PredefinedMetricSpecification");
	if ((rc = jr_need(&o, "PredefinedMetricSpecification", &mv, err)) != 0 ||
	    (rc = jr_object(&mv, &mo, err)) != 0 ||
	    (rc = jr_req_enum(&mo, "PredefinedMetricType", metric_names, 5,
	    &metric, err)) != 0)
		return rc;
	tt->metric = (sp_metric)metric;
	tt->resource_label = NULL;
	if (jr_get(&mo, "ResourceLabel", &x)) {
		if (tt->metric != SP_METRIC_ALB_REQUESTS)
			return jr_fail(&x, err,
			    "ResourceLabel is only valid with PredefinedMetricType "
			    "\"ALBRequestCountPerTarget\"");
		if ((rc = jr_str(&x, &tt->resource_label, err)) != 0)
			return rc;
		const char *s = tt->resource_label;
		const char *tg = strstr(s, "/targetgroup/");
		size_t n = strlen(s);
		if (strncmp(s, "app/", 4) != 0 || tg == NULL || n > 1023)
			return jr_fail(&x, err,
			    "expected \"app/<load-balancer-name>/<id>/targetgroup/"
			    "<target-group-name>/<id>\", got \"%s\"", s);
	} else if (tt->metric == SP_METRIC_ALB_REQUESTS)
		return jr_fail(&mo.v, err,
		    "missing required key 'ResourceLabel' (required for "
		    "PredefinedMetricType \"ALBRequestCountPerTarget\")");
	if ((rc = jr_done(&mo, err)) != 0 ||
	    (rc = parse_cooldown(&o, "ScaleOutCooldown", &tt->scale_out_cooldown,
	    err)) != 0 ||
	    (rc = parse_cooldown(&o, "ScaleInCooldown", &tt->scale_in_cooldown,
	    err)) != 0 ||
	    (rc = jr_opt_bool(&o, "DisableScaleIn", false, &tt->disable_scale_in,
	    err)) != 0)
		return rc;
	return jr_done(&o, err);
}

static int
step_bound(jr_obj *o, const char *key, bool *has, double *out,
    sim_error *err)
{
	jr_val x;
	*has = false;
	if (!jr_get(o, key, &x) || cJSON_IsNull(x.node))
		return 0; /* [DOC] null: an open bound */
	*has = true;
	return jr_num(&x, -DBL_MAX, DBL_MAX, out, err);
}

static int
parse_stepcfg(const jr_val *v, sp_stepcfg *s, sim_error *err)
{
	jr_obj o;
	jr_val arr, x;
	int rc, type, agg, n;
	if ((rc = jr_object(v, &o, err)) != 0 ||
	    (rc = jr_req_enum(&o, "AdjustmentType", adjustment_names, 3, &type,
	    err)) != 0)
		return rc;
	s->type = (sp_adjustment)type;
	if ((rc = jr_need(&o, "StepAdjustments", &arr, err)) != 0 ||
	    (rc = jr_array(&arr, &n, err)) != 0)
		return rc;
	if (n < 1 || n > SP_MAX_STEPS)
		return jr_fail(&arr, err,
		    "expected 1 to %d step adjustments, got %d", SP_MAX_STEPS, n);
	sp_step *steps = ARENA_ARRAY(jr_arena(arr.L), sp_step, (size_t)n);
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_obj so;
		jr_elem(&arr, i, &e);
		if ((rc = jr_object(&e, &so, err)) != 0)
			return rc;
		steps[i].pos = jr_where(&so.v);
		if ((rc = step_bound(&so, "MetricIntervalLowerBound",
		    &steps[i].has_lower, &steps[i].lower, err)) != 0 ||
		    (rc = step_bound(&so, "MetricIntervalUpperBound",
		    &steps[i].has_upper, &steps[i].upper, err)) != 0 ||
		    (rc = jr_req_int32(&so, "ScalingAdjustment", INT_MIN + 1,
		    INT_MAX, &steps[i].adjustment, err)) != 0 ||
		    (rc = jr_done(&so, err)) != 0)
			return rc;
	}
	int bad = 0;
	char why[256];
	if (sp_steps_check(steps, n, s->type, &bad, why, sizeof(why)) != 0)
		return jr_fail_at(&steps[bad].pos, err, "%s", why);
	s->steps = steps;
	s->nsteps = n;
	s->min_magnitude = 0;
	if (jr_get(&o, "MinAdjustmentMagnitude", &x)) {
		if ((rc = jr_int32(&x, 1, INT_MAX, &s->min_magnitude, err)) != 0)
			return rc;
		if (s->type != SP_PERCENT_CHANGE_IN_CAPACITY)
			return jr_fail(&x, err,
			    "MinAdjustmentMagnitude is only valid with AdjustmentType "
			    "\"PercentChangeInCapacity\"");
	}
	if ((rc = parse_cooldown(&o, "Cooldown", &s->cooldown, err)) != 0 ||
	    (rc = jr_opt_enum(&o, "MetricAggregationType", aggregation_names, 3,
	    SP_AGG_AVERAGE, &agg, err)) != 0)
		return rc;
	s->aggregation = (sp_aggregation)agg;
	return jr_done(&o, err);
}

static const char *
fmt_bound(bool has, double v, bool lower, char *buf, size_t size)
{
	if (!has)
		snprintf(buf, size, "%s", lower ? "-inf" : "+inf");
	else
		snprintf(buf, size, "%g", v);
	return buf;
}

int
sp_steps_check(const sp_step *steps, int n, sp_adjustment type, int *bad,
    char *why, size_t size)
{
	int order[SP_MAX_STEPS];
	int open_lower = -1, open_upper = -1;
	char a[32], b[32], c[32], d[32];

	if (n < 1 || n > SP_MAX_STEPS) {
		*bad = 0;
		snprintf(why, size, "expected 1 to %d step adjustments, got %d",
		    SP_MAX_STEPS, n);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const sp_step *s = &steps[i];
		*bad = i;
		if (s->has_lower && s->has_upper && !(s->upper > s->lower)) {
			snprintf(why, size,
			    "MetricIntervalUpperBound (%g) must be greater than "
			    "MetricIntervalLowerBound (%g)", s->upper, s->lower);
			return -1;
		}
		if (!s->has_lower) {
			if (open_lower >= 0) {
				snprintf(why, size,
				    "only one step adjustment may have a null "
				    "MetricIntervalLowerBound (StepAdjustments[%d] has one)",
				    open_lower);
				return -1;
			}
			open_lower = i;
		}
		if (!s->has_upper) {
			if (open_upper >= 0) {
				snprintf(why, size,
				    "only one step adjustment may have a null "
				    "MetricIntervalUpperBound (StepAdjustments[%d] has one)",
				    open_upper);
				return -1;
			}
			open_upper = i;
		}
		if (type == SP_EXACT_CAPACITY && s->adjustment < 0) {
			snprintf(why, size,
			    "ScalingAdjustment must be >= 0 with ExactCapacity, got %d",
			    s->adjustment);
			return -1;
		}
	}
	/* Insertion sort by lower bound (-inf first): n <= 20. */
	for (int i = 0; i < n; i++) {
		int j = i;
		while (j > 0) {
			const sp_step *p = &steps[order[j - 1]], *q = &steps[i];
			bool before = !q->has_lower ||
			    (p->has_lower && q->lower < p->lower);
			if (!before)
				break;
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (int k = 1; k < n; k++) {
		const sp_step *p = &steps[order[k - 1]], *q = &steps[order[k]];
		*bad = order[k];
		if (!p->has_upper || p->upper > q->lower) {
			snprintf(why, size,
			    "interval [%s, %s] overlaps StepAdjustments[%d] [%s, %s]",
			    fmt_bound(q->has_lower, q->lower, true, a, sizeof(a)),
			    fmt_bound(q->has_upper, q->upper, false, b, sizeof(b)),
			    order[k - 1],
			    fmt_bound(p->has_lower, p->lower, true, c, sizeof(c)),
			    fmt_bound(p->has_upper, p->upper, false, d, sizeof(d)));
			return -1;
		}
		if (p->upper < q->lower) {
			snprintf(why, size,
			    "gap between %g (upper bound of StepAdjustments[%d]) and %g "
			    "(lower bound of this one)", p->upper, order[k - 1],
			    q->lower);
			return -1;
		}
	}
	return 0;
}

int
sp_parse_policy(const jr_val *v, sp_policy *out, sim_error *err)
{
	jr_obj o;
	jr_val x, tv, sv, name;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	out->pos = jr_where(&o.v);
	if ((rc = req_name(&o, "PolicyName", 256, &out->name, &name, err)) != 0 ||
	    (rc = parse_head(&o, &out->resource_id, &out->cluster,
	    &out->service, err)) != 0)
		return rc;
	if ((rc = jr_need(&o, "PolicyType", &x, err)) != 0)
		return rc;
	if (cJSON_IsString(x.node) &&
	    strcmp(x.node->valuestring, "PredictiveScaling") == 0)
		return jr_fail(&x, err,
		    "PolicyType \"PredictiveScaling\" is not supported by ecsim");
	int type;
	if ((rc = jr_enum(&x, type_names, 2, &type, err)) != 0)
		return rc;
	out->type = (sp_policy_type)type;
	bool has_tt = jr_get(&o, "TargetTrackingScalingPolicyConfiguration", &tv);
	bool has_step = jr_get(&o, "StepScalingPolicyConfiguration", &sv);
	if (out->type == SP_TARGET_TRACKING) {
		if (has_step)
			return jr_fail(&sv, err,
			    "StepScalingPolicyConfiguration is not allowed with "
			    "PolicyType \"TargetTrackingScaling\"");
		if (!has_tt)
			return jr_fail(&o.v, err,
			    "missing required key "
			    "'TargetTrackingScalingPolicyConfiguration' (PolicyType is "
			    "\"TargetTrackingScaling\")");
		if ((rc = parse_tt(&tv, &out->tt, err)) != 0)
			return rc;
	} else {
		if (has_tt)
			return jr_fail(&tv, err,
			    "TargetTrackingScalingPolicyConfiguration is not allowed "
			    "with PolicyType \"StepScaling\"");
		if (!has_step)
			return jr_fail(&o.v, err,
			    "missing required key 'StepScalingPolicyConfiguration' "
			    "(PolicyType is \"StepScaling\")");
		if ((rc = parse_stepcfg(&sv, &out->step, err)) != 0)
			return rc;
	}
	jr_ignore(&o, "PolicyARN");
	jr_ignore(&o, "Alarms");
	return jr_done(&o, err);
}

/* ---- capacity math ---- */

int
sp_tt_capacity(int running, double metric, double target)
{
	SIM_ASSERT(target > 0);
	if (running <= 0 || !(metric > 0))
		return 0;
	double x = (double)running * metric / target;
	/* [INF §1.5] ceil, tolerant of binary rounding (10 x 70 / 70) */
	double c = ceil(x - 1e-9 * fmax(1.0, x));
	if (c > (double)INT_MAX)
		return INT_MAX;
	return (int)c;
}

double
sp_tt_metric(const alarm_eval *e, const sp_params *p)
{
	SIM_ASSERT(e->real > 0);
	switch (p->tt_source) {
	case SP_TT_AVERAGE:
		return e->average;
	case SP_TT_MAXIMUM:
		return e->maximum;
	case SP_TT_LATEST:
		break;
	}
	return e->latest;
}

double
sp_step_metric(const sp_stepcfg *s, const alarm_eval *e)
{
	SIM_ASSERT(e->real > 0);
	switch (s->aggregation) {
	case SP_AGG_MINIMUM:
		return e->minimum;
	case SP_AGG_MAXIMUM:
		return e->maximum;
	case SP_AGG_AVERAGE:
		break;
	}
	return e->average;
}

static bool
step_holds(const sp_step *s, double d, bool above)
{
	if (above) /* [DOC] lower inclusive, upper exclusive */
		return (!s->has_lower || d >= s->lower) &&
		    (!s->has_upper || d < s->upper);
	/* [DOC] below the threshold: lower exclusive, upper inclusive */
	return (!s->has_lower || d > s->lower) &&
	    (!s->has_upper || d <= s->upper);
}

int
sp_step_pick(const sp_stepcfg *s, double threshold, double metric)
{
	double d = metric - threshold;
	if (d >= 0)
		for (int i = 0; i < s->nsteps; i++)
			if (step_holds(&s->steps[i], d, true))
				return i;
	if (d <= 0)
		for (int i = 0; i < s->nsteps; i++)
			if (step_holds(&s->steps[i], d, false))
				return i;
	return -1;
}

int
sp_percent_delta(int current, int percent, int min_magnitude)
{
	int64_t p = (int64_t)current * percent; /* 100 x the exact change */
	int64_t d;
	if (p > 100)
		d = p / 100;  /* > 1: round down */
	else if (p > 0)
		d = 1;        /* (0, 1]: 1 */
	else if (p == 0)
		d = 0;
	else if (p >= -100)
		d = -1;       /* [-1, 0): -1 */
	else
		d = p / 100;  /* < -1: toward zero (C division truncates) */
	if (min_magnitude > 0 && percent != 0) {
		int64_t mag = d < 0 ? -d : d;
		if (mag < min_magnitude)
			d = percent > 0 ? min_magnitude : -(int64_t)min_magnitude;
	}
	return clamp_int(d, -INT_MAX, INT_MAX);
}

int
sp_step_capacity(const sp_stepcfg *s, const sp_step *st, int current)
{
	int64_t c;
	switch (s->type) {
	case SP_EXACT_CAPACITY:
		return st->adjustment;
	case SP_PERCENT_CHANGE_IN_CAPACITY:
		c = (int64_t)current +
		    sp_percent_delta(current, st->adjustment, s->min_magnitude);
		break;
	case SP_CHANGE_IN_CAPACITY:
	default:
		c = (int64_t)current + st->adjustment;
		break;
	}
	return clamp_int(c, 0, INT_MAX);
}

int
sp_bound(int dir, int desired, int proposed, int min, int max)
{
	int v = clamp_int(proposed, min, max);
	if (dir > 0)
		return v > desired ? v : desired;
	if (dir < 0)
		return v < desired ? v : desired;
	return desired;
}

/* ---- cooldowns ---- */

void
sp_cooldown_init(sp_cooldown *cd)
{
	cd->out_until = INT64_MIN;
	cd->out_base = 0;
	cd->out_set = 0;
	cd->in_until = INT64_MIN;
}

bool
sp_cooldown_out_active(const sp_cooldown *cd, sim_time now)
{
	return now < cd->out_until;
}

bool
sp_cooldown_in_active(const sp_cooldown *cd, sim_time now)
{
	return now < cd->in_until;
}

int
sp_cooldown_decide(const sp_cooldown *cd, sp_policy_type type, sim_time now,
    int desired, int proposed, const sp_params *p)
{
	if (proposed > desired) {
		if (type == SP_STEP_SCALING && sp_cooldown_out_active(cd, now)) {
			/* [DOC] only what exceeds the capacity already added */
			int64_t added = (int64_t)cd->out_set - cd->out_base;
			if (added < 0)
				added = 0;
			int64_t c = (int64_t)proposed - added;
			return c > desired ? clamp_int(c, 0, INT_MAX) : desired;
		}
		/* [DOC] TT: a larger scale-out goes through; desired already
		 * holds what the last one added */
		return proposed;
	}
	if (proposed < desired) {
		if (sp_cooldown_in_active(cd, now)) /* [DOC] */
			return desired;
		if (p->out_cooldown_blocks_in && sp_cooldown_out_active(cd, now))
			return desired; /* [UNCONFIRMED] off by default */
		return proposed;
	}
	return desired;
}

void
sp_cooldown_note(sp_cooldown *cd, sim_time now, int from, int to,
    sim_time out_cd, sim_time in_cd)
{
	if (to > from) {
		/* [INF] a chain of scale-outs keeps its first base */
		if (!sp_cooldown_out_active(cd, now))
			cd->out_base = from;
		cd->out_set = to;
		cd->out_until = now + out_cd;
		cd->in_until = INT64_MIN; /* [DOC] a scale-out ends it */
	} else if (to < from) {
		cd->in_until = now + in_cd;
		cd->out_until = INT64_MIN; /* [INF] */
	}
}

void
sp_cooldown_end_in(sp_cooldown *cd)
{
	cd->in_until = INT64_MIN;
}

/* ---- requests ---- */

sp_request
sp_tt_request(const sp_tt *tt, const sp_cooldown *cd, const sp_params *p,
    bool high, double metric, int running, int desired, int min, int max,
    sim_time now)
{
	sp_request r = {0, desired};
	if (!high && tt->disable_scale_in)
		return r;
	int raw;
	if (running <= 0)
		raw = high ? 1 : 0; /* [DOC §1.5] scale from zero: the minimum */
	else
		raw = sp_tt_capacity(running, metric, tt->target);
	/* AlarmHigh never scales in and AlarmLow never out */
	if (high && raw < desired)
		raw = desired;
	if (!high && raw > desired)
		raw = desired;
	int c = sp_cooldown_decide(cd, SP_TARGET_TRACKING, now, desired, raw, p);
	int dir = high ? 1 : -1;
	c = sp_bound(dir, desired, c, min, max);
	if (c != desired) {
		r.dir = dir;
		r.capacity = c;
	}
	return r;
}

sp_request
sp_step_request(const sp_stepcfg *s, const sp_cooldown *cd,
    const sp_params *p, double threshold, double metric, int current,
    int desired, int min, int max, sim_time now)
{
	sp_request r = {0, desired};
	int i = sp_step_pick(s, threshold, metric);
	if (i < 0)
		return r;
	int raw = sp_step_capacity(s, &s->steps[i], current);
	if (raw == current)
		return r;
	int dir = raw > current ? 1 : -1; /* the step's own direction */
	int proposed = raw;
	if (dir > 0 && sp_cooldown_out_active(cd, now)) {
		/* the adjustment on top of desired, less what the cooldown's
		 * scale-outs added (sp_cooldown_decide) */
		int64_t c = (int64_t)desired + raw - current;
		proposed = c > INT_MAX ? INT_MAX : (int)c;
	}
	int c = sp_cooldown_decide(cd, SP_STEP_SCALING, now, desired, proposed,
	    p);
	if (c == desired)
		return r; /* cooldown, or nothing beyond desired */
	c = sp_bound(dir, desired, c, min, max);
	if (c != desired) {
		r.dir = dir;
		r.capacity = c;
	}
	return r;
}

int
sp_combine(const sp_vote *v, int n, const sp_gate *g, int desired,
    int *capacity)
{
	static const sp_gate open = {false, false, false};
	int best = -1;
	if (g == NULL)
		g = &open;
	*capacity = desired;
	/* [DOC] scale out if any policy asks: the largest capacity wins */
	if (!g->out_suspended)
		for (int i = 0; i < n; i++)
			if (v[i].req.dir > 0 && v[i].req.capacity > desired &&
			    (best < 0 || v[i].req.capacity > v[best].req.capacity))
				best = i;
	if (best >= 0) {
		*capacity = v[best].req.capacity;
		return best;
	}
	/* [DOC] no scale-in while suspended or while a deployment runs */
	if (g->in_suspended || g->deploying)
		return -1;
	/* [DOC] TT scales in only if every scale-in-enabled TT policy asks */
	bool tt_all_in = true;
	for (int i = 0; i < n; i++)
		if (v[i].type == SP_TARGET_TRACKING && !v[i].disable_scale_in &&
		    v[i].req.dir >= 0)
			tt_all_in = false;
	for (int i = 0; i < n; i++) {
		if (v[i].req.dir >= 0 || v[i].req.capacity >= desired)
			continue;
		if (v[i].type == SP_TARGET_TRACKING && !tt_all_in)
			continue;
		/* [DOC] the largest capacity wins for scale-in too */
		if (best < 0 || v[i].req.capacity > v[best].req.capacity)
			best = i;
	}
	if (best >= 0)
		*capacity = v[best].req.capacity;
	return best;
}

/* ---- calendar (Howard Hinnant's civil-date algorithms) ---- */

static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;
	int64_t mp = (m + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

int64_t
sp_unix_time(int year, int month, int day, int hour, int min, int sec)
{
	return days_from_civil(year, month, day) * 86400 + hour * 3600 +
	    min * 60 + sec;
}

/* ---- schedule expressions ---- */

/* Exactly n digits at *s into *out; advances *s. */
static bool
digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return true;
}

/* "yyyy-mm-ddThh:mm:ss" (and, if zulu_ok, an optional trailing 'Z');
 * returns the length read or 0. */
static size_t
parse_datetime(const char *s, bool zulu_ok, int64_t *out)
{
	const char *p = s;
	int y, mo, d, h, mi, se;
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d) || *p++ != 'T' ||
	    !digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) ||
	    *p++ != ':' || !digits(&p, 2, &se))
		return 0;
	if (zulu_ok && *p == 'Z')
		p++;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || se > 59)
		return 0;
	*out = sp_unix_time(y, mo, d, h, mi, se);
	return (size_t)(p - s);
}

typedef struct bitset256 {
	uint64_t w[4];
} bitset256;

static void
bs_set(bitset256 *b, int i)
{
	b->w[i / 64] |= UINT64_C(1) << (i % 64);
}

static bool
bs_has(const uint64_t *w, int i)
{
	return (w[i / 64] >> (i % 64)) & 1;
}

static const char *const month_names[] = {
	"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
	"NOV", "DEC",
};
static const char *const day_names[] = {
	"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT",
};

typedef struct cron_field {
	const char *label;
	int lo, hi;
	const char *const *names; /* names[i] = lo + i, or NULL */
	bool q_ok;                /* '?' allowed */
} cron_field;

/* One value (number or name) at *s; advances *s. */
static bool
cron_value(const char **s, const cron_field *f, int *out)
{
	const char *p = *s;
	if (isdigit((unsigned char)*p)) {
		long v = 0;
		while (isdigit((unsigned char)*p) && v < 100000)
			v = v * 10 + (*p++ - '0');
		*out = (int)v;
		*s = p;
		return true;
	}
	if (f->names != NULL && isalpha((unsigned char)p[0]) &&
	    isalpha((unsigned char)p[1]) && isalpha((unsigned char)p[2]))
		for (int i = 0; i <= f->hi - f->lo; i++)
			if (toupper((unsigned char)p[0]) == f->names[i][0] &&
			    toupper((unsigned char)p[1]) == f->names[i][1] &&
			    toupper((unsigned char)p[2]) == f->names[i][2]) {
				*out = f->lo + i;
				*s = p + 3;
				return true;
			}
	return false;
}

/* Parse one cron field text into bits; *q set for '?'. */
static int
cron_parse_field(const char *text, const cron_field *f, bitset256 *bits,
    bool *q, char *why, size_t size)
{
	memset(bits, 0, sizeof(*bits));
	*q = false;
	for (const char *c = text; *c != '\0'; c++)
		if (*c == 'L' || *c == 'W' || *c == '#') {
			snprintf(why, size,
			    "'%c' in the %s field is not supported by ecsim (use numbers, "
			    "names, '*', '?', ranges, lists and steps)", *c, f->label);
			return -1;
		}
	if (strcmp(text, "?") == 0) {
		if (!f->q_ok) {
			snprintf(why, size,
			    "'?' is only allowed in the day-of-month and day-of-week "
			    "fields, not in the %s field", f->label);
			return -1;
		}
		*q = true;
		return 0;
	}
	const char *p = text;
	for (;;) {
		int a = f->lo, b = f->hi, step = 1;
		bool single = false;
		if (*p == '*')
			p++;
		else {
			if (!cron_value(&p, f, &a))
				goto bad;
			b = a;
			single = true;
			if (*p == '-') {
				p++;
				if (!cron_value(&p, f, &b))
					goto bad;
				single = false;
			}
		}
		if (*p == '/') {
			p++;
			if (!isdigit((unsigned char)*p))
				goto bad;
			long st = 0;
			while (isdigit((unsigned char)*p) && st < 100000)
				st = st * 10 + (*p++ - '0');
			if (st < 1) {
				snprintf(why, size, "step 0 in the %s field", f->label);
				return -1;
			}
			step = (int)st;
			if (single)
				b = f->hi; /* a/n: from a to the end */
		}
		if (a < f->lo || b > f->hi) {
			snprintf(why, size, "%s value out of range [%d, %d] in \"%s\"",
			    f->label, f->lo, f->hi, text);
			return -1;
		}
		if (a > b) {
			snprintf(why, size, "range %d-%d in the %s field goes backwards",
			    a, b, f->label);
			return -1;
		}
		for (int i = a; i <= b; i += step)
			bs_set(bits, i - (f->lo == 1970 ? 1970 : 0));
		if (*p == '\0')
			return 0;
		if (*p != ',')
			goto bad;
		p++;
	}
bad:
	snprintf(why, size, "invalid %s field \"%s\"", f->label, text);
	return -1;
}

static int
parse_cron(const char *body, sp_cron *c, char *why, size_t size)
{
	static const cron_field fields[6] = {
		{"minutes", 0, 59, NULL, false},
		{"hours", 0, 23, NULL, false},
		{"day-of-month", 1, 31, NULL, true},
		{"month", 1, 12, month_names, false},
		{"day-of-week", 1, 7, day_names, true},
		{"year", 1970, 2199, NULL, false},
	};
	char buf[256], *tok[7];
	int n = 0;
	if (strlen(body) >= sizeof(buf)) {
		snprintf(why, size, "cron expression too long");
		return -1;
	}
	strcpy(buf, body);
	for (char *p = buf; *p != '\0';) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (n == 7)
			break;
		tok[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	if (n != 6) {
		snprintf(why, size,
		    "cron() needs 6 fields (minutes hours day-of-month month "
		    "day-of-week year), got %s%d", n == 7 ? "more than " : "",
		    n == 7 ? 6 : n);
		return -1;
	}
	bitset256 bits[6];
	bool q[6];
	for (int i = 0; i < 6; i++)
		if (cron_parse_field(tok[i], &fields[i], &bits[i], &q[i], why,
		    size) != 0)
			return -1;
	if (q[2] == q[4]) {
		snprintf(why, size,
		    "exactly one of day-of-month and day-of-week must be '?'");
		return -1;
	}
	memset(c, 0, sizeof(*c));
	c->minutes = bits[0].w[0];
	c->hours = (uint32_t)bits[1].w[0];
	c->doms = (uint32_t)bits[2].w[0];
	c->months = (uint16_t)bits[3].w[0];
	c->dows = (uint8_t)bits[4].w[0];
	c->dom_any = q[2];
	memcpy(c->years, bits[5].w, sizeof(c->years));
	return 0;
}

static int
parse_rate(const char *body, sp_schedule *s, char *why, size_t size)
{
	static const struct {
		const char *name;
		sim_time unit;
	} units[] = {
		{"minute", SIM_MIN}, {"minutes", SIM_MIN}, {"hour", SIM_HOUR},
		{"hours", SIM_HOUR}, {"day", SIM_DAY}, {"days", SIM_DAY},
	};
	const char *p = body;
	int64_t n = 0;
	if (!isdigit((unsigned char)*p))
		goto bad;
	while (isdigit((unsigned char)*p)) {
		n = n * 10 + (*p++ - '0');
		if (n > 1000000000)
			goto bad;
	}
	if (*p != ' ')
		goto bad;
	while (*p == ' ')
		p++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].name) == 0) {
			if (n < 1) {
				snprintf(why, size, "rate() value must be at least 1");
				return -1;
			}
			if (n > SIM_DURATION_MAX / units[i].unit) {
				snprintf(why, size, "rate() is longer than 3660 days");
				return -1;
			}
			s->rate = n * units[i].unit;
			return 0;
		}
bad:
	snprintf(why, size,
	    "expected rate(<value> <unit>) with unit minute, minutes, hour, "
	    "hours, day or days, got \"rate(%s)\"", body);
	return -1;
}

int
sp_schedule_parse(const char *text, sp_schedule *out, char *why, size_t size)
{
	char body[256];
	size_t n = strlen(text);
	memset(out, 0, sizeof(*out));
	const char *open = strchr(text, '(');
	if (open == NULL || n < 2 || text[n - 1] != ')' ||
	    (size_t)(text + n - 1 - open - 1) >= sizeof(body)) {
		snprintf(why, size,
		    "expected at(...), rate(...) or cron(...), got \"%s\"", text);
		return -1;
	}
	size_t blen = (size_t)(text + n - 1 - (open + 1));
	memcpy(body, open + 1, blen);
	body[blen] = '\0';
	size_t klen = (size_t)(open - text);
	if (klen == 2 && strncmp(text, "at", 2) == 0) {
		out->kind = SP_SCHED_AT;
		if (parse_datetime(body, false, &out->at) != blen) {
			snprintf(why, size,
			    "expected at(yyyy-mm-ddThh:mm:ss) with a valid UTC date "
			    "and time, got \"%s\"", text);
			return -1;
		}
		return 0;
	}
	if (klen == 4 && strncmp(text, "rate", 4) == 0) {
		out->kind = SP_SCHED_RATE;
		return parse_rate(body, out, why, size);
	}
	if (klen == 4 && strncmp(text, "cron", 4) == 0) {
		out->kind = SP_SCHED_CRON;
		return parse_cron(body, &out->cron, why, size);
	}
	snprintf(why, size, "expected at(...), rate(...) or cron(...), got \"%s\"",
	    text);
	return -1;
}

/* Sim time of Unix second u. */
static sim_time
to_sim(const sp_params *p, int64_t u)
{
	return (u - p->epoch) * SIM_SEC;
}

static bool
cron_day_ok(const sp_cron *c, int64_t days, int d)
{
	if (c->dom_any) {
		/* 1970-01-01 was a Thursday; AWS numbers Sunday 1 */
		int64_t wd = days + 4 - floor_div(days + 4, 7) * 7;
		return (c->dows >> (wd + 1)) & 1;
	}
	return (c->doms >> d) & 1;
}

/* First minute >= unix minute m0 matching c; false past 2199. */
static bool
cron_next(const sp_cron *c, int64_t m0, int64_t *out)
{
	int64_t day = floor_div(m0, 1440);
	int mod = (int)(m0 - day * 1440);
	for (;;) {
		int y, mo, d;
		civil_from_days(day, &y, &mo, &d);
		if (y > 2199)
			return false;
		if (y < 1970 || !bs_has(c->years, y - 1970)) {
			day = days_from_civil(y + 1, 1, 1);
			mod = 0;
			continue;
		}
		if (!((c->months >> mo) & 1)) {
			day = mo == 12 ? days_from_civil(y + 1, 1, 1) :
			    days_from_civil(y, mo + 1, 1);
			mod = 0;
			continue;
		}
		if (cron_day_ok(c, day, d))
			for (int h = mod / 60; h < 24; h++) {
				if (!((c->hours >> h) & 1))
					continue;
				for (int mi = h == mod / 60 ? mod % 60 : 0; mi < 60; mi++)
					if ((c->minutes >> mi) & 1) {
						*out = day * 1440 + h * 60 + mi;
						return true;
					}
			}
		day++;
		mod = 0;
	}
}

bool
sp_schedule_next(const sp_schedule *s, const sp_params *p, sim_time created,
    sim_time after, sim_time *out)
{
	sim_time lo = after; /* the result must be > lo */
	if (s->kind != SP_SCHED_AT && s->has_start &&
	    to_sim(p, s->start) - 1 > lo)
		lo = to_sim(p, s->start) - 1;
	sim_time t;
	switch (s->kind) {
	case SP_SCHED_AT:
		t = to_sim(p, s->at);
		if (t <= after)
			return false;
		*out = t;
		return true;
	case SP_SCHED_RATE: {
		sim_time anchor = s->has_start ? to_sim(p, s->start) : created;
		int64_t k = lo < anchor ? 1 : floor_div(lo - anchor, s->rate) + 1;
		if (k < 1)
			k = 1;
		t = anchor + k * s->rate;
		break;
	}
	case SP_SCHED_CRON:
	default: {
		int64_t abs_us = p->epoch * SIM_SEC + lo;
		int64_t m0 = floor_div(abs_us, SIM_MIN) + 1;
		int64_t m;
		if (!cron_next(&s->cron, m0, &m))
			return false;
		t = to_sim(p, m * 60);
		break;
	}
	}
	if (s->has_end && t > to_sim(p, s->end))
		return false;
	*out = t;
	return true;
}

/* ---- put-scheduled-action ---- */

static int
parse_timestamp(const jr_val *v, int64_t *out, sim_error *err)
{
	if (cJSON_IsNumber(v->node))
		return jr_int(v, 0, INT64_C(7258118400), out, err);
	if (!cJSON_IsString(v->node))
		return jr_fail(v, err,
		    "expected a date-time string or Unix seconds, got %s",
		    jr_type_name(v));
	const char *s = v->node->valuestring;
	size_t n = parse_datetime(s, true, out);
	if (n == 0 || s[n] != '\0')
		return jr_fail(v, err,
		    "expected a UTC date-time \"yyyy-mm-ddThh:mm:ss\" (optionally "
		    "ending in Z), got \"%s\"", s);
	return 0;
}

/* [DOC] ScheduledActionName: no ':', '/', '|', control characters, or
 * leading/trailing spaces. */
static bool
action_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == ':' || *p == '/' || *p == '|')
			return false;
	return true;
}

int
sp_parse_scheduled_action(const jr_val *v, sp_sched_action *out,
    sim_error *err)
{
	jr_obj o;
	jr_val x, name;
	int rc;
	char why[256];
	memset(out, 0, sizeof(*out));
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	out->pos = jr_where(&o.v);
	if ((rc = req_name(&o, "ScheduledActionName", 256, &out->name, &name,
	    err)) != 0)
		return rc;
	if (!action_name_ok(out->name))
		return jr_fail(&name, err,
		    "ScheduledActionName must not contain ':', '/', '|' or control "
		    "characters, nor start or end with a space");
	if ((rc = parse_head(&o, &out->resource_id, &out->cluster,
	    &out->service, err)) != 0)
		return rc;
	if ((rc = jr_need(&o, "Schedule", &x, err)) != 0 ||
	    (rc = jr_str(&x, &out->expression, err)) != 0)
		return rc;
	if (sp_schedule_parse(out->expression, &out->schedule, why,
	    sizeof(why)) != 0)
		return jr_fail(&x, err, "%s", why);
	if (jr_get(&o, "Timezone", &x)) {
		const char *tz;
		if ((rc = jr_str(&x, &tz, err)) != 0)
			return rc;
		if (strcmp(tz, "UTC") != 0 && strcmp(tz, "Etc/UTC") != 0)
			return jr_fail(&x, err,
			    "Timezone \"%s\" is not supported: ecsim evaluates schedules "
			    "in UTC only (use \"UTC\" or omit Timezone)", tz);
	}
	jr_val sv, ev;
	bool has_start = jr_get(&o, "StartTime", &sv);
	bool has_end = jr_get(&o, "EndTime", &ev);
	if (has_start && (rc = parse_timestamp(&sv, &out->schedule.start,
	    err)) != 0)
		return rc;
	if (has_end && (rc = parse_timestamp(&ev, &out->schedule.end, err)) != 0)
		return rc;
	if (has_start && has_end && out->schedule.end <= out->schedule.start)
		return jr_fail(&ev, err, "EndTime must be after StartTime");
	out->schedule.has_start = has_start;
	out->schedule.has_end = has_end;
	jr_obj ao;
	if ((rc = jr_need(&o, "ScalableTargetAction", &x, err)) != 0 ||
	    (rc = jr_object(&x, &ao, err)) != 0 ||
	    (rc = parse_min_max(&ao, &out->has_min, &out->min, &out->has_max,
	    &out->max, err)) != 0 ||
	    (rc = jr_done(&ao, err)) != 0)
		return rc;
	if (!out->has_min && !out->has_max)
		return jr_fail(&x, err,
		    "ScalableTargetAction must set MinCapacity or MaxCapacity");
	return jr_done(&o, err);
}

int
sp_scheduled_apply(const sp_sched_action *a, int *min, int *max,
    int current)
{
	if (a->has_min)
		*min = a->min;
	if (a->has_max)
		*max = a->max;
	if (*min > *max) { /* [INF] the unnamed bound follows */
		if (a->has_min)
			*max = *min;
		else
			*min = *max;
	}
	/* [DOC] below the new Min: scale out to it; above Max: in to it */
	return clamp_int(current, *min, *max);
}
