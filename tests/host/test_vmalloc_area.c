/* test_vmalloc_area.c - the range allocator (mm/vmalloc_area.c) on its own:
 * merges, exhaustion, alignment, missing spare nodes, thousands of ranges
 * (balance and augmented values), and random traffic checked against a
 * brute-force bitmap of free pages. */
#include <stdlib.h>
#include "htest.h"
#include "sim_mm.h"
#include "vmalloc_area.h"

#define BASE 0x100000UL /* any start above 0 will do */
#define PG PAGE_SIZE
#define POOL 20000

static struct va_node pool[POOL];
static unsigned pool_used;

/* A space of `pages` pages, all free, with `spares` nodes stashed. */
static void space_init(struct va_space *s, unsigned long pages, unsigned spares)
{
	pool_used = 0;
	va_space_init(s, BASE, BASE + pages * PG, PG);
	va_stash(s, &pool[pool_used++]);
	CHECK_EQ(va_free(s, BASE, pages * PG), 0);
	for (unsigned i = 0; i < spares; i++)
		va_stash(s, &pool[pool_used++]);
}

HTEST(va_alloc_lowest_first_and_exact_fill)
{
	struct va_space s;

	space_init(&s, 16, 4);
	CHECK_EQ(va_alloc(&s, 4 * PG, PG), BASE);
	CHECK_EQ(va_alloc(&s, 2 * PG, PG), BASE + 4 * PG);
	CHECK_EQ(va_alloc(&s, 10 * PG, PG), BASE + 6 * PG); /* exactly what was left */
	CHECK_EQ(s.nr_free, 0);
	CHECK_EQ(s.free_bytes, 0);
	CHECK_EQ(va_largest_free(&s), 0);
	CHECK_EQ(va_alloc(&s, PG, PG), 0); /* exhausted */
	CHECK_EQ(s.nr_stash, 5);           /* the last fit gave its node back */
	CHECK_EQ(va_space_verify(&s), 0);
}

HTEST(va_free_merges_with_both_neighbours)
{
	struct va_space s;
	unsigned long a, b, c, d;

	space_init(&s, 16, 4);
	a = va_alloc(&s, 4 * PG, PG);
	b = va_alloc(&s, 4 * PG, PG);
	c = va_alloc(&s, 4 * PG, PG);
	d = va_alloc(&s, 4 * PG, PG);
	CHECK_EQ(s.nr_free, 0);
	CHECK_EQ(va_free(&s, a, 4 * PG), 0);
	CHECK_EQ(va_free(&s, c, 4 * PG), 0);
	CHECK_EQ(s.nr_free, 2);
	unsigned long stash = s.nr_stash;
	CHECK_EQ(va_free(&s, b, 4 * PG), 0); /* joins a and c: one range, one node back */
	CHECK_EQ(s.nr_free, 1);
	CHECK_EQ(s.nr_stash, stash + 1);
	CHECK_EQ(va_largest_free(&s), 12 * PG);
	CHECK_EQ(va_free(&s, d, 4 * PG), 0); /* joins the range before it */
	CHECK_EQ(s.nr_free, 1);
	CHECK_EQ(s.free_bytes, 16 * PG);
	CHECK_EQ(s.free->start, BASE);
	CHECK_EQ(s.free->end, BASE + 16 * PG);
	CHECK_EQ(va_space_verify(&s), 0);
	/* the range after a freed one merges too */
	a = va_alloc(&s, 4 * PG, PG);
	CHECK_EQ(va_free(&s, a, 4 * PG), 0);
	CHECK_EQ(s.nr_free, 1);
}

