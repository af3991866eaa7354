/*
 * Tests for refgen, the generated scenario reference: what a capture of
 * the loader's reads turns into (types, ranges, defaults, required,
 * maps, variants, aliases), which members count as gaps, and the
 * Markdown and JSON Schema a user reads. A small "loader" below stands
 * in for the model's section parsers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/refgen.h"
#include "tests/suites.h"

static const char *const modes[] = {"bridge", "awsvpc"};

/* A section parser in the loader's style. */
static int
read_svc(const jr_val *v, sim_error *err)
{
	jr_obj o;
	jr_val x;
	const char *name;
	int n, mode, rc;
	double f;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	/* a describe-style wrapper: the same parser, one level in */
	if (jr_get(&o, "wrapped", &x)) {
		if ((rc = jr_done(&o, err)) != 0)
			return rc;
		return read_svc(&x, err);
	}
	if ((rc = jr_req_str(&o, "name", &name, err)) ||
	    (rc = jr_opt_int32(&o, "count", 0, 10, 2, &n, err)) ||
	    (rc = jr_opt_enum(&o, "mode", modes, 2, 0, &mode, err)) ||
	    (rc = jr_opt_num(&o, "share", 0, 1, 0.5, &f, err)))
		return rc;
	if (jr_get(&o, "size", &x) && (rc = jr_int32(&x, 1, n, &n, err)))
		return rc;
	(void)jr_get(&o, "tags", &x); /* accepted, not read */
	(void)jr_get(&o, "legacy", &x); /* looked up, never given */
	jr_ignore(&o, "arn");
	return jr_done(&o, err);
}

static int
read_doc(refgen *g, const char *text)
{
	arena *a = arena_new();
	jr_loader *L = jr_loader_new(a);
	sim_error err;
	jr_val root, x, e;
	jr_obj o, m;
	int rc = jr_load_text(L, "t.json", text, &root, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	jr_set_capture(L, refgen_capture, g);
	if ((rc = jr_object(&root, &o, &err)) != 0)
		goto out;
	if (jr_get(&o, "svcs", &x)) {
		int n;
		if ((rc = jr_array(&x, &n, &err)) != 0)
			goto out;
		for (int i = 0; i < n && rc == 0; i++) {
			jr_elem(&x, i, &e);
			rc = read_svc(&e, &err);
		}
	}
	if (rc == 0 && jr_get(&o, "images", &x)) {
		if ((rc = jr_object(&x, &m, &err)) != 0)
			goto out;
		for (int i = 0; rc == 0 && jr_member(&m, i, &e); i++) {
			double t;
			jr_obj eo;
			if ((rc = jr_object(&e, &eo, &err)) == 0 &&
			    (rc = jr_opt_num(&eo, "rate", 0, 5, 1, &t, &err)) == 0)
				rc = jr_done(&eo, &err);
		}
	}
	if (rc == 0 && jr_get(&o, "old", &x))
		rc = jr_fail(&x, &err, "old is not supported");
	if (rc == 0)
		rc = jr_done(&o, &err);
out:
	if (rc != 0)
		refgen_failed(g, err.path, err.msg);
	jr_loader_free(L);
	arena_free(a);
	return rc;
}

/* Output of fn into a string (owned). */
static char *
capture_out(refgen *g, int what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (what == 0)
		refgen_markdown(g, f, "# Ref\n");
	else if (what == 1)
		refgen_schema(g, f, "t", "d");
	else if (what == 2)
		refgen_gaps(g, f);
	else
		refgen_keys(g, f);
	fclose(f);
	return buf;
}

#define HAS(s, needle) ck_assert_msg(strstr((s), (needle)) != NULL, \
    "'%s' not in:\n%s", (needle), (s))

