/*
 * httpd — the HTTP side of `ecsim serve`: libmicrohttpd in one thread
 * (no internal threads: MHD_run_wait in our loop), each complete request
 * handed to the server (sim/serve_server.h), the clock ticked between network
 * events. Bounds: request bodies above max_body are read and discarded and
 * answered 413 (AWS-shaped); headers are bounded by libmicrohttpd's
 * per-connection memory (32 KiB: it answers 431/400 itself); idle or slow
 * connections close after timeout seconds; at most max_conns connections.
 *
 * Built only with libmicrohttpd (ECSIM_HAVE_MHD); otherwise httpd_start
 * fails with a message that says how to get it.
 *
 * Invariant: every request is answered or its connection closed; nothing
 * the client sends can stop the loop.
 */
#ifndef SIM_SERVE_HTTPD_H
#define SIM_SERVE_HTTPD_H

#include <signal.h>
#include <stddef.h>

#include "sim/serve_server.h"
#include "sim/error.h"

typedef struct httpd_opts {
	const char *bind;      /* address to listen on: "127.0.0.1" */
	int port;              /* 0: any free port (see httpd_port) */
	size_t max_body;       /* bytes; larger bodies get 413 */
	unsigned timeout;      /* seconds of inactivity before a close */
	unsigned max_conns;
} httpd_opts;

typedef struct httpd httpd;

/* Listen for s (borrowed; must outlive the httpd). Returns an owned httpd
 * or NULL with *err set (SIM_EIO: cannot listen; SIM_EUSAGE: bad address
 * or built without libmicrohttpd). Stop with httpd_stop. */
httpd *httpd_start(srv *s, const httpd_opts *o, sim_error *err);
/* The port listened on. */
int httpd_port(const httpd *h);
/* Serve until *stop becomes non-zero (a signal handler sets it), ticking
 * the server's clock every tick_ms milliseconds of wall time. */
void httpd_run(httpd *h, volatile sig_atomic_t *stop, int tick_ms);
/* Close every connection and free h (NULL is a no-op). */
void httpd_stop(httpd *h);
/* Wall-clock seconds (CLOCK_MONOTONIC), the time base given to srv. */
double httpd_wall(void);

#endif
