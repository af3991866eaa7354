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

/* Colour on stdout: a terminal, NO_COLOR unset or empty (no-color.org),
 * TERM not "dumb". */
static bool
use_color(void)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	return isatty(STDOUT_FILENO) && (no == NULL || no[0] == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
}

/* "PASS  scenario: name (measured; expected bound)", the word in green or
 * red when color. */
static void
print_verdict(bool color, const char *scn, const expect_verdict *v)
{
	const char *word = v->pass ? "PASS" : "FAIL";
	if (color)
		printf("\033[%sm%s\033[0m", v->pass ? "32" : "1;31", word);
	else
		fputs(word, stdout);
	printf("  %s: %s (%s; expected %s)\n", scn, v->name, v->measured,
	    v->bound);
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
	int rc = cli_run_scenario(path, &o, &res, &err);
	free(o.sets);
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
	size_t failed = res.verdicts ? expect_result_failed(res.verdicts) : 0;
	if (quiet) {
		/* the failures only: never silent when something failed */
		bool color = use_color();
		for (size_t k = 0; k < expect_result_count(res.verdicts); k++) {
			const expect_verdict *v = expect_result_at(res.verdicts, k);
			if (!v->pass)
				print_verdict(color, res.name, v);
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
	for (int i = 0; code < 0 && i < npaths; i++) {
		cli_result res;
		sim_error err;
		sim_error_clear(&err);
		int rc = cli_run_scenario(paths[i], &o, &res, &err);
		if (rc != 0)
			sim_error_print(stderr, &err);
		else
			printf("%s: ok (%s)\n", paths[i], res.name);
		cli_result_free(&res);
		if (rc != 0 && sim_exit_code(rc) > worst)
			worst = sim_exit_code(rc);
	}
	free(paths);
	free(o.sets);
	return code >= 0 ? code : worst;
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
	bool color = use_color();
	cli_result *results = xcalloc((size_t)npaths, sizeof(*results));
	expect_run *runs = xcalloc((size_t)npaths, sizeof(*runs));
	char **errors = xcalloc((size_t)npaths, sizeof(*errors));
	int input_errors = 0, runtime_errors = 0;
	size_t failed = 0, total = 0;
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
			char buf[1400];
			sim_error_format(&err, buf, sizeof(buf));
			fprintf(stderr, "%s\n", buf);
			errors[i] = xstrdup(buf);
			runs[i].error = errors[i];
			if (sim_exit_code(rc) == SIM_EXIT_INPUT)
				input_errors++;
			else
				runtime_errors++;
			printf(color ? "\033[1;31mERROR\033[0m %s: %s\n" :
			    "ERROR %s: %s\n", paths[i], buf);
			continue;
		}
		runs[i].result = results[i].verdicts;
		size_t n = expect_result_count(results[i].verdicts);
		if (n == 0 && !quiet)
			printf("----  %s: no expectations\n", runs[i].scenario);
		for (size_t k = 0; k < n; k++) {
			const expect_verdict *v = expect_result_at(results[i].verdicts, k);
			if (!quiet || !v->pass)
				print_verdict(color, runs[i].scenario, v);
		}
		failed += expect_result_failed(results[i].verdicts);
		total += n;
	}
	if (!quiet)
		printf("%zu assertions, %zu failed, %d scenarios with errors\n",
		    total, failed, input_errors + runtime_errors);
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
	free(stamps);
	free(errors);
	free(paths);
	free(o.sets);
	if (input_errors)
		return SIM_EXIT_INPUT;
	if (runtime_errors || io)
		return SIM_EXIT_RUNTIME;
	return failed ? SIM_EXIT_EXPECT : SIM_EXIT_OK;
}
