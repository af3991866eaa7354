/*
 * setpath — overrides by JSON path (see setpath.h).
 *
 * The assignment is parsed into segments, each with the byte where it
 * starts; the path is walked with the loader's own readers (so file
 * references resolve and errors in the file keep their positions); the
 * value is parsed as a document of its own whose text is the assignment
 * with everything before the value blanked out and line-1 newlines in
 * front, so the loader reports positions in it as origin:line:col of the
 * assignment; last, jread grafts it in place.
 */
#include "sim/setpath.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

const char *const setpath_id_keys[] = {
	"serviceName", "family", "clusterName", "name", "Name",
	"TargetGroupName", "LoadBalancerName", "AutoScalingGroupName",
	"PolicyName", "ScheduledActionName", "AlarmName", "ResourceId",
	"capacityProvider", "service", "Key", NULL,
};

#define SP_MAX_SEGS 64

typedef struct seg {
	char *name;     /* owned: the key, the name, or the index's digits */
	bool bracket;   /* written [x] (else .x or the leading key) */
	bool quoted;    /* written ["x"] */
	size_t at;      /* byte of the segment in the assignment */
} seg;

typedef struct sp_ctx {
	const char *origin;
	int line;
	const char *text; /* the assignment */
	seg segs[SP_MAX_SEGS];
	int nseg;
	size_t eq;        /* byte of '=' */
	sim_error *err;
} sp_ctx;

