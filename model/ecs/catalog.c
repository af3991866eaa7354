/*
 * catalog — the built-in instance-type table, the "instanceTypes"
 * section, registered resources, Fargate sizes and prices (catalog.h).
 *
 * Invariant: every type in a catalog has a unique name, vcpu >= 1,
 * memory_gib > 0, price_per_hour >= 0, and registered_mib either 0 or
 * within (0, nominal MiB].
 */
#include "model/ecs/catalog.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/recorder.h"
#include "sim/xalloc.h"

static const char price_date[] =
    "2026-06 third-party list prices, on-demand Linux, us-east-1; "
    "not checked against the AWS Price List API";

/*
 * Built-in types: vCPU and memory as AWS publishes them. Prices are
 * on-demand Linux us-east-1 list prices: t3.medium, m5.large, c5.large and
 * m6i.large as given in the reference (autoscaling.md §6.4, consistent
 * across third-party tables as of mid-2026); the others are list prices as
 * recalled (within a family AWS scales them linearly with size, e.g.
 * m5.xlarge = 2 × m5.large), to be overridden by scenarios that care.
 * Registered memory is filled in only where AWS documents it.
 */
#define X CAT_X86_64
#define A CAT_ARM64
static const struct {
	const char *name;
	int vcpu;
	double gib;
	double price;
	cat_arch arch;
	int registered_mib;
} builtin[] = {
	{"t3.nano", 2, 0.5, 0.0052, X, 0},
	{"t3.micro", 2, 1, 0.0104, X, 0},
	{"t3.small", 2, 2, 0.0208, X, 0},
	{"t3.medium", 2, 4, 0.0416, X, 0},
	{"t3.large", 2, 8, 0.0832, X, 0},
	{"t3.xlarge", 4, 16, 0.1664, X, 0},
	{"t3.2xlarge", 8, 32, 0.3328, X, 0},
	{"t3a.nano", 2, 0.5, 0.0047, X, 0},
	{"t3a.micro", 2, 1, 0.0094, X, 0},
	{"t3a.small", 2, 2, 0.0188, X, 0},
	{"t3a.medium", 2, 4, 0.0376, X, 0},
	{"t3a.large", 2, 8, 0.0752, X, 0},
	{"t3a.xlarge", 4, 16, 0.1504, X, 0},
	{"t3a.2xlarge", 8, 32, 0.3008, X, 0},
	{"t4g.nano", 2, 0.5, 0.0042, A, 0},
	{"t4g.micro", 2, 1, 0.0084, A, 0},
	{"t4g.small", 2, 2, 0.0168, A, 0},
	{"t4g.medium", 2, 4, 0.0336, A, 0},
	{"t4g.large", 2, 8, 0.0672, A, 0},
	{"t4g.xlarge", 4, 16, 0.1344, A, 0},
	{"t4g.2xlarge", 8, 32, 0.2688, A, 0},
	/* [DOC] m4.large registers 7985 MiB (reference §6.1) */
	{"m4.large", 2, 8, 0.10, X, 7985},
	{"m4.xlarge", 4, 16, 0.20, X, 0},
	{"m4.2xlarge", 8, 32, 0.40, X, 0},
	{"m4.4xlarge", 16, 64, 0.80, X, 0},
	{"m5.large", 2, 8, 0.096, X, 0},
	{"m5.xlarge", 4, 16, 0.192, X, 0},
	{"m5.2xlarge", 8, 32, 0.384, X, 0},
	{"m5.4xlarge", 16, 64, 0.768, X, 0},
	{"m5.8xlarge", 32, 128, 1.536, X, 0},
	{"m5.12xlarge", 48, 192, 2.304, X, 0},
	{"m6i.large", 2, 8, 0.096, X, 0},
	{"m6i.xlarge", 4, 16, 0.192, X, 0},
	{"m6i.2xlarge", 8, 32, 0.384, X, 0},
	{"m6i.4xlarge", 16, 64, 0.768, X, 0},
	{"m6i.8xlarge", 32, 128, 1.536, X, 0},
	{"m6g.medium", 1, 4, 0.0385, A, 0},
	{"m6g.large", 2, 8, 0.077, A, 0},
	{"m6g.xlarge", 4, 16, 0.154, A, 0},
	{"m6g.2xlarge", 8, 32, 0.308, A, 0},
	{"m6g.4xlarge", 16, 64, 0.616, A, 0},
	{"m7i.large", 2, 8, 0.1008, X, 0},
	{"m7i.xlarge", 4, 16, 0.2016, X, 0},
	{"m7i.2xlarge", 8, 32, 0.4032, X, 0},
	{"m7i.4xlarge", 16, 64, 0.8064, X, 0},
	/* [DOC] c4.large registers 3768 MiB, c4.4xlarge 30158 MiB
	 * (reference autoscaling §3) */
	{"c4.large", 2, 3.75, 0.10, X, 3768},
	{"c4.xlarge", 4, 7.5, 0.199, X, 0},
	{"c4.2xlarge", 8, 15, 0.398, X, 0},
	{"c4.4xlarge", 16, 30, 0.796, X, 30158},
	{"c5.large", 2, 4, 0.085, X, 0},
	{"c5.xlarge", 4, 8, 0.17, X, 0},
	{"c5.2xlarge", 8, 16, 0.34, X, 0},
	{"c5.4xlarge", 16, 32, 0.68, X, 0},
	{"c5.9xlarge", 36, 72, 1.53, X, 0},
	{"c6i.large", 2, 4, 0.085, X, 0},
	{"c6i.xlarge", 4, 8, 0.17, X, 0},
	{"c6i.2xlarge", 8, 16, 0.34, X, 0},
	{"c6i.4xlarge", 16, 32, 0.68, X, 0},
	{"c6i.8xlarge", 32, 64, 1.36, X, 0},
	{"c6g.medium", 1, 2, 0.034, A, 0},
	{"c6g.large", 2, 4, 0.068, A, 0},
	{"c6g.xlarge", 4, 8, 0.136, A, 0},
	{"c6g.2xlarge", 8, 16, 0.272, A, 0},
	{"c6g.4xlarge", 16, 32, 0.544, A, 0},
	{"c7i.large", 2, 4, 0.08925, X, 0},
	{"c7i.xlarge", 4, 8, 0.1785, X, 0},
	{"c7i.2xlarge", 8, 16, 0.357, X, 0},
	{"c7i.4xlarge", 16, 32, 0.714, X, 0},
	{"r5.large", 2, 16, 0.126, X, 0},
	{"r5.xlarge", 4, 32, 0.252, X, 0},
	{"r5.2xlarge", 8, 64, 0.504, X, 0},
	{"r5.4xlarge", 16, 128, 1.008, X, 0},
	{"r6i.large", 2, 16, 0.126, X, 0},
	{"r6i.xlarge", 4, 32, 0.252, X, 0},
	{"r6i.2xlarge", 8, 64, 0.504, X, 0},
	{"r6i.4xlarge", 16, 128, 1.008, X, 0},
	{"r6g.medium", 1, 8, 0.0504, A, 0},
	{"r6g.large", 2, 16, 0.1008, A, 0},
	{"r6g.xlarge", 4, 32, 0.2016, A, 0},
	{"r6g.2xlarge", 8, 64, 0.4032, A, 0},
	{"r6g.4xlarge", 16, 128, 0.8064, A, 0},
};
#undef X
#undef A

