/* sched.c - the scheduler: a runqueue per CPU, round robin, preemptive.
 *
 * Each runqueue's lock protects its queue, its timer list, its `curr` and
 * the state of every task placed on that CPU. A switch happens inside
 * __schedule with the lock held and interrupts off; the task switched to
 * releases the lock (finish_task_switch), as in Linux, so no wakeup can
 * slip in between "prev stops" and "next runs".
 *
 * Sleeping without lost wakeups: a task sets itself SLEEPING, then checks
 * its condition, then calls schedule(). A waker that runs in between finds
 * it SLEEPING but still on the runqueue (on_rq) and just sets it RUNNING
 * again, so schedule() keeps it. Preemption (a tick, preempt_enable) never
 * takes a task off the runqueue, whatever its state: it may be preempted
 * between setting SLEEPING and adding its timer, and must not sleep there.
 */
#include "kstring.h"
#include "highmem.h"
#include "ksyms.h"
#include "panic.h"
#include "printk.h"
#include "mm_types.h"
#include "process.h"
#include "sched.h"
#include "sched_internal.h"
#include "spinlock.h"

/* A task is switched away from inside __schedule with the preempt count at
 * 2 (schedule's preempt_disable and the runqueue lock). A new task starts
 * as if switched away from there, and schedule_tail brings it to 0. */
#define SWITCH_PREEMPT_COUNT 2

struct rq runqueues[NR_CPUS];
static struct task init_task, idle_tasks[NR_CPUS];
static u8 idle0_stack[THREAD_STACK_SIZE] __attribute__((aligned(16)));
volatile unsigned long jiffies;

bool sched_cpu_online(unsigned cpu) { return cpu < NR_CPUS && runqueues[cpu].online; }

/* Make the caller (whose stack is t's) the running task of cpu. */
static void become_current(struct task *t, unsigned cpu)
{
	struct rq *rq = &runqueues[cpu];

	t->cpu = cpu;
	t->state = TASK_RUNNING;
	t->on_cpu = true;
	t->on_rq = true;
	rq->curr = t;
	arch_set_current(t, t->stack_lo, t->stack_hi);
}

/* Ask cpu to reschedule: here a flag the interrupt return and
 * preempt_enable look at, elsewhere an IPI whose handler sets it there. */
static void resched(struct rq *rq)
{
	unsigned cpu = (unsigned)(rq - runqueues);

	if (cpu == arch_cpu_id())
		arch_set_need_resched();
	else
		arch_send_reschedule(cpu);
}

/* rq->lock held. A wakeup only preempts the idle task: a busy task keeps
 * the rest of its timeslice (round robin). */
bool try_to_wake_up_locked(struct rq *rq, struct task *t)
{
	if (t->state != TASK_SLEEPING)
		return false;
	if (t->timer_pending) {
		list_del(&t->timer_link);
		t->timer_pending = false;
	}
	if (t->on_rq) { /* has not gone to sleep yet (see the top of this file) */
		t->state = TASK_RUNNING;
		return true;
	}
	t->state = TASK_RUNNING;
	t->on_rq = true;
	list_add_tail(&t->run_link, &rq->queue);
	if (rq->curr == rq->idle)
		resched(rq);
	return true;
}

bool wake_up_process(struct task *t)
{
	struct rq *rq = &runqueues[t->cpu];
	unsigned long f = spin_lock_irqsave(&rq->lock);
	bool woke = try_to_wake_up_locked(rq, t);

	spin_unlock_irqrestore(&rq->lock, f);
	return woke;
}

static struct task *pick_next(struct rq *rq)
{
	if (list_empty(&rq->queue))
		return rq->idle;
	struct task *t = list_first_entry(&rq->queue, struct task, run_link);
	list_del(&t->run_link);
	return t;
}

/* Runs in the task switched to, right after the switch (or first thing in
 * a new task): the lock __schedule took is released here. A dead task's
 * stack is no longer in use now, so its joiner may free it. */
