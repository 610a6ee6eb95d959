/* page_alloc.c - the buddy allocator and its per-CPU page lists.
 *
 * Each zone keeps free blocks of 2^order pages on free_area[order]; a block's
 * first struct page has PG_buddy and private = order. Allocation takes the
 * smallest order that has a block and splits it, putting each upper half back
 * on its list; freeing merges a block with its buddy (pfn ^ 2^order) for as
 * long as the buddy is a free block of the same order in the same zone.
 *
 * Blocks of order 0 to PAGE_ALLOC_COSTLY_ORDER (3) - single pages, by far
 * the most common request, kernel stacks, slabs - go through per-CPU lists
 * first, one list per order, as in Linux. That path runs with interrupts off
 * on this CPU and touches no lock: only this CPU ever uses its lists
 * (drain_all_pages aside, see there). The zone lock is taken once per
 * `batch` pages, to refill or drain a list. Every page of a block on a
 * per-CPU list carries PG_pcp (the head and its tails alike), so a frame's
 * state can be read off its own struct page.
 *
 * A request may be served from its own zone class or a lower one, never a
 * higher one: __GFP_HIGHMEM tries HighMem, Normal, DMA; a plain request
 * Normal, DMA; __GFP_DMA only DMA. Each zone must stay above its watermark
 * plus lowmem_reserve[class], so requests that could have used a higher zone
 * do not empty a lower one.
 */
#include "fault_inject.h"
#include "gfp.h"
#include "highmem.h"
#include "ksyms.h"
#include "kstring.h"
#include "mmzone.h"
#include "page_internal.h"
#include "printk.h"
#include "sched.h"
#include "vmscan.h"

unsigned alloc_pages_fast_orders = NR_PCP_LISTS; /* fault_inject.h */
gfp_t gfp_allowed_mask = GFP_BOOT_MASK;

/* preferred_zone[class]: the highest zone at or below `class` that has
 * pages (setup_per_zone_wmarks), where the fast path looks first. */
struct zone *preferred_zone[MAX_NR_ZONES] = { &zones[ZONE_DMA], &zones[ZONE_NORMAL],
					      &zones[ZONE_HIGHMEM] };

/* ---- the buddy lists (zone lock held) ---- */

static inline void add_to_free_area(struct zone *z, struct page *p, unsigned order)
{
	p->flags |= 1u << PG_buddy;
	p->private = order;
	list_add(&p->lru, &z->free_area[order].free_list);
	z->free_area[order].nr_free++;
}

/* Unlinked without poisoning, and private left as it was: the block is
 * handed on (its new list or owner rewrites lru and private) or becomes
 * the inside of a larger free block, which nothing reads. Once per buddy
 * level of every split and merge, so each store counts. */
static inline void del_from_free_area(struct zone *z, struct page *p, unsigned order)
{
	p->lru.next->prev = p->lru.prev;
	p->lru.prev->next = p->lru.next;
	z->free_area[order].nr_free--;
	p->flags &= ~(1u << PG_buddy);
}

/* Put a block on the free lists, merging it with its free buddies (zone
 * lock held). Always inlined: into the per-CPU drain's order-0 copy, where
 * the order is the constant 0, and into __free_one_page for everyone else;
 * one split or merge per order-0 pair is common enough (a zone whose
 * smallest free block is order 1) for the call to count. */
