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

#include <sys/stat.h>

#include "bench/bench_util.h"
#include "reports/events_log.h"
#include "reports/summary_json.h"
#include "reports/timeline_csv.h"
#include "reports/writer.h"
#include "sim/cli.h"
#include "sim/heap.h"
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
	double sim_hours;
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
	const char *secs = rec_info_get(res.rec, "durationSeconds");
	fig->sim_hours = secs ? strtod(secs, NULL) / 3600.0 : 0;
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
	printf("%5d %5d %8s %7ds %9.0f (%5.0f..%5.0f) %10llu %9.0f %8lld %8.1f %7.1f (%5.1f..%5.1f)\n",
	    sh->instances, tasks, sh->duration, sh->stagger_s, w.median, w.min, w.max,
	    (unsigned long long)f->events, f->sim_hours > 0 ? (double)f->events / f->sim_hours : 0.0,
	    (long long)f->tasks_launched,
	    f->tasks_launched > 0 ? (double)f->events / (double)f->tasks_launched : 0.0,
	    m.median, m.min, m.max);
	printf("      updates (new task definition): %d, COMPLETED %d, "
	       "IN_PROGRESS %d, FAILED %d; placement failures recorded: %zu%s\n",
	    f->deployments, f->completed, f->in_progress, f->failed,
	    f->placement_failures,
	    f->completed == sh->services ? "" : "   <-- not all completed");
	return 0;
}

/* ==== Month-long estates: the budget runs of issue 9 ====
 *
 * "diurnal" (DESIGN.md, issue 9): 600 m5.xlarge, 100 services, 30 days.
 * Service i (CPU units task_cpu(i), no load balancer, 5 ms of CPU per
 * request) under a diurnal load peaking at 14:00 whose trough needs 30
 * tasks at 50 % CPU and whose peak needs 60; Application Auto Scaling
 * target tracking on ECSServiceAverageCPUUtilization at 50 % (min 20, max
 * 75 tasks); every day at 03:00 + i × 10 s a new revision is registered
 * and deployed. No sampleInterval: the default for a month (1 h).
 * Budget: < 5 s wall, < 250 MiB peak RSS; writing timeline.csv,
 * events.log and summary.json at most a third of the run.
 *
 * "estate": the same shape at 2,000 instances and 500 services (trough
 * 12 tasks, peak 24, min 8, max 40), 30 days, default sampleInterval.
 * Budget: < 60 s, < 1 GiB, timeline.csv < 200 MB.
 *
 * "idle day" / "idle week": the 600 instances and 100 services of
 * "diurnal" at a constant load, without scaling policies or deployments:
 * nothing changes after the start, so engine events per simulated hour
 * must not grow with the duration (a week costs no more events per hour
 * than a day).
 *
 * Each repetition runs in a forked child (peak RSS is its own); wall
 * times are of cli_run_scenario (load + simulate + evaluate), median of
 * the repetitions (min..max). */

typedef struct estate_shape {
	const char *label;
	int instances, services;
	int trough, peak;   /* tasks at 50 % CPU at the trough and the peak */
	int min, max;       /* scalable target; 0: no Application Auto Scaling */
	int days;
	bool deploys;       /* a new revision per service per day */
	int reps;
	bool write;         /* measure the report writers */
} estate_shape;

/* Requests per second one task of service i serves at 50 % CPU: its
 * vCPU (CPU units / 1024) × 1000 ms / 5 ms per request, halved. */
static double
rps_per_task_at_half(int i)
{
	return task_cpu(i) / 1024.0 * 1000.0 / 5.0 * 0.5;
}

