/* test_fallback.c - which zones a request may use, and how far down each
 * zone lets it go: exact floors from the watermarks and lowmem_reserve of
 * the 2 GB layout (worked out in test_zones.c), exhaustion and its report. */
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"

struct taken {
	struct list_head list;
	unsigned long per_zone[MAX_NR_ZONES];
	unsigned long n;
};

/* Allocate order-0 pages with gfp until it fails; keep them on t. */
static void take_all(struct taken *t, gfp_t gfp)
{
	struct page *p;

	while ((p = alloc_pages(gfp | __GFP_NOWARN, 0))) {
		list_add(&p->lru, &t->list);
		t->per_zone[page_zonenum(p)]++;
		t->n++;
	}
}

static void give_back(struct taken *t)
{
	while (!list_empty(&t->list)) {
		struct page *p = list_first_entry(&t->list, struct page, lru);
		list_del(&p->lru);
		__free_pages(p, 0);
	}
	memset(t->per_zone, 0, sizeof(t->per_zone));
	t->n = 0;
}

static void taken_init(struct taken *t)
{
	memset(t, 0, sizeof(*t));
	INIT_LIST_HEAD(&t->list);
}

/* A zone stops at min + lowmem_reserve[class]: free must stay above it. */
HTEST(floors_gfp_kernel_then_atomic)
{
	struct taken t;
	struct sim_snapshot boot, now;

	sim_boot(&sim_2g);
	sim_snapshot(&boot);
	taken_init(&t);
	take_all(&t, GFP_KERNEL);
	CHECK_EQ(t.per_zone[ZONE_HIGHMEM], 0); /* never upward */
	CHECK_EQ(zones[ZONE_NORMAL].free_pages, 935);   /* min */
	CHECK_EQ(zones[ZONE_DMA].free_pages, 10 + 864); /* min + reserve[Normal] */
	CHECK_EQ(zones[ZONE_HIGHMEM].free_pages, 294880);
	CHECK_EQ(t.per_zone[ZONE_NORMAL], 221184 - 935);
	CHECK_EQ(t.per_zone[ZONE_DMA], 2560 - 874);
	/* GFP_ATOMIC may go to min - min/2 */
	take_all(&t, GFP_ATOMIC);
	CHECK_EQ(zones[ZONE_NORMAL].free_pages, 935 - 467);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 5 + 864);
	CHECK_EQ(t.per_zone[ZONE_HIGHMEM], 0);
	CHECK_EQ(check_free_areas(), 0);
	give_back(&t);
	drain_all_pages();
	sim_snapshot(&now);
	CHECK(sim_snapshot_equal(&boot, &now));
	CHECK_EQ(check_free_areas(), 0);
}

/* __GFP_HIGHMEM: HighMem first, then Normal and DMA with their reserves
 * against a HighMem-class request. */
HTEST(floors_highuser_falls_back_down)
{
	struct taken t;

	sim_boot(&sim_2g);
	taken_init(&t);
	struct page *first = alloc_pages(GFP_HIGHUSER, 0);
	CHECK_EQ(page_zonenum(first), ZONE_HIGHMEM);
	CHECK(PageHighMem(first));
	__free_pages(first, 0);
	take_all(&t, GFP_HIGHUSER);
	CHECK_EQ(zones[ZONE_HIGHMEM].free_pages, 128);
	CHECK_EQ(zones[ZONE_NORMAL].free_pages, 935 + 9215);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 10 + 2015);
	CHECK(t.per_zone[ZONE_NORMAL] > 0 && t.per_zone[ZONE_DMA] > 0);
	/* a plain request still finds Normal above its own floor */
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	CHECK(p && page_zonenum(p) == ZONE_NORMAL);
	__free_pages(p, 0);
	give_back(&t);
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), totalram_pages());
	CHECK_EQ(check_free_areas(), 0);
}

/* GFP_DMA stays in DMA; it is the only class DMA keeps nothing back from. */
HTEST(floors_gfp_dma_only_dma)
{
	struct taken t;

	sim_boot(&sim_2g);
	taken_init(&t);
	take_all(&t, GFP_DMA);
	CHECK_EQ(t.per_zone[ZONE_DMA], 2560 - 10);
	CHECK_EQ(t.n, t.per_zone[ZONE_DMA]);
	take_all(&t, GFP_DMA | GFP_ATOMIC);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 5);
	CHECK_EQ(zones[ZONE_NORMAL].free_pages, zones[ZONE_NORMAL].managed_pages);
	give_back(&t);
	CHECK_EQ(check_free_areas(), 0);
}

