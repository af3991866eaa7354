/*
 * taskdef — task definitions from `register-task-definition` input (or the
 * `describe-task-definition` output, whose read-only fields are accepted
 * and ignored), registered as revisions of their family, and what they
 * reserve on a container instance.
 *
 * Invariant: revisions of a family are numbered 1, 2, ... in registration
 * order (the taskDefinitions section first, then timeline calls in time
 * order), exactly as RegisterTaskDefinition numbers them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/ecs/catalog.h"
#include "model/ecs/ecs_cfg.h"

/* Container fields that describe the software, not scheduling: accepted,
 * noted as having no effect in the simulation. */
static const char *const container_noeffect[] = {
	"environment", "environmentFiles", "secrets", "logConfiguration",
	"command", "entryPoint", "mountPoints", "volumesFrom", "links",
	"dependsOn", "ulimits", "user", "workingDirectory", "dockerLabels",
	"linuxParameters", "readonlyRootFilesystem", "privileged",
	"interactive", "pseudoTerminal", "hostname", "dnsServers",
	"dnsSearchDomains", "extraHosts", "dockerSecurityOptions",
	"disableNetworking", "systemControls", "resourceRequirements",
	"firelensConfiguration", "credentialSpecs", "repositoryCredentials",
	"startTimeout", "restartPolicy", "versionConsistency",
};

static const char *const taskdef_noeffect[] = {
	"taskRoleArn", "executionRoleArn", "volumes", "tags", "pidMode",
	"ipcMode", "proxyConfiguration", "inferenceAccelerators",
	"ephemeralStorage", "enableFaultInjection",
	"placementConstraints",
};

/* Read-only fields of describe-task-definition output. */
static const char *const taskdef_readonly[] = {
	"taskDefinitionArn", "status", "requiresAttributes",
	"compatibilities", "registeredAt", "registeredBy", "deregisteredAt",
};

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void
accept_noeffect(model_cfg *c, jr_obj *o, const char *const *keys, int n)
{
	for (int i = 0; i < n; i++) {
		jr_val v;
		if (jr_get(o, keys[i], &v))
			cfg_note(c, &v);
	}
}

/* A task-level size as RegisterTaskDefinition takes it [DOC API: a string
 * of units, or of the larger unit — "256" or "1 vCPU"; "512" or "1 GB" —
 * or a number]: the value in units of [lo, hi], `big` units per `unit`. */
typedef struct size_kind {
	const char *what;  /* "task cpu" */
	const char *units; /* "units" */
	const char *unit;  /* "vCPU", matched ignoring case */
	int big;           /* units per `unit` */
	int lo, hi;
	const char *examples; /* for messages */
} size_kind;

static const size_kind task_cpu_kind = {"task cpu", "CPU units", "vCPU", 1024, 128, 196608,
    "\"256\" or \"1 vCPU\""};
static const size_kind task_mem_kind = {"task memory", "MiB", "GB", 1024, 6, 1 << 24,
    "\"512\" or \"1 GB\""};

static int
parse_task_size(model_cfg *c, const jr_val *v, const size_kind *k, int *out,
    sim_error *err)
{
	jr_val cur;
	if (jr_resolve(v, &cur, err) != 0) /* {"file": ...} */
		return SIM_EINPUT;
	v = &cur;
	if (v->node && cJSON_IsNumber(v->node)) {
		/* the API takes a string; CloudFormation and SDKs pass numbers
		 * through as text: accept, and say so */
		cfg_note_why(c, v, k == &task_cpu_kind ?
		    "a JSON number where RegisterTaskDefinition takes a string (\"256\" or \"1 vCPU\"); read as CPU units" :
		    "a JSON number where RegisterTaskDefinition takes a string (\"512\" or \"1 GB\"); read as MiB");
		return jr_int32(v, k->lo, k->hi, out, err);
	}
	const char *s;
	int rc;
	if ((rc = jr_str(v, &s, err)) != 0)
		return rc;
	char *end;
	double x = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s)
		return jr_fail(v, err, "expected %s or a size like %s, got \"%s\"", k->units, k->examples, s);
	if (*end != '\0') {
		if (strcasecmp(end, k->unit) != 0)
			return jr_fail(v, err, "unknown unit in \"%s\" (write %s)", s, k->examples);
		x *= k->big;
	}
	if (x < k->lo || x > k->hi || x != (double)(int)x)
		return jr_fail(v, err, "%s must be a whole number of %s in [%d, %d], got \"%s\"",
		    k->what, k->units, k->lo, k->hi, s);
	*out = (int)x;
	return 0;
}