static int sp_fail(const sp_ctx *, size_t, const jr_val *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

/* An error at byte at of the assignment, with the path of v (or none). */
static int
sp_fail(const sp_ctx *c, size_t at, const jr_val *v, const char *fmt, ...)
{
	char msg[sizeof(c->err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const char *path = NULL;
	if (v != NULL)
		path = jr_where(v).path;
	int col = at + 1 > (size_t)INT32_MAX ? INT32_MAX : (int)(at + 1);
	return sim_error_set(c->err, SIM_EINPUT, c->origin, c->line, col, path,
	    "%s", msg);
}

/* ---- parsing the path ---- */

/* A quoted name at s[i] == '"': its decoded text, *end after the closing
 * quote; NULL if malformed. */
static char *
quoted_name(const char *s, size_t i, size_t *end)
{
	size_t j = i + 1;
	while (s[j] != '\0' && s[j] != '"')
		j += s[j] == '\\' && s[j + 1] != '\0' ? 2 : 1;
	if (s[j] != '"')
		return NULL;
	char *lit = xstrndup(s + i, j + 1 - i);
	cJSON *str = cJSON_Parse(lit);
	free(lit);
	char *name = NULL;
	if (cJSON_IsString(str))
		name = xstrdup(str->valuestring);
	cJSON_Delete(str);
	*end = j + 1;
	return name;
}

static int
parse_path(sp_ctx *c)
{
	const char *s = c->text;
	size_t i = 0;
	for (;;) {
		if (c->nseg == SP_MAX_SEGS)
			return sp_fail(c, i, NULL, "path has more than %d parts",
			    SP_MAX_SEGS);
		seg *g = &c->segs[c->nseg];
		g->at = i;
		if (s[i] == '[') {
			g->bracket = true;
			if (s[i + 1] == '"') {
				size_t end;
				g->name = quoted_name(s, i + 1, &end);
				if (g->name == NULL)
					return sp_fail(c, i + 1, NULL,
					    "malformed quoted name (a JSON string is expected)");
				g->quoted = true;
				i = end;
				if (s[i] != ']')
					return sp_fail(c, i, NULL,
					    "expected ']' after the quoted name");
			} else {
				size_t j = i + 1;
				while (s[j] != '\0' && s[j] != ']')
					j++;
				if (s[j] != ']')
					return sp_fail(c, i, NULL, "'[' is never closed");
				if (j == i + 1)
					return sp_fail(c, i, NULL,
					    "empty []: write an index or a name");
				g->name = xstrndup(s + i + 1, j - i - 1);
				i = j;
			}
			i++;
		} else {
			if (c->nseg > 0)
				i++; /* the '.' */
			g->at = i;
			size_t j = i;
			while (s[j] != '\0' && strchr(".[]=", s[j]) == NULL)
				j++;
			if (j == i)
				return sp_fail(c, i, NULL, "expected a key%s",
				    c->nseg > 0 ? " after '.'" : " (PATH=VALUE)");
			g->name = xstrndup(s + i, j - i);
			i = j;
		}
		c->nseg++;
		if (s[i] == '=') {
			c->eq = i;
			return 0;
		}
		if (s[i] == '\0')
			return sp_fail(c, i, NULL,
			    "expected '=' and a value (PATH=VALUE)");
		if (s[i] != '.' && s[i] != '[')
			return sp_fail(c, i, NULL,
			    "expected '.', '[' or '=' after '%s', got '%c'", g->name,
			    s[i]);
	}
}

/* ---- walking the document ---- */

static bool
all_digits(const char *s)
{
	if (*s == '\0' || strlen(s) > 9)
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool
same_ignoring_case(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

/* The name among names[0..n-1] nearest to word (case, or 2 edits), or
 * NULL. */
static const char *
nearest(const char *word, const char *const *names, int n)
{
	const char *best = NULL;
	int bestd = 3;
	for (int i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		int d = same_ignoring_case(word, names[i]) ? 0 :
		    jr_edit_distance(word, names[i], 2);
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	return best;
}

/* "a, b, c" of names (NULLs skipped) into buf, "…" past the room. */
static void
name_list(const char *const *names, int n, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		size_t need = strlen(names[i]) + 2;
		if (len + need + 8 > size) {
			snprintf(buf + len, size - len, "%s...", len ? ", " : "");
			return;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    len ? ", " : "", names[i]);
	}
}

/* The name of array element e: a string element itself, else the first
 * identifying member that is a string; NULL when it has none. */
static int
elem_name(const jr_val *e, const char **name, sim_error *err)
{
	*name = NULL;
	if (cJSON_IsString(e->node)) {
		*name = e->node->valuestring;
		return 0;
	}
	if (!cJSON_IsObject(e->node))
		return 0;
	jr_obj o;
	int rc = jr_object(e, &o, err);
	if (rc != 0)
		return rc;
	for (int k = 0; setpath_id_keys[k] != NULL; k++) {
		jr_val m;
		if (jr_get(&o, setpath_id_keys[k], &m) && cJSON_IsString(m.node)) {
			*name = m.node->valuestring;
			break;
		}
	}
	return 0;
}

/* The index in array arr (of n elements) that segment g selects. */
static int
select_elem(const sp_ctx *c, const seg *g, const jr_val *arr, int n,
    int *out)
{
	if (!g->bracket)
		return sp_fail(c, g->at, arr,
		    "this is an array: select an element with [index] or [name], "
		    "not .%s", g->name);
	if (!g->quoted && all_digits(g->name)) {
		long i = strtol(g->name, NULL, 10);
		if (i >= n)
			return sp_fail(c, g->at, arr,
			    "index %ld is out of range: the array has %d element%s",
			    i, n, n == 1 ? "" : "s");
		*out = (int)i;
		return 0;
	}
	const char **names = xcalloc((size_t)n + 1, sizeof(*names));
	int found = -1, nfound = 0, named = 0, rc = 0;
	char where[200] = "";
	size_t wl = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		jr_val e;
		jr_elem(arr, i, &e);
		rc = elem_name(&e, &names[i], c->err);
		if (rc != 0 || names[i] == NULL)
			continue;
		named++;
		if (strcmp(names[i], g->name) != 0)
			continue;
		if (nfound++ == 0)
			found = i;
		if (wl + 16 < sizeof(where))
			wl += (size_t)snprintf(where + wl, sizeof(where) - wl, "%s[%d]",
			    wl ? ", " : "", i);
	}
	if (rc == 0 && nfound == 1) {
		*out = found;
	} else if (rc == 0 && nfound > 1) {
		rc = sp_fail(c, g->at, arr,
		    "%d elements are named '%s' (%s): select one by index",
		    nfound, g->name, where);
	} else if (rc == 0 && named == 0) {
		rc = sp_fail(c, g->at, arr,
		    "no element is named '%s': the elements have no name "
		    "(serviceName, family, clusterName, name, ...); select one by "
		    "index [0..%d]", g->name, n - 1);
	} else if (rc == 0) {
		const char *near = nearest(g->name, names, n);
		char list[300];
		name_list(names, n, list, sizeof(list));
		if (near != NULL)
			rc = sp_fail(c, g->at, arr,
			    "no element is named '%s'; did you mean '%s'?", g->name,
			    near);
		else
			rc = sp_fail(c, g->at, arr,
			    "no element is named '%s' (the names are: %s)", g->name,
			    list);
	}
	free(names);
	return rc;
}

/* Member g of object o exists: 0 and *out, else an error that names the
 * nearest member or lists them. */
static int
need_member(const sp_ctx *c, const seg *g, jr_obj *o, jr_val *out)
{
	if (jr_get(o, g->name, out))
		return 0;
	int n = 0;
	for (const cJSON *m = o->v.node->child; m != NULL; m = m->next)
		n++;
	const char **names = xcalloc((size_t)n + 1, sizeof(*names));
	n = 0;
	for (const cJSON *m = o->v.node->child; m != NULL; m = m->next)
		names[n++] = m->string;
	const char *near = nearest(g->name, names, n);
	char list[300];
	name_list(names, n, list, sizeof(list));
	int rc;
	if (near != NULL)
		rc = sp_fail(c, g->at, &o->v,
		    "no member '%s'; did you mean '%s'?", g->name, near);
	else
		rc = sp_fail(c, g->at, &o->v,
		    "no member '%s' (only the last part of a path may be new; "
		    "the members are: %s)", g->name, n ? list : "none");
	free(names);
	return rc;
}

/* The value as a document of its own (see the file header). */
static int
load_value(const sp_ctx *c, jr_loader *L, jr_val *out)
{
	const char *value = c->text + c->eq + 1;
	size_t pre = (size_t)(c->line > 1 ? c->line - 1 : 0) + c->eq + 1;
	size_t vlen = strlen(value);
	char *text = xmalloc(pre + 6 * vlen + 3);
	memset(text, '\n', pre - c->eq - 1);
	memset(text + pre - c->eq - 1, ' ', c->eq + 1);
	memcpy(text + pre, value, vlen + 1);
	sim_error jerr;
	sim_error_clear(&jerr);
	int rc = jr_load_text(L, c->origin, text, out, &jerr);
	const char *first = value + strspn(value, " \t\r\n");
	if (rc != 0 && *first != '\0' && strchr("{[\"", *first) != NULL) {
		*c->err = jerr;
		free(text);
		return rc;
	}
	if (rc != 0) {
		/* not JSON: the string itself */
		char *q = text + pre;
		*q++ = '"';
		for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
			if (*p == '"' || *p == '\\') {
				*q++ = '\\';
				*q++ = (char)*p;
			} else if (*p < 0x20) {
				q += sprintf(q, "\\u%04x", *p);
			} else
				*q++ = (char)*p;
		}
		*q++ = '"';
		*q = '\0';
		rc = jr_load_text(L, c->origin, text, out, c->err);
		SIM_ASSERT(rc == 0);
	}
	free(text);
	return rc;
}

static int
walk_and_set(sp_ctx *c, const jr_val *root)
{
	jr_val *vals = xcalloc(SP_MAX_SEGS + 1, sizeof(*vals));
	jr_obj *objs = xcalloc(SP_MAX_SEGS, sizeof(*objs));
	vals[0] = *root;
	int rc = 0;
	for (int k = 0; k < c->nseg && rc == 0; k++) {
		const seg *g = &c->segs[k];
		bool last = k == c->nseg - 1;
		const jr_val *cur = &vals[k];
		jr_val with;
		if (cJSON_IsObject(cur->node)) {
			if ((rc = jr_object(cur, &objs[k], c->err)) != 0)
				break;
			if (!last) {
				rc = need_member(c, g, &objs[k], &vals[k + 1]);
			} else if ((rc = load_value(c, root->L, &with)) == 0) {
				size_t key_at = (size_t)(c->line > 1 ? c->line - 1 : 0) +
				    g->at + (g->bracket ? 1 : 0);
				jr_graft_member(&objs[k], g->name, &with, key_at);
			}
		} else if (cJSON_IsArray(cur->node)) {
			int n, i = 0;
			if ((rc = jr_array(cur, &n, c->err)) != 0 ||
			    (rc = select_elem(c, g, cur, n, &i)) != 0)
				break;
			if (!last)
				jr_elem(cur, i, &vals[k + 1]);
			else if ((rc = load_value(c, root->L, &with)) == 0)
				jr_graft_elem(cur, i, &with);
		} else {
			rc = sp_fail(c, g->at, cur,
			    "this is a %s: there is nothing in it to select with '%s'",
			    jr_type_name(cur), g->name);
		}
	}
	free(objs);
	free(vals);
	return rc;
}

int
setpath_apply(const jr_val *root, const char *origin, int line,
    const char *assignment, sim_error *err)
{
	sp_ctx *c = xcalloc(1, sizeof(*c));
	c->origin = origin;
	c->line = line;
	c->text = assignment;
	c->err = err;
	int rc = parse_path(c);
	if (rc == 0)
		rc = walk_and_set(c, root);
	for (int i = 0; i < SP_MAX_SEGS; i++)
		free(c->segs[i].name); /* a failed segment may hold one too */
	free(c);
	return rc;
}
