/*
 * refgen — the scenario reference (docs/scenario.md) and JSON Schema
 * (`ecsim schema`), generated from what the loader itself asks of a
 * scenario. Scenarios are loaded with a jread capture (jr_set_capture)
 * feeding refgen_capture; every member looked up, every value read with
 * its type and range, every optional member's default and allowed names
 * lands in a tree of path patterns (services[].deploymentConfiguration),
 * merged over all the scenarios read. Knows no ECS: the sections, keys
 * and texts all come from the loader's calls.
 *
 * Coverage: a member the loader looks up with a bare jr_get (its type
 * stated only by the code that reads it) is known by type only once a
 * scenario gives it; such a member never given is a "gap" (refgen_gaps),
 * which the reference test turns into a failure. Members read through the
 * jr_opt_* helpers carry their type, range and default even when absent.
 *
 * Invariant: the output depends only on the sequence of reads, so the
 * same scenarios give the same bytes.
 */
#ifndef SIM_REFGEN_H
#define SIM_REFGEN_H

#include <stdio.h>

#include "sim/jread.h"

typedef struct refgen refgen;

/* Returns an owned, empty reference; free with refgen_free. */
refgen *refgen_new(void);
void refgen_free(refgen *g);
/* Elements of the array at path (a pattern such as "timeline") differ by
 * their member key ("call"): each value is documented on its own, as
 * timeline[call=ecs:UpdateService]. Call before capturing. */
void refgen_variants(refgen *g, const char *path, const char *key);
/* Variant value of the array at path is expected (a timeline call the
 * loader knows): refgen_gaps names it while no scenario gives it. Order
 * of calls is the order variants are documented in. */
void refgen_expect_variant(refgen *g, const char *path, const char *value);
/* The document being read next (named in refgen_gaps). */
void refgen_source(refgen *g, const char *name);
/* A jr_capture_fn: ctx is the refgen. */
void refgen_capture(void *ctx, const jr_ask *ask);

/* A scenario read with the capture stopped with an error (message msg at
 * the concrete JSON path path): when the member found present last is
 * the one at path and was never read as a type, the loader rejects it
 * on purpose; it is documented as not supported, with msg. */
void refgen_failed(refgen *g, const char *path, const char *msg);
/* After the last capture, before any output: objects that ask for the
 * same members as one met earlier (one parser, several places: a
 * describe-* wrapper, a timeline call's input) are documented as that
 * one, and count as covered where it is. */
void refgen_finish(refgen *g);
/* Print, one per line, the members the loader looked up that no
 * scenario gave and whose type is therefore unknown ("path: key").
 * Returns how many. */
size_t refgen_gaps(const refgen *g, FILE *f);
/* Print every member as "pattern<TAB>key" (the coverage test compares
 * them with the keys named in the loaders' sources). */
void refgen_keys(const refgen *g, FILE *f);
/* The reference in Markdown: intro (Markdown, printed first), then one
 * table per object. */
void refgen_markdown(const refgen *g, FILE *f, const char *intro);
/* A JSON Schema (draft 2020-12) of the root object. */
void refgen_schema(const refgen *g, FILE *f, const char *title,
    const char *description);

#endif
