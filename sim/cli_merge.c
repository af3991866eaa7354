/*
 * cli_merge — `ecsim merge PARTIAL... [-o DIR] [--format text|json]
 * [--quiet]`: the partial results of `--shard K/N` runs (files, or
 * directories holding partial-*.json) combined into the result of the
 * unsharded run, byte for byte: the same text, the same seeds.json and
 * seeds.csv (or sweep.csv, sweep.json, sweep.html).
 *
 * Every shard 1..N must be given exactly once, all of the same batch
 * (same scenario, seeds, assignments and expectations); anything else is
 * an input error naming the file.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/arena.h"
#include "sim/cli_batch.h"
#include "sim/jread.h"
#include "sim/xalloc.h"

/* The files named by args: a directory stands for its partial-*.json in
 * name order. Returns an owned array of owned paths. */
static char **
expand(char **args, int n, size_t *count)
{
	char **out = NULL;
	size_t cap = 0;
	*count = 0;
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(args[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			XGROW(out, cap, *count + 1);
			out[(*count)++] = xstrdup(args[i]);
			continue;
		}
		struct dirent **names;
		int k = scandir(args[i], &names, NULL, alphasort);
		for (int j = 0; j < k; j++) {
			const char *nm = names[j]->d_name;
			size_t len = strlen(nm);
			if (strncmp(nm, "partial-", 8) == 0 && len > 5 &&
			    strcmp(nm + len - 5, ".json") == 0) {
				XGROW(out, cap, *count + 1);
				out[(*count)++] = xasprintf("%s/%s", args[i], nm);
			}
			free(names[j]);
		}
		if (k >= 0)
			free(names);
	}
	return out;
}

typedef struct merge {
	rbatch *b;
	char *spec_text;     /* canonical spec of the first partial */
	size_t n;            /* shards */
	bool *seen;          /* shard k seen (k - 1) */
	char **seen_in;      /* file that gave shard k */
} merge;

static int
read_partial(merge *m, const char *path, sim_error *err)
{
	arena *a = arena_new();
	jr_loader *L = jr_loader_new(a);
	jr_val root;
	int rc = jr_load_file(L, path, &root, err);
	if (rc != 0)
		goto out;
	const cJSON *j = root.node;
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
	    "kind"));
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "schemaVersion");
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(j, "spec");
	const cJSON *shard = cJSON_GetObjectItemCaseSensitive(j, "shard");
	const cJSON *runs = cJSON_GetObjectItemCaseSensitive(j, "runs");
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(shard, "k");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(shard, "n");
	if (kind == NULL || strcmp(kind, "ecsim-partial") != 0) {
		rc = jr_fail(&root, err, "not a partial result of ecsim --shard "
		    "(\"kind\" is not \"ecsim-partial\")");
		goto out;
	}
	if (!cJSON_IsNumber(ver) || ver->valuedouble != 1) {
		rc = jr_fail(&root, err, "schemaVersion %g of a partial result; this "
		    "ecsim reads version 1", cJSON_IsNumber(ver) ? ver->valuedouble : 0);
		goto out;
	}
	if (!cJSON_IsObject(spec) || !cJSON_IsArray(runs) || !cJSON_IsNumber(k) ||
	    !cJSON_IsNumber(n) || n->valuedouble < 1 ||
	    k->valuedouble < 1 || k->valuedouble > n->valuedouble) {
		rc = jr_fail(&root, err, "a partial result needs \"spec\", \"shard\" "
		    "{k, n} with 1 <= k <= n, and \"runs\"");
		goto out;
	}
	char *text = cJSON_PrintUnformatted(spec);
	size_t kk = (size_t)k->valuedouble, nn = (size_t)n->valuedouble;
	if (m->b == NULL) {
		rbatch_spec s;
		if ((rc = rbatch_spec_from_json(&s, spec, err)) != 0) {
			snprintf(err->file, sizeof(err->file), "%s", path);
			cJSON_free(text);
			goto out;
		}
		m->b = rbatch_new(&s);
		rbatch_spec_free(&s);
		m->spec_text = xstrdup(text);
		m->n = nn;
		m->seen = xcalloc(nn, sizeof(bool));
		m->seen_in = xcalloc(nn, sizeof(char *));
	}
	bool same = strcmp(text, m->spec_text) == 0;
	cJSON_free(text);
	if (!same) {
		rc = jr_fail(&root, err, "a partial of another batch (its \"spec\" "
		    "differs from %s's)", m->seen_in[0] ? m->seen_in[0] : "the first");
		for (size_t i = 0; i < m->n && m->seen_in[0] == NULL; i++)
			if (m->seen_in[i] != NULL)
				rc = jr_fail(&root, err, "a partial of another batch (its "
				    "\"spec\" differs from %s's)", m->seen_in[i]);
		goto out;
	}
	if (nn != m->n) {
		rc = jr_fail(&root, err, "shard %zu of %zu, but the other partials "
		    "are of %zu shards", kk, nn, m->n);
		goto out;
	}
	if (m->seen[kk - 1]) {
		rc = jr_fail(&root, err, "shard %zu of %zu given twice (also %s)", kk,
		    nn, m->seen_in[kk - 1]);
		goto out;
	}
	m->seen[kk - 1] = true;
	m->seen_in[kk - 1] = xstrdup(path);
	const cJSON *r;
	int ri = 0;
	cJSON_ArrayForEach(r, runs) {
		char where[40];
		snprintf(where, sizeof(where), "runs[%d]", ri++);
		const cJSON *idx = cJSON_GetObjectItemCaseSensitive(r, "index");
		double d = cJSON_IsNumber(idx) ? idx->valuedouble : -1;
		if (d < 0 || d >= (double)m->b->nruns || d != (double)(size_t)d ||
		    (size_t)d % nn != kk - 1 || m->b->have[(size_t)d]) {
			rc = sim_error_set(err, SIM_EINPUT, path, 0, 0, where,
			    "\"index\" missing, out of range, of another shard or "
			    "repeated");
			goto out;
		}
		rrun run;
		if ((rc = rrun_from_json(&run, r, where, err)) != 0) {
			snprintf(err->file, sizeof(err->file), "%s", path);
			goto out;
		}
		rbatch_put(m->b, (size_t)d, &run);
	}
