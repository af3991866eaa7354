/*
 * cli_aws — `ecsim run --backend aws SCENARIO`: replay a scenario's plan
 * on an AWS account (or an endpoint that speaks the AWS APIs), observe
 * what happens, and write the same reports as a simulation.
 *
 *   --dry-run                print every call, make none
 *   --create | --use-existing  create the static sections, or use the
 *                            resources of the same names (one is required)
 *   --account ID[,ID] --region R[,R]  allow-lists (a real run needs both)
 *   --yes                    no confirmation prompt
 *   --keep                   leave what was created
 *   --profile P, --endpoint-url [SERVICE=]URL, --run-id ID,
 *   --vpc-id, --subnets, --security-groups (for --create),
 *   --poll-interval D (15s), --clock F (1), --max-attempts N (3),
 *   -o DIR, --quiet, --seed N, --duration D
 *
 * Safety order: options and scenario checked, the simulation run for the
 * cost estimate, the region checked, the account asked (sts, read only)
 * and checked, the user asked; only then is anything created. SIGINT
 * stops the plan and runs the cleanup (a third one exits at once).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/aws/backend.h"
#include "model/aws/plan.h"
#include "reports/calibrate.h"
#include "reports/rout.h"
#include "reports/summary_text.h"
#include "reports/writer.h"
#include "sim/aws_client.h"
#include "sim/aws_creds.h"
#include "sim/cli.h"

#define MAX_LIST 16

typedef struct aws_opts {
	const char *backend;
	const char *path, *outdir, *profile, *run_id;
	const char *vpc, *subnets, *sgs;
	const char *accounts[MAX_LIST];
	int naccounts;
	char account_buf[1024], region_buf[1024];
	size_t account_used, region_used;
	const char *regions[MAX_LIST];
	int nregions;
	const char *endpoints[MAX_LIST];
	int nendpoints;
	bool dry_run, create, use_existing, yes, keep, quiet;
	sim_time poll;
	double clock;
	int max_attempts;
	cli_run_opts run;
} aws_opts;

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int
usage(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ecsim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see: ecsim help)\n");
	return SIM_EXIT_INPUT;
}

bool
cli_aws_requested(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--backend") == 0 ||
		    strncmp(argv[i], "--backend=", 10) == 0)
			return true;
	return false;
}

/* "--name value" or "--name=value": returns 1 and sets *val when argv[*i]
 * is that option, 0 when it is not, -1 when the value is missing. */
