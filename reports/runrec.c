/*
 * runrec — one run's record, binary and JSON (see runrec.h).
 *
 * Binary layout, little-endian whatever the host:
 *   u32 magic 'ERR1', i32 status, str error,
 *   u32 nmetrics, { str key, str unit, u8 better, f64 value } ...,
 *   u32 nverdicts, { u8 pass, u8 noData, str kind, str bound,
 *                    str measured } ...
 * where str is u32 length + bytes (length 0xffffffff: NULL).
 */
#include "reports/runrec.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

#define RRUN_MAGIC 0x31525245u /* "ERR1" */
#define NO_STR 0xffffffffu

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
rrun_from_run(rrun *out, const recorder *r, const expect_result *res)
{
	memset(out, 0, sizeof(*out));
	rmet_from_recorder(&out->m, r, res);
	out->nv = res != NULL ? expect_result_count(res) : 0;
	out->v = out->nv ? xcalloc(out->nv, sizeof(*out->v)) : NULL;
	for (size_t i = 0; i < out->nv; i++) {
		const expect_verdict *v = expect_result_at(res, i);
		out->v[i].pass = v->pass;
		out->v[i].no_data = v->no_data;
		out->v[i].kind = xstrdup(v->kind);
		out->v[i].bound = xstrdup(v->bound);
		out->v[i].measured = v->pass ? NULL : xstrdup(v->measured);
	}
}

void
rrun_failed(rrun *out, int status, const char *msg)
{
	memset(out, 0, sizeof(*out));
	out->status = status;
	out->error = xstrdup(msg);
}

