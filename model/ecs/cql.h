/*
 * cql — the subset of the ECS cluster query language that placement
 * constraints (memberOf) use: parse an expression once into a small tree,
 * then evaluate it against container instances.
 *
 * Grammar [DOC] cluster-query-language.html, precedence ours:
 *
 *   expr    := and { ("||" | "or") and }
 *   and     := unary { ("&&" | "and") unary }
 *   unary   := ("!" | "not") unary | "(" expr ")" | compare
 *   compare := subject op [argument]
 *
 *   subject  attribute:<name> | ec2InstanceId | runningTasksCount |
 *            agentConnected       (agentVersion, registeredAt and
 *            task:group are rejected as not supported by ecsim)
 *   op       == != > >= < <= exists !exists in !in =~ !~, or the named
 *            forms equals, not_equals, greater_than, greater_than_equal,
 *            less_than, less_than_equal, not_exists, not_in, matches,
 *            not_matches (all lower case)
 *   argument a value, or for in / !in a list "[v1, v2, ...]"; a value is a
 *            bare word (t3.*, us-east-1a: any run of characters other than
 *            white space and ( ) [ ] , ' " = ! < > & |) or a string in
 *            single or double quotes, running to the next quote of the
 *            same kind (no escapes: regex backslashes pass unchanged)
 *
 * "&&" binds tighter than "||"; both are left-associative. Keywords are
 * lower case. The expression is at most 2000 characters [DOC]; characters
 * are counted (and positions reported) in bytes.
 *
 * Operators allowed per subject [DOC]: ec2InstanceId and agentConnected
 * take == != in !in =~ !~; runningTasksCount takes == != > >= < <= in !in
 * with whole-number arguments; attributes take every operator. The
 * argument of agentConnected (other than for =~ / !~) is true or false.
 *
 * Semantics:
 *  - == != > >= < <= and in compare numerically when both sides read fully
 *    as finite decimal numbers ("1.0" == "1"), else as byte strings
 *    (strcmp order, case-sensitive). [INF]
 *  - =~ / !~ take a Java regular expression [DOC]; ecsim supports the
 *    subset: literal characters, '.', classes "[a-z0-9]" / "[^...]",
 *    escapes \d \w \s and "\x" for a literal x, the quantifiers * + ?, and
 *    '^' / '$' at the ends. The whole value must match (Java's
 *    Pattern.matches) [INF]. Anything else ( "(" "|" "{" ...) is a parse
 *    error. Note that "t3*" means 't' then any number of '3' (as in Java),
 *    while "t3.*" means "starts with t3".
 *  - A subject that is absent (an attribute the instance does not have,
 *    one set without a value, a NULL field) makes every positive operator
 *    false and every negated one (!=, !in, !~) true: "a != v" is exactly
 *    "!(a == v)". exists is true for an attribute set without a value.
 *    [INF]
 *
 * Ownership: the tree lives in the arena given to cql_parse. Evaluation
 * allocates nothing and is O(size of the tree × length of the values).
 */
#ifndef MODEL_ECS_CQL_H
#define MODEL_ECS_CQL_H

#include <stdbool.h>

#include "sim/arena.h"
#include "sim/error.h"

struct recorder;

/* [DOC] PlacementConstraint.expression: at most 2000 characters. */
#define CQL_MAX_LEN 2000

typedef struct cql_expr cql_expr;

/* A custom attribute of an instance. value NULL: set without a value. */
typedef struct cql_attr {
	const char *name;
	const char *value;
} cql_attr;

/* What an expression can see of one container instance (all borrowed).
 * The built-in attributes have their own fields (NULL = absent); attrs
 * holds any others (a name also given by a field is shadowed by it). */
typedef struct cql_target {
	const char *ec2_instance_id; /* ec2InstanceId */
	int running_tasks;           /* runningTasksCount (all services) */
	bool agent_connected;        /* agentConnected */
	const char *az;              /* attribute:ecs.availability-zone */
	const char *instance_type;   /* attribute:ecs.instance-type */
	const char *os_type;         /* attribute:ecs.os-type ("linux") */
	const char *cpu_arch;        /* attribute:ecs.cpu-architecture */
	const cql_attr *attrs;
	int nattrs;
} cql_target;

/* Parse text into *out (allocated in a). Returns 0, or SIM_EINPUT with
 * err->msg like "cql: expected an operator after
 * 'attribute:ecs.instance-type' at character 29" (1-based byte offset;
 * one past the end when input ran out). err has no file, line or path:
 * the caller reports it at the JSON value holding the expression. */
int cql_parse(arena *a, const char *text, const cql_expr **out,
    sim_error *err);

/* True when the instance t satisfies e. */
bool cql_eval(const cql_expr *e, const cql_target *t);

/* The text e was parsed from (borrowed from the arena). */
const char *cql_text(const cql_expr *e);

/* Look up attribute name ("ecs.availability-zone", "stack") on t: returns
 * true when present and sets *value (NULL when set without a value). */
bool cql_attr_get(const cql_target *t, const char *name, const char **value);

/* The built-in attributes, interned: their names resolve once (at parse
 * time, or once per placement) to these ids, so look-ups on the hot path
 * compare no strings. */
enum {
	CQL_ATTR_AZ,            /* ecs.availability-zone */
	CQL_ATTR_INSTANCE_TYPE, /* ecs.instance-type */
	CQL_ATTR_OS_TYPE,       /* ecs.os-type */
	CQL_ATTR_CPU_ARCH,      /* ecs.cpu-architecture */
	CQL_NBUILTIN
};
/* The id of a built-in attribute name, or -1 for any other name. */
int cql_builtin_attr(const char *name);
/* Built-in attribute id (0 <= id < CQL_NBUILTIN) of t: its value, NULL
 * when absent. */
const char *cql_builtin_value(const cql_target *t, int id);
/* cql_attr_get with the name's id from cql_builtin_attr (-1: look the
 * name up among t's custom attributes). */
bool cql_attr_get_id(const cql_target *t, int id, const char *name,
    const char **value);

/* Record the module's [INF] choices with rec_assume. */
void cql_assume(struct recorder *r);

#endif
