/* reclaim_bench.c - what reclaim costs per page, in instructions:
 *   lru_scan      one page of an LRU scan: isolate it, page_referenced over
 *                 its PTE (test and clear the accessed bit), put it back
 *   swap_unmap    the memory side of one swap-out with the disk left out:
 *                 a slot and the swap cache (add_to_swap), the PTE turned
 *                 into the entry (try_to_unmap, TLB flush), and back again
 *                 (the entry mapped to the page, out of the cache). Needs a
 *                 swap area (boot with a disk and swapon=/dev/sda);
 *                 reported skipped without one, as at make bench's boots.
 * The pages are a kernel-made address space's, faulted in by handle_mm_fault. */
#include "bench.h"
#include "mm_inline.h"
#include "mm_types.h"
#include "pagemap.h"
#include "rmap.h"
#include "swap_state.h"
#include "vmstat.h"

#define NPAGES 256
#define BASE 0x10000000UL

/* An address space with NPAGES written anonymous pages, their pages in pages[]. */
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
	}
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

static u64 bench_swap_unmap(void)
{
	if (__atomic_load_n(&nr_swap_pages, __ATOMIC_RELAXED) < NPAGES)
		return 0; /* no swap area: skipped */
	struct mm_struct *mm = bench_mm(pages);
	if (!mm)
		return 0;
	u64 t0 = bench_cycles();
	int n = 0;
	for (int i = 0; i < NPAGES; i++) {
		struct page *p = pages[i];
		if (!trylock_page(p))
			continue;
		if (add_to_swap(p) && try_to_unmap(p)) {
			struct anon_vma *av = page_anon_vma(p);
			swp_entry_t e = { p->private };
			clear_page_bit(p, PG_dirty);
			anon_vma_unuse_entry(av, e, p); /* back: the PTE maps the page again */
			try_to_free_swap(p);
			n++;
		}
		unlock_page(p);
	}
	u64 v = n ? bench_per_op(t0, bench_cycles(), (u64)n) : 0;
	bench_mm_end(mm);
	return v;
}
BENCH(swap_unmap, "swap-out's memory side and back (slot, cache, unmap+flush; no I/O)",
      bench_swap_unmap);
