/* sched_internal.h - the runqueue, shared by kernel/sched.c (switching,
 * wakeups, the tick) and kernel/sleep.c (timed sleeps). Nothing outside
 * kernel/ includes it. */
#ifndef HL_SCHED_INTERNAL_H
#define HL_SCHED_INTERNAL_H

#include "sched.h"
#include "spinlock.h"

/* The lock protects the queue, the timer list, curr, and the state of every
 * task placed on this CPU. */
struct rq {
	spinlock_t lock;
	struct task *curr, *idle;
	struct task *last;       /* the task just switched away from (finish_task_switch) */
	struct list_head queue;  /* RUNNABLE tasks, in the order they will run */
	struct list_head timers; /* tasks sleeping until their wake_at */
	unsigned nr_tasks;       /* live tasks placed here: kthread_create's balance */
	unsigned long switches;
	volatile bool online;
};

extern struct rq runqueues[NR_CPUS];

static inline struct rq *this_rq(void) { return &runqueues[arch_cpu_id()]; }

/* Make t runnable if it is SLEEPING (rq->lock held); false if it was not. */
bool try_to_wake_up_locked(struct rq *rq, struct task *t);
/* Wake the tasks whose timers have run out (the tick, rq->lock held). */
void expire_timers(struct rq *rq);

#endif
