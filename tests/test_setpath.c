/*
 * Tests for setpath (--set PATH=VALUE): what each kind of path selects,
 * how values are read, and the exact position and message of every way
 * an override can be wrong. The document is read back with jread, as a
 * section would read it.
 */
#include <stdio.h>
#include <string.h>

#include "sim/jread.h"
#include "sim/setpath.h"
#include "tests/suites.h"

static arena *A;
static jr_loader *L;
static sim_error err;
static jr_val root;

static const char doc[] =
    "{\n"
    "  \"duration\": \"1h\",\n"
    "  \"services\": [\n"
    "    {\"serviceName\": \"api\", \"desiredCount\": 2,\n"
    "     \"deploymentConfiguration\": {\"maximumPercent\": 200}},\n"
    "    {\"serviceName\": \"worker\", \"desiredCount\": 1}\n"
    "  ],\n"
    "  \"taskDefinitions\": [\n"
    "    {\"family\": \"web\", \"cpu\": \"256\"},\n"
    "    {\"family\": \"web\", \"cpu\": \"512\"}\n"
    "  ],\n"
    "  \"targetGroups\": [{\"Name\": \"tg\", \"Attributes\": [\n"
    "    {\"Key\": \"deregistration_delay.timeout_seconds\", \"Value\": \"300\"}]}],\n"
    "  \"zones\": [\"us-east-1a\", \"us-east-1b\"],\n"
    "  \"a.b\": {\"x\": 1}\n"
    "}\n";

static void
setup(void)
{
	A = arena_new();
	L = jr_loader_new(A);
	sim_error_clear(&err);
	int rc = jr_load_text(L, "t.json", doc, &root, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
}

static void
teardown(void)
{
	jr_loader_free(L);
	arena_free(A);
}

static int
set(int line, const char *assignment)
{
	sim_error_clear(&err);
	return setpath_apply(&root, "--set", line, assignment, &err);
}

#define SET_OK(a) do { \
	int rc_ = set(1, (a)); \
	ck_assert_msg(rc_ == 0, "%s: %d:%d: %s: %s", (a), err.line, err.col, \
	    err.path, err.msg); \
} while (0)

#define CHECK_ERR(rc, file_, line_, col_, path_, msg_) do { \
	ck_assert_int_eq((rc), SIM_EINPUT); \
	ck_assert_str_eq(err.file, (file_)); \
	ck_assert_int_eq(err.line, (line_)); \
	ck_assert_int_eq(err.col, (col_)); \
	ck_assert_str_eq(err.path, (path_)); \
	ck_assert_str_eq(err.msg, (msg_)); \
} while (0)

/* The compact JSON of the value at a dotted/indexed path, read with jread
 * (each part: a key, or a number for an index). */
static const char *
at(const char *p1, int i, const char *p2)
{
	static jr_obj o1, o2;
	static jr_val v1, v2, v3;
	ck_assert_int_eq(jr_object(&root, &o1, &err), 0);
	ck_assert_msg(jr_get(&o1, p1, &v1), "no %s", p1);
	if (i < 0)
		return jr_to_json(&v1);
	jr_elem(&v1, i, &v2);
	if (p2 == NULL)
		return jr_to_json(&v2);
	ck_assert_int_eq(jr_object(&v2, &o2, &err), 0);
	ck_assert_msg(jr_get(&o2, p2, &v3), "no %s", p2);
	return jr_to_json(&v3);
}

START_TEST(by_name_and_index)
{
	SET_OK("services[worker].desiredCount=5");
	ck_assert_str_eq(at("services", 1, "desiredCount"), "5");
	SET_OK("services[0].desiredCount=7");
	ck_assert_str_eq(at("services", 0, "desiredCount"), "7");
	/* the element named by a quoted name, a nested object, a later set
	 * of the same path wins */
	SET_OK("services[\"api\"].deploymentConfiguration.maximumPercent=150");
	SET_OK("services[api].deploymentConfiguration.maximumPercent=175");
	ck_assert_str_eq(at("services", 0, "deploymentConfiguration"),
	    "{\"maximumPercent\":175}");
	/* [name] on a string array, Key as the name, a dotted key quoted */
	SET_OK("zones[us-east-1b]=us-west-2a");
	ck_assert_str_eq(at("zones", -1, NULL), "[\"us-east-1a\",\"us-west-2a\"]");
	SET_OK("targetGroups[tg].Attributes[deregistration_delay.timeout_seconds].Value=30");
	ck_assert_str_eq(at("targetGroups", 0, "Attributes"),
	    "[{\"Key\":\"deregistration_delay.timeout_seconds\",\"Value\":30}]");
	SET_OK("targetGroups[tg].Attributes[deregistration_delay.timeout_seconds].Value=\"30\"");
	ck_assert_str_eq(at("targetGroups", 0, "Attributes"),
	    "[{\"Key\":\"deregistration_delay.timeout_seconds\",\"Value\":\"30\"}]");
	SET_OK("[\"a.b\"].x=2");
	ck_assert_str_eq(at("a.b", -1, NULL), "{\"x\":2}");
	/* the member order is kept */
	ck_assert_str_eq(at("services", 0, NULL),
	    "{\"serviceName\":\"api\",\"desiredCount\":7,"
	    "\"deploymentConfiguration\":{\"maximumPercent\":175}}");
}
END_TEST

