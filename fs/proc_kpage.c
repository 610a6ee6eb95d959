/* proc_kpage.c - /proc/kpageflags and /proc/kpagecount: one 64-bit word per
 * physical frame, in Linux's format, read at offset pfn * 8 (lseek, then
 * read), so Linux's tools (page-types) and a picture of memory read them.
 *
 * These files are too big for /proc's seq_file (8 GB of RAM is 2M frames,
 * 16 MB of words), so each read makes only the words it asks for. As in
 * Linux, the offset and the count must be multiples of 8 (else -EINVAL) and
 * a read past the last frame returns 0 bytes. The words come from
 * mm/page_owner_kind.c: Linux's KPF_* bits, and Highland's own (the frame's
 * owner kind, zone and free order) in bits Linux leaves unused
 * (include/memview.h, docs/memview.md). Also registers /proc/highland/memsnap.
 */
#include "internal.h"
#include "kstring.h"
#include "memview.h"
#include "proc_fs.h"
#include "slab.h"

#define KPAGE_BATCH 64 /* words made at a time */

/* The shared part of both reads: which words, and where they go. */
static ssize_t kpage_read(const struct fs_io *io, size_t count, loff_t *pos, bool flags)
{
	u64 words[KPAGE_BATCH];
	struct memview_ctx *c = NULL;
	size_t done = 0;

	if ((*pos & 7) || (count & 7))
		return -EINVAL;
	if (flags) {
		c = kmalloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			return -ENOMEM;
		memview_ctx_init(c);
		memview_collect(c); /* without memory: vmalloc frames read as kernel_other */
	}
	unsigned long pfn = (unsigned long)(*pos >> 3);
	while (done < count && pfn < max_pfn) {
		size_t n = 0;
		for (; n < KPAGE_BATCH && done + n * 8 < count && pfn + n < max_pfn; n++)
			words[n] = flags ? stable_page_flags(c, pfn + n) : page_kpagecount(pfn + n);
		if (fs_io_to(io, done, words, n * 8)) {
			if (!done)
				done = (size_t)-EFAULT;
			break;
		}
		done += n * 8;
		pfn += n;
	}
	if (c) {
		memview_release(c);
		kfree(c);
	}
	if ((ssize_t)done > 0)
		*pos += (loff_t)done;
	return (ssize_t)done;
}

static ssize_t kpageflags_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	return kpage_read(io, count, pos, true);
}

static ssize_t kpagecount_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	return kpage_read(io, count, pos, false);
}

static const struct file_operations kpageflags_fops = { .read = kpageflags_read };
static const struct file_operations kpagecount_fops = { .read = kpagecount_read };

/* /proc/NAME as a file with its own read (0400: root only, as Linux). */
static int proc_create_raw(const char *name, const struct file_operations *fops)
{
	struct super_block *sb = proc_super();
	struct inode *inode;
	int err = 0;

	if (!sb)
		return -ENODEV;
	vfs_lock();
	inode = new_inode(sb, S_IFREG | 0400);
	if (!inode) {
		err = -ENOMEM;
	} else {
		inode->i_fop = fops;
		if (!d_alloc(sb->s_root, name, strlen(name), inode)) {
			free_inode(inode);
			err = -ENOMEM;
		}
	}
	vfs_unlock();
	return err;
}

int proc_kpage_init(void)
{
	int err = proc_create_raw("kpageflags", &kpageflags_fops);

	if (!err)
		err = proc_create_raw("kpagecount", &kpagecount_fops);
	if (!err)
		err = memsnap_proc_init();
	return err;
}
