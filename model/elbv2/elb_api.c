/*
 * elb_api — the Elastic Load Balancing v2 API on the running model, for
 * `ecsim serve` (see the block comment below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/ecs/ecs_cfg.h"
#include "model/elbv2/elb.h"
#include "sim/optable.h"
#include "sim/xalloc.h"

/* ---------------------------------------------------------------- */
/* The Elastic Load Balancing v2 API on the running model (ecsim serve):
 * the load balancers, listeners, rules and target groups are the
 * scenario's; Describe* answer from them and from the targets' live
 * state, ModifyTargetGroupAttributes changes the attributes the model
 * reads (deregistration delay, slow start, algorithm), and the Create*
 * operations are idempotent as AWS's are: the same definition as the
 * scenario's returns it, anything new is refused (ecsim builds load
 * balancers from the scenario). Errors: ValidationError,
 * TargetGroupNotFound, LoadBalancerNotFound, ListenerNotFound. */

static char *
api_print(cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

/* Marker and PageSize (1..400). */
static int
api_page(jr_obj *o, int *start, int *count, aws_fault *fault, sim_error *err)
{
	const char *mk;
	int rc = jr_opt_int32(o, "PageSize", 1, 400, 400, count, err);
	if (rc == 0)
		rc = jr_opt_str(o, "Marker", NULL, &mk, err);
	if (rc != 0)
		return rc;
	*start = 0;
	if (mk != NULL) {
		char *end;
		long v = strncmp(mk, "ecsim-", 6) == 0 ? strtol(mk + 6, &end, 10) : -1;
		if (v < 0 || *end != '\0' || v > 1000000)
			return aws_fault_client(fault, "ValidationError", "Invalid Marker: %.64s", mk);
		*start = (int)v;
	}
	return 0;
}

static void
api_marker(cJSON *o, int next, int total)
{
	if (next < total) {
		char buf[32];
		snprintf(buf, sizeof(buf), "ecsim-%d", next);
		cJSON_AddStringToObject(o, "NextMarker", buf);
	}
}

static bool
lb_uses_tg(const alb_cfg *lb, const tg_cfg *tg)
{
	for (int i = 0; i < lb->nlisteners; i++) {
		if (lb->listeners[i].default_tg == tg)
			return true;
		for (int k = 0; k < lb->listeners[i].nrules; k++)
			if (lb->listeners[i].rules[k].tg == tg)
				return true;
	}
	return false;
}

static char *
listener_arn(const alb_cfg *lb, const listener_cfg *l)
{
	const char *p = strstr(lb->arn, ":loadbalancer/");
	return xasprintf("%.*s:listener/%s/%016x", (int)(p - lb->arn), lb->arn,
	    p + strlen(":loadbalancer/"), (unsigned)l->port);
}

static cJSON *
tg_json(const model *m, const tg_cfg *tg)
{
	const elb_cfg *e = m->cfg->elb;
	cJSON *x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "TargetGroupArn", tg->arn);
	cJSON_AddStringToObject(x, "TargetGroupName", tg->name);
	cJSON_AddStringToObject(x, "Protocol", tg->protocol);
	cJSON_AddNumberToObject(x, "Port", tg->port);
	cJSON_AddStringToObject(x, "HealthCheckProtocol", tg->protocol);
	cJSON_AddStringToObject(x, "HealthCheckPort", "traffic-port");
	cJSON_AddBoolToObject(x, "HealthCheckEnabled", true);
	cJSON_AddNumberToObject(x, "HealthCheckIntervalSeconds", tg->hc.interval);
	cJSON_AddNumberToObject(x, "HealthCheckTimeoutSeconds", tg->hc.timeout);
	cJSON_AddNumberToObject(x, "HealthyThresholdCount", tg->hc.healthy_threshold);
	cJSON_AddNumberToObject(x, "UnhealthyThresholdCount", tg->hc.unhealthy_threshold);
	cJSON_AddStringToObject(x, "HealthCheckPath", tg->hc_path ? tg->hc_path : "/");
	cJSON *mt = cJSON_AddObjectToObject(x, "Matcher");
	cJSON_AddStringToObject(mt, "HttpCode", tg->matcher ? tg->matcher : "200");
	cJSON *lbs = cJSON_AddArrayToObject(x, "LoadBalancerArns");
	for (int i = 0; e && i < e->nlbs; i++)
		if (lb_uses_tg(e->lbs[i], tg))
			cJSON_AddItemToArray(lbs, cJSON_CreateString(e->lbs[i]->arn));
	cJSON_AddStringToObject(x, "TargetType", tg->target_ip ? "ip" : "instance");
	cJSON_AddStringToObject(x, "ProtocolVersion", "HTTP1");
	cJSON_AddStringToObject(x, "IpAddressType", "ipv4");
	return x;
}

