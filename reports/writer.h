/*
 * writer — report files written safely: each file is written to
 * DIR/<name>.tmp.<pid>, flushed and fsync'ed, then renamed over DIR/<name>,
 * so an interrupted or failed run never leaves a half-written report under
 * the final name. On any error the temporary file is removed and the
 * caller gets SIM_EIO with "cannot write 'DIR/name': <reason>".
 *
 * The output directory and its parents are created when missing (0777
 * minus the umask).
 */
#ifndef REPORTS_WRITER_H
#define REPORTS_WRITER_H

#include "reports/expect.h"
#include "reports/rout.h"
#include "sim/error.h"
#include "sim/recorder.h"

/* A report generator: prints to o. */
typedef void (*rwrite_fn)(rout *o, const void *ctx);

/* Create dir and its missing parents. Returns 0, or SIM_EIO with
 * "cannot create directory 'a/b': <reason>". */
int rwrite_mkdirs(const char *dir, sim_error *err);

/* Write DIR/name with gen(o, ctx), atomically (see above). Creates dir.
 * Returns 0 or SIM_EIO. */
int rwrite_file(const char *dir, const char *name, rwrite_fn gen,
    const void *ctx, sim_error *err);

/* The run's report files in dir: summary.json, timeline.csv, events.log,
 * report.html (in that order; stops at the first failure). res (borrowed)
 * may be NULL. Returns 0 or SIM_EIO. */
int rwrite_all(const char *dir, const recorder *r, const expect_result *res,
    sim_error *err);

#endif
