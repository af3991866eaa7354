/*
 * cli_batch — load once per point, run every (point, seed) on workers,
 * shards or MPI ranks, gather the records (see cli_batch.h).
 *
 * Invariant: a run's record depends only on (point, seed): each worker
 * re-runs the scenario loaded before the fork with a new seed and a fresh
 * recorder and model, which is what `ecsim run --seed S` does after its
 * own load (tests/test_batch.c checks the two agree).
 */
#include "sim/cli_batch.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "reports/expect.h"
#include "reports/writer.h"
#include "sim/cli.h"
#include "sim/plan.h"
#include "sim/pool.h"
#include "sim/ranks.h"
#include "sim/scenario.h"
#include "sim/xalloc.h"

int
cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ecsim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see: ecsim help)\n");
	return SIM_EXIT_INPUT;
}

int
cli_fail(const sim_error *err)
{
	sim_error_print(stderr, err);
	return sim_exit_code(err->code);
}

/* A non-negative integer below 2^53, the whole string. */
static int
parse_u53(const char *s, size_t len, uint64_t *out)
{
	if (len == 0 || len > 16)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (1ULL << 53))
		return -1;
	*out = v;
	return 0;
}

#define MAX_SEEDS 100000000u

int
cli_parse_seeds(const char *s, uint64_t *first, size_t *n)
{
	const char *dots = strstr(s, "..");
	uint64_t a, b;
	if (dots == NULL) {
		if (parse_u53(s, strlen(s), &b) != 0 || b < 1 || b > MAX_SEEDS)
			return -1;
		*first = 1;
		*n = (size_t)b;
		return 0;
	}
	if (parse_u53(s, (size_t)(dots - s), &a) != 0 ||
	    parse_u53(dots + 2, strlen(dots + 2), &b) != 0 || b < a ||
	    b - a >= MAX_SEEDS)
		return -1;
	*first = a;
	*n = (size_t)(b - a + 1);
	return 0;
}

int
cli_parse_shard(const char *s, size_t *k, size_t *n)
{
	const char *slash = strchr(s, '/');
	uint64_t a, b;
	if (slash == NULL || parse_u53(s, (size_t)(slash - s), &a) != 0 ||
	    parse_u53(slash + 1, strlen(slash + 1), &b) != 0 || a < 1 || a > b ||
	    b > 1000000)
		return -1;
	*k = (size_t)a;
	*n = (size_t)b;
	return 0;
}

int
cli_parse_jobs(const char *s, int *jobs)
{
	uint64_t v;
	if (parse_u53(s, strlen(s), &v) != 0 || v < 1 || v > 1024)
		return -1;
	*jobs = (int)v;
	return 0;
}

/* ---- loading ---- */

/* The assignments of point p: the fixed ones, then one per dim. Returns
 * an owned array of owned strings (free_sets). */
static char **
point_sets(const cli_batch_opts *o, const rbatch_spec *spec, size_t p,
    size_t *n)
{
	*n = (size_t)o->nsets + o->ndims;
	char **v = xcalloc(*n ? *n : 1, sizeof(*v));
	for (int i = 0; i < o->nsets; i++)
		v[i] = xstrdup(o->sets[i]);
	for (size_t d = 0; d < o->ndims; d++)
		v[(size_t)o->nsets + d] = xasprintf("%s=%s", o->dims[d].path,
		    o->dims[d].values[rbatch_point_value(spec, p, d)]);
	return v;
}

