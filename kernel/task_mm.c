/* task_mm.c - which address space a task runs in.
 *
 * A task with an mm (a process, or a kernel thread inside kthread_use_mm)
 * gets its page tables loaded when it is switched to. A kernel thread has
 * none and borrows whatever is loaded (active_mm): Linux's lazy TLB, so
 * going from a process to a kernel thread and back costs no CR3 load. A
 * borrowed mm other than init_mm is held with mmgrab, so its PGD cannot be
 * freed while a CPU still has it in CR3. */
#include "mm_types.h"
#include "preempt.h"
#include "sched.h"

static struct mm_struct *task_active_mm(struct task *t) { return t->active_mm ? t->active_mm : &init_mm; }

/* context_switch, interrupts off, before the stacks change. */
void mm_switch_tasks(struct task *prev, struct task *next)
{
	struct mm_struct *oldmm = task_active_mm(prev);

	if (!next->mm) {
		next->active_mm = oldmm; /* lazy: keep what is loaded */
		if (oldmm != &init_mm)
			mmgrab(oldmm);
	} else {
		switch_mm(oldmm, next->mm);
		next->active_mm = next->mm;
	}
	if (!prev->mm) { /* prev borrowed oldmm; give the reference back */
		prev->active_mm = NULL;
		if (oldmm != &init_mm)
			mmdrop(oldmm);
	}
}

void kthread_use_mm(struct mm_struct *mm)
{
	struct task *t = get_current();

	preempt_disable();
	struct mm_struct *old = task_active_mm(t);
	mmgrab(mm);
	t->mm = mm;
	t->active_mm = mm;
	switch_mm(old, mm);
	preempt_enable();
	if (old != &init_mm)
		mmdrop(old); /* the lazy reference it held */
}

void kthread_unuse_mm(struct mm_struct *mm)
{
	struct task *t = get_current();

	preempt_disable();
	switch_mm(mm, &init_mm);
	t->mm = NULL;
	t->active_mm = NULL;
	preempt_enable();
	mmdrop(mm);
}
