/* test_check.c - check_free_areas() finds each kind of corruption (and
 * survives broken links), and debug_pagealloc runs it after every buddy
 * operation. Each test corrupts, checks the report, repairs, and proves the
 * checker is satisfied again. */
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"

static struct zone *const normal = &zones[ZONE_NORMAL];

/* A free block of the given order in zone z (the list's first). */
static struct page *listed(struct zone *z, unsigned order)
{
	CHECK(!list_empty(&z->free_area[order].free_list));
	return list_first_entry(&z->free_area[order].free_list, struct page, lru);
}

static void expect_found(const char *text)
{
	htest_log_clear();
	CHECK(check_free_areas() > 0);
	CHECK(htest_log_contains(text));
	if (!htest_log_contains(text))
		printf("    # log was: %s\n", htest_log());
}

static void expect_clean(void)
{
	htest_log_clear();
	CHECK_EQ(check_free_areas(), 0);
	CHECK_EQ(strlen(htest_log()), 0);
}

/* holes: Normal has blocks of orders 0 (at 0x2e15), 1, 3, 5, 6, 8-10. */
static void boot(void)
{
	sim_boot(&sim_holes);
	expect_clean();
}

HTEST(check_flags_and_order)
{
	boot();
	struct page *p = listed(normal, 5);
	ClearPageBuddy(p);
	expect_found("on free_area[5] without PG_buddy");
	CHECK(htest_log_contains("PG_buddy blocks in the zone"));
	SetPageBuddy(p);
	expect_clean();

	p->private = 4;
	expect_found("on free_area[5] but its order is 4");
	p->private = 5;
	SetPageReserved(p);
	expect_found("free block with flags");
	ClearPageReserved(p);
	p->_refcount = 1;
	expect_found("free block with refcount 1");
	p->_refcount = 0;
	expect_clean();
}

HTEST(check_counters)
{
	boot();
	normal->free_area[3].nr_free++;
	expect_found("free_area[3].nr_free is");
	normal->free_area[3].nr_free--;
	normal->free_pages += 2;
	expect_found("free_pages is");
	normal->free_pages -= 2;
	expect_clean();
}

/* A second PG_buddy head inside a free block: two blocks claim a page. */
HTEST(check_overlap)
{
	boot();
	struct page *p = listed(normal, 8);
	struct page *in = p + 17;
	SetPageBuddy(in);
	expect_found("inside the free order-8 block");
	ClearPageBuddy(in);
	in->_refcount = 1; /* or an allocated page inside a free block */
	expect_found("inside the free order-8 block");
	in->_refcount = 0;
	expect_clean();
}

/* A block moved to a list of the wrong size: misaligned and overlapping. */
HTEST(check_misaligned)
{
	boot();
	struct page *p = pfn_to_page(0x2e15); /* order 0, odd pfn */
	CHECK(PageBuddy(p));
	CHECK_EQ(p->private, 0);
	list_del(&p->lru);
	normal->free_area[0].nr_free--;
	list_add(&p->lru, &normal->free_area[1].free_list);
	normal->free_area[1].nr_free++;
	p->private = 1;
	normal->free_pages++;
	expect_found("order-1 block not aligned to 2 pages");
	list_del(&p->lru);
	normal->free_area[1].nr_free--;
	list_add(&p->lru, &normal->free_area[0].free_list);
	normal->free_area[0].nr_free++;
	p->private = 0;
	normal->free_pages--;
	expect_clean();
}

/* A DMA block on Normal's list. */
HTEST(check_wrong_zone)
{
	boot();
	struct zone *dma = &zones[ZONE_DMA];
	struct page *p = listed(dma, 10);
	list_del(&p->lru);
	dma->free_area[10].nr_free--;
	dma->free_pages -= 1024;
	list_add(&p->lru, &normal->free_area[10].free_list);
	normal->free_area[10].nr_free++;
	normal->free_pages += 1024;
	expect_found("outside the zone");
	CHECK(htest_log_contains("zone bits say zone 0"));
	list_del(&p->lru);
	normal->free_area[10].nr_free--;
	normal->free_pages -= 1024;
	list_add(&p->lru, &dma->free_area[10].free_list);
	dma->free_area[10].nr_free++;
	dma->free_pages += 1024;
	expect_clean();
}

