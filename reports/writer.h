/*
 * writer — report files written safely.
 *
 * One file: generated into a temporary file created by mkstemp in the
 * target's directory (O_CREAT|O_EXCL: a name planted there, symlink or
 * not, is never opened), flushed, fsync'ed, then renamed over the target
 * (rename replaces a symlink at the target; it never follows it). On any
 * error the temporary file is removed and the target is what it was.
 *
 * A run's files as a set ("stage, then commit, under a directory lock"):
 * rwrite_open takes an exclusive advisory lock (flock) on the output
 * directory for the whole run, so a second run into the same directory is
 * refused instead of mixing its files with ours. rwrite_set writes every
 * file of the set to its temporary first; only when all are complete does
 * it rename them over the targets, one after the other, with SIGINT,
 * SIGTERM and SIGHUP blocked, then fsync the directory. A failure while
 * staging (a full disk on the third file) leaves the previous set
 * untouched. What remains is a crash or SIGKILL inside the commit itself:
 * a window of four renames in one directory, no data written in it.
 *
 * While temporary files exist, SIGINT, SIGTERM and SIGHUP remove them
 * before the process dies of the signal (the previous handlers are back
 * once writing is over).
 */
#ifndef REPORTS_WRITER_H
#define REPORTS_WRITER_H

#include "reports/expect.h"
#include "reports/rout.h"
#include "sim/error.h"
#include "sim/recorder.h"

/* A report generator: prints to o. */
typedef void (*rwrite_fn)(rout *o, const void *ctx);

/* One file of a set: its name in the directory and its generator. */
typedef struct rwrite_item {
	const char *name;
	rwrite_fn gen;
} rwrite_item;

/* An output directory held by this run. */
typedef struct rwrite_dir rwrite_dir;

/* Create dir and its missing parents (0777 minus the umask). Returns 0,
 * or SIM_EIO with "cannot create directory 'a/b': <reason>". */
int rwrite_mkdirs(const char *dir, sim_error *err);

/* Hold dir for this run: create it, lock it. Returns 0 and an owned
 * handle (free with rwrite_close), SIM_EUSAGE for an empty name, or
 * SIM_EIO ("... is being written by another ecsim run" when another
 * process holds it). */
int rwrite_open(const char *dir, rwrite_dir **out, sim_error *err);
/* Release the lock; a directory rwrite_open created is removed again if
 * nothing was written into it (and it is empty). NULL is a no-op. */
void rwrite_close(rwrite_dir *d);

/* Write the n files of items into d as one set (see above): gen(o, ctx)
 * for each. Returns 0 or SIM_EIO with "cannot write 'DIR/name': reason";
 * then no file of the set was replaced, unless the reason says how many
 * were (a rename failing during the commit). */
int rwrite_set(rwrite_dir *d, const rwrite_item *items, size_t n,
    const void *ctx, sim_error *err);

/* The run's report set: summary.json, timeline.csv, events.log,
 * report.html. res (borrowed) may be NULL. */
int rwrite_reports(rwrite_dir *d, const recorder *r, const expect_result *res,
    sim_error *err);

/* rwrite_open, rwrite_reports, rwrite_close. */
int rwrite_all(const char *dir, const recorder *r, const expect_result *res,
    sim_error *err);

/* Write DIR/name with gen(o, ctx) safely (see above; creates dir; no
 * lock). Returns 0 or SIM_EIO. */
int rwrite_file(const char *dir, const char *name, rwrite_fn gen,
    const void *ctx, sim_error *err);

/* Write one report to path as the user named it (--junit FILE):
 * "-" is standard output; an existing FIFO or character device (or
 * /dev/stdout, /dev/fd/N and the like) is written through; anything else
 * is replaced safely as by rwrite_file. Returns 0, SIM_EUSAGE for "" or a
 * directory, or SIM_EIO. */
int rwrite_path(const char *path, rwrite_fn gen, const void *ctx,
    sim_error *err);

#endif
