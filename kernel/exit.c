/* exit.c - the end of a process: exit and exit_group, and the default
 * action of a fatal signal.
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
#include "syscalls.h"
#include "oom.h"
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