static int
opt(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

/* Split a comma-separated list into list; the pieces are copied into
 * buf (size bytes, kept in the options) after the *used bytes that
 * earlier options took. */
static int
split(const char *s, char *buf, size_t size, size_t *used, const char **list,
    int *n)
{
	size_t len = strlen(s);
	if (*used + len + 1 > size)
		return -1;
	char *dst = buf + *used;
	memcpy(dst, s, len + 1);
	*used += len + 1;
	char *save = NULL;
	for (char *tok = strtok_r(dst, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == MAX_LIST)
			return -1;
		list[(*n)++] = tok;
	}
	return 0;
}

static int
parse(int argc, char **argv, aws_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->poll = 15 * SIM_SEC;
	o->clock = 1;
	o->max_attempts = AWSRETRY_DEFAULT_ATTEMPTS;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int r;
#define OPT(name) ((r = opt(argc, argv, &i, name, &v)) != 0)
		if (OPT("--backend")) {
			if (r < 0)
				return usage("%s needs aws or sim", "--backend");
			o->backend = v;
		} else if (OPT("--output") || OPT("-o")) {
			if (r < 0)
				return usage("%s needs a directory", a);
			o->outdir = v;
		} else if (OPT("--profile")) {
			if (r < 0)
				return usage("%s needs a profile name", a);
			o->profile = v;
		} else if (OPT("--run-id")) {
			if (r < 0 || *v == '\0' || strlen(v) > 100)
				return usage("%s needs an id of 1 to 100 characters", "--run-id");
			o->run_id = v;
		} else if (OPT("--vpc-id")) {
			if (r < 0)
				return usage("%s needs a VPC id", a);
			o->vpc = v;
		} else if (OPT("--subnets")) {
			if (r < 0)
				return usage("%s needs subnet ids (comma-separated)", a);
			o->subnets = v;
		} else if (OPT("--security-groups")) {
			if (r < 0)
				return usage("%s needs security group ids (comma-separated)", a);
			o->sgs = v;
		} else if (OPT("--account")) {
			if (r < 0 || split(v, o->account_buf, sizeof(o->account_buf), &o->account_used,
		    o->accounts, &o->naccounts) != 0)
				return usage("%s needs account ids (comma-separated, at most 16)", "--account");
		} else if (OPT("--region")) {
			if (r < 0 || split(v, o->region_buf, sizeof(o->region_buf), &o->region_used,
		    o->regions, &o->nregions) != 0)
				return usage("%s needs regions (comma-separated, at most 16)", "--region");
		} else if (OPT("--endpoint-url")) {
			if (r < 0 || o->nendpoints == MAX_LIST)
				return usage("%s needs [SERVICE=]URL", "--endpoint-url");
			o->endpoints[o->nendpoints++] = v;
		} else if (OPT("--poll-interval")) {
			char why[200] = "";
			if (r < 0 || simtime_parse(v, &o->poll, why, sizeof(why)) != 0 ||
			    o->poll < SIM_SEC || o->poll > 10 * SIM_MIN)
				return usage("%s needs a duration from 1s to 10m", "--poll-interval");
		} else if (OPT("--clock")) {
			char *end;
			if (r < 0)
				return usage("%s needs a factor", a);
			o->clock = strtod(v, &end);
			if (*end || !(o->clock >= 0.001 && o->clock <= 10000))
				return usage("%s needs a factor between 0.001 and 10000", "--clock");
		} else if (OPT("--max-attempts")) {
			char *end;
			long n = r < 0 ? 0 : strtol(v, &end, 10);
			if (r < 0 || *end || n < 1 || n > 10)
				return usage("%s needs a number from 1 to 10", "--max-attempts");
			o->max_attempts = (int)n;
		} else if (OPT("--seed")) {
			char *end;
			errno = 0;
			unsigned long long s = r < 0 ? 0 : strtoull(v, &end, 10);
			if (r < 0 || *v == '-' || *end || errno || s > (1ULL << 53))
				return usage("%s needs an integer between 0 and 2^53", "--seed");
			o->run.seed = s;
			o->run.seed_set = true;
		} else if (OPT("--duration")) {
			char why[200] = "";
			if (r < 0 || simtime_parse(v, &o->run.duration, why, sizeof(why)) != 0 ||
			    o->run.duration <= 0)
				return usage("%s needs a positive duration like 2h or 90m", "--duration");
			o->run.duration_set = true;
		} else if (strcmp(a, "--dry-run") == 0) {
			o->dry_run = true;
		} else if (strcmp(a, "--create") == 0) {
			o->create = true;
		} else if (strcmp(a, "--use-existing") == 0) {
			o->use_existing = true;
		} else if (strcmp(a, "--yes") == 0 || strcmp(a, "-y") == 0) {
			o->yes = true;
		} else if (strcmp(a, "--keep") == 0) {
			o->keep = true;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o->quiet = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage("unknown option \"%s\" for run --backend aws", a);
		} else if (o->path == NULL) {
			o->path = a;
		} else {
			return usage("run takes one scenario; got also \"%s\"", a);
		}
#undef OPT
	}
	if (o->backend == NULL || (strcmp(o->backend, "aws") != 0 && strcmp(o->backend, "sim") != 0))
		return usage("--backend must be aws or sim, got \"%s\"", o->backend ? o->backend : "");
	if (strcmp(o->backend, "sim") == 0)
		return 0;
	if (o->path == NULL)
		return usage("%s", "run needs a scenario file");
	/* The poll interval is plan time: at --clock F, 1/F of it passes
	 * between two observations: at most 10 rounds a wall second (about
	 * 60 calls), whatever the endpoint. */
	if ((double)o->poll / o->clock < 100 * SIM_MS)
		return usage("--poll-interval %gs at --clock %g is %.0f ms of wall time between observations: at least 100 ms is needed (a longer --poll-interval)",
		    simtime_to_seconds(o->poll), o->clock,
		    simtime_to_seconds(o->poll) / o->clock * 1e3);
	if (o->create == o->use_existing)
		return usage("%s", o->create ?
		    "--create and --use-existing exclude each other: choose one" :
		    "--backend aws needs --create (create the scenario's resources) or --use-existing (use resources of the same names)");
	return 0;
}

