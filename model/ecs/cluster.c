/*
 * cluster — clusters and their container instances: the "clusters"
 * section, registered resources, reserved ports, draining and termination.
 *
 * [DOC] registered CPU = 1024 units per vCPU; registered memory is less
 * than nominal (model/ecs/catalog.h fits it) minus ECS_RESERVED_MEMORY; the
 * agent reserves host ports 22, 2375, 2376, 51678, 51679; only ACTIVE
 * instances accept placements; DRAINING ones get none and their service
 * tasks are replaced (container-instance-draining.html).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ecs/capacity_provider.h"
#include "model/ecs/catalog.h"
#include "model/ecs/ecs_cfg.h"
#include "model/ecs/fleet.h"
#include "model/ecs/listeners.h"
#include "model/ecs/placement.h"
#include "sim/xalloc.h"

static int
parse_statics(model_cfg *c, const jr_val *v, cluster_cfg *cc, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	cc->statics = ARENA_ARRAY(c->a, static_instances, (size_t)(n ? n : 1));
	cc->nstatics = n;
	int total = 0;
	for (int i = 0; i < n; i++) {
		jr_val e, x;
		jr_obj o;
		static_instances *si = &cc->statics[i];
		jr_elem(v, i, &e);
		si->pos = jr_where(&e);
		const cat_type *t;
		if ((rc = jr_object(&e, &o, err)) || (rc = jr_need(&o, "type", &x, err)) ||
		    (rc = cat_read(c->cat, &x, &t, err)) ||
		    (rc = jr_opt_int32(&o, "count", 1, 5000, 1, &si->count, err)))
			return rc;
		si->type = t->name;
		total += si->count;
		if (total > CFG_MAX_INSTANCES_PER_CLUSTER) {
			if (!jr_get(&o, "count", &x))
				x = e;
			return jr_fail(&x, err, "cluster \"%s\" would have %d container instances; the quota per cluster is %d",
			    cc->name, total, CFG_MAX_INSTANCES_PER_CLUSTER);
		}
		int na = 0;
		if (jr_get(&o, "availabilityZones", &x)) {
			if ((rc = jr_array(&x, &na, err)))
				return rc;
			if (na == 0)
				return jr_fail(&x, err, "availabilityZones must not be empty");
			si->azs = ARENA_ARRAY(c->a, const char *, (size_t)na);
			for (int k = 0; k < na; k++) {
				jr_val a;
				jr_elem(&x, k, &a);
				if ((rc = jr_str(&a, &si->azs[k], err)) ||
				    (rc = cfg_check_az(c, &a, si->azs[k], err)))
					return rc;
			}
		} else {
			/* [INF] instances spread over two zones of the region */
			na = 2;
			si->azs = ARENA_ARRAY(c->a, const char *, 2);
			si->azs[0] = arena_printf(c->a, "%sa", c->params.region);
			si->azs[1] = arena_printf(c->a, "%sb", c->params.region);
		}
		si->nazs = na;
		if ((rc = jr_done(&o, err)))
			return rc;
	}
	return 0;
}

/* A cluster's "capacityProviders": FARGATE / FARGATE_SPOT by name, or
 * create-capacity-provider inputs whose Auto Scaling group the scenario
 * defines (checked by whoever reads the groups: c->check_provider). */
static int
parse_providers(model_cfg *c, cluster_cfg *cc, const jr_val *v, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)))
		return rc;
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_elem(v, i, &e);
		cp_cfg *cp = ARENA_NEW(c->a, cp_cfg);
		cp->cluster = cc->name;
		if ((rc = jr_resolve(&e, &e, err)))
			return rc;
		if (e.node && cJSON_IsString(e.node)) {
			const char *name;
			if ((rc = jr_str(&e, &name, err)))
				return rc;
			if (strcmp(name, "FARGATE") != 0 && strcmp(name, "FARGATE_SPOT") != 0)
				return jr_fail(&e, err, "a capacity provider named here must be FARGATE or FARGATE_SPOT; give an Auto Scaling group provider as a create-capacity-provider object");
			cp->fargate = true;
			cp->p.name = name;
			cp->p.pos = jr_where(&e);
		} else {
			if ((rc = cp_parse_provider(&e, &cp->p, err)))
				return rc;
			if (c->check_provider == NULL)
				return jr_fail(&e, err, "Auto Scaling group \"%s\" is not defined in this cluster's autoScalingGroups",
				    cp->p.asg);
			if ((rc = c->check_provider(c, cc, cp, &e, err)))
				return rc;
		}
		if (cfg_find_provider(c, cc->name, cp->p.name))
			return jr_fail(&e, err, "capacity provider \"%s\" is listed twice", cp->p.name);
		if (c->ncps == c->capcps) {
			int ncap = c->capcps ? 2 * c->capcps : 8;
			cp_cfg **n2 = ARENA_ARRAY(c->a, cp_cfg *, (size_t)ncap);
			if (c->ncps)
				memcpy(n2, c->cps, (size_t)c->ncps * sizeof(*n2));
			c->cps = n2;
			c->capcps = ncap;
		}
		c->cps[c->ncps++] = cp;
	}
	return 0;
}

