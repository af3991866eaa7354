/* Tests for cas (being written). */
#include "tests/suites.h"

Suite *
cas_suite(void)
{
	return suite_create("cas");
}
