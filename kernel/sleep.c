/* sleep.c - sleeping for a while: each runqueue keeps a list of its
 * tasks that sleep until a jiffies deadline, and the CPU's own tick wakes
 * them (jiffies itself is counted by CPU 0's tick). And might_sleep, the
 * check that sleeping is allowed at all. */
#include "ksyms.h"
#include "printk.h"
#include "sched.h"
#include "sched_internal.h"

unsigned long might_sleep_reports;

void expire_timers(struct rq *rq)
{
	struct list_head *p = rq->timers.next;

	while (p != &rq->timers) {
		struct task *t = list_entry(p, struct task, timer_link);
		p = p->next;
		if (time_after_eq(jiffies, t->wake_at))
			try_to_wake_up_locked(rq, t);
	}
}

long schedule_timeout(long timeout)
{
	struct task *me = current;
	struct rq *rq = &runqueues[me->cpu];

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout <= 0) {
		set_current_state(TASK_RUNNING);
		return 0;
	}
	unsigned long expire = jiffies + (unsigned long)timeout;
	unsigned long f = spin_lock_irqsave(&rq->lock);
	me->wake_at = expire;
	me->timer_pending = true;
	list_add_tail(&me->timer_link, &rq->timers);
	spin_unlock_irqrestore(&rq->lock, f);
	schedule();
	f = spin_lock_irqsave(&rq->lock);
	if (me->timer_pending) { /* woken early, or never slept: the timer goes */
		list_del(&me->timer_link);
		me->timer_pending = false;
	}
	spin_unlock_irqrestore(&rq->lock, f);
	long left = (long)(expire - jiffies);
	return left > 0 ? left : 0;
}

/* At least ms: one tick more than the rounded-up count, because the tick
 * now in progress is already partly over. */
void msleep(unsigned ms)
{
	long left = (long)msecs_to_jiffies(ms) + 1;

	might_sleep();
	while (left > 0) {
		set_current_state(TASK_SLEEPING);
		left = schedule_timeout(left);
	}
}

void __might_sleep(const char *file, int line)
{
	struct task *t = current;
	bool irqs_off = arch_irqs_disabled();

	if (!t || (!in_atomic() && !irqs_off))
		return;
	__atomic_fetch_add(&might_sleep_reports, 1, __ATOMIC_RELAXED);
	printk(KERN_ERR "BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	printk(KERN_ERR "in_atomic(): %d, irqs_disabled(): %d, in_interrupt(): %d, pid: %d, name: %s\n",
	       in_atomic(), irqs_off, in_interrupt(), t->pid, t->name);
	printk(KERN_ERR "preempt_count: %u, expected: 0\n", preempt_count());
	dump_stack();
}
