/*
 * plan — timeline parsing and the backend-driving loop (see plan.h).
 */
#include "sim/plan.h"

#include <string.h>

#include "sim/jread.h"

/* Calls are "service:Operation"; suggest the nearest known name. */
static int
find_call(const scn_spec *spec, const jr_val *v, const char *name, int *out,
    sim_error *err)
{
	int best = -1, bestd = 3;
	for (int i = 0; i < spec->ncalls; i++) {
		if (strcmp(spec->calls[i].name, name) == 0) {
			*out = i;
			return 0;
		}
		int d = jr_edit_distance(spec->calls[i].name, name, 2);
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	if (best >= 0)
		return jr_fail(v, err, "unknown call \"%s\"; did you mean \"%s\"?",
		    name, spec->calls[best].name);
	return jr_fail(v, err, "unknown call \"%s\" (docs/scenario.md lists the calls ecsim understands)",
	    name);
}

int
plan_parse(scenario *s, const scn_spec *spec, const jr_val *v, sim_error *err)
{
	int n, rc;
	if ((rc = jr_array(v, &n, err)) != 0)
		return rc;
	plan *p = s->timeline;
	p->actions = ARENA_ARRAY(s->arena, plan_action, (size_t)(n ? n : 1));
	p->n = 0;
	for (int i = 0; i < n; i++) {
		jr_val ev, cv, iv;
		jr_obj o;
		jr_elem(v, i, &ev);
		if ((rc = jr_object(&ev, &o, err)) != 0)
			return rc;
		plan_action *a = &p->actions[p->n];
		a->pos = jr_where(&ev);
		jr_val at;
		if ((rc = jr_need(&o, "at", &at, err)) != 0 ||
		    (rc = jr_duration(&at, 0, s->duration, &a->at, err)) != 0)
			return rc;
		/* Time order is required, not sorted for the user: calls are
		 * validated in file order (a service must be created before it
		 * is updated), which is only meaningful if that is time order. */
		if (p->n > 0 && a->at < p->actions[p->n - 1].at) {
			char b1[32], b2[32];
			return jr_fail(&at, err,
			    "timeline entries must be in time order: %s comes after %s",
			    simtime_format(a->at, b1, sizeof(b1)),
			    simtime_format(p->actions[p->n - 1].at, b2, sizeof(b2)));
		}
		if ((rc = jr_need(&o, "call", &cv, err)) != 0 ||
		    (rc = jr_str(&cv, &a->call, err)) != 0 ||
		    (rc = find_call(spec, &cv, a->call, &a->call_index, err)) != 0)
			return rc;
		jr_ignore(&o, "comment");
		if ((rc = jr_need(&o, "input", &iv, err)) != 0)
			return rc;
		a->input_json = jr_to_json(&iv);
		if ((rc = spec->calls[a->call_index].parse(
		    spec->calls[a->call_index].ctx, a->at, &iv, &a->typed, err)) != 0)
			return rc;
		if ((rc = jr_done(&o, err)) != 0)
			return rc;
		p->n++;
	}
	return 0;
}

int
plan_run(const plan *p, const backend_ops *ops, void *self, sim_time end,
    sim_error *err)
{
	int rc;
	for (size_t i = 0; i < p->n; i++) {
		const plan_action *a = &p->actions[i];
		if (a->at > end)
			break;
		if ((rc = ops->advance(self, a->at, err)) != 0)
			return rc;
		if ((rc = ops->apply(self, a, err)) != 0)
			return rc;
	}
	return ops->advance(self, end, err);
}
