/*
 * traffic — workload, routing and per-task load (see traffic.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ecs/ecs_cfg.h"
#include "model/ecs/listeners.h"
#include "model/elbv2/elb.h"
#include "model/traffic/queueing.h"
#include "model/traffic/traffic.h"
#include "sim/xalloc.h"

/* [DOC] ALB idle timeout default: 60 s — a request not answered by then
 * is a 504. [INF] defaults for the software's own latency. */
#define DEFAULT_TIMEOUT_MS 60000.0
#define DEFAULT_BASE_MS 5.0

/* The quantile levels of a sample's latency law: p50, p95 and p99 are the
 * recorded series; all of them shape the run's histogram, so a row whose
 * median is near the timeout (overload) does not spread half its requests
 * evenly from the base latency up. */
#define NQ_LEVELS 8
static const double nq_level[NQ_LEVELS] = {0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 0.999};
enum { NQ_P50 = 2, NQ_P95 = 5, NQ_P99 = 6 };

/* Run-level latency: a histogram of 200 log-spaced bins from 0.1 ms to
 * 10^6 ms (about 1.2 % wide each). */
#define LAT_BINS 200
#define LAT_LO 0.1
#define LAT_DECADES 7.0

static double
lat_edge(int k)
{
	return LAT_LO * pow(10.0, (double)k * LAT_DECADES / LAT_BINS);
}

static double
lat_pos(double ms)
{
	if (ms <= LAT_LO)
		return 0;
	double x = log10(ms / LAT_LO) * LAT_BINS / LAT_DECADES;
	return x > LAT_BINS ? LAT_BINS : x;
}

/* Add n requests whose latency is spread evenly (in log time) over
 * [a, b] ms. */
static void
hist_add(double *h, double n, double a, double b)
{
	double pa = lat_pos(a), pb = lat_pos(b);
	if (pb - pa < 1e-9) {
		int k = (int)pa;
		h[k < LAT_BINS ? k : LAT_BINS - 1] += n;
		return;
	}
	for (int k = (int)pa; k < LAT_BINS && k < pb; k++) {
		double lo = k > pa ? k : pa, hi = k + 1 < pb ? k + 1 : pb;
		h[k] += n * (hi - lo) / (pb - pa);
	}
}

typedef struct route {
	task *t;
	double w;      /* share weight */
	double ready;  /* fraction of the interval the app could serve */
	q_params p;    /* integrate's copy only: the task's queue */
} route;

/* A fault's window open on the service (faults.h): totals at its start. */
typedef struct fault_win {
	rec_fact *f;
	double req, err;
} fault_win;

struct svc_traffic {
	service *s;
	fault_win *wins;
	size_t nwins, capwins;
	const workload_entry **entries;
	int nentries;
	double cpu_ms, base_ms, timeout_ms, mem_mib;
	bool mem_set;
	int concurrency;
	target_group *tg;
	sim_time last;
	route *routes;
	size_t nroutes, caproutes;
	double lost;              /* share of requests with no target (503) */
	/* While a deployment weights the service's traffic (service.shifted):
	 * requests and errors per deployment, for the revRequests/revErrors
	 * series. */
	struct rev_acc {
		const deployment *d;
		double req, err;
		int series;       /* revRequests; revErrors is series + 1 */
	} *revs;
	size_t nrevs, caprevs;
	/* sample interval accumulators */
	double s_req, s_err, s_cpu_used, s_cpu_res;
	/* metric period accumulators (CloudWatch datapoints) */
	double m_cpu_used, m_cpu_res, m_req, m_healthy_time, m_task_time;
	sim_time m_since;
	/* run totals */
	double t_req, t_err;
	/* the run's latency distribution: requests per log-spaced bin */
	double hist[LAT_BINS];
	double hist_total;
	/* The routing state integrate works with (its own routes, with each
	 * task's queue), kept while it holds: until a change of this
	 * service's tasks or targets (traffic_touch), a move of a routed
	 * task's vCPU share (a neighbour on its instance started or stopped)
	 * or while it drifts with time (a task not ready yet, slow start).
	 * Reusing it gives the numbers a rebuild would, bit for bit. */
	bool cache_valid;
	bool shares_moved;        /* routes unchanged, vCPU shares to redo */
	bool uniform;             /* every route: weight 1, ready all along */
	double cap_min;           /* least capacity (req/s) of a route's task */
	route *iroutes;
	size_t niroutes, capiroutes;
	double ilost;             /* lost share of iroutes (as lost) */
	double cache_wsum;        /* sum of the routes' weights */
	/* RUNNING tasks and the CPU units they reserve, kept as tasks move
	 * in and out of RUNNING (whole numbers: the same in any order) */
	double run_res, run_n;
	double cache_res;         /* reserved CPU units of RUNNING tasks */
	double cache_running;     /* RUNNING tasks */
	double cache_healthy;     /* healthy targets */
	bool drifts;              /* gather: some target is in slow start */
	/* the last homogeneous percentile answer and what it was for */
	bool pc_valid;
	double pc_lambda, pc_vcpu, pc[NQ_LEVELS];
	int pc_servers;
	/* the last mixture's groups (lambda, vCPU, servers, count each) and
	 * its answer; buffers reused from sample to sample */
	double *mix_key, *mix_last;
	size_t cap_mix_key, cap_mix_last, mix_n;
	q_result *mix_qs;
	size_t cap_mix_qs;
	bool mix_valid;
	double mix_pq[NQ_LEVELS];
	int s_req_id;
};

/* ---------------------------------------------------------------- */
/* The section.                                                      */

static workload_cfg *
cfg_wl(model_cfg *c)
{
	if (c->workload == NULL)
		c->workload = ARENA_NEW(c->a, workload_cfg);
	return c->workload;
}

/* The service registering targets into tg (from the services known so far). */
static const char *
service_of_tg(model_cfg *c, const tg_cfg *tg)
{
	for (int i = 0; i < c->nknown; i++) {
		const svc_cfg *s = c->known[i].cfg;
		for (int k = 0; k < s->nlbs; k++)
			if (elb_cfg_find_tg(c->elb, s->lbs[k].target_group) == tg)
				return s->name;
	}
	return NULL;
}

