/*
 * ecs_cfg — everything the scenario says about ECS, parsed and checked:
 * parameters, behaviours, task definitions, clusters with their capacity
 * providers, services, and the state of the load-time registry that
 * timeline calls are validated against. Built by the section parsers;
 * read-only while the model runs.
 *
 * The struct is the scenario's whole model configuration: the parts of
 * the services that subscribe to ECS (load balancers, Application Auto
 * Scaling, Auto Scaling groups, workload) hang off it as opaque pointers
 * that only their owners dereference, and they answer ECS's load-time
 * questions (does this target group exist? does this provider's Auto
 * Scaling group?) through the hooks below, so ECS never calls them by
 * name.
 */
#ifndef MODEL_ECS_ECS_CFG_H
#define MODEL_ECS_ECS_CFG_H

#include "model/ecs/capacity_provider.h"
#include "model/ecs/ecs.h"
#include "sim/arena.h"
#include "sim/scenario.h"

#define MODEL_MAX_CALLS 64
#define MODEL_MAX_CLUSTER_MEMBERS 4

/* Names known at a point of the timeline, for validating later calls. */
typedef struct known_service {
	const char *cluster;
	const char *name;
	const svc_cfg *cfg;
	bool deleted;
} known_service;

/* A member of a "clusters" entry that another part of the model reads
 * (e.g. "autoScalingGroups"), parsed before capacityProviders. */
typedef int (*cluster_member_fn)(model_cfg *c, cluster_cfg *cc,
    const jr_val *v, sim_error *err);

/* A named parameter: a value AWS does not document (or a documented
 * default a user may change), its tag and note, where it lives in its
 * owner's block, and the values it may take. Each part of the model owns
 * a block and registers its table (cfg_add_params); the "parameters"
 * section sets any of them by name, and every run lists them. */
typedef enum param_type {
	PT_DURATION, /* sim_time within [lo, hi] */
	PT_BOOL,     /* bool */
	PT_INT,      /* int within [lo, hi] */
	PT_STRING,   /* const char * */
	PT_DIST,     /* dist */
	PT_NUM,      /* double within [nlo, nhi] */
	PT_ENUM,     /* int: index into names[0..nnames-1] */
	PT_TIMESTAMP, /* int64_t Unix seconds, written "2026-01-01T00:00:00Z" */
} param_type;

typedef struct param_def {
	const char *name;
	const char *tag;   /* "DOC", "INF", "OBS", "UNCONFIRMED", "AWS-STAFF" */
	const char *note;
	param_type type;
	size_t offset;     /* into the owner's block */
	sim_time lo, hi;   /* PT_DURATION, PT_INT */
	double nlo, nhi;   /* PT_NUM */
	const char *const *names; /* PT_ENUM */
	int nnames;
} param_def;

typedef struct param_table {
	const param_def *defs;
	int n;
	void *block;       /* the owner's parameters */
	bool *set;         /* n flags: the scenario set it */
	/* listed in a run's assumptions only when this says so (the part of
	 * the model is in use); NULL: always */
	bool (*listed)(const model_cfg *c);
} param_table;

#define MODEL_MAX_PARAM_TABLES 12

/* How a timeline call is applied to the model at its time. */
typedef int (*call_apply_fn)(model *m, void *typed, sim_error *err);

