/* swap.c - the LRU lists: putting user pages on them, aging them, and
 * taking them off when they are freed (include/mm_inline.h).
 *
 * The zone's lru lock is taken once per batch, not once per page, as in
 * Linux: a new page goes into this CPU's add batch (struct pagevec, 15
 * pages, Linux's lru_add pagevec) and the batch goes onto the lists when
 * it is full, the lock taken once per run of same-zone pages; pages freed
 * together (munmap, exit, reclaim's put back) go through release_pages
 * the same way. Highland took the lock per page until the 4-CPU
 * demand-zero test sat for 900 s with every CPU spinning on HighMem's lru
 * lock: a ticket lock hands itself to one particular waiter, and when that
 * waiter's vCPU is not running on the host (4 vCPUs on 2 busy cores),
 * nobody runs; one hand-off per page made that the common case
 * (docs/reclaim.md).
 *
 * A CPU's batch is touched only by that CPU with interrupts off, as the
 * per-CPU page lists are (page_alloc.c): no lock, a few instructions per
 * page. Another CPU that needs it drained (lru_add_drain_all: reclaim,
 * swapoff) asks the owner by IPI to hand the batch over - a copy of up to
 * 15 pointers, nothing else in interrupt context - and puts the pages on
 * the lists itself. The lists and the freeing of a page whose last
 * reference was the batch's (its anon_vma: a lock and kfree) are always
 * done with interrupts on, in the caller's context. The lru lock is
 * irq-safe: a put_page from an interrupt handler could free an LRU page.
 *
 * Counts: each zone keeps nr[] per list (zoneinfo's nr_zone_* lines); the
 * node states NR_INACTIVE_ANON.. (vmstat.h, same order as enum lru_list)
 * are their sums (/proc/vmstat, meminfo's Active/Inactive). A run of pages
 * under one lock changes them once per list. Pages in batches are in none
 * of them, as in Linux. */
#include "mm_inline.h"
#include "gfp.h"
#include "pagemap.h"
#include "sched.h"
#include "wait.h"
#include "printk.h"
#include "rmap.h"

_Static_assert(NR_INACTIVE_ANON + LRU_UNEVICTABLE == NR_UNEVICTABLE,
	       "node_stat_item's LRU states follow enum lru_list");

static const char *const lru_lock_names[MAX_NR_ZONES] = { "lru_lock DMA", "lru_lock Normal",
							    "lru_lock HighMem" };

/* Each CPU's add batch (Linux's per-CPU lru_add pagevec): one cache line. */
struct pagevec lru_add_pvec[NR_CPUS] __attribute__((aligned(64)));

void lruvec_init(struct lruvec *lruvec, int zone_idx)
{
	spin_lock_init(&lruvec->lru_lock, lru_lock_names[zone_idx]);
	for (int l = 0; l < NR_LRU_LISTS; l++) {
		INIT_LIST_HEAD(&lruvec->lists[l]);
		lruvec->nr[l] = 0;
	}
	/* a machine starts with empty batches (the simulated one reboots) */
	for (unsigned cpu = 0; zone_idx == 0 && cpu < NR_CPUS; cpu++)
		lru_add_pvec[cpu].nr = 0;
}

static void lru_count(struct lruvec *lruvec, enum lru_list l, long d)
{
	__atomic_add_fetch(&lruvec->nr[l], d, __ATOMIC_RELAXED);
	mod_node_page_state((enum node_stat_item)(NR_INACTIVE_ANON + l), d);
}

void add_page_to_lru_list(struct page *page, struct lruvec *lruvec)
{
	enum lru_list l = page_lru(page);

	list_add(&page->lru, &lruvec->lists[l]);
	lru_count(lruvec, l, 1);
}

void del_page_from_lru_list(struct page *page, struct lruvec *lruvec)
{
	list_del(&page->lru);
	lru_count(lruvec, page_lru(page), -1);
}

/* ---- one lru lock per run of same-zone pages ---- */

