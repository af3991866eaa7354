/*
 * rout — the byte sink every report is written to: a file descriptor, a
 * stdio stream, or memory (tests, and text a caller wants to keep).
 *
 * Writes are buffered and never fail at the call: the first error of the
 * underlying sink is kept (sticky errno) and later writes are dropped, so a
 * report generator prints freely and the caller checks once, at
 * rout_flush. This is what lets a writer remove a half-written temporary
 * file and report "No space left on device" without every printf checked.
 *
 * Invariant: bytes reach the sink in the order written; nothing reaches it
 * after the first error.
 */
#ifndef REPORTS_ROUT_H
#define REPORTS_ROUT_H

#include <stddef.h>
#include <stdio.h>

typedef struct rout rout;

/* Returns an owned sink writing to fd (not closed by rout_free); free with
 * rout_free. */
rout *rout_fd(int fd);
/* Returns an owned sink writing to f with fwrite (f is not closed). */
rout *rout_file(FILE *f);
/* Returns an owned sink that keeps everything in memory (never fails). */
rout *rout_mem(void);
/* Flushes nothing: call rout_flush first if the bytes matter. NULL is a
 * no-op. */
void rout_free(rout *o);

void rout_write(rout *o, const void *p, size_t n);
void rout_puts(rout *o, const char *s);
void rout_putc(rout *o, char c);
void rout_printf(rout *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* s with & < > " ' escaped as entities, and control characters other than
 * tab and newline replaced by U+FFFD: safe in HTML/XML text and in
 * double-quoted attributes. NULL prints nothing. */
void rout_xml(rout *o, const char *s);
/* Same as rout_xml, and also newline and tab as character references, so
 * an XML attribute value keeps them. */
void rout_xml_attr(rout *o, const char *s);

/* s for a terminal or a log read line by line: control characters (C0,
 * DEL, C1) as visible escapes ("\\n", "\\x1b"), so a name cannot end a
 * line, forge the next one ("PASS ...", "::error::...") or move the
 * cursor. NULL prints nothing. */
void rout_text(rout *o, const char *s);
/* s as the text of a GitHub-flavoured Markdown table cell: ASCII
 * punctuation backslash-escaped (all but , ; " ' % / = ?, which start
 * nothing), '<' as &lt;: no link, image, emphasis, code span, autolink,
 * math, HTML tag, entity or cell border can form; control characters as
 * in rout_text, line breaks as spaces. */
void rout_md(rout *o, const char *s);

/* Push buffered bytes to the sink (and fflush a stdio stream). Returns 0,
 * or the errno of the first failure so far. */
int rout_flush(rout *o);
/* errno of the first failure so far, 0 if none. */
int rout_error(const rout *o);
/* Bytes accepted so far (buffered or written). */
size_t rout_length(const rout *o);

/* Memory sink only: the text written so far, NUL-terminated (borrowed:
 * valid until the next write or rout_free); *len may be NULL. */
const char *rout_mem_text(rout *o, size_t *len);

/* Test hook: the nth write to a file descriptor or stream from now on
 * (1 = the next one), across all sinks, fails with errnum (e.g. ENOSPC).
 * nth = 0 disables. Memory sinks are never affected. */
void rout_inject_failure(unsigned long nth, int errnum);

#endif
