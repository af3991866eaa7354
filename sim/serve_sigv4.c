/*
 * sigv4 — AWS Signature Version 4 checking (see sigv4.h).
 */
#include "sim/serve_sigv4.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/strbuf.h"
#include "sim/xalloc.h"

#ifdef ECSIM_HAVE_GNUTLS
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

/* The canonical request's helpers (needed only where signatures can be
 * computed). */


static void
hex_of(const unsigned char *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* AWS's URI encoding: unreserved characters kept, the rest %XX (upper
 * case); '/' kept when keep_slash. */
static void
sb_uri(strbuf *b, const char *s, size_t n, bool keep_slash)
{
	static const char hx[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
		    (keep_slash && c == '/')) {
			strbuf_add(b, (const char *)&s[i], 1);
		} else {
			char e[3] = {'%', hx[c >> 4], hx[c & 15]};
			strbuf_add(b, e, 3);
		}
	}
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

/* Percent-decode (no '+' rule: SigV4 query strings encode spaces as %20). */
static size_t
pct_decode(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			out[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			out[k++] = s[i];
		}
	}
	return k;
}

typedef struct qpair {
	char *k, *v; /* URI-encoded */
} qpair;

/* By key, then by value (byte order), as SigV4 sorts. */
static int
cmp_pair(const void *a, const void *b)
{
	const qpair *x = a, *y = b;
	int c = strcmp(x->k, y->k);
	return c ? c : strcmp(x->v, y->v);
}

/* The canonical query string: pairs decoded, re-encoded, sorted. */
static void
canonical_query(strbuf *b, const char *q)
{
	if (q == NULL || *q == '\0')
		return;
	size_t n = 1;
	for (const char *c = q; *c; c++)
		n += *c == '&';
	qpair *ps = xcalloc(n, sizeof(*ps));
	size_t np = 0;
	const char *c = q;
	while (*c) {
		size_t len = strcspn(c, "&");
		if (len > 0) {
			size_t eq = strcspn(c, "=");
			if (eq > len)
				eq = len;
			char *tmp = xmalloc(len + 1);
			strbuf ek = {0}, ev = {0};
			size_t kl = pct_decode(c, eq, tmp);
			sb_uri(&ek, tmp, kl, false);
			strbuf_add(&ek, "", 0);
			strbuf_add(&ev, "", 0);
			if (eq < len) {
				size_t vl = pct_decode(c + eq + 1, len - eq - 1, tmp);
				sb_uri(&ev, tmp, vl, false);
			}
			free(tmp);
			ps[np].k = ek.p;
			ps[np++].v = ev.p;
		}
		c += len;
		if (*c == '&')
			c++;
	}
	qsort(ps, np, sizeof(*ps), cmp_pair);
	for (size_t i = 0; i < np; i++) {
		if (i)
			strbuf_add(b, "&", 1);
		strbuf_str(b, ps[i].k);
		strbuf_add(b, "=", 1);
		strbuf_str(b, ps[i].v);
		free(ps[i].k);
		free(ps[i].v);
	}
	free(ps);
}

/* Header value trimmed, inner runs of spaces collapsed to one. */
static void
sb_header_value(strbuf *b, const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	size_t n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == ' ' || v[i] == '\t') {
			space = true;
			continue;
		}
		if (space)
			strbuf_add(b, " ", 1);
		space = false;
		strbuf_add(b, &v[i], 1);
	}
}

static void
hmac(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
	gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, klen, msg, strlen(msg), out);
}
#endif

bool
sigv4_available(void)
{
#ifdef ECSIM_HAVE_GNUTLS
	return true;
#else
	return false;
#endif
}

