/*
 * clidoc — man page and completions from the command table (see
 * clidoc.h).
 */
#include "sim/clidoc.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* Every option of cmd, --help last; NULL past the end. */
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

/* ---- roff ---- */

/* One word of prose in roff: backslashes and hyphens escaped, `code` in
 * bold (*bold carries the state across words). */
static void
roff_word(FILE *f, const char *w, size_t n, bool *bold)
{
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (c == '`') {
			fputs(*bold ? "\\fR" : "\\fB", f);
			*bold = !*bold;
		} else if (c == '\\')
			fputs("\\e", f);
		else if (c == '-')
			fputs("\\-", f);
		else
			fputc(c, f);
	}
}

/* Paragraphs (as cliopt_cmd.text) in roff: filled text under .PP (the
 * first one without, right after a heading or tag when lead is false),
 * verbatim paragraphs between .nf and .fi. */
static void
roff_paras(FILE *f, const char *text, bool lead)
{
	const char *p = text;
	bool first = true;
	while (*p != '\0') {
		const char *end = strstr(p, "\n\n");
		size_t plen = end != NULL ? (size_t)(end - p) : strlen(p);
		if (!first || lead)
			fputs(".PP\n", f);
		bool bold = false;
		if (plen >= 2 && p[0] == ' ' && p[1] == ' ') {
			fputs(".nf\n.RS 4\n", f);
			for (const char *l = p; l < p + plen;) {
				size_t n = strcspn(l, "\n");
				if (n > (size_t)(p + plen - l))
					n = (size_t)(p + plen - l);
				const char *t = l + 2;
				size_t tn = n >= 2 ? n - 2 : 0;
				if (tn > 0 && (t[0] == '.' || t[0] == '\''))
					fputs("\\&", f);
				roff_word(f, t, tn, &bold);
				fputc('\n', f);
				l += n + 1;
			}
			fputs(".RE\n.fi\n", f);
		} else {
			int col = 0;
			for (const char *w = p; w < p + plen;) {
				if (*w == ' ' || *w == '\n') {
					w++;
					continue;
				}
				size_t n = strcspn(w, " \n");
				if (w + n > p + plen)
					n = (size_t)(p + plen - w);
				if (col > 0 && col + 1 + (int)n > 78) {
					fputc('\n', f);
					col = 0;
				} else if (col > 0) {
					fputc(' ', f);
					col++;
				}
				if (col == 0 && (w[0] == '.' || w[0] == '\''))
					fputs("\\&", f);
				roff_word(f, w, n, &bold);
				col += (int)n;
				w += n;
			}
			fputc('\n', f);
		}
		if (bold)
			fputs("\\fR\n", f);
		first = false;
		p += plen;
		while (*p == '\n')
			p++;
	}
}

/* An operand synopsis ("SCENARIO...", "[COMMAND]") with its names in
 * italics. */
static void
roff_operands(FILE *f, const char *s)
{
	while (*s != '\0') {
		if (isupper((unsigned char)*s)) {
			size_t n = 0;
			while (isupper((unsigned char)s[n]) || s[n] == '_')
				n++;
			fprintf(f, "\\fI%.*s\\fR", (int)n, s);
			s += n;
		} else
			fputc(*s++, f);
	}
}

static void
roff_synopsis(FILE *f, const cliopt_cmd *c)
{
	fprintf(f, "\\fBecsim %s\\fR", c->name);
	if (c->opts != NULL && c->opts[0].name != NULL)
		fputs(" [\\fIoptions\\fR]", f);
	if (c->operands[0] != '\0') {
		fputc(' ', f);
		roff_operands(f, c->operands);
	}
	fputc('\n', f);
}

