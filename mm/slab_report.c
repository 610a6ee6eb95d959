/* slab_report.c - what the slab allocator tells: misuse reports in Linux's
 * shape, /proc/slabinfo (format 2.1), and the counters behind meminfo.
 *
 * A report is a block:
 *   =============================================================================
 *   BUG kmalloc-64 (Not tainted): Redzone overwritten
 *   -----------------------------------------------------------------------------
 *   INFO: 0xc1a2b040-0xc1a2b040 @offset=64. First byte 0x41 instead of 0xcc
 *   INFO: Called from test_redzone+0x4c/0x120
 *   INFO: Allocated in test_redzone+0x20/0x120 age=0 cpu=0 pid=1
 *   INFO: Slab 0xc3012340 objects=21 used=1 fp=0xc1a2b0f0 flags=0x20
 *   INFO: Object 0xc1a2b000 @offset=64 state=active
 *   Object   c1a2b030: 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZZZZZZZZZ
 *   Redzone  c1a2b040: 41 cc cc cc cc cc cc cc                          A.......
 *   FIX kmalloc-64: Object 0xc1a2b000 quarantined: not freed, never handed out again
 * then the call trace. @offset in the first INFO line is the bad byte's
 * offset from the object's start (negative: in the left red zone); in the
 * Object line it is the object's offset in its slab. Reports never stop
 * the kernel; slab_reports counts them.
 */
#include "ksyms.h"
#include "printk.h"
#include "proc_fs.h"
#include "slab_internal.h"

unsigned long slab_reports;

static const char rule_eq[] =
	"=============================================================================";
static const char rule_dash[] =
	"-----------------------------------------------------------------------------";

void slab_bug(const char *cache, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	__atomic_fetch_add(&slab_reports, 1, __ATOMIC_RELAXED);
	pr_err("%s\n", rule_eq);
	pr_err("BUG %s (Not tainted): %s\n", cache, msg);
	pr_err("%s\n", rule_dash);
}

void slab_fix(const char *cache, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("FIX %s: %s\n", cache, msg);
	dump_stack();
}

static void print_track(const char *what, const struct slab_track *t)
{
	if (!t->addr) /* never happened */
		return;
	pr_err("INFO: %s in %pS age=%llu cpu=%u pid=%u\n", what, t->addr,
	       (arch_clock_ns() - t->when) / 1000000, t->cpu, t->pid);
}

static const char *object_state(const struct kmem_cache *s, const void *obj)
{
	u32 w = *free_word(s, obj);

	return w == OBJ_ACTIVE ? "active" : w == OBJ_QUARANTINED ? "quarantined" : "free";
}

void slab_report_object(const struct kmem_cache *s, const struct page *slab, const void *obj)
{
	unsigned first = slab_freelist(slab);
	const char *base = slab_base(slab);

	if (s->flags & SLAB_STORE_USER) {
		print_track("Allocated", obj_track(s, obj, TRACK_ALLOC));
		print_track("Freed", obj_track(s, obj, TRACK_FREE));
	} else {
		pr_err("INFO: Owners not tracked (slub_debug=U records who allocated and freed)\n");
	}
	pr_err("INFO: Slab %p objects=%u used=%u fp=%p flags=%#x\n", (const void *)slab,
	       s->objects, slab_inuse(slab),
	       first < s->objects ? slab_object(s, slab, first) : NULL, slab->flags);
	if (s->flags & SLAB_DEBUG_FLAGS)
		pr_err("INFO: Object %p @offset=%lu state=%s\n", obj,
		       (unsigned long)((const char *)obj - base), object_state(s, obj));
	else
		pr_err("INFO: Object %p @offset=%lu\n", obj, (unsigned long)((const char *)obj - base));
}

/* The region of the slot that byte a lies in, and where it ends. */
static const char *slot_region(const struct kmem_cache *s, const u8 *obj, const u8 *a,
			       const u8 **end)
{
	const u8 *meta = obj + s->free_offset, *slot_end = obj - s->red_left + s->size;

	if (a < obj)
		return *end = obj, "Redzone";
	if (a < obj + s->object_size)
		return *end = obj + s->object_size, "Object";
	if (!s->free_offset) /* no metadata: the rest is alignment */
		return *end = slot_end, "Padding";
	if (a < meta)
		return *end = meta, (s->flags & SLAB_RED_ZONE) ? "Redzone" : "Padding";
	if (a < meta + SLAB_FREEWORD_SIZE)
		return *end = meta + SLAB_FREEWORD_SIZE, "Freeword";
	return *end = slot_end, "Tracking";
}

