/* test_pcp.c - hosted tests of the per-CPU page lists: refill by batch,
 * drain at high, one list per CPU, drain_all_pages. */
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"

static struct per_cpu_pages *pcp(int zone, unsigned cpu) { return &zones[zone].pcp[cpu]; }

/* 2 GB: Normal's batch is 63 and high 1168 (its low watermark: one CPU). */
HTEST(pcp_refill_takes_a_batch)
{
	sim_boot(&sim_2g);
	struct zone *z = &zones[ZONE_NORMAL];
	unsigned long free0 = z->free_pages, buddy0 = 0;
	for (int o = 0; o < MAX_ORDER; o++)
		buddy0 += z->free_area[o].nr_free << o;
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 0);

	struct page *p = alloc_pages(GFP_KERNEL, 0);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 62); /* 63 moved, one handed out */
	CHECK_EQ(z->free_pages, free0 - 1);       /* per-CPU pages still count as free */
	unsigned long buddy = 0;
	for (int o = 0; o < MAX_ORDER; o++)
		buddy += z->free_area[o].nr_free << o;
	CHECK_EQ(buddy, buddy0 - 63);
	/* the batch is in ascending pfn order, p first */
	struct page *next = list_first_entry(&pcp(ZONE_NORMAL, 0)->lists[0], struct page, lru);
	CHECK_EQ(page_to_pfn(next), page_to_pfn(p) + 1);
	CHECK(PagePcp(next) && !PagePcp(p));
	CHECK_EQ(check_free_areas(), 0);

	/* the next 62 come from the list without touching the buddy lists */
	struct page *more[62];
	for (int i = 0; i < 62; i++)
		more[i] = alloc_pages(GFP_KERNEL, 0);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 0);
	buddy = 0;
	for (int o = 0; o < MAX_ORDER; o++)
		buddy += z->free_area[o].nr_free << o;
	CHECK_EQ(buddy, buddy0 - 63);
	/* a free goes to the list, hot end first */
	__free_pages(more[5], 0);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 1);
	CHECK(alloc_pages(GFP_KERNEL, 0) == more[5]);
	__free_pages(more[5], 0);
	for (int i = 0; i < 62; i++)
		if (i != 5)
			__free_pages(more[i], 0);
	__free_pages(p, 0);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 63);
	CHECK_EQ(z->free_pages, free0);
	CHECK_EQ(check_free_areas(), 0);
}

/* Reaching high (1168) gives the batch (63) coldest pages back. */
HTEST(pcp_drains_batch_at_high)
{
	enum { N = 1300 };
	static struct page *pages[N];

	sim_boot(&sim_2g);
	struct zone *z = &zones[ZONE_NORMAL];
	int high = pcp(ZONE_NORMAL, 0)->high;
	CHECK_EQ(high, 1168);
	for (int i = 0; i < N; i++)
		pages[i] = alloc_pages(GFP_KERNEL, 0);
	int start = pcp(ZONE_NORMAL, 0)->count;
	CHECK(start < 63);
	int i = 0;
	while (pcp(ZONE_NORMAL, 0)->count < high - 1)
		__free_pages(pages[i++], 0);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, high - 1);
	__free_pages(pages[i++], 0); /* count = high: drain 63 */
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, high - 63);
	/* the drained ones are the coldest: the `start` pages left from the
	 * last refill, then the first ones freed */
	CHECK(!PagePcp(pages[0]));
	CHECK(!PagePcp(pages[63 - start - 1]));
	CHECK(PagePcp(pages[63 - start]));
	CHECK(PagePcp(pages[i - 1]));
	CHECK_EQ(check_free_areas(), 0);
	while (i < N)
		__free_pages(pages[i++], 0);
	CHECK(pcp(ZONE_NORMAL, 0)->count < high);
	drain_all_pages();
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 0);
	CHECK_EQ(z->free_pages, z->managed_pages);
	CHECK_EQ(check_free_areas(), 0);
}

/* high is the zone's low watermark split among the CPUs, at least 4
 * batches (Linux 6.1's zone_highsize): zone_pcp_update gives each CPU its
 * share once the others are up. 2 GB: Normal low 1168, HighMem low 439. */
