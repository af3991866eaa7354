/*
 * cli_run — `ecsim run`, `ecsim validate` and `ecsim check`: their
 * options (declared in cli_cmds.c) and what they print.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
#include "sim/xalloc.h"

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

/* --seed, --duration and --set (the options run, check and validate
 * share) and --max-memory (run, check) into o. Returns 0, or 2 after reporting a bad value. */
static int
run_opt(const cliopt_cmd *cmd, int id, const char *arg, cli_run_opts *o)
{
	char why[200] = "";
	switch (id) {
	case CLI_O_SEED:
		if (parse_seed(arg, &o->seed) != 0)
			return cliopt_fail(cmd,
			    "--seed needs an integer from 0 to 2^53, got '%s'", arg);
		o->seed_set = true;
		return 0;
	case CLI_O_DURATION:
		if (simtime_parse(arg, &o->duration, why, sizeof(why)) != 0)
			return cliopt_fail(cmd, "--duration: %s", why);
		if (o->duration <= 0)
			return cliopt_fail(cmd, "--duration must be positive, got '%s'",
			    arg);
		o->duration_set = true;
		return 0;
	case CLI_O_SET:
		o->sets = xreallocarray(o->sets, (size_t)o->nsets + 1,
		    sizeof(*o->sets));
		o->sets[o->nsets++] = arg;
		return 0;
	case CLI_O_MAX_MEMORY:
		if (cli_parse_size(arg, &o->max_memory) != 0)
			return cliopt_fail(cmd,
			    "--max-memory needs a size like 512M or 4G, got '%s'", arg);
		return 0;
	default:
		sim_panic(__FILE__, __LINE__, "option %d of '%s' not handled", id,
		    cmd->name);
	}
}

/* The long name of option id of cmd. */
static const char *
opt_name(const cliopt_cmd *cmd, int id)
{
	for (int i = 0; cmd->opts[i].name != NULL; i++)
		if (cmd->opts[i].id == id)
			return cmd->opts[i].name;
	return "?";
}

/* Colour on fd: a terminal, NO_COLOR unset or empty (no-color.org),
 * TERM not "dumb". */
static bool
use_color(int fd)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	return isatty(fd) && (no == NULL || no[0] == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
}

int
cli_cmd_run(const cliopt_cmd *cmd, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		cliopt_help(stdout, cmd);
		return SIM_EXIT_OK;
	}
	/* run --backend aws: its own options, in sim/cli_aws.c. */
	if (cli_aws_requested(argc - 1, argv + 1))
		return cli_aws_run(argc - 1, argv + 1);
	/* run --seeds / --shard: many seeds, in sim/cli_seeds.c */
	if (cli_seeds_requested(argc - 1, argv + 1))
		return cli_seeds_run(argc - 1, argv + 1);
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	const char *path = NULL, *outdir = NULL, *format = "text", *arg;
	bool quiet = false, all_assumptions = false;
	int code = -1;
	cliopt_parser p;
	cliopt_begin(&p, cmd, argc, argv);
	for (int id; code < 0 && (id = cliopt_next(&p, &arg)) != CLIOPT_END;) {
		switch (id) {
		case CLIOPT_EXIT:
			code = cliopt_code(&p);
			break;
		case CLIOPT_OPERAND:
			if (path != NULL)
				code = cliopt_fail(cmd, "takes one scenario, got also '%s'",
				    arg);
			path = arg;
			break;
		case 'o':
			outdir = arg;
			break;
		case CLI_O_FORMAT:
			if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
				code = cliopt_fail(cmd, "--format is text or json, got '%s'",
				    arg);
			format = arg;
			break;
		case CLI_O_ASSUMPTIONS:
			all_assumptions = true;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			if (id == 'j' || (id >= CLI_O_SEEDS && id <= CLI_O_ATTEMPTS))
				code = cliopt_fail(cmd, "--%s needs %s", opt_name(cmd, id),
				    id == 'j' || id <= CLI_O_RUNREP ? "--seeds" :
				    "--backend aws");
			else if (run_opt(cmd, id, arg, &o) != 0)
				code = SIM_EXIT_INPUT;
		}
	}
	if (code < 0 && path == NULL)
		code = cliopt_fail(cmd, "%s", "needs a scenario file");
	if (code >= 0) {
		free(o.sets);
		return code;
	}
	cli_result res;
	sim_error err;
	sim_error_clear(&err);
	/* the output directory is held (locked) from before the run */
	rwrite_dir *od = NULL;
	int rc;
	if (outdir != NULL && (rc = rwrite_open(outdir, &od, &err)) != 0) {
		sim_error_print(stderr, &err);
		free(o.sets);
		return sim_exit_code(rc);
	}
	rc = cli_run_scenario(path, &o, &res, &err);
	free(o.sets);
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
	size_t failed = res.verdicts ? expect_result_failed(res.verdicts) : 0;
	if (quiet) {
		/* the failures only: never silent when something failed */
		rout *out = rout_file(stdout);
		rcheck_verdicts(out, res.name, res.verdicts,
		    RCHECK_FAILURES | (use_color(STDOUT_FILENO) ? RCHECK_COLOR : 0));
		int e = rout_flush(out);
		rout_free(out);
		if (e != 0) {
			fprintf(stderr, "ecsim: cannot write to standard output: %s\n", strerror(e));
			cli_result_free(&res);
			return SIM_EXIT_RUNTIME;
		}
	} else {
		rout *out = rout_file(stdout);
		if (strcmp(format, "json") == 0) {
			rjson_write(out, res.rec, res.verdicts);
		} else {
			rtext_opts to = {.all_assumptions = all_assumptions,
			    .outdir = outdir};
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
	cli_result_free(&res);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "ecsim: cannot write to standard output: %s\n",
		    strerror(errno));
		return SIM_EXIT_RUNTIME;
	}
	return failed > 0 ? SIM_EXIT_EXPECT : SIM_EXIT_OK;
}

