/*
 * aws/observe — AWS's answers as recorder series, events and facts (see
 * observe.h).
 */
#include "model/aws/observe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/xalloc.h"

#define T_NONE INT64_MIN

typedef struct odep {
	char id[128];
	char taskdef[160];      /* family:rev */
	char rollout[32];
	char reason[512];
	sim_time created, completed;
	int desired, failed;
	bool seen_completed;
} odep;

typedef struct osvc {
	char cluster[128], name[128];
	char tg_name[4][64], tg_arn[4][300];
	int ntg;
	int desired, running, pending; /* latest answer; -1 unknown */
	int maxpct, minpct;
	bool answered;
	sim_time created;           /* createdAt of the service */
	odep *deps;
	size_t ndeps, capdeps;
	int lowest_healthy, max_running;
} osvc;

typedef struct otask {
	char arn[300], id[64];
	char service[128];
	char deployment[128];
	char taskdef[160];
	char last[32];
	char stop_code[64], stopped_reason[256];
	char instance_arn[300];
	char target_key[128];       /* "i-0abc:32768" or "10.0.1.5:8080" */
	sim_time created, pull_start, pull_stop, started, stopping, stopped;
	sim_time healthy, draining; /* first poll showing its target so */
} otask;

typedef struct oevent {
	sim_time t;
	char *source, *kind, *text;
	long seq;
} oevent;

typedef struct otarget {
	char tg[300], key[128], state[32];
} otarget;

typedef struct oinst {
	char arn[300], ec2[64];
} oinst;

typedef struct oact {
	char id[128], resource[300], cause[1024], desc[512], status[32];
	sim_time start;
	int to;
} oact;

struct awsobs {
	recorder *rec;
	double origin, scale;
	osvc *svcs;
	size_t nsvcs, capsvcs;
	otask *tasks;
	size_t ntasks, captasks;
	oevent *events;
	size_t nevents, capevents;
	char (*event_ids)[128];
	size_t nids, capids;
	otarget *targets;
	size_t ntargets, captargets;
	oinst *insts;
	size_t ninsts, capinsts;
	oact *acts;
	size_t nacts, capacts;
	long seq;
};

awsobs *
awsobs_new(recorder *r, double origin_epoch, double scale)
{
	awsobs *o = xcalloc(1, sizeof(*o));
	o->rec = r;
	o->origin = origin_epoch;
	o->scale = scale > 0 ? scale : 1;
	return o;
}

void
awsobs_free(awsobs *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->nsvcs; i++)
		free(o->svcs[i].deps);
	for (size_t i = 0; i < o->nevents; i++) {
		free(o->events[i].source);
		free(o->events[i].kind);
		free(o->events[i].text);
	}
	free(o->svcs);
	free(o->tasks);
	free(o->events);
	free(o->event_ids);
	free(o->targets);
	free(o->insts);
	free(o->acts);
	free(o);
}

void
awsobs_add_service(awsobs *o, const char *cluster, const char *name)
{
	xgrow((void **)&o->svcs, &o->capsvcs, o->nsvcs + 1, sizeof(*o->svcs));
	osvc *s = &o->svcs[o->nsvcs++];
	memset(s, 0, sizeof(*s));
	snprintf(s->cluster, sizeof(s->cluster), "%s", cluster);
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->desired = s->running = s->pending = -1;
	s->created = T_NONE;
	s->lowest_healthy = -1;
	s->maxpct = 200;
	s->minpct = 100;
}

static osvc *
svc_named(awsobs *o, const char *name)
{
	for (size_t i = 0; i < o->nsvcs; i++)
		if (strcmp(o->svcs[i].name, name) == 0)
			return &o->svcs[i];
	return NULL;
}

void
awsobs_add_target_group(awsobs *o, const char *service, const char *name,
    const char *arn)
{
	osvc *s = svc_named(o, service);
	if (s == NULL || s->ntg == 4)
		return;
	snprintf(s->tg_name[s->ntg], sizeof(s->tg_name[0]), "%s", name);
	snprintf(s->tg_arn[s->ntg], sizeof(s->tg_arn[0]), "%s", arn);
	s->ntg++;
}

