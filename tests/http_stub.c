/*
 * A scripted HTTP server in a child process (see http_stub.h).
 */
#include "tests/http_stub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/xalloc.h"

static void
serve_one(int fd, FILE *log, const hstub_response *r)
{
	char buf[65536];
	size_t n = 0;
	long want = -1;
	for (;;) {
		if (n + 1 >= sizeof(buf))
			break;
		ssize_t k = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
		buf[n] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (end == NULL)
			continue;
		if (want < 0) {
			want = 0;
			for (char *p = buf; p < end; p = strstr(p, "\r\n") + 2) {
				if (strncasecmp(p, "Content-Length:", 15) == 0)
					want = atol(p + 15);
				if (strstr(p, "\r\n") == NULL)
					break;
			}
		}
		if ((long)(n - (size_t)(end + 4 - buf)) >= want)
			break;
	}
	fwrite(buf, 1, n, log);
	fputs("\n=====\n", log);
	fflush(log);
	const char *body = r->body ? r->body : "";
	dprintf(fd, "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n%s",
	    r->status, strlen(body), r->headers ? r->headers : "", body);
	shutdown(fd, SHUT_WR);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

int
hstub_start(hstub *h, const hstub_response *rs, int n)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->log, sizeof(h->log), "/tmp/ecsim-hstub-%d-XXXXXX", (int)getpid());
	int lf = mkstemp(h->log);
	if (lf < 0)
		return -1;
	close(lf);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = 0;
	socklen_t al = sizeof(a);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(s, 16) != 0 || getsockname(s, (struct sockaddr *)&a, &al) != 0)
		return -1;
	h->port = ntohs(a.sin_port);
	fflush(NULL);
	h->pid = fork();
	if (h->pid < 0)
		return -1;
	if (h->pid == 0) {
		alarm(10);
		FILE *log = fopen(h->log, "w");
		if (log == NULL)
			_exit(1);
		for (int i = 0; i < n; i++) {
			int fd = accept(s, NULL, NULL);
			if (fd < 0)
				_exit(1);
			serve_one(fd, log, &rs[i]);
		}
		fclose(log);
		_exit(0);
	}
	close(s);
	return 0;
}

char *
hstub_finish(hstub *h)
{
	int st;
	if (waitpid(h->pid, &st, WNOHANG) == 0) {
		kill(h->pid, SIGKILL);
		waitpid(h->pid, &st, 0);
	}
	FILE *f = fopen(h->log, "r");
	char *text = NULL;
	size_t cap = 0, n = 0;
	if (f != NULL) {
		char buf[4096];
		size_t k;
		while ((k = fread(buf, 1, sizeof(buf), f)) > 0) {
			xgrow((void **)&text, &cap, n + k + 1, 1);
			memcpy(text + n, buf, k);
			n += k;
		}
		fclose(f);
	}
	unlink(h->log);
	if (text == NULL)
		return xstrdup("");
	text[n] = '\0';
	return text;
}

char *
hstub_request(const char *log, int i)
{
	const char *p = log;
	for (int k = 0; k < i; k++) {
		p = strstr(p, "\n=====\n");
		if (p == NULL)
			return NULL;
		p += 7;
	}
	const char *end = strstr(p, "\n=====\n");
	if (end == NULL)
		return NULL;
	return xstrndup(p, (size_t)(end - p));
}

char *
hstub_header(const char *request, const char *name)
{
	size_t k = strlen(name);
	const char *hdr_end = strstr(request, "\r\n\r\n");
	for (const char *p = strstr(request, "\r\n"); p && p < hdr_end; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (strncasecmp(line, name, k) == 0 && line[k] == ':') {
			const char *v = line + k + 1;
			while (*v == ' ')
				v++;
			return xstrndup(v, strcspn(v, "\r"));
		}
	}
	return NULL;
}

char *
hstub_body(const char *request)
{
	const char *p = strstr(request, "\r\n\r\n");
	return xstrdup(p ? p + 4 : "");
}
