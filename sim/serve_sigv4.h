/*
 * sigv4 — checking AWS Signature Version 4 on a request (`ecsim serve
 * --auth KEY:SECRET`), so that a client configured for ecsim can be told
 * apart from one pointed at it by mistake, and no real credential is ever
 * needed: the client signs with the dummy key ecsim was given.
 *
 * The canonical request, string to sign and signing key follow AWS's
 * published algorithm (Authorization header form: AWS4-HMAC-SHA256
 * Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=...,
 * Signature=...). HMAC-SHA256 and SHA-256 are GnuTLS's (no crypto of our
 * own); without GnuTLS at build time sigv4_available() is false and every
 * check fails with SIGV4_UNAVAILABLE. Presigned URLs (X-Amz-Signature in
 * the query string) are not accepted; the request time is not compared with
 * the wall clock (a simulator has no replay to fear).
 *
 * Invariant: the check reads only the request; it never trusts a length
 * or a field it has not bounded.
 */
#ifndef SIM_SERVE_SIGV4_H
#define SIM_SERVE_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/serve_wire.h"

typedef enum sigv4_result {
	SIGV4_OK = 0,
	SIGV4_MISSING,        /* no Authorization header */
	SIGV4_MALFORMED,      /* not an AWS4-HMAC-SHA256 header we can read */
	SIGV4_UNKNOWN_KEY,    /* signed with another access key id */
	SIGV4_BAD_SIGNATURE,  /* the signature does not match */
	SIGV4_UNAVAILABLE,    /* built without GnuTLS */
} sigv4_result;

/* True when signatures can be checked (built with GnuTLS). */
bool sigv4_available(void);

/* Check rq's signature against key and secret. Returns SIGV4_OK or the
 * reason, with a sentence in why. */
sigv4_result sigv4_check(const wire_request *rq, const char *key,
    const char *secret, char *why, size_t whysize);

/* The hex signature (64 characters and NUL into hex) of rq as AWS computes
 * it for secret, date (X-Amz-Date: 20150830T123600Z), scope
 * (20150830/us-east-1/service/aws4_request) and signed headers
 * ("content-type;host;x-amz-date"). Returns 0, or -1 when a signed header
 * is missing or GnuTLS is absent. Exported for tests. */
int sigv4_sign(const wire_request *rq, const char *secret, const char *date,
    const char *scope, const char *signed_headers, char hex[65]);

#endif
