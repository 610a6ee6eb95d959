/* test_vfs.c - hosted tests of the path walk and the RAM filesystem
 * (fs/namei.c, fs/inode.c, fs/file.c, fs/ops.c) on the simulated machine:
 * the symlink limit exactly (40 followed, the 41st is ELOOP), name and
 * path length limits, "." and "..", trailing slashes, and the page cache:
 * HighMem pages, holes, truncation, and every page back to the allocator
 * once the files are gone. No task runs here: relative paths start at
 * the root, or at the base a test passes to path_walk. */
#include "htest.h"
#include "mm.h"
#include "sim_mm.h"
#include "slab.h"
#include "../../fs/internal.h"

static void vfs_boot(void)
{
	sim_boot(&sim_holes);
	kmem_cache_init();
	CHECK_EQ(init_rootfs(), 0);
	htest_log_clear();
}

static void shrink_one(struct kmem_cache *s, void *arg) { kmem_cache_shrink(s); }

/* Free pages with the per-CPU lists drained and empty slabs given back. */
static unsigned long free_now(void)
{
	kmem_cache_for_each(shrink_one, NULL);
	drain_all_pages();
	return nr_free_pages();
}

static int walk(const char *path, unsigned flags, struct dentry *base, struct dentry **out)
{
	struct nameidata nd;
	int err;

	vfs_lock();
	err = path_walk(path, flags, base, &nd);
	vfs_unlock();
	*out = nd.dentry; /* the tree holds it: the test's reference is dropped below */
	if (!err) {
		vfs_lock();
		dput(nd.dentry);
		vfs_unlock();
	}
	return err;
}

static long write_file(const char *path, const void *data, size_t n, loff_t at)
{
	struct file *f = filp_open(path, O_WRONLY | O_CREAT, 0644);
	long r;

	if (IS_ERR(f))
		return PTR_ERR(f);
	r = kernel_write(f, data, n, &at);
	fput(f);
	return r;
}

HTEST(vfs_symlink_limit_is_40)
{
	char name[16], target[16];
	struct dentry *d;

	vfs_boot();
	CHECK_EQ(write_file("/end", "x", 1, 0), 1);
	/* /l0 -> /end, /l1 -> /l0, ..., /l40 -> /l39 */
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "/l%d", i);
		snprintf(target, sizeof(target), i ? "l%d" : "/end", i - 1);
		CHECK_EQ(vfs_symlink(target, name), 0);
	}
	CHECK_EQ(walk("/l39", LOOKUP_FOLLOW, NULL, &d), 0); /* 40 links */
	CHECK_STREQ(d ? d->d_name : "(no dentry)", "end");
	CHECK_EQ(walk("/l40", LOOKUP_FOLLOW, NULL, &d), -ELOOP); /* 41 */
	CHECK_EQ(walk("/l40", 0, NULL, &d), 0); /* not followed: the link itself */
	CHECK_STREQ(d ? d->d_name : "(no dentry)", "l40");
	CHECK_EQ(vfs_symlink("self", "/self"), 0);
	CHECK_EQ(walk("/self/x", 0, NULL, &d), -ELOOP); /* in the middle: always followed */
}

