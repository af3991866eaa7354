/*
 * task_sets — task sets, the sets-mode pass and the EXTERNAL controller's
 * calls (see task_sets.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/ecs/deploy.h"
#include "model/ecs/deploy_cfg.h"
#include "model/ecs/task_sets.h"

struct task_set {
	deployment *d;
	const char *external_id;  /* NULL when none */
	double scale;             /* percent of desiredCount */
	int computed;             /* computedDesiredCount */
	bool primary;
	bool draining;            /* deleted */
	bool stable;
	bool closed;              /* its deployment record is final */
};

/* ---------------------------------------------------------------- */
/* The sets-mode pass.                                               */

/* A task its deployment means to keep (not stopping, not an unhealthy one
 * whose replacement runs, not on a DRAINING instance). */
static bool
keeps(const task *t)
{
	return !t->desired_stopped && !t->stop_selected && !t->replacing && !t->on_draining;
}

static int
kept(const service *s, const deployment *d)
{
	int n = 0;
	for (const task *t = s->tasks; t; t = t->next)
		n += t->dep == d && keeps(t);
	return n;
}

/* Which of d's tasks goes first in a scale-in: not healthy first, then on
 * the instance with the most tasks of the service, then the newest [INF,
 * as the rolling scheduler]. */
static task *
pick_surplus(service *s, const deployment *d)
{
	task *best = NULL;
	int bs[2] = {0, 0};
	for (task *t = s->tasks; t; t = t->next) {
		if (t->dep != d || !keeps(t))
			continue;
		int sc[2] = {!task_is_healthy(t), t->inst ? s->per_instance[t->inst->index] : 0};
		bool better = best == NULL || sc[0] > bs[0] ||
		    (sc[0] == bs[0] && (sc[1] > bs[1] || (sc[1] == bs[1] && t->serial > best->serial)));
		if (better) {
			best = t;
			bs[0] = sc[0];
			bs[1] = sc[1];
		}
	}
	return best;
}

void
ts_pass(service *s, id_list *started, id_list *stopped)
{
	char why[512] = "";
	bool failed = false, throttled = false, checked = false;
	deployment *failed_d = NULL;
	/* 1. Surplus, and tasks on DRAINING instances once their deployment
	 *    is whole without them [DOC container-instance-draining]. */
	for (deployment *d = s->deps; d; d = d->next) {
		if (d->want < 0)
			continue;
		int n = kept(s, d);
		for (; n > d->want; n--) {
			task *t = pick_surplus(s, d);
			if (t == NULL)
				break;
			svc_stop_chosen(s, t, stopped, dpl_scale_in_reason(s, d));
		}
		int healthy = 0;
		for (task *t = s->tasks; t; t = t->next)
			healthy += t->dep == d && keeps(t) && task_is_healthy(t);
		if (healthy >= d->want)
			for (task *t = s->tasks; t; t = t->next)
				if (t->dep == d && t->on_draining && !t->desired_stopped && !t->stop_selected)
					svc_stop_chosen(s, t, stopped, dpl_scale_in_reason(s, d));
	}
	/* 2. Unhealthy tasks [DOC since Oct 2023]: a replacement of the same
	 *    deployment first; if none can be placed, the unhealthy task goes. */
	for (task *t = s->tasks; t; t = t->next) {
		if (!t->unhealthy || t->desired_stopped || t->stop_selected || t->replacing)
			continue;
		task *r = NULL;
		if (t->dep->rollout != ROLLOUT_FAILED && t->dep->want > 0) {
			bool pf = false;
			char w[512];
			r = svc_launch(s, t->dep, &pf, w, sizeof(w));
		}
		if (r != NULL) {
			r->replaces = t;
			t->replacing = true;
			svc_ids_add(started, r);
		} else {
			svc_stop_chosen(s, t, stopped, t->stopped_reason);
		}
	}
	svc_stops_flush(s, stopped);
	/* 3. Launches up to each deployment's count; [DOC] a FAILED
	 *    deployment launches no new tasks. */
	for (deployment *d = s->deps; d && !failed && !throttled; d = d->next) {
		if (d->want < 0 || d->rollout == ROLLOUT_FAILED)
			continue;
		for (int n = kept(s, d); n < d->want; n++) {
			if (!checked) {
				checked = true;
				if ((throttled = svc_throttled(s)))
					break;
			}
			task *t = svc_launch(s, d, &failed, why, sizeof(why));
			if (t == NULL) {
				failed_d = d;
				break;
			}
			svc_ids_add(started, t);
		}
	}
	if (s->deps != NULL && !throttled)
		svc_placement_outcome(s, failed_d ? failed_d : s->deps, failed, !failed, why);
}

