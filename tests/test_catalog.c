/*
 * Tests for catalog: built-in types and prices, registered CPU and memory
 * (AWS's documented examples and the fit), the "instanceTypes" section
 * (overrides, additions, every error with its position), unknown-type
 * suggestions, the Fargate size table row by row, and billing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ecs/catalog.h"
#include "sim/recorder.h"
#include "tests/suites.h"

static arena *A;
static jr_loader *L;
static cat_catalog *C;
static sim_error err;

static void
setup(void)
{
	A = arena_new();
	L = jr_loader_new(A);
	C = cat_new(A);
	sim_error_clear(&err);
}

static void
teardown(void)
{
	jr_loader_free(L);
	arena_free(A);
}

#define NEAR(a, b) ck_assert_msg(fabs((a) - (b)) < 1e-9, "%.10g != %.10g", \
	(double)(a), (double)(b))

static const cat_type *
must_find(const char *name)
{
	const cat_type *t = cat_find(C, name);
	ck_assert_msg(t != NULL, "no type %s", name);
	return t;
}

/* Parse text of the form {"instanceTypes": ...} into C. */
static int
parse(const char *text)
{
	jr_val root, v;
	jr_obj o;
	ck_assert_int_eq(jr_load_text(L, "s.json", text, &root, &err), 0);
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, "instanceTypes", &v));
	return cat_parse(C, &v, &err);
}

/* ---- built-ins ---- */

START_TEST(test_reference_prices)
{
	/* reference autoscaling §6.4 */
	const cat_type *t = must_find("t3.medium");
	ck_assert_int_eq(t->vcpu, 2);
	NEAR(t->memory_gib, 4);
	NEAR(t->price_per_hour, 0.0416);
	ck_assert(t->builtin);
	NEAR(must_find("m5.large")->price_per_hour, 0.096);
	NEAR(must_find("c5.large")->price_per_hour, 0.085);
	NEAR(must_find("m6i.large")->price_per_hour, 0.096);
	/* linear within a family */
	NEAR(must_find("m5.xlarge")->price_per_hour, 0.192);
	NEAR(must_find("m5.4xlarge")->price_per_hour, 0.768);
	ck_assert_int_eq(must_find("m6g.large")->arch, CAT_ARM64);
	ck_assert_int_eq(must_find("m5.large")->arch, CAT_X86_64);
	ck_assert_ptr_null(cat_find(C, "m5.huge"));
	ck_assert(strstr(cat_price_date(), "us-east-1") != NULL);
	ck_assert(strstr(cat_price_date(), "not checked") != NULL);
}
END_TEST

START_TEST(test_families_present)
{
	static const char *const t3[] = {"nano", "micro", "small", "medium",
		"large", "xlarge", "2xlarge"};
	static const char *const fam[] = {"m5", "m6i", "c5", "c6i", "r5"};
	static const char *const sz[] = {"large", "xlarge", "2xlarge",
		"4xlarge"};
	char name[32];
	for (int i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "t3.%s", t3[i]);
		must_find(name);
	}
	for (int f = 0; f < 5; f++)
		for (int s = 0; s < 4; s++) {
			snprintf(name, sizeof(name), "%s.%s", fam[f], sz[s]);
			const cat_type *t = must_find(name);
			ck_assert_int_eq(t->vcpu, 2 << s);
			ck_assert(t->price_per_hour > 0);
		}
	/* every built-in is sane and named once */
	for (int i = 0; i < cat_count(C); i++) {
		const cat_type *t = cat_at(C, i);
		ck_assert(t->vcpu >= 1 && t->memory_gib > 0 && t->price_per_hour > 0);
		ck_assert_ptr_eq(cat_find(C, t->name), t);
	}
}
END_TEST

START_TEST(test_registered_cpu)
{
	/* [DOC] 1024 units per vCPU */
	ck_assert_int_eq(CAT_CPU_UNITS_PER_VCPU, 1024);
	ck_assert_int_eq(cat_registered_cpu(must_find("c4.large")), 2048);
	ck_assert_int_eq(cat_registered_cpu(must_find("c4.4xlarge")), 16384);
	ck_assert_int_eq(cat_registered_cpu(must_find("t3.micro")), 2048);
	ck_assert_int_eq(cat_registered_cpu(must_find("m6g.medium")), 1024);
}
END_TEST

