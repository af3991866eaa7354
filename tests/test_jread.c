/*
 * Tests for jread: the exact message, line, column and JSON path a user
 * sees for each way a scenario file can be wrong, and the values read
 * when it is right. Fixtures for {"file": ...} references live in
 * tests/data/jread/.
 */
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/jread.h"
#include "tests/suites.h"

#define DIR "tests/data/jread/"

static arena *A;
static jr_loader *L;
static sim_error err;

static void
setup(void)
{
	A = arena_new();
	L = jr_loader_new(A);
	sim_error_clear(&err);
}

static void
teardown(void)
{
	jr_loader_free(L);
	arena_free(A);
}

/* Parse text named "t.json"; the test fails if it is malformed. */
static jr_val
load(const char *text)
{
	jr_val root;
	int rc = jr_load_text(L, "t.json", text, &root, &err);
	ck_assert_msg(rc == 0, "unexpected error: %s", err.msg);
	return root;
}

/* rc is an error and err holds exactly this. */
#define CHECK_ERR(rc, file_, line_, col_, path_, msg_) do { \
	ck_assert_int_eq((rc), SIM_EINPUT); \
	ck_assert_int_eq(err.code, SIM_EINPUT); \
	ck_assert_str_eq(err.file, (file_)); \
	ck_assert_int_eq(err.line, (line_)); \
	ck_assert_int_eq(err.col, (col_)); \
	ck_assert_str_eq(err.path, (path_)); \
	ck_assert_str_eq(err.msg, (msg_)); \
} while (0)

#define OBJ(v, o) ck_assert_int_eq(jr_object((v), (o), &err), 0)
#define GET(o, k, v) ck_assert_msg(jr_get((o), (k), (v)), "no key %s", (k))

/* ---- malformed JSON ---- */

static const struct {
	const char *text;
	int line, col;
	const char *why;
} malformed[] = {
	/* trailing commas are reported at the comma */
	{"{\n  \"a\": 1,\n}\n", 2, 9, "trailing comma before '}'"},
	{"[1, 2,]", 1, 6, "trailing comma before ']'"},
	{"{\"a\": }", 1, 7, "expected a value, got '}'"},
	{"[1, , 2]", 1, 5, "expected a value, got ','"},
	/* an unterminated string is reported at its opening quote */
	{"{\n  \"name\": \"web\n}\n", 2, 11, "unterminated string"},
	{"{\"a\": \"abc", 1, 7, "unterminated string"},
	{"{\"a\": [1, 2", 1, 12, "unexpected end of input"},
	{"", 1, 1, "unexpected end of input"},
	{"  \n", 2, 1, "unexpected end of input"},
	{"{\"a\" 1}", 1, 6, "expected ':' after the key, got '1'"},
	{"{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}', got '\"'"},
	{"{'a': 1}", 1, 2, "expected a string key, got \"'\""},
	{"[1 2]", 1, 4, "expected ',' or ']', got '2'"},
	{"[01]", 1, 2, "invalid number: leading zero"},
	{"[1.]", 1, 4, "invalid number: expected a digit after '.'"},
	{"[-x]", 1, 3, "invalid number: expected a digit after '-'"},
	{"[1e+]", 1, 5, "invalid number: expected a digit in the exponent"},
	{"[+1]", 1, 2, "expected a value, got '+'"},
	{"[NaN]", 1, 2, "expected a value, got 'N'"},
	{"[tru]", 1, 2, "invalid literal (expected true, false or null)"},
	{"{\"a\": \"x\\qy\"}", 1, 9, "invalid escape '\\q'"},
	{"[\"\\u12G4\"]", 1, 3, "invalid \\u escape (expected 4 hex digits)"},
	{"[\"\\ud800x\"]", 1, 3, "unpaired surrogate \\ud800"},
	{"[\"\\udc00\"]", 1, 3, "unpaired surrogate \\udc00"},
	{"[\"a\tb\"]", 1, 4,
	    "control character 0x09 in string (write it as \\u0009)"},
	{"[1,\f2]", 1, 4, "expected a value, got byte 0x0c"},
	{"{} x", 1, 4, "expected end of input after the top-level value, got 'x'"},
	{"{\"a\": 1}\n\n  ]", 3, 3,
	    "expected end of input after the top-level value, got ']'"},
	/* columns count bytes, including a byte order mark */
	{"\xEF\xBB\xBF{\"a\": x}", 1, 10, "expected a value, got 'x'"},
};

START_TEST(test_malformed)
{
	jr_val root;
	char want[256];
	snprintf(want, sizeof(want), "malformed JSON: %s", malformed[_i].why);
	CHECK_ERR(jr_load_text(L, "t.json", malformed[_i].text, &root, &err),
	    "t.json", malformed[_i].line, malformed[_i].col, "", want);
}
END_TEST

START_TEST(test_malformed_format)
{
	jr_val root;
	char buf[512];
	ck_assert_int_eq(jr_load_text(L, "s.json", "{\n  \"a\": 1,\n}", &root,
	    &err), SIM_EINPUT);
	sim_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "s.json:2:9: malformed JSON: trailing comma before '}'");
}
END_TEST

START_TEST(test_nesting_limit)
{
	char text[2 * 1001 + 1];
	jr_val root;
	/* 1000 levels is cJSON's limit and accepted ... */
	memset(text, '[', 1000);
	memset(text + 1000, ']', 1000);
	text[2000] = '\0';
	load(text);
	/* ... 1001 is not, reported at the bracket that goes too deep */
	memset(text, '[', 1001);
	memset(text + 1001, ']', 1001);
	text[2002] = '\0';
	CHECK_ERR(jr_load_text(L, "t.json", text, &root, &err), "t.json", 1,
	    1001, "", "malformed JSON: nesting deeper than 1000 levels");
}
END_TEST

START_TEST(test_nul_byte)
{
	char path[] = "/tmp/jread-nul-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "{\"a\": 1}\0{}", 11), 11);
	close(fd);
	jr_val root;
	int rc = jr_load_file(L, path, &root, &err);
	unlink(path);
	CHECK_ERR(rc, path, 1, 9, "",
	    "malformed JSON: expected end of input after the top-level value, got byte 0x00");
}
END_TEST

/* ---- types and scalars ---- */

