/* stat.c - stat64, lstat64, fstat64, fstatat64, statx, access and statfs, with i386's
 * struct stat64 and the generic struct statx laid out byte for byte as
 * Linux's (checked below against the offsets of Debian's i686 headers). */
#include "internal.h"
#include "kstring.h"
#include "mm.h"
#include "slab.h"
#include "syscalls.h"

#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000
#define AT_NO_AUTOMOUNT 0x800 /* glibc's stat family passes it to statx: nothing to do here */
#define AT_STATX_SYNC_TYPE 0x6000
#define STATX_BASIC_STATS 0x7ffu

/* arch/x86/include/uapi/asm/stat.h, i386 (long long aligned to 4). */
struct stat64 {
	u64 st_dev;
	u8 __pad0[4];
	u32 __st_ino;
	u32 st_mode, st_nlink;
	u32 st_uid, st_gid;
	u64 st_rdev;
	u8 __pad3[4];
	s64 st_size;
	u32 st_blksize;
	u64 st_blocks;
	u32 st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	u64 st_ino;
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct stat64) == 96, "stat64 is 96 bytes on i386");
_Static_assert(__builtin_offsetof(struct stat64, st_size) == 44, "st_size");
_Static_assert(__builtin_offsetof(struct stat64, st_blocks) == 56, "st_blocks");
_Static_assert(__builtin_offsetof(struct stat64, st_ino) == 88, "st_ino");

struct statx_timestamp {
	s64 tv_sec;
	u32 tv_nsec;
	s32 __reserved;
};

/* include/uapi/linux/stat.h */
struct statx {
	u32 stx_mask, stx_blksize;
	u64 stx_attributes;
	u32 stx_nlink, stx_uid, stx_gid;
	u16 stx_mode, __spare0;
	u64 stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	u32 stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	u64 stx_mnt_id;
	u32 stx_dio_mem_align, stx_dio_offset_align;
	u64 __spare3[12];
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct statx) == 256, "statx is 256 bytes");
_Static_assert(__builtin_offsetof(struct statx, stx_mtime) == 112, "stx_mtime");
_Static_assert(__builtin_offsetof(struct statx, stx_rdev_major) == 128, "stx_rdev_major");

void vfs_getattr(struct inode *inode, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = inode->i_sb ? inode->i_sb->s_dev : 0; /* major 0: anonymous, as Linux's ramfs */
	st->ino = inode->i_ino;
	st->mode = inode->i_mode;
	st->nlink = inode->i_nlink;
	st->uid = inode->i_uid;
	st->gid = inode->i_gid;
	st->rdev = inode->i_rdev;
	st->size = (u64)inode->i_size;
	st->blksize = PAGE_SIZE;
	st->blocks = (u64)inode->i_data.nrpages * (PAGE_SIZE / 512);
	st->mtime = inode->i_mtime;
}

/* The inode named by (dfd, path, flags), stat'ed into st. */
static long stat_at(int dfd, const char *upath, unsigned atflags, struct kstat *st)
{
	char *path;
	struct file *held = NULL;
	long r;

	if (atflags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
				  AT_STATX_SYNC_TYPE))
		return -EINVAL;
	path = getname(upath);
	if (IS_ERR(path))
		return PTR_ERR(path);
	if (!path[0] && (atflags & AT_EMPTY_PATH)) { /* fstatat(fd, "", AT_EMPTY_PATH): fstat */
		kfree(path);
		if (dfd == -100) { /* AT_FDCWD: the cwd itself */
			vfs_lock();
			vfs_getattr(current_pwd()->d_inode, st);
			vfs_unlock();
			return 0;
		}
		struct file *f = fget(dfd);
		if (!f)
			return -EBADF;
		vfs_getattr(f->f_inode, st);
		fput(f);
		return 0;
	}
	struct dentry *base = dirfd_base(dfd, path, &held);
	if (IS_ERR(base)) {
		kfree(path);
		return PTR_ERR(base);
	}
	struct nameidata nd;
	vfs_lock();
	r = path_walk(path, (atflags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, base, &nd);
	if (!r) {
		vfs_getattr(nd.dentry->d_inode, st);
		dput(nd.dentry);
	}
	vfs_unlock();
	if (held)
		fput(held);
	kfree(path);
	return r;
}