/* Days from 1970-01-01 of a civil date (proleptic Gregorian). */
static long
days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "2024-05-01T12:00:03.250Z" or with "+02:00" into epoch seconds. */
static bool
iso8601(const char *s, double *out)
{
	int y, mo, d, h, mi;
	double sec;
	int n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
		return false;
	const char *z = s + n;
	double off = 0;
	if (*z == '+' || *z == '-') {
		int oh = 0, om = 0;
		if (sscanf(z + 1, "%2d:%2d", &oh, &om) < 1)
			return false;
		off = (*z == '+' ? 1 : -1) * (oh * 3600.0 + om * 60.0);
	} else if (*z != 'Z' && *z != '\0') {
		return false;
	}
	*out = (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec - off;
	return true;
}

bool
awsobs_time(const awsobs *o, const cJSON *v, sim_time *out)
{
	double e;
	if (cJSON_IsNumber(v))
		e = v->valuedouble;
	else if (cJSON_IsString(v) && iso8601(v->valuestring, &e))
		;
	else
		return false;
	*out = (sim_time)llround((e - o->origin) * o->scale * 1e6);
	return true;
}

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
jint(const cJSON *o, const char *k, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (cJSON_IsNumber(v))
		return (int)v->valuedouble;
	if (cJSON_IsString(v))
		return atoi(v->valuestring);
	return def;
}

/* "arn:aws:ecs:us-east-1:1:task-definition/web:3" -> "web:3". */
static void
family_rev(const char *arn, char *buf, size_t size)
{
	const char *s = arn ? strrchr(arn, '/') : NULL;
	snprintf(buf, size, "%s", s ? s + 1 : (arn ? arn : ""));
}

static void
add_event(awsobs *o, sim_time t, const char *source, const char *kind,
    const char *text)
{
	xgrow((void **)&o->events, &o->capevents, o->nevents + 1, sizeof(*o->events));
	oevent *e = &o->events[o->nevents++];
	e->t = t;
	e->source = xstrdup(source);
	e->kind = xstrdup(kind);
	e->text = xstrdup(text);
	e->seq = o->seq++;
}

static bool
seen_id(awsobs *o, const char *id)
{
	for (size_t i = 0; i < o->nids; i++)
		if (strcmp(o->event_ids[i], id) == 0)
			return true;
	xgrow((void **)&o->event_ids, &o->capids, o->nids + 1, sizeof(*o->event_ids));
	snprintf(o->event_ids[o->nids++], sizeof(o->event_ids[0]), "%s", id);
	return false;
}

static odep *
dep_of(osvc *s, const char *id)
{
	for (size_t i = 0; i < s->ndeps; i++)
		if (strcmp(s->deps[i].id, id) == 0)
			return &s->deps[i];
	xgrow((void **)&s->deps, &s->capdeps, s->ndeps + 1, sizeof(*s->deps));
	odep *d = &s->deps[s->ndeps++];
	memset(d, 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", id);
	d->created = d->completed = T_NONE;
	return d;
}

void
awsobs_services(awsobs *o, sim_time t, const cJSON *answer)
{
	const cJSON *svcs = cJSON_GetObjectItemCaseSensitive(answer, "services"), *x;
	cJSON_ArrayForEach(x, svcs) {
		const char *name = jstr(x, "serviceName");
		osvc *s = name ? svc_named(o, name) : NULL;
		if (s == NULL)
			continue;
		s->answered = true;
		s->desired = jint(x, "desiredCount", 0);
		s->running = jint(x, "runningCount", 0);
		s->pending = jint(x, "pendingCount", 0);
		const cJSON *dc = cJSON_GetObjectItemCaseSensitive(x, "deploymentConfiguration");
		s->maxpct = jint(dc, "maximumPercent", s->maxpct);
		s->minpct = jint(dc, "minimumHealthyPercent", s->minpct);
		sim_time ct;
		if (s->created == T_NONE &&
		    awsobs_time(o, cJSON_GetObjectItemCaseSensitive(x, "createdAt"), &ct))
			s->created = ct;
		const cJSON *d;
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(x, "deployments")) {
			const char *id = jstr(d, "id");
			if (id == NULL)
				continue;
			odep *dp = dep_of(s, id);
			family_rev(jstr(d, "taskDefinition"), dp->taskdef, sizeof(dp->taskdef));
			const char *rs = jstr(d, "rolloutState");
			if (rs)
				snprintf(dp->rollout, sizeof(dp->rollout), "%s", rs);
			const char *why = jstr(d, "rolloutStateReason");
			if (why)
				snprintf(dp->reason, sizeof(dp->reason), "%s", why);
			dp->desired = jint(d, "desiredCount", dp->desired);
			dp->failed = jint(d, "failedTasks", dp->failed);
			if (dp->created == T_NONE &&
			    !awsobs_time(o, cJSON_GetObjectItemCaseSensitive(d, "createdAt"), &dp->created))
				dp->created = t;
			if (rs && strcmp(rs, "COMPLETED") == 0 && !dp->seen_completed) {
				dp->seen_completed = true;
				/* updatedAt is when the rollout state changed; without
				 * it, the poll that saw it. */
				if (!awsobs_time(o, cJSON_GetObjectItemCaseSensitive(d, "updatedAt"),
				    &dp->completed))
					dp->completed = t;
			}
		}
		char src[200];
		snprintf(src, sizeof(src), "service/%s", s->name);
		/* DescribeServices lists events newest first. */
		const cJSON *evs = cJSON_GetObjectItemCaseSensitive(x, "events");
		for (int i = cJSON_GetArraySize(evs) - 1; i >= 0; i--) {
			const cJSON *e = cJSON_GetArrayItem(evs, i);
			const char *id = jstr(e, "id"), *msg = jstr(e, "message");
			sim_time et;
			if (id == NULL || msg == NULL || seen_id(o, id))
				continue;
			if (!awsobs_time(o, cJSON_GetObjectItemCaseSensitive(e, "createdAt"), &et))
				et = t;
			if (et < 0)
				continue; /* before the plan started */
			add_event(o, et, src, "ecs", msg);
		}
	}
}

static otask *
task_of(awsobs *o, const char *arn)
{
	for (size_t i = 0; i < o->ntasks; i++)
		if (strcmp(o->tasks[i].arn, arn) == 0)
			return &o->tasks[i];
	xgrow((void **)&o->tasks, &o->captasks, o->ntasks + 1, sizeof(*o->tasks));
	otask *k = &o->tasks[o->ntasks++];
	memset(k, 0, sizeof(*k));
	snprintf(k->arn, sizeof(k->arn), "%s", arn);
	const char *slash = strrchr(arn, '/');
	snprintf(k->id, sizeof(k->id), "%s", slash ? slash + 1 : arn);
	k->created = k->pull_start = k->pull_stop = k->started = T_NONE;
	k->stopping = k->stopped = k->healthy = k->draining = T_NONE;
	return k;
}

static void
stamp(const awsobs *o, const cJSON *x, const char *key, sim_time *out)
{
	sim_time t;
	if (awsobs_time(o, cJSON_GetObjectItemCaseSensitive(x, key), &t))
		*out = t;
}

static const char *
instance_ec2(const awsobs *o, const char *arn)
{
	for (size_t i = 0; i < o->ninsts; i++)
		if (strcmp(o->insts[i].arn, arn) == 0)
			return o->insts[i].ec2;
	return NULL;
}

/* The key its target has in DescribeTargetHealth: the ENI's address for
 * awsvpc tasks, else the instance and host port. */
static void
target_key(awsobs *o, otask *k, const cJSON *x)
{
	const cJSON *a, *d;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(x, "attachments"))
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(a, "details")) {
			const char *n = jstr(d, "name"), *v = jstr(d, "value");
			if (n && v && strcmp(n, "privateIPv4Address") == 0) {
				snprintf(k->target_key, sizeof(k->target_key), "%s", v);
				return;
			}
		}
	const cJSON *c, *b;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(x, "containers"))
		cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(c, "networkBindings")) {
			int hp = jint(b, "hostPort", 0);
			const char *ec2 = instance_ec2(o, k->instance_arn);
			if (hp > 0 && ec2) {
				snprintf(k->target_key, sizeof(k->target_key), "%s:%d", ec2, hp);
				return;
			}
		}
}

