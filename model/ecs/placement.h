/*
 * placement — choosing the container instance for one task on EC2.
 *
 * Pure: the caller describes the candidates as views (plc_instance), the
 * task's needs (plc_task) and the service's constraints and strategies
 * (plc_policy); plc_place picks one instance or says why none fits, with
 * the pieces of AWS's event text. Placing k tasks is k calls, each
 * followed by plc_commit on the chosen view, so later tasks see the
 * resources, ports and task counts the earlier ones took.
 *
 * Order of evaluation [DOC] task-placement.html (reference §6.5):
 *  1. resources: only ACTIVE instances with a connected agent [DOC]; then
 *     CPU, memory and host ports (static ports free; enough free ports in
 *     the dynamic range for the dynamic ones);
 *  2. constraints: distinctInstance (no task of this service on the
 *     instance yet), memberOf (a cluster query language expression);
 *  3. strategies in list order, each keeping the best-scoring candidates
 *     and passing ties to the next:
 *       binpack(cpu|memory)  least remaining of that resource [DOC]
 *       spread(instanceId)   fewest tasks of this service on the instance
 *       spread(attribute:X)  fewest tasks of this service among all views
 *                            sharing the instance's value of X (views
 *                            without X form one group) [DOC]
 *       random               one candidate uniformly at random [DOC]; any
 *                            later strategy has nothing left to choose
 *     With no strategy the service default applies [DOC §6.4]:
 *     spread(attribute:ecs.availability-zone) then spread(instanceId).
 *     ecsim uses that default whether or not constraints are given [INF];
 *     a standalone RunTask (AWS default: random) should pass random.
 *  4. select: if candidates remain tied, one is drawn uniformly with the
 *     rng (one rng_uniform_index draw, made only when more than one is
 *     tied); with a NULL rng the lowest index wins. [INF]
 *
 * Dynamic host ports (bridge mode, hostPort 0) are the lowest free ports
 * of the range, ascending, skipping ports in use and the task's own static
 * ports. [INF: AWS leaves the choice to Docker/the agent.] The range is a
 * parameter: default 32768-61000, the ECS-optimized AMI's
 * ip_local_port_range [DOC]; the agent's fallback is 49153-65535 [DOC].
 * Ports are one namespace (TCP and UDP are not told apart). [INF]
 *
 * Failure [DOC reference §6.8; INF for "closest"]:
 *  - no ACTIVE instance among the views: PLC_NO_INSTANCES ("No Container
 *    Instances were found in your cluster.");
 *  - no ACTIVE instance has the resources: the closest one is named with
 *    the first check it failed, in the order agent, CPU, memory, ports.
 *    "Closest" = passed the most of those checks; ties go to the fewest
 *    missing units of the failed check (CPU units, MiB, or conflicting
 *    static ports plus missing dynamic ports), then the lowest index;
 *  - resources fit somewhere but constraints ruled every such instance
 *    out: PLC_ATTRIBUTE, naming the first (lowest-index) instance that fit
 *    the resources — for distinctInstance too. [INF]
 *
 * Views are borrowed; plc_place writes nothing but its outputs. Cost per
 * call: one pass over the n views (and one more per spread by attribute:
 * a count per interned value, or hashing the strings of views that are
 * not interned). The strategies before the first random one rank the
 * candidates lexicographically, which is what applying them in turn to
 * the remaining ties does; a random strategy (or select) then draws
 * once among the tied candidates, in view order.
 */
#ifndef MODEL_ECS_PLACEMENT_H
#define MODEL_ECS_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/ecs/cql.h"
#include "sim/arena.h"
#include "sim/error.h"
#include "sim/jread.h"
#include "sim/rng.h"

struct recorder;

/* [DOC] PlacementStrategy: at most 5 rules per service;
 * PlacementConstraint: at most 10 per task (task definition's included). */
#define PLC_MAX_STRATEGIES 5
#define PLC_MAX_CONSTRAINTS 10

/* ---- host ports ---- */

/* The set of host ports in use on one instance: a bitmap of 0..65535
 * (8 KiB). Owned by the caller, one per instance. */
typedef struct plc_ports {
	uint64_t bits[65536 / 64];
	int used; /* ports in the set: lets placement skip the scan when the
	           * dynamic range cannot be short */
} plc_ports;

/* Empty the set. */
void plc_ports_clear(plc_ports *s);
/* Add the agent's default reserved ports [DOC] (Linux, TCP):
 * 22, 2375, 2376, 51678, 51679. */
void plc_ports_reserve_defaults(plc_ports *s);
/* The default reserved ports (static array of *n entries). */
const int *plc_default_reserved_ports(int *n);
/* port in 1..65535 (asserted). */
bool plc_ports_has(const plc_ports *s, int port);
void plc_ports_add(plc_ports *s, int port);
void plc_ports_del(plc_ports *s, int port);

