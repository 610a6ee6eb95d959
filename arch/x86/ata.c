/* ata.c - the IDE disks of QEMU's PIIX controller, by ATA PIO.
 *
 * Two channels (Linux's ata1 and ata2): ports 0x1f0-0x1f7 with control
 * 0x3f6, and 0x170-0x177 with 0x376; each has a master and a slave. At boot
 * every device is sent IDENTIFY DEVICE: an ATA disk answers with 256 words
 * (model, firmware, capacity, the ATA version, the UDMA modes), an ATAPI
 * device (QEMU's CD-ROM on the secondary master) aborts with its signature
 * in the LBA registers and is left alone, an absent one reads as status 0
 * or 0xff. Each disk becomes a struct block_device (sda, sdb, ... in that
 * order), with the lines Linux's libata and sd print.
 *
 * Transfers: READ/WRITE SECTORS (LBA28, 28-bit sector numbers, up to 128
 * GiB), or their _EXT forms (LBA48) when the disk is bigger, at most 256
 * sectors a command; every word moves through the CPU (rep insw / outsw)
 * to or from a kernel address, which for a HighMem page is its kmap.
 *
 * Polled, not interrupt-driven. Highland routes no IDE interrupt: without an
 * I/O APIC driver, IRQ 14/15 could only come through the 8259, which the
 * local APIC's LINT0 ignores while it is masked (apic.c), and changing that
 * wiring for one driver touches every CPU's interrupt set-up. The cost of
 * polling, stated: while a command runs (QEMU finishes a sector in
 * microseconds to a fraction of a millisecond; a real disk would take
 * milliseconds) the caller spins ATA_SPIN_NS (1 ms: most commands end
 * within it; a yield with the channel held gave the CPU away for a whole
 * timeslice while the disk sat finished and every other swapper waited:
 * 3.2 ms per command at -m 2048 -smp 2, docs/swap.md), then calls yield() between
 * status reads, so other runnable tasks on its CPU run meanwhile - but the
 * CPU is never idle for the disk, and a waiting task costs a context switch
 * per poll when others are runnable. An interrupt would let it sleep. The
 * caller must be able to sleep (swap I/O runs in process context); in an
 * atomic context the wait only spins. Every wait has a deadline on the TSC
 * clock (arch_clock_ns, so it ends with interrupts off too): a disk that
 * never answers gives -EIO after ATA_CMD_TIMEOUT_MS and a channel reset.
 * Device interrupts are turned off (nIEN), so none is left pending.
 * Between two status reads the poller pauses (ATA_POLL_GAP pause
 * instructions, a few microseconds): under QEMU every port read is a trip
 * into the device model under QEMU's global lock, and reading back to back
 * starves the I/O thread that completes the sector. Measured with the
 * swapfile suite's figures at -m 8192: 7.7-24 ms per 4 KB page written and
 * 21-27 ms read with back-to-back reads, 0.44 ms and 0.55-0.62 ms with the gap.
 *
 * Commands on one channel are serialised by a sleeping lock (the channel
 * has one set of registers for both devices); the two channels work
 * independently.
 *
 * Bus-master DMA (the PIIX's BMIDE registers, Linux's ata_bmdma_*), used
 * for data transfers when the PCI function is found: READ/WRITE DMA (or
 * _EXT), one command per 64 KB, the controller copying between the disk
 * and a per-channel bounce buffer of 64 KB of lowmem that one PRD entry
 * describes, the CPU copying between that buffer and the caller's address
 * (a memcpy of a few microseconds, where PIO's 2048 port instructions per
 * page cost about 250 us under TCG, and every sector cost QEMU one I/O
 * round trip: measured in docs/swap.md). The bounce keeps the block
 * interface (a kernel address, lowmem or a kmap) and works for pages
 * above 4 GB, which a 32-bit PRD cannot address. Completion is polled as
 * PIO's is (the drive's BSY and DRQ clear, then the BMIDE status), so no
 * interrupt routing is needed. libata.dma=0 on the command line keeps
 * PIO (Linux's parameter), as does a machine without the PCI function.
 *
 * Swap writes and reads whole pages: rw_pages moves a run of up to
 * BLK_RW_PAGES_MAX pages at consecutive sectors with ONE command, a PRD
 * table with one entry per page naming the page's own frame (a 4 KB
 * aligned page never crosses a 64 KB boundary, as a PRD region must not).
 * No kmap and no copy: the controller reads and writes physical memory,
 * HighMem included. A PRD address is 32 bits, so a page above 4 GB goes
 * through its own page of the channel's bounce buffer instead (Linux's
 * block bounce): copied through kmap_local before a write, after a read.
 * QEMU's cost is per command far more than per byte (measured in
 * docs/swap.md), which is why runs matter.
 *
 * /proc/diskstats (Linux 6.1's 17 fields per disk): requests, pages merged
 * into them, sectors and milliseconds each way; io_ticks is the time the
 * disk was working (command sent to done), the request times also count
 * the wait for the channel, so their difference is the lock's queue.
 */
