/*
 * aas_int — the structs Application Auto Scaling's own files share
 * (aas.c runs it, aas_api.c answers the API about it); not for other
 * parts of the model.
 */
#ifndef MODEL_AUTOSCALING_AAS_INT_H
#define MODEL_AUTOSCALING_AAS_INT_H

#include "model/autoscaling/aas.h"
#include "model/autoscaling/alarm.h"
#include "model/autoscaling/scaling_policy.h"
#include "model/ecs/ecs.h"

typedef struct aas_item {
	enum { AI_TARGET, AI_POLICY, AI_SCHED, AI_ALARM } kind;
	sim_time at;        /* 0 for the scaling section */
	sp_target target;
	sp_policy policy;
	sp_sched_action sched;
	alarm_config alarm;
} aas_item;

struct aas_cfg {
	aas_item **items;   /* section items, then timeline items */
	int n, cap;
	int nsection;       /* items of the section */
};

typedef struct rt_policy {
	const sp_policy *cfg;
	alarm *high, *low;        /* target tracking: the two it creates */
	char high_name[600], low_name[600]; /* "TargetTracking-" + a resource id of two 255-character names + 60 */
	const alarm_config *user; /* step: the user's alarm watching it */
	alarm *ua;
	alarm_eval eh, el, eu;    /* latest evaluations */
	sp_cooldown cd;
} rt_policy;

typedef struct rt_sched {
	const sp_sched_action *cfg;
	sim_time created;
	evq_handle ev;
	struct svc_scaling *ss;
} rt_sched;

struct svc_scaling {
	service *s;
	bool registered;
	int min, max;
	sp_suspended susp;
	rt_policy *pol;
	int npol, cappol;
	rt_sched **sched;         /* each allocated alone: events point at it */
	int nsched, capsched;
	alarm **extra;            /* user alarms not tied to a policy yet */
	int nextra;
	sim_time period;          /* 60 s or 20 s */
	/* datapoints awaiting publication: ring of (period index, values) */
	struct { int64_t k; double cpu, mem, rpt, running; } pend[64];
	int metric_running;       /* SampleCount of the latest delivered datapoint */
	int phead, pn;
	int series_target;
};

struct scaling {
	struct svc_scaling **list;
	int n, cap;
	evq_handle tick;
};

#endif
