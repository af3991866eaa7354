/*
 * calls — the timeline's calls: AWS-shaped ones (ecs:CreateService, …)
 * and simulation-only ones (sim:TerminateInstance, …). Each is validated
 * at load time against the scenario as it stands at that point of the
 * timeline, and applied to the model at its time.
 */
#ifndef MODEL_CALLS_H
#define MODEL_CALLS_H

#include "model/ecs/ecs.h"
#include "sim/plan.h"
#include "sim/scenario.h"

void calls_register(model_cfg *c, scn_spec *sp);
int calls_apply(model *m, const plan_action *a, sim_error *err);
/* what: "services" → describe-services-shaped JSON of every service. */
int calls_describe(model *m, const char *what, char **out, sim_error *err);
/* Register another module's call (parse at load, apply at run time). */
typedef int (*call_apply_fn)(model *m, void *typed, sim_error *err);
void calls_add(model_cfg *c, scn_spec *sp, const char *name,
    int (*parse)(void *, sim_time, const jr_val *, void **, sim_error *),
    call_apply_fn apply);

#endif
