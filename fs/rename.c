/* rename.c - moving a name (rename, renameat, renameat2) and giving a file
 * a second one (link, linkat), in the RAM filesystem's dentry tree.
 *
 * A rename is a dentry moved to another parent under another name; the
 * inode does not change, so open files, their positions and their page
 * cache go along. Linux's rules (fs/namei.c do_renameat2, vfs_rename):
 * an existing target is replaced when it is of the same kind (a file by a
 * file, a directory by an empty directory), EISDIR/ENOTDIR otherwise,
 * ENOTEMPTY for a directory with entries; a directory cannot move into
 * itself (EINVAL); "." and ".." cannot be renamed (EBUSY); across
 * filesystems EXDEV; /proc refuses (EPERM); renaming a name onto another
 * name of the same file does nothing. RENAME_NOREPLACE is honoured;
 * RENAME_EXCHANGE and RENAME_WHITEOUT are refused with EINVAL (no
 * overlay filesystem here needs them).
 *
 * A hard link is a second dentry on the same inode: i_nlink counts the
 * names, i_count the dentries holding the inode, and the inode is freed
 * with the last one (namei.c d_free). Directories cannot be linked
 * (EPERM), as on Linux. Everything runs under vfs_lock. The system calls
 * (rename, renameat, renameat2, link, linkat) are in open.c; this file also
 * builds hosted (tests/host/test_vfs.c). */
#include "internal.h"
#include "kstring.h"

#ifndef EXDEV
#define EXDEV 18
#endif
#define RENAME_NOREPLACE 1u

static bool is_dot_name(const char *n)
{
	return !n[0] || !strcmp(n, ".") || !strcmp(n, "..");
}

/* Is d the directory anc or below it? */
static bool is_subdir(struct dentry *d, struct dentry *anc)
{
	for (;;) {
		if (d == anc)
			return true;
		if (d->d_parent == d)
			return false;
		d = d->d_parent;
	}
}

/* Can target (existing) be replaced by old? 0 or -errno. */
static int may_replace(struct dentry *old, struct dentry *target, struct dentry *tdir)
{
	bool odir = S_ISDIR(old->d_inode->i_mode), tdirp = S_ISDIR(target->d_inode->i_mode);

	if (target->d_transient || target->d_parent != tdir || target->d_mounted)
		return -EBUSY;
	if (odir && !tdirp)
		return -ENOTDIR;
	if (!odir && tdirp)
		return -EISDIR;
	if (tdirp && !list_empty(&target->d_subdirs))
		return -ENOTEMPTY;
	return 0;
}

/* The move itself, once every check passed. */
static void d_move(struct dentry *old, struct dentry *odir, struct dentry *ndir, const char *name,
		   struct dentry *target)
{
	if (target) {
		if (S_ISDIR(target->d_inode->i_mode)) {
			ndir->d_inode->i_nlink--;
			target->d_inode->i_nlink = 0;
		} else {
			target->d_inode->i_nlink--;
		}
		d_delete(target);
	}
	if (S_ISDIR(old->d_inode->i_mode) && odir != ndir) {
		odir->d_inode->i_nlink--;
		ndir->d_inode->i_nlink++;
	}
	list_del(&old->d_child);
	list_add_tail(&old->d_child, &ndir->d_subdirs);
	old->d_parent = ndir;
	strlcpy(old->d_name, name, sizeof(old->d_name));
}

static int rename_locked(struct nameidata *on, struct nameidata *nn, unsigned flags)
{
	struct dentry *odir = on->dentry, *ndir = nn->dentry, *old, *target;
	int err = 0;

	if (is_dot_name(on->last) || is_dot_name(nn->last))
		return -EBUSY;
	if (odir->d_sb != ndir->d_sb)
		return -EXDEV;
	if (odir->d_sb->s_magic == PROC_SUPER_MAGIC)
		return -EPERM;
	old = d_lookup_child(odir, on->last, strlen(on->last));
	if (IS_ERR_OR_NULL(old))
		return old ? (int)PTR_ERR(old) : -ENOENT;
	target = d_lookup_child(ndir, nn->last, strlen(nn->last));
	if (IS_ERR(target)) {
		dput(old);
		return (int)PTR_ERR(target);
	}
	if (old->d_transient || old->d_parent != odir)
		err = -EBUSY; /* a mounted filesystem's root */
	else if (target && (flags & RENAME_NOREPLACE))
		err = -EEXIST;
	else if (target && target->d_inode == old->d_inode)
		err = 0; /* the same file: nothing to do (Linux) */
	else if (S_ISDIR(old->d_inode->i_mode) && is_subdir(ndir, old))
		err = -EINVAL;
	else if (target && (err = may_replace(old, target, ndir)) == 0)
		d_move(old, odir, ndir, nn->last, target);
	else if (!target)
		d_move(old, odir, ndir, nn->last, NULL);
	if (target)
		dput(target);
	dput(old);
	return err;
}

int vfs_rename(const char *oldpath, const char *newpath, unsigned flags)
{
	struct nameidata on, nn;
	int err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL; /* RENAME_EXCHANGE, RENAME_WHITEOUT: not supported (see the top) */
	vfs_lock();
	err = path_walk(oldpath, LOOKUP_PARENT, NULL, &on);
	if (!err) {
		err = path_walk(newpath, LOOKUP_PARENT, NULL, &nn);
		if (!err) {
			err = rename_locked(&on, &nn, flags);
			dput(nn.dentry);
		}
		dput(on.dentry);
	}
	vfs_unlock();
	return err;
}

static int link_locked(struct dentry *old, struct nameidata *nn)
{
	struct dentry *ndir = nn->dentry, *d;
	struct inode *inode = old->d_inode;

	if (is_dot_name(nn->last))
		return -EEXIST;
	if (S_ISDIR(inode->i_mode))
		return -EPERM;
	if (old->d_sb != ndir->d_sb)
		return -EXDEV;
	if (ndir->d_sb->s_magic == PROC_SUPER_MAGIC || old->d_transient)
		return -EPERM;
	d = d_lookup_child(ndir, nn->last, strlen(nn->last));
	if (d) {
		if (!IS_ERR(d))
			dput(d);
		return IS_ERR(d) ? (int)PTR_ERR(d) : -EEXIST;
	}
	if (strlen(nn->last) > DNAME_MAX)
		return -ENAMETOOLONG;
	if (!d_alloc(ndir, nn->last, strlen(nn->last), inode))
		return -ENOMEM;
	inode->i_count++; /* the new dentry's hold on the inode */
	inode->i_nlink++;
	return 0;
}

int vfs_link_follow(const char *oldpath, const char *newpath, bool follow)
{
	struct nameidata on, nn;
	int err;

	vfs_lock();
	err = path_walk(oldpath, follow ? LOOKUP_FOLLOW : 0, NULL, &on);
	if (!err) {
		err = path_walk(newpath, LOOKUP_PARENT, NULL, &nn);
		if (!err) {
			err = link_locked(on.dentry, &nn);
			dput(nn.dentry);
		}
		dput(on.dentry);
	}
	vfs_unlock();
	return err;
}

int vfs_link(const char *oldpath, const char *newpath) { return vfs_link_follow(oldpath, newpath, false); }