static inline __attribute__((always_inline)) void
buddy_merge(struct zone *z, unsigned long pfn, unsigned order)
{
	/* Locals, not the globals and fields: the list stores below could
	 * alias them as far as the compiler knows, and every merge level would
	 * load them again. */
	struct page *map = mem_map;
	unsigned long start = z->zone_start_pfn, span = z->spanned_pages;

	/* Blocks never cross a zone boundary, so a buddy outside the span can
	 * never be free in this zone, and one inside it is in this zone. One
	 * unsigned compare: a buddy below the start wraps round to a huge
	 * offset. */
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		if (buddy_pfn - start >= span)
			break;
		struct page *buddy = &map[buddy_pfn];
		if (!PageBuddy(buddy) || buddy->private != order)
			break;
		del_from_free_area(z, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_to_free_area(z, &map[pfn], order);
}

void __free_one_page(struct zone *z, unsigned long pfn, unsigned order)
{
	buddy_merge(z, pfn, order);
}

/* The smallest free block of at least `order`, split down to `order`.
 * Always inlined, as buddy_merge is: the order-0 refill's copy has the
 * constant order 0. */
static inline __attribute__((always_inline)) struct page *__rmqueue(struct zone *z, unsigned order)
{
	for (unsigned o = order; o < MAX_ORDER; o++) {
		struct free_area *area = &z->free_area[o];
		if (list_empty(&area->free_list))
			continue;
		struct page *p = list_first_entry(&area->free_list, struct page, lru);
		del_from_free_area(z, p, o);
		/* expand: keep the lower half, give back the upper halves */
		while (o > order) {
			o--;
			add_to_free_area(z, p + (1UL << o), o);
		}
		return p;
	}
	return NULL;
}

/* Unlock, then (debug_pagealloc) check the zone's free lists: the state
 * is consistent here, per-CPU counts included. */
static inline void zone_unlock(struct zone *z, unsigned long flags, const char *what)
{
	spin_unlock(&z->lock);
	if (unlikely(debug_pagealloc))
		debug_pagealloc_check(z, what);
	arch_irq_restore(flags);
}

/* The zone lock for the per-CPU lists' refills and drains, whose callers
 * have interrupts off already: no second save and restore. */
static inline void zone_lock_irqs_off(struct zone *z) { spin_lock(&z->lock); }

static inline void zone_unlock_irqs_off(struct zone *z, const char *what)
{
	spin_unlock(&z->lock);
	if (unlikely(debug_pagealloc))
		debug_pagealloc_check(z, what);
}

/* ---- per-CPU lists (interrupts off on this CPU) ---- */

/* How many blocks of `order` one refill moves: batch pages' worth, at
 * least one block (Linux scales the batch by order the same way). */
static inline int pcp_refill_blocks(const struct per_cpu_pages *pcp, unsigned order)
{
	int n = pcp->batch >> order;

	return n > 0 ? n : 1;
}

/* Move up to `want` blocks of `order` from the buddy lists to this CPU's
 * list for that order (zone lock held). Returns how many. */
static inline __attribute__((always_inline)) int
pcp_refill_list(struct zone *z, struct per_cpu_pages *pcp, unsigned order, int want)
{
	int n;

	for (n = 0; n < want; n++) {
		struct page *p = __rmqueue(z, order);
		if (!p)
			break;
		if (debug_pagealloc) /* the per-CPU list is off: this is the allocation */
			page_poison_check(p, order);
		for (struct page *q = p; q < p + (1UL << order); q++)
			q->flags |= 1u << PG_pcp;
		/* tail: the blocks come out in ascending order, as they were split */
		list_add_tail(&p->lru, &pcp->lists[order]);
	}
	pcp->count += n << order;
	return n;
}

/* Refill this CPU's list for `order` with pcp_refill_blocks blocks. They
 * stay counted in free_pages. Returns how many blocks. Order 0, the
 * commonest, has its own copy of the loop, with the per-page loop and the
 * shifts folded away. */
static __attribute__((noinline)) int pcp_refill(struct zone *z, struct per_cpu_pages *pcp,
						unsigned order)
{
	int n;

	zone_lock_irqs_off(z);
	if (order == 0)
		n = pcp_refill_list(z, pcp, 0, pcp->batch);
	else
		n = pcp_refill_list(z, pcp, order, pcp_refill_blocks(pcp, order));
	zone_unlock_irqs_off(z, "a per-CPU refill");
	return n;
}

/* Give blocks from this CPU's list for `order` back to the buddy lists,
 * coldest (the list's tail) first, until at least n pages went or the list
 * is empty (zone lock held). Returns the pages given back. */
static inline __attribute__((always_inline)) int
pcp_drain_list(struct zone *z, struct per_cpu_pages *pcp, int n, unsigned order)
{
	struct list_head *list = &pcp->lists[order];
	int done = 0;

	while (done < n && !list_empty(list)) {
		struct page *p = list_entry(list->prev, struct page, lru);
		/* unlinked without poisoning: the buddy lists relink it at once */
		p->lru.prev->next = list;
		list->prev = p->lru.prev;
		for (struct page *q = p; q < p + (1UL << order); q++)
			q->flags &= ~(1u << PG_pcp);
		done += 1 << order;
		if (debug_pagealloc) /* the per-CPU list is off: this is the free */
			page_poison_free(p, order);
		buddy_merge(z, page_to_pfn(p), order);
	}
	pcp->count -= done;
	return done;
}

/* Give at least n pages back to the buddy lists (fewer if the lists hold
 * fewer), coldest blocks first: from the list of `order`, the order just
 * freed, then, if it runs out, from the next orders in turn. A stream of
 * single-page frees thus gives back single pages and leaves the larger
 * blocks, which cost a split to make again, in place. */
static __attribute__((noinline)) void pcp_drain(struct zone *z, struct per_cpu_pages *pcp, int n,
						unsigned order)
{
	zone_lock_irqs_off(z);
	n -= order == 0 ? pcp_drain_list(z, pcp, n, 0) /* folded, as in pcp_refill */
			: pcp_drain_list(z, pcp, n, order);
	for (int k = 1; k < NR_PCP_LISTS && n > 0; k++) {
		order = (order + 1) % NR_PCP_LISTS;
		n -= pcp_drain_list(z, pcp, n, order);
	}
	zone_unlock_irqs_off(z, "a per-CPU drain");
}

/* Take the first (hottest) block off this CPU's non-empty list for
 * `order`. Interrupts off. The head trades PG_pcp for PG_head here, in one
 * xor, while interrupts are still off: a task that preempts this one must
 * not find a PG_pcp head on no list (debug checks count them); the tails
 * follow in prep_new_page. */
static inline __attribute__((always_inline)) struct page *
pcp_take(struct zone *z, struct per_cpu_pages *pcp, unsigned order)
{
	struct list_head *list = &pcp->lists[order];
	struct page *p = list_first_entry(list, struct page, lru);

	/* unlinked without poisoning: lru is the new owner's scratch space */
	p->lru.next->prev = list;
	list->next = p->lru.next;
	p->flags ^= (1u << PG_pcp) | (1u << PG_head);
	pcp->count -= 1 << order;
	zone_counter_sub(&z->free_pages, 1UL << order);
	return p;
}

/* The same, refilling an empty list first; NULL if the zone had no block. */
static inline struct page *pcp_refill_take(struct zone *z, struct per_cpu_pages *pcp,
					   unsigned order)
{
	if (list_empty(&pcp->lists[order]) && !pcp_refill(z, pcp, order))
		return NULL;
	return pcp_take(z, pcp, order);
}

static inline struct page *rmqueue_pcp(struct zone *z, unsigned order)
{
	unsigned long f = arch_irq_save();
	struct page *p = pcp_refill_take(z, &z->pcp[arch_cpu_id()], order);

	arch_irq_restore(f);
	return p;
}

/* The block's pages get PG_pcp here, with interrupts off, not in
 * release_block: a task preempting this one between the two must not find
 * a PG_pcp page on no list (debug_pagealloc's check_free_areas). The head
 * trades PG_head for PG_pcp, each tail PG_tail for PG_pcp: one xor each
 * (every free path checked those flags: free_fast_ok, free_misuse).
 * Interrupts off, pcp this CPU's list of the block's zone. */
static inline __attribute__((always_inline)) void
__free_to_pcp(struct zone *z, struct per_cpu_pages *pcp, struct page *p, unsigned order)
{
	p->flags ^= (1u << PG_head) | (1u << PG_pcp);
	for (struct page *tail = p + 1; tail < p + (1UL << order); tail++)
		tail->flags ^= (1u << PG_tail) | (1u << PG_pcp);
	list_add(&p->lru, &pcp->lists[order]); /* head: the next allocation gets a cache-hot block */
	pcp->count += 1 << order;
	zone_counter_add(&z->free_pages, 1UL << order); /* before a drain, which may check the counts */
	if (unlikely(pcp->count >= pcp->high))
		pcp_drain(z, pcp, pcp->batch, order);
}

static inline __attribute__((always_inline)) void free_to_pcp(struct zone *z, struct page *p,
							     unsigned order)
{
	unsigned long f = arch_irq_save();

	__free_to_pcp(z, &z->pcp[arch_cpu_id()], p, order);
	arch_irq_restore(f);
}

static void drain_cpu_pages(unsigned cpu)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];
		unsigned long f = arch_irq_save();
		if (z->pcp[cpu].count)
			pcp_drain(z, &z->pcp[cpu], z->pcp[cpu].count, 0);
		arch_irq_restore(f);
	}
}

