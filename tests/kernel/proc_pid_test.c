/* proc_pid_test.c - /proc/PID files read through the VFS, as a program
 * would: a process of tests/kernel/proc_pid_progs.asm maps and touches N
 * pages and waits, and the test reads its status, stat, statm, maps and
 * cmdline, checking Linux 6.1's formats field by field and the figures it
 * knows exactly (RSS: the code page, the stack page, the shared page and
 * the N touched pages, all anonymous); then /proc/self/stat of the test's
 * own kernel thread, and that a process that has been reaped is gone. */
#include "errno.h"
#include "fs.h"
#include "fs_test.h"
#include "gfp.h"
#include "highmem.h"
#include "kstring.h"
#include "ktest.h"
#include "mm_types.h"
#include "process.h"
#include "sched.h"

extern const u8 uprog_rss[], uprog_rss_end[];

#define RSS_TOUCHED 37 /* pages the program touches */
#define RSS_IMAGE 3    /* exec_user_image's code, stack and shared pages */

static int rss_thread(void *p) { return exec_user_image(p); }

/* The first place needle occurs in hay, or NULL (the kernel has no strstr). */
static const char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return NULL;
}

/* The number after "\nKey:" in a status file (spaces skipped), or -1. */
static long status_field(const char *buf, const char *key)
{
	char want[40];

	snprintf(want, sizeof(want), "\n%s:", key);
	const char *p = strstr(buf, want);
	if (!p)
		return -1;
	p += strlen(want);
	while (*p == ' ' || *p == '\t')
		p++;
	long v = 0;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

/* The fields of a space-separated line: their count; field n (1-based)
 * as a number in *val (when val). "(comm)" counts as one field. */
static int split_fields(const char *buf, int n, long long *val)
{
	int count = 0;

	for (const char *p = buf; *p && *p != '\n';) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		count++;
		long long v = 0;
		bool neg = *p == '-';
		if (neg)
			p++;
		while (*p && *p != ' ' && *p != '\n')
			v = *p >= '0' && *p <= '9' ? v * 10 + (*p - '0') : v, p++;
		if (count == n && val)
			*val = neg ? -v : v;
	}
	return count;
}

/* /proc/vmstat's pgfault, or -1. */
static long long vmstat_pgfault(char *buf, size_t size)
{
	long long v = -1;

	if (slurp("/proc/vmstat", buf, size) <= 0)
		return -1;
	const char *p = strstr(buf, "\npgfault ");
	if (p)
		split_fields(p + 1, 2, &v);
	return v;
}

static void check_status(struct ktest *t, int pid, const char *buf)
{
	char want[48];

	KTEST_EXPECT_EQ(t, strncmp(buf, "Name:\tuprog\nUmask:\t0022\nState:\t", 31), 0);
	KTEST_EXPECT_TRUE(t, !strncmp(buf + 31, "R (running)\n", 12) ||
				     !strncmp(buf + 31, "S (sleeping)\n", 13));
	snprintf(want, sizeof(want), "\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t0\n", pid, pid);
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, want));
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"));
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\nVmRSS:\t     160 kB\nRssAnon:\t     160 kB\n"
					       "RssFile:\t       0 kB\nRssShmem:\t       0 kB\n"));
	KTEST_EXPECT_EQ(t, status_field(buf, "RssAnon"), (RSS_TOUCHED + RSS_IMAGE) * 4);
	KTEST_EXPECT_EQ(t, status_field(buf, "VmHWM"), (RSS_TOUCHED + RSS_IMAGE) * 4);
	KTEST_EXPECT_GE(t, status_field(buf, "VmSize"), (RSS_TOUCHED + RSS_IMAGE) * 4);
	KTEST_EXPECT_EQ(t, status_field(buf, "VmSwap"), 0);
	KTEST_EXPECT_GT(t, status_field(buf, "VmPTE"), 0);
	KTEST_EXPECT_EQ(t, status_field(buf, "Threads"), 1);
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\nSigPnd:\t0000000000000000\n"));
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\nCpus_allowed_list:\t"));
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\nnonvoluntary_ctxt_switches:\t"));
}

