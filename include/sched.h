/* sched.h - kernel threads and the scheduler.
 *
 * Every CPU has a runqueue: the tasks placed on it, run round robin, each for
 * a timeslice of TIMESLICE_TICKS ticks of its local APIC timer (HZ per
 * second) unless it sleeps first; the tick preempts a task whose slice is
 * over when another one is waiting. A task stays on the CPU it was created
 * on (no migration), which keeps its kmap_local addresses valid and the
 * locking simple; kthread_create spreads new tasks over the CPUs.
 *
 * Each CPU also has an idle task ("swapper/N", pid 0 as in Linux) that runs
 * when nothing else can: sti; hlt. The boot flow on CPU 0 becomes the task
 * "init" (pid 1): it runs the self-tests, then the serial monitor.
 *
 * Stacks: THREAD_STACK_SIZE from the page allocator (lowmem), with the
 * struct task at the top and a canary word at the bottom, checked at every
 * switch away from the task (the direct map uses 2 MB pages, so there is no
 * guard page to unmap). The rest is filled with a pattern at creation, so
 * the deepest use is measurable (`threads` in the monitor).
 */
#ifndef HL_SCHED_H
#define HL_SCHED_H

#include "arch.h"
#include "kmap_types.h" /* struct kmap_saved: a task's kmap_local mappings */
#include "list.h"
#include "preempt.h"
#include "wait.h"

#define HZ 100
#define TIMESLICE_TICKS 3 /* 30 ms */
#define MAX_SCHEDULE_TIMEOUT 0x7fffffffL
#define TASK_COMM_LEN 16
#define THREAD_STACK_ORDER 2
#define THREAD_STACK_SIZE (PAGE_SIZE << THREAD_STACK_ORDER)

/* As in Linux: RUNNING is runnable - on a CPU now or waiting in its
 * runqueue (on_cpu tells which); SLEEPING: waiting for a wakeup (or just
 * created: kthread_create); DEAD: exited, waiting for kthread_join. */
enum task_state { TASK_RUNNING, TASK_SLEEPING, TASK_DEAD };

struct mm_struct;
struct files_struct;
struct fs_struct;
struct sighand_struct;

/* nanosleep's state when a signal stops it and no handler runs: the call
 * goes on after SIGCONT as restart_syscall (kernel/signal.c, kernel/time.c). */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	u64 end_ns;         /* absolute, on the monotonic clock */
	unsigned long rmtp; /* the caller's remaining-time pointer */
	bool time64;
};

