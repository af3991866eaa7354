/*
 * cli_compare — `ecsim compare A B [--tolerance P%] [--format text|json]
 * [--all]`: A and B are summary.json, seeds.json or sweep.json files, or
 * directories that `ecsim run -o`, `run --seeds -o` or `sweep -o` wrote
 * (seeds.json first, then summary.json, then sweep.json). Prints the
 * differences that matter (reports/compare.h); --all also lists the
 * metrics that did not change. Exit 1 when B is worse than A beyond the
 * tolerance in a gated metric or expectation, 0 otherwise, 2 on bad
 * input.
 *
 * When B is a run observed on AWS (`run --backend aws -o`: info.backend
 * "aws") and A one simulated run's summary.json, the calibration follows
 * (reports/calibrate.h): each phase predicted against observed, and the
 * behaviour fragment that would have predicted B (informs; never gates).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports/calibrate.h"
#include "reports/compare.h"
#include "sim/arena.h"
#include "sim/cli_batch.h"
#include "sim/jread.h"
#include "sim/xalloc.h"

/* "10%", "10" or "2.5%": a percentage >= 0, as a fraction. */
static int
parse_tolerance(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || (*end != '\0' && strcmp(end, "%") != 0) || !(v >= 0) ||
	    v > 1e6)
		return -1;
	*out = v / 100;
	return 0;
}

/* The result file a path names (owned). */
static char *
result_file(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return xstrdup(path);
	static const char *const names[] = {"seeds.json", "summary.json",
	    "sweep.json"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *f = xasprintf("%s/%s", path, names[i]);
		if (stat(f, &st) == 0)
			return f;
		free(f);
	}
	return xasprintf("%s/summary.json", path); /* reports it missing */
}

int
cli_cmd_compare(int argc, char **argv)
{
	static const struct option longs[] = {
		{"tolerance", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"all", no_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	char **av = xcalloc((size_t)argc + 2, sizeof(char *));
	av[0] = (char *)(uintptr_t)"ecsim compare";
	memcpy(av + 1, argv, (size_t)argc * sizeof(char *));
	double tol = 0;
	bool json = false, all = false;
	int ch, code = -1;
	opterr = 0;
	optind = 1;
	while (code < 0 && (ch = getopt_long(argc + 1, av, ":", longs, NULL)) !=
	    -1) {
		if (ch == 't') {
			if (parse_tolerance(optarg, &tol) != 0)
				code = cli_usage_error("--tolerance needs a percentage such as "
				    "10%%, got \"%s\"", optarg);
		} else if (ch == 'f') {
			if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
				code = cli_usage_error("--format needs text or json");
			json = strcmp(optarg, "json") == 0;
		} else if (ch == 'a')
			all = true;
		else if (ch == ':')
			code = cli_usage_error("%s needs a value", av[optind - 1]);
		else
			code = cli_usage_error("unknown option \"%s\"", av[optind - 1]);
	}
	if (code < 0 && argc + 1 - optind != 2)
		code = cli_usage_error("%s", "compare needs two results: A B");
	if (code >= 0) {
		free(av);
		return code;
	}
	char *files[2] = {result_file(av[optind]), result_file(av[optind + 1])};
	arena *a = arena_new();
	jr_loader *L = jr_loader_new(a);
	jr_val roots[2];
	sim_error err;
	sim_error_clear(&err);
	for (int i = 0; i < 2 && code < 0; i++)
		if (jr_load_file(L, files[i], &roots[i], &err) != 0)
			code = cli_fail(&err);
	if (code < 0) {
		rcmp_side sa = {files[0], roots[0].node}, sb = {files[1], roots[1].node};
		rcmp_report *r = rcmp_compare(&sa, &sb, tol, &err);
		/* A simulated run against an observed one: calibrate. */
		rcal *cal = NULL;
		if (r != NULL && rcal_is_observed(roots[1].node) &&
		    !rcal_is_observed(roots[0].node) &&
		    cJSON_GetObjectItemCaseSensitive(roots[0].node, "facts") != NULL) {
			recorder *pr = rcal_read_summary(roots[0].node);
			recorder *or = rcal_read_summary(roots[1].node);
			cal = rcal_new(pr, or);
			rec_free(pr);
			rec_free(or);
		}
		if (r == NULL)
			code = cli_fail(&err);
		else {
			rout *o = rout_file(stdout);
			if (json) {
				cJSON *j = rcmp_json(r);
				if (cal != NULL)
					cJSON_AddItemToObject(j, "calibration", rcal_json(cal));
				rbatch_print_json(o, j);
				cJSON_Delete(j);
			} else {
				rcmp_text(o, r, all);
				if (cal != NULL) {
					rout_puts(o, "\n");
					rcal_write_text(o, cal);
				}
			}
			rcal_free(cal);
			int e = rout_flush(o);
			rout_free(o);
			code = rcmp_exit_code(r);
			if (e != 0) {
				fprintf(stderr, "ecsim: cannot write to standard output: %s\n",
				    strerror(e));
				code = SIM_EXIT_RUNTIME;
			}
			rcmp_free(r);
		}
	}
	jr_loader_free(L);
	arena_free(a);
	free(files[0]);
	free(files[1]);
	free(av);
	return code;
}
