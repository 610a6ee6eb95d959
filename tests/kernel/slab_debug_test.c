/* slab_debug_test.c - every slab misuse report on the real machine: each
 * is counted once in slab_reports, says what Linux would say, names the
 * callers by symbol, never stops the kernel, and leaves the damaged object
 * out of use. The caches under test ask for debugging with SLAB_* flags,
 * so no command line is needed. Nothing leaks: the suite ends where it
 * started. */
#include "highmem.h"
#include "slab_test.h"

#define DEBUG_ALL (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS)

static struct slab_snapshot start;
static unsigned long reports;

static void test_debug_snapshot_start(struct ktest *t)
{
	slab_snapshot(&start);
	KTEST_EXPECT_LE(t, start.n, SNAP_MAX_CACHES);
}

/* One new report since the last check, containing each of the texts. */
static void expect_report(struct ktest *t, const char *a, const char *b)
{
	KTEST_EXPECT_EQ(t, slab_reports, reports + 1);
	reports = slab_reports;
	if (!log_has(a))
		KTEST_FAIL(t, "the log lacks \"%s\"", a);
	if (b && !log_has(b))
		KTEST_FAIL(t, "the log lacks \"%s\"", b);
}

static void test_debug_double_free(struct ktest *t)
{
	struct kmem_cache *s;
	void *a, *b, *k;

	KTEST_ALLOC_RETRY(t, s, kmem_cache_create("ktest-dfree", 64, 0, DEBUG_ALL, NULL));
	KTEST_ASSERT_ALLOC(t, s);
	KTEST_ALLOC_RETRY(t, a, kmem_cache_alloc(s, GFP_KERNEL));
	KTEST_ALLOC_RETRY(t, b, kmem_cache_alloc(s, GFP_KERNEL));
	if (!a || !b) {
		if (a)
			kmem_cache_free(s, a);
		if (b)
			kmem_cache_free(s, b);
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "kmem_cache_alloc(s, GFP_KERNEL)");
	}

	reports = slab_reports;
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, a);
	expect_report(t, "BUG ktest-dfree (Not tainted): Object already free",
		      "INFO: Allocated in test_debug_double_free+");
	KTEST_EXPECT_TRUE(t, log_has("INFO: Freed in test_debug_double_free+"));
	KTEST_EXPECT_TRUE(t, log_has("INFO: Called from test_debug_double_free+"));
	/* without debugging: the most recent free on this CPU */
	KTEST_ALLOC_RETRY(t, k, kmalloc(64, GFP_KERNEL));
	if (!k) {
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "kmalloc(64, GFP_KERNEL)");
	}
	kfree(k);
	kfree(k);
	expect_report(t, "BUG kmalloc-64 (Not tainted): Object already free", NULL);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
}

static void test_debug_invalid_pointer(struct ktest *t)
{
	struct kmem_cache *s;
	char *o, *k;

	KTEST_ALLOC_RETRY(t, s, kmem_cache_create("ktest-ptr", 48, 0, DEBUG_ALL, NULL));
	KTEST_ASSERT_ALLOC(t, s);
	KTEST_ALLOC_RETRY(t, o, kmem_cache_alloc(s, GFP_KERNEL));
	KTEST_ALLOC_RETRY(t, k, kmalloc(200, GFP_KERNEL));
	if (!o || !k) {
		if (o)
			kmem_cache_free(s, o);
		kfree(k);
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "kmem_cache_alloc(s, GFP_KERNEL) or kmalloc(200, GFP_KERNEL)");
	}

	reports = slab_reports;
	kmem_cache_free(s, o + 8);
	expect_report(t, "BUG ktest-ptr (Not tainted): Invalid object pointer",
		      "is 8 bytes from the start of object");
	kfree(k + 100);
	expect_report(t, "BUG kmalloc-256 (Not tainted): Invalid object pointer", NULL);
	kmem_cache_free(s, o);
	kfree(k);
	KTEST_EXPECT_EQ(t, slab_reports, reports);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
}

