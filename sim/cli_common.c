/*
 * cli_common — load, run and judge one scenario (see cli.h).
 */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "reports/expect.h"
#include "sim/arena.h"
#include "sim/cli.h"
#include "sim/plan.h"
#include "sim/scenario.h"

typedef struct finish_ctx {
	model_cfg *cfg;
	expect_set *expect;
} finish_ctx;

/* Expectations may only name services and clusters the scenario has. */
static int
check_expect_names(void *ctx, const scenario *s, sim_error *err)
{
	(void)s;
	finish_ctx *f = ctx;
	const char **svcs, **cls;
	int ns = model_cfg_service_names(f->cfg, &svcs);
	int nc = model_cfg_cluster_names(f->cfg, &cls);
	return expect_check_names(f->expect, svcs, (size_t)ns, cls, (size_t)nc, err);
}

/* Load path (or text) as lo says, with every section registered; out
 * gets the arena, the expectations and the name. */
static int
load(const char *path, const scn_load_opts *lo, cli_result *out,
    model_cfg **cfgp, scenario **sp, scn_spec *spec, sim_error *err)
{
	memset(out, 0, sizeof(*out));
	arena *a = arena_new();
	out->arena = a;
	out->expect = expect_new();
	model_cfg *cfg = model_cfg_new(a);
	memset(spec, 0, sizeof(*spec));
	model_register(cfg, spec);
	scn_spec_add_section(spec, "expect", expect_parse, out->expect);
	finish_ctx *fc = ARENA_NEW(a, finish_ctx);
	fc->cfg = cfg;
	fc->expect = out->expect;
	scn_spec_add_finish(spec, check_expect_names, fc);
	int rc = scn_load_with(path, a, spec, lo, sp, err);
	if (rc == 0)
		out->name = (*sp)->name;
	*cfgp = cfg;
	return rc;
}

int
cli_run_scenario(const char *path, const cli_run_opts *o, cli_result *out,
    sim_error *err)
{
	scn_load_opts lo = {.sets = o->sets, .nsets = o->nsets};
	model_cfg *cfg;
	scenario *s = NULL;
	scn_spec spec;
	int rc = load(path, &lo, out, &cfg, &s, &spec, err);
	if (rc != 0)
		return rc;
	out->timeline = s->timeline;
	out->scn = s;
	out->cfg = cfg;
	if (o->seed_set)
		s->seed = o->seed;
	if (o->duration_set)
		s->duration = o->duration;
	out->duration = s->duration;
	if (o->validate_only)
		return SIM_OK;
	out->rec = rec_new();
	model *m = model_new(cfg, s, out->rec);
	rc = plan_run(s->timeline, &model_backend, m, s->duration, err);
	if (rc == 0) {
		model_finish(m);
		out->events = model_events(m);
		out->verdicts = expect_eval(out->expect, out->rec);
	}
	model_free(m);
	return rc;
}

int
cli_capture_scenario(const char *name, const char *text, jr_capture_fn fn,
    void *ctx, scn_spec *spec_out, sim_error *err)
{
	scn_load_opts lo = {.text = text, .capture = fn, .capture_ctx = ctx};
	cli_result res;
	model_cfg *cfg;
	scenario *s = NULL;
	scn_spec spec;
	int rc = load(name, &lo, &res, &cfg, &s, &spec, err);
	if (spec_out != NULL)
		*spec_out = spec;
	cli_result_free(&res);
	return rc;
}

void
cli_result_free(cli_result *r)
{
	expect_result_free(r->verdicts);
	expect_free(r->expect);
	rec_free(r->rec);
	arena_free(r->arena);
	memset(r, 0, sizeof(*r));
}
