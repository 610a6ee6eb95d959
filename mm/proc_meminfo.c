/* proc_meminfo.c - /proc/meminfo and /proc/vmstat, in Linux 6.1's formats
 * (fs/proc/meminfo.c, mm/vmstat.c), so free, top, vmstat and scripts
 * written for Linux read them unchanged.
 *
 * meminfo prints every line Linux 6.1 prints on i386 with HIGHMEM64G (PAE)
 * and Debian's configuration (ZSWAP, transparent hugepages, hugetlbfs; no
 * CMA, no memory-failure handling, no shadow call stack), in its order and
 * with its field widths. A line for something Highland does not have
 * prints 0, as Linux prints it while the feature is unused: Buffers (no
 * block-device cache), Shmem, Zswap, the huge pages, NFS_Unstable,
 * Bounce, WritebackTmp, SecPageTables, Percpu (per-CPU data is static in
 * the image). Dirty is 0 as on Linux: RAM-filesystem pages are never
 * accounted dirty. What the other figures are made of is said where they
 * are printed; docs/busybox.md compares the whole file with Linux's.
 *
 * vmstat prints the counters Highland keeps (include/vmstat.h) in Linux's
 * order: the free pages, the node states, then the events. */
#include "mm_types.h"
#include "mmzone.h"
#include "slab.h"
#include "vmalloc.h"
#include "vmstat.h"
#include "page_internal.h"
#include "proc_fs.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))
#define OVERCOMMIT_RATIO 50 /* Linux's default vm.overcommit_ratio (/proc/sys/vm) */

long nr_pagetable_pages; /* kept by mm/pgtable.c (mm_types.h) */

/* Linux's show_val_kb: the label padded to 16 columns, the value in 8, " kB". */
static void show_val_kb(struct seq_file *m, const char *label, unsigned long pages)
{
	seq_printf(m, "%-16s%8lu kB\n", label, K(pages));
}

/* A page counter read once; a transient negative (a racing decrement seen
 * before its increment) reads as 0. */
static unsigned long counter_pages(const long *c)
{
	long v = __atomic_load_n(c, __ATOMIC_RELAXED);

	return v < 0 ? 0 : (unsigned long)v;
}

/* Linux's totalreserve_pages: per zone, its largest lowmem_reserve plus its
 * high watermark - what the allocator keeps back from user space. */
static unsigned long totalreserve_pages(void)
{
	unsigned long sum = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &zones[i];
		unsigned long max = 0;
		for (int j = 0; j < MAX_NR_ZONES; j++)
			if (z->lowmem_reserve[j] > max)
				max = z->lowmem_reserve[j];
		max += z->watermark[WMARK_HIGH];
		sum += max > z->managed_pages ? z->managed_pages : max;
	}
	return sum;
}

/* Linux's si_mem_available: free pages above the reserves, plus the page
 * cache and reclaimable kernel memory that could be freed without swapping
 * (each less half of it, or the low watermarks, whichever is smaller). */
unsigned long si_mem_available(void)
{
	unsigned long wmark_low = 0, pagecache, reclaimable = 0 /* all slab is unreclaimable */;
	long available = (long)nr_free_pages() - (long)totalreserve_pages();

	for (int i = 0; i < MAX_NR_ZONES; i++)
		wmark_low += zones[i].watermark[WMARK_LOW];
	pagecache = global_node_page_state(NR_ACTIVE_FILE) + global_node_page_state(NR_INACTIVE_FILE);
	pagecache -= pagecache / 2 < wmark_low ? pagecache / 2 : wmark_low;
	available += (long)pagecache;
	available += (long)(reclaimable - (reclaimable / 2 < wmark_low ? reclaimable / 2 : wmark_low));
	return available < 0 ? 0 : (unsigned long)available;
}

/* The pages every process has mapped (kernel/proc_misc.c); Linux counts
 * private writable mappings only (vm_committed_as), see the line below. */
__attribute__((weak)) unsigned long committed_as_pages(void) { return 0; }
/* DirectMap4k / DirectMap2M (arch/x86/meminfo.c); the hosted machine has
 * no direct map, so prints nothing. */