static long put_stat64(const struct kstat *k, struct stat64 *u)
{
	struct stat64 s;

	memset(&s, 0, sizeof(s));
	s.st_dev = k->dev;
	s.__st_ino = (u32)k->ino;
	s.st_mode = k->mode;
	s.st_nlink = k->nlink;
	s.st_uid = k->uid;
	s.st_gid = k->gid;
	s.st_rdev = k->rdev;
	s.st_size = (s64)k->size;
	s.st_blksize = k->blksize;
	s.st_blocks = k->blocks;
	s.st_atime = s.st_mtime = s.st_ctime = (u32)k->mtime;
	s.st_ino = k->ino;
	return copy_to_user(u, &s, sizeof(s)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(stat64, 195, const char *, filename, struct stat64 *, statbuf)
{
	struct kstat k;
	long r = stat_at(-100, filename, 0, &k);

	return r ? r : put_stat64(&k, statbuf);
}

SYSCALL_DEFINE2(lstat64, 196, const char *, filename, struct stat64 *, statbuf)
{
	struct kstat k;
	long r = stat_at(-100, filename, AT_SYMLINK_NOFOLLOW, &k);

	return r ? r : put_stat64(&k, statbuf);
}

SYSCALL_DEFINE2(fstat64, 197, unsigned long, fd, struct stat64 *, statbuf)
{
	struct file *f = fget((int)fd);
	struct kstat k;

	if (!f)
		return -EBADF;
	vfs_getattr(f->f_inode, &k);
	fput(f);
	return put_stat64(&k, statbuf);
}

SYSCALL_DEFINE4(fstatat64, 300, int, dfd, const char *, filename, struct stat64 *, statbuf,
		int, flag)
{
	struct kstat k;
	long r = stat_at(dfd, filename, (unsigned)flag, &k);

	return r ? r : put_stat64(&k, statbuf);
}

SYSCALL_DEFINE5(statx, 383, int, dfd, const char *, filename, unsigned, flags, unsigned, mask,
		struct statx *, buffer)
{
	struct kstat k;
	struct statx x;
	long r = stat_at(dfd, filename, flags, &k);

	(void)mask; /* everything basic is always there: say so in stx_mask */
	if (r)
		return r;
	memset(&x, 0, sizeof(x));
	x.stx_mask = STATX_BASIC_STATS;
	x.stx_blksize = k.blksize;
	x.stx_nlink = k.nlink;
	x.stx_uid = k.uid;
	x.stx_gid = k.gid;
	x.stx_mode = (u16)k.mode;
	x.stx_ino = k.ino;
	x.stx_size = k.size;
	x.stx_blocks = k.blocks;
	x.stx_atime.tv_sec = x.stx_ctime.tv_sec = x.stx_mtime.tv_sec = k.mtime;
	x.stx_rdev_major = k.rdev >> 8;
	x.stx_rdev_minor = k.rdev & 0xff;
	x.stx_dev_major = k.dev >> 8;
	x.stx_dev_minor = k.dev & 0xff;
	return copy_to_user(buffer, &x, sizeof(x)) ? -EFAULT : 0;
}

/* ---- access: what root may do ---- */

#define X_OK 1
#define W_OK 2
#define R_OK 4

/* Root passes every check except X_OK on a file with no x bit at all. */
static long do_access(int dfd, const char *upath, int mode, unsigned atflags)
{
	struct kstat k;
	long r;

	if (mode & ~(X_OK | W_OK | R_OK))
		return -EINVAL;
	r = stat_at(dfd, upath, atflags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), &k);
	if (r)
		return r;
	if ((mode & X_OK) && !S_ISDIR(k.mode) && !(k.mode & 0111))
		return -EACCES;
	return 0;
}

SYSCALL_DEFINE2(access, 33, const char *, filename, int, mode)
{
	return do_access(-100, filename, mode, 0);
}

SYSCALL_DEFINE3(faccessat, 307, int, dfd, const char *, filename, int, mode)
{
	return do_access(dfd, filename, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, 439, int, dfd, const char *, filename, int, mode, int, flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x200 /* AT_EACCESS: same for root */))
		return -EINVAL;
	return do_access(dfd, filename, mode, (unsigned)flags);
}

/* ---- statfs: what a filesystem holds. The RAM filesystem and devtmpfs have no
 * size of their own (their pages are the machine's, as Linux's ramfs): blocks and
 * files 0, as Linux's simple_statfs reports; df hides them unless -a. ---- */

struct kstatfs {
	u32 type, bsize, namelen, frsize, flags;
	u64 blocks, bfree, bavail, files, ffree;
	u32 fsid[2];
};

