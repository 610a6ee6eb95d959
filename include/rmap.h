/* rmap.h - the reverse map: from an anonymous page to every PTE that maps it.
 *
 * Reclaim holds a page, not an address: to age it (was it used?) and to
 * unmap it (so its frame can be freed) it must find the PTEs. Highland uses
 * Linux 2.6.9's object-based anon_vma: one anon_vma per family of regions
 * (a region and the copies fork made of it), listing those regions. An
 * anonymous page points at it (page->mapping = anon_vma | PAGE_MAPPING_ANON)
 * and keeps its linear index (page->index = user address >> PAGE_SHIFT), so
 * the page's address in any region of the family is computed, not stored:
 * Highland has no mremap, so an anonymous page never moves in its address
 * space and a fork's copy has it at the same address. Linux 2.6.34 replaced
 * the one list by anon_vma chains to scale with long fork chains; a
 * teaching kernel does not need that.
 *
 * Lifetime: Linux frees an anon_vma through RCU while pages may still point
 * at it. Highland has no RCU, so an anon_vma is counted: one reference per
 * region on its list and one per page whose mapping names it (dropped when
 * the page is freed). Whoever holds a page may lock its anon_vma. */
#ifndef HL_RMAP_H
#define HL_RMAP_H

#include "list.h"
#include "mm.h"
#include "spinlock.h"
#include "swap.h"

struct vm_area_struct;

struct anon_vma {
	spinlock_t lock;       /* guards head; held while a walk reads a region's PTEs */
	struct list_head head; /* the regions, through vm_area_struct.anon_vma_node */
	int refcount;          /* regions on head + pages whose mapping names it + walkers */
	struct list_head all;  /* on the list of every anon_vma (swapoff walks it) */
};

/* The page's anon_vma, or NULL if it is not an anonymous page. */
static inline struct anon_vma *page_anon_vma(const struct page *page)
{
	unsigned long m = (unsigned long)page->mapping;

	return (m & PAGE_MAPPING_ANON) ? (struct anon_vma *)(m - PAGE_MAPPING_ANON) : NULL;
}
static inline bool PageAnon(const struct page *page) { return page_anon_vma(page) != NULL; }
/* Does any PTE map the page? */
static inline bool page_mapped(const struct page *page) { return page_mapcount(page) > 0; }

/* Give vma an anon_vma before its first anonymous page: a neighbour's it
 * could merge with, else a new one. 0 or -ENOMEM. */
int anon_vma_prepare(struct vm_area_struct *vma);
/* vma (a fresh struct copied from src: fork, or a split) joins src's
 * anon_vma. Never fails: nothing is allocated. */
void anon_vma_link(struct vm_area_struct *vma, const struct vm_area_struct *src);
/* vma leaves its anon_vma (before it is freed); the last reference frees it. */
void unlink_anon_vmas(struct vm_area_struct *vma);
/* A page let go of its anon_vma (the page is being freed). */
void put_anon_vma(struct anon_vma *av);
/* Live anon_vmas (tests: every one is freed). */
extern long nr_anon_vmas;

/* A new anonymous page's first mapping, at address of vma: mapping,
 * index, PG_swapbacked, _mapcount 0, and a reference on the anon_vma
 * (anon_vma_prepare must have run). */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address);
/* One more mapping of an anonymous page (swap-in, swapoff): its rmap half
 * first if it has none (a page read from swap), then _mapcount and the
 * counts (mm/memory.c). */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address);
/* Its rmap half (mm/memory.c keeps the counts): mapping, index,
 * PG_swapbacked and the anon_vma reference. */
void __page_set_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address);

/* The address of page in vma, or -EFAULT if the page lies outside it. */
unsigned long vma_address(const struct page *page, const struct vm_area_struct *vma);

/* How many PTEs mapping page had the accessed bit set; clears each (the
 * page's age). Caller holds a reference. As Linux on x86, no TLB flush:
 * a stale TLB entry only delays the next set of the bit (see rmap.c). */
int page_referenced(struct page *page);

/* Unmap an anonymous page in the swap cache from every PTE: each becomes
 * the page's swap entry (a slot count each, swap_duplicate), the mm's
 * MM_ANONPAGES becomes MM_SWAPENTS, and the TLB is flushed on every CPU in
 * the mm's cpumask. Page locked. true if no mapping is left. */
bool try_to_unmap(struct page *page);

/* Linux's struct tlbflush_unmap_batch (TTU_BATCH_FLUSH): PTEs changed by
 * try_to_unmap_batched whose TLB entries may still be cached, on the CPUs
 * of cpumask. Reclaim unmaps a batch of pages, flushes once, then writes
 * them out: one shootdown per batch instead of one per page (with two
 * CPUs under TCG, an IPI round trip per page was most of the 2 GB reclaim
 * job's time). */
struct tlbflush_unmap_batch {
	unsigned long cpumask;
	bool flush_required;
};
/* try_to_unmap without the flush: the CPUs to flush are added to *batch.
 * Until try_to_unmap_flush, another CPU may still write the page through
 * a stale entry: the page must not be written out or freed before it. */
bool try_to_unmap_batched(struct page *page, struct tlbflush_unmap_batch *batch);
/* Flush what batch holds (every user TLB entry on its CPUs), empty it. */
void try_to_unmap_flush(struct tlbflush_unmap_batch *batch);

/* ---- swapoff's walk over every anonymous family (mm/swap_state.c) ---- */
/* The family after av (NULL: the first), with a reference held; av's is
 * dropped. NULL at the end. */
struct anon_vma *anon_vma_next(struct anon_vma *av);
/* A place in a walk of a family's PTEs: the region's position on the
 * family's list, and an address in it. {0, 0} is the start. */
struct anon_vma_pos {
	unsigned vma_nr;
	unsigned long addr;
};
/* From *pos on, up to max swap entries of area type found in the PTEs of
 * av's regions, each with where[i], the PTE that holds it (an entry two
 * PTEs share appears once for each); *pos moves past the last PTE read, so
 * the next call goes on from there. How many; 0 at the end. */
int anon_vma_find_swap_entries(struct anon_vma *av, unsigned type, struct anon_vma_pos *pos,
			       swp_entry_t *entries, struct anon_vma_pos *where, int max);
/* Point the PTE at where (from anon_vma_find_swap_entries) at page (locked,
 * in the swap cache as entry's, up to date) if it still holds entry: a
 * mapping and a page reference, the slot count dropped, MM_SWAPENTS back to
 * MM_ANONPAGES. true if it did. */
bool anon_vma_unuse_pte(struct anon_vma *av, struct anon_vma_pos where, swp_entry_t entry,
			struct page *page);
/* Point every PTE of av's regions that holds entry at page (locked, in the
 * swap cache as entry's, up to date): a mapping and a page reference each,
 * the slot count dropped, MM_SWAPENTS back to MM_ANONPAGES. */
void anon_vma_unuse_entry(struct anon_vma *av, swp_entry_t entry, struct page *page);

/* At boot, before any address space: no anon_vma yet (the hosted
 * simulated machine calls it at each simulated boot, whose memory the
 * previous boot's anon_vmas lived in). */
void anon_vma_init(void);

#endif
