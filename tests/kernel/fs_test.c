/* fs_test.c - the VFS from inside the kernel: an initramfs built here and
 * unpacked, files read/written/seeked/truncated through the page cache
 * (whose pages must be HighMem when there is HighMem), paths with cwd,
 * "." and "..", symlinks and their loop limit, unlink/rmdir, getdents64,
 * stat, lseek, threads at once, and the boot module's archive.
 * (Devices, the console, pipes, fd tables and /proc: fs_dev_test.c.)
 * Exact contents are the point, so fault injection is off in each case. */
#include "bootinfo.h"
#include "err.h"
#include "highmem.h"
#include "kstring.h"
#include "ktest.h"
#include "mm.h"
#include "mmzone.h"
#include "printk.h"
#include "proc_fs.h"
#include "sched.h"
#include "slab.h"
#include "fs_test.h"

/* ---- a cpio newc builder ---- */

struct arc {
	char *b;
	size_t len;
};

static void arc_add(struct arc *a, const char *name, u32 mode, const char *data, u32 size)
{
	u32 ns = (u32)strlen(name) + 1;

	a->len += (size_t)snprintf(a->b + a->len, 111,
				   "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1u,
				   mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 5u, 1u, ns, 0u);
	memcpy(a->b + a->len, name, ns);
	a->len = ALIGN_UP(a->len + ns, (size_t)4);
	memcpy(a->b + a->len, data, size);
	a->len = ALIGN_UP(a->len + size, (size_t)4);
}

static void fs_initramfs_unpack(struct ktest *t)
{
	struct arc a = { kzalloc(16384, GFP_KERNEL), 0 };
	char *big = kmalloc(6000, GFP_KERNEL), buf[64];

	no_injection(t);
	KTEST_ASSERT_NOT_NULL(t, a.b);
	KTEST_ASSERT_NOT_NULL(t, big);
	for (int i = 0; i < 6000; i++)
		big[i] = (char)('a' + i % 26);
	arc_add(&a, ".", 040755, "", 0);
	arc_add(&a, "t_cpio", 040755, "", 0);
	arc_add(&a, "t_cpio/bin", 040700, "", 0);
	arc_add(&a, "t_cpio/bin/hello", 0100755, "hello, world\n", 13);
	arc_add(&a, "t_cpio/big", 0100644, big, 6000);
	arc_add(&a, "./t_cpio/link", 0120777, "bin/hello", 9);
	arc_add(&a, "t_cpio/dev", 040755, "", 0);
	arc_add(&a, "t_cpio/dev/console", 020600, "", 0);
	arc_add(&a, "TRAILER!!!", 0, "", 0);
	KTEST_EXPECT_EQ(t, unpack_to_rootfs(a.b, a.len), 8);
	KTEST_EXPECT_EQ(t, slurp("/t_cpio/bin/hello", buf, sizeof(buf)), 13);
	KTEST_EXPECT_STREQ(t, buf, "hello, world\n");
	KTEST_EXPECT_EQ(t, slurp("/t_cpio/link", buf, sizeof(buf)), 13); /* followed */
	KTEST_EXPECT_EQ(t, vfs_readlink("/t_cpio/link", buf, sizeof(buf)), 9);
	struct file *f = filp_open("/t_cpio/big", O_RDONLY, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	KTEST_EXPECT_EQ(t, i_size_read(file_inode(f)), 6000);
	KTEST_EXPECT_EQ(t, inode_mode(file_inode(f)), 0100644);
	loff_t pos = 5990;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 64, &pos), 10);
	KTEST_EXPECT_EQ(t, memcmp(buf, big + 5990, 10), 0);
	fput(f);
	f = filp_open("/t_cpio/dev/console", O_WRONLY, 0);
	KTEST_EXPECT_FALSE(t, IS_ERR(f)); /* a device node from the archive works */
	if (!IS_ERR(f))
		fput(f);
	/* a damaged archive: refused with -EINVAL, what came before stays */
	a.len = 0;
	arc_add(&a, "t_cpio/second", 0100644, "2", 1);
	arc_add(&a, "t_cpio/bad", 0100644, "x", 1);
	a.b[a.len - 128 + 6 + 8 * 6] = 'z'; /* filesize of "bad" (its entry is 128 bytes) */
	KTEST_EXPECT_EQ(t, unpack_to_rootfs(a.b, a.len), -EINVAL);
	KTEST_EXPECT_EQ(t, slurp("/t_cpio/second", buf, sizeof(buf)), 1);
	kfree(a.b);
	kfree(big);
}

