/*
 * model — ECS as a simulation: the public face of model/ for the CLI.
 *
 *   model_cfg *c = model_cfg_new(arena);
 *   model_register(c, &spec);        sections and timeline calls
 *   scn_load(path, arena, &spec, &scn, &err);
 *   model *m = model_new(c, scn, rec);
 *   plan_run(scn->timeline, &model_backend, m, scn->duration, &err);
 *   model_finish(m);                 final sample, facts for reports
 *   model_free(m);
 */
#ifndef MODEL_MODEL_H
#define MODEL_MODEL_H

#include "sim/plan.h"
#include "sim/recorder.h"
#include "sim/scenario.h"

typedef struct model model;
typedef struct model_cfg model_cfg;

model_cfg *model_cfg_new(arena *a);
void model_register(model_cfg *c, scn_spec *sp);
/* Names of the services and clusters a scenario defines or creates (for
 * checking references from other sections). Borrowed, valid with c. */
int model_cfg_service_names(const model_cfg *c, const char ***out);
int model_cfg_cluster_names(const model_cfg *c, const char ***out);

/* Returns an owned model at time 0 with the scenario's initial state;
 * free with model_free. rec is borrowed and receives every observation. */
model *model_new(const model_cfg *c, const scenario *s, recorder *rec);
void model_free(model *m);
/* Record the final sample and the run's facts. */
void model_finish(model *m);
uint64_t model_events(const model *m);

/* Timestamps in API answers (invoke) are epoch seconds: simulated time 0
 * is `epoch` (default 0, 1970-01-01T00:00:00Z). */
void model_set_api_epoch(model *m, double epoch);

/* Before a run: an upper bound on the time series s will record (each
 * service's and cluster's, one per capacity provider's, and for the
 * timeline's calls the services they create and the task-definition
 * revisions they may deploy). With the rows (duration / sampleInterval)
 * it bounds the timeline's memory and timeline.csv. */
long long model_estimate_series(const model_cfg *c, const scenario *s);

/* The simulator backend: apply calls to the model, advance its clock, and
 * answer AWS operations (invoke: the operations each model/<service>/
 * registers in the configuration's table, sim/optable.h). */
extern const backend_ops model_backend;

#endif
