/*
 * html_util — what the parts of report.html share: HTML escaping, table
 * cells, the colour palette, the anchors that link charts, tables and
 * zoom panels, and the time axis every SVG chart draws.
 *
 * Invariant: anchors are made of indexes only ("svc-2-dep-3"), never of
 * names, so any service name gives a valid, unique id.
 */
#ifndef REPORTS_HTML_UTIL_H
#define REPORTS_HTML_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "reports/rout.h"
#include "sim/recorder.h"
#include "sim/simtime.h"

/* Text escaped for HTML content and double-quoted attributes. */
void hutil_esc(rout *o, const char *s);
/* <td class="cls">s</td> (no class when cls is NULL). */
void hutil_td(rout *o, const char *cls, const char *s);
/* A REC_TIME field of f in *out; false when absent. */
bool hutil_fact_time(const rec_fact *f, const char *key, sim_time *out);
/* The i-th colour of the series palette (cycles). */
const char *hutil_color(size_t i);

/* Anchors: service i (0-based) is "svc-<i+1>", its deployment k (0-based)
 * "svc-<i+1>-dep-<k+1>". Return buf. */
char *hutil_svc_anchor(char *buf, size_t size, size_t svc);
char *hutil_dep_anchor(char *buf, size_t size, size_t svc, size_t dep);
/* Index of service name among rdata_services (0-based), or -1. */
long hutil_svc_index(const recorder *r, const char *name);

/* Vertical grid lines and time labels for [t0, t1] drawn over x0..x0+w,
 * the lines from ytop to ybot, the labels at ylab: about 10 steps of 1,
 * 2 or 5 units (100 ms .. 1 year), labelled with the simulated clock
 * (milliseconds shown when the step is below a second). */
void hutil_x_axis(rout *o, sim_time t0, sim_time t1, double x0, double w,
    double ytop, double ybot, double ylab);

#endif