void
awsobs_tasks(awsobs *o, sim_time t, const cJSON *answer)
{
	(void)t;
	const cJSON *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(answer, "tasks")) {
		const char *arn = jstr(x, "taskArn");
		if (arn == NULL)
			continue;
		otask *k = task_of(o, arn);
		const char *g = jstr(x, "group");
		if (g && strncmp(g, "service:", 8) == 0)
			snprintf(k->service, sizeof(k->service), "%s", g + 8);
		const char *sb = jstr(x, "startedBy");
		if (sb)
			snprintf(k->deployment, sizeof(k->deployment), "%s", sb);
		family_rev(jstr(x, "taskDefinitionArn"), k->taskdef, sizeof(k->taskdef));
		const char *ls = jstr(x, "lastStatus");
		if (ls)
			snprintf(k->last, sizeof(k->last), "%s", ls);
		const char *sc = jstr(x, "stopCode"), *sr = jstr(x, "stoppedReason");
		if (sc)
			snprintf(k->stop_code, sizeof(k->stop_code), "%s", sc);
		if (sr)
			snprintf(k->stopped_reason, sizeof(k->stopped_reason), "%s", sr);
		const char *ci = jstr(x, "containerInstanceArn");
		if (ci)
			snprintf(k->instance_arn, sizeof(k->instance_arn), "%s", ci);
		stamp(o, x, "createdAt", &k->created);
		stamp(o, x, "pullStartedAt", &k->pull_start);
		stamp(o, x, "pullStoppedAt", &k->pull_stop);
		stamp(o, x, "startedAt", &k->started);
		stamp(o, x, "stoppingAt", &k->stopping);
		stamp(o, x, "stoppedAt", &k->stopped);
		if (k->target_key[0] == '\0')
			target_key(o, k, x);
	}
}

