/*
 * ecs — the ECS core objects shared by the model's files: clusters and
 * container instances, task definitions, tasks, services and deployments,
 * and the model that owns them.
 *
 * The structs are open on purpose: the service scheduler walks them in its
 * hot loop, and they are internal to model/ (reports never see them; they
 * read the recorder). The parts of the model that subscribe to ECS
 * (model/elbv2, model/traffic, model/autoscaling; see listeners.h) keep
 * their per-object state in the pointers marked "subscriber's": opaque
 * struct pointers that only their owners dereference.
 *
 * Ownership: the model owns clusters, task definitions and services; a
 * cluster owns its instances; a service owns its deployments and tasks.
 * A task that reached STOPPED is unlinked and recycled; every event a task
 * schedules is tracked in the task and cancelled when it stops, so no
 * event ever fires for a recycled task.
 */
#ifndef MODEL_ECS_ECS_H
#define MODEL_ECS_ECS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/arena.h"
#include "sim/dist.h"
#include "sim/engine.h"
#include "sim/jread.h"
#include "sim/recorder.h"
#include "sim/rng.h"
#include "sim/simtime.h"
#include "model/ecs/capacity_provider.h"
#include "model/ecs/health.h"
#include "model/ecs/launch_rate.h"

typedef struct model model;
typedef struct cluster cluster;
typedef struct instance instance;
typedef struct task_def task_def;
typedef struct task task;
typedef struct service service;
typedef struct deployment deployment;
typedef struct svc_cfg svc_cfg;
typedef struct behaviour behaviour;

/* ------------------------------------------------------------------ */
/* Parameters: every value AWS does not document, with its tag.        */

typedef struct model_params {
	sim_time scheduler_delay;        /* [INF] change → scheduler pass */
	bool capacity_wakes_all;         /* [INF] freed capacity → a pass of
	                                    every service (else: of those
	                                    waiting for capacity) */
	bool count_stopping_in_max;      /* [UNCONFIRMED] §1.2 */
	bool free_at_stopping;           /* [DOC] July 2023 optimisation */
	sim_time placement_retry_initial; /* [UNCONFIRMED] §7.2 */
	int service_launch_rate;         /* [DOC] §7.1 tasks per minute per service */
	int dyn_port_lo, dyn_port_hi;    /* [INF] dynamic host port range */
	int fargate_launch_burst;        /* [DOC] §7.1 Fargate bucket size */
	int fargate_launch_rate;         /* [DOC] §7.1 Fargate refill per second */
	sim_time placement_retry_max;    /* [DOC] 15 min cap of §7.2 */
	int throttle_after;              /* [UNCONFIRMED] failures before back-off */
	sim_time throttle_initial;       /* [UNCONFIRMED] */
	sim_time throttle_max;           /* [DOC] 15 min */
	bool cb_count_placement;         /* [INF] placement failures count */
	bool idle_yield_cpu;             /* [INF] idle RUNNING tasks leave their CPU share */
	sim_time healthy_after_running;  /* [DOC] 40 s without checks */
	sim_time event_dedup;            /* [DOC] 6 h */
	sim_time activating_time;        /* [INF] ACTIVATING duration */
	sim_time deprovisioning_time;    /* [INF] awsvpc ENI detach */
	sim_time eni_attach_time;        /* [INF] awsvpc PROVISIONING */
	sim_time stop_timeout_default;   /* [DOC] 30 s */
	sim_time provisioning_timeout;   /* [UNCONFIRMED] 10-30 min */
	dist fargate_provisioning;       /* [OBS] Fargate capacity + setup */
	dist asg_launch_time;            /* [INF] EC2 boot + agent registration */
	int reserved_memory_mib;         /* [DOC] ECS_RESERVED_MEMORY 0 */
	bool every_check;                /* verification: one event per check */
	bool scale_out_both;             /* [DOC Nov 2025] rolling scale-out
	                                    applies to both revisions */
	const char *region;              /* for ARNs */
	const char *account;             /* for ARNs */
} model_params;

