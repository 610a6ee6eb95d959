/* reclaim_bench.c - what reclaim and swap cost per page, in instructions:
 *   lru_scan      one page of an LRU scan: isolate it, page_referenced over
 *                 its PTE (test and clear the accessed bit), put it back
 *   swap_unmap    the first half of swap_out_page: a slot and the swap
 *                 cache (add_to_swap), the PTE turned into the entry
 *                 (try_to_unmap, TLB flush); no write, no free (the
 *                 pages are put back afterwards, untimed)
 *   swap_out_page a whole swap-out of one page as reclaim does it
 *                 (reclaim_anon_page): isolate, slot, swap cache, rmap walk
 *                 and unmap with its own TLB flush, the write's submission
 *                 and completion, out of the cache, the frame freed
 *   swap_in_page  a major fault on a swapped-out page, from the trap to the
 *                 return: do_page_fault, the swap cache lookup, a new page,
 *                 the read, the PTE mapped (the touch that faults is taken
 *                 off: it is measured again on the mapped page)
 *   reclaim_pass_scan / reclaim_pass_steal
 *                 direct reclaim (try_to_free_pages) over the benchmark's
 *                 pages until they are gone: the pass's instructions per
 *                 page scanned (pgscan) and per page reclaimed (pgsteal)
 * The disk is left out of every figure: while a benchmark runs, the swap
 * areas' block devices go through timed_rw, which counts the cycles spent
 * inside the driver's rw_sectors (command set-up, the DMA bounce copy, the
 * polled wait for the disk, the tasks that ran meanwhile) and they are
 * subtracted. What stays is what the memory side costs. The swap benchmarks
 * need a swap area (make bench boots with a mkswap disk as sda and
 * swapon=/dev/sda); without one, or when a page does not go out or come
 * back, the row says why (bench_fail) instead of giving a number.
 * The pages are a kernel-made address space's, faulted in by handle_mm_fault. */
#include "bench.h"
#include "blkdev.h"
#include "errno.h"
#include "highmem.h"
#include "mm_inline.h"
#include "mm_types.h"
#include "mmzone.h"
#include "pagemap.h"
#include "printk.h"
#include "rmap.h"
#include "sched.h"
#include "swap_state.h"
#include "uaccess.h"
#include "vmscan.h"
#include "vmstat.h"

#define NPAGES 256
#define BASE 0x10000000UL
#define PATTERN(i) (0x5a000000u | (u32)(i)) /* page i's first word, checked after swap-in */

static char why[160]; /* bench_fail's reason, when it needs numbers in it */

/* An address space with NPAGES written anonymous pages, their pages in
 * pages[]; each page's first word is PATTERN(its index). */
static struct mm_struct *bench_mm(struct page **pages)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (do_mmap(mm, BASE, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) != (long)BASE)
		goto fail;
	for (int i = 0; i < NPAGES; i++) {
		unsigned long a = BASE + (unsigned long)i * PAGE_SIZE;
		if (handle_mm_fault(mm, a, FAULT_FLAG_WRITE))
			goto fail;
		pte_t *pte = user_pte_map(mm, a);
		pages[i] = pfn_to_page(pte_pfn(ptep_get(pte)));
		pte_unmap(pte);
		u32 *va = kmap_local_page(pages[i]);
		*va = PATTERN(i);
		kunmap_local(va);
	}
	lru_add_drain(); /* the last faults' pages onto the LRU lists, where the benches find them */
	return mm;
fail:
	exit_mmap(mm);
	mmput(mm);
	return NULL;
}

static void bench_mm_end(struct mm_struct *mm)
{
	exit_mmap(mm);
	mmput(mm);
}

static struct page *pages[NPAGES];

static u64 bench_lru_scan(void)
{
	struct mm_struct *mm = bench_mm(pages);

	if (!mm)
		return 0;
	u64 t0 = bench_cycles();
	for (int i = 0; i < NPAGES; i++) {
		if (!isolate_lru_page(pages[i]))
			continue;
		page_referenced(pages[i]);
		putback_lru_page(pages[i]);
	}
	u64 v = bench_per_op(t0, bench_cycles(), NPAGES);
	bench_mm_end(mm);
	return v;
}
BENCH(lru_scan, "one page scanned: isolate, page_referenced over its PTE, put back", bench_lru_scan);

/* ---- the disk left out: cycles inside the block driver ---- */

static struct block_device *io_bdev[MAX_SWAPFILES];
static const struct block_device_operations *io_orig[MAX_SWAPFILES];
static u64 io_ticks;        /* cycles inside the drivers since io_timing_on */
static unsigned long io_calls;

