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
 *   lowmem_pressure      the 32-bit classic: user page tables in lowmem
 *                        (userpte=nohigh) eat the Normal zone while HighMem
 *                        stays free; reclaim frees lowmem by swapping out
 *                        anonymous pages whose frames are lowmem (a ballast
 *                        placed there first), nobody is OOM-killed
 * The first two run with a swap area of half of RAM or more, the third with
 * a smaller one (the hog fills RAM and swap first, through PIO). The last
 * runs only when no swap area was on at boot (the reclaim-lowmem job: it
 * places its ballast without swap, then turns the disk on itself); the
 * others skip then (their jobs check the boot's swapon line).
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
#include <time.h>
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

/* Seconds since boot (CLOCK_MONOTONIC). */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* sda's /proc/diskstats fields (Linux's: [0] reads, [1] reads merged, [2]
 * sectors read, [3] ms reading, [4..7] the same for writes, [8] in flight,
 * [9] ms the disk was busy, [10] weighted ms); false if there is none. */
static int diskstats(unsigned long f[11])
{
	char buf[2048];
	long n = read_file("/proc/diskstats", buf, sizeof(buf) - 1);

	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *l = strstr(buf, " sda ");
	return l && sscanf(l + 5, "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu", &f[0], &f[1], &f[2],
			   &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10]) == 11;
}

/* What the disk did since d0 and t0, as diagnostics: commands and MB each
 * way, commands per MB, ms in requests (the channel's queue included) and
 * ms the disk was busy (docs/swap.md's figures come from these lines). */
static long ra0, hit0; /* swap_ra, swap_ra_hit when the case began */

static void io_start(unsigned long d0[11], double *t0)
{
	ra0 = vmstat("swap_ra");
	hit0 = vmstat("swap_ra_hit");
	*t0 = now_s();
	if (!diskstats(d0))
		memset(d0, 0, 11 * sizeof(d0[0]));
}