/* ---------------------------------------------------------------- */
/* Task sets.                                                        */

int
ts_computed(const service *s, double scale)
{
	/* [DOC] computedDesiredCount rounds up (desired 1 at 50 % -> 1) */
	return (int)ceil((double)s->desired * scale / 100.0 - 1e-9);
}

static void
set_computed(deployment *d, int n)
{
	struct task_set *ts = d->set;
	service *s = d->svc;
	if (ts->computed != n) {
		ts->computed = n;
		sev_emit(s, "(service %s) updated computedDesiredCount for taskSet %s to %d.", s->name, d->id, n);
		rec_fact_int(d->fact, "computedDesiredCount", n);
	}
	d->want = n;
	svc_kick(s);
}

static struct task_set *
attach(deployment *d, double scale, const char *external_id)
{
	model *m = d->svc->m;
	struct task_set *ts = arena_calloc(m->a, 1, sizeof(*ts));
	ts->d = d;
	ts->scale = scale;
	ts->external_id = external_id;
	d->set = ts;
	rec_fact_str(d->fact, "taskSet", d->id);
	rec_fact_str(d->fact, "externalId", external_id ? external_id : "");
	rec_fact_num(d->fact, "scale", scale);
	rec_fact_str(d->fact, "taskSetStatus", "ACTIVE");
	rec_fact_int(d->fact, "computedDesiredCount", 0);
	return ts;
}

void
ts_adopt(deployment *d, double scale)
{
	struct task_set *ts = attach(d, scale, NULL);
	ts->primary = true;
	d->status = DEP_PRIMARY;
	rec_fact_str(d->fact, "taskSetStatus", "PRIMARY");
	set_computed(d, ts_computed(d->svc, scale));
}

deployment *
ts_create(service *s, const task_def *td, int slot, double scale,
    const char *external_id, const char *cause)
{
	bool first = true;
	const task_def *from = NULL;
	for (deployment *x = s->deps; x; x = x->next)
		if (x->set && !x->set->draining) {
			first = false;
			if (x->set->primary)
				from = x->td;
		}
	deployment *d = svc_add_deployment(s, td, from, cause);
	d->slot = slot;
	struct task_set *ts = attach(d, scale, external_id);
	if (first && s->cfg.controller != CTRL_EXTERNAL) {
		/* a CODE_DEPLOY service's first task set is its primary one; an
		 * EXTERNAL one's is ACTIVE until ecs:UpdateServicePrimaryTaskSet
		 * ([OBS] the AWS CLI's create-task-set example answers status
		 * ACTIVE, its update-service-primary-task-set example PRIMARY) */
		ts->primary = true;
		d->status = DEP_PRIMARY;
		rec_fact_str(d->fact, "taskSetStatus", "PRIMARY");
	}
	/* [INF] EXTERNAL: the listener's weights are the external
	 * controller's; both target groups pool their targets */
	if (slot == 1 && !s->pooled && s->cfg.controller == CTRL_EXTERNAL)
		dpl_shift(s, -1, -1, -1, -1, true, "task set in the binding's second target group");
	set_computed(d, ts_computed(s, scale));
	return d;
}

void
ts_set_scale(deployment *d, double scale)
{
	d->set->scale = scale;
	rec_fact_num(d->fact, "scale", scale);
	if (!d->set->draining)
		set_computed(d, ts_computed(d->svc, scale));
}

