/* test_buddy.c - hosted tests of the buddy allocator proper: the state of an
 * allocated block, splitting and merging, __GFP_ZERO, the by-address API,
 * and every misuse of __free_pages reported and refused. */
#include <stdlib.h>
#include "highmem.h"
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"

/* One free order-10 block at 0x400 (DMA), nothing else. */
static const struct sim_range one_ram[] = { { 0, 0x800 } };
static const struct sim_range one_rsv[] = { { 0, 0x400 } };
static const struct sim_layout one_block = { "one-block", 0x800, 0x800, one_ram, 1, one_rsv, 1 };

static unsigned long nr_free(int zone, int order) { return zones[zone].free_area[order].nr_free; }

HTEST(alloc_block_state_every_order)
{
	sim_boot(&sim_holes);
	sim_page_ext_on(); /* page_owner=on: the callers are recorded */
	for (unsigned o = 0; o < MAX_ORDER; o++) {
		unsigned long before = zones[ZONE_NORMAL].free_pages;
		struct page *p = alloc_pages(GFP_KERNEL, o);
		CHECK(p != NULL);
		if (!p)
			continue;
		unsigned long pfn = page_to_pfn(p);
		CHECK_EQ(pfn & ((1UL << o) - 1), 0);
		CHECK_EQ(page_zonenum(p), ZONE_NORMAL);
		CHECK_EQ(zones[ZONE_NORMAL].free_pages, before - (1UL << o));
		CHECK(PageHead(p) && !PageTail(p) && !PageBuddy(p) && !PagePcp(p) && !PageReserved(p));
		CHECK_EQ(p->private, o);
		CHECK_EQ(page_count(p), 1);
		CHECK_EQ(page_mapcount(p), 0);
		/* the caller recorded is this function */
		CHECK((uintptr_t)page_ext_caller(p) - (uintptr_t)alloc_block_state_every_order < 0x2000);
		unsigned long bad = 0;
		for (unsigned long i = 1; i < (1UL << o); i++)
			bad += !PageTail(p + i) || PageHead(p + i) || PageBuddy(p + i) ||
			       page_count(p + i) != 0;
		CHECK_EQ(bad, 0);
		__free_pages(p, o);
		CHECK_EQ(zones[ZONE_NORMAL].free_pages, before);
		CHECK(!PageHead(p) && !PageTail(p + (o ? 1 : 0)));
	}
	CHECK_EQ(check_free_areas(), 0);
}

/* Taking order 3 from a lone order-10 block leaves one block of each order
 * 3..9: the upper halves, at 0x408, 0x410, ..., 0x600. */
HTEST(alloc_splits_upper_halves)
{
	sim_boot(&one_block);
	CHECK_EQ(nr_free(ZONE_DMA, 10), 1);
	struct page *p = alloc_pages(GFP_DMA, 3);
	CHECK_EQ(page_to_pfn(p), 0x400);
	CHECK_EQ(nr_free(ZONE_DMA, 10), 0);
	for (unsigned o = 3; o < 10; o++) {
		CHECK_EQ(nr_free(ZONE_DMA, o), 1);
		struct page *half = pfn_to_page(0x400 + (1UL << o));
		CHECK(PageBuddy(half));
		CHECK_EQ(half->private, o);
	}
	for (unsigned o = 0; o < 3; o++)
		CHECK_EQ(nr_free(ZONE_DMA, o), 0);
	CHECK_EQ(check_free_areas(), 0);
	__free_pages(p, 3);
	drain_all_pages(); /* the block waits on this CPU's order-3 list first */
	CHECK_EQ(nr_free(ZONE_DMA, 10), 1);
	for (unsigned o = 0; o < 10; o++)
		CHECK_EQ(nr_free(ZONE_DMA, o), 0);
	CHECK(PageBuddy(pfn_to_page(0x400)));
	CHECK(!PageBuddy(pfn_to_page(0x600)));
	CHECK_EQ(check_free_areas(), 0);
}

/* Allocate blocks of every order until the zones give no more, free them in
 * a random order: every block merges back, the free lists are as at boot. */
