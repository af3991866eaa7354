/*
 * aws_xml — query-protocol XML to JSON with libxml2 (see aws_xml.h).
 */
#include "sim/aws_xml.h"

#include <stdio.h>
#include <string.h>

#ifdef ECSIM_HAVE_AWS
#include <libxml/parser.h>
#include <libxml/tree.h>

bool
awsxml_available(void)
{
	return true;
}

static xmlDocPtr
parse(const char *xml, size_t len)
{
	if (len > (size_t)0x7fffffff)
		return NULL;
	/* No network, no entity expansion, no DTD loading, quiet. */
	return xmlReadMemory(xml, (int)len, "response.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOBLANKS);
}

static bool
is_name(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static cJSON *
convert(const xmlNode *e)
{
	int nchild = 0, nmember = 0;
	for (const xmlNode *c = e->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		nchild++;
		if (is_name(c, "member") || is_name(c, "item"))
			nmember++;
	}
	if (nchild == 0) {
		xmlChar *t = xmlNodeGetContent(e);
		cJSON *s = cJSON_CreateString(t ? (const char *)t : "");
		xmlFree(t);
		return s;
	}
	if (nmember == nchild) {
		cJSON *a = cJSON_CreateArray();
		for (const xmlNode *c = e->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE)
				cJSON_AddItemToArray(a, convert(c));
		return a;
	}
	/* An object; a name given more than once is a flattened list. */
	cJSON *o = cJSON_CreateObject();
	for (const xmlNode *c = e->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)c->name;
		int count = 0;
		for (const xmlNode *d = e->children; d; d = d->next)
			if (is_name(d, name))
				count++;
		cJSON *v = convert(c);
		if (count == 1) {
			cJSON_AddItemToObject(o, name, v);
			continue;
		}
		cJSON *a = cJSON_GetObjectItemCaseSensitive(o, name);
		if (a == NULL)
			a = cJSON_AddArrayToObject(o, name);
		cJSON_AddItemToArray(a, v);
	}
	return o;
}

static const xmlNode *
find(const xmlNode *n, const char *name)
{
	for (; n; n = n->next) {
		if (is_name(n, name))
			return n;
		const xmlNode *f = find(n->children, name);
		if (f)
			return f;
	}
	return NULL;
}

cJSON *
awsxml_result(const char *xml, size_t len, const char *op)
{
	xmlDocPtr doc = parse(xml, len);
	if (doc == NULL)
		return NULL;
	char name[256];
	snprintf(name, sizeof(name), "%sResult", op);
	const xmlNode *r = find(xmlDocGetRootElement(doc), name);
	cJSON *out = r ? convert(r) : cJSON_CreateObject();
	if (cJSON_IsString(out)) { /* <OpResult/> or text only: no members */
		cJSON_Delete(out);
		out = cJSON_CreateObject();
	}
	xmlFreeDoc(doc);
	return out;
}

static void
text_of(const xmlNode *n, char *buf, size_t size)
{
	if (n == NULL)
		return;
	xmlChar *t = xmlNodeGetContent(n);
	snprintf(buf, size, "%s", t ? (const char *)t : "");
	xmlFree(t);
}

bool
awsxml_error(const char *xml, size_t len, char *code, size_t csize,
    char *msg, size_t msize, char *request_id, size_t rsize)
{
	code[0] = msg[0] = request_id[0] = '\0';
	xmlDocPtr doc = parse(xml, len);
	if (doc == NULL)
		return false;
	const xmlNode *root = xmlDocGetRootElement(doc);
	const xmlNode *e = find(root, "Error");
	if (e != NULL) {
		text_of(find(e->children, "Code"), code, csize);
		text_of(find(e->children, "Message"), msg, msize);
	}
	const xmlNode *rid = find(root, "RequestId");
	if (rid == NULL)
		rid = find(root, "RequestID");
	text_of(rid, request_id, rsize);
	xmlFreeDoc(doc);
	return code[0] != '\0';
}

#else /* !ECSIM_HAVE_AWS */

bool
awsxml_available(void)
{
	return false;
}

cJSON *
awsxml_result(const char *xml, size_t len, const char *op)
{
	(void)xml;
	(void)len;
	(void)op;
	return NULL;
}

bool
awsxml_error(const char *xml, size_t len, char *code, size_t csize,
    char *msg, size_t msize, char *request_id, size_t rsize)
{
	(void)xml;
	(void)len;
	(void)csize;
	(void)msize;
	(void)rsize;
	code[0] = msg[0] = request_id[0] = '\0';
	return false;
}

#endif
