/* slab.c - object caches: slabs, their freelists, and the per-CPU arrays.
 *
 * An allocation first looks in this CPU's array of free objects (the fast
 * path in slab_internal.h: this CPU's slab lock, one instruction each way). When the array is
 * empty, `batch` objects come from the cache's slabs under its lock:
 * partial slabs first (filling them keeps the number of slabs down), then
 * empty ones, and a new slab from the page allocator when none is left.
 * A free goes onto the array; a full array gives its `batch` oldest
 * objects back to their slabs. A slab whose last object comes back is
 * freed to the page allocator unless the cache has no empty slab in
 * reserve; kmem_cache_shrink() frees every empty slab.
 *
 * Debug caches (slub_debug=, or SLAB_RED_ZONE and friends) have no arrays:
 * every alloc and free goes to the slabs under the lock, where
 * slab_debug.c checks and prepares each object.
 *
 * The layout of slots and the slab bookkeeping in struct page are
 * described in slab_internal.h.
 */
#include "printk.h"
#include "slab_internal.h"

/* ---- slabs ---- */

static void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp)
{
	char mode[160];

	format_gfp(gfp, mode, sizeof(mode));
	pr_warn("SLUB: Unable to allocate memory on node -1, gfp=%s\n", mode);
	pr_warn("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
		s->name, s->object_size, s->size, s->order, s->order);
}

/* A new slab, every object free and on its freelist in address order.
 * Its pages are lowmem (the objects need a permanent kernel address). */
static struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	gfp_t g = (gfp & ~(__GFP_HIGHMEM | __GFP_ZERO | __GFP_DMA)) | s->alloc_gfp;
	struct page *slab = alloc_pages(g, s->order);

	if (!slab) {
		if (!(gfp & __GFP_NOWARN))
			slab_out_of_memory(s, gfp);
		return NULL;
	}
	for (unsigned long i = 0; i < (1UL << s->order); i++) {
		SetPageSlab(slab + i);
		slab[i].slab_cache = s;
	}
	slab->private = 0; /* the freelist starts at object 0 */
	slab->inuse = 0;
	for (unsigned i = 0; i < s->objects; i++) {
		void *obj = slab_object(s, slab, i);
		if (s->flags & SLAB_DEBUG_FLAGS)
			debug_init_object(s, obj);
		*free_word(s, obj) = i + 1 < s->objects ? i + 1 : FREELIST_END;
		if (s->ctor)
			s->ctor(obj);
	}
	if (s->flags & SLAB_DEBUG_FLAGS)
		debug_init_padding(s, slab);
	__atomic_fetch_add(&slab_nr_pages, 1UL << s->order, __ATOMIC_RELAXED);
	return slab;
}

/* Back to the page allocator, every borrowed struct page field restored
 * (it refuses pages still marked PG_slab). No cache lock held. */
static void discard_slab(struct kmem_cache *s, struct page *slab)
{
	if (s->flags & SLAB_DEBUG_FLAGS)
		debug_check_discard(s, slab);
	for (unsigned long i = 0; i < (1UL << s->order); i++) {
		ClearPageSlab(slab + i);
		slab[i].slab_cache = NULL;
	}
	slab->private = s->order;
	slab->inuse = 0;
	__atomic_fetch_sub(&slab_nr_pages, 1UL << s->order, __ATOMIC_RELAXED);
	__free_pages(slab, s->order);
}

static void discard_slabs(struct kmem_cache *s, struct list_head *list)
{
	while (!list_empty(list)) {
		struct page *slab = list_first_entry(list, struct page, lru);
		list_del(&slab->lru);
		discard_slab(s, slab);
	}
}

/* Add a new slab to the cache; false if the page allocator has none. */
static bool grow_cache(struct kmem_cache *s, gfp_t gfp)
{
	struct page *slab = new_slab(s, gfp);

	if (!slab)
		return false;
	unsigned long f = spin_lock_irqsave(&s->lock);
	list_add(&slab->lru, &s->empty);
	s->nr_empty++;
	s->nr_slabs++;
	spin_unlock_irqrestore(&s->lock, f);
	return true;
}

