/* swap.h - swap: where anonymous pages go when reclaim needs their frames.
 *
 * The contract between the two halves of swap (issue 16):
 *   - the swap areas (mm/swapfile.c, mm/page_io.c, over a block device):
 *     the on-disk format mkswap writes, the slot allocator with a use
 *     count per slot, swapon/swapoff, and the page-sized I/O;
 *   - the memory side (mm/swap_state.c, mm/rmap.c, mm/vmscan.c,
 *     mm/memory.c): the swap cache, unmapping a page into swap entries,
 *     swap-in on fault, and try_to_unuse, which swapoff calls to bring an
 *     area's pages back.
 * A swap entry names one slot: the area's index (type) and the page's
 * offset in it, in pages (offset 0 is the header, never handed out). It is
 * what a non-present PTE holds while the page is out (pgtable.h's
 * swp_entry_to_pte / pte_to_swp_entry) and what an anonymous page in the
 * swap cache keeps in page->private. Names are Linux's. */
#ifndef HL_SWAP_H
#define HL_SWAP_H

#include "types.h"

struct page;

typedef struct {
	unsigned long val; /* 0: no entry */
} swp_entry_t;

#define SWP_TYPE_BITS 5 /* as Linux i386 PAE */
#define MAX_SWAPFILES 8 /* areas that can be on at once */

static inline swp_entry_t swp_entry(unsigned type, unsigned long offset)
{
	return (swp_entry_t){ (offset << SWP_TYPE_BITS) | type };
}
static inline unsigned swp_type(swp_entry_t e) { return e.val & ((1u << SWP_TYPE_BITS) - 1); }
static inline unsigned long swp_offset(swp_entry_t e) { return e.val >> SWP_TYPE_BITS; }

/* ---- the swap areas (mm/swapfile.c) ---- */
/* A free slot on the highest-priority area with one, its use count set to
 * 1 (the swap cache's reference); .val 0 when swap is full or off. */
swp_entry_t get_swap_page(void);
/* One more user of the slot (a PTE now holds the entry): 0, or -EINVAL if
 * the entry names no slot in use. */
int swap_duplicate(swp_entry_t entry);
/* One user fewer (a PTE that held it was zapped, the swap cache let go):
 * the slot is free again when none is left. */
void swap_free(swp_entry_t entry);
/* The slot's users now (0: free); for reclaim's and swapoff's checks. */
int __swap_count(swp_entry_t entry);

/* ---- page-sized I/O (mm/page_io.c) ---- */
/* Write page (PG_locked, PG_swapcache, private = its entry) to its slot,
 * through kmap for a HighMem page. Synchronous: returns 0, or -EIO with
 * the page left as it was (still dirty, still in memory). */
int swap_writepage(struct page *page);
/* Read the slot page->private names into page (PG_locked, PG_swapcache):
 * 0 with PG_uptodate set, or -EIO (the faulting process gets SIGBUS). */
int swap_readpage(struct page *page);

/* ---- the memory side (mm/swap_state.c) ---- */
/* Bring every page of area `type` back into memory and point every PTE
 * and the swap cache away from it (swapoff, after the area stopped
 * handing out slots): 0, or -ENOMEM / -EINTR with the area still in use. */
int try_to_unuse(unsigned type);

#endif
