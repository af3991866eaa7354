/*
 * html_util — shared pieces of report.html (see html_util.h).
 */
#include "reports/html_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rdata.h"

static const char *const palette[] = {"#2563eb", "#16a34a", "#d97706",
    "#7c3aed", "#0d9488", "#db2777", "#92400e", "#4f46e5", "#65a30d",
    "#0891b2"};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

void
hutil_esc(rout *o, const char *s)
{
	rout_xml(o, s);
}

void
hutil_td(rout *o, const char *cls, const char *s)
{
	if (cls != NULL)
		rout_printf(o, "<td class=\"%s\">", cls);
	else
		rout_puts(o, "<td>");
	rout_xml(o, s ? s : "");
	rout_puts(o, "</td>");
}

bool
hutil_fact_time(const rec_fact *f, const char *key, sim_time *out)
{
	const rec_value *v = rec_fact_get(f, key);
	if (v == NULL || v->type != REC_TIME)
		return false;
	*out = v->i;
	return true;
}

const char *
hutil_color(size_t i)
{
	return palette[i % NPALETTE];
}

char *
hutil_svc_anchor(char *buf, size_t size, size_t svc)
{
	snprintf(buf, size, "svc-%zu", svc + 1);
	return buf;
}

char *
hutil_dep_anchor(char *buf, size_t size, size_t svc, size_t dep)
{
	snprintf(buf, size, "svc-%zu-dep-%zu", svc + 1, dep + 1);
	return buf;
}

long
hutil_svc_index(const recorder *r, const char *name)
{
	const char **names;
	size_t n = rdata_services(r, &names);
	long found = -1;
	for (size_t i = 0; i < n && found < 0; i++)
		if (strcmp(names[i], name) == 0)
			found = (long)i;
	free(names);
	return found;
}

static void
time_label(char *buf, size_t size, sim_time t, sim_time step)
{
	if (step < SIM_MIN) {
		simtime_clock(t, buf, size);
		return;
	}
	long long d = (long long)(t / SIM_DAY);
	long long h = (long long)(t / SIM_HOUR % 24);
	long long m = (long long)(t / SIM_MIN % 60);
	if (d > 0)
		snprintf(buf, size, "%lldd+%02lld:%02lld", d, h, m);
	else
		snprintf(buf, size, "%02lld:%02lld", h, m);
}

void
hutil_x_axis(rout *o, sim_time t0, sim_time t1, double x0, double w,
    double ytop, double ybot, double ylab)
{
	static const sim_time steps[] = {
		100 * SIM_MS, 200 * SIM_MS, 500 * SIM_MS, SIM_SEC, 2 * SIM_SEC,
		5 * SIM_SEC, 10 * SIM_SEC, 30 * SIM_SEC, SIM_MIN, 2 * SIM_MIN,
		5 * SIM_MIN, 10 * SIM_MIN, 15 * SIM_MIN, 30 * SIM_MIN, SIM_HOUR,
		2 * SIM_HOUR, 3 * SIM_HOUR, 6 * SIM_HOUR, 12 * SIM_HOUR, SIM_DAY,
		2 * SIM_DAY, 7 * SIM_DAY, 14 * SIM_DAY, 28 * SIM_DAY, 56 * SIM_DAY,
		112 * SIM_DAY, 364 * SIM_DAY,
	};
	size_t nsteps = sizeof(steps) / sizeof(steps[0]);
	sim_time span = t1 > t0 ? t1 - t0 : SIM_SEC;
	sim_time step = steps[nsteps - 1];
	for (size_t i = 0; i < nsteps; i++)
		if (span / steps[i] <= 10) {
			step = steps[i];
			break;
		}
	char buf[48];
	/* the first multiple of step at or after t0 */
	sim_time first = t0 % step == 0 ? t0 : (t0 / step + 1) * step;
	for (sim_time t = first; t <= t1; t += step) {
		double x = x0 + w * ((double)(t - t0) / (double)span);
		rout_printf(o, "<line class=\"gx\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\"/>", x, ytop, x, ybot);
		time_label(buf, sizeof(buf), t, step);
		rout_printf(o, "<text class=\"tx\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
		    x, ylab, buf);
	}
}
