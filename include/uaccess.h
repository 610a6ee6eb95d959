/* uaccess.h - pagefault_disable(): sections in which a page fault must not
 * be handled by sleeping.
 *
 * Inside pagefault_disable()/pagefault_enable() (they nest) the page-fault
 * handler does not try to resolve a fault - which could sleep, to bring a
 * page in - but goes straight to the exception table's fixup, or oopses:
 * the caller either expects the failure (a copy that may fault returns an
 * error) or holds something that forbids sleeping. kmap_atomic disables
 * page faults until its kunmap_atomic, as Linux's does. The fault handler
 * asks pagefault_disabled().
 *
 * The count is per task, as Linux's current->pagefault_disabled: the
 * running task's lives in this CPU's struct kmap_ctrl (one instruction for
 * kmap_atomic, which has it at hand) and moves into struct task while the
 * task is switched out (kernel/sched.c), as preempt_count does. It does not
 * disable preemption by itself.
 */
#ifndef HL_UACCESS_H
#define HL_UACCESS_H

#include "arch.h"
#include "kmap_types.h"

/* The compiler must not move memory accesses across the count change: a
 * fault in them must see the count that the source order says. */
#define pagefault_barrier() __asm__ volatile("" : : : "memory")

/* Page faults are not handled (fixup or oops) until the matching enable. */
static inline void pagefault_disable(void)
{
	arch_kmap_ctrl()->pagefault_disabled++;
	pagefault_barrier();
}

/* Undo one pagefault_disable(). */
static inline void pagefault_enable(void)
{
	pagefault_barrier();
	arch_kmap_ctrl()->pagefault_disabled--;
}

/* Is the running task inside pagefault_disable()? (The fault handler asks.) */
static inline bool pagefault_disabled(void) { return arch_kmap_ctrl()->pagefault_disabled != 0; }

#endif
