/*
 * Tests for placement: on small hand-made clusters, which instance each
 * strategy and constraint picks, the ports a task gets, the failure
 * reason and AWS event text naming the closest instance, determinism of
 * random choices, and the exact errors of the placementStrategy and
 * placementConstraints parsers.
 */
#include <stdio.h>
#include <string.h>

#include "model/ecs/placement.h"
#include "sim/recorder.h"
#include "tests/suites.h"

#define MAXI 8

static plc_instance V[MAXI];
static plc_ports P[MAXI];
static int N;
static plc_policy POL;
static arena *A;
static sim_error err;

static void
setup(void)
{
	memset(V, 0, sizeof(V));
	memset(&POL, 0, sizeof(POL));
	N = 0;
	A = arena_new();
	sim_error_clear(&err);
}

static void
teardown(void)
{
	arena_free(A);
}

/* Add an ACTIVE, connected instance i-<n> / ci-<n> with default reserved
 * ports; returns its index. */
static int
add(const char *az, const char *type, int cpu, int mem, int svc_tasks)
{
	static char ids[MAXI][16], cis[MAXI][16];
	int i = N++;
	ck_assert_int_lt(i, MAXI);
	snprintf(ids[i], sizeof(ids[i]), "i-%d", i);
	snprintf(cis[i], sizeof(cis[i]), "ci-%d", i);
	plc_ports_clear(&P[i]);
	plc_ports_reserve_defaults(&P[i]);
	V[i] = (plc_instance){
		.t = {.ec2_instance_id = ids[i], .running_tasks = svc_tasks,
		    .agent_connected = true, .az = az, .instance_type = type,
		    .os_type = "linux", .cpu_arch = "x86_64"},
		.ci_id = cis[i], .status = PLC_ACTIVE, .cpu_free = cpu,
		.mem_free = mem, .ports = &P[i], .svc_tasks = svc_tasks,
	};
	return i;
}

static const plc_task small = {.cpu = 256, .memory = 256};

/* Place t with policy POL and no rng; commit on success. */
static int
place_commit(const plc_task *t, rng *r, int *ports)
{
	plc_result res;
	int i = plc_place(&POL, t, V, N, NULL, r, ports, &res);
	if (i >= 0) {
		ck_assert_int_eq(res.reason, PLC_PLACED);
		plc_commit(&V[i], t, ports);
	}
	return i;
}

static void
strategy(plc_strategy_type type, plc_field f, const char *attr)
{
	POL.strategies[POL.nstrategies++] = (plc_strategy){type, f, attr};
}

static void
member_of(const char *expr)
{
	plc_constraint *c = &POL.constraints[POL.nconstraints++];
	c->type = PLC_MEMBER_OF;
	ck_assert_int_eq(cql_parse(A, expr, &c->expr, &err), 0);
}

/* ---- strategies ---- */

START_TEST(test_default_third_task_to_emptier_az)
{
	/* 3 instances in 2 AZs; two tasks already in us-east-1a */
	add("us-east-1a", "m5.large", 2048, 8000, 1);
	add("us-east-1a", "m5.large", 2048, 8000, 1);
	add("us-east-1b", "m5.large", 2048, 8000, 0);
	ck_assert_int_eq(place_commit(&small, NULL, NULL), 2);
	/* now 2 vs 1: the next goes to 1b again, even though it holds a task
	 * and the 1a instances each hold one too */
	ck_assert_int_eq(place_commit(&small, NULL, NULL), 2);
	/* 2 vs 2: AZs tie, the instance spread picks a 1a one (1 task each,
	 * 1b's has 2) */
	int i = place_commit(&small, NULL, NULL);
	ck_assert(i == 0 || i == 1);
}
END_TEST

START_TEST(test_default_sequence_from_empty)
{
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1b", "m5.large", 4096, 8000, 0);
	/* without an rng, ties go to the lowest index */
	static const int want[] = {0, 2, 1, 2, 0, 2};
	for (int k = 0; k < 6; k++)
		ck_assert_int_eq(place_commit(&small, NULL, NULL), want[k]);
	ck_assert_int_eq(V[0].svc_tasks + V[1].svc_tasks, 3);
	ck_assert_int_eq(V[2].svc_tasks, 3);
	ck_assert_int_eq(V[2].cpu_free, 4096 - 3 * 256);
	ck_assert_int_eq(V[2].mem_free, 8000 - 3 * 256);
	ck_assert_int_eq(V[2].t.running_tasks, 3);
}
END_TEST

START_TEST(test_binpack_cpu)
{
	add("us-east-1a", "m5.xlarge", 4096, 16000, 0);
	add("us-east-1a", "m5.large", 1024, 16000, 0);
	add("us-east-1b", "m5.large", 2048, 16000, 0);
	strategy(PLC_BINPACK, PLC_FIELD_CPU, NULL);
	plc_task t = {.cpu = 1024, .memory = 512};
	plc_result res;
	/* least remaining CPU that still fits: the exact fit */
	ck_assert_int_eq(plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res), 1);
	t.cpu = 1500;
	ck_assert_int_eq(plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res), 2);
	/* filling up: 4 tasks of 1024 go 1, 2, 2, 0 */
	t.cpu = 1024;
	static const int want[] = {1, 2, 2, 0};
	for (int k = 0; k < 4; k++)
		ck_assert_int_eq(place_commit(&t, NULL, NULL), want[k]);
}
END_TEST

