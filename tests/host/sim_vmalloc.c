/* sim_vmalloc.c - simulated kernel PTEs and TLB for the hosted vmalloc
 * (see sim_vmalloc.h). One entry per page from PAGE_OFFSET to 4 GB: the
 * frame number plus one, 0 for none; a parallel array marks the pages whose
 * translation may still be cached because nothing flushed them since they
 * were cleared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "sim_mm.h"
#include "sim_vmalloc.h"

#define SIM_KPAGES ((0x100000000ULL - PAGE_OFFSET) >> PAGE_SHIFT)

static unsigned long sim_pte[SIM_KPAGES]; /* pfn + 1, 0 = not present */
static bool sim_stale[SIM_KPAGES];        /* cleared since the last flush */
unsigned long sim_tlb_flushes, sim_tlb_errors;
unsigned long sim_last_flush_start, sim_last_flush_end;

static unsigned long kidx(unsigned long va, const char *fn)
{
	if (va < PAGE_OFFSET || va > 0xffffffffUL || (va & ~PAGE_MASK)) {
		fprintf(stderr, "sim: %s(%#lx): not a page of the kernel's gigabyte\n", fn, va);
		abort();
	}
	return (va - PAGE_OFFSET) >> PAGE_SHIFT;
}

static void tlb_error(const char *what, unsigned long va)
{
	sim_tlb_errors++;
	if (getenv("HTEST_VERBOSE"))
		fprintf(stderr, "sim: %s at %#lx\n", what, va);
}

void arch_map_kernel_page(unsigned long va, unsigned long pfn, u64 prot)
{
	unsigned long i = kidx(va, "arch_map_kernel_page");

	(void)prot;
	if (sim_pte[i])
		tlb_error("mapping over a present PTE", va);
	if (sim_stale[i])
		tlb_error("mapping a page whose old translation was never flushed", va);
	if (pfn >= max_pfn) {
		fprintf(stderr, "sim: arch_map_kernel_page(%#lx, pfn %#lx): no such frame\n", va, pfn);
		abort();
	}
	sim_pte[i] = pfn + 1;
}

void arch_unmap_kernel_page(unsigned long va)
{
	unsigned long i = kidx(va, "arch_unmap_kernel_page");

	if (sim_pte[i])
		sim_stale[i] = true;
	sim_pte[i] = 0;
}

bool arch_kernel_page_pfn(unsigned long va, unsigned long *pfn)
{
	unsigned long i = kidx(va & PAGE_MASK, "arch_kernel_page_pfn");

	if (!sim_pte[i])
		return false;
	*pfn = sim_pte[i] - 1;
	return true;
}

void arch_flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	sim_tlb_flushes++;
	sim_last_flush_start = start;
	sim_last_flush_end = end;
	for (unsigned long va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		sim_stale[kidx(va, "arch_flush_tlb_kernel_range")] = false;
}

void sim_vmalloc_reset(void)
{
	memset(sim_pte, 0, sizeof(sim_pte));
	memset(sim_stale, 0, sizeof(sim_stale));
	sim_tlb_flushes = sim_tlb_errors = 0;
	sim_last_flush_start = sim_last_flush_end = 0;
}

unsigned long sim_kernel_mapped(unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		n += sim_pte[kidx(va, "sim_kernel_mapped")] != 0;
	return n;
}

unsigned long sim_kernel_stale(unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		n += sim_stale[kidx(va, "sim_kernel_stale")];
	return n;
}

void *sim_kernel_va(unsigned long va)
{
	unsigned long pfn;

	if (!arch_kernel_page_pfn(va, &pfn))
		return NULL;
	return (char *)sim_frame(pfn) + (va & ~PAGE_MASK);
}