START_TEST(test_wrong_type)
{
	jr_val root = load("{\n"
	    " \"i\": \"5\",\n"
	    " \"n\": true,\n"
	    " \"o\": [],\n"
	    " \"s\": null,\n"
	    " \"b\": 0,\n"
	    " \"a\": {},\n"
	    " \"d\": false\n"
	    "}");
	jr_obj o;
	jr_val v;
	int64_t i;
	double d;
	bool b;
	const char *s;
	int n;
	sim_time t;
	jr_obj sub;
	static const char *const names[] = {"X"};
	OBJ(&root, &o);
	GET(&o, "i", &v);
	ck_assert_str_eq(jr_type_name(&v), "string");
	CHECK_ERR(jr_int(&v, 0, 10, &i, &err), "t.json", 2, 7, "i",
	    "expected an integer, got string");
	GET(&o, "n", &v);
	ck_assert_str_eq(jr_type_name(&v), "boolean");
	CHECK_ERR(jr_num(&v, 0, 1, &d, &err), "t.json", 3, 7, "n",
	    "expected a number, got boolean");
	GET(&o, "o", &v);
	ck_assert_str_eq(jr_type_name(&v), "array");
	CHECK_ERR(jr_object(&v, &sub, &err), "t.json", 4, 7, "o",
	    "expected an object, got array");
	/* null means absent (test_null_absent); as an element it is a value */
	ck_assert(!jr_get(&o, "s", &v));
	jr_val arr = load("[null]"), e;
	ck_assert_int_eq(jr_array(&arr, &n, &err), 0);
	jr_elem(&arr, 0, &e);
	ck_assert_str_eq(jr_type_name(&e), "null");
	CHECK_ERR(jr_str(&e, &s, &err), "t.json", 1, 2, "[0]",
	    "expected a string, got null");
	CHECK_ERR(jr_enum(&e, names, 1, &n, &err), "t.json", 1, 2, "[0]",
	    "expected a string, got null");
	GET(&o, "b", &v);
	ck_assert_str_eq(jr_type_name(&v), "number");
	CHECK_ERR(jr_bool(&v, &b, &err), "t.json", 6, 7, "b",
	    "expected a boolean, got number");
	GET(&o, "a", &v);
	ck_assert_str_eq(jr_type_name(&v), "object");
	CHECK_ERR(jr_array(&v, &n, &err), "t.json", 7, 7, "a",
	    "expected an array, got object");
	GET(&o, "d", &v);
	CHECK_ERR(jr_duration(&v, 0, SIM_DURATION_MAX, &t, &err), "t.json", 8,
	    7, "d",
	    "expected a duration (seconds or a string like \"90s\"), got boolean");
	ck_assert_int_eq(jr_done(&o, &err), 0);

	/* a top-level error has the empty path */
	root = load("[1]");
	CHECK_ERR(jr_object(&root, &o, &err), "t.json", 1, 1, "",
	    "expected an object, got array");
}
END_TEST

START_TEST(test_integers)
{
	jr_val root = load("{\n"
	    " \"half\": 2.5,\n"
	    " \"low\": 50,\n"
	    " \"big\": 1e12,\n"
	    " \"neg\": -7,\n"
	    " \"huge\": 1e300,\n"
	    " \"exp\": 2e2,\n"
	    " \"inf\": 1e999,\n"
	    " \"max\": 9007199254740991,\n"
	    " \"over\": 9007199254740993\n"
	    "}");
	jr_obj o;
	jr_val v;
	int64_t i = -1;
	int n = -1;
	OBJ(&root, &o);
	GET(&o, "half", &v);
	CHECK_ERR(jr_int(&v, 0, 10, &i, &err), "t.json", 2, 10, "half",
	    "expected an integer, got 2.5");
	GET(&o, "low", &v);
	CHECK_ERR(jr_int(&v, 100, 200, &i, &err), "t.json", 3, 9, "low",
	    "expected an integer in [100, 200], got 50");
	CHECK_ERR(jr_int(&v, 100, INT64_MAX, &i, &err), "t.json", 3, 9, "low",
	    "expected an integer >= 100, got 50");
	CHECK_ERR(jr_int(&v, INT64_MIN, 10, &i, &err), "t.json", 3, 9, "low",
	    "expected an integer <= 10, got 50");
	CHECK_ERR(jr_int32(&v, 100, INT_MAX, &n, &err), "t.json", 3, 9, "low",
	    "expected an integer in [100, 2147483647], got 50");
	ck_assert_int_eq(jr_int(&v, 50, 50, &i, &err), 0);
	ck_assert_int_eq(i, 50);
	/* 1e12 saturates cJSON's valueint; it must be a range error */
	GET(&o, "big", &v);
	CHECK_ERR(jr_int32(&v, 0, INT_MAX, &n, &err), "t.json", 4, 9, "big",
	    "expected an integer in [0, 2147483647], got 1e12");
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(jr_int(&v, 0, INT64_MAX, &i, &err), 0);
	ck_assert(i == INT64_C(1000000000000));
	GET(&o, "neg", &v);
	ck_assert_int_eq(jr_int32(&v, -10, 10, &n, &err), 0);
	ck_assert_int_eq(n, -7);
	GET(&o, "huge", &v);
	CHECK_ERR(jr_int(&v, INT64_MIN, INT64_MAX, &i, &err), "t.json", 6, 10,
	    "huge", "expected an integer of magnitude below 2^53, got 1e300");
	CHECK_ERR(jr_int32(&v, 0, 100, &n, &err), "t.json", 6, 10, "huge",
	    "expected an integer in [0, 100], got 1e300");
	GET(&o, "exp", &v);
	ck_assert_int_eq(jr_int(&v, 0, 1000, &i, &err), 0);
	ck_assert_int_eq(i, 200);
	GET(&o, "inf", &v);
	CHECK_ERR(jr_int(&v, INT64_MIN, INT64_MAX, &i, &err), "t.json", 8, 9,
	    "inf", "expected an integer, got 1e999");
	GET(&o, "max", &v);
	ck_assert_int_eq(jr_int(&v, 0, INT64_MAX, &i, &err), 0);
	ck_assert(i == INT64_C(9007199254740991));
	/* 2^53 + 1 reads as 2^53: not exact, rejected */
	GET(&o, "over", &v);
	CHECK_ERR(jr_int(&v, 0, INT64_MAX, &i, &err), "t.json", 10, 10, "over",
	    "expected an integer of magnitude below 2^53, got 9007199254740993");
}
END_TEST

START_TEST(test_numbers)
{
	jr_val root = load("{\n"
	    " \"r\": 1.5,\n"
	    " \"ok\": 0.25,\n"
	    " \"i\": 3,\n"
	    " \"inf\": -1e999\n"
	    "}");
	jr_obj o;
	jr_val v;
	double d = -1;
	OBJ(&root, &o);
	GET(&o, "r", &v);
	CHECK_ERR(jr_num(&v, 0, 1, &d, &err), "t.json", 2, 7, "r",
	    "expected a number in [0, 1], got 1.5");
	CHECK_ERR(jr_num(&v, 2, DBL_MAX, &d, &err), "t.json", 2, 7, "r",
	    "expected a number >= 2, got 1.5");
	CHECK_ERR(jr_num(&v, -DBL_MAX, 0.5, &d, &err), "t.json", 2, 7, "r",
	    "expected a number <= 0.5, got 1.5");
	ck_assert(d == -1);
	GET(&o, "ok", &v);
	ck_assert_int_eq(jr_num(&v, 0, 1, &d, &err), 0);
	ck_assert(d == 0.25);
	GET(&o, "i", &v);
	ck_assert_int_eq(jr_num(&v, 0, 10, &d, &err), 0);
	ck_assert(d == 3.0);
	GET(&o, "inf", &v);
	CHECK_ERR(jr_num(&v, -DBL_MAX, DBL_MAX, &d, &err), "t.json", 5, 9,
	    "inf", "expected a finite number, got -1e999");
}
END_TEST

START_TEST(test_enum)
{
	static const char *const names[] = {"ROLLING", "BLUE_GREEN"};
	jr_val root = load("[\"ROLING\", \"rolling\", \"CANARY\", \"BLUE_GREEN\"]");
	jr_val v;
	int n, idx = -1;
	ck_assert_int_eq(jr_array(&root, &n, &err), 0);
	ck_assert_int_eq(n, 4);
	jr_elem(&root, 0, &v);
	CHECK_ERR(jr_enum(&v, names, 2, &idx, &err), "t.json", 1, 2, "[0]",
	    "expected one of \"ROLLING\", \"BLUE_GREEN\", got \"ROLING\"; did you mean \"ROLLING\"?");
	jr_elem(&root, 1, &v);
	CHECK_ERR(jr_enum(&v, names, 2, &idx, &err), "t.json", 1, 12, "[1]",
	    "expected one of \"ROLLING\", \"BLUE_GREEN\", got \"rolling\"; did you mean \"ROLLING\"?");
	jr_elem(&root, 2, &v);
	CHECK_ERR(jr_enum(&v, names, 2, &idx, &err), "t.json", 1, 23, "[2]",
	    "expected one of \"ROLLING\", \"BLUE_GREEN\", got \"CANARY\"");
	ck_assert_int_eq(idx, -1);
	jr_elem(&root, 3, &v);
	ck_assert_int_eq(jr_enum(&v, names, 2, &idx, &err), 0);
	ck_assert_int_eq(idx, 1);
}
END_TEST

