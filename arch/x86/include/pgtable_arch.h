/* pgtable_arch.h - x86's side of include/pgtable.h: the atomic primitive
 * the PAE entry operations need, and what only arch/x86 uses (the kernel's
 * tables, the fixmap, local TLB flushes). */
#ifndef HL_PGTABLE_ARCH_H
#define HL_PGTABLE_ARCH_H

#include "types.h"

/* cmpxchg8b: if *p == *old, store new and return true; else load *p into
 * *old and return false. The one instruction a 32-bit CPU has that reads
 * and writes 64 bits atomically (CPUID CX8, which every PAE CPU has). */
static inline bool pae_cmpxchg64(u64 *p, u64 *old, u64 new)
{
	bool ok;

	__asm__ volatile("lock cmpxchg8b %1"
			 : "=@ccz"(ok), "+m"(*p), "+A"(*old)
			 : "b"((u32)new), "c"((u32)(new >> 32))
			 : "memory");
	return ok;
}

/* No TLB model to keep: the hardware has the real one. */
#define pae_written(mm, addr, ptep, v) ((void)0)

#include "pgtable_pae.h"

/* The kernel's PGD (PDPT): entry 3 is the kernel PMD, shared by every mm. */
extern pgd_t swapper_pg_dir[PTRS_PER_PGD];
/* The kernel PMD page (the top gigabyte), shared by every address space. */
extern pmd_t *kernel_pmd;

/* Build the final kernel page tables and switch to them (paging.c). */
void paging_init(void);
/* Map a physical page at fixmap slot idx (layout.h): PAGE_KERNEL_NOCACHE for
 * device registers; returns the virtual address of pa itself. */
void *set_fixmap(unsigned idx, phys_addr_t pa, pgprot_t prot);
void clear_fixmap(unsigned idx);
/* The PTE of a fixmap slot (kmap_atomic's fast path writes it directly). */
pte_t *fixmap_pte(unsigned idx);
/* Drop this CPU's whole TLB, global entries included. */
void flush_tlb_all_local(void);
void tlb_init(void);
/* Per-mm flush IPIs this CPU served (the -smp 4 test of mm_cpumask). */
unsigned long tlb_mm_ipis_received(unsigned cpu);
/* Kernel-range shootdowns this CPU sent, and served for others (smp tests). */
void tlb_shootdown_counts(unsigned cpu, unsigned long *sent, unsigned long *received);

#endif
