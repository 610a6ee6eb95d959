/* fuzz_slab.c - sequences of slab operations (mm/slab*.c, mm/kmalloc.c) on
 * the simulated 4 MB machine, checked against a model of what is live.
 *
 * Input: one op per byte (+ argument bytes):
 *   kmalloc/kzalloc  size (small, medium, up to and past KMALLOC_MAX_CACHE_SIZE),
 *                    GFP_KERNEL / GFP_ATOMIC / GFP_DMA
 *   krealloc         a live kmalloc object to a new size (contents kept)
 *   kfree            a live kmalloc object
 *   create           a cache (size 1..1024, align 0 or a power of two up to
 *                    64, SLAB_HWCACHE_ALIGN / SLAB_CACHE_DMA / debug flags)
 *   cache alloc/free an object of one of our caches
 *   shrink, destroy  (destroy only when the model says the cache is empty)
 *   cpu              switch host_cpu_id
 * Checked: every object is filled with its own pattern and the pattern is
 * intact when freed (no two live objects overlap); kzalloc and krealloc
 * contents; ksize >= the request; after every op batch, each cache's
 * active_objs is exactly its baseline plus our live objects in it, and
 * num_objs >= active_objs + cpu_cached; at the end everything is freed, our
 * caches destroy cleanly (creating and destroying a cache re-takes every
 * cache's baseline: the bookkeeping lives in other caches), and once every cache is shrunk and the page lists
 * drained the free page count is back to its value after kmem_cache_init. */
#include "arch.h"
#include "cmdline.h"
#include "fuzz_common.h"
#include "gfp.h"
#include "mmzone.h"
#include "sim_mm.h"
#include "slab.h"

#define MAXOBJ 512
#define MAXCACHES 4
#define MAXTRACK 64

struct obj {
	void *p;
	size_t size;
	int cache; /* -1: kmalloc */
	struct kmem_cache *counted; /* the cache whose active_objs it raises, or NULL */
	uint8_t pat;
};
static struct obj objs[MAXOBJ];
static unsigned nobj;
static struct kmem_cache *caches[MAXCACHES];
static unsigned cache_live[MAXCACHES];

/* active_objs we expect per cache: baseline after init + our deltas */
static struct { struct kmem_cache *s; long expect; } track[MAXTRACK];
static unsigned ntrack;
static uint8_t next_pat;

static long *expect_of(struct kmem_cache *s)
{
	for (unsigned i = 0; i < ntrack; i++)
		if (track[i].s == s)
			return &track[i].expect;
	FZ_ASSERT(ntrack < MAXTRACK, "too many caches");
	track[ntrack].s = s;
	track[ntrack].expect = 0;
	return &track[ntrack++].expect;
}

static void record_baseline(struct kmem_cache *s, void *arg)
{
	struct kmem_cache_info info;

	(void)arg;
	kmem_cache_get_info(s, &info);
	*expect_of(s) = info.active_objs;
}

static void check_cache(struct kmem_cache *s, void *arg)
{
	struct kmem_cache_info info;

	(void)arg;
	kmem_cache_get_info(s, &info);
	long want = *expect_of(s);
	FZ_ASSERT((long)info.active_objs == want, "%s: active_objs %lu, expected %ld", info.name,
		  info.active_objs, want);
	FZ_ASSERT(info.num_objs >= info.active_objs + info.cpu_cached + info.quarantined,
		  "%s: num_objs %lu < active %lu + cpu cached %lu + quarantined %lu", info.name,
		  info.num_objs, info.active_objs, info.cpu_cached, info.quarantined);
	FZ_ASSERT(info.quarantined == 0, "%s: %lu objects quarantined", info.name, info.quarantined);
}

static void check_all(const char *when)
{
	kmem_cache_for_each(check_cache, NULL);
	int bad = check_free_areas();
	FZ_ASSERT(bad == 0, "check_free_areas() = %d %s", bad, when);
	bad = slab_check_all();
	FZ_ASSERT(bad == 0, "slab_check_all() = %d %s:\n%s", bad, when, htest_log());
	FZ_ASSERT(slab_reports == 0, "slab reported a problem %s:\n%s", when, htest_log());
}

static void fill(struct obj *o) { memset(o->p, o->pat, o->size); }

static void verify(const struct obj *o)
{
	const uint8_t *b = o->p;

	for (size_t i = 0; i < o->size; i++)
		FZ_ASSERT(b[i] == o->pat, "object %p (size %zu) byte %zu is 0x%02x, not 0x%02x",
			  o->p, o->size, i, b[i], o->pat);
}

