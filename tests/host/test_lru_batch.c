/* test_lru_batch.c - the per-CPU LRU add batches and batched freeing
 * (mm/swap.c, include/mm_inline.h) on the simulated machine: a new page
 * waits in its CPU's batch, off every list and with the batch's reference,
 * until the batch is full or drained; lru_add_drain_all drains the other
 * CPUs' batches too; a page unmapped while it waits is freed at the drain;
 * release_pages over pages of two zones, some still used, frees exactly
 * the unused ones and leaves every count (zone lists, node states, free
 * pages) where put_page one at a time would. Reclaim's own drain is in
 * test_swapout.c (swapout_direct_reclaim_drains_other_cpus_batches). */
#include "gfp.h"
#include "htest.h"
#include "mm_inline.h"
#include "mm_types.h"
#include "pagemap.h"
#include "rmap.h"
#include "sim_mm.h"
#include "vmstat.h"

#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static unsigned long lru_total(enum lru_list l)
{
	unsigned long n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		n += zone_lru_pages(&zones[z], l);
	return n;
}

/* Fault n pages of mm in from BASE + first pages on, writing. */
static void fault_pages(struct mm_struct *mm, unsigned first, unsigned n)
{
	for (unsigned i = first; i < first + n; i++)
		CHECK_EQ(handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
}

HTEST(lru_batch_page_waits_off_the_lists_until_drained)
{
	struct mm_struct *mm = sim_boot_mm();
	unsigned long node0 = global_node_page_state(NR_INACTIVE_ANON);

	CHECK_EQ(do_mmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	fault_pages(mm, 0, 4);
	CHECK_EQ(lru_add_batch_count(0), 4);
	struct page *p = sim_page_at(mm, BASE);
	CHECK(p && !PageLRU(p) && PageAnon(p) && PageSwapBacked(p));
	CHECK_EQ(page_count(p), 2); /* the mapping's and the batch's */
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
	CHECK_EQ(global_node_page_state(NR_INACTIVE_ANON), node0);
	CHECK(!isolate_lru_page(p)); /* reclaim cannot take it yet */
	lru_add_drain();
	CHECK_EQ(lru_add_batch_count(0), 0);
	CHECK(PageLRU(p) && !PageActive(p));
	CHECK_EQ(page_count(p), 1);
	CHECK_EQ(zone_lru_pages(&zones[ZONE_HIGHMEM], LRU_INACTIVE_ANON), 4);
	CHECK_EQ(global_node_page_state(NR_INACTIVE_ANON), node0 + 4);
	lru_add_drain(); /* an empty batch: nothing changes */
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 4);
	exit_mmap(mm);
	mmput(mm);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
}

HTEST(lru_batch_goes_on_the_lists_when_full)
{
	struct mm_struct *mm = sim_boot_mm();

	CHECK_EQ(do_mmap(mm, BASE, 2 * PAGEVEC_SIZE * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	fault_pages(mm, 0, PAGEVEC_SIZE - 1);
	CHECK_EQ(lru_add_batch_count(0), PAGEVEC_SIZE - 1);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
	fault_pages(mm, PAGEVEC_SIZE - 1, 1); /* the 15th: the whole batch goes */
	CHECK_EQ(lru_add_batch_count(0), 0);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), PAGEVEC_SIZE);
	for (unsigned i = 0; i < PAGEVEC_SIZE; i++) {
		struct page *p = sim_page_at(mm, BASE + i * PAGE_SIZE);
		CHECK(PageLRU(p));
		CHECK_EQ(page_count(p), 1);
	}
	fault_pages(mm, PAGEVEC_SIZE, 3);
	CHECK_EQ(lru_add_batch_count(0), 3);
	exit_mmap(mm);
	mmput(mm);
	lru_add_drain();
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
}

HTEST(lru_add_drain_all_drains_every_cpus_batch)
{
	struct mm_struct *mm = sim_boot_mm();

	CHECK_EQ(do_mmap(mm, BASE, 8 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	host_cpu_id = 1;
	fault_pages(mm, 0, 3);
	host_cpu_id = 3;
	fault_pages(mm, 3, 2);
	host_cpu_id = 0;
	fault_pages(mm, 5, 1);
	CHECK_EQ(lru_add_batch_count(1), 3);
	CHECK_EQ(lru_add_batch_count(3), 2);
	lru_add_drain(); /* this CPU's only */
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 1);
	CHECK_EQ(lru_add_batch_count(1), 3);
	lru_add_drain_cpu(3); /* one other CPU's, from here */
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 3);
	CHECK_EQ(lru_add_batch_count(3), 0);
	host_cpu_id = 1;
	fault_pages(mm, 6, 2);
	host_cpu_id = 0;
	lru_add_drain_all();
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		CHECK_EQ(lru_add_batch_count(cpu), 0);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 8);
	for (unsigned i = 0; i < 8; i++) {
		struct page *p = sim_page_at(mm, BASE + i * PAGE_SIZE);
		CHECK(PageLRU(p));
		CHECK_EQ(page_count(p), 1);
	}
	exit_mmap(mm);
	mmput(mm);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
}