HTEST(va_free_refuses_free_space_and_bad_ranges)
{
	struct va_space s;

	space_init(&s, 16, 4);
	unsigned long a = va_alloc(&s, 4 * PG, PG);
	CHECK_EQ(va_free(&s, a, 4 * PG), 0);
	CHECK_EQ(va_free(&s, a, 4 * PG), -1);           /* a double free */
	a = va_alloc(&s, 4 * PG, PG);
	CHECK_EQ(va_free(&s, a, 5 * PG), -1);           /* overlaps the free range after it */
	CHECK_EQ(va_free(&s, a + 1, PG), -1);           /* not granule-aligned */
	CHECK_EQ(va_free(&s, BASE - PG, PG), -1);       /* outside the space */
	CHECK_EQ(va_free(&s, BASE + 16 * PG, PG), -1);
	CHECK_EQ(va_free(&s, a, 0), -1);
	CHECK_EQ(s.free_bytes, 12 * PG);                /* nothing changed */
	CHECK_EQ(va_space_verify(&s), 0);
	CHECK_EQ(va_alloc(&s, 0, PG), 0);               /* bad requests */
	CHECK_EQ(va_alloc(&s, PG + 1, PG), 0);
	CHECK_EQ(va_alloc(&s, PG, 3 * PG), 0);
	CHECK_EQ(va_alloc(&s, 17 * PG, PG), 0);
	CHECK_EQ(s.free_bytes, 12 * PG);
}

HTEST(va_without_spare_nodes_changes_nothing)
{
	struct va_space s;

	space_init(&s, 16, 0);
	CHECK_EQ(s.nr_stash, 0);
	unsigned long a = va_alloc(&s, 2 * PG, PG);      /* from the front: no new node */
	unsigned long b = va_alloc(&s, 2 * PG, PG);
	CHECK_EQ(va_alloc(&s, 4 * PG, 8 * PG), 0);       /* would split at 8: needs a node */
	CHECK_EQ(s.free_bytes, 12 * PG);
	CHECK_EQ(va_space_verify(&s), 0);
	CHECK_EQ(va_free(&s, b, 2 * PG), 0);             /* merges: no node needed */
	CHECK_EQ(va_alloc(&s, 12 * PG, PG), BASE + 2 * PG); /* from the front again */
	CHECK_EQ(va_free(&s, a, 2 * PG), -1);            /* an island: needs a node */
	CHECK_EQ(s.free_bytes, 2 * PG);
	CHECK_EQ(s.nr_free, 1);
	CHECK_EQ(va_space_verify(&s), 0);
	va_stash(&s, &pool[pool_used++]);
	CHECK_EQ(va_free(&s, a, 2 * PG), 0);
	CHECK_EQ(s.nr_free, 2);
	CHECK_EQ(va_space_verify(&s), 0);
}

HTEST(va_alignment)
{
	struct va_space s;

	space_init(&s, 256, 8);
	CHECK_EQ(va_alloc(&s, PG, PG), BASE);
	unsigned long a = va_alloc(&s, 4 * PG, 16 * PG); /* leaves a hole before it */
	CHECK_EQ(a, BASE + 16 * PG);
	CHECK_EQ(s.nr_free, 2);
	CHECK_EQ(va_alloc(&s, 8 * PG, 8 * PG), BASE + 8 * PG); /* the 15-page hole will do */
	CHECK_EQ(va_alloc(&s, PG, 2 * PG), BASE + 2 * PG);
	CHECK_EQ(va_space_verify(&s), 0);
	/* an alignment bigger than the space: only its aligned start qualifies */
	CHECK_EQ(va_alloc(&s, PG, 1UL << 40), 0);
}

/* A range that fits an aligned request only because it happens to start
 * at the alignment: found by the slow search when nothing long enough for
 * any alignment exists, and passed over (documented) when something does. */
HTEST(va_alignment_lucky_fit)
{
	struct va_space s;

	space_init(&s, 32, 8);
	unsigned long a = va_alloc(&s, 8 * PG, PG), b = va_alloc(&s, 4 * PG, PG);
	unsigned long c = va_alloc(&s, 20 * PG, PG);
	CHECK_EQ(b, BASE + 8 * PG);
	CHECK_EQ(va_free(&s, b, 4 * PG), 0);               /* [8, 12): 4 pages at 8 */
	CHECK_EQ(va_alloc(&s, 4 * PG, 8 * PG), BASE + 8 * PG); /* needs 11 for any start */
	CHECK_EQ(va_free(&s, b, 4 * PG), 0);
	CHECK_EQ(va_free(&s, c + 4 * PG, 16 * PG), 0);     /* [16, 32): 16 >= 11 */
	CHECK_EQ(va_alloc(&s, 4 * PG, 8 * PG), BASE + 16 * PG); /* the walk's pick */
	CHECK_EQ(va_alloc(&s, 4 * PG, 8 * PG), BASE + 24 * PG); /* [20, 32) is still 12 */
	CHECK_EQ(va_alloc(&s, 4 * PG, 8 * PG), BASE + 8 * PG);  /* then the lucky one */
	CHECK_EQ(va_alloc(&s, 4 * PG, 8 * PG), 0);              /* [20, 24), [28, 32): none */
	CHECK_EQ(va_space_verify(&s), 0);
	(void)a;
}

