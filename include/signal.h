/* signal.h - signals as Linux i386 has them: numbers, actions, masks, the
 * user structures (struct sigaction, siginfo) and the kernel's side.
 *
 * Every process has 64 signals. A sent signal becomes pending (a bit: like
 * Linux's standard signals, a second send of a pending one is merged). The
 * real-time ones, 32..64, are also queued, as Linux does: each send is one
 * delivery, oldest first, with its own siginfo (sigqueue's si_value;
 * kernel/signal_queue.c). Before the process returns to ring 3 (exit_to_user_mode) the
 * lowest pending signal that is not blocked is taken: ignored, its default
 * action (end the process, stop it, nothing), or a handler run on the user
 * stack with an i386 frame (arch/x86/signal.c) that rt_sigreturn/sigreturn
 * undo. A system call that sleeps gives up when signal_pending() and
 * returns -ERESTARTSYS (or -EINTR, -ERESTARTNOHAND, -ERESTART_RESTARTBLOCK),
 * which the delivery turns into -EINTR or a restart, as Linux does.
 *
 * The per-process state lives in struct task (sched.h): pending_signals
 * (signals 1..32) and pending_rt (33..64), blocked, and sighand (the
 * actions, NULL while every action is SIG_DFL). Process groups and
 * sessions: kernel/pgrp.c. */
#ifdef HL_HOSTED
/* The hosted tests (-Iinclude) mean the C library's <signal.h>, never this one. */
#include_next <signal.h>
#else
#ifndef HL_SIGNAL_H
#define HL_SIGNAL_H

#include "types.h"

#define _NSIG 64

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31

/* The kernel's first real-time signal (glibc keeps 32 and 33 for itself,
 * so its SIGRTMIN is 34). Real-time signals are queued: each send is
 * delivered, in order, with its own siginfo. */
#define SIGRTMIN 32
#define SIGRTMAX _NSIG
/* Queued signals a process may have waiting (RLIMIT_SIGPENDING, /proc's SigQ) */
#define SIGQUEUE_MAX 1024

#define SIG_DFL 0UL
#define SIG_IGN 1UL

/* sa_flags (asm-generic/signal.h, i386) */
#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO 0x00000004u
#define SA_RESTORER 0x04000000u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* Kernel-internal results of an interrupted call (include/linux/errno.h):
 * never seen by ring 3, the delivery turns them into -EINTR or a restart. */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

/* si_code values */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TKILL (-6)
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define TRAP_BRKPT 1
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

typedef u64 sigset_t;

static inline u64 sigmask(int sig) { return 1ULL << (sig - 1); }
/* Signals no mask may block and no action may catch. */
#define SIG_UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))

/* One action: what rt_sigaction sets (Linux's struct k_sigaction). */
struct k_sigaction {
	unsigned long handler; /* SIG_DFL, SIG_IGN or a user address */
	unsigned long flags;
	unsigned long restorer;
	sigset_t mask;
};

/* The actions of a process: a copy at fork, reset (but SIG_IGN) at execve. */
struct sighand_struct {
	struct k_sigaction action[_NSIG];
	/* what the siginfo of a pending signal says (one per signal: pending
	 * signals are bits, so the last sender's) */
	struct { int code, pid, status; u32 addr; } info[_NSIG];
	struct sigqueue *queue;  /* real-time signals sent and not yet taken, oldest first */
	unsigned queued;         /* how many (at most SIGQUEUE_MAX) */
};

/* Linux i386's siginfo_t: 128 bytes, the fields the kinds of signal use. */
struct siginfo {
	int si_signo, si_errno, si_code;
	union {
		struct { int pid; u32 uid; } kill;
		struct { int pid; u32 uid; int status; s32 utime, stime; } chld;
		struct { u32 addr; } fault;
		struct { int tid, overrun; u32 sigval; } timer;
		int pad[29];
	} u;
};
_Static_assert(sizeof(struct siginfo) == 128, "siginfo_t is 128 bytes");

/* One queued real-time signal (Linux's struct sigqueue). */
struct sigqueue {
	struct sigqueue *next;
	struct siginfo info;
};

struct task;

/* A signal not blocked is pending for t (SIGKILL always counts). */
bool signal_pending(struct task *t);
/* Pending signals 1..64 of t as one set. */
sigset_t task_pending(struct task *t);
/* Send sig to process t (tasklist_lock held, or t is current): the
 * default action's side effects at send time (SIGCONT resumes, a stop
 * signal cancels a pending SIGCONT and the reverse), dropped if ignored,
 * else pending and t woken. info NULL: sent by the kernel. */
