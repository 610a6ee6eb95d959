/* page_reports.c - the page allocator's reports, in Linux's formats so that
 * scripts written for /proc/buddyinfo, /proc/zoneinfo and /proc/meminfo (and
 * eyes used to Linux's allocation-failure report) read them unchanged; the
 * counters they are made of; gfp flags by name.
 *
 * Counts are copied under the zone lock and printed after it is dropped:
 * printing is slow, and the console must never wait on an allocator lock.
 */
#include "mm_types.h"
#include "mm_inline.h"
#include "mmzone.h"
#include "slab.h"
#include "vmalloc.h"
#include "vmstat.h"
#include "page_internal.h"
#include "printk.h"
#include "proc_fs.h"

static bool populated(const struct zone *z) { return z->present_pages != 0; }

static unsigned long kb(unsigned long pages) { return pages << (PAGE_SHIFT - 10); }

/* One zone's free block counts, consistent with each other. */
static void copy_nr_free(struct zone *z, unsigned long nr_free[MAX_ORDER])
{
	unsigned long f = spin_lock_irqsave(&z->lock);

	for (int o = 0; o < MAX_ORDER; o++)
		nr_free[o] = z->free_area[o].nr_free;
	spin_unlock_irqrestore(&z->lock, f);
}

static unsigned long pcp_pages(const struct zone *z)
{
	unsigned long n = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		n += (unsigned long)z->pcp[cpu].count;
	return n;
}

void buddyinfo_show(struct seq_file *m)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];
		unsigned long nr_free[MAX_ORDER];
		char line[160];
		size_t n;
		if (!populated(z))
			continue;
		copy_nr_free(z, nr_free);
		n = (size_t)snprintf(line, sizeof(line), "Node 0, zone %8s ", z->name);
		for (int o = 0; o < MAX_ORDER && n < sizeof(line); o++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%6lu ", nr_free[o]);
		seq_printf(m, "%s\n", line);
	}
}

/* Linux prints one entry per zone of the node, ZONE_MOVABLE last; Highland
 * has no Movable zone, and an empty one would add no pages above HighMem,
 * so its column repeats HighMem's (as Linux shows it on such machines). */
static void print_protection(struct seq_file *m, const struct zone *z)
{
	seq_printf(m, "        protection: (%lu, %lu, %lu, %lu)\n", z->lowmem_reserve[ZONE_DMA],
		z->lowmem_reserve[ZONE_NORMAL], z->lowmem_reserve[ZONE_HIGHMEM],
		z->lowmem_reserve[ZONE_HIGHMEM]);
}

/* CPU 0, and any other CPU with pages on its list (there is no online
 * mask before the SMP issue). */
static void print_pagesets(struct seq_file *m, const struct zone *z)
{
	seq_printf(m, "  pagesets\n");
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct per_cpu_pages *pcp = &z->pcp[cpu];
		if (cpu && !pcp->count)
			continue;
		seq_printf(m, "    cpu: %u\n", cpu);
		seq_printf(m, "              count: %d\n", pcp->count);
		seq_printf(m, "              high:  %d\n", pcp->high);
		seq_printf(m, "              batch: %d\n", pcp->batch);
	}
}

/* Linux 6.1's zone counters, the ones Highland keeps: free pages and the
 * LRU lists (mm/swap.c), in vmstat's order and spelling. */
static void print_zone_lru(struct seq_file *m, const struct zone *z)
{
	static const char *const names[NR_LRU_LISTS] = {
		"nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
		"nr_zone_active_file", "nr_zone_unevictable",
	};

	seq_printf(m, "      nr_free_pages %lu\n", zone_counter_read(&z->free_pages));
	for (int l = 0; l < NR_LRU_LISTS; l++)
		seq_printf(m, "      %s %lu\n", names[l], zone_lru_pages(z, (enum lru_list)l));
}

void zoneinfo_show(struct seq_file *m)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &zones[i];
		seq_printf(m, "Node 0, zone %8s\n", z->name);
		seq_printf(m, "  pages free     %lu\n", zone_counter_read(&z->free_pages));
		seq_printf(m, "        min      %lu\n", z->watermark[WMARK_MIN]);
		seq_printf(m, "        low      %lu\n", z->watermark[WMARK_LOW]);
		seq_printf(m, "        high     %lu\n", z->watermark[WMARK_HIGH]);
		seq_printf(m, "        spanned  %lu\n", z->spanned_pages);
		seq_printf(m, "        present  %lu\n", z->present_pages);
		seq_printf(m, "        managed  %lu\n", z->managed_pages);
		print_protection(m, z);
		if (!populated(z))
			continue; /* as Linux: nothing else is useful */
		print_zone_lru(m, z);
		print_pagesets(m, z);
		seq_printf(m, "  start_pfn:           %lu\n", z->zone_start_pfn);
	}
}