START_TEST(test_durations)
{
	jr_val root = load("{\n"
	    " \"n\": 90,\n"
	    " \"f\": 1.5,\n"
	    " \"s\": \"90s\",\n"
	    " \"hm\": \"1h30m\",\n"
	    " \"bad\": \"5x\",\n"
	    " \"big\": \"5m\",\n"
	    " \"neg\": -5,\n"
	    " \"frac\": \"1.5s\",\n"
	    " \"long\": 1e12\n"
	    "}");
	jr_obj o;
	jr_val v;
	sim_time t = -1;
	OBJ(&root, &o);
	GET(&o, "n", &v);
	ck_assert_int_eq(jr_duration(&v, 0, SIM_DURATION_MAX, &t, &err), 0);
	ck_assert(t == 90 * SIM_SEC);
	GET(&o, "f", &v);
	ck_assert_int_eq(jr_duration(&v, 0, SIM_DURATION_MAX, &t, &err), 0);
	ck_assert(t == 1500 * SIM_MS);
	GET(&o, "s", &v);
	ck_assert_int_eq(jr_duration(&v, 0, SIM_DURATION_MAX, &t, &err), 0);
	ck_assert(t == 90 * SIM_SEC);
	GET(&o, "hm", &v);
	ck_assert_int_eq(jr_duration(&v, 0, SIM_DURATION_MAX, &t, &err), 0);
	ck_assert(t == 90 * SIM_MIN);
	t = -1;
	GET(&o, "bad", &v);
	CHECK_ERR(jr_duration(&v, 0, SIM_DURATION_MAX, &t, &err), "t.json", 6,
	    9, "bad",
	    "invalid duration: unknown unit \"x\" in \"5x\" (use d, h, m, s or ms)");
	GET(&o, "big", &v);
	CHECK_ERR(jr_duration(&v, 0, SIM_MIN, &t, &err), "t.json", 7, 9, "big",
	    "duration 5m is out of range [0s, 1m]");
	GET(&o, "neg", &v);
	CHECK_ERR(jr_duration(&v, 0, SIM_DURATION_MAX, &t, &err), "t.json", 8,
	    9, "neg", "invalid duration: negative duration -5");
	GET(&o, "frac", &v);
	CHECK_ERR(jr_duration(&v, 0, SIM_DURATION_MAX, &t, &err), "t.json", 9,
	    10, "frac",
	    "invalid duration: fractional component in \"1.5s\" (use a smaller unit, e.g. 90s)");
	GET(&o, "long", &v);
	CHECK_ERR(jr_duration(&v, 0, SIM_TIME_MAX, &t, &err), "t.json", 10, 10,
	    "long", "invalid duration: duration 1e12 is too long (at most 3660d)");
	ck_assert(t == -1);
}
END_TEST

/* ---- objects ---- */

START_TEST(test_unknown_key)
{
	jr_val root = load("{\n"
	    "  \"services\": [\n"
	    "    {\n"
	    "      \"family\": \"web\",\n"
	    "      \"desiredCont\": 3\n"
	    "    }\n"
	    "  ]\n"
	    "}");
	jr_obj o, so;
	jr_val v, e;
	const char *s;
	OBJ(&root, &o);
	GET(&o, "services", &v);
	jr_elem(&v, 0, &e);
	OBJ(&e, &so);
	ck_assert_int_eq(jr_req_str(&so, "family", &s, &err), 0);
	ck_assert_str_eq(s, "web");
	ck_assert(!jr_get(&so, "desiredCount", &v));
	CHECK_ERR(jr_done(&so, &err), "t.json", 5, 7, "services[0]",
	    "unknown key 'desiredCont'; did you mean 'desiredCount'?");

	/* no known key is close */
	root = load("{\"family\": \"web\", \"foo\": 1}");
	OBJ(&root, &o);
	ck_assert(jr_get(&o, "family", &v));
	ck_assert(!jr_get(&o, "cpu", &v));
	CHECK_ERR(jr_done(&o, &err), "t.json", 1, 19, "", "unknown key 'foo'");
}
END_TEST

START_TEST(test_unknown_key_order)
{
	jr_val root = load("{\"zzz\": 1, \"aaa\": 2, \"mat\": 3, \"Name\": 4}");
	jr_obj o;
	jr_val v;
	OBJ(&root, &o);
	/* the first unconsumed member in file order */
	CHECK_ERR(jr_done(&o, &err), "t.json", 1, 2, "", "unknown key 'zzz'");
	ck_assert(jr_get(&o, "zzz", &v));
	CHECK_ERR(jr_done(&o, &err), "t.json", 1, 12, "", "unknown key 'aaa'");
	jr_ignore(&o, "aaa");
	/* ties go to the first known key */
	ck_assert(!jr_get(&o, "cat", &v));
	ck_assert(!jr_get(&o, "bat", &v));
	CHECK_ERR(jr_done(&o, &err), "t.json", 1, 22, "",
	    "unknown key 'mat'; did you mean 'cat'?");
	ck_assert(jr_get(&o, "mat", &v));
	/* jr_get is case-sensitive; a case-only miss is suggested */
	ck_assert(!jr_get(&o, "name", &v));
	CHECK_ERR(jr_done(&o, &err), "t.json", 1, 32, "",
	    "unknown key 'Name'; did you mean 'name'? (CloudFormation property "
	    "names are PascalCase; the API's JSON is camelCase)");
	ck_assert(jr_get(&o, "Name", &v));
	ck_assert_int_eq(jr_done(&o, &err), 0);
}
END_TEST

START_TEST(test_duplicate_key)
{
	jr_val root = load("{\n"
	    "  \"desiredCount\": 1,\n"
	    "  \"family\": \"web\",\n"
	    "  \"desiredCount\": 2\n"
	    "}");
	jr_obj o;
	jr_val v;
	CHECK_ERR(jr_object(&root, &o, &err), "t.json", 4, 3, "",
	    "duplicate key 'desiredCount' (first at line 2, column 3)");

	root = load("{\"svc\": {\"x\": 1, \"x\": 2}}");
	OBJ(&root, &o);
	GET(&o, "svc", &v);
	jr_obj so;
	CHECK_ERR(jr_object(&v, &so, &err), "t.json", 1, 18, "svc",
	    "duplicate key 'x' (first at line 1, column 10)");
}
END_TEST

START_TEST(test_missing_key)
{
	jr_val root = load("{\n"
	    "  \"taskDefinition\": {\n"
	    "    \"cpu\": 256\n"
	    "  }\n"
	    "}");
	jr_obj o, td;
	jr_val v;
	const char *s = NULL;
	OBJ(&root, &o);
	GET(&o, "taskDefinition", &v);
	OBJ(&v, &td);
	CHECK_ERR(jr_req_str(&td, "family", &s, &err), "t.json", 2, 21,
	    "taskDefinition", "missing required key 'family'");
	ck_assert_ptr_null(s);
	CHECK_ERR(jr_need(&o, "services", &v, &err), "t.json", 1, 1, "",
	    "missing required key 'services'");
}
END_TEST

