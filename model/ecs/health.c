/*
 * health — next-change prediction for ALB target and container health
 * checks (see health.h).
 *
 * The fast path cuts time into segments over which every check has the
 * same result (before ready_at, after breaks_at, PASS, FAIL, FLAKY with p
 * 0 or 1), also cut at grace_end; a run of n identical results is applied
 * in O(1) (apply_run). Only FLAKY checks are evaluated one at a time, with
 * the uniform of their own index (hc_draws).
 *
 * Invariant: apply_run(n) leaves the state exactly as n single checks of
 * the same result would. hc_reference steps with its own rule code
 * (ref_step, ref_result), written from the AWS rules, not from apply_run,
 * so the random equivalence test compares two implementations.
 */
#include "model/ecs/health.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

#define K_INF INT64_MAX        /* "no such check" */
#define RUN_CAP (INT_MAX / 2)  /* runs saturate here (thresholds are <= 10) */

/* ------------------------------------------------------------------ */
/* Settings.                                                           */

const hc_field hc_tg_fields[HC_TG_NFIELDS] = {
	/* [DOC] ranges and HTTP/HTTPS defaults: ALB guide and ELBv2 API
	 * CreateTargetGroup (reference §5.1). */
	{"HealthCheckIntervalSeconds", 5, 300, 30,
	    offsetof(hc_tg_settings, interval)},
	/* [DOC] 5 s per the ALB guide. [UNCONFIRMED] the ELBv2 API text gives
	 * 6 s for HTTP (10 s for HTTPS); which one a new ALB HTTP target group
	 * gets today is open (reference §10.4). The timeout does not move
	 * verdicts here (results count at the check's time), so this only
	 * matters for the timeout < interval rule. */
	{"HealthCheckTimeoutSeconds", 2, 120, 5,
	    offsetof(hc_tg_settings, timeout)},
	{"HealthyThresholdCount", 2, 10, 5,
	    offsetof(hc_tg_settings, healthy_threshold)},
	{"UnhealthyThresholdCount", 2, 10, 2,
	    offsetof(hc_tg_settings, unhealthy_threshold)},
};

const hc_field hc_ctr_fields[HC_CTR_NFIELDS] = {
	/* [DOC] ECS API HealthCheck (reference §4.3). */
	{"interval", 5, 300, 30, offsetof(hc_ctr_settings, interval)},
	{"timeout", 2, 60, 5, offsetof(hc_ctr_settings, timeout)},
	{"retries", 1, 10, 3, offsetof(hc_ctr_settings, retries)},
	{"startPeriod", 0, 300, 0, offsetof(hc_ctr_settings, start_period)},
};

static int
field_get(const void *s, const hc_field *f)
{
	int v;
	memcpy(&v, (const char *)s + f->offset, sizeof(v));
	return v;
}

static void
field_set(void *s, const hc_field *f, int v)
{
	memcpy((char *)s + f->offset, &v, sizeof(v));
}

static void
join_path(char *buf, size_t size, const char *path, const char *name)
{
	if (path != NULL && *path != '\0')
		snprintf(buf, size, "%s.%s", path, name);
	else
		snprintf(buf, size, "%s", name);
}

static int
validate_fields(const void *s, const hc_field *fields, size_t n,
    const char *path, sim_error *err)
{
	for (size_t i = 0; i < n; i++) {
		const hc_field *f = &fields[i];
		int v = field_get(s, f);
		if (v < f->min || v > f->max) {
			char p[256];
			join_path(p, sizeof(p), path, f->name);
			return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, p,
			    "expected an integer in [%d, %d], got %d", f->min,
			    f->max, v);
		}
	}
	return SIM_OK;
}

hc_tg_settings
hc_tg_defaults(void)
{
	hc_tg_settings s;
	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < HC_TG_NFIELDS; i++)
		field_set(&s, &hc_tg_fields[i], hc_tg_fields[i].def);
	s.initial_checks = HC_INITIAL_CHECKS_THRESHOLD;
	s.first_check_delay = HC_DELAY_ONE_INTERVAL;
	return s;
}