static void check_stat_statm(struct ktest *t, int pid, char *buf, size_t size)
{
	long long v = -1;
	char head[32];

	snprintf(head, sizeof(head), "/proc/%d/stat", pid);
	KTEST_ASSERT_TRUE(t, slurp(head, buf, size) > 0);
	KTEST_EXPECT_EQ(t, split_fields(buf, 0, NULL), 52);
	KTEST_EXPECT_EQ(t, buf[strlen(buf) - 1], '\n');
	snprintf(head, sizeof(head), "%d (uprog) ", pid);
	KTEST_EXPECT_EQ(t, strncmp(buf, head, strlen(head)), 0);
	split_fields(buf, 5, &v); /* pgrp: a kernel thread made it, so group 0 (as Linux's init before setsid) */
	KTEST_EXPECT_EQ(t, v, 0);
	split_fields(buf, 20, &v); /* num_threads */
	KTEST_EXPECT_EQ(t, v, 1);
	split_fields(buf, 24, &v); /* rss, pages */
	KTEST_EXPECT_EQ(t, v, RSS_TOUCHED + RSS_IMAGE);
	split_fields(buf, 28, &v); /* startstack */
	KTEST_EXPECT_EQ(t, v, USER_STACK_TOP - 4);
	split_fields(buf, 38, &v); /* exit_signal: SIGCHLD */
	KTEST_EXPECT_EQ(t, v, 17);
	snprintf(head, sizeof(head), "/proc/%d/statm", pid);
	KTEST_ASSERT_TRUE(t, slurp(head, buf, size) > 0);
	KTEST_EXPECT_EQ(t, split_fields(buf, 0, NULL), 7);
	split_fields(buf, 2, &v); /* resident */
	KTEST_EXPECT_EQ(t, v, RSS_TOUCHED + RSS_IMAGE);
	split_fields(buf, 3, &v); /* shared: file + shmem pages */
	KTEST_EXPECT_EQ(t, v, 0);
}

static void check_maps_cmdline(struct ktest *t, int pid, unsigned long addr, char *buf,
			       size_t size)
{
	char path[32], line[80];

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	KTEST_ASSERT_TRUE(t, slurp(path, buf, size) > 0);
	snprintf(line, sizeof(line), "%08lx-%08lx rw-p 00000000 00:00 0 \n", addr,
		 addr + RSS_TOUCHED * PAGE_SIZE);
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, line));
	KTEST_EXPECT_EQ(t, strncmp(buf, "00400000-00401000 rw-", 21), 0); /* the shared page */
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\n08048000-08049000 r-xp 00000000 00:00 0 "));
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	KTEST_EXPECT_EQ(t, slurp(path, buf, size), 0); /* no argv: exec_user_image has none */
}

static void test_proc_pid_files(struct ktest *t)
{
	static char buf[8192];
	struct user_image img;
	struct page *shared;
	char path[32];

	no_injection(t);
	long n = do_mount("proc", "/proc", "proc");
	KTEST_EXPECT_TRUE(t, n == 0 || n == -EBUSY);
	KTEST_ASSERT_TRUE(t, slurp("/proc/meminfo", buf, sizeof(buf)) > 0);
	long anon_before = status_field(buf, "AnonPages"), pt_before = status_field(buf, "PageTables");
	KTEST_EXPECT_GE(t, anon_before, 0);
	long long faults_before = vmstat_pgfault(buf, sizeof(buf));
	KTEST_EXPECT_GE(t, faults_before, 0);
	shared = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
	KTEST_ASSERT_NOT_NULL(t, shared);
	img = (struct user_image){ uprog_rss, (size_t)(uprog_rss_end - uprog_rss), RSS_TOUCHED,
				   shared };
	struct task *k = kthread_create(rss_thread, &img, "uprog");
	if (!k) {
		__free_page(shared);
		KTEST_FAIL(t, "no thread");
		return;
	}
	wake_up_process(k);
	volatile u32 *r = kmap_local_page(shared);
	for (int i = 0; i < 1000 && !r[1]; i++)
		msleep(5);
	u32 addr = r[0], done = r[1];
	kunmap_local((void *)r);
	int pid = k->pid;
	KTEST_EXPECT_EQ(t, done, 1);
	KTEST_EXPECT_LT(t, addr, (u32)TASK_SIZE); /* not -errno */
	if (done) {
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		KTEST_EXPECT_GT(t, slurp(path, buf, sizeof(buf)), 0);
		check_status(t, pid, buf);
		check_stat_statm(t, pid, buf, sizeof(buf));
		check_maps_cmdline(t, pid, addr, buf, sizeof(buf));
		/* meminfo: the process's pages are mapped anonymous pages; its
		 * page tables (3 PMD pages and at least one PTE page) count */
		KTEST_ASSERT_TRUE(t, slurp("/proc/meminfo", buf, sizeof(buf)) > 0);
		KTEST_EXPECT_EQ(t, status_field(buf, "AnonPages") - anon_before,
				(RSS_TOUCHED + RSS_IMAGE) * 4);
		KTEST_EXPECT_GE(t, status_field(buf, "PageTables") - pt_before, 4 * 4);
		/* one fault per touched page at least (the stack's first use too) */
		KTEST_EXPECT_GE(t, vmstat_pgfault(buf, sizeof(buf)) - faults_before, RSS_TOUCHED);
	}
	r = kmap_local_page(shared);
	r[2] = 1;
	kunmap_local((void *)r);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
	__free_page(shared);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	KTEST_EXPECT_EQ(t, slurp(path, buf, sizeof(buf)), -ENOENT); /* reaped: gone */
	KTEST_ASSERT_TRUE(t, slurp("/proc/meminfo", buf, sizeof(buf)) > 0);
	KTEST_EXPECT_EQ(t, status_field(buf, "AnonPages"), anon_before);
	KTEST_EXPECT_EQ(t, status_field(buf, "PageTables"), pt_before);
}

