/* file.c - open files, descriptor tables, cwd/root, and the kernel's own
 * file calls (filp_open, kernel_read/kernel_write, vfs_mkdir, ...).
 *
 * A struct file is an open instance: offset, flags, operations, and a
 * reference on its dentry (which keeps the inode). It is shared by every
 * descriptor that dup or fork made of it, counted in f_count; the last
 * fput releases it. A task's files_struct maps descriptors to files, with
 * a close-on-exec bit each; fork copies it (dup_fd), exec closes the
 * marked ones, exit drops it. fs_struct holds the task's root and cwd.
 */
#include "err.h"
#include "internal.h"
#include "kstring.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"

/* ---- struct file ---- */

struct file *alloc_file(const struct file_operations *fop, unsigned flags, void *private_data)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->f_count = 1;
	f->f_flags = flags & ~(unsigned)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	f->f_op = fop;
	f->private_data = private_data;
	return f;
}

/* Character device drivers by major number (Linux's register_chrdev: the
 * driver's open picks the minor, and may replace f_op for it). */
static const struct file_operations *chrdevs[256];

int register_chrdev(unsigned major, const char *name, const struct file_operations *fops)
{
	if (major == 0 || major >= ARRAY_SIZE(chrdevs))
		return -EINVAL;
	if (chrdevs[major])
		return -EBUSY;
	chrdevs[major] = fops;
	(void)name;
	return 0;
}

struct file *dentry_open(struct dentry *d, unsigned flags)
{
	struct inode *inode = d->d_inode;
	const struct file_operations *fop = inode->i_fop;
	struct file *f;

