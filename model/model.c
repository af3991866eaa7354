/*
 * model — the simulator: builds the initial state from the scenario,
 * samples the recorder, and is the simulator backend of the plan runner.
 */
#include <cjson/cJSON.h>
#include <gsl/gsl_version.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/autoscaling/aas.h"
#include "model/autoscaling/as_params.h"
#include "model/autoscaling/capacity.h"
#include "model/autoscaling/spot.h"
#include "model/ecs/catalog.h"
#include "model/ecs/cql.h"
#include "model/ecs/deploy.h"
#include "model/ecs/faults.h"
#include "model/elbv2/elb.h"
#include "model/ecs/fleet.h"
#include "model/ecs/health.h"
#include "model/model.h"
#include "model/model_cfg.h"
#include "model/ecs/placement.h"
#include "model/traffic/traffic.h"
#include "sim/optable.h"
#include "sim/xalloc.h"

#define ECSIM_VERSION "0.1.0"

void
model_make_hex_id(model *m, const char *purpose, char *out, int ndigits)
{
	static const char hexd[] = "0123456789abcdef";
	uint64_t x = rng_splitmix64(m->seed ^ rng_fnv1a64(purpose)) ^ m->id_counter++;
	for (int i = 0; i < ndigits; i++) {
		if (i % 16 == 0)
			x = rng_splitmix64(x + (uint64_t)i);
		out[i] = hexd[(x >> (4 * (i % 16))) & 15];
	}
	out[ndigits] = '\0';
}


static void
sample_all(model *m)
{
	rec_row(m->rec, eng_now(m->eng));
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		ecs_sample_service(s);
		traffic_sample(s);
		aas_sample(s);
	}
	for (int i = 0; i < m->nclusters; i++)
		ecs_sample_cluster(m, m->clusters[i]);
	capacity_sample(m);
}

static void
sample_event(engine *e, void *obj, uint64_t arg)
{
	(void)arg;
	model *m = obj;
	sample_all(m);
	sim_time next = eng_now(e) + m->sample_interval;
	if (next < m->end)
		eng_at(e, next, sample_event, m, 0);
}

/* ---------------------------------------------------------------- */
/* Construction.                                                     */

static void
record_assumptions(model *m)
{
	recorder *r = m->rec;
	const model_cfg *c = m->cfg;
	char buf[128];
	for (int t = 0; t < c->nparam_tables; t++) {
		const param_table *tb = &c->param_tables[t];
		if (tb->listed != NULL && !tb->listed(c))
			continue;
		for (int i = 0; i < tb->n; i++) {
			const param_def *d = &tb->defs[i];
			cfg_param_format(d, tb->block, buf, sizeof(buf));
			rec_assume(r, d->name, buf, tb->set[i] ? "SET" : d->tag, d->note);
		}
	}
	/* behaviours in force */
	const behaviour *b = &c->default_beh;
	char p[64], s1[64], rd[64], sh[64];
	dist_describe(&b->pull_time, p, sizeof(p));
	dist_describe(&b->start_time, s1, sizeof(s1));
	dist_describe(&b->ready_time, rd, sizeof(rd));
	dist_describe(&b->shutdown_time, sh, sizeof(sh));
	char v[300];
	snprintf(v, sizeof(v), "pull %s, start %s, ready %s, shutdown %s", p, s1, rd, sh);
	rec_assume(r, "behaviour.default", v, b->given ? "SET" : "INF",
	    "image timings when the scenario's behaviour section does not name the image (set behaviour.default)");
	cat_mem_fit fit = cat_default_mem_fit();
	cat_assume(r, &fit);
	plc_assume(r);
	cql_assume(r);
	traffic_assume(m);
	rec_assume(m->rec, "cost.serviceShare", "reserved CPU share of each instance", "MODEL",
	    "[INF] a service's EC2 cost is its tasks' reserved CPU over their instances' registered CPU, for the time they held it; the unreserved rest stays with the cluster; Fargate tasks are billed in full");
	aas_assume(m);
	capacity_assume(m);
	dpl_assume(m);
	faults_assume(m);
	spot_assume(m);
	if (c->elb && c->elb->ntgs > 0)
		hc_tg_assume(r, &c->elb->tgs[0]->hc);
	for (int i = 0; i < c->nnoted; i++)
		rec_assume(r, c->noted[i], "accepted", "NOTE",
		    c->noted_why[i] ? c->noted_why[i] : "no effect in the simulation");
}

