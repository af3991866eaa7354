/*
 * engine — clock + evq + run loop (see engine.h).
 */
#include "sim/engine.h"

#include <stdlib.h>

#include "sim/error.h"
#include "sim/xalloc.h"

engine *
eng_new(void *ctx)
{
	engine *e = xcalloc(1, sizeof(*e));
	e->q = evq_new(64);
	e->ctx = ctx;
	return e;
}

void
eng_free(engine *e)
{
	if (e == NULL)
		return;
	evq_free(e->q);
	free(e);
}

void *eng_ctx(const engine *e) { return e->ctx; }
uint64_t eng_executed(const engine *e) { return e->executed; }
size_t eng_pending(const engine *e) { return evq_size(e->q); }

void
eng_set_observer(engine *e, eng_observer fn, void *ud)
{
	e->observer = fn;
	e->observer_ud = ud;
}

void
eng_past_(const engine *e, sim_time t, const char *file, int line)
{
	sim_panic(file, line, "event scheduled in the past (at %lld us, now %lld us)",
	    (long long)t, (long long)e->now);
}

bool
eng_cancel(engine *e, evq_handle h)
{
	return evq_cancel(e->q, h);
}

void
eng_cancel_clear(engine *e, evq_handle *h)
{
	evq_cancel(e->q, *h);
	*h = EVQ_NONE;
}

bool
eng_reschedule_(engine *e, evq_handle h, sim_time t, const char *file, int line)
{
	if (t < e->now)
		sim_panic(file, line, "event rescheduled into the past (at %lld us, now %lld us)",
		    (long long)t, (long long)e->now);
	return evq_reschedule(e->q, h, t);
}

bool
eng_is_pending(const engine *e, evq_handle h)
{
	return evq_pending(e->q, h);
}

sim_time
eng_time_of(const engine *e, evq_handle h)
{
	return evq_time_of(e->q, h);
}

static inline void
dispatch(engine *e, const evq_item *ev)
{
	e->now = ev->time;
	ev->fn(e, ev->obj, ev->arg);
	e->executed++;
	if (e->observer)
		e->observer(e->observer_ud, e, ev);
}

uint64_t
eng_advance_to(engine *e, sim_time t)
{
	if (t < e->now)
		sim_panic(__FILE__, __LINE__, "clock moved backwards");
	uint64_t before = e->executed;
	evq_item ev;
	e->stop = false;
	while (!e->stop && evq_pop_before(e->q, t, &ev))
		dispatch(e, &ev);
	if (!e->stop)
		e->now = t;
	return e->executed - before;
}

uint64_t
eng_run(engine *e)
{
	uint64_t before = e->executed;
	evq_item ev;
	e->stop = false;
	while (!e->stop && evq_pop(e->q, &ev))
		dispatch(e, &ev);
	return e->executed - before;
}

void
eng_stop(engine *e)
{
	e->stop = true;
}
