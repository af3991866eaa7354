/*
 * behaviour — the facts about an image that AWS cannot know: how long it
 * takes to pull, start, become ready and shut down, whether its health
 * checks pass, how often it fails to start or crashes. Section
 * "behaviour": an object keyed by image (exactly as in the container
 * definition) plus an optional "default" entry.
 *
 * Built-in defaults are [INF] and listed in every run's assumptions.
 */
#include <string.h>

#include "model/ecs/ecs_cfg.h"

/* Built-in behaviour [INF]: an EC2 pull of a mid-sized image takes 10-20 s
 * ([DOC] BP pull-behavior), start and readiness a few seconds. */
static void
builtin_default(behaviour *b)
{
	memset(b, 0, sizeof(*b));
	b->image = "";
	b->pull_time.kind = DIST_LOGNORMAL;
	b->pull_time.a = 12 * SIM_SEC;
	b->pull_time.sigma = 0.3;
	b->start_time = dist_constant(2 * SIM_SEC);
	b->ready_time = dist_constant(5 * SIM_SEC);
	b->shutdown_time = dist_constant(2 * SIM_SEC);
	b->health = HC_PASS;
	b->flaky_pass = 1.0;
	b->fail_to_start = 0;
	b->crash_mean = 0;
}

static const char *const outcomes[] = {"pass", "fail"};

static int
parse_entry(const jr_val *v, const behaviour *base, behaviour *b,
    sim_error *err)
{
	jr_obj o;
	jr_val x;
	int rc;
	*b = *base;
	b->given = true;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	if (jr_get(&o, "pullTime", &x) && (rc = dist_parse(&x, &b->pull_time, err)))
		return rc;
	if (jr_get(&o, "startTime", &x) && (rc = dist_parse(&x, &b->start_time, err)))
		return rc;
	if (jr_get(&o, "readyTime", &x) && (rc = dist_parse(&x, &b->ready_time, err)))
		return rc;
	if (jr_get(&o, "shutdownTime", &x) && (rc = dist_parse(&x, &b->shutdown_time, err)))
		return rc;
	if (jr_get(&o, "healthCheck", &x)) {
		if (x.node && cJSON_IsObject(x.node)) {
			jr_obj fo;
			if ((rc = jr_object(&x, &fo, err)) ||
			    (rc = jr_req_num(&fo, "flaky", 0, 1, &b->flaky_pass, err)) ||
			    (rc = jr_done(&fo, err)))
				return rc;
			b->health = HC_FLAKY;
		} else {
			int k;
			if ((rc = jr_enum(&x, outcomes, 2, &k, err)) != 0)
				return rc;
			b->health = k == 0 ? HC_PASS : HC_FAIL;
		}
	}
	if ((rc = jr_opt_num(&o, "failToStart", 0, 1, b->fail_to_start,
	    &b->fail_to_start, err)) != 0)
		return rc;
	if ((rc = jr_opt_duration(&o, "crashMeanTime", 0, SIM_DURATION_MAX,
	    b->crash_mean, &b->crash_mean, err)) != 0)
		return rc;
	jr_ignore(&o, "comment");
	return jr_done(&o, err);
}

int
cfg_parse_behaviour(void *ctx, const jr_val *v, sim_error *err)
{
	model_cfg *c = ctx;
	jr_obj o;
	int rc;
	if ((rc = jr_object(v, &o, err)) != 0)
		return rc;
	int n = jr_member_count(&o);
	/* "default" first, so image entries inherit from it. */
	jr_val dv;
	if (jr_get(&o, "default", &dv)) {
		behaviour base = c->default_beh;
		if ((rc = parse_entry(&dv, &base, &c->default_beh, err)) != 0)
			return rc;
	}
	c->behaviours = ARENA_ARRAY(c->a, behaviour, (size_t)(n ? n : 1));
	c->nbehaviours = 0;
	for (int i = 0; i < n; i++) {
		jr_val ev;
		jr_member(&o, i, &ev);
		if (strcmp(ev.key, "default") == 0)
			continue;
		behaviour *b = &c->behaviours[c->nbehaviours];
		if ((rc = parse_entry(&ev, &c->default_beh, b, err)) != 0)
			return rc;
		b->image = arena_strdup(c->a, ev.key);
		c->nbehaviours++;
	}
	return jr_done(&o, err);
}

void
behaviour_init_defaults(model_cfg *c)
{
	builtin_default(&c->default_beh);
}

const behaviour *
cfg_behaviour_for(const model_cfg *c, const char *image)
{
	for (int i = 0; i < c->nbehaviours; i++)
		if (strcmp(c->behaviours[i].image, image) == 0)
			return &c->behaviours[i];
	return &c->default_beh;
}