/* ---- a slab's list follows its state (cache lock held) ---- */

enum slab_state { SLAB_EMPTY, SLAB_PARTIAL, SLAB_FULL };

static enum slab_state slab_state(const struct page *slab)
{
	if (slab_inuse(slab) == 0)
		return SLAB_EMPTY;
	return slab_freelist(slab) == FREELIST_END ? SLAB_FULL : SLAB_PARTIAL;
}

static void count_slab(struct kmem_cache *s, enum slab_state st, long delta)
{
	if (st == SLAB_EMPTY)
		s->nr_empty += (unsigned long)delta;
	else if (st == SLAB_PARTIAL)
		s->nr_partial += (unsigned long)delta;
}

/* Move a slab whose state changed from `was` to the list of its state. */
static void slab_relist(struct kmem_cache *s, struct page *slab, enum slab_state was)
{
	enum slab_state now = slab_state(slab);
	struct list_head *lists[] = { &s->empty, &s->partial, &s->full };

	if (now == was)
		return;
	list_del(&slab->lru);
	list_add(&slab->lru, lists[now]);
	count_slab(s, was, -1);
	count_slab(s, now, 1);
}

static struct page *slab_with_free_objects(struct kmem_cache *s)
{
	if (!list_empty(&s->partial))
		return list_first_entry(&s->partial, struct page, lru);
	if (!list_empty(&s->empty))
		return list_first_entry(&s->empty, struct page, lru);
	return NULL;
}

/* The first object of the slab's freelist; NULL (reported, the slab taken
 * out of use) if the freelist is corrupt. */
static void *slab_take(struct kmem_cache *s, struct page *slab)
{
	unsigned i = slab_freelist(slab);

	if (unlikely(i >= s->objects || slab_inuse(slab) >= s->objects)) {
		slab_freelist_corrupt(s, slab);
		return NULL;
	}
	void *obj = slab_object(s, slab, i);
	slab->private = *free_word(s, obj);
	slab->inuse++;
	s->inuse++;
	return obj;
}

/* obj (object number i of slab) back on its slab's freelist. A slab that
 * becomes empty beyond the reserve moves to `discard`, to be freed once
 * the lock is dropped. Catches the double frees visible from here. */
static void slab_put(struct kmem_cache *s, struct page *slab, void *obj, unsigned i,
		     struct list_head *discard)
{
	enum slab_state was = slab_state(slab);

	if (unlikely(was == SLAB_EMPTY || slab_freelist(slab) == i)) {
		report_double_free(s, slab, obj, NULL);
		return;
	}
	*free_word(s, obj) = slab_freelist(slab);
	slab->private = i;
	slab->inuse--;
	s->inuse--;
	slab_relist(s, slab, was);
	if (slab_inuse(slab) == 0 && s->nr_empty > SLAB_EMPTY_RESERVE) {
		list_del(&slab->lru);
		s->nr_empty--;
		s->nr_slabs--;
		list_add(&slab->lru, discard);
	}
}

/* The slab holding obj, and obj's number in it. */
static struct page *obj_slab_index(struct kmem_cache *s, const void *obj, unsigned *i)
{
	phys_addr_t pa = __pa(obj);

	*i = (unsigned)slab_offset_to_index(s, (unsigned long)pa & s->slab_mask);
	return pfn_to_page((unsigned long)(pa >> PAGE_SHIFT) & ~((1UL << s->order) - 1));
}

/* ---- the per-CPU arrays (this CPU's slab lock held) ---- */

/* Up to `want` objects from the slabs into objs[]; returns how many. */
static unsigned take_objects(struct kmem_cache *s, void **objs, unsigned want)
{
	struct page *slab;
	unsigned n = 0;

	while (n < want && (slab = slab_with_free_objects(s))) {
		enum slab_state was = slab_state(slab);
		while (n < want && slab_freelist(slab) != FREELIST_END) {
			void *obj = slab_take(s, slab);
			if (!obj)
				break;
			objs[n++] = obj;
		}
		slab_relist(s, slab, was);
	}
	return n;
}

