/*
 * aws/backend — replaying a plan on AWS in real time (see backend.h).
 */
#include "model/aws/backend.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/xalloc.h"

struct awsb {
	awsb_config cfg;
	awsplan_refs refs;
	awsobs *obs;
	double origin;        /* epoch seconds of plan time 0 */
	size_t next_timeline; /* index into the plan's calls */
	sim_time next_poll;   /* plan time */
	int poll_failures;
	bool started;
	char last_code[128];  /* AWS error code of the last failed call */
	double date;          /* Date of the last answer that had one (epoch s) */
	double date_wall;     /* wall time (now()) when it arrived */
};

static double
real_now(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
real_sleep(void *ctx, sim_time us)
{
	(void)ctx;
	if (us <= 0)
		return;
	struct timespec ts = {(time_t)(us / SIM_SEC), (long)(us % SIM_SEC) * 1000};
	nanosleep(&ts, NULL); /* an interrupt ends it early: the loop checks */
}

awsb *
awsb_new(const awsb_config *cfg)
{
	awsb *b = xcalloc(1, sizeof(*b));
	b->cfg = *cfg;
	if (b->cfg.now == NULL)
		b->cfg.now = real_now;
	if (b->cfg.sleep_us == NULL)
		b->cfg.sleep_us = real_sleep;
	if (b->cfg.clock <= 0)
		b->cfg.clock = 1;
	if (b->cfg.poll <= 0)
		b->cfg.poll = 15 * SIM_SEC;
	return b;
}

void
awsb_free(awsb *b)
{
	if (b == NULL)
		return;
	awsplan_refs_fini(&b->refs);
	awsobs_free(b->obs);
	free(b);
}

sim_time
awsb_now(const awsb *b)
{
	if (!b->started)
		return 0;
	double s = (b->cfg.now(b->cfg.ctx) - b->origin) * b->cfg.clock;
	return s < 0 ? 0 : (sim_time)llround(s * 1e6);
}

static void
logf_(awsb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
logf_(awsb *b, const char *fmt, ...)
{
	if (b->cfg.log == NULL)
		return;
	char t[32];
	fprintf(b->cfg.log, "[%s] ", simtime_clock(awsb_now(b), t, sizeof(t)));
	va_list ap;
	va_start(ap, fmt);
	vfprintf(b->cfg.log, fmt, ap);
	va_end(ap);
	fputc('\n', b->cfg.log);
	fflush(b->cfg.log);
}

static bool
interrupted(const awsb *b)
{
	return b->cfg.interrupted && *b->cfg.interrupted;
}

static int
call_json(awsb *b, const char *service, const char *op, const cJSON *in,
    awsc_result *res, sim_error *err)
{
	int rc = awsc_call(b->cfg.client, service, op, in, res, err);
	if (res->date > 0) {
		b->date = res->date;
		b->date_wall = b->cfg.now(b->cfg.ctx);
	}
	return rc;
}

int
awsb_send(awsb *b, const awsplan_call *c, bool *skipped, sim_error *err)
{
	if (skipped)
		*skipped = false;
	if (c->sim_only) {
		logf_(b, "%s:%s not sent (simulation only)", c->service, c->op);
		if (skipped)
			*skipped = true;
		return 0;
	}
	if (c->requires[0] && awsplan_refs_get(&b->refs, c->requires) == NULL) {
		if (skipped)
			*skipped = true;
		return 0;
	}
	const char *missing;
	cJSON *in = awsplan_resolve(c->input, &b->refs, &missing);
	if (in == NULL)
		return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
		    "%s:%s: %s has no value (an earlier call did not name it)",
		    c->service, c->op, missing);
	awsc_result res;
	int rc = call_json(b, c->service, c->op, in, &res, err);
	snprintf(b->last_code, sizeof(b->last_code), "%s", rc ? res.code : "");
	cJSON_Delete(in);
	if (rc == 0 && c->save_ref[0]) {
		const cJSON *v = c->save_path[0] ? awsplan_at(res.json, c->save_path) : NULL;
		if (c->save_path[0] && !cJSON_IsString(v))
			rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "%s:%s: the answer has no %s", c->service, c->op, c->save_path);
		else
			awsplan_refs_set(&b->refs, c->save_ref, v ? v->valuestring : "created");
	}
	if (rc == 0 && c->check_path[0]) {
		const cJSON *v = awsplan_at(res.json, c->check_path);
		if (v == NULL || (c->check_value[0] &&
		    !(cJSON_IsString(v) && strcmp(v->valuestring, c->check_value) == 0))) {
			char *j = cJSON_PrintUnformatted(c->input);
			rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "--use-existing: %s:%s %s: no such resource (%s missing%s%s)",
			    c->service, c->op, j, c->check_path,
			    c->check_value[0] ? " or not " : "", c->check_value);
			free(j);
		}
	}
	if (rc == 0)
		logf_(b, "%s:%s ok%s", c->service, c->op,
		    res.attempts > 1 ? " (after retries)" : "");
	awsc_result_fini(&res);
	return rc;
}

