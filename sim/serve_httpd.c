/*
 * httpd — libmicrohttpd glue for ecsim serve (see httpd.h).
 */
#include "sim/serve_httpd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/xalloc.h"

double
httpd_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#ifndef ECSIM_HAVE_MHD

struct httpd {
	int unused;
};

httpd *
httpd_start(srv *s, const httpd_opts *o, sim_error *err)
{
	(void)s;
	(void)o;
	sim_error_set(err, SIM_EUSAGE, NULL, 0, 0, NULL,
	    "this ecsim was built without libmicrohttpd: install it (make deps-serve, "
	    "or apt-get install libmicrohttpd-dev) and rebuild (make clean all)");
	return NULL;
}

int
httpd_port(const httpd *h)
{
	(void)h;
	return 0;
}

void
httpd_run(httpd *h, volatile sig_atomic_t *stop, int tick_ms)
{
	(void)h;
	(void)stop;
	(void)tick_ms;
}

void
httpd_stop(httpd *h)
{
	(void)h;
}

#else

#include <netdb.h>
#include <sys/socket.h>

#include <microhttpd.h>

#define MAX_HEADERS 100

struct httpd {
	struct MHD_Daemon *d;
	srv *s;
	httpd_opts o;
	int port;
};

/* One request in progress (libmicrohttpd's con_cls). */
typedef struct hreq {
	char *uri;        /* raw request target: path?query */
	char *body;
	size_t len, cap;
	bool too_big;
	bool started;     /* the handler saw the headers */
	wire_header headers[MAX_HEADERS];
	size_t nheaders;
} hreq;

static void *
uri_logger(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	hreq *r = xcalloc(1, sizeof(*r));
	r->uri = xstrdup(uri ? uri : "/");
	return r;
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	hreq *r = *con_cls;
	if (r == NULL)
		return;
	free(r->uri);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

static enum MHD_Result
collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	hreq *r = cls;
	if (r->nheaders == MAX_HEADERS)
		return MHD_NO;
	r->headers[r->nheaders++] = (wire_header){key, value ? value : ""};
	return MHD_YES;
}

static enum MHD_Result
send_response(struct MHD_Connection *c, wire_response *rs)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(rs->len,
	    rs->body, MHD_RESPMEM_MUST_FREE);
	rs->body = NULL;
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", rs->content_type ?
	    rs->content_type : "application/json");
	if (rs->request_id[0]) {
		MHD_add_response_header(resp, "x-amzn-RequestId", rs->request_id);
		MHD_add_response_header(resp, "x-amz-request-id", rs->request_id);
	}
	if (rs->query_error[0])
		MHD_add_response_header(resp, "x-amzn-query-error", rs->query_error);
	if (rs->date > 0) {
		/* The simulated clock's date (IMF-fixdate); libmicrohttpd then
		 * adds no Date of its own. */
		time_t t = (time_t)rs->date;
		struct tm tm;
		char date[64];
		if (gmtime_r(&t, &tm) != NULL &&
		    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm) > 0)
			MHD_add_response_header(resp, "Date", date);
	}
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	(void)url;
	(void)version;
	httpd *h = cls;
	hreq *r = *con_cls;
	if (r == NULL)  /* the URI logger always sets it; be safe */
		return MHD_NO;
	if (!r->started) {  /* headers only: the body (if any) follows */
		r->started = true;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		if (!r->too_big && r->len + n > h->o.max_body) {
			r->too_big = true;
			free(r->body);
			r->body = NULL;
			r->len = r->cap = 0;
		}
		if (!r->too_big) {
			if (r->len + n + 1 > r->cap) {
				size_t cap = r->cap ? r->cap : 4096;
				while (cap < r->len + n + 1)
					cap *= 2;
				r->body = xreallocarray(r->body, cap, 1);
				r->cap = cap;
			}
			memcpy(r->body + r->len, upload_data, n);
			r->len += n;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	/* The whole request is in: answer it. */
	MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, r);
	char *q = strchr(r->uri, '?');
	if (q != NULL)
		*q++ = '\0';
	wire_request rq = {
		.method = method, .path = r->uri, .query = q,
		.headers = r->headers, .nheaders = r->nheaders,
		.body = r->body ? r->body : "", .body_len = r->len,
	};
	wire_response rs;
	if (r->too_big) {
		char msg[160];
		snprintf(msg, sizeof(msg), "the request body is larger than %zu bytes "
		    "(ecsim serve --max-body)", h->o.max_body);
		srv_refuse(h->s, &rq, 413, "RequestEntityTooLarge", msg, &rs);
	} else {
		srv_handle(h->s, &rq, httpd_wall(), &rs);
	}
	enum MHD_Result ret = send_response(c, &rs);
	wire_response_free(&rs);
	return ret;
}

httpd *
httpd_start(srv *s, const httpd_opts *o, sim_error *err)
{
	struct addrinfo hints, *ai = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	char port[16];
	snprintf(port, sizeof(port), "%d", o->port);
	int g = getaddrinfo(o->bind, port, &hints, &ai);
	if (g != 0) {
		sim_error_set(err, SIM_EUSAGE, NULL, 0, 0, NULL,
		    "--bind %s: not a numeric IPv4 or IPv6 address (%s)", o->bind,
		    gai_strerror(g));
		return NULL;
	}
	httpd *h = xcalloc(1, sizeof(*h));
	h->s = s;
	h->o = *o;
	unsigned flags = MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handler, h,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_logger, (void *)NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, (void *)NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_conns,
	    MHD_OPTION_END);
	freeaddrinfo(ai);
	if (h->d == NULL) {
		sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
		    "cannot listen on %s port %d (in use, or not an address of this machine)",
		    o->bind, o->port);
		free(h);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d,
	    MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : o->port;
	return h;
}

int
httpd_port(const httpd *h)
{
	return h->port;
}

void
httpd_run(httpd *h, volatile sig_atomic_t *stop, int tick_ms)
{
	double next = httpd_wall();
	while (!*stop) {
		double now = httpd_wall();
		int wait = (int)((next - now) * 1000.0);
		if (wait < 0)
			wait = 0;
		MHD_run_wait(h->d, wait);
		now = httpd_wall();
		if (now >= next) {
			sim_error err;
			sim_error_clear(&err);
			srv_tick(h->s, now, &err);
			next = now + tick_ms / 1000.0;
		}
	}
}

void
httpd_stop(httpd *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}

#endif
