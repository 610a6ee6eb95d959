/* test_slab_report.c - hosted tests of /proc/slabinfo and slab_pages, of
 * slub_debug= parsing, of kmalloc under slub_debug, and a randomized run
 * over many caches and CPUs that must end with every page back. */
#include "test_slab.h"

static const char slabinfo_head[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : "
	"tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> "
	"<sharedavail>\n";

HTEST(slab_slabinfo_format)
{
	char row[160];

	slab_boot(&sim_512m, NULL);
	struct kmem_cache *s = kmem_cache_create("info-100", 100, 0, 0, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);
	void *c = kmem_cache_alloc(s, GFP_KERNEL);
	htest_log_clear();
	show_slabinfo();
	CHECK(strncmp(htest_log(), slabinfo_head, strlen(slabinfo_head)) == 0);
	/* newest first: this cache is the first row */
	snprintf(row, sizeof(row),
		 "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
		 "info-100", 3ul, 39ul, 104u, 39u, 1, 0u, 0u, 0u, 1ul, 1ul, 0ul);
	CHECK(strncmp(htest_log() + strlen(slabinfo_head), row, strlen(row)) == 0);
	CHECK(htest_log_contains("\nkmalloc-8192           0      0   8192    4    8 : tunables    0"
				 "    0    0 : slabdata      0      0      0\n"));
	CHECK(htest_log_contains("\nkmem_cache "));
	CHECK(htest_log_contains("\ndma-kmalloc-96 "));
	unsigned long lines = 0;
	for (const char *p = htest_log(); *p; p++)
		lines += *p == '\n';
	CHECK_EQ(lines, 2 + 28);

	struct kmem_cache_info info;
	kmem_cache_get_info(s, &info);
	CHECK_EQ(info.active_objs, 3);
	CHECK_EQ(info.cpu_cached, s->batch - 3);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, c);
	kmem_cache_get_info(s, &info);
	CHECK_EQ(info.active_objs, 0);
	CHECK_EQ(info.num_slabs, 1);
	CHECK_EQ(kmem_cache_destroy(s), 0);
}

/* slab_pages: every slab page and large kmalloc page, nothing else. */
HTEST(slab_pages_counts)
{
	slab_boot(&sim_512m, NULL);
	CHECK_EQ(slab_pages(), 0);
	void *p = kmalloc(1000, GFP_KERNEL);
	CHECK_EQ(slab_pages(), 2); /* kmalloc-1024: order-1 slabs */
	void *big = kmalloc(100 * 1024, GFP_KERNEL);
	CHECK_EQ(slab_pages(), 2 + 32);
	kfree(big);
	kfree(p);
	shrink_all();
	CHECK_EQ(slab_pages(), 0);
}

static unsigned debug_of(size_t size)
{
	return kmalloc_slab(size, GFP_KERNEL)->flags & SLAB_DEBUG_FLAGS;
}

