/* fault_inject_test.c - every allocation of an operation, failed in turn.
 *
 * Linux's fail-nth walk: for n = 1, 2, ... the running task's n-th
 * allocation fails (fault_fail_nth_set). Until n passes the number of
 * allocations the operation makes, it must return its failure value and
 * leave nothing behind: the same free pages, slab objects and vmalloc
 * space as before. Then it succeeds, and the walk has covered every one of
 * its allocations. The suite also checks the boot-line parameters arm
 * what they say (fail_page_alloc=, failslab=).
 */
#include "cmdline.h"
#include "fault_inject.h"
#include "highmem.h"
#include "mmzone.h"
#include "sched.h"
#include "slab_test.h"
#include "vmalloc.h"

#define WALK_MAX 64 /* no operation here makes more allocations */

struct fi_snapshot {
	struct slab_snapshot slab;
	unsigned long vmalloc_used_kb, vmalloc_free;
};

static void fi_snapshot(struct fi_snapshot *s)
{
	vm_unmap_aliases();    /* lazily freed ranges back in the free tree */
	vmalloc_drop_spares(); /* and no spare nodes: each run starts alike */
	slab_snapshot(&s->slab);
	s->vmalloc_used_kb = vmalloc_used_kb();
	s->vmalloc_free = vmalloc_free_bytes();
}

static bool fi_same(struct ktest *t, const struct fi_snapshot *a, const struct fi_snapshot *b)
{
	int failed = t->failed;

	expect_same_snapshot(t, &a->slab, &b->slab);
	KTEST_EXPECT_EQ(t, b->vmalloc_used_kb, a->vmalloc_used_kb);
	KTEST_EXPECT_EQ(t, b->vmalloc_free, a->vmalloc_free);
	return t->failed == failed;
}

/* An operation under test: run() returns its result (NULL: failed), undo()
 * releases a successful one. */
struct fi_op {
	const char *name;
	void *(*run)(void);
	void (*undo)(void *);
	bool fallback; /* may succeed by going round a failure (kvmalloc) */
};

/* Walk op's allocations; returns how many there were (0: a failure). */
static int walk(struct ktest *t, const struct fi_op *op)
{
	struct fi_snapshot before, after;
	int fallbacks = 0;

	fi_snapshot(&before);
	for (int n = 1; n <= WALK_MAX; n++) {
		if (!fault_fail_nth_set((unsigned)n)) {
			KTEST_FAIL(t, "fail_nth needs a task");
			return 0;
		}
		void *r = op->run();
		bool consumed = fault_fail_nth_get() == 0;
		fault_fail_nth_set(0);
		if (r) {
			op->undo(r);
			fi_snapshot(&after);
			if (!fi_same(t, &before, &after)) {
				KTEST_FAIL(t, "%s: leaked after a success (allocation %d)", op->name, n);
				return 0;
			}
			if (consumed && op->fallback) { /* it went round the failure */
				fallbacks++;
				continue;
			}
			if (consumed) {
				KTEST_FAIL(t, "%s: allocation %d failed but the operation succeeded "
					   "(a failure swallowed)", op->name, n);
				return 0;
			}
			console_printf("    # %s: %d allocation(s), each failed in turn: %d time(s) "
				       "the operation failed cleanly, %d time(s) a fallback served it\n",
				       op->name, n - 1, n - 1 - fallbacks, fallbacks);
			return n - 1;
		}
		if (!consumed) {
			KTEST_FAIL(t, "%s failed with its allocation %d still to come", op->name, n);
			return 0;
		}
		fi_snapshot(&after);
		if (!fi_same(t, &before, &after)) {
			KTEST_FAIL(t, "%s: leaked when its allocation %d failed", op->name, n);
			return 0;
		}
	}
	KTEST_FAIL(t, "%s still failing after %d allocations", op->name, WALK_MAX);
	return 0;
}

/* ---- the operations ---- */

static void *op_vmalloc(void) { return vmalloc(64 * 1024); }
static void *op_vzalloc(void) { return vzalloc(5 * PAGE_SIZE); }
static void *op_vmalloc_32(void) { return vmalloc_32(3 * PAGE_SIZE); }
static void *op_kvmalloc(void) { return kvmalloc(20 * 1024, GFP_KERNEL); }
static void *op_kvmalloc_big(void) { return kvmalloc(200 * 1024, GFP_KERNEL); }
static void undo_vfree(void *p) { vfree(p); }
static void undo_kvfree(void *p) { kvfree(p); }

static void *op_kmalloc_large(void) { return kmalloc(5 * PAGE_SIZE, GFP_KERNEL); }
static void *op_kmalloc_new_slab(void)
{
	kmem_cache_shrink(kmalloc_slab(1024, GFP_KERNEL)); /* no cached object: a refill */
	return kmalloc(1000, GFP_KERNEL);
}
static void *op_kstrdup(void) { return kstrdup("fail-nth", GFP_KERNEL); }
static void *op_krealloc(void)
{
	char *p = kmalloc(16, GFP_KERNEL);
	if (!p)
		return NULL;
	char *q = krealloc(p, 3000, GFP_KERNEL);
	if (!q)
		kfree(p); /* krealloc leaves the old block on failure */
	return q;
}
static void undo_kfree(void *p) { kfree(p); }

static void *op_cache(void)
{
	struct kmem_cache *c = kmem_cache_create("fi-walk", 200, 0, 0, NULL);
	if (!c)
		return NULL;
	void *o = kmem_cache_alloc(c, GFP_KERNEL);
	if (!o) {
		kmem_cache_destroy(c);
		return NULL;
	}
	kmem_cache_free(c, o);
	return c;
}
static void undo_cache(void *c) { kmem_cache_destroy(c); }

