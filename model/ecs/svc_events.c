/*
 * svc_events — service event messages with AWS's texts and simulated
 * timestamps, into the recorder's event log.
 *
 * [DOC] Duplicate event messages are suppressed until the cause resolves
 * or 6 hours pass (service-event-messages.html); the window is the
 * parameter ecs.eventDeduplication.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ecs/ecs.h"
#include "sim/xalloc.h"

static void
emit(service *s, const char *text)
{
	char *src = xasprintf("service/%s", s->name);
	rec_event_add(s->m->rec, eng_now(s->m->eng), src, "ecs", "%s", text);
	free(src);
}

void
sev_emit(service *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *buf = xvasprintf(fmt, ap);
	va_end(ap);
	emit(s, buf);
	free(buf);
}

void
sev_emit_dedup(service *s, int kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *buf = xvasprintf(fmt, ap);
	va_end(ap);
	sim_time now = eng_now(s->m->eng);
	if (s->last_text[kind] != NULL && strcmp(s->last_text[kind], buf) == 0 &&
	    now - s->last_time[kind] < s->m->p->event_dedup) {
		free(buf);
		return;
	}
	s->last_text[kind] = arena_strdup(s->m->a, buf);
	s->last_time[kind] = now;
	emit(s, buf);
	free(buf);
}

void
sev_resolve(service *s, int kind)
{
	s->last_text[kind] = NULL;
}