#define NBUILTIN ((int)(sizeof(builtin) / sizeof(builtin[0])))

/* Ranges accepted in "instanceTypes". */
#define VCPU_MAX 1024
#define GIB_MIN 0.5
#define GIB_MAX 32768.0
#define PRICE_MAX 10000.0
#define NAME_MAX_LEN 64

struct cat_catalog {
	arena *a;
	cat_type **types;
	int n, cap;
};

static void
add_type(cat_catalog *c, cat_type *t)
{
	if (c->n == c->cap) {
		int ncap = c->cap ? 2 * c->cap : 128;
		cat_type **nt = ARENA_ARRAY(c->a, cat_type *, (size_t)ncap);
		if (c->n)
			memcpy(nt, c->types, sizeof(*nt) * (size_t)c->n);
		c->types = nt;
		c->cap = ncap;
	}
	c->types[c->n++] = t;
}

cat_catalog *
cat_new(arena *a)
{
	cat_catalog *c = ARENA_NEW(a, cat_catalog);
	c->a = a;
	for (int i = 0; i < NBUILTIN; i++) {
		cat_type *t = ARENA_NEW(a, cat_type);
		t->name = builtin[i].name;
		t->vcpu = builtin[i].vcpu;
		t->memory_gib = builtin[i].gib;
		t->price_per_hour = builtin[i].price;
		t->arch = builtin[i].arch;
		t->registered_mib = builtin[i].registered_mib;
		t->builtin = true;
		add_type(c, t);
	}
	return c;
}

