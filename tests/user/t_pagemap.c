/*
 * t_pagemap.c - /proc/self/pagemap, /proc/kpageflags and /proc/kpagecount
 * read as Linux's tools read them (lseek to vaddr/4096*8 or pfn*8, read 8
 * bytes): a touched page is present with a frame number, an untouched one
 * is not; that frame is anonymous, mapped, mapped once; after fork it is
 * mapped twice and no longer exclusive, and a write in the child gives the
 * child another frame (copy on write); a file page carries PM_FILE; reads
 * not at a multiple of 8 are refused; /proc/highland/memsnap is a whole
 * snapshot naming this process.
 *
 * Highland only: elsewhere (qemu-i386 on the host) the addresses are the
 * emulator's and the frame numbers need privileges, so the cases skip.
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define PM_PRESENT (1ULL << 63)
#define PM_FILE (1ULL << 61)
#define PM_EXCLUSIVE (1ULL << 56)
#define PFN_MASK ((1ULL << 55) - 1)
#define KPF_MMAP 11
#define KPF_ANON 12
#define OWNER(w) ((unsigned)((w) >> 48) & 15) /* Highland's bits 48-51 */
#define OWNER_ANON 10
#define OWNER_PAGECACHE 11

/* The 8-byte word at index i of a /proc file; 0 and errno set on failure. */
static uint64_t word_at(const char *path, uint64_t i)
{
	uint64_t w = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	if (lseek(fd, (off_t)(i * 8), SEEK_SET) < 0 || read(fd, &w, 8) != 8)
		w = 0;
	close(fd);
	return w;
}

static uint64_t pagemap(const void *va)
{
	return word_at("/proc/self/pagemap", (uintptr_t)va / PAGE);
}

static int anon_page_and_its_frame(void)
{
	if (!hl_is_highland())
		KT_SKIP("Highland's frame numbers only");
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_EXPECT(p != MAP_FAILED, "mmap: %s", strerror(errno));
	p[0] = 1;
	uint64_t e = pagemap(p), e2 = pagemap(p + PAGE);
	KT_EXPECT(e & PM_PRESENT, "touched page not present: %#llx", (unsigned long long)e);
	KT_EXPECT((e & PM_EXCLUSIVE) && !(e & PM_FILE), "bits %#llx", (unsigned long long)e);
	KT_EXPECT(e2 == 0, "untouched page: %#llx, want 0", (unsigned long long)e2);
	uint64_t pfn = e & PFN_MASK, f = word_at("/proc/kpageflags", pfn);
	KT_EXPECT(pfn != 0, "no frame number");
	KT_EXPECT((f >> KPF_ANON & 1) && (f >> KPF_MMAP & 1), "kpageflags %#llx: not anon+mmap", (unsigned long long)f);
	KT_EXPECT(OWNER(f) == OWNER_ANON, "owner kind %u, want anon", OWNER(f));
	KT_EXPECT(word_at("/proc/kpagecount", pfn) == 1, "kpagecount %llu, want 1",
		  (unsigned long long)word_at("/proc/kpagecount", pfn));
	munmap(p, 2 * PAGE);
	return KT_PASS;
}

static volatile char *shared;
static uint64_t parent_pfn;

static void child_checks(void *arg)
{
	uint64_t e = pagemap((void *)shared);
	if ((e & PFN_MASK) != parent_pfn || (e & PM_EXCLUSIVE))
		_exit(10); /* not the same frame, or exclusive while shared */
	if (word_at("/proc/kpagecount", parent_pfn) != 2)
		_exit(11);
	shared[0] = 2; /* copy on write: a frame of its own */
	e = pagemap((void *)shared);
	if (!(e & PM_PRESENT) || (e & PFN_MASK) == parent_pfn || !(e & PM_EXCLUSIVE))
		_exit(12);
	_exit(0);
}

static int fork_shares_then_copies(void)
{
	char why[64];
	if (!hl_is_highland())
		KT_SKIP("Highland's frame numbers only");
	shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_EXPECT(shared != MAP_FAILED, "mmap: %s", strerror(errno));
	shared[0] = 1;
	parent_pfn = pagemap((void *)shared) & PFN_MASK;
	int st = run_in_child(child_checks, NULL);
	KT_EXPECT(st == 0, "child: %s (10 same frame, 11 kpagecount, 12 copy on write)",
		  describe_status(st, why, sizeof(why)));
	KT_EXPECT((pagemap((void *)shared) & PFN_MASK) == parent_pfn, "the parent's frame changed");
	munmap((void *)shared, PAGE);
	return KT_PASS;
}

static int file_page_and_bad_reads(void)
{
	if (!hl_is_highland())
		KT_SKIP("Highland's frame numbers only");
	int fd = open("/tests/t_pagemap", O_RDONLY);
	KT_EXPECT(fd >= 0, "open /tests/t_pagemap: %s", strerror(errno));
	const volatile char *f = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	KT_EXPECT(f != MAP_FAILED, "mmap of a file: %s", strerror(errno));
	(void)f[0];
	uint64_t e = pagemap((const void *)f);
	KT_EXPECT((e & PM_PRESENT) && (e & PM_FILE), "file page: %#llx", (unsigned long long)e);
	KT_EXPECT(OWNER(word_at("/proc/kpageflags", e & PFN_MASK)) == OWNER_PAGECACHE, "not page cache");
	munmap((void *)f, PAGE);
	close(fd);
	uint64_t w;
	int pm = open("/proc/self/pagemap", O_RDONLY);
	KT_EXPECT(pm >= 0, "open pagemap: %s", strerror(errno));
	lseek(pm, 4, SEEK_SET);
	KT_EXPECT(read(pm, &w, 8) < 0 && errno == EINVAL, "read at offset 4 not refused");
	lseek(pm, 0, SEEK_SET);
	KT_EXPECT(read(pm, &w, 4) < 0 && errno == EINVAL, "read of 4 bytes not refused");
	close(pm);
	return KT_PASS;
}

static int memsnap_names_this_process(void)
{
	static char buf[1 << 20];
	char want[32];
	if (!hl_is_highland())
		KT_SKIP("Highland's /proc/highland/memsnap only");
	long n = read_file("/proc/highland/memsnap", buf, sizeof(buf));
	KT_EXPECT(n > 0, "read /proc/highland/memsnap: %s", strerror(errno));
	KT_EXPECT(!strncmp(buf, "memsnap-begin v1\n", 17), "no memsnap-begin line");
	KT_EXPECT(n > 13 && !strcmp(buf + n - 13, "\nmemsnap-end\n"), "no memsnap-end line (cut at %ld bytes?)", n);
	snprintf(want, sizeof(want), "\ntask %d ", (int)getpid());
	KT_EXPECT(strstr(buf, want), "this process (%s) is not in it", want + 1);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "anon_page_and_its_frame", anon_page_and_its_frame },
		{ "fork_shares_then_copies", fork_shares_then_copies },
		{ "file_page_and_bad_reads", file_page_and_bad_reads },
		{ "memsnap_names_this_process", memsnap_names_this_process },
	};
	return kt_run("pagemap", cases, 4);
}
