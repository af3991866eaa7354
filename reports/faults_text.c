/*
 * faults_text — the faults section of the text summary (see
 * faults_text.h).
 */
#include "reports/faults_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/rdata.h"
#include "reports/summary_text.h"

/* At most this many faults are listed (a month of random failures). */
#define FAULTS_SHOWN 20

static bool
time_of(const rec_fact *f, const char *key, sim_time *out)
{
	const rec_value *v = rec_fact_get(f, key);
	if (v == NULL || v->type != REC_TIME)
		return false;
	*out = v->i;
	return true;
}

/* "web: back in 28.842s (lowest healthy 5 of 9), 3,223 of 810,000
 * requests failed" */
static void
impact_line(rout *o, const rec_fact *x)
{
	char b1[64], b2[64], b3[64], buf[600];
	const char *s = rec_fact_get_str(x, "service");
	int64_t lo = rec_fact_get_int(x, "lowestHealthy", -1);
	int64_t want = rec_fact_get_int(x, "desiredCount", -1);
	sim_time rt;
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s: ", s ? s : "?");
	if (rec_fact_get_num(x, "recovered", 0) != 0 && time_of(x, "recoveryTime", &rt))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "back in %s",
		    rdata_dur(b1, sizeof(b1), rt));
	else
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "not back by the end");
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, " (lowest healthy %lld of %lld)",
	    (long long)lo, (long long)want);
	if (rec_fact_get(x, "requests") != NULL && n < sizeof(buf)) {
		double req = rec_fact_get_num(x, "requests", 0);
		double err = rec_fact_get_num(x, "errors", 0);
		snprintf(buf + n, sizeof(buf) - n, ", %s of %s requests failed",
		    rdata_count(b2, sizeof(b2), err), rdata_count(b3, sizeof(b3), req));
	}
	rout_puts(o, "      ");
	rtext_wrap(o, 6, 8, buf);
}

void
rfaults_text(rout *o, const recorder *r)
{
	char b1[64], b2[64], buf[600];
	size_t n = rec_fact_count(r, "fault");
	rec_fact *run = rec_fact_at(r, "run", 0);
	bool split = run != NULL && rec_fact_get(run, "costSpotUSD") != NULL;
	if (n == 0 && !split)
		return;
	if (n > 0) {
		rout_printf(o, "\nFaults (%zu)\n", n);
		for (size_t i = 0; i < n && i < FAULTS_SHOWN; i++) {
			const rec_fact *f = rec_fact_at(r, "fault", i);
			int64_t id = rec_fact_get_int(f, "id", 0);
			const char *kind = rec_fact_get_str(f, "kind");
			const char *target = rec_fact_get_str(f, "target");
			sim_time t = 0, d = 0;
			time_of(f, "start", &t);
			char dur[80] = "";
			if (time_of(f, "duration", &d) && d > 0)
				snprintf(dur, sizeof(dur), " for %s", rdata_dur(b2, sizeof(b2), d));
			snprintf(buf, sizeof(buf), "%lld %s %s %s%s%s", (long long)id,
			    simtime_clock(t, b1, sizeof(b1)), kind ? kind : "?", target ? target : "",
			    rec_fact_get_num(f, "random", 0) != 0 ? " (random)" : "", dur);
			rout_puts(o, "  ");
			rtext_wrap(o, 2, 6, buf);
			int64_t stopped = rec_fact_get_int(f, "tasksStopped", 0);
			if (stopped > 0) {
				snprintf(buf, sizeof(buf), "tasks it stopped: %lld", (long long)stopped);
				rout_puts(o, "      ");
				rtext_wrap(o, 6, 8, buf);
			}
			for (size_t k = 0; k < rec_fact_count(r, "fault_impact"); k++) {
				const rec_fact *x = rec_fact_at(r, "fault_impact", k);
				if (rec_fact_get_int(x, "fault", 0) == id)
					impact_line(o, x);
			}
		}
		if (n > FAULTS_SHOWN)
			rout_printf(o, "  ... and %zu more\n", n - FAULTS_SHOWN);
	}
	if (split) {
		snprintf(buf, sizeof(buf), "On-Demand %s, Spot %s",
		    rdata_usd(b1, sizeof(b1), rec_fact_get_num(run, "costOnDemandUSD", 0)),
		    rdata_usd(b2, sizeof(b2), rec_fact_get_num(run, "costSpotUSD", 0)));
		rout_puts(o, "\nCost by purchase option\n  ");
		rtext_wrap(o, 2, 4, buf);
	}
}
