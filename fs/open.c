/* open.c - the syscalls that take a path: open, openat, mkdir(at),
 * unlink(at), rmdir, readlink(at), symlink(at), chdir, fchdir, getcwd,
 * mount, truncate, rename, link. A user path is copied in whole first (getname: -EFAULT,
 * or -ENAMETOOLONG at PATH_MAX), then the kernel call (file.c, ops.c) does
 * the work. The *at calls other than openat turn a path relative to a
 * directory fd into an absolute one (getname_at) and then work as their
 * cwd-relative versions. A new file's or directory's mode loses the bits of
 * the caller's umask (attr.c), as on Linux. */
#include "internal.h"
#include "kstring.h"
#include "sched.h"
#include "slab.h"
#include "syscalls.h"

#define AT_FDCWD (-100)

/* The user's path in a kernel buffer (kfree it), or ERR_PTR. */
char *getname(const char *upath)
{
	char *k = kmalloc(PATH_MAX, GFP_KERNEL);
	long n;

	if (!k)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(k, upath, PATH_MAX);
	if (n < 0 || n >= PATH_MAX) {
		kfree(k);
		return ERR_PTR(n < 0 ? n : -ENAMETOOLONG);
	}
	return k;
}

/* openat's directory: NULL for AT_FDCWD or an absolute path, else the
 * directory file's dentry with the file referenced in *held. */
struct dentry *dirfd_base(int dfd, const char *path, struct file **held)
{
	struct file *f;

	*held = NULL;
	if (dfd == AT_FDCWD || path[0] == '/')
		return NULL;
	if (!(f = fget(dfd)))
		return ERR_PTR(-EBADF);
	if (!f->f_dentry || !S_ISDIR(f->f_inode->i_mode)) {
		fput(f);
		return ERR_PTR(-ENOTDIR);
	}
	*held = f;
	return f->f_dentry;
}

