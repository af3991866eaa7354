/*
 * dist — parsing and drawing random durations (see dist.h).
 */
#include "sim/dist.h"

#include <stdio.h>
#include <string.h>

static const char *const kinds[] = {"constant", "uniform", "lognormal",
    "exponential"};

int
dist_parse(const jr_val *v, dist *out, sim_error *err)
{
	int rc;
	if (v->node != NULL && !cJSON_IsObject(v->node)) {
		sim_time t;
		if ((rc = jr_duration(v, 0, SIM_DURATION_MAX, &t, err)) != 0)
			return rc;
		*out = dist_constant(t);
		return 0;
	}
	jr_obj o;
	int k;
	if ((rc = jr_object(v, &o, err)) != 0 ||
	    (rc = jr_req_enum(&o, "dist", kinds, 4, &k, err)) != 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->kind = (dist_kind)k;
	switch (out->kind) {
	case DIST_CONSTANT:
		rc = jr_req_duration(&o, "value", 0, SIM_DURATION_MAX, &out->a, err);
		out->b = out->a;
		break;
	case DIST_UNIFORM:
		if ((rc = jr_req_duration(&o, "min", 0, SIM_DURATION_MAX, &out->a, err)) == 0 &&
		    (rc = jr_req_duration(&o, "max", out->a, SIM_DURATION_MAX, &out->b, err)) != 0)
			return rc;
		break;
	case DIST_LOGNORMAL:
		if ((rc = jr_req_duration(&o, "median", 0, SIM_DURATION_MAX, &out->a, err)) == 0)
			rc = jr_req_num(&o, "sigma", 0, 5, &out->sigma, err);
		break;
	case DIST_EXPONENTIAL:
		rc = jr_req_duration(&o, "mean", 0, SIM_DURATION_MAX, &out->a, err);
		break;
	}
	if (rc != 0)
		return rc;
	return jr_done(&o, err);
}

sim_time
dist_draw(const dist *d, rng *r)
{
	sim_time t = 0;
	switch (d->kind) {
	case DIST_CONSTANT:
		return d->a;
	case DIST_UNIFORM:
		t = d->a + (sim_time)(rng_uniform(r) * (double)(d->b - d->a));
		break;
	case DIST_LOGNORMAL:
		t = rng_lognormal_median_us(r, d->a, d->sigma);
		break;
	case DIST_EXPONENTIAL:
		t = rng_exp_mean_us(r, d->a);
		break;
	}
	if (t < 0)
		t = 0;
	if (t > SIM_DURATION_MAX)
		t = SIM_DURATION_MAX;
	return t;
}

void
dist_describe(const dist *d, char *buf, size_t size)
{
	char a[32], b[32];
	simtime_format(d->a, a, sizeof(a));
	simtime_format(d->b, b, sizeof(b));
	switch (d->kind) {
	case DIST_CONSTANT:
		snprintf(buf, size, "%s", a);
		break;
	case DIST_UNIFORM:
		snprintf(buf, size, "uniform(%s..%s)", a, b);
		break;
	case DIST_LOGNORMAL:
		snprintf(buf, size, "lognormal(median %s, sigma %g)", a, d->sigma);
		break;
	case DIST_EXPONENTIAL:
		snprintf(buf, size, "exponential(mean %s)", a);
		break;
	}
}