void
ts_make_primary(deployment *d)
{
	service *s = d->svc;
	for (deployment *x = s->deps; x; x = x->next)
		if (x->set && x->set->primary && x != d) {
			x->set->primary = false;
			x->status = DEP_ACTIVE;
			rec_fact_str(x->fact, "taskSetStatus", x->set->draining ? "DRAINING" : "ACTIVE");
		}
	d->set->primary = true;
	d->status = DEP_PRIMARY;
	rec_fact_str(d->fact, "taskSetStatus", "PRIMARY");
	/* [DOC] the primary task set's parameters transition to the service */
	s->cfg.td = d->td;
	svc_kick(s);
}

/* Close d's deployment record. */
static void
close_record(deployment *d, rollout_state st, const char *reason)
{
	model *m = d->svc->m;
	sim_time now = eng_now(m->eng);
	if (d->set)
		d->set->closed = true;
	d->rollout = st;
	d->finished_at = now;
	d->reason = reason;
	rec_fact_str(d->fact, "rolloutState", st == ROLLOUT_COMPLETED ? "COMPLETED" : "FAILED");
	rec_fact_time(d->fact, "end", now);
	rec_fact_time(d->fact, "duration", now - d->created_at);
}

void
ts_delete(deployment *d)
{
	struct task_set *ts = d->set;
	if (ts->draining)
		return;
	ts->draining = true;
	ts->primary = false;
	d->status = DEP_ACTIVE;
	rec_fact_str(d->fact, "taskSetStatus", "DRAINING");
	rec_fact_time(d->fact, "deletedAt", eng_now(d->svc->m->eng));
	if (!ts->closed && d->rollout == ROLLOUT_IN_PROGRESS)
		close_record(d, ROLLOUT_FAILED, "task set deleted before it became the service's only primary task set");
	set_computed(d, 0);
}

bool
ts_stable(const deployment *d)
{
	return d->set != NULL && d->set->stable;
}

void
ts_desired_changed(service *s)
{
	for (deployment *d = s->deps; d; d = d->next)
		if (d->set && !d->set->draining)
			set_computed(d, ts_computed(s, d->set->scale));
}

/* [DOC API TaskSet.stabilityStatus] */
static bool
compute_stable(const service *s, const deployment *d)
{
	int running = 0;
	for (const task *t = s->tasks; t; t = t->next) {
		if (t->dep != d || t->desired_stopped)
			continue;
		if (t->status != TS_RUNNING || t->on_draining || !task_is_healthy(t))
			return false;
		running++;
	}
	return running == d->set->computed;
}

void
ts_progress(service *s)
{
	bool all = true, any = false;
	for (deployment *d = s->deps, *next; d; d = next) {
		next = d->next;
		struct task_set *ts = d->set;
		if (ts == NULL)
			continue;
		any = true;
		if (ts->draining) {
			/* a deleted task set goes with its last task */
			if (d->ntasks == 0)
				dpl_unlink(s, d);
			else
				all = false;
			continue;
		}
		bool st = compute_stable(s, d);
		if (st != ts->stable) {
			ts->stable = st;
			rec_fact_str(d->fact, "stabilityStatus", st ? "STEADY_STATE" : "STABILIZING");
			if (st)
				sev_emit(s, "(service %s, taskSet %s) updated state to STEADY_STATE.", s->name, d->id);
		}
		all = all && st;
	}
	if (!any)
		return;
	/* EXTERNAL: a task set's deployment completes when it is the
	 * service's only (primary, stable) task set [INF]; so does a
	 * CODE_DEPLOY service's first */
	if (all) {
		int live = 0;
		deployment *only = NULL;
		for (deployment *d = s->deps; d; d = d->next)
			if (d->set && !d->set->draining) {
				live++;
				only = d;
			}
		/* (a CodeDeploy deployment is closed by CodeDeploy; a CODE_DEPLOY
		 * service's first task set completes like an EXTERNAL one) */
		if (live == 1 && only->set->primary && !only->set->closed &&
		    (s->cfg.controller == CTRL_EXTERNAL || only->is_first))
			close_record(only, ROLLOUT_COMPLETED, arena_printf(s->m->a, "task set %s is the service's only task set", only->id));
	}
	if (all) {
		if (!s->steady) {
			s->steady = true;
			s->steady_since = eng_now(s->m->eng);
		}
		sev_emit_dedup(s, SEV_STEADY, "(service %s) has reached a steady state.", s->name);
	} else if (s->steady) {
		s->steady = false;
		sev_resolve(s, SEV_STEADY);
	}
}

