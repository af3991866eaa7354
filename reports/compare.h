/*
 * compare — A against B, metric by metric: what `ecsim compare` prints,
 * and the CI gate behind its exit code.
 *
 * A side is one of the results ecsim writes: a run's summary.json (each
 * metric a single value), a seeds.json (each metric a distribution over
 * seeds) or a sweep.json (a distribution per point). Metrics are the
 * keys of reports/metrics.h, matched by key.
 *
 * A report is a list of sections, each a list of rows; a section either
 * gates (a row worse beyond the tolerance makes the comparison fail) or
 * only informs. The built-in sections are "key metrics" (deployment
 * durations, lowest healthy, failed tasks, placement failures, errors,
 * error rate, p99 latency, cost: gated), "expectations" (an expectation
 * that held in A and fails in B: gated) and "other metrics" (everything
 * else that changed: not gated). Other kinds of sections (a calibration
 * of PREDICTED against OBSERVED, say) are added with rcmp_section_add and
 * rcmp_row_add and are printed the same way.
 *
 * Worse: for a metric where lower is better, B's mean above A's; where
 * higher is better, below. Beyond the tolerance: |B - A| > tol * |A|
 * (any worsening when A is 0). With distributions on both sides a row
 * also carries Welch's 95% interval for the difference of the means.
 */
#ifndef REPORTS_COMPARE_H
#define REPORTS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "reports/rout.h"
#include "reports/stats.h"
#include "sim/error.h"

enum {
	RCMP_SAME,      /* equal means */
	RCMP_BETTER,
	RCMP_WORSE,     /* worse, within the tolerance */
	RCMP_BEYOND,    /* worse beyond the tolerance */
	RCMP_CHANGED,   /* changed, no better direction */
	RCMP_ONLY_A,    /* absent from B */
	RCMP_ONLY_B,    /* absent from A */
};

typedef struct rcmp_row {
	char *key, *label, *unit; /* owned */
	int better;               /* RMET_* */
	rstat a, b;               /* n == 0: absent on that side */
	double delta, rel;        /* b.mean - a.mean, and over |a.mean| */
	double diff_lo, diff_hi;  /* Welch 95% CI of the difference; NaN */
	char *a_text, *b_text;    /* owned; for rows that are not numbers
	                           * (an expectation's verdict), else NULL */
	int status;               /* RCMP_* */
} rcmp_row;

typedef struct rcmp_section {
	char *name;   /* "key-metrics", "expectations", "other-metrics", ... */
	char *title;  /* for people */
	bool gate;    /* a row RCMP_BEYOND fails the comparison */
	bool show_same; /* print rows whose status is RCMP_SAME */
	rcmp_row *rows;
	size_t n, cap;
} rcmp_section;

/* One side: a loaded result document (borrowed) and how to name it. */
typedef struct rcmp_side {
	const char *name;   /* the path given */
	const cJSON *doc;   /* summary.json, seeds.json or sweep.json */
} rcmp_side;

typedef struct rcmp_report {
	char *a_name, *b_name, *a_what, *b_what; /* owned */
	double tolerance;   /* fraction: 0.1 for 10% */
	rcmp_section *s;
	size_t n, cap;
} rcmp_report;

/* Compare a with b (tolerance a fraction >= 0). Returns an owned report
 * (free with rcmp_free), or NULL with SIM_EINPUT in *err: a document of
 * no known kind, or a sweep against something else, or sweeps over other
 * points. */
rcmp_report *rcmp_compare(const rcmp_side *a, const rcmp_side *b,
    double tolerance, sim_error *err);
void rcmp_free(rcmp_report *r);

/* Append a section (strings copied); returns it (valid until the next
 * section is added). */
rcmp_section *rcmp_section_add(rcmp_report *r, const char *name,
    const char *title, bool gate);
/* Append a numeric row: a and b (n == 0 when absent) are compared as
 * above with the report's tolerance. Returns the row. */
rcmp_row *rcmp_row_add(const rcmp_report *r, rcmp_section *s,
    const char *key, const char *label, const char *unit, int better,
    const rstat *a, const rstat *b);

/* Rows of gating sections worse beyond the tolerance. */
size_t rcmp_beyond(const rcmp_report *r);
/* 1 when rcmp_beyond > 0, else 0: the exit code of the gate. */
int rcmp_exit_code(const rcmp_report *r);

void rcmp_text(rout *o, const rcmp_report *r, bool all);
cJSON *rcmp_json(const rcmp_report *r);

#endif
