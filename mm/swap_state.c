/* swap_state.c - the swap cache: anonymous pages on their way to or from a
 * swap slot, found by their swap entry (include/swap_state.h).
 *
 * Why a cache at all (Linux's reasons): a page being written out must stay
 * findable until the write is done, so a fault in the meantime takes it
 * back instead of reading a half-written slot; a page read in for one
 * process of a fork family must be found by the others whose PTEs hold
 * the same entry, so they share it again instead of each reading its own
 * copy. A page in the cache has PG_swapcache, page->private = its entry,
 * one page reference and one count on the slot (swap.h's contract), and
 * is PG_locked while its state changes (added, read, written, removed).
 *
 * The index: Linux keeps an address space (radix tree) per area; here each
 * area has a plain array of page pointers, one per slot, made at swapon
 * (4 bytes per 4 KB slot: 768 KB for a 768 MB area), guarded by one lock.
 *
 * Slot counts (swap.h): one per swap PTE holding the entry, plus one while
 * the page is in the cache. So a page whose slot count is 1 is in the
 * cache only, and may leave it (try_to_free_swap).
 *
 * Reclaim's side is reclaim_anon_page (add_to_swap, try_to_unmap,
 * swap_writepage, out of the cache; a batch's writes go through a plug,
 * reclaim_anon_write_list, one disk request per run of slots); the
 * fault's side swap_cluster_readahead (the faulting slot and the ones in
 * use around it, 8 aligned, read together into the cache: sequential
 * swap-in costs one request per 8 pages, not one per page);
 * swapoff's try_to_unuse brings an area's pages back through the anon_vma
 * families (mm/rmap.c), so no address space's regions are walked from
 * outside, and processes keep running meanwhile. */
#include "err.h"
#include "errno.h"
#include "gfp.h"
#include "mm_inline.h"
#include "mm_types.h"
#include "pagemap.h"
#include "printk.h"
#include "process.h"
#include "rmap.h"
#include "sched.h"
#include "swap_state.h"
#include "swapops.h"
#include "vmalloc.h"
#include "vmstat.h"

static struct page **swap_cache[MAX_SWAPFILES];
static unsigned swap_cache_max[MAX_SWAPFILES];
static DEFINE_SPINLOCK(swap_cache_lock);

int swap_cache_init_area(unsigned type, unsigned max)
{
	struct page **a = kvzalloc((size_t)max * sizeof(*a), GFP_KERNEL);

	if (!a)
		return -ENOMEM;
	spin_lock(&swap_cache_lock);
	swap_cache[type] = a;
	swap_cache_max[type] = max;
	spin_unlock(&swap_cache_lock);
	return 0;
}

void swap_cache_exit_area(unsigned type)
{
	spin_lock(&swap_cache_lock);
	struct page **a = swap_cache[type];
	swap_cache[type] = NULL;
	swap_cache_max[type] = 0;
	spin_unlock(&swap_cache_lock);
	kvfree(a);
}

/* The index cell of entry, or NULL if it names no area with a cache
 * (swap_cache_lock held). */
static struct page **cache_slot(swp_entry_t e)
{
	unsigned t = swp_type(e);
	unsigned long off = swp_offset(e);

	if (t >= MAX_SWAPFILES || !swap_cache[t] || off >= swap_cache_max[t])
		return NULL;
	return &swap_cache[t][off];
}

struct page *lookup_swap_cache(swp_entry_t entry)
{
	spin_lock(&swap_cache_lock);
	struct page **s = cache_slot(entry), *page = s ? *s : NULL;
	if (page)
		get_page(page);
	spin_unlock(&swap_cache_lock);
	return page;
}

/* Put page in the cache as entry's, taking a count on the slot when
 * dup_slot (a page read in; add_to_swap's slot comes with its count):
 * 0, -EEXIST (another page is there), -ENOENT (the slot is no longer in
 * use), -EINVAL (no such area). */
static int add_to_swap_cache(struct page *page, swp_entry_t entry, bool dup_slot)
{
	int err = 0;

	spin_lock(&swap_cache_lock);
	struct page **s = cache_slot(entry);
	if (!s)
		err = -EINVAL;
	else if (*s)
		err = -EEXIST;
	else if (dup_slot && (!__swap_count(entry) || swap_duplicate(entry)))
		err = -ENOENT;
	if (!err) {
		*s = page;
		get_page(page); /* the cache's reference */
		page->private = entry.val;
		set_page_bit(page, PG_swapcache);
		mod_node_page_state(NR_SWAPCACHE, 1);
		mod_node_page_state(NR_FILE_PAGES, 1);
	}
	spin_unlock(&swap_cache_lock);
	return err;
}

