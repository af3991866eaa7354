/*
 * engine — the discrete-event core: simulated clock, pending events and the
 * run loop. It knows nothing of ECS; models schedule handlers on it.
 *
 * Scheduling in the past is a programming error and aborts with the
 * caller's file:line. The clock never decreases.
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/evq.h"
#include "sim/simtime.h"

typedef struct engine engine;

/* Sees every executed event, after its handler ran. */
typedef void (*eng_observer)(void *ud, const engine *eng, const evq_item *ev);

/* Open on purpose: every event handler reads the clock and schedules
 * (eng_now, eng_at), so these are inline. Fields are private to
 * engine.c otherwise. */
struct engine {
	evq *q;
	sim_time now;
	uint64_t executed;
	void *ctx;
	eng_observer observer;
	void *observer_ud;
	bool stop;
};

/* Returns an owned engine at time 0; free with eng_free (NULL: no-op).
 * ctx is the model's context, returned by eng_ctx. */
engine *eng_new(void *ctx);
void eng_free(engine *e);
void *eng_ctx(const engine *e);
static inline sim_time eng_now(const engine *e) { return e->now; }
uint64_t eng_executed(const engine *e);
size_t eng_pending(const engine *e);
void eng_set_observer(engine *e, eng_observer fn, void *ud);

_Noreturn void eng_past_(const engine *e, sim_time t, const char *file,
    int line);
static inline evq_handle
eng_at_(engine *e, sim_time t, evq_fn fn, void *obj, uint64_t arg,
    const char *file, int line)
{
	if (t < e->now)
		eng_past_(e, t, file, line);
	return evq_push(e->q, t, fn, obj, arg);
}
#define eng_at(e, t, fn, obj, arg) \
	eng_at_((e), (t), (fn), (obj), (arg), __FILE__, __LINE__)
#define eng_after(e, delay, fn, obj, arg) \
	eng_at_((e), eng_now(e) + (delay), (fn), (obj), (arg), __FILE__, __LINE__)
bool eng_cancel(engine *e, evq_handle h);
/* Cancel *h if pending and set it to EVQ_NONE. */
void eng_cancel_clear(engine *e, evq_handle *h);
bool eng_reschedule_(engine *e, evq_handle h, sim_time t, const char *file,
    int line);
#define eng_reschedule(e, h, t) eng_reschedule_((e), (h), (t), __FILE__, __LINE__)
bool eng_is_pending(const engine *e, evq_handle h);
sim_time eng_time_of(const engine *e, evq_handle h);

/* Execute every event with time < t (in (time, seq) order), then set the
 * clock to t. t must not be before now. Returns events executed. */
uint64_t eng_advance_to(engine *e, sim_time t);
/* Execute events until none is left or eng_stop is called. */
uint64_t eng_run(engine *e);
/* Ask the running loop to return after the current event. */
void eng_stop(engine *e);

#endif
