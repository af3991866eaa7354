/*
 * clidoc — the man page and the shell completions, written from the same
 * table of commands and options that parses the command line and prints
 * the help (sim/cliopt.h), so none of them can say what the parser does
 * not do. The committed docs/ecsim.1 and the scripts in docs/completion/
 * are this output; a test fails when they differ (make docs rewrites
 * them).
 *
 * Invariant: output depends on the table and the version only (no date,
 * no host), so the committed files are reproducible byte for byte.
 */
#ifndef SIM_CLIDOC_H
#define SIM_CLIDOC_H

#include <stdio.h>

#include "sim/cliopt.h"

/* What the man page says beyond the commands. */
typedef struct clidoc_page {
	const char *name;        /* "ecsim" */
	const char *version;     /* "0.1.0" */
	const char *tagline;     /* for NAME: "a discrete-event simulator ..." */
	const char *description; /* paragraphs, as cliopt_cmd.text */
	const char *exit_status; /* paragraphs */
	const char *environment; /* paragraphs */
	const char *see_also;    /* paragraphs */
} clidoc_page;

/* The manual page in roff (man(7) macros) for cmds (NULL-name
 * terminated; hidden ones left out). */
void clidoc_man(FILE *f, const clidoc_page *pg, const cliopt_cmd *cmds);
/* A completion script for shell "bash" or "zsh". Returns 0, or -1 for
 * another shell (nothing written). */
int clidoc_completion(FILE *f, const char *shell, const cliopt_cmd *cmds);

#endif
