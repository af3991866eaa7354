/*
 * error — status codes and the one error type of ecsim.
 *
 * Status codes are ints: 0 is OK, failures are negative SIM_E* codes. A
 * function that fails fills a caller-provided sim_error (fixed buffers: no
 * free needed) with the position of the offending input, printed as
 *   file:line:col: json.path: message
 * Each code maps to one process exit code (sim_exit_code).
 */
#ifndef SIM_ERROR_H
#define SIM_ERROR_H

#include <stdio.h>

enum {
	SIM_OK = 0,
	SIM_EINPUT = -1,   /* bad scenario or argument: exit 2 */
	SIM_EUSAGE = -2,   /* bad command line: exit 2 */
	SIM_EIO = -3,      /* cannot read or write a file: exit 3 */
	SIM_ERUNTIME = -4, /* the simulation or a backend failed: exit 3 */
	SIM_EEXPECT = -5,  /* an expectation failed: exit 1 */
	SIM_EFAULT = -6,   /* an AWS-shaped call was refused; the reason is in an
	                    * aws_fault (sim/aws_fault.h): exit 3 */
};

/* Exit codes of the CLI contract (DESIGN.md). */
enum {
	SIM_EXIT_OK = 0,
	SIM_EXIT_EXPECT = 1,
	SIM_EXIT_INPUT = 2,
	SIM_EXIT_RUNTIME = 3,
};

typedef struct sim_error {
	int code;        /* SIM_E*, or SIM_OK when nothing was reported */
	char file[512];  /* "" when not tied to a file */
	int line, col;   /* 1-based; 0 when unknown */
	char path[256];  /* JSON path such as services[0].desiredCount, or "" */
	char msg[512];
} sim_error;

/* Reset *err to "no error". */
void sim_error_clear(sim_error *err);
/* Fill *err and return code (so callers can `return sim_error_set(...)`).
 * file/path may be NULL. */
int sim_error_set(sim_error *err, int code, const char *file, int line,
    int col, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Print "file:line:col: path: message" (omitting empty parts) and a newline. */
void sim_error_print(FILE *out, const sim_error *err);
/* Format the same text into buf. */
void sim_error_format(const sim_error *err, char *buf, size_t size);
/* Map a SIM_E* code to the process exit code. */
int sim_exit_code(int code);
const char *sim_strerror(int code);

/* Programmer errors abort with file:line (never for user input). */
#define SIM_ASSERT(cond) \
	((cond) ? (void)0 : sim_panic(__FILE__, __LINE__, "assertion failed: %s", #cond))
_Noreturn void sim_panic(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