static const struct block_device_operations *orig_ops(struct block_device *b)
{
	for (unsigned i = 0; i < MAX_SWAPFILES; i++)
		if (io_bdev[i] == b)
			return io_orig[i];
	return NULL;
}

/* The driver's rw_sectors, timed; the look-up is inside the timed part too. */
static int timed_rw(struct block_device *b, u64 sector, unsigned count, void *buf, bool write)
{
	u64 t0 = bench_cycles();
	int err = orig_ops(b)->rw_sectors(b, sector, count, buf, write);
	io_ticks += bench_cycles() - t0;
	io_calls++;
	return err;
}

/* The driver's rw_pages (a run of pages as one command: swap-out's plug and
 * swap-in's readahead), timed the same way. */
static int timed_rw_pages(struct block_device *b, u64 sector, struct page **pages, unsigned nr,
			  bool write)
{
	u64 t0 = bench_cycles();
	int err = orig_ops(b)->rw_pages(b, sector, pages, nr, write);
	io_ticks += bench_cycles() - t0;
	io_calls++;
	return err;
}
/* For a driver with rw_pages and for one without (mm/page_io.c then falls
 * back to rw_sectors per page): the same requests reach the driver. */
static const struct block_device_operations timed_ops = { .rw_sectors = timed_rw };
static const struct block_device_operations timed_ops_pages = { .rw_sectors = timed_rw,
								 .rw_pages = timed_rw_pages };

/* Room for the benchmark's pages in swap: false after bench_fail if there
 * is no swap area (or too little of it free). */
static bool swap_room(void)
{
	long free = __atomic_load_n(&nr_swap_pages, __ATOMIC_RELAXED);

	if (free >= 2 * NPAGES)
		return true;
	snprintf(why, sizeof(why), "%ld free swap slots, %d needed: no swap area on "
		 "(boot with a mkswap disk as sda and swapon=/dev/sda)", free, 2 * NPAGES);
	bench_fail(why);
	return false;
}

/* No benchmark address space: said. */
static void no_mm(void) { bench_fail("no memory for the benchmark's address space"); }

/* swap_room, then every swap area's disk timed (io_timing_off undoes it). */
static bool io_timing_on(void)
{
	if (!swap_room())
		return false;
	io_ticks = 0;
	io_calls = 0;
	for (unsigned i = 0; i < MAX_SWAPFILES; i++) {
		struct swap_info_struct *si = &swap_info[i];
		io_bdev[i] = NULL;
		if ((si->flags & SWP_USED) && si->bdev && si->bdev->ops != &timed_ops &&
		    si->bdev->ops != &timed_ops_pages) {
			io_bdev[i] = si->bdev;
			io_orig[i] = si->bdev->ops;
			si->bdev->ops = io_orig[i]->rw_pages ? &timed_ops_pages : &timed_ops;
		}
	}
	return true;
}

static void io_timing_off(void)
{
	for (unsigned i = 0; i < MAX_SWAPFILES; i++)
		if (io_bdev[i]) {
			io_bdev[i]->ops = io_orig[i];
			io_bdev[i] = NULL;
		}
}

/* Cycles from t0 to now without the drivers' since io0 (never below 0). */
static u64 cpu_ticks(u64 t0, u64 io0)
{
	u64 all = bench_cycles() - t0, io = io_ticks - io0;

	return all > io ? all - io : 0;
}

/* ---- swap-out and swap-in ---- */

/* The first half of a swap-out, timed: every page locked, given a slot and
 * a place in the swap cache, unmapped (rmap walk, PTE to entry, TLB
 * flush). Then, untimed, each is put back as it was (anon_vma_unuse_entry
 * walks the VMA for the entry: swapoff's search, not part of a swap-out). */
