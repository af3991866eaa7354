/*
 * elb — target groups, load balancers, and the targets of service tasks
 * (see elb.h).
 *
 * Target health is never polled: each target keeps a model/ecs/health.h
 * checker and one pending event at its next predicted state change.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ecs/ecs_cfg.h"
#include "model/ecs/listeners.h"
#include "model/elbv2/elb.h"
#include "sim/xalloc.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* [INF] How a new target's health starts (reference §5.1, §7.3): the ALB
 * guide says one passing check makes it healthy; ECS Best Practices'
 * arithmetic (and what deployments show) is HealthyThresholdCount checks;
 * the first check one interval after registration, or at it. */
typedef struct elb_params {
	int initial_checks;  /* 0: HealthyThresholdCount, 1: one check */
	int first_check;     /* 0: one interval after registration, 1: at it */
} elb_params;

static const char *const initial_names[] = {"HealthyThresholdCount", "1"};
static const char *const first_names[] = {"one interval after registration", "at registration"};

static const param_def elb_defs[] = {
	{.name = "elb.initialChecksToHealthy", .tag = "INF", .type = PT_ENUM,
	    .note = "passing checks a new target needs: ECS Best Practices' interval x HealthyThresholdCount (30 s x 5 = 150 s, what deployments show) or the ALB guide's one; Elb.InitialHealthChecking is 'the minimum number of health checks'",
	    .offset = offsetof(elb_params, initial_checks), .names = initial_names, .nnames = 2},
	{.name = "elb.firstCheckAt", .tag = "INF", .type = PT_ENUM,
	    .note = "when a new target is checked first; one interval makes time to healthy interval x threshold, the Best Practices arithmetic",
	    .offset = offsetof(elb_params, first_check), .names = first_names, .nnames = 2},
};

static bool
elb_listed(const model_cfg *c)
{
	return c->elb != NULL && c->elb->ntgs > 0;
}

/* ---------------------------------------------------------------- */
/* Configuration.                                                    */

static elb_cfg *
cfg_elb(model_cfg *c)
{
	if (c->elb == NULL)
		c->elb = ARENA_NEW(c->a, elb_cfg);
	return c->elb;
}

static const char *
name_from_ref(const char *ref, const char *kind)
{
	/* arn:aws:elasticloadbalancing:r:a:targetgroup/NAME/ID */
	char pat[40];
	snprintf(pat, sizeof(pat), ":%s/", kind);
	const char *p = strstr(ref, pat);
	if (strncmp(ref, "arn:", 4) != 0 || p == NULL)
		return NULL;
	return p + strlen(pat);
}

const tg_cfg *
elb_cfg_find_tg(const elb_cfg *e, const char *ref)
{
	if (e == NULL)
		return NULL;
	const char *n = name_from_ref(ref, "targetgroup");
	size_t len = n ? strcspn(n, "/") : strlen(ref);
	if (n == NULL)
		n = ref;
	for (int i = 0; i < e->ntgs; i++)
		if (strlen(e->tgs[i]->name) == len && strncmp(e->tgs[i]->name, n, len) == 0)
			return e->tgs[i];
	return NULL;
}

const alb_cfg *
elb_cfg_find_lb(const elb_cfg *e, const char *name)
{
	if (e == NULL)
		return NULL;
	const char *n = name_from_ref(name, "loadbalancer");
	/* arn …:loadbalancer/app/NAME/ID */
	if (n && strncmp(n, "app/", 4) == 0)
		n += 4;
	size_t len = n ? strcspn(n, "/") : strlen(name);
	if (n == NULL)
		n = name;
	for (int i = 0; i < e->nlbs; i++)
		if (strlen(e->lbs[i]->name) == len && strncmp(e->lbs[i]->name, n, len) == 0)
			return e->lbs[i];
	return NULL;
}

static const char *const tg_noeffect[] = {
	"VpcId", "HealthCheckProtocol", "HealthCheckPort", "Tags",
	"IpAddressType", "ProtocolVersion", "TargetControlPort",
};

static const char *const tg_readonly[] = {
	"TargetGroupArn", "LoadBalancerArns",
};

/* [DOC ELB ALB guide] an application load balancer's listeners (HTTP,
 * HTTPS) forward to HTTP or HTTPS target groups only. */
static int
check_alb_target(const jr_val *v, const listener_cfg *l, const tg_cfg *tg,
    sim_error *err)
{
	if (strcmp(tg->protocol, "HTTP") == 0 || strcmp(tg->protocol, "HTTPS") == 0)
		return 0;
	return jr_fail(v, err, "the %s listener on port %d forwards to target group \"%s\", whose protocol is %s; an application load balancer forwards to HTTP or HTTPS target groups",
	    l->protocol, l->port, tg->name, tg->protocol);
}

