/*
 * main — the ecsim command line: dispatch to a command of the table in
 * cli_cmds.c (`ecsim help` lists them), plus ecsim -h/--help and
 * -V/--version; sweep, merge and compare keep their own parsers
 * (sim/cli_batch.h) behind the table's help.
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
#include "sim/cli_batch.h"
#include "sim/clidoc.h"
#include "sim/heap.h"
#include "sim/jread.h"

void
cli_usage(FILE *f)
{
	fputs("usage: ecsim COMMAND [options] [arguments]\n\n"
	    "ecsim simulates Amazon ECS (rolling deployments, placement, ALB "
	    "health\nchecks, service and cluster auto scaling) on a virtual "
	    "clock.\n\ncommands:\n", f);
	for (const cliopt_cmd *c = cli_commands; c->name != NULL; c++) {
		if (c->hidden)
			continue;
		char head[64];
		snprintf(head, sizeof(head), "%s %s", c->name, c->operands);
		int w = fprintf(f, "  %s", head);
		if (w > 22) {
			fputc('\n', f);
			w = 0;
		}
		fprintf(f, "%*s", 24 - w, "");
		cliopt_wrap(f, c->summary, 24, 24, 79);
	}
	fputs("\n'ecsim help COMMAND' or 'ecsim COMMAND --help' shows a "
	    "command's options;\n'ecsim -V' the version.\n\n"
	    "exit codes: 0 ok, 1 expectation failed, 2 usage or input error,\n"
	    "            3 runtime or i/o error\n", f);
}

int
cli_cmd_version(const cliopt_cmd *cmd, int argc, char **argv)
{
	cliopt_parser p;
	const char *arg;
	cliopt_begin(&p, cmd, argc, argv);
	for (int id; (id = cliopt_next(&p, &arg)) != CLIOPT_END;) {
		if (id == CLIOPT_EXIT)
			return cliopt_code(&p);
		return cliopt_fail(cmd, "takes no arguments, got '%s'", arg);
	}
	printf("ecsim %s (GSL %s, cJSON %d.%d.%d)\n", ECSIM_VERSION, GSL_VERSION,
	    CJSON_VERSION_MAJOR, CJSON_VERSION_MINOR, CJSON_VERSION_PATCH);
	return SIM_EXIT_OK;
}

int
cli_cmd_completion(const cliopt_cmd *cmd, int argc, char **argv)
{
	cliopt_parser p;
	const char *arg, *shell = NULL;
	cliopt_begin(&p, cmd, argc, argv);
	for (int id; (id = cliopt_next(&p, &arg)) != CLIOPT_END;) {
		if (id == CLIOPT_EXIT)
			return cliopt_code(&p);
		if (shell != NULL)
			return cliopt_fail(cmd, "takes one shell, got also '%s'", arg);
		shell = arg;
	}
	if (shell == NULL)
		return cliopt_fail(cmd, "%s", "needs a shell: bash or zsh");
	if (clidoc_completion(stdout, shell, cli_commands) != 0)
		return cliopt_fail(cmd, "knows bash and zsh, not '%s'", shell);
	return SIM_EXIT_OK;
}

bool
cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	return false;
}

int
cli_cmd_sweep_t(const cliopt_cmd *cmd, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		cliopt_help(stdout, cmd);
		return SIM_EXIT_OK;
	}
	return cli_cmd_sweep(argc - 1, argv + 1);
}

int
cli_cmd_serve_t(const cliopt_cmd *cmd, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		cliopt_help(stdout, cmd);
		return SIM_EXIT_OK;
	}
	return cli_cmd_serve(argc - 1, argv + 1);
}

int
cli_cmd_merge_t(const cliopt_cmd *cmd, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		cliopt_help(stdout, cmd);
		return SIM_EXIT_OK;
	}
	return cli_cmd_merge(argc - 1, argv + 1);
}

int
cli_cmd_compare_t(const cliopt_cmd *cmd, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		cliopt_help(stdout, cmd);
		return SIM_EXIT_OK;
	}
	return cli_cmd_compare(argc - 1, argv + 1);
}

/* The command nearest to word (a typo), or NULL. */
static const char *
nearest_command(const char *word)
{
	for (const cliopt_cmd *c = cli_commands; c->name != NULL; c++)
		if (!c->hidden && jr_edit_distance(word, c->name, 2) <= 2)
			return c->name;
	return NULL;
}

int
cli_cmd_help(const cliopt_cmd *cmd, int argc, char **argv)
{
	cliopt_parser p;
	const char *arg, *topic = NULL;
	bool man = false;
	cliopt_begin(&p, cmd, argc, argv);
	for (int id; (id = cliopt_next(&p, &arg)) != CLIOPT_END;) {
		if (id == CLIOPT_EXIT)
			return cliopt_code(&p);
		if (id == CLI_O_MAN) {
			man = true;
			continue;
		}
		if (topic != NULL)
			return cliopt_fail(cmd, "takes one command, got also '%s'", arg);
		topic = arg;
	}
	if (man && topic != NULL)
		return cliopt_fail(cmd, "--man prints the whole manual; got also '%s'",
		    topic);
	if (man) {
		clidoc_man(stdout, &cli_page, cli_commands);
		return SIM_EXIT_OK;
	}
	if (topic == NULL) {
		cli_usage(stdout);
		return SIM_EXIT_OK;
	}
	const cliopt_cmd *c = cli_command(topic);
	if (c == NULL) {
		const char *near = nearest_command(topic);
		fprintf(stderr, "ecsim help: no command '%s'%s%s%s (see: ecsim help)\n",
		    topic, near ? "; did you mean '" : "", near ? near : "",
		    near ? "'?" : "");
		return SIM_EXIT_INPUT;
	}
	cliopt_help(stdout, c);
	return SIM_EXIT_OK;
}

int
main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	heap_use_huge_pages(); /* 13-15 % off a month-long run (sim/heap.h) */
	if (argc < 2) {
		cli_usage(stderr);
		return SIM_EXIT_INPUT;
	}
	const char *word = argv[1];
	if (strcmp(word, "-h") == 0 || strcmp(word, "--help") == 0) {
		cli_usage(stdout);
		return SIM_EXIT_OK;
	}
	if (strcmp(word, "-V") == 0 || strcmp(word, "--version") == 0)
		word = "version";
	const cliopt_cmd *cmd = cli_command(word);
	if (cmd != NULL)
		return cmd->fn(cmd, argc - 1, argv + 1);
	const char *near = word[0] != '-' ? nearest_command(word) : NULL;
	fprintf(stderr, "ecsim: unknown %s '%s'%s%s%s (see: ecsim help)\n",
	    word[0] == '-' ? "option" : "command", word,
	    near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
	return SIM_EXIT_INPUT;
}