#include "arch.h"
#include "ata.h"
#include "blkdev.h"
#include "cmdline.h"
#include "errno.h"
#include "gfp.h"
#include "highmem.h"
#include "kstring.h"
#include "pci.h"
#include "mm.h"
#include "printk.h"
#include "proc_fs.h"
#include "sched.h"
#include "slab.h"
#include "wait.h"
#include "x86.h"

/* Registers, offsets from the command block. */
#define ATA_REG_DATA 0
#define ATA_REG_ERR 1
#define ATA_REG_NSECT 2
#define ATA_REG_LBAL 3
#define ATA_REG_LBAM 4
#define ATA_REG_LBAH 5
#define ATA_REG_DEVICE 6
#define ATA_REG_STATUS 7 /* read */
#define ATA_REG_CMD 7    /* write */
/* Control block: alternate status (read, no side effects), device control (write). */
#define ATA_NIEN 0x02
#define ATA_SRST 0x04
#define ATA_HOB 0x80

#define ATA_BUSY 0x80
#define ATA_DRDY 0x40
#define ATA_DF 0x20
#define ATA_DRQ 0x08
#define ATA_ERR 0x01

#define ATA_CMD_ID_ATA 0xec
#define ATA_CMD_ID_ATAPI 0xa1
#define ATA_CMD_READ 0x20
#define ATA_CMD_READ_EXT 0x24
#define ATA_CMD_WRITE 0x30
#define ATA_CMD_WRITE_EXT 0x34
#define ATA_CMD_READ_DMA 0xc8
#define ATA_CMD_READ_DMA_EXT 0x25
#define ATA_CMD_WRITE_DMA 0xca
#define ATA_CMD_WRITE_DMA_EXT 0x35

/* Bus-master IDE (SFF-8038i): 8 ports per channel from the PCI function's BAR4. */
#define BM_CMD 0      /* bit 0 start, bit 3 direction: 1 = the controller writes memory */
#define BM_STATUS 2   /* bit 0 active, bit 1 error, bit 2 interrupt (write 1 to clear) */
#define BM_PRD 4      /* the PRD table's physical address */
#define BM_CMD_START 0x01
#define BM_CMD_TO_MEMORY 0x08
#define BM_ST_ACTIVE 0x01
#define BM_ST_ERR 0x02
#define BM_ST_INTR 0x04
#define PRD_EOT 0x80000000u
#define ATA_DMA_ORDER 5            /* the bounce buffer: 32 pages (BLK_RW_PAGES_MAX), 128 KB */
#define ATA_DMA_SECTORS (65536 / SECTOR_SIZE) /* rw_sectors: one PRD entry, 64 KB at most */
#define PRD_LIMIT_4G 0x100000000ull   /* a PRD entry's address is 32 bits */

#define ATA_SPIN_NS 1000000ull        /* spin this long before yielding the CPU (docs/swap.md) */
#define ATA_POLL_GAP 200              /* pause instructions between two status reads */
#define ATA_CMD_TIMEOUT_MS 5000u      /* a command that takes longer failed */
#define ATA_PROBE_TIMEOUT_MS 1000u
#define LBA28_LIMIT (1ull << 28)
#define ATA_MAX_SECTORS 256u          /* per command (sector count 0 means 256) */

struct ata_channel {
	u16 cmd, ctl;  /* command block and control register */
	unsigned no;   /* 1, 2: Linux's ata1, ata2 (and SCSI host no - 1) */
	int busy;      /* the channel's lock */
	wait_queue_head_t wq;
	u16 bmdma;     /* bus-master registers, or 0: PIO only */
	u8 *dma_buf;   /* 128 KB bounce buffer (lowmem, naturally aligned) */
	u32 *prd;      /* one entry: the buffer's address, byte count | PRD_EOT */
	u32 *prd_sg;   /* rw_pages' table: one entry per page (a lowmem page of its own) */
};

/* Linux's disk_stats, the fields /proc/diskstats prints; [0] read, [1] write. */
struct ata_stats {
	unsigned long ios[2];     /* commands completed */
	unsigned long merges[2];  /* pages that rode in another page's command */
	unsigned long sectors[2];
	u64 nsecs[2];             /* call to completion: the channel's queue included */
	u64 busy_ns;              /* the disk working: command sent to done (io_ticks) */
};

struct ata_device {
	struct ata_channel *ch;
	unsigned devno; /* 0 master, 1 slave */
	bool lba48;     /* the disk supports LBA48 */
	bool use_lba48; /* the driver needs it: more than 2^28 sectors */
	u16 id[256];    /* IDENTIFY's answer */
	struct ata_stats st; /* updated with the channel lock held */
	struct block_device bdev;
};

