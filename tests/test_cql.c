/*
 * Tests for cql: what each documented operator selects on two instances,
 * the pattern subset, precedence, and the exact message (with its
 * character offset) for each way an expression can be wrong.
 */
#include <stdio.h>
#include <string.h>

#include "model/ecs/cql.h"
#include "sim/recorder.h"
#include "tests/suites.h"

static arena *A;
static sim_error err;

static void
setup(void)
{
	A = arena_new();
	sim_error_clear(&err);
}

static void
teardown(void)
{
	arena_free(A);
}

static const cql_attr attrs_a[] = {
	{"stack", "prod"},
	{"gpu", NULL},
	{"weight", "10"},
};

/* Instance a: t3.micro in us-east-1a, 2 tasks, custom attributes. */
static const cql_target ta = {
	.ec2_instance_id = "i-0aaa", .running_tasks = 2,
	.agent_connected = true, .az = "us-east-1a",
	.instance_type = "t3.micro", .os_type = "linux", .cpu_arch = "x86_64",
	.attrs = attrs_a, .nattrs = 3,
};
/* Instance b: m5.large (arm64 for the test) in us-east-1b, idle, agent
 * disconnected, no custom attributes. */
static const cql_target tb = {
	.ec2_instance_id = "i-0bbb", .running_tasks = 0,
	.agent_connected = false, .az = "us-east-1b",
	.instance_type = "m5.large", .os_type = "linux", .cpu_arch = "arm64",
};

static const cql_expr *
parse_ok(const char *text)
{
	const cql_expr *e = NULL;
	int rc = cql_parse(A, text, &e, &err);
	ck_assert_msg(rc == 0, "%s: unexpected error: %s", text, err.msg);
	return e;
}