static void fs_read_write_truncate(struct ktest *t)
{
	static char pat[10000], back[10000];
	struct file *f;
	loff_t pos;

	no_injection(t);
	for (int i = 0; i < 10000; i++)
		pat[i] = (char)(i * 7 + 3);
	KTEST_EXPECT_EQ(t, spit("/t_rw", pat, sizeof(pat), O_TRUNC), 10000);
	f = filp_open("/t_rw", O_RDWR, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	pos = 4090; /* across a page boundary */
	KTEST_EXPECT_EQ(t, kernel_read(f, back, 100, &pos), 100);
	KTEST_EXPECT_EQ(t, memcmp(back, pat + 4090, 100), 0);
	KTEST_EXPECT_EQ(t, pos, 4190);
	pos = 9990;
	KTEST_EXPECT_EQ(t, kernel_read(f, back, 100, &pos), 10);
	KTEST_EXPECT_EQ(t, kernel_read(f, back, 100, &pos), 0); /* end of file */
	/* a write past the end leaves a hole that reads as zeros */
	pos = 20000;
	KTEST_EXPECT_EQ(t, kernel_write(f, "Z", 1, &pos), 1);
	KTEST_EXPECT_EQ(t, i_size_read(file_inode(f)), 20001);
	KTEST_EXPECT_EQ(t, file_mapping(f)->nrpages, 4); /* pages 0-2 and 4: page 3 is a hole */
	pos = 12000;
	KTEST_EXPECT_EQ(t, kernel_read(f, back, 100, &pos), 100);
	KTEST_EXPECT_EQ(t, back[0] | back[50] | back[99], 0);
	/* shrink into the middle of page 1, grow again: the cut bytes are zeros */
	KTEST_EXPECT_EQ(t, vfs_truncate("/t_rw", 5000), 0);
	KTEST_EXPECT_EQ(t, i_size_read(file_inode(f)), 5000);
	KTEST_EXPECT_EQ(t, file_mapping(f)->nrpages, 2);
	KTEST_EXPECT_EQ(t, vfs_truncate("/t_rw", 9000), 0);
	pos = 4900;
	KTEST_EXPECT_EQ(t, kernel_read(f, back, 200, &pos), 200);
	KTEST_EXPECT_EQ(t, memcmp(back, pat + 4900, 100), 0);
	bool zero = true;
	for (int i = 100; i < 200; i++)
		zero &= back[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	KTEST_EXPECT_EQ(t, vfs_truncate("/t_rw", -1), -EINVAL);
	fput(f);
	/* O_APPEND, O_TRUNC, O_EXCL, read-only and write-only files */
	KTEST_EXPECT_EQ(t, spit("/t_rw", "ab", 2, O_TRUNC), 2);
	KTEST_EXPECT_EQ(t, spit("/t_rw", "cd", 2, O_APPEND), 2);
	KTEST_EXPECT_EQ(t, slurp("/t_rw", back, 100), 4);
	KTEST_EXPECT_STREQ(t, back, "abcd");
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/t_rw", O_CREAT | O_EXCL | O_WRONLY, 0)), -EEXIST);
	f = filp_open("/t_rw", O_RDONLY, 0);
	pos = 0;
	KTEST_EXPECT_EQ(t, kernel_write(f, "x", 1, &pos), -EBADF);
	fput(f);
	f = filp_open("/t_rw", O_WRONLY, 0);
	KTEST_EXPECT_EQ(t, kernel_read(f, back, 1, &pos), -EBADF);
	fput(f);
	KTEST_EXPECT_EQ(t, vfs_unlink("/t_rw"), 0);
}

static void fs_page_cache_highmem(struct ktest *t)
{
	static char blk[PAGE_SIZE];
	struct file *f;
	unsigned long high_before = nr_free_highpages();
	int highmem = 0;

	no_injection(t);
	memset(blk, 0x5a, sizeof(blk));
	f = filp_open("/t_pc", O_RDWR | O_CREAT | O_TRUNC, 0600);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	loff_t pos = 0;
	for (int i = 0; i < 16; i++)
		KTEST_EXPECT_EQ(t, kernel_write(f, blk, PAGE_SIZE, &pos), PAGE_SIZE);
	struct address_space *m = file_mapping(f);
	KTEST_EXPECT_EQ(t, m->nrpages, 16);
	for (pgoff_t i = 0; i < 16; i++) {
		struct page *p = read_mapping_page(m, i);

		KTEST_ASSERT_TRUE(t, !IS_ERR(p));
		KTEST_EXPECT_TRUE(t, p->mapping == m);
		KTEST_EXPECT_EQ(t, p->index, i);
		KTEST_EXPECT_GE(t, p->_refcount, 2); /* the cache's and ours */
		highmem += PageHighMem(p);
		char *va = kmap_local_page(p);
		KTEST_EXPECT_EQ(t, va[0] == 0x5a && va[PAGE_SIZE - 1] == 0x5a, 1);
		kunmap_local(va);
		put_page(p);
	}
	KTEST_EXPECT_EQ(t, PTR_ERR(read_mapping_page(m, 16)), -EINVAL); /* past the end */
	if (totalhigh_pages()) {
		KTEST_EXPECT_EQ(t, highmem, 16); /* page-cache pages come from HIGHMEM */
		KTEST_EXPECT_LE(t, nr_free_highpages() + 16, high_before + 16);
	} else {
		KTEST_EXPECT_EQ(t, highmem, 0);
	}
	/* a page read_mapping_page handed out outlives truncation */
	struct page *kept = read_mapping_page(m, 3);
	KTEST_ASSERT_TRUE(t, !IS_ERR(kept));
	KTEST_EXPECT_EQ(t, vfs_truncate("/t_pc", 0), 0);
	KTEST_EXPECT_EQ(t, m->nrpages, 0);
	KTEST_EXPECT_TRUE(t, kept->mapping == NULL);
	KTEST_EXPECT_EQ(t, kept->_refcount, 1);
	put_page(kept);
	fput(f);
	KTEST_EXPECT_EQ(t, vfs_unlink("/t_pc"), 0);
}

static void fs_paths(struct ktest *t)
{
	struct fs_struct *saved = current->fs, *fs;
	char buf[64];

	no_injection(t);
	fs = copy_fs_struct(NULL);
	KTEST_ASSERT_NOT_NULL(t, fs);
	current->fs = fs;
	KTEST_EXPECT_EQ(t, vfs_mkdir("/t_p", 0755), 0);
	KTEST_EXPECT_EQ(t, vfs_mkdir("/t_p", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, vfs_mkdir("/t_p/a", 0755), 0);
	KTEST_EXPECT_EQ(t, vfs_mkdir("/t_p/a/b", 0755), 0);
	KTEST_EXPECT_EQ(t, vfs_mkdir("/nonexistent/x", 0755), -ENOENT);
	KTEST_EXPECT_EQ(t, spit("/t_p/a/b/f", "data", 4, 0), 4);
	/* relative to the cwd, with . and .. */
	vfs_lock();
	struct nameidata nd;
	KTEST_ASSERT_EQ(t, path_walk("/t_p/a", LOOKUP_FOLLOW, NULL, &nd), 0);
	dput(fs->pwd);
	fs->pwd = nd.dentry;
	vfs_unlock();
	KTEST_EXPECT_EQ(t, slurp("b/f", buf, sizeof(buf)), 4);
	KTEST_EXPECT_EQ(t, slurp("./b/../b/./f", buf, sizeof(buf)), 4);
	KTEST_EXPECT_EQ(t, slurp("../a/b/f", buf, sizeof(buf)), 4);
	KTEST_EXPECT_EQ(t, slurp("../../../../t_p/a/b/f", buf, sizeof(buf)), 4); /* .. stops at / */
	KTEST_EXPECT_EQ(t, slurp("b/f/", buf, sizeof(buf)), -ENOTDIR);
	KTEST_EXPECT_EQ(t, slurp("b/f/x", buf, sizeof(buf)), -ENOTDIR);
	KTEST_EXPECT_EQ(t, slurp("b/nope", buf, sizeof(buf)), -ENOENT);
	KTEST_EXPECT_EQ(t, slurp("", buf, sizeof(buf)), -ENOENT);
	vfs_lock();
	KTEST_EXPECT_EQ(t, dentry_path(current_pwd(), current_root(), buf, sizeof(buf)), 6);
	vfs_unlock();
	KTEST_EXPECT_STREQ(t, buf, "/t_p/a");
	/* symlinks: relative, absolute, to a directory, dangling, loops */
	KTEST_EXPECT_EQ(t, vfs_symlink("b/f", "rel"), 0);
	KTEST_EXPECT_EQ(t, vfs_symlink("/t_p/a/b", "/t_p/abs"), 0);
	KTEST_EXPECT_EQ(t, vfs_symlink("nowhere", "dangling"), 0);
	KTEST_EXPECT_EQ(t, vfs_symlink("loop2", "loop1"), 0);
	KTEST_EXPECT_EQ(t, vfs_symlink("loop1", "loop2"), 0);
	KTEST_EXPECT_EQ(t, slurp("rel", buf, sizeof(buf)), 4);
	KTEST_EXPECT_EQ(t, slurp("/t_p/abs/f", buf, sizeof(buf)), 4);
	KTEST_EXPECT_EQ(t, slurp("dangling", buf, sizeof(buf)), -ENOENT);
	KTEST_EXPECT_EQ(t, slurp("loop1", buf, sizeof(buf)), -ELOOP);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("rel", O_RDONLY | O_NOFOLLOW, 0)), -ELOOP);
	KTEST_EXPECT_EQ(t, vfs_readlink("/t_p/abs", buf, 4), 4); /* truncated, as readlink does */
	KTEST_EXPECT_EQ(t, memcmp(buf, "/t_p", 4), 0);
	KTEST_EXPECT_EQ(t, vfs_readlink("b/f", buf, sizeof(buf)), -EINVAL);
	/* an open file outlives its name */
	struct file *f = filp_open("b/f", O_RDONLY, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	KTEST_EXPECT_EQ(t, vfs_rmdir("b"), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, vfs_unlink("b"), -EISDIR);
	KTEST_EXPECT_EQ(t, vfs_rmdir("rel"), -ENOTDIR);
	KTEST_EXPECT_EQ(t, vfs_unlink("b/f"), 0);
	KTEST_EXPECT_EQ(t, slurp("b/f", buf, sizeof(buf)), -ENOENT);
	loff_t pos = 0;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), 4);
	fput(f);
	KTEST_EXPECT_EQ(t, vfs_rmdir("b"), 0);
	/* the cwd removed under us: its name is gone, the walk from it says ENOENT */
	current->fs = saved;
	free_fs_struct(fs);
	KTEST_EXPECT_EQ(t, vfs_unlink("/t_p/a/rel"), 0);
}

