/* zone_init.c - from raw frames to zones with free lists and watermarks.
 *
 * Boot calls, in order: memmap_init(0, max_pfn) (every struct page reserved),
 * free_area_init(zone ends), zone_add_present() for each RAM range,
 * free_pages_bootmem_range() for each free range, setup_per_zone_wmarks().
 *
 * The first two touch every struct page of the machine (2.3 million at
 * 8 GB), so each page costs a handful of stores and no more.
 */
#include "kstring.h"
#include "mm_inline.h"
#include "mmzone.h"
#include "page_internal.h"
#include "printk.h"

struct page *mem_map;
struct zone zones[MAX_NR_ZONES];
/* Set by mm/memsplit.c at boot; defined here so the hosted build of mm/
 * links without the arch code. */
unsigned long max_pfn, max_low_pfn, high_memory, vmalloc_start;
unsigned long min_free_kbytes;

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "Normal", "HighMem" };
static const char *const zone_lock_names[MAX_NR_ZONES] = {
	"zones[DMA].lock", "zones[Normal].lock", "zones[HighMem].lock",
};

/* ---- struct pages ---- */

/* One flags word per zone range, then constant stores: 8 stores and the
 * loop step per page. lru is poisoned, as after list_del: a page that is
 * on no list. */
static void init_page_range(unsigned long start, unsigned long end, u32 flags)
{
	struct page *p = mem_map + start, *stop = mem_map + end;

	for (; p < stop; p++) {
		p->flags = flags;
		p->_refcount = 1;
		p->_mapcount = -1;
		p->private = 0;
		p->lru.next = LIST_POISON1;
		p->lru.prev = LIST_POISON2;
		p->mapping = NULL;
		p->index = 0;
	}
}

/* The zone of a pfn follows from MAX_DMA_PFN and max_low_pfn alone, so the
 * zone bits can be set before the zones exist (free_area_init checks that
 * its boundaries agree). */
void memmap_init(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long dma_end = MIN(MAX_DMA_PFN, max_low_pfn);
	u32 rsv = 1u << PG_reserved;

	if (end_pfn > max_pfn) {
		pr_err("memmap_init: end pfn %#lx beyond max_pfn %#lx: mem_map stops there\n",
		       end_pfn, max_pfn);
		end_pfn = max_pfn;
	}
	init_page_range(start_pfn, MIN(end_pfn, dma_end), rsv | (u32)ZONE_DMA << ZONES_SHIFT);
	init_page_range(MAX(start_pfn, dma_end), MIN(end_pfn, max_low_pfn),
			rsv | (u32)ZONE_NORMAL << ZONES_SHIFT);
	init_page_range(MAX(start_pfn, max_low_pfn), end_pfn,
			rsv | (1u << PG_highmem) | (u32)ZONE_HIGHMEM << ZONES_SHIFT);
}

/* ---- zones ---- */

static void zone_init_one(struct zone *z, int i, unsigned long start, unsigned long end)
{
	memset(z, 0, sizeof(*z));
	spin_lock_init(&z->lock, zone_lock_names[i]);
	z->name = zone_names[i];
	z->zone_start_pfn = start;
	z->spanned_pages = end - start;
	for (int o = 0; o < MAX_ORDER; o++)
		INIT_LIST_HEAD(&z->free_area[o].free_list);
	lruvec_init(&z->lruvec, i); /* mm/swap.c */
	/* Until setup_per_zone_wmarks: what the formulas give an empty zone
	 * before it has watermarks (batch 1, high 4 batches). */
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		for (int o = 0; o < NR_PCP_LISTS; o++)
			INIT_LIST_HEAD(&z->pcp[cpu].lists[o]);
		z->pcp[cpu].batch = 1;
		z->pcp[cpu].high = 4;
	}
}

void free_area_init(const unsigned long zone_end[MAX_NR_ZONES])
{
	unsigned long start = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		unsigned long end = zone_end[i];
		if (end > max_pfn) {
			pr_err("free_area_init: zone %s ends at pfn %#lx, beyond max_pfn %#lx\n",
			       zone_names[i], end, max_pfn);
			end = max_pfn;
		}
		if (end < start)
			end = start; /* an empty zone */
		zone_init_one(&zones[i], i, start, end);
		start = end;
	}
	if (zone_end[ZONE_DMA] != MIN(MAX_DMA_PFN, max_low_pfn) || zone_end[ZONE_NORMAL] != max_low_pfn)
		pr_err("free_area_init: zone ends %#lx/%#lx differ from the zone bits memmap_init "
		       "gave the pages (DMA below %#lx, Normal below %#lx)\n", zone_end[ZONE_DMA],
		       zone_end[ZONE_NORMAL], MIN(MAX_DMA_PFN, max_low_pfn), max_low_pfn);
}

