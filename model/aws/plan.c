/*
 * aws/plan — a scenario as the AWS calls that replay it (see plan.h).
 */
#include "model/aws/plan.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/simtime.h"
#include "sim/xalloc.h"

#define TAG_KEY "ecsim:run-id"

/* ---- reading the scenario ---- */

static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *s = NULL;
	size_t n = 0, cap = 0, k;
	char buf[8192];
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0) {
		xgrow((void **)&s, &cap, n + k + 1, 1);
		memcpy(s + n, buf, k);
		n += k;
	}
	fclose(f);
	if (s == NULL)
		s = xstrdup("");
	else
		s[n] = '\0';
	return s;
}

/* Put r in item's place in parent, keeping its member name. */
static void
replace(cJSON *parent, cJSON *item, cJSON *r)
{
	if (cJSON_IsObject(parent) && item->string != NULL) {
		char key[256];
		snprintf(key, sizeof(key), "%s", item->string);
		cJSON_ReplaceItemInObjectCaseSensitive(parent, key, r);
	} else {
		cJSON_ReplaceItemViaPointer(parent, item, r);
	}
}

/* A {"file": "x.json"} reference's JSON (relative to dir), or NULL. */
static cJSON *
load_ref(const cJSON *v, const char *dir)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(v, "file");
	if (!cJSON_IsObject(v) || !cJSON_IsString(f) || cJSON_GetArraySize(v) != 1)
		return NULL;
	char path[2048];
	if (f->valuestring[0] == '/')
		snprintf(path, sizeof(path), "%s", f->valuestring);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, f->valuestring);
	char *text = read_text(path);
	cJSON *j = text ? cJSON_Parse(text) : NULL;
	free(text);
	return j;
}

/* Replace file references by the files' JSON and drop "comment"
 * members, recursively (depth-bounded). */
static void
inline_files(cJSON *v, const char *dir, int depth)
{
	if (depth > 16)
		return;
	if (cJSON_IsObject(v))
		cJSON_DeleteItemFromObjectCaseSensitive(v, "comment");
	for (cJSON *c = v->child; c; c = c->next) {
		cJSON *r = load_ref(c, dir);
		if (r != NULL) {
			replace(v, c, r);
			c = r;
		}
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			inline_files(c, dir, depth + 1);
	}
}

/* ---- building ---- */

static awsplan_call *
add(awsplan *p, awsplan_phase ph, const char *service, const char *op,
    cJSON *input)
{
	xgrow((void **)&p->calls, &p->cap, p->n + 1, sizeof(*p->calls));
	awsplan_call *c = &p->calls[p->n++];
	memset(c, 0, sizeof(*c));
	c->phase = ph;
	snprintf(c->service, sizeof(c->service), "%s", service);
	snprintf(c->op, sizeof(c->op), "%s", op);
	c->input = input ? input : cJSON_CreateObject();
	return c;
}

static void note(awsplan *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
note(awsplan *p, const char *fmt, ...)
{
	if (p->nnotes >= 8)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->notes[p->nnotes++], sizeof(p->notes[0]), fmt, ap);
	va_end(ap);
}

static const char *
str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Tags in each service's shape. */
static void
tag_ecs(cJSON *in, const char *run)
{
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(in, "tags");
	if (!cJSON_IsArray(tags)) {
		cJSON_DeleteItemFromObjectCaseSensitive(in, "tags");
		tags = cJSON_AddArrayToObject(in, "tags");
	}
	cJSON *t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "key", TAG_KEY);
	cJSON_AddStringToObject(t, "value", run);
	cJSON_AddItemToArray(tags, t);
}

static void
tag_elb(cJSON *in, const char *run)
{
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(in, "Tags");
	if (!cJSON_IsArray(tags)) {
		cJSON_DeleteItemFromObjectCaseSensitive(in, "Tags");
		tags = cJSON_AddArrayToObject(in, "Tags");
	}
	cJSON *t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "Key", TAG_KEY);
	cJSON_AddStringToObject(t, "Value", run);
	cJSON_AddItemToArray(tags, t);
}

static void
tag_aas(cJSON *in, const char *run)
{
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(in, "Tags");
	if (!cJSON_IsObject(tags)) {
		cJSON_DeleteItemFromObjectCaseSensitive(in, "Tags");
		tags = cJSON_AddObjectToObject(in, "Tags");
	}
	cJSON_AddStringToObject(tags, TAG_KEY, run);
}

static void
refname(char *buf, size_t size, const char *kind, const char *name)
{
	snprintf(buf, size, "%s/%s", kind, name);
}

static cJSON *
ref_string(const char *kind, const char *name)
{
	char b[512];
	snprintf(b, sizeof(b), "${%s/%s}", kind, name);
	return cJSON_CreateString(b);
}

