/* slab_test.c - the slab allocator and kmalloc on the real machine, at
 * whatever RAM size this boot has: size classes, alignment, alloc/free
 * patterns, many caches, constructors, large kmalloc, ksize and friends,
 * GFP_DMA, lowmem only, other CPUs' arrays; and nothing leaked: every
 * cache and the free-page count end where they started. */
#include "arch.h"
#include "highmem.h"
#include "slab_test.h"

static struct slab_snapshot start;

static void test_snapshot_start(struct ktest *t)
{
	slab_snapshot(&start);
	KTEST_EXPECT_GE(t, start.n, 27); /* kmem_cache, kmalloc-*, dma-kmalloc-* */
	KTEST_EXPECT_LE(t, start.n, SNAP_MAX_CACHES);
}

static const unsigned classes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };

static unsigned class_of(size_t size)
{
	for (unsigned i = 0; i < ARRAY_SIZE(classes); i++)
		if (size <= classes[i])
			return classes[i];
	return 0;
}

/* Each size 1..8192: its class, 8-byte alignment, natural alignment for
 * powers of two (the direct map keeps physical alignment). */
static void test_every_size_class(struct ktest *t)
{
	unsigned long bad = 0;

	for (size_t size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		unsigned c = class_of(size), align = (c & (c - 1)) ? 8 : c;
		unsigned char *p;
		KTEST_ALLOC_RETRY(t, p, kmalloc(size, GFP_KERNEL));
		if (!p) {
			KTEST_EXPECT_EQ(t, bad, 0); /* what was checked so far */
			KTEST_ALLOC_FAILED(t, "kmalloc(size, GFP_KERNEL)");
		}
		bad += ksize(p) != c || (unsigned long)p % align != 0;
		p[0] = 1;
		p[c - 1] = 2;
		kfree(p);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
}

/* LIFO, FIFO and interleaved frees over every class, contents checked. */
static void test_alloc_free_patterns(struct ktest *t)
{
	enum { N = 600 };
	static unsigned char *p[N];
	unsigned long bad = 0, seed = 12345;

	for (int pattern = 0; pattern < 3; pattern++) {
		for (int i = 0; i < N; i++) {
			size_t size = classes[i % ARRAY_SIZE(classes)] - (size_t)(i % 7);
			KTEST_ALLOC_RETRY(t, p[i], kmalloc(size, GFP_KERNEL));
			if (!p[i]) {
				for (int j = 0; j < i; j++) {
					kfree(p[j]);
					p[j] = NULL;
				}
				KTEST_EXPECT_EQ(t, bad, 0);
				KTEST_ALLOC_FAILED(t, "kmalloc(size, GFP_KERNEL)");
			}
			memset(p[i], i & 0xff, size);
		}
		for (int k = 0; k < N; k++) {
			int i = pattern == 0 ? N - 1 - k : pattern == 1 ? k : 0;
			if (pattern == 2) { /* a random live one */
				seed = seed * 1103515245 + 12345;
				i = (int)((seed >> 8) % N);
				while (!p[i])
					i = (i + 1) % N;
			}
			size_t size = classes[i % ARRAY_SIZE(classes)] - (size_t)(i % 7);
			bad += p[i][0] != (i & 0xff) || p[i][size - 1] != (i & 0xff);
			kfree(p[i]);
			p[i] = NULL;
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0);
}

static unsigned long ctor_calls;

enum { MANY_NC = 24, MANY_NO = 50 };
static struct kmem_cache *many_c[MANY_NC];
static u32 *many_o[MANY_NC][MANY_NO];

/* Everything test_many_caches holds, freed; the caches destroyed. */
static void many_caches_cleanup(struct ktest *t)
{
	for (int i = 0; i < MANY_NC; i++) {
		for (int k = 0; k < MANY_NO; k++) {
			if (many_o[i][k])
				kmem_cache_free(many_c[i], many_o[i][k]);
			many_o[i][k] = NULL;
		}
		if (many_c[i])
			KTEST_EXPECT_EQ(t, kmem_cache_destroy(many_c[i]), 0);
		many_c[i] = NULL;
	}
}

static void ctor_stamp(void *p)
{
	ctor_calls++;
	*(u32 *)p = 0xc0ffee;
}

/* Many caches side by side; each object on a page that names its cache;
 * the constructor ran once for each object of each slab. */
static void test_many_caches(struct ktest *t)
{
	enum { NC = MANY_NC, NO = MANY_NO };
	struct kmem_cache **c = many_c;
	u32 *(*o)[NO] = many_o;
	char name[32];
	unsigned long bad = 0;

	ctor_calls = 0;
	for (int i = 0; i < NC; i++) {
		snprintf(name, sizeof(name), "ktest-many-%d", i);
		KTEST_ALLOC_RETRY(t, c[i], kmem_cache_create(name, (size_t)(8 + i * 123), 0,
						       i % 2 ? SLAB_HWCACHE_ALIGN : 0, ctor_stamp));
		if (!c[i]) {
			many_caches_cleanup(t);
			KTEST_ALLOC_FAILED(t, "kmem_cache_create(name, ...)");
		}
	}
	for (int k = 0; k < NO; k++)
		for (int i = 0; i < NC; i++) {
			KTEST_ALLOC_RETRY(t, o[i][k], kmem_cache_alloc(c[i], GFP_KERNEL));
			if (!o[i][k]) {
				KTEST_EXPECT_EQ(t, bad, 0);
				many_caches_cleanup(t);
				KTEST_ALLOC_FAILED(t, "kmem_cache_alloc(c[i], GFP_KERNEL)");
			}
			bad += *o[i][k] != 0xc0ffee;
			bad += virt_to_page(o[i][k])->slab_cache != c[i];
		}
	unsigned long expect = 0;
	for (int i = 0; i < NC; i++) {
		struct kmem_cache_info info;
		kmem_cache_get_info(c[i], &info);
		expect += info.num_objs;
	}
	KTEST_EXPECT_EQ(t, ctor_calls, expect);
	KTEST_EXPECT_EQ(t, bad, 0);
	many_caches_cleanup(t); /* frees every object, expects each destroy to return 0 */
}

static void test_large_kmalloc(struct ktest *t)
{
	static const size_t sizes[] = { 8193, 12288, 65536, 100000, 1 << 20, 4 << 20 };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *p;
		KTEST_ALLOC_RETRY(t, p, kmalloc(sizes[i], GFP_KERNEL | __GFP_NOWARN));
		if (!p && sizes[i] == (4 << 20))
			continue; /* no free 4 MB block is not a bug */
		if (!p)
			KTEST_ALLOC_FAILED(t, "kmalloc(sizes[i], GFP_KERNEL | __GFP_NOWARN)");
		struct page *page = virt_to_page(p);
		KTEST_EXPECT_EQ(t, (unsigned long)p % PAGE_SIZE, 0);
		KTEST_EXPECT_TRUE(t, PageLargeKmalloc(page) && !PageSlab(page));
		KTEST_EXPECT_GE(t, ksize(p), sizes[i]);
		KTEST_EXPECT_LT(t, ksize(p), 2 * sizes[i]);
		KTEST_EXPECT_LT(t, page_to_pfn(page), max_low_pfn);
		p[0] = 1;
		p[sizes[i] - 1] = 2;
		kfree(p);
		KTEST_EXPECT_FALSE(t, PageLargeKmalloc(page));
	}
	KTEST_EXPECT_TRUE(t, kmalloc(64UL << 20, GFP_KERNEL | __GFP_NOWARN) == NULL);
}

static void test_ksize_krealloc_kcalloc(struct ktest *t)
{
	char *p, *q, *s, *z;
	u32 *a;

	KTEST_ALLOC_RETRY(t, p, kmalloc(20, GFP_KERNEL));
	KTEST_ASSERT_ALLOC(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 32);
	memcpy(p, "highmem", 8);
	KTEST_EXPECT_TRUE(t, krealloc(p, 32, GFP_KERNEL) == p);
	KTEST_ALLOC_RETRY(t, q, krealloc(p, 5000, GFP_KERNEL)); /* on failure p stays */
	if (!q) {
		kfree(p);
		KTEST_ALLOC_FAILED(t, "krealloc(p, 5000, GFP_KERNEL)");
	}
	KTEST_EXPECT_STREQ(t, q, "highmem");
	KTEST_EXPECT_EQ(t, ksize(q), 8192);
	KTEST_EXPECT_TRUE(t, krealloc(q, 0, GFP_KERNEL) == ZERO_SIZE_PTR);

	KTEST_EXPECT_TRUE(t, kcalloc(0x10000, 0x10000, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, kcalloc(SIZE_MAX, 2, GFP_KERNEL) == NULL);
	KTEST_ALLOC_RETRY(t, a, kcalloc(300, sizeof(u32), GFP_KERNEL));
	KTEST_ASSERT_ALLOC(t, a);
	unsigned long nonzero = 0;
	for (int i = 0; i < 300; i++)
		nonzero += a[i];
	KTEST_EXPECT_EQ(t, nonzero, 0);
	KTEST_EXPECT_EQ(t, ksize(a), 2048);
	kfree(a);
	KTEST_ALLOC_RETRY(t, s, kstrdup("kmalloc-16", GFP_KERNEL));
	KTEST_ASSERT_ALLOC(t, s);
	KTEST_EXPECT_STREQ(t, s, "kmalloc-16");
	KTEST_EXPECT_EQ(t, ksize(s), 16);
	kfree(s);
	KTEST_ALLOC_RETRY(t, z, kzalloc(100, GFP_KERNEL));
	KTEST_ASSERT_ALLOC(t, z);
	KTEST_EXPECT_EQ(t, z[0] | z[50] | z[127], 0);
	kfree(z);
}

/* GFP_DMA caches get ZONE_DMA pages; nothing ever comes from HIGHMEM. */
static void test_dma_and_lowmem(struct ktest *t)
{
	enum { N = 200 };
	static void *p[N];
	unsigned long bad = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(classes); i++) {
		void *d;
		KTEST_ALLOC_RETRY(t, d, kmalloc(classes[i], GFP_DMA));
		KTEST_ASSERT_ALLOC(t, d);
		KTEST_EXPECT_EQ(t, page_zonenum(virt_to_page(d)), ZONE_DMA);
		kfree(d);
	}
	struct kmem_cache *s;
	void *o;
	KTEST_ALLOC_RETRY(t, s, kmem_cache_create("ktest-dma", 700, 0, SLAB_CACHE_DMA, NULL));
	KTEST_ASSERT_ALLOC(t, s);
	KTEST_ALLOC_RETRY(t, o, kmem_cache_alloc(s, GFP_KERNEL));
	if (!o) {
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "kmem_cache_alloc(s, GFP_KERNEL)");
	}
	KTEST_EXPECT_EQ(t, page_zonenum(virt_to_page(o)), ZONE_DMA);
	kmem_cache_free(s, o);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
	for (int i = 0; i < N; i++) {
		KTEST_ALLOC_RETRY(t, p[i], kmalloc(classes[i % ARRAY_SIZE(classes)], GFP_HIGHUSER));
		if (!p[i]) {
			for (int j = 0; j < i; j++) {
				kfree(p[j]);
				p[j] = NULL;
			}
			KTEST_EXPECT_EQ(t, bad, 0);
			KTEST_ALLOC_FAILED(t, "kmalloc(..., GFP_HIGHUSER)");
		}
		bad += PageHighMem(virt_to_page(p[i]));
	}
	for (int i = 0; i < N; i++) {
		kfree(p[i]);
		p[i] = NULL;
	}
	KTEST_EXPECT_EQ(t, bad, 0);
}

