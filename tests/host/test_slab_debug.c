/* test_slab_debug.c - hosted tests of slub_debug: the bytes around objects,
 * and every misuse detected and reported (once), the damaged object never
 * handed out again, nothing crashing. */
#include "test_slab.h"

#define DEBUG_ALL (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS)

static unsigned long bytes_not(const unsigned char *p, size_t n, unsigned char v)
{
	unsigned long bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += p[i] != v;
	return bad;
}

/* Z and P: 0xcc red zones and 0x5a while in use; 0xbb and 0x6b..0xa5 free. */
HTEST(slab_debug_object_bytes)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("dbg-64", 64, 0, DEBUG_ALL, NULL);
	CHECK_EQ(s->red_left, 8);
	CHECK_EQ(s->free_offset, 72); /* an 8-byte right red zone */
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(bytes_not(p - 8, 8, 0xcc), 0);
	CHECK_EQ(bytes_not(p, 64, 0x5a), 0);
	CHECK_EQ(bytes_not(p + 64, 8, 0xcc), 0);
	CHECK_EQ(*free_word(s, p), OBJ_ACTIVE);
	CHECK(obj_track(s, p, TRACK_ALLOC)->addr != NULL);
	kmem_cache_free(s, p);
	CHECK_EQ(bytes_not(p - 8, 8, 0xbb), 0);
	CHECK_EQ(bytes_not(p, 63, 0x6b), 0);
	CHECK_EQ(p[63], 0xa5);
	CHECK_EQ(bytes_not(p + 64, 8, 0xbb), 0);
	CHECK(obj_track(s, p, TRACK_FREE)->addr != NULL);
	CHECK(kmem_cache_zalloc(s, GFP_KERNEL) == p);
	CHECK_EQ(bytes_not(p, 64, 0), 0);
	kmem_cache_free(s, p);
	CHECK_EQ(slab_reports, 0);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}

static __attribute__((noinline)) void *alloc_here(struct kmem_cache *s)
{
	return kmem_cache_alloc(s, GFP_KERNEL);
}

/* Debug caches catch every double free, whatever happened in between,
 * and name who allocated and freed the object (slub_debug=U). */
HTEST(slab_debug_double_free)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("dbg-dfree", 100, 0, DEBUG_ALL, NULL);
	void *a = alloc_here(s), *b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, a);
	CHECK_EQ(slab_reports, 1);
	CHECK(htest_log_contains("BUG dbg-dfree (Not tainted): Object already free"));
	unsigned addr = 0;
	const char *at = strstr(htest_log(), "INFO: Allocated in 0x");
	CHECK(at && sscanf(at, "INFO: Allocated in 0x%x", &addr) == 1);
	CHECK(addr - (unsigned)(uintptr_t)alloc_here < 0x100); /* the caller of kmem_cache_alloc */
	CHECK(htest_log_contains("INFO: Freed in "));
	CHECK(htest_log_contains("INFO: Called from "));
	CHECK(htest_log_contains("FIX dbg-dfree: Object not freed again"));
	/* freed once only: handed out once */
	void *x = kmem_cache_alloc(s, GFP_KERNEL), *y = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(x != y && (x == a || y == a));
	kmem_cache_free(s, x);
	kmem_cache_free(s, y);
	CHECK_EQ(slab_reports, 1);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}

/* Without debugging: the most recent free on this CPU, and the slab's
 * freelist head when the array goes back. */
