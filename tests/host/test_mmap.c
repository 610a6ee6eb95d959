/* test_mmap.c - regions and faults on the simulated machine: mmap, munmap,
 * mprotect and brk split and merge regions exactly; find_vma finds every
 * region of a large map; faults give the zero page for reads and a zeroed
 * HIGHMEM page for writes; fork's copy_page_range and the copy-on-write
 * fault keep _mapcount and _refcount exact, copying a shared page and
 * reusing one mapped once; a stack grows to its limit and no further; and
 * everything comes back when the address spaces go. */
#include "errno.h"
#include "gfp.h"
#include "highmem.h"
#include "htest.h"
#include "mm_inline.h"
#include "mm_types.h"
#include "mmzone.h"
#include "sim_mm.h"
#include "slab.h"

#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static struct mm_struct *boot_mm(void) { return sim_boot_mm(); }

static void drop_mm(struct mm_struct *mm)
{
	exit_mmap(mm);
	mmput(mm);
}

/* Regions as "start-end:flags" pairs, for exact comparisons. */
static int count_regions(struct mm_struct *mm) { return mm->map_count; }

static bool region_is(struct mm_struct *mm, int i, unsigned long start, unsigned long end,
		      unsigned long flags)
{
	struct vm_area_struct *v = mm->vmas[i];

	return v->vm_start == start && v->vm_end == end && (v->vm_flags & VM_ACCESS_FLAGS) == flags;
}