static int
parse_entry(model_cfg *c, const jr_val *v, workload_entry *w, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	w->pos = jr_where(v);
	const char *cname = "default";
	if ((rc = jr_opt_str(&o, "cluster", "default", &cname, err)))
		return rc;
	int targets = 0;
	if (jr_get(&o, "service", &x)) {
		targets++;
		if ((rc = jr_str(&x, &w->service, err)))
			return rc;
		if (cfg_known_service(c, cname, w->service) == NULL)
			return jr_fail(&x, err, "no service \"%s\" in cluster \"%s\"", w->service, cname);
	}
	if (jr_get(&o, "targetGroup", &x)) {
		targets++;
		const char *ref;
		if ((rc = jr_str(&x, &ref, err)))
			return rc;
		const tg_cfg *tg = elb_cfg_find_tg(c->elb, ref);
		if (tg == NULL)
			return jr_fail(&x, err, "target group \"%s\" is not defined in targetGroups", ref);
		if ((w->service = service_of_tg(c, tg)) == NULL)
			return jr_fail(&x, err, "no service registers targets in target group \"%s\"", ref);
	}
	if (jr_get(&o, "loadBalancer", &x)) {
		targets++;
		const char *ref, *path = "/";
		int port = 0;
		if ((rc = jr_str(&x, &ref, err)) ||
		    (rc = jr_opt_int32(&o, "port", 0, 65535, 0, &port, err)) ||
		    (rc = jr_opt_str(&o, "path", "/", &path, err)))
			return rc;
		const alb_cfg *lb = elb_cfg_find_lb(c->elb, ref);
		if (lb == NULL)
			return jr_fail(&x, err, "load balancer \"%s\" is not defined in loadBalancers", ref);
		const tg_cfg *tg = elb_route(lb, port, path);
		if (tg == NULL)
			return jr_fail(&x, err, "load balancer \"%s\" has no listener on port %d", ref, port);
		if ((w->service = service_of_tg(c, tg)) == NULL)
			return jr_fail(&x, err, "path \"%s\" routes to target group \"%s\", where no service registers targets",
			    path, tg->name);
	}
	if (targets != 1)
		return jr_fail(v, err, "a workload entry names exactly one of service, targetGroup or loadBalancer (with path)");
	if ((rc = jr_need(&o, "requestsPerSecond", &x, err)) || (rc = wl_parse(&x, &w->rps, err)) ||
	    (rc = jr_req_num(&o, "cpuMsPerRequest", 0.001, 1e6, &w->cpu_ms, err)) ||
	    (rc = jr_opt_num(&o, "baseLatencyMs", 0, 1e6, DEFAULT_BASE_MS, &w->base_ms, err)) ||
	    (rc = jr_opt_num(&o, "timeoutMs", 1, 3.6e6, DEFAULT_TIMEOUT_MS, &w->timeout_ms, err)) ||
	    (rc = jr_opt_int32(&o, "concurrency", 0, 100000, 0, &w->concurrency, err)))
		return rc;
	if (w->timeout_ms <= w->base_ms) {
		jr_get(&o, "timeoutMs", &x);
		return jr_fail(&x, err, "timeoutMs (%g) must be greater than baseLatencyMs (%g)", w->timeout_ms, w->base_ms);
	}
	if (jr_get(&o, "memoryMiBPerTask", &x)) {
		if ((rc = jr_num(&x, 0, 1e7, &w->mem_mib, err)))
			return rc;
		w->mem_set = true;
	}
	jr_ignore(&o, "comment");
	return jr_done(&o, err);
}

