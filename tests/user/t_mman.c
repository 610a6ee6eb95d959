/*
 * t_mman.c - munmap, mprotect, mmap hints and MAP_FIXED, madvise, private
 * file mappings (the page cache's pages, copy on write, SIGBUS past EOF).
 *
 * Why: these split and merge VMAs; each case checks both what must still
 * work and what must now fault. Every expected fault happens in a child
 * that must die by SIGSEGV (wait4 checks WIFSIGNALED and WTERMSIG).
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096

static char *map(size_t len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void do_read(void *a)
{
	volatile char *p = a;
	(void)*p;
}

static void do_write(void *a)
{
	volatile char *p = a;
	*p = 1;
}

#define EXPECT_SEGV(fn, addr, what) do { char why_[160]; \
	KT_EXPECT(dies_by_signal(fn, addr, SIGSEGV, why_, sizeof(why_)), "%s at %p: %s", \
		  what, (void *)(addr), why_); } while (0)

/* A private mapping of a 2-page + 100-byte file: its bytes, zeros after
 * the end in the last page, SIGBUS a page further; a write is the
 * process's own copy (the file stays), a PROT_READ mapping refuses writes. */
static int test_file_mapping_private(void)
{
	char path[64], buf[3 * PAGE], back[PAGE];
	size_t size = 2 * PAGE + 100;

	snprintf(path, sizeof(path), "/tmp/hl_mman_%d", (int)getpid());
	mkdir("/tmp", 01777);
	for (size_t i = 0; i < size; i++)
		buf[i] = (char)('A' + i % 23);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_EXPECT(fd >= 0, "create %s: %s", path, strerror(errno));
	KT_EXPECT(write(fd, buf, size) == (ssize_t)size, "write: %s", strerror(errno));
	unlink(path); /* the open file keeps it */
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	KT_EXPECT(p != MAP_FAILED, "mmap of the file: %s", strerror(errno));
	KT_EXPECT(memcmp(p, buf, size) == 0, "the mapping shows the file's bytes");
	for (size_t i = size; i < 3 * PAGE; i++)
		KT_EXPECT(p[i] == 0, "byte %zu after the end of the file is %d, want 0", i, p[i]);
	p[5] = '!';
	p[PAGE + 7] = '?';
	KT_EXPECT(lseek(fd, 0, SEEK_SET) == 0 && read(fd, back, PAGE) == PAGE,
		  "read the file back: %s", strerror(errno));
	KT_EXPECT(back[5] == buf[5], "a private write reached the file");
	KT_EXPECT(p[5] == '!' && p[PAGE + 7] == '?' && p[6] == buf[6], "the copy keeps the write");
	char *q = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	KT_EXPECT(q != MAP_FAILED, "mmap at offset 1 page: %s", strerror(errno));
	KT_EXPECT(memcmp(q, buf + PAGE, PAGE) == 0, "offset 1 page shows the file's second page");
	EXPECT_SEGV(do_write, q + 3, "write to a PROT_READ file mapping");
	char why[160];
	KT_EXPECT(dies_by_signal(do_read, p + 3 * PAGE, SIGBUS, why, sizeof(why)),
		  "read a page past the end of the file: %s, want SIGBUS", why);
	munmap(q, PAGE);
	munmap(p, 4 * PAGE);
	int wr = open("/dev/null", O_WRONLY);
	KT_EXPECT(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wr, 0) == MAP_FAILED,
		  "mmap of a write-only fd succeeded");
	KT_EXPECT(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 999, 0) == MAP_FAILED && errno == EBADF,
		  "mmap of a closed fd: errno %d, want EBADF", errno);
	close(wr);
	close(fd);
	return KT_PASS;
}

static int test_access_after_munmap_segv(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);

	KT_EXPECT(p, "mmap: %s", strerror(errno));
	memset(p, 0x11, 4 * PAGE);
	KT_EXPECT(munmap(p, 4 * PAGE) == 0, "munmap: %s", strerror(errno));
	EXPECT_SEGV(do_read, p, "read after munmap");
	EXPECT_SEGV(do_write, p + 3 * PAGE, "write after munmap");
	return KT_PASS;
}

static int test_munmap_middle_splits(void)
{
	char *p = map(5 * PAGE, PROT_READ | PROT_WRITE);

	KT_EXPECT(p, "mmap: %s", strerror(errno));
	for (int i = 0; i < 5; i++)
		p[i * PAGE] = (char)('a' + i);
	KT_EXPECT(munmap(p + 2 * PAGE, PAGE) == 0, "munmap of the middle page: %s", strerror(errno));
	EXPECT_SEGV(do_read, p + 2 * PAGE, "read of the unmapped middle page");
	for (int i = 0; i < 5; i++)
		if (i != 2)
			KT_EXPECT(p[i * PAGE] == 'a' + i, "page %d lost its content after the split", i);
	KT_EXPECT(munmap(p, 5 * PAGE) == 0, "munmap over a hole: %s", strerror(errno));
	EXPECT_SEGV(do_read, p, "read after the whole range was unmapped");
	return KT_PASS;
}

