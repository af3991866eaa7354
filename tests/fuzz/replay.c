/*
 * replay — run a fuzz target's LLVMFuzzerTestOneInput over files and
 * directories of inputs (its committed corpus), without libFuzzer, so the
 * corpus is a regression test under any compiler (`make test`).
 *
 * Usage: replay-TARGET PATH...   (a directory means every file in it,
 * sorted by name). Prints "replay-TARGET: N inputs" and exits 0; a finding
 * aborts, as under the fuzzer.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

static size_t count;

static void
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	size_t cap = 4096, n = 0;
	unsigned char *buf = malloc(cap);
	size_t got;
	while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (buf == NULL) {
		fprintf(stderr, "out of memory reading %s\n", path);
		exit(2);
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	count++;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
run_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		exit(2);
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	DIR *d = opendir(path);
	if (d == NULL) {
		perror(path);
		exit(2);
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		snprintf(names[n++], len, "%s/%s", path, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		run_path(names[i]);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	const char *me = strrchr(argv[0], '/');
	me = me ? me + 1 : argv[0];
	for (int i = 1; i < argc; i++)
		run_path(argv[i]);
	printf("%s: %zu inputs\n", me, count);
	return 0;
}
