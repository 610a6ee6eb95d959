/* test_slab_cache.c - hosted tests of kmem_cache_*: arguments, layout and
 * slab order, constructors, the per-CPU arrays (refill, drain, one per
 * CPU), shrink, destroy (with and without live objects), many caches, the
 * struct page of a slab, allocation failure. */
#include "test_slab.h"

HTEST(slab_cache_bad_arguments)
{
	slab_boot(&sim_512m, NULL);
	CHECK(kmem_cache_create(NULL, 32, 0, 0, NULL) == NULL);
	CHECK(kmem_cache_create("", 32, 0, 0, NULL) == NULL);
	CHECK(kmem_cache_create("zero", 0, 0, 0, NULL) == NULL);
	CHECK(kmem_cache_create("align3", 32, 3, 0, NULL) == NULL);
	CHECK(kmem_cache_create("huge", 8UL << 20, 0, 0, NULL) == NULL);
	CHECK(htest_log_contains("kmem_cache_create(align3) failed"));
	CHECK(kmem_cache_destroy(NULL) == 0);
	CHECK(kmem_cache_destroy(kmalloc_slab(64, GFP_KERNEL)) == -1);
	CHECK(htest_log_contains("kmem_cache_destroy kmalloc-64: a boot cache is permanent"));
	CHECK(kmem_cache_destroy(kmem_cache_cache) == -1);
}

HTEST(slab_cache_layout)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *a = kmem_cache_create("layout-20", 20, 0, 0, NULL);
	CHECK_EQ(kmem_cache_size(a), 24);
	CHECK_EQ(a->size, 24);
	CHECK_EQ(a->order, 0);
	CHECK_EQ(a->objects, PAGE_SIZE / 24);
	CHECK_EQ(a->free_offset, 0); /* free objects hold their own link */

	struct kmem_cache *hw = kmem_cache_create("hw-20", 20, 0, SLAB_HWCACHE_ALIGN, NULL);
	CHECK_EQ(hw->align, 32); /* two share a cache line */
	struct kmem_cache *hw2 = kmem_cache_create("hw-100", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	CHECK_EQ(hw2->size, 128);
	struct kmem_cache *al = kmem_cache_create("align-256", 40, 256, 0, NULL);
	void *o = kmem_cache_alloc(al, GFP_KERNEL);
	CHECK_EQ(__pa(o) % 256, 0);
	kmem_cache_free(al, o);

	/* big objects get bigger slabs, at most an eighth wasted */
	struct kmem_cache *big = kmem_cache_create("big-3000", 3000, 0, 0, NULL);
	CHECK_EQ(big->order, 3);
	CHECK_EQ(big->objects, 10);
	struct kmem_cache *huge = kmem_cache_create("huge-1M", 1 << 20, 0, 0, NULL);
	CHECK_EQ(huge->order, 8);
	CHECK_EQ(huge->objects, 1);
	void *h = kmem_cache_alloc(huge, GFP_KERNEL);
	CHECK(h != NULL);
	kmem_cache_free(huge, h);
	CHECK_EQ(kmem_cache_destroy(huge), 0);
	CHECK_EQ(slab_reports, 0);
}

/* The struct page of every slab page records the cache; the first one
 * also the freelist and the count in use; all of it restored on free. */
HTEST(slab_cache_struct_page)
{
	slab_boot(&sim_2g, NULL);
	struct kmem_cache *s = kmem_cache_create("pages-2048", 2048, 0, 0, NULL);
	unsigned long before = free_pages_now();
	char *o = kmem_cache_alloc(s, GFP_KERNEL);
	struct page *slab = obj_to_slab(s, o);
	CHECK_EQ(s->order, 2);
	for (unsigned i = 0; i < 4; i++) {
		CHECK(PageSlab(slab + i));
		CHECK(slab[i].slab_cache == s);
		CHECK_EQ(page_mapcount(slab + i), 0); /* no page table maps a slab */
	}
	CHECK_EQ(slab_inuse(slab), s->batch); /* a batch went to this CPU's array */
	CHECK(obj_to_slab(s, o + 2047) == slab);
	kmem_cache_free(s, o);
	CHECK_EQ(kmem_cache_shrink(s), 4);
	for (unsigned i = 0; i < 4; i++)
		CHECK(!PageSlab(slab + i) && slab[i].mapping == NULL && slab[i].index == 0);
	CHECK_EQ(page_mapcount(slab), 0);
	CHECK_EQ(free_pages_now(), before);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}

static unsigned long ctor_calls;

static void ctor_fill(void *p)
{
	ctor_calls++;
	memset(p, 0x3c, 48);
}