static const tg_cfg *
api_find_tg(const model *m, const char *ref)
{
	return m->cfg->elb ? elb_cfg_find_tg(m->cfg->elb, ref) : NULL;
}

static int
op_describe_target_groups(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, narns, nnames, start, count;
	const char **arns, **names, *lbarn;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_opt_str_array(&o, "TargetGroupArns", &arns, &narns, err)) ||
	    (rc = jr_opt_str_array(&o, "Names", &names, &nnames, err)) ||
	    (rc = jr_opt_str(&o, "LoadBalancerArn", NULL, &lbarn, err)) ||
	    (rc = api_page(&o, &start, &count, fault, err)) || (rc = jr_done(&o, err)))
		return rc;
	const elb_cfg *e = m->cfg->elb;
	const alb_cfg *lb = NULL;
	if (lbarn && (e == NULL || (lb = elb_cfg_find_lb(e, lbarn)) == NULL))
		return aws_fault_client(fault, "LoadBalancerNotFound",
		    "One or more load balancers not found");
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "TargetGroups");
	int seen = 0;
	if (arns || names) {
		for (int i = 0; i < narns + nnames; i++) {
			const char *ref = i < narns ? arns[i] : names[i - narns];
			const tg_cfg *tg = api_find_tg(m, ref);
			if (tg == NULL) {
				cJSON_Delete(r);
				return aws_fault_client(fault, "TargetGroupNotFound",
				    "One or more target groups not found");
			}
			cJSON_AddItemToArray(a, tg_json(m, tg));
		}
		*out = api_print(r);
		return 0;
	}
	for (int i = 0; e && i < e->ntgs; i++) {
		if (lb && !lb_uses_tg(lb, e->tgs[i]))
			continue;
		if (seen >= start && seen < start + count)
			cJSON_AddItemToArray(a, tg_json(m, e->tgs[i]));
		seen++;
	}
	api_marker(r, start + count, seen);
	*out = api_print(r);
	return 0;
}

static int
op_describe_target_health(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	jr_val tv;
	int rc, n = 0;
	const char *arn;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "TargetGroupArn", &arn, err)))
		return rc;
	bool has_targets = jr_get(&o, "Targets", &tv);
	if (has_targets && (rc = jr_array(&tv, &n, err)))
		return rc;
	jr_ignore(&o, "Include");
	if ((rc = jr_done(&o, err)))
		return rc;
	const tg_cfg *cfg = api_find_tg(m, arn);
	if (cfg == NULL)
		return aws_fault_client(fault, "TargetGroupNotFound",
		    "Target groups '%s' not found", arn);
	target_group *tg = elb_tg_of(m, cfg);
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "TargetHealthDescriptions");
	for (int i = 0; tg && i < tg->ntargets; i++) {
		const tg_target *x = tg->targets[i];
		const char *id = x->t->inst && !cfg->target_ip ? x->t->inst->ec2_id : x->t->id;
		bool want = !has_targets;
		for (int k = 0; k < n && !want; k++) {
			jr_val e2, idv;
			jr_obj to;
			const char *tid;
			int64_t port = -1;
			jr_elem(&tv, k, &e2);
			if ((rc = jr_object(&e2, &to, err)) || (rc = jr_need(&to, "Id", &idv, err)) ||
			    (rc = jr_str(&idv, &tid, err)) ||
			    (rc = jr_opt_int(&to, "Port", 1, 65535, -1, &port, err))) {
				cJSON_Delete(r);
				return rc;
			}
			jr_ignore(&to, "AvailabilityZone");
			want = strcmp(tid, id) == 0 && (port < 0 || port == x->port);
		}
		if (!want)
			continue;
		cJSON *d = cJSON_CreateObject();
		cJSON *t = cJSON_AddObjectToObject(d, "Target");
		cJSON_AddStringToObject(t, "Id", id);
		cJSON_AddNumberToObject(t, "Port", x->port);
		char port[16];
		snprintf(port, sizeof(port), "%d", x->port);
		cJSON_AddStringToObject(d, "HealthCheckPort", port);
		cJSON *h = cJSON_AddObjectToObject(d, "TargetHealth");
		cJSON_AddStringToObject(h, "State", elb_target_state_name(x->state));
		if (x->state == TGT_INITIAL) {
			cJSON_AddStringToObject(h, "Reason", "Elb.RegistrationInProgress");
			cJSON_AddStringToObject(h, "Description", "Target registration is in progress");
		} else if (x->state == TGT_UNHEALTHY) {
			cJSON_AddStringToObject(h, "Reason", "Target.FailedHealthChecks");
			cJSON_AddStringToObject(h, "Description", "Health checks failed");
		} else if (x->state == TGT_DRAINING) {
			cJSON_AddStringToObject(h, "Reason", "Target.DeregistrationInProgress");
			cJSON_AddStringToObject(h, "Description", "Target deregistration is in progress");
		}
		cJSON_AddItemToArray(a, d);
	}
	*out = api_print(r);
	return 0;
}

