/*
 * pool — fork, pipes and poll (see pool.h).
 *
 * Protocol, host byte order (parent and workers are one program on one
 * machine): parent -> worker, one uint64 item number per message; the
 * parent closing the command pipe tells the worker to exit. Worker ->
 * parent, per item: uint64 item, uint64 length, then the bytes. Each
 * worker has at most PIPELINE items outstanding, so the 8-byte writes to
 * a command pipe never block.
 */
#include "sim/pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/xalloc.h"

#define PIPELINE 2

typedef struct worker {
	pid_t pid;
	int cmd;            /* write end of its command pipe, -1 when closed */
	int res;            /* read end of its result pipe, -1 when done */
	size_t outstanding;
	size_t queue[PIPELINE]; /* the items it holds, oldest first */
} worker;

int
pool_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

/* ---- progress ---- */

typedef struct progress {
	bool on;
	const char *what;
	size_t total, done;
	struct timespec start, last;
} progress;

static double
since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
progress_tick(progress *p, bool final)
{
	if (!p->on)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && p->done > 0 && p->done < p->total &&
	    since(&p->last, &now) < 0.1)
		return;
	p->last = now;
	if (final) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		return;
	}
	double el = since(&p->start, &now);
	double rate = el > 0 ? (double)p->done / el : 0;
	double eta = rate > 0 ? (double)(p->total - p->done) / rate : 0;
	if (p->done == 0)
		fprintf(stderr, "\r\033[K%s: 0/%zu done", p->what, p->total);
	else
		fprintf(stderr, "\r\033[K%s: %zu/%zu done, %.0f/s, ETA %.0fs",
		    p->what, p->done, p->total, rate, eta);
	fflush(stderr);
}

/* ---- I/O helpers ---- */

static int
write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read exactly n bytes. Returns 1, 0 at end of file before any byte, -1
 * on error or a short read. */
static int
read_all(int fd, void *p, size_t n)
{
	char *s = p;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, s + got, n - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return 1;
}

/* ---- the worker side ---- */

static _Noreturn void
worker_main(int cmd, int res, pool_work_fn work, void *ctx)
{
	uint64_t item;
	int rc;
	/* a handler inherited from the parent (a test harness forwarding
	 * SIGTERM to its process group) is not the worker's business */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	while ((rc = read_all(cmd, &item, sizeof(item))) == 1) {
		size_t len = 0;
		void *data = work(ctx, (size_t)item, &len);
		uint64_t hdr[2] = {item, (uint64_t)len};
		if (write_all(res, hdr, sizeof(hdr)) != 0 ||
		    write_all(res, data, len) != 0)
			_exit(3);
		free(data);
	}
	_exit(rc == 0 ? 0 : 3);
}

/* ---- the parent side ---- */

static int
in_process(const size_t *items, size_t n, progress *pr, pool_work_fn work,
    pool_done_fn done, void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		void *data = work(ctx, items[i], &len);
		done(ctx, items[i], data, len);
		free(data);
		pr->done++;
		progress_tick(pr, false);
	}
	return 0;
}

static void
describe_exit(char *buf, size_t size, int status)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "died (signal %d)", WTERMSIG(status));
	else if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else
		snprintf(buf, size, "stopped");
}

/* Give w its next item, if any. */
static int
feed(worker *w, const size_t *items, size_t n, size_t *next)
{
	while (w->outstanding < PIPELINE && *next < n) {
		uint64_t it = items[*next];
		if (write_all(w->cmd, &it, sizeof(it)) != 0)
			return -1;
		w->queue[w->outstanding++] = items[(*next)++];
	}
	if (w->outstanding == 0 && w->cmd >= 0) {
		close(w->cmd);
		w->cmd = -1;
	}
	return 0;
}

static int
feed_error(sim_error *err)
{
	return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
	    "cannot send work to a worker: %s", strerror(errno));
}

/* Start the workers: every pipe is made first, then each child closes
 * every end that is not its own (so a worker sees end of file when the
 * parent closes its command pipe, not when its siblings exit). */
static int
spawn(worker *ws, int jobs, pool_work_fn work, void *ctx, sim_error *err)
{
	int (*fds)[4] = xcalloc((size_t)jobs, sizeof(*fds));
	int rc = 0;
	for (int j = 0; j < jobs; j++) {
		int c[2], r[2];
		if (pipe(c) != 0 || pipe(r) != 0) {
			rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "cannot create a pipe for worker %d: %s", j + 1,
			    strerror(errno));
			jobs = j;
			break;
		}
		fds[j][0] = c[0]; /* worker reads commands */
		fds[j][1] = c[1];
		fds[j][2] = r[0];
		fds[j][3] = r[1]; /* worker writes results */
		ws[j].cmd = c[1];
		ws[j].res = r[0];
		ws[j].pid = -1;
	}
	fflush(stdout);
	fflush(stderr);
	for (int j = 0; j < jobs && rc == 0; j++) {
		pid_t pid = fork();
		if (pid < 0) {
			rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "cannot start worker %d: %s", j + 1, strerror(errno));
			break;
		}
		if (pid == 0) {
			for (int k = 0; k < jobs; k++)
				for (int e = 0; e < 4; e++)
					if (!(k == j && (e == 0 || e == 3)))
						close(fds[k][e]);
			worker_main(fds[j][0], fds[j][3], work, ctx);
		}
		ws[j].pid = pid;
	}
	for (int j = 0; j < jobs; j++) {
		close(fds[j][0]);
		close(fds[j][3]);
	}
	free(fds);
	return rc;
}