/* meminfo_show and vmstat_show: mm/proc_meminfo.c. */

/* The console versions (monitor commands, boot options): the same lines
 * through a console seq_file, which prints each with pr_info. */
#define CONSOLE_REPORT(name)                                                   \
	void show_##name(void)                                                 \
	{                                                                      \
		struct seq_file m;                                             \
		seq_console_begin(&m);                                         \
		name##_show(&m);                                               \
		seq_console_end(&m);                                           \
	}
CONSOLE_REPORT(buddyinfo)
CONSOLE_REPORT(zoneinfo)
CONSOLE_REPORT(meminfo)

static void show_zone_free_line(const struct zone *z)
{
	unsigned long pcp = pcp_pages(z);

	pr_warn("%s free:%lukB min:%lukB low:%lukB high:%lukB present:%lukB managed:%lukB "
		"free_pcp:%lukB local_pcp:%lukB\n", z->name, kb(zone_counter_read(&z->free_pages)),
		kb(z->watermark[WMARK_MIN]), kb(z->watermark[WMARK_LOW]),
		kb(z->watermark[WMARK_HIGH]), kb(z->present_pages), kb(z->managed_pages), kb(pcp),
		kb((unsigned long)z->pcp[arch_cpu_id()].count));
	pr_warn("lowmem_reserve[]: %lu %lu %lu %lu\n", z->lowmem_reserve[ZONE_DMA],
		z->lowmem_reserve[ZONE_NORMAL], z->lowmem_reserve[ZONE_HIGHMEM],
		z->lowmem_reserve[ZONE_HIGHMEM]);
}

/* "DMA: 3*4kB 1*8kB ... = 1234kB": the blocks of each size. */
static void show_zone_blocks(struct zone *z)
{
	unsigned long nr_free[MAX_ORDER], total = 0;
	char line[320];
	size_t n;

	copy_nr_free(z, nr_free);
	n = (size_t)snprintf(line, sizeof(line), "%s: ", z->name);
	for (int o = 0; o < MAX_ORDER; o++) {
		total += nr_free[o] << o;
		if (n < sizeof(line))
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%lu*%lukB ", nr_free[o],
					      kb(1UL << o));
	}
	pr_warn("%s= %lukB\n", line, kb(total));
}

/* Linux's show_free_areas (the part that exists here), printed after an
 * allocation failure. */
void show_free_areas(void)
{
	unsigned long ram = 0, high = 0, managed = 0, pcp = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		ram += zones[i].present_pages;
		managed += zones[i].managed_pages;
		pcp += pcp_pages(&zones[i]);
	}
	high = zones[ZONE_HIGHMEM].present_pages;
	pr_warn("Mem-Info:\n");
	pr_warn("free:%lu free_pcp:%lu\n", nr_free_pages(), pcp);
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (populated(&zones[i]))
			show_zone_free_line(&zones[i]);
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (populated(&zones[i]))
			show_zone_blocks(&zones[i]);
	pr_warn("%lu pages RAM\n", ram);
	pr_warn("%lu pages HighMem/MovableOnly\n", high);
	pr_warn("%lu pages reserved\n", ram - managed);
}

/* ---- counters ---- */

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		n += zone_counter_read(&zones[i].free_pages);
	return n;
}

unsigned long nr_free_highpages(void) { return zone_counter_read(&zones[ZONE_HIGHMEM].free_pages); }

unsigned long totalram_pages(void)
{
	unsigned long n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		n += zones[i].managed_pages;
	return n;
}

unsigned long totalhigh_pages(void) { return zones[ZONE_HIGHMEM].managed_pages; }

/* ---- gfp names, composite names first (as Linux's %pGg prints them) ---- */

static const struct {
	gfp_t mask;
	const char *name;
} gfp_names[] = {
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ __GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
};

void format_gfp(gfp_t gfp, char *buf, size_t size)
{
	size_t n;
	gfp_t left = gfp;
	const char *sep = "";

	if (!size)
		return;
	n = (size_t)snprintf(buf, size, "%#x(", gfp);
	if (!gfp)
		n = (size_t)snprintf(buf, size, "0x0(");
	for (size_t i = 0; i < ARRAY_SIZE(gfp_names); i++) {
		if ((left & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		left &= ~gfp_names[i].mask;
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", sep, gfp_names[i].name);
		sep = "|";
	}
	if (left && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%s%#x", sep, left);
	if (n < size)
		snprintf(buf + n, size - n, ")");
}
