/*
 * html_style — the stylesheet of report.html: one inline <style> block,
 * no fonts, images or other files. Charts colour their series through a
 * --c custom property, so the stylesheet holds no per-series rule. Prints
 * cleanly (@media print: no navigation or filters, tables unscrolled).
 */
#ifndef REPORTS_HTML_STYLE_H
#define REPORTS_HTML_STYLE_H

#include "reports/rout.h"

/* Print the stylesheet's rules (the text inside <style>) to o. */
void hstyle_write(rout *o);

#endif
