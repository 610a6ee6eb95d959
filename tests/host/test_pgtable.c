/* test_pgtable.c - the page-table interface on the simulated machine, whose
 * PAE tables live in simulated memory and whose cmpxchg8b can lose a race
 * on purpose: every ptep_* operation, a "CPU" setting accessed/dirty
 * between the read and the write, user PTE pages in simulated HIGHMEM,
 * pgd_alloc sharing the kernel PMD, and the exception table's sort and
 * search. */
#include "extable.h"
#include "gfp.h"
#include "highmem.h"
#include "htest.h"
#include "mm_types.h"
#include "mmzone.h"
#include "sim_mm.h"
#include "sim_vmalloc.h"
#include "slab.h"

#define UADDR 0x08048000UL

static u64 race_bits;
static void mmu_sets_bits(u64 *entry) { __atomic_or_fetch(entry, race_bits, __ATOMIC_SEQ_CST); }

/* One racing update: the next compare-and-exchange first sees the "MMU"
 * set `bits`, so it fails once and must retry without losing them. */
static void arm_race(u64 bits)
{
	race_bits = bits;
	sim_pte_race_fn = mmu_sets_bits;
	sim_pte_races = 1;
}

static void boot(void)
{
	sim_boot(&sim_2g);
	kmem_cache_init();
	pgtable_cache_init();
}

static struct mm_struct *new_mm(void)
{
	struct mm_struct *mm = mm_alloc();

	CHECK(mm != NULL);
	return mm;
}

HTEST(pgtable_entry_values)
{
	pte_t e = pfn_pte(0x123456, PAGE_SHARED);

	CHECK_EQ(pte_pfn(e), 0x123456);
	CHECK(pte_present(e) && pte_write(e) && pte_user(e) && !pte_exec(e));
	CHECK(!pte_write(pte_wrprotect(e)) && pte_dirty(pte_mkdirty(e)) && !pte_young(pte_mkold(e)));
	CHECK(!pte_write(pfn_pte(1, PAGE_COPY)) && pte_user(pfn_pte(1, PAGE_READONLY)));
	CHECK(!pte_present(pfn_pte(1, PAGE_NONE)));
	CHECK(pte_exec(pfn_pte(1, PAGE_KERNEL_EXEC)) && !pte_exec(pfn_pte(1, PAGE_KERNEL)));
	CHECK(!pte_write(pfn_pte(1, PAGE_KERNEL_RO)));
	CHECK(pte_val(pfn_pte(1, PAGE_KERNEL_NOCACHE)) & _PAGE_PCD);
	CHECK_EQ(pte_val(pfn_pte(0xffffff, PAGE_KERNEL)) >> 32, 0x80000000u | 0xfu); /* NX, address bits 32..35 */
}

HTEST(pgtable_pgd_alloc_shares_kernel_pmd)
{
	boot();
	struct mm_struct *a = new_mm(), *b = new_mm();

	CHECK_EQ(pgd_val(a->pgd[3]), pgd_val(swapper_pg_dir[3]));
	CHECK_EQ(pgd_val(b->pgd[3]), pgd_val(swapper_pg_dir[3]));
	CHECK(pgd_val(a->pgd[0]) != pgd_val(b->pgd[0]));
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pgd_val(a->pgd[i]) & 0xfff, _PAGE_PRESENT);
	CHECK_EQ((unsigned long)a->pgd & 31, 0);
	/* A kernel mapping made once is seen through every mm. */
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned long va = VMALLOC_START + 5 * PAGE_SIZE;
	set_pte_at(&init_mm, va, virt_to_kpte(va), mk_pte(p, PAGE_KERNEL));
	struct pt_walk w;
	CHECK(pt_walk(b, va, &w) && w.pa == page_to_phys(p));
	pte_clear(&init_mm, va, virt_to_kpte(va));
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
	__free_page(p);
	unsigned long free = nr_free_pages();
	mmput(a);
	mmput(b);
	CHECK(nr_free_pages() > free); /* their PMD pages came back */
	CHECK_EQ(sim_tlb_errors, 0);
}

