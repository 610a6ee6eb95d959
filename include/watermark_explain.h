/* watermark_explain.h - why the page allocator refused a request: which
 * zone's min watermark, which lowmem_reserve, or fragmentation. */
#ifndef HL_WATERMARK_EXPLAIN_H
#define HL_WATERMARK_EXPLAIN_H

#include "gfp.h"
#include "mmzone.h"

enum zone_verdict {
	ZONE_OK,           /* would serve the request */
	ZONE_EMPTY,        /* no pages at this RAM size */
	ZONE_BELOW_MIN,    /* taking the pages would go below the min watermark */
	ZONE_RESERVE,      /* above min, but not above min + lowmem_reserve[class] */
	ZONE_FRAGMENTED,   /* passes the watermark, no free block that large */
};

/* The check zone_watermark_ok() makes, for zone z, a request of 2^order
 * pages whose first zone is `classzone` (ZONE_HIGHMEM for __GFP_HIGHMEM),
 * with the reason in buf (one line, no newline). */
enum zone_verdict zone_explain(const struct zone *z, unsigned order, gfp_t gfp, int classzone,
			       char *buf, size_t size);
/* Print one line per zone the request may use, in the order the allocator
 * tries them, each saying why it refused (or that it would serve it now). */
void explain_alloc_failure(gfp_t gfp, unsigned order);

#endif