/* ---------------------------------------------------------------- */
/* The EXTERNAL controller's calls.                                  */

typedef struct known_set {
	const char *cluster, *service;
	const char *external_id;
	bool deleted;
} known_set;

struct ts_cfg {
	known_set *sets;
	int n, cap;
};

typedef enum ts_op { TS_CREATE, TS_UPDATE, TS_PRIMARY, TS_DELETE } ts_op;

typedef struct ts_call {
	ts_op op;
	const char *cluster, *service;
	const char *ref;          /* taskSet / primaryTaskSet as given */
	const task_def *td;
	const char *external_id;
	double scale;
	int slot;
	jr_pos pos;
} ts_call;

static known_set *
find_known(model_cfg *c, const char *cl, const char *svc, const char *ext)
{
	struct ts_cfg *k = c->task_sets;
	for (int i = k ? k->n - 1 : -1; i >= 0; i--)
		if (!k->sets[i].deleted && k->sets[i].external_id != NULL &&
		    strcmp(k->sets[i].cluster, cl) == 0 && strcmp(k->sets[i].service, svc) == 0 &&
		    strcmp(k->sets[i].external_id, ext) == 0)
			return &k->sets[i];
	return NULL;
}

static void
add_known(model_cfg *c, const char *cl, const char *svc, const char *ext)
{
	if (c->task_sets == NULL)
		c->task_sets = ARENA_NEW(c->a, struct ts_cfg);
	struct ts_cfg *k = c->task_sets;
	if (k->n == k->cap) {
		int cap = k->cap ? 2 * k->cap : 8;
		known_set *n = ARENA_ARRAY(c->a, known_set, (size_t)cap);
		if (k->n)
			memcpy(n, k->sets, (size_t)k->n * sizeof(*n));
		k->sets = n;
		k->cap = cap;
	}
	k->sets[k->n++] = (known_set){cl, svc, ext, false};
}

static const char *
name_after_slash(const char *s)
{
	const char *slash = strrchr(s, '/');
	return strncmp(s, "arn:", 4) == 0 && slash ? slash + 1 : s;
}

/* service and cluster of a task set call; the service must be EXTERNAL. */
static int
parse_target(model_cfg *c, jr_obj *o, const jr_val *in, ts_call *tc,
    const svc_cfg **out, sim_error *err)
{
	jr_val x;
	int rc;
	if ((rc = jr_req_str(o, "service", &tc->service, err)) ||
	    (rc = jr_opt_str(o, "cluster", "default", &tc->cluster, err)))
		return rc;
	tc->service = name_after_slash(tc->service);
	tc->cluster = name_after_slash(tc->cluster);
	known_service *ks = cfg_known_service(c, tc->cluster, tc->service);
	jr_get(o, "service", &x);
	if (ks == NULL || ks->deleted)
		return jr_fail(&x, err, "service \"%s\" does not exist in cluster \"%s\" at this point of the scenario",
		    tc->service, tc->cluster);
	if (ks->cfg->controller != CTRL_EXTERNAL)
		return jr_fail(&x, err, "service \"%s\" uses the %s deployment controller; task sets are for EXTERNAL services%s",
		    tc->service, dcfg_controller_name(ks->cfg->controller),
		    ks->cfg->controller == CTRL_CODE_DEPLOY ? " (CodeDeploy creates its own: codedeploy:CreateDeployment)" : "");
	(void)in;
	*out = ks->cfg;
	return 0;
}

/* A reference to an earlier task set: an ID or ARN (checked when applied),
 * or an externalId created earlier in the timeline. */
static int
parse_ref(model_cfg *c, jr_obj *o, const char *key, ts_call *tc, sim_error *err)
{
	jr_val x;
	int rc;
	if ((rc = jr_need(o, key, &x, err)) || (rc = jr_str(&x, &tc->ref, err)))
		return rc;
	if (strncmp(tc->ref, "ecs-svc/", 8) == 0 || strncmp(tc->ref, "arn:", 4) == 0)
		return 0;
	if (find_known(c, tc->cluster, tc->service, tc->ref) == NULL)
		return jr_fail(&x, err, "no task set \"%s\" of service \"%s\" at this point of the scenario (name one by its ID, its ARN, or the externalId of an earlier ecs:CreateTaskSet)",
		    tc->ref, tc->service);
	return 0;
}

