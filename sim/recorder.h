/*
 * recorder — everything a run observed, in the order it happened: time
 * series sampled at the scenario's sampleInterval, an event log (service
 * events with AWS's texts, scaling activities, target health changes), and
 * "facts": named records such as one per deployment, with typed fields.
 * It also keeps the run's information (seed, generator) and the
 * assumptions in force.
 *
 * The model writes; reports read. Neither reaches the other's internals:
 * the names of series, fact tables and fields are the contract, listed in
 * docs/observations.md.
 *
 * Ownership: the recorder copies every string it is given.
 */
#ifndef SIM_RECORDER_H
#define SIM_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/simtime.h"

typedef struct recorder recorder;
typedef struct rec_fact rec_fact;

typedef struct rec_event {
	sim_time t;
	const char *source; /* e.g. "service/web", "asg/main", "tg/web-tg" */
	const char *kind;   /* e.g. "ecs", "scaling", "target-health" */
	const char *text;
} rec_event;

typedef enum rec_type {
	REC_STR,
	REC_NUM,  /* double */
	REC_INT,  /* int64 */
	REC_TIME, /* sim_time, printed as seconds */
	REC_BOOL,
} rec_type;

/* One of s, num, i, by type (a union: a month of facts holds a million
 * of them). */
typedef struct rec_value {
	rec_type type;
	union {
		const char *s;  /* REC_STR */
		double num;     /* REC_NUM */
		int64_t i;      /* REC_INT, REC_TIME (µs), REC_BOOL (0/1) */
	};
} rec_value;

/* Returns an owned recorder; free with rec_free (NULL is a no-op). */
recorder *rec_new(void);
void rec_free(recorder *r);

/* Run information, in insertion order (a key set twice is replaced). */
void rec_info(recorder *r, const char *key, const char *value);
size_t rec_info_count(const recorder *r);
void rec_info_at(const recorder *r, size_t i, const char **key,
    const char **value);
const char *rec_info_get(const recorder *r, const char *key);

/* An assumption in force: a parameter AWS does not document (tag "INF",
 * "OBS", "UNCONFIRMED") or a default chosen by ecsim, with its value and a
 * note saying where it comes from. A name assumed twice keeps the last. */
void rec_assume(recorder *r, const char *name, const char *value,
    const char *tag, const char *note);
size_t rec_assumption_count(const recorder *r);
void rec_assumption_at(const recorder *r, size_t i, const char **name,
    const char **value, const char **tag, const char **note);

/* Time series. Names are paths: "service/web/running". Registering an
 * existing name returns its id. Rows are added by rec_row; a series that
 * gets no value in a row reads as NaN there. */
int rec_series(recorder *r, const char *name, const char *unit);
int rec_series_find(const recorder *r, const char *name);
size_t rec_series_count(const recorder *r);
const char *rec_series_name(const recorder *r, int id);
const char *rec_series_unit(const recorder *r, int id);
/* Start a new row at time t (t must not decrease). */
void rec_row(recorder *r, sim_time t);
/* Set series id in the current row. */
void rec_put(recorder *r, int id, double v);
size_t rec_row_count(const recorder *r);
sim_time rec_row_time(const recorder *r, size_t row);
double rec_get(const recorder *r, int id, size_t row);

/* Event log (times must not decrease). */
void rec_event_add(recorder *r, sim_time t, const char *source,
    const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
size_t rec_event_count(const recorder *r);
const rec_event *rec_event_at(const recorder *r, size_t i);

/* Facts: records of a named table ("deployment", "scaling_activity",
 * "placement_failure", ...). Fields keep insertion order; setting a field
 * again replaces its value. The fact pointer stays valid for the
 * recorder's lifetime, so the model can fill fields in as things happen. */
rec_fact *rec_fact_new(recorder *r, const char *table);
void rec_fact_str(rec_fact *f, const char *key, const char *value);
void rec_fact_num(rec_fact *f, const char *key, double value);
void rec_fact_int(rec_fact *f, const char *key, int64_t value);
void rec_fact_time(rec_fact *f, const char *key, sim_time value);
void rec_fact_bool(rec_fact *f, const char *key, bool value);
void rec_fact_add_int(rec_fact *f, const char *key, int64_t delta);
size_t rec_fact_count(const recorder *r, const char *table);
rec_fact *rec_fact_at(const recorder *r, const char *table, size_t i);
/* Tables in order of first use (for generic JSON output). */
size_t rec_table_count(const recorder *r);
const char *rec_table_name(const recorder *r, size_t i);
size_t rec_fact_field_count(const rec_fact *f);
const char *rec_fact_field_at(const rec_fact *f, size_t i,
    const rec_value **value);
const rec_value *rec_fact_get(const rec_fact *f, const char *key);
const char *rec_fact_get_str(const rec_fact *f, const char *key);
/* Numeric value of a NUM/INT/TIME(seconds)/BOOL field, or def if absent. */
double rec_fact_get_num(const rec_fact *f, const char *key, double def);
int64_t rec_fact_get_int(const rec_fact *f, const char *key, int64_t def);

#endif
