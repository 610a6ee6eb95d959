/* pgrp.c - process groups and sessions: setpgid, getpgid, getpgrp,
 * setsid, getsid, with the checks Linux makes.
 *
 * Why: job control. A shell puts each pipeline in its own process group
 * and tells the terminal which group is in the foreground (TIOCSPGRP,
 * fs/tty.c); ^C goes to that group, and a background group reading the
 * terminal gets SIGTTIN. A session is a login's set of groups, owning at
 * most one controlling terminal. The ids live in the task (pgid, sid,
 * inherited at fork); a group or session exists while a process has its
 * id, as in Linux (which counts struct pid users). Init (pid 1) starts in
 * group 0 and session 0, as Linux's init before it calls setsid. */
#include "errno.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "syscalls.h"

struct group_query {
	int pgid, sid;
	bool found;
};

static void group_in_session(struct task *t, void *arg)
{
	struct group_query *q = arg;

	if (t->pgid == q->pgid && (q->sid < 0 || t->sid == q->sid))
		q->found = true;
}

/* Does a process of group pgid exist (in session sid; -1: any)? A zombie
 * counts: a pipeline's first process may have ended, unreaped, while the
 * shell still moves the others into its group and gives that group the
 * terminal. tasklist_lock held. */
static bool group_exists_locked(int pgid, int sid)
{
	struct group_query q = { pgid, sid, false };

	for_each_process_locked(group_in_session, &q);
	if (!q.found)
		for_each_zombie_locked(group_in_session, &q);
	return q.found;
}

bool pgrp_exists(int pgid, int sid)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	bool found = group_exists_locked(pgid, sid);

	spin_unlock_irqrestore(&tasklist_lock, f);
	return found;
}

static long do_setpgid(int pid, int pgid)
{
	struct task *me = current;
	long err = 0;

	if (pgid < 0)
		return -EINVAL;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	struct task *t = pid ? find_process(pid) : me;
	if (!t || (t != me && t->parent != me)) {
		err = -ESRCH; /* only itself or its own child */
		goto out;
	}
	if (!pgid)
		pgid = t->pid;
	if (t != me) {
		if (t->sid != me->sid) {
			err = -EPERM;
			goto out;
		}
		if (t->did_exec) {
			err = -EACCES; /* a child that ran execve keeps its group */
			goto out;
		}
	}
	if (t->sid == t->pid) {
		err = -EPERM; /* a session leader cannot move */
		goto out;
	}
	if (pgid != t->pid && !group_exists_locked(pgid, me->sid)) {
		err = -EPERM; /* join a group of this session, or lead a new one */
		goto out;
	}
	t->pgid = pgid;
out:
	spin_unlock_irqrestore(&tasklist_lock, f);
	return err;
}

SYSCALL_DEFINE2(setpgid, 57, int, pid, int, pgid) { return do_setpgid(pid, pgid); }

/* pgid or sid of process pid (0: the caller). */
static long get_id(int pid, bool sid)
{
	if (!pid)
		return sid ? current->sid : current->pgid;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_process(pid);
	long r = !t ? -ESRCH : sid ? t->sid : t->pgid;

	spin_unlock_irqrestore(&tasklist_lock, f);
	return r;
}

SYSCALL_DEFINE1(getpgid, 132, int, pid) { return get_id(pid, false); }
SYSCALL_DEFINE0(getpgrp, 65) { return current->pgid; }
SYSCALL_DEFINE1(getsid, 147, int, pid) { return get_id(pid, true); }

/* A new session and group led by the caller, with no controlling
 * terminal; EPERM for a group leader (its group would straddle sessions). */
SYSCALL_DEFINE0(setsid, 66)
{
	struct task *me = current;
	long r;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);

	if (group_exists_locked(me->pid, -1)) {
		r = -EPERM;
	} else {
		me->sid = me->pgid = me->pid;
		r = me->pid;
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
	return r;
}
