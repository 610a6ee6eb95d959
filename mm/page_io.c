/* page_io.c - one page to or from its swap slot.
 *
 * The slot of an entry is page offset * 8 sectors into the area's block
 * device (slot 0 is the header). The disk driver copies through the CPU
 * (ATA PIO), so the page is mapped with kmap_local_page for the transfer:
 * a HighMem page has no permanent kernel address, and the mapping may be
 * kept across the sleeps of the driver's wait (kmap_local mappings follow
 * their task). Synchronous, as the contract in include/swap.h says: Linux
 * submits a bio and completes it from the disk's interrupt; here the call
 * returns when the I/O is done, which the caller (reclaim, swap-in, the
 * tests) is written for.
 *
 * Flags, Linux's meanings: the page is PG_locked by the caller throughout.
 * A write sets PG_writeback (and NR_WRITEBACK) while it runs; on success
 * the page is clean (PG_dirty cleared: the slot holds its contents); on an
 * error it is left dirty and in memory, and the log says which sector
 * failed. A read sets PG_uptodate only when the data arrived. Counters:
 * PSWPOUT/PSWPIN per page, PGPGOUT/PGPGIN in kB as Linux counts them.
 */
#include "blkdev.h"
#include "errno.h"
#include "highmem.h"
#include "mm.h"
#include "printk.h"
#include "swap.h"
#include "vmstat.h"

#define PAGE_SECTORS (PAGE_SIZE >> SECTOR_SHIFT)

/* The area and first sector of the page's slot, or -EINVAL (said) if
 * page->private is no slot in use. */
static int page_slot(struct page *page, const char *who, struct swap_info_struct **sip, u64 *sector)
{
	swp_entry_t entry = { page->private };
	struct swap_info_struct *si = swp_swap_info(entry);

	if (!si || !__swap_count(entry)) {
		pr_err("%s: pfn %#lx: entry %08lx is no swap slot in use\n", who,
		       page_to_pfn(page), entry.val);
		return -EINVAL;
	}
	*sip = si;
	*sector = (u64)swp_offset(entry) * PAGE_SECTORS;
	return 0;
}

static int page_rw(struct block_device *bdev, struct page *page, u64 sector, bool write)
{
	void *va = kmap_local_page(page);
	int err = bdev_rw(bdev, sector, PAGE_SECTORS, va, write);

	kunmap_local(va);
	return err ? -EIO : 0;
}

int swap_writepage(struct page *page)
{
	struct swap_info_struct *si;
	u64 sector;
	int err = page_slot(page, "swap_writepage", &si, &sector);

	if (err)
		return err;
	SetPageWriteback(page);
	mod_node_page_state(NR_WRITEBACK, 1);
	err = page_rw(si->bdev, page, sector, true);
	ClearPageWriteback(page);
	mod_node_page_state(NR_WRITEBACK, -1);
	if (err) {
		SetPageDirty(page); /* still the only good copy */
		printk(KERN_ALERT "Write-error on swap-device (%u:%u:%llu)\n", MAJOR(si->bdev->bd_dev),
		       MINOR(si->bdev->bd_dev), (unsigned long long)sector);
		return err;
	}
	ClearPageDirty(page);
	count_vm_event(PSWPOUT);
	count_vm_events(PGPGOUT, PAGE_SIZE / 1024);
	return 0;
}

int swap_readpage(struct page *page)
{
	struct swap_info_struct *si;
	u64 sector;
	int err = page_slot(page, "swap_readpage", &si, &sector);

	if (err)
		return err;
	err = page_rw(si->bdev, page, sector, false);
	if (err) {
		ClearPageUptodate(page);
		printk(KERN_ALERT "Read-error on swap-device (%u:%u:%llu)\n", MAJOR(si->bdev->bd_dev),
		       MINOR(si->bdev->bd_dev), (unsigned long long)sector);
		return err;
	}
	SetPageUptodate(page);
	count_vm_event(PSWPIN);
	count_vm_events(PGPGIN, PAGE_SIZE / 1024);
	return 0;
}
