/* test_kmap_local.c - what the scheduler asks of mm/highmem.c at a task
 * switch: kmap_local mappings leave the CPU's slots with their task and
 * come back at the same slots; leftovers at exit are reported. Also the
 * preempt count that kmap_atomic and kmap_local_page leave behind. */
#include "highmem.h"
#include "htest.h"
#include "sim_mm.h"

static struct page *high(void)
{
	struct page *p = alloc_pages(GFP_HIGHUSER, 0);

	CHECK(p && PageHighMem(p));
	return p;
}

HTEST(kmap_local_switch_saves_and_restores)
{
	sim_boot(&sim_holes);
	struct page *a = high(), *b = high(), *c = high();
	struct kmap_saved task1 = { 0 }, task2 = { 0 };
	unsigned long errors = kmap_atomic_errors;

	void *va = kmap_local_page(a), *vb = kmap_local_page(b); /* task 1 maps two */
	CHECK_EQ(host_preempt_count, 0);                            /* local: preemptible */
	kmap_local_switch(&task1, &task2);                          /* 1 out, 2 (none) in */
	CHECK_EQ(kmap_atomic_depth(), 0);
	CHECK_EQ(task1.nr, 2);
	CHECK_EQ(task1.pfn[0], page_to_pfn(a));
	CHECK_EQ(task1.pfn[1], page_to_pfn(b));

	void *vc = kmap_local_page(c); /* task 2 gets slot 0 too */
	kmap_local_switch(&task2, &task1);
	CHECK_EQ(task2.nr, 1);
	CHECK_EQ(task2.pfn[0], page_to_pfn(c));
	CHECK_EQ(kmap_atomic_depth(), 2);
	CHECK(kmap_ctrl[0].addr[1] == va && kmap_ctrl[0].addr[2] == vb);
	kunmap_local(vb); /* in order, as if never switched */
	kunmap_local(va);
	CHECK_EQ(kmap_atomic_errors, errors);

	kmap_local_switch(&task1, &task2); /* task 2 again, and it exits */
	CHECK_EQ(task1.nr, 0);
	CHECK(kmap_ctrl[0].addr[1] == vc);
	htest_log_clear();
	unsigned long leaks = kmap_local_leaks;
	CHECK_EQ(kmap_local_task_exit("leaky", 42), 1);
	CHECK_EQ(kmap_local_leaks, leaks + 1);
	CHECK(htest_log_contains("task leaky (pid 42) exited with 1 live kmap_local mapping"));
	char want[48];
	snprintf(want, sizeof(want), "-> pfn %#lx: unmapped now", page_to_pfn(c));
	CHECK(htest_log_contains(want));
	CHECK_EQ(kmap_atomic_depth(), 0);
	CHECK_EQ(kmap_local_task_exit("clean", 43), 0);
	__free_pages(a, 0);
	__free_pages(b, 0);
	__free_pages(c, 0);
}

HTEST(kmap_atomic_holds_preemption_off)
{
	sim_boot(&sim_holes);
	struct page *h = high(), *low = alloc_pages(GFP_KERNEL, 0);

	void *v1 = kmap_atomic(h);
	CHECK_EQ(host_preempt_count, 1);
	void *v2 = kmap_atomic(low); /* lowmem too, as in Linux */
	CHECK_EQ(host_preempt_count, 2);
	kunmap_atomic(v2);
	kunmap_atomic(v1);
	CHECK_EQ(host_preempt_count, 0);
	__free_pages(h, 0);
	__free_pages(low, 0);
}
