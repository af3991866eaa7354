/*
 * ecs_api — ECS's API operations on the running model, for `ecsim serve`
 * (and any backend's invoke): the shapes of the ECS API reference
 * (DescribeServices' deployments[] with rolloutState, events[] with the
 * service-event texts, newest first), its error codes
 * (ClusterNotFoundException, ServiceNotFoundException,
 * ServiceNotActiveException, InvalidParameterException, ClientException)
 * and its pagination (maxResults, nextToken).
 *
 * Operations that change the model go through the timeline's calls (the
 * same validation and application as a scenario's "timeline"), at the
 * current simulated time. Timestamps are epoch seconds: simulated time 0
 * is the model's api_epoch (model_set_api_epoch).
 *
 * Invariant: read operations change nothing (OPTAB_READ).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/ecs/ecs_cfg.h"
#include "sim/optable.h"
#include "sim/xalloc.h"

/* ---------------------------------------------------------------- */
/* Helpers.                                                          */

/* A timestamp member: epoch seconds with milliseconds, as AWS's JSON
 * protocols send them, formatted with integers only (cJSON's double
 * printing is most of a DescribeServices answer's cost otherwise). */
static void
add_ts(cJSON *o, const char *key, const model *m, sim_time t)
{
	int64_t ms = llround(m->api_epoch * 1e3) + (t + 500) / 1000;
	char buf[40];
	snprintf(buf, sizeof(buf), "%lld.%03lld", (long long)(ms / 1000), (long long)(ms % 1000));
	cJSON_AddRawToObject(o, key, buf);
}

/* A whole-number member, printed as such. */
static void
add_num(cJSON *o, const char *key, double v)
{
	if (v != floor(v) || fabs(v) > 9e15) {
		cJSON_AddNumberToObject(o, key, v);
		return;
	}
	char buf[32], *p = buf + sizeof(buf) - 1;
	long long x = (long long)v;
	unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (x < 0)
		*--p = '-';
	cJSON_AddRawToObject(o, key, p);
}

