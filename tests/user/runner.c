/*
 * runner.c - /init of build/initramfs-test.cpio: runs every test program
 * of the user-space suite and ends with the kernel's pass/fail exit.
 *
 * Why a runner as init: when init exits Highland prints "init exited with
 * status N" and ends QEMU with PASS for 0 and FAIL otherwise, so the
 * runner's exit status is the boot's verdict. It mounts /proc and /dev (as a
 * Linux init does; EBUSY is fine), lists the directory of test programs
 * (default /tests, or argv[1]) and fork+execs each file named t_* in name
 * order with HL_KTAP_NESTED=1, so each prints an indented KTAP subtest; a
 * program that dies is reported "not ok" with its signal, never lost.
 * HL_TEST_WRAPPER=/usr/bin/qemu-i386 makes it exec each program through
 * that emulator (host runs only: a 64-bit host kernel would otherwise run
 * the children natively, with a 4 GB user address space).
 * Last it checks that MemFree, PageTables and Slab came back
 * (memfree_back_after_all_exits;
 * Highland only: elsewhere MemFree is the whole host's, see
 * docs/userspace.md), then prints "# Totals:".
 */
#include "ut.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TESTS 64

static char *names[MAX_TESTS];
static int ntests;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The programs named t_* in dir, sorted; -1 with a message when dir cannot be read. */
static int list_tests(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		out("# runner: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL && ntests < MAX_TESTS) {
		if (strncmp(e->d_name, "t_", 2) == 0)
			names[ntests++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)ntests, sizeof(names[0]), by_name);
	return 0;
}

/* Mount fstype on dir unless something is mounted there already (EBUSY). */
static void mount_fs(const char *src, const char *dir, const char *fstype)
{
	mkdir(dir, 0755);
	if (mount(src, dir, fstype, 0, NULL) < 0 && errno != EBUSY)
		out("# runner: mount %s on %s: %s\n", fstype, dir, strerror(errno));
}

/* The last "pass fail skip" line the program reported on the counts pipe. */
static void read_counts(int fd, int c[3])
{
	char buf[4096];
	long len = 0;
	ssize_t r;

	while ((r = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0) {
		len += r;
		if (len > (long)sizeof(buf) / 2) {   /* keep the tail only */
			char *nl = memrchr(buf, '\n', (size_t)len - 1);
			long keep = nl ? len - (nl + 1 - buf) : 0;
			memmove(buf, buf + len - keep, (size_t)keep);
			len = keep;
		}
	}
	buf[len] = '\0';
	char *last = buf, *p;
	while ((p = strchr(last, '\n')) && p[1])
		last = p + 1;
	sscanf(last, "%d %d %d", &c[0], &c[1], &c[2]);
}

/* In the forked child: exec the test program with the KTAP environment; never returns. */
static void exec_test(char *path, int counts_fd)
{
	char fdstr[16];

	snprintf(fdstr, sizeof(fdstr), "%d", counts_fd);
	setenv("HL_KTAP_NESTED", "1", 1);
	setenv("HL_KTAP_COUNTS_FD", fdstr, 1);
	/* HL_TEST_WRAPPER (host runs only): exec the program through it, e.g.
	 * /usr/bin/qemu-i386, which the host kernel would otherwise bypass. */
	const char *wrap = getenv("HL_TEST_WRAPPER");
	char *argv[] = { path, NULL };
	char *wargv[] = { (char *)wrap, path, NULL };
	if (wrap && *wrap)
		execv(wrap, wargv);
	else
		execv(path, argv);
	out("    # runner: execv %s: %s\n", wrap && *wrap ? wrap : path, strerror(errno));
	_exit(127);
}

/* Run one program; adds its cases to totals; returns 1 if it passed. */
static int run_one(const char *dir, const char *file, int num, int totals[3])
{
	const char *name = file + 2;   /* t_cow prints suite "cow" */
	char path[512], d[96];
	int pfd[2], status, c[3] = { 0, 0, 0 };

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (pipe(pfd) < 0) {
		out("not ok %d %s # pipe: %s\n", num, name, strerror(errno));
		totals[1]++;
		return 0;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		exec_test(path, pfd[1]);
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		out("not ok %d %s # fork: %s\n", num, name, strerror(errno));
		totals[1]++;
		return 0;
	}
	read_counts(pfd[0], c);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;       /* as init: orphans of the program, reparented to us */
	for (int i = 0; i < 3; i++)
		totals[i] += c[i];
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && c[1] == 0 && c[0] + c[2] > 0) {
		out("ok %d %s\n", num, name);
		return 1;
	}
	describe_status(status, d, sizeof(d));
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 1 && c[1] > 0)) {
		/* It died or gave up outside a case: one more failure, named. */
		out("# %s: pass:%d fail:%d skip:%d total:%d\n", name, c[0], c[1] + 1, c[2],
		    c[0] + c[1] + c[2] + 1);
		out("# %s %s\n", name, d);
		totals[1]++;
	}
	out("not ok %d %s # %s\n", num, name, d);
	return 0;
}