static char *
write_estate_scenario(const estate_shape *e)
{
	char *path;
	FILE *f = bu_temp_file(&path);
	fprintf(f,
	    "{\"name\": \"bench-%s\", \"seed\": 1, \"duration\": \"%dd\",\n"
	    " \"clusters\": [{\"clusterName\": \"default\", \"instances\": [{"
	    "\"type\": \"m5.xlarge\", \"count\": %d, \"availabilityZones\":"
	    " [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]}]}],\n",
	    e->label, e->days, e->instances);
	fprintf(f, " \"taskDefinitions\": [\n");
	for (int i = 0; i < e->services; i++) {
		fprintf(f, "  ");
		put_taskdef(f, i, 1);
		fprintf(f, "%s\n", i + 1 < e->services ? "," : "");
	}
	fprintf(f, " ],\n \"services\": [\n");
	for (int i = 0; i < e->services; i++)
		fprintf(f,
		    "  {\"serviceName\": \"svc-%03d\", \"taskDefinition\": \"svc-%03d\","
		    " \"desiredCount\": %d, \"launchType\": \"EC2\"}%s\n",
		    i, i, e->trough, i + 1 < e->services ? "," : "");
	fprintf(f, " ],\n \"workload\": [\n");
	for (int i = 0; i < e->services; i++) {
		if (e->trough == e->peak)
			fprintf(f, "  {\"service\": \"svc-%03d\", \"requestsPerSecond\": %.1f,",
			    i, e->trough * rps_per_task_at_half(i));
		else
			fprintf(f,
			    "  {\"service\": \"svc-%03d\", \"requestsPerSecond\": {\"diurnal\":"
			    " {\"base\": %.1f, \"peak\": %.1f, \"peakHour\": 14}},",
			    i, e->trough * rps_per_task_at_half(i),
			    e->peak * rps_per_task_at_half(i));
		fprintf(f, " \"cpuMsPerRequest\": 5, \"baseLatencyMs\": 20}%s\n",
		    i + 1 < e->services ? "," : "");
	}
	fprintf(f, " ]");
	if (e->max > 0) {
		fprintf(f, ",\n \"scaling\": {\"scalableTargets\": [\n");
		for (int i = 0; i < e->services; i++)
			fprintf(f,
			    "  {\"ServiceNamespace\": \"ecs\", \"ResourceId\":"
			    " \"service/default/svc-%03d\", \"ScalableDimension\":"
			    " \"ecs:service:DesiredCount\", \"MinCapacity\": %d,"
			    " \"MaxCapacity\": %d}%s\n", i, e->min, e->max,
			    i + 1 < e->services ? "," : "");
		fprintf(f, " ], \"scalingPolicies\": [\n");
		for (int i = 0; i < e->services; i++)
			fprintf(f,
			    "  {\"PolicyName\": \"cpu50\", \"ServiceNamespace\": \"ecs\","
			    " \"ResourceId\": \"service/default/svc-%03d\","
			    " \"ScalableDimension\": \"ecs:service:DesiredCount\","
			    " \"PolicyType\": \"TargetTrackingScaling\","
			    " \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": 50.0,"
			    " \"PredefinedMetricSpecification\": {\"PredefinedMetricType\":"
			    " \"ECSServiceAverageCPUUtilization\"}}}%s\n",
			    i, i + 1 < e->services ? "," : "");
		fprintf(f, " ]}");
	}
	if (e->deploys) {
		/* a deployment per service per day, in time order */
		fprintf(f, ",\n \"timeline\": [\n");
		for (int d = 0; d < e->days; d++)
			for (int i = 0; i < e->services; i++) {
				long at = (long)d * 86400 + 3 * 3600 + (long)i * 10;
				fprintf(f, "  {\"at\": \"%lds\", \"call\":"
				    " \"ecs:RegisterTaskDefinition\", \"input\": ", at);
				put_taskdef(f, i, d + 2);
				fprintf(f, "},\n  {\"at\": \"%lds\", \"call\": \"ecs:UpdateService\","
				    " \"input\": {\"service\": \"svc-%03d\", \"taskDefinition\":"
				    " \"svc-%03d\"}}%s\n", at, i, i,
				    d + 1 < e->days || i + 1 < e->services ? "," : "");
			}
		fprintf(f, " ]");
	}
	fprintf(f, "}\n");
	bu_close(f, path);
	return path;
}

/* The report files a writer row measures: name, bytes, wall ms. */
enum { W_TIMELINE, W_EVENTS, W_SUMMARY, W_N };
static const char *const w_name[W_N] = {"timeline.csv", "events.log", "summary.json"};

typedef struct estate_figures {
	double wall_ms;
	double peak_rss_mib;
	uint64_t events;
	double sim_hours;
	int64_t tasks_launched;
	int deployments, completed;
	size_t scaling_activities;
	char sample[32];          /* sampleInterval in force */
	double w_ms[W_N];         /* writing each file */
	double w_bytes[W_N];
	double peak_rss_write_mib; /* after the writers too */
} estate_figures;