hc_ctr_settings
hc_ctr_defaults(void)
{
	hc_ctr_settings s;
	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < HC_CTR_NFIELDS; i++)
		field_set(&s, &hc_ctr_fields[i], hc_ctr_fields[i].def);
	return s;
}

int
hc_tg_validate(const hc_tg_settings *s, const char *path, sim_error *err)
{
	int rc = validate_fields(s, hc_tg_fields, HC_TG_NFIELDS, path, err);
	if (rc != SIM_OK)
		return rc;
	char p[256];
	/* [OBS] ELBv2 rejects a timeout not below the interval with
	 * "ValidationError: Health check interval must be greater than the
	 * timeout." (reported in terraform-provider-aws #2366, tflint-ruleset-aws
	 * #404, kube-ingress-aws-controller #392). Not in the reference; ecsim
	 * enforces it, so interval 5 needs an explicit timeout of 2-4. */
	if (s->timeout >= s->interval) {
		join_path(p, sizeof(p), path, "HealthCheckTimeoutSeconds");
		return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, p,
		    "the timeout (%d s) must be smaller than "
		    "HealthCheckIntervalSeconds (%d s): ELBv2 answers \"Health "
		    "check interval must be greater than the timeout.\"",
		    s->timeout, s->interval);
	}
	if (s->initial_checks != HC_INITIAL_CHECKS_THRESHOLD &&
	    (s->initial_checks < 1 || s->initial_checks > 10)) {
		join_path(p, sizeof(p), path, "initialChecksToHealthy");
		return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, p,
		    "expected 0 (= HealthyThresholdCount) or an integer in "
		    "[1, 10], got %d", s->initial_checks);
	}
	if (s->first_check_delay != HC_DELAY_ONE_INTERVAL &&
	    (s->first_check_delay < 0 ||
	    s->first_check_delay > SIM_DURATION_MAX)) {
		join_path(p, sizeof(p), path, "firstCheckDelay");
		return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, p,
		    "expected a duration >= 0 (or one interval), got %lld us",
		    (long long)s->first_check_delay);
	}
	return SIM_OK;
}

int
hc_ctr_validate(const hc_ctr_settings *s, const char *path, sim_error *err)
{
	/* No timeout < interval rule: the ECS API states none, and Docker
	 * accepts a timeout longer than the interval. */
	return validate_fields(s, hc_ctr_fields, HC_CTR_NFIELDS, path, err);
}

void
hc_tg_assume(recorder *r, const hc_tg_settings *s)
{
	/* initialChecksToHealthy and the first check's time are parameters
	 * (elb.initialChecksToHealthy, elb.firstCheckAt) */
	char v[96];
	snprintf(v, sizeof(v), "%d (UnhealthyThresholdCount)",
	    s->unhealthy_threshold);
	rec_assume(r, "health.alb.initialFailuresToUnhealthy", v, "MODEL",
	    "[INF] a new target that fails its checks goes from initial to "
	    "unhealthy like a healthy one does");
	rec_assume(r, "health.alb.verdictTime", "the check's scheduled time",
	    "MODEL", "[INF] response time and timeouts (< interval) do not delay a "
	    "check's result");
	rec_assume(r, "health.alb.notListeningReason",
	    "Target.FailedHealthChecks", "MODEL",
	    "[INF] connection refused before the application listens");
	rec_assume(r, "health.alb.defaultTimeout", "5s", "UNCONFIRMED",
	    "ALB guide 5 s; ELBv2 API text 6 s for HTTP (reference 10.4); set HealthCheckTimeoutSeconds on the target group");
}

void
hc_ctr_assume(recorder *r, const hc_ctr_settings *s)
{
	char v[64];
	snprintf(v, sizeof(v), "start + interval (%ds)", s->interval);
	rec_assume(r, "health.container.firstCheck", v, "MODEL",
	    "[INF] Docker runs the first check one interval after the container "
	    "starts");
	rec_assume(r, "health.container.schedule", "every interval", "MODEL",
	    "[INF] Docker waits the interval after a check completes; the check's "
	    "own duration (up to the timeout) is not added");
}