int
cli_cmd_validate(const cliopt_cmd *cmd, int argc, char **argv)
{
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.validate_only = true;
	const char **paths = xcalloc((size_t)argc + 1, sizeof(*paths)), *arg;
	int npaths = 0, code = -1, worst = SIM_EXIT_OK;
	cliopt_parser p;
	cliopt_begin(&p, cmd, argc, argv);
	for (int id; code < 0 && (id = cliopt_next(&p, &arg)) != CLIOPT_END;) {
		if (id == CLIOPT_EXIT)
			code = cliopt_code(&p);
		else if (id == CLIOPT_OPERAND)
			paths[npaths++] = arg;
		else if (run_opt(cmd, id, arg, &o) != 0)
			code = SIM_EXIT_INPUT;
	}
	if (code < 0 && npaths == 0)
		code = cliopt_fail(cmd, "%s", "needs at least one scenario file");
	rout *out = rout_file(stdout);
	for (int i = 0; code < 0 && i < npaths; i++) {
		cli_result res;
		sim_error err;
		sim_error_clear(&err);
		int rc = cli_run_scenario(paths[i], &o, &res, &err);
		if (rc != 0) {
			cli_print_errors(stderr, &res, &err);
		} else {
			rcheck_valid(out, paths[i], res.name);
			rout_flush(out);
		}
		cli_result_free(&res);
		if (rc != 0 && sim_exit_code(rc) > worst)
			worst = sim_exit_code(rc);
	}
	free(paths);
	free(o.sets);
	int e = rout_flush(out);
	rout_free(out);
	return code >= 0 ? code : cli_finish_stdout(worst, e);
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
cli_cmd_check(const cliopt_cmd *cmd, int argc, char **argv)
{
	const char *junit = NULL, *markdown = NULL, *arg;
	const char **paths = xcalloc((size_t)argc + 1, sizeof(*paths));
	int npaths = 0, code = -1;
	bool quiet = false;
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	cliopt_parser p;
	cliopt_begin(&p, cmd, argc, argv);
	for (int id; code < 0 && (id = cliopt_next(&p, &arg)) != CLIOPT_END;) {
		switch (id) {
		case CLIOPT_EXIT:
			code = cliopt_code(&p);
			break;
		case CLIOPT_OPERAND:
			paths[npaths++] = arg;
			break;
		case CLI_O_JUNIT:
			junit = arg;
			break;
		case CLI_O_MARKDOWN:
			markdown = arg;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			if (run_opt(cmd, id, arg, &o) != 0)
				code = SIM_EXIT_INPUT;
		}
	}
	if (code < 0 && npaths == 0)
		code = cliopt_fail(cmd, "%s", "needs at least one scenario file");
	if (code >= 0) {
		free(paths);
		free(o.sets);
		return code;
	}
	cli_result *results = xcalloc((size_t)npaths, sizeof(*results));
	expect_run *runs = xcalloc((size_t)npaths, sizeof(*runs));
	char **errors = xcalloc((size_t)npaths, sizeof(*errors));
	int input_errors = 0, runtime_errors = 0;
	size_t failed = 0, total = 0;
	/* a report written to standard output keeps it to itself */
	bool report_on_stdout = (junit && strcmp(junit, "-") == 0) ||
	    (markdown && strcmp(markdown, "-") == 0);
	rout *list = rout_file(report_on_stdout ? stderr : stdout);
	int lflags = (quiet ? RCHECK_FAILURES : 0) |
	    (use_color(report_on_stdout ? STDERR_FILENO : STDOUT_FILENO) ?
	    RCHECK_COLOR : 0);
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
					rcheck_error(list, paths[i], &results[i].errs.v[k], lflags);
			else
				rcheck_error(list, paths[i], &err, lflags);
			continue;
		}
		runs[i].result = results[i].verdicts;
		rcheck_verdicts(list, runs[i].scenario, results[i].verdicts, lflags);
		failed += expect_result_failed(results[i].verdicts);
		total += expect_result_count(results[i].verdicts);
	}
	if (!quiet)
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
	free(o.sets);
	code = failed ? SIM_EXIT_EXPECT : SIM_EXIT_OK;
	if (input_errors || io == SIM_EXIT_INPUT)
		code = SIM_EXIT_INPUT;
	if (runtime_errors || io == SIM_EXIT_RUNTIME)
		code = SIM_EXIT_RUNTIME;
	return cli_finish_stdout(code, out_err);
}
