/* zones_test.c - zones and the buddy allocator on the real machine, at
 * whatever RAM size this boot has (the matrix runs 512, 2048 and 8192 MB). */
#include "bootinfo.h"
#include "cmdline.h"
#include "highmem.h"
#include "kstring.h"
#include "ktest.h"
#include "memblock.h"
#include "memsplit.h"
#include "mmzone.h"
#include "printk.h"

extern struct boot_info boot_info;

static char *strstr_simple(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h; h++)
		if (strncmp(h, n, len) == 0)
			return (char *)h;
	return NULL;
}

/* The zone boundaries follow the map: DMA below 16 MB, Normal up to
 * max_low_pfn (at most 896 MB), HighMem up to the end of RAM. */
/* The boot log must contain exactly this line. */
static bool logged_line(const char *line)
{
	static char log[128 * 1024]; /* the boot lines are near the start */
	size_t n = log_read_all(log, sizeof(log) - 1);

	log[n] = '\0';
	for (char *p = log; (p = strstr_simple(p, line)); p++)
		if (p[strlen(line)] == '\n')
			return true;
	return false;
}

/* Where RAM ends and lowmem stops for this boot's map and highmem=, by
 * highmem='s documented rules (mm/memsplit.c), derived here independently:
 * with RAM past the direct map, highmem=N below what there is keeps only N
 * of HighMem; with all RAM in the direct map, a valid N makes the top N
 * HighMem (valid: leaves at least 64 MB of lowmem). */
static void expected_split(unsigned long *end_pfn, unsigned long *low_pfn)
{
	unsigned long ram_end = PFN_DOWN(e820_end_of_ram(&boot_info.map));
	unsigned long maxmem = (unsigned long)(boot_mem_split.maxmem >> PAGE_SHIFT);
	unsigned long want;
	u64 size;

	*end_pfn = ram_end;
	*low_pfn = MIN(ram_end, maxmem);
	if (cmdline_get_size("highmem", &size) != 0)
		return;
	want = (unsigned long)(size >> PAGE_SHIFT);
	if (ram_end > maxmem && want < ram_end - maxmem)
		*end_pfn = maxmem + want;
	else if (ram_end <= maxmem && want && want < ram_end &&
		 ram_end - want >= (unsigned long)(MB(64) >> PAGE_SHIFT))
		*low_pfn = ram_end - want;
}

static void test_printed_zone_ranges(struct ktest *t)
{
	char want[80];
	unsigned long ram_end, low_end;
	expected_split(&ram_end, &low_end);
	unsigned long dma_end = MIN(MAX_DMA_PFN, low_end);

	snprintf(want, sizeof(want), "  DMA      [mem 0x0000000000001000-%#018llx]",
		 PFN_PHYS(dma_end) - 1);
	KTEST_EXPECT_TRUE(t, logged_line(want));
	if (low_end > dma_end)
		snprintf(want, sizeof(want), "  Normal   [mem %#018llx-%#018llx]", PFN_PHYS(dma_end),
			 PFN_PHYS(low_end) - 1);
	else /* -m 16: all of RAM is below 16 MB */
		snprintf(want, sizeof(want), "  Normal   empty");
	KTEST_EXPECT_TRUE(t, logged_line(want));
	if (ram_end > low_end)
		snprintf(want, sizeof(want), "  HighMem  [mem %#018llx-%#018llx]",
			 PFN_PHYS(low_end), PFN_PHYS(ram_end) - 1);
	else
		snprintf(want, sizeof(want), "  HighMem  empty");
	KTEST_EXPECT_TRUE(t, logged_line(want));
	snprintf(want, sizeof(want), "%luMB LOWMEM available.", low_end >> 8);
	KTEST_EXPECT_TRUE(t, logged_line(want));
}