HTEST(pcp_high_is_low_watermark_per_cpu)
{
	sim_boot(&sim_2g);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->high, 1168);
	CHECK_EQ(pcp(ZONE_HIGHMEM, 3)->high, 439);
	zone_pcp_update(4);
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		CHECK_EQ(pcp(ZONE_NORMAL, cpu)->high, 1168 / 4);
		CHECK_EQ(pcp(ZONE_HIGHMEM, cpu)->high, 4 * 63); /* 439 / 4 is below 4 batches */
		CHECK_EQ(pcp(ZONE_NORMAL, cpu)->batch, 63);
	}
	/* a list already longer than its new high gives a batch back at each
	 * free until it is below it */
	zone_pcp_update(1);
	struct page *p[300];
	for (int i = 0; i < 300; i++)
		p[i] = alloc_pages(GFP_KERNEL, 0);
	for (int i = 0; i < 300; i++)
		__free_pages(p[i], 0);
	int count = pcp(ZONE_NORMAL, 0)->count;
	CHECK(count >= 300 && count < 1168);
	zone_pcp_update(4);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, count); /* nothing moves until a free */
	p[0] = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p[0], 0);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, count - 63);
	drain_all_pages();
	zone_pcp_update(8);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->high, 4 * 63); /* 1168 / 8 = 146 */
	zone_pcp_update(0); /* no CPU count: as one */
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->high, 1168);
	zone_pcp_update(1); /* as at boot, for the tests after this one */
	CHECK_EQ(check_free_areas(), 0);
}

/* Each CPU has its own list; frees go to the freeing CPU's list. */
HTEST(pcp_two_cpus)
{
	struct sim_snapshot boot, now;

	sim_boot(&sim_2g);
	sim_snapshot(&boot);
	host_cpu_id = 0;
	struct page *a = alloc_pages(GFP_KERNEL, 0);
	host_cpu_id = 1;
	struct page *b = alloc_pages(GFP_KERNEL, 0);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 62);
	CHECK_EQ(pcp(ZONE_NORMAL, 1)->count, 62);
	CHECK(a != b);
	CHECK_EQ(page_to_pfn(b), page_to_pfn(a) + 63); /* CPU 1 refilled after CPU 0 */
	__free_pages(a, 0); /* freed on CPU 1: goes to CPU 1's list */
	CHECK_EQ(pcp(ZONE_NORMAL, 1)->count, 63);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 62);
	CHECK(alloc_pages(GFP_KERNEL, 0) == a); /* and CPU 1 gets it back first */
	__free_pages(a, 0);
	host_cpu_id = 0;
	__free_pages(b, 0);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 63);
	CHECK_EQ(check_free_areas(), 0);
	/* HighMem and DMA lists are separate too */
	host_cpu_id = 3;
	struct page *h = alloc_pages(GFP_HIGHUSER, 0);
	struct page *d = alloc_pages(GFP_DMA, 0);
	CHECK_EQ(page_zonenum(h), ZONE_HIGHMEM);
	CHECK_EQ(page_zonenum(d), ZONE_DMA);
	CHECK_EQ(pcp(ZONE_HIGHMEM, 3)->count, 62);
	CHECK_EQ(pcp(ZONE_DMA, 3)->count, 0); /* DMA's batch is 1 */
	__free_pages(h, 0);
	__free_pages(d, 0);
	CHECK_EQ(check_free_areas(), 0);
	host_cpu_id = 0;
	drain_all_pages();
	for (int zi = 0; zi < MAX_NR_ZONES; zi++)
		for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
			CHECK_EQ(pcp(zi, cpu)->count, 0);
	sim_snapshot(&now);
	CHECK(sim_snapshot_equal(&boot, &now));
	CHECK_EQ(check_free_areas(), 0);
}

/* The per-CPU path runs with interrupts off and leaves them as it found them. */
HTEST(pcp_restores_interrupt_state)
{
	sim_boot(&sim_2g);
	host_irqs_off = false;
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	CHECK(!host_irqs_off);
	__free_pages(p, 0);
	CHECK(!host_irqs_off);
	host_irqs_off = true;
	p = alloc_pages(GFP_KERNEL, 3);
	CHECK(host_irqs_off);
	__free_pages(p, 3);
	CHECK(host_irqs_off);
	host_irqs_off = false;
	/* no zone lock is left held */
	for (int zi = 0; zi < MAX_NR_ZONES; zi++)
		CHECK(!spin_is_locked(&zones[zi].lock));
}

/* A high-order request that fails only because pages sit on this CPU's
 * lists drains them and retries. */
