/*
 * t_efault.c - a bad pointer given to a syscall is -EFAULT, never a crash
 * of the kernel nor of the caller: read, write, open, stat, fstat,
 * getdents64 and uname with pointers into kernel space, into unmapped user
 * space, and straddling the end of a mapping.
 *
 * Why: this is copy_from_user/copy_to_user/strncpy_from_user and the
 * exception table at work. The program itself must survive every call.
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define PAGE 4096

static char *bad_ptrs[4];
static const char *bad_names[] = { "direct map 0xC0000000", "kernel image 0xC0100000",
				   "top page 0xFFFFF000", "an unmapped user page" };

/* A user page that was mapped and is not any more. */
static char *unmapped_page(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	munmap(p, PAGE);
	return p;
}

static void setup(void)
{
	bad_ptrs[0] = (char *)0xC0000000u;
	bad_ptrs[1] = (char *)0xC0100000u;
	bad_ptrs[2] = (char *)0xFFFFF000u;
	bad_ptrs[3] = unmapped_page();
}

/* syscall result r must be -1 with errno EFAULT. */
#define EXPECT_EFAULT(r, call, i) KT_EXPECT((r) == -1 && errno == EFAULT, \
	"%s with %s: returned %ld errno %d, want EFAULT", call, bad_names[i], (long)(r), errno)

static int test_read_write(void)
{
	int p[2];

	KT_EXPECT(pipe(p) == 0, "pipe: %s", strerror(errno));
	for (int i = 0; i < 4; i++) {
		KT_EXPECT(write(p[1], "0123456789", 10) == 10, "write to the pipe: %s",
			  strerror(errno));
		errno = 0;
		EXPECT_EFAULT(syscall(SYS_read, p[0], bad_ptrs[i], 10), "read", i);
		errno = 0;
		EXPECT_EFAULT(syscall(SYS_write, p[1], bad_ptrs[i], 10), "write", i);
		char drain[64];
		(void)!read(p[0], drain, sizeof(drain));   /* whatever read left there */
	}
	close(p[0]);
	close(p[1]);
	return KT_PASS;
}

static int test_open_stat(void)
{
	struct stat st;

	for (int i = 0; i < 4; i++) {
		errno = 0;
		EXPECT_EFAULT(syscall(SYS_open, bad_ptrs[i], O_RDONLY), "open", i);
		errno = 0;
		EXPECT_EFAULT(syscall(SYS_openat, AT_FDCWD, bad_ptrs[i], O_RDONLY), "openat", i);
		errno = 0;
		EXPECT_EFAULT(syscall(SYS_stat64, bad_ptrs[i], &st), "stat64 path", i);
		errno = 0;
		EXPECT_EFAULT(syscall(SYS_stat64, "/", bad_ptrs[i]), "stat64 buffer", i);
		errno = 0;
		EXPECT_EFAULT(syscall(SYS_fstat64, 1, bad_ptrs[i]), "fstat64 buffer", i);
		errno = 0;
		EXPECT_EFAULT(syscall(SYS_uname, bad_ptrs[i]), "uname", i);
	}
	return KT_PASS;
}

static int test_getdents(void)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);

	KT_EXPECT(fd >= 0, "open /: %s", strerror(errno));
	for (int i = 0; i < 4; i++) {
		errno = 0;
		EXPECT_EFAULT(syscall(SYS_getdents64, fd, bad_ptrs[i], 4096), "getdents64", i);
	}
	close(fd);
	return KT_PASS;
}

/* A path whose bytes run up to the end of a mapping with no NUL: EFAULT. */
static int test_path_straddling_the_end(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	KT_EXPECT(p != MAP_FAILED, "mmap: %s", strerror(errno));
	KT_EXPECT(munmap(p + PAGE, PAGE) == 0, "munmap: %s", strerror(errno));
	memset(p, 'a', PAGE);
	p[0] = '/';
	char *path = p + PAGE - 16;   /* "aaaa..." up to the hole, no NUL */
	errno = 0;
	long r = syscall(SYS_open, path, O_RDONLY);
	KT_EXPECT(r == -1 && errno == EFAULT, "open of a path running into a hole: %ld errno %d",
		  r, errno);
	struct stat st;
	errno = 0;
	r = syscall(SYS_stat64, "/", p + PAGE - 8);   /* 8 bytes of a 96-byte struct fit */
	KT_EXPECT(r == -1 && errno == EFAULT, "stat64 into a buffer straddling a hole: %ld errno %d",
		  r, errno);
	KT_EXPECT(stat("/", &st) == 0, "stat / afterwards: %s", strerror(errno));
	munmap(p, PAGE);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "read_write", test_read_write },
		{ "open_stat_uname", test_open_stat },
		{ "getdents64", test_getdents },
		{ "path_straddling_the_end", test_path_straddling_the_end },
	};
	setup();
	return kt_run("efault", cases, 4);
}