/* Take page out of the index (swap_cache_lock held); the caller drops the
 * cache's slot count and page reference. */
static swp_entry_t __delete_from_swap_cache(struct page *page)
{
	swp_entry_t entry = { page->private };
	struct page **s = cache_slot(entry);

	if (s && *s == page)
		*s = NULL;
	clear_page_bit(page, PG_swapcache);
	page->private = 0;
	mod_node_page_state(NR_SWAPCACHE, -1);
	mod_node_page_state(NR_FILE_PAGES, -1);
	return entry;
}

void delete_from_swap_cache(struct page *page)
{
	spin_lock(&swap_cache_lock);
	swp_entry_t entry = __delete_from_swap_cache(page);
	spin_unlock(&swap_cache_lock);
	swap_free(entry);
	put_page(page);
}

bool add_to_swap(struct page *page)
{
	swp_entry_t entry = get_swap_page();

	if (!entry.val)
		return false; /* swap full or off */
	if (add_to_swap_cache(page, entry, false)) {
		swap_free(entry);
		return false;
	}
	set_page_bit(page, PG_dirty); /* the slot holds nothing yet */
	return true;
}

bool try_to_free_swap(struct page *page)
{
	if (!PageSwapCache(page) || PageWriteback(page))
		return false;
	if (__swap_count((swp_entry_t){ page->private }) != 1)
		return false; /* a swap PTE still names the slot */
	delete_from_swap_cache(page);
	return true;
}

void free_swap_and_cache(swp_entry_t entry)
{
	swap_free(entry);
	struct page *page = lookup_swap_cache(entry);
	if (!page)
		return;
	if (trylock_page(page)) { /* busy: reclaim or a fault will let it go */
		if (PageSwapCache(page) && page->private == entry.val && !page_mapped(page))
			try_to_free_swap(page);
		unlock_page(page);
	}
	put_page(page);
}

/* page (new, ours alone) locked and into the cache as entry's, its slot
 * count taken: 0, or add_to_swap_cache's error with the page freed. */
static int add_new_page(struct page *page, swp_entry_t entry)
{
	set_page_bit(page, PG_locked); /* not visible yet: locked before it is */
	set_page_bit(page, PG_swapbacked);
	int err = add_to_swap_cache(page, entry, true);
	if (err) {
		clear_page_bit(page, PG_locked);
		put_page(page);
	}
	return err;
}

/* A fault's page after its read (new, locked, in the cache, ours): on the
 * LRU and unlocked; or, if the read failed, out of the cache and freed,
 * ERR_PTR(-EIO): the faulting process gets SIGBUS. */
static struct page *read_done(struct page *page, int err)
{
	if (err) {
		delete_from_swap_cache(page);
		unlock_page(page);
		put_page(page);
		return ERR_PTR(-EIO);
	}
	lru_cache_add(page);
	unlock_page(page);
	return page;
}

struct page *read_swap_cache_async(swp_entry_t entry, bool *did_io)
{
	for (;;) {
		struct page *page = lookup_swap_cache(entry);
		if (page)
			return page;
		page = alloc_page(GFP_HIGHUSER_MOVABLE);
		if (!page)
			return NULL;
		int err = add_new_page(page, entry);
		if (err == -EEXIST)
			continue; /* someone else is reading it: take theirs */
		if (err)
			return NULL; /* the slot went: the caller looks at its PTE again */
		*did_io = true;
		return read_done(page, swap_readpage(page));
	}
}

/* ---- swap-in readahead ---- */

/* Linux's vm.page-cluster default: a swap-in reads the aligned cluster of
 * 2^3 = 8 slots around the fault, with one request per run. */
#define PAGE_CLUSTER 3
/* Linux's PG_readahead is PG_reclaim's bit (a page read ahead is never
 * under writeback): set on a page read ahead of any fault, cleared, and
 * SWAP_RA_HIT counted, when a fault finds it. */
#define PG_readahead PG_reclaim

static bool run_has(struct page *const *run, unsigned n, const struct page *p)
{
	for (unsigned i = 0; i < n; i++)
		if (run[i] == p)
			return true;
	return false;
}