static struct ata_channel channels[2] = {
	{ 0x1f0, 0x3f6, 1, 0, WAIT_QUEUE_HEAD_INIT(channels[0].wq), 0, NULL, NULL, NULL },
	{ 0x170, 0x376, 2, 0, WAIT_QUEUE_HEAD_INIT(channels[1].wq), 0, NULL, NULL, NULL },
};

static void insw(u16 port, void *buf, unsigned words)
{
	__asm__ volatile("rep insw" : "+D"(buf), "+c"(words) : "d"(port) : "memory");
}

static void outsw(u16 port, const void *buf, unsigned words)
{
	__asm__ volatile("rep outsw" : "+S"(buf), "+c"(words) : "d"(port) : "memory");
}

static u8 altstatus(struct ata_channel *ch) { return inb(ch->ctl); }

/* 400 ns for the status to be valid after a select or a command: four reads. */
static void ata_pause(struct ata_channel *ch)
{
	for (int i = 0; i < 4; i++)
		altstatus(ch);
}

static void channel_lock(struct ata_channel *ch)
{
	wait_event_exclusive(ch->wq, __atomic_exchange_n(&ch->busy, 1, __ATOMIC_ACQUIRE) == 0);
}

static void channel_unlock(struct ata_channel *ch)
{
	__atomic_store_n(&ch->busy, 0, __ATOMIC_RELEASE);
	wake_up(&ch->wq);
}

/* Poll until BSY clears and (status & mask) == want: 0, -EIO on ERR or DF
 * (status in *st), -ETIMEDOUT past the deadline. */
#define ETIMEDOUT 110
static int ata_wait(struct ata_channel *ch, u8 mask, u8 want, unsigned ms, u8 *st)
{
	u64 start = arch_clock_ns(), spin_end = start + ATA_SPIN_NS;
	u64 deadline = start + (u64)ms * 1000000;
	unsigned long polls = 0;
	bool can_sleep = !in_atomic() && !arch_irqs_disabled() && current;

	for (;;) {
		u8 s = altstatus(ch);

		*st = s;
		if (!(s & ATA_BUSY)) {
			if (s & (ATA_ERR | ATA_DF))
				return -EIO;
			if ((s & mask) == want)
				return 0;
		}
		u64 now = arch_clock_ns();
		/* Before the TSC is calibrated the clock reads 0: count polls instead. */
		if (now ? now > deadline : ++polls > (unsigned long)ms * 10000)
			return -ETIMEDOUT;
		if (can_sleep && now > spin_end)
			yield();
		for (int i = 0; i < ATA_POLL_GAP; i++)
			arch_cpu_relax();
	}
}

int ata_wait_idle_port(u16 altstatus_port, unsigned ms)
{
	struct ata_channel ch = { .ctl = altstatus_port };
	u8 st;
	int err = ata_wait(&ch, ATA_BUSY, 0, ms, &st);

	return err == -ETIMEDOUT ? -EIO : err;
}

/* Select the device (and LBA bits 24-27 for LBA28); wait for it to be idle. */
static int ata_select(struct ata_device *d, u8 extra)
{
	struct ata_channel *ch = d->ch;
	u8 st;

	outb(ch->cmd + ATA_REG_DEVICE, (u8)(0xa0 | 0x40 | d->devno << 4 | extra));
	ata_pause(ch);
	return ata_wait(ch, ATA_BUSY | ATA_DRQ, 0, ATA_CMD_TIMEOUT_MS, &st) == -ETIMEDOUT ? -ETIMEDOUT : 0;
}

/* Soft reset of a channel: after a timeout, so the next command finds it idle. */
static void ata_reset(struct ata_channel *ch)
{
	u8 st;

	outb(ch->ctl, ATA_NIEN | ATA_SRST);
	for (int i = 0; i < 20; i++)
		altstatus(ch); /* >= 5 us */
	outb(ch->ctl, ATA_NIEN);
	ata_pause(ch);
	if (ata_wait(ch, ATA_BUSY, 0, ATA_CMD_TIMEOUT_MS, &st) == -ETIMEDOUT)
		pr_err("ata%u: still busy after a reset (status 0x%02x)\n", ch->no, st);
}

/* ---- error messages, Linux's words ------------------------------------- */

static void print_bits(char *buf, size_t len, u8 v, const char *const names[8])
{
	size_t n = 0;

	for (int b = 7; b >= 0; b--)
		if ((v & (1u << b)) && names[b] && n + strlen(names[b]) + 2 < len)
			n += (size_t)snprintf(buf + n, len - n, "%s ", names[b]);
	buf[n] = 0;
}

