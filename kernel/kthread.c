/* kthread.c - kernel threads: creation, the first run, exit and join; the
 * list of every task, stack checks, and the `threads` report.
 *
 * A thread's stack is THREAD_STACK_SIZE of lowmem from the page allocator:
 *
 *   lo: canary | ...filled with STACK_FILL, used from the top down... | struct task :hi
 *
 * The struct sits above the stack, so an overflow runs into the canary and
 * then past the block, not into the task's own bookkeeping: the report can
 * still name the task. */
#include <stdarg.h>
#include "fault_inject.h"
#include "gfp.h"
#include "highmem.h"
#include "kstring.h"
#include "panic.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "vmstat.h"

#define STACK_CANARY 0x57ac6e9du
#define STACK_FILL 0x6b6b6b6bu

static DEFINE_SPINLOCK(tasks_lock);
static struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);
static int next_pid = 2;

static void fill_stack(void *from, void *to)
{
	for (u32 *p = from; p < (u32 *)to; p++)
		*p = STACK_FILL;
}

static void task_setup(struct task *t, const char *name, int pid, void *lo, void *hi)
{
	memset(t, 0, sizeof(*t));
	strlcpy(t->name, name, sizeof(t->name));
	t->pid = pid;
	t->stack_lo = lo;
	t->stack_hi = hi;
	t->slice = TIMESLICE_TICKS;
	init_waitqueue_head(&t->exit_wq, "exit_wq");
	*(u32 *)lo = STACK_CANARY;
}

static void task_register(struct task *t)
{
	unsigned long f = spin_lock_irqsave(&tasks_lock);

	list_add_tail(&t->all_link, &all_tasks);
	spin_unlock_irqrestore(&tasks_lock, f);
}

/* A stack that is already there, maybe in use by the caller: only the part
 * well below the caller's frame is filled. */
void task_init_static(struct task *t, const char *name, int pid, void *lo, void *hi)
{
	char *below = (char *)__builtin_frame_address(0) - 512;

	task_setup(t, name, pid, lo, hi);
	fill_stack((u32 *)lo + 1, below > (char *)lo && below < (char *)hi ? below : hi);
	task_register(t);
}

static __noreturn void kthread_entry(void)
{
	schedule_tail();
	struct task *me = current;
	kthread_exit(me->fn(me->arg));
}

static struct task *create(int (*fn)(void *), void *arg, unsigned cpu, const char *fmt,
			   va_list ap)
{
	char name[TASK_COMM_LEN];

	vsnprintf(name, sizeof(name), fmt, ap);
	if (!sched_cpu_online(cpu)) {
		pr_err("kthread_create: %s: CPU %u is not online\n", name, cpu);
		return NULL;
	}
	struct page *pages = alloc_pages(GFP_KERNEL, THREAD_STACK_ORDER);
	if (!pages)
		return NULL;
	char *lo = page_address(pages);
	struct task *t = (struct task *)(lo + THREAD_STACK_SIZE - ALIGN_UP(sizeof(struct task), 16));
	task_setup(t, name, __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED), lo, t);
	fill_stack(lo + 4, t);
	t->stack_pages = pages;
	mod_node_page_state(NR_KERNEL_STACK_KB, THREAD_STACK_SIZE / 1024); /* meminfo's KernelStack */
	t->fn = fn;
	t->arg = arg;
	t->state = TASK_SLEEPING; /* until wake_up_process */
	t->sp = arch_task_stack_init(t->stack_hi, kthread_entry);
	sched_add_task(t, cpu);
	task_register(t);
	return t;
}

struct task *kthread_create(int (*fn)(void *), void *arg, const char *namefmt, ...)
{
	va_list ap;

	va_start(ap, namefmt);
	struct task *t = create(fn, arg, sched_pick_cpu(), namefmt, ap);
	va_end(ap);
	return t;
}

struct task *kthread_create_on_cpu(int (*fn)(void *), void *arg, unsigned cpu,
				   const char *namefmt, ...)
{
	va_list ap;

	va_start(ap, namefmt);
	struct task *t = create(fn, arg, cpu, namefmt, ap);
	va_end(ap);
	return t;
}

