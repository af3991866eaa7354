/*
 * wire — the AWS wire protocols ecsim serve speaks, as the real clients
 * (awscli v2 / botocore, the AWS SDK for JavaScript v3) send them:
 *
 *   ECS                      JSON 1.1  X-Amz-Target: AmazonEC2ContainerServiceV20141113.Op
 *   Application Auto Scaling JSON 1.1  X-Amz-Target: AnyScaleFrontendService.Op
 *   CloudWatch               JSON 1.0  X-Amz-Target: GraniteServiceVersion20100801.Op
 *                                      (the JS SDK), or query (awscli v2)
 *   Elastic Load Balancing   query     Action=Op&Version=2015-12-01&...
 *
 * Decoding turns a request into an operation name ("ecs:DescribeServices")
 * and its input as AWS's JSON shape: JSON bodies pass through; query forms
 * are typed from the generated shape table (sim/serve_shapes.h): numbers,
 * booleans, ISO 8601 timestamps to epoch seconds, "X.member.N" lists,
 * "X.entry.N.key/value" maps. A query request's service is the one its
 * SigV4 credential scope names (elasticloadbalancing, monitoring), else the
 * first path segment, else its Version. Encoding writes an operation's JSON
 * output in the service's protocol (JSON as is; XML for the query protocol:
 * <OpResponse><OpResult>..</OpResult><ResponseMetadata>, lists as <member>,
 * timestamps ISO 8601), and an aws_fault as the protocol's error
 * ({"__type","message"} with HTTP 400, or <ErrorResponse><Error><Type>).
 * Smithy RPC v2 CBOR (the newest CloudWatch clients) is refused with a
 * clear error.
 *
 * Invariant: decoding never trusts the request: any byte string gets either
 * a call or a fault, within bounded memory (see WIRE_MAX_*), never a crash.
 */
#ifndef SIM_SERVE_WIRE_H
#define SIM_SERVE_WIRE_H

#include <stddef.h>

#include "sim/aws_fault.h"

#define WIRE_MAX_PARAMS 2000   /* query parameters in one request */
#define WIRE_MAX_DEPTH 16      /* components of one parameter name */
#define WIRE_MAX_INDEX 1000    /* N of .member.N and .entry.N */

typedef struct wire_header {
	const char *name, *value;
} wire_header;

/* One HTTP request, borrowed from the HTTP layer. */
typedef struct wire_request {
	const char *method;           /* "POST" */
	const char *path;             /* without the query string */
	const char *query;            /* raw query string, NULL when none */
	const wire_header *headers;
	size_t nheaders;
	const char *body;             /* need not be NUL-terminated */
	size_t body_len;
} wire_request;

typedef enum wire_proto {
	WIRE_JSON11, /* also the shape of errors when nothing else is known */
	WIRE_JSON10,
	WIRE_QUERY,
} wire_proto;

/* A decoded call. */
typedef struct wire_call {
	wire_proto proto;
	char service[32];  /* IAM prefix ("ecs"), "" when unknown */
	char op[160];      /* "ecs:DescribeServices", "" when unknown */
	char *input_json;  /* owned: the input as AWS's JSON shape */
} wire_call;

/* One HTTP response. */
typedef struct wire_response {
	int status;
	const char *content_type;  /* static string */
	char *body;                /* owned (free) */
	size_t len;
	char query_error[200];     /* x-amzn-query-error value, or "" */
	char request_id[64];       /* x-amzn-RequestId value, or "" */
	double date;               /* Date header (epoch seconds), or 0: the
	                            * HTTP server's own */
} wire_response;

/* The value of header name (case-insensitive), or NULL. Borrowed. */
const char *wire_header_get(const wire_request *rq, const char *name);

/* Decode rq. Returns 0 with *call filled (free with wire_call_free), or
 * SIM_EFAULT with *fault set and call->proto/service set as far as known
 * (so the fault is written in the protocol the client reads). */
int wire_decode(const wire_request *rq, wire_call *call, aws_fault *fault);
void wire_call_free(wire_call *call);

/* Write output_json (the operation's output) as call's protocol answers
 * it, with request_id. Returns 0, or SIM_EFAULT with *fault set (500,
 * InternalFailure) when the output does not fit the operation's shape. */
int wire_encode_output(const wire_call *call, const char *output_json,
    const char *request_id, wire_response *rs, aws_fault *fault);
/* Write fault as call's protocol answers it. */
void wire_encode_fault(const wire_call *call, const aws_fault *fault,
    const char *request_id, wire_response *rs);
/* Free rs->body and reset *rs. */
void wire_response_free(wire_response *rs);

/* Epoch seconds <-> ISO 8601 ("2026-12-05T17:13:50.000Z"); the parser
 * takes AWS's forms (fraction and Z or +hh:mm optional). Return 0 or -1. */
int wire_iso8601_parse(const char *s, double *epoch);
void wire_iso8601_format(double epoch, char *buf, size_t size);

#endif