int
awsb_identify(awsb *b, char *account, size_t size, sim_error *err)
{
	const awsplan *p = b->cfg.plan;
	SIM_ASSERT(p->n > 0 && strcmp(p->calls[0].op, "GetCallerIdentity") == 0);
	int rc = awsb_send(b, &p->calls[0], NULL, err);
	if (rc != 0)
		return rc;
	const char *acct = awsplan_refs_get(&b->refs, "account");
	snprintf(account, size, "%s", acct ? acct : "");
	for (int i = 0; i < b->cfg.naccounts; i++)
		if (acct && strcmp(b->cfg.accounts[i], acct) == 0)
			return 0;
	return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
	    "the credentials belong to account %s, which --account does not allow",
	    acct ? acct : "(unknown)");
}

static void
start_observing(awsb *b)
{
	const awsplan *p = b->cfg.plan;
	b->origin = b->cfg.now(b->cfg.ctx);
	b->started = true;
	if (b->cfg.clock != 1 && b->date > 0) {
		/* The endpoint's own clock (see the header comment). */
		double world = b->date + 0.5 + (b->origin - b->date_wall) * b->cfg.clock;
		b->obs = awsobs_new(b->cfg.rec, world, 1);
		logf_(b, "the endpoint's clock at plan time 0: %.1f (its Date header)", world);
	} else {
		b->obs = awsobs_new(b->cfg.rec, b->origin, b->cfg.clock);
	}
	for (int i = 0; i < p->nsvcs; i++) {
		awsobs_add_service(b->obs, p->svcs[i].cluster, p->svcs[i].name);
		for (int k = 0; k < p->svcs[i].ntgs; k++) {
			char ref[200];
			snprintf(ref, sizeof(ref), "tg/%s", p->svcs[i].tgs[k]);
			const char *arn = awsplan_refs_get(&b->refs, ref);
			if (arn)
				awsobs_add_target_group(b->obs, p->svcs[i].name,
				    p->svcs[i].tgs[k], arn);
		}
	}
	b->next_timeline = 0;
	while (b->next_timeline < p->n && p->calls[b->next_timeline].phase != AWSPLAN_TIMELINE)
		b->next_timeline++;
}

int
awsb_setup(awsb *b, sim_error *err)
{
	const awsplan *p = b->cfg.plan;
	for (size_t i = 1; i < p->n; i++) {
		if (p->calls[i].phase != AWSPLAN_SETUP)
			continue;
		if (interrupted(b))
			return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL, "interrupted during setup");
		int rc = awsb_send(b, &p->calls[i], NULL, err);
		if (rc != 0)
			return rc;
	}
	start_observing(b);
	return 0;
}

/* One round of observation at plan time t. Failures are counted and
 * logged, never fatal: the plan goes on. */
