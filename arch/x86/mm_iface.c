/* mm_iface.c - the arch side of the mm interface (include/arch.h, mm.h):
 * the direct map's arithmetic and the fixmap slots of devices and firmware. */
#include "arch.h"
#include "cpu.h"
#include "mm.h"
#include "mm_types.h"
#include "pgtable.h"
#include "x86.h"

void *phys_to_virt(phys_addr_t pa) { return (void *)(unsigned long)(pa + PAGE_OFFSET); }
phys_addr_t virt_to_phys(const void *va) { return (unsigned long)va - PAGE_OFFSET; }

unsigned arch_phys_bits(void) { return boot_cpu.phys_bits; }

/* Map a physical page at a fixmap slot (device registers: uncached). The
 * slot's old translation is dropped from this CPU's TLB. */
void *set_fixmap(unsigned idx, phys_addr_t pa, pgprot_t prot)
{
	unsigned long va = fix_to_virt(idx);

	set_pte_at(&init_mm, va, fixmap_pte(idx), pfn_pte((unsigned long)(pa >> PAGE_SHIFT), prot));
	invlpg(va);
	return (void *)(va + (unsigned long)(pa & (PAGE_SIZE - 1)));
}

void clear_fixmap(unsigned idx)
{
	unsigned long va = fix_to_virt(idx);

	pte_clear(&init_mm, va, fixmap_pte(idx));
	invlpg(va);
}
