/* test_watermark_explain.c - the explanation of a refused allocation agrees
 * with the allocator: on the 2 GB layout drained with GFP_KERNEL, Normal is
 * at its min watermark and DMA at min + lowmem_reserve[Normal], exactly the
 * floors test_fallback.c proves; zone_explain() must name those causes, and
 * say "would serve it" exactly where an allocation still succeeds. */
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"
#include "watermark_explain.h"

static struct list_head held;

static unsigned long drain(gfp_t gfp)
{
	struct page *p;
	unsigned long n = 0;

	while ((p = alloc_pages(gfp | __GFP_NOWARN, 0))) {
		list_add(&p->lru, &held);
		n++;
	}
	return n;
}

static void give_back(void)
{
	while (!list_empty(&held)) {
		struct page *p = list_first_entry(&held, struct page, lru);
		list_del(&p->lru);
		__free_pages(p, 0);
	}
}

HTEST(explain_names_min_and_lowmem_reserve)
{
	char why[256];

	sim_boot(&sim_2g);
	INIT_LIST_HEAD(&held);
	CHECK_EQ(zone_explain(&zones[ZONE_NORMAL], 0, GFP_KERNEL, ZONE_NORMAL, why, sizeof(why)),
		 ZONE_OK);
	CHECK(drain(GFP_KERNEL) > 0);
	CHECK_EQ(zone_explain(&zones[ZONE_NORMAL], 0, GFP_KERNEL, ZONE_NORMAL, why, sizeof(why)),
		 ZONE_BELOW_MIN);
	CHECK(strstr(why, "Normal: refused by the min watermark: 935 free") != NULL);
	CHECK_EQ(zone_explain(&zones[ZONE_DMA], 0, GFP_KERNEL, ZONE_NORMAL, why, sizeof(why)),
		 ZONE_RESERVE);
	CHECK(strstr(why, "DMA: refused by lowmem_reserve[Normal] 864") != NULL);
	/* HighMem was never touched: a HighMem-capable request would be served. */
	CHECK_EQ(zone_explain(&zones[ZONE_HIGHMEM], 0, GFP_HIGHUSER, ZONE_HIGHMEM, why, sizeof(why)),
		 ZONE_OK);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL); /* the verdicts were right */
	/* GFP_ATOMIC may go to min/2: the explanation says the same as the allocator. */
	CHECK_EQ(zone_explain(&zones[ZONE_NORMAL], 0, GFP_ATOMIC, ZONE_NORMAL, why, sizeof(why)),
		 ZONE_OK);
	CHECK(drain(GFP_ATOMIC) > 0);
	CHECK_EQ(zone_explain(&zones[ZONE_NORMAL], 0, GFP_ATOMIC, ZONE_NORMAL, why, sizeof(why)),
		 ZONE_BELOW_MIN);
	CHECK(strstr(why, "min/2 (__GFP_HIGH)") != NULL);
	htest_log_clear();
	explain_alloc_failure(GFP_KERNEL, 0);
	CHECK(htest_log_contains("may use Normal, then DMA"));
	CHECK(htest_log_contains("DMA: refused by lowmem_reserve[Normal]"));
	give_back();
}

/* Higher orders: the watermark counts 2^order pages; an empty zone says so. */
HTEST(explain_order_and_empty_zone)
{
	char why[256];

	sim_boot(&sim_2g);
	INIT_LIST_HEAD(&held);
	drain(GFP_KERNEL);
	give_back(); /* everything back: Normal far above min again */
	unsigned long min = zones[ZONE_NORMAL].watermark[WMARK_MIN];
	unsigned long free = zones[ZONE_NORMAL].free_pages;
	CHECK(free > min + 1024);
	CHECK_EQ(zone_explain(&zones[ZONE_NORMAL], 10, GFP_KERNEL, ZONE_NORMAL, why, sizeof(why)),
		 ZONE_OK);
	sim_boot(&sim_512m);
	CHECK_EQ(zone_explain(&zones[ZONE_HIGHMEM], 0, GFP_HIGHUSER, ZONE_HIGHMEM, why, sizeof(why)),
		 ZONE_EMPTY);
	CHECK(strstr(why, "empty at this RAM size") != NULL);
}
