/*
 * aws_creds — credentials and region from the environment and the shared
 * files (see aws_creds.h).
 */
#include "sim/aws_creds.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
awscred_getenv(const char *name, void *ctx)
{
	(void)ctx;
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static char *
trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int
awscred_ini_get(const char *path, const char *section, const char *key,
    char *val, size_t size, sim_error *err)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
		    "cannot read '%s': %s", path, strerror(errno));
	}
	char line[8192];
	int in = 0, found = 0;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *s = trim(line);
		if (*s == '#' || *s == ';' || *s == '\0')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (end == NULL)
				continue;
			*end = '\0';
			in = strcmp(trim(s + 1), section) == 0;
			continue;
		}
		if (!in)
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		if (strcmp(trim(s), key) == 0) {
			snprintf(val, size, "%s", trim(eq + 1));
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* Default path of a shared file: $HOME/.aws/<name>. */
static void
shared_path(char *buf, size_t size, awscred_env_fn env, void *ctx,
    const char *var, const char *name)
{
	const char *p = env(var, ctx);
	if (p != NULL) {
		snprintf(buf, size, "%s", p);
		return;
	}
	const char *home = env("HOME", ctx);
	snprintf(buf, size, "%s/.aws/%s", home ? home : ".", name);
}

/* Keys of one profile from the credentials file, then the config file.
 * Returns 1 found, 0 not found, <0 error. */
static int
from_profile(aws_creds *out, const char *profile, const char *cred_path,
    const char *conf_path, sim_error *err)
{
	char csect[200];
	snprintf(csect, sizeof(csect), strcmp(profile, "default") == 0 ?
	    "%s" : "profile %s", profile);
	const char *files[2] = {cred_path, conf_path};
	const char *sects[2] = {profile, csect};
	for (int i = 0; i < 2; i++) {
		int a = awscred_ini_get(files[i], sects[i], "aws_access_key_id",
		    out->access_key, sizeof(out->access_key), err);
		if (a < 0)
			return a;
		int s = awscred_ini_get(files[i], sects[i], "aws_secret_access_key",
		    out->secret_key, sizeof(out->secret_key), err);
		if (s < 0)
			return s;
		if (a && s) {
			int t = awscred_ini_get(files[i], sects[i], "aws_session_token",
			    out->session_token, sizeof(out->session_token), err);
			if (t < 0)
				return t;
			snprintf(out->source, sizeof(out->source), "%s [%s]", files[i],
			    sects[i]);
			return 1;
		}
		if (a != s)
			return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, NULL,
			    "%s [%s]: aws_access_key_id and aws_secret_access_key go together; only %s is set",
			    files[i], sects[i], a ? "aws_access_key_id" : "aws_secret_access_key");
	}
	/* A profile that gets its keys some other way. */
	static const char *const others[] = {"role_arn", "sso_start_url",
	    "sso_session", "credential_process", "web_identity_token_file"};
	for (size_t k = 0; k < sizeof(others) / sizeof(others[0]); k++) {
		char v[512];
		int r = awscred_ini_get(conf_path, csect, others[k], v, sizeof(v), err);
		if (r < 0)
			return r;
		if (r > 0)
			return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, NULL,
			    "profile '%s' gets its credentials through %s, which ecsim does not follow; export keys first: eval \"$(aws configure export-credentials --profile %s --format env)\"",
			    profile, others[k], profile);
	}
	return 0;
}

int
awscred_region(char *region, size_t size, awscred_env_fn env, void *ctx,
    const char *profile, sim_error *err)
{
	region[0] = '\0';
	const char *r = env("AWS_REGION", ctx);
	if (r == NULL)
		r = env("AWS_DEFAULT_REGION", ctx);
	if (r != NULL) {
		snprintf(region, size, "%s", r);
		return 0;
	}
	char conf_path[1024], csect[200];
	shared_path(conf_path, sizeof(conf_path), env, ctx, "AWS_CONFIG_FILE",
	    "config");
	const char *prof = profile ? profile : env("AWS_PROFILE", ctx);
	if (prof == NULL)
		prof = "default";
	snprintf(csect, sizeof(csect), strcmp(prof, "default") == 0 ?
	    "%s" : "profile %s", prof);
	int rc = awscred_ini_get(conf_path, csect, "region", region, size, err);
	return rc < 0 ? rc : 0;
}

int
awscred_resolve(aws_creds *out, awscred_env_fn env, void *ctx,
    const char *profile, sim_error *err)
{
	memset(out, 0, sizeof(*out));
	char cred_path[1024], conf_path[1024];
	shared_path(cred_path, sizeof(cred_path), env, ctx,
	    "AWS_SHARED_CREDENTIALS_FILE", "credentials");
	shared_path(conf_path, sizeof(conf_path), env, ctx, "AWS_CONFIG_FILE",
	    "config");
	const char *prof = profile ? profile : env("AWS_PROFILE", ctx);
	if (prof == NULL)
		prof = "default";
	int found = 0, rc;
	if (profile == NULL) {
		const char *ak = env("AWS_ACCESS_KEY_ID", ctx);
		const char *sk = env("AWS_SECRET_ACCESS_KEY", ctx);
		if ((ak == NULL) != (sk == NULL))
			return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, NULL,
			    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together; only %s is set",
			    ak ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY");
		if (ak != NULL) {
			snprintf(out->access_key, sizeof(out->access_key), "%s", ak);
			snprintf(out->secret_key, sizeof(out->secret_key), "%s", sk);
			const char *tk = env("AWS_SESSION_TOKEN", ctx);
			snprintf(out->session_token, sizeof(out->session_token), "%s",
			    tk ? tk : "");
			snprintf(out->source, sizeof(out->source), "environment");
			found = 1;
		}
	}
	if (!found) {
		if ((rc = from_profile(out, prof, cred_path, conf_path, err)) < 0)
			return rc;
		found = rc;
	}
	if (!found)
		return sim_error_set(err, SIM_EINPUT, NULL, 0, 0, NULL,
		    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in %s or %s (profile '%s')",
		    cred_path, conf_path, prof);
	if ((rc = awscred_region(out->region, sizeof(out->region), env, ctx,
	    profile, err)) < 0)
		return rc;
	return 0;
}