/* Attributes [DOC API TargetGroupAttribute]: values are strings. */
static int
parse_attributes(model_cfg *c, const jr_val *v, tg_cfg *tg, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	for (int i = 0; i < n; i++) {
		jr_val e, kv, vv;
		jr_obj o;
		const char *key, *val;
		jr_elem(v, i, &e);
		if ((rc = jr_object(&e, &o, err)) || (rc = jr_need(&o, "Key", &kv, err)) ||
		    (rc = jr_str(&kv, &key, err)) || (rc = jr_need(&o, "Value", &vv, err)) ||
		    (rc = jr_str(&vv, &val, err)) || (rc = jr_done(&o, err)))
			return rc;
		char *end;
		long x = strtol(val, &end, 10);
		bool num = *val != '\0' && *end == '\0';
		if (strcmp(key, "deregistration_delay.timeout_seconds") == 0) {
			if (!num || x < 0 || x > 3600)
				return jr_fail(&vv, err, "deregistration_delay.timeout_seconds must be 0-3600, got \"%s\"", val);
			tg->dereg_delay = x * SIM_SEC;
		} else if (strcmp(key, "slow_start.duration_seconds") == 0) {
			if (!num || !(x == 0 || (x >= 30 && x <= 900)))
				return jr_fail(&vv, err, "slow_start.duration_seconds must be 0 or 30-900, got \"%s\"", val);
			tg->slow_start = x * SIM_SEC;
		} else if (strcmp(key, "load_balancing.algorithm.type") == 0) {
			static const char *const algs[] = {"round_robin", "least_outstanding_requests", "weighted_random"};
			int k;
			if ((rc = jr_enum(&vv, algs, 3, &k, err)))
				return rc;
			tg->algorithm = (tg_algorithm)k;
		} else if (strcmp(key, "load_balancing.cross_zone.enabled") == 0) {
			/* [DOC disable-cross-zone.html] an ALB balances across
			 * zones; a target group may turn it off */
			static const char *const cz[] = {"true", "false", "use_load_balancer_configuration"};
			int k;
			if ((rc = jr_enum(&vv, cz, 3, &k, err)))
				return rc;
			tg->cross_zone_off = k == 1;
		} else if (strcmp(key, "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count") == 0) {
			if (!num || x < 1)
				return jr_fail(&vv, err, "minimum_healthy_targets.count must be a positive integer, got \"%s\"", val);
			tg->min_healthy_targets = (int)x;
		} else {
			cfg_note(c, &e);
		}
	}
	/* [DOC] slow start cannot be combined with least outstanding requests */
	if (tg->slow_start > 0 && tg->algorithm == TG_LEAST_OUTSTANDING)
		return jr_fail(v, err, "slow_start cannot be enabled with the least_outstanding_requests algorithm");
	return 0;
}

/* [DOC API CreateTargetGroup] Name: at most 32 characters, alphanumeric
 * or hyphens, not beginning or ending with a hyphen. */
static int
check_tg_name(const jr_val *v, const char *name, sim_error *err)
{
	size_t n = strlen(name);
	if (n == 0 || n > 32)
		return jr_fail(v, err, "a target group name has 1 to 32 characters, got %zu", n);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-')
			return jr_fail(v, err, "a target group name may only hold letters, digits and hyphens, got \"%s\"", name);
	if (name[0] == '-' || name[n - 1] == '-')
		return jr_fail(v, err, "a target group name must not begin or end with a hyphen, got \"%s\"", name);
	return 0;
}