int
traffic_parse(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	workload_cfg *wc = cfg_wl(c);
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	wc->entries = ARENA_ARRAY(c->a, workload_entry, (size_t)(n ? n : 1));
	/* only whole entries count: a scenario read on after an error (the
	 * loader collects them all) must not meet a half-read one */
	wc->n = 0;
	for (int i = 0; i < n; i++) {
		jr_val e;
		jr_elem(v, i, &e);
		if ((rc = parse_entry(c, &e, &wc->entries[i], err)))
			return rc;
		wc->n = i + 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Run time.                                                         */

static void
on_service_created(void *ctx, service *s)
{
	model *m = ctx;
	const workload_cfg *wc = m->cfg->workload;
	if (wc == NULL)
		return;
	svc_traffic *tr = NULL;
	for (int i = 0; i < wc->n; i++) {
		const workload_entry *w = &wc->entries[i];
		if (strcmp(w->service, s->name) != 0)
			continue;
		if (tr == NULL) {
			tr = xcalloc(1, sizeof(*tr));
			tr->s = s;
			tr->entries = xcalloc((size_t)wc->n, sizeof(*tr->entries));
			tr->cpu_ms = w->cpu_ms;
			tr->base_ms = w->base_ms;
			tr->timeout_ms = w->timeout_ms;
			tr->concurrency = w->concurrency;
		}
		if (w->mem_set) {
			tr->mem_mib = w->mem_mib;
			tr->mem_set = true;
		}
		wl_seed(w->rps, m->seed, (uint64_t)i);
		tr->entries[tr->nentries++] = w;
	}
	if (tr == NULL)
		return;
	tr->last = eng_now(m->eng);
	tr->m_since = tr->last;
	tr->tg = s->cfg.nlbs > 0 ? s->cfg.lbs[0].tg : NULL;
	if (tr->tg)
		tr->tg->has_traffic = true;
	s->traffic = tr;
	recorder *r = m->rec;
	char name[300];
	snprintf(name, sizeof(name), "service/%s/requests", s->name);
	tr->s_req_id = rec_series(r, name, "requests");
	static const char *const more[][2] = {
		{"errors", "requests"}, {"latencyP50", "ms"}, {"latencyP95", "ms"},
		{"latencyP99", "ms"}, {"cpu", "percent"}, {"memory", "percent"},
	};
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		snprintf(name, sizeof(name), "service/%s/%s", s->name, more[i][0]);
		rec_series(r, name, more[i][1]);
	}
}

void
traffic_free(service *s)
{
	if (s->traffic == NULL)
		return;
	free(s->traffic->entries);
	free(s->traffic->routes);
	free(s->traffic->iroutes);
	free(s->traffic->revs);
	free(s->traffic->mix_key);
	free(s->traffic->mix_last);
	free(s->traffic->mix_qs);
	free(s->traffic->wins);
	free(s->traffic);
	s->traffic = NULL;
}

static double
mean_rps(const svc_traffic *tr, sim_time t0, sim_time t1)
{
	double r = 0;
	for (int i = 0; i < tr->nentries; i++)
		r += t1 > t0 ? wl_mean_rps(tr->entries[i]->rps, t0, t1) :
		    wl_rps_at(tr->entries[i]->rps, t0);
	return r;
}

double
traffic_rps_now(const service *s)
{
	if (s->traffic == NULL)
		return 0;
	sim_time now = eng_now(s->m->eng);
	return mean_rps(s->traffic, now, now);
}

bool
traffic_routes_via_lb(const service *s)
{
	return s->traffic != NULL && s->traffic->tg != NULL;
}

/* CPU units a task reserves (the CPUUtilization denominator). */
static double
reserved_units(const task *t)
{
	return t->td->cpu ? t->td->cpu : t->td->place_cpu;
}

/* vCPU a task's requests may use [INF]: a task-level cpu is a hard limit;
 * container-level cpu is a relative share (CPU shares), so the task may
 * use idle instance CPU: its reservation's share of the CPU reserved by
 * the busy tasks RUNNING on the instance (tasks still starting or already
 * stopping use none, nor do load-balanced tasks without a healthy target:
 * task_sync_cpu), applied to the whole instance ([DOC] autoscaling.md
 * §3: CPU can exceed 100 % of the reservation). Busy neighbours count
 * with their whole share, whatever their load. */
static double
usable_vcpu(const task *t)
{
	if (t->td->cpu || t->inst == NULL)
		return (t->td->cpu ? t->td->cpu : t->td->place_cpu) / 1024.0;
	const instance *in = t->inst;
	double busy = in->cpu_busy;
	double mine = t->td->place_cpu;
	if (t->cpu_busy == 0)
		busy += mine; /* asked to serve, it is busy itself */
	if (mine <= 0 || busy <= 0)
		return in->vcpu / (double)(in->nrunning > 0 ? in->nrunning : 1);
	return in->vcpu * mine / busy;
}

/* q_default_servers (ceil(vCPU), at least 1) without a call to ceil per
 * task per change: vcpu here is positive and finite (usable_vcpu). */
static inline int
default_servers(double vcpu)
{
	int c = (int)vcpu;
	if ((double)c < vcpu)
		c++;
	return c < 1 ? 1 : c;
}

static void
params_for(const svc_traffic *tr, const task *t, q_params *p)
{
	p->cpu_ms = tr->cpu_ms;
	p->base_ms = tr->base_ms;
	p->timeout_ms = tr->timeout_ms;
	p->vcpu = usable_vcpu(t);
	if (p->vcpu <= 0)
		p->vcpu = 1.0 / 1024;
	p->servers = tr->concurrency > 0 ? tr->concurrency : default_servers(p->vcpu);
}

/* Can the application answer requests? Not before it is ready. (A health
 * check outcome of "fail" is the health check's verdict — a wrong path,
 * say — not the application's: requests still succeed.) */
static double
ready_fraction(const task *t, sim_time t0, sim_time t1)
{
	if (t->status != TS_RUNNING && t->status != TS_DEACTIVATING)
		return 0;
	if (t->unreachable)
		return 0; /* its host or zone is down (faults.h): requests fail */
	if (t->ready_at <= t0)
		return 1;
	if (t->ready_at >= t1)
		return 0;
	return (double)(t1 - t->ready_at) / (double)(t1 - t0);
}

static void zone_shares(route *rs, size_t first, size_t n);

/* Add the targets requests go to in target group tg over [t0, t1] to
 * *rs (*n of them; *cap allocated). share >= 0: the group's share of the
 * requests (a weighted listener rule), split among its targets by their
 * relative weights (none to route to: the share is added to *lost); < 0:
 * every target weighs 1 (the group takes everything, or shares by targets
 * with another). Sets tr->drifts when a target is in slow start (its
 * weight, or others', changes with time). */
static void
gather_tg(svc_traffic *tr, target_group *tg, double share, sim_time t0,
    sim_time t1, route **rs, size_t *n, size_t *cap, double *lost)
{
	int healthy = 0, healthy_steady = 0;
	sim_time mid = t0 + (t1 - t0) / 2;
	sim_time ss = tg->cfg->slow_start;
	for (int i = 0; i < tg->ntargets; i++) {
		const tg_target *x = tg->targets[i];
		if (x->state == TGT_HEALTHY) {
			healthy++;
			healthy_steady += ss == 0 || mid - x->healthy_since >= ss;
			tr->drifts |= ss > 0 && mid - x->healthy_since < ss;
		}
	}
	/* [DOC] fail open below the minimum number of healthy targets */
	bool open = healthy < tg->cfg->min_healthy_targets;
	size_t first = *n;
	for (int i = 0; i < tg->ntargets; i++) {
		const tg_target *x = tg->targets[i];
		if (x->state == TGT_DRAINING)
			continue;
		if (!open && x->state != TGT_HEALTHY)
			continue;
		double w = 1;
		/* [DOC] slow start: linear ramp, only when another healthy
		 * target is outside slow start */
		if (!open && ss > 0 && healthy_steady > 0 && mid - x->healthy_since < ss)
			w = (double)(mid - x->healthy_since) / (double)ss;
		if (w < 0.01)
			w = 0.01;
		XGROW(*rs, *cap, *n + 1);
		(*rs)[(*n)++] = (route){.t = x->t, .w = w, .ready = ready_fraction(x->t, t0, t1)};
	}
	if (tg->cfg->cross_zone_off && !open)
		zone_shares(*rs, first, *n);
	if (share < 0)
		return;
	/* [DOC ALB weighted target groups] the rule picks a group by weight,
	 * the group balances among its targets; a group with no target to
	 * route to loses its share (503) [INF] */
	double sum = 0;
	for (size_t i = first; i < *n; i++)
		sum += (*rs)[i].w;
	if (sum <= 0) {
		*lost += share;
		return;
	}
	for (size_t i = first; i < *n; i++)
		(*rs)[i].w = share * (*rs)[i].w / sum;
}

/* The targets requests go to over [t0, t1], with weights, into *rs (*n
 * of them; *cap allocated; *lost the share no target takes): the
 * production listener rule's target groups (model/elbv2: one, or two
 * weighted by the deployment's traffic shift), or without load balancer
 * the RUNNING tasks. */
static void
gather_into(svc_traffic *tr, sim_time t0, sim_time t1, route **rs, size_t *n,
    size_t *cap, double *lost)
{
	service *s = tr->s;
	*n = 0;
	*lost = 0;
	tr->drifts = false;
	if (tr->tg == NULL) {
		for (int i = s->ntasks - 1; i >= 0; i--) { /* the list's order */
			task *t = s->tv[i];
			if (t->status == TS_RUNNING && !t->desired_stopped) {
				XGROW(*rs, *cap, *n + 1);
				(*rs)[(*n)++] = (route){.t = t, .w = 1, .ready = ready_fraction(t, t0, t1)};
			}
		}
		return;
	}
	target_group *tgs[2];
	double w[2];
	bool pooled;
	if (elb_forward(s, tgs, w, &pooled) == 0) {
		gather_tg(tr, tr->tg, -1, t0, t1, rs, n, cap, lost);
		return;
	}
	for (int k = 0; k < 2; k++) {
		if (tgs[k] == NULL)
			continue;
		if (pooled)
			gather_tg(tr, tgs[k], -1, t0, t1, rs, n, cap, lost);
		else if (w[k] > 0)
			gather_tg(tr, tgs[k], w[k] / 100.0, t0, t1, rs, n, cap, lost);
	}
}

/* Healthy targets behind the production rule (RequestCountPerTarget's
 * denominator): of every target group it forwards to. */
static int
healthy_targets(const svc_traffic *tr)
{
	target_group *tgs[2] = {tr->tg, NULL};
	double w[2] = {100, 0};
	bool pooled;
	if (tr->tg != NULL && elb_forward(tr->s, tgs, w, &pooled) != 0 && pooled)
		w[0] = w[1] = 100;
	int n = 0;
	for (int k = 0; k < 2; k++)
		if (tgs[k] != NULL && w[k] > 0)
			for (int i = 0; i < tgs[k]->ntargets; i++)
				n += tgs[k]->targets[i]->state == TGT_HEALTHY;
	return n;
}

/* [DOC disable-cross-zone.html] cross-zone load balancing off: each load
 * balancer node sends its requests only to the targets of its own zone;
 * [DOC knowledge-center elb-dns-cross-zone-balance-configuration] a zone
 * without a healthy target is taken out of DNS. The clients' requests
 * split evenly over the zones that have healthy targets [INF: one node per
 * zone, resolved evenly], and each zone's share over its own targets (by
 * their slow-start weights). */
static void
zone_shares(route *rs, size_t first, size_t n)
{
	const char *zones[32];
	double sum[32];
	int nz = 0;
	for (size_t i = first; i < n; i++) {
		const char *az = rs[i].t->az ? rs[i].t->az : "";
		int k;
		for (k = 0; k < nz && strcmp(zones[k], az) != 0; k++)
			;
		if (k == nz) {
			if (nz == 32)
				return; /* more zones than a region has: leave as is */
			zones[nz] = az;
			sum[nz++] = 0;
		}
		sum[k] += rs[i].w;
	}
	for (size_t i = first; i < n; i++) {
		const char *az = rs[i].t->az ? rs[i].t->az : "";
		for (int k = 0; k < nz; k++)
			if (strcmp(zones[k], az) == 0) {
				rs[i].w = rs[i].w / sum[k] / nz;
				break;
			}
	}
}

/* The targets requests go to now (tr->routes). */
static void
gather(svc_traffic *tr, sim_time t0, sim_time t1)
{
	gather_into(tr, t0, t1, &tr->routes, &tr->nroutes, &tr->caproutes,
	    &tr->lost);
}

/* The integration state for [t0, t1]: reused while valid (a change of
 * the service's tasks or targets, or of the vCPU share of a task on one
 * of their instances, invalidates it), else rebuilt. */
static void
integration_state(svc_traffic *tr, sim_time t0, sim_time t1)
{
	if (tr->cache_valid && !tr->shares_moved)
		return;
	if (tr->cache_valid) {
		/* the same routes; their tasks' vCPU shares may have moved */
		tr->shares_moved = false;
		tr->cap_min = HUGE_VAL;
		for (size_t i = 0; i < tr->niroutes; i++) {
			route *r = &tr->iroutes[i];
			params_for(tr, r->t, &r->p);
			double cap = r->p.vcpu * 1000 / r->p.cpu_ms;
			if (cap < tr->cap_min)
				tr->cap_min = cap;
		}
		return;
	}
	tr->shares_moved = false;
	double res_rate = tr->run_res, running = tr->run_n, healthy = 0;
	gather_into(tr, t0, t1, &tr->iroutes, &tr->niroutes, &tr->capiroutes,
	    &tr->ilost);
	double wsum = 0;
	bool steady = !tr->drifts; /* nothing in the routes changes with time */
	tr->uniform = true;
	tr->cap_min = HUGE_VAL;
	for (size_t i = 0; i < tr->niroutes; i++) {
		route *r = &tr->iroutes[i];
		wsum += r->w;
		params_for(tr, r->t, &r->p);
		if (r->ready < 1)
			steady = false;
		tr->uniform &= r->w == 1 && r->ready == 1;
		/* as q_eval_load computes it */
		double cap = r->p.vcpu * 1000 / r->p.cpu_ms;
		if (cap < tr->cap_min)
			tr->cap_min = cap;
	}
	wsum += tr->ilost;
	tr->uniform &= tr->ilost == 0;
	if (tr->tg)
		healthy = healthy_targets(tr);
	tr->cache_valid = steady;
	tr->cache_wsum = wsum;
	tr->cache_res = res_rate;
	tr->cache_running = running;
	tr->cache_healthy = healthy;
}

/* The accumulator of deployment d. */
static struct rev_acc *
rev_of(svc_traffic *tr, const deployment *d)
{
	for (size_t k = 0; k < tr->nrevs; k++)
		if (tr->revs[k].d == d)
			return &tr->revs[k];
	XGROW(tr->revs, tr->caprevs, tr->nrevs + 1);
	struct rev_acc *a = &tr->revs[tr->nrevs++];
	memset(a, 0, sizeof(*a));
	a->d = d;
	a->series = -1;
	return a;
}

/* Integrate [tr->last, now] with the routing state as it is. */
static void
integrate(svc_traffic *tr)
{
	service *s = tr->s;
	model *m = s->m;
	sim_time now = eng_now(m->eng);
	sim_time t0 = tr->last;
	if (now <= t0)
		return;
	tr->last = now;
	double dt = simtime_to_seconds(now - t0);
	double rps = mean_rps(tr, t0, now);
	integration_state(tr, t0, now);
	double req = rps * dt, err = 0, used = 0;
	double res = tr->cache_res * dt, running = tr->cache_running,
	    healthy = tr->cache_healthy, wsum = tr->cache_wsum;
	double tau = (tr->timeout_ms - tr->base_ms) / 1000;
	double lambda1 = rps * 1.0 / wsum;
	if (tr->niroutes == 0 || wsum <= 0) {
		err = req; /* no target at all: 503 */
	} else if (!s->shifted && tr->uniform && lambda1 >= 0 && tr->cap_min - lambda1 > 0 &&
	    (tr->cap_min - lambda1) * tau >= 50) {
		/* every route gets lambda1, all of it served (q_eval_load's
		 * test holds for the least capacity, so for every task): the
		 * loop below's terms are all equal, and their sum a product */
		double t = lambda1 * tr->cpu_ms / 1000 * 1024.0 * dt * 1.0;
		used = t * (double)tr->niroutes;
	} else {
		err = req * tr->ilost / wsum; /* a weighted group with no target */
		/* equal (weight, vCPU) tasks share one evaluation */
		double last_lambda = -1, last_vcpu = -1;
		double q_served = 0, q_cpu = 0;
		for (size_t i = 0; i < tr->niroutes; i++) {
			const route *r = &tr->iroutes[i];
			double lambda = rps * r->w / wsum;
			if (lambda != last_lambda || r->p.vcpu != last_vcpu) {
				q_eval_load(&r->p, lambda, &q_served, &q_cpu);
				last_lambda = lambda;
				last_vcpu = r->p.vcpu;
			}
			double offered = lambda * dt;
			double served = q_served * dt * r->ready;
			err += offered - served;
			if (s->shifted) {
				struct rev_acc *a = rev_of(tr, r->t->dep);
				a->req += offered;
				a->err += offered - served;
			}
			used += q_cpu * 1024.0 * dt * r->ready;
		}
	}
	tr->m_task_time += running * dt;
	tr->s_req += req;
	tr->s_err += err;
	tr->s_cpu_used += used;
	tr->s_cpu_res += res;
	tr->t_req += req;
	tr->t_err += err;
	tr->m_cpu_used += used;
	tr->m_cpu_res += res;
	tr->m_req += req;
	tr->m_healthy_time += healthy * dt;
}

/* [INF] traffic.idleTasksYieldCpu: CPU shares are work-conserving, so a
 * RUNNING task that gets no requests — load-balanced, no target healthy
 * yet or any more — leaves its share to busy neighbours. (A target group
 * failing open routes to such tasks anyway; they then count as idle
 * neighbours, a rare overestimate of the others' CPU.) A task of a
 * service without a workload keeps its share: its use is unknown. */
static bool
task_idle(const task *t)
{
	const service *s = t->svc;
	if (!s->m->p->idle_yield_cpu || !traffic_routes_via_lb(s))
		return false;
	/* a healthy target in a group the production rule gives no weight
	 * (a blue/green revision before or after its shift) gets none */
	target_group *tgs[2];
	double w[2];
	bool pooled;
	bool weighted = elb_forward(s, tgs, w, &pooled) != 0 && !pooled;
	for (int i = 0; i < s->cfg.nlbs; i++)
		if (t->targets != NULL && t->targets[i] != NULL &&
		    t->targets[i]->state == TGT_HEALTHY &&
		    !(weighted && i == 0 && ((t->targets[i]->tg == tgs[0] && w[0] <= 0) ||
		    (t->targets[i]->tg == tgs[1] && w[1] <= 0))))
			return false;
	return true;
}

/* The vCPU shares on instance in moved: every service with a task there
 * rebuilds its integration state. */
static void
shares_moved(instance *in)
{
	for (task *x = in->tasks; x; x = x->inst_next)
		if (x->svc->traffic != NULL)
			x->svc->traffic->shares_moved = true;
}

/* Recount the task in its instance's busy CPU (after a change of its
 * status or of its targets' states): what usable_vcpu shares out. */
static void
sync_cpu(task *t)
{
	if (t->inst == NULL)
		return;
	int busy = t->status == TS_RUNNING && !task_idle(t) ? t->td->place_cpu : 0;
	if (busy != t->cpu_busy) {
		t->inst->cpu_busy += busy - t->cpu_busy;
		t->cpu_busy = busy;
		shares_moved(t->inst);
	}
}

void
traffic_touch(service *s)
{
	svc_traffic *tr = s->traffic;
	if (tr == NULL)
		return;
	integrate(tr);
	tr->cache_valid = false; /* a change of routing follows */
}

/* Latency quantiles (at nq_level) of the state now (mixture over routed
 * tasks). When every routed task gets the same share on the same CPU —
 * the usual case — the mixture is that one task's law; and an unchanged
 * state reuses the last answer. */
static void
quantiles_now(svc_traffic *tr, double pq[NQ_LEVELS])
{
	sim_time now = eng_now(tr->s->m->eng);
	double rps = mean_rps(tr, now, now);
	gather(tr, now, now + 1);
	for (int k = 0; k < NQ_LEVELS; k++)
		pq[k] = (double)NAN;
	if (tr->nroutes == 0)
		return;
	q_params p0;
	params_for(tr, tr->routes[0].t, &p0);
	bool same = true;
	for (size_t i = 1; i < tr->nroutes && same; i++) {
		q_params pi;
		params_for(tr, tr->routes[i].t, &pi);
		same = tr->routes[i].w == tr->routes[0].w && tr->routes[i].ready == tr->routes[0].ready &&
		    pi.vcpu == p0.vcpu && pi.servers == p0.servers;
	}
	if (same && tr->lost == 0 && tr->routes[0].ready > 0) {
		double lambda = rps / (double)tr->nroutes;
		if (rps <= 0)
			return;
		if (!(tr->pc_valid && tr->pc_lambda == lambda && tr->pc_vcpu == p0.vcpu &&
		    tr->pc_servers == p0.servers)) {
			q_result q;
			q_eval_rates(&p0, lambda, &q);
			tr->pc_valid = true;
			tr->pc_lambda = lambda;
			tr->pc_vcpu = p0.vcpu;
			tr->pc_servers = p0.servers;
			q_mix_quantiles(&q, 1, nq_level, NQ_LEVELS, tr->pc);
		}
		memcpy(pq, tr->pc, sizeof(tr->pc));
		return;
	}
	double wsum = tr->lost;
	for (size_t i = 0; i < tr->nroutes; i++)
		wsum += tr->routes[i].w;
	/* tasks with the same share, CPU and concurrency have the same law:
	 * one component each, weighted by how many there are. The groups (in
	 * order of first appearance, with their counts) are all the mixture
	 * depends on: an unchanged list reuses the last answer. */
	XGROW(tr->mix_key, tr->cap_mix_key, 4 * tr->nroutes);
	double *keys = tr->mix_key;
	size_t n = 0;
	for (size_t i = 0; i < tr->nroutes; i++) {
		if (tr->routes[i].ready <= 0)
			continue;
		q_params p;
		params_for(tr, tr->routes[i].t, &p);
		double lambda = rps * tr->routes[i].w / wsum;
		size_t g;
		for (g = 0; g < n; g++)
			if (keys[4 * g] == lambda && keys[4 * g + 1] == p.vcpu && keys[4 * g + 2] == p.servers)
				break;
		if (g == n) {
			keys[4 * n] = lambda;
			keys[4 * n + 1] = p.vcpu;
			keys[4 * n + 2] = p.servers;
			keys[4 * n + 3] = 0;
			n++;
		}
		keys[4 * g + 3]++;
	}
	if (n == 0 || rps <= 0)
		return;
	if (tr->mix_valid && tr->mix_n == n &&
	    memcmp(tr->mix_last, keys, 4 * n * sizeof(*keys)) == 0) {
		memcpy(pq, tr->mix_pq, sizeof(tr->mix_pq));
		return;
	}
	XGROW(tr->mix_qs, tr->cap_mix_qs, n);
	for (size_t g = 0; g < n; g++) {
		q_params p = {.cpu_ms = tr->cpu_ms, .base_ms = tr->base_ms,
		    .timeout_ms = tr->timeout_ms, .vcpu = keys[4 * g + 1],
		    .servers = (int)keys[4 * g + 2]};
		q_eval_rates(&p, keys[4 * g], &tr->mix_qs[g]);
		q_scale_weight(&tr->mix_qs[g], keys[4 * g + 3]);
	}
	q_mix_quantiles(tr->mix_qs, n, nq_level, NQ_LEVELS, pq);
	XGROW(tr->mix_last, tr->cap_mix_last, 4 * n);
	memcpy(tr->mix_last, keys, 4 * n * sizeof(*keys));
	tr->mix_n = n;
	tr->mix_valid = true;
	memcpy(tr->mix_pq, pq, sizeof(tr->mix_pq));
}

void
traffic_sample(service *s)
{
	svc_traffic *tr = s->traffic;
	if (tr == NULL)
		return;
	integrate(tr);
	recorder *r = s->m->rec;
	int b = tr->s_req_id;
	double pq[NQ_LEVELS];
	quantiles_now(tr, pq);
	double p50 = pq[NQ_P50], p95 = pq[NQ_P95], p99 = pq[NQ_P99];
	rec_put(r, b + 0, tr->s_req);
	rec_put(r, b + 1, tr->s_err);
	rec_put(r, b + 2, p50);
	rec_put(r, b + 3, p95);
	rec_put(r, b + 4, p99);
	rec_put(r, b + 5, tr->s_cpu_res > 0 ? 100.0 * tr->s_cpu_used / tr->s_cpu_res : (double)NAN);
	const task_def *td = s->deps ? s->deps->td : NULL;
	rec_put(r, b + 6, tr->mem_set && tr->s_cpu_res > 0 && td && td->place_mem > 0 ?
	    100.0 * tr->mem_mib / td->place_mem : (double)NAN);
	/* the interval's requests into the run's histogram, their law (which
	 * counts timeouts at the timeout) taken piecewise, evenly in log time,
	 * between its quantiles: base latency (0), nq_level..., the timeout
	 * (1) [INF] */
	if (!isnan(p50) && tr->s_req > 0) {
		double lo = tr->base_ms, f = 0;
		for (int j = 0; j <= NQ_LEVELS; j++) {
			double x = j < NQ_LEVELS ? pq[j] : tr->timeout_ms;
			double F = j < NQ_LEVELS ? nq_level[j] : 1;
			double hi = x > lo ? x : lo;
			hist_add(tr->hist, tr->s_req * (F - f), lo, hi);
			lo = hi;
			f = F;
		}
		tr->hist_total += tr->s_req;
	}
	tr->s_req = tr->s_err = tr->s_cpu_used = tr->s_cpu_res = 0;
	/* requests and errors per revision while a deployment weights the
	 * traffic: service/NAME/revRequests/FAMILY:REV, .../revErrors/... */
	for (size_t k = 0; k < tr->nrevs; k++) {
		struct rev_acc *a = &tr->revs[k];
		if (a->series < 0) {
			char *name = xasprintf("service/%s/revRequests/%s:%d", s->name,
			    a->d->td->family, a->d->td->revision);
			a->series = rec_series(r, name, "requests");
			free(name);
			name = xasprintf("service/%s/revErrors/%s:%d", s->name,
			    a->d->td->family, a->d->td->revision);
			rec_series(r, name, "requests");
			free(name);
		}
		rec_put(r, a->series, a->req);
		rec_put(r, a->series + 1, a->err);
		a->req = a->err = 0;
	}
}

void
traffic_take_metrics(service *s, double *cpu, double *mem, double *req_per_target,
    double *avg_running)
{
	svc_traffic *tr = s->traffic;
	*cpu = *mem = *req_per_target = *avg_running = (double)NAN;
	if (tr == NULL)
		return;
	integrate(tr);
	sim_time now = eng_now(s->m->eng);
	double secs = simtime_to_seconds(now - tr->m_since);
	if (secs > 0)
		*avg_running = tr->m_task_time / secs;
	/* [DOC] service CPUUtilization: CPU used by the service's tasks over
	 * the CPU their definitions reserve */
	if (tr->m_cpu_res > 0)
		*cpu = 100.0 * tr->m_cpu_used / tr->m_cpu_res;
	/* [DOC] MemoryUtilization uses memoryReservation if set, else memory */
	if (tr->mem_set && tr->m_cpu_res > 0) {
		const task_def *td = s->deps ? s->deps->td : NULL;
		if (td && td->place_mem > 0)
			*mem = 100.0 * tr->mem_mib / td->place_mem;
	}
	/* [DOC] RequestCountPerTarget: requests per healthy target per minute */
	double minutes = simtime_to_seconds(now - tr->m_since) / 60.0;
	double healthy = minutes > 0 ? tr->m_healthy_time / (minutes * 60.0) : 0;
	if (tr->tg && minutes > 0 && healthy > 0)
		*req_per_target = tr->m_req / healthy / minutes;
	tr->m_cpu_used = tr->m_cpu_res = tr->m_req = tr->m_healthy_time = tr->m_task_time = 0;
	tr->m_since = now;
}

static void
on_service_finished(void *ctx, service *s)
{
	(void)ctx;
	svc_traffic *tr = s->traffic;
	if (tr == NULL)
		return;
	traffic_touch(s);
	rec_fact_int(s->fact, "requests", (int64_t)llround(tr->t_req));
	rec_fact_int(s->fact, "errors", (int64_t)llround(tr->t_err));
	if (tr->hist_total > 0) {
		static const char *const keys[3] = {"latencyP50", "latencyP95", "latencyP99"};
		static const double qs[3] = {0.50, 0.95, 0.99};
		for (int i = 0; i < 3; i++) {
			double want = qs[i] * tr->hist_total, cum = 0;
			int k = 0;
			while (k < LAT_BINS - 1 && cum + tr->hist[k] < want)
				cum += tr->hist[k++];
			double f = tr->hist[k] > 0 ? (want - cum) / tr->hist[k] : 0;
			double lo = log10(lat_edge(k)), hi = log10(lat_edge(k + 1));
			double v = pow(10.0, lo + f * (hi - lo));
			/* no latency exceeds the timeout */
			rec_fact_num(s->fact, keys[i], v < tr->timeout_ms ? v : tr->timeout_ms);
		}
	}
}

void
traffic_assume(model *m)
{
	if (m->cfg->workload == NULL || m->cfg->workload->n == 0)
		return;
	rec_assume(m->rec, "traffic.latencyModel", "M/M/c+D per task", "MODEL", q_model_text());
	rec_assume(m->rec, "traffic.percentiles", "state at each sample time", "MODEL",
	    "[INF] latency percentiles per row are those of the routing and load at the sample time; run-level ones come from a histogram of every row's requests, each row's law taken piecewise (evenly in log time) through its base latency, p10, p25, p50, p75, p90, p95, p99, p99.9 and the timeout");
	rec_assume(m->rec, "traffic.containerCpuShare", "share of the instance among running tasks", "MODEL",
	    m->p->idle_yield_cpu ?
	    "a task without task-level cpu may use idle instance CPU: vCPU = instance vCPU x its reservation / the CPU reserved by the instance's busy RUNNING tasks (busy: not a load-balanced task without a healthy target; busy neighbours keep their whole share whatever their load)" :
	    "a task without task-level cpu may use idle instance CPU: vCPU = instance vCPU x its reservation / the CPU reserved by the instance's RUNNING tasks (idle running neighbours keep their share: traffic.idleTasksYieldCpu is off)");
	rec_assume(m->rec, "traffic.weightedRandom", "even split", "MODEL",
	    "[INF] weighted_random and least_outstanding_requests split requests evenly among equal targets");
	rec_assume(m->rec, "traffic.timeoutMs", "60000", "DOC", "ALB idle timeout default; set per workload entry (timeoutMs)");
}

/* ---------------------------------------------------------------- */
/* sim:SetLoad                                                       */

typedef struct set_load {
	const char *cluster, *service;
	double rps, scale;
	bool constant;
} set_load;

int
traffic_parse_set_load(void *ctx, sim_time at, const jr_val *in, void **typed,
    sim_error *err)
{
	model_cfg *c = ctx;
	jr_obj o;
	jr_val x, y;
	int rc;
	set_load *sl = ARENA_NEW(c->a, set_load);
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "service", &sl->service, err)) ||
	    (rc = jr_opt_str(&o, "cluster", "default", &sl->cluster, err)))
		return rc;
	bool has_rps = jr_get(&o, "requestsPerSecond", &x);
	bool has_scale = jr_get(&o, "scale", &y);
	if (has_rps == has_scale)
		return jr_fail(in, err, "give exactly one of requestsPerSecond or scale");
	if (has_rps && (rc = jr_num(&x, 0, WL_RPS_MAX, &sl->rps, err)))
		return rc;
	if (has_scale && (rc = jr_num(&y, 0, 1e6, &sl->scale, err)))
		return rc;
	sl->constant = has_rps;
	if ((rc = jr_done(&o, err)))
		return rc;
	/* Load overrides are time-indexed in the curve, so the whole future
	 * is known at load time; applying the call only logs it. */
	int found = 0;
	for (int i = 0; c->workload && i < c->workload->n; i++) {
		workload_entry *w = &c->workload->entries[i];
		if (strcmp(w->service, sl->service) != 0)
			continue;
		if (sl->constant)
			wl_set_constant(w->rps, at, found == 0 ? sl->rps : 0);
		else
			wl_set_scale(w->rps, at, sl->scale);
		found++;
	}
	if (found == 0) {
		jr_get(&o, "service", &x);
		return jr_fail(&x, err, "service \"%s\" has no entry in the workload section", sl->service);
	}
	*typed = sl;
	return 0;
}

