/* namei.c - the dentry tree and path walks: from a string to a dentry.
 *
 * The tree of dentries *is* the namespace: a RAM filesystem keeps nothing
 * else, so a name that is not in the tree does not exist - except in
 * /proc, whose directories make dentries on demand (inode_operations
 * lookup) for pids that come and go; those are "transient": outside the
 * tree, freed at their last dput. A dentry taken out of the tree (unlink
 * of an open file) becomes transient too, so an open file outlives its
 * name, as on Linux.
 *
 * Mounts: a directory dentry's d_mounted points at the root of the
 * filesystem mounted on it, and a walk that reaches it continues there.
 * That root's d_parent is the mountpoint's parent, so ".." leaves it.
 * Symlinks are followed by splicing their target in front of the rest of
 * the path, at most MAXSYMLINKS times per walk (then ELOOP, as Linux).
 * Everything here runs under vfs_lock (internal.h explains why one lock).
 */
#include "internal.h"
#include "kstring.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"

struct dentry *root_dentry;

int init_rootfs(void)
{
	struct super_block *sb = alloc_super("rootfs", RAMFS_MAGIC);
	struct inode *inode = sb ? new_inode(sb, S_IFDIR | 0755) : NULL;

	if (!inode || !(root_dentry = d_alloc(NULL, "/", 1, inode)))
		return -ENOMEM; /* at boot: the caller panics */
	return 0;
}

static int vfs_locked;
static DECLARE_WAIT_QUEUE_HEAD(vfs_lock_wq);

void vfs_lock(void)
{
	wait_event_exclusive(vfs_lock_wq, __atomic_exchange_n(&vfs_locked, 1, __ATOMIC_ACQUIRE) == 0);
}

void vfs_unlock(void)
{
	__atomic_store_n(&vfs_locked, 0, __ATOMIC_RELEASE);
	wake_up(&vfs_lock_wq);
}

unsigned dtype_of(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return DT_DIR;
	case S_IFREG: return DT_REG;
	case S_IFLNK: return DT_LNK;
	case S_IFCHR: return DT_CHR;
	case S_IFIFO: return DT_FIFO;
	default: return DT_UNKNOWN;
	}
}

struct dentry *dget(struct dentry *d)
{
	d->d_count++;
	return d;
}

static void d_free(struct dentry *d)
{
	struct dentry *parent = d->d_parent;

	if (d->d_inode && --d->d_inode->i_count == 0) /* its last name (link(2) adds names) */
		free_inode(d->d_inode);
	kfree(d);
	if (parent != d)
		dput(parent); /* a transient dentry holds its parent */
}

void dput(struct dentry *d)
{
	if (!d)
		return;
	if (d->d_count <= 0) {
		pr_err("vfs: dput of dentry \"%s\" with count %d\n", d->d_name, d->d_count);
		return;
	}
	if (--d->d_count == 0 && d->d_transient)
		d_free(d);
}

static struct dentry *d_new(struct dentry *parent, const char *name, size_t len,
			    struct inode *inode)
{
	struct dentry *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	d->d_inode = inode;
	d->d_parent = parent ? parent : d;
	d->d_sb = inode ? inode->i_sb : NULL;
	INIT_LIST_HEAD(&d->d_subdirs);
	INIT_LIST_HEAD(&d->d_child);
	d->d_count = 1;
	return d;
}

struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len, struct inode *inode)
{
	struct dentry *d = d_new(parent, name, len, inode);

	if (d && parent)
		list_add_tail(&d->d_child, &parent->d_subdirs);
	return d; /* its one reference is the tree's */
}

struct dentry *d_alloc_transient(struct dentry *parent, const char *name, struct inode *inode)
{
	struct dentry *d = d_new(dget(parent), name, strlen(name), inode);

	if (!d) {
		dput(parent);
		return NULL;
	}
	d->d_transient = true;
	return d;
}

void d_delete(struct dentry *d)
{
	list_del(&d->d_child);
	INIT_LIST_HEAD(&d->d_child);
	dget(d->d_parent);
	d->d_transient = true;
	dput(d); /* the tree's reference */
}

struct dentry *current_root(void)
{
	struct task *t = current;

	return t && t->fs ? t->fs->root : root_dentry;
}

struct dentry *current_pwd(void)
{
	struct task *t = current;

	return t && t->fs ? t->fs->pwd : root_dentry;
}

static struct dentry *follow_mounts(struct dentry *d)
{
	while (d->d_mounted) {
		struct dentry *m = dget(d->d_mounted);

		dput(d);
		d = m;
	}
	return d;
}