/* ---- thousands of ranges ---------------------------------------------------- */

/* The fewest nodes an AVL tree of height h can have: N(h) = N(h-1) +
 * N(h-2) + 1. A height whose minimum exceeds the node count is a bug. */
static bool avl_height_ok(unsigned long nodes, int h)
{
	unsigned long a = 0, b = 1; /* N(0), N(1) */

	for (int i = 1; i < h; i++) {
		unsigned long c = a + b + 1;
		a = b;
		b = c;
	}
	return h == 0 ? nodes == 0 : b <= nodes;
}

HTEST(va_4096_ranges_stay_balanced)
{
	struct va_space s;
	unsigned long addr[4096], nodes;
	int h;

	space_init(&s, 3 * 4096 + 16, 64);
	for (int i = 0; i < 4096; i++) {
		addr[i] = va_alloc(&s, 3 * PG, PG);
		CHECK_EQ(addr[i], BASE + (unsigned long)i * 3 * PG);
		if (s.nr_stash < 2)
			va_stash(&s, &pool[pool_used++]);
	}
	/* free the first page-triple of every other area: 2048 holes */
	for (int i = 0; i < 4096; i += 2) {
		CHECK_EQ(va_free(&s, addr[i], 3 * PG), 0);
		if (s.nr_stash < 2)
			va_stash(&s, &pool[pool_used++]);
	}
	CHECK_EQ(s.nr_free, 2049);
	CHECK_EQ(va_tree_verify(s.free, &nodes, &h), 0);
	CHECK_EQ(nodes, 2049);
	CHECK(avl_height_ok(nodes, h));
	CHECK(h <= 16); /* 1.44 log2(2049) */
	CHECK_EQ(va_space_verify(&s), 0);
	/* the tail (16 pages) is the only range of 4: found in one walk */
	CHECK_EQ(va_alloc(&s, 4 * PG, PG), BASE + 3 * 4096 * PG);

	/* a busy tree fed in ascending order (a plain BST's worst case) */
	struct va_node *busy = NULL;
	for (int i = 0; i < 4096; i++) {
		struct va_node *n = &pool[pool_used++];
		n->start = BASE + (unsigned long)i * 2 * PG;
		n->end = n->start + PG;
		va_tree_insert(&busy, n);
	}
	CHECK_EQ(va_tree_verify(busy, &nodes, &h), 0);
	CHECK_EQ(nodes, 4096);
	CHECK(avl_height_ok(nodes, h));
	CHECK(h <= 13); /* an AVL tree built in order is nearly perfect */
	for (int i = 0; i < 4096; i += 3)
		va_tree_remove(&busy, &pool[pool_used - 4096 + i]);
	CHECK_EQ(va_tree_verify(busy, &nodes, &h), 0);
	CHECK_EQ(nodes, 4096 - 1366);
	CHECK(avl_height_ok(nodes, h));
	struct va_node *n = va_tree_find(busy, BASE + 2 * 2 * PG + 100);
	CHECK(n && n->start == BASE + 4 * PG);
	CHECK(va_tree_find(busy, BASE + 4 * PG + PG) == NULL); /* the gap after it */
	CHECK(va_tree_find(busy, BASE) == NULL);                /* removed */
	n = va_tree_next(busy, BASE);
	CHECK(n && n->start == BASE + 2 * PG);
	n = va_tree_prev(busy, BASE + 6 * PG + 5);
	CHECK(n && n->start == BASE + 4 * PG); /* 6 was removed (i = 3) */
}

/* ---- random traffic against a bitmap --------------------------------------- */