static int
parse_tg(model_cfg *c, const jr_val *v, tg_cfg **out, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	tg_cfg *tg = ARENA_NEW(c->a, tg_cfg);
	tg->pos = jr_where(v);
	tg->hc = hc_tg_defaults();
	const elb_params *ep = cfg_params(c, elb_defs);
	if (ep->initial_checks == 1)
		tg->hc.initial_checks = 1;
	if (ep->first_check == 1)
		tg->hc.first_check_delay = 0;
	tg->dereg_delay = 300 * SIM_SEC; /* [DOC] */
	tg->min_healthy_targets = 1;     /* [DOC] */
	static const char *const protos[] = {"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"};
	static const char *const types[] = {"instance", "ip", "lambda", "alb"};
	int pr, ty;
	/* create-target-group input says "Name"; describe-target-groups
	 * output "TargetGroupName" */
	jr_val nv;
	bool has_name = jr_get(&o, "Name", &nv);
	jr_val dv;
	if (jr_get(&o, "TargetGroupName", &dv)) {
		if (has_name)
			return jr_fail(&dv, err, "give the name once: \"Name\" (create-target-group input) or \"TargetGroupName\" (describe-target-groups output)");
		nv = dv;
		has_name = true;
	}
	if (!has_name)
		return jr_fail(v, err, "missing required key 'Name' (or 'TargetGroupName' of describe-target-groups output)");
	if ((rc = jr_str(&nv, &tg->name, err)) || (rc = check_tg_name(&nv, tg->name, err)))
		return rc;
	if ((rc = jr_opt_enum(&o, "Protocol", protos, NELEM(protos), 0, &pr, err)) ||
	    (rc = jr_opt_int32(&o, "Port", 1, 65535, 80, &tg->port, err)) ||
	    (rc = jr_opt_enum(&o, "TargetType", types, 4, 0, &ty, err)) ||
	    (rc = jr_opt_str(&o, "HealthCheckPath", "/", &tg->hc_path, err)))
		return rc;
	tg->protocol = protos[pr];
	if (ty >= 2) {
		jr_get(&o, "TargetType", &x);
		return jr_fail(&x, err, "TargetType %s cannot hold ECS tasks (use instance or ip)", types[ty]);
	}
	tg->target_ip = ty == 1;
	/* Integer health-check settings, ranges from model/ecs/health.h [DOC]. */
	for (int i = 0; i < HC_TG_NFIELDS; i++) {
		const hc_field *f = &hc_tg_fields[i];
		int *field = (int *)(void *)((char *)&tg->hc + f->offset);
		if ((rc = jr_opt_int32(&o, f->name, f->min, f->max, *field, field, err)))
			return rc;
	}
	char path[300];
	jr_pos pos = jr_where(v);
	snprintf(path, sizeof(path), "%s", pos.path);
	sim_error e2;
	if (hc_tg_validate(&tg->hc, path, &e2) != 0) {
		/* point at the field the rule names */
		const char *dot = strrchr(e2.path, '.');
		if (dot && jr_get(&o, dot + 1, &x))
			return jr_fail(&x, err, "%s", e2.msg);
		return jr_fail(v, err, "%s", e2.msg);
	}
	bool enabled = true;
	if ((rc = jr_opt_bool(&o, "HealthCheckEnabled", true, &enabled, err)))
		return rc;
	if (!enabled) {
		jr_get(&o, "HealthCheckEnabled", &x);
		return jr_fail(&x, err, "HealthCheckEnabled false is only allowed for lambda target groups");
	}
	if (jr_get(&o, "Matcher", &x)) {
		jr_obj mo;
		if ((rc = jr_object(&x, &mo, err)) ||
		    (rc = jr_opt_str(&mo, "HttpCode", "200", &tg->matcher, err)))
			return rc;
		jr_ignore(&mo, "GrpcCode");
		if ((rc = jr_done(&mo, err)))
			return rc;
	} else {
		tg->matcher = "200";
	}
	if (jr_get(&o, "Attributes", &x) && (rc = parse_attributes(c, &x, tg, err)))
		return rc;
	for (int i = 0; i < NELEM(tg_noeffect); i++)
		if (jr_get(&o, tg_noeffect[i], &x))
			cfg_note(c, &x);
	for (int i = 0; i < NELEM(tg_readonly); i++)
		jr_ignore(&o, tg_readonly[i]);
	if ((rc = jr_done(&o, err)))
		return rc;
	char hex[17];
	uint64_t h = rng_fnv1a64(tg->name);
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	tg->arn = arena_printf(c->a, "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s",
	    c->params.region, c->params.account, tg->name, hex);
	*out = tg;
	return 0;
}

static void *
grow(arena *a, void *old, int n, int *cap, size_t elsize)
{
	if (n < *cap)
		return old;
	int ncap = *cap ? *cap * 2 : 8;
	void *p = arena_calloc(a, (size_t)ncap, elsize);
	if (n)
		memcpy(p, old, (size_t)n * elsize);
	*cap = ncap;
	return p;
}

int
elb_parse_target_groups(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	elb_cfg *e = cfg_elb(c);
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	for (int i = 0; i < n; i++) {
		jr_val el;
		jr_obj o;
		jr_elem(v, i, &el);
		/* describe-target-groups output: {"TargetGroups": [...]} */
		if ((rc = jr_object(&el, &o, err)) != 0)
			return rc;
		jr_val inner;
		if (jr_get(&o, "TargetGroups", &inner)) {
			if ((rc = jr_done(&o, err)) || (rc = elb_parse_target_groups(ctx, &inner, err)))
				return rc;
			continue;
		}
		tg_cfg *tg = NULL;
		if ((rc = parse_tg(c, &el, &tg, err)) != 0)
			return rc;
		if (elb_cfg_find_tg(e, tg->name) != NULL) {
			jr_val nv;
			jr_get(&o, "Name", &nv);
			return jr_fail(&nv, err, "a target group named \"%s\" is already defined", tg->name);
		}
		e->tgs = grow(c->a, e->tgs, e->ntgs, &e->captgs, sizeof(*e->tgs));
		e->tgs[e->ntgs++] = tg;
	}
	return 0;
}

