/*
 * bench_serve — `ecsim serve` under load: DescribeServices on a
 * 100-service cluster (200 tasks on 20 instances, advanced to 10 minutes so
 * every service has tasks, targets and events), over one keep-alive
 * connection on loopback, as a pipeline's pollers would send it (awscli's
 * JSON 1.1 request). Prints requests per second and latency percentiles for
 * one service per call and for ten (the most DescribeServices takes).
 *
 * Bounded: at most 20,000 requests or 10 s per row; the server is started
 * here (ECSIM, default build/ecsim; --port 0) and stopped by its pid.
 * Needs libcurl at build time and an ecsim built with libmicrohttpd;
 * otherwise it says so and exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_util.h"

#ifndef ECSIM_HAVE_CURL

int
main(void)
{
	printf("bench_serve: skipped (built without libcurl: make deps-serve)\n");
	return 0;
}

#else

#include <curl/curl.h>

#define NSERVICES 100
#ifndef MAX_REQUESTS
#define MAX_REQUESTS 20000
#endif
#define MAX_MS 10000.0

typedef struct sink {
	char *p;
	size_t len, cap;
} sink;

static size_t
on_data(char *data, size_t size, size_t n, void *ctx)
{
	sink *s = ctx;
	size_t k = size * n;
	if (s->len + k + 1 > s->cap) {
		s->cap = (s->len + k + 1) * 2;
		s->p = realloc(s->p, s->cap);
	}
	memcpy(s->p + s->len, data, k);
	s->len += k;
	s->p[s->len] = '\0';
	return k;
}

static void
write_scenario(FILE *f)
{
	fprintf(f, "{\"name\":\"bench-serve\",\"duration\":\"2h\",\"seed\":7,"
	    "\"clusters\":[{\"clusterName\":\"bench\",\"instances\":[{\"type\":\"m5.xlarge\","
	    "\"count\":20,\"availabilityZones\":[\"us-east-1a\",\"us-east-1b\"]}]}],"
	    "\"taskDefinitions\":[{\"family\":\"app\",\"networkMode\":\"bridge\","
	    "\"containerDefinitions\":[{\"name\":\"app\",\"image\":\"example/app:1\","
	    "\"cpu\":256,\"memory\":512,\"essential\":true}]}],\"services\":[");
	for (int i = 0; i < NSERVICES; i++)
		fprintf(f, "%s{\"serviceName\":\"svc-%03d\",\"cluster\":\"bench\","
		    "\"taskDefinition\":\"app\",\"desiredCount\":2,\"launchType\":\"EC2\"}",
		    i ? "," : "", i);
	fprintf(f, "]}\n");
}

static pid_t
start_server(const char *ecsim, const char *scenario, const char *portfile, int *port)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(127);
		execl(ecsim, ecsim, "serve", scenario, "--clock", "manual", "--port", "0",
		    "--port-file", portfile, "--start-time", "2026-01-01T00:00:00Z", (char *)NULL);
		_exit(127);
	}
	*port = 0;
	for (int i = 0; i < 200 && *port == 0; i++) {
		struct timespec ts = {0, 25000000};
		nanosleep(&ts, NULL);
		FILE *f = fopen(portfile, "r");
		if (f) {
			if (fscanf(f, "%d", port) != 1)
				*port = 0;
			fclose(f);
		}
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return -1;
	}
	if (*port == 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* Stop the server; its CPU time (user + system), in ms. */
static double
stop_server(pid_t pid)
{
	struct rusage a, b;
	getrusage(RUSAGE_CHILDREN, &a);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	getrusage(RUSAGE_CHILDREN, &b);
	return (double)(b.ru_utime.tv_sec - a.ru_utime.tv_sec + b.ru_stime.tv_sec -
	    a.ru_stime.tv_sec) * 1e3 + (double)(b.ru_utime.tv_usec - a.ru_utime.tv_usec +
	    b.ru_stime.tv_usec - a.ru_stime.tv_usec) / 1e3;
}

/* POST body to url with the given X-Amz-Target (NULL: admin); returns
 * the HTTP status, the latency in *ms. */
