/* page_check.c - catching page allocator misuse and corruption.
 *
 * A bad free is reported ("BUG: Bad page state", the page's state, the
 * caller, the reason) and refused: nothing changes, so the report describes
 * the state that is still there to be looked at.
 *
 * check_free_areas() proves the free lists consistent: every listed block is
 * a PG_buddy head of the right order, aligned, inside its zone; no block
 * overlaps another; the counters match the lists. It walks lists that may be
 * corrupt, so every link is checked to be a struct page before it is
 * followed, and every walk is bounded.
 */
#include <stdarg.h>
#include "ksyms.h"
#include "highmem.h"
#include "kstring.h"
#include "mmzone.h"
#include "page_internal.h"
#include "printk.h"
#include "sched.h"

bool debug_pagealloc;

static const char *const page_flag_names[] = {
	"reserved", "buddy", "pcp", "head", "tail", "slab", "highmem", "poisoned", "large_kmalloc",
	"locked", "referenced", "uptodate", "dirty", "lru", "active", "swapbacked", "swapcache",
	"writeback", "reclaim", "table",
};
_Static_assert(ARRAY_SIZE(page_flag_names) == NR_PAGEFLAGS, "a page flag has no name");

void format_page_flags(u32 f, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < NR_PAGEFLAGS && n < size; i++)
		if (f & (1u << i))
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "|" : "", page_flag_names[i]);
}

void dump_page(const struct page *p, const char *reason)
{
	char flags[96];
	unsigned zi = page_zonenum(p);

	format_page_flags(p->flags, flags, sizeof(flags));
	pr_err("page:%p pfn:0x%lx refcount:%d mapcount:%d order:%u zone:%s\n", (const void *)p,
	       page_to_pfn(p), p->_refcount, page_mapcount(p), p->private,
	       zi < MAX_NR_ZONES && zones[zi].name ? zones[zi].name : "?");
	pr_err("flags: %#x(%s)\n", p->flags, flags);
	if (p->mapping || p->index)
		pr_err("mapping:%p index:%#lx\n", (void *)p->mapping, (unsigned long)p->index);
	if (page_ext_table)
		pr_err("last alloc/free by: %pS\n", page_ext_caller(p));
	else
		pr_err("last alloc/free by: not recorded (page_owner=on records it)\n");
	if (reason)
		pr_err("page dumped because: %s\n", reason);
}

void bad_page(const struct page *page, const char *reason, const void *caller)
{
	pr_err("BUG: Bad page state in process %s  pfn:%05lx\n", current_comm(),
	       page_to_pfn(page));
	dump_page(page, reason);
	pr_err("freed by: %pS (the free was refused; nothing changed)\n", caller);
	dump_stack();
}

/* Tail pages of a block being freed: allocated with it, nothing else. */
bool free_tails_ok(struct page *page, unsigned order, const void *caller)
{
	char why[96];

	for (unsigned long i = 1; i < (1UL << order); i++) {
		const struct page *t = page + i;
		if ((t->flags & PAGE_FLAGS_CHECK_AT_FREE) == (1u << PG_tail) && t->_refcount == 0 &&
		    t->_mapcount == -1)
			continue;
		snprintf(why, sizeof(why), "page %lu of the order-%u block at pfn %#lx is not its "
			 "tail (or is still in use)", i, order, page_to_pfn(page));
		bad_page(t, why, caller);
		return false;
	}
	return true;
}

/* Why freeing `page` as order `order` is wrong, or NULL. */
static const char *free_misuse(const struct page *page, unsigned order, char *buf, size_t size)
{
	u32 f = page->flags;

	if (f & (1u << PG_reserved))
		return "freeing a reserved page (never given out by the page allocator)";
	if (f & (1u << PG_tail))
		return "freeing a tail page (not the first page of its block)";
	if ((f & ((1u << PG_buddy) | (1u << PG_pcp))) || page->_refcount <= 0)
		return "double free (the page is free already)";
	if (!(f & (1u << PG_head)))
		return "freeing a page the page allocator did not hand out";
	if (page->private != order) {
		snprintf(buf, size, "free with wrong order: allocated as order %u, freed as order %u",
			 page->private, order);
		return buf;
	}
	return NULL;
}

