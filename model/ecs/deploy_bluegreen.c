/*
 * deploy_bluegreen — the stage machine of ECS-native blue/green, linear
 * and canary deployments (see deploy_bluegreen.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/ecs/deploy.h"
#include "model/ecs/deploy_alarms.h"
#include "model/ecs/deploy_bluegreen.h"
#include "model/ecs/deploy_cfg.h"
#include "model/ecs/deploy_hooks.h"

typedef enum bg_wait {
	W_NONE,
	W_RECONCILE,   /* older revisions scaling to 0 */
	W_SCALE_UP,    /* green becoming healthy */
	W_CLEAN_UP,    /* blue's tasks stopping */
	W_HOOKS,       /* the stage's hooks */
	W_TIMER,       /* a bake */
	W_RB_HOOKS,    /* a rollback's traffic-shift hooks */
	W_ROLLBACK,    /* green's tasks stopping after a rollback */
} bg_wait;

struct bg_run {
	service *s;
	deployment *green, *blue;
	lc_stage stage;
	rec_fact *sf;             /* the current stage's record */
	sim_time stage_start;
	int step, nsteps;         /* production shifts done, in all */
	enum { P_PRE, P_SHIFT, P_AFTER } phase; /* within a shift step */
	enum { RB_PROD, RB_TEST, RB_SCALE } rb_phase; /* within a rollback */
	bool reconciled;
	bool rolling_back;
	bg_wait wait;
	hk_batch *hooks;
	evq_handle ev;
	bool finished;
};

static void enter(struct bg_run *b, lc_stage st);
static void advance(struct bg_run *b);

int
bg_linear_shifts(double step)
{
	/* in tenths of a percent, exactly: [DOC] multiples of 0.1 */
	long t = lround(step * 10.0);
	return (int)((1000 + t - 1) / t);
}

/* Production percent of the green revision after shift k (1-based). */
static double
shift_pct(const struct bg_run *b, int k)
{
	const deploy_cfg *dc = &b->green->dc;
	switch (dc->strategy) {
	case STRAT_CANARY:
		return k < b->nsteps ? dc->canary_pct : 100.0;
	case STRAT_LINEAR: {
		long t = lround(dc->linear_step * 10.0) * k;
		return t >= 1000 ? 100.0 : (double)t / 10.0;
	}
	default:
		return 100.0;
	}
}

/* The bake after shift k (none after the last). */
static sim_time
step_bake(const struct bg_run *b)
{
	const deploy_cfg *dc = &b->green->dc;
	return dc->strategy == STRAT_CANARY ? dc->canary_bake :
	    dc->strategy == STRAT_LINEAR ? dc->linear_bake : 0;
}

/* "deployment ID: lifecycle stage NAME" in the event log. */
static void
note_stage(struct bg_run *b, const char *name)
{
	model *m = b->s->m;
	char *src = arena_printf(m->a, "service/%s", b->s->name);
	rec_event_add(m->rec, eng_now(m->eng), src, "deployment", "deployment %s: lifecycle stage %s",
	    b->green->id, name);
}

static void
close_stage(struct bg_run *b)
{
	if (b->sf == NULL)
		return;
	model *m = b->s->m;
	sim_time now = eng_now(m->eng);
	rec_fact_time(b->sf, "end", now);
	rec_fact_time(b->sf, "duration", now - b->stage_start);
	double w = dpl_weight_of(b->green);
	rec_fact_num(b->sf, "productionPercent", w < 0 ? 0 : w);
	b->sf = NULL;
}

static void
open_stage(struct bg_run *b, const char *name)
{
	model *m = b->s->m;
	close_stage(b);
	rec_fact *f = b->sf = rec_fact_new(m->rec, "deployment_stage");
	rec_fact_str(f, "service", b->s->name);
	rec_fact_str(f, "deployment", b->green->id);
	rec_fact_str(f, "taskDefinition", arena_printf(m->a, "%s:%d", b->green->td->family, b->green->td->revision));
	rec_fact_str(f, "strategy", dcfg_strategy_name(b->green->dc.strategy));
	rec_fact_str(f, "stage", name);
	b->stage_start = eng_now(m->eng);
	rec_fact_time(f, "start", b->stage_start);
	rec_fact_str(b->green->fact, "lifecycleStage", name);
	note_stage(b, name);
}

static void
on_hooks(void *ctx, bool proceed, const char *why)
{
	struct bg_run *b = ctx;
	b->hooks = NULL;
	b->wait = W_NONE;
	if (!proceed) {
		/* [DOC] a failed hook rolls the deployment back */
		bg_fail(b->green, arena_printf(b->s->m->a, "lifecycle hook failed (%s)", why),
		    arena_printf(b->s->m->a, "ECS deployment %s: %s.", b->green->id, why), true);
		return;
	}
	advance(b);
}