__attribute__((weak)) void arch_report_meminfo(struct seq_file *m) { (void)m; }

void meminfo_show(struct seq_file *m)
{
	unsigned long total = totalram_pages(), free = nr_free_pages();
	unsigned long high_total = totalhigh_pages(), high_free = nr_free_highpages();
	unsigned long swapcache = global_node_page_state(NR_SWAPCACHE);
	unsigned long file = global_node_page_state(NR_FILE_PAGES);
	unsigned long aa = global_node_page_state(NR_ACTIVE_ANON), ia = global_node_page_state(NR_INACTIVE_ANON);
	unsigned long af = global_node_page_state(NR_ACTIVE_FILE), inf = global_node_page_state(NR_INACTIVE_FILE);
	unsigned long swap_total = total_swap_pages > 0 ? (unsigned long)total_swap_pages : 0;
	unsigned long swap_free = nr_swap_pages > 0 ? (unsigned long)nr_swap_pages : 0;
	unsigned long slab = slab_pages();

	show_val_kb(m, "MemTotal:", total);
	show_val_kb(m, "MemFree:", free);
	show_val_kb(m, "MemAvailable:", si_mem_available());
	show_val_kb(m, "Buffers:", 0);
	/* Cached: the page cache (RAM files, fs/inode.c) without the swap cache */
	show_val_kb(m, "Cached:", file > swapcache ? file - swapcache : 0);
	show_val_kb(m, "SwapCached:", swapcache);
	show_val_kb(m, "Active:", aa + af);
	show_val_kb(m, "Inactive:", ia + inf);
	show_val_kb(m, "Active(anon):", aa);
	show_val_kb(m, "Inactive(anon):", ia);
	show_val_kb(m, "Active(file):", af);
	show_val_kb(m, "Inactive(file):", inf);
	show_val_kb(m, "Unevictable:", global_node_page_state(NR_UNEVICTABLE));
	show_val_kb(m, "Mlocked:", 0); /* no mlock */
	show_val_kb(m, "HighTotal:", high_total);
	show_val_kb(m, "HighFree:", high_free);
	show_val_kb(m, "LowTotal:", total - high_total);
	show_val_kb(m, "LowFree:", free - high_free);
	show_val_kb(m, "SwapTotal:", swap_total);
	show_val_kb(m, "SwapFree:", swap_free);
	show_val_kb(m, "Zswap:", 0);
	show_val_kb(m, "Zswapped:", 0);
	show_val_kb(m, "Dirty:", 0);
	show_val_kb(m, "Writeback:", global_node_page_state(NR_WRITEBACK));
	/* pages mapped into user space (mm/memory.c's rmap counts) */
	show_val_kb(m, "AnonPages:", counter_pages(&nr_anon_mapped));
	show_val_kb(m, "Mapped:", counter_pages(&nr_file_mapped));
	show_val_kb(m, "Shmem:", 0);
	show_val_kb(m, "KReclaimable:", 0); /* no shrinkable slab caches */
	show_val_kb(m, "Slab:", slab);
	show_val_kb(m, "SReclaimable:", 0);
	show_val_kb(m, "SUnreclaim:", slab);
	seq_printf(m, "%-16s%8lu kB\n", "KernelStack:", global_node_page_state(NR_KERNEL_STACK_KB));
	show_val_kb(m, "PageTables:", counter_pages(&nr_pagetable_pages));
	show_val_kb(m, "SecPageTables:", 0);
	show_val_kb(m, "NFS_Unstable:", 0);
	show_val_kb(m, "Bounce:", 0);
	show_val_kb(m, "WritebackTmp:", 0);
	show_val_kb(m, "CommitLimit:", total * OVERCOMMIT_RATIO / 100 + swap_total);
	show_val_kb(m, "Committed_AS:", committed_as_pages());
	seq_printf(m, "%-16s%8lu kB\n", "VmallocTotal:", vmalloc_total_kb());
	seq_printf(m, "%-16s%8lu kB\n", "VmallocUsed:", vmalloc_used_kb());
	show_val_kb(m, "VmallocChunk:", 0); /* Linux 6.1 always prints 0 */
	show_val_kb(m, "Percpu:", 0);
	show_val_kb(m, "AnonHugePages:", 0);
	show_val_kb(m, "ShmemHugePages:", 0);
	show_val_kb(m, "ShmemPmdMapped:", 0);
	show_val_kb(m, "FileHugePages:", 0);
	show_val_kb(m, "FilePmdMapped:", 0);
	/* hugetlb_report_meminfo: no huge-page pool; PAE's huge page is 2 MB */
	seq_printf(m, "HugePages_Total:   %5lu\nHugePages_Free:    %5lu\n", 0UL, 0UL);
	seq_printf(m, "HugePages_Rsvd:    %5lu\nHugePages_Surp:    %5lu\n", 0UL, 0UL);
	seq_printf(m, "Hugepagesize:   %8lu kB\nHugetlb:        %8lu kB\n", PMD_SIZE >> 10, 0UL);
	arch_report_meminfo(m);
}

