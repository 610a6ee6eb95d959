/* swap.c - the LRU lists: putting user pages on them, aging them, and
 * taking them off when they are freed (include/mm_inline.h).
 *
 * Linux batches these operations per CPU (pagevecs, 15 pages) to take the
 * lru lock less often; Highland takes the zone's lru lock for each page,
 * which is simpler to read and, with 2-4 CPUs, cheap enough. The lock is
 * irq-safe: a put_page from an interrupt handler could free an LRU page.
 *
 * Counts: each zone keeps nr[] per list (zoneinfo's nr_zone_* lines); the
 * node states NR_INACTIVE_ANON.. (vmstat.h, same order as enum lru_list)
 * are their sums (/proc/vmstat, meminfo's Active/Inactive). */
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

void lruvec_init(struct lruvec *lruvec, int zone_idx)
{
	spin_lock_init(&lruvec->lru_lock, lru_lock_names[zone_idx]);
	for (int l = 0; l < NR_LRU_LISTS; l++) {
		INIT_LIST_HEAD(&lruvec->lists[l]);
		lruvec->nr[l] = 0;
	}
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

void lru_cache_add(struct page *page)
{
	struct lruvec *lruvec = &page_zone(page)->lruvec;

	if (PageLRU(page)) {
		pr_err("BUG: lru_cache_add: pfn %#lx is already on an LRU list\n", page_to_pfn(page));
		return;
	}
	unsigned long f = spin_lock_irqsave(&lruvec->lru_lock);
	clear_page_bit(page, PG_active);
	set_page_bit(page, PG_lru);
	add_page_to_lru_list(page, lruvec);
	spin_unlock_irqrestore(&lruvec->lru_lock, f);
}

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