/* ------------------------------------------------------------------ */
/* Behaviour of an image: what AWS cannot know.                        */

struct behaviour {
	const char *image;   /* "" for the default entry */
	dist pull_time;      /* PENDING: image pull */
	dist start_time;     /* PENDING: container start after pull */
	dist ready_time;     /* after RUNNING: app answers health checks */
	dist shutdown_time;  /* after SIGTERM, until the app exits */
	hc_kind health;      /* outcome of health checks once ready */
	double flaky_pass;   /* P(check passes) for HC_FLAKY */
	double fail_to_start; /* P(task stops before RUNNING) */
	sim_time crash_mean; /* mean time to an essential-container exit; 0: never */
	bool given;          /* stated in the scenario (else built-in) */
};

/* ------------------------------------------------------------------ */
/* Task definitions.                                                   */

typedef struct port_mapping {
	int container_port;
	int host_port;       /* 0: dynamic (bridge) */
	bool host_port_set;
	const char *protocol;
	const char *name;
} port_mapping;

typedef struct container_hc {
	bool set;
	sim_time interval, timeout, start_period;
	int retries;
} container_hc;

typedef struct container_def {
	const char *name;
	const char *image;
	int cpu;                 /* units; 0 when unset */
	int memory;              /* hard limit MiB; 0 when unset */
	int memory_reservation;  /* soft limit MiB; 0 when unset */
	bool essential;
	port_mapping *ports;
	int nports;
	container_hc hc;
	sim_time stop_timeout;   /* 0: default */
	const behaviour *beh;
} container_def;

typedef enum net_mode {
	NET_BRIDGE,
	NET_HOST,
	NET_AWSVPC,
	NET_NONE,
} net_mode;

struct task_def {
	const char *family;
	int revision;
	int given_revision;  /* describe-task-definition output's revision, or 0 */
	const char *arn;
	container_def *containers;
	int ncontainers;
	int cpu;      /* task-level units; 0 when unset */
	int memory;   /* task-level MiB; 0 when unset */
	net_mode net;
	bool fargate; /* requiresCompatibilities includes FARGATE */
	bool arm;     /* runtimePlatform.cpuArchitecture ARM64 */
	bool ec2;
	/* derived: what placement reserves on an instance */
	int place_cpu;
	int place_mem;
	int nstatic_ports;
	int ndynamic_ports;
	bool has_hc;  /* an essential container has a health check */
	bool inactive;        /* deregistered (ecs:DeregisterTaskDefinition) */
	sim_time deregistered; /* when, if inactive */
	jr_pos pos;
};

/* ------------------------------------------------------------------ */
/* Clusters and container instances.                                   */

typedef enum inst_status {
	INST_LAUNCHING,   /* EC2 booting, agent not registered */
	INST_ACTIVE,
	INST_DRAINING,
	INST_GONE,        /* deregistered / terminated */
} inst_status;

struct instance {
	int index;                 /* in its cluster */
	cluster *cl;
	char ec2_id[24];           /* i-0123456789abcdef0 */
	char ci_id[40];            /* container-instance id (32 hex) */
	const char *type_name;
	int vcpu;
	double price_hour;
	const char *az;
	inst_status status;
	int cpu_reg, mem_reg;      /* registered */
	int cpu_free, mem_free;    /* remaining */
	struct plc_ports *ports;   /* host ports in use (incl. reserved) */
	int ntasks;                /* tasks holding resources */
	task *tasks;               /* those tasks (task.inst_next) */
	int cpu_busy;              /* CPU units reserved by RUNNING tasks that
	                              may use CPU (task_sync_cpu) */
	int nrunning;
	int ndaemon;
	sim_time launched_at, registered_at, gone_at;
	struct asg *asg;           /* subscriber's: the Auto Scaling group that
	                              launched it; NULL for static instances */
	int cp;                    /* capacity provider (index in the
	                              configuration's cps) of its group, or -1 */
	bool protected_scale_in;
	evq_handle ev;
	/* faults (model/ecs/faults.h): */
	bool spot;                 /* a Spot Instance (its price is the Spot
	                              price of its pool) */
	bool agent_disconnected;   /* agentConnected false: no placements */
	bool unreachable;          /* host or network down: its tasks answer
	                              nothing (impaired, or its zone is out) */
	bool impaired;             /* EC2 status checks fail (the group's
	                              health check replaces it) */
	uint64_t fault_entity;     /* stable id for its fault streams */
	struct inst_fault *fx;     /* faults.c's: pending loss, images pulled */
};

