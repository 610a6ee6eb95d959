/* slab_debug.c - slub_debug: red zones, poisoning, owner tracking and the
 * consistency checks, each object checked when it is allocated and freed.
 *
 * slub_debug=<letters>[,<cache>[,<cache>...]] on the command line, with
 * Linux's letters; a bare `slub_debug` means FZPU for every cache, and a
 * cache name ending in '*' matches every name it starts. Caches can also
 * ask for the same checks with SLAB_* flags at kmem_cache_create().
 *
 * What is always checked, debugging or not (cheap, on every free):
 *   a pointer outside the direct map, on a page no slab or large kmalloc
 *   owns, not at the start of an object, or freed to the wrong cache; a
 *   double free of this CPU's most recently freed object; and, when
 *   objects go back to their slab, a free into a slab with nothing
 *   allocated or of its freelist's first object, and a freelist that
 *   points outside its slab. Other double frees may go unseen.
 * What a debug cache adds (it has no per-CPU arrays, so every alloc and
 * free comes through here), with any letter:
 *   a state word next to each object (free, active, quarantined): every
 *   double free is caught, whatever happened in between;
 *   F  the slab's freelist is walked at every alloc and free: a corrupt
 *      link is found at once ("Freechain corrupt"), the count in use is
 *      checked against it ("Wrong object count"), and an object being
 *      freed must not be on it;
 *   Z  red zones before and after each object, 0xbb while it is free and
 *      0xcc while it is in use, checked at alloc and free: writes past
 *      either end of an object ("Redzone overwritten");
 *   P  free objects filled with 0x6b and a last byte 0xa5, checked at
 *      alloc and when the slab is freed: writes after free ("Poison
 *      overwritten"); new objects filled with 0x5a (uninitialised use
 *      shows); the slab's unused tail 0x5a ("Padding overwritten"). Not
 *      for caches with a constructor: their free objects keep its work;
 *   U  who allocated and who freed each object, when and on which CPU,
 *      printed in every report ("INFO: Allocated in ...").
 * An object that fails a check is reported and quarantined: it is never
 * handed out again (until its cache is destroyed).
 */
#include "cmdline.h"
#include "printk.h"
#include "sched.h"
#include "slab_internal.h"

static unsigned slub_debug;          /* letters from the command line */
static char slub_debug_slabs[128];   /* the caches they apply to; "" = all */

static unsigned debug_letter(char c)
{
	switch (c | 0x20) { /* either case */
	case 'f': return SLAB_CONSISTENCY_CHECKS;
	case 'z': return SLAB_RED_ZONE;
	case 'p': return SLAB_POISON;
	case 'u': return SLAB_STORE_USER;
	}
	return 0;
}

void slub_debug_parse(void)
{
	char buf[160] = "";
	const char *p = buf;

	slub_debug = 0;
	slub_debug_slabs[0] = '\0';
	if (!cmdline_has("slub_debug"))
		return;
	if (cmdline_get_str("slub_debug", buf, sizeof(buf)) == -E2BIG)
		return; /* too long: said, and no half-read option applies */
	if (*p == '\0' || *p == ',')
		slub_debug = SLAB_DEBUG_FLAGS; /* no letters: all of them */
	for (; *p && *p != ','; p++) {
		unsigned f = debug_letter(*p);
		if (*p == '-')
			slub_debug = 0; /* Linux's "switch debugging off" */
		else if (!f)
			pr_err("slub_debug option '%c' unknown. skipped\n", *p);
		slub_debug |= f;
	}
	if (*p == ',')
		strlcpy(slub_debug_slabs, p + 1, sizeof(slub_debug_slabs));
	if (slub_debug)
		pr_info("slub_debug: %s%s%s%s enabled for %s\n",
			slub_debug & SLAB_CONSISTENCY_CHECKS ? "F" : "",
			slub_debug & SLAB_RED_ZONE ? "Z" : "", slub_debug & SLAB_POISON ? "P" : "",
			slub_debug & SLAB_STORE_USER ? "U" : "",
			slub_debug_slabs[0] ? slub_debug_slabs : "all caches");
}

/* Does the list entry [e, e+len) name this cache? ("kmalloc-*" is a prefix.) */
static bool entry_matches(const char *e, size_t len, const char *name)
{
	if (len && e[len - 1] == '*')
		return strncmp(e, name, len - 1) == 0;
	return strlen(name) == len && strncmp(e, name, len) == 0;
}

