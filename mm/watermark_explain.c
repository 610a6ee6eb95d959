/* watermark_explain.c - a failed allocation, explained. The allocator's
 * own check (zone_watermark_ok in page_alloc.c) is one comparison per zone;
 * its report (show_free_areas) gives the figures but not the verdict. This
 * file repeats the comparison with the figures named, so that a student who
 * sees "no block of order 0" learns it was the min watermark of Normal, or
 * Normal's lowmem_reserve against HighMem-capable requests, or
 * fragmentation. It only reads struct zone; it changes nothing. */
#include "kstring.h"
#include "printk.h"
#include "watermark_explain.h"

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "Normal", "HighMem" };

/* The largest order with a free block in z (-1: none). Unlocked: a report. */
static int largest_free_order(const struct zone *z)
{
	for (int o = MAX_ORDER - 1; o >= 0; o--)
		if (__atomic_load_n(&z->free_area[o].nr_free, __ATOMIC_RELAXED))
			return o;
	return -1;
}

enum zone_verdict zone_explain(const struct zone *z, unsigned order, gfp_t gfp, int classzone,
			       char *buf, size_t size)
{
	long min = (long)z->watermark[WMARK_MIN], mark = min;
	long free = (long)__atomic_load_n(&z->free_pages, __ATOMIC_RELAXED);
	long after = free - (1L << order);
	long reserve = (long)z->lowmem_reserve[classzone];
	const char *name = z->name ? z->name : "?";

	if (!z->managed_pages) {
		snprintf(buf, size, "%s: empty at this RAM size", name);
		return ZONE_EMPTY;
	}
	if (gfp & __GFP_HIGH)
		mark -= mark / 2;
	if (after + 1 <= mark) {
		snprintf(buf, size, "%s: refused by the min watermark: %ld free, taking %lu would "
			 "leave %ld, not above %s %ld", name, free, 1UL << order, after,
			 gfp & __GFP_HIGH ? "min/2 (__GFP_HIGH)" : "min", mark);
		return ZONE_BELOW_MIN;
	}
	if (after + 1 <= mark + reserve) {
		snprintf(buf, size, "%s: refused by lowmem_reserve[%s] %ld: %ld free, taking %lu "
			 "would leave %ld, not above min %ld + %ld kept for requests that cannot "
			 "use %s", name, zone_names[classzone], reserve, free, 1UL << order, after,
			 mark, reserve, zone_names[classzone]);
		return ZONE_RESERVE;
	}
	int big = largest_free_order(z);
	if (big < (int)order) {
		snprintf(buf, size, "%s: passes the watermark (%ld free > min %ld + reserve %ld) but "
			 "has no free block of order %u (largest: %d): fragmented", name, after + 1,
			 mark, reserve, order, big);
		return ZONE_FRAGMENTED;
	}
	snprintf(buf, size, "%s: would serve it now: %ld free, above min %ld + reserve %ld", name,
		 free, mark, reserve);
	return ZONE_OK;
}

void explain_alloc_failure(gfp_t gfp, unsigned order)
{
	int classzone = gfp & __GFP_DMA ? ZONE_DMA : gfp & __GFP_HIGHMEM ? ZONE_HIGHMEM : ZONE_NORMAL;
	char line[256];

	printk("why: an order-%u request may use %s; each zone, in the order tried:\n", order,
	       classzone == ZONE_HIGHMEM ? "HighMem, then Normal, then DMA" :
	       classzone == ZONE_NORMAL ? "Normal, then DMA" : "DMA only");
	for (int i = classzone; i >= 0; i--) {
		zone_explain(&zones[i], order, gfp, classzone, line, sizeof(line));
		printk("  %s\n", line);
	}
}
