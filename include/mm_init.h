/* mm_init.h - bringing up memory management at boot (mm/mm_init.c).
 *
 * The arch setup calls, in order:
 *   find_low_pfn_range()          where RAM ends, lowmem vs HIGHMEM (memsplit.h)
 *   memblock_add_e820()           RAM into memblock, page-aligned inwards
 *   memblock_reserve(...)         page 0, the first MB, the kernel image
 *   paging_init()                 the final page tables (arch)
 *   mm_core_init(&image)          mem_map, zones, the buddy allocator,
 *                                 watermarks, and the "Memory:" and layout lines
 */
#ifndef HL_MM_INIT_H
#define HL_MM_INIT_H

#include "e820.h"
#include "types.h"

/* Sizes of the kernel image's parts, for the "Memory:" line. */
struct kernel_image {
	unsigned long text, rwdata, rodata, init, bss; /* bytes */
	unsigned long text_start, text_end, data_start, data_end, init_start, init_end;
};

/* Add every usable range below max_pfn, shrunk to whole pages. */
void memblock_add_e820(const struct e820_table *map, unsigned long max_pfn);
void mm_core_init(const struct kernel_image *img);
/* The "virtual kernel memory layout" banner (also the `layout` report;
 * NULL: the image described at boot). */
void print_vm_layout(const struct kernel_image *img);
/* Check the layout's invariants; a broken one panics at boot. */
void check_vm_layout(void);

/* Cycles (arch_cycles) spent in memmap_init, for `make bench`. */
extern u64 memmap_init_cycles;

#endif
