/*
 * deploy_alarms — CloudWatch alarms as deployments watch them: the alarm
 * states their owner (model/autoscaling) pushes into ECS, and watches that
 * deployments (ECS rolling and blue/green, CodeDeploy deployment groups)
 * register on alarm names.
 *
 * Direction: the alarm's owner calls dal_alarm_changed whenever an alarm
 * changes state; ECS never calls into Auto Scaling. At load time ECS asks
 * the model_cfg hook alarm_window whether a named alarm exists.
 *
 * Rules ([DOC] deployment-alarm-failure.html): a deployment fails when a
 * watched alarm enters ALARM; an alarm already in ALARM when the watch
 * begins is ignored for that whole deployment; with CloudWatch alarms a
 * rolling deployment is COMPLETED only after steady state plus a bake
 * time ECS derives from the alarms (formula [UNCONFIRMED]; here the
 * longest Period x EvaluationPeriods of the watched alarms [INF],
 * ecs.alarmBakeTime overrides it). ECS polls DescribeAlarms at an
 * undocumented interval; here it reacts when the state changes [INF].
 *
 * Invariant: a watch fires at most once.
 */
#ifndef MODEL_ECS_DEPLOY_ALARMS_H
#define MODEL_ECS_DEPLOY_ALARMS_H

#include "model/ecs/ecs_cfg.h"

typedef struct dal_watch dal_watch;
/* A watched alarm entered ALARM (name: the alarm). */
typedef void (*dal_fire_fn)(void *ctx, const char *name);

/* Alarm `name` is now in state ALARM (in_alarm) or not: called by the
 * alarm's owner on every change. */
void dal_alarm_changed(model *m, const char *name, bool in_alarm);
/* Watch names[0..n): fire(ctx, name) when one of them enters ALARM, except
 * those in ALARM now. Returns the watch (live until dal_unwatch). */
dal_watch *dal_watch_new(model *m, const char *const *names, int n,
    dal_fire_fn fire, void *ctx);
void dal_unwatch(dal_watch *w);
/* A rolling deployment with alarms at steady state: true once its bake
 * time has passed (the first call starts it and schedules a pass for its
 * end). */
bool dal_bake_done(deployment *d);
/* The bake time of alarms names[0..n) (see above). */
sim_time dal_bake_time(const model *m, const char *const *names, int n);
/* Load-time check (a scenario "finish" step): every enabled deployment
 * alarm names an alarm the scenario defines. */
int dal_check_names(void *ctx, const struct scenario *sc, sim_error *err);

#endif
