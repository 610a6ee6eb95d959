/* test_zones.c - hosted tests of mm/zone_init.c: struct page initialisation,
 * zone spans, the bulk hand-over of free RAM (maximal aligned blocks,
 * clipped at zone boundaries), watermarks, lowmem_reserve and per-CPU
 * batches - with the exact numbers the formulas give for known layouts. */
#include <stdlib.h>
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"

static const struct sim_layout *const all_layouts[] = { &sim_tiny, &sim_holes, &sim_512m,
							 &sim_2g, &sim_8g };

/* Every struct page as memmap_init leaves it: the whole machine, from garbage. */
HTEST(memmap_init_every_field)
{
	sim_boot(&sim_holes); /* max_low_pfn 0x2e80: an unaligned Normal/HighMem edge */
	memset(mem_map, 0x5a, max_pfn * sizeof(struct page));
	memmap_init(0, max_pfn);
	unsigned long bad = 0;
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		const struct page *p = pfn_to_page(pfn);
		unsigned zone = pfn < MAX_DMA_PFN ? ZONE_DMA : pfn < 0x2e80 ? ZONE_NORMAL : ZONE_HIGHMEM;
		u32 flags = (1u << PG_reserved) | (u32)zone << ZONES_SHIFT;
		if (zone == ZONE_HIGHMEM)
			flags |= 1u << PG_highmem;
		bad += p->flags != flags || p->_refcount != 1 || p->_mapcount != -1 ||
		       p->private != 0 || p->index != 0 || p->mapping != NULL ||
		       p->lru.next != LIST_POISON1 || p->lru.prev != LIST_POISON2;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(page_zonenum(pfn_to_page(0xfff)), ZONE_DMA);
	CHECK_EQ(page_zonenum(pfn_to_page(0x1000)), ZONE_NORMAL);
	CHECK_EQ(page_zonenum(pfn_to_page(0x2e7f)), ZONE_NORMAL);
	CHECK_EQ(page_zonenum(pfn_to_page(0x2e80)), ZONE_HIGHMEM);
	CHECK(!PageHighMem(pfn_to_page(0x2e7f)));
	CHECK(PageHighMem(pfn_to_page(0x2e80)));
}

/* A part of mem_map is initialised without touching the rest. */
HTEST(memmap_init_partial_range)
{
	sim_boot(&sim_tiny);
	memset(mem_map, 0x5a, max_pfn * sizeof(struct page));
	memmap_init(0x10, 0x20);
	CHECK_EQ(mem_map[0xf].flags, 0x5a5a5a5a);
	CHECK_EQ(mem_map[0x10].flags, 1u << PG_reserved);
	CHECK_EQ(mem_map[0x1f]._refcount, 1);
	CHECK_EQ(mem_map[0x20].flags, 0x5a5a5a5a);
	htest_log_clear();
	memmap_init(0, max_pfn + 5); /* beyond mem_map: clipped and reported */
	CHECK(htest_log_contains("beyond max_pfn"));
	CHECK_EQ(mem_map[max_pfn - 1]._refcount, 1);
}

static void check_zone_sizes(const struct sim_layout *l)
{
	unsigned long end[MAX_NR_ZONES] = { MIN(MAX_DMA_PFN, l->max_low_pfn), l->max_low_pfn,
					    l->max_pfn };
	static const char *const names[] = { "DMA", "Normal", "HighMem" };
	unsigned long start = 0;

	sim_boot(l);
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &zones[i];
		CHECK_STREQ(z->name, names[i]);
		CHECK_EQ(z->zone_start_pfn, start);
		CHECK_EQ(z->spanned_pages, end[i] - start);
		CHECK_EQ(z->present_pages, sim_ram_pages(l, start, end[i]));
		CHECK_EQ(z->managed_pages, sim_free_pages(l, start, end[i]));
		CHECK_EQ(z->free_pages, z->managed_pages);
		unsigned long listed = 0;
		for (int o = 0; o < MAX_ORDER; o++)
			listed += z->free_area[o].nr_free << o;
		CHECK_EQ(listed, z->free_pages);
		start = end[i];
	}
	CHECK_EQ(check_free_areas(), 0);
}