START_TEST(test_binpack_memory)
{
	add("us-east-1a", "r5.large", 2048, 16000, 0);
	add("us-east-1a", "m5.large", 2048, 7900, 0);
	add("us-east-1b", "c5.large", 2048, 3700, 0);
	strategy(PLC_BINPACK, PLC_FIELD_MEMORY, NULL);
	plc_task t = {.cpu = 256, .memory = 2048};
	ck_assert_int_eq(place_commit(&t, NULL, NULL), 2);
	/* c5 has 1652 left: too little; m5 is next-tightest */
	ck_assert_int_eq(place_commit(&t, NULL, NULL), 1);
}
END_TEST

START_TEST(test_spread_instance)
{
	add("us-east-1a", "m5.large", 4096, 8000, 3);
	add("us-east-1a", "m5.large", 4096, 8000, 1);
	add("us-east-1a", "m5.large", 4096, 8000, 2);
	strategy(PLC_SPREAD, PLC_FIELD_INSTANCE, NULL);
	static const int want[] = {1, 1, 2, 0};
	for (int k = 0; k < 4; k++)
		ck_assert_int_eq(place_commit(&small, NULL, NULL), want[k]);
}
END_TEST

START_TEST(test_spread_custom_attribute)
{
	/* spread across "rack", an attribute one instance lacks: instances
	 * without it form their own group */
	static const cql_attr r1 = {"rack", "r1"}, r2 = {"rack", "r2"};
	add("us-east-1a", "m5.large", 4096, 8000, 2);
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1b", "m5.large", 4096, 8000, 1);
	add("us-east-1b", "m5.large", 4096, 8000, 1);
	V[0].t.attrs = &r1, V[0].t.nattrs = 1;
	V[1].t.attrs = &r1, V[1].t.nattrs = 1;
	V[2].t.attrs = &r2, V[2].t.nattrs = 1;
	/* r1: 2 tasks, r2: 1, none: 1 -> r2 and the bare one tie; binpack
	 * memory next prefers less memory left */
	V[3].mem_free = 7000;
	strategy(PLC_SPREAD, PLC_FIELD_ATTRIBUTE, "rack");
	strategy(PLC_BINPACK, PLC_FIELD_MEMORY, NULL);
	ck_assert_int_eq(place_commit(&small, NULL, NULL), 3);
	/* now r1 2, r2 1, none 2 -> r2 */
	ck_assert_int_eq(place_commit(&small, NULL, NULL), 2);
}
END_TEST

START_TEST(test_az_spread_then_binpack)
{
	/* "AZ Balanced BinPack": AZ first, then the fullest instance there */
	add("us-east-1a", "m5.large", 4096, 2000, 1);
	add("us-east-1b", "m5.large", 4096, 6000, 0);
	add("us-east-1b", "m5.large", 4096, 3000, 0);
	strategy(PLC_SPREAD, PLC_FIELD_ATTRIBUTE, "ecs.availability-zone");
	strategy(PLC_BINPACK, PLC_FIELD_MEMORY, NULL);
	ck_assert_int_eq(place_commit(&small, NULL, NULL), 2);
	ck_assert_int_eq(place_commit(&small, NULL, NULL), 0);
	ck_assert_int_eq(place_commit(&small, NULL, NULL), 2);
}
END_TEST

START_TEST(test_random_deterministic)
{
	for (int k = 0; k < 4; k++)
		add("us-east-1a", "m5.large", 1 << 20, 1 << 20, 0);
	strategy(PLC_RANDOM, PLC_FIELD_NONE, NULL);
	int first[64], counts[4] = {0};
	rng *r = rng_new(42, "placement", 7);
	for (int k = 0; k < 64; k++) {
		first[k] = place_commit(&small, r, NULL);
		ck_assert_int_ge(first[k], 0);
	}
	rng_free(r);
	/* same seed, same stream: same choices */
	r = rng_new(42, "placement", 7);
	for (int k = 0; k < 64; k++)
		ck_assert_int_eq(place_commit(&small, r, NULL), first[k]);
	/* roughly uniform over many draws */
	for (int k = 0; k < 4000; k++)
		counts[place_commit(&small, r, NULL)]++;
	rng_free(r);
	for (int k = 0; k < 4; k++)
		ck_assert_msg(counts[k] > 850 && counts[k] < 1150, "count %d: %d",
		    k, counts[k]);
	/* another seed gives another sequence */
	r = rng_new(43, "placement", 7);
	int same = 0;
	for (int k = 0; k < 64; k++)
		same += place_commit(&small, r, NULL) == first[k];
	rng_free(r);
	ck_assert_int_lt(same, 40);
}
END_TEST

START_TEST(test_random_first_wins)
{
	/* random picks one; a later binpack has nothing left to choose */
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1a", "m5.large", 1024, 8000, 0);
	strategy(PLC_RANDOM, PLC_FIELD_NONE, NULL);
	strategy(PLC_BINPACK, PLC_FIELD_CPU, NULL);
	int seen[2] = {0, 0};
	rng *r = rng_new(1, "placement", 0);
	plc_result res;
	for (int k = 0; k < 200; k++)
		seen[plc_place(&POL, &small, V, N, NULL, r, NULL, &res)]++;
	rng_free(r);
	ck_assert_int_gt(seen[0], 50);
	ck_assert_int_gt(seen[1], 50);
}
END_TEST

START_TEST(test_ties_random_with_rng)
{
	/* equal candidates: the rng decides, deterministically per stream */
	for (int k = 0; k < 3; k++)
		add("us-east-1a", "m5.large", 4096, 8000, 0);
	plc_result res;
	int seen[3] = {0, 0, 0}, again[20];
	rng *r = rng_new(5, "placement", 0);
	for (int k = 0; k < 300; k++) {
		int i = plc_place(&POL, &small, V, N, NULL, r, NULL, &res);
		seen[i]++;
		if (k < 20)
			again[k] = i;
	}
	rng_free(r);
	for (int k = 0; k < 3; k++)
		ck_assert_int_gt(seen[k], 60);
	r = rng_new(5, "placement", 0);
	for (int k = 0; k < 20; k++)
		ck_assert_int_eq(plc_place(&POL, &small, V, N, NULL, r, NULL,
		    &res), again[k]);
	rng_free(r);
}
END_TEST

