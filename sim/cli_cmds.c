/*
 * cli_cmds — the table of ecsim's commands and options: the one source
 * of the parser, `ecsim help`, the man page (docs/ecsim.1) and the shell
 * completions (docs/completion/); tests/cli_test.sh fails when the
 * committed files differ from what this table generates.
 */
#include <string.h>

#include "sim/cli.h"
#include "sim/clidoc.h"
#include "sim/xalloc.h"

#define SET_OPT \
	{CLI_O_SET, "set", 0, "PATH=VALUE", \
	    "override the scenario value at a JSON path (see below)", NULL, true}
#define SEED_OPT \
	{CLI_O_SEED, "seed", 0, "N", \
	    "master seed (0 to 2^53) instead of the scenario's", NULL, false}
#define DURATION_OPT \
	{CLI_O_DURATION, "duration", 0, "D", \
	    "simulated time (90m, 2h, 1d) instead of the scenario's", NULL, \
	    false}
#define MAX_MEMORY_OPT \
	{CLI_O_MAX_MEMORY, "max-memory", 0, "SIZE", \
	    "refuse, before it starts, a run whose timeline would exceed SIZE " \
	    "in memory or as timeline.csv (bytes, or K, M, G, T; default 2G)", \
	    NULL, false}
#define END_OPT {0, NULL, 0, NULL, NULL, NULL, false}

#define SET_TEXT \
	"--set PATH=VALUE overrides one value of the scenario as if the file " \
	"said so, and it is checked the same way. PATH is " \
	"key(.key|[index]|[name])*: [name] picks the array element whose " \
	"serviceName, family, clusterName, name, Name, TargetGroupName, " \
	"LoadBalancerName, AutoScalingGroupName, PolicyName, " \
	"ScheduledActionName, AlarmName, ResourceId, capacityProvider, " \
	"service or Key (the first of these it has) equals name, or the " \
	"string element equal to name; [\"a.b\"] quotes a name. Every part " \
	"but the last must exist. VALUE is JSON when it parses as JSON " \
	"(50, true, {\"constant\": 300}, \"30\"), else the string itself (2h). " \
	"An error reads --set:K:COL: path: message, K counting the --set " \
	"options from 1 and COL the byte of that option's value."