void
awsobs_container_instances(awsobs *o, const cJSON *answer)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(answer, "containerInstances")) {
		const char *arn = jstr(x, "containerInstanceArn"), *ec2 = jstr(x, "ec2InstanceId");
		if (arn == NULL || ec2 == NULL || instance_ec2(o, arn))
			continue;
		xgrow((void **)&o->insts, &o->capinsts, o->ninsts + 1, sizeof(*o->insts));
		oinst *in = &o->insts[o->ninsts++];
		snprintf(in->arn, sizeof(in->arn), "%s", arn);
		snprintf(in->ec2, sizeof(in->ec2), "%s", ec2);
	}
}

static otask *
task_by_key(awsobs *o, const char *key)
{
	/* The newest task holding the key (host ports are reused). */
	for (size_t i = o->ntasks; i-- > 0;)
		if (strcmp(o->tasks[i].target_key, key) == 0)
			return &o->tasks[i];
	return NULL;
}

void
awsobs_target_health(awsobs *o, sim_time t, const char *tg_arn,
    const cJSON *answer)
{
	const char *tgname = tg_arn;
	for (size_t i = 0; i < o->nsvcs; i++)
		for (int k = 0; k < o->svcs[i].ntg; k++)
			if (strcmp(o->svcs[i].tg_arn[k], tg_arn) == 0)
				tgname = o->svcs[i].tg_name[k];
	const cJSON *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(answer, "TargetHealthDescriptions")) {
		const cJSON *tg = cJSON_GetObjectItemCaseSensitive(x, "Target");
		const char *id = jstr(tg, "Id");
		const char *state = jstr(cJSON_GetObjectItemCaseSensitive(x, "TargetHealth"), "State");
		if (id == NULL || state == NULL)
			continue;
		char key[128];
		int port = jint(tg, "Port", 0);
		if (strncmp(id, "i-", 2) == 0)
			snprintf(key, sizeof(key), "%s:%d", id, port);
		else
			snprintf(key, sizeof(key), "%s", id);
		otarget *tr = NULL;
		for (size_t i = 0; i < o->ntargets; i++)
			if (strcmp(o->targets[i].tg, tg_arn) == 0 && strcmp(o->targets[i].key, key) == 0)
				tr = &o->targets[i];
		const char *from = "none";
		if (tr == NULL) {
			xgrow((void **)&o->targets, &o->captargets, o->ntargets + 1, sizeof(*o->targets));
			tr = &o->targets[o->ntargets++];
			memset(tr, 0, sizeof(*tr));
			snprintf(tr->tg, sizeof(tr->tg), "%s", tg_arn);
			snprintf(tr->key, sizeof(tr->key), "%s", key);
		} else {
			if (strcmp(tr->state, state) == 0)
				continue;
			from = tr->state;
		}
		otask *k = task_by_key(o, key);
		char src[300], text[600];
		snprintf(src, sizeof(src), "tg/%s", tgname);
		snprintf(text, sizeof(text), "target (task %s) port %d: %s -> %s",
		    k ? k->id : key, port, from, state);
		add_event(o, t, src, "target-health", text);
		snprintf(tr->state, sizeof(tr->state), "%s", state);
		if (k && strcmp(state, "healthy") == 0 && k->healthy == T_NONE)
			k->healthy = t;
		if (k && strcmp(state, "draining") == 0 && k->draining == T_NONE)
			k->draining = t;
	}
}

