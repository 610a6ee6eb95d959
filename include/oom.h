/* oom.h - the OOM killer (mm/oom_kill.c): when reclaim can free nothing
 * and an allocation that may wait still fails, end the process whose
 * death frees the most memory, and let the allocation retry once it is
 * gone. Linux's policy and report (mm/oom_kill.c, 6.1). */
#ifndef HL_OOM_H
#define HL_OOM_H

#include "gfp.h"

struct task;
struct mm_struct;

#define OOM_SCORE_ADJ_MIN (-1000) /* never chosen */
#define OOM_SCORE_ADJ_MAX 1000

/* Linux's oom_badness: the pages p's death would free (resident pages,
 * swap entries, page-table pages) plus oom_score_adj thousandths of
 * totalpages; LONG_MIN for a task that must never be chosen (init, a
 * kernel thread, no mm, oom_score_adj -1000). tasklist_lock held. */
long oom_badness(struct task *p, unsigned long totalpages);
/* /proc/PID/oom_score's number (Linux 6.1): badness scaled to 0..2000 and
 * by 2/3, 0 for the unkillable. tasklist_lock held. */
long oom_score(struct task *p);
/* /proc/PID/oom_score and the writable /proc/PID/oom_score_adj
 * (kernel/proc_oom.c); proc_pid_files_init calls it. 0 or -errno. */
int proc_oom_init(void);

/* Choose and kill a victim for a request (gfp, order) that failed after
 * reclaim: true if one was killed now or an earlier one is still
 * exiting (the caller waits and retries), false if nothing can be killed.
 * Reports as Linux (the "invoked oom-killer" header, the task table, the
 * "Out of memory: Killed process" line) and counts OOM_KILL. */
bool out_of_memory(gfp_t gfp, unsigned order);
/* Is the last victim still exiting (its memory not yet freed)? */
bool oom_victim_exiting(void);
/* A process's address space is gone (exit_mm, after mmput): if it was the
 * OOM victim's, the wait is over (Linux's exit_oom_victim). */
void exit_oom_victim(struct mm_struct *mm);
/* Sleep a tick or two so a victim can run to its end (the allocator's retry). */
void oom_wait_for_victim(void);

/* A user fault could not get a page even after the allocator's OOM
 * handling: true if the fault should be retried (another process was
 * killed and is exiting, for at most 2 s), false if the current process
 * must end. */
bool pagefault_out_of_memory(void);

/* pid of the last victim (0: none yet); processes killed (tests, monitor). */
extern int oom_last_victim_pid;

#endif
