/*
 * html_chart — the time-series charts of report.html: one SVG per chart,
 * all on one geometry (HCHART_W x HCHART_H viewBox, the same margins) and
 * one time range [0, run duration], so charts stacked on a page line up
 * in time.
 *
 * A chart is a list of series drawn as lines, dashed lines or stacked
 * areas, on a left (linear or logarithmic) axis and an optional right
 * one. A series may be a ratio of two recorder series (100 x num / den
 * per interval: errors as a percentage of requests). For a service the
 * chart shades its deployments (each labelled "#N" and linked to its
 * zoom panel) and marks the scaling activities it is given (labelled
 * "from→to" where there is room; hover for the time and cause).
 *
 * Size: a series longer than 2 x buckets samples is reduced per bucket
 * (lines: min and max in time order; areas: the mean, the same buckets
 * for every area so they stack), so a month-long run draws as many
 * points as an hour-long one; a stacked band is drawn only where it has
 * thickness; details (titles, labels, links) are on the lead chart only.
 * Same recorder, same bytes.
 *
 * The chart description is an open struct on purpose: the caller lists
 * what to draw, and nothing about it needs hiding.
 */
#ifndef REPORTS_HTML_CHART_H
#define REPORTS_HTML_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "reports/rout.h"
#include "sim/recorder.h"

#define HCHART_W 1200
#define HCHART_H 240
#define HCHART_BUCKETS 400
#define HCHART_MAX_SERIES 24
#define HCHART_MARKS_MAX 100

enum { HCHART_LINE, HCHART_DASH, HCHART_AREA };

typedef struct hchart_series {
	int id;              /* recorder series */
	int den;             /* ratio: 100 * id / den per interval; -1: none */
	char label[96];
	const char *color;
	int style;           /* HCHART_LINE, HCHART_DASH, HCHART_AREA */
	int axis;            /* 0 left, 1 right */
	bool guide;          /* a threshold: not enough to draw the chart */
} hchart_series;

typedef struct hchart {
	const char *title;
	const char *unit, *unit2; /* left and right axis units */
	bool integer;             /* the left axis counts things */
	bool log_y;               /* logarithmic left axis (lines only) */
	double floor_max;         /* the left axis reaches at least this */
	hchart_series s[HCHART_MAX_SERIES];
	int n;
	rec_fact *const *deps;    /* deployments to shade (borrowed) */
	size_t ndeps;
	size_t svc_index;         /* for the links to their zoom panels */
	const rec_fact *const *marks; /* scaling activities to mark (borrowed) */
	size_t nmarks;
	/* The section's first chart: its deployments are labelled "#N",
	 * titled and linked, its scaling marks labelled "from→to" with the
	 * cause on hover (beyond HCHART_MARKS_MAX marks: one tick each, the
	 * table of activities has the rest). The other charts shade the
	 * deployments plainly and draw faint marks (none beyond the limit). */
	bool lead;
	size_t buckets;           /* reduce long series to this; 0: HCHART_BUCKETS */
	/* Mark the run's faults (the recorder's "fault" facts,
	 * model/ecs/faults.h): each a band from its start to its end (an
	 * instant one a line), titled on the lead chart (kind, target, span,
	 * what it did to the services). */
	bool faults;
} hchart;

/* An empty chart. */
void hchart_init(hchart *c, const char *title, const char *unit);
/* Add series id (ignored when -1, without samples, or when c is full). */
void hchart_add(hchart *c, const recorder *r, int id, const char *label,
    const char *color, int style, int axis, bool guide);
/* Add the line 100 * num / den per interval (intervals where den is 0 or
 * missing are gaps). Ignored unless both series have samples. */
void hchart_add_ratio(hchart *c, const recorder *r, int num, int den,
    const char *label, const char *color);
/* Does c hold a series that is not only a guide? */
bool hchart_has_data(const hchart *c);
/* Draw c as <figure> with its legend; nothing when it has no data. T is
 * the run's duration (the right end of the time axis). */
void hchart_draw(rout *o, const recorder *r, const hchart *c, sim_time T);

#endif