static const struct {
	const char *expr;
	bool a, b;
} evals[] = {
	{"attribute:ecs.instance-type == t3.micro", true, false},
	{"attribute:ecs.instance-type != t3.micro", false, true},
	{"attribute:ecs.instance-type =~ t3.*", true, false},
	{"attribute:ecs.instance-type =~ 't3.*'", true, false},
	{"attribute:ecs.instance-type =~ \"t3.*\"", true, false},
	/* Java regex: 't' then any number of '3' — not a wildcard */
	{"attribute:ecs.instance-type =~ t3*", false, false},
	{"attribute:ecs.instance-type !~ t3.*", false, true},
	{"attribute:ecs.instance-type =~ t3.mic", false, false},
	{"attribute:ecs.instance-type =~ 't3\\.micro'", true, false},
	{"attribute:ecs.instance-type =~ t3\\.micro", true, false},
	{"attribute:ecs.instance-type =~ '^t3.*$'", true, false},
	{"attribute:ecs.instance-type =~ 't3.micr?o'", true, false},
	{"attribute:ecs.instance-type =~ 't3.x?micro'", true, false},
	{"attribute:ecs.instance-type =~ '[mt][0-9]\\..+'", true, true},
	{"attribute:ecs.instance-type =~ '[^t].*'", false, true},
	{"attribute:ecs.instance-type =~ '\\w+\\.\\w+'", true, true},
	{"attribute:ecs.instance-type =~ '\\w\\d\\.[a-z]+'", true, true},
	{"attribute:ecs.instance-type =~ '.+\\s.*'", false, false},
	{"attribute:ecs.instance-type =~ 'm5.l+arge'", false, true},
	{"attribute:ecs.instance-type =~ ''", false, false},
	{"attribute:ecs.availability-zone in [us-east-1a, us-east-1c]", true,
	    false},
	{"attribute:ecs.availability-zone in [ 'us-east-1b' ]", false, true},
	{"attribute:ecs.availability-zone !in [us-east-1a]", false, true},
	{"attribute:ecs.availability-zone not_in [us-east-1a]", false, true},
	{"attribute:ecs.os-type equals linux", true, true},
	{"attribute:ecs.cpu-architecture matches arm.*", false, true},
	{"attribute:ecs.cpu-architecture not_matches arm.*", true, false},
	{"attribute:stack exists", true, false},
	{"attribute:stack !exists", false, true},
	{"attribute:stack not_exists", false, true},
	/* set without a value: exists, but compares as absent */
	{"attribute:gpu exists", true, false},
	{"attribute:gpu == x", false, false},
	{"attribute:gpu != x", true, true},
	/* absent: positive operators false, negated true */
	{"attribute:stack == prod", true, false},
	{"attribute:stack != prod", false, true},
	{"attribute:stack in [prod]", true, false},
	{"attribute:stack !in [prod]", false, true},
	{"attribute:stack =~ p.*", true, false},
	{"attribute:stack !~ p.*", false, true},
	{"attribute:stack > a", true, false},
	{"attribute:stack==prod", true, false},
	{"attribute:stack == 'prod'", true, false},
	/* numeric when both sides are numbers: "10" > "9" */
	{"attribute:weight > 9", true, false},
	{"attribute:weight >= 10.0", true, false},
	{"attribute:weight == 1e1", true, false},
	{"attribute:weight < 9", false, false},
	{"attribute:weight <= 10", true, false},
	/* else byte order: "prod" > "pra" */
	{"attribute:stack > pra", true, false},
	{"attribute:stack < pra", false, false},
	{"attribute:stack greater_than_equal prod", true, false},
	{"attribute:stack less_than_equal prod", true, false},
	{"attribute:stack less_than prod", false, false},
	{"attribute:stack greater_than prod", false, false},
	{"attribute:stack not_equals prod", false, true},
	{"runningTasksCount == 0", false, true},
	{"runningTasksCount > 1", true, false},
	{"runningTasksCount >= 2", true, false},
	{"runningTasksCount < 2", false, true},
	{"runningTasksCount <= 0", false, true},
	{"runningTasksCount != 0", true, false},
	{"runningTasksCount in [0, 1]", false, true},
	{"runningTasksCount !in [0, 1]", true, false},
	{"agentConnected == true", true, false},
	{"agentConnected != true", false, true},
	{"agentConnected == false", false, true},
	{"agentConnected in [false]", false, true},
	{"agentConnected =~ t.*", true, false},
	{"ec2InstanceId == i-0aaa", true, false},
	{"ec2InstanceId in ['i-0aaa', \"i-0ccc\"]", true, false},
	{"ec2InstanceId =~ i-0b.*", false, true},
	{"ec2InstanceId !~ i-0b.*", true, false},
	{"attribute:ecs.instance-type =~ t3.* and "
	    "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
	    true, false},
	{"attribute:ecs.instance-type =~ t3.* && runningTasksCount == 0",
	    false, false},
	{"attribute:ecs.instance-type == m5.large || attribute:stack == prod",
	    true, true},
	{"attribute:ecs.instance-type == m5.large or attribute:stack == prod",
	    true, true},
	{"!(attribute:ecs.instance-type == t3.micro)", false, true},
	{"not(attribute:ecs.instance-type == t3.micro)", false, true},
	{"not attribute:stack exists", false, true},
	{"!!attribute:stack exists", true, false},
	/* && binds tighter than ||: a is X || (Y && Z) = true, where
	 * left-to-right would give (X || Y) && Z = false */
	{"attribute:stack exists || runningTasksCount == 0 && "
	    "agentConnected == false", true, true},
	{"(attribute:stack exists || runningTasksCount == 0) && "
	    "agentConnected == false", false, true},
	{"  ( ( attribute:stack exists ) )  ", true, false},
};

START_TEST(test_eval)
{
	const cql_expr *e = parse_ok(evals[_i].expr);
	ck_assert_msg(cql_eval(e, &ta) == evals[_i].a, "%s on a",
	    evals[_i].expr);
	ck_assert_msg(cql_eval(e, &tb) == evals[_i].b, "%s on b",
	    evals[_i].expr);
	ck_assert_str_eq(cql_text(e), evals[_i].expr);
}
END_TEST

