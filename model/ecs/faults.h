/*
 * faults — what goes wrong, as ECS lives through it: container instances
 * lost or impaired, Availability Zones out, agents disconnected, a
 * registry that cannot serve an image, tasks that crash; random instance
 * failures; and for each fault the record of what it did to the services
 * (how long until each was back at its desired healthy count, its lowest
 * healthy count, the requests that failed meanwhile).
 *
 * Scenario:
 *   "faults": {                                   (random faults)
 *     "instanceMeanTimeBetweenFailures": "30d",   every container instance
 *                                                  fails once per MTBF on
 *                                                  average (exponential
 *                                                  from its launch)
 *     "instanceFailure": "terminated" | "impaired",     (default terminated)
 *     "spotInterruptionsPerHour": 0.05,           every Spot pool's rate
 *     "spotPools": [{"instanceType": "m5.large", "availabilityZone":
 *        "us-east-1a", "interruptionsPerHour": 0.2, "pricePerHour":
 *        0.035}, {"capacityProvider": "FARGATE_SPOT",
 *        "interruptionsPerHour": 0.1}]}
 *   clusters[].ecsAgent: {"ECS_ENABLE_SPOT_INSTANCE_DRAINING": "true",
 *        "ECS_IMAGE_PULL_BEHAVIOR": "default"}     (the ecs.config of the
 *                                                  cluster's instances)
 * Timeline calls (validated at load with their positions):
 *   sim:FailInstance {cluster, instance: "index:N", mode: terminated |
 *       impaired}
 *   sim:FailAvailabilityZone {availabilityZone, duration, cluster?}
 *   sim:DisconnectAgent {cluster, instance, duration?}
 *   sim:ReconnectAgent {cluster, instance}
 *   sim:ImagePullFailure {image ("*": every image), duration, reason?}
 *   sim:CrashTasks {cluster, service, fraction | count}
 * (Spot interruptions: model/autoscaling/spot.c, sim:SpotInterruption.)
 *
 * What a fault does, with its source:
 *  - terminated instance: its tasks answer nothing at once; ECS stops them
 *    after ecs.instanceLossDetection [UNCONFIRMED] with stopCode
 *    TerminationNotice and stoppedReason "Host EC2 (instance i-…)
 *    terminated." [OBS: DescribeTasks answers quoted in public code; the
 *    stop code [DOC] API TaskStopCode]; its group replaces it [DOC
 *    healthcheck.html: an instance that terminates unexpectedly is
 *    replaced];
 *  - impaired instance (status checks failing, or its zone out): agent
 *    disconnected, tasks unreachable but RUNNING to ECS [INF]: their
 *    targets fail health checks and ECS replaces them; a group marks it
 *    Unhealthy once asg.healthCheckDetection passed and not before its
 *    HealthCheckGracePeriod [DOC health-check-grace-period.html];
 *  - disconnected agent: agentConnected false, no placements [DOC API
 *    ContainerInstance], tasks keep running and serving; the placement
 *    failure names it ("encountered error "AGENT"") [DOC §6.8];
 *  - Availability Zone out: every instance in it impaired, Fargate tasks
 *    in it unreachable and Fargate places no task there [INF]; groups
 *    launch elsewhere and rebalance when it is back [DOC
 *    auto-scaling-benefits.html "Instance distribution"];
 *  - image pull failure: a pull of the image starting in the window fails
 *    (stopCode TaskFailedToStart, stoppedReason CannotPullContainerError
 *    …) — on EC2 with ECS_IMAGE_PULL_BEHAVIOR default, once or
 *    prefer-cached an instance that pulled the image before uses its
 *    cached copy [DOC pull-behavior.html]; Fargate caches nothing [DOC];
 *    the service's throttle and circuit breaker count the failures
 *    (service.c);
 *  - crash: a fraction of the service's RUNNING tasks exits (stopCode
 *    EssentialContainerExited).
 *
 * Random streams: one per purpose and entity (sim/rng.h), so adding one
 * kind of fault never moves another's draws: "fault.instance" per
 * instance (entity: its group or "static", its lifecycle and launch
 * serial in that group), "fault.crash" per sim:CrashTasks call.
 *
 * Records (docs/observations.md): "fault" per fault, "fault_impact" per
 * fault and service, "fault_task" per task a fault stopped (at most
 * FAULTS_MAX_TASK_RECORDS), events of kind "fault".
 *
 * Invariant: an open impact window is re-evaluated on every change of its
 * service (svc_kick); it closes once the service is recovered and the
 * fault is over, or at the end of the run.
 */
#ifndef MODEL_ECS_FAULTS_H
#define MODEL_ECS_FAULTS_H

#include <stdbool.h>

#include "model/ecs/ecs.h"
#include "sim/scenario.h"

#define FAULTS_MAX_TASK_RECORDS 2000

/* ECS_IMAGE_PULL_BEHAVIOR [DOC agent README] */
typedef enum pull_behavior {
	PULL_DEFAULT,
	PULL_ALWAYS,
	PULL_ONCE,
	PULL_PREFER_CACHED,
} pull_behavior;

/* A Spot capacity pool's settings: an instance type (in one zone, or
 * every zone when az is NULL), or the FARGATE_SPOT provider. */
typedef struct spot_pool_cfg {
	const char *type;      /* NULL for FARGATE_SPOT */
	const char *az;        /* NULL: every zone */
	bool fargate;          /* capacityProvider FARGATE_SPOT */
	double rate;           /* interruptions per hour per instance/task */
	bool has_rate;
	double price;          /* USD per hour (instance pools) */
	bool has_price;
	jr_pos pos;
} spot_pool_cfg;