static u64 bench_swap_unmap(void)
{
	if (!swap_room())
		return 0;
	struct mm_struct *mm = bench_mm(pages);
	if (!mm) {
		no_mm();
		return 0;
	}
	bool locked[NPAGES], out[NPAGES];
	int n = 0;
	u64 t0 = bench_cycles();
	for (int i = 0; i < NPAGES; i++) {
		struct page *p = pages[i];
		locked[i] = trylock_page(p);
		out[i] = locked[i] && add_to_swap(p) && try_to_unmap(p);
		n += out[i];
	}
	u64 v = n ? bench_per_op(t0, bench_cycles(), (u64)n) : 0;
	for (int i = 0; i < NPAGES; i++) {
		struct page *p = pages[i];
		if (!locked[i])
			continue; /* someone else's lock */
		if (out[i]) {
			swp_entry_t e = { p->private };
			clear_page_bit(p, PG_dirty);
			anon_vma_unuse_entry(page_anon_vma(p), e, p); /* the PTE maps the page again */
		}
		if (PageSwapCache(p))
			try_to_free_swap(p);
		unlock_page(p);
	}
	bench_mm_end(mm);
	if (n < NPAGES) {
		snprintf(why, sizeof(why), "only %d of %d pages went into swap and were unmapped",
			 n, NPAGES);
		bench_fail(why);
	}
	return v;
}
BENCH(swap_unmap, "swap-out's first half: slot, swap cache, rmap unmap+flush (no write, no free)",
      bench_swap_unmap);

/* Swap out pg[0..NPAGES) one at a time as reclaim does (isolate, lock,
 * reclaim_anon_page, the isolation's put frees the frame): true, or false
 * after bench_fail naming the first page that stayed (put back). */
static bool swap_out_pages(struct page **pg)
{
	for (int i = 0; i < NPAGES; i++) {
		struct page *p = pg[i];
		int err = -EAGAIN;
		if (!isolate_lru_page(p)) {
			snprintf(why, sizeof(why), "page %d of %d was on no LRU list", i, NPAGES);
			bench_fail(why);
			return false;
		}
		if (trylock_page(p)) {
			err = reclaim_anon_page(p);
			unlock_page(p);
		}
		if (err) {
			putback_lru_page(p);
			snprintf(why, sizeof(why), "page %d of %d not swapped out: %s", i, NPAGES,
				 err == -ENOSPC ? "no free swap slot" : err == -EIO ? "write error"
				 : err == -EAGAIN ? "locked by someone else" : "still mapped or held");
			bench_fail(why);
			return false;
		}
		put_page(p); /* the isolation's reference, the last: the frame is free */
	}
	return true;
}

static u64 bench_swap_out_page(void)
{
	if (!io_timing_on())
		return 0;
	struct mm_struct *mm = bench_mm(pages);
	u64 v = 0;
	if (mm) {
		u64 out0 = global_vm_event(PSWPOUT), io0 = io_ticks, t0 = bench_cycles();
		bool ok = swap_out_pages(pages);
		u64 ticks = cpu_ticks(t0, io0);
		unsigned long out = global_vm_event(PSWPOUT) - out0;
		if (ok && out != NPAGES) {
			snprintf(why, sizeof(why), "pswpout moved by %lu, not %d", out, NPAGES);
			bench_fail(why);
		} else if (ok) {
			v = bench_per_op(0, ticks, NPAGES);
			pr_info("bench: swap_out_page: %lu driver calls, %llu cycles a page in the driver "
				"(left out)\n", io_calls, io_ticks / NPAGES);
		}
		bench_mm_end(mm);
	} else {
		no_mm();
	}
	io_timing_off();
	return v;
}
BENCH(swap_out_page, "one anon page swapped out: isolate, slot, swap cache, rmap unmap+flush, "
      "write submitted and completed, frame freed (disk time left out)", bench_swap_out_page);

/* Read every page of mm (kthread_use_mm'd) through copy_from_user: the
 * cycles taken, 0 after bench_fail if a read failed or a page came back
 * with something else in it. */
static u64 touch_all(u64 io0)
{
	u64 t0 = bench_cycles();
	int bad = -1, wrong = -1;

	for (int i = 0; i < NPAGES; i++) {
		u32 v;
		if (copy_from_user(&v, (const void __user *)(BASE + (unsigned long)i * PAGE_SIZE),
				   sizeof(v)))
			bad = bad < 0 ? i : bad;
		else if (v != PATTERN(i))
			wrong = wrong < 0 ? i : wrong;
	}
	u64 ticks = cpu_ticks(t0, io0);
	if (bad >= 0 || wrong >= 0) {
		snprintf(why, sizeof(why), bad >= 0 ? "page %d could not be read back (fault failed)"
			 : "page %d came back with other contents", bad >= 0 ? bad : wrong);
		bench_fail(why);
		return 0;
	}
	return ticks ? ticks : 1;
}

