/* slab_create.c - making caches: where everything goes in a slot, the
 * slab order, the per-CPU array sizes; kmem_cache_create() and the boot
 * caches (kmem_cache_init).
 */
#include "printk.h"
#include "slab_internal.h"

struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
DEFINE_SPINLOCK(slab_caches_lock);
unsigned long slab_nr_pages;
uintptr_t slab_lowmem_size;
#ifdef HL_HOSTED
uintptr_t slab_lowmem_base;
#endif

/* The cache of struct kmem_cache itself: static, so it needs no cache. */
static struct kmem_cache kmem_cache_boot;
struct kmem_cache *const kmem_cache_cache = &kmem_cache_boot;

/* ---- the shape of a cache ---- */

static unsigned calculate_align(size_t size, size_t align, unsigned flags)
{
	size_t a = SLAB_MIN_ALIGN;

	/* Small objects share a line rather than each taking a whole one. */
	if (flags & SLAB_HWCACHE_ALIGN) {
		size_t hw = SLAB_HWALIGN;
		while (size <= hw / 2 && hw > SLAB_MIN_ALIGN)
			hw /= 2;
		a = MAX(a, hw);
	}
	return (unsigned)MAX(a, align);
}

/* Where everything goes in a slot (the picture in slab_internal.h). The
 * metadata sits at the end of the slot, so the right red zone also
 * covers the padding that alignment adds. */
static void calculate_sizes(struct kmem_cache *s)
{
	bool debug = s->flags & SLAB_DEBUG_FLAGS;
	unsigned meta = 0, end;

	s->red_left = (s->flags & SLAB_RED_ZONE) ? s->align : 0;
	if (debug || s->ctor)
		meta += SLAB_FREEWORD_SIZE;
	if (s->flags & SLAB_STORE_USER)
		meta += 2 * sizeof(struct slab_track);
	end = s->red_left + s->object_size;
	if (s->flags & SLAB_RED_ZONE)
		end += SLAB_MIN_ALIGN; /* at least this much red zone after the object */
	s->size = ALIGN_UP(end + meta, s->align);
	s->free_offset = meta ? s->size - s->red_left - meta : 0;
}

static unsigned long slab_bytes(unsigned order) { return PAGE_SIZE << order; }

/* Like SLUB: the smallest order up to 3 that holds enough objects and
 * wastes at most an eighth of the slab, asking for fewer objects before
 * accepting more waste; a bigger order only if one object needs it. */
static bool calculate_order(struct kmem_cache *s)
{
	static const unsigned min_objects[] = { 8, 4, 2, 1 };
	unsigned order;

	for (unsigned k = 0; k < ARRAY_SIZE(min_objects); k++) {
		for (order = 0; order <= SLAB_MAX_ORDER_PREFERRED; order++) {
			unsigned long bytes = slab_bytes(order), n = bytes / s->size;
			if (n >= min_objects[k] && (bytes - n * s->size) * 8 <= bytes)
				goto found;
		}
	}
	for (order = 0; order < MAX_ORDER; order++)
		if (slab_bytes(order) >= s->size)
			goto found;
	return false;
found:
	s->order = order;
	s->objects = (unsigned)(slab_bytes(order) / s->size);
	s->slab_mask = (unsigned)slab_bytes(order) - 1;
	/* A power-of-two slot: the mask that says "starts an object"; any other
	 * size: all ones, so the fast path's one test sends it to the division
	 * (slab_internal.h, starts_object). */
	s->slot_mask = (s->size & (s->size - 1)) ? ~0u : s->size - 1;
	return true;
}

/* Bigger objects are cached in smaller numbers (as Linux's SLAB did).
 * Debug caches cache nothing: every object goes through the checks. */
static void setup_cpu_arrays(struct kmem_cache *s)
{
	if (s->flags & SLAB_DEBUG_FLAGS)
		s->limit = 0;
	else
		s->limit = s->size <= 256 ? SLAB_CPU_ARRAY_MAX : s->size <= 1024 ? 16 :
			   s->size <= 4096 ? 8 : 4;
	s->batch = s->limit / 2;
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		s->cpu_objs[cpu][0] = NULL;
		s->cpu[cpu].top = s->cpu_objs[cpu];
		s->cpu[cpu].end = s->cpu_objs[cpu] + s->limit;
	}
}

static bool bad_cache_args(const char *name, size_t size, size_t align)
{
	const char *why = NULL;

	if (!name || !*name)
		why = "no name";
	else if (!size || size > slab_bytes(MAX_ORDER - 1) / 2)
		why = "object size out of range";
	else if (align & (align - 1) || align > slab_bytes(MAX_ORDER - 1) / 2)
		why = "alignment not a power of two, or too large";
	if (why)
		pr_err("kmem_cache_create(%s) failed: %s (size %zu, align %zu)\n",
		       name ? name : "(null)", why, size, align);
	return why != NULL;
}

bool kmem_cache_setup(struct kmem_cache *s, const char *name, size_t size, size_t align,
		      unsigned flags, void (*ctor)(void *))
{
	if (bad_cache_args(name, size, align))
		return false;
	memset(s, 0, sizeof(*s));
	strlcpy(s->name, name, sizeof(s->name));
	s->flags = flags | slub_debug_flags_for(s->name);
	s->ctor = ctor;
	s->alloc_gfp = (flags & SLAB_CACHE_DMA) ? __GFP_DMA : 0;
	s->align = calculate_align(size, align, flags);
	s->object_size = (unsigned)ALIGN_UP(size, (size_t)SLAB_MIN_ALIGN);
	calculate_sizes(s);
	if (!calculate_order(s)) {
		pr_err("kmem_cache_create(%s) failed: a %u-byte slot fits in no slab\n", name, s->size);
		return false;
	}
	setup_cpu_arrays(s);
	spin_lock_init(&s->lock, s->name);
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	INIT_LIST_HEAD(&s->empty);
	spin_lock(&slab_caches_lock);
	list_add(&s->list, &slab_caches);
	spin_unlock(&slab_caches_lock);
	return true;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned flags, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (bad_cache_args(name, size, align))
		return NULL;
	s = kmem_cache_alloc(kmem_cache_cache, GFP_KERNEL);
	if (!s)
		return NULL;
	if (!kmem_cache_setup(s, name, size, align, flags & ~SLAB_PERMANENT, ctor)) {
		kmem_cache_free(kmem_cache_cache, s);
		return NULL;
	}
	return s;
}

/* Runs again for each hosted test machine: every piece of state is reset
 * here (caches made before are forgotten with the memory they lived in). */
void kmem_cache_init(void)
{
	INIT_LIST_HEAD(&slab_caches);
	spin_lock_init(&slab_caches_lock, "slab_caches_lock");
	slab_nr_pages = 0;
	slab_reports = 0;
#ifdef HL_HOSTED
	slab_lowmem_base = (uintptr_t)phys_to_virt(0);
#endif
	slab_lowmem_size = (uintptr_t)PFN_PHYS(max_low_pfn);
	slub_debug_parse();
	kmem_cache_setup(&kmem_cache_boot, "kmem_cache", sizeof(struct kmem_cache), 0,
			 SLAB_HWCACHE_ALIGN | SLAB_PERMANENT, NULL);
	kmalloc_init();
	pr_info("SLUB: HWalign=%u, Order=0-%u, MinObjects=0, CPUs=%u, Nodes=1\n", SLAB_HWALIGN,
		SLAB_MAX_ORDER_PREFERRED, NR_CPUS);
}
