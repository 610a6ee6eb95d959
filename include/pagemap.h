/* pagemap.h - the page lock (PG_locked) and atomic flag changes for pages
 * others may be looking at (mm/swap.c).
 *
 * mm.h's SetPage/ClearPage are plain read-modify-writes, right for a page
 * only its owner can see (a new or a free one). A user page on the LRU or
 * in the swap cache can be looked at from several CPUs at once: reclaim,
 * the owner's fault, swapoff. Their flag changes go through set_page_bit/
 * clear_page_bit (one locked instruction each), so none loses another's
 * bit. PG_locked, Linux's meaning: the page's state is changing (being
 * added to or read into the swap cache, written out); whoever wants it
 * stable takes the lock and sleeps until it is free, on a wait queue
 * hashed by the page (Linux's page_waitqueue), not one per page. */
#ifndef HL_PAGEMAP_H
#define HL_PAGEMAP_H

#include "mm.h"

static inline void set_page_bit(struct page *p, int bit) { __atomic_or_fetch(&p->flags, 1u << bit, __ATOMIC_RELAXED); }
static inline void clear_page_bit(struct page *p, int bit) { __atomic_and_fetch(&p->flags, ~(1u << bit), __ATOMIC_RELAXED); }

/* Take the page lock if it is free: true if we now hold it. */
static inline bool trylock_page(struct page *p)
{
	return !(__atomic_fetch_or(&p->flags, 1u << PG_locked, __ATOMIC_ACQUIRE) & (1u << PG_locked));
}
/* Take the page lock, sleeping while someone else holds it. */
void lock_page(struct page *p);
/* Let it go and wake whoever waits for it. */
void unlock_page(struct page *p);
/* Sleep until the page is unlocked (its I/O done), without taking it. */
void wait_on_page_locked(struct page *p);

#endif