static void ata_report_error(struct ata_device *d, u8 cmd, u64 sector, unsigned count, u8 st,
			     int err)
{
	static const char *const st_names[8] = { "ERR", "IDX", "CORR", "DRQ", "SENSE", "DF",
						 "DRDY", "BUSY" };
	static const char *const err_names[8] = { "AMNF", "NM", "ABRT", "MCR", "IDNF", "MC",
						  "UNC", "ICRC" };
	static const char *const err_why[8] = {
		"address mark not found", "no media", "command aborted (the disk refused it or "
		"its backing store failed)", "media change requested", "sector not found",
		"media changed", "uncorrectable data error", "interface CRC error" };
	const char *name = cmd == ATA_CMD_READ ? "READ SECTOR(S)" :
			   cmd == ATA_CMD_READ_EXT ? "READ SECTOR(S) EXT" :
			   cmd == ATA_CMD_WRITE ? "WRITE SECTOR(S)" :
			   cmd == ATA_CMD_WRITE_EXT ? "WRITE SECTOR(S) EXT" :
			   cmd == ATA_CMD_READ_DMA ? "READ DMA" :
			   cmd == ATA_CMD_READ_DMA_EXT ? "READ DMA EXT" :
			   cmd == ATA_CMD_WRITE_DMA ? "WRITE DMA" : "WRITE DMA EXT";
	bool write = cmd == ATA_CMD_WRITE || cmd == ATA_CMD_WRITE_EXT ||
		     cmd == ATA_CMD_WRITE_DMA || cmd == ATA_CMD_WRITE_DMA_EXT;
	char sbuf[64], ebuf[64];
	u8 e = inb(d->ch->cmd + ATA_REG_ERR);

	pr_err("ata%u.%02u: failed command: %s\n", d->ch->no, d->devno, name);
	if (err == -ETIMEDOUT) {
		pr_err("ata%u.%02u: no answer in %u ms (status 0x%02x): resetting the channel\n",
		       d->ch->no, d->devno, ATA_CMD_TIMEOUT_MS, st);
	} else {
		print_bits(sbuf, sizeof(sbuf), st, st_names);
		print_bits(ebuf, sizeof(ebuf), e, err_names);
		pr_err("ata%u.%02u: status: { %s}\n", d->ch->no, d->devno, sbuf);
		pr_err("ata%u.%02u: error: { %s}\n", d->ch->no, d->devno, ebuf);
		for (int b = 7; b >= 0; b--)
			if (e & (1u << b))
				pr_err("ata%u.%02u: %s: %s\n", d->ch->no, d->devno, err_names[b], err_why[b]);
	}
	pr_err("I/O error, dev %s, sector %llu op 0x%x:(%s) flags 0x0 phys_seg 1 prio class 0\n",
	       d->bdev.bd_name, (unsigned long long)sector, write ? 1 : 0, write ? "WRITE" : "READ");
	(void)count;
}

/* ---- transfers ----------------------------------------------------------- */

/* Select the device, load sector and count (1..256; LBA48 when the disk
 * needs it) and send the command: the LBA28 or _EXT form of cmd28/cmd48.
 * The command sent goes to *cmd (for the error report). */
static int ata_issue(struct ata_device *d, u8 cmd28, u8 cmd48, u64 sector, unsigned count, u8 *cmd)
{
	struct ata_channel *ch = d->ch;
	int err;

	if (d->use_lba48) {
		*cmd = cmd48;
		err = ata_select(d, 0);
		if (!err) { /* the high bytes first: each register is a two-deep FIFO */
			outb(ch->cmd + ATA_REG_NSECT, (u8)(count >> 8));
			outb(ch->cmd + ATA_REG_LBAL, (u8)(sector >> 24));
			outb(ch->cmd + ATA_REG_LBAM, (u8)(sector >> 32));
			outb(ch->cmd + ATA_REG_LBAH, (u8)(sector >> 40));
		}
	} else {
		*cmd = cmd28;
		err = ata_select(d, (u8)((sector >> 24) & 0x0f));
	}
	if (err)
		return err;
	outb(ch->cmd + ATA_REG_NSECT, (u8)count); /* 256 is written as 0 */
	outb(ch->cmd + ATA_REG_LBAL, (u8)sector);
	outb(ch->cmd + ATA_REG_LBAM, (u8)(sector >> 8));
	outb(ch->cmd + ATA_REG_LBAH, (u8)(sector >> 16));
	outb(ch->cmd + ATA_REG_CMD, *cmd);
	ata_pause(ch);
	return 0;
}

/* A failed command: said, the channel reset after a timeout; -EIO. */
static int ata_failed(struct ata_device *d, u8 cmd, u64 sector, unsigned count, u8 st, int err)
{
	ata_report_error(d, cmd, sector, count, st, err);
	if (err == -ETIMEDOUT)
		ata_reset(d->ch);
	return -EIO;
}

static const struct block_device_operations ata_bdev_ops;
static unsigned long nr_dma_commands;

/* PIO: one command of count (1..256) sectors, a DRQ wait and 256 words
 * through the data port per sector; the channel lock held. */
