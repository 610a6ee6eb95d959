/* sim_mm.h - a simulated machine for the hosted mm tests.
 *
 * A layout is what the firmware and the early boot would have produced: the
 * RAM ranges, the ranges boot keeps (first MB, kernel image, mem_map), and
 * the lowmem/highmem split. sim_boot() brings the page allocator up from it
 * exactly the way mm_core_init does on the real machine.
 *
 * Simulated physical memory is one anonymous MAP_NORESERVE mapping as large
 * as the layout's address space (9 GB for the 8 GB layout): only pages a
 * test writes cost real memory. phys_to_virt() (the "direct map") and
 * arch_kmap_atomic_map() both point into it; phys_to_virt() of an address
 * beyond it aborts the test run with a message.
 */
#ifndef SIM_MM_H
#define SIM_MM_H

#include "mmzone.h"

struct sim_range {
	unsigned long start, end; /* pfns, [start, end) */
};

struct sim_layout {
	const char *name;
	unsigned long max_pfn, max_low_pfn;
	const struct sim_range *ram; /* sorted, disjoint */
	unsigned nr_ram;
	const struct sim_range *reserved; /* sorted, disjoint: kept by boot */
	unsigned nr_reserved;
};

/* 4 MB, all DMA. */
extern const struct sim_layout sim_tiny;
/* 64 MB with holes: one inside a 4 MB block, ranges ending unaligned,
 * ranges across the DMA/Normal and Normal/HighMem boundaries, and an
 * unaligned max_low_pfn (0x2e80, as highmem= could give). */
extern const struct sim_layout sim_holes;
/* QEMU -m 512: all lowmem. */
extern const struct sim_layout sim_512m;
/* QEMU -m 2048: max_low_pfn at 896 MB, the rest HighMem. */
extern const struct sim_layout sim_2g;
/* QEMU -m 8192: RAM above 4 GB, max_pfn 0x240000. */
extern const struct sim_layout sim_8g;

extern unsigned sim_phys_bits; /* arch_phys_bits(); 36 unless a test changes it */

/* Build mem_map and the zones for l (every struct page starts as garbage,
 * to prove memmap_init writes all of it). Also resets debug_pagealloc,
 * host_cpu_id and the interrupt flag. */
void sim_boot(const struct sim_layout *l);
/* Allocate the page_ext side table (as page_owner=on would); sim_boot frees it. */
void sim_page_ext_on(void);
/* Pages of the layout's RAM, and of its free (RAM minus reserved) ranges, in [start, end). */
unsigned long sim_ram_pages(const struct sim_layout *l, unsigned long start, unsigned long end);
unsigned long sim_free_pages(const struct sim_layout *l, unsigned long start, unsigned long end);
/* Host address of a simulated frame (any frame, highmem included). */
void *sim_frame(unsigned long pfn);

/* The allocator's visible state, to prove an operation changed nothing or
 * that everything came back. */
struct sim_snapshot {
	unsigned long free_pages[MAX_NR_ZONES];
	unsigned long nr_free[MAX_NR_ZONES][MAX_ORDER];
	int pcp_count[MAX_NR_ZONES][NR_CPUS];
};
void sim_snapshot(struct sim_snapshot *s);
bool sim_snapshot_equal(const struct sim_snapshot *a, const struct sim_snapshot *b);

/* Deterministic PRNG for the randomized tests. */
unsigned long sim_rand(unsigned long *state);

struct mm_struct;
/* sim_boot(&sim_2g) plus slab, PGD cache, zero page and one empty mm
 * (the region and fault tests' starting point); aborts if any fails. */
struct mm_struct *sim_boot_mm(void);
struct page;
/* The PTE mapping user address addr in mm (0 if there is no PTE page). */
u64 sim_pte_val_at(struct mm_struct *mm, unsigned long addr);
/* The page a present PTE maps at addr, else NULL. */
struct page *sim_page_at(struct mm_struct *mm, unsigned long addr);

#endif
