/*
 * events_log — the event log as text lines (see events_log.h).
 */
#include "reports/events_log.h"

#include <string.h>

/* s with CR and LF as spaces. */
static void
put_one_line(rout *o, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "\r\n");
		rout_write(o, s, n);
		if (s[n] == '\0')
			return;
		rout_putc(o, ' ');
		s += n + 1;
	}
}

void
revents_write(rout *o, const recorder *r)
{
	char clock[48];
	for (size_t i = 0; i < rec_event_count(r); i++) {
		const rec_event *e = rec_event_at(r, i);
		rout_puts(o, simtime_clock(e->t, clock, sizeof(clock)));
		rout_puts(o, "  ");
		put_one_line(o, e->source);
		rout_puts(o, "  ");
		put_one_line(o, e->text);
		rout_putc(o, '\n');
	}
}
