/* oom_kill.c - the OOM killer: the last resort when reclaim frees nothing
 * and an allocation that may wait still fails (include/oom.h).
 *
 * The choice is Linux's oom_badness: the process whose death gives back
 * the most pages - resident pages, swap entries and page-table pages -
 * biased by its oom_score_adj (thousandths of all RAM + swap; -1000 means
 * never). init (pid 1) and kernel threads are never chosen: the first
 * because its end ends the system, the second because they have no user
 * memory to give back.
 *
 * One victim at a time: until the last victim's address space is gone
 * (exit_oom_victim from exit_mm), nobody else is killed; allocators wait
 * and retry (oom_wait_for_victim). The victim itself, on its way out, fails
 * its own allocations at once (the allocator sees its SIGKILL) rather than
 * waiting for itself. Linux also has the oom_reaper, which frees a stuck
 * victim's anonymous memory from outside and marks it skipped; Highland
 * has no reaper, only the skipping: a victim still alive 2 s after its
 * SIGKILL (asleep where the signal does not end it, e.g. a pipe read before
 * signals interrupt sleeps) no longer holds everyone back, and the next
 * choice is made among the others.
 *
 * The report is Linux 6.1's: "<comm> invoked oom-killer: ...", the free
 * areas, the task table in pages, the oom-kill summary line, and
 * "Out of memory: Killed process N (name) total-vm:...". */
#include <limits.h>
#include "mm_types.h"
#include "mmzone.h"
#include "oom.h"
#include "ksyms.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "vmstat.h"

int oom_last_victim_pid;
static unsigned long oom_kill_time; /* jiffies at the last kill */
/* How long a faulting process waits for a victim before it gives up and
 * ends itself instead (Linux frees a stuck victim's memory from outside,
 * the oom_reaper; Highland has none: a victim asleep where SIGKILL does not
 * wake it for good would otherwise hold every faulting process). */
#define OOM_VICTIM_PATIENCE (2 * HZ)
static struct mm_struct *oom_victim_mm; /* mmgrab'ed until its users are gone */
static int oom_busy;                    /* Linux's oom_lock, as a trylock flag */

/* SIGKILL is pending for t (sent by us or by kill): it is on its way out. */
static bool sigkill_pending(const struct task *t)
{
	return t && (t->pending_signals & (1UL << (SIGKILL - 1)));
}

long oom_badness(struct task *p, unsigned long totalpages)
{
	struct mm_struct *mm = p->mm;

	if (!p->is_process || p->pid == 1 || !mm || p->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return LONG_MIN;
	long points = (long)(get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS) +
			     mm->pgtables_bytes / PAGE_SIZE);
	return points + (long)p->oom_score_adj * (long)(totalpages / 1000);
}

static unsigned long oom_totalpages(void)
{
	return totalram_pages() + (unsigned long)(total_swap_pages > 0 ? total_swap_pages : 0);
}

long oom_score(struct task *p)
{
	long total = (long)oom_totalpages(), badness = oom_badness(p, (unsigned long)total);

	if (badness == LONG_MIN || total == 0)
		return 0;
	/* in 64 bits: badness * 1000 passes 2^31 at 2 million pages (8 GB) */
	long long points = (1000 + (long long)badness * 1000 / total) * 2 / 3;
	return points < 0 ? 0 : (long)points;
}

bool oom_victim_exiting(void)
{
	struct mm_struct *mm = __atomic_load_n(&oom_victim_mm, __ATOMIC_ACQUIRE);

	if (!mm)
		return false;
	if (__atomic_load_n(&mm->mm_users, __ATOMIC_ACQUIRE) > 0)
		return true;
	if (__atomic_compare_exchange_n(&oom_victim_mm, &mm, NULL, false, __ATOMIC_ACQ_REL,
					__ATOMIC_RELAXED))
		mmdrop(mm); /* gone: its memory is back */
	return false;
}

void exit_oom_victim(struct mm_struct *mm)
{
	struct mm_struct *expected = mm;

	if (__atomic_compare_exchange_n(&oom_victim_mm, &expected, NULL, false, __ATOMIC_ACQ_REL,
					__ATOMIC_RELAXED))
		mmdrop(mm);
}

void oom_wait_for_victim(void)
{
	msleep(10);
}

struct oom_control {
	unsigned long totalpages;
	long chosen_points;
	int chosen_pid;
	bool abort; /* a process is already dying: wait for it instead */
};

