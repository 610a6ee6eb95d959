/* wait.h - wait queues: sleeping until a condition holds.
 *
 *   static DECLARE_WAIT_QUEUE_HEAD(done_wq);
 *   waiter:  wait_event(done_wq, done);          sleeps until done != 0
 *   waker:   done = 1; wake_up(&done_wq);
 *
 * A waiter puts itself on the queue and marks itself sleeping *before* it
 * tests the condition (both under the queue's lock, which wake_up takes
 * too), so a wake_up between the test and the sleep is never lost: it just
 * makes the sleep return at once. The condition is tested again after every
 * wakeup; wakeups may be spurious.
 *
 * Waiters are woken in the order they started waiting. wake_up wakes every
 * ordinary waiter and at most one exclusive one (wait_event_exclusive: the
 * "only one of you can have it" case, e.g. a free slot); wake_up_all wakes
 * everyone. Both may be called from interrupt handlers.
 */
#ifndef HL_WAIT_H
#define HL_WAIT_H

#include "list.h"
#include "preempt.h"
#include "spinlock.h"

struct task;

typedef struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
} wait_queue_head_t;

#define WQ_FLAG_EXCLUSIVE 0x1u

/* One waiter; lives on the waiter's stack for the duration of the wait. */
struct wait_queue_entry {
	struct task *task;
	unsigned flags;
	bool queued;
	struct list_head link;
};

#define WAIT_QUEUE_HEAD_INIT(name) { SPINLOCK_INIT(#name), LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = WAIT_QUEUE_HEAD_INIT(name)

void init_waitqueue_head(wait_queue_head_t *wq, const char *name);
void init_wait_entry(struct wait_queue_entry *e, unsigned flags);
/* Queue e (if it is not already) and mark the current task sleeping. */
void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *e);
/* Back to running, off the queue. */
void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *e);
void wake_up(wait_queue_head_t *wq);
void wake_up_all(wait_queue_head_t *wq);
/* The same with wq->lock already held. */
void __wake_up_locked(wait_queue_head_t *wq, int nr_exclusive);
/* Waiters queued now (reports, tests). */
unsigned wait_queue_length(wait_queue_head_t *wq);

/* kernel/sched.c (declared in sched.h too). */
void schedule(void);
long schedule_timeout(long timeout);

#define __wait_event(wq, cond, eflags)                                         \
	do {                                                                   \
		struct wait_queue_entry __we;                                  \
		init_wait_entry(&__we, eflags);                                \
		for (;;) {                                                     \
			prepare_to_wait(&(wq), &__we);                         \
			if (cond)                                              \
				break;                                         \
			schedule();                                            \
		}                                                              \
		finish_wait(&(wq), &__we);                                     \
	} while (0)

/* Sleep until cond is true. */
#define wait_event(wq, cond)                                                   \
	do {                                                                   \
		might_sleep();                                                 \
		if (!(cond))                                                   \
			__wait_event(wq, cond, 0);                             \
	} while (0)

/* The same, as an exclusive waiter (see above). */
#define wait_event_exclusive(wq, cond)                                         \
	do {                                                                   \
		might_sleep();                                                 \
		if (!(cond))                                                   \
			__wait_event(wq, cond, WQ_FLAG_EXCLUSIVE);             \
	} while (0)

/* Sleep until cond is true or `timeout` jiffies have passed. Returns 0 if
 * the time ran out with cond still false, else the jiffies left (at least
 * 1), as Linux does. */
#define wait_event_timeout(wq, cond, timeout)                                  \
	({                                                                     \
		long __left = (timeout);                                       \
		might_sleep();                                                 \
		if (!(cond)) {                                                 \
			struct wait_queue_entry __we;                          \
			init_wait_entry(&__we, 0);                             \
			for (;;) {                                             \
				prepare_to_wait(&(wq), &__we);                 \
				if (cond) {                                    \
					__left = __left ? __left : 1;          \
					break;                                 \
				}                                              \
				if (!__left)                                   \
					break;                                 \
				__left = schedule_timeout(__left);             \
			}                                                      \
			finish_wait(&(wq), &__we);                             \
		}                                                              \
		__left;                                                        \
	})

#endif