static void *op_highmem_pages(void) { return alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 2); }
static void undo_pages(void *p) { __free_pages(p, 2); }

static void *op_vmap(void)
{
	struct page *pages[3];
	int i;

	for (i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		if (!pages[i])
			goto fail;
	}
	void *va = vmap(pages, 3, VM_MAP, PAGE_KERNEL);
	if (va)
		return va;
fail:
	while (i-- > 0)
		__free_page(pages[i]);
	return NULL;
}
static void undo_vmap(void *va)
{
	struct page *pages[3];

	for (int i = 0; i < 3; i++)
		pages[i] = vmalloc_to_page((char *)va + i * PAGE_SIZE);
	vunmap(va);
	for (int i = 0; i < 3; i++)
		__free_page(pages[i]);
}

static int fi_thread_fn(void *arg) { return (int)(uintptr_t)arg; }
static void *op_kthread(void) { return kthread_run(fi_thread_fn, (void *)7, "fi-walk"); }
static void undo_kthread(void *t) { kthread_join(t); }

static const struct fi_op ops[] = {
	{ "vmalloc(64 KB)", op_vmalloc, undo_vfree, false },
	{ "vzalloc(5 pages)", op_vzalloc, undo_vfree, false },
	{ "vmalloc_32(3 pages)", op_vmalloc_32, undo_vfree, false },
	{ "kvmalloc(20 KB)", op_kvmalloc, undo_kvfree, true },
	{ "kvmalloc(200 KB)", op_kvmalloc_big, undo_kvfree, false },
	{ "kmalloc(5 pages)", op_kmalloc_large, undo_kfree, false },
	{ "kmalloc(1000) into a new slab", op_kmalloc_new_slab, undo_kfree, false },
	{ "kstrdup", op_kstrdup, undo_kfree, false },
	{ "krealloc(16 -> 3000)", op_krealloc, undo_kfree, false },
	{ "kmem_cache_create+alloc", op_cache, undo_cache, false },
	{ "alloc_pages(GFP_HIGHUSER|__GFP_ZERO, 2)", op_highmem_pages, undo_pages, false },
	{ "vmap of 3 highmem pages", op_vmap, undo_vmap, false },
	{ "kthread_run+join", op_kthread, undo_kthread, false },
};

/* Failures this suite injected itself (fail_nth) in earlier runs: a second
 * `test all` at the monitor must not count them as the command line's. */
static unsigned long injected_by_suite;

static void test_fail_nth_walks(struct ktest *t)
{
	unsigned long before = fault_injected_total();

	ktest_suspend_injection(t, "each walk fails one chosen allocation; random failures "
				   "would hide which");
	for (unsigned i = 0; i < ARRAY_SIZE(ops); i++) {
		int n = walk(t, &ops[i]);
		KTEST_EXPECT_GT(t, n, 0); /* each of these allocates something */
	}
	injected_by_suite += fault_injected_total() - before;
}

/* fail_nth counts down only in its own task and fails exactly once. */
static void test_fail_nth_is_exact(struct ktest *t)
{
	ktest_suspend_injection(t, "counts exact allocations");
	unsigned long before = fault_injected_total();
	KTEST_ASSERT_TRUE(t, fault_fail_nth_set(2));
	struct page *a = alloc_page(GFP_KERNEL);
	struct page *b = alloc_page(GFP_KERNEL | __GFP_NOWARN);
	struct page *c = alloc_page(GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, a != NULL);
	KTEST_EXPECT_TRUE(t, b == NULL);
	KTEST_EXPECT_TRUE(t, c != NULL);
	KTEST_EXPECT_EQ(t, fault_injected_total(), before + 1);
	injected_by_suite += fault_injected_total() - before;
	KTEST_EXPECT_EQ(t, fault_fail_nth_get(), 0);
	if (a)
		__free_page(a);
	if (c)
		__free_page(c);
}

/* The capabilities are what the command line asked for; with none, the
 * fast paths are open (gates at their normal values). */
static void test_boot_parameters(struct ktest *t)
{
	char val[256];
	bool page = cmdline_get_str("fail_page_alloc", val, sizeof(val)) >= 0;
	bool slab = cmdline_get_str("failslab", val, sizeof(val)) >= 0;

	KTEST_EXPECT_EQ(t, fail_page_alloc.armed, page);
	KTEST_EXPECT_EQ(t, failslab.armed, slab);
	KTEST_EXPECT_EQ(t, fault_inject_on, page || slab);
	/* the page_ext side table (debug_pagealloc=on, page_owner=on) closes the gate too */
	KTEST_EXPECT_EQ(t, alloc_pages_fast_orders, (page || slab || page_ext_table) ? 0 : NR_PCP_LISTS);
	KTEST_EXPECT_EQ(t, kmalloc_fast_max, (page || slab) ? 0 : KMALLOC_MAX_CACHE_SIZE);
	if (!page && !slab)
		KTEST_EXPECT_EQ(t, fault_injected_total(), injected_by_suite);
}

static struct ktest_case fault_inject_cases[] = {
	KTEST_CASE(test_boot_parameters),
	KTEST_CASE(test_fail_nth_is_exact),
	KTEST_CASE(test_fail_nth_walks),
	{ 0 },
};
KTEST_SUITE(fault_inject, fault_inject_cases);