static void drain_this_cpu(void *arg)
{
	(void)arg;
	drain_cpu_pages(arch_cpu_id());
}

/* A per-CPU list belongs to its CPU, which touches it with only interrupts
 * off: so each online CPU drains its own (an IPI); an offline CPU's lists
 * are quiet and are drained from here. */
void drain_all_pages(void)
{
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		if (arch_call_on_cpu(cpu, drain_this_cpu, NULL) < 0)
			drain_cpu_pages(cpu);
}

/* ---- allocation ---- */

/* The highest zone a request may use; the fallback goes down from there.
 * A table indexed by the two zone bits (Linux's GFP_ZONE_TABLE is the same
 * idea, packed into one word): __GFP_DMA wins over __GFP_HIGHMEM. */
static inline int gfp_zone(gfp_t gfp)
{
	static const u8 gfp_zone_table[4] = {
		[0] = ZONE_NORMAL,
		[__GFP_DMA] = ZONE_DMA,
		[__GFP_HIGHMEM] = ZONE_HIGHMEM,
		[__GFP_DMA | __GFP_HIGHMEM] = ZONE_DMA,
	};

	return gfp_zone_table[gfp & (__GFP_DMA | __GFP_HIGHMEM)];
}

/* Linux's check: after taking nr pages the zone must keep more than the
 * watermark plus what it reserves against requests of a higher class. */