/* Run the hooks of stage st; true when some run (advance follows them). */
static bool
run_hooks(struct bg_run *b, lc_stage st)
{
	const deploy_cfg *dc = &b->green->dc;
	b->hooks = hk_run_ecs(b->green, st, dc->hooks, dc->nhooks, on_hooks, b);
	if (b->hooks == NULL)
		return false;
	b->wait = W_HOOKS;
	return true;
}

static void
timer_fired(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	struct bg_run *b = obj;
	b->ev = EVQ_NONE;
	b->wait = W_NONE;
	advance(b);
}

static void
start_timer(struct bg_run *b, sim_time d)
{
	model *m = b->s->m;
	b->wait = W_TIMER;
	b->ev = eng_after(m->eng, d, timer_fired, b, 0);
}

/* Production and test traffic: green's slot gets prod (test) percent. */
static void
shift(struct bg_run *b, double prod, double test, const char *why)
{
	int g = b->green->slot;
	double p[2], t[2];
	/* test traffic exists where a binding names a test listener rule */
	bool has_test = false;
	for (int i = 0; i < b->s->cfg.nlbs; i++)
		has_test |= b->s->cfg.lbs[i].test_rule != NULL;
	if (!has_test)
		test = 0;
	p[g] = prod;
	p[1 - g] = 100.0 - prod;
	t[g] = test;
	t[1 - g] = 100.0 - test;
	dpl_shift(b->s, p[0], p[1], t[0], t[1], false, why);
}

/* One step of the production shift: PRE hooks, the shift, its hooks,
 * then its bake (none after the last); resumed by advance after hooks
 * and timers. */
static void
prod_next(struct bg_run *b)
{
	model *m = b->s->m;
	for (;;) {
		switch (b->phase) {
		case P_PRE:
			b->phase = P_SHIFT;
			if (run_hooks(b, LC_PRE_PRODUCTION_TRAFFIC_SHIFT))
				return;
			break;
		case P_SHIFT:
			b->step++;
			b->phase = P_AFTER;
			shift(b, shift_pct(b, b->step), 100.0, arena_printf(m->a, "%s step %d of %d",
			    dcfg_stage_name(LC_PRODUCTION_TRAFFIC_SHIFT), b->step, b->nsteps));
			if (run_hooks(b, LC_PRODUCTION_TRAFFIC_SHIFT))
				return;
			break;
		case P_AFTER:
			if (b->step < b->nsteps) {
				b->phase = P_PRE;
				sim_time bake = step_bake(b);
				if (bake > 0) {
					start_timer(b, bake);
					return;
				}
				break;
			}
			enter(b, LC_POST_PRODUCTION_TRAFFIC_SHIFT);
			return;
		}
	}
}

static lc_stage
next_stage(lc_stage st)
{
	switch (st) {
	case LC_RECONCILE_SERVICE: return LC_PRE_SCALE_UP;
	case LC_PRE_SCALE_UP: return LC_SCALE_UP;
	case LC_SCALE_UP: return LC_POST_SCALE_UP;
	case LC_POST_SCALE_UP: return LC_TEST_TRAFFIC_SHIFT;
	case LC_TEST_TRAFFIC_SHIFT: return LC_POST_TEST_TRAFFIC_SHIFT;
	case LC_POST_TEST_TRAFFIC_SHIFT: return LC_PRODUCTION_TRAFFIC_SHIFT;
	case LC_PRE_PRODUCTION_TRAFFIC_SHIFT: return LC_PRODUCTION_TRAFFIC_SHIFT;
	case LC_PRODUCTION_TRAFFIC_SHIFT: return LC_POST_PRODUCTION_TRAFFIC_SHIFT;
	case LC_POST_PRODUCTION_TRAFFIC_SHIFT: return LC_BAKE_TIME;
	case LC_BAKE_TIME: return LC_CLEAN_UP;
	default: return LC_NSTAGES;
	}
}

