/*
 * ecs_cfg — load-time bookkeeping shared by the section parsers: the
 * services known as the timeline goes, the fields accepted without effect
 * (listed in the run's assumptions so nothing is silently ignored), the
 * capacity providers, and the tables of timeline calls and cluster
 * members other parts of the model register.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model/ecs/ecs_cfg.h"
#include "sim/rng.h"

/* The known services are indexed by (cluster, name) in an open-addressing
 * table of indexes into c->known, so validating thousands of services
 * stays linear. */
static uint64_t
known_hash(const char *cname, const char *name)
{
	return rng_fnv1a64(cname) * UINT64_C(0x100000001b3) ^ rng_fnv1a64(name);
}

known_service *
cfg_known_service(model_cfg *c, const char *cname, const char *name)
{
	if (c->known_hcap == 0)
		return NULL;
	size_t mask = (size_t)c->known_hcap - 1;
	for (size_t h = (size_t)known_hash(cname, name) & mask;; h = (h + 1) & mask) {
		int i = c->known_idx[h];
		if (i < 0)
			return NULL;
		if (strcmp(c->known[i].cluster, cname) == 0 && strcmp(c->known[i].name, name) == 0)
			return &c->known[i];
	}
}

static void
known_index_put(model_cfg *c, int i)
{
	size_t mask = (size_t)c->known_hcap - 1;
	size_t h = (size_t)known_hash(c->known[i].cluster, c->known[i].name) & mask;
	while (c->known_idx[h] >= 0)
		h = (h + 1) & mask;
	c->known_idx[h] = i;
}

/* Keep the table at most half full. */
static void
known_index_grow(model_cfg *c)
{
	if (2 * (c->nknown + 1) <= c->known_hcap)
		return;
	c->known_hcap = c->known_hcap ? 2 * c->known_hcap : 64;
	c->known_idx = ARENA_ARRAY(c->a, int, (size_t)c->known_hcap);
	for (int h = 0; h < c->known_hcap; h++)
		c->known_idx[h] = -1;
	for (int i = 0; i < c->nknown; i++)
		known_index_put(c, i);
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
	if (k == NULL || k->deleted)
		cfg_cluster_services(c, s->cluster, +1);
	if (k == NULL) {
		known_index_grow(c);
		c->known = grow(c->a, c->known, c->nknown, &c->capknown, sizeof(*c->known));
		k = &c->known[c->nknown];
		k->cluster = s->cluster;
		k->name = s->name;
		known_index_put(c, c->nknown++);
	}
	k->cfg = s;
	k->deleted = false;
}

void
cfg_note_why(model_cfg *c, const jr_val *v, const char *why)
{
	jr_pos p = jr_where(v);
	for (int i = 0; i < c->nnoted; i++)
		if (strcmp(c->noted[i], p.path) == 0)
			return;
	c->noted_why = grow(c->a, (void *)c->noted_why, c->nnoted, &c->capnoted_why, sizeof(*c->noted_why));
	c->noted = grow(c->a, (void *)c->noted, c->nnoted, &c->capnoted, sizeof(*c->noted));
	c->noted_why[c->nnoted] = why;
	c->noted[c->nnoted++] = p.path;
}

void
cfg_note(model_cfg *c, const jr_val *v)
{
	cfg_note_why(c, v, NULL);
}

void
cfg_add_call(model_cfg *c, scn_spec *sp, const char *name,
    int (*parse)(void *, sim_time, const jr_val *, void **, sim_error *),
    call_apply_fn apply)
{
	SIM_ASSERT(c->ncalls < MODEL_MAX_CALLS);
	c->calls[c->ncalls].name = name;
	c->calls[c->ncalls].apply = apply;
	c->ncalls++;
	scn_spec_add_call(sp, name, parse, c);
}

void
cfg_add_cluster_member(model_cfg *c, const char *key, cluster_member_fn parse)
{
	SIM_ASSERT(c->ncluster_members < MODEL_MAX_CLUSTER_MEMBERS);
	c->cluster_members[c->ncluster_members].key = key;
	c->cluster_members[c->ncluster_members].parse = parse;
	c->ncluster_members++;
}

const cp_cfg *
cfg_find_provider(const model_cfg *c, const char *cname, const char *name)
{
	for (int i = 0; i < c->ncps; i++)
		if (strcmp(c->cps[i]->p.name, name) == 0 &&
		    (cname == NULL || strcmp(c->cps[i]->cluster, cname) == 0))
			return c->cps[i];
	return NULL;
}

int
cfg_provider_index(const model_cfg *c, const cp_cfg *p)
{
	for (int i = 0; i < c->ncps; i++)
		if (c->cps[i] == p)
			return i;
	return -1;
}

int
cfg_check_strategy(const model_cfg *c, const char *cname, const cp_strategy *s,
    sim_error *err)
{
	for (int i = 0; i < s->n; i++)
		if (cfg_find_provider(c, cname, s->items[i].provider) == NULL)
			return jr_fail_at(&s->items[i].pos, err,
			    "capacity provider \"%s\" is not associated with cluster \"%s\" (its capacityProviders)",
			    s->items[i].provider, cname);
	return 0;
}

int
cfg_check_template(const jr_val *v, const char *s, sim_error *err)
{
	if (strstr(s, "{{") != NULL || strstr(s, "${") != NULL)
		return jr_fail(v, err, "\"%s\" looks like an unrendered template: render it (with the tool that owns the placeholders) before giving it to ecsim", s);
	return 0;
}

