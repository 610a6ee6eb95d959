/* fuzz_vmalloc_area.c - the address-range allocator (mm/vmalloc_area.c)
 * against a brute-force bitmap of free pages.
 *
 * Input: two bytes give the space's size (1..4096 pages), then one op per
 * byte (+ argument bytes):
 *   alloc   size (pages) and alignment (a power of two, up to 64 pages)
 *   free    a live range
 *   bogus   a free that must be refused: overlapping free space, outside the
 *           space, unaligned, or empty
 *   stash   give the space spare nodes, or take them all away (then
 *           operations that need a node must fail and change nothing)
 * Checked after every op: va_space_verify() == 0; free_bytes, nr_free and
 * va_largest_free() equal the bitmap's free pages, runs and longest run.
 * An allocation must be aligned and wholly free in the bitmap; with the
 * page granule it must be the lowest fit; a failure with spare nodes
 * stashed means the bitmap has no aligned fit either. */
#include "fuzz_common.h"
#include "vmalloc_area.h"

#define BASE 0x40000000UL
#define PG 4096UL
#define MAXPAGES 4096
#define POOL (MAXPAGES + 8)
#define MAXLIVE 1024

static struct va_node pool[POOL];
static struct va_node *spare; /* pool nodes not in the space, through ->left */
static unsigned char used[MAXPAGES]; /* 1: allocated */
static unsigned long npages;
static struct { unsigned long start, pages; } live[MAXLIVE];
static unsigned nlive;

static void give(struct va_space *s, unsigned n)
{
	while (n-- && spare) {
		struct va_node *v = spare;
		spare = v->left;
		va_stash(s, v);
	}
}

static void take_all(struct va_space *s)
{
	struct va_node *v;

	while ((v = va_unstash(s))) {
		v->left = spare;
		spare = v;
	}
}

static void check(const struct va_space *s, const char *when)
{
	unsigned long freep = 0, runs = 0, longest = 0, run = 0;

	FZ_ASSERT(va_space_verify(s) == 0, "va_space_verify failed %s", when);
	for (unsigned long i = 0; i <= npages; i++) {
		if (i < npages && !used[i]) {
			freep++;
			run++;
			continue;
		}
		if (run) {
			runs++;
			longest = run > longest ? run : longest;
		}
		run = 0;
	}
	FZ_ASSERT(s->free_bytes == freep * PG, "free_bytes 0x%lx, bitmap 0x%lx %s", s->free_bytes,
		  freep * PG, when);
	FZ_ASSERT(s->nr_free == runs, "nr_free %lu, bitmap runs %lu %s", s->nr_free, runs, when);
	FZ_ASSERT(va_largest_free(s) == longest * PG, "largest 0x%lx, bitmap 0x%lx %s",
		  va_largest_free(s), longest * PG, when);
}

static bool range_free(unsigned long first, unsigned long pages)
{
	if (first + pages > npages)
		return false;
	for (unsigned long i = first; i < first + pages; i++)
		if (used[i])
			return false;
	return true;
}

/* The lowest first page of a free aligned fit, or -1. BASE is aligned to
 * every alignment used, so page alignment is address alignment. */
static long lowest_fit(unsigned long pages, unsigned long align_pages)
{
	for (unsigned long i = 0; i + pages <= npages; i += align_pages)
		if (range_free(i, pages))
			return (long)i;
	return -1;
}

static void do_alloc(struct va_space *s, struct fz *f)
{
	uint8_t a = fz_u8(f), b = fz_u8(f);
	unsigned long pages = a & 0x80 ? 1 + ((unsigned long)(a & 0x7f) << 8 | b) % npages
				       : 1 + b % 16;
	unsigned long align_pages = 1ul << (fz_u8(f) % 7);
	unsigned long before = s->free_bytes, stash = s->nr_stash;

	if (nlive == MAXLIVE)
		return;
	unsigned long va = va_alloc(s, pages * PG, align_pages * PG);
	long fit = lowest_fit(pages, align_pages);
	if (!va) {
		FZ_ASSERT(s->free_bytes == before, "a failed alloc changed free_bytes");
		if (stash)
			FZ_ASSERT(fit < 0, "alloc of %lu pages align %lu failed, but page %ld fits",
				  pages, align_pages, fit);
		return;
	}
	FZ_ASSERT(va >= BASE && va % (align_pages * PG) == 0, "alloc returned 0x%lx", va);
	unsigned long first = (va - BASE) / PG;
	FZ_ASSERT(range_free(first, pages), "alloc returned 0x%lx (+%lu pages), not free", va, pages);
	if (align_pages == 1)
		FZ_ASSERT((long)first == fit, "alloc of %lu pages at page %lu, lowest fit is %ld",
			  pages, first, fit);
	memset(used + first, 1, pages);
	live[nlive].start = va;
	live[nlive++].pages = pages;
}