/* Target group and load balancer names where AWS wants ARNs become
 * references; ARNs given as such stay. Recursive over the input. */
static void
arn_refs(cJSON *v)
{
	for (cJSON *c = v ? v->child : NULL; c; c = c->next) {
		if (cJSON_IsString(c) && c->string &&
		    strncmp(c->valuestring, "arn:", 4) != 0 &&
		    strncmp(c->valuestring, "${", 2) != 0) {
			const char *kind = NULL;
			if (strcmp(c->string, "targetGroupArn") == 0 ||
			    strcmp(c->string, "TargetGroupArn") == 0)
				kind = "tg";
			else if (strcmp(c->string, "LoadBalancerArn") == 0 ||
			    strcmp(c->string, "loadBalancerArn") == 0)
				kind = "lb";
			if (kind) {
				cJSON *r = ref_string(kind, c->valuestring);
				replace(v, c, r);
				c = r;
			}
		} else if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
			arn_refs(c);
		}
	}
}

static cJSON *
obj1(const char *k, const char *v)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, k, v);
	return o;
}

static cJSON *
list_of(const char *csv)
{
	cJSON *a = cJSON_CreateArray();
	while (csv && *csv) {
		size_t n = strcspn(csv, ",");
		char *s = xstrndup(csv, n);
		cJSON_AddItemToArray(a, cJSON_CreateString(s));
		free(s);
		csv += n;
		if (*csv == ',')
			csv++;
	}
	return a;
}

/* The cleanup of what one call creates, recorded to be emitted in
 * dependency order after the timeline. */
typedef enum undo_kind {
	U_SCHED, U_POLICY, U_TARGET, U_ALARM, U_SERVICE, U_LB, U_TG,
	U_TASKDEF, U_CLUSTER, U_NKINDS
} undo_kind;

typedef struct undo {
	undo_kind kind;
	char a[200], b[200], c[200]; /* names */
} undo;

typedef struct builder {
	awsplan *p;
	const awsplan_opts *o;
	undo *undos;
	size_t nundo, capundo;
	int ntd;  /* task definition revisions registered */
} builder;

static void
push_undo(builder *b, undo_kind k, const char *x, const char *y,
    const char *z)
{
	xgrow((void **)&b->undos, &b->capundo, b->nundo + 1, sizeof(*b->undos));
	undo *u = &b->undos[b->nundo++];
	u->kind = k;
	snprintf(u->a, sizeof(u->a), "%s", x ? x : "");
	snprintf(u->b, sizeof(u->b), "%s", y ? y : "");
	snprintf(u->c, sizeof(u->c), "%s", z ? z : "");
}

static void
save(awsplan_call *c, const char *ref, const char *path)
{
	snprintf(c->save_ref, sizeof(c->save_ref), "%s", ref);
	snprintf(c->save_path, sizeof(c->save_path), "%s", path);
}

/* A call that creates or changes something: tag it, turn names into
 * references, note what to clean up. Used for setup sections and for
 * timeline calls alike. */
