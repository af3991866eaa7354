/*
 * optable — the table of AWS operations a backend answers, by name.
 *
 * An operation is named "service:Operation" with IAM's service prefix
 * ("ecs:DescribeServices", "elasticloadbalancing:DescribeTargetHealth",
 * "application-autoscaling:PutScalingPolicy", "cloudwatch:DescribeAlarms").
 * Its input and output are the JSON of AWS's API shapes, whatever wire
 * protocol carried them (sim/serve_wire converts the query protocol's forms and XML).
 *
 * The model fills a table from inside each model/<service>/ folder
 * (optab_service once per service, optab_add per operation); sim/ knows
 * no operation. optab_invoke parses the input strictly (jread), calls the
 * handler, and turns the handler's input errors into the service's
 * validation fault, so a handler reads its input with the jr_* readers and
 * gets AWS-shaped errors for free.
 *
 * Invariant: every operation's service was declared first; names are unique.
 */
#ifndef SIM_OPTABLE_H
#define SIM_OPTABLE_H

#include <stdbool.h>

#include "sim/arena.h"
#include "sim/aws_fault.h"
#include "sim/error.h"
#include "sim/jread.h"

/* A handler. self is the backend's object (the model). input is the parsed
 * request (an object; its strings live until the handler returns: copy what
 * you keep). On success return 0 with *output_json an owned JSON text
 * (malloc'd; the caller frees it). Return:
 *   SIM_EFAULT with *fault set: AWS's answer is an error (not found, ...);
 *   SIM_EINPUT with *err set (jr_* readers do it): the input breaks a rule;
 *     answered as the service's validation fault with err's path and text;
 *   any other SIM_E* with *err: ecsim failed (answered 500 InternalFailure). */
typedef int (*optab_fn)(void *self, const jr_val *input, char **output_json,
    aws_fault *fault, sim_error *err);

/* Flags of an operation. */
enum {
	OPTAB_READ = 1, /* changes no state (Describe*, List*, Get*): never
	                 * journaled, safe to repeat */
};

typedef struct optab optab;

/* Returns an empty table allocated from a (it lives as long as a, like the
 * model's configuration that holds it). */
optab *optab_new(arena *a);
/* Declare a service: the error code (HTTP 400, Sender) its input validation
 * failures answer with ("InvalidParameterException" for ECS,
 * "ValidationError" for ELBv2, "ValidationException" for Application Auto
 * Scaling, "InvalidParameterValue" for CloudWatch), and the one for an
 * operation it does not have ("UnknownOperationException" for the JSON
 * protocols, "InvalidAction" for the query protocol). Strings are borrowed
 * (string literals). Declaring a service twice is a programmer error. */
void optab_service(optab *t, const char *service, const char *invalid_code,
    const char *unknown_code);
/* Add operation op ("ecs:DescribeServices") answered by fn. Its service must
 * be declared; op is borrowed. Adding an operation twice aborts. */
void optab_add(optab *t, const char *op, optab_fn fn, unsigned flags);
/* True when t answers op; *flags (may be NULL) gets its flags. */
bool optab_has(const optab *t, const char *op, unsigned *flags);
/* Number of operations, and the name of the i-th in the order added. */
int optab_count(const optab *t);
const char *optab_name(const optab *t, int i);

/* Answer op with input_json (NULL or "" is "{}") on self. The strings of
 * the input of an operation not flagged OPTAB_READ are copied into keep
 * (the backend may keep them: what a call creates lives as long as the
 * backend); read operations parse into a temporary arena. Returns 0 with
 * *output_json owned by the caller; SIM_EFAULT with *fault set (unknown
 * operation, malformed JSON: SerializationException, input errors: the
 * service's validation code, or the handler's own fault); or another
 * SIM_E* from the handler with *err set. */
int optab_invoke(const optab *t, void *self, arena *keep, const char *op,
    const char *input_json, char **output_json, aws_fault *fault,
    sim_error *err);

#endif
