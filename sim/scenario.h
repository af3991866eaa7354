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

/* One top-level section. parse gets the section's value; ctx is the
 * spec's ctx. Sections absent from the file are not called (their owners
 * keep AWS defaults). */
typedef struct scn_section {
	const char *key;
	int (*parse)(void *ctx, const jr_val *v, sim_error *err);
} scn_section;

/* One timeline call ("ecs:UpdateService", "sim:SetLoad"). parse validates
 * the input and returns a typed, arena-allocated value in *typed. */
typedef struct scn_call {
	const char *name;
	int (*parse)(void *ctx, const jr_val *input, void **typed,
	    sim_error *err);
} scn_call;

typedef struct scn_spec {
	void *ctx;
	const scn_section *sections;
	int nsections;
	const scn_call *calls;
	int ncalls;
	/* Cross-reference checks once everything is read (may be NULL). */
	int (*finish)(void *ctx, const struct scenario *s, sim_error *err);
} scn_spec;

typedef struct scenario {
	const char *path;        /* as given on the command line */
	const char *name;        /* "name", or the file's base name */
	const char *description; /* "" when absent */
	uint64_t seed;           /* "seed", default 1 */
	bool seed_given;
	sim_time duration;       /* "duration", default 1h */
	sim_time sample_interval; /* "sampleInterval", default 60s */
	plan *timeline;
	arena *arena; /* borrowed: holds everything above */
} scenario;

#define SCN_DEFAULT_SEED 1
#define SCN_DEFAULT_DURATION SIM_HOUR
#define SCN_DEFAULT_SAMPLE (60 * SIM_SEC)

/* Load path with spec. Everything (the scenario itself, strings, the
 * plan) is allocated from a, which the caller owns and frees after the last
 * use of the scenario and of the model config its sections filled. On
 * success *out is set. Unknown top-level keys, duplicate keys, wrong types
 * and failed cross-reference checks are SIM_EINPUT errors with position. */
int scn_load(const char *path, arena *a, const scn_spec *spec,
    scenario **out, sim_error *err);

#endif