static void
creating_call(builder *b, awsplan_phase ph, sim_time at, const char *service,
    const char *op, cJSON *in)
{
	const char *run = b->o->run_id;
	char ref[512];
	arn_refs(in);
	awsplan_call *c;
	if (strcmp(service, "ecs") == 0 && strcmp(op, "RegisterTaskDefinition") == 0) {
		tag_ecs(in, run);
		c = add(b->p, ph, service, op, in);
		char n[16];
		snprintf(n, sizeof(n), "%d", ++b->ntd);
		refname(ref, sizeof(ref), "taskdef", n);
		save(c, ref, "taskDefinition.taskDefinitionArn");
		push_undo(b, U_TASKDEF, n, NULL, NULL);
	} else if (strcmp(service, "ecs") == 0 && strcmp(op, "CreateService") == 0) {
		tag_ecs(in, run);
		const char *cl = str_of(in, "cluster");
		const char *sv = str_of(in, "serviceName");
		c = add(b->p, ph, service, op, in);
		char key[400];
		snprintf(key, sizeof(key), "%s/%s", cl ? cl : "default", sv ? sv : "");
		refname(ref, sizeof(ref), "service", key);
		save(c, ref, "service.serviceArn");
		push_undo(b, U_SERVICE, cl ? cl : "default", sv ? sv : "", NULL);
	} else if (strcmp(service, "ecs") == 0 && strcmp(op, "CreateCluster") == 0) {
		tag_ecs(in, run);
		const char *cl = str_of(in, "clusterName");
		c = add(b->p, ph, service, op, in);
		refname(ref, sizeof(ref), "cluster", cl ? cl : "default");
		save(c, ref, "cluster.clusterArn");
		push_undo(b, U_CLUSTER, cl ? cl : "default", NULL, NULL);
	} else if (strcmp(service, "elbv2") == 0 && strcmp(op, "CreateTargetGroup") == 0) {
		tag_elb(in, run);
		const char *name = str_of(in, "Name");
		cJSON *attrs = cJSON_DetachItemFromObjectCaseSensitive(in, "Attributes");
		c = add(b->p, ph, service, op, in);
		refname(ref, sizeof(ref), "tg", name ? name : "");
		save(c, ref, "TargetGroups.0.TargetGroupArn");
		push_undo(b, U_TG, name, NULL, NULL);
		if (attrs != NULL) {
			cJSON *m = cJSON_CreateObject();
			cJSON_AddItemToObject(m, "TargetGroupArn", ref_string("tg", name ? name : ""));
			cJSON_AddItemToObject(m, "Attributes", attrs);
			c = add(b->p, ph, "elbv2", "ModifyTargetGroupAttributes", m);
		}
	} else if (strcmp(service, "application-autoscaling") == 0 &&
	    strcmp(op, "RegisterScalableTarget") == 0) {
		tag_aas(in, run);
		c = add(b->p, ph, service, op, in);
		const char *rid = str_of(in, "ResourceId");
		refname(ref, sizeof(ref), "target", rid ? rid : "");
		save(c, ref, "ScalableTargetARN");
		push_undo(b, U_TARGET, str_of(in, "ServiceNamespace"), rid,
		    str_of(in, "ScalableDimension"));
	} else if (strcmp(service, "application-autoscaling") == 0 &&
	    strcmp(op, "PutScalingPolicy") == 0) {
		c = add(b->p, ph, service, op, in);
		const char *pn = str_of(in, "PolicyName");
		char key[400];
		snprintf(key, sizeof(key), "%s/%s", str_of(in, "ResourceId") ?
		    str_of(in, "ResourceId") : "", pn ? pn : "");
		refname(ref, sizeof(ref), "policy", key);
		save(c, ref, "PolicyARN");
		push_undo(b, U_POLICY, pn, str_of(in, "ResourceId"),
		    str_of(in, "ScalableDimension"));
	} else if (strcmp(service, "application-autoscaling") == 0 &&
	    strcmp(op, "PutScheduledAction") == 0) {
		c = add(b->p, ph, service, op, in);
		const char *sn = str_of(in, "ScheduledActionName");
		char key[400];
		snprintf(key, sizeof(key), "%s/%s", str_of(in, "ResourceId") ?
		    str_of(in, "ResourceId") : "", sn ? sn : "");
		refname(ref, sizeof(ref), "scheduled", key);
		save(c, ref, "");
		push_undo(b, U_SCHED, sn, str_of(in, "ResourceId"),
		    str_of(in, "ScalableDimension"));
	} else if (strcmp(service, "cloudwatch") == 0 && strcmp(op, "PutMetricAlarm") == 0) {
		tag_elb(in, run);
		c = add(b->p, ph, service, op, in);
		const char *an = str_of(in, "AlarmName");
		refname(ref, sizeof(ref), "alarm", an ? an : "");
		save(c, ref, "");
		push_undo(b, U_ALARM, an, NULL, NULL);
	} else {
		c = add(b->p, ph, service, op, in);
	}
	c->at = at;
}

