/* vmalloc_test.c - vmalloc, vmap and kvmalloc on the real machine, at
 * whatever RAM size this boot has. Every case checks that the free pages
 * (plus what the slab caches hold: spare nodes are cached there) come back. */
#include "highmem.h"
#include "kstring.h"
#include "ktest.h"
#include "mmzone.h"
#include "printk.h"
#include "slab.h"
#include "vmalloc.h"

static unsigned long pages_now(void)
{
	drain_all_pages();
	return nr_free_pages() + slab_pages();
}

static bool has_highmem(void) { return totalhigh_pages() != 0; }

/* HighMem pages an ordinary allocation can still get: those above the
 * zone's min watermark (at least 32 pages). highmem=4K or 64K make a HighMem
 * zone none of whose pages an allocation may take. */
static unsigned long highmem_spare(void)
{
	const struct zone *z = &zones[ZONE_HIGHMEM];
	unsigned long mark = z->watermark[WMARK_MIN] + z->lowmem_reserve[ZONE_HIGHMEM];

	return z->free_pages > mark ? z->free_pages - mark : 0;
}

/* Is needle in the newest part of the kernel log? */
static bool log_has(const char *needle)
{
	static char log[8192];
	size_t n = log_read_tail(log, sizeof(log)), k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(log + i, needle, k) == 0)
			return true;
	return false;
}

static void test_contents_survive_across_areas(struct ktest *t)
{
	static const unsigned sizes[] = { 1, 3, 17, 64, 256 };
	u32 *area[ARRAY_SIZE(sizes)];
	unsigned long before = pages_now();

	for (unsigned a = 0; a < ARRAY_SIZE(sizes); a++) {
		area[a] = vmalloc(sizes[a] * PAGE_SIZE);
		if (!area[a]) {
			while (a--)
				vfree(area[a]);
			KTEST_ALLOC_FAILED(t, "area[a]");
		}
		for (unsigned i = 0; i < sizes[a] * 1024; i++)
			area[a][i] = (a << 24) ^ i ^ 0x5a5a0000u;
	}
	for (unsigned a = 0; a < ARRAY_SIZE(sizes); a++) {
		unsigned bad = 0;
		for (unsigned i = 0; i < sizes[a] * 1024; i++)
			bad += area[a][i] != ((a << 24) ^ i ^ 0x5a5a0000u);
		KTEST_EXPECT_EQ(t, bad, 0);
		vfree(area[a]);
	}
	KTEST_EXPECT_EQ(t, pages_now(), before);
}

static void test_pages_come_from_highmem(struct ktest *t)
{
	if (has_highmem() && highmem_spare() < 64 + 64)
		KTEST_SKIP(t, "the HighMem zone has too few pages above its min watermark for 64 "
			      "(highmem= set very small?)");
	unsigned long before = pages_now();
	char *p = vmalloc(64 * PAGE_SIZE), *low = vmalloc_32(16 * PAGE_SIZE);
	unsigned high = 0, lowcount = 0;

	if (!p || !low) {
		vfree(p);
		vfree(low);
		KTEST_ALLOC_FAILED(t, !p ? "p" : "low");
	}
	for (int i = 0; i < 64; i++)
		high += PageHighMem(vmalloc_to_page(p + i * PAGE_SIZE));
	for (int i = 0; i < 16; i++)
		lowcount += !PageHighMem(vmalloc_to_page(low + i * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, high, has_highmem() ? 64 : 0);
	KTEST_EXPECT_EQ(t, lowcount, 16);
	KTEST_EXPECT_EQ(t, (unsigned long)vmalloc_to_page(p + 5 * PAGE_SIZE + 123),
			(unsigned long)vmalloc_to_page(p + 5 * PAGE_SIZE));
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p) && is_vmalloc_addr(low));
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr((void *)PAGE_OFFSET));
	vfree(p);
	vfree(low);
	KTEST_EXPECT_EQ(t, pages_now(), before);
}