struct model_cfg {
	arena *a;
	model_params params;
	param_table param_tables[MODEL_MAX_PARAM_TABLES];
	int nparam_tables;
	struct cat_catalog *cat;
	behaviour *behaviours;
	int nbehaviours;
	behaviour default_beh;
	task_def **tds;            /* every revision, in registration order */
	int ntds, captds;
	struct td_registry *tdreg; /* the revisions by family (taskdef.c) */
	int ninitial_tds;          /* registered by the taskDefinitions section */
	cluster_cfg **clusters;
	int nclusters;
	cp_cfg **cps;              /* capacity providers of every cluster */
	int ncps, capcps;
	svc_cfg **services;        /* created at time 0 by the services section */
	int nservices;
	known_service *known;      /* services as the timeline goes */
	int nknown, capknown;
	int *known_idx;            /* hash index into known, -1: empty */
	int known_hcap;            /* its size, a power of two (or 0) */
	const char **noted;        /* accepted fields without effect */
	const char **noted_why;    /* ... and what to say of each (NULL: "no
	                              effect in the simulation") */
	int nnoted, capnoted, capnoted_why;
	/* the subscribers' configurations (opaque here) */
	struct elb_cfg *elb;
	struct aas_cfg *aas;
	struct fleet_cfg *fleet;
	struct workload_cfg *workload;
	/* the deployment strategies' own configuration (model/ecs/deploy.h) */
	struct hk_cfg *lambda;     /* "lambdaFunctions": hook outcomes */
	struct cd_cfg *codedeploy; /* "codeDeploy": groups and configs */
	struct ts_cfg *task_sets;  /* task sets created by the timeline */
	const deploy_alarms **alarm_refs; /* enabled deployment alarms seen */
	int nalarm_refs, capalarm_refs;
	struct faults_cfg *faults;   /* ECS's faults section (faults.h) */
	const char *base_dir;      /* directory of the scenario file */
	struct {
		const char *name;
		int (*parse)(void *, sim_time, const jr_val *, void **, sim_error *);
		call_apply_fn apply;
	} calls[MODEL_MAX_CALLS];  /* timeline calls and how to apply them */
	struct optab *ops;         /* the AWS operations the model answers
	                              (sim/optable.h), filled per service */
	int ncalls;
	struct {
		const char *key;
		cluster_member_fn parse;
	} cluster_members[MODEL_MAX_CLUSTER_MEMBERS];
	int ncluster_members;
	/* Load-time questions ECS asks (NULL: nobody answers; then no target
	 * group and no Auto Scaling group exists). */
	bool (*target_group_exists)(const model_cfg *c, const char *ref);
	int (*check_provider)(model_cfg *c, const cluster_cfg *cc,
	    const cp_cfg *cp, const jr_val *v, sim_error *err);
	/* Is there a CloudWatch alarm of this name (at the end of loading),
	 * and how long is its evaluation window (Period x EvaluationPeriods)?
	 * Returns the window, or -1 when no such alarm exists. */
	sim_time (*alarm_window)(const model_cfg *c, const char *name);
};

/* Load-time lookups used across parsers. */
const task_def *cfg_resolve_td(const model_cfg *c, const char *ref,
    int upto /* number of tds registered so far */);
known_service *cfg_known_service(model_cfg *c, const char *cname,
    const char *name);
/* The service's configuration from this point of the timeline on. */
void cfg_set_known(model_cfg *c, const svc_cfg *s);
/* Add delta to the count of active services of cluster cname; returns
 * the new count. */
int cfg_cluster_services(model_cfg *c, const char *cname, int delta);
/* [DOC operating-at-scale-service-quotas] per cluster: 5,000 services,
 * 5,000 container instances. */
#define CFG_MAX_SERVICES_PER_CLUSTER 5000
#define CFG_MAX_INSTANCES_PER_CLUSTER 5000
/* Record that a field was accepted but has no effect in the simulation. */
void cfg_note(model_cfg *c, const jr_val *v);
/* Record that a field was accepted, with what the run should say of it
 * (e.g. a form AWS does not take as such). why is borrowed (static). */
void cfg_note_why(model_cfg *c, const jr_val *v, const char *why);
/* The capacity provider named name in cluster cname, or NULL. */
const cp_cfg *cfg_find_provider(const model_cfg *c, const char *cname,
    const char *name);
/* Index of p in c->cps. */
int cfg_provider_index(const model_cfg *c, const cp_cfg *p);