HTEST(vfs_dots_slashes_and_lengths)
{
	static char longname[300], longpath[PATH_MAX + 10];
	struct dentry *d, *a;

	vfs_boot();
	CHECK_EQ(vfs_mkdir("/a", 0755), 0);
	CHECK_EQ(vfs_mkdir("/a/b", 0755), 0);
	CHECK_EQ(write_file("/a/b/f", "data", 4, 0), 4);
	CHECK_EQ(walk("/a", 0, NULL, &a), 0);
	CHECK_EQ(walk("b/f", 0, a, &d), 0); /* relative to a base */
	CHECK_STREQ(d ? d->d_name : "(no dentry)", "f");
	CHECK_EQ(walk("./b/./../b//f", 0, a, &d), 0);
	CHECK_STREQ(d ? d->d_name : "(no dentry)", "f");
	CHECK_EQ(walk("/../../a/..", 0, NULL, &d), 0); /* ".." stops at the root */
	CHECK(d == root_dentry);
	CHECK_EQ(walk("///", 0, NULL, &d), 0);
	CHECK(d == root_dentry);
	CHECK_EQ(walk("/a/b/", 0, NULL, &d), 0);
	CHECK_EQ(walk("/a/b/f/", 0, NULL, &d), -ENOTDIR);
	CHECK_EQ(walk("/a/b/f/..", 0, NULL, &d), -ENOTDIR);
	CHECK_EQ(walk("/a/b/f", LOOKUP_DIRECTORY, NULL, &d), -ENOTDIR);
	CHECK_EQ(walk("/a/x/f", 0, NULL, &d), -ENOENT);
	CHECK_EQ(walk("", 0, NULL, &d), -ENOENT);
	memset(longname, 'n', 256);
	longname[0] = '/';
	CHECK_EQ(walk(longname, 0, NULL, &d), -ENOENT); /* 255 characters: allowed, absent */
	longname[256] = 'n';
	CHECK_EQ(walk(longname, 0, NULL, &d), -ENAMETOOLONG); /* 256 */
	CHECK_EQ(vfs_mkdir(longname, 0755), -ENAMETOOLONG);
	for (size_t i = 0; i < PATH_MAX; i += 2)
		memcpy(longpath + i, "/.", 2);
	CHECK_EQ(walk(longpath, 0, NULL, &d), -ENAMETOOLONG); /* PATH_MAX with its NUL */
	longpath[PATH_MAX - 1] = '\0';
	CHECK_EQ(walk(longpath, 0, NULL, &d), 0);
	/* mkdir of what exists, of "." and of the root */
	CHECK_EQ(vfs_mkdir("/a", 0755), -EEXIST);
	CHECK_EQ(vfs_mkdir("/a/.", 0755), -EEXIST);
	CHECK_EQ(vfs_mkdir("/", 0755), -EEXIST);
	CHECK_EQ(vfs_rmdir("/a/b"), -ENOTEMPTY);
	CHECK_EQ(vfs_unlink("/a/b/f"), 0);
	CHECK_EQ(vfs_rmdir("/a/b"), 0);
	CHECK_EQ(walk("b", 0, a, &d), -ENOENT);
}

HTEST(vfs_page_cache_highmem_and_freed)
{
	static char buf[3 * PAGE_SIZE];

	vfs_boot();
	/* the first file, directory and slab pages settle before the count */
	CHECK_EQ(vfs_mkdir("/d", 0755), 0);
	CHECK_EQ(write_file("/d/warm", "w", 1, 0), 1);
	CHECK_EQ(vfs_unlink("/d/warm"), 0);
	unsigned long free = free_now(), high = nr_free_highpages();

	memset(buf, 0xab, sizeof(buf));
	CHECK_EQ(write_file("/d/f", buf, sizeof(buf), 0), (long)sizeof(buf));
	CHECK_EQ(write_file("/d/f", "z", 1, 10 * PAGE_SIZE), 1); /* a hole: pages 3-9 */
	struct file *f = filp_open("/d/f", O_RDONLY, 0);
	CHECK(!IS_ERR(f));
	struct address_space *m = file_mapping(f);
	CHECK_EQ(m->nrpages, 4);
	for (pgoff_t i = 0; i < m->nr_slots; i++)
		if (m->i_pages[i])
			CHECK(PageHighMem(m->i_pages[i]));
	drain_all_pages();
	CHECK_EQ(nr_free_highpages(), high - 4);
	loff_t pos = 5 * PAGE_SIZE;
	CHECK_EQ(kernel_read(f, buf, 16, &pos), 16);
	CHECK_EQ(buf[0] | buf[15], 0); /* the hole reads as zeros, and gets no page */
	CHECK_EQ(m->nrpages, 4);
	struct page *p = read_mapping_page(m, 6); /* ... unless asked for its page */
	CHECK(!IS_ERR(p));
	CHECK_EQ(m->nrpages, 5);
	put_page(p);
	fput(f);
	CHECK_EQ(vfs_truncate("/d/f", PAGE_SIZE + 1), 0);
	CHECK_EQ(m->nrpages, 2);
	CHECK_EQ(vfs_unlink("/d/f"), 0); /* closed and unlinked: inode and pages go */
	CHECK_EQ(free_now(), free); /* every page back: page cache, index, inode, dentry */
	CHECK_EQ(nr_free_highpages(), high);
}