/* getdents64 records (u64 ino, s64 off, u16 reclen, u8 type, name), stat, lseek. */
static void fs_getdents_stat_lseek(struct ktest *t)
{
	static char buf[512];
	struct kstat st;
	struct file *f;
	char names[64] = "";
	long n;

	no_injection(t);
	KTEST_ASSERT_EQ(t, vfs_mkdir("/t_gd", 0750), 0);
	KTEST_EXPECT_EQ(t, spit("/t_gd/file", "0123456789", 10, 0), 10);
	KTEST_EXPECT_EQ(t, vfs_mkdir("/t_gd/dir", 0700), 0);
	KTEST_EXPECT_EQ(t, vfs_symlink("file", "/t_gd/sym"), 0);
	f = filp_open("/t_gd", O_RDONLY | O_DIRECTORY, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	KTEST_EXPECT_EQ(t, vfs_getdents64(f, buf, 20), -EINVAL); /* not even "." fits */
	n = vfs_getdents64(f, buf, sizeof(buf));
	KTEST_EXPECT_EQ(t, n, 5 * 24); /* ".", "..", "file", "dir", "sym": 24 bytes each */
	for (long off = 0; off < n;) {
		u16 reclen;
		u8 type;

		memcpy(&reclen, buf + off + 16, 2);
		memcpy(&type, buf + off + 18, 1);
		KTEST_EXPECT_EQ(t, reclen % 8, 0);
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s:%u ", buf + off + 19,
			 type);
		if (!reclen)
			break;
		off += reclen;
	}
	KTEST_EXPECT_STREQ(t, names, ".:4 ..:4 file:8 dir:4 sym:10 ");
	KTEST_EXPECT_EQ(t, vfs_getdents64(f, buf, sizeof(buf)), 0); /* the end */
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, 0), 0);                /* rewinddir */
	KTEST_EXPECT_EQ(t, vfs_getdents64(f, buf, sizeof(buf)), 5 * 24);
	vfs_getattr(file_inode(f), &st);
	KTEST_EXPECT_EQ(t, st.mode, S_IFDIR | 0750);
	KTEST_EXPECT_EQ(t, st.nlink, 3); /* ".", its name, "dir/.." */
	fput(f);
	f = filp_open("/t_gd/file", O_RDWR, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	vfs_getattr(file_inode(f), &st);
	KTEST_EXPECT_EQ(t, st.size, 10);
	KTEST_EXPECT_EQ(t, st.blocks, 8); /* one page of 512-byte blocks */
	KTEST_EXPECT_EQ(t, st.blksize, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, -3, 2), 7); /* SEEK_END */
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 2, 1), 9);  /* SEEK_CUR */
	KTEST_EXPECT_EQ(t, vfs_llseek(f, -10, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, 3), -EINVAL);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 5, &f->f_pos), 1);
	KTEST_EXPECT_EQ(t, buf[0], '9');
	fput(f);
	f = filp_open("/dev/console", O_RDONLY, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, 0), -ESPIPE);
	fput(f);
	struct file *p[2];
	KTEST_ASSERT_EQ(t, create_pipe_files(p, 0), 0);
	KTEST_EXPECT_EQ(t, vfs_llseek(p[0], 0, 0), -ESPIPE);
	fput(p[0]);
	fput(p[1]);
	vfs_unlink("/t_gd/sym");
	vfs_unlink("/t_gd/file");
	vfs_rmdir("/t_gd/dir");
	KTEST_EXPECT_EQ(t, vfs_rmdir("/t_gd"), 0);
}

