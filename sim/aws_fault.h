/*
 * aws_fault — an error as AWS answers it: the error code AWS documents for
 * the operation ("ClusterNotFoundException", "TargetGroupNotFound",
 * "ValidationException"), its message, the HTTP status, and whose fault it
 * is (Sender: the request; Receiver: the service).
 *
 * It is what an operation answers instead of its output (backend_ops.invoke,
 * sim/optable.h): serve writes it in the wire shape of the service's
 * protocol, the AWS backend reads it from AWS's answer. It is not a
 * sim_error: a refused call is a normal answer of a service, not a failure
 * of ecsim (those stay sim_errors with their SIM_E* codes).
 *
 * Invariant: a set fault has a non-empty code and a status in 400..599.
 * Fixed buffers, nothing to free; longer texts are truncated.
 */
#ifndef SIM_AWS_FAULT_H
#define SIM_AWS_FAULT_H

#include <stdbool.h>

typedef enum aws_fault_party {
	AWS_FAULT_SENDER,   /* the caller's fault (4xx): <Type>Sender</Type> */
	AWS_FAULT_RECEIVER, /* the service's fault (5xx): <Type>Receiver</Type> */
} aws_fault_party;

typedef struct aws_fault {
	int status;            /* HTTP status; 0 while unset */
	aws_fault_party party;
	char code[96];         /* AWS error code, no namespace prefix */
	char message[1024];    /* AWS's message text */
} aws_fault;

/* Reset *f to "no fault". */
void aws_fault_clear(aws_fault *f);
/* True when a fault was set. */
bool aws_fault_isset(const aws_fault *f);
/* Fill *f and return SIM_EFAULT (so a handler can `return aws_fault_set(...)`).
 * status must be in 400..599 and code non-empty (programmer errors abort). */
int aws_fault_set(aws_fault *f, int status, aws_fault_party party,
    const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The common case: HTTP 400, Sender. Returns SIM_EFAULT. */
int aws_fault_client(aws_fault *f, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
