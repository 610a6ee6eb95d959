/* test_page_fields.c - every struct page field has one meaning
 * (include/mm.h): _mapcount counts page-table mappings only, so kmap, vmap
 * and the slab allocator leave it at -1; the slab's own counts overlay
 * mapping/index only while PG_slab is set; the last alloc/free caller lives
 * in the page_ext side table, which exists only when page_owner= or
 * debug_pagealloc= asks for it, and those options take on/off only. */
#include "cmdline.h"
#include "highmem.h"
#include "htest.h"
#include "memblock.h"
#include "mmzone.h"
#include "pkmap.h"
#include "sim_mm.h"
#include "sim_vmalloc.h"
#include "slab.h"
#include "vmalloc.h"
#include "../../mm/slab_internal.h"

static void boot(void)
{
	cmdline_set("");
	sim_boot(&sim_2g);
	sim_vmalloc_reset();
	kmem_cache_init();
	vmalloc_init();
}

HTEST(page_mapcount_untouched_by_kmap_vmap_slab)
{
	boot();
	struct page *hp = alloc_pages(GFP_HIGHUSER, 0), *lp = alloc_pages(GFP_KERNEL, 0);
	CHECK(hp && PageHighMem(hp) && lp);
	/* kmap: the use count is the slot's */
	void *va = kmap(hp);
	void *va2 = kmap(hp);
	CHECK(va == va2);
	CHECK_EQ(hp->_mapcount, -1);
	CHECK_EQ(pkmap_count[PKMAP_NR(va)], 3);
	kunmap(hp);
	kunmap(hp);
	CHECK_EQ(hp->_mapcount, -1);
	/* kmap_atomic */
	void *a = kmap_atomic(hp);
	CHECK_EQ(hp->_mapcount, -1);
	kunmap_atomic(a);
	/* vmap, twice over the same pages */
	struct page *pages[2] = { hp, lp };
	void *v1 = vmap(pages, 2, VM_MAP, PAGE_KERNEL), *v2 = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	CHECK(v1 && v2);
	CHECK_EQ(hp->_mapcount, -1);
	CHECK_EQ(lp->_mapcount, -1);
	vunmap(v1);
	vunmap(v2);
	CHECK_EQ(hp->_mapcount, -1);
	/* slab: objects in use are `inuse`, the cache is `slab_cache` */
	struct kmem_cache *s = kmem_cache_create("fields-64", 64, 0, 0, NULL);
	void *o = kmem_cache_alloc(s, GFP_KERNEL);
	struct page *slab = obj_to_slab(s, o);
	CHECK(PageSlab(slab) && slab->slab_cache == s);
	CHECK(slab->inuse >= 1 && slab->inuse <= s->objects);
	CHECK_EQ(slab->_mapcount, -1);
	kmem_cache_free(s, o);
	kmem_cache_shrink(s);
	CHECK_EQ(kmem_cache_destroy(s), 0);
	/* given back: mapping and index are clear again, _mapcount still -1 */
	CHECK(!PageSlab(slab) && slab->mapping == NULL && slab->index == 0);
	CHECK_EQ(slab->_mapcount, -1);
	__free_pages(hp, 0);
	__free_pages(lp, 0);
	CHECK_EQ(check_free_areas(), 0);
}

#if UINTPTR_MAX == 0xffffffffu
_Static_assert(sizeof(struct page) == 32, "struct page is 32 bytes on i386");
#endif

/* Without the side table nothing is recorded and the report says so; with
 * it, the last allocator and freer of an order-0 page are named although
 * both went through what is normally the per-CPU fast path. */
HTEST(page_ext_records_last_caller_only_when_on)
{
	boot();
	CHECK(page_ext_table == NULL);
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	CHECK(lookup_page_ext(p) == NULL && page_ext_caller(p) == NULL);
	htest_log_clear();
	dump_page(p, "test");
	CHECK(htest_log_contains("last alloc/free by: not recorded (page_owner=on records it)"));
	__free_pages(p, 0);

	sim_page_ext_on();
	p = alloc_pages(GFP_KERNEL, 0);
	uintptr_t here = (uintptr_t)page_ext_records_last_caller_only_when_on;
	CHECK((uintptr_t)page_ext_caller(p) - here < 0x2000);
	htest_log_clear();
	dump_page(p, "test");
	CHECK(htest_log_contains("last alloc/free by: "));
	CHECK(!htest_log_contains("not recorded"));
	struct page_ext *e = lookup_page_ext(p);
	e->last_caller = NULL;
	__free_pages(p, 0);
	CHECK((uintptr_t)e->last_caller - here < 0x2000); /* the free recorded it */
	CHECK(PagePcp(p)); /* order 0 still goes to the per-CPU list */
	CHECK_EQ(check_free_areas(), 0);
}