/* Broken links are reported, never followed. */
HTEST(check_broken_links)
{
	boot();
	struct list_head *head = &normal->free_area[10].free_list;
	struct page *p = listed(normal, 10);
	struct list_head *saved = p->lru.next;

	p->lru.next = (struct list_head *)0x1234;
	expect_found("1234 after this entry is not a struct page");
	p->lru.next = LIST_POISON1; /* a list_del'ed page still linked */
	expect_found("is not a struct page");
	p->lru.next = &p->lru; /* a loop */
	expect_found("back link");
	CHECK(htest_log_contains("(not followed further)"));
	p->lru.next = saved;
	expect_clean();

	struct list_head *hp = head->prev;
	head->prev = head;
	expect_found("the head's back link");
	head->prev = hp;
	struct list_head *second = p->lru.next, *bp = second->prev;
	second->prev = head;
	expect_found("back link");
	second->prev = bp;
	expect_clean();
}

HTEST(check_pcp_lists)
{
	boot();
	struct page *a = alloc_pages(GFP_KERNEL, 0);
	struct page *b = alloc_pages(GFP_KERNEL, 0);
	__free_pages(a, 0);
	__free_pages(b, 0); /* batch 1, high 6: both stay on CPU 0's list */
	CHECK_EQ(normal->pcp[0].count, 2);
	expect_clean();

	b->_refcount = 1;
	expect_found("on a per-CPU list with refcount 1");
	b->_refcount = 0;
	ClearPagePcp(b);
	expect_found("on a per-CPU list with flags");
	CHECK(htest_log_contains("PG_pcp pages in the zone, 2 on per-CPU lists"));
	SetPagePcp(b);
	normal->pcp[0].count = 3;
	expect_found("cpu 0 per-CPU count is 3, the lists have 2");
	normal->pcp[0].count = 2;
	expect_clean();

	/* a page claiming to be on a per-CPU list that is on none */
	struct page *c = alloc_pages(GFP_KERNEL, 0);
	SetPagePcp(c);
	expect_found("2 PG_pcp pages in the zone, 1 on per-CPU lists");
	ClearPagePcp(c);
	__free_pages(c, 0);
	expect_clean();
}

/* A free block that fell off its list: PG_buddy, but on no list. */
HTEST(check_lost_block)
{
	boot();
	struct page *p = listed(normal, 6);
	list_del(&p->lru);
	normal->free_area[6].nr_free--;
	expect_found("PG_buddy blocks in the zone, ");
	CHECK(htest_log_contains("free_pages is"));
	list_add(&p->lru, &normal->free_area[6].free_list);
	normal->free_area[6].nr_free++;
	expect_clean();
}

/* debug_pagealloc: every buddy operation is followed by a full check. */
HTEST(debug_pagealloc_checks_after_buddy_ops)
{
	boot();
	debug_pagealloc = true;
	htest_log_clear();
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	struct page *q = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 1);
	__free_pages(q, 0);
	CHECK_EQ(strlen(htest_log()), 0); /* consistent: silent */

	normal->free_area[9].nr_free++;
	htest_log_clear();
	p = alloc_pages(GFP_KERNEL, 4); /* above the per-CPU lists' orders: the buddy lists */
	CHECK(htest_log_contains("debug_pagealloc: 1 problem(s) in the free lists after an allocation"));
	htest_log_clear();
	__free_pages(p, 4);
	CHECK(htest_log_contains("after a free"));
	htest_log_clear();
	q = alloc_pages(GFP_KERNEL, 0); /* on the per-CPU list: no buddy operation */
	CHECK_EQ(strlen(htest_log()), 0);
	q = alloc_pages(GFP_KERNEL, 0); /* list empty: a refill */
	CHECK(htest_log_contains("after a per-CPU refill"));
	normal->free_area[9].nr_free--;
	__free_pages(q, 0);
	debug_pagealloc = false;
	expect_clean();
}

/* A wrecked zone reports a screenful, not a flood. */
HTEST(check_report_is_capped)
{
	boot();
	struct page *p = listed(normal, 10);
	for (int i = 1; i <= 40; i++)
		p[i]._refcount = 1;
	expect_found("inside the free order-10 block");
	CHECK(htest_log_contains("check_free_areas: zone Normal: 8 more problem(s) not shown"));
	for (int i = 1; i <= 40; i++)
		p[i]._refcount = 0;
	expect_clean();
}
