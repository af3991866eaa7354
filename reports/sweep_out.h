/*
 * sweep_out — what `ecsim sweep` writes: one row per point of the
 * Cartesian product of the swept values, with each metric's distribution
 * over the seeds and each expectation's share of seeds, and the cheapest
 * point that meets every expectation.
 *
 *   text        a table of the points (headline metrics: deployment
 *               durations, lowest healthy, error rate, cost; means)
 *   sweep.csv   one row per point: the swept values, meetsAll, cheapest,
 *               then per metric n, mean, sd, min, p5, p50, p95, p99, max,
 *               then per expectation its share of seeds (percent)
 *   sweep.json  the same as a document, with the methods
 *   sweep.html  self-contained (inline CSS and SVG, no script, no
 *               network): per metric, the mean against the swept value
 *               with a p5-p95 band (one line per value of a second swept
 *               parameter), a heat map of the mean over two swept
 *               parameters, the expectations per point, the cheapest
 *               point marked everywhere
 *
 * "Cheapest" is the lowest mean run cost (metric run/costUSD) among the
 * points that meet every expectation (no failed run, each expectation
 * held in its "in" share of seeds); ties go to the first point in sweep
 * order. Same batch, same bytes.
 */
#ifndef REPORTS_SWEEP_OUT_H
#define REPORTS_SWEEP_OUT_H

#include <cjson/cJSON.h>

#include "reports/batch.h"
#include "reports/rout.h"

/* Index of the cheapest point that meets every expectation, or -1. */
long rsweep_cheapest(const rbatch *b);

void rsweep_text(rout *o, const rbatch *b);
void rsweep_csv(rout *o, const rbatch *b);
/* Returns an owned tree. */
cJSON *rsweep_json(const rbatch *b);
void rsweep_html(rout *o, const rbatch *b);

#endif