static const cliopt_opt run_opts[] = {
	{'o', "output", 'o', "DIR",
	    "write summary.json, timeline.csv, events.log and report.html "
	    "into DIR", "dir", false},
	SEED_OPT,
	DURATION_OPT,
	SET_OPT,
	{CLI_O_FORMAT, "format", 0, "FORMAT",
	    "what to print: text (the summary, the default) or json "
	    "(summary.json)", "words:text json", false},
	{CLI_O_ASSUMPTIONS, "assumptions", 0, NULL,
	    "list every assumption in force (by default one line counts them "
	    "by tag)", NULL, false},
	{'q', "quiet", 'q', NULL,
	    "print only the expectations that failed (nothing when all pass)",
	    NULL, false},
	MAX_MEMORY_OPT,
	{CLI_O_SEEDS, "seeds", 0, "N|A..B",
	    "run seeds 1..N (or A..B) and print each metric's distribution",
	    NULL, false},
	{'j', "jobs", 'j', "N", "with --seeds: worker processes (default: "
	    "the cores)", NULL, false},
	{CLI_O_SHARD, "shard", 0, "K/N",
	    "with --seeds: run the K-th of N slices (for ecsim merge)", NULL,
	    false},
	{CLI_O_RUNREP, "run-reports", 0, NULL,
	    "with --seeds and -o: each run's reports under DIR/runs", NULL,
	    false},
	{CLI_O_BACKEND, "backend", 0, "NAME",
	    "sim (the default) or aws: replay the plan on AWS and observe it",
	    "words:sim aws", false},
	{CLI_O_CREATE, "create", 0, NULL,
	    "aws: create the scenario's static resources", NULL, false},
	{CLI_O_USE_EXISTING, "use-existing", 0, NULL,
	    "aws: use the resources of the same names", NULL, false},
	{CLI_O_DRY_RUN, "dry-run", 0, NULL, "aws: print every call, make none",
	    NULL, false},
	{CLI_O_ACCOUNT, "account", 0, "IDS",
	    "aws: the accounts allowed (comma-separated)", NULL, false},
	{CLI_O_REGION, "region", 0, "REGIONS",
	    "aws: the regions allowed (comma-separated)", NULL, false},
	{'y', "yes", 'y', NULL, "aws: no confirmation prompt", NULL, false},
	{CLI_O_KEEP, "keep", 0, NULL, "aws: leave what was created", NULL,
	    false},
	{CLI_O_PROFILE, "profile", 0, "P", "aws: the credentials profile",
	    NULL, false},
	{CLI_O_ENDPOINT, "endpoint-url", 0, "[SERVICE=]URL",
	    "aws: an endpoint that speaks the AWS APIs", NULL, false},
	{CLI_O_RUN_ID, "run-id", 0, "ID", "aws: the run's identifier", NULL,
	    false},
	{CLI_O_VPC, "vpc-id", 0, "ID", "aws --create: the VPC", NULL, false},
	{CLI_O_SUBNETS, "subnets", 0, "IDS", "aws --create: the subnets",
	    NULL, false},
	{CLI_O_SGS, "security-groups", 0, "IDS",
	    "aws --create: the security groups", NULL, false},
	{CLI_O_POLL, "poll-interval", 0, "D",
	    "aws: time between observations, in plan time (15s)", NULL, false},
	{CLI_O_CLOCK, "clock", 0, "F", "aws: the endpoint's clock factor (1; F of an ecsim serve --clock F)",
	    NULL, false},
	{CLI_O_ATTEMPTS, "max-attempts", 0, "N",
	    "aws: attempts per call (3)", NULL, false},
	END_OPT,
};

static const cliopt_opt sweep_opts[] = {
	{CLI_O_VARY, "vary", 0, "PATH=VALUES",
	    "a value to vary: PATH as --set takes it, VALUES V1,V2,... or "
	    "A..B:STEP", NULL, true},
	{CLI_O_SEEDS, "seeds", 0, "N|A..B", "seeds per point (default: the "
	    "scenario's seed)", NULL, false},
	{'j', "jobs", 'j', "N", "worker processes (default: the cores)", NULL,
	    false},
	{CLI_O_SHARD, "shard", 0, "K/N", "run the K-th of N slices (for ecsim "
	    "merge)", NULL, false},
	{CLI_O_RUNREP, "run-reports", 0, NULL, "with -o: each run's reports",
	    NULL, false},
	DURATION_OPT,
	SET_OPT,
	MAX_MEMORY_OPT,
	{CLI_O_FORMAT, "format", 0, "FORMAT", "text (the default) or json",
	    "words:text json", false},
	{'o', "output", 'o', "DIR",
	    "write sweep.csv, sweep.json and sweep.html into DIR", "dir", false},
	{'q', "quiet", 'q', NULL, "print nothing on standard output", NULL,
	    false},
	END_OPT,
};

static const cliopt_opt serve_opts[] = {
	{CLI_O_PORT, "port", 0, "P", "TCP port (default 4570; 0: any free port)", NULL, false},
	{CLI_O_BIND, "bind", 0, "ADDR", "address to listen on (default 127.0.0.1, loopback only)", NULL, false},
	{CLI_O_CLOCK, "clock", 0, "realtime|FACTOR|manual",
	    "simulated seconds per wall second, or manual (advance with POST /_ecsim/advance)", NULL, false},
	SEED_OPT,
	DURATION_OPT,
	{CLI_O_AUTH, "auth", 0, "KEY:SECRET", "accept only requests signed (SigV4) with this key", NULL, false},
	{CLI_O_MAX_BODY, "max-body", 0, "BYTES", "largest request body (413 above)", NULL, false},
	{CLI_O_TIMEOUT, "timeout", 0, "SECONDS", "idle connection timeout", NULL, false},
	{CLI_O_PORT_FILE, "port-file", 0, "FILE", "write the port listened on to FILE", "file", false},
	{CLI_O_START_TIME, "start-time", 0, "UTC", "wall-clock date of simulated time 0 in answers", NULL, false},
	{CLI_O_NO_TIMELINE, "no-timeline", 0, NULL, "do not play the scenario's timeline", NULL, false},
	END_OPT,
};

