/* slab_check.c - the slab allocator's invariant checker, for stress runs
 * and tests (check_free_areas is the page allocator's). Under each cache's
 * lock: every slab is on the list of its state, carries PG_slab and its
 * cache, has a well-formed freelist exactly as long as its free count, and
 * the cache's counters are the sums of its slabs'. Per-CPU arrays are not
 * walked: they belong to their CPUs (a caller that wants them checked
 * stops those CPUs first, as the stress test does).
 */
#include <stdarg.h>
#include "printk.h"
#include "slab_internal.h"

#define SLAB_CHECK_REPORT_MAX 16

struct slab_checker {
	struct kmem_cache *s;
	int problems;
	unsigned long slabs, inuse;
};

static __printf(3, 4) void slab_problem(struct slab_checker *c, const struct page *slab,
					const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (c->problems++ >= SLAB_CHECK_REPORT_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("slab_check: cache %s slab %p: %s\n", c->s->name, (const void *)slab, msg);
}

/* Free objects on the slab's freelist, or -1 if it is malformed (an index
 * out of range, or longer than the slab: a loop). */
static long freelist_length(const struct kmem_cache *s, const struct page *slab)
{
	long n = 0;

	for (unsigned i = slab_freelist(slab); i != FREELIST_END; n++) {
		if (i >= s->objects || n >= (long)s->objects)
			return -1;
		i = *free_word(s, slab_object(s, slab, i));
	}
	return n;
}

/* One of the cache's lists; want: the state its slabs must be in
 * (0 empty, 1 partial, 2 full). Returns the number of slabs. */
static unsigned long check_list(struct slab_checker *c, struct list_head *head, int want,
				const char *name)
{
	struct kmem_cache *s = c->s;
	unsigned long n = 0;
	struct list_head *pos;

	list_for_each(pos, head) {
		struct page *slab = list_entry(pos, struct page, lru);
		if (++n > s->nr_slabs + 1) {
			slab_problem(c, slab, "%s list longer than nr_slabs %lu (a loop?)", name,
				     s->nr_slabs);
			break;
		}
		unsigned inuse = slab_inuse(slab);
		long free = freelist_length(s, slab);
		if (!PageSlab(slab) || slab->slab_cache != s)
			slab_problem(c, slab, "on the %s list but flags %#x cache %p", name,
				     slab->flags, (void *)slab->slab_cache);
		if (free < 0)
			slab_problem(c, slab, "freelist malformed (first %#x)", slab_freelist(slab));
		else if (inuse + (unsigned long)free != s->objects)
			slab_problem(c, slab, "%u in use + %ld on the freelist != %u objects", inuse,
				     free, s->objects);
		int state = inuse == 0 ? 0 : slab_freelist(slab) == FREELIST_END ? 2 : 1;
		if (state != want)
			slab_problem(c, slab, "on the %s list with %u of %u objects in use", name,
				     inuse, s->objects);
		c->inuse += inuse;
	}
	return n;
}

int kmem_cache_check(struct kmem_cache *s)
{
	struct slab_checker c = { s, 0, 0, 0 };
	unsigned long f = spin_lock_irqsave(&s->lock);
	unsigned long empty = check_list(&c, &s->empty, 0, "empty");
	unsigned long partial = check_list(&c, &s->partial, 1, "partial");
	unsigned long full = check_list(&c, &s->full, 2, "full");

	if (empty != s->nr_empty || partial != s->nr_partial ||
	    empty + partial + full != s->nr_slabs)
		slab_problem(&c, NULL, "lists hold %lu empty, %lu partial, %lu full; counters say "
			     "%lu empty, %lu partial, %lu slabs", empty, partial, full, s->nr_empty,
			     s->nr_partial, s->nr_slabs);
	if (c.inuse != s->inuse)
		slab_problem(&c, NULL, "slabs have %lu objects in use, the cache counts %lu",
			     c.inuse, s->inuse);
	spin_unlock_irqrestore(&s->lock, f);
	if (c.problems > SLAB_CHECK_REPORT_MAX)
		pr_err("slab_check: cache %s: %d more problem(s) not shown\n", s->name,
		       c.problems - SLAB_CHECK_REPORT_MAX);
	return c.problems;
}

static void check_one(struct kmem_cache *s, void *arg) { *(int *)arg += kmem_cache_check(s); }

int slab_check_all(void)
{
	int problems = 0;

	kmem_cache_for_each(check_one, &problems);
	return problems;
}
