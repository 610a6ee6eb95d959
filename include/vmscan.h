/* vmscan.h - page reclaim (mm/vmscan.c): kswapd, direct reclaim, and the
 * two calls the page allocator's slow path makes. */
#ifndef HL_VMSCAN_H
#define HL_VMSCAN_H

#include "gfp.h"
#include "mmzone.h"

/* kswapd0's state, for the monitor (`kswapd`) and tests. */
struct kswapd_state {
	bool wake_pending;       /* woken and not yet started on it */
	bool running;            /* reclaiming now (else asleep) */
	int classzone;           /* highest zone the wakers wanted */
	int failures;            /* balance passes in a row that freed nothing */
	unsigned long wakeups, last_wake, reclaimed;
};
extern struct kswapd_state kswapd_state;

/* Allocator slow path, on entry: a zone the request may use is below its
 * low watermark, so wake kswapd (__GFP_KSWAPD_RECLAIM requests only). */
void wakeup_kswapd(gfp_t gfp, unsigned order);
/* Allocator slow path, after the free lists failed: reclaim (and, when
 * that frees nothing, the OOM killer) for a request that may sleep. true:
 * try the free lists again; false: fail. attempt counts the calls. */
bool __alloc_pages_reclaim_or_oom(gfp_t gfp, unsigned order, int attempt);
/* Direct reclaim for (gfp, order): the pages freed (ALLOCSTALL_*, PGSCAN_DIRECT);
 * it stops once SWAP_CLUSTER_MAX << order are. */
unsigned long try_to_free_pages(gfp_t gfp, unsigned order);
/* kswapd's work for one wakeup: passes until every zone up to classzone is
 * above its high watermark, each aiming at what the short zones lack; the
 * pages reclaimed (kswapd0 calls it; tests too). */
unsigned long balance_pgdat(int classzone);
/* Is zone z's inactive list l too small next to its active one (Linux's
 * ratio: inactive * sqrt(10 * GB of the two lists) < active)? */
bool inactive_is_low(const struct zone *z, enum lru_list l);

/* Start kswapd0 (boot, once the scheduler runs): 0 or -1. */
int kswapd_run(void);
/* kswapd's state and each zone against its watermarks, printed (monitor). */
void kswapd_show(void);

#endif