/* "Setting desired count to 4." -> 4, or -1. */
static int
desired_in(const char *desc)
{
	const char *p = desc ? strstr(desc, "desired count to ") : NULL;
	return p ? atoi(p + 17) : -1;
}

void
awsobs_scaling(awsobs *o, sim_time t, const cJSON *answer)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(answer, "ScalingActivities")) {
		const char *id = jstr(x, "ActivityId");
		if (id == NULL)
			continue;
		oact *a = NULL;
		for (size_t i = 0; i < o->nacts; i++)
			if (strcmp(o->acts[i].id, id) == 0)
				a = &o->acts[i];
		if (a == NULL) {
			xgrow((void **)&o->acts, &o->capacts, o->nacts + 1, sizeof(*o->acts));
			a = &o->acts[o->nacts++];
			memset(a, 0, sizeof(*a));
			snprintf(a->id, sizeof(a->id), "%s", id);
			if (!awsobs_time(o, cJSON_GetObjectItemCaseSensitive(x, "StartTime"), &a->start))
				a->start = t;
		}
		const char *r = jstr(x, "ResourceId"), *c = jstr(x, "Cause");
		const char *d = jstr(x, "Description"), *st = jstr(x, "StatusCode");
		snprintf(a->resource, sizeof(a->resource), "%s", r ? r : "");
		snprintf(a->cause, sizeof(a->cause), "%s", c ? c : "");
		snprintf(a->desc, sizeof(a->desc), "%s", d ? d : "");
		snprintf(a->status, sizeof(a->status), "%s", st ? st : "");
		a->to = desired_in(d);
	}
}

int
awsobs_unknown_instances(const awsobs *o, const char **arns, int max)
{
	int n = 0;
	for (size_t i = 0; i < o->ntasks && n < max; i++) {
		const char *a = o->tasks[i].instance_arn;
		if (a[0] == '\0' || instance_ec2(o, a))
			continue;
		bool dup = false;
		for (int k = 0; k < n; k++)
			dup = dup || strcmp(arns[k], a) == 0;
		if (!dup)
			arns[n++] = a;
	}
	return n;
}

int
awsobs_live_tasks(const awsobs *o, const char *service, const char **arns,
    int max)
{
	int n = 0;
	for (size_t i = 0; i < o->ntasks && n < max; i++)
		if (strcmp(o->tasks[i].service, service) == 0 &&
		    strcmp(o->tasks[i].last, "STOPPED") != 0)
			arns[n++] = o->tasks[i].arn;
	return n;
}