static long
post(CURL *c, const char *url, const char *target, const char *body, sink *s, double *ms)
{
	struct curl_slist *h = NULL;
	char th[160];
	if (target) {
		snprintf(th, sizeof(th), "X-Amz-Target: AmazonEC2ContainerServiceV20141113.%s", target);
		h = curl_slist_append(h, th);
		h = curl_slist_append(h, "Content-Type: application/x-amz-json-1.1");
	}
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	s->len = 0;
	double t0 = bu_now_ms();
	CURLcode rc = curl_easy_perform(c);
	*ms = bu_now_ms() - t0;
	curl_slist_free_all(h);
	long status = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static size_t
row(CURL *c, const char *base, int per_call)
{
	char url[128], body[2048];
	snprintf(url, sizeof(url), "%s/", base);
	double *lat = malloc(MAX_REQUESTS * sizeof(*lat));
	sink s = {0};
	size_t n = 0, bytes = 0;
	int errors = 0;
	double t0 = bu_now_ms();
	while (n < MAX_REQUESTS && bu_now_ms() - t0 < MAX_MS) {
		int k = snprintf(body, sizeof(body), "{\"cluster\":\"bench\",\"services\":[");
		for (int j = 0; j < per_call; j++)
			k += snprintf(body + k, sizeof(body) - (size_t)k, "%s\"svc-%03d\"", j ? "," : "",
			    (int)((n * (size_t)per_call + (size_t)j) % NSERVICES));
		snprintf(body + k, sizeof(body) - (size_t)k, "]}");
		double ms;
		long st = post(c, url, "DescribeServices", body, &s, &ms);
		errors += st != 200;
		bytes += s.len;
		lat[n++] = ms;
	}
	double wall = bu_now_ms() - t0;
	bu_stats st = bu_stats_of(lat, n); /* sorts lat */
	printf("serve DescribeServices, %2d service%s per call (100-service cluster): "
	    "%zu requests in %.2f s: %.0f req/s; latency p50 %.3f ms, p99 %.3f ms, max %.3f ms; "
	    "%.1f KiB per answer; %d errors\n", per_call, per_call > 1 ? "s" : " ", n,
	    wall / 1e3, (double)n / (wall / 1e3), st.median, lat[(n * 99) / 100], st.max,
	    (double)bytes / (double)n / 1024.0, errors);
	free(lat);
	free(s.p);
	return n;
}

/* One row against a fresh server: returns 0, or -1 when it cannot start. */
static int
bench_row(const char *ecsim, const char *scn, const char *portfile, int per_call)
{
	int port;
	remove(portfile);
	pid_t pid = start_server(ecsim, scn, portfile, &port);
	if (pid < 0)
		return -1;
	CURL *c = curl_easy_init();
	sink s = {0};
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
	char base[64], url[128];
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
	snprintf(url, sizeof(url), "%s/_ecsim/advance", base);
	double ms;
	long st = post(c, url, NULL, "{\"to\":\"10m\"}", &s, &ms);
	size_t n = 0;
	if (st != 200)
		printf("bench_serve: advance failed (%ld): %s\n", st, s.p ? s.p : "");
	else
		n = row(c, base, per_call);
	free(s.p);
	curl_easy_cleanup(c);
	double cpu = stop_server(pid);
	if (n > 0)
		printf("    server CPU (whole session, start-up and advance included): %.0f ms, "
		    "%.1f us per request\n", cpu, cpu * 1e3 / (double)n);
	return 0;
}

int
main(void)
{
	const char *ecsim = getenv("ECSIM") ? getenv("ECSIM") : "build/ecsim";
	char *scn, *portfile;
	FILE *f = bu_temp_file(&scn);
	write_scenario(f);
	bu_close(f, scn);
	FILE *pf = bu_temp_file(&portfile);
	fclose(pf);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (bench_row(ecsim, scn, portfile, 1) != 0)
		printf("bench_serve: skipped (%s serve did not start: built without "
		    "libmicrohttpd?)\n", ecsim);
	else
		bench_row(ecsim, scn, portfile, 10);
	curl_global_cleanup();
	remove(scn);
	remove(portfile);
	free(scn);
	free(portfile);
	return 0;
}

#endif
