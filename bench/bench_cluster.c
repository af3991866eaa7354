/*
 * Cluster benchmark (issue 3): a large cluster with a deployment of every
 * service. 600 m5.xlarge instances (4 vCPU = 4096 CPU units, 16 GiB) over
 * three Availability Zones; 100 services of 50 tasks each (5,000 tasks),
 * 256 to 512 CPU units and 512 MiB per task, a dynamic host port, no load
 * balancer; rolling updates at 100/200. Service i is deployed once: a new
 * revision of its task definition is registered and ecs:UpdateService
 * called at 10 min + i × 5 s. Three simulated hours, sampled every 5 min.
 * A tenth of it (60 instances, 10 services, deployments 50 s apart) runs
 * first, so that how the cost grows with size is visible.
 *
 * Each repetition runs in a forked child, so the peak RSS printed is that
 * run's own. Prints the wall time of cli_run_scenario (load + simulate +
 * evaluate; median of 3, min..max), engine events, events per task
 * started, peak RSS, and — as a check, not an assertion — how many of the
 * deployments reached COMPLETED (from the recorder's `deployment`
 * facts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench_util.h"
#include "sim/cli.h"
#include "sim/recorder.h"

#define REPS 3

typedef struct cluster_shape {
	int instances;
	int services;
	int tasks_per_service;
	const char *duration;
	int first_deploy_s;  /* first service's deployment, seconds */
	int stagger_s;       /* between two services' deployments */
} cluster_shape;

/* CPU units of service i's task: 256, 320, ..., 512, repeating. */
static int
task_cpu(int i)
{
	return 256 + (i % 5) * 64;
}

/* One task definition (family svc-NNN, image tag `tag`), as the
 * taskDefinitions section and ecs:RegisterTaskDefinition both take it. */
static void
put_taskdef(FILE *f, int i, int tag)
{
	fprintf(f,
	    "{\"family\": \"svc-%03d\", \"networkMode\": \"bridge\","
	    " \"containerDefinitions\": [{\"name\": \"app\","
	    " \"image\": \"example/svc-%03d:%d\", \"cpu\": %d, \"memory\": 512,"
	    " \"essential\": true, \"portMappings\": [{\"containerPort\": 8080,"
	    " \"hostPort\": 0, \"protocol\": \"tcp\"}]}]}",
	    i, i, tag, task_cpu(i));
}

