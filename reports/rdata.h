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

#endif
