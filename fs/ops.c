/* ops.c - name operations: mkdir, mknod, symlink, unlink/rmdir, readlink,
 * truncate. Each takes a path as open does (absolute, or
 * relative to the cwd) and answers with Linux's errors. */
#include "internal.h"
#include "kstring.h"
#include "printk.h"
#include "slab.h"

/* Walk to the parent and make the last component with mode. */
static int create_at(const char *path, umode_t mode, u32 rdev, const char *link)
{
	struct nameidata nd;
	int err;

	vfs_lock();
	err = path_walk(path, LOOKUP_PARENT, NULL, &nd);
	if (!err) {
		err = ramfs_create(nd.dentry, nd.last, mode, rdev, link, NULL);
		dput(nd.dentry);
	}
	vfs_unlock();
	return err;
}

int vfs_mkdir(const char *path, umode_t mode)
{
	return create_at(path, (umode_t)(S_IFDIR | (mode & 07777)), 0, NULL);
}

int vfs_mknod(const char *path, umode_t mode, u32 rdev)
{
	if (!S_ISCHR(mode) && !S_ISREG(mode) && (mode & S_IFMT) != S_IFIFO)
		return -EINVAL;
	return create_at(path, mode, rdev, NULL);
}

int vfs_symlink(const char *target, const char *path)
{
	size_t n = strlen(target);

	if (n == 0)
		return -ENOENT;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	return create_at(path, S_IFLNK | 0777, 0, target);
}

/* unlink (dir false) and rmdir (dir true). */
static int remove_at(const char *path, bool dir)
{
	struct nameidata nd;
	struct dentry *d;
	int err;

	vfs_lock();
	err = path_walk(path, LOOKUP_PARENT, NULL, &nd);
	if (err)
		goto out;
	if (!strcmp(nd.last, "") || !strcmp(nd.last, ".") || !strcmp(nd.last, "..")) {
		err = dir ? (!strcmp(nd.last, "..") ? -ENOTEMPTY : -EINVAL) : -EISDIR;
		goto put_parent;
	}
	d = d_lookup_child(nd.dentry, nd.last, strlen(nd.last));
	if (IS_ERR(d) || !d) {
		err = d ? (int)PTR_ERR(d) : -ENOENT;
		goto put_parent;
	}
	if (d->d_sb->s_magic == PROC_SUPER_MAGIC)
		err = -EPERM; /* Linux: /proc has no unlink or rmdir */
	else if (d->d_transient || d->d_parent != nd.dentry)
		err = -EBUSY; /* a /proc entry, or a mounted filesystem's root */
	else if (!dir && S_ISDIR(d->d_inode->i_mode))
		err = -EISDIR;
	else if (dir && !S_ISDIR(d->d_inode->i_mode))
		err = -ENOTDIR;
	else if (dir && (!list_empty(&d->d_subdirs) || d->d_mounted))
		err = !list_empty(&d->d_subdirs) ? -ENOTEMPTY : -EBUSY;
	if (!err) {
		if (dir)
			nd.dentry->d_inode->i_nlink--;
		if (dir)
			d->d_inode->i_nlink = 0;
		else
			d->d_inode->i_nlink--; /* a hard link's other names stay (fs/rename.c) */
		d_delete(d);
	}
	dput(d);
put_parent:
	dput(nd.dentry);
out:
	vfs_unlock();
	return err;
}

int vfs_unlink(const char *path) { return remove_at(path, false); }
int vfs_rmdir(const char *path) { return remove_at(path, true); }

int vfs_readlink(const char *path, char *buf, size_t size)
{
	struct nameidata nd;
	int err;
	char *tmp = kmalloc(PATH_MAX, GFP_KERNEL);

	if (!tmp)
		return -ENOMEM;
	vfs_lock();
	err = path_walk(path, 0, NULL, &nd);
	if (!err) {
		struct inode *inode = nd.dentry->d_inode;

		if (!S_ISLNK(inode->i_mode))
			err = -EINVAL;
		else if (inode->i_op && inode->i_op->get_link)
			err = inode->i_op->get_link(inode, tmp, PATH_MAX);
		else
			err = (int)strlcpy(tmp, inode->i_link, PATH_MAX);
		dput(nd.dentry);
	}
	vfs_unlock();
	if (err > 0) {
		if ((size_t)err > size)
			err = (int)size; /* readlink truncates silently */
		memcpy(buf, tmp, (size_t)err);
	}
	kfree(tmp);
	return err;
}

int vfs_truncate(const char *path, loff_t size)
{
	struct nameidata nd;
	int err;

	vfs_lock();
	err = path_walk(path, LOOKUP_FOLLOW, NULL, &nd);
	if (!err) {
		umode_t m = nd.dentry->d_inode->i_mode;

		err = S_ISDIR(m) ? -EISDIR : !S_ISREG(m) ? -EINVAL
				 : ramfs_truncate(nd.dentry->d_inode, size);
		dput(nd.dentry);
	}
	vfs_unlock();
	return err;
}
