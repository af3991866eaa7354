/*
 * The one test runner: every suite of tests/suites.def in one SRunner.
 * Run from the top of the checkout (fixtures live in tests/data/).
 * CK_RUN_SUITE=name runs one suite; CK_FORK=no for gdb/valgrind.
 */
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "tests/suites.h"

int
main(void)
{
	gsl_set_error_handler_off();
	SRunner *sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, name##_suite());
#include "tests/suites.def"
#undef SUITE
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
