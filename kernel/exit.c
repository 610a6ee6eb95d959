/* exit.c - the end of a process: exit and exit_group, and the default
 * action of a fatal signal.
 *
 * The process's regions and user pages go first (exit_mmap: each
 * mapping's reference and _mapcount), then the task leaves its address space for the
 * kernel's and drops it (mmput frees the PTE pages, mmdrop the PGD once no
 * CPU borrows it), then the task ends with Linux's wait4 status. */
#include "mm_types.h"
#include "process.h"
#include "sched.h"
#include "syscalls.h"
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
}

__noreturn void do_exit(int status)
{
	struct task *t = current;

	if (t->clear_child_tid) /* CLONE_CHILD_CLEARTID / set_tid_address: the tid word becomes 0 */
		put_user(0, (int *)t->clear_child_tid);
	forget_children(t);
	exit_mm(t);
	kthread_exit(status);
}

__noreturn void force_sig_exit(int sig) { do_exit(W_EXITCODE(0, sig & 0x7f)); }

SYSCALL_DEFINE1(exit, __NR_exit, int, code) { do_exit(W_EXITCODE(code, 0)); }

/* One thread per process so far: the same as exit. */
SYSCALL_DEFINE1(exit_group, __NR_exit_group, int, code) { do_exit(W_EXITCODE(code, 0)); }