/* The lock held for a run, and the count changes the run made, applied
 * when the lock is let go. */
struct lru_run {
	struct lruvec *lruvec; /* whose lock is held; NULL: none */
	unsigned long flags;
	long delta[NR_LRU_LISTS];
};

static void lru_run_unlock(struct lru_run *r)
{
	if (!r->lruvec)
		return;
	for (int l = 0; l < NR_LRU_LISTS; l++)
		if (r->delta[l]) {
			lru_count(r->lruvec, (enum lru_list)l, r->delta[l]);
			r->delta[l] = 0;
		}
	spin_unlock_irqrestore(&r->lruvec->lru_lock, r->flags);
	r->lruvec = NULL;
}

/* Let the run's lock go, take lruvec's (out of line: once per run). */
static __attribute__((noinline)) void lru_run_relock(struct lru_run *r, struct lruvec *lruvec)
{
	lru_run_unlock(r);
	r->flags = spin_lock_irqsave(&lruvec->lru_lock);
	r->lruvec = lruvec;
}

/* The lruvec of page's zone, its lock held: taken only when page is of
 * another zone than the run's. */
static inline struct lruvec *lru_run_lock(struct lru_run *r, struct page *page)
{
	struct lruvec *lruvec = &page_zone(page)->lruvec;

	if (unlikely(lruvec != r->lruvec))
		lru_run_relock(r, lruvec);
	return lruvec;
}

/* What the allocator must not see on a page it gets back: its anon_vma,
 * the LRU and swap flags. The page is off every list, its count 0. */
static void page_release_state(struct page *page)
{
	struct anon_vma *av = page_anon_vma(page);

	if (av) {
		page->mapping = NULL;
		page->index = 0;
		put_anon_vma(av);
	}
	/* nobody else can see it now (count 0): plain stores */
	page->flags &= ~((1u << PG_active) | (1u << PG_referenced) | (1u << PG_swapbacked) |
			 (1u << PG_dirty) | (1u << PG_uptodate));
	if (page->flags & ((1u << PG_locked) | (1u << PG_swapcache) | (1u << PG_writeback)))
		pr_err("BUG: freeing pfn %#lx with flags %#x (locked/swapcache/writeback)\n",
		       page_to_pfn(page), page->flags);
}

/* pages[0..nr) have no reference left: off their lists (one lock per run
 * of same-zone pages, nobody else can take them: isolation needs a count),
 * then each freed to the allocator's per-CPU list. */
static void free_unreferenced_pages(struct page **pages, unsigned nr)
{
	struct lru_run run = { .lruvec = NULL };

	for (unsigned i = 0; i < nr; i++) {
		struct page *page = pages[i];
		if (PageLRU(page)) {
			lru_run_lock(&run, page);
			list_del(&page->lru);
			run.delta[page_lru(page)]--;
			clear_page_bit(page, PG_lru);
		}
	}
	lru_run_unlock(&run);
	for (unsigned i = 0; i < nr; i++) {
		page_release_state(pages[i]);
		pages[i]->_refcount = 1; /* the allocator frees the block whose one reference goes */
		__free_pages(pages[i], 0);
	}
}

void release_pages(struct page **pages, unsigned nr)
{
	struct page *dead[PAGEVEC_SIZE];
	unsigned ndead = 0;

	for (unsigned i = 0; i < nr; i++) {
		struct page *page = pages[i];
		if (!(page->flags & ((1u << PG_lru) | (1u << PG_swapbacked)))) {
			put_page(page); /* no LRU state: put_page's own path */
			continue;
		}
		if (__atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) != 0)
			continue;
		dead[ndead++] = page;
		if (ndead == PAGEVEC_SIZE) {
			free_unreferenced_pages(dead, ndead);
			ndead = 0;
		}
	}
	if (ndead)
		free_unreferenced_pages(dead, ndead);
}

/* ---- the add batches ---- */

/* A page given to lru_cache_add twice: reported, not added again. */
void lru_add_twice(struct page *page)
{
	pr_err("BUG: lru_cache_add: pfn %#lx is already on an LRU list\n", page_to_pfn(page));
}