static size_t pick_size(struct fz *f)
{
	uint8_t a = fz_u8(f), b = fz_u8(f);

	switch (a & 3) {
	case 0: return b % 33;                              /* tiny, 0 included */
	case 1: return 1 + (((size_t)a << 8 | b) % 512);
	case 2: return 1 + (((size_t)a << 8 | b) % KMALLOC_MAX_CACHE_SIZE);
	default: return KMALLOC_MAX_CACHE_SIZE - 64 + b % 256; /* around the limit */
	}
}

static gfp_t pick_gfp(uint8_t b)
{
	static const gfp_t g[] = { GFP_KERNEL, GFP_ATOMIC, GFP_KERNEL | GFP_DMA, GFP_NOWAIT };

	return g[b % ARRAY_SIZE(g)] | __GFP_NOWARN;
}

static void add(void *p, size_t size, int cache, struct kmem_cache *counted)
{
	struct obj *o = &objs[nobj++];

	o->p = p;
	o->size = size;
	o->cache = cache;
	o->counted = counted;
	o->pat = ++next_pat ? next_pat : ++next_pat;
	if (counted)
		++*expect_of(counted);
	if (cache >= 0)
		cache_live[cache]++;
	fill(o);
}

static void drop(unsigned i)
{
	struct obj *o = &objs[i];

	verify(o);
	if (o->counted)
		--*expect_of(o->counted);
	if (o->cache >= 0) {
		kmem_cache_free(caches[o->cache], o->p);
		cache_live[o->cache]--;
	} else {
		kfree(o->p);
	}
	objs[i] = objs[--nobj];
}

static void do_kmalloc(struct fz *f, bool zero)
{
	size_t size = pick_size(f);
	gfp_t gfp = pick_gfp(fz_u8(f));

	if (nobj == MAXOBJ)
		return;
	void *p = zero ? kzalloc(size, gfp) : kmalloc(size, gfp);
	if (!size) {
		FZ_ASSERT(p == ZERO_SIZE_PTR, "kmalloc(0) = %p", p);
		kfree(p);
		return;
	}
	if (!p)
		return;
	FZ_ASSERT(ksize(p) >= size, "ksize %zu < %zu", ksize(p), size);
	if (zero)
		for (size_t i = 0; i < size; i++)
			FZ_ASSERT(((uint8_t *)p)[i] == 0, "kzalloc(%zu) byte %zu not zero", size, i);
	add(p, size, -1, kmalloc_slab(size, gfp));
}

static void do_krealloc(struct fz *f)
{
	unsigned i = 0;
	size_t size = pick_size(f);
	gfp_t gfp = pick_gfp(fz_u8(f));

	for (unsigned tries = 0; tries < 4 && nobj; tries++) {
		i = fz_u8(f) % nobj;
		if (objs[i].cache < 0)
			break;
	}
	if (!nobj || objs[i].cache >= 0 || !size)
		return;
	struct obj old = objs[i];
	verify(&old);
	void *p = krealloc(old.p, size, gfp);
	if (!p)
		return; /* the old object is untouched */
	size_t keep = MIN(old.size, size);
	for (size_t k = 0; k < keep; k++)
		FZ_ASSERT(((uint8_t *)p)[k] == old.pat, "krealloc lost byte %zu", k);
	if (old.counted)
		--*expect_of(old.counted);
	objs[i] = objs[--nobj];
	add(p, size, -1, kmalloc_slab(size, gfp));
	/* krealloc may keep the object in place, in its old cache */
	if (p == old.p) {
		--*expect_of(objs[nobj - 1].counted ? objs[nobj - 1].counted : old.counted);
		objs[nobj - 1].counted = old.counted;
		if (old.counted)
			++*expect_of(old.counted);
	}
}

