/*
 * pool — independent items of work spread over worker processes.
 *
 * The parent forks `jobs` workers that share its memory at the fork
 * (copy-on-write: whatever the caller loaded before pool_run, such as a
 * parsed scenario, is loaded once). Each worker reads item numbers from
 * its command pipe, computes each item's result bytes and writes them back
 * on its result pipe; the parent hands every result to `done` as it
 * arrives, and gives that worker the next item (dynamic balancing: slow
 * items do not hold up the rest). With jobs == 1 everything runs in the
 * calling process, with the same calls.
 *
 * Invariant: pool_run calls done exactly once per item, with the bytes
 * work produced for it, whatever the number of workers; the order of the
 * calls is the only thing that varies, so a caller that stores results by
 * item gets identical results for every jobs.
 */
#ifndef SIM_POOL_H
#define SIM_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"

/* Compute item's result: returns an owned buffer (malloc) of *len bytes
 * (NULL allowed when *len is 0). Runs in a worker. */
typedef void *(*pool_work_fn)(void *ctx, size_t item, size_t *len);
/* Take item's result (data borrowed for the call). Runs in the parent. */
typedef void (*pool_done_fn)(void *ctx, size_t item, const void *data,
    size_t len);

typedef struct pool_opts {
	int jobs;          /* worker processes; <= 1: in the calling process */
	bool progress;     /* a progress line on stderr (the caller decides:
	                    * only when stderr is a terminal) */
	const char *what;  /* "runs", for the progress line */
} pool_opts;

/* Run items[0..n-1]. Returns 0, or SIM_ERUNTIME when a worker could not
 * be started or died ("worker 2 died (signal 11) while running item 17"),
 * with *err filled; then some items may have had no done call. */
int pool_run(const size_t *items, size_t n, const pool_opts *o,
    pool_work_fn work, pool_done_fn done, void *ctx, sim_error *err);

/* The number of online processors (at least 1): the default --jobs. */
int pool_default_jobs(void);

#endif
