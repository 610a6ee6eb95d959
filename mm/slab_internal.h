/* slab_internal.h - what the slab allocator's files share (mm/slab.c,
 * slab_create.c, slab_debug.c, slab_report.c, kmalloc.c); hosted unit
 * tests look in here too. Nothing else should need it.
 *
 * A cache hands out objects of one size from slabs: naturally aligned
 * blocks of 2^order lowmem pages. Each object sits in a slot of s->size
 * bytes; slot i starts at the slab's first byte + i * s->size:
 *
 *   | left red zone | object          | right red zone | free word | tracks |
 *   |<- red_left  ->|<- object_size ->|                |<- meta at the end ->|
 *                   ^ the pointer users get            ^ object + free_offset
 *
 * Without debugging there are no red zones nor tracks, and the free word
 * (the number of the next free object while the object is on its slab's
 * freelist) lies inside the free object, at offset 0. A constructor or any
 * debugging moves it past the object: constructed objects keep their
 * state while free, and poisoned ones keep their poison.
 *
 * A slab's own bookkeeping lives in the struct page of its first page, as
 * in Linux (where struct slab overlays struct page):
 *   flags      PG_slab, on every page of the slab
 *   slab_cache the struct kmem_cache, on every page (any object finds it);
 *              overlays mapping, which is NULL again before the free
 *   lru        on the cache's partial, full or empty list
 *   private    the first free object's number, FREELIST_END when none
 *              (the page allocator's order: given back before the free)
 *   inuse      objects handed out, per-CPU arrays included; overlays
 *              index, 0 again before the free
 * _mapcount is not the slab's: it stays -1 (no page table maps a slab).
 *
 * Locking: each CPU's arrays of free objects (every cache's) belong to
 * whoever holds that CPU's slab lock (arch_slab_cpu_trylock: one bts on a
 * bit of the preempt word, which also keeps the holder from being switched
 * away; tasks never change CPU). The fast paths take it and leave it in a
 * few instructions, with interrupts on. An interrupt handler that finds it
 * held - it interrupted the holder - leaves the arrays alone and goes
 * straight to the slabs (slab_alloc_direct, slab_free_direct), and an IPI
 * that wants the arrays flushed says "busy" and is sent again.
 * Slabs, their freelists and the counters below are under s->lock, which
 * is always taken with interrupts off. The list of caches has its own lock, taken only outside
 * interrupt handlers and with interrupts on (kmem_cache_for_each's fn may
 * shrink, which asks the other CPUs to flush their arrays). No path holds
 * two cache locks, and page allocations happen with no cache lock held.
 */
#ifndef HL_SLAB_INTERNAL_H
#define HL_SLAB_INTERNAL_H

#include "arch.h"
#include "fault_inject.h"
#include "kstring.h"
#include "list.h"
#include "mmzone.h"
#include "preempt.h"
#include "slab.h"
#include "spinlock.h"

/* i386: the first argument and the result in %eax (regparm), so a call
 * needs no stack argument area. Hosted (x86-64) builds pass in registers
 * anyway. */
#ifdef __i386__
#define SLAB_REGPARM __attribute__((regparm(1)))
#else
#define SLAB_REGPARM
#endif

#define SLAB_DEBUG_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS)
#define SLAB_PERMANENT 0x00200000u  /* internal: a boot cache (kmalloc-*, kmem_cache) */
#define SLAB_NAME_LEN 32
#define SLAB_MIN_ALIGN 8            /* every object is at least 8-byte aligned */
#define SLAB_HWALIGN 64             /* SLAB_HWCACHE_ALIGN: the cache line */
#define SLAB_MAX_ORDER_PREFERRED 3  /* Linux's slub_max_order: more only if an object needs it */
#define SLAB_EMPTY_RESERVE 1        /* empty slabs a cache keeps instead of freeing them */
#define SLAB_CPU_ARRAY_MAX 30       /* the largest s->limit */
#define FREELIST_END 0xffffffffu    /* end of a slab's freelist */

/* Debug values (Linux's include/linux/poison.h). */
#define SLUB_RED_INACTIVE 0xbb
#define SLUB_RED_ACTIVE 0xcc
#define POISON_FREE 0x6b
#define POISON_END 0xa5
#define POISON_INUSE 0x5a

/* The free word of an object in a debug cache also says what the object
 * is: a freelist link (a number below s->objects, or FREELIST_END) while
 * free, or one of these. Its second half is unused (keeps tracks aligned). */
#define OBJ_ACTIVE 0xa110c8edu      /* handed out */
#define OBJ_QUARANTINED 0xdeadbad0u /* damaged: never handed out again */
#define SLAB_FREEWORD_SIZE 8

