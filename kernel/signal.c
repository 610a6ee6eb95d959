/* signal.c - sending signals (kill). Highland has no handlers yet
 * (rt_sigaction is -ENOSYS): a signal does its default action, which for
 * most is to end the process, and for SIGCHLD, SIGCONT, SIGURG and SIGWINCH
 * is nothing. The target acts on it on its way back to ring 3
 * (exit_to_user_mode), at the latest at its next timer tick. SIGSTOP and
 * the other stop signals are not supported: they are ignored. */
#include "errno.h"
#include "process.h"
#include "sched.h"
#include "syscalls.h"

#define NSIG 64

static bool sig_ignored_by_default(int sig)
{
	return sig == 17 || sig == 18 || sig == 19 || sig == 20 || sig == 21 || sig == 22 ||
	       sig == 23 || sig == 28; /* CHLD CONT STOP TSTP TTIN TTOU URG WINCH */
}

SYSCALL_DEFINE2(kill, __NR_kill, int, pid, int, sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL; /* process groups: not yet */
	if (sig == 0 || sig_ignored_by_default(sig))
		return process_exists(pid) ? 0 : -ESRCH;
	return signal_process(pid, sig) ? 0 : -ESRCH;
}
