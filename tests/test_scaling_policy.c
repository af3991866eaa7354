/* Tests for scaling_policy (being written). */
#include "tests/suites.h"

Suite *
scaling_policy_suite(void)
{
	return suite_create("scaling_policy");
}
