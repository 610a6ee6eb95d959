/* layout.h - Highland's whole virtual memory layout (i386, PAE, 3G/1G split).
 *
 *  0xFFFFFFFF +--------------------------------+
 *             | (top page unused)              |
 *  FIXADDR_TOP+--------------------------------+ 0xFFFFF000
 *             | fixmap: local APIC, I/O APIC,  |  fix_to_virt(i) = FIXADDR_TOP - (i+1)*4K
 *             | 8 ACPI pages, then kmap_atomic |  grows downward
 *             | KM_MAX_IDX (16) per CPU x      |
 *             | NR_CPUS (8)                    |
 *  FIXADDR_START ------------------------------+
 *             | (gap up to the 2 MB boundary)  |
 *  PKMAP_BASE +--------------------------------+ 2 MB aligned
 *             | pkmap window: LAST_PKMAP = 512 |  one PTE page: kmap()/kunmap()
 *             | slots (2 MB)                   |
 *             +--------------------------------+
 *             | 2 guard pages                  |
 *  VMALLOC_END+--------------------------------+ = PKMAP_BASE - 2 pages
 *             | vmalloc area                   |  vmalloc(), vmap()
 *             |                                |
 *  VMALLOC_START ------------------------------+ = ALIGN(high_memory, 2 MB) + 8 MB
 *             | VMALLOC_OFFSET: 8 MB gap       |  catches overruns off the direct map
 *  high_memory+--------------------------------+ = PAGE_OFFSET + lowmem size (<= 896 MB)
 *             | direct map of lowmem           |  __va(pa) = pa + PAGE_OFFSET
 *             |   kernel image at 0xC0100000   |  physical 0 .. max_low_pfn
 *  PAGE_OFFSET+--------------------------------+ 0xC0000000
 *             | user space (3 GB), unmapped    |  NULL and the old identity map fault
 *  0x00000000 +--------------------------------+
 *
 * The page tables for everything from VMALLOC_START up to the top are
 * allocated once at boot, so mapping a vmalloc, pkmap or fixmap page never
 * allocates a page table. MAXMEM (896 MB by default) is 1 GB minus the
 * vmalloc reserve; `vmalloc=` moves it, and with it high_memory.
 */
#ifndef HL_LAYOUT_H
#define HL_LAYOUT_H

#include "types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21 /* a PAE PMD entry covers 2 MB */
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PGDIR_SHIFT 30 /* a PAE PGD (PDPT) entry covers 1 GB */
#define PTRS_PER_PTE 512
#define PTRS_PER_PMD 512
#define PTRS_PER_PGD 4

#define PAGE_OFFSET 0xC0000000UL
#define VMALLOC_RESERVE_DEFAULT (128UL << 20)
#define MAXMEM_DEFAULT (0x40000000UL - VMALLOC_RESERVE_DEFAULT) /* 896 MB */
#define VMALLOC_OFFSET (8UL << 20)

#define FIXADDR_TOP 0xFFFFF000UL
#define KM_MAX_IDX 16 /* kmap_atomic nesting depth per CPU */
#define NR_CPUS 8 /* per-CPU arrays and the kmap_atomic slots are sized for this many */
#define FIX_KMAP_SLOTS (KM_MAX_IDX * NR_CPUS)
#define FIX_ACPI_PAGES 8

/* Fixmap slots: compile-time virtual addresses for physical pages chosen at
 * run time (device registers, firmware tables, kmap_atomic). */
enum fixed_addresses {
	FIX_APIC_BASE,  /* the local APIC's registers (uncached) */
	FIX_IO_APIC,    /* the I/O APIC's registers (uncached) */
	FIX_ACPI_BEGIN, /* firmware tables, mapped while they are parsed */
	FIX_ACPI_END = FIX_ACPI_BEGIN + FIX_ACPI_PAGES - 1,
	FIX_KMAP_BEGIN, /* kmap_atomic: CPU c's slot i is FIX_KMAP_BEGIN + 16c + i */
	FIX_KMAP_END = FIX_KMAP_BEGIN + FIX_KMAP_SLOTS - 1,
	__end_of_fixed_addresses
};
#define FIXADDR_SIZE ((unsigned long)__end_of_fixed_addresses * PAGE_SIZE)
#define FIXADDR_START (FIXADDR_TOP - FIXADDR_SIZE)
#define fix_to_virt(i) (FIXADDR_TOP - ((unsigned long)(i) + 1) * PAGE_SIZE)
#define virt_to_fix(va) ((FIXADDR_TOP - ((va) & PAGE_MASK)) / PAGE_SIZE - 1)

#define LAST_PKMAP 512 /* one PTE page under PAE */
#define PKMAP_BASE ((FIXADDR_START - LAST_PKMAP * PAGE_SIZE) & ~(PMD_SIZE - 1))
#define PKMAP_ADDR(nr) (PKMAP_BASE + (unsigned long)(nr) * PAGE_SIZE)
#define VMALLOC_END (PKMAP_BASE - 2 * PAGE_SIZE)

/* Physical address limit of PAE: 36 bits. */
#define MAX_PHYSMEM_BITS 36
#define MAX_PFN_PAE (1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT))

/* Set at boot from the memory map and vmalloc= (mm/memsplit.c). */
extern unsigned long max_pfn;      /* one past the highest usable frame */
extern unsigned long max_low_pfn;  /* one past the highest lowmem frame */
extern unsigned long high_memory;  /* PAGE_OFFSET + (max_low_pfn << PAGE_SHIFT) */
extern unsigned long vmalloc_start; /* VMALLOC_START: ALIGN(high_memory, 2 MB) + VMALLOC_OFFSET */
#define VMALLOC_START vmalloc_start

#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)

#endif
