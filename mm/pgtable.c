/* pgtable.c - walking page tables and building address spaces, over the
 * one page-table interface (include/pgtable.h). Builds hosted too: the
 * simulated machine has real PAE tables in simulated memory.
 *
 * An address space (mm_types.h) is a PDPT whose entry 3 is the kernel PMD,
 * shared by all, and three user PMD pages made with it. User PTE pages are
 * allocated on demand and come from HIGHMEM by default (Linux's HIGHPTE):
 * the kernel reaches them only through pte_offset_map's kmap_local, which
 * is why every walk here maps and unmaps them. */
#include "cmdline.h"
#include "gfp.h"
#include "highmem.h"
#include "kstring.h"
#include "mm_types.h"
#include "printk.h"
#include "slab.h"

bool user_pte_highmem = true;
bool user_pte_above_4g; /* userpte=any */
#define PFN_4G (1UL << (32 - PAGE_SHIFT))
static struct kmem_cache *pgd_cache;

pgd_t *pgd_offset(struct mm_struct *mm, unsigned long addr) { return mm->pgd + pgd_index(addr); }

pte_t *pte_offset_map(pmd_t *pmd, unsigned long addr)
{
	struct page *pt = pfn_to_page(pmd_pfn(pmdp_get(pmd)));

	return (pte_t *)kmap_local_page(pt) + pte_index(addr);
}

void pte_unmap(pte_t *pte) { kunmap_local(pte); }

pte_t *virt_to_kpte(unsigned long addr)
{
	pgd_t *pgd = pgd_offset_k(addr);

	if (addr < PAGE_OFFSET || !pgd_present(*pgd))
		return NULL;
	pmd_t *pmd = pmd_offset(pgd, addr);
	pmd_t e = pmdp_get(pmd);
	if (!pmd_present(e) || pmd_large(e))
		return NULL;
	return pte_offset_kernel(pmd, addr);
}

bool pt_walk(struct mm_struct *mm, unsigned long addr, struct pt_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->table_pa[0] = __pa(mm->pgd);
	pgd_t *pgd = pgd_offset(mm, addr);
	w->pgd = *pgd;
	w->level = 1;
	if (!pgd_present(w->pgd))
		return false;
	pmd_t *pmd = pmd_offset(pgd, addr);
	w->table_pa[1] = (phys_addr_t)pgd_pfn(w->pgd) << PAGE_SHIFT;
	w->pmd = pmdp_get(pmd);
	w->level = 2;
	if (!pmd_present(w->pmd))
		return false;
	if (pmd_large(w->pmd)) {
		w->large = true;
		w->pa = (pmd_val(w->pmd) & PTE_PFN_MASK & ~(u64)(PMD_SIZE - 1)) + (addr & (PMD_SIZE - 1));
		return true;
	}
	w->table_pa[2] = (phys_addr_t)pmd_pfn(w->pmd) << PAGE_SHIFT;
	w->level = 3;
	if (addr >= PAGE_OFFSET) { /* kernel PTE pages are lowmem, always mapped */
		w->pte = ptep_get(pte_offset_kernel(pmd, addr));
	} else {
		pte_t *pte = pte_offset_map(pmd, addr);
		w->pte = ptep_get(pte);
		pte_unmap(pte);
	}
	if (!pte_present(w->pte))
		return false;
	w->pa = ((phys_addr_t)pte_pfn(w->pte) << PAGE_SHIFT) + (addr & ~PAGE_MASK);
	return true;
}

pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t old = ptep_get_and_clear(vma->vm_mm, addr, ptep);

	if (pte_present(old))
		flush_tlb_page(vma, addr);
	return old;
}

/* ---- address spaces ---- */

/* The PDPTs' cache: 32-byte objects aligned to 32, as CR3 requires. */
void pgtable_cache_init(void)
{
	pgd_cache = kmem_cache_create("pgd", sizeof(pgd_t) * PTRS_PER_PGD, sizeof(pgd_t) * PTRS_PER_PGD,
				      0, NULL);
	if (!pgd_cache)
		pr_err("pgtable_cache_init: no pgd cache: no address space can be made\n");
	char v[16];
	if (cmdline_get_str("userpte", v, sizeof(v)) >= 0) {
		if (strcmp(v, "nohigh") == 0)
			user_pte_highmem = false;
		else if (strcmp(v, "any") == 0)
			user_pte_above_4g = true;
		else
			pr_warn("userpte=%s ignored: the values are nohigh (user page tables in lowmem) "
				"and any (HIGHMEM above 4 GiB too)\n", v);
	}
}

pgd_t *pgd_alloc(struct mm_struct *mm)
{
	/* kmem_cache memory is lowmem, so the PDPT is below 4 GiB as CR3 needs. */
	pgd_t *pgd = pgd_cache ? kmem_cache_alloc(pgd_cache, GFP_KERNEL) : NULL;
	if (!pgd)
		return NULL;
	for (unsigned i = 0; i < PTRS_PER_PGD - 1; i++) {
		struct page *pmd = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!pmd) {
			while (i--) {
				ClearPageTable(pfn_to_page(pgd_pfn(pgd[i])));
				__free_page(pfn_to_page(pgd_pfn(pgd[i])));
			}
			kmem_cache_free(pgd_cache, pgd);
			return NULL;
		}
		/* A PDPT entry has only P (and cache bits): the CPU faults on RW/US. */
		pgd[i] = __pgd(page_to_phys(pmd) | _PAGE_PRESENT);
		SetPageTable(pmd); /* PG_table: a picture of memory names it (mm/page_owner_kind.c) */
		mm->pgtables_bytes += PAGE_SIZE;
		__atomic_add_fetch(&nr_pagetable_pages, 1, __ATOMIC_RELAXED);
	}
	pgd[PTRS_PER_PGD - 1] = init_mm.pgd[PTRS_PER_PGD - 1]; /* the kernel PMD, shared */
	return pgd;
}

