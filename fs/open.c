/* open.c - the syscalls that take a path: open, openat, mkdir, unlink,
 * rmdir, readlink, chdir, getcwd, mount. A user path is copied in whole
 * first (getname: -EFAULT, or -ENAMETOOLONG at PATH_MAX), then the kernel
 * call (file.c, ops.c) does the work. */
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
	f = file_open_at(base, path, flags, mode);
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

static int mkdir_fn(const char *p, umode_t mode) { return vfs_mkdir(p, mode); }
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

SYSCALL_DEFINE3(readlink, 85, const char *, pathname, char *, buf, int, bufsiz)
{
	char *path, *k;
	long r;

	if (bufsiz <= 0)
		return -EINVAL;
	path = getname(pathname);
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

SYSCALL_DEFINE2(symlink, 83, const char *, oldname, const char *, newname)
{
	char *target = getname(oldname), *path;
	long r;

	if (IS_ERR(target))
		return PTR_ERR(target);
	path = getname(newname);
	r = IS_ERR(path) ? PTR_ERR(path) : vfs_symlink(target, path);
	if (!IS_ERR(path))
		kfree(path);
	kfree(target);
	return r;
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

SYSCALL_DEFINE3(ftruncate64, 194, unsigned int, fd, unsigned long, lo, unsigned long, hi)
{
	struct file *f = fget((int)fd);
	long r;

	if (!f)
		return -EBADF;
	if (!f->f_inode || !S_ISREG(f->f_inode->i_mode) || (f->f_flags & O_ACCMODE) == O_RDONLY)
		r = -EINVAL; /* Linux: EINVAL for a file not open for writing, or not regular */
	else {
		vfs_lock();
		r = ramfs_truncate(f->f_inode, (loff_t)(((u64)hi << 32) | lo));
		vfs_unlock();
	}
	fput(f);
	return r;
}