static int
parse_ports(model_cfg *c, const jr_val *v, container_def *cd, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	cd->ports = ARENA_ARRAY(c->a, port_mapping, (size_t)(n ? n : 1));
	cd->nports = n;
	for (int i = 0; i < n; i++) {
		jr_val e, x;
		jr_obj o;
		port_mapping *pm = &cd->ports[i];
		jr_elem(v, i, &e);
		if ((rc = jr_object(&e, &o, err)) != 0)
			return rc;
		/* [DOC API PortMapping] containerPortRange "8000-8010" instead of
		 * containerPort: accepted; its first port stands for the range
		 * (hostPortRange is assigned by ECS and not simulated) */
		jr_val rv;
		if (jr_get(&o, "containerPortRange", &rv)) {
			const char *r;
			int lo = 0, hi = 0;
			char tail;
			if ((rc = jr_str(&rv, &r, err)) != 0)
				return rc;
			if (sscanf(r, "%d-%d%c", &lo, &hi, &tail) != 2 || lo < 1 || hi > 65535 || hi <= lo)
				return jr_fail(&rv, err, "expected a port range \"FROM-TO\" with 1 <= FROM < TO <= 65535, got \"%s\"", r);
			if (jr_get(&o, "containerPort", &x))
				return jr_fail(&x, err, "give containerPort or containerPortRange, not both");
			pm->container_port = lo;
			cfg_note(c, &rv);
		} else if ((rc = jr_req_int32(&o, "containerPort", 1, 65535, &pm->container_port, err)) != 0) {
			return rc;
		}
		if (jr_get(&o, "hostPort", &x)) {
			if ((rc = jr_int32(&x, 0, 65535, &pm->host_port, err)) != 0)
				return rc;
			pm->host_port_set = true;
		}
		static const char *const protos[] = {"tcp", "udp"};
		int pr;
		if ((rc = jr_opt_enum(&o, "protocol", protos, 2, 0, &pr, err)) != 0 ||
		    (rc = jr_opt_str(&o, "name", "", &pm->name, err)) != 0)
			return rc;
		pm->protocol = protos[pr];
		if (jr_get(&o, "appProtocol", &x))
			cfg_note(c, &x);
		if ((rc = jr_done(&o, err)) != 0)
			return rc;
	}
	return 0;
}

static int
parse_hc(const jr_val *v, container_hc *hc, sim_error *err)
{
	jr_obj o;
	jr_val cmd;
	int rc, n;
	if ((rc = jr_object(v, &o, err)) != 0 ||
	    (rc = jr_need(&o, "command", &cmd, err)) != 0 ||
	    (rc = jr_array(&cmd, &n, err)) != 0)
		return rc;
	if (n == 0)
		return jr_fail(&cmd, err, "healthCheck command must not be empty (e.g. [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"])");
	hc->set = true;
	/* [DOC] API HealthCheck ranges and defaults. */
	if ((rc = jr_opt_duration(&o, "interval", 5 * SIM_SEC, 300 * SIM_SEC, 30 * SIM_SEC, &hc->interval, err)) ||
	    (rc = jr_opt_duration(&o, "timeout", 2 * SIM_SEC, 60 * SIM_SEC, 5 * SIM_SEC, &hc->timeout, err)) ||
	    (rc = jr_opt_int32(&o, "retries", 1, 10, 3, &hc->retries, err)) ||
	    (rc = jr_opt_duration(&o, "startPeriod", 0, 300 * SIM_SEC, 0, &hc->start_period, err)))
		return rc;
	return jr_done(&o, err);
}

/* [DOC API ContainerDefinition.image] up to 255 letters, digits, hyphens,
 * underscores, colons, periods, forward slashes and number signs; the
 * digest form repository@sha256:... adds '@'. */