static void finish_task_switch(struct rq *rq)
{
	struct task *last = rq->last;
	bool dead = last->state == TASK_DEAD;

	__atomic_store_n(&last->on_cpu, false, __ATOMIC_RELEASE); /* its stack is free now */
	spin_unlock(&rq->lock);
	if (dead)
		kthread_task_gone(last);
}

static void context_switch(struct rq *rq, struct task *prev, struct task *next)
{
	struct kmap_ctrl *kc = &kmap_ctrl[arch_cpu_id()];

	task_check_stack(prev);
	kmap_local_switch(&prev->kmap, &next->kmap);
	mm_switch_tasks(prev, next);
	arch_fpu_switch(prev, next); /* processes' x87/SSE registers */
	/* pagefault_disable() is per task too (uaccess.h) */
	prev->pagefault_disabled = kc->pagefault_disabled;
	kc->pagefault_disabled = next->pagefault_disabled;
	next->on_cpu = true;
	/* Each task has its own count: one that slept in atomic context
	 * (reported by might_sleep) must not hand its count to the next. */
	prev->preempt_count = preempt_count();
	arch_preempt_count_set(next->preempt_count);
	next->nr_switches++;
	rq->switches++;
	rq->curr = next;
	rq->last = prev;
	arch_set_current(next, next->stack_lo, next->stack_hi);
	arch_switch_to(&prev->sp, next->sp);
	/* prev runs again here, on this same CPU, some time later */
	finish_task_switch(rq);
}

/* preempt: an involuntary switch, which leaves the task on the runqueue
 * whatever its state. */
static void __schedule(bool preempt)
{
	struct rq *rq = this_rq();
	unsigned long flags = arch_irq_save();

	spin_lock(&rq->lock);
	struct task *prev = rq->curr;
	arch_clear_need_resched();
	if (prev == rq->idle)
		; /* never queued: it runs whenever the queue is empty */
	else if (!preempt && (prev->state == TASK_SLEEPING || prev->state == TASK_DEAD))
		prev->on_rq = false;
	else
		list_add_tail(&prev->run_link, &rq->queue);
	struct task *next = pick_next(rq);
	next->slice = TIMESLICE_TICKS;
	if (next != prev)
		context_switch(rq, prev, next);
	else
		spin_unlock(&rq->lock);
	arch_irq_restore(flags);
}

void schedule(void)
{
	do {
		preempt_disable();
		__schedule(false);
		preempt_enable_no_resched();
	} while (need_resched());
}

void yield(void)
{
	might_sleep();
	schedule(); /* still RUNNING: back on the queue, behind the others */
}

/* preempt_enable reached 0 with a reschedule pending. */
void preempt_schedule(void)
{
	if (arch_irqs_disabled() || in_interrupt() || !current)
		return; /* the pending reschedule waits for a better moment */
	do {
		preempt_disable();
		__schedule(true);
		preempt_enable_no_resched();
	} while (need_resched());
}

/* From the interrupt return path: interrupts off, count 0, resched pending.
 * The interrupted context's frame stays on its stack until it runs again. */
void preempt_schedule_irq(void)
{
	if (!current)
		return;
	do {
		preempt_disable();
		__schedule(true);
		preempt_enable_no_resched();
	} while (need_resched());
}

/* The first thing a new task does (kthread.c, the idle entry). */
void schedule_tail(void)
{
	finish_task_switch(this_rq());
	arch_irq_enable();
	preempt_enable();
}

/* Every tick on every CPU (interrupts off). jiffies is CPU 0's count. */
void scheduler_tick(void)
{
	struct rq *rq = this_rq();

	if (!rq->online)
		return;
	if (rq == &runqueues[0])
		__atomic_fetch_add(&jiffies, 1, __ATOMIC_RELEASE);
	spin_lock(&rq->lock);
	expire_timers(rq);
	struct task *curr = rq->curr;
	curr->ticks++;
	if (curr == rq->idle || --curr->slice <= 0) {
		if (!list_empty(&rq->queue))
			arch_set_need_resched();
		else
			curr->slice = TIMESLICE_TICKS; /* nobody waiting: go on */
	}
	spin_unlock(&rq->lock);
}