/* ---- constraints ---- */

START_TEST(test_distinct_instance)
{
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1b", "m5.large", 4096, 8000, 0);
	POL.constraints[POL.nconstraints++].type = PLC_DISTINCT_INSTANCE;
	bool used[3] = {false, false, false};
	for (int k = 0; k < 3; k++) {
		int i = place_commit(&small, NULL, NULL);
		ck_assert_int_ge(i, 0);
		ck_assert(!used[i]);
		used[i] = true;
	}
	plc_result res;
	ck_assert_int_eq(plc_place(&POL, &small, V, N, NULL, NULL, NULL, &res),
	    -1);
	ck_assert_int_eq(res.index, -1);
	ck_assert_int_eq(res.reason, PLC_ATTRIBUTE);
	ck_assert_int_eq(res.closest, 0); /* the first that fit resources */
	ck_assert_str_eq(res.closest_id, "ci-0");
	ck_assert_ptr_null(plc_reason_code(res.reason));
	char buf[512];
	plc_event_text(&res, "web", buf, sizeof(buf));
	ck_assert_str_eq(buf, "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ci-0) is missing an attribute required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
}
END_TEST

START_TEST(test_member_of_instance_type)
{
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1a", "t3.medium", 2048, 3900, 5);
	add("us-east-1b", "t3.large", 2048, 7900, 0);
	member_of("attribute:ecs.instance-type =~ t3.*");
	for (int k = 0; k < 6; k++) {
		int i = place_commit(&small, NULL, NULL);
		ck_assert(i == 1 || i == 2);
	}
	ck_assert_int_eq(V[0].svc_tasks, 0);
}
END_TEST

START_TEST(test_member_of_az)
{
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1b", "m5.large", 4096, 8000, 3);
	add("us-east-1c", "m5.large", 4096, 8000, 0);
	member_of("attribute:ecs.availability-zone in [us-east-1b, us-east-1c]");
	member_of("runningTasksCount < 5");
	/* default spread among 1b and 1c: 1c first */
	static const int want[] = {2, 2, 2, 1, 2, 1, 2};
	for (int k = 0; k < 7; k++)
		ck_assert_int_eq(place_commit(&small, NULL, NULL), want[k]);
	/* both now run 5 tasks: runningTasksCount < 5 fails everywhere */
	plc_result res;
	ck_assert_int_eq(plc_place(&POL, &small, V, N, NULL, NULL, NULL, &res),
	    -1);
	ck_assert_int_eq(res.reason, PLC_ATTRIBUTE);
	ck_assert_int_eq(res.closest, 0);
}
END_TEST

START_TEST(test_constraints_after_resources)
{
	/* the only instance that matches lacks memory: a resource failure,
	 * named on the closest instance overall, not an attribute one */
	add("us-east-1a", "m5.large", 4096, 100, 0);
	add("us-east-1b", "t3.large", 4096, 200, 0);
	member_of("attribute:ecs.instance-type == m5.large");
	plc_result res;
	ck_assert_int_eq(plc_place(&POL, &small, V, N, NULL, NULL, NULL, &res),
	    -1);
	ck_assert_int_eq(res.reason, PLC_MEMORY);
	ck_assert_int_eq(res.closest, 1); /* fewer MiB missing */
}
END_TEST

/* ---- resources and failures ---- */

START_TEST(test_no_instances)
{
	plc_result res;
	char buf[512];
	ck_assert_int_eq(plc_place(&POL, &small, V, 0, NULL, NULL, NULL, &res),
	    -1);
	ck_assert_int_eq(res.reason, PLC_NO_INSTANCES);
	ck_assert_int_eq(res.closest, -1);
	ck_assert_ptr_null(res.closest_id);
	plc_event_text(&res, "web", buf, sizeof(buf));
	ck_assert_str_eq(buf, "(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
	ck_assert_str_eq(plc_reason_text(PLC_NO_INSTANCES),
	    "No Container Instances were found in your cluster.");
	/* DRAINING and other statuses do not count */
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	V[0].status = PLC_DRAINING;
	V[1].status = PLC_REGISTERING;
	ck_assert_int_eq(plc_place(&POL, &small, V, N, NULL, NULL, NULL, &res),
	    -1);
	ck_assert_int_eq(res.reason, PLC_NO_INSTANCES);
}
END_TEST

START_TEST(test_draining_never_chosen)
{
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1b", "m5.large", 4096, 8000, 5);
	V[0].status = PLC_DRAINING;
	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(place_commit(&small, NULL, NULL), 1);
}
END_TEST

START_TEST(test_agent_disconnected)
{
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	V[0].t.agent_connected = false;
	plc_result res;
	char buf[512];
	ck_assert_int_eq(plc_place(&POL, &small, V, N, NULL, NULL, NULL, &res),
	    -1);
	ck_assert_int_eq(res.reason, PLC_AGENT);
	plc_event_text(&res, "api", buf, sizeof(buf));
	ck_assert_str_eq(buf, "(service api) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ci-0) encountered error \"AGENT\". For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
	/* a connected instance short of CPU is closer */
	add("us-east-1a", "m5.large", 100, 8000, 0);
	plc_place(&POL, &small, V, N, NULL, NULL, NULL, &res);
	ck_assert_int_eq(res.reason, PLC_CPU);
	ck_assert_int_eq(res.closest, 1);
}
END_TEST

START_TEST(test_insufficient_cpu_vs_memory)
{
	plc_task t = {.cpu = 1024, .memory = 512};
	plc_result res;
	char buf[512];
	/* a fails CPU; b passes CPU and fails memory: b got further */
	add("us-east-1a", "m5.large", 512, 4096, 0);
	add("us-east-1b", "m5.large", 2048, 256, 0);
	ck_assert_int_eq(plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res), -1);
	ck_assert_int_eq(res.reason, PLC_MEMORY);
	ck_assert_str_eq(res.closest_id, "ci-1");
	ck_assert_str_eq(plc_reason_code(res.reason), "RESOURCE:MEMORY");
	plc_event_text(&res, "web", buf, sizeof(buf));
	ck_assert_str_eq(buf, "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ci-1) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
	/* both short of CPU: the one missing fewer units */
	V[1].cpu_free = 1000;
	ck_assert_int_eq(plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res), -1);
	ck_assert_int_eq(res.reason, PLC_CPU);
	ck_assert_str_eq(res.closest_id, "ci-1");
	ck_assert_str_eq(plc_reason_code(res.reason), "RESOURCE:CPU");
	plc_event_text(&res, "web", buf, sizeof(buf));
	ck_assert_str_eq(buf, "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ci-1) has insufficient CPU units available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
	/* equally short: the lowest index */
	V[1].cpu_free = 512;
	plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res);
	ck_assert_str_eq(res.closest_id, "ci-0");
	/* exact fit is a fit */
	V[1].cpu_free = 1024;
	V[1].mem_free = 512;
	ck_assert_int_eq(plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res), 1);
}
END_TEST

START_TEST(test_default_reserved_ports)
{
	int n;
	const int *p = plc_default_reserved_ports(&n);
	ck_assert_int_eq(n, 5);
	static const int want[] = {22, 2375, 2376, 51678, 51679};
	for (int k = 0; k < 5; k++)
		ck_assert_int_eq(p[k], want[k]);
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	for (int k = 0; k < 5; k++)
		ck_assert(plc_ports_has(&P[0], want[k]));
	ck_assert(!plc_ports_has(&P[0], 80));
	ck_assert(!plc_ports_has(&P[0], 51680));
	plc_result res;
	for (int k = 0; k < 5; k++) {
		plc_task t = {.cpu = 1, .memory = 1, .static_ports = &want[k],
			.nstatic = 1};
		ck_assert_int_eq(plc_place(&POL, &t, V, N, NULL, NULL, NULL,
		    &res), -1);
		ck_assert_int_eq(res.reason, PLC_PORTS);
	}
}
END_TEST

START_TEST(test_static_port_conflict)
{
	static const int ports[] = {80, 443};
	plc_task t = {.cpu = 256, .memory = 256, .static_ports = ports,
		.nstatic = 2};
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1b", "m5.large", 4096, 8000, 0);
	/* one task per instance: the static ports are taken afterwards */
	int a = place_commit(&t, NULL, NULL), b = place_commit(&t, NULL, NULL);
	ck_assert_int_eq(a + b, 1);
	ck_assert(plc_ports_has(&P[0], 80) && plc_ports_has(&P[1], 443));
	plc_result res;
	char buf[512];
	ck_assert_int_eq(plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res), -1);
	ck_assert_int_eq(res.reason, PLC_PORTS);
	ck_assert_str_eq(res.closest_id, "ci-0");
	ck_assert_str_eq(plc_reason_code(res.reason), "RESOURCE:PORTS");
	plc_event_text(&res, "web", buf, sizeof(buf));
	ck_assert_str_eq(buf, "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ci-0) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
	/* fewer conflicting ports is closer */
	plc_ports_del(&P[1], 80);
	plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res);
	ck_assert_str_eq(res.closest_id, "ci-1");
	/* a third instance that is short of memory passed fewer checks */
	add("us-east-1c", "m5.large", 4096, 10, 0);
	plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res);
	ck_assert_int_eq(res.reason, PLC_PORTS);
	ck_assert_str_eq(res.closest_id, "ci-1");
	/* freeing the port lets it in */
	plc_ports_del(&P[1], 443);
	ck_assert_int_eq(plc_place(&POL, &t, V, N, NULL, NULL, NULL, &res), 1);
}
END_TEST