static volatile sig_atomic_t interrupts;

static void
on_sigint(int sig)
{
	(void)sig;
	if (++interrupts >= 3)
		_exit(130);
}

static double
sim_cost(const recorder *r)
{
	rec_fact *run = rec_fact_at(r, "run", 0);
	return run ? rec_fact_get_num(run, "costUSD", 0) : 0;
}

static const char *const polled =
    "ecs:DescribeServices, ecs:ListTasks, ecs:DescribeTasks, "
    "ecs:DescribeContainerInstances, elbv2:DescribeTargetHealth, "
    "application-autoscaling:DescribeScalingActivities";

static bool
in_list(const char *v, const char *const *list, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return true;
	return false;
}

/* Everything the plan will do, and the go-ahead. */
static bool
confirm(const aws_opts *o, const awsplan *p, const char *account,
    const char *region, const char *run_id)
{
	size_t creates = 0, timeline = 0;
	for (size_t i = 0; i < p->n; i++) {
		creates += p->calls[i].phase == AWSPLAN_SETUP &&
		    strcmp(p->calls[i].op, "GetCallerIdentity") != 0;
		timeline += p->calls[i].phase == AWSPLAN_TIMELINE && !p->calls[i].sim_only;
	}
	fprintf(stderr, "About to replay %s on account %s in %s (run id %s):\n"
	    "  %zu setup calls that %s, %zu timeline calls, cleanup %s.\n",
	    o->path, account, region, run_id, creates,
	    o->create ? "create resources" : "only read", timeline,
	    o->keep ? "skipped (--keep)" : "of everything created");
	if (o->yes)
		return true;
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "ecsim: standard input is not a terminal: pass --yes to proceed without the question\n");
		return false;
	}
	fprintf(stderr, "Proceed? Type yes: ");
	char line[32];
	if (fgets(line, sizeof(line), stdin) == NULL)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "yes") == 0 || strcmp(line, "y") == 0;
}

static void
info(recorder *r, const aws_opts *o, const cli_result *res, const char *account,
    const char *region, const char *run_id, sim_time duration)
{
	char b[64];
	rec_info(r, "scenario", res->name ? res->name : o->path);
	rec_info(r, "scenarioFile", o->path);
	rec_info(r, "backend", "aws");
	rec_info(r, "account", account);
	rec_info(r, "region", region);
	rec_info(r, "runId", run_id);
	rec_info(r, "ecsimVersion", ECSIM_VERSION);
	rec_info(r, "duration", simtime_format(duration, b, sizeof(b)));
	snprintf(b, sizeof(b), "%.0f", simtime_to_seconds(duration));
	rec_info(r, "durationSeconds", b);
	rec_info(r, "sampleInterval", simtime_format(o->poll, b, sizeof(b)));
	snprintf(b, sizeof(b), "%.0f", simtime_to_seconds(o->poll));
	rec_info(r, "sampleIntervalSeconds", b);
	snprintf(b, sizeof(b), "%g", o->clock);
	rec_info(r, "clock", b);
}

static void
gen_calibration(rout *o, const void *ctx)
{
	rcal_write_text(o, ctx);
}