/* Orders above 0 count 2^order pages against the same floor. */
HTEST(floors_high_order)
{
	sim_boot(&sim_tiny); /* one DMA zone: 798 pages, min 56 */
	unsigned n = 0;
	struct page *p;
	struct list_head got = LIST_HEAD_INIT(got);
	while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2))) {
		list_add(&p->lru, &got);
		n++;
	}
	/* each order-2 take needs free - 4 + 1 > 56, i.e. free >= 60 before
	 * it: 798 - 4*184 = 62 allows one more, 798 - 4*185 = 58 does not */
	CHECK_EQ(n, 185);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 58);
	while (!list_empty(&got)) {
		p = list_first_entry(&got, struct page, lru);
		list_del(&p->lru);
		__free_pages(p, 2);
	}
	CHECK_EQ(check_free_areas(), 0);
}

/* 512 MB: no HighMem, so __GFP_HIGHMEM is served from Normal. */
HTEST(highmem_request_without_highmem)
{
	sim_boot(&sim_512m);
	struct page *p = alloc_pages(GFP_HIGHUSER, 0);
	CHECK(p && page_zonenum(p) == ZONE_NORMAL && !PageHighMem(p));
	__free_pages(p, 0);
	CHECK_EQ(totalhigh_pages(), 0);
	CHECK_EQ(nr_free_highpages(), 0);
}

/* Above 4 GB: HighMem pages up to pfn 0x23ffff are handed out. */
HTEST(highmem_above_4g)
{
	sim_boot(&sim_8g);
	struct page *p = alloc_pages(GFP_HIGHUSER, MAX_ORDER - 1);
	CHECK(p != NULL);
	CHECK(page_to_pfn(p) >= 0x100000); /* the last block boot freed comes first */
	CHECK(page_to_pfn(p) + 1024 <= 0x240000);
	memset(sim_frame(page_to_pfn(p) + 1023), 0x11, PAGE_SIZE);
	__free_pages(p, MAX_ORDER - 1);
	CHECK_EQ(check_free_areas(), 0);
}

/* Running out: NULL, a Linux-style report (silent with __GFP_NOWARN), a
 * failure counted, and never a panic. */
HTEST(exhaustion_report)
{
	struct taken t;

	sim_boot(&sim_tiny);
	taken_init(&t);
	take_all(&t, GFP_KERNEL);
	CHECK_EQ(t.n, 798 - 56);
	unsigned long fails = zones[ZONE_DMA].fail_count;
	htest_log_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	CHECK_EQ(strlen(htest_log()), 0);
	CHECK_EQ(zones[ZONE_DMA].fail_count, fails + 1);
	CHECK(alloc_pages(GFP_KERNEL, 0) == NULL);
	CHECK_EQ(zones[ZONE_DMA].fail_count, fails + 2);
	CHECK(htest_log_contains("swapper: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL)"));
	CHECK(htest_log_contains("Mem-Info:"));
	CHECK(htest_log_contains("DMA free:224kB min:224kB low:280kB high:336kB"));
	CHECK(htest_log_contains("lowmem_reserve[]: 0 0 0 0"));
	CHECK(htest_log_contains("DMA: "));
	CHECK(htest_log_contains("= 224kB\n"));
	CHECK(htest_log_contains("927 pages RAM"));
	CHECK(htest_log_contains("129 pages reserved"));
	htest_log_clear();
	CHECK(alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 3) == NULL);
	CHECK(htest_log_contains("order:3, mode:0xdc2(GFP_HIGHUSER|__GFP_ZERO)"));
	give_back(&t);
	CHECK_EQ(check_free_areas(), 0);
}

HTEST(format_gfp_names)
{
	char buf[160];

	format_gfp(GFP_KERNEL, buf, sizeof(buf));
	CHECK_STREQ(buf, "0xcc0(GFP_KERNEL)");
	format_gfp(GFP_ATOMIC, buf, sizeof(buf));
	CHECK_STREQ(buf, "0x820(GFP_ATOMIC)");
	format_gfp(GFP_HIGHUSER | __GFP_NOWARN, buf, sizeof(buf));
	CHECK_STREQ(buf, "0xec2(GFP_HIGHUSER|__GFP_NOWARN)");
	format_gfp(GFP_DMA | __GFP_ZERO, buf, sizeof(buf));
	CHECK_STREQ(buf, "0x101(GFP_DMA|__GFP_ZERO)");
	format_gfp(0, buf, sizeof(buf));
	CHECK_STREQ(buf, "0x0()");
	format_gfp(__GFP_IO | 0x10000, buf, sizeof(buf));
	CHECK_STREQ(buf, "0x10040(__GFP_IO|0x10000)");
	format_gfp(GFP_KERNEL, buf, 8); /* truncated, terminated */
	CHECK_STREQ(buf, "0xcc0(G");
}
