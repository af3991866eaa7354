/*
 * evq — the pending-event set: an array-backed 4-ary min-heap ordered by
 * (time, insertion sequence), over a pool of event slots with a free list.
 *
 * Invariants:
 *  - ties in time pop in insertion order (the sequence is part of the key);
 *  - every pushed event is popped or cancelled exactly once;
 *  - a handle names one scheduling of one slot: {slot, generation}. Once the
 *    event is popped or cancelled, the handle goes stale and evq_cancel /
 *    evq_reschedule on it are no-ops that return false.
 * Cost: push, pop, cancel and reschedule are O(log n); no allocation once
 * the pool has grown to the peak number of pending events.
 */
#ifndef SIM_EVQ_H
#define SIM_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/simtime.h"

struct engine;
/* An event handler: obj and arg are what the scheduler passed. */
typedef void (*evq_fn)(struct engine *eng, void *obj, uint64_t arg);

/* 0 is never a valid handle. */
typedef uint64_t evq_handle;
#define EVQ_NONE ((evq_handle)0)

typedef struct evq_item {
	sim_time time;
	evq_fn fn;
	void *obj;
	uint64_t arg;
} evq_item;

typedef struct evq evq;

/* Returns an owned queue; free with evq_free (NULL is a no-op). */
evq *evq_new(size_t capacity_hint);
void evq_free(evq *q);
size_t evq_size(const evq *q);
/* Schedule; never fails (the pool grows; aborts past 2^24 pending events). */
evq_handle evq_push(evq *q, sim_time t, evq_fn fn, void *obj, uint64_t arg);
/* Earliest pending time, or SIM_TIME_MAX when empty. */
sim_time evq_peek_time(evq *q);
/* Remove the earliest event into *out. Returns false when empty. */
bool evq_pop(evq *q, evq_item *out);
/* Remove the earliest event if its time is before t. Returns false
 * (leaving the queue as it was) when there is none. */
bool evq_pop_before(evq *q, sim_time t, evq_item *out);
/* True while h names an event that has not been popped or cancelled. */
bool evq_pending(const evq *q, evq_handle h);
/* Time of a pending event, or SIM_TIME_MAX if h is stale. */
sim_time evq_time_of(const evq *q, evq_handle h);
bool evq_cancel(evq *q, evq_handle h);
/* Move a pending event to time t; it sorts after events already at t. */
bool evq_reschedule(evq *q, evq_handle h, sim_time t);

#endif
