/* test_slab_kmalloc.c - hosted tests of kmalloc and its family: every size
 * class, alignment, kmalloc(0), kzalloc/kcalloc/krealloc/kstrdup, large
 * allocations, GFP_DMA, lowmem only, and nothing leaked. */
#include <stdint.h>
#include "test_slab.h"

static const unsigned classes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };

static unsigned class_of(size_t size)
{
	for (unsigned i = 0; i < ARRAY_SIZE(classes); i++)
		if (size <= classes[i])
			return classes[i];
	return 0;
}

/* Every size from 1 to 8192 goes to the smallest class that holds it. */
HTEST(slab_kmalloc_every_size_class)
{
	unsigned long bad = 0;

	slab_boot(&sim_2g, NULL);
	for (size_t size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		char *p = kmalloc(size, GFP_KERNEL);
		char name[32];
		if (!p) {
			bad++;
			continue;
		}
		snprintf(name, sizeof(name), "kmalloc-%u", class_of(size));
		bad += ksize(p) != class_of(size);
		bad += strcmp(kmem_cache_name(kmalloc_slab(size, GFP_KERNEL)), name) != 0;
		bad += (uintptr_t)p % 8 != 0;
		memset(p, 0xab, ksize(p)); /* ASan: all of it is ours */
		kfree(p);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(slab_reports, 0);
	CHECK(kmalloc_slab(0, GFP_KERNEL) == NULL);
	CHECK(kmalloc_slab(8193, GFP_KERNEL) == NULL);
}

/* Power-of-two classes are naturally aligned (physical addresses: the
 * simulated direct map is only page aligned, the kernel's is not). */
HTEST(slab_kmalloc_natural_alignment)
{
	enum { N = 40 };
	void *p[N];

	slab_boot(&sim_512m, NULL);
	for (unsigned c = 0; c < ARRAY_SIZE(classes); c++) {
		unsigned size = classes[c], align = (size & (size - 1)) ? 8 : size;
		unsigned long bad = 0;
		for (int i = 0; i < N; i++) {
			p[i] = kmalloc(size, GFP_KERNEL);
			bad += !p[i] || __pa(p[i]) % align != 0;
		}
		for (int i = 0; i < N; i++)
			kfree(p[i]);
		CHECK_EQ(bad, 0);
	}
}

HTEST(slab_kmalloc_zero_and_null)
{
	slab_boot(&sim_512m, NULL);
	htest_log_clear();
	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kzalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	kmem_cache_free(kmalloc_slab(8, GFP_KERNEL), NULL);
	CHECK_EQ(ksize(NULL), 0);
	CHECK_EQ(ksize(ZERO_SIZE_PTR), 0);
	CHECK_EQ(slab_reports, 0);
	CHECK_STREQ(htest_log(), "");
}

HTEST(slab_kzalloc_kcalloc)
{
	slab_boot(&sim_512m, NULL);
	unsigned char *p = kmalloc(200, GFP_KERNEL);
	memset(p, 0xee, 200);
	kfree(p);
	/* the same object comes back (this CPU's array is LIFO), zeroed */
	unsigned char *z = kzalloc(200, GFP_KERNEL);
	CHECK(z == p);
	unsigned long nonzero = 0;
	for (int i = 0; i < 256; i++)
		nonzero += z[i] != 0;
	CHECK_EQ(nonzero, 0);
	kfree(z);

	CHECK(kcalloc(SIZE_MAX / 2 + 1, 2, GFP_KERNEL) == NULL);
	CHECK(kcalloc(2, SIZE_MAX / 2 + 1, GFP_KERNEL) == NULL);
	CHECK(kcalloc((size_t)1 << 33, (size_t)1 << 31, GFP_KERNEL) == NULL);
	CHECK(kcalloc(0, 100, GFP_KERNEL) == ZERO_SIZE_PTR);
	unsigned *a = kcalloc(100, sizeof(unsigned), GFP_KERNEL);
	CHECK(a != NULL);
	CHECK_EQ(ksize(a), 512);
	nonzero = 0;
	for (int i = 0; i < 100; i++)
		nonzero += a[i] != 0;
	CHECK_EQ(nonzero, 0);
	kfree(a);
	CHECK_EQ(slab_reports, 0);
}

HTEST(slab_krealloc_kstrdup)
{
	slab_boot(&sim_512m, NULL);
	char *p = krealloc(NULL, 10, GFP_KERNEL);
	CHECK(p != NULL);
	memcpy(p, "highland", 9);
	CHECK(krealloc(p, 16, GFP_KERNEL) == p); /* still fits its class */
	char *q = krealloc(p, 100, GFP_KERNEL);
	CHECK(q != p);
	CHECK_STREQ(q, "highland");
	CHECK_EQ(ksize(q), 128);
	char *big = krealloc(q, 20000, GFP_KERNEL); /* into a large allocation */
	CHECK_STREQ(big, "highland");
	CHECK(PageLargeKmalloc(virt_to_page(big)));
	CHECK(krealloc(big, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(!PageLargeKmalloc(virt_to_page(big)));

	char *s = kstrdup("a teaching kernel", GFP_KERNEL);
	CHECK_STREQ(s, "a teaching kernel");
	CHECK_EQ(ksize(s), 32);
	kfree(s);
	CHECK(kstrdup(NULL, GFP_KERNEL) == NULL);
	CHECK_EQ(slab_reports, 0);
}

/* Above 8192 bytes: one block of pages, PG_large_kmalloc on its head. */
HTEST(slab_kmalloc_large)
{
	slab_boot(&sim_2g, NULL);
	unsigned long before = free_pages_now(), slab_before = slab_pages();
	char *p = kmalloc(8193, GFP_KERNEL);
	struct page *page = virt_to_page(p);
	CHECK(p != NULL);
	CHECK_EQ((uintptr_t)p % PAGE_SIZE, 0);
	CHECK(PageLargeKmalloc(page) && PageHead(page) && !PageSlab(page));
	CHECK_EQ(page->private, 2); /* 3 pages round up to an order-2 block */
	CHECK_EQ(ksize(p), 4 * PAGE_SIZE);
	CHECK_EQ(slab_pages(), slab_before + 4);
	CHECK_EQ(page_zonenum(page), ZONE_NORMAL);
	memset(p, 1, ksize(p));
	kfree(p);
	CHECK(!PageLargeKmalloc(page));
	CHECK_EQ(slab_pages(), slab_before);
	CHECK_EQ(free_pages_now(), before);

	/* the largest block the page allocator has, and one byte more */
	p = kmalloc(PAGE_SIZE << (MAX_ORDER - 1), GFP_KERNEL | __GFP_ZERO);
	CHECK(p != NULL && p[12345] == 0);
	kfree(p);
	CHECK(kmalloc((PAGE_SIZE << (MAX_ORDER - 1)) + 1, GFP_KERNEL) == NULL);
	CHECK(htest_log_contains("more than the largest block"));
	htest_log_clear();
	CHECK(kmalloc(SIZE_MAX, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_STREQ(htest_log(), "");

	p = kmalloc(50000, GFP_DMA | __GFP_HIGHMEM);
	CHECK_EQ(page_zonenum(virt_to_page(p)), ZONE_DMA);
	kfree(p);
	CHECK_EQ(free_pages_now(), before);
	CHECK_EQ(slab_reports, 0);
}

/* GFP_DMA has its own caches, whose slabs come from ZONE_DMA. */
HTEST(slab_kmalloc_gfp_dma)
{
	slab_boot(&sim_2g, NULL);
	for (unsigned c = 0; c < ARRAY_SIZE(classes); c++) {
		char name[32];
		void *d = kmalloc(classes[c], GFP_DMA);
		void *n = kmalloc(classes[c], GFP_KERNEL);
		snprintf(name, sizeof(name), "dma-kmalloc-%u", classes[c]);
		CHECK_STREQ(kmem_cache_name(kmalloc_slab(classes[c], GFP_DMA)), name);
		CHECK_EQ(page_zonenum(virt_to_page(d)), ZONE_DMA);
		CHECK_EQ(page_zonenum(virt_to_page(n)), ZONE_NORMAL);
		CHECK(PageSlab(virt_to_page(d)));
		kfree(d);
		kfree(n);
	}
	CHECK_EQ(slab_reports, 0);
}

/* Slab memory needs a permanent address: never HIGHMEM, even if asked. */
HTEST(slab_memory_is_lowmem)
{
	enum { N = 3000 };
	static void *p[N];
	unsigned long high = 0;

	slab_boot(&sim_8g, NULL);
	for (int i = 0; i < N; i++) {
		p[i] = kmalloc(classes[i % ARRAY_SIZE(classes)], GFP_HIGHUSER);
		high += !p[i] || PageHighMem(virt_to_page(p[i])) ||
			page_to_pfn(virt_to_page(p[i])) >= max_low_pfn;
	}
	CHECK_EQ(high, 0);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	void *big = kmalloc(100000, GFP_HIGHUSER);
	CHECK(!PageHighMem(virt_to_page(big)));
	kfree(big);
}

/* After everything is freed and the caches shrunk, every page is back and
 * no page of the slabs still carries slab state. */
HTEST(slab_kmalloc_no_leak)
{
	enum { N = 5000 };
	static void *p[N];
	unsigned long seed = 7;

	slab_boot(&sim_holes, NULL);
	unsigned long before = free_pages_now();
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++)
			p[i] = kmalloc(sim_rand(&seed) % 9000 + 1, GFP_KERNEL);
		for (int i = N - 1; i >= 0; i--) {
			int j = (int)(sim_rand(&seed) % (unsigned long)(i + 1));
			void *t = p[i];
			p[i] = p[j];
			p[j] = t;
			kfree(p[i]);
		}
	}
	CHECK(slab_pages() > 0); /* arrays and empty reserves hold some */
	shrink_all();
	CHECK_EQ(slab_pages(), 0);
	CHECK_EQ(free_pages_now(), before);
	CHECK_EQ(check_free_areas(), 0);
	unsigned long marked = 0;
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++)
		marked += PageSlab(pfn_to_page(pfn)) || PageLargeKmalloc(pfn_to_page(pfn));
	CHECK_EQ(marked, 0);
	CHECK_EQ(slab_reports, 0);
}
