/* test_pkmap.c - kmap()/kunmap() on the simulated machine: the window's
 * counts, the page_address hash, one flush per wrap, and that no slot is
 * ever reused while a CPU could still hold its old translation (the sim's
 * TLB model counts that as an error). Sleeping for a slot needs threads:
 * that path is tested in-kernel (tests/kernel/pkmap_test.c). */
#include "arch.h"
#include "gfp.h"
#include "htest.h"
#include "mmzone.h"
#include "pkmap.h"
#include "preempt.h"
#include "sim_mm.h"
#include "sim_vmalloc.h"

static struct page *high_page(void)
{
	struct page *p = alloc_pages(GFP_HIGHUSER, 0);

	CHECK(p && PageHighMem(p));
	return p;
}

static void boot(void)
{
	sim_boot(&sim_2g);
	sim_vmalloc_reset();
}

static void finish(void)
{
	kmap_flush_unused(); /* leave no cached mapping for the next test */
	CHECK_EQ(sim_kernel_mapped(PKMAP_BASE, PKMAP_ADDR(LAST_PKMAP)), 0);
}

HTEST(pkmap_map_cache_and_page_address)
{
	boot();
	struct page *p = high_page();
	CHECK(page_address(p) == NULL);
	u32 *va = kmap(p);
	unsigned long v = (unsigned long)va;
	CHECK(v >= PKMAP_BASE && v < PKMAP_ADDR(LAST_PKMAP));
	CHECK(page_address(p) == va);
	CHECK(kmap_to_page(va) == p);
	CHECK(sim_kernel_va(v) == phys_to_virt(page_to_phys(p)));
	CHECK_EQ(pkmap_count[PKMAP_NR(va)], 2);
	CHECK_EQ(page_mapcount(p), 0); /* kmap users are pkmap's count, not _mapcount's */
	CHECK(page_kmapped(p));
	kunmap(p);
	CHECK_EQ(pkmap_count[PKMAP_NR(va)], 1);
	CHECK_EQ(page_mapcount(p), 0);
	CHECK(!page_kmapped(p)); /* cached, but no users */
	CHECK(page_address(p) == va); /* still cached */
	unsigned long hits = pkmap_stats.cache_hits;
	CHECK(kmap(p) == va);
	CHECK_EQ(pkmap_stats.cache_hits, hits + 1);
	kunmap(p);
	unsigned long flushes = sim_tlb_flushes;
	kmap_flush_unused();
	CHECK_EQ(sim_tlb_flushes, flushes + 1);
	CHECK(page_address(p) == NULL);
	CHECK_EQ(pkmap_count[PKMAP_NR(va)], 0);
	CHECK_EQ(sim_tlb_errors, 0);
	__free_pages(p, 0);
	finish();
}

HTEST(pkmap_one_flush_per_wrap_and_no_stale_reuse)
{
	static struct page *pg[LAST_PKMAP];

	boot();
	for (int i = 0; i < LAST_PKMAP; i++)
		pg[i] = high_page();
	unsigned long wraps = pkmap_stats.wraps, flushes = pkmap_stats.flushes;
	unsigned long maps = pkmap_stats.maps, hits = pkmap_stats.cache_hits;
	unsigned start = last_pkmap_nr;
	for (int round = 0; round < 5; round++)
		for (int i = 0; i < LAST_PKMAP; i += 1 + round % 2) {
			*(volatile u32 *)sim_kernel_va((unsigned long)kmap(pg[i])) = (u32)i;
			kunmap(pg[i]);
		}
	unsigned long fresh = (pkmap_stats.maps - maps) - (pkmap_stats.cache_hits - hits);
	CHECK(fresh >= LAST_PKMAP); /* at least one full pass, so at least one wrap */
	CHECK(pkmap_stats.wraps > wraps);
	CHECK_EQ(pkmap_stats.wraps - wraps, (start + fresh) / LAST_PKMAP);
	CHECK_EQ(pkmap_stats.flushes - flushes, pkmap_stats.wraps - wraps);
	CHECK_EQ(sim_tlb_errors, 0); /* never mapped over a possibly cached slot */
	for (int i = 0; i < LAST_PKMAP; i++) {
		CHECK_EQ(*(u32 *)phys_to_virt(page_to_phys(pg[i])), (u32)i);
		__free_pages(pg[i], 0);
	}
	finish();
}

HTEST(pkmap_lowmem_uses_no_slot)
{
	boot();
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	unsigned long maps = pkmap_stats.maps;
	CHECK(kmap(p) == page_address(p));
	kunmap(p);
	CHECK_EQ(pkmap_stats.maps, maps);
	__free_pages(p, 0);
	finish();
}

HTEST(pkmap_misuse_reported_and_changes_nothing)
{
	boot();
	struct page *p = high_page();
	unsigned long reports = pkmap_stats.reports;
	htest_log_clear();
	kunmap(p);
	CHECK(htest_log_contains("the page is not kmapped"));
	void *va = kmap(p);
	kunmap(p);
	htest_log_clear();
	kunmap(p);
	CHECK(htest_log_contains("unbalanced"));
	CHECK_EQ(pkmap_stats.reports, reports + 2);
	CHECK_EQ(pkmap_count[PKMAP_NR(va)], 1);
	/* freeing a page that is kmapped and in use is refused by the allocator's
	 * slow path: order-0 frees take it while page_ext is on */
	sim_page_ext_on();
	kmap(p);
	unsigned long free_before = nr_free_pages();
	htest_log_clear();
	__free_pages(p, 0);
	CHECK_EQ(nr_free_pages(), free_before);
	CHECK(htest_log_contains("freeing a page that is still kmapped"));
	CHECK_EQ(page_mapcount(p), 0);
	kunmap(p);
	/* kmap may sleep: in atomic context it is reported */
	unsigned long sleeps = might_sleep_reports;
	arch_preempt_count_inc();
	kmap(p);
	arch_preempt_count_dec();
	CHECK_EQ(might_sleep_reports, sleeps + 1);
	kunmap(p);
	__free_pages(p, 0);
	finish();
}

/* A HighMem block of order 1-3 has a per-CPU list now, but its free still
 * goes where the kmapped check is (the monitor's `free` of a kmapped
 * block relies on it): refused while a page of it is kmapped, kept whole. */
HTEST(pkmap_free_of_kmapped_high_order_block_refused)
{
	boot();
	struct page *b = alloc_pages(GFP_HIGHUSER, 2);
	CHECK(b != NULL && PageHighMem(b));
	kmap(b);
	unsigned long free_before = nr_free_pages();
	htest_log_clear();
	__free_pages(b, 2);
	CHECK_EQ(nr_free_pages(), free_before);
	CHECK(htest_log_contains("freeing a page that is still kmapped"));
	CHECK(PageHead(b) && !PagePcp(b));
	kunmap(b);
	__free_pages(b, 2);
	CHECK_EQ(nr_free_pages(), free_before + 4);
	CHECK_EQ(check_free_areas(), 0);
	finish();
}
