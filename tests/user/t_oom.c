/*
 * t_oom.c - a process that touches more than RAM dies alone: its sibling,
 * which holds memory of its own, survives with that memory intact, and so
 * do this program and the kernel.
 *
 * Why several hogs: one process has at most 3 GB of address space, less
 * than RAM at -m 8192, so hogs of up to 2 GB each run at once until
 * together they want MemTotal + 25%; the OOM killer (mm/oom_kill.c) must
 * kill at least one, and only hogs, each with SIGKILL (what the parent's
 * wait4 sees), each counted in /proc/vmstat's oom_kill; the sibling is
 * smaller than any hog, so it is never the victim. Highland only: on a
 * shared host (qemu-i386) this would exhaust the machine, so it is skipped.
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096u
#define HOG_MAX_MB 2048u
#define SIBLING_MB 16u

/* Touch bytes of fresh memory, say 'D' on done_fd, wait for EOF on go_fd. */
static int hog(unsigned long mb, int done_fd, int go_fd)
{
	unsigned long bytes = mb << 20;
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	char c;

	if (p == MAP_FAILED)
		return 2;
	for (unsigned long i = 0; i < bytes; i += PAGE)
		p[i] = 1;
	if (write(done_fd, "D", 1) != 1)
		return 3;
	close(done_fd);
	return read(go_fd, &c, 1) == 0 ? 0 : 4;
}

/* The sibling: its memory written before the hogs start, checked after. */
static int sibling(int ready_fd, int go_fd)
{
	unsigned long bytes = SIBLING_MB << 20;
	uint32_t *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char c;

	if (p == MAP_FAILED)
		return 2;
	for (unsigned long i = 0; i < bytes / 4; i += PAGE / 4)
		p[i] = (uint32_t)i * 2654435761u;
	if (write(ready_fd, "S", 1) != 1)
		return 3;
	close(ready_fd);
	if (read(go_fd, &c, 1) != 0)
		return 4;
	for (unsigned long i = 0; i < bytes / 4; i += PAGE / 4)
		if (p[i] != (uint32_t)i * 2654435761u)
			return 5;
	return 0;
}

/* Reap the hogs: how many were killed by SIGKILL; -1 if one ended otherwise. */
static int reap_hogs(unsigned n, const pid_t *pids)
{
	int killed = 0, odd = 0;

	for (unsigned i = 0; i < n; i++) {
		int st = 0;
		char d[96];
		if (waitpid(pids[i], &st, 0) == pids[i] && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
			killed++;
		} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			kt_diag("hog %u %s", i, describe_status(st, d, sizeof(d)));
			odd = 1;
		}
	}
	return odd ? -1 : killed;
}

/* /proc/vmstat's oom_kill, or -1. */
static long vmstat_oom_kill(void)
{
	static char buf[8192];
	long n = read_file("/proc/vmstat", buf, sizeof(buf) - 1);
	char *p;

	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "\noom_kill ");
	return p ? strtol(p + 10, NULL, 10) : -1;
}