/* Owner tracking (slub_debug=U): who last allocated and freed an object. */
struct slab_track {
	const void *addr; /* the caller of kmalloc/kmem_cache_alloc/kfree/... */
	u32 cpu;
	u32 pid;  /* the task's pid (0: idle/boot) */
	u64 when; /* arch_clock_ns() */
};
enum track_item { TRACK_ALLOC, TRACK_FREE };

/* A CPU's free objects are a stack in s->cpu_objs[cpu][1..], top the most
 * recently freed (cache-hot) one. objs[0] is a permanent NULL: popping it
 * means "empty", and the double-free test of the top entry needs no
 * special case. top reaching end (&objs[s->limit]) means "full"; a debug
 * cache has end == objs, so nothing ever goes in. The two pointers make
 * 8 bytes on i386: the fast path finds this CPU's with one indexed load. */
struct slab_cpu_array {
	void **top;
	void **end;
};

struct kmem_cache {
	/* read by the fast paths; cpu[] first, so that s->cpu[n] is s + 8n */
	struct slab_cpu_array cpu[NR_CPUS];
	unsigned flags;        /* SLAB_*: the caller's, slub_debug's, SLAB_PERMANENT */
	unsigned size;         /* the slot: object, red zones, metadata, padding */
	unsigned objects;      /* objects per slab */
	unsigned slab_mask;    /* (PAGE_SIZE << order) - 1 */
	unsigned slot_mask;    /* size - 1 if the slot size is a power of two, else ~0 */
	unsigned limit, batch; /* per-CPU array: its capacity, and objects moved at once */
	unsigned object_size;  /* usable bytes: the size asked for, rounded up to 8 */
	unsigned red_left;     /* bytes of the slot before the object */
	unsigned free_offset;  /* the free word, from the object's start */
	unsigned align;
	unsigned order;
	void (*ctor)(void *);
	gfp_t alloc_gfp;       /* added to the page allocations (__GFP_DMA for DMA caches) */

	spinlock_t lock;       /* everything below, and the slabs */
	struct list_head partial, full, empty;
	unsigned long nr_slabs, nr_partial, nr_empty;
	unsigned long inuse;          /* objects out of the slabs (per-CPU arrays included) */
	unsigned long nr_quarantined; /* damaged objects taken out of use for good */

	struct list_head list; /* slab_caches */
	char name[SLAB_NAME_LEN];
	void *cpu_objs[NR_CPUS][SLAB_CPU_ARRAY_MAX + 1];
};

/* Objects cached in a CPU's array. */
static inline unsigned cpu_array_count(const struct kmem_cache *s, unsigned cpu)
{
	return (unsigned)(s->cpu[cpu].top - s->cpu_objs[cpu]);
}

/* ---- slab_create.c ---- */
extern struct list_head slab_caches; /* every cache, newest first (as /proc/slabinfo lists them) */
extern spinlock_t slab_caches_lock; /* never taken from interrupts: interrupts stay on */
extern unsigned long slab_nr_pages;  /* pages in slabs and large kmallocs (atomic) */
extern struct kmem_cache *const kmem_cache_cache; /* where struct kmem_cache come from */
/* The direct map is linear (layout.h): an address's offset from the
 * address of physical 0 is its physical address. Kept here so that the
 * fast path finds a pointer's struct page with arithmetic alone, as
 * Linux's __pa does, and checks it is lowmem at all in the same step. */
#ifdef HL_HOSTED
extern uintptr_t slab_lowmem_base; /* phys_to_virt(0): the simulated RAM */
#else
/* phys_to_virt(0) is a constant in the kernel (layout.h): the free fast
 * path subtracts it in one lea instead of loading it (and keeping it in a
 * register that must be saved). */
#define slab_lowmem_base ((uintptr_t)PAGE_OFFSET)
#endif
extern uintptr_t slab_lowmem_size; /* PFN_PHYS(max_low_pfn) */

/* Set up a cache in caller-provided memory (the boot caches are static). */
bool kmem_cache_setup(struct kmem_cache *s, const char *name, size_t size, size_t align,
		      unsigned flags, void (*ctor)(void *));

/* ---- slab.c ---- */
void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, const void *caller);
void slab_free_slow(struct kmem_cache *s, void *obj, const void *caller);
/* Give every CPU's cached objects of s back to its slabs. */
void flush_cpu_arrays(struct kmem_cache *s);

/* ---- the slab of an object, and its objects ---- */
static inline unsigned slab_freelist(const struct page *slab) { return slab->private; }
static inline unsigned slab_inuse(const struct page *slab) { return slab->inuse; }

static inline void *slab_base(const struct page *slab) { return page_address(slab); }

static inline void *slab_object(const struct kmem_cache *s, const struct page *slab, unsigned i)
{
	return (char *)slab_base(slab) + s->red_left + (size_t)i * s->size;
}

