/* swapfile_test.c - swap areas on a real (QEMU IDE) disk: swapon of the
 * image util-linux's mkswap made, /proc/swaps, the slot counts, the
 * allocator until the area is full, a HighMem page written to its slot and
 * read back, swapoff, headers that must be refused (written onto a scratch
 * disk), priorities of two areas, and a disk error injected by QEMU.
 *
 * The disks come from tools/test-matrix's swap jobs (tools/qemu-run --disk):
 * sda a mkswap'd image (swapon=/dev/sda on the command line, or turned on
 * here), sdb a scratch image whose contents these tests overwrite. Without
 * them (ktest=all in the other jobs) the cases skip, saying what is missing.
 * swaptest_bad_slot=N: QEMU fails every I/O on slot N of sda (blkdebug).
 */
#include "blkdev.h"
#include "fs.h"
#include "err.h"
#include "cmdline.h"
#include "errno.h"
#include "highmem.h"
#include "kstring.h"
#include "highmem_test_util.h"
#include "ktest.h"
#include "mm.h"
#include "arch.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "proc_fs.h"
#include "slab.h"
#include "swap.h"
#include "vmalloc.h"
#include "vmstat.h"

static struct block_device *disk(const char *name)
{
	for (unsigned i = 0; i < blkdev_count(); i++) {
		struct block_device *b = blkdev_nth(i);

		if (b && !strcmp(b->bd_name, name))
			return b;
	}
	return NULL;
}

/* sda's swap area, turned on if it is not yet; NULL: skip (reason in *why). */
static struct swap_info_struct *sda_area(struct ktest *t)
{
	struct block_device *b = disk("sda");

	if (!b)
		return NULL;
	if (!b->bd_holder && do_swapon("/dev/sda", 0)) {
		KTEST_FAIL(t, "swapon /dev/sda failed: is it an mkswap'd image?");
		return NULL;
	}
	return b->bd_holder;
}

#define NEED_SDA(t, si)                                                              \
	struct swap_info_struct *si = sda_area(t);                                    \
	if (!si) {                                                                    \
		if (!(t)->failed)                                                     \
			KTEST_SKIP(t, "no /dev/sda: boot with tools/qemu-run --disk IMG"); \
		return;                                                               \
	}

/* The first place needle occurs in hay, or NULL (the kernel has no strstr). */
static const char *find_str(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return NULL;
}

/* The log's newest bytes contain s. */
static bool logged(const char *s)
{
	static char tail[4096];

	log_read_tail(tail, sizeof(tail));
	return find_str(tail, s) != NULL;
}

static void test_swapon_of_the_mkswap_image(struct ktest *t)
{
	NEED_SDA(t, si);
	struct block_device *b = disk("sda");
	u64 pages = b->nr_sectors / 8;

	KTEST_EXPECT_TRUE(t, si->bdev == b);
	KTEST_EXPECT_STREQ(t, si->name, "/dev/sda");
	KTEST_EXPECT_EQ(t, si->max, pages);          /* mkswap: last_page = pages - 1 */
	KTEST_EXPECT_EQ(t, si->pages, pages - 1);    /* every page but the header */
	KTEST_EXPECT_EQ(t, si->swap_map[0], SWAP_MAP_BAD);
	KTEST_EXPECT_GE(t, total_swap_pages, (long)si->pages);
	KTEST_EXPECT_LE(t, nr_swap_pages, total_swap_pages);
	KTEST_EXPECT_EQ(t, si->prio, -2); /* the first area without -p */
	KTEST_EXPECT_TRUE(t, si->flags & SWP_WRITEOK);
}

static void test_proc_swaps_linux_format(struct ktest *t)
{
	NEED_SDA(t, si);
	struct seq_file m = { 0 };
	char want[160];

	swap_show(&m);
	KTEST_ASSERT_NOT_NULL(t, m.buf);
	snprintf(want, sizeof(want),
		 "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
		 "/dev/sda                                partition\t%u\t\t%u\t\t-2\n",
		 si->pages * 4, swap_inuse_pages(si->type) * 4);
	KTEST_EXPECT_STREQ(t, m.buf, want);
	if (si->pages == 196607) /* the 768 MB image: the figures of issue 16 */
		KTEST_EXPECT_TRUE(t, find_str(m.buf, "partition\t786428\t\t") != NULL);
	seq_release_buf(&m);
}