typedef struct static_instances {
	const char *type;
	int count;
	const char **azs;          /* instances go round-robin over these */
	int nazs;
	jr_pos pos;
} static_instances;

typedef struct cluster_cfg {
	const char *name;
	static_instances *statics;
	int nstatics;
	cp_strategy default_cps;   /* defaultCapacityProviderStrategy */
	bool elastic;              /* an extension (Auto Scaling groups) adds
	                              instances at run time */
	int nservices;             /* active services while loading (quota) */
	jr_pos pos;
} cluster_cfg;

struct cluster {
	model *m;
	const cluster_cfg *cfg;
	const char *name;
	const char *arn;
	instance **instances;
	int ninstances, capinstances;
	/* placement views, index-aligned with instances (model/ecs/placement.h) */
	struct plc_instance *views;
	struct plc_interner *intern; /* the views' attribute values, interned */
	struct plc_index *index;     /* the views, indexed for placement */
	int *occ;                    /* placement scratch: a service's views */
	size_t capocc;
	const char **azs;          /* Availability Zones seen, for Fargate */
	int nazs;
	int max_instances;
	/* services waiting for capacity (svc_set_waiting), by index */
	service **waiting;
	int nwaiting;
	size_t capwaiting;
	double cost;               /* EC2 USD accrued by gone instances */
	double fargate_cost;       /* Fargate USD of stopped tasks */
	double spot_cost;          /* the Spot part of cost (gone instances) */
	double fargate_spot_cost;  /* the Fargate Spot part of fargate_cost */
	int series_base;
};

/* ------------------------------------------------------------------ */
/* Services.                                                           */

typedef enum launch_type {
	LAUNCH_EC2,
	LAUNCH_FARGATE,
	LAUNCH_EXTERNAL,
	LAUNCH_CAPACITY_PROVIDER,
} launch_type;

typedef struct lb_binding {
	const char *target_group;  /* ARN or name as given */
	const char *container_name;
	int container_port;
	struct target_group *tg;   /* subscriber's: resolved at model start */
	/* The binding's second target group (slot 1 of a deployment): the
	 * advancedConfiguration's alternateTargetGroupArn (ECS blue/green
	 * family), the other group of a CodeDeploy deployment group's pair,
	 * or the one an EXTERNAL task set names; NULL when none. */
	const char *alt_target_group;
	const char *prod_rule;     /* productionListenerRule as given */
	const char *test_rule;     /* testListenerRule as given, or NULL */
	struct target_group *alt_tg; /* subscriber's: resolved at model start */
} lb_binding;

/* [DOC] API DeploymentControllerType and DeploymentStrategy. */
typedef enum deploy_controller {
	CTRL_ECS,
	CTRL_CODE_DEPLOY,
	CTRL_EXTERNAL,
} deploy_controller;

typedef enum deploy_strategy {
	STRAT_ROLLING,
	STRAT_BLUE_GREEN,
	STRAT_LINEAR,
	STRAT_CANARY,
} deploy_strategy;

/* [DOC] ServiceDeploymentLifecycleStage, in order, with the hook-only
 * DeploymentLifecycleHookStage PRE_PRODUCTION_TRAFFIC_SHIFT where it runs
 * (deploy_bluegreen.h). */
