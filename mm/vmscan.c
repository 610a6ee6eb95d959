/* vmscan.c - page reclaim: kswapd in the background, direct reclaim in the
 * allocator, both scanning the zones' LRU lists (include/vmscan.h).
 *
 * Who reclaims, and when (Linux's design, the watermarks of mmzone.h):
 *   - a zone below its low watermark wakes kswapd (wakeup_kswapd, from
 *     the allocator's slow path, where the fast path's low-watermark
 *     check sends every request that finds its zone below low);
 *     kswapd reclaims until every zone the waking request could use is
 *     above its high watermark, then sleeps again (balance_pgdat);
 *   - an allocation that finds every zone at min and may sleep
 *     (__GFP_DIRECT_RECLAIM) reclaims itself (try_to_free_pages) and
 *     retries; when reclaim frees nothing it calls the OOM killer
 *     (mm/oom_kill.c) and retries once the victim is gone; GFP_ATOMIC
 *     never gets here: it takes what the reserves give or fails.
 *
 * What a scan does (shrink_lruvec): the active list is aged into the
 * inactive one while the inactive one is too small (inactive_is_low,
 * Linux's sqrt ratio); the inactive list's tail is reclaimed, except
 * pages whose PTEs show a use since the last look (page_referenced):
 * used twice they are activated, used once they get another trip. Each
 * pass looks at lru_size >> priority pages, priority going from
 * DEF_PRIORITY (1/4096 of the list) down to 0 (all of it), and stops once
 * it reclaimed its target (Linux's nr_to_reclaim): the request's size for
 * direct reclaim, what the short zones lack below high for kswapd.
 * Reclaim first drains every CPU's LRU add batch (mm/swap.c): the newest
 * pages are on no list until then.
 *
 * Anonymous pages can be reclaimed only into swap (mm/swap_state.c:
 * add_to_swap, try_to_unmap, swap_writepage, out of the swap cache): with
 * no free swap, as in Linux (get_scan_count's SCAN_FILE), the anon lists
 * are not scanned at all and the only reclaimable pages are page cache -
 * which on Highland is the RAM filesystem's, never evictable. So without
 * swap reclaim frees nothing and a shortage goes to the OOM killer.
 *
 * Zones: reclaim targets the zones under pressure, and a zone's lists hold
 * only its own pages, so lowmem pressure (page tables, slab) is relieved
 * by reclaiming pages whose frames are lowmem. */
#include "gfp.h"
#include "mm_inline.h"
#include "mmzone.h"
#include "oom.h"
#include "pagemap.h"
#include "printk.h"
#include "process.h"
#include "rmap.h"
#include "sched.h"
#include "swap.h"
#include "swap_state.h"
#include "vmscan.h"
#include "vmstat.h"

#define DEF_PRIORITY 12
#define SWAP_CLUSTER_MAX 32UL
#define MAX_RECLAIM_RETRIES 16
#define PAGE_ALLOC_COSTLY_ORDER 3

struct kswapd_state kswapd_state;
static DECLARE_WAIT_QUEUE_HEAD(kswapd_wait);
static struct task *kswapd_task;

/* The highest zone a request may use (page_alloc.c's gfp_zone). */
static int gfp_zone_idx(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	return (gfp & __GFP_HIGHMEM) ? ZONE_HIGHMEM : ZONE_NORMAL;
}

static unsigned long zone_free(const struct zone *z)
{
	return __atomic_load_n(&z->free_pages, __ATOMIC_RELAXED);
}

/* Linux's zone_watermark_ok for kswapd: above mark plus what the zone keeps
 * back from requests of classzone (lowmem_reserve). */
static bool zone_above(const struct zone *z, enum zone_watermarks mark, int classzone)
{
	return zone_free(z) > z->watermark[mark] + z->lowmem_reserve[classzone];
}

/* ---- scanning one zone's lists ---- */

struct scan_control {
	unsigned long nr_to_reclaim; /* a pass stops once it reclaimed this many (Linux's) */
	unsigned long nr_scanned, nr_reclaimed;
	bool kswapd; /* counts go to *_KSWAPD, else *_DIRECT */
};

