/*
 * cli_run — `ecsim run`, `ecsim validate` and `ecsim check`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reports/check_text.h"
#include "reports/expect.h"
#include "reports/junit.h"
#include "reports/markdown.h"
#include "reports/rout.h"
#include "reports/summary_json.h"
#include "reports/summary_text.h"
#include "reports/writer.h"
#include "sim/cli.h"
#include "sim/cli_batch.h"

/* Parse "--seed N": a non-negative integer below 2^53. */
static int
parse_seed(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v > (1ULL << 53))
		return -1;
	*out = v;
	return 0;
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int
usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ecsim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see: ecsim help)\n");
	return SIM_EXIT_INPUT;
}

typedef struct summary_ctx {
	const recorder *rec;
	const expect_result *res;
} summary_ctx;

int
cli_cmd_run(int argc, char **argv)
{
	/* run --backend aws: its own options, in sim/cli_aws.c. */
	if (cli_aws_requested(argc, argv))
		return cli_aws_run(argc, argv);
	/* run --seeds / --shard: many seeds, in sim/cli_seeds.c */
	if (cli_seeds_requested(argc, argv))
		return cli_seeds_run(argc, argv);
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	const char *path = NULL, *outdir = NULL, *format = "text";
	bool quiet = false;
	const char *sets[64];
	o.sets = sets;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (++i >= argc)
				return usage_error("%s needs a directory", a);
			outdir = argv[i];
		} else if (strcmp(a, "--seed") == 0) {
			if (++i >= argc || parse_seed(argv[i], &o.seed) != 0)
				return usage_error("%s needs an integer between 0 and 2^53", a);
			o.seed_set = true;
		} else if (strcmp(a, "--duration") == 0) {
			char why[200] = "";
			if (++i >= argc)
				return usage_error("%s needs a duration like 2h or 90m", a);
			if (simtime_parse(argv[i], &o.duration, why, sizeof(why)) != 0)
				return usage_error("--duration: %s", why);
			if (o.duration <= 0)
				return usage_error("--duration: %s", "must be positive");
			o.duration_set = true;
		} else if (strcmp(a, "--format") == 0) {
			if (++i >= argc || (strcmp(argv[i], "text") != 0 && strcmp(argv[i], "json") != 0))
				return usage_error("%s needs text or json", a);
			format = argv[i];
		} else if (strcmp(a, "--set") == 0) {
			if (++i >= argc || o.nsets == 64)
				return usage_error("%s needs PATH=VALUE (at most 64)", a);
			o.sets[o.nsets++] = argv[i];
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			quiet = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option \"%s\"", a);
		} else if (path == NULL) {
			path = a;
		} else {
			return usage_error("run takes one scenario; got also \"%s\"", a);
		}
	}
	if (path == NULL)
		return usage_error("%s", "run needs a scenario file");
	cli_result res;
	sim_error err;
	sim_error_clear(&err);
	/* the output directory is held (locked) from before the run */
	rwrite_dir *od = NULL;
	int rc;
	if (outdir != NULL && (rc = rwrite_open(outdir, &od, &err)) != 0) {
		sim_error_print(stderr, &err);
		return sim_exit_code(rc);
	}
	rc = cli_run_scenario(path, &o, &res, &err);
	if (rc != 0) {
		cli_print_errors(stderr, &res, &err);
		cli_result_free(&res);
		rwrite_close(od);
		return sim_exit_code(rc);
	}
	if (od != NULL && (rc = rwrite_reports(od, res.rec, res.verdicts, &err)) != 0) {
		sim_error_print(stderr, &err);
		cli_result_free(&res);
		rwrite_close(od);
		return sim_exit_code(rc);
	}
	rwrite_close(od);
	if (!quiet) {
		rout *out = rout_file(stdout);
		if (strcmp(format, "json") == 0) {
			rjson_write(out, res.rec, res.verdicts);
		} else {
			rtext_opts to = {.outdir = outdir};
			rtext_write_opts(out, res.rec, res.verdicts, &to);
		}
		int e = rout_flush(out);
		rout_free(out);
		if (e != 0) {
			fprintf(stderr, "ecsim: cannot write to standard output: %s\n", strerror(e));
			cli_result_free(&res);
			return SIM_EXIT_RUNTIME;
		}
	}
	int code = res.verdicts && expect_result_failed(res.verdicts) > 0 ?
	    SIM_EXIT_EXPECT : SIM_EXIT_OK;
	cli_result_free(&res);
	return code;
}

int
cli_cmd_validate(int argc, char **argv)
{
	if (argc == 0)
		return usage_error("%s", "validate needs at least one scenario file");
	int worst = SIM_EXIT_OK;
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.validate_only = true;
	rout *out = rout_file(stdout);
	for (int i = 0; i < argc; i++) {
		cli_result res;
		sim_error err;
		sim_error_clear(&err);
		int rc = cli_run_scenario(argv[i], &o, &res, &err);
		if (rc != 0) {
			cli_print_errors(stderr, &res, &err);
			if (sim_exit_code(rc) > worst)
				worst = sim_exit_code(rc);
		} else {
			rcheck_valid(out, argv[i], res.name);
			rout_flush(out);
		}
		cli_result_free(&res);
	}
	int e = rout_flush(out);
	rout_free(out);
	return cli_finish_stdout(worst, e);
}

