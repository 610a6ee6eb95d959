/* signal.c - sending, blocking and taking signals (include/signal.h).
 *
 * Why here and not in arch/: everything but the frame on the user stack is
 * the same on every CPU. A sender (kill, the tty's ^C, a child's exit, a
 * fault) marks the signal pending under tasklist_lock, after the default
 * action's send-time effects (SIGCONT resumes a stopped process, a stop
 * signal forgets a pending SIGCONT) and wakes the target, which sees it on
 * its way back to ring 3: get_signal picks the lowest deliverable signal
 * (fault signals first, as Linux), does its default action here - stop
 * until SIGCONT, end the process, or nothing - or hands a handler to the
 * architecture's frame code. The stop and continue reach the parent as
 * SIGCHLD (CLD_STOPPED/CLD_CONTINUED, unless SA_NOCLDSTOP) and wait4's
 * WUNTRACED/WCONTINUED (kernel/exit.c).
 *
 * Pending signals are bits; a real-time one (SIGRTMIN..SIGRTMAX) is also
 * queued with its siginfo (kernel/signal_queue.c), so each send is one
 * delivery, as Linux. A signal sent to the thread (tkill, tgkill, a fault,
 * SIGPIPE) is marked private, the rest (kill, ^C, SIGCHLD) shared: /proc's
 * SigPnd and ShdPnd, Linux's two pending sets.
 *
 * Differences from Linux: real-time signals are queued only for a process
 * that has set an action (has a sighand; without one, the first of them
 * ends it anyway); no core files, so the
 * "core" signals end the process like SIGTERM does (no 0x80 status bit);
 * a stop signal stops an orphaned process group too. Init (pid 1) gets
 * only the signals it has a handler for, as Linux's SIGNAL_UNKILLABLE. */
#include "errno.h"
#include "kstring.h"
#include "preempt.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "slab.h"
#include "syscalls.h"
#include "uaccess.h"

_Static_assert(sizeof(struct k_sigaction) == 20, "i386 struct sigaction is 20 bytes");

#define SYNC_MASK (sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | sigmask(SIGTRAP) | \
		   sigmask(SIGFPE) | sigmask(SIGSYS))
#define STOP_MASK (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define INT_MIN_PID (-2147483647 - 1) /* -pid would overflow: Linux says ESRCH */
#define IGNORE_MASK (sigmask(SIGCHLD) | sigmask(SIGCONT) | sigmask(SIGURG) | sigmask(SIGWINCH))

static const struct k_sigaction sig_dfl; /* all zero: SIG_DFL */

static bool valid_sig(int sig) { return sig >= 1 && sig <= _NSIG; }

sigset_t task_pending(struct task *t)
{
	u64 lo = __atomic_load_n(&t->pending_signals, __ATOMIC_ACQUIRE);
	u64 hi = __atomic_load_n(&t->pending_rt, __ATOMIC_ACQUIRE);

	return (lo & 0xffffffffULL) | (hi << 32);
}

static void set_pending(struct task *t, int sig)
{
	if (sig <= 32)
		__atomic_or_fetch(&t->pending_signals, 1UL << (sig - 1), __ATOMIC_SEQ_CST);
	else
		__atomic_or_fetch(&t->pending_rt, 1UL << (sig - 33), __ATOMIC_SEQ_CST);
}

static void clear_pending(struct task *t, sigset_t set)
{
	t->pending_private &= ~set;
	__atomic_and_fetch(&t->pending_signals, ~(unsigned long)(u32)set, __ATOMIC_SEQ_CST);
	__atomic_and_fetch(&t->pending_rt, ~(unsigned long)(u32)(set >> 32), __ATOMIC_SEQ_CST);
}

bool signal_pending(struct task *t)
{
	return t && (task_pending(t) & (~t->blocked | sigmask(SIGKILL)));
}

struct k_sigaction *task_sigaction(struct task *t, int sig)
{
	return t->sighand ? &t->sighand->action[sig - 1] : (struct k_sigaction *)&sig_dfl;
}

/* Would sig be thrown away on arrival? (not blocked, and ignored) */
static bool sig_ignored(struct task *t, int sig)
{
	if (t->blocked & sigmask(sig))
		return false;
	unsigned long h = task_sigaction(t, sig)->handler;
	if (h == SIG_IGN)
		return true;
	if (h != SIG_DFL)
		return false;
	if (t == child_reaper)
		return true; /* init: only what it catches */
	return (sigmask(sig) & IGNORE_MASK) != 0;
}