static void do_free(struct va_space *s, struct fz *f)
{
	if (!nlive)
		return;
	unsigned i = fz_u8(f) % nlive;
	unsigned long stash = s->nr_stash, before = s->free_bytes;
	int r = va_free(s, live[i].start, live[i].pages * PG);

	if (r) {
		FZ_ASSERT(!stash, "free of a live range refused with %lu spare nodes", stash);
		FZ_ASSERT(s->free_bytes == before, "a refused free changed free_bytes");
		return;
	}
	memset(used + (live[i].start - BASE) / PG, 0, live[i].pages);
	live[i] = live[--nlive];
}

static void do_bogus(struct va_space *s, struct fz *f)
{
	uint8_t k = fz_u8(f), a = fz_u8(f), b = fz_u8(f);
	unsigned long start = BASE + ((unsigned long)a << 8 | b) % (npages + 2) * PG - PG, size = PG;
	unsigned long before = s->free_bytes;

	switch (k % 4) {
	case 0: { /* overlaps free space: find a free page and cover it */
		unsigned long i = ((unsigned long)a << 8 | b) % npages;
		while (i < npages && used[i])
			i++;
		if (i == npages)
			return;
		start = BASE + i * PG;
		size = (1 + k % 8) * PG;
		break;
	}
	case 1: start = BASE + npages * PG + (k % 3) * PG; break;  /* past the end */
	case 2: start += 1 + (k % (PG - 1)); break;                 /* unaligned */
	case 3: size = 0; break;
	}
	FZ_ASSERT(va_free(s, start, size) == -1, "bogus free [0x%lx +0x%lx] accepted", start, size);
	FZ_ASSERT(s->free_bytes == before, "a bogus free changed free_bytes");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct va_space s;
	struct fz f = { data, size };

	if (size > 8192)
		return 0;
	npages = 1 + ((unsigned long)fz_u8(&f) << 8 | fz_u8(&f)) % MAXPAGES;
	spare = NULL;
	for (unsigned i = 0; i < POOL; i++) {
		pool[i].left = spare;
		spare = &pool[i];
	}
	memset(used, 0, sizeof(used));
	nlive = 0;
	va_space_init(&s, BASE, BASE + npages * PG, PG);
	give(&s, 1);
	FZ_ASSERT(va_free(&s, BASE, npages * PG) == 0, "handing over the space failed");
	give(&s, 2);
	check(&s, "after init");

	while (f.n) {
		uint8_t op = fz_u8(&f);

		switch (op % 8) {
		case 0: case 1: case 2: do_alloc(&s, &f); break;
		case 3: case 4: do_free(&s, &f); break;
		case 5: do_bogus(&s, &f); break;
		case 6: if (op & 0x80) take_all(&s); else give(&s, 1 + (op >> 3) % 8); break;
		case 7: if (s.nr_stash > 1) { struct va_node *v = va_unstash(&s); v->left = spare; spare = v; } break;
		}
		check(&s, "during the run");
	}
	give(&s, 4);
	while (nlive) {
		if (!s.nr_stash)
			give(&s, 1);
		FZ_ASSERT(va_free(&s, live[nlive - 1].start, live[nlive - 1].pages * PG) == 0,
			  "final free refused");
		memset(used + (live[nlive - 1].start - BASE) / PG, 0, live[nlive - 1].pages);
		nlive--;
	}
	check(&s, "after freeing everything");
	FZ_ASSERT(s.nr_free == 1 && s.free_bytes == npages * PG, "space not whole again");
	return 0;
}