START_TEST(test_registered_memory_documented)
{
	/* [DOC] AWS's three examples are used verbatim */
	ck_assert_int_eq(cat_registered_memory(must_find("c4.large"), 0, NULL),
	    3768);
	ck_assert_int_eq(cat_registered_memory(must_find("c4.4xlarge"), 0,
	    NULL), 30158);
	ck_assert_int_eq(cat_registered_memory(must_find("m4.large"), 0, NULL),
	    7985);
	/* minus ECS_RESERVED_MEMORY */
	ck_assert_int_eq(cat_registered_memory(must_find("m4.large"), 256,
	    NULL), 7729);
	ck_assert_int_eq(cat_registered_memory(must_find("t3.nano"), 100000,
	    NULL), 0);
}
END_TEST

START_TEST(test_registered_memory_fit)
{
	cat_mem_fit f = cat_default_mem_fit();
	NEAR(f.fraction, 0.9826);
	NEAR(f.overhead_mib, 32);
	/* the fit stays within 40 MiB of each documented example */
	ck_assert_int_eq(cat_fit_memory_mib(3.75, &f), 3741);
	ck_assert_int_eq(cat_fit_memory_mib(30, &f), 30153);
	ck_assert_int_eq(cat_fit_memory_mib(8, &f), 8017);
	ck_assert_int_le(abs(cat_fit_memory_mib(3.75, &f) - 3768), 40);
	ck_assert_int_le(abs(cat_fit_memory_mib(30, &f) - 30158), 40);
	ck_assert_int_le(abs(cat_fit_memory_mib(8, &f) - 7985), 40);
	/* undocumented types use it */
	ck_assert_int_eq(cat_registered_memory(must_find("m5.large"), 0, NULL),
	    8017);
	ck_assert_int_eq(cat_registered_memory(must_find("t3.medium"), 0, NULL),
	    3992);
	ck_assert_int_eq(cat_registered_memory(must_find("m5.large"), 512,
	    NULL), 7505);
	/* a caller's fit */
	cat_mem_fit g = {1.0, 0.0};
	ck_assert_int_eq(cat_registered_memory(must_find("m5.large"), 0, &g),
	    8192);
	ck_assert_int_eq(cat_fit_memory_mib(0.01, &f), 0);
}
END_TEST

/* ---- "instanceTypes" ---- */

START_TEST(test_parse_override_and_add)
{
	ck_assert_int_eq(parse("{\"instanceTypes\": [\n"
	    "  {\"name\": \"m5.large\", \"pricePerHour\": 0.08},\n"
	    "  {\"name\": \"x1.custom\", \"vcpu\": 4, \"memoryGiB\": 16,"
	    " \"pricePerHour\": 0.2},\n"
	    "  {\"name\": \"g1.arm\", \"vcpu\": 2, \"memoryGiB\": 4,"
	    " \"pricePerHour\": 0.05, \"cpuArchitecture\": \"arm64\","
	    " \"registeredMemoryMiB\": 3900},\n"
	    "  {\"name\": \"c4.large\", \"memoryGiB\": 4},\n"
	    "  {\"name\": \"m4.large\", \"vcpu\": 4}\n"
	    "]}"), 0);
	const cat_type *t = must_find("m5.large");
	NEAR(t->price_per_hour, 0.08);
	ck_assert_int_eq(t->vcpu, 2); /* kept */
	NEAR(t->memory_gib, 8);
	ck_assert(t->builtin);
	t = must_find("x1.custom");
	ck_assert(!t->builtin);
	ck_assert_int_eq(t->vcpu, 4);
	NEAR(t->memory_gib, 16);
	NEAR(t->price_per_hour, 0.2);
	ck_assert_int_eq(t->arch, CAT_X86_64);
	ck_assert_int_eq(cat_registered_cpu(t), 4096);
	ck_assert_int_eq(cat_registered_memory(t, 0, NULL), 16066);
	ck_assert_ptr_eq(cat_at(C, cat_count(C) - 2), t);
	t = must_find("g1.arm");
	ck_assert_int_eq(t->arch, CAT_ARM64);
	ck_assert_int_eq(cat_registered_memory(t, 100, NULL), 3800);
	/* new memory: the documented 3768 no longer applies */
	t = must_find("c4.large");
	ck_assert_int_eq(t->registered_mib, 0);
	ck_assert_int_eq(cat_registered_memory(t, 0, NULL), 3992);
	/* other fields: it still does */
	t = must_find("m4.large");
	ck_assert_int_eq(t->vcpu, 4);
	ck_assert_int_eq(cat_registered_memory(t, 0, NULL), 7985);
}
END_TEST

