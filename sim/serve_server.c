/*
 * server — one request at a time: AWS operations, clock, admin endpoints
 * (see server.h).
 */
#include "sim/serve_server.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "sim/serve_sigv4.h"
#include "sim/arena.h"
#include "sim/jread.h"
#include "sim/xalloc.h"

typedef struct jentry {
	sim_time at;
	char *op;
	char *input;
} jentry;

struct srv {
	srv_factory f;
	srv_opts o;
	const backend_ops *ops;
	void *self;
	sim_time now;
	/* Factor clock: simulated time = anchor_sim + (wall - anchor_wall) * factor. */
	double anchor_wall;
	sim_time anchor_sim;
	unsigned long requests;
	unsigned long long next_id;
	jentry *journal;
	size_t njournal, capjournal;
	bool broken;          /* the backend failed; only reset helps */
	char broken_why[600];
};

/* ---------------------------------------------------------------- */
/* Backend and clock.                                                */

static void
journal_clear(srv *s)
{
	for (size_t i = 0; i < s->njournal; i++) {
		free(s->journal[i].op);
		free(s->journal[i].input);
	}
	s->njournal = 0;
}

static int
open_backend(srv *s, double wall, sim_error *err)
{
	if (s->self != NULL && s->ops->close)
		s->ops->close(s->self);
	s->self = NULL;
	int rc = s->f.open(s->f.ctx, &s->ops, &s->self, err);
	if (rc != 0)
		return rc;
	s->now = 0;
	s->anchor_wall = wall;
	s->anchor_sim = 0;
	s->broken = false;
	journal_clear(s);
	return 0;
}

srv *
srv_new(const srv_factory *f, const srv_opts *o, double wall, sim_error *err)
{
	srv *s = xcalloc(1, sizeof(*s));
	s->f = *f;
	s->o = *o;
	if (s->o.factor <= 0)
		s->o.factor = 1;
	if (open_backend(s, wall, err) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

void
srv_free(srv *s)
{
	if (s == NULL)
		return;
	if (s->self != NULL && s->ops->close)
		s->ops->close(s->self);
	journal_clear(s);
	free(s->journal);
	free(s);
}

sim_time
srv_now(const srv *s)
{
	return s->now;
}

unsigned long
srv_requests(const srv *s)
{
	return s->requests;
}

/* Advance the backend to t (never back, never past the horizon). */
static int
advance_to(srv *s, sim_time t, sim_error *err)
{
	if (s->o.horizon > 0 && t > s->o.horizon)
		t = s->o.horizon;
	if (t <= s->now || s->broken)
		return 0;
	int rc = s->ops->advance(s->self, t, err);
	if (rc != 0) {
		s->broken = true;
		sim_error_format(err, s->broken_why, sizeof(s->broken_why));
		return rc;
	}
	s->now = t;
	return 0;
}

int
srv_tick(srv *s, double wall, sim_error *err)
{
	if (s->o.clock == SRV_CLOCK_MANUAL)
		return 0;
	double secs = (wall - s->anchor_wall) * s->o.factor;
	if (!(secs > 0))
		return 0;
	if (secs > simtime_to_seconds(SIM_DURATION_MAX))
		secs = simtime_to_seconds(SIM_DURATION_MAX);
	return advance_to(s, s->anchor_sim + (sim_time)(secs * 1e6), err);
}

/* After a manual move, the factor clock continues from here. */
static void
reanchor(srv *s, double wall)
{
	s->anchor_wall = wall;
	s->anchor_sim = s->now;
}

/* ---------------------------------------------------------------- */
/* Responses.                                                        */

static void
request_id(srv *s, char *buf, size_t size)
{
	unsigned long long n = ++s->next_id;
	snprintf(buf, size, "%08llx-0000-4000-8000-%012llx", n >> 48 & 0xffffffffULL,
	    n & 0xffffffffffffULL);
}

static void
json_body(wire_response *rs, int status, cJSON *o)
{
	memset(rs, 0, sizeof(*rs));
	rs->status = status;
	rs->content_type = "application/json";
	rs->body = cJSON_PrintUnformatted(o);
	rs->len = strlen(rs->body);
	cJSON_Delete(o);
}

static void admin_error(wire_response *rs, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void
admin_error(wire_response *rs, int status, const char *code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "__type", code);
	cJSON_AddStringToObject(o, "message", msg);
	json_body(rs, status, o);
}

static cJSON *
state_json(const srv *s)
{
	char buf[64];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "now", simtime_format(s->now, buf, sizeof(buf)));
	cJSON_AddNumberToObject(o, "nowSeconds", simtime_to_seconds(s->now));
	cJSON_AddStringToObject(o, "clock", s->o.clock == SRV_CLOCK_MANUAL ? "manual" :
	    s->o.factor == 1 ? "realtime" : "factor");
	if (s->o.clock == SRV_CLOCK_FACTOR && s->o.factor != 1)
		cJSON_AddNumberToObject(o, "factor", s->o.factor);
	if (s->o.horizon > 0)
		cJSON_AddStringToObject(o, "horizon",
		    simtime_format(s->o.horizon, buf, sizeof(buf)));
	cJSON_AddBoolToObject(o, "ended", s->o.horizon > 0 && s->now >= s->o.horizon);
	cJSON_AddStringToObject(o, "backend", s->ops->name);
	cJSON_AddNumberToObject(o, "requests", (double)s->requests);
	cJSON_AddNumberToObject(o, "journaled", (double)s->njournal);
	cJSON_AddBoolToObject(o, "auth", s->o.auth_key != NULL);
	if (s->broken)
		cJSON_AddStringToObject(o, "error", s->broken_why);
	return o;
}

/* ---------------------------------------------------------------- */
/* "until steady": what `aws ecs wait services-stable` checks, for every
 * service of every cluster: one deployment, runningCount == desiredCount. */

static int
invoke_json(srv *s, const char *op, cJSON *in, cJSON **out, sim_error *err)
{
	char *txt = cJSON_PrintUnformatted(in);
	char *res = NULL;
	aws_fault fault;
	aws_fault_clear(&fault);
	int rc = s->ops->invoke ? s->ops->invoke(s->self, op, txt, &res, &fault, err) :
	    aws_fault_client(&fault, "UnknownOperationException", "no operations");
	free(txt);
	if (rc == SIM_EFAULT)
		rc = sim_error_set(err, SIM_EFAULT, NULL, 0, 0, NULL, "%s: %s: %s",
		    op, fault.code, fault.message);
	if (rc == 0) {
		*out = cJSON_Parse(res);
		if (*out == NULL)
			rc = sim_error_set(err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "%s answered malformed JSON", op);
	}
	free(res);
	return rc;
}

/* Array member key of o (an empty array when absent). */
static const cJSON *
arr(const cJSON *o, const char *key)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsArray(a) ? a : NULL;
}

