/*
 * Seed benchmark: the bundled scenario scenarios/seed-article.json run end
 * to end — load, simulate, evaluate (cli_run_scenario) — and its report
 * files written (rwrite_all: summary.json, timeline.csv, events.log,
 * report.html) into a temporary directory. Two cases: the scenario as
 * bundled, and the same with its duration overridden to one simulated day
 * (what `ecsim run --duration 1d` does). Prints the median of 11
 * repetitions with min..max, the engine events executed and the events
 * per simulated hour.
 *
 * Budget (DESIGN.md): one simulated day under 50 ms wall; a seed run with
 * all reports under 100 ms.
 *
 * Optional argument: another scenario file to measure the same way.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench_util.h"
#include "reports/writer.h"
#include "sim/cli.h"
#include "sim/recorder.h"
#include "sim/simtime.h"

#define REPS 11

typedef struct seed_case {
	const char *label;
	bool one_day;      /* override the duration to 1 simulated day */
	double budget_ms;  /* of run + reports; 0: none */
	const char *budget_what;
} seed_case;

/* Remove the files in dir, then dir (it holds only report files). */
static void
remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d != NULL) {
		struct dirent *e;
		char path[4096];
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

static void
measure(const char *scenario, const seed_case *c, const char *outdir)
{
	double run_ms[REPS], rep_ms[REPS], total_ms[REPS];
	uint64_t events = 0;
	double sim_hours = 0;
	for (int i = 0; i < REPS; i++) {
		cli_run_opts o;
		memset(&o, 0, sizeof(o));
		o.duration_set = c->one_day;
		o.duration = SIM_DAY;
		cli_result res;
		double t0 = bu_now_ms();
		bu_run(scenario, &o, &res);
		double t1 = bu_now_ms();
		sim_error err;
		sim_error_clear(&err);
		if (rwrite_all(outdir, res.rec, res.verdicts, &err) != 0) {
			char buf[SIM_ERROR_TEXT];
			sim_error_format(&err, buf, sizeof(buf));
			fprintf(stderr, "bench_seed: %s\n", buf);
			exit(1);
		}
		double t2 = bu_now_ms();
		run_ms[i] = t1 - t0;
		rep_ms[i] = t2 - t1;
		total_ms[i] = t2 - t0;
		events = res.events;
		const char *secs = rec_info_get(res.rec, "durationSeconds");
		sim_hours = secs != NULL ? strtod(secs, NULL) / 3600.0 : 0;
		cli_result_free(&res);
	}
	bu_stats run = bu_stats_of(run_ms, REPS);
	bu_stats rep = bu_stats_of(rep_ms, REPS);
	bu_stats tot = bu_stats_of(total_ms, REPS);
	char budget[48] = "-";
	if (c->budget_ms > 0)
		snprintf(budget, sizeof(budget), "%s<%.0f", c->budget_what,
		    c->budget_ms);
	printf("%-10s %6.2fh %9.2f (%6.2f..%6.2f) %9.2f (%6.2f..%6.2f) "
	       "%9.2f (%6.2f..%6.2f) %9llu %9.0f  %s\n",
	    c->label, sim_hours, run.median, run.min, run.max, rep.median,
	    rep.min, rep.max, tot.median, tot.min, tot.max,
	    (unsigned long long)events,
	    sim_hours > 0 ? (double)events / sim_hours : 0.0, budget);
}

int
main(int argc, char **argv)
{
	const char *scenario = argc > 1 ? argv[1] : "scenarios/seed-article.json";
	char outdir[] = "/tmp/ecsim-bench-reports-XXXXXX";
	if (mkdtemp(outdir) == NULL) {
		perror("bench_seed: mkdtemp");
		return 1;
	}
	static const seed_case cases[] = {
		{"bundled", false, 100, "total"},
		{"1 day", true, 50, "run"},
	};
	printf("seed scenario %s end to end: run = cli_run_scenario (load, "
	       "simulate, evaluate), reports = rwrite_all (4 files);\n"
	       "wall ms, median of %d (min..max)\n", scenario, REPS);
	printf("%-10s %7s %26s %26s %26s %9s %9s  %s\n", "case", "sim",
	    "run ms", "reports ms", "total ms", "events", "ev/sim-h",
	    "budget ms");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		measure(scenario, &cases[i], outdir);
	remove_dir(outdir);
	return 0;
}