static void
complete(struct bg_run *b)
{
	service *s = b->s;
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	deployment *g = b->green;
	close_stage(b);
	b->finished = true;
	b->wait = W_NONE;
	g->rollout = ROLLOUT_COMPLETED;
	g->finished_at = now;
	g->reason = arena_printf(m->a, "ECS deployment %s completed.", g->id);
	rec_fact_str(g->fact, "rolloutState", "COMPLETED");
	rec_fact_str(g->fact, "serviceDeploymentStatus", "SUCCESSFUL");
	rec_fact_time(g->fact, "end", now);
	rec_fact_time(g->fact, "duration", now - g->created_at);
	sev_emit(s, "(service %s) (deployment %s) deployment completed.", s->name, g->id);
	/* the green revision is production now; the rolling scheduler keeps it */
	for (deployment *d = s->deps, *next; d; d = next) {
		next = d->next;
		d->want = -1;
		if (d != g) {
			d->status = DEP_INACTIVE;
			if (d->ntasks == 0)
				dpl_unlink(s, d);
		}
	}
	dal_unwatch(g->watch);
	g->watch = NULL;
	svc_kick(s);
}

static void
enter(struct bg_run *b, lc_stage st)
{
	service *s = b->s;
	if (b->finished)
		return;
	if (st == LC_NSTAGES) {
		complete(b);
		return;
	}
	b->stage = st;
	b->wait = W_NONE;
	open_stage(b, dcfg_stage_name(st));
	switch (st) {
	case LC_RECONCILE_SERVICE:
		/* [INF] revisions other than blue and green scale to 0 */
		for (deployment *d = s->deps; d; d = d->next)
			if (d != b->green && d != b->blue)
				d->want = 0;
		b->wait = W_RECONCILE;
		svc_kick(s);
		return;
	case LC_SCALE_UP:
		/* [DOC] green scales up to 100 % of the desired count */
		b->green->want = s->desired;
		b->wait = W_SCALE_UP;
		svc_kick(s);
		return;
	case LC_TEST_TRAFFIC_SHIFT:
		/* [DOC] test traffic 0 -> 100 % to green */
		shift(b, 0, 100.0, dcfg_stage_name(st));
		if (run_hooks(b, st))
			return;
		break;
	case LC_PRODUCTION_TRAFFIC_SHIFT:
		b->step = 0;
		b->phase = P_PRE;
		prod_next(b);
		return;
	case LC_BAKE_TIME: {
		const deploy_cfg *dc = &b->green->dc;
		sim_time bake = dc->has_bake ? dc->bake_time : dpl_params_of(s->m->cfg)->bake_default;
		if (bake > 0) {
			start_timer(b, bake);
			return;
		}
		break;
	}
	case LC_CLEAN_UP:
		/* [DOC] blue scales down to 0 running tasks */
		b->blue->want = 0;
		b->wait = W_CLEAN_UP;
		svc_kick(s);
		return;
	default:
		if (run_hooks(b, st))
			return;
		break;
	}
	advance(b);
}

static void
advance(struct bg_run *b)
{
	if (b->finished)
		return;
	if (b->stage == LC_PRODUCTION_TRAFFIC_SHIFT) {
		prod_next(b);
		return;
	}
	if (b->stage == LC_RECONCILE_SERVICE && !b->reconciled) {
		b->reconciled = true;
		if (run_hooks(b, LC_RECONCILE_SERVICE))
			return;
	}
	enter(b, next_stage(b->stage));
}

void
bg_start(service *s, deployment *green, deployment *blue)
{
	model *m = s->m;
	/* [INF] the revision with the most production traffic is blue; with
	 * more than one older revision holding tasks, RECONCILE_SERVICE */
	int older = 0;
	for (deployment *d = green->next; d; d = d->next) {
		if (d->ntasks > 0 || d->want > 0)
			older++;
		if (dpl_weight_of(d) > dpl_weight_of(blue))
			blue = d;
	}
	struct bg_run *b = arena_calloc(m->a, 1, sizeof(*b));
	b->s = s;
	b->green = green;
	b->blue = blue;
	green->bg = b;
	green->slot = 1 - blue->slot;
	green->want = 0;
	for (deployment *d = green->next; d; d = d->next) {
		if (d->bg != NULL && d->bg != b) {
			d->bg->finished = true;
			hk_cancel(d->bg->hooks);
			eng_cancel_clear(m->eng, &d->bg->ev);
			close_stage(d->bg);
		}
		/* older revisions keep what they have, blue its full size */
		d->want = d == blue ? s->desired : d->ntasks;
	}
	const deploy_cfg *dc = &green->dc;
	b->nsteps = dc->strategy == STRAT_LINEAR ? bg_linear_shifts(dc->linear_step) :
	    dc->strategy == STRAT_CANARY && dc->canary_pct < 100.0 ? 2 : 1;
	rec_fact_str(green->fact, "serviceDeploymentStatus", "IN_PROGRESS");
	rec_fact_int(green->fact, "productionShifts", b->nsteps);
	/* the rule forwards to blue alone until the shift */
	if (dpl_weight_of(blue) < 0 || dpl_weight_of(blue) < 100.0) {
		double p[2] = {0, 0};
		p[blue->slot] = 100.0;
		dpl_shift(s, p[0], p[1], p[0], p[1], false, "blue/green deployment start");
	}
	enter(b, older > 1 ? LC_RECONCILE_SERVICE : LC_PRE_SCALE_UP);
}