static int test_hog_dies_sibling_survives(void)
{
	if (!hl_is_highland())
		KT_SKIP("not Highland: touching more than the host's RAM would hurt the host");
	long total_kb = meminfo_kb("MemTotal");
	KT_EXPECT(total_kb > 0, "no MemTotal in /proc/meminfo");
	unsigned long want_mb = (unsigned long)(total_kb / 1024) * 5 / 4;
	unsigned n = (unsigned)((want_mb + HOG_MAX_MB - 1) / HOG_MAX_MB);
	unsigned long each = want_mb / n + 1;
	int done[2], go[2], sready[2];
	pid_t pids[16], sib;
	char c;

	long kills0 = vmstat_oom_kill();
	KT_EXPECT(kills0 >= 0, "no oom_kill in /proc/vmstat");
	KT_EXPECT(n <= 16, "%u hogs is too many", n);
	KT_EXPECT(pipe(done) == 0 && pipe(go) == 0 && pipe(sready) == 0, "pipe: %s",
		  strerror(errno));
	sib = fork();
	KT_EXPECT(sib >= 0, "fork: %s", strerror(errno));
	if (sib == 0) {
		close(go[1]);
		close(done[0]);
		close(done[1]);   /* else the parent never sees EOF on done */
		_exit(sibling(sready[1], go[0]));
	}
	close(sready[1]);
	KT_EXPECT(read(sready[0], &c, 1) == 1, "the sibling did not get its memory");
	kt_diag("%u hogs x %lu MB = %lu MB against MemTotal %ld MB", n, each, n * each,
		total_kb / 1024);
	for (unsigned i = 0; i < n; i++) {
		pids[i] = fork();
		KT_EXPECT(pids[i] >= 0, "fork: %s", strerror(errno));
		if (pids[i] == 0) {
			close(done[0]);
			close(go[1]);
			_exit(hog(each, done[1], go[0]));
		}
	}
	close(done[1]);
	close(go[0]);
	unsigned finished = 0;
	while (read(done[0], &c, 1) == 1)   /* EOF: every hog finished or died */
		finished++;
	close(go[1]);                       /* release the survivors and the sibling */
	int killed = reap_hogs(n, pids);
	KT_EXPECT(killed >= 0, "a hog ended neither killed nor with exit 0 (above)");
	int st;
	char d[96];
	KT_EXPECT(waitpid(sib, &st, 0) == sib, "waitpid sibling: %s", strerror(errno));
	kt_diag("%u hogs finished, %d killed; sibling %s", finished, killed,
		describe_status(st, d, sizeof(d)));
	KT_EXPECT(killed >= 1, "no hog was killed although they wanted %lu MB of %ld MB",
		  n * each, total_kb / 1024);
	KT_EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "the sibling %s (5: its memory changed)", d);
	long kills = vmstat_oom_kill() - kills0;
	KT_EXPECT(kills == killed, "oom_kill in /proc/vmstat moved by %ld, %d hogs killed", kills,
		  killed);
	return KT_PASS;
}

/* Write s to /proc/PID/oom_score_adj (pid 0: self): 0 or the errno. */
static int set_adj(pid_t pid, const char *s)
{
	char path[64];
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/oom_score_adj");
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	int err = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : errno;
	close(fd);
	return err;
}

