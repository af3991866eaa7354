/*
 * aas_api — the Application Auto Scaling and CloudWatch alarm API on the
 * running model, for `ecsim serve` (see the block comment below).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/autoscaling/aas.h"
#include "model/autoscaling/aas_int.h"
#include "model/ecs/ecs_cfg.h"
#include "sim/optable.h"
#include "sim/xalloc.h"

/* ---------------------------------------------------------------- */
/* The Application Auto Scaling API on the running model (ecsim serve):
 * DescribeScalableTargets, DescribeScalingPolicies and
 * DescribeScalingActivities (newest first, from the activities recorded),
 * RegisterScalableTarget and PutScalingPolicy through the timeline's
 * calls. Errors: ValidationException (input), ObjectNotFoundException. */

static char *
api_print(cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

/* The ecs namespace is the only one ecsim models. */
static int
api_namespace(jr_obj *o, aws_fault *fault, sim_error *err)
{
	const char *ns;
	int rc = jr_req_str(o, "ServiceNamespace", &ns, err);
	if (rc == 0 && strcmp(ns, "ecs") != 0)
		return aws_fault_client(fault, "ValidationException",
		    "ecsim models the ecs service namespace only, not \"%s\"", ns);
	return rc;
}

static int
api_page(jr_obj *o, int *start, int *count, aws_fault *fault, sim_error *err)
{
	const char *tok;
	int rc = jr_opt_int32(o, "MaxResults", 1, 50, 50, count, err);
	if (rc == 0)
		rc = jr_opt_str(o, "NextToken", NULL, &tok, err);
	if (rc != 0)
		return rc;
	*start = 0;
	if (tok != NULL) {
		char *end;
		long v = strncmp(tok, "ecsim-", 6) == 0 ? strtol(tok + 6, &end, 10) : -1;
		if (v < 0 || *end != '\0' || v > 1000000)
			return aws_fault_client(fault, "InvalidNextTokenException",
			    "Invalid token: %.64s", tok);
		*start = (int)v;
	}
	return 0;
}

static void
api_token(cJSON *o, int next, int total)
{
	if (next < total) {
		char buf[32];
		snprintf(buf, sizeof(buf), "ecsim-%d", next);
		cJSON_AddStringToObject(o, "NextToken", buf);
	}
}

/* ResourceIds filter: NULL matches everything. */
static bool
api_wanted(const char **ids, int n, const char *id)
{
	if (ids == NULL)
		return true;
	for (int i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return true;
	return false;
}

static double
api_ts(const model *m, sim_time t)
{
	return m->api_epoch + simtime_to_seconds(t);
}

static int
op_describe_scalable_targets(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, start, count, nids;
	const char **ids, *dim;
	if ((rc = jr_object(in, &o, err)) || (rc = api_namespace(&o, fault, err)) ||
	    (rc = jr_opt_str_array(&o, "ResourceIds", &ids, &nids, err)) ||
	    (rc = jr_opt_str(&o, "ScalableDimension", NULL, &dim, err)) ||
	    (rc = api_page(&o, &start, &count, fault, err)) || (rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "ScalableTargets");
	int seen = 0;
	for (int i = 0; m->aas && i < m->aas->n; i++) {
		const struct svc_scaling *ss = m->aas->list[i];
		if (!ss->registered)
			continue;
		char *id = xasprintf("service/%s/%s", ss->s->cl->name, ss->s->name);
		if (api_wanted(ids, nids, id)) {
			if (seen >= start && seen < start + count) {
				cJSON *x = cJSON_CreateObject();
				cJSON_AddStringToObject(x, "ServiceNamespace", "ecs");
				cJSON_AddStringToObject(x, "ResourceId", id);
				cJSON_AddStringToObject(x, "ScalableDimension", "ecs:service:DesiredCount");
				cJSON_AddNumberToObject(x, "MinCapacity", ss->min);
				cJSON_AddNumberToObject(x, "MaxCapacity", ss->max);
				char *role = xasprintf("arn:aws:iam::%s:role/aws-service-role/"
				    "ecs.application-autoscaling.amazonaws.com/"
				    "AWSServiceRoleForApplicationAutoScaling_ECSService", m->p->account);
				cJSON_AddStringToObject(x, "RoleARN", role);
				free(role);
				cJSON_AddNumberToObject(x, "CreationTime", api_ts(m, 0));
				cJSON *su = cJSON_AddObjectToObject(x, "SuspendedState");
				cJSON_AddBoolToObject(su, "DynamicScalingInSuspended", ss->susp.dynamic_in);
				cJSON_AddBoolToObject(su, "DynamicScalingOutSuspended", ss->susp.dynamic_out);
				cJSON_AddBoolToObject(su, "ScheduledScalingSuspended", ss->susp.scheduled);
				cJSON_AddItemToArray(a, x);
			}
			seen++;
		}
		free(id);
	}
	api_token(r, start + count, seen);
	*out = api_print(r);
	return 0;
}

static int
op_describe_scaling_policies(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, start, count, nnames;
	const char **names, *rid, *dim;
	if ((rc = jr_object(in, &o, err)) || (rc = api_namespace(&o, fault, err)) ||
	    (rc = jr_opt_str_array(&o, "PolicyNames", &names, &nnames, err)) ||
	    (rc = jr_opt_str(&o, "ResourceId", NULL, &rid, err)) ||
	    (rc = jr_opt_str(&o, "ScalableDimension", NULL, &dim, err)) ||
	    (rc = api_page(&o, &start, &count, fault, err)) || (rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "ScalingPolicies");
	int seen = 0;
	for (int i = 0; m->aas && i < m->aas->n; i++) {
		const struct svc_scaling *ss = m->aas->list[i];
		for (int k = 0; k < ss->npol; k++) {
			const sp_policy *p = ss->pol[k].cfg;
			if ((rid && strcmp(rid, p->resource_id) != 0) ||
			    !api_wanted(names, nnames, p->name))
				continue;
			if (seen >= start && seen < start + count) {
				cJSON *x = cJSON_CreateObject();
				char *arn = xasprintf("arn:aws:autoscaling:%s:%s:scalingPolicy:"
				    "00000000-0000-4000-8000-%012x:resource/ecs/%s:policyName/%s",
				    m->p->region, m->p->account, (unsigned)(i * 64 + k),
				    p->resource_id, p->name);
				cJSON_AddStringToObject(x, "PolicyARN", arn);
				free(arn);
				cJSON_AddStringToObject(x, "PolicyName", p->name);
				cJSON_AddStringToObject(x, "ServiceNamespace", "ecs");
				cJSON_AddStringToObject(x, "ResourceId", p->resource_id);
				cJSON_AddStringToObject(x, "ScalableDimension", "ecs:service:DesiredCount");
				cJSON_AddStringToObject(x, "PolicyType", sp_policy_type_name(p->type));
				cJSON *al = cJSON_AddArrayToObject(x, "Alarms");
				const char *an[2] = {ss->pol[k].high ? ss->pol[k].high_name : NULL,
				    ss->pol[k].low ? ss->pol[k].low_name : NULL};
				for (int j = 0; j < 2; j++) {
					if (an[j] == NULL)
						continue;
					cJSON *y = cJSON_CreateObject();
					cJSON_AddStringToObject(y, "AlarmName", an[j]);
					char *aarn = xasprintf("arn:aws:cloudwatch:%s:%s:alarm:%s",
					    m->p->region, m->p->account, an[j]);
					cJSON_AddStringToObject(y, "AlarmARN", aarn);
					free(aarn);
					cJSON_AddItemToArray(al, y);
				}
				cJSON_AddNumberToObject(x, "CreationTime", api_ts(m, 0));
				cJSON_AddItemToArray(a, x);
			}
			seen++;
		}
	}
	api_token(r, start + count, seen);
	*out = api_print(r);
	return 0;
}

static int
op_describe_scaling_activities(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, start, count;
	const char *rid, *dim;
	bool notscaled;
	if ((rc = jr_object(in, &o, err)) || (rc = api_namespace(&o, fault, err)) ||
	    (rc = jr_opt_str(&o, "ResourceId", NULL, &rid, err)) ||
	    (rc = jr_opt_str(&o, "ScalableDimension", NULL, &dim, err)) ||
	    (rc = jr_opt_bool(&o, "IncludeNotScaledActivities", false, &notscaled, err)) ||
	    (rc = api_page(&o, &start, &count, fault, err)) || (rc = jr_done(&o, err)))
		return rc;
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "ScalingActivities");
	size_t n = rec_fact_count(m->rec, "scaling_activity");
	int seen = 0;
	for (size_t i = n; i-- > 0;) {
		rec_fact *f = rec_fact_at(m->rec, "scaling_activity", i);
		const char *res = rec_fact_get_str(f, "resource");
		if (rid && (res == NULL || strcmp(rid, res) != 0))
			continue;
		if (seen >= start && seen < start + count) {
			int to = (int)rec_fact_get_int(f, "to", 0);
			double t = api_ts(m, (sim_time)(rec_fact_get_num(f, "time", 0) * 1e6 + 0.5));
			char id[48], buf[200];
			snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012zx", i);
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "ActivityId", id);
			cJSON_AddStringToObject(x, "ServiceNamespace", "ecs");
			cJSON_AddStringToObject(x, "ResourceId", res ? res : "");
			cJSON_AddStringToObject(x, "ScalableDimension", "ecs:service:DesiredCount");
			snprintf(buf, sizeof(buf), "Setting desired count to %d.", to);
			cJSON_AddStringToObject(x, "Description", buf);
			const char *cause = rec_fact_get_str(f, "cause");
			cJSON_AddStringToObject(x, "Cause", cause ? cause : "");
			cJSON_AddNumberToObject(x, "StartTime", t);
			cJSON_AddNumberToObject(x, "EndTime", t);
			cJSON_AddStringToObject(x, "StatusCode", "Successful");
			snprintf(buf, sizeof(buf), "Successfully set desired count to %d. Change "
			    "successfully fulfilled by ecs.", to);
			cJSON_AddStringToObject(x, "StatusMessage", buf);
			cJSON_AddItemToArray(a, x);
		}
		seen++;
	}
	api_token(r, start + count, seen);
	*out = api_print(r);
	return 0;
}

static int
op_register_scalable_target(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	(void)fault;
	model *m = self;
	int rc = cfg_call_now(m, "application-autoscaling:RegisterScalableTarget", in, err);
	if (rc != 0)
		return rc;
	cJSON *r = cJSON_CreateObject();
	char *arn = xasprintf("arn:aws:application-autoscaling:%s:%s:scalable-target/ecsim",
	    m->p->region, m->p->account);
	cJSON_AddStringToObject(r, "ScalableTargetARN", arn);
	free(arn);
	*out = api_print(r);
	return 0;
}

static int
op_put_scaling_policy(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	(void)fault;
	model *m = self;
	jr_obj o;
	jr_val v;
	const char *name = "", *rid = "";
	int rc = jr_object(in, &o, err);
	if (rc == 0 && jr_get(&o, "PolicyName", &v))
		rc = jr_str(&v, &name, err);
	if (rc == 0 && jr_get(&o, "ResourceId", &v))
		rc = jr_str(&v, &rid, err);
	if (rc == 0)
		rc = cfg_call_now(m, "application-autoscaling:PutScalingPolicy", in, err);
	if (rc != 0)
		return rc;
	cJSON *r = cJSON_CreateObject();
	char *arn = xasprintf("arn:aws:autoscaling:%s:%s:scalingPolicy:ecsim:resource/ecs/%s:"
	    "policyName/%s", m->p->region, m->p->account, rid, name);
	cJSON_AddStringToObject(r, "PolicyARN", arn);
	free(arn);
	cJSON_AddArrayToObject(r, "Alarms");
	*out = api_print(r);
	return 0;
}

/* One alarm as CloudWatch's DescribeAlarms shows it. The alarms target
 * tracking creates have no metadata of their own: they watch the policy's
 * metric of the service. */
static cJSON *
alarm_json(const model *m, const struct svc_scaling *ss, const char *name,
    const alarm *a, const sp_policy *tt)
{
	const alarm_config *c = alarm_get_config(a);
	static const char *const states[] = {"INSUFFICIENT_DATA", "OK", "ALARM"};
	static const char *const cmps[] = {"GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
	    "LessThanThreshold", "LessThanOrEqualToThreshold"};
	static const char *const stats[] = {"Average", "Sum", "Minimum", "Maximum", "SampleCount"};
	static const char *const missing[] = {"missing", "notBreaching", "breaching", "ignore"};
	cJSON *x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "AlarmName", name);
	char *arn = xasprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", m->p->region, m->p->account, name);
	cJSON_AddStringToObject(x, "AlarmArn", arn);
	free(arn);
	cJSON_AddBoolToObject(x, "ActionsEnabled", true);
	cJSON *acts = cJSON_AddArrayToObject(x, "AlarmActions");
	for (int i = 0; i < c->nalarm_actions; i++)
		cJSON_AddItemToArray(acts, cJSON_CreateString(c->alarm_actions[i]));
	cJSON_AddStringToObject(x, "StateValue", states[alarm_get_state(a)]);
	const char *metric = c->metric_name, *ns = c->ns;
	if (metric == NULL && tt != NULL) {
		static const char *const names[] = {"CPUUtilization", "MemoryUtilization",
		    "RequestCountPerTarget", "CPUUtilization", "MemoryUtilization"};
		metric = names[tt->tt.metric];
		ns = tt->tt.metric == SP_METRIC_ALB_REQUESTS ? "AWS/ApplicationELB" : "AWS/ECS";
	}
	if (metric)
		cJSON_AddStringToObject(x, "MetricName", metric);
	if (ns)
		cJSON_AddStringToObject(x, "Namespace", ns);
	cJSON_AddStringToObject(x, "Statistic", stats[c->statistic]);
	cJSON *dims = cJSON_AddArrayToObject(x, "Dimensions");
	if (c->ndims > 0) {
		for (int i = 0; i < c->ndims; i++) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "Name", c->dims[i].name);
			cJSON_AddStringToObject(d, "Value", c->dims[i].value);
			cJSON_AddItemToArray(dims, d);
		}
	} else if (tt != NULL && tt->tt.metric != SP_METRIC_ALB_REQUESTS) {
		const char *k[2] = {"ClusterName", "ServiceName"};
		const char *v[2] = {ss->s->cl->name, ss->s->name};
		for (int i = 0; i < 2; i++) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "Name", k[i]);
			cJSON_AddStringToObject(d, "Value", v[i]);
			cJSON_AddItemToArray(dims, d);
		}
	}
	cJSON_AddNumberToObject(x, "Period", (double)(c->period / SIM_SEC));
	cJSON_AddNumberToObject(x, "EvaluationPeriods", c->evaluation_periods);
	cJSON_AddNumberToObject(x, "DatapointsToAlarm", c->datapoints_to_alarm);
	cJSON_AddNumberToObject(x, "Threshold", c->threshold);
	cJSON_AddStringToObject(x, "ComparisonOperator", cmps[c->cmp]);
	cJSON_AddStringToObject(x, "TreatMissingData", missing[c->treat_missing]);
	return x;
}

