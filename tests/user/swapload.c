/*
 * swapload.c - issue 16's user-level proof of reclaim and swap, run as
 * init (rdinit=/tests/swapload) on a machine with a swap disk
 * (swapon=/dev/sda): tools/test-matrix's reclaim-* jobs.
 *
 *   pages_survive_swap   workers whose memory together is 1.3x MemTotal
 *                        write a pattern naming every page, sleep while the
 *                        others push them out, then check every page;
 *                        pswpout and pswpin moved; the swap space is back
 *                        (/proc/swaps Used 0) once they exit
 *   swapoff_under_load   with pages in swap and the workers checking their
 *                        memory in a loop, swapoff(2) brings every page
 *                        back (nothing lost; /proc/swaps empty, SwapTotal
 *                        and SwapFree 0), swapon(2) turns it on again
 *   oom_kills_the_hog    a program wanting more than RAM + swap is killed
 *                        (SIGKILL in its parent's wait4 status), the workers
 *                        holding memory meanwhile finish intact
 * The first two run with a swap area of half of RAM or more, the last with
 * a smaller one (the hog fills RAM and swap first, through PIO).
 *
 * Not t_*: the runner of the ordinary suite does not pick it up (it needs
 * the disk). Not portable: Highland's /proc files and its swap disk.
 */
#include "ut.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096ul
#define MAX_WORKERS 16