static inline bool zone_above_mark_nr(const struct zone *z, long mark, unsigned long nr,
				      int classzone)
{
	long free = (long)zone_counter_read(&z->free_pages) - (long)nr + 1;

	return free > mark + (long)z->lowmem_reserve[classzone];
}

/* The slow path's check, at min; __GFP_HIGH (GFP_ATOMIC) may go down to
 * min - min/2: half the emergency reserve is for those who cannot wait. */
static inline bool zone_watermark_ok_nr(const struct zone *z, unsigned long nr, gfp_t gfp,
					int classzone)
{
	long mark = (long)z->watermark[WMARK_MIN];

	if (gfp & __GFP_HIGH)
		mark -= mark / 2;
	return zone_above_mark_nr(z, mark, nr, classzone);
}

/* The same for one block of 2^order pages. */
static inline bool zone_watermark_ok(const struct zone *z, unsigned order, gfp_t gfp, int classzone)
{
	return zone_watermark_ok_nr(z, 1UL << order, gfp, classzone);
}

/* The fast path's check, at low (Linux's ALLOC_WMARK_LOW): below, the slow path wakes kswapd. */
static inline bool zone_watermark_fast(const struct zone *z, unsigned long nr, int classzone)
{
	return zone_above_mark_nr(z, (long)z->watermark[WMARK_LOW], nr, classzone);
}

static struct page *rmqueue_buddy(struct zone *z, unsigned order)
{
	unsigned long f = spin_lock_irqsave(&z->lock);
	struct page *p = __rmqueue(z, order);

	if (p) {
		p->flags |= 1u << PG_head;
		zone_counter_sub(&z->free_pages, 1UL << order);
	}
	zone_unlock(z, f, "an allocation");
	if (p && debug_pagealloc)
		page_poison_check(p, order);
	return p;
}

static __attribute__((noinline)) void zero_pages(struct page *p, unsigned order)
{
	unsigned long n = 1UL << order;

	/* A zone is all lowmem or all highmem, and a block lies in one zone. */
	if (!PageHighMem(p)) {
		memset(page_address(p), 0, n << PAGE_SHIFT);
		return;
	}
	for (unsigned long i = 0; i < n; i++)
		clear_highpage(p + i);
}