/* Load balancers: CreateLoadBalancer, then its listeners and rules. */
static void
create_lb(builder *b, const cJSON *lb)
{
	const char *name = str_of(lb, "Name");
	cJSON *in = cJSON_Duplicate(lb, 1);
	cJSON *listeners = cJSON_DetachItemFromObjectCaseSensitive(in, "Listeners");
	if (!cJSON_GetObjectItemCaseSensitive(in, "Subnets"))
		cJSON_AddItemToObject(in, "Subnets", b->o->subnets ?
		    list_of(b->o->subnets) : cJSON_CreateString("${--subnets}"));
	if (!cJSON_GetObjectItemCaseSensitive(in, "SecurityGroups") && b->o->security_groups)
		cJSON_AddItemToObject(in, "SecurityGroups", list_of(b->o->security_groups));
	tag_elb(in, b->o->run_id);
	awsplan_call *c = add(b->p, AWSPLAN_SETUP, "elbv2", "CreateLoadBalancer", in);
	char ref[512];
	refname(ref, sizeof(ref), "lb", name ? name : "");
	save(c, ref, "LoadBalancers.0.LoadBalancerArn");
	push_undo(b, U_LB, name, NULL, NULL);
	int k = 0;
	for (cJSON *l = listeners ? listeners->child : NULL; l; l = l->next, k++) {
		cJSON *li = cJSON_Duplicate(l, 1);
		cJSON *rules = cJSON_DetachItemFromObjectCaseSensitive(li, "Rules");
		cJSON_DeleteItemFromObjectCaseSensitive(li, "LoadBalancerArn");
		cJSON_AddItemToObject(li, "LoadBalancerArn", ref_string("lb", name ? name : ""));
		arn_refs(li);
		tag_elb(li, b->o->run_id);
		c = add(b->p, AWSPLAN_SETUP, "elbv2", "CreateListener", li);
		char key[300], lref[400];
		const cJSON *port = cJSON_GetObjectItemCaseSensitive(l, "Port");
		snprintf(key, sizeof(key), "%s/%d", name ? name : "",
		    cJSON_IsNumber(port) ? port->valueint : k);
		refname(lref, sizeof(lref), "listener", key);
		save(c, lref, "Listeners.0.ListenerArn");
		for (cJSON *r = rules ? rules->child : NULL; r; r = r->next) {
			cJSON *ri = cJSON_Duplicate(r, 1);
			char lr[420];
			snprintf(lr, sizeof(lr), "${%s}", lref);
			cJSON_AddStringToObject(ri, "ListenerArn", lr);
			arn_refs(ri);
			tag_elb(ri, b->o->run_id);
			add(b->p, AWSPLAN_SETUP, "elbv2", "CreateRule", ri);
		}
		cJSON_Delete(rules);
	}
	cJSON_Delete(listeners);
}

static void
setup_create(builder *b, const cJSON *root)
{
	const cJSON *x, *e;
	x = cJSON_GetObjectItemCaseSensitive(root, "clusters");
	bool any_cluster = false;
	cJSON_ArrayForEach(e, x) {
		const char *name = str_of(e, "clusterName");
		cJSON *in = obj1("clusterName", name ? name : "default");
		creating_call(b, AWSPLAN_SETUP, 0, "ecs", "CreateCluster", in);
		any_cluster = true;
		const cJSON *inst = cJSON_GetObjectItemCaseSensitive(e, "instances");
		if (cJSON_GetArraySize(inst) > 0)
			note(b->p, "cluster %s: ecsim does not launch the scenario's container instances; register EC2 capacity into the cluster%s before its services need it",
			    name ? name : "default",
			    " (ECS-optimized AMI, ECS_CLUSTER in /etc/ecs/ecs.config)");
		if (cJSON_GetObjectItemCaseSensitive(e, "autoScalingGroups") ||
		    cJSON_GetObjectItemCaseSensitive(e, "capacityProviders"))
			note(b->p, "cluster %s: Auto Scaling groups and capacity providers are not created%s; use --use-existing for them",
			    name ? name : "default", "");
	}
	/* Services may name a cluster the scenario leaves implicit. */
	if (!any_cluster) {
		x = cJSON_GetObjectItemCaseSensitive(root, "services");
		cJSON_ArrayForEach(e, x) {
			const char *cl = str_of(e, "cluster");
			creating_call(b, AWSPLAN_SETUP, 0, "ecs", "CreateCluster",
			    obj1("clusterName", cl ? cl : "default"));
			break;
		}
	}
	x = cJSON_GetObjectItemCaseSensitive(root, "taskDefinitions");
	cJSON_ArrayForEach(e, x)
		creating_call(b, AWSPLAN_SETUP, 0, "ecs", "RegisterTaskDefinition",
		    cJSON_Duplicate(e, 1));
	x = cJSON_GetObjectItemCaseSensitive(root, "targetGroups");
	cJSON_ArrayForEach(e, x) {
		cJSON *in = cJSON_Duplicate(e, 1);
		if (!cJSON_GetObjectItemCaseSensitive(in, "VpcId"))
			cJSON_AddStringToObject(in, "VpcId", b->o->vpc_id ?
			    b->o->vpc_id : "${--vpc-id}");
		creating_call(b, AWSPLAN_SETUP, 0, "elbv2", "CreateTargetGroup", in);
	}
	x = cJSON_GetObjectItemCaseSensitive(root, "loadBalancers");
	cJSON_ArrayForEach(e, x)
		create_lb(b, e);
	x = cJSON_GetObjectItemCaseSensitive(root, "services");
	cJSON_ArrayForEach(e, x)
		creating_call(b, AWSPLAN_SETUP, 0, "ecs", "CreateService",
		    cJSON_Duplicate(e, 1));
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scaling");
	static const struct {
		const char *key, *op;
	} sections[] = {
		{"scalableTargets", "RegisterScalableTarget"},
		{"scalingPolicies", "PutScalingPolicy"},
		{"scheduledActions", "PutScheduledAction"},
	};
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		x = cJSON_GetObjectItemCaseSensitive(sc, sections[i].key);
		cJSON_ArrayForEach(e, x)
			creating_call(b, AWSPLAN_SETUP, 0, "application-autoscaling",
			    sections[i].op, cJSON_Duplicate(e, 1));
	}
	x = cJSON_GetObjectItemCaseSensitive(sc, "alarms");
	cJSON_ArrayForEach(e, x)
		creating_call(b, AWSPLAN_SETUP, 0, "cloudwatch", "PutMetricAlarm",
		    cJSON_Duplicate(e, 1));
}