static int
real_run(const aws_opts *o, const cli_result *sim, awsplan *p,
    const char *run_id)
{
	if (o->naccounts == 0 || o->nregions == 0) {
		fprintf(stderr, "ecsim: a run on AWS needs --account and --region: the accounts and regions it may change (or --dry-run)\n");
		return SIM_EXIT_INPUT;
	}
	if (o->create) {
		for (size_t i = 0; i < p->n; i++) {
			char *j = cJSON_PrintUnformatted(p->calls[i].input);
			bool vpc = strstr(j, "${--vpc-id}") != NULL;
			bool sub = strstr(j, "${--subnets}") != NULL;
			free(j);
			if (vpc || sub) {
				fprintf(stderr, "ecsim: --create needs %s for %s:%s\n",
				    vpc ? "--vpc-id" : "--subnets", p->calls[i].service, p->calls[i].op);
				return SIM_EXIT_INPUT;
			}
		}
	}
	sim_error err;
	sim_error_clear(&err);
	aws_creds creds;
	if (awscred_resolve(&creds, awscred_getenv, NULL, o->profile, &err) != 0) {
		sim_error_print(stderr, &err);
		return SIM_EXIT_INPUT;
	}
	if (creds.region[0] == '\0') {
		fprintf(stderr, "ecsim: no region: set AWS_REGION (or a region in the profile)\n");
		return SIM_EXIT_INPUT;
	}
	if (!in_list(creds.region, o->regions, o->nregions)) {
		fprintf(stderr, "ecsim: region %s is not allowed by --region; nothing was changed\n", creds.region);
		return SIM_EXIT_INPUT;
	}
	if (!awsc_available()) {
		fprintf(stderr, "ecsim: this ecsim was built without libcurl and libxml2: install them (make deps-aws), then rebuild (make clean all); nothing was changed\n");
		return SIM_EXIT_RUNTIME;
	}
	awsc_config cc;
	memset(&cc, 0, sizeof(cc));
	cc.creds = &creds;
	cc.retry = awsretry_standard();
	cc.retry.max_attempts = o->max_attempts;
	aws_client *client = awsc_new(&cc);
	memset(&creds, 0, sizeof(creds));
	if (client == NULL) {
		fprintf(stderr, "ecsim: cannot start libcurl\n");
		return SIM_EXIT_RUNTIME;
	}
	for (int i = 0; i < o->nendpoints; i++) {
		const char *e = o->endpoints[i];
		const char *eq = strchr(e, '=');
		const char *colon = strstr(e, "://");
		int rc;
		if (eq && (colon == NULL || eq < colon)) {
			char svc[64];
			snprintf(svc, sizeof(svc), "%.*s", (int)(eq - e), e);
			rc = awsc_set_endpoint(client, svc, eq + 1, &err);
		} else {
			rc = awsc_set_endpoint(client, NULL, e, &err);
		}
		if (rc != 0) {
			sim_error_print(stderr, &err);
			awsc_free(client);
			return SIM_EXIT_INPUT;
		}
	}
	recorder *rec = rec_new();
	awsb_config bc;
	memset(&bc, 0, sizeof(bc));
	bc.plan = p;
	bc.client = client;
	bc.rec = rec;
	bc.poll = o->poll;
	bc.clock = o->clock;
	bc.accounts = o->accounts;
	bc.naccounts = o->naccounts;
	bc.interrupted = &interrupts;
	bc.log = o->quiet ? NULL : stderr;
	awsb *b = awsb_new(&bc);
	char account[64] = "";
	char region[64];
	awscred_region(region, sizeof(region), awscred_getenv, NULL, o->profile, &err);
	int code = SIM_EXIT_OK;
	if (awsb_identify(b, account, sizeof(account), &err) != 0) {
		sim_error_print(stderr, &err);
		fprintf(stderr, "ecsim: nothing was changed\n");
		code = SIM_EXIT_RUNTIME;
		goto out;
	}
	if (!confirm(o, p, account, region, run_id)) {
		fprintf(stderr, "ecsim: not confirmed; nothing was changed\n");
		code = SIM_EXIT_INPUT;
		goto out;
	}
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	sigaction(SIGTERM, &sa, NULL);
	int rc = awsb_setup(b, &err);
	if (rc == 0)
		rc = plan_run(sim->timeline, &awsb_ops, b, sim->duration, &err);
	if (rc != 0) {
		sim_error_print(stderr, &err);
		code = SIM_EXIT_RUNTIME;
	}
	awsb_finish(b);
	if (!o->keep) {
		if (!o->quiet)
			fprintf(stderr, "ecsim: cleaning up what run %s created\n", run_id);
		int failed = awsb_cleanup(b);
		if (failed) {
			fprintf(stderr, "ecsim: %d cleanup calls failed: find what is left by the tag ecsim:run-id=%s\n",
			    failed, run_id);
			code = SIM_EXIT_RUNTIME;
		}
	} else if (!o->quiet) {
		fprintf(stderr, "ecsim: --keep: the resources of run %s stay (tag ecsim:run-id=%s)\n",
		    run_id, run_id);
	}
	sigaction(SIGINT, &old, NULL);
	info(rec, o, sim, account, region, run_id, awsb_now(b));
	if (o->outdir && rwrite_all(o->outdir, rec, NULL, &err) != 0) {
		sim_error_print(stderr, &err);
		code = SIM_EXIT_RUNTIME;
	}
	rcal *cal = rcal_new(sim->rec, rec);
	if (o->outdir && rwrite_file(o->outdir, "calibration.txt", gen_calibration, cal, &err) != 0) {
		sim_error_print(stderr, &err);
		code = SIM_EXIT_RUNTIME;
	}
	if (!o->quiet) {
		rout *out = rout_file(stdout);
		rtext_write(out, rec, NULL);
		rout_puts(out, "\n");
		rcal_write_text(out, cal);
		rout_flush(out);
		rout_free(out);
	}
	rcal_free(cal);
out:
	awsb_free(b);
	awsc_free(client);
	rec_free(rec);
	return code;
}

