/*
 * The JUnit report against the rules of tests/data/junit/junit.xsd,
 * written as code so the suite needs no XML library: a small
 * well-formedness parser (elements, double-quoted attributes, text,
 * the five entities and character references) and the schema's rules
 * (which elements nest where and in what order, which attributes are
 * allowed or required, their types: counts, decimals, the timestamp
 * pattern, positive line numbers), plus what the XSD cannot say: the
 * counts on <testsuite> and <testsuites> match the testcases. The
 * validator is shown to fail on documents that break each rule.
 * (tests/cli_test.sh also validates a real junit.xml with xmllint when
 * it is installed.)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/expect.h"
#include "reports/junit.h"
#include "reports/rout.h"
#include "sim/arena.h"
#include "sim/jread.h"
#include "sim/xalloc.h"
#include "tests/rep_fixture.h"
#include "tests/suites.h"

/* ---- a tiny DOM ---- */

#define MAX_ATTRS 16

typedef struct xnode {
	char *name;
	char *attr[MAX_ATTRS], *val[MAX_ATTRS];
	int nattr;
	struct xnode **kids;
	size_t nkids, cap;
	bool has_text; /* non-blank text directly inside */
} xnode;

static void
xfree(xnode *n)
{
	if (n == NULL)
		return;
	free(n->name);
	for (int i = 0; i < n->nattr; i++) {
		free(n->attr[i]);
		free(n->val[i]);
	}
	for (size_t i = 0; i < n->nkids; i++)
		xfree(n->kids[i]);
	free(n->kids);
	free(n);
}

typedef struct xparser {
	const char *p;
	char err[256];
} xparser;

static bool
xfail(xparser *x, const char *what)
{
	if (x->err[0] == '\0')
		snprintf(x->err, sizeof(x->err), "%s at \"%.20s\"", what, x->p);
	return false;
}

static void
skip_ws(xparser *x)
{
	while (*x->p == ' ' || *x->p == '\n' || *x->p == '\t' || *x->p == '\r')
		x->p++;
}

/* An entity or character reference after '&'; appends its text. */
static bool
entity(xparser *x, rout *out)
{
	static const struct {
		const char *name, *text;
	} ents[] = {{"lt;", "<"}, {"gt;", ">"}, {"amp;", "&"}, {"quot;", "\""},
	    {"apos;", "'"}};
	for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
		if (strncmp(x->p, ents[i].name, strlen(ents[i].name)) == 0) {
			x->p += strlen(ents[i].name);
			rout_puts(out, ents[i].text);
			return true;
		}
	if (*x->p == '#') {
		char *end;
		long v = x->p[1] == 'x' ? strtol(x->p + 2, &end, 16) :
		    strtol(x->p + 1, &end, 10);
		/* XML 1.0 characters: tab, newline, CR, >= 0x20 */
		if (*end != ';' || v <= 0 || (v < 0x20 && v != 9 && v != 10 &&
		    v != 13))
			return xfail(x, "bad character reference");
		x->p = end + 1;
		rout_putc(out, '?');
		return true;
	}
	return xfail(x, "bad entity");
}

static char *
name(xparser *x)
{
	const char *s = x->p;
	while (isalnum((unsigned char)*x->p) || *x->p == '-' || *x->p == '_' ||
	    *x->p == ':')
		x->p++;
	if (x->p == s) {
		xfail(x, "expected a name");
		return NULL;
	}
	return xstrndup(s, (size_t)(x->p - s));
}

static xnode *element(xparser *x);

static bool
content(xparser *x, xnode *n)
{
	for (;;) {
		if (*x->p == '\0')
			return xfail(x, "unclosed element");
		if (x->p[0] == '<' && x->p[1] == '/') {
			x->p += 2;
			char *nm = name(x);
			bool same = nm != NULL && strcmp(nm, n->name) == 0;
			free(nm);
			if (!same || *x->p != '>')
				return xfail(x, "mismatched end tag");
			x->p++;
			return true;
		}
		if (*x->p == '<') {
			xnode *k = element(x);
			if (k == NULL)
				return false;
			XGROW(n->kids, n->cap, n->nkids + 1);
			n->kids[n->nkids++] = k;
			continue;
		}
		rout *t = rout_mem();
		bool ok = true;
		if (*x->p == '&') {
			x->p++;
			ok = entity(x, t);
			n->has_text = true;
		} else if (*x->p == '>')
			ok = xfail(x, "raw '>' in text");
		else {
			if (!isspace((unsigned char)*x->p))
				n->has_text = true;
			x->p++;
		}
		rout_free(t);
		if (!ok)
			return false;
	}
}

