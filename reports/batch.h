/*
 * batch — many runs of one scenario: seeds (`ecsim run --seeds`) at one
 * or more sweep points (`ecsim sweep`), gathered as run records
 * (reports/runrec.h) and summarised per point: each metric's distribution
 * (reports/stats.h) and each expectation's share of seeds.
 *
 * Work is numbered: run i is point i / nseeds, seed first + i % nseeds.
 * Records may arrive in any order (workers, shards, MPI ranks); every
 * summary is computed in index order once all are in, so the outputs do
 * not depend on how the work was spread. Shard K of N holds the runs with
 * i % N == K - 1.
 *
 * An expectation passes at a point when it held in at least its "in"
 * share of the seeds (held * 100 >= in * seeds); a run that failed counts
 * as not holding.
 *
 * Outputs for seeds (one point): a text summary, seeds.json (also
 * `--format json`) and seeds.csv (one row per seed). Partial results
 * (one shard) are JSON documents that `ecsim merge` reads back.
 */
#ifndef REPORTS_BATCH_H
#define REPORTS_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "reports/rout.h"
#include "reports/runrec.h"
#include "reports/stats.h"
#include "sim/error.h"

/* One swept parameter: a --set path and its values (as given). */
typedef struct rbatch_dim {
	char *path;
	char **values;
	size_t nvalues;
} rbatch_dim;

/* What a batch is, independent of how it is run (no jobs, no shard). */
typedef struct rbatch_spec {
	char *command;     /* "seeds" or "sweep" */
	char *scenario;    /* name */
	char *file;        /* path as given */
	uint64_t first_seed;
	size_t nseeds;
	char *duration;    /* --duration as given, or NULL */
	char **sets;       /* fixed --set assignments "path=value" */
	size_t nsets;
	rbatch_dim *dims;  /* swept parameters (sweep only), outermost first */
	size_t ndims;
	char **expect_names; /* the scenario's expectations, in order */
	double *expect_in;   /* their "in" percentages */
	size_t nexpect;
} rbatch_spec;

/* A metric column: every key any run produced, by first appearance in
 * index order. */
typedef struct rbatch_col {
	const char *key, *unit; /* borrowed from a run record */
	int better;
} rbatch_col;

#define RBATCH_MAX_FAIL_SEEDS 10

typedef struct rbatch_exp {
	size_t held, n;            /* seeds where it held, of n */
	double share, lo, hi;      /* held / n and its Wilson 95% CI (0..1) */
	bool pass;                 /* held * 100 >= in * n */
	const char *kind, *bound;  /* from the first run that has them */
	size_t nfail;              /* seeds where it did not hold */
	uint64_t fail_seeds[RBATCH_MAX_FAIL_SEEDS]; /* the first of them */
	const char *first_measured; /* what the first failing seed measured */
} rbatch_exp;

typedef struct rbatch_pt {
	size_t failed_runs;        /* runs that stopped with an error */
	uint64_t first_error_seed;
	const char *first_error;
	rstat *stats;              /* one per column */
	rbatch_exp *ex;            /* one per expectation */
	size_t passed, failed;     /* expectations */
	bool meets_all;            /* no failed run, every expectation passes */
} rbatch_pt;

typedef struct rbatch {
	rbatch_spec spec;          /* owned copy */
	size_t npoints, nruns;
	rrun *runs;                /* nruns, index order */
	bool *have;
	size_t nhave;
	/* filled by rbatch_finish: */
	rbatch_col *cols;
	size_t ncols;
	rbatch_pt *pts;            /* npoints */
} rbatch;

/* Returns an owned batch for spec (copied); free with rbatch_free. */
rbatch *rbatch_new(const rbatch_spec *spec);
void rbatch_free(rbatch *b);
/* Free the strings and arrays of a spec (not the struct itself). */
void rbatch_spec_free(rbatch_spec *s);

/* Number of points: the product of the dims' value counts (1 without). */
size_t rbatch_spec_points(const rbatch_spec *s);
/* The value index of dim d at point p. */
size_t rbatch_point_value(const rbatch_spec *s, size_t p, size_t d);
/* Seed of run i. */
uint64_t rbatch_seed(const rbatch *b, size_t i);

/* Store the record of run i, taking what *r owns (*r is zeroed). A run
 * stored twice is a programming error. */
void rbatch_put(rbatch *b, size_t i, rrun *r);
/* Summarise: columns, distributions and expectation shares per point.
 * Every run must be in. */
void rbatch_finish(rbatch *b);
/* Index of column key, or -1. */
int rbatch_col_index(const rbatch *b, const char *key);

/* The batch's exit code: 3 when a run failed, else 1 when an
 * expectation failed at some point (seeds) or when no point meets every
 * expectation (sweep), else 0. */
int rbatch_exit_code(const rbatch *b);

/* ---- seeds outputs (one point) ---- */

/* The text summary (what `ecsim run --seeds` prints). */
void rbatch_seeds_text(rout *o, const rbatch *b);
/* The same block for each expectation that failed, nothing else (-q). */
void rbatch_seeds_failures(rout *o, const rbatch *b);
/* seeds.json as a tree (owned). */
cJSON *rbatch_seeds_json(const rbatch *b);
/* Print a tree as indented JSON with a final newline. */
void rbatch_print_json(rout *o, const cJSON *j);
/* seeds.csv: seed, status, then one column per metric, then one 0/1
 * column per expectation ("held: NAME"); values with 17 significant
 * digits when fewer do not read back the same. */
void rbatch_seeds_csv(rout *o, const rbatch *b);

/* ---- shared by the outputs ---- */

/* A value in its unit for people: durations "7m50.97s", USD "$0.1664",
 * percent "0.168%", others 4 significant digits. NaN is "-". */
char *rbatch_fmt(char *buf, size_t size, const char *unit, double v);
/* The shortest text that reads back as v ("%.15g" or "%.17g"). */
char *rbatch_exact(char *buf, size_t size, double v);
/* A CSV field (quoted when it holds a comma, quote or newline). */
void rbatch_csv_field(rout *o, const char *s);
/* The "methods" object every JSON output carries. */
cJSON *rbatch_methods_json(void);
/* Add the distribution's fields to object o (NaN as null). */
void rbatch_stat_add(cJSON *o, const rstat *s);

/* ---- partial results (one shard) ---- */

/* The partial of shard k of n (1-based): spec, shard, and the runs this
 * batch holds, each with its index. Returns an owned tree. */
cJSON *rbatch_partial_json(const rbatch *b, size_t k, size_t n);
/* The spec as JSON (owned), and back. from_json returns 0 or SIM_EINPUT
 * naming what is missing (err->file is left to the caller). */
cJSON *rbatch_spec_json(const rbatch_spec *s);
int rbatch_spec_from_json(rbatch_spec *out, const cJSON *j, sim_error *err);

#endif