static int test_munmap_bad_arguments(void)
{
	char *p = map(PAGE, PROT_READ | PROT_WRITE);

	KT_EXPECT(p, "mmap: %s", strerror(errno));
	errno = 0;
	KT_EXPECT(munmap(p + 1, PAGE) == -1 && errno == EINVAL, "munmap unaligned: %d errno %d",
		  -1, errno);
	errno = 0;
	KT_EXPECT(munmap(p, 0) == -1 && errno == EINVAL, "munmap length 0: errno %d", errno);
	errno = 0;
	KT_EXPECT(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
		  errno == EINVAL, "mmap length 0: errno %d, want EINVAL", errno);
	munmap(p, PAGE);
	return KT_PASS;
}

static int test_mprotect_read_only(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);

	KT_EXPECT(p, "mmap: %s", strerror(errno));
	memset(p, 0x5a, 3 * PAGE);
	KT_EXPECT(mprotect(p + PAGE, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	EXPECT_SEGV(do_write, p + PAGE + 8, "write to a PROT_READ page");
	KT_EXPECT(p[PAGE + 8] == 0x5a, "a read-only page lost its content");
	p[0] = 1;                         /* the neighbours stay writable */
	p[2 * PAGE] = 2;
	KT_EXPECT(mprotect(p + PAGE, PAGE, PROT_NONE) == 0, "mprotect NONE: %s", strerror(errno));
	EXPECT_SEGV(do_read, p + PAGE, "read of a PROT_NONE page");
	KT_EXPECT(mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect RW: %s",
		  strerror(errno));
	p[PAGE] = 3;                      /* writable again, content kept */
	KT_EXPECT(p[PAGE + 8] == 0x5a && p[0] == 1 && p[2 * PAGE] == 2, "contents changed");
	munmap(p, 3 * PAGE);
	return KT_PASS;
}

static int test_no_execute_on_data(void)
{
	unsigned char *p = (unsigned char *)map(PAGE, PROT_READ | PROT_WRITE);

	KT_EXPECT(p, "mmap: %s", strerror(errno));
	p[0] = 0xc3;                      /* ret */
	char why[160];
	KT_EXPECT(dies_by_signal((void (*)(void *))(void *)p, NULL, SIGSEGV, why, sizeof(why)),
		  "executing a PROT_READ|PROT_WRITE page: %s", why);
	KT_EXPECT(mprotect(p, PAGE, PROT_READ | PROT_EXEC) == 0, "mprotect EXEC: %s",
		  strerror(errno));
	((void (*)(void))(void *)p)();    /* now it runs and returns */
	munmap(p, PAGE);
	return KT_PASS;
}

static int test_hint_and_map_fixed(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);

	KT_EXPECT(p, "mmap: %s", strerror(errno));
	memset(p, 0x77, 4 * PAGE);
	char *q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	KT_EXPECT(q == p + PAGE, "MAP_FIXED at %p gave %p", (void *)(p + PAGE), (void *)q);
	KT_EXPECT(q[0] == 0 && q[PAGE - 1] == 0, "MAP_FIXED did not replace the old page");
	KT_EXPECT(p[0] == 0x77 && p[2 * PAGE] == 0x77, "MAP_FIXED touched its neighbours");
	munmap(p, 4 * PAGE);
	/* A free hint is honoured (Linux does when the range is free). */
	char *h = mmap(p, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_EXPECT(h == p, "hint %p gave %p", (void *)p, (void *)h);
	munmap(h, PAGE);
	return KT_PASS;
}

static int test_madvise_dontneed_zeroes(void)
{
	char *p = map(8 * PAGE, PROT_READ | PROT_WRITE);

	KT_EXPECT(p, "mmap: %s", strerror(errno));
	memset(p, 0x33, 8 * PAGE);
	KT_EXPECT(madvise(p + 2 * PAGE, 4 * PAGE, MADV_DONTNEED) == 0, "madvise: %s",
		  strerror(errno));
	for (int i = 0; i < 8; i++) {
		char want = i >= 2 && i < 6 ? 0 : 0x33;
		KT_EXPECT(p[i * PAGE] == want && p[i * PAGE + PAGE - 1] == want,
			  "page %d reads 0x%x after MADV_DONTNEED, want 0x%x", i, p[i * PAGE], want);
	}
	munmap(p, 8 * PAGE);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "access_after_munmap_segv", test_access_after_munmap_segv },
		{ "munmap_middle_splits", test_munmap_middle_splits },
		{ "munmap_bad_arguments", test_munmap_bad_arguments },
		{ "mprotect_read_only_and_none", test_mprotect_read_only },
		{ "no_execute_on_data", test_no_execute_on_data },
		{ "hint_and_map_fixed", test_hint_and_map_fixed },
		{ "madvise_dontneed_zeroes", test_madvise_dontneed_zeroes },
		{ "file_mapping_private", test_file_mapping_private },
	};
	return kt_run("mman", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