typedef enum lc_stage {
	LC_RECONCILE_SERVICE,
	LC_PRE_SCALE_UP,
	LC_SCALE_UP,
	LC_POST_SCALE_UP,
	LC_TEST_TRAFFIC_SHIFT,
	LC_POST_TEST_TRAFFIC_SHIFT,
	LC_PRE_PRODUCTION_TRAFFIC_SHIFT,
	LC_PRODUCTION_TRAFFIC_SHIFT,
	LC_POST_PRODUCTION_TRAFFIC_SHIFT,
	LC_BAKE_TIME,
	LC_CLEAN_UP,
	LC_NSTAGES
} lc_stage;

/* [DOC] API DeploymentLifecycleHook with its timeoutConfiguration. */
typedef struct lifecycle_hook {
	bool pause;                /* targetType PAUSE (else AWS_LAMBDA) */
	const char *target_arn;    /* hookTargetArn (Lambda); NULL for PAUSE */
	unsigned stages;           /* bit (1u << lc_stage) per lifecycle stage */
	sim_time timeout;          /* timeoutInMinutes, default 1440 min */
	bool timeout_rollback;     /* action ROLLBACK (default) or CONTINUE */
	jr_pos pos;
} lifecycle_hook;

/* [DOC] API DeploymentAlarms. */
typedef struct deploy_alarms {
	const char **names;
	int n;
	bool enable, rollback;
	jr_pos pos;
} deploy_alarms;

typedef struct deploy_cfg {
	int maximum_percent;
	int minimum_healthy_percent;
	bool cb_enable, cb_rollback;
	bool cb_reset_on_healthy;  /* [DOC 2026] default true */
	int cb_threshold_type;     /* CB_COUNT, CB_BOUNDED, CB_UNBOUNDED */
	double cb_threshold_value; /* default 50 */
	/* the blue/green family (deploy_cfg.c reads them) */
	deploy_strategy strategy;  /* default ROLLING */
	sim_time bake_time;        /* bakeTimeInMinutes */
	bool has_bake;
	double linear_step;        /* linearConfiguration.stepPercent, default 10 */
	sim_time linear_bake;      /* stepBakeTimeInMinutes, default 6 min */
	double canary_pct;         /* canaryConfiguration.canaryPercent, default 5 */
	sim_time canary_bake;      /* canaryBakeTimeInMinutes, default 10 min */
	lifecycle_hook *hooks;     /* lifecycleHooks */
	int nhooks;
	deploy_alarms alarms;      /* alarms */
} deploy_cfg;

enum { CB_COUNT, CB_BOUNDED_PERCENT, CB_UNBOUNDED_PERCENT };

/* A create-service input, or an update-service input (fields flagged). */
struct svc_cfg {
	const char *name;
	const char *cluster;
	const char *task_def_ref;   /* "family", "family:3" or an ARN */
	const task_def *td;         /* resolved at load */
	int desired;
	bool has_desired;
	launch_type launch;
	bool launch_set;            /* launchType or a strategy was given */
	bool daemon;
	deploy_cfg dc;
	bool has_dc;
	struct plc_policy *placement; /* NULL: default strategy */
	sim_time grace;             /* healthCheckGracePeriodSeconds */
	bool has_grace;
	lb_binding *lbs;
	int nlbs;
	bool force_new_deployment;
	cp_strategy cps;            /* capacityProviderStrategy */
	deploy_controller controller; /* deploymentController.type */
	jr_pos pos;
};

typedef enum dep_status {
	DEP_PRIMARY,
	DEP_ACTIVE,
	DEP_INACTIVE,
} dep_status;

typedef enum rollout_state {
	ROLLOUT_IN_PROGRESS,
	ROLLOUT_COMPLETED,
	ROLLOUT_FAILED,
} rollout_state;