/* /proc/meminfo's MemFree, PageTables and Slab (kB; -1 where absent). */
struct mem_snapshot {
	long free_kb, pgtables_kb, slab_kb;
};

static void snapshot(struct mem_snapshot *m)
{
	m->free_kb = meminfo_kb("MemFree");
	m->pgtables_kb = meminfo_kb("PageTables");
	m->slab_kb = meminfo_kb("Slab");
}

/* One meminfo line back within tol kB of where it started; prints both values. */
static int back(const char *what, long before, long after, long tol, int more_is_worse)
{
	if (before < 0)
		return 1;                       /* the kernel has no such line */
	long lost = more_is_worse ? after - before : before - after;
	int ok = after >= 0 && lost <= tol;
	out("# memfree_back_after_all_exits: %s %ld kB before, %ld kB after (%ld kB lost, "
	    "tolerance %ld kB%s)\n", what, before, after, lost, tol, ok ? "" : ": too much");
	return ok;
}

/*
 * Free memory, page tables and slab back where they started (Highland
 * only): the last top-level case. Tolerances (docs/userspace.md): per-CPU
 * page lists may keep up to 1 MB per CPU and grown slab caches their empty
 * slabs (0.1% of RAM); the page tables are the runner's own at both points,
 * so they must come back to within two pages.
 */
static int memfree_case(const struct mem_snapshot *before, long total_kb, int num, int totals[3])
{
	const char *name = "memfree_back_after_all_exits";
	struct mem_snapshot after;

	if (!hl_is_highland() || before->free_kb < 0) {
		out("ok %d %s # SKIP %s\n", num, name, before->free_kb < 0 ?
		    "no MemFree in /proc/meminfo"
		    : "not Highland: MemFree is the host's, shared with every other process");
		totals[2]++;
		return 1;
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long slab_tol = total_kb / 1000;
	snapshot(&after);
	int ok = back("MemFree", before->free_kb, after.free_kb,
		      1024 * (cpus > 0 ? cpus : 1) + slab_tol, 0);
	ok &= back("PageTables", before->pgtables_kb, after.pgtables_kb, 8, 1);
	ok &= back("Slab", before->slab_kb, after.slab_kb, slab_tol, 1);
	out("%s %d %s\n", ok ? "ok" : "not ok", num, name);
	totals[ok ? 0 : 1]++;
	return ok;
}

/* A host run (HL_TEST_WRAPPER set) starts each program through qemu-user,
 * but an execve the suite itself makes goes to the host kernel, which may
 * have no 32-bit support. Found once, by starting `tiny` directly: if the
 * kernel refuses it, HL_TEST_NO_EXEC tells the cases that exec to skip
 * (ut_exec_unsupported), rather than fail or wait for a child that never
 * ran. */
static void probe_host_exec(const char *dir)
{
	char path[512];
	int st;

	if (!getenv("HL_TEST_WRAPPER"))
		return;
	snprintf(path, sizeof(path), "%s/tiny", dir);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { path, NULL };
		execv(path, argv);
		_exit(errno == ENOEXEC ? 126 : 127);
	}
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 126) {
		setenv("HL_TEST_NO_EXEC", "1", 1);
		out("# runner: this host's kernel refuses i386 programs (execve of %s: ENOEXEC); the "
		    "cases that exec one skip\n", path);
	}
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tests";
	int totals[3] = { 0, 0, 0 }, ok = 1;

	if (getpid() == 1) {
		mount_fs("proc", "/proc", "proc");
		mount_fs("devtmpfs", "/dev", "devtmpfs");
	}
	struct mem_snapshot before;
	long total_kb = meminfo_kb("MemTotal");
	out("KTAP version 1\n");
	if (list_tests(dir) < 0 || ntests == 0) {
		out("1..0 # no test programs found in %s\n", dir);
		return 1;
	}
	probe_host_exec(dir);
	snapshot(&before);     /* after the runner's own allocations */
	out("1..%d\n", ntests + 1);
	for (int i = 0; i < ntests; i++)
		ok &= run_one(dir, names[i], i + 1, totals);
	ok &= memfree_case(&before, total_kb, ntests + 1, totals);
	out("# Totals: pass:%d fail:%d skip:%d total:%d\n", totals[0], totals[1], totals[2],
	    totals[0] + totals[1] + totals[2]);
	return ok && totals[1] == 0 ? 0 : 1;
}