START_TEST(test_dynamic_ports)
{
	int got[4];
	static const int st = 32772;
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	plc_ports_add(&P[0], 32768);
	plc_ports_add(&P[0], 32770);
	plc_task t = {.cpu = 1, .memory = 1, .ndynamic = 2};
	plc_result res;
	ck_assert_int_eq(plc_place(&POL, &t, V, N, NULL, NULL, got, &res), 0);
	ck_assert_int_eq(res.nports, 2);
	ck_assert_int_eq(got[0], 32769);
	ck_assert_int_eq(got[1], 32771);
	/* a static port of the task itself is skipped */
	plc_task u = {.cpu = 1, .memory = 1, .static_ports = &st, .nstatic = 1,
		.ndynamic = 3};
	ck_assert_int_eq(place_commit(&u, NULL, got), 0);
	ck_assert_int_eq(got[0], 32769);
	ck_assert_int_eq(got[1], 32771);
	ck_assert_int_eq(got[2], 32773);
	/* committed: the next task gets the next ones */
	ck_assert_int_eq(place_commit(&t, NULL, got), 0);
	ck_assert_int_eq(got[0], 32774);
	ck_assert_int_eq(got[1], 32775);
	ck_assert(plc_ports_has(&P[0], 32772) && plc_ports_has(&P[0], 32775));
}
END_TEST