static void test_guard_page_faults(struct ktest *t)
{
	char *p = vmalloc(2 * PAGE_SIZE);
	char expect[160];

	KTEST_ASSERT_ALLOC(t, p);
	p[2 * PAGE_SIZE - 1] = 1; /* the last byte is fine */
	unsigned long guard = (unsigned long)p + 2 * PAGE_SIZE;
	KTEST_EXPECT_FAULT(t, 14, guard, ktest_read_nofault(guard));
	KTEST_EXPECT_FAULT(t, 14, guard + 100, ktest_write_nofault(guard + 100, 1));
	KTEST_EXPECT_TRUE(t, vmalloc_explain_fault(guard));
	snprintf(expect, sizeof(expect), "vmalloc: 0x%08lx is in the guard page of area "
		 "0x%08lx-0x%08lx (8192 bytes) allocated by test_guard_page_faults+", guard,
		 (unsigned long)p, guard);
	KTEST_EXPECT_TRUE(t, log_has(expect));
	KTEST_EXPECT_TRUE(t, vmalloc_explain_fault((unsigned long)p + 10));
	KTEST_EXPECT_TRUE(t, log_has("(8192 bytes, vmalloc) allocated by test_guard_page_faults+"));
	KTEST_EXPECT_FALSE(t, vmalloc_explain_fault(PAGE_OFFSET));
	vfree(p);
}

/* Fill the space with vmaps of one page (costs no memory) until the
 * allocator refuses and says why; then everything must come back. A vmap
 * that fails because a failure was injected (its node's kmalloc) is not
 * the end of the space: it is retried, a bounded number of times. */
static void test_space_exhaustion(struct ktest *t)
{
	static struct page *pages[1024];
	static void *areas[2048];
	unsigned long before = pages_now();
	int n = 0, retries = 0;

	vm_unmap_aliases();
	unsigned long space = vmalloc_free_bytes(), largest = vmalloc_largest_free();
	struct page *pg = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_ALLOC(t, pg);
	for (int i = 0; i < 1024; i++)
		pages[i] = pg;
	ktest_injected(t);
	for (unsigned count = 1024; count; count /= 2)
		while (n < 2048) {
			if ((areas[n] = vmap(pages, count, VM_MAP, PAGE_KERNEL))) {
				n++;
				continue;
			}
			if (ktest_injected(t) && retries++ < 1000)
				continue;
			break;
		}
	if (retries > 1000 || n == 0) { /* injected failures all the way */
		while (n)
			vunmap(areas[--n]);
		__free_page(pg);
		KTEST_ALLOC_FAILED(t, "vmap(pages, count, VM_MAP, PAGE_KERNEL)");
	}
	KTEST_EXPECT_LT(t, n, 2048);
	KTEST_EXPECT_LT(t, vmalloc_largest_free(), 2 * PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, log_has("vmap allocation for size 8192 failed: use vmalloc=<size> "
				     "to increase size"));
	KTEST_EXPECT_EQ(t, (unsigned long)vmalloc(PAGE_SIZE), 0);
	*(volatile u32 *)areas[n - 1] = 0xfeedu; /* one page behind them all */
	KTEST_EXPECT_EQ(t, *(volatile u32 *)areas[0], 0xfeedu);
	for (int i = 0; i < n; i++)
		vunmap(areas[i]);
	KTEST_EXPECT_EQ(t, page_mapcount(pg), 0);
	__free_page(pg);
	vm_unmap_aliases();
	KTEST_EXPECT_EQ(t, vmalloc_free_bytes(), space);
	KTEST_EXPECT_EQ(t, vmalloc_largest_free(), largest);
	KTEST_EXPECT_EQ(t, pages_now(), before);
}

static void test_misuse_reported(struct ktest *t)
{
	u32 *p = vmalloc(2 * PAGE_SIZE);
	struct page *pg = alloc_page(GFP_HIGHUSER);
	void *m = p && pg ? vmap(&pg, 1, VM_MAP, PAGE_KERNEL) : NULL;

	if (!m) {
		vfree(p);
		if (pg)
			__free_page(pg);
		KTEST_ALLOC_FAILED(t, !p ? "p" : !pg ? "pg" : "m");
	}
	unsigned long reports = vmalloc_reports, before = pages_now();

	p[1024] = 42;
	vfree(p + 1024); /* the middle */
	KTEST_EXPECT_TRUE(t, log_has("Trying to vfree() nonexistent vm area"));
	KTEST_EXPECT_TRUE(t, log_has("(caller test_misuse_reported+"));
	vfree(m);
	KTEST_EXPECT_TRUE(t, log_has("was made by vmap(), use vunmap()"));
	vunmap(p);
	KTEST_EXPECT_TRUE(t, log_has("was made by vmalloc(), use vfree()"));
	KTEST_EXPECT_EQ(t, vmalloc_reports, reports + 3);
	KTEST_EXPECT_EQ(t, pages_now(), before); /* nothing changed */
	KTEST_EXPECT_EQ(t, p[1024], 42);
	*(volatile u32 *)m = 7;
	vfree(p);
	vfree(p); /* the double vfree */
	KTEST_EXPECT_EQ(t, vmalloc_reports, reports + 4);
	KTEST_EXPECT_TRUE(t, log_has("already freed (use after vfree)") ||
			     log_has("in unallocated vmalloc space"));
	vunmap(m);
	__free_page(pg);
}

