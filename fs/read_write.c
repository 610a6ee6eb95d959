/* read_write.c - the descriptor syscalls: read, write, readv, writev,
 * lseek, _llseek, getdents64, close, dup, dup2, fcntl64, ioctl, pipe,
 * pipe2. Each checks its descriptor, does the work through the file's
 * operations with the user's buffer (struct fs_io: copy_to_user and
 * copy_from_user do the copies), and answers as Linux does: a count or
 * -errno, -EFAULT for a bad pointer. */
#include "blkdev.h"
#include "internal.h"
#include "kstring.h"
#include "slab.h"
#include "syscalls.h"

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define IOV_MAX 1024

SYSCALL_DEFINE3(read, 3, unsigned int, fd, char *, buf, size_t, count)
{
	struct file *f = fget((int)fd);
	struct fs_io io = { buf, true };
	ssize_t r;

	if (!f)
		return -EBADF;
	r = vfs_read(f, &io, count, &f->f_pos);
	fput(f);
	return r;
}

SYSCALL_DEFINE3(write, 4, unsigned int, fd, const char *, buf, size_t, count)
{
	struct file *f = fget((int)fd);
	struct fs_io io = { (char *)buf, true };
	ssize_t r;

	if (!f)
		return -EBADF;
	r = vfs_write(f, &io, count, &f->f_pos);
	fput(f);
	return r;
}

struct iovec_user {
	void *iov_base;
	size_t iov_len;
};

/* readv and writev: segment after segment, stopping at a short transfer. */
static long do_iov(unsigned fd, const struct iovec_user *uvec, unsigned long n, bool write)
{
	struct file *f;
	long total = 0;

	if (n > IOV_MAX)
		return -EINVAL;
	if (!(f = fget((int)fd)))
		return -EBADF;
	for (unsigned long i = 0; i < n; i++) {
		struct iovec_user v;
		ssize_t r;

		if (copy_from_user(&v, &uvec[i], sizeof(v))) {
			total = total ? total : -EFAULT;
			break;
		}
		struct fs_io io = { v.iov_base, true };
		r = write ? vfs_write(f, &io, v.iov_len, &f->f_pos) : vfs_read(f, &io, v.iov_len, &f->f_pos);
		if (r < 0) {
			total = total ? total : r;
			break;
		}
		total += r;
		if ((size_t)r < v.iov_len)
			break;
	}
	fput(f);
	return total;
}

SYSCALL_DEFINE3(readv, 145, unsigned long, fd, const struct iovec_user *, vec, unsigned long, vlen)
{
	return do_iov((unsigned)fd, vec, vlen, false);
}

SYSCALL_DEFINE3(writev, 146, unsigned long, fd, const struct iovec_user *, vec, unsigned long, vlen)
{
	return do_iov((unsigned)fd, vec, vlen, true);
}

/* The new offset, or -errno. Pipes and terminals (the console: the one file
 * with an ioctl) cannot seek. */
loff_t vfs_llseek(struct file *f, loff_t off, unsigned whence)
{
	struct inode *inode = f->f_inode;
	loff_t base;

	if (!inode || (inode->i_mode & S_IFMT) == S_IFIFO || (f->f_op && f->f_op->ioctl))
		return -ESPIPE;
	if (S_ISCHR(inode->i_mode))
		return 0; /* /dev/null, /dev/zero: Linux says 0 */
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->f_pos; break;
	case SEEK_END: base = S_ISBLK(inode->i_mode) ? blkdev_size_of(inode) : i_size_read(inode); break;
	default: return -EINVAL;
	}
	if ((off > 0 && base > 0x7fffffffffffffffLL - off) || base + off < 0)
		return -EINVAL;
	f->f_pos = base + off;
	return f->f_pos;
}

SYSCALL_DEFINE3(lseek, 19, unsigned int, fd, long, offset, unsigned int, whence)
{
	struct file *f = fget((int)fd);
	loff_t r;

	if (!f)
		return -EBADF;
	r = vfs_llseek(f, offset, whence);
	if (r > 0x7fffffffLL) /* does not fit the 32-bit result */
		r = -EOVERFLOW;
	fput(f);
	return (long)r;
}

SYSCALL_DEFINE5(_llseek, 140, unsigned int, fd, unsigned long, hi, unsigned long, lo,
		loff_t *, result, unsigned int, whence)
{
	struct file *f = fget((int)fd);
	loff_t r;

	if (!f)
		return -EBADF;
	r = vfs_llseek(f, (loff_t)(((u64)hi << 32) | lo), whence);
	fput(f);
	if (r < 0)
		return (long)r;
	return copy_to_user(result, &r, sizeof(r)) ? -EFAULT : 0;
}

/* ---- getdents64 ---- */

struct dirent_buf {
	char *p;
	size_t size, used;
	loff_t next;
};

/* struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, name. */
static bool fill_dirent64(void *ctx, const char *name, size_t len, u64 ino, unsigned type)
{
	struct dirent_buf *b = ctx;
	size_t reclen = ALIGN_UP(19 + len + 1, (size_t)8);
	char *d = b->p + b->used;
	s64 off = ++b->next;
	u16 rl = (u16)reclen;
	u8 t = (u8)type;

	if (reclen > b->size - b->used)
		return false;
	memset(d, 0, reclen);
	memcpy(d, &ino, 8);
	memcpy(d + 8, &off, 8);
	memcpy(d + 16, &rl, 2);
	memcpy(d + 18, &t, 1);
	memcpy(d + 19, name, len);
	b->used += reclen;
	return true;
}

long vfs_getdents64(struct file *f, void *buf, size_t count)
{
	struct dirent_buf b = { buf, count, 0, f->f_pos };

	if (!f->f_inode || !S_ISDIR(f->f_inode->i_mode))
		return -ENOTDIR;
	if (!f->f_op || !f->f_op->iterate)
		return -ENOTDIR;
	int err = f->f_op->iterate(f, fill_dirent64, &b);
	if (err)
		return err;
	if (!b.used && count < 24 + DNAME_MAX) {
		/* could the next entry have fitted? iterate again into a big buffer to know */
		char big[32 + DNAME_MAX];
		loff_t pos = f->f_pos;
		struct dirent_buf t = { big, sizeof(big), 0, pos };
		f->f_op->iterate(f, fill_dirent64, &t);
		f->f_pos = pos;
		if (t.used)
			return -EINVAL; /* Linux: the buffer is too small for the next entry */
	}
	return (long)b.used;
}

SYSCALL_DEFINE3(getdents64, 220, unsigned int, fd, void *, dirent, unsigned int, count)
{
	struct file *f = fget((int)fd);
	size_t n = count < 65536 ? count : 65536;
	char *kbuf;
	long r;

	if (!f)
		return -EBADF;
	if (!access_ok(dirent, count)) { /* Linux checks the whole buffer first */
		fput(f);
		return -EFAULT;
	}
	loff_t pos = f->f_pos;
	kbuf = kmalloc(n ? n : 1, GFP_KERNEL);
	r = kbuf ? vfs_getdents64(f, kbuf, n) : -ENOMEM;
	if (r > 0 && copy_to_user(dirent, kbuf, (unsigned long)r)) {
		r = -EFAULT; /* as Linux when the first entry cannot be stored: */
		f->f_pos = pos; /* the position stays */
	}
	kfree(kbuf);
	fput(f);
	return r;
}

/* ---- descriptors ---- */

SYSCALL_DEFINE1(close, 6, unsigned int, fd)
{
	return close_fd((int)fd);
}

SYSCALL_DEFINE1(dup, 41, unsigned int, fd)
{
	struct file *f = fget((int)fd);
	int r;

	if (!f)
		return -EBADF;
	r = fd_install_new(f, 0, 0);
	if (r < 0)
		fput(f);
	return r;
}

SYSCALL_DEFINE2(dup2, 63, unsigned int, oldfd, unsigned int, newfd)
{
	struct file *f = fget((int)oldfd);

	if (!f)
		return -EBADF;
	if (oldfd == newfd) {
		fput(f);
		return newfd;
	}
	if (newfd >= NR_OPEN_DEFAULT) {
		fput(f);
		return -EBADF;
	}
	return fd_install_at((int)newfd, f, false);
}

SYSCALL_DEFINE3(fcntl64, 221, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget((int)fd);
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		r = arg >= NR_OPEN_DEFAULT ? -EINVAL
					  : fd_install_new(get_file(f), cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0,
							   (int)arg);
		if (r < 0 && arg < NR_OPEN_DEFAULT)
			fput(f);
		break;
	case F_GETFD:
		r = fd_get_cloexec((int)fd);
		break;
	case F_SETFD:
		r = fd_set_cloexec((int)fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = (long)f->f_flags;
		break;
	case F_SETFL: /* only these two change after open, as on Linux */
		f->f_flags = (f->f_flags & ~(unsigned)(O_APPEND | O_NONBLOCK)) |
			     ((unsigned)arg & (O_APPEND | O_NONBLOCK));
		r = 0;
		break;
	default:
		r = -EINVAL;
	}
	fput(f);
	return r;
}

long vfs_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	return f->f_op && f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
}

SYSCALL_DEFINE3(ioctl, 54, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget((int)fd);
	long r;

	if (!f)
		return -EBADF;
	r = vfs_ioctl(f, cmd, arg);
	fput(f);
	return r;
}

/* ---- pipes ---- */

static long do_pipe(int *ufds, unsigned flags)
{
	struct file *files[2];
	int fds[2];
	long err;

	if (flags & ~(unsigned)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	err = create_pipe_files(files, flags);
	if (err)
		return err;
	fds[0] = fd_install_new(files[0], flags, 0);
	fds[1] = fds[0] >= 0 ? fd_install_new(files[1], flags, 0) : -EMFILE;
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			close_fd(fds[0]);
		else
			fput(files[0]);
		fput(files[1]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		close_fd(fds[0]);
		close_fd(fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(pipe, 42, int *, fds)
{
	return do_pipe(fds, 0);
}

SYSCALL_DEFINE2(pipe2, 331, int *, fds, int, flags)
{
	return do_pipe(fds, (unsigned)flags);
}