static void
roff_option(FILE *f, const cliopt_opt *o)
{
	bool bold = false;
	fputs(".TP\n", f);
	if (o->letter != 0)
		fprintf(f, "\\fB\\-%c\\fR, ", o->letter);
	fputs("\\fB\\-\\-", f);
	roff_word(f, o->name, strlen(o->name), &bold);
	fputs("\\fR", f);
	if (o->arg != NULL) {
		fputs(strchr(o->arg, '=') ? " " : "=", f);
		fprintf(f, "\\fI%s\\fR", o->arg);
	}
	fputc('\n', f);
	roff_word(f, o->help, strlen(o->help), &bold);
	if (o->repeat)
		fputs(" (repeatable)", f);
	fputs(".\n", f);
}

void
clidoc_man(FILE *f, const clidoc_page *pg, const cliopt_cmd *cmds)
{
	fprintf(f, ".\\\" %s(1): written by `%s help --man` from the table of "
	    "commands\n.\\\" in sim/cli_cmds.c; do not edit (make docs).\n",
	    pg->name, pg->name);
	fputs(".TH ", f);
	for (const char *c = pg->name; *c != '\0'; c++)
		fputc(toupper((unsigned char)*c), f);
	fprintf(f, " 1 \"\" \"%s %s\" \"%s manual\"\n", pg->name,
	    pg->version, pg->name);
	fputs(".nh\n.ad l\n.SH NAME\n", f);
	fprintf(f, "%s \\- %s\n", pg->name, pg->tagline);
	fputs(".SH SYNOPSIS\n.nf\n", f);
	for (const cliopt_cmd *c = cmds; c->name != NULL; c++)
		if (!c->hidden)
			roff_synopsis(f, c);
	fprintf(f, "\\fB%s \\-V\\fR | \\fB\\-\\-version\\fR\n", pg->name);
	fprintf(f, "\\fB%s \\-h\\fR | \\fB\\-\\-help\\fR\n.fi\n", pg->name);
	fputs(".SH DESCRIPTION\n", f);
	roff_paras(f, pg->description, false);
	fputs(".SH COMMANDS\n", f);
	for (const cliopt_cmd *c = cmds; c->name != NULL; c++) {
		if (c->hidden)
			continue;
		char syn[256];
		cliopt_synopsis(c, syn, sizeof(syn));
		fprintf(f, ".SS \"%s\"\n", syn);
		roff_paras(f, c->text, false);
		const cliopt_opt *o;
		for (int i = 0; (o = opt_at(c, i)) != NULL; i++)
			roff_option(f, o);
		if (c->notes[0] != '\0')
			roff_paras(f, c->notes, true);
	}
	fputs(".SH \"EXIT STATUS\"\n", f);
	roff_paras(f, pg->exit_status, false);
	fputs(".SH ENVIRONMENT\n", f);
	roff_paras(f, pg->environment, false);
	fputs(".SH \"SEE ALSO\"\n", f);
	roff_paras(f, pg->see_also, false);
}

/* ---- completions ---- */

static void
bash_complete(FILE *f, const char *how, const char *indent,
    const cliopt_cmd *cmds)
{
	if (how == NULL) {
		fprintf(f, "%sCOMPREPLY=()\n", indent);
	} else if (strcmp(how, "dir") == 0) {
		fprintf(f, "%s_ecsim_dirs \"$cur\"\n", indent);
	} else if (strcmp(how, "file") == 0) {
		fprintf(f, "%s_ecsim_files \"$cur\"\n", indent);
	} else if (strcmp(how, "json") == 0) {
		fprintf(f, "%s_ecsim_json \"$cur\"\n", indent);
	} else if (strcmp(how, "commands") == 0) {
		fprintf(f, "%sCOMPREPLY=($(compgen -W '", indent);
		for (const cliopt_cmd *c = cmds; c->name != NULL; c++)
			if (!c->hidden)
				fprintf(f, "%s%s", c == cmds ? "" : " ", c->name);
		fputs("' -- \"$cur\"))\n", f);
	} else if (strncmp(how, "words:", 6) == 0) {
		fprintf(f, "%sCOMPREPLY=($(compgen -W '%s' -- \"$cur\"))\n", indent,
		    how + 6);
	}
}