static int
services_steady(srv *s, bool *steady, sim_error *err)
{
	*steady = true;
	cJSON *cl = NULL;
	cJSON *in = cJSON_CreateObject();
	int rc = invoke_json(s, "ecs:ListClusters", in, &cl, err);
	cJSON_Delete(in);
	if (rc != 0)
		return rc;
	const cJSON *c;
	const cJSON *clusters = arr(cl, "clusterArns");
	cJSON_ArrayForEach(c, clusters) {
		if (!cJSON_IsString(c))
			continue;
		char *token = NULL;
		do {
			cJSON *ls = NULL;
			in = cJSON_CreateObject();
			cJSON_AddStringToObject(in, "cluster", c->valuestring);
			if (token)
				cJSON_AddStringToObject(in, "nextToken", token);
			free(token);
			token = NULL;
			rc = invoke_json(s, "ecs:ListServices", in, &ls, err);
			cJSON_Delete(in);
			if (rc != 0)
				break;
			const cJSON *nt = cJSON_GetObjectItemCaseSensitive(ls, "nextToken");
			if (cJSON_IsString(nt))
				token = xstrdup(nt->valuestring);
			const cJSON *arns = arr(ls, "serviceArns");
			int n = cJSON_GetArraySize(arns);
			for (int i = 0; i < n && rc == 0 && *steady; i += 10) {
				cJSON *ds = NULL;
				in = cJSON_CreateObject();
				cJSON_AddStringToObject(in, "cluster", c->valuestring);
				cJSON *names = cJSON_AddArrayToObject(in, "services");
				for (int k = i; k < n && k < i + 10; k++) {
					const cJSON *arn = cJSON_GetArrayItem(arns, k);
					if (cJSON_IsString(arn))
						cJSON_AddItemToArray(names,
						    cJSON_CreateString(arn->valuestring));
				}
				rc = invoke_json(s, "ecs:DescribeServices", in, &ds, err);
				cJSON_Delete(in);
				const cJSON *sv, *svs = rc == 0 ? arr(ds, "services") : NULL;
				cJSON_ArrayForEach(sv, svs) {
					const cJSON *r = cJSON_GetObjectItemCaseSensitive(sv, "runningCount");
					const cJSON *d = cJSON_GetObjectItemCaseSensitive(sv, "desiredCount");
					if (cJSON_GetArraySize(arr(sv, "deployments")) != 1 ||
					    !cJSON_IsNumber(r) || !cJSON_IsNumber(d) ||
					    r->valuedouble != d->valuedouble)
						*steady = false;
				}
				cJSON_Delete(ds);
			}
			cJSON_Delete(ls);
		} while (token != NULL && rc == 0 && *steady);
		free(token);
		if (rc != 0 || !*steady)
			break;
	}
	cJSON_Delete(cl);
	return rc;
}

