/* highmem.h - temporary kernel mappings of pages that have no permanent one.
 *
 * kmap_atomic(page): a per-CPU stack of KM_MAX_IDX (16) fixmap slots. Mapping
 * is one PTE write and no TLB flush (the slot was cleared and invalidated
 * when it was last unmapped); unmapping clears the PTE and does one local
 * invlpg. Lowmem pages return their direct-map address and use no slot.
 * Unmaps must be in reverse order (a stack); violations and nesting deeper
 * than 16 are reported. kmap_atomic disables preemption until its unmap
 * (and so must not sleep); lowmem pages too, as in Linux.
 *
 * kmap_local_page (Linux >= 5.11): the same slots, but the mappings belong
 * to the task, not to the CPU, and preemption stays on. When the scheduler
 * switches tasks it saves the outgoing task's mappings (their frames) and
 * clears its slots, then re-installs the incoming task's at the same slots
 * (kmap_local_switch). A task never changes CPU, so its mappings keep their
 * addresses across the switch; two tasks on one CPU may even use the same
 * address for different pages, each seeing its own. Interrupt handlers
 * use slots above the interrupted task's and free them before returning,
 * so at a switch every slot in use is the outgoing task's.
 */
#ifndef HL_HIGHMEM_H
#define HL_HIGHMEM_H

#include "arch.h"
#include "mm.h"
#include "pkmap.h" /* kmap()/kunmap(): the persistent, sleeping kind */
#include "preempt.h"

/* This CPU's slot stack: depth, and the address each slot maps (to check
 * that unmaps come in reverse order). */
struct kmap_ctrl {
	int idx;
	unsigned slot_base;     /* this CPU's first fixmap kmap slot: cpu * KM_MAX_IDX */
	void *addr[KM_MAX_IDX];
};
extern struct kmap_ctrl kmap_ctrl[NR_CPUS];
extern unsigned long kmap_atomic_count;  /* highmem pages mapped through a slot */
extern unsigned long kmap_atomic_errors; /* misuses reported */

/* A switched-out task's local mappings: their frames, oldest first. */
struct kmap_saved {
	int nr;
	unsigned long pfn[KM_MAX_IDX];
};

/* Out of line: lowmem pages, nesting too deep, and every misuse report.
 * `atomic`: the kmap_atomic flavour, whose preempt count they keep right. */
void *kmap_slow(struct page *page, bool atomic, void *caller);
void kunmap_slow(void *addr, bool atomic, void *caller);

/* Push page onto this CPU's slot stack (the caller has preemption off):
 * a few instructions and one PTE write. */
static inline void *__kmap_push(struct page *page, bool atomic)
{
	struct kmap_ctrl *c = arch_kmap_ctrl();
	int idx = c->idx;

	if (unlikely(!PageHighMem(page) || idx >= KM_MAX_IDX))
		return kmap_slow(page, atomic, _THIS_IP_);
	c->idx = idx + 1;
	void *va = arch_kmap_atomic_map(c->slot_base + (unsigned)idx, page_to_pfn(page));
	c->addr[idx] = va;
	kmap_atomic_count++;
	return va;
}

/* Pop the top slot if addr (any address inside its page) is its mapping. */
static inline bool __kunmap_pop(void *addr)
{
	void *va = (void *)((unsigned long)addr & PAGE_MASK);
	struct kmap_ctrl *c = arch_kmap_ctrl();
	int idx = c->idx - 1;

	if (likely(idx >= 0 && c->addr[idx] == va)) {
		c->idx = idx;
		arch_kmap_atomic_unmap(c->slot_base + (unsigned)idx);
		return true;
	}
	return false;
}

/* Map a page for a short, non-sleeping use; preemption stays off until
 * kunmap_atomic. NULL (preemption back on) if the slots ran out. */
static inline void *kmap_atomic(struct page *page)
{
	preempt_disable();
	return __kmap_push(page, true);
}

/* Unmap the most recent kmap_atomic (any address inside its page); a lowmem
 * address is accepted and ignored. Anything else is reported, not done. */
static inline void kunmap_atomic(void *addr)
{
	if (likely(__kunmap_pop(addr)))
		preempt_enable();
	else
		kunmap_slow(addr, true, _THIS_IP_);
}

/* Map a page for this task; it may sleep and be preempted while mapped.
 * Preemption is off only while the slot stack is updated. */
static inline void *kmap_local_page(struct page *page)
{
	preempt_disable();
	void *va = __kmap_push(page, false);
	preempt_enable();
	return va;
}

static inline void kunmap_local(void *addr)
{
	preempt_disable();
	if (!__kunmap_pop(addr))
		kunmap_slow(addr, false, _THIS_IP_);
	preempt_enable();
}

/* kmap slots in use on this CPU (the running task's and its interrupts'). */
static inline int kmap_atomic_depth(void) { return kmap_ctrl[arch_cpu_id()].idx; }

/* Task switch (the scheduler, interrupts off): save the outgoing task's
 * mappings into `out` and clear its slots, install the incoming one's. */
void kmap_local_sched_out(struct kmap_saved *out);
void kmap_local_sched_in(const struct kmap_saved *in);
static inline void kmap_local_switch(struct kmap_saved *out, const struct kmap_saved *in)
{
	out->nr = 0;
	if (kmap_ctrl[arch_cpu_id()].idx)
		kmap_local_sched_out(out);
	if (in->nr)
		kmap_local_sched_in(in);
}

/* A task exits: mappings it left behind are reported (the task's name and
 * pid, each page) and removed. Returns how many there were. */
int kmap_local_task_exit(const char *name, int pid);
extern unsigned long kmap_local_leaks; /* such reports */

void clear_highpage(struct page *page);
void copy_highpage(struct page *to, struct page *from);
void memcpy_to_page(struct page *page, size_t offset, const void *from, size_t len);
void memcpy_from_page(void *to, struct page *page, size_t offset, size_t len);

#endif
