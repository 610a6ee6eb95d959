/* sim_vmalloc.h - the kernel page tables of the simulated machine: real PAE
 * tables in simulated memory behind include/pgtable.h (the same entry code
 * as the kernel's), the TLB flush calls, and a model of the TLB that
 * remembers every kernel PTE cleared since the last flush.
 *
 * Mapping over a present PTE, or over one whose old translation may still
 * sit in the TLB (cleared but not flushed), is exactly the bug a lazy TLB
 * flush must never cause: both are counted in sim_tlb_errors (and printed
 * with HTEST_VERBOSE), and tests check the count stays 0.
 */
#ifndef SIM_VMALLOC_H
#define SIM_VMALLOC_H

#include "types.h"

/* Frames above the layout's RAM that hold the kernel PMD and PTE pages. */
#define SIM_PT_FRAMES 520

extern unsigned long sim_tlb_flushes;   /* flush_tlb_kernel_range calls */
extern unsigned long sim_mm_flushes;    /* per-mm flushes (flush_tlb_range/page/mm) */
extern unsigned long sim_tlb_errors;    /* mappings over present or stale PTEs */
extern unsigned long sim_last_flush_start, sim_last_flush_end;

/* Build empty kernel tables, clear the TLB model and counters (after sim_boot). */
void sim_vmalloc_reset(void);
/* Present PTEs in [start, end), and stale (cleared, unflushed) ones. */
unsigned long sim_kernel_mapped(unsigned long start, unsigned long end);
unsigned long sim_kernel_stale(unsigned long start, unsigned long end);
/* The host address behind a mapped kernel virtual address (NULL if none):
 * what the CPU would reach through the page tables. */
void *sim_kernel_va(unsigned long va);

#endif