static cJSON *
lb_json(const model *m, const alb_cfg *lb)
{
	cJSON *x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "LoadBalancerArn", lb->arn);
	char *dns = xasprintf("%s-%u.%s.elb.amazonaws.com", lb->name,
	    (unsigned)(rng_fnv1a64(lb->name) % 1000000000u), m->p->region);
	cJSON_AddStringToObject(x, "DNSName", dns);
	free(dns);
	cJSON_AddStringToObject(x, "CanonicalHostedZoneId", "Z35SXDOTRQ7X7K");
	cJSON_AddNumberToObject(x, "CreatedTime", m->api_epoch);
	cJSON_AddStringToObject(x, "LoadBalancerName", lb->name);
	cJSON_AddStringToObject(x, "Scheme", "internet-facing");
	cJSON *st = cJSON_AddObjectToObject(x, "State");
	cJSON_AddStringToObject(st, "Code", "active");
	cJSON_AddStringToObject(x, "Type", "application");
	cJSON_AddArrayToObject(x, "AvailabilityZones");
	cJSON_AddArrayToObject(x, "SecurityGroups");
	cJSON_AddStringToObject(x, "IpAddressType", "ipv4");
	return x;
}

static int
op_describe_load_balancers(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, narns, nnames, start, count;
	const char **arns, **names;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_opt_str_array(&o, "LoadBalancerArns", &arns, &narns, err)) ||
	    (rc = jr_opt_str_array(&o, "Names", &names, &nnames, err)) ||
	    (rc = api_page(&o, &start, &count, fault, err)) || (rc = jr_done(&o, err)))
		return rc;
	const elb_cfg *e = m->cfg->elb;
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "LoadBalancers");
	if (arns || names) {
		for (int i = 0; i < narns + nnames; i++) {
			const char *ref = i < narns ? arns[i] : names[i - narns];
			const alb_cfg *lb = e ? elb_cfg_find_lb(e, ref) : NULL;
			if (lb == NULL) {
				cJSON_Delete(r);
				return aws_fault_client(fault, "LoadBalancerNotFound",
				    "One or more load balancers not found");
			}
			cJSON_AddItemToArray(a, lb_json(m, lb));
		}
		*out = api_print(r);
		return 0;
	}
	int total = e ? e->nlbs : 0;
	for (int i = start; i < total && i < start + count; i++)
		cJSON_AddItemToArray(a, lb_json(m, e->lbs[i]));
	api_marker(r, start + count, total);
	*out = api_print(r);
	return 0;
}

static cJSON *
forward(const char *tg_arn)
{
	cJSON *acts = cJSON_CreateArray();
	cJSON *x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "Type", "forward");
	cJSON_AddStringToObject(x, "TargetGroupArn", tg_arn);
	cJSON_AddItemToArray(acts, x);
	return acts;
}

