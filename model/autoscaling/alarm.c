/*
 * alarm — CloudWatch metric alarms (see alarm.h for the rules).
 *
 * The ring has one slot per period of the evaluation range; period p lives
 * in slot p mod R and is valid only while the slot still names p, so a
 * period that was never put reads as missing without any clearing pass.
 */
#include "model/autoscaling/alarm.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

typedef struct alarm_slot {
	int64_t period; /* -1: never used */
	double value;
	bool present;
	bool breaches;  /* alarm_breaches(value), taken when recorded (an
	                   alarm's threshold does not change) */
} alarm_slot;

struct alarm {
	alarm_config cfg;
	alarm_state state;
	int nslots;
	int64_t newest; /* newest period recorded, -1 if none */
	alarm_slot *slots;
};

void
alarm_config_init(alarm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->statistic = ALARM_STAT_AVERAGE;
	c->period = 60 * SIM_SEC;
	c->evaluation_periods = 1;
	c->datapoints_to_alarm = 1;
	c->cmp = ALARM_GT;
	c->threshold = 0;
	c->treat_missing = ALARM_MISSING_MISSING;
	c->extra_range = ALARM_EXTRA_RANGE;
}

/* [DOC] Period: 10, 20, 30 or any multiple of 60 seconds. */
static bool
period_valid(sim_time p)
{
	return p == 10 * SIM_SEC || p == 20 * SIM_SEC || p == 30 * SIM_SEC ||
	    (p > 0 && p % (60 * SIM_SEC) == 0);
}

int
alarm_config_check(const alarm_config *c, char *why, size_t size)
{
	if (!period_valid(c->period)) {
		char buf[32];
		snprintf(why, size,
		    "Period must be 10, 20, 30 or a multiple of 60 seconds, got %s",
		    simtime_format(c->period, buf, sizeof(buf)));
		return -1;
	}
	if (c->evaluation_periods < 1) {
		snprintf(why, size, "EvaluationPeriods must be at least 1, got %d",
		    c->evaluation_periods);
		return -1;
	}
	if (c->datapoints_to_alarm < 1 ||
	    c->datapoints_to_alarm > c->evaluation_periods) {
		snprintf(why, size,
		    "DatapointsToAlarm must be in [1, EvaluationPeriods = %d], got %d",
		    c->evaluation_periods, c->datapoints_to_alarm);
		return -1;
	}
	if ((sim_time)c->evaluation_periods > ALARM_MAX_SPAN / c->period) {
		snprintf(why, size,
		    "EvaluationPeriods x Period must be at most 7 days, "
		    "got %d x %" PRId64 " s", c->evaluation_periods,
		    c->period / SIM_SEC);
		return -1;
	}
	if (c->extra_range < 0) {
		snprintf(why, size, "extra_range must be >= 0, got %d",
		    c->extra_range);
		return -1;
	}
	return 0;
}

bool
alarm_breaches(const alarm_config *c, double v)
{
	switch (c->cmp) {
	case ALARM_GT:
		return v > c->threshold;
	case ALARM_GE:
		return v >= c->threshold;
	case ALARM_LT:
		return v < c->threshold;
	case ALARM_LE:
		return v <= c->threshold;
	}
	return false;
}

alarm *
alarm_new(const alarm_config *c)
{
	char why[256];
	if (alarm_config_check(c, why, sizeof(why)) != 0)
		sim_panic(__FILE__, __LINE__, "alarm_new: %s", why);
	alarm *a = xcalloc(1, sizeof(*a));
	a->cfg = *c;
	a->state = ALARM_INSUFFICIENT_DATA;
	a->nslots = c->evaluation_periods + c->extra_range;
	a->newest = -1;
	a->slots = xcalloc((size_t)a->nslots, sizeof(*a->slots));
	for (int i = 0; i < a->nslots; i++)
		a->slots[i].period = -1;
	return a;
}

void
alarm_free(alarm *a)
{
	if (a == NULL)
		return;
	free(a->slots);
	free(a);
}

const alarm_config *
alarm_get_config(const alarm *a)
{
	return &a->cfg;
}

alarm_state
alarm_get_state(const alarm *a)
{
	return a->state;
}