HTEST(slab_slub_debug_parsing)
{
	slab_boot(&sim_512m, "slub_debug");
	CHECK_EQ(debug_of(64), SLAB_DEBUG_FLAGS);
	CHECK_EQ(kmem_cache_cache->flags & SLAB_DEBUG_FLAGS, SLAB_DEBUG_FLAGS);
	CHECK(htest_log_contains("slub_debug: FZPU enabled for all caches"));

	slab_boot(&sim_512m, "loglevel=8 slub_debug=FZ");
	CHECK_EQ(debug_of(8), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	CHECK_EQ(kmalloc_slab(8, GFP_DMA)->flags & SLAB_DEBUG_FLAGS,
		 SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);

	slab_boot(&sim_512m, "slub_debug=p,kmalloc-64");
	CHECK_EQ(debug_of(64), SLAB_POISON);
	CHECK_EQ(debug_of(128), 0);
	CHECK_EQ(kmalloc_slab(64, GFP_DMA)->flags & SLAB_DEBUG_FLAGS, 0);
	CHECK(htest_log_contains("slub_debug: P enabled for kmalloc-64"));

	slab_boot(&sim_512m, "slub_debug=U,kmalloc-1*,kmem_cache");
	CHECK_EQ(debug_of(16), SLAB_STORE_USER);
	CHECK_EQ(debug_of(128), SLAB_STORE_USER);
	CHECK_EQ(debug_of(8192), 0);
	CHECK_EQ(kmem_cache_cache->flags & SLAB_DEBUG_FLAGS, SLAB_STORE_USER);

	slab_boot(&sim_512m, "slub_debug=FXZ");
	CHECK_EQ(debug_of(32), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	CHECK(htest_log_contains("slub_debug option 'X' unknown. skipped"));

	slab_boot(&sim_512m, "slub_debug=-");
	CHECK_EQ(debug_of(32), 0);

	slab_boot(&sim_512m, "slub_debug=,my-cache");
	CHECK_EQ(debug_of(32), 0);
	struct kmem_cache *mine = kmem_cache_create("my-cache", 50, 0, 0, NULL);
	struct kmem_cache *other = kmem_cache_create("my-cache2", 50, 0, 0, NULL);
	CHECK_EQ(mine->flags & SLAB_DEBUG_FLAGS, SLAB_DEBUG_FLAGS);
	CHECK_EQ(other->flags & SLAB_DEBUG_FLAGS, 0);
	CHECK_EQ(slab_reports, 0);
	cmdline_set("");
}

/* Every kmalloc class under full debugging: still aligned, misuse found. */
HTEST(slab_kmalloc_under_slub_debug)
{
	static const unsigned sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };
	void *p[ARRAY_SIZE(sizes)][3];
	unsigned long bad = 0;

	slab_boot(&sim_512m, "slub_debug");
	unsigned long before = free_pages_now();
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
		for (int k = 0; k < 3; k++) {
			unsigned align = (sizes[i] & (sizes[i] - 1)) ? 8 : sizes[i];
			p[i][k] = kmalloc(sizes[i], GFP_KERNEL);
			bad += !p[i][k] || __pa(p[i][k]) % align != 0 || ksize(p[i][k]) != sizes[i];
			memset(p[i][k], 0x11, sizes[i]);
		}
	CHECK_EQ(bad, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
		for (int k = 0; k < 3; k++)
			kfree(p[i][k]);
	CHECK_EQ(slab_reports, 0);

	char *q = kmalloc(64, GFP_KERNEL);
	q[64] = 'x';
	kfree(q);
	CHECK(htest_log_contains("BUG kmalloc-64 (Not tainted): Redzone overwritten"));
	char *r = kmalloc(512, GFP_KERNEL);
	kfree(r);
	r[511] = 0;
	char *r2 = kmalloc(512, GFP_KERNEL);
	CHECK(r2 != r);
	CHECK(htest_log_contains("BUG kmalloc-512 (Not tainted): Poison overwritten"));
	CHECK(htest_log_contains("@offset=511. First byte 0x0 instead of 0xa5"));
	r2 = krealloc(r2, 3000, GFP_KERNEL);
	kfree(r2);
	CHECK_EQ(slab_reports, 2);
	shrink_all();
	/* the two quarantined objects keep their slabs */
	CHECK_EQ(free_pages_now() + (1UL << kmalloc_slab(64, 0)->order) +
		 (1UL << kmalloc_slab(512, 0)->order), before);
}

/* Random sizes and caches, frees on other CPUs than the allocations,
 * contents checked before each free; at the end every page is back. */
HTEST(slab_random_many_cpus)
{
	enum { N = 4000, NC = 6 };
	static unsigned char *obj[N];
	static unsigned short len[N];
	static struct kmem_cache *owner[N];
	struct kmem_cache *c[NC];
	unsigned long seed = 99, bad = 0;
	char name[16];

	slab_boot(&sim_holes, NULL);
	unsigned long before = free_pages_now();
	for (int i = 0; i < NC; i++) {
		snprintf(name, sizeof(name), "rand-%d", i);
		c[i] = kmem_cache_create(name, (size_t)(24 + 200 * i), 0,
					 i == NC - 1 ? SLAB_RED_ZONE | SLAB_POISON : 0, NULL);
	}
	for (int step = 0; step < 60000; step++) {
		int k = (int)(sim_rand(&seed) % N);
		host_cpu_id = (unsigned)(sim_rand(&seed) % 4);
		if (obj[k]) {
			for (unsigned b = 0; b < len[k]; b++)
				bad += obj[k][b] != (unsigned char)k;
			if (owner[k])
				kmem_cache_free(owner[k], obj[k]);
			else
				kfree(obj[k]);
			obj[k] = NULL;
			continue;
		}
		int which = (int)(sim_rand(&seed) % (NC + 2));
		owner[k] = which < NC ? c[which] : NULL;
		len[k] = owner[k] ? (unsigned short)kmem_cache_size(owner[k]) :
				    (unsigned short)(sim_rand(&seed) % 12000 + 1);
		obj[k] = owner[k] ? kmem_cache_alloc(owner[k], GFP_KERNEL) : kmalloc(len[k], GFP_KERNEL);
		memset(obj[k], k, len[k]);
	}
	host_cpu_id = 0;
	for (int k = 0; k < N; k++) {
		if (!obj[k])
			continue;
		for (unsigned b = 0; b < len[k]; b++)
			bad += obj[k][b] != (unsigned char)k;
		if (owner[k])
			kmem_cache_free(owner[k], obj[k]);
		else
			kfree(obj[k]);
		obj[k] = NULL;
	}
	CHECK_EQ(bad, 0);
	for (int i = 0; i < NC; i++)
		CHECK_EQ(kmem_cache_destroy(c[i]), 0);
	shrink_all();
	CHECK_EQ(slab_pages(), 0);
	CHECK_EQ(free_pages_now(), before);
	CHECK_EQ(slab_reports, 0);
	CHECK_EQ(check_free_areas(), 0);
}