struct dentry *d_lookup_child(struct dentry *dir, const char *name, size_t len)
{
	struct list_head *pos;
	struct inode *inode = dir->d_inode;

	list_for_each(pos, &dir->d_subdirs) {
		struct dentry *c = list_entry(pos, struct dentry, d_child);

		if (strlen(c->d_name) == len && memcmp(c->d_name, name, len) == 0)
			return follow_mounts(dget(c));
	}
	if (inode->i_op && inode->i_op->lookup) {
		struct dentry *d = inode->i_op->lookup(dir, name, len);

		return IS_ERR_OR_NULL(d) ? d : follow_mounts(d);
	}
	return NULL;
}

/* A symlink's target into buf (NUL-terminated): its length or -errno. */
static int link_target(struct inode *inode, char *buf, size_t size)
{
	if (inode->i_op && inode->i_op->get_link)
		return inode->i_op->get_link(inode, buf, size);
	if (!inode->i_link)
		return -EINVAL;
	if (strlcpy(buf, inode->i_link, size) >= size)
		return -ENAMETOOLONG;
	return (int)strlen(buf);
}

/* Replace the walk's remaining path with target + rest ("" or "/..."). */
static int splice_link(struct inode *link, char *buf, const char *rest, char *tmp)
{
	int n = link_target(link, tmp, PATH_MAX);
	size_t r = strlen(rest);

	if (n < 0)
		return n;
	if ((size_t)n + 1 + r >= PATH_MAX)
		return -ENAMETOOLONG;
	if (r) /* rest starts with its '/': the target's last component is not the end */
		memcpy(tmp + n, rest, r + 1);
	memcpy(buf, tmp, (size_t)n + r + 1);
	return 0;
}

/* The next dentry for component p[0..len) of cur, with a reference. */
static struct dentry *step(struct dentry *cur, const char *p, size_t len)
{
	if (len == 1 && p[0] == '.')
		return dget(cur);
	if (len == 2 && p[0] == '.' && p[1] == '.')
		return dget(cur == current_root() ? cur : cur->d_parent);
	struct dentry *d = d_lookup_child(cur, p, len);
	return d ? d : ERR_PTR(-ENOENT);
}

static int walk(char *buf, unsigned flags, struct dentry *cur, struct nameidata *nd, char *tmp)
{
	char *p = buf;

	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *end = p, *after;
		while (*end && *end != '/')
			end++;
		size_t len = (size_t)(end - p);
		for (after = end; *after == '/'; after++)
			;
		bool last = !*after, slash = *end == '/';
		if (len > DNAME_MAX)
			return dput(cur), -ENAMETOOLONG;
		if (!S_ISDIR(cur->d_inode->i_mode))
			return dput(cur), -ENOTDIR;
		if (last && (flags & LOOKUP_PARENT)) {
			memcpy(nd->last, p, len);
			nd->last[len] = '\0';
			break;
		}
		struct dentry *next = step(cur, p, len);
		if (IS_ERR(next))
			return dput(cur), (int)PTR_ERR(next);
		if (S_ISLNK(next->d_inode->i_mode) && (!last || slash || (flags & LOOKUP_FOLLOW))) {
			int err = ++nd->links > MAXSYMLINKS ? -ELOOP
							     : splice_link(next->d_inode, buf, end, tmp);
			bool absolute = buf[0] == '/';
			dput(next);
			if (err)
				return dput(cur), err;
			if (absolute) {
				dput(cur);
				cur = dget(current_root());
			}
			p = buf;
			continue;
		}
		dput(cur);
		cur = next;
		if (slash && !S_ISDIR(cur->d_inode->i_mode))
			return dput(cur), -ENOTDIR;
		p = end;
	}
	if ((flags & LOOKUP_DIRECTORY) && !(flags & LOOKUP_PARENT) && !S_ISDIR(cur->d_inode->i_mode))
		return dput(cur), -ENOTDIR;
	nd->dentry = cur;
	return 0;
}

int path_walk(const char *path, unsigned flags, struct dentry *base, struct nameidata *nd)
{
	size_t n = strlen(path);
	char *buf, *tmp;
	int err;

	nd->dentry = NULL;
	nd->last[0] = '\0';
	nd->links = 0;
	if (n == 0)
		return -ENOENT;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	buf = kmalloc(2 * PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	tmp = buf + PATH_MAX;
	memcpy(buf, path, n + 1);
	err = walk(buf, flags, dget(path[0] == '/' ? current_root() : base ? base : current_pwd()),
		   nd, tmp);
	kfree(buf);
	return err;
}