/* Write the scenario; returns its path (owned; unlink and free it). */
static char *
write_scenario(const cluster_shape *sh)
{
	char *path;
	FILE *f = bu_temp_file(&path);
	fprintf(f,
	    "{\"name\": \"bench-cluster\", \"seed\": 1, \"duration\": \"%s\","
	    " \"sampleInterval\": \"5m\",\n"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{"
	    "\"type\": \"m5.xlarge\", \"count\": %d, \"availabilityZones\":"
	    " [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]}]}],\n",
	    sh->duration, sh->instances);

	fprintf(f, " \"taskDefinitions\": [\n");
	for (int i = 0; i < sh->services; i++) {
		fprintf(f, "  ");
		put_taskdef(f, i, 1);
		fprintf(f, "%s\n", i + 1 < sh->services ? "," : "");
	}
	fprintf(f, " ],\n \"services\": [\n");
	for (int i = 0; i < sh->services; i++)
		fprintf(f,
		    "  {\"serviceName\": \"svc-%03d\", \"cluster\": \"default\","
		    " \"taskDefinition\": \"svc-%03d\", \"desiredCount\": %d,"
		    " \"launchType\": \"EC2\", \"deploymentConfiguration\":"
		    " {\"maximumPercent\": 200, \"minimumHealthyPercent\": 100}}%s\n",
		    i, i, sh->tasks_per_service, i + 1 < sh->services ? "," : "");

	/* the timeline, in time order: register revision 2, then deploy it */
	fprintf(f, " ],\n \"timeline\": [\n");
	for (int i = 0; i < sh->services; i++) {
		int at = sh->first_deploy_s + i * sh->stagger_s;
		fprintf(f, "  {\"at\": \"%ds\", \"call\": \"ecs:RegisterTaskDefinition\","
		    " \"input\": ", at);
		put_taskdef(f, i, 2);
		fprintf(f, "},\n  {\"at\": \"%ds\", \"call\": \"ecs:UpdateService\","
		    " \"input\": {\"cluster\": \"default\", \"service\": \"svc-%03d\","
		    " \"taskDefinition\": \"svc-%03d\"}}%s\n",
		    at, i, i, i + 1 < sh->services ? "," : "");
	}
	fprintf(f, " ]}\n");
	bu_close(f, path);
	return path;
}

/* What one run reports back to the parent. */
typedef struct cluster_figures {
	double wall_ms;
	double peak_rss_mib;
	uint64_t events;
	int64_t tasks_launched;
	int deployments;          /* the updates (cause "new task definition") */
	int completed;            /* ... of which COMPLETED at the end */
	int in_progress, failed;
	size_t placement_failures;
	size_t scaling_activities;
} cluster_figures;

static void
run_child(const void *ctx, void *out)
{
	const char *path = ctx;
	cluster_figures *fig = out;
	memset(fig, 0, sizeof(*fig));
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	cli_result res;
	double t0 = bu_now_ms();
	bu_run(path, &o, &res);
	fig->wall_ms = bu_now_ms() - t0;
	fig->peak_rss_mib = bu_peak_rss_mib();
	fig->events = res.events;
	rec_fact *run = rec_fact_at(res.rec, "run", 0);
	fig->tasks_launched = run ? rec_fact_get_int(run, "tasksLaunched", 0) : 0;
	for (size_t i = 0; i < rec_fact_count(res.rec, "deployment"); i++) {
		rec_fact *d = rec_fact_at(res.rec, "deployment", i);
		const char *cause = rec_fact_get_str(d, "cause");
		const char *state = rec_fact_get_str(d, "rolloutState");
		if (cause == NULL || strcmp(cause, "new task definition") != 0)
			continue;
		fig->deployments++;
		if (state == NULL)
			continue;
		fig->completed += strcmp(state, "COMPLETED") == 0;
		fig->in_progress += strcmp(state, "IN_PROGRESS") == 0;
		fig->failed += strcmp(state, "FAILED") == 0;
	}
	fig->placement_failures = rec_fact_count(res.rec, "placement_failure");
	fig->scaling_activities = rec_fact_count(res.rec, "scaling_activity");
	cli_result_free(&res);
}

static int
measure(const cluster_shape *sh)
{
	char *path = write_scenario(sh);
	cluster_figures fig[REPS];
	double wall[REPS], rss[REPS];
	int rc = 0;
	for (int i = 0; i < REPS && rc == 0; i++) {
		rc = bu_in_child(run_child, path, &fig[i], sizeof(fig[i]));
		wall[i] = fig[i].wall_ms;
		rss[i] = fig[i].peak_rss_mib;
	}
	unlink(path);
	free(path);
	if (rc != 0)
		return rc;
	bu_stats w = bu_stats_of(wall, REPS);
	bu_stats m = bu_stats_of(rss, REPS);
	const cluster_figures *f = &fig[0]; /* the same run each time (seed 1) */
	int tasks = sh->services * sh->tasks_per_service;
	printf("%5d %5d %8s %7ds %9.0f (%5.0f..%5.0f) %10llu %8lld %8.1f %7.1f (%5.1f..%5.1f)\n",
	    sh->instances, tasks, sh->duration, sh->stagger_s, w.median, w.min, w.max,
	    (unsigned long long)f->events, (long long)f->tasks_launched,
	    f->tasks_launched > 0 ? (double)f->events / (double)f->tasks_launched : 0.0,
	    m.median, m.min, m.max);
	printf("      updates (new task definition): %d, COMPLETED %d, "
	       "IN_PROGRESS %d, FAILED %d; placement failures recorded: %zu%s\n",
	    f->deployments, f->completed, f->in_progress, f->failed,
	    f->placement_failures,
	    f->completed == sh->services ? "" : "   <-- not all completed");
	return 0;
}

/* ==== PLACEHOLDER: the DESIGN.md budget run, not part of `make bench` ====
 *
 * "100 services, 5,000 tasks, 600 instances, 30 simulated days with
 * diurnal load, autoscaling and a deploy per service per day — in under
 * 5 s wall and 500 MB peak memory." A first cut, run only on demand
 * (`build/bench/bench_cluster diurnal [DAYS]` runs it alone, DAYS
 * defaults to 30; `make bench` runs it once, after the cluster shapes).
 * Not yet: repetitions (median of 3) and the capacity-provider (cluster
 * auto scaling) variant.
 *
 * Scenario: the cluster above; service i (CPU units task_cpu(i), no load
 * balancer, 5 ms of CPU per request) under a diurnal load peaking at
 * 14:00 whose trough needs 30 tasks at 50 % CPU and whose peak needs 60;
 * Application Auto Scaling target tracking on ECSServiceAverageCPU-
 * Utilization at 50 % (min 20, max 75 tasks); every day at 03:00 +
 * i × 10 s a new revision is registered and deployed. Sampled every
 * hour: a month at hourly resolution is what a capacity plan reads (each
 * sample computes latency percentiles per service; sampling every 5
 * minutes costs about 12 times as much). */

/* Requests per second one task of service i serves at 50 % CPU: its
 * vCPU (CPU units / 1024) × 1000 ms / 5 ms per request, halved. */
static double
rps_per_task_at_half(int i)
{
	return task_cpu(i) / 1024.0 * 1000.0 / 5.0 * 0.5;
}

static char *
write_diurnal_scenario(int days)
{
	const int services = 100, instances = 600;
	char *path;
	FILE *f = bu_temp_file(&path);
	fprintf(f,
	    "{\"name\": \"bench-diurnal\", \"seed\": 1, \"duration\": \"%dd\","
	    " \"sampleInterval\": \"1h\",\n"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{"
	    "\"type\": \"m5.xlarge\", \"count\": %d, \"availabilityZones\":"
	    " [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]}]}],\n",
	    days, instances);
	fprintf(f, " \"taskDefinitions\": [\n");
	for (int i = 0; i < services; i++) {
		fprintf(f, "  ");
		put_taskdef(f, i, 1);
		fprintf(f, "%s\n", i + 1 < services ? "," : "");
	}
	fprintf(f, " ],\n \"services\": [\n");
	for (int i = 0; i < services; i++)
		fprintf(f,
		    "  {\"serviceName\": \"svc-%03d\", \"taskDefinition\": \"svc-%03d\","
		    " \"desiredCount\": 30, \"launchType\": \"EC2\"}%s\n",
		    i, i, i + 1 < services ? "," : "");
	fprintf(f, " ],\n \"workload\": [\n");
	for (int i = 0; i < services; i++)
		fprintf(f,
		    "  {\"service\": \"svc-%03d\", \"requestsPerSecond\": {\"diurnal\":"
		    " {\"base\": %.1f, \"peak\": %.1f, \"peakHour\": 14}},"
		    " \"cpuMsPerRequest\": 5, \"baseLatencyMs\": 20}%s\n",
		    i, 30 * rps_per_task_at_half(i), 60 * rps_per_task_at_half(i),
		    i + 1 < services ? "," : "");
	fprintf(f, " ],\n \"scaling\": {\"scalableTargets\": [\n");
	for (int i = 0; i < services; i++)
		fprintf(f,
		    "  {\"ServiceNamespace\": \"ecs\", \"ResourceId\":"
		    " \"service/default/svc-%03d\", \"ScalableDimension\":"
		    " \"ecs:service:DesiredCount\", \"MinCapacity\": 20,"
		    " \"MaxCapacity\": 75}%s\n", i, i + 1 < services ? "," : "");
	fprintf(f, " ], \"scalingPolicies\": [\n");
	for (int i = 0; i < services; i++)
		fprintf(f,
		    "  {\"PolicyName\": \"cpu50\", \"ServiceNamespace\": \"ecs\","
		    " \"ResourceId\": \"service/default/svc-%03d\","
		    " \"ScalableDimension\": \"ecs:service:DesiredCount\","
		    " \"PolicyType\": \"TargetTrackingScaling\","
		    " \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": 50.0,"
		    " \"PredefinedMetricSpecification\": {\"PredefinedMetricType\":"
		    " \"ECSServiceAverageCPUUtilization\"}}}%s\n",
		    i, i + 1 < services ? "," : "");
	/* a deployment per service per day, in time order */
	fprintf(f, " ]},\n \"timeline\": [\n");
	for (int d = 0; d < days; d++)
		for (int i = 0; i < services; i++) {
			long at = (long)d * 86400 + 3 * 3600 + (long)i * 10;
			fprintf(f, "  {\"at\": \"%lds\", \"call\":"
			    " \"ecs:RegisterTaskDefinition\", \"input\": ", at);
			put_taskdef(f, i, d + 2);
			fprintf(f, "},\n  {\"at\": \"%lds\", \"call\": \"ecs:UpdateService\","
			    " \"input\": {\"service\": \"svc-%03d\", \"taskDefinition\":"
			    " \"svc-%03d\"}}%s\n", at, i, i,
			    d + 1 < days || i + 1 < services ? "," : "");
		}
	fprintf(f, " ]}\n");
	bu_close(f, path);
	return path;
}

static int
diurnal_run(int days)
{
	char *path = write_diurnal_scenario(days);
	cluster_figures fig;
	int rc = bu_in_child(run_child, path, &fig, sizeof(fig));
	unlink(path);
	free(path);
	if (rc != 0)
		return rc;
	const cluster_figures *c = &fig;
	printf("diurnal run: 600 m5.xlarge, 100 services, %d days, "
	       "diurnal load, CPU target tracking, a deploy per service per day; "
	       "one run\n", days);
	printf("   wall ms %.0f (budget for 30 days: 5000), events %llu, tasks "
	       "started %lld, peak RSS %.1f MiB (budget 500)\n",
	    c->wall_ms, (unsigned long long)c->events, (long long)c->tasks_launched,
	    c->peak_rss_mib);
	printf("   updates: %d, COMPLETED %d, IN_PROGRESS %d, FAILED %d; "
	       "placement failures recorded: %zu; scaling activities: %zu\n",
	    c->deployments, c->completed, c->in_progress, c->failed,
	    c->placement_failures, c->scaling_activities);
	return 0;
}

int
main(int argc, char **argv)
{
	/* optional arguments: "diurnal [DAYS]" runs only the diurnal run;
	 * a number runs only the shape with that many instances */
	if (argc > 1 && strcmp(argv[1], "diurnal") == 0)
		return diurnal_run(argc > 2 ? atoi(argv[2]) : 30) != 0;
	/* "write-diurnal DAYS": write the diurnal scenario and print its
	 * path (kept), for profiling through `ecsim run` */
	if (argc > 2 && strcmp(argv[1], "write-diurnal") == 0) {
		char *path = write_diurnal_scenario(atoi(argv[2]));
		printf("%s\n", path);
		free(path);
		return 0;
	}
	int only = argc > 1 ? atoi(argv[1]) : 0;
	static const cluster_shape shapes[] = {
		/* a tenth of the size first (deployments staggered 10 times as far
		 * apart, so as many overlap per instance), so the scaling is
		 * visible */
		{60, 10, 50, "3h", 600, 50},
		{600, 100, 50, "3h", 600, 5},
	};
	printf("cluster: N m5.xlarge, 50 tasks per service (256-512 CPU, 512 MiB, "
	       "dynamic host port, no LB), service i deployed once at "
	       "10m + i*stagger;\nwall ms of cli_run_scenario, median of %d (min..max); "
	       "peak RSS of each run in its own child process\n", REPS);
	printf("%5s %5s %8s %8s %23s %10s %8s %8s %23s\n", "inst", "tasks",
	    "sim", "stagger", "wall ms", "events", "started", "ev/task", "peak RSS MiB");
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if ((only == 0 || shapes[i].instances == only) &&
		    measure(&shapes[i]) != 0)
			return 1;
	/* the DESIGN.md budget run: one repetition (it takes tens of seconds) */
	if (only == 0 && diurnal_run(30) != 0)
		return 1;
	return 0;
}