START_TEST(test_too_many_members)
{
	char text[2048];
	size_t n = 0;
	jr_val root;
	jr_obj o;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "{");
	for (int i = 0; i < JR_MAX_KEYS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"k%d\": %d",
		    i ? ", " : "", i, i);
	snprintf(text + n, sizeof(text) - n, "}");
	root = load(text);
	OBJ(&root, &o);
	ck_assert_int_eq(jr_member_count(&o), JR_MAX_KEYS);

	snprintf(text + n, sizeof(text) - n, ", \"k96\": 96}");
	root = load(text);
	CHECK_ERR(jr_object(&root, &o, &err), "t.json", 1, 1, "",
	    "object has more than 96 members");
}
END_TEST

START_TEST(test_paths)
{
	jr_val root = load("{\n"
	    "  \"a\": [\n"
	    "    {\"b\": 1},\n"
	    "    {\"b\": \"x\"}\n"
	    "  ],\n"
	    "  \"weird key\": {\"c d\": true}\n"
	    "}");
	jr_obj o, eo, wo;
	jr_val a, e, v;
	int n;
	int64_t i;
	char buf[512];
	OBJ(&root, &o);
	GET(&o, "a", &a);
	ck_assert_int_eq(jr_array(&a, &n, &err), 0);
	ck_assert_int_eq(n, 2);
	jr_elem(&a, 0, &e);
	OBJ(&e, &eo);
	ck_assert_int_eq(jr_req_int(&eo, "b", 0, 10, &i, &err), 0);
	ck_assert_int_eq(i, 1);
	jr_elem(&a, 1, &e);
	OBJ(&e, &eo);
	GET(&eo, "b", &v);
	CHECK_ERR(jr_int(&v, 0, 10, &i, &err), "t.json", 4, 11, "a[1].b",
	    "expected an integer, got string");
	sim_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "t.json:4:11: a[1].b: expected an integer, got string");

	GET(&o, "weird key", &v);
	OBJ(&v, &wo);
	GET(&wo, "c d", &v);
	CHECK_ERR(jr_int(&v, 0, 10, &i, &err), "t.json", 6, 24,
	    "[\"weird key\"][\"c d\"]", "expected an integer, got boolean");

	/* a top-level array */
	root = load("[0, [1, \"x\"]]");
	jr_elem(&root, 1, &a);
	jr_elem(&a, 1, &e);
	CHECK_ERR(jr_int(&e, 0, 10, &i, &err), "t.json", 1, 9, "[1][1]",
	    "expected an integer, got string");
}
END_TEST

START_TEST(test_where)
{
	jr_val root = load("{\"a\": [\n  {\"b\": 7}\n]}");
	jr_obj o, eo;
	jr_val a, e, v;
	OBJ(&root, &o);
	GET(&o, "a", &a);
	jr_elem(&a, 0, &e);
	OBJ(&e, &eo);
	GET(&eo, "b", &v);
	jr_pos p = jr_where(&v);
	jr_pos top = jr_where(&root);
	/* the strings belong to the arena, not the loader */
	jr_loader_free(L);
	L = NULL;
	ck_assert_str_eq(p.file, "t.json");
	ck_assert_int_eq(p.line, 2);
	ck_assert_int_eq(p.col, 9);
	ck_assert_str_eq(p.path, "a[0].b");
	ck_assert_str_eq(top.path, "");
	ck_assert_int_eq(top.line, 1);
	ck_assert_int_eq(top.col, 1);
	CHECK_ERR(jr_fail_at(&p, &err, "unknown cluster '%s'", "prod"),
	    "t.json", 2, 9, "a[0].b", "unknown cluster 'prod'");
}
END_TEST

START_TEST(test_fail)
{
	jr_val root = load("{\"image\": \"nginx\"}");
	jr_obj o;
	jr_val v;
	OBJ(&root, &o);
	GET(&o, "image", &v);
	CHECK_ERR(jr_fail(&v, &err, "image '%s' is not in the registry",
	    "nginx"), "t.json", 1, 11, "image",
	    "image 'nginx' is not in the registry");
}
END_TEST

START_TEST(test_optional)
{
	static const char *const names[] = {"ROLLING", "BLUE_GREEN"};
	jr_val root = load("{\"b\": true, \"i\": 7, \"i32\": 8, \"n\": 0.5, "
	    "\"s\": \"x\", \"e\": \"BLUE_GREEN\", \"d\": \"2m\"}");
	jr_obj o;
	bool b;
	int64_t i;
	int i32, e;
	double n;
	const char *s;
	sim_time d;
	OBJ(&root, &o);
	/* absent: the default */
	ck_assert_int_eq(jr_opt_bool(&o, "B", false, &b, &err), 0);
	ck_assert(!b);
	ck_assert_int_eq(jr_opt_int(&o, "I", 0, 100, 42, &i, &err), 0);
	ck_assert_int_eq(i, 42);
	ck_assert_int_eq(jr_opt_int32(&o, "I32", 0, 100, 43, &i32, &err), 0);
	ck_assert_int_eq(i32, 43);
	ck_assert_int_eq(jr_opt_num(&o, "N", 0, 1, 0.75, &n, &err), 0);
	ck_assert(n == 0.75);
	ck_assert_int_eq(jr_opt_str(&o, "S", NULL, &s, &err), 0);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(jr_opt_enum(&o, "E", names, 2, 0, &e, &err), 0);
	ck_assert_int_eq(e, 0);
	ck_assert_int_eq(jr_opt_duration(&o, "D", 0, SIM_HOUR, 5 * SIM_SEC, &d,
	    &err), 0);
	ck_assert(d == 5 * SIM_SEC);
	/* present: the value */
	ck_assert_int_eq(jr_opt_bool(&o, "b", false, &b, &err), 0);
	ck_assert(b);
	ck_assert_int_eq(jr_opt_int(&o, "i", 0, 100, 42, &i, &err), 0);
	ck_assert_int_eq(i, 7);
	ck_assert_int_eq(jr_opt_int32(&o, "i32", 0, 100, 43, &i32, &err), 0);
	ck_assert_int_eq(i32, 8);
	ck_assert_int_eq(jr_opt_num(&o, "n", 0, 1, 0.75, &n, &err), 0);
	ck_assert(n == 0.5);
	ck_assert_int_eq(jr_opt_str(&o, "s", "dflt", &s, &err), 0);
	ck_assert_str_eq(s, "x");
	ck_assert_int_eq(jr_opt_enum(&o, "e", names, 2, 0, &e, &err), 0);
	ck_assert_int_eq(e, 1);
	ck_assert_int_eq(jr_opt_duration(&o, "d", 0, SIM_HOUR, 5 * SIM_SEC, &d,
	    &err), 0);
	ck_assert(d == 2 * SIM_MIN);
	ck_assert_int_eq(jr_done(&o, &err), 0);
	/* present and wrong: the error */
	CHECK_ERR(jr_opt_int(&o, "i", 10, 100, 42, &i, &err), "t.json", 1, 18,
	    "i", "expected an integer in [10, 100], got 7");
}
END_TEST

