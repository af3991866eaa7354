/*
 * Faults (model/ecs/faults.h, model/autoscaling/spot.h): the stop codes
 * and reasons AWS reports, the Spot notice two minutes ahead, placement
 * constraints kept by replacements, Auto Scaling health replacement and
 * its grace period, a zone outage, registry faults against the throttle
 * and the circuit breaker, the recovery records and their expectations,
 * the independence of the random streams, and the load-time checks.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/expect.h"
#include "reports/faults_text.h"
#include "reports/report_html.h"
#include "reports/rout.h"
#include "tests/scn_util.h"
#include "tests/suites.h"

#define S(x) ((x) * SIM_SEC)

/* Facts of a table whose field key equals value. */
static int
count_facts(const recorder *r, const char *table, const char *key, const char *value)
{
	int n = 0;
	for (size_t i = 0; i < rec_fact_count(r, table); i++) {
		const char *v = rec_fact_get_str(rec_fact_at(r, table, i), key);
		n += v != NULL && strcmp(v, value) == 0;
	}
	return n;
}

static rec_fact *
fact_where(const recorder *r, const char *table, const char *key, const char *value)
{
	for (size_t i = 0; i < rec_fact_count(r, table); i++) {
		rec_fact *f = rec_fact_at(r, table, i);
		const char *v = rec_fact_get_str(f, key);
		if (v != NULL && strcmp(v, value) == 0)
			return f;
	}
	return NULL;
}

/* A static cluster: two m5.large in each of us-east-1a and us-east-1b,
 * a service of 4 tasks (1024 CPU units: two per instance) without load
 * balancer, and the timeline given. */
static void
static_scenario(char *buf, size_t size, const char *timeline, const char *extra)
{
	snprintf(buf, size,
	    "{\"duration\": \"40m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}},"
	    " \"clusters\": [{\"clusterName\": \"default\"%s, \"instances\": [{\"type\": \"m5.large\", \"count\": 4,"
	    "   \"availabilityZones\": [\"us-east-1a\", \"us-east-1b\"]}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 1024, \"memory\": 512}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4}],"
	    " \"timeline\": [%s]}",
	    extra, timeline);
}

/* [OBS] A host that terminates unexpectedly: ECS stops its tasks with
 * stopCode TerminationNotice [DOC API TaskStopCode] and stoppedReason
 * "Host EC2 (instance i-…) terminated." once it notices
 * (ecs.instanceLossDetection, 30 s); they answer nothing meanwhile. */
