/* spinlock.h - ticket spinlocks: fair (FIFO) and SMP-safe. Holding one
 * disables preemption (the holder must not be switched away from while
 * other CPUs spin); the irqsave variants also keep this CPU's interrupt
 * handlers out.
 *
 * In a virtual machine (CPUID's hypervisor bit) the same lock is taken
 * test-and-set style instead, as Linux does there (virt_spin_lock): a fair
 * lock hands the lock to one particular waiter, and when the host has
 * descheduled that waiter's virtual CPU every other waiter spins until the
 * host runs it again (milliseconds per hand-off with 4 vCPUs on 2 host
 * cores). Unfair, any running waiter takes a free lock. Both ways use the
 * same two counters (free is next == owner), so they mix safely.
 *
 * Debug checks, each a report ("BUG: spinlock ..." with the caller and a
 * backtrace, counted in spinlock_reports) that leaves the machine running:
 *   recursion  the CPU that holds the lock asks for it again: that would
 *              spin forever, so the inner acquisition is refused and its
 *              matching unlock ignored (the lock stays with the outer holder)
 *   wrong CPU  an unlock from a CPU that does not hold it: ignored
 *   unlocked   an unlock of a free lock: ignored
 * Sleeping with a spinlock held is caught by might_sleep (preempt.h). */
#ifndef HL_SPINLOCK_H
#define HL_SPINLOCK_H

#include "arch.h"
#include "preempt.h"

typedef struct spinlock {
	volatile u16 next;  /* next ticket to hand out */
	volatile u16 owner; /* ticket now being served */
	int cpu;            /* holder's CPU, -1 when free (debug) */
	int refused;        /* recursive acquisitions refused, not yet unlocked (debug) */
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(n) { 0, 0, -1, 0, n }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT(#x)

extern unsigned long spinlock_reports;
/* Take locks test-and-set style (set by cpu_detect in a virtual machine). */
extern bool spin_lock_unfair;

void spin_lock_init(spinlock_t *l, const char *name);
bool spin_is_locked(spinlock_t *l);

/* kernel/spinlock.c: what the inline paths below leave out of line - the
 * recursion report, the wait for a ticket that is not served yet, and the
 * unlocks that are misuses (or a refused acquisition's). caller: the
 * address the report names. */
void spin_lock_recursion(spinlock_t *l, void *caller);
/* The lock was not free: wait until this CPU has it, in turn (a ticket)
 * or, with spin_lock_unfair, by winning it when it is next free. */
void spin_lock_contended(spinlock_t *l);
void spin_unlock_slow(spinlock_t *l, void *caller);
void spin_release_slow(spinlock_t *l, void *caller);

/* Acquire (preemption off until the unlock). Inline: an uncontended lock
 * is one load and one compare-exchange; the debug checks stay (the holder's CPU
 * is noted for them). Only this CPU ever stores its own number in l->cpu,
 * so the racy read cannot mistake another CPU's hold for ours. */
static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	int cpu = (int)arch_cpu_id();

	if (unlikely(l->cpu == cpu)) {
		spin_lock_recursion(l, _THIS_IP_);
		return;
	}
	u16 free = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	/* next == owner means free with nobody waiting: take ticket `owner`.
	 * With waiters, next is ahead of owner and this fails: the slow path
	 * queues (or, unfair, competes), so the fast path never jumps a queue. */
	if (unlikely(!__atomic_compare_exchange_n(&l->next, &free, (u16)(free + 1), false,
						  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		spin_lock_contended(l);
	l->cpu = cpu;
}

/* The unlock of a lock this CPU holds, with no refused recursion pending;
 * anything else is the slow path's to sort out (and report). */
static inline bool spin_unlock_ok(spinlock_t *l)
{
	return likely(l->cpu == (int)arch_cpu_id() && !l->refused);
}

static inline void spin_release_fast(spinlock_t *l)
{
	l->cpu = -1;
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

/* Release, and re-enable preemption. */
static inline void spin_unlock(spinlock_t *l)
{
	if (spin_unlock_ok(l)) {
		spin_release_fast(l);
		preempt_enable();
	} else {
		spin_unlock_slow(l, _THIS_IP_);
	}
}

/* Release only: preemption stays off (spin_unlock_irqrestore, the scheduler). */
static inline void spin_release(spinlock_t *l)
{
	if (spin_unlock_ok(l))
		spin_release_fast(l);
	else
		spin_release_slow(l, _THIS_IP_);
}
/* Take the lock only if it is free right now. */
bool spin_trylock(spinlock_t *l);

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long f = arch_irq_save();

	spin_lock(l);
	return f;
}

/* Interrupts come back before preemption does, so a reschedule that became
 * due while the lock was held happens with interrupts on, as it must. */
static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long f)
{
	spin_release(l);
	arch_irq_restore(f);
	preempt_enable();
}

#endif
