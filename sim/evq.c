/*
 * evq — 4-ary min-heap of 16-byte keys over a slot pool (see evq.h).
 *
 * A heap entry is {time, word = seq << 24 | slot}: comparing (time, word)
 * orders by time, then insertion sequence, and the slot rides along in the
 * low bits. Sifts touch only the heap array: nothing in the pool is written
 * while entries move, which is what keeps a million pending events fast
 * (a back-pointer per move would be one cache miss per heap level).
 *
 * Cancel and reschedule use lazy deletion: the slot remembers the word of
 * its one live entry; an entry whose word no longer matches is dead and is
 * skipped when it reaches the top. Dead entries are counted; when they
 * outnumber live ones the heap is compacted in O(n), so memory stays within
 * twice the pending count and every operation stays O(log n) amortised.
 *
 * Pop leaves a hole at the root instead of refilling it at once: if the
 * handler then pushes (the common case: an event schedules its successor),
 * the new entry drops into the hole and sifts down once, instead of a
 * sift-down for the pop plus a sift-up for the push. Any other operation
 * fills the hole first.
 *
 * Layout: the array is offset so that the four children of a node
 * (4i+1 .. 4i+4) share one 64-byte cache line.
 */
#include "sim/evq.h"

#include <stdlib.h>
#include <string.h>

#include "sim/error.h"
#include "sim/xalloc.h"

#ifndef EVQ_ARITY
#define EVQ_ARITY 4
#endif
#define EVQ_SLOT_BITS 24
#define EVQ_SLOT_MASK ((UINT64_C(1) << EVQ_SLOT_BITS) - 1)
#define EVQ_MAX_SLOTS (UINT64_C(1) << EVQ_SLOT_BITS)
#define EVQ_SEQ_MAX (UINT64_C(1) << (64 - EVQ_SLOT_BITS))
#define EVQ_OFFSET (EVQ_ARITY - 1) /* heap[i] at raw[i + d - 1]: children line up */
#define EVQ_COMPACT_MIN 1024

/*
 * The key is compared as one unsigned 128-bit integer where the compiler
 * has one (gcc and clang on 64-bit targets): two instructions and no
 * branch, which matters because "which child is smallest" is a coin flip
 * the branch predictor always loses. Times in the queue are never negative
 * (nothing is scheduled before 0), so the unsigned order is the signed one.
 */
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 evq_key;
#define EVQ_KEY(t, w) (((evq_key)(uint64_t)(t) << 64) | (w))
#define EVQ_KEY_TIME(k) ((sim_time)(uint64_t)((k) >> 64))
#define EVQ_KEY_WORD(k) ((uint64_t)(k))
#define EVQ_KEY_LESS(a, b) ((a) < (b))
#else
typedef struct evq_key {
	uint64_t hi, lo;
} evq_key;
static inline evq_key
evq_key_make(sim_time t, uint64_t w)
{
	evq_key k = {(uint64_t)t, w};
	return k;
}
#define EVQ_KEY(t, w) evq_key_make((t), (w))
#define EVQ_KEY_TIME(k) ((sim_time)(k).hi)
#define EVQ_KEY_WORD(k) ((k).lo)
#define EVQ_KEY_LESS(a, b) \
	(((a).hi < (b).hi) | (((a).hi == (b).hi) & ((a).lo < (b).lo)))
#endif

typedef struct evq_entry {
	evq_key key; /* time, then seq << EVQ_SLOT_BITS | slot; word never 0 */
} evq_entry;

typedef struct evq_slot {
	evq_fn fn;
	void *obj;
	uint64_t arg;
	sim_time time;  /* of the live entry */
	uint64_t word;  /* of the live entry; 0 while the slot is free */
	uint64_t next_free;
	uint32_t gen;   /* bumped when freed: stale handles stop matching */
} evq_slot;

struct evq {
	void *raw;       /* allocation backing heap (64-byte aligned) */
	evq_entry *heap; /* raw + EVQ_OFFSET entries */
	size_t n, cap;   /* entries in the heap (live + dead), capacity */
	size_t live;
	bool hole;       /* heap[0] is vacant (popped, not yet refilled) */
	evq_slot *pool;
	size_t pool_n, pool_cap;
	uint64_t free_head; /* EVQ_MAX_SLOTS when empty */
	uint64_t next_seq;
};

static inline int
entry_less(const evq_entry *a, const evq_entry *b)
{
	return EVQ_KEY_LESS(a->key, b->key);
}

static inline uint32_t
entry_slot(const evq_entry *e)
{
	return (uint32_t)(EVQ_KEY_WORD(e->key) & EVQ_SLOT_MASK);
}

static inline sim_time
entry_time(const evq_entry *e)
{
	return EVQ_KEY_TIME(e->key);
}