static void
free_sets(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
load_point(const cli_batch_opts *o, char **sets, size_t nsets,
    cli_result *out, sim_error *err)
{
	cli_run_opts ro;
	memset(&ro, 0, sizeof(ro));
	ro.validate_only = true;
	if (o->duration != NULL) {
		char why[200] = "";
		if (simtime_parse(o->duration, &ro.duration, why, sizeof(why)) != 0 ||
		    ro.duration <= 0)
			return sim_error_set(err, SIM_EUSAGE, NULL, 0, 0, NULL,
			    "--duration: %s", why[0] ? why : "must be positive");
		ro.duration_set = true;
	}
	ro.sets = (const char **)(uintptr_t)sets;
	ro.nsets = (int)nsets;
	int rc = cli_run_scenario(o->path, &ro, out, err);
	/* each run holds one timeline at a time: the same budget as one run */
	if (rc == 0)
		rc = cli_check_budget(out->cfg, out->scn, o->max_memory, err);
	return rc;
}

/* ---- one run ---- */

typedef struct bctx {
	const cli_batch_opts *o;
	cli_result *pts;  /* loaded, one per point */
	rbatch *b;
} bctx;

/* Run point p's scenario with seed; fill *out. */
static void
run_one(bctx *c, size_t p, uint64_t seed, rrun *out)
{
	cli_result *L = &c->pts[p];
	sim_error err;
	sim_error_clear(&err);
	L->scn->seed = seed;
	recorder *rec = rec_new();
	model *m = model_new(L->cfg, L->scn, rec);
	int rc = plan_run(L->scn->timeline, &model_backend, m, L->scn->duration,
	    &err);
	expect_result *res = NULL;
	if (rc == 0) {
		model_finish(m);
		res = expect_eval(L->expect, rec);
		rrun_from_run(out, rec, res);
	} else {
		char msg[SIM_ERROR_TEXT];
		sim_error_format(&err, msg, sizeof(msg));
		rrun_failed(out, sim_exit_code(rc), msg);
	}
	model_free(m);
	if (rc == 0 && c->o->run_reports && c->o->outdir != NULL) {
		char *dir = c->o->ndims > 0 ?
		    xasprintf("%s/runs/point-%zu/seed-%llu", c->o->outdir, p + 1,
		    (unsigned long long)seed) :
		    xasprintf("%s/runs/seed-%llu", c->o->outdir,
		    (unsigned long long)seed);
		if (rwrite_all(dir, rec, res, &err) != 0) {
			char msg[SIM_ERROR_TEXT];
			sim_error_format(&err, msg, sizeof(msg));
			rrun_free(out);
			rrun_failed(out, SIM_EXIT_RUNTIME, msg);
		}
		free(dir);
	}
	expect_result_free(res);
	rec_free(rec);
}

static void *
work(void *ctx, size_t i, size_t *len)
{
	bctx *c = ctx;
	rrun r;
	run_one(c, i / c->b->spec.nseeds, rbatch_seed(c->b, i), &r);
	rout *o = rout_mem();
	rrun_encode(&r, o);
	rrun_free(&r);
	size_t n;
	const char *text = rout_mem_text(o, &n);
	void *copy = xmalloc(n ? n : 1);
	memcpy(copy, text, n);
	rout_free(o);
	*len = n;
	return copy;
}

static void
done(void *ctx, size_t i, const void *data, size_t len)
{
	bctx *c = ctx;
	rrun r;
	if (rrun_decode(&r, data, len) != 0)
		rrun_failed(&r, SIM_EXIT_RUNTIME, "a worker sent a malformed result");
	rbatch_put(c->b, i, &r);
}

/* ---- MPI: every rank's records to rank 0 ---- */

/* Frames of b's runs: uint64 index, uint64 length, bytes. */
static void
encode_frames(const rbatch *b, rout *o)
{
	for (size_t i = 0; i < b->nruns; i++) {
		if (!b->have[i])
			continue;
		rout *r = rout_mem();
		rrun_encode(&b->runs[i], r);
		size_t n;
		const char *text = rout_mem_text(r, &n);
		uint64_t hdr[2] = {i, n};
		rout_write(o, hdr, sizeof(hdr));
		rout_write(o, text, n);
		rout_free(r);
	}
}

static int
decode_frames(rbatch *b, const char *p, size_t len, sim_error *err)
{
	while (len > 0) {
		uint64_t hdr[2];
		if (len < sizeof(hdr))
			break;
		memcpy(hdr, p, sizeof(hdr));
		p += sizeof(hdr);
		len -= sizeof(hdr);
		rrun r;
		if (hdr[0] >= b->nruns || b->have[hdr[0]] || hdr[1] > len ||
		    rrun_decode(&r, p, (size_t)hdr[1]) != 0)
			return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "malformed results from an MPI rank");
		rbatch_put(b, (size_t)hdr[0], &r);
		p += hdr[1];
		len -= (size_t)hdr[1];
	}
	return len == 0 ? 0 : sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
	    "truncated results from an MPI rank");
}