static void test_zone_ranges_match_map(struct ktest *t)
{
	unsigned long ram_end, low_end;

	expected_split(&ram_end, &low_end);
	KTEST_EXPECT_EQ(t, zones[ZONE_DMA].zone_start_pfn, 0);
	KTEST_EXPECT_EQ(t, zone_end_pfn(&zones[ZONE_DMA]), MIN(MAX_DMA_PFN, max_low_pfn));
	if (max_low_pfn > MAX_DMA_PFN)
		KTEST_EXPECT_EQ(t, zone_end_pfn(&zones[ZONE_NORMAL]), max_low_pfn);
	else
		KTEST_EXPECT_TRUE(t, zone_is_empty(&zones[ZONE_NORMAL]));
	KTEST_EXPECT_EQ(t, max_low_pfn, low_end);
	KTEST_EXPECT_LE(t, boot_mem_split.maxmem, MAXMEM_DEFAULT + (VMALLOC_RESERVE_DEFAULT - (32UL << 20)));
	if (max_pfn > max_low_pfn) {
		KTEST_EXPECT_EQ(t, zones[ZONE_HIGHMEM].zone_start_pfn, max_low_pfn);
		KTEST_EXPECT_EQ(t, zone_end_pfn(&zones[ZONE_HIGHMEM]), max_pfn);
	} else {
		KTEST_EXPECT_TRUE(t, zone_is_empty(&zones[ZONE_HIGHMEM]));
	}
	KTEST_EXPECT_EQ(t, max_pfn, ram_end);
	/* present = the RAM memblock saw inside each zone */
	unsigned long present = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		present += zones[z].present_pages;
	KTEST_EXPECT_EQ(t, PFN_PHYS(present), memblock_phys_mem_size());
	KTEST_EXPECT_EQ(t, check_free_areas(), 0);
}

/* An allocation that fault injection may fail: an injected NULL is retried
 * (KTEST_ALLOC_RETRY), a real one is returned. *gave_up is set
 * when injection, not the allocator, had the last word, so that loops which
 * allocate until memory runs out end even with probability 100. */
static struct page *alloc_pages_retry(struct ktest *t, gfp_t gfp, unsigned order, bool *gave_up)
{
	struct page *p;

	KTEST_ALLOC_RETRY(t, p, alloc_pages(gfp, order));
	*gave_up |= t->alloc_gave_up;
	return p;
}

/* Take every page a zone will give (down to the GFP_ATOMIC floor), then give
 * them all back: the free counts must be identical afterwards. */
static int drain_zone(struct ktest *t, enum zone_type zt, gfp_t gfp, struct list_head *got,
		      bool *gave_up)
{
	int n = 0;

	ktest_injected(t); /* only failures injected from here on are retried */
	for (int order = MAX_ORDER - 1; order >= 0 && !*gave_up; order--) {
		struct page *p;
		while ((p = alloc_pages_retry(t, gfp | GFP_ATOMIC | __GFP_NOWARN, (unsigned)order,
					      gave_up))) {
			if (page_zonenum(p) != zt) { /* fell back below: this order is done */
				__free_pages(p, (unsigned)order);
				break;
			}
			p->index = (u32)order;
			list_add(&p->lru, got);
			n++;
		}
	}
	return n;
}

static void refill(struct list_head *got)
{
	while (!list_empty(got)) {
		struct page *p = list_first_entry(got, struct page, lru);
		list_del(&p->lru);
		__free_pages(p, p->index);
	}
}