static const struct {
	const char *expr;
	const char *msg;
} errors[] = {
	{"", "cql: empty expression"},
	{"  \t ", "cql: empty expression"},
	{"attribute:ecs.instance-type t3",
	    "cql: expected an operator after 'attribute:ecs.instance-type' at character 29"},
	{"attribute:ecs.instance-type",
	    "cql: expected an operator after 'attribute:ecs.instance-type' at character 28"},
	{"attribute:a ! exists",
	    "cql: expected an operator after 'attribute:a' at character 13"},
	{"foo == bar",
	    "cql: unknown subject 'foo' (expected attribute:<name>, ec2InstanceId, runningTasksCount or agentConnected) at character 1"},
	{"task:group == database",
	    "cql: subject 'task:group' is not supported by ecsim at character 1"},
	{"agentVersion >= 1.70.0",
	    "cql: subject 'agentVersion' is not supported by ecsim at character 1"},
	{"registeredAt < 2026-01-01",
	    "cql: subject 'registeredAt' is not supported by ecsim at character 1"},
	{"attribute: == x",
	    "cql: expected an attribute name after 'attribute:' at character 11"},
	{"== x",
	    "cql: expected a subject (attribute:<name>, ec2InstanceId, runningTasksCount or agentConnected) at character 1"},
	{"not",
	    "cql: expected a subject (attribute:<name>, ec2InstanceId, runningTasksCount or agentConnected) at character 4"},
	{"attribute:a exists and",
	    "cql: expected a subject (attribute:<name>, ec2InstanceId, runningTasksCount or agentConnected) at character 23"},
	{"ec2InstanceId > i-1",
	    "cql: operator '>' cannot be used with ec2InstanceId (allowed: ==, !=, in, !in, =~, !~) at character 15"},
	{"agentConnected exists",
	    "cql: operator 'exists' cannot be used with agentConnected (allowed: ==, !=, in, !in, =~, !~) at character 16"},
	{"runningTasksCount =~ 1.*",
	    "cql: operator '=~' cannot be used with runningTasksCount (allowed: ==, !=, >, >=, <, <=, in, !in) at character 19"},
	{"runningTasksCount > many",
	    "cql: runningTasksCount compares with a whole number, got 'many' at character 21"},
	{"runningTasksCount in [1, -2]",
	    "cql: runningTasksCount compares with a whole number, got '-2' at character 26"},
	{"agentConnected == yes",
	    "cql: agentConnected compares with true or false, got 'yes' at character 19"},
	{"attribute:a ==", "cql: expected a value after '==' at character 15"},
	{"attribute:a equals (",
	    "cql: expected a value after 'equals' at character 20"},
	{"attribute:a in us-east-1a",
	    "cql: expected '[' after 'in' at character 16"},
	{"attribute:a in [x y]",
	    "cql: expected ',' or ']' in the list at character 19"},
	{"attribute:a in []",
	    "cql: expected a value in the list at character 17"},
	{"attribute:a in [x,",
	    "cql: expected a value in the list at character 19"},
	{"(attribute:a exists",
	    "cql: unclosed '(' from character 1: expected ')' at character 20"},
	{"attribute:a exists)",
	    "cql: expected '&&', '||' or the end of the expression at character 19"},
	{"attribute:a == b c",
	    "cql: expected '&&', '||' or the end of the expression at character 18"},
	{"attribute:a = b", "cql: expected '==' or '=~' at character 13"},
	{"attribute:a exists & attribute:b exists",
	    "cql: expected '&&' at character 20"},
	{"attribute:a exists | attribute:b exists",
	    "cql: expected '||' at character 20"},
	{"attribute:a == 'abc",
	    "cql: unterminated string starting at character 16"},
	{"attribute:a =~ 't(3|4)'",
	    "cql: '(' is not supported in a pattern (ecsim supports literal characters, '.', [...] classes, escapes, * + ? and ^ $ at the ends) at character 18"},
	{"attribute:a =~ a{2}",
	    "cql: '{' is not supported in a pattern (ecsim supports literal characters, '.', [...] classes, escapes, * + ? and ^ $ at the ends) at character 17"},
	{"attribute:a =~ 'a^'",
	    "cql: '^' is not supported in a pattern (ecsim supports literal characters, '.', [...] classes, escapes, * + ? and ^ $ at the ends) at character 18"},
	{"attribute:a =~ *x",
	    "cql: '*' has nothing to repeat in the pattern at character 16"},
	{"attribute:a =~ 'a**'",
	    "cql: '*' after a quantifier (lazy or possessive) is not supported in a pattern at character 19"},
	{"attribute:a =~ 'a*?'",
	    "cql: '?' after a quantifier (lazy or possessive) is not supported in a pattern at character 19"},
	{"attribute:a =~ 'a[bc'",
	    "cql: unterminated '[' in the pattern at character 18"},
	{"attribute:a =~ 'a[]'",
	    "cql: empty class '[]' in the pattern at character 18"},
	{"attribute:a =~ 'a[[b]]'",
	    "cql: '[' inside a class is not supported in a pattern at character 19"},
	{"attribute:a =~ 'a\\'",
	    "cql: '\\' at the end of the pattern at character 18"},
	{"attribute:a =~ 'a\\b'",
	    "cql: escape '\\b' is not supported in a pattern at character 18"},
	{"attribute:a =~ '[z-a]'",
	    "cql: range 'z-a' is out of order in the pattern at character 18"},
};

