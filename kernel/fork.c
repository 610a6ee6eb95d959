/* fork.c - new processes (fork, vfork, clone with fork's flags) and the
 * family: wait4/waitpid, getppid, and what happens to children whose
 * parent is gone.
 *
 * A child is a new thread (kthread_create, on the CPU with the fewest
 * tasks; it stays there) whose first act is to take its address space and
 * return to ring 3 with a copy of the parent's saved user registers, eax 0.
 * The address space is a copy of the parent's regions whose private pages
 * are shared copy-on-write (dup_mmap, mm/memory.c's copy_page_range).
 *
 * Every process ends as a kthread ends (exit.c): its wait4 status is the
 * thread's exit code and reaping it is kthread_join. tasklist_lock guards
 * the parent/children links. An orphan (its parent ended first) has no one
 * to wait for it: when a user init runs (child_reaper), init adopts it and
 * reaps it with wait4, as Linux; without one (the in-kernel tests) it goes
 * on a list and is reaped by the next process to fork, wait or exit. */
#include "errno.h"
#include "fs.h"
#include "kstring.h"
#include "mm_types.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "slab.h"
#include "syscalls.h"
#include "uaccess.h"

DEFINE_SPINLOCK(tasklist_lock);

/* Take e off its list and leave it an empty list of its own. */
static void unlink_init(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	INIT_LIST_HEAD(e);
}
static struct list_head orphans = LIST_HEAD_INIT(orphans);
struct task *child_reaper; /* the user init (pid 1), once it runs: it adopts orphans */
static struct list_head processes = LIST_HEAD_INIT(processes); /* alive: not yet in do_exit */ /* ended, parent gone: to be joined */

void process_init(struct task *t, struct task *parent)
{
	t->is_process = true;
	t->tgid = t->pid;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	init_waitqueue_head(&t->child_wq, "child_wq");
	t->parent = parent;
	t->oom_score_adj = parent ? parent->oom_score_adj : 0; /* as Linux: inherited */
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	if (parent)
		list_add_tail(&t->sibling, &parent->children);
	list_add_tail(&t->proc_link, &processes);
	spin_unlock_irqrestore(&tasklist_lock, f);
}

/* The live process with this pid; tasklist_lock held (process.h). */
struct task *find_process(int pid)
{
	struct list_head *l;

	list_for_each(l, &processes) {
		struct task *t = list_entry(l, struct task, proc_link);
		if (t->pid == pid)
			return t;
	}
	return NULL;
}

bool process_exists(int pid)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	bool found = find_process(pid) != NULL;

	spin_unlock_irqrestore(&tasklist_lock, f);
	return found;
}

bool signal_process(int pid, int sig)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_process(pid);

	if (t) /* under the lock: t cannot end and be freed meanwhile */
		send_signal_locked(t, sig, NULL);
	spin_unlock_irqrestore(&tasklist_lock, f);
	return t != NULL;
}

void for_each_process_locked(void (*fn)(struct task *t, void *arg), void *arg)
{
	struct list_head *l;

	list_for_each(l, &processes)
		fn(list_entry(l, struct task, proc_link), arg);
}

void for_each_zombie_locked(void (*fn)(struct task *t, void *arg), void *arg)
{
	struct list_head *l, *c;

	list_for_each(l, &processes) {
		struct task *p = list_entry(l, struct task, proc_link);
		list_for_each(c, &p->children) {
			struct task *z = list_entry(c, struct task, sibling);
			if (list_empty(&z->proc_link)) /* left the process list: ended */
				fn(z, arg);
		}
	}
}

void for_each_process(void (*fn)(struct task *t, void *arg), void *arg)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);

	for_each_process_locked(fn, arg);
	spin_unlock_irqrestore(&tasklist_lock, f);
}

void reap_orphans(void)
{
	for (;;) {
		unsigned long f = spin_lock_irqsave(&tasklist_lock);
		struct task *t = list_empty(&orphans) ? NULL
						      : list_entry(orphans.next, struct task, sibling);
		if (t)
			unlink_init(&t->sibling);
		spin_unlock_irqrestore(&tasklist_lock, f);
		if (!t)
			return;
		kthread_join(t);
	}
}

/* Called once a process is off its CPU for good (kthread_task_gone):
 * wake the parent's wait4, or queue an orphan for reaping. */
void exit_notify_parent(struct task *t)
{
	if (!t->is_process)
		return;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	t->exit_notified = true;
	if (t->parent) /* SIGCHLD and its wait4 (kernel/signal.c) */
		do_notify_parent_locked(t, t->exit_code & 0x7f ? CLD_KILLED : CLD_EXITED,
					t->exit_code & 0x7f ? t->exit_code & 0x7f
							    : (t->exit_code >> 8) & 0xff);
	else if (t->orphan)
		list_add_tail(&t->sibling, &orphans);
	spin_unlock_irqrestore(&tasklist_lock, f);
}

/* exit: the children lose their parent (they become orphans, reaped by
 * whoever comes next); those already ended are reaped now. */