static void print_line(const char *label, const u8 *a, unsigned n)
{
	char hex[16 * 3 + 1] = "", text[17];

	for (unsigned i = 0; i < n; i++) {
		snprintf(hex + 3 * i, 4, "%02x ", a[i]);
		text[i] = a[i] >= 0x20 && a[i] < 0x7f ? (char)a[i] : '.';
	}
	text[n] = '\0';
	pr_err("%-8s %08lx: %-48s %s\n", label, (unsigned long)(uintptr_t)a, hex, text);
}

/* From the 16-byte line before the bad one to two lines after it, inside
 * the slot; lines are cut where a region ends, and named after it. */
void slab_report_bytes(const struct kmem_cache *s, const void *obj, const u8 *bad)
{
	const u8 *o = obj, *slot = o - s->red_left, *slot_end = slot + s->size;
	const u8 *a = slot + ((bad - slot) & ~15L) - 16, *stop;

	if (a < slot)
		a = slot;
	stop = MIN(slot_end, a + 64);
	while (a < stop) {
		const u8 *end;
		const char *label = slot_region(s, o, a, &end);
		unsigned n = (unsigned)MIN(MIN(end, stop) - a, 16);
		print_line(label, a, n);
		a += n;
	}
}

/* ---- the misuse reports ---- */

void report_double_free(struct kmem_cache *s, struct page *slab, void *obj, const void *caller)
{
	slab_bug(s->name, "Object already free");
	if (caller)
		pr_err("INFO: Called from %pS\n", caller);
	else
		pr_err("INFO: Found when this CPU's cached objects went back to their slab\n");
	slab_report_object(s, slab, obj);
	slab_fix(s->name, "Object not freed again");
}

void report_invalid_object(struct kmem_cache *s, const void *p, const void *caller)
{
	struct page *slab = obj_to_slab(s, p);
	unsigned long off = (unsigned long)((const char *)p - (char *)slab_base(slab));
	unsigned slot = (unsigned)(off / s->size);

	slab_bug(s->name, "Invalid object pointer %p", p);
	pr_err("INFO: Called from %pS\n", caller);
	if (slot < s->objects) {
		const char *obj = slab_object(s, slab, slot);
		pr_err("INFO: %p is %ld bytes from the start of object %p (object size %u)\n", p,
		       (long)((const char *)p - obj), (const void *)obj, s->object_size);
	} else {
		pr_err("INFO: %p is in the unused tail of slab %p\n", p, (void *)slab);
	}
	slab_fix(s->name, "Nothing freed");
}

void report_wrong_cache(struct kmem_cache *expect, struct kmem_cache *s, const void *p,
			const void *caller)
{
	slab_bug(expect->name, "Wrong slab cache. %s but object is from %s", expect->name, s->name);
	pr_err("INFO: kmem_cache_free(%s, %p) called from %pS\n", expect->name, p, caller);
	slab_fix(expect->name, "Nothing freed");
}

void slab_freelist_corrupt(struct kmem_cache *s, struct page *slab)
{
	unsigned lost = s->objects - MIN(slab_inuse(slab), s->objects);

	slab_bug(s->name, "Freechain corrupt");
	pr_err("INFO: Slab %p objects=%u used=%u first free object number %#x\n", (void *)slab,
	       s->objects, slab_inuse(slab), slab_freelist(slab));
	s->nr_quarantined += lost;
	s->inuse += lost;
	slab->inuse = s->objects;
	slab->private = FREELIST_END;
	slab_fix(s->name, "Marking all objects used (%u free objects quarantined)", lost);
}

static bool object_is_live(const struct kmem_cache *s, const struct page *slab, unsigned i)
{
	if (s->flags & SLAB_DEBUG_FLAGS)
		return *free_word(s, slab_object(s, slab, i)) == OBJ_ACTIVE;
	return !on_freelist(s, slab, i);
}

#define LIVE_REPORT_MAX 16

