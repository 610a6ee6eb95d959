/* ata_test.c - the IDE disks through the ATA PIO driver: what was found,
 * sectors written from and read into HighMem pages (above 4 GB on the 8 GB
 * machine), a transfer longer than one command, the range checks, byte I/O
 * through /dev/sdb as a user's dd would do it, and a sector QEMU fails.
 *
 * sdb is the scratch disk of tools/test-matrix's swap jobs: overwritten
 * here. Without it the cases that write skip. ata_test_bad_sector=S: QEMU
 * (blkdebug) fails every I/O touching sector S of sda.
 */
#include "ata.h"
#include "blkdev.h"
#include "cmdline.h"
#include "err.h"
#include "errno.h"
#include "fs.h"
#include "highmem.h"
#include "kstring.h"
#include "highmem_test_util.h"
#include "ktest.h"
#include "mm.h"
#include "sched.h"
#include "slab.h"
#include "vmalloc.h"
#include "x86.h" /* inb */
#include "../../fs/internal.h" /* vfs_llseek */

static struct block_device *ata_disk(const char *name)
{
	for (unsigned i = 0; i < blkdev_count(); i++) {
		struct block_device *b = blkdev_nth(i);

		if (b && !strcmp(b->bd_name, name))
			return b;
	}
	return NULL;
}

#define NEED_DISK(t, b, name)                                                          \
	struct block_device *b = ata_disk(name);                                        \
	if (!b)                                                                         \
		KTEST_SKIP(t, "no /dev/" name ": boot with tools/qemu-run --disk IMG --disk IMG2");

static u32 pat(u32 seed, unsigned i) { return seed ^ (i * 0x01000193u) ^ (i << 16); }

static void test_ata_disks_found(struct ktest *t)
{
	NEED_DISK(t, a, "sda");
	KTEST_EXPECT_EQ(t, a->bd_dev, MKDEV(8, 0));
	KTEST_EXPECT_GT(t, a->nr_sectors, 0);
	KTEST_EXPECT_TRUE(t, blkdev_get_by_dev(MKDEV(8, 0)) == a);
	struct block_device *b = ata_disk("sdb");
	if (b) {
		KTEST_EXPECT_EQ(t, b->bd_dev, MKDEV(8, 16));
		KTEST_EXPECT_TRUE(t, b->nr_sectors == 131072 || /* the jobs' 64 MB scratch disk */
				  b->nr_sectors == 272629760); /* swap-lba48's 130 GB one */
	}
	u32 dev = 0;
	KTEST_EXPECT_EQ(t, lookup_bdev("/dev/sda", &dev), 0);
	KTEST_EXPECT_EQ(t, dev, MKDEV(8, 0));
	KTEST_EXPECT_EQ(t, lookup_bdev("/dev/null", &dev), -ENOTBLK);
}