static char *
print(cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

/* The name in an ARN's resource "kind/[cluster/]name", or ref itself. */
static const char *
arn_last(const char *ref)
{
	if (strncmp(ref, "arn:", 4) != 0)
		return ref;
	const char *slash = strrchr(ref, '/');
	return slash ? slash + 1 : ref;
}

static cluster *
find_cluster(model *m, const char *ref)
{
	for (int i = 0; i < m->nclusters; i++)
		if (strcmp(m->clusters[i]->name, ref) == 0 ||
		    strcmp(m->clusters[i]->arn, ref) == 0)
			return m->clusters[i];
	return NULL;
}

/* The optional "cluster" member (default "default"). */
static int
get_cluster(model *m, jr_obj *o, cluster **out, aws_fault *fault, sim_error *err)
{
	const char *ref;
	int rc = jr_opt_str(o, "cluster", "default", &ref, err);
	if (rc != 0)
		return rc;
	*out = find_cluster(m, ref);
	if (*out == NULL)
		return aws_fault_client(fault, "ClusterNotFoundException", "Cluster not found.");
	return 0;
}

static service *
find_service(model *m, const cluster *cl, const char *ref)
{
	const char *name = arn_last(ref);
	service *found = NULL;
	for (int i = 0; i < m->nservices; i++) {
		service *s = m->services[i];
		if (s->cl == cl && (strcmp(s->name, name) == 0 || strcmp(s->arn, ref) == 0))
			found = s; /* the newest of that name */
	}
	return found;
}

/* maxResults (1..max, default def) and nextToken (an offset ecsim gave). */
static int
get_page(jr_obj *o, int def, int max, int *start, int *count, aws_fault *fault,
    sim_error *err)
{
	const char *tok;
	int rc = jr_opt_int32(o, "maxResults", 1, max, def, count, err);
	if (rc == 0)
		rc = jr_opt_str(o, "nextToken", NULL, &tok, err);
	if (rc != 0)
		return rc;
	*start = 0;
	if (tok != NULL) {
		char *end;
		long v = strncmp(tok, "ecsim-", 6) == 0 ? strtol(tok + 6, &end, 10) : -1;
		if (v < 0 || *end != '\0' || v > 1000000)
			return aws_fault_client(fault, "InvalidParameterException",
			    "Invalid nextToken: %.64s", tok);
		*start = (int)v;
	}
	return 0;
}

static void
add_token(cJSON *o, int next, int total)
{
	if (next < total) {
		char buf[32];
		snprintf(buf, sizeof(buf), "ecsim-%d", next);
		cJSON_AddStringToObject(o, "nextToken", buf);
	}
}

/* A list of strings (names or ARNs) of at most max entries. */
static int
get_names(jr_obj *o, const char *key, bool required, int max, const char ***out,
    int *n, arena *a, sim_error *err)
{
	jr_val v;
	*n = 0;
	*out = NULL;
	if (!jr_get(o, key, &v)) {
		if (required)
			return jr_need(o, key, &v, err);
		return 0;
	}
	int rc = jr_array(&v, n, err);
	if (rc != 0)
		return rc;
	if (*n > max)
		return jr_fail(&v, err, "at most %d entries, got %d", max, *n);
	*out = arena_calloc(a, (size_t)(*n ? *n : 1), sizeof(**out));
	for (int i = 0; i < *n; i++) {
		jr_val e;
		jr_elem(&v, i, &e);
		if ((rc = jr_str(&e, &(*out)[i], err)) != 0)
			return rc;
	}
	return 0;
}

static const char *
launch_name(launch_type l)
{
	static const char *const n[] = {"EC2", "FARGATE", "EXTERNAL", "EC2"};
	return n[l];
}

/* ---------------------------------------------------------------- */
/* Shapes.                                                           */

static cJSON *
td_json(const model *m, const task_def *td)
{
	(void)m;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "taskDefinitionArn", td->arn);
	cJSON *cs = cJSON_AddArrayToObject(o, "containerDefinitions");
	for (int i = 0; i < td->ncontainers; i++) {
		const container_def *c = &td->containers[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", c->name);
		cJSON_AddStringToObject(x, "image", c->image);
		add_num(x, "cpu", c->cpu);
		if (c->memory)
			add_num(x, "memory", c->memory);
		if (c->memory_reservation)
			add_num(x, "memoryReservation", c->memory_reservation);
		cJSON *pm = cJSON_AddArrayToObject(x, "portMappings");
		for (int k = 0; k < c->nports; k++) {
			cJSON *p = cJSON_CreateObject();
			add_num(p, "containerPort", c->ports[k].container_port);
			add_num(p, "hostPort", c->ports[k].host_port);
			cJSON_AddStringToObject(p, "protocol", c->ports[k].protocol ?
			    c->ports[k].protocol : "tcp");
			cJSON_AddItemToArray(pm, p);
		}
		cJSON_AddBoolToObject(x, "essential", c->essential);
		cJSON_AddItemToArray(cs, x);
	}
	cJSON_AddStringToObject(o, "family", td->family);
	static const char *const nets[] = {"bridge", "host", "awsvpc", "none"};
	cJSON_AddStringToObject(o, "networkMode", nets[td->net]);
	add_num(o, "revision", td->revision);
	cJSON_AddStringToObject(o, "status", td->inactive ? "INACTIVE" : "ACTIVE");
	if (td->inactive)
		add_ts(o, "deregisteredAt", m, td->deregistered);
	cJSON *compat = cJSON_AddArrayToObject(o, "compatibilities");
	cJSON_AddItemToArray(compat, cJSON_CreateString("EC2"));
	if (td->fargate)
		cJSON_AddItemToArray(compat, cJSON_CreateString("FARGATE"));
	cJSON *req = cJSON_AddArrayToObject(o, "requiresCompatibilities");
	if (td->fargate)
		cJSON_AddItemToArray(req, cJSON_CreateString("FARGATE"));
	char buf[32];
	if (td->cpu) {
		snprintf(buf, sizeof(buf), "%d", td->cpu);
		cJSON_AddStringToObject(o, "cpu", buf);
	}
	if (td->memory) {
		snprintf(buf, sizeof(buf), "%d", td->memory);
		cJSON_AddStringToObject(o, "memory", buf);
	}
	return o;
}

/* The recorder's events per service, indexed as they are appended: a
 * DescribeServices reads its service's events without scanning the log
 * (the log only grows; each call indexes what is new). */
typedef struct ev_list {
	size_t *idx;
	size_t n, cap;
} ev_list;

struct ecs_api_cache {
	size_t scanned;   /* events of the log indexed so far */
	ev_list *per;     /* by service index */
	int nper;
};

void
ecs_api_free(model *m)
{
	struct ecs_api_cache *c = m->api_cache;
	if (c == NULL)
		return;
	for (int i = 0; i < c->nper; i++)
		free(c->per[i].idx);
	free(c->per);
	free(c);
	m->api_cache = NULL;
}

static const ev_list *
events_of(model *m, const service *s)
{
	struct ecs_api_cache *c = m->api_cache;
	if (c == NULL)
		c = m->api_cache = xcalloc(1, sizeof(*c));
	if (c->nper < m->nservices) {
		c->per = xreallocarray(c->per, (size_t)m->nservices, sizeof(*c->per));
		memset(c->per + c->nper, 0, (size_t)(m->nservices - c->nper) * sizeof(*c->per));
		c->nper = m->nservices;
	}
	size_t n = rec_event_count(m->rec);
	for (; c->scanned < n; c->scanned++) {
		const rec_event *e = rec_event_at(m->rec, c->scanned);
		if (strncmp(e->source, "service/", 8) != 0 || strcmp(e->kind, "ecs") != 0)
			continue;
		/* the source names the service, not its cluster: every service
		 * of that name gets it */
		for (int i = 0; i < m->nservices; i++) {
			if (strcmp(m->services[i]->name, e->source + 8) != 0)
				continue;
			ev_list *l = &c->per[i];
			if (l->n == l->cap) {
				l->cap = l->cap ? 2 * l->cap : 16;
				l->idx = xreallocarray(l->idx, l->cap, sizeof(*l->idx));
			}
			l->idx[l->n++] = c->scanned;
		}
	}
	return &c->per[s->index];
}

/* The service's events (newest first, at most 100). */
static void
add_events(model *m, const service *s, cJSON *arr)
{
	const ev_list *l = events_of(m, s);
	int count = 0;
	for (size_t k = l->n; k-- > 0 && count < 100; count++) {
		size_t i = l->idx[k];
		const rec_event *e = rec_event_at(m->rec, i);
		char id[48];
		snprintf(id, sizeof(id), "%08x-0000-4000-8000-%012zx",
		    (unsigned)(s->index & 0x7fffffff), i);
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "id", id);
		add_ts(x, "createdAt", m, e->t);
		cJSON_AddStringToObject(x, "message", e->text);
		cJSON_AddItemToArray(arr, x);
	}
}