static int
check_image(const jr_val *v, const char *s, sim_error *err)
{
	int rc;
	if ((rc = cfg_check_template(v, s, err)) != 0)
		return rc;
	size_t n = strlen(s);
	if (n == 0 || n > 255)
		return jr_fail(v, err, "an image reference has 1 to 255 characters, got %zu", n);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("-_:./#@", s[i]) == NULL)
			return jr_fail(v, err, "an image reference may only hold letters, digits and - _ : . / # @, got \"%s\"", s);
	return 0;
}

static int
parse_container(model_cfg *c, const jr_val *v, container_def *cd,
    sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	jr_val nv, iv;
	if ((rc = jr_object(v, &o, err)) != 0 ||
	    (rc = jr_need(&o, "name", &nv, err)) != 0 ||
	    (rc = jr_str(&nv, &cd->name, err)) != 0 ||
	    (rc = cfg_check_name(&nv, "container name", cd->name, err)) != 0 ||
	    (rc = jr_need(&o, "image", &iv, err)) != 0 ||
	    (rc = jr_str(&iv, &cd->image, err)) != 0 ||
	    (rc = check_image(&iv, cd->image, err)) != 0 ||
	    (rc = jr_opt_int32(&o, "cpu", 0, 196608, 0, &cd->cpu, err)) != 0 ||
	    (rc = jr_opt_int32(&o, "memory", 0, 1 << 24, 0, &cd->memory, err)) != 0 ||
	    (rc = jr_opt_int32(&o, "memoryReservation", 0, 1 << 24, 0, &cd->memory_reservation, err)) != 0 ||
	    (rc = jr_opt_bool(&o, "essential", true, &cd->essential, err)) != 0)
		return rc;
	/* [DOC] ContainerDefinition.memory: if both are set, memory must be
	 * greater than memoryReservation. */
	if (cd->memory && cd->memory_reservation && cd->memory <= cd->memory_reservation) {
		jr_get(&o, "memory", &x);
		return jr_fail(&x, err, "memory (%d MiB) must be greater than memoryReservation (%d MiB)",
		    cd->memory, cd->memory_reservation);
	}
	if (jr_get(&o, "portMappings", &x) && (rc = parse_ports(c, &x, cd, err)) != 0)
		return rc;
	if (jr_get(&o, "healthCheck", &x) && (rc = parse_hc(&x, &cd->hc, err)) != 0)
		return rc;
	if (jr_get(&o, "stopTimeout", &x) &&
	    (rc = jr_duration(&x, 2 * SIM_SEC, SIM_DAY, &cd->stop_timeout, err)) != 0)
		return rc;
	accept_noeffect(c, &o, container_noeffect, NELEM(container_noeffect));
	cd->beh = cfg_behaviour_for(c, cd->image);
	return jr_done(&o, err);
}

static const char *const net_modes[] = {"bridge", "host", "awsvpc", "none"};
static const char *const compats[] = {"EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"};

/* Checks across containers, with the positions of the offending values. */
static int
validate_td(model_cfg *c, task_def *td, jr_obj *o, sim_error *err)
{
	jr_val x;
	int nessential = 0;
	(void)c;
	for (int i = 0; i < td->ncontainers; i++) {
		container_def *cd = &td->containers[i];
		nessential += cd->essential;
		for (int k = 0; k < i; k++)
			if (strcmp(td->containers[k].name, cd->name) == 0) {
				jr_get(o, "containerDefinitions", &x);
				return jr_fail(&x, err, "two containers are named \"%s\"", cd->name);
			}
		for (int p = 0; p < cd->nports; p++) {
			port_mapping *pm = &cd->ports[p];
			/* [DOC] awsvpc/host: hostPort empty or equal to containerPort. */
			if ((td->net == NET_AWSVPC || td->net == NET_HOST) &&
			    pm->host_port_set && pm->host_port != pm->container_port) {
				jr_get(o, "containerDefinitions", &x);
				return jr_fail(&x, err,
				    "container \"%s\": in %s network mode hostPort must be omitted or equal to containerPort (%d), got %d",
				    cd->name, net_modes[td->net], pm->container_port, pm->host_port);
			}
		}
	}
	if (nessential == 0) {
		jr_get(o, "containerDefinitions", &x);
		return jr_fail(&x, err, "a task definition needs at least one essential container");
	}
	/* [DOC] On EC2, task-level memory or container memory/memoryReservation
	 * must be set. */
	if (!td->memory)
		for (int i = 0; i < td->ncontainers; i++)
			if (!td->containers[i].memory && !td->containers[i].memory_reservation) {
				jr_get(o, "containerDefinitions", &x);
				return jr_fail(&x, err,
				    "container \"%s\" sets neither memory nor memoryReservation and the task sets no memory",
				    td->containers[i].name);
			}
	if (td->fargate) {
		if (td->net != NET_AWSVPC) {
			if (!jr_get(o, "networkMode", &x))
				jr_get(o, "requiresCompatibilities", &x);
			return jr_fail(&x, err, "FARGATE requires networkMode \"awsvpc\"");
		}
		if (!td->cpu || !td->memory) {
			jr_get(o, "requiresCompatibilities", &x);
			return jr_fail(&x, err, "FARGATE requires task-level cpu and memory");
		}
	}
	return 0;
}