/* Put a batch taken from its CPU on the lists, each page PG_lru, then drop
 * the batch's references (a page unmapped while it waited is freed now).
 * pvec is the caller's copy: it is reused for the pages to free. */
static void __pagevec_lru_add(struct pagevec *pvec)
{
	struct lru_run run = { .lruvec = NULL };
	struct page **end = pvec->pages + pvec->nr, **dead = pvec->pages;

	for (struct page **pp = pvec->pages; pp < end; pp++) {
		struct page *page = *pp;
		struct lruvec *lruvec = lru_run_lock(&run, page);
		if (unlikely(PageLRU(page))) { /* added twice while it waited */
			lru_add_twice(page);
			continue;
		}
		set_page_bit(page, PG_lru);
		enum lru_list l = page_lru(page);
		list_add(&page->lru, &lruvec->lists[l]);
		run.delta[l]++;
	}
	lru_run_unlock(&run);
	/* the batch's references; the pages left with none go (pvec is a copy) */
	for (struct page **pp = pvec->pages; pp < end; pp++)
		if (unlikely(__atomic_sub_fetch(&(*pp)->_refcount, 1, __ATOMIC_ACQ_REL) == 0))
			*dead++ = *pp;
	if (dead > pvec->pages)
		free_unreferenced_pages(pvec->pages, (unsigned)(dead - pvec->pages));
}

/* This CPU's batch, emptied into *out: from this CPU, or in the IPI
 * another CPU sent (interrupts off either way: nothing else runs here). */
static void take_this_cpu_batch(void *out)
{
	unsigned long f = arch_irq_save();
	struct pagevec *pvec = &lru_add_pvec[arch_cpu_id()];

	*(struct pagevec *)out = *pvec;
	pvec->nr = 0;
	arch_irq_restore(f);
}

void lru_add_batch_full(unsigned long irq_flags)
{
	struct pagevec full;

	take_this_cpu_batch(&full);
	arch_irq_restore(irq_flags);
	__pagevec_lru_add(&full);
}

void lru_add_drain(void)
{
	struct pagevec batch;

	take_this_cpu_batch(&batch);
	if (batch.nr)
		__pagevec_lru_add(&batch);
}

/* An online CPU hands its batch over in its IPI handler; an offline CPU's
 * batch is quiet and is taken from here. */
void lru_add_drain_cpu(unsigned cpu)
{
	struct pagevec batch;

	if (cpu >= NR_CPUS)
		return;
	if (arch_call_on_cpu(cpu, take_this_cpu_batch, &batch) < 0) {
		batch = lru_add_pvec[cpu];
		lru_add_pvec[cpu].nr = 0;
	}
	if (batch.nr)
		__pagevec_lru_add(&batch);
}

unsigned lru_add_batch_count(unsigned cpu)
{
	return cpu < NR_CPUS ? __atomic_load_n(&lru_add_pvec[cpu].nr, __ATOMIC_RELAXED) : 0;
}

/* A batch seen empty is not asked (no IPI): a page added after this look
 * is no different from one added after the drain. */
void lru_add_drain_all(void)
{
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++)
		if (lru_add_batch_count(cpu))
			lru_add_drain_cpu(cpu);
}

void putback_lru_pages(struct list_head *pages)
{
	struct pagevec pvec = { .nr = 0 };

	while (!list_empty(pages)) {
		struct page *page = list_first_entry(pages, struct page, lru);
		list_del(&page->lru);
		pvec.pages[pvec.nr++] = page;
		if (pvec.nr == PAGEVEC_SIZE || list_empty(pages)) {
			__pagevec_lru_add(&pvec); /* the isolation's reference is the batch's */
			pvec.nr = 0;
		}
	}
}

/* ---- aging, isolation, freeing one page ---- */