HTEST(zone_sizes_every_layout)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_layouts); i++)
		check_zone_sizes(all_layouts[i]);
	/* spot checks against the layouts' hand-written numbers */
	sim_boot(&sim_512m);
	CHECK(zone_is_empty(&zones[ZONE_HIGHMEM]));
	CHECK_EQ(zones[ZONE_NORMAL].present_pages, 0x1ffe0 - 0x1000);
	sim_boot(&sim_tiny);
	CHECK(zone_is_empty(&zones[ZONE_NORMAL]));
	CHECK_EQ(zones[ZONE_DMA].spanned_pages, 0x400);
	CHECK_EQ(zones[ZONE_DMA].present_pages, 0x9f + 0x300);
	CHECK_EQ(zones[ZONE_DMA].managed_pages, 0x9e + 0x280);
	sim_boot(&sim_8g);
	CHECK_EQ(zones[ZONE_HIGHMEM].spanned_pages, 0x240000 - 0x38000);
	CHECK_EQ(zones[ZONE_HIGHMEM].present_pages, (0xbffe0 - 0x38000) + 0x140000);
}

/* Zone ends that disagree with the zone bits, or run past mem_map, are
 * reported; a zone that ends before the previous one is empty. */
HTEST(free_area_init_checks_its_input)
{
	sim_boot(&sim_holes);
	unsigned long bad[MAX_NR_ZONES] = { 0x1000, 0x2000, max_pfn + 100 };
	htest_log_clear();
	free_area_init(bad);
	CHECK(htest_log_contains("differ from the zone bits memmap_init gave the pages"));
	CHECK(htest_log_contains("beyond max_pfn"));
	CHECK_EQ(zone_end_pfn(&zones[ZONE_HIGHMEM]), max_pfn);
	unsigned long shrinking[MAX_NR_ZONES] = { 0x1000, 0x800, 0x2e80 };
	free_area_init(shrinking);
	CHECK(zone_is_empty(&zones[ZONE_NORMAL]));
	CHECK_EQ(zones[ZONE_NORMAL].zone_start_pfn, 0x1000);
	CHECK_EQ(zones[ZONE_HIGHMEM].zone_start_pfn, 0x1000);
}

/* ---- the blocks boot hands over ---- */

struct blk {
	unsigned long pfn;
	unsigned order;
};