/* Threads on every CPU create, write, read back and remove their own files
 * and share one directory: the vfs_lock keeps names and page caches whole. */
struct smp_worker {
	int id;
	int bad;
};

static int smp_worker_fn(void *arg)
{
	struct smp_worker *w = arg;
	char path[40], data[300], back[300];
	loff_t pos;

	for (int i = 0; i < 60; i++) {
		snprintf(path, sizeof(path), "/t_smp/w%d-%d", w->id, i);
		for (int k = 0; k < (int)sizeof(data); k++)
			data[k] = (char)(w->id * 31 + i + k);
		struct file *f = filp_open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (IS_ERR(f)) {
			w->bad++;
			continue;
		}
		pos = 0;
		w->bad += kernel_write(f, data, sizeof(data), &pos) != (long)sizeof(data);
		pos = 0;
		w->bad += kernel_read(f, back, sizeof(back), &pos) != (long)sizeof(back);
		w->bad += memcmp(data, back, sizeof(data)) != 0;
		fput(f);
		w->bad += vfs_unlink(path) != 0;
	}
	return 0;
}

static void fs_smp_workers(struct ktest *t)
{
	static struct smp_worker w[8];
	struct task *th[8];

	no_injection(t);
	KTEST_ASSERT_EQ(t, vfs_mkdir("/t_smp", 0755), 0);
	for (int i = 0; i < 8; i++) {
		w[i] = (struct smp_worker){ i, 0 };
		th[i] = kthread_run(smp_worker_fn, &w[i], "fs-smp-%d", i);
		KTEST_ASSERT_NOT_NULL(t, th[i]);
	}
	for (int i = 0; i < 8; i++) {
		kthread_join(th[i]);
		KTEST_EXPECT_EQ(t, w[i].bad, 0);
	}
	KTEST_EXPECT_EQ(t, vfs_rmdir("/t_smp"), 0); /* every file was removed */
}