static inline u32 *free_word(const struct kmem_cache *s, const void *obj)
{
	return (u32 *)((char *)obj + s->free_offset);
}

static inline struct slab_track *obj_track(const struct kmem_cache *s, const void *obj,
					   enum track_item t)
{
	return (struct slab_track *)((char *)obj + s->free_offset + SLAB_FREEWORD_SIZE) + t;
}

/* The first struct page of the slab holding obj (a lowmem address inside
 * one of s's slabs). Slabs are naturally aligned blocks, so that is the
 * object's frame rounded down to the slab's order. */
static inline struct page *obj_to_slab(const struct kmem_cache *s, const void *obj)
{
	unsigned long pfn = PFN_DOWN(__pa(obj));

	return pfn_to_page(pfn & ~((1UL << s->order) - 1));
}

/* The number of the object starting at byte `off` of its slab, or -1 if
 * no object starts there (inside one, in a red zone, or in the padding). */
static inline long slab_offset_to_index(const struct kmem_cache *s, unsigned long off)
{
	if (off < s->red_left)
		return -1;
	off -= s->red_left;
	if (off % s->size || off / s->size >= s->objects)
		return -1;
	return (long)(off / s->size);
}

/* ---- the per-CPU fast path of allocation (inlined into kmalloc, ...) ---- */

/* Release this CPU's slab lock, honouring a reschedule that an interrupt
 * asked for while it was held (as preempt_enable does). */
static inline __attribute__((always_inline)) void slab_cpu_unlock(void)
{
	if (unlikely(arch_slab_cpu_unlock()))
		preempt_schedule();
}

/* The reschedule an interrupt asked for while a hit held the slab lock:
 * taken, then obj returned. Out of line, and with obj passed and returned
 * in a register, the hit jumps here and keeps nothing on the stack across
 * a call (slab.c). */
void *SLAB_REGPARM __attribute__((returns_nonnull)) slab_resched_ret(void *obj);

/* This CPU's most recently freed object of s, or NULL: the array is empty
 * (debug caches' always are: their limit is 0), or an interrupted context
 * on this CPU holds the arrays (the slow path goes to the slabs). */
static inline __attribute__((always_inline)) void *cpu_array_pop(struct kmem_cache *s)
{
	if (unlikely(!arch_slab_cpu_trylock()))
		return NULL;
	struct slab_cpu_array *ac = &s->cpu[arch_cpu_id()];
	/* ac computed once, into a register: else the compiler indexes s->cpu[]
	 * twice and keeps the CPU number alive in a register it must save. */
	__asm__("" : "+r"(ac));
	void **top = ac->top;
	void *obj = *top;

	if (likely(obj)) {
		ac->top = top - 1;
		if (unlikely(arch_slab_cpu_unlock()))
			return slab_resched_ret(obj);
		return obj;
	}
	slab_cpu_unlock();
	return NULL;
}

/* failslab (fault injection): fail this request on purpose? (slab.c) */
bool should_failslab(struct kmem_cache *s, gfp_t gfp, const void *caller);

/* An object from this CPU's array, else from the slow path: it refills the
 * array from the slabs in a batch, and serves debug caches. */
static inline __attribute__((always_inline)) void *slab_alloc(struct kmem_cache *s, gfp_t gfp,
							     const void *caller)
{
	if (unlikely(fault_inject_on) && should_failslab(s, gfp, caller))
		return NULL;
	void *obj = cpu_array_pop(s);

	if (unlikely(!obj))
		return slab_alloc_slow(s, gfp, caller);
	if (unlikely(gfp & __GFP_ZERO))
		memset(obj, 0, s->object_size);
	return obj;
}

/* ---- slab_debug.c: slub_debug and the checks ---- */
/* The slub_debug= flags for a cache of this name (0 if none). */
unsigned slub_debug_flags_for(const char *name);
void slub_debug_parse(void);
/* A new object in its free state: red zones, poison, no owners. */
void debug_init_object(struct kmem_cache *s, void *obj);
/* A new slab's unused tail (slub_debug=P: POISON_INUSE, checked at discard). */
void debug_init_padding(struct kmem_cache *s, struct page *slab);
/* Checks an object just taken off its freelist; false: reported and quarantined. */
bool debug_alloc_check(struct kmem_cache *s, struct page *slab, void *obj);
/* The object becomes active: red zones, fresh poison, state, owner. */
void debug_alloc_prepare(struct kmem_cache *s, void *obj, const void *caller);
/* Checks object number i being freed; false: reported (quarantined if damaged). */
bool debug_free_check(struct kmem_cache *s, struct page *slab, void *obj, unsigned i,
		      const void *caller);