static void test_slot_counts(struct ktest *t)
{
	NEED_SDA(t, si);
	long free0 = nr_swap_pages;
	swp_entry_t e = get_swap_page();

	KTEST_ASSERT_NE(t, e.val, 0);
	KTEST_EXPECT_EQ(t, swp_type(e), si->type);
	KTEST_EXPECT_EQ(t, __swap_count(e), 1);
	KTEST_EXPECT_EQ(t, nr_swap_pages, free0 - 1);
	KTEST_EXPECT_EQ(t, swap_duplicate(e), 0);
	KTEST_EXPECT_EQ(t, __swap_count(e), 2);
	/* Past the byte: 100 users, the count continued in the overflow list. */
	for (int i = 2; i < 100; i++)
		KTEST_ASSERT_EQ(t, swap_duplicate(e), 0);
	KTEST_EXPECT_EQ(t, __swap_count(e), 100);
	KTEST_EXPECT_EQ(t, si->swap_map[swp_offset(e)], SWAP_MAP_MAX | COUNT_CONTINUED);
	for (int i = 100; i > 1; i--)
		swap_free(e);
	KTEST_EXPECT_EQ(t, __swap_count(e), 1);
	KTEST_EXPECT_EQ(t, nr_swap_pages, free0 - 1);
	swap_free(e);
	KTEST_EXPECT_EQ(t, __swap_count(e), 0);
	KTEST_EXPECT_EQ(t, nr_swap_pages, free0);
	/* Misuse: said, nothing changes. */
	swap_free(e);
	KTEST_EXPECT_TRUE(t, logged("swap_free: Unused swap offset entry"));
	KTEST_EXPECT_EQ(t, swap_duplicate(e), -EINVAL);
	KTEST_EXPECT_EQ(t, swap_duplicate(swp_entry(si->type, si->max)), -EINVAL);
	KTEST_EXPECT_TRUE(t, logged("Bad swap offset entry"));
	KTEST_EXPECT_EQ(t, swap_duplicate(swp_entry(MAX_SWAPFILES - 1, 1)), -EINVAL);
	KTEST_EXPECT_EQ(t, nr_swap_pages, free0);
}

/* Every free slot once, then none: -ENOSPC's equivalent, .val 0. */
static void test_get_swap_page_until_full(struct ktest *t)
{
	NEED_SDA(t, si);
	long free0 = nr_swap_pages;
	unsigned n = 0, dups = 0;
	swp_entry_t *got = vmalloc((unsigned long)(free0 + 1) * sizeof(*got));
	u32 *seen = vzalloc((si->max + 31) / 32 * 4);

	if (!got || !seen) {
		vfree(got);
		vfree(seen);
		KTEST_ALLOC_FAILED(t, "the entry arrays");
	}
	u64 t0 = arch_clock_ns();
	for (swp_entry_t e; (e = get_swap_page()).val && n <= (unsigned)free0;) {
		unsigned off = (unsigned)swp_offset(e);

		got[n++] = e;
		if (swp_type(e) != si->type || off == 0 || off >= si->max ||
		    (seen[off / 32] & (1u << (off % 32))))
			dups++;
		else
			seen[off / 32] |= 1u << (off % 32);
	}
	u64 ns = arch_clock_ns() - t0;
	console_printf("    # swapfile: %u slots taken in %llu us (%llu ns each, checks included)\n",
		       n, ns / 1000, n ? ns / n : 0);
	KTEST_EXPECT_EQ(t, n, free0);
	KTEST_EXPECT_EQ(t, dups, 0);
	KTEST_EXPECT_EQ(t, nr_swap_pages, 0);
	KTEST_EXPECT_EQ(t, get_swap_page().val, 0);
	KTEST_EXPECT_EQ(t, swap_inuse_pages(si->type), si->pages);
	for (unsigned i = 0; i < n; i++)
		swap_free(got[i]);
	KTEST_EXPECT_EQ(t, nr_swap_pages, free0);
	vfree(got);
	vfree(seen);
}

static void fill(struct page *pg, u32 seed)
{
	u32 *v = kmap_local_page(pg);

	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		v[i] = seed ^ (i * 0x9e3779b1u);
	kunmap_local(v);
}

