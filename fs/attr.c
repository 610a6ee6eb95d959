/* attr.c - changing what stat shows: chmod, chown, utimensat, and umask.
 *
 * Everyone is root on Highland (kernel/sys.c), and root may change any
 * file's mode, owner and times, as on Linux (CAP_FOWNER, CAP_CHOWN); the
 * checks left are Linux's others: the path must exist, /proc refuses
 * (EPERM: its modes are fixed), chown's -1 means "leave this id", and a
 * mode keeps only its permission bits (07777). Times are whole seconds
 * (struct inode keeps i_mtime in seconds; stat reports it for atime and
 * ctime too), so utimensat's nanoseconds are dropped, and UTIME_OMIT for
 * the modification time leaves it. umask lives in fs_struct, as Linux's,
 * inherited across fork and applied by open(O_CREAT), mkdir and mknod. */
#include "internal.h"
#include "kstring.h"
#include "process.h"
#include "sched.h"
#include "slab.h"
#include "syscalls.h"

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

/* What to change in one inode. */
struct attr_change {
	bool mode, owner, mtime;
	umode_t new_mode;
	u32 uid, gid;  /* (u32)-1: unchanged */
	s64 new_mtime;
};

static int apply(struct inode *inode, const struct attr_change *c)
{
	if (inode->i_sb && inode->i_sb->s_magic == PROC_SUPER_MAGIC)
		return -EPERM;
	if (c->mode)
		inode->i_mode = (umode_t)((inode->i_mode & S_IFMT) | (c->new_mode & 07777));
	if (c->owner) {
		if (c->uid != (u32)-1)
			inode->i_uid = c->uid;
		if (c->gid != (u32)-1)
			inode->i_gid = c->gid;
	}
	if (c->mtime)
		inode->i_mtime = c->new_mtime;
	return 0;
}

/* Apply c to the inode named by (dfd, user path), following a final symlink
 * unless AT_SYMLINK_NOFOLLOW; AT_EMPTY_PATH with "" means dfd itself. */