const char *
cat_price_date(void)
{
	return price_date;
}

/* Index of the type called name, or -1. */
static int
find_index(const cat_catalog *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->types[i]->name, name) == 0)
			return i;
	return -1;
}

const cat_type *
cat_find(const cat_catalog *c, const char *name)
{
	int i = find_index(c, name);
	return i < 0 ? NULL : c->types[i];
}

int
cat_count(const cat_catalog *c)
{
	return c->n;
}

const cat_type *
cat_at(const cat_catalog *c, int i)
{
	SIM_ASSERT(i >= 0 && i < c->n);
	return c->types[i];
}

void
cat_unknown(const cat_catalog *c, const char *name, char *buf, size_t size)
{
	const char *best = NULL;
	int bestd = 3;
	for (int i = 0; i < c->n; i++) {
		const char *cand = c->types[i]->name;
		int d = strcasecmp(name, cand) == 0 ? 0 :
		    jr_edit_distance(name, cand, 2);
		if (d < bestd) {
			bestd = d;
			best = cand;
		}
	}
	if (best != NULL)
		snprintf(buf, size,
		    "unknown instance type '%s'; did you mean '%s'?", name, best);
	else
		snprintf(buf, size, "unknown instance type '%s'", name);
}

int
cat_read(const cat_catalog *c, const jr_val *v, const cat_type **out,
    sim_error *err)
{
	const char *name;
	int rc = jr_str(v, &name, err);
	if (rc)
		return rc;
	*out = cat_find(c, name);
	if (*out == NULL) {
		char msg[sizeof(err->msg)];
		cat_unknown(c, name, msg, sizeof(msg));
		return jr_fail(v, err, "%s", msg);
	}
	return 0;
}

/* ---- "instanceTypes" ---- */

static bool
valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	for (; *s; s++) {
		char ch = *s;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
		    ch == '_'))
			return false;
	}
	return true;
}

static int
parse_one(cat_catalog *c, const jr_val *ev, const char **seen, int i,
    sim_error *err)
{
	static const char *const arches[] = {"x86_64", "arm64"};
	jr_obj o;
	jr_val nv, rv;
	const char *name;
	int rc;
	if ((rc = jr_object(ev, &o, err)) != 0 ||
	    (rc = jr_need(&o, "name", &nv, err)) != 0 ||
	    (rc = jr_str(&nv, &name, err)) != 0)
		return rc;
	if (!valid_name(name))
		return jr_fail(&nv, err,
		    "instance type names are 1 to %d characters of letters, digits, '.', '-' and '_', got \"%s\"",
		    NAME_MAX_LEN, name);
	for (int j = 0; j < i; j++)
		if (strcmp(seen[j], name) == 0)
			return jr_fail(&nv, err,
			    "instance type '%s' is already defined at index %d of this list",
			    name, j);
	seen[i] = name;

	int at = find_index(c, name);
	cat_type *t = at < 0 ? NULL : c->types[at];
	cat_type nt = {0};
	bool fresh = t == NULL;
	if (fresh) {
		nt.name = arena_strdup(c->a, name);
		nt.arch = CAT_X86_64;
	} else
		nt = *t;
	/* For a new type every number is required; check that after
	 * jr_done, so a misspelt key is reported as such. */
	static const char *const required[] = {"vcpu", "memoryGiB",
		"pricePerHour"};
	bool has[3];
	for (int k = 0; k < 3; k++)
		has[k] = jr_get(&o, required[k], &rv);
	int arch = (int)nt.arch;
	double gib = nt.memory_gib;
	if ((rc = jr_opt_int32(&o, "vcpu", 1, VCPU_MAX, nt.vcpu, &nt.vcpu,
		err)) ||
	    (rc = jr_opt_num(&o, "memoryGiB", GIB_MIN, GIB_MAX, gib,
		&nt.memory_gib, err)) ||
	    (rc = jr_opt_num(&o, "pricePerHour", 0, PRICE_MAX,
		nt.price_per_hour, &nt.price_per_hour, err)) ||
	    (rc = jr_opt_num(&o, "spotPricePerHour", 0, PRICE_MAX,
		nt.spot_price_per_hour, &nt.spot_price_per_hour, err)) ||
	    (rc = jr_opt_enum(&o, "cpuArchitecture", arches, 2, arch, &arch,
		err)))
		return rc;
	nt.arch = (cat_arch)arch;
	if (nt.memory_gib != gib) /* a documented value was for gib */
		nt.registered_mib = 0;
	bool has_reg = jr_get(&o, "registeredMemoryMiB", &rv);
	if ((rc = jr_done(&o, err)))
		return rc;
	for (int k = 0; k < 3 && fresh; k++)
		if (!has[k])
			return jr_fail(ev, err, "missing required key '%s'",
			    required[k]);
	if (has_reg) {
		int64_t nominal = (int64_t)floor(nt.memory_gib * 1024.0);
		if (nominal > INT32_MAX)
			nominal = INT32_MAX;
		if ((rc = jr_int32(&rv, 1, (int)nominal, &nt.registered_mib,
		    err)))
			return rc;
	}
	if (fresh) {
		t = ARENA_NEW(c->a, cat_type);
		*t = nt;
		add_type(c, t);
	} else
		*t = nt;
	return 0;
}