static int ata_pio_chunk(struct ata_device *d, u64 sector, unsigned count, u8 *buf, bool write)
{
	struct ata_channel *ch = d->ch;
	u8 cmd, st = 0;
	u64 t0 = arch_clock_ns();
	int err = write ? ata_issue(d, ATA_CMD_WRITE, ATA_CMD_WRITE_EXT, sector, count, &cmd)
			: ata_issue(d, ATA_CMD_READ, ATA_CMD_READ_EXT, sector, count, &cmd);

	for (unsigned i = 0; !err && i < count; i++, buf += SECTOR_SIZE) {
		err = ata_wait(ch, ATA_DRQ, ATA_DRQ, ATA_CMD_TIMEOUT_MS, &st);
		if (err)
			break;
		if (write)
			outsw(ch->cmd + ATA_REG_DATA, buf, SECTOR_SIZE / 2);
		else
			insw(ch->cmd + ATA_REG_DATA, buf, SECTOR_SIZE / 2);
		ata_pause(ch);
	}
	if (!err && write) /* the last sector written: the command ends when BSY clears */
		err = ata_wait(ch, ATA_BUSY, 0, ATA_CMD_TIMEOUT_MS, &st);
	d->st.busy_ns += arch_clock_ns() - t0;
	if (err)
		return ata_failed(d, cmd, sector, count, st, err);
	d->st.ios[write]++;
	d->st.sectors[write] += count;
	return 0;
}

/* One DMA command of count sectors over the PRD table at table (physical);
 * the channel lock held. The order is the SFF-8038i one: PRD table and
 * direction, clear the status, the command to the drive, then start the
 * engine; done when the drive is idle (BSY and DRQ clear) and the engine
 * no longer active. 0, or -EIO after the report. */
static int ata_dma_run(struct ata_device *d, u32 table, u64 sector, unsigned count, bool write)
{
	struct ata_channel *ch = d->ch;
	u8 cmd, st = 0, dir = write ? 0 : BM_CMD_TO_MEMORY;
	u64 t0 = arch_clock_ns();
	int err;

	outl(ch->bmdma + BM_PRD, table);
	outb(ch->bmdma + BM_CMD, dir);
	outb(ch->bmdma + BM_STATUS, BM_ST_ERR | BM_ST_INTR);
	err = write ? ata_issue(d, ATA_CMD_WRITE_DMA, ATA_CMD_WRITE_DMA_EXT, sector, count, &cmd)
		    : ata_issue(d, ATA_CMD_READ_DMA, ATA_CMD_READ_DMA_EXT, sector, count, &cmd);
	if (!err) {
		outb(ch->bmdma + BM_CMD, dir | BM_CMD_START);
		err = ata_wait(ch, ATA_BUSY | ATA_DRQ, 0, ATA_CMD_TIMEOUT_MS, &st);
	}
	u8 bst = inb(ch->bmdma + BM_STATUS);
	outb(ch->bmdma + BM_CMD, dir); /* stop the engine, whatever happened */
	d->st.busy_ns += arch_clock_ns() - t0;
	if (!err && (bst & (BM_ST_ERR | BM_ST_ACTIVE))) {
		pr_err("ata%u: bus-master status 0x%02x after the command (%s)\n", ch->no, bst,
		       bst & BM_ST_ERR ? "a PCI error" : "the engine did not finish the table");
		err = -EIO;
	}
	if (err)
		return ata_failed(d, cmd, sector, count, st, err);
	__atomic_fetch_add(&nr_dma_commands, 1, __ATOMIC_RELAXED);
	d->st.ios[write]++;
	d->st.sectors[write] += count;
	return 0;
}

/* DMA: one command of count (1..ATA_DMA_SECTORS) sectors through the
 * channel's bounce buffer (one PRD entry); the channel lock held. */
static int ata_dma_chunk(struct ata_device *d, u64 sector, unsigned count, u8 *buf, bool write)
{
	struct ata_channel *ch = d->ch;
	size_t bytes = (size_t)count * SECTOR_SIZE;
	int err;

	if (write)
		memcpy(ch->dma_buf, buf, bytes);
	ch->prd[1] = (u32)bytes | PRD_EOT; /* a count of 65536 is written as 0 */
	err = ata_dma_run(d, (u32)virt_to_phys(ch->prd), sector, count, write);
	if (!err && !write)
		memcpy(buf, ch->dma_buf, bytes);
	return err;
}

static unsigned long nr_dma_bounced;

/* DMA of nr (1..BLK_RW_PAGES_MAX) whole pages at consecutive sectors: one
 * command, a PRD entry per page naming its frame, or its page of the
 * bounce buffer when the frame is above 4 GB; the channel lock held. */
