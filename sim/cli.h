/*
 * cli — the ecsim program. The only code that ties sim/, model/ and
 * reports/ together: load a scenario with every section registered, run
 * it through a backend, hand the recorder to the reports.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/cliopt.h"
#include "sim/error.h"
#include "sim/jread.h"
#include "sim/recorder.h"
#include "sim/simtime.h"

struct scn_spec;

typedef struct cli_run_opts {
	bool seed_set;
	uint64_t seed;
	bool duration_set;
	sim_time duration;
	bool validate_only;
	/* Overrides "PATH=VALUE" (sim/setpath.h), applied in order before the
	 * scenario's sections are read; borrowed. Errors name "--set:K:COL"
	 * with K the 1-based index in sets. */
	const char **sets;
	int nsets;
	bool no_timeline; /* leave the scenario's timeline out (serve) */
	/* --max-memory: the timeline a run records must fit this in memory
	 * and as timeline.csv (estimated before the run); 0: the default */
	unsigned long long max_memory;
} cli_run_opts;

/* The default of --max-memory: 2 GiB. */
#define CLI_DEFAULT_MAX_MEMORY (2ULL << 30)

/* Parse a size for --max-memory: bytes, or a number with K, M, G or T
 * (binary: KiB ...). Returns 0, or -1 when s is not such a size. */
int cli_parse_size(const char *s, unsigned long long *out);
struct model_cfg;
struct scenario;
/* Refuse, before it starts, a run of s whose timeline would not fit
 * max_memory (0: the default) in memory or as timeline.csv; the message
 * names the estimate and the sampleInterval that would fit. */
int cli_check_budget(const struct model_cfg *cfg, const struct scenario *s,
    unsigned long long max_memory, sim_error *err);

/* One scenario run: everything a report needs. */
typedef struct cli_result {
	recorder *rec;                /* owned */
	struct expect_set *expect;    /* owned */
	struct expect_result *verdicts; /* owned; NULL when validate_only */
	struct arena *arena;          /* owned: the scenario's arena */
	/* The loaded scenario and its model configuration (in arena), so
	 * the scenario can be run again with other seeds (sim/cli_seeds.c). */
	struct scenario *scn;
	struct model_cfg *cfg;
	const char *name;             /* scenario name (in arena) */
	uint64_t events;              /* engine events executed */
	/* For other backends (run --backend aws): the loaded scenario's
	 * timeline and run length (in arena). */
	const struct plan *timeline;
	sim_time duration;
	sim_errlist errs;             /* every loading error, in file order */
} cli_result;

struct arena;
struct model_cfg;
struct scenario;
/* Load path into arena a with every section registered (the model's and
 * "expect" into expect, borrowed), apply o's seed and duration. On success
 * *cfg and *s are set (both live in a). */
int cli_load_scenario(const char *path, const cli_run_opts *o,
    struct arena *a, struct expect_set *expect, struct model_cfg **cfg,
    struct scenario **s, sim_error *err);
/* Load path, run it (unless validate_only) and evaluate expectations.
 * Returns SIM_OK, or an error code with *err filled. Free with
 * cli_result_free. */
int cli_run_scenario(const char *path, const cli_run_opts *o, cli_result *out,
    sim_error *err);
void cli_result_free(cli_result *r);
/* Load a scenario given as text (name names it in messages) with every
 * section registered, reporting each read to fn (the jread capture);
 * nothing runs. *spec_out (may be NULL) receives the sections and calls
 * registered; their names are static, their contexts are gone. Returns
 * SIM_OK or an error with *err filled. */
int cli_capture_scenario(const char *name, const char *text,
    jr_capture_fn fn, void *ctx, struct scn_spec *spec_out, sim_error *err);
/* Print why cli_run_scenario failed: every loading error of r (capped,
 * in file order), or err when the failure was not one of loading. */
void cli_print_errors(FILE *out, const cli_result *r, const sim_error *err);
/* All of r's loading errors (or err), formatted, one per line: an owned
 * string (free it), for reports that show a failed run. */
char *cli_errors_text(const cli_result *r, const sim_error *err);
/* Flush standard output and return code, or SIM_EXIT_RUNTIME (after
 * saying so on stderr) when anything written to it was lost (a full disk,
 * a closed pipe): a command's output is part of its result. e is an
 * errno a writer to stdout already met (0 if none). */
int cli_finish_stdout(int code, int e);