/* Can reclaim take anonymous pages now? Only into free swap slots. */
static bool can_reclaim_anon_pages(void)
{
	return __atomic_load_n(&nr_swap_pages, __ATOMIC_RELAXED) > 0;
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

bool inactive_is_low(const struct zone *z, enum lru_list inactive_lru)
{
	unsigned long inactive = zone_lru_pages(z, inactive_lru);
	unsigned long active = zone_lru_pages(z, (enum lru_list)(inactive_lru + 1));
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long ratio = gb ? int_sqrt(10 * gb) : 1;

	return inactive * ratio < active;
}

/* Take up to nr pages from the tail of list l onto `out`, each with a
 * reference of its own and PG_lru clear (isolate_lru_page, in a batch). */
static unsigned long isolate_lru_pages(struct zone *z, enum lru_list l, unsigned long nr,
				       struct list_head *out, unsigned long *scanned)
{
	struct lruvec *lruvec = &z->lruvec;
	struct list_head *src = &lruvec->lists[l];
	unsigned long taken = 0;
	unsigned long f = spin_lock_irqsave(&lruvec->lru_lock);

	for (*scanned = 0; *scanned < nr && !list_empty(src); (*scanned)++) {
		struct page *page = list_entry(src->prev, struct page, lru);
		s32 c = __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
		while (c > 0 && !__atomic_compare_exchange_n(&page->_refcount, &c, c + 1, false,
							      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			;
		if (c == 0) { /* being freed: its freer takes it off; look at the next */
			list_del(&page->lru);
			list_add(&page->lru, src);
			continue;
		}
		del_page_from_lru_list(page, lruvec);
		clear_page_bit(page, PG_lru);
		list_add(&page->lru, out);
		taken++;
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, f);
	mod_node_page_state(is_anon_lru(l) ? NR_ISOLATED_ANON : NR_ISOLATED_FILE, (long)taken);
	return taken;
}

/* Put every page of `pages` back on the list its flags say, dropping the
 * isolation's reference (the last one frees the page). */
static void putback_pages(struct list_head *pages, bool anon)
{
	long n = 0;
	struct list_head *pos;

	list_for_each(pos, pages)
		n++;
	putback_lru_pages(pages); /* one lru lock per run of same-zone pages */
	mod_node_page_state(anon ? NR_ISOLATED_ANON : NR_ISOLATED_FILE, -n);
}

/* Age: move pages from the active list's tail to the inactive list.
 * Anonymous pages go whether or not they were referenced (Linux: only
 * executable file pages stay active), since page_referenced clears the
 * accessed bits and the inactive list gives them another chance. */
static void shrink_active_list(struct zone *z, enum lru_list l, unsigned long nr)
{
	struct list_head pages = LIST_HEAD_INIT(pages);
	unsigned long scanned, n = isolate_lru_pages(z, l, nr, &pages, &scanned);
	struct list_head *pos;

	count_vm_events(PGREFILL, scanned);
	list_for_each(pos, &pages) {
		struct page *page = list_entry(pos, struct page, lru);
		page_referenced(page);
		clear_page_bit(page, PG_active);
	}
	count_vm_events(PGDEACTIVATE, n);
	putback_pages(&pages, is_anon_lru(l));
}

/* Linux's folio_check_references: what to do with an inactive page. */
enum page_references { PAGEREF_RECLAIM, PAGEREF_KEEP, PAGEREF_ACTIVATE };

static enum page_references page_check_references(struct page *page)
{
	int ptes = page_referenced(page);
	bool was_referenced = PageReferenced(page);

	if (ptes) {
		/* every mapped page starts with the young PTE of its fault: a
		 * second look (or a second mapping) must confirm the use */
		set_page_bit(page, PG_referenced);
		return (was_referenced || ptes > 1) ? PAGEREF_ACTIVATE : PAGEREF_KEEP;
	}
	clear_page_bit(page, PG_referenced);
	return PAGEREF_RECLAIM;
}

/* The first half of pageout for an unreferenced inactive page: locked,
 * into swap, unmapped with the TLB flush left in *batch. 0: the page stays
 * locked for pageout_unmapped. Page cache is the RAM fs's: never evictable. */
static int pageout_unmap(struct page *page, struct tlbflush_unmap_batch *batch)
{
	if (!PageSwapBacked(page) || !PageAnon(page) || !trylock_page(page))
		return -1;
	int err = reclaim_anon_unmap(page, batch); /* mm/swap_state.c */
	if (err)
		unlock_page(page);
	return err;
}

/* The second half, after the batch's flush: written, out of the cache,
 * unlocked. 0 when the page is now ours alone, so the caller's put frees it. */
static int pageout_unmapped(struct page *page, struct swap_iocb *plug)
{
	int err = reclaim_anon_writeout(page, plug);

	unlock_page(page);
	return err;
}

/* Decide for each isolated inactive page; returns the pages freed. Pages
 * kept stay on `pages` for the caller to put back. The pages to reclaim
 * are unmapped first, all of them, then one TLB flush, then each is
 * written out (Linux's TTU_BATCH_FLUSH order: nothing is written or freed
 * while a CPU may still hold a stale entry for it). */
static unsigned long shrink_page_list(struct list_head *pages, struct scan_control *sc)
{
	struct tlbflush_unmap_batch batch = { 0, false };
	struct list_head unmapped = LIST_HEAD_INIT(unmapped);
	unsigned long freed = 0;
	struct list_head *pos, *next;

	for (pos = pages->next; pos != pages; pos = next) {
		next = pos->next;
		struct page *page = list_entry(pos, struct page, lru);
		switch (page_check_references(page)) {
		case PAGEREF_ACTIVATE:
			set_page_bit(page, PG_active);
			count_vm_event(PGACTIVATE);
			break;
		case PAGEREF_KEEP:
			break;
		case PAGEREF_RECLAIM:
			if (pageout_unmap(page, &batch) == 0) {
				list_del(&page->lru);
				list_add_tail(&page->lru, &unmapped);
			}
			break;
		}
	}
	try_to_unmap_flush(&batch);
	struct swap_iocb plug; /* the batch's runs of slots: one disk request each */
	reclaim_anon_write_list(&unmapped, &plug);
	struct pagevec done = { .nr = 0 };
	for (pos = unmapped.next; pos != &unmapped; pos = next) {
		next = pos->next;
		struct page *page = list_entry(pos, struct page, lru);
		list_del(&page->lru);
		if (pageout_unmapped(page, &plug) != 0) {
			list_add_tail(&page->lru, pages);
			continue;
		}
		/* the isolation's reference, the last: freed with the batch */
		done.pages[done.nr++] = page;
		freed++;
		if (done.nr == PAGEVEC_SIZE) {
			release_pages(done.pages, done.nr);
			done.nr = 0;
		}
	}
	release_pages(done.pages, done.nr);
	(void)sc;
	return freed;
}

/* Up to nr pages (at most SWAP_CLUSTER_MAX) from the tail of inactive list
 * l: isolated, the unreferenced ones reclaimed, the rest put back. A
 * batch's pages stay locked from unmap to write-out. */
static void shrink_inactive_batch(struct zone *z, enum lru_list l, unsigned long nr,
				  struct scan_control *sc)
{
	struct list_head pages = LIST_HEAD_INIT(pages);
	unsigned long scanned, n = isolate_lru_pages(z, l, nr, &pages, &scanned);

	count_vm_events(sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, scanned);
	sc->nr_scanned += scanned;
	unsigned long freed = n ? shrink_page_list(&pages, sc) : 0;
	mod_node_page_state(is_anon_lru(l) ? NR_ISOLATED_ANON : NR_ISOLATED_FILE, -(long)freed);
	count_vm_events(sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, freed);
	sc->nr_reclaimed += freed;
	putback_pages(&pages, is_anon_lru(l));
}

/* How many pages of list l to look at at this priority (get_scan_count):
 * none of the anon lists without swap. */
static unsigned long scan_count(const struct zone *z, enum lru_list l, int priority)
{
	if (is_anon_lru(l) && !can_reclaim_anon_pages())
		return 0;
	unsigned long size = zone_lru_pages(z, l), scan = size >> priority;

	if (!scan && priority < DEF_PRIORITY)
		scan = size < SWAP_CLUSTER_MAX ? size : SWAP_CLUSTER_MAX;
	return scan;
}

/* One pass over a zone's evictable lists (Linux's shrink_lruvec): each
 * list's share for this priority, SWAP_CLUSTER_MAX pages at a time, the
 * active list aged first while the inactive one is too small; the pass
 * ends early once sc->nr_to_reclaim pages are reclaimed, so a request for
 * 32 pages does not swap out everything unreferenced it looks at. Any
 * progress lets kswapd be woken again (Linux's shrink_node clears
 * kswapd_failures when reclaimable pages were freed, whoever freed them). */
static void shrink_zone(struct zone *z, int priority, struct scan_control *sc)
{
	static const enum lru_list inactive[] = { LRU_INACTIVE_ANON, LRU_INACTIVE_FILE };
	unsigned long nr[2], reclaimed0 = sc->nr_reclaimed;

	for (unsigned i = 0; i < 2; i++)
		nr[i] = scan_count(z, inactive[i], priority);
	while ((nr[0] || nr[1]) && sc->nr_reclaimed < sc->nr_to_reclaim) {
		for (unsigned i = 0; i < 2; i++) {
			enum lru_list l = inactive[i];
			unsigned long n = nr[i] < SWAP_CLUSTER_MAX ? nr[i] : SWAP_CLUSTER_MAX;
			if (!n)
				continue;
			nr[i] -= n;
			if (inactive_is_low(z, l))
				shrink_active_list(z, (enum lru_list)(l + 1), n);
			shrink_inactive_batch(z, l, n, sc);
		}
	}
	if (sc->nr_reclaimed > reclaimed0)
		__atomic_store_n(&kswapd_state.failures, 0, __ATOMIC_RELAXED);
}

/* ---- direct reclaim ---- */

/* A direct reclaimer frees what its request needs (Linux's nr_to_reclaim,
 * SWAP_CLUSTER_MAX pages, here scaled by the order) and goes back to its
 * allocation; kswapd does the rest. */
unsigned long try_to_free_pages(gfp_t gfp, unsigned order)
{
	struct scan_control sc = { .nr_to_reclaim = SWAP_CLUSTER_MAX << order };
	int classzone = gfp_zone_idx(gfp);

	count_vm_event((enum vm_event_item)(ALLOCSTALL_DMA + classzone));
	lru_add_drain_all(); /* pages waiting in add batches are on no list yet */
	for (int priority = DEF_PRIORITY; priority >= 0 && sc.nr_reclaimed < sc.nr_to_reclaim;
	     priority--)
		for (int i = classzone; i >= 0 && sc.nr_reclaimed < sc.nr_to_reclaim; i--)
			if (!zone_above(&zones[i], WMARK_HIGH, classzone)) /* the zones it can use */
				shrink_zone(&zones[i], priority, &sc);
	return sc.nr_reclaimed;
}

bool __alloc_pages_reclaim_or_oom(gfp_t gfp, unsigned order, int attempt)
{
	struct task *cur = get_current();

	if (!(gfp & gfp_allowed_mask & __GFP_DIRECT_RECLAIM))
		return false;
	if (cur && (cur->pending_signals & (1UL << (SIGKILL - 1))))
		return false; /* dying (an OOM victim?): fail now, its memory comes back */
	if (attempt >= MAX_RECLAIM_RETRIES)
		return false;
	if (try_to_free_pages(gfp, order))
		return true; /* (shrink_zone let kswapd be woken again) */
	/* Nothing found, but pages are on their way back: isolated by reclaim
	 * (kswapd's batch, another task's) and being written. Linux retries
	 * while reclaim may still succeed (should_reclaim_retry); so does this,
	 * a tick at a time, before the OOM killer is asked. With kswapd woken
	 * at low it is often mid-batch when a direct reclaimer looks. */
	if (attempt + 1 < MAX_RECLAIM_RETRIES &&
	    (global_node_page_state(NR_ISOLATED_ANON) || kswapd_state.running)) {
		msleep(1);
		return true;
	}
	/* Linux: costly orders fail rather than kill (fragmentation, not lack) */
	if (order > PAGE_ALLOC_COSTLY_ORDER || !out_of_memory(gfp, order))
		return false;
	oom_wait_for_victim();
	return true;
}

/* ---- kswapd ---- */

/* Is every zone up to classzone above its high watermark? */
static bool pgdat_balanced(int classzone)
{
	for (int i = 0; i <= classzone; i++)
		if (zones[i].managed_pages && !zone_above(&zones[i], WMARK_HIGH, i))
			return false;
	return true;
}

void wakeup_kswapd(gfp_t gfp, unsigned order)
{
	int classzone = gfp_zone_idx(gfp);

	if (!(gfp & __GFP_KSWAPD_RECLAIM) || !kswapd_task)
		return;
	/* Linux: a node kswapd failed on repeatedly is left to direct reclaim */
	if (__atomic_load_n(&kswapd_state.failures, __ATOMIC_RELAXED) >= MAX_RECLAIM_RETRIES)
		return;
	bool low = false;
	for (int i = classzone; i >= 0 && !low; i--)
		low = zones[i].managed_pages && !zone_above(&zones[i], WMARK_LOW, classzone);
	if (!low)
		return;
	if (classzone > __atomic_load_n(&kswapd_state.classzone, __ATOMIC_RELAXED))
		__atomic_store_n(&kswapd_state.classzone, classzone, __ATOMIC_RELAXED);
	/* (a plain read first: while kswapd works, every allocation below low
	 * comes here, and most find the wakeup already pending) */
	if (!__atomic_load_n(&kswapd_state.wake_pending, __ATOMIC_RELAXED) &&
	    !__atomic_exchange_n(&kswapd_state.wake_pending, true, __ATOMIC_ACQ_REL))
		wake_up(&kswapd_wait);
}

/* What one kswapd pass aims at: for each zone up to classzone below its
 * high watermark, what it lacks, at least SWAP_CLUSTER_MAX. (Linux 6.1's
 * kswapd_shrink_node asks for max(high watermark, SWAP_CLUSTER_MAX) of
 * every eligible zone per pass; the deficit is the smaller aim, so a
 * shortage of a few pages is not met with a zone's worth of swap-out.) */
static unsigned long kswapd_pass_target(int classzone)
{
	unsigned long target = 0;

	for (int i = 0; i <= classzone; i++) {
		const struct zone *z = &zones[i];
		if (!z->managed_pages || zone_above(z, WMARK_HIGH, i))
			continue;
		unsigned long want = z->watermark[WMARK_HIGH] + z->lowmem_reserve[i] + 1 - zone_free(z);
		target += want > SWAP_CLUSTER_MAX ? want : SWAP_CLUSTER_MAX;
	}
	return target;
}

unsigned long balance_pgdat(int classzone)
{
	unsigned long total = 0;

	if (pgdat_balanced(classzone)) {
		count_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
		return 0;
	}
	lru_add_drain_all(); /* pages waiting in add batches are on no list yet */
	/* Passes until every zone is above high. As Linux's balance_pgdat, the
	 * next pass stays at this priority while a pass scanned its target and
	 * freed something; it takes a larger share of each list (priority
	 * down) only when it did not. */
	for (int priority = DEF_PRIORITY; priority >= 0 && !pgdat_balanced(classzone);) {
		struct scan_control sc = { .kswapd = true,
					   .nr_to_reclaim = kswapd_pass_target(classzone) };
		for (int i = classzone; i >= 0 && sc.nr_reclaimed < sc.nr_to_reclaim; i--)
			if (zones[i].managed_pages && !zone_above(&zones[i], WMARK_HIGH, i))
				shrink_zone(&zones[i], priority, &sc);
		total += sc.nr_reclaimed;
		if (sc.nr_scanned < sc.nr_to_reclaim || !sc.nr_reclaimed)
			priority--;
	}
	return total;
}

static int kswapd(void *arg)
{
	(void)arg;
	for (;;) {
		kswapd_state.running = false;
		wait_event(kswapd_wait, __atomic_load_n(&kswapd_state.wake_pending, __ATOMIC_ACQUIRE));
		__atomic_store_n(&kswapd_state.wake_pending, false, __ATOMIC_RELEASE);
		int classzone = __atomic_exchange_n(&kswapd_state.classzone, 0, __ATOMIC_ACQ_REL);
		kswapd_state.running = true;
		kswapd_state.wakeups++;
		kswapd_state.last_wake = jiffies;
		unsigned long got = balance_pgdat(classzone);
		kswapd_state.reclaimed += got;
		if (got)
			kswapd_state.failures = 0;
		else if (!pgdat_balanced(classzone))
			kswapd_state.failures++; /* nothing to take: stop being woken for it */
	}
	return 0;
}

int kswapd_run(void)
{
	kswapd_task = kthread_run(kswapd, NULL, "kswapd0");
	if (!kswapd_task) {
		pr_err("kswapd: no memory for the thread: reclaim only in the allocator\n");
		return -1;
	}
	return 0;
}

void kswapd_show(void)
{
	printk("kswapd0: %s, woken %lu times (last at jiffies %lu), reclaimed %lu pages, "
	    "failures %d%s\n",
	    kswapd_state.running ? "reclaiming" : "sleeping", kswapd_state.wakeups,
	    kswapd_state.last_wake, kswapd_state.reclaimed, kswapd_state.failures,
	    kswapd_state.failures >= MAX_RECLAIM_RETRIES ? " (given up until direct reclaim frees a page)" : "");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &zones[i];
		if (!z->managed_pages)
			continue;
		printk("  %-8s free %7lu  min %6lu low %6lu high %6lu  %s\n", z->name, zone_free(z),
		    z->watermark[WMARK_MIN], z->watermark[WMARK_LOW], z->watermark[WMARK_HIGH],
		    zone_above(z, WMARK_HIGH, i) ? "above high"
		    : zone_above(z, WMARK_LOW, i) ? "between low and high" : "below low");
	}
}
