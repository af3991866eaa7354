/*
 * cliopt — table-driven options over getopt_long (see cliopt.h).
 *
 * The short-option string starts with "-:": operands come back in order
 * as code 1 (so options may follow operands whatever POSIXLY_CORRECT
 * says) and a missing value comes back as ':' instead of a message from
 * getopt; every message is ours.
 */
#include "sim/cliopt.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/error.h"

const cliopt_opt cliopt_help_opt = {
	'h', "help", 'h', NULL, "print this help and exit", NULL, false,
};

/* Every option of cmd, the implied --help last; NULL past the end. */
static const cliopt_opt *
opt_at(const cliopt_cmd *cmd, int i)
{
	int n = 0;
	while (cmd->opts != NULL && cmd->opts[n].name != NULL)
		n++;
	if (i < n)
		return &cmd->opts[i];
	return i == n ? &cliopt_help_opt : NULL;
}

void
cliopt_begin(cliopt_parser *p, const cliopt_cmd *cmd, int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	size_t ns = 0;
	p->shorts[ns++] = '-';
	p->shorts[ns++] = ':';
	const cliopt_opt *o;
	for (int i = 0; (o = opt_at(cmd, i)) != NULL; i++) {
		SIM_ASSERT(i < CLIOPT_MAX);
		p->lopts[i] = (struct option){o->name,
		    o->arg ? required_argument : no_argument, NULL, o->id};
		if (o->letter != 0) {
			SIM_ASSERT(o->letter == o->id);
			p->shorts[ns++] = o->letter;
			if (o->arg != NULL)
				p->shorts[ns++] = ':';
		}
	}
	p->shorts[ns] = '\0';
	optind = 0; /* glibc: start afresh */
	opterr = 0;
}

int
cliopt_code(const cliopt_parser *p)
{
	return p->code;
}

int
cliopt_fail(const cliopt_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ecsim %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see: ecsim help %s)\n", cmd->name);
	return SIM_EXIT_INPUT;
}

static const cliopt_opt *
opt_by_id(const cliopt_cmd *cmd, int id)
{
	const cliopt_opt *o;
	for (int i = 0; (o = opt_at(cmd, i)) != NULL; i++)
		if (o->id == id)
			return o;
	return NULL;
}

/* The message for an unknown or ambiguous long option word ("--x=1"). */
static int
bad_long(cliopt_parser *p, const char *word)
{
	const char *name = strncmp(word, "--", 2) == 0 ? word + 2 : word;
	size_t n = strcspn(name, "=");
	char names[200] = "";
	size_t len = 0;
	int matches = 0;
	const cliopt_opt *o;
	for (int i = 0; (o = opt_at(p->cmd, i)) != NULL; i++) {
		if (strncmp(o->name, name, n) != 0)
			continue;
		matches++;
		if (len + strlen(o->name) + 8 < sizeof(names))
			len += (size_t)snprintf(names + len, sizeof(names) - len,
			    "%s--%s", len ? ", " : "", o->name);
	}
	if (matches > 1)
		return cliopt_fail(p->cmd, "option '--%.*s' is ambiguous (%s)",
		    (int)n, name, names);
	return cliopt_fail(p->cmd, "unknown option '--%.*s'", (int)n, name);
}

int
cliopt_next(cliopt_parser *p, const char **arg)
{
	*arg = NULL;
	if (p->rest) {
		if (optind < p->argc) {
			*arg = p->argv[optind++];
			return CLIOPT_OPERAND;
		}
		return CLIOPT_END;
	}
	int c = getopt_long(p->argc, p->argv, p->shorts, p->lopts, NULL);
	const cliopt_opt *o;
	switch (c) {
	case -1:
		p->rest = true; /* "--", or the end */
		return cliopt_next(p, arg);
	case 1:
		*arg = optarg;
		return CLIOPT_OPERAND;
	case 'h':
		cliopt_help(stdout, p->cmd);
		p->code = SIM_EXIT_OK;
		return CLIOPT_EXIT;
	case ':':
		o = opt_by_id(p->cmd, optopt);
		SIM_ASSERT(o != NULL);
		p->code = cliopt_fail(p->cmd, "option '--%s' needs a value (%s)",
		    o->name, o->arg);
		return CLIOPT_EXIT;
	case '?': {
		const char *word = optind > 0 && optind <= p->argc ?
		    p->argv[optind - 1] : "";
		if (optopt == 0)
			p->code = bad_long(p, word);
		else if ((o = opt_by_id(p->cmd, optopt)) != NULL)
			p->code = cliopt_fail(p->cmd, "option '--%s' takes no value",
			    o->name);
		else if (optopt > 0 && optopt < 128)
			p->code = cliopt_fail(p->cmd, "unknown option '-%c'", optopt);
		else
			p->code = cliopt_fail(p->cmd, "unknown option '%s'", word);
		return CLIOPT_EXIT;
	}
	default:
		*arg = optarg;
		return c;
	}
}