/* ------------------------------------------------------------------ */
/* Machine, outcome, state.                                            */

hc_machine
hc_tg_machine(const hc_tg_settings *s, sim_time registered_at)
{
	SIM_ASSERT(registered_at >= 0);
	SIM_ASSERT(s->interval > 0 && s->healthy_threshold > 0 &&
	    s->unhealthy_threshold > 0);
	hc_machine m;
	m.interval = s->interval * SIM_SEC;
	/* [INF] first check one interval after registration by default:
	 * then a target ready at once is healthy interval x threshold after
	 * registration (30 s x 5 = 150 s), the ECS Best Practices figure
	 * (reference §5.1, §7.3). With 0 it would be 120 s. */
	sim_time delay = s->first_check_delay == HC_DELAY_ONE_INTERVAL ?
	    m.interval : s->first_check_delay;
	SIM_ASSERT(delay >= 0);
	m.t0 = registered_at + delay;
	/* [DOC, conflicting] passes needed to leave `initial`: ALB guide 1,
	 * ECS Best Practices arithmetic HealthyThresholdCount (reference §5.1).
	 * [INF] default HealthyThresholdCount: the BP guide's 150 s is what
	 * ECS users see in deployments (reference §7.3 cites it). */
	m.rise_initial = s->initial_checks == HC_INITIAL_CHECKS_THRESHOLD ?
	    s->healthy_threshold : s->initial_checks;
	/* [INF] a new target goes initial -> unhealthy after
	 * UnhealthyThresholdCount consecutive failures, as a healthy one. */
	m.fall_initial = s->unhealthy_threshold;
	/* [DOC] out of service after UnhealthyThresholdCount consecutive
	 * failures, back after HealthyThresholdCount consecutive successes
	 * (ALB guide, reference §5.1). */
	m.rise = s->healthy_threshold;
	m.fall = s->unhealthy_threshold;
	m.grace_end = INT64_MIN;
	return m;
}

hc_machine
hc_ctr_machine(const hc_ctr_settings *s, sim_time started_at)
{
	SIM_ASSERT(started_at >= 0);
	SIM_ASSERT(s->interval > 0 && s->retries > 0 && s->start_period >= 0);
	hc_machine m;
	m.interval = s->interval * SIM_SEC;
	/* [INF] the first check runs one interval after the container starts
	 * (Docker's documented behaviour), then every interval; Docker waits
	 * the interval after a check completes, the check's duration is not
	 * added. */
	m.t0 = started_at + m.interval;
	/* [DOC] a success marks the container HEALTHY (during startPeriod
	 * too); `retries` consecutive failures outside startPeriod mark it
	 * UNHEALTHY (reference §4.3). A success ends the start period: later
	 * failures count even inside it (the grace applies while UNKNOWN). */
	m.rise_initial = 1;
	m.rise = 1;
	m.fall_initial = s->retries;
	m.fall = s->retries;
	/* [INF] a check at exactly start + startPeriod is outside it. */
	m.grace_end = started_at + s->start_period * SIM_SEC;
	return m;
}

static void
check_machine(const hc_machine *m)
{
	SIM_ASSERT(m->t0 >= 0 && m->interval > 0);
	SIM_ASSERT(m->rise_initial >= 1 && m->fall_initial >= 1);
	SIM_ASSERT(m->rise >= 1 && m->fall >= 1);
}

static void
check_outcome(const hc_outcome *o)
{
	SIM_ASSERT(o->kind == HC_PASS || o->kind == HC_FAIL ||
	    o->kind == HC_FLAKY);
	SIM_ASSERT(o->kind != HC_FLAKY || (o->p >= 0 && o->p <= 1));
	SIM_ASSERT(o->fail != HC_CHECK_OK && o->broken != HC_CHECK_OK);
}