static void empty_and_refill(struct ktest *t, enum zone_type zt, gfp_t gfp)
{
	struct zone *z = &zones[zt];
	struct list_head got = LIST_HEAD_INIT(got);
	bool gave_up = false;

	if (zone_is_empty(z))
		KTEST_SKIP(t, "zone is empty at this RAM size");
	drain_all_pages();
	/* GFP_ATOMIC may go down to half the min watermark (mm/page_alloc.c) */
	unsigned long floor = z->watermark[WMARK_MIN] - z->watermark[WMARK_MIN] / 2 +
			      z->lowmem_reserve[zt];
	if (z->free_pages <= floor)
		KTEST_SKIP(t, "every free page of this zone is within its atomic reserve "
			      "(highmem= set very small?)");
	unsigned long before = z->free_pages, per_order[MAX_ORDER];
	for (int o = 0; o < MAX_ORDER; o++)
		per_order[o] = z->free_area[o].nr_free;
	int blocks = drain_zone(t, zt, gfp, &got, &gave_up);
	if (!gave_up) { /* emptied: injection (if any) only delayed it */
		KTEST_EXPECT_GT(t, blocks, 0);
		KTEST_EXPECT_LE(t, z->free_pages, z->watermark[WMARK_MIN]);
	}
	refill(&got);
	drain_all_pages();
	/* Whether or not the zone could be emptied, what was taken is back. */
	KTEST_EXPECT_EQ(t, z->free_pages, before);
	/* Buddy merging is canonical: the same free pages give the same blocks. */
	for (int o = 0; o < MAX_ORDER; o++)
		KTEST_EXPECT_EQ(t, z->free_area[o].nr_free, per_order[o]);
	KTEST_EXPECT_EQ(t, check_free_areas(), 0);
	if (gave_up)
		KTEST_ALLOC_FAILED(t, "a block of the zone being emptied");
}

static void test_empty_refill_dma(struct ktest *t) { empty_and_refill(t, ZONE_DMA, GFP_DMA); }
static void test_empty_refill_normal(struct ktest *t) { empty_and_refill(t, ZONE_NORMAL, 0); }
static void test_empty_refill_highmem(struct ktest *t) { empty_and_refill(t, ZONE_HIGHMEM, __GFP_HIGHMEM); }

/* At 512 MB there is no HighMem: __GFP_HIGHMEM is served from Normal. */
static void test_highmem_request_without_highmem(struct ktest *t)
{
	if (!zone_is_empty(&zones[ZONE_HIGHMEM]))
		KTEST_SKIP(t, "this RAM size has HighMem");
	KTEST_EXPECT_EQ(t, totalhigh_pages(), 0);
	struct page *p = alloc_pages(GFP_HIGHUSER, 0);
	KTEST_ASSERT_ALLOC(t, p);
	/* the highest zone that has pages: Normal, or DMA when RAM ends below 16 MB */
	KTEST_EXPECT_EQ(t, page_zonenum(p), zone_is_empty(&zones[ZONE_NORMAL]) ? ZONE_DMA
										  : ZONE_NORMAL);
	KTEST_EXPECT_FALSE(t, PageHighMem(p));
	__free_pages(p, 0);
}

/* Pages above 4 GB: only PAE's 64-bit entries can map them. */
static void test_pages_above_4g(struct ktest *t)
{
	struct list_head got = LIST_HEAD_INIT(got);
	int found = 0, tries = 0;

	if (max_pfn <= 0x100000)
		KTEST_SKIP(t, "no RAM above 4 GB at this size");
	/* Highmem is handed out from the top of the free lists: take blocks
	 * until we hold some above 4 GB. */
	bool gave_up = false;
	ktest_injected(t); /* only failures injected from here on are retried */
	while (found < 8 && tries++ < 4096) {
		struct page *p = alloc_pages_retry(t, GFP_HIGHUSER | __GFP_NOWARN, 0, &gave_up);
		if (!p)
			break;
		p->index = 0;
		list_add(&p->lru, &got);
		if (page_to_pfn(p) < 0x100000)
			continue;
		found++;
		u32 *va = kmap_atomic(p);
		for (int i = 0; i < 1024; i++)
			va[i] = page_to_pfn(p) * 2654435761u + (u32)i;
		kunmap_atomic(va);
	}
	if (gave_up) {
		refill(&got);
		KTEST_ALLOC_FAILED(t, "a HighMem page");
	}
	KTEST_EXPECT_EQ(t, found, 8);
	struct list_head *pos;
	int bad = 0;
	list_for_each(pos, &got) {
		struct page *p = list_entry(pos, struct page, lru);
		if (page_to_pfn(p) < 0x100000)
			continue;
		KTEST_EXPECT_GE(t, page_to_pfn(p), 0x100000);
		u32 *va = kmap_atomic(p);
		for (int i = 0; i < 1024; i++)
			bad += va[i] != page_to_pfn(p) * 2654435761u + (u32)i;
		kunmap_atomic(va);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	refill(&got);
}

static void test_gfp_zone_rules(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_DMA, 2);

	KTEST_ASSERT_ALLOC(t, p);
	KTEST_EXPECT_EQ(t, page_zonenum(p), ZONE_DMA);
	KTEST_EXPECT_LT(t, page_to_pfn(p) + 3, MAX_DMA_PFN);
	__free_pages(p, 2);
	p = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_ALLOC(t, p);
	KTEST_EXPECT_FALSE(t, PageHighMem(p));
	KTEST_EXPECT_NOT_NULL(t, page_address(p));
	__free_pages(p, 0);
	unsigned long addr = get_zeroed_page(GFP_KERNEL);
	KTEST_ASSERT_ALLOC(t, addr);
	KTEST_EXPECT_EQ(t, ((u32 *)addr)[0] | ((u32 *)addr)[1023], 0);
	free_page(addr);
	KTEST_EXPECT_EQ(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER) == NULL, 1);
}

