/*
 * cli_sweep — `ecsim sweep SCENARIO --vary PATH=V1,V2,... [--vary ...]
 * [--seeds N|A..B] [-o DIR] [--format text|json] [--quiet] [--jobs N]
 * [--shard K/N] [--run-reports] [--duration D] [--set PATH=VALUE]...`:
 * the scenario at every point of the Cartesian product of the --vary
 * values (the first --vary outermost), each point run for every seed
 * (default: the scenario's own seed, once). PATH is what --set takes.
 *
 * Prints the points table (or sweep.json with --format json); with -o
 * writes sweep.csv, sweep.json and sweep.html (reports/sweep_out.h).
 * Exit 0 when some point meets every expectation, 1 when none does, 2 on
 * a usage or scenario error (at any point), 3 when a run failed.
 */
#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/sweep_out.h"
#include "reports/writer.h"
#include "sim/cli.h"
#include "sim/cli_batch.h"
#include "sim/pool.h"
#include "sim/ranks.h"
#include "sim/xalloc.h"

#define MAX_VALUES 10000
#define MAX_POINTS 1000000

void
cli_dim_free(rbatch_dim *d)
{
	free(d->path);
	for (size_t i = 0; i < d->nvalues; i++)
		free(d->values[i]);
	free(d->values);
	memset(d, 0, sizeof(*d));
}

static void
add_value(rbatch_dim *d, size_t *cap, char *v)
{
	XGROW(d->values, *cap, d->nvalues + 1);
	d->values[d->nvalues++] = v;
}

/* A whole-string number; *integer when it has no '.', 'e' or 'E'. */
static bool
number(const char *s, size_t len, double *v, bool *integer)
{
	char buf[64];
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end;
	*v = strtod(buf, &end);
	*integer = strpbrk(buf, ".eE") == NULL;
	return *end == '\0' && isfinite(*v) && !isspace((unsigned char)buf[0]);
}

/* Expand item (len bytes) into d: a range A..B[:STEP] or one value. */
static int
add_item(rbatch_dim *d, size_t *cap, const char *item, size_t len,
    char *why, size_t size)
{
	const char *dots = NULL;
	for (size_t i = 0; i + 1 < len; i++)
		if (item[i] == '.' && item[i + 1] == '.') {
			dots = item + i;
			break;
		}
	double a, z, step = 1;
	bool ia, iz, is = true;
	if (dots != NULL) {
		const char *rest = dots + 2, *colon = memchr(rest, ':',
		    len - (size_t)(rest - item));
		size_t zlen = colon ? (size_t)(colon - rest) :
		    len - (size_t)(rest - item);
		if (number(item, (size_t)(dots - item), &a, &ia) &&
		    number(rest, zlen, &z, &iz) && (colon == NULL ||
		    number(colon + 1, len - (size_t)(colon + 1 - item), &step, &is))) {
			if (!(step > 0) || z < a) {
				snprintf(why, size, "range %.*s needs A <= B and a step "
				    "above 0", (int)len, item);
				return -1;
			}
			double n = floor((z - a) / step + 1e-9) + 1;
			if (n + (double)d->nvalues > MAX_VALUES) {
				snprintf(why, size, "range %.*s has more than %d values",
				    (int)len, item, MAX_VALUES);
				return -1;
			}
			bool ints = ia && iz && is;
			for (size_t k = 0; k < (size_t)n; k++) {
				double v = a + (double)k * step;
				add_value(d, cap, ints ? xasprintf("%lld", (long long)llround(v))
				    : xasprintf("%.10g", v));
			}
			return 0;
		}
	}
	if (len == 0) {
		snprintf(why, size, "an empty value");
		return -1;
	}
	if (d->nvalues >= MAX_VALUES) {
		snprintf(why, size, "more than %d values", MAX_VALUES);
		return -1;
	}
	add_value(d, cap, xstrndup(item, len));
	return 0;
}

int
cli_parse_vary(const char *arg, rbatch_dim *d, char *why, size_t size)
{
	memset(d, 0, sizeof(*d));
	const char *eq = strchr(arg, '=');
	if (eq == NULL || eq == arg) {
		snprintf(why, size, "--vary needs PATH=V1,V2,... (or PATH=A..B:STEP), "
		    "got \"%s\"", arg);
		return -1;
	}
	d->path = xstrndup(arg, (size_t)(eq - arg));
	size_t cap = 0;
	const char *v = eq + 1, *start = v;
	int depth = 0;
	bool str = false;
	for (const char *p = v;; p++) {
		if (*p == '\0' || (*p == ',' && depth == 0 && !str)) {
			if (add_item(d, &cap, start, (size_t)(p - start), why, size) != 0) {
				cli_dim_free(d);
				return -1;
			}
			if (*p == '\0')
				break;
			start = p + 1;
			continue;
		}
		if (str) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				str = false;
		} else if (*p == '"')
			str = true;
		else if (*p == '[' || *p == '{')
			depth++;
		else if ((*p == ']' || *p == '}') && depth > 0)
			depth--;
	}
	return 0;
}

static void
gen_json(rout *o, const void *ctx)
{
	cJSON *j = rsweep_json(ctx);
	rbatch_print_json(o, j);
	cJSON_Delete(j);
}

static void
gen_csv(rout *o, const void *ctx)
{
	rsweep_csv(o, ctx);
}