void
rrun_free(rrun *r)
{
	free(r->error);
	rmet_clear(&r->m);
	for (size_t i = 0; i < r->nv; i++) {
		free(r->v[i].kind);
		free(r->v[i].bound);
		free(r->v[i].measured);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* ---- binary ---- */

static void
put_u32(rout *o, uint32_t x)
{
	unsigned char b[4] = {(unsigned char)x, (unsigned char)(x >> 8),
	    (unsigned char)(x >> 16), (unsigned char)(x >> 24)};
	rout_write(o, b, 4);
}

static void
put_f64(rout *o, double d)
{
	uint64_t x;
	memcpy(&x, &d, 8);
	put_u32(o, (uint32_t)x);
	put_u32(o, (uint32_t)(x >> 32));
}

static void
put_str(rout *o, const char *s)
{
	if (s == NULL) {
		put_u32(o, NO_STR);
		return;
	}
	size_t n = strlen(s);
	put_u32(o, (uint32_t)n);
	rout_write(o, s, n);
}

void
rrun_encode(const rrun *r, rout *o)
{
	put_u32(o, RRUN_MAGIC);
	put_u32(o, (uint32_t)r->status);
	put_str(o, r->error);
	put_u32(o, (uint32_t)r->m.n);
	for (size_t i = 0; i < r->m.n; i++) {
		put_str(o, r->m.v[i].key);
		put_str(o, r->m.v[i].unit);
		rout_putc(o, (char)r->m.v[i].better);
		put_f64(o, r->m.v[i].value);
	}
	put_u32(o, (uint32_t)r->nv);
	for (size_t i = 0; i < r->nv; i++) {
		rout_putc(o, (char)r->v[i].pass);
		rout_putc(o, (char)r->v[i].no_data);
		put_str(o, r->v[i].kind);
		put_str(o, r->v[i].bound);
		put_str(o, r->v[i].measured);
	}
}

typedef struct cur {
	const unsigned char *p;
	size_t n;
	bool bad;
} cur;

static uint32_t
get_u32(cur *c)
{
	if (c->n < 4) {
		c->bad = true;
		return 0;
	}
	uint32_t x = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 |
	    (uint32_t)c->p[2] << 16 | (uint32_t)c->p[3] << 24;
	c->p += 4;
	c->n -= 4;
	return x;
}

static unsigned char
get_u8(cur *c)
{
	if (c->n < 1) {
		c->bad = true;
		return 0;
	}
	c->n--;
	return *c->p++;
}

static double
get_f64(cur *c)
{
	uint64_t lo = get_u32(c), hi = get_u32(c);
	uint64_t x = lo | hi << 32;
	double d;
	memcpy(&d, &x, 8);
	return d;
}

/* An owned copy of the next string, or NULL (also when malformed). */
static char *
get_str(cur *c)
{
	uint32_t n = get_u32(c);
	if (c->bad || n == NO_STR)
		return NULL;
	if (n > c->n) {
		c->bad = true;
		return NULL;
	}
	char *s = xstrndup((const char *)c->p, n);
	c->p += n;
	c->n -= n;
	return s;
}

int
rrun_decode(rrun *out, const void *p, size_t len)
{
	memset(out, 0, sizeof(*out));
	cur c = {p, len, false};
	if (get_u32(&c) != RRUN_MAGIC)
		return -1;
	out->status = (int)get_u32(&c);
	out->error = get_str(&c);
	uint32_t nm = get_u32(&c);
	for (uint32_t i = 0; i < nm && !c.bad; i++) {
		char *key = get_str(&c), *unit = get_str(&c);
		int better = get_u8(&c);
		double v = get_f64(&c);
		if (key != NULL && unit != NULL && !c.bad)
			rmet_add(&out->m, key, unit, better, v);
		else
			c.bad = true;
		free(key);
		free(unit);
	}
	uint32_t nv = get_u32(&c);
	if (!c.bad && nv <= c.n) {
		out->nv = nv;
		out->v = nv ? xcalloc(nv, sizeof(*out->v)) : NULL;
		for (uint32_t i = 0; i < nv && !c.bad; i++) {
			out->v[i].pass = get_u8(&c) != 0;
			out->v[i].no_data = get_u8(&c) != 0;
			out->v[i].kind = get_str(&c);
			out->v[i].bound = get_str(&c);
			out->v[i].measured = get_str(&c);
		}
	} else
		c.bad = true;
	if (c.bad || c.n != 0) {
		rrun_free(out);
		return -1;
	}
	return 0;
}

/* ---- JSON ---- */

void
rrun_add_json(cJSON *o, const rrun *r)
{
	cJSON_AddNumberToObject(o, "status", r->status);
	if (r->error != NULL)
		cJSON_AddStringToObject(o, "error", r->error);
	cJSON *vals = cJSON_AddObjectToObject(o, "values");
	cJSON *units = cJSON_AddObjectToObject(o, "units");
	for (size_t i = 0; i < r->m.n; i++) {
		const rmet_item *it = &r->m.v[i];
		/* exact: cJSON's own printing may drop the last bit */
		char buf[40];
		snprintf(buf, sizeof(buf), "%.17g", it->value);
		if (strtod(buf, NULL) == it->value) {
			char shorter[40];
			snprintf(shorter, sizeof(shorter), "%.15g", it->value);
			if (strtod(shorter, NULL) == it->value)
				memcpy(buf, shorter, sizeof(buf));
		}
		cJSON_AddItemToObject(vals, it->key, cJSON_CreateRaw(buf));
		cJSON *u = cJSON_CreateArray();
		cJSON_AddItemToArray(u, cJSON_CreateString(it->unit));
		cJSON_AddItemToArray(u, cJSON_CreateNumber(it->better));
		cJSON_AddItemToObject(units, it->key, u);
	}
	cJSON *va = cJSON_AddArrayToObject(o, "verdicts");
	for (size_t i = 0; i < r->nv; i++) {
		const rrun_verdict *v = &r->v[i];
		cJSON *e = cJSON_CreateArray();
		cJSON_AddItemToArray(e, cJSON_CreateBool(v->pass));
		cJSON_AddItemToArray(e, cJSON_CreateBool(v->no_data));
		cJSON_AddItemToArray(e, cJSON_CreateString(v->kind ? v->kind : ""));
		cJSON_AddItemToArray(e, cJSON_CreateString(v->bound ? v->bound : ""));
		cJSON_AddItemToArray(e, v->measured ?
		    cJSON_CreateString(v->measured) : cJSON_CreateNull());
		cJSON_AddItemToArray(va, e);
	}
}

static int
bad(sim_error *err, const char *where, const char *what)
{
	return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, where, "%s", what);
}

int
rrun_from_json(rrun *out, const cJSON *j, const char *where, sim_error *err)
{
	memset(out, 0, sizeof(*out));
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(j, "values");
	const cJSON *units = cJSON_GetObjectItemCaseSensitive(j, "units");
	const cJSON *va = cJSON_GetObjectItemCaseSensitive(j, "verdicts");
	if (!cJSON_IsNumber(st) || !cJSON_IsObject(vals) ||
	    !cJSON_IsObject(units) || !cJSON_IsArray(va))
		return bad(err, where, "a run needs \"status\", \"values\", "
		    "\"units\" and \"verdicts\"");
	out->status = (int)st->valuedouble;
	out->error = dup_or_null(cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(j, "error")));
	const cJSON *v;
	cJSON_ArrayForEach(v, vals) {
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(units, v->string);
		const char *unit = cJSON_GetStringValue(cJSON_GetArrayItem(u, 0));
		const cJSON *b = cJSON_GetArrayItem(u, 1);
		if (!cJSON_IsNumber(v) || unit == NULL || !cJSON_IsNumber(b)) {
			rrun_free(out);
			return bad(err, where, "a value without a number or a unit");
		}
		rmet_add(&out->m, v->string, unit, (int)b->valuedouble,
		    v->valuedouble);
	}
	out->nv = (size_t)cJSON_GetArraySize(va);
	out->v = out->nv ? xcalloc(out->nv, sizeof(*out->v)) : NULL;
	size_t i = 0;
	cJSON_ArrayForEach(v, va) {
		rrun_verdict *x = &out->v[i++];
		if (cJSON_GetArraySize(v) != 5) {
			rrun_free(out);
			return bad(err, where, "a verdict is [pass, noData, kind, "
			    "bound, measured]");
		}
		x->pass = cJSON_IsTrue(cJSON_GetArrayItem(v, 0));
		x->no_data = cJSON_IsTrue(cJSON_GetArrayItem(v, 1));
		x->kind = dup_or_null(cJSON_GetStringValue(cJSON_GetArrayItem(v, 2)));
		x->bound = dup_or_null(cJSON_GetStringValue(cJSON_GetArrayItem(v, 3)));
		x->measured = dup_or_null(cJSON_GetStringValue(
		    cJSON_GetArrayItem(v, 4)));
	}
	return 0;
}