static int blk_cmp(const void *a, const void *b)
{
	const struct blk *x = a, *y = b;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* What the free lists hold, sorted by pfn. */
static size_t listed_blocks(struct blk *out, size_t max)
{
	size_t n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (unsigned o = 0; o < MAX_ORDER; o++) {
			struct list_head *pos;
			list_for_each(pos, &zones[z].free_area[o].free_list) {
				if (n < max)
					out[n] = (struct blk){ page_to_pfn(list_entry(pos, struct page, lru)), o };
				n++;
			}
		}
	qsort(out, MIN(n, max), sizeof(*out), blk_cmp);
	return n;
}

/* An independent statement of the rule: each free range, cut at the zone
 * boundaries, into the largest naturally aligned blocks, greedily. */
static size_t greedy(unsigned long s, unsigned long e, struct blk *out, size_t n)
{
	while (s < e) {
		unsigned o = MAX_ORDER - 1;
		while ((s & ((1UL << o) - 1)) || s + (1UL << o) > e)
			o--;
		out[n++] = (struct blk){ s, o };
		s += 1UL << o;
	}
	return n;
}

static size_t expected_blocks(const struct sim_layout *l, struct blk *out)
{
	unsigned long cuts[] = { MIN(MAX_DMA_PFN, l->max_low_pfn), l->max_low_pfn };
	size_t n = 0;

	for (unsigned i = 0; i < l->nr_ram; i++) {
		unsigned long cur = l->ram[i].start, end = l->ram[i].end;
		for (unsigned r = 0; r <= l->nr_reserved && cur < end; r++) {
			unsigned long fe = r < l->nr_reserved ? MIN(l->reserved[r].start, end) : end;
			if (r < l->nr_reserved && l->reserved[r].end <= cur)
				continue;
			unsigned long s = cur;
			for (int c = 0; c < 2; c++)
				if (s < cuts[c] && cuts[c] < fe) {
					n = greedy(s, cuts[c], out, n);
					s = cuts[c];
				}
			if (s < fe)
				n = greedy(s, fe, out, n);
			if (r < l->nr_reserved)
				cur = MAX(cur, l->reserved[r].end);
		}
	}
	qsort(out, n, sizeof(*out), blk_cmp);
	return n;
}

static void check_boot_blocks(const struct sim_layout *l)
{
	static struct blk want[8192], got[8192];

	sim_boot(l);
	size_t nw = expected_blocks(l, want);
	size_t ng = listed_blocks(got, ARRAY_SIZE(got));
	CHECK_EQ(ng, nw);
	size_t diff = 0;
	for (size_t i = 0; i < MIN(nw, ng); i++)
		diff += want[i].pfn != got[i].pfn || want[i].order != got[i].order;
	CHECK_EQ(diff, 0);
}

HTEST(bootmem_blocks_are_maximal_and_clipped)
{
	check_boot_blocks(&sim_tiny);
	check_boot_blocks(&sim_holes);
	check_boot_blocks(&sim_2g);
	/* the hole 0x1900-0x1a00 splits the 4 MB block at 0x1800 */
	sim_boot(&sim_holes);
	CHECK(PageBuddy(pfn_to_page(0x1800)));
	CHECK_EQ(pfn_to_page(0x1800)->private, 8);
	CHECK(PageBuddy(pfn_to_page(0x1a00)));
	CHECK_EQ(pfn_to_page(0x1a00)->private, 9);
	CHECK(PageReserved(pfn_to_page(0x1950)));
	/* the range across 0x2e80 is cut there: Normal ends with an order-6
	 * block, HighMem starts with an order-7 one */
	CHECK(PageBuddy(pfn_to_page(0x2e40)));
	CHECK_EQ(pfn_to_page(0x2e40)->private, 6);
	CHECK(PageBuddy(pfn_to_page(0x2e80)));
	CHECK_EQ(pfn_to_page(0x2e80)->private, 7);
	CHECK_EQ(page_zonenum(pfn_to_page(0x2e80)), ZONE_HIGHMEM);
	/* ... and across 0x1000 (DMA/Normal) */
	CHECK(PageBuddy(pfn_to_page(0xc00)));
	CHECK_EQ(pfn_to_page(0xc00)->private, 10);
	CHECK(PageBuddy(pfn_to_page(0x1000)));
	/* free pages lost PG_reserved and their reference; kept ones did not */
	CHECK(!PageReserved(pfn_to_page(0x300)));
	CHECK_EQ(page_count(pfn_to_page(0x301)), 0);
	CHECK(PageReserved(pfn_to_page(0x2ff)));
	CHECK_EQ(page_count(pfn_to_page(0x2000)), 1);
	CHECK(PageReserved(pfn_to_page(0)));
}

/* A range freed in two adjacent parts ends up as if freed at once. */
HTEST(bootmem_adjacent_ranges_merge)
{
	static const struct sim_range ram[] = { { 0, 0x400 } };
	static const struct sim_range rsv[] = { { 0, 0x400 } };
	static const struct sim_layout l = { "all-reserved", 0x400, 0x400, ram, 1, rsv, 1 };

	sim_boot(&l);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 0);
	free_pages_bootmem_range(0x200, 0x2c3);
	free_pages_bootmem_range(0x2c3, 0x400);
	CHECK_EQ(zones[ZONE_DMA].free_pages, 0x200);
	CHECK_EQ(zones[ZONE_DMA].managed_pages, 0x200);
	CHECK_EQ(zones[ZONE_DMA].free_area[9].nr_free, 1);
	CHECK(PageBuddy(pfn_to_page(0x200)));
	for (int o = 0; o < 9; o++)
		CHECK_EQ(zones[ZONE_DMA].free_area[o].nr_free, 0);
	CHECK_EQ(check_free_areas(), 0);
}

/* Freeing boot memory twice is refused and reported. */
HTEST(bootmem_double_free_refused)
{
	struct sim_snapshot a, b;

	sim_boot(&sim_tiny);
	sim_snapshot(&a);
	unsigned long managed = zones[ZONE_DMA].managed_pages;
	htest_log_clear();
	free_pages_bootmem_range(0x200, 0x300);
	CHECK(htest_log_contains("is not reserved RAM"));
	sim_snapshot(&b);
	CHECK(sim_snapshot_equal(&a, &b));
	CHECK_EQ(zones[ZONE_DMA].managed_pages, managed);
	CHECK_EQ(check_free_areas(), 0);
}

/* ---- watermarks ---- */

static void check_wmarks(int zi, unsigned long min, unsigned long low, unsigned long high)
{
	CHECK_EQ(zones[zi].watermark[WMARK_MIN], min);
	CHECK_EQ(zones[zi].watermark[WMARK_LOW], low);
	CHECK_EQ(zones[zi].watermark[WMARK_HIGH], high);
}

static void check_reserve(int zi, unsigned long a, unsigned long b, unsigned long c)
{
	CHECK_EQ(zones[zi].lowmem_reserve[0], a);
	CHECK_EQ(zones[zi].lowmem_reserve[1], b);
	CHECK_EQ(zones[zi].lowmem_reserve[2], c);
}

