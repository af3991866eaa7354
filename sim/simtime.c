/*
 * simtime — duration parsing and printing (see simtime.h).
 */
#include "sim/simtime.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Units in the only order they may appear. */
static const struct {
	const char *name;
	sim_time us;
} units[] = {
	{"d", SIM_DAY}, {"h", SIM_HOUR}, {"m", SIM_MIN}, {"s", SIM_SEC},
	{"ms", SIM_MS},
};
#define NUNITS (sizeof(units) / sizeof(units[0]))

int
simtime_parse(const char *s, sim_time *out, char *why, size_t whysize)
{
	const char *p = s;
	sim_time total = 0;
	int last_unit = -1;
	if (*p == '\0') {
		snprintf(why, whysize, "empty duration");
		return -1;
	}
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p)) {
			if (*p == '-')
				snprintf(why, whysize, "negative duration \"%s\"", s);
			else if (*p == ' ')
				snprintf(why, whysize, "space in duration \"%s\"", s);
			else
				snprintf(why, whysize,
				    "expected a number at \"%s\" in \"%s\"", p, s);
			return -1;
		}
		sim_time n = 0;
		while (isdigit((unsigned char)*p)) {
			if (n > SIM_DURATION_MAX / 10) {
				snprintf(why, whysize, "duration \"%s\" is too long", s);
				return -1;
			}
			n = n * 10 + (*p - '0');
			p++;
		}
		if (*p == '.') {
			snprintf(why, whysize,
			    "fractional component in \"%s\" (use a smaller unit, e.g. 90s)", s);
			return -1;
		}
		size_t ulen = 0;
		while (isalpha((unsigned char)p[ulen]))
			ulen++;
		if (ulen == 0) {
			snprintf(why, whysize,
			    "missing unit after %lld in \"%s\" (use d, h, m, s or ms)",
			    (long long)n, s);
			return -1;
		}
		int u = -1;
		for (size_t i = 0; i < NUNITS; i++)
			if (strlen(units[i].name) == ulen &&
			    strncmp(units[i].name, p, ulen) == 0)
				u = (int)i;
		if (u < 0) {
			snprintf(why, whysize, "unknown unit \"%.*s\" in \"%s\" (use d, h, m, s or ms)",
			    (int)ulen, p, s);
			return -1;
		}
		if (u <= last_unit) {
			snprintf(why, whysize,
			    "units out of order or repeated in \"%s\" (write d, h, m, s, ms in that order)",
			    s);
			return -1;
		}
		last_unit = u;
		if (n > SIM_DURATION_MAX / units[u].us ||
		    total > SIM_DURATION_MAX - n * units[u].us) {
			snprintf(why, whysize, "duration \"%s\" is too long (at most 3660d)", s);
			return -1;
		}
		total += n * units[u].us;
		p += ulen;
	}
	*out = total;
	return 0;
}

int
simtime_from_seconds(double seconds, sim_time *out)
{
	if (!isfinite(seconds) || seconds < 0 ||
	    seconds > (double)(SIM_DURATION_MAX / SIM_SEC))
		return -1;
	*out = (sim_time)llround(seconds * 1e6);
	return 0;
}

char *
simtime_format(sim_time t, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	if (t < 0) {
		n += (size_t)snprintf(buf, size, "-");
		t = -t;
	}
	if (t == 0) {
		snprintf(buf + n, size - n, "0s");
		return buf;
	}
	sim_time d = t / SIM_DAY, h = t / SIM_HOUR % 24, m = t / SIM_MIN % 60;
	sim_time us = t % SIM_MIN;
	if (d && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%lldd", (long long)d);
	if (h && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%lldh", (long long)h);
	if (m && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%lldm", (long long)m);
	if (us && n < size) {
		if (us % SIM_SEC == 0)
			snprintf(buf + n, size - n, "%llds", (long long)(us / SIM_SEC));
		else if (us < SIM_SEC && us % SIM_MS == 0)
			snprintf(buf + n, size - n, "%lldms", (long long)(us / SIM_MS));
		else {
			/* seconds with up to 6 decimals, trailing zeros trimmed */
			char frac[16];
			snprintf(frac, sizeof(frac), "%06lld", (long long)(us % SIM_SEC));
			size_t fl = strlen(frac);
			while (fl > 1 && frac[fl - 1] == '0')
				frac[--fl] = '\0';
			snprintf(buf + n, size - n, "%lld.%ss",
			    (long long)(us / SIM_SEC), frac);
		}
	}
	return buf;
}

char *
simtime_clock(sim_time t, char *buf, size_t size)
{
	const char *sign = "";
	if (t < 0) {
		sign = "-";
		t = -t;
	}
	long long d = (long long)(t / SIM_DAY);
	long long h = (long long)(t / SIM_HOUR % 24);
	long long m = (long long)(t / SIM_MIN % 60);
	long long s = (long long)(t / SIM_SEC % 60);
	long long ms = (long long)(t / SIM_MS % 1000);
	int n;
	if (d > 0)
		n = snprintf(buf, size, "%s%lldd+%02lld:%02lld:%02lld", sign, d, h, m, s);
	else
		n = snprintf(buf, size, "%s%02lld:%02lld:%02lld", sign, h, m, s);
	if (ms && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ".%03lld", ms);
	return buf;
}
