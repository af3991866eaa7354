/*
 * cli_run — `ecsim run`, `ecsim validate` and `ecsim check`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/expect.h"
#include "reports/junit.h"
#include "reports/markdown.h"
#include "reports/rout.h"
#include "reports/summary_json.h"
#include "reports/summary_text.h"
#include "reports/writer.h"
#include "sim/cli.h"

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

/* Split a file path into its directory ("." when none) and base name,
 * for the atomic writer. */
static void
split_path(const char *path, char *dir, size_t dsize, const char **base)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL) {
		snprintf(dir, dsize, ".");
		*base = path;
	} else {
		snprintf(dir, dsize, "%.*s", (int)(slash - path), path);
		if (dir[0] == '\0')
			snprintf(dir, dsize, "/");
		*base = slash + 1;
	}
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
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	const char *path = NULL, *outdir = NULL, *format = "text";
	bool quiet = false;
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
		} else if (strcmp(a, "--max-memory") == 0) {
			if (++i >= argc || cli_parse_size(argv[i], &o.max_memory) != 0)
				return usage_error("%s needs a size like 512M or 4G", a);
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
	int rc = cli_run_scenario(path, &o, &res, &err);
	if (rc != 0) {
		sim_error_print(stderr, &err);
		cli_result_free(&res);
		return sim_exit_code(rc);
	}
	if (outdir != NULL && (rc = rwrite_all(outdir, res.rec, res.verdicts, &err)) != 0) {
		sim_error_print(stderr, &err);
		cli_result_free(&res);
		return sim_exit_code(rc);
	}
	if (!quiet) {
		rout *out = rout_file(stdout);
		if (strcmp(format, "json") == 0) {
			rjson_write(out, res.rec, res.verdicts);
		} else {
			rtext_write(out, res.rec, res.verdicts);
			if (outdir != NULL)
				rout_printf(out, "\nreport: %s/report.html\n", outdir);
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
	for (int i = 0; i < argc; i++) {
		cli_result res;
		sim_error err;
		sim_error_clear(&err);
		int rc = cli_run_scenario(argv[i], &o, &res, &err);
		if (rc != 0) {
			sim_error_print(stderr, &err);
			if (sim_exit_code(rc) > worst)
				worst = sim_exit_code(rc);
		} else {
			printf("%s: ok (%s)\n", argv[i], res.name);
		}
		cli_result_free(&res);
	}
	return worst;
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

static int
write_ci_file(const char *path, rwrite_fn gen, const ci_ctx *c)
{
	char dir[1024];
	const char *base;
	sim_error err;
	split_path(path, dir, sizeof(dir), &base);
	if (rwrite_file(dir, base, gen, c, &err) != 0) {
		sim_error_print(stderr, &err);
		return -1;
	}
	return 0;
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
	for (int i = 0; i < npaths; i++) {
		sim_error err;
		sim_error_clear(&err);
		int rc = cli_run_scenario(paths[i], &o, &results[i], &err);
		runs[i].file = paths[i];
		runs[i].scenario = results[i].name ? results[i].name : paths[i];
		if (rc != 0) {
			char buf[1400];
			sim_error_format(&err, buf, sizeof(buf));
			fprintf(stderr, "%s\n", buf);
			errors[i] = strdup(buf);
			runs[i].error = errors[i];
			if (sim_exit_code(rc) == SIM_EXIT_INPUT)
				input_errors++;
			else
				runtime_errors++;
			printf("ERROR %s: %s\n", paths[i], buf);
			continue;
		}
		runs[i].result = results[i].verdicts;
		size_t n = expect_result_count(results[i].verdicts);
		if (n == 0)
			printf("----  %s: no expectations\n", runs[i].scenario);
		for (size_t k = 0; k < n; k++) {
			const expect_verdict *v = expect_result_at(results[i].verdicts, k);
			printf("%s  %s: %s (%s; expected %s)\n", v->pass ? "PASS" : "FAIL",
			    runs[i].scenario, v->name, v->measured, v->bound);
		}
		failed += expect_result_failed(results[i].verdicts);
		total += n;
	}
	printf("%zu assertions, %zu failed, %d scenarios with errors\n", total, failed,
	    input_errors + runtime_errors);
	ci_ctx c = {runs, (size_t)npaths};
	int io = 0;
	if (junit && write_ci_file(junit, gen_junit, &c) != 0)
		io = 1;
	if (markdown && write_ci_file(markdown, gen_markdown, &c) != 0)
		io = 1;
	for (int i = 0; i < npaths; i++) {
		cli_result_free(&results[i]);
		free(errors[i]);
	}
	free(results);
	free(runs);
	free(errors);
	free(paths);
	if (input_errors)
		return SIM_EXIT_INPUT;
	if (runtime_errors || io)
		return SIM_EXIT_RUNTIME;
	return failed ? SIM_EXIT_EXPECT : SIM_EXIT_OK;
}