/* The n oldest objects of a CPU's array back to their slabs (that CPU's
 * slab lock held, or the CPU offline). */
static void cpu_array_flush(struct kmem_cache *s, unsigned cpu, unsigned n)
{
	struct list_head discard = LIST_HEAD_INIT(discard);
	void **objs = s->cpu_objs[cpu];

	unsigned long f = spin_lock_irqsave(&s->lock);
	for (unsigned k = 1; k <= n; k++) {
		unsigned i;
		struct page *slab = obj_slab_index(s, objs[k], &i);
		slab_put(s, slab, objs[k], i, &discard);
	}
	spin_unlock_irqrestore(&s->lock, f);
	memmove(&objs[1], &objs[n + 1], (cpu_array_count(s, cpu) - n) * sizeof(void *));
	s->cpu[cpu].top -= n;
	discard_slabs(s, &discard);
}

static void flush_cpu(struct kmem_cache *s, unsigned cpu)
{
	if (cpu_array_count(s, cpu))
		cpu_array_flush(s, cpu, cpu_array_count(s, cpu));
}

struct flush_req {
	struct kmem_cache *s;
	bool busy; /* the CPU's slab lock was held: not flushed, ask again */
};

static void flush_this_cpu(void *arg)
{
	struct flush_req *r = arg;

	r->busy = !arch_slab_cpu_trylock();
	if (r->busy)
		return; /* the IPI interrupted a fast path: it ends as soon as we return */
	flush_cpu(r->s, arch_cpu_id());
	slab_cpu_unlock();
}

/* An array belongs to its CPU's slab lock holder: so each online CPU
 * flushes its own (an IPI, as drain_all_pages does), and one that was
 * interrupted inside a fast path is asked again (the fast path holds the
 * lock for a few instructions and cannot be switched away meanwhile); an
 * offline CPU's array is quiet and is flushed from here. */
void flush_cpu_arrays(struct kmem_cache *s)
{
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		struct flush_req r = { s, false };
		int online;
		while ((online = arch_call_on_cpu(cpu, flush_this_cpu, &r)) >= 0 && r.busy)
			arch_cpu_relax();
		if (online < 0)
			flush_cpu(s, cpu);
	}
}

/* ---- the slabs directly: for a context that interrupted the holder of
 * this CPU's slab lock (an interrupt handler), which must leave the arrays
 * alone ---- */

static void *slab_alloc_direct(struct kmem_cache *s, gfp_t gfp)
{
	for (;;) {
		void *obj = NULL;
		unsigned long f = spin_lock_irqsave(&s->lock);
		take_objects(s, &obj, 1);
		spin_unlock_irqrestore(&s->lock, f);
		if (obj)
			return obj;
		if (!grow_cache(s, gfp))
			return NULL;
	}
}

/* The array's top cannot be compared (it is being changed under us), so a
 * double free is caught only if the object is back on its slab already. */
static void slab_free_direct(struct kmem_cache *s, struct page *slab, void *obj, unsigned i)
{
	struct list_head discard = LIST_HEAD_INIT(discard);
	unsigned long f = spin_lock_irqsave(&s->lock);

	slab_put(s, slab, obj, i, &discard);
	spin_unlock_irqrestore(&s->lock, f);
	discard_slabs(s, &discard);
}

static void *cpu_array_refill_alloc(struct kmem_cache *s, gfp_t gfp)
{
	for (;;) {
		if (!arch_slab_cpu_trylock())
			return slab_alloc_direct(s, gfp);
		unsigned cpu = arch_cpu_id();
		struct slab_cpu_array *ac = &s->cpu[cpu];
		void **objs = s->cpu_objs[cpu], *obj = NULL;
		if (ac->top == objs) {
			unsigned long f = spin_lock_irqsave(&s->lock);
			ac->top += take_objects(s, &objs[1], s->batch);
			spin_unlock_irqrestore(&s->lock, f);
		}
		if (ac->top != objs)
			obj = *ac->top--;
		slab_cpu_unlock();
		if (obj)
			return obj;
		if (!grow_cache(s, gfp)) /* with interrupts on, if they were */
			return NULL;
	}
}