/* /proc/uptime, loadavg, stat and version: Linux's shapes. */
static void test_proc_misc_files(struct ktest *t)
{
	static char buf[4096];
	long long v = -1;

	no_injection(t);
	long n = do_mount("proc", "/proc", "proc");
	KTEST_EXPECT_TRUE(t, n == 0 || n == -EBUSY);
	KTEST_ASSERT_TRUE(t, slurp("/proc/uptime", buf, sizeof(buf)) > 0);
	const char *dot = strstr(buf, ".");
	KTEST_ASSERT_TRUE(t, dot != NULL);
	KTEST_EXPECT_EQ(t, dot[3], ' '); /* seconds.hundredths */
	KTEST_EXPECT_EQ(t, buf[strlen(buf) - 4], '.');
	KTEST_ASSERT_TRUE(t, slurp("/proc/loadavg", buf, sizeof(buf)) > 0);
	KTEST_EXPECT_EQ(t, strncmp(buf, "0.00 0.00 0.00 ", 15), 0);
	KTEST_EXPECT_EQ(t, split_fields(buf, 0, NULL), 5);
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "/"));
	KTEST_ASSERT_TRUE(t, slurp("/proc/stat", buf, sizeof(buf)) > 0);
	KTEST_EXPECT_EQ(t, strncmp(buf, "cpu  ", 5), 0);
	KTEST_EXPECT_EQ(t, split_fields(buf, 0, NULL), 11); /* "cpu" and ten times */
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\ncpu0 "));
	const char *p = strstr(buf, "\nbtime ");
	KTEST_ASSERT_TRUE(t, p != NULL);
	split_fields(p + 1, 2, &v);
	KTEST_EXPECT_GT(t, v, 1577836800LL); /* after 2020: the RTC's date */
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\nintr 0\nctxt "));
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\nprocesses "));
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\nprocs_running "));
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "\nprocs_blocked 0\n"));
	KTEST_ASSERT_TRUE(t, slurp("/proc/version", buf, sizeof(buf)) > 0);
	KTEST_EXPECT_EQ(t, strncmp(buf, "Linux version 6.1.0-highland (", 30), 0);
}

/* The test's own kernel thread: /proc/self/stat has the 52 fields, its
 * pid, no memory; status has no Vm lines. */
static void test_proc_self_kthread(struct ktest *t)
{
	static char buf[4096];
	long long v = -1;

	no_injection(t);
	long n = do_mount("proc", "/proc", "proc");
	KTEST_EXPECT_TRUE(t, n == 0 || n == -EBUSY);
	KTEST_ASSERT_TRUE(t, slurp("/proc/self/stat", buf, sizeof(buf)) > 0);
	KTEST_EXPECT_EQ(t, split_fields(buf, 0, NULL), 52);
	split_fields(buf, 1, &v);
	KTEST_EXPECT_EQ(t, v, current_pid());
	split_fields(buf, 23, &v); /* vsize */
	KTEST_EXPECT_EQ(t, v, 0);
	KTEST_ASSERT_TRUE(t, slurp("/proc/self/status", buf, sizeof(buf)) > 0);
	KTEST_EXPECT_FALSE(t, strstr(buf, "VmRSS"));
	KTEST_EXPECT_EQ(t, status_field(buf, "Pid"), current_pid());
	KTEST_EXPECT_EQ(t, slurp("/proc/self/cmdline", buf, sizeof(buf)), 0);
	KTEST_EXPECT_EQ(t, slurp("/proc/self/statm", buf, sizeof(buf)), 14);
	KTEST_EXPECT_STREQ(t, buf, "0 0 0 0 0 0 0\n");
}

static struct ktest_case proc_pid_cases[] = {
	KTEST_CASE(test_proc_pid_files),
	KTEST_CASE(test_proc_self_kthread),
	KTEST_CASE(test_proc_misc_files),
	{ NULL, NULL },
};
KTEST_SUITE(proc_pid, proc_pid_cases);
