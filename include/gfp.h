/* gfp.h - "get free pages": the page allocator's API and its request flags.
 *
 * Flags say where a request may be served from and how hard to try:
 *   GFP_KERNEL    may sleep; lowmem (NORMAL, then DMA); stops at the min watermark
 *   GFP_ATOMIC    never sleeps; may dip to min/2 (the reserves)
 *   GFP_DMA       only ZONE_DMA (below 16 MB)
 *   __GFP_HIGHMEM ZONE_HIGHMEM first, falling back to NORMAL then DMA
 *   GFP_HIGHUSER  GFP_KERNEL | __GFP_HIGHMEM
 *   __GFP_ZERO    zeroed pages (highmem ones through kmap_atomic)
 *   __GFP_NOWARN  no report when the allocation fails
 * Fallback only goes down (HIGHMEM -> NORMAL -> DMA), honouring lowmem_reserve.
 * A request that may reclaim (__GFP_DIRECT_RECLAIM, in GFP_KERNEL and not in
 * GFP_ATOMIC) is reported by might_sleep() when it comes from atomic
 * context and goes past the per-CPU fast path - the page allocator's slow
 * path, the slab's refill - where reclaim will sleep. The fast paths (a
 * per-CPU list or array hit) do not check, as Linux's do not without
 * CONFIG_DEBUG_ATOMIC_SLEEP: the check would cost them more than the 2%
 * their benchmarks allow.
 * A failed allocation returns NULL (and reports unless __GFP_NOWARN); it
 * never panics.
 */
#ifndef HL_GFP_H
#define HL_GFP_H

#include "mm.h"

typedef unsigned gfp_t;

#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u
#define __GFP_HIGH 0x20u           /* may use the emergency reserves (below min) */
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define __GFP_DIRECT_RECLAIM 0x400u /* the caller may sleep */
#define __GFP_KSWAPD_RECLAIM 0x800u

#define __GFP_BITS_MASK 0xfffu

/* Linux's gfp_allowed_mask: while boot runs with interrupts off it cannot
 * sleep, so no request may reclaim (GFP_BOOT_MASK); start_kernel opens the
 * mask to every flag once the scheduler runs and interrupts are on. The
 * allocators apply it to their might_sleep checks. */
#define GFP_BOOT_MASK (__GFP_BITS_MASK & ~(__GFP_DIRECT_RECLAIM | __GFP_IO | __GFP_FS))
extern gfp_t gfp_allowed_mask;

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_DMA __GFP_DMA
#define GFP_HIGHUSER (GFP_KERNEL | __GFP_HIGHMEM)
/* User pages (Linux's name; Highland does not group pages by mobility, so it
 * is GFP_HIGHUSER). */
#define GFP_HIGHUSER_MOVABLE GFP_HIGHUSER

#define MAX_ORDER 11 /* free lists for orders 0..10: the largest block is 4 MB */

/* 2^order contiguous frames, or NULL. */
struct page *alloc_pages(gfp_t gfp, unsigned order);
#define alloc_page(gfp) alloc_pages(gfp, 0)
/* Up to nr single pages onto the tail of list (linked by their lru), as
 * nr alloc_page(gfp) calls would give them but in one pass over this
 * CPU's list (Linux's alloc_pages_bulk_list). Returns how many: fewer
 * than nr only when memory ran short (no warning; the caller decides). */
unsigned long alloc_pages_bulk_list(gfp_t gfp, unsigned long nr, struct list_head *list);
/* Give back a block from alloc_pages; the order must match. */
void __free_pages(struct page *page, unsigned order);
#define __free_page(page) __free_pages(page, 0)
/* __free_page for each page of a list linked by their lru (Linux's
 * free_unref_page_list): the same checks, but the common case in batches
 * under one interrupt-off section. The list is empty afterwards. */
void free_unref_page_list(struct list_head *list);
/* One more / one less user of a page in use (Linux's names). put_page of
 * the last reference is __free_pages(page, 0), with all its checks; of
 * another, one atomic decrement (page_alloc.c). A page on an LRU list or
 * anonymous (PG_swapbacked) goes through put_page_lru (mm/swap.c), which
 * takes it off its list first when the last reference goes. */
static inline void get_page(struct page *page) { __atomic_add_fetch(&page->_refcount, 1, __ATOMIC_RELAXED); }
/* A reference to a page found without one (through a PTE read without a
 * lock): taken only while somebody else still holds one, so a page whose
 * last put is under way, or that is free, is left alone. The caller checks
 * afterwards that the page is still the one it looked for. */
static inline bool get_page_unless_zero(struct page *page)
{
	s32 c = __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);

	while (c > 0 && !__atomic_compare_exchange_n(&page->_refcount, &c, c + 1, false,
						      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		;
	return c > 0;
}
void put_page(struct page *page);
void put_page_lru(struct page *page);
/* Lowmem only: the block's kernel address, or 0. __GFP_HIGHMEM is refused. */
unsigned long __get_free_pages(gfp_t gfp, unsigned order);
#define __get_free_page(gfp) __get_free_pages(gfp, 0)
unsigned long get_zeroed_page(gfp_t gfp);
/* Free by kernel address (from __get_free_pages). */
void free_pages(unsigned long addr, unsigned order);
#define free_page(addr) free_pages(addr, 0)

/* Format gfp as "0xNNN(GFP_KERNEL|__GFP_ZERO)" for reports. */
void format_gfp(gfp_t gfp, char *buf, size_t size);

#endif