/* Derived values: what a task of this definition reserves. */
static void
derive(task_def *td)
{
	int cpu = 0, mem = 0;
	td->nstatic_ports = td->ndynamic_ports = 0;
	td->has_hc = false;
	for (int i = 0; i < td->ncontainers; i++) {
		container_def *cd = &td->containers[i];
		cpu += cd->cpu;
		/* [DOC] placement subtracts memoryReservation if set, else memory */
		mem += cd->memory_reservation ? cd->memory_reservation : cd->memory;
		for (int p = 0; p < cd->nports; p++) {
			bool dynamic = td->net == NET_BRIDGE && cd->ports[p].host_port == 0;
			if (dynamic)
				td->ndynamic_ports++;
			else
				td->nstatic_ports++;
		}
		if (cd->essential && cd->hc.set)
			td->has_hc = true;
	}
	td->place_cpu = td->cpu ? td->cpu : cpu;
	td->place_mem = td->memory ? td->memory : mem;
}

int
td_parse(model_cfg *c, const jr_val *v, task_def **out, sim_error *err)
{
	jr_obj o;
	jr_val x, inner;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	/* describe-task-definition output wraps the definition. */
	if (jr_get(&o, "taskDefinition", &inner)) {
		jr_ignore(&o, "tags");
		if ((rc = jr_done(&o, err)) != 0)
			return rc;
		return td_parse(c, &inner, out, err);
	}
	task_def *td = ARENA_NEW(c->a, task_def);
	td->pos = jr_where(v);
	if ((rc = jr_need(&o, "family", &x, err)) != 0 ||
	    (rc = jr_str(&x, &td->family, err)) != 0 ||
	    (rc = cfg_check_name(&x, "family", td->family, err)) != 0)
		return rc;
	int nm = NET_BRIDGE;
	if ((rc = jr_opt_enum(&o, "networkMode", net_modes, 4, NET_BRIDGE, &nm, err)) != 0)
		return rc;
	td->net = (net_mode)nm;
	td->ec2 = true;
	if (jr_get(&o, "requiresCompatibilities", &x)) {
		int n;
		if ((rc = jr_array(&x, &n, err)) != 0)
			return rc;
		td->ec2 = false;
		for (int i = 0; i < n; i++) {
			jr_val e;
			int k;
			jr_elem(&x, i, &e);
			if ((rc = jr_enum(&e, compats, 4, &k, err)) != 0)
				return rc;
			if (k == 1)
				td->fargate = true;
			else
				td->ec2 = true;
		}
		/* A Fargate-only definition defaults to awsvpc in consoles but the
		 * API requires it stated; validate_td reports it. */
	}
	if (jr_get(&o, "runtimePlatform", &x)) {
		/* [DOC] cpuArchitecture X86_64 (default) or ARM64: Fargate bills
		 * ARM at the Graviton rates */
		static const char *const archs[] = {"X86_64", "ARM64"};
		jr_obj ro;
		int arch;
		if ((rc = jr_object(&x, &ro, err)) ||
		    (rc = jr_opt_enum(&ro, "cpuArchitecture", archs, 2, 0, &arch, err)))
			return rc;
		td->arm = arch == 1;
		jr_val osf;
		if (jr_get(&ro, "operatingSystemFamily", &osf))
			cfg_note(c, &osf);
		if ((rc = jr_done(&ro, err)))
			return rc;
	}
	if (jr_get(&o, "cpu", &x) && (rc = parse_task_size(c, &x, &task_cpu_kind, &td->cpu, err)) != 0)
		return rc;
	if (jr_get(&o, "memory", &x) && (rc = parse_task_size(c, &x, &task_mem_kind, &td->memory, err)) != 0)
		return rc;
	int n;
	if ((rc = jr_need(&o, "containerDefinitions", &x, err)) != 0 ||
	    (rc = jr_array(&x, &n, err)) != 0)
		return rc;
	if (n == 0)
		return jr_fail(&x, err, "containerDefinitions must not be empty");
	td->containers = ARENA_ARRAY(c->a, container_def, (size_t)n);
	td->ncontainers = n;
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_elem(&x, i, &e);
		if ((rc = parse_container(c, &e, &td->containers[i], err)) != 0)
			return rc;
	}
	/* describe-task-definition output names its revision: it registers as
	 * that revision (checked against the family in cfg_add_td). */
	if ((rc = jr_opt_int32(&o, "revision", 1, 1000000, 0, &td->given_revision, err)) != 0)
		return rc;
	accept_noeffect(c, &o, taskdef_noeffect, NELEM(taskdef_noeffect));
	for (int i = 0; i < NELEM(taskdef_readonly); i++)
		jr_ignore(&o, taskdef_readonly[i]);
	if ((rc = validate_td(c, td, &o, err)) != 0)
		return rc;
	if (td->fargate) {
		char why[256];
		if (cat_fargate_check(td->cpu, td->memory, why, sizeof(why)) != 0) {
			jr_get(&o, "memory", &x);
			return jr_fail(&x, err, "%s", why);
		}
	}
	derive(td);
	if ((rc = jr_done(&o, err)) != 0)
		return rc;
	*out = td;
	return 0;
}

