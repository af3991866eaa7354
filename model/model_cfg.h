/*
 * model_cfg — the seam's part of the configuration: the named parameters
 * (their table, defaults and the "parameters" section), and building the
 * configuration with every section and timeline call registered. The
 * configuration itself is model/ecs/ecs_cfg.h.
 */
#ifndef MODEL_MODEL_CFG_H
#define MODEL_MODEL_CFG_H

#include "model/ecs/ecs_cfg.h"
#include "sim/arena.h"
#include "sim/scenario.h"

extern const param_def model_param_defs[];
extern const int model_nparam_defs;

model_cfg *model_cfg_new(arena *a);
/* Register the model's sections and calls (in dependency order). */
void model_register(model_cfg *c, scn_spec *sp);
int cfg_parse_params(void *ctx, const jr_val *v, sim_error *err);

#endif
