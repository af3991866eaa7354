/*
 * wire — AWS's wire protocols: decoding requests, encoding answers (see
 * wire.h).
 */
#include "sim/serve_wire.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "sim/serve_shapes.h"
#include "sim/error.h"
#include "sim/strbuf.h"
#include "sim/xalloc.h"

/* ---------------------------------------------------------------- */
/* Services by X-Amz-Target prefix.                                  */

static const struct {
	const char *target;
	const char *service;
	wire_proto proto;
} json_services[] = {
	{"AmazonEC2ContainerServiceV20141113", "ecs", WIRE_JSON11},
	{"AnyScaleFrontendService", "application-autoscaling", WIRE_JSON11},
	{"GraniteServiceVersion20100801", "cloudwatch", WIRE_JSON10},
};

/* SigV4 signing names of the query services, and their IAM prefixes. */
static const struct {
	const char *signing;
	const char *service;
	const char *invalid_code;
} query_services[] = {
	{"elasticloadbalancing", "elasticloadbalancing", "ValidationError"},
	{"monitoring", "cloudwatch", "InvalidParameterValue"},
	{"sts", "sts", "ValidationError"},
};

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

/* XML text with &, <, >, " and ' escaped. */
static void
wb_xml(strbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_str(b, "&amp;"); break;
		case '<': strbuf_str(b, "&lt;"); break;
		case '>': strbuf_str(b, "&gt;"); break;
		case '"': strbuf_str(b, "&quot;"); break;
		case '\'': strbuf_str(b, "&apos;"); break;
		case '\r': strbuf_str(b, "&#xD;"); break;
		default: strbuf_add(b, s, 1);
		}
	}
}

/* ---------------------------------------------------------------- */
/* Small helpers.                                                    */

const char *
wire_header_get(const wire_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->nheaders; i++)
		if (rq->headers[i].name && strcasecmp(rq->headers[i].name, name) == 0)
			return rq->headers[i].value;
	return NULL;
}

static bool
starts_with_ci(const char *s, const char *prefix)
{
	return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF) without NUL. */
static bool
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k;
		unsigned cp, min;
		if ((c & 0xE0) == 0xC0) {
			k = 1; cp = c & 0x1F; min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			k = 2; cp = c & 0x0F; min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			k = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (s[i + j] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += k + 1;
	}
	return true;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) ('+' is a space) into an owned string; *outlen
 * gets its length. Returns NULL on a bad escape. */
static char *
pct_decode(const char *s, size_t n, size_t *outlen)
{
	char *o = xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n) {
				free(o);
				return NULL;
			}
			int hi = hexval((unsigned char)s[i + 1]);
			int lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0) {
				free(o);
				return NULL;
			}
			o[k++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+') {
			o[k++] = ' ';
		} else {
			o[k++] = s[i];
		}
	}
	o[k] = '\0';
	*outlen = k;
	return o;
}

/* ---------------------------------------------------------------- */
/* Timestamps.                                                       */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool
digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

int
wire_iso8601_parse(const char *s, double *epoch)
{
	int y, mo, d, h, mi, se;
	if (strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &se))
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	const char *p = s + 19;
	double frac = 0;
	if (*p == '.') {
		double scale = 0.1;
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (int n = 0; isdigit((unsigned char)*p); p++, n++) {
			if (n < 9)
				frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	int offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		offset = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
		p += 6;
	} else if (*p != '\0') {
		return -1;
	}
	if (*p != '\0')
		return -1;
	int64_t days = days_from_civil(y, mo, d);
	*epoch = (double)(days * 86400 + h * 3600 + mi * 60 + se - offset) + frac;
	return 0;
}

void
wire_iso8601_format(double epoch, char *buf, size_t size)
{
	double whole = floor(epoch);
	int64_t secs = (int64_t)whole;
	int ms = (int)llround((epoch - whole) * 1000.0);
	if (ms >= 1000) {
		secs++;
		ms -= 1000;
	}
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t rem = secs - days * 86400;
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y,
	    m, d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), ms);
}