/* Tasks of d that it keeps (not stopping), and how many are healthy. */
static void
count(const service *s, const deployment *d, int *n, int *healthy)
{
	*n = *healthy = 0;
	for (const task *t = s->tasks; t; t = t->next)
		if (t->dep == d && !t->desired_stopped) {
			(*n)++;
			*healthy += task_is_healthy(t);
		}
}

static void
rollback_done(struct bg_run *b)
{
	service *s = b->s;
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	deployment *bl = b->blue;
	close_stage(b);
	b->finished = true;
	b->wait = W_NONE;
	bl->rollout = ROLLOUT_COMPLETED;
	bl->finished_at = now;
	bl->reason = arena_printf(m->a, "ECS deployment %s completed.", bl->id);
	rec_fact_str(bl->fact, "rolloutState", "COMPLETED");
	rec_fact_time(bl->fact, "end", now);
	rec_fact_time(bl->fact, "duration", now - bl->created_at);
	rec_fact_str(b->green->fact, "serviceDeploymentStatus", "ROLLBACK_SUCCESSFUL");
	sev_emit(s, "(service %s) (deployment %s) deployment completed.", s->name, bl->id);
	for (deployment *d = s->deps, *next; d; d = next) {
		next = d->next;
		d->want = -1;
		if (d != bl && d->ntasks == 0)
			dpl_unlink(s, d);
	}
	svc_kick(s);
}

void
bg_progress(service *s)
{
	for (deployment *d = s->deps; d; d = d->next) {
		struct bg_run *b = d->bg;
		if (b == NULL || b->finished || b->green != d)
			continue;
		int n, h;
		switch (b->wait) {
		case W_RECONCILE: {
			bool left = false;
			for (deployment *x = s->deps; x; x = x->next)
				left |= x != b->green && x != b->blue && x->ntasks > 0;
			if (!left) {
				b->wait = W_NONE;
				advance(b);
			}
			break;
		}
		case W_SCALE_UP:
			count(s, b->green, &n, &h);
			if (h >= b->green->want && n == h) {
				b->wait = W_NONE;
				advance(b);
			}
			break;
		case W_CLEAN_UP:
			if (b->blue->ntasks == 0)
				complete(b);
			break;
		case W_ROLLBACK:
			count(s, b->blue, &n, &h);
			if (b->green->ntasks == 0 && h >= b->blue->want && n == h)
				rollback_done(b);
			break;
		default:
			break;
		}
		return;
	}
}

void
bg_desired_changed(service *s)
{
	for (deployment *d = s->deps; d; d = d->next) {
		struct bg_run *b = d->bg;
		if (b == NULL || b->finished || b->green != d)
			continue;
		/* revisions at full size follow the desired count */
		if (b->rolling_back || b->stage < LC_CLEAN_UP)
			b->blue->want = s->desired;
		if (!b->rolling_back && b->stage >= LC_SCALE_UP)
			b->green->want = s->desired;
		svc_kick(s);
		return;
	}
}

static void rollback_next(struct bg_run *b);

static void
on_rollback_hooks(void *ctx, bool proceed, const char *why)
{
	struct bg_run *b = ctx;
	(void)why;
	b->hooks = NULL;
	b->wait = W_NONE;
	/* [INF] a rollback is not itself rolled back: a hook that fails or
	 * times out during one is recorded and the rollback goes on */
	(void)proceed;
	rollback_next(b);
}

/* [DOC] deployment-lifecycle-hooks.html: "When a roll back happens,
 * Amazon ECS runs the lifecycle hooks for the following lifecycle
 * stages: PRODUCTION_TRAFFIC_SHIFT, TEST_TRAFFIC_SHIFT". [INF] in that
 * order, each after its traffic is back on blue, each only when green had
 * some of that traffic; green scales to 0 after them. */