static awsplan_call *
lookup(builder *b, const char *service, const char *op, cJSON *in,
    const char *check_path, const char *check_value)
{
	awsplan_call *c = add(b->p, AWSPLAN_SETUP, service, op, in);
	snprintf(c->check_path, sizeof(c->check_path), "%s", check_path);
	snprintf(c->check_value, sizeof(c->check_value), "%s", check_value);
	return c;
}

static cJSON *
names_of(const char *key, const char *name)
{
	cJSON *in = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(in, key);
	cJSON_AddItemToArray(a, cJSON_CreateString(name));
	return in;
}

static void
setup_existing(builder *b, const cJSON *root)
{
	const cJSON *x, *e;
	char ref[512];
	x = cJSON_GetObjectItemCaseSensitive(root, "clusters");
	cJSON_ArrayForEach(e, x) {
		const char *name = str_of(e, "clusterName");
		lookup(b, "ecs", "DescribeClusters", names_of("clusters", name ? name : "default"),
		    "clusters.0.status", "ACTIVE");
	}
	x = cJSON_GetObjectItemCaseSensitive(root, "taskDefinitions");
	cJSON_ArrayForEach(e, x) {
		const char *fam = str_of(e, "family");
		lookup(b, "ecs", "DescribeTaskDefinition", obj1("taskDefinition", fam ? fam : ""),
		    "taskDefinition.status", "ACTIVE");
	}
	x = cJSON_GetObjectItemCaseSensitive(root, "targetGroups");
	cJSON_ArrayForEach(e, x) {
		const char *name = str_of(e, "Name");
		awsplan_call *c = lookup(b, "elbv2", "DescribeTargetGroups",
		    names_of("Names", name ? name : ""), "TargetGroups.0.TargetGroupArn", "");
		refname(ref, sizeof(ref), "tg", name ? name : "");
		save(c, ref, "TargetGroups.0.TargetGroupArn");
	}
	x = cJSON_GetObjectItemCaseSensitive(root, "loadBalancers");
	cJSON_ArrayForEach(e, x) {
		const char *name = str_of(e, "Name");
		awsplan_call *c = lookup(b, "elbv2", "DescribeLoadBalancers",
		    names_of("Names", name ? name : ""), "LoadBalancers.0.LoadBalancerArn", "");
		refname(ref, sizeof(ref), "lb", name ? name : "");
		save(c, ref, "LoadBalancers.0.LoadBalancerArn");
	}
	x = cJSON_GetObjectItemCaseSensitive(root, "services");
	cJSON_ArrayForEach(e, x) {
		const char *cl = str_of(e, "cluster");
		const char *sv = str_of(e, "serviceName");
		cJSON *in = names_of("services", sv ? sv : "");
		cJSON_AddStringToObject(in, "cluster", cl ? cl : "default");
		lookup(b, "ecs", "DescribeServices", in, "services.0.status", "ACTIVE");
	}
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scaling");
	x = cJSON_GetObjectItemCaseSensitive(sc, "scalableTargets");
	cJSON_ArrayForEach(e, x) {
		const char *ns = str_of(e, "ServiceNamespace");
		const char *rid = str_of(e, "ResourceId");
		cJSON *in = names_of("ResourceIds", rid ? rid : "");
		cJSON_AddStringToObject(in, "ServiceNamespace", ns ? ns : "ecs");
		lookup(b, "application-autoscaling", "DescribeScalableTargets", in,
		    "ScalableTargets.0.ResourceId", "");
	}
	x = cJSON_GetObjectItemCaseSensitive(root, "clusters");
	cJSON_ArrayForEach(e, x)
		if (cJSON_GetObjectItemCaseSensitive(e, "autoScalingGroups") ||
		    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "instances")) > 0) {
			const char *name = str_of(e, "clusterName");
			note(b->p, "cluster %s: the container instances already registered in it are used as they are%s",
			    name ? name : "default", "");
			break;
		}
}

/* The services the backend can send; others are refused up front. */
static bool
sendable(const char *service)
{
	static const char *const ok[] = {"ecs", "elbv2", "application-autoscaling",
	    "codedeploy", "cloudwatch", "autoscaling"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(service, ok[i]) == 0)
			return true;
	return false;
}

