/*
 * timeline_csv — the sampled series as CSV (see timeline_csv.h).
 */
#include "reports/timeline_csv.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

/* Whole numbers are most of a timeline (task and instance counts): they
 * are printed without snprintf, which matters for month-long runs. */
static char *
put_int(char *buf, size_t size, int64_t x)
{
	char tmp[24];
	size_t n = 0;
	uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u > 0);
	size_t o = 0;
	if (x < 0 && o + 1 < size)
		buf[o++] = '-';
	while (n > 0 && o + 1 < size)
		buf[o++] = tmp[--n];
	buf[o] = '\0';
	return buf;
}

char *
rcsv_value(char *buf, size_t size, double v)
{
	if (isnan(v))
		buf[0] = '\0';
	else if (isinf(v))
		snprintf(buf, size, v > 0 ? "inf" : "-inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		put_int(buf, size, (int64_t)v);
	else
		snprintf(buf, size, "%.9g", v);
	return buf;
}

/* Seconds with the microseconds that are there: "60", "90.5". */
static void
put_time(rout *o, sim_time t)
{
	const char *sign = t < 0 ? "-" : "";
	uint64_t u = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
	uint64_t s = u / 1000000, us = u % 1000000;
	if (us == 0) {
		rout_printf(o, "%s%" PRIu64, sign, s);
		return;
	}
	char frac[8];
	snprintf(frac, sizeof(frac), "%06" PRIu64, us);
	size_t n = strlen(frac);
	while (n > 1 && frac[n - 1] == '0')
		frac[--n] = '\0';
	rout_printf(o, "%s%" PRIu64 ".%s", sign, s, frac);
}

static void
put_field(rout *o, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		rout_puts(o, s);
		return;
	}
	rout_putc(o, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			rout_putc(o, '"');
		rout_putc(o, *s);
	}
	rout_putc(o, '"');
}

void
rcsv_write(rout *o, const recorder *r)
{
	size_t ns = rec_series_count(r);
	rout_puts(o, "time_s");
	for (size_t i = 0; i < ns; i++) {
		rout_putc(o, ',');
		put_field(o, rec_series_name(r, (int)i));
	}
	rout_putc(o, '\n');
	/* a row is assembled in one buffer and written at once (a month of
	 * a large estate is tens of millions of cells, most of them empty:
	 * a revision's column before it exists) */
	char *line = NULL;
	size_t cap = 0;
	for (size_t row = 0; row < rec_row_count(r); row++) {
		put_time(o, rec_row_time(r, row));
		size_t n = 0;
		for (size_t i = 0; i < ns; i++) {
			XGROW(line, cap, n + 64);
			line[n++] = ',';
			double v = rec_get(r, (int)i, row);
			if (isnan(v))
				continue;
			rcsv_value(line + n, 64, v);
			n += strlen(line + n);
		}
		XGROW(line, cap, n + 1);
		line[n++] = '\n';
		rout_write(o, line, n);
	}
	free(line);
}