void forget_children(struct task *t)
{
	if (!t->is_process)
		return;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	unlink_init(&t->proc_link); /* no longer found by kill */
	struct task *reaper = child_reaper && child_reaper != t && child_reaper->is_process
				      ? child_reaper : NULL;
	while (!list_empty(&t->children)) {
		struct task *c = list_entry(t->children.next, struct task, sibling);
		unlink_init(&c->sibling);
		if (reaper) { /* Linux's way: init adopts it, and its wait4 reaps it */
			c->parent = reaper;
			list_add_tail(&c->sibling, &reaper->children);
			if (c->exit_notified)
				wake_up(&reaper->child_wq);
			continue;
		}
		c->parent = NULL;
		c->orphan = true;
		if (c->exit_notified) /* ended already: nobody else will queue it */
			list_add_tail(&c->sibling, &orphans);
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
	reap_orphans();
}

struct fork_ctx {
	struct mm_struct *mm;
	unsigned long child_tid; /* CLONE_CHILD_SETTID: where the child writes its tid */
	struct pt_regs *regs;
};

/* The child's first code: take the mm, return to ring 3 as the parent did. */
static int child_entry(void *arg)
{
	struct fork_ctx *c = arg;
	struct task *t = current;
	u8 regs[PT_REGS_SIZE];

	memcpy(regs, c->regs, PT_REGS_SIZE);
	struct mm_struct *mm = c->mm;
	unsigned long tid_ptr = c->child_tid;
	kfree(c->regs);
	kfree(c);
	preempt_disable();
	struct mm_struct *old = t->active_mm ? t->active_mm : &init_mm;
	t->mm = mm;
	t->active_mm = mm;
	switch_mm(old, mm);
	preempt_enable();
	if (old != &init_mm)
		mmdrop(old);
	if (tid_ptr)
		put_user(t->pid, (int *)tid_ptr);
	ret_from_fork_user((struct pt_regs *)regs);
}

#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_VFORK 0x00004000
#define CLONE_THREAD 0x00010000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000

static long do_fork(unsigned long flags, unsigned long newsp, int *parent_tid, int *child_tid)
{
	struct task *p = current;

	if (flags & (CLONE_VM | CLONE_THREAD | CLONE_SETTLS))
		return -EINVAL; /* threads: not yet (one thread per process) */
	if (!p->mm)
		return -EINVAL;
	reap_orphans();
	struct fork_ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);
	struct mm_struct *mm = c ? mm_alloc() : NULL;
	struct pt_regs *regs = mm ? kmalloc(PT_REGS_SIZE, GFP_KERNEL) : NULL;
	struct files_struct *files = NULL;
	struct fs_struct *fs = NULL;
	struct task *t = NULL;
	struct sighand_struct *sh = NULL;
	if (!regs || dup_mmap(mm, p->mm))
		goto fail;
	/* the open files and the cwd: copies (Linux's copy_files, copy_fs) */
	files = p->files ? dup_fd(p->files) : NULL;
	fs = p->fs ? copy_fs_struct(p->fs) : NULL;
	if ((p->files && !files) || (p->fs && !fs) || !dup_sighand(p, &sh))
		goto fail;
	memcpy(regs, task_pt_regs(p), PT_REGS_SIZE);
	if (newsp)
		pt_regs_set_sp(regs, newsp);
	c->mm = mm;
	c->regs = regs;
	c->child_tid = flags & CLONE_CHILD_SETTID ? (unsigned long)child_tid : 0;
	t = kthread_create(child_entry, c, "%s", p->name);
	if (!t)
		goto fail;
	t->files = files;
	t->fs = fs;
	copy_signal_state(t, p, sh); /* its actions, mask, group and session */
	sh = NULL;
	process_init(t, p);
	preempt_disable(); /* the parent's FPU registers are live in this CPU */
	arch_fpu_copy_current(t);
	preempt_enable();
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = (unsigned long)child_tid;
	memcpy(t->tls, p->tls, sizeof(t->tls));
	int pid = t->pid;
	if (flags & CLONE_PARENT_SETTID)
		put_user(pid, parent_tid);
	wake_up_process(t);
	if (flags & CLONE_VFORK) /* the parent waits until the child is done with "its" memory */
		wait_event(t->exit_wq, t->exited);
	return pid;

fail: /* undo in reverse; each put/free accepts NULL */
	kfree(sh);
	put_files_struct(files);
	free_fs_struct(fs);
	if (mm) {
		exit_mmap(mm);
		mmput(mm);
	}
	kfree(regs);
	kfree(c);
	return -ENOMEM;
}

SYSCALL_DEFINE0(fork, __NR_fork) { return do_fork(17 /* SIGCHLD */, 0, NULL, NULL); }

/* vfork: a fork (a copy, not a shared mm) whose parent sleeps until the
 * child has ended, which is all a vfork child may rely on besides exec. */
SYSCALL_DEFINE0(vfork, __NR_vfork) { return do_fork(CLONE_VFORK | 17, 0, NULL, NULL); }

/* i386 argument order (CONFIG_CLONE_BACKWARDS): flags, newsp, parent_tid, tls, child_tid. */
SYSCALL_DEFINE5(clone, __NR_clone, unsigned long, flags, unsigned long, newsp, int *, parent_tid,
		unsigned long, tls, int *, child_tid)
{
	(void)tls;
	return do_fork(flags, newsp, parent_tid, child_tid);
}

/* wait4 and waitpid: kernel/exit.c. */

SYSCALL_DEFINE0(getppid, __NR_getppid)
{
	struct task *p = current->parent;

	return p ? p->pid : 0;
}

SYSCALL_DEFINE1(set_tid_address, __NR_set_tid_address, int *, tidptr)
{
	current->clear_child_tid = (unsigned long)tidptr;
	return current->pid;
}

/* Accepted and remembered nowhere: no threads, so no robust futexes to release. */
SYSCALL_DEFINE2(set_robust_list, __NR_set_robust_list, void *, head, size_t, len)
{
	return len == 12 ? 0 : -EINVAL; /* sizeof(struct robust_list_head) on i386 */
}