static void
poll_once(awsb *b, sim_time t)
{
	const awsplan *p = b->cfg.plan;
	sim_error err;
	awsc_result res;
	for (int i = 0; i < p->nsvcs; i++) {
		const awsplan_svc *s = &p->svcs[i];
		cJSON *in = cJSON_CreateObject();
		cJSON_AddStringToObject(in, "cluster", s->cluster);
		cJSON *names = cJSON_AddArrayToObject(in, "services");
		cJSON_AddItemToArray(names, cJSON_CreateString(s->name));
		if (call_json(b, "ecs", "DescribeServices", in, &res, &err) == 0)
			awsobs_services(b->obs, t, res.json);
		else
			b->poll_failures++, logf_(b, "poll: %s", err.msg);
		awsc_result_fini(&res);
		cJSON_Delete(in);
		/* Tasks: those ECS lists now, and those seen before and not yet
		 * STOPPED (their final timestamps). */
		cJSON *tin = cJSON_CreateObject();
		cJSON_AddStringToObject(tin, "cluster", s->cluster);
		cJSON *arns = cJSON_AddArrayToObject(tin, "tasks");
		static const char *const statuses[] = {"RUNNING", "STOPPED"};
		for (int k = 0; k < 2; k++) {
			cJSON *lin = cJSON_CreateObject();
			cJSON_AddStringToObject(lin, "cluster", s->cluster);
			cJSON_AddStringToObject(lin, "serviceName", s->name);
			cJSON_AddStringToObject(lin, "desiredStatus", statuses[k]);
			if (call_json(b, "ecs", "ListTasks", lin, &res, &err) == 0) {
				const cJSON *a;
				cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(res.json, "taskArns"))
					if (cJSON_IsString(a) && cJSON_GetArraySize(arns) < 100)
						cJSON_AddItemToArray(arns, cJSON_CreateString(a->valuestring));
			} else {
				b->poll_failures++, logf_(b, "poll: %s", err.msg);
			}
			awsc_result_fini(&res);
			cJSON_Delete(lin);
		}
		const char *live[100];
		int nl = awsobs_live_tasks(b->obs, s->name, live, 100);
		for (int k = 0; k < nl && cJSON_GetArraySize(arns) < 100; k++) {
			bool dup = false;
			const cJSON *a;
			cJSON_ArrayForEach(a, arns)
				dup = dup || strcmp(a->valuestring, live[k]) == 0;
			if (!dup)
				cJSON_AddItemToArray(arns, cJSON_CreateString(live[k]));
		}
		if (cJSON_GetArraySize(arns) > 0) {
			if (call_json(b, "ecs", "DescribeTasks", tin, &res, &err) == 0)
				awsobs_tasks(b->obs, t, res.json);
			else
				b->poll_failures++, logf_(b, "poll: %s", err.msg);
			awsc_result_fini(&res);
		}
		cJSON_Delete(tin);
		const char *unknown[100];
		int nu = awsobs_unknown_instances(b->obs, unknown, 100);
		if (nu > 0) {
			cJSON *cin = cJSON_CreateObject();
			cJSON_AddStringToObject(cin, "cluster", s->cluster);
			cJSON *ca = cJSON_AddArrayToObject(cin, "containerInstances");
			for (int k = 0; k < nu; k++)
				cJSON_AddItemToArray(ca, cJSON_CreateString(unknown[k]));
			if (call_json(b, "ecs", "DescribeContainerInstances", cin, &res, &err) == 0)
				awsobs_container_instances(b->obs, res.json);
			awsc_result_fini(&res);
			cJSON_Delete(cin);
			/* Tasks seen before the mapping get their target keys now. */
			cJSON *again = cJSON_CreateObject();
			cJSON_AddStringToObject(again, "cluster", s->cluster);
			cJSON *aa = cJSON_AddArrayToObject(again, "tasks");
			nl = awsobs_live_tasks(b->obs, s->name, live, 100);
			for (int k = 0; k < nl; k++)
				cJSON_AddItemToArray(aa, cJSON_CreateString(live[k]));
			if (nl > 0 && call_json(b, "ecs", "DescribeTasks", again, &res, &err) == 0)
				awsobs_tasks(b->obs, t, res.json);
			awsc_result_fini(&res);
			cJSON_Delete(again);
		}
		for (int k = 0; k < s->ntgs; k++) {
			char ref[200];
			snprintf(ref, sizeof(ref), "tg/%s", s->tgs[k]);
			const char *arn = awsplan_refs_get(&b->refs, ref);
			if (arn == NULL)
				continue;
			cJSON *hin = cJSON_CreateObject();
			cJSON_AddStringToObject(hin, "TargetGroupArn", arn);
			if (call_json(b, "elbv2", "DescribeTargetHealth", hin, &res, &err) == 0)
				awsobs_target_health(b->obs, t, arn, res.json);
			else
				b->poll_failures++, logf_(b, "poll: %s", err.msg);
			awsc_result_fini(&res);
			cJSON_Delete(hin);
		}
		if (s->scaled) {
			cJSON *ain = cJSON_CreateObject();
			char rid[300];
			snprintf(rid, sizeof(rid), "service/%s/%s", s->cluster, s->name);
			cJSON_AddStringToObject(ain, "ServiceNamespace", "ecs");
			cJSON_AddStringToObject(ain, "ResourceId", rid);
			if (call_json(b, "application-autoscaling", "DescribeScalingActivities",
			    ain, &res, &err) == 0)
				awsobs_scaling(b->obs, t, res.json);
			else
				b->poll_failures++, logf_(b, "poll: %s", err.msg);
			awsc_result_fini(&res);
			cJSON_Delete(ain);
		}
	}
	awsobs_sample(b->obs, t);
}

