/*
 * optable — AWS operations by name (see optable.h).
 */
#include "sim/optable.h"

#include <stdlib.h>
#include <string.h>

#include "sim/arena.h"

typedef struct op_service {
	const char *name;
	const char *invalid_code;
	const char *unknown_code;
} op_service;

typedef struct op_entry {
	const char *name;
	optab_fn fn;
	unsigned flags;
} op_entry;

struct optab {
	arena *a;
	op_service *services;
	int nservices, capservices;
	op_entry *ops;
	int nops, capops;
};

optab *
optab_new(arena *a)
{
	optab *t = ARENA_NEW(a, optab);
	t->a = a;
	return t;
}

/* Grow an arena array of n elements of size sz to cap (the old block stays
 * in the arena: tables are small and built once). */
static void *
grow(arena *a, void *old, int n, int cap, size_t sz)
{
	void *p = arena_calloc(a, (size_t)cap, sz);
	if (n > 0)
		memcpy(p, old, (size_t)n * sz);
	return p;
}

/* The service of "svc:Op": its length, or 0 when there is no colon. */
static size_t
service_len(const char *op)
{
	const char *c = strchr(op, ':');
	return c ? (size_t)(c - op) : 0;
}

static const op_service *
find_service(const optab *t, const char *name, size_t len)
{
	for (int i = 0; i < t->nservices; i++)
		if (strlen(t->services[i].name) == len &&
		    memcmp(t->services[i].name, name, len) == 0)
			return &t->services[i];
	return NULL;
}

static const op_entry *
find_op(const optab *t, const char *op)
{
	for (int i = 0; i < t->nops; i++)
		if (strcmp(t->ops[i].name, op) == 0)
			return &t->ops[i];
	return NULL;
}

void
optab_service(optab *t, const char *service, const char *invalid_code,
    const char *unknown_code)
{
	SIM_ASSERT(find_service(t, service, strlen(service)) == NULL);
	if (t->nservices == t->capservices) {
		t->capservices = t->capservices ? 2 * t->capservices : 8;
		t->services = grow(t->a, t->services, t->nservices, t->capservices,
		    sizeof(*t->services));
	}
	t->services[t->nservices++] = (op_service){service, invalid_code, unknown_code};
}

void
optab_add(optab *t, const char *op, optab_fn fn, unsigned flags)
{
	size_t sl = service_len(op);
	SIM_ASSERT(sl > 0 && find_service(t, op, sl) != NULL);
	SIM_ASSERT(find_op(t, op) == NULL);
	if (t->nops == t->capops) {
		t->capops = t->capops ? 2 * t->capops : 64;
		t->ops = grow(t->a, t->ops, t->nops, t->capops, sizeof(*t->ops));
	}
	t->ops[t->nops++] = (op_entry){op, fn, flags};
}

bool
optab_has(const optab *t, const char *op, unsigned *flags)
{
	const op_entry *e = find_op(t, op);
	if (e && flags)
		*flags = e->flags;
	return e != NULL;
}

int
optab_count(const optab *t)
{
	return t->nops;
}

const char *
optab_name(const optab *t, int i)
{
	SIM_ASSERT(i >= 0 && i < t->nops);
	return t->ops[i].name;
}

/* AWS's validation message: the offending member's path, then the rule. */
static void
input_fault(aws_fault *fault, const char *code, const sim_error *e)
{
	if (e->path[0] != '\0')
		aws_fault_client(fault, code, "%s: %s", e->path, e->msg);
	else
		aws_fault_client(fault, code, "%s", e->msg);
}

/* JSON text has no raw control character but tab, newline and carriage
 * return (RFC 8259), inside strings or out. Checked before jread sees the
 * text: its scanner and cJSON disagree on such bytes (cJSON skips them as
 * blanks), which jread takes for an internal error. */
static const char *
control_char(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
			return s;
	return NULL;
}

int
optab_invoke(const optab *t, void *self, arena *keep, const char *op,
    const char *input_json, char **output_json, aws_fault *fault,
    sim_error *err)
{
	*output_json = NULL;
	size_t sl = service_len(op);
	const op_service *svc = sl ? find_service(t, op, sl) : NULL;
	if (svc == NULL)
		return aws_fault_client(fault, "UnknownOperationException",
		    "ecsim does not serve the operation %s", op);
	const op_entry *e = find_op(t, op);
	if (e == NULL)
		return aws_fault_client(fault, svc->unknown_code,
		    "ecsim does not serve the operation %s", op);
	if (input_json == NULL || input_json[0] == '\0')
		input_json = "{}";
	arena *tmp = (e->flags & OPTAB_READ) || keep == NULL ? arena_new() : NULL;
	jr_loader *L = jr_loader_new(tmp ? tmp : keep);
	jr_val root;
	sim_error perr;
	sim_error_clear(&perr);
	const char *ctl = control_char(input_json);
	int rc = ctl ? aws_fault_client(fault, "SerializationException",
	    "control character 0x%02x at byte %zu of the request body",
	    (unsigned)(unsigned char)*ctl, (size_t)(ctl - input_json)) :
	    jr_load_text(L, "request", input_json, &root, &perr);
	if (rc == SIM_EFAULT) {
		/* refused before parsing */
	} else if (rc != 0) {
		rc = aws_fault_client(fault, "SerializationException", "%s", perr.msg);
	} else if (cJSON_IsObject(root.node) == 0) {
		rc = aws_fault_client(fault, "SerializationException",
		    "the request body must be a JSON object, not a JSON %s",
		    jr_type_name(&root));
	} else {
		sim_error herr;
		sim_error_clear(&herr);
		rc = e->fn(self, &root, output_json, fault, &herr);
		if (rc == SIM_EINPUT)
			rc = (input_fault(fault, svc->invalid_code, &herr), SIM_EFAULT);
		else if (rc != 0 && rc != SIM_EFAULT)
			*err = herr;
		if (rc != 0) {
			free(*output_json);
			*output_json = NULL;
		}
	}
	jr_loader_free(L);
	arena_free(tmp);
	return rc;
}