/* The revisions of each family, as indexes into c->tds in registration
 * order, found by a hash of the family name: a month of daily deployments
 * registers thousands of revisions, and scanning them all per look-up was
 * quadratic. Allocated in the configuration's arena. */
typedef struct td_family {
	const char *name;
	size_t len;
	int *idx;                  /* into c->tds, ascending */
	int n, cap;
	int max_rev;
} td_family;

struct td_registry {
	td_family *fams;
	int nfams, capfams;
	int *slot;                 /* family + 1 per hash slot, 0: empty */
	int hcap;                  /* a power of two */
};

static uint64_t
name_hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
	return h;
}

/* The family named s[0..len), or NULL. */
static td_family *
family_find(const model_cfg *c, const char *s, size_t len)
{
	const struct td_registry *r = c->tdreg;
	if (r == NULL || r->hcap == 0)
		return NULL;
	size_t h = (size_t)name_hash(s, len) & (size_t)(r->hcap - 1);
	for (; r->slot[h] != 0; h = (h + 1) & (size_t)(r->hcap - 1)) {
		td_family *f = &r->fams[r->slot[h] - 1];
		if (f->len == len && memcmp(f->name, s, len) == 0)
			return f;
	}
	return NULL;
}

static void
family_slot(struct td_registry *r, int k)
{
	const td_family *f = &r->fams[k];
	size_t h = (size_t)name_hash(f->name, f->len) & (size_t)(r->hcap - 1);
	while (r->slot[h] != 0)
		h = (h + 1) & (size_t)(r->hcap - 1);
	r->slot[h] = k + 1;
}

static td_family *
family_add(model_cfg *c, const char *name)
{
	if (c->tdreg == NULL)
		c->tdreg = ARENA_NEW(c->a, struct td_registry);
	struct td_registry *r = c->tdreg;
	if (r->nfams == r->capfams) {
		int ncap = r->capfams ? 2 * r->capfams : 16;
		td_family *n = ARENA_ARRAY(c->a, td_family, (size_t)ncap);
		if (r->nfams)
			memcpy(n, r->fams, (size_t)r->nfams * sizeof(*n));
		r->fams = n;
		r->capfams = ncap;
	}
	td_family *f = &r->fams[r->nfams];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->len = strlen(name);
	r->nfams++;
	if (2 * r->nfams > r->hcap) {
		r->hcap = r->hcap ? 2 * r->hcap : 64;
		r->slot = ARENA_ARRAY(c->a, int, (size_t)r->hcap);
		memset(r->slot, 0, (size_t)r->hcap * sizeof(int));
		for (int k = 0; k < r->nfams; k++)
			family_slot(r, k);
	} else
		family_slot(r, r->nfams - 1);
	return f;
}