HTEST(pcp_drained_for_high_order)
{
	static const struct sim_range ram[] = { { 0, 0x800 } };
	static const struct sim_range rsv[] = { { 0, 0x400 } };
	static const struct sim_layout l = { "one-block", 0x800, 0x800, ram, 1, rsv, 1 };

	sim_boot(&l);
	zones[ZONE_DMA].watermark[WMARK_MIN] = 0; /* room for the whole block */
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		zones[ZONE_DMA].pcp[cpu].batch = 7;
		zones[ZONE_DMA].pcp[cpu].high = 1000;
	}
	struct page *p = alloc_pages(GFP_KERNEL, 0); /* 7 pages move to the list */
	__free_pages(p, 0);
	CHECK_EQ(zones[ZONE_DMA].pcp[0].count, 7);
	CHECK_EQ(zones[ZONE_DMA].free_area[10].nr_free, 0);
	htest_log_clear();
	p = alloc_pages(GFP_KERNEL, 10);
	CHECK(p != NULL);
	CHECK_EQ(page_to_pfn(p), 0x400);
	CHECK_EQ(zones[ZONE_DMA].pcp[0].count, 0);
	CHECK_EQ(strlen(htest_log()), 0);
	__free_pages(p, 10);
	CHECK_EQ(check_free_areas(), 0);
}

/* Orders 1-3 have per-CPU lists too (Linux's PAGE_ALLOC_COSTLY_ORDER):
 * a refill of order o moves batch >> o blocks, every page of a listed
 * block has PG_pcp, a free goes back to the list of its order, and an
 * order-4 block still comes from the buddy lists. */
HTEST(pcp_lists_for_orders_1_to_3)
{
	sim_boot(&sim_2g);
	struct zone *z = &zones[ZONE_NORMAL];
	unsigned long free0 = z->free_pages;

	struct page *p3 = alloc_pages(GFP_KERNEL, 3);
	CHECK(p3 != NULL);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, (63 >> 3) * 8 - 8); /* 7 blocks moved, one out */
	CHECK_EQ(z->free_pages, free0 - 8);
	struct page *next = list_first_entry(&pcp(ZONE_NORMAL, 0)->lists[3], struct page, lru);
	CHECK_EQ(page_to_pfn(next), page_to_pfn(p3) + 8);
	for (int i = 0; i < 8; i++) {
		CHECK(PagePcp(next + i));       /* the listed block: every page */
		CHECK(!PagePcp(p3 + i));        /* the allocated one: none */
		CHECK(i == 0 ? PageHead(p3) : PageTail(p3 + i));
	}
	CHECK_EQ(check_free_areas(), 0);

	struct page *p1 = alloc_pages(GFP_KERNEL, 1);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 48 + 31 * 2 - 2); /* 31 order-1 blocks */
	CHECK_EQ(check_free_areas(), 0);

	/* freed blocks go to the head of their own order's list */
	__free_pages(p3, 3);
	CHECK(list_first_entry(&pcp(ZONE_NORMAL, 0)->lists[3], struct page, lru) == p3);
	for (int i = 0; i < 8; i++)
		CHECK(PagePcp(p3 + i) && !PageTail(p3 + i) && !PageHead(p3 + i));
	CHECK(alloc_pages(GFP_KERNEL, 3) == p3); /* hot first */
	__free_pages(p3, 3);
	__free_pages(p1, 1);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 56 + 62);
	CHECK_EQ(z->free_pages, free0);
	CHECK_EQ(check_free_areas(), 0);

	/* order 4 is costly: the buddy lists, the per-CPU lists untouched */
	struct page *p4 = alloc_pages(GFP_KERNEL, 4);
	CHECK(p4 != NULL && !PagePcp(p4));
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 56 + 62);
	__free_pages(p4, 4);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 56 + 62);

	/* drain_all_pages empties every order's list and merges the blocks back */
	drain_all_pages();
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 0);
	for (int o = 0; o < NR_PCP_LISTS; o++)
		CHECK(list_empty(&pcp(ZONE_NORMAL, 0)->lists[o]));
	CHECK_EQ(z->free_pages, z->managed_pages);
	CHECK_EQ(check_free_areas(), 0);
}

/* Reaching high drains about batch pages from the list of the order just
 * freed, coldest block first; the other orders' lists stay as they are. */
