/*
 * fuzz_cql — libFuzzer target: cluster query language expressions
 * (placement constraints' memberOf) through cql_parse, and every parsed
 * expression evaluated against a few container instances.
 *
 * Checked besides memory safety: a refused expression says why; a parsed
 * one keeps its text; evaluation terminates.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "model/ecs/cql.h"
#include "sim/arena.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	arena *a = arena_new();
	const cql_expr *e = NULL;
	sim_error err;
	sim_error_clear(&err);
	if (cql_parse(a, s, &e, &err) == 0) {
		SIM_ASSERT(strcmp(cql_text(e), s) == 0);
		static const cql_attr attrs[] = {
			{"stack", "prod"}, {"tier", NULL}, {"n", "12.5"},
		};
		cql_target t1 = {"i-0123456789abcdef0", 3, true, "us-east-1a",
		    "t3.medium", "linux", "x86_64", attrs, 3};
		cql_target t2 = {NULL, 0, false, NULL, NULL, NULL, NULL, NULL, 0};
		(void)cql_eval(e, &t1);
		(void)cql_eval(e, &t2);
	} else
		SIM_ASSERT(err.msg[0] != '\0');
	arena_free(a);
	free(s);
	return 0;
}
