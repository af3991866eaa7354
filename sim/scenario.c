/*
 * scenario — the top-level object of a scenario file (see scenario.h).
 */
#include "sim/scenario.h"

#include <string.h>

#include "sim/plan.h"
#include "sim/setpath.h"

/* Base name of path without directory and ".json". */
static const char *
default_name(arena *a, const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".json") == 0)
		n -= 5;
	return arena_strndup(a, b, n);
}

/* One top-level item failed with rc: go on with the next one when the
 * loader collects errors (every independent error is shown at once). */
#define GO_ON(L, rc, err) do { \
	if (!jr_recover((L), (rc), (err))) \
		return (rc); \
} while (0)

static int
load_root(jr_loader *L, const char *path, arena *a, const scn_spec *spec,
    const scn_load_opts *lo, scenario *s, sim_error *err)
{
	jr_val root;
	jr_obj o;
	int rc = lo->text != NULL ? jr_load_text(L, path, lo->text, &root, err) :
	    jr_load_file(L, path, &root, err);
	if (rc != 0)
		return rc;
	for (int i = 0; i < lo->nsets; i++)
		if ((rc = setpath_apply(&root, "--set", i + 1, lo->sets[i], err)) != 0)
			return rc;
	if (lo->capture != NULL)
		jr_set_capture(L, lo->capture, lo->capture_ctx);
	if ((rc = jr_object(&root, &o, err)) != 0)
		return rc;
	if ((rc = jr_opt_str(&o, "name", default_name(a, path), &s->name, err)))
		GO_ON(L, rc, err);
	if ((rc = jr_opt_str(&o, "description", "", &s->description, err)))
		GO_ON(L, rc, err);
	jr_val v;
	if (jr_get(&o, "seed", &v)) {
		int64_t seed;
		/* JSON numbers are exact integers only up to 2^53. */
		if ((rc = jr_int(&v, 0, (INT64_C(1) << 53), &seed, err)) != 0)
			GO_ON(L, rc, err);
		else {
			s->seed = (uint64_t)seed;
			s->seed_given = true;
		}
	}
	if ((rc = jr_opt_duration(&o, "duration", SIM_SEC, SIM_DURATION_MAX,
	    SCN_DEFAULT_DURATION, &s->duration, err)) != 0)
		GO_ON(L, rc, err);
	jr_describe(&o, "sampleInterval", "without it: 1m for a duration up to "
	    "a day, 5m up to a week, 1h beyond (the default listed is the "
	    "reference scenario's)");
	s->sample_given = jr_get(&o, "sampleInterval", &v);
	s->sample_pos = jr_where(s->sample_given ? &v : &root);
	if ((rc = jr_opt_duration(&o, "sampleInterval", SIM_SEC, SIM_DAY,
	    scn_default_sample(s->duration), &s->sample_interval, err)) != 0)
		GO_ON(L, rc, err);
	/* "$schema" lets editors validate; it changes nothing. */
	jr_ignore(&o, "$schema");
	for (int i = 0; i < spec->nsections; i++) {
		if (jr_get(&o, spec->sections[i].key, &v) &&
		    (rc = spec->sections[i].parse(spec->sections[i].ctx, &v, err)) != 0)
			GO_ON(L, rc, err);
	}
	if (spec->skip_timeline) {
		jr_ignore(&o, "timeline");
	} else if (jr_get(&o, "timeline", &v)) {
		if ((rc = plan_parse(s, spec, &v, err)) != 0)
			GO_ON(L, rc, err);
	}
	return jr_done(&o, err);
}

sim_time
scn_default_sample(sim_time duration)
{
	if (duration <= SIM_DAY)
		return SIM_MIN;
	if (duration <= 7 * SIM_DAY)
		return 5 * SIM_MIN;
	return SIM_HOUR;
}