void zone_add_present(unsigned long start_pfn, unsigned long end_pfn)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];
		unsigned long s = MAX(start_pfn, z->zone_start_pfn);
		unsigned long e = MIN(end_pfn, zone_end_pfn(z));
		if (s < e)
			z->present_pages += e - s;
	}
}

/* ---- handing free RAM to the buddy allocator ---- */

/* The largest naturally aligned block that starts at pfn and ends by end. */
static unsigned block_order(unsigned long pfn, unsigned long end)
{
	unsigned order = (unsigned)__builtin_ctzl(pfn | (1UL << (MAX_ORDER - 1)));

	while (pfn + (1UL << order) > end)
		order--;
	return order;
}

/* Read-only first, so a bad block is refused without changing anything. */
static bool block_all_reserved(unsigned long pfn, unsigned long n)
{
	for (const struct page *p = pfn_to_page(pfn), *e = p + n; p < e; p++)
		if (!PageReserved(p) || p->_refcount != 1)
			return false;
	return true;
}

static void block_release(unsigned long pfn, unsigned long n)
{
	for (struct page *p = pfn_to_page(pfn), *e = p + n; p < e; p++) {
		p->flags &= ~(1u << PG_reserved);
		p->_refcount = 0;
	}
}

/* [start, end) lies within zone z. Whole blocks go straight onto the free
 * lists; __free_one_page merges only at the edges, where a block meets one
 * freed earlier (adjacent ranges). Returns pages refused. */
static unsigned long bootmem_free_zone(struct zone *z, unsigned long start, unsigned long end)
{
	unsigned long refused = 0;
	unsigned long f = spin_lock_irqsave(&z->lock);

	while (start < end) {
		unsigned order = block_order(start, end);
		unsigned long n = 1UL << order;
		if (likely(block_all_reserved(start, n))) {
			block_release(start, n);
			__free_one_page(z, start, order);
			z->managed_pages += n;
			zone_counter_add(&z->free_pages, n);
		} else {
			if (!refused)
				pr_err("free_pages_bootmem_range: pfn %#lx..%#lx is not reserved RAM "
				       "(freed twice?): refused\n", start, start + n - 1);
			refused += n;
		}
		start += n;
	}
	spin_unlock_irqrestore(&z->lock, f);
	return refused;
}

void free_pages_bootmem_range(unsigned long start_pfn, unsigned long end_pfn)
{
	if (end_pfn > max_pfn)
		end_pfn = max_pfn;
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];
		unsigned long s = MAX(start_pfn, z->zone_start_pfn);
		unsigned long e = MIN(end_pfn, zone_end_pfn(z));
		if (s < e)
			bootmem_free_zone(z, s, e);
	}
	if (unlikely(debug_pagealloc))
		debug_pagealloc_check(NULL, "free_pages_bootmem_range");
}

/* ---- watermarks, lowmem_reserve, per-CPU batch ---- */

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	for (; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/* a * b / c without overflow and without libgcc's 64-bit division (boot
 * only, so a bit-by-bit long division is fine). The result fits: callers
 * have b <= c or a small a. */
static unsigned long mul_div(unsigned long a, unsigned long b, unsigned long c)
{
	u64 n = (u64)a * b, q = 0, r = 0;

	for (int i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= c) {
			r -= c;
			q |= 1ULL << i;
		}
	}
	return (unsigned long)q;
}