static int
parse_scale(jr_obj *o, bool required, double def, double *out, sim_error *err)
{
	jr_val x;
	jr_obj so;
	int rc;
	static const char *const units[] = {"PERCENT"};
	int u;
	if (!jr_get(o, "scale", &x)) {
		if (required)
			return jr_need(o, "scale", &x, err);
		*out = def;
		return 0;
	}
	/* [DOC] Scale: value 0-100, unit PERCENT */
	if ((rc = jr_object(&x, &so, err)) || (rc = jr_req_num(&so, "value", 0, 100, out, err)) ||
	    (rc = jr_opt_enum(&so, "unit", units, 1, 0, &u, err)))
		return rc;
	return jr_done(&so, err);
}

/* loadBalancers of a task set: the service's bindings, each naming the
 * binding's target group (slot 0) or its second one (slot 1, set on
 * first use). */
static int
parse_set_lbs(model_cfg *c, jr_obj *o, const svc_cfg *sc, ts_call *tc,
    sim_error *err)
{
	jr_val v;
	int n, rc;
	tc->slot = 0;
	if (!jr_get(o, "loadBalancers", &v))
		return 0;
	if ((rc = jr_array(&v, &n, err)))
		return rc;
	if (n == 0)
		return 0;
	if (n != sc->nlbs)
		return jr_fail(&v, err,
		    "ecsim takes an EXTERNAL task set's load balancers from its service: give the service's %d entries (CreateService loadBalancers), each with its containerName and containerPort, got %d",
		    sc->nlbs, n);
	int slot = -1;
	for (int i = 0; i < n; i++) {
		jr_val e, x;
		jr_obj eo;
		const char *tg, *cn;
		int port;
		lb_binding *b = &sc->lbs[i];
		jr_elem(&v, i, &e);
		if ((rc = jr_object(&e, &eo, err)) || (rc = jr_req_str(&eo, "targetGroupArn", &tg, err)) ||
		    (rc = jr_req_str(&eo, "containerName", &cn, err)) ||
		    (rc = jr_req_int32(&eo, "containerPort", 1, 65535, &port, err)))
			return rc;
		if (strcmp(cn, b->container_name) != 0 || port != b->container_port)
			return jr_fail(&e, err, "expected the service's binding %s:%d here, got %s:%d",
			    b->container_name, b->container_port, cn, port);
		jr_get(&eo, "targetGroupArn", &x);
		if (c->target_group_exists == NULL || !c->target_group_exists(c, tg))
			return jr_fail(&x, err, "target group \"%s\" is not defined in targetGroups", tg);
		char n1[300], n2[300];
		int k;
		if (strcmp(dcfg_tg_name(tg, n1, sizeof(n1)), dcfg_tg_name(b->target_group, n2, sizeof(n2))) == 0) {
			k = 0;
		} else if (b->alt_target_group == NULL ||
		    strcmp(n1, dcfg_tg_name(b->alt_target_group, n2, sizeof(n2))) == 0) {
			/* the binding's second target group, from now on */
			b->alt_target_group = tg;
			k = 1;
		} else {
			return jr_fail(&x, err, "the service's binding %d already uses target groups \"%s\" and \"%s\"; ecsim routes at most two per binding",
			    i, b->target_group, b->alt_target_group);
		}
		if (slot >= 0 && k != slot)
			return jr_fail(&x, err, "every load balancer entry of a task set names the same side (its service's target groups, or all the second ones)");
		slot = k;
		if (jr_get(&eo, "advancedConfiguration", &x))
			return jr_fail(&x, err, "advancedConfiguration is for the ECS controller's blue/green family, not a task set");
		if ((rc = jr_done(&eo, err)))
			return rc;
	}
	tc->slot = slot;
	return 0;
}

static const char *const set_noeffect[] = {
	"networkConfiguration", "platformVersion", "serviceRegistries", "tags", "clientToken",
};

