/* blkdev.c - block devices as the rest of the kernel and user programs see
 * them: the list of disks the drivers registered, their /dev nodes, and
 * read/write/lseek on those nodes.
 *
 * A node is a block special file in devtmpfs (S_IFBLK, Linux's numbers: sda
 * 8:0, sdb 8:16) whose inode's file operations are the ones below, so
 * dentry_open needs no table for block majors. A user program reads and
 * writes it at any byte offset and length, as `dd` does on Linux: the
 * sectors the range touches go through a one-page bounce buffer (a partial
 * sector is read, patched and written back). Linux goes through the page
 * cache of the device's inode (the "buffer cache"); there is none here, so
 * every read reaches the disk - simple, and always what is on the disk.
 * A disk that is a swap area in use refuses writes (-EBUSY): a stray `dd`
 * must not overwrite swapped-out pages (Linux 6.1 would let root do it).
 * There is no ioctl (BLKGETSIZE64): lseek(fd, 0, SEEK_END) gives the size.
 */
#include "blkdev.h"
#include "internal.h"
#include "kstring.h"
#include "printk.h"
#include "slab.h"

static struct list_head disks = LIST_HEAD_INIT(disks);
static unsigned nr_disks;
static DEFINE_SPINLOCK(disks_lock);

struct block_device *blkdev_get_by_dev(u32 dev)
{
	struct block_device *found = NULL;
	struct list_head *pos;

	spin_lock(&disks_lock);
	list_for_each(pos, &disks) {
		struct block_device *b = list_entry(pos, struct block_device, bd_list);

		if (b->bd_dev == dev) {
			found = b;
			break;
		}
	}
	spin_unlock(&disks_lock);
	return found;
}

unsigned blkdev_count(void) { return __atomic_load_n(&nr_disks, __ATOMIC_ACQUIRE); }

struct block_device *blkdev_nth(unsigned i)
{
	struct block_device *found = NULL;
	struct list_head *pos;

	spin_lock(&disks_lock);
	list_for_each(pos, &disks)
		if (!i--) {
			found = list_entry(pos, struct block_device, bd_list);
			break;
		}
	spin_unlock(&disks_lock);
	return found;
}

/* ---- the device nodes' file operations ---------------------------------- */

static struct block_device *file_bdev(struct file *f) { return f->private_data; }

static int blkdev_open(struct inode *inode, struct file *f)
{
	struct block_device *b = blkdev_get_by_dev(inode->i_rdev);

	if (!b)
		return -ENXIO;
	f->private_data = b;
	return 0;
}

/* count bytes at *pos between the disk and io, through one page of bounce
 * buffer: the bytes moved, or -errno if none could be. */
static ssize_t blkdev_rw(struct file *f, const struct fs_io *io, size_t count, loff_t *pos,
			 bool write)
{
	struct block_device *b = file_bdev(f);
	u64 size = bdev_nr_bytes(b);
	size_t done = 0;
	u8 *bounce;
	int err = 0;

	if (write && __atomic_load_n(&b->bd_holder, __ATOMIC_ACQUIRE))
		return -EBUSY; /* a swap area in use */
	if (*pos < 0)
		return -EINVAL;
	if ((u64)*pos >= size)
		return write && count ? -ENOSPC : 0;
	if (count > size - (u64)*pos)
		count = (size_t)(size - (u64)*pos);
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < count && !err) {
		u64 at = (u64)*pos + done;
		u64 sector = at >> SECTOR_SHIFT;
		size_t skip = (size_t)(at & (SECTOR_SIZE - 1));
		size_t n = MIN(count - done, PAGE_SIZE - skip);
		unsigned nsect = (unsigned)((skip + n + SECTOR_SIZE - 1) >> SECTOR_SHIFT);

		if (!write || skip || (n & (SECTOR_SIZE - 1))) /* read, or a partial sector */
			err = bdev_rw(b, sector, nsect, bounce, false);
		if (!err)
			err = write ? fs_io_from(io, done, bounce + skip, n)
				    : fs_io_to(io, done, bounce + skip, n);
		if (!err && write)
			err = bdev_rw(b, sector, nsect, bounce, true);
		if (!err)
			done += n;
	}
	kfree(bounce);
	*pos += (loff_t)done;
	return done ? (ssize_t)done : err;
}