static int
timeline(builder *b, const cJSON *root, const char *path, sim_error *err)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(root, "timeline"), *e;
	cJSON_ArrayForEach(e, x) {
		const char *call = str_of(e, "call");
		const cJSON *atv = cJSON_GetObjectItemCaseSensitive(e, "at");
		sim_time at = 0;
		char why[200];
		if (cJSON_IsString(atv))
			simtime_parse(atv->valuestring, &at, why, sizeof(why));
		else if (cJSON_IsNumber(atv))
			simtime_from_seconds(atv->valuedouble, &at);
		if (call == NULL)
			continue;
		const char *colon = strchr(call, ':');
		char service[32];
		snprintf(service, sizeof(service), "%.*s",
		    (int)(colon ? colon - call : 0), call);
		const char *op = colon ? colon + 1 : call;
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(e, "input");
		if (strcmp(service, "sim") == 0) {
			awsplan_call *c = add(b->p, AWSPLAN_TIMELINE, service, op,
			    cJSON_Duplicate(in, 1));
			c->at = at;
			c->sim_only = true;
			snprintf(c->note, sizeof(c->note),
			    "simulation only: not sent to AWS (%s)",
			    strcmp(op, "SetLoad") == 0 ? "drive the load yourself" :
			    "do it by hand if the replay needs it");
			continue;
		}
		if (!sendable(service))
			return sim_error_set(err, SIM_EINPUT, path, 0, 0, NULL,
			    "timeline call %s: the AWS backend cannot send %s calls", call,
			    service);
		creating_call(b, AWSPLAN_TIMELINE, at, service, op, cJSON_Duplicate(in, 1));
	}
	return 0;
}

static awsplan_call *
cleanup_call(builder *b, const char *service, const char *op, cJSON *in,
    const char *requires)
{
	awsplan_call *c = add(b->p, AWSPLAN_CLEANUP, service, op, in);
	c->best_effort = true;
	snprintf(c->requires, sizeof(c->requires), "%s", requires);
	return c;
}

static void
cleanup(builder *b)
{
	char ref[512];
	for (int k = 0; k < U_NKINDS; k++) {
		/* Latest first within a kind. */
		for (size_t i = b->nundo; i-- > 0;) {
			const undo *u = &b->undos[i];
			if ((int)u->kind != k)
				continue;
			cJSON *in = cJSON_CreateObject();
			awsplan_call *c;
			switch (u->kind) {
			case U_SCHED:
				cJSON_AddStringToObject(in, "ServiceNamespace", "ecs");
				cJSON_AddStringToObject(in, "ScheduledActionName", u->a);
				cJSON_AddStringToObject(in, "ResourceId", u->b);
				cJSON_AddStringToObject(in, "ScalableDimension", u->c);
				snprintf(ref, sizeof(ref), "scheduled/%s/%s", u->b, u->a);
				cleanup_call(b, "application-autoscaling", "DeleteScheduledAction", in, ref);
				break;
			case U_POLICY:
				cJSON_AddStringToObject(in, "PolicyName", u->a);
				cJSON_AddStringToObject(in, "ServiceNamespace", "ecs");
				cJSON_AddStringToObject(in, "ResourceId", u->b);
				cJSON_AddStringToObject(in, "ScalableDimension", u->c);
				snprintf(ref, sizeof(ref), "policy/%s/%s", u->b, u->a);
				cleanup_call(b, "application-autoscaling", "DeleteScalingPolicy", in, ref);
				break;
			case U_TARGET:
				cJSON_AddStringToObject(in, "ServiceNamespace", u->a[0] ? u->a : "ecs");
				cJSON_AddStringToObject(in, "ResourceId", u->b);
				cJSON_AddStringToObject(in, "ScalableDimension", u->c);
				snprintf(ref, sizeof(ref), "target/%s", u->b);
				cleanup_call(b, "application-autoscaling", "DeregisterScalableTarget", in, ref);
				break;
			case U_ALARM: {
				cJSON *a = cJSON_AddArrayToObject(in, "AlarmNames");
				cJSON_AddItemToArray(a, cJSON_CreateString(u->a));
				snprintf(ref, sizeof(ref), "alarm/%s", u->a);
				cleanup_call(b, "cloudwatch", "DeleteAlarms", in, ref);
				break;
			}
			case U_SERVICE: {
				snprintf(ref, sizeof(ref), "service/%s/%s", u->a, u->b);
				cJSON_AddStringToObject(in, "cluster", u->a);
				cJSON_AddStringToObject(in, "service", u->b);
				cJSON_AddNumberToObject(in, "desiredCount", 0);
				cleanup_call(b, "ecs", "UpdateService", in, ref);
				cJSON *d = cJSON_CreateObject();
				cJSON_AddStringToObject(d, "cluster", u->a);
				cJSON_AddStringToObject(d, "service", u->b);
				cJSON_AddTrueToObject(d, "force");
				cleanup_call(b, "ecs", "DeleteService", d, ref);
				cJSON *w = names_of("services", u->b);
				cJSON_AddStringToObject(w, "cluster", u->a);
				c = cleanup_call(b, "ecs", "DescribeServices", w, ref);
				snprintf(c->wait_path, sizeof(c->wait_path), "services.0.status");
				snprintf(c->wait_value, sizeof(c->wait_value), "INACTIVE");
				snprintf(c->note, sizeof(c->note),
				    "repeated every poll interval (at most 15 minutes) until the service is INACTIVE");
				break;
			}
			case U_LB:
				snprintf(ref, sizeof(ref), "lb/%s", u->a);
				cJSON_AddItemToObject(in, "LoadBalancerArn", ref_string("lb", u->a));
				cleanup_call(b, "elbv2", "DeleteLoadBalancer", in, ref);
				break;
			case U_TG:
				snprintf(ref, sizeof(ref), "tg/%s", u->a);
				cJSON_AddItemToObject(in, "TargetGroupArn", ref_string("tg", u->a));
				cleanup_call(b, "elbv2", "DeleteTargetGroup", in, ref);
				break;
			case U_TASKDEF:
				snprintf(ref, sizeof(ref), "taskdef/%s", u->a);
				cJSON_AddItemToObject(in, "taskDefinition", ref_string("taskdef", u->a));
				cleanup_call(b, "ecs", "DeregisterTaskDefinition", in, ref);
				break;
			case U_CLUSTER:
				snprintf(ref, sizeof(ref), "cluster/%s", u->a);
				cJSON_AddStringToObject(in, "cluster", u->a);
				cleanup_call(b, "ecs", "DeleteCluster", in, ref);
				break;
			case U_NKINDS:
				cJSON_Delete(in);
				break;
			}
		}
	}
}

