/*
 * aws/backend — the plan runner's backend for AWS (sim/plan.h
 * backend_ops): setup, then each timeline action sent when the run's
 * clock reaches its time (real time since the start, times the clock
 * factor), the services observed between actions at the poll interval
 * (aws/observe.h), then the cleanup of what the run created.
 *
 * The clock factor is the endpoint's: an `ecsim serve --clock F` runs F
 * simulated seconds per wall second, and its answers' timestamps are on
 * that clock. With F = 1 (AWS) plan time 0 is the wall time the setup
 * ended; with another F it is the endpoint's clock then, read from the
 * Date header of the setup's last answer (to the second: +0.5 s, the
 * middle of that second, plus the wall time since, times F), so the
 * answers' timestamps map to plan time one to one.
 *
 * Every call goes through one function, awsb_send: references resolved
 * from earlier answers, the call sent (sim/aws_client.h, with its
 * retries), what its answer names saved, its check applied. Until the
 * serve branch's general `invoke(op, input_json)` seam lands on main,
 * this is the backend's "send one AWS operation".
 *
 * Invariants: nothing is deleted that this run did not create (each
 * cleanup call needs the reference its creation saved); an interrupt
 * (the flag the caller's SIGINT handler sets) stops the plan at the next
 * wait and the cleanup still runs.
 */
#ifndef MODEL_AWS_BACKEND_H
#define MODEL_AWS_BACKEND_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "model/aws/observe.h"
#include "model/aws/plan.h"
#include "sim/aws_client.h"
#include "sim/plan.h"
#include "sim/recorder.h"

typedef struct awsb_config {
	const awsplan *plan;          /* borrowed */
	aws_client *client;           /* borrowed */
	recorder *rec;                /* borrowed: observations go here */
	sim_time poll;                /* between observations (plan time;
	                               * poll / clock of wall time) */
	double clock;                 /* plan seconds per wall second (1):
	                               * the endpoint's clock factor */
	const char *const *accounts;  /* allowed account ids */
	int naccounts;
	volatile sig_atomic_t *interrupted; /* set by the caller's handler */
	FILE *log;                    /* progress lines; NULL for none */
	/* Wall clock and waits, replaceable for tests (NULL: the real ones). */
	double (*now)(void *ctx);     /* epoch seconds */
	void (*sleep_us)(void *ctx, sim_time us);
	void *ctx;
} awsb_config;

typedef struct awsb awsb;

/* Returns an owned backend; free with awsb_free. */
awsb *awsb_new(const awsb_config *cfg);
void awsb_free(awsb *b);

/* The account check alone: sts:GetCallerIdentity (the plan's first
 * call), refusing an account outside the allow-list. Returns 0 or
 * SIM_ERUNTIME. *account receives the account id. */
int awsb_identify(awsb *b, char *account, size_t size, sim_error *err);

/* Run the setup calls (after awsb_identify) and start the run's clock
 * and the observer. Returns 0, or SIM_ERUNTIME at the first failed call
 * (what was created until then is cleaned up by awsb_cleanup). */
int awsb_setup(awsb *b, sim_error *err);

/* The backend_ops of this backend (self: an awsb). apply sends the next
 * timeline call; advance waits and observes until the plan time. */
extern const backend_ops awsb_ops;

/* Observe once more, write events and facts (awsobs_finish). */
void awsb_finish(awsb *b);

/* Delete what the run created, in the plan's cleanup order; errors are
 * reported and skipped. Returns the number of cleanup calls that
 * failed. */
int awsb_cleanup(awsb *b);

/* Send one call of the plan (see the header comment). Returns 0 or
 * SIM_ERUNTIME; a call whose requirement is unset is skipped (returns 0,
 * *skipped true when skipped is given). */
int awsb_send(awsb *b, const awsplan_call *c, bool *skipped, sim_error *err);

/* Plan time now (seconds since the setup ended, times the clock). */
sim_time awsb_now(const awsb *b);

#endif
