/* test_oom.c - the OOM killer's choice and its rules (mm/oom_kill.c) over
 * the simulated machine, with a simulated process table (this file
 * provides kernel/fork.c's for_each_process, find_process and
 * signal_process over it): Linux's badness (resident + swap entries +
 * page-table pages, oom_score_adj in thousandths of RAM + swap), init,
 * kernel threads and oom_score_adj -1000 never chosen, the biggest process
 * killed with SIGKILL and Linux 6.1's report, no second kill while the
 * victim's memory is still there, and the allocator's slow path running
 * reclaim, then the OOM killer, then waiting and retrying. */
#include <limits.h>
#include <stdlib.h>
#include "gfp.h"
#include "htest.h"
#include "mm_types.h"
#include "oom.h"
#include "process.h"
#include "sched.h"
#include "sim_mm.h"
#include "vmstat.h"

extern unsigned long host_msleeps; /* host_sched.c */

#define BASE 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

/* ---- the simulated process table ---- */
DEFINE_SPINLOCK(tasklist_lock);
static struct task *procs[8];
static int nr_procs;

void for_each_process(void (*fn)(struct task *t, void *arg), void *arg)
{
	spin_lock(&tasklist_lock);
	for (int i = 0; i < nr_procs; i++)
		fn(procs[i], arg);
	spin_unlock(&tasklist_lock);
}
struct task *find_process(int pid)
{
	for (int i = 0; i < nr_procs; i++)
		if (procs[i]->pid == pid)
			return procs[i];
	return NULL;
}
bool signal_process(int pid, int sig)
{
	struct task *t = find_process(pid);

	if (t)
		t->pending_signals |= 1UL << (sig - 1);
	return t != NULL;
}

/* A process named name with `pages` anonymous pages written (mm may be NULL:
 * then a fresh one). */
static struct task *spawn(int pid, const char *name, struct mm_struct *mm, int pages, bool process)
{
	struct task *t = calloc(1, sizeof(*t));

