/*
 * t_demand_zero.c - anonymous memory is zero on first touch, at scale.
 *
 * Why: HIGHMEM exists so that user pages can live where the kernel keeps
 * no mapping. At -m 8192 this program's children together write and read
 * back more than 4.5 GB, so frames above 4 GiB must serve them (each
 * process has at most 3 GB of address space, hence several processes at
 * once). The total is derived from MemTotal so the same binary works at
 * every RAM size; off Highland (qemu-i386 on a shared host) it is capped at
 * 256 MB, because there MemTotal is the host's.
 */
#include "ut.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE ((size_t)4096)
#define CHUNK_MB 256UL            /* each child maps this much */
#define HOST_CAP_MB 256UL         /* total off Highland */

/* The word written at the start of every page: its index and a per-child tag. */
static uint32_t pattern(unsigned child, unsigned long page)
{
	return 0x9e3779b9u * (uint32_t)(page + 1) ^ ((uint32_t)child << 24) ^ 0x5a5a0000u;
}

/* One child: map, check zero, write, tell the parent, wait, read back. Exit 0 = good. */
static int child_work(unsigned id, unsigned long bytes, int ready_fd, int go_fd)
{
	unsigned long pages = bytes / PAGE;
	char c = 'w';
	uint32_t *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		kt_diag("child %u: mmap %lu MB: %s", id, bytes >> 20, strerror(errno));
		return 2;
	}
	for (unsigned long i = 0; i < pages; i++) {
		volatile uint32_t *w = (uint32_t *)((char *)p + i * PAGE);
		if (w[0] != 0 || w[1023] != 0) {
			kt_diag("child %u: page %lu not zero before the first write", id, i);
			return 3;
		}
		w[0] = pattern(id, i);
	}
	if (write(ready_fd, &c, 1) != 1 || read(go_fd, &c, 1) < 0)
		return 4;
	for (unsigned long i = 0; i < pages; i++) {
		uint32_t *w = (uint32_t *)((char *)p + i * PAGE);
		if (w[0] != pattern(id, i) || w[1] != 0 || w[1023] != 0) {
			kt_diag("child %u: page %lu reads 0x%08x 0x%08x, wrote 0x%08x and nothing else",
			    id, i, w[0], w[1], pattern(id, i));
			return 5;
		}
	}
	return munmap(p, bytes) == 0 ? 0 : 6;
}

static int test_zero_then_write_small(void)
{
	size_t len = 64 * PAGE;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	KT_EXPECT(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t i = 0; i < len; i++)
		KT_EXPECT(p[i] == 0, "byte %zu is %u before any write", i, p[i]);
	/* Read faults mapped the zero page; writing now must give private pages. */
	for (size_t i = 0; i < len; i += PAGE)
		p[i + 7] = (unsigned char)(i / PAGE + 1);
	for (size_t i = 0; i < len; i += PAGE) {
		KT_EXPECT(p[i + 7] == (unsigned char)(i / PAGE + 1), "page %zu lost its write", i / PAGE);
		KT_EXPECT(p[i + 8] == 0 && p[i] == 0, "page %zu: neighbours of the write not zero", i / PAGE);
	}
	KT_EXPECT(munmap(p, len) == 0, "munmap: %s", strerror(errno));
	return KT_PASS;
}

/* Fork n children that each map, write and (after everyone wrote) verify chunk bytes. */
static int spawn(unsigned n, unsigned long chunk, pid_t *pids, int ready[2], int go[2])
{
	for (unsigned i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return -1;
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			_exit(child_work(i, chunk, ready[1], go[0]));
		}
	}
	close(ready[1]);
	close(go[0]);
	return 0;
}

/* Reap the children; how many did not exit 0 (each named). */
static int reap(unsigned n, const pid_t *pids)
{
	int bad = 0;

	for (unsigned i = 0; i < n; i++) {
		int st = 0;
		char d[96];
		if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			kt_diag("child %u %s", i, describe_status(st, d, sizeof(d)));
			bad++;
		}
	}
	return bad;
}

static int test_many_processes_at_scale(void)
{
	long total_kb = meminfo_kb("MemTotal"), high_total = meminfo_kb("HighTotal");
	long high_before = meminfo_kb("HighFree"), high_during = -1;
	int ready[2], go[2], highland = hl_is_highland();
	pid_t pids[64];
	char c;

	KT_EXPECT(total_kb > 0, "no MemTotal in /proc/meminfo");
	/* 5/8 of RAM: 5 GB at -m 8192 (> 4.5 GB), 1.25 GB at 2048, 320 MB at 512. */
	unsigned long want_mb = (unsigned long)(total_kb / 1024) * 5 / 8;
	if (!highland && want_mb > HOST_CAP_MB)
		want_mb = HOST_CAP_MB;
	unsigned n = (unsigned)((want_mb + CHUNK_MB - 1) / CHUNK_MB);
	if (n < 4)
		n = 4;                  /* several processes at every size */
	unsigned long chunk = (want_mb / n) << 20;
	unsigned long long all = (unsigned long long)n * chunk;
	KT_EXPECT(n <= 64, "%u children is too many", n);
	KT_EXPECT(pipe(ready) == 0 && pipe(go) == 0, "pipe: %s", strerror(errno));
	kt_diag("%u processes x %lu MB = %llu MB of MemTotal %ld MB", n, chunk >> 20, all >> 20,
		total_kb / 1024);
	KT_EXPECT(spawn(n, chunk, pids, ready, go) == 0, "fork: %s", strerror(errno));
	/* Every child has written all of its memory before any reads back. */
	unsigned written = 0;
	while (written < n && read(ready[0], &c, 1) == 1)
		written++;
	if (written == n)
		high_during = meminfo_kb("HighFree");
	close(go[1]);                   /* EOF: go */
	close(ready[0]);
	int bad = reap(n, pids);
	KT_EXPECT(written == n, "only %u of %u children wrote their memory", written, n);
	KT_EXPECT(bad == 0, "%d of %u children failed", bad, n);
	if (highland && total_kb > 7L * 1024 * 1024)
		KT_EXPECT(all > 4608ULL << 20, "wrote only %llu MB at -m 8192", all >> 20);
	if (highland && high_total > 0 && high_before >= 0) {
		/* User pages come from HIGHMEM first (GFP_HIGHUSER_MOVABLE). */
		long used_kb = high_before - high_during;
		kt_diag("HighFree %ld kB before, %ld kB with every child's memory written", high_before,
			high_during);
		KT_EXPECT(high_during >= 0 && (unsigned long long)used_kb * 1024 >=
			  (all < (unsigned long long)high_before * 1024 ? all : high_before * 1024ULL) / 2,
			  "HighFree fell by only %ld kB while %llu MB were written: user pages not in "
			  "HIGHMEM?", used_kb, all >> 20);
	}
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "zero_then_write_small", test_zero_then_write_small },
		{ "many_processes_at_scale", test_many_processes_at_scale },
	};
	return kt_run("demand_zero", cases, 2);
}