START_TEST(test_fail_instance_stop_code)
{
	char json[4096];
	cli_result res;
	static_scenario(json, sizeof(json),
	    "{\"at\": \"10m\", \"call\": \"sim:FailInstance\", \"input\": {\"instance\": \"index:0\"}}", "");
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	const rec_fact *f = su_fact(r, "fault", 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(rec_fact_get_str(f, "kind"), "instance");
	ck_assert_str_eq(rec_fact_get_str(f, "mode"), "terminated");
	const char *id = rec_fact_get_str(f, "target");
	const rec_fact *it = fact_where(r, "instance_terminated", "instance", id);
	ck_assert_ptr_nonnull(it);
	ck_assert_double_eq_tol(rec_fact_get_num(it, "time", 0), 630, 1e-6);
	/* spread: one task per instance of the four */
	ck_assert_int_eq((int)rec_fact_count(r, "fault_task"), 1);
	const rec_fact *t = su_fact(r, "fault_task", 0);
	char want[80];
	snprintf(want, sizeof(want), "Host EC2 (instance %s) terminated.", id);
	ck_assert_str_eq(rec_fact_get_str(t, "stopCode"), "TerminationNotice");
	ck_assert_str_eq(rec_fact_get_str(t, "stoppedReason"), want);
	ck_assert_str_eq(rec_fact_get_str(t, "instance"), id);
	ck_assert_double_eq_tol(rec_fact_get_num(t, "time", 0), 630, 1e-6);
	/* the service is whole again: a replacement elsewhere, healthy 40 s
	 * after RUNNING */
	const rec_fact *x = su_fact(r, "fault_impact", 0);
	ck_assert_int_eq((int)rec_fact_get_int(x, "recovered", 0), 1);
	ck_assert_int_eq((int)rec_fact_get_int(x, "lowestHealthy", -1), 3);
	double rt = rec_fact_get_num(x, "recoveryTime", -1);
	ck_assert_msg(rt > 30 + 40 && rt < 30 + 40 + 30, "recovery %g s", rt);
	cli_result_free(&res);

	/* the detection time is a parameter: 10 s */
	char json2[4200];
	snprintf(json2, sizeof(json2), "{\"parameters\": {\"ecs.instanceLossDetection\": \"10s\"}, %s", json + 1);
	su_run_ok(json2, &res);
	t = su_fact(res.rec, "fault_task", 0);
	ck_assert_double_eq_tol(rec_fact_get_num(t, "time", 0), 610, 1e-6);
	cli_result_free(&res);
}
END_TEST

/* sim:CrashTasks: ceil(fraction x RUNNING) tasks exit, stopCode
 * EssentialContainerExited, "Essential container in task exited". */
START_TEST(test_crash_tasks)
{
	char json[4096];
	cli_result res;
	static_scenario(json, sizeof(json),
	    "{\"at\": \"10m\", \"call\": \"sim:CrashTasks\", \"input\": {\"service\": \"web\", \"fraction\": 0.6}}", "");
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	ck_assert_int_eq((int)rec_fact_count(r, "fault_task"), 3); /* ceil(0.6 x 4) */
	ck_assert_int_eq(count_facts(r, "fault_task", "stopCode", "EssentialContainerExited"), 3);
	ck_assert_int_eq(count_facts(r, "fault_task", "stoppedReason", "Essential container in task exited"), 3);
	const rec_fact *x = su_fact(r, "fault_impact", 0);
	ck_assert_int_eq((int)rec_fact_get_int(x, "lowestHealthy", -1), 1);
	ck_assert_int_eq((int)rec_fact_get_int(x, "recovered", 0), 1);
	cli_result_free(&res);
}
END_TEST

/* Fargate Spot [DOC fargate-capacity-providers.html]: the warning stops
 * the task with stopCode SpotInterruption and "Your Spot Task was
 * interrupted.", the service starts replacements at once, and the task
 * is gone two minutes later even though its target's deregistration
 * delay (300 s) is longer. */
START_TEST(test_fargate_spot_interruption)
{
	static const char json[] =
	    "{\"duration\": \"30m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\", \"shutdownTime\": \"10m\"}},"
	    " \"clusters\": [{\"clusterName\": \"default\", \"capacityProviders\": [\"FARGATE\", \"FARGATE_SPOT\"]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"networkMode\": \"awsvpc\", \"requiresCompatibilities\": [\"FARGATE\"],"
	    "   \"cpu\": \"256\", \"memory\": \"512\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:1\","
	    "   \"portMappings\": [{\"containerPort\": 8080}]}]}],"
	    " \"targetGroups\": [{\"Name\": \"tg\", \"Protocol\": \"HTTP\", \"Port\": 8080, \"TargetType\": \"ip\","
	    "   \"HealthCheckIntervalSeconds\": 10, \"HealthyThresholdCount\": 2}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4,"
	    "   \"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE_SPOT\", \"weight\": 1}],"
	    "   \"loadBalancers\": [{\"targetGroupArn\": \"tg\", \"containerName\": \"app\", \"containerPort\": 8080}]}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": {\"constant\": 40}, \"cpuMsPerRequest\": 5}],"
	    " \"timeline\": [{\"at\": \"10m\", \"call\": \"sim:SpotInterruption\","
	    "   \"input\": {\"capacityProvider\": \"FARGATE_SPOT\", \"count\": 2}}]}";
	cli_result res;
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	ck_assert_int_eq((int)rec_fact_count(r, "fault_task"), 2);
	ck_assert_int_eq(count_facts(r, "fault_task", "stopCode", "SpotInterruption"), 2);
	ck_assert_int_eq(count_facts(r, "fault_task", "stoppedReason", "Your Spot Task was interrupted."), 2);
	const rec_fact *f = su_fact(r, "fault", 0);
	double gone = rec_fact_get_num(f, "lastTaskStopped", -1);
	/* killed at 10:02, out after awsvpc deprovisioning (2 s) */
	ck_assert_double_eq_tol(gone, 600 + 120 + 2, 1e-6);
	/* replacements start with the warning */
	sim_time started = su_first_event_after(r, "has started 2 tasks", S(600));
	ck_assert_msg(started >= 0 && started <= S(602), "replacements at %lld", (long long)started);
	/* Fargate Spot rates for the cost (all tasks on FARGATE_SPOT) */
	const rec_fact *run = su_fact(r, "run", 0);
	ck_assert_double_eq_tol(rec_fact_get_num(run, "costSpotUSD", 0),
	    rec_fact_get_num(run, "costUSD", -1), 1e-12);
	ck_assert(rec_fact_get_num(run, "costSpotUSD", 0) > 0);
	cli_result_free(&res);
}
END_TEST

/* An all-Spot group (MixedInstancesPolicy OnDemandPercentageAboveBase 0)
 * of 4 instances behind a capacity provider; one Spot interruption at
 * 20 minutes. drain: ECS_ENABLE_SPOT_INSTANCE_DRAINING. */
static void
spot_scenario(char *buf, size_t size, const char *drain)
{
	snprintf(buf, size,
	    "{\"duration\": \"40m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}},"
	    " \"clusters\": [{\"clusterName\": \"default\","
	    "   \"ecsAgent\": {\"ECS_ENABLE_SPOT_INSTANCE_DRAINING\": \"%s\"},"
	    "   \"autoScalingGroups\": [{\"AutoScalingGroupName\": \"spot\", \"MinSize\": 4, \"MaxSize\": 8,"
	    "     \"DesiredCapacity\": 4, \"AvailabilityZones\": [\"us-east-1a\", \"us-east-1b\"],"
	    "     \"MixedInstancesPolicy\": {\"LaunchTemplate\": {\"Overrides\": [{\"InstanceType\": \"m5.large\"}]},"
	    "       \"InstancesDistribution\": {\"OnDemandPercentageAboveBaseCapacity\": 0,"
	    "         \"SpotAllocationStrategy\": \"capacity-optimized\"}}}],"
	    "   \"capacityProviders\": [{\"name\": \"spot-cp\", \"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"spot\"}}],"
	    "   \"defaultCapacityProviderStrategy\": [{\"capacityProvider\": \"spot-cp\", \"weight\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 512, \"memory\": 512,"
	    "   \"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 0}]}]}],"
	    " \"targetGroups\": [{\"Name\": \"tg\", \"Protocol\": \"HTTP\", \"Port\": 8080,"
	    "   \"HealthCheckIntervalSeconds\": 10, \"HealthyThresholdCount\": 2,"
	    "   \"Attributes\": [{\"Key\": \"deregistration_delay.timeout_seconds\", \"Value\": \"20\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4,"
	    "   \"loadBalancers\": [{\"targetGroupArn\": \"tg\", \"containerName\": \"app\", \"containerPort\": 8080}]}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": {\"constant\": 40}, \"cpuMsPerRequest\": 5}],"
	    " \"timeline\": [{\"at\": \"20m\", \"call\": \"sim:SpotInterruption\","
	    "   \"input\": {\"AutoScalingGroupName\": \"spot\", \"count\": 1}}]}",
	    drain);
}

/* [DOC spot-instance-draining-linux-container.html] with Spot Instance
 * draining on, the notice sets the instance DRAINING: its tasks are
 * replaced from the notice on and are gone before EC2 takes the instance
 * two minutes later; without it they run until then and die with it. */
START_TEST(test_spot_draining_at_notice)
{
	char json[6000];
	cli_result res;
	spot_scenario(json, sizeof(json), "true");
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	const rec_fact *f = su_fact(r, "fault", 0);
	ck_assert_str_eq(rec_fact_get_str(f, "kind"), "spotInterruption");
	sim_time notice = su_first_event(r, "Spot Instance interruption notice");
	ck_assert_int_eq(notice, S(1200));
	ck_assert_int_eq(su_count_events(r, "ECS sets it DRAINING"), 1);
	/* replacement at the next scheduler pass, stops before 20:02 */
	sim_time started = su_first_event_after(r, "has started", S(1200));
	ck_assert_msg(started > S(1200) && started <= S(1202), "started at %lld", (long long)started);
	sim_time stopped = su_first_event_after(r, "has stopped", S(1200));
	ck_assert_msg(stopped > S(1200) && stopped < S(1320), "stopped at %lld", (long long)stopped);
	/* EC2 takes it at exactly the end of the notice: nothing left on it */
	int gone = 0;
	for (size_t i = 0; i < rec_fact_count(r, "instance_terminated"); i++) {
		const rec_fact *t = rec_fact_at(r, "instance_terminated", i);
		if (rec_fact_get_num(t, "time", 0) == 1320) {
			gone++;
			ck_assert_int_eq((int)rec_fact_get_int(t, "tasks", -1), 0);
			ck_assert_int_eq((int)rec_fact_get_int(t, "spot", 0), 1);
		}
	}
	ck_assert_int_eq(gone, 1);
	ck_assert_int_eq((int)rec_fact_count(r, "fault_task"), 0);
	const rec_fact *x = su_fact(r, "fault_impact", 0);
	ck_assert_int_eq((int)rec_fact_get_int(x, "lowestHealthy", -1), 4);
	cli_result_free(&res);

	spot_scenario(json, sizeof(json), "false");
	su_run_ok(json, &res);
	r = res.rec;
	ck_assert_int_eq(su_count_events(r, "ECS sets it DRAINING"), 0);
	/* no replacement before the instance goes */
	started = su_first_event_after(r, "has started", S(1200));
	ck_assert_msg(started >= S(1320), "started at %lld", (long long)started);
	/* every task still on it dies with it (the tasks waited in
	 * PROVISIONING for the first instance: all four are on it) */
	int ntasks = 0;
	for (size_t i = 0; i < rec_fact_count(r, "instance_terminated"); i++) {
		const rec_fact *it = rec_fact_at(r, "instance_terminated", i);
		if (rec_fact_get_num(it, "time", 0) == 1320)
			ntasks += (int)rec_fact_get_int(it, "tasks", 0);
	}
	ck_assert_int_ge(ntasks, 1);
	ck_assert_int_eq((int)rec_fact_count(r, "fault_task"), ntasks);
	ck_assert_int_eq(count_facts(r, "fault_task", "stopCode", "TerminationNotice"), ntasks);
	for (int i = 0; i < ntasks; i++) {
		const rec_fact *t = su_fact(r, "fault_task", (size_t)i);
		ck_assert_double_eq_tol(rec_fact_get_num(t, "time", 0), 1320, 1e-6);
		ck_assert(strncmp(rec_fact_get_str(t, "stoppedReason"), "Host EC2 (instance i-", 21) == 0);
	}
	x = su_fact(r, "fault_impact", 0);
	ck_assert_int_eq((int)rec_fact_get_int(x, "lowestHealthy", -1), 4 - ntasks);
	cli_result_free(&res);
}
END_TEST

/* A replacement placed on another instance honours the service's
 * placement constraints: memberOf zones a and b and distinctInstance.
 * Zone c has the only empty instances the default spread would choose;
 * the replacement goes to the spare instance of zone a or b instead. */
START_TEST(test_replacement_honours_constraints)
{
	static const char json[] =
	    "{\"duration\": \"30m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}},"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": ["
	    "   {\"type\": \"m5.large\", \"count\": 3, \"availabilityZones\": [\"us-east-1a\"]},"
	    "   {\"type\": \"m5.large\", \"count\": 3, \"availabilityZones\": [\"us-east-1b\"]},"
	    "   {\"type\": \"m5.large\", \"count\": 2, \"availabilityZones\": [\"us-east-1c\"]}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4,"
	    "   \"placementConstraints\": [{\"type\": \"distinctInstance\"},"
	    "     {\"type\": \"memberOf\", \"expression\": \"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]\"}]}],"
	    " \"timeline\": [{\"at\": \"10m\", \"call\": \"sim:FailInstance\", \"input\": {\"instance\": \"index:0\"}}]}";
	cli_result res;
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	ck_assert_int_eq((int)rec_fact_count(r, "fault_task"), 1);
	const rec_fact *x = su_fact(r, "fault_impact", 0);
	ck_assert_str_eq(rec_fact_get_str(x, "healthyByZoneAtStart"), "us-east-1a=2,us-east-1b=2");
	ck_assert_int_eq((int)rec_fact_get_int(x, "recovered", 0), 1);
	ck_assert_str_eq(rec_fact_get_str(x, "healthyByZone"), "us-east-1a=2,us-east-1b=2");
	ck_assert_int_eq((int)rec_fact_count(r, "placement_failure"), 0);
	cli_result_free(&res);
}
END_TEST

/* An Auto Scaling group of 2 with HealthCheckGracePeriod 300 and the
 * instance index:0 lost at 2 minutes. */
static void
asg_scenario(char *buf, size_t size, const char *mode)
{
	snprintf(buf, size,
	    "{\"duration\": \"15m\", \"sampleInterval\": \"10s\","
	    " \"clusters\": [{\"clusterName\": \"default\","
	    "   \"autoScalingGroups\": [{\"AutoScalingGroupName\": \"g\", \"MinSize\": 2, \"MaxSize\": 4,"
	    "     \"DesiredCapacity\": 2, \"InstanceType\": \"m5.large\", \"HealthCheckGracePeriod\": 300}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2}],"
	    " \"timeline\": [{\"at\": \"2m\", \"call\": \"sim:FailInstance\","
	    "   \"input\": {\"instance\": \"index:0\", \"mode\": \"%s\"}}]}",
	    mode);
}

/* [DOC health-check-grace-period.html] an impaired instance is not marked
 * Unhealthy before its grace period (launched at 0, grace 300 s: at 5
 * minutes, not at 2m + asg.healthCheckDetection); one no longer running is
 * marked at once, grace or not (3 minutes). Either way the group launches
 * a replacement [DOC healthcheck.html]. */
START_TEST(test_asg_replaces_after_grace)
{
	char json[4096], needle[160];
	cli_result res;
	asg_scenario(json, sizeof(json), "impaired");
	su_run_ok(json, &res);
	const char *id = rec_fact_get_str(su_fact(res.rec, "fault", 0), "target");
	snprintf(needle, sizeof(needle), "Terminating EC2 instance: %s. Cause:", id);
	ck_assert_int_eq(su_first_event(res.rec, needle), S(300));
	ck_assert_int_eq(su_count_events(res.rec, "in response to an EC2 instance status checks failure"), 1);
	ck_assert_int_eq(su_first_event_after(res.rec, "Launching a new EC2 instance", S(1)), S(300));
	/* tasks on it (if any) stop when the group takes it */
	for (size_t i = 0; i < rec_fact_count(res.rec, "fault_task"); i++) {
		const rec_fact *t = su_fact(res.rec, "fault_task", i);
		ck_assert_str_eq(rec_fact_get_str(t, "stopCode"), "TerminationNotice");
		ck_assert_double_eq_tol(rec_fact_get_num(t, "time", 0), 300, 1e-6);
	}
	cli_result_free(&res);

	asg_scenario(json, sizeof(json), "terminated");
	su_run_ok(json, &res);
	id = rec_fact_get_str(su_fact(res.rec, "fault", 0), "target");
	snprintf(needle, sizeof(needle), "Terminating EC2 instance: %s. Cause:", id);
	ck_assert_int_eq(su_first_event(res.rec, needle), S(180));
	ck_assert_int_eq(su_count_events(res.rec, "health check indicating it has been terminated or stopped"), 1);
	ck_assert_int_eq(su_first_event_after(res.rec, "Launching a new EC2 instance", S(1)), S(180));
	/* the group is back at 2 in service */
	ck_assert_double_eq(su_series_min(res.rec, "asg/g/inService", S(600)), 2);
	cli_result_free(&res);

	/* asg.healthCheckDetection is a parameter: 20 s */
	char json2[4200];
	snprintf(json2, sizeof(json2), "{\"parameters\": {\"asg.healthCheckDetection\": \"20s\"}, %s", json + 1);
	su_run_ok(json2, &res);
	ck_assert_int_eq(su_first_event(res.rec, needle), S(140));
	cli_result_free(&res);
}
END_TEST

/* Three zones, two m5.large each, a service of 6 behind an ALB spread
 * over the zones; us-east-1a out from 10 to 30 minutes. */
static const char az_json[] =
    "{\"duration\": \"45m\", \"sampleInterval\": \"10s\","
    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}},"
    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{\"type\": \"m5.large\", \"count\": 6,"
    "   \"availabilityZones\": [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]}]}],"
    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
    "   \"image\": \"app:1\", \"cpu\": 512, \"memory\": 512,"
    "   \"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 0}]}]}],"
    " \"targetGroups\": [{\"Name\": \"tg\", \"Protocol\": \"HTTP\", \"Port\": 8080,"
    "   \"HealthCheckIntervalSeconds\": 10, \"HealthyThresholdCount\": 2, \"UnhealthyThresholdCount\": 2,"
    "   \"Attributes\": [{\"Key\": \"deregistration_delay.timeout_seconds\", \"Value\": \"30\"}]}],"
    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 6,"
    "   \"loadBalancers\": [{\"targetGroupArn\": \"tg\", \"containerName\": \"app\", \"containerPort\": 8080}]}],"
    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": {\"constant\": 60}, \"cpuMsPerRequest\": 5}],"
    " \"timeline\": [{\"at\": \"10m\", \"call\": \"sim:FailAvailabilityZone\","
    "   \"input\": {\"availabilityZone\": \"us-east-1a\", \"duration\": \"20m\"}}],"
    " \"expect\": ["
    "   {\"name\": \"fast\", \"recoversWithin\": {\"service\": \"web\", \"within\": \"3m\"}},"
    "   {\"name\": \"too fast\", \"recoversWithin\": {\"service\": \"web\", \"within\": \"10s\"}},"
    "   {\"name\": \"few errors\", \"errorsDuringFaultAtMost\": {\"service\": \"web\", \"count\": 1000}},"
    "   {\"name\": \"no errors\", \"errorsDuringFaultAtMost\": {\"service\": \"web\", \"percent\": 0}},"
    "   {\"name\": \"no such fault\", \"recoversWithin\": {\"service\": \"web\", \"within\": \"3m\", \"fault\": 2}}"
    " ]}";

static const expect_verdict *
verdict(const cli_result *res, const char *name)
{
	for (size_t i = 0; i < expect_result_count(res->verdicts); i++) {
		const expect_verdict *v = expect_result_at(res->verdicts, i);
		if (strcmp(v->name, name) == 0)
			return v;
	}
	ck_abort_msg("no verdict %s", name);
	return NULL;
}

/* The zone's tasks answer nothing; their targets time out (2 x 10 s),
 * ECS replaces them in the other zones, and the service recovers while
 * the zone is still out. Requests sent to them meanwhile fail. The two
 * expectation kinds read the record. */
START_TEST(test_az_outage_recovers)
{
	cli_result res;
	su_run_ok(az_json, &res);
	const recorder *r = res.rec;
	const rec_fact *f = su_fact(r, "fault", 0);
	ck_assert_str_eq(rec_fact_get_str(f, "kind"), "availabilityZone");
	ck_assert_double_eq_tol(rec_fact_get_num(f, "end", 0), 1800, 1e-6);
	const rec_fact *x = su_fact(r, "fault_impact", 0);
	ck_assert_str_eq(rec_fact_get_str(x, "healthyByZoneAtStart"), "us-east-1a=2,us-east-1b=2,us-east-1c=2");
	ck_assert_int_eq((int)rec_fact_get_int(x, "recovered", 0), 1);
	ck_assert_str_eq(rec_fact_get_str(x, "healthyByZone"), "us-east-1b=3,us-east-1c=3");
	ck_assert_int_eq((int)rec_fact_get_int(x, "lowestHealthy", -1), 4);
	double rt = rec_fact_get_num(x, "recoveryTime", -1);
	ck_assert_msg(rt > 20 && rt < 120, "recovery %g s", rt);
	/* the window runs to the zone's return */
	ck_assert_double_eq_tol(rec_fact_get_num(x, "windowEnd", 0), 1800, 1e-6);
	double errs = rec_fact_get_num(x, "errors", -1);
	ck_assert_msg(errs > 0 && errs < 1000, "errors %g", errs);
	ck_assert_int_eq(su_count_events(r, "is unhealthy in (target-group"), 2);
	ck_assert_int_eq(su_count_events(r, "due to (reason Request timed out)"), 2);
	ck_assert(verdict(&res, "fast")->pass);
	ck_assert(!verdict(&res, "too fast")->pass);
	ck_assert(verdict(&res, "few errors")->pass);
	ck_assert(!verdict(&res, "no errors")->pass);
	const expect_verdict *v = verdict(&res, "no such fault");
	ck_assert(!v->pass && v->no_data);

	/* the text summary lists the fault with what it did */
	rout *o = rout_mem();
	rfaults_text(o, r);
	const char *text = rout_mem_text(o, NULL);
	ck_assert_ptr_nonnull(strstr(text, "Faults (1)\n  1 00:10:00 availabilityZone us-east-1a for 20m\n"));
	ck_assert_ptr_nonnull(strstr(text, "      web: back in "));
	rout_free(o);
	/* report.html marks it on the time axis, from 00:10:00 to 00:30:00 */
	o = rout_mem();
	rhtml_write(o, r, res.verdicts);
	text = rout_mem_text(o, NULL);
	ck_assert_ptr_nonnull(strstr(text, "<title>fault 1: availabilityZone us-east-1a, 00:10:00 -> 00:30:00 (20m)</title>"));
	ck_assert_ptr_nonnull(strstr(text, "fault (hover: what)"));
	rout_free(o);
	cli_result_free(&res);
}
END_TEST

/* A new revision whose image cannot be pulled for the whole deployment:
 * tasks stop with TaskFailedToStart and CannotPullContainerError; the
 * service throttle logic delays launches [DOC §7.2]; with the circuit
 * breaker on, the deployment fails and rolls back [DOC §2]. */
START_TEST(test_image_pull_throttle_and_breaker)
{
	static const char json[] =
	    "{\"duration\": \"2h\", \"sampleInterval\": \"30s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}},"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{\"type\": \"m5.xlarge\", \"count\": 3}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 20,"
	    "   \"deploymentConfiguration\": {\"maximumPercent\": 110, \"minimumHealthyPercent\": 100,"
	    "     \"deploymentCircuitBreaker\": {\"enable\": true, \"rollback\": true}}}],"
	    " \"timeline\": ["
	    "  {\"at\": \"10m\", \"call\": \"ecs:RegisterTaskDefinition\", \"input\": {\"family\": \"app\","
	    "   \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app:2\", \"cpu\": 256, \"memory\": 256}]}},"
	    "  {\"at\": \"10m\", \"call\": \"sim:ImagePullFailure\", \"input\": {\"image\": \"app:2\", \"duration\": \"90m\"}},"
	    "  {\"at\": \"10m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"taskDefinition\": \"app\"}}"
	    " ]}";
	cli_result res;
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	ck_assert(su_count_events(r, "is unable to consistently start tasks successfully.") >= 1);
	const rec_fact *d = su_fact(r, "deployment", 1);
	ck_assert_str_eq(rec_fact_get_str(d, "rolloutState"), "FAILED");
	ck_assert_int_eq((int)rec_fact_get_int(d, "circuitBreakerTriggered", 0), 1);
	const rec_fact *rb = su_fact(r, "deployment", 2);
	ck_assert_ptr_nonnull(rb);
	ck_assert_int_eq((int)rec_fact_get_int(rb, "rollback", 0), 1);
	ck_assert_str_eq(rec_fact_get_str(rb, "rolloutState"), "COMPLETED");
	/* threshold ceil(0.5 x 20) = 10 failures, each a pull of app:2 */
	int n = (int)rec_fact_count(r, "fault_task");
	ck_assert_int_ge(n, 10);
	ck_assert_int_eq(count_facts(r, "fault_task", "stopCode", "TaskFailedToStart"), n);
	ck_assert_int_eq(count_facts(r, "fault_task", "stoppedReason",
	    "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref \"app:2\": i/o timeout"), n);
	ck_assert_int_eq((int)rec_fact_get_int(su_fact(r, "fault", 0), "pullsFailed", 0), n);
	/* back-off: the first attempts follow each other as fast as a pull
	 * fails; after three failed attempts the next waits the throttle's
	 * delay (ecs.throttleInitialDelay 30 s, doubling) */
	sim_time fail = su_first_event_after(r, "deployment failed", S(600));
	sim_time prev = -1, shortest = SIM_TIME_MAX, longest = 0;
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		if (e->t < S(600) || e->t > fail || strstr(e->text, "has started") == NULL)
			continue;
		if (prev >= 0) {
			shortest = e->t - prev < shortest ? e->t - prev : shortest;
			longest = e->t - prev > longest ? e->t - prev : longest;
		}
		prev = e->t;
	}
	ck_assert_msg(shortest < S(20), "shortest gap %lld us", (long long)shortest);
	ck_assert_msg(longest > S(40), "longest gap %lld us", (long long)longest);
	/* the service itself never dropped: min 100 % */
	const rec_fact *x = su_fact(r, "fault_impact", 0);
	ck_assert_int_eq((int)rec_fact_get_int(x, "lowestHealthy", -1), 20);
	cli_result_free(&res);
}
END_TEST

/* [DOC pull-behavior.html] ECS_IMAGE_PULL_BEHAVIOR default: a failed pull
 * falls back to the image cached on the instance; always: the task fails.
 * Every task of app:1 exits while the registry is out; on the same
 * instances they restart from the cache only under default. */
START_TEST(test_pull_cache_fallback)
{
	static const char tl[] =
	    "{\"at\": \"10m\", \"call\": \"sim:ImagePullFailure\", \"input\": {\"image\": \"app:1\", \"duration\": \"20m\"}},"
	    "{\"at\": \"11m\", \"call\": \"sim:CrashTasks\", \"input\": {\"service\": \"web\", \"fraction\": 1}}";
	char json[4096];
	cli_result res;
	static_scenario(json, sizeof(json), tl,
	    ", \"ecsAgent\": {\"ECS_IMAGE_PULL_BEHAVIOR\": \"default\"}");
	su_run_ok(json, &res);
	ck_assert_int_eq(count_facts(res.rec, "fault_task", "stopCode", "TaskFailedToStart"), 0);
	const rec_fact *x = fact_where(res.rec, "fault_impact", "kind", "taskCrash");
	ck_assert_int_eq((int)rec_fact_get_int(x, "recovered", 0), 1);
	cli_result_free(&res);

	static_scenario(json, sizeof(json), tl,
	    ", \"ecsAgent\": {\"ECS_IMAGE_PULL_BEHAVIOR\": \"always\"}");
	/* an hour, to see the service come back after the registry */
	char *d = strstr(json, "\"40m\"");
	memcpy(d, "\"1h\" ", 5);
	su_run_ok(json, &res);
	ck_assert_int_ge(count_facts(res.rec, "fault_task", "stopCode", "TaskFailedToStart"), 3);
	/* back only after the registry returns at 30 minutes — later still,
	 * as the throttle's back-off has grown meanwhile */
	x = fact_where(res.rec, "fault_impact", "kind", "taskCrash");
	ck_assert_int_eq((int)rec_fact_get_int(x, "recovered", 0), 1);
	ck_assert(rec_fact_get_num(x, "recoveredAt", 0) > 1800 + 60);
	cli_result_free(&res);
}
END_TEST

/* [DOC API ContainerInstance] agentConnected false: no placements; the
 * placement failure names the agent [DOC §6.8]; tasks keep running (the
 * service is not hurt); reconnecting lets the task in. */
START_TEST(test_agent_disconnect)
{
	static const char json[] =
	    "{\"duration\": \"30m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}},"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{\"type\": \"m5.large\", \"count\": 1}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 2}],"
	    " \"timeline\": ["
	    "  {\"at\": \"10m\", \"call\": \"sim:DisconnectAgent\", \"input\": {\"instance\": \"index:0\", \"duration\": \"5m\"}},"
	    "  {\"at\": \"11m\", \"call\": \"ecs:UpdateService\", \"input\": {\"service\": \"web\", \"desiredCount\": 3}}"
	    " ]}";
	cli_result res;
	su_run_ok(json, &res);
	const recorder *r = res.rec;
	ck_assert(su_count_events(r, "encountered error \"AGENT\"") >= 1);
	ck_assert_double_eq(su_series_min(r, "service/web/running", S(600)), 2);
	ck_assert_double_eq(su_series_max(r, "service/web/running", S(660)), 3);
	ck_assert_double_eq(su_series_max(r, "service/web/running", S(610)) , 3);
	/* the third task only after the reconnection at 15 minutes */
	ck_assert_double_eq(su_series_max(r, "service/web/running", S(600)) , 3);
	sim_time third = su_first_event_after(r, "has started 1 tasks", S(660));
	ck_assert_msg(third >= S(900), "third task at %lld", (long long)third);
	const rec_fact *x = su_fact(r, "fault_impact", 0);
	ck_assert_double_eq(rec_fact_get_num(x, "recoveryTime", -1), 0);
	ck_assert_double_eq_tol(rec_fact_get_num(su_fact(r, "fault", 0), "end", 0), 900, 1e-6);
	cli_result_free(&res);
}
END_TEST

/* Random faults come from their own streams (sim/rng.h): with the same
 * seed, adding Spot interruptions (another group's instances interrupted
 * and replaced at their own times) leaves the On-Demand group's random
 * failures — of its first instances and of their replacements — exactly
 * where they were. */
static void
random_scenario(char *buf, size_t size, const char *spot_rate)
{
	snprintf(buf, size,
	    "{\"duration\": \"12h\", \"sampleInterval\": \"5m\", \"seed\": 99,"
	    " \"faults\": {\"instanceMeanTimeBetweenFailures\": \"3h\"%s},"
	    " \"clusters\": [{\"clusterName\": \"default\","
	    "   \"autoScalingGroups\": ["
	    "    {\"AutoScalingGroupName\": \"od\", \"MinSize\": 4, \"MaxSize\": 8, \"DesiredCapacity\": 4,"
	    "     \"InstanceType\": \"m5.large\"},"
	    "    {\"AutoScalingGroupName\": \"spot\", \"MinSize\": 3, \"MaxSize\": 6, \"DesiredCapacity\": 3,"
	    "     \"MixedInstancesPolicy\": {\"LaunchTemplate\": {\"Overrides\": [{\"InstanceType\": \"m5.large\"}]},"
	    "       \"InstancesDistribution\": {\"OnDemandPercentageAboveBaseCapacity\": 0}}}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 256, \"memory\": 256}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4}]}",
	    spot_rate);
}

/* Start times of the random failures of On-Demand instances, in order. */
static int
od_failures(const recorder *r, double *out, int cap)
{
	int n = 0;
	for (size_t i = 0; i < rec_fact_count(r, "fault") && n < cap; i++) {
		const rec_fact *f = rec_fact_at(r, "fault", i);
		if (strcmp(rec_fact_get_str(f, "kind"), "instanceFailure") != 0)
			continue;
		const rec_fact *t = fact_where(r, "instance_terminated", "instance",
		    rec_fact_get_str(f, "target"));
		if (t != NULL && rec_fact_get(t, "spot") == NULL)
			out[n++] = rec_fact_get_num(f, "start", -1);
	}
	return n;
}

START_TEST(test_random_streams_independent)
{
	char json[4096];
	cli_result a, b;
	double fa[64], fb[64];
	random_scenario(json, sizeof(json), "");
	su_run_ok(json, &a);
	random_scenario(json, sizeof(json), ", \"spotInterruptionsPerHour\": 0.5");
	su_run_ok(json, &b);
	int spot = 0;
	for (size_t i = 0; i < rec_fact_count(b.rec, "fault"); i++)
		spot += strcmp(rec_fact_get_str(rec_fact_at(b.rec, "fault", i), "kind"), "spotInterruption") == 0;
	ck_assert_int_ge(spot, 3);
	int na = od_failures(a.rec, fa, 64), nb = od_failures(b.rec, fb, 64);
	/* the first four instances and some of their replacements fail */
	ck_assert_int_ge(na, 5);
	ck_assert_int_eq(na, nb);
	for (int i = 0; i < na; i++)
		ck_assert_double_eq(fa[i], fb[i]);
	cli_result_free(&a);
	cli_result_free(&b);
}
END_TEST

/* [DOC disable-cross-zone.html] an ALB balances across zones (its
 * default); a target group with load_balancing.cross_zone.enabled false
 * sends each zone's half of the requests to that zone's targets only: the
 * lone task of us-east-1b takes half the load and overloads. */
static void
cross_zone_scenario(char *buf, size_t size, const char *value)
{
	snprintf(buf, size,
	    "{\"duration\": \"20m\", \"sampleInterval\": \"10s\","
	    " \"behaviour\": {\"default\": {\"pullTime\": \"10s\"}},"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": ["
	    "   {\"type\": \"m5.large\", \"count\": 3, \"availabilityZones\": [\"us-east-1a\"]},"
	    "   {\"type\": \"m5.large\", \"count\": 1, \"availabilityZones\": [\"us-east-1b\"]}]}],"
	    " \"taskDefinitions\": [{\"family\": \"app\", \"containerDefinitions\": [{\"name\": \"app\","
	    "   \"image\": \"app:1\", \"cpu\": 512, \"memory\": 512,"
	    "   \"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 0}]}]}],"
	    " \"targetGroups\": [{\"Name\": \"tg\", \"Protocol\": \"HTTP\", \"Port\": 8080,"
	    "   \"HealthCheckIntervalSeconds\": 10, \"HealthyThresholdCount\": 2,"
	    "   \"Attributes\": [{\"Key\": \"load_balancing.cross_zone.enabled\", \"Value\": \"%s\"}]}],"
	    " \"services\": [{\"serviceName\": \"web\", \"taskDefinition\": \"app\", \"desiredCount\": 4,"
	    "   \"placementConstraints\": [{\"type\": \"distinctInstance\"}],"
	    "   \"loadBalancers\": [{\"targetGroupArn\": \"tg\", \"containerName\": \"app\", \"containerPort\": 8080}]}],"
	    " \"workload\": [{\"service\": \"web\", \"requestsPerSecond\": {\"steps\": [{\"at\": \"0s\", \"rps\": 0},"
	    "   {\"at\": \"5m\", \"rps\": 300}]}, \"cpuMsPerRequest\": 20}]}",
	    value);
}

START_TEST(test_cross_zone)
{
	char json[4096];
	cli_result res;
	cross_zone_scenario(json, sizeof(json), "use_load_balancer_configuration");
	su_run_ok(json, &res);
	const rec_fact *s = fact_where(res.rec, "service", "name", "web");
	ck_assert_double_eq(rec_fact_get_num(s, "requests", -1), 270000);
	ck_assert_double_eq(rec_fact_get_num(s, "errors", -1), 0);
	cli_result_free(&res);
	cross_zone_scenario(json, sizeof(json), "false");
	su_run_ok(json, &res);
	s = fact_where(res.rec, "service", "name", "web");
	/* us-east-1b's task gets 150 of the 300 requests/s, serves 100 */
	double errs = rec_fact_get_num(s, "errors", -1);
	ck_assert_msg(errs > 40000 && errs < 46000, "errors %g", errs);
	cli_result_free(&res);
}
END_TEST

/* Load-time checks: each bad input names its place and the rule. */
static const struct {
	const char *json;
	const char *path;
	const char *msg;
} bad[] = {
	{"{\"services\": [], \"timeline\": [{\"at\": \"1m\", \"call\": \"sim:FailInstance\","
	 " \"input\": {\"instance\": \"index:3\"}}]}",
	 "timeline[0].input.instance", "cluster \"default\" has 0 static instances; \"index:3\" is out of range"},
	{"{\"services\": [], \"clusters\": [{\"instances\": [{\"type\": \"m5.large\"}]}],"
	 " \"timeline\": [{\"at\": \"1m\", \"call\": \"sim:FailInstance\","
	 " \"input\": {\"instance\": \"index:0\", \"mode\": \"gone\"}}]}",
	 "timeline[0].input.mode", NULL},
	{"{\"services\": [], \"timeline\": [{\"at\": \"1m\", \"call\": \"sim:FailAvailabilityZone\","
	 " \"input\": {\"availabilityZone\": \"us-east-1a\"}}]}",
	 "timeline[0].input", "missing required key 'duration'"},
	{"{\"services\": [], \"timeline\": [{\"at\": \"1m\", \"call\": \"sim:ImagePullFailure\","
	 " \"input\": {\"image\": \"nope:1\", \"duration\": \"5m\"}}]}",
	 "timeline[0].input.image", "no task definition registered by this point of the scenario uses the image \"nope:1\" (register it earlier in the timeline, or give \"*\" for every image)"},
	{"{\"services\": [], \"timeline\": [{\"at\": \"1m\", \"call\": \"sim:CrashTasks\","
	 " \"input\": {\"service\": \"web\", \"count\": 1}}]}",
	 "timeline[0].input.service", "service \"web\" does not exist in cluster \"default\" at this point of the scenario"},
	{"{\"services\": [], \"faults\": {\"spotPools\": [{\"capacityProvider\": \"FARGATE\", \"interruptionsPerHour\": 1}]}}",
	 "faults.spotPools[0].capacityProvider", "the only capacity provider with a Spot pool of its own is FARGATE_SPOT (an Auto Scaling group's Spot pools are its instance types), got \"FARGATE\""},
	{"{\"services\": [], \"faults\": {\"instanceFailure\": \"impaired\"}}",
	 "faults.instanceFailure", "instanceFailure says how random instance failures happen; give instanceMeanTimeBetweenFailures too"},
	{"{\"services\": [], \"clusters\": [{\"ecsAgent\": {\"ECS_ENABLE_SPOT_INSTANCE_DRAINING\": \"yes\"}}]}",
	 "clusters[0].ecsAgent.ECS_ENABLE_SPOT_INSTANCE_DRAINING", "ECS_ENABLE_SPOT_INSTANCE_DRAINING is \"true\" or \"false\", got \"yes\""},
	{"{\"services\": [], \"clusters\": [{\"autoScalingGroups\": [{\"AutoScalingGroupName\": \"g\", \"MinSize\": 0,"
	 " \"MaxSize\": 2, \"InstanceType\": \"m5.large\"}]}],"
	 " \"timeline\": [{\"at\": \"1m\", \"call\": \"sim:SpotInterruption\", \"input\": {\"AutoScalingGroupName\": \"g\", \"count\": 1}}]}",
	 "timeline[0].input.AutoScalingGroupName", "Auto Scaling group \"g\" launches no Spot Instances (it needs a MixedInstancesPolicy with OnDemandPercentageAboveBaseCapacity below 100)"},
	{"{\"services\": [], \"clusters\": [{\"autoScalingGroups\": [{\"AutoScalingGroupName\": \"g\", \"MinSize\": 0,"
	 " \"MaxSize\": 2, \"MixedInstancesPolicy\": {\"LaunchTemplate\": {\"Overrides\": [{\"InstanceType\": \"m5.large\"}]},"
	 " \"InstancesDistribution\": {\"SpotAllocationStrategy\": \"capacity-optimized\", \"SpotInstancePools\": 3}}}]}]}",
	 "clusters[0].autoScalingGroups[0].MixedInstancesPolicy.InstancesDistribution.SpotInstancePools",
	 "SpotInstancePools is valid only when SpotAllocationStrategy is lowest-price (here capacity-optimized)"},
	{"{\"services\": [], \"expect\": [{\"errorsDuringFaultAtMost\": {\"count\": 1, \"percent\": 1}}]}",
	 "expect[0].errorsDuringFaultAtMost.percent", NULL},
};

START_TEST(test_bad_inputs)
{
	sim_error err;
	int rc = su_validate(bad[_i].json, &err);
	ck_assert_int_eq(rc, SIM_EINPUT);
	ck_assert_msg(strcmp(err.path, bad[_i].path) == 0, "path %s, want %s (%s)", err.path,
	    bad[_i].path, err.msg);
	if (bad[_i].msg != NULL)
		ck_assert_str_eq(err.msg, bad[_i].msg);
}
END_TEST

Suite *
faults_suite(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("faults");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fail_instance_stop_code);
	tcase_add_test(tc, test_crash_tasks);
	tcase_add_test(tc, test_fargate_spot_interruption);
	tcase_add_test(tc, test_spot_draining_at_notice);
	tcase_add_test(tc, test_replacement_honours_constraints);
	tcase_add_test(tc, test_asg_replaces_after_grace);
	tcase_add_test(tc, test_az_outage_recovers);
	tcase_add_test(tc, test_image_pull_throttle_and_breaker);
	tcase_add_test(tc, test_pull_cache_fallback);
	tcase_add_test(tc, test_agent_disconnect);
	tcase_add_test(tc, test_random_streams_independent);
	tcase_add_test(tc, test_cross_zone);
	tcase_add_loop_test(tc, test_bad_inputs, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	suite_add_tcase(s, tc);
	return s;
}