/* Read one result from w and hand it over. Returns 1 on a result, 0 at
 * end of file, -1 on a broken stream. */
static int
receive(worker *w, pool_done_fn done, void *ctx)
{
	uint64_t hdr[2];
	int rc = read_all(w->res, hdr, sizeof(hdr));
	if (rc <= 0)
		return rc;
	if (w->outstanding == 0 || hdr[0] != w->queue[0] || hdr[1] > SIZE_MAX / 2)
		return -1;
	size_t len = (size_t)hdr[1];
	void *data = xmalloc(len ? len : 1);
	if (len > 0 && read_all(w->res, data, len) != 1) {
		free(data);
		return -1;
	}
	done(ctx, (size_t)hdr[0], data, len);
	free(data);
	memmove(w->queue, w->queue + 1, (w->outstanding - 1) * sizeof(size_t));
	w->outstanding--;
	return 1;
}

int
pool_run(const size_t *items, size_t n, const pool_opts *o,
    pool_work_fn work, pool_done_fn done, void *ctx, sim_error *err)
{
	progress pr = {.on = o->progress, .what = o->what ? o->what : "items",
	    .total = n};
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	pr.last = pr.start;
	progress_tick(&pr, false);
	int jobs = o->jobs;
	if ((size_t)jobs > n)
		jobs = (int)n;
	if (jobs <= 1) {
		int rc = in_process(items, n, &pr, work, done, ctx);
		progress_tick(&pr, true);
		return rc;
	}
	worker *ws = xcalloc((size_t)jobs, sizeof(*ws));
	struct pollfd *pfd = xcalloc((size_t)jobs, sizeof(*pfd));
	void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
	int rc = spawn(ws, jobs, work, ctx, err);
	size_t next = 0, live = 0;
	for (int j = 0; j < jobs && rc == 0; j++) {
		if (feed(&ws[j], items, n, &next) != 0)
			rc = feed_error(err);
		live++;
	}
	while (rc == 0 && live > 0) {
		int np = 0;
		for (int j = 0; j < jobs; j++)
			if (ws[j].res >= 0)
				pfd[np++] = (struct pollfd){.fd = ws[j].res, .events = POLLIN};
		if (poll(pfd, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "poll: %s", strerror(errno));
			break;
		}
		for (int j = 0, k = 0; j < jobs && rc == 0; j++) {
			worker *w = &ws[j];
			if (w->res < 0)
				continue;
			short ev = pfd[k++].revents;
			if (!(ev & (POLLIN | POLLHUP | POLLERR)))
				continue;
			int got = receive(w, done, ctx);
			if (got == 1) {
				pr.done++;
				progress_tick(&pr, false);
				if (feed(w, items, n, &next) == 0)
					continue;
				/* its command pipe is broken: it died */
				got = -1;
			}
			if (got == 0 && w->outstanding == 0 && w->cmd < 0) {
				close(w->res);
				w->res = -1;
				live--;
				continue;
			}
			/* the worker broke: say how, and on which item */
			int status = 0;
			char how[80] = "closed its pipe";
			if (w->cmd >= 0) {
				close(w->cmd);
				w->cmd = -1;
			}
			if (waitpid(w->pid, &status, 0) == w->pid) {
				describe_exit(how, sizeof(how), status);
				w->pid = -1;
			}
			rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "worker %d %s while running item %zu", j + 1, how,
			    w->outstanding ? w->queue[0] : 0);
		}
	}
	/* stop and reap every worker */
	for (int j = 0; j < jobs; j++) {
		if (ws[j].cmd >= 0)
			close(ws[j].cmd);
		if (ws[j].res >= 0)
			close(ws[j].res);
		if (ws[j].pid > 0) {
			int status;
			if (rc != 0)
				kill(ws[j].pid, SIGKILL);
			while (waitpid(ws[j].pid, &status, 0) < 0 && errno == EINTR)
				;
			if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
				char how[80];
				describe_exit(how, sizeof(how), status);
				rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
				    "worker %d %s", j + 1, how);
			}
		}
	}
	signal(SIGPIPE, old_pipe);
	progress_tick(&pr, true);
	free(pfd);
	free(ws);
	return rc;
}