START_TEST(values)
{
	SET_OK("duration=2h"); /* not JSON: the string */
	ck_assert_str_eq(at("duration", -1, NULL), "\"2h\"");
	SET_OK("duration=5400");
	ck_assert_str_eq(at("duration", -1, NULL), "5400");
	SET_OK("duration=\"90m\"");
	ck_assert_str_eq(at("duration", -1, NULL), "\"90m\"");
	SET_OK("duration=say \"hi\"\\");
	ck_assert_str_eq(at("duration", -1, NULL), "\"say \\\"hi\\\"\\\\\"");
	SET_OK("duration=");
	ck_assert_str_eq(at("duration", -1, NULL), "\"\"");
	SET_OK("services[1]={\"serviceName\": \"batch\", \"desiredCount\": 3}");
	ck_assert_str_eq(at("services", 1, "serviceName"), "\"batch\"");
	/* a value set whole can be set into */
	SET_OK("services[batch].desiredCount=4");
	ck_assert_str_eq(at("services", 1, "desiredCount"), "4");
	/* a new member where the object exists */
	SET_OK("services[api].launchType=FARGATE");
	ck_assert_str_eq(at("services", 0, "launchType"), "\"FARGATE\"");
	SET_OK("services[0].deploymentConfiguration.alarms=null");
}
END_TEST

/* An error in a value set on the command line points at the command line,
 * with the path of where the value now is. */
START_TEST(value_errors_point_at_the_set)
{
	ck_assert_int_eq(set(2, "services[api].desiredCount=-1"), 0);
	jr_obj o, so;
	jr_val s, e, dc;
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, "services", &s));
	jr_elem(&s, 0, &e);
	ck_assert_int_eq(jr_object(&e, &so, &err), 0);
	ck_assert(jr_get(&so, "desiredCount", &dc));
	int n;
	CHECK_ERR(jr_int32(&dc, 0, 10, &n, &err), "--set", 2, 28,
	    "services[0].desiredCount",
	    "expected an integer in [0, 10], got -1");
	/* an unknown new key is caught by the reader, at the key */
	ck_assert_int_eq(set(3, "services[api].desiredCont=3"), 0);
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, "services", &s));
	jr_elem(&s, 0, &e);
	ck_assert_int_eq(jr_object(&e, &so, &err), 0);
	(void)jr_get(&so, "serviceName", &dc);
	(void)jr_get(&so, "desiredCount", &dc);
	(void)jr_get(&so, "deploymentConfiguration", &dc);
	CHECK_ERR(jr_done(&so, &err), "--set", 3, 15, "services[0]",
	    "unknown key 'desiredCont'; did you mean 'desiredCount'?");
	/* an element replaced whole: positions inside it */
	ck_assert_int_eq(set(1, "services[1]={\"serviceName\": 5}"), 0);
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, "services", &s));
	jr_elem(&s, 1, &e);
	ck_assert_int_eq(jr_object(&e, &so, &err), 0);
	const char *name;
	ck_assert(jr_get(&so, "serviceName", &dc));
	CHECK_ERR(jr_str(&dc, &name, &err), "--set", 1, 29,
	    "services[1].serviceName", "expected a string, got number");
}
END_TEST

