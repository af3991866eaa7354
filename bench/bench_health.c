/*
 * Target health benchmark (issue 4): the event-skipping health model. A
 * service's tasks are targets of its own target group (default health
 * check: every 30 s); the load is constant and nothing changes, so a model
 * that checks every target every interval spends one event per target per
 * 30 s, while ecsim predicts the next state change and schedules only
 * that.
 *
 * 1. Side by side, 500 targets (10 services x 50 tasks on 60 m5.xlarge)
 *    for one simulated day: the default model, and the verification mode
 *    `"parameters": {"elb.evaluateEveryCheck": true}` (one event per
 *    check). Engine events and wall time of each, and their ratios.
 * 2. What sampling costs: the 500-target day of 1. sampled every 5 min,
 *    1 h and 1 day. Each sample computes every service's latency
 *    percentiles (a quantile of the mixture over its tasks), which is not
 *    an engine event but can cost more than all of them.
 * 3. 5,000 targets (100 services x 50 tasks, 100 target groups, 600
 *    m5.xlarge) for 7 simulated days: engine events against the
 *    5,000 x 7 x 2,880 = 100.8 M a check-every-interval model needs, wall
 *    time and peak RSS; sampled hourly, and daily (which leaves the cost
 *    of the health model and of starting the tasks).
 *
 * Run 1 samples once a day, so that sampling does not blur the
 * comparison.
 *
 * Every run is in its own forked child (peak RSS is that run's own); wall
 * times are of cli_run_scenario, median of 3 (min..max).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench_util.h"
#include "sim/cli.h"

#define REPS 3
#define CHECK_INTERVAL_S 30 /* the target group default */

typedef struct health_shape {
	int instances;
	int services;          /* one target group each */
	int tasks_per_service;
	int days;
	bool every_check;      /* elb.evaluateEveryCheck */
	int sample_min;        /* sampleInterval, minutes */
} health_shape;