static const cliopt_opt merge_opts[] = {
	{'o', "output", 'o', "DIR", "write the merged result's files into DIR",
	    "dir", false},
	{CLI_O_FORMAT, "format", 0, "FORMAT", "text (the default) or json",
	    "words:text json", false},
	{'q', "quiet", 'q', NULL, "print nothing on standard output", NULL,
	    false},
	END_OPT,
};

static const cliopt_opt compare_opts[] = {
	{CLI_O_TOLERANCE, "tolerance", 0, "P%",
	    "how much worse B may be than A (default 0%)", NULL, false},
	{CLI_O_FORMAT, "format", 0, "FORMAT", "text (the default) or json",
	    "words:text json", false},
	{CLI_O_ALL, "all", 0, NULL, "show every metric, not only the "
	    "differences that matter", NULL, false},
	END_OPT,
};

static const cliopt_opt check_opts[] = {
	{CLI_O_JUNIT, "junit", 0, "FILE", "write a JUnit XML report to FILE",
	    "file", false},
	{CLI_O_MARKDOWN, "markdown", 0, "FILE",
	    "write a Markdown report to FILE", "file", false},
	SEED_OPT,
	DURATION_OPT,
	SET_OPT,
	MAX_MEMORY_OPT,
	{'q', "quiet", 'q', NULL,
	    "print only failed expectations and scenarios with errors", NULL,
	    false},
	END_OPT,
};

static const cliopt_opt validate_opts[] = {
	SET_OPT,
	END_OPT,
};

static const cliopt_opt schema_opts[] = {
	{CLI_O_FORMAT, "format", 0, "FORMAT",
	    "json (a JSON Schema, the default), markdown (the reference, "
	    "docs/scenario.md), or keys or gaps (for the reference's tests)",
	    "words:json markdown keys gaps", false},
	END_OPT,
};

static const cliopt_opt help_opts[] = {
	{CLI_O_MAN, "man", 0, NULL,
	    "print the manual page ecsim(1) in roff instead", NULL, false},
	END_OPT,
};

static const cliopt_opt no_opts[] = {
	END_OPT,
};

