/*
 * cli_run — `ecsim run`, `ecsim validate` and `ecsim check`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/expect.h"
#include "sim/cli.h"

/* Parse "--seed N": a non-negative integer below 2^53. */
static int
parse_seed(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v > (1ULL << 53))
		return -1;
	*out = v;
	return 0;
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int
usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ecsim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see: ecsim help)\n");
	return SIM_EXIT_INPUT;
}

static void
print_events(const recorder *r)
{
	char clk[32];
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		printf("%s  %s\n", simtime_clock(e->t, clk, sizeof(clk)), e->text);
	}
}

int
cli_cmd_run(int argc, char **argv)
{
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	const char *path = NULL, *outdir = NULL, *format = "text";
	bool quiet = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (++i >= argc)
				return usage_error("%s needs a directory", a);
			outdir = argv[i];
		} else if (strcmp(a, "--seed") == 0) {
			if (++i >= argc || parse_seed(argv[i], &o.seed) != 0)
				return usage_error("%s needs an integer between 0 and 2^53", a);
			o.seed_set = true;
		} else if (strcmp(a, "--duration") == 0) {
			char why[200];
			if (++i >= argc)
				return usage_error("%s needs a duration like 2h or 90m", a);
			if (simtime_parse(argv[i], &o.duration, why, sizeof(why)) != 0 ||
			    o.duration <= 0) {
				fprintf(stderr, "ecsim: --duration: %s\n",
				    o.duration <= 0 && why[0] == '\0' ? "must be positive" : why);
				return SIM_EXIT_INPUT;
			}
			o.duration_set = true;
		} else if (strcmp(a, "--format") == 0) {
			if (++i >= argc || (strcmp(argv[i], "text") != 0 && strcmp(argv[i], "json") != 0))
				return usage_error("%s needs text or json", a);
			format = argv[i];
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			quiet = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option \"%s\"", a);
		} else if (path == NULL) {
			path = a;
		} else {
			return usage_error("run takes one scenario; got also \"%s\"", a);
		}
	}
	if (path == NULL)
		return usage_error("%s", "run needs a scenario file");
	cli_result res;
	sim_error err;
	sim_error_clear(&err);
	int rc = cli_run_scenario(path, &o, &res, &err);
	if (rc != 0) {
		sim_error_print(stderr, &err);
		cli_result_free(&res);
		return sim_exit_code(rc);
	}
	(void)outdir;
	(void)format;
	if (!quiet)
		print_events(res.rec);
	int exit_code = SIM_EXIT_OK;
	cli_result_free(&res);
	return exit_code;
}

int
cli_cmd_validate(int argc, char **argv)
{
	if (argc == 0)
		return usage_error("%s", "validate needs at least one scenario file");
	int worst = SIM_EXIT_OK;
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.validate_only = true;
	for (int i = 0; i < argc; i++) {
		cli_result res;
		sim_error err;
		sim_error_clear(&err);
		int rc = cli_run_scenario(argv[i], &o, &res, &err);
		if (rc != 0) {
			sim_error_print(stderr, &err);
			if (sim_exit_code(rc) > worst)
				worst = sim_exit_code(rc);
		} else {
			printf("%s: ok (%s)\n", argv[i], res.name);
		}
		cli_result_free(&res);
	}
	return worst;
}

int
cli_cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return SIM_EXIT_INPUT;
}