/* A constructor runs once per object, when its slab is made; free objects
 * keep the constructed state (the freelist link lives outside them). */
HTEST(slab_cache_constructor)
{
	enum { N = 500 };
	static unsigned char *p[N];
	unsigned long bad = 0;

	slab_boot(&sim_512m, NULL);
	ctor_calls = 0;
	struct kmem_cache *s = kmem_cache_create("ctor-48", 48, 0, 0, ctor_fill);
	CHECK_EQ(s->free_offset, 48);
	for (int i = 0; i < N; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(ctor_calls, s->nr_slabs * s->objects);
	unsigned long calls = ctor_calls;
	/* every other object back and out again, through the slabs too */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i += 2)
			kmem_cache_free(s, p[i]);
		kmem_cache_shrink(s); /* flushes the array; no slab is empty */
		for (int i = 0; i < N; i += 2) {
			p[i] = kmem_cache_alloc(s, GFP_KERNEL);
			for (int b = 0; b < 48; b++)
				bad += p[i][b] != 0x3c;
		}
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(ctor_calls, calls);
	for (int i = 0; i < N; i++)
		kmem_cache_free(s, p[i]);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}

/* An empty array takes a batch from the slabs; a full one gives its batch
 * oldest objects back. */
HTEST(slab_cache_cpu_array_refill_drain)
{
	enum { N = 100 };
	void *p[N];

	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("array-64", 64, 0, 0, NULL);
	void **objs = s->cpu_objs[0];
	CHECK_EQ(s->limit, 30);
	CHECK_EQ(s->batch, 15);
	p[0] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(cpu_array_count(s, 0), 14);
	CHECK_EQ(s->inuse, 15);
	for (int i = 1; i < N; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	/* out of the slabs: what was handed out, and what this CPU holds */
	CHECK_EQ(s->inuse - cpu_array_count(s, 0), N);
	int k = 0;
	while (cpu_array_count(s, 0) < s->limit)
		kmem_cache_free(s, p[k++]);
	CHECK(objs[30] == p[k - 1]);
	unsigned long inuse = s->inuse;
	kmem_cache_free(s, p[k]); /* full: the 15 oldest go back first */
	CHECK_EQ(cpu_array_count(s, 0), 30 - 15 + 1);
	CHECK_EQ(s->inuse, inuse - 15);
	CHECK(objs[16] == p[k]);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == p[k]); /* LIFO: cache-hot */
	for (int i = k; i < N; i++)
		kmem_cache_free(s, p[i]);
	CHECK(objs[0] == NULL);
	kmem_cache_shrink(s);
	CHECK_EQ(cpu_array_count(s, 0), 0);
	CHECK_EQ(s->inuse, 0);
	CHECK_EQ(s->nr_slabs, 0);
	CHECK_EQ(kmem_cache_destroy(s), 0);
	CHECK_EQ(slab_reports, 0);
}

/* Each CPU has its own array; shrink flushes every one of them. */
HTEST(slab_cache_cpu_arrays_per_cpu)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("percpu-32", 32, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	host_cpu_id = 3;
	void *b = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(a != b);
	CHECK_EQ(cpu_array_count(s, 3), s->batch - 1);
	kmem_cache_free(s, a); /* freed on CPU 3: goes to CPU 3's array */
	CHECK_EQ(cpu_array_count(s, 3), s->batch);
	CHECK(kmem_cache_alloc(s, GFP_KERNEL) == a);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	host_cpu_id = 0;
	CHECK_EQ(cpu_array_count(s, 0), s->batch - 1);
	struct kmem_cache_info info;
	kmem_cache_get_info(s, &info);
	CHECK_EQ(info.active_objs, 0);
	CHECK_EQ(info.cpu_cached, 2 * s->batch);
	kmem_cache_shrink(s);
	CHECK_EQ(cpu_array_count(s, 0) + cpu_array_count(s, 3), 0);
	CHECK_EQ(s->nr_slabs, 0);
	CHECK_EQ(host_cpu_id, 0);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}

/* An interrupt handler that interrupted this CPU's slab fast path (its
 * slab lock held: host_slab_cpu_locked plays that) leaves the arrays alone:
 * its kmalloc, kfree, kmem_cache_alloc and kmem_cache_free go straight to
 * the slabs under the cache lock, double frees of objects back on their
 * slab are still reported, and the lock holder's array is untouched. */
