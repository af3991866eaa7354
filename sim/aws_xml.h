/*
 * aws_xml — the XML of AWS's query protocol (ELBv2, STS) read into JSON,
 * with libxml2 (Debian libxml2-dev), so that every response reaches its
 * reader in one shape whatever the protocol.
 *
 * Mapping: an element with no child elements becomes a string (its text:
 * the query protocol carries no types, so numbers and booleans stay
 * strings and readers convert); an element whose children are all
 * <member> (or <item>) becomes an array of them; an empty element is ""
 * (an empty list cannot be told from an empty string in the XML); any
 * other element becomes an object of its children, a name given twice
 * turning into an array.
 *
 * Only built when libxml2 is (ECSIM_HAVE_AWS); awsxml_available says so.
 */
#ifndef SIM_AWS_XML_H
#define SIM_AWS_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* True when built with libxml2. */
bool awsxml_available(void);

/* The result of a query-protocol response: the content of the element
 * <{op}Result> (anywhere below the root) as JSON, or an empty object when
 * the response has none (a Delete* answer). Returns an owned cJSON (free
 * with cJSON_Delete), or NULL when the text is not well-formed XML or the
 * library is absent. */
cJSON *awsxml_result(const char *xml, size_t len, const char *op);

/* The error of a query-protocol error response: the first <Error>'s
 * <Code> and <Message>, and <RequestId> wherever it is. Returns true when
 * a Code was found; fields not found are left "". */
bool awsxml_error(const char *xml, size_t len, char *code, size_t csize,
    char *msg, size_t msize, char *request_id, size_t rsize);

#endif