/* kvmalloc during which no failure was injected: an injected kmalloc
 * failure makes kvmalloc fall back to vmalloc, which is right, but it is
 * the very choice this case checks. So such a result is dropped and the
 * call repeated (bounded: NULL after an injected failure is a skip). */
static void *kvmalloc_uninjected(struct ktest *t, size_t size, gfp_t gfp)
{
	for (int tries = 0; tries < 1000; tries++) {
		ktest_injected(t);
		void *p = kvmalloc(size, gfp);
		if (!ktest_injected(t))
			return p;
		kvfree(p);
	}
	return NULL;
}

static void test_kvmalloc_choice(struct ktest *t)
{
	unsigned long before = pages_now();
	void *small = kvmalloc_uninjected(t, 100, GFP_KERNEL);
	void *mid = kvmalloc_uninjected(t, 3 * PAGE_SIZE, GFP_KERNEL);
	u32 *big = kvmalloc_uninjected(t, 64 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);

	if (!small || !mid || !big) {
		kvfree(small);
		kvfree(mid);
		kvfree(big);
		KTEST_ALLOC_FAILED(t, !small ? "small" : !mid ? "mid" : "big");
	}
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(small));
	KTEST_EXPECT_FALSE(t, is_vmalloc_addr(mid));
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(big));
	KTEST_EXPECT_EQ(t, big[0] | big[64 * 1024 - 1], 0);
	kvfree(small);
	kvfree(mid);
	kvfree(big);
	KTEST_EXPECT_EQ(t, pages_now(), before);
}

/* Below the threshold no flush happens; the vfree that reaches it flushes
 * exactly once. A vmalloc failed by injection is retried; its range went
 * the lazy way (and may even have triggered a purge), so the lazy list is
 * flushed once more before the counting starts. */
static void test_lazy_flush_counting(struct ktest *t)
{
	static void *areas[512];
	const unsigned long per = 17; /* 64 KB and its guard page */
	unsigned long before = pages_now();

	vm_unmap_aliases();
	if (vmap_lazy_max_pages == 0)
		KTEST_SKIP(t, "vmap_lazy=0: every vfree flushes");
	unsigned long below = (vmap_lazy_max_pages - 1) / per;
	if (below + 1 > ARRAY_SIZE(areas))
		KTEST_SKIP(t, "vmap_lazy= is too large for this test");
	int retries = 0;
	bool injected = false;
	ktest_injected(t);
	for (unsigned long i = 0; i <= below; i++) {
		while (!(areas[i] = vmalloc(64 << 10)) && ktest_injected(t) && retries++ < 1000)
			injected = true;
		if (!areas[i]) {
			while (i--)
				vfree(areas[i]);
			KTEST_ALLOC_FAILED(t, "areas[i]");
		}
	}
	if (injected || ktest_injected(t))
		vm_unmap_aliases();
	unsigned long purges = vmap_purge_count;
	for (unsigned long i = 0; i < below; i++)
		vfree(areas[i]);
	KTEST_EXPECT_EQ(t, vmap_purge_count, purges);
	KTEST_EXPECT_EQ(t, vmap_lazy_pages, below * per);
	vfree(areas[below]);
	KTEST_EXPECT_EQ(t, vmap_purge_count, purges + 1);
	KTEST_EXPECT_EQ(t, vmap_lazy_pages, 0);
	KTEST_EXPECT_EQ(t, pages_now(), before);
}

/* Caller pages in one virtual range: a highmem page above 4 GB when this
 * machine has one (PAE at work), written through vmap and read through
 * kmap_atomic, and the other way round. The buddy allocator hands out low
 * highmem first, so the 4 MB blocks below 4 GB are held aside until one
 * above comes out. */
#define BIG_ORDER (MAX_ORDER - 1)

/* The largest order up to BIG_ORDER that fits the RAM above 4 GB (mem=4097M
 * leaves only 1 MB there: no 4 MB block can lie above 4 GB). */
static unsigned order_above_4g(void)
{
	unsigned long above = max_pfn - 0x100000UL;
	unsigned o = 0;

	while (o < BIG_ORDER && (2UL << o) <= above)
		o++;
	return o;
}