/* The services of a create-service input (setup or timeline). */
static void
add_svc(awsplan *p, const cJSON *in)
{
	const char *name = str_of(in, "serviceName");
	if (name == NULL || p->nsvcs == AWSPLAN_MAX_SVCS)
		return;
	for (int i = 0; i < p->nsvcs; i++)
		if (strcmp(p->svcs[i].name, name) == 0)
			return;
	awsplan_svc *s = &p->svcs[p->nsvcs++];
	memset(s, 0, sizeof(*s));
	const char *cl = str_of(in, "cluster");
	snprintf(s->cluster, sizeof(s->cluster), "%s", cl ? cl : "default");
	snprintf(s->name, sizeof(s->name), "%s", name);
	const cJSON *lb;
	cJSON_ArrayForEach(lb, cJSON_GetObjectItemCaseSensitive(in, "loadBalancers")) {
		const char *tg = str_of(lb, "targetGroupArn");
		if (tg == NULL || s->ntgs == 4)
			continue;
		/* An ARN's name is its second-to-last part: targetgroup/NAME/id. */
		const char *n = tg;
		if (strncmp(tg, "arn:", 4) == 0) {
			const char *t = strstr(tg, "targetgroup/");
			n = t ? t + 12 : tg;
		}
		snprintf(s->tgs[s->ntgs++], sizeof(s->tgs[0]), "%.*s",
		    (int)strcspn(n, "/"), n);
	}
}

static void
find_services(awsplan *p, const cJSON *root)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "services"))
		add_svc(p, e);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "timeline")) {
		const char *call = str_of(e, "call");
		if (call && strcmp(call, "ecs:CreateService") == 0)
			add_svc(p, cJSON_GetObjectItemCaseSensitive(e, "input"));
	}
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scaling");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(sc, "scalableTargets")) {
		const char *rid = str_of(e, "ResourceId");
		const char *slash = rid ? strrchr(rid, '/') : NULL;
		for (int i = 0; slash && i < p->nsvcs; i++)
			if (strcmp(p->svcs[i].name, slash + 1) == 0)
				p->svcs[i].scaled = true;
	}
}

