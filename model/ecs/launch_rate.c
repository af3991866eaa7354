/*
 * launch_rate — token buckets for ECS's launch quotas (see launch_rate.h).
 */
#include "model/ecs/launch_rate.h"

#include <math.h>

#include "sim/error.h"

sim_time
lr_take(lr_bucket *b, sim_time now, double burst, double per_second)
{
	SIM_ASSERT(burst > 0 && per_second > 0 && now >= b->at);
	if (!b->started) {
		b->tokens = burst;
		b->started = true;
	} else {
		b->tokens += simtime_to_seconds(now - b->at) * per_second;
		if (b->tokens > burst)
			b->tokens = burst;
	}
	b->at = now;
	/* a whole launch, tolerant of the binary rounding of the refill */
	if (b->tokens >= 1.0 - 1e-9) {
		b->tokens -= 1.0;
		return 0;
	}
	double wait = (1.0 - b->tokens) / per_second;
	sim_time w = (sim_time)ceil(wait * (double)SIM_SEC);
	return w > 0 ? w : 1;
}