/* The pages of one run of consecutive slots (each new, locked, in the
 * cache) read with one request and finished: a neighbour is marked
 * PG_readahead, put on the LRU, unlocked and left to the cache; target,
 * if in the run, keeps its reference and lock for the caller. A failed
 * request takes the neighbours out of the cache and reads target alone
 * again (a bad sector of a neighbour must not fail the fault). Returns
 * target's result (0 if it is not in the run). */
static int read_run(struct page **run, unsigned n, struct page *target)
{
	int err = n ? swap_readpages(run, n) : 0, terr = 0;

	for (unsigned i = 0; i < n; i++) {
		struct page *p = run[i];

		if (p == target) {
			terr = err && n > 1 ? swap_readpage(p) : err;
			continue;
		}
		if (err) {
			delete_from_swap_cache(p);
		} else {
			set_page_bit(p, PG_readahead);
			count_vm_event(SWAP_RA);
			lru_cache_add(p);
		}
		unlock_page(p);
		put_page(p); /* ours; the cache keeps its own */
	}
	return terr;
}

struct page *swap_cluster_readahead(swp_entry_t entry, bool *did_io)
{
	struct page *page = lookup_swap_cache(entry);

	if (page) {
		if (__atomic_fetch_and(&page->flags, ~(1u << PG_readahead), __ATOMIC_RELAXED) &
		    (1u << PG_readahead))
			count_vm_event(SWAP_RA_HIT);
		return page;
	}
	struct swap_info_struct *si = swp_swap_info(entry);
	if (!si)
		return NULL; /* said by swp_swap_info */
	/* The fault's page first, allowed to reclaim, before any page is
	 * locked in the cache: reclaim (and the OOM killer's wait) must not
	 * happen while we hold pages another task may be waiting for. The
	 * neighbours take only what is free (no direct reclaim). */
	struct page *target = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!target)
		return NULL;
	unsigned long off = swp_offset(entry), mask = (1ul << PAGE_CLUSTER) - 1;
	unsigned long start = off & ~mask, end = (off | mask) + 1;
	struct page *run[1u << PAGE_CLUSTER];
	unsigned n = 0;
	int terr = 0, add_err = 0;

	if (start == 0)
		start = 1; /* the header */
	if (end > si->max)
		end = si->max;
	for (unsigned long o = start; o < end; o++) {
		swp_entry_t e = swp_entry(swp_type(entry), o);
		struct page *p = NULL;

		if (o == off) {
			add_err = add_new_page(target, e);
			if (add_err) /* target was freed: a neighbour's alloc_page below */
				target = NULL; /* may get the same struct page, not ours to keep */
			p = target;
		} else if (__swap_count(e) > 0 && !(p = lookup_swap_cache(e))) {
			p = alloc_page((GFP_HIGHUSER_MOVABLE & ~__GFP_DIRECT_RECLAIM) | __GFP_NOWARN);
			if (p && add_new_page(p, e))
				p = NULL; /* cached meanwhile, or freed: a gap */
		} else if (p) {
			put_page(p); /* in the cache already: a gap */
			p = NULL;
		}
		if (!p) { /* a gap ends the run */
			if (run_has(run, n, target))
				terr = read_run(run, n, target);
			else
				read_run(run, n, NULL);
			n = 0;
			continue;
		}
		run[n++] = p;
	}
	if (run_has(run, n, target))
		terr = read_run(run, n, target);
	else
		read_run(run, n, NULL);
	if (add_err == -EEXIST)
		return read_swap_cache_async(entry, did_io); /* another reader's: wait for theirs */
	if (add_err)
		return NULL; /* the slot went: the caller looks at its PTE again */
	*did_io = true;
	return read_done(target, terr);
}

int reclaim_anon_unmap(struct page *page, struct tlbflush_unmap_batch *batch)
{
	if (!PageSwapCache(page) && !add_to_swap(page))
		return -ENOSPC;
	if (page_mapped(page) && !try_to_unmap_batched(page, batch))
		return -EBUSY; /* a mapping we could not take away: it stays */
	return 0;
}

int reclaim_anon_page(struct page *page)
{
	int err = reclaim_anon_unmap(page, NULL);

	return err ? err : reclaim_anon_writeout(page, NULL);
}

void reclaim_anon_write_list(struct list_head *pages, struct swap_iocb *plug)
{
	struct list_head *pos;

	swap_plug_init(plug);
	list_for_each(pos, pages) {
		struct page *page = list_entry(pos, struct page, lru);
		if (PageDirty(page) && PageSwapCache(page))
			swap_writepage_plug(page, plug); /* full: written alone below */
	}
	swap_write_unplug(plug);
}