/* ---------------------------------------------------------------- */
/* Admin endpoints.                                                  */

static void
admin_advance(srv *s, const wire_request *rq, double wall, wire_response *rs)
{
	arena *a = arena_new();
	jr_loader *L = jr_loader_new(a);
	char *text = xmalloc(rq->body_len + 1);
	memcpy(text, rq->body, rq->body_len);
	text[rq->body_len] = '\0';
	jr_val root;
	jr_obj o;
	sim_error err;
	sim_error_clear(&err);
	sim_time by = -1, to = -1, max = SIM_HOUR;
	static const char *const untils[] = {"steady"};
	int which = -1;
	/* NUL and raw control characters are not JSON text (and jread must
	 * not see them: see sim/optable.c) */
	bool ctl = false;
	for (size_t i = 0; i < rq->body_len; i++) {
		unsigned char c = (unsigned char)rq->body[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			ctl = true;
	}
	int rc = ctl ? SIM_EINPUT : 0;
	if (rc == 0)
		rc = jr_load_text(L, "advance", text[0] ? text : "{}", &root, &err);
	if (rc == 0)
		rc = jr_object(&root, &o, &err);
	if (rc == 0)
		rc = jr_opt_duration(&o, "by", 0, SIM_DURATION_MAX, -1, &by, &err);
	if (rc == 0)
		rc = jr_opt_duration(&o, "to", 0, SIM_DURATION_MAX, -1, &to, &err);
	if (rc == 0)
		rc = jr_opt_enum(&o, "until", untils, 1, -1, &which, &err);
	if (rc == 0)
		rc = jr_opt_duration(&o, "max", SIM_SEC, SIM_DURATION_MAX, SIM_HOUR, &max, &err);
	if (rc == 0)
		rc = jr_done(&o, &err);
	free(text);
	if (rc == 0 && (by >= 0) + (to >= 0) + (which >= 0) != 1)
		rc = sim_error_set(&err, SIM_EINPUT, NULL, 0, 0, NULL,
		    "give one of \"by\" (a duration), \"to\" (a time) or \"until\": \"steady\"");
	if (rc == 0 && to >= 0 && to < s->now) {
		char b1[32], b2[32];
		rc = sim_error_set(&err, SIM_EINPUT, NULL, 0, 0, "to",
		    "%s is before the current time %s (the clock never goes back)",
		    simtime_format(to, b1, sizeof(b1)), simtime_format(s->now, b2, sizeof(b2)));
	}
	jr_loader_free(L);
	arena_free(a);
	if (rc != 0) {
		char msg[SIM_ERROR_TEXT];
		snprintf(msg, sizeof(msg), "%s%s%s", err.path, err.path[0] ? ": " : "",
		    ctl ? "the body is not JSON text (a control character)" : err.msg);
		admin_error(rs, 400, "ValidationException", "%s", msg);
		return;
	}
	srv_tick(s, wall, &err);
	sim_error_clear(&err);
	bool steady = false;
	if (which >= 0) {
		sim_time end = s->now + max;
		for (;;) {
			if ((rc = services_steady(s, &steady, &err)) != 0 || steady)
				break;
			if (s->now >= end || (s->o.horizon > 0 && s->now >= s->o.horizon))
				break;
			if ((rc = advance_to(s, s->now + SIM_SEC, &err)) != 0)
				break;
		}
	} else {
		rc = advance_to(s, to >= 0 ? to : s->now + by, &err);
	}
	reanchor(s, wall);
	if (rc != 0) {
		char msg[SIM_ERROR_TEXT];
		sim_error_format(&err, msg, sizeof(msg));
		admin_error(rs, 500, "InternalFailure", "%s", msg);
		return;
	}
	cJSON *st = state_json(s);
	if (which >= 0)
		cJSON_AddBoolToObject(st, "steady", steady);
	json_body(rs, 200, st);
}

static void
admin_report(srv *s, const char *name, double wall, wire_response *rs)
{
	(void)wall;
	if (s->f.report == NULL) {
		admin_error(rs, 404, "ResourceNotFoundException", "this backend writes no reports");
		return;
	}
	const backend_ops *ops;
	void *self;
	sim_error err;
	sim_error_clear(&err);
	int rc = s->f.open(s->f.ctx, &ops, &self, &err);
	if (rc != 0) {
		char msg[SIM_ERROR_TEXT];
		sim_error_format(&err, msg, sizeof(msg));
		admin_error(rs, 500, "InternalFailure", "%s", msg);
		return;
	}
	/* Replay the journal on a fresh backend, then finish it at now. */
	for (size_t i = 0; i < s->njournal && rc == 0; i++) {
		const jentry *j = &s->journal[i];
		char *out = NULL;
		aws_fault fault;
		aws_fault_clear(&fault);
		rc = ops->advance(self, j->at, &err);
		if (rc == 0)
			rc = ops->invoke(self, j->op, j->input, &out, &fault, &err);
		if (rc == SIM_EFAULT)
			rc = sim_error_set(&err, SIM_ERUNTIME, NULL, 0, 0, NULL,
			    "replaying %s: %s: %s", j->op, fault.code, fault.message);
		free(out);
	}
	if (rc == 0)
		rc = ops->advance(self, s->now, &err);
	char *out = NULL;
	size_t len = 0;
	const char *ctype = "application/json";
	if (rc == 0)
		rc = s->f.report(s->f.ctx, self, name, &out, &len, &ctype, &err);
	if (ops->close)
		ops->close(self);
	if (rc == SIM_EINPUT) {
		admin_error(rs, 404, "ResourceNotFoundException",
		    "no report \"%s\" (summary.json, timeline.csv, events.log, report.html)",
		    name);
		free(out);
		return;
	}
	if (rc != 0) {
		char msg[SIM_ERROR_TEXT];
		sim_error_format(&err, msg, sizeof(msg));
		admin_error(rs, 500, "InternalFailure", "%s", msg);
		free(out);
		return;
	}
	memset(rs, 0, sizeof(*rs));
	rs->status = 200;
	rs->content_type = ctype;
	rs->body = out;
	rs->len = len;
}

static void
admin(srv *s, const wire_request *rq, double wall, wire_response *rs)
{
	const char *p = rq->path + strlen("/_ecsim/");
	bool get = strcasecmp(rq->method, "GET") == 0;
	bool post = strcasecmp(rq->method, "POST") == 0;
	if (strcmp(p, "state") == 0 && get) {
		sim_error err;
		srv_tick(s, wall, &err);
		json_body(rs, 200, state_json(s));
	} else if (strcmp(p, "advance") == 0 && post) {
		admin_advance(s, rq, wall, rs);
	} else if (strcmp(p, "reset") == 0 && post) {
		sim_error err;
		sim_error_clear(&err);
		if (open_backend(s, wall, &err) != 0) {
			char msg[SIM_ERROR_TEXT];
			sim_error_format(&err, msg, sizeof(msg));
			admin_error(rs, 500, "InternalFailure", "%s", msg);
			return;
		}
		json_body(rs, 200, state_json(s));
	} else if ((strcmp(p, "report") == 0 || strncmp(p, "report/", 7) == 0) && get) {
		sim_error err;
		srv_tick(s, wall, &err);
		admin_report(s, p[6] == '/' ? p + 7 : "summary.json", wall, rs);
	} else if (strcmp(p, "state") == 0 || strcmp(p, "advance") == 0 ||
	    strcmp(p, "reset") == 0 || strncmp(p, "report", 6) == 0) {
		admin_error(rs, 405, "MethodNotAllowed", "%s /_ecsim/%s: use %s",
		    rq->method, p, strncmp(p, "report", 6) == 0 || strcmp(p, "state") == 0 ?
		    "GET" : "POST");
	} else {
		admin_error(rs, 404, "ResourceNotFoundException",
		    "no endpoint /_ecsim/%.100s (state, advance, reset, report)", p);
	}
}

/* ---------------------------------------------------------------- */
/* AWS operations.                                                   */

/* Operations that change nothing (not journaled). */
static bool
read_only(const char *op)
{
	const char *a = strchr(op, ':');
	a = a ? a + 1 : op;
	return strncmp(a, "Describe", 8) == 0 || strncmp(a, "List", 4) == 0 ||
	    strncmp(a, "Get", 3) == 0;
}

static int
check_auth(srv *s, const wire_request *rq, const wire_call *call, aws_fault *fault)
{
	char why[400];
	sigv4_result r = sigv4_check(rq, s->o.auth_key, s->o.auth_secret, why, sizeof(why));
	bool q = call->proto == WIRE_QUERY;
	switch (r) {
	case SIGV4_OK:
		return 0;
	case SIGV4_MISSING:
		return aws_fault_set(fault, 403, AWS_FAULT_SENDER, q ?
		    "MissingAuthenticationToken" : "MissingAuthenticationTokenException", "%s", why);
	case SIGV4_UNKNOWN_KEY:
		return aws_fault_set(fault, q ? 403 : 400, AWS_FAULT_SENDER, q ?
		    "InvalidClientTokenId" : "UnrecognizedClientException", "%s", why);
	case SIGV4_BAD_SIGNATURE:
		return aws_fault_set(fault, 403, AWS_FAULT_SENDER, q ?
		    "SignatureDoesNotMatch" : "InvalidSignatureException", "%s", why);
	case SIGV4_MALFORMED:
		return aws_fault_set(fault, 400, AWS_FAULT_SENDER, q ?
		    "IncompleteSignature" : "IncompleteSignatureException", "%s", why);
	case SIGV4_UNAVAILABLE:
	default:
		return aws_fault_set(fault, 500, AWS_FAULT_RECEIVER, "InternalFailure", "%s", why);
	}
}

static void
journal_add(srv *s, const char *op, const char *input)
{
	if (s->njournal == s->capjournal) {
		s->capjournal = s->capjournal ? 2 * s->capjournal : 64;
		s->journal = xreallocarray(s->journal, s->capjournal, sizeof(*s->journal));
	}
	s->journal[s->njournal++] = (jentry){s->now, xstrdup(op), xstrdup(input ? input : "")};
}

static void
operation(srv *s, const wire_request *rq, double wall, wire_response *rs)
{
	char rid[64];
	request_id(s, rid, sizeof(rid));
	wire_call call;
	aws_fault fault;
	aws_fault_clear(&fault);
	sim_error err;
	sim_error_clear(&err);
	int rc = wire_decode(rq, &call, &fault);
	if (rc == 0 && s->o.auth_key != NULL)
		rc = check_auth(s, rq, &call, &fault);
	if (rc == 0) {
		srv_tick(s, wall, &err);
		if (s->broken)
			rc = aws_fault_set(&fault, 500, AWS_FAULT_RECEIVER, "InternalFailure",
			    "the simulation failed: %s (POST /_ecsim/reset starts afresh)",
			    s->broken_why);
	}
	char *out = NULL;
	if (rc == 0) {
		rc = s->ops->invoke ? s->ops->invoke(s->self, call.op, call.input_json,
		    &out, &fault, &err) : aws_fault_client(&fault,
		    "UnknownOperationException", "the %s backend answers no operation",
		    s->ops->name);
		if (rc != 0 && rc != SIM_EFAULT) {
			char msg[SIM_ERROR_TEXT];
			sim_error_format(&err, msg, sizeof(msg));
			rc = aws_fault_set(&fault, 500, AWS_FAULT_RECEIVER, "InternalFailure",
			    "%s", msg);
		}
	}
	if (rc == 0) {
		rc = wire_encode_output(&call, out, rid, rs, &fault);
		if (rc == 0 && !read_only(call.op))
			journal_add(s, call.op, call.input_json);
	}
	if (rc != 0)
		wire_encode_fault(&call, &fault, rid, rs);
	snprintf(rs->request_id, sizeof(rs->request_id), "%s", rid);
	if (s->o.epoch > 0)
		rs->date = s->o.epoch + simtime_to_seconds(s->now);
	free(out);
	wire_call_free(&call);
}

void
srv_refuse(srv *s, const wire_request *rq, int status, const char *code,
    const char *message, wire_response *rs)
{
	s->requests++;
	char rid[64];
	request_id(s, rid, sizeof(rid));
	wire_call call;
	memset(&call, 0, sizeof(call));
	const char *target = wire_header_get(rq, "X-Amz-Target");
	const char *ctype = wire_header_get(rq, "Content-Type");
	if (target != NULL)
		call.proto = strncmp(target, "GraniteServiceVersion20100801.", 30) == 0 ?
		    WIRE_JSON10 : WIRE_JSON11;
	else if (ctype != NULL && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0)
		call.proto = WIRE_QUERY;
	aws_fault fault;
	aws_fault_clear(&fault);
	aws_fault_set(&fault, status, AWS_FAULT_SENDER, code, "%s", message);
	wire_encode_fault(&call, &fault, rid, rs);
	snprintf(rs->request_id, sizeof(rs->request_id), "%s", rid);
}

void
srv_handle(srv *s, const wire_request *rq, double wall, wire_response *rs)
{
	s->requests++;
	if (rq->path != NULL && strncmp(rq->path, "/_ecsim/", 8) == 0)
		admin(s, rq, wall, rs);
	else
		operation(s, rq, wall, rs);
}