static int
parse_create(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x;
	int rc;
	const svc_cfg *sc;
	ts_call *tc = ARENA_NEW(c->a, ts_call);
	tc->op = TS_CREATE;
	tc->pos = jr_where(in);
	if ((rc = jr_object(in, &o, err)) || (rc = parse_target(c, &o, in, tc, &sc, err)))
		return rc;
	const char *ref;
	if ((rc = jr_req_str(&o, "taskDefinition", &ref, err)))
		return rc;
	tc->td = cfg_resolve_td(c, ref, c->ntds);
	if (tc->td == NULL) {
		jr_get(&o, "taskDefinition", &x);
		return jr_fail(&x, err, "task definition \"%s\" is not registered at this point of the scenario", ref);
	}
	if ((rc = jr_opt_str(&o, "externalId", NULL, &tc->external_id, err)))
		return rc;
	if (tc->external_id != NULL && find_known(c, tc->cluster, tc->service, tc->external_id) != NULL) {
		jr_get(&o, "externalId", &x);
		return jr_fail(&x, err, "service \"%s\" already has a task set with externalId \"%s\" (ecsim names task sets by it)",
		    tc->service, tc->external_id);
	}
	if ((rc = parse_scale(&o, false, dpl_params_of(c)->task_set_default_scale, &tc->scale, err)) ||
	    (rc = parse_set_lbs(c, &o, sc, tc, err)))
		return rc;
	/* the bindings' containers must be in the task set's definition */
	for (int i = 0; i < sc->nlbs; i++) {
		bool found = false;
		for (int k = 0; k < tc->td->ncontainers; k++)
			if (strcmp(tc->td->containers[k].name, sc->lbs[i].container_name) == 0)
				for (int p = 0; p < tc->td->containers[k].nports; p++)
					found |= tc->td->containers[k].ports[p].container_port == sc->lbs[i].container_port;
		if (!found) {
			jr_get(&o, "taskDefinition", &x);
			return jr_fail(&x, err, "task definition %s:%d has no container \"%s\" with containerPort %d (the service's load balancer)",
			    tc->td->family, tc->td->revision, sc->lbs[i].container_name, sc->lbs[i].container_port);
		}
	}
	static const char *const launch[] = {"EC2", "FARGATE", "EXTERNAL"};
	int lt;
	if (jr_get(&o, "launchType", &x)) {
		if ((rc = jr_enum(&x, launch, 3, &lt, err)))
			return rc;
		if (sc->launch != LAUNCH_CAPACITY_PROVIDER && (launch_type)lt != sc->launch)
			return jr_fail(&x, err, "ecsim runs a task set on its service's launch type (%s); a different one is not simulated",
			    launch[sc->launch]);
	}
	if (jr_get(&o, "capacityProviderStrategy", &x))
		cfg_note(c, &x);
	for (size_t i = 0; i < sizeof(set_noeffect) / sizeof(set_noeffect[0]); i++)
		if (jr_get(&o, set_noeffect[i], &x))
			cfg_note(c, &x);
	if ((rc = jr_done(&o, err)))
		return rc;
	add_known(c, tc->cluster, tc->service, tc->external_id);
	*typed = tc;
	return 0;
}

static int
parse_update(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	int rc;
	const svc_cfg *sc;
	ts_call *tc = ARENA_NEW(c->a, ts_call);
	tc->op = TS_UPDATE;
	tc->pos = jr_where(in);
	if ((rc = jr_object(in, &o, err)) || (rc = parse_target(c, &o, in, tc, &sc, err)) ||
	    (rc = parse_ref(c, &o, "taskSet", tc, err)) || (rc = parse_scale(&o, true, 0, &tc->scale, err)))
		return rc;
	if ((rc = jr_done(&o, err)))
		return rc;
	*typed = tc;
	return 0;
}

static int
parse_primary(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	int rc;
	const svc_cfg *sc;
	ts_call *tc = ARENA_NEW(c->a, ts_call);
	tc->op = TS_PRIMARY;
	tc->pos = jr_where(in);
	if ((rc = jr_object(in, &o, err)) || (rc = parse_target(c, &o, in, tc, &sc, err)) ||
	    (rc = parse_ref(c, &o, "primaryTaskSet", tc, err)))
		return rc;
	if ((rc = jr_done(&o, err)))
		return rc;
	*typed = tc;
	return 0;
}