/* Booted with tests/fs/mkcpio.py's archive as the first boot module (QEMU
 * -initrd or GRUB module2): its entries are in the root, its pages went
 * back to the allocator. Without a module there is nothing to check. */
/* mkcpio.py --ballast: the first, middle and last page read back (byte j of
 * page k is (k + j) & 0xff), so an archive that filled 0..24 MB arrived whole. */
static void check_ballast(struct ktest *t)
{
	struct file *f = filp_open("/t_boot/ballast", O_RDONLY, 0);

	if (IS_ERR(f))
		return; /* the plain archive */
	unsigned long n = (unsigned long)(i_size_read(file_inode(f)) >> PAGE_SHIFT);
	unsigned long pick[3] = { 0, n / 2, n - 1 };
	KTEST_EXPECT_GE(t, n, 1UL);
	for (int i = 0; i < 3 && n; i++) {
		struct page *p = read_mapping_page(file_mapping(f), pick[i]);
		if (IS_ERR(p)) {
			KTEST_FAIL(t, "ballast page %lu: error %ld", pick[i], PTR_ERR(p));
			continue;
		}
		u8 *b = kmap_local_page(p);
		unsigned bad = 0;
		for (unsigned j = 0; j < PAGE_SIZE; j++)
			bad += b[j] != (u8)(pick[i] + j);
		kunmap_local(b);
		put_page(p);
		KTEST_EXPECT_EQ(t, bad, 0u);
	}
	pr_info("# fs_boot_initramfs: ballast of %lu pages checked\n", n);
	fput(f);
}