/* debug_pagealloc= and page_owner= take on or off; anything else is refused
 * with a message naming the option, and the option stays off. "on" gets
 * the side table from memblock. */
HTEST(page_ext_options_on_off_only)
{
	boot();
	memblock_reset();
	memblock_add(0x100000, 0x1000000);
	memblock_set_current_limit(0x1100000);
	static const char *const bad[] = {
		"debug_pagealloc=1", "debug_pagealloc=yes", "debug_pagealloc", "page_owner=true",
	};
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		cmdline_set(bad[i]);
		htest_log_clear();
		debug_pagealloc = false;
		page_owner_enabled = false;
		page_ext_init();
		CHECK(!debug_pagealloc && !page_owner_enabled && page_ext_table == NULL);
		const char *name = bad[i][0] == 'd' ? "debug_pagealloc" : "page_owner";
		CHECK(htest_log_contains(name));
		CHECK(htest_log_contains("left off"));
	}
	cmdline_set("page_owner=off debug_pagealloc=off");
	htest_log_clear();
	page_ext_init();
	CHECK(!debug_pagealloc && !page_owner_enabled && page_ext_table == NULL);
	CHECK(!htest_log_contains("left off"));
	cmdline_set("page_owner=on");
	page_ext_init();
	CHECK(page_owner_enabled && !debug_pagealloc && page_ext_table != NULL);
	CHECK(htest_log_contains("page_ext: "));
	CHECK(page_ext_table[max_pfn - 1].last_caller == NULL);
	page_ext_table = NULL; /* memblock's, not malloc's: sim_boot must not free it */
	page_owner_enabled = false;
	cmdline_set("");
	memblock_reset();
	boot();
}

/* might_sleep_if(gfp & __GFP_DIRECT_RECLAIM): a GFP_KERNEL request that
 * goes past the per-CPU fast path (order 4 here, above the per-CPU lists'
 * orders, or a cache whose per-CPU array is empty) from atomic context is
 * reported; a GFP_ATOMIC one is not, nor a GFP_KERNEL one from a context
 * that may sleep. */
HTEST(might_sleep_if_direct_reclaim_in_atomic_context)
{
	boot();
	unsigned long before = might_sleep_reports;
	struct page *p = alloc_pages(GFP_KERNEL, 4);
	CHECK(p != NULL);
	__free_pages(p, 4);
	CHECK_EQ(might_sleep_reports, before);

	arch_preempt_count_inc(); /* a spinlock held, say */
	htest_log_clear();
	p = alloc_pages(GFP_ATOMIC, 4);
	CHECK(p != NULL);
	__free_pages(p, 4);
	CHECK_EQ(might_sleep_reports, before);
	p = alloc_pages(GFP_KERNEL, 4);
	CHECK(p != NULL); /* reported, and served: nothing sleeps yet */
	__free_pages(p, 4);
	CHECK_EQ(might_sleep_reports, before + 1);
	CHECK(htest_log_contains("BUG: sleeping function called from invalid context at "
				 "mm/page_alloc.c"));
	arch_preempt_count_dec();

	struct kmem_cache *s = kmem_cache_create("sleepy-96", 96, 0, 0, NULL);
	host_irqs_off = true; /* interrupts off: an atomic context too */
	htest_log_clear();
	void *o = kmem_cache_alloc(s, GFP_ATOMIC); /* the refill: the slow path */
	CHECK(o != NULL);
	kmem_cache_free(s, o);
	CHECK_EQ(might_sleep_reports, before + 1);
	kmem_cache_shrink(s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(o != NULL);
	CHECK_EQ(might_sleep_reports, before + 2);
	CHECK(htest_log_contains("BUG: sleeping function called from invalid context at mm/slab.c"));
	host_irqs_off = false;
	kmem_cache_free(s, o);
	kmem_cache_shrink(s);
	o = kmem_cache_alloc(s, GFP_KERNEL); /* the same request, from a context that may sleep */
	CHECK_EQ(might_sleep_reports, before + 2);
	kmem_cache_free(s, o);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}