/* The object becomes free: owner, red zones, poison (the free word is slab.c's). */
void debug_free_prepare(struct kmem_cache *s, void *obj, const void *caller);
/* A slab leaving the cache: are its free objects and padding intact? */
void debug_check_discard(struct kmem_cache *s, struct page *slab);
/* Is object number i on its slab's freelist? (a bounded walk) */
bool on_freelist(const struct kmem_cache *s, const struct page *slab, unsigned i);

/* ---- reports (slab_report.c; cache lock held or not, they take none) ---- */
/* "BUG <cache> (Not tainted): <why>" between rules; counts slab_reports. */
void slab_bug(const char *cache, const char *fmt, ...) __printf(2, 3);
/* The INFO lines of an object: its owners (slub_debug=U), slab, offset. */
void slab_report_object(const struct kmem_cache *s, const struct page *slab, const void *obj);
/* A hex dump of the slot around `bad`, each line named by its region. */
void slab_report_bytes(const struct kmem_cache *s, const void *obj, const u8 *bad);
/* "FIX <cache>: <what was done>" and the call trace. */
void slab_fix(const char *cache, const char *fmt, ...) __printf(2, 3);
void report_double_free(struct kmem_cache *s, struct page *slab, void *obj, const void *caller);
/* A free of p that does not start an object of s. */
void report_invalid_object(struct kmem_cache *s, const void *p, const void *caller);
/* kmem_cache_free(expect, p) of an object of another cache. */
void report_wrong_cache(struct kmem_cache *expect, struct kmem_cache *s, const void *p,
			const void *caller);
/* The slab's freelist leads outside the slab: the slab is taken out of use. */
void slab_freelist_corrupt(struct kmem_cache *s, struct page *slab);
/* kmem_cache_destroy with live objects: each is listed (lock held). */
void report_live_objects(struct kmem_cache *s);
/* A damaged object is taken out of use for good (debug caches; lock held). */
void quarantine_object(struct kmem_cache *s, void *obj);

/* ---- kmalloc.c ---- */
void kmalloc_init(void);
/* Every free the fast path did not take: NULL, pointers no slab or large
 * kmalloc owns, large kmallocs, and slab_free_slow's cases. */
void free_object_slow(struct kmem_cache *expect, const void *p, const void *caller);

/* Does an object of s start at physical address pa, inside one of its
 * slabs (no red zones)? A power-of-two slot size fills its naturally
 * aligned slab exactly, so its mask says it in one test; other sizes have
 * an all-ones mask, fail that test (unless pa is 0, which is slot 0 of a
 * slab anyway) and take the division here: the slab's unused tail holds
 * no object. */
static __attribute__((noinline, cold, unused)) bool starts_object_slow(const struct kmem_cache *s,
									  uintptr_t pa)
{
	unsigned long off = pa & s->slab_mask;

	return s->slot_mask == ~0u && off % s->size == 0 && off / s->size < s->objects;
}

static inline __attribute__((always_inline)) bool starts_object(const struct kmem_cache *s,
								 uintptr_t pa)
{
	return likely(!(pa & s->slot_mask)) || starts_object_slow(s, pa);
}

/* The fast path of kfree (named false) and kmem_cache_free (named true,
 * expect the cache the caller named); false: the caller must take its
 * slow path. kmem_cache_free(NULL, p) has no cache to match and goes
 * round: the slow path treats it as kfree. p goes onto
 * this CPU's array if it is a lowmem address (NULL and ZERO_SIZE_PTR are
 * not) on a slab page of the expected cache, if it starts an object (no
 * red zone to allow for: debug caches take the slow path anyway, having
 * no room in their arrays), if the array has room, and if p is not the
 * object freed last there (the commonest double free, for one compare),
 * and if no context this CPU interrupted holds the arrays.
 * Nothing p points to is read on the way. The slow path sorts out
 * everything else, and reports what is wrong. */
static inline __attribute__((always_inline)) bool free_fast(bool named, struct kmem_cache *expect,
							   const void *p)
{
	uintptr_t pa = (uintptr_t)p - slab_lowmem_base;

	if (unlikely(pa >= slab_lowmem_size))
		return false;
	struct page *page = mem_map + (pa >> PAGE_SHIFT);
	struct kmem_cache *s = page->slab_cache;
	if (unlikely(!PageSlab(page)))
		return false;
	if (named) {
		if (unlikely(s != expect))
			return false;
		s = expect; /* the same, and already in a register: one fewer to keep */
	}
	if (unlikely((pa & s->slot_mask) != 0) && !starts_object_slow(s, pa))
		return false;
	if (unlikely(!arch_slab_cpu_trylock()))
		return false;
	struct slab_cpu_array *ac = &s->cpu[arch_cpu_id()];
	void **top = ac->top;
	bool done = likely(top != ac->end && *top != p);
	if (done) {
		top[1] = (void *)p;
		ac->top = top + 1;
	}
	slab_cpu_unlock();
	return done;
}

#endif