/* ---- debug caches: straight to the slabs ---- */

static void *debug_slab_alloc(struct kmem_cache *s, gfp_t gfp, const void *caller)
{
	for (;;) {
		unsigned long f = spin_lock_irqsave(&s->lock);
		struct page *slab;
		while ((slab = slab_with_free_objects(s))) {
			enum slab_state was = slab_state(slab);
			void *obj = slab_take(s, slab);
			bool ok = obj && debug_alloc_check(s, slab, obj); /* else quarantined */
			slab_relist(s, slab, was);
			if (ok) {
				debug_alloc_prepare(s, obj, caller);
				spin_unlock_irqrestore(&s->lock, f);
				return obj;
			}
		}
		spin_unlock_irqrestore(&s->lock, f);
		if (!grow_cache(s, gfp))
			return NULL;
	}
}

static void debug_slab_free(struct kmem_cache *s, void *obj, const void *caller)
{
	struct list_head discard = LIST_HEAD_INIT(discard);
	unsigned i;
	struct page *slab = obj_slab_index(s, obj, &i);

	if (i == (unsigned)-1) { /* not an object's start */
		report_invalid_object(s, obj, caller);
		return;
	}
	unsigned long f = spin_lock_irqsave(&s->lock);
	if (debug_free_check(s, slab, obj, i, caller)) {
		debug_free_prepare(s, obj, caller);
		slab_put(s, slab, obj, i, &discard);
	}
	spin_unlock_irqrestore(&s->lock, f);
	discard_slabs(s, &discard);
}

/* ---- the slow paths behind slab_alloc / slab_free ---- */

void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, const void *caller)
{
	void *obj;

	/* This path may take pages from the page allocator, whose reclaim will
	 * sleep: a GFP_KERNEL request from atomic context is a bug even when
	 * the pages are there. (The per-CPU array hit does not check: see gfp.h.) */
	might_sleep_if(gfp & gfp_allowed_mask & __GFP_DIRECT_RECLAIM);
	if (s->flags & SLAB_DEBUG_FLAGS)
		obj = debug_slab_alloc(s, gfp, caller);
	else
		obj = cpu_array_refill_alloc(s, gfp);
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, s->object_size);
	return obj;
}

/* A free the fast path did not take: a debug cache, a pointer that does
 * not start an object, a double free of the last object freed, or a
 * full array (its oldest batch goes back to the slabs first). */
void slab_free_slow(struct kmem_cache *s, void *obj, const void *caller)
{
	if (s->flags & SLAB_DEBUG_FLAGS) {
		debug_slab_free(s, obj, caller);
		return;
	}
	unsigned i;
	struct page *slab = obj_slab_index(s, obj, &i);
	if (i == (unsigned)-1) {
		report_invalid_object(s, obj, caller);
		return;
	}
	if (!arch_slab_cpu_trylock()) {
		slab_free_direct(s, slab, obj, i);
		return;
	}
	unsigned cpu = arch_cpu_id();
	struct slab_cpu_array *ac = &s->cpu[cpu];
	if (*ac->top == obj) {
		slab_cpu_unlock();
		report_double_free(s, slab, obj, caller);
		return;
	}
	if (ac->top == ac->end)
		cpu_array_flush(s, cpu, s->batch);
	*++ac->top = obj;
	slab_cpu_unlock();
}

/* ---- the API ---- */

__attribute__((noinline)) bool should_failslab(struct kmem_cache *s, gfp_t gfp, const void *caller)
{
	return should_fail(&failslab, s->object_size, caller, gfp & __GFP_NOWARN);
}

/* Out of line and static: the compiler passes its arguments in registers,
 * so kmem_cache_alloc's miss needs no outgoing argument area. */
static __attribute__((noinline)) void *kmem_cache_alloc_slow(struct kmem_cache *s, gfp_t gfp,
							     const void *caller)
{
	return slab_alloc(s, gfp, caller);
}

/* slab_internal.h: a hit's reschedule, out of line, obj in %eax both ways. */
__attribute__((noinline)) void *SLAB_REGPARM slab_resched_ret(void *obj)
{
	preempt_schedule();
	return obj;
}