sim_time
hc_check_time(const hc_machine *m, int64_t k)
{
	SIM_ASSERT(k >= 0);
	if (k > (SIM_TIME_MAX - m->t0) / m->interval)
		return SIM_TIME_MAX;
	return m->t0 + k * m->interval;
}

/* The first check at or after t; K_INF for t = SIM_TIME_MAX ("never"). */
static int64_t
first_index(const hc_machine *m, sim_time t)
{
	if (t == SIM_TIME_MAX)
		return K_INF;
	if (t <= m->t0)
		return 0;
	sim_time d = t - m->t0;
	int64_t q = d / m->interval;
	if (q * m->interval < d)
		q++;
	return q;
}

hc_outcome
hc_outcome_make(hc_kind kind, double p, sim_time ready_at)
{
	hc_outcome o;
	memset(&o, 0, sizeof(o));
	o.kind = kind;
	o.p = p;
	o.fail = HC_CHECK_CODE;
	o.code = 503;
	o.ready_at = ready_at;
	o.breaks_at = SIM_TIME_MAX;
	o.broken = HC_CHECK_TIMEOUT;
	return o;
}

hc_state
hc_state_initial(void)
{
	hc_state s;
	memset(&s, 0, sizeof(s));
	s.status = HC_INITIAL;
	s.last_fail = HC_CHECK_OK;
	return s;
}

/* ------------------------------------------------------------------ */
/* Draws: uniform k for check k.                                       */

void
hc_draws_init(hc_draws *d, rng *r)
{
	memset(d, 0, sizeof(*d));
	d->r = r;
}

void
hc_draws_free(hc_draws *d)
{
	free(d->buf);
	d->buf = NULL;
	d->head = d->len = d->cap = 0;
}

static void
draws_push(hc_draws *d, double u)
{
	if (d->head + d->len == d->cap) {
		if (d->head > 0 && d->head >= d->cap / 2) {
			memmove(d->buf, d->buf + d->head, d->len * sizeof(*d->buf));
			d->head = 0;
		} else {
			XGROW(d->buf, d->cap, d->head + d->len + 1);
		}
	}
	d->buf[d->head + d->len++] = u;
}

/* Uniform k of the stream (k >= lo). Uniforms of checks below lo are
 * drawn and discarded; those of checks >= lo are kept. */
static double
draws_get(hc_draws *d, int64_t k)
{
	SIM_ASSERT(k >= d->lo);
	while (d->pos <= k) {
		double u = rng_uniform(d->r);
		if (d->pos >= d->lo)
			draws_push(d, u);
		d->pos++;
	}
	int64_t start = d->pos - (int64_t)d->len;
	SIM_ASSERT(k >= start);
	return d->buf[d->head + (size_t)(k - start)];
}

/* Checks below k are done: forget their uniforms. */
static void
draws_release(hc_draws *d, int64_t k)
{
	if (k <= d->lo)
		return;
	d->lo = k;
	int64_t start = d->pos - (int64_t)d->len;
	if (k > start) {
		int64_t drop = k - start;
		if (drop > (int64_t)d->len)
			drop = (int64_t)d->len;
		d->head += (size_t)drop;
		d->len -= (size_t)drop;
		if (d->len == 0)
			d->head = 0;
	}
}

/* ------------------------------------------------------------------ */
/* The fast path.                                                      */

static int
sat_add(int a, int64_t n)
{
	return n >= (int64_t)(RUN_CAP - a) ? RUN_CAP : (int)(a + n);
}

static int
result_code(const hc_outcome *o, hc_check c)
{
	return c == HC_CHECK_CODE ? o->code : 0;
}

/* A failure of a check at time t that does not count (container
 * startPeriod, while UNKNOWN). */
static bool
suppressed(const hc_machine *m, const hc_state *st, sim_time t)
{
	return st->status == HC_INITIAL && t < m->grace_end;
}

