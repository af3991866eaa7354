/*
 * cli_serve — `ecsim serve`: the scenario's world behind the AWS APIs on
 * a local port, on a virtual clock (sim/serve_server.h, sim/serve_httpd.h).
 *
 * Each backend the server opens (at start, on /_ecsim/reset, for a report)
 * is a fresh load of the scenario file and a fresh model at time 0: the
 * scenario's own timeline still plays as the clock passes its actions, and
 * clients' calls arrive in between.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "reports/expect.h"
#include "reports/events_log.h"
#include "reports/report_html.h"
#include "reports/rout.h"
#include "reports/summary_json.h"
#include "reports/timeline_csv.h"
#include "sim/serve_httpd.h"
#include "sim/serve_server.h"
#include "sim/serve_sigv4.h"
#include "sim/arena.h"
#include "sim/cli.h"
#include "sim/plan.h"
#include "sim/scenario.h"
#include "sim/xalloc.h"

static const char serve_usage[] =
    "usage: ecsim serve SCENARIO [options]\n"
    "\n"
    "Serve the AWS APIs of the scenario's world on a local port: ECS and\n"
    "Application Auto Scaling (JSON 1.1), Elastic Load Balancing v2 (query),\n"
    "CloudWatch (query and JSON 1.0). Point a client at it with\n"
    "--endpoint-url http://127.0.0.1:PORT and any credentials.\n"
    "\n"
    "options:\n"
    "  --port P            port to listen on (default 4570; 0: any free port)\n"
    "  --bind ADDR         address to listen on (default 127.0.0.1: this machine\n"
    "                      only; 0.0.0.0 or :: expose the simulator to others)\n"
    "  --clock MODE        realtime (default), a factor (60: a simulated minute\n"
    "                      per wall second), or manual (time moves only through\n"
    "                      POST /_ecsim/advance)\n"
    "  --seed N            override the scenario's seed\n"
    "  --duration D        how far the clock may go (default: the scenario's)\n"
    "  --auth KEY:SECRET   accept only requests signed (SigV4) with this key;\n"
    "                      without it any credentials are accepted unchecked\n"
    "  --max-body BYTES    largest request body (default 1048576; larger: 413)\n"
    "  --timeout S         close connections idle for S seconds (default 30)\n"
    "  --port-file FILE    write the port listened on to FILE\n"
    "  --no-timeline       leave out the scenario's timeline: clients make the calls\n"
    "  --start-time T      the wall-clock time of simulated time 0 in API answers\n"
    "                      (ISO 8601; default: when serve starts)\n"
    "\n"
    "admin endpoints: GET /_ecsim/state, POST /_ecsim/advance {\"by\":\"5m\"} |\n"
    "{\"to\":\"1h\"} | {\"until\":\"steady\",\"max\":\"1h\"}, POST /_ecsim/reset,\n"
    "GET /_ecsim/report[/summary.json|timeline.csv|events.log|report.html]\n";

/* One backend: a loaded scenario and its model. */
typedef struct session {
	arena *a;
	expect_set *expect;
	scenario *s;
	recorder *rec;
	model *m;
	size_t next; /* next timeline action */
} session;

typedef struct serve_ctx {
	const char *path;
	cli_run_opts o;
	double epoch; /* epoch seconds of simulated time 0 */
} serve_ctx;

static int
ses_apply(void *self, const plan_action *a, sim_error *err)
{
	session *x = self;
	return model_backend.apply(x->m, a, err);
}

static int
ses_advance(void *self, sim_time t, sim_error *err)
{
	session *x = self;
	return plan_run_to(x->s->timeline, &x->next, &model_backend, x->m, t, err);
}

static int
ses_describe(void *self, const char *what, char **out, sim_error *err)
{
	session *x = self;
	return model_backend.describe(x->m, what, out, err);
}

static int
ses_invoke(void *self, const char *op, const char *input, char **output,
    aws_fault *fault, sim_error *err)
{
	session *x = self;
	return model_backend.invoke(x->m, op, input, output, fault, err);
}

static void
ses_close(void *self)
{
	session *x = self;
	model_free(x->m);
	rec_free(x->rec);
	expect_free(x->expect);
	arena_free(x->a);
	free(x);
}

static const backend_ops session_ops = {
	.name = "sim",
	.apply = ses_apply,
	.advance = ses_advance,
	.describe = ses_describe,
	.invoke = ses_invoke,
	.close = ses_close,
};