/* send_signal_locked's work; private_: sent to the thread, not the
 * process. 0, or -EAGAIN when a real-time signal with a sender's siginfo
 * (sigqueue) finds the queue full: then nothing is sent. */
static int send_signal(struct task *t, int sig, const struct siginfo *info, bool private_)
{
	if (!t->is_process || !valid_sig(sig))
		return 0;
	if (sig == SIGKILL || sig == SIGCONT) {
		clear_pending(t, STOP_MASK);
		if (t->stopped) {
			__atomic_store_n(&t->stopped, false, __ATOMIC_SEQ_CST);
			if (sig == SIGCONT) {
				t->stop_code = 0;
				t->cont_report = true;
				do_notify_parent_locked(t, CLD_CONTINUED, SIGCONT);
			}
			wake_up_process(t);
		}
	} else if (sigmask(sig) & STOP_MASK) {
		clear_pending(t, sigmask(SIGCONT));
	}
	if (sig_ignored(t, sig))
		return 0;
	if (sig >= SIGRTMIN && t->sighand && sigqueue_add_locked(t, sig, info) &&
	    info && info->si_code != SI_USER)
		return -EAGAIN; /* kill's is still sent, its siginfo lost, as Linux */
	if (t->sighand) {
		t->sighand->info[sig - 1].code = info ? info->si_code : SI_KERNEL;
		t->sighand->info[sig - 1].pid = info ? info->u.chld.pid : 0;
		t->sighand->info[sig - 1].status = info ? info->u.chld.status : 0;
		t->sighand->info[sig - 1].addr = info ? info->u.fault.addr : 0;
	}
	set_pending(t, sig);
	if (private_)
		t->pending_private |= sigmask(sig);
	/* A sleeper comes back to find it. Also current, when an interrupt
	 * handler sends it (the console's ^C): the interrupted task may be
	 * between its last signal_pending check and schedule(). */
	if ((t != current || in_interrupt()) && !(t->blocked & sigmask(sig)))
		wake_up_process(t);
	return 0;
}

void send_signal_locked(struct task *t, int sig, const struct siginfo *info)
{
	send_signal(t, sig, info, false);
}

int send_sig_info_pid(int pid, int sig, const struct siginfo *info, bool private_)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_process(pid);
	int err = t ? sig ? send_signal(t, sig, info, private_) : 0 : -ESRCH;

	spin_unlock_irqrestore(&tasklist_lock, f);
	return err;
}

bool send_sig_pid(int pid, int sig, const struct siginfo *info)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	struct task *t = find_process(pid);

	if (t && sig)
		send_signal_locked(t, sig, info);
	spin_unlock_irqrestore(&tasklist_lock, f);
	return t != NULL;
}

struct kill_many {
	int pgid; /* -1: every process but init and the sender */
	int sig, count;
	const struct siginfo *info;
};

static void kill_one(struct task *t, void *arg)
{
	struct kill_many *k = arg;

	if (k->pgid == -1 ? (t->pid == 1 || t == current) : t->pgid != k->pgid)
		return;
	k->count++;
	if (k->sig)
		send_signal_locked(t, k->sig, k->info);
}

static int kill_many(int pgid, int sig, const struct siginfo *info)
{
	struct kill_many k = { pgid, sig, 0, info };

	for_each_process(kill_one, &k);
	return k.count;
}

int kill_pgrp(int pgid, int sig) { return kill_many(pgid, sig, NULL); }

void send_sig_current(int sig)
{
	struct task *t = current;
	struct siginfo info = { .si_signo = sig, .si_code = SI_KERNEL };

	if (!t->is_process)
		return;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	send_signal(t, sig, &info, true);
	spin_unlock_irqrestore(&tasklist_lock, f);
}

void do_notify_parent_locked(struct task *t, int code, int status)
{
	struct task *p = t->parent;

	if (!p || !p->is_process)
		return;
	bool quiet = (code == CLD_STOPPED || code == CLD_CONTINUED) &&
		     (task_sigaction(p, SIGCHLD)->flags & SA_NOCLDSTOP);
	if (!quiet) {
		struct siginfo info = { .si_signo = SIGCHLD, .si_code = code };
		info.u.chld.pid = t->pid;
		info.u.chld.status = status;
		send_signal_locked(p, SIGCHLD, &info);
	}
	wake_up(&p->child_wq); /* wait4 */
}