/* ---- help ---- */

void
cliopt_synopsis(const cliopt_cmd *cmd, char *buf, size_t size)
{
	bool any = false;
	for (int i = 0; cmd->opts != NULL && cmd->opts[i].name != NULL; i++)
		any = true;
	snprintf(buf, size, "ecsim %s%s%s%s", cmd->name,
	    any ? " [options]" : "", cmd->operands[0] ? " " : "",
	    cmd->operands);
}

void
cliopt_opt_label(const cliopt_opt *o, char *buf, size_t size)
{
	/* --set PATH=VALUE rather than --set=PATH=VALUE */
	const char *sep = o->arg == NULL ? "" : strchr(o->arg, '=') ? " " : "=";
	snprintf(buf, size, "%c%c%s--%s%s%s", o->letter ? '-' : ' ',
	    o->letter ? o->letter : ' ', o->letter ? ", " : "  ", o->name, sep,
	    o->arg ? o->arg : "");
}

void
cliopt_wrap(FILE *f, const char *text, int indent, int first_col, int width)
{
	const char *p = text;
	bool first = true;
	while (*p != '\0') {
		const char *end = strstr(p, "\n\n");
		size_t plen = end != NULL ? (size_t)(end - p) : strlen(p);
		int col = first ? first_col : 0;
		if (!first)
			fputc('\n', f);
		if (plen >= 2 && p[0] == ' ' && p[1] == ' ') {
			/* verbatim lines (examples) */
			for (const char *l = p; l < p + plen;) {
				size_t n = strcspn(l, "\n");
				if (n > (size_t)(p + plen - l))
					n = (size_t)(p + plen - l);
				fprintf(f, "%*s%.*s\n", col > 0 ? 0 : indent, "", (int)n, l);
				col = 0;
				l += n + 1;
			}
		} else {
			bool words = false;
			if (col == 0) {
				fprintf(f, "%*s", indent, "");
				col = indent;
			}
			for (const char *w = p; w < p + plen;) {
				if (*w == ' ' || *w == '\n') {
					w++;
					continue;
				}
				size_t n = strcspn(w, " \n");
				if (words && col + 1 + (int)n > width) {
					fprintf(f, "\n%*s", indent, "");
					col = indent;
					words = false;
				}
				fprintf(f, "%s%.*s", words ? " " : "", (int)n, w);
				col += (words ? 1 : 0) + (int)n;
				words = true;
				w += n;
			}
			fputc('\n', f);
		}
		first = false;
		p += plen;
		while (*p == '\n')
			p++;
	}
}

#define HELP_COL 26

void
cliopt_help(FILE *f, const cliopt_cmd *cmd)
{
	char syn[256], label[128];
	cliopt_synopsis(cmd, syn, sizeof(syn));
	fprintf(f, "usage: %s\n\n", syn);
	cliopt_wrap(f, cmd->text, 0, 0, 79);
	fputs("\noptions:\n", f);
	const cliopt_opt *o;
	for (int i = 0; (o = opt_at(cmd, i)) != NULL; i++) {
		cliopt_opt_label(o, label, sizeof(label));
		int w = fprintf(f, "  %s", label);
		char help[400];
		snprintf(help, sizeof(help), "%s%s", o->help,
		    o->repeat ? " (repeatable)" : "");
		if (w + 2 > HELP_COL) {
			fputc('\n', f);
			w = 0;
		}
		fprintf(f, "%*s", HELP_COL - w, "");
		cliopt_wrap(f, help, HELP_COL, HELP_COL, 79);
	}
	if (cmd->notes[0] != '\0') {
		fputc('\n', f);
		cliopt_wrap(f, cmd->notes, 0, 0, 79);
	}
}