static int
ses_open(void *ctx, const backend_ops **ops, void **self, sim_error *err)
{
	serve_ctx *c = ctx;
	session *x = xcalloc(1, sizeof(*x));
	x->a = arena_new();
	x->expect = expect_new();
	model_cfg *cfg = NULL;
	int rc = cli_load_scenario(c->path, &c->o, x->a, x->expect, &cfg, &x->s, err);
	if (rc != 0) {
		expect_free(x->expect);
		arena_free(x->a);
		free(x);
		return rc;
	}
	x->rec = rec_new();
	x->m = model_new(cfg, x->s, x->rec);
	model_set_api_epoch(x->m, c->epoch);
	*ops = &session_ops;
	*self = x;
	return 0;
}

static int
ses_report(void *ctx, void *self, const char *name, char **out, size_t *len,
    const char **ctype, sim_error *err)
{
	(void)ctx;
	(void)err;
	session *x = self;
	static const char *const names[] = {
		"summary.json", "timeline.csv", "events.log", "report.html",
	};
	static const char *const types[] = {
		"application/json", "text/csv", "text/plain; charset=utf-8",
		"text/html; charset=utf-8",
	};
	int k = -1;
	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			k = i;
	if (k < 0)
		return SIM_EINPUT;
	model_finish(x->m);
	expect_result *res = expect_eval(x->expect, x->rec);
	rout *o = rout_mem();
	switch (k) {
	case 0: rjson_write(o, x->rec, res); break;
	case 1: rcsv_write(o, x->rec); break;
	case 2: revents_write(o, x->rec); break;
	default: rhtml_write(o, x->rec, res); break;
	}
	const char *text = rout_mem_text(o, len);
	*out = xmalloc(*len + 1);
	memcpy(*out, text, *len);
	(*out)[*len] = '\0';
	*ctype = types[k];
	rout_free(o);
	expect_result_free(res);
	return 0;
}

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int serve_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int
serve_usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ecsim serve: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see: ecsim serve --help)\n");
	return SIM_EXIT_INPUT;
}