static void check_pcp(int zi, int batch, int high)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		CHECK_EQ(zones[zi].pcp[cpu].batch, batch);
		CHECK_EQ(zones[zi].pcp[cpu].high, high);
	}
}

/* QEMU -m 2048, worked by hand:
 *   managed: DMA 0x1000-0x600 = 2560, Normal 0x37000-4096 (mem_map) = 221184,
 *            HighMem 0x7ffe0-0x38000 = 294880
 *   lowmem 223744 pages = 894976 kB; int_sqrt(894976*16) = 3784 = min_free_kbytes
 *   pages_min 946; DMA 946*2560/223744 = 10, Normal 946*221184/223744 = 935
 *   HighMem min clamp(294880/1024 = 287, 32, 128) = 128, share 1246
 *   tmp = max(share/4, managed/1000): DMA max(2,2)=2, Normal max(233,221)=233,
 *         HighMem max(311,294)=311
 *   reserve: DMA 221184/256 = 864, (221184+294880)/256 = 2015; Normal 294880/32 = 9215
 *   batch: DMA 2560>>10=2, /4=0 -> 1 -> 1; Normal/HighMem 216|287 -> 54|64 -> 81|96 -> 63
 *   high (one CPU): the low watermark, at least 4 batches: 12, 1168, 439 */
HTEST(watermarks_2g_by_hand)
{
	sim_boot(&sim_2g);
	CHECK_EQ(min_free_kbytes, 3784);
	check_wmarks(ZONE_DMA, 10, 12, 14);
	check_wmarks(ZONE_NORMAL, 935, 1168, 1401);
	check_wmarks(ZONE_HIGHMEM, 128, 439, 750);
	check_reserve(ZONE_DMA, 0, 864, 2015);
	check_reserve(ZONE_NORMAL, 0, 0, 9215);
	check_reserve(ZONE_HIGHMEM, 0, 0, 0);
	check_pcp(ZONE_DMA, 1, 12);       /* high: low, one CPU (at least 4 batches) */
	check_pcp(ZONE_NORMAL, 63, 1168);
	check_pcp(ZONE_HIGHMEM, 63, 439);
}

/* 512 MB: no HighMem (an empty zone still gets the clamp's 32). 8 GB: a
 * large HighMem whose watermark gaps come from its lowmem share. */
HTEST(watermarks_512m_8g_by_hand)
{
	sim_boot(&sim_512m);
	CHECK_EQ(min_free_kbytes, 2867); /* int_sqrt(128480*4*16) */
	check_wmarks(ZONE_DMA, 14, 17, 20);
	check_wmarks(ZONE_NORMAL, 701, 876, 1051);
	check_wmarks(ZONE_HIGHMEM, 32, 32, 32);
	check_reserve(ZONE_DMA, 0, 491, 491);
	check_reserve(ZONE_NORMAL, 0, 0, 0);
	check_pcp(ZONE_NORMAL, 31, 876);
	check_pcp(ZONE_HIGHMEM, 1, 32);

	sim_boot(&sim_8g);
	CHECK_EQ(min_free_kbytes, 3660);
	check_wmarks(ZONE_DMA, 11, 13, 15);
	check_wmarks(ZONE_NORMAL, 903, 1128, 1353);
	check_wmarks(ZONE_HIGHMEM, 128, 2168, 4208);
	check_reserve(ZONE_DMA, 0, 808, 8103);
	check_reserve(ZONE_NORMAL, 0, 0, 58367);
	check_pcp(ZONE_HIGHMEM, 63, 2168);
}

/* 4 MB gives int_sqrt(798*4*16) = 225 kB; with 128 pages free the formula
 * gives int_sqrt(512*16) = 90 and the 128 kB floor applies. */
HTEST(watermarks_small_and_floor)
{
	static const struct sim_range ram[] = { { 0, 0x400 } };
	static const struct sim_range rsv[] = { { 0, 0x380 } };
	static const struct sim_layout l = { "512K-free", 0x400, 0x400, ram, 1, rsv, 1 };

	sim_boot(&sim_tiny);
	CHECK_EQ(min_free_kbytes, 225);
	check_wmarks(ZONE_DMA, 56, 70, 84);
	check_pcp(ZONE_DMA, 1, 70);
	sim_boot(&l); /* pages_min 32, all of it DMA's; tmp = max(32/4, 0) */
	CHECK_EQ(min_free_kbytes, 128);
	check_wmarks(ZONE_DMA, 32, 40, 48);
}
