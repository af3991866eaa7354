/*
 * aws_client — one AWS operation over HTTPS: serialised in the wire
 * protocol of its service, signed with Signature Version 4 by libcurl
 * (CURLOPT_AWS_SIGV4 "aws:amz:REGION:SERVICE"), sent, retried on
 * throttling and transient errors (sim/aws_retry.h), and its answer read
 * back as JSON whatever the protocol.
 *
 * Protocols (as the services' own API models say, and real clients send):
 *   JSON 1.1 — ECS (X-Amz-Target: AmazonEC2ContainerServiceV20141113.Op),
 *     Application Auto Scaling (AnyScaleFrontendService.Op), CodeDeploy
 *     (CodeDeploy_20141006.Op): POST / with the input JSON as the body,
 *     Content-Type application/x-amz-json-1.1; errors carry "__type".
 *   query — ELBv2 (Version 2015-12-01), STS (2011-06-15): POST / with a
 *     form body Action=Op&Version=V&Name.member.1=...; XML answers
 *     (sim/aws_xml.h); errors <ErrorResponse><Error><Code>.
 * Every request goes to path "/" with no query string (libcurl 7.88 does
 * not sort query parameters when it signs, so none are ever used).
 *
 * Endpoints: https://PREFIX.REGION.amazonaws.com by default; a global
 * override (--endpoint-url URL) or one per service (--endpoint-url
 * ecs=URL) replaces it, as the AWS CLI's --endpoint-url does.
 *
 * The transport needs libcurl (ECSIM_HAVE_AWS); without it awsc_new
 * returns NULL and awsc_available is false. The pure parts (service table,
 * query serialisation, error parsing) are always built.
 */
#ifndef SIM_AWS_CLIENT_H
#define SIM_AWS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "sim/aws_creds.h"
#include "sim/aws_retry.h"
#include "sim/error.h"
#include "sim/simtime.h"

typedef enum aws_protocol {
	AWS_JSON11,
	AWS_QUERY,
} aws_protocol;

/* One AWS service as the client speaks to it. */
typedef struct aws_service {
	const char *name;     /* as in plan calls: "ecs", "elbv2", ... */
	const char *signing;  /* SigV4 service name: "elasticloadbalancing" */
	const char *prefix;   /* endpoint host prefix */
	aws_protocol protocol;
	const char *target;   /* JSON 1.1 target prefix; query: API version */
} aws_service;

/* The service called name ("ecs", "application-autoscaling", "elbv2",
 * "codedeploy", "sts"), or NULL. */
const aws_service *awsc_service(const char *name);

/* True when the transport was built (libcurl and libxml2 present). */
bool awsc_available(void);

typedef struct aws_client aws_client;

/* Waits and jitter, replaceable for tests. sleep_us waits us microseconds;
 * uniform returns a draw in [0, 1). NULL members mean the real ones
 * (nanosleep, a generator seeded from the clock). */
typedef struct awsc_hooks {
	void (*sleep_us)(void *ctx, sim_time us);
	double (*uniform)(void *ctx);
	void *ctx;
} awsc_hooks;

typedef struct awsc_config {
	const aws_creds *creds;   /* borrowed; copied by awsc_new */
	aws_retry_policy retry;
	long timeout_ms;          /* per attempt; 0: 30 s */
	awsc_hooks hooks;
	/* Tests only: a fixed X-Amz-Date ("20150830T123600Z") for the
	 * signature, and a CURLOPT_CONNECT_TO entry ("host:80:127.0.0.1:P")
	 * so a request for a named host reaches a local listener. */
	const char *fixed_date;
	const char *connect_to;
} awsc_config;

/* Returns an owned client (free with awsc_free), or NULL when the
 * transport is not built. */
aws_client *awsc_new(const awsc_config *cfg);
void awsc_free(aws_client *c);

/* Send service's requests to url ("http://127.0.0.1:4566"): for every
 * service when service is NULL, else for that one (it wins over the
 * global one). Returns 0, or SIM_EUSAGE for an unknown service or a URL
 * that is not http(s)://. */
int awsc_set_endpoint(aws_client *c, const char *service, const char *url,
    sim_error *err);
/* The endpoint service's requests go to, into buf. */
void awsc_endpoint(const aws_client *c, const aws_service *s, char *buf,
    size_t size);

/* The answer to one operation. */
typedef struct awsc_result {
	long http_status;     /* of the last attempt; 0: no response */
	int attempts;
	char *body;           /* owned: the raw response body ("" if none) */
	cJSON *json;          /* owned: the answer as JSON (query: converted
	                       * from XML), NULL on error */
	char code[128];       /* AWS's error code; "" on success */
	char message[1024];
	char request_id[128];
	double date;          /* the answer's Date header (epoch seconds, to
	                       * the second): the server's clock; 0 if none */
} awsc_result;

void awsc_result_fini(awsc_result *r);

/* Call op of service with input (a JSON object, borrowed; NULL means {}).
 * Retries as the policy says. Returns 0 on an HTTP 2xx answer, or
 * SIM_ERUNTIME with *err saying "ecs:UpdateService: <code>: <message>"
 * (or the transport failure) and out filled as far as known. out is
 * always initialised; release it with awsc_result_fini. */
int awsc_call(aws_client *c, const char *service, const char *op,
    const cJSON *input, awsc_result *out, sim_error *err);

/* A raw signed request, the path every call takes: method ("POST",
 * "GET"), url, signing service name and region (NULL: the client's),
 * content type (NULL: none), extra header lines ("X-Amz-Target: x"; NULL
 * terminated or NULL), body (NULL: none). One attempt, no retry: fills
 * http_status, body and request id. Returns 0 when a response arrived
 * (whatever its status), SIM_ERUNTIME when none did. */
typedef struct awsc_request {
	const char *method;
	const char *url;
	const char *signing_service;
	const char *region;
	const char *content_type;
	const char *const *headers;
	const char *body;
	size_t body_len;
} awsc_request;
int awsc_send(aws_client *c, const awsc_request *rq, awsc_result *out,
    sim_error *err);

/* The query protocol's form body for op of a service with API version
 * and input: "Action=Op&Version=V" then the input's members flattened
 * in order (objects as Name.Sub, arrays as Name.member.N, booleans as
 * true/false, numbers as integers when integral), percent-encoded per
 * RFC 3986. Returns an owned string (free with free). */
char *awsc_query_body(const char *op, const char *version, const cJSON *input);

/* AWS's error code and message in a JSON 1.1 error body: "__type"
 * without its namespace ("com.amazonaws.ecs#ClusterNotFoundException" ->
 * "ClusterNotFoundException") or the x-amzn-ErrorType header's value
 * when given, and "message" or "Message". Returns true when a code was
 * found. */
bool awsc_json_error(const char *body, const char *error_type_header,
    char *code, size_t csize, char *msg, size_t msize);

#endif