void force_sig_fault(int sig, int code, unsigned long addr)
{
	struct task *t = current;
	struct siginfo info = { .si_signo = sig, .si_code = code };
	unsigned long f = spin_lock_irqsave(&tasklist_lock);

	info.u.fault.addr = (u32)addr;
	/* blocked or ignored: it cannot be caught, so it does its default action */
	if ((t->blocked & sigmask(sig)) || task_sigaction(t, sig)->handler == SIG_IGN) {
		if (t->sighand)
			t->sighand->action[sig - 1].handler = SIG_DFL;
		t->blocked &= ~sigmask(sig);
	}
	if (t == child_reaper && task_sigaction(t, sig)->handler == SIG_DFL) {
		/* init's own fault ends it too (Linux clears SIGNAL_UNKILLABLE here):
		 * dropping it would fault again forever */
		spin_unlock_irqrestore(&tasklist_lock, f);
		force_sig_exit(sig);
	}
	send_signal(t, sig, &info, true);
	spin_unlock_irqrestore(&tasklist_lock, f);
}

bool sig_handled(int sig)
{
	struct task *t = current;
	unsigned long h = task_sigaction(t, sig)->handler;

	return h != SIG_DFL && h != SIG_IGN && !(t->blocked & sigmask(sig));
}

/* ---- taking a signal ---- */

/* A default stop: tell the parent, sleep until SIGCONT (or SIGKILL). */
static void do_signal_stop(int sig)
{
	struct task *t = current;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);

	__atomic_store_n(&t->stopped, true, __ATOMIC_SEQ_CST);
	t->stop_code = sig;
	t->cont_report = false;
	do_notify_parent_locked(t, CLD_STOPPED, sig);
	spin_unlock_irqrestore(&tasklist_lock, f);
	for (;;) {
		set_current_state(TASK_SLEEPING);
		if (!__atomic_load_n(&t->stopped, __ATOMIC_SEQ_CST) ||
		    (task_pending(t) & sigmask(SIGKILL)))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
}

static void fill_siginfo(struct task *t, int sig, struct siginfo *si)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	if (!t->sighand)
		return;
	si->si_code = t->sighand->info[sig - 1].code;
	if (sigmask(sig) & (SYNC_MASK & ~sigmask(SIGSYS))) {
		si->u.fault.addr = t->sighand->info[sig - 1].addr;
		return;
	}
	si->u.chld.pid = t->sighand->info[sig - 1].pid; /* kill's si_pid too */
	if (sig == SIGCHLD || si->si_code == SI_QUEUE) /* si_status; sigqueue's si_value */
		si->u.chld.status = t->sighand->info[sig - 1].status;
}

bool get_signal(struct ksignal *ks)
{
	struct task *t = current;

	for (;;) {
		sigset_t pend = task_pending(t) & (~t->blocked | sigmask(SIGKILL));
		if (!pend)
			return false;
		sigset_t sync = pend & SYNC_MASK;
		int sig = __builtin_ctzll(sync ? sync : pend) + 1;
		unsigned long f = spin_lock_irqsave(&tasklist_lock);
		bool more = false;
		struct sigqueue *q = sig >= SIGRTMIN && t->sighand ?
				     sigqueue_take_locked(t, sig, &more) : NULL;
		if (!more) /* another of a queued real-time signal: still pending */
			clear_pending(t, sigmask(sig));
		struct k_sigaction ka = *task_sigaction(t, sig);
		if (ka.handler > SIG_IGN) {
			if (q)
				ks->info = q->info;
			else
				fill_siginfo(t, sig, &ks->info);
		}
		spin_unlock_irqrestore(&tasklist_lock, f);
		sigqueue_free(q);
		if (ka.handler == SIG_IGN)
			continue;
		if (ka.handler != SIG_DFL) {
			ks->sig = sig;
			ks->ka = ka;
			return true;
		}
		if (sigmask(sig) & IGNORE_MASK)
			continue;
		if (t == child_reaper && sig != SIGKILL)
			continue;
		if (sigmask(sig) & STOP_MASK) {
			do_signal_stop(sig);
			continue;
		}
		force_sig_exit(sig); /* terminate (and "core": no core file) */
	}
}

