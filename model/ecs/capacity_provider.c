/*
 * capacity_provider — ECS capacity providers and strategies (see
 * capacity_provider.h).
 */
#include "model/ecs/capacity_provider.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "sim/arena.h"

/* ---- create-capacity-provider ---- */

static const char *const status_names[] = {"ENABLED", "DISABLED"};

void
cp_managed_scaling_default(cp_managed_scaling *m)
{
	m->enabled = false;
	m->target_capacity = CP_DEFAULT_TARGET_CAPACITY;
	m->min_step = CP_DEFAULT_MIN_STEP;
	m->max_step = CP_DEFAULT_MAX_STEP;
	m->warmup = CP_DEFAULT_WARMUP;
}

static int
parse_managed_scaling(const jr_val *v, cp_managed_scaling *m,
    sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc, status, warmup;
	if ((rc = jr_object(v, &o, err)) != 0 ||
	    (rc = jr_opt_enum(&o, "status", status_names, 2, 1, &status,
	    err)) != 0 ||
	    (rc = jr_opt_int32(&o, "targetCapacity", 1, 100,
	    CP_DEFAULT_TARGET_CAPACITY, &m->target_capacity, err)) != 0 ||
	    (rc = jr_opt_int32(&o, "minimumScalingStepSize", 1, 10000,
	    CP_DEFAULT_MIN_STEP, &m->min_step, err)) != 0 ||
	    (rc = jr_opt_int32(&o, "maximumScalingStepSize", 1, 10000,
	    CP_DEFAULT_MAX_STEP, &m->max_step, err)) != 0)
		return rc;
	m->enabled = status == 0;
	if (m->max_step < m->min_step) {
		(void)jr_get(&o, "maximumScalingStepSize", &x);
		return jr_fail(&x, err,
		    "maximumScalingStepSize (%d) must be >= minimumScalingStepSize "
		    "(%d)", m->max_step, m->min_step);
	}
	if ((rc = jr_opt_int32(&o, "instanceWarmupPeriod", 0, 10000, 300,
	    &warmup, err)) != 0)
		return rc;
	m->warmup = (sim_time)warmup * SIM_SEC;
	return jr_done(&o, err);
}

/* [DOC] up to 255 letters, digits, '_' and '-'; no "aws", "ecs" or
 * "fargate" prefix (compared ignoring case [INF]). */