/* 16 pages (above 4 GB where the machine has RAM there) to sectors 8i+1 and back. */
static void test_ata_sectors_through_highmem_pages(struct ktest *t)
{
	NEED_DISK(t, b, "sdb");
	struct page *blk = ktest_block_above_4g(), *pg[16];
	unsigned n = ARRAY_SIZE(pg), bad = 0;

	KTEST_ASSERT_ALLOC(t, blk);
	if (max_pfn > 0x100000)
		KTEST_EXPECT_GE(t, page_to_pfn(blk), 0x100000); /* only PAE reaches it */
	for (unsigned i = 0; i < n; i++)
		pg[i] = blk + 37 * i; /* spread over the block */
	for (unsigned i = 0; i < n; i++) {
		u32 *v = kmap_local_page(pg[i]);
		for (unsigned w = 0; w < PAGE_SIZE / 4; w++)
			v[w] = pat(0xa5000000u + i, w);
		KTEST_EXPECT_EQ(t, bdev_rw(b, 8 * i + 1, 8, v, true), 0);
		memset(v, 0, PAGE_SIZE);
		kunmap_local(v);
	}
	for (unsigned i = 0; i < n; i++) {
		u32 *v = kmap_local_page(pg[i]);
		KTEST_EXPECT_EQ(t, bdev_rw(b, 8 * i + 1, 8, v, false), 0);
		for (unsigned w = 0; w < PAGE_SIZE / 4; w++)
			bad += v[w] != pat(0xa5000000u + i, w);
		kunmap_local(v);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	__free_pages(blk, KTEST_HIGH_ORDER);
}

/* 300 sectors in one call: two ATA commands (256 + 44), from a vmalloc buffer. */
static void test_ata_long_transfer(struct ktest *t)
{
	NEED_DISK(t, b, "sdb");
	const unsigned sectors = 300, words = sectors * SECTOR_SIZE / 4;
	u32 *out = vmalloc(sectors * SECTOR_SIZE), *in = vzalloc(sectors * SECTOR_SIZE);
	unsigned bad = 0;

	if (!out || !in) {
		vfree(out);
		vfree(in);
		KTEST_ALLOC_FAILED(t, "two 150 KB buffers");
	}
	for (unsigned w = 0; w < words; w++)
		out[w] = pat(0x3c3c3c3cu, w);
	unsigned long writes0 = b->nr_writes, dma0 = ata_dma_commands();
	KTEST_EXPECT_EQ(t, bdev_rw(b, 1000, sectors, out, true), 0);
	KTEST_EXPECT_EQ(t, b->nr_writes, writes0 + sectors);
	KTEST_EXPECT_EQ(t, bdev_rw(b, 1000, sectors, in, false), 0);
	for (unsigned w = 0; w < words; w++)
		bad += in[w] != out[w];
	KTEST_EXPECT_EQ(t, bad, 0);
	/* QEMU's pc has the PIIX's bus-master registers: DMA, 128 sectors (the
	 * 64 KB bounce buffer) a command, so 3 commands each way; with
	 * libata.dma=0 (the swap-pio job) every sector went by PIO. */
	unsigned dma = 1;
	if (cmdline_get_uint("libata.dma", &dma) < 0)
		dma = 1;
	KTEST_EXPECT_EQ(t, ata_uses_dma(b), dma != 0);
	KTEST_EXPECT_EQ(t, ata_dma_commands() - dma0, dma ? 6ul : 0ul);
	vfree(out);
	vfree(in);
}

static void test_ata_range_checked(struct ktest *t)
{
	NEED_DISK(t, b, "sdb");
	u8 *buf = kmalloc(2 * SECTOR_SIZE, GFP_KERNEL);

	KTEST_ASSERT_ALLOC(t, buf);
	KTEST_EXPECT_EQ(t, bdev_rw(b, b->nr_sectors, 1, buf, false), -EINVAL);
	KTEST_EXPECT_EQ(t, bdev_rw(b, b->nr_sectors - 1, 2, buf, false), -EINVAL);
	KTEST_EXPECT_EQ(t, bdev_rw(b, 0, 0, buf, false), -EINVAL);
	KTEST_EXPECT_EQ(t, bdev_rw(b, ~0ull, 1, buf, true), -EINVAL);
	KTEST_EXPECT_EQ(t, bdev_rw(b, b->nr_sectors - 1, 1, buf, true), 0); /* the last one */
	KTEST_EXPECT_EQ(t, bdev_rw(b, b->nr_sectors - 1, 1, buf, false), 0);
	kfree(buf);
}

/* Byte I/O through the node, partial sectors included, as dd would do it. */
static void test_ata_dev_node_bytes(struct ktest *t)
{
	NEED_DISK(t, b, "sdb");
	char *w = kmalloc(1000, GFP_KERNEL), *r = kzalloc(1000, GFP_KERNEL);
	u8 *sec = kmalloc(3 * SECTOR_SIZE, GFP_KERNEL);
	struct file *f;
	loff_t pos = 700;

	if (!w || !r || !sec) {
		kfree(w);
		kfree(r);
		kfree(sec);
		KTEST_ALLOC_FAILED(t, "buffers");
	}
	for (int i = 0; i < 1000; i++)
		w[i] = (char)(i * 7 + 1);
	f = filp_open("/dev/sdb", O_RDWR, 0);
	if (IS_ERR(f)) {
		KTEST_FAIL(t, "open /dev/sdb: %ld", PTR_ERR(f));
	} else {
		KTEST_EXPECT_EQ(t, kernel_write(f, w, 1000, &pos), 1000); /* bytes 700..1699 */
		KTEST_EXPECT_EQ(t, pos, 1700);
		pos = 700;
		KTEST_EXPECT_EQ(t, kernel_read(f, r, 1000, &pos), 1000);
		KTEST_EXPECT_EQ(t, memcmp(r, w, 1000), 0);
		KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, 2), (loff_t)bdev_nr_bytes(b)); /* SEEK_END */
		pos = (loff_t)bdev_nr_bytes(b) - 10;
		KTEST_EXPECT_EQ(t, kernel_read(f, r, 1000, &pos), 10); /* short at the end */
		KTEST_EXPECT_EQ(t, kernel_read(f, r, 1000, &pos), 0);
		KTEST_EXPECT_EQ(t, kernel_write(f, w, 1, &pos), -ENOSPC);
		fput(f);
		/* On the disk: sectors 1..3 hold bytes 512..2047. */
		KTEST_EXPECT_EQ(t, bdev_rw(b, 1, 3, sec, false), 0);
		KTEST_EXPECT_EQ(t, memcmp(sec + 700 - 512, w, 1000), 0);
	}
	kfree(w);
	kfree(r);
	kfree(sec);
}

