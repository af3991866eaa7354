/*
 * scenario — loading a scenario file: the run settings (name, description,
 * seed, duration, sampleInterval), the timeline, and every other top-level
 * section through a table that the model (and reports) register.
 *
 * A section parser reads its JSON into typed structs it owns (allocated
 * from the scenario's arena); cJSON is gone when scn_load returns. After
 * all sections are read, each "finish" hook runs in table order to check
 * cross-references (a service naming a task definition that does not
 * exist, an expectation naming an unknown service) with the saved jr_pos of
 * the offending value.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/arena.h"
#include "sim/error.h"
#include "sim/jread.h"
#include "sim/simtime.h"

typedef struct plan plan;
struct scenario;

/* One top-level section. parse gets the section's value and the ctx its
 * owner registered. Sections absent from the file are not called (their
 * owners keep AWS defaults). Sections are parsed in table order. */
typedef struct scn_section {
	const char *key;
	int (*parse)(void *ctx, const jr_val *v, sim_error *err);
	void *ctx;
} scn_section;

/* One timeline call ("ecs:UpdateService", "sim:SetLoad"). parse validates
 * the input (at time `at`) and returns a typed, arena-allocated value. */
typedef struct scn_call {
	const char *name;
	int (*parse)(void *ctx, sim_time at, const jr_val *input, void **typed,
	    sim_error *err);
	void *ctx;
} scn_call;

/* A cross-reference check run once everything is read. */
typedef struct scn_finish {
	int (*fn)(void *ctx, const struct scenario *s, sim_error *err);
	void *ctx;
} scn_finish;

#define SCN_MAX_SECTIONS 32
#define SCN_MAX_CALLS 48
#define SCN_MAX_FINISH 8

/* The sections, calls and checks that the model and the reports register
 * (scn_spec_add_*), in order. */
typedef struct scn_spec {
	scn_section sections[SCN_MAX_SECTIONS];
	int nsections;
	scn_call calls[SCN_MAX_CALLS];
	int ncalls;
	scn_finish finish[SCN_MAX_FINISH];
	int nfinish;
	bool skip_timeline; /* accept "timeline" and leave it out (its calls
	                     * are neither validated nor planned): ecsim serve
	                     * --no-timeline, where clients make the calls */
} scn_spec;

void scn_spec_add_section(scn_spec *sp, const char *key,
    int (*parse)(void *, const jr_val *, sim_error *), void *ctx);
void scn_spec_add_call(scn_spec *sp, const char *name,
    int (*parse)(void *, sim_time, const jr_val *, void **, sim_error *),
    void *ctx);
void scn_spec_add_finish(scn_spec *sp,
    int (*fn)(void *, const struct scenario *, sim_error *), void *ctx);

typedef struct scenario {
	const char *path;        /* as given on the command line */
	const char *name;        /* "name", or the file's base name */
	const char *description; /* "" when absent */
	uint64_t seed;           /* "seed", default 1 */
	bool seed_given;
	sim_time duration;       /* "duration", default 1h */
	sim_time sample_interval; /* "sampleInterval", default by duration
	                             (scn_default_sample) */
	bool sample_given;       /* "sampleInterval" was in the file */
	jr_pos sample_pos;       /* of its value, else of the top-level object */
	plan *timeline;
	arena *arena; /* borrowed: holds everything above */
} scenario;

#define SCN_DEFAULT_SEED 1
#define SCN_DEFAULT_DURATION SIM_HOUR

/* The sampleInterval of a run of this duration that does not give one:
 * 1 minute up to a day, 5 minutes up to a week, 1 hour beyond — a month
 * is 721 rows per series instead of 43,201. */
sim_time scn_default_sample(sim_time duration);

/* Load path with spec. Everything (the scenario itself, strings, the
 * plan) is allocated from a, which the caller owns and frees after the last
 * use of the scenario and of the model config its sections filled. On
 * success *out is set. Unknown top-level keys, duplicate keys, wrong types
 * and failed cross-reference checks are SIM_EINPUT errors with position. */
int scn_load(const char *path, arena *a, const scn_spec *spec,
    scenario **out, sim_error *err);
/* How scn_load_opts reads a scenario. All members may be zero. */
typedef struct scn_load_opts {
	const char *const *sets; /* overrides, as scn_load_sets */
	int nsets;
	const char *text;        /* the scenario's text (path only names it in
	                          * messages), or NULL: read the file path */
	jr_capture_fn capture;   /* every read reported (jread capture) */
	void *capture_ctx;
	sim_errlist *errs;       /* every loading error is added here (may be
	                          * NULL: *err gets the first) */
} scn_load_opts;

/* scn_load as lo says (borrowed). */
int scn_load_with(const char *path, arena *a, const scn_spec *spec,
    const scn_load_opts *lo, scenario **out, sim_error *err);

/* scn_load with overrides: sets[0..nsets-1] are "PATH=VALUE" assignments
 * (sim/setpath.h) applied in order to the file's document before any
 * section reads it; a later one wins. Messages about an override or its
 * value read "--set:K:COL: path: message", K the 1-based index in sets,
 * COL the byte in it. sets is borrowed. */
int scn_load_sets(const char *path, arena *a, const scn_spec *spec,
    const char *const *sets, int nsets, scenario **out, sim_error *err);
/* The same, collecting every independent error of the file (the loader's
 * collecting mode: a section or timeline entry that fails does not stop
 * the others; cross-reference checks run only when nothing else failed).
 * On failure *err is the first error in file order and, when errs is not
 * NULL, every error is appended to it (capped, see sim_errlist). */
int scn_load_all(const char *path, arena *a, const scn_spec *spec,
    scenario **out, sim_error *err, sim_errlist *errs);
/* Both: overrides and every error. */
int scn_load_sets_all(const char *path, arena *a, const scn_spec *spec,
    const char *const *sets, int nsets, scenario **out, sim_error *err,
    sim_errlist *errs);

#endif
