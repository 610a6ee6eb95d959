/* sim_vmalloc.h - the kernel page tables of the simulated machine, for the
 * hosted mm/vmalloc.c: the four arch hooks of include/arch.h that touch
 * kernel PTEs, over a table of PTEs for the top gigabyte, plus a model of
 * the TLB that remembers every PTE cleared since the last flush.
 *
 * Mapping over a present PTE, or over one whose old translation may still
 * sit in the TLB (cleared but not flushed), is exactly the bug a lazy TLB
 * flush must never cause: both are counted in sim_tlb_errors (and printed
 * with HTEST_VERBOSE), and tests check the count stays 0.
 */
#ifndef SIM_VMALLOC_H
#define SIM_VMALLOC_H

#include "types.h"

extern unsigned long sim_tlb_flushes;   /* arch_flush_tlb_kernel_range calls */
extern unsigned long sim_tlb_errors;    /* mappings over present or stale PTEs */
extern unsigned long sim_last_flush_start, sim_last_flush_end;

/* Clear every PTE and the TLB model, zero the counters (after sim_boot). */
void sim_vmalloc_reset(void);
/* Present PTEs in [start, end), and stale (cleared, unflushed) ones. */
unsigned long sim_kernel_mapped(unsigned long start, unsigned long end);
unsigned long sim_kernel_stale(unsigned long start, unsigned long end);
/* The host address behind a mapped kernel virtual address (NULL if none):
 * what the CPU would reach through the page tables. */
void *sim_kernel_va(unsigned long va);

#endif
