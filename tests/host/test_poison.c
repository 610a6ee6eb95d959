/* test_poison.c - debug_pagealloc's poisoning: a write to a free page is
 * reported, with the page and its last freer, when the page comes back. */
#include "gfp.h"
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"

static struct page *get(gfp_t gfp)
{
	struct page *p = alloc_pages(gfp, 0);

	CHECK(p != NULL);
	return p;
}

static void use_after_free(gfp_t gfp)
{
	sim_boot(&sim_2g); /* resets debug_pagealloc, so: */
	debug_pagealloc = true;
	setup_per_zone_wmarks(); /* which switches the per-CPU lists off, as at boot */
	struct page *p = get(gfp);
	unsigned long pfn = page_to_pfn(p);
	__free_pages(p, 0);
	CHECK(PagePoisoned(p));
	CHECK_EQ(((unsigned char *)phys_to_virt(page_to_phys(p)))[100], 0xaa);
	((unsigned char *)phys_to_virt(page_to_phys(p)))[100] = 1; /* the bug */
	unsigned long reports = page_poison_reports;
	htest_log_clear();
	struct page *q = get(gfp); /* the buddy lists give the same page back (LIFO) */
	CHECK_EQ(page_to_pfn(q), pfn);
	CHECK_EQ(page_poison_reports, reports + 1);
	CHECK(htest_log_contains("Bad page poison"));
	CHECK(htest_log_contains("offset 0x64 is 0x01"));
	CHECK(!PagePoisoned(q));
	__free_pages(q, 0);
	q = get(gfp); /* clean this time */
	CHECK_EQ(page_poison_reports, reports + 1);
	__free_pages(q, 0);
	struct page *big = alloc_pages(gfp, 3); /* order > 0: the buddy path */
	CHECK(big != NULL);
	__free_pages(big, 3);
	CHECK(PagePoisoned(big + 7));
	CHECK_EQ(check_free_areas(), 0);
	debug_pagealloc = false;
}

HTEST(poison_use_after_free_lowmem) { use_after_free(GFP_KERNEL); }
HTEST(poison_use_after_free_highmem) { use_after_free(GFP_HIGHUSER); }

HTEST(poison_off_by_default_costs_nothing)
{
	sim_boot(&sim_2g);
	struct page *p = get(GFP_KERNEL);
	__free_pages(p, 0);
	CHECK(!PagePoisoned(p));
}