int reclaim_anon_writeout(struct page *page, struct swap_iocb *plug)
{
	int err;

	if (swap_iocb_result(plug, page, &err)) {
		if (err)
			return err; /* its request failed: dirty and here, not tried twice */
	} else if (PageDirty(page)) {
		err = swap_writepage(page); /* clean on success, dirty and here on -EIO */
		if (err)
			return err;
	}
	/* The cache may let go only if nobody else holds the page: the caller
	 * (its isolation) and the cache hold one reference each. Lookups take
	 * theirs under swap_cache_lock, so this test and the removal are one step. */
	spin_lock(&swap_cache_lock);
	if (page_count(page) != 2 || PageDirty(page) || page_mapped(page)) {
		spin_unlock(&swap_cache_lock);
		return -EBUSY;
	}
	swp_entry_t entry = __delete_from_swap_cache(page);
	spin_unlock(&swap_cache_lock);
	swap_free(entry);
	put_page(page); /* the cache's; the caller's put frees the frame */
	return 0;
}

/* ---- swapoff: try_to_unuse ---- */

/* Is current being killed? swapoff gives up (-EINTR) rather than delay it. */
static bool current_killed(void)
{
	struct task *t = get_current();

	return t && (t->pending_signals & (1UL << (SIGKILL - 1)));
}

/* Bring one entry's page in and point the PTE at where at it: 0, -ENOMEM,
 * -EIO. Another PTE naming the entry (a forked family) is reached later in
 * the same walk and finds the page in the swap cache. */
static int unuse_entry(struct anon_vma *av, struct anon_vma_pos where, swp_entry_t entry)
{
	bool io = false;
	struct page *page = swap_cluster_readahead(entry, &io); /* as Linux's unuse_pte_range */

	if (!page)
		return __swap_count(entry) ? -ENOMEM : 0; /* no memory, or the slot went meanwhile */
	if (IS_ERR(page))
		return PTR_ERR(page);
	lock_page(page);
	if (PageUptodate(page) && PageSwapCache(page) && page->private == entry.val) {
		anon_vma_unuse_pte(av, where, entry, page); /* mm/rmap.c */
		try_to_free_swap(page);                /* only the cache holds it now */
	}
	unlock_page(page);
	put_page(page);
	return 0;
}

/* Pages of area type still in the cache with no swap PTE naming their
 * slot (reclaim was interrupted, a write failed): out of the cache. */
static void unuse_cache_only(unsigned type)
{
	for (unsigned long off = 1; off < swap_cache_max[type]; off++) {
		struct page *page = lookup_swap_cache(swp_entry(type, off));
		if (!page)
			continue;
		lock_page(page);
		if (PageSwapCache(page) && swp_type((swp_entry_t){ page->private }) == type)
			try_to_free_swap(page);
		unlock_page(page);
		put_page(page);
	}
}

#define UNUSE_BATCH 128

int try_to_unuse(unsigned type)
{
	lru_add_drain_all(); /* pages in add batches onto the lists, the walk's counts exact */
	for (int pass = 0; swap_inuse_pages(type); pass++) {
		unsigned before = swap_inuse_pages(type);
		struct anon_vma *av = NULL;
		while ((av = anon_vma_next(av))) { /* each family, a reference held */
			/* one walk of the family's PTEs, a batch at a time, each
			 * entry unused at the PTE it was found in: linear in the
			 * family's size (a walk per entry was quadratic: swapoff
			 * of 200 MB did not end in 10 minutes) */
			swp_entry_t batch[UNUSE_BATCH];
			struct anon_vma_pos pos = { 0, 0 }, where[UNUSE_BATCH];
			int n;
			while ((n = anon_vma_find_swap_entries(av, type, &pos, batch, where,
								 UNUSE_BATCH)) > 0) {
				for (int i = 0; i < n; i++) {
					int err = current_killed() ? -EINTR
								   : unuse_entry(av, where[i], batch[i]);
					if (err) {
						put_anon_vma(av);
						return err;
					}
				}
			}
		}
		unuse_cache_only(type);
		if (swap_inuse_pages(type) && swap_inuse_pages(type) >= before && pass >= 3) {
			pr_warn("swapoff: %u pages of area %u could not be brought back\n",
				swap_inuse_pages(type), type);
			return -EBUSY;
		}
	}
	return 0;
}