void send_signal_locked(struct task *t, int sig, const struct siginfo *info);
/* The same, taking tasklist_lock; false if pid is no live process. */
bool send_sig_pid(int pid, int sig, const struct siginfo *info);
/* The same to process pid: 0, -ESRCH, or send_signal's -EAGAIN (a full
 * queue); private_: to the thread (tkill, /proc's SigPnd), else shared. */
int send_sig_info_pid(int pid, int sig, const struct siginfo *info, bool private_);
/* sig to the current process (SIGPIPE); nothing for a kernel thread. */
void send_sig_current(int sig);
/* sig to every process of group pgid; how many got it. */
int kill_pgrp(int pgid, int sig);
/* A fault's signal to the current process (arch traps): to its handler
 * with si_addr, or - blocked, ignored, or the handler is already running
 * for it - the process ends with it. */
void force_sig_fault(int sig, int code, unsigned long addr);
/* Would a fault's sig run the current process's handler (caught, not
 * blocked)? If not, the fault's report line is printed (fault.c). */
bool sig_handled(int sig);
/* The action for sig in t (SIG_DFL when t has no sighand). */
struct k_sigaction *task_sigaction(struct task *t, int sig);

/* What get_signal decided: run a handler, or nothing (0). */
struct ksignal {
	int sig;
	struct k_sigaction ka;
	struct siginfo info;
};
/* Take the next deliverable signal of current: default actions are done
 * here (the process may stop here, or end); true with ks filled when a
 * handler must run. */
bool get_signal(struct ksignal *ks);
/* After a handler frame was set up: block ka's mask (and sig unless
 * SA_NODEFER), reset the action for SA_RESETHAND. */
void signal_delivered(struct ksignal *ks);
/* The process ends by its parent's knowledge: the SIGCHLD (or stop/continue
 * notice) to t's parent, with CLD_* code and status. tasklist_lock held. */
void do_notify_parent_locked(struct task *t, int code, int status);

/* fork: a copy of the parent's actions in *out (NULL if it has none);
 * false without memory. */
struct sighand_struct;
bool dup_sighand(struct task *parent, struct sighand_struct **out);
/* fork: the child gets sh (from dup_sighand), the parent's mask, process
 * group, session and alternate stack; nothing pending. */
void copy_signal_state(struct task *child, struct task *parent, struct sighand_struct *sh);
/* execve: caught signals go back to SIG_DFL (ignored stay ignored). */
void flush_signal_handlers(struct task *t);
/* exit: t's actions go. */
void exit_sighand(struct task *t);

/* ---- queued real-time signals (kernel/signal_queue.c; tasklist_lock held
 * where it says _locked) ---- */
/* Queue sig (>= SIGRTMIN) for t, which has a sighand, with info (NULL: sent
 * by the kernel): 0, or -EAGAIN when SIGQUEUE_MAX are queued or there is no
 * memory. */
int sigqueue_add_locked(struct task *t, int sig, const struct siginfo *info);
/* The oldest queued sig of t, unlinked (NULL: none); *more says whether
 * another sig stays queued (then the signal stays pending). */
struct sigqueue *sigqueue_take_locked(struct task *t, int sig, bool *more);
/* Unlink every queued sig of sh (0: every signal) and return them. */
struct sigqueue *sigqueue_flush_locked(struct sighand_struct *sh, int sig);
/* Free a list of entries (from sigqueue_take_locked/sigqueue_flush_locked). */
void sigqueue_free(struct sigqueue *q);

/* A process's signal state as /proc/PID/status and stat show it. */
struct task_sigstate {
	sigset_t pending, shared, blocked, ignored, caught;
	unsigned queued; /* pending standard signals + queued real-time ones */
};
/* The state of process pid, read under tasklist_lock; false if it is gone. */
bool task_signal_state(int pid, struct task_sigstate *s);

/* ---- the architecture's part (arch/x86/signal.c) ---- */
struct pt_regs;
/* Build the handler's frame on the user stack and point regs at the
 * handler; false if the stack cannot take it (the process gets SIGSEGV). */
bool setup_rt_frame(struct ksignal *ks, sigset_t oldmask, struct pt_regs *regs);
/* The signal work before the return to ring 3 (arch/x86/user.c calls it). */
void arch_do_signal_or_restart(struct pt_regs *regs);

/* restart_syscall's state, struct restart_block, is in sched.h (a task's field). */

/* Sleep until cond, or a signal: 0, or -ERESTARTSYS with cond still
 * false and a signal pending (the caller includes sched.h). */
#define wait_event_interruptible(wq, cond)                                     \
	({                                                                     \
		wait_event(wq, (cond) || signal_pending(current));             \
		(cond) ? 0 : -ERESTARTSYS;                                     \
	})

#endif
#endif /* HL_HOSTED */