/* Objects freed on another CPU go to that CPU's array; shrink has each
 * CPU flush its own. */
static struct kmem_cache *remote_cache;
static void *remote_obj[8];

static void remote_alloc_free(void *arg)
{
	struct ktest *t = arg; /* CPU 0 waits meanwhile */

	for (int i = 0; i < 8; i++)
		KTEST_ALLOC_RETRY(t, remote_obj[i], kmem_cache_alloc(remote_cache, GFP_ATOMIC));
	for (int i = 0; i < 8; i += 2)
		if (remote_obj[i])
			kmem_cache_free(remote_cache, remote_obj[i]);
}

static void test_other_cpus(struct ktest *t)
{
	struct kmem_cache_info info;

	KTEST_ALLOC_RETRY(t, remote_cache, kmem_cache_create("ktest-remote", 96, 0, 0, NULL));
	KTEST_ASSERT_ALLOC(t, remote_cache);
	for (int i = 0; i < 8; i++)
		remote_obj[i] = NULL;
	if (arch_call_on_cpu(1, remote_alloc_free, t) < 0) {
		kmem_cache_destroy(remote_cache);
		KTEST_SKIP(t, "only one CPU online");
	}
	for (int i = 0; i < 8; i++) {
		if (remote_obj[i])
			continue;
		for (int j = 1; j < 8; j += 2) /* CPU 1 freed the even ones */
			if (remote_obj[j])
				kmem_cache_free(remote_cache, remote_obj[j]);
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(remote_cache), 0);
		KTEST_ALLOC_FAILED(t, "kmem_cache_alloc(remote_cache, GFP_ATOMIC) on CPU 1");
	}
	kmem_cache_get_info(remote_cache, &info);
	KTEST_EXPECT_EQ(t, info.active_objs, 4); /* the rest sit in CPU 1's array (no slub_debug) */
	for (int i = 1; i < 8; i += 2) /* freed here, on CPU 0 */
		kmem_cache_free(remote_cache, remote_obj[i]);
	kmem_cache_shrink(remote_cache);
	kmem_cache_get_info(remote_cache, &info);
	KTEST_EXPECT_EQ(t, info.cpu_cached, 0);
	KTEST_EXPECT_EQ(t, info.num_slabs, 0);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(remote_cache), 0);
}