static const struct {
	const char *elems; /* inside {"instanceTypes": [ ... ]} */
	int col;
	const char *path, *msg;
} parse_errors[] = {
	{"{\"name\": \"x1.custom\", \"memoryGiB\": 16, \"pricePerHour\": 0.2}",
	    20, "instanceTypes[0]", "missing required key 'vcpu'"},
	{"{\"name\": \"x1.custom\", \"vcpu\": 4, \"pricePerHour\": 0.2}",
	    20, "instanceTypes[0]", "missing required key 'memoryGiB'"},
	{"{\"name\": \"x1.custom\", \"vcpu\": 4, \"memoryGiB\": 16}",
	    20, "instanceTypes[0]", "missing required key 'pricePerHour'"},
	{"{\"vcpu\": 2}", 20, "instanceTypes[0]", "missing required key 'name'"},
	{"{\"name\": \"x1.custom\", \"vcpu\": 4, \"memoryGB\": 16, "
	    "\"pricePerHour\": 0.2}",
	    53, "instanceTypes[0]",
	    "unknown key 'memoryGB'; did you mean 'memoryGiB'?"},
	{"{\"name\": \"x1.custom\", \"vcpu\": 0, \"memoryGiB\": 16, "
	    "\"pricePerHour\": 0.2}",
	    50, "instanceTypes[0].vcpu", "expected an integer in [1, 1024], got 0"},
	{"{\"name\": \"x1.custom\", \"vcpu\": 4, \"memoryGiB\": 0.25, "
	    "\"pricePerHour\": 0.2}",
	    66, "instanceTypes[0].memoryGiB",
	    "expected a number in [0.5, 32768], got 0.25"},
	{"{\"name\": \"m5.large\", \"pricePerHour\": -1}",
	    57, "instanceTypes[0].pricePerHour",
	    "expected a number in [0, 10000], got -1"},
	{"{\"name\": \"m5.large\", \"pricePerHr\": 0.08}",
	    41, "instanceTypes[0]",
	    "unknown key 'pricePerHr'; did you mean 'pricePerHour'?"},
	{"{\"name\": \"m5 large\"}", 29, "instanceTypes[0].name",
	    "instance type names are 1 to 64 characters of letters, digits, '.', '-' and '_', got \"m5 large\""},
	{"{\"name\": \"\"}", 29, "instanceTypes[0].name",
	    "instance type names are 1 to 64 characters of letters, digits, '.', '-' and '_', got \"\""},
	{"{\"name\": 5}", 29, "instanceTypes[0].name",
	    "expected a string, got number"},
	{"{\"name\": \"m5.large\", \"pricePerHour\": 0.1}, {\"name\": \"m5.large\"}",
	    72, "instanceTypes[1].name",
	    "instance type 'm5.large' is already defined at index 0 of this list"},
	{"{\"name\": \"x1.custom\", \"vcpu\": 4, \"memoryGiB\": 16, "
	    "\"pricePerHour\": 0.2, \"registeredMemoryMiB\": 20000}",
	    114, "instanceTypes[0].registeredMemoryMiB",
	    "expected an integer in [1, 16384], got 20000"},
	{"{\"name\": \"m5.large\", \"cpuArchitecture\": \"arm\"}",
	    60, "instanceTypes[0].cpuArchitecture",
	    "expected one of \"x86_64\", \"arm64\", got \"arm\"; did you mean \"arm64\"?"},
	{"3", 20, "instanceTypes[0]", "expected an object, got number"},
};

START_TEST(test_parse_errors)
{
	char text[512];
	snprintf(text, sizeof(text), "{\"instanceTypes\": [%s]}",
	    parse_errors[_i].elems);
	ck_assert_int_eq(parse(text), SIM_EINPUT);
	ck_assert_str_eq(err.file, "s.json");
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.col, parse_errors[_i].col);
	ck_assert_str_eq(err.path, parse_errors[_i].path);
	ck_assert_str_eq(err.msg, parse_errors[_i].msg);
}
END_TEST

START_TEST(test_parse_not_array)
{
	ck_assert_int_eq(parse("{\"instanceTypes\":\n  {}}"), SIM_EINPUT);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.col, 3);
	ck_assert_str_eq(err.path, "instanceTypes");
	ck_assert_str_eq(err.msg, "expected an array, got object");
}
END_TEST

