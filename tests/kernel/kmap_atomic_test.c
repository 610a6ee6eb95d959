/* kmap_atomic_test.c - the per-CPU fixmap slot stack. */
#include "highmem.h"
#include "kstring.h"
#include "ktest.h"
#include "mmzone.h"
#include "vmalloc.h"

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

/* Fill p[0..n) with HighMem pages; false (all freed) if there are not that many. */
static bool get_highs(struct ktest *t, struct page **p, int n)
{
	for (int i = 0; i < n; i++) {
		if ((p[i] = get_high(t)))
			continue;
		while (i--)
			__free_pages(p[i], 0);
		return false;
	}
	return true;
}

static void test_nesting_to_the_limit(struct ktest *t)
{
	struct page *p[KM_MAX_IDX];
	void *va[KM_MAX_IDX];

	if (!get_highs(t, p, KM_MAX_IDX)) {
		if (high_injected)
			KTEST_ALLOC_FAILED(t, "p[n]");
		KTEST_SKIP(t, "not enough HighMem at this RAM size");
	}
	unsigned long errs = kmap_atomic_errors;
	for (int i = 0; i < KM_MAX_IDX; i++) {
		va[i] = kmap_atomic(p[i]);
		*(volatile u32 *)va[i] = (u32)i;
	}
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), KM_MAX_IDX);
	KTEST_EXPECT_EQ(t, arch_kmap_ctrl()->pagefault_disabled, KM_MAX_IDX);
	for (int i = KM_MAX_IDX - 1; i >= 0; i--)
		kunmap_atomic(va[i]);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KTEST_EXPECT_EQ(t, kmap_atomic_errors, errs);
	for (int i = 0; i < KM_MAX_IDX; i++)
		__free_pages(p[i], 0);
}

/* kunmap_atomic of an address kmap_atomic did not return is refused and
 * reported: the slot stays mapped, and the preempt and page-fault counts
 * stay raised until the real unmap. */
static void test_foreign_unmap_refused(struct ktest *t)
{
	struct page *p = get_high(t);

	if (!p && high_injected)
		KTEST_ALLOC_FAILED(t, "p");
	if (!p)
		KTEST_SKIP(t, "no HighMem zone at this RAM size");
	void *vm = vmalloc(PAGE_SIZE);
	if (!vm) {
		__free_pages(p, 0);
		KTEST_ALLOC_FAILED(t, "vm");
	}
	u32 *va = kmap_atomic(p);
	unsigned pc = preempt_count();
	unsigned long errs = kmap_atomic_errors;
	const void *foreign[] = {
		p,                                 /* the struct page (the cast hides it from _Generic) */
		vm,                                /* a vmalloc address */
		(void *)(PKMAP_BASE + PAGE_SIZE),  /* a pkmap address */
		(void *)0x1000,                    /* a user address */
	};
	for (unsigned i = 0; i < ARRAY_SIZE(foreign); i++) {
		kunmap_atomic((void *)foreign[i]);
		KTEST_EXPECT_EQ(t, kmap_atomic_errors, errs + i + 1);
		KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 1);       /* the slot stayed */
		KTEST_EXPECT_EQ(t, preempt_count(), pc);
		KTEST_EXPECT_TRUE(t, pagefault_disabled());
	}
	va[5] = 0x5107;                                       /* still mapped */
	KTEST_EXPECT_EQ(t, va[5], 0x5107);
	kunmap_atomic(va);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KTEST_EXPECT_FALSE(t, pagefault_disabled());
	vfree(vm);
	__free_pages(p, 0);
}

/* kmap_atomic disables page faults until kunmap_atomic, for highmem and
 * lowmem pages alike, nesting; kmap_local_page does not. */