/* Checks that only matter when the last reference goes. */
static const char *final_free_misuse(const struct page *page)
{
	if (page->_mapcount >= 0)
		return "freeing a page that page tables still map";
	if (page->_mapcount != -1)
		return "bad mapcount";
	if (page->flags & (1u << PG_slab))
		return "freeing a page the slab allocator still owns (PG_slab)";
	if (page->mapping)
		return "non-NULL mapping";
	return NULL;
}

bool free_pages_check_slow(struct page *page, unsigned order, const void *caller)
{
	char buf[96];
	const char *why;

	if (!page_in_mem_map(page)) {
		pr_err("BUG: Bad page state: __free_pages(%p, %u): not a struct page in mem_map "
		       "(mem_map %p, %lu pages; caller %pS)\n", (void *)page, order, (void *)mem_map,
		       max_pfn, caller);
		dump_stack();
		return false;
	}
	if (order >= MAX_ORDER) {
		snprintf(buf, sizeof(buf), "order %u out of range (0..%u)", order, MAX_ORDER - 1);
		bad_page(page, buf, caller);
		return false;
	}
	why = free_misuse(page, order, buf, sizeof(buf));
	if (why) {
		bad_page(page, why, caller);
		return false;
	}
	if (order && !free_tails_ok(page, order, caller))
		return false;
	/* put_page: not the last reference, so not a free yet. */
	if (page->_refcount > 1 && __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) > 0)
		return false;
	why = final_free_misuse(page);
	if (why) {
		page->_refcount = 1; /* refused: leave it as it was */
		bad_page(page, why, caller);
		return false;
	}
	return true;
}

/* ---- check_free_areas ---- */

#define CHECK_REPORT_MAX 32 /* lines per call: a wrecked list must not flood the log */

struct checker {
	const struct zone *z;
	int problems;
};

static __printf(3, 4) void problem(struct checker *c, unsigned long pfn, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (c->problems++ >= CHECK_REPORT_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("check_free_areas: zone %s pfn %#lx: %s\n", c->z->name, pfn, msg);
}

/* The page whose lru field is at l, or NULL if l is not inside mem_map. */
static struct page *lru_page(const struct list_head *l)
{
	const struct page *p = (const struct page *)((uintptr_t)l - offsetof(struct page, lru));

	return page_in_mem_map(p) ? (struct page *)p : NULL;
}

/* A block on free_area[order]. */
static unsigned long check_block(struct checker *c, const struct page *p, unsigned order)
{
	const struct zone *z = c->z;
	unsigned long pfn = page_to_pfn(p);
	u32 bad = (1u << PG_reserved) | (1u << PG_pcp) | (1u << PG_head) | (1u << PG_tail) |
		  (1u << PG_slab);

	if (!PageBuddy(p))
		problem(c, pfn, "on free_area[%u] without PG_buddy", order);
	if (p->private != order)
		problem(c, pfn, "on free_area[%u] but its order is %u", order, p->private);
	if (pfn & ((1UL << order) - 1))
		problem(c, pfn, "order-%u block not aligned to %lu pages", order, 1UL << order);
	if (pfn < z->zone_start_pfn || pfn + (1UL << order) > zone_end_pfn(z))
		problem(c, pfn, "order-%u block outside the zone [%#lx-%#lx)", order,
			z->zone_start_pfn, zone_end_pfn(z));
	if (&zones[page_zonenum(p)] != z)
		problem(c, pfn, "zone bits say zone %u", page_zonenum(p));
	if (p->flags & bad)
		problem(c, pfn, "free block with flags %#x", p->flags);
	if (p->_refcount != 0 || p->_mapcount != -1)
		problem(c, pfn, "free block with refcount %d mapcount %d", p->_refcount,
			page_mapcount(p));
	return 1UL << order;
}

/* A page on a per-CPU list. */
/* A block of 2^order pages on a per-CPU list: each page PG_pcp and free. */
static unsigned long check_pcp_page(struct checker *c, const struct page *head, unsigned order)
{
	u32 allowed = (1u << PG_pcp) | (1u << PG_highmem) | (1u << PG_poisoned) |
		      (ZONES_MASK << ZONES_SHIFT);

	if (page_to_pfn(head) & ((1UL << order) - 1))
		problem(c, page_to_pfn(head), "on the order-%u per-CPU list but not aligned", order);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		const struct page *p = head + i;
		unsigned long pfn = page_to_pfn(p);
		if (!PagePcp(p) || (p->flags & ~allowed))
			problem(c, pfn, "on a per-CPU list with flags %#x", p->flags);
		if (&zones[page_zonenum(p)] != c->z)
			problem(c, pfn, "on this zone's per-CPU list but its zone bits say %u",
				page_zonenum(p));
		if (p->_refcount != 0 || p->_mapcount != -1)
			problem(c, pfn, "on a per-CPU list with refcount %d mapcount %d",
				p->_refcount, page_mapcount(p));
	}
	return 1UL << order;
}