/* The commands, NULL-name terminated (sim/cli_cmds.c): the one table of
 * commands, options and help texts. */
extern const cliopt_cmd cli_commands[];
/* The command called name, or NULL. */
const cliopt_cmd *cli_command(const char *name);

/* Option ids beyond the short letters. */
enum {
	CLI_O_SEED = 256,
	CLI_O_DURATION,
	CLI_O_SET,
	CLI_O_FORMAT,
	CLI_O_ASSUMPTIONS,
	CLI_O_JUNIT,
	CLI_O_MARKDOWN,
	CLI_O_MAN,
	/* run's other modes: many seeds (sim/cli_seeds.c) ... */
	CLI_O_SEEDS,
	CLI_O_SHARD,
	CLI_O_RUNREP,
	/* ... and the AWS backend (sim/cli_aws.c) */
	CLI_O_BACKEND,
	CLI_O_CREATE,
	CLI_O_USE_EXISTING,
	CLI_O_DRY_RUN,
	CLI_O_ACCOUNT,
	CLI_O_REGION,
	CLI_O_KEEP,
	CLI_O_PROFILE,
	CLI_O_ENDPOINT,
	CLI_O_RUN_ID,
	CLI_O_VPC,
	CLI_O_SUBNETS,
	CLI_O_SGS,
	CLI_O_POLL,
	CLI_O_CLOCK,
	CLI_O_ATTEMPTS,
	/* serve */
	CLI_O_PORT,
	CLI_O_BIND,
	CLI_O_AUTH,
	CLI_O_MAX_BODY,
	CLI_O_TIMEOUT,
	CLI_O_PORT_FILE,
	CLI_O_START_TIME,
	CLI_O_NO_TIMELINE,
	/* sweep, merge, compare */
	CLI_O_VARY,
	CLI_O_TOLERANCE,
	CLI_O_ALL,
	/* run: the timeline's budget (cli_run_opts.max_memory) */
	CLI_O_MAX_MEMORY,
};

/* The commands: argv[0] is the command's name; each returns the process
 * exit code. */
int cli_cmd_run(const cliopt_cmd *cmd, int argc, char **argv);
int cli_cmd_check(const cliopt_cmd *cmd, int argc, char **argv);
int cli_cmd_validate(const cliopt_cmd *cmd, int argc, char **argv);
int cli_cmd_version(const cliopt_cmd *cmd, int argc, char **argv);
int cli_cmd_help(const cliopt_cmd *cmd, int argc, char **argv);
int cli_cmd_completion(const cliopt_cmd *cmd, int argc, char **argv);
int cli_cmd_schema(const cliopt_cmd *cmd, int argc, char **argv);
/* sweep, merge and compare (sim/cli_batch.h) behind the table: their own
 * parsers, the table's help. */
int cli_cmd_sweep_t(const cliopt_cmd *cmd, int argc, char **argv);
/* serve (sim/cli_serve.c) behind the table, the same way. */
int cli_cmd_serve_t(const cliopt_cmd *cmd, int argc, char **argv);
int cli_cmd_merge_t(const cliopt_cmd *cmd, int argc, char **argv);
int cli_cmd_compare_t(const cliopt_cmd *cmd, int argc, char **argv);
/* True when an argument before "--" asks for help (-h, --help). */
bool cli_wants_help(int argc, char **argv);
/* `run --backend aws|sim ...` (sim/cli_aws.c); argv: after "run". */
int cli_aws_run(int argc, char **argv);
/* True when argv holds a --backend option. */
bool cli_aws_requested(int argc, char **argv);
/* ecsim serve (sim/cli_serve.c): argv holds the arguments after "serve". */
int cli_cmd_serve(int argc, char **argv);

/* A text embedded at build time, as lines (the reference scenarios of
 * docs/reference/, from tools/embed-json.sh). */
typedef struct cli_text {
	const char *name;
	const char *const *lines; /* NULL-terminated, each with its newline */
} cli_text;
/* The reference scenarios `ecsim schema` reads; ends with name NULL. */
extern const cli_text cli_reference_scenarios[];
/* The man page's text beyond the commands (sim/cli_cmds.c). */
extern const struct clidoc_page cli_page;
/* The list of commands (`ecsim help`, `ecsim --help`) to f. */
void cli_usage(FILE *f);

#define ECSIM_VERSION "0.1.0"

#endif