/*
 * The result of checks at times from t on, while it stays constant: sets
 * *c (and *code) and returns true, or returns false (FLAKY: a draw per
 * check). Sets *end to where the segment ends (exclusive; SIM_TIME_MAX:
 * never): the next of ready_at, breaks_at, grace_end after t.
 */
static bool
classify(const hc_machine *m, const hc_outcome *o, sim_time t, hc_check *c,
    int *code, sim_time *end)
{
	sim_time e = SIM_TIME_MAX;
	if (o->ready_at > t)
		e = o->ready_at;
	if (o->breaks_at > t && o->breaks_at < e)
		e = o->breaks_at;
	if (m->grace_end > t && m->grace_end < e)
		e = m->grace_end;
	*end = e;
	if (t < o->ready_at)
		*c = HC_CHECK_REFUSED;
	else if (t >= o->breaks_at)
		*c = o->broken;
	else if (o->kind == HC_PASS || (o->kind == HC_FLAKY && o->p >= 1))
		*c = HC_CHECK_OK;
	else if (o->kind == HC_FAIL || (o->kind == HC_FLAKY && o->p <= 0))
		*c = o->fail;
	else
		return false;
	*code = result_code(o, *c);
	return true;
}

/* How many checks with result c, from time t on (not crossing grace_end),
 * until the status changes: >= 1, or 0 if it never does. */
static int64_t
run_offset(const hc_machine *m, const hc_state *st, hc_check c, sim_time t)
{
	int need, have;
	if (c == HC_CHECK_OK) {
		need = st->status == HC_INITIAL ? m->rise_initial :
		    st->status == HC_UNHEALTHY ? m->rise : 0;
		have = st->succ;
	} else {
		if (suppressed(m, st, t))
			return 0;
		need = st->status == HC_INITIAL ? m->fall_initial :
		    st->status == HC_HEALTHY ? m->fall : 0;
		have = st->fail;
	}
	if (need == 0)
		return 0;
	return have < need ? need - have : 1;
}

/* Apply n >= 1 checks with result c from time t on (not crossing
 * grace_end). The status changes at most once in such a run (a run of
 * passes ends HEALTHY, of failures UNHEALTHY). Returns 1 if it changed. */
static int
apply_run(const hc_machine *m, hc_state *st, hc_check c, int code,
    sim_time t, int64_t n)
{
	int64_t j = run_offset(m, st, c, t);
	int changed = j != 0 && j <= n;
	if (c == HC_CHECK_OK) {
		st->fail = 0;
		st->succ = sat_add(st->succ, n);
		if (changed)
			st->status = HC_HEALTHY;
	} else {
		bool counted = !suppressed(m, st, t);
		st->succ = 0;
		st->last_fail = c;
		st->last_code = code;
		if (counted) {
			st->fail = sat_add(st->fail, n);
			if (changed)
				st->status = HC_UNHEALTHY;
		}
	}
	st->next += n;
	return changed;
}

static int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

hc_next
hc_predict(const hc_machine *m, const hc_outcome *o, const hc_state *st0,
    hc_draws *d, sim_time horizon, int64_t max_checks, hc_change *out)
{
	check_machine(m);
	check_outcome(o);
	SIM_ASSERT(st0->next >= d->lo);
	hc_state st = *st0;
	if (max_checks <= 0)
		max_checks = HC_LOOKAHEAD;
	int64_t kh = horizon == SIM_TIME_MAX ? K_INF :
	    first_index(m, horizon + 1);
	int64_t kl = st.next > K_INF - max_checks ? K_INF :
	    st.next + max_checks;
	int64_t kend = min64(kh, kl);

	out->time = SIM_TIME_MAX;
	out->after = *st0;
	for (;;) {
		int64_t k = st.next;
		if (k >= kend) {
			if (kend == kh) {
				out->kind = HC_HORIZON;
			} else {
				out->kind = HC_LIMIT;
				out->time = hc_check_time(m, k - 1);
				out->after = st;
			}
			return out->kind;
		}
		sim_time t = hc_check_time(m, k);
		hc_check c;
		int code;
		sim_time end;
		if (!classify(m, o, t, &c, &code, &end)) {
			bool ok = draws_get(d, k) < o->p;
			c = ok ? HC_CHECK_OK : o->fail;
			if (apply_run(m, &st, c, result_code(o, c), t, 1)) {
				out->kind = HC_CHANGE;
				out->time = t;
				out->after = st;
				return out->kind;
			}
			continue;
		}
		int64_t kseg = first_index(m, end); /* > k: t < end */
		int64_t j = run_offset(m, &st, c, t);
		if (j != 0 && j <= kseg - k) {
			if (j <= kend - k) {
				apply_run(m, &st, c, code, t, j);
				out->kind = HC_CHANGE;
				out->time = hc_check_time(m, k + j - 1);
				out->after = st;
				return out->kind;
			}
			apply_run(m, &st, c, code, t, kend - k);
			continue;
		}
		if (kseg == K_INF) {
			/* the result is this forever and cannot move the status */
			out->kind = HC_NEVER;
			return out->kind;
		}
		apply_run(m, &st, c, code, t, min64(kseg, kend) - k);
	}
}

