/* host_sched.c - the hosted machine's "scheduler": one thread, no sleeping.
 *
 * Generic code that may sleep (pkmap's kmap waiting for a slot) links
 * against these. Queuing on a wait queue and waking are recorded so tests
 * can see them; schedule() would block the only thread forever, so a test
 * that reaches it has gone wrong and is stopped with a message. */
#include <stdio.h>
#include <stdlib.h>
#include "arch.h"
#include "printk.h"
#include "wait.h"

unsigned long might_sleep_reports;
unsigned long host_wakeups;

void __might_sleep(const char *file, int line)
{
	if (arch_preempt_count() || arch_irqs_disabled()) {
		might_sleep_reports++;
		printk("BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	}
}

void init_wait_entry(struct wait_queue_entry *e, unsigned flags)
{
	e->task = NULL;
	e->flags = flags;
	e->queued = false;
	INIT_LIST_HEAD(&e->link);
}

void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *e)
{
	if (!e->queued) {
		list_add_tail(&e->link, &wq->head);
		e->queued = true;
	}
}

void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *e)
{
	(void)wq;
	if (e->queued) {
		list_del(&e->link);
		e->queued = false;
	}
}

void wake_up(wait_queue_head_t *wq)
{
	(void)wq;
	host_wakeups++;
}

unsigned wait_queue_length(wait_queue_head_t *wq)
{
	unsigned n = 0;
	struct list_head *pos;

	list_for_each(pos, &wq->head)
		n++;
	return n;
}

void schedule(void)
{
	fprintf(stderr, "host_sched: schedule() called: the only thread would sleep forever\n");
	abort();
}

/* Reclaim's pieces that need threads and time (mm/vmscan.c, mm/oom_kill.c):
 * the hosted machine has one thread, so kswapd is never started
 * (kthread_create finds no room: NULL, as without memory) and a sleep
 * while an OOM victim exits returns at once (simulated time). */
#include "sched.h"
unsigned long host_msleeps;
struct task *kthread_create(int (*fn)(void *), void *arg, const char *namefmt, ...)
{
	(void)fn;
	(void)arg;
	(void)namefmt;
	return NULL;
}
bool wake_up_process(struct task *t)
{
	(void)t;
	return false;
}
void msleep(unsigned ms)
{
	(void)ms;
	host_msleeps++;
}
volatile unsigned long jiffies;
void wake_up_all(wait_queue_head_t *wq)
{
	(void)wq;
	host_wakeups++;
}
void init_waitqueue_head(wait_queue_head_t *wq, const char *name)
{
	spin_lock_init(&wq->lock, name);
	INIT_LIST_HEAD(&wq->head);
}