int
sigv4_sign(const wire_request *rq, const char *secret, const char *date,
    const char *scope, const char *signed_headers, char hex[65])
{
#ifndef ECSIM_HAVE_GNUTLS
	(void)rq; (void)secret; (void)date; (void)scope; (void)signed_headers;
	hex[0] = '\0';
	return -1;
#else
	strbuf cr = {0};
	strbuf_str(&cr, rq->method);
	strbuf_add(&cr, "\n", 1);
	const char *path = rq->path && rq->path[0] ? rq->path : "/";
	sb_uri(&cr, path, strlen(path), true);
	strbuf_add(&cr, "\n", 1);
	canonical_query(&cr, rq->query);
	strbuf_add(&cr, "\n", 1);
	/* Canonical headers, in the order SignedHeaders lists them (sorted
	 * by the client); repeated headers joined with ','. */
	const char *h = signed_headers;
	while (*h) {
		size_t n = strcspn(h, ";");
		if (n == 0 || n > 128) {
			free(cr.p);
			return -1;
		}
		char name[130];
		memcpy(name, h, n);
		name[n] = '\0';
		bool found = false;
		strbuf_str(&cr, name);
		strbuf_add(&cr, ":", 1);
		for (size_t i = 0; i < rq->nheaders; i++) {
			if (rq->headers[i].name == NULL ||
			    strcasecmp(rq->headers[i].name, name) != 0)
				continue;
			if (found)
				strbuf_add(&cr, ",", 1);
			sb_header_value(&cr, rq->headers[i].value ? rq->headers[i].value : "");
			found = true;
		}
		if (!found) {
			free(cr.p);
			return -1;
		}
		strbuf_add(&cr, "\n", 1);
		h += n;
		if (*h == ';')
			h++;
	}
	strbuf_add(&cr, "\n", 1);
	strbuf_str(&cr, signed_headers);
	strbuf_add(&cr, "\n", 1);
	unsigned char d[32];
	char dh[65];
	const char *payload = NULL;
	for (size_t i = 0; i < rq->nheaders; i++)
		if (rq->headers[i].name &&
		    strcasecmp(rq->headers[i].name, "x-amz-content-sha256") == 0)
			payload = rq->headers[i].value;
	if (payload != NULL && strcmp(payload, "UNSIGNED-PAYLOAD") == 0) {
		strbuf_str(&cr, payload);
	} else {
		gnutls_hash_fast(GNUTLS_DIG_SHA256, rq->body ? rq->body : "",
		    rq->body_len, d);
		hex_of(d, 32, dh);
		strbuf_str(&cr, dh);
	}
	gnutls_hash_fast(GNUTLS_DIG_SHA256, cr.p, cr.len, d);
	free(cr.p);
	hex_of(d, 32, dh);
	strbuf sts = {0};
	strbuf_str(&sts, "AWS4-HMAC-SHA256\n");
	strbuf_str(&sts, date);
	strbuf_add(&sts, "\n", 1);
	strbuf_str(&sts, scope);
	strbuf_add(&sts, "\n", 1);
	strbuf_str(&sts, dh);
	/* Signing key: HMAC chain over the scope's parts. */
	strbuf k0 = {0};
	strbuf_str(&k0, "AWS4");
	strbuf_str(&k0, secret);
	unsigned char key[32];
	char part[64];
	const char *sc = scope;
	const void *kp = k0.p;
	size_t kl = k0.len;
	for (int i = 0; i < 4; i++) {
		size_t n = strcspn(sc, "/");
		if (n == 0 || n >= sizeof(part)) {
			free(k0.p);
			free(sts.p);
			return -1;
		}
		memcpy(part, sc, n);
		part[n] = '\0';
		hmac(kp, kl, part, key);
		kp = key;
		kl = sizeof(key);
		sc += n;
		if (*sc == '/')
			sc++;
	}
	hmac(key, sizeof(key), sts.p, d);
	hex_of(d, 32, hex);
	free(k0.p);
	free(sts.p);
	return 0;
#endif
}

/* Copy the value of "Name=" up to a ',' or the end into buf. */
static int
auth_field(const char *auth, const char *name, char *buf, size_t size)
{
	const char *p = strstr(auth, name);
	if (p == NULL)
		return -1;
	p += strlen(name);
	size_t n = strcspn(p, ", ");
	if (n == 0 || n >= size)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

sigv4_result
sigv4_check(const wire_request *rq, const char *key, const char *secret,
    char *why, size_t whysize)
{
	if (!sigv4_available()) {
		snprintf(why, whysize, "ecsim was built without GnuTLS: it cannot check signatures");
		return SIGV4_UNAVAILABLE;
	}
	const char *auth = wire_header_get(rq, "Authorization");
	if (auth == NULL) {
		snprintf(why, whysize, "the request is not signed (no Authorization header)");
		return SIGV4_MISSING;
	}
	char cred[256], sh[1024], sig[80], date[32];
	const char *xd = wire_header_get(rq, "X-Amz-Date");
	if (strncmp(auth, "AWS4-HMAC-SHA256 ", 17) != 0 ||
	    auth_field(auth, "Credential=", cred, sizeof(cred)) != 0 ||
	    auth_field(auth, "SignedHeaders=", sh, sizeof(sh)) != 0 ||
	    auth_field(auth, "Signature=", sig, sizeof(sig)) != 0 ||
	    xd == NULL || strlen(xd) >= sizeof(date)) {
		snprintf(why, whysize, "the Authorization header is not an AWS4-HMAC-SHA256 "
		    "signature with Credential, SignedHeaders, Signature and X-Amz-Date");
		return SIGV4_MALFORMED;
	}
	snprintf(date, sizeof(date), "%s", xd);
	char *slash = strchr(cred, '/');
	if (slash == NULL) {
		snprintf(why, whysize, "the credential has no scope");
		return SIGV4_MALFORMED;
	}
	*slash = '\0';
	const char *scope = slash + 1;
	if (strcmp(cred, key) != 0) {
		snprintf(why, whysize, "the request is signed with access key id \"%.64s\", "
		    "not the one ecsim serve --auth was given", cred);
		return SIGV4_UNKNOWN_KEY;
	}
	if (strlen(date) < 8 || strncmp(scope, date, 8) != 0) {
		snprintf(why, whysize, "the credential scope's date is not X-Amz-Date's");
		return SIGV4_MALFORMED;
	}
	char hex[65];
	if (sigv4_sign(rq, secret, date, scope, sh, hex) != 0) {
		snprintf(why, whysize, "a signed header is missing or the scope is malformed");
		return SIGV4_MALFORMED;
	}
	/* Constant-time comparison of the two hex strings. */
	unsigned diff = (unsigned)(strlen(sig) ^ 64);
	for (size_t i = 0; i < 64; i++)
		diff |= (unsigned)(hex[i] ^ (i < strlen(sig) ? sig[i] : 0));
	if (diff != 0) {
		snprintf(why, whysize, "the request signature we calculated does not match "
		    "the signature you provided; check the secret access key");
		return SIGV4_BAD_SIGNATURE;
	}
	return SIGV4_OK;
}
