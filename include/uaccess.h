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
#include "errno.h"
#include "kmap_types.h"
#include "layout.h"

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

/* ---- user memory (arch/x86/usercopy.c) ----
 *
 * The kernel touches user memory only through these. Each checks that the
 * range lies below PAGE_OFFSET (access_ok), then copies with instructions
 * listed in the exception table: a bad pointer (unmapped, or not allowed)
 * stops the copy and is reported, never an oops. Under SMAP (CR4 bit 21,
 * on when CPUID has it) the copies run between stac and clac: anywhere else
 * a kernel access to a user page faults. Return values are Linux's. */
#ifndef __user
#define __user
#endif

/* Is [addr, addr + size) entirely user space (below PAGE_OFFSET)? */
static inline bool access_ok(const void __user *addr, unsigned long size)
{
	return size <= PAGE_OFFSET && (unsigned long)addr <= PAGE_OFFSET - size;
}

/* Copy n bytes from user space; returns the bytes NOT copied (0: all). The
 * part of `to` not copied is zeroed. */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
/* Copy n bytes to user space; returns the bytes NOT copied (0: all). */
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
/* Copy a NUL-terminated string of at most count bytes; returns its length
 * without the NUL (count if none came within count bytes: dst is then not
 * terminated) or -EFAULT. */
long strncpy_from_user(char *dst, const char __user *src, long count);
/* Zero n bytes of user space; returns the bytes NOT zeroed. */
unsigned long clear_user(void __user *to, unsigned long n);

/* One value of *ptr's type: 0, or -EFAULT (and x is 0). */
#define get_user(x, ptr)                                                           \
	({                                                                         \
		__typeof__(*(ptr)) __gu_v;                                         \
		int __gu_e = copy_from_user(&__gu_v, (ptr), sizeof(__gu_v)) ? -EFAULT : 0; \
		(x) = __gu_e ? (__typeof__(*(ptr)))0 : __gu_v;                     \
		__gu_e;                                                            \
	})
/* Store x as *ptr's type: 0, or -EFAULT. */
#define put_user(x, ptr)                                                           \
	({                                                                         \
		__typeof__(*(ptr)) __pu_v = (x);                                   \
		copy_to_user((ptr), &__pu_v, sizeof(__pu_v)) ? -EFAULT : 0;            \
	})

/* SMAP / SMEP are on (arch/x86/user.c turns them on at boot when CPUID has them). */
extern bool x86_smap_enabled, x86_smep_enabled;

#endif
