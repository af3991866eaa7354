/*
 * Bad configurations are rejected with their position, JSON path and the
 * rule broken (exit code 2 through the CLI). One row per rule.
 */
#include <string.h>

#include "tests/scn_util.h"
#include "tests/suites.h"

#define BASE \
	"{\"clusters\": [{\"instances\": [{\"type\": \"t3.medium\", \"count\": 2}]}],\n" \
	" \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\"," \
	" \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256, \"portMappings\": [{\"containerPort\": 8080}]}]}],\n"

static const struct {
	const char *json;
	int line, col;
	const char *path, *msg;
} rows[] = {
	{BASE " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2,"
	    " \"deploymentConfiguration\": {\"maximumPercent\": 50}}]}",
	    3, 128, "services[0].deploymentConfiguration.maximumPercent",
	    "maximumPercent must be at least 100 for a REPLICA service (it bounds RUNNING+PENDING tasks as a percentage of desiredCount), got 50"},
	{"{\"taskDefinitions\": [{\"family\": \"f\", \"requiresCompatibilities\": [\"FARGATE\"], \"networkMode\": \"awsvpc\","
	    " \"cpu\": \"256\", \"memory\": \"4096\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}]}",
	    1, 127, "taskDefinitions[0].memory",
	    "Fargate cpu 256 allows memory 512, 1024, 2048 (MiB); got 4096"},
	{BASE " \"targetGroups\": [{\"Name\": \"tg\"}], \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\","
	    " \"desiredCount\": 2, \"loadBalancers\": [{\"targetGroupArn\": \"tg\", \"containerName\": \"app\", \"containerPort\": 9090}]}]}",
	    3, 134, "services[0].loadBalancers[0]",
	    "container \"app\" of app:1 declares no portMappings entry with containerPort 9090"},
	{BASE " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2, \"desiredCont\": 3}]}",
	    3, 82, "services[0]", "unknown key 'desiredCont'; did you mean 'desiredCount'?"},
	{BASE " \"timeline\": [{\"at\": \"5m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"api\", \"desiredCount\": 1}}]}",
	    3, 78, "timeline[0].input.service",
	    "service \"api\" does not exist in cluster \"default\" at this point of the scenario"},
	{BASE " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app:7\", \"desiredCount\": 2}]}",
	    3, 56, "services[0].taskDefinition",
	    "task definition \"app:7\" is not registered at this point of the scenario"},
	{BASE " \"timeline\": [{\"at\": \"5m\", \"call\": \"ecs:UpdateServic\", \"input\": {}}]}",
	    3, 36, "timeline[0].call", "unknown call \"ecs:UpdateServic\"; did you mean \"ecs:UpdateService\"?"},
	{BASE " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"schedulingStrategy\": \"DAEMON\","
	    " \"deploymentConfiguration\": {\"maximumPercent\": 200}}]}",
	    3, 141, "services[0].deploymentConfiguration.maximumPercent",
	    "a DAEMON service requires maximumPercent 100, got 200"},
	{BASE " \"duration\": \"2x\"}", 3, 14, "duration",
	    "invalid duration: unknown unit \"x\" in \"2x\" (use d, h, m, s or ms)"},
	{BASE " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\"}]}",
	    3, 15, "services[0]", "missing required key 'desiredCount' (required for REPLICA services)"},
	{BASE " \"services\": [{\"serviceName\": \"web\", \"cluster\": \"prod\", \"taskDefinition\": \"app\", \"desiredCount\": 1}]}",
	    3, 49, "services[0].cluster", "cluster \"prod\" is not defined in the clusters section"},
	{BASE " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 1,"
	    " \"deploymentConfiguration\": {\"minimumHealthyPercent\": 101}}]}",
	    3, 135, "services[0].deploymentConfiguration.minimumHealthyPercent",
	    "expected an integer in [0, 100], got 101"},
	{"{\"clusters\": [{\"instances\": [{\"type\": \"t3.medum\", \"count\": 2}]}]}",
	    1, 39, "clusters[0].instances[0].type", "unknown instance type 't3.medum'; did you mean 't3.medium'?"},
	{BASE " \"timeline\": [{\"at\": \"5m\", \"call\": \"ecs:DeleteService\", \"input\": {\"service\": \"api\"}},"
	    " {\"at\": \"2m\", \"call\": \"sim:TerminateInstance\", \"input\": {\"instance\": \"index:0\"}}]}",
	    3, 78, "timeline[0].input.service",
	    "service \"api\" does not exist in cluster \"default\" at this point of the scenario"},
	{BASE " \"timeline\": [{\"at\": \"5m\", \"call\": \"sim:TerminateInstance\", \"input\": {\"instance\": \"index:0\"}},"
	    " {\"at\": \"2m\", \"call\": \"sim:TerminateInstance\", \"input\": {\"instance\": \"index:1\"}}]}",
	    3, 103, "timeline[1].at", "timeline entries must be in time order: 2m comes after 5m"},
	{BASE " \"timeline\": [{\"at\": \"5m\", \"call\": \"sim:TerminateInstance\", \"input\": {\"instance\": \"index:9\"}}]}",
	    3, 83, "timeline[0].input.instance", "cluster \"default\" has 2 static instances; \"index:9\" is out of range"},
	{"{\"taskDefinitions\": [{\"family\": \"f\", \"cpu\": \"1 cpu\", \"memory\": \"512\","
	    " \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}]}",
	    1, 45, "taskDefinitions[0].cpu", "unknown unit in \"1 cpu\" (write \"256\" or \"1 vCPU\")"},
	{"{\"taskDefinitions\": [{\"family\": \"f\", \"requiresCompatibilities\": [\"FARGATE\"], \"networkMode\": \"awsvpc\","
	    " \"cpu\": \"0.25 vCPU\", \"memory\": \"4 GB\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}]}",
	    1, 133, "taskDefinitions[0].memory", "Fargate cpu 256 allows memory 512, 1024, 2048 (MiB); got 4096"},
	{"{\"taskDefinitions\": [{\"family\": \"f\", \"cpu\": \"64\", \"memory\": \"512\","
	    " \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}]}",
	    1, 45, "taskDefinitions[0].cpu", "task cpu must be a whole number of CPU units in [128, 196608], got \"64\""},
};

/* Sizes in the larger units are read as AWS reads them: "0.25 vCPU" is 256
 * units and "0.5 GB" 512 MiB, a valid Fargate pair. */
START_TEST(test_task_sizes_in_units)
{
	sim_error err;
	int rc = su_validate(
	    "{\"taskDefinitions\": [{\"family\": \"f\", \"requiresCompatibilities\": [\"FARGATE\"], \"networkMode\": \"awsvpc\","
	    " \"cpu\": \"0.25 vCPU\", \"memory\": \"0.5 GB\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}]}",
	    &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
}
END_TEST

START_TEST(test_bad_input)
{
	sim_error err;
	int rc = su_validate(rows[_i].json, &err);
	ck_assert_int_eq(rc, SIM_EINPUT);
	ck_assert_int_eq(sim_exit_code(rc), 2);
	ck_assert_str_eq(err.msg, rows[_i].msg);
	ck_assert_str_eq(err.path, rows[_i].path);
	ck_assert_int_eq(err.line, rows[_i].line);
	ck_assert_int_eq(err.col, rows[_i].col);
}
END_TEST

Suite *
model_input_suite(void)
{
	Suite *s = suite_create("model_input");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_bad_input, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_task_sizes_in_units);
	suite_add_tcase(s, tc);
	return s;
}
