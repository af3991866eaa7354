/*
 * setpath — overriding scenario values by JSON path, the resolver behind
 * `ecsim run --set PATH=VALUE` (and sweeps): applied to the loaded
 * document before any section reads it, so an overridden value is checked
 * exactly like one written in the file.
 *
 * PATH is key(.key|[index]|[name])*:
 *   .key / [key]     a member of an object (["a.b"] for names with dots or
 *                    brackets; JSON string escapes inside the quotes);
 *   [index]          an array element by position from 0;
 *   [name] ["name"]  the one array element whose identifying member
 *                    (setpath_id_keys, the first present that is a string)
 *                    equals name, or a string element equal to name.
 * {"file": ...} references are followed as the loader follows them, so
 * services[api] finds a service kept in its own file (and the override
 * lands in that file's tree: every use of the file sees it).
 * VALUE is JSON when it parses as JSON (-1, true, {"constant": 300},
 * "quoted"), else the string itself (2h, us-east-1a); a VALUE that starts
 * with '{', '[' or '"' must be valid JSON.
 * Every part of PATH but the last must exist; the last may add a member to
 * an object that exists (the section's reader then rejects an unknown
 * key, pointing at the --set). Arrays never grow.
 *
 * Invariant: an override either applies whole or leaves the document
 * unchanged and fails with "origin:line:col: path: message", col counting
 * bytes of the assignment from 1. Errors found later in the value itself
 * (a range, a type, an unknown key) carry the same origin:line:col.
 */
#ifndef SIM_SETPATH_H
#define SIM_SETPATH_H

#include "sim/error.h"
#include "sim/jread.h"

/* Members that name an array element for [name], in the order tried;
 * NULL-terminated. */
extern const char *const setpath_id_keys[];

/* Apply one override, assignment "PATH=VALUE", to the document whose root
 * cursor is root (from jr_load_file or jr_load_text; its loader keeps the
 * value). origin and line name the override in messages ("--set" and the
 * 1-based number of the --set on the command line; a sweep may pass its
 * file and line). Cursors taken inside the document before the call are
 * stale after it. Returns 0, or SIM_EINPUT with *err filled: a malformed
 * PATH or VALUE, or a part of PATH that names nothing (with the names
 * there are, or the nearest). */
int setpath_apply(const jr_val *root, const char *origin, int line,
    const char *assignment, sim_error *err);

#endif