static int
gather_ranks(rbatch **bp, sim_error *err)
{
	rout *o = rout_mem();
	encode_frames(*bp, o);
	size_t n;
	const char *mine = rout_mem_text(o, &n);
	char *all;
	size_t *lens;
	int rc = ranks_gather(mine, n, &all, &lens, err);
	rout_free(o);
	if (rc != 0 || ranks_rank() != 0)
		return rc;
	rbatch *full = rbatch_new(&(*bp)->spec);
	size_t off = 0;
	for (int r = 0; r < ranks_size() && rc == 0; r++) {
		rc = decode_frames(full, all + off, lens[r], err);
		off += lens[r];
	}
	free(all);
	free(lens);
	if (rc == 0 && full->nhave != full->nruns)
		rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
		    "MPI ranks returned %zu of %zu runs", full->nhave, full->nruns);
	rbatch_free(*bp);
	*bp = full;
	return rc;
}

/* ---- the batch ---- */

/* The spec of the batch, with owned copies (free with rbatch_spec_free). */
static void
fill_spec(rbatch_spec *s, const cli_batch_opts *o, const cli_result *L0)
{
	memset(s, 0, sizeof(*s));
	s->command = xstrdup(o->command);
	s->scenario = xstrdup(L0->name);
	s->file = xstrdup(o->path);
	s->first_seed = o->seeds_set ? o->first_seed : L0->scn->seed;
	s->nseeds = o->seeds_set ? o->nseeds : 1;
	s->duration = o->duration != NULL ? xstrdup(o->duration) : NULL;
	s->nsets = (size_t)o->nsets;
	s->sets = s->nsets ? xcalloc(s->nsets, sizeof(char *)) : NULL;
	for (size_t i = 0; i < s->nsets; i++)
		s->sets[i] = xstrdup(o->sets[i]);
	s->ndims = o->ndims;
	s->dims = s->ndims ? xcalloc(s->ndims, sizeof(*s->dims)) : NULL;
	for (size_t d = 0; d < s->ndims; d++) {
		s->dims[d].path = xstrdup(o->dims[d].path);
		s->dims[d].nvalues = o->dims[d].nvalues;
		s->dims[d].values = xcalloc(o->dims[d].nvalues, sizeof(char *));
		for (size_t v = 0; v < o->dims[d].nvalues; v++)
			s->dims[d].values[v] = xstrdup(o->dims[d].values[v]);
	}
	s->nexpect = expect_count(L0->expect);
	s->expect_names = s->nexpect ? xcalloc(s->nexpect, sizeof(char *)) : NULL;
	s->expect_in = s->nexpect ? xcalloc(s->nexpect, sizeof(double)) : NULL;
	for (size_t e = 0; e < s->nexpect; e++) {
		s->expect_names[e] = xstrdup(expect_name(L0->expect, e));
		s->expect_in[e] = expect_in(L0->expect, e);
	}
}

