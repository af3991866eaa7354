/*
 * bench_util — helpers shared by the scenario benchmarks (header only:
 * `make bench` builds each bench/NAME.c as its own program, so there is no
 * bench library to link). Wall clock, medians, scenario files generated
 * into a temporary file, a scenario run that exits on error, and running
 * a measurement in a forked child so that its peak RSS is its own.
 *
 * Every function is `static inline` so a program that does not use one
 * gets no warning. Benchmarks print figures; nothing here asserts on time.
 */
#ifndef BENCH_BENCH_UTIL_H
#define BENCH_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/error.h"

/* Monotonic wall clock, in milliseconds. */
static inline double
bu_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Peak resident set of this process so far, in MiB (Linux: KiB units). */
static inline double
bu_peak_rss_mib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

static inline int
bu_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median, min and max of v[0..n) (sorts v in place). */
typedef struct bu_stats {
	double median, min, max;
} bu_stats;

static inline bu_stats
bu_stats_of(double *v, size_t n)
{
	qsort(v, n, sizeof(v[0]), bu_cmp_double);
	bu_stats s = {v[n / 2], v[0], v[n - 1]};
	if (n % 2 == 0)
		s.median = (v[n / 2 - 1] + v[n / 2]) / 2;
	return s;
}

/* A new, empty temporary scenario file: *path receives an owned
 * "/tmp/ecsim-bench-XXXXXX" (free it, unlink the file), the stream is
 * open for writing. Exits on failure. */
static inline FILE *
bu_temp_file(char **path)
{
	*path = strdup("/tmp/ecsim-bench-XXXXXX");
	int fd = mkstemp(*path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		perror("bench: cannot create a temporary file");
		exit(1);
	}
	return f;
}

/* Close a generated scenario; exits if writing it failed. */
static inline void
bu_close(FILE *f, const char *path)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "bench: cannot write %s\n", path);
		exit(1);
	}
}

/* Run a scenario file; exits with the simulator's message on error.
 * Free *res with cli_result_free. */
static inline void
bu_run(const char *path, const cli_run_opts *o, cli_result *res)
{
	sim_error err;
	sim_error_clear(&err);
	if (cli_run_scenario(path, o, res, &err) != 0) {
		char buf[1400];
		sim_error_format(&err, buf, sizeof(buf));
		fprintf(stderr, "bench: scenario failed: %s\n", buf);
		exit(1);
	}
}

/* Run fn(ctx, out) in a forked child and copy the `size` bytes it leaves
 * in *out back to the parent through a pipe, so figures measured in the
 * child (its ru_maxrss above all) belong to that measurement alone.
 * Returns 0, or -1 if the child failed (crashed, exited non-zero, or sent
 * a short answer); the reason is printed. */
static inline int
bu_in_child(void (*fn)(const void *ctx, void *out), const void *ctx,
    void *out, size_t size)
{
	int fds[2];
	if (pipe(fds) != 0) {
		perror("bench: pipe");
		return -1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench: fork");
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		fn(ctx, out);
		const char *p = out;
		size_t left = size;
		while (left > 0) {
			ssize_t w = write(fds[1], p, left);
			if (w <= 0)
				_exit(1);
			p += w;
			left -= (size_t)w;
		}
		fflush(stdout);
		_exit(0);
	}
	close(fds[1]);
	char *p = out;
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fds[0], p + got, size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fds[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "bench: child killed by signal %d\n", WTERMSIG(status));
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != size) {
		fprintf(stderr, "bench: child failed (exit %d)\n",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

#endif
