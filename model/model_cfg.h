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

/* A named parameter: default, tag, note, and whether the scenario set it. */
typedef struct param_def {
	const char *name;
	const char *tag;   /* "DOC", "INF", "OBS", "UNCONFIRMED" */
	const char *note;
	enum { PT_DURATION, PT_BOOL, PT_INT, PT_STRING, PT_DIST } type;
	size_t offset;     /* into model_params */
	sim_time lo, hi;   /* range for durations and ints */
} param_def;

extern const param_def model_param_defs[];
extern const int model_nparam_defs;

model_cfg *model_cfg_new(arena *a);
/* Register the model's sections and calls (in dependency order). */
void model_register(model_cfg *c, scn_spec *sp);
int cfg_parse_params(void *ctx, const jr_val *v, sim_error *err);

#endif