/* The head has PG_head already (pcp_take, rmqueue_buddy). A block of
 * order 1-3 came off a per-CPU list, so its tails trade PG_pcp for
 * PG_tail; a larger one came from the buddy lists, its tails carrying
 * neither: one xor each. */
static inline void prep_new_page(struct zone *z, struct page *p, unsigned order, gfp_t gfp,
				 const void *caller)
{
	u32 tail_flip = (order < NR_PCP_LISTS ? 1u << PG_pcp : 0) | (1u << PG_tail);

	p->private = order;
	p->_refcount = 1;
	for (struct page *tail = p + 1; tail < p + (1UL << order); tail++)
		tail->flags ^= tail_flip;
	zone_counter_add(&z->alloc_count, 1);
	if (unlikely(gfp & __GFP_ZERO))
		zero_pages(p, order);
}

/* Down the zonelist from the request's class. An empty zone needs no test
 * of its own: with free_pages 0 it fails every watermark. Orders up to
 * PAGE_ALLOC_COSTLY_ORDER come from the per-CPU lists. */
static inline __attribute__((always_inline)) struct page *
get_page_from_zonelist(gfp_t gfp, unsigned order, const void *caller)
{
	int classzone = gfp_zone(gfp);

	for (int i = classzone; i >= 0; i--) {
		struct zone *z = &zones[i];
		if (!zone_watermark_ok(z, order, gfp, classzone))
			continue;
		struct page *p = order < NR_PCP_LISTS ? rmqueue_pcp(z, order) : rmqueue_buddy(z, order);
		if (likely(p)) {
			prep_new_page(z, p, order, gfp, caller);
			return p;
		}
	}
	return NULL;
}

static __attribute__((noinline)) struct page *get_page_any_order(gfp_t gfp, unsigned order,
								   const void *caller)
{
	return get_page_from_zonelist(gfp, order, caller);
}

static void warn_alloc(gfp_t gfp, unsigned order, const void *caller)
{
	char mode[160];

	format_gfp(gfp, mode, sizeof(mode));
	pr_warn("%s: page allocation failure: order:%u, mode:%s, nodemask=(null)\n",
		current_comm(), order, mode);
	pr_warn("caller %pS\n", caller);
	dump_stack();
	show_free_areas();
}

/* fail_page_alloc (fault injection): fail this request on purpose? Like
 * Linux, an injected failure returns NULL at once: no retry, no report
 * beyond the injection's own. */
static __attribute__((noinline)) bool should_fail_alloc_page(gfp_t gfp, unsigned order,
							     const void *caller)
{
	return should_fail(&fail_page_alloc, PAGE_SIZE << order, caller, gfp & __GFP_NOWARN);
}

/* Everything the fast path did not serve (a zone below low, an order above
 * 3, an empty zone, fault injection), in Linux's order
 * (__alloc_pages_slowpath), step by step:
 *   1. the free lists, each zone down to its min watermark;
 *   2. wake kswapd (background reclaim) when a zone is below low;
 *   3. this CPU's per-CPU lists drained, and the free lists again;
 *   4. direct reclaim (the caller reclaims, and may sleep), then the OOM killer;
 *   5. failure: counted and reported.
 * A request that may reclaim (__GFP_DIRECT_RECLAIM: GFP_KERNEL) is checked
 * on entry to come from a context that may sleep, even when step 1 serves
 * it: reclaim will make that sleep real. */
