/*
 * cql — cluster query language: lexer, recursive-descent parser, and an
 * evaluator over cql_target (see cql.h for the language and semantics).
 *
 * Invariant: a parsed tree is valid by construction — every comparison's
 * operator is allowed for its subject, its argument count matches the
 * operator, runningTasksCount arguments are whole numbers and every =~
 * pattern is compiled. cql_eval therefore never fails.
 *
 * Patterns compile to a list of atoms (a 256-bit byte class plus a
 * quantifier: one, zero-or-more, zero-or-one; "x+" becomes "x" "x*"),
 * matched by simulating the NFA over the set of atom positions: O(atoms ×
 * length) with no backtracking, so no pattern can blow up.
 */
#include "model/ecs/cql.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/recorder.h"
#include "sim/xalloc.h"

enum node_kind { N_AND, N_OR, N_NOT, N_CMP };

enum subject { S_ATTRIBUTE, S_INSTANCE_ID, S_RUNNING_TASKS, S_AGENT };

enum op {
	OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE,
	OP_EXISTS, OP_NEXISTS, OP_IN, OP_NIN, OP_MATCH, OP_NMATCH,
	OP_COUNT
};

static const char *const op_sym[OP_COUNT] = {
	"==", "!=", ">", ">=", "<", "<=",
	"exists", "!exists", "in", "!in", "=~", "!~",
};

/* The named forms of the operators [DOC] (2017 query-language page). */
static const struct {
	const char *name;
	enum op op;
} op_names[] = {
	{"equals", OP_EQ}, {"not_equals", OP_NE},
	{"greater_than", OP_GT}, {"greater_than_equal", OP_GE},
	{"less_than", OP_LT}, {"less_than_equal", OP_LE},
	{"exists", OP_EXISTS}, {"not_exists", OP_NEXISTS},
	{"in", OP_IN}, {"not_in", OP_NIN},
	{"matches", OP_MATCH}, {"not_matches", OP_NMATCH},
};

#define OPBIT(o) (1u << (o))
#define OPS_EQ_IN_MATCH (OPBIT(OP_EQ) | OPBIT(OP_NE) | OPBIT(OP_IN) | \
	OPBIT(OP_NIN) | OPBIT(OP_MATCH) | OPBIT(OP_NMATCH))
#define OPS_ORDER_IN (OPBIT(OP_EQ) | OPBIT(OP_NE) | OPBIT(OP_GT) | \
	OPBIT(OP_GE) | OPBIT(OP_LT) | OPBIT(OP_LE) | OPBIT(OP_IN) | \
	OPBIT(OP_NIN))

/* [DOC] valid operators per subject (cluster-query-language.html). */
static const struct {
	const char *name;
	unsigned ops;
	const char *allowed; /* for messages */
} subjects[] = {
	[S_ATTRIBUTE] = {"attribute:", (1u << OP_COUNT) - 1, NULL},
	[S_INSTANCE_ID] = {"ec2InstanceId", OPS_EQ_IN_MATCH,
	    "==, !=, in, !in, =~, !~"},
	[S_RUNNING_TASKS] = {"runningTasksCount", OPS_ORDER_IN,
	    "==, !=, >, >=, <, <=, in, !in"},
	[S_AGENT] = {"agentConnected", OPS_EQ_IN_MATCH,
	    "==, !=, in, !in, =~, !~"},
};

#define SUBJECTS_HELP \
	"attribute:<name>, ec2InstanceId, runningTasksCount or agentConnected"
#define PATTERN_HELP \
	"ecsim supports literal characters, '.', [...] classes, escapes, " \
	"* + ? and ^ $ at the ends"

enum quant { Q_ONE, Q_STAR, Q_QUEST };

typedef struct re_atom {
	uint8_t set[32]; /* bit c: byte c matches */
	uint8_t quant;
} re_atom;

/* "x+" doubles an atom, so a pattern of n bytes has at most 2n atoms. */
#define RE_MAX_ATOMS (2 * CQL_MAX_LEN)

struct cql_expr {
	enum node_kind kind;
	const cql_expr *l, *r;  /* N_AND, N_OR: both; N_NOT: l */
	enum subject subject;   /* N_CMP from here on */
	const char *attr;       /* S_ATTRIBUTE: the name */
	int attr_id;            /* its built-in id, or -1 (cql_builtin_attr) */
	enum op op;
	const char **vals;      /* the argument(s) */
	const double *nums;     /* numeric value of vals[i] when isnum[i] */
	const bool *isnum;
	int nvals;
	const re_atom *re;      /* OP_MATCH, OP_NMATCH */
	int nre;
	const char *text;       /* the root keeps the source text */
};