static cJSON *
svc_json(model *m, const service *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "serviceArn", s->arn);
	cJSON_AddStringToObject(o, "serviceName", s->name);
	cJSON_AddStringToObject(o, "clusterArn", s->cl->arn);
	cJSON *lbs = cJSON_AddArrayToObject(o, "loadBalancers");
	for (int i = 0; i < s->cfg.nlbs; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "targetGroupArn", s->cfg.lbs[i].target_group);
		cJSON_AddStringToObject(x, "containerName", s->cfg.lbs[i].container_name);
		add_num(x, "containerPort", s->cfg.lbs[i].container_port);
		cJSON_AddItemToArray(lbs, x);
	}
	bool draining = s->deleted && s->tasks != NULL;
	cJSON_AddStringToObject(o, "status", !s->deleted ? "ACTIVE" : draining ?
	    "DRAINING" : "INACTIVE");
	add_num(o, "desiredCount", s->desired);
	int running = 0, pending = 0;
	for (const task *t = s->tasks; t; t = t->next)
		if (!t->desired_stopped) {
			running += t->status == TS_RUNNING;
			pending += t->status < TS_RUNNING;
		}
	add_num(o, "runningCount", running);
	add_num(o, "pendingCount", pending);
	cJSON_AddStringToObject(o, "launchType", launch_name(s->cfg.launch));
	if (s->deps)
		cJSON_AddStringToObject(o, "taskDefinition", s->deps->td->arn);
	cJSON *dc = cJSON_AddObjectToObject(o, "deploymentConfiguration");
	cJSON *cb = cJSON_AddObjectToObject(dc, "deploymentCircuitBreaker");
	const deploy_cfg *c = s->deps ? &s->deps->dc : &s->cfg.dc;
	cJSON_AddBoolToObject(cb, "enable", c->cb_enable);
	cJSON_AddBoolToObject(cb, "rollback", c->cb_rollback);
	add_num(dc, "maximumPercent", c->maximum_percent);
	add_num(dc, "minimumHealthyPercent", c->minimum_healthy_percent);
	cJSON *deps = cJSON_AddArrayToObject(o, "deployments");
	for (const deployment *d = s->deps; d; d = d->next) {
		if (d->status == DEP_INACTIVE)
			continue;
		int dpend = 0;
		for (const task *t = s->tasks; t; t = t->next)
			if (t->dep == d && !t->desired_stopped && t->status < TS_RUNNING)
				dpend++;
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "id", d->id);
		cJSON_AddStringToObject(x, "status", d->status == DEP_PRIMARY ? "PRIMARY" : "ACTIVE");
		cJSON_AddStringToObject(x, "taskDefinition", d->td->arn);
		add_num(x, "desiredCount", d->status == DEP_PRIMARY ? s->desired : 0);
		add_num(x, "pendingCount", dpend);
		add_num(x, "runningCount", d->nrunning);
		add_num(x, "failedTasks", d->failed_tasks);
		add_ts(x, "createdAt", m, d->created_at);
		add_ts(x, "updatedAt", m, d->rollout == ROLLOUT_IN_PROGRESS ?
		    eng_now(m->eng) : d->finished_at);
		cJSON_AddStringToObject(x, "launchType", launch_name(s->cfg.launch));
		static const char *const rs[] = {"IN_PROGRESS", "COMPLETED", "FAILED"};
		cJSON_AddStringToObject(x, "rolloutState", rs[d->rollout]);
		cJSON_AddStringToObject(x, "rolloutStateReason", d->reason ? d->reason : "");
		cJSON_AddItemToArray(deps, x);
	}
	add_events(m, s, cJSON_AddArrayToObject(o, "events"));
	const deployment *first = s->deps;
	while (first && first->next)
		first = first->next;
	if (first)
		add_ts(o, "createdAt", m, first->created_at);
	add_num(o, "healthCheckGracePeriodSeconds",
	    (double)(s->cfg.grace / SIM_SEC));
	cJSON_AddStringToObject(o, "schedulingStrategy", s->cfg.daemon ? "DAEMON" : "REPLICA");
	cJSON *ctl = cJSON_AddObjectToObject(o, "deploymentController");
	cJSON_AddStringToObject(ctl, "type", "ECS");
	cJSON_AddBoolToObject(o, "enableECSManagedTags", false);
	cJSON_AddStringToObject(o, "propagateTags", "NONE");
	cJSON_AddBoolToObject(o, "enableExecuteCommand", false);
	return o;
}

static char *
task_arn(const model *m, const task *t)
{
	return xasprintf("arn:aws:ecs:%s:%s:task/%s/%s", m->p->region, m->p->account,
	    t->svc->cl->name, t->id);
}

static char *
ci_arn(const model *m, const instance *in)
{
	return xasprintf("arn:aws:ecs:%s:%s:container-instance/%s/%s", m->p->region,
	    m->p->account, in->cl->name, in->ci_id);
}

static void
add_str_owned(cJSON *o, const char *key, char *s)
{
	cJSON_AddStringToObject(o, key, s);
	free(s);
}