static void do_create(struct fz *f)
{
	static const unsigned flagset[] = { 0, SLAB_HWCACHE_ALIGN, SLAB_CACHE_DMA, SLAB_RED_ZONE,
					    SLAB_POISON, SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER,
					    SLAB_CONSISTENCY_CHECKS, SLAB_HWCACHE_ALIGN | SLAB_POISON };
	static const char *names[MAXCACHES] = { "fz0", "fz1", "fz2", "fz3" };
	uint8_t a = fz_u8(f), b = fz_u8(f), c = fz_u8(f);
	int slot = a % MAXCACHES;

	if (caches[slot])
		return;
	size_t size = 1 + (((size_t)a << 8 | b) % 1024);
	size_t align = c & 0x80 ? 0 : 1u << (c % 7);
	struct kmem_cache *s = kmem_cache_create(names[slot], size, align, flagset[(c >> 3) % 8], NULL);
	FZ_ASSERT(s, "kmem_cache_create(%zu, %zu) failed", size, align);
	FZ_ASSERT(kmem_cache_size(s) >= size, "cache size %zu < %zu", kmem_cache_size(s), size);
	caches[slot] = s;
	cache_live[slot] = 0;
	*expect_of(s) = 0;
	/* creating a cache allocates its bookkeeping from other caches (the
	 * cache of caches...): those counts start again from here */
	kmem_cache_for_each(record_baseline, NULL);
}

static void do_cache_alloc(struct fz *f)
{
	uint8_t a = fz_u8(f);
	int slot = a % MAXCACHES;

	if (!caches[slot] || nobj == MAXOBJ)
		return;
	void *p = a & 0x80 ? kmem_cache_zalloc(caches[slot], GFP_KERNEL | __GFP_NOWARN)
			   : kmem_cache_alloc(caches[slot], GFP_ATOMIC | __GFP_NOWARN);
	if (!p)
		return;
	size_t size = kmem_cache_size(caches[slot]);
	if (a & 0x80)
		for (size_t i = 0; i < size; i++)
			FZ_ASSERT(((uint8_t *)p)[i] == 0, "kmem_cache_zalloc byte %zu not zero", i);
	add(p, size, slot, caches[slot]);
}

static void do_destroy(struct fz *f)
{
	int slot = fz_u8(f) % MAXCACHES;

	if (!caches[slot] || cache_live[slot])
		return;
	FZ_ASSERT(kmem_cache_destroy(caches[slot]) == 0, "destroying an empty cache refused");
	for (unsigned i = 0; i < ntrack; i++)
		if (track[i].s == caches[slot])
			track[i] = track[--ntrack];
	caches[slot] = NULL;
	kmem_cache_for_each(record_baseline, NULL); /* as after a create */
}

static void shrink_one(struct kmem_cache *s, void *arg)
{
	(void)arg;
	kmem_cache_shrink(s);
}

static unsigned long settled_free_pages(void)
{
	for (unsigned c = 0; c < 4; c++) {
		host_cpu_id = c;
		kmem_cache_for_each(shrink_one, NULL);
		drain_all_pages();
	}
	host_cpu_id = 0;
	return nr_free_pages();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	unsigned ops = 0;

	if (size > 4096)
		return 0;
	cmdline_set("");
	sim_boot(&sim_tiny);
	kmem_cache_init();
	htest_log_clear();
	nobj = ntrack = 0;
	memset(caches, 0, sizeof(caches));
	memset(cache_live, 0, sizeof(cache_live));
	kmem_cache_for_each(record_baseline, NULL);
	unsigned long free0 = settled_free_pages();
	check_all("after init");

	while (f.n) {
		uint8_t op = fz_u8(&f);

		switch (op % 12) {
		case 0: case 1: do_kmalloc(&f, false); break;
		case 2: do_kmalloc(&f, true); break;
		case 3: do_krealloc(&f); break;
		case 4: case 5: if (nobj) drop(fz_u8(&f) % nobj); break;
		case 6: do_create(&f); break;
		case 7: case 8: do_cache_alloc(&f); break;
		case 9: { int s = fz_u8(&f) % MAXCACHES; if (caches[s]) kmem_cache_shrink(caches[s]); break; }
		case 10: do_destroy(&f); break;
		case 11: host_cpu_id = fz_u8(&f) % 4; break;
		}
		if (++ops % 8 == 0)
			check_all("during the run");
		if (ops % 256 == 0)
			htest_log_clear();
	}
	check_all("at the end of the ops");
	while (nobj)
		drop(nobj - 1);
	for (int s = 0; s < MAXCACHES; s++)
		if (caches[s]) {
			FZ_ASSERT(kmem_cache_destroy(caches[s]) == 0, "destroy refused at the end");
			for (unsigned i = 0; i < ntrack; i++)
				if (track[i].s == caches[s])
					track[i] = track[--ntrack];
			caches[s] = NULL;
			kmem_cache_for_each(record_baseline, NULL);
		}
	check_all("after freeing everything");
	unsigned long free1 = settled_free_pages();
	FZ_ASSERT(free1 == free0, "leak: %lu free pages after init, %lu at the end", free0, free1);
	return 0;
}
