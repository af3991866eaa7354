/*
 * listeners — what ECS announces, and who listens.
 *
 * ECS does not call Elastic Load Balancing, Auto Scaling or the traffic
 * model by name: it announces what happens to its services, tasks and
 * container instances, and those parts subscribe (model/elbv2 registers
 * and drains targets, model/traffic integrates requests and CPU,
 * model/autoscaling follows services and terminates drained instances).
 * The direction is one way: subscribers may call ECS's functions; ECS
 * only calls the function pointers below.
 *
 * Listeners are called in the order they subscribed, each announcement
 * at the place in ECS's code where the effect must happen (a listener
 * that schedules events does so in that order, which decides ties in the
 * event queue, so subscription order is part of the model's determinism:
 * model.c subscribes elbv2, traffic, autoscaling in that order).
 *
 * Every member may be NULL. Ownership: the table is copied; ctx is
 * borrowed and must outlive the model.
 */
#ifndef MODEL_ECS_LISTENERS_H
#define MODEL_ECS_LISTENERS_H

#include <stdbool.h>

#include "model/ecs/ecs.h"

typedef struct ecs_listener {
	void *ctx;
	/* A service was created (its series are registered, its first
	 * deployment not yet). */
	void (*service_created)(void *ctx, service *s);
	/* The service's first deployment exists. */
	void (*service_deployed)(void *ctx, service *s);
	/* An update replaced the service's load balancer bindings. */
	void (*service_bindings_changed)(void *ctx, service *s);
	/* The run ends: write the service's facts. */
	void (*service_finished)(void *ctx, service *s);

	/* A task's status or its targets' health is about to change
	 * (integrate what depended on the old state). */
	void (*task_will_change)(void *ctx, task *t);
	/* A task's status changed from `from` (t->status is the new one). */
	void (*task_changed)(void *ctx, task *t, task_status from);
	/* A task entered RUNNING: register its targets. */
	void (*task_running)(void *ctx, task *t);
	/* A RUNNING task is being stopped. immediate: its container or
	 * instance is already gone (no graceful drain). Return true to hold
	 * the task in DEACTIVATING until the listener calls task_drained. */
	bool (*task_deactivating)(void *ctx, task *t, bool immediate);
	/* A task reached STOPPED (its struct is recycled after this). */
	void (*task_gone)(void *ctx, task *t);
	/* The health of a task's targets changed (after the change). */
	void (*task_health_changed)(void *ctx, task *t);
	/* Is one of t's targets unhealthy? */
	bool (*task_target_unhealthy)(void *ctx, const task *t);
	/* t is replaced for failing the listener's health checks: emit the
	 * service event and set t->stopped_reason. Returns true if it did. */
	bool (*explain_unhealthy)(void *ctx, task *t);

	/* A DRAINING instance has no task left. */
	void (*instance_idle)(void *ctx, instance *in);

	/* Faults (model/ecs/faults.h). */
	/* t->unreachable changed: its host, zone or network went down (its
	 * application answers neither requests nor health checks) or came
	 * back. */
	void (*task_reachability_changed)(void *ctx, task *t);
	/* The instance was terminated (status GONE), by whoever: its group
	 * learns it is gone. */
	void (*instance_gone)(void *ctx, instance *in);
	/* in->impaired changed (EC2 status checks failing, or passing
	 * again). */
	void (*instance_impaired)(void *ctx, instance *in);
	/* An Availability Zone went out (down true) or came back. */
	void (*zone_changed)(void *ctx, const char *az, bool down);
	/* A fault's window on service s opens (open true) or closes (the
	 * service recovered, or the run ended): a listener adds its own
	 * figures to the fault's record f (e.g. requests and errors in
	 * the window). */
	void (*fault_window)(void *ctx, service *s, rec_fact *f, bool open);
} ecs_listener;

#define ECS_MAX_LISTENERS 8

/* Subscribe l (copied) to m's announcements. */
void ecs_subscribe(model *m, const ecs_listener *l);

/* Announcements (called by ECS's own files only). */
void ecs_announce_service_created(model *m, service *s);
void ecs_announce_service_deployed(model *m, service *s);
void ecs_announce_service_bindings_changed(model *m, service *s);
void ecs_announce_service_finished(model *m, service *s);
void ecs_announce_task_will_change(task *t);
void ecs_announce_task_changed(task *t, task_status from);
void ecs_announce_task_running(task *t);
/* true when some listener holds the task (it will call task_drained) */
bool ecs_announce_task_deactivating(task *t, bool immediate);
void ecs_announce_task_gone(task *t);
void ecs_announce_task_health_changed(task *t);
bool ecs_ask_task_target_unhealthy(const task *t);
bool ecs_ask_explain_unhealthy(task *t);
void ecs_announce_instance_idle(model *m, instance *in);
void ecs_announce_task_reachability_changed(task *t);
void ecs_announce_instance_gone(model *m, instance *in);
void ecs_announce_instance_impaired(model *m, instance *in);
void ecs_announce_zone_changed(model *m, const char *az, bool down);
void ecs_announce_fault_window(model *m, service *s, rec_fact *f, bool open);

#endif
