/* test_rss.c - the per-mm resident-page counters (rss_stat, Linux's
 * MM_ANONPAGES/MM_FILEPAGES) and meminfo's global counts on the simulated
 * machine: a read fault maps the zero page (not counted), a write fault
 * and a copy-on-write copy count one anonymous page each, fork's copy
 * counts the child's mappings, zap and munmap take them away, and the
 * high-water mark stays; nr_anon_mapped counts a page once however many
 * mms map it; nr_pagetable_pages follows the PMD and PTE pages. */
#include "errno.h"
#include "gfp.h"
#include "htest.h"
#include "mm_inline.h"
#include "mm_types.h"
#include "mmzone.h"
#include "sim_mm.h"
#include "slab.h"

#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static struct mm_struct *rss_boot_mm(void) { return sim_boot_mm(); }

HTEST(rss_counts_faults_cow_fork_and_unmap)
{
	struct mm_struct *parent = rss_boot_mm();

	CHECK_EQ(nr_pagetable_pages, 3); /* the three user PMD pages */
	CHECK_EQ(do_mmap(parent, BASE, 4 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(get_mm_rss(parent), 0); /* mmap alone maps nothing */
	CHECK_EQ(handle_mm_fault(parent, BASE, 0), 0); /* a read: the zero page */
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 0);
	CHECK_EQ(handle_mm_fault(parent, BASE, FAULT_FLAG_WRITE), 0); /* zero page -> own page */
	CHECK_EQ(handle_mm_fault(parent, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 2);
	CHECK_EQ(get_mm_counter(parent, MM_FILEPAGES), 0);
	CHECK_EQ(nr_anon_mapped, 2);
	CHECK_EQ(nr_pagetable_pages, 4); /* and one PTE page */
	/* fork: the child maps the same two pages; counted in its mm, not again globally */
	struct mm_struct *child = mm_alloc();
	CHECK(child && dup_mmap(child, parent) == 0);
	CHECK_EQ(get_mm_counter(child, MM_ANONPAGES), 2);
	CHECK_EQ(nr_anon_mapped, 2);
	/* the child writes: a copy of its own, still two pages each; three in all */
	CHECK_EQ(handle_mm_fault(child, BASE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(get_mm_counter(child, MM_ANONPAGES), 2);
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 2);
	CHECK_EQ(nr_anon_mapped, 3);
	CHECK_EQ(child->hiwater_rss, 2);
	/* munmap and madvise take pages away; the high-water mark stays */
	CHECK_EQ(do_munmap(parent, BASE, PAGE_SIZE), 0);
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 1);
	CHECK_EQ(do_madvise_dontneed(child, BASE, 2 * PAGE_SIZE), 0);
	CHECK_EQ(get_mm_rss(child), 0);
	CHECK_EQ(child->hiwater_rss, 2);
	CHECK_EQ(nr_anon_mapped, 1); /* the parent's second page, which the child no longer maps */
	exit_mmap(child);
	mmput(child);
	exit_mmap(parent);
	CHECK_EQ(get_mm_rss(parent), 0);
	mmput(parent);
	CHECK_EQ(nr_anon_mapped, 0);
	CHECK_EQ(nr_pagetable_pages, 0);
}

/* The parent's entries lose their write bit as fork copies them, by the
 * atomic update (reclaim on another CPU may change an entry even when the
 * parent is its mm's only user): without a race no retry is needed, and a
 * dirty bit the "MMU" sets during the copy survives. Either way the
 * child's entry is the read-only copy, the page shared with one more
 * reference. */
static u64 fork_race_bits;
static void fork_mmu_sets_bits(u64 *entry) { __atomic_or_fetch(entry, fork_race_bits, __ATOMIC_SEQ_CST); }

HTEST(fork_wrprotect_atomic_keeps_racing_bits)
{
	struct mm_struct *parent = rss_boot_mm();

	CHECK_EQ(do_mmap(parent, BASE, 2 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(parent, BASE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(handle_mm_fault(parent, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	lru_add_drain(); /* the counts below are the mappings' alone (mm_inline.h) */
	pte_t *pte = user_pte_map(parent, BASE);
	pte_t before = ptep_get(pte);
	pte_unmap(pte);
	CHECK(pte_write(before));
	struct page *page = pfn_to_page(pte_pfn(before));
	unsigned long fails = sim_pte_cmpxchg_fails;

	/* one user, no race: no retry */
	struct mm_struct *child = mm_alloc();
	CHECK(child && dup_mmap(child, parent) == 0);
	CHECK_EQ(sim_pte_cmpxchg_fails, fails);
	pte = user_pte_map(parent, BASE);
	CHECK(!pte_write(ptep_get(pte)) && pte_pfn(ptep_get(pte)) == pte_pfn(before));
	pte_unmap(pte);
	pte = user_pte_map(child, BASE);
	CHECK(!pte_write(ptep_get(pte)) && pte_pfn(ptep_get(pte)) == pte_pfn(before));
	pte_unmap(pte);
	CHECK_EQ(page_count(page), 2);
	CHECK_EQ(page_mapcount(page), 2);
	exit_mmap(child);
	mmput(child);
	CHECK_EQ(page_count(page), 1);

	/* shared: the parent's entry made writable again, a second user, and
	 * the MMU setting dirty between the read and the write */
	CHECK_EQ(handle_mm_fault(parent, BASE, FAULT_FLAG_WRITE), 0); /* reuse: writable */
	pte = user_pte_map(parent, BASE);
	CHECK(pte_write(ptep_get(pte)));
	pte_update(pte, _PAGE_DIRTY, 0); /* clean, so that the race's dirty bit is news */
	pte_unmap(pte);
	parent->mm_users++;
	fork_race_bits = _PAGE_DIRTY;
	sim_pte_race_fn = fork_mmu_sets_bits;
	sim_pte_races = 1;
	child = mm_alloc();
	CHECK(child && dup_mmap(child, parent) == 0);
	CHECK_EQ(sim_pte_races, 0);
	CHECK_EQ(sim_pte_cmpxchg_fails, fails + 1); /* the race was seen and retried */
	pte = user_pte_map(parent, BASE);
	CHECK(!pte_write(ptep_get(pte)) && (pte_val(ptep_get(pte)) & _PAGE_DIRTY));
	pte_unmap(pte);
	parent->mm_users--;
	sim_pte_race_fn = NULL;
	exit_mmap(child);
	mmput(child);
	exit_mmap(parent);
	mmput(parent);
	CHECK_EQ(nr_anon_mapped, 0);
	CHECK_EQ(nr_pagetable_pages, 0);
}

/* put_page: a reference that is not the last is dropped with no free and
 * no report; the last one frees the page through every check; one more
 * is a double free, reported and refused. */
HTEST(put_page_drops_then_frees_then_refuses)
{
	sim_boot_mm();
	struct page *p = alloc_page(GFP_HIGHUSER);
	unsigned long before = nr_free_pages();

	get_page(p);
	get_page(p);
	put_page(p);
	put_page(p);
	CHECK_EQ(page_count(p), 1);
	CHECK_EQ(nr_free_pages(), before);
	put_page(p);
	CHECK_EQ(nr_free_pages(), before + 1);
	CHECK(PagePcp(p));
	htest_log_clear();
	put_page(p);
	CHECK(htest_log_contains("double free"));
	CHECK_EQ(nr_free_pages(), before + 1);
	CHECK_EQ(check_free_areas(), 0);
}