alarm_state
alarm_set_state(alarm *a, alarm_state st)
{
	alarm_state prev = a->state;
	a->state = st;
	return prev;
}

int64_t
alarm_period_of(const alarm *a, sim_time t)
{
	SIM_ASSERT(t >= 0);
	return t / a->cfg.period;
}

static bool
record(alarm *a, int64_t k, double value, bool present)
{
	SIM_ASSERT(k >= 0);
	if (a->newest >= 0 && k <= a->newest - a->nslots)
		return false;
	alarm_slot *s = &a->slots[k % a->nslots];
	if (s->period > k)
		return false;
	s->period = k;
	s->value = value;
	s->present = present;
	s->breaches = present && alarm_breaches(&a->cfg, value);
	if (k > a->newest)
		a->newest = k;
	return true;
}

bool
alarm_put(alarm *a, int64_t k, double value)
{
	return record(a, k, value, true);
}

bool
alarm_put_missing(alarm *a, int64_t k)
{
	return record(a, k, 0, false);
}

/* fmin / fmax without the library call (they ran once per datapoint of
 * every evaluation): a NaN loses, otherwise the lesser (greater) of the
 * two, the second on a tie. */
static inline double
min_of(double a, double b)
{
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	return a < b ? a : b;
}

static inline double
max_of(double a, double b)
{
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	return a > b ? a : b;
}

void
alarm_evaluate(alarm *a, int64_t k, alarm_eval *out)
{
	const alarm_config *c = &a->cfg;
	const int n = c->evaluation_periods, m = c->datapoints_to_alarm;
	int real = 0, breach = 0, oldest_breach_age = 0;
	double sum = 0, lo = DBL_MAX, hi = -DBL_MAX, latest = 0;

	SIM_ASSERT(k >= 0);
	/* Newest to oldest: the N most recent real datapoints if the range
	 * has that many, else every real one in the range. */
	int slot = (int)(k % a->nslots);
	for (int age = 1; age <= a->nslots && real < n; age++, slot = slot ? slot - 1 : a->nslots - 1) {
		int64_t p = k - age + 1;
		if (p < 0)
			break;
		const alarm_slot *s = &a->slots[slot];
		if (s->period != p || !s->present)
			continue;
		if (real == 0)
			latest = s->value;
		real++;
		sum += s->value;
		lo = min_of(lo, s->value);
		hi = max_of(hi, s->value);
		if (s->breaches) {
			breach++;
			oldest_breach_age = age;
		}
	}

	alarm_state st = a->state;
	if (real == n) {
		/* [DOC] enough real datapoints: missing data is not consulted */
		st = breach >= m ? ALARM_ALARM : ALARM_OK;
	} else if (real == 0) {
		/* [DOC] every datapoint of the range is missing */
		switch (c->treat_missing) {
		case ALARM_MISSING_MISSING:
			st = ALARM_INSUFFICIENT_DATA;
			break;
		case ALARM_MISSING_IGNORE:
			break;
		case ALARM_MISSING_BREACHING:
			st = ALARM_ALARM;
			break;
		case ALARM_MISSING_NOT_BREACHING:
			st = ALARM_OK;
			break;
		}
	} else {
		/* 0 < real < N: all real datapoints plus N - real fills */
		int filled = n - real;
		bool all_breach = breach == real;
		switch (c->treat_missing) {
		case ALARM_MISSING_BREACHING: /* [DOC] */
			st = breach + filled >= m ? ALARM_ALARM : ALARM_OK;
			break;
		case ALARM_MISSING_NOT_BREACHING: /* [DOC] */
			st = breach >= m ? ALARM_ALARM : ALARM_OK;
			break;
		case ALARM_MISSING_MISSING:
			if (breach >= m)
				st = ALARM_ALARM;
			else if (all_breach && oldest_breach_age >= m)
				st = ALARM_ALARM; /* [DOC] premature-transition rule */
			else if (!all_breach)
				st = ALARM_OK;
			/* else [INF] keep the state: wait for more data */
			break;
		case ALARM_MISSING_IGNORE:
			if (breach >= m)
				st = ALARM_ALARM;
			else if (!all_breach)
				st = ALARM_OK;
			/* else [DOC table] retain the current state */
			break;
		}
	}

	out->prev = a->state;
	out->state = st;
	out->changed = st != a->state;
	out->real = real;
	out->filled = n - real;
	out->breaching = breach;
	out->latest = latest;
	out->average = real > 0 ? sum / real : 0;
	out->minimum = real > 0 ? lo : 0;
	out->maximum = real > 0 ? hi : 0;
	a->state = st;
}