void activate_page(struct page *page)
{
	struct lruvec *lruvec = &page_zone(page)->lruvec;
	unsigned long f = spin_lock_irqsave(&lruvec->lru_lock);

	if (PageLRU(page) && !PageActive(page)) {
		del_page_from_lru_list(page, lruvec);
		set_page_bit(page, PG_active);
		add_page_to_lru_list(page, lruvec);
		count_vm_event(PGACTIVATE);
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, f);
}

void mark_page_accessed(struct page *page)
{
	if (!PageActive(page) && PageReferenced(page) && PageLRU(page)) {
		activate_page(page); /* the second use: promote */
		clear_page_bit(page, PG_referenced);
	} else if (!PageReferenced(page)) {
		set_page_bit(page, PG_referenced);
	}
}

bool isolate_lru_page(struct page *page)
{
	struct lruvec *lruvec = &page_zone(page)->lruvec;
	bool ok = false;
	unsigned long f = spin_lock_irqsave(&lruvec->lru_lock);

	if (PageLRU(page)) {
		/* get_page_unless_zero: a page whose last put is under way is its freer's */
		s32 c = __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
		while (c > 0 && !__atomic_compare_exchange_n(&page->_refcount, &c, c + 1, false,
							      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			;
		if (c > 0) {
			del_page_from_lru_list(page, lruvec);
			clear_page_bit(page, PG_lru);
			ok = true;
		}
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, f);
	return ok;
}

void putback_lru_page(struct page *page)
{
	struct lruvec *lruvec = &page_zone(page)->lruvec;
	unsigned long f = spin_lock_irqsave(&lruvec->lru_lock);

	set_page_bit(page, PG_lru);
	add_page_to_lru_list(page, lruvec);
	spin_unlock_irqrestore(&lruvec->lru_lock, f);
	put_page(page);
}

void __page_cache_release(struct page *page)
{
	if (PageLRU(page)) {
		struct lruvec *lruvec = &page_zone(page)->lruvec;
		unsigned long f = spin_lock_irqsave(&lruvec->lru_lock);
		del_page_from_lru_list(page, lruvec);
		clear_page_bit(page, PG_lru);
		spin_unlock_irqrestore(&lruvec->lru_lock, f);
	}
	page_release_state(page);
}

void put_page_lru(struct page *page)
{
	if (__atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	__page_cache_release(page);
	page->_refcount = 1; /* the allocator frees the block whose one reference goes */
	__free_pages(page, 0);
}

/* ---- the page lock (include/pagemap.h) ---- */

#define PAGE_WAIT_TABLE_SIZE 64
static wait_queue_head_t page_wait_table[PAGE_WAIT_TABLE_SIZE];
static bool page_wait_ready;

static wait_queue_head_t *page_waitqueue(struct page *p)
{
	if (!__atomic_load_n(&page_wait_ready, __ATOMIC_ACQUIRE)) {
		static DEFINE_SPINLOCK(init_lock);
		spin_lock(&init_lock);
		if (!page_wait_ready) {
			for (int i = 0; i < PAGE_WAIT_TABLE_SIZE; i++)
				init_waitqueue_head(&page_wait_table[i], "page_wait");
			__atomic_store_n(&page_wait_ready, true, __ATOMIC_RELEASE);
		}
		spin_unlock(&init_lock);
	}
	return &page_wait_table[page_to_pfn(p) % PAGE_WAIT_TABLE_SIZE];
}

void lock_page(struct page *p)
{
	if (trylock_page(p))
		return;
	wait_event(*page_waitqueue(p), trylock_page(p));
}

void unlock_page(struct page *p)
{
	if (!PageLocked(p))
		pr_err("BUG: unlock_page: pfn %#lx is not locked\n", page_to_pfn(p));
	__atomic_and_fetch(&p->flags, ~(1u << PG_locked), __ATOMIC_RELEASE);
	wake_up_all(page_waitqueue(p));
}

void wait_on_page_locked(struct page *p)
{
	if (PageLocked(p))
		wait_event(*page_waitqueue(p), !PageLocked(p));
}