static const struct {
	const char *set;
	int col;
	const char *path, *msg;
} bad[] = {
	{"services[apx].desiredCount=1", 9, "services",
	    "no element is named 'apx'; did you mean 'api'?"},
	{"services[batch].desiredCount=1", 9, "services",
	    "no element is named 'batch' (the names are: api, worker)"},
	{"taskDefinitions[web].cpu=1", 16, "taskDefinitions",
	    "2 elements are named 'web' ([0], [1]): select one by index"},
	{"services[2].desiredCount=1", 9, "services",
	    "index 2 is out of range: the array has 2 elements"},
	{"services.desiredCount=1", 10, "services",
	    "this is an array: select an element with [index] or [name], not "
	    ".desiredCount"},
	{"duration.x=1", 10, "duration",
	    "this is a string: there is nothing in it to select with 'x'"},
	{"services[api].deploymentConfiguraton.maximumPercent=1", 15,
	    "services[0]",
	    "no member 'deploymentConfiguraton'; did you mean "
	    "'deploymentConfiguration'?"},
	{"services[worker].deploymentConfiguration.maximumPercent=1", 18,
	    "services[1]",
	    "no member 'deploymentConfiguration' (only the last part of a path "
	    "may be new; the members are: serviceName, desiredCount)"},
	{"nothere.x=1", 1, "",
	    "no member 'nothere' (only the last part of a path may be new; the "
	    "members are: duration, services, taskDefinitions, targetGroups, "
	    "zones, a.b)"},
	{"services[api]", 14, "", "expected '=' and a value (PATH=VALUE)"},
	{"=5", 1, "", "expected a key (PATH=VALUE)"},
	{"services[api.x=1", 9, "", "'[' is never closed"},
	{"services[]=1", 9, "", "empty []: write an index or a name"},
	{"services..x=1", 10, "", "expected a key after '.'"},
	{"services[0]x=1", 12, "", "expected '.', '[' or '=' after '0', got 'x'"},
	{"services[\"api].x=1", 10, "",
	    "malformed quoted name (a JSON string is expected)"},
	{"services[api].desiredCount={\"a\": 1,}", 35, "",
	    "malformed JSON: trailing comma before '}'"},
	{"services[api].desiredCount=[1", 30, "",
	    "malformed JSON: unexpected end of input"},
};

START_TEST(path_errors)
{
	char before[2048];
	snprintf(before, sizeof(before), "%s", jr_to_json(&root));
	int rc = set(4, bad[_i].set);
	ck_assert_msg(rc == SIM_EINPUT, "%s: accepted", bad[_i].set);
	ck_assert_msg(err.col == bad[_i].col && strcmp(err.msg, bad[_i].msg) == 0 &&
	    strcmp(err.path, bad[_i].path) == 0,
	    "%s:\n got %d: %s: %s\nwant %d: %s: %s", bad[_i].set, err.col,
	    err.path, err.msg, bad[_i].col, bad[_i].path, bad[_i].msg);
	ck_assert_str_eq(err.file, "--set");
	ck_assert_int_eq(err.line, 4);
	/* a failed override leaves the document as it was */
	ck_assert_str_eq(jr_to_json(&root), before);
}
END_TEST

/* services[worker] lives in its own file: the name is found through the
 * reference and the override lands in that file's tree. */
START_TEST(through_file_reference)
{
	ck_assert_int_eq(jr_load_file(L, "tests/data/setpath/main.json", &root,
	    &err), 0);
	SET_OK("services[worker].desiredCount=9");
	jr_obj o, so;
	jr_val s, e, dc;
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, "services", &s));
	jr_elem(&s, 1, &e);
	ck_assert_int_eq(jr_object(&e, &so, &err), 0);
	ck_assert(jr_get(&so, "desiredCount", &dc));
	ck_assert_str_eq(jr_to_json(&dc), "9");
	ck_assert_str_eq(jr_where(&so.v).file, "tests/data/setpath/svc.json");
	ck_assert_str_eq(jr_where(&dc).file, "--set");
	/* the other members keep their file positions */
	ck_assert(jr_get(&so, "serviceName", &dc));
	jr_pos p = jr_where(&dc);
	ck_assert_str_eq(p.file, "tests/data/setpath/svc.json");
	ck_assert_int_eq(p.col, 17);
}
END_TEST

Suite *
setpath_suite(void)
{
	Suite *s = suite_create("setpath");
	TCase *tc = tcase_create("setpath");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, by_name_and_index);
	tcase_add_test(tc, values);
	tcase_add_test(tc, value_errors_point_at_the_set);
	tcase_add_loop_test(tc, path_errors, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, through_file_reference);
	suite_add_tcase(s, tc);
	return s;
}