int
traffic_apply_set_load(model *m, void *typed, sim_error *err)
{
	(void)err;
	set_load *sl = typed;
	service *s = model_find_service(m, sl->cluster, sl->service);
	if (s != NULL)
		traffic_touch(s);
	if (sl->constant)
		rec_event_add(m->rec, eng_now(m->eng), "sim", "sim",
		    "load of service %s set to %g requests/s", sl->service, sl->rps);
	else
		rec_event_add(m->rec, eng_now(m->eng), "sim", "sim",
		    "load of service %s scaled by %g", sl->service, sl->scale);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Following ECS.                                                    */

static void
on_task_will_change(void *ctx, task *t)
{
	(void)ctx;
	/* the interval so far, with the old state; whether the routing
	 * changes is for on_task_changed / on_task_health_changed to say */
	if (t->svc->traffic != NULL)
		integrate(t->svc->traffic);
}

/* Routes are the RUNNING tasks (without a load balancer) or the targets,
 * whose tasks serve while RUNNING or DEACTIVATING (draining): a status
 * change from or to either changes them; PROVISIONING, PENDING,
 * ACTIVATING, STOPPING, DEPROVISIONING and STOPPED among themselves do
 * not. */
static bool
routes_with(task_status st)
{
	return st == TS_RUNNING || st == TS_DEACTIVATING;
}

static void
on_task_changed(void *ctx, task *t, task_status from)
{
	(void)ctx;
	svc_traffic *tr = t->svc->traffic;
	if (tr != NULL && (routes_with(from) || routes_with(t->status)))
		tr->cache_valid = false;
	if (tr != NULL && (from == TS_RUNNING) != (t->status == TS_RUNNING)) {
		double sign = t->status == TS_RUNNING ? 1 : -1;
		tr->run_res += sign * reserved_units(t);
		tr->run_n += sign;
	}
	/* the instance's running count shares its CPU out */
	if (t->inst != NULL && (from == TS_RUNNING) != (t->status == TS_RUNNING))
		shares_moved(t->inst);
	sync_cpu(t);
}

/* Its host or zone went down or came back (faults.h): it serves or not
 * (ready_fraction). */
static void
on_task_reachability(void *ctx, task *t)
{
	(void)ctx;
	if (t->svc->traffic != NULL)
		t->svc->traffic->cache_valid = false;
}

static void
on_task_health_changed(void *ctx, task *t)
{
	(void)ctx;
	/* a target changed state: routing follows */
	if (t->svc->traffic != NULL)
		t->svc->traffic->cache_valid = false;
	sync_cpu(t);
}

/* A fault's window on s opens or closes (model/ecs/faults.h): the
 * requests and errors between the two go into its record. */
static void
on_fault_window(void *ctx, service *s, rec_fact *f, bool open)
{
	(void)ctx;
	svc_traffic *tr = s->traffic;
	if (tr == NULL)
		return;
	traffic_touch(s);
	if (open) {
		XGROW(tr->wins, tr->capwins, tr->nwins + 1);
		tr->wins[tr->nwins++] = (fault_win){f, tr->t_req, tr->t_err};
		return;
	}
	for (size_t i = 0; i < tr->nwins; i++) {
		if (tr->wins[i].f != f)
			continue;
		rec_fact_int(f, "requests", (int64_t)llround(tr->t_req - tr->wins[i].req));
		rec_fact_int(f, "errors", (int64_t)llround(tr->t_err - tr->wins[i].err));
		tr->wins[i] = tr->wins[--tr->nwins];
		return;
	}
}

/* The load balancer asks whether a deregistering target has requests in
 * flight: whether the service has load now. */
static bool
service_busy(void *ctx, service *s, const target_group *tg)
{
	(void)ctx;
	traffic_touch(s);
	if (traffic_rps_now(s) <= 0)
		return false;
	target_group *tgs[2];
	double w[2];
	bool pooled;
	if (elb_forward(s, tgs, w, &pooled) == 0 || pooled)
		return true;
	for (int k = 0; k < 2; k++)
		if (tgs[k] == tg)
			return w[k] > 0;
	return true;
}

/* A deployment is about to shift traffic: the interval so far, with the
 * old weights. */
static void
on_traffic_will_shift(void *ctx, service *s)
{
	(void)ctx;
	traffic_touch(s);
}

/* It shifted: the routes' weights changed (the integration state is
 * rebuilt), and which tasks are busy may have too. */
static void
on_traffic_shifted(void *ctx, service *s)
{
	(void)ctx;
	if (s->traffic != NULL)
		s->traffic->cache_valid = false;
	for (task *t = s->tasks; t; t = t->next)
		sync_cpu(t);
}

void
traffic_start(model *m)
{
	ecs_listener l = {
		.ctx = m,
		.service_created = on_service_created,
		.service_finished = on_service_finished,
		.task_will_change = on_task_will_change,
		.task_changed = on_task_changed,
		.task_health_changed = on_task_health_changed,
		.task_reachability_changed = on_task_reachability,
		.traffic_will_shift = on_traffic_will_shift,
		.traffic_shifted = on_traffic_shifted,
		.fault_window = on_fault_window,
	};
	ecs_subscribe(m, &l);
	m->elb->busy = service_busy;
	m->elb->busy_ctx = m;
}

void
traffic_register(model_cfg *c, scn_spec *sp)
{
	scn_spec_add_section(sp, "workload", traffic_parse, c);
	cfg_add_call(c, sp, "sim:SetLoad", traffic_parse_set_load, traffic_apply_set_load);
}
