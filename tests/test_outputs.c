/*
 * Tests for how outputs reach the disk and the reader (issue 10): a
 * planted symlink cannot redirect a write, a run's files are one set
 * (old or new, never a mix, after a full disk on the third file, a signal,
 * or a second run into the same directory), long directory paths work,
 * and each medium escapes what could forge or inject (terminal and CI log
 * lines, Markdown, XML).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/check_text.h"
#include "reports/rout.h"
#include "reports/writer.h"
#include "sim/xalloc.h"
#include "tests/suites.h"

static char TMP[64];
static sim_error err;

static void
setup(void)
{
	snprintf(TMP, sizeof(TMP), "/tmp/ecsim-outputs-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(TMP));
	sim_error_clear(&err);
	rout_inject_failure(0, 0);
}

static void
teardown(void)
{
	rout_inject_failure(0, 0);
	char *cmd = xasprintf("rm -rf '%s'", TMP);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char *buf = xmalloc(1 << 16);
	size_t n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The names in dir, sorted, space-separated, hidden ones included. */
static char *
listing(const char *dir)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	char *names[64];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < 64)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			names[n++] = xstrdup(e->d_name);
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	char *out = xstrdup("");
	for (int i = 0; i < n; i++) {
		char *next = xasprintf("%s%s%s", out, i ? " " : "", names[i]);
		free(out);
		free(names[i]);
		out = next;
	}
	return out;
}

/* The generators of a four-file set: "<tag> <file>\n". */
typedef struct set_ctx {
	const char *tag;
	int stop_in; /* raise SIGINT while writing file n (1-based), or 0 */
} set_ctx;

static void
gen_n(rout *o, const set_ctx *c, int n)
{
	rout_printf(o, "%s %d\n", c->tag, n);
	if (c->stop_in == n) {
		rout_flush(o); /* the temporary file holds something */
		raise(SIGINT);
	}
}

static void gen1(rout *o, const void *c) { gen_n(o, c, 1); }
static void gen2(rout *o, const void *c) { gen_n(o, c, 2); }
static void gen3(rout *o, const void *c) { gen_n(o, c, 3); }
static void gen4(rout *o, const void *c) { gen_n(o, c, 4); }

static const rwrite_item SET[] = {
	{"summary.json", gen1},
	{"timeline.csv", gen2},
	{"events.log", gen3},
	{"report.html", gen4},
};

static int
write_set(const char *dir, const set_ctx *c)
{
	rwrite_dir *d;
	int rc = rwrite_open(dir, &d, &err);
	if (rc != 0)
		return rc;
	rc = rwrite_set(d, SET, 4, c, &err);
	rwrite_close(d);
	return rc;
}

/* Every file of the set in dir says tag, and nothing else is there. */
static void
assert_set(const char *dir, const char *tag)
{
	char *ls = listing(dir);
	ck_assert_str_eq(ls, "events.log report.html summary.json timeline.csv");
	free(ls);
	for (int i = 0; i < 4; i++) {
		char *p = xasprintf("%s/%s", dir, SET[i].name);
		char *want = xasprintf("%s %d\n", tag, i + 1);
		char *got = slurp(p);
		ck_assert_str_eq(got, want);
		free(got);
		free(want);
		free(p);
	}
}

START_TEST(test_symlink_not_followed)
{
	char *dir = xasprintf("%s/out", TMP);
	char *victim = xasprintf("%s/victim", TMP);
	char *link = xasprintf("%s/summary.json", dir);
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	FILE *f = fopen(victim, "w");
	fputs("precious\n", f);
	fclose(f);
	/* planted at the final name ... */
	ck_assert_int_eq(symlink(victim, link), 0);
	/* ... and at every name the old writer would have used */
	char *old = xasprintf("%s/timeline.csv.tmp.%ld", dir, (long)getpid());
	ck_assert_int_eq(symlink(victim, old), 0);
	set_ctx c = {"new", 0};
	ck_assert_int_eq(write_set(dir, &c), 0);
	char *got = slurp(victim);
	ck_assert_str_eq(got, "precious\n");
	free(got);
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	got = slurp(link);
	ck_assert_str_eq(got, "new 1\n");
	free(got);
	unlink(old);
	free(old);
	free(link);
	free(victim);
	free(dir);
}
END_TEST

