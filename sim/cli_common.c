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

int
cli_run_scenario(const char *path, const cli_run_opts *o, cli_result *out,
    sim_error *err)
{
	memset(out, 0, sizeof(*out));
	arena *a = arena_new();
	out->arena = a;
	out->expect = expect_new();
	model_cfg *cfg = model_cfg_new(a);
	scn_spec spec;
	memset(&spec, 0, sizeof(spec));
	model_register(cfg, &spec);
	scn_spec_add_section(&spec, "expect", expect_parse, out->expect);
	finish_ctx *fc = ARENA_NEW(a, finish_ctx);
	fc->cfg = cfg;
	fc->expect = out->expect;
	scn_spec_add_finish(&spec, check_expect_names, fc);
	scenario *s = NULL;
	int rc = scn_load(path, a, &spec, &s, err);
	if (rc != 0)
		return rc;
	out->name = s->name;
	out->timeline = s->timeline;
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

void
cli_result_free(cli_result *r)
{
	expect_result_free(r->verdicts);
	expect_free(r->expect);
	rec_free(r->rec);
	arena_free(r->arena);
	memset(r, 0, sizeof(*r));
}