/* Wait (observing) until plan time t or an interrupt. */
static int
aws_advance(void *self, sim_time t, sim_error *err)
{
	awsb *b = self;
	for (;;) {
		if (interrupted(b))
			return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "interrupted at %s of the plan: stopping, then cleaning up", simtime_format(awsb_now(b), (char[32]){0}, 32));
		sim_time now = awsb_now(b);
		if (now >= b->next_poll) {
			poll_once(b, now);
			sim_time step = b->cfg.poll;
			while (b->next_poll <= now)
				b->next_poll += step > 0 ? step : 1;
			continue;
		}
		if (now >= t)
			return 0;
		sim_time until = t < b->next_poll ? t : b->next_poll;
		sim_time wall = (sim_time)((double)(until - now) / b->cfg.clock);
		/* Short slices so an interrupt is seen within 200 ms. */
		b->cfg.sleep_us(b->cfg.ctx, wall < 200 * SIM_MS ? (wall > 0 ? wall : 1) : 200 * SIM_MS);
	}
}

static int
aws_apply(void *self, const plan_action *a, sim_error *err)
{
	awsb *b = self;
	const awsplan *p = b->cfg.plan;
	if (b->next_timeline >= p->n || p->calls[b->next_timeline].phase != AWSPLAN_TIMELINE)
		return sim_error_set(err, SIM_ERUNTIME, a->pos.file, a->pos.line, a->pos.col,
		    a->pos.path, "the AWS plan has no call for %s", a->call);
	const awsplan_call *c = &p->calls[b->next_timeline++];
	char name[120];
	snprintf(name, sizeof(name), "%s:%s", c->service, c->op);
	SIM_ASSERT(strcmp(name, a->call) == 0);
	int rc = awsb_send(b, c, NULL, err);
	if (rc != 0) {
		/* Say where the call is in the scenario. */
		char msg[sizeof(err->msg)];
		snprintf(msg, sizeof(msg), "%s", err->msg);
		return sim_error_set(err, SIM_ERUNTIME, a->pos.file, a->pos.line,
		    a->pos.col, a->pos.path, "%s", msg);
	}
	return 0;
}

static int
aws_describe(void *self, const char *what, char **out_json, sim_error *err)
{
	awsb *b = self;
	const awsplan *p = b->cfg.plan;
	if (strcmp(what, "services") != 0 || p->nsvcs == 0) {
		*out_json = NULL;
		return 0;
	}
	cJSON *in = cJSON_CreateObject();
	cJSON_AddStringToObject(in, "cluster", p->svcs[0].cluster);
	cJSON *names = cJSON_AddArrayToObject(in, "services");
	for (int i = 0; i < p->nsvcs; i++)
		if (strcmp(p->svcs[i].cluster, p->svcs[0].cluster) == 0)
			cJSON_AddItemToArray(names, cJSON_CreateString(p->svcs[i].name));
	awsc_result res;
	int rc = call_json(b, "ecs", "DescribeServices", in, &res, err);
	*out_json = rc == 0 ? cJSON_PrintUnformatted(res.json) : NULL;
	awsc_result_fini(&res);
	cJSON_Delete(in);
	return rc;
}

