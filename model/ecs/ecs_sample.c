/*
 * ecs_sample — what ECS writes to the recorder at each sample: per
 * service its desired, pending, running and healthy tasks, the lower
 * bound a deployment keeps, whether it deploys, and tasks per revision;
 * per cluster its instances, reservations and cost so far.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/ecs/catalog.h"
#include "model/ecs/deploy.h"
#include "model/ecs/ecs.h"
#include "model/ecs/ecs_cfg.h"
#include "model/ecs/fleet.h"
#include "sim/xalloc.h"

int
ecs_reg_series(recorder *r, const char *scope, const char *name, const char *field,
    const char *unit)
{
	char *buf = xasprintf("%s/%s/%s", scope, name, field);
	int id = rec_series(r, buf, unit);
	free(buf);
	return id;
}

/* The service's fixed series, consecutive from series_base (the order of
 * sample_service). */
void
svc_register_series(service *s)
{
	recorder *r = s->m->rec;
	s->series_base = ecs_reg_series(r, "service", s->name, "desired", "tasks");
	ecs_reg_series(r, "service", s->name, "pending", "tasks");
	ecs_reg_series(r, "service", s->name, "running", "tasks");
	ecs_reg_series(r, "service", s->name, "healthy", "tasks");
	ecs_reg_series(r, "service", s->name, "minHealthy", "tasks");
	ecs_reg_series(r, "service", s->name, "deploying", "0/1");
}

void
ecs_sample_service(service *s)
{
	recorder *r = s->m->rec;
	int pending = 0, running = 0, healthy = 0;
	/* tasks per revision of the first few deployments, in the same walk */
	enum { NDEP = 8 };
	deployment *p = s->deps;
	const task_def *tds[NDEP];
	int per_td[NDEP] = {0}, ntd = 0;
	for (deployment *x = p; x && ntd < NDEP; x = x->next)
		tds[ntd++] = x->td;
	for (task *t = s->tasks; t; t = t->next) {
		for (int k = 0; k < ntd; k++)
			per_td[k] += t->td == tds[k];
		if (t->desired_stopped)
			continue;
		pending += t->status < TS_RUNNING;
		running += t->status == TS_RUNNING;
		healthy += task_healthy(t);
	}
	int b = s->series_base;
	int d = s->cfg.daemon ? running : s->desired;
	rec_put(r, b + 0, d);
	rec_put(r, b + 1, pending);
	rec_put(r, b + 2, running);
	rec_put(r, b + 3, healthy);
	/* the lower bound a deployment in progress keeps: the smaller of the
	 * bound at its start and the bound at today's desired count. A
	 * scale-in lowers it (the scheduler may then stop more), a
	 * scale-out does not raise it (new tasks cannot be healthy at once,
	 * so that gap is no breach). None outside updates: the service's
	 * creation has nothing to keep. */
	bool bounded = p && p->rollout == ROLLOUT_IN_PROGRESS && !p->is_first && p->want < 0;
	double min_now = bounded ?
	    (double)svc_min_healthy(s->desired, p->dc.minimum_healthy_percent) : (double)NAN;
	double min_start = bounded ?
	    (double)rec_fact_get_int(p->fact, "minimumHealthy", 0) : (double)NAN;
	rec_put(r, b + 4, min_now < min_start ? min_now : min_start);
	rec_put(r, b + 5, svc_deployment_in_progress(s));
	/* tasks per revision: one series per revision seen */
	int k = 0;
	for (deployment *x = p; x; x = x->next, k++) {
		int n = 0;
		if (k < ntd)
			n = per_td[k];
		else
			for (task *t = s->tasks; t; t = t->next)
				n += t->td == x->td;
		if (x->series_rev < 0) {
			/* names are up to 255 characters each: no fixed buffer */
			char *name = xasprintf("service/%s/rev/%s:%d", s->name, x->td->family, x->td->revision);
			x->series_rev = rec_series(r, name, "tasks");
			free(name);
		}
		rec_put(r, x->series_rev, n);
	}
	dpl_sample(s); /* traffic weights of the deployments */
	int64_t maxr = rec_fact_get_int(s->fact, "maxRunning", 0);
	if (running > maxr)
		rec_fact_int(s->fact, "maxRunning", running);
}

double
ecs_cluster_cost(model *m, cluster *cl)
{
	double cost = cl->cost;
	sim_time now = eng_now(m->eng);
	for (int i = 0; i < cl->ninstances; i++) {
		instance *in = cl->instances[i];
		if (in->status != INST_GONE)
			cost += cat_ec2_cost_at(in->price_hour, now - in->launched_at);
	}
	return cost;
}

double
ecs_cluster_spot_cost(model *m, cluster *cl)
{
	double cost = cl->spot_cost;
	sim_time now = eng_now(m->eng);
	for (int i = 0; i < cl->ninstances; i++) {
		instance *in = cl->instances[i];
		if (in->status != INST_GONE && in->spot)
			cost += cat_ec2_cost_at(in->price_hour, now - in->launched_at);
	}
	return cost;
}

void
ecs_sample_cluster(model *m, cluster *cl)
{
	recorder *r = m->rec;
	int n = 0;
	double cpu_reg = 0, cpu_used = 0, mem_reg = 0, mem_used = 0;
	for (int i = 0; i < cl->ninstances; i++) {
		instance *in = cl->instances[i];
		if (in->status != INST_ACTIVE && in->status != INST_DRAINING)
			continue;
		n++;
		cpu_reg += in->cpu_reg;
		cpu_used += in->cpu_reg - in->cpu_free;
		mem_reg += in->mem_reg;
		mem_used += in->mem_reg - in->mem_free;
	}
	int b = cl->series_base;
	rec_put(r, b + 0, n);
	/* [DOC] CPUReservation / MemoryReservation: reserved by tasks over
	 * registered by ACTIVE and DRAINING instances */
	rec_put(r, b + 1, cpu_reg > 0 ? 100.0 * cpu_used / cpu_reg : (double)NAN);
	rec_put(r, b + 2, mem_reg > 0 ? 100.0 * mem_used / mem_reg : (double)NAN);
	rec_put(r, b + 3, ecs_cluster_cost(m, cl) + fleet_fargate_cost(m, cl));
}