struct deployment {
	service *svc;
	char id[40];              /* ecs-svc/1234567890123456789 */
	const task_def *td;
	dep_status status;
	rollout_state rollout;
	const char *reason;       /* rolloutStateReason */
	const char *scaling_reason; /* stoppedReason of its scale-ins (service.c) */
	deploy_cfg dc;            /* configuration it runs under */
	int ntasks;               /* non-STOPPED tasks with desired RUNNING */
	int nrunning;
	bool any_running;         /* circuit breaker stage 2 reached */
	int failed_tasks;         /* circuit breaker count */
	int lowest_healthy;       /* lowest healthy count seen while in progress */
	int series_rev;           /* recorder series of its revision, or -1 */
	sim_time created_at, finished_at;
	bool is_rollback;
	bool is_first;             /* the service's creation: nothing to keep */
	rec_fact *fact;
	/* where the time went (sums over tasks, for means) */
	sim_time sum_start, sum_health, sum_drain, sum_stop;
	int n_start, n_health, n_drain, n_stop;
	/* Strategies other than the rolling update (model/ecs/deploy.h):
	 * the tasks this deployment (or task set) keeps, -1 while the rolling
	 * scheduler decides; its target groups (slot 0: the bindings', 1:
	 * their alternates); the tasks a rolling scale-out adds to this older
	 * revision (ecs.scaleOutBothRevisions); and the state of its
	 * strategy, owned by that strategy's file. */
	int want;
	int slot;
	int extra;
	int series_weight;        /* recorder series of its traffic weight, or -1 */
	struct bg_run *bg;        /* deploy_bluegreen.c */
	struct task_set *set;     /* task_sets.c */
	struct dal_watch *watch;  /* deploy_alarms.c */
	deployment *next;         /* service's list, newest first */
};

typedef enum task_status {
	TS_PROVISIONING,
	TS_PENDING,
	TS_ACTIVATING,
	TS_RUNNING,
	TS_DEACTIVATING,
	TS_STOPPING,
	TS_DEPROVISIONING,
	TS_STOPPED,
} task_status;

typedef enum health_status {
	HEALTH_UNKNOWN,
	HEALTH_HEALTHY,
	HEALTH_UNHEALTHY,
} health_status;

typedef enum stop_code {
	STOP_NONE,
	STOP_TASK_FAILED_TO_START,
	STOP_ESSENTIAL_CONTAINER_EXITED,
	STOP_USER_INITIATED,
	STOP_SERVICE_SCHEDULER_INITIATED,
	STOP_SPOT_INTERRUPTION,
	STOP_TERMINATION_NOTICE,
} stop_code;

struct task {
	/* what the scheduler's and traffic's walks over a service's tasks
	 * read comes first: the list links, the owners, the status and
	 * flags share the first cache lines */
	task *prev, *next;        /* service's task list */
	service *svc;
	deployment *dep;
	const task_def *td;
	instance *inst;           /* NULL on Fargate */
	int inst_idx;             /* inst->index (walks need not visit inst) */
	const char *az;
	task_status status;
	bool desired_stopped;
	health_status container_health;
	bool target_healthy;      /* every bound target group says healthy */
	bool unhealthy;           /* failed a check after grace: replace */
	bool replacing;           /* a replacement has been started for it */
	bool stopped_for_health;  /* counts for the circuit breaker */
	bool will_fail;           /* drawn at PENDING: fails to start */
	bool on_draining;         /* its instance is DRAINING: replace it */
	bool waiting;             /* PROVISIONING: waiting for capacity */
	bool scale_out;           /* an older revision's share of a rolling
	                             scale-out (ecs.scaleOutBothRevisions) */
	int cpu_busy;             /* what it adds to its instance's cpu_busy */
	int cp;                   /* capacity provider index, or -1 */
	uint64_t serial;          /* per service, from 1 */
	char id[40];              /* 32 hex digits */
	task *replaces;           /* the unhealthy task this one replaces */
	deployment *stopped_by;   /* primary deployment when the scheduler stopped it */
	sim_time deactivating_at;
	bool stop_selected;       /* chosen by the current scheduler pass */
	const char *stop_reason_next;
	bool counted_healthy;     /* cached healthiness (scheduler view) */
	stop_code stop_code;
	const char *stopped_reason;
	int *host_ports;          /* one per port mapping; 0 when none */
	sim_time created_at, started_at, ready_at, healthy_at, stopping_at;
	sim_time pull_started_at;
	sim_time pull_stopped_at; /* when the pull ends (drawn with it); 0
	                             while unknown or when the pull fails */
	sim_time placed_at;       /* when it took resources on its instance */
	evq_handle ev;            /* next lifecycle step */
	evq_handle health_ev;     /* container health / 40 s rule / crash */
	evq_handle crash_ev;
	evq_handle grace_ev;      /* end of the health-check grace period */
	rec_fact *fact;           /* its "task" record (task_record), or NULL */
	rng *r;                   /* lifecycle draws */
	rng *rh;                  /* health-check outcomes */
	struct tg_target **targets; /* subscriber's: one target per load
	                               balancer binding (the array is ECS's) */
	/* container health check of the first essential container that has
	 * one [INF]: one predicted change at a time (model/ecs/health.h) */
	hc_machine chc_m;
	hc_outcome chc_o;
	hc_state chc_st;
	hc_draws chc_d;
	bool chc_on;
	/* faults (model/ecs/faults.h): */
	bool unreachable;         /* its host, zone or network is down: it
	                             answers neither requests nor checks */
	bool kill_now;            /* its host is gone: no SIGTERM grace */
	const char *pull_error;   /* CannotPullContainerError drawn at the
	                             pull (a registry fault), or NULL */
	task *inst_prev, *inst_next; /* its instance's list (inst->tasks) */
};