void signal_delivered(struct ksignal *ks)
{
	struct task *t = current;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);

	t->blocked |= ks->ka.mask;
	if (!(ks->ka.flags & SA_NODEFER))
		t->blocked |= sigmask(ks->sig);
	t->blocked &= ~SIG_UNBLOCKABLE;
	if ((ks->ka.flags & SA_RESETHAND) && t->sighand) {
		t->sighand->action[ks->sig - 1].handler = SIG_DFL;
		t->sighand->action[ks->sig - 1].flags &= ~SA_SIGINFO;
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
}

/* ---- fork, exec, exit ---- */

bool dup_sighand(struct task *parent, struct sighand_struct **out)
{
	*out = NULL;
	if (!parent->sighand)
		return true;
	*out = kmalloc(sizeof(**out), GFP_KERNEL);
	if (!*out)
		return false;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	memcpy(*out, parent->sighand, sizeof(**out));
	spin_unlock_irqrestore(&tasklist_lock, f);
	(*out)->queue = NULL; /* the child has nothing pending */
	(*out)->queued = 0;
	return true;
}

void copy_signal_state(struct task *child, struct task *parent, struct sighand_struct *sh)
{
	child->sighand = sh;
	child->blocked = parent->blocked;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->sas_ss_sp = parent->sas_ss_sp;
	child->sas_ss_size = parent->sas_ss_size;
	child->syscall_nr = -1;
}

void flush_signal_handlers(struct task *t)
{
	t->sas_ss_sp = t->sas_ss_size = 0;
	t->did_exec = true;
	if (!t->sighand)
		return;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &t->sighand->action[i];
		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
}

void exit_sighand(struct task *t)
{
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	struct sighand_struct *sh = t->sighand;

	t->sighand = NULL; /* from here on, nothing more is queued */
	spin_unlock_irqrestore(&tasklist_lock, f);
	if (sh)
		sigqueue_free(sh->queue);
	kfree(sh);
}

/* ---- system calls ---- */

