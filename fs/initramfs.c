/* initramfs.c - unpack the boot loader's modules (cpio newc) into the root.
 *
 * The loader put each module somewhere in RAM after the kernel (QEMU's
 * -initrd right after the image, GRUB's module2 wherever it likes below
 * 4 GB); mm_setup reserved those frames in memblock so the page allocator
 * never handed them out. The frames may lie beyond lowmem (GRUB can load
 * high, and at -m 512 lowmem is the whole RAM but at larger sizes a module
 * near the top of the first 4 GB is HighMem), so the module is not read
 * through the direct map: its frames are vmap'ed into one contiguous view
 * for the parser, which works for lowmem and HighMem frames alike. After
 * unpacking, the module's whole pages go back to the page allocator, as
 * Linux's "Freeing initrd memory" does.
 */
#include "bootinfo.h"
#include "internal.h"
#include "kstring.h"
#include "mm.h"
#include "mmzone.h"
#include "pgtable.h"
#include "printk.h"
#include "slab.h"
#include "vmalloc.h"

struct unpack {
	unsigned files, dirs, links, nodes, skipped;
	bool warned_hardlink;
};

/* One entry: made where its name says; a problem is said and skipped. */
static int unpack_create(const struct cpio_entry *e, const char *path, struct unpack *u)
{
	struct file *f;
	char *target;
	int err = 0;

	switch (e->mode & S_IFMT) {
	case S_IFDIR:
		err = vfs_mkdir(path, (umode_t)e->mode);
		u->dirs++;
		return err == -EEXIST ? 0 : err; /* "." or a directory made earlier: fine */
	case S_IFREG:
		if (e->nlink > 1 && !u->warned_hardlink) {
			pr_warn("initramfs: %s has %u links: hard links are unpacked as separate files\n",
				path, e->nlink);
			u->warned_hardlink = true;
		}
		f = filp_open(path, O_WRONLY | O_CREAT | O_TRUNC, (umode_t)e->mode);
		if (IS_ERR(f))
			return (int)PTR_ERR(f);
		loff_t pos = 0;
		ssize_t n = kernel_write(f, e->data, e->filesize, &pos);
		f->f_inode->i_mode = (umode_t)e->mode;
		f->f_inode->i_uid = e->uid;
		f->f_inode->i_gid = e->gid;
		f->f_inode->i_mtime = e->mtime;
		fput(f);
		u->files++;
		return n < 0 ? (int)n : (u32)n != e->filesize ? -ENOSPC : 0;
	case S_IFLNK:
		target = kmalloc((size_t)e->filesize + 1, GFP_KERNEL);
		if (!target)
			return -ENOMEM;
		memcpy(target, e->data, e->filesize);
		target[e->filesize] = '\0';
		err = vfs_symlink(target, path);
		kfree(target);
		u->links++;
		return err;
	case S_IFCHR:
		err = vfs_mknod(path, (umode_t)e->mode, (e->rdevmajor << 8) | e->rdevminor);
		u->nodes++;
		return err == -EEXIST ? 0 : err; /* devtmpfs already has it */
	default:
		pr_warn("initramfs: %s: mode %#o (block device, fifo or socket) not supported, skipped\n",
			path, e->mode);
		u->skipped++;
		return 0;
	}
}

static int unpack_entry(void *ctx, const struct cpio_entry *e)
{
	struct unpack *u = ctx;
	const char *name = e->name;
	char *path;
	int err;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	if (!name[0] || !strcmp(name, "."))
		return 0; /* the root itself */
	path = kmalloc(strlen(name) + 2, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	path[0] = '/';
	strlcpy(path + 1, name, strlen(name) + 1);
	err = unpack_create(e, path, u);
	if (err)
		pr_err("initramfs: %s (entry at offset %zu): error %d, skipped\n", path, e->offset,
		       err);
	kfree(path);
	return err == -ENOMEM ? err : 0;
}

int unpack_to_rootfs(const void *buf, size_t len)
{
	struct unpack u = { 0 };
	int n = cpio_parse(buf, len, unpack_entry, &u);

	if (n >= 0)
		pr_info("initramfs: %d entries: %u files, %u directories, %u symlinks, %u device nodes, %u skipped\n",
			n, u.files, u.dirs, u.links, u.nodes, u.skipped);
	return n;
}

/* Unpack module m through a vmap of its frames; free its whole pages. */
static int unpack_module(const struct boot_module *m)
{
	unsigned long first = m->start >> PAGE_SHIFT, last = (m->end - 1) >> PAGE_SHIFT;
	unsigned count = (unsigned)(last - first + 1);
	struct page **pages;
	char *va;
	int n;

	if (last >= max_pfn) {
		pr_err("initramfs: module [%#x-%#x] lies beyond the RAM in use (max_pfn %#lx): not unpacked\n",
		       m->start, m->end - 1, max_pfn);
		return -EINVAL;
	}
	pages = kvmalloc(count * sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (unsigned i = 0; i < count; i++)
		pages[i] = pfn_to_page(first + i);
	va = vmap(pages, count, VM_MAP, PAGE_KERNEL);
	if (!va) {
		kvfree(pages);
		return -ENOMEM;
	}
	n = unpack_to_rootfs(va + (m->start & (PAGE_SIZE - 1)), m->end - m->start);
	vunmap(va);
	kvfree(pages);
	/* Whole pages only: a partial page at either end may share its frame
	 * with the image or another module; it stays reserved (at most 8 KB). */
	unsigned long s = ALIGN_UP((unsigned long)m->start, PAGE_SIZE) >> PAGE_SHIFT;
	unsigned long e = (unsigned long)m->end >> PAGE_SHIFT;
	if (e > s) {
		free_pages_bootmem_range(s, e);
		pr_info("Freeing initrd memory: %luK\n", (e - s) << (PAGE_SHIFT - 10));
	}
	return n;
}

int populate_rootfs(void)
{
	int unpacked = 0, err = 0;

	for (unsigned i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		int n;

		pr_info("Trying to unpack rootfs image as initramfs: module %u \"%s\", %u bytes\n", i,
			m->name, m->end - m->start);
		n = unpack_module(m);
		if (n < 0) {
			pr_err("Initramfs unpacking failed: module %u: error %d (what was unpacked before stays)\n",
			       i, n);
			err = n;
		} else {
			unpacked++;
		}
	}
	return unpacked || !err ? unpacked : err;
}