static u64 bench_swap_in_page(void)
{
	if (get_current()->mm) { /* kthread_use_mm would take its place */
		bench_fail("run from a task with an address space of its own (a kernel flow is needed)");
		return 0;
	}
	if (!io_timing_on())
		return 0;
	struct mm_struct *mm = bench_mm(pages);
	u64 v = 0;
	if (mm && swap_out_pages(pages)) {
		kthread_use_mm(mm);
		u64 in0 = global_vm_event(PSWPIN), maj0 = global_vm_event(PGMAJFAULT);
		u64 faulting = touch_all(io_ticks);       /* each touch a major fault */
		u64 in = global_vm_event(PSWPIN) - in0, maj = global_vm_event(PGMAJFAULT) - maj0;
		u64 mapped = faulting ? touch_all(io_ticks) : 0; /* the same touches, no fault */
		kthread_unuse_mm(mm);
		if (faulting && mapped && in != NPAGES) {
			snprintf(why, sizeof(why), "pswpin moved by %llu, not %d", in, NPAGES);
			bench_fail(why);
		} else if (faulting && mapped) {
			v = bench_per_op(mapped, faulting > mapped ? faulting : mapped, NPAGES);
			pr_info("bench: swap_in_page: %llu major faults for %d pages; the touch "
				"itself %llu cycles (taken off)\n", maj, NPAGES, mapped / NPAGES);
		}
	}
	if (mm)
		bench_mm_end(mm);
	else
		no_mm();
	io_timing_off();
	return v;
}
BENCH(swap_in_page, "major fault on a swapped-out page: trap, swap cache lookup, new page, "
      "read submitted and completed, PTE mapped, return (disk time left out)", bench_swap_in_page);

/* ---- a reclaim pass: the scan rate ---- */

/* A pass: direct reclaim over the benchmark's pages, with their zones'
 * high watermarks raised meanwhile so that try_to_free_pages finds them
 * under pressure, called until every page is gone (or two calls free
 * nothing). Each row runs its own (the same, under -icount): its cycles
 * without the disk's, and the pgscan/pgsteal it moved; false after
 * bench_fail. */
struct pass {
	u64 ticks;
	unsigned long scanned, stolen;
};

static bool reclaim_pass(struct pass *r)
{
	unsigned long high[MAX_NR_ZONES];

	if (!io_timing_on())
		return false;
	struct mm_struct *mm = bench_mm(pages);
	if (!mm) {
		io_timing_off();
		no_mm();
		return false;
	}
	for (int i = 0; i < MAX_NR_ZONES; i++)
		high[i] = zones[i].watermark[WMARK_HIGH];
	for (int i = 0; i < NPAGES; i++) {
		struct zone *z = page_zone(pages[i]);
		z->watermark[WMARK_HIGH] = z->managed_pages + 1; /* never above it */
	}
	unsigned long scan0 = global_vm_event(PGSCAN_DIRECT), steal0 = global_vm_event(PGSTEAL_DIRECT);
	u64 io0 = io_ticks, t0 = bench_cycles();
	int idle = 0;
	for (unsigned long got = 0; got < NPAGES && idle < 2;) {
		unsigned long n = try_to_free_pages(GFP_HIGHUSER, 0);
		got += n;
		idle = n ? 0 : idle + 1;
	}
	r->ticks = cpu_ticks(t0, io0);
	r->scanned = global_vm_event(PGSCAN_DIRECT) - scan0;
	r->stolen = global_vm_event(PGSTEAL_DIRECT) - steal0;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		zones[i].watermark[WMARK_HIGH] = high[i];
	io_timing_off();
	bench_mm_end(mm);
	if (r->stolen < NPAGES || !r->scanned) {
		snprintf(why, sizeof(why), "direct reclaim took %lu of the %d pages (scanned %lu)",
			 r->stolen, NPAGES, r->scanned);
		bench_fail(why);
		return false;
	}
	pr_info("bench: reclaim pass: scanned %lu, reclaimed %lu\n", r->scanned, r->stolen);
	return true;
}

static u64 bench_reclaim_pass_scan(void)
{
	struct pass r;

	return reclaim_pass(&r) ? bench_per_op(0, r.ticks, r.scanned) : 0;
}
static u64 bench_reclaim_pass_steal(void)
{
	struct pass r;

	return reclaim_pass(&r) ? bench_per_op(0, r.ticks, r.stolen) : 0;
}
BENCH(reclaim_pass_scan, "a direct reclaim pass (try_to_free_pages) per page scanned "
      "(pgscan; aging, references, swap-out all in; disk time left out)", bench_reclaim_pass_scan);
BENCH(reclaim_pass_steal, "a direct reclaim pass (try_to_free_pages) per page reclaimed "
      "(pgsteal; the same pass as reclaim_pass_scan)", bench_reclaim_pass_steal);