static cJSON *
listener_json(const alb_cfg *lb, const listener_cfg *l)
{
	cJSON *x = cJSON_CreateObject();
	char *arn = listener_arn(lb, l);
	cJSON_AddStringToObject(x, "ListenerArn", arn);
	free(arn);
	cJSON_AddStringToObject(x, "LoadBalancerArn", lb->arn);
	cJSON_AddNumberToObject(x, "Port", l->port);
	cJSON_AddStringToObject(x, "Protocol", l->protocol);
	if (l->default_tg)
		cJSON_AddItemToObject(x, "DefaultActions", forward(l->default_tg->arn));
	return x;
}

/* The listener an ARN names, with its load balancer. */
static const listener_cfg *
api_find_listener(const model *m, const char *arn, const alb_cfg **lbout)
{
	const elb_cfg *e = m->cfg->elb;
	for (int i = 0; e && i < e->nlbs; i++)
		for (int k = 0; k < e->lbs[i]->nlisteners; k++) {
			char *a = listener_arn(e->lbs[i], &e->lbs[i]->listeners[k]);
			bool same = strcmp(a, arn) == 0;
			free(a);
			if (same) {
				*lbout = e->lbs[i];
				return &e->lbs[i]->listeners[k];
			}
		}
	return NULL;
}

static int
op_describe_listeners(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, narns, start, count;
	const char **arns, *lbarn;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_opt_str_array(&o, "ListenerArns", &arns, &narns, err)) ||
	    (rc = jr_opt_str(&o, "LoadBalancerArn", NULL, &lbarn, err)) ||
	    (rc = api_page(&o, &start, &count, fault, err)) || (rc = jr_done(&o, err)))
		return rc;
	if ((lbarn == NULL) == (arns == NULL))
		return aws_fault_client(fault, "ValidationError",
		    "give either LoadBalancerArn or ListenerArns");
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "Listeners");
	if (lbarn) {
		const alb_cfg *lb = m->cfg->elb ? elb_cfg_find_lb(m->cfg->elb, lbarn) : NULL;
		if (lb == NULL) {
			cJSON_Delete(r);
			return aws_fault_client(fault, "LoadBalancerNotFound",
			    "One or more load balancers not found");
		}
		for (int k = start; k < lb->nlisteners && k < start + count; k++)
			cJSON_AddItemToArray(a, listener_json(lb, &lb->listeners[k]));
		api_marker(r, start + count, lb->nlisteners);
	} else {
		for (int i = 0; i < narns; i++) {
			const alb_cfg *lb;
			const listener_cfg *l = api_find_listener(m, arns[i], &lb);
			if (l == NULL) {
				cJSON_Delete(r);
				return aws_fault_client(fault, "ListenerNotFound",
				    "One or more listeners not found");
			}
			cJSON_AddItemToArray(a, listener_json(lb, l));
		}
	}
	*out = api_print(r);
	return 0;
}

static int
op_describe_rules(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, start, count;
	const char *larn;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "ListenerArn", &larn, err)) ||
	    (rc = api_page(&o, &start, &count, fault, err)) || (rc = jr_done(&o, err)))
		return rc;
	const alb_cfg *lb;
	const listener_cfg *l = api_find_listener(m, larn, &lb);
	if (l == NULL)
		return aws_fault_client(fault, "ListenerNotFound", "One or more listeners not found");
	char *base = listener_arn(lb, l);
	const char *p = strstr(base, ":listener/");
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "Rules");
	for (int k = 0; k <= l->nrules; k++) {
		const lb_rule_cfg *ru = k < l->nrules ? &l->rules[k] : NULL;
		cJSON *x = cJSON_CreateObject();
		char *arn = xasprintf("%.*s:listener-rule/%s/%016x", (int)(p - base), base,
		    p + strlen(":listener/"), ru ? (unsigned)ru->priority : 0xffffu);
		cJSON_AddStringToObject(x, "RuleArn", arn);
		free(arn);
		char prio[16];
		snprintf(prio, sizeof(prio), "%d", ru ? ru->priority : 0);
		cJSON_AddStringToObject(x, "Priority", ru ? prio : "default");
		cJSON *conds = cJSON_AddArrayToObject(x, "Conditions");
		if (ru && ru->npaths > 0) {
			cJSON *c = cJSON_CreateObject();
			cJSON_AddStringToObject(c, "Field", "path-pattern");
			cJSON *vals = cJSON_AddArrayToObject(c, "Values");
			for (int j = 0; j < ru->npaths; j++)
				cJSON_AddItemToArray(vals, cJSON_CreateString(ru->paths[j]));
			cJSON_AddItemToArray(conds, c);
		}
		const tg_cfg *tg = ru ? ru->tg : l->default_tg;
		if (tg)
			cJSON_AddItemToObject(x, "Actions", forward(tg->arn));
		cJSON_AddBoolToObject(x, "IsDefault", ru == NULL);
		cJSON_AddItemToArray(a, x);
	}
	free(base);
	*out = api_print(r);
	return 0;
}