HTEST(slab_debug_double_free_cheap)
{
	slab_boot(&sim_512m, NULL);
	void *p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	kfree(p);
	CHECK_EQ(slab_reports, 1);
	CHECK(htest_log_contains("BUG kmalloc-64 (Not tainted): Object already free"));
	CHECK(htest_log_contains("Owners not tracked"));
	void *x = kmalloc(64, GFP_KERNEL), *y = kmalloc(64, GFP_KERNEL);
	CHECK(x == p && y != p);
	kfree(x);
	kfree(y);

	htest_log_clear();
	struct kmem_cache *s = kmem_cache_create("cheap", 64, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *keep = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	kmem_cache_shrink(s); /* a is now its slab's first free object */
	kmem_cache_free(s, a);
	CHECK_EQ(slab_reports, 1);
	kmem_cache_shrink(s);
	CHECK_EQ(slab_reports, 2);
	CHECK(htest_log_contains("BUG cheap (Not tainted): Object already free"));
	CHECK(htest_log_contains("Found when this CPU's cached objects went back"));
	kmem_cache_free(s, keep);
	CHECK_EQ(kmem_cache_destroy(s), 0);
	CHECK_EQ(slab_reports, 2);
}

/* A pointer inside an object, and one in a slab's unused tail. */
HTEST(slab_debug_invalid_object_pointer)
{
	slab_boot(&sim_512m, NULL);
	char *p = kmalloc(96, GFP_KERNEL);
	kfree(p + 1);
	CHECK_EQ(slab_reports, 1);
	CHECK(htest_log_contains("BUG kmalloc-96 (Not tainted): Invalid object pointer"));
	CHECK(htest_log_contains("is 1 bytes from the start of object"));
	CHECK(htest_log_contains("FIX kmalloc-96: Nothing freed"));
	char *base = slab_base(virt_to_page(p));
	kfree(base + 42 * 96); /* 4032: past the last of 42 objects */
	CHECK(htest_log_contains("in the unused tail of slab"));
	CHECK_EQ(ksize(p + 8), 0);
	CHECK_EQ(ksize(p), 96);
	CHECK_EQ(slab_reports, 3);

	struct kmem_cache *s = kmem_cache_create("dbg-ptr", 40, 0, DEBUG_ALL, NULL);
	char *o = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, o - 4); /* in the left red zone */
	CHECK(htest_log_contains("is -4 bytes from the start of object"));
	CHECK_EQ(slab_reports, 4);
	kmem_cache_free(s, o);
	kfree(p);
	CHECK_EQ(kmem_cache_destroy(s), 0);
	CHECK_EQ(slab_reports, 4);
}

HTEST(slab_debug_wrong_cache)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *c1 = kmem_cache_create("first", 64, 0, 0, NULL);
	struct kmem_cache *c2 = kmem_cache_create("second", 64, 0, DEBUG_ALL, NULL);
	void *a = kmem_cache_alloc(c1, GFP_KERNEL), *k = kmalloc(64, GFP_KERNEL);
	void *big = kmalloc(20000, GFP_KERNEL);
	kmem_cache_free(c2, a);
	CHECK(htest_log_contains("BUG second (Not tainted): Wrong slab cache. second but object is "
				 "from first"));
	kmem_cache_free(c1, k);
	CHECK(htest_log_contains("Wrong slab cache. first but object is from kmalloc-64"));
	kmem_cache_free(c1, big);
	CHECK(htest_log_contains("a large kmalloc (free it with kfree)"));
	CHECK_EQ(slab_reports, 3);
	CHECK(PageLargeKmalloc(virt_to_page(big)));
	kmem_cache_free(c1, a); /* nothing happened to them */
	kfree(k);
	kfree(big);
	CHECK_EQ(kmem_cache_destroy(c1), 0);
	CHECK_EQ(kmem_cache_destroy(c2), 0);
	CHECK_EQ(slab_reports, 3);
}

/* kfree of what no slab or large kmalloc owns: validated before anything
 * it points to is touched, reported, nothing changed. */