START_TEST(test_required)
{
	static const char *const names[] = {"EC2", "FARGATE"};
	jr_val root = load("{\"i\": 7, \"i32\": 8, \"n\": 0.5, \"s\": \"x\", "
	    "\"e\": \"FARGATE\", \"d\": 30}");
	jr_obj o;
	int64_t i;
	int i32, e;
	double n;
	const char *s;
	sim_time d;
	OBJ(&root, &o);
	ck_assert_int_eq(jr_req_int(&o, "i", 0, 10, &i, &err), 0);
	ck_assert_int_eq(i, 7);
	ck_assert_int_eq(jr_req_int32(&o, "i32", 0, 10, &i32, &err), 0);
	ck_assert_int_eq(i32, 8);
	ck_assert_int_eq(jr_req_num(&o, "n", 0, 1, &n, &err), 0);
	ck_assert(n == 0.5);
	ck_assert_int_eq(jr_req_str(&o, "s", &s, &err), 0);
	ck_assert_str_eq(s, "x");
	ck_assert_int_eq(jr_req_enum(&o, "e", names, 2, &e, &err), 0);
	ck_assert_int_eq(e, 1);
	ck_assert_int_eq(jr_req_duration(&o, "d", 0, SIM_HOUR, &d, &err), 0);
	ck_assert(d == 30 * SIM_SEC);
	ck_assert_int_eq(jr_done(&o, &err), 0);
	CHECK_ERR(jr_req_int(&o, "x", 0, 10, &i, &err), "t.json", 1, 1, "",
	    "missing required key 'x'");
	CHECK_ERR(jr_req_int32(&o, "x", 0, 10, &i32, &err), "t.json", 1, 1, "",
	    "missing required key 'x'");
	CHECK_ERR(jr_req_num(&o, "x", 0, 1, &n, &err), "t.json", 1, 1, "",
	    "missing required key 'x'");
	CHECK_ERR(jr_req_enum(&o, "x", names, 2, &e, &err), "t.json", 1, 1, "",
	    "missing required key 'x'");
	CHECK_ERR(jr_req_duration(&o, "x", 0, SIM_HOUR, &d, &err), "t.json", 1,
	    1, "", "missing required key 'x'");
}
END_TEST

START_TEST(test_members)
{
	jr_val root = load("{\"web\": 1, \"api\": \"two\", \"db\": 3}");
	static const char *const keys[] = {"web", "api", "db"};
	jr_obj o;
	jr_val v;
	int64_t i;
	OBJ(&root, &o);
	ck_assert_int_eq(jr_member_count(&o), 3);
	for (int k = 0; k < 3; k++) {
		ck_assert(jr_member(&o, k, &v));
		ck_assert_str_eq(v.key, keys[k]);
		ck_assert_int_eq(v.index, -1);
		ck_assert_ptr_eq(v.L, L);
	}
	ck_assert(!jr_member(&o, 3, &v));
	ck_assert(!jr_member(&o, -1, &v));
	/* every member was consumed */
	ck_assert_int_eq(jr_done(&o, &err), 0);
	ck_assert(jr_member(&o, 2, &v));
	ck_assert_int_eq(jr_int(&v, 0, 10, &i, &err), 0);
	ck_assert_int_eq(i, 3);
	ck_assert(jr_member(&o, 1, &v));
	CHECK_ERR(jr_int(&v, 0, 10, &i, &err), "t.json", 1, 19, "api",
	    "expected an integer, got string");
}
END_TEST

START_TEST(test_long_array)
{
	/* enough nodes to grow the position table many times; ten
	 * elements per line: "0, 1, ..." then "10, 11, ..." */
	enum { N = 3000 };
	char *text = malloc(N * 8 + 16);
	size_t n = 0;
	jr_val root, v;
	int count;
	int64_t x;
	text[n++] = '[';
	for (int i = 0; i < N; i++) {
		if (i > 0)
			n += (size_t)sprintf(text + n, i % 10 == 0 ? ",\n" : ", ");
		n += (size_t)sprintf(text + n, "%d", i);
	}
	text[n++] = ']';
	text[n] = '\0';
	root = load(text);
	free(text);
	ck_assert_int_eq(jr_array(&root, &count, &err), 0);
	ck_assert_int_eq(count, N);
	for (int i = 0; i < N; i += 97) {
		jr_elem(&root, i, &v);
		ck_assert_int_eq(jr_int(&v, 0, N, &x, &err), 0);
		ck_assert_int_eq(x, i);
		ck_assert_int_eq(jr_where(&v).line, 1 + i / 10);
	}
	/* line 300 is "2990, 2991, ..., 2999]": 2999 is at column 55 */
	jr_elem(&root, N - 1, &v);
	CHECK_ERR(jr_int(&v, 0, 10, &x, &err), "t.json", 300, 55, "[2999]",
	    "expected an integer in [0, 10], got 2999");
}
END_TEST

START_TEST(test_to_json)
{
	jr_val root = load("{ \"a\" : [1, 2.5, {\"b\": null}],\n \"s\": \"x\\n\" ,"
	    " \"t\": true }");
	jr_obj o;
	jr_val v;
	OBJ(&root, &o);
	ck_assert_str_eq(jr_to_json(&root),
	    "{\"a\":[1,2.5,{\"b\":null}],\"s\":\"x\\n\",\"t\":true}");
	GET(&o, "a", &v);
	ck_assert_str_eq(jr_to_json(&v), "[1,2.5,{\"b\":null}]");
}
END_TEST

START_TEST(test_str_in_arena)
{
	jr_val root = load("{\"name\": \"web\"}");
	jr_obj o;
	const char *s;
	OBJ(&root, &o);
	ck_assert_int_eq(jr_req_str(&o, "name", &s, &err), 0);
	ck_assert_ptr_eq(jr_arena(L), A);
	jr_loader_free(L);
	L = NULL;
	ck_assert_str_eq(s, "web");
}
END_TEST

START_TEST(test_edit_distance)
{
	char a[101], b[101];
	ck_assert_int_eq(jr_edit_distance("kitten", "sitting", 5), 3);
	ck_assert_int_eq(jr_edit_distance("kitten", "sitting", 2), 3);
	ck_assert_int_eq(jr_edit_distance("kitten", "sitting", 1), 2);
	ck_assert_int_eq(jr_edit_distance("abc", "abc", 2), 0);
	ck_assert_int_eq(jr_edit_distance("", "abc", 5), 3);
	ck_assert_int_eq(jr_edit_distance("abc", "", 1), 2);
	ck_assert_int_eq(jr_edit_distance("flaw", "lawn", 5), 2);
	ck_assert_int_eq(jr_edit_distance("desiredCont", "desiredCount", 2), 1);
	ck_assert_int_eq(jr_edit_distance("ab", "ba", 2), 2);
	memset(a, 'a', 100);
	memset(b, 'a', 100);
	a[100] = b[100] = '\0';
	b[50] = 'b';
	ck_assert_int_eq(jr_edit_distance(a, b, 2), 1);
	b[99] = '\0';
	ck_assert_int_eq(jr_edit_distance(a, b, 2), 2);
	b[98] = '\0';
	ck_assert_int_eq(jr_edit_distance(a, b, 2), 3);
}
END_TEST

/* ---- files and references ---- */

