/*
 * service_int — the service scheduler's internals that the strategies'
 * passes share (model/ecs/deploy.h and the files behind it): launching,
 * stopping and the placement bookkeeping of service.c, so a task set or a
 * blue/green revision is started and stopped exactly as the rolling
 * update starts and stops tasks (events, facts, back-off).
 *
 * Only model/ecs includes this header.
 */
#ifndef MODEL_ECS_SERVICE_INT_H
#define MODEL_ECS_SERVICE_INT_H

#include "model/ecs/ecs.h"

/* Task ids of one pass, for the "has started/stopped" events. */
typedef struct id_list {
	char text[900];
	int n;
} id_list;

void svc_ids_add(id_list *l, const task *t);
/* Place and launch one task of d; NULL (and *failed_placement, with the
 * AWS message in why) when no capacity fits it. */
task *svc_launch(service *s, deployment *d, bool *failed_placement,
    char *why, size_t whysize);
/* Choose t to be stopped by this pass (reason: its stoppedReason); the
 * stops happen, after the "has stopped" event, at svc_stops_flush. */
void svc_stop_chosen(service *s, task *t, id_list *stopped,
    const char *reason);
void svc_stops_flush(service *s, id_list *stopped);
/* After a pass's launches for d: record and retry a failed placement, or
 * reset the back-off when the pass launched all it wanted. */
void svc_placement_outcome(service *s, deployment *d, bool failed,
    bool all_launched, const char *why);
/* The service throttle logic holds launches now: a pass is scheduled for
 * when it ends. */
bool svc_throttled(service *s);
/* A new deployment (or task set) of td at the head of s's list, ACTIVE,
 * IN_PROGRESS, keeping no task (want 0) until its strategy says; its
 * "deployment" fact is opened (from: the definition it replaces, or NULL). */
deployment *svc_add_deployment(service *s, const task_def *td,
    const task_def *from, const char *cause);

#endif