static void
aws_close(void *self)
{
	(void)self; /* the caller frees with awsb_free */
}

const backend_ops awsb_ops = {"aws", aws_apply, aws_advance, aws_describe, aws_close, NULL};

void
awsb_finish(awsb *b)
{
	if (!b->started)
		return;
	sim_time now = awsb_now(b);
	poll_once(b, now);
	awsobs_finish(b->obs, now);
	if (b->poll_failures)
		logf_(b, "%d observation calls failed (the series have gaps there)",
		    b->poll_failures);
}

/* The poll interval in wall time. */
static sim_time
poll_wall(const awsb *b)
{
	return (sim_time)((double)b->cfg.poll / b->cfg.clock);
}

/* Poll DescribeServices until the service is INACTIVE or gone (at most
 * 15 minutes of wall time). */
static int
wait_inactive(awsb *b, const awsplan_call *c, sim_error *err)
{
	double deadline = b->cfg.now(b->cfg.ctx) + 900;
	for (;;) {
		awsc_result res;
		int rc = call_json(b, c->service, c->op, c->input, &res, err);
		if (rc == 0) {
			const cJSON *v = awsplan_at(res.json, c->wait_path);
			bool done = v == NULL || (cJSON_IsString(v) &&
			    strcmp(v->valuestring, c->wait_value) == 0);
			awsc_result_fini(&res);
			if (done)
				return 0;
		} else {
			awsc_result_fini(&res);
			return rc;
		}
		if (b->cfg.now(b->cfg.ctx) > deadline)
			return sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "%s:%s: still not %s after 15 minutes", c->service, c->op,
			    c->wait_value);
		b->cfg.sleep_us(b->cfg.ctx, poll_wall(b));
	}
}

/* Errors of a deletion that waits on another one still under way (a
 * target group still used by a load balancer being deleted, a cluster
 * whose services are still draining): tried again. */
static bool
busy(const char *code)
{
	static const char *const codes[] = {"ResourceInUse", "ResourceInUseException",
	    "ClusterContainsServicesException", "ClusterContainsTasksException",
	    "ConcurrentUpdateException"};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

/* Errors saying the thing is already gone (the timeline deleted it):
 * the cleanup's goal is reached. */
static bool
gone(const char *code)
{
	static const char *const codes[] = {"ServiceNotFoundException",
	    "ServiceNotActiveException", "ClusterNotFoundException",
	    "TargetGroupNotFound", "LoadBalancerNotFound", "ListenerNotFound",
	    "ObjectNotFoundException", "ResourceNotFound", "ResourceNotFoundException"};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

#define CLEANUP_TRIES 10

int
awsb_cleanup(awsb *b)
{
	const awsplan *p = b->cfg.plan;
	int failed = 0;
	for (size_t i = 0; i < p->n; i++) {
		const awsplan_call *c = &p->calls[i];
		if (c->phase != AWSPLAN_CLEANUP)
			continue;
		sim_error err;
		sim_error_clear(&err);
		bool skipped;
		int rc;
		if (c->wait_path[0]) {
			skipped = c->requires[0] && awsplan_refs_get(&b->refs, c->requires) == NULL;
			rc = skipped ? 0 : wait_inactive(b, c, &err);
		} else {
			rc = awsb_send(b, c, &skipped, &err);
			for (int k = 1; rc != 0 && busy(b->last_code) && k < CLEANUP_TRIES; k++) {
				b->cfg.sleep_us(b->cfg.ctx, poll_wall(b));
				sim_error_clear(&err);
				rc = awsb_send(b, c, &skipped, &err);
			}
			if (rc != 0 && gone(b->last_code)) {
				logf_(b, "cleanup: %s:%s: already gone", c->service, c->op);
				rc = 0;
			}
		}
		if (rc != 0) {
			failed++;
			logf_(b, "cleanup: %s (delete it by hand)", err.msg);
		}
	}
	return failed;
}
