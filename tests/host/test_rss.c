/* test_rss.c - the per-mm resident-page counters (rss_stat, Linux's
 * MM_ANONPAGES/MM_FILEPAGES) and meminfo's global counts on the simulated
 * machine: a read fault maps the zero page (not counted), a write fault
 * and a copy-on-write copy count one anonymous page each, fork's copy
 * counts the child's mappings, zap and munmap take them away, and the
 * high-water mark stays; nr_anon_mapped counts a page once however many
 * mms map it; nr_pagetable_pages follows the PMD and PTE pages. */
#include "errno.h"
#include "gfp.h"
#include "htest.h"
#include "mm_types.h"
#include "mmzone.h"
#include "sim_mm.h"
#include "slab.h"

#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static struct mm_struct *rss_boot_mm(void) { return sim_boot_mm(); }

HTEST(rss_counts_faults_cow_fork_and_unmap)
{
	struct mm_struct *parent = rss_boot_mm();

	CHECK_EQ(nr_pagetable_pages, 3); /* the three user PMD pages */
	CHECK_EQ(do_mmap(parent, BASE, 4 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(get_mm_rss(parent), 0); /* mmap alone maps nothing */
	CHECK_EQ(handle_mm_fault(parent, BASE, 0), 0); /* a read: the zero page */
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 0);
	CHECK_EQ(handle_mm_fault(parent, BASE, FAULT_FLAG_WRITE), 0); /* zero page -> own page */
	CHECK_EQ(handle_mm_fault(parent, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 2);
	CHECK_EQ(get_mm_counter(parent, MM_FILEPAGES), 0);
	CHECK_EQ(nr_anon_mapped, 2);
	CHECK_EQ(nr_pagetable_pages, 4); /* and one PTE page */
	/* fork: the child maps the same two pages; counted in its mm, not again globally */
	struct mm_struct *child = mm_alloc();
	CHECK(child && dup_mmap(child, parent) == 0);
	CHECK_EQ(get_mm_counter(child, MM_ANONPAGES), 2);
	CHECK_EQ(nr_anon_mapped, 2);
	/* the child writes: a copy of its own, still two pages each; three in all */
	CHECK_EQ(handle_mm_fault(child, BASE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(get_mm_counter(child, MM_ANONPAGES), 2);
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 2);
	CHECK_EQ(nr_anon_mapped, 3);
	CHECK_EQ(child->hiwater_rss, 2);
	/* munmap and madvise take pages away; the high-water mark stays */
	CHECK_EQ(do_munmap(parent, BASE, PAGE_SIZE), 0);
	CHECK_EQ(get_mm_counter(parent, MM_ANONPAGES), 1);
	CHECK_EQ(do_madvise_dontneed(child, BASE, 2 * PAGE_SIZE), 0);
	CHECK_EQ(get_mm_rss(child), 0);
	CHECK_EQ(child->hiwater_rss, 2);
	CHECK_EQ(nr_anon_mapped, 1); /* the parent's second page, which the child no longer maps */
	exit_mmap(child);
	mmput(child);
	exit_mmap(parent);
	CHECK_EQ(get_mm_rss(parent), 0);
	mmput(parent);
	CHECK_EQ(nr_anon_mapped, 0);
	CHECK_EQ(nr_pagetable_pages, 0);
}