HTEST(lru_batch_page_unmapped_while_waiting_is_freed_at_the_drain)
{
	struct mm_struct *mm = sim_boot_mm();
	long av0 = nr_anon_vmas;

	CHECK_EQ(do_mmap(mm, BASE, 3 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	fault_pages(mm, 0, 3);
	struct page *p = sim_page_at(mm, BASE);
	drain_all_pages();
	unsigned long free0 = nr_free_pages();
	CHECK_EQ(do_munmap(mm, BASE, 3 * PAGE_SIZE), 0);
	/* the batch holds the last reference: still allocated, still anonymous */
	CHECK_EQ(page_count(p), 1);
	CHECK(PageAnon(p) && !PageLRU(p));
	CHECK_EQ(nr_anon_vmas, av0 + 1);
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), free0);
	lru_add_drain();
	CHECK_EQ(page_count(p), 0);
	CHECK(!PageLRU(p) && !PageSwapBacked(p) && p->mapping == NULL);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), 0);
	CHECK_EQ(nr_anon_vmas, av0);
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), free0 + 3);
	CHECK_EQ(check_free_areas(), 0);
	exit_mmap(mm);
	mmput(mm);
}

/* An anonymous-like page, not mapped, added to the LRU (in this CPU's
 * batch until a drain); the allocation's reference is the caller's. */
static struct page *lru_page_from(gfp_t gfp)
{
	struct page *p = alloc_page(gfp);

	CHECK(p != NULL);
	set_page_bit(p, PG_swapbacked);
	lru_cache_add(p);
	return p;
}

HTEST(release_pages_of_two_zones_keeps_every_count)
{
	sim_boot_mm();
	enum { N = 12 };
	struct page *pages[N];
	unsigned long high0 = zone_lru_pages(&zones[ZONE_HIGHMEM], LRU_INACTIVE_ANON);
	unsigned long norm0 = zone_lru_pages(&zones[ZONE_NORMAL], LRU_INACTIVE_ANON);
	unsigned long node0 = global_node_page_state(NR_INACTIVE_ANON);

	/* runs of HighMem and Normal pages, and one page with no LRU state */
	static const char zone_of[N] = "HHHNNHNNNHxH";
	for (int i = 0; i < N; i++) {
		if (zone_of[i] == 'x') {
			pages[i] = alloc_page(GFP_KERNEL);
			CHECK(pages[i] != NULL);
			continue;
		}
		pages[i] = lru_page_from(zone_of[i] == 'H' ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL);
	}
	lru_add_drain();
	CHECK_EQ(zone_lru_pages(&zones[ZONE_HIGHMEM], LRU_INACTIVE_ANON), high0 + 6);
	CHECK_EQ(zone_lru_pages(&zones[ZONE_NORMAL], LRU_INACTIVE_ANON), norm0 + 5);
	for (int i = 0; i < N; i++)
		CHECK(zone_of[i] == 'x' || (PageLRU(pages[i]) && page_count(pages[i]) == 1));
	/* two of them are still used by someone else: they stay */
	get_page(pages[1]);
	get_page(pages[4]);
	drain_all_pages();
	unsigned long free0 = nr_free_pages();
	release_pages(pages, N);
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), free0 + N - 2);
	CHECK_EQ(zone_lru_pages(&zones[ZONE_HIGHMEM], LRU_INACTIVE_ANON), high0 + 1);
	CHECK_EQ(zone_lru_pages(&zones[ZONE_NORMAL], LRU_INACTIVE_ANON), norm0 + 1);
	CHECK_EQ(global_node_page_state(NR_INACTIVE_ANON), node0 + 2);
	CHECK(PageLRU(pages[1]) && PageLRU(pages[4]));
	CHECK_EQ(page_count(pages[1]), 1);
	CHECK_EQ(page_count(pages[0]), 0);
	CHECK(!PageLRU(pages[0]) && !PageSwapBacked(pages[0]));
	CHECK_EQ(check_free_areas(), 0);
	/* the single put_page still works: off the list, freed */
	put_page(pages[1]);
	put_page(pages[4]);
	CHECK_EQ(global_node_page_state(NR_INACTIVE_ANON), node0);
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), free0 + N);
	CHECK_EQ(check_free_areas(), 0);
}

