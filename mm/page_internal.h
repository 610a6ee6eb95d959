/* page_internal.h - what the page allocator's files share among themselves
 * (mm/page_alloc.c, zone_init.c, page_check.c, page_reports.c); nothing
 * outside mm/ should need it.
 *
 * Counters: zone->free_pages, alloc_count, free_count and fail_count are
 * changed both under the zone lock (buddy operations) and without it (the
 * per-CPU fast path), so every change is an atomic add. Moving pages between
 * a per-CPU list and the buddy lists does not change free_pages: both count
 * as free.
 */
#ifndef HL_PAGE_INTERNAL_H
#define HL_PAGE_INTERNAL_H

#include "mmzone.h"

/* Flags a block must not carry when it is freed, besides PG_head on its
 * first page: anything else means it is free already, not ours, or busy. */
#define PAGE_FLAGS_CHECK_AT_FREE                                                      \
	((1u << PG_reserved) | (1u << PG_buddy) | (1u << PG_pcp) | (1u << PG_head) |   \
	 (1u << PG_tail) | (1u << PG_slab) | (1u << PG_large_kmalloc))

static inline void zone_counter_add(unsigned long *c, unsigned long n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static inline void zone_counter_sub(unsigned long *c, unsigned long n)
{
	__atomic_fetch_sub(c, n, __ATOMIC_RELAXED);
}

static inline unsigned long zone_counter_read(const unsigned long *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* The page whose address is p, if p really points at an element of mem_map
 * (integer arithmetic only: p may be any pointer a caller passed in). */
static inline bool page_in_mem_map(const struct page *p)
{
	uintptr_t off = (uintptr_t)p - (uintptr_t)mem_map;

	return off < (uintptr_t)max_pfn * sizeof(struct page) && off % sizeof(struct page) == 0;
}

/* page_alloc.c: the highest populated zone at or below each class (the
 * first one the fast path tries); set by setup_per_zone_wmarks. */
extern struct zone *preferred_zone[MAX_NR_ZONES];

/* page_alloc.c: put one block on its zone's free lists, merging with free
 * buddies. Zone lock held; the block's pages carry no state any more. */
void __free_one_page(struct zone *z, unsigned long pfn, unsigned order);

/* page_check.c */
/* Everything wrong with freeing (page, order), reported; true if the free
 * may go on (this was the last reference), false if it was refused or only
 * dropped one of several references. */
bool free_pages_check_slow(struct page *page, unsigned order, const void *caller);
/* The tail pages of a block being freed are that and nothing else
 * (reported if not). */
bool free_tails_ok(struct page *page, unsigned order, const void *caller);
/* "BUG: Bad page state" with dump_page() and a backtrace. */
void bad_page(const struct page *page, const char *reason, const void *caller);
/* debug_pagealloc: check zone z (NULL: every zone) after a buddy
 * operation named `what`. */
void debug_pagealloc_check(struct zone *z, const char *what);
/* "reserved|buddy|..." for the flags word f. */
void format_page_flags(u32 f, char *buf, size_t size);

/* page_check.c: debug_pagealloc's poisoning. Freed pages are filled with
 * 0xaa; page_poison_check reports any byte that changed (use after free). */
void page_poison_free(struct page *page, unsigned order);
void page_poison_check(struct page *page, unsigned order);
extern unsigned long page_poison_reports;

#endif