int
cfg_parse_clusters(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	c->clusters = ARENA_ARRAY(c->a, cluster_cfg *, (size_t)(n ? n : 1));
	c->nclusters = 0;
	for (int i = 0; i < n; i++) {
		jr_val e, x;
		jr_obj o;
		jr_elem(v, i, &e);
		cluster_cfg *cc = ARENA_NEW(c->a, cluster_cfg);
		cc->pos = jr_where(&e);
		if ((rc = jr_object(&e, &o, err)) ||
		    (rc = jr_opt_str(&o, "clusterName", "default", &cc->name, err)))
			return rc;
		if (jr_get(&o, "clusterName", &x) && (rc = cfg_check_name(&x, "cluster name", cc->name, err)))
			return rc;
		for (int k = 0; k < c->nclusters; k++)
			if (strcmp(c->clusters[k]->name, cc->name) == 0) {
				if (!jr_get(&o, "clusterName", &x))
					x = e;
				return jr_fail(&x, err, "cluster \"%s\" is defined twice", cc->name);
			}
		if (jr_get(&o, "instances", &x) && (rc = parse_statics(c, &x, cc, err)))
			return rc;
		/* members other parts of the model read (autoScalingGroups) */
		for (int k = 0; k < c->ncluster_members; k++)
			if (jr_get(&o, c->cluster_members[k].key, &x) &&
			    (rc = c->cluster_members[k].parse(c, cc, &x, err)))
				return rc;
		if (jr_get(&o, "capacityProviders", &x) &&
		    (rc = parse_providers(c, cc, &x, err)))
			return rc;
		if (jr_get(&o, "defaultCapacityProviderStrategy", &x) &&
		    ((rc = cp_parse_strategy(&x, &cc->default_cps, err)) ||
		    (rc = cfg_check_strategy(c, cc->name, &cc->default_cps, err))))
			return rc;
		static const char *const noeffect[] = {"tags", "settings", "configuration",
		    "serviceConnectDefaults"};
		for (int k = 0; k < 4; k++)
			if (jr_get(&o, noeffect[k], &x))
				cfg_note(c, &x);
		if ((rc = jr_done(&o, err)))
			return rc;
		c->clusters[c->nclusters++] = cc;
	}
	return 0;
}

/* [INF] ecs.capacityWakesAllServices (off): a scheduler pass follows a
 * change the service can see. Freed capacity changes nothing for a
 * service that placed every task it wanted; it matters to one that waits
 * for capacity (a failed placement it retries [DOC §1.7, §7.2], tasks in
 * PROVISIONING for a capacity provider), which reacts at once. Instances
 * joining or leaving also change a DAEMON service's desired count.
 * Services are kicked in service order, as the old rule did. */
void
cluster_kick(model *m, cluster *cl, bool instances_changed)
{
	if (m->p->capacity_wakes_all || instances_changed) {
		for (int i = 0; i < m->nservices; i++) {
			service *s = m->services[i];
			if (s->cl == cl && !s->deleted &&
			    (m->p->capacity_wakes_all || s->waits_capacity || s->cfg.daemon))
				svc_kick(s);
		}
		return;
	}
	for (int i = 0; i < cl->nwaiting; i++)
		svc_kick(cl->waiting[i]);
}

void
cluster_set_waiting(cluster *cl, service *s, bool waiting)
{
	if (waiting == s->waits_capacity)
		return;
	s->waits_capacity = waiting;
	int k = 0;
	while (k < cl->nwaiting && cl->waiting[k]->index < s->index)
		k++;
	if (waiting) {
		XGROW(cl->waiting, cl->capwaiting, (size_t)cl->nwaiting + 1);
		memmove(cl->waiting + k + 1, cl->waiting + k,
		    (size_t)(cl->nwaiting - k) * sizeof(*cl->waiting));
		cl->waiting[k] = s;
		cl->nwaiting++;
	} else {
		SIM_ASSERT(k < cl->nwaiting && cl->waiting[k] == s);
		memmove(cl->waiting + k, cl->waiting + k + 1,
		    (size_t)(cl->nwaiting - k - 1) * sizeof(*cl->waiting));
		cl->nwaiting--;
	}
}