static int
check_provider_name(const jr_val *v, const char *s, sim_error *err)
{
	static const char *const prefixes[] = {"aws", "ecs", "fargate"};
	size_t n = strlen(s);
	if (n == 0 || n > 255)
		return jr_fail(v, err, "expected 1 to 255 characters, got %zu", n);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return jr_fail(v, err,
			    "a capacity provider name may only hold letters, digits, "
			    "'_' and '-', got \"%s\"", s);
	for (size_t i = 0; i < 3; i++)
		if (strncasecmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return jr_fail(v, err,
			    "a capacity provider name must not start with \"%s\"",
			    prefixes[i]);
	return 0;
}

int
cp_parse_provider(const jr_val *v, cp_provider *out, sim_error *err)
{
	jr_obj o, ao;
	jr_val x, av;
	int rc, tp, dr;
	memset(out, 0, sizeof(*out));
	cp_managed_scaling_default(&out->scaling);
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	out->pos = jr_where(&o.v);
	if ((rc = jr_need(&o, "name", &x, err)) != 0 ||
	    (rc = jr_str(&x, &out->name, err)) != 0 ||
	    (rc = check_provider_name(&x, out->name, err)) != 0 ||
	    (rc = jr_opt_str(&o, "cluster", NULL, &out->cluster, err)) != 0)
		return rc;
	if ((rc = jr_need(&o, "autoScalingGroupProvider", &av, err)) != 0 ||
	    (rc = jr_object(&av, &ao, err)) != 0 ||
	    (rc = jr_req_str(&ao, "autoScalingGroupArn", &out->asg, err)) != 0)
		return rc;
	if (out->asg[0] == '\0') {
		(void)jr_get(&ao, "autoScalingGroupArn", &x);
		return jr_fail(&x, err, "expected a non-empty ARN or name");
	}
	if (jr_get(&ao, "managedScaling", &x) &&
	    (rc = parse_managed_scaling(&x, &out->scaling, err)) != 0)
		return rc;
	if ((rc = jr_opt_enum(&ao, "managedTerminationProtection", status_names,
	    2, 1, &tp, err)) != 0 ||
	    (rc = jr_opt_enum(&ao, "managedDraining", status_names, 2, 0, &dr,
	    err)) != 0 ||
	    (rc = jr_done(&ao, err)) != 0)
		return rc;
	out->termination_protection = tp == 0;
	out->draining = dr == 0;
	jr_ignore(&o, "tags");
	return jr_done(&o, err);
}

/* ---- strategies ---- */

int
cp_parse_strategy(const jr_val *v, cp_strategy *out, sim_error *err)
{
	int n, rc, based = -1, weighted = 0;
	memset(out, 0, sizeof(*out));
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	if (n > CP_MAX_STRATEGY_ITEMS)
		return jr_fail(v, err,
		    "a capacity provider strategy has at most %d items, got %d",
		    CP_MAX_STRATEGY_ITEMS, n);
	cp_strategy_item *items = ARENA_ARRAY(jr_arena(v->L), cp_strategy_item,
	    (size_t)n + 1);
	for (int i = 0; i < n; i++) {
		jr_val e, x;
		jr_obj o;
		jr_elem(v, i, &e);
		if ((rc = jr_object(&e, &o, err)) != 0)
			return rc;
		items[i].pos = jr_where(&o.v);
		if ((rc = jr_need(&o, "capacityProvider", &x, err)) != 0 ||
		    (rc = jr_str(&x, &items[i].provider, err)) != 0)
			return rc;
		for (int j = 0; j < i; j++)
			if (strcmp(items[j].provider, items[i].provider) == 0)
				return jr_fail(&x, err,
				    "capacity provider \"%s\" is already in this strategy "
				    "(item %d)", items[i].provider, j);
		jr_val bv;
		bool has_base = jr_get(&o, "base", &bv);
		items[i].base = 0;
		if (has_base && (rc = jr_int32(&bv, 0, 100000, &items[i].base,
		    err)) != 0)
			return rc;
		if (items[i].base > 0) {
			if (based >= 0)
				return jr_fail(&bv, err,
				    "only one capacity provider in a strategy may have a "
				    "base (item %d has base %d)", based, items[based].base);
			based = i;
		}
		if ((rc = jr_opt_int32(&o, "weight", 0, 1000, 0, &items[i].weight,
		    err)) != 0 ||
		    (rc = jr_done(&o, err)) != 0)
			return rc;
		if (items[i].weight > 0)
			weighted++;
	}
	if (n > 0 && weighted == 0)
		return jr_fail(v, err,
		    "at least one capacity provider in a strategy must have a "
		    "weight greater than 0");
	out->items = items;
	out->n = n;
	return 0;
}

int
cp_strategy_next(const cp_strategy *s, const int *counts)
{
	SIM_ASSERT(s->n > 0);
	for (int i = 0; i < s->n; i++)
		if (s->items[i].base > 0 && counts[i] < s->items[i].base)
			return i; /* [DOC] base is satisfied first */
	int best = -1;
	int64_t bnum = 0, bden = 1;
	for (int i = 0; i < s->n; i++) {
		int w = s->items[i].weight;
		if (w <= 0)
			continue; /* [DOC] weight 0: no tasks beyond base */
		int64_t c = counts[i] - s->items[i].base;
		if (c < 0)
			c = 0;
		/* [UNCONFIRMED] smallest (c + 1) / w, exact in integers */
		if (best < 0 || (c + 1) * bden < bnum * w) {
			best = i;
			bnum = c + 1;
			bden = w;
		}
	}
	SIM_ASSERT(best >= 0);
	return best;
}

void
cp_strategy_split(const cp_strategy *s, int ntasks, int *counts)
{
	for (int i = 0; i < s->n; i++)
		counts[i] = 0;
	for (int t = 0; t < ntasks; t++)
		counts[cp_strategy_next(s, counts)]++;
}