struct service {
	model *m;
	const char *name;
	const char *arn;
	cluster *cl;
	svc_cfg cfg;              /* current configuration (updates merged) */
	int desired;
	deployment *deps;         /* newest first; PRIMARY is deps */
	int ndeps_created;
	task *tasks;              /* all non-STOPPED tasks */
	int ntasks;
	/* The same tasks in an array, oldest first (so read backwards it is
	 * the list's order): the scheduler's and traffic's walks read it, so
	 * the CPU loads many tasks at once instead of one list link after
	 * another (a pass's first walk over tasks that left the cache). */
	task **tv;
	int captv;
	uint64_t next_serial;
	evq_handle pass_ev;
	evq_handle retry_ev;
	sim_time retry_delay;
	bool waits_capacity;      /* in its cluster's waiting list */
	int consecutive_start_failures; /* failed launch attempts in a row */
	sim_time last_failed_launch;    /* launch time of the last one counted */
	sim_time throttled_until;
	lr_bucket launches;             /* [DOC] §7.1 the service's launch quota */
	bool deleted;
	int *per_instance;        /* tasks of this service per instance index */
	int per_instance_cap;
	rng *rplace;              /* placement tie-breaks */
	task **batch;             /* stops chosen by the current pass */
	size_t nbatch, capbatch;
	/* event de-duplication: last text per message kind, and its time */
	const char *last_text[8];
	sim_time last_time[8];
	bool steady;
	sim_time steady_since;
	rec_fact *fact;
	int series_base;          /* first recorder series of this service */
	struct svc_scaling *scaling; /* subscriber's: Application Auto Scaling */
	struct svc_traffic *traffic; /* subscriber's: workload and routing */
	struct elb_svc *lb;       /* subscriber's: listener rule weights */
	/* Production and test traffic per target-group slot (percent of the
	 * listener rule's forward; model/ecs/deploy.h), and whether the slots
	 * are pooled (share by registered targets: EXTERNAL task sets). */
	double prod_w[2], test_w[2];
	bool pooled;
	bool shifted;             /* a deployment has set the weights */
	struct cd_svc *cd;        /* CodeDeploy deployments (deploy_codedeploy.c) */
	double cost;              /* USD of tasks that stopped (fleet.c) */
	int index;
};

/* ------------------------------------------------------------------ */
/* The model.                                                          */

typedef struct model_cfg model_cfg;