static int do_sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *old)
{
	struct task *t = current;

	if (!valid_sig(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	if (act && !t->sighand) {
		struct sighand_struct *sh = kzalloc(sizeof(*sh), GFP_KERNEL);
		if (!sh)
			return -ENOMEM;
		t->sighand = sh;
	}
	struct sigqueue *dropped = NULL;
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	*old = *task_sigaction(t, sig);
	if (act) {
		struct k_sigaction *ka = &t->sighand->action[sig - 1];
		*ka = *act;
		ka->mask &= ~SIG_UNBLOCKABLE;
		/* POSIX: setting SIG_IGN (or a default that ignores) drops it pending */
		if (ka->handler == SIG_IGN || (ka->handler == SIG_DFL && (sigmask(sig) & IGNORE_MASK))) {
			clear_pending(t, sigmask(sig));
			dropped = sigqueue_flush_locked(t->sighand, sig);
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, f);
	sigqueue_free(dropped);
	return 0;
}

SYSCALL_DEFINE4(rt_sigaction, __NR_rt_sigaction, int, sig, const struct k_sigaction *, act,
		struct k_sigaction *, oact, size_t, sigsetsize)
{
	struct k_sigaction new, old;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;
	int err = do_sigaction(sig, act ? &new : NULL, &old);
	if (!err && oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

/* The old call (67): struct old_sigaction { handler, u32 mask, flags, restorer }. */
SYSCALL_DEFINE3(sigaction, 67, int, sig, const u32 *, act, u32 *, oact)
{
	struct k_sigaction new, old;
	u32 a[4];

	if (act) {
		if (copy_from_user(a, act, sizeof(a)))
			return -EFAULT;
		new = (struct k_sigaction){ a[0], a[2], a[3], a[1] };
	}
	int err = do_sigaction(sig, act ? &new : NULL, &old);
	if (err || !oact)
		return err;
	u32 o[4] = { (u32)old.handler, (u32)old.mask, (u32)old.flags, (u32)old.restorer };
	return copy_to_user(oact, o, sizeof(o)) ? -EFAULT : 0;
}

static int set_blocked(int how, sigset_t set, sigset_t keep)
{
	struct task *t = current;
	sigset_t b = t->blocked;

	switch (how) {
	case SIG_BLOCK: b |= set; break;
	case SIG_UNBLOCK: b &= ~set; break;
	case SIG_SETMASK: b = (b & keep) | set; break;
	default: return -EINVAL;
	}
	t->blocked = b & ~SIG_UNBLOCKABLE;
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, __NR_rt_sigprocmask, int, how, const sigset_t *, set,
		sigset_t *, oset, size_t, sigsetsize)
{
	sigset_t old = current->blocked, new;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&new, set, sizeof(new)))
			return -EFAULT;
		int err = set_blocked(how, new, 0);
		if (err)
			return err;
	}
	return oset && copy_to_user(oset, &old, sizeof(old)) ? -EFAULT : 0;
}

/* The old call (126): the first 32 signals only. */
SYSCALL_DEFINE3(sigprocmask, 126, int, how, const u32 *, set, u32 *, oset)
{
	u32 old = (u32)current->blocked, new;

	if (set) {
		if (copy_from_user(&new, set, sizeof(new)))
			return -EFAULT;
		int err = set_blocked(how, new, ~0xffffffffULL);
		if (err)
			return err;
	}
	return oset && copy_to_user(oset, &old, sizeof(old)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(rt_sigpending, 176, sigset_t *, set, size_t, sigsetsize)
{
	sigset_t p = task_pending(current) & current->blocked;

	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	return copy_to_user(set, &p, sigsetsize) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(sigpending, 73, u32 *, set)
{
	u32 p = (u32)(task_pending(current) & current->blocked);

	return copy_to_user(set, &p, sizeof(p)) ? -EFAULT : 0;
}

/* Sleep until a signal is delivered, with mask blocked meanwhile (the old
 * mask comes back after the handler: restore_sigmask). */
static long do_sigsuspend(sigset_t mask)
{
	struct task *t = current;

	t->saved_sigmask = t->blocked;
	t->restore_sigmask = true;
	t->blocked = mask & ~SIG_UNBLOCKABLE;
	for (;;) {
		set_current_state(TASK_SLEEPING);
		if (signal_pending(t))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE2(rt_sigsuspend, 179, const sigset_t *, mask, size_t, sigsetsize)
{
	sigset_t m;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&m, mask, sizeof(m)))
		return -EFAULT;
	return do_sigsuspend(m);
}

SYSCALL_DEFINE3(sigsuspend, 72, int, unused1, int, unused2, u32, mask)
{
	(void)unused1;
	(void)unused2;
	return do_sigsuspend((current->blocked & ~0xffffffffULL) | mask);
}

SYSCALL_DEFINE0(pause, 29)
{
	for (;;) {
		set_current_state(TASK_SLEEPING);
		if (signal_pending(current))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE2(kill, __NR_kill, int, pid, int, sig)
{
	struct siginfo info = { .si_signo = sig, .si_code = SI_USER };

	info.u.kill.pid = current->pid;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0)
		return send_sig_pid(pid, sig, &info) ? 0 : -ESRCH;
	if (pid == INT_MIN_PID)
		return -ESRCH;
	int n = kill_many(pid == 0 ? current->pgid : pid == -1 ? -1 : -pid, sig, &info);
	return n ? 0 : -ESRCH;
}

static long do_tkill(int tgid, int tid, int sig)
{
	struct siginfo info = { .si_signo = sig, .si_code = SI_TKILL };

	info.u.kill.pid = current->pid;
	if (tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (tgid > 0 && tgid != tid)
		return -ESRCH; /* one thread per process: tid == tgid */
	return send_sig_info_pid(tid, sig, &info, true);
}

SYSCALL_DEFINE2(tkill, 238, int, tid, int, sig) { return do_tkill(0, tid, sig); }

SYSCALL_DEFINE3(tgkill, 270, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

/* restart_syscall (0): what a stop interrupted (nanosleep) goes on. */
SYSCALL_DEFINE0(restart_syscall, 0)
{
	struct restart_block *rb = &current->restart;
	long (*fn)(struct restart_block *) = rb->fn;

	rb->fn = NULL;
	return fn ? fn(rb) : -EINTR;
}
