/* mm_bench.c - page allocator and kmap_atomic costs, in instructions per op.
 * Each loop includes its own overhead (about 3 instructions per iteration). */
#include "bench.h"
#include "highmem.h"
#include "mm_init.h"
#include "mmzone.h"

#define N 2000

static u64 alloc_free_pair(gfp_t gfp, unsigned order)
{
	struct page *p = alloc_pages(gfp, order); /* warm the lists */

	if (!p)
		return 0;
	__free_pages(p, order);
	u64 t0 = bench_cycles();
	for (int i = 0; i < N; i++) {
		p = alloc_pages(gfp, order);
		__free_pages(p, order);
	}
	return bench_per_op(t0, bench_cycles(), N);
}

static u64 bench_order0_pcp(void) { return alloc_free_pair(GFP_KERNEL, 0); }
/* Order 0 through the buddy lists: this CPU's list is switched off for the
 * run (high 0, batch 1), so every alloc refills one page from the buddy
 * lists and every free gives it straight back. */
static u64 bench_order0_buddy(void)
{
	struct per_cpu_pages *pcp = &zones[ZONE_NORMAL].pcp[arch_cpu_id()];
	int high = pcp->high, batch = pcp->batch;

	drain_all_pages();
	pcp->high = 0;
	pcp->batch = 1;
	u64 v = alloc_free_pair(GFP_KERNEL, 0);
	pcp->high = high;
	pcp->batch = batch;
	return v;
}
BENCH(order0_buddy, "alloc_page+__free_page with the per-CPU list off (buddy lists)", bench_order0_buddy);

static u64 bench_order3(void) { return alloc_free_pair(GFP_KERNEL, 3); }
static u64 bench_order9(void) { return alloc_free_pair(GFP_KERNEL, 9); }
BENCH(order0_pcp, "alloc_page+__free_page, per-CPU list hit", bench_order0_pcp);
BENCH(order3, "alloc_pages+__free_pages order 3 (per-CPU list hit)", bench_order3);
BENCH(order9, "alloc_pages+__free_pages order 9 (buddy lists)", bench_order9);

static u64 bench_kmap_atomic(void)
{
	struct page *p = bench_highmem_page();

	if (!p)
		return 0;
	u64 t0 = bench_cycles();
	for (int i = 0; i < N; i++) {
		void *va = kmap_atomic(p);
		kunmap_atomic(va);
	}
	u64 v = bench_per_op(t0, bench_cycles(), N);
	__free_pages(p, 0);
	return v;
}
BENCH(kmap_atomic, "kmap_atomic+kunmap_atomic of a highmem page (invlpg included)", bench_kmap_atomic);

static u64 bench_clear_highpage(void)
{
	struct page *p = bench_highmem_page();

	if (!p)
		return 0;
	u64 t0 = bench_cycles();
	for (int i = 0; i < N / 10; i++)
		clear_highpage(p);
	u64 v = bench_per_op(t0, bench_cycles(), N / 10);
	__free_pages(p, 0);
	return v;
}
BENCH(clear_highpage, "clear_highpage of a highmem page (rep stosl counts once per dword)", bench_clear_highpage);

static u64 bench_memmap_init(void)
{
	return bench_per_op(0, memmap_init_cycles, max_pfn);
}
BENCH(memmap_init, "mem_map initialisation at boot, per struct page", bench_memmap_init);
