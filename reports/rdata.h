/*
 * rdata — what every report needs from the recorder: the services and
 * clusters a run had, their series by metric name, deployments per
 * service, simple statistics over series, and number formatting that is
 * the same on every machine.
 *
 * Names follow docs/observations.md; anything missing is "not
 * applicable" (a series id of -1, a count of 0), never an error.
 */
#ifndef REPORTS_RDATA_H
#define REPORTS_RDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/recorder.h"
#include "sim/simtime.h"

/* Names of things, in order of first appearance: the "service" facts,
 * then deployment facts, then series "service/S/..." (for clusters: the
 * "cluster" facts, then series "cluster/C/..."). Returns the count and
 * sets *names to an owned array (free with free()): the names are borrowed
 * from the recorder or held in the same block, so one free() releases
 * everything; *names is NULL when the count is 0. */
size_t rdata_services(const recorder *r, const char ***names);
size_t rdata_clusters(const recorder *r, const char ***names);

/* Id of series "<scope>/<name>/<metric>" ("service", "web", "running"),
 * or -1. */
int rdata_series(const recorder *r, const char *scope, const char *name,
    const char *metric);

/* The fact of table whose field key equals value, or NULL (first match). */
rec_fact *rdata_fact_by(const recorder *r, const char *table,
    const char *key, const char *value);

/* Deployments of service, in recording order: returns the count and sets
 * *out to an owned array (free with free()) of borrowed facts; NULL when
 * the count is 0. */
size_t rdata_deployments(const recorder *r, const char *service,
    rec_fact ***out);

/* When service first reached a steady state: the end of its first
 * deployment if that deployment created the service (no "from") and
 * COMPLETED, else 0. Before then a service has no healthy task whatever
 * its minimum, so "lowest healthy" figures start here. */
sim_time rdata_steady_start(const recorder *r, const char *service);

/* Extremes of series id over samples with time >= after, ignoring NaN.
 * Returns false when there is no such sample; *at is the time of the first
 * sample holding the extreme. */
bool rdata_max(const recorder *r, int id, sim_time after, double *v,
    sim_time *at);
bool rdata_min(const recorder *r, int id, sim_time after, double *v,
    sim_time *at);
/* Sum and last value of the non-NaN samples; false when there are none. */
bool rdata_sum(const recorder *r, int id, double *v);
bool rdata_last(const recorder *r, int id, double *v);

/* Length of the run: info "durationSeconds" if present, else the time of
 * the last sample or event, else 0. */
sim_time rdata_duration(const recorder *r);

/* Number as text: integers exactly ("12", "-3"), others with 4
 * significant digits ("0.1235", "1.235e+06"), NaN as "n/a". Returns
 * buf. */
char *rdata_num(char *buf, size_t size, double v);
/* An integer with thousands separators: "1,234,567". Returns buf. */
char *rdata_count(char *buf, size_t size, double v);
/* US dollars: "$12.35"; below one dollar 4 significant digits
 * ("$0.01234"). Returns buf. */
char *rdata_usd(char *buf, size_t size, double v);
/* A measured duration for people, in whole milliseconds (truncated, as
 * simtime_clock shows times): "2m52.785s", not "2m52.785139s". Returns
 * buf. */
char *rdata_dur(char *buf, size_t size, sim_time t);
/* A value in seconds (REC_TIME fields read with rec_fact_get_num) as a
 * duration, like rdata_dur: "6m30s". Returns buf. */
char *rdata_secs(char *buf, size_t size, double seconds);

/* ---- the numbers every report shows (one source for text, JSON, HTML) ---- */

/*
 * Requests and errors of service s (NULL: the whole run). The model's
 * counts are expected values: fractional per sample interval (as
 * timeline.csv shows them), summed at full precision and rounded once,
 * to the nearest integer with halves away from zero (the "service"
 * fact carries them so). A service without that fact sums its series
 * and rounds the same way. The run's total is the sum of its services'
 * rounded totals, so the parts add up. Returns false when nothing was
 * recorded.
 */
bool rdata_traffic(const recorder *r, const char *s, int64_t *requests,
    int64_t *errors);
/* 100 * errors / requests of the rounded counts (NaN without requests). */
double rdata_error_percent(int64_t requests, int64_t errors);
/* A percentage for people: 4 significant digits, "0.1683%", "33.33%",
 * "100%", "0%"; "<0.001%" when tiny but not zero. Returns buf. */
char *rdata_pct(char *buf, size_t size, double percent);

/* What a service did, as every report states it. Strings are borrowed
 * from the recorder. A field that does not apply is -1 (counts), NaN
 * (numbers) or false (has_*). */
typedef struct rdata_svc {
	const char *name;
	const char *cluster;           /* NULL when unknown */
	size_t deployments, failed_deployments, rollbacks;
	bool has_peak_running;
	double peak_running;           /* tasks, from the samples */
	sim_time peak_running_at;
	double peak_desired, peak_pending; /* NaN: no series */
	/* Lowest healthy count from the first steady state on (see
	 * rdata_steady_start): the least of every drop the model saw
	 * (deployment and service facts) and of the samples; -1: none. */
	int64_t lowest_healthy;
	sim_time lowest_healthy_since;
	/* The same outside deployments: the service fact, else the samples
	 * taken while no deployment was in progress; -1: none. */
	int64_t lowest_healthy_outside;
	int64_t placement_failures;    /* -1: not recorded */
	size_t scaling_activities;
	bool has_traffic;
	int64_t requests, errors;      /* rdata_traffic */
	double error_percent;
	double p50, p95, p99;          /* ms over the run (service fact) */
	double peak_p99;               /* ms, highest sample */
	double peak_cpu, peak_memory;  /* percent, highest sample */
	double cost_usd;
} rdata_svc;