/* select_bad_process's step, for each live process (tasklist_lock held). */
static void oom_evaluate_task(struct task *t, void *arg)
{
	struct oom_control *oc = arg;
	long points = oom_badness(t, oc->totalpages);

	if (points == LONG_MIN)
		return;
	if (sigkill_pending(t)) {
		/* Linux's task_will_free_mem: its memory is coming back - unless
		 * it has been dying for too long (asleep where SIGKILL does not end
		 * it): then, as after Linux's oom_reaper, it is skipped */
		if (jiffies - oom_kill_time < OOM_VICTIM_PATIENCE)
			oc->abort = true;
		return;
	}
	if (points >= oc->chosen_points) {
		oc->chosen_points = points;
		oc->chosen_pid = t->pid;
	}
}

/* dump_tasks' line for each process with memory (tasklist_lock held). */
static void dump_task(struct task *t, void *arg)
{
	struct mm_struct *mm = t->mm;

	(void)arg;
	if (!mm || t->pid == 1 || !t->is_process)
		return;
	pr_info("[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5d %s\n", t->pid, 0, t->tgid,
		mm->total_vm, get_mm_rss(mm), (long)mm->pgtables_bytes,
		get_mm_counter(mm, MM_SWAPENTS), t->oom_score_adj, t->name);
}

static void dump_header(gfp_t gfp, unsigned order)
{
	char mode[160];
	struct task *cur = get_current();

	format_gfp(gfp, mode, sizeof(mode));
	pr_warn("%s invoked oom-killer: gfp_mask=%s, order=%u, oom_score_adj=%d\n", current_comm(),
		mode, order, cur ? cur->oom_score_adj : 0);
	dump_stack();
	show_free_areas();
	pr_info("Tasks state (memory values in pages):\n");
	pr_info("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
	for_each_process(dump_task, NULL);
}

#define K(pages) ((pages) << (PAGE_SHIFT - 10))

/* Send the victim SIGKILL, keep its mm to know when it is gone, report. */
static bool oom_kill_process(int pid)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_process(pid);
	struct mm_struct *mm = t ? t->mm : NULL;
	char name[TASK_COMM_LEN];
	int adj = 0;

	if (mm) { /* listed, so mm_users >= 1: safe to take a reference */
		mmgrab(mm);
		__builtin_memcpy(name, t->name, sizeof(name));
		adj = t->oom_score_adj;
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
	if (!mm)
		return false; /* it ended meanwhile: its memory is back anyway */
	pr_info("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,"
		"global_oom,task_memcg=/,task=%s,pid=%d,uid=0\n", name, pid);
	signal_process(pid, SIGKILL);
	count_vm_event(OOM_KILL);
	oom_kill_time = jiffies;
	oom_last_victim_pid = pid;
	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, "
	       "file-rss:%lukB, shmem-rss:%lukB, UID:0 pgtables:%lukB oom_score_adj:%d\n",
	       pid, name, K(mm->total_vm), K(get_mm_counter(mm, MM_ANONPAGES)),
	       K(get_mm_counter(mm, MM_FILEPAGES)), K(get_mm_counter(mm, MM_SHMEMPAGES)),
	       mm->pgtables_bytes >> 10, adj);
	struct mm_struct *old = __atomic_exchange_n(&oom_victim_mm, mm, __ATOMIC_ACQ_REL);
	if (old)
		mmdrop(old);
	return true;
}

bool out_of_memory(gfp_t gfp, unsigned order)
{
	if (__atomic_exchange_n(&oom_busy, 1, __ATOMIC_ACQUIRE))
		return true; /* another CPU is choosing: wait for its victim */
	bool ret = true;
	if (oom_victim_exiting() && jiffies - oom_kill_time < OOM_VICTIM_PATIENCE)
		goto out;
	struct oom_control oc = { .totalpages = oom_totalpages(), .chosen_points = LONG_MIN };
	for_each_process(oom_evaluate_task, &oc);
	if (oc.abort)
		goto out;
	if (!oc.chosen_pid) {
		/* Linux panics ("Out of memory and no killable processes..."); Highland
		 * lets the allocation fail, with the allocator's own report: the
		 * monitor and the self-tests exhaust memory on purpose, with no
		 * process to blame */
		ret = false;
		goto out;
	}
	dump_header(gfp, order);
	ret = oom_kill_process(oc.chosen_pid);
out:
	__atomic_store_n(&oom_busy, 0, __ATOMIC_RELEASE);
	return ret;
}

bool pagefault_out_of_memory(void)
{
	if (sigkill_pending(get_current()))
		return false; /* chosen (or killed): end now */
	if (oom_victim_exiting() && jiffies - oom_kill_time < OOM_VICTIM_PATIENCE) {
		oom_wait_for_victim();
		return true; /* someone else is giving memory back: fault again */
	}
	/* the victim is stuck: choose another (it may be this process) */
	if (!out_of_memory(GFP_HIGHUSER, 0) || sigkill_pending(get_current()))
		return false;
	oom_wait_for_victim();
	return true;
}