struct model {
	const model_cfg *cfg;
	const model_params *p;
	engine *eng;
	recorder *rec;
	uint64_t seed;
	arena *a;                 /* runtime allocations that live the run */
	cluster **clusters;
	int nclusters;
	service **services;
	int nservices, capservices;
	task *free_tasks;         /* recycled task structs */
	lr_bucket fargate_launches; /* [DOC] §7.1 the account's Fargate bucket */
	struct ecs_listener *listeners[8]; /* subscribers (listeners.h) */
	int nlisteners;
	/* the subscribers' own state */
	struct elb *elb;          /* load balancers and target groups */
	struct scaling *aas;      /* Application Auto Scaling */
	struct fleet *fleet;      /* Auto Scaling groups and managed scaling */
	struct faults *faults;    /* ECS's faults (faults.c) */
	struct spot *spot;        /* Spot capacity (model/autoscaling/spot.c) */
	uint64_t id_counter;
	struct dal_table *alarm_states; /* CloudWatch alarm states pushed to ECS
	                                   (deploy_alarms.c) */
	struct hk_registry *hooks; /* lifecycle hooks running (deploy_hooks.c) */
	sim_time end;
	sim_time sample_interval;
	double api_epoch;         /* epoch seconds of simulated time 0, for the
	                             timestamps of API answers (ecs_api.c) */
	struct ecs_api_cache *api_cache; /* ecs_api.c's index of events */
};

/* ecs_api.c: free the API's cache (model_free). */
void ecs_api_free(model *m);

/* model.c */
void model_make_hex_id(model *m, const char *purpose, char *out, int ndigits);

/* service.c */
int svc_max_tasks(int desired, int maximum_percent);
void dep_record(deployment *d, const task_def *from, const char *cause,
    bool rollback);
int svc_min_healthy(int desired, int minimum_healthy_percent);
void svc_register_series(service *s);
service *svc_create(model *m, const svc_cfg *c);
int svc_update(service *s, const svc_cfg *upd);
void svc_delete(service *s);
void svc_kick(service *s);
void svc_set_desired(service *s, int desired, const char *cause);
int svc_running_count(const service *s);
int svc_healthy_count(const service *s);
bool svc_deployment_in_progress(const service *s);
void svc_task_state_changed(task *t);
void svc_task_health_changed(task *t);
void svc_task_stopped(task *t);
void svc_sample(service *s);
void svc_finish(service *s);
void svc_note_transition(task *t, task_status from, task_status to);
void svc_note_healthy(task *t);
service *model_find_service(model *m, const char *cname, const char *name);

/* task.c */
/* Launch a task of d on inst (NULL: Fargate) for capacity provider cp
 * (-1: none). */
task *task_launch(service *s, deployment *d, int cp, instance *inst,
    const char *az, const int *host_ports);
/* A task of capacity provider cp with nowhere to run yet: PROVISIONING
 * until task_assign_instance, or stopped at ecs.provisioningTimeout. */
task *task_launch_waiting(service *s, deployment *d, int cp);
void task_assign_instance(task *t, instance *inst, const char *az,
    const int *host_ports);
void task_stop(task *t, stop_code code, const char *reason);
bool task_is_healthy(const task *t);
/* task_is_healthy, inline for the scheduler's loops over its tasks. */
static inline bool task_healthy(const task *t);
const char *task_status_name(task_status s);
/* For the load-balancer subscriber: t's targets are about to change state
 * (ECS tells its own listeners first), and then they changed: all_healthy
 * when every binding's target is healthy; became_unhealthy when one just
 * turned unhealthy (t is replaced after its grace period). */
void task_targets_will_change(task *t);
void task_targets_changed(task *t, bool all_healthy, bool became_unhealthy);
/* A listener that held t in DEACTIVATING (draining) lets it go on. */
void task_drained(task *t);
void task_arm_running_timer(task *t);
/* The task's host is gone: a task on its way out (DEACTIVATING,
 * STOPPING) is killed now instead of draining or waiting for its
 * application to exit. No effect on other states. */
void task_kill(task *t);
/* The "task" fact table (docs/observations.md): t's record is opened
 * when a deployment in progress launches it (TR_LAUNCH) or stops it
 * (TR_STOP), and filled in when it is STOPPED (TR_STOPPED) or the run
 * ends (TR_END). At most TASK_RECORDS_MAX records per run; the rest are
 * counted in the "task_records" fact. */