/* ---------------------------------------------------------------- */
/* Query forms → JSON.                                               */

typedef struct qparam {
	char *key;   /* decoded, '.' replaced by NUL between components */
	size_t keylen;
	char *val;   /* decoded */
	int ncomp;
	const char *comp[WIRE_MAX_DEPTH];
} qparam;

typedef struct qform {
	qparam *p;
	int n;
	const char *action, *version; /* borrowed from p */
} qform;

static void
qform_free(qform *f)
{
	for (int i = 0; i < f->n; i++) {
		free(f->p[i].key);
		free(f->p[i].val);
	}
	free(f->p);
	memset(f, 0, sizeof(*f));
}

/* The parameter's name as the client wrote it (components joined by '.'). */
static void
qname(const qparam *q, char *buf, size_t size)
{
	size_t k = 0;
	for (int i = 0; i < q->ncomp && k + 1 < size; i++) {
		if (i > 0)
			buf[k++] = '.';
		for (const char *c = q->comp[i]; *c && k + 1 < size; c++)
			buf[k++] = *c;
	}
	buf[k] = '\0';
}

static int
qform_parse(const char *s, size_t n, qform *f, aws_fault *fault)
{
	memset(f, 0, sizeof(*f));
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '&')
			j++;
		if (j > i) {
			if (f->n >= WIRE_MAX_PARAMS)
				return aws_fault_client(fault, "MalformedQueryString",
				    "more than %d parameters", WIRE_MAX_PARAMS);
			size_t eq = i;
			while (eq < j && s[eq] != '=')
				eq++;
			size_t klen, vlen;
			char *k = pct_decode(s + i, eq - i, &klen);
			char *v = k ? pct_decode(s + (eq < j ? eq + 1 : j),
			    eq < j ? j - eq - 1 : 0, &vlen) : NULL;
			if (k == NULL || v == NULL) {
				free(k);
				free(v);
				return aws_fault_client(fault, "MalformedQueryString",
				    "bad percent-encoding in the form");
			}
			if (!utf8_valid((const unsigned char *)k, klen) ||
			    !utf8_valid((const unsigned char *)v, vlen) || klen == 0) {
				free(k);
				free(v);
				return aws_fault_client(fault, "MalformedQueryString",
				    "a parameter name or value is empty or not UTF-8 text");
			}
			if (f->n % 64 == 0)
				f->p = xreallocarray(f->p, (size_t)f->n + 64, sizeof(*f->p));
			qparam *q = &f->p[f->n++];
			memset(q, 0, sizeof(*q));
			q->key = k;
			q->keylen = klen;
			q->val = v;
			const char *c = k;
			for (;;) {
				if (q->ncomp == WIRE_MAX_DEPTH)
					return aws_fault_client(fault, "MalformedQueryString",
					    "parameter name nested deeper than %d", WIRE_MAX_DEPTH);
				q->comp[q->ncomp++] = c;
				char *dot = strchr(c, '.');
				if (dot == NULL)
					break;
				*dot = '\0';
				c = dot + 1;
			}
			if (q->ncomp == 1 && strcmp(q->comp[0], "Action") == 0)
				f->action = q->val;
			else if (q->ncomp == 1 && strcmp(q->comp[0], "Version") == 0)
				f->version = q->val;
		}
		i = j + 1;
	}
	return 0;
}

/* The build context: the fault code for invalid input. */
typedef struct qctx {
	const char *invalid;
	aws_fault *fault;
} qctx;

