/*
 * fuzz_serve — libFuzzer target for ecsim serve's request handling: the
 * wire decoders (JSON target routing, query forms typed by the shapes),
 * the SigV4 check and the admin endpoints, through srv_handle with a
 * backend that answers every operation with {}.
 *
 * Input layout: byte 0 picks the method, path, Content-Type and whether an
 * X-Amz-Target / Authorization header is sent (taken from the input's
 * first line when so); the rest is the body.
 *
 *   make fuzz-serve [FUZZ_TIME=60]
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/serve_server.h"
#include "sim/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sim_time fz_now;

static int
fz_advance(void *self, sim_time t, sim_error *err)
{
	(void)self;
	(void)err;
	fz_now = t;
	return 0;
}

static int
fz_invoke(void *self, const char *op, const char *input, char **out,
    aws_fault *fault, sim_error *err)
{
	(void)self;
	(void)input;
	(void)fault;
	(void)err;
	(void)op;
	*out = xstrdup("{}");
	return 0;
}

static void
fz_close(void *self)
{
	(void)self;
}

static const backend_ops fz_ops = {.name = "fuzz", .advance = fz_advance,
    .invoke = fz_invoke, .close = fz_close};

static int
fz_open(void *ctx, const backend_ops **ops, void **self, sim_error *err)
{
	(void)ctx;
	(void)err;
	*ops = &fz_ops;
	*self = &fz_now;
	return 0;
}

static srv *S;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (S == NULL) {
		static const srv_factory f = {NULL, fz_open, NULL};
		srv_opts o = {.clock = SRV_CLOCK_MANUAL, .auth_key = "AKIDEXAMPLE",
		    .auth_secret = "secret"};
		sim_error err;
		S = srv_new(&f, &o, 0, &err);
	}
	if (size == 0)
		return 0;
	static const char *const paths[] = {"/", "/_ecsim/advance", "/_ecsim/state",
	    "/monitoring", "/_ecsim/report"};
	static const char *const ctypes[] = {"application/x-www-form-urlencoded",
	    "application/x-amz-json-1.1", "application/cbor", "text/plain"};
	uint8_t sel = data[0];
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	char line[512] = "";
	if (sel & 0x40) { /* first line: a header value */
		const char *nl = memchr(body, '\n', len);
		size_t n = nl ? (size_t)(nl - body) : len;
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, body, n);
		line[n] = '\0';
		if (nl) {
			len -= (size_t)(nl + 1 - body);
			body = nl + 1;
		} else {
			len = 0;
		}
	}
	wire_header h[3];
	size_t nh = 0;
	h[nh++] = (wire_header){"Content-Type", ctypes[sel & 3]};
	if (sel & 0x40)
		h[nh++] = (wire_header){sel & 0x80 ? "Authorization" : "X-Amz-Target", line};
	char *copy = malloc(len ? len : 1);
	memcpy(copy, body, len);
	wire_request rq = {.method = sel & 4 ? "GET" : "POST",
	    .path = paths[(sel >> 3) % 5], .query = sel & 4 ? line : NULL,
	    .headers = h, .nheaders = nh, .body = copy, .body_len = len};
	wire_response rs;
	srv_handle(S, &rq, 0, &rs);
	wire_response_free(&rs);
	free(copy);
	return 0;
}
