/*
 * catalog — EC2 instance types (vCPU, memory, price, what ECS registers)
 * and Fargate task sizes and prices.
 *
 * A cat_catalog starts as a copy of the built-in table (t3, t3a, t4g, m4,
 * m5, m6i, m6g, m7i, c4, c5, c6i, c6g, c7i, r5, r6i, r6g) and takes the
 * scenario's "instanceTypes" section on top: new types, or overrides of
 * single fields of built-in ones.
 *
 * Prices are on-demand Linux us-east-1 dollars per hour, as of the date
 * cat_price_date() states, from third-party list-price tables — never
 * checked against the AWS Price List API. Scenarios override them.
 *
 * Registered resources of a container instance [DOC reference §6.1]:
 *   CPU    = 1024 units per vCPU
 *   memory = what the OS sees, minus ECS_RESERVED_MEMORY (default 0).
 * The OS-visible memory is measured by the agent; AWS documents three
 * examples (c4.large 3.75 GiB → 3768 MiB, c4.4xlarge 30 GiB → 30158 MiB,
 * m4.large 8 GiB → 7985 MiB), which the built-in rows use verbatim. For
 * every other type ecsim fits [INF]
 *   registered = floor(fraction × nominal MiB − overhead)
 * with fraction 0.9826 and overhead 32 MiB: the least-squares line through
 * the three examples (residuals −27, −5, +32 MiB; within 0.7 %). A
 * scenario can state an observed value per type (registeredMemoryMiB).
 *
 * Ownership: a catalog and its types live in the arena given to cat_new;
 * cat_type pointers stay valid until the arena is freed.
 */
#ifndef MODEL_ECS_CATALOG_H
#define MODEL_ECS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/arena.h"
#include "sim/error.h"
#include "sim/jread.h"
#include "sim/simtime.h"

struct recorder;

/* [DOC] 1024 CPU units per vCPU. */
#define CAT_CPU_UNITS_PER_VCPU 1024

typedef enum cat_arch { CAT_X86_64, CAT_ARM64 } cat_arch;

typedef struct cat_type {
	const char *name;       /* "m5.large" */
	int vcpu;
	double memory_gib;      /* nominal */
	double price_per_hour;  /* USD, on-demand Linux */
	double spot_price_per_hour; /* USD, Spot; 0: a share of on-demand */
	cat_arch arch;
	int registered_mib;     /* OS-visible MiB if known (documented or
	                         * given), else 0: use the fit */
	bool builtin;
} cat_type;

/* The memory fit (see the file comment). */
typedef struct cat_mem_fit {
	double fraction;     /* of nominal MiB */
	double overhead_mib; /* subtracted after */
} cat_mem_fit;

typedef struct cat_catalog cat_catalog;

/* A catalog holding the built-in types, allocated in a (borrowed). */
cat_catalog *cat_new(arena *a);
/* Where the built-in prices come from and when. Static. */
const char *cat_price_date(void);

/* Read a scenario's "instanceTypes" section into c: an array of
 * {"name", "vcpu", "memoryGiB", "pricePerHour", "cpuArchitecture",
 * "registeredMemoryMiB"}. For a new name, vcpu, memoryGiB and pricePerHour
 * are required; for a built-in one every field but name is optional and
 * omitted fields keep the built-in value (changing memoryGiB drops a
 * documented registered memory). A name may appear once. Returns 0 or
 * SIM_EINPUT with a positioned message. */
int cat_parse(cat_catalog *c, const jr_val *v, sim_error *err);

/* The type called name, or NULL. */
const cat_type *cat_find(const cat_catalog *c, const char *name);
/* Format "unknown instance type 'm5.larg'; did you mean 'm5.large'?"
 * (the suggestion only when a name is within edit distance 2) into buf. */
void cat_unknown(const cat_catalog *c, const char *name, char *buf,
    size_t size);
/* Read a string value naming a type: 0 and *out, or SIM_EINPUT with the
 * cat_unknown message at v. */
int cat_read(const cat_catalog *c, const jr_val *v, const cat_type **out,
    sim_error *err);
/* Types in table order (built-ins first, then additions). */
int cat_count(const cat_catalog *c);
const cat_type *cat_at(const cat_catalog *c, int i);

/* ---- registered resources ---- */

/* The default fit: fraction 0.9826, overhead 32 MiB. [INF] */
cat_mem_fit cat_default_mem_fit(void);
/* floor(fit->fraction × gib × 1024 − fit->overhead_mib), at least 0. */
int cat_fit_memory_mib(double gib, const cat_mem_fit *fit);
/* CPU units registered: 1024 × vCPU [DOC]. */
int cat_registered_cpu(const cat_type *t);
/* Memory registered, MiB: the type's known OS-visible memory or the fit
 * (fit NULL = default), minus reserved_mib (ECS_RESERVED_MEMORY, default 0
 * [DOC]); never below 0. */
int cat_registered_memory(const cat_type *t, int reserved_mib,
    const cat_mem_fit *fit);

/* EC2 on-demand cost of running t for d: per second, 60 s minimum [DOC
 * reference autoscaling §6.4], seconds rounded up. */
double cat_ec2_cost(const cat_type *t, sim_time d);
/* The same at a given price per hour (a Spot Instance's). */
double cat_ec2_cost_at(double price_per_hour, sim_time d);
/* The type's Spot price: its spotPricePerHour if the catalog has one,
 * else percent % of its on-demand price (ec2.spotPricePercent [OBS]). */
double cat_spot_price(const cat_type *t, int percent);

/* ---- Fargate ---- */

/* Check a task-level cpu/memory pair against the Fargate table [DOC
 * reference autoscaling §6.1] (Linux; 8192 and 16384 need platform
 * 1.4.0). Returns 0, or SIM_EINPUT with why like "Fargate cpu 256 allows
 * memory 512, 1024, 2048 (MiB); got 4096" or "Fargate cpu must be one of
 * 256, 512, 1024, 2048, 4096, 8192, 16384 (units); got 300". */
int cat_fargate_check(int cpu, int memory_mib, char *why, size_t size);

typedef struct cat_fargate_rate {
	double vcpu_hour; /* USD per vCPU-hour */
	double gb_hour;   /* USD per GB-hour (GB = 1024 MiB) */
} cat_fargate_rate;

/* On-demand us-east-1 Linux rates [OBS reference autoscaling §6.3]:
 * x86 0.04048 / 0.004445, ARM 0.03238 / 0.00356. */
cat_fargate_rate cat_fargate_rates(cat_arch arch);
/* Fargate Spot us-east-1 Linux/x86 rates [OBS third-party tables "as of
 * 2024"]: 0.01334053 per vCPU-hour, 0.00146489 per GB-hour (Fargate Spot
 * runs x86 only [DOC fargate-capacity-providers.html]). */
cat_fargate_rate cat_fargate_spot_rates(void);
/* Cost of a Fargate Spot task at rates r (the defaults above, or the
 * parameters fargate.spotVcpuHourUSD / spotGbHourUSD). */
double cat_fargate_spot_cost(cat_fargate_rate r, int cpu, int memory_mib,
    sim_time d);
/* [DOC] Linux Fargate bills per second with a one-minute minimum. */
#define CAT_FARGATE_MIN_BILLED SIM_MIN
/* Cost of one Fargate task of cpu units and memory MiB running for d:
 * seconds rounded up, at least CAT_FARGATE_MIN_BILLED. */
double cat_fargate_cost(cat_arch arch, int cpu, int memory_mib, sim_time d);

/* Record the price date and the memory fit with rec_assume. */
void cat_assume(struct recorder *r, const cat_mem_fit *fit);

#endif
