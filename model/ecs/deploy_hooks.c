/*
 * deploy_hooks — lifecycle hooks and what their Lambda functions do (see
 * deploy_hooks.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ecs/deploy_cfg.h"
#include "model/ecs/deploy_hooks.h"
#include "sim/xalloc.h"

/* ---------------------------------------------------------------- */
/* The section.                                                      */

typedef enum fn_result {
	FN_SUCCEEDED,
	FN_FAILED,
	FN_ERROR,
	FN_IN_PROGRESS,
} fn_result;

typedef struct lambda_fn {
	const char *name;          /* function name (of the key or ARN) */
	dist duration;             /* one invocation */
	fn_result result;
	int in_progress;           /* IN_PROGRESS answers before the result */
	sim_time callback;         /* callBackDelay */
} lambda_fn;

struct hk_cfg {
	lambda_fn *fns;
	int n;
};

/* The name of a function reference: NAME of
 * arn:aws:lambda:R:A:function:NAME[:QUALIFIER], else up to a ':'. */
static const char *
fn_name(arena *a, const char *ref)
{
	const char *p = strstr(ref, ":function:");
	p = strncmp(ref, "arn:", 4) == 0 && p ? p + strlen(":function:") : ref;
	size_t n = strcspn(p, ":");
	return arena_printf(a, "%.*s", (int)n, p);
}

static const char *const results[] = {"SUCCEEDED", "FAILED", "ERROR", "IN_PROGRESS"};