static void
gen_html(rout *o, const void *ctx)
{
	rsweep_html(o, ctx);
}

int
cli_sweep_output(const rbatch *b, const char *outdir, bool json, bool quiet)
{
	sim_error err;
	if (outdir != NULL &&
	    (rwrite_file(outdir, "sweep.csv", gen_csv, b, &err) != 0 ||
	    rwrite_file(outdir, "sweep.json", gen_json, b, &err) != 0 ||
	    rwrite_file(outdir, "sweep.html", gen_html, b, &err) != 0))
		return cli_fail(&err);
	if (!quiet) {
		rout *o = rout_file(stdout);
		if (json)
			gen_json(o, b);
		else {
			rsweep_text(o, b);
			if (outdir != NULL)
				rout_printf(o, "\nresults: %s/sweep.csv, %s/sweep.json, "
				    "%s/sweep.html\n", outdir, outdir, outdir);
		}
		int e = rout_flush(o);
		rout_free(o);
		if (e != 0) {
			fprintf(stderr, "ecsim: cannot write to standard output: %s\n",
			    strerror(e));
			return SIM_EXIT_RUNTIME;
		}
	}
	return rbatch_exit_code(b);
}

enum { O_VARY = CLI_BO_OWN };

static int
sweep_main(int argc, char **argv)
{
	static const struct option longs[] = {
		{"vary", required_argument, NULL, O_VARY},
		CLI_BATCH_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	cli_batch_opts o;
	memset(&o, 0, sizeof(o));
	o.command = "sweep";
	o.jobs = ranks_size() > 1 ? 1 : pool_default_jobs();
	o.sets = xcalloc((size_t)argc + 1, sizeof(char *));
	o.dims = xcalloc((size_t)argc + 1, sizeof(rbatch_dim));
	bool json = false, quiet = false;
	int ch, code = -1;
	char why[300];
	opterr = 0;
	optind = 1;
	while (code < 0 && (ch = getopt_long(argc, argv, ":o:qj:", longs,
	    NULL)) != -1) {
		int bc = cli_batch_opt(ch, optarg, &o, &json, &quiet);
		if (bc != -2) {
			code = bc;
			continue;
		}
		switch (ch) {
		case O_VARY:
			if (cli_parse_vary(optarg, &o.dims[o.ndims], why, sizeof(why)) != 0)
				code = cli_usage_error("%s", why);
			else {
				for (size_t d = 0; d < o.ndims && code < 0; d++)
					if (strcmp(o.dims[d].path, o.dims[o.ndims].path) == 0)
						code = cli_usage_error("--vary %s given twice",
						    o.dims[d].path);
				o.ndims++;
			}
			break;
		case ':':
			code = cli_usage_error("%s needs a value", argv[optind - 1]);
			break;
		default:
			code = cli_usage_error("unknown option \"%s\"", argv[optind - 1]);
			break;
		}
	}
	if (code < 0 && optind < argc)
		o.path = argv[optind++];
	if (code < 0 && optind < argc)
		code = cli_usage_error("sweep takes one scenario; got also \"%s\"",
		    argv[optind]);
	if (code < 0 && o.path == NULL)
		code = cli_usage_error("%s", "sweep needs a scenario file");
	if (code < 0 && o.ndims == 0)
		code = cli_usage_error("%s", "sweep needs at least one --vary "
		    "PATH=V1,V2,...");
	double points = 1;
	for (size_t d = 0; d < o.ndims; d++)
		points *= (double)o.dims[d].nvalues;
	if (code < 0 && points * (double)(o.seeds_set ? o.nseeds : 1) >
	    (double)MAX_POINTS * 100)
		code = cli_usage_error("%.0f points x %zu seeds is too many runs",
		    points, o.seeds_set ? o.nseeds : 1);
	if (code < 0 && points > MAX_POINTS)
		code = cli_usage_error("%.0f points exceed the limit of %d", points,
		    MAX_POINTS);
	if (code < 0 && o.run_reports && o.outdir == NULL)
		code = cli_usage_error("%s", "--run-reports needs -o DIR");
	if (code < 0) {
		o.progress = isatty(STDERR_FILENO) && ranks_rank() == 0;
		rbatch *b;
		bool rank0;
		sim_error err;
		sim_error_clear(&err);
		if (cli_batch_run(&o, &b, &rank0, &err) != 0)
			code = cli_fail(&err);
		else {
			if (o.shard_n > 0)
				code = cli_batch_write_partial(b, o.outdir, o.shard_k,
				    o.shard_n);
			else if (rank0)
				code = cli_sweep_output(b, o.outdir, json, quiet);
			else
				code = 0;
			rbatch_free(b);
		}
	}
	for (size_t d = 0; d < o.ndims; d++)
		cli_dim_free(&o.dims[d]);
	free(o.dims);
	free(o.sets);
	return code;
}

int
cli_cmd_sweep(int argc, char **argv)
{
	char **av = xcalloc((size_t)argc + 2, sizeof(char *));
	av[0] = (char *)(uintptr_t)"ecsim sweep";
	memcpy(av + 1, argv, (size_t)argc * sizeof(char *));
	sim_error err;
	sim_error_clear(&err);
	int code;
	if (ranks_init(NULL, NULL, &err) != 0)
		code = cli_fail(&err);
	else
		code = ranks_share_code(sweep_main(argc + 1, av));
	ranks_finalize();
	free(av);
	return code;
}