static void
heap_reserve(evq *q, size_t need)
{
	if (need <= q->cap)
		return;
	size_t ncap = q->cap ? q->cap : 64;
	while (ncap < need)
		ncap *= 2;
	size_t bytes = (ncap + EVQ_OFFSET) * sizeof(evq_entry);
	void *raw = NULL;
	if (posix_memalign(&raw, 64, bytes) != 0)
		sim_panic(__FILE__, __LINE__, "out of memory growing the event heap");
	if (q->n)
		memcpy((evq_entry *)raw + EVQ_OFFSET, q->heap, q->n * sizeof(evq_entry));
	free(q->raw);
	q->raw = raw;
	q->heap = (evq_entry *)raw + EVQ_OFFSET;
	q->cap = ncap;
}

static void
sift_up(evq_entry *heap, size_t i)
{
	evq_entry e = heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / EVQ_ARITY;
		if (!entry_less(&e, &heap[parent]))
			break;
		heap[i] = heap[parent];
		i = parent;
	}
	heap[i] = e;
}

/* Index of the smaller of two entries (branch-free select). */
static inline size_t
min_of(const evq_entry *heap, size_t a, size_t b)
{
	return entry_less(&heap[b], &heap[a]) ? b : a;
}

/* Restore the heap below i. When pool is given (a sift from the root),
 * the slot of the entry that becomes the new root is prefetched at the
 * first level, so that its fetch overlaps the rest of the sift: that slot
 * is the next one evq_pop reads. */
static void
sift_down(evq_entry *heap, size_t n, size_t i, const evq_slot *pool)
{
	evq_entry e = heap[i];
	/* Below this size the heap lives in L1/L2 and prefetching only costs. */
	const bool big = n >= 16384;
	for (;;) {
		size_t first = i * EVQ_ARITY + 1;
		if (first >= n)
			break;
		/* Past the cache the next level is a miss: fetch the four
		 * grandchild lines while this level is compared. */
		size_t grand = first * EVQ_ARITY + 1;
		if (big && grand + EVQ_ARITY * EVQ_ARITY <= n) {
			for (size_t g = 0; g < EVQ_ARITY; g++)
				__builtin_prefetch(&heap[grand + g * EVQ_ARITY]);
		}
		size_t best;
		if (first + EVQ_ARITY <= n) {
			/* full node: tournament, so the compares are independent */
#if EVQ_ARITY == 8
			size_t a = min_of(heap, first, first + 1);
			size_t b = min_of(heap, first + 2, first + 3);
			size_t c = min_of(heap, first + 4, first + 5);
			size_t d = min_of(heap, first + 6, first + 7);
			best = min_of(heap, min_of(heap, a, b), min_of(heap, c, d));
#else
			size_t a = min_of(heap, first, first + 1);
			size_t b = min_of(heap, first + 2, first + 3);
			best = min_of(heap, a, b);
#endif
		} else {
			best = first;
			for (size_t c = first + 1; c < n; c++)
				best = min_of(heap, best, c);
		}
		if (!entry_less(&heap[best], &e))
			break;
		if (pool != NULL) {
			__builtin_prefetch(&pool[entry_slot(&heap[best])]);
			pool = NULL;
		}
		heap[i] = heap[best];
		i = best;
	}
	heap[i] = e;
}

evq *
evq_new(size_t capacity_hint)
{
	evq *q = xcalloc(1, sizeof(*q));
	q->free_head = EVQ_MAX_SLOTS;
	q->next_seq = 1;
	heap_reserve(q, capacity_hint ? capacity_hint : 64);
	if (capacity_hint)
		XGROW(q->pool, q->pool_cap, capacity_hint);
	return q;
}

void
evq_free(evq *q)
{
	if (q == NULL)
		return;
	free(q->raw);
	free(q->pool);
	free(q);
}

size_t
evq_size(const evq *q)
{
	return q->live;
}

static uint32_t
slot_alloc(evq *q)
{
	if (q->free_head != EVQ_MAX_SLOTS) {
		uint32_t s = (uint32_t)q->free_head;
		q->free_head = q->pool[s].next_free;
		return s;
	}
	if (q->pool_n >= EVQ_MAX_SLOTS)
		sim_panic(__FILE__, __LINE__, "more than %llu pending events",
		    (unsigned long long)EVQ_MAX_SLOTS);
	XGROW(q->pool, q->pool_cap, q->pool_n + 1);
	uint32_t s = (uint32_t)q->pool_n++;
	q->pool[s].gen = 1;
	return s;
}

static void
slot_release(evq *q, uint32_t s)
{
	evq_slot *sl = &q->pool[s];
	sl->word = 0;
	sl->gen++;
	sl->fn = NULL;
	sl->obj = NULL;
	sl->next_free = q->free_head;
	q->free_head = s;
	q->live--;
}

static inline evq_handle
make_handle(uint32_t slot, uint32_t gen)
{
	return ((uint64_t)gen << 32) | ((uint64_t)slot + 1);
}

/* Slot named by a live handle, or NULL. */
static evq_slot *
handle_slot(const evq *q, evq_handle h, uint32_t *slot_out)
{
	uint64_t s1 = h & UINT32_MAX;
	if (s1 == 0 || s1 > q->pool_n)
		return NULL;
	uint32_t s = (uint32_t)(s1 - 1);
	evq_slot *sl = &q->pool[s];
	if (sl->word == 0 || sl->gen != (uint32_t)(h >> 32))
		return NULL;
	if (slot_out)
		*slot_out = s;
	return sl;
}