START_TEST(test_set_full_disk_third_file)
{
	char *dir = xasprintf("%s/run", TMP);
	set_ctx c1 = {"old", 0}, c2 = {"new", 0};
	ck_assert_int_eq(write_set(dir, &c1), 0);
	assert_set(dir, "old");
	/* each file is one write: the third write is events.log's */
	rout_inject_failure(3, ENOSPC);
	ck_assert_int_eq(write_set(dir, &c2), SIM_EIO);
	char *want = xasprintf("cannot write '%s/events.log': No space left on "
	    "device", dir);
	ck_assert_str_eq(err.msg, want);
	free(want);
	/* the old set, whole: no new summary.json beside an old report */
	assert_set(dir, "old");
	rout_inject_failure(0, 0);
	ck_assert_int_eq(write_set(dir, &c2), 0);
	assert_set(dir, "new");
	/* a first run that fails leaves no partial set (and no directory it
	 * made for nothing) */
	char *fresh = xasprintf("%s/fresh", TMP);
	rout_inject_failure(2, ENOSPC);
	ck_assert_int_eq(write_set(fresh, &c2), SIM_EIO);
	struct stat st;
	ck_assert_int_ne(stat(fresh, &st), 0);
	free(fresh);
	free(dir);
}
END_TEST

START_TEST(test_set_signal_cleans_up)
{
	char *dir = xasprintf("%s/sig", TMP);
	set_ctx c1 = {"old", 0}, c2 = {"new", 2};
	ck_assert_int_eq(write_set(dir, &c1), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		write_set(dir, &c2); /* dies inside, writing timeline.csv */
		_exit(0);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
	    "the child was not ended by SIGINT (status %d)", status);
	/* no temporary file left, the old set intact */
	assert_set(dir, "old");
	free(dir);
}
END_TEST

START_TEST(test_set_lock)
{
	char *dir = xasprintf("%s/locked", TMP);
	int ready[2], done[2];
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(done), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		rwrite_dir *d;
		char b = 0;
		if (rwrite_open(dir, &d, &err) != 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		if (read(done[0], &b, 1) != 1) /* hold it until told */
			_exit(1);
		rwrite_close(d);
		_exit(0);
	}
	char b;
	ck_assert_int_eq(read(ready[0], &b, 1), 1);
	/* another run holds the directory: refused, nothing mixed in */
	rwrite_dir *d = NULL;
	ck_assert_int_eq(rwrite_open(dir, &d, &err), SIM_EIO);
	ck_assert_ptr_null(d);
	char *want = xasprintf("output directory '%s' is being written by "
	    "another ecsim run (its files must come from one run; wait for it "
	    "or choose another directory)", dir);
	ck_assert_str_eq(err.msg, want);
	free(want);
	ck_assert_int_eq(write(done[1], "d", 1), 1);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* released when its holder is done */
	set_ctx c = {"mine", 0};
	ck_assert_int_eq(write_set(dir, &c), 0);
	assert_set(dir, "mine");
	close(ready[0]);
	close(ready[1]);
	close(done[0]);
	close(done[1]);
	free(dir);
}
END_TEST

START_TEST(test_long_directory_path)
{
	/* 14 levels of 200 bytes: a 2,8 KB path (PATH_MAX is 4096) */
	char *dir = xstrdup(TMP);
	char comp[201];
	memset(comp, 'd', 200);
	comp[200] = '\0';
	for (int i = 0; i < 14; i++) {
		char *next = xasprintf("%s/%s", dir, comp);
		free(dir);
		dir = next;
	}
	ck_assert_uint_gt(strlen(dir), 2800);
	set_ctx c = {"deep", 0};
	ck_assert_int_eq(write_set(dir, &c), 0);
	assert_set(dir, "deep");
	/* a single file named by its full path (--junit) */
	char *path = xasprintf("%s/junit.xml", dir);
	ck_assert_int_eq(rwrite_path(path, gen1, &c, &err), 0);
	char *got = slurp(path);
	ck_assert_str_eq(got, "deep 1\n");
	free(got);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_empty_names)
{
	rwrite_dir *d = NULL;
	set_ctx c = {"x", 0};
	ck_assert_int_eq(rwrite_open("", &d, &err), SIM_EUSAGE);
	ck_assert_str_eq(err.msg, "the output directory name is empty");
	ck_assert_int_eq(rwrite_path("", gen1, &c, &err), SIM_EUSAGE);
	ck_assert_str_eq(err.msg,
	    "the output file name is empty (use - for standard output)");
	ck_assert_int_eq(rwrite_path(TMP, gen1, &c, &err), SIM_EUSAGE);
	char *want = xasprintf("cannot write '%s': it is a directory (name a "
	    "file)", TMP);
	ck_assert_str_eq(err.msg, want);
	free(want);
}
END_TEST

