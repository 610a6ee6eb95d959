/* test_misuse.c - every misuse of __free_pages is reported (the reason, the
 * pfn, the page's state) and refused: the free lists, the counters and the
 * page itself are exactly as before. */
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"

struct before {
	struct sim_snapshot snap;
	struct page page; /* copy of the page concerned, if any */
	const struct page *where;
};

static void before(struct before *b, const struct page *p)
{
	sim_snapshot(&b->snap);
	b->where = p;
	if (p)
		b->page = *p;
	htest_log_clear();
}

/* The report names the reason; nothing changed. */
static void refused(const struct before *b, const char *reason)
{
	struct sim_snapshot now;

	CHECK(htest_log_contains(reason));
	if (!htest_log_contains(reason))
		printf("    # log was: %s\n", htest_log());
	sim_snapshot(&now);
	CHECK(sim_snapshot_equal(&b->snap, &now));
	if (b->where)
		CHECK(memcmp(&b->page, b->where, sizeof(b->page)) == 0);
	CHECK_EQ(check_free_areas(), 0);
}

/* A Bad page state report with the page dumped. */
static void bad_page_reported(const struct before *b, const struct page *p, const char *reason)
{
	char pfn[32];

	refused(b, reason);
	CHECK(htest_log_contains("BUG: Bad page state"));
	snprintf(pfn, sizeof(pfn), "pfn:0x%lx ", page_to_pfn(p));
	CHECK(htest_log_contains(pfn));
	CHECK(htest_log_contains("page dumped because: "));
	CHECK(htest_log_contains("the free was refused"));
}

HTEST(misuse_double_free_order0)
{
	struct before b;

	sim_boot(&sim_holes);
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 0); /* now on this CPU's list */
	before(&b, p);
	__free_pages(p, 0);
	bad_page_reported(&b, p, "double free");
	CHECK(htest_log_contains("flags: ") && htest_log_contains("pcp"));
	drain_all_pages(); /* now in the buddy lists, maybe merged away */
	before(&b, p);
	__free_pages(p, 0);
	bad_page_reported(&b, p, "double free");
}

HTEST(misuse_double_free_high_order)
{
	struct before b;

	sim_boot(&sim_holes);
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	__free_pages(p, 2);
	before(&b, p);
	__free_pages(p, 2);
	bad_page_reported(&b, p, "double free");
}

HTEST(misuse_wrong_order)
{
	struct before b;

	sim_boot(&sim_holes);
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	before(&b, p);
	__free_pages(p, 1);
	bad_page_reported(&b, p, "free with wrong order: allocated as order 2, freed as order 1");
	before(&b, p);
	__free_pages(p, 3);
	bad_page_reported(&b, p, "allocated as order 2, freed as order 3");
	before(&b, p); /* order 0: the per-CPU fast path must catch it too */
	__free_pages(p, 0);
	bad_page_reported(&b, p, "allocated as order 2, freed as order 0");
	struct page *q = alloc_pages(GFP_KERNEL, 0);
	before(&b, q);
	__free_pages(q, 1);
	bad_page_reported(&b, q, "allocated as order 0, freed as order 1");
	__free_pages(p, 2); /* the right free still works */
	__free_pages(q, 0);
	CHECK_EQ(page_count(p), 0);
	CHECK_EQ(check_free_areas(), 0);
}

HTEST(misuse_tail_page)
{
	struct before b;

	sim_boot(&sim_holes);
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	before(&b, p + 1);
	__free_pages(p + 1, 0);
	bad_page_reported(&b, p + 1, "freeing a tail page");
	before(&b, p + 2);
	__free_pages(p + 2, 1);
	bad_page_reported(&b, p + 2, "freeing a tail page");
	__free_pages(p, 2);
	CHECK_EQ(check_free_areas(), 0);
}