static void test_destroy_with_live_objects(struct ktest *t)
{
	unsigned long reports = slab_reports;
	struct kmem_cache *s;
	void *a;

	KTEST_ALLOC_RETRY(t, s, kmem_cache_create("ktest-live", 128, 0, 0, NULL));
	KTEST_ASSERT_ALLOC(t, s);
	KTEST_ALLOC_RETRY(t, a, kmem_cache_alloc(s, GFP_KERNEL));
	if (!a) {
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
		KTEST_ALLOC_FAILED(t, "kmem_cache_alloc(s, GFP_KERNEL)");
	}

	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), -1);
	KTEST_EXPECT_EQ(t, slab_reports, reports + 1);
	KTEST_EXPECT_TRUE(t, log_has("BUG ktest-live (Not tainted): Objects remaining in ktest-live"));
	KTEST_EXPECT_TRUE(t, log_has("Slab cache still has objects"));
	kmem_cache_free(s, a);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(s), 0);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(kmalloc_slab(8, GFP_KERNEL)), -1);
}

static void test_slabinfo(struct ktest *t)
{
	void *p;

	KTEST_ALLOC_RETRY(t, p, kmalloc(64, GFP_KERNEL)); /* an active kmalloc-64 object */
	KTEST_ASSERT_ALLOC(t, p);
	show_slabinfo();
	if (log_has("(no memory to copy")) { /* its own copy of the counters failed */
		kfree(p);
		KTEST_ALLOC_FAILED(t, "show_slabinfo's copy of the counters");
	}
	KTEST_EXPECT_TRUE(t, log_has("slabinfo - version: 2.1"));
	KTEST_EXPECT_TRUE(t, log_has("# name            <active_objs> <num_objs> <objsize> "));
	KTEST_EXPECT_TRUE(t, log_has("kmalloc-64        "));
	KTEST_EXPECT_TRUE(t, log_has(" : tunables    0    0    0 : slabdata "));
	KTEST_EXPECT_GT(t, slab_pages(), 0);
	kfree(p);
}

static void test_no_leak(struct ktest *t)
{
	struct slab_snapshot end;

	slab_snapshot(&end);
	expect_same_snapshot(t, &start, &end);
}

static struct ktest_case slab_cases[] = {
	KTEST_CASE(test_snapshot_start),
	KTEST_CASE(test_every_size_class),
	KTEST_CASE(test_alloc_free_patterns),
	KTEST_CASE(test_many_caches),
	KTEST_CASE(test_large_kmalloc),
	KTEST_CASE(test_ksize_krealloc_kcalloc),
	KTEST_CASE(test_dma_and_lowmem),
	KTEST_CASE(test_other_cpus),
	KTEST_CASE(test_destroy_with_live_objects),
	KTEST_CASE(test_slabinfo),
	KTEST_CASE(test_no_leak),
	{ 0 },
};
KTEST_SUITE(slab, slab_cases);
