/*
 * server — what `ecsim serve` does with one HTTP request, with no sockets:
 * the AWS operations (decoded by sim/serve_wire, answered by a backend's
 * invoke at the current simulated time), the virtual clock, the optional
 * SigV4 check, and the admin endpoints under /_ecsim/:
 *
 *   GET  /_ecsim/state             the clock and counters (JSON)
 *   POST /_ecsim/advance           {"by":"5m"} | {"to":"1h"} |
 *                                  {"until":"steady","max":"1h"}
 *   POST /_ecsim/reset             a fresh backend at time 0
 *   GET  /_ecsim/report[/NAME]     the session's report as `run -o` writes
 *                                  it: summary.json (default), timeline.csv,
 *                                  events.log, report.html
 *
 * The clock is manual (time moves only through /_ecsim/advance) or a
 * factor of wall time (1 = realtime; 60 = a simulated minute per second):
 * before each request, and on srv_tick, the backend is advanced to the
 * wall-derived time. Requests are applied at the current simulated time.
 *
 * Every operation that changes state (not Describe*, List*, Get*) and
 * succeeds is journaled with its simulated time; a report replays the
 * journal on a fresh backend (the engine is deterministic), runs it to the
 * current time and finishes that copy, so the live session goes on.
 *
 * Invariant: srv_handle answers every request (an AWS-shaped error at
 * worst) and never aborts on input; the backend's clock never goes back.
 */
#ifndef SIM_SERVE_SERVER_H
#define SIM_SERVE_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/serve_wire.h"
#include "sim/error.h"
#include "sim/plan.h"
#include "sim/simtime.h"

/* How the server gets backends and reports (the CLI ties it to the model
 * and the reports; tests give a fake). */
typedef struct srv_factory {
	void *ctx;
	/* A fresh backend at simulated time 0: *ops and *self. */
	int (*open)(void *ctx, const backend_ops **ops, void **self,
	    sim_error *err);
	/* Write report `name` of backend self (advanced to the session's
	 * time) into *out (owned, free()), *len, *ctype (static). May finish
	 * self: it is closed right after. Unknown name: SIM_EINPUT. May be
	 * NULL (no reports). */
	int (*report)(void *ctx, void *self, const char *name, char **out,
	    size_t *len, const char **ctype, sim_error *err);
} srv_factory;

typedef enum srv_clock {
	SRV_CLOCK_MANUAL,
	SRV_CLOCK_FACTOR, /* factor 1: realtime */
} srv_clock;

typedef struct srv_opts {
	srv_clock clock;
	double factor;          /* simulated seconds per wall second (> 0) */
	sim_time horizon;       /* the clock stops here; 0: no limit */
	const char *auth_key;   /* --auth KEY:SECRET, or NULL (any credentials) */
	const char *auth_secret;
	double epoch;           /* epoch seconds of simulated time 0 (as in the
	                         * answers' timestamps): the Date header of an
	                         * operation's answer is epoch + now, the
	                         * server's clock as AWS's Date is; 0: none */
} srv_opts;

typedef struct srv srv;

/* Returns an owned server with a fresh backend (time 0, wall time `wall`
 * in seconds as anchor), or NULL with *err set; free with srv_free.
 * f and o are copied (their strings borrowed). */
srv *srv_new(const srv_factory *f, const srv_opts *o, double wall,
    sim_error *err);
void srv_free(srv *s);

/* Answer rq received at wall time `wall` (seconds, any origin as long as
 * it is the one given to srv_new). *rs is owned by the caller
 * (wire_response_free). */
void srv_handle(srv *s, const wire_request *rq, double wall,
    wire_response *rs);
/* Answer rq with an error without looking at its body (status 413 for an
 * oversized body): in the protocol its headers announce. */
void srv_refuse(srv *s, const wire_request *rq, int status, const char *code,
    const char *message, wire_response *rs);
/* Move the clock to the wall-derived time (no-op in manual mode). Returns
 * 0, or the backend's error (the server keeps answering). */
int srv_tick(srv *s, double wall, sim_error *err);
/* The current simulated time. */
sim_time srv_now(const srv *s);
/* Requests answered so far. */
unsigned long srv_requests(const srv *s);

#endif