/* ---- lexer ---- */

enum tok_kind {
	T_END, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA,
	T_ANDAND, T_OROR, T_BANG, T_OP, T_WORD, T_STRING
};

typedef struct tok {
	enum tok_kind kind;
	enum op op;         /* T_OP */
	size_t start, end;  /* byte offsets in the text: [start, end) */
	const char *text;   /* T_WORD, T_STRING: the value (no quotes) */
} tok;

typedef struct parser {
	arena *a;
	const char *src;
	size_t len;
	tok *toks;
	size_t ntok, cap, pos;
	sim_error *err;
} parser;

/* Fill err with "cql: <fmt> at character <off+1>"; returns SIM_EINPUT. */
static int perr(parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(parser *p, size_t off, const char *fmt, ...)
{
	char msg[sizeof(p->err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sim_error_set(p->err, SIM_EINPUT, NULL, 0, 0, NULL,
	    "cql: %s at character %zu", msg, off + 1);
}

static bool
is_word_byte(char c)
{
	return c != '\0' && !isspace((unsigned char)c) &&
	    strchr("()[],'\"=!<>&|", c) == NULL;
}

static tok *
push_tok(parser *p, enum tok_kind kind, size_t start, size_t end)
{
	XGROW(p->toks, p->cap, p->ntok + 1);
	tok *t = &p->toks[p->ntok++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->start = start;
	t->end = end;
	return t;
}

/* A quoted value runs to the next quote of the same kind; there are no
 * escapes (so regex backslashes pass through untouched). */
static int
lex_string(parser *p, size_t *i)
{
	size_t start = *i;
	const char *close = strchr(p->src + start + 1, p->src[start]);
	if (close == NULL)
		return perr(p, start, "unterminated string starting");
	size_t end = (size_t)(close - p->src) + 1;
	tok *t = push_tok(p, T_STRING, start, end);
	t->text = arena_strndup(p->a, p->src + start + 1, end - start - 2);
	*i = end;
	return 0;
}

static int
lex(parser *p)
{
	size_t i = 0;
	while (i < p->len) {
		const char *s = p->src + i;
		char c = *s;
		if (isspace((unsigned char)c)) {
			i++;
			continue;
		}
		enum tok_kind k1 = T_END;
		switch (c) {
		case '(': k1 = T_LPAREN; break;
		case ')': k1 = T_RPAREN; break;
		case '[': k1 = T_LBRACK; break;
		case ']': k1 = T_RBRACK; break;
		case ',': k1 = T_COMMA; break;
		default: break;
		}
		if (k1 != T_END) {
			push_tok(p, k1, i, i + 1);
			i++;
			continue;
		}
		if (c == '\'' || c == '"') {
			int rc = lex_string(p, &i);
			if (rc)
				return rc;
			continue;
		}
		char d = i + 1 < p->len ? s[1] : '\0';
		if (c == '&' || c == '|') {
			if (d != c)
				return perr(p, i, "expected '%c%c'", c, c);
			push_tok(p, c == '&' ? T_ANDAND : T_OROR, i, i + 2);
			i += 2;
			continue;
		}
		enum op op = OP_COUNT;
		size_t w = 2;
		if (c == '=' && d == '=')
			op = OP_EQ;
		else if (c == '=' && d == '~')
			op = OP_MATCH;
		else if (c == '!' && d == '=')
			op = OP_NE;
		else if (c == '!' && d == '~')
			op = OP_NMATCH;
		else if (c == '>' && d == '=')
			op = OP_GE;
		else if (c == '<' && d == '=')
			op = OP_LE;
		else if (c == '>')
			op = OP_GT, w = 1;
		else if (c == '<')
			op = OP_LT, w = 1;
		else if (c == '=')
			return perr(p, i, "expected '==' or '=~'");
		if (op != OP_COUNT) {
			push_tok(p, T_OP, i, i + w)->op = op;
			i += w;
			continue;
		}
		if (c == '!') {
			push_tok(p, T_BANG, i, i + 1);
			i++;
			continue;
		}
		size_t j = i;
		while (j < p->len && is_word_byte(p->src[j]))
			j++;
		push_tok(p, T_WORD, i, j)->text = arena_strndup(p->a, s, j - i);
		i = j;
	}
	push_tok(p, T_END, p->len, p->len);
	return 0;
}

/* ---- patterns ---- */

static void
set_add(uint8_t *set, unsigned c)
{
	set[c >> 3] = (uint8_t)(set[c >> 3] | (1u << (c & 7)));
}

static bool
set_has(const uint8_t *set, unsigned c)
{
	return (set[c >> 3] >> (c & 7)) & 1u;
}

static void
set_invert(uint8_t *set)
{
	for (int i = 0; i < 32; i++)
		set[i] = (uint8_t)~set[i];
}

/* \d \w \s (and upper-case negations) into set; false if e is not one. */
static bool
class_escape(char e, uint8_t *set)
{
	uint8_t tmp[32] = {0};
	char lower = (char)tolower((unsigned char)e);
	if (lower == 'd') {
		for (unsigned c = '0'; c <= '9'; c++)
			set_add(tmp, c);
	} else if (lower == 'w') {
		for (unsigned c = 0; c < 256; c++)
			if (isalnum((int)c) && c < 128)
				set_add(tmp, c);
		set_add(tmp, '_');
	} else if (lower == 's') {
		const char *ws = " \t\n\v\f\r";
		for (; *ws; ws++)
			set_add(tmp, (unsigned char)*ws);
	} else
		return false;
	if (e != lower)
		set_invert(tmp);
	for (int i = 0; i < 32; i++)
		set[i] |= tmp[i];
	return true;
}

/* A literal escaped character: \t \n \r \f, or any non-alphanumeric
 * byte. Returns -1 for an escape ecsim does not know. */
static int
literal_escape(char e)
{
	switch (e) {
	case 't': return '\t';
	case 'n': return '\n';
	case 'r': return '\r';
	case 'f': return '\f';
	default: break;
	}
	if (isalnum((unsigned char)e))
		return -1;
	return (unsigned char)e;
}

/* Position in the expression of byte i of value token t. */
static size_t
value_off(const tok *t, size_t i)
{
	return t->kind == T_WORD ? t->start + i : t->start + 1 + i;
}

static int
pattern_compile(parser *p, const tok *t, const re_atom **out, int *nout)
{
	const char *pat = t->text;
	size_t n = strlen(pat), i = 0;
	re_atom *atoms = ARENA_ARRAY(p->a, re_atom, 2 * n + 1);
	int na = 0;
	if (n > 0 && pat[0] == '^')
		i = 1;
	while (i < n) {
		char c = pat[i];
		size_t at = i;
		if (c == '$' && i == n - 1)
			break;
		if (strchr("()|{}^$", c) != NULL)
			return perr(p, value_off(t, i),
			    "'%c' is not supported in a pattern (" PATTERN_HELP ")",
			    c);
		if (strchr("*+?", c) != NULL)
			return perr(p, value_off(t, i),
			    "'%c' has nothing to repeat in the pattern", c);
		re_atom *a = &atoms[na++];
		memset(a, 0, sizeof(*a));
		if (c == '.') {
			/* Java's '.' matches anything but a line end */
			set_add(a->set, '\n');
			set_add(a->set, '\r');
			set_invert(a->set);
			i++;
		} else if (c == '\\') {
			if (i + 1 >= n)
				return perr(p, value_off(t, i),
				    "'\\' at the end of the pattern");
			char e = pat[i + 1];
			if (!class_escape(e, a->set)) {
				int lit = literal_escape(e);
				if (lit < 0)
					return perr(p, value_off(t, i),
					    "escape '\\%c' is not supported in a pattern",
					    e);
				set_add(a->set, (unsigned)lit);
			}
			i += 2;
		} else if (c == '[') {
			bool negate = false;
			i++;
			if (i < n && pat[i] == '^') {
				negate = true;
				i++;
			}
			bool any = false;
			while (i < n && pat[i] != ']') {
				unsigned lo;
				char d = pat[i];
				if (d == '[')
					return perr(p, value_off(t, i),
					    "'[' inside a class is not supported in a pattern");
				if (d == '\\') {
					if (i + 1 >= n)
						break;
					char e = pat[i + 1];
					i += 2;
					if (class_escape(e, a->set)) {
						any = true;
						continue;
					}
					int lit = literal_escape(e);
					if (lit < 0)
						return perr(p, value_off(t, i - 2),
						    "escape '\\%c' is not supported in a pattern",
						    e);
					lo = (unsigned)lit;
				} else {
					lo = (unsigned char)d;
					i++;
				}
				unsigned hi = lo;
				if (i + 1 < n && pat[i] == '-' && pat[i + 1] != ']') {
					char e = pat[i + 1];
					if (e == '\\' || e == '[')
						return perr(p, value_off(t, i + 1),
						    "'%c' after '-' in a class is not supported in a pattern",
						    e);
					hi = (unsigned char)e;
					if (hi < lo)
						return perr(p, value_off(t, i - 1),
						    "range '%c-%c' is out of order in the pattern",
						    (char)lo, (char)hi);
					i += 2;
				}
				for (unsigned x = lo; x <= hi; x++)
					set_add(a->set, x);
				any = true;
			}
			if (i >= n)
				return perr(p, value_off(t, at),
				    "unterminated '[' in the pattern");
			if (!any)
				return perr(p, value_off(t, at),
				    "empty class '[]' in the pattern");
			if (negate)
				set_invert(a->set);
			i++; /* ']' */
		} else {
			set_add(a->set, (unsigned char)c);
			i++;
		}
		a->quant = Q_ONE;
		if (i < n && strchr("*+?", pat[i]) != NULL) {
			char qc = pat[i];
			if (qc == '*')
				a->quant = Q_STAR;
			else if (qc == '?')
				a->quant = Q_QUEST;
			else {
				atoms[na] = *a;
				atoms[na++].quant = Q_STAR;
			}
			i++;
			if (i < n && strchr("*+?", pat[i]) != NULL)
				return perr(p, value_off(t, i),
				    "'%c' after a quantifier (lazy or possessive) is not supported in a pattern",
				    pat[i]);
		}
	}
	SIM_ASSERT(na <= RE_MAX_ATOMS);
	*out = atoms;
	*nout = na;
	return 0;
}

/* Forward epsilon moves: an optional atom may be skipped. */
static void
re_close(const re_atom *a, int n, uint8_t *set)
{
	for (int k = 0; k < n; k++)
		if (set[k] && a[k].quant != Q_ONE)
			set[k + 1] = 1;
}

/* Whole-string match of s against the atoms (NFA simulation). */
static bool
re_match(const re_atom *a, int n, const char *s)
{
	uint8_t cur[RE_MAX_ATOMS + 1], nxt[RE_MAX_ATOMS + 1];
	size_t sz = (size_t)n + 1;
	memset(cur, 0, sz);
	cur[0] = 1;
	re_close(a, n, cur);
	for (; *s != '\0'; s++) {
		unsigned c = (unsigned char)*s;
		bool alive = false;
		memset(nxt, 0, sz);
		for (int k = 0; k < n; k++) {
			if (!cur[k] || !set_has(a[k].set, c))
				continue;
			if (a[k].quant == Q_STAR)
				nxt[k] = 1;
			else
				nxt[k + 1] = 1;
			alive = true;
		}
		if (!alive)
			return false;
		re_close(a, n, nxt);
		memcpy(cur, nxt, sz);
	}
	return cur[n] != 0;
}

/* ---- parser ---- */

static const tok *
peek(const parser *p)
{
	return &p->toks[p->pos];
}

static bool
is_kw(const tok *t, const char *kw)
{
	return t->kind == T_WORD && strcmp(t->text, kw) == 0;
}

static cql_expr *
new_node(parser *p, enum node_kind kind)
{
	cql_expr *e = ARENA_NEW(p->a, cql_expr);
	e->kind = kind;
	return e;
}

/* A decimal number, read fully: [+-]digits[.digits][e[+-]digits]. */
static bool
as_number(const char *s, double *out)
{
	const char *q = s;
	if (*q == '+' || *q == '-')
		q++;
	bool digits = false;
	while (isdigit((unsigned char)*q))
		q++, digits = true;
	if (*q == '.') {
		q++;
		while (isdigit((unsigned char)*q))
			q++, digits = true;
	}
	if (!digits)
		return false;
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (!isdigit((unsigned char)*q))
			return false;
		while (isdigit((unsigned char)*q))
			q++;
	}
	if (*q != '\0')
		return false;
	double d = strtod(s, NULL);
	if (!isfinite(d))
		return false;
	*out = d;
	return true;
}

static bool
is_whole(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 9)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int parse_or(parser *p, const cql_expr **out);

static int
check_value(parser *p, const cql_expr *e, const tok *t)
{
	if (e->subject == S_RUNNING_TASKS && !is_whole(t->text))
		return perr(p, t->start,
		    "runningTasksCount compares with a whole number, got '%s'",
		    t->text);
	if (e->subject == S_AGENT && e->op != OP_MATCH && e->op != OP_NMATCH &&
	    strcmp(t->text, "true") != 0 && strcmp(t->text, "false") != 0)
		return perr(p, t->start,
		    "agentConnected compares with true or false, got '%s'",
		    t->text);
	return 0;
}

static bool
is_value(const tok *t)
{
	return t->kind == T_WORD || t->kind == T_STRING;
}

static int
parse_args(parser *p, cql_expr *e, const tok *optok)
{
	const tok *vt[CQL_MAX_LEN];
	int n = 0;
	if (e->op == OP_EXISTS || e->op == OP_NEXISTS)
		return 0;
	if (e->op == OP_IN || e->op == OP_NIN) {
		if (peek(p)->kind != T_LBRACK)
			return perr(p, peek(p)->start, "expected '[' after '%s'",
			    op_sym[e->op]);
		p->pos++;
		for (;;) {
			const tok *t = peek(p);
			if (!is_value(t))
				return perr(p, t->start,
				    "expected a value in the list");
			vt[n++] = t;
			p->pos++;
			t = peek(p);
			if (t->kind == T_RBRACK) {
				p->pos++;
				break;
			}
			if (t->kind != T_COMMA)
				return perr(p, t->start,
				    "expected ',' or ']' in the list");
			p->pos++;
		}
	} else {
		const tok *t = peek(p);
		if (!is_value(t))
			return perr(p, t->start, "expected a value after '%.*s'",
			    (int)(optok->end - optok->start), p->src + optok->start);
		vt[n++] = t;
		p->pos++;
	}
	const char **vals = ARENA_ARRAY(p->a, const char *, (size_t)n);
	double *nums = ARENA_ARRAY(p->a, double, (size_t)n);
	bool *isnum = ARENA_ARRAY(p->a, bool, (size_t)n);
	for (int i = 0; i < n; i++) {
		int rc = check_value(p, e, vt[i]);
		if (rc)
			return rc;
		vals[i] = vt[i]->text;
		isnum[i] = as_number(vals[i], &nums[i]);
	}
	e->vals = vals;
	e->nums = nums;
	e->isnum = isnum;
	e->nvals = n;
	if (e->op == OP_MATCH || e->op == OP_NMATCH)
		return pattern_compile(p, vt[0], &e->re, &e->nre);
	return 0;
}

/* The operator after a subject: consumes it and sets *op. */
static bool
parse_op(parser *p, enum op *op)
{
	const tok *t = peek(p);
	if (t->kind == T_OP) {
		*op = t->op;
		p->pos++;
		return true;
	}
	if (t->kind == T_BANG) {
		const tok *w = t + 1;
		if (w->start == t->end && (is_kw(w, "exists") || is_kw(w, "in"))) {
			*op = is_kw(w, "in") ? OP_NIN : OP_NEXISTS;
			p->pos += 2;
			return true;
		}
		return false;
	}
	if (t->kind == T_WORD)
		for (size_t i = 0; i < sizeof(op_names) / sizeof(op_names[0]); i++)
			if (strcmp(t->text, op_names[i].name) == 0) {
				*op = op_names[i].op;
				p->pos++;
				return true;
			}
	return false;
}

static int
parse_compare(parser *p, const cql_expr **out)
{
	const tok *st = peek(p);
	if (st->kind != T_WORD)
		return perr(p, st->start, "expected a subject (" SUBJECTS_HELP ")");
	cql_expr *e = new_node(p, N_CMP);
	const char *s = st->text;
	if (strncmp(s, "attribute:", 10) == 0) {
		if (s[10] == '\0')
			return perr(p, st->end,
			    "expected an attribute name after 'attribute:'");
		e->subject = S_ATTRIBUTE;
		e->attr = s + 10;
		e->attr_id = cql_builtin_attr(e->attr);
	} else if (strcmp(s, "ec2InstanceId") == 0)
		e->subject = S_INSTANCE_ID;
	else if (strcmp(s, "runningTasksCount") == 0)
		e->subject = S_RUNNING_TASKS;
	else if (strcmp(s, "agentConnected") == 0)
		e->subject = S_AGENT;
	else if (strcmp(s, "agentVersion") == 0 ||
	    strcmp(s, "registeredAt") == 0 || strcmp(s, "task:group") == 0)
		return perr(p, st->start, "subject '%s' is not supported by ecsim",
		    s);
	else
		return perr(p, st->start, "unknown subject '%s' (expected "
		    SUBJECTS_HELP ")", s);
	p->pos++;
	const tok *optok = peek(p);
	if (!parse_op(p, &e->op))
		return perr(p, optok->start, "expected an operator after '%s'", s);
	if (!(subjects[e->subject].ops & OPBIT(e->op)))
		return perr(p, optok->start,
		    "operator '%s' cannot be used with %s (allowed: %s)",
		    op_sym[e->op], s, subjects[e->subject].allowed);
	int rc = parse_args(p, e, optok);
	if (rc)
		return rc;
	*out = e;
	return 0;
}

static int
parse_unary(parser *p, const cql_expr **out)
{
	const tok *t = peek(p);
	if (t->kind == T_BANG || is_kw(t, "not")) {
		p->pos++;
		cql_expr *e = new_node(p, N_NOT);
		int rc = parse_unary(p, &e->l);
		if (rc)
			return rc;
		*out = e;
		return 0;
	}
	if (t->kind == T_LPAREN) {
		size_t open = t->start;
		p->pos++;
		int rc = parse_or(p, out);
		if (rc)
			return rc;
		if (peek(p)->kind != T_RPAREN)
			return perr(p, peek(p)->start,
			    "unclosed '(' from character %zu: expected ')'",
			    open + 1);
		p->pos++;
		return 0;
	}
	return parse_compare(p, out);
}

static int
parse_and(parser *p, const cql_expr **out)
{
	int rc = parse_unary(p, out);
	while (rc == 0 && (peek(p)->kind == T_ANDAND || is_kw(peek(p), "and"))) {
		p->pos++;
		cql_expr *e = new_node(p, N_AND);
		e->l = *out;
		rc = parse_unary(p, &e->r);
		*out = e;
	}
	return rc;
}

static int
parse_or(parser *p, const cql_expr **out)
{
	int rc = parse_and(p, out);
	while (rc == 0 && (peek(p)->kind == T_OROR || is_kw(peek(p), "or"))) {
		p->pos++;
		cql_expr *e = new_node(p, N_OR);
		e->l = *out;
		rc = parse_and(p, &e->r);
		*out = e;
	}
	return rc;
}

int
cql_parse(arena *a, const char *text, const cql_expr **out, sim_error *err)
{
	parser p = {.a = a, .src = text, .len = strlen(text), .err = err};
	size_t i = 0;
	while (i < p.len && isspace((unsigned char)text[i]))
		i++;
	if (i == p.len)
		return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, NULL,
		    "cql: empty expression");
	if (p.len > CQL_MAX_LEN)
		return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, NULL,
		    "cql: the expression is %zu characters long; at most %d are allowed",
		    p.len, CQL_MAX_LEN);
	const cql_expr *e = NULL;
	int rc = lex(&p);
	if (rc == 0)
		rc = parse_or(&p, &e);
	if (rc == 0 && peek(&p)->kind != T_END)
		rc = perr(&p, peek(&p)->start,
		    "expected '&&', '||' or the end of the expression");
	free(p.toks);
	if (rc)
		return rc;
	/* The root keeps the text; wrap a shared node if needed. */
	cql_expr *root = ARENA_NEW(a, cql_expr);
	*root = *e;
	root->text = arena_strdup(a, text);
	*out = root;
	return 0;
}

/* ---- evaluation ---- */

static const char *const builtin_names[CQL_NBUILTIN] = {
	[CQL_ATTR_AZ] = "ecs.availability-zone",
	[CQL_ATTR_INSTANCE_TYPE] = "ecs.instance-type",
	[CQL_ATTR_OS_TYPE] = "ecs.os-type",
	[CQL_ATTR_CPU_ARCH] = "ecs.cpu-architecture",
};

int
cql_builtin_attr(const char *name)
{
	for (int i = 0; i < CQL_NBUILTIN; i++)
		if (strcmp(name, builtin_names[i]) == 0)
			return i;
	return -1;
}

const char *
cql_builtin_value(const cql_target *t, int id)
{
	switch (id) {
	case CQL_ATTR_AZ: return t->az;
	case CQL_ATTR_INSTANCE_TYPE: return t->instance_type;
	case CQL_ATTR_OS_TYPE: return t->os_type;
	case CQL_ATTR_CPU_ARCH: return t->cpu_arch;
	default: sim_panic(__FILE__, __LINE__, "cql: built-in attribute %d", id);
	}
}

bool
cql_attr_get(const cql_target *t, const char *name, const char **value)
{
	return cql_attr_get_id(t, cql_builtin_attr(name), name, value);
}

bool
cql_attr_get_id(const cql_target *t, int id, const char *name,
    const char **value)
{
	if (id >= 0) {
		*value = cql_builtin_value(t, id);
		return *value != NULL;
	}
	for (int i = 0; i < t->nattrs; i++)
		if (strcmp(name, t->attrs[i].name) == 0) {
			*value = t->attrs[i].value;
			return true;
		}
	*value = NULL;
	return false;
}

static int
compare(const char *v, bool vnum, double vd, const cql_expr *e, int i)
{
	if (vnum && e->isnum[i])
		return (vd > e->nums[i]) - (vd < e->nums[i]);
	int c = strcmp(v, e->vals[i]);
	return (c > 0) - (c < 0);
}

static bool
eval_cmp(const cql_expr *e, const cql_target *t)
{
	char buf[32];
	const char *v = NULL;
	bool present;
	switch (e->subject) {
	case S_ATTRIBUTE:
		present = cql_attr_get_id(t, e->attr_id, e->attr, &v);
		if (e->op == OP_EXISTS)
			return present;
		if (e->op == OP_NEXISTS)
			return !present;
		break;
	case S_INSTANCE_ID:
		v = t->ec2_instance_id;
		break;
	case S_RUNNING_TASKS:
		snprintf(buf, sizeof(buf), "%d", t->running_tasks);
		v = buf;
		break;
	case S_AGENT:
		v = t->agent_connected ? "true" : "false";
		break;
	}
	bool negated = e->op == OP_NE || e->op == OP_NIN || e->op == OP_NMATCH;
	if (v == NULL) /* absent: positive operators false, negated true */
		return negated;
	double vd = 0;
	bool vnum = as_number(v, &vd);
	bool r = false;
	switch (e->op) {
	case OP_EQ:
	case OP_NE:
		r = compare(v, vnum, vd, e, 0) == 0;
		break;
	case OP_GT: return compare(v, vnum, vd, e, 0) > 0;
	case OP_GE: return compare(v, vnum, vd, e, 0) >= 0;
	case OP_LT: return compare(v, vnum, vd, e, 0) < 0;
	case OP_LE: return compare(v, vnum, vd, e, 0) <= 0;
	case OP_IN:
	case OP_NIN:
		for (int i = 0; i < e->nvals && !r; i++)
			r = compare(v, vnum, vd, e, i) == 0;
		break;
	case OP_MATCH:
	case OP_NMATCH:
		r = re_match(e->re, e->nre, v);
		break;
	default:
		sim_panic(__FILE__, __LINE__, "cql: operator %d after parse",
		    (int)e->op);
	}
	return negated ? !r : r;
}

bool
cql_eval(const cql_expr *e, const cql_target *t)
{
	switch (e->kind) {
	case N_AND:
		return cql_eval(e->l, t) && cql_eval(e->r, t);
	case N_OR:
		return cql_eval(e->l, t) || cql_eval(e->r, t);
	case N_NOT:
		return !cql_eval(e->l, t);
	case N_CMP:
		return eval_cmp(e, t);
	}
	return false;
}

const char *
cql_text(const cql_expr *e)
{
	return e->text;
}

void
cql_assume(recorder *r)
{
	rec_assume(r, "cql.compare", "numeric when both sides are numbers, else byte order",
	    "MODEL", "[INF] the query-language page does not say how == and > compare");
	rec_assume(r, "cql.matches", "whole value, Java regex subset",
	    "MODEL", "[INF] =~ takes a Java regular expression; ecsim requires the whole value to match and supports literals, '.', classes, escapes, * + ?");
	rec_assume(r, "cql.absent", "positive operators false, negated true",
	    "MODEL", "[INF] an instance without the attribute fails ==, in, =~ and passes !=, !in, !~");
}