model *
model_new(const model_cfg *c, const scenario *s, recorder *rec)
{
	model *m = xcalloc(1, sizeof(*m));
	m->cfg = c;
	m->p = &c->params;
	m->rec = rec;
	m->seed = s->seed;
	m->a = arena_new();
	m->eng = eng_new(m);
	m->end = s->duration;
	m->sample_interval = s->sample_interval;
	char buf[64];
	rec_info(rec, "scenario", s->name);
	rec_info(rec, "scenarioFile", s->path);
	rec_info(rec, "description", s->description);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)s->seed);
	rec_info(rec, "seed", buf);
	rec_info(rec, "generator", rng_generator_name());
	rec_info(rec, "gslVersion", GSL_VERSION);
	rec_info(rec, "ecsimVersion", ECSIM_VERSION);
	rec_info(rec, "duration", simtime_format(s->duration, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%lld", (long long)(s->duration / SIM_SEC));
	rec_info(rec, "durationSeconds", buf);
	rec_info(rec, "sampleInterval", simtime_format(s->sample_interval, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%lld", (long long)(s->sample_interval / SIM_SEC));
	rec_info(rec, "sampleIntervalSeconds", buf);
	if (!s->sample_given)
		rec_assume(rec, "sampleInterval", simtime_format(s->sample_interval, buf, sizeof(buf)),
		    "MODEL", "the scenario gives none: 1m for runs up to a day, 5m up to a week, 1h beyond (a month at one row a minute would be 43,201 rows of every series)");

	faults_start(m);
	m->nclusters = c->nclusters;
	m->clusters = arena_calloc(m->a, (size_t)c->nclusters, sizeof(*m->clusters));
	for (int i = 0; i < c->nclusters; i++) {
		cluster *cl = arena_calloc(m->a, 1, sizeof(*cl));
		cl->cfg = c->clusters[i];
		cl->m = m;
		cl->name = cl->cfg->name;
		cl->arn = arena_printf(m->a, "arn:aws:ecs:%s:%s:cluster/%s", m->p->region,
		    m->p->account, cl->name);
		m->clusters[i] = cl;
		cl->series_base = ecs_reg_series(rec, "cluster", cl->name, "instances", "instances");
		ecs_reg_series(rec, "cluster", cl->name, "cpuReservation", "percent");
		ecs_reg_series(rec, "cluster", cl->name, "memoryReservation", "percent");
		ecs_reg_series(rec, "cluster", cl->name, "costUSD", "USD");
		for (int k = 0; k < cl->cfg->nstatics; k++) {
			const static_instances *si = &cl->cfg->statics[k];
			for (int j = 0; j < si->count; j++)
			{
				instance *in = cluster_add_instance(m, cl, si->type,
				    si->azs[j % si->nazs], INST_ACTIVE, NULL, -1);
				faults_instance_launched(m, in, NULL);
			}
		}
	}
	/* subscribers, in the order of their effects (listeners.h) */
	elb_start(m);
	traffic_start(m);
	capacity_start(m);
	aas_start(m);
	spot_start(m);
	record_assumptions(m);
	for (int i = 0; i < c->nservices; i++)
		svc_create(m, c->services[i]);
	eng_at(m->eng, 0, sample_event, m, 0);
	return m;
}

void
model_free(model *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		task *t = s->tasks;
		while (t) {
			task *next = t->next;
			chc_task_stopped(t);
			rng_free(t->r);
			rng_free(t->rh);
			free(t->host_ports);
			free(t->targets);
			free(t);
			t = next;
		}
		free(s->per_instance);
		free(s->tv);
		free(s->batch);
		rng_free(s->rplace);
		traffic_free(s);
	}
	task *t = m->free_tasks;
	while (t) {
		task *next = t->next;
		free(t->host_ports);
		free(t->targets);
		free(t);
		t = next;
	}
	ecs_api_free(m);
	elb_free(m);
	capacity_free(m);
	spot_free(m);
	faults_free(m);
	aas_free(m);
	for (int i = 0; i < m->nclusters; i++)
		cluster_free(m->clusters[i]);
	free(m->services);
	eng_free(m->eng);
	arena_free(m->a);
	free(m);
}

uint64_t
model_events(const model *m)
{
	return eng_executed(m->eng);
}

void
model_finish(model *m)
{
	sim_time now = eng_now(m->eng);
	sample_all(m);
	faults_finish(m);
	int64_t launched = 0;
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		launched += (int64_t)s->next_serial - 1;
		svc_finish(s);
	}
	double total = 0, total_spot = 0;
	for (int i = 0; i < m->nclusters; i++) {
		cluster *cl = m->clusters[i];
		rec_fact *f = rec_fact_new(m->rec, "cluster");
		double hours = 0;
		for (int k = 0; k < cl->ninstances; k++) {
			instance *in = cl->instances[k];
			sim_time until = in->status == INST_GONE ? in->gone_at : now;
			hours += simtime_to_seconds(until - in->launched_at) / 3600.0;
		}
		double ec2 = ecs_cluster_cost(m, cl), fargate = fleet_fargate_cost(m, cl);
		double spot = ecs_cluster_spot_cost(m, cl) + fleet_fargate_spot_cost(m, cl);
		double cost = ec2 + fargate;
		rec_fact_str(f, "name", cl->name);
		rec_fact_int(f, "maxInstances", cl->max_instances);
		rec_fact_num(f, "instanceHours", hours);
		rec_fact_num(f, "costUSD", cost);
		/* the split by purchase option, when there is Spot capacity */
		if (faults_spot_capacity(m)) {
			rec_fact_num(f, "costOnDemandUSD", cost - spot);
			rec_fact_num(f, "costSpotUSD", spot);
		}
		total += cost;
		total_spot += spot;
	}
	rec_fact *f = rec_fact_new(m->rec, "run");
	rec_fact_int(f, "events", (int64_t)eng_executed(m->eng));
	rec_fact_int(f, "tasksLaunched", launched);
	rec_fact_num(f, "costUSD", total);
	if (faults_spot_capacity(m)) {
		rec_fact_num(f, "costOnDemandUSD", total - total_spot);
		rec_fact_num(f, "costSpotUSD", total_spot);
	}
	char buf[32];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)eng_executed(m->eng));
	rec_info(m->rec, "events", buf);
}