HTEST(slab_cache_interrupted_holder_uses_the_slabs)
{
	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("irq-48", 48, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL); /* fills this CPU's array */
	void *k = kmalloc(64, GFP_KERNEL);
	struct kmem_cache *k64 = kmalloc_slab(64, GFP_KERNEL);
	unsigned cached = cpu_array_count(s, 0), kcached = cpu_array_count(k64, 0);
	unsigned long inuse = s->inuse, kinuse = k64->inuse;
	unsigned pc = arch_preempt_count();

	host_slab_cpu_locked[0] = true;
	void *b = kmem_cache_alloc(s, GFP_ATOMIC);
	void *c = kmalloc(64, GFP_ATOMIC);
	CHECK(b != NULL && b != a && c != NULL && c != k);
	CHECK_EQ(cpu_array_count(s, 0), cached);   /* the arrays untouched */
	CHECK_EQ(cpu_array_count(k64, 0), kcached);
	CHECK_EQ(s->inuse, inuse + 1);             /* taken from a slab */
	CHECK_EQ(k64->inuse, kinuse + 1);
	kmem_cache_free(s, b);
	kfree(c);
	CHECK_EQ(s->inuse, inuse);                 /* back on their slabs */
	CHECK_EQ(k64->inuse, kinuse);
	CHECK_EQ(cpu_array_count(s, 0), cached);
	CHECK_EQ(slab_reports, 0);
	kmem_cache_free(s, b);                     /* twice: on its slab's freelist */
	CHECK_EQ(slab_reports, 1);
	CHECK(htest_log_contains("Object already free"));
	CHECK_EQ(arch_preempt_count(), pc);        /* nothing left held */
	host_slab_cpu_locked[0] = false;

	kmem_cache_free(s, a);
	kfree(k);
	CHECK_EQ(cpu_array_count(s, 0), cached + 1); /* the fast path again */
	kmem_cache_shrink(s);
	CHECK_EQ(s->inuse, 0);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}

/* kmem_cache_free(NULL, p) is kfree(p) (the fast path must not take the
 * NULL cache for a match with a page whose slab_cache - its mapping - is
 * NULL too: a large kmalloc's). */
HTEST(slab_cache_free_with_null_cache_is_kfree)
{
	slab_boot(&sim_512m, NULL);
	void *big = kmalloc(20000, GFP_KERNEL), *small = kmalloc(64, GFP_KERNEL);
	struct page *head = virt_to_page(big);
	CHECK(PageLargeKmalloc(head));
	kmem_cache_free(NULL, big);
	CHECK(!PageLargeKmalloc(head));
	struct kmem_cache *k64 = kmalloc_slab(64, GFP_KERNEL);
	unsigned cached = cpu_array_count(k64, 0);
	kmem_cache_free(NULL, small);
	CHECK_EQ(cpu_array_count(k64, 0), cached + 1);
	CHECK_EQ(slab_reports, 0);
	struct page *pg = alloc_pages(GFP_KERNEL, 0); /* its mapping is NULL */
	kmem_cache_free(NULL, page_address(pg));      /* reported, not freed */
	CHECK_EQ(slab_reports, 1);
	CHECK_EQ(page_count(pg), 1);
	__free_pages(pg, 0);
}

/* Freed slabs beyond a reserve of one go back at once; shrink takes all. */
HTEST(slab_cache_shrink_and_reserve)
{
	enum { N = 2000 };
	static void *p[N];

	slab_boot(&sim_512m, NULL);
	unsigned long before = free_pages_now();
	struct kmem_cache *s = kmem_cache_create("shrink-100", 100, 0, 0, NULL);
	for (int i = 0; i < N; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	unsigned long slabs = s->nr_slabs;
	CHECK_EQ(slabs, (N + s->objects - 1) / s->objects);
	CHECK_EQ(slab_pages(), slabs + (1UL << kmem_cache_cache->order)); /* + struct kmem_cache's */
	for (int i = 0; i < N; i++)
		kmem_cache_free(s, p[i]);
	/* the reserve, and the slabs of the objects cached in this CPU's array */
	CHECK_EQ(s->nr_empty, SLAB_EMPTY_RESERVE);
	CHECK(s->nr_slabs <= SLAB_EMPTY_RESERVE + 2);
	unsigned long left = s->nr_slabs;
	CHECK_EQ(kmem_cache_shrink(s), (int)(left << s->order));
	CHECK_EQ(s->nr_slabs, 0);
	CHECK_EQ(kmem_cache_destroy(s), 0);
	shrink_all();
	CHECK_EQ(free_pages_now(), before);
}

/* Destroy refuses while objects are live, and lists them; the cache stays
 * usable, and destroying it later works. */
HTEST(slab_cache_destroy_with_live_objects)
{
	char addr[32];

	slab_boot(&sim_512m, NULL);
	unsigned long before = free_pages_now();
	struct kmem_cache *s = kmem_cache_create("live-256", 256, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);
	void *c = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, b);
	CHECK_EQ(kmem_cache_destroy(s), -1);
	CHECK_EQ(slab_reports, 1);
	CHECK(htest_log_contains("BUG live-256 (Not tainted): Objects remaining in live-256 on "
				 "kmem_cache_destroy()"));
	snprintf(addr, sizeof(addr), "INFO: Object %p ", a);
	CHECK(htest_log_contains(addr));
	snprintf(addr, sizeof(addr), "INFO: Object %p ", c);
	CHECK(htest_log_contains(addr));
	snprintf(addr, sizeof(addr), "INFO: Object %p ", b);
	CHECK(!htest_log_contains(addr));
	CHECK(htest_log_contains("Slab cache still has objects"));
	void *d = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, d);
	kmem_cache_free(s, a);
	kmem_cache_free(s, c);
	CHECK_EQ(kmem_cache_destroy(s), 0);
	CHECK_EQ(slab_reports, 1);
	shrink_all();
	CHECK_EQ(free_pages_now(), before);
}

