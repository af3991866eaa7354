/*
 * model_cfg — load-time bookkeeping shared by the section parsers: the
 * services known as the timeline goes, and the fields accepted without
 * effect (listed in the run's assumptions so nothing is silently ignored).
 */
#include <string.h>

#include "model/model_cfg.h"

known_service *
cfg_known_service(model_cfg *c, const char *cname, const char *name)
{
	for (int i = 0; i < c->nknown; i++)
		if (strcmp(c->known[i].cluster, cname) == 0 &&
		    strcmp(c->known[i].name, name) == 0)
			return &c->known[i];
	return NULL;
}

/* Arena arrays grow by copying: the old block stays until the arena goes,
 * which is fine for load-time lists of a few hundred entries. */
static void *
grow(arena *a, void *old, int n, int *cap, size_t elsize)
{
	if (n < *cap)
		return old;
	int ncap = *cap ? *cap * 2 : 16;
	void *p = arena_calloc(a, (size_t)ncap, elsize);
	if (n)
		memcpy(p, old, (size_t)n * elsize);
	*cap = ncap;
	return p;
}

void
cfg_set_known(model_cfg *c, const svc_cfg *s)
{
	known_service *k = cfg_known_service(c, s->cluster, s->name);
	if (k == NULL) {
		c->known = grow(c->a, c->known, c->nknown, &c->capknown, sizeof(*c->known));
		k = &c->known[c->nknown++];
	}
	k->cluster = s->cluster;
	k->name = s->name;
	k->cfg = s;
	k->deleted = false;
}

void
cfg_note(model_cfg *c, const jr_val *v)
{
	jr_pos p = jr_where(v);
	for (int i = 0; i < c->nnoted; i++)
		if (strcmp(c->noted[i], p.path) == 0)
			return;
	c->noted = grow(c->a, (void *)c->noted, c->nnoted, &c->capnoted, sizeof(*c->noted));
	c->noted[c->nnoted++] = p.path;
}
