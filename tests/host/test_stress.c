/* test_stress.c - randomized allocations and frees (fixed seeds): random
 * orders, zones, flags and CPUs, with an independent record of which frames
 * are handed out. Nothing is handed out twice, every block is in a zone its
 * flags allow, __GFP_ZERO pages are zero, the free lists stay consistent
 * (checked every `check_every` operations) and at the end everything is
 * back exactly as at boot. */
#include <stdlib.h>
#include "htest.h"
#include "mmzone.h"
#include "sim_mm.h"

#define MAX_LIVE 4096

struct live {
	struct page *page;
	unsigned order;
};

struct stress {
	unsigned long seed;
	struct live live[MAX_LIVE];
	size_t nlive;
	unsigned char *owned; /* one byte per pfn */
	unsigned long allocs, fails, frees, problems, min_free;
};

static const gfp_t stress_gfp[] = {
	GFP_KERNEL, GFP_ATOMIC, GFP_HIGHUSER, GFP_DMA, GFP_HIGHUSER | __GFP_ZERO,
	GFP_KERNEL | __GFP_ZERO, GFP_DMA | GFP_ATOMIC,
};

static unsigned random_order(struct stress *s)
{
	unsigned r = (unsigned)(sim_rand(&s->seed) % 100);

	if (r < 60)
		return 0;
	if (r < 85)
		return 1 + (unsigned)(sim_rand(&s->seed) % 3);
	return 4 + (unsigned)(sim_rand(&s->seed) % (MAX_ORDER - 4));
}

static bool zone_allowed(gfp_t gfp, unsigned zone)
{
	if (gfp & __GFP_DMA)
		return zone == ZONE_DMA;
	return (gfp & __GFP_HIGHMEM) || zone != ZONE_HIGHMEM;
}

static u64 *word(unsigned long pfn, int last)
{
	return (u64 *)((char *)sim_frame(pfn) + (last ? PAGE_SIZE - 8 : 0));
}

static void stress_alloc(struct stress *s)
{
	gfp_t gfp = stress_gfp[sim_rand(&s->seed) % ARRAY_SIZE(stress_gfp)];
	unsigned order = random_order(s);
	struct page *p = alloc_pages(gfp | __GFP_NOWARN, order);

	if (!p) {
		s->fails++;
		return;
	}
	s->allocs++;
	unsigned long pfn = page_to_pfn(p);
	s->problems += !zone_allowed(gfp, page_zonenum(p)) || (pfn & ((1UL << order) - 1)) ||
		       !PageHead(p) || p->private != order;
	for (unsigned long i = 0; i < (1UL << order); i++) {
		s->problems += s->owned[pfn + i]; /* handed out twice */
		s->owned[pfn + i] = 1;
		if (gfp & __GFP_ZERO)
			s->problems += *word(pfn + i, 0) != 0 || *word(pfn + i, 1) != 0;
	}
	s->live[s->nlive++] = (struct live){ p, order };
}

static void stress_free(struct stress *s, size_t i)
{
	struct live l = s->live[i];
	unsigned long pfn = page_to_pfn(l.page);

	for (unsigned long k = 0; k < (1UL << l.order); k++) {
		s->problems += !s->owned[pfn + k];
		s->owned[pfn + k] = 0;
		*word(pfn + k, 0) = 0xdeadbeef00000000ULL | (pfn + k); /* dirty for __GFP_ZERO */
		*word(pfn + k, 1) = ~0ULL;
	}
	__free_pages(l.page, l.order);
	s->frees++;
	s->live[i] = s->live[--s->nlive];
}

static void stress_run(const struct sim_layout *l, unsigned long seed, unsigned long ops,
		       unsigned long check_every, unsigned ncpus)
{
	static struct stress s;
	struct sim_snapshot boot, end;

	sim_boot(l);
	sim_snapshot(&boot);
	memset(&s, 0, sizeof(s));
	s.seed = seed;
	s.owned = calloc(max_pfn, 1);
	for (unsigned long op = 1; op <= ops; op++) {
		host_cpu_id = (unsigned)(sim_rand(&s.seed) % ncpus);
		unsigned r = (unsigned)(sim_rand(&s.seed) % 100);
		if (s.nlive && (r < 45 || s.nlive == MAX_LIVE))
			stress_free(&s, sim_rand(&s.seed) % s.nlive);
		else
			stress_alloc(&s);
		if (sim_rand(&s.seed) % 5000 == 0)
			drain_all_pages();
		s.min_free = op == 1 ? nr_free_pages() : MIN(s.min_free, nr_free_pages());
		if (op % check_every == 0) {
			int n = check_free_areas();
			CHECK_EQ(n, 0);
			if (n)
				break;
		}
	}
	CHECK_EQ(s.problems, 0);
	CHECK(s.allocs > ops / 3);
	CHECK(s.fails > 0); /* the floors were reached */
	if (getenv("STRESS_STATS"))
		printf("    # %s: %lu allocs, %lu failed, %lu frees, min free %lu\n", l->name, s.allocs, s.fails, s.frees, s.min_free);
	while (s.nlive)
		stress_free(&s, s.nlive - 1);
	host_cpu_id = 0;
	drain_all_pages();
	sim_snapshot(&end);
	CHECK(sim_snapshot_equal(&boot, &end)); /* no leak, everything merged back */
	CHECK_EQ(nr_free_pages(), totalram_pages());
	CHECK_EQ(check_free_areas(), 0);
	free(s.owned);
}

/* 64 MB with holes: small enough that the floors are hit all the time. */
HTEST(stress_holes_100k)
{
	stress_run(&sim_holes, 0x5eed1, 100000, 1000, 4);
}

HTEST(stress_2g)
{
	stress_run(&sim_2g, 0x5eed2, 30000, 5000, 2);
}

HTEST(stress_8g_above_4g)
{
	stress_run(&sim_8g, 0x5eed3, 20000, 10000, 2);
}

/* The same with debug_pagealloc on: a check after every buddy operation. */
HTEST(stress_debug_pagealloc)
{
	sim_boot(&sim_tiny);
	debug_pagealloc = true;
	htest_log_clear();
	unsigned long seed = 7;
	struct page *held[64] = { 0 };
	unsigned orders[64];
	for (int op = 0; op < 3000; op++) {
		int i = (int)(sim_rand(&seed) % 64);
		if (held[i]) {
			__free_pages(held[i], orders[i]);
			held[i] = NULL;
		} else {
			orders[i] = (unsigned)(sim_rand(&seed) % 4);
			held[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, orders[i]);
		}
	}
	for (int i = 0; i < 64; i++)
		if (held[i])
			__free_pages(held[i], orders[i]);
	CHECK(!htest_log_contains("debug_pagealloc"));
	debug_pagealloc = false;
	CHECK_EQ(check_free_areas(), 0);
}