/* Append an entry for slot s at time t and make it the slot's live one. */
static void
heap_insert(evq *q, uint32_t s, sim_time t)
{
	if (q->next_seq >= EVQ_SEQ_MAX)
		sim_panic(__FILE__, __LINE__, "event sequence exhausted");
	uint64_t word = (q->next_seq++ << EVQ_SLOT_BITS) | s;
	if (q->hole) {
		q->hole = false;
		q->heap[0].key = EVQ_KEY(t, word);
		sift_down(q->heap, q->n, 0, q->pool);
	} else {
		heap_reserve(q, q->n + 1);
		size_t i = q->n++;
		q->heap[i].key = EVQ_KEY(t, word);
		sift_up(q->heap, i);
	}
	q->pool[s].time = t;
	q->pool[s].word = word;
}

static inline int
entry_is_live(const evq *q, const evq_entry *e)
{
	return q->pool[entry_slot(e)].word == EVQ_KEY_WORD(e->key);
}

/* Drop dead entries and rebuild the heap bottom-up: O(n). */
static void
heap_compact(evq *q)
{
	SIM_ASSERT(!q->hole);
	size_t k = 0;
	for (size_t i = 0; i < q->n; i++)
		if (entry_is_live(q, &q->heap[i]))
			q->heap[k++] = q->heap[i];
	q->n = k;
	for (size_t i = k / EVQ_ARITY + 1; i-- > 0;)
		sift_down(q->heap, q->n, i, NULL);
}

static void
note_dead(evq *q)
{
	size_t dead = q->n - q->live;
	if (dead > EVQ_COMPACT_MIN && dead > q->live)
		heap_compact(q);
}

/* Remove the top entry (live or dead) by moving the last one up. */
static inline void
heap_pop_top(evq *q)
{
	size_t last = --q->n;
	if (last > 0) {
		q->heap[0] = q->heap[last];
		sift_down(q->heap, q->n, 0, q->pool);
	}
}

/* Pop dead entries off the top so heap[0], if any, is live. With no dead
 * entry in the heap (no cancel or reschedule pending) nothing is read. */
static inline void
skip_dead(evq *q)
{
	while (q->n > q->live + q->hole && !entry_is_live(q, &q->heap[0]))
		heap_pop_top(q);
}

/* Refill a vacant root; afterwards heap[0], if any, is live. */
static inline void
settle(evq *q)
{
	if (q->hole) {
		q->hole = false;
		heap_pop_top(q);
	}
	skip_dead(q);
}

evq_handle
evq_push(evq *q, sim_time t, evq_fn fn, void *obj, uint64_t arg)
{
	uint32_t s = slot_alloc(q);
	evq_slot *sl = &q->pool[s];
	sl->fn = fn;
	sl->obj = obj;
	sl->arg = arg;
	q->live++;
	heap_insert(q, s, t);
	return make_handle(s, sl->gen);
}

sim_time
evq_peek_time(evq *q)
{
	settle(q);
	return q->n ? entry_time(&q->heap[0]) : SIM_TIME_MAX;
}

bool
evq_pop(evq *q, evq_item *out)
{
	settle(q);
	if (q->n == 0)
		return false;
	uint32_t s = entry_slot(&q->heap[0]);
	evq_slot *sl = &q->pool[s];
	out->time = entry_time(&q->heap[0]);
	out->fn = sl->fn;
	out->obj = sl->obj;
	out->arg = sl->arg;
	q->hole = true;
	slot_release(q, s);
	return true;
}

bool
evq_pop_before(evq *q, sim_time t, evq_item *out)
{
	settle(q);
	if (q->n == 0 || entry_time(&q->heap[0]) >= t)
		return false;
	uint32_t s = entry_slot(&q->heap[0]);
	evq_slot *sl = &q->pool[s];
	out->time = entry_time(&q->heap[0]);
	out->fn = sl->fn;
	out->obj = sl->obj;
	out->arg = sl->arg;
	q->hole = true;
	slot_release(q, s);
	return true;
}

bool
evq_pending(const evq *q, evq_handle h)
{
	return handle_slot(q, h, NULL) != NULL;
}

sim_time
evq_time_of(const evq *q, evq_handle h)
{
	const evq_slot *sl = handle_slot(q, h, NULL);
	return sl ? sl->time : SIM_TIME_MAX;
}

bool
evq_cancel(evq *q, evq_handle h)
{
	uint32_t s;
	if (handle_slot(q, h, &s) == NULL)
		return false;
	settle(q);
	slot_release(q, s); /* its heap entry is now dead */
	skip_dead(q);
	note_dead(q);
	return true;
}

bool
evq_reschedule(evq *q, evq_handle h, sim_time t)
{
	uint32_t s;
	if (handle_slot(q, h, &s) == NULL)
		return false;
	settle(q);
	heap_insert(q, s, t); /* the old entry is now dead */
	skip_dead(q);
	note_dead(q);
	return true;
}
