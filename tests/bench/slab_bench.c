/* slab_bench.c - kmalloc and kmem_cache costs, in instructions per op.
 * A pair (alloc + free of the same object) after a warm-up runs entirely
 * in this CPU's array: the fast path. The 4096-object run also pays for
 * refills and drains in batches, and for new slabs and freed ones. */
#include "bench.h"
#include "slab.h"

#define N 2000
#define MANY 4096

static u64 kmalloc_pair(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL); /* warm this CPU's array */

	if (!p)
		return 0;
	kfree(p);
	u64 t0 = bench_cycles();
	for (int i = 0; i < N; i++) {
		p = kmalloc(size, GFP_KERNEL);
		kfree(p);
	}
	return bench_per_op(t0, bench_cycles(), N);
}

static u64 bench_kmalloc64(void) { return kmalloc_pair(64); }
static u64 bench_kmalloc256(void) { return kmalloc_pair(256); }
static u64 bench_kmalloc1024(void) { return kmalloc_pair(1024); }
static u64 bench_kmalloc4096(void) { return kmalloc_pair(4096); }
BENCH(kmalloc64, "kmalloc(64)+kfree, per-CPU array hit (the fast path)", bench_kmalloc64);
BENCH(kmalloc256, "kmalloc(256)+kfree", bench_kmalloc256);
BENCH(kmalloc1024, "kmalloc(1024)+kfree", bench_kmalloc1024);
BENCH(kmalloc4096, "kmalloc(4096)+kfree", bench_kmalloc4096);

/* 4096 objects (64 slabs) out, then all back: per object, both halves. */
static u64 bench_kmalloc64_x4096(void)
{
	static void *p[MANY];

	u64 t0 = bench_cycles();
	for (int i = 0; i < MANY; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	for (int i = 0; i < MANY; i++)
		kfree(p[i]);
	return bench_per_op(t0, bench_cycles(), MANY);
}
BENCH(kmalloc64_x4096, "4096 x kmalloc(64) then 4096 x kfree, per object (batches, slabs)",
      bench_kmalloc64_x4096);

static u64 bench_cache128(void)
{
	struct kmem_cache *s = kmem_cache_create("bench-128", 128, 0, 0, NULL);
	void *p;

	if (!s)
		return 0;
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	u64 t0 = bench_cycles();
	for (int i = 0; i < N; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		kmem_cache_free(s, p);
	}
	u64 v = bench_per_op(t0, bench_cycles(), N);
	kmem_cache_destroy(s);
	return v;
}
BENCH(cache128, "kmem_cache_alloc+kmem_cache_free, a private 128-byte cache", bench_cache128);