static int
parse_delete(void *ctx, sim_time at, const jr_val *in, void **typed, sim_error *err)
{
	(void)at;
	model_cfg *c = ctx;
	jr_obj o;
	int rc;
	bool force = false;
	const svc_cfg *sc;
	ts_call *tc = ARENA_NEW(c->a, ts_call);
	tc->op = TS_DELETE;
	tc->pos = jr_where(in);
	if ((rc = jr_object(in, &o, err)) || (rc = parse_target(c, &o, in, tc, &sc, err)) ||
	    (rc = parse_ref(c, &o, "taskSet", tc, err)) ||
	    (rc = jr_opt_bool(&o, "force", false, &force, err)))
		return rc;
	if ((rc = jr_done(&o, err)))
		return rc;
	known_set *k = find_known(c, tc->cluster, tc->service, tc->ref);
	if (k != NULL)
		k->deleted = true;
	*typed = tc;
	return 0;
}

/* The live task set a call names, or NULL. */
static deployment *
resolve(service *s, const char *ref)
{
	const char *id = strstr(ref, "ecs-svc/");
	for (deployment *d = s->deps; d; d = d->next) {
		if (d->set == NULL || d->set->draining)
			continue;
		if (id != NULL ? strcmp(d->id, id) == 0 :
		    d->set->external_id != NULL && strcmp(d->set->external_id, ref) == 0)
			return d;
	}
	return NULL;
}

static const char *const op_names[] = {
	"ecs:CreateTaskSet", "ecs:UpdateTaskSet", "ecs:UpdateServicePrimaryTaskSet", "ecs:DeleteTaskSet",
};

static int
apply(model *m, void *typed, sim_error *err)
{
	(void)err;
	ts_call *tc = typed;
	service *s = model_find_service(m, tc->cluster, tc->service);
	if (s == NULL || s->deleted)
		return 0;
	if (tc->op == TS_CREATE) {
		deployment *d = ts_create(s, tc->td, tc->slot, tc->scale, tc->external_id, op_names[tc->op]);
		char *src = arena_printf(m->a, "service/%s", s->name);
		rec_event_add(m->rec, eng_now(m->eng), src, "deployment", "%s: task set %s (%s:%d) at scale %g%%",
		    op_names[tc->op], d->id, d->td->family, d->td->revision, tc->scale);
		return 0;
	}
	deployment *d = resolve(s, tc->ref);
	char *src = arena_printf(m->a, "service/%s", s->name);
	if (d == NULL) {
		/* AWS answers TaskSetNotFoundException; the plan goes on */
		rec_event_add(m->rec, eng_now(m->eng), src, "deployment", "%s rejected: TaskSetNotFoundException (%s)",
		    op_names[tc->op], tc->ref);
		return 0;
	}
	switch (tc->op) {
	case TS_UPDATE:
		ts_set_scale(d, tc->scale);
		rec_event_add(m->rec, eng_now(m->eng), src, "deployment", "%s: task set %s at scale %g%%",
		    op_names[tc->op], d->id, tc->scale);
		break;
	case TS_PRIMARY:
		ts_make_primary(d);
		rec_event_add(m->rec, eng_now(m->eng), src, "deployment", "%s: task set %s is PRIMARY",
		    op_names[tc->op], d->id);
		break;
	case TS_DELETE:
		ts_delete(d);
		rec_event_add(m->rec, eng_now(m->eng), src, "deployment", "%s: task set %s is DRAINING",
		    op_names[tc->op], d->id);
		break;
	case TS_CREATE:
		break;
	}
	return 0;
}

void
ts_register_calls(model_cfg *c, scn_spec *sp)
{
	cfg_add_call(c, sp, "ecs:CreateTaskSet", parse_create, apply);
	cfg_add_call(c, sp, "ecs:UpdateTaskSet", parse_update, apply);
	cfg_add_call(c, sp, "ecs:UpdateServicePrimaryTaskSet", parse_primary, apply);
	cfg_add_call(c, sp, "ecs:DeleteTaskSet", parse_delete, apply);
}