/* A whole number in [lo, hi]. */
static int
parse_count(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
cli_cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"port", required_argument, NULL, 'p'},
		{"bind", required_argument, NULL, 'b'},
		{"clock", required_argument, NULL, 'c'},
		{"seed", required_argument, NULL, 's'},
		{"duration", required_argument, NULL, 'd'},
		{"auth", required_argument, NULL, 'a'},
		{"max-body", required_argument, NULL, 'm'},
		{"timeout", required_argument, NULL, 't'},
		{"port-file", required_argument, NULL, 'f'},
		{"start-time", required_argument, NULL, 'T'},
		{"no-timeline", no_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	/* getopt_long wants the program name in argv[0]. */
	char **av = xcalloc((size_t)argc + 2, sizeof(*av));
	av[0] = (char *)(uintptr_t)"ecsim serve";
	for (int i = 0; i < argc; i++)
		av[i + 1] = argv[i];
	int ac = argc + 1;
	serve_ctx c;
	memset(&c, 0, sizeof(c));
	srv_opts so = {.clock = SRV_CLOCK_FACTOR, .factor = 1};
	httpd_opts ho = {.bind = "127.0.0.1", .port = 4570, .max_body = 1 << 20,
	    .timeout = 30, .max_conns = 64};
	const char *port_file = NULL;
	char *auth = NULL;
	bool epoch_set = false;
	long long n;
	int rc = -1;
	optind = 1;
	opterr = 0;
	for (int ch; rc < 0 && (ch = getopt_long(ac, av, ":h", longopts, NULL)) != -1;) {
		switch (ch) {
		case 'p':
			if (parse_count(optarg, 0, 65535, &n) != 0)
				rc = serve_usage_error("--port needs a port number in [0, 65535]");
			ho.port = (int)n;
			break;
		case 'b':
			ho.bind = optarg;
			break;
		case 'c':
			if (strcmp(optarg, "manual") == 0) {
				so.clock = SRV_CLOCK_MANUAL;
			} else if (strcmp(optarg, "realtime") == 0) {
				so.factor = 1;
			} else {
				char *end;
				errno = 0;
				double f = strtod(optarg, &end);
				if (*optarg == '\0' || *end != '\0' || errno != 0 ||
				    !(f > 0) || f > 1e6)
					rc = serve_usage_error("--clock needs realtime, manual or a "
					    "factor in (0, 1000000], got \"%s\"", optarg);
				so.factor = f;
			}
			break;
		case 's':
			if (parse_count(optarg, 0, 1LL << 53, &n) != 0)
				rc = serve_usage_error("--seed needs an integer between 0 and 2^53");
			c.o.seed = (uint64_t)n;
			c.o.seed_set = true;
			break;
		case 'd': {
			char why[200] = "";
			if (simtime_parse(optarg, &c.o.duration, why, sizeof(why)) != 0)
				rc = serve_usage_error("--duration: %s", why);
			else if (c.o.duration <= 0)
				rc = serve_usage_error("--duration: must be positive");
			c.o.duration_set = true;
			break;
		}
		case 'a': {
			const char *colon = strchr(optarg, ':');
			if (colon == NULL || colon == optarg || colon[1] == '\0')
				rc = serve_usage_error("--auth needs KEY:SECRET");
			else if (!sigv4_available())
				rc = serve_usage_error("--auth: this ecsim was built without GnuTLS");
			free(auth);
			auth = xstrdup(optarg);
			break;
		}
		case 'm':
			if (parse_count(optarg, 1024, 1LL << 30, &n) != 0)
				rc = serve_usage_error("--max-body needs a byte count in [1024, 2^30]");
			ho.max_body = (size_t)n;
			break;
		case 't':
			if (parse_count(optarg, 1, 3600, &n) != 0)
				rc = serve_usage_error("--timeout needs seconds in [1, 3600]");
			ho.timeout = (unsigned)n;
			break;
		case 'f':
			port_file = optarg;
			break;
		case 'N':
			c.o.no_timeline = true;
			break;
		case 'T':
			if (wire_iso8601_parse(optarg, &c.epoch) != 0 || c.epoch < 0)
				rc = serve_usage_error("--start-time needs an ISO 8601 time like "
				    "2026-01-01T00:00:00Z, got \"%s\"", optarg);
			epoch_set = true;
			break;
		case 'h':
			fputs(serve_usage, stdout);
			rc = SIM_EXIT_OK;
			break;
		case ':':
			rc = serve_usage_error("%s needs a value", av[optind - 1]);
			break;
		default:
			rc = serve_usage_error("unknown option \"%s\"", av[optind - 1]);
			break;
		}
	}
	if (rc < 0 && optind >= ac)
		rc = serve_usage_error("serve needs a scenario file");
	if (rc < 0 && optind + 1 < ac)
		rc = serve_usage_error("serve takes one scenario; got also \"%s\"", av[optind + 1]);
	if (rc >= 0) {
		free(auth);
		free(av);
		return rc;
	}
	c.path = av[optind];
	if (!epoch_set)
		c.epoch = (double)time(NULL);
	if (auth != NULL) {
		char *colon = strchr(auth, ':');
		*colon = '\0';
		so.auth_key = auth;
		so.auth_secret = colon + 1;
	}
	srv_factory f = {.ctx = &c, .open = ses_open, .report = ses_report};
	sim_error err;
	sim_error_clear(&err);
	/* The scenario's duration bounds the clock (the model schedules
	 * nothing past it); --duration moves it. */
	arena *a = arena_new();
	expect_set *ex = expect_new();
	model_cfg *cfg;
	scenario *s;
	rc = cli_load_scenario(c.path, &c.o, a, ex, &cfg, &s, &err);
	so.horizon = rc == 0 ? s->duration : 0;
	so.epoch = c.epoch;
	expect_free(ex);
	arena_free(a);
	srv *sv = rc == 0 ? srv_new(&f, &so, httpd_wall(), &err) : NULL;
	httpd *h = sv ? httpd_start(sv, &ho, &err) : NULL;
	if (h == NULL) {
		sim_error_print(stderr, &err);
		srv_free(sv);
		free(auth);
		free(av);
		return sim_exit_code(err.code);
	}
	if (port_file != NULL) {
		FILE *pf = fopen(port_file, "w");
		if (pf == NULL || fprintf(pf, "%d\n", httpd_port(h)) < 0 || fclose(pf) != 0) {
			fprintf(stderr, "ecsim serve: cannot write '%s': %s\n", port_file,
			    strerror(errno));
			httpd_stop(h);
			srv_free(sv);
			free(auth);
			free(av);
			return SIM_EXIT_RUNTIME;
		}
	}
	char hz[32], clk[48];
	if (so.clock == SRV_CLOCK_MANUAL)
		snprintf(clk, sizeof(clk), "manual");
	else if (so.factor == 1)
		snprintf(clk, sizeof(clk), "realtime");
	else
		snprintf(clk, sizeof(clk), "x%g", so.factor);
	fprintf(stderr, "ecsim serve: %s on http://%s:%d (clock %s%s, until %s); "
	    "Ctrl-C stops\n", c.path, ho.bind, httpd_port(h), clk,
	    so.auth_key ? ", SigV4 checked" : "",
	    simtime_format(so.horizon, hz, sizeof(hz)));
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	stop_flag = 0;
	httpd_run(h, &stop_flag, 50);
	fprintf(stderr, "ecsim serve: stopped after %lu requests at simulated %s\n",
	    srv_requests(sv), simtime_format(srv_now(sv), hz, sizeof(hz)));
	httpd_stop(h);
	srv_free(sv);
	free(auth);
	free(av);
	return SIM_EXIT_OK;
}