START_TEST(test_ref_resolve)
{
	jr_val root, v;
	jr_obj o, so, ao, lo;
	const char *s;
	int64_t i;
	ck_assert_int_eq(jr_load_file(L, DIR "main.json", &root, &err), 0);
	OBJ(&root, &o);
	GET(&o, "service", &v);
	OBJ(&v, &so);
	ck_assert_int_eq(jr_req_str(&so, "name", &s, &err), 0);
	ck_assert_str_eq(s, "web");
	/* a reference inside sub/svc.json is relative to sub/ */
	GET(&so, "limits", &v);
	OBJ(&v, &lo);
	ck_assert_int_eq(jr_req_int(&lo, "cpu", 0, 1024, &i, &err), 0);
	ck_assert_int_eq(i, 256);
	/* errors name the referenced file, its line, and the whole path */
	GET(&lo, "memory", &v);
	CHECK_ERR(jr_int(&v, 0, 1024, &i, &err), DIR "sub/limits.json", 3, 13,
	    "service.limits.memory", "expected an integer, got string");
	CHECK_ERR(jr_need(&so, "image", &v, &err), DIR "sub/svc.json", 1, 1,
	    "service", "missing required key 'image'");
	ck_assert(jr_get(&so, "limits", &v));
	ck_assert_int_eq(jr_done(&so, &err), 0);
	/* a file referenced twice is read once */
	GET(&o, "again", &v);
	OBJ(&v, &ao);
	ck_assert_ptr_eq(ao.v.doc, so.v.doc);
	ck_assert_ptr_eq(ao.v.node, so.v.node);
	ck_assert_str_eq(ao.v.key, "again");
	ck_assert_int_eq(jr_done(&o, &err), 0);
	/* loading the top file again also hits the cache */
	jr_val root2;
	ck_assert_int_eq(jr_load_file(L, "./" DIR "main.json", &root2, &err), 0);
	ck_assert_ptr_eq(root2.node, root.node);
}
END_TEST

START_TEST(test_ref_absolute)
{
	char cwd[1024], text[1400];
	jr_val root, v;
	jr_obj o, lo;
	int64_t i;
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(text, sizeof(text), "{\"x\": {\"file\": \"%s/%ssub/limits.json\"}}",
	    cwd, DIR);
	root = load(text);
	OBJ(&root, &o);
	GET(&o, "x", &v);
	OBJ(&v, &lo);
	ck_assert_int_eq(jr_req_int(&lo, "cpu", 0, 1024, &i, &err), 0);
	ck_assert_int_eq(i, 256);
	snprintf(text, sizeof(text), "%s/%ssub/limits.json", cwd, DIR);
	ck_assert_str_eq(jr_where(&lo.v).file, text);
}
END_TEST

START_TEST(test_ref_errors)
{
	jr_val root, v;
	jr_obj o, ro;
	/* references in text resolve against the directory of its name */
	ck_assert_int_eq(jr_load_text(L, DIR "inline.json",
	    "{\n  \"x\": {\"file\": \"nope.json\"},\n"
	    "  \"y\": {\"file\": 3},\n"
	    "  \"z\": {\"file\": \"array.json\"},\n"
	    "  \"w\": {\"file\": \"bad.json\"},\n"
	    "  \"d\": {\"file\": \"sub\"}\n}", &root, &err), 0);
	OBJ(&root, &o);
	GET(&o, "x", &v);
	CHECK_ERR(jr_object(&v, &ro, &err), DIR "inline.json", 2, 17, "x.file",
	    "cannot read referenced file 'nope.json': No such file or directory");
	GET(&o, "y", &v);
	CHECK_ERR(jr_object(&v, &ro, &err), DIR "inline.json", 3, 17, "y.file",
	    "expected a string, got number");
	GET(&o, "z", &v);
	CHECK_ERR(jr_object(&v, &ro, &err), DIR "array.json", 1, 1, "z",
	    "expected an object, got array");
	GET(&o, "w", &v);
	CHECK_ERR(jr_object(&v, &ro, &err), DIR "bad.json", 2, 9, "",
	    "malformed JSON: trailing comma before '}'");
	GET(&o, "d", &v);
	CHECK_ERR(jr_object(&v, &ro, &err), DIR "inline.json", 6, 17, "d.file",
	    "cannot read referenced file 'sub': a directory, not a regular file "
	    "(ecsim reads its input only from regular files)");
}
END_TEST

START_TEST(test_ref_cycle)
{
	jr_val root, v;
	jr_obj o, bo, ao;
	ck_assert_int_eq(jr_load_file(L, DIR "cycle_a.json", &root, &err), 0);
	OBJ(&root, &o);
	GET(&o, "next", &v);
	OBJ(&v, &bo);
	GET(&bo, "next", &v);
	CHECK_ERR(jr_object(&v, &ao, &err), DIR "cycle_b.json", 2, 20,
	    "next.next.file", "reference cycle through 'cycle_a.json'");

	/* a file whose root refers to itself */
	ck_assert_int_eq(jr_load_file(L, DIR "self.json", &root, &err), 0);
	CHECK_ERR(jr_object(&root, &o, &err), DIR "self.json", 1, 10, "file",
	    "reference cycle through 'self.json'");
}
END_TEST

START_TEST(test_file_errors)
{
	jr_val root;
	ck_assert_int_eq(jr_load_file(L, DIR "none.json", &root, &err),
	    SIM_EINPUT);
	ck_assert_str_eq(err.file, "");
	ck_assert_int_eq(err.line, 0);
	ck_assert_str_eq(err.msg,
	    "cannot read '" DIR "none.json': No such file or directory");
	ck_assert_int_eq(jr_load_file(L, DIR "bad.json", &root, &err),
	    SIM_EINPUT);
	CHECK_ERR(SIM_EINPUT, DIR "bad.json", 2, 9, "",
	    "malformed JSON: trailing comma before '}'");
}
END_TEST

/* ---- issue 10: what a real file can hold ---- */

/* The error i of L's list, in file order. */
static sim_error
nth_error(size_t i)
{
	sim_errlist l;
	sim_errlist_init(&l);
	jr_errors(L, &l);
	ck_assert_msg(i < l.n, "only %zu errors", l.n);
	sim_error e = l.v[i];
	sim_errlist_fini(&l);
	return e;
}

