/* pkmap.h - persistent kernel mappings: kmap()/kunmap(), which may sleep.
 *
 * The pkmap window (LAST_PKMAP = 512 slots, one PTE page at PKMAP_BASE) maps
 * highmem pages for as long as their users need, across sleeps and on every
 * CPU - unlike kmap_atomic's per-CPU slots. pkmap_count[i] means, as in
 * Linux: 0 free and in no TLB; 1 free but maybe still cached in some TLB
 * (not reusable before a flush); n > 1 in use by n - 1 users. A mapping
 * whose users are gone stays cached until the scan for a free slot wraps
 * around, when flush_all_zero_pkmaps() frees every count-1 slot with ONE
 * TLB flush of the window on all CPUs. When no slot is free, kmap sleeps
 * until a kunmap frees one. page_address() of a kmapped highmem page finds
 * its slot through a 512-bucket hash, set up at boot by page_address_init.
 *
 * A page's kmap users are counted here, in its slot's pkmap_count, never
 * in the struct page (whose _mapcount counts page-table mappings only).
 * Freeing a page that still has kmap users is refused by the page
 * allocator's slow path (page_kmapped); the order-0 fast path does not
 * look, as Linux's never does, unless debug_pagealloc or page_owner is on.
 */
#ifndef HL_PKMAP_H
#define HL_PKMAP_H

#include "mm.h"

/* The page's kernel address, mapping a highmem page into the pkmap window
 * (and sleeping for a slot if all are busy). Reports a call from interrupt
 * or atomic context (it may sleep). */
void *kmap(struct page *page);
/* Drop one use; the mapping stays cached. An unbalanced kunmap is reported
 * with the caller and changes nothing. */
void kunmap(struct page *page);
/* The page behind a kmap (or direct-map) address. */
struct page *kmap_to_page(void *vaddr);
/* Free every unused slot now (one TLB flush), e.g. before a page changes hands. */
void kmap_flush_unused(void);
/* The pkmap address of a kmapped highmem page, NULL if it has none. */
void *pkmap_page_address(const struct page *page);
/* Boot: empty the page_address hash and the window (Linux's page_address_init). */
void page_address_init(void);
/* Has this highmem page kmap users now (a slot with count > 1)? */
bool page_kmapped(const struct page *page);
/* The `pkmap` report: every slot in use or cached, and the counters. */
void show_pkmap(void);

#define PKMAP_NR(va) (((unsigned long)(va) - PKMAP_BASE) >> PAGE_SHIFT)

struct pkmap_stats {
	unsigned long maps;       /* kmap of a highmem page */
	unsigned long cache_hits; /* ... that found the page already mapped */
	unsigned long flushes;    /* flush_all_zero_pkmaps that freed slots (one TLB flush each) */
	unsigned long wraps;      /* scans that wrapped around */
	unsigned long sleeps;     /* kmaps that had to wait for a slot */
	unsigned long reports;    /* misuses reported */
};
extern struct pkmap_stats pkmap_stats;
extern int pkmap_count[LAST_PKMAP];
extern unsigned last_pkmap_nr;

/* kmap, or NULL instead of sleeping when every slot is in use (for the
 * monitor, which must never leave a dead console). Another task may take
 * the last slot between the check and the map; then this sleeps like kmap. */
void *kmap_try(struct page *page);

#endif
