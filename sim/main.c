/*
 * main — the ecsim command line.
 *
 *   ecsim run SCENARIO [-o DIR] [--seed N] [--duration D]
 *             [--format text|json] [--quiet] [--max-memory SIZE]
 *   ecsim check SCENARIO... [--junit FILE] [--markdown FILE]
 *   ecsim validate SCENARIO...
 *   ecsim version | help [COMMAND]
 *
 * Exit codes: 0 success; 1 an expectation failed; 2 usage or input error;
 * 3 runtime or I/O error. Errors go to stderr as file:line:col: path: msg.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>

#include "sim/cli.h"

static const char usage_text[] =
    "usage: ecsim <command> [arguments]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO [-o DIR] [--seed N] [--duration D] [--format text|json] [--quiet]\n"
    "      [--max-memory SIZE]\n"
    "        simulate a scenario; print a summary; with -o write summary.json,\n"
    "        timeline.csv, events.log and report.html into DIR; refuse a run whose\n"
    "        timeline would exceed SIZE (default 2G) in memory or as timeline.csv\n"
    "  run --backend aws (--create|--use-existing) SCENARIO [--dry-run]\n"
    "      [--account IDS --region REGIONS] [--yes] [--keep] [-o DIR] ...\n"
    "        replay the plan on AWS and observe it (README: Run the same plan on AWS)\n"
    "  check SCENARIO... [--junit FILE] [--markdown FILE]\n"
    "        run scenarios and evaluate their expectations (exit 1 if any fails)\n"
    "  validate SCENARIO...\n"
    "        parse and check scenarios without running them\n"
    "  version\n"
    "        print the version\n"
    "  help [COMMAND]\n"
    "        print this text\n"
    "\n"
    "exit codes: 0 ok, 1 expectation failed, 2 usage or input error,\n"
    "            3 runtime or i/o error\n";

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs(usage_text, stdout);
	return SIM_EXIT_OK;
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("ecsim %s (GSL %s, cJSON, Check)\n", ECSIM_VERSION, GSL_VERSION);
	return SIM_EXIT_OK;
}

int
main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (argc < 2) {
		fputs(usage_text, stderr);
		return SIM_EXIT_INPUT;
	}
	const char *cmd = argv[1];
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{"run", cli_cmd_run},
		{"check", cli_cmd_check},
		{"validate", cli_cmd_validate},
		{"version", cmd_version},
		{"--version", cmd_version},
		{"help", cmd_help},
		{"--help", cmd_help},
		{"-h", cmd_help},
	};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, cmd) == 0)
			return cmds[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "ecsim: unknown command \"%s\" (try: ecsim help)\n", cmd);
	return SIM_EXIT_INPUT;
}