static bool
alarm_wanted(const char *name, const char **names, int nnames, const char *prefix)
{
	return api_wanted(names, nnames, name) &&
	    (prefix == NULL || strncmp(name, prefix, strlen(prefix)) == 0);
}

static int
op_describe_alarms(void *self, const jr_val *in, char **out, aws_fault *fault, sim_error *err)
{
	model *m = self;
	jr_obj o;
	int rc, nnames, ntypes, max;
	const char **names, **types, *prefix, *state, *tok, *action;
	if ((rc = jr_object(in, &o, err)) || (rc = jr_opt_str_array(&o, "AlarmNames", &names, &nnames, err)) ||
	    (rc = jr_opt_str_array(&o, "AlarmTypes", &types, &ntypes, err)) ||
	    (rc = jr_opt_str(&o, "AlarmNamePrefix", NULL, &prefix, err)) ||
	    (rc = jr_opt_str(&o, "StateValue", NULL, &state, err)) ||
	    (rc = jr_opt_str(&o, "ActionPrefix", NULL, &action, err)) ||
	    (rc = jr_opt_int32(&o, "MaxRecords", 1, 100, 50, &max, err)) ||
	    (rc = jr_opt_str(&o, "NextToken", NULL, &tok, err)))
		return rc;
	jr_ignore(&o, "ChildrenOfAlarmName");
	jr_ignore(&o, "ParentsOfAlarmName");
	if ((rc = jr_done(&o, err)))
		return rc;
	int start = 0;
	if (tok != NULL) {
		char *end;
		long v = strncmp(tok, "ecsim-", 6) == 0 ? strtol(tok + 6, &end, 10) : -1;
		if (v < 0 || *end != '\0' || v > 1000000)
			return aws_fault_client(fault, "InvalidNextToken", "Invalid token: %.64s", tok);
		start = (int)v;
	}
	static const char *const states[] = {"INSUFFICIENT_DATA", "OK", "ALARM"};
	cJSON *r = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(r, "MetricAlarms");
	int seen = 0;
	for (int i = 0; m->aas && i < m->aas->n; i++) {
		const struct svc_scaling *ss = m->aas->list[i];
		for (int k = 0; k < ss->npol + ss->nextra; k++) {
			for (int j = 0; j < 2; j++) {
				const alarm *al;
				const char *name;
				const sp_policy *tt = NULL;
				if (k < ss->npol) {
					al = j ? ss->pol[k].low : ss->pol[k].high;
					name = j ? ss->pol[k].low_name : ss->pol[k].high_name;
					tt = ss->pol[k].cfg;
				} else {
					al = j ? NULL : ss->extra[k - ss->npol];
					name = al ? alarm_get_config(al)->name : NULL;
				}
				if (al == NULL || name == NULL ||
				    !alarm_wanted(name, names, nnames, prefix) ||
				    (state && strcmp(state, states[alarm_get_state(al)]) != 0))
					continue;
				if (seen >= start && seen < start + max)
					cJSON_AddItemToArray(a, alarm_json(m, ss, name, al, tt));
				seen++;
			}
		}
	}
	api_token(r, start + max, seen);
	*out = api_print(r);
	return 0;
}

