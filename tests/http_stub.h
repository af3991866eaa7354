/*
 * A scripted HTTP/1.1 server for client tests: a child process listening
 * on 127.0.0.1 at an ephemeral port answers the given responses in order,
 * one per connection (Connection: close), and writes every request it
 * read (request line, headers, body) to a temporary file for the test to
 * inspect. Bounded: the child exits after the last response or after 10
 * seconds, whichever comes first.
 */
#ifndef TESTS_HTTP_STUB_H
#define TESTS_HTTP_STUB_H

#include <stddef.h>
#include <sys/types.h>

typedef struct hstub_response {
	int status;
	const char *headers; /* extra header lines, each ending "\r\n"; or NULL */
	const char *body;
} hstub_response;

typedef struct hstub {
	int port;
	pid_t pid;
	char log[256]; /* requests, separated by "\n=====\n" */
} hstub;

/* Start serving n responses. Returns 0, or -1 (the test should fail). */
int hstub_start(hstub *h, const hstub_response *rs, int n);
/* Wait for the child (killing it if still running) and return the
 * requests it recorded as one owned string (free with free); the log file
 * is removed. */
char *hstub_finish(hstub *h);
/* The i-th request (0-based) of a log as an owned string, or NULL. */
char *hstub_request(const char *log, int i);
/* Value of header name (case-insensitive) in one request, owned; NULL if
 * absent. */
char *hstub_header(const char *request, const char *name);
/* Body of one request (after the blank line), owned. */
char *hstub_body(const char *request);

#endif