/* ---- /proc/vmstat ---- */

/* What Highland keeps, in Linux 6.1's vmstat_text order. */
static const enum node_stat_item node_order[] = {
	NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE, NR_ACTIVE_FILE, NR_UNEVICTABLE,
	/* (nr_slab_reclaimable, nr_slab_unreclaimable: printed from the slab) */
	NR_ISOLATED_ANON, NR_ISOLATED_FILE,
	/* (nr_anon_pages, nr_mapped: mm/memory.c's counts) */
	NR_FILE_PAGES, NR_WRITEBACK, NR_KERNEL_STACK_KB,
	/* (nr_page_table_pages) */
	NR_SWAPCACHE,
};
static const enum vm_event_item event_order[] = {
	PGPGIN, PGPGOUT, PSWPIN, PSWPOUT, ALLOCSTALL_DMA, ALLOCSTALL_NORMAL, ALLOCSTALL_HIGH,
	PGACTIVATE, PGDEACTIVATE, PGFAULT, PGMAJFAULT, PGREFILL, PGSTEAL_KSWAPD, PGSTEAL_DIRECT,
	PGSCAN_KSWAPD, PGSCAN_DIRECT, KSWAPD_LOW_WMARK_HIT_QUICKLY, KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	OOM_KILL,
};

static void node_line(struct seq_file *m, enum node_stat_item i, bool *done)
{
	seq_printf(m, "%s %lu\n", node_stat_names[i], global_node_page_state(i));
	done[i] = true;
}

void vmstat_show(struct seq_file *m)
{
	bool nd[NR_VM_NODE_STAT_ITEMS] = { false }, ed[NR_VM_EVENT_ITEMS] = { false };
	size_t i;

	seq_printf(m, "nr_free_pages %lu\n", nr_free_pages());
	for (i = 0; i < 5; i++)
		node_line(m, node_order[i], nd);
	seq_printf(m, "nr_slab_reclaimable 0\nnr_slab_unreclaimable %lu\n", slab_pages());
	node_line(m, NR_ISOLATED_ANON, nd);
	node_line(m, NR_ISOLATED_FILE, nd);
	seq_printf(m, "nr_anon_pages %lu\nnr_mapped %lu\n", counter_pages(&nr_anon_mapped),
		   counter_pages(&nr_file_mapped));
	for (i = 7; i < 10; i++)
		node_line(m, node_order[i], nd);
	seq_printf(m, "nr_page_table_pages %lu\n", counter_pages(&nr_pagetable_pages));
	node_line(m, NR_SWAPCACHE, nd);
	for (int j = 0; j < NR_VM_NODE_STAT_ITEMS; j++) /* items added since, not yet placed */
		if (!nd[j])
			node_line(m, (enum node_stat_item)j, nd);
	for (i = 0; i < ARRAY_SIZE(event_order); i++) {
		seq_printf(m, "%s %lu\n", vm_event_names[event_order[i]], global_vm_event(event_order[i]));
		ed[event_order[i]] = true;
	}
	for (int j = 0; j < NR_VM_EVENT_ITEMS; j++)
		if (!ed[j])
			seq_printf(m, "%s %lu\n", vm_event_names[j], global_vm_event((enum vm_event_item)j));
}