static void test_debug_wrong_cache(struct ktest *t)
{
	struct kmem_cache *a, *b;
	void *o = NULL;

	KTEST_ALLOC_RETRY(t, a, kmem_cache_create("ktest-one", 64, 0, DEBUG_ALL, NULL));
	KTEST_ALLOC_RETRY(t, b, kmem_cache_create("ktest-two", 64, 0, 0, NULL));
	if (a && b)
		KTEST_ALLOC_RETRY(t, o, kmem_cache_alloc(a, GFP_KERNEL));
	if (!o) {
		if (a)
			KTEST_EXPECT_EQ(t, kmem_cache_destroy(a), 0);
		if (b)
			KTEST_EXPECT_EQ(t, kmem_cache_destroy(b), 0);
		KTEST_ALLOC_FAILED(t, "kmem_cache_create(\"ktest-one\"/\"ktest-two\") or "
				   "kmem_cache_alloc(a, GFP_KERNEL)");
	}

	reports = slab_reports;
	kmem_cache_free(b, o);
	expect_report(t, "BUG ktest-two (Not tainted): Wrong slab cache. ktest-two but object is "
		      "from ktest-one", NULL);
	kmem_cache_free(a, o);
	KTEST_EXPECT_EQ(t, slab_reports, reports);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(a), 0);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(b), 0);
}

static char a_static_buffer[64];

/* Pointers nothing owns, each validated before anything is touched. */
static void test_debug_kfree_not_owned(struct ktest *t)
{
	char on_stack[32] = "";

	reports = slab_reports;
	kfree(on_stack);
	expect_report(t, "BUG kmalloc (Not tainted): Invalid pointer", NULL);
	kfree(a_static_buffer);
	expect_report(t, "a reserved page (kernel image, stack, firmware)", NULL);
	kfree((void *)0x12345678);
	expect_report(t, "not a lowmem (direct-map) address", NULL);
	kfree((void *)(high_memory + 5 * PAGE_SIZE)); /* above lowmem: never mapped there */
	expect_report(t, "not a lowmem (direct-map) address", NULL);
	kfree((void *)0xfffff123);
	expect_report(t, "not a lowmem (direct-map) address", NULL);

	struct page *pg;
	KTEST_ALLOC_RETRY(t, pg, alloc_pages(GFP_KERNEL, 0));
	KTEST_ASSERT_ALLOC(t, pg);
	kfree(page_address(pg));
	expect_report(t, "a page from alloc_pages, not from kmalloc", NULL);
	KTEST_EXPECT_EQ(t, page_count(pg), 1);
	__free_pages(pg, 0);
	struct page *hp = alloc_pages(GFP_HIGHUSER, 0);
	if (hp && PageHighMem(hp)) {
		void *va = kmap_atomic(hp);
		kfree(va); /* a kmap_atomic address is no kmalloc either */
		kunmap_atomic(va);
		expect_report(t, "not a lowmem (direct-map) address", NULL);
	}
	if (hp)
		__free_pages(hp, 0);

	char *big;
	KTEST_ALLOC_RETRY(t, big, kmalloc(5 * PAGE_SIZE, GFP_KERNEL));
	KTEST_ASSERT_ALLOC(t, big);
	kfree(big + 2 * PAGE_SIZE + 16);
	expect_report(t, "8208 bytes into the large kmalloc at", NULL);
	kfree(big);
	kfree(big);
	expect_report(t, "a free page (a large kmalloc freed twice?)", NULL);
}

/* slub_debug=P: found when the object would be handed out again. */
static void test_debug_write_after_free(struct ktest *t)
{
	enum { N = 200 };
	static void *o[N];
	struct kmem_cache *s;
	unsigned char *p;
	void *q;

	KTEST_ALLOC_RETRY(t, s, kmem_cache_create("ktest-uaf", 128, 0, DEBUG_ALL, NULL));
	KTEST_ASSERT_ALLOC(t, s);
	KTEST_ALLOC_RETRY(t, p, kmem_cache_alloc(s, GFP_KERNEL));
	if (!p) {
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "kmem_cache_alloc(s, GFP_KERNEL)");
	}

	reports = slab_reports;
	kmem_cache_free(s, p);
	p[100] = 0x99;
	/* an injected failure returns before the check: it runs on the next try */
	KTEST_ALLOC_RETRY(t, q, kmem_cache_alloc(s, GFP_KERNEL));
	if (!q) {
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "q = kmem_cache_alloc(s, GFP_KERNEL)");
	}
	expect_report(t, "BUG ktest-uaf (Not tainted): Poison overwritten",
		      "@offset=100. First byte 0x99 instead of 0x6b");
	KTEST_EXPECT_TRUE(t, log_has("INFO: Freed in test_debug_write_after_free+"));
	KTEST_EXPECT_TRUE(t, log_has("quarantined: never handed out again"));
	KTEST_EXPECT_TRUE(t, q != p);
	unsigned long again = 0;
	for (int i = 0; i < N; i++) {
		KTEST_ALLOC_RETRY(t, o[i], kmem_cache_alloc(s, GFP_KERNEL));
		if (!o[i]) {
			for (int j = 0; j < i; j++)
				kmem_cache_free(s, o[j]);
			kmem_cache_free(s, q);
			KTEST_EXPECT_EQ(t, again, 0);
			KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
			KTEST_ALLOC_FAILED(t, "o[i] = kmem_cache_alloc(s, GFP_KERNEL)");
		}
		again += o[i] == p;
	}
	for (int i = 0; i < N; i++)
		kmem_cache_free(s, o[i]);
	kmem_cache_free(s, q);
	KTEST_EXPECT_EQ(t, again, 0);
	KTEST_EXPECT_EQ(t, slab_reports, reports);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
}

