/*
 * ecs_calls — ECS's timeline calls (ecs:RegisterTaskDefinition,
 * ecs:CreateService, ecs:UpdateService, ecs:DeleteService,
 * ecs:UpdateContainerInstancesState) and the simulation-only
 * sim:TerminateInstance, each validated at load time against the scenario
 * as it stands at that point of the timeline and applied to the model at
 * its time; and the describe-services view of the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/ecs/ecs_cfg.h"

/* ---- ecs:RegisterTaskDefinition ---- */

static int
parse_register(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	task_def *td;
	int rc = td_parse(c, in, &td, err);
	if (rc == 0)
		rc = cfg_check_revision(c, td, err);
	if (rc == 0) {
		cfg_add_td(c, td);
		*typed = td;
	}
	return rc;
}

static int
apply_register(model *m, void *typed, sim_error *err)
{
	(void)err;
	const task_def *td = typed;
	char src[300]; /* "taskDefinition/" + a family of at most 255 */
	snprintf(src, sizeof(src), "taskDefinition/%s", td->family);
	rec_event_add(m->rec, eng_now(m->eng), src, "sim",
	    "registered task definition %s:%d", td->family, td->revision);
	return 0;
}

/* ---- ecs:CreateService / ecs:UpdateService / ecs:DeleteService ---- */

/* A create-service or update-service input; from its time on, the
 * scenario knows the service by this configuration. */
static int
parse_service_call(model_cfg *c, sim_time at, const jr_val *in, bool update,
    void **typed, sim_error *err)
{
	svc_cfg *s;
	int rc = svc_cfg_parse(c, in, update, at, &s, err);
	if (rc == 0) {
		cfg_set_known(c, s);
		*typed = s;
	}
	return rc;
}

static int
parse_create(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	return parse_service_call(ctx, at, in, false, typed, err);
}

static int
apply_create(model *m, void *typed, sim_error *err)
{
	(void)err;
	svc_create(m, typed);
	return 0;
}

static int
parse_update(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	return parse_service_call(ctx, at, in, true, typed, err);
}

static service *
find_live(model *m, const char *cname, const char *name)
{
	service *s = model_find_service(m, cname, name);
	return s && !s->deleted ? s : NULL;
}

static int
apply_update(model *m, void *typed, sim_error *err)
{
	const svc_cfg *u = typed;
	service *s = find_live(m, u->cluster, u->name);
	if (s == NULL)
		return sim_error_set(err, SIM_ERUNTIME, u->pos.file, u->pos.line, u->pos.col,
		    u->pos.path, "service \"%s\" does not exist", u->name);
	return svc_update(s, u);
}

typedef struct delete_call {
	const char *cluster, *name;
	jr_pos pos;
} delete_call;

static int
parse_delete(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc;
	bool force = false;
	delete_call *d = ARENA_NEW(c->a, delete_call);
	d->pos = jr_where(in);
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "service", &d->name, err)) ||
	    (rc = jr_opt_str(&o, "cluster", "default", &d->cluster, err)) ||
	    (rc = jr_opt_bool(&o, "force", false, &force, err)))
		return rc;
	known_service *k = cfg_known_service(c, d->cluster, d->name);
	jr_get(&o, "service", &x);
	if (k == NULL || k->deleted)
		return jr_fail(&x, err, "service \"%s\" does not exist in cluster \"%s\" at this point of the scenario",
		    d->name, d->cluster);
	/* [DOC] DeleteService: a REPLICA service must be scaled to 0 first
	 * unless force is true. */
	if (!force && !k->cfg->daemon && k->cfg->desired > 0)
		return jr_fail(&x, err, "service \"%s\" has desiredCount %d: scale it to 0 first or set \"force\": true",
		    d->name, k->cfg->desired);
	k->deleted = true;
	cfg_cluster_services(c, d->cluster, -1);
	if ((rc = jr_done(&o, err)))
		return rc;
	*typed = d;
	return 0;
}

static int
apply_delete(model *m, void *typed, sim_error *err)
{
	(void)err;
	delete_call *d = typed;
	service *s = find_live(m, d->cluster, d->name);
	if (s != NULL)
		svc_delete(s);
	return 0;
}