static __attribute__((noinline)) struct page *alloc_pages_slow(gfp_t gfp, unsigned order,
							      const void *caller)
{
	struct page *p;

	might_sleep_if(gfp & gfp_allowed_mask & __GFP_DIRECT_RECLAIM);
	if (unlikely(fault_inject_on) && should_fail_alloc_page(gfp, order, caller))
		return NULL;
	if (unlikely(order >= MAX_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("alloc_pages: order %u is too large: the largest block is order %u "
				"(caller %pS)\n", order, MAX_ORDER - 1, caller);
		return NULL;
	}
	wakeup_kswapd(gfp, order); /* a zone below low: background reclaim (mm/vmscan.c) */
	/* 1. the free lists */
	p = get_page_any_order(gfp, order, caller);
	if (p)
		goto got_pg;
	/* 2. kswapd was woken on entry (Linux wakes it here, after a first
	 * try at the low watermark: Highland's fast path made that try for
	 * orders 0-3, and a larger order wakes kswapd only below low too). */
	/* 3. pages sitting on this CPU's lists may complete a larger block */
	drain_cpu_pages(arch_cpu_id());
	p = get_page_any_order(gfp, order, caller);
	if (p)
		goto got_pg;
	/* 4. direct reclaim, then the OOM killer, while they give memory back
	 * (only with __GFP_DIRECT_RECLAIM: mm/vmscan.c) */
	for (int n = 0; !p && __alloc_pages_reclaim_or_oom(gfp, order, n); n++)
		p = get_page_any_order(gfp, order, caller);
	if (p)
		goto got_pg;
	/* 5. failure */
	/* Count the failure against the first zone that could have served it. */
	for (int i = gfp_zone(gfp); i >= 0; i--) {
		if (zones[i].managed_pages) {
			zone_counter_add(&zones[i].fail_count, 1);
			break;
		}
	}
	if (!(gfp & __GFP_NOWARN))
		warn_alloc(gfp, order, caller);
	return NULL;
got_pg:
	page_ext_set_caller(p, caller); /* the fast path is off while the table is on */
	return p;
}

/* The fast path: a block from this CPU's list for `order` (0..3) of the
 * first populated zone the request may use, no lock taken. An empty list
 * is refilled here, from the zone the watermark allowed (the slow path's
 * first step would do just that, after checks that change nothing for a
 * request of this zone), and the request is then checked as the slow path
 * checks, since it was not served at once. A watermark, a lower zone, a
 * larger order: all of that is the slow path's. */
static inline __attribute__((always_inline)) struct page *
alloc_pages_fast(gfp_t gfp, unsigned order, const void *caller)
{
	int classzone = gfp_zone(gfp);
	struct zone *z = preferred_zone[classzone];
	struct page *p;

	if (unlikely(!zone_watermark_fast(z, 1UL << order, classzone)))
		return NULL;
	unsigned long f = arch_irq_save();
	struct per_cpu_pages *pcp = &z->pcp[arch_cpu_id()];
	if (likely(!list_empty(&pcp->lists[order]))) {
		p = pcp_take(z, pcp, order);
		arch_irq_restore(f);
	} else {
		p = pcp_refill(z, pcp, order) ? pcp_take(z, pcp, order) : NULL;
		arch_irq_restore(f);
		might_sleep_if(gfp & gfp_allowed_mask & __GFP_DIRECT_RECLAIM);
	}
	if (likely(p))
		prep_new_page(z, p, order, gfp, caller);
	return p;
}

/* Inlined into each entry point, so the caller recorded is theirs. */
static inline __attribute__((always_inline)) struct page *
alloc_pages_caller(gfp_t gfp, unsigned order, const void *caller)
{
	if (likely(order < alloc_pages_fast_orders)) { /* orders 0-3, unless injecting */
		/* order 0 is inlined on its own, every per-tail loop folded away */
		struct page *p = order == 0 ? alloc_pages_fast(gfp, 0, caller)
					    : alloc_pages_fast(gfp, order, caller);
		if (likely(p))
			return p;
	}
	return alloc_pages_slow(gfp, order, caller);
}

struct page *alloc_pages(gfp_t gfp, unsigned order)
{
	return alloc_pages_caller(gfp, order, __builtin_return_address(0));
}

/* The fast path's work for many pages under one interrupt-off section:
 * one watermark check for all of them, this CPU's list refilled in
 * batches as it empties. Whatever that cannot serve (a watermark, an
 * empty zone, zeroing, fault injection or page_owner, which want each
 * page on its own) is left to alloc_pages, one page at a time. */
unsigned long alloc_pages_bulk_list(gfp_t gfp, unsigned long nr, struct list_head *list)
{
	const void *caller = __builtin_return_address(0);
	int classzone = gfp_zone(gfp);
	struct zone *z = preferred_zone[classzone];
	unsigned long n = 0;

	if (likely(alloc_pages_fast_orders && !(gfp & __GFP_ZERO) &&
		   zone_watermark_fast(z, nr, classzone))) {
		unsigned long f = arch_irq_save();
		struct per_cpu_pages *pcp = &z->pcp[arch_cpu_id()];
		while (n < nr && (!list_empty(&pcp->lists[0]) || pcp_refill(z, pcp, 0))) {
			struct page *p = list_first_entry(&pcp->lists[0], struct page, lru);
			list_del(&p->lru);
			p->flags ^= (1u << PG_pcp) | (1u << PG_head);
			pcp->count--;
			prep_new_page(z, p, 0, gfp, caller);
			list_add_tail(&p->lru, list);
			n++;
		}
		zone_counter_sub(&z->free_pages, n);
		arch_irq_restore(f);
	}
	for (; n < nr; n++) {
		struct page *p = alloc_pages_caller(gfp | __GFP_NOWARN, 0, caller);
		if (!p)
			break;
		list_add_tail(&p->lru, list);
	}
	return n;
}

/* ---- freeing ---- */

/* The fast test: a page we handed out as the head of an order-`order`
 * block, unmapped, with one reference. Anything else takes the slow path,
 * which reports misuse and handles extra references. (Tails are checked
 * separately: only blocks of order > 0 have them.) */
static inline bool free_fast_ok(const struct page *page, unsigned order)
{
	return page_in_mem_map(page) &&
	       (page->flags & PAGE_FLAGS_CHECK_AT_FREE) == (1u << PG_head) &&
	       page->private == order && page->_mapcount == -1 && page->_refcount == 1 &&
	       !page->mapping;
}

/* The block's head becomes a free page of its zone, counted as freed.
 * Its flags are left to the caller: free_to_pcp turns PG_head and PG_tail
 * into PG_pcp in one xor a page, free_pages_slow clears them for a larger
 * block. (private, the order, is rewritten whenever it means something
 * again: by the buddy lists, or by prep_new_page.) */
static inline struct zone *release_block(struct page *page)
{
	page->_refcount = 0;

	struct zone *z = page_zone(page);
	zone_counter_add(&z->free_count, 1);
	return z;
}

static __attribute__((noinline)) void free_pages_slow(struct page *page, unsigned order,
						      const void *caller)
{
	if (!free_fast_ok(page, order) && !free_pages_check_slow(page, order, caller))
		return;
	/* kmap users are pkmap's to count (include/pkmap.h); only this path looks */
	if (PageHighMem(page) && page_kmapped(page)) {
		bad_page(page, "freeing a page that is still kmapped (kunmap first)", caller);
		return;
	}
	/* Each tail's state is per-page work: checked with debug_pagealloc only */
	if (order && unlikely(debug_pagealloc) && !free_tails_ok(page, order, caller))
		return;
	struct zone *z = release_block(page);
	page_ext_set_caller(page, caller); /* the fast path is off while the table is on */
	if (order < NR_PCP_LISTS) {
		free_to_pcp(z, page, order);
		return;
	}
	page->flags &= ~(1u << PG_head);
	page->private = 0;
	for (struct page *tail = page + 1; tail < page + (1UL << order); tail++)
		tail->flags &= ~(1u << PG_tail);
	if (debug_pagealloc)
		page_poison_free(page, order);
	unsigned long f = spin_lock_irqsave(&z->lock);
	__free_one_page(z, page_to_pfn(page), order);
	zone_counter_add(&z->free_pages, 1UL << order);
	zone_unlock(z, f, "a free");
}

static inline __attribute__((always_inline)) void
free_pages_caller(struct page *page, unsigned order, const void *caller)
{
	/* orders 0-3 unless injecting faults or recording callers (page_ext);
	 * the slow path checks a larger block's tails with debug_pagealloc, and
	 * whether a HighMem block of order 1-3 is still kmapped (a multi-page
	 * HighMem block is rare; the order-0 fast path leaves that check out,
	 * as before) */
	if (likely(order < alloc_pages_fast_orders && free_fast_ok(page, order))) {
		if (order == 0) { /* inlined on its own, every per-tail loop folded away */
			free_to_pcp(release_block(page), page, 0);
			return;
		}
		if (!debug_pagealloc && !PageHighMem(page)) {
			free_to_pcp(release_block(page), page, order);
			return;
		}
	}
	free_pages_slow(page, order, caller);
}

void __free_pages(struct page *page, unsigned order)
{
	free_pages_caller(page, order, __builtin_return_address(0));
}

/* Pages per interrupt-off section of free_unref_page_list (Linux's
 * SWAP_CLUSTER_MAX): a long list must not keep interrupts off throughout. */
#define FREE_LIST_BATCH 32

/* __free_pages(page, 0) for every page of the list, but the pages that
 * pass the fast test go to this CPU's lists FREE_LIST_BATCH at a time,
 * under one interrupt save and restore: no call, no interrupt toggling per
 * page. Any other page takes the slow path on its own, with every check
 * and report, exactly as __free_pages would. */
void free_unref_page_list(struct list_head *list)
{
	const void *caller = __builtin_return_address(0);
	struct list_head *l = list->next;

	while (l != list) {
		unsigned long f = arch_irq_save();
		unsigned cpu = arch_cpu_id();
		for (int n = 0; n < FREE_LIST_BATCH && l != list; n++) {
			struct page *page = list_entry(l, struct page, lru);
			l = l->next; /* now: a per-CPU list takes over page->lru */
			if (unlikely(!alloc_pages_fast_orders || !free_fast_ok(page, 0))) {
				arch_irq_restore(f);
				free_pages_slow(page, 0, caller);
				f = arch_irq_save();
				continue;
			}
			struct zone *z = release_block(page);
			__free_to_pcp(z, &z->pcp[cpu], page, 0);
		}
		arch_irq_restore(f);
	}
	INIT_LIST_HEAD(list);
}

/* A count above 1 means a page in use with other users left (a free page
 * has 0): dropping one is one atomic decrement, as fork's children dropping
 * the pages they shared do in bulk. The decrement that reaches 0 is the
 * last user's: the count goes back to the 1 the free path expects, and the
 * free runs with every check. A count of 1 or less goes there at once (a
 * misuse, if the page is free, is reported there). */
void put_page(struct page *page)
{
	if (page->flags & ((1u << PG_lru) | (1u << PG_swapbacked))) {
		put_page_lru(page); /* off its LRU list first (mm/swap.c) */
		return;
	}
	if (likely(page_in_mem_map(page) && page->_refcount > 1)) {
		if (__atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) > 0)
			return;
		page->_refcount = 1; /* nobody else holds it now */
	}
	free_pages_caller(page, 0, __builtin_return_address(0));
}

