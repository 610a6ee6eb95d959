/* test_vfs_rename.c - hosted tests of rename and hard links in the RAM
 * filesystem (fs/rename.c) on the simulated machine: Linux's rules for an
 * existing target (file over file, empty directory over directory, the
 * kind mismatches, ENOTEMPTY), a directory into itself (EINVAL), "." and
 * ".." (EBUSY), RENAME_NOREPLACE, the directories' link counts, an open
 * file that keeps its pages across a rename, and a file with two names
 * whose inode and HighMem pages go only with the last name. */
#include "htest.h"
#include "mm.h"
#include "sim_mm.h"
#include "slab.h"
#include "../../fs/internal.h"

static void shrink_one(struct kmem_cache *s, void *arg) { kmem_cache_shrink(s); }

static unsigned long free_now(void)
{
	kmem_cache_for_each(shrink_one, NULL);
	drain_all_pages();
	return nr_free_pages();
}

static void boot(void)
{
	sim_boot(&sim_holes);
	kmem_cache_init();
	CHECK_EQ(init_rootfs(), 0);
	htest_log_clear();
}

static long put(const char *path, const char *data)
{
	struct file *f = filp_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	loff_t at = 0;
	long r;

	if (IS_ERR(f))
		return PTR_ERR(f);
	r = kernel_write(f, data, strlen(data), &at);
	fput(f);
	return r;
}

/* The file's first bytes as a string ("" if it cannot be opened). */
static const char *get(const char *path)
{
	static char buf[64];
	struct file *f = filp_open(path, O_RDONLY, 0);
	loff_t at = 0;

	buf[0] = '\0';
	if (IS_ERR(f))
		return buf;
	long n = kernel_read(f, buf, sizeof(buf) - 1, &at);
	buf[n > 0 ? n : 0] = '\0';
	fput(f);
	return buf;
}

static unsigned nlink_of(const char *path)
{
	struct nameidata nd;
	unsigned n = 0;

	vfs_lock();
	if (!path_walk(path, 0, NULL, &nd)) {
		n = nd.dentry->d_inode->i_nlink;
		dput(nd.dentry);
	}
	vfs_unlock();
	return n;
}

HTEST(vfs_rename_rules)
{
	boot();
	CHECK_EQ(vfs_mkdir("/a", 0755), 0);
	CHECK_EQ(vfs_mkdir("/b", 0755), 0);
	CHECK_EQ(put("/a/f", "one"), 3);
	CHECK_EQ(put("/a/g", "two"), 3);
	/* a file replaces a file: the old target's contents are gone */
	CHECK_EQ(vfs_rename("/a/f", "/a/g", 0), 0);
	CHECK_STREQ(get("/a/g"), "one");
	CHECK_EQ(vfs_unlink("/a/f"), -ENOENT);
	/* across directories, and the directories' link counts follow a moved directory */
	CHECK_EQ(vfs_mkdir("/a/sub", 0755), 0);
	CHECK_EQ(nlink_of("/a"), 3);
	CHECK_EQ(vfs_rename("/a/sub", "/b/sub2", 0), 0);
	CHECK_EQ(nlink_of("/a"), 2);
	CHECK_EQ(nlink_of("/b"), 3);
	/* kinds must match; a non-empty directory is not replaced */
	CHECK_EQ(vfs_rename("/a/g", "/b/sub2", 0), -EISDIR);
	CHECK_EQ(vfs_rename("/b/sub2", "/a/g", 0), -ENOTDIR);
	CHECK_EQ(vfs_mkdir("/b/full", 0755), 0);
	CHECK_EQ(put("/b/full/x", "x"), 1);
	CHECK_EQ(vfs_rename("/b/sub2", "/b/full", 0), -ENOTEMPTY);
	CHECK_EQ(vfs_unlink("/b/full/x"), 0);
	CHECK_EQ(vfs_rename("/b/sub2", "/b/full", 0), 0); /* now empty: replaced */
	CHECK_EQ(nlink_of("/b"), 3);
	/* a directory cannot go below itself; dots and missing names */
	CHECK_EQ(vfs_mkdir("/b/full/in", 0755), 0);
	CHECK_EQ(vfs_rename("/b/full", "/b/full/in/x", 0), -EINVAL);
	CHECK_EQ(vfs_rename("/b/full", "/b/full", 0), 0); /* the same name: nothing to do */
	CHECK_EQ(vfs_rename("/b/.", "/a/z", 0), -EBUSY);
	CHECK_EQ(vfs_rename("/a/nothing", "/a/z", 0), -ENOENT);
	CHECK_EQ(vfs_rename("/a/g", "/nodir/z", 0), -ENOENT);
	/* RENAME_NOREPLACE (1); other flags are refused */
	CHECK_EQ(put("/a/h", "h"), 1);
	CHECK_EQ(vfs_rename("/a/h", "/a/g", 1), -EEXIST);
	CHECK_EQ(vfs_rename("/a/h", "/a/g", 2), -EINVAL);
	CHECK_STREQ(get("/a/g"), "one");
}

HTEST(vfs_rename_open_file_keeps_its_pages)
{
	boot();
	CHECK_EQ(put("/f", "contents"), 8);
	struct file *f = filp_open("/f", O_RDONLY, 0);
	CHECK(!IS_ERR(f));
	CHECK_EQ(vfs_mkdir("/d", 0755), 0);
	CHECK_EQ(vfs_rename("/f", "/d/renamed", 0), 0);
	char buf[16] = "";
	loff_t at = 0;
	CHECK_EQ(kernel_read(f, buf, 8, &at), 8);
	CHECK(!memcmp(buf, "contents", 8));
	fput(f);
	CHECK_STREQ(get("/d/renamed"), "contents");
}

HTEST(vfs_hard_link_last_name_frees)
{
	static char big[2 * PAGE_SIZE];

	boot();
	CHECK_EQ(put("/warm", "w"), 1); /* first allocations settle before the count */
	CHECK_EQ(vfs_link("/warm", "/warm2"), 0);
	CHECK_EQ(vfs_unlink("/warm"), 0);
	CHECK_EQ(vfs_unlink("/warm2"), 0);
	unsigned long free = free_now(), high = nr_free_highpages();

	memset(big, 'L', sizeof(big));
	struct file *f = filp_open("/one", O_WRONLY | O_CREAT, 0644);
	loff_t at = 0;
	CHECK(!IS_ERR(f));
	CHECK_EQ(kernel_write(f, big, sizeof(big), &at), (long)sizeof(big));
	fput(f);
	CHECK_EQ(vfs_link("/one", "/two"), 0);
	CHECK_EQ(nlink_of("/one"), 2);
	CHECK_EQ(vfs_link("/one", "/two"), -EEXIST);
	CHECK_EQ(vfs_mkdir("/dir", 0755), 0);
	CHECK_EQ(vfs_link("/dir", "/dir2"), -EPERM); /* no links to directories */
	CHECK_EQ(vfs_rmdir("/dir"), 0);
	CHECK_EQ(vfs_unlink("/one"), 0);
	CHECK_EQ(nlink_of("/two"), 1);
	CHECK_EQ(get("/two")[0], 'L'); /* the other name still has the data */
	drain_all_pages();
	CHECK(nr_free_highpages() <= high - 2); /* its two HighMem pages are still there */
	CHECK_EQ(vfs_unlink("/two"), 0);
	CHECK_EQ(free_now(), free); /* the last name: inode, pages, dentries all back */
	CHECK_EQ(nr_free_highpages(), high);
}
