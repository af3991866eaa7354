/*
 * arena — bump allocator in 64 KiB blocks; large requests get their own
 * block. Invariant: every pointer handed out stays valid until arena_free.
 */
#include "sim/arena.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

#define ARENA_BLOCK 65536u

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct arena_block *head;
};

arena *
arena_new(void)
{
	return xcalloc(1, sizeof(arena));
}

void
arena_free(arena *a)
{
	if (a == NULL)
		return;
	struct arena_block *b = a->head;
	while (b != NULL) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

/* size bytes, max-aligned, not cleared: for text written at once
 * (strings), where zeroing first is wasted work on the hot path of
 * recording events. */
static void *
alloc_raw(arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
#ifndef SIM_ARENA_DEBUG
	struct arena_block *b = a->head;
	if (b != NULL && b->size - b->used >= size) {
		void *p = b->data + b->used;
		b->used += size;
		return p;
	}
	size_t bsize = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
#else
	size_t bsize = size;
#endif
	if (bsize > SIZE_MAX - sizeof(struct arena_block))
		abort();
	struct arena_block *nb = xmalloc(sizeof(*nb) + bsize);
	nb->size = bsize;
	nb->used = size;
	/* A private big block goes behind the head so the head keeps serving. */
	if (a->head != NULL && bsize != ARENA_BLOCK) {
		nb->next = a->head->next;
		a->head->next = nb;
	} else {
		nb->next = a->head;
		a->head = nb;
	}
	return nb->data;
}

void *
arena_alloc(arena *a, size_t size)
{
	void *p = alloc_raw(a, size);
	memset(p, 0, size);
	return p;
}

void *
arena_calloc(arena *a, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		abort();
	return arena_alloc(a, nmemb * size);
}

char *
arena_strndup(arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = alloc_raw(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		abort();
	char *p = alloc_raw(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