const char *
alarm_state_name(alarm_state s)
{
	switch (s) {
	case ALARM_OK:
		return "OK";
	case ALARM_ALARM:
		return "ALARM";
	case ALARM_INSUFFICIENT_DATA:
		return "INSUFFICIENT_DATA";
	}
	return "?";
}

static const char *const cmp_names[] = {
	"GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
	"LessThanThreshold", "LessThanOrEqualToThreshold",
};
static const char *const missing_names[] = {
	"missing", "notBreaching", "breaching", "ignore",
};
static const char *const stat_names[] = {
	"Average", "Sum", "Minimum", "Maximum", "SampleCount",
};

const char *
alarm_cmp_name(alarm_cmp c)
{
	return cmp_names[c];
}

const char *
alarm_missing_name(alarm_missing m)
{
	return missing_names[m];
}

const char *
alarm_stat_name(alarm_stat s)
{
	return stat_names[s];
}

/* ---- PutMetricAlarm ---- */

static int
parse_dims(const jr_val *v, alarm_config *out, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	if (n > 30) /* [DOC] at most 30 dimensions */
		return jr_fail(v, err, "at most 30 dimensions, got %d", n);
	alarm_dim *dims = ARENA_ARRAY(jr_arena(v->L), alarm_dim, (size_t)n + 1);
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_obj o;
		jr_elem(v, i, &e);
		if ((rc = jr_object(&e, &o, err)) != 0 ||
		    (rc = jr_req_str(&o, "Name", &dims[i].name, err)) != 0 ||
		    (rc = jr_req_str(&o, "Value", &dims[i].value, err)) != 0 ||
		    (rc = jr_done(&o, err)) != 0)
			return rc;
	}
	out->dims = dims;
	out->ndims = n;
	return 0;
}

static int
parse_actions(const jr_val *v, alarm_config *out, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	if (n > 5) /* [DOC] at most 5 actions */
		return jr_fail(v, err, "at most 5 actions, got %d", n);
	const char **arns = ARENA_ARRAY(jr_arena(v->L), const char *,
	    (size_t)n + 1);
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_elem(v, i, &e);
		if ((rc = jr_str(&e, &arns[i], err)) != 0)
			return rc;
	}
	out->alarm_actions = arns;
	out->nalarm_actions = n;
	return 0;
}

