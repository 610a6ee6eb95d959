/* highmem.h - temporary kernel mappings of pages that have no permanent one.
 *
 * kmap_atomic(page): a per-CPU stack of KM_MAX_IDX (16) fixmap slots. Mapping
 * is one PTE write and no TLB flush (the slot was cleared and invalidated
 * when it was last unmapped); unmapping clears the PTE and does one local
 * invlpg. Lowmem pages return their direct-map address and use no slot.
 * Unmaps must be in reverse order (a stack); violations and nesting deeper
 * than 16 are reported. kmap_atomic never sleeps.
 * kmap_local_page: the same slots (per task once threads exist).
 */
#ifndef HL_HIGHMEM_H
#define HL_HIGHMEM_H

#include "arch.h"
#include "mm.h"

/* This CPU's slot stack: depth, and the address each slot maps (to check
 * that unmaps come in reverse order). */
struct kmap_ctrl {
	int idx;
	void *addr[KM_MAX_IDX];
};
extern struct kmap_ctrl kmap_ctrl[NR_CPUS];
extern unsigned long kmap_atomic_count;  /* highmem pages mapped through a slot */
extern unsigned long kmap_atomic_errors; /* misuses reported */

/* Out of line: lowmem pages, nesting too deep, and every misuse report. */
void *kmap_atomic_slow(struct page *page, void *caller);
void kunmap_atomic_slow(void *addr, void *caller);

/* Map a page for a short, non-sleeping use; lowmem pages use no slot. The
 * fast path is inline: a few instructions and one PTE write. */
static inline void *kmap_atomic(struct page *page)
{
	unsigned cpu = arch_cpu_id();
	struct kmap_ctrl *c = &kmap_ctrl[cpu];
	int idx = c->idx;

	if (unlikely(!PageHighMem(page) || idx >= KM_MAX_IDX))
		return kmap_atomic_slow(page, _THIS_IP_);
	c->idx = idx + 1;
	void *va = arch_kmap_atomic_map(cpu * KM_MAX_IDX + (unsigned)idx, page_to_pfn(page));
	c->addr[idx] = va;
	kmap_atomic_count++;
	return va;
}

/* Unmap the most recent kmap_atomic (any address inside its page); a lowmem
 * address is accepted and ignored. Anything else is reported, not done. */
static inline void kunmap_atomic(void *addr)
{
	void *va = (void *)((unsigned long)addr & PAGE_MASK);
	unsigned cpu = arch_cpu_id();
	struct kmap_ctrl *c = &kmap_ctrl[cpu];
	int idx = c->idx - 1;

	if (likely(idx >= 0 && c->addr[idx] == va)) {
		c->idx = idx;
		arch_kmap_atomic_unmap(cpu * KM_MAX_IDX + (unsigned)idx);
		return;
	}
	kunmap_atomic_slow(addr, _THIS_IP_);
}

/* Until threads exist (the SMP issue), local mappings share the stack. */
static inline void *kmap_local_page(struct page *page) { return kmap_atomic(page); }
static inline void kunmap_local(void *addr) { kunmap_atomic(addr); }
/* kmap_atomic slots in use on this CPU. */
static inline int kmap_atomic_depth(void) { return kmap_ctrl[arch_cpu_id()].idx; }

void clear_highpage(struct page *page);
void copy_highpage(struct page *to, struct page *from);
void memcpy_to_page(struct page *page, size_t offset, const void *from, size_t len);
void memcpy_from_page(void *to, struct page *page, size_t offset, size_t len);

#endif