static void split_merge_round(const struct sim_layout *l, unsigned long seed)
{
	enum { MAXB = 20000 };
	static struct page *blocks[MAXB];
	static unsigned orders[MAXB];
	struct sim_snapshot boot, now;
	size_t n = 0;

	sim_boot(l);
	sim_snapshot(&boot);
	/* until a whole pass gets nothing: every zone down to its floor */
	for (unsigned pass = 0, got = 1; got && n < MAXB; pass++) {
		got = 0;
		for (unsigned o = 0; o < MAX_ORDER && n < MAXB; o++) {
			gfp_t gfp = (pass & 1 ? GFP_HIGHUSER : GFP_ATOMIC) | __GFP_NOWARN;
			unsigned order = (o + pass) % MAX_ORDER;
			struct page *p = alloc_pages(gfp, order);
			if (p) {
				blocks[n] = p;
				orders[n++] = order;
				got++;
			}
		}
	}
	CHECK(n > 20);
	CHECK(nr_free_pages() < totalram_pages() / 8);
	CHECK_EQ(check_free_areas(), 0);
	for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
		size_t j = sim_rand(&seed) % i;
		struct page *tp = blocks[i - 1];
		unsigned to = orders[i - 1];
		blocks[i - 1] = blocks[j];
		orders[i - 1] = orders[j];
		blocks[j] = tp;
		orders[j] = to;
	}
	for (size_t i = 0; i < n; i++)
		__free_pages(blocks[i], orders[i]);
	drain_all_pages();
	sim_snapshot(&now);
	CHECK(sim_snapshot_equal(&boot, &now));
	CHECK_EQ(check_free_areas(), 0);
}

HTEST(split_merge_random_order)
{
	split_merge_round(&sim_tiny, 1);
	split_merge_round(&sim_holes, 2);
	split_merge_round(&sim_holes, 3);
}

HTEST(alloc_order_too_large)
{
	sim_boot(&sim_tiny);
	htest_log_clear();
	CHECK(alloc_pages(GFP_KERNEL, MAX_ORDER) == NULL);
	CHECK(htest_log_contains("order 11 is too large"));
	htest_log_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 40) == NULL);
	CHECK_EQ(strlen(htest_log()), 0);
	CHECK_EQ(check_free_areas(), 0);
}

/* ---- __GFP_ZERO ---- */

static void dirty_frames(unsigned long start, unsigned long end)
{
	for (unsigned long pfn = start; pfn < end; pfn++)
		memset(sim_frame(pfn), 0xab, PAGE_SIZE);
}

static bool frames_zero(const struct page *p, unsigned order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		const unsigned char *b = sim_frame(page_to_pfn(p) + i);
		for (size_t k = 0; k < PAGE_SIZE; k++)
			if (b[k])
				return false;
	}
	return true;
}

HTEST(gfp_zero_lowmem)
{
	sim_boot(&sim_tiny);
	dirty_frames(0, max_pfn);
	struct page *dirty = alloc_pages(GFP_KERNEL, 0);
	CHECK_EQ(*(unsigned char *)page_address(dirty), 0xab); /* not zeroed unasked */
	unsigned long slots = kmap_atomic_count();
	struct page *p0 = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	struct page *p3 = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	CHECK(p0 && p3);
	CHECK(frames_zero(p0, 0));
	CHECK(frames_zero(p3, 3));
	CHECK_EQ(kmap_atomic_count(), slots); /* lowmem: through the direct map */
	__free_pages(dirty, 0);
	__free_pages(p0, 0);
	__free_pages(p3, 3);
	CHECK_EQ(check_free_areas(), 0);

	/* 2 GB (batch 63): the zeroing page comes off the per-CPU list */
	sim_boot(&sim_2g);
	struct page *first = alloc_pages(GFP_KERNEL, 0);
	CHECK_EQ(zones[ZONE_NORMAL].pcp[0].count, 62);
	struct page *next = list_first_entry(&zones[ZONE_NORMAL].pcp[0].lists[0], struct page, lru);
	memset(sim_frame(page_to_pfn(next)), 0xab, PAGE_SIZE);
	struct page *z = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	CHECK(z == next);
	CHECK(frames_zero(z, 0));
	__free_pages(z, 0);
	__free_pages(first, 0);
}

HTEST(gfp_zero_highmem)
{
	sim_boot(&sim_holes);
	dirty_frames(max_low_pfn, max_pfn);
	struct page *dirty = alloc_pages(GFP_HIGHUSER, 0);
	CHECK(PageHighMem(dirty));
	CHECK_EQ(*(unsigned char *)sim_frame(page_to_pfn(dirty)), 0xab);
	unsigned long slots = kmap_atomic_count();
	struct page *p0 = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 0);
	CHECK_EQ(kmap_atomic_count(), slots + 1);
	struct page *p2 = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 2);
	CHECK_EQ(kmap_atomic_count(), slots + 5); /* one temporary mapping per page */
	CHECK(PageHighMem(p0) && PageHighMem(p2));
	CHECK(frames_zero(p0, 0));
	CHECK(frames_zero(p2, 2));
	CHECK_EQ(kmap_atomic_depth(), 0);
	__free_pages(dirty, 0);
	__free_pages(p0, 0);
	__free_pages(p2, 2);
	CHECK_EQ(check_free_areas(), 0);
}