/* Walk one list, checking links before following them. Returns the number
 * of entries; adds their pages to *pages. */
static unsigned long walk_list(struct checker *c, const struct list_head *head, unsigned order,
			       const char *what,
			       unsigned long (*check)(struct checker *, const struct page *, unsigned),
			       unsigned long *pages)
{
	const struct list_head *prev = head, *pos = head->next;
	unsigned long n = 0, limit = c->z->spanned_pages + 1;

	while (pos != head) {
		const struct page *p = lru_page(pos);
		unsigned long at = prev == head ? 0 : page_to_pfn(lru_page(prev));
		if (!p) {
			problem(c, at, "%s: link %p after this entry is not a struct page",
				what, (const void *)pos);
			return n;
		}
		/* A broken back link means two paths lead here: following on
		 * could go round a loop, so stop. */
		if (pos->prev != prev) {
			problem(c, page_to_pfn(p), "%s: back link %p, expected %p (not followed "
				"further)", what, (const void *)pos->prev, (const void *)prev);
			return n;
		}
		if (++n > limit) {
			problem(c, page_to_pfn(p), "%s: longer than the zone (a loop?)", what);
			return n;
		}
		*pages += check(c, p, order);
		prev = pos;
		pos = pos->next;
	}
	if (head->prev != prev)
		problem(c, 0, "%s: the head's back link is %p, expected %p", what,
			(const void *)head->prev, (const void *)prev);
	return n;
}

/* Every page of the zone: free blocks must not contain other free or
 * allocated pages (overlap), and every PG_buddy/PG_pcp page must be one the
 * lists account for. */
static void scan_zone(struct checker *c, unsigned long heads_listed, unsigned long pcp_listed)
{
	const struct zone *z = c->z;
	unsigned long pfn = z->zone_start_pfn, end = zone_end_pfn(z);
	unsigned long heads = 0, pcps = 0;
	u32 busy = (1u << PG_buddy) | (1u << PG_pcp) | (1u << PG_reserved) | (1u << PG_head) |
		   (1u << PG_tail);

	while (pfn < end) {
		const struct page *p = pfn_to_page(pfn);
		if (PagePcp(p))
			pcps++;
		if (!PageBuddy(p) || p->private >= MAX_ORDER) {
			pfn++;
			continue;
		}
		heads++;
		unsigned long bend = MIN(pfn + (1UL << p->private), end);
		for (unsigned long q = pfn + 1; q < bend; q++) {
			const struct page *in = pfn_to_page(q);
			if ((in->flags & busy) || in->_refcount)
				problem(c, q, "inside the free order-%u block at %#lx but flags %#x "
					"refcount %d", p->private, pfn, in->flags, in->_refcount);
		}
		pfn = bend;
	}
	if (heads != heads_listed)
		problem(c, z->zone_start_pfn, "%lu PG_buddy blocks in the zone, %lu on the free lists",
			heads, heads_listed);
	if (pcps != pcp_listed)
		problem(c, z->zone_start_pfn, "%lu PG_pcp pages in the zone, %lu on per-CPU lists",
			pcps, pcp_listed);
}