static cJSON *
task_json(const model *m, const task *t)
{
	cJSON *o = cJSON_CreateObject();
	add_str_owned(o, "taskArn", task_arn(m, t));
	cJSON_AddStringToObject(o, "clusterArn", t->svc->cl->arn);
	cJSON_AddStringToObject(o, "taskDefinitionArn", t->td->arn);
	if (t->inst)
		add_str_owned(o, "containerInstanceArn", ci_arn(m, t->inst));
	static const char *const last[] = {"PROVISIONING", "PENDING", "ACTIVATING", "RUNNING",
	    "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"};
	cJSON_AddStringToObject(o, "lastStatus", last[t->status]);
	cJSON_AddStringToObject(o, "desiredStatus", t->desired_stopped ? "STOPPED" : "RUNNING");
	static const char *const hs[] = {"UNKNOWN", "HEALTHY", "UNHEALTHY"};
	cJSON_AddStringToObject(o, "healthStatus", hs[t->container_health]);
	char group[300];
	snprintf(group, sizeof(group), "service:%s", t->svc->name);
	cJSON_AddStringToObject(o, "group", group);
	cJSON_AddStringToObject(o, "startedBy", t->dep ? t->dep->id : "");
	cJSON_AddStringToObject(o, "launchType", t->inst ? "EC2" : "FARGATE");
	if (t->az)
		cJSON_AddStringToObject(o, "availabilityZone", t->az);
	char buf[32];
	snprintf(buf, sizeof(buf), "%d", t->td->place_cpu);
	cJSON_AddStringToObject(o, "cpu", buf);
	snprintf(buf, sizeof(buf), "%d", t->td->place_mem);
	cJSON_AddStringToObject(o, "memory", buf);
	add_ts(o, "createdAt", m, t->created_at);
	if (t->pull_started_at > 0 || t->status > TS_PENDING)
		add_ts(o, "pullStartedAt", m, t->pull_started_at);
	/* [DOC] pullStoppedAt: when the image pull completed (absent before) */
	if (t->pull_stopped_at > 0 && eng_now(m->eng) >= t->pull_stopped_at)
		add_ts(o, "pullStoppedAt", m, t->pull_stopped_at);
	if (t->status >= TS_RUNNING)
		add_ts(o, "startedAt", m, t->started_at);
	if (t->desired_stopped && t->stopping_at > 0)
		add_ts(o, "stoppingAt", m, t->stopping_at);
	if (t->stopped_reason)
		cJSON_AddStringToObject(o, "stoppedReason", t->stopped_reason);
	static const char *const codes[] = {NULL, "TaskFailedToStart", "EssentialContainerExited",
	    "UserInitiated", "ServiceSchedulerInitiated", "SpotInterruption", "TerminationNotice"};
	if (t->stop_code != STOP_NONE)
		cJSON_AddStringToObject(o, "stopCode", codes[t->stop_code]);
	cJSON *cs = cJSON_AddArrayToObject(o, "containers");
	int k = 0;
	for (int i = 0; i < t->td->ncontainers; i++) {
		const container_def *cd = &t->td->containers[i];
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "name", cd->name);
		cJSON_AddStringToObject(c, "image", cd->image);
		cJSON_AddStringToObject(c, "lastStatus", t->status >= TS_RUNNING &&
		    t->status <= TS_DEACTIVATING ? "RUNNING" : t->status < TS_RUNNING ? "PENDING" :
		    "STOPPED");
		/* [DOC] bridge and host network modes: the container's port
		 * bindings on its instance (networkBindings), once it runs;
		 * awsvpc tasks have none (their ENI is the target) */
		cJSON *nb = NULL;
		for (int p = 0; p < cd->nports; p++, k++) {
			if (t->inst == NULL || t->status < TS_RUNNING || t->host_ports[k] == 0)
				continue;
			if (nb == NULL)
				nb = cJSON_AddArrayToObject(c, "networkBindings");
			cJSON *b = cJSON_CreateObject();
			cJSON_AddStringToObject(b, "bindIP", "0.0.0.0");
			add_num(b, "containerPort", cd->ports[p].container_port);
			add_num(b, "hostPort", t->host_ports[k]);
			cJSON_AddStringToObject(b, "protocol", cd->ports[p].protocol ?
			    cd->ports[p].protocol : "tcp");
			cJSON_AddItemToArray(nb, b);
		}
		cJSON_AddItemToArray(cs, c);
	}
	return o;
}

static cJSON *
ci_json(const model *m, const instance *in)
{
	cJSON *o = cJSON_CreateObject();
	add_str_owned(o, "containerInstanceArn", ci_arn(m, in));
	cJSON_AddStringToObject(o, "ec2InstanceId", in->ec2_id);
	static const char *const st[] = {"REGISTERING", "ACTIVE", "DRAINING", "INACTIVE"};
	cJSON_AddStringToObject(o, "status", st[in->status]);
	cJSON_AddBoolToObject(o, "agentConnected", in->status == INST_ACTIVE ||
	    in->status == INST_DRAINING);
	add_num(o, "runningTasksCount", in->nrunning);
	add_num(o, "pendingTasksCount", in->ntasks - in->nrunning > 0 ?
	    in->ntasks - in->nrunning : 0);
	const char *names[2] = {"CPU", "MEMORY"};
	int reg[2] = {in->cpu_reg, in->mem_reg}, rem[2] = {in->cpu_free, in->mem_free};
	cJSON *r = cJSON_AddArrayToObject(o, "registeredResources");
	cJSON *f = cJSON_AddArrayToObject(o, "remainingResources");
	for (int k = 0; k < 2; k++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", names[k]);
		cJSON_AddStringToObject(x, "type", "INTEGER");
		add_num(x, "integerValue", reg[k]);
		cJSON_AddItemToArray(r, x);
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", names[k]);
		cJSON_AddStringToObject(x, "type", "INTEGER");
		add_num(x, "integerValue", rem[k]);
		cJSON_AddItemToArray(f, x);
	}
	cJSON *at = cJSON_AddArrayToObject(o, "attributes");
	cJSON *x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "name", "ecs.instance-type");
	cJSON_AddStringToObject(x, "value", in->type_name);
	cJSON_AddItemToArray(at, x);
	x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "name", "ecs.availability-zone");
	cJSON_AddStringToObject(x, "value", in->az);
	cJSON_AddItemToArray(at, x);
	add_ts(o, "registeredAt", m, in->registered_at);
	return o;
}