START_TEST(test_unknown_type)
{
	char buf[256];
	cat_unknown(C, "m5.larg", buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "unknown instance type 'm5.larg'; did you mean 'm5.large'?");
	cat_unknown(C, "M5.LARGE", buf, sizeof(buf));
	ck_assert_str_eq(buf,
	    "unknown instance type 'M5.LARGE'; did you mean 'm5.large'?");
	cat_unknown(C, "p4d.24xlarge", buf, sizeof(buf));
	ck_assert_str_eq(buf, "unknown instance type 'p4d.24xlarge'");

	jr_val root, v;
	jr_obj o;
	const cat_type *t;
	ck_assert_int_eq(jr_load_text(L, "c.json",
	    "{\"a\": \"c5.large\",\n \"b\": \"c5.lage\"}", &root, &err), 0);
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, "a", &v));
	ck_assert_int_eq(cat_read(C, &v, &t, &err), 0);
	ck_assert_str_eq(t->name, "c5.large");
	ck_assert(jr_get(&o, "b", &v));
	ck_assert_int_eq(cat_read(C, &v, &t, &err), SIM_EINPUT);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.col, 7);
	ck_assert_str_eq(err.path, "b");
	ck_assert_str_eq(err.msg,
	    "unknown instance type 'c5.lage'; did you mean 'c5.large'?");
}
END_TEST

/* ---- Fargate ---- */

/* [DOC] reference autoscaling §6.1, one row per cpu value. */
static const struct {
	int cpu;
	int valid[4];       /* some valid memory values (0 = unused) */
	int invalid[4];     /* boundary misses */
	const char *allows; /* the listing in the message */
} fargate_rows[] = {
	{256, {512, 1024, 2048, 0}, {256, 1536, 3072, 4096},
	    "512, 1024, 2048"},
	{512, {1024, 2048, 3072, 4096}, {512, 1536, 5120, 0},
	    "1024, 2048, 3072, 4096"},
	{1024, {2048, 3072, 7168, 8192}, {1024, 2560, 9216, 0},
	    "2048 to 8192 in steps of 1024"},
	{2048, {4096, 5120, 15360, 16384}, {3072, 4608, 17408, 0},
	    "4096 to 16384 in steps of 1024"},
	{4096, {8192, 9216, 29696, 30720}, {7168, 8704, 31744, 0},
	    "8192 to 30720 in steps of 1024"},
	{8192, {16384, 20480, 57344, 61440}, {12288, 17408, 18432, 65536},
	    "16384 to 61440 in steps of 4096"},
	{16384, {32768, 40960, 114688, 122880}, {24576, 36864, 45056, 131072},
	    "32768 to 122880 in steps of 8192"},
};

START_TEST(test_fargate_row)
{
	char why[256], want[256];
	for (int j = 0; j < 4; j++) {
		int m = fargate_rows[_i].valid[j];
		if (m == 0)
			continue;
		why[0] = '\0';
		ck_assert_msg(cat_fargate_check(fargate_rows[_i].cpu, m, why,
		    sizeof(why)) == 0, "cpu %d memory %d: %s",
		    fargate_rows[_i].cpu, m, why);
	}
	for (int j = 0; j < 4; j++) {
		int m = fargate_rows[_i].invalid[j];
		if (m == 0)
			continue;
		ck_assert_int_eq(cat_fargate_check(fargate_rows[_i].cpu, m, why,
		    sizeof(why)), SIM_EINPUT);
		snprintf(want, sizeof(want),
		    "Fargate cpu %d allows memory %s (MiB); got %d",
		    fargate_rows[_i].cpu, fargate_rows[_i].allows, m);
		ck_assert_str_eq(why, want);
	}
}
END_TEST

START_TEST(test_fargate_every_step)
{
	/* the stepped rows accept exactly lo, lo+step, ..., hi */
	static const int rows[][4] = {
		{512, 1024, 4096, 1024}, {1024, 2048, 8192, 1024},
		{2048, 4096, 16384, 1024}, {4096, 8192, 30720, 1024},
		{8192, 16384, 61440, 4096}, {16384, 32768, 122880, 8192},
	};
	char why[256];
	for (int r = 0; r < 6; r++) {
		int ok = 0;
		for (int m = 0; m <= 131072; m += 512)
			if (cat_fargate_check(rows[r][0], m, why, sizeof(why)) == 0) {
				ck_assert_int_ge(m, rows[r][1]);
				ck_assert_int_le(m, rows[r][2]);
				ck_assert_int_eq((m - rows[r][1]) % rows[r][3], 0);
				ok++;
			}
		ck_assert_int_eq(ok, (rows[r][2] - rows[r][1]) / rows[r][3] + 1);
	}
}
END_TEST