static unsigned mismatches(struct page *pg, u32 seed)
{
	u32 *v = kmap_local_page(pg);
	unsigned bad = 0;

	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		bad += v[i] != (seed ^ (i * 0x9e3779b1u));
	kunmap_local(v);
	return bad;
}

static void clear_page_of(struct page *pg)
{
	void *v = kmap_local_page(pg);

	memset(v, 0, PAGE_SIZE);
	kunmap_local(v);
}

static void test_writepage_readpage_highmem(struct ktest *t)
{
	NEED_SDA(t, si);
	struct page *pg = ktest_block_above_4g(); /* its first page is the one swapped */
	KTEST_ASSERT_ALLOC(t, pg);
	swp_entry_t e = get_swap_page();
	u32 seed = 0x5a5a0000u ^ (u32)page_to_pfn(pg);
	unsigned long out0 = global_vm_event(PSWPOUT), in0 = global_vm_event(PSWPIN);
	unsigned long pgout0 = global_vm_event(PGPGOUT), pgin0 = global_vm_event(PGPGIN);

	if (max_pfn > 0x100000)
		KTEST_EXPECT_GE(t, page_to_pfn(pg), 0x100000); /* above 4 GB: PAE's reach */
	if (!e.val) {
		__free_pages(pg, KTEST_HIGH_ORDER);
		KTEST_FAIL(t, "no free swap slot");
		return;
	}
	fill(pg, seed);
	pg->private = (u32)e.val;
	SetPageLocked(pg);
	SetPageSwapCache(pg);
	SetPageDirty(pg);
	KTEST_EXPECT_EQ(t, swap_writepage(pg), 0);
	KTEST_EXPECT_FALSE(t, PageDirty(pg));
	KTEST_EXPECT_FALSE(t, PageWriteback(pg));
	KTEST_EXPECT_EQ(t, global_vm_event(PSWPOUT), out0 + 1);
	KTEST_EXPECT_EQ(t, global_vm_event(PGPGOUT), pgout0 + 4);
	/* On the disk at offset * 8 sectors, byte for byte. */
	u32 *raw = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (raw) {
		KTEST_EXPECT_EQ(t, bdev_rw(si->bdev, (u64)swp_offset(e) * 8, 8, raw, false), 0);
		KTEST_EXPECT_EQ(t, raw[7], seed ^ (7 * 0x9e3779b1u));
		kfree(raw);
	}
	clear_page_of(pg);
	ClearPageUptodate(pg);
	KTEST_EXPECT_EQ(t, swap_readpage(pg), 0);
	KTEST_EXPECT_TRUE(t, PageUptodate(pg));
	KTEST_EXPECT_EQ(t, mismatches(pg, seed), 0);
	KTEST_EXPECT_EQ(t, global_vm_event(PSWPIN), in0 + 1);
	KTEST_EXPECT_EQ(t, global_vm_event(PGPGIN), pgin0 + 4);
	/* A page whose private names no slot in use is refused, untouched. */
	swap_free(e);
	KTEST_EXPECT_EQ(t, swap_readpage(pg), -EINVAL);
	pg->private = KTEST_HIGH_ORDER; /* a block's head keeps its order there for the free */
	ClearPageLocked(pg);
	ClearPageSwapCache(pg);
	ClearPageUptodate(pg);
	__free_pages(pg, KTEST_HIGH_ORDER);
}

/* 64 pages of a block (above 4 GB where there is RAM there) out to 64 slots
 * and back: the data, and the cost per page each way (PIO under QEMU, so
 * mostly emulation: a figure to compare runs, not disks). */
