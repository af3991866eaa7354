/*
 * cli_seeds — `ecsim run SCENARIO --seeds N|A..B`: the scenario run once
 * per seed, summarised as distributions (see cli_batch.h).
 *
 *   ecsim run SCENARIO --seeds N|A..B [-o DIR] [--format text|json]
 *             [--quiet] [--jobs N] [--shard K/N] [--run-reports]
 *             [--duration D] [--set PATH=VALUE]...
 *
 * Prints the text summary (or seeds.json with --format json); with -o
 * writes DIR/seeds.json and DIR/seeds.csv, and with --run-reports each
 * run's report files under DIR/runs/seed-N/. With --shard K/N it runs
 * only its slice and writes DIR/partial-K-of-N.json (stdout without -o)
 * for `ecsim merge`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/writer.h"
#include "sim/cli.h"
#include "sim/cli_batch.h"
#include "sim/pool.h"
#include "sim/ranks.h"
#include "sim/xalloc.h"

bool
cli_seeds_requested(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--seeds") == 0 ||
		    strncmp(argv[i], "--seeds=", 8) == 0 ||
		    strcmp(argv[i], "--shard") == 0 ||
		    strncmp(argv[i], "--shard=", 8) == 0)
			return true;
	return false;
}

static void
gen_json(rout *o, const void *ctx)
{
	cJSON *j = rbatch_seeds_json(ctx);
	rbatch_print_json(o, j);
	cJSON_Delete(j);
}

static void
gen_csv(rout *o, const void *ctx)
{
	rbatch_seeds_csv(o, ctx);
}

int
cli_seeds_output(const rbatch *b, const char *outdir, bool json, bool quiet)
{
	sim_error err;
	if (outdir != NULL &&
	    (rwrite_file(outdir, "seeds.json", gen_json, b, &err) != 0 ||
	    rwrite_file(outdir, "seeds.csv", gen_csv, b, &err) != 0))
		return cli_fail(&err);
	{
		rout *o = rout_file(stdout);
		if (quiet) /* the failures only: never silent when one failed */
			rbatch_seeds_failures(o, b);
		else if (json)
			gen_json(o, b);
		else {
			rbatch_seeds_text(o, b);
			if (outdir != NULL)
				rout_printf(o, "\nresults: %s/seeds.json, %s/seeds.csv\n",
				    outdir, outdir);
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

enum { O_SEED = CLI_BO_OWN };

static int
seeds_main(int argc, char **argv)
{
	static const struct option longs[] = {
		{"seed", required_argument, NULL, O_SEED},
		CLI_BATCH_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	cli_batch_opts o;
	memset(&o, 0, sizeof(o));
	o.command = "seeds";
	o.jobs = ranks_size() > 1 ? 1 : pool_default_jobs();
	o.sets = xcalloc((size_t)argc + 1, sizeof(char *));
	bool json = false, quiet = false;
	int ch, code = -1;
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
		case O_SEED:
			code = cli_usage_error("--seed and --seeds exclude each other");
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
		code = cli_usage_error("run takes one scenario; got also \"%s\"",
		    argv[optind]);
	if (code < 0 && o.path == NULL)
		code = cli_usage_error("%s", "run needs a scenario file");
	if (code < 0 && !o.seeds_set)
		code = cli_usage_error("%s", "--shard needs --seeds");
	if (code < 0 && o.run_reports && o.outdir == NULL)
		code = cli_usage_error("%s", "--run-reports needs -o DIR");
	if (code >= 0) {
		free(o.sets);
		return code;
	}
	o.progress = isatty(STDERR_FILENO) && ranks_rank() == 0;
	rbatch *b;
	bool rank0;
	sim_error err;
	sim_error_clear(&err);
	int rc = cli_batch_run(&o, &b, &rank0, &err);
	free(o.sets);
	if (rc != 0)
		return cli_fail(&err);
	if (o.shard_n > 0)
		code = cli_batch_write_partial(b, o.outdir, o.shard_k, o.shard_n);
	else if (rank0)
		code = cli_seeds_output(b, o.outdir, json, quiet);
	else
		code = 0;
	rbatch_free(b);
	return code;
}

int
cli_seeds_run(int argc, char **argv)
{
	/* getopt wants the program name first */
	char **av = xcalloc((size_t)argc + 2, sizeof(char *));
	av[0] = (char *)(uintptr_t)"ecsim run";
	memcpy(av + 1, argv, (size_t)argc * sizeof(char *));
	sim_error err;
	sim_error_clear(&err);
	int code;
	if (ranks_init(NULL, NULL, &err) != 0)
		code = cli_fail(&err);
	else
		code = ranks_share_code(seeds_main(argc + 1, av));
	ranks_finalize();
	free(av);
	return code;
}