HTEST(slab_debug_kfree_not_owned)
{
	char on_stack[16] = "";

	slab_boot(&sim_2g, NULL);
	unsigned long before = free_pages_now();
	kfree(on_stack);
	CHECK(htest_log_contains("BUG kmalloc (Not tainted): Invalid pointer"));
	CHECK(htest_log_contains("not a lowmem (direct-map) address"));
	kfree((void *)0x12345678);
	kfree(sim_frame(max_low_pfn + 100)); /* a highmem frame */
	kfree((char *)sim_frame(0) - 64);     /* below the direct map */
	CHECK_EQ(slab_reports, 4);

	struct page *pg = alloc_pages(GFP_KERNEL, 1);
	kfree(page_address(pg));
	CHECK(htest_log_contains("a page from alloc_pages, not from kmalloc"));
	kfree((char *)page_address(pg) + PAGE_SIZE);
	CHECK(PageHead(pg) && page_count(pg) == 1);
	__free_pages(pg, 1);
	kfree(page_address(pfn_to_page(0x200))); /* boot kept it */
	CHECK(htest_log_contains("a reserved page"));
	char *big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	kfree(big + 5000);
	CHECK(htest_log_contains("5000 bytes into the large kmalloc at"));
	kfree(big + PAGE_SIZE);
	CHECK(PageLargeKmalloc(virt_to_page(big)));
	kfree(big);
	kfree(big);
	CHECK(htest_log_contains("a free page (a large kmalloc freed twice?)"));
	CHECK_EQ(ksize(on_stack), 0);
	CHECK_EQ(slab_reports, 11);
	CHECK_EQ(free_pages_now(), before);
	CHECK_EQ(check_free_areas(), 0);
}

/* slub_debug=P: a write after free is found when the object would be
 * handed out again; it is quarantined instead, never to come back. */
HTEST(slab_debug_write_after_free)
{
	enum { N = 300 };
	static void *o[N];

	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("dbg-uaf", 64, 0, DEBUG_ALL, NULL);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	p[5] = 0x42;
	void *q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q != p);
	CHECK_EQ(slab_reports, 1);
	CHECK(htest_log_contains("BUG dbg-uaf (Not tainted): Poison overwritten"));
	CHECK(htest_log_contains("@offset=5. First byte 0x42 instead of 0x6b"));
	CHECK(htest_log_contains("INFO: Freed in "));
	CHECK(htest_log_contains("Object   "));
	CHECK(htest_log_contains("quarantined: never handed out again"));
	CHECK_EQ(s->nr_quarantined, 1);
	unsigned long again = 0;
	for (int i = 0; i < N; i++) {
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
		again += o[i] == p;
	}
	CHECK_EQ(again, 0);
	for (int i = 0; i < N; i++)
		kmem_cache_free(s, o[i]);
	kmem_cache_free(s, q);
	CHECK_EQ(slab_reports, 1);
	CHECK_EQ(kmem_cache_destroy(s), 0); /* quarantined objects are not live */
}

/* slub_debug=Z: writes past either end, found at free; the object is
 * quarantined, not freed. */
HTEST(slab_debug_write_past_end)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("dbg-rz", 64, 0, DEBUG_ALL, NULL);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);
	p[64] = 0x41;
	kmem_cache_free(s, p);
	CHECK_EQ(slab_reports, 1);
	CHECK(htest_log_contains("BUG dbg-rz (Not tainted): Redzone overwritten"));
	CHECK(htest_log_contains("@offset=64. First byte 0x41 instead of 0xcc"));
	CHECK(htest_log_contains("Redzone  "));
	CHECK(htest_log_contains("41 cc cc cc cc cc cc cc"));
	CHECK(htest_log_contains("quarantined: not freed"));
	CHECK_EQ(*free_word(s, p), OBJ_QUARANTINED);
	kmem_cache_free(s, p); /* the owner tries again: still refused */
	CHECK_EQ(slab_reports, 2);

	htest_log_clear();
	unsigned char *l = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(l != p);
	l[-1] = 0;
	kmem_cache_free(s, l);
	CHECK(htest_log_contains("BUG dbg-rz (Not tainted): Left Redzone overwritten"));
	CHECK(htest_log_contains("@offset=-1. First byte 0x0 instead of 0xcc"));
	CHECK_EQ(s->nr_quarantined, 2);
	CHECK_EQ(kmem_cache_destroy(s), 0);
	CHECK_EQ(slab_reports, 3);
}