static void
bash_script(FILE *f, const cliopt_cmd *cmds)
{
	fputs("# bash completion for ecsim(1): written by `ecsim completion "
	    "bash` from the\n# table of commands in sim/cli_cmds.c; do not "
	    "edit (make docs).\n\n", f);
	fputs("_ecsim_dirs()\n{\n\tlocal IFS=$'\\n'\n"
	    "\tcompopt -o filenames 2>/dev/null\n"
	    "\tCOMPREPLY=($(compgen -d -- \"$1\"))\n}\n\n", f);
	fputs("_ecsim_files()\n{\n\tlocal IFS=$'\\n'\n"
	    "\tcompopt -o filenames 2>/dev/null\n"
	    "\tCOMPREPLY=($(compgen -f -- \"$1\"))\n}\n\n", f);
	fputs("_ecsim_json()\n{\n\tlocal IFS=$'\\n'\n"
	    "\tcompopt -o filenames 2>/dev/null\n"
	    "\tCOMPREPLY=($(compgen -f -X '!*.json' -- \"$1\") "
	    "$(compgen -d -- \"$1\"))\n}\n\n", f);
	fputs("_ecsim()\n{\n"
	    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i\n"
	    "\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\t# --opt=value: bash splits the word at '='\n"
	    "\tif [ \"$cur\" = \"=\" ]; then\n\t\tcur=\n"
	    "\telif [ \"$prev\" = \"=\" ] && [ \"$COMP_CWORD\" -gt 1 ]; then\n"
	    "\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n\tfi\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tcase ${COMP_WORDS[i]} in\n\t\t-*) ;;\n"
	    "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n\t\tesac\n\tdone\n"
	    "\tif [ -z \"$cmd\" ]; then\n\t\tCOMPREPLY=($(compgen -W '", f);
	for (const cliopt_cmd *c = cmds; c->name != NULL; c++)
		if (!c->hidden)
			fprintf(f, "%s ", c->name);
	fputs("-h --help -V --version' -- \"$cur\"))\n\t\treturn\n\tfi\n"
	    "\tcase $cmd in\n", f);
	for (const cliopt_cmd *c = cmds; c->name != NULL; c++) {
		if (c->hidden)
			continue;
		fprintf(f, "\t%s)\n\t\tcase $prev in\n", c->name);
		const cliopt_opt *o;
		for (int i = 0; (o = opt_at(c, i)) != NULL; i++) {
			if (o->arg == NULL)
				continue;
			fputs("\t\t", f);
			if (o->letter)
				fprintf(f, "-%c|", o->letter);
			fprintf(f, "--%s)\n", o->name);
			bash_complete(f, o->complete, "\t\t\t", cmds);
			fputs("\t\t\treturn ;;\n", f);
		}
		fputs("\t\tesac\n\t\tcase $cur in\n\t\t-*)\n"
		    "\t\t\tCOMPREPLY=($(compgen -W '", f);
		for (int i = 0; (o = opt_at(c, i)) != NULL; i++) {
			if (o->letter)
				fprintf(f, "-%c ", o->letter);
			fprintf(f, "--%s%s%s", o->name, o->arg ? "=" : "",
			    opt_at(c, i + 1) ? " " : "");
		}
		fputs("' -- \"$cur\"))\n"
		    "\t\t\t[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && "
		    "compopt -o nospace 2>/dev/null\n"
		    "\t\t\treturn ;;\n\t\tesac\n", f);
		bash_complete(f, c->complete, "\t\t", cmds);
		fputs("\t\t;;\n", f);
	}
	fputs("\tesac\n}\n\ncomplete -F _ecsim ecsim\n", f);
}

/* s inside '...[s]...' of a zsh _arguments spec. */
static void
zsh_desc(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else if (*s == '[' || *s == ']' || *s == ':' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else
			fputc(*s, f);
	}
}

