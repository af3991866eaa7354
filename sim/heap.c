/*
 * heap — the process's malloc heap on transparent huge pages (heap.h).
 *
 * How: with glibc's documented malloc parameters (mallopt(3)), make the
 * next sbrk obtain HEAP_HUGE_RESERVE at once (M_TOP_PAD), force that sbrk
 * with one allocation larger than what is left at the top of the heap,
 * and madvise(MADV_HUGEPAGE) the 2 MiB-aligned part of what it obtained.
 * Allocations up to 32 MiB stay in that heap (M_MMAP_THRESHOLD: the
 * recorder's event and series arrays grow there, not in mappings of their
 * own on small pages), and the heap is not trimmed (M_TRIM_THRESHOLD
 * above the reservation): a trim would give the marked stretch back and
 * regrow it unmarked. The allocation's address is checked against the break
 * before anything is marked: under another allocator (a sanitizer's,
 * valgrind's) it is not in the heap, and nothing is done.
 */
#define _DEFAULT_SOURCE /* sbrk, madvise */
#include "sim/heap.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define HEAP_OTHER_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HEAP_OTHER_ALLOCATOR 1
#endif

#if defined(__GLIBC__) && defined(__linux__) && !defined(HEAP_OTHER_ALLOCATOR)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(MADV_HUGEPAGE) && __GLIBC_PREREQ(2, 33) /* mallinfo2 */
#define HEAP_CAN 1
#endif
#endif

#ifdef HEAP_CAN
#define HUGE_PAGE ((uintptr_t)2 << 20) /* x86-64 and arm64 (4 KiB base) PMD */
#define MMAP_THRESHOLD_MAX (32 << 20)  /* glibc's largest on 64-bit */
#define DEFAULT_TOP_PAD (128 * 1024)   /* glibc's defaults (mallopt(3)) */
#define DEFAULT_THRESHOLD (128 * 1024)

static bool
reserve_and_mark(void)
{
	if (mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, INT_MAX) != 1 ||
	    mallopt(M_TOP_PAD, (int)HEAP_HUGE_RESERVE) != 1)
		return false;
	/* larger than the free space at the top: the heap must grow */
	size_t probe_size = mallinfo2().keepcost + ((size_t)64 << 10);
	char *probe = malloc(probe_size);
	char *brk_now = sbrk(0);
	/* the growth is made; later ones need no reservation of their own */
	mallopt(M_TOP_PAD, DEFAULT_TOP_PAD);
	bool ok = false;
	if (probe != NULL && brk_now != (char *)-1 && probe < brk_now &&
	    (size_t)(brk_now - probe) >= HEAP_HUGE_RESERVE &&
	    (size_t)(brk_now - probe) <= HEAP_HUGE_RESERVE + probe_size + HUGE_PAGE) {
		uintptr_t lo = ((uintptr_t)probe + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		uintptr_t hi = (uintptr_t)brk_now & ~(HUGE_PAGE - 1);
		ok = hi > lo && madvise((void *)lo, hi - lo, MADV_HUGEPAGE) == 0;
	}
	free(probe);
	if (!ok) {
		/* nothing marked: no reason to keep the heap whole */
		mallopt(M_TRIM_THRESHOLD, DEFAULT_THRESHOLD);
		mallopt(M_MMAP_THRESHOLD, DEFAULT_THRESHOLD);
	}
	return ok;
}
#endif

bool
heap_use_huge_pages(void)
{
	const char *env = getenv(HEAP_HUGE_ENV);
	if (env != NULL && (strcmp(env, "0") == 0 || strcmp(env, "off") == 0))
		return false;
#ifdef HEAP_CAN
	return reserve_and_mark();
#else
	return false;
#endif
}
