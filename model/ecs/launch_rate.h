/*
 * launch_rate — the launch quotas of ECS as token buckets (reference
 * §7.1): [DOC] "Rate of tasks launched by a service" 500 per minute, and
 * Fargate's task-launch bucket per account and Region, burst 100 refilled
 * at 20 tasks per second. How the per-service minute quota meters within
 * a minute is not documented: [INF] a bucket of one minute's worth that
 * refills evenly (ecs.serviceLaunchRate / 60 per second).
 *
 * Pure: a bucket is plain data; time is the caller's.
 */
#ifndef MODEL_ECS_LAUNCH_RATE_H
#define MODEL_ECS_LAUNCH_RATE_H

#include <stdbool.h>

#include "sim/simtime.h"

typedef struct lr_bucket {
	double tokens;     /* launches available at `at` */
	sim_time at;       /* when tokens was last brought up to date */
	bool started;      /* false: full at first use */
} lr_bucket;

/* Bring b up to now (capacity burst, refill per_second) and take one
 * launch if there is one: returns 0, or the time from now until a token
 * is there (nothing taken). burst > 0, per_second > 0. */
sim_time lr_take(lr_bucket *b, sim_time now, double burst, double per_second);

#endif
