/*
 * cas — ECS cluster auto scaling math (capacity providers on Auto Scaling
 * groups with managed scaling) as pure functions: the
 * CapacityProviderReservation metric, the binpack estimate of the
 * instances needed, the scaling step, the ASG desired capacity the
 * provider's target tracking policy reaches, the create-capacity-provider
 * input shape, and capacity provider strategies.
 *
 * No clock and no events: the caller (the simulation) gathers the ASG's
 * instances and the provider's PROVISIONING tasks about once a minute,
 * publishes the CPR these functions compute into the provider's alarms
 * (alarm_cp_configs), and when the high alarm is in ALARM sets the ASG
 * desired capacity to cas_asg_desired (gated by cas_warmup_blocks).
 *
 * Choices not confirmed by AWS (named parameters or stated here):
 *   [INF §4.3] binpack = first fit decreasing: groups sorted by their
 *       largest share of the largest instance type, each group filled into
 *       existing instances in the order given, then into new instances of
 *       the largest type. A "distinct" group (static host ports, or a
 *       distinctInstance constraint) runs at most one task per instance.
 *       Ports, ENIs and GPUs are counted like CPU and memory.
 *   [INF §4.3] smallest and largest types are taken per resource
 *       (cas_types_range).
 *   [INF §4.3] the ASG target tracking capacity ceil(N x CPR / target),
 *       with N = 1 when the group is empty [AWS-STAFF §4.2].
 *   [UNCONFIRMED §9.7] with no task provisioning, M = N - empty instances
 *       (cas_params.in_metric; the 2023 text said CPR = 100 - empty).
 *   [UNCONFIRMED §9.12] strategy weights: each task goes to the provider
 *       whose weighted count would be lowest after it ((count + 1) /
 *       weight), ties to the first in the strategy; base tasks do not
 *       count toward the weighted split.
 */
#ifndef MODEL_AUTOSCALING_CAS_H
#define MODEL_AUTOSCALING_CAS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/ecs/capacity_provider.h"
#include "sim/error.h"
#include "sim/jread.h"
#include "sim/recorder.h"
#include "sim/simtime.h"

/* A resource nobody counts (e.g. ports on a type whose limit is unknown). */
#define CAS_UNLIMITED (INT64_MAX / 4)

/* ---- parameters ---- */

typedef enum cas_in_metric {
	CAS_IN_RATIO = 0,   /* M = N - empty, CPR = M / N x 100 (current page) */
	CAS_IN_MINUS_EMPTY, /* CPR = 100 - empty (2023 guide) */
} cas_in_metric;

typedef struct cas_params {
	cas_in_metric in_metric;   /* CAS_IN_RATIO [UNCONFIRMED §9.7] */
	bool excluded_hold_at_100; /* false: held at targetCapacity (current
	                            * doc); true: at 100 (2023 doc) */
} cas_params;

void cas_params_default(cas_params *p);
/* Record the choices of method above that have no parameter (tag
 * MODEL); cas_params' values are parameters (as_params.h). */
void cas_assume(recorder *r);

/* ---- the CapacityProviderReservation metric ---- */

/* [DOC §4.2] CPR = M / N x 100; N = 0 and M = 0 -> 100; N = 0 and M > 0
 * -> 200. */
double cas_cpr(int n, int m);

/* Resources: CPU units, memory MiB, host ports, ENIs, GPUs. For an
 * instance: what is free (registered minus reserved); for a type: what it
 * registers; for a task: what it needs. */
typedef struct cas_res {
	int64_t cpu, mem, ports, enis, gpus;
} cas_res;

typedef struct cas_instance {
	cas_res free;
	const uint8_t *hosts; /* NULL, or [ngroups]: nonzero if a task of
	                       * group g already runs here (distinct groups) */
} cas_instance;

typedef struct cas_group {
	cas_res need;  /* per task */
	int count;     /* provisioning tasks with these requirements */
	bool distinct; /* at most one task of the group per instance */
} cas_group;

typedef struct cas_estimate {
	int extra;          /* new instances of the largest type needed */
	int included;       /* provisioning tasks counted */
	int excluded;       /* tasks that fit no smallest instance [DOC] */
} cas_estimate;

/* Per-resource minimum and maximum of n >= 1 instance types. */
void cas_types_range(const cas_res *types, int n, cas_res *smallest,
    cas_res *largest);

/* [DOC §4.3 + INF] The binpack estimate: how many new instances of the
 * largest type the provisioning groups need beyond the free capacity of
 * the existing instances, excluding the tasks that fit no empty smallest
 * instance. */
void cas_binpack(const cas_instance *inst, int ninst, const cas_group *g,
    int ngroups, const cas_res *smallest, const cas_res *largest,
    cas_estimate *out);

/* [DOC §4.3] instances to request for an estimate > 0: min_step if the
 * estimate is below it, else min(max_step, estimate); 0 for 0. */
int cas_step(const cp_managed_scaling *m, int estimate);

typedef struct cas_metric {
	double cpr; /* CapacityProviderReservation to publish */
	int m;      /* instances needed (N + step, or N - empty) */
	int step;   /* instances this scale-out asks for (0: none) */
	bool held;  /* every provisioning task was excluded [DOC] */
} cas_metric;

/* The CPR to publish for a provider whose ASG runs n instances, n_empty
 * of them without non-daemon tasks, given the estimate for its
 * provisioning tasks (NULL or zero tasks: none provisioning). */
void cas_reservation(const cp_managed_scaling *m, const cas_params *p,
    int n, int n_empty, const cas_estimate *e, cas_metric *out);

/* [INF] The desired capacity the ASG target tracking policy sets when an
 * alarm fires: ceil(max(n, 1) x cpr / target_capacity). From zero with
 * CPR 200 and target 100: 2 instances. */
int cas_asg_desired(int n, double cpr, int target_capacity);

/* [DOC §4.3] true while some instance launched at launched[i] is younger
 * than warmup: no further scale-out until all are past it. */
bool cas_warmup_blocks(const sim_time *launched, int n, sim_time now,
    sim_time warmup);

#endif
