/*
 * fleet — task placement on EC2 instances and Fargate (see fleet.h).
 */
#include <stdio.h>
#include <string.h>

#include "model/ecs/catalog.h"
#include "model/ecs/ecs_cfg.h"
#include "model/ecs/faults.h"
#include "model/ecs/fleet.h"
#include "model/ecs/placement.h"
#include "sim/xalloc.h"

bool
fleet_is_fargate(const service *s)
{
	return s->cfg.launch == LAUNCH_FARGATE;
}

/* [DOC] Fargate spreads tasks across Availability Zones itself: the zone
 * with the fewest tasks of the service, first in order on ties [INF]. */
static const char *
fargate_az(model *m, service *s)
{
	cluster *cl = s->cl;
	static const char *const suffix[] = {"a", "b", "c"};
	if (cl->nazs == 0) {
		/* [INF] no instances to learn zones from: three zones */
		cl->azs = arena_calloc(m->a, 3, sizeof(*cl->azs));
		for (int i = 0; i < 3; i++)
			cl->azs[i] = arena_printf(m->a, "%s%s", m->p->region, suffix[i]);
		cl->nazs = 3;
	}
	const char *best = NULL;
	int bestn = 0;
	for (int i = 0; i < cl->nazs; i++) {
		if (faults_zone_down(m, cl->azs[i]))
			continue; /* [INF] no capacity in a zone that is out */
		int n = 0;
		for (task *t = s->tasks; t; t = t->next)
			n += !t->desired_stopped && t->az == cl->azs[i];
		if (best == NULL || n < bestn) {
			best = cl->azs[i];
			bestn = n;
		}
	}
	return best;
}

static int place_scan(model *m, service *s, cluster *cl, const plc_policy *pol,
    const plc_task *pt, int cp, const plc_params *par, int *dyn, plc_result *res);

bool
fleet_place_task(model *m, service *s, const task_def *td, int cp,
    instance **inst, const char **az, int *ports, char *why, size_t whysize)
{
	int nmap = 0;
	for (int c = 0; c < td->ncontainers; c++)
		nmap += td->containers[c].nports;
	memset(ports, 0, (size_t)(nmap ? nmap : 1) * sizeof(int));
	if (fleet_is_fargate(s) || fleet_provider_is_fargate(m, cp)) {
		*inst = NULL;
		*az = fargate_az(m, s);
		if (*az == NULL) {
			/* every zone is out [OBS text, reference §6.8] */
			snprintf(why, whysize, "(service %s) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.",
			    s->name);
			return false;
		}
		return true;
	}
	cluster *cl = s->cl;
	int statics[64], nstatic = 0;
	bool host_ports = td->net == NET_BRIDGE || td->net == NET_HOST;
	if (host_ports)
		for (int c = 0; c < td->ncontainers; c++)
			for (int p = 0; p < td->containers[c].nports; p++) {
				const port_mapping *pm = &td->containers[c].ports[p];
				int hp = td->net == NET_HOST ? pm->container_port : pm->host_port;
				if (hp > 0 && nstatic < 64)
					statics[nstatic++] = hp;
			}
	plc_task pt = {
		.cpu = td->place_cpu,
		.memory = td->place_mem,
		.static_ports = statics,
		.nstatic = nstatic,
		.ndynamic = host_ports ? td->ndynamic_ports : 0,
	};
	plc_policy daemon_policy;
	const plc_policy *pol = s->cfg.placement;
	if (s->cfg.daemon) {
		/* [DOC] one daemon task per instance */
		memset(&daemon_policy, 0, sizeof(daemon_policy));
		if (pol)
			daemon_policy = *pol;
		if (daemon_policy.nconstraints < PLC_MAX_CONSTRAINTS)
			daemon_policy.constraints[daemon_policy.nconstraints++].type = PLC_DISTINCT_INSTANCE;
		pol = &daemon_policy;
	}
	plc_policy none;
	if (pol == NULL) {
		memset(&none, 0, sizeof(none));
		pol = &none;
	}
	int dyn[64];
	plc_result res;
	/* the cluster's index follows the same dynamic port range */
	plc_params par = {m->p->dyn_port_lo, m->p->dyn_port_hi};
	int idx = -2;
	if (cp < 0) {
		/* the cluster's index answers the default strategy without a
		 * pass over every instance: it needs the instances holding tasks
		 * of this service (a superset will do) */
		XGROW(cl->occ, cl->capocc, (size_t)s->ntasks + 1);
		int nocc = 0;
		for (task *t = s->tasks; t && nocc < s->ntasks; t = t->next)
			if (t->inst != NULL)
				cl->occ[nocc++] = t->inst_idx;
		idx = plc_place_indexed(cl->index, pol, &pt, cl->views, cl->ninstances,
		    s->per_instance, cl->occ, nocc, s->rplace, dyn, &res);
	}
	if (idx == -2)
		idx = place_scan(m, s, cl, pol, &pt, cp, &par, dyn, &res);
	if (idx < 0) {
		plc_event_text(&res, s->name, why, whysize);
		return false;
	}
	*inst = cl->instances[idx];
	*az = (*inst)->az;
	/* host ports per port mapping, in definition order */
	int k = 0, d = 0;
	if (host_ports)
		for (int c = 0; c < td->ncontainers; c++)
			for (int p = 0; p < td->containers[c].nports; p++, k++) {
				const port_mapping *pm = &td->containers[c].ports[p];
				int hp = td->net == NET_HOST ? pm->container_port : pm->host_port;
				ports[k] = hp > 0 ? hp : dyn[d++];
			}
	return true;
}

