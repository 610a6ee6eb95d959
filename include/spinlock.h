/* spinlock.h - ticket spinlocks: fair (FIFO) and SMP-safe. Holding one
 * disables preemption (the holder must not be switched away from while
 * other CPUs spin); the irqsave variants also keep this CPU's interrupt
 * handlers out.
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

void spin_lock_init(spinlock_t *l, const char *name);
/* Acquire (preemption off until the unlock). */
void spin_lock(spinlock_t *l);
/* Release, and re-enable preemption. */
void spin_unlock(spinlock_t *l);
/* Release only: preemption stays off (spin_unlock_irqrestore, the scheduler). */
void spin_release(spinlock_t *l);
bool spin_is_locked(spinlock_t *l);
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