static int
parse_actions(const jr_val *v, const char **tg_ref, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	if (n != 1)
		return jr_fail(v, err, "expected exactly one forward action, got %d actions", n);
	jr_val e;
	jr_obj o;
	jr_elem(v, 0, &e);
	static const char *const kinds[] = {"forward", "redirect", "fixed-response",
	    "authenticate-oidc", "authenticate-cognito"};
	int k;
	if ((rc = jr_object(&e, &o, err)) || (rc = jr_req_enum(&o, "Type", kinds, 5, &k, err)))
		return rc;
	if (k != 0)
		return jr_fail(&e, err, "only forward actions are simulated, got %s", kinds[k]);
	jr_val t;
	if (jr_get(&o, "TargetGroupArn", &t)) {
		if ((rc = jr_str(&t, tg_ref, err)))
			return rc;
	} else {
		return jr_fail(&e, err, "missing required key 'TargetGroupArn'");
	}
	jr_ignore(&o, "Order");
	return jr_done(&o, err);
}

static int
parse_rule(model_cfg *c, const jr_val *v, lb_rule_cfg *r, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc, n;
	if ((rc = jr_object(v, &o, err)) ||
	    (rc = jr_req_int32(&o, "Priority", 1, 50000, &r->priority, err)) ||
	    (rc = jr_need(&o, "Conditions", &x, err)) || (rc = jr_array(&x, &n, err)))
		return rc;
	for (int i = 0; i < n; i++) {
		jr_val e, vals;
		jr_obj co;
		const char *field;
		jr_elem(&x, i, &e);
		if ((rc = jr_object(&e, &co, err)) || (rc = jr_req_str(&co, "Field", &field, err)))
			return rc;
		if (r->npaths > 0)
			return jr_fail(&e, err, "a rule takes one path-pattern condition (list several values in it)");
		if (strcmp(field, "path-pattern") != 0) {
			jr_val fv;
			jr_get(&co, "Field", &fv);
			return jr_fail(&fv, err, "only path-pattern conditions are simulated, got \"%s\"", field);
		}
		int nv;
		jr_obj po; /* outlives the block: vals may point into it */
		if (jr_get(&co, "PathPatternConfig", &vals)) {
			if ((rc = jr_object(&vals, &po, err)) || (rc = jr_need(&po, "Values", &vals, err)) ||
			    (rc = jr_done(&po, err)))
				return rc;
		} else if ((rc = jr_need(&co, "Values", &vals, err))) {
			return rc;
		}
		if ((rc = jr_array(&vals, &nv, err)) || (rc = jr_done(&co, err)))
			return rc;
		r->paths = ARENA_ARRAY(c->a, const char *, (size_t)(nv ? nv : 1));
		r->npaths = nv;
		for (int k = 0; k < nv; k++) {
			jr_val pv;
			jr_elem(&vals, k, &pv);
			if ((rc = jr_str(&pv, &r->paths[k], err)))
				return rc;
		}
	}
	if ((rc = jr_need(&o, "Actions", &x, err)) || (rc = parse_actions(&x, &r->tg_ref, err)))
		return rc;
	r->tg = elb_cfg_find_tg(c->elb, r->tg_ref);
	if (r->tg == NULL) {
		jr_get(&o, "Actions", &x);
		return jr_fail(&x, err, "target group \"%s\" is not defined in targetGroups", r->tg_ref);
	}
	jr_ignore(&o, "ListenerArn");
	jr_ignore(&o, "Tags");
	return jr_done(&o, err);
}

static int
cmp_rule(const void *a, const void *b)
{
	const lb_rule_cfg *x = a, *y = b;
	return (x->priority > y->priority) - (x->priority < y->priority);
}

static int
parse_listener(model_cfg *c, const jr_val *v, listener_cfg *l, sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc, n;
	static const char *const protos[] = {"HTTP", "HTTPS"};
	int pr;
	if ((rc = jr_object(v, &o, err)) ||
	    (rc = jr_req_int32(&o, "Port", 1, 65535, &l->port, err)) ||
	    (rc = jr_opt_enum(&o, "Protocol", protos, 2, 0, &pr, err)) ||
	    (rc = jr_need(&o, "DefaultActions", &x, err)) ||
	    (rc = parse_actions(&x, &l->default_tg_ref, err)))
		return rc;
	l->protocol = protos[pr];
	l->default_tg = elb_cfg_find_tg(c->elb, l->default_tg_ref);
	if (l->default_tg == NULL)
		return jr_fail(&x, err, "target group \"%s\" is not defined in targetGroups", l->default_tg_ref);
	if ((rc = check_alb_target(&x, l, l->default_tg, err)))
		return rc;
	if (jr_get(&o, "Rules", &x)) {
		if ((rc = jr_array(&x, &n, err)))
			return rc;
		l->rules = ARENA_ARRAY(c->a, lb_rule_cfg, (size_t)(n ? n : 1));
		l->nrules = n;
		for (int i = 0; i < n; i++) {
			jr_val e;
			jr_elem(&x, i, &e);
			if ((rc = parse_rule(c, &e, &l->rules[i], err)) ||
			    (rc = check_alb_target(&e, l, l->rules[i].tg, err)))
				return rc;
			for (int k = 0; k < i; k++)
				if (l->rules[k].priority == l->rules[i].priority)
					return jr_fail(&e, err, "two rules of this listener have priority %d", l->rules[i].priority);
		}
		qsort(l->rules, (size_t)n, sizeof(*l->rules), cmp_rule);
	}
	static const char *const lnoeffect[] = {"SslPolicy", "Certificates", "AlpnPolicy", "Tags", "LoadBalancerArn", "MutualAuthentication"};
	for (int i = 0; i < NELEM(lnoeffect); i++)
		if (jr_get(&o, lnoeffect[i], &x))
			cfg_note(c, &x);
	return jr_done(&o, err);
}

