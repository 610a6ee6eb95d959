/* vmalloc_bench.c - vmalloc costs, in instructions per op. Each figure
 * includes the lazy purges its loop triggers (one TLB flush per vmap_lazy=
 * worth of freed space), amortized over the ops, as a real workload pays. */
#include "bench.h"
#include "mmzone.h"
#include "vmalloc.h"

static u64 alloc_free_loop(unsigned long size, int n)
{
	void *p = vmalloc(size); /* warm the node stash and the per-CPU page lists */

	if (!p)
		return 0;
	vfree(p);
	vm_unmap_aliases();
	u64 t0 = bench_cycles();
	for (int i = 0; i < n; i++) {
		p = vmalloc(size);
		vfree(p);
	}
	u64 v = bench_per_op(t0, bench_cycles(), (u64)n);
	vm_unmap_aliases();
	return v;
}

static u64 bench_vmalloc_64k(void) { return alloc_free_loop(64UL << 10, 1000); }
static u64 bench_vmalloc_1m(void) { return alloc_free_loop(1UL << 20, 100); }
BENCH(vmalloc_64k, "vmalloc(64 KB)+vfree: 16 highmem pages mapped, unmapped, freed", bench_vmalloc_64k);
BENCH(vmalloc_1m, "vmalloc(1 MB)+vfree: 256 highmem pages mapped, unmapped, freed", bench_vmalloc_1m);

/* 4096 live one-page areas with a two-page hole (one page and its guard)
 * after each: 4097 free ranges in the tree, none of which fits a two-page
 * area but the last. One more two-page vmalloc+vfree among them: the fit
 * search walks the free tree, the vfree looks its area up in the busy
 * tree, both O(log n). */
#define LIVE 4096

static u64 bench_vmalloc_4096_areas(void)
{
	static void *live[2 * LIVE];
	u64 v = 0;
	int n;

	vm_unmap_aliases();
	for (n = 0; n < 2 * LIVE; n++)
		if (!(live[n] = vmalloc(PAGE_SIZE)))
			goto out;
	for (int i = 0; i < 2 * LIVE; i += 2) {
		vfree(live[i]);
		live[i] = NULL;
	}
	vm_unmap_aliases();
	v = alloc_free_loop(2 * PAGE_SIZE, 2000);
out:
	while (n--)
		vfree(live[n]);
	vm_unmap_aliases();
	return v;
}
BENCH(vmalloc_4096_areas, "vmalloc(8 KB)+vfree with 4096 live areas and 4097 free ranges",
      bench_vmalloc_4096_areas);