int
cli_aws_run(int argc, char **argv)
{
	aws_opts o;
	int rc = parse(argc, argv, &o);
	if (rc != 0)
		return rc;
	if (strcmp(o.backend, "sim") == 0) {
		/* The simulator: the same command without --backend sim. */
		char **rest = calloc((size_t)argc + 2, sizeof(*rest));
		int n = 0;
		rest[n++] = (char *)(uintptr_t)"run"; /* the table's argv[0] */
		for (int i = 0; i < argc; i++) {
			if (strcmp(argv[i], "--backend") == 0) {
				i++;
				continue;
			}
			if (strncmp(argv[i], "--backend=", 10) != 0)
				rest[n++] = argv[i];
		}
		rc = cli_cmd_run(cli_command("run"), n, rest);
		free(rest);
		return rc;
	}
	/* The simulation first: it validates the scenario and estimates the
	 * cost. */
	cli_result sim;
	sim_error err;
	sim_error_clear(&err);
	rc = cli_run_scenario(o.path, &o.run, &sim, &err);
	if (rc != 0) {
		sim_error_print(stderr, &err);
		cli_result_free(&sim);
		return sim_exit_code(rc);
	}
	char run_id[128];
	if (o.run_id) {
		snprintf(run_id, sizeof(run_id), "%s", o.run_id);
	} else {
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		char ts[32];
		strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
		snprintf(run_id, sizeof(run_id), "ecsim-%s-%d", ts, (int)getpid());
	}
	awsplan_opts po = {o.create, run_id, o.vpc, o.subnets, o.sgs};
	awsplan p;
	rc = awsplan_build(&p, o.path, &po, &err);
	if (rc != 0) {
		sim_error_print(stderr, &err);
		awsplan_fini(&p);
		cli_result_free(&sim);
		return sim_exit_code(rc);
	}
	char region[64] = "";
	awscred_region(region, sizeof(region), awscred_getenv, NULL, o.profile, &err);
	char dur[32], poll[32];
	if (o.dry_run) {
		printf("ecsim: dry run of %s on AWS: no call is made\n", o.path);
		printf("mode: %s, region: %s, run id: %s, duration: %s\n",
		    o.create ? "--create" : "--use-existing", region[0] ? region : "(not set)",
		    run_id, simtime_format(sim.duration, dur, sizeof(dur)));
		printf("estimated cost (simulation): $%.4f (container instances and Fargate tasks only)\n",
		    sim_cost(sim.rec));
		awsplan_print(&p, stdout);
		printf("observation: every %s: %s\n", simtime_format(o.poll, poll, sizeof(poll)),
		    polled);
		rc = fflush(stdout) == 0 ? SIM_EXIT_OK : SIM_EXIT_RUNTIME;
	} else {
		if (!o.quiet)
			fprintf(stderr, "ecsim: estimated cost (simulation of %s): $%.4f (container instances and Fargate tasks only)\n",
			    simtime_format(sim.duration, dur, sizeof(dur)), sim_cost(sim.rec));
		rc = real_run(&o, &sim, &p, run_id);
	}
	awsplan_fini(&p);
	cli_result_free(&sim);
	return rc;
}