START_TEST(test_dynamic_port_range)
{
	int got[3];
	plc_params def = plc_params_default();
	ck_assert_int_eq(def.dyn_lo, 32768);
	ck_assert_int_eq(def.dyn_hi, 61000);
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	plc_task t = {.cpu = 1, .memory = 1, .ndynamic = 2};
	plc_result res;
	/* the agent's fallback range */
	plc_params agent = {49153, 65535};
	ck_assert_int_eq(plc_place(&POL, &t, V, N, &agent, NULL, got, &res), 0);
	ck_assert_int_eq(got[0], 49153);
	ck_assert_int_eq(got[1], 49154);
	/* a full word of used ports is skipped */
	for (int p = 49153; p < 49153 + 200; p++)
		plc_ports_add(&P[0], p);
	ck_assert_int_eq(plc_place(&POL, &t, V, N, &agent, NULL, got, &res), 0);
	ck_assert_int_eq(got[0], 49353);
	ck_assert_int_eq(got[1], 49354);
	/* exhausted: a ports failure */
	plc_params tiny = {40000, 40002};
	plc_ports_add(&P[0], 40000);
	plc_ports_add(&P[0], 40002);
	ck_assert_int_eq(plc_place(&POL, &t, V, N, &tiny, NULL, got, &res), -1);
	ck_assert_int_eq(res.reason, PLC_PORTS);
	t.ndynamic = 1;
	ck_assert_int_eq(plc_place(&POL, &t, V, N, &tiny, NULL, got, &res), 0);
	ck_assert_int_eq(got[0], 40001);
	/* the top of the range is usable */
	plc_params top = {65534, 65535};
	t.ndynamic = 2;
	ck_assert_int_eq(plc_place(&POL, &t, V, N, &top, NULL, got, &res), 0);
	ck_assert_int_eq(got[0], 65534);
	ck_assert_int_eq(got[1], 65535);
}
END_TEST

START_TEST(test_reason_texts)
{
	ck_assert_str_eq(plc_reason_text(PLC_CPU),
	    "has insufficient CPU units available.");
	ck_assert_str_eq(plc_reason_text(PLC_MEMORY),
	    "has insufficient memory available.");
	ck_assert_str_eq(plc_reason_text(PLC_PORTS),
	    "is already using a port required by your task.");
	ck_assert_str_eq(plc_reason_text(PLC_ATTRIBUTE),
	    "is missing an attribute required by your task.");
	ck_assert_str_eq(plc_reason_text(PLC_AGENT),
	    "encountered error \"AGENT\".");
	ck_assert_str_eq(plc_reason_text(PLC_PLACED), "");
	ck_assert_ptr_null(plc_reason_code(PLC_NO_INSTANCES));
	ck_assert_ptr_null(plc_reason_code(PLC_AGENT));
	/* truncation is safe */
	plc_result res = {.index = -1, .reason = PLC_CPU, .closest = 0,
		.closest_id = "ci-0"};
	char small_buf[16];
	plc_event_text(&res, "web", small_buf, sizeof(small_buf));
	ck_assert_str_eq(small_buf, "(service web) w");
}
END_TEST

/* ---- parsing ---- */

static jr_loader *L;

static int
parse_section(const char *text, const char *key)
{
	jr_val root, v;
	jr_obj o;
	L = jr_loader_new(A);
	ck_assert_int_eq(jr_load_text(L, "s.json", text, &root, &err), 0);
	ck_assert_int_eq(jr_object(&root, &o, &err), 0);
	ck_assert(jr_get(&o, key, &v));
	int rc = strcmp(key, "placementStrategy") == 0 ?
	    plc_parse_strategies(&v, &POL, &err) :
	    plc_parse_constraints(&v, A, &POL, &err);
	jr_loader_free(L);
	return rc;
}

START_TEST(test_parse_valid)
{
	ck_assert_int_eq(parse_section("{\"placementStrategy\": [\n"
	    "  {\"type\": \"spread\", \"field\": \"attribute:ecs.availability-zone\"},\n"
	    "  {\"type\": \"binpack\", \"field\": \"memory\"},\n"
	    "  {\"type\": \"spread\", \"field\": \"host\"},\n"
	    "  {\"type\": \"spread\", \"field\": \"instanceId\"},\n"
	    "  {\"type\": \"random\"}\n"
	    "]}", "placementStrategy"), 0);
	ck_assert_int_eq(POL.nstrategies, 5);
	ck_assert_int_eq(POL.strategies[0].type, PLC_SPREAD);
	ck_assert_int_eq(POL.strategies[0].field, PLC_FIELD_ATTRIBUTE);
	ck_assert_str_eq(POL.strategies[0].attribute, "ecs.availability-zone");
	ck_assert_int_eq(POL.strategies[1].type, PLC_BINPACK);
	ck_assert_int_eq(POL.strategies[1].field, PLC_FIELD_MEMORY);
	ck_assert_int_eq(POL.strategies[2].field, PLC_FIELD_INSTANCE);
	ck_assert_int_eq(POL.strategies[3].field, PLC_FIELD_INSTANCE);
	ck_assert_int_eq(POL.strategies[4].type, PLC_RANDOM);
	ck_assert_int_eq(parse_section("{\"placementConstraints\": [\n"
	    "  {\"type\": \"distinctInstance\"},\n"
	    "  {\"type\": \"memberOf\", \"expression\": "
	    "\"attribute:ecs.instance-type =~ t3.*\"}\n"
	    "]}", "placementConstraints"), 0);
	ck_assert_int_eq(POL.nconstraints, 2);
	ck_assert_int_eq(POL.constraints[0].type, PLC_DISTINCT_INSTANCE);
	ck_assert_int_eq(POL.constraints[1].type, PLC_MEMBER_OF);
	ck_assert_str_eq(cql_text(POL.constraints[1].expr),
	    "attribute:ecs.instance-type =~ t3.*");
	/* the parsed policy places */
	memset(&POL.strategies, 0, sizeof(POL.strategies));
	POL.nstrategies = 0;
	add("us-east-1a", "m5.large", 4096, 8000, 0);
	add("us-east-1a", "t3.large", 4096, 8000, 0);
	ck_assert_int_eq(place_commit(&small, NULL, NULL), 1);
	plc_result res;
	ck_assert_int_eq(plc_place(&POL, &small, V, N, NULL, NULL, NULL, &res),
	    -1);
	ck_assert_int_eq(res.reason, PLC_ATTRIBUTE);
	/* an empty list keeps the default */
	ck_assert_int_eq(parse_section("{\"placementStrategy\": []}",
	    "placementStrategy"), 0);
	ck_assert_int_eq(POL.nstrategies, 0);
}
END_TEST

