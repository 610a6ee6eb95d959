/* vmstat.c - the event and node-state counters (include/vmstat.h) and the
 * names /proc/vmstat gives them, Linux 6.1's spelling. */
#include "kstring.h"
#include "vmstat.h"

unsigned long vm_events[NR_VM_EVENT_ITEMS];
long vm_node_stat[NR_VM_NODE_STAT_ITEMS];
long total_swap_pages;
long nr_swap_pages;

const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	[NR_INACTIVE_ANON] = "nr_inactive_anon", [NR_ACTIVE_ANON] = "nr_active_anon",
	[NR_INACTIVE_FILE] = "nr_inactive_file", [NR_ACTIVE_FILE] = "nr_active_file",
	[NR_UNEVICTABLE] = "nr_unevictable",	 [NR_ISOLATED_ANON] = "nr_isolated_anon",
	[NR_ISOLATED_FILE] = "nr_isolated_file", [NR_FILE_PAGES] = "nr_file_pages",
	[NR_SWAPCACHE] = "nr_swapcached",	 [NR_WRITEBACK] = "nr_writeback",
	[NR_KERNEL_STACK_KB] = "nr_kernel_stack",
};

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGPGIN] = "pgpgin",
	[PGPGOUT] = "pgpgout",
	[PSWPIN] = "pswpin",
	[PSWPOUT] = "pswpout",
	[PGFAULT] = "pgfault",
	[PGMAJFAULT] = "pgmajfault",
	[PGREFILL] = "pgrefill",
	[PGSCAN_KSWAPD] = "pgscan_kswapd",
	[PGSCAN_DIRECT] = "pgscan_direct",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGACTIVATE] = "pgactivate",
	[PGDEACTIVATE] = "pgdeactivate",
	[KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
	[KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
	[ALLOCSTALL_DMA] = "allocstall_dma",
	[ALLOCSTALL_NORMAL] = "allocstall_normal",
	[ALLOCSTALL_HIGH] = "allocstall_high",
	[OOM_KILL] = "oom_kill",
	[SWAP_RA] = "swap_ra",
	[SWAP_RA_HIT] = "swap_ra_hit",
};

unsigned long global_vm_event(enum vm_event_item item)
{
	return __atomic_load_n(&vm_events[item], __ATOMIC_RELAXED);
}

unsigned long global_node_page_state(enum node_stat_item item)
{
	long v = __atomic_load_n(&vm_node_stat[item], __ATOMIC_RELAXED);

	return v < 0 ? 0 : (unsigned long)v;
}