START_TEST(types_ranges_defaults)
{
	refgen *g = refgen_new();
	ck_assert_int_eq(read_doc(g, "{\"svcs\": [{\"name\": \"a\", \"count\": 3, "
	    "\"size\": 2, \"tags\": [], \"arn\": \"x\"}, {\"name\": \"b\", \"size\": 1}]}"), 0);
	refgen_finish(g);
	char *md = capture_out(g, 0);
	HAS(md, "| `name` | string |  | required |");
	HAS(md, "| `count` | integer in [0, 10] | `2` |  |");
	HAS(md, "| `mode` | one of `bridge`, `awsvpc` | `\"bridge\"` |  |");
	HAS(md, "| `share` | number in [0, 1] | `0.5` |  |");
	/* size's upper bound is count: two services, two bounds */
	HAS(md, "| `size` | integer (bounds depend on other values) |");
	HAS(md, "| `tags` | any (not read) |  | accepted; has no effect");
	HAS(md, "| `arn` | accepted, not read |  | a read-only");
	HAS(md, "| `legacy` | unknown |  | NOT COVERED");
	free(md);
	/* members looked up and never given are the gaps */
	char *gaps = capture_out(g, 2);
	ck_assert_str_eq(gaps, "svcs[]: wrapped\nsvcs[]: legacy\n"
	    "(top level): images\n(top level): old\n");
	free(gaps);
	refgen_free(g);
}
END_TEST

START_TEST(maps_aliases_rejected)
{
	refgen *g = refgen_new();
	ck_assert_int_eq(read_doc(g, "{\"images\": {\"a:1\": {\"rate\": 2}, \"b:2\": {}},"
	    " \"svcs\": [{\"wrapped\": {\"name\": \"w\", \"legacy\": 1, \"tags\": 0, \"size\": 1}},"
	    " {\"name\": \"v\"}]}"), 0);
	ck_assert_int_ne(read_doc(g, "{\"old\": 1}"), 0);
	refgen_finish(g);
	char *md = capture_out(g, 0);
	HAS(md, "| `images` | map of names to object |");
	HAS(md, "### `images.*`");
	HAS(md, "| `rate` | number in [0, 5] | `1` |");
	/* the wrapper's content is read by the same parser: an alias, and
	 * what it gives (legacy) covers the member for both */
	HAS(md, "### `svcs[].wrapped`\n\nThe same members as `svcs[]`");
	/* name is given in every form but the wrapper */
	HAS(md, "| `name` | string |  | required in some forms |");
	HAS(md, "| `old` | not supported |  | rejected: old is not supported |");
	free(md);
	char *gaps = capture_out(g, 2);
	ck_assert_str_eq(gaps, "");
	free(gaps);
	char *keys = capture_out(g, 3);
	HAS(keys, "svcs[]\tcount\n");
	HAS(keys, "images.*\trate\n");
	free(keys);
	/* the schema: a valid JSON document with the alias as a $ref */
	char *js = capture_out(g, 1);
	cJSON *s = cJSON_Parse(js);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(cJSON_GetObjectItem(s, "$schema")->valuestring,
	    "https://json-schema.org/draft/2020-12/schema");
	const cJSON *defs = cJSON_GetObjectItem(s, "$defs");
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(defs, "svcs_item"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(defs, "fileRef"));
	HAS(js, "\"$ref\":\t\"#/$defs/svcs_item\"");
	HAS(js, "\"minimum\":\t0,\n");
	cJSON_Delete(s);
	free(js);
	refgen_free(g);
}
END_TEST

START_TEST(variants_expected)
{
	refgen *g = refgen_new();
	refgen_variants(g, "svcs", "name");
	refgen_expect_variant(g, "svcs", "a");
	refgen_expect_variant(g, "svcs", "zz");
	ck_assert_int_eq(read_doc(g, "{\"svcs\": [{\"name\": \"a\", \"size\": 1,"
	    " \"legacy\": 0, \"tags\": 1}]}"), 0);
	refgen_finish(g);
	char *gaps = capture_out(g, 2);
	/* an expected kind no scenario gave is a gap */
	ck_assert_str_eq(gaps, "svcs[name=a]: wrapped\n"
	    "svcs[name=zz]: no element of this kind\n"
	    "(top level): images\n(top level): old\n");
	free(gaps);
	char *md = capture_out(g, 0);
	HAS(md, "| `svcs` | array of objects, one of 2 kinds by `name` |");
	HAS(md, "## `svcs[name=a]`");
	free(md);
	refgen_free(g);
}
END_TEST

Suite *
refgen_suite(void)
{
	Suite *s = suite_create("refgen");
	TCase *tc = tcase_create("refgen");
	tcase_add_test(tc, types_ranges_defaults);
	tcase_add_test(tc, maps_aliases_rejected);
	tcase_add_test(tc, variants_expected);
	suite_add_tcase(s, tc);
	return s;
}
