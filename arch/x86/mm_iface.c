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