static struct page *block_above_4g(struct ktest *t)
{
	struct list_head held = LIST_HEAD_INIT(held);
	struct page *p, *found = NULL;
	int retries = 0;
	unsigned order = order_above_4g();

	ktest_injected(t);
	while (!found) {
		p = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, order);
		if (!p) { /* an injected failure is not the end of memory */
			if (ktest_injected(t) && retries++ < 1000)
				continue;
			break;
		}
		if (page_to_pfn(p) >= 0x100000UL)
			found = p;
		else
			list_add(&p->lru, &held);
	}
	while (!list_empty(&held)) {
		p = list_first_entry(&held, struct page, lru);
		list_del(&p->lru);
		__free_pages(p, order);
	}
	return found;
}

static void put_caller_pages(struct page **pg, struct page *above)
{
	for (int i = 0; i < 3; i++)
		if (pg[i] && pg[i] == above)
			__free_pages(above, order_above_4g());
		else if (pg[i])
			__free_page(pg[i]);
}

static void test_vmap_caller_pages(struct ktest *t)
{
	unsigned long before = pages_now();
	struct page *above = max_pfn > 0x100000UL ? block_above_4g(t) : NULL;
	struct page *pg[3] = { above, alloc_page(GFP_KERNEL), alloc_page(GFP_HIGHUSER) };

	if (max_pfn > 0x100000UL && !above) {
		put_caller_pages(pg, above);
		KTEST_ALLOC_FAILED(t, "above");
	}
	if (!pg[0])
		pg[0] = alloc_page(GFP_HIGHUSER);
	u32 *v = pg[0] && pg[1] && pg[2] ? vmap(pg, 3, VM_MAP, PAGE_KERNEL) : NULL;
	if (!v) {
		put_caller_pages(pg, above);
		KTEST_ALLOC_FAILED(t, !(pg[0] && pg[1] && pg[2]) ? "pg[0] && pg[1] && pg[2]" : "v");
	}
	for (int i = 0; i < 3; i++) {
		KTEST_EXPECT_EQ(t, (unsigned long)vmalloc_to_page(v + i * 1024), (unsigned long)pg[i]);
		KTEST_EXPECT_EQ(t, page_mapcount(pg[i]), 0); /* vmap leaves _mapcount alone */
		v[i * 1024 + 7] = 0xab000000u + page_to_pfn(pg[i]);
	}
	for (int i = 0; i < 3; i++) {
		u32 *k = kmap_atomic(pg[i]);
		KTEST_EXPECT_EQ(t, k[7], 0xab000000u + page_to_pfn(pg[i]));
		k[8] = 0xcd00u + (u32)i;
		kunmap_atomic(k);
		KTEST_EXPECT_EQ(t, v[i * 1024 + 8], 0xcd00u + (u32)i);
	}
	vunmap(v);
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t, page_mapcount(pg[i]), 0);
	put_caller_pages(pg, above);
	KTEST_EXPECT_EQ(t, pages_now(), before);
}

static void test_vmallocinfo_format(struct ktest *t)
{
	char *p = vmalloc(3 * PAGE_SIZE);
	char expect[96];

	KTEST_ASSERT_ALLOC(t, p);
	show_vmallocinfo();
	snprintf(expect, sizeof(expect), "0x%08lx-0x%08lx   16384 test_vmallocinfo_format+",
		 (unsigned long)p, (unsigned long)p + 4 * PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, log_has(expect));
	KTEST_EXPECT_TRUE(t, log_has(" pages=3 vmalloc\n"));
	KTEST_EXPECT_GE(t, vmalloc_used_kb(), 12);
	KTEST_EXPECT_EQ(t, vmalloc_total_kb(), (VMALLOC_END - VMALLOC_START) >> 10);
	vfree(p);
}

static struct ktest_case vmalloc_cases[] = {
	KTEST_CASE(test_contents_survive_across_areas),
	KTEST_CASE(test_pages_come_from_highmem),
	KTEST_CASE(test_guard_page_faults),
	KTEST_CASE(test_space_exhaustion),
	KTEST_CASE(test_misuse_reported),
	KTEST_CASE(test_kvmalloc_choice),
	KTEST_CASE(test_lazy_flush_counting),
	KTEST_CASE(test_vmap_caller_pages),
	KTEST_CASE(test_vmallocinfo_format),
	{ 0 },
};
KTEST_SUITE(vmalloc, vmalloc_cases);
