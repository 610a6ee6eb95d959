/* kmap_atomic_test.c - the per-CPU fixmap slot stack. */
#include "highmem.h"
#include "kstring.h"
#include "ktest.h"
#include "mmzone.h"

/* A HighMem page, or NULL if there is none. An injected failure is not the
 * end of HighMem: retried, boundedly; high_injected says it gave up so. */
static bool high_injected;
static struct page *get_high(struct ktest *t)
{
	struct page *p;

	KTEST_ALLOC_RETRY(t, p, alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 0));
	high_injected = t->alloc_gave_up;
	if (p && !PageHighMem(p)) {
		__free_pages(p, 0);
		return NULL;
	}
	return p;
}

static void test_lowmem_uses_no_slot(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);

	KTEST_ASSERT_ALLOC(t, p);
	int depth = kmap_atomic_depth();
	void *va = kmap_atomic(p);
	KTEST_EXPECT_EQ(t, (unsigned long)va, (unsigned long)page_address(p));
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), depth);
	kunmap_atomic(va);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), depth);
	__free_pages(p, 0);
}

static void test_highmem_map_write_read(struct ktest *t)
{
	struct page *p = get_high(t);

	if (!p && high_injected)
		KTEST_ALLOC_FAILED(t, "p");
	if (!p)
		KTEST_SKIP(t, "no HighMem zone at this RAM size");
	u32 *va = kmap_atomic(p);
	KTEST_ASSERT_NOT_NULL(t, va);
	KTEST_EXPECT_GE(t, (unsigned long)va, FIXADDR_START);
	KTEST_EXPECT_LT(t, (unsigned long)va, FIXADDR_TOP);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 1);
	for (int i = 0; i < 1024; i++)
		va[i] = page_to_pfn(p) ^ (u32)i;
	kunmap_atomic(va);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	/* unmapped now: the slot faults */
	KTEST_EXPECT_FAULT(t, 14, (u32)va, ktest_read_nofault(va));
	u32 check[4];
	memcpy_from_page(check, p, 4092, 4);
	KTEST_EXPECT_EQ(t, check[0], page_to_pfn(p) ^ 1023u);
	__free_pages(p, 0);
}

static void test_nesting_limit_reported(struct ktest *t)
{
	struct page *p[KM_MAX_IDX + 1];
	void *va[KM_MAX_IDX + 1];
	int n;

	for (n = 0; n <= KM_MAX_IDX; n++)
		if (!(p[n] = get_high(t)))
			break;
	if (n <= KM_MAX_IDX) {
		while (n--)
			__free_pages(p[n], 0);
		if (high_injected)
			KTEST_ALLOC_FAILED(t, "p[n]");
		KTEST_SKIP(t, "not enough HighMem at this RAM size");
	}
	for (int i = 0; i < KM_MAX_IDX; i++) {
		va[i] = kmap_atomic(p[i]);
		KTEST_EXPECT_NOT_NULL(t, va[i]);
	}
	unsigned long errs = kmap_atomic_errors;
	va[KM_MAX_IDX] = kmap_atomic(p[KM_MAX_IDX]); /* the 17th */
	KTEST_EXPECT_EQ(t, (unsigned long)va[KM_MAX_IDX], 0);
	KTEST_EXPECT_EQ(t, kmap_atomic_errors, errs + 1);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), KM_MAX_IDX);
	for (int i = KM_MAX_IDX - 1; i >= 0; i--)
		kunmap_atomic(va[i]);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	for (int i = 0; i <= KM_MAX_IDX; i++)
		__free_pages(p[i], 0);
}

static void test_out_of_order_unmap_reported(struct ktest *t)
{
	struct page *a = get_high(t);
	bool injected = high_injected;
	struct page *b = a ? get_high(t) : NULL;

	if (!a || !b) {
		if (a) __free_pages(a, 0);
		if (b) __free_pages(b, 0);
		if (injected || high_injected)
			KTEST_ALLOC_FAILED(t, !a ? "a" : "b");
		KTEST_SKIP(t, "no HighMem zone at this RAM size");
	}
	void *va = kmap_atomic(a);
	void *vb = kmap_atomic(b);
	unsigned long errs = kmap_atomic_errors;
	kunmap_atomic(va); /* wrong: vb is on top */
	KTEST_EXPECT_EQ(t, kmap_atomic_errors, errs + 1);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 2); /* nothing changed */
	*(volatile u32 *)va = 1;                    /* both still mapped */
	*(volatile u32 *)vb = 2;
	kunmap_atomic(vb);
	kunmap_atomic(va);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	kunmap_atomic(va); /* an unmap with nothing mapped */
	KTEST_EXPECT_EQ(t, kmap_atomic_errors, errs + 2);
	__free_pages(a, 0);
	__free_pages(b, 0);
}

static void test_clear_and_copy_highpage(struct ktest *t)
{
	struct page *a = alloc_pages(GFP_HIGHUSER, 0), *b = alloc_pages(GFP_HIGHUSER, 0);
	u8 buf[64];

	if (!a || !b) {
		if (a) __free_pages(a, 0);
		if (b) __free_pages(b, 0);
		KTEST_ALLOC_FAILED(t, !a ? "a" : "b");
	}
	memset(buf, 0xab, sizeof(buf));
	memcpy_to_page(a, 100, buf, sizeof(buf));
	copy_highpage(b, a);
	memset(buf, 0, sizeof(buf));
	memcpy_from_page(buf, b, 100, sizeof(buf));
	KTEST_EXPECT_EQ(t, buf[0], 0xab);
	KTEST_EXPECT_EQ(t, buf[63], 0xab);
	clear_highpage(b);
	memcpy_from_page(buf, b, 100, sizeof(buf));
	KTEST_EXPECT_EQ(t, buf[0], 0);
	KTEST_EXPECT_EQ(t, buf[63], 0);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	__free_pages(a, 0);
	__free_pages(b, 0);
}

static struct ktest_case kmap_atomic_cases[] = {
	KTEST_CASE(test_lowmem_uses_no_slot),
	KTEST_CASE(test_highmem_map_write_read),
	KTEST_CASE(test_nesting_limit_reported),
	KTEST_CASE(test_out_of_order_unmap_reported),
	KTEST_CASE(test_clear_and_copy_highpage),
	{ 0 },
};
KTEST_SUITE(kmap_atomic, kmap_atomic_cases);
