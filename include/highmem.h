/* highmem.h - temporary kernel mappings of pages that have no permanent one.
 *
 * kmap_atomic(page): a per-CPU stack of KM_MAX_IDX (16) fixmap slots. Mapping
 * is one PTE write and no TLB flush (the slot was cleared and invalidated
 * when it was last unmapped); unmapping clears the PTE and does one local
 * invlpg. Lowmem pages return their direct-map address and use no slot.
 * Unmaps must be in reverse order (a stack); a violation is reported and
 * changes nothing. Nesting deeper than 16 is a kernel BUG: the report, a
 * backtrace, and the kernel stops (Linux's BUG_ON in kmap_atomic_idx_push) -
 * callers never see a NULL. kmap_atomic disables preemption and page faults
 * (include/uaccess.h) until its unmap, so it must not sleep; lowmem pages
 * too, as in Linux. kunmap_atomic takes the address kmap_atomic returned
 * (or any address inside that page): a fixmap address that is not the top
 * slot's, a lowmem address inside mem_map (a struct page passed by
 * mistake) or any address outside the direct map is refused and reported,
 * nothing unmapped; a `struct page *` argument does not even compile.
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
#include "kmap_types.h"
#include "mm.h"
#include "pkmap.h" /* kmap()/kunmap(): the persistent, sleeping kind */
#include "preempt.h"
#include "uaccess.h"

extern struct kmap_ctrl kmap_ctrl[NR_CPUS];
extern unsigned long kmap_atomic_errors; /* misuses reported */
/* Highmem pages mapped through a slot since boot, all CPUs (each counts its own). */
unsigned long kmap_atomic_count(void);

/* Out of line: lowmem pages, and nesting too deep (a BUG: does not return).
 * `atomic`: the kmap_atomic flavour, whose counts it keeps right. */
void *kmap_slow(struct page *page, bool atomic, void *caller);
/* Out of line: an unmap that is not the top slot's address - an address
 * inside the top slot's page (popped here), a lowmem page's direct-map
 * address (fine) or a misuse (reported, nothing changes). */
void kunmap_slow(void *addr, bool atomic, void *caller);

/* Push page onto this CPU's slot stack (the caller has preemption off):
 * a few instructions and one PTE write. The slot's PTE and address come
 * from c's tables (arch_kmap_push), so nothing is computed from the slot
 * number on the way. */
static inline void *__kmap_push(struct kmap_ctrl *c, struct page *page, bool atomic)
{
	int idx = c->idx;

	if (unlikely(!PageHighMem(page) || idx >= KM_MAX_IDX))
		return kmap_slow(page, atomic, _THIS_IP_);
	c->idx = idx + 1;
	c->maps++;
	return arch_kmap_push(c, idx + 1, page_to_pfn(page));
}

/* Pop the top slot if addr is its mapping, exactly as kmap returned it
 * (kunmap_atomic's callers pass that: an address inside the page goes
 * round through kunmap_slow, which pops it too, and the fast path saves
 * the masking; kunmap_local masks first). An empty stack's addr[0] is the
 * guard, which matches nothing. */
static inline bool __kunmap_pop(struct kmap_ctrl *c, void *addr)
{
	int idx = c->idx;

	if (likely(c->addr[idx] == addr)) {
		c->idx = idx - 1;
		arch_kmap_pop(c, idx, addr);
		return true;
	}
	return false;
}

/* Map a page for a short, non-sleeping use; preemption and page faults
 * stay off until kunmap_atomic. Never NULL: running out of slots is a BUG. */
static inline void *kmap_atomic(struct page *page)
{
	preempt_disable();
	struct kmap_ctrl *c = arch_kmap_ctrl();
	c->pagefault_disabled++; /* pagefault_disable(), on the kmap_ctrl at hand */
	pagefault_barrier();
	return __kmap_push(c, page, true);
}

/* Unmap the most recent kmap_atomic (any address inside its page); the
 * direct-map address of a lowmem page is accepted and ignored. Anything
 * else is reported, not done. */
static inline void __kunmap_atomic(void *addr)
{
	struct kmap_ctrl *c = arch_kmap_ctrl();

	if (likely(__kunmap_pop(c, addr))) {
		pagefault_barrier();
		c->pagefault_disabled--; /* pagefault_enable() */
		preempt_enable();
	} else {
		kunmap_slow(addr, true, _THIS_IP_);
	}
}

/* Map a page for this task; it may sleep and be preempted while mapped.
 * Preemption is off only while the slot stack is updated. Never NULL. */
static inline void *kmap_local_page(struct page *page)
{
	preempt_disable();
	void *va = __kmap_push(arch_kmap_ctrl(), page, false);
	preempt_enable();
	return va;
}

static inline void __kunmap_local(void *addr)
{
	/* Masked here: kunmap_local's commonest caller, pte_unmap, passes the
	 * address of an entry inside the mapped page. */
	void *va = (void *)((unsigned long)addr & PAGE_MASK);

	preempt_disable();
	if (!__kunmap_pop(arch_kmap_ctrl(), va))
		kunmap_slow(addr, false, _THIS_IP_);
	preempt_enable();
}

/* Passing the struct page instead of the address kmap_atomic/kmap_local_page
 * returned is refused at compile time (C11 _Generic picks this function,
 * whose every call is an error). */
void kunmap_needs_the_mapped_address_not_the_struct_page(const void *addr)
	__attribute__((error("kunmap_atomic/kunmap_local take the address kmap_atomic or "
			     "kmap_local_page returned, not the struct page")));
#define __kunmap_refuse_page(fn, addr)                                                   \
	_Generic((addr), struct page *: kunmap_needs_the_mapped_address_not_the_struct_page, \
		 const struct page *: kunmap_needs_the_mapped_address_not_the_struct_page,   \
		 default: fn)(addr)
#define kunmap_atomic(addr) __kunmap_refuse_page(__kunmap_atomic, addr)
#define kunmap_local(addr) __kunmap_refuse_page(__kunmap_local, addr)

/* Boot, once the fixmap's PTE page exists (page_address_init): each
 * CPU's slot tables (kmap_ctrl's addr[] and pte[]). */
void kmap_atomic_init(void);

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