static long change_at(int dfd, const char *upath, unsigned atflags, const struct attr_change *c)
{
	struct file *held = NULL;
	struct nameidata nd;
	char *path;
	long r;

	if (atflags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	path = getname(upath);
	if (IS_ERR(path))
		return PTR_ERR(path);
	if (!path[0] && (atflags & AT_EMPTY_PATH)) {
		struct file *f = dfd == AT_FDCWD ? NULL : fget(dfd);
		kfree(path);
		if (dfd != AT_FDCWD && !f)
			return -EBADF;
		vfs_lock();
		r = apply(f ? f->f_inode : current_pwd()->d_inode, c);
		vfs_unlock();
		if (f)
			fput(f);
		return r;
	}
	struct dentry *base = dirfd_base(dfd, path, &held);
	if (IS_ERR(base)) {
		kfree(path);
		return PTR_ERR(base);
	}
	vfs_lock();
	r = path_walk(path, (atflags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, base, &nd);
	if (!r) {
		r = apply(nd.dentry->d_inode, c);
		dput(nd.dentry);
	}
	vfs_unlock();
	if (held)
		fput(held);
	kfree(path);
	return r;
}

static long change_fd(unsigned fd, const struct attr_change *c)
{
	struct file *f = fget((int)fd);
	long r;

	if (!f)
		return -EBADF;
	vfs_lock();
	r = apply(f->f_inode, c);
	vfs_unlock();
	fput(f);
	return r;
}

/* ---- chmod ---- */

static struct attr_change mode_change(umode_t mode)
{
	return (struct attr_change){ .mode = true, .new_mode = mode };
}

SYSCALL_DEFINE2(chmod, 15, const char *, filename, umode_t, mode)
{
	struct attr_change c = mode_change(mode);
	return change_at(AT_FDCWD, filename, 0, &c);
}

SYSCALL_DEFINE2(fchmod, 94, unsigned int, fd, umode_t, mode)
{
	struct attr_change c = mode_change(mode);
	return change_fd(fd, &c);
}

/* fchmodat has no flags argument in Linux 6.1's system call (glibc emulates them). */
SYSCALL_DEFINE3(fchmodat, 306, int, dfd, const char *, filename, umode_t, mode)
{
	struct attr_change c = mode_change(mode);
	return change_at(dfd, filename, 0, &c);
}

/* ---- chown: the 16-bit calls (-1 is 0xffff) and the 32-bit ones ---- */

static struct attr_change owner_change(u32 uid, u32 gid)
{
	return (struct attr_change){ .owner = true, .uid = uid, .gid = gid };
}

static u32 id16(unsigned short id) { return id == 0xffff ? (u32)-1 : id; }

SYSCALL_DEFINE3(chown16, 182, const char *, filename, unsigned short, user, unsigned short, group)
{
	struct attr_change c = owner_change(id16(user), id16(group));
	return change_at(AT_FDCWD, filename, 0, &c);
}

SYSCALL_DEFINE3(lchown16, 16, const char *, filename, unsigned short, user, unsigned short, group)
{
	struct attr_change c = owner_change(id16(user), id16(group));
	return change_at(AT_FDCWD, filename, AT_SYMLINK_NOFOLLOW, &c);
}

SYSCALL_DEFINE3(fchown16, 95, unsigned int, fd, unsigned short, user, unsigned short, group)
{
	struct attr_change c = owner_change(id16(user), id16(group));
	return change_fd(fd, &c);
}

SYSCALL_DEFINE3(chown32, 212, const char *, filename, u32, user, u32, group)
{
	struct attr_change c = owner_change(user, group);
	return change_at(AT_FDCWD, filename, 0, &c);
}

SYSCALL_DEFINE3(lchown32, 198, const char *, filename, u32, user, u32, group)
{
	struct attr_change c = owner_change(user, group);
	return change_at(AT_FDCWD, filename, AT_SYMLINK_NOFOLLOW, &c);
}

SYSCALL_DEFINE3(fchown32, 207, unsigned int, fd, u32, user, u32, group)
{
	struct attr_change c = owner_change(user, group);
	return change_fd(fd, &c);
}

SYSCALL_DEFINE5(fchownat, 298, int, dfd, const char *, filename, u32, user, u32, group, int, flag)
{
	struct attr_change c = owner_change(user, group);
	return change_at(dfd, filename, (unsigned)flag, &c);
}

/* ---- utimensat: [0] access time (not kept), [1] modification time ---- */

/* times[1] as seconds (tv_sec, tv_nsec already in kernel memory). */
static long utimens_common(int dfd, const char *upath, s64 sec, long nsec, bool given, int flags)
{
	struct attr_change c = { .mtime = true };

	if (given && nsec != UTIME_NOW && nsec != UTIME_OMIT && (nsec < 0 || nsec >= 1000000000l))
		return -EINVAL;
	if (given && nsec == UTIME_OMIT)
		c.mtime = false;
	c.new_mtime = !given || nsec == UTIME_NOW ? (s64)ktime_get_real_seconds() : sec;
	if (!upath) /* Linux: a NULL path is futimens(dfd) */
		return dfd == AT_FDCWD ? -EFAULT : change_fd((unsigned)dfd, &c);
	return change_at(dfd, upath, (unsigned)flags, &c);
}

/* struct old_timespec32 times[2]. */
SYSCALL_DEFINE4(utimensat, 320, int, dfd, const char *, filename, const s32 *, utimes, int, flags)
{
	s32 t[4];

	if (utimes && copy_from_user(t, utimes, sizeof(t)))
		return -EFAULT;
	return utimens_common(dfd, filename, utimes ? t[2] : 0, utimes ? t[3] : 0, utimes != NULL,
			      flags);
}

/* struct __kernel_timespec times[2]: 64-bit seconds and nanoseconds. */
SYSCALL_DEFINE4(utimensat_time64, 412, int, dfd, const char *, filename, const s64 *, utimes,
		int, flags)
{
	s64 t[4];

	if (utimes && copy_from_user(t, utimes, sizeof(t)))
		return -EFAULT;
	return utimens_common(dfd, filename, utimes ? t[2] : 0, utimes ? (long)t[3] : 0,
			      utimes != NULL, flags);
}

/* ---- umask ---- */

SYSCALL_DEFINE1(umask, 60, int, mask)
{
	struct fs_struct *fs = current->fs;
	unsigned old;

	if (!fs)
		return 022;
	old = __atomic_exchange_n(&fs->umask, (unsigned)mask & 0777, __ATOMIC_RELAXED);
	return (long)old;
}

unsigned current_umask(void)
{
	struct fs_struct *fs = current->fs;

	return fs ? __atomic_load_n(&fs->umask, __ATOMIC_RELAXED) : 022;
}