static void
zsh_action(FILE *f, const char *how, const cliopt_cmd *cmds)
{
	if (how == NULL)
		fputs(" ", f);
	else if (strcmp(how, "dir") == 0)
		fputs("_files -/", f);
	else if (strcmp(how, "file") == 0)
		fputs("_files", f);
	else if (strcmp(how, "json") == 0)
		fputs("_files -g \"*.json(-.)\"", f);
	else if (strcmp(how, "commands") == 0) {
		fputc('(', f);
		for (const cliopt_cmd *c = cmds; c->name != NULL; c++)
			if (!c->hidden)
				fprintf(f, "%s%s", c == cmds ? "" : " ", c->name);
		fputc(')', f);
	} else if (strncmp(how, "words:", 6) == 0)
		fprintf(f, "(%s)", how + 6);
}

static void
zsh_script(FILE *f, const cliopt_cmd *cmds)
{
	fputs("#compdef ecsim\n# zsh completion for ecsim(1): written by "
	    "`ecsim completion zsh` from the\n# table of commands in "
	    "sim/cli_cmds.c; do not edit (make docs).\n\n", f);
	fputs("_ecsim() {\n\tlocal curcontext=$curcontext state line ret=1\n"
	    "\tlocal -a cmds\n\tcmds=(\n", f);
	for (const cliopt_cmd *c = cmds; c->name != NULL; c++) {
		if (c->hidden)
			continue;
		fprintf(f, "\t\t'%s:", c->name);
		zsh_desc(f, c->summary);
		fputs("'\n", f);
	}
	fputs("\t)\n\t_arguments -C \\\n"
	    "\t\t'(- *)'{-h,--help}'[print the list of commands]' \\\n"
	    "\t\t'(- *)'{-V,--version}'[print the version]' \\\n"
	    "\t\t'1:command:->cmd' \\\n\t\t'*::arg:->args' && ret=0\n"
	    "\tcase $state in\n"
	    "\tcmd)\n\t\t_describe -t commands 'ecsim command' cmds && ret=0 ;;\n"
	    "\targs)\n\t\tcase $words[1] in\n", f);
	for (const cliopt_cmd *c = cmds; c->name != NULL; c++) {
		if (c->hidden)
			continue;
		fprintf(f, "\t\t%s)\n\t\t\t_arguments -s -S \\\n", c->name);
		const cliopt_opt *o;
		for (int i = 0; (o = opt_at(c, i)) != NULL; i++) {
			fputs("\t\t\t\t", f);
			bool solo = o->id == 'h';
			if (solo)
				fputs("'(- *)'", f);
			else if (o->repeat)
				fputs("'*'", f);
			else if (o->letter)
				fprintf(f, "'(-%c --%s)'", o->letter, o->name);
			const char *val = o->arg ? "=" : "";
			if (o->letter)
				fprintf(f, "{-%c%s,--%s%s}'[", o->letter, o->arg ? "+" : "",
				    o->name, val);
			else
				fprintf(f, "'--%s%s[", o->name, val);
			zsh_desc(f, o->help);
			fputc(']', f);
			if (o->arg != NULL) {
				fputc(':', f);
				zsh_desc(f, o->arg);
				fputc(':', f);
				zsh_action(f, o->complete, cmds);
			}
			fputs("' \\\n", f);
		}
		if (c->operands[0] != '\0') {
			bool many = strstr(c->operands, "...") != NULL;
			char name[64];
			size_t n = strcspn(c->operands + (c->operands[0] == '['),
			    "].");
			if (n >= sizeof(name))
				n = sizeof(name) - 1;
			memcpy(name, c->operands + (c->operands[0] == '['), n);
			name[n] = '\0';
			fprintf(f, "\t\t\t\t'%s:%s:", many ? "*" : "1", name);
			zsh_action(f, c->complete, cmds);
			fputs("' \\\n", f);
		}
		fputs("\t\t\t\t&& ret=0 ;;\n", f);
	}
	fputs("\t\tesac ;;\n\tesac\n\treturn ret\n}\n\n_ecsim \"$@\"\n", f);
}

int
clidoc_completion(FILE *f, const char *shell, const cliopt_cmd *cmds)
{
	if (strcmp(shell, "bash") == 0)
		bash_script(f, cmds);
	else if (strcmp(shell, "zsh") == 0)
		zsh_script(f, cmds);
	else
		return -1;
	return 0;
}