int
elb_parse_load_balancers(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	elb_cfg *e = cfg_elb(c);
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	for (int i = 0; i < n; i++) {
		jr_val el, x;
		jr_obj o;
		jr_elem(v, i, &el);
		alb_cfg *lb = ARENA_NEW(c->a, alb_cfg);
		lb->pos = jr_where(&el);
		static const char *const types[] = {"application", "network", "gateway"};
		int ty, nl;
		if ((rc = jr_object(&el, &o, err)) || (rc = jr_req_str(&o, "Name", &lb->name, err)) ||
		    (rc = jr_opt_enum(&o, "Type", types, 3, 0, &ty, err)))
			return rc;
		if (ty != 0) {
			jr_get(&o, "Type", &x);
			return jr_fail(&x, err, "only application load balancers are simulated, got %s", types[ty]);
		}
		if (elb_cfg_find_lb(e, lb->name) != NULL)
			return jr_fail(&el, err, "a load balancer named \"%s\" is already defined", lb->name);
		if ((rc = jr_need(&o, "Listeners", &x, err)) || (rc = jr_array(&x, &nl, err)))
			return rc;
		lb->listeners = ARENA_ARRAY(c->a, listener_cfg, (size_t)(nl ? nl : 1));
		lb->nlisteners = nl;
		for (int k = 0; k < nl; k++) {
			jr_val le;
			jr_elem(&x, k, &le);
			if ((rc = parse_listener(c, &le, &lb->listeners[k], err)))
				return rc;
		}
		static const char *const noeffect[] = {"Subnets", "SubnetMappings", "SecurityGroups",
		    "Scheme", "Tags", "IpAddressType", "CustomerOwnedIpv4Pool", "EnablePrefixForIpv6SourceNat"};
		for (int k = 0; k < NELEM(noeffect); k++)
			if (jr_get(&o, noeffect[k], &x))
				cfg_note(c, &x);
		jr_ignore(&o, "LoadBalancerArn");
		if ((rc = jr_done(&o, err)))
			return rc;
		char hex[17];
		snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)rng_fnv1a64(lb->name));
		lb->arn = arena_printf(c->a, "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s",
		    c->params.region, c->params.account, lb->name, hex);
		e->lbs = grow(c->a, e->lbs, e->nlbs, &e->caplbs, sizeof(*e->lbs));
		e->lbs[e->nlbs++] = lb;
	}
	return 0;
}

/* [DOC] path-pattern: case-sensitive, '*' matches any characters, '?'
 * exactly one. */
bool
elb_path_match(const char *p, const char *s)
{
	if (*p == '\0')
		return *s == '\0';
	if (*p == '*') {
		for (const char *q = s;; q++) {
			if (elb_path_match(p + 1, q))
				return true;
			if (*q == '\0')
				return false;
		}
	}
	if (*s == '\0')
		return false;
	if (*p == '?' || *p == *s)
		return elb_path_match(p + 1, s + 1);
	return false;
}

const tg_cfg *
elb_route(const alb_cfg *lb, int port, const char *path)
{
	for (int i = 0; i < lb->nlisteners; i++) {
		const listener_cfg *l = &lb->listeners[i];
		if (port != 0 && l->port != port)
			continue;
		for (int r = 0; r < l->nrules; r++)
			for (int k = 0; k < l->rules[r].npaths; k++)
				if (elb_path_match(l->rules[r].paths[k], path))
					return l->rules[r].tg;
		return l->default_tg;
	}
	return NULL;
}

/* ---------------------------------------------------------------- */
/* Run time.                                                         */

static void tgt_fire(engine *e, void *obj, uint64_t arg);

