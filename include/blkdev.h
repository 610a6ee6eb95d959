/* blkdev.h - block devices: disks the kernel reads and writes in sectors.
 *
 * A much smaller struct block_device than Linux's (which splits the disk,
 * struct gendisk, from its partitions and queues requests through blk-mq):
 * a name ("sda"), a device number (major 8, minor 16 per disk, as Linux's
 * sd driver numbers them), a size in 512-byte sectors and one operation
 * that moves whole sectors between the disk and a kernel address. A driver
 * (arch/x86/ata.c) fills one per disk it finds and registers it; devtmpfs
 * then has /dev/sda, /dev/sdb for the first two, and swapon finds the disk
 * through that node (fs/blkdev.c). I/O is synchronous: the call returns when
 * the data is on the disk or in memory, or with -EIO after the driver said
 * what failed. The caller may sleep (the driver waits for the disk).
 */
#ifndef HL_BLKDEV_H
#define HL_BLKDEV_H

#include "errno.h"
#include "list.h"
#include "types.h"

#define SECTOR_SHIFT 9
#define SECTOR_SIZE (1u << SECTOR_SHIFT)
#define SCSI_DISK0_MAJOR 8   /* Linux's major for sd disks */
#define SD_MINORS 16         /* minors per disk: sda = 8:0, sdb = 8:16 */
#define BLKDEV_NAME_MAX 16

#define MKDEV(ma, mi) (((u32)(ma) << 8) | (u32)(mi)) /* as the fs's i_rdev (old_encode_dev) */
#define MAJOR(dev) (((dev) >> 8) & 0xfffu)
#define MINOR(dev) ((dev) & 0xffu)
#ifndef ENOTBLK
#define ENOTBLK 15 /* Linux's: "Block device required" */
#endif
#ifndef S_ISBLK
#define S_ISBLK(m) (((m) & 0170000) == 0060000)
#endif

struct block_device;
struct page;

struct block_device_operations {
	/* Move count sectors from sector on: to buf (write false) or from it
	 * (write true). buf is a kernel address (lowmem, or a kmap of a HighMem
	 * page). 0, or -EIO after a message naming the failure. The caller has
	 * checked the range (bdev_rw below). */
	int (*rw_sectors)(struct block_device *bdev, u64 sector, unsigned count, void *buf,
			  bool write);
	/* Optional: move nr (1..BLK_RW_PAGES_MAX) whole pages, page i at
	 * sector + 8 * i, as ONE request (swap's runs of consecutive slots,
	 * mm/page_io.c; the pages need no kernel address: a DMA driver names
	 * their frames). 0, or -EIO for all of them after a message. */
	int (*rw_pages)(struct block_device *bdev, u64 sector, struct page **pages, unsigned nr,
			bool write);
};
#define BLK_RW_PAGES_MAX 32 /* 256 sectors: one LBA28 command's most */

struct block_device {
	char bd_name[BLKDEV_NAME_MAX]; /* "sda" */
	u32 bd_dev;                    /* MKDEV(8, 16 * index) */
	u64 nr_sectors;                /* capacity in 512-byte sectors */
	const struct block_device_operations *ops;
	void *bd_private;              /* the driver's (ata.c: its struct ata_device) */
	void *bd_holder;               /* who has it exclusively (a swap area), or NULL */
	unsigned long nr_reads, nr_writes; /* completed sector transfers, for reports and tests */
	unsigned long nr_errors;       /* transfers that ended in -EIO */
	struct list_head bd_list;      /* on the list of registered disks */
};

/* Bytes on the device. */
static inline u64 bdev_nr_bytes(const struct block_device *b) { return b->nr_sectors << SECTOR_SHIFT; }

/* Read or write count sectors at sector, checked against the device's end:
 * 0, -EINVAL for a range past the end (nothing moved), or the driver's -EIO. */
static inline int bdev_rw(struct block_device *b, u64 sector, unsigned count, void *buf, bool write)
{
	int err;

	if (!count || sector >= b->nr_sectors || count > b->nr_sectors - sector)
		return -EINVAL;
	err = b->ops->rw_sectors(b, sector, count, buf, write);
	if (err)
		__atomic_add_fetch(&b->nr_errors, 1, __ATOMIC_RELAXED);
	else if (write)
		__atomic_add_fetch(&b->nr_writes, count, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&b->nr_reads, count, __ATOMIC_RELAXED);
	return err;
}

/* ---- the registry (fs/blkdev.c, kernel only) ---- */
/* Make b known (its name and number set by the driver): 0, or -EBUSY if
 * its number is taken. The first two sd disks get /dev nodes when devtmpfs
 * is set up (blkdev_create_nodes). */
int register_blkdev_disk(struct block_device *b);
/* The disk with device number dev, or NULL. */
struct block_device *blkdev_get_by_dev(u32 dev);
/* The number of the block device node at path (Linux's lookup_bdev): 0 and
 * *dev set; -ENOENT, -ENOTBLK (not a block special file) or -ENXIO (no such
 * disk). */
int lookup_bdev(const char *path, u32 *dev);
/* devtmpfs: /dev/sdX for each registered disk (0 or -errno). Called by
 * devtmpfs_init; disks registered later get theirs at once. */
int blkdev_create_nodes(void);
/* The size in bytes of the disk a block special inode names (0: none):
 * lseek's SEEK_END on a /dev/sdX node. */
struct inode;
long long blkdev_size_of(const struct inode *inode);
/* Registered disks, in registration order (reports, tests). */
unsigned blkdev_count(void);
struct block_device *blkdev_nth(unsigned i);

/* ---- the ATA driver (arch/x86/ata.c) ---- */
/* Probe both IDE channels, register every ATA disk found. */
void ata_init(void);
/* The driver's wait for BSY to clear, on the alternate-status port given,
 * with a deadline of ms: 0, or -EIO once the deadline passed (a disk that
 * never answers; tests point it at a port nothing answers on, which reads
 * 0xff, BSY set). */
int ata_wait_idle_port(u16 altstatus_port, unsigned ms);

/* Linux's string_get_size: size as "805 MB" (units 1000) or "768 MiB"
 * (units 1024), three significant digits (fs/blkdev.c). */
void string_get_size(u64 size, bool binary, char *buf, size_t len);

#endif