__noreturn void kthread_exit(int code)
{
	struct task *me = current;
	unsigned count = preempt_count();

	if (!me->stack_pages)
		panic("kthread_exit called by %s (pid %d), which is not a kernel thread", me->name,
		      me->pid);
	if (count) {
		pr_err("BUG: task %s (pid %d) exited with preempt_count %u\n", me->name, me->pid, count);
		arch_preempt_count_set(0);
	}
	if (pagefault_disabled()) {
		pr_err("BUG: task %s (pid %d) exited with pagefault_disabled %u\n", me->name, me->pid,
		       arch_kmap_ctrl()->pagefault_disabled);
		arch_kmap_ctrl()->pagefault_disabled = 0;
	}
	if (me->fail_nth) /* a pending fault-injection request dies with the task */
		fault_fail_nth_set(0);
	preempt_disable(); /* its kmap slots are this CPU's until the switch away */
	kmap_local_task_exit(me->name, me->pid);
	me->exit_code = code;
	sched_exit_current();
}

/* The dead task is off its CPU: its joiner may go on. `exited` is set under
 * the queue's lock, and kthread_join takes that lock once before freeing,
 * so it cannot free the memory while this is still inside it. */
void kthread_task_gone(struct task *t)
{
	unsigned long f = spin_lock_irqsave(&t->exit_wq.lock);

	t->exited = true;
	__wake_up_locked(&t->exit_wq, 0);
	spin_unlock_irqrestore(&t->exit_wq.lock, f);
	exit_notify_parent(t); /* a process: its parent's wait4 (kernel/fork.c) */
}

int kthread_join(struct task *t)
{
	wait_event(t->exit_wq, t->exited);
	unsigned long f = spin_lock_irqsave(&t->exit_wq.lock);
	spin_unlock_irqrestore(&t->exit_wq.lock, f);

	int code = t->exit_code;
	f = spin_lock_irqsave(&tasks_lock);
	list_del(&t->all_link);
	spin_unlock_irqrestore(&tasks_lock, f);
	__free_pages(t->stack_pages, THREAD_STACK_ORDER);
	mod_node_page_state(NR_KERNEL_STACK_KB, -(long)(THREAD_STACK_SIZE / 1024));
	return code;
}

size_t task_stack_used(const struct task *t)
{
	const u32 *p = (const u32 *)t->stack_lo + 1;

	while (p < (const u32 *)t->stack_hi && *p == STACK_FILL)
		p++;
	return (size_t)((const char *)t->stack_hi - (const char *)p);
}

void task_check_stack(const struct task *t)
{
	u32 canary = *(const u32 *)t->stack_lo;

	if (unlikely(canary != STACK_CANARY))
		panic("stack overflow: task %s (pid %d) overwrote the canary at the bottom of its "
		      "stack %p-%p (%#x, expected %#x)", t->name, t->pid, t->stack_lo, t->stack_hi,
		      canary, STACK_CANARY);
}

const char *task_state_name(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNING:
		return t->on_cpu ? "running" : "runnable";
	case TASK_SLEEPING:
		return "sleeping";
	case TASK_DEAD:
		return "dead";
	}
	return "?";
}

void show_tasks(void)
{
	unsigned long f = spin_lock_irqsave(&tasks_lock);
	struct list_head *p;

	printk("  PID  NAME             STATE     CPU  STACK USED / SIZE  SWITCHES     TICKS\n");
	list_for_each(p, &all_tasks) {
		struct task *t = list_entry(p, struct task, all_link);
		size_t size = (size_t)((char *)t->stack_hi - (char *)t->stack_lo);
		printk("  %3d  %-16s %-9s %3u  %10zu / %-5zu %9lu %9lu\n", t->pid, t->name,
		       task_state_name(t), t->cpu, task_stack_used(t), size, t->nr_switches,
		       t->ticks);
	}
	spin_unlock_irqrestore(&tasks_lock, f);
}

int last_pid(void)
{
	return __atomic_load_n(&next_pid, __ATOMIC_RELAXED) - 1;
}
