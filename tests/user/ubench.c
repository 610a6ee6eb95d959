/*
 * ubench.c - `make bench`'s user-space figures: instructions per operation,
 * read from the TSC, which under QEMU's -icount shift=0 advances one per
 * guest instruction (tools/bench boots it as init: rdinit=/tests/ubench).
 *
 * Each figure is the minimum over ROUNDS runs (the first run also pays for
 * cold caches and page tables) and includes the loop's own instructions.
 * Printed as "# bench user_<name> <value> <what>", the kernel's format, so
 * tools/bench reads both. Linux 6.1's counts for the same operations (issue
 * 15) are in tools/bench. Off Highland (qemu-i386) the TSC counts host
 * cycles, so the numbers only show that the program runs.
 */
#include "ut.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096u
#define NPAGES 1024u
#define ROUNDS 5

static uint64_t best[16];

static void keep_min(int i, uint64_t v)
{
	if (best[i] == 0 || v < best[i])
		best[i] = v;
}

static char *fresh(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		out("ubench: mmap %zu: %s\n", len, strerror(errno));
		_exit(1);
	}
	return p;
}

static void touch(char *p, size_t len)
{
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = 1;
}

/* Demand-zero write faults, zero-page read faults, munmap: per page. */
static void faults(void)
{
	size_t len = (size_t)NPAGES * PAGE;
	volatile char sink;

	char *p = fresh(len);
	uint64_t t0 = rdtsc();
	touch(p, len);
	keep_min(0, (rdtsc() - t0) / NPAGES);
	t0 = rdtsc();
	munmap(p, len);
	keep_min(3, (rdtsc() - t0) / NPAGES);

	p = fresh(len);
	t0 = rdtsc();
	for (size_t i = 0; i < len; i += PAGE)
		sink = p[i];
	keep_min(1, (rdtsc() - t0) / NPAGES);
	(void)sink;
	munmap(p, len);
}

/* COW faults: the parent writes pages a live child shares. */
static void cow(void)
{
	size_t len = (size_t)NPAGES * PAGE;
	char *p = fresh(len);
	int go[2];
	char c;

	touch(p, len);
	if (pipe(go) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(go[1]);
		_exit(read(go[0], &c, 1) < 0);
	}
	close(go[0]);
	uint64_t t0 = rdtsc();
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = 2;
	keep_min(2, (rdtsc() - t0) / NPAGES);
	close(go[1]);
	waitpid(pid, NULL, 0);
	munmap(p, len);
}

/* fork + _exit + waitpid of this process holding mb of touched memory. */
static void fork_exit_wait(int slot, size_t mb)
{
	char *p = fresh(mb << 20);

	touch(p, mb << 20);
	uint64_t t0 = rdtsc();
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	keep_min(slot, rdtsc() - t0);
	munmap(p, mb << 20);
}

/* execve of tiny until its main(): tiny writes rdtsc() - t0 to the pipe. */
static void exec_tiny(const char *tiny)
{
	int fd[2];
	uint64_t d = 0;

	if (pipe(fd) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		char t0s[24], fds[12];
		close(fd[0]);
		snprintf(fds, sizeof(fds), "%d", fd[1]);
		uint64_t t0 = rdtsc();
		snprintf(t0s, sizeof(t0s), "%llu", (unsigned long long)t0);
		char *argv[] = { (char *)tiny, "tsc", t0s, fds, NULL };
		char *envp[] = { NULL };
		execve(tiny, argv, envp);
		_exit(127);
	}
	close(fd[1]);
	if (read(fd[0], &d, sizeof(d)) == sizeof(d))
		keep_min(6, d);
	close(fd[0]);
	waitpid(pid, NULL, 0);
}

/* getpid through int $0x80, per call. */
static void getpid_int80(void)
{
	enum { N = 10000 };
	uint64_t t0 = rdtsc();
	for (int i = 0; i < N; i++) {
		int r = 20;   /* __NR_getpid */
		__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
	}
	keep_min(7, (rdtsc() - t0) / N);
}

int main(int argc, char **argv)
{
	static const char *const rows[] = {
		"user_dz_write_fault instructions per page: first write to anonymous memory",
		"user_zero_read_fault instructions per page: first read (maps the zero page)",
		"user_cow_fault instructions per page: write to a page shared with a child",
		"user_munmap instructions per page: munmap of touched anonymous memory",
		"user_fork_1m instructions: fork+_exit+waitpid, 1 MB touched",
		"user_fork_64m instructions: fork+_exit+waitpid, 64 MB touched",
		"user_exec_tiny instructions: execve of a static binary until its main()",
		"user_getpid instructions per call: getpid through int $0x80",
	};
	char dir[256], tiny[300];

	snprintf(dir, sizeof(dir), "%s", strchr(argv[0], '/') ? argv[0] : "/tests/ubench");
	snprintf(tiny, sizeof(tiny), "%s/tiny", dirname(dir));
	for (int r = 0; r < ROUNDS; r++) {
		faults();
		cow();
		fork_exit_wait(4, 1);
		fork_exit_wait(5, 64);
		exec_tiny(tiny);
		getpid_int80();
	}
	int missing = 0;
	for (int i = 0; i < 8; i++) {
		const char *sp = strchr(rows[i], ' ');
		if (best[i] == 0)
			missing++;
		out("# bench %.*s %llu %s\n", (int)(sp - rows[i]), rows[i],
		    (unsigned long long)best[i], sp + 1);
	}
	out("# bench-end user\n");
	(void)argc;
	return missing ? 1 : 0;
}