void
hc_adopt(hc_state *st, hc_draws *d, const hc_change *c)
{
	SIM_ASSERT(c->kind == HC_CHANGE || c->kind == HC_LIMIT);
	SIM_ASSERT(c->after.next > st->next);
	*st = c->after;
	draws_release(d, st->next);
}

int
hc_advance(const hc_machine *m, const hc_outcome *o, hc_state *st,
    hc_draws *d, sim_time t, hc_change *passed)
{
	check_machine(m);
	check_outcome(o);
	SIM_ASSERT(t < SIM_TIME_MAX);
	SIM_ASSERT(st->next >= d->lo);
	int64_t kend = first_index(m, t + 1); /* checks at times <= t */
	int changes = 0;
	while (st->next < kend) {
		int64_t k = st->next;
		sim_time tk = hc_check_time(m, k);
		hc_check c;
		int code;
		sim_time end;
		int64_t n = 1, j = 1;
		if (classify(m, o, tk, &c, &code, &end)) {
			n = min64(first_index(m, end), kend) - k;
			j = run_offset(m, st, c, tk);
		} else {
			c = draws_get(d, k) < o->p ? HC_CHECK_OK : o->fail;
			code = result_code(o, c);
		}
		/* stop right after a change to report the state there */
		if (j != 0 && j < n)
			n = j;
		if (apply_run(m, st, c, code, tk, n)) {
			changes++;
			if (passed != NULL) {
				passed->kind = HC_CHANGE;
				passed->time = hc_check_time(m, st->next - 1);
				passed->after = *st;
			}
		}
	}
	draws_release(d, st->next);
	return changes;
}

/* ------------------------------------------------------------------ */
/* The reference: one check at a time, the rules as AWS states them.   */

static hc_check
ref_result(const hc_outcome *o, sim_time t, double u)
{
	if (t < o->ready_at)
		return HC_CHECK_REFUSED; /* not listening yet */
	if (t >= o->breaks_at)
		return o->broken;
	switch (o->kind) {
	case HC_PASS:
		return HC_CHECK_OK;
	case HC_FAIL:
		return o->fail;
	case HC_FLAKY:
		return u < o->p ? HC_CHECK_OK : o->fail;
	}
	sim_panic(__FILE__, __LINE__, "bad outcome kind %d", (int)o->kind);
}

static bool
ref_step(const hc_machine *m, hc_state *st, hc_check c, int code,
    sim_time t)
{
	hc_status before = st->status;
	if (c == HC_CHECK_OK) {
		st->fail = 0;
		if (st->succ < RUN_CAP)
			st->succ++;
		if ((before == HC_INITIAL && st->succ >= m->rise_initial) ||
		    (before == HC_UNHEALTHY && st->succ >= m->rise))
			st->status = HC_HEALTHY;
	} else {
		st->succ = 0;
		st->last_fail = c;
		st->last_code = code;
		/* startPeriod: failures while UNKNOWN and inside it don't count */
		bool counted = !(before == HC_INITIAL && t < m->grace_end);
		if (counted) {
			if (st->fail < RUN_CAP)
				st->fail++;
			if ((before == HC_INITIAL && st->fail >= m->fall_initial) ||
			    (before == HC_HEALTHY && st->fail >= m->fall))
				st->status = HC_UNHEALTHY;
		}
	}
	st->next++;
	return st->status != before;
}

