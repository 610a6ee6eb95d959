/* pgtable.h - PAE page-table entries: 64 bits each, three levels.
 *
 *   CR3 -> PDPT (4 entries, 1 GB each) -> PMD (512 x 2 MB) -> PTE (512 x 4 KB)
 *
 * A PMD entry either points to a PTE page or, with _PAGE_PSE, maps a 2 MB
 * page itself. Bit 63 is NX (honoured once EFER.NXE is set). The CPU reads
 * an entry 64 bits at a time, but a 32-bit CPU writes 32 at a time: see
 * set_pte() for how we never let it see a half-written entry.
 */
#ifndef HL_PGTABLE_H
#define HL_PGTABLE_H

#include "layout.h"
#include "types.h"

typedef u64 pte_t;
typedef u64 pmd_t;
typedef u64 pgd_t; /* a PDPT entry */

#define _PAGE_PRESENT (1ULL << 0)
#define _PAGE_RW (1ULL << 1)
#define _PAGE_USER (1ULL << 2)
#define _PAGE_PWT (1ULL << 3)
#define _PAGE_PCD (1ULL << 4)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY (1ULL << 6)
#define _PAGE_PSE (1ULL << 7) /* in a PMD entry: a 2 MB page */
#define _PAGE_GLOBAL (1ULL << 8)
#define _PAGE_NX (1ULL << 63)
#define PTE_PFN_MASK 0x000ffffffffff000ULL /* bits 12..51 */

/* Kernel protections (NX is dropped at runtime if the CPU lacks it). */
#define PAGE_KERNEL (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RO (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RX (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

#define pgd_index(va) (((va) >> PGDIR_SHIFT) & 3)
#define pmd_index(va) (((va) >> PMD_SHIFT) & (PTRS_PER_PMD - 1))
#define pte_index(va) (((va) >> PAGE_SHIFT) & (PTRS_PER_PTE - 1))

/* Install a 64-bit entry so that the CPU never walks a half-written one:
 * clear the low word (and with it the present bit) first, then write the
 * high word, then the low word with the present bit. Walks in between see
 * "not present". */
static inline void set_pte(volatile pte_t *p, pte_t v)
{
	volatile u32 *w = (volatile u32 *)p;

	w[0] = 0;
	__asm__ volatile("" : : : "memory");
	w[1] = (u32)(v >> 32);
	__asm__ volatile("" : : : "memory");
	w[0] = (u32)v;
}

/* Clear an entry: low word (present bit) first, then the high word. */
static inline void pte_clear(volatile pte_t *p)
{
	volatile u32 *w = (volatile u32 *)p;

	w[0] = 0;
	__asm__ volatile("" : : : "memory");
	w[1] = 0;
}

static inline bool pte_present(pte_t v) { return v & _PAGE_PRESENT; }
static inline phys_addr_t pte_phys(pte_t v) { return v & PTE_PFN_MASK; }

/* The kernel's page tables (arch/x86/paging.c). */
extern pgd_t swapper_pg_dir[PTRS_PER_PGD];
/* NX bit to use in entries: _PAGE_NX when the CPU supports it, else 0. */
extern pte_t __supported_pte_mask;

/* Build the final kernel page tables and switch to them (see paging.c). */
void paging_init(void);
/* The PTE for a kernel virtual address, or NULL if that part of the tables
 * is absent or a large page covers it (*level says where the walk stopped:
 * 1 PGD, 2 PMD, 3 PTE). */
pte_t *lookup_address(unsigned long va, int *level);
/* Map a physical page at fixmap slot idx (layout.h), uncached for device
 * registers; returns the virtual address of pa itself. */
void *set_fixmap(unsigned idx, phys_addr_t pa, bool uncached);
void clear_fixmap(unsigned idx);
extern pte_t *fixmap_pte_page;
/* Flush one page from this CPU's TLB / the whole TLB including global pages. */
void flush_tlb_one_kernel(unsigned long va);
void flush_tlb_all_local(void);
/* Flush every CPU's whole TLB (shootdown; arch/x86/tlb.c). */
void flush_tlb_all(void);
void tlb_init(void);

#endif