static void test_double_free_reported(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);

	KTEST_ASSERT_ALLOC(t, p);
	__free_pages(p, 1);
	drain_all_pages();
	unsigned long before = nr_free_pages();
	__free_pages(p, 1); /* the second free is refused */
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, check_free_areas(), 0);
}

static void test_wrong_order_reported(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);

	KTEST_ASSERT_ALLOC(t, p);
	unsigned long before = nr_free_pages();
	__free_pages(p, 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	__free_pages(p + 1, 0); /* a tail page */
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	__free_pages(p, 2);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before + 4);
	__free_pages(pfn_to_page(0), 0); /* page 0 is reserved */
	KTEST_EXPECT_EQ(t, nr_free_pages(), before + 4);
	KTEST_EXPECT_EQ(t, check_free_areas(), 0);
}

/* With debug_pagealloc=on (the matrix's options run), a write to a freed
 * page is reported when the page is handed out again. */
static void test_use_after_free_reported(struct ktest *t)
{
	if (!debug_pagealloc)
		KTEST_SKIP(t, "boot with debug_pagealloc=on");
	struct page *p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_ALLOC(t, p);
	u8 *va = page_address(p);
	__free_page(p);
	KTEST_EXPECT_EQ(t, va[8], 0xaa);
	va[8] = 0x42; /* use after free */
	unsigned long reports = page_poison_reports;
	struct page *q = alloc_page(GFP_KERNEL); /* debug_pagealloc: straight from the buddy lists, LIFO */
	if (!q) {
		va[8] = 0xaa; /* undo the write, or whoever gets p next is blamed for it */
		KTEST_ALLOC_FAILED(t, "q");
	}
	KTEST_EXPECT_EQ(t, (unsigned long)q, (unsigned long)p);
	KTEST_EXPECT_EQ(t, page_poison_reports, reports + 1);
	__free_page(q);
}

static struct ktest_case zones_cases[] = {
	KTEST_CASE(test_use_after_free_reported),
	KTEST_CASE(test_printed_zone_ranges),
	KTEST_CASE(test_zone_ranges_match_map),
	KTEST_CASE(test_empty_refill_dma),
	KTEST_CASE(test_empty_refill_normal),
	KTEST_CASE(test_empty_refill_highmem),
	KTEST_CASE(test_highmem_request_without_highmem),
	KTEST_CASE(test_pages_above_4g),
	KTEST_CASE(test_gfp_zone_rules),
	KTEST_CASE(test_double_free_reported),
	KTEST_CASE(test_wrong_order_reported),
	{ 0 },
};
KTEST_SUITE(zones, zones_cases);