static void
add_failure(cJSON *arr, const char *arn, const char *reason)
{
	cJSON *x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "arn", arn);
	cJSON_AddStringToObject(x, "reason", reason);
	cJSON_AddItemToArray(arr, x);
}

/* ---------------------------------------------------------------- */
/* Read operations.                                                  */

static int
op_list_clusters(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, start, count;
	if ((rc = jr_object(in, &o, err)) || (rc = get_page(&o, 100, 100, &start, &count, fault, err)) ||
	    (rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "clusterArns");
	int i;
	for (i = start; i < m->nclusters && i < start + count; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(m->clusters[i]->arn));
	add_token(r, i, m->nclusters);
	*out = print(r);
	return 0;
}

static int
op_describe_clusters(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	(void)fault;
	model *m = self;
	jr_obj o;
	int rc, n;
	const char **names;
	if ((rc = jr_object(in, &o, err)) ||
	    (rc = get_names(&o, "clusters", false, 100, &names, &n, jr_arena(in->L), err)))
		return rc;
	jr_ignore(&o, "include");
	if ((rc = jr_done(&o, err)))
		return rc;
	static const char *const def[] = {"default"};
	if (names == NULL) {
		names = (const char **)(uintptr_t)def;
		n = 1;
	}
	cJSON *r = cJSON_CreateObject();
	cJSON *cs = cJSON_AddArrayToObject(r, "clusters");
	cJSON *fs = cJSON_AddArrayToObject(r, "failures");
	for (int i = 0; i < n; i++) {
		cluster *cl = find_cluster(m, names[i]);
		if (cl == NULL) {
			char *arn = strncmp(names[i], "arn:", 4) == 0 ? xstrdup(names[i]) :
			    xasprintf("arn:aws:ecs:%s:%s:cluster/%s", m->p->region, m->p->account,
			    names[i]);
			add_failure(fs, arn, "MISSING");
			free(arn);
			continue;
		}
		int ninst = 0, running = 0, pending = 0, active = 0;
		for (int k = 0; k < cl->ninstances; k++)
			ninst += cl->instances[k]->status == INST_ACTIVE ||
			    cl->instances[k]->status == INST_DRAINING;
		for (int k = 0; k < m->nservices; k++) {
			const service *s = m->services[k];
			if (s->cl != cl)
				continue;
			active += !s->deleted;
			for (const task *t = s->tasks; t; t = t->next) {
				running += t->status == TS_RUNNING;
				pending += t->status < TS_RUNNING;
			}
		}
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "clusterArn", cl->arn);
		cJSON_AddStringToObject(x, "clusterName", cl->name);
		cJSON_AddStringToObject(x, "status", "ACTIVE");
		add_num(x, "registeredContainerInstancesCount", ninst);
		add_num(x, "runningTasksCount", running);
		add_num(x, "pendingTasksCount", pending);
		add_num(x, "activeServicesCount", active);
		cJSON_AddItemToArray(cs, x);
	}
	*out = print(r);
	return 0;
}

static int
op_list_services(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	cluster *cl;
	int rc, start, count;
	const char *lt, *strat;
	if ((rc = jr_object(in, &o, err)) || (rc = get_cluster(m, &o, &cl, fault, err)) ||
	    (rc = get_page(&o, 10, 100, &start, &count, fault, err)) ||
	    (rc = jr_opt_str(&o, "launchType", NULL, &lt, err)) ||
	    (rc = jr_opt_str(&o, "schedulingStrategy", NULL, &strat, err)) ||
	    (rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "serviceArns");
	int seen = 0, next = 0;
	for (int i = 0; i < m->nservices; i++) {
		const service *s = m->services[i];
		if (s->cl != cl || s->deleted ||
		    (lt && strcmp(lt, launch_name(s->cfg.launch)) != 0) ||
		    (strat && strcmp(strat, s->cfg.daemon ? "DAEMON" : "REPLICA") != 0))
			continue;
		if (seen >= start && seen < start + count) {
			cJSON_AddItemToArray(a, cJSON_CreateString(s->arn));
			next = seen + 1;
		}
		seen++;
	}
	add_token(r, next > start ? next : seen, seen);
	*out = print(r);
	return 0;
}

static int
op_describe_services(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	cluster *cl;
	int rc, n;
	const char **names;
	if ((rc = jr_object(in, &o, err)) || (rc = get_cluster(m, &o, &cl, fault, err)) ||
	    (rc = get_names(&o, "services", true, 10, &names, &n, jr_arena(in->L), err)))
		return rc;
	jr_ignore(&o, "include");
	if ((rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON *ss = cJSON_AddArrayToObject(r, "services");
	cJSON *fs = cJSON_AddArrayToObject(r, "failures");
	for (int i = 0; i < n; i++) {
		const service *s = find_service(m, cl, names[i]);
		if (s == NULL) {
			char *arn = strncmp(names[i], "arn:", 4) == 0 ? xstrdup(names[i]) :
			    xasprintf("arn:aws:ecs:%s:%s:service/%s/%s", m->p->region,
			    m->p->account, cl->name, names[i]);
			add_failure(fs, arn, "MISSING");
			free(arn);
			continue;
		}
		cJSON_AddItemToArray(ss, svc_json(m, s));
	}
	*out = print(r);
	return 0;
}

static int
op_describe_task_definition(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc;
	const char *ref;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "taskDefinition", &ref, err)))
		return rc;
	jr_ignore(&o, "include");
	if ((rc = jr_done(&o, err)))
		return rc;
	const task_def *td = cfg_resolve_td(m->cfg, ref, m->cfg->ntds);
	if (td == NULL)
		return aws_fault_client(fault, "ClientException", "Unable to describe task definition.");
	cJSON *r = cJSON_CreateObject();
	cJSON_AddItemToObject(r, "taskDefinition", td_json(m, td));
	*out = print(r);
	return 0;
}