/* include/uapi/asm-generic/statfs.h: struct statfs (32-bit words) and statfs64
 * (packed to 4 on i386: 84 bytes). */
struct statfs32 {
	u32 f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	u32 f_fsid[2];
	u32 f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct statfs32) == 64, "struct statfs is 64 bytes on i386");
struct statfs64 {
	u32 f_type, f_bsize;
	u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	u32 f_fsid[2];
	u32 f_namelen, f_frsize, f_flags, f_spare[4];
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct statfs64) == 84, "struct statfs64 is 84 bytes on i386");

static void statfs_of(struct inode *inode, struct kstatfs *st)
{
	memset(st, 0, sizeof(*st));
	st->type = inode->i_sb ? (u32)inode->i_sb->s_magic : RAMFS_MAGIC;
	st->bsize = st->frsize = PAGE_SIZE;
	st->namelen = DNAME_MAX;
	st->fsid[0] = inode->i_sb ? inode->i_sb->s_dev : 0;
	st->flags = 0x20; /* ST_VALID: f_flags is meaningful (Linux sets it) */
}

/* The filesystem of path (user pointer) or of fd (path NULL). */
static long statfs_at(const char *upath, int fd, struct kstatfs *st)
{
	long r = 0;

	if (!upath) {
		struct file *f = fget(fd);
		if (!f)
			return -EBADF;
		statfs_of(f->f_inode, st);
		fput(f);
		return 0;
	}
	char *path = getname(upath);
	struct nameidata nd;
	if (IS_ERR(path))
		return PTR_ERR(path);
	vfs_lock();
	r = path_walk(path, LOOKUP_FOLLOW, NULL, &nd);
	if (!r) {
		statfs_of(nd.dentry->d_inode, st);
		dput(nd.dentry);
	}
	vfs_unlock();
	kfree(path);
	return r;
}

static long put_statfs(const struct kstatfs *k, struct statfs32 *u)
{
	struct statfs32 s = {
		.f_type = k->type, .f_bsize = k->bsize, .f_blocks = (u32)k->blocks,
		.f_bfree = (u32)k->bfree, .f_bavail = (u32)k->bavail, .f_files = (u32)k->files,
		.f_ffree = (u32)k->ffree, .f_fsid = { k->fsid[0], k->fsid[1] },
		.f_namelen = k->namelen, .f_frsize = k->frsize, .f_flags = k->flags,
	};
	return copy_to_user(u, &s, sizeof(s)) ? -EFAULT : 0;
}

static long put_statfs64(const struct kstatfs *k, size_t sz, struct statfs64 *u)
{
	struct statfs64 s;

	if (sz != sizeof(s))
		return -EINVAL; /* Linux checks the caller's idea of the size */
	memset(&s, 0, sizeof(s));
	s.f_type = k->type;
	s.f_bsize = k->bsize;
	s.f_blocks = k->blocks;
	s.f_bfree = k->bfree;
	s.f_bavail = k->bavail;
	s.f_files = k->files;
	s.f_ffree = k->ffree;
	s.f_fsid[0] = k->fsid[0];
	s.f_fsid[1] = k->fsid[1];
	s.f_namelen = k->namelen;
	s.f_frsize = k->frsize;
	s.f_flags = k->flags;
	return copy_to_user(u, &s, sizeof(s)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, 99, const char *, pathname, struct statfs32 *, buf)
{
	struct kstatfs k;
	long r = statfs_at(pathname, -1, &k);

	return r ? r : put_statfs(&k, buf);
}

SYSCALL_DEFINE2(fstatfs, 100, unsigned int, fd, struct statfs32 *, buf)
{
	struct kstatfs k;
	long r = statfs_at(NULL, (int)fd, &k);

	return r ? r : put_statfs(&k, buf);
}

SYSCALL_DEFINE3(statfs64, 268, const char *, pathname, size_t, sz, struct statfs64 *, buf)
{
	struct kstatfs k;
	long r = sz == sizeof(struct statfs64) ? statfs_at(pathname, -1, &k) : -EINVAL;

	return r ? r : put_statfs64(&k, sz, buf);
}

SYSCALL_DEFINE3(fstatfs64, 269, unsigned int, fd, size_t, sz, struct statfs64 *, buf)
{
	struct kstatfs k;
	long r = sz == sizeof(struct statfs64) ? statfs_at(NULL, (int)fd, &k) : -EINVAL;

	return r ? r : put_statfs64(&k, sz, buf);
}
