/* super.c - bringing the filesystems up at boot, and mounting them: the
 * root (a RAM filesystem), devtmpfs on /dev, /proc ready for init to mount.
 * Kernel-only (the hosted tests make their own root with init_rootfs). */
#include "internal.h"
#include "kstring.h"
#include "panic.h"
#include "printk.h"

/* ---- mounts ---- */

int do_mount(const char *source, const char *path, const char *fstype)
{
	struct super_block *sb;
	struct nameidata nd;
	int err;

	(void)source; /* "proc", "devtmpfs", "none": these filesystems have no device */
	if (!strcmp(fstype, "proc"))
		sb = proc_super();
	else if (!strcmp(fstype, "devtmpfs"))
		sb = devtmpfs_super();
	else
		return -ENODEV; /* Linux: an unknown filesystem type */
	if (!sb)
		return -ENODEV;
	vfs_lock();
	err = path_walk(path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, NULL, &nd);
	if (!err) {
		struct dentry *mp = nd.dentry, *root = sb->s_root;

		if (root->d_parent != root || mp->d_mounted)
			err = -EBUSY; /* mounted already (Linux says EBUSY for a single-instance fs) */
		else {
			mp->d_mounted = dget(root);
			root->d_parent = dget(mp->d_parent);
		}
		dput(mp);
	}
	vfs_unlock();
	return err;
}

void vfs_caches_init(void)
{
	if (init_rootfs())
		panic("vfs_caches_init: no memory for the root filesystem");
	if (vfs_mkdir("/dev", 0755) || vfs_mkdir("/proc", 0555) || vfs_mkdir("/root", 0700))
		pr_err("vfs: cannot make /dev, /proc or /root\n");
	if (devtmpfs_init() || do_mount("devtmpfs", "/dev", "devtmpfs"))
		pr_err("vfs: devtmpfs is not mounted on /dev\n");
	if (proc_init())
		pr_err("vfs: /proc cannot be set up\n");
	pr_info("VFS: rootfs (ramfs, page cache in HIGHMEM), devtmpfs on /dev\n");
}
