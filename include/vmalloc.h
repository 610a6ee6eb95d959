/* vmalloc.h - virtually contiguous kernel memory, from any frames.
 *
 * Areas live between VMALLOC_START and VMALLOC_END (vmalloc= sets the size),
 * each followed by one unmapped guard page. vmalloc() takes its pages one at
 * a time, from HIGHMEM when there is any: that is the point, vmalloc memory
 * needs no lowmem. The page tables for the whole area were allocated at
 * boot, so mapping never allocates page tables. vfree() unmaps at once but
 * flushes the TLB lazily: freed ranges pile up until a threshold, then one
 * flush covers them all.
 */
#ifndef HL_VMALLOC_H
#define HL_VMALLOC_H

#include "gfp.h"
#include "pgtable.h"
#include "types.h"

#define VM_ALLOC 0x1u /* vmalloc(): pages owned by the area */
#define VM_MAP 0x2u   /* vmap(): pages owned by the caller */


void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/* Lowmem pages only (for callers that need 32-bit-reachable... and lowmem). */
void *vmalloc_32(unsigned long size);
/* vfree(NULL) does nothing; anything else vmalloc did not return is reported. */
void vfree(const void *addr);
void *vmap(struct page **pages, unsigned count, unsigned long flags, pgprot_t prot);
void vunmap(const void *addr);
struct page *vmalloc_to_page(const void *addr);
bool is_vmalloc_addr(const void *addr);

/* kmalloc quietly, fall back to vmalloc for big or fragmented requests. */
void *kvmalloc(size_t size, gfp_t gfp);
void *kvzalloc(size_t size, gfp_t gfp);
void kvfree(const void *addr);

/* /proc/vmallocinfo format. */
void show_vmallocinfo(void);
/* The same into a seq_file (/proc/vmallocinfo): Linux's lines only. */
struct seq_file;
void vmallocinfo_show(struct seq_file *m);
/* meminfo: VmallocTotal, VmallocUsed (kB). */
unsigned long vmalloc_total_kb(void);
unsigned long vmalloc_used_kb(void);
/* For the page-fault oops: if addr is in vmalloc space, print which area (or
 * whose guard page) it hit and return true. */
bool vmalloc_explain_fault(unsigned long addr);
/* Called once the page allocator and kmalloc work. */
void vmalloc_init(void);

/* ---- additions beyond the API ---- */
/* Purge now (Linux's name): one TLB flush covers every lazily freed range,
 * and those ranges become free space again. */
void vm_unmap_aliases(void);
/* Free vmalloc space in bytes (lazily freed ranges not counted until the
 * purge) and its longest free range: for tests and reports. */
unsigned long vmalloc_free_bytes(void);
unsigned long vmalloc_largest_free(void);
/* Free the spare area nodes kept for the next allocations (up to 8
 * kmalloc objects), so a test can count slab objects exactly. */
void vmalloc_drop_spares(void);
/* Check the free-range and live-area trees (order, balance, sizes) and that
 * no live area overlaps free space; problems are reported and counted. */
int vmalloc_check(void);

/* Pages of freed areas (guard pages included) waiting for the TLB flush,
 * and the threshold that triggers it (vmap_lazy=SIZE; default 8 MB). */
extern unsigned long vmap_lazy_pages, vmap_lazy_max_pages;
/* Purges done, each one TLB flush of the vmalloc space. */
extern unsigned long vmap_purge_count;
/* Misuse reports (bad vfree/vunmap/vmap arguments) since boot. */
extern unsigned long vmalloc_reports;

#endif
