/*
 * cli_batch — the commands that run a scenario many times and what they
 * share: `ecsim run --seeds` (sim/cli_seeds.c), `ecsim sweep`
 * (sim/cli_sweep.c), `ecsim merge` (sim/cli_merge.c) and `ecsim compare`
 * (sim/cli_compare.c).
 *
 * A batch loads the scenario once per sweep point (in the parent, before
 * any worker starts), then runs every (point, seed) through a worker pool
 * (sim/pool.h) or, in an MPI build under mpirun, across ranks
 * (sim/ranks.h); each run is kept as a record (reports/runrec.h) and the
 * records are summarised in index order (reports/batch.h).
 */
#ifndef SIM_CLI_BATCH_H
#define SIM_CLI_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reports/batch.h"
#include "sim/error.h"
#include "sim/simtime.h"

typedef struct cli_batch_opts {
	const char *command;      /* "seeds" or "sweep" */
	const char *path;         /* the scenario */
	bool seeds_set;           /* else one run per point, the scenario's seed */
	uint64_t first_seed;
	size_t nseeds;
	const char *duration;     /* --duration text, or NULL */
	const char **sets;        /* fixed --set assignments */
	int nsets;
	rbatch_dim *dims;         /* --vary (sweep), borrowed */
	size_t ndims;
	int jobs;                 /* workers per process */
	size_t shard_k, shard_n;  /* 1-based; shard_n 0: no shard */
	const char *outdir;       /* -o, or NULL */
	bool run_reports;         /* per-run report files under outdir/runs */
	bool progress;            /* progress line on stderr */
	unsigned long long max_memory; /* --max-memory (0: the default) */
} cli_batch_opts;

/*
 * Load and run the batch o describes. Returns 0 with *out set (owned; free
 * with rbatch_free): with a shard or on an MPI rank other than 0 it holds
 * only that slice's runs and is not finished; otherwise every run is in
 * and rbatch_finish has been called. *rank0 says whether this process
 * reports the whole result (false on MPI ranks other than 0). Returns a
 * SIM_E* code with *err filled on failure (a scenario that does not load
 * at a sweep point is SIM_EINPUT, naming the point's assignments).
 */
int cli_batch_run(const cli_batch_opts *o, rbatch **out, bool *rank0,
    sim_error *err);

/* Write a partial (one shard) to outdir/partial-K-of-N.json, or to
 * stdout when outdir is NULL. Returns an exit code. */
int cli_batch_write_partial(const rbatch *b, const char *outdir, size_t k,
    size_t n);

/* The outputs of a finished batch (text or JSON on stdout unless quiet;
 * with outdir the files): seeds.json and seeds.csv, or sweep.csv,
 * sweep.json and sweep.html. Return the command's exit code. Shared by
 * the commands and `ecsim merge`. */
int cli_seeds_output(const rbatch *b, const char *outdir, bool json,
    bool quiet);
int cli_sweep_output(const rbatch *b, const char *outdir, bool json,
    bool quiet);

/* Parse one --vary "PATH=V1,V2,..." into *d (owned; free with
 * cli_dim_free). Values are split at top-level commas (not inside JSON
 * brackets, braces or strings); a value A..B:STEP (numbers, STEP > 0,
 * ":STEP" optional, default 1) stands for A, A+STEP, ... up to B.
 * Returns 0, or -1 with a message in why. */
int cli_parse_vary(const char *arg, rbatch_dim *d, char *why, size_t size);
void cli_dim_free(rbatch_dim *d);

/* Parse "--seeds N" (seeds 1..N) or "A..B". Returns 0 or -1. */
int cli_parse_seeds(const char *s, uint64_t *first, size_t *n);
/* Parse "--shard K/N" (1 <= K <= N). Returns 0 or -1. */
int cli_parse_shard(const char *s, size_t *k, size_t *n);
/* Parse "--jobs N" (1..1024). Returns 0 or -1. */
int cli_parse_jobs(const char *s, int *jobs);

/* "ecsim: <message> (see: ecsim help)" on stderr; returns exit code 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The options run --seeds and sweep share, as getopt_long ids and
 * entries (CLI_BATCH_LONGOPTS goes into each command's option table). */
enum {
	CLI_BO_SEEDS = 256,
	CLI_BO_SHARD,
	CLI_BO_RUNREP,
	CLI_BO_DURATION,
	CLI_BO_FORMAT,
	CLI_BO_SET,
	CLI_BO_MAXMEM,
	CLI_BO_OWN, /* a command's own options from here on */
};
#define CLI_BATCH_LONGOPTS \
	{"seeds", required_argument, NULL, CLI_BO_SEEDS}, \
	{"shard", required_argument, NULL, CLI_BO_SHARD}, \
	{"jobs", required_argument, NULL, 'j'}, \
	{"run-reports", no_argument, NULL, CLI_BO_RUNREP}, \
	{"duration", required_argument, NULL, CLI_BO_DURATION}, \
	{"format", required_argument, NULL, CLI_BO_FORMAT}, \
	{"set", required_argument, NULL, CLI_BO_SET}, \
	{"max-memory", required_argument, NULL, CLI_BO_MAXMEM}, \
	{"output", required_argument, NULL, 'o'}, \
	{"quiet", no_argument, NULL, 'q'}
/* Apply shared option ch (its argument arg) to o, *json and *quiet.
 * Returns -1 when applied, an exit code after a usage error, or -2 when
 * ch is not a shared option (the command's own, or getopt's ':'/'?'). */
int cli_batch_opt(int ch, const char *arg, cli_batch_opts *o, bool *json,
    bool *quiet);
/* Print err on stderr and return its exit code. */
int cli_fail(const sim_error *err);

/* `ecsim run` with --seeds or --shard: argv holds the arguments after
 * "run". cli_seeds_requested tells cli_cmd_run to hand over. */
bool cli_seeds_requested(int argc, char **argv);
int cli_seeds_run(int argc, char **argv);
int cli_cmd_sweep(int argc, char **argv);
int cli_cmd_merge(int argc, char **argv);
int cli_cmd_compare(int argc, char **argv);

#endif