int
cli_batch_run(const cli_batch_opts *o, rbatch **out, bool *rank0,
    sim_error *err)
{
	*out = NULL;
	*rank0 = ranks_rank() == 0;
	rbatch_spec shape;
	memset(&shape, 0, sizeof(shape));
	shape.dims = o->dims;
	shape.ndims = o->ndims;
	size_t np = rbatch_spec_points(&shape);
	cli_result *pts = xcalloc(np, sizeof(*pts));
	int rc = 0;
	for (size_t p = 0; p < np && rc == 0; p++) {
		size_t ns;
		char **sets = point_sets(o, &shape, p, &ns);
		rc = load_point(o, sets, ns, &pts[p], err);
		if (rc != 0 && o->ndims > 0) {
			/* say which point: the message keeps its position */
			char at[600] = "";
			size_t len = 0;
			for (size_t d = (size_t)o->nsets; d < ns && len < sizeof(at); d++)
				len += (size_t)snprintf(at + len, sizeof(at) - len, "%s%s",
				    d > (size_t)o->nsets ? ", " : "", sets[d]);
			char *msg = xasprintf("%s (at sweep point %s)", err->msg, at);
			snprintf(err->msg, sizeof(err->msg), "%s", msg);
			free(msg);
		}
		free_sets(sets, ns);
	}
	if (rc != 0)
		goto out;
	if (o->shard_n > 0 && ranks_size() > 1) {
		rc = sim_error_set(err, SIM_EUSAGE, NULL, 0, 0, NULL,
		    "--shard and mpirun split the work each their own way: use one");
		goto out;
	}
	rbatch_spec spec;
	fill_spec(&spec, o, &pts[0]);
	rbatch *b = rbatch_new(&spec);
	rbatch_spec_free(&spec);
	size_t k = o->shard_n ? o->shard_k : (size_t)ranks_rank() + 1;
	size_t n = o->shard_n ? o->shard_n : (size_t)ranks_size();
	size_t *items = xcalloc(b->nruns ? b->nruns : 1, sizeof(size_t));
	size_t ni = 0;
	for (size_t i = k - 1; i < b->nruns; i += n)
		items[ni++] = i;
	bctx c = {o, pts, b};
	pool_opts po = {.jobs = o->jobs, .progress = o->progress, .what = "runs"};
	rc = pool_run(items, ni, &po, work, done, &c, err);
	free(items);
	if (rc == 0 && o->shard_n == 0 && ranks_size() > 1)
		rc = gather_ranks(&b, err);
	if (rc == 0 && b->nhave == b->nruns)
		rbatch_finish(b);
	if (rc != 0)
		rbatch_free(b);
	else
		*out = b;
out:
	for (size_t p = 0; p < np; p++)
		cli_result_free(&pts[p]);
	free(pts);
	return rc;
}

static void
gen_partial(rout *o, const void *ctx)
{
	rbatch_print_json(o, ctx);
}

int
cli_batch_write_partial(const rbatch *b, const char *outdir, size_t k,
    size_t n)
{
	cJSON *j = rbatch_partial_json(b, k, n);
	int code = SIM_EXIT_OK;
	if (outdir != NULL) {
		char name[80];
		sim_error err;
		snprintf(name, sizeof(name), "partial-%zu-of-%zu.json", k, n);
		if (rwrite_file(outdir, name, gen_partial, j, &err) != 0)
			code = cli_fail(&err);
	} else {
		rout *o = rout_file(stdout);
		rbatch_print_json(o, j);
		int e = rout_flush(o);
		rout_free(o);
		if (e != 0) {
			fprintf(stderr, "ecsim: cannot write to standard output: %s\n",
			    strerror(e));
			code = SIM_EXIT_RUNTIME;
		}
	}
	cJSON_Delete(j);
	return code;
}

int
cli_batch_opt(int ch, const char *arg, cli_batch_opts *o, bool *json,
    bool *quiet)
{
	switch (ch) {
	case CLI_BO_SEEDS:
		o->seeds_set = true;
		if (cli_parse_seeds(arg, &o->first_seed, &o->nseeds) != 0)
			return cli_usage_error("--seeds needs a count N (seeds 1..N) "
			    "or a range A..B, got \"%s\"", arg);
		return -1;
	case CLI_BO_SHARD:
		if (cli_parse_shard(arg, &o->shard_k, &o->shard_n) != 0)
			return cli_usage_error("--shard needs K/N with 1 <= K <= N, "
			    "got \"%s\"", arg);
		return -1;
	case 'j':
		if (cli_parse_jobs(arg, &o->jobs) != 0)
			return cli_usage_error("--jobs needs a number from 1 to "
			    "1024, got \"%s\"", arg);
		return -1;
	case CLI_BO_RUNREP:
		o->run_reports = true;
		return -1;
	case CLI_BO_DURATION:
		o->duration = arg;
		return -1;
	case CLI_BO_FORMAT:
		if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
			return cli_usage_error("--format needs text or json");
		*json = strcmp(arg, "json") == 0;
		return -1;
	case CLI_BO_SET:
		o->sets[o->nsets++] = arg;
		return -1;
	case CLI_BO_MAXMEM:
		if (cli_parse_size(arg, &o->max_memory) != 0)
			return cli_usage_error("--max-memory needs a size like 512M "
			    "or 4G, got \"%s\"", arg);
		return -1;
	case 'o':
		o->outdir = arg;
		return -1;
	case 'q':
		*quiet = true;
		return -1;
	default:
		return -2;
	}
}
