/* test_lru.c - the LRU lists (mm/swap.c) on the simulated machine: a
 * faulted anonymous page goes on its zone's inactive anon list (once its
 * CPU's add batch is drained: test_lru_batch.c tests the batches), two
 * uses promote it, isolation takes it off with a reference of its own,
 * and a page freed while on a list (or while isolated) comes off it: the
 * counts (zone nr[], the node states) return to where they started. */
#include "gfp.h"
#include "htest.h"
#include "mm_inline.h"
#include "mm_types.h"
#include "rmap.h"
#include "sim_mm.h"
#include "vmstat.h"

#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

/* The page mapped at addr of mm (present PTE), or NULL. */
static unsigned long lru_total(enum lru_list l)
{
	unsigned long n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		n += zone_lru_pages(&zones[z], l);
	return n;
}

HTEST(lru_fault_puts_page_on_inactive_anon_and_free_takes_it_off)
{
	struct mm_struct *mm = sim_boot_mm();
	unsigned long node0 = global_node_page_state(NR_INACTIVE_ANON);

	CHECK_EQ(do_mmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(mm, BASE, 0), 0); /* the zero page: on no list */
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	lru_add_drain();
	struct page *p = sim_page_at(mm, BASE);
	CHECK(p && PageLRU(p) && !PageActive(p) && PageSwapBacked(p) && PageAnon(p));
	CHECK_EQ(p->index, BASE >> PAGE_SHIFT);
	/* user pages come from HighMem on the 2 GB machine: that zone's list */
	CHECK_EQ(zone_lru_pages(&zones[ZONE_HIGHMEM], LRU_INACTIVE_ANON), 4);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 4);
	CHECK_EQ(global_node_page_state(NR_INACTIVE_ANON), node0 + 4);
	CHECK_EQ(page_count(p), 1); /* the list holds no reference */
	CHECK_EQ(do_munmap(mm, BASE, 4 * PAGE_SIZE), 0);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
	CHECK_EQ(global_node_page_state(NR_INACTIVE_ANON), node0);
	CHECK(!PageLRU(p) && !PageSwapBacked(p) && p->mapping == NULL);
	CHECK_EQ(page_count(p), 0); /* back with the allocator */
	drain_all_pages();
	CHECK_EQ(check_free_areas(), 0);
	exit_mmap(mm);
	mmput(mm);
}

HTEST(lru_mark_page_accessed_promotes_on_the_second_use)
{
	struct mm_struct *mm = sim_boot_mm();
	unsigned long act0 = global_vm_event(PGACTIVATE);

	CHECK_EQ(do_mmap(mm, BASE, PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0);
	lru_add_drain();
	struct page *p = sim_page_at(mm, BASE);
	mark_page_accessed(p);
	CHECK(PageReferenced(p) && !PageActive(p));
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 1);
	mark_page_accessed(p);
	CHECK(!PageReferenced(p) && PageActive(p));
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
	CHECK_EQ(lru_total(LRU_ACTIVE_ANON), 1);
	CHECK_EQ(global_vm_event(PGACTIVATE), act0 + 1);
	activate_page(p); /* already active: nothing moves, nothing counted */
	CHECK_EQ(global_vm_event(PGACTIVATE), act0 + 1);
	exit_mmap(mm);
	CHECK_EQ(lru_total(LRU_ACTIVE_ANON), 0);
	CHECK(!PageActive(p) && !PageReferenced(p)); /* a free page carries no LRU state */
	mmput(mm);
}

HTEST(lru_isolated_page_freed_by_its_owner_goes_when_put_back)
{
	struct mm_struct *mm = sim_boot_mm();
	unsigned long free0;

	CHECK_EQ(do_mmap(mm, BASE, 2 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	CHECK_EQ(handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0);
	CHECK_EQ(handle_mm_fault(mm, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	lru_add_drain();
	struct page *p = sim_page_at(mm, BASE);
	CHECK(isolate_lru_page(p));
	CHECK(!PageLRU(p));
	CHECK_EQ(page_count(p), 2); /* the isolation's reference */
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 1);
	CHECK(!isolate_lru_page(p)); /* on no list now */
	drain_all_pages();
	free0 = nr_free_pages();
	/* the owner unmaps it meanwhile: not freed, reclaim still holds it */
	CHECK_EQ(do_munmap(mm, BASE, PAGE_SIZE), 0);
	CHECK_EQ(page_count(p), 1);
	CHECK(PageAnon(p));
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), free0);
	/* put back: the last reference goes, and with it the page leaves the list */
	putback_lru_page(p);
	CHECK(!PageLRU(p));
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 1);
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), free0 + 1);
	CHECK_EQ(check_free_areas(), 0);
	/* a page being freed (count 0) is never isolated */
	struct page *q = sim_page_at(mm, BASE + PAGE_SIZE);
	q->_refcount = 0;
	CHECK(!isolate_lru_page(q));
	CHECK(PageLRU(q));
	q->_refcount = 1;
	exit_mmap(mm);
	mmput(mm);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
}
