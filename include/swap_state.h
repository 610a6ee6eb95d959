/* swap_state.h - the swap cache and the memory side of swap
 * (mm/swap_state.c): what reclaim, the fault path and swapoff call. The
 * areas, slots and I/O are swap.h's. */
#ifndef HL_SWAP_STATE_H
#define HL_SWAP_STATE_H

#include "swap.h"

struct page;

/* The cache's index for area type of max slots (swapon) / its end (swapoff). */
int swap_cache_init_area(unsigned type, unsigned max);
void swap_cache_exit_area(unsigned type);

/* The page in the cache for entry, with a reference taken; NULL if none. */
struct page *lookup_swap_cache(swp_entry_t entry);
/* Give page (locked, anonymous, isolated) a slot and put it in the cache,
 * dirty: false if swap is full or off. */
bool add_to_swap(struct page *page);
/* Out of the cache (page locked): the slot's count and the cache's page
 * reference go. */
void delete_from_swap_cache(struct page *page);
/* Out of the cache if no swap PTE names its slot any more (page locked):
 * true if it left. */
bool try_to_free_swap(struct page *page);
/* A swap PTE holding entry was zapped: its slot count goes, and a cached
 * page nobody maps or names leaves the cache. */
void free_swap_and_cache(swp_entry_t entry);
/* entry's page, from the cache or read from its slot into a new page
 * (PGMAJFAULT's case: *did_io set), with a reference for the caller; NULL
 * without memory or if the slot was freed meanwhile; ERR_PTR(-EIO) if the
 * read failed. The page may still be locked by another reader's I/O. */
struct page *read_swap_cache_async(swp_entry_t entry, bool *did_io);
/* read_swap_cache_async for a fault (Linux's swapin_readahead with
 * vm.page-cluster 3): when the page must be read, the slots in use of the
 * aligned cluster of 8 around it that are not cached come in too, each run
 * of consecutive ones with one request, into the swap cache and onto the
 * LRU, unmapped (SWAP_RA); a fault that finds such a page counts
 * SWAP_RA_HIT. Same results as read_swap_cache_async. */
struct page *swap_cluster_readahead(swp_entry_t entry, bool *did_io);
/* Reclaim's pageout of an anonymous page (locked, isolated: the caller
 * holds one reference): into swap, unmapped, written, out of the cache. 0
 * when only the caller's reference is left (its put frees the frame);
 * -ENOSPC (no swap), -EBUSY (still mapped or used), -EIO (write failed:
 * the page stays, dirty, in the cache). */
int reclaim_anon_page(struct page *page);
/* reclaim_anon_page in two steps, so that a batch of pages is unmapped
 * with one TLB flush (vmscan's shrink_page_list): into swap and unmapped,
 * the flush left in *batch (0, -ENOSPC, -EBUSY); then, after
 * try_to_unmap_flush, written and out of the cache (0, -EBUSY, -EIO). */
struct tlbflush_unmap_batch;
int reclaim_anon_unmap(struct page *page, struct tlbflush_unmap_batch *batch);
/* plug: NULL, or the one reclaim_anon_write_list wrote the page through
 * (its result is taken from there; the page is not written again). */
int reclaim_anon_writeout(struct page *page, struct swap_iocb *plug);
/* Between the two steps for a whole batch (pages linked by lru, each
 * locked and unmapped, after the flush): the dirty ones written through
 * plug, each run of consecutive slots as one request (page_io.c). */
struct list_head;
void reclaim_anon_write_list(struct list_head *pages, struct swap_iocb *plug);

#endif