/* [DOC API] cluster, service, family and container names: 1 to 255
 * letters, digits, hyphens and underscores. */
#define CFG_NAME_MAX 255
/* A name of that kind (what: "service name"), refused with the rule. */
int cfg_check_name(const jr_val *v, const char *what, const char *s,
    sim_error *err);
/* An Availability Zone name must be one of the run's region (aws.region). */
int cfg_check_az(const model_cfg *c, const jr_val *v, const char *az,
    sim_error *err);
/* "{{ ... }}" or "${...}" left in a value: an unrendered template. */
int cfg_check_template(const jr_val *v, const char *s, sim_error *err);

/* Register a part of the model's parameters: defs (static) with offsets
 * into block (borrowed; lives as long as c). Must come before the
 * "parameters" section is read. */
void cfg_add_params(model_cfg *c, const param_def *defs, int n, void *block,
    bool (*listed)(const model_cfg *c));
/* The block registered with defs. */
void *cfg_params(const model_cfg *c, const param_def *defs);
/* Whether the scenario set the parameter defs[i]. */
bool cfg_param_set(const model_cfg *c, const param_def *defs, int i);
/* Read a parameter's value into its block (for the "parameters"
 * section). */
int cfg_param_read(const param_def *d, void *block, const jr_val *v,
    sim_error *err);
/* The value of parameter d of block as text (for the run's listing). */
void cfg_param_format(const param_def *d, const void *block, char *buf,
    size_t size);

/* Register a timeline call: parse at load (through the spec, with c as
 * context), apply at run time. */
void cfg_add_call(model_cfg *c, scn_spec *sp, const char *name,
    int (*parse)(void *, sim_time, const jr_val *, void **, sim_error *),
    call_apply_fn apply);
/* Apply the timeline call named name with input now, as a client's
 * request (ecsim serve): validated like a scenario's timeline entry at the
 * current simulated time (the configuration learns what it creates), then
 * applied. Returns 0, SIM_EINPUT with *err (the input breaks a rule), or
 * the application's error. */
int cfg_call_now(model *m, const char *name, const jr_val *input,
    sim_error *err);
/* Register a reader for a member of the "clusters" entries. */
void cfg_add_cluster_member(model_cfg *c, const char *key,
    cluster_member_fn parse);

/* Parsers (behaviour.c, taskdef.c, service_cfg.c, cluster.c). */
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
/* Register a parsed task definition as the next revision of its family
 * (or as the revision a describe output names: check it first). */
void cfg_add_td(model_cfg *c, task_def *td);
/* The revision the next registration of family gets. */
int cfg_next_revision(const model_cfg *c, const char *family);
/* A describe output's revision must not be registered already. */
int cfg_check_revision(const model_cfg *c, const task_def *td, sim_error *err);
/* A capacity provider strategy's providers must be the cluster's. */
int cfg_check_strategy(const model_cfg *c, const char *cname,
    const cp_strategy *s, sim_error *err);

/* Is cname a cluster of the scenario? */
bool cfg_cluster_known(const model_cfg *c, const char *cname);
/* An instance reference "index:N" of cluster cname (N in range for a
 * cluster without Auto Scaling groups). */
int cfg_parse_instance_ref(model_cfg *c, const char *cname, const jr_val *v,
    int *out, sim_error *err);

/* ECS's timeline calls (ecs_calls.c): ecs:RegisterTaskDefinition,
 * ecs:CreateService, ecs:UpdateService, ecs:DeleteService,
 * ecs:UpdateContainerInstancesState, sim:TerminateInstance. */
void ecs_register_calls(model_cfg *c, scn_spec *sp);
/* ECS's API operations (ecs_api.c) into c->ops. */
void ecs_register_api(model_cfg *c);
/* what: "services" → describe-services-shaped JSON of every service
 * (an owned string; free with free). */
int ecs_describe(model *m, const char *what, char **out, sim_error *err);

#endif
