/*
 * writer — temporary files, fsync, rename; sets under a lock (see
 * writer.h).
 *
 * Invariant: when a write returns, none of its temporary files exists,
 * and each target is either complete and new or what it was before; for
 * rwrite_set, no target is new unless every file of the set was complete.
 * While temporary files exist their names are in the signal-cleanup table
 * below, the one piece of process-wide state here (a signal handler can
 * reach nothing else).
 */
/* flock(2) is BSD, in glibc's default set: the lock is on the open
 * directory itself, needs no lock file, and is released when the process
 * dies, however it dies. */
#define _DEFAULT_SOURCE 1

#include "reports/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/events_log.h"
#include "reports/report_html.h"
#include "reports/summary_json.h"
#include "reports/timeline_csv.h"
#include "sim/xalloc.h"

/* ---- temporary files and signals ---- */

#define RW_MAX_TEMPS 8

/* Names of the temporary files that exist now (heap strings owned by
 * their writer); the handler reads them, so an entry is set before the
 * count includes it and the count drops before it is freed. */
static char *volatile rw_temps[RW_MAX_TEMPS];
static volatile sig_atomic_t rw_ntemps;

static const int rw_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define RW_NSIGNALS (sizeof(rw_signals) / sizeof(rw_signals[0]))
static struct sigaction rw_saved[RW_NSIGNALS];

static void
rw_on_signal(int sig)
{
	for (sig_atomic_t i = 0; i < rw_ntemps; i++)
		if (rw_temps[i] != NULL)
			unlink(rw_temps[i]);
	/* SA_RESETHAND restored the default action; the signal is blocked
	 * while we run, so it is delivered (and kills) when we return */
	raise(sig);
}

/* Install the cleanup handlers (the old ones are saved). */
static void
rw_guard_on(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = rw_on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < RW_NSIGNALS; i++)
		sigaddset(&sa.sa_mask, rw_signals[i]);
	sa.sa_flags = (int)SA_RESETHAND;
	for (size_t i = 0; i < RW_NSIGNALS; i++) {
		sigaction(rw_signals[i], NULL, &rw_saved[i]);
		/* a signal the caller ignores stays ignored */
		if (rw_saved[i].sa_handler != SIG_IGN)
			sigaction(rw_signals[i], &sa, NULL);
	}
}

static void
rw_guard_off(void)
{
	rw_ntemps = 0;
	for (size_t i = 0; i < RW_NSIGNALS; i++)
		sigaction(rw_signals[i], &rw_saved[i], NULL);
}

/* Block (or unblock) the cleanup signals. */
static void
rw_block(bool on, sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < RW_NSIGNALS; i++)
		sigaddset(&set, rw_signals[i]);
	if (on)
		sigprocmask(SIG_BLOCK, &set, old);
	else
		sigprocmask(SIG_SETMASK, old, NULL);
}

/* The mode a file created with 0666 gets under the current umask. */
static mode_t
file_mode(void)
{
	mode_t m = umask(0);
	umask(m);
	return 0666 & ~m;
}

/* dir + "/" + name (no "/" doubled). */
static char *
join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	if (dl == 0)
		return xstrdup(name);
	return xasprintf("%s%s%s", dir, dir[dl - 1] == '/' ? "" : "/", name);
}

/* One staged file. */
typedef struct staged {
	char *final; /* target path */
	char *tmp;   /* temporary path (exists while staged) */
} staged;

/* Generate into a fresh temporary file beside final, complete and
 * fsync'ed. Returns 0 or an errno value (nothing left behind). The
 * temporary's name goes into the signal table at slot. */