static const struct {
	const char *key;
	const char *elem; /* on line 2, from column 3 */
	int col;
	const char *path, *msg;
} parse_errors[] = {
	{"placementStrategy", "{\"type\": \"binpak\", \"field\": \"cpu\"}", 12,
	    "placementStrategy[0].type",
	    "expected one of \"binpack\", \"spread\", \"random\", got \"binpak\"; did you mean \"binpack\"?"},
	{"placementStrategy", "{\"field\": \"cpu\"}", 3,
	    "placementStrategy[0]", "missing required key 'type'"},
	{"placementStrategy", "{\"type\": \"binpack\", \"field\": \"CPU\"}", 32,
	    "placementStrategy[0].field",
	    "expected one of \"cpu\", \"memory\", got \"CPU\"; did you mean \"cpu\"?"},
	{"placementStrategy", "{\"type\": \"binpack\"}", 3,
	    "placementStrategy[0]",
	    "binpack needs a field (\"cpu\" or \"memory\")"},
	{"placementStrategy", "{\"type\": \"spread\"}", 3,
	    "placementStrategy[0]",
	    "spread needs a field (\"instanceId\", \"host\" or \"attribute:<name>\")"},
	{"placementStrategy", "{\"type\": \"spread\", \"field\": \"az\"}", 31,
	    "placementStrategy[0].field",
	    "spread field must be \"instanceId\", \"host\" or \"attribute:<name>\", got \"az\""},
	{"placementStrategy", "{\"type\": \"spread\", \"field\": \"attribute:\"}",
	    31, "placementStrategy[0].field",
	    "spread field must be \"instanceId\", \"host\" or \"attribute:<name>\", got \"attribute:\""},
	{"placementStrategy", "{\"type\": \"spread\", \"field\": 3}", 31,
	    "placementStrategy[0].field", "expected a string, got number"},
	{"placementStrategy", "{\"type\": \"random\", \"field\": \"cpu\"}", 31,
	    "placementStrategy[0].field", "random takes no field"},
	{"placementStrategy",
	    "{\"type\": \"spread\", \"field\": \"host\", \"weight\": 1}", 39,
	    "placementStrategy[0]", "unknown key 'weight'"},
	{"placementStrategy", "\"spread\"", 3, "placementStrategy[0]",
	    "expected an object, got string"},
	{"placementConstraints",
	    "{\"type\": \"distinctInstance\", \"expression\": \"x\"}", 46,
	    "placementConstraints[0].expression",
	    "distinctInstance takes no expression"},
	{"placementConstraints", "{\"type\": \"memberOf\"}", 3,
	    "placementConstraints[0]", "memberOf needs an expression"},
	{"placementConstraints",
	    "{\"type\": \"memberOf\", \"expression\": "
	    "\"attribute:ecs.instance-type t3\"}", 38,
	    "placementConstraints[0].expression",
	    "cql: expected an operator after 'attribute:ecs.instance-type' at character 29"},
	{"placementConstraints",
	    "{\"type\": \"memberOf\", \"expression\": \"\"}", 38,
	    "placementConstraints[0].expression", "cql: empty expression"},
	{"placementConstraints",
	    "{\"type\": \"memberOf\", \"expression\": 5}", 38,
	    "placementConstraints[0].expression",
	    "expected a string, got number"},
	{"placementConstraints", "{\"type\": \"memberof\", \"expression\": \"x\"}",
	    12, "placementConstraints[0].type",
	    "expected one of \"distinctInstance\", \"memberOf\", got \"memberof\"; did you mean \"memberOf\"?"},
	{"placementConstraints",
	    "{\"type\": \"memberOf\", \"expresion\": \"x\"}", 24,
	    "placementConstraints[0]",
	    "unknown key 'expresion'; did you mean 'expression'?"},
	{"placementStrategy", "{\"type\": \"binpack\", \"fields\": \"cpu\"}",
	    23, "placementStrategy[0]",
	    "unknown key 'fields'; did you mean 'field'?"},
	{"placementConstraints",
	    "{\"type\": \"distinctInstance\", \"expresion\": \"x\"}", 32,
	    "placementConstraints[0]",
	    "unknown key 'expresion'; did you mean 'expression'?"},
};

START_TEST(test_parse_errors)
{
	char text[512];
	snprintf(text, sizeof(text), "{\"%s\": [\n  %s\n]}",
	    parse_errors[_i].key, parse_errors[_i].elem);
	ck_assert_int_eq(parse_section(text, parse_errors[_i].key), SIM_EINPUT);
	ck_assert_str_eq(err.file, "s.json");
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.col, parse_errors[_i].col);
	ck_assert_str_eq(err.path, parse_errors[_i].path);
	ck_assert_str_eq(err.msg, parse_errors[_i].msg);
	/* nothing was taken from a failed list */
	ck_assert_int_eq(POL.nstrategies, 0);
	ck_assert_int_eq(POL.nconstraints, 0);
}
END_TEST