static cJSON *
tg_attributes(const tg_cfg *tg)
{
	static const char *const algs[] = {"round_robin", "least_outstanding_requests",
	    "weighted_random"};
	char buf[4][32];
	snprintf(buf[0], sizeof(buf[0]), "%lld", (long long)(tg->dereg_delay / SIM_SEC));
	snprintf(buf[1], sizeof(buf[1]), "%lld", (long long)(tg->slow_start / SIM_SEC));
	snprintf(buf[2], sizeof(buf[2]), "%s", algs[tg->algorithm]);
	snprintf(buf[3], sizeof(buf[3]), "%d", tg->min_healthy_targets);
	const char *keys[4] = {"deregistration_delay.timeout_seconds",
	    "slow_start.duration_seconds", "load_balancing.algorithm.type",
	    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count"};
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; i < 4; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "Key", keys[i]);
		cJSON_AddStringToObject(x, "Value", buf[i]);
		cJSON_AddItemToArray(a, x);
	}
	return a;
}

static int
op_describe_target_group_attributes(void *self, const jr_val *in, char **out,
    aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc;
	const char *arn;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "TargetGroupArn", &arn, err)) ||
	    (rc = jr_done(&o, err)))
		return rc;
	const tg_cfg *tg = api_find_tg(m, arn);
	if (tg == NULL)
		return aws_fault_client(fault, "TargetGroupNotFound",
		    "One or more target groups not found");
	cJSON *r = cJSON_CreateObject();
	cJSON_AddItemToObject(r, "Attributes", tg_attributes(tg));
	*out = api_print(r);
	return 0;
}

static int
op_modify_target_group_attributes(void *self, const jr_val *in, char **out,
    aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	jr_val av;
	int rc;
	const char *arn;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "TargetGroupArn", &arn, err)) ||
	    (rc = jr_need(&o, "Attributes", &av, err)) || (rc = jr_done(&o, err)))
		return rc;
	const tg_cfg *found = api_find_tg(m, arn);
	if (found == NULL)
		return aws_fault_client(fault, "TargetGroupNotFound",
		    "One or more target groups not found");
	/* The scenario's configuration is the target group the model reads:
	 * change it as the API would (validated on a copy first). */
	tg_cfg *tg = (tg_cfg *)(uintptr_t)found;
	tg_cfg copy = *tg;
	model_cfg *c = (model_cfg *)(uintptr_t)m->cfg;
	if ((rc = elb_parse_attributes(c, &av, &copy, err)) != 0)
		return rc;
	tg->dereg_delay = copy.dereg_delay;
	tg->slow_start = copy.slow_start;
	tg->algorithm = copy.algorithm;
	tg->min_healthy_targets = copy.min_healthy_targets;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddItemToObject(r, "Attributes", tg_attributes(tg));
	*out = api_print(r);
	return 0;
}

/* CreateTargetGroup: idempotent on the scenario's target group of that
 * name (AWS returns the existing one for the same settings). */
static int
op_create_target_group(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc;
	const char *name;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "Name", &name, err)))
		return rc;
	const tg_cfg *tg = api_find_tg(m, name);
	if (tg == NULL)
		return aws_fault_client(fault, "ValidationError",
		    "ecsim serve builds target groups from the scenario's targetGroups "
		    "section; \"%s\" is not there (add it to the scenario)", name);
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "TargetGroups");
	cJSON_AddItemToArray(a, tg_json(m, tg));
	*out = api_print(r);
	return 0;
}