/* ---- instances: ecs:UpdateContainerInstancesState, sim:TerminateInstance ---- */

typedef struct inst_call {
	const char *cluster;
	int *indexes;
	int n;
	bool draining;
	jr_pos pos;
} inst_call;

/* An instance reference: "index:N", the N-th instance of the cluster as
 * created (static instances in the order of the clusters section). IDs
 * are generated from the seed, so scenarios name instances by index. */
/* Does an extension (Auto Scaling groups) add instances to the cluster
 * at run time? */
static bool
cluster_elastic(const model_cfg *c, const char *cname)
{
	for (int k = 0; k < c->nclusters; k++)
		if (strcmp(c->clusters[k]->name, cname) == 0)
			return c->clusters[k]->elastic;
	return false;
}

int
cfg_parse_instance_ref(model_cfg *c, const char *cname, const jr_val *v, int *out,
    sim_error *err)
{
	const char *s;
	int rc;
	if ((rc = jr_str(v, &s, err)))
		return rc;
	char *end;
	long i = strncmp(s, "index:", 6) == 0 ? strtol(s + 6, &end, 10) : -1;
	if (i < 0 || *end != '\0')
		return jr_fail(v, err, "expected an instance reference \"index:N\" (N from 0, in the order the cluster's instances are created), got \"%s\"", s);
	int count = 0;
	for (int k = 0; k < c->nclusters; k++)
		if (strcmp(c->clusters[k]->name, cname) == 0)
			for (int j = 0; j < c->clusters[k]->nstatics; j++)
				count += c->clusters[k]->statics[j].count;
	if (i >= count && !cluster_elastic(c, cname))
		return jr_fail(v, err, "cluster \"%s\" has %d static instances; \"%s\" is out of range", cname, count, s);
	*out = (int)i;
	return 0;
}

bool
cfg_cluster_known(const model_cfg *c, const char *name)
{
	for (int k = 0; k < c->nclusters; k++)
		if (strcmp(c->clusters[k]->name, name) == 0)
			return true;
	return false;
}

static int
parse_instances_state(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc, n, st;
	inst_call *ic = ARENA_NEW(c->a, inst_call);
	ic->pos = jr_where(in);
	static const char *const states[] = {"ACTIVE", "DRAINING"};
	if ((rc = jr_object(in, &o, err)) ||
	    (rc = jr_opt_str(&o, "cluster", "default", &ic->cluster, err)) ||
	    (rc = jr_req_enum(&o, "status", states, 2, &st, err)) ||
	    (rc = jr_need(&o, "containerInstances", &x, err)) || (rc = jr_array(&x, &n, err)))
		return rc;
	if (!cfg_cluster_known(c, ic->cluster))
		return jr_fail(in, err, "cluster \"%s\" is not defined", ic->cluster);
	ic->draining = st == 1;
	ic->indexes = ARENA_ARRAY(c->a, int, (size_t)(n ? n : 1));
	ic->n = n;
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_elem(&x, i, &e);
		if ((rc = cfg_parse_instance_ref(c, ic->cluster, &e, &ic->indexes[i], err)))
			return rc;
	}
	if ((rc = jr_done(&o, err)))
		return rc;
	*typed = ic;
	return 0;
}

static instance *
inst_at(model *m, const char *cname, int i)
{
	cluster *cl = model_find_cluster(m, cname);
	return cl && i < cl->ninstances ? cl->instances[i] : NULL;
}

static int
apply_instances_state(model *m, void *typed, sim_error *err)
{
	(void)err;
	inst_call *ic = typed;
	for (int i = 0; i < ic->n; i++) {
		instance *in = inst_at(m, ic->cluster, ic->indexes[i]);
		if (in == NULL || in->status == INST_GONE)
			continue;
		if (ic->draining)
			instance_set_draining(m, in);
		else if (in->status == INST_DRAINING)
			instance_activate(m, in);
	}
	return 0;
}