/* "[" then n copies of elem, comma-separated, on line 2. */
static void
many(char *buf, size_t size, const char *key, const char *elem, int n)
{
	size_t len = (size_t)snprintf(buf, size, "{\"%s\": [\n", key);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? ", " : "", elem);
	snprintf(buf + len, size - len, "\n]}");
}

START_TEST(test_parse_limits)
{
	char text[4096];
	const char *spread = "{\"type\": \"spread\", \"field\": \"host\"}";
	const char *distinct = "{\"type\": \"distinctInstance\"}";
	/* [DOC] 5 strategies, 10 constraints */
	many(text, sizeof(text), "placementStrategy", spread, 5);
	ck_assert_int_eq(parse_section(text, "placementStrategy"), 0);
	ck_assert_int_eq(POL.nstrategies, 5);
	many(text, sizeof(text), "placementStrategy", spread, 6);
	ck_assert_int_eq(parse_section(text, "placementStrategy"), SIM_EINPUT);
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.col, 23);
	ck_assert_str_eq(err.path, "placementStrategy");
	ck_assert_str_eq(err.msg,
	    "at most 5 placement strategy rules are allowed, got 6");
	ck_assert_int_eq(POL.nstrategies, 5);

	many(text, sizeof(text), "placementConstraints", distinct, 11);
	ck_assert_int_eq(parse_section(text, "placementConstraints"),
	    SIM_EINPUT);
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.col, 26);
	ck_assert_str_eq(err.path, "placementConstraints");
	ck_assert_str_eq(err.msg,
	    "at most 10 placement constraints are allowed per task, got 11");
	/* a task definition's 8 plus a service's 2 fit; plus 3 do not */
	many(text, sizeof(text), "placementConstraints", distinct, 8);
	ck_assert_int_eq(parse_section(text, "placementConstraints"), 0);
	many(text, sizeof(text), "placementConstraints", distinct, 3);
	ck_assert_int_eq(parse_section(text, "placementConstraints"),
	    SIM_EINPUT);
	ck_assert_str_eq(err.msg,
	    "at most 10 placement constraints are allowed per task, got 11 (3 here and 8 from the task definition)");
	many(text, sizeof(text), "placementConstraints", distinct, 2);
	ck_assert_int_eq(parse_section(text, "placementConstraints"), 0);
	ck_assert_int_eq(POL.nconstraints, 10);

	ck_assert_int_eq(parse_section("{\"placementStrategy\": {}}",
	    "placementStrategy"), SIM_EINPUT);
	ck_assert_str_eq(err.msg, "expected an array, got object");
}
END_TEST

START_TEST(test_assumptions)
{
	recorder *r = rec_new();
	plc_assume(r);
	/* the port range is a parameter now; the rest are choices of method */
	ck_assert_int_eq((int)rec_assumption_count(r), 3);
	for (size_t i = 0; i < 3; i++) {
		const char *name, *value, *tag, *note;
		rec_assumption_at(r, i, &name, &value, &tag, &note);
		ck_assert_str_eq(tag, "MODEL");
	}
	rec_free(r);
}
END_TEST

/* ---- the incremental index ---- */

/* The index answers exactly as plc_place: on 300 interned views in three
 * zones (and a few without a zone), with random statuses, free
 * resources, used ports and tasks of the service, changing after every
 * placement, the same choice from the same rng state, the same dynamic
 * ports; and it declines (-2, drawing nothing) exactly when nothing fits
 * or the policy is not the default one. */