/* ---------------------------------------------------------------- */
/* The simulator backend.                                            */

static int
backend_apply(void *self, const plan_action *a, sim_error *err)
{
	model *m = self;
	const model_cfg *c = m->cfg;
	for (int i = 0; i < c->ncalls; i++)
		if (strcmp(c->calls[i].name, a->call) == 0)
			return c->calls[i].apply(m, a->typed, err);
	return sim_error_set(err, SIM_ERUNTIME, a->pos.file, a->pos.line, a->pos.col,
	    a->pos.path, "the simulator backend cannot apply %s", a->call);
}

static int
backend_advance(void *self, sim_time t, sim_error *err)
{
	(void)err;
	model *m = self;
	eng_advance_to(m->eng, t);
	return 0;
}

static int
backend_describe(void *self, const char *what, char **out, sim_error *err)
{
	return ecs_describe(self, what, out, err);
}

static int
backend_invoke(void *self, const char *op, const char *input, char **output,
    aws_fault *af, sim_error *err)
{
	model *m = self;
	return optab_invoke(m->cfg->ops, m, m->cfg->a, op, input, output, af, err);
}

void
model_set_api_epoch(model *m, double epoch)
{
	m->api_epoch = epoch;
}

static void
backend_close(void *self)
{
	(void)self;
}

const backend_ops model_backend = {
	.name = "sim",
	.apply = backend_apply,
	.advance = backend_advance,
	.describe = backend_describe,
	.invoke = backend_invoke,
	.close = backend_close,
};

/* ---------------------------------------------------------------- */
/* The caller's identity (sts:GetCallerIdentity).                    */

