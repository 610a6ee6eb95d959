/* vmalloc_internal.h - what mm/vmalloc.c shares with its reports
 * (mm/vmalloc_report.c): the area, the state under vmap_lock. */
#ifndef HL_VMALLOC_INTERNAL_H
#define HL_VMALLOC_INTERNAL_H

#include "list.h"
#include "spinlock.h"
#include "vmalloc_area.h"

/* One vmalloc() or vmap() area. node covers the mapped pages and the guard
 * page after them: [node.start, node.end), nr_pages + 1 pages. Every node
 * the range allocator holds is one of these blocks (node first, so the
 * block and its node share an address): a freed area's block may become a
 * free-range node, and a spare node may become the next area. */
struct vmap_area {
	struct va_node node;
	unsigned flags;         /* VM_ALLOC or VM_MAP */
	unsigned nr_pages;      /* pages mapped (guard page excluded) */
	const void *caller;     /* who allocated it (/proc/vmallocinfo, reports) */
	struct list_head purge; /* on vmap_purge_list once freed */
};

extern spinlock_t vmap_lock;
extern struct va_space vmap_space;       /* free address ranges */
extern struct va_node *vmap_busy;        /* live areas, by address */
extern struct list_head vmap_purge_list; /* freed, unmapped, not yet flushed */
extern unsigned long nr_vmalloc_pages;   /* pages owned by vmalloc areas (VmallocUsed) */

/* Take vmap_lock with at least `want` spare nodes stashed (false: no memory). */
bool vmap_lock_with_nodes(unsigned want, unsigned long *irq);
/* Drop vmap_lock, freeing surplus spare nodes after it. */
void vmap_unlock_trim(unsigned long irq);

#endif
