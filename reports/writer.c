/*
 * writer — temporary file, fsync, rename (see writer.h).
 *
 * Invariant: when rwrite_file returns, DIR/name.tmp.<pid> does not exist,
 * and DIR/name is either the complete new report or what it was before.
 */
#include "reports/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/events_log.h"
#include "reports/report_html.h"
#include "reports/summary_json.h"
#include "reports/timeline_csv.h"
#include "sim/xalloc.h"

/* Is path an existing directory? */
static bool
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
rwrite_mkdirs(const char *dir, sim_error *err)
{
	if (dir[0] == '\0' || is_dir(dir))
		return 0;
	char *p = xstrdup(dir);
	int rc = 0;
	/* each prefix ending before a '/', then the whole path */
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (!is_dir(p) && mkdir(p, 0777) != 0 && errno != EEXIST) {
			rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
			    "cannot create directory '%s': %s", p, strerror(errno));
			break;
		}
		if (!is_dir(p)) {
			rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
			    "cannot create directory '%s': %s", p, strerror(ENOTDIR));
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

int
rwrite_file(const char *dir, const char *name, rwrite_fn gen,
    const void *ctx, sim_error *err)
{
	int rc = rwrite_mkdirs(dir, err);
	if (rc != 0)
		return rc;
	size_t dl = strlen(dir);
	const char *sep = dl == 0 || dir[dl - 1] == '/' ? "" : "/";
	char *final = xasprintf("%s%s%s", dir, sep, name);
	char *tmp = xasprintf("%s.tmp.%ld", final, (long)getpid());
	int e = 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		e = errno;
	else {
		rout *o = rout_fd(fd);
		gen(o, ctx);
		e = rout_flush(o);
		rout_free(o);
		if (e == 0 && fsync(fd) != 0)
			e = errno;
		if (close(fd) != 0 && e == 0)
			e = errno;
		if (e == 0 && rename(tmp, final) != 0)
			e = errno;
		if (e != 0)
			unlink(tmp);
	}
	if (e != 0)
		rc = sim_error_set(err, SIM_EIO, NULL, 0, 0, NULL,
		    "cannot write '%s': %s", final, strerror(e));
	free(tmp);
	free(final);
	return rc;
}

/* The generators of rwrite_all, with the arguments they share. */
typedef struct all_ctx {
	const recorder *r;
	const expect_result *res;
} all_ctx;

static void
gen_json(rout *o, const void *p)
{
	const all_ctx *c = p;
	rjson_write(o, c->r, c->res);
}

static void
gen_csv(rout *o, const void *p)
{
	rcsv_write(o, ((const all_ctx *)p)->r);
}

static void
gen_events(rout *o, const void *p)
{
	revents_write(o, ((const all_ctx *)p)->r);
}

static void
gen_html(rout *o, const void *p)
{
	const all_ctx *c = p;
	rhtml_write(o, c->r, c->res);
}

int
rwrite_all(const char *dir, const recorder *r, const expect_result *res,
    sim_error *err)
{
	static const struct {
		const char *name;
		rwrite_fn gen;
	} files[] = {
		{"summary.json", gen_json},
		{"timeline.csv", gen_csv},
		{"events.log", gen_events},
		{"report.html", gen_html},
	};
	all_ctx c = {r, res};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int rc = rwrite_file(dir, files[i].name, files[i].gen, &c, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}
