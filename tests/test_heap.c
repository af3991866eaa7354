/*
 * The heap on huge pages (sim/heap.h): after heap_use_huge_pages the
 * memory malloc hands out lies in a mapping the kernel may back with
 * 2 MiB pages, the reservation costs address space and not memory, and
 * ECSIM_HUGE_PAGES=off leaves the heap alone. Each case runs in a child
 * of its own (the call changes the process's allocator for good).
 */
#define _DEFAULT_SOURCE /* fork, setenv */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/heap.h"
#include "tests/suites.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define OTHER_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define OTHER_ALLOCATOR 1
#endif

/* Why heap_use_huge_pages cannot mark the heap here (another
 * allocator), or NULL. */
static const char *
other_allocator(void)
{
#if defined(OTHER_ALLOCATOR) || !defined(__GLIBC__) || !defined(__linux__)
	return "not glibc's allocator";
#else
	const char *pre = getenv("LD_PRELOAD");
	return pre != NULL && strstr(pre, "vgpreload") != NULL ? "valgrind's allocator" : NULL;
#endif
}

/* Whether the kernel gives huge pages to mappings that ask. */
static bool
kernel_has_thp(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (f == NULL)
		return false;
	char mode[128] = "";
	if (fgets(mode, sizeof(mode), f) == NULL)
		mode[0] = '\0';
	fclose(f);
	return strstr(mode, "[never]") == NULL;
}

/* From /proc/self/smaps, for the mapping holding p: its size in kB and
 * its THPeligible flag (-1 when not found). */
static void
mapping_of(const void *p, long *size_kb, int *eligible)
{
	*size_kb = -1;
	*eligible = -1;
	FILE *f = fopen("/proc/self/smaps", "r");
	if (f == NULL)
		return;
	char line[512];
	bool in = false;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) { /* a mapping's first line */
			in = (unsigned long)p >= lo && (unsigned long)p < hi;
			continue;
		}
		if (!in)
			continue;
		sscanf(line, "Size: %ld kB", size_kb);
		sscanf(line, "THPeligible: %d", eligible);
	}
	fclose(f);
}

static long
rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	long kb = -1;
	char line[256];
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return kb;
}

typedef struct child_report {
	int ok;          /* heap_use_huge_pages() */
	long rss_growth; /* kB, across the call */
	long map_kb;     /* the mapping a fresh 16 MiB block is in */
	int eligible;    /* its THPeligible */
} child_report;

/* Run heap_use_huge_pages in a child (off: with ECSIM_HUGE_PAGES=off)
 * and report what it did to the child's heap. */
static child_report
run_child(bool off)
{
	int fd[2];
	ck_assert_int_eq(pipe(fd), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fd[0]);
		if (off)
			setenv(HEAP_HUGE_ENV, "off", 1);
		child_report r;
		memset(&r, 0, sizeof(r));
		long before = rss_kb();
		r.ok = heap_use_huge_pages();
		r.rss_growth = rss_kb() - before;
		size_t n = (size_t)16 << 20;
		char *p = malloc(n);
		memset(p, 1, n);
		mapping_of(p + n / 2, &r.map_kb, &r.eligible);
		free(p);
		ssize_t w = write(fd[1], &r, sizeof(r));
		_exit(w == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(fd[1]);
	child_report r;
	memset(&r, 0, sizeof(r));
	ssize_t got = read(fd[0], &r, sizeof(r));
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(got, (ssize_t)sizeof(r));
	return r;
}

START_TEST(test_heap_marked_for_huge_pages)
{
	const char *other = other_allocator();
	child_report r = run_child(false);
	if (other != NULL) {
		/* nothing to mark: the call says so */
		printf("heap: huge pages not checked: %s\n", other);
		ck_assert_int_eq(r.ok, 0);
		return;
	}
	ck_assert_int_eq(r.ok, 1);
	/* a block malloc hands out afterwards lies in the reserved stretch */
	ck_assert_int_ge(r.map_kb, (long)(HEAP_HUGE_RESERVE >> 10) / 2);
	/* the reservation is address space: the call touches almost nothing */
	ck_assert_int_lt(r.rss_growth, 8 * 1024);
	/* and the stretch is marked (the kernel says eligible) */
	if (kernel_has_thp())
		ck_assert_int_eq(r.eligible, 1);
	else
		printf("heap: THPeligible not checked: transparent huge pages are off\n");
}
END_TEST

START_TEST(test_heap_left_alone_when_off)
{
	child_report r = run_child(true);
	ck_assert_int_eq(r.ok, 0);
	/* no reservation: the block is not in a 1 GiB heap */
	ck_assert_int_lt(r.map_kb, (long)(HEAP_HUGE_RESERVE >> 10) / 2);
}
END_TEST

Suite *
heap_suite(void)
{
	Suite *s = suite_create("heap");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_heap_marked_for_huge_pages);
	tcase_add_test(tc, test_heap_left_alone_when_off);
	suite_add_tcase(s, tc);
	return s;
}
