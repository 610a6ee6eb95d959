/* sim_proc.c - the simulated machine's starting point for the region and
 * fault tests (test_mmap.c, test_rss.c): apart from sim_mm.c because the
 * kernel's MAP_* names clash with the host's <sys/mman.h> there. */
#include <stdio.h>
#include <stdlib.h>
#include "mm_types.h"
#include "sim_mm.h"
#include "slab.h"

/* A 2 GB machine with the slab, the PGD cache and the zero page up, the
 * global mapping counters at 0, and one empty address space. */
struct mm_struct *sim_boot_mm(void)
{
	sim_boot(&sim_2g);
	kmem_cache_init();
	pgtable_cache_init();
	empty_zero_page_ptr = NULL; /* the last test's machine is gone */
	nr_anon_mapped = nr_file_mapped = nr_pagetable_pages = 0;
	struct mm_struct *mm = zero_page_init() ? mm_alloc() : NULL;
	if (!mm) {
		fprintf(stderr, "sim_boot_mm: no zero page or no mm on a fresh machine\n");
		abort();
	}
	return mm;
}

u64 sim_pte_val_at(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = user_pte_map(mm, addr), e = __pte(0);

	if (pte) {
		e = ptep_get(pte);
		pte_unmap(pte);
	}
	return pte_val(e);
}

struct page *sim_page_at(struct mm_struct *mm, unsigned long addr)
{
	pte_t e = __pte(sim_pte_val_at(mm, addr));

	return pte_present(e) ? pfn_to_page(pte_pfn(e)) : NULL;
}