static int
qfail(qctx *c, const qparam *q, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
qfail(qctx *c, const qparam *q, const char *fmt, ...)
{
	char name[256], msg[600];
	qname(q, name, sizeof(name));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return aws_fault_client(c->fault, c->invalid, "%s: %s", name, msg);
}

/* Parse an index component "N" (1..WIRE_MAX_INDEX); -1 when bad. */
static int
qindex(const char *s)
{
	if (*s < '1' || *s > '9' || strlen(s) > 4)
		return -1;
	int v = 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= WIRE_MAX_INDEX ? v : -1;
}

static int qbuild(qctx *c, int shape, qparam **ps, int n, int d, cJSON **out);

static int
qscalar(qctx *c, const shp_shape *s, const qparam *q, cJSON **out)
{
	const char *v = q->val;
	char *end;
	switch (s->kind) {
	case SHP_STRING:
	case SHP_BLOB:
		*out = cJSON_CreateString(v);
		return 0;
	case SHP_INTEGER: {
		errno = 0;
		long long x = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 || isspace((unsigned char)*v))
			return qfail(c, q, "expected an integer, got \"%.64s\"", v);
		*out = cJSON_CreateNumber((double)x);
		return 0;
	}
	case SHP_NUMBER: {
		errno = 0;
		double x = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || errno != 0 || !isfinite(x) ||
		    isspace((unsigned char)*v))
			return qfail(c, q, "expected a number, got \"%.64s\"", v);
		*out = cJSON_CreateNumber(x);
		return 0;
	}
	case SHP_BOOLEAN:
		if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
			*out = cJSON_CreateBool(v[0] == 't');
			return 0;
		}
		return qfail(c, q, "expected true or false, got \"%.64s\"", v);
	case SHP_TIMESTAMP: {
		double e;
		if (wire_iso8601_parse(v, &e) != 0) {
			errno = 0;
			e = strtod(v, &end);
			if (*v == '\0' || *end != '\0' || errno != 0 || !isfinite(e))
				return qfail(c, q, "expected an ISO 8601 timestamp, got \"%.64s\"", v);
		}
		*out = cJSON_CreateNumber(e);
		return 0;
	}
	default:
		sim_panic(__FILE__, __LINE__, "shape kind %d is not a scalar", (int)s->kind);
	}
}

static int
qstruct(qctx *c, const shp_shape *s, qparam **ps, int n, int d, cJSON **out)
{
	/* Every parameter must name a member. */
	for (int i = 0; i < n; i++) {
		if (ps[i]->ncomp <= d)
			return qfail(c, ps[i], "is a structure: give its members");
		const char *m = ps[i]->comp[d];
		if (shp_find_member(s, m, strlen(m)) == NULL)
			return qfail(c, ps[i], "unknown parameter \"%s\"", m);
	}
	cJSON *o = cJSON_CreateObject();
	qparam **sub = xcalloc((size_t)n + 1, sizeof(*sub));
	for (int k = 0; k < s->b; k++) {
		const shp_member *m = shp_member_at(s, k);
		int ns = 0;
		for (int i = 0; i < n; i++)
			if (strcmp(ps[i]->comp[d], m->name) == 0)
				sub[ns++] = ps[i];
		if (ns == 0)
			continue;
		cJSON *child = NULL;
		int rc = qbuild(c, m->shape, sub, ns, d + 1, &child);
		if (rc != 0) {
			free(sub);
			cJSON_Delete(o);
			return rc;
		}
		cJSON_AddItemToObject(o, m->name, child);
	}
	free(sub);
	*out = o;
	return 0;
}

/* Group ps by the index at component d+1 (after "member"/"entry" at d):
 * indices must run 1..max without gaps. Calls fn for each group. */