struct task {
	unsigned long sp;          /* saved stack pointer while switched out */
	volatile enum task_state state;
	bool on_rq;                /* running or queued: not yet put to sleep */
	volatile bool on_cpu;      /* running on t->cpu now: set when switched to, cleared
	                              once the switch away has ended (its stack is free) */
	volatile bool exited;      /* dead and switched away from: kthread_join may free it */
	bool timer_pending;        /* on its runqueue's timer list until wake_at */
	unsigned cpu;
	int pid;
	char name[TASK_COMM_LEN];
	unsigned preempt_count;    /* saved across a switch: each task has its own */
	unsigned pagefault_disabled; /* pagefault_disable() depth (uaccess.h), saved likewise */
	int slice;                 /* ticks left in this timeslice */
	unsigned long wake_at;     /* jiffies (timer_pending) */
	int (*fn)(void *);
	void *arg;
	int exit_code;
	wait_queue_head_t exit_wq; /* kthread_join waits here */
	struct kmap_saved kmap;    /* kmap_local mappings while switched out */
	struct mm_struct *mm;      /* its address space; NULL for a kernel thread */
	struct mm_struct *active_mm; /* the one loaded while it runs (NULL: init_mm) */
	struct files_struct *files; /* open files (fs.h); NULL for a kernel thread */
	struct fs_struct *fs;      /* cwd and root (fs.h); NULL for a kernel thread */
	void *stack_lo, *stack_hi; /* [lo, hi): the stack; the canary is at lo */
	struct page *stack_pages;  /* NULL: a stack the task did not allocate */
	unsigned fail_nth;         /* fault injection: its n-th allocation from now fails */
	short oom_score_adj;       /* the OOM killer's bias, -1000..1000 (oom.h); fork copies it */
	unsigned long ticks;       /* timer ticks spent running */
	unsigned long cticks;      /* ticks of its reaped children (and theirs): times' cutime */
	unsigned long nr_switches; /* times switched to */
	struct list_head run_link, timer_link, all_link;
	/* A process (kernel/fork.c): a task with an mm that entered ring 3.
	 * Its end is its kthread end: exit_code holds the wait4 status, and
	 * the parent's wait4 reaps it (kthread_join). */
	bool is_process;
	int tgid;                  /* = pid: one thread per process */
	struct task *parent;       /* the process that reaps it with wait4; NULL: the kernel
	                              thread that made it joins it, or (orphan) reap_orphans */
	bool orphan;               /* its parent process ended first */
	bool exit_notified;        /* ended and off its CPU: exit_notify_parent ran */
	struct list_head children, sibling; /* its children / its place in the parent's */
	struct list_head proc_link; /* on the list of live processes (kill, ps) */
	wait_queue_head_t child_wq; /* wait4 sleeps here until a child ends */
	unsigned long clear_child_tid; /* set_tid_address / CLONE_CHILD_CLEARTID: 0 written at exit */
	volatile unsigned long pending_signals; /* bit n-1: signal n sent (kill), acted on before ring 3 */
	/* signals with handlers, job control (include/signal.h, kernel/signal.c, kernel/pgrp.c) */
	volatile unsigned long pending_rt;  /* bit n-33: signal n (33..64) pending */
	u64 pending_private;                /* of those, sent to the thread (tkill, faults):
	                                       /proc's SigPnd; the rest is ShdPnd (tasklist_lock) */
	u64 blocked;                        /* rt_sigprocmask */
	u64 saved_sigmask;                  /* rt_sigsuspend's mask to put back */
	bool restore_sigmask;               /* ... after its handler frame is built */
	struct sighand_struct *sighand;     /* the actions; NULL: all SIG_DFL */
	int pgid, sid;                      /* process group, session */
	volatile bool stopped;              /* SIGSTOP/SIGTSTP..: waiting for SIGCONT */
	int stop_code;                      /* wait4 WUNTRACED: the stop signal not yet reported */
	bool cont_report;                   /* wait4 WCONTINUED: continued, not yet reported */
	bool did_exec;                      /* setpgid on a child after its execve: EACCES */
	long syscall_nr;                    /* the int $0x80 being served, -1: none (restarts) */
	u32 fault_trapno, fault_error, fault_cr2; /* the last user fault, for sigcontext */
	unsigned long sas_ss_sp, sas_ss_size; /* sigaltstack (0 size: none) */
	unsigned long it_real_value, it_real_incr; /* ITIMER_REAL: expiry in jiffies, period */
	struct restart_block restart;       /* restart_syscall after a stop */
	u64 tls[3];                /* set_thread_area's GDT descriptors, loaded at every switch */
	/* A process's x87/SSE registers while it is switched out (fxsave
	 * format; the kernel itself never uses them: -mgeneral-regs-only). */
	u8 fpu_state[512] __attribute__((aligned(16)));
};

extern volatile unsigned long jiffies; /* ticks since the scheduler started (CPU 0's timer) */
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)

static inline struct task *get_current(void) { return arch_current(); }
/* For reports: the running task's name and pid; before tasks exist (and on
 * the hosted test machine) "swapper" and 0, as Linux's idle task. */
static inline const char *current_comm(void)
{
	struct task *t = get_current();

	return t ? t->name : "swapper";
}
static inline int current_pid(void)
{
	struct task *t = get_current();

	return t ? t->pid : 0;
}
#define current get_current()