static void on_service_bindings(void *ctx, service *s);
static void on_task_running(void *ctx, task *t);
static bool on_task_deactivating(void *ctx, task *t, bool immediate);
static void on_task_gone(void *ctx, task *t);
static bool on_task_target_unhealthy(void *ctx, const task *t);
static bool on_explain_unhealthy(void *ctx, task *t);
static void on_task_reachability(void *ctx, task *t);

void
elb_start(model *m)
{
	const elb_cfg *c = m->cfg->elb;
	m->elb = arena_calloc(m->a, 1, sizeof(*m->elb));
	static const ecs_listener l = {
		.service_created = on_service_bindings,
		.service_bindings_changed = on_service_bindings,
		.task_running = on_task_running,
		.task_deactivating = on_task_deactivating,
		.task_gone = on_task_gone,
		.task_target_unhealthy = on_task_target_unhealthy,
		.explain_unhealthy = on_explain_unhealthy,
		.task_reachability_changed = on_task_reachability,
	};
	ecs_listener mine = l;
	mine.ctx = m;
	ecs_subscribe(m, &mine);
	if (c == NULL)
		return;
	m->elb->ntgs = c->ntgs;
	m->elb->tgs = arena_calloc(m->a, (size_t)(c->ntgs ? c->ntgs : 1), sizeof(*m->elb->tgs));
	for (int i = 0; i < c->ntgs; i++) {
		target_group *tg = arena_calloc(m->a, 1, sizeof(*tg));
		tg->cfg = c->tgs[i];
		tg->m = m;
		tg->index = i;
		m->elb->tgs[i] = tg;
	}
}

void
elb_free(model *m)
{
	if (m->elb == NULL)
		return;
	for (int i = 0; i < m->elb->ntgs; i++) {
		target_group *tg = m->elb->tgs[i];
		for (int k = 0; k < tg->ntargets; k++) {
			hc_draws_free(&tg->targets[k]->hd);
			rng_free(tg->targets[k]->r);
			free(tg->targets[k]);
		}
		free(tg->targets);
	}
}

target_group *
elb_tg_of(model *m, const tg_cfg *c)
{
	for (int i = 0; i < m->elb->ntgs; i++)
		if (m->elb->tgs[i]->cfg == c)
			return m->elb->tgs[i];
	return NULL;
}

/* The service's bindings name target groups: point them at ours. */
static void
on_service_bindings(void *ctx, service *s)
{
	model *m = ctx;
	for (int i = 0; i < s->cfg.nlbs; i++) {
		lb_binding *b = &s->cfg.lbs[i];
		const tg_cfg *c = elb_cfg_find_tg(m->cfg->elb, b->target_group);
		SIM_ASSERT(c != NULL); /* checked at load */
		b->tg = elb_tg_of(m, c);
		b->tg->svc = s;
	}
}

const char *
elb_target_state_name(tgt_state s)
{
	static const char *const n[] = {"initial", "healthy", "unhealthy", "draining"};
	return n[s];
}

static void
tgt_event(tg_target *x, const char *from)
{
	model *m = x->tg->m;
	char src[300];
	snprintf(src, sizeof(src), "tg/%s", x->tg->cfg->name);
	rec_event_add(m->rec, eng_now(m->eng), src, "target-health",
	    "target (task %s) port %d: %s -> %s", x->t->id, x->port, from,
	    elb_target_state_name(x->state));
}

static void tgt_check(engine *e, void *obj, uint64_t arg);

/* Schedule the target's next health event: the predicted state change,
 * or (verification mode elb.evaluateEveryCheck) the next check. */
static void
predict(tg_target *x)
{
	model *m = x->tg->m;
	eng_cancel_clear(m->eng, &x->ev);
	if (m->p->every_check) {
		sim_time t = hc_check_time(&x->hm, x->hs.next);
		if (t <= m->end)
			x->ev = eng_at(m->eng, t, tgt_check, x, 0);
		return;
	}
	hc_change c;
	hc_next k = hc_predict(&x->hm, &x->ho, &x->hs, &x->hd, m->end, 0, &c);
	if (k == HC_CHANGE || k == HC_LIMIT)
		x->ev = eng_at(m->eng, c.time, tgt_fire, x, 0);
}

/* Every target of t is healthy. */
static bool
all_healthy(const task *t)
{
	const service *s = t->svc;
	for (int i = 0; i < s->cfg.nlbs; i++)
		if (t->targets[i] == NULL || t->targets[i]->state != TGT_HEALTHY)
			return false;
	return s->cfg.nlbs > 0;
}

/* The checker's status may have changed: update the target. */
static void
apply_status(tg_target *x, engine *e)
{
	tgt_state ns = x->hs.status == HC_HEALTHY ? TGT_HEALTHY :
	    x->hs.status == HC_UNHEALTHY ? TGT_UNHEALTHY : TGT_INITIAL;
	if (ns != x->state && x->state != TGT_DRAINING) {
		task *t = x->t;
		task_targets_will_change(t);
		const char *from = elb_target_state_name(x->state);
		x->state = ns;
		if (ns == TGT_HEALTHY)
			x->healthy_since = eng_now(e);
		tgt_event(x, from);
		task_targets_changed(t, all_healthy(t), ns == TGT_UNHEALTHY);
	}
}