static xnode *
element(xparser *x)
{
	if (*x->p != '<')
		return xfail(x, "expected '<'"), NULL;
	x->p++;
	xnode *n = xcalloc(1, sizeof(*n));
	if ((n->name = name(x)) == NULL)
		goto bad;
	for (;;) {
		skip_ws(x);
		if (x->p[0] == '/' && x->p[1] == '>') {
			x->p += 2;
			return n;
		}
		if (*x->p == '>') {
			x->p++;
			if (!content(x, n))
				goto bad;
			return n;
		}
		if (n->nattr == MAX_ATTRS) {
			xfail(x, "too many attributes");
			goto bad;
		}
		char *an = name(x);
		if (an == NULL)
			goto bad;
		for (int i = 0; i < n->nattr; i++)
			if (strcmp(n->attr[i], an) == 0) {
				free(an);
				xfail(x, "duplicate attribute");
				goto bad;
			}
		n->attr[n->nattr] = an;
		if (x->p[0] != '=' || x->p[1] != '"') {
			n->val[n->nattr++] = xstrdup("");
			xfail(x, "expected =\"");
			goto bad;
		}
		x->p += 2;
		rout *v = rout_mem();
		while (*x->p != '"') {
			if (*x->p == '\0' || *x->p == '<') {
				rout_free(v);
				n->val[n->nattr++] = xstrdup("");
				xfail(x, "bad attribute value");
				goto bad;
			}
			if (*x->p == '&') {
				x->p++;
				if (!entity(x, v)) {
					rout_free(v);
					n->val[n->nattr++] = xstrdup("");
					goto bad;
				}
			} else
				rout_putc(v, *x->p++);
		}
		x->p++;
		n->val[n->nattr++] = xstrdup(rout_mem_text(v, NULL));
		rout_free(v);
	}
bad:
	xfree(n);
	return NULL;
}

/* The document: an XML declaration, one root element, nothing after. */
static xnode *
parse(const char *text, char *err, size_t size)
{
	xparser x = {.p = text, .err = ""};
	const char *decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
	xnode *root = NULL;
	if (strncmp(x.p, decl, strlen(decl)) != 0)
		xfail(&x, "missing XML declaration");
	else {
		x.p += strlen(decl);
		skip_ws(&x);
		root = element(&x);
		if (root != NULL) {
			skip_ws(&x);
			if (*x.p != '\0') {
				xfail(&x, "text after the root element");
				xfree(root);
				root = NULL;
			}
		}
	}
	snprintf(err, size, "%s", x.err);
	return root;
}

/* ---- the schema's rules ---- */

static const char *
attr(const xnode *n, const char *key)
{
	for (int i = 0; i < n->nattr; i++)
		if (strcmp(n->attr[i], key) == 0)
			return n->val[i];
	return NULL;
}