/* A counter from /proc/vmstat, or -1. */
static long vmstat(const char *name)
{
	static char buf[16384];
	char key[64];
	long n = read_file("/proc/vmstat", buf, sizeof(buf) - 1);

	if (n <= 0)
		return -1;
	buf[n] = 0;
	snprintf(key, sizeof(key), "\n%s ", name);
	char *p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* /proc/swaps: the first area's Size and Used (kB); false if none. */
static int swaps(long *size, long *used)
{
	char buf[1024], name[64], type[32];
	long n = read_file("/proc/swaps", buf, sizeof(buf) - 1);

	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *l = strchr(buf, '\n');
	return l && sscanf(l + 1, "%63s %31s %ld %ld", name, type, size, used) == 4;
}

static uint32_t pattern(unsigned w, unsigned long i) { return (uint32_t)(w * 0x9e3779b9u) ^ (uint32_t)i * 2654435761u; }

/* Set by the parent when looping workers should stop (a MAP_SHARED page). */
static volatile int *stop;

/* A worker: mb of memory, every page written with its pattern; 'R' on
 * ready_fd; then one check pass after go_fd reaches EOF, or (flag) wait
 * while *flag is 0, check passes while it is 1, a last one once it is 2. Exit 0 if every page always held its
 * pattern, 5 if one did not. */
static int worker(unsigned w, unsigned long mb, int ready_fd, int go_fd, volatile int *flag)
{
	unsigned long n = (mb << 20) / PAGE;
	uint32_t *p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char c;

	if (p == MAP_FAILED)
		return 2;
	for (unsigned long i = 0; i < n; i++)
		p[i * (PAGE / 4)] = pattern(w, i), p[i * (PAGE / 4) + 1023] = ~pattern(w, i);
	if (write(ready_fd, "R", 1) != 1)
		return 3;
	close(ready_fd);
	for (int done = 0; !done;) {
		if (!flag) {
			if (read(go_fd, &c, 1) != 0)
				return 4;
			done = 1;
		} else {
			while (*flag == 0) /* held still (and pushed out) until the parent says run */
				usleep(10000);
			done = *flag == 2;
		}
		for (unsigned long i = 0; i < n; i++)
			if (p[i * (PAGE / 4)] != pattern(w, i) || p[i * (PAGE / 4) + 1023] != ~pattern(w, i))
				return 5;
	}
	return 0;
}

struct crew {
	pid_t pid[MAX_WORKERS];
	unsigned n;
	int go_w;
	volatile int *flag; /* looping workers stop when it is set (NULL: they do not loop) */
};

/* Start n workers of mb each (looping ones stop at *flag, in the shared
 * page: one flag per crew); returns when all have written their memory. */
static int start_crew(struct crew *c, unsigned n, unsigned long mb, int loop)
{
	static int crews;
	int ready[2], go[2];
	char ch;

	if (pipe(ready) || pipe(go))
		return -1;
	c->flag = loop ? &stop[crews++ % 1024] : NULL;
	if (c->flag)
		*c->flag = 0;
	c->n = n;
	for (unsigned w = 0; w < n; w++) {
		c->pid[w] = fork();
		if (c->pid[w] < 0)
			return -1;
		if (c->pid[w] == 0) {
			close(ready[0]);
			close(go[1]);
			_exit(worker(w, mb, ready[1], go[0], c->flag));
		}
	}
	close(ready[1]);
	close(go[0]);
	unsigned got = 0;
	while (got < n && read(ready[0], &ch, 1) == 1)
		got++;
	close(ready[0]);
	c->go_w = go[1];
	return got == n ? 0 : -1;
}

/* Release the workers and reap them: how many exited 0. */
static unsigned end_crew(struct crew *c)
{
	unsigned ok = 0;

	if (c->flag)
		*c->flag = 2;
	close(c->go_w);
	for (unsigned w = 0; w < c->n; w++) {
		int st = 0;
		char d[96];
		if (waitpid(c->pid[w], &st, 0) == c->pid[w] && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
		else
			kt_diag("worker %u %s", w, describe_status(st, d, sizeof(d)));
	}
	return ok;
}

/* The disk decides which cases run: a swap area of half of RAM or more for
 * the 1.3x load and swapoff; a small one for the OOM case, whose hog must
 * fill RAM and swap first (through PIO, minutes for a full-size area). */
static int small_swap(long size_kb, long total_kb) { return size_kb < total_kb / 2; }

static int test_pages_survive_swap(void)
{
	long size, used, total = meminfo_kb("MemTotal");
	KT_EXPECT(swaps(&size, &used), "no swap area in /proc/swaps (swapon=/dev/sda?)");
	KT_EXPECT(total > 0, "no MemTotal");
	if (small_swap(size, total))
		KT_SKIP("swap (%ld MB) is smaller than half of RAM: the OOM job's disk", size / 1024);
	unsigned long want = (unsigned long)total / 1024 * 13 / 10;
	unsigned n = (unsigned)(want / 256 + 2);
	unsigned long mb = want / n + 1;
	long out0 = vmstat("pswpout"), in0 = vmstat("pswpin");
	struct crew c;

	kt_diag("%u workers x %lu MB against MemTotal %ld MB, swap %ld MB", n, mb, total / 1024,
		size / 1024);
	KT_EXPECT(start_crew(&c, n, mb, 0) == 0, "the workers did not all get their memory");
	long out1 = vmstat("pswpout");
	KT_EXPECT(swaps(&size, &used) && used > 0, "nothing in swap with 1.3x RAM written");
	unsigned ok = end_crew(&c);
	long out = vmstat("pswpout") - out0, in = vmstat("pswpin") - in0;
	kt_diag("pswpout +%ld (+%ld while writing), pswpin +%ld; swap used %ld kB at the peak", out,
		out1 - out0, in, used);
	KT_EXPECT(ok == n, "%u of %u workers found their memory changed or died", n - ok, n);
	KT_EXPECT(out > 0 && in > 0, "pswpout +%ld, pswpin +%ld: both must move", out, in);
	/* A page reclaim was holding when its owner exited may stay in the swap
	 * cache, its slot used, until reclaim or swapoff drops it (Linux's
	 * SwapCached does the same): a few pages, never the workers' memory. */
	KT_EXPECT(swaps(&size, &used) && used <= 64, "swap still used after every worker exited: %ld kB",
		  used);
	if (used)
		kt_diag("%ld kB of swap cache left behind (dropped by swapoff below)", used);
	return KT_PASS;
}

static int test_swapoff_under_load(void)
{
	long size, used, total = meminfo_kb("MemTotal");
	KT_EXPECT(swaps(&size, &used), "no swap area");
	if (small_swap(size, total))
		KT_SKIP("swap (%ld MB) is smaller than half of RAM: the OOM job's disk", size / 1024);
	/* workers of half of RAM (RAM can take them all back), pushed into
	 * swap by a process of 0.7x RAM that then exits */
	unsigned long want = (unsigned long)total / 1024 / 2;
	unsigned n = 2;
	struct crew c, pusher;

	KT_EXPECT(start_crew(&c, n, want / n, 1) == 0, "the workers did not get their memory");
	KT_EXPECT(start_crew(&pusher, 1, (unsigned long)total / 1024 * 7 / 10, 0) == 0,
		  "the pusher did not get its memory");
	KT_EXPECT(end_crew(&pusher) == 1, "the pusher found its memory changed");
	*c.flag = 1; /* the workers now check their memory in a loop */
	swaps(&size, &used);
	kt_diag("swapoff with %ld kB in swap while %u workers check their memory", used, n);
	long in0 = vmstat("pswpin");
	long r = syscall(SYS_swapoff, "/dev/sda");
	int err = errno;
	long in = vmstat("pswpin") - in0, st = meminfo_kb("SwapTotal"), sf = meminfo_kb("SwapFree");
	/* swapoff may refuse when RAM cannot hold it all (-ENOMEM): then nothing may be lost either */
	unsigned ok = end_crew(&c);
	kt_diag("swapoff returned %ld; pswpin +%ld meanwhile; SwapTotal %ld kB, SwapFree %ld kB", r,
		in, st, sf);
	KT_EXPECT(ok == n, "%u workers found their memory changed or died", n - ok);
	KT_EXPECT(r == 0, "swapoff: %s", strerror(err));
	KT_EXPECT(!swaps(&size, &used), "the area is still listed after swapoff");
	KT_EXPECT(st == 0 && sf == 0, "SwapTotal %ld kB, SwapFree %ld kB after swapoff", st, sf);
	KT_EXPECT(in > 0, "swapoff read nothing back (pswpin +%ld)", in);
	KT_EXPECT(syscall(SYS_swapon, "/dev/sda", 0) == 0, "swapon again: %s", strerror(errno));
	return KT_PASS;
}

static int test_oom_kills_the_hog(void)
{
	long size, used, total = meminfo_kb("MemTotal");
	KT_EXPECT(swaps(&size, &used), "no swap area");
	unsigned long hog_mb = (unsigned long)(total + size) / 1024 + 64;
	if (!small_swap(size, total))
		KT_SKIP("a full-size swap area: the OOM case runs on the small disk (reclaim-oom-mem512)");
	if (hog_mb > 2900)
		KT_SKIP("RAM + swap (%lu MB) is more than one 3 GB address space can want", hog_mb);
	long kills0 = vmstat("oom_kill");
	struct crew c;

	KT_EXPECT(start_crew(&c, 2, 16, 0) == 0, "the workers did not get their memory");
	pid_t hog = fork();
	if (hog == 0) {
		char *p = mmap(NULL, hog_mb << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			_exit(2);
		for (unsigned long i = 0; i < hog_mb << 20; i += PAGE)
			p[i] = 1;
		_exit(0);
	}
	int st = 0;
	char d[96];
	KT_EXPECT(waitpid(hog, &st, 0) == hog, "waitpid: %s", strerror(errno));
	kt_diag("the hog (%lu MB) %s", hog_mb, describe_status(st, d, sizeof(d)));
	KT_EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the hog was not killed with SIGKILL");
	KT_EXPECT(vmstat("oom_kill") == kills0 + 1, "oom_kill moved by %ld, not 1",
		  vmstat("oom_kill") - kills0);
	KT_EXPECT(end_crew(&c) == 2, "a worker was hurt");
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "pages_survive_swap", test_pages_survive_swap },
		{ "swapoff_under_load", test_swapoff_under_load },
		{ "oom_kills_the_hog", test_oom_kills_the_hog },
	};

	stop = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stop == MAP_FAILED)
		return 1;
	if (getpid() == 1) { /* init: /proc for the counters */
		mkdir("/proc", 0555);
		if (mount("proc", "/proc", "proc", 0, NULL) < 0 && errno != EBUSY)
			out("# swapload: mount /proc: %s\n", strerror(errno));
	}
	return kt_run("swap", cases, 3) ? 1 : 0;
}