typedef struct agent_cfg {
	const char *cluster;
	bool spot_draining;    /* ECS_ENABLE_SPOT_INSTANCE_DRAINING, default
	                          false [DOC] */
	pull_behavior pull;    /* ECS_IMAGE_PULL_BEHAVIOR, default "default" */
} agent_cfg;

/* The named parameters of faults and Spot capacity (listed when the
 * scenario has faults or Spot capacity). */
typedef struct faults_params {
	sim_time instance_loss_detection; /* [UNCONFIRMED] EC2 termination →
	                                    ECS stops the instance's tasks */
	sim_time asg_health_detection;   /* [UNCONFIRMED] not running or
	                                    impaired → group marks Unhealthy */
	sim_time spot_notice;            /* [DOC] 2 minutes */
	int spot_price_percent;          /* [OBS] built-in EC2 Spot price, %
	                                    of on-demand */
	double fargate_spot_vcpu_hour;   /* [OBS] Fargate Spot USD/vCPU-hour */
	double fargate_spot_gb_hour;     /* [OBS] Fargate Spot USD/GB-hour */
} faults_params;

typedef struct faults_cfg {
	faults_params params;
	bool spot_used;            /* Spot capacity in the scenario */
	sim_time instance_mtbf;    /* 0: no random instance failures */
	bool mtbf_impaired;        /* random failures impair (else terminate) */
	double spot_rate;          /* default interruptions per hour per pool */
	bool has_spot_rate;
	spot_pool_cfg *pools;
	int npools;
	agent_cfg **agents;
	int nagents, capagents;
	bool pull_faults;          /* the timeline has sim:ImagePullFailure */
	int ncrash_calls;
	int nspot_calls;           /* sim:SpotInterruption (spot.c) */
	bool used;                 /* the scenario has faults (section or calls) */
} faults_cfg;

typedef struct fault fault;

/* Register the "faults" section, the clusters' "ecsAgent" member and the
 * calls listed above. */
void faults_register(model_cfg *c, scn_spec *sp);

/* Runtime: create the state (after the clusters, before instances and
 * services); free it; list the assumptions; close every open window and
 * write the figures (at the end of the run, before the services' facts). */
void faults_start(model *m);
void faults_free(model *m);
void faults_assume(model *m);
void faults_finish(model *m);

/* The cluster's agent configuration (defaults when none was given). */
const agent_cfg *faults_agent(const model *m, const cluster *cl);
/* The scenario's faults section and parameters (never NULL). */
const faults_cfg *faults_config(const model *m);
/* Does the scenario have Spot capacity (a group that may launch Spot
 * Instances, FARGATE_SPOT, Spot pools)? */
bool faults_spot_capacity(const model *m);
/* The parameters (faults_config(m)->params). */
const faults_params *faults_params_of(const model *m);

/* A container instance was launched (static at start, or by a group,
 * with origin its group's name): give it its fault stream and draw its
 * random failure. Call after in->spot is set. */
void faults_instance_launched(model *m, instance *in, const char *origin);

/* Is the Availability Zone out now? */
bool faults_zone_down(const model *m, const char *az);

/* When EC2 lost the instance (terminated unexpectedly), or -1. */
sim_time faults_instance_lost_at(const instance *in);
/* The instance was lost by EC2 (terminated unexpectedly), whether or not
 * ECS has noticed yet. */
bool faults_instance_lost(const instance *in);

/* Open a fault record of kind on target (text) at now, with a window on
 * every live service of cluster cl (NULL: every cluster; when svc is not
 * NULL, that service only). random: from the faults section's rates.
 * Returns the fault (owned by the faults state). */
fault *faults_open(model *m, const char *kind, const char *target,
    cluster *cl, service *svc, bool random);
/* The fault's cause is over (a zone back, an interruption done): windows
 * of recovered services close. Instant faults call it at once. */
void faults_end(model *m, fault *f);
/* Add detail to the fault's record. */
void faults_detail(fault *f, const char *key, const char *value);
void faults_detail_int(fault *f, const char *key, int64_t value);
void faults_detail_time(fault *f, const char *key, sim_time value);
/* The scenario's faults configuration while loading (created on first
 * use). */
faults_cfg *faults_cfg_of(model_cfg *c);
/* Record that f stops t (before the stop): a "fault_task" fact. */
void faults_note_task(model *m, fault *f, task *t, stop_code code,
    const char *reason);

/* Instance in is lost to fault f: terminated (ECS notices after
 * ecs.instanceLossDetection and stops its tasks) or impaired (stays
 * registered, unreachable, agent disconnected). */
void faults_lose_instance(model *m, instance *in, bool terminated, fault *f);
/* Terminate in now for f: its tasks stop with TerminationNotice and
 * "Host EC2 (instance …) terminated." (recorded as fault_task facts). */
void faults_terminate_instance(model *m, instance *in, fault *f,
    const char *cause);

/* The instance will be taken (a Spot interruption notice): its tasks
 * count as on faulted capacity until they are gone. */
void faults_mark_doomed(model *m, instance *in);

/* The service changed (called from svc_kick): re-evaluate its open
 * windows. Cheap when none is open. */
void faults_service_changed(service *s);

/* The image pull of t starts now: the CannotPullContainerError text when
 * a registry fault makes it fail, else NULL. */
const char *faults_pull_error(task *t);

/* Text of a stop code as AWS spells it ("TerminationNotice"). */
const char *faults_stop_code_name(stop_code c);

#endif