HTEST(pcp_high_order_drain_at_high)
{
	enum { N = 60 };
	static struct page *blocks[N];

	sim_boot(&sim_2g);
	__free_pages(alloc_pages(GFP_KERNEL, 0), 0); /* 63 single pages listed */
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 63);
	for (int i = 0; i < N; i++)
		blocks[i] = alloc_pages(GFP_KERNEL, 3);
	/* high down to 378 (6 batches), so that 60 order-3 blocks reach it */
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		pcp(ZONE_NORMAL, cpu)->high = 378;
	int i = 0;
	while (pcp(ZONE_NORMAL, 0)->count + 8 < 378)
		__free_pages(blocks[i++], 3);
	int before = pcp(ZONE_NORMAL, 0)->count;
	__free_pages(blocks[i++], 3); /* reaches high: 8 blocks (64 pages) go back */
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, before + 8 - 64);
	CHECK(PagePcp(blocks[i - 1]));   /* the hot end stays */
	CHECK(!PagePcp(blocks[0]));      /* the coldest went */
	unsigned long singles = 0;
	struct list_head *pos;
	list_for_each(pos, &pcp(ZONE_NORMAL, 0)->lists[0])
		singles++;
	CHECK_EQ(singles, 63);           /* order 0 untouched */
	CHECK_EQ(check_free_areas(), 0);
	while (i < N)
		__free_pages(blocks[i++], 3);
	drain_all_pages();
	CHECK_EQ(zones[ZONE_NORMAL].free_pages, zones[ZONE_NORMAL].managed_pages);
	CHECK_EQ(check_free_areas(), 0);
}

/* debug_pagealloc: a block of order 1-3 is checked tail by tail on free
 * (the slow path) and not held on a per-CPU list. */
HTEST(pcp_high_order_debug_pagealloc_checks_tails)
{
	sim_boot(&sim_2g); /* resets debug_pagealloc, so: */
	debug_pagealloc = true;
	setup_per_zone_wmarks(); /* as at boot with the option: high 0, batch 1 */
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	CHECK(p != NULL);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 0);
	p[2].flags |= 1u << PG_slab; /* a tail someone scribbled on */
	htest_log_clear();
	__free_pages(p, 2);
	CHECK(htest_log_contains("Bad page state"));
	p[2].flags &= ~(1u << PG_slab);
	__free_pages(p, 2);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, 0);
	CHECK_EQ(check_free_areas(), 0);
	debug_pagealloc = false;
}

/* free_unref_page_list: a list of 100 single pages ends where 100
 * __free_page calls would leave them (this CPU's list, the counts), with
 * interrupts back on at the end; a page that may not be freed (here: it
 * says PG_slab) is reported by the slow path, and the rest still go; a
 * page with another reference only loses that one. */
HTEST(pcp_free_unref_page_list)
{
	enum { N = 100 };
	static struct page *pages[N];
	struct list_head list;

	sim_boot(&sim_2g);
	struct zone *z = &zones[ZONE_NORMAL];
	unsigned long free0 = z->free_pages;
	INIT_LIST_HEAD(&list);
	CHECK_EQ(alloc_pages_bulk_list(GFP_KERNEL, N, &list), N);
	int i = 0;
	struct list_head *pos;
	list_for_each(pos, &list)
		pages[i++] = list_entry(pos, struct page, lru);
	int count0 = pcp(ZONE_NORMAL, 0)->count;
	host_irqs_off = false;
	free_unref_page_list(&list);
	CHECK(!host_irqs_off);
	CHECK(list_empty(&list));
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, count0 + N);
	CHECK_EQ(z->free_pages, free0);
	for (i = 0; i < N; i++)
		CHECK(PagePcp(pages[i]) && !PageHead(pages[i]) && page_count(pages[i]) == 0);
	/* the last freed is the hottest: the next allocation's */
	CHECK(alloc_pages(GFP_KERNEL, 0) == pages[N - 1]);
	__free_pages(pages[N - 1], 0);
	CHECK_EQ(check_free_areas(), 0);

	/* one bad page among good ones, one shared page */
	INIT_LIST_HEAD(&list);
	CHECK_EQ(alloc_pages_bulk_list(GFP_KERNEL, 40, &list), 40);
	struct page *shared = list_first_entry(&list, struct page, lru);
	get_page(shared);
	struct page *bad = alloc_pages(GFP_KERNEL, 0);
	bad->flags |= 1u << PG_slab; /* someone scribbled on it */
	list_add_tail(&bad->lru, &list); /* at the end: after a batch */
	count0 = pcp(ZONE_NORMAL, 0)->count;
	htest_log_clear();
	free_unref_page_list(&list);
	CHECK(htest_log_contains("Bad page state"));
	CHECK(!host_irqs_off);
	CHECK_EQ(pcp(ZONE_NORMAL, 0)->count, count0 + 39); /* not the shared one, not the bad one */
	CHECK_EQ(page_count(shared), 1);
	CHECK(!PagePcp(shared));
	__free_pages(shared, 0);
	CHECK(!PagePcp(bad));
	bad->flags &= ~(1u << PG_slab);
	__free_pages(bad, 0);
	drain_all_pages();
	CHECK_EQ(z->free_pages, z->managed_pages);
	CHECK_EQ(check_free_areas(), 0);
}