static void test_pagefault_disabled_inside(struct ktest *t)
{
	struct page *h = get_high(t), *l;

	if (!h && high_injected)
		KTEST_ALLOC_FAILED(t, "h");
	KTEST_ALLOC_RETRY(t, l, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	if (!l) {
		if (h)
			__free_pages(h, 0);
		KTEST_ALLOC_FAILED(t, "l");
	}
	KTEST_EXPECT_FALSE(t, pagefault_disabled());
	void *vl = kmap_atomic(l);
	KTEST_EXPECT_TRUE(t, pagefault_disabled());
	if (h) {
		void *vh = kmap_atomic(h);
		KTEST_EXPECT_TRUE(t, pagefault_disabled());
		kunmap_atomic(vh);
		KTEST_EXPECT_TRUE(t, pagefault_disabled()); /* vl still mapped */
	}
	kunmap_atomic(vl);
	KTEST_EXPECT_FALSE(t, pagefault_disabled());
	void *loc = kmap_local_page(h ? h : l);
	KTEST_EXPECT_FALSE(t, pagefault_disabled());
	kunmap_local(loc);
	pagefault_disable();
	pagefault_disable();
	pagefault_enable();
	KTEST_EXPECT_TRUE(t, pagefault_disabled());
	pagefault_enable();
	KTEST_EXPECT_FALSE(t, pagefault_disabled());
	if (h)
		__free_pages(h, 0);
	__free_pages(l, 0);
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

/* kunmap_atomic takes any address inside the mapped page: the fast path
 * matches only the address kmap_atomic returned, and kunmap_slow pops the
 * top slot for an address inside its page - with the same effect (depth,
 * preempt and page-fault counts, the PTE cleared and flushed) and no
 * report. An address inside the page below the top is still refused. */
static void test_unmap_by_address_inside_page(struct ktest *t)
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
	unsigned pc = preempt_count();
	unsigned long errs = kmap_atomic_errors;
	char *va = kmap_atomic(a);
	char *vb = kmap_atomic(b);
	kunmap_atomic(va + 100); /* inside a's page, but b's slot is on top */
	KTEST_EXPECT_EQ(t, kmap_atomic_errors, errs + 1);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 2);
	kunmap_atomic(vb + PAGE_SIZE - 1);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 1);
	KTEST_EXPECT_FAULT(t, 14, (u32)vb, ktest_read_nofault(vb)); /* cleared and flushed */
	va[7] = 7;                                                  /* a's slot stays */
	kunmap_atomic(va + 7);
	KTEST_EXPECT_EQ(t, kmap_atomic_depth(), 0);
	KTEST_EXPECT_EQ(t, preempt_count(), pc);
	KTEST_EXPECT_FALSE(t, pagefault_disabled());
	KTEST_EXPECT_EQ(t, kmap_atomic_errors, errs + 1);
	KTEST_EXPECT_FAULT(t, 14, (u32)va, ktest_read_nofault(va));
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
	KTEST_CASE(test_nesting_to_the_limit),
	KTEST_CASE(test_foreign_unmap_refused),
	KTEST_CASE(test_pagefault_disabled_inside),
	KTEST_CASE(test_out_of_order_unmap_reported),
	KTEST_CASE(test_unmap_by_address_inside_page),
	KTEST_CASE(test_clear_and_copy_highpage),
	{ 0 },
};
KTEST_SUITE(kmap_atomic, kmap_atomic_cases);

/* `ktest=kmap_atomic_bug` (not in ktest=all): the 17th nested kmap_atomic
 * on one CPU is a kernel BUG - a report naming the mapped slots, a
 * backtrace, and the kernel stops. tools/test-matrix's fail-kmap-bug job
 * expects exactly that panic; returning from kmap_atomic is a failure. */
static void test_slot_exhaustion_is_a_bug(struct ktest *t)
{
	struct page *p[KM_MAX_IDX + 1];

	if (!get_highs(t, p, KM_MAX_IDX + 1))
		KTEST_SKIP(t, "not enough HighMem at this RAM size (boot with -m 2048)");
	for (int i = 0; i < KM_MAX_IDX; i++)
		kmap_atomic(p[i]);
	void *va = kmap_atomic(p[KM_MAX_IDX]); /* the 17th: does not return */
	KTEST_FAIL(t, "kmap_atomic returned %p after running out of slots", va);
}

static struct ktest_case kmap_atomic_bug_cases[] = {
	KTEST_CASE(test_slot_exhaustion_is_a_bug),
	{ 0 },
};
KTEST_SUITE_EXPLICIT(kmap_atomic_bug, kmap_atomic_bug_cases);