static int
series(awsobs *o, const osvc *s, const char *metric, const char *unit)
{
	char name[400];
	snprintf(name, sizeof(name), "service/%s/%s", s->name, metric);
	return rec_series(o->rec, name, unit);
}

/* Healthy tasks of a service: its tasks whose target was last seen
 * healthy; without a target group, its RUNNING tasks. */
static int
healthy_of(awsobs *o, const osvc *s)
{
	int n = 0;
	for (size_t i = 0; i < o->ntasks; i++) {
		otask *k = &o->tasks[i];
		if (strcmp(k->service, s->name) != 0 || strcmp(k->last, "STOPPED") == 0)
			continue;
		if (s->ntg == 0) {
			n += strcmp(k->last, "RUNNING") == 0;
			continue;
		}
		for (size_t j = 0; j < o->ntargets; j++)
			if (strcmp(o->targets[j].key, k->target_key) == 0 &&
			    strcmp(o->targets[j].state, "healthy") == 0) {
				n++;
				break;
			}
	}
	return n;
}

void
awsobs_sample(awsobs *o, sim_time t)
{
	/* Register every series first so a row's columns exist. */
	for (size_t i = 0; i < o->nsvcs; i++) {
		osvc *s = &o->svcs[i];
		series(o, s, "desired", "tasks");
		series(o, s, "pending", "tasks");
		series(o, s, "running", "tasks");
		series(o, s, "healthy", "tasks");
		series(o, s, "deploying", "0/1");
	}
	rec_row(o->rec, t);
	for (size_t i = 0; i < o->nsvcs; i++) {
		osvc *s = &o->svcs[i];
		if (!s->answered)
			continue;
		int h = healthy_of(o, s);
		rec_put(o->rec, series(o, s, "desired", "tasks"), s->desired);
		rec_put(o->rec, series(o, s, "pending", "tasks"), s->pending);
		rec_put(o->rec, series(o, s, "running", "tasks"), s->running);
		rec_put(o->rec, series(o, s, "healthy", "tasks"), h);
		bool deploying = false;
		for (size_t k = 0; k < s->ndeps; k++)
			deploying = deploying || strcmp(s->deps[k].rollout, "IN_PROGRESS") == 0;
		rec_put(o->rec, series(o, s, "deploying", "0/1"), deploying);
		/* Tasks by revision: every revision seen so far gets a value. */
		for (size_t k = 0; k < o->ntasks; k++) {
			if (strcmp(o->tasks[k].service, s->name) != 0)
				continue;
			char m[200];
			snprintf(m, sizeof(m), "rev/%s", o->tasks[k].taskdef);
			int id = series(o, s, m, "tasks");
			int c = 0;
			for (size_t j = 0; j < o->ntasks; j++)
				c += strcmp(o->tasks[j].service, s->name) == 0 &&
				    strcmp(o->tasks[j].taskdef, o->tasks[k].taskdef) == 0 &&
				    strcmp(o->tasks[j].last, "STOPPED") != 0;
			rec_put(o->rec, id, c);
		}
		if (s->running > s->max_running)
			s->max_running = s->running;
		if (deploying == false && (s->lowest_healthy < 0 || h < s->lowest_healthy))
			s->lowest_healthy = h;
	}
}

