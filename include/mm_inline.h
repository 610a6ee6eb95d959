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
 * Linux's rule for freeing: the LRU holds no reference of its own. The
 * last put_page of a page that is on a list takes it off under the lru
 * lock (__page_cache_release); reclaim takes a page off a list only with
 * a reference of its own (isolate_lru_page: get_page_unless_zero under the
 * lock), so a page whose count reached 0 is never picked up again. */
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

/* A new user page goes on its zone's inactive list (anonymous pages from
 * the fault path, after page_add_new_anon_rmap). */
void lru_cache_add(struct page *page);
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
/* The last reference to an LRU or anonymous page is gone: off its list,
 * its anon_vma let go, flags cleared; the caller frees it. */
void __page_cache_release(struct page *page);

#endif
