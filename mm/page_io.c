/* page_io.c - pages to and from their swap slots.
 *
 * The slot of an entry is page offset * 8 sectors into the area's block
 * device (slot 0 is the header). I/O goes by REQUESTS of whole pages: a
 * run of pages whose slots are consecutive in one area is one request,
 * which the disk driver turns into one command (arch/x86/ata.c's rw_pages:
 * a bus-master DMA command whose PRD table names each page's frame, so no
 * kmap is needed; a device without rw_pages gets one rw_sectors call per
 * page through kmap_local). Under QEMU a command costs far more than the
 * bytes it moves (docs/swap.md), so runs are what make swap fast.
 *
 * Where runs come from:
 *   - writes: reclaim unmaps a batch of up to 32 pages, and the slot
 *     allocator gives each CPU consecutive slots (mm/swapfile.c's
 *     clusters); the batch's dirty pages are queued on a plug (struct
 *     swap_iocb, Linux's name for the swap plug that shrink_folio_list
 *     hands to pageout) and swap_write_unplug sorts them by slot and writes
 *     each run as one request (Linux's blk_start_plug/blk_finish_plug
 *     merging the bios of consecutive sectors);
 *   - reads: swap-in reads the aligned cluster of 8 slots around the fault
 *     (mm/swap_state.c's swap_cluster_readahead) with swap_readpages.
 *
 * Synchronous, as the contract in include/swap.h says: Linux submits bios
 * and completes them from the disk's interrupt; here a request returns when
 * it is done, and each page is then finished as Linux's end_swap_bio_write
 * / end_swap_bio_read would: the page is PG_locked by the caller
 * throughout (flags change with set_page_bit: reclaim and faults on other
 * CPUs may look at the same page); a write sets PG_writeback (and NR_WRITEBACK) while it runs;
 * on success the page is clean (PG_dirty cleared: the slot holds its
 * contents); on an error every page of that request is left dirty and in
 * memory, and the log names each page's sector. A read sets PG_uptodate
 * only when the data arrived. Counters: PSWPOUT/PSWPIN per page,
 * PGPGOUT/PGPGIN in kB as Linux counts them.
 */
#include "blkdev.h"
#include "errno.h"
#include "highmem.h"
#include "mm.h"
#include "pagemap.h"
#include "printk.h"
#include "swap.h"
#include "vmstat.h"

#define PAGE_SECTORS (PAGE_SIZE >> SECTOR_SHIFT)

/* The area and slot offset of the page's entry, or -EINVAL (said) if
 * page->private is no slot in use. */
static int page_slot(struct page *page, const char *who, struct swap_info_struct **sip,
		     unsigned long *off)
{
	swp_entry_t entry = { page->private };
	struct swap_info_struct *si = swp_swap_info(entry);

	if (!si || !__swap_count(entry)) {
		pr_err("%s: pfn %#lx: entry %08lx is no swap slot in use\n", who,
		       page_to_pfn(page), entry.val);
		return -EINVAL;
	}
	*sip = si;
	*off = swp_offset(entry);
	return 0;
}

/* One request of nr pages at sector on: the driver's rw_pages, or one
 * rw_sectors per page through kmap_local. Counted on the device as
 * bdev_rw counts. 0 or -EIO. */
