/* pid.c - finding a task by its pid, safely against its exit.
 *
 * A process is on kernel/fork.c's list of live processes from process_init
 * until do_exit; it leaves that list (under tasklist_lock) before it gives
 * up its address space, and its struct task is freed by whoever joins it
 * only after that. So under tasklist_lock a listed task and its mm are
 * whole: find_task_by_pid returns a task valid while the caller holds it.
 *
 * /proc's readers allocate and may sleep while they print, which a spinlock
 * forbids. They take a snapshot instead: a copy of the struct task made
 * under the lock, plus a user reference on its mm (mm_users, as Linux's
 * get_task_mm), so the mm's page tables outlive an exit that races with the
 * read; put_task_snapshot drops both. What a running process changes in
 * its regions meanwhile (munmap) is not locked out: Highland has no
 * mmap_lock yet, so a /proc read of another process's regions is a
 * snapshot for debugging, as the monitor's `maps` is.
 */
#include "kstring.h"
#include "mm_types.h"
#include "process.h"
#include "sched.h"
#include "slab.h"

struct task *find_task_by_pid(int pid)
{
	struct task *cur = current;

	if (pid <= 0)
		return NULL;
	if (cur && cur->pid == pid)
		return cur; /* itself: a kernel thread too (it is on no list) */
	return find_process(pid);
}

bool pid_task_exists(int pid)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	bool found = find_task_by_pid(pid) != NULL;

	spin_unlock_irqrestore(&tasklist_lock, f);
	return found;
}

struct task *get_task_snapshot(int pid)
{
	struct task *copy = kmalloc(sizeof(*copy), GFP_KERNEL), *t;
	unsigned long f;

	if (!copy)
		return NULL;
	f = spin_lock_irqsave(&tasklist_lock);
	t = find_task_by_pid(pid);
	if (t) {
		memcpy(copy, t, sizeof(*copy));
		/* A listed process has not reached exit_mm, so mm_users >= 1. */
		if (copy->mm)
			__atomic_add_fetch(&copy->mm->mm_users, 1, __ATOMIC_ACQ_REL);
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
	if (!t) {
		kfree(copy);
		return NULL;
	}
	return copy;
}

void put_task_snapshot(struct task *copy)
{
	if (!copy)
		return;
	if (copy->mm)
		mmput(copy->mm);
	kfree(copy);
}