static void count_cache(struct kmem_cache *s, void *arg)
{
	(void)s;
	(*(unsigned *)arg)++;
}

static unsigned nr_caches(void)
{
	unsigned n = 0;

	kmem_cache_for_each(count_cache, &n);
	return n;
}

/* Many caches at once, objects interleaved; every object's page names
 * its cache; all destroyed, every page back. */
HTEST(slab_cache_many_caches)
{
	enum { NC = 60, NO = 40 };
	static struct kmem_cache *c[NC];
	static unsigned char *o[NC][NO];
	char name[32];
	unsigned long bad = 0;

	slab_boot(&sim_2g, NULL);
	unsigned long before = free_pages_now();
	unsigned base = nr_caches();
	CHECK_EQ(base, 27); /* kmem_cache + 13 kmalloc + 13 dma-kmalloc */
	for (int i = 0; i < NC; i++) {
		snprintf(name, sizeof(name), "many-%d", i);
		c[i] = kmem_cache_create(name, (size_t)(i * 37 % 3000 + 1), 0,
					 i % 3 ? 0 : SLAB_HWCACHE_ALIGN, NULL);
	}
	CHECK_EQ(nr_caches(), base + NC);
	for (int k = 0; k < NO; k++)
		for (int i = 0; i < NC; i++) {
			o[i][k] = kmem_cache_alloc(c[i], GFP_KERNEL);
			memset(o[i][k], i, kmem_cache_size(c[i]));
		}
	for (int i = 0; i < NC; i++)
		for (int k = 0; k < NO; k++) {
			bad += virt_to_page(o[i][k])->slab_cache != c[i];
			bad += o[i][k][0] != i || o[i][k][kmem_cache_size(c[i]) - 1] != i;
			kmem_cache_free(c[i], o[i][k]);
		}
	CHECK_EQ(bad, 0);
	for (int i = 0; i < NC; i++)
		CHECK_EQ(kmem_cache_destroy(c[i]), 0);
	CHECK_EQ(nr_caches(), base);
	shrink_all();
	CHECK_EQ(free_pages_now(), before);
	CHECK_EQ(slab_reports, 0);
}

/* Out of memory: NULL and Linux's message, then everything comes back. */
HTEST(slab_cache_out_of_memory)
{
	enum { N = 2000 };
	static void *p[N];
	int n = 0;

	slab_boot(&sim_tiny, NULL);
	unsigned long before = free_pages_now();
	while (n < N && (p[n] = kmalloc(4096, GFP_KERNEL)))
		n++;
	CHECK(n > 100 && n < N);
	CHECK(htest_log_contains("SLUB: Unable to allocate memory on node -1"));
	CHECK(htest_log_contains("cache: kmalloc-4096, object size: 4096"));
	while (n--)
		kfree(p[n]);
	shrink_all();
	CHECK_EQ(free_pages_now(), before);
	CHECK_EQ(slab_reports, 0);
}

HTEST(slab_cache_zalloc_and_dma)
{
	slab_boot(&sim_2g, NULL);
	struct kmem_cache *s = kmem_cache_create("dma-cache", 300, 0, SLAB_CACHE_DMA, NULL);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(page_zonenum(virt_to_page(p)), ZONE_DMA);
	memset(p, 0x77, 300);
	kmem_cache_free(s, p);
	p = kmem_cache_zalloc(s, GFP_KERNEL);
	unsigned long nonzero = 0;
	for (int i = 0; i < 304; i++)
		nonzero += p[i];
	CHECK_EQ(nonzero, 0);
	kmem_cache_free(s, p);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}