cluster *
model_find_cluster(model *m, const char *name)
{
	for (int i = 0; i < m->nclusters; i++)
		if (strcmp(m->clusters[i]->name, name) == 0)
			return m->clusters[i];
	return NULL;
}

static plc_status
view_status(inst_status s)
{
	switch (s) {
	case INST_LAUNCHING: return PLC_REGISTERING;
	case INST_ACTIVE: return PLC_ACTIVE;
	case INST_DRAINING: return PLC_DRAINING;
	default: return PLC_INACTIVE;
	}
}

void
instance_sync_view(instance *in)
{
	plc_instance *v = &in->cl->views[in->index];
	v->status = view_status(in->status);
	v->cpu_free = in->cpu_free;
	v->mem_free = in->mem_free;
	v->t.running_tasks = in->ntasks;
	v->t.agent_connected = (in->status == INST_ACTIVE || in->status == INST_DRAINING) &&
	    !in->agent_disconnected;
	plc_index_update(in->cl->index, in->cl->views, in->index);
}

void
instance_agent_changed(model *m, instance *in)
{
	instance_sync_view(in);
	/* an agent back (or gone) changes what can be placed: the services
	 * waiting for capacity look again */
	cluster_kick(m, in->cl, false);
}

static void
note_az(model *m, cluster *cl, const char *az)
{
	for (int i = 0; i < cl->nazs; i++)
		if (strcmp(cl->azs[i], az) == 0)
			return;
	const char **n = arena_calloc(m->a, (size_t)cl->nazs + 1, sizeof(*n));
	if (cl->nazs)
		memcpy(n, cl->azs, (size_t)cl->nazs * sizeof(*n));
	n[cl->nazs++] = az;
	cl->azs = n;
}

instance *
cluster_add_instance(model *m, cluster *cl, const char *type, const char *az,
    inst_status status, struct asg *asg, int cp)
{
	const cat_type *t = cat_find(m->cfg->cat, type);
	SIM_ASSERT(t != NULL);
	instance *in = arena_calloc(m->a, 1, sizeof(*in));
	in->cl = cl;
	in->index = cl->ninstances;
	in->type_name = t->name;
	in->vcpu = t->vcpu;
	in->price_hour = t->price_per_hour;
	in->az = az;
	in->asg = asg;
	in->cp = cp;
	in->status = status;
	char hex[18];
	model_make_hex_id(m, "ec2", hex, 17);
	snprintf(in->ec2_id, sizeof(in->ec2_id), "i-%s", hex);
	model_make_hex_id(m, "container-instance", in->ci_id, 32);
	cat_mem_fit fit = cat_default_mem_fit();
	in->cpu_reg = in->cpu_free = cat_registered_cpu(t);
	in->mem_reg = in->mem_free = cat_registered_memory(t, m->p->reserved_memory_mib, &fit);
	in->ports = xmalloc(sizeof(*in->ports));
	plc_ports_clear(in->ports);
	plc_ports_reserve_defaults(in->ports);
	in->launched_at = eng_now(m->eng);
	if (status == INST_ACTIVE)
		in->registered_at = in->launched_at;
	if (cl->ninstances == cl->capinstances) {
		int ncap = cl->capinstances ? 2 * cl->capinstances : 8;
		cl->instances = xreallocarray(cl->instances, (size_t)ncap, sizeof(*cl->instances));
		cl->views = xreallocarray(cl->views, (size_t)ncap, sizeof(*cl->views));
		cl->capinstances = ncap;
	}
	cl->instances[cl->ninstances++] = in;
	plc_instance *v = &cl->views[in->index];
	memset(v, 0, sizeof(*v));
	v->t.ec2_instance_id = in->ec2_id;
	v->t.az = in->az;
	v->t.instance_type = in->type_name;
	v->t.os_type = "linux";
	v->t.cpu_arch = t->arch == CAT_ARM64 ? "arm64" : "x86_64";
	v->ci_id = in->ci_id;
	v->ports = in->ports;
	if (cl->intern == NULL) {
		cl->intern = xcalloc(1, sizeof(*cl->intern));
		plc_params par = {m->p->dyn_port_lo, m->p->dyn_port_hi};
		cl->index = plc_index_new(&par);
	}
	plc_intern(cl->intern, v);
	instance_sync_view(in);
	note_az(m, cl, az);
	int active = 0;
	for (int i = 0; i < cl->ninstances; i++)
		active += cl->instances[i]->status != INST_GONE;
	if (active > cl->max_instances)
		cl->max_instances = active;
	return in;
}

