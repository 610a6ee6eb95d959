/* test_rmap.c - the anon_vma reverse map (mm/rmap.c) on the simulated
 * machine: fork's copies share the family's anon_vma, page_referenced
 * finds and clears the accessed bit of every PTE that maps a page and only
 * those (a copy-on-write copy is skipped), a split region still finds its
 * pages, adjacent regions share an anon_vma so they still merge, and every
 * anon_vma is freed when its regions and pages are gone, not before. */
#include "errno.h"
#include "gfp.h"
#include "htest.h"
#include "mm_inline.h"
#include "mm_types.h"
#include "rmap.h"
#include "sim_mm.h"

#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static pte_t pte_at(struct mm_struct *mm, unsigned long addr) { return __pte(sim_pte_val_at(mm, addr)); }

/* What the MMU does on an access: set the accessed bit. */
static void touch(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = user_pte_map(mm, addr);

	pte_update(pte, 0, _PAGE_ACCESSED);
	pte_unmap(pte);
}

HTEST(rmap_fork_shares_anon_vma_and_referenced_sees_every_pte)
{
	struct mm_struct *parent = sim_boot_mm();
	long av0 = nr_anon_vmas;

	CHECK_EQ(do_mmap(parent, BASE, 2 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(parent, BASE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(nr_anon_vmas, av0 + 1);
	struct page *p = sim_page_at(parent, BASE);
	struct vm_area_struct *pv = find_vma(parent, BASE);
	CHECK(page_anon_vma(p) == pv->anon_vma);
	CHECK_EQ(vma_address(p, pv), BASE);
	struct mm_struct *child = mm_alloc();
	CHECK(child && dup_mmap(child, parent) == 0);
	struct vm_area_struct *cv = find_vma(child, BASE);
	CHECK(cv != pv && cv->anon_vma == pv->anon_vma); /* one family, one anon_vma */
	CHECK_EQ(nr_anon_vmas, av0 + 1);
	CHECK_EQ(page_mapcount(p), 2);
	/* both PTEs were made young (the fault, and fork's copy of it) */
	CHECK_EQ(page_referenced(p), 2);
	CHECK(!pte_young(pte_at(parent, BASE)) && !pte_young(pte_at(child, BASE)));
	CHECK_EQ(page_referenced(p), 0); /* aged: nobody touched it since */
	touch(child, BASE);
	CHECK_EQ(page_referenced(p), 1);
	/* the child writes: its own copy; the old page is the parent's alone */
	touch(child, BASE);
	touch(parent, BASE);
	CHECK_EQ(handle_mm_fault(child, BASE, FAULT_FLAG_WRITE), 0);
	struct page *c = sim_page_at(child, BASE);
	CHECK(c != p && page_anon_vma(c) == pv->anon_vma);
	CHECK_EQ(page_mapcount(p), 1);
	CHECK_EQ(page_referenced(p), 1); /* the child's PTE maps c: skipped */
	CHECK_EQ(page_referenced(c), 1);
	CHECK(pte_young(pte_at(parent, BASE)) == false);
	/* the page outlives every region: its anon_vma stays until it is freed */
	get_page(p);
	exit_mmap(child);
	mmput(child);
	exit_mmap(parent);
	lru_add_drain(); /* the add batch's references go (mm_inline.h) */
	CHECK_EQ(nr_anon_vmas, av0 + 1);
	CHECK_EQ(page_referenced(p), 0); /* mapped nowhere: no walk */
	put_page(p);
	CHECK_EQ(nr_anon_vmas, av0);
	mmput(parent);
}

HTEST(rmap_split_and_merge_keep_pages_findable)
{
	struct mm_struct *mm = sim_boot_mm();
	long av0 = nr_anon_vmas;

	/* two adjacent mappings, each faulted: the second borrows the first's
	 * anon_vma (Linux's find_mergeable_anon_vma), so they are one region */
	CHECK_EQ(do_mmap(mm, BASE, 2 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(do_mmap(mm, BASE + 2 * PAGE_SIZE, 2 * PAGE_SIZE, RW, ANON, NULL, 0),
		 (long)(BASE + 2 * PAGE_SIZE));
	CHECK_EQ(mm->map_count, 1);
	CHECK_EQ(handle_mm_fault(mm, BASE + 3 * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(nr_anon_vmas, av0 + 1);
	/* split by mprotect: both halves find their pages through the same anon_vma */
	CHECK_EQ(do_mprotect(mm, BASE + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	CHECK_EQ(mm->map_count, 3);
	struct page *hi = sim_page_at(mm, BASE + 3 * PAGE_SIZE), *lo = sim_page_at(mm, BASE);
	struct vm_area_struct *last = find_vma(mm, BASE + 3 * PAGE_SIZE);
	CHECK_EQ(last->vm_start, BASE + 3 * PAGE_SIZE);
	CHECK(last->anon_vma == find_vma(mm, BASE)->anon_vma);
	CHECK_EQ(vma_address(hi, last), BASE + 3 * PAGE_SIZE);
	CHECK_EQ(vma_address(lo, last), (unsigned long)-EFAULT);
	touch(mm, BASE + 3 * PAGE_SIZE);
	CHECK_EQ(page_referenced(hi), 1);
	touch(mm, BASE);
	CHECK_EQ(page_referenced(lo), 1);
	/* back to one protection: one region again */
	CHECK_EQ(do_mprotect(mm, BASE + 2 * PAGE_SIZE, PAGE_SIZE, RW), 0);
	CHECK_EQ(mm->map_count, 1);
	touch(mm, BASE + 3 * PAGE_SIZE);
	CHECK_EQ(page_referenced(hi), 1);
	exit_mmap(mm);
	lru_add_drain(); /* the add batch's references go (mm_inline.h) */
	CHECK_EQ(nr_anon_vmas, av0);
	mmput(mm);
}

HTEST(rmap_unrelated_mms_have_their_own_anon_vmas)
{
	struct mm_struct *a = sim_boot_mm(), *b = mm_alloc();
	long av0 = nr_anon_vmas;

	CHECK(b);
	CHECK_EQ(do_mmap(a, BASE, PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(do_mmap(b, BASE, PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(a, BASE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(handle_mm_fault(b, BASE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(nr_anon_vmas, av0 + 2);
	struct page *pa = sim_page_at(a, BASE), *pb = sim_page_at(b, BASE);
	CHECK(page_anon_vma(pa) != page_anon_vma(pb));
	CHECK_EQ(page_referenced(pa), 1); /* b's PTE at the same address is not pa's */
	exit_mmap(a);
	exit_mmap(b);
	mmput(a);
	mmput(b);
	lru_add_drain(); /* the add batch's references go (mm_inline.h) */
	CHECK_EQ(nr_anon_vmas, av0);
}
