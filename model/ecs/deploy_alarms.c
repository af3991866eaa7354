/*
 * deploy_alarms — alarm states pushed into ECS and the deployments that
 * watch them (see deploy_alarms.h).
 */
#include <string.h>

#include "model/ecs/deploy.h"
#include "model/ecs/deploy_alarms.h"

typedef struct alarm_entry {
	const char *name;
	bool in_alarm;
} alarm_entry;

struct dal_watch {
	model *m;
	const char *const *names;
	int n;
	bool *ignored;            /* in ALARM when the watch began */
	bool fired, live;
	sim_time bake_until;      /* a rolling deployment's bake: -1 not begun */
	dal_fire_fn fire;
	void *ctx;
	dal_watch *next;
};

struct dal_table {
	alarm_entry *alarms;
	int n, cap;
	int *idx;                 /* open-addressed by name hash: index into
	                             alarms, -1 empty; nidx a power of two */
	int nidx;
	dal_watch *watches;
};

static struct dal_table *
table(model *m)
{
	if (m->alarm_states == NULL)
		m->alarm_states = arena_calloc(m->a, 1, sizeof(*m->alarm_states));
	return m->alarm_states;
}

/* FNV-1a: every alarm state change looks its alarm up (an estate has
 * hundreds of alarms changing state every few minutes). */
static unsigned
name_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of name in t->idx: its entry's, or the empty one to fill. */
static int *
slot(struct dal_table *t, const char *name)
{
	unsigned mask = (unsigned)t->nidx - 1;
	for (unsigned i = name_hash(name) & mask;; i = (i + 1) & mask) {
		int *k = &t->idx[i];
		if (*k < 0 || strcmp(t->alarms[*k].name, name) == 0)
			return k;
	}
}

static void
rehash(model *m, struct dal_table *t)
{
	t->nidx = t->nidx ? 2 * t->nidx : 16;
	t->idx = arena_calloc(m->a, (size_t)t->nidx, sizeof(*t->idx));
	for (int i = 0; i < t->nidx; i++)
		t->idx[i] = -1;
	for (int i = 0; i < t->n; i++)
		*slot(t, t->alarms[i].name) = i;
}

static alarm_entry *
entry(model *m, const char *name, bool create)
{
	struct dal_table *t = table(m);
	if (t->nidx == 0)
		rehash(m, t);
	int *k = slot(t, name);
	if (*k >= 0)
		return &t->alarms[*k];
	if (!create)
		return NULL;
	if (t->n == t->cap) {
		int cap = t->cap ? 2 * t->cap : 8;
		alarm_entry *a = arena_calloc(m->a, (size_t)cap, sizeof(*a));
		if (t->n)
			memcpy(a, t->alarms, (size_t)t->n * sizeof(*a));
		t->alarms = a;
		t->cap = cap;
	}
	alarm_entry *e = &t->alarms[t->n];
	e->name = arena_strdup(m->a, name);
	e->in_alarm = false;
	*k = t->n++;
	if (2 * t->n > t->nidx) /* at most half full */
		rehash(m, t);
	return e;
}

void
dal_alarm_changed(model *m, const char *name, bool in_alarm)
{
	alarm_entry *e = entry(m, name, true);
	bool was = e->in_alarm;
	e->in_alarm = in_alarm;
	if (was || !in_alarm)
		return;
	/* [DOC] a watched alarm entering ALARM fails the deployment */
	for (dal_watch *w = table(m)->watches; w; w = w->next) {
		if (!w->live || w->fired)
			continue;
		for (int i = 0; i < w->n; i++)
			if (strcmp(w->names[i], name) == 0 && !w->ignored[i]) {
				w->fired = true;
				w->fire(w->ctx, e->name);
				break;
			}
	}
}

dal_watch *
dal_watch_new(model *m, const char *const *names, int n, dal_fire_fn fire,
    void *ctx)
{
	struct dal_table *t = table(m);
	dal_watch *w = arena_calloc(m->a, 1, sizeof(*w));
	w->m = m;
	w->names = names;
	w->n = n;
	w->fire = fire;
	w->ctx = ctx;
	w->live = true;
	w->bake_until = -1;
	w->ignored = arena_calloc(m->a, (size_t)(n ? n : 1), sizeof(bool));
	/* [DOC] "If the alarm is in the ALARM state when the deployment
	 * starts, Amazon ECS ignores it for the deployment" */
	for (int i = 0; i < n; i++) {
		const alarm_entry *e = entry(m, names[i], false);
		w->ignored[i] = e != NULL && e->in_alarm;
	}
	w->next = t->watches;
	t->watches = w;
	return w;
}

void
dal_unwatch(dal_watch *w)
{
	if (w == NULL)
		return;
	w->live = false;
	struct dal_table *t = table(w->m);
	for (dal_watch **pp = &t->watches; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
}

sim_time
dal_bake_time(const model *m, const char *const *names, int n)
{
	if (dpl_params_of(m->cfg)->alarm_bake > 0)
		return dpl_params_of(m->cfg)->alarm_bake;
	sim_time bake = 0;
	for (int i = 0; i < n; i++) {
		sim_time w = m->cfg->alarm_window ? m->cfg->alarm_window(m->cfg, names[i]) : -1;
		if (w > bake)
			bake = w;
	}
	return bake;
}

static void
bake_end(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	deployment *d = obj;
	svc_kick(d->svc);
}

bool
dal_bake_done(deployment *d)
{
	dal_watch *w = d->watch;
	if (w == NULL || d->is_first)
		return true;
	model *m = d->svc->m;
	sim_time now = eng_now(m->eng);
	if (w->bake_until < 0) {
		sim_time bake = dal_bake_time(m, d->dc.alarms.names, d->dc.alarms.n);
		w->bake_until = now + bake;
		rec_fact_time(d->fact, "alarmBakeStart", now);
		rec_fact_time(d->fact, "alarmBakeTime", bake);
		if (bake <= 0)
			return true;
		eng_at(m->eng, w->bake_until, bake_end, d, 0);
		return false;
	}
	return now >= w->bake_until;
}

int
dal_check_names(void *ctx, const struct scenario *sc, sim_error *err)
{
	(void)sc;
	const model_cfg *c = ctx;
	for (int i = 0; i < c->nalarm_refs; i++) {
		const deploy_alarms *a = c->alarm_refs[i];
		for (int k = 0; k < a->n; k++)
			if (c->alarm_window == NULL || c->alarm_window(c, a->names[k]) < 0)
				return jr_fail_at(&a->pos, err,
				    "deployment alarm \"%s\" is not defined (scaling.alarms or a cloudwatch:PutMetricAlarm call)",
				    a->names[k]);
	}
	return 0;
}