void pgd_free(struct mm_struct *mm, pgd_t *pgd)
{
	for (unsigned i = 0; i < PTRS_PER_PGD - 1; i++) {
		ClearPageTable(pfn_to_page(pgd_pfn(pgd[i])));
		__free_page(pfn_to_page(pgd_pfn(pgd[i])));
		mm->pgtables_bytes -= PAGE_SIZE;
		__atomic_sub_fetch(&nr_pagetable_pages, 1, __ATOMIC_RELAXED);
	}
	kmem_cache_free(pgd_cache, pgd);
}

pte_t *pte_alloc_map(struct mm_struct *mm, unsigned long addr)
{
	if (addr >= PAGE_OFFSET)
		return NULL;
	pmd_t *pmd = pmd_offset(pgd_offset(mm, addr), addr);
	if (pmd_none(pmdp_get(pmd))) {
		gfp_t gfp = GFP_KERNEL | __GFP_ZERO | (user_pte_highmem ? __GFP_HIGHMEM : 0);
		struct page *pt = alloc_page(gfp);
		if (pt && user_pte_highmem && !user_pte_above_4g && page_to_pfn(pt) >= PFN_4G) {
			/* QEMU 7.2's TCG walks a PTE page above 4 GiB at its address
			 * truncated to 32 bits for user accesses (docs/memory-layout.md):
			 * the process faults forever. Below 4 GiB instead, unless
			 * userpte=any asks for the real thing. */
			__free_page(pt);
			pt = alloc_page(GFP_KERNEL | __GFP_ZERO);
		}
		if (!pt)
			return NULL;
		spin_lock(&mm->page_table_lock);
		if (pmd_none(pmdp_get(pmd))) { /* nobody installed one meanwhile */
			set_pmd(pmd, __pmd(page_to_phys(pt) | _PAGE_TABLE));
			SetPageTable(pt);
			mm->pgtables_bytes += PAGE_SIZE;
		__atomic_add_fetch(&nr_pagetable_pages, 1, __ATOMIC_RELAXED);
			pt = NULL;
		}
		spin_unlock(&mm->page_table_lock);
		if (pt)
			__free_page(pt);
	}
	return pte_offset_map(pmd, addr);
}

/* The PTE pages wholly inside [start, end) freed (their PTEs clear), no
 * flush. The PMD entries under one PGD entry (1 GB) are one page: the walk
 * from the PGD is done once per gigabyte and the entries are stepped
 * along, each read plainly (only mm's owner, here, changes its PMD
 * entries; the MMU sets just accessed, in the low word). */
static void free_pte_pages(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	if (start >= PAGE_OFFSET)
		return;
	start = ALIGN_UP(start, PMD_SIZE);
	end = MIN(end, PAGE_OFFSET) & ~(PMD_SIZE - 1); /* a PTE page partly inside stays */
	for (unsigned long a = start; a < end;) {
		unsigned long stop = MIN(end, (a | ((1UL << PGDIR_SHIFT) - 1)) + 1);
		pmd_t *pmd = pmd_offset(pgd_offset(mm, a), a);
		for (; a < stop; a += PMD_SIZE, pmd++) {
			pmd_t e = *pmd;
			if (pmd_none(e))
				continue;
			pmd_clear(pmd);
			ClearPageTable(pfn_to_page(pmd_pfn(e)));
			__free_page(pfn_to_page(pmd_pfn(e)));
			mm->pgtables_bytes -= PAGE_SIZE;
			__atomic_sub_fetch(&nr_pagetable_pages, 1, __ATOMIC_RELAXED);
		}
	}
}

void free_pgd_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	free_pte_pages(mm, start, end);
	flush_tlb_mm(mm);
}

void free_pgtables(struct mm_struct *mm)
{
	for (int i = 0; i < mm->map_count; i++) {
		const struct vm_area_struct *v = mm->vmas[i];
		free_pte_pages(mm, v->vm_start & ~(PMD_SIZE - 1), ALIGN_UP(v->vm_end, PMD_SIZE));
	}
	flush_tlb_mm(mm);
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	spin_lock_init(&mm->page_table_lock, "mm->page_table_lock");
	mm->mm_users = mm->mm_count = 1;
	mm->pgd = pgd_alloc(mm);
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	return mm;
}

void mmgrab(struct mm_struct *mm) { __atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_RELAXED); }

/* The PGD goes with the last reference to the struct: a CPU that borrowed
 * the mm lazily (a kernel thread) may still have it in CR3 until then. */
void mmdrop(struct mm_struct *mm)
{
	if (mm == &init_mm || __atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_ACQ_REL))
		return;
	pgd_free(mm, mm->pgd);
	if (mm->pgtables_bytes)
		pr_err("BUG: mmdrop: %lu bytes of page tables left behind\n", mm->pgtables_bytes);
	kfree(mm);
}

void mmput(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL))
		return;
	/* exit_mmap freed the regions' PTE pages (free_pgtables): only what a
	 * failed fork or exec left needs the scan of all of user space */
	if (mm->pgtables_bytes > (PTRS_PER_PGD - 1) * PAGE_SIZE)
		free_pgd_range(mm, 0, PAGE_OFFSET);
	mmdrop(mm);
}

/* The kernel's address space: swapper_pg_dir, whose entry 3 is the kernel
 * PMD every other PGD copies. Never freed. */
struct mm_struct init_mm = {
	.pgd = swapper_pg_dir,
	.page_table_lock = SPINLOCK_INIT("init_mm.page_table_lock"),
	.mm_users = 2,
	.mm_count = 1,
};
