/* mm_iface.c - the arch side of the mm interface (include/arch.h, mm.h):
 * the direct map's arithmetic and the fixmap slots behind kmap_atomic. */
#include "arch.h"
#include "cpu.h"
#include "mm.h"
#include "pgtable.h"
#include "x86.h"

void *phys_to_virt(phys_addr_t pa) { return (void *)(unsigned long)(pa + PAGE_OFFSET); }
phys_addr_t virt_to_phys(const void *va) { return (unsigned long)va - PAGE_OFFSET; }

unsigned arch_phys_bits(void) { return boot_cpu.phys_bits; }

/* The PTE of a kernel address in the preallocated areas (vmalloc, pkmap,
 * fixmap); NULL where a large page or nothing maps it. */
static pte_t *kernel_pte(unsigned long va)
{
	int level;
	pte_t *p = lookup_address(va, &level);

	return level == 3 ? p : NULL;
}

void arch_map_kernel_page(unsigned long va, unsigned long pfn, u64 prot)
{
	pte_t *p = kernel_pte(va);

	if (!prot)
		prot = PAGE_KERNEL;
	if (p)
		set_pte(p, (PFN_PHYS(pfn) | prot) & __supported_pte_mask);
}

void arch_unmap_kernel_page(unsigned long va)
{
	pte_t *p = kernel_pte(va);

	if (p)
		pte_clear(p);
}

bool arch_kernel_page_pfn(unsigned long va, unsigned long *pfn)
{
	pte_t *p = kernel_pte(va);

	if (!p || !pte_present(*p))
		return false;
	*pfn = (unsigned long)(pte_phys(*p) >> PAGE_SHIFT);
	return true;
}

/* Map a physical page at a fixmap slot (device registers: uncached). The
 * slot's old translation is dropped from this CPU's TLB. */
void *set_fixmap(unsigned idx, phys_addr_t pa, bool uncached)
{
	pte_t prot = PAGE_KERNEL | (uncached ? (_PAGE_PCD | _PAGE_PWT) : 0);
	unsigned long va = fix_to_virt(idx);

	set_pte(fixmap_pte_page + pte_index(va), ((pa & PTE_PFN_MASK) | prot) & __supported_pte_mask);
	invlpg(va);
	return (void *)(va + (unsigned long)(pa & (PAGE_SIZE - 1)));
}

void clear_fixmap(unsigned idx)
{
	unsigned long va = fix_to_virt(idx);

	pte_clear(fixmap_pte_page + pte_index(va));
	invlpg(va);
}