START_TEST(test_errors)
{
	const cql_expr *e = NULL;
	int rc = cql_parse(A, errors[_i].expr, &e, &err);
	ck_assert_msg(rc == SIM_EINPUT, "%s: parsed", errors[_i].expr);
	ck_assert_int_eq(err.code, SIM_EINPUT);
	ck_assert_str_eq(err.msg, errors[_i].msg);
	ck_assert_str_eq(err.file, "");
	ck_assert_str_eq(err.path, "");
}
END_TEST

START_TEST(test_length_limit)
{
	/* [DOC] at most 2000 characters */
	char text[CQL_MAX_LEN + 2];
	const char *head = "attribute:a == ";
	size_t h = strlen(head);
	memcpy(text, head, h);
	memset(text + h, 'v', CQL_MAX_LEN - h);
	text[CQL_MAX_LEN] = '\0';
	const cql_expr *e = parse_ok(text);
	cql_attr big = {"a", text + h};
	cql_target t = {.attrs = &big, .nattrs = 1};
	ck_assert(cql_eval(e, &t));
	text[CQL_MAX_LEN] = 'v';
	text[CQL_MAX_LEN + 1] = '\0';
	ck_assert_int_eq(cql_parse(A, text, &e, &err), SIM_EINPUT);
	ck_assert_str_eq(err.msg,
	    "cql: the expression is 2001 characters long; at most 2000 are allowed");
}
END_TEST

START_TEST(test_long_pattern_no_blowup)
{
	/* a*a*a*...a*b against aaaa...: exponential for a backtracker */
	char text[CQL_MAX_LEN + 1], val[200];
	size_t n = (size_t)snprintf(text, sizeof(text), "attribute:a =~ '");
	for (int i = 0; i < 400; i++) {
		text[n++] = 'a';
		text[n++] = '*';
	}
	text[n++] = 'b';
	text[n++] = '\'';
	text[n] = '\0';
	memset(val, 'a', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	const cql_expr *e = parse_ok(text);
	cql_attr at = {"a", val};
	cql_target t = {.attrs = &at, .nattrs = 1};
	ck_assert(!cql_eval(e, &t));
	val[sizeof(val) - 2] = 'b';
	ck_assert(cql_eval(e, &t));
}
END_TEST

START_TEST(test_attr_get)
{
	const char *v = "x";
	ck_assert(cql_attr_get(&ta, "ecs.availability-zone", &v));
	ck_assert_str_eq(v, "us-east-1a");
	ck_assert(cql_attr_get(&ta, "ecs.cpu-architecture", &v));
	ck_assert_str_eq(v, "x86_64");
	ck_assert(cql_attr_get(&ta, "stack", &v));
	ck_assert_str_eq(v, "prod");
	ck_assert(cql_attr_get(&ta, "gpu", &v));
	ck_assert_ptr_null(v);
	ck_assert(!cql_attr_get(&tb, "stack", &v));
	ck_assert_ptr_null(v);
	cql_target none = {0};
	ck_assert(!cql_attr_get(&none, "ecs.instance-type", &v));
	/* an instance with no id: ec2InstanceId comparisons as absent */
	const cql_expr *e = parse_ok("ec2InstanceId != i-1");
	ck_assert(cql_eval(e, &none));
	e = parse_ok("ec2InstanceId == i-1");
	ck_assert(!cql_eval(e, &none));
}
END_TEST

START_TEST(test_assumptions)
{
	recorder *r = rec_new();
	cql_assume(r);
	ck_assert_int_eq((int)rec_assumption_count(r), 3);
	const char *name, *value, *tag, *note;
	rec_assumption_at(r, 1, &name, &value, &tag, &note);
	ck_assert_str_eq(name, "cql.matches");
	ck_assert_str_eq(tag, "MODEL"); /* a choice of method, no parameter */
	rec_free(r);
}
END_TEST

Suite *
cql_suite(void)
{
	Suite *s = suite_create("cql");
	TCase *tc = tcase_create("cql");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_eval, 0,
	    (int)(sizeof(evals) / sizeof(evals[0])));
	tcase_add_loop_test(tc, test_errors, 0,
	    (int)(sizeof(errors) / sizeof(errors[0])));
	tcase_add_test(tc, test_length_limit);
	tcase_add_test(tc, test_long_pattern_no_blowup);
	tcase_add_test(tc, test_attr_get);
	tcase_add_test(tc, test_assumptions);
	suite_add_tcase(s, tc);
	return s;
}
