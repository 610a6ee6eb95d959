/* preempt.h - when the running task may be switched away from.
 *
 * The scheduler may preempt a task at any interrupt, unless this CPU's
 * preempt count is above 0. preempt_disable/preempt_enable nest; the count
 * also rises while a spinlock is held and around kmap_atomic. When the
 * count drops back to 0 with a reschedule pending (a timer tick ended the
 * timeslice, or a wakeup), preempt_enable switches right there.
 *
 * Sleeping (msleep, wait_event, kthread_join) is only allowed where
 * preemption is: might_sleep() checks and reports - with a backtrace, as
 * Linux does - when it is called from an interrupt, with preemption off
 * (a spinlock held counts) or with interrupts off. It is a report, not a
 * panic; might_sleep_reports counts them for the tests.
 */
#ifndef HL_PREEMPT_H
#define HL_PREEMPT_H

#include "arch.h"

/* kernel/sched.c: preempt_enable's slow path, when the count reached 0 with
 * a reschedule pending. Does nothing with interrupts off. */
void preempt_schedule(void);

static inline void preempt_disable(void) { arch_preempt_count_inc(); }
/* Re-enable without honouring a pending reschedule (the scheduler itself). */
static inline void preempt_enable_no_resched(void) { arch_preempt_count_dec(); }

static inline void preempt_enable(void)
{
	if (unlikely(arch_preempt_count_dec_and_test()))
		preempt_schedule();
}

static inline unsigned preempt_count(void) { return arch_preempt_count(); }
static inline bool need_resched(void) { return arch_need_resched(); }
static inline bool in_interrupt(void) { return arch_in_interrupt(); }
/* Not allowed to sleep: in an interrupt, or preemption disabled. */
static inline bool in_atomic(void) { return preempt_count() != 0 || in_interrupt(); }

void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)
/* might_sleep(), only if cond holds (an allocation that may reclaim). The
 * context is tested inline first, so the common case costs no call (an
 * interrupt handler runs with interrupts off, so the test covers it), and
 * cond is evaluated only in atomic context: it must have no side effects. */
#define might_sleep_if(cond)                                                   \
	do {                                                                   \
		if (unlikely(preempt_count() || arch_irqs_disabled()) && (cond)) \
			might_sleep();                                         \
	} while (0)
extern unsigned long might_sleep_reports;

#endif