/* HIGHPTE: a user PTE page is a HIGHMEM page, reached through kmap_local. */
HTEST(pgtable_user_pte_pages_in_highmem)
{
	boot();
	struct mm_struct *mm = new_mm();
	unsigned long free = nr_free_pages();
	struct page *p = alloc_page(GFP_HIGHUSER);

	pte_t *pte = pte_alloc_map(mm, UADDR);
	CHECK(pte != NULL);
	CHECK_EQ(kmap_atomic_depth(), 1); /* mapped until pte_unmap */
	set_pte_at(mm, UADDR, pte, mk_pte(p, PAGE_SHARED));
	pte_unmap(pte);
	CHECK_EQ(kmap_atomic_depth(), 0);
	pmd_t pmd = pmdp_get(pmd_offset(pgd_offset(mm, UADDR), UADDR));
	CHECK(pmd_present(pmd) && pmd_pfn(pmd) >= max_low_pfn); /* the PTE page is HighMem */
	CHECK_EQ(pmd_val(pmd) & 0xfff, _PAGE_TABLE);
	CHECK_EQ(mm->pgtables_bytes, 4 * PAGE_SIZE);
	struct pt_walk w;
	CHECK(pt_walk(mm, UADDR + 0x10, &w));
	CHECK_EQ(w.level, 3);
	CHECK_EQ(w.pa, page_to_phys(p) + 0x10);
	CHECK(!pt_walk(mm, UADDR + PAGE_SIZE, &w) && w.level == 3);
	CHECK(!pt_walk(mm, 0x80000000UL, &w) && w.level == 2); /* no PTE page there */
	CHECK(pte_alloc_map(mm, PAGE_OFFSET) == NULL);      /* kernel addresses: never */
	/* Tear down: clear, free the page, and the PTE page goes with mmput. */
	pte = pte_offset_map(pmd_offset(pgd_offset(mm, UADDR), UADDR), UADDR);
	CHECK_EQ(pte_pfn(ptep_get_and_clear(mm, UADDR, pte)), page_to_pfn(p));
	pte_unmap(pte);
	__free_page(p);
	mmput(mm);
	CHECK(nr_free_pages() >= free);
}

HTEST(pgtable_userpte_nohigh_keeps_pte_pages_in_lowmem)
{
	boot();
	struct mm_struct *mm = new_mm();

	user_pte_highmem = false;
	pte_t *pte = pte_alloc_map(mm, UADDR);
	user_pte_highmem = true;
	CHECK(pte != NULL);
	pte_unmap(pte);
	CHECK(pmd_pfn(pmdp_get(pmd_offset(pgd_offset(mm, UADDR), UADDR))) < max_low_pfn);
	mmput(mm);
}

static pte_t *user_pte(struct mm_struct *mm, struct page *p)
{
	pte_t *pte = pte_alloc_map(mm, UADDR);

	set_pte_at(mm, UADDR, pte, mk_pte(p, PAGE_SHARED));
	return pte;
}

