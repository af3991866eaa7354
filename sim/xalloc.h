/*
 * xalloc — allocation that never returns failure.
 *
 * Out of memory is fatal: every function here prints the requested size and
 * aborts instead of returning NULL, so callers never check. Array sizes are
 * overflow-checked (xreallocarray, xcalloc).
 */
#ifndef SIM_XALLOC_H
#define SIM_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns an owned, formatted string; free with free(). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with a va_list (ap is consumed). */
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow *arr (of element size elsize) so that it holds at least need
 * elements; *cap is updated. Doubling growth, amortised O(1). */
void xgrow(void **arr, size_t *cap, size_t need, size_t elsize);
#define XGROW(arr, cap, need) \
	xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