HTEST(mmap_split_and_merge)
{
	struct mm_struct *mm = boot_mm();

	CHECK_EQ(do_mmap(mm, BASE, 3 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(do_mmap(mm, BASE + 3 * PAGE_SIZE, PAGE_SIZE, RW, ANON, NULL, 0), (long)(BASE + 3 * PAGE_SIZE));
	CHECK_EQ(count_regions(mm), 1); /* merged */
	CHECK(region_is(mm, 0, BASE, BASE + 4 * PAGE_SIZE, RW));
	CHECK_EQ(mm->total_vm, 4);
	/* mprotect the second page: three regions; back: one */
	CHECK_EQ(do_mprotect(mm, BASE + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	CHECK_EQ(count_regions(mm), 3);
	CHECK(region_is(mm, 1, BASE + PAGE_SIZE, BASE + 2 * PAGE_SIZE, PROT_READ));
	CHECK_EQ(do_mprotect(mm, BASE + PAGE_SIZE, PAGE_SIZE, RW), 0);
	CHECK_EQ(count_regions(mm), 1);
	/* munmap the middle: two; a hole makes mprotect -ENOMEM */
	CHECK_EQ(do_munmap(mm, BASE + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	CHECK_EQ(count_regions(mm), 2);
	CHECK(region_is(mm, 0, BASE, BASE + PAGE_SIZE, RW));
	CHECK(region_is(mm, 1, BASE + 3 * PAGE_SIZE, BASE + 4 * PAGE_SIZE, RW));
	CHECK_EQ(mm->total_vm, 2);
	CHECK_EQ(do_mprotect(mm, BASE, 4 * PAGE_SIZE, PROT_READ), -ENOMEM);
	CHECK_EQ(count_regions(mm), 2); /* refused before any change */
	CHECK_EQ(do_munmap(mm, BASE + 1, PAGE_SIZE), -EINVAL);
	CHECK_EQ(do_munmap(mm, BASE + 100 * PAGE_SIZE, PAGE_SIZE), 0); /* nothing there: fine */
	/* MAP_FIXED over both and the hole replaces them with one region */
	CHECK_EQ(do_mmap(mm, BASE, 4 * PAGE_SIZE, PROT_READ, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(count_regions(mm), 1);
	CHECK(region_is(mm, 0, BASE, BASE + 4 * PAGE_SIZE, PROT_READ));
	/* bad arguments */
	CHECK_EQ(do_mmap(mm, BASE + 1, PAGE_SIZE, RW, ANON, NULL, 0), -EINVAL);
	CHECK_EQ(do_mmap(mm, 0, 0, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0), -EINVAL);
	CHECK_EQ(do_mmap(mm, 0, PAGE_SIZE, RW, MAP_ANONYMOUS, NULL, 0), -EINVAL); /* neither shared nor private */
	drop_mm(mm);
}

HTEST(mmap_hints_and_gaps)
{
	struct mm_struct *mm = boot_mm();

	/* no hint: the first gap from TASK_UNMAPPED_BASE */
	CHECK_EQ(do_mmap(mm, 0, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0), (long)TASK_UNMAPPED_BASE);
	CHECK_EQ(do_mmap(mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0),
		 (long)(TASK_UNMAPPED_BASE + PAGE_SIZE));
	/* a free hint is taken; a taken hint falls back to the first gap that fits */
	CHECK_EQ(do_mmap(mm, 0x50000000, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0), 0x50000000L);
	CHECK_EQ(do_munmap(mm, TASK_UNMAPPED_BASE, PAGE_SIZE), 0);
	CHECK_EQ(do_mmap(mm, 0x50000000, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0),
		 (long)TASK_UNMAPPED_BASE);
	CHECK_EQ(do_mmap(mm, 0, 2 * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0),
		 (long)(TASK_UNMAPPED_BASE + 2 * PAGE_SIZE));
	/* too big for user space */
	CHECK_EQ(do_mmap(mm, 0, TASK_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0), -ENOMEM);
	drop_mm(mm);
}

HTEST(mmap_find_vma_many)
{
	struct mm_struct *mm = boot_mm();

	/* 300 regions, alternating protections so none merge */
	for (unsigned long i = 0; i < 300; i++)
		CHECK_EQ(do_mmap(mm, BASE + 2 * i * PAGE_SIZE, PAGE_SIZE, i & 1 ? PROT_READ : RW, ANON, NULL, 0),
			 (long)(BASE + 2 * i * PAGE_SIZE));
	CHECK_EQ(count_regions(mm), 300);
	for (unsigned long i = 0; i < 300; i++) {
		unsigned long a = BASE + 2 * i * PAGE_SIZE;
		CHECK(find_vma(mm, a)->vm_start == a);
		CHECK(find_vma(mm, a + PAGE_SIZE - 1)->vm_start == a);
		if (i < 299)
			CHECK(find_vma(mm, a + PAGE_SIZE)->vm_start == a + 2 * PAGE_SIZE); /* in the gap: the next */
		CHECK(find_vma_intersection(mm, a + PAGE_SIZE, a + 2 * PAGE_SIZE) == NULL);
	}
	CHECK(find_vma(mm, BASE + 600 * PAGE_SIZE) == NULL);
	CHECK(find_vma(mm, 0)->vm_start == BASE);
	drop_mm(mm);
}

HTEST(mmap_brk)
{
	struct mm_struct *mm = boot_mm();

	mm->start_brk = mm->brk = BASE;
	CHECK_EQ(do_brk(mm, BASE + 3 * PAGE_SIZE + 5), BASE + 3 * PAGE_SIZE + 5);
	CHECK_EQ(count_regions(mm), 1);
	CHECK(region_is(mm, 0, BASE, BASE + 4 * PAGE_SIZE, RW));
	CHECK_EQ(do_brk(mm, BASE + PAGE_SIZE), BASE + PAGE_SIZE); /* shrink */
	CHECK(region_is(mm, 0, BASE, BASE + PAGE_SIZE, RW));
	CHECK_EQ(do_brk(mm, BASE - 1), BASE + PAGE_SIZE);          /* below the start: refused */
	/* a region in the way: refused, brk unchanged */
	CHECK_EQ(do_mmap(mm, BASE + 8 * PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON, NULL, 0), (long)(BASE + 8 * PAGE_SIZE));
	CHECK_EQ(do_brk(mm, BASE + 9 * PAGE_SIZE), BASE + PAGE_SIZE);
	drop_mm(mm);
}

/* The frame a user address maps, or NULL. */
static struct page *mapped(struct mm_struct *mm, unsigned long addr, pte_t *out)
{
	pte_t *pte = user_pte_map(mm, addr);

	if (!pte)
		return NULL;
	pte_t e = ptep_get(pte);
	pte_unmap(pte);
	if (out)
		*out = e;
	return pte_present(e) ? pfn_to_page(pte_pfn(e)) : NULL;
}

static u32 peek(struct page *p)
{
	u32 *v = kmap_local_page(p), x = *v;

	kunmap_local(v);
	return x;
}

static void poke(struct page *p, u32 x)
{
	u32 *v = kmap_local_page(p);

	*v = x;
	kunmap_local(v);
}

HTEST(fault_zero_page_then_demand_zero)
{
	struct mm_struct *mm = boot_mm();
	pte_t e;

	CHECK_EQ(do_mmap(mm, BASE, 2 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(mm, BASE + 8, 0), 0); /* a read */
	CHECK(mapped(mm, BASE, &e) == ZERO_PAGE(BASE));
	CHECK(!pte_write(e) && pte_user(e) && !pte_exec(e));
	CHECK_EQ(page_mapcount(ZERO_PAGE(0)), 0); /* never counted */
	CHECK_EQ(handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0); /* the write: a page of its own */
	struct page *p = mapped(mm, BASE, &e);
	CHECK(p && p != ZERO_PAGE(0) && pte_write(e) && pte_dirty(e));
	CHECK(PageHighMem(p));
	CHECK_EQ(peek(p), 0);
	CHECK_EQ(page_mapcount(p), 1);
	CHECK_EQ(page_count(p), 2); /* the mapping's and the add batch's (mm_inline.h) */
	lru_add_drain();
	CHECK(PageLRU(p));
	CHECK_EQ(page_count(p), 1);
	/* a write fault on a page never read: straight to a new page */
	CHECK_EQ(handle_mm_fault(mm, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	CHECK(mapped(mm, BASE + PAGE_SIZE, NULL) != ZERO_PAGE(0));
	/* what no region allows */
	CHECK_EQ(handle_mm_fault(mm, BASE + 2 * PAGE_SIZE, 0), VM_FAULT_SIGSEGV);
	CHECK_EQ(handle_mm_fault(mm, BASE, FAULT_FLAG_INSTRUCTION), VM_FAULT_SIGSEGV);
	CHECK_EQ(do_mprotect(mm, BASE, PAGE_SIZE, PROT_READ), 0);
	CHECK_EQ(handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	mapped(mm, BASE, &e);
	CHECK(!pte_write(e)); /* mprotect took write away */
	/* madvise(DONTNEED): the page goes, the next read sees zeros again */
	CHECK_EQ(do_madvise_dontneed(mm, BASE + PAGE_SIZE, PAGE_SIZE), 0);
	CHECK(mapped(mm, BASE + PAGE_SIZE, NULL) == NULL);
	drop_mm(mm);
}

HTEST(fault_cow_exact_counts)
{
	struct mm_struct *parent = boot_mm();
	/* the parent's three PMD pages come back too; slab pages count as free */
	unsigned long free = nr_free_pages() + slab_pages() + 3;
	pte_t e;

	CHECK_EQ(do_mmap(parent, BASE, PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(parent, BASE, FAULT_FLAG_WRITE), 0);
	struct page *p = mapped(parent, BASE, NULL);
	poke(p, 0x1111);
	lru_add_drain(); /* the counts below are the mappings' alone (mm_inline.h) */
	struct mm_struct *child = mm_alloc();
	CHECK(child && dup_mmap(child, parent) == 0);
	CHECK_EQ(count_regions(child), 1);
	CHECK(mapped(child, BASE, &e) == p && !pte_write(e));
	CHECK(mapped(parent, BASE, &e) == p && !pte_write(e)); /* write-protected in both */
	CHECK_EQ(page_mapcount(p), 2);
	CHECK_EQ(page_count(p), 2);
	/* the child writes: its own copy; the parent's page loses one mapping */
	unsigned long copies = nr_cow_copies, reuses = nr_cow_reuses;
	CHECK_EQ(handle_mm_fault(child, BASE, FAULT_FLAG_WRITE), 0);
	struct page *c = mapped(child, BASE, &e);
	CHECK(c && c != p && pte_write(e));
	CHECK_EQ(peek(c), 0x1111);
	CHECK_EQ(nr_cow_copies, copies + 1);
	CHECK_EQ(page_mapcount(p), 1);
	CHECK_EQ(page_count(p), 1);
	CHECK_EQ(page_mapcount(c), 1);
	/* the parent writes: mapped once, so reused in place */
	CHECK_EQ(handle_mm_fault(parent, BASE, FAULT_FLAG_WRITE), 0);
	CHECK(mapped(parent, BASE, &e) == p && pte_write(e));
	CHECK_EQ(nr_cow_reuses, reuses + 1);
	CHECK_EQ(nr_cow_copies, copies + 1);
	drop_mm(child);
	drop_mm(parent);
	lru_add_drain(); /* the add batch's references go (mm_inline.h) */
	CHECK_EQ(nr_free_pages() + slab_pages(), free); /* pages, PTE pages: all back */
}

HTEST(fault_cow_zero_page_shared_by_fork)
{
	struct mm_struct *parent = boot_mm();

	CHECK_EQ(do_mmap(parent, BASE, PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(parent, BASE, 0), 0);
	struct mm_struct *child = mm_alloc();
	CHECK(child && dup_mmap(child, parent) == 0);
	CHECK(mapped(child, BASE, NULL) == ZERO_PAGE(0));
	CHECK_EQ(handle_mm_fault(child, BASE, FAULT_FLAG_WRITE), 0);
	CHECK(mapped(child, BASE, NULL) != ZERO_PAGE(0));
	CHECK(mapped(parent, BASE, NULL) == ZERO_PAGE(0));
	drop_mm(child);
	drop_mm(parent);
}

HTEST(fault_stack_grows_to_its_limit)
{
	struct mm_struct *mm = boot_mm();
	unsigned long top = 0xbffff000UL;

	CHECK_EQ(do_mmap(mm, top - PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_GROWSDOWN, NULL, 0), (long)(top - PAGE_SIZE));
	CHECK_EQ(handle_mm_fault(mm, top - 100 * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(find_vma(mm, top - 1)->vm_start, top - 100 * PAGE_SIZE);
	CHECK_EQ(handle_mm_fault(mm, top - STACK_RLIMIT, FAULT_FLAG_WRITE), 0); /* exactly 8 MB */
	CHECK_EQ(handle_mm_fault(mm, top - STACK_RLIMIT - 1, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	/* a region below: the stack may not come within the guard gap of it */
	CHECK_EQ(do_munmap(mm, top - STACK_RLIMIT, STACK_RLIMIT - PAGE_SIZE), 0);
	CHECK_EQ(find_vma(mm, top - 1)->vm_start, top - PAGE_SIZE);
	unsigned long below = top - 4 * PAGE_SIZE - stack_guard_gap;
	CHECK_EQ(do_mmap(mm, below - PAGE_SIZE, PAGE_SIZE, RW, ANON, NULL, 0), (long)(below - PAGE_SIZE));
	CHECK_EQ(handle_mm_fault(mm, top - 4 * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(handle_mm_fault(mm, top - 5 * PAGE_SIZE, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	drop_mm(mm);
}

HTEST(mmap_shared_anon_populated_and_shared_by_fork)
{
	struct mm_struct *parent = boot_mm();

	CHECK_EQ(do_mmap(parent, BASE, 2 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
		 (long)BASE);
	struct page *p = mapped(parent, BASE, NULL);
	CHECK(p != NULL && mapped(parent, BASE + PAGE_SIZE, NULL) != NULL);
	struct mm_struct *child = mm_alloc();
	CHECK(child && dup_mmap(child, parent) == 0);
	pte_t e;
	CHECK(mapped(child, BASE, &e) == p && pte_write(e)); /* shared: no copy on write */
	CHECK_EQ(page_mapcount(p), 2);
	CHECK_EQ(handle_mm_fault(child, BASE, FAULT_FLAG_WRITE), 0);
	CHECK(mapped(child, BASE, NULL) == p);
	CHECK_EQ(do_madvise_dontneed(child, BASE, PAGE_SIZE), -EINVAL);
	drop_mm(child);
	CHECK_EQ(page_mapcount(p), 1);
	drop_mm(parent);
}