size_t
hc_reference(const hc_machine *m, const hc_phase *phases, size_t nphases,
    rng *r, sim_time horizon, hc_change *out, size_t cap)
{
	check_machine(m);
	SIM_ASSERT(nphases >= 1);
	SIM_ASSERT(horizon < SIM_TIME_MAX);
	for (size_t i = 0; i < nphases; i++) {
		check_outcome(&phases[i].outcome);
		SIM_ASSERT(i < 2 || phases[i].from >= phases[i - 1].from);
	}
	hc_state st = hc_state_initial();
	size_t n = 0, ph = 0;
	for (int64_t k = 0;; k++) {
		sim_time t = hc_check_time(m, k);
		if (t > horizon)
			break;
		while (ph + 1 < nphases && phases[ph + 1].from < t)
			ph++;
		const hc_outcome *o = &phases[ph].outcome;
		double u = rng_uniform(r); /* uniform k, used or not */
		hc_check c = ref_result(o, t, u);
		if (ref_step(m, &st, c, c == HC_CHECK_CODE ? o->code : 0, t)) {
			if (n < cap) {
				out[n].kind = HC_CHANGE;
				out[n].time = t;
				out[n].after = st;
			}
			n++;
		}
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Names and texts.                                                    */

const char *
hc_tg_state_name(hc_status s)
{
	switch (s) {
	case HC_INITIAL:
		return "initial";
	case HC_HEALTHY:
		return "healthy";
	case HC_UNHEALTHY:
		return "unhealthy";
	}
	return "?";
}

const char *
hc_ctr_status_name(hc_status s)
{
	switch (s) {
	case HC_INITIAL:
		return "UNKNOWN";
	case HC_HEALTHY:
		return "HEALTHY";
	case HC_UNHEALTHY:
		return "UNHEALTHY";
	}
	return "?";
}

/* [DOC] reason codes per state: ELBv2 TargetHealth (reference §5.2);
 * descriptions as seen in ECS service events (reference §4.6, [OBS]).
 * [INF] nothing listening yet (before ready_at) is a connection failure:
 * Target.FailedHealthChecks, "Health checks failed". */
const char *
hc_tg_reason(const hc_state *st)
{
	switch (st->status) {
	case HC_INITIAL:
		return "Elb.InitialHealthChecking";
	case HC_HEALTHY:
		return NULL;
	case HC_UNHEALTHY:
		break;
	}
	switch (st->last_fail) {
	case HC_CHECK_TIMEOUT:
		return "Target.Timeout";
	case HC_CHECK_CODE:
		return "Target.ResponseCodeMismatch";
	case HC_CHECK_OK:
	case HC_CHECK_REFUSED:
		break;
	}
	return "Target.FailedHealthChecks";
}

char *
hc_tg_description(const hc_state *st, char *buf, size_t size)
{
	switch (st->status) {
	case HC_INITIAL:
		snprintf(buf, size, "Initial health checks in progress");
		return buf;
	case HC_HEALTHY:
		snprintf(buf, size, "%s", "");
		return buf;
	case HC_UNHEALTHY:
		break;
	}
	switch (st->last_fail) {
	case HC_CHECK_TIMEOUT:
		snprintf(buf, size, "Request timed out");
		break;
	case HC_CHECK_CODE:
		snprintf(buf, size, "Health checks failed with these codes: [%d]",
		    st->last_code);
		break;
	case HC_CHECK_OK:
	case HC_CHECK_REFUSED:
		snprintf(buf, size, "Health checks failed");
		break;
	}
	return buf;
}
