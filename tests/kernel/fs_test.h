/* fs_test.h - what the fs and fs_dev suites share: whole-file helpers. */
#ifndef HL_FS_TEST_H
#define HL_FS_TEST_H

#include "err.h"
#include "kstring.h"
#include "ktest.h"
#include "printk.h"
#include "../../fs/internal.h"

/* Exact contents are the point of these cases: no injected failures. */
static inline void no_injection(struct ktest *t)
{
	ktest_suspend_injection(t, "fs: exact contents");
}

/* Read a whole file (up to size - 1 bytes) into buf, NUL-terminated: length or -errno. */
static inline long slurp(const char *path, char *buf, size_t size)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	loff_t pos = 0;
	long n = 0, r;

	if (IS_ERR(f))
		return PTR_ERR(f);
	while ((size_t)n < size - 1 && (r = kernel_read(f, buf + n, size - 1 - (size_t)n, &pos)) > 0)
		n += r;
	fput(f);
	buf[n] = '\0';
	return n;
}

static inline long spit(const char *path, const void *data, size_t n, int flags)
{
	struct file *f = filp_open(path, O_WRONLY | O_CREAT | flags, 0644);
	loff_t pos = 0;
	long r;

	if (IS_ERR(f))
		return PTR_ERR(f);
	r = kernel_write(f, data, n, &pos);
	fput(f);
	return r;
}

#endif
