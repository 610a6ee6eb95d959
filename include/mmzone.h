/* mmzone.h - zones, free areas, watermarks, per-CPU page lists (one node).
 *
 *   ZONE_DMA      pfn 0 .. 16 MB            (ISA DMA can only reach this)
 *   ZONE_NORMAL   16 MB .. max_low_pfn      (permanently mapped lowmem)
 *   ZONE_HIGHMEM  max_low_pfn .. max_pfn    (reached only through kmap*)
 *
 * Each zone has free_area[MAX_ORDER]: free_area[o] lists free blocks of 2^o
 * pages (their first struct page has PG_buddy and private = o). Watermarks
 * (min/low/high) follow Linux's formulas; lowmem_reserve[] keeps a request
 * that could have been served from a higher zone from eating a lower one.
 */
#ifndef HL_MMZONE_H
#define HL_MMZONE_H

#include "arch.h"
#include "gfp.h"
#include "list.h"
#include "spinlock.h"

enum zone_type { ZONE_DMA, ZONE_NORMAL, ZONE_HIGHMEM, MAX_NR_ZONES };
enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

#define MAX_DMA_PFN (16UL << (20 - PAGE_SHIFT))

struct free_area {
	struct list_head free_list;
	unsigned long nr_free; /* blocks on free_list */
};

/* The LRU lists (Linux's enum lru_list, same order): anonymous and file
 * pages, inactive before active, and the pages reclaim must never take
 * (ramfs page cache). mm/swap.c keeps them; mm/vmscan.c scans them. */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

/* A zone's LRU lists (Linux's struct lruvec; Linux 4.8+ keeps them per
 * node, Highland per zone as Linux 2.6-4.7 did, so reclaim can aim at the
 * zone under pressure). lru_lock guards the lists, nr[] and PG_lru/PG_active
 * of the pages on them; nr[] is what zoneinfo's nr_zone_* lines print. */
struct lruvec {
	spinlock_t lru_lock;
	struct list_head lists[NR_LRU_LISTS];
	unsigned long nr[NR_LRU_LISTS];
};

/* Blocks up to this order are cheap enough to keep per CPU; larger ones
 * are "costly" (Linux's PAGE_ALLOC_COSTLY_ORDER) and always come from the
 * buddy lists. */
#define PAGE_ALLOC_COSTLY_ORDER 3
#define NR_PCP_LISTS (PAGE_ALLOC_COSTLY_ORDER + 1)

/* Free blocks of orders 0..3 cached per CPU, one list per order: the
 * common alloc/free (single pages, kernel stacks, slabs) touches no zone
 * lock. Every page of a block on a list has PG_pcp; `count`, `high` and
 * `batch` are in pages, as Linux's are: a refill of order o moves
 * batch >> o blocks (at least one), a drain gives back about batch pages. */
struct per_cpu_pages {
	int count; /* pages on all the lists */
	int high;  /* drain batch pages to the buddy lists when count >= high */
	int batch; /* pages moved at once between these lists and the buddy lists */
	struct list_head lists[NR_PCP_LISTS]; /* lists[o]: blocks of order o */
} __attribute__((aligned(64))); /* a cache line each: no two CPUs write the same line,
				    and pcp[cpu] is a shift away */

struct zone {
	spinlock_t lock;
	const char *name;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;  /* end - start, holes included */
	unsigned long present_pages;  /* RAM in the span */
	unsigned long managed_pages;  /* pages given to the buddy allocator */
	unsigned long free_pages;     /* free pages, per-CPU lists included */
	unsigned long watermark[NR_WMARK];
	unsigned long lowmem_reserve[MAX_NR_ZONES];
	struct free_area free_area[MAX_ORDER];
	struct per_cpu_pages pcp[NR_CPUS];
	struct lruvec lruvec; /* its user pages, for reclaim (mm/swap.c) */
	/* statistics */
	unsigned long alloc_count, free_count, fail_count;
} __attribute__((aligned(1024))); /* &zones[page_zonenum(p)] is a shift on every free */

extern struct zone zones[MAX_NR_ZONES];

static inline struct zone *page_zone(const struct page *p) { return &zones[page_zonenum(p)]; }
static inline bool zone_is_empty(const struct zone *z) { return z->spanned_pages == 0; }
static inline unsigned long zone_end_pfn(const struct zone *z) { return z->zone_start_pfn + z->spanned_pages; }

/* ---- initialisation, in this order (arch setup calls them) ---- */
/* Zone boundaries: zone i spans [end[i-1], end[i]) (end[-1] = 0). Sets up
 * empty free areas; every struct page must already be initialised. */
void free_area_init(const unsigned long zone_end[MAX_NR_ZONES]);
/* Initialise mem_map[start..end): reserved, refcount 1, zone bits, PG_highmem.
 * A tight loop: this is what boot time is made of at 8 GB. */
void memmap_init(unsigned long start_pfn, unsigned long end_pfn);
/* Mark [start, end) present (RAM) in its zone (called for each RAM range). */
void zone_add_present(unsigned long start_pfn, unsigned long end_pfn);
/* Hand free RAM [start, end) to the buddy allocator in the largest aligned
 * blocks (bulk: not page by page through the general free path). */
void free_pages_bootmem_range(unsigned long start_pfn, unsigned long end_pfn);
/* Once all free RAM is in: watermarks, lowmem_reserve, per-CPU batch/high. */
void setup_per_zone_wmarks(void);
/* Once the other CPUs are up (arch setup): each CPU's per-CPU lists get
 * their share of the zone again (high: low watermark / nr_cpus, Linux's
 * zone_pcp_update at each CPU online). */
void zone_pcp_update(unsigned nr_cpus);

extern unsigned long min_free_kbytes;

/* ---- reports (Linux's /proc formats) and checks ---- */
void show_buddyinfo(void);   /* /proc/buddyinfo */
void show_zoneinfo(void);    /* /proc/zoneinfo, main fields */
void show_meminfo(void);     /* /proc/meminfo: MemTotal, MemFree, HighTotal, ... */
void show_free_areas(void);  /* the failure report: each zone's free pages */
/* The same reports into a seq_file (/proc/buddyinfo, zoneinfo, meminfo, vmstat). */
struct seq_file;
void buddyinfo_show(struct seq_file *m);
void zoneinfo_show(struct seq_file *m);
void meminfo_show(struct seq_file *m);
void vmstat_show(struct seq_file *m);
/* mm/proc_meminfo.c: MemAvailable in pages, Linux's estimate of what could be
 * allocated without swapping. */
unsigned long si_mem_available(void);
/* Pages mapped by all processes, for Committed_AS (kernel/proc_misc.c). */
unsigned long committed_as_pages(void);
/* The architecture's meminfo lines: DirectMap4k/2M (arch/x86/meminfo.c). */
void arch_report_meminfo(struct seq_file *m);
/* Check every free list: alignment, order, flags, counts per zone. Returns
 * the number of problems (each reported with printk); 0 when consistent. */
int check_free_areas(void);
/* Return every per-CPU list to the buddy lists (tests, reports). */
void drain_all_pages(void);

unsigned long nr_free_pages(void);
unsigned long nr_free_highpages(void);
unsigned long totalram_pages(void);
unsigned long totalhigh_pages(void);

/* debug_pagealloc=on: run check_free_areas() after every buddy operation,
 * and poison freed pages (0xaa), reporting any write to a free page when it
 * is allocated again (page_poison_reports counts them). */
extern bool debug_pagealloc;
extern unsigned long page_poison_reports;

#endif
