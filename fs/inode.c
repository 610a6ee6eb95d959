/* inode.c - inodes, the RAM filesystem (Linux's ramfs) and its page cache.
 *
 * A RAM file's contents are only its page-cache pages: struct
 * address_space (i_data) indexes them by page number (see fs.h for the
 * index structure and why). Pages come from HIGHMEM (GFP_HIGHUSER), the
 * way Linux i386 keeps file data out of the precious lowmem, so the kernel
 * never has a permanent address for them: every access maps the page with
 * kmap_local_page for the few instructions it needs it. A hole (a file
 * grown by truncate or by a write past its end) reads as zeros and gets a
 * page only when written, or when read_mapping_page asks for it.
 *
 * Reads and writes copy through a one-page bounce buffer: the page is
 * mapped and the vfs_lock held only for a memcpy, and the user copy
 * (which may fault, and a fault may need the page cache) happens unlocked.
 */
#include "highmem.h"
#include "internal.h"
#include "kstring.h"
#include "mm.h"
#include "printk.h"
#include "process.h"
#include "slab.h"
#include "vmstat.h"

#define MAX_FILE_SIZE 0x7fffffffLL /* i386 without O_LARGEFILE limits: enough here */

static u32 next_dev = 1;

struct super_block *alloc_super(const char *type, unsigned long magic)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return NULL;
	sb->s_type = type;
	sb->s_magic = magic;
	sb->s_dev = next_dev++; /* Linux's anonymous devices: major 0 */
	sb->s_next_ino = 1;
	return sb;
}

struct inode *new_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode = kzalloc(sizeof(*inode), GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->i_ino = sb->s_next_ino++;
	inode->i_mode = mode;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	inode->i_sb = sb;
	inode->i_count = 1;
	inode->i_mtime = (s64)ktime_get_real_seconds(); /* made now (the initramfs sets its own) */
	inode->i_mapping = &inode->i_data;
	inode->i_data.host = inode;
	inode->i_data.gfp_mask = GFP_HIGHUSER;
	if (S_ISREG(mode))
		inode->i_fop = &ramfs_file_operations;
	else if (S_ISDIR(mode))
		inode->i_fop = &ramfs_dir_operations;
	return inode;
}

/* Drop the cache's pages from index `from` on. */
static void truncate_pages(struct address_space *m, pgoff_t from)
{
	for (pgoff_t i = from; i < m->nr_slots; i++) {
		struct page *page = m->i_pages[i];

		if (!page)
			continue;
		m->i_pages[i] = NULL;
		m->nrpages--;
		mod_node_page_state(NR_FILE_PAGES, -1); /* meminfo's Cached */
		page->mapping = NULL;
		page->index = 0;
		put_page(page); /* the cache's reference; a reader's keeps it alive */
	}
}

void free_inode(struct inode *inode)
{
	truncate_pages(&inode->i_data, 0);
	kfree(inode->i_data.i_pages);
	kfree(inode->i_link);
	kfree(inode);
}