int
scn_load_sets_all(const char *path, arena *a, const scn_spec *spec,
    const char *const *sets, int nsets, scenario **out, sim_error *err,
    sim_errlist *errs)
{
	scn_load_opts lo = {.sets = sets, .nsets = nsets, .errs = errs};
	return scn_load_with(path, a, spec, &lo, out, err);
}

int
scn_load_with(const char *path, arena *a, const scn_spec *spec,
    const scn_load_opts *lo, scenario **out, sim_error *err)
{
	scenario *s = ARENA_NEW(a, scenario);
	s->path = arena_strdup(a, path);
	s->seed = SCN_DEFAULT_SEED;
	s->arena = a;
	s->timeline = ARENA_NEW(a, plan);
	jr_loader *L = jr_loader_new(a);
	/* every error at once; but the reference capture (refgen) needs a
	 * rejected member to end the reading, as it ends a partial file */
	jr_loader_collect(L, lo->capture == NULL);
	int rc = load_root(L, path, a, spec, lo, s, err);
	if (rc != 0)
		jr_record(L, err);
	/* Cross-reference checks only on a scenario read without error: what
	 * they compare may be missing or defaulted otherwise. */
	for (int i = 0; rc == 0 && jr_error_count(L) == 0 && i < spec->nfinish;
	    i++)
		rc = spec->finish[i].fn(spec->finish[i].ctx, s, err);
	if (rc == 0 && jr_error_count(L) == 0) {
		jr_loader_free(L);
		*out = s;
		return 0;
	}
	sim_errlist all;
	sim_errlist_init(&all);
	if (rc != 0)
		jr_record(L, err);
	jr_errors(L, &all);
	jr_loader_free(L);
	if (all.n > 0)
		*err = all.v[0];
	if (lo->errs != NULL) {
		for (size_t i = 0; i < all.n; i++)
			sim_errlist_add(lo->errs, &all.v[i]);
		lo->errs->more += all.more;
		lo->errs->hidden += all.hidden;
	}
	sim_errlist_fini(&all);
	return rc != 0 && rc != SIM_EINPUT ? rc : SIM_EINPUT;
}

int
scn_load_all(const char *path, arena *a, const scn_spec *spec,
    scenario **out, sim_error *err, sim_errlist *errs)
{
	return scn_load_sets_all(path, a, spec, NULL, 0, out, err, errs);
}

int
scn_load_sets(const char *path, arena *a, const scn_spec *spec,
    const char *const *sets, int nsets, scenario **out, sim_error *err)
{
	return scn_load_sets_all(path, a, spec, sets, nsets, out, err, NULL);
}

int
scn_load(const char *path, arena *a, const scn_spec *spec, scenario **out,
    sim_error *err)
{
	return scn_load_sets_all(path, a, spec, NULL, 0, out, err, NULL);
}

void
scn_spec_add_section(scn_spec *sp, const char *key,
    int (*parse)(void *, const jr_val *, sim_error *), void *ctx)
{
	SIM_ASSERT(sp->nsections < SCN_MAX_SECTIONS);
	scn_section *x = &sp->sections[sp->nsections++];
	x->key = key;
	x->parse = parse;
	x->ctx = ctx;
}

void
scn_spec_add_call(scn_spec *sp, const char *name,
    int (*parse)(void *, sim_time, const jr_val *, void **, sim_error *),
    void *ctx)
{
	SIM_ASSERT(sp->ncalls < SCN_MAX_CALLS);
	scn_call *x = &sp->calls[sp->ncalls++];
	x->name = name;
	x->parse = parse;
	x->ctx = ctx;
}

void
scn_spec_add_finish(scn_spec *sp,
    int (*fn)(void *, const struct scenario *, sim_error *), void *ctx)
{
	SIM_ASSERT(sp->nfinish < SCN_MAX_FINISH);
	sp->finish[sp->nfinish].fn = fn;
	sp->finish[sp->nfinish].ctx = ctx;
	sp->nfinish++;
}
