/* fs_io.c - moving a read's or write's bytes: kernel memory is copied with
 * memcpy, user memory with copy_to_user/copy_from_user (which fail, rather
 * than fault, on a bad pointer: the syscall returns -EFAULT). Kernel-only:
 * the hosted machine has its own (tests/host/host_fs.c). */
#include "internal.h"
#include "kstring.h"

int fs_io_to(const struct fs_io *io, size_t off, const void *src, size_t n)
{
	if (!io->user) {
		memcpy(io->p + off, src, n);
		return 0;
	}
	return copy_to_user(io->p + off, src, n) ? -EFAULT : 0;
}

int fs_io_from(const struct fs_io *io, size_t off, void *dst, size_t n)
{
	if (!io->user) {
		memcpy(dst, io->p + off, n);
		return 0;
	}
	return copy_from_user(dst, io->p + off, n) ? -EFAULT : 0;
}