START_TEST(test_fargate_bad_cpu)
{
	char why[256];
	ck_assert_int_eq(cat_fargate_check(300, 1024, why, sizeof(why)),
	    SIM_EINPUT);
	ck_assert_str_eq(why, "Fargate cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (units); got 300");
	ck_assert_int_eq(cat_fargate_check(32768, 65536, why, sizeof(why)),
	    SIM_EINPUT);
	ck_assert_int_eq(cat_fargate_check(128, 512, why, sizeof(why)),
	    SIM_EINPUT);
}
END_TEST

START_TEST(test_fargate_cost)
{
	cat_fargate_rate x = cat_fargate_rates(CAT_X86_64);
	NEAR(x.vcpu_hour, 0.04048);
	NEAR(x.gb_hour, 0.004445);
	cat_fargate_rate a = cat_fargate_rates(CAT_ARM64);
	NEAR(a.vcpu_hour, 0.03238);
	NEAR(a.gb_hour, 0.00356);
	double hour = 0.04048 + 2 * 0.004445;
	NEAR(cat_fargate_cost(CAT_X86_64, 1024, 2048, SIM_HOUR), hour);
	/* [DOC] one-minute minimum */
	NEAR(cat_fargate_cost(CAT_X86_64, 1024, 2048, 30 * SIM_SEC), hour / 60);
	NEAR(cat_fargate_cost(CAT_X86_64, 1024, 2048, 0), hour / 60);
	NEAR(cat_fargate_cost(CAT_X86_64, 1024, 2048, SIM_MIN), hour / 60);
	/* per second, rounded up */
	NEAR(cat_fargate_cost(CAT_X86_64, 1024, 2048, 61 * SIM_SEC + 1),
	    hour * 62 / 3600);
	NEAR(cat_fargate_cost(CAT_ARM64, 256, 512, SIM_HOUR),
	    0.25 * 0.03238 + 0.5 * 0.00356);
	ck_assert(CAT_FARGATE_MIN_BILLED == 60 * SIM_SEC);
}
END_TEST

START_TEST(test_ec2_cost)
{
	const cat_type *t = must_find("m5.large");
	NEAR(cat_ec2_cost(t, SIM_HOUR), 0.096);
	NEAR(cat_ec2_cost(t, 10 * SIM_SEC), 0.096 / 60);
	NEAR(cat_ec2_cost(t, 90 * SIM_SEC + 1), 0.096 * 91 / 3600);
	NEAR(cat_ec2_cost(t, 24 * SIM_HOUR), 0.096 * 24);
}
END_TEST

START_TEST(test_assumptions)
{
	recorder *r = rec_new();
	cat_assume(r, NULL);
	ck_assert_int_eq((int)rec_assumption_count(r), 2);
	const char *name, *value, *tag, *note;
	rec_assumption_at(r, 0, &name, &value, &tag, &note);
	ck_assert_str_eq(name, "catalog.prices");
	ck_assert_str_eq(value, cat_price_date());
	rec_assumption_at(r, 1, &name, &value, &tag, &note);
	ck_assert_str_eq(name, "catalog.registeredMemory");
	ck_assert_str_eq(value, "floor(0.9826 * MiB - 32)");
	ck_assert_str_eq(tag, "INF");
	rec_free(r);
}
END_TEST

Suite *
catalog_suite(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = tcase_create("catalog");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reference_prices);
	tcase_add_test(tc, test_families_present);
	tcase_add_test(tc, test_registered_cpu);
	tcase_add_test(tc, test_registered_memory_documented);
	tcase_add_test(tc, test_registered_memory_fit);
	tcase_add_test(tc, test_parse_override_and_add);
	tcase_add_loop_test(tc, test_parse_errors, 0,
	    (int)(sizeof(parse_errors) / sizeof(parse_errors[0])));
	tcase_add_test(tc, test_parse_not_array);
	tcase_add_test(tc, test_unknown_type);
	tcase_add_loop_test(tc, test_fargate_row, 0,
	    (int)(sizeof(fargate_rows) / sizeof(fargate_rows[0])));
	tcase_add_test(tc, test_fargate_every_step);
	tcase_add_test(tc, test_fargate_bad_cpu);
	tcase_add_test(tc, test_fargate_cost);
	tcase_add_test(tc, test_ec2_cost);
	tcase_add_test(tc, test_assumptions);
	suite_add_tcase(s, tc);
	return s;
}