int
cfg_check_name(const jr_val *v, const char *what, const char *s, sim_error *err)
{
	int rc;
	if ((rc = cfg_check_template(v, s, err)) != 0)
		return rc;
	size_t n = strlen(s);
	if (n == 0 || n > CFG_NAME_MAX)
		return jr_fail(v, err, "a %s has 1 to %d characters, got %zu", what, CFG_NAME_MAX, n);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return jr_fail(v, err, "a %s may only hold letters, digits, hyphens and underscores, got \"%s\"", what, s);
	return 0;
}

int
cfg_cluster_services(model_cfg *c, const char *cname, int delta)
{
	for (int i = 0; i < c->nclusters; i++)
		if (strcmp(c->clusters[i]->name, cname) == 0)
			return c->clusters[i]->nservices += delta;
	return 0;
}

int
cfg_check_az(const model_cfg *c, const jr_val *v, const char *az, sim_error *err)
{
	/* [DOC EC2] a zone's name is its Region's code and a letter
	 * ("us-east-1a"); zone IDs ("use1-az1") are not names */
	const char *region = c->params.region;
	size_t n = strlen(region);
	if (strncmp(az, region, n) == 0 && az[n] >= 'a' && az[n] <= 'z' && az[n + 1] == '\0')
		return 0;
	return jr_fail(v, err, "availability zone \"%s\" is not a zone of region %s (aws.region in parameters; zones are named like %sa)",
	    az, region, region);
}

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
format_utc(int64_t t, char *buf, size_t size)
{
	int64_t z = (t >= 0 ? t : t - 86399) / 86400;
	int64_t sec = t - z * 86400;
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y,
	    (long long)m, (long long)d, (long long)(sec / 3600), (long long)(sec / 60 % 60),
	    (long long)(sec % 60));
}

/* "YYYY-MM-DDTHH:MM:SSZ" to Unix seconds; -1 when malformed. */
static int
parse_utc(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	char z, tail;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%c", &y, &mo, &d, &h, &mi, &se, &z, &tail) != 7 ||
	    z != 'Z' || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || se > 59 || h < 0 || mi < 0 || se < 0)
		return -1;
	int64_t days = days_from_civil(y, mo, d);
	char back[32];
	format_utc(days * 86400, back, sizeof(back));
	if (strncmp(back, s, 10) != 0)
		return -1; /* e.g. February 30 */
	*out = days * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

void
cfg_add_params(model_cfg *c, const param_def *defs, int n, void *block,
    bool (*listed)(const model_cfg *c))
{
	SIM_ASSERT(c->nparam_tables < MODEL_MAX_PARAM_TABLES);
	param_table *t = &c->param_tables[c->nparam_tables++];
	t->defs = defs;
	t->n = n;
	t->block = block;
	t->set = ARENA_ARRAY(c->a, bool, (size_t)(n ? n : 1));
	t->listed = listed;
}

static const param_table *
table_of(const model_cfg *c, const param_def *defs)
{
	for (int i = 0; i < c->nparam_tables; i++)
		if (c->param_tables[i].defs == defs)
			return &c->param_tables[i];
	sim_panic(__FILE__, __LINE__, "parameter table not registered");
}

void *
cfg_params(const model_cfg *c, const param_def *defs)
{
	return table_of(c, defs)->block;
}

bool
cfg_param_set(const model_cfg *c, const param_def *defs, int i)
{
	return table_of(c, defs)->set[i];
}

void
cfg_param_format(const param_def *d, const void *block, char *buf, size_t size)
{
	const char *field = (const char *)block + d->offset;
	switch (d->type) {
	case PT_DURATION:
		simtime_format(*(const sim_time *)(const void *)field, buf, size);
		break;
	case PT_BOOL:
		snprintf(buf, size, "%s", *(const bool *)(const void *)field ? "true" : "false");
		break;
	case PT_INT:
		snprintf(buf, size, "%d", *(const int *)(const void *)field);
		break;
	case PT_STRING:
		snprintf(buf, size, "%s", *(const char *const *)(const void *)field);
		break;
	case PT_DIST:
		dist_describe((const dist *)(const void *)field, buf, size);
		break;
	case PT_NUM:
		snprintf(buf, size, "%g", *(const double *)(const void *)field);
		break;
	case PT_ENUM:
		snprintf(buf, size, "%s", d->names[*(const int *)(const void *)field]);
		break;
	case PT_TIMESTAMP:
		format_utc(*(const int64_t *)(const void *)field, buf, size);
		break;
	}
}

int
cfg_param_read(const param_def *d, void *block, const jr_val *v, sim_error *err)
{
	char *field = (char *)block + d->offset;
	switch (d->type) {
	case PT_DURATION:
		return jr_duration(v, d->lo, d->hi, (sim_time *)(void *)field, err);
	case PT_BOOL:
		return jr_bool(v, (bool *)(void *)field, err);
	case PT_INT:
		return jr_int32(v, (int)d->lo, (int)d->hi, (int *)(void *)field, err);
	case PT_STRING:
		return jr_str(v, (const char **)(void *)field, err);
	case PT_DIST:
		return dist_parse(v, (dist *)(void *)field, err);
	case PT_NUM:
		return jr_num(v, d->nlo, d->nhi, (double *)(void *)field, err);
	case PT_ENUM:
		return jr_enum(v, d->names, d->nnames, (int *)(void *)field, err);
	case PT_TIMESTAMP: {
		const char *s;
		int rc = jr_str(v, &s, err);
		if (rc != 0)
			return rc;
		if (parse_utc(s, (int64_t *)(void *)field) != 0)
			return jr_fail(v, err, "expected a UTC date-time like \"2026-01-01T00:00:00Z\", got \"%s\"", s);
		return 0;
	}
	}
	return 0;
}
