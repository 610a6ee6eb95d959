/* meminfo.c - the x86 lines of /proc/meminfo (Linux's arch_report_meminfo):
 * how the kernel's direct map of lowmem is mapped, in 4 KB pages and in
 * 2 MB pages (PAE's large page; DirectMap4M is the non-PAE name).
 *
 * Linux counts as it maps (direct_pages_count); Highland reads the answer
 * off kernel_pmd, the one PMD page of the top gigabyte, for the lowmem
 * range: a PSE entry is 2 MB of direct map, a table entry holds 4 KB
 * pages (counted one by one: the boot-stack guard page is left out, as
 * it is not mapped). */
#include "layout.h"
#include "mmzone.h"
#include "pgtable.h"
#include "proc_fs.h"

void arch_report_meminfo(struct seq_file *m)
{
	unsigned long small = 0, large = 0;
	unsigned long end = PAGE_OFFSET + (max_low_pfn << PAGE_SHIFT);

	for (unsigned long va = PAGE_OFFSET; va < end; va += PMD_SIZE) {
		pmd_t pmd = kernel_pmd[pmd_index(va)];

		if (!pmd_present(pmd))
			continue;
		if (pmd_large(pmd)) {
			large++;
			continue;
		}
		pte_t *ptes = (pte_t *)__va((phys_addr_t)pmd_pfn(pmd) << PAGE_SHIFT);
		for (unsigned i = 0; i < PTRS_PER_PTE && va + i * PAGE_SIZE < end; i++)
			if (pte_present(ptes[i]))
				small++;
	}
	seq_printf(m, "%-16s%8lu kB\n", "DirectMap4k:", small << (PAGE_SHIFT - 10));
	seq_printf(m, "%-16s%8lu kB\n", "DirectMap2M:", large << (PMD_SHIFT - 10));
}