static void
gen_timeline(rout *o, const void *ctx)
{
	rcsv_write(o, ctx);
}

static void
gen_events(rout *o, const void *ctx)
{
	revents_write(o, ctx);
}

static void
gen_summary(rout *o, const void *ctx)
{
	const cli_result *res = ctx;
	rjson_write(o, res->rec, res->verdicts);
}

static double
file_bytes(const char *dir, const char *name)
{
	char p[600];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (stat(p, &st) != 0)
		return 0;
	unlink(p);
	return (double)st.st_size;
}

typedef struct estate_ctx {
	const char *path;
	bool write;
} estate_ctx;

static void
estate_child(const void *ctx, void *out)
{
	const estate_ctx *c = ctx;
	estate_figures *fig = out;
	memset(fig, 0, sizeof(*fig));
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	cli_result res;
	double t0 = bu_now_ms();
	bu_run(c->path, &o, &res);
	fig->wall_ms = bu_now_ms() - t0;
	fig->events = res.events;
	const char *secs = rec_info_get(res.rec, "durationSeconds");
	fig->sim_hours = secs ? strtod(secs, NULL) / 3600.0 : 0;
	const char *si = rec_info_get(res.rec, "sampleInterval");
	snprintf(fig->sample, sizeof(fig->sample), "%s", si ? si : "?");
	rec_fact *run = rec_fact_at(res.rec, "run", 0);
	fig->tasks_launched = run ? rec_fact_get_int(run, "tasksLaunched", 0) : 0;
	for (size_t i = 0; i < rec_fact_count(res.rec, "deployment"); i++) {
		rec_fact *d = rec_fact_at(res.rec, "deployment", i);
		const char *cause = rec_fact_get_str(d, "cause");
		const char *state = rec_fact_get_str(d, "rolloutState");
		if (cause == NULL || strcmp(cause, "new task definition") != 0)
			continue;
		fig->deployments++;
		fig->completed += state != NULL && strcmp(state, "COMPLETED") == 0;
	}
	fig->scaling_activities = rec_fact_count(res.rec, "scaling_activity");
	fig->peak_rss_mib = bu_peak_rss_mib(); /* the run's own */
	if (c->write) {
		char dir[] = "/tmp/ecsim-bench-out-XXXXXX";
		if (mkdtemp(dir) == NULL) {
			perror("bench: mkdtemp");
			exit(1);
		}
		static const rwrite_fn gens[W_N] = {gen_timeline, gen_events, gen_summary};
		const void *ctxs[W_N] = {res.rec, res.rec, &res};
		for (int w = 0; w < W_N; w++) {
			sim_error err;
			sim_error_clear(&err);
			double t1 = bu_now_ms();
			if (rwrite_file(dir, w_name[w], gens[w], ctxs[w], &err) != 0) {
				char buf[1400];
				sim_error_format(&err, buf, sizeof(buf));
				fprintf(stderr, "bench: %s\n", buf);
				exit(1);
			}
			fig->w_ms[w] = bu_now_ms() - t1;
			fig->w_bytes[w] = file_bytes(dir, w_name[w]);
		}
		rmdir(dir);
	}
	/* with the writers' buffers (summary.json is built in memory) */
	fig->peak_rss_write_mib = bu_peak_rss_mib();
	cli_result_free(&res);
}

