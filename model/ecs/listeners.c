/*
 * listeners — ECS's announcements to its subscribers (see listeners.h).
 */
#include "model/ecs/listeners.h"

#include "sim/arena.h"
#include "sim/error.h"

void
ecs_subscribe(model *m, const ecs_listener *l)
{
	SIM_ASSERT(m->nlisteners < ECS_MAX_LISTENERS);
	ecs_listener *copy = ARENA_NEW(m->a, ecs_listener);
	*copy = *l;
	m->listeners[m->nlisteners++] = copy;
}

/* Call member fn of every listener that has it, with the arguments. */
#define EACH(m, fn, ...) \
	for (int i_ = 0; i_ < (m)->nlisteners; i_++) \
		if ((m)->listeners[i_]->fn != NULL) \
			(m)->listeners[i_]->fn((m)->listeners[i_]->ctx, __VA_ARGS__)

void
ecs_announce_service_created(model *m, service *s)
{
	EACH(m, service_created, s);
}

void
ecs_announce_service_deployed(model *m, service *s)
{
	EACH(m, service_deployed, s);
}

void
ecs_announce_service_bindings_changed(model *m, service *s)
{
	EACH(m, service_bindings_changed, s);
}

void
ecs_announce_service_finished(model *m, service *s)
{
	EACH(m, service_finished, s);
}

void
ecs_announce_task_will_change(task *t)
{
	EACH(t->svc->m, task_will_change, t);
}

void
ecs_announce_task_changed(task *t, task_status from)
{
	EACH(t->svc->m, task_changed, t, from);
}

void
ecs_announce_task_running(task *t)
{
	EACH(t->svc->m, task_running, t);
}

bool
ecs_announce_task_deactivating(task *t, bool immediate)
{
	model *m = t->svc->m;
	bool held = false;
	for (int i = 0; i < m->nlisteners; i++)
		if (m->listeners[i]->task_deactivating != NULL &&
		    m->listeners[i]->task_deactivating(m->listeners[i]->ctx, t, immediate))
			held = true;
	return held;
}

void
ecs_announce_task_gone(task *t)
{
	EACH(t->svc->m, task_gone, t);
}

void
ecs_announce_task_health_changed(task *t)
{
	EACH(t->svc->m, task_health_changed, t);
}

bool
ecs_ask_task_target_unhealthy(const task *t)
{
	const model *m = t->svc->m;
	for (int i = 0; i < m->nlisteners; i++)
		if (m->listeners[i]->task_target_unhealthy != NULL &&
		    m->listeners[i]->task_target_unhealthy(m->listeners[i]->ctx, t))
			return true;
	return false;
}

bool
ecs_ask_explain_unhealthy(task *t)
{
	model *m = t->svc->m;
	for (int i = 0; i < m->nlisteners; i++)
		if (m->listeners[i]->explain_unhealthy != NULL &&
		    m->listeners[i]->explain_unhealthy(m->listeners[i]->ctx, t))
			return true;
	return false;
}

void
ecs_announce_instance_idle(model *m, instance *in)
{
	EACH(m, instance_idle, in);
}

void
ecs_announce_task_reachability_changed(task *t)
{
	EACH(t->svc->m, task_reachability_changed, t);
}

void
ecs_announce_instance_gone(model *m, instance *in)
{
	EACH(m, instance_gone, in);
}

void
ecs_announce_instance_impaired(model *m, instance *in)
{
	EACH(m, instance_impaired, in);
}

void
ecs_announce_zone_changed(model *m, const char *az, bool down)
{
	EACH(m, zone_changed, az, down);
}

void
ecs_announce_fault_window(model *m, service *s, rec_fact *f, bool open)
{
	EACH(m, fault_window, s, f, open);
}