/* ---- inputs ---- */

/* Container instance status [DOC] ContainerInstance.status. Only
 * PLC_ACTIVE instances receive tasks. */
typedef enum plc_status {
	PLC_ACTIVE,
	PLC_DRAINING,
	PLC_REGISTERING,
	PLC_DEREGISTERING,
	PLC_INACTIVE,
} plc_status;

/* One candidate instance as placement sees it (strings borrowed). */
typedef struct plc_instance {
	cql_target t;      /* ec2InstanceId, runningTasksCount (all tasks),
	                    * agentConnected, AZ, type and other attributes */
	const char *ci_id; /* container-instance id, named in failure texts */
	plc_status status;
	int cpu_free;      /* remaining CPU units */
	int mem_free;      /* remaining memory, MiB */
	plc_ports *ports;  /* host ports in use, reserved ones included */
	int svc_tasks;     /* tasks of this service on the instance */
	/* the built-in attributes' values interned (plc_intern): > 0 an id
	 * shared by equal values, -1 absent; 0 not interned (spread by
	 * attribute then compares the strings) */
	int vals[CQL_NBUILTIN];
} plc_instance;

/* Interns the values of the built-in attributes (cql.h) of a cluster's
 * views, so a spread by attribute counts tasks per value by index, not
 * by hashing and comparing strings for every view of every placement.
 * Zero-initialise; free with plc_interner_free. */
typedef struct plc_interner {
	const char **vals[CQL_NBUILTIN]; /* id k is vals[attr][k - 1] */
	int n[CQL_NBUILTIN];
	size_t cap[CQL_NBUILTIN];
} plc_interner;

/* Set v->vals from v->t (call when the view is created; an instance's
 * attributes do not change). Strings are borrowed. */
void plc_intern(plc_interner *x, plc_instance *v);
void plc_interner_free(plc_interner *x);

/* What one task needs. cpu and memory are the sums over containers (or
 * the task-level values); memory counts memoryReservation when set, else
 * memory [DOC] — the caller computes it. Static ports must be distinct. */
typedef struct plc_task {
	int cpu;                /* CPU units, >= 0 */
	int memory;             /* MiB, >= 0 */
	const int *static_ports; /* host ports, 1..65535 */
	int nstatic;
	int ndynamic;           /* port mappings with hostPort 0 or omitted */
} plc_task;

typedef enum plc_strategy_type { PLC_BINPACK, PLC_SPREAD, PLC_RANDOM }
    plc_strategy_type;

typedef enum plc_field {
	PLC_FIELD_NONE,      /* random */
	PLC_FIELD_CPU,       /* binpack */
	PLC_FIELD_MEMORY,    /* binpack */
	PLC_FIELD_INSTANCE,  /* spread: "instanceId" or "host" */
	PLC_FIELD_ATTRIBUTE, /* spread: "attribute:<name>" */
} plc_field;

typedef struct plc_strategy {
	plc_strategy_type type;
	plc_field field;
	const char *attribute; /* PLC_FIELD_ATTRIBUTE: name without "attribute:" */
} plc_strategy;

typedef enum plc_constraint_type { PLC_DISTINCT_INSTANCE, PLC_MEMBER_OF }
    plc_constraint_type;

typedef struct plc_constraint {
	plc_constraint_type type;
	const cql_expr *expr; /* PLC_MEMBER_OF */
} plc_constraint;

/* A service's placement rules. All zero = no constraint, default
 * strategy. */
typedef struct plc_policy {
	int nstrategies;
	plc_strategy strategies[PLC_MAX_STRATEGIES];
	int nconstraints;
	plc_constraint constraints[PLC_MAX_CONSTRAINTS];
} plc_policy;

/* Named parameters ([INF]/[DOC] defaults; see plc_params_default). */
typedef struct plc_params {
	int dyn_lo, dyn_hi; /* dynamic host port range, inclusive */
} plc_params;

/* dyn_lo 32768, dyn_hi 61000 (ECS-optimized AMI). */
plc_params plc_params_default(void);

/* ---- placing ---- */

typedef enum plc_reason {
	PLC_PLACED,
	PLC_NO_INSTANCES, /* no ACTIVE instance at all */
	PLC_AGENT,        /* closest has its agent disconnected */
	PLC_CPU,
	PLC_MEMORY,
	PLC_PORTS,
	PLC_ATTRIBUTE,    /* constraints ruled out every fitting instance */
} plc_reason;