int
cat_parse(cat_catalog *c, const jr_val *v, sim_error *err)
{
	int count, rc;
	if ((rc = jr_array(v, &count, err)) != 0)
		return rc;
	const char **seen = xcalloc((size_t)count + 1, sizeof(*seen));
	for (int i = 0; i < count && rc == 0; i++) {
		jr_val ev;
		jr_elem(v, i, &ev);
		rc = parse_one(c, &ev, seen, i, err);
	}
	free(seen);
	return rc;
}

/* ---- registered resources ---- */

cat_mem_fit
cat_default_mem_fit(void)
{
	/* [INF] least squares through AWS's three examples (file comment) */
	cat_mem_fit f = {0.9826, 32.0};
	return f;
}

int
cat_fit_memory_mib(double gib, const cat_mem_fit *fit)
{
	double mib = floor(fit->fraction * gib * 1024.0 - fit->overhead_mib);
	if (mib < 0)
		return 0;
	if (mib > INT32_MAX)
		return INT32_MAX;
	return (int)mib;
}

int
cat_registered_cpu(const cat_type *t)
{
	return CAT_CPU_UNITS_PER_VCPU * t->vcpu; /* [DOC] */
}

int
cat_registered_memory(const cat_type *t, int reserved_mib,
    const cat_mem_fit *fit)
{
	cat_mem_fit d = cat_default_mem_fit();
	SIM_ASSERT(reserved_mib >= 0);
	int os = t->registered_mib > 0 ? t->registered_mib :
	    cat_fit_memory_mib(t->memory_gib, fit ? fit : &d);
	/* [DOC] minus ECS_RESERVED_MEMORY */
	return os > reserved_mib ? os - reserved_mib : 0;
}

/* Billed seconds: rounded up, at least the minimum. */
static int64_t
billed_seconds(sim_time d, sim_time min)
{
	SIM_ASSERT(d >= 0);
	if (d < min)
		d = min;
	return (d + SIM_SEC - 1) / SIM_SEC;
}

double
cat_ec2_cost(const cat_type *t, sim_time d)
{
	return cat_ec2_cost_at(t->price_per_hour, d);
}

/* [DOC] Spot Instances bill like on-demand ones (Linux: per second, one
 * minute minimum) at the Spot price in effect. */
double
cat_ec2_cost_at(double price_per_hour, sim_time d)
{
	return price_per_hour * (double)billed_seconds(d, SIM_MIN) / 3600.0;
}

double
cat_spot_price(const cat_type *t, int percent)
{
	if (t->spot_price_per_hour > 0)
		return t->spot_price_per_hour;
	return t->price_per_hour * percent / 100.0;
}

/* ---- Fargate ---- */

/* [DOC] valid task cpu/memory pairs (reference autoscaling §6.1). */
static const struct {
	int cpu;
	int lo, hi, step; /* memory lo..hi in steps, or 0 with list */
	int list[3];
} fargate_sizes[] = {
	{256, 0, 0, 0, {512, 1024, 2048}},
	{512, 1024, 4096, 1024, {0}},
	{1024, 2048, 8192, 1024, {0}},
	{2048, 4096, 16384, 1024, {0}},
	{4096, 8192, 30720, 1024, {0}},
	{8192, 16384, 61440, 4096, {0}},   /* platform >= 1.4.0 */
	{16384, 32768, 122880, 8192, {0}}, /* platform >= 1.4.0 */
};