static int
stage(staged *st, size_t slot, rwrite_fn gen, const void *ctx, mode_t mode)
{
	const char *slash = strrchr(st->final, '/');
	if (slash == NULL)
		st->tmp = xasprintf(".%s.XXXXXX", st->final);
	else
		st->tmp = xasprintf("%.*s/.%s.XXXXXX", (int)(slash - st->final),
		    st->final, slash + 1);
	SIM_ASSERT(slot < RW_MAX_TEMPS);
	/* mkstemp: O_CREAT|O_EXCL, mode 0600, a name nobody could plant */
	sigset_t old;
	rw_block(true, &old);
	int fd = mkstemp(st->tmp);
	if (fd >= 0) {
		rw_temps[slot] = st->tmp;
		rw_ntemps = (sig_atomic_t)(slot + 1);
	}
	rw_block(false, &old);
	if (fd < 0) {
		int e = errno;
		free(st->tmp);
		st->tmp = NULL;
		return e;
	}
	rout *o = rout_fd(fd);
	gen(o, ctx);
	int e = rout_flush(o);
	rout_free(o);
	if (e == 0 && fchmod(fd, mode) != 0)
		e = errno;
	if (e == 0 && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	return e;
}

/* Remove the temporaries of st[0..n-1] and free everything. */
static void
unstage(staged *st, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (st[i].tmp != NULL)
			unlink(st[i].tmp);
	rw_ntemps = 0;
	for (size_t i = 0; i < n; i++) {
		free(st[i].tmp);
		free(st[i].final);
	}
}

/* Stage items into dir, then rename them all. dirfd (or -1) is fsync'ed
 * after the renames. */
static int
write_set(const char *dir, int dirfd, const rwrite_item *items, size_t n,
    const void *ctx, sim_error *err)
{
	SIM_ASSERT(n <= RW_MAX_TEMPS);
	staged *st = xcalloc(n ? n : 1, sizeof(*st));
	mode_t mode = file_mode();
	int rc = 0;
	rw_guard_on();
	for (size_t i = 0; i < n; i++) {
		st[i].final = join(dir, items[i].name);
		int e = stage(&st[i], i, items[i].gen, ctx, mode);
		if (e != 0) {
			rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
			    "cannot write '%s': %s", st[i].final, strerror(e));
			unstage(st, i + 1);
			goto out;
		}
	}
	/* commit: no signal between the first rename and the last */
	sigset_t old;
	rw_block(true, &old);
	for (size_t i = 0; i < n; i++) {
		if (rename(st[i].tmp, st[i].final) == 0) {
			free(st[i].tmp);
			st[i].tmp = NULL;
			continue;
		}
		int e = errno;
		if (i == 0)
			rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
			    "cannot write '%s': %s", st[i].final, strerror(e));
		else
			rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
			    "cannot write '%s': %s (%zu of the %zu files of the set "
			    "were replaced already)", st[i].final, strerror(e), i, n);
		break;
	}
	if (rc == 0 && dirfd >= 0 && fsync(dirfd) != 0 && errno != EINVAL)
		rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
		    "cannot write '%s': %s", dir, strerror(errno));
	unstage(st, n);
	rw_block(false, &old);
out:
	rw_guard_off();
	free(st);
	return rc;
}

/* ---- directories ---- */

/* Is path an existing directory? */
static bool
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
rwrite_mkdirs(const char *dir, sim_error *err)
{
	if (dir[0] == '\0' || is_dir(dir))
		return 0;
	char *p = xstrdup(dir);
	int rc = 0;
	/* each prefix ending before a '/', then the whole path */
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (!is_dir(p) && mkdir(p, 0777) != 0 && errno != EEXIST) {
			rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
			    "cannot create directory '%s': %s", p, strerror(errno));
			break;
		}
		if (!is_dir(p)) {
			rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
			    "cannot create directory '%s': %s", p, strerror(ENOTDIR));
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

struct rwrite_dir {
	char *path;
	int fd;       /* the directory, open and flock'ed */
	bool created; /* rwrite_open made it */
	bool written; /* a set was committed into it */
};

int
rwrite_open(const char *dir, rwrite_dir **out, sim_error *err)
{
	*out = NULL;
	if (dir[0] == '\0')
		return sim_error_set(err, SIM_EUSAGE, NULL, 0, 0, NULL,
		    "the output directory name is empty");
	bool created = !is_dir(dir);
	int rc = rwrite_mkdirs(dir, err);
	if (rc != 0)
		return rc;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
		    "cannot open directory '%s': %s", dir, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
		close(fd);
		return sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
		    "output directory '%s' is being written by another ecsim run "
		    "(its files must come from one run; wait for it or choose "
		    "another directory)", dir);
	}
	/* a file system without flock: the set is still staged safely */
	rwrite_dir *d = xcalloc(1, sizeof(*d));
	d->path = xstrdup(dir);
	d->fd = fd;
	d->created = created;
	*out = d;
	return 0;
}

void
rwrite_close(rwrite_dir *d)
{
	if (d == NULL)
		return;
	/* a directory made for a run that wrote nothing does not stay */
	if (d->created && !d->written)
		rmdir(d->path);
	close(d->fd); /* releases the lock */
	free(d->path);
	free(d);
}

int
rwrite_set(rwrite_dir *d, const rwrite_item *items, size_t n,
    const void *ctx, sim_error *err)
{
	int rc = write_set(d->path, d->fd, items, n, ctx, err);
	d->written |= rc == 0;
	return rc;
}

int
rwrite_file(const char *dir, const char *name, rwrite_fn gen,
    const void *ctx, sim_error *err)
{
	int rc = rwrite_mkdirs(dir, err);
	if (rc != 0)
		return rc;
	rwrite_item it = {name, gen};
	return write_set(dir[0] != '\0' ? dir : ".", -1, &it, 1, ctx, err);
}

/* ---- the run's reports ---- */

/* The generators of rwrite_reports, with the arguments they share. */
typedef struct all_ctx {
	const recorder *r;
	const expect_result *res;
} all_ctx;