static unsigned long clamp_ul(unsigned long v, unsigned long lo, unsigned long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void set_zone_wmarks(struct zone *z, bool highmem, unsigned long pages_min,
			    unsigned long lowmem)
{
	unsigned long managed = z->managed_pages;
	/* this zone's share of min_free_kbytes, by its part of lowmem */
	unsigned long share = lowmem ? mul_div(pages_min, managed, lowmem) : 0;
	/* HighMem's reserve is only for highmem-only users: small and fixed. */
	unsigned long min = highmem ? clamp_ul(managed / 1024, 32, 128) : share;
	/* the watermark_scale_factor (10/10000) term, as mult_frac */
	unsigned long scale = managed / 10000 * 10 + managed % 10000 * 10 / 10000;
	unsigned long tmp = MAX(share / 4, scale);

	unsigned long f = spin_lock_irqsave(&z->lock);
	z->watermark[WMARK_MIN] = min;
	z->watermark[WMARK_LOW] = min + tmp;
	z->watermark[WMARK_HIGH] = min + 2 * tmp;
	spin_unlock_irqrestore(&z->lock, f);
}

/* zones[j].lowmem_reserve[i]: pages zone j keeps back from a request whose
 * class is zone i > j - the managed pages of zones j+1..i over j's ratio. */
static void setup_lowmem_reserve(void)
{
	static const unsigned ratio[MAX_NR_ZONES] = { 256, 32, 0 };

	for (int j = 0; j < MAX_NR_ZONES; j++) {
		struct zone *z = &zones[j];
		bool none = !ratio[j] || !z->managed_pages;
		unsigned long above = 0;
		for (int i = 0; i <= j; i++)
			z->lowmem_reserve[i] = 0;
		for (int i = j + 1; i < MAX_NR_ZONES; i++) {
			above += zones[i].managed_pages;
			z->lowmem_reserve[i] = none ? 0 : above / ratio[j];
		}
	}
}

static unsigned long rounddown_pow_of_two(unsigned long x)
{
	return 1UL << (sizeof(long) * 8 - 1 - (unsigned)__builtin_clzl(x));
}

/* About a quarter of a per-mille of the zone, at most 63, one less than a
 * power of two (Linux's reason: batches then do not keep hitting the same
 * cache colours). */
static int zone_batchsize(unsigned long managed)
{
	unsigned long b = MIN(managed >> 10, 256UL) / 4;

	if (b < 1)
		b = 1;
	b = rounddown_pow_of_two(b + b / 2) - 1;
	return b < 1 ? 1 : (int)b;
}

/* How many CPUs share each zone's per-CPU lists: 1 at boot (only the boot
 * CPU runs), the online count once zone_pcp_update has run. */
static unsigned pcp_nr_cpus = 1;

/* high: the zone's low watermark split among the CPUs, at least 4 batches
 * (Linux 6.1's zone_highsize). A page on a per-CPU list counts as free,
 * but only its CPU can hand it out (the slow path drains its own lists),
 * so all the lists together hold about low's worth at most: a zone above
 * low always has buddy pages too. Big enough that a burst the size of a
 * vmalloc(1 MB) comes back to the list it was taken from, without a split
 * and a merge per page, on a zone of a few hundred MB. */
static int zone_highsize(const struct zone *z, int batch, unsigned nr_cpus)
{
	int high = (int)(z->watermark[WMARK_LOW] / nr_cpus);

	return high > 4 * batch ? high : 4 * batch;
}

static void setup_pcp(struct zone *z)
{
	int batch = zone_batchsize(z->managed_pages);
	int high = zone_highsize(z, batch, pcp_nr_cpus);
	unsigned long f = spin_lock_irqsave(&z->lock);

	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		/* Other CPUs may be running: each field is one aligned store, and
		 * a CPU reading the old or the new value mid-update only drains a
		 * little earlier or later. */
		__atomic_store_n(&z->pcp[cpu].batch, batch, __ATOMIC_RELAXED);
		__atomic_store_n(&z->pcp[cpu].high, high, __ATOMIC_RELAXED);
		/* debug_pagealloc: no page waits on a per-CPU list, so every free
		 * and allocation passes the poisoning in pcp_drain/pcp_refill and
		 * the fast path stays free of debug checks. */
		if (debug_pagealloc) {
			z->pcp[cpu].batch = 1;
			z->pcp[cpu].high = 0;
		}
	}
	spin_unlock_irqrestore(&z->lock, f);
}

void zone_pcp_update(unsigned nr_cpus)
{
	pcp_nr_cpus = nr_cpus ? nr_cpus : 1;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		setup_pcp(&zones[i]);
}

void setup_per_zone_wmarks(void)
{
	unsigned long lowmem = zones[ZONE_DMA].managed_pages + zones[ZONE_NORMAL].managed_pages;
	unsigned long kbytes = lowmem << (PAGE_SHIFT - 10);

	min_free_kbytes = clamp_ul(int_sqrt(kbytes * 16), 128, 262144);
	unsigned long pages_min = min_free_kbytes >> (PAGE_SHIFT - 10);
	for (int i = 0; i < MAX_NR_ZONES; i++)
		set_zone_wmarks(&zones[i], i == ZONE_HIGHMEM, pages_min, lowmem);
	setup_lowmem_reserve();
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		setup_pcp(&zones[i]);
		int j = i;
		while (j > 0 && !zones[j].managed_pages)
			j--;
		preferred_zone[i] = &zones[j];
	}
}