#define NFARGATE ((int)(sizeof(fargate_sizes) / sizeof(fargate_sizes[0])))

int
cat_fargate_check(int cpu, int memory_mib, char *why, size_t size)
{
	char list[256];
	size_t len = 0;
	for (int i = 0; i < NFARGATE; i++) {
		if (fargate_sizes[i].cpu != cpu)
			continue;
		int lo = fargate_sizes[i].lo, hi = fargate_sizes[i].hi;
		int step = fargate_sizes[i].step;
		if (step == 0) {
			for (int j = 0; j < 3; j++) {
				int m = fargate_sizes[i].list[j];
				if (m == memory_mib)
					return 0;
				len += (size_t)snprintf(list + len, sizeof(list) - len,
				    "%s%d", j ? ", " : "", m);
			}
		} else {
			if (memory_mib >= lo && memory_mib <= hi &&
			    (memory_mib - lo) % step == 0)
				return 0;
			if ((hi - lo) / step + 1 <= 4)
				for (int m = lo; m <= hi; m += step)
					len += (size_t)snprintf(list + len,
					    sizeof(list) - len, "%s%d",
					    m == lo ? "" : ", ", m);
			else
				snprintf(list, sizeof(list), "%d to %d in steps of %d",
				    lo, hi, step);
		}
		snprintf(why, size, "Fargate cpu %d allows memory %s (MiB); got %d",
		    cpu, list, memory_mib);
		return SIM_EINPUT;
	}
	for (int i = 0; i < NFARGATE; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d",
		    i ? ", " : "", fargate_sizes[i].cpu);
	snprintf(why, size, "Fargate cpu must be one of %s (units); got %d",
	    list, cpu);
	return SIM_EINPUT;
}

cat_fargate_rate
cat_fargate_rates(cat_arch arch)
{
	/* [OBS] us-east-1 on-demand, unchanged through June 2026 per
	 * third-party pages (reference autoscaling §6.3) */
	cat_fargate_rate x86 = {0.04048, 0.004445};
	cat_fargate_rate arm = {0.03238, 0.00356};
	return arch == CAT_ARM64 ? arm : x86;
}

cat_fargate_rate
cat_fargate_spot_rates(void)
{
	/* [OBS] us-east-1 Linux/x86 Fargate Spot, third-party tables "as of
	 * 2024" (67 % below on-demand); Fargate Spot prices change with
	 * demand [DOC] */
	cat_fargate_rate x86 = {0.01334053, 0.00146489};
	return x86;
}

static double
fargate_cost_at(cat_fargate_rate r, int cpu, int memory_mib, sim_time d)
{
	double vcpu = (double)cpu / CAT_CPU_UNITS_PER_VCPU;
	double gb = (double)memory_mib / 1024.0;
	double secs = (double)billed_seconds(d, CAT_FARGATE_MIN_BILLED);
	return (vcpu * r.vcpu_hour + gb * r.gb_hour) * secs / 3600.0;
}

double
cat_fargate_spot_cost(cat_fargate_rate r, int cpu, int memory_mib, sim_time d)
{
	return fargate_cost_at(r, cpu, memory_mib, d);
}

double
cat_fargate_cost(cat_arch arch, int cpu, int memory_mib, sim_time d)
{
	cat_fargate_rate r = cat_fargate_rates(arch);
	double vcpu = (double)cpu / CAT_CPU_UNITS_PER_VCPU;
	double gb = (double)memory_mib / 1024.0;
	double secs = (double)billed_seconds(d, CAT_FARGATE_MIN_BILLED);
	return (vcpu * r.vcpu_hour + gb * r.gb_hour) * secs / 3600.0;
}

void
cat_assume(recorder *r, const cat_mem_fit *fit)
{
	cat_mem_fit d = cat_default_mem_fit();
	char val[96];
	if (fit == NULL)
		fit = &d;
	rec_assume(r, "catalog.prices", price_date, "OBS",
	    "EC2 and Fargate on-demand prices; override EC2 ones in instanceTypes");
	snprintf(val, sizeof(val), "floor(%g * MiB - %g)", fit->fraction,
	    fit->overhead_mib);
	rec_assume(r, "catalog.registeredMemory", val, "INF",
	    "OS-visible memory ECS registers, fitted to c4.large 3768, c4.4xlarge 30158, m4.large 7985 MiB; types with a known value use it; set a type's registeredMemoryMiB in instanceTypes");
}