static unsigned long list_live_objects(struct kmem_cache *s, struct list_head *slabs,
				       unsigned long shown)
{
	struct list_head *l;

	list_for_each(l, slabs) {
		struct page *slab = list_entry(l, struct page, lru);
		for (unsigned i = 0; i < s->objects; i++) {
			if (!object_is_live(s, slab, i) || shown++ >= LIVE_REPORT_MAX)
				continue;
			void *obj = slab_object(s, slab, i);
			pr_err("INFO: Object %p @offset=%lu\n", obj,
			       (unsigned long)((char *)obj - (char *)slab_base(slab)));
			if (s->flags & SLAB_STORE_USER)
				print_track("Allocated", obj_track(s, obj, TRACK_ALLOC));
		}
	}
	return shown;
}

void report_live_objects(struct kmem_cache *s)
{
	unsigned long live = s->inuse - s->nr_quarantined;

	slab_bug(s->name, "Objects remaining in %s on kmem_cache_destroy()", s->name);
	unsigned long shown = list_live_objects(s, &s->partial, 0);
	shown = list_live_objects(s, &s->full, shown);
	if (shown > LIVE_REPORT_MAX)
		pr_err("INFO: ... and %lu more\n", shown - LIVE_REPORT_MAX);
	slab_fix(s->name, "Cache not destroyed: %lu objects still in use", live);
}

/* ---- counters and /proc/slabinfo ---- */

unsigned long slab_pages(void) { return __atomic_load_n(&slab_nr_pages, __ATOMIC_RELAXED); }

const char *kmem_cache_name(const struct kmem_cache *s) { return s->name; }

void kmem_cache_get_info(struct kmem_cache *s, struct kmem_cache_info *info)
{
	unsigned long cached = 0;
	unsigned long f = spin_lock_irqsave(&s->lock);

	/* other CPUs' counts are read as they are: a report, not a proof */
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		cached += cpu_array_count(s, cpu);
	info->name = s->name;
	info->num_slabs = s->nr_slabs;
	info->num_objs = s->nr_slabs * s->objects;
	info->active_objs = s->inuse - cached;
	info->objsize = s->size;
	info->objperslab = s->objects;
	info->pagesperslab = 1u << s->order;
	info->cpu_cached = cached;
	info->quarantined = s->nr_quarantined;
	spin_unlock_irqrestore(&s->lock, f);
}

void kmem_cache_for_each(void (*fn)(struct kmem_cache *s, void *arg), void *arg)
{
	struct list_head *l;

	spin_lock(&slab_caches_lock);
	list_for_each(l, &slab_caches)
		fn(list_entry(l, struct kmem_cache, list), arg);
	spin_unlock(&slab_caches_lock);
}

/* SLUB's columns: the tunables are SLAB's and always 0; every slab counts
 * as active. The rows are copied (each under its cache's lock) while the
 * cache list is locked, and printed after: printing may allocate (a
 * /proc seq_file grows) and must not do it under a spinlock. */
struct slabinfo_rows {
	struct kmem_cache_info *rows;
	unsigned n, max;
};

static void slabinfo_count(struct kmem_cache *s, void *arg)
{
	(void)s;
	((struct slabinfo_rows *)arg)->max++;
}

static void slabinfo_copy(struct kmem_cache *s, void *arg)
{
	struct slabinfo_rows *r = arg;

	if (r->n < r->max) /* a cache made since the count waits for the next read */
		kmem_cache_get_info(s, &r->rows[r->n++]);
}

static void slabinfo_row(struct seq_file *m, const struct kmem_cache_info *i)
{
	seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
		   i->name, i->active_objs, i->num_objs, i->objsize, i->objperslab,
		   (int)i->pagesperslab, 0u, 0u, 0u, i->num_slabs, i->num_slabs, 0ul);
}

void slabinfo_show(struct seq_file *m)
{
	struct slabinfo_rows r = { NULL, 0, 0 };

	seq_printf(m, "slabinfo - version: 2.1\n");
	seq_printf(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		      " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
		      " <num_slabs> <sharedavail>\n");
	kmem_cache_for_each(slabinfo_count, &r);
	r.rows = kmalloc(r.max * sizeof(*r.rows) + 1, GFP_KERNEL);
	if (!r.rows) {
		seq_printf(m, "(no memory to copy the %u caches' counters)\n", r.max);
		return;
	}
	kmem_cache_for_each(slabinfo_copy, &r);
	for (unsigned i = 0; i < r.n; i++)
		slabinfo_row(m, &r.rows[i]);
	kfree(r.rows);
}

void show_slabinfo(void)
{
	struct seq_file m;

	seq_console_begin(&m);
	slabinfo_show(&m);
	seq_console_end(&m);
}
