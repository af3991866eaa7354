/*
 * arena — memory for things that live as long as a run (parsed scenario
 * structs, names). Everything is released by one arena_free().
 *
 * With -DSIM_ARENA_DEBUG every allocation is a separate malloc, so
 * AddressSanitizer and valgrind still see individual blocks.
 */
#ifndef SIM_ARENA_H
#define SIM_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

/* Returns an owned arena; free with arena_free (NULL is a no-op). */
arena *arena_new(void);
void arena_free(arena *a);
/* Zeroed, max-aligned memory valid until arena_free. */
void *arena_alloc(arena *a, size_t size);
void *arena_calloc(arena *a, size_t nmemb, size_t size);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
/* The whole formatted text, whatever its length. */
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
#define ARENA_NEW(a, type) ((type *)arena_calloc((a), 1, sizeof(type)))
#define ARENA_ARRAY(a, type, n) ((type *)arena_calloc((a), (n), sizeof(type)))

#endif