int
hk_parse_lambda(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	jr_obj o;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	int n = jr_member_count(&o);
	struct hk_cfg *h = ARENA_NEW(c->a, struct hk_cfg);
	h->fns = ARENA_ARRAY(c->a, lambda_fn, (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		jr_val e, x;
		jr_obj fo;
		int k = 0;
		jr_member(&o, i, &e);
		lambda_fn *f = &h->fns[h->n];
		const char *key = e.node->string;
		f->name = fn_name(c->a, key);
		for (int j = 0; j < h->n; j++)
			if (strcmp(h->fns[j].name, f->name) == 0)
				return jr_fail(&e, err, "function \"%s\" is described twice", f->name);
		f->duration = dist_constant(SIM_SEC);
		f->callback = 30 * SIM_SEC;     /* [DOC] default callback delay */
		int cb = 30;
		if ((rc = jr_object(&e, &fo, err)))
			return rc;
		if (jr_get(&fo, "duration", &x) && (rc = dist_parse(&x, &f->duration, err)))
			return rc;
		if ((rc = jr_opt_enum(&fo, "hookStatus", results, 4, 0, &k, err)) ||
		    (rc = jr_opt_int32(&fo, "inProgress", 0, 100000, 0, &f->in_progress, err)) ||
		    (rc = jr_opt_int32(&fo, "callBackDelay", 1, 86400, 30, &cb, err)))
			return rc;
		f->result = (fn_result)k;
		f->callback = (sim_time)cb * SIM_SEC;
		jr_ignore(&fo, "comment");
		if ((rc = jr_done(&fo, err)))
			return rc;
		h->n++;
	}
	c->lambda = h;
	return jr_done(&o, err);
}

static lambda_fn builtin_fn = {"", {DIST_CONSTANT, SIM_SEC, SIM_SEC, 0}, FN_SUCCEEDED, 0, 30 * SIM_SEC};

static const lambda_fn *
find_fn(model *m, const char *ref)
{
	const struct hk_cfg *h = m->cfg->lambda;
	if (h == NULL || ref == NULL)
		return &builtin_fn;
	const char *p = strstr(ref, ":function:");
	p = strncmp(ref, "arn:", 4) == 0 && p ? p + strlen(":function:") : ref;
	size_t n = strcspn(p, ":");
	for (int i = 0; i < h->n; i++)
		if (strlen(h->fns[i].name) == n && strncmp(h->fns[i].name, p, n) == 0)
			return &h->fns[i];
	return &builtin_fn;
}

/* ---------------------------------------------------------------- */
/* Running hooks.                                                    */

typedef enum hk_status {
	HK_IN_PROGRESS,
	HK_AWAITING_ACTION,
	HK_SUCCEEDED,
	HK_FAILED,
	HK_TIMED_OUT,
} hk_status;

static const char *const status_names[] = {
	"IN_PROGRESS", "AWAITING_ACTION", "SUCCEEDED", "FAILED", "TIMED_OUT",
};
/* CodeDeploy's lifecycle event statuses */
static const char *const cd_status_names[] = {
	"InProgress", "InProgress", "Succeeded", "Failed", "Failed",
};

typedef struct hk_run {
	hk_batch *b;
	const char *stage;        /* stage or CodeDeploy event name */
	bool pause;
	bool codedeploy;
	const char *target;       /* Lambda ARN or name; NULL for PAUSE */
	const lambda_fn *fn;
	char id[40];              /* hookId */
	hk_status status;
	bool finished;
	int invocations;
	int in_progress_left;
	bool timeout_rollback;
	evq_handle ev;            /* the function's answer */
	evq_handle timeout_ev;
	rec_fact *fact;
} hk_run;

struct hk_batch {
	deployment *d;
	service *s;
	hk_run **runs;
	int n;
	int left;                 /* runs not finished */
	bool proceed;
	const char *why;
	bool cancelled;
	bool reported;
	hk_done_fn done;
	void *ctx;
	evq_handle ev;            /* the done call */
	hk_batch *next;           /* model's registry */
};

struct hk_registry {
	hk_batch *head;
};

static void
registry_add(model *m, hk_batch *b)
{
	if (m->hooks == NULL)
		m->hooks = arena_calloc(m->a, 1, sizeof(*m->hooks));
	b->next = m->hooks->head;
	m->hooks->head = b;
}

static void
registry_remove(model *m, hk_batch *b)
{
	if (m->hooks == NULL)
		return;
	for (hk_batch **pp = &m->hooks->head; *pp; pp = &(*pp)->next)
		if (*pp == b) {
			*pp = b->next;
			return;
		}
}

static void batch_done_ev(engine *e, void *obj, uint64_t arg);
static void run_answer(engine *e, void *obj, uint64_t arg);
static void invoke(hk_run *r);
static void run_timeout(engine *e, void *obj, uint64_t arg);

/* "lifecycle hook STAGE TYPE (hook ID): DETAIL" in the event log. */
static void
hook_event(hk_run *r, const char *detail)
{
	service *s = r->b->s;
	model *m = s->m;
	char *src = xasprintf("service/%s", s->name);
	rec_event_add(m->rec, eng_now(m->eng), src, "hook", "lifecycle hook %s %s (hook %s): %s",
	    r->stage, r->pause ? "PAUSE" : r->codedeploy ? "CodeDeploy Lambda" : "AWS_LAMBDA",
	    r->id, detail);
	free(src);
}

static const char *
run_status_name(const hk_run *r)
{
	return r->codedeploy ? cd_status_names[r->status] : status_names[r->status];
}

static void
set_status(hk_run *r, hk_status st)
{
	model *m = r->b->s->m;
	r->status = st;
	rec_fact_str(r->fact, "status", run_status_name(r));
	if (st >= HK_SUCCEEDED) {
		r->finished = true;
		rec_fact_time(r->fact, "end", eng_now(m->eng));
	}
	hook_event(r, run_status_name(r));
}

/* A run finished: with all of its batch, or at the first that rolls
 * back, the batch reports. */
static void
run_finished(hk_run *r, bool proceed, const char *why)
{
	hk_batch *b = r->b;
	model *m = b->s->m;
	eng_cancel_clear(m->eng, &r->ev);
	eng_cancel_clear(m->eng, &r->timeout_ev);
	b->left--;
	if (!proceed && b->proceed) {
		b->proceed = false;
		b->why = why;
	}
	if ((b->left == 0 || !b->proceed) && !b->reported) {
		b->reported = true;
		b->ev = eng_after(m->eng, 0, batch_done_ev, b, 0);
	}
}

static void
batch_done_ev(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	hk_batch *b = obj;
	b->ev = EVQ_NONE;
	model *m = b->s->m;
	/* runs still going when another rolled back end where they are */
	for (int i = 0; i < b->n; i++) {
		hk_run *r = b->runs[i];
		eng_cancel_clear(m->eng, &r->ev);
		eng_cancel_clear(m->eng, &r->timeout_ev);
	}
	registry_remove(m, b);
	if (!b->cancelled)
		b->done(b->ctx, b->proceed, b->why);
}

/* Invoke the Lambda function of r (again). */
static void
invoke(hk_run *r)
{
	service *s = r->b->s;
	model *m = s->m;
	r->invocations++;
	rec_fact_int(r->fact, "invocations", r->invocations);
	/* one stream per (hook, invocation): draws do not depend on others */
	rng *g = rng_new(m->seed, "lifecycle.hook",
	    rng_fnv1a64(r->id) * UINT64_C(1000003) + (uint64_t)r->invocations);
	sim_time d = dist_draw(&r->fn->duration, g);
	rng_free(g);
	r->ev = eng_after(m->eng, d, run_answer, r, 0);
}

static void
run_reinvoke(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	hk_run *r = obj;
	r->ev = EVQ_NONE;
	if (!r->finished)
		invoke(r);
}

static void
run_answer(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	hk_run *r = obj;
	model *m = r->b->s->m;
	r->ev = EVQ_NONE;
	if (r->finished)
		return;
	const lambda_fn *f = r->fn;
	if (r->in_progress_left > 0 || f->result == FN_IN_PROGRESS) {
		if (r->in_progress_left > 0)
			r->in_progress_left--;
		if (r->codedeploy) {
			/* the function has not reported yet: it reports later */
			r->ev = eng_after(m->eng, f->callback, run_answer, r, 0);
			return;
		}
		/* [DOC] IN_PROGRESS: invoked again after callBackDelay */
		hook_event(r, "hookStatus IN_PROGRESS");
		r->ev = eng_after(m->eng, f->callback, run_reinvoke, r, 0);
		return;
	}
	switch (f->result) {
	case FN_SUCCEEDED:
		set_status(r, HK_SUCCEEDED);
		run_finished(r, true, NULL);
		break;
	case FN_FAILED:
		set_status(r, HK_FAILED);
		run_finished(r, false, arena_printf(m->a, "lifecycle hook %s at %s returned FAILED",
		    r->target, r->stage));
		break;
	default:
		/* [DOC] a function error or no valid hookStatus rolls back */
		set_status(r, HK_FAILED);
		run_finished(r, false, arena_printf(m->a, "lifecycle hook %s at %s failed (function error)",
		    r->target, r->stage));
		break;
	}
}

static void
run_timeout(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	hk_run *r = obj;
	model *m = r->b->s->m;
	r->timeout_ev = EVQ_NONE;
	if (r->finished)
		return;
	set_status(r, HK_TIMED_OUT);
	rec_fact_str(r->fact, "timeoutAction", r->timeout_rollback ? "ROLLBACK" : "CONTINUE");
	run_finished(r, !r->timeout_rollback, arena_printf(m->a, "lifecycle hook %s at %s timed out",
	    r->pause ? "PAUSE" : r->target, r->stage));
}

static hk_batch *
batch_new(deployment *d, hk_done_fn done, void *ctx, int n)
{
	model *m = d->svc->m;
	hk_batch *b = arena_calloc(m->a, 1, sizeof(*b));
	b->d = d;
	b->s = d->svc;
	b->done = done;
	b->ctx = ctx;
	b->proceed = true;
	b->runs = arena_calloc(m->a, (size_t)n, sizeof(*b->runs));
	registry_add(m, b);
	return b;
}

static hk_run *
run_start(hk_batch *b, const char *stage, bool pause, const char *target,
    sim_time timeout, bool timeout_rollback, bool codedeploy)
{
	service *s = b->s;
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	hk_run *r = arena_calloc(m->a, 1, sizeof(*r));
	r->b = b;
	r->stage = stage;
	r->pause = pause;
	r->codedeploy = codedeploy;
	r->target = target;
	r->fn = pause ? NULL : find_fn(m, target);
	r->timeout_rollback = timeout_rollback;
	model_make_hex_id(m, "lifecycle-hook", r->id, 32);
	b->runs[b->n++] = r;
	b->left++;
	rec_fact *f = r->fact = rec_fact_new(m->rec, "lifecycle_hook");
	rec_fact_str(f, "service", s->name);
	rec_fact_str(f, "deployment", b->d->id);
	rec_fact_str(f, "stage", stage);
	rec_fact_str(f, "targetType", pause ? "PAUSE" : "AWS_LAMBDA");
	rec_fact_str(f, "hookTargetArn", target ? target : "");
	rec_fact_str(f, "hookId", r->id);
	rec_fact_time(f, "start", now);
	rec_fact_time(f, "expiresAt", now + timeout);
	rec_fact_str(f, "timeoutAction", timeout_rollback ? "ROLLBACK" : "CONTINUE");
	rec_fact_int(f, "invocations", 0);
	if (pause) {
		set_status(r, HK_AWAITING_ACTION);
	} else {
		r->in_progress_left = r->fn->in_progress;
		set_status(r, HK_IN_PROGRESS);
		invoke(r);
	}
	r->timeout_ev = eng_after(m->eng, timeout, run_timeout, r, 0);
	return r;
}

hk_batch *
hk_run_ecs(deployment *d, lc_stage stage, const lifecycle_hook *hooks, int n,
    hk_done_fn done, void *ctx)
{
	int count = 0;
	unsigned bit = 1u << (unsigned)stage;
	for (int i = 0; i < n; i++)
		count += (hooks[i].stages & bit) != 0;
	if (count == 0)
		return NULL;
	hk_batch *b = batch_new(d, done, ctx, count);
	for (int i = 0; i < n; i++)
		if ((hooks[i].stages & bit) != 0)
			run_start(b, dcfg_stage_name(stage), hooks[i].pause, hooks[i].target_arn,
			    hooks[i].timeout, hooks[i].timeout_rollback, false);
	return b;
}

void
hk_mark_rollback(hk_batch *b)
{
	for (int i = 0; i < b->n; i++)
		rec_fact_bool(b->runs[i]->fact, "duringRollback", true);
}

hk_batch *
hk_run_codedeploy(deployment *d, const char *event, const char *function,
    hk_done_fn done, void *ctx)
{
	if (function == NULL)
		return NULL;
	hk_batch *b = batch_new(d, done, ctx, 1);
	/* [DOC] a hook must report within 1 hour or the deployment fails */
	run_start(b, event, false, function, SIM_HOUR, true, true);
	return b;
}

void
hk_cancel(hk_batch *b)
{
	if (b == NULL)
		return;
	model *m = b->s->m;
	b->cancelled = true;
	for (int i = 0; i < b->n; i++) {
		hk_run *r = b->runs[i];
		eng_cancel_clear(m->eng, &r->ev);
		eng_cancel_clear(m->eng, &r->timeout_ev);
		if (!r->finished)
			rec_fact_time(r->fact, "end", eng_now(m->eng));
		r->finished = true;
	}
	if (!b->reported) {
		b->reported = true;
		registry_remove(m, b);
	}
}

const char *
hk_continue(service *s, const char *hook_id, bool rollback)
{
	model *m = s->m;
	hk_run *found = NULL;
	int paused = 0;
	for (hk_batch *b = m->hooks ? m->hooks->head : NULL; b; b = b->next) {
		if (b->s != s || b->cancelled)
			continue;
		for (int i = 0; i < b->n; i++) {
			hk_run *r = b->runs[i];
			if (!r->pause || r->finished)
				continue;
			paused++;
			if (hook_id == NULL || strcmp(hook_id, r->id) == 0)
				found = r;
		}
	}
	if (paused == 0)
		return "no lifecycle hook of the service is AWAITING_ACTION";
	if (found == NULL)
		return "no paused lifecycle hook has that hookId";
	if (hook_id == NULL && paused > 1)
		return "several lifecycle hooks are AWAITING_ACTION: name one with hookId";
	set_status(found, rollback ? HK_FAILED : HK_SUCCEEDED);
	rec_fact_str(found->fact, "action", rollback ? "ROLLBACK" : "CONTINUE");
	run_finished(found, !rollback, arena_printf(m->a,
	    "ContinueServiceDeployment ROLLBACK at %s", found->stage));
	return NULL;
}

void
hk_free(model *m)
{
	(void)m; /* everything lives in the model's arena */
}

void
hk_assume(model *m)
{
	rec_assume(m->rec, "lambda.undescribedFunction", "SUCCEEDED after 1s", "INF",
	    "a lifecycle hook's Lambda function that the lambdaFunctions section does not describe returns SUCCEEDED after 1 second");
}