	t->pid = t->tgid = pid;
	t->is_process = process;
	strncpy(t->name, name, sizeof(t->name) - 1);
	t->mm = mm ? mm : mm_alloc();
	if (pages) {
		CHECK_EQ(do_mmap(t->mm, BASE, (size_t)pages * PAGE_SIZE, RW, ANON, NULL, 0), (long)BASE);
		for (int i = 0; i < pages; i++)
			CHECK_EQ(handle_mm_fault(t->mm, BASE + (unsigned long)i * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	}
	procs[nr_procs++] = t;
	return t;
}

/* The process ends: off the table, its memory and mm gone (do_exit's order). */
static void reap(struct task *t)
{
	for (int i = 0; i < nr_procs; i++)
		if (procs[i] == t)
			procs[i] = procs[--nr_procs];
	struct mm_struct *mm = t->mm;
	exit_mmap(mm);
	mmput(mm);
	exit_oom_victim(mm); /* as kernel/exit.c's exit_mm */
	free(t);
}

static bool killed(const struct task *t) { return t->pending_signals & (1UL << (SIGKILL - 1)); }

HTEST(oom_badness_counts_rss_swap_pagetables_and_adj)
{
	struct task *init = spawn(1, "init", sim_boot_mm(), 3, true);
	struct task *a = spawn(10, "a", NULL, 5, true);
	struct task *k = spawn(11, "kthread", NULL, 0, false);
	unsigned long total = totalram_pages();

	CHECK_EQ(oom_badness(init, total), LONG_MIN); /* init: never */
	CHECK_EQ(oom_badness(k, total), LONG_MIN);    /* kernel thread: never */
	/* 5 pages, 4 page-table pages (3 PMDs + 1 PTE page) */
	CHECK_EQ(a->mm->pgtables_bytes, 4 * PAGE_SIZE);
	CHECK_EQ(oom_badness(a, total), 5 + 4);
	add_mm_counter(a->mm, MM_SWAPENTS, 7); /* pages out in swap count too */
	CHECK_EQ(oom_badness(a, total), 5 + 4 + 7);
	add_mm_counter(a->mm, MM_SWAPENTS, -7);
	a->oom_score_adj = 500;
	CHECK_EQ(oom_badness(a, total), 9 + 500 * (long)(total / 1000));
	a->oom_score_adj = -500;
	CHECK_EQ(oom_badness(a, total), 9 - 500 * (long)(total / 1000)); /* may go negative */
	a->oom_score_adj = OOM_SCORE_ADJ_MIN;
	CHECK_EQ(oom_badness(a, total), LONG_MIN);
	CHECK_EQ(oom_score(a), 0);
	a->oom_score_adj = 0;
	CHECK(oom_score(a) > 0 && oom_score(a) <= 2000);
	reap(a);
	reap(k);
	reap(init);
	CHECK_EQ(nr_procs, 0);
}

HTEST(oom_kills_the_biggest_once_until_it_is_gone)
{
	struct task *init = spawn(1, "init", sim_boot_mm(), 40, true);
	struct task *small = spawn(10, "small", NULL, 4, true);
	struct task *hog = spawn(12, "hog", NULL, 30, true);
	struct task *mid = spawn(13, "mid", NULL, 10, true);
	unsigned long kills = global_vm_event(OOM_KILL);

	htest_log_clear();
	CHECK(out_of_memory(GFP_HIGHUSER, 0));
	CHECK(killed(hog) && !killed(small) && !killed(mid) && !killed(init));
	CHECK_EQ(global_vm_event(OOM_KILL), kills + 1);
	CHECK_EQ(oom_last_victim_pid, 12);
	CHECK(htest_log_contains("invoked oom-killer: gfp_mask=0xcc2(GFP_HIGHUSER), order=0, "
				 "oom_score_adj=0\n"));
	CHECK(htest_log_contains("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents "
				 "oom_score_adj name\n"));
	CHECK(htest_log_contains("[     12]     0    12       30       30    16384        0"
				 "             0 hog\n"));
	CHECK(htest_log_contains("Out of memory: Killed process 12 (hog) total-vm:120kB, "
				 "anon-rss:120kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:16kB "
				 "oom_score_adj:0\n"));
	/* the victim has not exited yet: wait for it, kill nobody else */
	CHECK(oom_victim_exiting());
	CHECK(out_of_memory(GFP_HIGHUSER, 0));
	CHECK(!killed(mid) && !killed(small));
	CHECK_EQ(global_vm_event(OOM_KILL), kills + 1);
	/* its memory is back once its address space has no users */
	reap(hog);
	CHECK(!oom_victim_exiting());
	/* a process already dying (kill -9 from elsewhere) is waited for too */
	small->pending_signals |= 1UL << (SIGKILL - 1);
	CHECK(out_of_memory(GFP_HIGHUSER, 0));
	CHECK(!killed(mid));
	small->pending_signals = 0;
	/* next time: the next biggest; oom_score_adj 1000 outweighs size */
	small->oom_score_adj = OOM_SCORE_ADJ_MAX;
	CHECK(out_of_memory(GFP_HIGHUSER, 0));
	CHECK(killed(small) && !killed(mid));
	CHECK_EQ(global_vm_event(OOM_KILL), kills + 2);
	reap(small);
	CHECK(!oom_victim_exiting());
	reap(mid);
	reap(init);
}

HTEST(oom_nothing_killable_fails)
{
	struct task *init = spawn(1, "init", sim_boot_mm(), 2, true);
	struct task *keep = spawn(20, "precious", NULL, 2, true);

	keep->oom_score_adj = OOM_SCORE_ADJ_MIN;
	CHECK(!out_of_memory(GFP_KERNEL, 0));
	CHECK(!killed(init) && !killed(keep));
	reap(keep);
	reap(init);
}

HTEST(oom_allocator_reclaims_then_kills_then_waits_and_retries)
{
	struct task *init = spawn(1, "init", sim_boot_mm(), 1, true);
	struct task *hog = spawn(30, "hog", NULL, 64, true);
	unsigned long kills = global_vm_event(OOM_KILL);
	unsigned long stalls = global_vm_event(ALLOCSTALL_NORMAL);
	struct page *held = NULL;

	/* take every lowmem page a GFP_KERNEL request may have */
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	for (struct page *p; (p = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0));) {
		p->lru.next = (struct list_head *)held; /* a chain through the pages */
		held = p;
	}
	CHECK_EQ(global_vm_event(OOM_KILL), kills); /* GFP_ATOMIC never reclaims nor kills */
	CHECK_EQ(global_vm_event(ALLOCSTALL_NORMAL), stalls);
	unsigned long sleeps = host_msleeps;
	CHECK(alloc_pages(gfp, 0) == NULL); /* the hog never exits here: retries run out */
	CHECK_EQ(global_vm_event(ALLOCSTALL_NORMAL) > stalls, 1); /* direct reclaim ran */
	CHECK(killed(hog));
	CHECK_EQ(global_vm_event(OOM_KILL), kills + 1); /* once, however many retries */
	CHECK(host_msleeps > sleeps);                   /* it waited for the victim */
	while (held) {
		struct page *next = (struct page *)held->lru.next;
		__free_pages(held, 0);
		held = next;
	}
	reap(hog);
	CHECK(!oom_victim_exiting());
	reap(init);
}
