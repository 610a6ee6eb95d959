/* exit.c - the end of a process: exit and exit_group, and the default
 * action of a fatal signal.
 *
 * The process's user pages go first (zap_page_range: each mapping's
 * reference and _mapcount), then the task leaves its address space for the
 * kernel's and drops it (mmput frees the PTE pages, mmdrop the PGD once no
 * CPU borrows it), then the task ends with Linux's wait4 status. */
#include "mm_types.h"
#include "process.h"
#include "sched.h"
#include "syscalls.h"

/* Unmap everything and let go of the address space. */
static void exit_mm(struct task *t)
{
	struct mm_struct *mm = t->mm;

	if (!mm)
		return;
	zap_page_range(mm, 0, PAGE_OFFSET);
	preempt_disable();
	t->mm = NULL;
	t->active_mm = NULL; /* init_mm */
	switch_mm(mm, &init_mm);
	preempt_enable();
	mmput(mm);
}

__noreturn void do_exit(int status)
{
	exit_mm(current);
	kthread_exit(status);
}

__noreturn void force_sig_exit(int sig) { do_exit(W_EXITCODE(0, sig & 0x7f)); }

SYSCALL_DEFINE1(exit, __NR_exit, int, code) { do_exit(W_EXITCODE(code, 0)); }

/* One thread per process so far: the same as exit. */
SYSCALL_DEFINE1(exit_group, __NR_exit_group, int, code) { do_exit(W_EXITCODE(code, 0)); }