/* fault_inject.h: __GFP_ZERO, or 0 while fault injection is on. One compare
 * then says "no zeroing and no injection" (as kmalloc_fast_max does). */
unsigned kmem_cache_fast_gate = __GFP_ZERO;

/* As kmalloc: a hit in this CPU's array without zeroing or fault injection
 * to look at is the whole fast path; anything else starts again in
 * slab_alloc. */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	/* The two empty asm statements say gfp may change in its argument
	 * slot: so the hit reads it from there once, and the miss reads it
	 * back for the slow call, and no register is kept (saved and restored)
	 * for it across the fast path. Without them the compiler keeps s and
	 * gfp in callee-saved registers: 4 instructions more per call. */
	__asm__("" : "+m"(gfp));
	if (likely((gfp & __GFP_ZERO) < kmem_cache_fast_gate)) {
		void *obj = cpu_array_pop(s);
		if (likely(obj))
			return obj;
	}
	__asm__("" : "+m"(gfp));
	return kmem_cache_alloc_slow(s, gfp, __builtin_return_address(0));
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp | __GFP_ZERO, __builtin_return_address(0));
}

/* Out of line, so that kmem_cache_free itself stays small. */
static __attribute__((noinline)) void kmem_cache_free_slow(struct kmem_cache *s, void *obj,
								const void *caller)
{
	free_object_slow(s, obj, caller);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (unlikely(!free_fast(true, s, obj)))
		kmem_cache_free_slow(s, obj, __builtin_return_address(0));
}

size_t kmem_cache_size(struct kmem_cache *s) { return s->object_size; }

/* Every slab of the lists given, moved to `out` (cache lock held). */
static unsigned long take_slabs(struct kmem_cache *s, struct list_head *from, struct list_head *out)
{
	unsigned long n = 0;

	while (!list_empty(from)) {
		struct page *slab = list_first_entry(from, struct page, lru);
		list_del(&slab->lru);
		list_add(&slab->lru, out);
		n++;
	}
	s->nr_slabs -= n;
	return n;
}

/* Counts the slabs the flush frees too (beyond the reserve); a slab grown
 * meanwhile by another CPU is not one freed. */
int kmem_cache_shrink(struct kmem_cache *s)
{
	struct list_head discard = LIST_HEAD_INIT(discard);
	unsigned long before = __atomic_load_n(&s->nr_slabs, __ATOMIC_RELAXED);

	flush_cpu_arrays(s);
	unsigned long f = spin_lock_irqsave(&s->lock);
	take_slabs(s, &s->empty, &discard);
	s->nr_empty = 0;
	unsigned long after = s->nr_slabs;
	spin_unlock_irqrestore(&s->lock, f);
	discard_slabs(s, &discard);
	return before > after ? (int)((before - after) << s->order) : 0;
}

int kmem_cache_destroy(struct kmem_cache *s)
{
	struct list_head discard = LIST_HEAD_INIT(discard);

	if (!s)
		return 0;
	if (s->flags & SLAB_PERMANENT) {
		pr_err("kmem_cache_destroy %s: a boot cache is permanent\n", s->name);
		return -1;
	}
	flush_cpu_arrays(s);
	unsigned long f = spin_lock_irqsave(&s->lock);
	if (s->inuse > s->nr_quarantined) {
		report_live_objects(s);
		spin_unlock_irqrestore(&s->lock, f);
		pr_err("kmem_cache_destroy %s: Slab cache still has objects\n", s->name);
		return -1;
	}
	/* Quarantined objects go with their slabs: the cache is gone. */
	take_slabs(s, &s->empty, &discard);
	take_slabs(s, &s->partial, &discard);
	take_slabs(s, &s->full, &discard);
	s->nr_empty = s->nr_partial = s->inuse = s->nr_quarantined = 0;
	spin_unlock_irqrestore(&s->lock, f);
	discard_slabs(s, &discard);

	spin_lock(&slab_caches_lock);
	list_del(&s->list);
	spin_unlock(&slab_caches_lock);
	kmem_cache_free(kmem_cache_cache, s);
	return 0;
}
