/*
 * aws/plan — the AWS calls that replay a scenario on an account, in the
 * order they are made: setup (create the scenario's static sections, or
 * look up existing resources of the same names), the timeline's calls at
 * their times, and the cleanup of everything the run created, in
 * dependency order (scaling, then services scaled to 0 and deleted and
 * waited for, then load balancers, target groups, task definition
 * revisions, clusters).
 *
 * Pure: builds the list from the scenario file (read again with cJSON;
 * the loader has already validated it) and never talks to AWS. Values
 * only known from an earlier answer are references "${kind/name}" in the
 * inputs (e.g. "${tg/web-tg}" for a target group's ARN), filled in by
 * awsplan_resolve at run time from what each call saved.
 *
 * Invariants: every call that creates something is tagged
 * ecsim:run-id=RUN and is followed, in the cleanup phase, by the call that
 * deletes it, guarded by the reference the creation saves (nothing that
 * was not created is deleted); in --use-existing mode the setup only
 * reads.
 */
#ifndef MODEL_AWS_PLAN_H
#define MODEL_AWS_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "sim/error.h"
#include "sim/simtime.h"

typedef enum awsplan_phase {
	AWSPLAN_SETUP,
	AWSPLAN_TIMELINE,
	AWSPLAN_CLEANUP,
} awsplan_phase;

typedef struct awsplan_call {
	awsplan_phase phase;
	sim_time at;          /* timeline: the action's time */
	char service[32];     /* "ecs", "elbv2", "sim", ... */
	char op[64];          /* "UpdateService" */
	cJSON *input;         /* owned; may hold "${ref}" strings */
	bool sim_only;        /* sim:* — simulation only, never sent */
	bool best_effort;     /* cleanup: go on after an error */
	char save_ref[512];   /* "" or the reference the answer fills */
	char save_path[128];  /* where in the answer: "TargetGroups.0.TargetGroupArn" */
	char requires[512];   /* "" or a reference that must be set to send */
	char check_path[128]; /* use-existing: answer member that must exist */
	char check_value[32]; /* ... and equal this ("" any value) */
	char wait_path[128];  /* cleanup: poll until the member equals */
	char wait_value[32];  /* wait_value (or the resource is gone) */
	char note[300];       /* shown in the dry run */
} awsplan_call;

typedef struct awsplan_opts {
	bool create;             /* else use existing resources */
	const char *run_id;      /* value of the ecsim:run-id tag */
	const char *vpc_id;      /* for CreateTargetGroup; NULL: "${--vpc-id}" */
	const char *subnets;     /* comma-separated, for CreateLoadBalancer */
	const char *security_groups;
} awsplan_opts;

/* A service the run observes, with the target groups it registers into
 * and whether Application Auto Scaling manages it. */
typedef struct awsplan_svc {
	char cluster[128], name[128];
	char tgs[4][64];
	int ntgs;
	bool scaled;
} awsplan_svc;

#define AWSPLAN_MAX_SVCS 32

typedef struct awsplan {
	awsplan_svc svcs[AWSPLAN_MAX_SVCS];
	int nsvcs;
	awsplan_call *calls;
	size_t n, cap;
	char notes[8][400];      /* warnings shown before the calls */
	int nnotes;
} awsplan;

/* Build the plan of the scenario at path. Returns 0, SIM_EIO when the
 * file cannot be read, or SIM_EINPUT when a timeline call names a
 * service the AWS backend cannot send (the message says which). Free
 * with awsplan_fini (also after a failure). */
int awsplan_build(awsplan *p, const char *path, const awsplan_opts *o,
    sim_error *err);
void awsplan_fini(awsplan *p);

/* Print the plan for --dry-run: notes, then one line per call:
 *   "#N PHASE service:Op {json}" with PHASE "setup", "+10m" or
 *   "cleanup", followed by its notes. */
void awsplan_print(const awsplan *p, FILE *out);

/* References: a small name -> value table. */
typedef struct awsplan_refs {
	char (*name)[512];
	char (*value)[1024];
	size_t n, cap;
} awsplan_refs;

void awsplan_refs_set(awsplan_refs *r, const char *name, const char *value);
const char *awsplan_refs_get(const awsplan_refs *r, const char *name);
void awsplan_refs_fini(awsplan_refs *r);

/* A copy of input with every "${name}" string replaced by its value.
 * Returns an owned cJSON, or NULL with *missing set to the first
 * reference that has no value. */
cJSON *awsplan_resolve(const cJSON *input, const awsplan_refs *r,
    const char **missing);

/* The member at a dotted path ("services.0.status") of an answer, or
 * NULL. */
const cJSON *awsplan_at(const cJSON *answer, const char *path);

#endif