static inline unsigned long msecs_to_jiffies(unsigned ms) { return (ms * (unsigned long)HZ + 999) / 1000; }
static inline unsigned jiffies_to_msecs(unsigned long j) { return (unsigned)(j * 1000 / HZ); }

/* ---- the scheduler (kernel/sched.c) ---- */
/* The boot flow becomes "init" on CPU 0, which gets its idle task. Once the
 * page allocator works, before the other CPUs start. */
void sched_init(void);
/* An application processor's boot context becomes its idle task; never
 * returns. Interrupts off; its timer is started. */
__noreturn void sched_ap_start(void *stack_lo, void *stack_hi);
/* The timer interrupt, on every CPU. */
void scheduler_tick(void);
/* Interrupt return with preemption pending (arch's irq exit). */
void preempt_schedule_irq(void);
/* The first thing a new task runs: finishes the switch to it, turns
 * interrupts and preemption on. */
void schedule_tail(void);
/* Give the CPU up; returns when this task is picked again. A task that set
 * itself SLEEPING first is off the runqueue until woken. */
void schedule(void);
/* Let every other runnable task on this CPU run first. */
void yield(void);
/* Sleep (the caller set TASK_SLEEPING) until woken or `timeout` jiffies;
 * returns the jiffies left. */
long schedule_timeout(long timeout);
void msleep(unsigned ms);
/* Make a SLEEPING task runnable; false if it was not sleeping. */
bool wake_up_process(struct task *t);
static inline void set_current_state(enum task_state s)
{
	__atomic_store_n(&current->state, s, __ATOMIC_SEQ_CST);
}
/* The CPU a new task should go to: the one with the fewest tasks. */
unsigned sched_pick_cpu(void);
/* Add a new task (SLEEPING, not queued) to cpu's runqueue; false if offline. */
bool sched_add_task(struct task *t, unsigned cpu);
/* The current task stops for good: it becomes DEAD and switches away. */
__noreturn void sched_exit_current(void);
/* "name[pid]" of the task running on cpu, for `cpus`. */
void sched_describe_cpu(unsigned cpu, char *buf, size_t size);
bool sched_cpu_online(unsigned cpu);

/* ---- kernel threads (kernel/kthread.c) ---- */
/* A new thread running fn(arg), not started yet (wake_up_process starts it;
 * kthread_run does both). Its name is printf-formatted. NULL without memory. */
struct task *kthread_create(int (*fn)(void *), void *arg, const char *namefmt, ...) __printf(3, 4);
/* The same, on a given CPU (NULL if that CPU is not online). */
struct task *kthread_create_on_cpu(int (*fn)(void *), void *arg, unsigned cpu,
				   const char *namefmt, ...) __printf(4, 5);
#define kthread_run(fn, arg, ...)                                              \
	({                                                                     \
		struct task *__t = kthread_create(fn, arg, __VA_ARGS__);       \
		if (__t)                                                       \
			wake_up_process(__t);                                  \
		__t;                                                           \
	})
/* The pid handed out last (to a process or a kernel thread): /proc/loadavg. */
int last_pid(void);
/* Wait until t has exited, free it, return its exit code. Every thread
 * must be started and joined exactly once (nothing frees an unjoined one). */
int kthread_join(struct task *t);
/* End the current thread now (returning from fn does the same). */
__noreturn void kthread_exit(int code);
/* Called by the scheduler once a dead task is off its CPU. */
void kthread_task_gone(struct task *t);
/* Register a task whose stack already exists (init, idle tasks). */
void task_init_static(struct task *t, const char *name, int pid, void *lo, void *hi);
/* Deepest stack use so far, in bytes. */
size_t task_stack_used(const struct task *t);
/* Stop with a report if the canary below t's stack was overwritten. */
void task_check_stack(const struct task *t);
/* The monitor's `threads`: one line per task. */
void show_tasks(void);
/* "running" (RUNNING and on its CPU), "runnable", "sleeping" or "dead". */
const char *task_state_name(const struct task *t);

#endif
