/* pgtable.h - the one page-table and TLB interface, in Linux's names.
 *
 * Everything that reads or writes a page table goes through here: the
 * direct map's setup, vmalloc/vmap, pkmap, the fixmap and kmap_atomic, the
 * monitor's pagewalk, address spaces (mm_types.h) and, next, user mappings.
 * Generic code (mm/) sees only this header. Behind it, <pgtable_arch.h>:
 *   kernel:  arch/x86/include/pgtable_arch.h  cmpxchg8b, invlpg, IPIs
 *   hosted:  tests/host/pgtable_arch.h        the simulated machine
 * and both share the PAE format and the per-entry operations of
 * arch/x86/include/pgtable_pae.h (pte_t, pgprot_t, PAGE_KERNEL, set_pte_at,
 * ptep_get_and_clear, ptep_set_wrprotect, ptep_test_and_clear_young, ...).
 *
 * A walk, Linux style:
 *   pgd_t *pgd = pgd_offset(mm, addr);          (pgd_offset_k for the kernel)
 *   pmd_t *pmd = pmd_offset(pgd, addr);         (the PDPT entry's PMD page)
 *   pte_t *pte = pte_offset_map(pmd, addr);     (kmap_local: a HIGHMEM PTE page
 *   ... ptep_get(pte) ...                        gets a temporary address)
 *   pte_unmap(pte);
 * Kernel PTE pages are lowmem and always mapped: pte_offset_kernel().
 */
#ifndef HL_PGTABLE_H
#define HL_PGTABLE_H

#include <pgtable_arch.h>
#include "mm.h"

struct mm_struct;
struct vm_area_struct;

/* The kernel's address space (kernel/mm_struct.c): its PGD is swapper_pg_dir. */
extern struct mm_struct init_mm;

/* The PGD (PDPT) entry of addr in mm, and the kernel's (init_mm). */
pgd_t *pgd_offset(struct mm_struct *mm, unsigned long addr);
#define pgd_offset_k(addr) pgd_offset(&init_mm, (addr))

/* The PMD entry of addr under a present PGD entry (PMD pages are lowmem). */
static inline pmd_t *pmd_offset(pgd_t *pgd, unsigned long addr)
{
	return (pmd_t *)__va((phys_addr_t)pgd_pfn(*pgd) << PAGE_SHIFT) + pmd_index(addr);
}

/* The kernel's PMD entry of addr (Linux's pmd_off_k). */
static inline pmd_t *pmd_off_k(unsigned long addr) { return pmd_offset(pgd_offset_k(addr), addr); }

/* The PTE of addr under a present, non-large PMD entry whose PTE page is
 * lowmem (every kernel PTE page is). */
static inline pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long addr)
{
	return (pte_t *)__va((phys_addr_t)pmd_pfn(*pmd) << PAGE_SHIFT) + pte_index(addr);
}

/* The PTE of addr under any present PMD entry: a HIGHMEM PTE page (user
 * page tables) is mapped with kmap_local_page until pte_unmap(). */
pte_t *pte_offset_map(pmd_t *pmd, unsigned long addr);
void pte_unmap(pte_t *pte);

/* The kernel PTE of addr in the preallocated part of the kernel's tables
 * (vmalloc, pkmap, fixmap), or NULL where a 2 MB page or nothing maps it. */
pte_t *virt_to_kpte(unsigned long addr);

/* A struct page's entry (Linux's mk_pte). */
static inline pte_t mk_pte(struct page *page, pgprot_t prot) { return pfn_pte(page_to_pfn(page), prot); }

/* One step of a walk, for reports: where the walk of addr in mm stopped
 * (1 PGD, 2 PMD, 3 PTE) and the entry found there, 2 MB pages included.
 * Reads HIGHMEM PTE pages through kmap_local. Returns the last level reached. */
struct pt_walk {
	pgd_t pgd;
	pmd_t pmd;
	pte_t pte;
	int level;                /* 1..3: the deepest level read */
	bool large;               /* a 2 MB page at the PMD */
	phys_addr_t pa;           /* the physical address, if mapped */
	phys_addr_t table_pa[3];  /* where the PDPT, PMD and PTE page are */
};
bool pt_walk(struct mm_struct *mm, unsigned long addr, struct pt_walk *w);

/* Clear the entry and flush it from every CPU that may cache it; returns
 * the old entry (Linux's ptep_clear_flush). */
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep);

/* ---- TLB (arch: tlb.c; hosted: sim) ----
 * Kernel mappings are global and flushed on every online CPU; user
 * mappings only on the CPUs in the mm's cpu set (mm_cpumask). Each call
 * returns when every CPU it targeted has flushed. */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_mm(struct mm_struct *mm);
void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr);
void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);

#endif
