/*
 * plan — the scenario's timeline and the backend seam.
 *
 * A plan is a list of actions in time order (the file must list them so;
 * actions at the same time run in file order). Each action is an AWS-shaped call
 * ("ecs:UpdateService", "application-autoscaling:PutScalingPolicy") or a
 * simulation-only one ("sim:SetLoad", "sim:TerminateInstance"), validated
 * at load time into a typed value, and also kept as compact JSON for
 * backends that forward calls elsewhere.
 *
 * plan_run drives any backend: for each action, advance the backend to the
 * action's time, then apply it; finally advance to the end. The simulator
 * backend applies calls to the model; an AWS backend (later) would send the
 * same calls with the AWS CLI and wait in real time; a serve mode would
 * receive them from clients.
 *
 * Besides the timeline's validated actions, a backend may answer any AWS
 * operation by name (invoke): what `ecsim serve` does for real clients and
 * what the AWS backend does against AWS. Its refusals are aws_faults.
 */
#ifndef SIM_PLAN_H
#define SIM_PLAN_H

#include <stddef.h>

#include "sim/aws_fault.h"
#include "sim/error.h"
#include "sim/jread.h"
#include "sim/scenario.h"
#include "sim/simtime.h"

typedef struct plan_action {
	sim_time at;
	const char *call;  /* "ecs:UpdateService" */
	int call_index;    /* into the spec's call table */
	void *typed;       /* the call's parsed input */
	const char *input_json; /* compact JSON of "input" */
	jr_pos pos;        /* of the action, for runtime messages */
} plan_action;

struct plan {
	plan_action *actions;
	size_t n;
};

typedef struct backend_ops {
	const char *name;
	/* Apply one action at the backend's current time. */
	int (*apply)(void *self, const plan_action *a, sim_error *err);
	/* Move the backend's clock to t (run the simulation; wait in real
	 * time for a live backend). */
	int (*advance)(void *self, sim_time t, sim_error *err);
	/* Write an AWS-shaped description of current state ("services",
	 * "tasks", ...) as JSON text to out; may be NULL if unsupported. */
	int (*describe)(void *self, const char *what, char **out_json,
	    sim_error *err);
	void (*close)(void *self);
	/* Perform one AWS operation at the backend's current time. op is
	 * "service:Operation" with IAM's service prefix ("ecs:DescribeServices",
	 * "elasticloadbalancing:DescribeTargetHealth"); input_json is the
	 * operation's input in AWS's JSON shape (NULL or "" for {}). On
	 * success returns 0 with *output_json an owned JSON text (free()).
	 * When AWS would answer with an error, returns SIM_EFAULT with *fault
	 * set (code, message, HTTP status, Sender/Receiver). Any other
	 * failure of the backend itself: a negative SIM_E* with *err set.
	 * May be NULL when the backend answers no operation (last member:
	 * positional initializers of older backends leave it NULL). */
	int (*invoke)(void *self, const char *op, const char *input_json,
	    char **output_json, aws_fault *fault, sim_error *err);
} backend_ops;

/* Parse the "timeline" section into s->timeline (called by scn_load). */
int plan_parse(scenario *s, const scn_spec *spec, const jr_val *v,
    sim_error *err);
/* Run the plan against a backend up to end. */
int plan_run(const plan *p, const backend_ops *ops, void *self, sim_time end,
    sim_error *err);
/* Run the plan incrementally: from action *next on, apply every action due
 * at or before t (advancing the backend to each action's time first), then
 * advance the backend to t. *next is updated to the first action not yet
 * applied (start with 0). Used by live backends whose clock moves in steps
 * (ecsim serve). */
int plan_run_to(const plan *p, size_t *next, const backend_ops *ops,
    void *self, sim_time t, sim_error *err);

#endif