unsigned slub_debug_flags_for(const char *name)
{
	const char *p = slub_debug_slabs;

	if (!slub_debug || !*p)
		return slub_debug;
	while (*p) {
		size_t len = 0;
		while (p[len] && p[len] != ',')
			len++;
		if (entry_matches(p, len, name))
			return slub_debug;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* ---- the bytes around an object ---- */

static bool poisons(const struct kmem_cache *s)
{
	return (s->flags & SLAB_POISON) && !s->ctor;
}

static void set_red_zones(struct kmem_cache *s, void *obj, u8 value)
{
	if (!(s->flags & SLAB_RED_ZONE))
		return;
	memset((u8 *)obj - s->red_left, value, s->red_left);
	memset((u8 *)obj + s->object_size, value, s->free_offset - s->object_size);
}

static void poison_free(struct kmem_cache *s, void *obj)
{
	memset(obj, POISON_FREE, s->object_size - 1);
	((u8 *)obj)[s->object_size - 1] = POISON_END;
}

static void set_track(struct kmem_cache *s, void *obj, enum track_item t, const void *caller)
{
	struct slab_track *tr = obj_track(s, obj, t);

	tr->addr = caller;
	tr->cpu = arch_cpu_id();
	tr->pid = (u32)current_pid();
	tr->when = arch_clock_ns();
}

void debug_init_object(struct kmem_cache *s, void *obj)
{
	set_red_zones(s, obj, SLUB_RED_INACTIVE);
	if (poisons(s))
		poison_free(s, obj);
	free_word(s, obj)[1] = 0;
	if (s->flags & SLAB_STORE_USER)
		memset(obj_track(s, obj, TRACK_ALLOC), 0, 2 * sizeof(struct slab_track));
}

static u8 *slab_padding(struct kmem_cache *s, struct page *slab, size_t *len)
{
	size_t used = (size_t)s->objects * s->size;

	*len = (PAGE_SIZE << s->order) - used;
	return (u8 *)slab_base(slab) + used;
}

void debug_init_padding(struct kmem_cache *s, struct page *slab)
{
	size_t len;
	u8 *pad = slab_padding(s, slab, &len);

	if (s->flags & SLAB_POISON)
		memset(pad, POISON_INUSE, len);
}

/* ---- checks ---- */

static void report_caller(const void *caller)
{
	if (caller)
		pr_err("INFO: Called from %pS\n", caller);
}

/* Every byte of [start, start+n) should be `value`; if not, a report from
 * the first bad byte to the last, with the bytes around it. */
static bool check_bytes(struct kmem_cache *s, struct page *slab, void *obj, const char *what,
			u8 *start, u8 value, size_t n, const void *caller)
{
	u8 *fault = start, *end = start + n;

	while (fault < end && *fault == value)
		fault++;
	if (fault == end)
		return true;
	while (end[-1] == value)
		end--;
	slab_bug(s->name, "%s overwritten", what);
	pr_err("INFO: %p-%p @offset=%ld. First byte 0x%x instead of 0x%x\n", (void *)fault,
	       (void *)(end - 1), (long)(fault - (u8 *)obj), *fault, value);
	report_caller(caller);
	slab_report_object(s, slab, obj);
	slab_report_bytes(s, obj, fault);
	return false;
}

/* The red zones (and, while free, the poison) of an object. */
static bool check_object(struct kmem_cache *s, struct page *slab, void *obj, bool active,
			 const void *caller)
{
	u8 red = active ? SLUB_RED_ACTIVE : SLUB_RED_INACTIVE;
	u8 *p = obj;

	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes(s, slab, obj, "Left Redzone", p - s->red_left, red, s->red_left, caller) ||
		    !check_bytes(s, slab, obj, "Redzone", p + s->object_size, red,
				 s->free_offset - s->object_size, caller))
			return false;
	}
	if (!active && poisons(s)) {
		if (!check_bytes(s, slab, obj, "Poison", p, POISON_FREE, s->object_size - 1, caller) ||
		    !check_bytes(s, slab, obj, "Poison", p + s->object_size - 1, POISON_END, 1, caller))
			return false;
	}
	return true;
}