static long do_sys_open(int dfd, const char *upath, int flags, umode_t mode)
{
	char *path = getname(upath);
	struct file *held, *f;
	struct dentry *base;
	long fd;

	if (IS_ERR(path))
		return PTR_ERR(path);
	base = dirfd_base(dfd, path, &held);
	if (IS_ERR(base)) {
		kfree(path);
		return PTR_ERR(base);
	}
	f = file_open_at(base, path, flags, (umode_t)(mode & ~current_umask()));
	if (held)
		fput(held);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install_new(f, (unsigned)flags, 0);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE3(open, 5, const char *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}

SYSCALL_DEFINE4(openat, 295, int, dfd, const char *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(dfd, filename, flags, mode);
}

/* Run a one-path kernel call on a user path. */
static long with_path(const char *upath, int (*fn)(const char *path, umode_t mode), umode_t mode)
{
	char *path = getname(upath);
	long r;

	if (IS_ERR(path))
		return PTR_ERR(path);
	r = fn(path, mode);
	kfree(path);
	return r;
}

static int mkdir_fn(const char *p, umode_t mode) { return vfs_mkdir(p, (umode_t)(mode & ~current_umask())); }
static int unlink_fn(const char *p, umode_t mode) { return vfs_unlink(p); }
static int rmdir_fn(const char *p, umode_t mode) { return vfs_rmdir(p); }

SYSCALL_DEFINE2(mkdir, 39, const char *, pathname, umode_t, mode)
{
	return with_path(pathname, mkdir_fn, mode);
}

SYSCALL_DEFINE1(unlink, 10, const char *, pathname)
{
	return with_path(pathname, unlink_fn, 0);
}

SYSCALL_DEFINE1(rmdir, 40, const char *, pathname)
{
	return with_path(pathname, rmdir_fn, 0);
}

char *getname_at(int dfd, const char *upath)
{
	char *path = getname(upath), *dir;
	struct file *f;
	int n;

	if (IS_ERR(path) || dfd == AT_FDCWD || path[0] == '/')
		return path;
	if (!path[0]) { /* "" is ENOENT whatever dfd is (AT_EMPTY_PATH is the caller's) */
		kfree(path);
		return ERR_PTR(-ENOENT);
	}
	if (!(f = fget(dfd)) || !f->f_dentry || !S_ISDIR(f->f_inode->i_mode)) {
		n = f ? -ENOTDIR : -EBADF;
		if (f)
			fput(f);
		kfree(path);
		return ERR_PTR(n);
	}
	dir = kmalloc(PATH_MAX, GFP_KERNEL);
	vfs_lock();
	n = dir ? dentry_path(f->f_dentry, current_root(), dir, PATH_MAX) : -ENOMEM;
	vfs_unlock();
	fput(f);
	if (n >= 0 && (size_t)n + 1 + strlen(path) >= PATH_MAX)
		n = -ENAMETOOLONG;
	if (n >= 0) {
		if (n > 1)
			dir[n++] = '/'; /* "/" itself ends in its slash */
		strlcpy(dir + n, path, PATH_MAX - (size_t)n);
	}
	kfree(path);
	if (n < 0) {
		kfree(dir);
		return ERR_PTR(n);
	}
	return dir;
}

/* Run a one-path kernel call on a path relative to dfd. */
static long with_path_at(int dfd, const char *upath, int (*fn)(const char *path, umode_t mode),
			 umode_t mode)
{
	char *path = getname_at(dfd, upath);
	long r;

	if (IS_ERR(path))
		return PTR_ERR(path);
	r = fn(path, mode);
	kfree(path);
	return r;
}

SYSCALL_DEFINE3(mkdirat, 296, int, dfd, const char *, pathname, umode_t, mode)
{
	return with_path_at(dfd, pathname, mkdir_fn, mode);
}

#define AT_REMOVEDIR 0x200

SYSCALL_DEFINE3(unlinkat, 301, int, dfd, const char *, pathname, int, flag)
{
	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	return with_path_at(dfd, pathname, (flag & AT_REMOVEDIR) ? rmdir_fn : unlink_fn, 0);
}

static long do_readlinkat(int dfd, const char *pathname, char *buf, int bufsiz)
{
	char *path, *k;
	long r;

	if (bufsiz <= 0)
		return -EINVAL;
	path = getname_at(dfd, pathname);
	if (IS_ERR(path))
		return PTR_ERR(path);
	k = kmalloc(PATH_MAX, GFP_KERNEL);
	r = k ? vfs_readlink(path, k, (size_t)bufsiz < PATH_MAX ? (size_t)bufsiz : PATH_MAX) : -ENOMEM;
	if (r > 0 && copy_to_user(buf, k, (unsigned long)r))
		r = -EFAULT;
	kfree(k);
	kfree(path);
	return r;
}

SYSCALL_DEFINE3(readlink, 85, const char *, pathname, char *, buf, int, bufsiz)
{
	return do_readlinkat(AT_FDCWD, pathname, buf, bufsiz);
}

SYSCALL_DEFINE4(readlinkat, 305, int, dfd, const char *, pathname, char *, buf, int, bufsiz)
{
	return do_readlinkat(dfd, pathname, buf, bufsiz);
}

SYSCALL_DEFINE1(fchdir, 133, unsigned int, fd)
{
	struct fs_struct *fs = current->fs;
	struct file *f = fget((int)fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (!f->f_dentry || !S_ISDIR(f->f_inode->i_mode))
		r = -ENOTDIR;
	else if (!fs)
		r = -ENOENT;
	else {
		vfs_lock();
		dput(fs->pwd);
		fs->pwd = dget(f->f_dentry);
		vfs_unlock();
	}
	fput(f);
	return r;
}

SYSCALL_DEFINE1(chdir, 12, const char *, filename)
{
	char *path = getname(filename);
	struct fs_struct *fs = current->fs;
	struct nameidata nd;
	long r;

	if (IS_ERR(path))
		return PTR_ERR(path);
	if (!fs) {
		kfree(path);
		return -ENOENT;
	}
	vfs_lock();
	r = path_walk(path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, NULL, &nd);
	if (!r) {
		dput(fs->pwd);
		fs->pwd = nd.dentry;
	}
	vfs_unlock();
	kfree(path);
	return r;
}

/* The absolute path of d (as seen from root) into buf: its length or -errno. */
int dentry_path(struct dentry *d, struct dentry *root, char *buf, size_t size)
{
	size_t pos = size - 1;

	buf[pos] = '\0';
	while (d != root && d->d_parent != d) {
		/* a mounted root is named by its mountpoint: find it among the parent's children */
		const char *name = d->d_name;
		if (d->d_sb != d->d_parent->d_sb || !strcmp(name, "/")) {
			struct list_head *l;
			list_for_each(l, &d->d_parent->d_subdirs) {
				struct dentry *c = list_entry(l, struct dentry, d_child);
				if (c->d_mounted == d)
					name = c->d_name;
			}
		}
		size_t n = strlen(name);
		if (n + 1 > pos)
			return -ENAMETOOLONG;
		pos -= n;
		memcpy(buf + pos, name, n);
		buf[--pos] = '/';
		d = d->d_parent;
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return (int)(size - 1 - pos);
}

SYSCALL_DEFINE2(getcwd, 183, char *, ubuf, unsigned long, size)
{
	char *k = kmalloc(PATH_MAX, GFP_KERNEL);
	long n;

	if (!k)
		return -ENOMEM;
	vfs_lock();
	n = dentry_path(current_pwd(), current_root(), k, PATH_MAX);
	vfs_unlock();
	if (n >= 0) {
		if ((unsigned long)n + 1 > size)
			n = -ERANGE;
		else if (copy_to_user(ubuf, k, (unsigned long)n + 1))
			n = -EFAULT;
		else
			n = n + 1; /* Linux returns the length with the NUL */
	}
	kfree(k);
	return n;
}

SYSCALL_DEFINE5(mount, 21, const char *, dev_name, const char *, dir_name, const char *, type,
		unsigned long, flags, void *, data)
{
	char *dev = getname(dev_name), *dir = NULL, *fstype = NULL;
	long r;

	(void)flags; /* MS_* options: none of these filesystems has any to apply */
	(void)data;
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	dir = getname(dir_name);
	fstype = IS_ERR(dir) ? NULL : getname(type);
	if (IS_ERR(dir))
		r = PTR_ERR(dir);
	else if (IS_ERR(fstype))
		r = PTR_ERR(fstype);
	else
		r = do_mount(dev, dir, fstype);
	if (!IS_ERR_OR_NULL(fstype))
		kfree(fstype);
	if (!IS_ERR(dir))
		kfree(dir);
	kfree(dev);
	return r;
}

static long do_symlinkat(const char *oldname, int newdfd, const char *newname)
{
	char *target = getname(oldname), *path;
	long r;

	if (IS_ERR(target))
		return PTR_ERR(target);
	path = getname_at(newdfd, newname);
	r = IS_ERR(path) ? PTR_ERR(path) : vfs_symlink(target, path);
	if (!IS_ERR(path))
		kfree(path);
	kfree(target);
	return r;
}

SYSCALL_DEFINE2(symlink, 83, const char *, oldname, const char *, newname)
{
	return do_symlinkat(oldname, AT_FDCWD, newname);
}

SYSCALL_DEFINE3(symlinkat, 304, const char *, oldname, int, newdfd, const char *, newname)
{
	return do_symlinkat(oldname, newdfd, newname);
}

/* i386 passes the 64-bit length in two registers, low word first. */
SYSCALL_DEFINE3(truncate64, 193, const char *, pathname, unsigned long, lo, unsigned long, hi)
{
	char *path = getname(pathname);
	long r;

	if (IS_ERR(path))
		return PTR_ERR(path);
	r = vfs_truncate(path, (loff_t)(((u64)hi << 32) | lo));
	kfree(path);
	return r;
}

/* truncate(2) and ftruncate(2) with a 32-bit (signed) length. */
SYSCALL_DEFINE2(truncate, 92, const char *, pathname, long, length)
{
	char *path = getname(pathname);
	long r;

	if (IS_ERR(path))
		return PTR_ERR(path);
	r = vfs_truncate(path, (loff_t)length);
	kfree(path);
	return r;
}

static long do_ftruncate(unsigned int fd, loff_t length)
{
	struct file *f = fget((int)fd);
	long r;

	if (!f)
		return -EBADF;
	if (!f->f_inode || !S_ISREG(f->f_inode->i_mode) || (f->f_flags & O_ACCMODE) == O_RDONLY)
		r = -EINVAL; /* Linux: EINVAL for a file not open for writing, or not regular */
	else {
		vfs_lock();
		r = ramfs_truncate(f->f_inode, length);
		vfs_unlock();
	}
	fput(f);
	return r;
}

SYSCALL_DEFINE2(ftruncate, 93, unsigned int, fd, long, length)
{
	return do_ftruncate(fd, (loff_t)length);
}

SYSCALL_DEFINE3(ftruncate64, 194, unsigned int, fd, unsigned long, lo, unsigned long, hi)
{
	return do_ftruncate(fd, (loff_t)(((u64)hi << 32) | lo));
}

/* ---- rename and link (fs/rename.c): paths relative to a directory fd become absolute ---- */

#define AT_SYMLINK_FOLLOW 0x400
#define AT_EMPTY_PATH 0x1000

static long two_paths(int odfd, const char *uold, int ndfd, const char *unew, char **o, char **n)
{
	*o = getname_at(odfd, uold);
	if (IS_ERR(*o))
		return PTR_ERR(*o);
	*n = getname_at(ndfd, unew);
	if (IS_ERR(*n)) {
		kfree(*o);
		return PTR_ERR(*n);
	}
	return 0;
}

static long do_renameat2(int odfd, const char *uold, int ndfd, const char *unew, unsigned flags)
{
	char *o, *n;
	long r = two_paths(odfd, uold, ndfd, unew, &o, &n);

	if (r)
		return r;
	r = vfs_rename(o, n, flags);
	kfree(n);
	kfree(o);
	return r;
}

SYSCALL_DEFINE2(rename, 38, const char *, oldname, const char *, newname)
{
	return do_renameat2(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

SYSCALL_DEFINE4(renameat, 302, int, olddfd, const char *, oldname, int, newdfd, const char *, newname)
{
	return do_renameat2(olddfd, oldname, newdfd, newname, 0);
}

SYSCALL_DEFINE5(renameat2, 353, int, olddfd, const char *, oldname, int, newdfd,
		const char *, newname, unsigned int, flags)
{
	return do_renameat2(olddfd, oldname, newdfd, newname, flags);
}

static long do_linkat(int odfd, const char *uold, int ndfd, const char *unew, int flags)
{
	char *o, *n;
	long r;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH)
		return -ENOENT; /* Linux: only with CAP_DAC_READ_SEARCH on an O_TMPFILE: none here */
	r = two_paths(odfd, uold, ndfd, unew, &o, &n);
	if (r)
		return r;
	r = vfs_link_follow(o, n, flags & AT_SYMLINK_FOLLOW);
	kfree(n);
	kfree(o);
	return r;
}

SYSCALL_DEFINE2(link, 9, const char *, oldname, const char *, newname)
{
	return do_linkat(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

SYSCALL_DEFINE5(linkat, 303, int, olddfd, const char *, oldname, int, newdfd, const char *, newname,
		int, flags)
{
	return do_linkat(olddfd, oldname, newdfd, newname, flags);
}