START_TEST(test_utf8)
{
	jr_val root;
	/* well-formed UTF-8 of 2, 3 and 4 bytes is read as it is */
	root = load("{\"a\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}");
	jr_obj o;
	const char *s;
	OBJ(&root, &o);
	ck_assert_int_eq(jr_req_str(&o, "a", &s, &err), 0);
	ck_assert_str_eq(s, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* every malformed sequence is reported, with its position: Latin-1,
	 * an overlong '/', a UTF-16 surrogate, above U+10FFFF, cut short */
	CHECK_ERR(jr_load_text(L, "u.json", "{\"a\": \"caf\xe9\",\n"
	    " \"b\": \"\xc0\xaf\", \"c\": \"\xed\xa0\x80\",\n"
	    " \"d\": \"\xf4\x90\x80\x80\", \"e\": \"\xe2\x82\"}", &root, &err),
	    "u.json", 1, 11, "",
	    "malformed JSON: invalid UTF-8 (byte 0xe9): JSON text must be UTF-8");
	ck_assert_uint_eq(jr_error_count(L), 5);
	sim_error e = nth_error(1);
	ck_assert_int_eq(e.line, 2);
	ck_assert_int_eq(e.col, 8);
	ck_assert_str_eq(e.msg,
	    "malformed JSON: invalid UTF-8 (byte 0xc0): JSON text must be UTF-8");
	e = nth_error(2);
	ck_assert_int_eq(e.line, 2);
	ck_assert_int_eq(e.col, 19);
	ck_assert_str_eq(e.msg,
	    "malformed JSON: invalid UTF-8 (byte 0xed): JSON text must be UTF-8");
	e = nth_error(3);
	ck_assert_int_eq(e.line, 3);
	ck_assert_int_eq(e.col, 8);
	e = nth_error(4);
	ck_assert_int_eq(e.line, 3);
	ck_assert_int_eq(e.col, 21);
	/* outside a string any such byte is a syntax error */
	CHECK_ERR(jr_load_text(L, "t.json", "{\"a\": 1}\xff", &root, &err),
	    "t.json", 1, 9, "",
	    "malformed JSON: expected end of input after the top-level value, got byte 0xff");
}
END_TEST

START_TEST(test_nul_escape)
{
	jr_val root;
	/* cJSON would keep "web" and drop the rest silently */
	CHECK_ERR(jr_load_text(L, "t.json", "{\"name\": \"web\\u0000evil\"}", &root,
	    &err), "t.json", 1, 14, "",
	    "\\u0000 in a string: strings cannot hold the NUL character (it "
	    "would cut them short)");
	root = load("{\"name\": \"a\\u0001b\"}");
}
END_TEST

START_TEST(test_null_absent)
{
	jr_val root = load("{\"desiredCount\": null, \"cluster\": null,\n"
	    " \"family\": null, \"tags\": null}");
	jr_obj o;
	jr_val v;
	int64_t i = -1;
	const char *s = NULL;
	OBJ(&root, &o);
	ck_assert(!jr_get(&o, "desiredCount", &v));
	ck_assert_int_eq(jr_opt_int(&o, "desiredCount", 0, 10, 1, &i, &err), 0);
	ck_assert_int_eq(i, 1);
	ck_assert_int_eq(jr_opt_str(&o, "cluster", "default", &s, &err), 0);
	ck_assert_str_eq(s, "default");
	CHECK_ERR(jr_req_str(&o, "family", &s, &err), "t.json", 2, 12, "",
	    "missing required key 'family' (it is null)");
	/* a null member nobody asks for is still an unknown key */
	CHECK_ERR(jr_done(&o, &err), "t.json", 2, 18, "", "unknown key 'tags'");
	jr_ignore(&o, "tags");
	ck_assert_int_eq(jr_done(&o, &err), 0);
}
END_TEST

START_TEST(test_ref_any_value)
{
	jr_val root, v, e;
	jr_obj o, co;
	int n;
	int64_t i;
	const char *s;
	/* the Terraform / ecs-cli layout: containerDefinitions in a file */
	ck_assert_int_eq(jr_load_text(L, DIR "inline.json",
	    "{\"containerDefinitions\": {\"file\": \"containers.json\"},\n"
	    " \"cpu\": {\"file\": \"number.json\"}}", &root, &err), 0);
	OBJ(&root, &o);
	GET(&o, "containerDefinitions", &v);
	ck_assert_int_eq(jr_array(&v, &n, &err), 0);
	ck_assert_int_eq(n, 2);
	jr_elem(&v, 1, &e);
	OBJ(&e, &co);
	ck_assert_int_eq(jr_req_str(&co, "name", &s, &err), 0);
	ck_assert_str_eq(s, "side");
	CHECK_ERR(jr_req_str(&co, "image", &s, &err), DIR "containers.json", 3,
	    29, "containerDefinitions[1].image", "expected a string, got number");
	ck_assert_str_eq(jr_to_json(&v),
	    "[{\"name\":\"app\",\"image\":\"web:1\"},{\"name\":\"side\",\"image\":7}]");
	/* a scalar too */
	GET(&o, "cpu", &v);
	ck_assert_int_eq(jr_int(&v, 0, 100, &i, &err), 0);
	ck_assert_int_eq(i, 42);
	CHECK_ERR(jr_str(&v, &s, &err), DIR "number.json", 1, 1, "cpu",
	    "expected a string, got number");
}
END_TEST

START_TEST(test_special_files)
{
	char fifo[] = "/tmp/jread-fifo-XXXXXX";
	jr_val root;
	ck_assert_ptr_nonnull(mkdtemp(fifo));
	char path[64];
	snprintf(path, sizeof(path), "%s/f.json", fifo);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	/* a FIFO nobody writes to: refused at once, not read forever */
	int rc = jr_load_file(L, path, &root, &err);
	unlink(path);
	rmdir(fifo);
	ck_assert_int_eq(rc, SIM_EINPUT);
	char want[256];
	snprintf(want, sizeof(want), "cannot read '%s': a FIFO (named pipe), "
	    "not a regular file (ecsim reads its input only from regular files)",
	    path);
	ck_assert_str_eq(err.msg, want);
	/* /dev/zero would be read until memory runs out */
	ck_assert_int_eq(jr_load_file(L, "/dev/zero", &root, &err), SIM_EINPUT);
	ck_assert_str_eq(err.msg, "cannot read '/dev/zero': a character device, "
	    "not a regular file (ecsim reads its input only from regular files)");
	ck_assert_int_eq(jr_load_file(L, DIR "sub", &root, &err), SIM_EINPUT);
	ck_assert_str_eq(err.msg, "cannot read '" DIR "sub': a directory, not a "
	    "regular file (ecsim reads its input only from regular files)");
}
END_TEST

START_TEST(test_file_size_cap)
{
	char path[] = "/tmp/jread-big-XXXXXX";
	int fd = mkstemp(path);
	jr_val root;
	ck_assert_int_ge(fd, 0);
	/* sparse: 16 MiB and one byte */
	ck_assert_int_eq(ftruncate(fd, (off_t)JR_MAX_FILE_BYTES + 1), 0);
	close(fd);
	int rc = jr_load_file(L, path, &root, &err);
	unlink(path);
	ck_assert_int_eq(rc, SIM_EINPUT);
	char want[256];
	snprintf(want, sizeof(want), "cannot read '%s': 16777217 bytes, over "
	    "the limit of 16777216 bytes (16 MiB) for one input file", path);
	ck_assert_str_eq(err.msg, want);
}
END_TEST

/* "[0,0,...]" of n values in all (the array and n - 1 zeros). */
static char *
zeros(size_t n)
{
	char *t = malloc(2 * n + 2);
	size_t k = 0;
	t[k++] = '[';
	for (size_t i = 0; i + 1 < n; i++) {
		if (i > 0)
			t[k++] = ',';
		t[k++] = '0';
	}
	t[k++] = ']';
	t[k] = '\0';
	return t;
}

START_TEST(test_value_cap)
{
	jr_val root;
	/* a 2 MB array of a million zeros would cost ~250 MB once parsed */
	char *t = zeros(JR_MAX_VALUES + 1);
	int rc = jr_load_text(L, "big.json", t, &root, &err);
	free(t);
	CHECK_ERR(rc, "big.json", 1, 2000000, "", "too large: a scenario and "
	    "the files it references may hold at most 1000000 JSON values in all");
	/* the budget is the loader's: documents add up */
	t = zeros(JR_MAX_VALUES / 2);
	ck_assert_int_eq(jr_load_text(L, "half.json", t, &root, &err), 0);
	free(t);
	t = zeros(JR_MAX_VALUES / 2 + 1);
	rc = jr_load_text(L, "more.json", t, &root, &err);
	free(t);
	CHECK_ERR(rc, "more.json", 1, 1000000, "", "too large: a scenario and "
	    "the files it references may hold at most 1000000 JSON values in all");
}
END_TEST

START_TEST(test_case_hints)
{
	jr_val root = load("{\"Family\": \"web\", \"ContainerDefinitions\": []}");
	jr_obj o;
	const char *s;
	OBJ(&root, &o);
	/* CloudFormation's property names for the API's camelCase keys */
	CHECK_ERR(jr_req_str(&o, "family", &s, &err), "t.json", 1, 2, "",
	    "missing required key 'family'; found 'Family' (CloudFormation "
	    "property names are PascalCase; the API's JSON is camelCase)");
	jr_ignore(&o, "containerDefinitions");
	CHECK_ERR(jr_done(&o, &err), "t.json", 1, 19, "",
	    "unknown key 'ContainerDefinitions'; did you mean "
	    "'containerDefinitions'? (CloudFormation property names are "
	    "PascalCase; the API's JSON is camelCase)");
	/* the other way: ELBv2's and Application Auto Scaling's PascalCase */
	root = load("{\"name\": \"tg\", \"healthCheckPath\": \"/\"}");
	OBJ(&root, &o);
	CHECK_ERR(jr_req_str(&o, "Name", &s, &err), "t.json", 1, 2, "",
	    "missing required key 'Name'; found 'name' (this API's JSON is "
	    "PascalCase, as in CloudFormation)");
	jr_ignore(&o, "HealthCheckPath");
	CHECK_ERR(jr_done(&o, &err), "t.json", 1, 16, "",
	    "unknown key 'healthCheckPath'; did you mean 'HealthCheckPath'? "
	    "(this API's JSON is PascalCase, as in CloudFormation)");
}
END_TEST

START_TEST(test_collect)
{
	jr_val root = load("{\"a\": 1, \"zzzz\": 2, \"b\": \"x\",\n"
	    " \"a\": 3, \"c\": {\"d\": \"y\", \"e\": 1}, \"f\": 5, \"yyyy\": 0}");
	jr_obj o, co;
	jr_val v;
	int64_t i = -1;
	jr_loader_collect(L, true);
	/* a duplicate key is recorded, not returned; the first is used */
	OBJ(&root, &o);
	ck_assert_int_eq(jr_opt_int(&o, "a", 0, 10, 0, &i, &err), 0);
	ck_assert_int_eq(i, 1);
	/* a wrong optional member: recorded, and the default is used */
	ck_assert_int_eq(jr_opt_int(&o, "b", 0, 10, 7, &i, &err), 0);
	ck_assert_int_eq(i, 7);
	/* a check on that object may rest on the default: counted only */
	ck_assert_int_eq(jr_fail(&o.v, &err, "a and b disagree"), SIM_EINPUT);
	/* a check right after a reader's error on the value replaces it */
	GET(&o, "c", &v);
	OBJ(&v, &co);
	GET(&co, "d", &v);
	ck_assert_int_eq(jr_int(&v, 0, 10, &i, &err), SIM_EINPUT);
	ck_assert_int_eq(jr_fail(&v, &err, "d must be a count"), SIM_EINPUT);
	ck_assert_int_eq(jr_req_int(&co, "e", 0, 10, &i, &err), 0);
	ck_assert_int_eq(jr_done(&co, &err), 0);
	ck_assert_int_eq(jr_req_int(&o, "f", 0, 10, &i, &err), 0);
	/* unknown keys: all of them, and jr_done does not stop the parser */
	ck_assert_int_eq(jr_done(&o, &err), 0);
	/* after a parser gave up, checks count as possibly dependent */
	ck_assert(jr_recover(L, SIM_EINPUT, &err));
	ck_assert_int_eq(jr_fail(&root, &err, "depends on c"), SIM_EINPUT);
	sim_errlist l;
	sim_errlist_init(&l);
	jr_errors(L, &l);
	ck_assert_uint_eq(l.n, 5);
	ck_assert_uint_eq(l.hidden, 2);
	ck_assert_str_eq(l.v[0].msg, "unknown key 'zzzz'");
	ck_assert_str_eq(l.v[1].msg, "expected an integer, got string");
	ck_assert_str_eq(l.v[1].path, "b");
	ck_assert_str_eq(l.v[2].msg, "duplicate key 'a' (first at line 1, column 2)");
	ck_assert_str_eq(l.v[3].msg, "d must be a count");
	ck_assert_str_eq(l.v[3].path, "c.d");
	ck_assert_str_eq(l.v[4].msg, "unknown key 'yyyy'");
	ck_assert_int_eq(l.v[4].line, 2);
	sim_errlist_fini(&l);
	/* not collecting: the first unknown key is returned */
	jr_loader_collect(L, false);
	root = load("{\"p\": 1, \"q\": 2}");
	OBJ(&root, &o);
	CHECK_ERR(jr_done(&o, &err), "t.json", 1, 2, "", "unknown key 'p'");
}
END_TEST

START_TEST(test_error_format)
{
	sim_error e;
	char buf[SIM_ERROR_TEXT];
	/* a name with a newline, an ESC and a C1 CSI cannot forge a line or
	 * drive a terminal: they are written as visible escapes */
	sim_error_set(&e, SIM_EINPUT, "a\nb.json", 1, 2, "x",
	    "no service named \"web\nPASS  all\x1b[2J\xc2\x9b\"");
	sim_error_format(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a\\nb.json:1:2: x: no service named "
	    "\"web\\nPASS  all\\x1b[2J\\u009b\"");
	/* a cut is marked, never silent */
	char small[16];
	sim_error_format(&e, small, sizeof(small));
	ck_assert_str_eq(small, "a\\nb.json:1:...");
	char longp[5000];
	memset(longp, 'd', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	sim_error_set(&e, SIM_EIO, NULL, 0, 0, NULL, "cannot write '%s'", longp);
	size_t n = strlen(e.msg);
	ck_assert_uint_eq(n, 4999 + 15);
	sim_error_set(&e, SIM_EIO, longp, 0, 0, NULL, "x");
	ck_assert_str_eq(e.file + sizeof(e.file) - 4, "...");
}
END_TEST

Suite *
jread_suite(void)
{
	Suite *s = suite_create("jread");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_malformed, 0,
	    (int)(sizeof(malformed) / sizeof(malformed[0])));
	tcase_add_test(tc, test_malformed_format);
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_wrong_type);
	tcase_add_test(tc, test_integers);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_enum);
	tcase_add_test(tc, test_durations);
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_unknown_key_order);
	tcase_add_test(tc, test_duplicate_key);
	tcase_add_test(tc, test_missing_key);
	tcase_add_test(tc, test_too_many_members);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_where);
	tcase_add_test(tc, test_fail);
	tcase_add_test(tc, test_optional);
	tcase_add_test(tc, test_required);
	tcase_add_test(tc, test_members);
	tcase_add_test(tc, test_long_array);
	tcase_add_test(tc, test_to_json);
	tcase_add_test(tc, test_str_in_arena);
	tcase_add_test(tc, test_edit_distance);
	tcase_add_test(tc, test_ref_resolve);
	tcase_add_test(tc, test_ref_absolute);
	tcase_add_test(tc, test_ref_errors);
	tcase_add_test(tc, test_ref_cycle);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_nul_escape);
	tcase_add_test(tc, test_null_absent);
	tcase_add_test(tc, test_ref_any_value);
	tcase_add_test(tc, test_special_files);
	tcase_add_test(tc, test_file_size_cap);
	tcase_add_test(tc, test_value_cap);
	tcase_add_test(tc, test_case_hints);
	tcase_add_test(tc, test_collect);
	tcase_add_test(tc, test_error_format);
	suite_add_tcase(s, tc);
	return s;
}