out:
	jr_loader_free(L);
	arena_free(a);
	return rc;
}

int
cli_cmd_merge(int argc, char **argv)
{
	static const struct option longs[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	char **av = xcalloc((size_t)argc + 2, sizeof(char *));
	av[0] = (char *)(uintptr_t)"ecsim merge";
	memcpy(av + 1, argv, (size_t)argc * sizeof(char *));
	const char *outdir = NULL;
	bool json = false, quiet = false;
	int ch, code = -1;
	opterr = 0;
	optind = 1;
	while (code < 0 && (ch = getopt_long(argc + 1, av, ":o:q", longs,
	    NULL)) != -1) {
		if (ch == 'o')
			outdir = optarg;
		else if (ch == 'q')
			quiet = true;
		else if (ch == 'f') {
			if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
				code = cli_usage_error("--format needs text or json");
			json = strcmp(optarg, "json") == 0;
		} else if (ch == ':')
			code = cli_usage_error("%s needs a value", av[optind - 1]);
		else
			code = cli_usage_error("unknown option \"%s\"", av[optind - 1]);
	}
	size_t nfiles = 0;
	char **files = NULL;
	if (code < 0) {
		files = expand(av + optind, argc + 1 - optind, &nfiles);
		if (nfiles == 0)
			code = cli_usage_error("%s", "merge needs partial results (files, "
			    "or directories holding partial-*.json)");
	}
	merge m;
	memset(&m, 0, sizeof(m));
	sim_error err;
	sim_error_clear(&err);
	for (size_t i = 0; code < 0 && i < nfiles; i++)
		if (read_partial(&m, files[i], &err) != 0)
			code = cli_fail(&err);
	for (size_t k = 0; code < 0 && k < m.n; k++)
		if (!m.seen[k]) {
			sim_error_set(&err, SIM_EINPUT, NULL, 0, 0, NULL,
			    "shard %zu of %zu is missing", k + 1, m.n);
			code = cli_fail(&err);
		}
	if (code < 0 && m.b->nhave != m.b->nruns) {
		sim_error_set(&err, SIM_EINPUT, NULL, 0, 0, NULL,
		    "the partials hold %zu of the batch's %zu runs", m.b->nhave,
		    m.b->nruns);
		code = cli_fail(&err);
	}
	if (code < 0) {
		rbatch_finish(m.b);
		code = strcmp(m.b->spec.command, "sweep") == 0 ?
		    cli_sweep_output(m.b, outdir, json, quiet) :
		    cli_seeds_output(m.b, outdir, json, quiet);
	}
	for (size_t k = 0; k < m.n; k++)
		free(m.seen_in[k]);
	free(m.seen_in);
	free(m.seen);
	free(m.spec_text);
	rbatch_free(m.b);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(av);
	return code;
}
