/*
 * model_cfg — everything the scenario says about ECS, parsed and checked:
 * parameters, behaviours, task definitions, clusters, services, and the
 * state of the load-time registry that timeline calls are validated
 * against. Built by the section parsers; read-only while the model runs.
 */
#ifndef MODEL_MODEL_CFG_H
#define MODEL_MODEL_CFG_H

#include "model/ecs/ecs.h"
#include "sim/arena.h"
#include "sim/scenario.h"

#define MODEL_MAX_CALLS 32

/* A named parameter: default, tag, note, and whether the scenario set it. */
typedef struct param_def {
	const char *name;
	const char *tag;   /* "DOC", "INF", "OBS", "UNCONFIRMED" */
	const char *note;
	enum { PT_DURATION, PT_BOOL, PT_INT, PT_STRING, PT_DIST } type;
	size_t offset;     /* into model_params */
	sim_time lo, hi;   /* range for durations and ints */
} param_def;

/* Names known at a point of the timeline, for validating later calls. */
typedef struct known_service {
	const char *cluster;
	const char *name;
	const svc_cfg *cfg;
	bool deleted;
} known_service;

struct model_cfg {
	arena *a;
	model_params params;
	bool param_set[64];
	struct cat_catalog *cat;
	behaviour *behaviours;
	int nbehaviours;
	behaviour default_beh;
	task_def **tds;            /* every revision, in registration order */
	int ntds, captds;
	int ninitial_tds;          /* registered by the taskDefinitions section */
	cluster_cfg **clusters;
	int nclusters;
	svc_cfg **services;        /* created at time 0 by the services section */
	int nservices;
	known_service *known;      /* services as the timeline goes */
	int nknown, capknown;
	const char **noted;        /* accepted fields without effect */
	int nnoted, capnoted;
	struct elb_cfg *elb;
	struct aas_cfg *aas;
	struct fleet_cfg *fleet;
	struct workload_cfg *workload;
	const char *base_dir;      /* directory of the scenario file */
	struct {
		const char *name;
		int (*apply)(model *m, void *typed, sim_error *err);
	} calls[MODEL_MAX_CALLS];  /* timeline calls and how to apply them */
	int ncalls;
};

extern const param_def model_param_defs[];
extern const int model_nparam_defs;

model_cfg *model_cfg_new(arena *a);
/* Register the model's sections and calls (in dependency order). */
void model_register(model_cfg *c, scn_spec *sp);

/* Load-time lookups used across parsers. */
const task_def *cfg_resolve_td(const model_cfg *c, const char *ref,
    int upto /* number of tds registered so far */);
known_service *cfg_known_service(model_cfg *c, const char *cname,
    const char *name);
/* The service's configuration from this point of the timeline on. */
void cfg_set_known(model_cfg *c, const svc_cfg *s);
/* Record that a field was accepted but has no effect in the simulation. */
void cfg_note(model_cfg *c, const jr_val *v);

/* Parsers (model_sections.c, taskdef.c, service_cfg.c, cluster.c). */
int cfg_parse_params(void *ctx, const jr_val *v, sim_error *err);
int cfg_parse_behaviour(void *ctx, const jr_val *v, sim_error *err);
int cfg_parse_task_definitions(void *ctx, const jr_val *v, sim_error *err);
int cfg_parse_clusters(void *ctx, const jr_val *v, sim_error *err);
int cfg_parse_services(void *ctx, const jr_val *v, sim_error *err);
int td_parse(model_cfg *c, const jr_val *v, task_def **out, sim_error *err);
int svc_cfg_parse(model_cfg *c, const jr_val *v, bool update, sim_time at,
    svc_cfg **out, sim_error *err);
void behaviour_init_defaults(model_cfg *c);
/* Behaviour of an image: its own entry, else "default", else built-in. */
const behaviour *cfg_behaviour_for(const model_cfg *c, const char *image);
/* Register a parsed task definition as the next revision of its family. */
void cfg_add_td(model_cfg *c, task_def *td);

#endif