HTEST(pgtable_ptep_ops_and_races)
{
	boot();
	struct mm_struct *mm = new_mm();
	struct page *p = alloc_page(GFP_HIGHUSER);
	pte_t *pte = user_pte(mm, p);
	unsigned long fails = sim_pte_cmpxchg_fails;

	/* wrprotect while the "MMU" dirties the page: RW goes, D stays. */
	arm_race(_PAGE_DIRTY | _PAGE_ACCESSED);
	ptep_set_wrprotect(mm, UADDR, pte);
	CHECK_EQ(sim_pte_cmpxchg_fails, fails + 1); /* the race happened, and was retried */
	CHECK(!pte_write(ptep_get(pte)) && pte_dirty(ptep_get(pte)) && pte_young(ptep_get(pte)));
	/* test_and_clear_young: true once, then false; D untouched. */
	CHECK(ptep_test_and_clear_young(mm, UADDR, pte));
	CHECK(!ptep_test_and_clear_young(mm, UADDR, pte));
	CHECK(pte_dirty(ptep_get(pte)));
	/* young set by the MMU during the clear: the clear still wins, atomically. */
	arm_race(_PAGE_ACCESSED);
	CHECK(!ptep_test_and_clear_young(mm, UADDR, pte) || !pte_young(ptep_get(pte)));
	/* get_and_clear returns a dirty bit set between the read and the write. */
	set_pte_at(mm, UADDR, pte, pte_mkclean(mk_pte(p, PAGE_SHARED)));
	arm_race(_PAGE_DIRTY);
	pte_t old = ptep_get_and_clear(mm, UADDR, pte);
	CHECK(pte_dirty(old) && pte_pfn(old) == page_to_pfn(p));
	CHECK(pte_none(ptep_get(pte)));
	/* set_pte_at over a present entry replaces it whole (cmpxchg8b). */
	set_pte_at(mm, UADDR, pte, mk_pte(p, PAGE_READONLY));
	set_pte_at(mm, UADDR, pte, pfn_pte(0x234567, PAGE_SHARED));
	CHECK_EQ(pte_pfn(ptep_get(pte)), 0x234567);
	CHECK(pte_write(ptep_get(pte)));
	/* ptep_clear_flush: cleared, and the mm flushed. */
	struct vm_area_struct vma = { .vm_mm = mm, .vm_start = UADDR, .vm_end = UADDR + PAGE_SIZE };
	unsigned long flushes = mm->flush_count;
	CHECK_EQ(pte_pfn(ptep_clear_flush(&vma, UADDR, pte)), 0x234567);
	CHECK_EQ(mm->flush_count, flushes + 1);
	CHECK(ptep_clear_flush(&vma, UADDR, pte).pte == 0);
	CHECK_EQ(mm->flush_count, flushes + 1); /* nothing was there: no flush */
	pte_unmap(pte);
	__free_page(p);
	mmput(mm);
	CHECK_EQ(sim_pte_races, 0);
}

HTEST(pgtable_switch_mm_moves_the_cpu_between_sets)
{
	boot();
	struct mm_struct *a = new_mm(), *b = new_mm();

	switch_mm(&init_mm, a);
	CHECK_EQ(*mm_cpumask(a), 1);
	host_cpu_id = 2;
	switch_mm(&init_mm, a);
	CHECK_EQ(*mm_cpumask(a), 5);
	switch_mm(a, b);
	CHECK_EQ(*mm_cpumask(a), 1);
	CHECK_EQ(*mm_cpumask(b), 4);
	switch_mm(b, &init_mm);
	host_cpu_id = 0;
	switch_mm(a, &init_mm);
	CHECK_EQ(*mm_cpumask(a) | *mm_cpumask(b), 0);
	mmput(a);
	mmput(b);
}

HTEST(extable_sort_and_search)
{
	struct exception_table_entry t[] = {
		{ 0x5000, 0x9005, 0 }, { 0x1000, 0x9001, 0 }, { 0x3000, 0x9003, 1 },
		{ 0x2000, 0x9002, 0 }, { 0x4000, 0x9004, 0 },
	};

	sort_extable(t, t + 5);
	for (int i = 0; i < 4; i++)
		CHECK(t[i].insn < t[i + 1].insn);
	const struct exception_table_entry *e = search_extable(t, t + 5, 0x3000);
	CHECK(e && e->fixup == 0x9003 && e->type == EX_TYPE_CALL);
	CHECK(search_extable(t, t + 5, 0x1000)->fixup == 0x9001);
	CHECK(search_extable(t, t + 5, 0x5000)->fixup == 0x9005);
	CHECK(search_extable(t, t + 5, 0x3001) == NULL);
	CHECK(search_extable(t, t + 5, 0x0fff) == NULL);
	CHECK(search_extable(t, t, 0x1000) == NULL);
}