int
cfg_next_revision(const model_cfg *c, const char *family)
{
	const td_family *f = family_find(c, family, strlen(family));
	return (f ? f->max_rev : 0) + 1;
}

void
cfg_add_td(model_cfg *c, task_def *td)
{
	/* [DOC] RegisterTaskDefinition numbers revisions 1, 2, ... per family;
	 * a describe output keeps the number it was registered under. */
	int rev = td->given_revision > 0 ? td->given_revision : cfg_next_revision(c, td->family);
	SIM_ASSERT(rev >= cfg_next_revision(c, td->family));
	td->revision = rev;
	td->arn = arena_printf(c->a, "arn:aws:ecs:%s:%s:task-definition/%s:%d",
	    c->params.region, c->params.account, td->family, rev);
	if (c->ntds == c->captds) {
		int ncap = c->captds ? 2 * c->captds : 16;
		task_def **n = ARENA_ARRAY(c->a, task_def *, (size_t)ncap);
		if (c->ntds)
			memcpy(n, c->tds, (size_t)c->ntds * sizeof(*n));
		c->tds = n;
		c->captds = ncap;
	}
	td_family *f = family_find(c, td->family, strlen(td->family));
	if (f == NULL)
		f = family_add(c, td->family);
	if (f->n == f->cap) {
		int ncap = f->cap ? 2 * f->cap : 4;
		int *n = ARENA_ARRAY(c->a, int, (size_t)ncap);
		if (f->n)
			memcpy(n, f->idx, (size_t)f->n * sizeof(*n));
		f->idx = n;
		f->cap = ncap;
	}
	f->idx[f->n++] = c->ntds;
	if (rev > f->max_rev)
		f->max_rev = rev;
	c->tds[c->ntds++] = td;
}

int
cfg_check_revision(const model_cfg *c, const task_def *td, sim_error *err)
{
	int next = cfg_next_revision(c, td->family);
	if (td->given_revision > 0 && td->given_revision < next)
		return jr_fail_at(&td->pos, err,
		    "revision %d of family \"%s\" is already registered (the next revision is %d); give the definitions in revision order",
		    td->given_revision, td->family, next);
	return 0;
}

const task_def *
cfg_resolve_td(const model_cfg *c, const char *ref, int upto)
{
	const char *fam = ref;
	/* ARN: arn:aws:ecs:region:account:task-definition/family:rev */
	const char *slash = strstr(ref, ":task-definition/");
	if (strncmp(ref, "arn:", 4) == 0 && slash != NULL)
		fam = slash + strlen(":task-definition/");
	const char *colon = strchr(fam, ':');
	size_t flen = colon ? (size_t)(colon - fam) : strlen(fam);
	int rev = 0;
	if (colon) {
		char *end;
		long r = strtol(colon + 1, &end, 10);
		if (*end != '\0' || r <= 0)
			return NULL;
		rev = (int)r;
	}
	/* the last revision registered before upto (of number rev, if given) */
	const td_family *f = family_find(c, fam, flen);
	for (int k = f ? f->n - 1 : -1; k >= 0; k--) {
		int i = f->idx[k];
		if (i >= upto || i >= c->ntds)
			continue;
		if (rev == 0 || c->tds[i]->revision == rev)
			return c->tds[i];
	}
	return NULL;
}

int
cfg_parse_task_definitions(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	for (int i = 0; i < n; i++) {
		jr_val e;
		task_def *td;
		jr_elem(v, i, &e);
		if ((rc = td_parse(c, &e, &td, err)) != 0 ||
		    (rc = cfg_check_revision(c, td, err)) != 0)
			return rc;
		cfg_add_td(c, td);
	}
	c->ninitial_tds = c->ntds;
	return 0;
}