static int
parse_terminate(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc;
	inst_call *ic = ARENA_NEW(c->a, inst_call);
	ic->pos = jr_where(in);
	ic->indexes = ARENA_NEW(c->a, int);
	ic->n = 1;
	if ((rc = jr_object(in, &o, err)) ||
	    (rc = jr_opt_str(&o, "cluster", "default", &ic->cluster, err)) ||
	    (rc = jr_need(&o, "instance", &x, err)))
		return rc;
	if (!cfg_cluster_known(c, ic->cluster))
		return jr_fail(in, err, "cluster \"%s\" is not defined", ic->cluster);
	if ((rc = cfg_parse_instance_ref(c, ic->cluster, &x, &ic->indexes[0], err)) || (rc = jr_done(&o, err)))
		return rc;
	*typed = ic;
	return 0;
}

static int
apply_terminate(model *m, void *typed, sim_error *err)
{
	(void)err;
	inst_call *ic = typed;
	instance *in = inst_at(m, ic->cluster, ic->indexes[0]);
	if (in == NULL || in->status == INST_GONE)
		return 0;
	rec_event_add(m->rec, eng_now(m->eng), "sim", "sim",
	    "instance %s (%s, %s) terminated", in->ec2_id, in->type_name, in->az);
	instance_terminate(m, in, "Instance terminated (simulated)");
	return 0;
}

void
ecs_register_calls(model_cfg *c, scn_spec *sp)
{
	cfg_add_call(c, sp, "ecs:RegisterTaskDefinition", parse_register, apply_register);
	cfg_add_call(c, sp, "ecs:CreateService", parse_create, apply_create);
	cfg_add_call(c, sp, "ecs:UpdateService", parse_update, apply_update);
	cfg_add_call(c, sp, "ecs:DeleteService", parse_delete, apply_delete);
	cfg_add_call(c, sp, "ecs:UpdateContainerInstancesState", parse_instances_state,
	    apply_instances_state);
	cfg_add_call(c, sp, "sim:TerminateInstance", parse_terminate, apply_terminate);
}

/* ---- describe ---- */

static const char *
rollout_name(rollout_state r)
{
	static const char *const n[] = {"IN_PROGRESS", "COMPLETED", "FAILED"};
	return n[r];
}

int
ecs_describe(model *m, const char *what, char **out, sim_error *err)
{
	if (strcmp(what, "services") != 0)
		return sim_error_set(err, SIM_EUSAGE, NULL, 0, 0, NULL,
		    "cannot describe \"%s\" (known: services)", what);
	cJSON *root = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(root, "services");
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "serviceArn", s->arn);
		cJSON_AddStringToObject(o, "serviceName", s->name);
		cJSON_AddStringToObject(o, "clusterArn", s->cl->arn);
		cJSON_AddStringToObject(o, "status", s->deleted ? "INACTIVE" : "ACTIVE");
		cJSON_AddNumberToObject(o, "desiredCount", s->desired);
		int running = 0, pending = 0;
		for (task *t = s->tasks; t; t = t->next)
			if (!t->desired_stopped) {
				running += t->status == TS_RUNNING;
				pending += t->status < TS_RUNNING;
			}
		cJSON_AddNumberToObject(o, "runningCount", running);
		cJSON_AddNumberToObject(o, "pendingCount", pending);
		cJSON *deps = cJSON_AddArrayToObject(o, "deployments");
		for (deployment *d = s->deps; d; d = d->next) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "id", d->id);
			cJSON_AddStringToObject(x, "status", d->status == DEP_PRIMARY ? "PRIMARY" : "ACTIVE");
			cJSON_AddStringToObject(x, "taskDefinition", d->td->arn);
			cJSON_AddNumberToObject(x, "desiredCount", d->status == DEP_PRIMARY ? s->desired : 0);
			cJSON_AddNumberToObject(x, "runningCount", d->nrunning);
			cJSON_AddNumberToObject(x, "failedTasks", d->failed_tasks);
			cJSON_AddStringToObject(x, "rolloutState", rollout_name(d->rollout));
			cJSON_AddStringToObject(x, "rolloutStateReason", d->reason);
			cJSON_AddItemToArray(deps, x);
		}
		cJSON_AddItemToArray(arr, o);
	}
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	*out = text;
	return 0;
}
