/*
 * cli — the ecsim program. The only code that ties sim/, model/ and
 * reports/ together: load a scenario with every section registered, run
 * it through a backend, hand the recorder to the reports.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/error.h"
#include "sim/recorder.h"
#include "sim/simtime.h"

typedef struct cli_run_opts {
	bool seed_set;
	uint64_t seed;
	bool duration_set;
	sim_time duration;
	bool validate_only;
	/* --max-memory: the timeline a run records must fit this in memory
	 * and as timeline.csv (estimated before the run); 0: the default */
	unsigned long long max_memory;
} cli_run_opts;

/* The default of --max-memory: 2 GiB. */
#define CLI_DEFAULT_MAX_MEMORY (2ULL << 30)

/* Parse a size for --max-memory: bytes, or a number with K, M, G or T
 * (binary: KiB ...). Returns 0, or -1 when s is not such a size. */
int cli_parse_size(const char *s, unsigned long long *out);

/* One scenario run: everything a report needs. */
typedef struct cli_result {
	recorder *rec;                /* owned */
	struct expect_set *expect;    /* owned */
	struct expect_result *verdicts; /* owned; NULL when validate_only */
	struct arena *arena;          /* owned: the scenario's arena */
	const char *name;             /* scenario name (in arena) */
	uint64_t events;              /* engine events executed */
	/* For other backends (run --backend aws): the loaded scenario's
	 * timeline and run length (in arena). */
	const struct plan *timeline;
	sim_time duration;
} cli_result;

/* Load path, run it (unless validate_only) and evaluate expectations.
 * Returns SIM_OK, or an error code with *err filled. Free with
 * cli_result_free. */
int cli_run_scenario(const char *path, const cli_run_opts *o, cli_result *out,
    sim_error *err);
void cli_result_free(cli_result *r);

int cli_cmd_run(int argc, char **argv);
int cli_cmd_check(int argc, char **argv);
int cli_cmd_validate(int argc, char **argv);
/* `run --backend aws|sim ...` (sim/cli_aws.c). */
int cli_aws_run(int argc, char **argv);
/* True when argv holds a --backend option. */
bool cli_aws_requested(int argc, char **argv);

#define ECSIM_VERSION "0.1.0"

#endif