static void
gen_json(rout *o, const void *p)
{
	const all_ctx *c = p;
	rjson_write(o, c->r, c->res);
}

static void
gen_csv(rout *o, const void *p)
{
	rcsv_write(o, ((const all_ctx *)p)->r);
}

static void
gen_events(rout *o, const void *p)
{
	revents_write(o, ((const all_ctx *)p)->r);
}

static void
gen_html(rout *o, const void *p)
{
	const all_ctx *c = p;
	rhtml_write(o, c->r, c->res);
}

int
rwrite_reports(rwrite_dir *d, const recorder *r, const expect_result *res,
    sim_error *err)
{
	static const rwrite_item files[] = {
		{"summary.json", gen_json},
		{"timeline.csv", gen_csv},
		{"events.log", gen_events},
		{"report.html", gen_html},
	};
	all_ctx c = {r, res};
	return rwrite_set(d, files, sizeof(files) / sizeof(files[0]), &c, err);
}

int
rwrite_all(const char *dir, const recorder *r, const expect_result *res,
    sim_error *err)
{
	rwrite_dir *d;
	int rc = rwrite_open(dir, &d, err);
	if (rc != 0)
		return rc;
	rc = rwrite_reports(d, r, res, err);
	rwrite_close(d);
	return rc;
}

/* ---- a path as the user named it ---- */

/* The descriptor of this process that p names (/dev/stdout, /dev/fd/N,
 * /proc/self/fd/N ...), or -1. Writing to it directly keeps its offset:
 * reopening a redirected stdout would start over at byte 0. */
static int
fd_name(const char *p)
{
	if (strcmp(p, "/dev/stdout") == 0)
		return 1;
	if (strcmp(p, "/dev/stderr") == 0)
		return 2;
	const char *n = strncmp(p, "/dev/fd/", 8) == 0 ? p + 8 :
	    strncmp(p, "/proc/self/fd/", 14) == 0 ? p + 14 : NULL;
	if (n == NULL || *n < '0' || *n > '9')
		return -1;
	char *end;
	long fd = strtol(n, &end, 10);
	return *end == '\0' && fd >= 0 && fd < 65536 ? (int)fd : -1;
}

/* Stream gen's output to an open descriptor or stream. */
static int
write_through(rout *o, const char *what, rwrite_fn gen, const void *ctx,
    sim_error *err)
{
	gen(o, ctx);
	int e = rout_flush(o);
	rout_free(o);
	if (e != 0)
		return sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
		    "cannot write %s: %s", what, strerror(e));
	return 0;
}

int
rwrite_path(const char *path, rwrite_fn gen, const void *ctx, sim_error *err)
{
	if (path[0] == '\0')
		return sim_error_set(err, SIM_EUSAGE, NULL, 0, 0, NULL,
		    "the output file name is empty (use - for standard output)");
	if (strcmp(path, "-") == 0)
		return write_through(rout_file(stdout), "to standard output", gen,
		    ctx, err);
	char *what = xasprintf("'%s'", path);
	int fd = fd_name(path), rc;
	if (fd == 1) {
		fflush(stdout); /* what was printed before comes first */
		rc = write_through(rout_file(stdout), what, gen, ctx, err);
		free(what);
		return rc;
	}
	if (fd >= 0) {
		rc = write_through(rout_fd(fd), what, gen, ctx, err);
		free(what);
		return rc;
	}
	struct stat ls, st;
	bool exists = lstat(path, &ls) == 0;
	bool target = exists && stat(path, &st) == 0;
	if (target && S_ISDIR(st.st_mode)) {
		free(what);
		return sim_error_set(err, SIM_EUSAGE, NULL, 0, 0, NULL,
		    "cannot write '%s': it is a directory (name a file)", path);
	}
	/* a pipe, or a terminal or /dev/null the user named, is written
	 * through; a symlink planted to elsewhere is replaced, not followed */
	if (target && (S_ISFIFO(st.st_mode) ||
	    (S_ISCHR(st.st_mode) && !S_ISLNK(ls.st_mode)))) {
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
			    "cannot write '%s': %s", path, strerror(errno));
		else {
			rc = write_through(rout_fd(fd), what, gen, ctx, err);
			if (close(fd) != 0 && rc == 0)
				rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
				    "cannot write '%s': %s", path, strerror(errno));
		}
		free(what);
		return rc;
	}
	free(what);
	if (target && S_ISBLK(st.st_mode))
		return sim_error_set(err, SIM_EUSAGE, NULL, 0, 0, NULL,
		    "cannot write '%s': a block device (ecsim writes reports to "
		    "files, pipes, terminals or -)", path);
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(slash - path));
	rc = rwrite_mkdirs(dir, err);
	if (rc == 0) {
		rwrite_item it = {slash ? slash + 1 : path, gen};
		rc = write_set(dir, -1, &it, 1, ctx, err);
	}
	free(dir);
	return rc;
}