/*
 * An index of a recorder's services: their deployments and scaling
 * activities, found in one pass over each table, so a report of a
 * hundred services and a hundred thousand scaling activities does not
 * scan every table once per service. Build one per report.
 */
typedef struct rdata_index rdata_index;

/* Returns an owned index of r (borrowed: r must outlive it); free with
 * rdata_index_free (NULL is a no-op). O(services x (deployments +
 * scaling activities)) string compares at most. */
rdata_index *rdata_index_new(const recorder *r);
void rdata_index_free(rdata_index *x);
/* Services, as rdata_services orders them; the name is borrowed. */
size_t rdata_index_count(const rdata_index *x);
const char *rdata_index_name(const rdata_index *x, size_t svc);
/* Service svc's deployment facts / scaling activities in recording order
 * (borrowed array, valid while x lives). */
size_t rdata_index_deployments(const rdata_index *x, size_t svc,
    rec_fact *const **out);
size_t rdata_index_scaling(const rdata_index *x, size_t svc,
    const rec_fact *const **out);
/* The numbers of service svc. */
void rdata_index_stats(const rdata_index *x, size_t svc, rdata_svc *out);
/* The same for one service by name (builds an index: for one-off use). */
void rdata_service_stats(const recorder *r, const char *name,
    rdata_svc *out);

typedef struct rdata_cluster {
	const char *name;
	double peak_instances;     /* max of the fact and the samples; NaN */
	bool peak_from_samples;    /* then peak_at is the first such sample */
	sim_time peak_at;
	double peak_cpu_reservation, peak_memory_reservation; /* NaN */
	double instance_hours;     /* NaN */
	double cost_usd;           /* the fact, else the last sample; NaN */
} rdata_cluster;

void rdata_cluster_stats(const recorder *r, const char *name,
    rdata_cluster *out);

/* Is resource ("service/C/S") the scalable target of service s (cluster
 * c, NULL: any)? */
bool rdata_resource_of(const char *resource, const char *c, const char *s);

/* ---- deployments in words (the text summary and the HTML say the same) ---- */

/* "web:1 -> web:2 (new task definition)"; "web:1 (service created)". */
char *rdata_dep_title(char *buf, size_t size, const rec_fact *d);
/* "00:10:00 -> 00:17:50.965, 7m50.965s, COMPLETED" (with "(end of run)"
 * while IN_PROGRESS). */
char *rdata_dep_span(char *buf, size_t size, const rec_fact *d);
/* "13 started, 5 failed, 8 stopped"; zero counts are left out except
 * "started" ("none started, 8 stopped" for a rollback that kept the
 * running tasks); placement failures when any. */
char *rdata_dep_tasks(char *buf, size_t size, const rec_fact *d);
/* "0 (service creation)", "10 (minimum 10)", "1 (minimum 2) - BELOW THE
 * MINIMUM"; "" when not recorded. */
char *rdata_dep_lowest(char *buf, size_t size, const rec_fact *d);
/* Where the time went, means per task: "start 16.24s, health 2m30s,
 * draining 5m, stopping 2s". Start and health only when the deployment
 * started tasks, draining and stopping only when it stopped some; ""
 * when nothing applies. */
char *rdata_dep_phases(char *buf, size_t size, const rec_fact *d);
/* A scaling activity's cause in a few words: "policy cpu50, alarm
 * AlarmHigh"; the cause itself when it names no alarm or policy. */
char *rdata_scaling_short(char *buf, size_t size, const rec_fact *f);

/* ---- per-task lifecycle records ("task" facts) ---- */

/* One task's lifecycle, times in µs, -1 when the task never got there. */
typedef struct rdata_task {
	const char *id, *task_definition, *last_status;
	const char *stop_code, *stopped_reason; /* "" when not stopped */
	sim_time created, pull, running, healthy, draining, stopping, stopped;
	bool failed;   /* counted as failed (start failure, crash, health) */
	bool launched; /* launched by the deployment asked for */
	bool stopped_here; /* stopped by it (a task may be both, or either) */
} rdata_task;

/* The tasks deployment d (a "deployment" fact) launched or stopped, by
 * creation time (ties: recording order). A task belongs to the
 * deployment fact with its service, id and start ("deploymentStart",
 * "stoppedByStart"). Returns the count and sets *out to an owned array
 * (free with free()); NULL when 0. */
size_t rdata_dep_task_list(const recorder *r, const rec_fact *d,
    rdata_task **out);
/* Task records the model did not keep (its per-run limit): returns the
 * number dropped (0 when none) and sets *max to the limit. */
int64_t rdata_task_records_dropped(const recorder *r, int64_t *max);

/* ---- assumptions ---- */

/* Assumptions per tag, in a fixed order (INF, OBS, UNCONFIRMED,
 * AWS-STAFF, MODEL, DOC, NOTE, SET, then others by first use). Returns the
 * number of tags (at most max) filled into tags/counts (tags borrowed). */
size_t rdata_assumption_tags(const recorder *r, const char **tags,
    size_t *counts, size_t max);

#endif
