/*
 * shapes — lookups in the generated query-protocol shape table (see
 * shapes.h; the data is sim/serve_shapes.inc).
 */
#include "sim/serve_shapes.h"

#include <string.h>

#include "sim/error.h"

#include "sim/serve_shapes.inc"

#define COUNT(x) ((int)(sizeof(x) / sizeof((x)[0])))

const shp_service *
shp_service_named(const char *name)
{
	for (int i = 0; i < COUNT(shp_services); i++)
		if (strcmp(shp_services[i].name, name) == 0)
			return &shp_services[i];
	return NULL;
}

const shp_service *
shp_service_by_version(const char *version)
{
	for (int i = 0; i < COUNT(shp_services); i++)
		if (strcmp(shp_services[i].version, version) == 0)
			return &shp_services[i];
	return NULL;
}

const shp_op *
shp_find_op(const char *service, const char *op)
{
	for (int i = 0; i < COUNT(shp_ops); i++)
		if (strcmp(shp_ops[i].name, op) == 0 &&
		    strcmp(shp_ops[i].service, service) == 0)
			return &shp_ops[i];
	return NULL;
}

const shp_shape *
shp_get(int i)
{
	SIM_ASSERT(i >= 0 && i < COUNT(shp_shapes));
	return &shp_shapes[i];
}

const shp_member *
shp_member_at(const shp_shape *s, int k)
{
	SIM_ASSERT(s->kind == SHP_STRUCT && k >= 0 && k < s->b);
	return &shp_members[s->a + k];
}

const shp_member *
shp_find_member(const shp_shape *s, const char *name, size_t len)
{
	for (int k = 0; k < s->b; k++) {
		const shp_member *m = &shp_members[s->a + k];
		if (strlen(m->name) == len && memcmp(m->name, name, len) == 0)
			return m;
	}
	return NULL;
}
