/* signal_queue.c - real-time signals queued with their siginfo,
 * rt_sigqueueinfo, and a process's signal state for /proc.
 *
 * Why: a standard signal is a bit, so two sends before delivery arrive as
 * one. POSIX's real-time signals (SIGRTMIN..SIGRTMAX, 32..64 in the
 * kernel) are queued instead: each send is one delivery, the lowest signal
 * first and, for one signal, in the order sent, each with its own siginfo
 * - which is how sigqueue(3) passes a value (si_value) along. Linux keeps
 * one list of struct sigqueue per pending set; Highland keeps one per
 * process, in its sighand (so only a process that set an action queues:
 * without one, the first real-time signal ends it), at most SIGQUEUE_MAX
 * entries (RLIMIT_SIGPENDING). The pending bit (kernel/signal.c) stays set
 * while an entry of its signal is queued.
 *
 * Everything here runs under tasklist_lock, the lock senders hold, except
 * freeing: entries are unlinked under it and freed after. */
#include "errno.h"
#include "kstring.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "slab.h"
#include "syscalls.h"
#include "uaccess.h"

int sigqueue_add_locked(struct task *t, int sig, const struct siginfo *info)
{
	struct sighand_struct *sh = t->sighand;

	if (sh->queued >= SIGQUEUE_MAX)
		return -EAGAIN;
	struct sigqueue *q = kmalloc(sizeof(*q), GFP_ATOMIC); /* irqs off, a spinlock held */
	if (!q)
		return -EAGAIN;
	if (info) {
		q->info = *info;
	} else {
		memset(&q->info, 0, sizeof(q->info));
		q->info.si_code = SI_KERNEL;
	}
	q->info.si_signo = sig;
	q->next = NULL;
	struct sigqueue **tail = &sh->queue;
	while (*tail)
		tail = &(*tail)->next;
	*tail = q;
	sh->queued++;
	return 0;
}

struct sigqueue *sigqueue_take_locked(struct task *t, int sig, bool *more)
{
	struct sighand_struct *sh = t->sighand;
	struct sigqueue **pp = &sh->queue, *q;

	*more = false;
	while (*pp && (*pp)->info.si_signo != sig)
		pp = &(*pp)->next;
	q = *pp;
	if (!q)
		return NULL;
	*pp = q->next;
	q->next = NULL;
	sh->queued--;
	for (struct sigqueue *r = *pp; r; r = r->next)
		if (r->info.si_signo == sig) {
			*more = true;
			break;
		}
	return q;
}

struct sigqueue *sigqueue_flush_locked(struct sighand_struct *sh, int sig)
{
	struct sigqueue *out = NULL, **pp;

	if (!sh)
		return NULL;
	pp = &sh->queue;
	while (*pp) {
		struct sigqueue *q = *pp;
		if (sig && q->info.si_signo != sig) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		q->next = out;
		out = q;
		sh->queued--;
	}
	return out;
}

void sigqueue_free(struct sigqueue *q)
{
	while (q) {
		struct sigqueue *next = q->next;
		kfree(q);
		q = next;
	}
}

/* rt_sigqueueinfo's checks, as Linux: the caller's siginfo is delivered as
 * given (sigqueue(3) fills si_code SI_QUEUE, si_pid, si_uid, si_value),
 * but it may not pretend to be the kernel (si_code >= 0) or kill/tkill to
 * another process. */
static long do_rt_sigqueueinfo(int pid, int sig, const struct siginfo *uinfo)
{
	struct siginfo info;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && pid != current->pid)
		return -EPERM;
	info.si_signo = sig;
	if (pid <= 0)
		return -ESRCH; /* Linux looks pid up as a process id: none is <= 0 */
	return send_sig_info_pid(pid, sig, &info, false);
}

SYSCALL_DEFINE3(rt_sigqueueinfo, 178, int, pid, int, sig, const struct siginfo *, uinfo)
{
	return do_rt_sigqueueinfo(pid, sig, uinfo);
}

/* The same to thread tid of tgid: one thread per process, so tid == tgid. */
SYSCALL_DEFINE4(rt_tgsigqueueinfo, 335, int, tgid, int, tid, int, sig,
		const struct siginfo *, uinfo)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (tgid != tid)
		return -ESRCH;
	return do_rt_sigqueueinfo(tid, sig, uinfo);
}

/* ---- /proc/PID/status's Sig* lines and stat's signal fields ---- */

bool task_signal_state(int pid, struct task_sigstate *s)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_task_by_pid(pid);

	memset(s, 0, sizeof(*s));
	if (t) {
		s->pending = task_pending(t);
		s->shared = s->pending & ~t->pending_private;
		s->blocked = t->blocked;
		/* Linux's collect_sigign_sigcatch: the actions as set, SIG_DFL in neither */
		for (int sig = 1; t->sighand && sig <= _NSIG; sig++) {
			unsigned long h = t->sighand->action[sig - 1].handler;
			if (h == SIG_IGN)
				s->ignored |= sigmask(sig);
			else if (h != SIG_DFL)
				s->caught |= sigmask(sig);
		}
		s->queued = (unsigned)__builtin_popcountll(s->pending & (sigmask(SIGRTMIN) - 1)) +
			    (t->sighand ? t->sighand->queued : 0);
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
	return t != NULL;
}