const cliopt_cmd cli_commands[] = {
	{"run", "SCENARIO", "json",
	    "simulate a scenario and print a summary of the run",
	    "Simulate SCENARIO (a JSON file; its format is in docs/scenario.md "
	    "and `ecsim schema`) and print a summary: per service its "
	    "deployments and where their time went, the lowest healthy count, "
	    "scaling, requests, errors, latency and cost; per cluster its "
	    "instances; the verdict of each expectation. With -o, also write "
	    "summary.json, timeline.csv (one row per sample), events.log "
	    "(AWS-style service events) and report.html (one self-contained "
	    "page of charts) into DIR; each file is written to a temporary "
	    "name and renamed, so an interrupted run never leaves half a "
	    "report.\n\n"
	    "The same scenario and seed give byte-identical outputs. Exit 1 "
	    "when an expectation fails.\n\n"
	    "With --seeds, run many seeds (on --jobs workers, or across MPI "
	    "ranks under mpirun) and print each metric's distribution and each "
	    "expectation's share of seeds; -o then writes seeds.json and "
	    "seeds.csv. With --backend aws, replay the plan on an AWS account "
	    "and observe it (README: Run the same plan on AWS); --create or "
	    "--use-existing is required, and a real run needs --account and "
	    "--region.",
	    run_opts,
	    SET_TEXT "\n\n"
	    "Examples:\n\n"
	    "  ecsim run scenarios/seed-article.json -o out/seed\n"
	    "  ecsim run scenarios/seed-article.json --seed=3 --duration=6h\n"
	    "  ecsim run app.json --set services[api].desiredCount=4 \\\n"
	    "      --set 'workload[0].requestsPerSecond={\"constant\": 300}'",
	    cli_cmd_run, false},
	{"sweep", "SCENARIO", "json",
	    "run a scenario over combinations of values (and seeds)",
	    "Run SCENARIO at every combination of the --vary values (each a "
	    "path as --set takes it), with --seeds seeds per point, on --jobs "
	    "worker processes; print one row per point with the distributions "
	    "of its metrics and the share of seeds meeting each expectation. "
	    "With -o, write sweep.csv, sweep.json and sweep.html. Exit 1 when "
	    "no point meets every expectation.",
	    sweep_opts,
	    "Example:\n\n"
	    "  ecsim sweep app.json --seeds 100 \\\n"
	    "      --vary 'services[api].deploymentConfiguration.minimumHealthyPercent=50,100'",
	    cli_cmd_sweep_t, false},
	{"serve", "SCENARIO", "json",
	    "the AWS APIs on localhost, driven by real clients on a virtual clock",
	    "Serve ECS (JSON 1.1), Application Auto Scaling (JSON 1.1), Elastic "
	    "Load Balancing v2 (query, XML) and CloudWatch alarms on "
	    "127.0.0.1, on the model of SCENARIO, so the AWS "
	    "CLI and SDKs drive the simulator with --endpoint-url. Any "
	    "credentials are accepted unless --auth is given. Admin endpoints: "
	    "GET /_ecsim/state, POST /_ecsim/advance {\"by\": \"5m\"} or "
	    "{\"until\": \"steady\"}, POST /_ecsim/reset, GET /_ecsim/report.",
	    serve_opts,
	    "Example:\n\n"
	    "  ecsim serve scenarios/seed-article.json --clock 60 &\n"
	    "  aws --endpoint-url http://127.0.0.1:4570 ecs describe-services \\\n"
	    "      --cluster default --services my-microservice",
	    cli_cmd_serve_t, false},
	{"merge", "PARTIAL...", "file",
	    "combine the slices of run --shard or sweep --shard",
	    "Combine the partial results of --shard 1/N..N/N (files, or "
	    "directories of partial-*.json) into the result the unsharded run "
	    "gives.",
	    merge_opts, "", cli_cmd_merge_t, false},
	{"compare", "A B", "file",
	    "the differences that matter between two results",
	    "Compare two results: summary.json files, run -o directories, or "
	    "seeds or sweep results. Exit 1 when B is worse than A by more "
	    "than the tolerance in a gated metric or expectation.",
	    compare_opts, "", cli_cmd_compare_t, false},
	{"check", "SCENARIO...", "json",
	    "run scenarios and judge their expectations (exit 1 if one fails)",
	    "Run each SCENARIO and evaluate its expect section: one line per "
	    "expectation, PASS or FAIL, with what was measured and the bound "
	    "(in colour on a terminal, never when NO_COLOR is set), then the "
	    "totals. --junit and --markdown write reports for CI. Exit 1 if an "
	    "expectation fails, 2 if a scenario cannot be loaded, 3 on a "
	    "runtime or I/O error. --seed, --duration, --set and --max-memory "
	    "apply to every SCENARIO.",
	    check_opts,
	    SET_TEXT "\n\n"
	    "Example:\n\n"
	    "  ecsim check scenarios/*.json --junit=out/junit.xml -q",
	    cli_cmd_check, false},
	{"validate", "SCENARIO...", "json",
	    "check scenarios without running them",
	    "Read each SCENARIO as run would, without running it: every key, "
	    "type, range and cross-reference is checked, and the first error "
	    "of each file is reported as file:line:col: path: message. Exit 2 "
	    "if one is wrong.",
	    validate_opts, SET_TEXT, cli_cmd_validate, false},
	{"schema", "", NULL,
	    "print the scenario format (a JSON Schema, or the reference)",
	    "Print a JSON Schema (draft 2020-12) of a scenario file, for "
	    "editors: save it and name it in a scenario's \"$schema\" member "
	    "(VS Code then completes and checks members as you type). With "
	    "--format=markdown, print the scenario reference (docs/scenario.md) "
	    "instead. Both are generated from what the loader itself asks of "
	    "the reference scenarios built into ecsim (every member with its "
	    "type, range, default and allowed values), so they cannot drift "
	    "from what ecsim accepts. --format=keys lists every member as "
	    "PATH<TAB>KEY; --format=gaps lists the members the loader looks up "
	    "that no reference scenario gives (the tests require none).",
	    schema_opts,
	    "Example:\n\n"
	    "  ecsim schema > ecsim.schema.json\n"
	    "  # then, in a scenario: \"$schema\": \"./ecsim.schema.json\"",
	    cli_cmd_schema, false},
	{"completion", "SHELL", "words:bash zsh",
	    "print a shell completion script (bash or zsh)",
	    "Print the completion script for SHELL, bash or zsh. make install "
	    "puts both in place; by hand:\n\n"
	    "  ecsim completion bash > ~/.local/share/bash-completion/completions/ecsim\n"
	    "  ecsim completion zsh > ~/.zfunc/_ecsim   # a directory in $fpath",
	    no_opts, "", cli_cmd_completion, false},
	{"version", "", NULL, "print the version",
	    "Print ecsim's version and the libraries it was built with (the "
	    "same as ecsim -V and ecsim --version).",
	    no_opts, "", cli_cmd_version, false},
	{"help", "[COMMAND]", "commands", "print help for ecsim or a command",
	    "Print the list of commands, or the help of COMMAND (the same as "
	    "ecsim COMMAND --help). With --man, print the manual page ecsim(1) "
	    "in roff, made from the same table as the help.",
	    help_opts, "", cli_cmd_help, false},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false},
};