static ssize_t blkdev_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	return blkdev_rw(f, io, count, pos, false);
}

static ssize_t blkdev_write(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	return blkdev_rw(f, io, count, pos, true);
}

static const struct file_operations blkdev_fops = {
	.open = blkdev_open,
	.read = blkdev_read,
	.write = blkdev_write,
};

long long blkdev_size_of(const struct inode *inode)
{
	struct block_device *b = blkdev_get_by_dev(inode->i_rdev);

	return b ? (loff_t)bdev_nr_bytes(b) : 0;
}

/* /dev/<name> for b (vfs_lock held): 0 or -errno. */
static int create_node(struct block_device *b)
{
	struct super_block *sb = devtmpfs_super();
	struct dentry *d = NULL;
	int err;

	if (!sb)
		return 0; /* devtmpfs_init makes it later */
	err = ramfs_create(sb->s_root, b->bd_name, S_IFBLK | 0660, b->bd_dev, NULL, &d);
	if (err == -EEXIST) {
		dput(d);
		return 0;
	}
	if (err)
		return err;
	d->d_inode->i_fop = &blkdev_fops;
	dput(d);
	return 0;
}

int blkdev_create_nodes(void)
{
	struct list_head *pos;
	int err = 0;

	vfs_lock();
	list_for_each(pos, &disks)
		if (!err)
			err = create_node(list_entry(pos, struct block_device, bd_list));
	vfs_unlock();
	return err;
}

int register_blkdev_disk(struct block_device *b)
{
	int err = 0;

	if (blkdev_get_by_dev(b->bd_dev))
		return -EBUSY;
	spin_lock(&disks_lock);
	list_add_tail(&b->bd_list, &disks);
	__atomic_add_fetch(&nr_disks, 1, __ATOMIC_RELEASE);
	spin_unlock(&disks_lock);
	if (devtmpfs_super()) {
		vfs_lock();
		err = create_node(b);
		vfs_unlock();
	}
	return err;
}

int lookup_bdev(const char *path, u32 *dev)
{
	struct nameidata nd;
	int err;

	vfs_lock();
	err = path_walk(path, LOOKUP_FOLLOW, NULL, &nd);
	if (!err) {
		struct inode *inode = nd.dentry->d_inode;

		if (!S_ISBLK(inode->i_mode))
			err = -ENOTBLK;
		else
			*dev = inode->i_rdev;
		dput(nd.dentry);
	}
	vfs_unlock();
	if (!err && !blkdev_get_by_dev(*dev))
		err = -ENXIO;
	return err;
}

/* ---- sizes for people ------------------------------------------------------ */

void string_get_size(u64 size, bool binary, char *buf, size_t len)
{
	static const char *const units10[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	static const char *const units2[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned div = binary ? 1024 : 1000, i = 0, frac = 0;

	while (size >= div && i < 6) {
		frac = (unsigned)(size % div) * 1000 / div; /* thousandths of the next unit */
		size /= div;
		i++;
	}
	if (!i) {
		snprintf(buf, len, "%u B", (unsigned)size);
		return;
	}
	/* Three significant digits, rounded, as Linux prints them. */
	unsigned decimals = size >= 100 ? 0 : size >= 10 ? 1 : 2;
	unsigned scale = decimals == 0 ? 1000 : decimals == 1 ? 100 : 10;
	u64 t = (size * 1000 + frac + scale / 2) / scale;
	unsigned pow = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;

	if (decimals)
		snprintf(buf, len, "%llu.%0*llu %s", t / pow, (int)decimals, t % pow,
			 (binary ? units2 : units10)[i]);
	else
		snprintf(buf, len, "%llu %s", t, (binary ? units2 : units10)[i]);
}