#define OPAGES 2048
static bool ofree[OPAGES]; /* the oracle: is page i free? */

static bool run_free(unsigned long p, unsigned long n)
{
	for (unsigned long i = p; i < p + n; i++)
		if (i >= OPAGES || !ofree[i])
			return false;
	return true;
}

/* The documented choice, by brute force: the lowest free run of at least
 * size + align - 1 pages, else the lowest run with an aligned fit. Runs are
 * maximal, as the tree keeps them. Returns a page number or -1. */
static unsigned long oracle_fails, oracle_lucky;

static long oracle_alloc(unsigned long size, unsigned long align)
{
	unsigned long want = size + align - 1, lucky = ~0UL, base = BASE / PG;

	for (unsigned long p = 0; p < OPAGES;) {
		if (!ofree[p]) {
			p++;
			continue;
		}
		unsigned long q = p;
		while (q < OPAGES && ofree[q])
			q++;
		unsigned long a = ALIGN_UP(p + base, align) - base;
		if (q - p >= want)
			return (long)a;
		if (lucky == ~0UL && a + size <= q)
			lucky = a;
		p = q;
	}
	oracle_fails += lucky == ~0UL;
	oracle_lucky += lucky != ~0UL;
	return lucky == ~0UL ? -1 : (long)lucky;
}

static void random_traffic(unsigned long seed, int ops)
{
	struct va_space s;
	struct { unsigned long page, n; } live[1024];
	int nlive = 0;

	space_init(&s, OPAGES, 2);
	for (int i = 0; i < OPAGES; i++)
		ofree[i] = true;
	for (int op = 0; op < ops; op++) {
		if (s.nr_stash < 2)
			va_stash(&s, &pool[pool_used++]);
		bool alloc = nlive == 0 || (nlive < 1024 && sim_rand(&seed) % 100 < 55);
		if (alloc) {
			unsigned long n = 1 + sim_rand(&seed) % (sim_rand(&seed) % 4 ? 8 : 96);
			unsigned long align = 1UL << (sim_rand(&seed) % 3 ? 0 : sim_rand(&seed) % 6);
			long want = oracle_alloc(n, align);
			unsigned long got = va_alloc(&s, n * PG, align * PG);
			CHECK_EQ(got, want < 0 ? 0 : BASE + (unsigned long)want * PG);
			if (!got)
				continue;
			unsigned long p = (got - BASE) / PG;
			CHECK(run_free(p, n));
			for (unsigned long i = p; i < p + n; i++)
				ofree[i] = false;
			live[nlive].page = p;
			live[nlive++].n = n;
		} else {
			int k = (int)(sim_rand(&seed) % (unsigned long)nlive);
			CHECK_EQ(va_free(&s, BASE + live[k].page * PG, live[k].n * PG), 0);
			for (unsigned long i = live[k].page; i < live[k].page + live[k].n; i++)
				ofree[i] = true;
			live[k] = live[--nlive];
		}
		if (op % 97 == 0)
			CHECK_EQ(va_space_verify(&s), 0);
		CHECK(pool_used < POOL - 2);
	}
	CHECK_EQ(va_space_verify(&s), 0);
	while (nlive) {
		nlive--;
		CHECK_EQ(va_free(&s, BASE + live[nlive].page * PG, live[nlive].n * PG), 0);
		if (s.nr_stash < 2)
			va_stash(&s, &pool[pool_used++]);
	}
	CHECK_EQ(s.nr_free, 1);
	CHECK_EQ(s.free_bytes, OPAGES * PG);
	CHECK_EQ(va_space_verify(&s), 0);
}

HTEST(va_random_traffic_matches_bitmap)
{
	oracle_fails = oracle_lucky = 0;
	for (unsigned long seed = 1; seed <= 4; seed++)
		random_traffic(seed * 0x9e3779b97f4a7c15ULL, 6000);
	/* the traffic reached both the slow aligned search and exhaustion */
	CHECK(oracle_lucky > 10);
	CHECK(oracle_fails > 10);
	if (getenv("HTEST_VERBOSE"))
		fprintf(stderr, "lucky fits %lu, failures %lu\n", oracle_lucky, oracle_fails);
}