static int
op_create_listener(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc;
	const char *lbarn;
	int64_t port;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "LoadBalancerArn", &lbarn, err)) ||
	    (rc = jr_opt_int(&o, "Port", 1, 65535, 0, &port, err)))
		return rc;
	const alb_cfg *lb = m->cfg->elb ? elb_cfg_find_lb(m->cfg->elb, lbarn) : NULL;
	if (lb == NULL)
		return aws_fault_client(fault, "LoadBalancerNotFound",
		    "One or more load balancers not found");
	for (int k = 0; k < lb->nlisteners; k++)
		if (lb->listeners[k].port == port) {
			cJSON *r = cJSON_CreateObject();
			cJSON *a = cJSON_AddArrayToObject(r, "Listeners");
			cJSON_AddItemToArray(a, listener_json(lb, &lb->listeners[k]));
			*out = api_print(r);
			return 0;
		}
	return aws_fault_client(fault, "ValidationError",
	    "ecsim serve builds listeners from the scenario's loadBalancers section; "
	    "%s has no listener on port %lld there", lb->name, (long long)port);
}

static int
op_create_rule(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc;
	const char *larn;
	int prio;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_req_str(&o, "ListenerArn", &larn, err)) ||
	    (rc = jr_req_int32(&o, "Priority", 1, 50000, &prio, err)))
		return rc;
	const alb_cfg *lb;
	const listener_cfg *l = api_find_listener(m, larn, &lb);
	if (l == NULL)
		return aws_fault_client(fault, "ListenerNotFound", "One or more listeners not found");
	for (int k = 0; k < l->nrules; k++) {
		if (l->rules[k].priority != prio)
			continue;
		cJSON *x = cJSON_CreateObject();
		char *base = listener_arn(lb, l);
		const char *p = strstr(base, ":listener/");
		char *arn = xasprintf("%.*s:listener-rule/%s/%016x", (int)(p - base), base,
		    p + strlen(":listener/"), (unsigned)prio);
		cJSON_AddStringToObject(x, "RuleArn", arn);
		free(arn);
		free(base);
		char pr[16];
		snprintf(pr, sizeof(pr), "%d", prio);
		cJSON_AddStringToObject(x, "Priority", pr);
		if (l->rules[k].tg)
			cJSON_AddItemToObject(x, "Actions", forward(l->rules[k].tg->arn));
		cJSON_AddBoolToObject(x, "IsDefault", false);
		cJSON *r = cJSON_CreateObject();
		cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "Rules"), x);
		*out = api_print(r);
		return 0;
	}
	return aws_fault_client(fault, "ValidationError",
	    "ecsim serve builds rules from the scenario's loadBalancers section; the "
	    "listener has no rule of priority %d there", prio);
}

void
elb_register_api(model_cfg *c)
{
	optab *t = c->ops;
	optab_service(t, "elasticloadbalancing", "ValidationError", "InvalidAction");
	optab_add(t, "elasticloadbalancing:DescribeTargetGroups", op_describe_target_groups, OPTAB_READ);
	optab_add(t, "elasticloadbalancing:DescribeTargetHealth", op_describe_target_health, OPTAB_READ);
	optab_add(t, "elasticloadbalancing:DescribeLoadBalancers", op_describe_load_balancers, OPTAB_READ);
	optab_add(t, "elasticloadbalancing:DescribeListeners", op_describe_listeners, OPTAB_READ);
	optab_add(t, "elasticloadbalancing:DescribeRules", op_describe_rules, OPTAB_READ);
	optab_add(t, "elasticloadbalancing:DescribeTargetGroupAttributes",
	    op_describe_target_group_attributes, OPTAB_READ);
	optab_add(t, "elasticloadbalancing:ModifyTargetGroupAttributes",
	    op_modify_target_group_attributes, 0);
	optab_add(t, "elasticloadbalancing:CreateTargetGroup", op_create_target_group, 0);
	optab_add(t, "elasticloadbalancing:CreateListener", op_create_listener, 0);
	optab_add(t, "elasticloadbalancing:CreateRule", op_create_rule, 0);
}