const cliopt_cmd *
cli_command(const char *name)
{
	for (const cliopt_cmd *c = cli_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const clidoc_page cli_page = {
	"ecsim", ECSIM_VERSION,
	"a discrete-event simulator of Amazon ECS",
	"ecsim runs Amazon ECS on a simulated clock: rolling deployments, task "
	"placement on EC2 container instances and Fargate, ALB target health, "
	"service auto scaling and cluster auto scaling with capacity "
	"providers. A scenario is one JSON file in the shapes of the AWS APIs "
	"(register-task-definition, create-service, create-target-group, "
	"put-scaling-policy, ...) plus a workload, a timeline of calls and "
	"expectations; a run answers in milliseconds, without an AWS account, "
	"how long a deploy takes, whether it stalls or rolls back, how many "
	"tasks and instances run and what they cost.\n\n"
	"Every rule AWS documents is reproduced as documented; every behaviour "
	"it does not document is a named parameter with a stated default, "
	"listed with the run's assumptions. Bad input is reported as "
	"file:line:col: path: message. Long options take their value as "
	"--opt=value or --opt value; options and operands may come in any "
	"order, and -- ends the options.",
	"0 success; 1 an expectation failed; 2 usage or input error (a bad "
	"option, a scenario that cannot be read or is wrong); 3 runtime or I/O "
	"error.",
	"NO_COLOR, when set and not empty, turns colour off (no-color.org). "
	"Colour is used only when standard output is a terminal and TERM is "
	"not dumb. ECSIM_HUGE_PAGES=off (or 0) keeps the heap on small pages: "
	"by default ecsim reserves 1 GiB of address space for its heap and "
	"asks the kernel for transparent huge pages there (a month-long run "
	"takes 13-15 % less CPU; memory is used only as it is touched).",
	"The scenario reference: docs/scenario.md, also printed by `ecsim "
	"schema --format=markdown`; the bundled scenarios and what each "
	"teaches: scenarios/README.md; README.md.",
};
