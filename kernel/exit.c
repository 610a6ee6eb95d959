/* exit.c - the end of a process: exit and exit_group, the default
 * action of a fatal signal, and wait4/waitpid, by which the parent learns
 * of its children's ends, stops (WUNTRACED) and continues (WCONTINUED).
 *
 * The process's regions and user pages go first (exit_mmap: each
 * mapping's reference and _mapcount), then the task leaves its address space for the
 * kernel's and drops it (mmput frees the PTE pages, mmdrop the PGD once no
 * CPU borrows it), then the task ends with Linux's wait4 status. */
#include "fs.h"
#include "machine.h"
#include "mm_types.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "slab.h"
#include "syscalls.h"
#include "oom.h"
#include "tty.h"
#include "uaccess.h"

/* Unmap everything and let go of the address space. */
static void exit_mm(struct task *t)
{
	struct mm_struct *mm = t->mm;

	if (!mm)
		return;
	exit_mmap(mm);
	preempt_disable();
	t->mm = NULL;
	t->active_mm = NULL; /* init_mm */
	switch_mm(mm, &init_mm);
	preempt_enable();
	mmput(mm);
	exit_oom_victim(mm); /* an OOM victim's memory is back (mm/oom_kill.c) */
}

/* init is gone: say how, and end the machine with its verdict. */
static __noreturn void init_exited(int status)
{
	if (status & 0x7f) {
		pr_emerg("Attempted to kill init! exitcode=0x%08x (signal %d)\n", status, status & 0x7f);
		machine_exit(QEMU_EXIT_FAIL);
	}
	pr_info("init exited with status %d\n", (status >> 8) & 0xff);
	machine_exit(status ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}

__noreturn void do_exit(int status)
{
	struct task *t = current;

	if (t == child_reaper)
		init_exited(status);

	if (t->clear_child_tid) /* CLONE_CHILD_CLEARTID / set_tid_address: the tid word becomes 0 */
		put_user(0, (int *)t->clear_child_tid);
	forget_children(t);
	exit_sighand(t);
	if (t->is_process && t->sid == t->pid)
		tty_session_leader_exit(t); /* its terminal: SIGHUP, no session */
	exit_mm(t);
	/* its open files (a pipe's writer closing: the reader's EOF) and cwd */
	struct files_struct *files = t->files;
	struct fs_struct *fs = t->fs;
	t->files = NULL;
	t->fs = NULL;
	put_files_struct(files);
	free_fs_struct(fs);
	kthread_exit(status);
}

__noreturn void force_sig_exit(int sig) { do_exit(W_EXITCODE(0, sig & 0x7f)); }

SYSCALL_DEFINE1(exit, __NR_exit, int, code) { do_exit(W_EXITCODE(code, 0)); }

/* One thread per process so far: the same as exit. */
SYSCALL_DEFINE1(exit_group, __NR_exit_group, int, code) { do_exit(W_EXITCODE(code, 0)); }

/* ---- wait4 ---- */

#define WNOHANG 0x1
#define WUNTRACED 0x2
#define WCONTINUED 0x8
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000u

/* Does child c answer wait4's pid (>0 that pid, 0 the caller's group,
 * <-1 group -pid, -1 any)? */
static bool wait_match(const struct task *p, const struct task *c, int pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == p->pgid;
	if (pid < -1)
		return c->pgid == -pid;
	return true;
}

enum { W_EXITED, W_STOPPED, W_CONTINUED };

/* A matching child with something to report (*kind), or NULL; *any says
 * whether a matching child exists at all. tasklist_lock held. */
static struct task *find_report(struct task *p, int pid, int options, bool *any, int *kind)
{
	struct list_head *l;

	*any = false;
	list_for_each(l, &p->children) {
		struct task *c = list_entry(l, struct task, sibling);
		if (!wait_match(p, c, pid))
			continue;
		*any = true;
		if (c->exited) {
			*kind = W_EXITED;
			return c;
		}
		if ((options & WUNTRACED) && c->stopped && c->stop_code) {
			*kind = W_STOPPED;
			return c;
		}
		if ((options & WCONTINUED) && c->cont_report) {
			*kind = W_CONTINUED;
			return c;
		}
	}
	return NULL;
}

static bool wait_ready(struct task *p, int pid, int options)
{
	bool any;
	int kind;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	bool ready = find_report(p, pid, options, &any, &kind) || !any;

	spin_unlock_irqrestore(&tasklist_lock, f);
	return ready;
}

/* wait4's work; *ticks (if given) gets an exited child's time and its
 * reaped children's, for wait4's struct rusage. */
static long do_wait(int pid, int *status, int options, unsigned long *ticks)
{
	struct task *p = current;
	struct task *z;
	bool any;
	int kind = W_EXITED, st = 0, zpid = 0;
	unsigned long zticks = 0;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	reap_orphans();
	for (;;) {
		unsigned long f = spin_lock_irqsave(&tasklist_lock);
		z = find_report(p, pid, options, &any, &kind);
		if (z) {
			zpid = z->pid;
			if (kind == W_EXITED) {
				list_del(&z->sibling);
				INIT_LIST_HEAD(&z->sibling);
				/* its time and its reaped children's become the
				 * caller's children's time (times, getrusage, cutime) */
				p->cticks += z->ticks + z->cticks;
				zticks = z->ticks + z->cticks;
			} else if (kind == W_STOPPED) {
				st = (z->stop_code << 8) | 0x7f; /* WIFSTOPPED */
				z->stop_code = 0;                /* reported once */
			} else {
				st = 0xffff;                     /* WIFCONTINUED */
				z->cont_report = false;
			}
		}
		spin_unlock_irqrestore(&tasklist_lock, f);
		if (z || !any || (options & WNOHANG))
			break;
		wait_event(p->child_wq, wait_ready(p, pid, options) || signal_pending(p));
		if (!wait_ready(p, pid, options) && signal_pending(p))
			return -ERESTARTSYS; /* a handler, then wait4 again (SA_RESTART) or EINTR */
	}
	if (!z)
		return any ? 0 : -ECHILD;
	if (kind == W_EXITED)
		st = kthread_join(z);
	if (ticks)
		*ticks = zticks;
	if (status && put_user(st, status))
		return -EFAULT;
	return zpid;
}

SYSCALL_DEFINE4(wait4, __NR_wait4, int, pid, int *, status, int, options, void *, rusage)
{
	/* i386 struct rusage (18 longs): the child's time in ru_utime (Highland
	 * keeps one tick count: kernel/sys.c), the rest 0 */
	unsigned long ticks = 0;
	long r = do_wait(pid, status, options, &ticks);
	if (r > 0 && rusage) {
		s32 ru[18] = { 0 };
		unsigned long us = ticks * (1000000ul / HZ);
		ru[0] = (s32)(us / 1000000);
		ru[1] = (s32)(us % 1000000);
		if (copy_to_user(rusage, ru, sizeof(ru)))
			return -EFAULT;
	} else if (rusage && r == 0 && clear_user(rusage, 18 * sizeof(long))) {
		return -EFAULT;
	}
	return r;
}

SYSCALL_DEFINE3(waitpid, __NR_waitpid, int, pid, int *, status, int, options)
{
	return do_wait(pid, status, options, NULL);
}