static void
rollback_next(struct bg_run *b)
{
	service *s = b->s;
	const deploy_cfg *dc = &b->green->dc;
	int g = b->green->slot;
	for (;;) {
		switch (b->rb_phase) {
		case RB_PROD:
			b->rb_phase = RB_TEST;
			if (s->prod_w[g] > 0) {
				dpl_shift(s, g == 0 ? 0 : 100.0, g == 0 ? 100.0 : 0,
				    s->test_w[0], s->test_w[1], false, "rollback (production)");
				b->hooks = hk_run_ecs(b->green, LC_PRODUCTION_TRAFFIC_SHIFT, dc->hooks,
				    dc->nhooks, on_rollback_hooks, b);
				if (b->hooks != NULL) {
					hk_mark_rollback(b->hooks);
					b->wait = W_RB_HOOKS;
					return;
				}
			}
			break;
		case RB_TEST:
			b->rb_phase = RB_SCALE;
			if (s->test_w[g] > 0) {
				shift(b, 0, 0, "rollback (test)");
				b->hooks = hk_run_ecs(b->green, LC_TEST_TRAFFIC_SHIFT, dc->hooks,
				    dc->nhooks, on_rollback_hooks, b);
				if (b->hooks != NULL) {
					hk_mark_rollback(b->hooks);
					b->wait = W_RB_HOOKS;
					return;
				}
			}
			break;
		case RB_SCALE:
			shift(b, 0, 0, "rollback");
			b->green->want = 0;
			b->blue->want = s->desired;
			b->wait = W_ROLLBACK;
			svc_kick(s);
			return;
		}
	}
}

bool
bg_fail(deployment *d, const char *why, const char *reason, bool rollback)
{
	struct bg_run *b = d->bg;
	if (b == NULL || b->finished || b->green != d || b->rolling_back ||
	    d->rollout != ROLLOUT_IN_PROGRESS)
		return false;
	service *s = b->s;
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	hk_cancel(b->hooks);
	b->hooks = NULL;
	eng_cancel_clear(m->eng, &b->ev);
	d->rollout = ROLLOUT_FAILED;
	d->finished_at = now;
	d->reason = reason;
	rec_fact_str(d->fact, "rolloutState", "FAILED");
	rec_fact_time(d->fact, "end", now);
	rec_fact_time(d->fact, "duration", now - d->created_at);
	sev_emit(s, "(service %s) (deployment %s) deployment failed: %s.", s->name, d->id, why);
	dal_unwatch(d->watch);
	d->watch = NULL;
	if (!rollback) {
		/* the deployment stops where it is [INF] */
		rec_fact_str(d->fact, "serviceDeploymentStatus", "STOPPED");
		close_stage(b);
		b->finished = true;
		b->wait = W_NONE;
		return true;
	}
	/* [DOC-ish] rollback re-shifts traffic to blue; green scales to 0 and
	 * blue keeps (or gets back) its full size */
	deployment *bl = b->blue;
	rec_fact_str(d->fact, "serviceDeploymentStatus", "ROLLBACK_IN_PROGRESS");
	rec_fact_str(d->fact, "rollbackTarget", bl->id);
	open_stage(b, "ROLLBACK");
	/* blue is PRIMARY again and IN_PROGRESS until green is gone */
	deployment **pp = &s->deps;
	while (*pp != bl)
		pp = &(*pp)->next;
	*pp = bl->next;
	bl->next = s->deps;
	s->deps = bl;
	d->status = DEP_ACTIVE;
	bl->status = DEP_PRIMARY;
	bl->rollout = ROLLOUT_IN_PROGRESS;
	bl->is_rollback = true;
	bl->created_at = now;
	bl->finished_at = 0;
	bl->sum_start = bl->sum_health = bl->sum_drain = bl->sum_stop = 0;
	bl->n_start = bl->n_health = bl->n_drain = bl->n_stop = 0;
	bl->reason = arena_printf(m->a, "ECS deployment rollback: rolling back to deploymentId %s.", bl->id);
	s->cfg.td = bl->td;
	dep_record(bl, d->td, "blue/green rollback", true);
	rec_fact_str(bl->fact, "strategy", dcfg_strategy_name(d->dc.strategy));
	sev_emit(s, "(service %s) rolling back to deployment %s.", s->name, bl->id);
	/* green keeps its tasks (and blue its size) until the hooks are done */
	d->want = d->ntasks;
	bl->want = s->desired;
	b->rolling_back = true;
	b->rb_phase = RB_PROD;
	rollback_next(b);
	return true;
}

void
bg_abandon(service *s)
{
	model *m = s->m;
	for (deployment *d = s->deps; d; d = d->next) {
		struct bg_run *b = d->bg;
		if (b == NULL || b->finished || b->green != d)
			continue;
		hk_cancel(b->hooks);
		b->hooks = NULL;
		eng_cancel_clear(m->eng, &b->ev);
		close_stage(b);
		b->finished = true;
		if (d->rollout == ROLLOUT_IN_PROGRESS)
			rec_fact_str(d->fact, "serviceDeploymentStatus", "STOPPED");
	}
}
