/*
 * aws_creds — the credentials and region an AWS client signs with, found
 * where the AWS CLI and SDKs look for them:
 *
 *   1. a profile named on the command line (--profile): that profile only;
 *   2. else the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 *      optionally AWS_SESSION_TOKEN (both keys or neither);
 *   3. else the profile AWS_PROFILE (default "default") of the shared
 *      credentials file (AWS_SHARED_CREDENTIALS_FILE, default
 *      ~/.aws/credentials; sections "[name]"), then of the config file
 *      (AWS_CONFIG_FILE, default ~/.aws/config; sections "[default]" and
 *      "[profile name]"), keys aws_access_key_id, aws_secret_access_key,
 *      aws_session_token.
 *
 * The region: AWS_REGION, else AWS_DEFAULT_REGION, else "region" of the
 * profile in the config file. Profiles that obtain keys some other way
 * (role_arn, sso_*, credential_process) are not followed: the error says
 * to export keys with `aws configure export-credentials --format env`.
 *
 * Pure: the environment is read through a caller's function, files by
 * path; nothing is cached. Invariant: a resolved aws_creds has both keys.
 */
#ifndef SIM_AWS_CREDS_H
#define SIM_AWS_CREDS_H

#include <stddef.h>

#include "sim/error.h"

typedef struct aws_creds {
	char access_key[128];
	char secret_key[128];
	char session_token[4096]; /* "" when none */
	char region[64];          /* "" when none was found */
	char source[600];         /* where the keys came from, for messages */
} aws_creds;

/* An environment lookup: the value of name, or NULL when unset. */
typedef const char *(*awscred_env_fn)(const char *name, void *ctx);

/* The process environment (getenv), for awscred_resolve. */
const char *awscred_getenv(const char *name, void *ctx);

/* Resolve credentials and region into *out as described above. profile
 * is the command line's --profile or NULL. Returns 0, or SIM_EINPUT with
 * a message naming what is missing or unreadable (never the secret). */
int awscred_resolve(aws_creds *out, awscred_env_fn env, void *ctx,
    const char *profile, sim_error *err);

/* The region alone (AWS_REGION, AWS_DEFAULT_REGION, the profile's
 * "region"): "" when none is set. Needs no credentials. Returns 0 or
 * SIM_EIO. */
int awscred_region(char *region, size_t size, awscred_env_fn env, void *ctx,
    const char *profile, sim_error *err);

/* Value of key in section of the INI file at path into val (size bytes).
 * Returns 1 when found, 0 when the file, section or key is absent, and
 * SIM_EIO when the file exists but cannot be read. Sections are matched
 * by their exact bracketed text ("profile dev"); keys and values are
 * trimmed; lines starting with '#' or ';' are comments. */
int awscred_ini_get(const char *path, const char *section, const char *key,
    char *val, size_t size, sim_error *err);

#endif
