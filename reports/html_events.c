/*
 * html_events — the filterable event table (see html_events.h).
 */
#include "reports/html_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html_util.h"
#include "reports/rdata.h"

/* The service an event is about, into buf ("" for other sources). */
static const char *
event_service(const rec_event *e, char *buf, size_t size)
{
	const char *s = e->source ? e->source : "";
	const char *name = NULL;
	if (strncmp(s, "service/", 8) == 0)
		name = s + 8;
	else if (strncmp(s, "aas/", 4) == 0)
		name = s + 4;
	snprintf(buf, size, "%s", name ? name : "");
	return buf;
}

/* The filter: shows the selects, hides the rows that do not match. */
static const char script[] =
"<script>\n"
"(function(){var f=document.getElementById('evf'),s=document.getElementById"
"('evs'),k=document.getElementById('evk');if(!f)return;f.hidden=false;\n"
"function u(){var rows=document.querySelectorAll('#evt tbody tr'),n=0;\n"
"for(var i=0;i<rows.length;i++){var r=rows[i],h=(s.value!=='*'&&r.getAttribute"
"('data-s')!==s.value)||(k.value!=='*'&&r.getAttribute('data-k')!==k.value);\n"
"r.hidden=h;if(!h)n++;}document.getElementById('evn').textContent=n+' shown';}\n"
"s.onchange=u;k.onchange=u;})();\n"
"</script>\n";

void
hevents_section(rout *o, const recorder *r)
{
	char b[64], svc[512];
	size_t n = rec_event_count(r);
	if (n == 0)
		return;
	rout_printf(o, "<section class=\"events\" id=\"events\">\n<h2>Events "
	    "<small>%zu</small></h2>\n", n);
	/* the selects: every service, then "other"; every kind */
	rout_puts(o, "<p class=\"filter\" id=\"evf\" hidden>Service <select "
	    "id=\"evs\"><option value=\"*\">all</option>");
	const char **names;
	size_t ns = rdata_services(r, &names);
	for (size_t i = 0; i < ns; i++) {
		rout_puts(o, "<option value=\"");
		rout_xml_attr(o, names[i]);
		rout_puts(o, "\">");
		hutil_esc(o, names[i]);
		rout_puts(o, "</option>");
	}
	free(names);
	rout_puts(o, "<option value=\"\">other (load balancers, Auto Scaling "
	    "groups, simulation)</option></select> Kind <select id=\"evk\">"
	    "<option value=\"*\">all</option>");
	const char *kinds[32];
	size_t nk = 0;
	for (size_t i = 0; i < n && nk < 32; i++) {
		const char *k = rec_event_at(r, i)->kind;
		bool seen = false;
		for (size_t j = 0; j < nk && !seen; j++)
			seen = strcmp(kinds[j], k) == 0;
		if (!seen)
			kinds[nk++] = k;
	}
	for (size_t i = 0; i < nk; i++) {
		rout_puts(o, "<option value=\"");
		rout_xml_attr(o, kinds[i]);
		rout_puts(o, "\">");
		hutil_esc(o, kinds[i]);
		rout_puts(o, "</option>");
	}
	rout_puts(o, "</select> <span id=\"evn\" class=\"more\"></span></p>\n");
	rout_puts(o, "<div class=\"scroll\"><table id=\"evt\" class=\"ev\">\n"
	    "<thead><tr><th class=\"n\">Time</th><th>Source</th><th>Kind</th>"
	    "<th>Event</th></tr></thead>\n<tbody>\n");
	size_t shown = n < HEVENTS_MAX ? n : HEVENTS_MAX;
	for (size_t i = 0; i < shown; i++) {
		const rec_event *e = rec_event_at(r, i);
		rout_puts(o, "<tr data-s=\"");
		rout_xml_attr(o, event_service(e, svc, sizeof(svc)));
		rout_puts(o, "\" data-k=\"");
		rout_xml_attr(o, e->kind);
		rout_puts(o, "\">");
		hutil_td(o, "n", simtime_clock(e->t, b, sizeof(b)));
		hutil_td(o, "k", e->source);
		hutil_td(o, NULL, e->kind);
		hutil_td(o, "w", e->text);
		rout_puts(o, "</tr>\n");
	}
	rout_puts(o, "</tbody></table></div>\n");
	if (n > shown)
		rout_printf(o, "<p class=\"more\">The first %zu of %zu events; "
		    "events.log has them all.</p>\n", shown, n);
	rout_puts(o, script);
	rout_puts(o, "</section>\n");
}