/* A number from /proc/PID/NAME (pid 0: self), or -99999. */
static long proc_num(pid_t pid, const char *name)
{
	char path[64], buf[32];
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	else
		snprintf(path, sizeof(path), "/proc/self/%s", name);
	long n = read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -99999;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

/* The protected process: oom_score_adj -1000, mb of memory written, 'P' on
 * ready_fd, checked after EOF on go_fd. */
static int protected_proc(unsigned long mb, int ready_fd, int go_fd)
{
	unsigned long bytes = mb << 20;
	char c;

	if (set_adj(0, "-1000"))
		return 6;
	uint32_t *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	for (unsigned long i = 0; i < bytes / 4; i += PAGE / 4)
		p[i] = (uint32_t)i * 40503u;
	if (write(ready_fd, "P", 1) != 1)
		return 3;
	close(ready_fd);
	if (read(go_fd, &c, 1) != 0)
		return 4;
	for (unsigned long i = 0; i < bytes / 4; i += PAGE / 4)
		if (p[i] != (uint32_t)i * 40503u)
			return 5;
	return 0;
}

/* oom_score_adj -1000 spares the biggest process: a protected one of 55%
 * of RAM, then a hog that touches all of RAM; when memory runs out the hog
 * (smaller than the protected one by then) is the one killed. Without
 * the -1000 the protected process, the biggest, would be the victim. */
static int test_oom_score_adj_spares(void)
{
	if (!hl_is_highland())
		KT_SKIP("not Highland: touching more than the host's RAM would hurt the host");
	long total_kb = meminfo_kb("MemTotal"), swap_kb = meminfo_kb("SwapTotal");
	KT_EXPECT(total_kb > 0, "no MemTotal in /proc/meminfo");
	if (total_kb > 2600L * 1024 || swap_kb > 0)
		KT_SKIP("one hog (a 3 GB address space) cannot exhaust %ld MB of RAM and swap: the "
			"512 and 2048 MB jobs run it", (total_kb + swap_kb) / 1024);
	/* the files: read back, bad values refused and the old one kept */
	KT_EXPECT(proc_num(0, "oom_score_adj") == 0, "oom_score_adj starts at %ld, not 0",
		  proc_num(0, "oom_score_adj"));
	long score = proc_num(0, "oom_score");
	KT_EXPECT(score >= 0 && score <= 2000, "oom_score %ld outside 0..2000", score);
	KT_EXPECT(set_adj(0, "1001") == EINVAL, "1001 was not refused with EINVAL");
	KT_EXPECT(set_adj(0, "12x") == EINVAL, "12x was not refused with EINVAL");
	KT_EXPECT(set_adj(0, "500\n") == 0, "500 refused");
	KT_EXPECT(proc_num(0, "oom_score_adj") == 500, "oom_score_adj reads %ld after 500",
		  proc_num(0, "oom_score_adj"));
	KT_EXPECT(proc_num(0, "oom_score") > score, "oom_score did not grow with oom_score_adj 500");
	KT_EXPECT(set_adj(0, "0") == 0, "0 refused");

	unsigned long prot_mb = (unsigned long)total_kb / 1024 * 55 / 100;
	unsigned long hog_mb = (unsigned long)total_kb / 1024;
	int ready[2], go[2], hdone[2], hgo[2];
	char c;
	long kills0 = vmstat_oom_kill();
	KT_EXPECT(pipe(ready) == 0 && pipe(go) == 0 && pipe(hdone) == 0 && pipe(hgo) == 0, "pipe");
	pid_t prot = fork();
	KT_EXPECT(prot >= 0, "fork: %s", strerror(errno));
	if (prot == 0) { /* the hog's pipes closed too: else the parent never sees their EOF */
		close(ready[0]);
		close(go[1]);
		close(hdone[0]);
		close(hdone[1]);
		close(hgo[0]);
		close(hgo[1]);
		_exit(protected_proc(prot_mb, ready[1], go[0]));
	}
	close(ready[1]);
	close(go[0]);
	KT_EXPECT(read(ready[0], &c, 1) == 1, "the protected process did not get its memory");
	KT_EXPECT(proc_num(prot, "oom_score_adj") == -1000, "its oom_score_adj reads %ld",
		  proc_num(prot, "oom_score_adj"));
	KT_EXPECT(proc_num(prot, "oom_score") == 0, "its oom_score is %ld, not 0",
		  proc_num(prot, "oom_score"));
	pid_t h = fork();
	KT_EXPECT(h >= 0, "fork: %s", strerror(errno));
	if (h == 0) {
		close(go[1]);
		close(ready[0]);
		close(hdone[0]);
		close(hgo[1]);
		_exit(hog(hog_mb, hdone[1], hgo[0]));
	}
	close(hdone[1]);
	close(hgo[0]);
	while (read(hdone[0], &c, 1) == 1)
		;
	close(hgo[1]);
	int st = 0, pst = 0;
	char d[96], pd[96];
	KT_EXPECT(waitpid(h, &st, 0) == h, "waitpid hog: %s", strerror(errno));
	close(go[1]);
	KT_EXPECT(waitpid(prot, &pst, 0) == prot, "waitpid protected: %s", strerror(errno));
	kt_diag("protected %lu MB (oom_score_adj -1000): %s; hog of up to %lu MB: %s", prot_mb,
		describe_status(pst, pd, sizeof(pd)), hog_mb, describe_status(st, d, sizeof(d)));
	KT_EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the hog was not OOM-killed");
	KT_EXPECT(WIFEXITED(pst) && WEXITSTATUS(pst) == 0,
		  "the protected process %s (5: its memory changed)", pd);
	KT_EXPECT(vmstat_oom_kill() - kills0 == 1, "oom_kill moved by %ld, not 1",
		  vmstat_oom_kill() - kills0);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "hog_dies_sibling_survives", test_hog_dies_sibling_survives },
		{ "oom_score_adj_spares", test_oom_score_adj_spares },
	};
	return kt_run("oom", cases, 2);
}
