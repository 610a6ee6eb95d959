/* pkmap_bench.c - kmap/kunmap costs (instructions per op). */
#include "bench.h"
#include "mmzone.h"
#include "pkmap.h"

#define DISTINCT 4096

/* kmap+kunmap of a page that is already mapped: the hash lookup and counts. */
static u64 bench_kmap_cached(void)
{
	struct page *p = bench_highmem_page();

	if (!p)
		return 0;
	kmap(p); /* hold one use: every pair below is a cache hit */
	u64 t0 = bench_cycles();
	for (int i = 0; i < 2000; i++) {
		kmap(p);
		kunmap(p);
	}
	u64 v = bench_per_op(t0, bench_cycles(), 2000);
	kunmap(p);
	kmap_flush_unused();
	__free_pages(p, 0);
	return v;
}
BENCH(kmap_cached, "kmap+kunmap of an already-mapped highmem page", bench_kmap_cached);

static struct page *distinct[DISTINCT];
static unsigned long distinct_flushes;

static u64 bench_kmap_distinct(void)
{
	int n;

	for (n = 0; n < DISTINCT && (distinct[n] = bench_highmem_page()); n++)
		;
	if (n < DISTINCT) {
		while (n)
			__free_pages(distinct[--n], 0);
		return 0;
	}
	kmap_flush_unused();
	unsigned long f0 = pkmap_stats.flushes;
	u64 t0 = bench_cycles();
	for (int i = 0; i < DISTINCT; i++) {
		kmap(distinct[i]);
		kunmap(distinct[i]);
	}
	u64 v = bench_per_op(t0, bench_cycles(), DISTINCT);
	distinct_flushes = pkmap_stats.flushes - f0;
	kmap_flush_unused();
	while (n)
		__free_pages(distinct[--n], 0);
	return v;
}
BENCH(kmap_distinct, "kmap+kunmap over 4096 distinct highmem pages (flushes included)", bench_kmap_distinct);

/* Not instructions: the number of TLB flushes those 4096 kmaps needed
 * (the design's minimum is one per wrap of the 512 slots: 8). */
static u64 bench_kmap_flushes(void)
{
	if (!distinct_flushes && !bench_kmap_distinct())
		return 0; /* not enough highmem: skipped */
	return distinct_flushes * 100;
}
BENCH(kmap_flushes_per_4096, "TLB flushes of the pkmap window per 4096 distinct kmaps (a count)", bench_kmap_flushes);