	if (S_ISCHR(inode->i_mode) && !(fop = chrdevs[(inode->i_rdev >> 8) & 0xff]))
		return ERR_PTR(-ENXIO); /* no driver for that major */
	f = alloc_file(fop, flags, NULL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->f_dentry = d;
	f->f_inode = inode;
	f->f_mapping = inode->i_mapping;
	if (fop && fop->open) {
		int err = fop->open(inode, f); /* a device's may set f->f_op for its minor */

		if (err) {
			f->f_dentry = NULL; /* the caller still owns d */
			kfree(f);
			return ERR_PTR(err);
		}
	}
	return f;
}

struct file *get_file(struct file *f)
{
	__atomic_add_fetch(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}

void fput(struct file *f)
{
	if (__atomic_sub_fetch(&f->f_count, 1, __ATOMIC_ACQ_REL))
		return;
	if (f->f_op && f->f_op->release)
		f->f_op->release(f->f_inode, f);
	if (f->f_dentry) {
		vfs_lock();
		dput(f->f_dentry);
		vfs_unlock();
	}
	kfree(f);
}

struct inode *file_inode(const struct file *f) { return f->f_inode; }
struct address_space *file_mapping(const struct file *f) { return f->f_mapping; }
loff_t i_size_read(const struct inode *inode) { return inode->i_size; }
umode_t inode_mode(const struct inode *inode) { return inode->i_mode; }

ssize_t vfs_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	if ((f->f_flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (f->f_inode && S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	if (!f->f_op || !f->f_op->read)
		return -EINVAL;
	if (count > 0x7ffff000u) /* Linux's MAX_RW_COUNT */
		count = 0x7ffff000u;
	return f->f_op->read(f, io, count, pos);
}

ssize_t vfs_write(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	if ((f->f_flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->f_op || !f->f_op->write)
		return -EINVAL;
	if (count > 0x7ffff000u)
		count = 0x7ffff000u;
	return f->f_op->write(f, io, count, pos);
}

ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos)
{
	struct fs_io io = { buf, false };

	return vfs_read(f, &io, count, pos);
}

ssize_t kernel_write(struct file *f, const void *buf, size_t count, loff_t *pos)
{
	struct fs_io io = { (char *)buf, false };

	return vfs_write(f, &io, count, pos);
}

/* ---- opening by name ---- */

/* O_CREAT: the parent, then the name in it (made if absent). */
static int open_create(struct dentry *base, const char *path, int flags, umode_t mode,
		       struct dentry **out)
{
	struct nameidata nd;
	int err = path_walk(path, LOOKUP_PARENT, base, &nd);

	if (err)
		return err;
	if (!strcmp(nd.last, "") || !strcmp(nd.last, ".") || !strcmp(nd.last, "..")) {
		dput(nd.dentry);
		return -EISDIR;
	}
	err = ramfs_create(nd.dentry, nd.last, (umode_t)(S_IFREG | (mode & 07777)), 0, NULL, out);
	dput(nd.dentry);
	if (err != -EEXIST)
		return err;
	if (flags & O_EXCL) {
		dput(*out);
		return -EEXIST;
	}
	if (S_ISLNK((*out)->d_inode->i_mode)) { /* follow it as a plain open would */
		dput(*out);
		err = path_walk(path, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, base, &nd);
		*out = nd.dentry;
		return err;
	}
	return 0;
}

static int open_dentry(struct dentry *base, const char *path, int flags, umode_t mode,
		       struct dentry **out)
{
	struct nameidata nd;
	int err;

	if (flags & O_CREAT)
		err = open_create(base, path, flags, mode, out);
	else {
		err = path_walk(path, ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
				      ((flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0), base, &nd);
		*out = nd.dentry;
	}
	if (err)
		return err;
	struct inode *inode = (*out)->d_inode;
	if (S_ISLNK(inode->i_mode))
		err = -ELOOP; /* O_NOFOLLOW on a symlink */
	else if (S_ISDIR(inode->i_mode) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
		err = -EISDIR;
	else if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		err = -ENOTDIR;
	else if ((flags & O_TRUNC) && S_ISREG(inode->i_mode) && (flags & O_ACCMODE) != O_RDONLY)
		err = ramfs_truncate(inode, 0);
	if (err)
		dput(*out);
	return err;
}

struct file *filp_open(const char *path, int flags, umode_t mode)
{
	return file_open_at(NULL, path, flags, mode);
}

struct file *file_open_at(struct dentry *base, const char *path, int flags, umode_t mode)
{
	struct dentry *d;
	struct file *f;
	int err;

	vfs_lock();
	err = open_dentry(base, path, flags, mode, &d);
	vfs_unlock();
	if (err)
		return ERR_PTR(err);
	f = dentry_open(d, (unsigned)flags);
	if (IS_ERR(f)) {
		vfs_lock();
		dput(d);
		vfs_unlock();
	}
	return f;
}

/* ---- descriptor tables ---- */

struct files_struct *files_struct_alloc(void)
{
	struct files_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->count = 1;
	spin_lock_init(&fs->file_lock, "files_struct");
	return fs;
}

int fd_install_new(struct file *f, unsigned flags, int min)
{
	struct files_struct *files = current ? current->files : NULL;
	int fd = -EMFILE;

	if (!files)
		return -EBADF; /* a kernel thread has no descriptors */
	if (min < 0 || min >= NR_OPEN_DEFAULT)
		return -EINVAL;
	spin_lock(&files->file_lock);
	for (int i = min; i < NR_OPEN_DEFAULT; i++)
		if (!files->fd[i]) {
			files->fd[i] = f;
			files->close_on_exec[i] = (flags & O_CLOEXEC) ? 1 : 0;
			fd = i;
			break;
		}
	spin_unlock(&files->file_lock);
	return fd;
}

struct file *fget(int fd)
{
	struct files_struct *files = current ? current->files : NULL;
	struct file *f = NULL;

	if (!files || fd < 0 || fd >= NR_OPEN_DEFAULT)
		return NULL;
	spin_lock(&files->file_lock);
	if (files->fd[fd])
		f = get_file(files->fd[fd]);
	spin_unlock(&files->file_lock);
	return f;
}

int fd_install_at(int fd, struct file *f, bool cloexec)
{
	struct files_struct *files = current ? current->files : NULL;
	struct file *old;

	if (!files || fd < 0 || fd >= NR_OPEN_DEFAULT)
		return -EBADF;
	spin_lock(&files->file_lock);
	old = files->fd[fd];
	files->fd[fd] = f;
	files->close_on_exec[fd] = cloexec;
	spin_unlock(&files->file_lock);
	if (old)
		fput(old);
	return fd;
}

int fd_get_cloexec(int fd)
{
	struct files_struct *files = current ? current->files : NULL;
	int r;

	if (!files || fd < 0 || fd >= NR_OPEN_DEFAULT)
		return -EBADF;
	spin_lock(&files->file_lock);
	r = files->fd[fd] ? files->close_on_exec[fd] : -EBADF;
	spin_unlock(&files->file_lock);
	return r;
}

int fd_set_cloexec(int fd, bool on)
{
	struct files_struct *files = current ? current->files : NULL;
	int r = -EBADF;

	if (!files || fd < 0 || fd >= NR_OPEN_DEFAULT)
		return -EBADF;
	spin_lock(&files->file_lock);
	if (files->fd[fd]) {
		files->close_on_exec[fd] = on;
		r = 0;
	}
	spin_unlock(&files->file_lock);
	return r;
}

int close_fd(int fd)
{
	struct files_struct *files = current ? current->files : NULL;
	struct file *f = NULL;

	if (!files || fd < 0 || fd >= NR_OPEN_DEFAULT)
		return -EBADF;
	spin_lock(&files->file_lock);
	f = files->fd[fd];
	files->fd[fd] = NULL;
	files->close_on_exec[fd] = 0;
	spin_unlock(&files->file_lock);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *n = files_struct_alloc();

	if (!n || !old)
		return n;
	spin_lock(&old->file_lock);
	for (int i = 0; i < NR_OPEN_DEFAULT; i++)
		if (old->fd[i]) {
			n->fd[i] = get_file(old->fd[i]);
			n->close_on_exec[i] = old->close_on_exec[i];
		}
	spin_unlock(&old->file_lock);
	return n;
}

void put_files_struct(struct files_struct *files)
{
	if (!files || __atomic_sub_fetch(&files->count, 1, __ATOMIC_ACQ_REL))
		return;
	for (int i = 0; i < NR_OPEN_DEFAULT; i++)
		if (files->fd[i])
			fput(files->fd[i]);
	kfree(files);
}

void do_close_on_exec(struct files_struct *files)
{
	for (int i = 0; i < NR_OPEN_DEFAULT; i++) {
		struct file *f = NULL;

		spin_lock(&files->file_lock);
		if (files->close_on_exec[i]) {
			f = files->fd[i];
			files->fd[i] = NULL;
			files->close_on_exec[i] = 0;
		}
		spin_unlock(&files->file_lock);
		if (f)
			fput(f);
	}
}

struct fs_struct *copy_fs_struct(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->users = 1;
	vfs_lock();
	fs->root = dget(old ? old->root : root_dentry);
	fs->pwd = dget(old ? old->pwd : root_dentry);
	vfs_unlock();
	fs->umask = old ? old->umask : 022; /* Linux's initial umask */
	return fs;
}

void free_fs_struct(struct fs_struct *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->users, 1, __ATOMIC_ACQ_REL))
		return;
	vfs_lock();
	dput(fs->root);
	dput(fs->pwd);
	vfs_unlock();
	kfree(fs);
}