enum { TR_LAUNCH, TR_STOP, TR_STOPPED, TR_END };
void task_record(task *t, int when);

/* container_health.c */
void chc_task_running(task *t, const behaviour *b);
void chc_task_stopped(task *t);
/* The service's grace period has ended for t: flag it if still unhealthy. */
void task_check_unhealthy(task *t);

/* cluster.c */
cluster *model_find_cluster(model *m, const char *name);
/* A new container instance of cl; asg and cp: the Auto Scaling group
 * (subscriber's) and capacity provider that launched it (NULL, -1 for a
 * static instance). */
instance *cluster_add_instance(model *m, cluster *cl, const char *type,
    const char *az, inst_status status, struct asg *asg, int cp);
/* Capacity was freed or added in cl (instances_changed: an instance
 * joined or left): the services that wait for capacity take another look
 * (and DAEMON services when instances changed); every service with
 * ecs.capacityWakesAllServices. */
void cluster_kick(model *m, cluster *cl, bool instances_changed);
/* Whether s waits for capacity (its cluster's list, in service order). */
void cluster_set_waiting(cluster *cl, service *s, bool waiting);
void instance_reserve(instance *in, const task_def *td, const int *ports);
void instance_release(instance *in, const task_def *td, const int *ports);
void instance_set_draining(model *m, instance *in);
void instance_activate(model *m, instance *in);
/* Refresh the instance's placement view from its state. */
void instance_sync_view(instance *in);
void cluster_free(cluster *cl);
/* The instance is terminated now (status GONE): its tasks stop with
 * code (STOP_TERMINATION_NOTICE for a host that went away) and reason;
 * tasks already stopping are killed (no SIGTERM grace left). cause goes
 * into the instance_terminated fact. */
void instance_terminate_with(model *m, instance *in, stop_code code,
    const char *reason, const char *cause);
void instance_terminate(model *m, instance *in, const char *cause);
/* agentConnected of the instance changed (in->agent_disconnected):
 * placement sees it, services take another look. */
void instance_agent_changed(model *m, instance *in);

/* ecs_sample.c */
/* Register the series "scope/name/field" (the recorder copies names). */
int ecs_reg_series(recorder *r, const char *scope, const char *name,
    const char *field, const char *unit);
void ecs_sample_service(service *s);
void ecs_sample_cluster(model *m, cluster *cl);
/* EC2 cost of the cluster's instances so far (USD). */
double ecs_cluster_cost(model *m, cluster *cl);
/* The Spot Instances' part of it. */
double ecs_cluster_spot_cost(model *m, cluster *cl);

/* svc_events.c: AWS service event texts, with duplicate suppression. */
enum {
	SEV_PLACEMENT,   /* unable to place */
	SEV_STEADY,      /* reached a steady state */
	SEV_STUCK,       /* unable to stop or start tasks (configuration) */
	SEV_THROTTLED,   /* unable to consistently start tasks */
	SEV_NKINDS
};
/* Emit text unless an identical text of the same kind was emitted within
 * the de-duplication window and the cause has not resolved. */
void sev_emit_dedup(service *s, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The cause of a de-duplicated kind has resolved: the next one is new. */
void sev_resolve(service *s, int kind);
void sev_emit(service *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* [DOC] §1.4: what counts as healthy toward minimumHealthyPercent (the
 * body of task_is_healthy, here so the scheduler's loops inline it). */
static inline bool
task_healthy(const task *t)
{
	if (t->status != TS_RUNNING || t->desired_stopped || t->unhealthy)
		return false;
	const service *s = t->svc;
	bool lb = s->cfg.nlbs > 0;
	if (!lb && !t->td->has_hc)
		return eng_now(s->m->eng) - t->started_at >= s->m->p->healthy_after_running;
	if (t->td->has_hc && t->container_health != HEALTH_HEALTHY)
		return false;
	if (lb && !t->target_healthy)
		return false;
	return true;
}

#endif