static int
op_list_task_definitions(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, start, count;
	const char *fam, *sort, *status;
	if ((rc = jr_object(in, &o, err)) || (rc = get_page(&o, 100, 100, &start, &count, fault, err)) ||
	    (rc = jr_opt_str(&o, "familyPrefix", NULL, &fam, err)) ||
	    (rc = jr_opt_str(&o, "sort", "ASC", &sort, err)) ||
	    (rc = jr_opt_str(&o, "status", "ACTIVE", &status, err)) || (rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "taskDefinitionArns");
	int seen = 0;
	for (int k = 0; k < m->cfg->ntds; k++) {
		int i = strcmp(sort, "DESC") == 0 ? m->cfg->ntds - 1 - k : k;
		const task_def *td = m->cfg->tds[i];
		if (fam && strncmp(td->family, fam, strlen(fam)) != 0)
			continue;
		if (td->inactive != (strcmp(status, "INACTIVE") == 0))
			continue;
		if (seen >= start && seen < start + count)
			cJSON_AddItemToArray(a, cJSON_CreateString(td->arn));
		seen++;
	}
	add_token(r, start + count, seen);
	*out = print(r);
	return 0;
}

static bool
task_matches(const task *t, const char *svc, const char *family, const instance *in,
    bool stopped)
{
	if (svc && strcmp(t->svc->name, arn_last(svc)) != 0)
		return false;
	if (family && strcmp(t->td->family, family) != 0)
		return false;
	if (in && t->inst != in)
		return false;
	return t->desired_stopped == stopped;
}

static instance *
find_instance(model *m, const cluster *cl, const char *ref)
{
	const char *id = arn_last(ref);
	for (int k = 0; k < cl->ninstances; k++) {
		instance *in = cl->instances[k];
		if (strcmp(in->ci_id, id) == 0 || strcmp(in->ec2_id, id) == 0)
			return in;
	}
	(void)m;
	return NULL;
}

static int
op_list_tasks(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	cluster *cl;
	int rc, start, count;
	const char *svc, *fam, *ci, *desired, *lt, *started;
	if ((rc = jr_object(in, &o, err)) || (rc = get_cluster(m, &o, &cl, fault, err)) ||
	    (rc = get_page(&o, 100, 100, &start, &count, fault, err)) ||
	    (rc = jr_opt_str(&o, "serviceName", NULL, &svc, err)) ||
	    (rc = jr_opt_str(&o, "family", NULL, &fam, err)) ||
	    (rc = jr_opt_str(&o, "containerInstance", NULL, &ci, err)) ||
	    (rc = jr_opt_str(&o, "desiredStatus", "RUNNING", &desired, err)) ||
	    (rc = jr_opt_str(&o, "launchType", NULL, &lt, err)) ||
	    (rc = jr_opt_str(&o, "startedBy", NULL, &started, err)) || (rc = jr_done(&o, err)))
		return rc;
	if (strcmp(desired, "RUNNING") != 0 && strcmp(desired, "PENDING") != 0 &&
	    strcmp(desired, "STOPPED") != 0)
		return aws_fault_client(fault, "InvalidParameterException",
		    "desiredStatus must be RUNNING, PENDING or STOPPED");
	instance *inst = NULL;
	if (ci && (inst = find_instance(m, cl, ci)) == NULL)
		return aws_fault_client(fault, "InvalidParameterException",
		    "Container instance not found.");
	if (svc) {
		const service *s = find_service(m, cl, svc);
		if (s == NULL)
			return aws_fault_client(fault, "ServiceNotFoundException", "Service not found.");
	}
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "taskArns");
	int seen = 0;
	bool stopped = strcmp(desired, "STOPPED") == 0;
	for (int i = 0; i < m->nservices; i++) {
		const service *s = m->services[i];
		if (s->cl != cl)
			continue;
		for (const task *t = s->tasks; t; t = t->next) {
			if (!task_matches(t, svc, fam, inst, stopped) ||
			    (lt && strcmp(lt, t->inst ? "EC2" : "FARGATE") != 0) ||
			    (started && (t->dep == NULL || strcmp(started, t->dep->id) != 0)))
				continue;
			if (seen >= start && seen < start + count) {
				char *arn = task_arn(m, t);
				cJSON_AddItemToArray(a, cJSON_CreateString(arn));
				free(arn);
			}
			seen++;
		}
	}
	add_token(r, start + count, seen);
	*out = print(r);
	return 0;
}