typedef struct plc_result {
	int index;              /* chosen view, or -1 */
	plc_reason reason;      /* PLC_PLACED when index >= 0 */
	int closest;            /* view named by the failure, or -1 */
	const char *closest_id; /* its ci_id (borrowed), or NULL */
	int nports;             /* dynamic ports written to dyn_ports */
} plc_result;

/* Place task t on one of the n views v. On success returns the chosen
 * index (also res->index) and writes t->ndynamic assigned host ports to
 * dyn_ports (room for t->ndynamic; may be NULL when none), ascending.
 * On failure returns -1 and res says why. par NULL means the defaults. r
 * may be NULL unless a strategy is random (asserted). */
int plc_place(const plc_policy *p, const plc_task *t, const plc_instance *v,
    int n, const plc_params *par, rng *r, int *dyn_ports, plc_result *res);

/* ---- an incremental index (large clusters) ----
 *
 * The service default strategy (spread by Availability Zone, then by
 * instance, no constraint) on n views costs plc_place a pass over all of
 * them per task. The index keeps, updated as views change, a bitset per
 * zone and, per resource class of tasks (CPU, memory, dynamic ports; no
 * static port), a bitset of the ACTIVE views the class fits; a placement
 * is then a few word operations per 64 views plus the service's own
 * instances. It answers exactly as plc_place does: the same candidate,
 * the same single draw among the same ties in view order. */
typedef struct plc_index plc_index;

/* An empty index following views placed with par (NULL: defaults).
 * Free with plc_index_free. */
plc_index *plc_index_new(const plc_params *par);
void plc_index_free(plc_index *x);
/* View i of v (a view added, or any field of it changed) — call for
 * every change, in any order; views are added with consecutive i from
 * 0. Views must be interned (plc_intern) for the index to answer. */
void plc_index_update(plc_index *x, const plc_instance *v, int i);

/* plc_place for policy p, task t and the n views v the index follows,
 * where this service's tasks per view are svc_tasks[i] (>= 0; v's own
 * svc_tasks fields are not read) and zero outside the views listed in
 * occupied[0..noccupied) (duplicates allowed). Returns the chosen index
 * with dyn_ports and res as plc_place; or -2 without drawing or writing
 * anything when the index cannot answer (another policy, static ports,
 * views not interned, or no view fits: the failure's text needs
 * plc_place's pass) — then call plc_place. */
int plc_place_indexed(plc_index *x, const plc_policy *p, const plc_task *t,
    const plc_instance *v, int n, const int *svc_tasks, const int *occupied,
    int noccupied, rng *r, int *dyn_ports, plc_result *res);

/* Record a placement on view v: takes cpu, memory and the task's static
 * and dynamic ports, and counts the task (svc_tasks, t.running_tasks). */
void plc_commit(plc_instance *v, const plc_task *t, const int *dyn_ports);

/* The EventBridge-style reason ("RESOURCE:CPU", "RESOURCE:MEMORY",
 * "RESOURCE:PORTS") [DOC], or NULL where AWS documents none. */
const char *plc_reason_code(plc_reason why);
/* The AWS text for a reason: "has insufficient memory available.",
 * "No Container Instances were found in your cluster.", ...; "" for
 * PLC_PLACED. Static. */
const char *plc_reason_text(plc_reason why);
/* The service event for a failed placement [DOC §6.8], e.g.
 *   (service web) was unable to place a task because no container
 *   instance met all of its requirements. The closest matching
 *   (container-instance 5c1c...) has insufficient memory available. For
 *   more information, see the Troubleshooting section of the Amazon ECS
 *   Developer Guide.
 * (no instances: "... requirements. Reason: No Container Instances were
 * found in your cluster. For more information ..."). Truncates to size. */
void plc_event_text(const plc_result *res, const char *service, char *buf,
    size_t size);

/* ---- scenario input ---- */

/* Read a create-service "placementStrategy" array into p (replacing its
 * strategies): [{"type": "binpack"|"spread"|"random", "field": ...}].
 * Returns 0 or SIM_EINPUT with a positioned message. */
int plc_parse_strategies(const jr_val *v, plc_policy *p, sim_error *err);
/* Read a "placementConstraints" array, appending to p's constraints (so a
 * task definition's and a service's can share the limit of 10):
 * [{"type": "distinctInstance"} | {"type": "memberOf", "expression": ...}].
 * Expressions are parsed into a; their errors are reported at the
 * expression string. */
int plc_parse_constraints(const jr_val *v, arena *a, plc_policy *p,
    sim_error *err);

/* Record the module's choices of method (tag MODEL) with rec_assume; the
 * dynamic port range is a parameter (ecs.dynamicHostPortLow/High). */
void plc_assume(struct recorder *r);

#endif