static void fs_boot_initramfs(struct ktest *t)
{
	static char buf[3 * PAGE_SIZE + 200];
	const struct boot_module *m = &boot_info.modules[0];
	bool ok = true;

	if (!boot_info.nr_modules)
		KTEST_SKIP(t, "no boot module (tests/fs/mkcpio.py with -initrd or module2)");
	no_injection(t);
	KTEST_EXPECT_EQ(t, slurp("/t_boot/hello", buf, sizeof(buf)), 25);
	KTEST_EXPECT_STREQ(t, buf, "hello from the initramfs\n");
	KTEST_EXPECT_EQ(t, slurp("/t_boot/link", buf, sizeof(buf)), 25);
	KTEST_EXPECT_EQ(t, slurp("/t_boot/pages", buf, sizeof(buf)), 3 * PAGE_SIZE + 100);
	for (unsigned i = 0; i < 3 * PAGE_SIZE + 100; i++)
		ok &= (u8)buf[i] == (u8)(i * 7 + 3);
	KTEST_EXPECT_TRUE(t, ok);
	struct file *f = filp_open("/t_boot/pages", O_RDONLY, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	KTEST_EXPECT_EQ(t, inode_mode(file_inode(f)), 0100600);
	struct page *p = read_mapping_page(file_mapping(f), 2);
	KTEST_ASSERT_TRUE(t, !IS_ERR(p));
	KTEST_EXPECT_EQ(t, !!PageHighMem(p), !!totalhigh_pages());
	put_page(p);
	fput(f);
	f = filp_open("/t_boot/sub", O_RDONLY | O_DIRECTORY, 0);
	KTEST_EXPECT_FALSE(t, IS_ERR(f));
	if (!IS_ERR(f))
		fput(f);
	/* the module's whole pages are no longer reserved: the allocator has them */
	unsigned long s = ALIGN_UP((unsigned long)m->start, PAGE_SIZE) >> PAGE_SHIFT;
	unsigned long e = (unsigned long)m->end >> PAGE_SHIFT;
	KTEST_EXPECT_GT(t, e, s);
	for (unsigned long pfn = s; pfn < e; pfn++)
		if (PageReserved(pfn_to_page(pfn))) {
			KTEST_FAIL(t, "pfn %#lx of the module is still reserved", pfn);
			break;
		}
	pr_info("# fs_boot_initramfs: module [%#x-%#x] %s\n", m->start, m->end - 1,
		PageHighMem(pfn_to_page(s)) ? "in HighMem" : "in lowmem");
	check_ballast(t);
}

static struct ktest_case fs_cases[] = {
	KTEST_CASE(fs_initramfs_unpack),
	KTEST_CASE(fs_read_write_truncate),
	KTEST_CASE(fs_page_cache_highmem),
	KTEST_CASE(fs_paths),
	KTEST_CASE(fs_getdents_stat_lseek),
	KTEST_CASE(fs_smp_workers),
	KTEST_CASE(fs_boot_initramfs),
	{ 0 },
};
KTEST_SUITE(fs, fs_cases);