/* A predicted change is due now. */
static void
tgt_fire(engine *e, void *obj, uint64_t arg)
{
	(void)arg;
	tg_target *x = obj;
	x->ev = EVQ_NONE;
	model *m = x->tg->m;
	hc_change c;
	hc_next k = hc_predict(&x->hm, &x->ho, &x->hs, &x->hd, m->end, 0, &c);
	if ((k == HC_CHANGE || k == HC_LIMIT) && c.time == eng_now(e))
		hc_adopt(&x->hs, &x->hd, &c);
	apply_status(x, e);
	predict(x);
}

/* Verification mode: evaluate the check due now, one event per check. */
static void
tgt_check(engine *e, void *obj, uint64_t arg)
{
	(void)arg;
	tg_target *x = obj;
	x->ev = EVQ_NONE;
	hc_change passed;
	hc_advance(&x->hm, &x->ho, &x->hs, &x->hd, eng_now(e), &passed);
	apply_status(x, e);
	predict(x);
}

/* A task entered RUNNING: register a target per binding. */
static void
on_task_running(void *ctx, task *t)
{
	model *m = ctx;
	service *s = t->svc;
	if (s->cfg.nlbs == 0)
		return;
	const task_def *td = t->td;
	const behaviour *b = NULL;
	for (int i = 0; i < s->cfg.nlbs; i++) {
		lb_binding *bd = &s->cfg.lbs[i];
		target_group *tg = bd->tg;
		tg_target *x = xcalloc(1, sizeof(*x));
		x->tg = tg;
		x->t = t;
		/* the host port of the bound container port (instance targets
		 * on bridge), else the container port */
		int k = 0;
		x->port = bd->container_port;
		for (int c = 0; c < td->ncontainers; c++) {
			const container_def *cd = &td->containers[c];
			for (int p = 0; p < cd->nports; p++, k++)
				if (strcmp(cd->name, bd->container_name) == 0 &&
				    cd->ports[p].container_port == bd->container_port) {
					b = cd->beh;
					if (t->host_ports[k] != 0 && !tg->cfg->target_ip)
						x->port = t->host_ports[k];
				}
		}
		x->state = TGT_INITIAL;
		x->registered_at = eng_now(m->eng);
		x->hm = hc_tg_machine(&tg->cfg->hc, x->registered_at);
		x->ho = hc_outcome_make(b ? b->health : HC_PASS, b ? b->flaky_pass : 1.0, t->ready_at);
		x->hs = hc_state_initial();
		uint64_t entity = (rng_fnv1a64(s->name) * UINT64_C(1000003) + t->serial) * 8 + (uint64_t)i;
		x->r = rng_new(m->seed, "health.target", entity);
		hc_draws_init(&x->hd, x->r);
		if (tg->ntargets == tg->captargets) {
			int ncap = tg->captargets ? 2 * tg->captargets : 8;
			tg->targets = xreallocarray(tg->targets, (size_t)ncap, sizeof(*tg->targets));
			tg->captargets = ncap;
		}
		x->index = tg->ntargets;
		tg->targets[tg->ntargets++] = x;
		t->targets[i] = x;
		sev_emit(s, "(service %s) registered 1 targets in (target-group %s)", s->name, tg->cfg->arn);
		predict(x);
	}
}

static void
tgt_remove(tg_target *x)
{
	target_group *tg = x->tg;
	model *m = tg->m;
	eng_cancel_clear(m->eng, &x->ev);
	eng_cancel_clear(m->eng, &x->drain_ev);
	int i = x->index;
	tg->targets[i] = tg->targets[--tg->ntargets];
	tg->targets[i]->index = i;
	hc_draws_free(&x->hd);
	rng_free(x->r);
	free(x);
}

static void
drain_done(engine *e, void *obj, uint64_t arg)
{
	(void)e;
	(void)arg;
	task *t = obj;
	model *m = t->svc->m;
	for (int i = 0; i < t->svc->cfg.nlbs; i++)
		if (t->targets[i]) {
			eng_cancel_clear(m->eng, &t->targets[i]->drain_ev);
		}
	task_drained(t);
}

/* Deregister t's targets. Returns true when draining is under way and
 * task_drained(t) will be called at its end; false when there was nothing
 * to wait for. immediate: the task is already dead (no drain wait). */