static int bdev_rw_run(struct block_device *b, u64 sector, struct page **pages, unsigned nr,
		       bool write)
{
	u64 count = (u64)nr * PAGE_SECTORS;
	int err = 0;

	if (sector >= b->nr_sectors || count > b->nr_sectors - sector) {
		err = -EINVAL;
	} else if (b->ops->rw_pages) {
		err = b->ops->rw_pages(b, sector, pages, nr, write);
	} else {
		for (unsigned i = 0; i < nr && !err; i++) {
			void *va = kmap_local_page(pages[i]);
			err = b->ops->rw_sectors(b, sector + (u64)i * PAGE_SECTORS, PAGE_SECTORS, va,
						 write);
			kunmap_local(va);
		}
	}
	if (err)
		__atomic_add_fetch(&b->nr_errors, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(write ? &b->nr_writes : &b->nr_reads, (unsigned long)count,
				   __ATOMIC_RELAXED);
	return err ? -EIO : 0;
}

/* Write pages[0..nr) to the consecutive slots from off of si as one request,
 * then finish each page (Linux's end_swap_bio_write): the request's result. */
static int swap_write_run(struct swap_info_struct *si, unsigned long off, struct page **pages,
			  unsigned nr)
{
	u64 sector = (u64)off * PAGE_SECTORS;

	for (unsigned i = 0; i < nr; i++)
		set_page_bit(pages[i], PG_writeback);
	mod_node_page_state(NR_WRITEBACK, (long)nr);
	int err = bdev_rw_run(si->bdev, sector, pages, nr, true);
	for (unsigned i = 0; i < nr; i++) {
		struct page *page = pages[i];

		clear_page_bit(page, PG_writeback);
		if (err) {
			set_page_bit(page, PG_dirty); /* still the only good copy */
			printk(KERN_ALERT "Write-error on swap-device (%u:%u:%llu)\n",
			       MAJOR(si->bdev->bd_dev), MINOR(si->bdev->bd_dev),
			       (unsigned long long)(sector + (u64)i * PAGE_SECTORS));
		} else {
			clear_page_bit(page, PG_dirty);
		}
	}
	mod_node_page_state(NR_WRITEBACK, -(long)nr);
	if (!err) {
		count_vm_events(PSWPOUT, nr);
		count_vm_events(PGPGOUT, nr * (PAGE_SIZE / 1024));
	}
	return err;
}

int swap_writepage(struct page *page)
{
	struct swap_info_struct *si;
	unsigned long off;
	int err = page_slot(page, "swap_writepage", &si, &off);

	return err ? err : swap_write_run(si, off, &page, 1);
}

/* ---- the plug ------------------------------------------------------------ */

void swap_plug_init(struct swap_iocb *plug)
{
	plug->nr = 0;
	plug->submitted = false;
}

int swap_writepage_plug(struct page *page, struct swap_iocb *plug)
{
	if (plug->submitted || plug->nr == SWAP_IOCB_MAX)
		return -ENOSPC;
	plug->pages[plug->nr] = page;
	plug->err[plug->nr++] = 0;
	return 0;
}

/* Order of two plugged pages: by area, then slot. */
static bool slot_before(const struct page *a, const struct page *b)
{
	swp_entry_t ea = { a->private }, eb = { b->private };

	if (swp_type(ea) != swp_type(eb))
		return swp_type(ea) < swp_type(eb);
	return swp_offset(ea) < swp_offset(eb);
}

void swap_write_unplug(struct swap_iocb *plug)
{
	struct swap_info_struct *si[SWAP_IOCB_MAX];
	unsigned long off[SWAP_IOCB_MAX];

	/* sorted by slot (insertion sort of at most 32) */
	for (unsigned i = 1; i < plug->nr; i++)
		for (unsigned j = i; j > 0 && slot_before(plug->pages[j], plug->pages[j - 1]); j--) {
			struct page *t = plug->pages[j];
			plug->pages[j] = plug->pages[j - 1];
			plug->pages[j - 1] = t;
		}
	for (unsigned i = 0; i < plug->nr; i++)
		plug->err[i] = page_slot(plug->pages[i], "swap_write_unplug", &si[i], &off[i]);
	for (unsigned i = 0, j; i < plug->nr; i = j) {
		j = i + 1;
		if (plug->err[i])
			continue;
		while (j < plug->nr && j - i < BLK_RW_PAGES_MAX && !plug->err[j] && si[j] == si[i] &&
		       off[j] == off[i] + (j - i))
			j++;
		int err = swap_write_run(si[i], off[i], &plug->pages[i], j - i);
		for (unsigned k = i; k < j; k++)
			plug->err[k] = err;
	}
	plug->submitted = true;
}

bool swap_iocb_result(const struct swap_iocb *plug, const struct page *page, int *err)
{
	for (unsigned i = 0; plug && plug->submitted && i < plug->nr; i++)
		if (plug->pages[i] == page) {
			*err = plug->err[i];
			return true;
		}
	return false;
}

/* ---- reads ----------------------------------------------------------------- */

int swap_readpages(struct page **pages, unsigned nr)
{
	struct swap_info_struct *si;
	unsigned long off;
	int err = page_slot(pages[0], "swap_readpage", &si, &off);

	if (err)
		return err;
	if (nr > BLK_RW_PAGES_MAX)
		return -EINVAL;
	for (unsigned i = 1; i < nr; i++)
		if (pages[i]->private != swp_entry(si->type, off + i).val) {
			pr_err("swap_readpages: page %u of %u is not at the next slot\n", i, nr);
			return -EINVAL;
		}
	u64 sector = (u64)off * PAGE_SECTORS;
	err = bdev_rw_run(si->bdev, sector, pages, nr, false);
	for (unsigned i = 0; i < nr; i++) {
		if (err) {
			clear_page_bit(pages[i], PG_uptodate);
			printk(KERN_ALERT "Read-error on swap-device (%u:%u:%llu)\n",
			       MAJOR(si->bdev->bd_dev), MINOR(si->bdev->bd_dev),
			       (unsigned long long)(sector + (u64)i * PAGE_SECTORS));
		} else {
			set_page_bit(pages[i], PG_uptodate);
		}
	}
	if (!err) {
		count_vm_events(PSWPIN, nr);
		count_vm_events(PGPGIN, nr * (PAGE_SIZE / 1024));
	}
	return err;
}

int swap_readpage(struct page *page)
{
	return swap_readpages(&page, 1);
}
