/*
 * heap — the process's malloc heap on transparent huge pages.
 *
 * A month-long run keeps its model (tasks, instances, targets) among
 * 100-500 MB of recorded events and series; on 4 KiB pages its walks over
 * tasks miss the TLB at nearly every task. On 2 MiB pages the same run
 * takes 13-15 % less CPU (bench_cluster diurnal). Kernels in the common
 * "madvise" THP mode give huge pages only to mappings that ask
 * (madvise(MADV_HUGEPAGE)), and glibc asks for its heap only under a
 * tunable read at startup (glibc.malloc.hugetlb), so the program asks
 * itself: heap_use_huge_pages reserves a stretch of heap in one sbrk and
 * marks it.
 */
#ifndef SIM_HEAP_H
#define SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>

/* Heap the first growth reserves (address space, not memory: pages are
 * touched, and counted in RSS, only as they are used). Growth beyond it
 * works as before, on small pages. */
#define HEAP_HUGE_RESERVE ((size_t)1 << 30)

/* The environment variable that turns it off ("0" or "off"): for
 * measurements, and for machines where huge pages cost more than they
 * give (THP compaction stalls). */
#define HEAP_HUGE_ENV "ECSIM_HUGE_PAGES"

/* Reserve HEAP_HUGE_RESERVE of heap and mark it for huge pages; call
 * once, first thing in main. Returns true when the heap was marked;
 * false when the environment turns it off, the kernel or allocator is
 * not one this knows (not glibc, a sanitizer's or valgrind's allocator),
 * or the reservation failed (then glibc's trim and mmap thresholds are
 * back at their defaults, fixed rather than adaptive). Either way the
 * program runs the same, only slower. */
bool heap_use_huge_pages(void);

#endif