/* plc_place over every view of the cluster. */
static int
place_scan(model *m, service *s, cluster *cl, const plc_policy *pol,
    const plc_task *pt, int cp, const plc_params *par, int *dyn, plc_result *res)
{
	/* a capacity provider places only on its group's instances: hide the
	 * others for this choice */
	for (int i = 0; i < cl->ninstances; i++) {
		cl->views[i].svc_tasks = s->per_instance[i];
		if (!fleet_instance_in(m, cp, cl->instances[i]))
			cl->views[i].status = PLC_INACTIVE;
	}
	int idx = plc_place(pol, pt, cl->views, cl->ninstances, par, s->rplace, dyn, res);
	if (cp >= 0)
		for (int i = 0; i < cl->ninstances; i++)
			instance_sync_view(cl->instances[i]);
	return idx;
}

int
fleet_provider_for(model *m, service *s)
{
	const model_cfg *c = m->cfg;
	const cp_strategy *st = &s->cfg.cps;
	if (st->n == 0 && !s->cfg.launch_set)
		st = &s->cl->cfg->default_cps;
	if (st->n == 0)
		return -1;
	int counts[32] = {0};
	for (task *t = s->tasks; t; t = t->next) {
		if (t->desired_stopped || t->cp < 0)
			continue;
		for (int i = 0; i < st->n && i < 32; i++)
			if (strcmp(c->cps[t->cp]->p.name, st->items[i].provider) == 0)
				counts[i]++;
	}
	int idx = cp_strategy_next(st, counts);
	for (int i = 0; i < c->ncps; i++)
		if (strcmp(c->cps[i]->p.name, st->items[idx].provider) == 0 &&
		    strcmp(c->cps[i]->cluster, s->cl->name) == 0)
			return i;
	return -1;
}

bool
fleet_provider_is_fargate(const model *m, int cp)
{
	return cp >= 0 && m->cfg->cps[cp]->fargate;
}

bool
fleet_instance_in(const model *m, int cp, const instance *in)
{
	(void)m;
	return cp < 0 || in->cp == cp;
}

/* A task runs on Fargate by launch type or by capacity provider. */
static bool
task_on_fargate(model *m, const task *t)
{
	return fleet_is_fargate(t->svc) || fleet_provider_is_fargate(m, t->cp);
}