static int ata_dma_pages(struct ata_device *d, u64 sector, struct page **pages, unsigned nr,
			 bool write)
{
	struct ata_channel *ch = d->ch;
	u64 bounce = 0; /* bit i: page i goes through the bounce buffer */
	int err;

	for (unsigned i = 0; i < nr; i++) {
		u64 pa = page_to_phys(pages[i]);

		if (pa + PAGE_SIZE > PRD_LIMIT_4G) {
			u8 *b = ch->dma_buf + (size_t)i * PAGE_SIZE;

			bounce |= 1ull << i;
			pa = virt_to_phys(b);
			if (write) {
				void *va = kmap_local_page(pages[i]);
				memcpy(b, va, PAGE_SIZE);
				kunmap_local(va);
			}
		}
		ch->prd_sg[2 * i] = (u32)pa;
		ch->prd_sg[2 * i + 1] = (u32)PAGE_SIZE | (i == nr - 1 ? PRD_EOT : 0);
	}
	err = ata_dma_run(d, (u32)virt_to_phys(ch->prd_sg), sector, nr * (PAGE_SIZE / SECTOR_SIZE),
			  write);
	if (bounce)
		__atomic_fetch_add(&nr_dma_bounced, (unsigned long)__builtin_popcountll(bounce),
				   __ATOMIC_RELAXED);
	for (unsigned i = 0; !err && !write && i < nr; i++)
		if (bounce & (1ull << i)) {
			void *va = kmap_local_page(pages[i]);
			memcpy(va, ch->dma_buf + (size_t)i * PAGE_SIZE, PAGE_SIZE);
			kunmap_local(va);
		}
	return err;
}

bool ata_uses_dma(const struct block_device *b)
{
	const struct ata_device *d = b->ops == &ata_bdev_ops ? b->bd_private : NULL;

	return d && d->ch->bmdma;
}

unsigned long ata_dma_commands(void) { return __atomic_load_n(&nr_dma_commands, __ATOMIC_RELAXED); }
unsigned long ata_dma_bounced(void) { return __atomic_load_n(&nr_dma_bounced, __ATOMIC_RELAXED); }

static int ata_rw_sectors(struct block_device *b, u64 sector, unsigned count, void *buf, bool write)
{
	struct ata_device *d = b->bd_private;
	u64 t0 = arch_clock_ns();
	int err = 0;

	channel_lock(d->ch);
	while (count && !err) {
		unsigned max = d->ch->bmdma ? ATA_DMA_SECTORS : ATA_MAX_SECTORS;
		unsigned n = count < max ? count : max;

		err = d->ch->bmdma ? ata_dma_chunk(d, sector, n, buf, write)
				   : ata_pio_chunk(d, sector, n, buf, write);
		sector += n;
		count -= n;
		buf = (u8 *)buf + (size_t)n * SECTOR_SIZE;
	}
	d->st.nsecs[write] += arch_clock_ns() - t0;
	channel_unlock(d->ch);
	return err;
}

/* The block interface's rw_pages: one DMA command for the run; by PIO
 * (libata.dma=0), one command per page through kmap_local, the request
 * failing as a whole if one does. */
static int ata_rw_pages(struct block_device *b, u64 sector, struct page **pages, unsigned nr,
			bool write)
{
	struct ata_device *d = b->bd_private;
	u64 t0 = arch_clock_ns();
	int err = 0;

	if (!nr || nr > BLK_RW_PAGES_MAX)
		return -EINVAL;
	channel_lock(d->ch);
	if (d->ch->bmdma) {
		err = ata_dma_pages(d, sector, pages, nr, write);
	} else {
		for (unsigned i = 0; i < nr && !err; i++) {
			void *va = kmap_local_page(pages[i]);

			err = ata_pio_chunk(d, sector + (u64)i * (PAGE_SIZE / SECTOR_SIZE),
					    PAGE_SIZE / SECTOR_SIZE, va, write);
			kunmap_local(va);
		}
	}
	if (!err && d->ch->bmdma)
		d->st.merges[write] += nr - 1;
	d->st.nsecs[write] += arch_clock_ns() - t0;
	channel_unlock(d->ch);
	return err;
}

static const struct block_device_operations ata_bdev_ops = { .rw_sectors = ata_rw_sectors,
							     .rw_pages = ata_rw_pages };

/* ---- /proc/diskstats ------------------------------------------------------ */

static struct ata_device *ata_disks[4];

/* Linux 6.1's diskstats_show line for each ATA disk: major minor name, then
 * reads, merges, sectors, ms; writes, merges, sectors, ms; in flight,
 * io_ticks ms, weighted ms; discards (4 zeros); flushes (2 zeros). */
static int diskstats_show(struct seq_file *m, void *data)
{
	(void)data;
	for (unsigned i = 0; i < ARRAY_SIZE(ata_disks); i++) {
		struct ata_device *d = ata_disks[i];
		struct ata_stats s;

		if (!d)
			continue;
		channel_lock(d->ch); /* a consistent copy */
		s = d->st;
		channel_unlock(d->ch);
		seq_printf(m, "%4u %7u %s %lu %lu %lu %u %lu %lu %lu %u %u %u %u %lu %lu %lu %u %lu %u\n",
			   MAJOR(d->bdev.bd_dev), MINOR(d->bdev.bd_dev), d->bdev.bd_name, s.ios[0],
			   s.merges[0], s.sectors[0], (unsigned)(s.nsecs[0] / 1000000), s.ios[1],
			   s.merges[1], s.sectors[1], (unsigned)(s.nsecs[1] / 1000000), 0u,
			   (unsigned)(s.busy_ns / 1000000),
			   (unsigned)((s.nsecs[0] + s.nsecs[1]) / 1000000), 0ul, 0ul, 0ul, 0u, 0ul, 0u);
	}
	return 0;
}

