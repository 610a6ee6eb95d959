/* vmstat.h - the kernel's memory event and state counters, Linux's
 * vm_event_item and node_stat_item, read by /proc/vmstat and /proc/meminfo.
 *
 * Events count things that happened (a page swapped out, a reclaim scan);
 * they only grow. Node states count pages in a state now (on the active
 * anonymous LRU, in the swap cache); they go up and down. Both are global
 * atomic counters (Highland has one node): Linux keeps per-CPU deltas folded
 * in periodically, which a reader sees late; here a reader sees every update
 * at once, and the cost is one locked add. Names and their order in
 * /proc/vmstat are Linux 6.1's (mm/vmstat.c's vmstat_text). */
#ifndef HL_VMSTAT_H
#define HL_VMSTAT_H

#include "types.h"

/* Pages in a state, node-wide (Linux's node_stat_item, the ones Highland has). */
enum node_stat_item {
	NR_INACTIVE_ANON, /* on the inactive anonymous LRU lists */
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE, /* page cache on the inactive file LRU lists */
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_ISOLATED_ANON, /* taken off an LRU list by reclaim, not yet back or freed */
	NR_ISOLATED_FILE,
	NR_FILE_PAGES,    /* page cache, swap cache included (as Linux counts it) */
	NR_SWAPCACHE,     /* in the swap cache */
	NR_WRITEBACK,     /* being written to swap */
	NR_KERNEL_STACK_KB, /* kB of kernel stacks of live tasks (kernel/kthread.c) */
	NR_VM_NODE_STAT_ITEMS
};

/* Events (Linux's vm_event_item, the ones Highland counts). */
enum vm_event_item {
	PGPGIN,         /* kB read from disk (Linux counts 1 kB units) */
	PGPGOUT,        /* kB written to disk */
	PSWPIN,         /* pages read from swap */
	PSWPOUT,        /* pages written to swap */
	PGFAULT,        /* page faults in a region that allowed the access */
	PGMAJFAULT,     /* faults that waited for I/O (swap-in) */
	PGREFILL,       /* pages scanned on the active lists */
	PGSCAN_KSWAPD,  /* inactive pages scanned by kswapd */
	PGSCAN_DIRECT,  /* ... by direct reclaim */
	PGSTEAL_KSWAPD, /* pages freed by kswapd */
	PGSTEAL_DIRECT, /* ... by direct reclaim */
	PGACTIVATE,     /* inactive pages moved to an active list */
	PGDEACTIVATE,   /* active pages moved to an inactive list */
	KSWAPD_LOW_WMARK_HIT_QUICKLY,  /* kswapd woke and found nothing to do */
	KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	ALLOCSTALL_DMA, /* allocations that entered direct reclaim, by their highest zone */
	ALLOCSTALL_NORMAL,
	ALLOCSTALL_HIGH,
	OOM_KILL,       /* processes the OOM killer ended */
	SWAP_RA,        /* pages swap-in read ahead of a fault (swap_cluster_readahead) */
	SWAP_RA_HIT,    /* ... that a later fault found in the swap cache */
	NR_VM_EVENT_ITEMS
};

/* Add one (or delta) to an event counter. */
static inline void count_vm_events(enum vm_event_item item, unsigned long delta)
{
	extern unsigned long vm_events[NR_VM_EVENT_ITEMS];
	__atomic_add_fetch(&vm_events[item], delta, __ATOMIC_RELAXED);
}
static inline void count_vm_event(enum vm_event_item item) { count_vm_events(item, 1); }
/* The event's total since boot. */
unsigned long global_vm_event(enum vm_event_item item);

/* Add delta (may be negative) pages to a node state. */
static inline void mod_node_page_state(enum node_stat_item item, long delta)
{
	extern long vm_node_stat[NR_VM_NODE_STAT_ITEMS];
	__atomic_add_fetch(&vm_node_stat[item], delta, __ATOMIC_RELAXED);
}
/* A node state now; a transient negative (a decrement seen before its
 * increment on another CPU) reads as 0. */
unsigned long global_node_page_state(enum node_stat_item item);

/* Swap space in pages, over every active swap area (kept by mm/swapfile.c;
 * 0 while there is none): total, and free slots. */
extern long total_swap_pages;
extern long nr_swap_pages;

/* The names /proc/vmstat prints for each item (Linux 6.1's). */
extern const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS];
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];

#endif
