/*
 * cliopt — command-line options from one table: the commands' options
 * are declared once (cliopt_cmd, cliopt_opt) and that table drives the
 * parser (glibc getopt_long: --opt=value, --opt value, -o value, -qo
 * value, "--" ends options, options and operands in any order), the
 * `ecsim help CMD` / `CMD --help` text, and the man page and shell
 * completions (sim/clidoc). Knows no command: the CLI (cli.h) owns the
 * table.
 *
 * Invariant: every -h/--help prints the command's help to stdout and
 * exits 0; every usage error is one line on stderr naming the option and
 * pointing at `ecsim help CMD`, and exits 2.
 */
#ifndef SIM_CLIOPT_H
#define SIM_CLIOPT_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* One option. -h/--help is implied for every command. */
typedef struct cliopt_opt {
	int id;             /* what cliopt_next returns: the letter, or >= 256 */
	const char *name;   /* long name without "--" */
	char letter;        /* short option, or 0 */
	const char *arg;    /* the value's name ("DIR"); NULL: a flag */
	const char *help;   /* one line, lower case, no final stop */
	const char *complete; /* the value in shells: "dir", "file", "json"
	                       * (*.json files), "words:a b c", NULL: none */
	bool repeat;        /* may be given more than once */
} cliopt_opt;

struct cliopt_cmd;
typedef int (*cliopt_fn)(const struct cliopt_cmd *cmd, int argc,
    char **argv);

/* One command. */
typedef struct cliopt_cmd {
	const char *name;
	const char *operands; /* synopsis of the operands ("SCENARIO..."), "" */
	const char *complete; /* the operands in shells, as cliopt_opt */
	const char *summary;  /* one line for the list of commands */
	const char *text;     /* what it does: paragraphs separated by blank
	                       * lines; a paragraph whose lines start with two
	                       * spaces is kept as it is (examples) */
	const cliopt_opt *opts; /* ends with an entry whose name is NULL */
	const char *notes;    /* printed after the options (same form), or "" */
	cliopt_fn fn;         /* argv[0] is the command's name */
	bool hidden;          /* left out of help, man page and completions */
} cliopt_cmd;

#define CLIOPT_MAX 32

/* What cliopt_next returns besides option ids. */
enum {
	CLIOPT_END = -1,     /* no more arguments */
	CLIOPT_OPERAND = -2, /* *arg is an operand */
	CLIOPT_EXIT = -3,    /* help printed or usage error reported: return
	                      * cliopt_code() */
};

/* Parser state (on the caller's stack). */
typedef struct cliopt_parser {
	const cliopt_cmd *cmd;
	int argc;
	char **argv;
	bool rest;    /* after "--": the rest are operands */
	int code;     /* exit code when CLIOPT_EXIT */
	struct option lopts[CLIOPT_MAX + 2];
	char shorts[3 * CLIOPT_MAX + 8];
} cliopt_parser;

/* Start parsing argv[1..argc-1] (argv[0] is the command's name) with
 * cmd's table. Resets getopt's global state. */
void cliopt_begin(cliopt_parser *p, const cliopt_cmd *cmd, int argc,
    char **argv);
/* The next option's id with *arg its value (NULL for a flag), or
 * CLIOPT_OPERAND with *arg the operand, or CLIOPT_END, or CLIOPT_EXIT
 * after printing the help (code 0) or a usage error (code 2). */
int cliopt_next(cliopt_parser *p, const char **arg);
/* The exit code after CLIOPT_EXIT. */
int cliopt_code(const cliopt_parser *p);

/* Report a usage error of cmd: "ecsim CMD: message (see: ecsim help
 * CMD)" on stderr. Returns 2 (the usage exit code). */
int cliopt_fail(const cliopt_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "ecsim run [options] SCENARIO" into buf. */
void cliopt_synopsis(const cliopt_cmd *cmd, char *buf, size_t size);
/* "-o, --output=DIR" (or "    --seed=N") into buf. */
void cliopt_opt_label(const cliopt_opt *o, char *buf, size_t size);
/* The help of cmd (usage, text, options) to f, wrapped to 80 columns. */
void cliopt_help(FILE *f, const cliopt_cmd *cmd);
/* The implied -h/--help entry. */
extern const cliopt_opt cliopt_help_opt;

/* Print text to f wrapped at width, each line starting with indent
 * spaces (the first line too, unless first_col > 0: then the cursor is
 * already at first_col). Paragraphs (blank lines) are kept; lines that
 * start with two spaces are printed as they are. */
void cliopt_wrap(FILE *f, const char *text, int indent, int first_col,
    int width);

#endif
