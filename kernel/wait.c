/* wait.c - wait queues (include/wait.h). The lock order is the queue's
 * lock, then a runqueue's (wake_up_process): a waker never holds a
 * runqueue lock when it takes a queue's. */
#include "sched.h"
#include "wait.h"

void init_waitqueue_head(wait_queue_head_t *wq, const char *name)
{
	spin_lock_init(&wq->lock, name);
	INIT_LIST_HEAD(&wq->head);
}

void init_wait_entry(struct wait_queue_entry *e, unsigned flags)
{
	e->task = current;
	e->flags = flags;
	e->queued = false;
}

/* Queued at the tail: waiters are woken in the order they came. Marking the
 * task SLEEPING under the lock that wake_up takes is what makes the
 * condition test that follows race-free (see wait.h). */
void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *e)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);

	if (!e->queued) {
		list_add_tail(&e->link, &wq->head);
		e->queued = true;
	}
	set_current_state(TASK_SLEEPING);
	spin_unlock_irqrestore(&wq->lock, f);
}

void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *e)
{
	set_current_state(TASK_RUNNING);
	unsigned long f = spin_lock_irqsave(&wq->lock);
	if (e->queued) {
		list_del(&e->link);
		e->queued = false;
	}
	spin_unlock_irqrestore(&wq->lock, f);
}

/* Wake every ordinary waiter and nr_exclusive exclusive ones (0: all).
 * Woken waiters stay queued until they run finish_wait, so one already
 * woken is skipped (wake_up_process says false) and does not use up the
 * exclusive wakeup: the next exclusive waiter gets it. */
void __wake_up_locked(wait_queue_head_t *wq, int nr_exclusive)
{
	struct list_head *p = wq->head.next;

	while (p != &wq->head) {
		struct wait_queue_entry *e = list_entry(p, struct wait_queue_entry, link);
		p = p->next;
		if (wake_up_process(e->task) && (e->flags & WQ_FLAG_EXCLUSIVE) && nr_exclusive &&
		    --nr_exclusive == 0)
			break;
	}
}

void wake_up(wait_queue_head_t *wq)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);

	__wake_up_locked(wq, 1);
	spin_unlock_irqrestore(&wq->lock, f);
}

void wake_up_all(wait_queue_head_t *wq)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);

	__wake_up_locked(wq, 0);
	spin_unlock_irqrestore(&wq->lock, f);
}

unsigned wait_queue_length(wait_queue_head_t *wq)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);
	unsigned n = 0;
	struct list_head *p;

	list_for_each(p, &wq->head)
		n++;
	spin_unlock_irqrestore(&wq->lock, f);
	return n;
}