static void test_ata_injected_error(struct ktest *t)
{
	unsigned bad;

	if (cmdline_get_uint("ata_test_bad_sector", &bad) < 0)
		KTEST_SKIP(t, "no ata_test_bad_sector=: the job with QEMU's blkdebug sets it");
	NEED_DISK(t, a, "sda");
	u8 *buf = kmalloc(2 * SECTOR_SIZE, GFP_KERNEL);
	KTEST_ASSERT_ALLOC(t, buf);
	unsigned long errors0 = a->nr_errors;
	KTEST_EXPECT_EQ(t, bdev_rw(a, bad, 1, buf, false), -EIO);
	KTEST_EXPECT_EQ(t, bdev_rw(a, bad - 1, 2, buf, false), -EIO); /* overlapping it */
	KTEST_EXPECT_EQ(t, bdev_rw(a, bad, 1, buf, true), -EIO);
	KTEST_EXPECT_EQ(t, a->nr_errors, errors0 + 3);
	/* The disk still works around it. */
	KTEST_EXPECT_EQ(t, bdev_rw(a, bad - 1, 1, buf, false), 0);
	KTEST_EXPECT_EQ(t, bdev_rw(a, bad + 1, 1, buf, false), 0);
	kfree(buf);
}


/* A disk that never answers: the wait ends at its deadline with -EIO, and
 * other tasks ran meanwhile (the waiter yields). Port 0x3e6 has nothing
 * behind it on QEMU's pc: it reads 0xff, BSY set forever. */
static volatile unsigned long spinner_loops;
static volatile bool spinner_stop;

static int spinner(void *arg)
{
	while (!spinner_stop) {
		spinner_loops++;
		yield();
	}
	return 0;
}

static void test_ata_wait_has_a_deadline(struct ktest *t)
{
	if (inb(0x3e6) != 0xff)
		KTEST_SKIP(t, "port 0x3e6 answers on this machine");
	struct task *k = kthread_create_on_cpu(spinner, NULL, current->cpu, "ata-spin");
	KTEST_ASSERT_ALLOC(t, k);
	spinner_stop = false;
	spinner_loops = 0;
	wake_up_process(k);
	u64 t0 = arch_clock_ns(); /* the driver's clock (jiffies slip under TCG load) */
	KTEST_EXPECT_EQ(t, ata_wait_idle_port(0x3e6, 200), -EIO);
	unsigned long waited = (unsigned long)((arch_clock_ns() - t0) / 1000000); /* ms */
	spinner_stop = true;
	kthread_join(k);
	KTEST_EXPECT_GE(t, waited, 200);
	KTEST_EXPECT_LT(t, waited, 200 + 10000); /* it ended, even under load */
	KTEST_EXPECT_GT(t, spinner_loops, 0); /* the CPU was shared while polling */
}


/* Past 2^28 sectors (128 GiB) LBA28 cannot address: the _EXT commands. A page
 * across the boundary and one beyond it, on swap-lba48's 130 GB sparse sdb. */
static void test_ata_lba48_beyond_128g(struct ktest *t)
{
	NEED_DISK(t, b, "sdb");
	if (b->nr_sectors <= (1ull << 28))
		KTEST_SKIP(t, "sdb is under 128 GiB: the swap-lba48 job gives a 130 GiB one");
	static const u64 at[] = { (1ull << 28) - 4, (1ull << 28) + 7, 272629760 - 8 };
	u32 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), *low = kmalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned bad = 0;

	if (!buf || !low) {
		kfree(buf);
		kfree(low);
		KTEST_ALLOC_FAILED(t, "buffers");
	}
	for (unsigned w = 0; w < PAGE_SIZE / 4; w++)
		low[w] = pat(0x77, w);
	KTEST_EXPECT_EQ(t, bdev_rw(b, 8, 8, low, true), 0); /* low sectors: must not be hit */
	for (unsigned i = 0; i < ARRAY_SIZE(at); i++) {
		for (unsigned w = 0; w < PAGE_SIZE / 4; w++)
			buf[w] = pat(0xb0000000u + i, w);
		KTEST_EXPECT_EQ(t, bdev_rw(b, at[i], 8, buf, true), 0);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(at); i++) {
		memset(buf, 0, PAGE_SIZE);
		KTEST_EXPECT_EQ(t, bdev_rw(b, at[i], 8, buf, false), 0);
		for (unsigned w = 0; w < PAGE_SIZE / 4; w++)
			bad += buf[w] != pat(0xb0000000u + i, w);
	}
	/* An LBA28 command would have wrapped these to sector (at mod 2^28): untouched. */
	KTEST_EXPECT_EQ(t, bdev_rw(b, 8, 8, buf, false), 0);
	for (unsigned w = 0; w < PAGE_SIZE / 4; w++)
		bad += buf[w] != low[w];
	KTEST_EXPECT_EQ(t, bad, 0);
	kfree(buf);
	kfree(low);
}

static struct ktest_case ata_cases[] = {
	KTEST_CASE(test_ata_disks_found),
	KTEST_CASE(test_ata_sectors_through_highmem_pages),
	KTEST_CASE(test_ata_long_transfer),
	KTEST_CASE(test_ata_range_checked),
	KTEST_CASE(test_ata_dev_node_bytes),
	KTEST_CASE(test_ata_injected_error),
	KTEST_CASE(test_ata_wait_has_a_deadline),
	KTEST_CASE(test_ata_lba48_beyond_128g),
	{ 0 },
};
KTEST_SUITE(ata, ata_cases);