int ata_proc_init(void)
{
	return proc_create_single("diskstats", diskstats_show, NULL);
}

/* ---- detection ----------------------------------------------------------- */

/* IDENTIFY (cmd 0xec or 0xa1) into d->id: 0, -ENODEV (nothing there),
 * -EMEDIUMTYPE-like 1 for an ATAPI signature, -EIO. */
#define ATA_IS_ATAPI 1
static int ata_identify(struct ata_device *d, u8 cmd)
{
	struct ata_channel *ch = d->ch;
	u8 st;

	outb(ch->cmd + ATA_REG_DEVICE, (u8)(0xa0 | d->devno << 4));
	ata_pause(ch);
	st = altstatus(ch);
	if (st == 0 || st == 0xff)
		return -ENODEV; /* no device (0), or no channel: the bus floats (0xff) */
	outb(ch->cmd + ATA_REG_NSECT, 0);
	outb(ch->cmd + ATA_REG_LBAL, 0);
	outb(ch->cmd + ATA_REG_LBAM, 0);
	outb(ch->cmd + ATA_REG_LBAH, 0);
	outb(ch->cmd + ATA_REG_CMD, cmd);
	ata_pause(ch);
	if (altstatus(ch) == 0)
		return -ENODEV;
	int err = ata_wait(ch, ATA_DRQ, ATA_DRQ, ATA_PROBE_TIMEOUT_MS, &st);
	if (err) {
		u8 m = inb(ch->cmd + ATA_REG_LBAM), h = inb(ch->cmd + ATA_REG_LBAH);

		if (cmd == ATA_CMD_ID_ATA && m == 0x14 && h == 0xeb)
			return ATA_IS_ATAPI;
		return err == -ETIMEDOUT ? -EIO : -ENODEV;
	}
	insw(ch->cmd + ATA_REG_DATA, d->id, 256);
	return 0;
}

/* IDENTIFY's string (byte-swapped words), trailing spaces cut. */
static void id_string(const u16 *id, unsigned first, unsigned words, char *out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < words; i++) {
		out[n++] = (char)(id[first + i] >> 8);
		out[n++] = (char)(id[first + i] & 0xff);
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = 0;
}

static int highest_bit(unsigned v) { return v ? 31 - __builtin_clz(v) : -1; }

/* "ATA-7: QEMU HARDDISK, 2.5+, max UDMA/100", or "ATAPI: ..." (Linux's
 * ata_dev_configure line). */
static void print_identity(struct ata_device *d, bool atapi)
{
	static const char *const udma[8] = { "UDMA/16", "UDMA/25", "UDMA/33", "UDMA/44",
					     "UDMA/66", "UDMA/100", "UDMA/133", "UDMA7" };
	const u16 *id = d->id;
	char model[41], fw[9], ver[8] = "ATA";
	int major = (id[80] && id[80] != 0xffff) ? highest_bit(id[80] & 0x7ffe) : -1;
	int mode = (id[53] & 4) ? highest_bit(id[88] & 0xff) : -1;

	id_string(id, 27, 20, model);
	id_string(id, 23, 4, fw);
	if (major > 0)
		snprintf(ver, sizeof(ver), "ATA-%d", major);
	pr_info("ata%u.%02u: %s: %s, %s, max %s\n", d->ch->no, d->devno, atapi ? "ATAPI" : ver,
		model, fw,
		mode >= 0 ? udma[mode] : "PIO4");
}

static unsigned nr_disks;

static void ata_attach_disk(struct ata_device *d)
{
	const u16 *id = d->id;
	char dec[16], bin[16];
	u64 n;

	d->lba48 = id[83] & (1u << 10);
	n = d->lba48 ? (u64)id[100] | (u64)id[101] << 16 | (u64)id[102] << 32 | (u64)id[103] << 48
		     : (u64)id[60] | (u64)id[61] << 16;
	d->use_lba48 = d->lba48 && n > LBA28_LIMIT;
	print_identity(d, false);
	pr_info("ata%u.%02u: %llu sectors, multi %u: %s \n", d->ch->no, d->devno,
		(unsigned long long)n, 1u << highest_bit((id[47] & 0xff) | 1),
		d->lba48 ? "LBA48" : "LBA");
	if (!n) {
		pr_err("ata%u.%02u: reports 0 sectors: ignored\n", d->ch->no, d->devno);
		return;
	}
	snprintf(d->bdev.bd_name, sizeof(d->bdev.bd_name), "sd%c", 'a' + nr_disks);
	d->bdev.bd_dev = MKDEV(SCSI_DISK0_MAJOR, SD_MINORS * nr_disks);
	d->bdev.nr_sectors = n;
	d->bdev.ops = &ata_bdev_ops;
	d->bdev.bd_private = d;
	string_get_size(n * SECTOR_SIZE, false, dec, sizeof(dec));
	string_get_size(n * SECTOR_SIZE, true, bin, sizeof(bin));
	pr_info("sd %u:0:%u:0: [%s] %llu 512-byte logical blocks: (%s/%s)\n", d->ch->no - 1,
		d->devno, d->bdev.bd_name, (unsigned long long)n, dec, bin);
	if (register_blkdev_disk(&d->bdev)) {
		pr_err("sd %u:0:%u:0: [%s] cannot register the disk\n", d->ch->no - 1, d->devno,
		       d->bdev.bd_name);
		return;
	}
	pr_info("sd %u:0:%u:0: [%s] Attached SCSI disk\n", d->ch->no - 1, d->devno, d->bdev.bd_name);
	if (nr_disks < ARRAY_SIZE(ata_disks))
		ata_disks[nr_disks] = d;
	nr_disks++;
}