static bool
task_on_fargate_spot(const model *m, const task *t)
{
	return t->cp >= 0 && m->cfg->cps[t->cp]->fargate &&
	    strcmp(m->cfg->cps[t->cp]->p.name, "FARGATE_SPOT") == 0;
}

/* [DOC] Fargate bills configured vCPU and memory from the start of the
 * image pull until the task stops, per second, one-minute minimum; ARM
 * (runtimePlatform ARM64) at the Graviton rates; FARGATE_SPOT tasks at
 * the Fargate Spot rates. */
static double
task_fargate_cost(const model *m, const task *t, sim_time until)
{
	if (t->pull_started_at == 0 && t->status < TS_PENDING)
		return 0;
	const task_def *td = t->td;
	if (task_on_fargate_spot(m, t)) {
		const faults_params *p = faults_params_of(m);
		cat_fargate_rate r = {p->fargate_spot_vcpu_hour, p->fargate_spot_gb_hour};
		return cat_fargate_spot_cost(r, td->cpu, td->memory, until - t->pull_started_at);
	}
	return cat_fargate_cost(td->arm ? CAT_ARM64 : CAT_X86_64, td->cpu, td->memory,
	    until - t->pull_started_at);
}

/* [INF] A task's share of its instance's price: its reserved CPU over the
 * instance's registered CPU, for the time it held the reservation. The
 * unreserved rest of an instance's cost is the cluster's, not a
 * service's. */
static double
task_ec2_cost(model *m, const task *t, sim_time until)
{
	const instance *in = t->inst;
	if (in == NULL || in->cpu_reg <= 0)
		return 0;
	(void)m;
	double hours = simtime_to_seconds(until - t->placed_at) / 3600.0;
	return hours * in->price_hour * t->td->place_cpu / in->cpu_reg;
}

void
fleet_task_released(model *m, task *t)
{
	t->svc->cost += task_ec2_cost(m, t, eng_now(m->eng));
}

void
fleet_task_stopped(model *m, task *t)
{
	if (!task_on_fargate(m, t) || t->status < TS_PENDING)
		return;
	double c = task_fargate_cost(m, t, eng_now(m->eng));
	t->svc->cl->fargate_cost += c;
	if (task_on_fargate_spot(m, t))
		t->svc->cl->fargate_spot_cost += c;
	t->svc->cost += c;
}

double
fleet_service_cost(model *m, service *s)
{
	double c = s->cost;
	sim_time now = eng_now(m->eng);
	for (task *t = s->tasks; t; t = t->next) {
		if (t->inst != NULL)
			c += task_ec2_cost(m, t, now);
		else if (t->status >= TS_PENDING && task_on_fargate(m, t))
			c += task_fargate_cost(m, t, now);
	}
	return c;
}

double
fleet_fargate_cost(model *m, cluster *cl)
{
	double c = cl->fargate_cost;
	sim_time now = eng_now(m->eng);
	/* a task runs on Fargate by its service's launch type or a Fargate
	 * capacity provider: without either, a service has none to look at */
	bool fargate_cps = false;
	for (int i = 0; i < m->cfg->ncps && !fargate_cps; i++)
		fargate_cps = m->cfg->cps[i]->fargate;
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		if (s->cl != cl || (!fargate_cps && !fleet_is_fargate(s)))
			continue;
		for (task *t = s->tasks; t; t = t->next)
			if (t->status >= TS_PENDING && task_on_fargate(m, t))
				c += task_fargate_cost(m, t, now);
	}
	return c;
}

double
fleet_fargate_spot_cost(model *m, cluster *cl)
{
	double c = cl->fargate_spot_cost;
	sim_time now = eng_now(m->eng);
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		if (s->cl != cl)
			continue;
		for (task *t = s->tasks; t; t = t->next)
			if (t->status >= TS_PENDING && task_on_fargate_spot(m, t))
				c += task_fargate_cost(m, t, now);
	}
	return c;
}
