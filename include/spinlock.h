/* spinlock.h - ticket spinlocks: fair (FIFO) and SMP-safe, for every shared
 * structure from the start. The irqsave variants also keep this CPU's
 * interrupt handlers out. Only one CPU runs before the SMP issue; the
 * recursion check below catches the bug that would deadlock there. */
#ifndef HL_SPINLOCK_H
#define HL_SPINLOCK_H

#include "arch.h"

typedef struct spinlock {
	volatile u16 next;  /* next ticket to hand out */
	volatile u16 owner; /* ticket now being served */
	int cpu;            /* holder's CPU, -1 when free (debug) */
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(n) { 0, 0, -1, n }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT(#x)

void spin_lock_init(spinlock_t *l, const char *name);
/* Acquire; reports (and stops) on recursion by the same CPU. */
void spin_lock(spinlock_t *l);
/* Release; reports an unlock of a lock this CPU does not hold. */
void spin_unlock(spinlock_t *l);
bool spin_is_locked(spinlock_t *l);
/* Take the lock only if it is free right now. */
bool spin_trylock(spinlock_t *l);

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long f = arch_irq_save();

	spin_lock(l);
	return f;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long f)
{
	spin_unlock(l);
	arch_irq_restore(f);
}

#endif
