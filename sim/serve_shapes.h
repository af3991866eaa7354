/*
 * shapes — the input and output shapes of the query-protocol operations
 * ecsim serve answers (Elastic Load Balancing v2 and CloudWatch), as a
 * table generated from botocore's service models by sim/serve_gen_shapes.py
 * (sim/serve_shapes.inc). The query protocol's forms carry no types and its XML
 * responses need member order and list/timestamp rules: both come from here.
 * The JSON protocols (ECS, Application Auto Scaling) need no table.
 *
 * Invariant: the table is immutable; every index in it is valid.
 */
#ifndef SIM_SERVE_SHAPES_H
#define SIM_SERVE_SHAPES_H

#include <stddef.h>

typedef enum shp_kind {
	SHP_STRUCT,    /* a = first member, b = member count */
	SHP_LIST,      /* a = member shape */
	SHP_MAP,       /* a = key shape, b = value shape */
	SHP_STRING,
	SHP_INTEGER,   /* integer and long */
	SHP_NUMBER,    /* double and float */
	SHP_BOOLEAN,
	SHP_TIMESTAMP, /* epoch seconds in JSON, ISO 8601 in the query protocol */
	SHP_BLOB,      /* base64 text on both sides */
} shp_kind;

typedef struct shp_shape {
	shp_kind kind;
	int a, b;
} shp_shape;

typedef struct shp_member {
	const char *name;
	int shape;
} shp_member;

typedef struct shp_op {
	const char *service;        /* IAM prefix: "elasticloadbalancing" */
	const char *name;           /* "DescribeTargetHealth" */
	int input, output;          /* shape indices, -1 when none */
	const char *result_wrapper; /* "DescribeTargetHealthResult" or NULL */
} shp_op;

typedef struct shp_service {
	const char *name;    /* IAM prefix */
	const char *version; /* the query protocol's Version, "2015-12-01" */
	const char *xmlns;   /* namespace of its XML responses */
} shp_service;

/* The service named name (IAM prefix), or NULL. Borrowed from the table. */
const shp_service *shp_service_named(const char *name);
/* The service whose API version is version ("2010-08-01"), or NULL. */
const shp_service *shp_service_by_version(const char *version);
/* The operation, or NULL when it is not served. */
const shp_op *shp_find_op(const char *service, const char *op);
/* Shape number i (valid index from the table). */
const shp_shape *shp_get(int i);
/* Member k (0 <= k < s->b) of structure s. */
const shp_member *shp_member_at(const shp_shape *s, int k);
/* The member of structure s named name (len bytes), or NULL. */
const shp_member *shp_find_member(const shp_shape *s, const char *name,
    size_t len);

#endif
