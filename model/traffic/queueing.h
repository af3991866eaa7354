/*
 * queueing — from a task's arrival rate to its latency, throughput and
 * errors.
 *
 * The model (quote it in the run's assumptions; q_model_text gives it in
 * one paragraph):
 *
 *   Each task is an M/M/c queue with deterministic patience (M/M/c+D):
 *   - arrivals are Poisson with rate lambda (req/s, this task's share);
 *   - c servers (c = the image's concurrency; default q_default_servers:
 *     ceil(vCPU), at least 1), FCFS;
 *   - service is exponential with mean cpu_ms * c / vCPU: the task's vCPU
 *     are shared evenly by its c servers, so the capacity is
 *     c*mu = vCPU * 1000 / cpu_ms req/s (cpu_ms: milliseconds of one vCPU
 *     per request);
 *   - every response also takes base_ms of non-CPU time (network,
 *     downstream calls) that uses no server;
 *   - a request whose queueing delay would reach tau = timeout - base is
 *     an error (a 5xx/timeout after timeout_ms): it never reaches a server
 *     and uses no CPU (the client gave up; the task drops it). Requests
 *     that start service complete and count as served.
 *
 *   Latency of a request = base + wait + service, capped at the timeout
 *   (errors count as exactly the timeout). mean, p50, p95, p99 are over
 *   all offered requests, errors included.
 *
 *   The stationary law is exact (Baccelli & Hebuterne 1981; the offered
 *   waiting time V is a level-crossing problem): with a = lambda/mu,
 *   B = ErlangB(c - 1, a), theta = c*mu - lambda, the probabilities of
 *   no wait (V = 0), a wait in (0, tau) and an error are proportional to
 *       1  :  lambda*B*(1 - e^(-theta*tau))/theta  :
 *             lambda*B*e^(-theta*tau)/(c*mu)
 *   and a delayed request's wait has density proportional to e^(-theta*x)
 *   on (0, tau). This holds for every lambda: there is no stability
 *   condition, and nothing jumps at rho = 1. As tau grows with rho < 1 it
 *   becomes plain M/M/c (P(wait) = Erlang C, wait ~ Exp(c*mu - lambda)
 *   when delayed); in overload (rho = lambda/(c*mu) > 1) the served rate
 *   tends to the capacity c*mu, the error rate to lambda - c*mu, and the
 *   latency to the timeout.
 *
 *   CPU used by the task = served * cpu_ms / 1000 vCPU. ECS's
 *   CPUUtilization divides that by the task's reservation, so it exceeds
 *   100 % whenever vCPU (what the task may use) is above the reservation
 *   [DOC autoscaling.md §3: containers without a task-level cpu limit may
 *   use idle instance CPU]. The caller chooses vCPU accordingly.
 *
 * Percentiles are found by a bracketed Halley iteration on the CDF
 * (closed form, with its density and the density's derivative), to 1e-9
 * relative; the levels of one call share their evaluations: each starts
 * inside the tightest bracket the earlier ones found.
 */
#ifndef MODEL_TRAFFIC_QUEUEING_H
#define MODEL_TRAFFIC_QUEUEING_H

#include <stdbool.h>
#include <stddef.h>

typedef struct q_params {
	double cpu_ms;     /* ms of one vCPU per request; > 0 */
	double base_ms;    /* non-CPU time added to every response; >= 0 */
	double vcpu;       /* vCPUs the task's requests can use; > 0 */
	int servers;       /* c >= 1: requests served concurrently */
	double timeout_ms; /* finite, > base_ms */
} q_params;

/* The law of one task's latency (for q_quantile, q_cdf, q_mix_*). */
typedef struct q_dist {
	double p0, pw, perr; /* P(no wait), P(wait in (0, tau)), P(error) */
	double theta;        /* c*mu - lambda, 1/s (may be <= 0) */
	double mu;           /* service rate of one server, 1/s */
	double tau;          /* queueing budget timeout - base, s */
	double base;         /* s */
	double mean;         /* mean latency, s */
} q_dist;

typedef struct q_result {
	double lambda;    /* offered arrivals, req/s */
	int servers;      /* c */
	double capacity;  /* c*mu, req/s */
	double rho;       /* lambda / capacity: offered utilisation, may be > 1 */
	bool overloaded;  /* rho >= 1 */
	double served;    /* req/s that reach a server (<= capacity) */
	double errors;    /* req/s failed at the timeout = lambda - served */
	double error_ratio; /* errors / lambda; 0 when lambda is 0 */
	double busy;      /* served / capacity: fraction of the servers busy */
	double cpu_vcpu;  /* vCPU in use: served * cpu_ms / 1000 */
	double p_wait;    /* probability an arrival finds every server busy */
	double mean_ms, p50_ms, p95_ms, p99_ms; /* latency, errors included */
	q_dist d;
} q_result;

/* Default concurrency for a task with vcpu vCPUs: ceil(vcpu), at least 1
 * (a 0.25-vCPU Fargate task serves one request at a time). */
int q_default_servers(double vcpu);

/* Erlang C: probability that an arrival waits in M/M/c with offered load
 * a = lambda/mu, 0 <= a < c. Computed through the Erlang B recursion, so
 * large c neither overflows nor loses precision. */
double q_erlang_c(int c, double a);

/* Evaluate the model of one task at arrival rate lambda >= 0 (finite).
 * Parameters out of range are programmer errors (they abort): validate
 * user input before calling. */
void q_eval(const q_params *p, double lambda, q_result *out);
/* The same without the three percentiles (left NaN): rates, CPU, errors
 * and the mean only — a tenth of the cost, for per-change accounting. */
void q_eval_rates(const q_params *p, double lambda, q_result *out);

/* The served rate and the vCPU in use of q_eval_rates (out->served,
 * out->cpu_vcpu), bit for bit, for per-change accounting: when the queue
 * is far from its capacity (theta * tau >= 50, so the error probability
 * is below e^-50 and 1 - perr rounds to exactly 1) they are lambda and
 * lambda * cpu_ms / 1000 without evaluating the law; otherwise
 * q_eval_rates computes them. */
void q_eval_load(const q_params *p, double lambda, double *served,
    double *cpu_vcpu);

/* P(latency <= ms) for one task. */
double q_cdf(const q_result *r, double ms);
/* Latency quantile in ms, 0 < q < 1: the least l with P(latency <= l) >= q
 * (the timeout when q is beyond the served requests). */
double q_quantile(const q_result *r, double q);

/* Across n >= 1 tasks (a service behind a load balancer): the latency of
 * a random request is the mixture of the tasks' laws weighted by their
 * arrival rates (equal weights when every rate is 0). */
double q_mix_cdf(const q_result *rs, size_t n, double ms);
double q_mix_quantile(const q_result *rs, size_t n, double q);
/* The k quantiles qs[0..k) of the same mixture into out[0..k) (ms): the
 * same values as k calls of q_mix_quantile, sharing what the levels have
 * in common (weights, bounds, the mass below the timeout). */
void q_mix_quantiles(const q_result *rs, size_t n, const double *qs, int k,
    double *out);
double q_mix_mean(const q_result *rs, size_t n);

/* Make r stand for k identical tasks in the q_mix_* functions: its weight
 * (lambda, the rate offered to all of them) is multiplied by k; its law,
 * one task's, is unchanged. Mixing n identical components is the same as
 * one, so callers may merge equal tasks before mixing. */
void q_scale_weight(q_result *r, double k);

/* The model in one paragraph, for the run's list of assumptions. */
const char *q_model_text(void);

#endif