/* slub_debug=Z: writes past either end, found at free. */
static void test_debug_write_past_end(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned char *p, *l;
	void *n;

	KTEST_ALLOC_RETRY(t, s, kmem_cache_create("ktest-rz", 100, 0, DEBUG_ALL, NULL));
	KTEST_ASSERT_ALLOC(t, s);
	KTEST_ALLOC_RETRY(t, p, kmem_cache_alloc(s, GFP_KERNEL));
	KTEST_ALLOC_RETRY(t, l, kmem_cache_alloc(s, GFP_KERNEL));
	if (!p || !l) {
		if (p)
			kmem_cache_free(s, p);
		if (l)
			kmem_cache_free(s, l);
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "kmem_cache_alloc(s, GFP_KERNEL)");
	}

	KTEST_EXPECT_EQ(t, kmem_cache_size(s), 104);
	reports = slab_reports;
	p[104] = 'A';
	kmem_cache_free(s, p);
	expect_report(t, "BUG ktest-rz (Not tainted): Redzone overwritten",
		      "@offset=104. First byte 0x41 instead of 0xcc");
	KTEST_EXPECT_TRUE(t, log_has("Redzone  "));
	KTEST_EXPECT_TRUE(t, log_has("quarantined: not freed"));
	l[-3] = 0;
	kmem_cache_free(s, l);
	expect_report(t, "BUG ktest-rz (Not tainted): Left Redzone overwritten", "@offset=-3.");
	KTEST_ALLOC_RETRY(t, n, kmem_cache_alloc(s, GFP_KERNEL));
	if (!n) {
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "n = kmem_cache_alloc(s, GFP_KERNEL)");
	}
	KTEST_EXPECT_TRUE(t, n != p && n != l);
	kmem_cache_free(s, n);
	KTEST_EXPECT_EQ(t, slab_reports, reports);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
}

/* Damage in a free object or the slab's padding: found when the slab goes. */
static void test_debug_found_at_discard(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned char *p;

	KTEST_ALLOC_RETRY(t, s, kmem_cache_create("ktest-pad", 200, 0, DEBUG_ALL, NULL));
	KTEST_ASSERT_ALLOC(t, s);
	KTEST_ALLOC_RETRY(t, p, kmem_cache_alloc(s, GFP_KERNEL));
	if (!p) {
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "kmem_cache_alloc(s, GFP_KERNEL)");
	}

	reports = slab_reports;
	kmem_cache_free(s, p);
	p[0] = 0;
	KTEST_EXPECT_GT(t, kmem_cache_shrink(s), 0);
	expect_report(t, "BUG ktest-pad (Not tainted): Poison overwritten",
		      "Slab freed with the damaged object");
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
}

static void test_debug_no_leak(struct ktest *t)
{
	struct slab_snapshot end;

	slab_snapshot(&end);
	expect_same_snapshot(t, &start, &end);
}

static struct ktest_case slab_debug_cases[] = {
	KTEST_CASE(test_debug_snapshot_start),
	KTEST_CASE(test_debug_double_free),
	KTEST_CASE(test_debug_invalid_pointer),
	KTEST_CASE(test_debug_wrong_cache),
	KTEST_CASE(test_debug_kfree_not_owned),
	KTEST_CASE(test_debug_write_after_free),
	KTEST_CASE(test_debug_write_past_end),
	KTEST_CASE(test_debug_found_at_discard),
	KTEST_CASE(test_debug_no_leak),
	{ 0 },
};
KTEST_SUITE(slab_debug, slab_debug_cases);