unsigned sched_pick_cpu(void)
{
	static unsigned rotor;
	unsigned start = __atomic_fetch_add(&rotor, 1, __ATOMIC_RELAXED), best = 0, load = ~0u;

	for (unsigned i = 0; i < NR_CPUS; i++) {
		unsigned c = (start + i) % NR_CPUS;
		unsigned n = __atomic_load_n(&runqueues[c].nr_tasks, __ATOMIC_RELAXED);
		if (runqueues[c].online && n < load) {
			best = c;
			load = n;
		}
	}
	return best;
}

bool sched_add_task(struct task *t, unsigned cpu)
{
	if (!sched_cpu_online(cpu))
		return false;
	t->cpu = cpu;
	t->preempt_count = SWITCH_PREEMPT_COUNT;
	__atomic_fetch_add(&runqueues[cpu].nr_tasks, 1, __ATOMIC_RELAXED);
	return true;
}

__noreturn void sched_exit_current(void)
{
	struct task *me = current;

	preempt_disable();
	__atomic_fetch_sub(&runqueues[me->cpu].nr_tasks, 1, __ATOMIC_RELAXED);
	set_current_state(TASK_DEAD);
	__schedule(false);
	panic("dead task %s (pid %d) was scheduled again", me->name, me->pid);
}

void sched_describe_cpu(unsigned cpu, char *buf, size_t size)
{
	struct task *t = sched_cpu_online(cpu) ? runqueues[cpu].curr : NULL;

	if (t)
		snprintf(buf, size, "%s[%d]", t->name, t->pid);
	else
		snprintf(buf, size, "-");
}

static __noreturn void idle_loop(void)
{
	for (;;) {
		while (!need_resched())
			arch_idle();
		schedule();
	}
}

static __noreturn void idle0_entry(void)
{
	schedule_tail();
	idle_loop();
}

void sched_init(void)
{
	void *lo, *hi;

	for (unsigned c = 0; c < NR_CPUS; c++) {
		spin_lock_init(&runqueues[c].lock, "runqueue");
		INIT_LIST_HEAD(&runqueues[c].queue);
		INIT_LIST_HEAD(&runqueues[c].timers);
	}
	arch_boot_stack(&lo, &hi);
	task_init_static(&init_task, "init", 1, lo, hi);
	become_current(&init_task, 0);
	runqueues[0].nr_tasks = 1;
	struct task *idle = &idle_tasks[0];
	task_init_static(idle, "swapper/0", 0, idle0_stack, idle0_stack + sizeof(idle0_stack));
	idle->cpu = 0;
	idle->state = TASK_RUNNING;
	idle->preempt_count = SWITCH_PREEMPT_COUNT;
	idle->sp = arch_task_stack_init(idle->stack_hi, idle0_entry);
	runqueues[0].idle = idle;
	runqueues[0].online = true;
	pr_info("sched: round robin, %d ms timeslices, HZ=%d; init is pid 1\n",
		TIMESLICE_TICKS * 1000 / HZ, HZ);
}

__noreturn void sched_ap_start(void *stack_lo, void *stack_hi)
{
	unsigned cpu = arch_cpu_id();
	struct task *idle = &idle_tasks[cpu];
	char name[TASK_COMM_LEN];

	snprintf(name, sizeof(name), "swapper/%u", cpu);
	task_init_static(idle, name, 0, stack_lo, stack_hi);
	become_current(idle, cpu);
	runqueues[cpu].idle = idle;
	__atomic_store_n(&runqueues[cpu].online, true, __ATOMIC_RELEASE);
	arch_irq_enable();
	idle_loop();
}
