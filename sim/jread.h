/*
 * jread — strict, position-aware reading of JSON scenario files.
 *
 * cJSON parses; jread adds what cJSON lacks: the line and column of every
 * value, the JSON path of every value, rejection of duplicate and unknown
 * keys (with a "did you mean" for near misses), explicit type and range
 * checks (valueint is never trusted), and {"file": "x.json"} references to
 * other JSON files, resolved relative to the file that names them.
 *
 * Ownership: a jr_loader owns every document it read; jr_val cursors borrow
 * from it and die with jr_loader_free. Strings handed out are copied into
 * the arena given to jr_loader_new, so they outlive the loader. Model code
 * keeps no cJSON pointer past loading.
 *
 * Every reader returns 0 on success or SIM_EINPUT after filling *err with
 * "file:line:col: path: message". Messages name the rule broken, e.g.
 * "expected an integer in [100, 2147483647], got 50".
 *
 * Input rules: files are read only if they are regular files of at most
 * JR_MAX_FILE_BYTES (JR_MAX_TOTAL_BYTES for a loader in all); a loader
 * holds at most JR_MAX_VALUES JSON values in all; text must be valid UTF-8
 * (RFC 3629) and strings may not hold U+0000. JSON null means absent:
 * jr_get does not find a member whose value is null. {"file": "x.json"}
 * (an object whose only member is "file") stands for the value held in
 * x.json wherever a reader expects a value: object, array or scalar.
 *
 * Errors are collected: the loader keeps every error reported through it
 * (see jr_loader_collect), so a file with many independent problems shows
 * them all in one run. In collecting mode the errors that do not stop a
 * parser are not returned: unknown and duplicate keys (jr_done,
 * jr_object) and a wrong optional member (jr_opt_*: the default is used)
 * are recorded and the call returns 0. Everything else is returned as
 * before, and recorded. A check that fails on a value a reader already
 * refused replaces the reader's message (it says more); a check on an
 * object that holds a refused optional member, or made after a parser gave
 * up (jr_recover), is counted as possibly dependent, not listed.
 */
#ifndef SIM_JREAD_H
#define SIM_JREAD_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim/arena.h"
#include "sim/error.h"
#include "sim/simtime.h"

typedef struct jr_loader jr_loader;
typedef struct jr_doc jr_doc;

/* A cursor on one JSON value: lives on the stack, borrows its parent. The
 * path is built lazily from the parent chain only when needed. */
typedef struct jr_val {
	const cJSON *node;
	const jr_doc *doc;
	const struct jr_val *parent;
	const char *key; /* member name in parent object, or NULL */
	int index;       /* element index in parent array, or -1 */
	jr_loader *L;
} jr_val;

/* A position saved for later messages (cross-reference checks after
 * parsing). Strings live in the loader's arena. */
typedef struct jr_pos {
	const char *file;
	int line, col;
	const char *path;
} jr_pos;

#define JR_MAX_KEYS 96

/* What one loader may cost (a document of N values costs about 200 N
 * bytes of memory once parsed). */
#define JR_MAX_FILE_BYTES (16u << 20)   /* one file: 16 MiB */
#define JR_MAX_TOTAL_BYTES (64u << 20)  /* all files of a loader: 64 MiB */
#define JR_MAX_VALUES 1000000           /* JSON values of all files */

/* An object being read: tracks which members were asked for. */
typedef struct jr_obj {
	jr_val v;
	int nmembers;
	uint8_t used[JR_MAX_KEYS];       /* member i was consumed */
	const char *known[JR_MAX_KEYS];  /* names asked for (for suggestions) */
	int nknown;
} jr_obj;

/* Returns an owned loader; free with jr_loader_free (NULL is a no-op).
 * Strings are copied into a (borrowed; must outlive all use of strings). */
jr_loader *jr_loader_new(arena *a);
void jr_loader_free(jr_loader *L);
arena *jr_arena(jr_loader *L);

/* Collecting mode (off by default): errors that do not stop a parser are
 * recorded and not returned (see above). */
void jr_loader_collect(jr_loader *L, bool on);
/* Errors recorded so far (listed or not). */
size_t jr_error_count(const jr_loader *L);
/* Record an error found outside jread (e.g. by a caller's own check);
 * ignored when one at the same file, line and column is recorded. After
 * jr_recover it only counts as possibly dependent. */
void jr_record(jr_loader *L, const sim_error *err);
/* A parser stopped at an error (rc, with err as it returned it) and its
 * caller would go on with the next element or section: in collecting mode
 * records err (if not yet recorded) and returns true, and from now on
 * checks count as possibly dependent (what they check may rest on the part
 * that failed). Otherwise returns false: the caller returns rc. */
bool jr_recover(jr_loader *L, int rc, const sim_error *err);
/* Append the errors in file order (files in the order they were first
 * read, then line and column) to list, which caps them
 * (SIM_ERRLIST_MAX). */
void jr_errors(const jr_loader *L, sim_errlist *list);

