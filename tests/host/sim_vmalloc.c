/* sim_vmalloc.c - the simulated machine's kernel page tables and TLB (see
 * sim_vmalloc.h). The tables are real PAE tables in simulated memory, built
 * like paging_init builds the kernel's: swapper_pg_dir entry 3 -> a kernel
 * PMD, with PTE pages preallocated from VMALLOC_START to the top. They live
 * in frames just above the layout's RAM (as memblock pages would: the page
 * allocator never sees them). The TLB model remembers each kernel page
 * cleared since the last flush of it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "mm_types.h"
#include "sim_mm.h"
#include "sim_vmalloc.h"

#define SIM_KPAGES ((0x100000000ULL - PAGE_OFFSET) >> PAGE_SHIFT)

pgd_t swapper_pg_dir[PTRS_PER_PGD] __attribute__((aligned(32)));
u64 __supported_pte_mask = ~0ULL;
int sim_pte_races;
void (*sim_pte_race_fn)(u64 *entry);
unsigned long sim_pte_cmpxchg_fails;

static bool sim_stale[SIM_KPAGES]; /* cleared since the last flush */
static unsigned long pt_base_pfn;   /* first frame of the page-table pool */
unsigned long sim_tlb_flushes, sim_tlb_errors, sim_mm_flushes;
unsigned long sim_last_flush_start, sim_last_flush_end;

static void tlb_error(const char *what, unsigned long va)
{
	sim_tlb_errors++;
	if (getenv("HTEST_VERBOSE"))
		fprintf(stderr, "sim: %s at %#lx\n", what, va);
}

void sim_pte_written(struct mm_struct *mm, unsigned long addr, void *ptep, u64 v)
{
	unsigned long i = (addr - PAGE_OFFSET) >> PAGE_SHIFT;
	pte_t old = ptep_get(ptep);

	if (mm != &init_mm || addr < PAGE_OFFSET)
		return; /* user entries: the flush calls are counted, not modelled */
	if (v & _PAGE_PRESENT) {
		if (pte_present(old))
			tlb_error("mapping over a present PTE", addr);
		if (sim_stale[i])
			tlb_error("mapping a page whose old translation was never flushed", addr);
		if (((v & PTE_PFN_MASK) >> PAGE_SHIFT) >= max_pfn) {
			fprintf(stderr, "sim: kernel PTE of %#lx points beyond RAM\n", addr);
			abort();
		}
	} else if (pte_present(old)) {
		sim_stale[i] = true;
	}
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	sim_tlb_flushes++;
	sim_last_flush_start = start;
	sim_last_flush_end = end;
	for (unsigned long va = start & PAGE_MASK; va < end && va >= PAGE_OFFSET; va += PAGE_SIZE)
		sim_stale[(va - PAGE_OFFSET) >> PAGE_SHIFT] = false;
}

void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	(void)start;
	(void)end;
	vma->vm_mm->flush_count++;
	sim_mm_flushes++;
}

void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr)
{
	flush_tlb_range(vma, addr, addr + PAGE_SIZE);
}

void flush_tlb_mm(struct mm_struct *mm)
{
	struct vm_area_struct whole = { .vm_mm = mm, .vm_end = PAGE_OFFSET };

	flush_tlb_range(&whole, 0, PAGE_OFFSET);
}

/* The simulated machine has one CPU and never loads CR3: switch_mm moves
 * the CPU between the sets, as the kernel's does. */
static struct mm_struct *sim_loaded_mm = &init_mm;
void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	if (prev == next)
		return;
	*mm_cpumask(next) |= 1ul << host_cpu_id;
	*mm_cpumask(prev) &= ~(1ul << host_cpu_id);
	sim_loaded_mm = next;
}
struct mm_struct *current_active_mm(void) { return sim_loaded_mm; }

/* Build the kernel PMD and its preallocated PTE pages in the frames just
 * above RAM (sim_mm.c reserves SIM_PT_FRAMES of them). */
void sim_vmalloc_reset(void)
{
	pt_base_pfn = max_pfn;
	memset(sim_frame(pt_base_pfn), 0, SIM_PT_FRAMES * PAGE_SIZE);
	pmd_t *kpmd = sim_frame(pt_base_pfn);
	unsigned long next = pt_base_pfn + 1;
	for (unsigned i = pmd_index(VMALLOC_START); i < PTRS_PER_PMD; i++)
		set_pmd(&kpmd[i], __pmd(PFN_PHYS(next++) | _KERNPG_TABLE));
	memset(swapper_pg_dir, 0, sizeof(swapper_pg_dir));
	swapper_pg_dir[3] = __pgd(PFN_PHYS(pt_base_pfn) | _PAGE_PRESENT);
	memset(sim_stale, 0, sizeof(sim_stale));
	sim_tlb_flushes = sim_tlb_errors = sim_mm_flushes = 0;
	sim_last_flush_start = sim_last_flush_end = 0;
}

unsigned long sim_kernel_mapped(unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		pte_t *p = virt_to_kpte(va);
		n += p && pte_present(ptep_get(p));
	}
	return n;
}

unsigned long sim_kernel_stale(unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		n += sim_stale[(va - PAGE_OFFSET) >> PAGE_SHIFT];
	return n;
}

void *sim_kernel_va(unsigned long va)
{
	struct pt_walk w;

	if (!pt_walk(&init_mm, va, &w))
		return NULL;
	return phys_to_virt(w.pa);
}