/* The host ports of a task, one per port mapping: static ones from the
 * definition, dynamic ones as assigned (0 in ports[] means dynamic here). */
static void
for_each_port(const task_def *td, const int *ports, struct plc_ports *set, bool add)
{
	if (td->net == NET_AWSVPC || td->net == NET_NONE)
		return; /* [DOC] awsvpc tasks have their own ENI: no host ports */
	int k = 0;
	for (int c = 0; c < td->ncontainers; c++)
		for (int p = 0; p < td->containers[c].nports; p++, k++) {
			int port = ports ? ports[k] : 0;
			if (port <= 0)
				continue;
			if (add)
				plc_ports_add(set, port);
			else
				plc_ports_del(set, port);
		}
}

void
instance_reserve(instance *in, const task_def *td, const int *ports)
{
	in->cpu_free -= td->place_cpu;
	in->mem_free -= td->place_mem;
	in->ntasks++;
	for_each_port(td, ports, in->ports, true);
	instance_sync_view(in);
}

void
instance_release(instance *in, const task_def *td, const int *ports)
{
	in->cpu_free += td->place_cpu;
	in->mem_free += td->place_mem;
	in->ntasks--;
	for_each_port(td, ports, in->ports, false);
	instance_sync_view(in);
}

void
instance_activate(model *m, instance *in)
{
	in->status = INST_ACTIVE;
	in->registered_at = eng_now(m->eng);
	instance_sync_view(in);
	cluster_kick(m, in->cl, true);
}

/* [DOC] container-instance-draining: PENDING tasks on a DRAINING instance
 * are stopped at once; RUNNING service tasks are replaced by the service
 * scheduler within minimumHealthyPercent / maximumPercent. */
void
instance_set_draining(model *m, instance *in)
{
	if (in->status != INST_ACTIVE)
		return;
	in->status = INST_DRAINING;
	instance_sync_view(in);
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		for (task *t = s->tasks; t; t = t->next) {
			if (t->inst != in || t->desired_stopped)
				continue;
			if (t->status < TS_RUNNING)
				task_stop(t, STOP_SERVICE_SCHEDULER_INITIATED,
				    "Container instance is draining");
			else
				t->on_draining = true;
		}
		svc_kick(s);
	}
}

void
instance_terminate_with(model *m, instance *in, stop_code code, const char *reason,
    const char *cause)
{
	if (in->status == INST_GONE)
		return;
	int tasks = in->ntasks;
	/* gone first: its tasks leaving do not make it an idle DRAINING
	 * instance for anyone to terminate again */
	in->status = INST_GONE;
	in->gone_at = eng_now(m->eng);
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		for (task *t = s->tasks; t;) {
			task *next = t->next; /* a stop may unlink t */
			if (t->inst == in) {
				if (!t->desired_stopped)
					task_stop(t, code, reason);
				else
					task_kill(t); /* draining or stopping: no time left */
			}
			t = next;
		}
	}
	rec_fact *f = rec_fact_new(m->rec, "instance_terminated");
	rec_fact_str(f, "instance", in->ec2_id);
	rec_fact_str(f, "cluster", in->cl->name);
	rec_fact_str(f, "type", in->type_name);
	rec_fact_str(f, "az", in->az);
	rec_fact_time(f, "launched", in->launched_at);
	rec_fact_time(f, "time", eng_now(m->eng));
	rec_fact_int(f, "tasks", tasks);
	rec_fact_str(f, "cause", cause);
	if (in->spot)
		rec_fact_bool(f, "spot", true);
	in->cl->cost += cat_ec2_cost_at(in->price_hour, in->gone_at - in->launched_at);
	if (in->spot)
		in->cl->spot_cost += cat_ec2_cost_at(in->price_hour, in->gone_at - in->launched_at);
	instance_sync_view(in);
	ecs_announce_instance_gone(m, in);
	cluster_kick(m, in->cl, true);
}

void
instance_terminate(model *m, instance *in, const char *cause)
{
	instance_terminate_with(m, in, STOP_TERMINATION_NOTICE, cause, cause);
}

void
cluster_free(cluster *cl)
{
	for (int i = 0; i < cl->ninstances; i++)
		free(cl->instances[i]->ports);
	free(cl->instances);
	free(cl->views);
	free(cl->waiting);
	if (cl->intern != NULL)
		plc_interner_free(cl->intern);
	free(cl->intern);
	plc_index_free(cl->index);
	free(cl->occ);
}