static void check_zone(struct checker *c)
{
	struct zone *z = (struct zone *)c->z;
	unsigned long pages = 0, blocks = 0, pcp_pages = 0;
	char what[40];

	for (unsigned o = 0; o < MAX_ORDER; o++) {
		snprintf(what, sizeof(what), "free_area[%u]", o);
		unsigned long n = walk_list(c, &z->free_area[o].free_list, o, what, check_block, &pages);
		if (n != z->free_area[o].nr_free)
			problem(c, z->zone_start_pfn, "free_area[%u].nr_free is %lu, the list has %lu",
				o, z->free_area[o].nr_free, n);
		blocks += n;
	}
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = &z->pcp[cpu];
		unsigned long seen = 0;
		for (unsigned o = 0; o < NR_PCP_LISTS; o++) {
			snprintf(what, sizeof(what), "cpu %u order-%u per-CPU list", cpu, o);
			walk_list(c, &pcp->lists[o], o, what, check_pcp_page, &seen);
		}
		if (seen != (unsigned long)pcp->count)
			problem(c, z->zone_start_pfn, "cpu %u per-CPU count is %d, the lists have %lu",
				cpu, pcp->count, seen);
		pcp_pages += seen;
	}
	if (pages + pcp_pages != zone_counter_read(&z->free_pages))
		problem(c, z->zone_start_pfn, "free_pages is %lu, the lists hold %lu (buddy %lu + "
			"per-CPU %lu)", zone_counter_read(&z->free_pages), pages + pcp_pages, pages,
			pcp_pages);
	scan_zone(c, blocks, pcp_pages);
}

/* Other CPUs' per-CPU lists are read without their cooperation: exact while
 * they are quiet (as everywhere until the SMP issue), a debugging aid. */
static int check_one_zone(struct zone *z)
{
	struct checker c = { z, 0 };

	if (zone_is_empty(z))
		return 0;
	unsigned long f = spin_lock_irqsave(&z->lock);
	check_zone(&c);
	spin_unlock_irqrestore(&z->lock, f);
	if (c.problems > CHECK_REPORT_MAX)
		pr_err("check_free_areas: zone %s: %d more problem(s) not shown\n", z->name,
		       c.problems - CHECK_REPORT_MAX);
	return c.problems;
}

int check_free_areas(void)
{
	int problems = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		problems += check_one_zone(&zones[i]);
	return problems;
}

/* Only the zone the operation changed: the others are as the last check
 * left them. Checking every zone each time (HighMem's scan included, for
 * a Normal-zone operation) made the debug_pagealloc test run take 150 s
 * instead of 15 s. */
void debug_pagealloc_check(struct zone *z, const char *what)
{
	int n = z ? check_one_zone(z) : check_free_areas();

	if (n)
		pr_err("debug_pagealloc: %d problem(s) in the free lists after %s\n", n, what);
}

/* ---- debug_pagealloc: poison on free, check on allocation -------------
 * Lowmem is mapped with 2 MB pages, so a freed page cannot be unmapped on
 * its own without splitting the direct map. Instead every freed page is
 * filled with PAGE_POISON (0xaa, Linux's value) and flagged; when it is
 * handed out again, any byte that changed means someone wrote to it while
 * it was free: a use after free, reported with the page and its last freer. */
#define PAGE_POISON 0xaa

unsigned long page_poison_reports;

void page_poison_free(struct page *page, unsigned order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		u8 *va = kmap_atomic(page + i);
		memset(va, PAGE_POISON, PAGE_SIZE);
		kunmap_atomic(va);
		SetPagePoisoned(page + i);
	}
}

static void check_one(struct page *p)
{
	u8 *va = kmap_atomic(p);
	size_t off = 0;

	while (off < PAGE_SIZE && va[off] == PAGE_POISON)
		off++;
	if (off < PAGE_SIZE) {
		u8 bad = va[off];
		kunmap_atomic(va);
		page_poison_reports++;
		pr_err("BUG: Bad page poison (use after free?): pfn %#lx offset %#zx is %#04x, "
		       "not %#04x; last freed by %pS\n", page_to_pfn(p), off, bad, PAGE_POISON,
		       page_ext_caller(p));
		dump_page(p, "written to while it was free");
	} else {
		kunmap_atomic(va);
	}
	ClearPagePoisoned(p);
}

void page_poison_check(struct page *page, unsigned order)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		if (PagePoisoned(page + i))
			check_one(page + i);
}