static void ata_probe(struct ata_channel *ch, unsigned devno)
{
	struct ata_device *d = kzalloc(sizeof(*d), GFP_KERNEL);
	int r;

	if (!d) {
		pr_err("ata%u.%02u: no memory to probe\n", ch->no, devno);
		return;
	}
	d->ch = ch;
	d->devno = devno;
	r = ata_identify(d, ATA_CMD_ID_ATA);
	if (r == 0) {
		ata_attach_disk(d);
		if (d->bdev.ops)
			return; /* kept: the block device points at it */
	} else if (r == ATA_IS_ATAPI) {
		if (ata_identify(d, ATA_CMD_ID_ATAPI) == 0)
			print_identity(d, true);
		pr_info("ata%u.%02u: ATAPI (CD/DVD): not a disk, left alone\n", ch->no, devno);
	} else if (r == -EIO) {
		pr_err("ata%u.%02u: IDENTIFY got no answer in %u ms: ignored\n", ch->no, devno,
		       ATA_PROBE_TIMEOUT_MS);
		ata_reset(ch);
	}
	kfree(d);
}

/* ---- the bus-master registers (found by arch/x86/pci.c) -------------------- */

/* The channel's 128 KB bounce buffer (naturally aligned: no page of it
 * crosses a 64 KB boundary, and its first 64 KB, rw_sectors' one PRD
 * region, neither), rw_sectors' PRD entry (a lowmem kmalloc, a
 * dword-aligned 8 bytes that cannot cross a 4 KB page) and rw_pages' table
 * (a lowmem page: 32 entries, 256 bytes). false: PIO. */
static bool ata_dma_setup(struct ata_channel *ch, u16 bm)
{
	struct page *pg = alloc_pages(GFP_KERNEL, ATA_DMA_ORDER), *sg = alloc_page(GFP_KERNEL);

	ch->prd = kmalloc(8, GFP_KERNEL);
	if (!pg || !sg || !ch->prd) {
		pr_err("ata%u: no memory for the DMA buffer: PIO\n", ch->no);
		if (pg)
			__free_pages(pg, ATA_DMA_ORDER);
		if (sg)
			__free_pages(sg, 0);
		kfree(ch->prd);
		ch->prd = NULL;
		return false;
	}
	ch->dma_buf = page_address(pg);
	ch->prd[0] = (u32)page_to_phys(pg);
	ch->prd_sg = page_address(sg);
	ch->bmdma = bm;
	outb(bm + BM_CMD, 0);
	outb(bm + BM_STATUS, BM_ST_ERR | BM_ST_INTR);
	return true;
}

void ata_init(void)
{
	unsigned dma = 1;
	u16 bm = 0;

	if (cmdline_get_uint("libata.dma", &dma) < 0)
		dma = 1;
	if (dma)
		bm = pci_ide_bmdma();
	for (unsigned c = 0; c < ARRAY_SIZE(channels); c++) {
		struct ata_channel *ch = &channels[c];

		if (inb(ch->cmd + ATA_REG_STATUS) == 0xff)
			continue; /* floating bus: no channel */
		outb(ch->ctl, ATA_NIEN); /* polled: no interrupts from the devices */
		if (bm && ata_dma_setup(ch, (u16)(bm + 8 * c)))
			pr_info("ata%u: PATA max UDMA/100 cmd 0x%x ctl 0x%x bmdma 0x%x irq %u (polled)\n",
				ch->no, ch->cmd, ch->ctl, ch->bmdma, c ? 15 : 14);
		else
			pr_info("ata%u: PATA max UDMA/100 cmd 0x%x ctl 0x%x irq %u (polled%s)\n", ch->no,
				ch->cmd, ch->ctl, c ? 15 : 14, dma ? "" : ", libata.dma=0");
		channel_lock(ch);
		ata_probe(ch, 0);
		ata_probe(ch, 1);
		channel_unlock(ch);
	}
}