static bool
is_count(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool
is_positive(const char *s)
{
	return is_count(s) && strtol(s, NULL, 10) > 0;
}

/* xs:decimal >= 0: digits, optionally a point and digits */
static bool
is_seconds(const char *s)
{
	if (s == NULL || !isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

/* [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} */
static bool
is_timestamp(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd";
	if (s == NULL || strlen(s) != strlen(pat))
		return false;
	for (size_t i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
			return false;
	return true;
}

typedef bool (*typecheck)(const char *);

typedef struct rule {
	const char *name;
	bool required;
	typecheck type; /* NULL: any string */
} rule;

static bool
non_empty(const char *s)
{
	return s != NULL && *s != '\0';
}

static bool
check_attrs(const xnode *n, const rule *rules, size_t nrules, char *err,
    size_t size)
{
	for (int i = 0; i < n->nattr; i++) {
		size_t k = 0;
		while (k < nrules && strcmp(rules[k].name, n->attr[i]) != 0)
			k++;
		if (k == nrules) {
			snprintf(err, size, "<%s>: attribute %s not allowed", n->name,
			    n->attr[i]);
			return false;
		}
		if (rules[k].type != NULL && !rules[k].type(n->val[i])) {
			snprintf(err, size, "<%s>: %s=\"%s\" is not valid", n->name,
			    n->attr[i], n->val[i]);
			return false;
		}
	}
	for (size_t k = 0; k < nrules; k++)
		if (rules[k].required && attr(n, rules[k].name) == NULL) {
			snprintf(err, size, "<%s>: %s is required", n->name, rules[k].name);
			return false;
		}
	return true;
}

static const rule suites_rules[] = {
	{"name", false, NULL}, {"tests", false, is_count},
	{"failures", false, is_count}, {"errors", false, is_count},
	{"disabled", false, is_count}, {"time", false, is_seconds},
};
static const rule suite_rules[] = {
	{"name", true, NULL}, {"tests", true, is_count},
	{"failures", false, is_count}, {"errors", false, is_count},
	{"skipped", false, is_count}, {"disabled", false, is_count},
	{"time", false, is_seconds}, {"timestamp", false, is_timestamp},
	{"hostname", false, non_empty}, {"id", false, NULL},
	{"package", false, NULL}, {"file", false, non_empty},
};
static const rule case_rules[] = {
	{"name", true, NULL}, {"classname", false, NULL},
	{"time", false, is_seconds}, {"assertions", false, is_count},
	{"status", false, NULL}, {"file", false, non_empty},
	{"line", false, is_positive},
};
static const rule problem_rules[] = {
	{"message", false, NULL}, {"type", false, NULL},
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Children of n follow the sequence order[] (each name at most once
 * unless many[] says so); returns false with a message otherwise. */
static bool
check_sequence(const xnode *n, const char *const *order, const bool *many,
    size_t norder, char *err, size_t size)
{
	size_t at = 0, seen = 0;
	for (size_t i = 0; i < n->nkids; i++) {
		const char *k = n->kids[i]->name;
		while (at < norder && strcmp(order[at], k) != 0) {
			at++;
			seen = 0;
		}
		if (at == norder) {
			snprintf(err, size, "<%s> inside <%s>: not allowed here", k,
			    n->name);
			return false;
		}
		if (++seen > 1 && !many[at]) {
			snprintf(err, size, "<%s> twice inside <%s>", k, n->name);
			return false;
		}
	}
	return true;
}

static bool
check_testcase(const xnode *c, size_t *failures, size_t *errors, char *err,
    size_t size)
{
	static const char *const order[] = {"skipped", "error", "failure",
	    "system-out", "system-err"};
	static const bool many[] = {false, true, true, true, true};
	if (!check_attrs(c, case_rules, N(case_rules), err, size) ||
	    !check_sequence(c, order, many, N(order), err, size))
		return false;
	if (c->has_text) {
		snprintf(err, size, "<testcase>: text not allowed");
		return false;
	}
	for (size_t i = 0; i < c->nkids; i++) {
		const xnode *k = c->kids[i];
		if (strcmp(k->name, "failure") == 0 || strcmp(k->name, "error") == 0) {
			if (!check_attrs(k, problem_rules, N(problem_rules), err, size))
				return false;
			if (k->nkids > 0) {
				snprintf(err, size, "<%s>: elements not allowed", k->name);
				return false;
			}
			*(k->name[0] == 'f' ? failures : errors) += 1;
		}
	}
	return true;
}

static bool
count_is(const xnode *n, const char *key, size_t want, char *err,
    size_t size)
{
	const char *v = attr(n, key);
	if (v != NULL && strtoul(v, NULL, 10) != want) {
		snprintf(err, size, "<%s name=\"%s\">: %s=\"%s\" but %zu found",
		    n->name, attr(n, "name") ? attr(n, "name") : "", key, v, want);
		return false;
	}
	return true;
}

/* 0 when doc follows the rules; else -1 with the first broken one. */
static int
validate(const char *doc, char *err, size_t size)
{
	xnode *root = parse(doc, err, size);
	if (root == NULL)
		return -1;
	int rc = -1;
	size_t all_tests = 0, all_failures = 0, all_errors = 0;
	if (strcmp(root->name, "testsuites") != 0) {
		snprintf(err, size, "root is <%s>, not <testsuites>", root->name);
		goto out;
	}
	if (!check_attrs(root, suites_rules, N(suites_rules), err, size))
		goto out;
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *s = root->kids[i];
		static const char *const order[] = {"properties", "testcase",
		    "system-out", "system-err"};
		static const bool many[] = {false, true, false, false};
		if (strcmp(s->name, "testsuite") != 0) {
			snprintf(err, size, "<%s> inside <testsuites>", s->name);
			goto out;
		}
		if (!check_attrs(s, suite_rules, N(suite_rules), err, size) ||
		    !check_sequence(s, order, many, N(order), err, size))
			goto out;
		size_t tests = 0, failures = 0, errors = 0;
		for (size_t k = 0; k < s->nkids; k++)
			if (strcmp(s->kids[k]->name, "testcase") == 0) {
				tests++;
				if (!check_testcase(s->kids[k], &failures, &errors, err, size))
					goto out;
			}
		if (!count_is(s, "tests", tests, err, size) ||
		    !count_is(s, "failures", failures, err, size) ||
		    !count_is(s, "errors", errors, err, size))
			goto out;
		all_tests += tests;
		all_failures += failures;
		all_errors += errors;
	}
	if (!count_is(root, "tests", all_tests, err, size) ||
	    !count_is(root, "failures", all_failures, err, size) ||
	    !count_is(root, "errors", all_errors, err, size))
		goto out;
	rc = 0;
out:
	xfree(root);
	return rc;
}

/* ---- tests ---- */

static recorder *R;
static rout *O;
static char ERR[256];

static void
setup(void)
{
	R = rec_new();
	O = rout_mem();
	ERR[0] = '\0';
}

static void
teardown(void)
{
	rout_free(O);
	rec_free(R);
}

static const char *const verdicts_doc =
    "{\"expect\": [\n"
    "{\"name\": \"deploys <fast> & \\\"well\\\"\", \"deploymentCompletes\": "
    "{\"service\": \"web\", \"within\": \"5m\"}},\n"
    "{\"runningTasksNeverAbove\": {\"service\": \"web\", \"count\": 4}}]}";

START_TEST(test_junit_follows_the_schema)
{
	arena *a = arena_new();
	jr_loader *L = jr_loader_new(a);
	expect_set *x = expect_new();
	sim_error err;
	jr_val root, v;
	jr_obj o;
	realistic(R, "web");
	ck_assert_int_eq(jr_load_text(L, "s.json", verdicts_doc, &root, &err), 0);
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, "expect", &v));
	ck_assert_int_eq(expect_parse(x, &v, &err), 0);
	expect_result *res = expect_eval(x, R);
	/* the second run leaves timestamp and hostname to the writer */
	expect_run runs[] = {
		{"one", "s.json", res, NULL, 1.5, "2025-01-31T14:05:09", "ci-7"},
		{"two", "s.json", res, NULL, 0.25, NULL, NULL},
		{"three <&>", "t.json", NULL, "t.json:1:1: malformed JSON", 0, NULL,
		    NULL},
	};
	rjunit_write(O, runs, 3);
	const char *doc = rout_mem_text(O, NULL);
	ck_assert_msg(validate(doc, ERR, sizeof(ERR)) == 0, "%s\n%s", ERR, doc);
	/* what the rules do not force but CI reporters read: each testcase
	 * of "one" has the run's time, the assertion's file and line */
	ck_assert_ptr_nonnull(strstr(doc, "<testcase name=\"web: running tasks "
	    "never above 4\" classname=\"one\" time=\"1.500\" file=\"s.json\" "
	    "line=\"3\"/>"));
	ck_assert_ptr_nonnull(strstr(doc, "time=\"1.750\">"));
	expect_result_free(res);
	expect_free(x);
	jr_loader_free(L);
	arena_free(a);
}
END_TEST

START_TEST(test_validator_catches_each_rule)
{
	static const struct {
		const char *doc, *why;
	} bad[] = {
		{"<testsuites/>", "missing XML declaration"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuite name=\"a\" "
		    "tests=\"0\"/>", "root is <testsuite>, not <testsuites>"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites><testsuite "
		    "tests=\"0\"/></testsuites>", "<testsuite>: name is required"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites><testsuite "
		    "name=\"a\" tests=\"1\"><testcase name=\"x\" line=\"0\"/>"
		    "</testsuite></testsuites>", "<testcase>: line=\"0\" is not valid"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites><testsuite "
		    "name=\"a\" tests=\"0\" timestamp=\"2025-01-31T14:05:09Z\"/>"
		    "</testsuites>", "<testsuite>: timestamp=\"2025-01-31T14:05:09Z\" "
		    "is not valid"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites><testsuite "
		    "name=\"a\" tests=\"1\" failures=\"0\"><testcase name=\"x\">"
		    "<failure message=\"m\"/></testcase></testsuite></testsuites>",
		    "<testsuite name=\"a\">: failures=\"0\" but 1 found"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites><testsuite "
		    "name=\"a\" tests=\"1\"><testcase name=\"x\" color=\"red\"/>"
		    "</testsuite></testsuites>", "<testcase>: attribute color not "
		    "allowed"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites><testsuite "
		    "name=\"a\" tests=\"1\"><testcase name=\"x\"><failure/><skipped/>"
		    "</testcase></testsuite></testsuites>", "<skipped> inside "
		    "<testcase>: not allowed here"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites><testsuite "
		    "name=\"a\" tests=\"1\" time=\"-1\"/></testsuites>",
		    "<testsuite>: time=\"-1\" is not valid"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites><testsuite "
		    "name=\"a & b\" tests=\"0\"/></testsuites>", "bad entity"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites><testsuite "
		    "name=\"a\" tests=\"0\"></testsuites>", "mismatched end tag"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(validate(bad[i].doc, ERR, sizeof(ERR)) != 0,
		    "accepted: %s", bad[i].doc);
		ck_assert_msg(strncmp(ERR, bad[i].why, strlen(bad[i].why)) == 0,
		    "%s: got \"%s\", expected \"%s\"", bad[i].doc, ERR, bad[i].why);
	}
}
END_TEST

Suite *
junit_schema_suite(void)
{
	Suite *s = suite_create("junit_schema");
	TCase *tc = tcase_create("junit_schema");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_junit_follows_the_schema);
	tcase_add_test(tc, test_validator_catches_each_rule);
	suite_add_tcase(s, tc);
	return s;
}