/* Make room for index in the page index (doubling). */
static int grow_index(struct address_space *m, pgoff_t index)
{
	unsigned long n = m->nr_slots ? m->nr_slots : 8;
	struct page **p;

	while (n <= index)
		n *= 2;
	p = krealloc(m->i_pages, n * sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	memset(p + m->nr_slots, 0, (n - m->nr_slots) * sizeof(*p));
	m->i_pages = p;
	m->nr_slots = n;
	return 0;
}

struct page *find_or_create_page(struct address_space *m, pgoff_t index, bool create)
{
	struct page *page;

	if (index < m->nr_slots && m->i_pages[index])
		return m->i_pages[index];
	if (!create)
		return NULL;
	if (index >= m->nr_slots && grow_index(m, index))
		return ERR_PTR(-ENOMEM);
	page = alloc_pages(m->gfp_mask, 0);
	if (!page)
		return ERR_PTR(-ENOMEM);
	clear_highpage(page);
	page->mapping = m;
	page->index = index;
	m->i_pages[index] = page;
	m->nrpages++;
	mod_node_page_state(NR_FILE_PAGES, 1);
	return page;
}

struct page *read_mapping_page(struct address_space *m, pgoff_t index)
{
	struct page *page;

	vfs_lock();
	if ((loff_t)index >= (i_size_read(m->host) + (loff_t)PAGE_SIZE - 1) >> PAGE_SHIFT) {
		vfs_unlock();
		return ERR_PTR(-EINVAL);
	}
	page = find_or_create_page(m, index, true); /* a hole gets its zero page now */
	if (!IS_ERR(page))
		get_page(page);
	vfs_unlock();
	return page;
}

int ramfs_truncate(struct inode *inode, loff_t size)
{
	struct address_space *m = inode->i_mapping;

	if (size < 0)
		return -EINVAL;
	if (size > MAX_FILE_SIZE)
		return -EFBIG;
	if (size < inode->i_size) {
		size_t tail = (size_t)(size & (PAGE_SIZE - 1));
		pgoff_t keep = (pgoff_t)((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
		struct page *last = tail ? find_or_create_page(m, keep - 1, false) : NULL;

		truncate_pages(m, keep);
		if (last) { /* what lay past the new end must read as zeros if it grows again */
			char *va = kmap_local_page(last);
			memset(va + tail, 0, PAGE_SIZE - tail);
			kunmap_local(va);
		}
	}
	if (size != inode->i_size)
		inode->i_mtime = (s64)ktime_get_real_seconds();
	inode->i_size = size;
	return 0;
}

int ramfs_create(struct dentry *dir, const char *name, umode_t mode, u32 rdev,
		 const char *link, struct dentry **out)
{
	size_t len = strlen(name);
	struct dentry *d;
	struct inode *inode;

	if (!S_ISDIR(dir->d_inode->i_mode))
		return -ENOTDIR;
	if (len == 0 || (len == 1 && name[0] == '.') || (len == 2 && !strcmp(name, "..")))
		return -EEXIST;
	if (len > DNAME_MAX)
		return -ENAMETOOLONG;
	if (dir->d_sb->s_magic == PROC_SUPER_MAGIC) /* as Linux: no create (EACCES), no mkdir/mknod (EPERM) */
		return S_ISREG(mode) ? -EACCES : -EPERM;
	d = d_lookup_child(dir, name, len);
	if (d) {
		if (out)
			*out = d;
		else
			dput(d);
		return -EEXIST;
	}
	inode = new_inode(dir->d_sb, mode);
	if (!inode)
		return -ENOMEM;
	inode->i_rdev = rdev;
	if (link) {
		inode->i_link = kstrdup(link, GFP_KERNEL);
		inode->i_size = (loff_t)strlen(link);
		if (!inode->i_link) {
			free_inode(inode);
			return -ENOMEM;
		}
	}
	d = d_alloc(dir, name, len, inode);
	if (!d) {
		free_inode(inode);
		return -ENOMEM;
	}
	if (S_ISDIR(mode))
		dir->d_inode->i_nlink++;
	if (out)
		*out = dget(d);
	return 0;
}

/* ---- read and write ---- */

static const char zero_bytes[256];

static int copy_zeros(const struct fs_io *io, size_t off, size_t n)
{
	while (n) {
		size_t c = n < sizeof(zero_bytes) ? n : sizeof(zero_bytes);
		if (fs_io_to(io, off, zero_bytes, c))
			return -EFAULT;
		off += c;
		n -= c;
	}
	return 0;
}

static ssize_t ramfs_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	char *bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	size_t done = 0;

	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		loff_t p = *pos + (loff_t)done;
		size_t off = (size_t)(p & (PAGE_SIZE - 1)), n = PAGE_SIZE - off;
		struct page *page;

		vfs_lock();
		if (p >= inode->i_size) {
			vfs_unlock();
			break;
		}
		if ((loff_t)n > inode->i_size - p)
			n = (size_t)(inode->i_size - p);
		if (n > count - done)
			n = count - done;
		page = find_or_create_page(inode->i_mapping, (pgoff_t)(p >> PAGE_SHIFT), false);
		if (page)
			memcpy_from_page(bounce, page, off, n);
		vfs_unlock();
		if (page ? fs_io_to(io, done, bounce, n) : copy_zeros(io, done, n)) {
			if (!done)
				done = (size_t)-EFAULT;
			break;
		}
		done += n;
	}
	kfree(bounce);
	if ((ssize_t)done > 0)
		*pos += (loff_t)done;
	return (ssize_t)done;
}

static ssize_t ramfs_write(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	char *bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	ssize_t err = 0;
	size_t done = 0;

	if (!bounce)
		return -ENOMEM;
	if (f->f_flags & O_APPEND) {
		vfs_lock();
		*pos = inode->i_size;
		vfs_unlock();
	}
	while (done < count) {
		loff_t p = *pos + (loff_t)done;
		size_t off = (size_t)(p & (PAGE_SIZE - 1)), n = PAGE_SIZE - off;
		struct page *page;

		if (n > count - done)
			n = count - done;
		if (p + (loff_t)n > MAX_FILE_SIZE) {
			err = -EFBIG;
			break;
		}
		if (fs_io_from(io, done, bounce, n)) {
			err = -EFAULT;
			break;
		}
		vfs_lock();
		page = find_or_create_page(inode->i_mapping, (pgoff_t)(p >> PAGE_SHIFT), true);
		if (!IS_ERR(page)) {
			memcpy_to_page(page, off, bounce, n);
			if (p + (loff_t)n > inode->i_size)
				inode->i_size = p + (loff_t)n;
		}
		vfs_unlock();
		if (IS_ERR(page)) {
			err = PTR_ERR(page);
			break;
		}
		done += n;
	}
	kfree(bounce);
	*pos += (loff_t)done;
	if (done) {
		vfs_lock();
		inode->i_mtime = (s64)ktime_get_real_seconds(); /* a write changes it, as Linux */
		vfs_unlock();
	}
	return done ? (ssize_t)done : err;
}

/* ".", "..", then the children in the order they were made. f_pos counts entries. */
int simple_dir_iterate(struct file *f, filldir_t emit, void *ctx)
{
	struct dentry *dir = f->f_dentry;
	struct list_head *pos;
	loff_t i = 2;

	vfs_lock();
	if (f->f_pos == 0 && emit(ctx, ".", 1, dir->d_inode->i_ino, DT_DIR))
		f->f_pos = 1;
	if (f->f_pos == 1 && emit(ctx, "..", 2, dir->d_parent->d_inode->i_ino, DT_DIR))
		f->f_pos = 2;
	if (f->f_pos >= 2) {
		list_for_each(pos, &dir->d_subdirs) {
			struct dentry *c = list_entry(pos, struct dentry, d_child);

			if (i++ < f->f_pos)
				continue;
			if (!emit(ctx, c->d_name, strlen(c->d_name), c->d_inode->i_ino,
				  dtype_of(c->d_inode->i_mode)))
				break;
			f->f_pos++;
		}
	}
	vfs_unlock();
	return 0;
}

const struct file_operations ramfs_file_operations = {
	.read = ramfs_read,
	.write = ramfs_write,
};

const struct file_operations ramfs_dir_operations = {
	.iterate = simple_dir_iterate,
};