/* ---- by kernel address (lowmem only) ---- */

static unsigned long get_free_pages_caller(gfp_t gfp, unsigned order, const void *caller)
{
	if (gfp & __GFP_HIGHMEM) {
		pr_warn("__get_free_pages: __GFP_HIGHMEM refused: highmem pages have no kernel "
			"address (caller %pS)\n", caller);
		return 0;
	}
	struct page *p = alloc_pages_caller(gfp, order, caller);
	return p ? (unsigned long)page_address(p) : 0;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned order)
{
	return get_free_pages_caller(gfp, order, __builtin_return_address(0));
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return get_free_pages_caller(gfp | __GFP_ZERO, 0, __builtin_return_address(0));
}

void free_pages(unsigned long addr, unsigned order)
{
	const void *caller = __builtin_return_address(0);

	if (!addr)
		return;
	/* Only a direct-map address has a struct page we can find by arithmetic. */
	phys_addr_t pa = __pa(addr);
	if ((addr & ~PAGE_MASK) || pa >= PFN_PHYS(max_low_pfn)) {
		pr_err("BUG: free_pages(%#lx, %u): not the address of a lowmem page (caller %pS)\n",
		       addr, order, caller);
		dump_stack();
		return;
	}
	free_pages_caller(virt_to_page((void *)addr), order, caller);
}
