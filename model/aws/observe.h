/*
 * aws/observe — what AWS answered while a plan ran, written into the
 * recorder under the names the simulator uses (docs/observations.md), so
 * the reports of a real run and of a simulation read alike.
 *
 * Fed with the answers of the polls (DescribeServices, DescribeTasks,
 * DescribeContainerInstances, DescribeTargetHealth,
 * DescribeScalingActivities) as JSON, each with the plan time of the poll;
 * AWS's own timestamps (createdAt, pullStartedAt, ...) are mapped to plan
 * time by (timestamp - origin) * scale, origin being the epoch second of
 * the plan's start. Series are written at each awsobs_sample; events and
 * facts (deployment, task, service, scaling_activity, run) at
 * awsobs_finish, in time order, since AWS publishes events after the fact.
 *
 * What polling cannot see exactly is bounded by the poll interval: a
 * target's health changes (no timestamp in DescribeTargetHealth) are
 * dated at the poll that first shows them; so are a deployment's end when
 * its updatedAt is absent.
 *
 * Pure (no network). Invariants: an event or task is recorded once
 * whatever the number of polls that return it; times never decrease.
 */
#ifndef MODEL_AWS_OBSERVE_H
#define MODEL_AWS_OBSERVE_H

#include <cjson/cJSON.h>

#include "sim/recorder.h"
#include "sim/simtime.h"

typedef struct awsobs awsobs;

/* Returns an owned observer writing to r (borrowed); free with
 * awsobs_free. */
awsobs *awsobs_new(recorder *r, double origin_epoch, double scale);
void awsobs_free(awsobs *o);

/* Observe service name of cluster (names as in the scenario). */
void awsobs_add_service(awsobs *o, const char *cluster, const char *name);
/* The service's tasks register into target group arn (named name). */
void awsobs_add_target_group(awsobs *o, const char *service,
    const char *name, const char *arn);

/* Plan time of an AWS timestamp: a number of epoch seconds (JSON 1.1) or
 * an ISO 8601 string (query protocol). Returns false when v is neither. */
bool awsobs_time(const awsobs *o, const cJSON *v, sim_time *out);

/* Answers, each at plan time t of the poll. */
void awsobs_services(awsobs *o, sim_time t, const cJSON *answer);
void awsobs_tasks(awsobs *o, sim_time t, const cJSON *answer);
void awsobs_container_instances(awsobs *o, const cJSON *answer);
void awsobs_target_health(awsobs *o, sim_time t, const char *tg_arn,
    const cJSON *answer);
void awsobs_scaling(awsobs *o, sim_time t, const cJSON *answer);

/* Container instance ARNs tasks named that no answer has mapped to an EC2
 * instance yet: up to max into arns (borrowed); returns the count. */
int awsobs_unknown_instances(const awsobs *o, const char **arns, int max);
/* Task ARNs of a service seen in any answer and not yet STOPPED, up to
 * max (borrowed), for the next DescribeTasks. */
int awsobs_live_tasks(const awsobs *o, const char *service,
    const char **arns, int max);

/* One row of series at plan time t from the latest answers. */
void awsobs_sample(awsobs *o, sim_time t);
/* Events, then facts, into the recorder. Call once, at the end (end: the
 * plan time the run stopped). */
void awsobs_finish(awsobs *o, sim_time end);

#endif