static int
op_put_metric_alarm(void *self, const jr_val *in, char **out, aws_fault *fault,
    sim_error *err)
{
	(void)fault;
	model *m = self;
	int rc = cfg_call_now(m, "cloudwatch:PutMetricAlarm", in, err);
	if (rc != 0)
		return rc;
	*out = xstrdup("{}");
	return 0;
}

void
aas_register_api(model_cfg *c)
{
	optab *t = c->ops;
	optab_service(t, "application-autoscaling", "ValidationException",
	    "UnknownOperationException");
	optab_add(t, "application-autoscaling:DescribeScalableTargets",
	    op_describe_scalable_targets, OPTAB_READ);
	optab_add(t, "application-autoscaling:DescribeScalingPolicies",
	    op_describe_scaling_policies, OPTAB_READ);
	optab_add(t, "application-autoscaling:DescribeScalingActivities",
	    op_describe_scaling_activities, OPTAB_READ);
	optab_add(t, "application-autoscaling:RegisterScalableTarget",
	    op_register_scalable_target, 0);
	optab_add(t, "application-autoscaling:PutScalingPolicy", op_put_scaling_policy, 0);
	optab_service(t, "cloudwatch", "InvalidParameterValue", "InvalidAction");
	optab_add(t, "cloudwatch:DescribeAlarms", op_describe_alarms, OPTAB_READ);
	optab_add(t, "cloudwatch:PutMetricAlarm", op_put_metric_alarm, 0);
}