static bool
on_task_deactivating(void *ctx, task *t, bool immediate)
{
	model *m = ctx;
	service *s = t->svc;
	if (s->cfg.nlbs == 0)
		return false;
	sim_time longest = 0;
	bool any = false;
	bool busy = m->elb->busy != NULL && m->elb->busy(m->elb->busy_ctx, s);
	for (int i = 0; i < s->cfg.nlbs; i++) {
		tg_target *x = t->targets[i];
		if (x == NULL)
			continue;
		any = true;
		const char *from = elb_target_state_name(x->state);
		eng_cancel_clear(m->eng, &x->ev);
		x->state = TGT_DRAINING;
		tgt_event(x, from);
		sev_emit(s, "(service %s) deregistered 1 targets in (target-group %s)", s->name, x->tg->cfg->arn);
		/* [DOC] a target with no in-flight requests finishes deregistering
		 * early; otherwise it drains for the whole delay. */
		sim_time d = busy ? x->tg->cfg->dereg_delay : 0;
		x->drain_until = eng_now(m->eng) + x->tg->cfg->dereg_delay;
		if (d > longest)
			longest = d;
	}
	if (!any)
		return false;
	sev_emit(s, "(service %s, taskSet %s) has begun draining connections on 1 tasks.", s->name, t->dep->id);
	if (immediate)
		return false;
	for (int i = 0; i < s->cfg.nlbs; i++)
		if (t->targets[i]) {
			t->targets[i]->drain_ev = eng_after(m->eng, longest, drain_done, t, 0);
			break;
		}
	return true;
}

static void
on_task_gone(void *ctx, task *t)
{
	(void)ctx;
	service *s = t->svc;
	for (int i = 0; i < s->cfg.nlbs; i++)
		if (t->targets[i]) {
			tgt_remove(t->targets[i]);
			t->targets[i] = NULL;
		}
}

static bool
on_task_target_unhealthy(void *ctx, const task *t)
{
	(void)ctx;
	for (int i = 0; i < t->svc->cfg.nlbs; i++)
		if (t->targets[i] && t->targets[i]->state == TGT_UNHEALTHY)
			return true;
	return false;
}

/* Emit the unhealthy-target service event and set the stop reason. */
static bool
on_explain_unhealthy(void *ctx, task *t)
{
	(void)ctx;
	service *s = t->svc;
	model *m = s->m;
	for (int i = 0; i < s->cfg.nlbs; i++) {
		tg_target *x = t->targets[i];
		if (x == NULL || x->state != TGT_UNHEALTHY)
			continue;
		char desc[200];
		hc_tg_description(&x->hs, desc, sizeof(desc));
		/* [DOC] service-unhealthy-event-messages: the EC2 form names the
		 * instance. */
		if (t->inst)
			sev_emit(s, "(service %s) (instance %s) (port %d) is unhealthy in (target-group %s) due to (reason %s).",
			    s->name, t->inst->ec2_id, x->port, x->tg->cfg->arn, desc);
		else
			sev_emit(s, "(service %s) (task %s) (port %d) is unhealthy in (target-group %s) due to (reason %s).",
			    s->name, t->id, x->port, x->tg->cfg->arn, desc);
		t->stopped_reason = arena_printf(m->a, "Task failed ELB health checks in (target-group %s)",
		    x->tg->cfg->arn);
		return true;
	}
	return false;
}

/* A task's host, zone or network went down or came back (model/ecs/
 * faults.h): from now on its targets' checks time out (Target.Timeout),
 * or answer as the application does again. The model change governs the
 * checks after now (health.h): bring each checker up to now under the old
 * model, then predict under the new one. */
static void
on_task_reachability(void *ctx, task *t)
{
	model *m = ctx;
	service *s = t->svc;
	sim_time now = eng_now(m->eng);
	for (int i = 0; i < s->cfg.nlbs; i++) {
		tg_target *x = t->targets[i];
		if (x == NULL || x->state == TGT_DRAINING)
			continue;
		hc_change passed;
		if (hc_advance(&x->hm, &x->ho, &x->hs, &x->hd, now, &passed) > 0)
			apply_status(x, m->eng);
		x->ho.breaks_at = t->unreachable ? now : SIM_TIME_MAX;
		x->ho.broken = HC_CHECK_TIMEOUT;
		predict(x);
	}
}

/* ECS asks at load time whether a service's targetGroupArn exists. */
static bool
tg_exists(const model_cfg *c, const char *ref)
{
	return c->elb != NULL && elb_cfg_find_tg(c->elb, ref) != NULL;
}

void
elb_register(model_cfg *c, scn_spec *sp)
{
	scn_spec_add_section(sp, "targetGroups", elb_parse_target_groups, c);
	scn_spec_add_section(sp, "loadBalancers", elb_parse_load_balancers, c);
	c->target_group_exists = tg_exists;
	elb_params *p = ARENA_NEW(c->a, elb_params);
	cfg_add_params(c, elb_defs, (int)(sizeof(elb_defs) / sizeof(elb_defs[0])), p, elb_listed);
}
