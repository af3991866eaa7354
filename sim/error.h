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

/* The buffers are fixed (no free needed) but large enough for any path
 * the OS opens (PATH_MAX); a text that still does not fit ends in "..."
 * so a cut is never silent. */
typedef struct sim_error {
	int code;        /* SIM_E*, or SIM_OK when nothing was reported */
	char file[4096]; /* "" when not tied to a file */
	int line, col;   /* 1-based; 0 when unknown */
	char path[1024]; /* JSON path such as services[0].desiredCount, or "" */
	char msg[6144];  /* room for a message quoting two long paths */
} sim_error;

/* Enough for sim_error_format of any sim_error (control characters are
 * written as 4-byte escapes, so a buffer this size may still cut an
 * error made of them: the cut ends in "..."). */
#define SIM_ERROR_TEXT (4096 + 1024 + 6144 + 64)

/* The errors of one input, shown together (like botocore's parameter
 * validation): at most SIM_ERRLIST_MAX, in file order. */
#define SIM_ERRLIST_MAX 50
typedef struct sim_errlist {
	sim_error *v;  /* owned; n entries */
	size_t n, cap;
	size_t more;   /* errors found beyond SIM_ERRLIST_MAX, not kept */
	size_t hidden; /* errors not listed because they may follow from the
	                  ones listed (checks after a part failed to load) */
} sim_errlist;

/* Reset *err to "no error". */
void sim_error_clear(sim_error *err);
/* Fill *err and return code (so callers can `return sim_error_set(...)`).
 * file/path may be NULL. */
int sim_error_set(sim_error *err, int code, const char *file, int line,
    int col, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Print "file:line:col: path: message" (omitting empty parts) and a newline.
 * Control characters and DEL are written as visible escapes ("\n",
 * "\x1b"), so an error is one line and cannot move a terminal's cursor or
 * forge a line of its own. */
void sim_error_print(FILE *out, const sim_error *err);
/* Format the same text into buf (NUL-terminated; a cut ends in "..."). */
void sim_error_format(const sim_error *err, char *buf, size_t size);

/* If s starts with a control character (C0, DEL, or a C1 control in
 * UTF-8), write its visible escape ("\\n", "\\x1b", "\\u009b") to out
 * (NUL-terminated) and return how many bytes of s it stands for; else
 * return 0. The one escaping of terminal-bound text. */
size_t sim_escape_control(const char *s, char out[8]);

/* An empty list (the struct may also be zeroed). */
void sim_errlist_init(sim_errlist *l);
/* Frees the entries; the list is empty and reusable afterwards. */
void sim_errlist_fini(sim_errlist *l);
/* Append a copy of e; beyond SIM_ERRLIST_MAX entries only l->more grows. */
void sim_errlist_add(sim_errlist *l, const sim_error *e);
/* Print every entry (sim_error_print), then a line for l->more and one
 * for l->hidden when they are not zero. */
void sim_errlist_print(FILE *out, const sim_errlist *l);
/* Map a SIM_E* code to the process exit code. */
int sim_exit_code(int code);
const char *sim_strerror(int code);

/* Programmer errors abort with file:line (never for user input). */
#define SIM_ASSERT(cond) \
	((cond) ? (void)0 : sim_panic(__FILE__, __LINE__, "assertion failed: %s", #cond))
_Noreturn void sim_panic(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