/* ---- by address ---- */

HTEST(get_free_pages_by_address)
{
	struct sim_snapshot a, b;

	sim_boot(&sim_tiny);
	sim_page_ext_on(); /* page_owner=on: the callers are recorded */
	dirty_frames(0, max_pfn);
	sim_snapshot(&a);
	unsigned long addr = get_zeroed_page(GFP_KERNEL);
	CHECK(addr != 0);
	CHECK_EQ(addr & (PAGE_SIZE - 1), 0);
	struct page *p = virt_to_page((void *)addr);
	CHECK(frames_zero(p, 0));
	CHECK_EQ(page_count(p), 1);
	CHECK((uintptr_t)page_ext_caller(p) - (uintptr_t)get_free_pages_by_address < 0x2000);
	free_page(addr);
	CHECK_EQ(page_count(p), 0);

	addr = __get_free_pages(GFP_KERNEL, 2);
	p = virt_to_page((void *)addr);
	CHECK(PageHead(p));
	CHECK_EQ(p->private, 2);
	CHECK_EQ(page_address(p), (void *)addr);
	free_pages(addr, 2);
	drain_all_pages();
	sim_snapshot(&b);
	CHECK(sim_snapshot_equal(&a, &b));

	htest_log_clear();
	CHECK_EQ(__get_free_pages(GFP_HIGHUSER, 0), 0);
	CHECK(htest_log_contains("__GFP_HIGHMEM refused"));
	free_pages(0, 0); /* a no-op, as in Linux */

	addr = __get_free_page(GFP_KERNEL);
	sim_snapshot(&a);
	htest_log_clear();
	free_pages(addr + 8, 0);
	CHECK(htest_log_contains("not the address of a lowmem page"));
	int local;
	free_pages((unsigned long)&local, 0);
	free_pages((unsigned long)sim_frame(max_low_pfn), 0); /* beyond lowmem */
	sim_snapshot(&b);
	CHECK(sim_snapshot_equal(&a, &b));
	CHECK_EQ(page_count(virt_to_page((void *)addr)), 1);
	free_page(addr);
	CHECK_EQ(check_free_areas(), 0);
}

/* alloc_pages_bulk_list: nr pages, each in the state alloc_page gives
 * (order-0 head, one reference, off every free list), on the list in
 * order, counted once; the per-CPU list is refilled as it runs dry; a
 * request the zone cannot cover above its watermark gets what single
 * allocations can give, and the lists are consistent afterwards. */
HTEST(alloc_pages_bulk_list_state)
{
	struct list_head list;

	sim_boot(&sim_holes);
	unsigned long before = nr_free_pages();
	INIT_LIST_HEAD(&list);
	CHECK_EQ(alloc_pages_bulk_list(GFP_KERNEL, 300, &list), 300); /* > one batch */
	CHECK_EQ(nr_free_pages(), before - 300);
	unsigned long n = 0, bad = 0;
	struct list_head *l = list.next;
	while (l != &list) {
		struct page *p = list_entry(l, struct page, lru);
		l = l->next;
		bad += !PageHead(p) || PagePcp(p) || PageBuddy(p) || p->private != 0 ||
		       page_count(p) != 1 || page_zonenum(p) != ZONE_NORMAL;
		n++;
		__free_page(p);
	}
	CHECK_EQ(n, 300);
	CHECK_EQ(bad, 0);
	CHECK_EQ(nr_free_pages(), before);
	CHECK_EQ(check_free_areas(), 0);
	/* more than the zones hold: what the single path could give, no more */
	INIT_LIST_HEAD(&list);
	unsigned long got = alloc_pages_bulk_list(GFP_KERNEL, before + 10, &list);
	CHECK(got > 0 && got < before);
	while (!list_empty(&list)) {
		struct page *p = list_first_entry(&list, struct page, lru);
		list_del(&p->lru);
		__free_page(p);
	}
	CHECK_EQ(nr_free_pages(), before);
	CHECK_EQ(check_free_areas(), 0);
}