HTEST(misuse_reserved_page)
{
	struct before b;

	sim_boot(&sim_holes);
	struct page *p = pfn_to_page(0); /* page 0: never RAM to the allocator */
	before(&b, p);
	__free_pages(p, 0);
	bad_page_reported(&b, p, "freeing a reserved page");
	p = pfn_to_page(0x1950); /* a hole */
	before(&b, p);
	__free_pages(p, 0);
	bad_page_reported(&b, p, "freeing a reserved page");
	CHECK(htest_log_contains("flags: 0x40000001(reserved)"));
}

HTEST(misuse_mapped_page)
{
	struct before b;

	sim_boot(&sim_holes);
	struct page *p = alloc_pages(GFP_HIGHUSER, 0);
	p->_mapcount = 0; /* as if one page-table entry mapped it */
	before(&b, p);
	__free_pages(p, 0);
	bad_page_reported(&b, p, "freeing a page that page tables still map");
	CHECK(htest_log_contains("mapcount:1"));
	p->_mapcount = -1;
	/* a page still owned by an address_space (or anon_vma) is refused too */
	p->mapping = (struct address_space *)(uintptr_t)0x1230;
	before(&b, p);
	__free_pages(p, 0);
	bad_page_reported(&b, p, "non-NULL mapping");
	CHECK(htest_log_contains("mapping:"));
	p->mapping = NULL;
	__free_pages(p, 0);
	CHECK(PagePcp(p));
	/* a mapped tail page is refused too: each tail is checked with
	 * debug_pagealloc (per-page work the fast free leaves out) */
	debug_pagealloc = true;
	p = alloc_pages(GFP_HIGHUSER, 1);
	p[1]._mapcount = 0;
	before(&b, p + 1);
	__free_pages(p, 1);
	bad_page_reported(&b, p + 1, "is not its tail (or is still in use)");
	p[1]._mapcount = -1;
	__free_pages(p, 1);
	debug_pagealloc = false;
	CHECK_EQ(check_free_areas(), 0);
}

HTEST(misuse_bad_pointer)
{
	struct before b;
	struct page on_stack;

	sim_boot(&sim_holes);
	memset(&on_stack, 0, sizeof(on_stack));
	before(&b, NULL);
	__free_pages(mem_map + max_pfn + 3, 0);
	refused(&b, "not a struct page in mem_map");
	before(&b, NULL);
	__free_pages((struct page *)((char *)&mem_map[0x1234] + 4), 0); /* inside, misaligned */
	refused(&b, "not a struct page in mem_map");
	before(&b, NULL);
	__free_pages(&on_stack, 0);
	refused(&b, "not a struct page in mem_map");
	before(&b, NULL);
	__free_pages(mem_map - 1, 0);
	refused(&b, "not a struct page in mem_map");
}

HTEST(misuse_order_out_of_range)
{
	struct before b;

	sim_boot(&sim_holes);
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	before(&b, p);
	__free_pages(p, MAX_ORDER);
	bad_page_reported(&b, p, "order 11 out of range");
	__free_pages(p, 0);
}

HTEST(misuse_slab_page)
{
	struct before b;

	sim_boot(&sim_holes);
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	SetPageSlab(p);
	before(&b, p);
	__free_pages(p, 0);
	bad_page_reported(&b, p, "slab allocator still owns");
	ClearPageSlab(p);
	__free_pages(p, 0);
	CHECK_EQ(check_free_areas(), 0);
}

/* Extra references: each free drops one; the last one frees. */
HTEST(free_drops_references)
{
	struct sim_snapshot a, b;

	sim_boot(&sim_holes);
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	p->_refcount = 3; /* two get_page()s */
	sim_snapshot(&a);
	htest_log_clear();
	__free_pages(p, 1);
	__free_pages(p, 1);
	CHECK_EQ(page_count(p), 1);
	sim_snapshot(&b);
	CHECK(sim_snapshot_equal(&a, &b));
	CHECK_EQ(strlen(htest_log()), 0);
	__free_pages(p, 1);
	CHECK_EQ(page_count(p), 0);
	CHECK_EQ(zones[ZONE_NORMAL].free_pages, a.free_pages[ZONE_NORMAL] + 2);
	CHECK_EQ(check_free_areas(), 0);
}