int
awsplan_build(awsplan *p, const char *path, const awsplan_opts *o,
    sim_error *err)
{
	memset(p, 0, sizeof(*p));
	char *text = read_text(path);
	if (text == NULL)
		return sim_error_set(err, SIM_EIO, path, 0, 0, NULL, "cannot read the scenario");
	cJSON *root = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return sim_error_set(err, SIM_EINPUT, path, 0, 0, NULL, "not a JSON object");
	}
	char dir[2048];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
	    slash ? path : ".");
	inline_files(root, dir, 0);
	find_services(p, root);
	builder b;
	memset(&b, 0, sizeof(b));
	b.p = p;
	b.o = o;
	awsplan_call *c = add(p, AWSPLAN_SETUP, "sts", "GetCallerIdentity", NULL);
	save(c, "account", "Account");
	snprintf(c->note, sizeof(c->note), "the account, checked against --account");
	if (o->create)
		setup_create(&b, root);
	else
		setup_existing(&b, root);
	int rc = timeline(&b, root, path, err);
	if (rc == 0)
		cleanup(&b);
	free(b.undos);
	cJSON_Delete(root);
	return rc;
}

void
awsplan_fini(awsplan *p)
{
	for (size_t i = 0; i < p->n; i++)
		cJSON_Delete(p->calls[i].input);
	free(p->calls);
	memset(p, 0, sizeof(*p));
}

void
awsplan_print(const awsplan *p, FILE *out)
{
	for (int i = 0; i < p->nnotes; i++)
		fprintf(out, "note: %s\n", p->notes[i]);
	for (size_t i = 0; i < p->n; i++) {
		const awsplan_call *c = &p->calls[i];
		char when[40], t[32];
		if (c->phase == AWSPLAN_SETUP)
			snprintf(when, sizeof(when), "setup");
		else if (c->phase == AWSPLAN_CLEANUP)
			snprintf(when, sizeof(when), "cleanup");
		else
			snprintf(when, sizeof(when), "+%s", simtime_format(c->at, t, sizeof(t)));
		char *j = cJSON_PrintUnformatted(c->input);
		fprintf(out, "#%zu %s %s:%s %s\n", i + 1, when, c->service, c->op, j);
		free(j);
		if (c->note[0])
			fprintf(out, "    (%s)\n", c->note);
		if (c->check_path[0])
			fprintf(out, "    (must exist: %s%s%s)\n", c->check_path,
			    c->check_value[0] ? " = " : "", c->check_value);
	}
}

void
awsplan_refs_set(awsplan_refs *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->name[i], name) == 0) {
			snprintf(r->value[i], sizeof(r->value[i]), "%s", value);
			return;
		}
	size_t cap = r->cap;
	xgrow((void **)&r->name, &cap, r->n + 1, sizeof(*r->name));
	cap = r->cap;
	xgrow((void **)&r->value, &cap, r->n + 1, sizeof(*r->value));
	r->cap = cap;
	snprintf(r->name[r->n], sizeof(r->name[0]), "%s", name);
	snprintf(r->value[r->n], sizeof(r->value[0]), "%s", value);
	r->n++;
}

const char *
awsplan_refs_get(const awsplan_refs *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->name[i], name) == 0)
			return r->value[i];
	return NULL;
}

void
awsplan_refs_fini(awsplan_refs *r)
{
	free(r->name);
	free(r->value);
	memset(r, 0, sizeof(*r));
}

static bool
resolve_in(cJSON *v, const awsplan_refs *r, const char **missing)
{
	for (cJSON *c = v ? v->child : NULL; c; c = c->next) {
		if (cJSON_IsString(c) && strncmp(c->valuestring, "${", 2) == 0) {
			size_t n = strlen(c->valuestring);
			if (n < 4 || c->valuestring[n - 1] != '}')
				continue;
			char name[512];
			snprintf(name, sizeof(name), "%.*s", (int)(n - 3), c->valuestring + 2);
			const char *val = awsplan_refs_get(r, name);
			if (val == NULL) {
				*missing = c->valuestring;
				return false;
			}
			cJSON_SetValuestring(c, val);
		} else if ((cJSON_IsObject(c) || cJSON_IsArray(c)) &&
		    !resolve_in(c, r, missing)) {
			return false;
		}
	}
	return true;
}

cJSON *
awsplan_resolve(const cJSON *input, const awsplan_refs *r,
    const char **missing)
{
	cJSON *copy = cJSON_Duplicate(input, 1);
	*missing = NULL;
	if (!resolve_in(copy, r, missing)) {
		cJSON_Delete(copy);
		return NULL;
	}
	return copy;
}

const cJSON *
awsplan_at(const cJSON *answer, const char *path)
{
	const cJSON *v = answer;
	char part[128];
	while (v && *path) {
		size_t n = strcspn(path, ".");
		snprintf(part, sizeof(part), "%.*s", (int)n, path);
		if (cJSON_IsArray(v)) {
			char *end;
			long i = strtol(part, &end, 10);
			v = *end ? NULL : cJSON_GetArrayItem(v, (int)i);
		} else {
			v = cJSON_GetObjectItemCaseSensitive(v, part);
		}
		path += n;
		if (*path == '.')
			path++;
	}
	return v;
}
