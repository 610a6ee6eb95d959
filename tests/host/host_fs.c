/* host_fs.c - what the hosted machine gives fs/ in place of fs/fs_io.c:
 * it has no user space, so a read or write into "user" memory is refused
 * with -EFAULT (what a bad user pointer gets); kernel memory is copied. */
#include "errno.h"
#include "fs.h"
#include "kstring.h"
#include "process.h"
#include <time.h>

int fs_io_to(const struct fs_io *io, size_t off, const void *src, size_t n)
{
	if (io->user)
		return -EFAULT;
	memcpy(io->p + off, src, n);
	return 0;
}

int fs_io_from(const struct fs_io *io, size_t off, void *dst, size_t n)
{
	if (io->user)
		return -EFAULT;
	memcpy(dst, io->p + off, n);
	return 0;
}

/* The hosted machine's realtime clock is the host's (file times). */
u64 ktime_get_real_seconds(void)
{
	return (u64)time(NULL);
}