static int
qlist(qctx *c, const shp_shape *s, qparam **ps, int n, int d, cJSON **out)
{
	bool ismap = s->kind == SHP_MAP;
	const char *word = ismap ? "entry" : "member";
	/* "Name=" with an empty value alone: the empty list. */
	if (n == 1 && ps[0]->ncomp == d && ps[0]->val[0] == '\0' && !ismap) {
		*out = cJSON_CreateArray();
		return 0;
	}
	int max = 0;
	for (int i = 0; i < n; i++) {
		if (ps[i]->ncomp < d + 2 || strcmp(ps[i]->comp[d], word) != 0)
			return qfail(c, ps[i], "is a %s: give it as %s.N%s",
			    ismap ? "map" : "list", word, ismap ? ".key and .value" : "");
		int k = qindex(ps[i]->comp[d + 1]);
		if (k < 0)
			return qfail(c, ps[i], "%s index must be an integer in [1, %d]",
			    word, WIRE_MAX_INDEX);
		if (k > max)
			max = k;
	}
	cJSON *arr = ismap ? cJSON_CreateObject() : cJSON_CreateArray();
	qparam **sub = xcalloc((size_t)n + 1, sizeof(*sub));
	int rc = 0;
	for (int k = 1; k <= max && rc == 0; k++) {
		int ns = 0;
		for (int i = 0; i < n; i++)
			if (qindex(ps[i]->comp[d + 1]) == k)
				sub[ns++] = ps[i];
		if (ns == 0) {
			rc = qfail(c, ps[0], "%s.%d is missing (indices run from 1 without gaps)",
			    word, k);
			break;
		}
		if (!ismap) {
			cJSON *item = NULL;
			if ((rc = qbuild(c, s->a, sub, ns, d + 2, &item)) == 0)
				cJSON_AddItemToArray(arr, item);
			continue;
		}
		/* A map entry: .key (a string) and .value. */
		const qparam *key = NULL;
		qparam **vals = xcalloc((size_t)ns + 1, sizeof(*vals));
		int nv = 0;
		for (int i = 0; i < ns && rc == 0; i++) {
			const char *w = sub[i]->ncomp > d + 2 ? sub[i]->comp[d + 2] : "";
			if (strcmp(w, "key") == 0 && sub[i]->ncomp == d + 3 && key == NULL)
				key = sub[i];
			else if (strcmp(w, "value") == 0)
				vals[nv++] = sub[i];
			else
				rc = qfail(c, sub[i], "a map entry has one .key and a .value");
		}
		if (rc == 0 && (key == NULL || nv == 0))
			rc = qfail(c, sub[0], "entry.%d needs both .key and .value", k);
		if (rc == 0 && cJSON_GetObjectItemCaseSensitive(arr, key->val) != NULL)
			rc = qfail(c, key, "key \"%.64s\" given twice", key->val);
		cJSON *item = NULL;
		if (rc == 0 && (rc = qbuild(c, s->b, vals, nv, d + 3, &item)) == 0)
			cJSON_AddItemToObject(arr, key->val, item);
		free(vals);
	}
	free(sub);
	if (rc != 0) {
		cJSON_Delete(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

static int
qbuild(qctx *c, int shape, qparam **ps, int n, int d, cJSON **out)
{
	const shp_shape *s = shp_get(shape);
	switch (s->kind) {
	case SHP_STRUCT:
		return qstruct(c, s, ps, n, d, out);
	case SHP_LIST:
	case SHP_MAP:
		return qlist(c, s, ps, n, d, out);
	default:
		if (n > 1)
			return qfail(c, ps[1], "given twice");
		if (ps[0]->ncomp > d)
			return qfail(c, ps[0], "is not a structure or list");
		return qscalar(c, s, ps[0], out);
	}
}

/* The input of op from the form's parameters (Action and Version aside). */
static int
qform_to_json(const qform *f, const shp_op *op, const char *invalid,
    char **json, aws_fault *fault)
{
	qparam **ps = xcalloc((size_t)f->n + 1, sizeof(*ps));
	int n = 0;
	for (int i = 0; i < f->n; i++) {
		const qparam *q = &f->p[i];
		if (q->ncomp == 1 && (strcmp(q->comp[0], "Action") == 0 ||
		    strcmp(q->comp[0], "Version") == 0))
			continue;
		ps[n++] = (qparam *)(uintptr_t)q;
	}
	qctx c = {invalid, fault};
	cJSON *o = NULL;
	int rc;
	if (op->input < 0) {
		rc = n ? qfail(&c, ps[0], "unknown parameter \"%s\"", ps[0]->comp[0]) : 0;
		o = rc == 0 ? cJSON_CreateObject() : NULL;
	} else if (n == 0) {
		o = cJSON_CreateObject();
		rc = 0;
	} else {
		rc = qbuild(&c, op->input, ps, n, 0, &o);
	}
	free(ps);
	if (rc != 0)
		return rc;
	*json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Decoding.                                                         */

/* The service name of a SigV4 Authorization header's credential scope
 * (Credential=AKID/date/region/SERVICE/aws4_request) into buf; 0 or -1. */
static int
scope_service(const char *auth, char *buf, size_t size)
{
	if (auth == NULL)
		return -1;
	const char *c = strstr(auth, "Credential=");
	if (c == NULL)
		return -1;
	c += strlen("Credential=");
	for (int i = 0; i < 3; i++) {
		c = strchr(c, '/');
		if (c == NULL)
			return -1;
		c++;
	}
	size_t n = strcspn(c, "/, ");
	if (c[n] != '/' || n == 0 || n >= size)
		return -1;
	memcpy(buf, c, n);
	buf[n] = '\0';
	return 0;
}

static bool
op_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 100 || !isupper((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

static int
decode_json(const wire_request *rq, const char *target, wire_call *call,
    aws_fault *fault)
{
	const char *dot = strrchr(target, '.');
	size_t plen = dot ? (size_t)(dot - target) : strlen(target);
	for (size_t i = 0; i < COUNT(json_services); i++) {
		if (strlen(json_services[i].target) != plen ||
		    strncmp(json_services[i].target, target, plen) != 0)
			continue;
		call->proto = json_services[i].proto;
		snprintf(call->service, sizeof(call->service), "%s",
		    json_services[i].service);
		if (dot == NULL || !op_name_ok(dot + 1, strlen(dot + 1)))
			return aws_fault_client(fault, "UnknownOperationException",
			    "X-Amz-Target names no operation: \"%.100s\"", target);
		snprintf(call->op, sizeof(call->op), "%s:%s", call->service, dot + 1);
		if (strcasecmp(rq->method, "POST") != 0)
			return aws_fault_client(fault, "UnknownOperationException",
			    "the JSON protocols take POST, not %.16s", rq->method);
		if (memchr(rq->body, '\0', rq->body_len) != NULL ||
		    !utf8_valid((const unsigned char *)rq->body, rq->body_len))
			return aws_fault_client(fault, "SerializationException",
			    "the request body is not UTF-8 JSON text");
		call->input_json = xmalloc(rq->body_len + 1);
		memcpy(call->input_json, rq->body, rq->body_len);
		call->input_json[rq->body_len] = '\0';
		return 0;
	}
	return aws_fault_client(fault, "UnknownOperationException",
	    "ecsim serves no service with the X-Amz-Target prefix \"%.*s\" "
	    "(it serves ECS, Application Auto Scaling, CloudWatch and, by the "
	    "query protocol, Elastic Load Balancing)", (int)(plen > 100 ? 100 : plen),
	    target);
}

static int
decode_query(const wire_request *rq, const char *text, size_t len,
    wire_call *call, aws_fault *fault)
{
	call->proto = WIRE_QUERY;
	qform f;
	int rc = qform_parse(text, len, &f, fault);
	if (rc != 0) {
		qform_free(&f);
		return rc;
	}
	/* The service: the credential scope, the path, or the Version. */
	const shp_service *svc = NULL;
	const char *invalid = "ValidationError";
	char scope[64];
	const char *by = NULL;
	if (scope_service(wire_header_get(rq, "Authorization"), scope, sizeof(scope)) == 0)
		by = scope;
	else if (rq->path && rq->path[0] == '/' && rq->path[1] != '\0')
		by = rq->path + 1;
	if (by != NULL) {
		for (size_t i = 0; i < COUNT(query_services); i++) {
			size_t n = strlen(query_services[i].signing);
			if (strncmp(by, query_services[i].signing, n) == 0 &&
			    (by[n] == '\0' || by[n] == '/')) {
				svc = shp_service_named(query_services[i].service);
				invalid = query_services[i].invalid_code;
			}
		}
		if (svc == NULL && by == scope) {
			qform_free(&f);
			return aws_fault_client(fault, "InvalidAction",
			    "ecsim serves no query-protocol service \"%.40s\" (it serves "
			    "elasticloadbalancing, monitoring and sts that way)", scope);
		}
	}
	if (svc == NULL && f.version != NULL)
		svc = shp_service_by_version(f.version);
	if (svc == NULL) {
		qform_free(&f);
		return aws_fault_client(fault, "InvalidAction",
		    "cannot tell the service of this request: sign it (SigV4), or "
		    "give Version=2015-12-01 (Elastic Load Balancing), "
		    "Version=2010-08-01 (CloudWatch) or Version=2011-06-15 (STS)");
	}
	for (size_t i = 0; i < COUNT(query_services); i++)
		if (strcmp(query_services[i].service, svc->name) == 0)
			invalid = query_services[i].invalid_code;
	snprintf(call->service, sizeof(call->service), "%s", svc->name);
	if (f.action == NULL) {
		qform_free(&f);
		return aws_fault_client(fault, "MissingAction",
		    "the request has no Action parameter");
	}
	if (!op_name_ok(f.action, strlen(f.action))) {
		rc = aws_fault_client(fault, "InvalidAction",
		    "\"%.100s\" is not an action", f.action);
		qform_free(&f);
		return rc;
	}
	snprintf(call->op, sizeof(call->op), "%s:%s", svc->name, f.action);
	if (f.version != NULL && strcmp(f.version, svc->version) != 0) {
		rc = aws_fault_client(fault, "InvalidAction",
		    "%s speaks Version=%s, not \"%.32s\"", svc->name, svc->version,
		    f.version);
		qform_free(&f);
		return rc;
	}
	const shp_op *op = shp_find_op(svc->name, f.action);
	if (op == NULL) {
		rc = aws_fault_client(fault, "InvalidAction",
		    "ecsim does not serve the operation %s", call->op);
		qform_free(&f);
		return rc;
	}
	rc = qform_to_json(&f, op, invalid, &call->input_json, fault);
	qform_free(&f);
	return rc;
}

int
wire_decode(const wire_request *rq, wire_call *call, aws_fault *fault)
{
	memset(call, 0, sizeof(*call));
	call->proto = WIRE_JSON11;
	const char *ctype = wire_header_get(rq, "Content-Type");
	const char *target = wire_header_get(rq, "X-Amz-Target");
	const char *smithy = wire_header_get(rq, "Smithy-Protocol");
	if (smithy != NULL || starts_with_ci(ctype, "application/cbor") ||
	    (rq->path && strncmp(rq->path, "/service/", 9) == 0))
		return aws_fault_client(fault, "UnsupportedProtocol",
		    "ecsim serve does not speak Smithy RPC v2 CBOR; CloudWatch is "
		    "served by the query protocol (awscli v2) and JSON 1.0 (the JS SDK v3)");
	if (target != NULL)
		return decode_json(rq, target, call, fault);
	if (starts_with_ci(ctype, "application/x-www-form-urlencoded") ||
	    (rq->body_len >= 7 && strncmp(rq->body, "Action=", 7) == 0))
		return decode_query(rq, rq->body, rq->body_len, call, fault);
	if (strcasecmp(rq->method, "GET") == 0 && rq->query != NULL &&
	    rq->query[0] != '\0')
		return decode_query(rq, rq->query, strlen(rq->query), call, fault);
	if (starts_with_ci(ctype, "application/x-amz-json"))
		return aws_fault_client(fault, "UnknownOperationException",
		    "a JSON request needs the X-Amz-Target header (Service.Operation)");
	return aws_fault_client(fault, "UnknownOperationException",
	    "not an AWS API request: send X-Amz-Target with a JSON body (ECS, "
	    "Application Auto Scaling, CloudWatch) or a form with Action and "
	    "Version (Elastic Load Balancing, CloudWatch)");
}

void
wire_call_free(wire_call *call)
{
	free(call->input_json);
	call->input_json = NULL;
}

/* ---------------------------------------------------------------- */
/* Encoding.                                                         */

static const char *
json_ctype(wire_proto p)
{
	return p == WIRE_JSON10 ? "application/x-amz-json-1.0" :
	    "application/x-amz-json-1.1";
}

/* A double as the shortest text that reads back the same. */
static void
wb_number(strbuf *b, double v)
{
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	strbuf_str(b, tmp);
}

static int xml_value(strbuf *b, int shape, const cJSON *v, const char *name,
    aws_fault *fault);

static int
xml_bad(aws_fault *fault, const char *name, const char *what)
{
	return aws_fault_set(fault, 500, AWS_FAULT_RECEIVER, "InternalFailure",
	    "ecsim's answer does not fit the operation's shape: %s %s", name, what);
}

/* The members of structure shape s from object v, in the shape's order. */
static int
xml_members(strbuf *b, const shp_shape *s, const cJSON *v, aws_fault *fault)
{
	for (const cJSON *it = v->child; it; it = it->next)
		if (shp_find_member(s, it->string, strlen(it->string)) == NULL)
			return xml_bad(fault, it->string, "is not a member");
	for (int k = 0; k < s->b; k++) {
		const shp_member *m = shp_member_at(s, k);
		const cJSON *mv = cJSON_GetObjectItemCaseSensitive(v, m->name);
		if (mv == NULL || cJSON_IsNull(mv))
			continue;
		int rc = xml_value(b, m->shape, mv, m->name, fault);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
xml_value(strbuf *b, int shape, const cJSON *v, const char *name,
    aws_fault *fault)
{
	const shp_shape *s = shp_get(shape);
	char ts[48];
	switch (s->kind) {
	case SHP_STRUCT:
		if (!cJSON_IsObject(v))
			return xml_bad(fault, name, "is not an object");
		strbuf_printf(b, "<%s>", name);
		if (xml_members(b, s, v, fault) != 0)
			return SIM_EFAULT;
		break;
	case SHP_LIST:
		if (!cJSON_IsArray(v))
			return xml_bad(fault, name, "is not an array");
		strbuf_printf(b, "<%s>", name);
		for (const cJSON *it = v->child; it; it = it->next)
			if (xml_value(b, s->a, it, "member", fault) != 0)
				return SIM_EFAULT;
		break;
	case SHP_MAP:
		if (!cJSON_IsObject(v))
			return xml_bad(fault, name, "is not an object");
		strbuf_printf(b, "<%s>", name);
		for (const cJSON *it = v->child; it; it = it->next) {
			strbuf_str(b, "<entry><key>");
			wb_xml(b, it->string);
			strbuf_str(b, "</key>");
			if (xml_value(b, s->b, it, "value", fault) != 0)
				return SIM_EFAULT;
			strbuf_str(b, "</entry>");
		}
		break;
	case SHP_STRING:
	case SHP_BLOB:
		if (!cJSON_IsString(v))
			return xml_bad(fault, name, "is not a string");
		strbuf_printf(b, "<%s>", name);
		wb_xml(b, v->valuestring);
		break;
	case SHP_INTEGER:
		if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
		    fabs(v->valuedouble) > 9.007199254740992e15)
			return xml_bad(fault, name, "is not an integer");
		strbuf_printf(b, "<%s>%lld", name, (long long)v->valuedouble);
		break;
	case SHP_NUMBER:
		if (!cJSON_IsNumber(v))
			return xml_bad(fault, name, "is not a number");
		strbuf_printf(b, "<%s>", name);
		wb_number(b, v->valuedouble);
		break;
	case SHP_BOOLEAN:
		if (!cJSON_IsBool(v))
			return xml_bad(fault, name, "is not a boolean");
		strbuf_printf(b, "<%s>%s", name, cJSON_IsTrue(v) ? "true" : "false");
		break;
	case SHP_TIMESTAMP:
		if (cJSON_IsNumber(v)) {
			wire_iso8601_format(v->valuedouble, ts, sizeof(ts));
			strbuf_printf(b, "<%s>%s", name, ts);
		} else if (cJSON_IsString(v)) {
			strbuf_printf(b, "<%s>", name);
			wb_xml(b, v->valuestring);
		} else {
			return xml_bad(fault, name, "is not a timestamp");
		}
		break;
	}
	strbuf_printf(b, "</%s>", name);
	return 0;
}

static void
set_body(wire_response *rs, int status, const char *ctype, strbuf *b)
{
	rs->status = status;
	rs->content_type = ctype;
	rs->body = b->p ? b->p : xstrdup("");
	rs->len = b->len;
}

int
wire_encode_output(const wire_call *call, const char *output_json,
    const char *request_id, wire_response *rs, aws_fault *fault)
{
	memset(rs, 0, sizeof(*rs));
	strbuf b = {0};
	if (call->proto != WIRE_QUERY) {
		strbuf_str(&b, output_json && output_json[0] ? output_json : "{}");
		set_body(rs, 200, json_ctype(call->proto), &b);
		return 0;
	}
	const char *action = strchr(call->op, ':') + 1;
	const shp_service *svc = shp_service_named(call->service);
	const shp_op *op = shp_find_op(call->service, action);
	SIM_ASSERT(svc != NULL && op != NULL);
	cJSON *out = cJSON_Parse(output_json && output_json[0] ? output_json : "{}");
	if (out == NULL || !cJSON_IsObject(out)) {
		cJSON_Delete(out);
		return xml_bad(fault, action, "output is not a JSON object");
	}
	strbuf_printf(&b, "<%sResponse xmlns=\"%s\">", action, svc->xmlns);
	int rc = 0;
	if (op->result_wrapper != NULL) {
		if (op->output >= 0)
			rc = xml_value(&b, op->output, out, op->result_wrapper, fault);
		else
			strbuf_printf(&b, "<%s/>", op->result_wrapper);
	}
	cJSON_Delete(out);
	if (rc != 0) {
		free(b.p);
		return rc;
	}
	strbuf_str(&b, "<ResponseMetadata><RequestId>");
	wb_xml(&b, request_id);
	strbuf_printf(&b, "</RequestId></ResponseMetadata></%sResponse>", action);
	set_body(rs, 200, "text/xml", &b);
	return 0;
}

void
wire_encode_fault(const wire_call *call, const aws_fault *fault,
    const char *request_id, wire_response *rs)
{
	memset(rs, 0, sizeof(*rs));
	strbuf b = {0};
	const char *type = fault->party == AWS_FAULT_SENDER ? "Sender" : "Receiver";
	if (call->proto == WIRE_QUERY) {
		const shp_service *svc = call->service[0] ?
		    shp_service_named(call->service) : NULL;
		if (svc != NULL)
			strbuf_printf(&b, "<ErrorResponse xmlns=\"%s\">", svc->xmlns);
		else
			strbuf_str(&b, "<ErrorResponse>");
		strbuf_printf(&b, "<Error><Type>%s</Type><Code>", type);
		wb_xml(&b, fault->code);
		strbuf_str(&b, "</Code><Message>");
		wb_xml(&b, fault->message);
		strbuf_str(&b, "</Message></Error><RequestId>");
		wb_xml(&b, request_id);
		strbuf_str(&b, "</RequestId></ErrorResponse>");
		set_body(rs, fault->status, "text/xml", &b);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "__type", fault->code);
	cJSON_AddStringToObject(o, "message", fault->message);
	char *txt = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	strbuf_str(&b, txt);
	free(txt);
	set_body(rs, fault->status, json_ctype(call->proto), &b);
	/* CloudWatch's JSON 1.0 is query-compatible: the SDKs read the query
	 * protocol's code from this header. */
	if (call->proto == WIRE_JSON10)
		snprintf(rs->query_error, sizeof(rs->query_error), "%s;%s",
		    fault->code, type);
}

void
wire_response_free(wire_response *rs)
{
	free(rs->body);
	memset(rs, 0, sizeof(*rs));
}