/* Read a whole regular file of at most cap bytes into an owned,
 * NUL-terminated buffer (free it). Returns 0, or -1 with why filled
 * ("a FIFO, not a regular file ...", "20971520 bytes, over the limit
 * ...", or the system's reason). Never blocks on a FIFO. */
int jr_read_regular_file(const char *path, size_t cap, char **text,
    size_t *len, char *why, size_t whysize);
/* Read and parse a file (path as given, used in messages). On success *root
 * is a cursor on the document's root value. */
int jr_load_file(jr_loader *L, const char *path, jr_val *root, sim_error *err);
/* Parse text held in memory; name is used in messages. */
int jr_load_text(jr_loader *L, const char *name, const char *text,
    jr_val *root, sim_error *err);

/* Position and path of v (path like "services[0].deploymentConfiguration").
 * The root's path is "$" ... but printed as "" at the top level. */
jr_pos jr_where(const jr_val *v);
/* Fill *err for v with a formatted message; returns SIM_EINPUT. */
int jr_fail(const jr_val *v, sim_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, for a saved position. */
/* Member key of o is unknown, and fmt says more than jr_done would (what
 * was meant): reported at the key (the path is o's) as jr_done reports
 * an unknown key, and marked read. Returns 0 when the loader collects
 * every error (reading goes on), else SIM_EINPUT. */
int jr_unknown_key(jr_obj *o, const char *key, sim_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int jr_fail_at(const jr_pos *p, sim_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* JSON type name of v for messages: "object", "array", "string", "number",
 * "boolean", "null". */
const char *jr_type_name(const jr_val *v);
/* v itself, or the value its {"file": ...} reference names (read now):
 * for a reader that looks at a value's type before choosing how to read
 * it. Returns 0, or an error (the file cannot be read). */
int jr_resolve(const jr_val *v, jr_val *out, sim_error *err);

/* Objects. jr_object checks v is an object (after resolving a
 * {"file": "..."} reference: an object whose only member is "file"),
 * rejects duplicate keys, and starts tracking. */
int jr_object(const jr_val *v, jr_obj *o, sim_error *err);
/* Look up a member: returns true and sets *out if present and not null.
 * Marks the key as known and, if present (null included), as consumed.
 * Case-sensitive. */
bool jr_get(jr_obj *o, const char *key, jr_val *out);
/* Like jr_get but a missing key is an error "missing required key 'k'"
 * ("... (null)" when it is null; naming the member that differs only in
 * case, e.g. CloudFormation's 'Family', when there is one). */
int jr_need(jr_obj *o, const char *key, jr_val *out, sim_error *err);
/* Accept and ignore a key (read-only fields of describe-* outputs). */
void jr_ignore(jr_obj *o, const char *key);
/* Fail on the members that were not consumed: "unknown key 'x'" plus
 * "; did you mean 'y'?" when a known key is within edit distance 2 (or
 * differs only in case, with a word on PascalCase and camelCase). Every
 * unknown key is recorded; the first is returned (none in collecting
 * mode). Call after every jr_get. */
int jr_done(jr_obj *o, sim_error *err);
int jr_member_count(const jr_obj *o);
/* Iterate members of an object in file order (for maps keyed by name).
 * Marks the member consumed. A null member is returned (its key is data). */
bool jr_member(jr_obj *o, int i, jr_val *out);

/* Arrays. */
int jr_array(const jr_val *v, int *count, sim_error *err);
/* Element i of an array cursor on which jr_array succeeded
 * (0 <= i < count). */
void jr_elem(const jr_val *arr, int i, jr_val *out);

/* Scalars. Ranges are inclusive. */
int jr_bool(const jr_val *v, bool *out, sim_error *err);
int jr_int(const jr_val *v, int64_t lo, int64_t hi, int64_t *out,
    sim_error *err);
int jr_int32(const jr_val *v, int lo, int hi, int *out, sim_error *err);
int jr_num(const jr_val *v, double lo, double hi, double *out, sim_error *err);
/* Copy of the string into the loader's arena. */
int jr_str(const jr_val *v, const char **out, sim_error *err);
/* A string that must be one of names[0..n-1]; *out is its index. Suggests
 * the nearest name on a miss. */
int jr_enum(const jr_val *v, const char *const *names, int n, int *out,
    sim_error *err);
/* A duration: number of seconds or a string ("90s", "1h30m"), within
 * [lo, hi]. */
int jr_duration(const jr_val *v, sim_time lo, sim_time hi, sim_time *out,
    sim_error *err);

/* Optional-member helpers: absent → *out = def and 0. */
int jr_opt_bool(jr_obj *o, const char *key, bool def, bool *out,
    sim_error *err);
int jr_opt_int(jr_obj *o, const char *key, int64_t lo, int64_t hi,
    int64_t def, int64_t *out, sim_error *err);
int jr_opt_int32(jr_obj *o, const char *key, int lo, int hi, int def,
    int *out, sim_error *err);
int jr_opt_num(jr_obj *o, const char *key, double lo, double hi, double def,
    double *out, sim_error *err);
int jr_opt_str(jr_obj *o, const char *key, const char *def,
    const char **out, sim_error *err);
int jr_opt_enum(jr_obj *o, const char *key, const char *const *names, int n,
    int def, int *out, sim_error *err);
int jr_opt_duration(jr_obj *o, const char *key, sim_time lo, sim_time hi,
    sim_time def, sim_time *out, sim_error *err);
/* Required-member helpers: absent → "missing required key". */
int jr_req_int(jr_obj *o, const char *key, int64_t lo, int64_t hi,
    int64_t *out, sim_error *err);
int jr_req_int32(jr_obj *o, const char *key, int lo, int hi, int *out,
    sim_error *err);
int jr_req_num(jr_obj *o, const char *key, double lo, double hi, double *out,
    sim_error *err);
int jr_req_str(jr_obj *o, const char *key, const char **out, sim_error *err);
/* Optional array of strings: *out (in the loader's arena) and *n, or
 * NULL and 0 when the member is absent. */
int jr_opt_str_array(jr_obj *o, const char *key, const char ***out, int *n,
    sim_error *err);
int jr_req_enum(jr_obj *o, const char *key, const char *const *names, int n,
    int *out, sim_error *err);
int jr_req_duration(jr_obj *o, const char *key, sim_time lo, sim_time hi,
    sim_time *out, sim_error *err);

/* Grafts: the hook by which --set (sim/setpath.h) overrides a value before
 * any section reads it. with is the root cursor of a document this loader
 * read with jr_load_text; its value moves into the tree of another
 * document, and cursors that reach it from there (jr_get, jr_member,
 * jr_elem) report positions in with's text, so an error in a value given
 * on the command line points at the command line.
 * jr_graft_member makes it the value of member key of o (in place when o
 * has that member, else appended); key_at is the byte offset in with's
 * text where the member's name is written (for "unknown key" messages).
 * jr_graft_elem makes it element i (0 <= i < count) of the array arr.
 * Cursors and jr_obj taken on the parent before the graft are stale. */
void jr_graft_member(const jr_obj *o, const char *key, const jr_val *with,
    size_t key_at);
void jr_graft_elem(const jr_val *arr, int i, const jr_val *with);

/* Capture: the hook behind the generated scenario reference (sim/refgen).
 * With a capture function set, every reader reports what it was asked:
 * each member looked up (present or not), each value read with its type,
 * range and allowed names, each optional member's default. Off (the
 * default), it costs one test per read. */
typedef enum jr_ask_kind {
	JR_ASK_KEY,      /* member key of object v was looked up (jr_get) */
	JR_ASK_REQUIRED, /* ... and is required (jr_need) */
	JR_ASK_IGNORED,  /* ... and is accepted unread (jr_ignore) */
	JR_ASK_DEFAULT,  /* ... by a jr_opt_* helper: type, range, default */
	JR_ASK_MAP,      /* object v's members are names (jr_member) */
	JR_ASK_DOC,      /* member key of object v means sdef (jr_describe) */
	JR_ASK_OBJECT,   /* value v was read as this type: */
	JR_ASK_ARRAY,
	JR_ASK_BOOL,
	JR_ASK_INT,      /* lo, hi */
	JR_ASK_NUM,      /* dlo, dhi */
	JR_ASK_STR,
	JR_ASK_ENUM,     /* names[0..nnames-1] */
	JR_ASK_DURATION, /* lo, hi (sim_time) */
} jr_ask_kind;

typedef struct jr_ask {
	jr_ask_kind kind;
	const jr_val *v;   /* the value read, or the object asked of */
	const char *key;   /* member kinds: the member's name */
	bool present;      /* JR_ASK_KEY: the member is there */
	jr_ask_kind type;  /* JR_ASK_DEFAULT: the member's type */
	int64_t lo, hi;
	double dlo, dhi;
	const char *const *names;
	int nnames;
	bool has_def;      /* JR_ASK_DEFAULT: *def below is meaningful */
	bool bdef;
	int64_t idef;      /* INT, DURATION; ENUM: the index */
	double ddef;
	const char *sdef;  /* STR: may be NULL (no default) */
} jr_ask;

typedef void (*jr_capture_fn)(void *ctx, const jr_ask *ask);
/* Say what member key of o means, for the generated reference (text is
 * copied by the capture; nothing happens without one). */
void jr_describe(jr_obj *o, const char *key, const char *text);
/* Report every read of L's documents to fn (NULL: stop). */
void jr_set_capture(jr_loader *L, jr_capture_fn fn, void *ctx);

/* Compact JSON text of v (for backends that forward the raw call); copied
 * into the arena. A {"file": ...} reference already followed by a reader
 * is printed as the value it names. */
const char *jr_to_json(const jr_val *v);

/* Levenshtein distance, capped at cap+1 (exported for tests). */
int jr_edit_distance(const char *a, const char *b, int cap);

#endif
