/*
 * elb — Elastic Load Balancing v2 as ECS sees it: target groups from
 * `create-target-group` input (or `describe-target-groups` output) with
 * their attributes, application load balancers with listeners and rules,
 * and at run time the targets of service tasks: registration at RUNNING,
 * health from model/ecs/health.h (one event per state change), draining for
 * deregistration_delay.timeout_seconds before the task is stopped.
 *
 * [DOC] defaults (ELBv2 API / ALB guide): interval 30 s, timeout 5 s,
 * healthy threshold 5, unhealthy threshold 2, matcher 200, path "/",
 * deregistration delay 300 s, slow start 0 (off), round_robin; cross-zone
 * load balancing on (an ALB's is always on; a target group may turn it
 * off with load_balancing.cross_zone.enabled "false": model/traffic then
 * splits requests evenly over the zones with a healthy target and each
 * zone's share over its own targets [DOC disable-cross-zone.html]).
 */
#ifndef MODEL_ELBV2_ELB_H
#define MODEL_ELBV2_ELB_H

#include "model/ecs/ecs.h"
#include "model/ecs/health.h"
#include "sim/scenario.h"

typedef enum tg_algorithm {
	TG_ROUND_ROBIN,
	TG_LEAST_OUTSTANDING,
	TG_WEIGHTED_RANDOM,
} tg_algorithm;

typedef struct tg_cfg {
	const char *name;
	const char *arn;
	const char *protocol;
	int port;
	bool target_ip;           /* TargetType ip (else instance) */
	hc_tg_settings hc;
	const char *hc_path;
	const char *matcher;
	sim_time dereg_delay;     /* deregistration_delay.timeout_seconds */
	sim_time slow_start;      /* slow_start.duration_seconds (0: off) */
	tg_algorithm algorithm;
	int min_healthy_targets;  /* unhealthy_state_routing...count, default 1 */
	bool cross_zone_off;      /* load_balancing.cross_zone.enabled "false"
	                             (an ALB's default is on [DOC]) */
	jr_pos pos;
} tg_cfg;

typedef struct lb_rule_cfg {
	int priority;
	const char **paths;       /* path-pattern values (wildcards * and ?) */
	int npaths;
	const char *tg_ref;
	const tg_cfg *tg;
} lb_rule_cfg;

typedef struct listener_cfg {
	int port;
	const char *protocol;
	const char *default_tg_ref;
	const tg_cfg *default_tg;
	lb_rule_cfg *rules;       /* sorted by priority */
	int nrules;
} listener_cfg;

typedef struct alb_cfg {
	const char *name;
	const char *arn;
	listener_cfg *listeners;
	int nlisteners;
	jr_pos pos;
} alb_cfg;

typedef struct elb_cfg {
	tg_cfg **tgs;
	int ntgs, captgs;
	alb_cfg **lbs;
	int nlbs, caplbs;
} elb_cfg;

typedef enum tgt_state {
	TGT_INITIAL,
	TGT_HEALTHY,
	TGT_UNHEALTHY,
	TGT_DRAINING,
} tgt_state;

typedef struct target_group target_group;

typedef struct tg_target {
	target_group *tg;
	task *t;
	int port;                 /* host port (instance targets) or container port */
	tgt_state state;
	sim_time registered_at, healthy_since, drain_until;
	hc_machine hm;
	hc_outcome ho;
	hc_state hs;
	hc_draws hd;
	rng *r;                   /* this checker's own stream */
	evq_handle ev;            /* next health change */
	evq_handle drain_ev;      /* end of draining */
	int index;                /* in tg->targets */
} tg_target;

struct target_group {
	const tg_cfg *cfg;
	model *m;
	tg_target **targets;
	int ntargets, captargets;
	service *svc;             /* the service registering into it */
	bool has_traffic;         /* some workload reaches it */
	int index;
};

struct elb {
	target_group **tgs;
	int ntgs;
	/* Does service s have requests in flight now? (Installed by the
	 * traffic model; NULL: never. A target with none finishes
	 * deregistering at once [DOC].) */
	bool (*busy)(void *ctx, service *s);
	void *busy_ctx;
};

/* Register the sections "targetGroups" and "loadBalancers" and answer
 * ECS's load-time question whether a target group exists. */
void elb_register(model_cfg *c, scn_spec *sp);
/* Scenario sections "targetGroups" and "loadBalancers". */
int elb_parse_target_groups(void *ctx, const jr_val *v, sim_error *err);
int elb_parse_load_balancers(void *ctx, const jr_val *v, sim_error *err);
/* Resolve a service's bindings (a name or an ARN) at load time. */
const tg_cfg *elb_cfg_find_tg(const elb_cfg *e, const char *ref);
/* The target group serving path on a load balancer's listener (port 0:
 * the first listener), or NULL. */
const tg_cfg *elb_route(const alb_cfg *lb, int port, const char *path);
const alb_cfg *elb_cfg_find_lb(const elb_cfg *e, const char *name);
bool elb_path_match(const char *pattern, const char *path);

/* Build the target groups and subscribe to ECS: targets are registered
 * when a task enters RUNNING, health-checked, drained when it stops. */
void elb_start(model *m);
void elb_free(model *m);
target_group *elb_tg_of(model *m, const tg_cfg *c);
const char *elb_target_state_name(tgt_state s);

#endif
