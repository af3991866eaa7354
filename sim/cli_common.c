/*
 * cli_common — load, run and judge one scenario (see cli.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "reports/expect.h"
#include "sim/arena.h"
#include "sim/cli.h"
#include "sim/plan.h"
#include "sim/scenario.h"
#include "sim/xalloc.h"

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

/* Load path (or text) as lo says into arena a, with every section
 * registered and expectations into expect. */
static int
load_into(const char *path, const scn_load_opts *lo, bool skip_timeline,
    arena *a, struct expect_set *expect, model_cfg **cfgp, scenario **sp,
    scn_spec *spec, sim_error *err)
{
	model_cfg *cfg = model_cfg_new(a);
	memset(spec, 0, sizeof(*spec));
	model_register(cfg, spec);
	scn_spec_add_section(spec, "expect", expect_parse, expect);
	finish_ctx *fc = ARENA_NEW(a, finish_ctx);
	fc->cfg = cfg;
	fc->expect = expect;
	scn_spec_add_finish(spec, check_expect_names, fc);
	spec->skip_timeline = skip_timeline;
	*cfgp = cfg;
	return scn_load_with(path, a, spec, lo, sp, err);
}

/* The same with a fresh arena and expectations in out. */
static int
load(const char *path, const scn_load_opts *lo, cli_result *out,
    model_cfg **cfgp, scenario **sp, scn_spec *spec, sim_error *err)
{
	memset(out, 0, sizeof(*out));
	out->arena = arena_new();
	out->expect = expect_new();
	int rc = load_into(path, lo, false, out->arena, out->expect, cfgp, sp, spec, err);
	if (rc == 0)
		out->name = (*sp)->name;
	return rc;
}

/* Bytes as "1.5 GiB", "230 MiB". */
static void
fmt_bytes(double b, char *buf, size_t size)
{
	static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
	int u = 0;
	while (b >= 1024 && u < 5) {
		b /= 1024;
		u++;
	}
	snprintf(buf, size, u == 0 ? "%.0f %s" : "%.1f %s", b, unit[u]);
}

/* Bytes of the timeline in memory (a double per cell) and as
 * timeline.csv (at most about 10 characters per cell). */
enum { MEM_PER_CELL = 8, CSV_PER_CELL = 10 };

int
cli_parse_size(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || *s == '-' || errno != 0)
		return -1;
	int shift = 0;
	switch (*end) {
	case '\0': break;
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	default: return -1;
	}
	if (*end == 'i' && shift > 0)
		end++;
	if (*end == 'B' && shift > 0)
		end++;
	if (*end != '\0' || v == 0 || (shift > 0 && v > (~0ULL >> shift)))
		return -1;
	*out = v << shift;
	return 0;
}

/* Refuse, before it starts, a run whose timeline would not fit
 * --max-memory, in memory or as timeline.csv: name the estimate and the
 * setting to change. */
int
cli_check_budget(const struct model_cfg *cfg, const struct scenario *s,
    unsigned long long max_memory, sim_error *err)
{
	unsigned long long limit = max_memory ? max_memory : CLI_DEFAULT_MAX_MEMORY;
	double series = (double)model_estimate_series(cfg, s);
	double rows = (double)(s->duration / s->sample_interval) + 2;
	double mem = series * rows * MEM_PER_CELL, csv = series * rows * CSV_PER_CELL;
	if (mem <= (double)limit && csv <= (double)limit)
		return SIM_OK;
	/* the shortest usual interval that fits */
	static const sim_time tries[] = {5 * SIM_MIN, 15 * SIM_MIN, SIM_HOUR,
		6 * SIM_HOUR, SIM_DAY};
	char hint[160] = "";
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		if (tries[i] <= s->sample_interval)
			continue;
		double r = (double)(s->duration / tries[i]) + 2;
		if (series * r * CSV_PER_CELL <= (double)limit) {
			char t[32], b[32];
			fmt_bytes(series * r * CSV_PER_CELL, b, sizeof(b));
			snprintf(hint, sizeof(hint), " (\"%s\": about %s)",
			    simtime_format(tries[i], t, sizeof(t)), b);
			break;
		}
	}
	char m[32], c[32], l[32], iv[32], d[32];
	fmt_bytes(mem, m, sizeof(m));
	fmt_bytes(csv, c, sizeof(c));
	fmt_bytes((double)limit, l, sizeof(l));
	simtime_format(s->sample_interval, iv, sizeof(iv));
	simtime_format(s->duration, d, sizeof(d));
	return sim_error_set(err, SIM_EINPUT, s->path, s->sample_pos.line,
	    s->sample_pos.col, "sampleInterval",
	    "the timeline would take about %s in memory and %s as timeline.csv "
	    "(%.0f rows of up to %.0f series: sampleInterval %s%s over %s); the "
	    "limit is %s: set a longer sampleInterval%s or raise --max-memory",
	    m, c, rows, series, iv, s->sample_given ? "" : " (the default)", d, l, hint);
}

int
cli_load_scenario(const char *path, const cli_run_opts *o, arena *a,
    struct expect_set *expect, struct model_cfg **cfg_out, scenario **out,
    sim_error *err)
{
	scn_load_opts lo = {.sets = o->sets, .nsets = o->nsets};
	scn_spec spec;
	scenario *s = NULL;
	int rc = load_into(path, &lo, o->no_timeline, a, expect, cfg_out, &s, &spec, err);
	if (rc != 0)
		return rc;
	if (o->seed_set)
		s->seed = o->seed;
	if (o->duration_set)
		s->duration = o->duration;
	*out = s;
	return SIM_OK;
}

int
cli_run_scenario(const char *path, const cli_run_opts *o, cli_result *out,
    sim_error *err)
{
	/* load() clears out first; errs then collects every loading error */
	scn_load_opts lo = {.sets = o->sets, .nsets = o->nsets, .errs = &out->errs};
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
	if (o->duration_set) {
		s->duration = o->duration;
		if (!s->sample_given)
			s->sample_interval = scn_default_sample(s->duration);
	}
	out->duration = s->duration;
	if (o->validate_only)
		return SIM_OK;
	if ((rc = cli_check_budget(cfg, s, o->max_memory, err)) != 0)
		return rc;
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
	sim_errlist_fini(&r->errs);
	memset(r, 0, sizeof(*r));
}

void
cli_print_errors(FILE *out, const cli_result *r, const sim_error *err)
{
	if (r->errs.n > 0)
		sim_errlist_print(out, &r->errs);
	else
		sim_error_print(out, err);
}

char *
cli_errors_text(const cli_result *r, const sim_error *err)
{
	size_t n = r->errs.n > 0 ? r->errs.n : 1, len = 0;
	char *out = xmalloc(n * SIM_ERROR_TEXT);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			out[len++] = '\n';
		sim_error_format(r->errs.n > 0 ? &r->errs.v[i] : err, out + len,
		    SIM_ERROR_TEXT);
		len += strlen(out + len);
	}
	return out;
}

int
cli_finish_stdout(int code, int e)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout) || e != 0) {
		if (e == 0)
			e = errno != 0 ? errno : EIO;
		fprintf(stderr, "ecsim: cannot write to standard output: %s\n",
		    strerror(e));
		return code > SIM_EXIT_RUNTIME ? code : SIM_EXIT_RUNTIME;
	}
	return code;
}
