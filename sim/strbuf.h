/*
 * strbuf — a growable NUL-terminated string, for building answers and
 * canonical requests piece by piece (serve's wire formats and SigV4).
 *
 * Invariant: p is NULL (nothing added yet) or holds len bytes plus a NUL
 * within cap. Nothing is ever cut: strbuf_printf grows to fit. Free p.
 */
#ifndef SIM_STRBUF_H
#define SIM_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
	char *p;
	size_t len, cap;
} strbuf;

/* Append n bytes of s. */
void strbuf_add(strbuf *b, const char *s, size_t n);
/* Append the string s. */
void strbuf_str(strbuf *b, const char *s);
/* Append printf-formatted text, whole whatever its length. */
void strbuf_printf(strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
