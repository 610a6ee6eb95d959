/* mm_inline.h - the LRU lists (mm/swap.c): which list a page belongs on,
 * and the calls that put pages on them, age them and take them off.
 *
 * Every user page that reclaim may take lives on one list of its zone's
 * lruvec (mmzone.h) while PG_lru is set: anonymous pages on the anon
 * lists, page cache on the file lists, pages that cannot be reclaimed on
 * the unevictable one. A page starts inactive (Linux 5.9+: a new page must
 * prove itself before it is protected); mark_page_accessed and reclaim's
 * page_referenced move it to the active list; shrink_active_list moves
 * pages that were not used back to the inactive list, whose tail is what
 * reclaim frees.
 *
 * Linux's rule for freeing: the LRU lists hold no reference. The last
 * put_page of a page that is on a list takes it off under the lru lock
 * (__page_cache_release); reclaim takes a page off a list only with a
 * reference of its own (isolate_lru_page: get_page_unless_zero under the
 * lock), so a page whose count reached 0 is never picked up again.
 *
 * Batches (Linux's pagevecs): lru_cache_add does not take the lru lock.
 * The page waits in this CPU's add batch, which holds a reference of its
 * own, until PAGEVEC_SIZE pages are there or someone drains it; only then
 * is it PG_lru and on a list. So a page in a batch is on no list (reclaim
 * cannot see it, PageLRU is false) and cannot be freed: its last reference
 * is the batch's. Reclaim and swapoff drain first (lru_add_drain_all); a
 * count that must be exact (do_wp_page's "ours alone") drains this CPU's
 * batch when the page is not on a list yet. Many pages freed together go
 * through release_pages: one lru lock per run of pages of one zone. */
#ifndef HL_MM_INLINE_H
#define HL_MM_INLINE_H

#include "mmzone.h"
#include "vmstat.h"

/* The list page belongs on now (PG_swapbacked: anonymous; PG_active). */
static inline enum lru_list page_lru(const struct page *page)
{
	enum lru_list base = PageSwapBacked(page) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;

	return (enum lru_list)(base + (PageActive(page) ? 1 : 0));
}
/* Anonymous lists (true) or file lists. */
static inline bool is_anon_lru(enum lru_list l) { return l <= LRU_ACTIVE_ANON; }
static inline bool is_active_lru(enum lru_list l) { return l == LRU_ACTIVE_ANON || l == LRU_ACTIVE_FILE; }

/* Set up a zone's lruvec (free_area_init). */
void lruvec_init(struct lruvec *lruvec, int zone_idx);
/* Pages on list l of zone z now. */
static inline unsigned long zone_lru_pages(const struct zone *z, enum lru_list l)
{
	return __atomic_load_n(&z->lruvec.nr[l], __ATOMIC_RELAXED);
}

/* Under lru_lock: put page at the head of / take it off its list, with
 * the counts (zone nr[], node NR_* states). */
void add_page_to_lru_list(struct page *page, struct lruvec *lruvec);
void del_page_from_lru_list(struct page *page, struct lruvec *lruvec);

/* Pages a CPU has taken for the lists and not yet put there (Linux's
 * PAGEVEC_SIZE: 15, a struct of 16 words). */
#define PAGEVEC_SIZE 15
struct pagevec {
	unsigned nr;
	struct page *pages[PAGEVEC_SIZE];
};

/* Each CPU's add batch; only its CPU touches it, with interrupts off. */
extern struct pagevec lru_add_pvec[NR_CPUS];
/* lru_cache_add's out-of-line halves (mm/swap.c): this CPU's batch is full
 * (interrupts still off, irq_flags what to restore); a page added twice. */
void lru_add_batch_full(unsigned long irq_flags);
void lru_add_twice(struct page *page);

/* A new user page will go on its zone's inactive list (anonymous pages
 * from the fault path, after page_add_new_anon_rmap): into this CPU's add
 * batch with a reference taken for it; the batch goes onto the lists when
 * full. PG_lru is set then, not now. Inline: on every anonymous fault it
 * is a reference, a store and a count. A new page has no PG_active to
 * clear (freeing clears it). */
static inline void lru_cache_add(struct page *page)
{
	if (unlikely(PageLRU(page))) {
		lru_add_twice(page);
		return;
	}
	get_page(page); /* the batch's */
	unsigned long f = arch_irq_save();
	struct pagevec *pvec = &lru_add_pvec[arch_cpu_id()];
	pvec->pages[pvec->nr++] = page;
	if (unlikely(pvec->nr == PAGEVEC_SIZE))
		lru_add_batch_full(f);
	else
		arch_irq_restore(f);
}
/* Put this CPU's add batch on the lists now. */
void lru_add_drain(void);
/* The same for CPU cpu's batch, from any CPU: the owner hands it over in
 * an IPI (arch_call_on_cpu); the lists are filled here. */
void lru_add_drain_cpu(unsigned cpu);
/* Every CPU's batch (reclaim before it scans, swapoff, tests that count). */
void lru_add_drain_all(void);
/* Pages in CPU cpu's add batch now (a racy look: the monitor, tests). */
unsigned lru_add_batch_count(unsigned cpu);
/* Drop one reference to each of pages[0..nr) (Linux's release_pages): as
 * nr put_page calls, but the pages whose last reference goes leave their
 * lists with one lru lock per run of same-zone pages, and are then freed
 * one by one to the allocator's per-CPU list. */
void release_pages(struct page **pages, unsigned nr);
/* A use the MMU cannot see (a read() of page cache, Linux's caller):
 * inactive,unreferenced -> referenced -> active. */
void mark_page_accessed(struct page *page);
/* Move an inactive page on its list to the active list (PGACTIVATE). */
void activate_page(struct page *page);
/* Take page off its list for reclaim: true with a reference taken and
 * PG_lru clear, false if it was on no list or is being freed. */
bool isolate_lru_page(struct page *page);
/* Back on the list page_lru says, and the isolation's reference dropped. */
void putback_lru_page(struct page *page);
/* The same for every page on `pages` (isolated, linked by lru), with one
 * lru lock per run of same-zone pages; the list ends empty. */
void putback_lru_pages(struct list_head *pages);
/* The last reference to an LRU or anonymous page is gone: off its list,
 * its anon_vma let go, flags cleared; the caller frees it. */
void __page_cache_release(struct page *page);

#endif