#define NX 300
START_TEST(test_index_matches_scan)
{
	static plc_instance X[NX];
	static plc_ports XP[NX];
	static char ids[NX][16];
	static int svc[NX];
	static const char *const zones[] = {"us-east-1a", "us-east-1b", "us-east-1c", NULL};
	plc_interner in;
	memset(&in, 0, sizeof(in));
	plc_index *x = plc_index_new(NULL);
	rng *g = rng_new(3, "test.index", 0);
	for (int i = 0; i < NX; i++) {
		snprintf(ids[i], sizeof(ids[i]), "ci-%d", i);
		plc_ports_clear(&XP[i]);
		plc_ports_reserve_defaults(&XP[i]);
		X[i] = (plc_instance){
			.t = {.ec2_instance_id = ids[i], .agent_connected = true,
			    .az = zones[i % 37 == 5 ? 3 : rng_uniform_index(g, 3)],
			    .instance_type = "m5.xlarge", .os_type = "linux",
			    .cpu_arch = "x86_64"},
			.ci_id = ids[i], .status = PLC_ACTIVE,
			.cpu_free = 4096, .mem_free = 15000, .ports = &XP[i],
		};
		plc_intern(&in, &X[i]);
		plc_index_update(x, X, i);
	}
	static const int cpus[] = {256, 512, 1024, 2048};
	int placed = 0, declined = 0;
	for (int round = 0; round < 3000; round++) {
		/* change a few views as a cluster does */
		for (int k = 0; k < 5; k++) {
			int i = (int)rng_uniform_index(g, NX);
			switch (rng_uniform_index(g, 6)) {
			case 0: X[i].status = rng_bernoulli(g, 0.8) ? PLC_ACTIVE : PLC_DRAINING; break;
			case 1: X[i].t.agent_connected = rng_bernoulli(g, 0.95); break;
			case 2: X[i].cpu_free = (int)rng_uniform_index(g, 4097); break;
			case 3: X[i].mem_free = (int)rng_uniform_index(g, 15001); break;
			case 4: svc[i] = (int)rng_uniform_index(g, 3); break;
			default: /* ports used up but a few */
				for (int p = 32768; p <= 61000; p++)
					if (rng_bernoulli(g, 0.5))
						plc_ports_add(&XP[i], p);
				break;
			}
			plc_index_update(x, X, i);
		}
		for (int i = 0; i < NX; i++)
			X[i].svc_tasks = svc[i];
		/* 32 resource classes: as many as the index keeps */
		plc_task t = {.cpu = cpus[rng_uniform_index(g, 4)],
		    .memory = 1024 * (int)(1 + rng_uniform_index(g, 4)),
		    .ndynamic = (int)rng_uniform_index(g, 2)};
		int occ[NX], nocc = 0;
		for (int i = 0; i < NX; i++)
			if (svc[i] > 0 || rng_bernoulli(g, 0.02)) /* a superset */
				occ[nocc++] = i;
		plc_policy pol;
		memset(&pol, 0, sizeof(pol));
		if (round % 3 == 1) { /* the default, spelled out */
			pol.nstrategies = 2;
			pol.strategies[0] = (plc_strategy){PLC_SPREAD, PLC_FIELD_ATTRIBUTE, "ecs.availability-zone"};
			pol.strategies[1] = (plc_strategy){PLC_SPREAD, PLC_FIELD_INSTANCE, NULL};
		} else if (round % 50 == 2) { /* not the default: declined */
			pol.nstrategies = 1;
			pol.strategies[0] = (plc_strategy){PLC_BINPACK, PLC_FIELD_CPU, NULL};
		}
		rng *ra = rng_new(9, "test.index.draw", (uint64_t)round);
		rng *rb = rng_new(9, "test.index.draw", (uint64_t)round);
		int da[4] = {0}, db[4] = {0};
		plc_result a, b;
		int ia = plc_place(&pol, &t, X, NX, NULL, ra, da, &a);
		int ib = plc_place_indexed(x, &pol, &t, X, NX, svc, occ, nocc, rb, db, &b);
		if (round % 500 == 0) {
			/* a view with a static port: declined */
			plc_task ts = t;
			int sp = 8080;
			ts.static_ports = &sp;
			ts.nstatic = 1;
			ck_assert_int_eq(plc_place_indexed(x, &pol, &ts, X, NX, svc, occ, nocc, rb, db, &b), -2);
		}
		if (ib == -2) {
			ck_assert_msg(ia < 0 || pol.nstrategies == 1, "round %d: index declined a placement the scan made (%d)", round, ia);
			/* nothing drawn by either: the streams are in step */
			if (ia < 0)
				ck_assert_int_eq((long)rng_uniform_index(ra, 1000000), (long)rng_uniform_index(rb, 1000000));
			declined++;
		} else {
			ck_assert_int_eq(ib, ia);
			ck_assert_int_eq(b.reason, PLC_PLACED);
			ck_assert_int_eq(b.nports, a.nports);
			for (int k = 0; k < t.ndynamic; k++)
				ck_assert_int_eq(db[k], da[k]);
			ck_assert_int_eq((long)rng_uniform_index(ra, 1000000), (long)rng_uniform_index(rb, 1000000));
			/* take the resources, as the cluster does */
			X[ib].cpu_free -= t.cpu;
			X[ib].mem_free -= t.memory;
			for (int k = 0; k < t.ndynamic; k++)
				plc_ports_add(&XP[ib], db[k]);
			svc[ib]++;
			plc_index_update(x, X, ib);
			placed++;
		}
		rng_free(ra);
		rng_free(rb);
	}
	/* both outcomes were exercised */
	ck_assert_int_gt(placed, 1000);
	ck_assert_int_gt(declined, 50);
	rng_free(g);
	plc_index_free(x);
	plc_interner_free(&in);
}
END_TEST

Suite *
placement_suite(void)
{
	Suite *s = suite_create("placement");
	TCase *tc = tcase_create("placement");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_default_third_task_to_emptier_az);
	tcase_add_test(tc, test_default_sequence_from_empty);
	tcase_add_test(tc, test_binpack_cpu);
	tcase_add_test(tc, test_binpack_memory);
	tcase_add_test(tc, test_spread_instance);
	tcase_add_test(tc, test_spread_custom_attribute);
	tcase_add_test(tc, test_az_spread_then_binpack);
	tcase_add_test(tc, test_random_deterministic);
	tcase_add_test(tc, test_random_first_wins);
	tcase_add_test(tc, test_ties_random_with_rng);
	tcase_add_test(tc, test_distinct_instance);
	tcase_add_test(tc, test_member_of_instance_type);
	tcase_add_test(tc, test_member_of_az);
	tcase_add_test(tc, test_constraints_after_resources);
	tcase_add_test(tc, test_no_instances);
	tcase_add_test(tc, test_draining_never_chosen);
	tcase_add_test(tc, test_agent_disconnected);
	tcase_add_test(tc, test_insufficient_cpu_vs_memory);
	tcase_add_test(tc, test_default_reserved_ports);
	tcase_add_test(tc, test_static_port_conflict);
	tcase_add_test(tc, test_dynamic_ports);
	tcase_add_test(tc, test_dynamic_port_range);
	tcase_add_test(tc, test_reason_texts);
	tcase_add_test(tc, test_parse_valid);
	tcase_add_loop_test(tc, test_parse_errors, 0,
	    (int)(sizeof(parse_errors) / sizeof(parse_errors[0])));
	tcase_add_test(tc, test_parse_limits);
	tcase_add_test(tc, test_assumptions);
	tcase_add_test(tc, test_index_matches_scan);
	suite_add_tcase(s, tc);
	return s;
}