START_TEST(test_path_fifo)
{
	char *fifo = xasprintf("%s/pipe", TMP);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) { /* the reader at the other end */
		FILE *f = fopen(fifo, "r");
		char buf[64] = "";
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		if (write(fds[1], buf, n) != (ssize_t)n)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	set_ctx c = {"piped", 0};
	/* a FIFO is written through, not replaced by a file */
	ck_assert_int_eq(rwrite_path(fifo, gen2, &c, &err), 0);
	char buf[64] = "";
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	ck_assert_int_eq(n, 8);
	ck_assert_str_eq(buf, "piped 2\n");
	int status;
	waitpid(pid, &status, 0);
	struct stat st;
	ck_assert_int_eq(lstat(fifo, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	close(fds[0]);
	free(fifo);
}
END_TEST

/* ---- escaping for each medium ---- */

#define HOSTILE "web\nPASS  forged: all good\n::error::pwned \x1b[2J\xc2\x9b" \
	"31m \x7f end"

START_TEST(test_text_escapes)
{
	rout *o = rout_mem();
	rout_text(o, HOSTILE);
	ck_assert_str_eq(rout_mem_text(o, NULL), "web\\nPASS  forged: all good"
	    "\\n::error::pwned \\x1b[2J\\u009b31m \\x7f end");
	rout_free(o);
	/* check's lines: one line per verdict, whatever the names hold */
	o = rout_mem();
	sim_error e;
	sim_error_set(&e, SIM_EINPUT, "s\n.json", 1, 1, "", "bad \x1b]0;title\a");
	rcheck_error(o, "a\nPASS  b", &e, 0);
	rcheck_valid(o, "f\r.json", "n\x1b[1m");
	ck_assert_str_eq(rout_mem_text(o, NULL),
	    "ERROR a\\nPASS  b: s\\n.json:1:1: bad \\x1b]0;title\\x07\n"
	    "f\\r.json: ok (n\\x1b[1m)\n");
	rout_free(o);
}
END_TEST

START_TEST(test_markdown_escapes)
{
	rout *o = rout_mem();
	rout_md(o, "[click](http://evil.example) ![img](x.png) <img src=x> "
	    "www.evil.example a@b.example *b* _i_ `c` | ~~s~~ &amp; :smile: "
	    "$x$ # h\nnext");
	ck_assert_str_eq(rout_mem_text(o, NULL),
	    "\\[click\\]\\(http\\://evil\\.example\\) \\!\\[img\\]\\(x\\.png\\) "
	    "&lt;img src=x\\> www\\.evil\\.example a\\@b\\.example \\*b\\* \\_i\\_ "
	    "\\`c\\` \\| \\~\\~s\\~\\~ \\&amp; \\:smile\\: \\$x\\$ \\# h next");
	rout_free(o);
}
END_TEST

START_TEST(test_xml_escapes)
{
	rout *o = rout_mem();
	rout_xml_attr(o, "<script>\"&'\n\x1b");
	ck_assert_str_eq(rout_mem_text(o, NULL),
	    "&lt;script&gt;&quot;&amp;&#39;&#10;\xEF\xBF\xBD");
	rout_free(o);
}
END_TEST

Suite *
outputs_suite(void)
{
	Suite *s = suite_create("outputs");
	TCase *tc = tcase_create("writer");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_symlink_not_followed);
	tcase_add_test(tc, test_set_full_disk_third_file);
	tcase_add_test(tc, test_set_signal_cleans_up);
	tcase_add_test(tc, test_set_lock);
	tcase_add_test(tc, test_long_directory_path);
	tcase_add_test(tc, test_empty_names);
	tcase_add_test(tc, test_path_fifo);
	suite_add_tcase(s, tc);
	tc = tcase_create("escaping");
	tcase_add_test(tc, test_text_escapes);
	tcase_add_test(tc, test_markdown_escapes);
	tcase_add_test(tc, test_xml_escapes);
	suite_add_tcase(s, tc);
	return s;
}