/* Write the scenario; returns its path (owned; unlink and free it). */
static char *
write_scenario(const health_shape *sh)
{
	char *path;
	FILE *f = bu_temp_file(&path);
	fprintf(f,
	    "{\"name\": \"bench-health\", \"seed\": 1, \"duration\": \"%dd\","
	    " \"sampleInterval\": \"%dm\",\n"
	    " \"parameters\": {\"elb.evaluateEveryCheck\": %s},\n"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{"
	    "\"type\": \"m5.xlarge\", \"count\": %d, \"availabilityZones\":"
	    " [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]}]}],\n",
	    sh->days, sh->sample_min, sh->every_check ? "true" : "false",
	    sh->instances);

	/* one task definition, one target group (default health check
	 * settings), one service and one constant workload per service */
	fprintf(f, " \"taskDefinitions\": [\n");
	for (int i = 0; i < sh->services; i++)
		fprintf(f,
		    "  {\"family\": \"svc-%03d\", \"networkMode\": \"bridge\","
		    " \"containerDefinitions\": [{\"name\": \"app\","
		    " \"image\": \"example/svc-%03d:1\", \"cpu\": 256, \"memory\": 512,"
		    " \"essential\": true, \"portMappings\": [{\"containerPort\": 8080,"
		    " \"hostPort\": 0}]}]}%s\n",
		    i, i, i + 1 < sh->services ? "," : "");
	fprintf(f, " ],\n \"targetGroups\": [\n");
	for (int i = 0; i < sh->services; i++)
		fprintf(f,
		    "  {\"Name\": \"tg-%03d\", \"Protocol\": \"HTTP\", \"Port\": 8080,"
		    " \"TargetType\": \"instance\", \"HealthCheckPath\": \"/health\"}%s\n",
		    i, i + 1 < sh->services ? "," : "");
	fprintf(f, " ],\n \"services\": [\n");
	for (int i = 0; i < sh->services; i++)
		fprintf(f,
		    "  {\"serviceName\": \"svc-%03d\", \"taskDefinition\": \"svc-%03d\","
		    " \"desiredCount\": %d, \"launchType\": \"EC2\","
		    " \"loadBalancers\": [{\"targetGroupArn\": \"tg-%03d\","
		    " \"containerName\": \"app\", \"containerPort\": 8080}]}%s\n",
		    i, i, sh->tasks_per_service, i, i + 1 < sh->services ? "," : "");
	fprintf(f, " ],\n \"workload\": [\n");
	for (int i = 0; i < sh->services; i++)
		fprintf(f,
		    "  {\"service\": \"svc-%03d\", \"requestsPerSecond\": 100,"
		    " \"cpuMsPerRequest\": 2, \"baseLatencyMs\": 20}%s\n",
		    i, i + 1 < sh->services ? "," : "");
	fprintf(f, " ]}\n");
	bu_close(f, path);
	return path;
}

typedef struct health_figures {
	double wall_ms;
	double peak_rss_mib;
	uint64_t events;
} health_figures;

static void
run_child(const void *ctx, void *out)
{
	const char *path = ctx;
	health_figures *fig = out;
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	cli_result res;
	double t0 = bu_now_ms();
	bu_run(path, &o, &res);
	fig->wall_ms = bu_now_ms() - t0;
	fig->peak_rss_mib = bu_peak_rss_mib();
	fig->events = res.events;
	cli_result_free(&res);
}

/* The figures of REPS runs of one shape: wall and RSS statistics, and the
 * event count (the same in every run: the seed is fixed). */
typedef struct health_result {
	bu_stats wall, rss;
	uint64_t events;
} health_result;

static int
measure(const health_shape *sh, health_result *r)
{
	char *path = write_scenario(sh);
	double wall[REPS], rss[REPS];
	health_figures fig;
	int rc = 0;
	for (int i = 0; i < REPS && rc == 0; i++) {
		rc = bu_in_child(run_child, path, &fig, sizeof(fig));
		wall[i] = fig.wall_ms;
		rss[i] = fig.peak_rss_mib;
	}
	unlink(path);
	free(path);
	if (rc != 0)
		return rc;
	r->wall = bu_stats_of(wall, REPS);
	r->rss = bu_stats_of(rss, REPS);
	r->events = fig.events;
	return 0;
}

/* Checks a check-every-interval model performs. */
static double
every_interval_checks(const health_shape *sh)
{
	return (double)sh->services * sh->tasks_per_service * sh->days *
	    (86400.0 / CHECK_INTERVAL_S);
}

static int
compare_modes(void)
{
	health_shape sh = {60, 10, 50, 1, false, 1440};
	health_result skip, every;
	if (measure(&sh, &skip) != 0)
		return -1;
	sh.every_check = true;
	if (measure(&sh, &every) != 0)
		return -1;
	printf("1. %d targets (%d services x %d, %d target groups), %d day, "
	       "constant load, sampled daily; %.2f M checks at one per %d s\n",
	    sh.services * sh.tasks_per_service, sh.services,
	    sh.tasks_per_service, sh.services, sh.days,
	    every_interval_checks(&sh) / 1e6, CHECK_INTERVAL_S);
	printf("   %-24s %12s %23s %14s\n", "health model", "events",
	    "wall ms", "peak RSS MiB");
	printf("   %-24s %12llu %9.1f (%5.1f..%5.1f) %14.1f\n",
	    "event-skipping (default)", (unsigned long long)skip.events,
	    skip.wall.median, skip.wall.min, skip.wall.max, skip.rss.median);
	printf("   %-24s %12llu %9.1f (%5.1f..%5.1f) %14.1f\n",
	    "evaluateEveryCheck", (unsigned long long)every.events,
	    every.wall.median, every.wall.min, every.wall.max, every.rss.median);
	printf("   every-check / skipping: %.1fx the events, %.1fx the wall time\n\n",
	    skip.events > 0 ? (double)every.events / (double)skip.events : 0.0,
	    skip.wall.median > 0 ? every.wall.median / skip.wall.median : 0.0);
	return 0;
}

static int
sampling_cost(void)
{
	static const int every_min[] = {5, 60, 1440};
	health_shape sh = {60, 10, 50, 1, false, 0};
	health_result r[3];
	printf("2. sampling cost: %d targets, %d services, %d day, event-skipping\n",
	    sh.services * sh.tasks_per_service, sh.services, sh.days);
	printf("   %-15s %9s %12s %23s %18s\n", "sampleInterval", "samples",
	    "events", "wall ms", "us/service-sample");
	for (int i = 0; i < 3; i++) {
		sh.sample_min = every_min[i];
		if (measure(&sh, &r[i]) != 0)
			return -1;
	}
	for (int i = 0; i < 3; i++) {
		int samples = sh.days * 1440 / every_min[i];
		/* extra wall time over the daily sample, per service sample */
		int extra = samples - sh.days;
		double per = extra > 0 ? (r[i].wall.median - r[2].wall.median) *
		    1e3 / ((double)extra * sh.services) : 0.0;
		char ps[32] = "-";
		if (extra > 0)
			snprintf(ps, sizeof(ps), "%.1f", per);
		printf("   %-15d %9d %12llu %9.1f (%5.1f..%5.1f) %18s\n",
		    every_min[i], samples, (unsigned long long)r[i].events,
		    r[i].wall.median, r[i].wall.min, r[i].wall.max, ps);
	}
	printf("   (sampleInterval in minutes; us/service-sample: wall time "
	       "over the daily-sampled run, per service per extra sample)\n\n");
	return 0;
}

static int
large_run(void)
{
	health_shape sh = {600, 100, 50, 7, false, 60};
	health_result hourly, daily;
	if (measure(&sh, &hourly) != 0)
		return -1;
	sh.sample_min = 1440;
	if (measure(&sh, &daily) != 0)
		return -1;
	double need = every_interval_checks(&sh);
	printf("3. %d targets (%d services x %d, %d target groups, %d "
	       "m5.xlarge), %d days, constant load, event-skipping model\n",
	    sh.services * sh.tasks_per_service, sh.services,
	    sh.tasks_per_service, sh.services, sh.instances, sh.days);
	printf("   %-34s %14s %14s\n", "", "sampled hourly", "sampled daily");
	printf("   %-34s %14llu %14llu\n", "engine events executed",
	    (unsigned long long)hourly.events, (unsigned long long)daily.events);
	printf("   %-34s %14.0f %14.0f\n", "check-every-interval model",
	    need, need);
	printf("   %-34s %13.0fx %13.0fx\n", "ratio (every-interval / events)",
	    hourly.events > 0 ? need / (double)hourly.events : 0.0,
	    daily.events > 0 ? need / (double)daily.events : 0.0);
	printf("   %-34s %14.1f %14.1f\n", "wall ms, median of 3",
	    hourly.wall.median, daily.wall.median);
	char hr[32], dr[32];
	snprintf(hr, sizeof(hr), "%.0f..%.0f", hourly.wall.min, hourly.wall.max);
	snprintf(dr, sizeof(dr), "%.0f..%.0f", daily.wall.min, daily.wall.max);
	printf("   %-34s %14s %14s\n", "  min..max", hr, dr);
	printf("   %-34s %14.1f %14.1f\n", "peak RSS MiB (median)",
	    hourly.rss.median, daily.rss.median);
	printf("   (check-every-interval: %d targets x %d days x %.0f checks "
	       "a day)\n", sh.services * sh.tasks_per_service, sh.days,
	    86400.0 / CHECK_INTERVAL_S);
	return 0;
}

int
main(void)
{
	printf("target health: default health check (every %d s), constant "
	       "load; each run in its own child process, wall ms of "
	       "cli_run_scenario, median of %d (min..max)\n\n",
	    CHECK_INTERVAL_S, REPS);
	if (compare_modes() != 0 || sampling_cost() != 0 || large_run() != 0)
		return 1;
	return 0;
}