typedef struct ci_ctx {
	const expect_run *runs;
	size_t n;
} ci_ctx;

static void
gen_junit(rout *o, const void *ctx)
{
	const ci_ctx *c = ctx;
	rjunit_write(o, c->runs, c->n);
}

static void
gen_markdown(rout *o, const void *ctx)
{
	const ci_ctx *c = ctx;
	rmd_write(o, c->runs, c->n);
}

/* Returns the exit code of writing path: 0, 2 (a bad name) or 3. */
static int
write_ci_file(const char *path, rwrite_fn gen, const ci_ctx *c)
{
	sim_error err;
	sim_error_clear(&err);
	int rc = rwrite_path(path, gen, c, &err);
	if (rc != 0)
		sim_error_print(stderr, &err);
	return sim_exit_code(rc);
}

int
cli_cmd_check(int argc, char **argv)
{
	const char *junit = NULL, *markdown = NULL;
	const char **paths = calloc((size_t)(argc ? argc : 1), sizeof(*paths));
	int npaths = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--junit") == 0 || strcmp(a, "--markdown") == 0) {
			if (++i >= argc) {
				free(paths);
				return usage_error("%s needs a file", a);
			}
			if (a[2] == 'j')
				junit = argv[i];
			else
				markdown = argv[i];
		} else if (a[0] == '-' && a[1] != '\0') {
			free(paths);
			return usage_error("unknown option \"%s\"", a);
		} else {
			paths[npaths++] = a;
		}
	}
	if (npaths == 0) {
		free(paths);
		return usage_error("%s", "check needs at least one scenario file");
	}
	cli_result *results = calloc((size_t)npaths, sizeof(*results));
	expect_run *runs = calloc((size_t)npaths, sizeof(*runs));
	char **errors = calloc((size_t)npaths, sizeof(*errors));
	int input_errors = 0, runtime_errors = 0;
	size_t failed = 0, total = 0;
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	/* a report written to standard output keeps it to itself */
	bool report_on_stdout = (junit && strcmp(junit, "-") == 0) ||
	    (markdown && strcmp(markdown, "-") == 0);
	rout *list = rout_file(report_on_stdout ? stderr : stdout);
	/* JUnit wants each run's start (local time) and wall time */
	char (*stamps)[32] = calloc((size_t)npaths, sizeof(*stamps));
	for (int i = 0; i < npaths; i++) {
		sim_error err;
		sim_error_clear(&err);
		time_t now = time(NULL);
		struct tm tm;
		if (localtime_r(&now, &tm) != NULL &&
		    strftime(stamps[i], sizeof(stamps[i]), "%Y-%m-%dT%H:%M:%S", &tm) > 0)
			runs[i].timestamp = stamps[i];
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = cli_run_scenario(paths[i], &o, &results[i], &err);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		runs[i].wall_seconds = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		runs[i].file = paths[i];
		runs[i].scenario = results[i].name ? results[i].name : paths[i];
		if (rc != 0) {
			cli_print_errors(stderr, &results[i], &err);
			errors[i] = cli_errors_text(&results[i], &err);
			runs[i].error = errors[i];
			if (sim_exit_code(rc) == SIM_EXIT_INPUT)
				input_errors++;
			else
				runtime_errors++;
			if (results[i].errs.n > 0)
				for (size_t k = 0; k < results[i].errs.n; k++)
					rcheck_error(list, paths[i], &results[i].errs.v[k]);
			else
				rcheck_error(list, paths[i], &err);
			continue;
		}
		runs[i].result = results[i].verdicts;
		rcheck_verdicts(list, runs[i].scenario, results[i].verdicts);
		failed += expect_result_failed(results[i].verdicts);
		total += expect_result_count(results[i].verdicts);
	}
	rcheck_totals(list, total, failed, (size_t)(input_errors + runtime_errors));
	int out_err = report_on_stdout ? 0 : rout_flush(list);
	rout_flush(list);
	rout_free(list);
	ci_ctx c = {runs, (size_t)npaths};
	int io = 0, w;
	if (junit && (w = write_ci_file(junit, gen_junit, &c)) > io)
		io = w;
	if (markdown && (w = write_ci_file(markdown, gen_markdown, &c)) > io)
		io = w;
	for (int i = 0; i < npaths; i++) {
		cli_result_free(&results[i]);
		free(errors[i]);
	}
	free(results);
	free(runs);
	free(stamps);
	free(errors);
	free(paths);
	int code = failed ? SIM_EXIT_EXPECT : SIM_EXIT_OK;
	if (input_errors || io == SIM_EXIT_INPUT)
		code = SIM_EXIT_INPUT;
	if (runtime_errors || io == SIM_EXIT_RUNTIME)
		code = SIM_EXIT_RUNTIME;
	return cli_finish_stdout(code, out_err);
}