static int
cmp_event(const void *a, const void *b)
{
	const oevent *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
cmp_dep(const void *a, const void *b)
{
	const odep *x = a, *y = b;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Mean of b - a over the tasks that have both, in time. */
typedef struct mean {
	double sum;
	int n;
} mean;

static void
mean_add(mean *m, sim_time a, sim_time b)
{
	if (a != T_NONE && b != T_NONE && b >= a) {
		m->sum += (double)(b - a);
		m->n++;
	}
}

static void
time_or_skip(rec_fact *f, const char *key, sim_time t)
{
	if (t != T_NONE)
		rec_fact_time(f, key, t);
}

static void
deployment_facts(awsobs *o, osvc *s, sim_time end)
{
	qsort(s->deps, s->ndeps, sizeof(*s->deps), cmp_dep);
	int hid = series(o, s, "healthy", "tasks");
	int rid = series(o, s, "running", "tasks");
	int pid = series(o, s, "pending", "tasks");
	for (size_t i = 0; i < s->ndeps; i++) {
		odep *d = &s->deps[i];
		/* Finished before the plan started: not part of the run. */
		if (d->created < 0 && d->seen_completed && d->completed < 0)
			continue;
		rec_fact *f = rec_fact_new(o->rec, "deployment");
		rec_fact_str(f, "service", s->name);
		rec_fact_str(f, "cluster", s->cluster);
		rec_fact_str(f, "id", d->id);
		rec_fact_str(f, "taskDefinition", d->taskdef);
		const char *from = i > 0 ? s->deps[i - 1].taskdef : "";
		rec_fact_str(f, "from", from);
		/* Begun before the plan started: "existing" (its start is
		 * clamped to 0, its duration is AWS's). */
		const char *cause = d->created < 0 ? "existing" :
		    i == 0 && s->created != T_NONE && s->created >= 0 ? "service created" :
		    strcmp(from, d->taskdef) != 0 ? "new task definition" : "forceNewDeployment";
		if (strstr(d->reason, "rolling back") || strstr(d->reason, "rolled back"))
			cause = "circuit breaker rollback";
		rec_fact_str(f, "cause", cause);
		rec_fact_time(f, "start", d->created < 0 ? 0 : d->created);
		if (d->seen_completed) {
			rec_fact_time(f, "end", d->completed);
			rec_fact_time(f, "duration", d->completed - d->created);
		}
		rec_fact_str(f, "rolloutState", d->rollout[0] ? d->rollout : "IN_PROGRESS");
		rec_fact_int(f, "desiredCount", d->desired);
		rec_fact_int(f, "maximumPercent", s->maxpct);
		rec_fact_int(f, "minimumHealthyPercent", s->minpct);
		rec_fact_int(f, "minimumHealthy",
		    (int64_t)ceil(d->desired * s->minpct / 100.0));
		sim_time until = d->seen_completed ? d->completed : end;
		int lowest = -1, peak = 0;
		for (size_t r = 0; r < rec_row_count(o->rec); r++) {
			sim_time rt = rec_row_time(o->rec, r);
			if (rt < d->created || rt > until)
				continue;
			double h = rec_get(o->rec, hid, r);
			double tot = rec_get(o->rec, rid, r) + rec_get(o->rec, pid, r);
			if (!isnan(h) && (lowest < 0 || h < lowest))
				lowest = (int)h;
			if (!isnan(tot) && tot > peak)
				peak = (int)tot;
		}
		if (lowest >= 0)
			rec_fact_int(f, "lowestHealthy", lowest);
		rec_fact_int(f, "peakTasks", peak);
		if (d->failed > 0)
			rec_fact_int(f, "failedTasksCount", d->failed);
		int started = 0, stopped = 0;
		mean ts = {0, 0}, th = {0, 0}, tdr = {0, 0}, tst = {0, 0};
		for (size_t k = 0; k < o->ntasks; k++) {
			otask *t = &o->tasks[k];
			if (strcmp(t->service, s->name) != 0)
				continue;
			if (strcmp(t->deployment, d->id) == 0) {
				started++;
				mean_add(&ts, t->created, t->started);
				mean_add(&th, t->started, t->healthy);
			} else if (t->stopping != T_NONE && t->stopping >= d->created &&
			    t->stopping <= until && strcmp(t->taskdef, d->taskdef) != 0) {
				stopped++;
				mean_add(&tdr, t->draining, t->stopping);
				mean_add(&tst, t->stopping, t->stopped);
			}
		}
		rec_fact_int(f, "tasksStarted", started);
		rec_fact_int(f, "tasksStopped", stopped);
		rec_fact_bool(f, "circuitBreakerTriggered", strstr(d->reason, "circuit breaker") != NULL);
		rec_fact_bool(f, "rollback", strcmp(cause, "circuit breaker rollback") == 0);
		if (ts.n)
			rec_fact_time(f, "timeStart", (sim_time)(ts.sum / ts.n));
		if (th.n)
			rec_fact_time(f, "timeHealth", (sim_time)(th.sum / th.n));
		if (tdr.n)
			rec_fact_time(f, "timeDraining", (sim_time)(tdr.sum / tdr.n));
		if (tst.n)
			rec_fact_time(f, "timeStopping", (sim_time)(tst.sum / tst.n));
	}
}

void
awsobs_finish(awsobs *o, sim_time end)
{
	/* Scaling activities become events too. */
	for (size_t i = 0; i < o->nacts; i++) {
		const oact *a = &o->acts[i];
		const char *slash = strrchr(a->resource, '/');
		char src[320], text[1600];
		snprintf(src, sizeof(src), "aas/%s", slash ? slash + 1 : a->resource);
		snprintf(text, sizeof(text), "%s Cause: %s", a->desc, a->cause);
		if (a->start >= 0)
			add_event(o, a->start, src, "scaling", text);
	}
	qsort(o->events, o->nevents, sizeof(*o->events), cmp_event);
	for (size_t i = 0; i < o->nevents; i++)
		rec_event_add(o->rec, o->events[i].t, o->events[i].source,
		    o->events[i].kind, "%s", o->events[i].text);
	for (size_t i = 0; i < o->nsvcs; i++) {
		osvc *s = &o->svcs[i];
		rec_fact *f = rec_fact_new(o->rec, "service");
		rec_fact_str(f, "name", s->name);
		rec_fact_str(f, "cluster", s->cluster);
		if (s->created != T_NONE)
			rec_fact_time(f, "createdAt", s->created < 0 ? 0 : s->created);
		if (s->lowest_healthy >= 0)
			rec_fact_int(f, "lowestHealthy", s->lowest_healthy);
		rec_fact_int(f, "maxRunning", s->max_running);
		rec_fact_int(f, "placementFailures", 0);
		deployment_facts(o, s, end);
	}
	for (size_t i = 0; i < o->nacts; i++) {
		const oact *a = &o->acts[i];
		if (a->start < 0)
			continue;
		const char *slash = strrchr(a->resource, '/');
		rec_fact *f = rec_fact_new(o->rec, "scaling_activity");
		rec_fact_str(f, "resource", a->resource);
		rec_fact_str(f, "service", slash ? slash + 1 : a->resource);
		rec_fact_time(f, "time", a->start);
		rec_fact_str(f, "cause", a->cause);
		if (a->to >= 0)
			rec_fact_int(f, "to", a->to);
		rec_fact_str(f, "status", a->status);
	}
	for (size_t i = 0; i < o->ntasks; i++) {
		const otask *t = &o->tasks[i];
		rec_fact *f = rec_fact_new(o->rec, "task");
		rec_fact_str(f, "id", t->id);
		rec_fact_str(f, "service", t->service);
		rec_fact_str(f, "taskDefinition", t->taskdef);
		rec_fact_str(f, "deployment", t->deployment);
		rec_fact_str(f, "lastStatus", t->last);
		time_or_skip(f, "created", t->created);
		time_or_skip(f, "pullStarted", t->pull_start);
		time_or_skip(f, "pullStopped", t->pull_stop);
		time_or_skip(f, "started", t->started);
		time_or_skip(f, "healthy", t->healthy);
		time_or_skip(f, "draining", t->draining);
		time_or_skip(f, "stopping", t->stopping);
		time_or_skip(f, "stopped", t->stopped);
		if (t->stop_code[0])
			rec_fact_str(f, "stopCode", t->stop_code);
		if (t->stopped_reason[0])
			rec_fact_str(f, "stoppedReason", t->stopped_reason);
	}
	rec_fact *run = rec_fact_new(o->rec, "run");
	rec_fact_int(run, "events", (int64_t)o->nevents);
	rec_fact_int(run, "tasksLaunched", (int64_t)o->ntasks);
}