static void test_page_io_figures(struct ktest *t)
{
	NEED_SDA(t, si);
	struct page *blk = ktest_block_above_4g();
	swp_entry_t e[64];
	unsigned bad = 0, n = 0;

	KTEST_ASSERT_ALLOC(t, blk);
	while (n < 64 && (e[n] = get_swap_page()).val)
		n++;
	KTEST_EXPECT_EQ(t, n, 64);
	for (unsigned i = 0; i < n; i++) {
		fill(blk + i, 0xc0de0000u + i);
		blk[i].private = (u32)e[i].val;
	}
	u64 t0 = arch_clock_ns();
	for (unsigned i = 0; i < n; i++)
		bad += swap_writepage(blk + i) != 0;
	u64 t1 = arch_clock_ns();
	for (unsigned i = 0; i < n; i++) {
		clear_page_of(blk + i);
		bad += swap_readpage(blk + i) != 0;
	}
	u64 t2 = arch_clock_ns();
	for (unsigned i = 0; i < n; i++) {
		bad += mismatches(blk + i, 0xc0de0000u + i) != 0;
		blk[i].private = 0;
		blk[i].flags &= ~(1u << PG_uptodate);
		swap_free(e[i]);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	if (n)
		console_printf("    # swapfile: page I/O, pfn %#lx..: write %llu us/page, read %llu us/page\n",
			       page_to_pfn(blk), (t1 - t0) / 1000 / n, (t2 - t1 - 0) / 1000 / n);
	blk->private = KTEST_HIGH_ORDER; /* the head's order, which the free checks */
	__free_pages(blk, KTEST_HIGH_ORDER);
}

static void test_swapoff_and_on_again(struct ktest *t)
{
	NEED_SDA(t, si);
	long total0 = total_swap_pages, free0 = nr_swap_pages;
	unsigned pages = si->pages;
	swp_entry_t e = get_swap_page();

	KTEST_ASSERT_NE(t, e.val, 0);
	/* A slot in use: refused until try_to_unuse is linked in, nothing lost. */
	KTEST_EXPECT_EQ(t, do_swapoff("/dev/sda"), -EBUSY);
	KTEST_EXPECT_TRUE(t, si->flags & SWP_WRITEOK);
	KTEST_EXPECT_EQ(t, __swap_count(e), 1);
	KTEST_EXPECT_EQ(t, nr_swap_pages, free0 - 1);
	swap_free(e);
	if (swap_inuse_pages(si->type))
		KTEST_SKIP(t, "other users hold slots on sda: swapoff would be refused");
	KTEST_EXPECT_EQ(t, do_swapoff("/dev/sda"), 0);
	KTEST_EXPECT_EQ(t, total_swap_pages, total0 - (long)pages);
	KTEST_EXPECT_EQ(t, nr_swap_pages, free0 - (long)pages);
	KTEST_EXPECT_TRUE(t, disk("sda")->bd_holder == NULL);
	KTEST_EXPECT_EQ(t, do_swapoff("/dev/sda"), -EINVAL);
	KTEST_EXPECT_EQ(t, do_swapon("/dev/sda", 0), 0);
	si = disk("sda")->bd_holder;
	KTEST_ASSERT_NOT_NULL(t, si);
	KTEST_EXPECT_EQ(t, si->prio, -2); /* the default priorities moved back */
	KTEST_EXPECT_EQ(t, total_swap_pages, total0);
	KTEST_EXPECT_EQ(t, nr_swap_pages, free0);
	KTEST_EXPECT_TRUE(t, logged("Adding 786428k swap on /dev/sda.  Priority:-2 extents:1 "
				    "across:786428k") || pages != 196607);
	KTEST_EXPECT_EQ(t, do_swapon("/dev/sda", 0), -EBUSY);
	KTEST_EXPECT_EQ(t, do_swapon("/dev/null", 0), -EINVAL); /* not a block device */
	KTEST_EXPECT_EQ(t, do_swapon("/nonexistent", 0), -ENOENT);
}

/* ---- headers, on the scratch disk sdb ---- */

#define NEED_SDB(t, b)                                                               \
	struct block_device *b = disk("sdb");                                         \
	if (!b)                                                                       \
		KTEST_SKIP(t, "no /dev/sdb scratch disk: tools/qemu-run --disk IMG --disk IMG2");

static void put32(u8 *p, u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (u8)(v >> (8 * i));
}

/* A header page as mkswap writes it: last_page, bad pages, magic at page_size - 10. */
static void make_header(u8 *h, size_t len, u32 version, u32 last_page, const u32 *bad,
			unsigned nbad, unsigned page_size, const char *magic)
{
	memset(h, 0, len);
	put32(h + 1024, version);
	put32(h + 1028, last_page);
	put32(h + 1032, nbad);
	for (unsigned i = 0; i < nbad; i++)
		put32(h + 1536 + 4 * i, bad[i]);
	memcpy(h + page_size - 10, magic, 10);
}

/* Write the header, swapon /dev/sdb: its answer, and whether msg was logged. */
static int try_header(struct ktest *t, struct block_device *b, u8 *h, size_t len, const char *msg)
{
	KTEST_EXPECT_EQ(t, bdev_rw(b, 0, (unsigned)(len / 512), h, true), 0);
	int r = do_swapon("/dev/sdb", 0);
	if (msg && !logged(msg))
		KTEST_FAIL(t, "swapon /dev/sdb returned %d without saying '%s'", r, msg);
	if (r == 0)
		do_swapoff("/dev/sdb");
	return r;
}

static void test_bad_headers_refused(struct ktest *t)
{
	NEED_SDB(t, b);
	const size_t len = 16384;
	u8 *h = kmalloc(len, GFP_KERNEL);
	u32 dev_pages = (u32)(b->nr_sectors / 8);
	long total0 = total_swap_pages;
	static const u32 bad[] = { 3, 7 }, outside[] = { 3, 100000000 };

	KTEST_ASSERT_ALLOC(t, h);
	memset(h, 0, len); /* a zeroed disk */
	KTEST_EXPECT_EQ(t, try_header(t, b, h, len, "Unable to find swap-space signature"), -EINVAL);
	make_header(h, len, 1, 100, NULL, 0, 4096, "SWAP-SPACE");
	KTEST_EXPECT_EQ(t, try_header(t, b, h, len, "an old version 0 swap area"), -EINVAL);
	make_header(h, len, 1, 100, NULL, 0, 8192, "SWAPSPACE2");
	KTEST_EXPECT_EQ(t, try_header(t, b, h, len, "made for 8192-byte pages"), -EINVAL);
	make_header(h, len, 2, 100, NULL, 0, 4096, "SWAPSPACE2");
	KTEST_EXPECT_EQ(t, try_header(t, b, h, len, "Unable to handle swap header version 2"),
			-EINVAL);
	make_header(h, len, 1, 0, NULL, 0, 4096, "SWAPSPACE2");
	KTEST_EXPECT_EQ(t, try_header(t, b, h, len, "Empty swap-file"), -EINVAL);
	/* A truncated image: the header says more pages than the disk has. */
	make_header(h, len, 1, dev_pages, NULL, 0, 4096, "SWAPSPACE2");
	KTEST_EXPECT_EQ(t, try_header(t, b, h, len, "Swap area shorter than signature indicates"),
			-EINVAL);
	make_header(h, len, 1, 100, outside, 2, 4096, "SWAPSPACE2");
	KTEST_EXPECT_EQ(t, try_header(t, b, h, len, "is outside the area's pages 1..100"), -EINVAL);
	make_header(h, len, 1, 100, NULL, 0, 4096, "SWAPSPACE2");
	put32(h + 1032, 638);
	KTEST_EXPECT_EQ(t, try_header(t, b, h, len, "at most 637 fit"), -EINVAL);
	KTEST_EXPECT_EQ(t, total_swap_pages, total0); /* nothing was turned on */
	/* The largest header the disk allows, with two bad pages: accepted. */
	make_header(h, len, 1, dev_pages - 1, bad, 2, 4096, "SWAPSPACE2");
	KTEST_EXPECT_EQ(t, bdev_rw(b, 0, (unsigned)(len / 512), h, true), 0);
	KTEST_EXPECT_EQ(t, do_swapon("/dev/sdb", 0), 0);
	struct swap_info_struct *si = b->bd_holder;
	KTEST_ASSERT_NOT_NULL(t, si);
	KTEST_EXPECT_EQ(t, si->pages, dev_pages - 1 - 2);
	KTEST_EXPECT_EQ(t, si->swap_map[3], SWAP_MAP_BAD);
	KTEST_EXPECT_EQ(t, si->swap_map[7], SWAP_MAP_BAD);
	KTEST_EXPECT_EQ(t, total_swap_pages, total0 + (long)si->pages);
	/* A swap area in use refuses writes through its /dev node. */
	struct file *f = filp_open("/dev/sdb", O_RDWR, 0);
	if (!IS_ERR(f)) {
		loff_t pos = 0;
		KTEST_EXPECT_EQ(t, kernel_write(f, h, 512, &pos), -EBUSY);
		fput(f);
	}
	KTEST_EXPECT_EQ(t, do_swapoff("/dev/sdb"), 0);
	KTEST_EXPECT_EQ(t, total_swap_pages, total0);
	kfree(h);
}

/* sdb beside sda: -p puts it first; without it it gets -3 and comes after. */
static void test_two_areas_priorities(struct ktest *t)
{
	NEED_SDA(t, sa);
	NEED_SDB(t, b);
	u8 *h = kmalloc(4096, GFP_KERNEL);

	KTEST_ASSERT_ALLOC(t, h);
	make_header(h, 4096, 1, 1000, NULL, 0, 4096, "SWAPSPACE2");
	KTEST_EXPECT_EQ(t, bdev_rw(b, 0, 8, h, true), 0);
	kfree(h);
	KTEST_ASSERT_EQ(t, do_swapon("/dev/sdb", SWAP_FLAG_PREFER | 5), 0);
	struct swap_info_struct *sb = b->bd_holder;
	KTEST_EXPECT_EQ(t, sb->prio, 5);
	swp_entry_t e = get_swap_page();
	KTEST_EXPECT_EQ(t, swp_type(e), sb->type); /* the higher priority first */
	swap_free(e);
	KTEST_EXPECT_EQ(t, do_swapoff("/dev/sdb"), 0);
	KTEST_ASSERT_EQ(t, do_swapon("/dev/sdb", 0), 0);
	sb = b->bd_holder;
	KTEST_EXPECT_EQ(t, sb->prio, sa->prio - 1);
	e = get_swap_page();
	KTEST_EXPECT_EQ(t, swp_type(e), sa->type);
	swap_free(e);
	KTEST_EXPECT_EQ(t, do_swapon("/dev/sdb", 0x7fffffff), -EINVAL); /* unknown flags */
	KTEST_EXPECT_EQ(t, do_swapoff("/dev/sdb"), 0);
}

/* QEMU fails I/O on slot swaptest_bad_slot of sda: -EIO, the page stays dirty
 * (write) or not up to date (read), and the next slot still works. */
static void test_injected_disk_error(struct ktest *t)
{
	unsigned bad;

	if (cmdline_get_uint("swaptest_bad_slot", &bad) < 0)
		KTEST_SKIP(t, "no swaptest_bad_slot=: the job with QEMU's blkdebug sets it");
	NEED_SDA(t, si);
	KTEST_ASSERT_TRUE(t, bad > 0 && bad < si->max);
	swp_entry_t *held = vmalloc((unsigned long)si->max * sizeof(*held));
	unsigned n = 0;
	swp_entry_t e = { 0 };
	KTEST_ASSERT_ALLOC(t, held);
	while ((e = get_swap_page()).val && swp_offset(e) != bad)
		held[n++] = e; /* slots before it, given back below */
	KTEST_ASSERT_EQ(t, swp_offset(e), bad);
	struct page *pg = alloc_page(GFP_HIGHUSER);
	if (pg) {
		unsigned long out0 = global_vm_event(PSWPOUT), in0 = global_vm_event(PSWPIN);

		fill(pg, 0x1234);
		pg->private = (u32)e.val;
		SetPageLocked(pg);
		SetPageSwapCache(pg);
		SetPageDirty(pg);
		KTEST_EXPECT_EQ(t, swap_writepage(pg), -EIO);
		KTEST_EXPECT_TRUE(t, PageDirty(pg));
		KTEST_EXPECT_FALSE(t, PageWriteback(pg));
		KTEST_EXPECT_TRUE(t, logged("Write-error on swap-device (8:0:"));
		KTEST_EXPECT_EQ(t, mismatches(pg, 0x1234), 0); /* the data is still here */
		KTEST_EXPECT_EQ(t, global_vm_event(PSWPOUT), out0);
		KTEST_EXPECT_EQ(t, swap_readpage(pg), -EIO);
		KTEST_EXPECT_FALSE(t, PageUptodate(pg));
		KTEST_EXPECT_TRUE(t, logged("Read-error on swap-device (8:0:"));
		KTEST_EXPECT_EQ(t, global_vm_event(PSWPIN), in0);
		/* The disk and the kernel live: the next slot round-trips. */
		swp_entry_t next = get_swap_page();
		KTEST_EXPECT_NE(t, next.val, 0);
		pg->private = (u32)next.val;
		KTEST_EXPECT_EQ(t, swap_writepage(pg), 0);
		clear_page_of(pg);
		KTEST_EXPECT_EQ(t, swap_readpage(pg), 0);
		KTEST_EXPECT_EQ(t, mismatches(pg, 0x1234), 0);
		swap_free(next);
		pg->private = 0;
		pg->flags &= ~((1u << PG_locked) | (1u << PG_swapcache) | (1u << PG_dirty) |
			       (1u << PG_uptodate));
		__free_page(pg);
	}
	swap_free(e);
	while (n)
		swap_free(held[--n]);
	vfree(held);
	KTEST_ASSERT_ALLOC(t, pg);
}


/* ---- the system calls, from ring 3 (tests/kernel/swap_progs.asm) ---- */

extern const u8 uprog_swap[], uprog_swap_end[];

static int swap_prog_thread(void *p) { return exec_user_image(p); }

static void test_swapon_swapoff_syscalls(struct ktest *t)
{
	NEED_SDA(t, si);
	struct user_image img = { uprog_swap, (size_t)(uprog_swap_end - uprog_swap), 0, NULL };
	struct page *shared = alloc_page(GFP_HIGHUSER | __GFP_ZERO);

	if (swap_inuse_pages(si->type)) {
		if (shared)
			__free_page(shared);
		KTEST_SKIP(t, "other users hold slots on sda: swapoff would be refused");
	}
	KTEST_ASSERT_ALLOC(t, shared);
	char *v = kmap_local_page(shared);
	memcpy(v + 0x100, "/dev/sda", 9);
	kunmap_local(v);
	img.shared = shared;
	struct task *k = kthread_create(swap_prog_thread, &img, "swapprog");
	if (!k) {
		__free_page(shared);
		KTEST_ALLOC_FAILED(t, "the program's thread");
	}
	wake_up_process(k);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
	s32 *r = kmap_local_page(shared);
	KTEST_EXPECT_EQ(t, r[0], 0);       /* swapoff("/dev/sda") */
	KTEST_EXPECT_EQ(t, r[1], 0);       /* swapon("/dev/sda", SWAP_FLAG_PREFER | 7) */
	KTEST_EXPECT_EQ(t, r[2], -EFAULT); /* swapon(NULL) */
	KTEST_EXPECT_EQ(t, r[3], -EINVAL); /* an unknown flag */
	KTEST_EXPECT_EQ(t, r[4], 0);       /* swapoff again */
	KTEST_EXPECT_EQ(t, r[5], -ENOENT); /* "sda": no such file */
	kunmap_local(r);
	__free_page(shared);
	KTEST_EXPECT_TRUE(t, logged("Adding 786428k swap on /dev/sda.  Priority:7 extents:1") ||
			  si->pages != 196607);
	/* Back as the boot left it: the default priority -2. */
	KTEST_EXPECT_EQ(t, do_swapon("/dev/sda", 0), 0);
	KTEST_ASSERT_NOT_NULL(t, disk("sda")->bd_holder);
	KTEST_EXPECT_EQ(t, ((struct swap_info_struct *)disk("sda")->bd_holder)->prio, -2);
}

static struct ktest_case swapfile_cases[] = {
	KTEST_CASE(test_swapon_of_the_mkswap_image),
	KTEST_CASE(test_proc_swaps_linux_format),
	KTEST_CASE(test_slot_counts),
	KTEST_CASE(test_get_swap_page_until_full),
	KTEST_CASE(test_writepage_readpage_highmem),
	KTEST_CASE(test_page_io_figures),
	KTEST_CASE(test_swapoff_and_on_again),
	KTEST_CASE(test_swapon_swapoff_syscalls),
	KTEST_CASE(test_bad_headers_refused),
	KTEST_CASE(test_two_areas_priorities),
	KTEST_CASE(test_injected_disk_error),
	{ 0 },
};
KTEST_SUITE(swapfile, swapfile_cases);