static int
op_describe_tasks(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	cluster *cl;
	int rc, n;
	const char **refs;
	if ((rc = jr_object(in, &o, err)) || (rc = get_cluster(m, &o, &cl, fault, err)) ||
	    (rc = get_names(&o, "tasks", true, 100, &refs, &n, jr_arena(in->L), err)))
		return rc;
	jr_ignore(&o, "include");
	if ((rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON *ts_ = cJSON_AddArrayToObject(r, "tasks");
	cJSON *fs = cJSON_AddArrayToObject(r, "failures");
	for (int i = 0; i < n; i++) {
		const char *id = arn_last(refs[i]);
		const task *found = NULL;
		for (int k = 0; k < m->nservices && !found; k++) {
			if (m->services[k]->cl != cl)
				continue;
			for (const task *t = m->services[k]->tasks; t && !found; t = t->next)
				if (strcmp(t->id, id) == 0)
					found = t;
		}
		if (found)
			cJSON_AddItemToArray(ts_, task_json(m, found));
		else
			add_failure(fs, refs[i], "MISSING");
	}
	*out = print(r);
	return 0;
}

static int
op_list_container_instances(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	cluster *cl;
	int rc, start, count;
	const char *status, *filter;
	if ((rc = jr_object(in, &o, err)) || (rc = get_cluster(m, &o, &cl, fault, err)) ||
	    (rc = get_page(&o, 100, 100, &start, &count, fault, err)) ||
	    (rc = jr_opt_str(&o, "status", NULL, &status, err)) ||
	    (rc = jr_opt_str(&o, "filter", NULL, &filter, err)) || (rc = jr_done(&o, err)))
		return rc;
	static const char *const st[] = {"REGISTERING", "ACTIVE", "DRAINING", "INACTIVE"};
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "containerInstanceArns");
	int seen = 0;
	for (int k = 0; k < cl->ninstances; k++) {
		const instance *in_ = cl->instances[k];
		if (in_->status == INST_GONE || in_->status == INST_LAUNCHING ||
		    (status && strcmp(status, st[in_->status]) != 0))
			continue;
		if (seen >= start && seen < start + count) {
			char *arn = ci_arn(m, in_);
			cJSON_AddItemToArray(a, cJSON_CreateString(arn));
			free(arn);
		}
		seen++;
	}
	add_token(r, start + count, seen);
	*out = print(r);
	return 0;
}

static int
op_describe_container_instances(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	cluster *cl;
	int rc, n;
	const char **refs;
	if ((rc = jr_object(in, &o, err)) || (rc = get_cluster(m, &o, &cl, fault, err)) ||
	    (rc = get_names(&o, "containerInstances", true, 100, &refs, &n, jr_arena(in->L), err)))
		return rc;
	jr_ignore(&o, "include");
	if ((rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON *cs = cJSON_AddArrayToObject(r, "containerInstances");
	cJSON *fs = cJSON_AddArrayToObject(r, "failures");
	for (int i = 0; i < n; i++) {
		const instance *x = find_instance(m, cl, refs[i]);
		if (x)
			cJSON_AddItemToArray(cs, ci_json(m, x));
		else
			add_failure(fs, refs[i], "MISSING");
	}
	*out = print(r);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Operations that change the model: the timeline's calls, now.      */

static int
op_register_task_definition(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	(void)fault;
	model *m = self;
	int before = m->cfg->ntds;
	int rc = cfg_call_now(m, "ecs:RegisterTaskDefinition", in, err);
	if (rc != 0)
		return rc;
	SIM_ASSERT(m->cfg->ntds == before + 1);
	cJSON *r = cJSON_CreateObject();
	cJSON *td = td_json(m, m->cfg->tds[before]);
	add_ts(td, "registeredAt", m, eng_now(m->eng));
	cJSON_AddItemToObject(r, "taskDefinition", td);
	*out = print(r);
	return 0;
}

/* [DOC] DeregisterTaskDefinition: the revision ("family:revision" or its
 * ARN; a family alone is refused) becomes INACTIVE; tasks and services
 * that use it keep running; it is no longer listed as ACTIVE. Answers the
 * revision as DescribeTaskDefinition does, with deregisteredAt. */
static int
op_deregister_task_definition(void *self, const jr_val *in, char **out,
    aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc;
	const char *ref;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "taskDefinition", &ref, err)) ||
	    (rc = jr_done(&o, err)))
		return rc;
	if (strchr(arn_last(ref), ':') == NULL)
		return aws_fault_client(fault, "ClientException",
		    "Give the revision to deregister: family:revision or its ARN.");
	const task_def *found = cfg_resolve_td(m->cfg, ref, m->cfg->ntds);
	task_def *td = NULL;
	for (int i = 0; found && i < m->cfg->ntds; i++)
		if (m->cfg->tds[i] == found)
			td = m->cfg->tds[i];
	if (td == NULL)
		return aws_fault_client(fault, "ClientException",
		    "The specified task definition does not exist.");
	if (!td->inactive) {
		td->inactive = true;
		td->deregistered = eng_now(m->eng);
	}
	cJSON *r = cJSON_CreateObject();
	cJSON_AddItemToObject(r, "taskDefinition", td_json(m, td));
	*out = print(r);
	return 0;
}

/* The cluster and service an input names, for the errors AWS gives before
 * validating the rest. */
static int
target_service(model *m, const jr_val *in, bool must_exist, cluster **cl, service **s,
    aws_fault *fault, sim_error *err)
{
	jr_obj o;
	jr_val v;
	const char *name = NULL, *cref = "default";
	int rc = jr_object(in, &o, err);
	if (rc != 0)
		return rc;
	const char *key = must_exist ? "service" : "serviceName";
	if (jr_get(&o, key, &v) && (rc = jr_str(&v, &name, err)) != 0)
		return rc;
	if (jr_get(&o, "cluster", &v) && (rc = jr_str(&v, &cref, err)) != 0)
		return rc;
	*cl = find_cluster(m, cref);
	if (*cl == NULL)
		return aws_fault_client(fault, "ClusterNotFoundException", "Cluster not found.");
	*s = name ? find_service(m, *cl, name) : NULL;
	if (must_exist && name != NULL && *s == NULL)
		return aws_fault_client(fault, "ServiceNotFoundException", "Service not found.");
	if (must_exist && *s != NULL && (*s)->deleted)
		return aws_fault_client(fault, "ServiceNotActiveException", "Service was not ACTIVE.");
	return 0;
}

/* The call named call with input in, then {"service": the service}. */
static int
service_call(model *m, const char *call, const jr_val *in, bool must_exist, char **out,
    aws_fault *fault, sim_error *err)
{
	cluster *cl;
	service *s;
	int rc = target_service(m, in, must_exist, &cl, &s, fault, err);
	if (rc != 0)
		return rc;
	if (!must_exist && s != NULL && !s->deleted)
		return aws_fault_client(fault, "InvalidParameterException",
		    "Creation of service was not idempotent.");
	int nbefore = m->nservices;
	if ((rc = cfg_call_now(m, call, in, err)) != 0)
		return rc;
	if (!must_exist) {
		SIM_ASSERT(m->nservices == nbefore + 1);
		s = m->services[nbefore];
	}
	cJSON *r = cJSON_CreateObject();
	cJSON_AddItemToObject(r, "service", svc_json(m, s));
	*out = print(r);
	return 0;
}

static int
op_create_service(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	return service_call(self, "ecs:CreateService", in, false, out, fault, err);
}

static int
op_update_service(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	return service_call(self, "ecs:UpdateService", in, true, out, fault, err);
}

static int
op_delete_service(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	return service_call(self, "ecs:DeleteService", in, true, out, fault, err);
}

/* Container instances are named by ARN or id in the API, by "index:N" in
 * the timeline: translate, then apply the timeline's call. */
static int
op_update_container_instances_state(void *self, const jr_val *in, char **out,
    aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	cluster *cl;
	int rc, n;
	const char **refs, *status;
	if ((rc = jr_object(in, &o, err)) || (rc = get_cluster(m, &o, &cl, fault, err)) ||
	    (rc = get_names(&o, "containerInstances", true, 10, &refs, &n, jr_arena(in->L), err)) ||
	    (rc = jr_req_str(&o, "status", &status, err)) || (rc = jr_done(&o, err)))
		return rc;
	cJSON *call = cJSON_CreateObject();
	cJSON_AddStringToObject(call, "cluster", cl->name);
	cJSON_AddStringToObject(call, "status", status);
	cJSON *list = cJSON_AddArrayToObject(call, "containerInstances");
	cJSON *r = cJSON_CreateObject();
	cJSON *cs = cJSON_AddArrayToObject(r, "containerInstances");
	cJSON *fs = cJSON_AddArrayToObject(r, "failures");
	instance **found = xcalloc((size_t)n + 1, sizeof(*found));
	int nfound = 0;
	for (int i = 0; i < n; i++) {
		instance *x = find_instance(m, cl, refs[i]);
		if (x == NULL || x->status == INST_GONE) {
			add_failure(fs, refs[i], "MISSING");
			continue;
		}
		char ref[32];
		snprintf(ref, sizeof(ref), "index:%d", x->index);
		cJSON_AddItemToArray(list, cJSON_CreateString(ref));
		found[nfound++] = x;
	}
	char *text = print(call);
	jr_loader *L = jr_loader_new(m->cfg->a);
	jr_val root;
	rc = jr_load_text(L, "request", text, &root, err);
	if (rc == 0)
		rc = cfg_call_now(m, "ecs:UpdateContainerInstancesState", &root, err);
	jr_loader_free(L);
	free(text);
	for (int i = 0; rc == 0 && i < nfound; i++)
		cJSON_AddItemToArray(cs, ci_json(m, found[i]));
	free(found);
	if (rc != 0) {
		cJSON_Delete(r);
		return rc;
	}
	*out = print(r);
	return 0;
}

void
ecs_register_api(model_cfg *c)
{
	optab *t = c->ops;
	optab_service(t, "ecs", "InvalidParameterException", "UnknownOperationException");
	optab_add(t, "ecs:ListClusters", op_list_clusters, OPTAB_READ);
	optab_add(t, "ecs:DescribeClusters", op_describe_clusters, OPTAB_READ);
	optab_add(t, "ecs:ListServices", op_list_services, OPTAB_READ);
	optab_add(t, "ecs:DescribeServices", op_describe_services, OPTAB_READ);
	optab_add(t, "ecs:DescribeTaskDefinition", op_describe_task_definition, OPTAB_READ);
	optab_add(t, "ecs:ListTaskDefinitions", op_list_task_definitions, OPTAB_READ);
	optab_add(t, "ecs:ListTasks", op_list_tasks, OPTAB_READ);
	optab_add(t, "ecs:DescribeTasks", op_describe_tasks, OPTAB_READ);
	optab_add(t, "ecs:ListContainerInstances", op_list_container_instances, OPTAB_READ);
	optab_add(t, "ecs:DescribeContainerInstances", op_describe_container_instances, OPTAB_READ);
	optab_add(t, "ecs:RegisterTaskDefinition", op_register_task_definition, 0);
	optab_add(t, "ecs:DeregisterTaskDefinition", op_deregister_task_definition, 0);
	optab_add(t, "ecs:CreateService", op_create_service, 0);
	optab_add(t, "ecs:UpdateService", op_update_service, 0);
	optab_add(t, "ecs:DeleteService", op_delete_service, 0);
	optab_add(t, "ecs:UpdateContainerInstancesState", op_update_container_instances_state, 0);
}