/* [DOC] GetCallerIdentity needs no permission and takes no input; for an
 * account's root credentials UserId is the account id and Arn
 * arn:aws:iam::ACCOUNT:root. ecsim accepts any key, so it answers as the
 * root of the scenario's account (parameter aws.account): a tool that
 * checks the account before acting (run --backend aws --account) sees the
 * account its ARNs name. */
static int
op_get_caller_identity(void *self, const jr_val *in, char **out,
    aws_fault *f, sim_error *err)
{
	(void)f;
	model *m = self;
	jr_obj o;
	int rc;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "UserId", m->p->account);
	cJSON_AddStringToObject(r, "Account", m->p->account);
	char *arn = xasprintf("arn:aws:iam::%s:root", m->p->account);
	cJSON_AddStringToObject(r, "Arn", arn);
	free(arn);
	*out = cJSON_PrintUnformatted(r);
	cJSON_Delete(r);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Registration of the scenario's sections and calls.                */

static int
parse_instance_types(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	return cat_parse(c->cat, v, err);
}

void
model_register(model_cfg *c, scn_spec *sp)
{
	/* parameter tables of the parts that keep their own */
	asp_register(c);
	/* Order matters: each section may refer to the ones before it. */
	scn_spec_add_section(sp, "parameters", cfg_parse_params, c);
	scn_spec_add_section(sp, "instanceTypes", parse_instance_types, c);
	scn_spec_add_section(sp, "behaviour", cfg_parse_behaviour, c);
	scn_spec_add_section(sp, "taskDefinitions", cfg_parse_task_definitions, c);
	scn_spec_add_section(sp, "clusters", cfg_parse_clusters, c);
	elb_register(c, sp);  /* targetGroups, loadBalancers */
	elb_register_api(c);
	scn_spec_add_section(sp, "services", cfg_parse_services, c);
	ecs_register_calls(c, sp);
	ecs_register_api(c);
	dpl_register(c, sp);     /* lambdaFunctions, codeDeploy, task sets */
	traffic_register(c, sp); /* workload, sim:SetLoad */
	scn_spec_add_section(sp, "scaling", aas_parse, c);
	aas_register_calls(c, sp);
	aas_register_api(c);
	capacity_register(c, sp); /* clusters' autoScalingGroups */
	optab_service(c->ops, "sts", "ValidationError", "InvalidAction");
	optab_add(c->ops, "sts:GetCallerIdentity", op_get_caller_identity, OPTAB_READ);
	faults_register(c, sp);   /* faults, clusters' ecsAgent, sim:Fail... */
	spot_register(c, sp);     /* sim:SpotInterruption */
}

long long
model_estimate_series(const model_cfg *c, const scenario *s)
{
	/* per service: ECS's 6, traffic's 7, Application Auto Scaling's
	 * target, and room; per cluster 4; per capacity provider 4 */
	enum { PER_SERVICE = 16, PER_CLUSTER = 4, PER_PROVIDER = 4 };
	long long n = (long long)c->nservices * PER_SERVICE +
	    (long long)c->nclusters * PER_CLUSTER + (long long)c->ncps * PER_PROVIDER;
	for (size_t i = 0; i < s->timeline->n; i++) {
		const char *call = s->timeline->actions[i].call;
		if (strcmp(call, "ecs:CreateService") == 0)
			n += PER_SERVICE;
		else if (strcmp(call, "ecs:UpdateService") == 0)
			n += 1; /* a revision's task count */
	}
	return n;
}

int
model_cfg_service_names(const model_cfg *c, const char ***out)
{
	const char **names = arena_calloc(c->a, (size_t)c->nknown + 1, sizeof(*names));
	for (int i = 0; i < c->nknown; i++)
		names[i] = c->known[i].name;
	*out = names;
	return c->nknown;
}

int
model_cfg_cluster_names(const model_cfg *c, const char ***out)
{
	const char **names = arena_calloc(c->a, (size_t)c->nclusters + 1, sizeof(*names));
	for (int i = 0; i < c->nclusters; i++)
		names[i] = c->clusters[i]->name;
	*out = names;
	return c->nclusters;
}