HTEST(lru_munmap_of_many_pages_gives_every_count_back)
{
	struct mm_struct *mm = sim_boot_mm();
	enum { N = 3 * PAGEVEC_SIZE + 4 };
	unsigned long node0 = global_node_page_state(NR_INACTIVE_ANON);
	long mapped0 = nr_anon_mapped;

	CHECK_EQ(do_mmap(mm, BASE, N * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	fault_pages(mm, 0, N);
	lru_add_drain();
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON), N);
	/* some were used since: on the active list, freed all the same */
	for (unsigned i = 0; i < N; i += 7) {
		mark_page_accessed(sim_page_at(mm, BASE + i * PAGE_SIZE));
		mark_page_accessed(sim_page_at(mm, BASE + i * PAGE_SIZE));
	}
	CHECK_EQ(lru_total(LRU_ACTIVE_ANON), (N + 6) / 7);
	drain_all_pages();
	unsigned long free0 = nr_free_pages();
	CHECK_EQ(do_munmap(mm, BASE, N * PAGE_SIZE), 0);
	CHECK_EQ(lru_total(LRU_INACTIVE_ANON) + lru_total(LRU_ACTIVE_ANON), 0);
	CHECK_EQ(global_node_page_state(NR_INACTIVE_ANON), node0);
	CHECK_EQ(nr_anon_mapped, mapped0);
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), free0 + N); /* every page; the PTE page stays with the mm */
	CHECK_EQ(check_free_areas(), 0);
	exit_mmap(mm);
	mmput(mm);
}

/* Reclaim's put back of a list: each page back on the list its flags say
 * (one lock per run), the isolation's reference dropped; a page its owner
 * unmapped while it was isolated is freed there. */
HTEST(lru_putback_list_of_two_zones_frees_the_unmapped)
{
	struct mm_struct *mm = sim_boot_mm();
	struct list_head isolated = LIST_HEAD_INIT(isolated);
	struct page *normal[3];

	CHECK_EQ(do_mmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
	fault_pages(mm, 0, 4);
	for (int i = 0; i < 3; i++)
		normal[i] = lru_page_from(GFP_KERNEL);
	lru_add_drain();
	unsigned long high0 = zone_lru_pages(&zones[ZONE_HIGHMEM], LRU_INACTIVE_ANON);
	unsigned long norm0 = zone_lru_pages(&zones[ZONE_NORMAL], LRU_INACTIVE_ANON);
	for (int i = 0; i < 4; i++) {
		struct page *p = sim_page_at(mm, BASE + i * PAGE_SIZE);
		CHECK(isolate_lru_page(p));
		list_add_tail(&p->lru, &isolated);
		if (i < 3) {
			CHECK(isolate_lru_page(normal[i]));
			list_add_tail(&normal[i]->lru, &isolated);
		}
	}
	set_page_bit(normal[1], PG_active); /* reclaim activated it */
	CHECK_EQ(zone_lru_pages(&zones[ZONE_HIGHMEM], LRU_INACTIVE_ANON), high0 - 4);
	CHECK_EQ(zone_lru_pages(&zones[ZONE_NORMAL], LRU_INACTIVE_ANON), norm0 - 3);
	struct page *gone = sim_page_at(mm, BASE + 3 * PAGE_SIZE);
	CHECK_EQ(do_munmap(mm, BASE + 3 * PAGE_SIZE, PAGE_SIZE), 0); /* meanwhile */
	CHECK_EQ(page_count(gone), 1);
	drain_all_pages();
	unsigned long free0 = nr_free_pages();
	putback_lru_pages(&isolated);
	CHECK(list_empty(&isolated));
	CHECK_EQ(zone_lru_pages(&zones[ZONE_HIGHMEM], LRU_INACTIVE_ANON), high0 - 1);
	CHECK_EQ(zone_lru_pages(&zones[ZONE_NORMAL], LRU_INACTIVE_ANON), norm0 - 1);
	CHECK_EQ(zone_lru_pages(&zones[ZONE_NORMAL], LRU_ACTIVE_ANON), 1);
	CHECK(PageLRU(normal[0]) && PageActive(normal[1]));
	CHECK_EQ(page_count(normal[0]), 1);
	CHECK_EQ(page_count(gone), 0);
	CHECK(!PageLRU(gone));
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), free0 + 1);
	for (int i = 0; i < 3; i++)
		put_page(normal[i]);
	CHECK_EQ(zone_lru_pages(&zones[ZONE_NORMAL], LRU_INACTIVE_ANON) +
		 zone_lru_pages(&zones[ZONE_NORMAL], LRU_ACTIVE_ANON), norm0 - 3);
	exit_mmap(mm);
	mmput(mm);
	CHECK_EQ(check_free_areas(), 0);
}
