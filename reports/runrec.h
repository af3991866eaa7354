/*
 * runrec — what one run of a batch (a seed, at one sweep point) hands
 * back: its metrics (reports/metrics.h), each expectation's verdict, or
 * the error that stopped it. Workers send it to the parent as compact
 * binary over a pipe (or an MPI message); partial results keep it as JSON.
 *
 * Invariant: decode(encode(r)) == r, both ways (binary and JSON), to the
 * bit: doubles travel as their IEEE-754 bits (binary) or as text that
 * reads back to the same double (JSON, 17 significant digits when
 * needed), so merged results equal unsharded ones byte for byte.
 */
#ifndef REPORTS_RUNREC_H
#define REPORTS_RUNREC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "reports/expect.h"
#include "reports/metrics.h"
#include "reports/rout.h"
#include "sim/error.h"
#include "sim/recorder.h"

typedef struct rrun_verdict {
	bool pass, no_data;
	char *kind;     /* owned: "deploymentCompletes" */
	char *bound;    /* owned: "COMPLETED within 10m" */
	char *measured; /* owned; kept for failed verdicts only, else NULL */
} rrun_verdict;

typedef struct rrun {
	int status;      /* 0, or the exit code of a run that failed (3) */
	char *error;     /* owned message when status != 0, else NULL */
	rmet_set m;
	rrun_verdict *v; /* one per expectation, in order */
	size_t nv;
} rrun;

/* The record of a finished run (r and res borrowed; res may be NULL). */
void rrun_from_run(rrun *out, const recorder *r, const expect_result *res);
/* The record of a run that failed with exit code status and message. */
void rrun_failed(rrun *out, int status, const char *msg);
/* Free what *r owns (r itself is the caller's); zeroes it. */
void rrun_free(rrun *r);

/* Append the binary form of r to o. */
void rrun_encode(const rrun *r, rout *o);
/* Read a binary record of len bytes. Returns 0, or -1 when malformed
 * (then *out is empty). */
int rrun_decode(rrun *out, const void *p, size_t len);

/* The JSON form, added to object o: "status", "error" (when failed),
 * "values": {key: value}, "units": {key: [unit, better]}, "verdicts":
 * [[pass, noData, kind, bound, measured]]. */
void rrun_add_json(cJSON *o, const rrun *r);
/* Read the JSON form. Returns 0, or SIM_EINPUT with what is wrong in
 * *err (path is set to where). */
int rrun_from_json(rrun *out, const cJSON *j, const char *where,
    sim_error *err);

#endif