/* Damage in a free object or in a slab's padding is still found when the
 * slab goes back to the page allocator. */
HTEST(slab_debug_found_at_discard)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("dbg-discard", 64, 0, DEBUG_ALL, NULL);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);
	unsigned char *pad = (unsigned char *)slab_base(obj_to_slab(s, p)) + s->objects * s->size;
	CHECK(s->objects * s->size < PAGE_SIZE);
	CHECK_EQ(*pad, POISON_INUSE);
	kmem_cache_free(s, p);
	p[10] = 1;
	*pad = 2;
	CHECK(kmem_cache_shrink(s) > 0);
	CHECK(htest_log_contains("BUG dbg-discard (Not tainted): Poison overwritten"));
	CHECK(htest_log_contains("Slab freed with the damaged object"));
	CHECK(htest_log_contains("BUG dbg-discard (Not tainted): Padding overwritten"));
	CHECK_EQ(slab_reports, 2);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}

/* A freelist pointing outside its slab is reported; the slab is taken out
 * of use and allocation goes on from other slabs. */
HTEST(slab_debug_freelist_corrupt)
{
	enum { N = 64 };
	void *o[N];

	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("corrupt", 64, 0, 0, NULL);
	for (int i = 0; i < N; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	struct page *slab = obj_to_slab(s, o[0]);
	for (int i = 0; i < N; i += 2)
		kmem_cache_free(s, o[i]);
	kmem_cache_shrink(s);
	u32 *link = free_word(s, slab_object(s, slab, slab_freelist(slab)));
	*link = 0x7777; /* a write after free over the link */
	for (int i = 0; i < N; i += 2)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(slab_reports, 1);
	CHECK(htest_log_contains("BUG corrupt (Not tainted): Freechain corrupt"));
	CHECK(htest_log_contains("Marking all objects used"));
	CHECK(s->nr_quarantined > 0);
	for (int i = 0; i < N; i++)
		kmem_cache_free(s, o[i]);
	CHECK_EQ(slab_reports, 1);
	CHECK_EQ(kmem_cache_destroy(s), 0); /* only quarantined objects left */
}

/* F walks the freelist at every operation: a corrupt link is found at
 * once, not when the allocator reaches it; and a wrong count is found and
 * fixed. */
HTEST(slab_debug_consistency_checks)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("dbg-f", 32, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);
	void *c = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	*free_word(s, a) = 0x7777; /* a stray write over the second free object's link */
	kmem_cache_free(s, c);
	CHECK_EQ(slab_reports, 1);
	CHECK(htest_log_contains("BUG dbg-f (Not tainted): Freechain corrupt"));

	CHECK_EQ(kmem_cache_destroy(s), 0); /* only quarantined objects left */

	struct kmem_cache *t = kmem_cache_create("dbg-count", 32, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	void *d = kmem_cache_alloc(t, GFP_KERNEL);
	struct page *slab = obj_to_slab(t, d);
	slab->inuse += 3;
	t->inuse += 3;
	kmem_cache_free(t, d);
	CHECK(htest_log_contains("BUG dbg-count (Not tainted): Wrong object count. Counter is 4 "
				 "but counted were 1"));
	CHECK_EQ(slab_reports, 2);
	CHECK_EQ(t->inuse, 0);
	CHECK_EQ(kmem_cache_destroy(t), 0);
}

/* With a constructor, P poisons nothing: free objects keep its work. */
static void ctor_mark(void *p) { memset(p, 0x11, 24); }

HTEST(slab_debug_ctor_not_poisoned)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("dbg-ctor", 24, 0, DEBUG_ALL, ctor_mark);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(bytes_not(p, 24, 0x11), 0);
	kmem_cache_free(s, p);
	CHECK_EQ(bytes_not(p, 24, 0x11), 0);
	CHECK_EQ(bytes_not(p + 24, 8, 0xbb), 0);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == p);
	kmem_cache_free(s, p);
	CHECK_EQ(slab_reports, 0);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}