int
alarm_parse(const jr_val *v, alarm_config *out, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc, stat = 0, cmp = 0, miss = 0;
	int64_t period = 0;
	int n = 0, m = 0;

	alarm_config_init(out);
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	out->pos = jr_where(&o.v);
	jr_val anv;
	if ((rc = jr_need(&o, "AlarmName", &anv, err)) != 0 ||
	    (rc = jr_str(&anv, &out->name, err)) != 0)
		return rc;
	/* [DOC API PutMetricAlarm] AlarmName: 1 to 255 characters */
	if (out->name[0] == '\0' || strlen(out->name) > 255)
		return jr_fail(&anv, err, "AlarmName has 1 to 255 characters, got %zu", strlen(out->name));
	if ((rc = jr_req_str(&o, "MetricName", &out->metric_name, err)) != 0 ||
	    (rc = jr_req_str(&o, "Namespace", &out->ns, err)) != 0 ||
	    (rc = jr_req_enum(&o, "Statistic", stat_names, 5, &stat, err)) != 0)
		return rc;
	out->statistic = (alarm_stat)stat;
	if (jr_get(&o, "Dimensions", &x) && (rc = parse_dims(&x, out, err)) != 0)
		return rc;
	if (jr_get(&o, "AlarmActions", &x) &&
	    (rc = parse_actions(&x, out, err)) != 0)
		return rc;

	jr_val pv;
	if ((rc = jr_need(&o, "Period", &pv, err)) != 0 ||
	    (rc = jr_int(&pv, 1, 86400 * 7, &period, err)) != 0)
		return rc;
	out->period = period * SIM_SEC;
	if (!period_valid(out->period))
		return jr_fail(&pv, err,
		    "expected 10, 20, 30 or a multiple of 60, got %" PRId64, period);
	if ((rc = jr_req_int32(&o, "EvaluationPeriods", 1, 100000, &n, err)) != 0)
		return rc;
	out->evaluation_periods = n;
	jr_val mv;
	if (jr_get(&o, "DatapointsToAlarm", &mv)) {
		if ((rc = jr_int32(&mv, 1, 100000, &m, err)) != 0)
			return rc;
		if (m > n)
			return jr_fail(&mv, err,
			    "DatapointsToAlarm (%d) must not exceed EvaluationPeriods (%d)",
			    m, n);
		out->datapoints_to_alarm = m;
	} else
		out->datapoints_to_alarm = n; /* [DOC] M defaults to N */
	if ((sim_time)n > ALARM_MAX_SPAN / out->period)
		return jr_fail(&pv, err,
		    "EvaluationPeriods x Period must be at most 7 days, "
		    "got %d x %" PRId64 " s", n, period);
	if ((rc = jr_req_num(&o, "Threshold", -DBL_MAX, DBL_MAX, &out->threshold,
	    err)) != 0 ||
	    (rc = jr_req_enum(&o, "ComparisonOperator", cmp_names, 4, &cmp,
	    err)) != 0 ||
	    (rc = jr_opt_enum(&o, "TreatMissingData", missing_names, 4, 0, &miss,
	    err)) != 0)
		return rc;
	out->cmp = (alarm_cmp)cmp;
	out->treat_missing = (alarm_missing)miss;
	const char *unit;
	if ((rc = jr_opt_str(&o, "Unit", NULL, &unit, err)) != 0)
		return rc;
	jr_ignore(&o, "AlarmDescription");
	jr_ignore(&o, "ActionsEnabled");
	jr_ignore(&o, "OKActions");
	jr_ignore(&o, "InsufficientDataActions");
	jr_ignore(&o, "Tags");
	return jr_done(&o, err);
}

const char *
alarm_action_policy_name(const char *arn)
{
	static const char key[] = ":policyName/";
	const char *p = strstr(arn, key);
	if (p == NULL || p[sizeof(key) - 1] == '\0')
		return NULL;
	return p + sizeof(key) - 1;
}

/* ---- service-created alarms ---- */

void
alarm_tt_params_default(alarm_tt_params *p)
{
	p->period = 60 * SIM_SEC;
	p->high_periods = 3;
	p->high_datapoints = 3;
	p->low_periods = 15;
	p->low_datapoints = 15;
	p->low_factor = 0.9;
	p->hires_period = 20 * SIM_SEC;
}

void
alarm_cp_params_default(alarm_cp_params *p)
{
	p->period = 60 * SIM_SEC;
	p->high_periods = 1;
	p->high_datapoints = 1;
	p->low_periods = 15;
	p->low_datapoints = 15;
	p->low_factor = 1.0;
}

void
alarm_tt_configs(const alarm_tt_params *p, double target, bool hires,
    alarm_config *high, alarm_config *low)
{
	alarm_config_init(high);
	high->period = hires ? p->hires_period : p->period;
	high->evaluation_periods = p->high_periods;
	high->datapoints_to_alarm = p->high_datapoints;
	high->cmp = ALARM_GT;
	high->threshold = target;
	*low = *high;
	low->evaluation_periods = p->low_periods;
	low->datapoints_to_alarm = p->low_datapoints;
	low->cmp = ALARM_LT;
	low->threshold = p->low_factor * target;
}

void
alarm_cp_configs(const alarm_cp_params *p, int target_capacity,
    alarm_config *high, alarm_config *low)
{
	alarm_config_init(high);
	high->metric_name = "CapacityProviderReservation";
	high->ns = "AWS/ECS/ManagedScaling";
	high->period = p->period;
	high->evaluation_periods = p->high_periods;
	high->datapoints_to_alarm = p->high_datapoints;
	high->cmp = ALARM_GT;
	high->threshold = target_capacity;
	*low = *high;
	low->evaluation_periods = p->low_periods;
	low->datapoints_to_alarm = p->low_datapoints;
	low->cmp = ALARM_LT;
	low->threshold = p->low_factor * target_capacity;
}