static int
estate_run(const estate_shape *e)
{
	char *path = write_estate_scenario(e);
	estate_ctx c = {path, e->write};
	estate_figures fig[5];
	double wall[5], rss[5], wms[W_N][5];
	int rc = 0, n = e->reps < 5 ? e->reps : 5;
	for (int i = 0; i < n && rc == 0; i++) {
		rc = bu_in_child(estate_child, &c, &fig[i], sizeof(fig[i]));
		wall[i] = fig[i].wall_ms;
		rss[i] = fig[i].peak_rss_mib;
		for (int w = 0; w < W_N; w++)
			wms[w][i] = fig[i].w_ms[w];
	}
	unlink(path);
	free(path);
	if (rc != 0)
		return rc;
	bu_stats ws = bu_stats_of(wall, (size_t)n), rs = bu_stats_of(rss, (size_t)n);
	const estate_figures *f = &fig[0]; /* the same run each time (seed 1) */
	printf("%-10s %5d %4d %3dd %5s %9.0f (%6.0f..%6.0f) %9llu %9.0f %7lld %7.1f (%5.1f..%5.1f)\n",
	    e->label, e->instances, e->services, e->days, f->sample, ws.median,
	    ws.min, ws.max, (unsigned long long)f->events,
	    f->sim_hours > 0 ? (double)f->events / f->sim_hours : 0.0,
	    (long long)f->tasks_launched, rs.median, rs.min, rs.max);
	if (e->deploys)
		printf("           updates %d, COMPLETED %d; scaling activities %zu\n",
		    f->deployments, f->completed, f->scaling_activities);
	if (e->write) {
		double total = 0;
		printf("           writing:");
		for (int w = 0; w < W_N; w++) {
			bu_stats s = bu_stats_of(wms[w], (size_t)n);
			total += s.median;
			printf(" %s %.1f MB %.0f ms;", w_name[w], f->w_bytes[w] / 1e6, s.median);
		}
		printf(" together %.0f ms = %.0f %% of the run (at most 33 %%); "
		    "peak RSS with the writers %.1f MiB\n",
		    total, ws.median > 0 ? 100.0 * total / ws.median : 0.0,
		    f->peak_rss_write_mib);
	}
	return 0;
}

static const estate_shape estates[] = {
	{"diurnal", 600, 100, 30, 60, 20, 75, 30, true, 3, true},
	{"estate", 2000, 500, 12, 24, 8, 40, 30, true, 3, true},
	{"idle-day", 600, 100, 30, 30, 0, 0, 1, false, 3, false},
	{"idle-week", 600, 100, 30, 30, 0, 0, 7, false, 3, false},
};

/* as ecsim's main (sim/heap.h); every forked run inherits it */
static bool huge_pages;

static void
estate_header(void)
{
	printf("\nmonth-long estates (diurnal: budget < 5000 ms, < 250 MiB; "
	       "estate: < 60000 ms, < 1024 MiB, timeline.csv < 200 MB);\n"
	       "wall ms of cli_run_scenario, median of 3 (min..max); "
	       "ev/sim-h: engine events per simulated hour; heap on huge "
	       "pages: %s\n", huge_pages ? "yes" : "no (" HEAP_HUGE_ENV
	       " or not available)");
	printf("%-10s %5s %4s %4s %5s %26s %9s %9s %7s %23s\n", "run", "inst",
	    "svcs", "sim", "samp", "wall ms", "events", "ev/sim-h", "started",
	    "peak RSS MiB");
}

static const estate_shape *
find_estate(const char *label)
{
	for (size_t i = 0; i < sizeof(estates) / sizeof(estates[0]); i++)
		if (strcmp(estates[i].label, label) == 0)
			return &estates[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	huge_pages = heap_use_huge_pages();
	/* optional arguments: an estate's label ("diurnal", "estate",
	 * "idle-day", "idle-week") runs only that row ("diurnal DAYS" with
	 * another duration); "write LABEL [DAYS]" writes that scenario and
	 * prints its path (kept, for `ecsim run` and profilers); a number
	 * runs only the 3-hour shape with that many instances */
	if (argc > 2 && strcmp(argv[1], "write") == 0 && find_estate(argv[2]) != NULL) {
		estate_shape e = *find_estate(argv[2]);
		if (argc > 3)
			e.days = atoi(argv[3]);
		char *path = write_estate_scenario(&e);
		printf("%s\n", path);
		free(path);
		return 0;
	}
	const estate_shape *only_estate = argc > 1 ? find_estate(argv[1]) : NULL;
	if (only_estate != NULL) {
		estate_shape e = *only_estate;
		if (argc > 2)
			e.days = atoi(argv[2]);
		estate_header();
		return estate_run(&e) != 0;
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
	printf("%5s %5s %8s %8s %23s %10s %9s %8s %8s %23s\n", "inst", "tasks",
	    "sim", "stagger", "wall ms", "events", "ev/sim-h", "started", "ev/task",
	    "peak RSS MiB");
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if ((only == 0 || shapes[i].instances == only) &&
		    measure(&shapes[i]) != 0)
			return 1;
	if (only != 0)
		return 0;
	estate_header();
	for (size_t i = 0; i < sizeof(estates) / sizeof(estates[0]); i++)
		if (estate_run(&estates[i]) != 0)
			return 1;
	return 0;
}