bool on_freelist(const struct kmem_cache *s, const struct page *slab, unsigned i)
{
	unsigned j = slab_freelist(slab);

	for (unsigned n = 0; j < s->objects && n < s->objects; n++) {
		if (j == i)
			return true;
		j = *free_word(s, slab_object(s, slab, j));
	}
	return false;
}

/* slub_debug=F: the freelist stays inside the slab and agrees with the
 * count of objects in use (fixed up, as Linux does, after the report). */
static void check_slab(struct kmem_cache *s, struct page *slab)
{
	unsigned nfree = 0, j = slab_freelist(slab);

	while (j != FREELIST_END) {
		if (j >= s->objects || nfree == s->objects) {
			slab_freelist_corrupt(s, slab);
			return;
		}
		nfree++;
		j = *free_word(s, slab_object(s, slab, j));
	}
	if (slab_inuse(slab) + nfree == s->objects)
		return;
	slab_bug(s->name, "Wrong object count. Counter is %u but counted were %u", slab_inuse(slab),
		 s->objects - nfree);
	s->inuse = s->inuse - slab_inuse(slab) + (s->objects - nfree);
	slab->inuse = s->objects - nfree;
	slab_fix(s->name, "Object count adjusted");
}

void quarantine_object(struct kmem_cache *s, void *obj)
{
	*free_word(s, obj) = OBJ_QUARANTINED;
	s->nr_quarantined++;
}

bool debug_alloc_check(struct kmem_cache *s, struct page *slab, void *obj)
{
	u32 state = *free_word(s, obj);

	if (s->flags & SLAB_CONSISTENCY_CHECKS)
		check_slab(s, slab);
	if (state == OBJ_ACTIVE || state == OBJ_QUARANTINED) {
		slab_bug(s->name, "Freelist corrupt: it holds an object that is not free");
		slab_report_object(s, slab, obj);
	} else if (check_object(s, slab, obj, false, NULL)) {
		return true;
	}
	quarantine_object(s, obj);
	slab_fix(s->name, "Object %p quarantined: never handed out again", obj);
	return false;
}

void debug_alloc_prepare(struct kmem_cache *s, void *obj, const void *caller)
{
	*free_word(s, obj) = OBJ_ACTIVE;
	set_red_zones(s, obj, SLUB_RED_ACTIVE);
	if (poisons(s))
		memset(obj, POISON_INUSE, s->object_size);
	if (s->flags & SLAB_STORE_USER)
		set_track(s, obj, TRACK_ALLOC, caller);
}

bool debug_free_check(struct kmem_cache *s, struct page *slab, void *obj, unsigned i,
		      const void *caller)
{
	bool checks = s->flags & SLAB_CONSISTENCY_CHECKS;

	if (checks)
		check_slab(s, slab);
	if (*free_word(s, obj) != OBJ_ACTIVE || (checks && on_freelist(s, slab, i))) {
		report_double_free(s, slab, obj, caller);
		return false;
	}
	if (check_object(s, slab, obj, true, caller))
		return true;
	quarantine_object(s, obj);
	slab_fix(s->name, "Object %p quarantined: not freed, never handed out again", obj);
	return false;
}

void debug_free_prepare(struct kmem_cache *s, void *obj, const void *caller)
{
	if (s->flags & SLAB_STORE_USER)
		set_track(s, obj, TRACK_FREE, caller);
	set_red_zones(s, obj, SLUB_RED_INACTIVE);
	if (poisons(s))
		poison_free(s, obj);
}

/* Damage found here is reported; the slab is freed anyway. */
void debug_check_discard(struct kmem_cache *s, struct page *slab)
{
	size_t len;
	u8 *pad = slab_padding(s, slab, &len);

	for (unsigned i = 0; i < s->objects; i++) {
		void *obj = slab_object(s, slab, i);
		u32 state = *free_word(s, obj);
		if (state != OBJ_ACTIVE && state != OBJ_QUARANTINED &&
		    !check_object(s, slab, obj, false, NULL))
			slab_fix(s->name, "Slab freed with the damaged object");
	}
	if (!(s->flags & SLAB_POISON))
		return;
	for (size_t k = 0; k < len; k++) {
		if (pad[k] == POISON_INUSE)
			continue;
		slab_bug(s->name, "Padding overwritten. %p @offset=%lu", (void *)(pad + k),
			 (unsigned long)(pad + k - (u8 *)slab_base(slab)));
		slab_fix(s->name, "Slab freed anyway");
		break;
	}
}