static void io_report(const char *what, const unsigned long d0[11], double t0)
{
	unsigned long d[11];

	if (ra0 >= 0)
		kt_diag("%s: swap_ra +%ld, swap_ra_hit +%ld", what, vmstat("swap_ra") - ra0,
			vmstat("swap_ra_hit") - hit0);

	if (!diskstats(d)) {
		kt_diag("%s: %.1f s", what, now_s() - t0);
		return;
	}
	unsigned long rs = d[2] - d0[2], ws = d[6] - d0[6];
	kt_diag("%s: %.1f s; disk: %lu reads (%lu MB, %.1f per MB), %lu writes (%lu MB, %.1f per MB); "
		"%lu ms in requests, the disk busy %lu ms", what, now_s() - t0, d[0] - d0[0], rs / 2048,
		rs ? (double)(d[0] - d0[0]) * 2048 / rs : 0.0, d[4] - d0[4], ws / 2048,
		ws ? (double)(d[4] - d0[4]) * 2048 / ws : 0.0, (d[3] - d0[3]) + (d[7] - d0[7]),
		d[9] - d0[9]);
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

/* Was a swap area on when we started? (no: the lowmem job) */
static int swap_at_boot;

static int test_pages_survive_swap(void)
{
	long size, used, total = meminfo_kb("MemTotal");
	if (!swap_at_boot)
		KT_SKIP("no swap area at boot: the lowmem job");
	KT_EXPECT(swaps(&size, &used), "no swap area in /proc/swaps (swapon=/dev/sda?)");
	KT_EXPECT(total > 0, "no MemTotal");
	if (small_swap(size, total))
		KT_SKIP("swap (%ld MB) is smaller than half of RAM: the OOM job's disk", size / 1024);
	unsigned long want = (unsigned long)total / 1024 * 13 / 10;
	unsigned n = (unsigned)(want / 256 + 2);
	unsigned long mb = want / n + 1;
	long out0 = vmstat("pswpout"), in0 = vmstat("pswpin");
	struct crew c;
	unsigned long d0[11];
	double t0;

	io_start(d0, &t0);

	kt_diag("%u workers x %lu MB against MemTotal %ld MB, swap %ld MB", n, mb, total / 1024,
		size / 1024);
	KT_EXPECT(start_crew(&c, n, mb, 0) == 0, "the workers did not all get their memory");
	long out1 = vmstat("pswpout");
	KT_EXPECT(swaps(&size, &used) && used > 0, "nothing in swap with 1.3x RAM written");
	unsigned ok = end_crew(&c);
	long out = vmstat("pswpout") - out0, in = vmstat("pswpin") - in0;
	kt_diag("pswpout +%ld (+%ld while writing), pswpin +%ld; swap used %ld kB at the peak", out,
		out1 - out0, in, used);
	io_report("1.3x RAM", d0, t0);
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

struct zinfo;
static int zoneinfo(const char *name, struct zinfo *z);
static void zones_diag(const char *when);

static int test_swapoff_under_load(void)
{
	long size, used, total = meminfo_kb("MemTotal");
	if (!swap_at_boot)
		KT_SKIP("no swap area at boot: the lowmem job");
	KT_EXPECT(swaps(&size, &used), "no swap area");
	if (small_swap(size, total))
		KT_SKIP("swap (%ld MB) is smaller than half of RAM: the OOM job's disk", size / 1024);
	/* workers of half of RAM (RAM can take them all back), pushed into
	 * swap by a process of 0.7x RAM that then exits. Reclaim works zone by
	 * zone: when the zone short of pages holds the pusher's newer pages and
	 * not the workers', the pusher's go to swap and leave with it. Then it
	 * pushes again (the workers' pages are the oldest by then), up to 4
	 * times, until the workers have a sixteenth of RAM in swap. */
	unsigned long want = (unsigned long)total / 1024 / 2;
	unsigned n = 2;
	struct crew c, pusher;

	KT_EXPECT(start_crew(&c, n, want / n, 1) == 0, "the workers did not get their memory");
	for (int round = 1; round <= 4; round++) {
		KT_EXPECT(start_crew(&pusher, 1, (unsigned long)total / 1024 * 7 / 10, 0) == 0,
			  "the pusher did not get its memory");
		swaps(&size, &used);
		kt_diag("push %d: the pusher has written its memory: %ld kB in swap", round, used);
		zones_diag("  then");
		KT_EXPECT(end_crew(&pusher) == 1, "the pusher found its memory changed");
		swaps(&size, &used);
		if (used >= total / 16)
			break;
		kt_diag("push %d: %ld kB left in swap when the pusher exited: the pusher's pages "
			"were the ones swapped; pushing again", round, used);
	}
	*c.flag = 1; /* the workers now check their memory in a loop */
	swaps(&size, &used);
	kt_diag("swapoff with %ld kB in swap while %u workers check their memory", used, n);
	long in0 = vmstat("pswpin");
	unsigned long d0[11];
	double t0;
	io_start(d0, &t0);
	long r = syscall(SYS_swapoff, "/dev/sda");
	int err = errno;
	io_report("swapoff", d0, t0);
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
	if (!swap_at_boot)
		KT_SKIP("no swap area at boot: the lowmem job");
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

/* ---- lowmem pressure (the reclaim-lowmem job: -m 1024 userpte=nohigh) ---- */

/* One zone's lines of /proc/zoneinfo (pages). */
struct zinfo {
	long free, min, low, high, managed, anon, prot_high;
};

/* The value after `key` within [p, end), or -1. */
static long zfield(const char *p, const char *end, const char *key)
{
	const char *k = strstr(p, key);
	return k && k < end ? strtol(k + strlen(key), NULL, 10) : -1;
}

/* Read zone `name` ("Normal", "HighMem") from /proc/zoneinfo; 0 if absent. */
static int zoneinfo(const char *name, struct zinfo *z)
{
	static char buf[16384];
	char head[64];
	long n = read_file("/proc/zoneinfo", buf, sizeof(buf) - 1);

	if (n <= 0)
		return 0;
	buf[n] = 0;
	snprintf(head, sizeof(head), "zone %8s\n", name);
	char *p = strstr(buf, head), *end;
	if (!p)
		return 0;
	end = strstr(p + 1, "Node 0, zone");
	if (!end)
		end = buf + n;
	z->free = zfield(p, end, "pages free");
	z->min = zfield(p, end, "\n        min");
	z->low = zfield(p, end, "\n        low");
	z->high = zfield(p, end, "\n        high");
	z->managed = zfield(p, end, "managed");
	z->anon = zfield(p, end, "nr_zone_inactive_anon") + zfield(p, end, "nr_zone_active_anon");
	const char *pr = strstr(p, "protection: (");
	long a, b, c, d;
	z->prot_high = pr && pr < end && sscanf(pr, "protection: (%ld, %ld, %ld, %ld)", &a, &b, &c, &d) == 4 ? c : -1;
	return z->free >= 0 && z->high >= 0 && z->anon >= 0;
}

#define SLOT (2ul << 20) /* one touched page per 2 MB: one PTE page each */
#define EATER_SLOTS 896ul /* 1.75 GB: mmap finds 2 GB above TASK_UNMAPPED_BASE, less the stack */
#define KEEP_FREE 40960l /* Normal pages the ballast leaves free for the eaters (160 MB) */
static unsigned long ballast_pages; /* set before the ballast's fork */

/* The ballast: fill HighMem's free pages (hi pages, region A), then write
 * ballast_pages (region B), which the allocator must place in lowmem since
 * HighMem is below its watermarks; then give A back, so HighMem is free
 * again and B's frames are lowmem. 'R', wait for EOF on go_fd, check B. */
static int ballast(unsigned long hi, int ready_fd, int go_fd)
{
	unsigned long n = ballast_pages;
	char *a = mmap(NULL, hi * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *b = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char c;

	if (a == MAP_FAILED || b == MAP_FAILED)
		return 2;
	for (unsigned long i = 0; i < hi; i++)
		a[i * PAGE] = 1;
	for (unsigned long i = 0; i < n; i++) {
		/* A is read again now and then, so its PTEs stay young: kswapd
		 * (woken by HighMem's low watermark) leaves it in HighMem and B
		 * keeps landing in lowmem, however fast swap-out is. */
		for (unsigned long j = 0; i % 2048 == 0 && j < hi; j++)
			(void)*(volatile char *)&a[j * PAGE];
		b[i * (PAGE / 4)] = pattern(99, i);
	}
	munmap(a, hi * PAGE);
	if (write(ready_fd, "R", 1) != 1 || read(go_fd, &c, 1) != 0)
		return 3;
	for (unsigned long i = 0; i < n; i++)
		if (b[i * (PAGE / 4)] != pattern(99, i))
			return 5;
	return 0;
}

/* An eater: `slots` pages 2 MB apart, each touched: a lowmem PTE page each
 * (userpte=nohigh). Every 64th is written (a HighMem data page), the others
 * read (the shared zero page: no data page, so HighMem stays free). 'R';
 * at EOF on go_fd every page checked (written pattern or zero). */
static int eater(unsigned w, unsigned long slots, int ready_fd, int go_fd)
{
	enum { CHUNK = 64 }; /* slots per mapping: 128 MB of address space each */
	char *p[EATER_SLOTS / CHUNK];
	char c;

	if (slots > EATER_SLOTS)
		return 2;
	for (unsigned long k = 0; k * CHUNK < slots; k++) {
		p[k] = mmap(NULL, CHUNK * SLOT, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p[k] == MAP_FAILED)
			return 2;
	}
	volatile uint32_t sum = 0;
	for (unsigned long i = 0; i < slots; i++) {
		uint32_t *q = (uint32_t *)(p[i / CHUNK] + i % CHUNK * SLOT);
		if (i % 64 == 0)
			*q = pattern(w, i);
		else
			sum += *(volatile uint32_t *)q;
	}
	if (sum || write(ready_fd, "R", 1) != 1 || read(go_fd, &c, 1) != 0)
		return 3;
	for (unsigned long i = 0; i < slots; i++)
		if (*(uint32_t *)(p[i / CHUNK] + i % CHUNK * SLOT) != (i % 64 ? 0 : pattern(w, i)))
			return 5;
	return 0;
}

/* Fork fn(w, arg, ready, go[0]) as a child (go[1] closed in it: EOF when
 * the parent closes its end); wait for its 'R'. */
static pid_t spawn(int (*fn)(unsigned, unsigned long, int, int), unsigned w, unsigned long arg, const int go[2])
{
	int ready[2];
	char ch;

	if (pipe(ready))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		_exit(fn(w, arg, ready[1], go[0]));
	}
	close(ready[1]);
	int ok = pid > 0 && read(ready[0], &ch, 1) == 1;
	close(ready[0]);
	return ok ? pid : -1;
}

static int ballast_fn(unsigned w, unsigned long hi, int r, int g) { (void)w; return ballast(hi, r, g); }

static int test_lowmem_pressure(void)
{
	struct zinfo nz, hz, z;
	int go[2];
	pid_t pid[96];
	unsigned n = 0;

	if (swap_at_boot)
		KT_SKIP("a swap area was on at boot: the lowmem case runs in reclaim-lowmem");
	KT_EXPECT(zoneinfo("Normal", &nz) && zoneinfo("HighMem", &hz) && hz.managed > 0,
		  "no Normal and HighMem zones in /proc/zoneinfo (boot with highmem=)");
	KT_EXPECT(nz.prot_high > 0, "Normal's protection line has no lowmem_reserve for HighMem requests");
	KT_EXPECT(pipe(go) == 0, "pipe");
	long a0 = nz.anon;
	KT_EXPECT(nz.free > KEEP_FREE + 16384, "Normal has only %ld pages free: a machine with more lowmem",
		  nz.free);
	ballast_pages = (unsigned long)(nz.free - KEEP_FREE);
	KT_EXPECT(syscall(SYS_swapon, "/dev/sda", 0) == 0, "swapon /dev/sda: %s", strerror(errno));
	pid_t bal = spawn(ballast_fn, 0, (unsigned long)hz.free, go);
	KT_EXPECT(bal > 0, "the ballast did not get its memory (no swap yet: RAM is enough)");
	zoneinfo("Normal", &nz);
	zoneinfo("HighMem", &hz);
	kt_diag("ballast: Normal anon %ld -> %ld pages, Normal free %ld (min %ld low %ld high %ld, "
		"HighMem requests kept %ld above), HighMem free %ld of %ld", a0, nz.anon, nz.free, nz.min,
		nz.low, nz.high, nz.prot_high, hz.free, hz.managed);
	KT_EXPECT(nz.anon - a0 >= (long)ballast_pages / 2,
		  "the ballast did not land in lowmem (Normal anon +%ld pages)", nz.anon - a0);
	const char *ev[] = { "pgscan_kswapd", "pgsteal_kswapd", "pgscan_direct", "pgsteal_direct",
			     "allocstall_normal", "pswpout", "pswpin", "oom_kill" };
	enum { NEV = sizeof(ev) / sizeof(ev[0]) };
	long v0[NEV], v1[NEV], v2[NEV];
	for (int i = 0; i < NEV; i++)
		v0[i] = vmstat(ev[i]);
	/* page tables enough to take Normal from free down past min, plus 32 MB
	 * that only reclaim can provide */
	long want = nz.free - nz.min + 8192, normal0 = nz.free, anon0 = nz.anon;
	long nmin = nz.free, hmin = hz.free;
	while (want > 0 && n < sizeof(pid) / sizeof(pid[0])) {
		pid[n] = spawn(eater, n, EATER_SLOTS, go);
		if (pid[n] < 0) {
			int st = 0;
			char d[96];
			waitpid(-1, &st, WNOHANG);
			kt_diag("eater %u did not get its page tables: %s", n, describe_status(st, d, sizeof(d)));
			break;
		}
		n++;
		want -= EATER_SLOTS + 8; /* its PTE pages, PMDs and kernel stack */
		if (zoneinfo("Normal", &z) && z.free < nmin)
			nmin = z.free;
		if (zoneinfo("HighMem", &z) && z.free < hmin)
			hmin = z.free;
	}
	for (int i = 0; i < NEV; i++)
		v1[i] = vmstat(ev[i]);
	zoneinfo("Normal", &nz);
	long anon1 = nz.anon;
	int back = 0;
	for (int t = 0; t < 300 && !back; t++) { /* kswapd works on until Normal is above high */
		back = zoneinfo("Normal", &nz) && nz.free > nz.high;
		if (!back)
			usleep(100000);
	}
	kt_diag("%u eaters x %lu PTE pages: Normal free %ld -> lowest seen %ld -> %ld (min %ld low %ld "
		"high %ld); Normal anon %ld -> %ld; HighMem free lowest %ld of %ld", n, EATER_SLOTS,
		normal0, nmin, nz.free, nz.min, nz.low, nz.high, anon0, anon1, hmin, hz.managed);
	for (int i = 0; i < NEV; i++)
		kt_diag("  %s +%ld", ev[i], v1[i] - v0[i]);
	close(go[1]);
	unsigned ok = 0;
	int st = 0;
	char d[96];
	for (unsigned i = 0; i < n; i++)
		if (waitpid(pid[i], &st, 0) == pid[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
		else
			kt_diag("eater %u %s", i, describe_status(st, d, sizeof(d)));
	int bal_ok = waitpid(bal, &st, 0) == bal && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	if (!bal_ok)
		kt_diag("the ballast %s", describe_status(st, d, sizeof(d)));
	close(go[0]);
	for (int i = 0; i < NEV; i++)
		v2[i] = vmstat(ev[i]);
	kt_diag("after the checks: pswpin +%ld, oom_kill +%ld", v2[6] - v0[6], v2[7] - v0[7]);
	KT_EXPECT(v2[7] == v0[7], "the OOM killer ran %ld times", v2[7] - v0[7]);
	KT_EXPECT(ok == n && bal_ok, "%u of %u eaters, ballast %s: memory changed or died", n - ok, n,
		  bal_ok ? "fine" : "hurt");
	KT_EXPECT(want <= 0, "only %u eaters started (%ld PTE pages short)", n, want);
	KT_EXPECT(v1[1] + v1[3] > v0[1] + v0[3] && v1[5] > v0[5],
		  "no lowmem reclaimed: pgsteal_kswapd +%ld, pgsteal_direct +%ld, pswpout +%ld",
		  v1[1] - v0[1], v1[3] - v0[3], v1[5] - v0[5]);
	KT_EXPECT(v1[0] > v0[0], "kswapd never scanned (pgscan_kswapd +0)");
	KT_EXPECT(anon1 < anon0, "Normal's anon pages did not shrink (%ld -> %ld): reclaim did not free lowmem",
		  anon0, anon1);
	KT_EXPECT(back, "Normal did not come back above high (free %ld, high %ld)", nz.free, nz.high);
	KT_EXPECT(hmin > hz.managed / 2, "HighMem was not free: lowest %ld of %ld", hmin, hz.managed);
	KT_EXPECT(v2[6] > v0[6], "the ballast's pages were not read back (pswpin +0)");
	return KT_PASS;
}

/* Each zone's free and anonymous pages, as one diagnostic line. */
static void zones_diag(const char *when)
{
	static const char *const names[] = { "DMA", "Normal", "HighMem" };
	char line[200];
	int n = 0;
	struct zinfo z;

	for (int i = 0; i < 3; i++)
		if (zoneinfo(names[i], &z) && z.managed > 0)
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %s free %ld anon %ld;",
				      names[i], z.free, z.anon);
	kt_diag("%s:%s", when, n ? line : " no /proc/zoneinfo");
}

/* ---- kswapd ahead of a steady allocator ---- */

#define STEADY_CHUNK 32ul   /* pages per step: less than any zone's low - min gap */
#define STEADY_PAGES 3072ul /* 12 MB at about 3 MB/s, once free is down at high */
#define STEADY_GAP_US 40000 /* the pause after each step */

/* This process takes memory at a steady pace (32 pages, then a 40 ms
 * sleep) once kswapd has brought its zone back to the high watermark:
 * kswapd, woken by the allocation that takes the zone below low, must keep
 * ahead. The zone is sampled twice a step. Right after a step it may be
 * below low, by less than a step: that is what wakes kswapd. After the
 * pause it must be above low again every time (kswapd caught up), no
 * allocation may have reached min and reclaimed directly (allocstall +0),
 * and the zone must stay well above min throughout. */
static int test_kswapd_keeps_up(void)
{
	long size, used, total = meminfo_kb("MemTotal");
	struct zinfo z;
	if (!swap_at_boot)
		KT_SKIP("no swap area at boot: the lowmem job");
	KT_EXPECT(swaps(&size, &used), "no swap area");
	if (small_swap(size, total))
		KT_SKIP("swap (%ld MB) is smaller than half of RAM: the OOM job's disk", size / 1024);
	const char *zone = zoneinfo("HighMem", &z) && z.managed > 0 ? "HighMem" : "Normal";
	KT_EXPECT(zoneinfo(zone, &z), "no %s zone in /proc/zoneinfo", zone);
	/* Down past low as fast as it goes, then wait for kswapd to bring the
	 * zone back to high: its first look at the pages just written (all
	 * young) only clears their accessed bits, which is the warm-up a
	 * running system has long had; the steady part follows. */
	unsigned long fast = z.free > z.low ? (unsigned long)(z.free - z.low) + 2 * STEADY_CHUNK : 0;
	unsigned long n = fast + STEADY_PAGES, bad = 0;
	uint32_t *a = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_EXPECT(a != MAP_FAILED, "mmap of %lu pages: %s", n, strerror(errno));
	for (unsigned long i = 0; i < fast; i++)
		a[i * (PAGE / 4)] = pattern(7, i);
	int waited = 0;
	while (zoneinfo(zone, &z) && z.free < z.high && waited++ < 300)
		usleep(100000);
	KT_EXPECT(z.free >= z.high, "kswapd did not bring %s back to high in 30 s (free %ld, high %ld)",
		  zone, z.free, z.high);
	const char *ev[] = { "allocstall_dma", "allocstall_normal", "allocstall_high",
			     "pgscan_kswapd", "pgsteal_kswapd" };
	long v0[5], v1[5], lowest = z.free, lowest_rested = z.free, stalls = 0;
	unsigned below_low = 0, behind = 0, samples = 0;
	for (int k = 0; k < 5; k++)
		v0[k] = vmstat(ev[k]);
	for (unsigned long i = fast; i < n; i++) {
		a[i * (PAGE / 4)] = pattern(7, i);
		if ((i - fast) % STEADY_CHUNK == STEADY_CHUNK - 1) {
			if (zoneinfo(zone, &z)) {
				samples++;
				below_low += z.free < z.low;
				lowest = z.free < lowest ? z.free : lowest;
			}
			usleep(STEADY_GAP_US);
			if (zoneinfo(zone, &z)) {
				behind += z.free < z.low;
				lowest_rested = z.free < lowest_rested ? z.free : lowest_rested;
			}
		}
	}
	usleep(500000); /* kswapd finishes its pass */
	zoneinfo(zone, &z);
	for (int k = 0; k < 5; k++)
		v1[k] = vmstat(ev[k]);
	for (int k = 0; k < 3; k++)
		stalls += v1[k] - v0[k];
	for (unsigned long i = 0; i < n; i++) /* and every page is intact, swapped or not */
		bad += a[i * (PAGE / 4)] != pattern(7, i);
	munmap(a, n * PAGE);
	kt_diag("%s (min %ld, low %ld, high %ld): %lu pages at full speed, back at high after %d.%d s; "
		"then 12 MB at ~3 MB/s in %u steps", zone, z.min, z.low, z.high, fast, waited / 10,
		waited % 10, samples);
	kt_diag("right after a step: lowest free %ld, %u below low; after the pause: lowest %ld, "
		"%u below low; %ld at the end", lowest, below_low, lowest_rested, behind, z.free);
	kt_diag("pgscan_kswapd +%ld, pgsteal_kswapd +%ld, allocstall +%ld", v1[3] - v0[3],
		v1[4] - v0[4], stalls);
	KT_EXPECT(bad == 0, "%lu pages lost their pattern", bad);
	KT_EXPECT(v1[4] > v0[4], "kswapd reclaimed nothing (pgsteal_kswapd +0)");
	KT_EXPECT(stalls == 0, "direct reclaim ran %ld times: kswapd fell behind", stalls);
	KT_EXPECT(lowest >= z.low - (long)STEADY_CHUNK,
		  "free fell to %ld, more than a step (%lu pages) below low %ld: kswapd was not woken at low",
		  lowest, STEADY_CHUNK, z.low);
	KT_EXPECT(behind == 0, "%u of %u pauses ended with free below low (lowest %ld, low %ld): kswapd "
		  "fell behind", behind, samples, lowest_rested, z.low);
	KT_EXPECT(z.free >= z.low, "free %ld below low %ld after the allocator stopped", z.free, z.low);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "pages_survive_swap", test_pages_survive_swap },
		{ "swapoff_under_load", test_swapoff_under_load },
		{ "oom_kills_the_hog", test_oom_kills_the_hog },
		{ "lowmem_pressure", test_lowmem_pressure },
		{ "kswapd_keeps_up", test_kswapd_keeps_up },
	};

	stop = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stop == MAP_FAILED)
		return 1;
	if (getpid() == 1) { /* init: /proc for the counters */
		mkdir("/proc", 0555);
		if (mount("proc", "/proc", "proc", 0, NULL) < 0 && errno != EBUSY)
			out("# swapload: mount /proc: %s\n", strerror(errno));
	}
	long size, used;
	swap_at_boot = swaps(&size, &used);
	return kt_run("swap", cases, 5) ? 1 : 0;
}
