/*
 * t_signal.c - signals with handlers: the frame a handler gets (siginfo,
 * registers and FPU state saved and restored by sigreturn/rt_sigreturn),
 * forged frames refused, SA_RESTART, masks and pending sets, SIGCHLD,
 * stop/continue seen by waitpid, fault signals with si_addr, the
 * alternate stack (SA_ONSTACK), SIGPIPE,
 * kill to a process group, execve's reset of caught handlers, and sleeps
 * cut short by a signal (or resumed after a stop); and, from
 * tests/user/sigstate.c (linked in), queued real-time signals and the
 * signal state, terminal and children's times /proc and times() show.
 *
 * Why: a shell is built on these. Every case checks what Linux i386 does;
 * run under qemu-i386 on the host (make user-host-test) the same program
 * passes against Linux's own signal code.
 */
#include "ut.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static char *self;
static volatile sig_atomic_t hits, last_sig;
static volatile siginfo_t last_info;

static void on_sig(int sig) { hits++; last_sig = sig; }

static void on_info(int sig, siginfo_t *si, void *uc)
{
	hits++;
	last_sig = sig;
	memcpy((void *)&last_info, si, sizeof(*si));
}

static int set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static int set_info_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static int test_handler_runs(void)
{
	hits = 0;
	KT_EXPECT(set_info_handler(SIGUSR1, on_info, 0) == 0, "sigaction: %s", strerror(errno));
	KT_EXPECT(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
	KT_EXPECT(hits == 1 && last_sig == SIGUSR1, "handler ran %d times (sig %d)", (int)hits,
		  (int)last_sig);
	KT_EXPECT(last_info.si_signo == SIGUSR1 && last_info.si_code == SI_USER &&
		  last_info.si_pid == getpid(), "siginfo: signo %d code %d pid %d (want %d, %d, %d)",
		  last_info.si_signo, last_info.si_code, last_info.si_pid, SIGUSR1, SI_USER, getpid());
	/* SA_RESETHAND: once, then the default again */
	struct sigaction old;
	KT_EXPECT(set_handler(SIGUSR2, on_sig, SA_RESETHAND) == 0, "sigaction");
	raise(SIGUSR2);
	KT_EXPECT(sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_handler == SIG_DFL,
		  "SA_RESETHAND left the handler in place");
	signal(SIGUSR1, SIG_DFL);
	return KT_PASS;
}

/* ---- registers and FPU state across a handler ---- */

extern void clobber_handler(int);
extern void regs_roundtrip(uint32_t *out, int pid, int sig);
volatile uint32_t clobber_count, clobber_df;
__asm__(".text\n"
	".globl clobber_handler\nclobber_handler:\n"
	"	pushfl\n	popl %eax\n	andl $0x400, %eax\n	movl %eax, clobber_df\n"
	"	movl $0xdead0001, %ebx\n	movl $0xdead0002, %ecx\n	movl $0xdead0003, %edx\n"
	"	movl $0xdead0004, %esi\n	movl $0xdead0005, %edi\n	movl $0xdead0006, %ebp\n"
	"	incl clobber_count\n	stc\n	ret\n"
	".globl regs_roundtrip\nregs_roundtrip:\n"
	"	pushl %ebp\n	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl 24(%esp), %ebx\n	movl 28(%esp), %ecx\n"
	"	movl $0x44444444, %edx\n	movl $0x11111111, %esi\n"
	"	movl $0x22222222, %edi\n	movl $0x33333333, %ebp\n"
	"	movl $37, %eax\n	clc\n	std\n	int $0x80\n"
	"	pushfl\n	cld\n	pushl %eax\n	movl 28(%esp), %eax\n"
	"	movl %ebx, 0(%eax)\n	movl %ecx, 4(%eax)\n	movl %edx, 8(%eax)\n"
	"	movl %esi, 12(%eax)\n	movl %edi, 16(%eax)\n	movl %ebp, 20(%eax)\n"
	"	popl %ecx\n	movl %ecx, 24(%eax)\n	popl %ecx\n	movl %ecx, 28(%eax)\n"
	"	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n	ret\n");

/* One kill to itself with every register set; flags: SA_SIGINFO (rt frame) or 0. */
static int check_regs(int flags)
{
	uint32_t out[8];
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = clobber_handler;
	sa.sa_flags = flags;
	KT_EXPECT(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	clobber_count = 0;
	regs_roundtrip(out, getpid(), SIGUSR1);
	KT_EXPECT(clobber_count == 1, "handler ran %u times", clobber_count);
	KT_EXPECT(clobber_df == 0, "the handler started with DF set");
	KT_EXPECT(out[0] == (uint32_t)getpid() && out[1] == SIGUSR1 && out[2] == 0x44444444 &&
		  out[3] == 0x11111111 && out[4] == 0x22222222 && out[5] == 0x33333333,
		  "%s frame: ebx %x ecx %x edx %x esi %x edi %x ebp %x after the handler",
		  flags ? "rt" : "old", out[0], out[1], out[2], out[3], out[4], out[5]);
	KT_EXPECT(out[6] == 0, "kill's result %d", (int)out[6]);
	KT_EXPECT((out[7] & 0x400) && !(out[7] & 1), "eflags %x: DF (set before) must be back, "
		  "CF (set by the handler) gone", out[7]);
	signal(SIGUSR1, SIG_DFL);
	return KT_PASS;
}

static int test_registers_restored(void)
{
	if (!hl_is_highland())
		KT_SKIP("qemu-i386 does not emulate this part of the i386 frame (DF, FPU, selector checks)");
	int r = check_regs(0);
	return r != KT_PASS ? r : check_regs(SA_SIGINFO);
}

static int has_sse(void)
{
	uint32_t a = 1, b, c, d;
	__asm__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return (d >> 25) & 1;
}

static volatile uint16_t handler_cw;
static void fpu_handler(int sig)
{
	uint16_t cw;
	static const uint32_t zero[4];
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	handler_cw = cw;
	cw = 0x7f;
	__asm__ volatile("fldcw %0\n\tfldpi\n\tfldpi" : : "m"(cw));
	if (has_sse())
		__asm__ volatile("movdqu %0, %%xmm0" : : "m"(zero));
}

static int test_fpu_restored(void)
{
	if (!hl_is_highland())
		KT_SKIP("qemu-i386 does not emulate this part of the i386 frame (DF, FPU, selector checks)");
	uint16_t cw = 0x27f, got;
	uint32_t pat[4] = { 0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210 }, back[4];
	double x = 1.5, y = 0;

	KT_EXPECT(set_handler(SIGUSR1, fpu_handler, 0) == 0, "sigaction");
	__asm__ volatile("fldcw %0" : : "m"(cw));
	if (has_sse())
		__asm__ volatile("movdqu %0, %%xmm0" : : "m"(pat));
	__asm__ volatile("fldl %0" : : "m"(x));  /* st(0) = 1.5 across the signal */
	kill(getpid(), SIGUSR1);
	__asm__ volatile("fstpl %0" : "=m"(y));
	if (has_sse())
		__asm__ volatile("movdqu %%xmm0, %0" : "=m"(back));
	__asm__ volatile("fnstcw %0" : "=m"(got));
	cw = 0x37f;
	__asm__ volatile("fldcw %0" : : "m"(cw));
	signal(SIGUSR1, SIG_DFL);
	KT_EXPECT(handler_cw == 0x37f, "the handler's FPU control word %#x, want a clean 0x37f",
		  handler_cw);
	KT_EXPECT(got == 0x27f, "control word %#x after the handler, want 0x27f", got);
	KT_EXPECT(y == 1.5, "st(0) %g after the handler, want 1.5", y);
	if (has_sse())
		KT_EXPECT(!memcmp(pat, back, sizeof(pat)), "xmm0 %08x.. after the handler", back[0]);
	return KT_PASS;
}

/* ---- forged frames ---- */

static int forge_reg, forge_val;
static void forging_handler(int sig, siginfo_t *si, void *p)
{
	ucontext_t *uc = p;
	uc->uc_mcontext.gregs[forge_reg] = forge_val;
}

static void forge_child(void *arg)
{
	set_info_handler(SIGUSR1, forging_handler, 0);
	raise(SIGUSR1);
	_exit(0); /* reached only if the frame was accepted */
}

static void bare_sigreturn(void *arg)
{
	/* no frame at all: whatever is on the stack is not one */
	__asm__ volatile("movl $173, %%eax\n\tint $0x80" : : : "eax", "memory");
	_exit(0);
}

static int test_forged_frame_refused(void)
{
	if (!hl_is_highland())
		KT_SKIP("qemu-i386 does not emulate this part of the i386 frame (DF, FPU, selector checks)");
	static const struct { int reg, val; const char *what; } bad[] = {
		{ REG_CS, 0x08, "CS = kernel code" },   { REG_CS, 0x0b, "CS = kernel code, RPL 3" },
		{ REG_SS, 0x10, "SS = kernel data" },   { REG_DS, 0x10, "DS = kernel data" },
		{ REG_GS, 0x7ff, "GS = beyond the GDT" },
	};
	char why[96];

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		forge_reg = bad[i].reg;
		forge_val = bad[i].val;
		KT_EXPECT(dies_by_signal(forge_child, NULL, SIGSEGV, why, sizeof(why)),
			  "sigreturn with %s: %s", bad[i].what, why);
	}
	KT_EXPECT(dies_by_signal(bare_sigreturn, NULL, SIGSEGV, why, sizeof(why)),
		  "rt_sigreturn without a frame: %s", why);
	return KT_PASS;
}

static void iopl_handler(int sig, siginfo_t *si, void *p)
{
	ucontext_t *uc = p;
	uc->uc_mcontext.gregs[REG_EFL] |= 0x3000;   /* IOPL 3 */
	uc->uc_mcontext.gregs[REG_EFL] &= ~0x200;   /* IF off */
	uc->uc_mcontext.gregs[REG_EFL] |= 0x4000;   /* NT */
}

static void cli_child(void *arg)
{
	__asm__ volatile("cli"); /* IOPL 0: #GP, SIGSEGV */
	_exit(0);
}

static int test_forged_eflags_ignored(void)
{
	uint32_t fl;
	char why[96];

	KT_EXPECT(set_info_handler(SIGUSR1, iopl_handler, 0) == 0, "sigaction");
	raise(SIGUSR1);
	__asm__ volatile("pushfl\n\tpopl %0" : "=r"(fl));
	signal(SIGUSR1, SIG_DFL);
	KT_EXPECT((fl & 0x3000) == 0, "eflags %#x: the frame gave IOPL %u", fl, (fl >> 12) & 3);
	KT_EXPECT(fl & 0x200, "eflags %#x: the frame turned interrupts off", fl);
	KT_EXPECT(!(fl & 0x4000), "eflags %#x: the frame set NT", fl);
	KT_EXPECT(dies_by_signal(cli_child, NULL, SIGSEGV, why, sizeof(why)),
		  "cli after the forged frame: %s", why);
	return KT_PASS;
}

/* ---- SA_RESTART ---- */

/* read() on a pipe whose writer sends after 300 ms, SIGALRM at 100 ms. */
static int read_across_alarm(int flags, ssize_t *n, int *err)
{
	int p[2];
	char c;

	if (pipe(p))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		usleep(300000);
		write(p[1], "x", 1);
		_exit(0);
	}
	close(p[1]);
	hits = 0;
	set_handler(SIGALRM, on_sig, flags);
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	*n = read(p[0], &c, 1);
	*err = errno;
	close(p[0]);
	waitpid(pid, NULL, 0);
	signal(SIGALRM, SIG_DFL);
	return hits;
}

static int test_sa_restart(void)
{
	ssize_t n;
	int err;

	int h = read_across_alarm(SA_RESTART, &n, &err);
	KT_EXPECT(h == 1 && n == 1, "SA_RESTART: handler %d times, read %zd (%s): want the byte",
		  h, n, strerror(err));
	h = read_across_alarm(0, &n, &err);
	KT_EXPECT(h == 1 && n == -1 && err == EINTR,
		  "no SA_RESTART: handler %d times, read %zd (%s): want EINTR", h, n, strerror(err));
	return KT_PASS;
}

/* ---- masks ---- */

static int test_mask_and_pending(void)
{
	sigset_t set, old, pend;

	hits = 0;
	set_handler(SIGUSR1, on_sig, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGKILL); /* silently not blockable */
	KT_EXPECT(sigprocmask(SIG_BLOCK, &set, &old) == 0, "sigprocmask: %s", strerror(errno));
	kill(getpid(), SIGUSR1);
	KT_EXPECT(hits == 0, "a blocked signal ran its handler");
	KT_EXPECT(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1), "SIGUSR1 not pending");
	sigprocmask(SIG_BLOCK, NULL, &set);
	KT_EXPECT(!sigismember(&set, SIGKILL), "SIGKILL got blocked");
	KT_EXPECT(sigprocmask(SIG_SETMASK, &old, NULL) == 0, "unblock");
	KT_EXPECT(hits == 1, "unblocking did not deliver it (%d)", (int)hits);
	KT_EXPECT(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1), "still pending");
	errno = 0;
	KT_EXPECT(sigprocmask(99, &set, NULL) == -1 && errno == EINVAL, "bad how: %s",
		  strerror(errno));
	KT_EXPECT(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = on_sig }, NULL) == -1 &&
		  errno == EINVAL, "a handler for SIGKILL was accepted");
	/* an ignored signal is dropped, even if sent while blocked... then unblocked */
	signal(SIGUSR1, SIG_IGN);
	kill(getpid(), SIGUSR1);
	KT_EXPECT(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1), "ignored but pending");
	signal(SIGUSR1, SIG_DFL);
	/* sigsuspend: waits with its mask, the old one back after */
	sigprocmask(SIG_BLOCK, &set, &old);
	set_handler(SIGUSR1, on_sig, 0);
	hits = 0;
	kill(getpid(), SIGUSR1);
	sigset_t none;
	sigemptyset(&none);
	errno = 0;
	KT_EXPECT(sigsuspend(&none) == -1 && errno == EINTR && hits == 1,
		  "sigsuspend: errno %s, handler %d", strerror(errno), (int)hits);
	sigprocmask(SIG_BLOCK, NULL, &set);
	KT_EXPECT(sigismember(&set, SIGUSR1), "sigsuspend did not put the mask back");
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	return KT_PASS;
}

/* ---- children ---- */

static int test_sigchld(void)
{
	sigset_t set, old, none;

	hits = 0;
	set_info_handler(SIGCHLD, on_info, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	sigemptyset(&none);
	sigsuspend(&none);
	sigprocmask(SIG_SETMASK, &old, NULL);
	int st;
	KT_EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7, "waitpid");
	signal(SIGCHLD, SIG_DFL);
	KT_EXPECT(hits == 1 && last_sig == SIGCHLD, "SIGCHLD handler ran %d times", (int)hits);
	KT_EXPECT(last_info.si_pid == pid && last_info.si_status == 7 &&
		  last_info.si_code == CLD_EXITED, "siginfo: pid %d status %d code %d",
		  last_info.si_pid, last_info.si_status, last_info.si_code);
	return KT_PASS;
}

/* waitpid with a deadline (WNOHANG polls): a report that never comes fails
 * the case instead of hanging the suite. pid, or 0 after ms. */
static pid_t wait_within(pid_t pid, int *st, int options, int ms)
{
	for (int i = 0; i < ms / 10; i++) {
		pid_t r = waitpid(pid, st, options | WNOHANG);
		if (r != 0)
			return r;
		usleep(10000);
	}
	return 0;
}

static int stop_continue_checks(pid_t pid)
{
	int st;

	KT_EXPECT(kill(pid, SIGSTOP) == 0, "kill SIGSTOP");
	KT_EXPECT(wait_within(pid, &st, WUNTRACED, 30000) == pid && WIFSTOPPED(st) &&
		  WSTOPSIG(st) == SIGSTOP, "WUNTRACED: status %#x", st);
	KT_EXPECT(waitpid(pid, &st, WUNTRACED | WNOHANG) == 0, "the stop was reported twice");
	KT_EXPECT(kill(pid, SIGCONT) == 0, "kill SIGCONT");
	KT_EXPECT(wait_within(pid, &st, WCONTINUED, 30000) == pid && WIFCONTINUED(st),
		  "WCONTINUED: status %#x", st);
	if (hl_is_highland()) { /* qemu-i386 reports SIGTSTP's stop as a continue */
		KT_EXPECT(kill(pid, SIGTSTP) == 0, "kill SIGTSTP");
		KT_EXPECT(wait_within(pid, &st, WUNTRACED, 30000) == pid && WIFSTOPPED(st) &&
			  WSTOPSIG(st) == SIGTSTP, "SIGTSTP: status %#x", st);
	} else {
		kill(pid, SIGSTOP);
		wait_within(pid, &st, WUNTRACED, 30000);
	}
	KT_EXPECT(kill(pid, SIGTERM) == 0, "kill SIGTERM"); /* pending while stopped */
	KT_EXPECT(waitpid(pid, &st, WNOHANG) == 0, "a stopped child ended on SIGTERM");
	kill(pid, SIGCONT);
	KT_EXPECT(wait_within(pid, &st, 0, 30000) == pid && WIFSIGNALED(st) &&
		  WTERMSIG(st) == SIGTERM, "after SIGCONT: status %#x, want killed by SIGTERM", st);
	return KT_PASS;
}

static int test_stop_continue(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	int r = stop_continue_checks(pid);
	if (r != KT_PASS) { /* leave no child behind (it would hold the runner's pipes) */
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return r;
}

/* nanosleep stopped and continued: it goes on (restart_syscall) and sleeps the whole time. */
static int test_sleep_across_stop(void)
{
	struct timespec t0, t1;
	int st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 400000000 };
		_exit(nanosleep(&d, NULL) == 0 ? 0 : 10 + errno);
	}
	usleep(100000);
	kill(pid, SIGSTOP);
	if (wait_within(pid, &st, WUNTRACED, 30000) != pid || !WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		KT_EXPECT(0, "stop: %#x", st);
	}
	kill(pid, SIGCONT);
	KT_EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "the child's nanosleep: status %#x (exit 10+errno: it failed)", st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	KT_EXPECT(ms >= 400, "the sleep ended after %ld ms, want 400", ms);
	return KT_PASS;
}

static int test_sleep_interrupted(void)
{
	struct timespec d = { 5, 0 }, rem = { 0, 0 };

	hits = 0;
	set_handler(SIGALRM, on_sig, SA_RESTART); /* nanosleep is never restarted after a handler */
	struct timespec t0, t1;
	alarm(1);
	errno = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = nanosleep(&d, &rem);
	int e = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	signal(SIGALRM, SIG_DFL);
	KT_EXPECT(r == -1 && e == EINTR && hits == 1, "nanosleep: %d (%s), handler %d", r,
		  strerror(e), (int)hits);
	/* rem is what was left when the signal came: 5 s minus the time slept */
	long slept = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	long left = rem.tv_sec * 1000 + rem.tv_nsec / 1000000;
	KT_EXPECT(slept < 4900 && left > 0 && labs(5000 - slept - left) <= 100,
		  "slept %ld ms, rem %ld ms: want rem = 5000 - slept", slept, left);
	return KT_PASS;
}

/* ---- faults ---- */

static sigjmp_buf fault_jmp;
static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	memcpy((void *)&last_info, si, sizeof(*si));
	siglongjmp(fault_jmp, sig);
}

static void segv_blocked(void *arg)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGSEGV);
	set_info_handler(SIGSEGV, fault_handler, 0);
	sigprocmask(SIG_BLOCK, &set, NULL);
	*(volatile int *)0x1234 = 1;
	_exit(0);
}

static int test_fault_to_handler(void)
{
	char why[96];

	set_info_handler(SIGSEGV, fault_handler, 0);
	int sig = sigsetjmp(fault_jmp, 1);
	if (!sig)
		*(volatile int *)0x1234 = 1;
	signal(SIGSEGV, SIG_DFL);
	KT_EXPECT(sig == SIGSEGV, "the handler was not reached (%d)", sig);
	KT_EXPECT(last_info.si_addr == (void *)0x1234 && last_info.si_code == SEGV_MAPERR,
		  "si_addr %p code %d, want 0x1234 and SEGV_MAPERR", last_info.si_addr,
		  last_info.si_code);
	set_info_handler(SIGILL, fault_handler, 0);
	sig = sigsetjmp(fault_jmp, 1);
	if (!sig)
		__asm__ volatile("ud2");
	signal(SIGILL, SIG_DFL);
	KT_EXPECT(sig == SIGILL, "ud2: the SIGILL handler was not reached (%d)", sig);
	KT_EXPECT(dies_by_signal(segv_blocked, NULL, SIGSEGV, why, sizeof(why)),
		  "a fault with SIGSEGV blocked: %s", why);
	return KT_PASS;
}

/* ---- the alternate stack ---- */

static char altstack[65536];
static volatile uintptr_t handler_sp;
static void on_altstack(int sig)
{
	volatile char here;
	handler_sp = (uintptr_t)&here;
}

static int test_sigaltstack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0 }, old;

	KT_EXPECT(sigaltstack(&ss, &old) == 0, "sigaltstack: %s", strerror(errno));
	KT_EXPECT(old.ss_flags == SS_DISABLE, "an alternate stack was set before (%d)",
		  old.ss_flags);
	set_handler(SIGUSR1, on_altstack, SA_ONSTACK);
	raise(SIGUSR1);
	uintptr_t sp = handler_sp;
	set_handler(SIGUSR1, on_altstack, 0);
	raise(SIGUSR1);
	uintptr_t sp2 = handler_sp;
	signal(SIGUSR1, SIG_DFL);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	uintptr_t lo = (uintptr_t)altstack, hi = lo + sizeof(altstack);
	KT_EXPECT(sp >= lo && sp < hi, "SA_ONSTACK handler ran at %#lx, the stack is %#lx-%#lx",
		  (unsigned long)sp, (unsigned long)lo, (unsigned long)hi);
	KT_EXPECT(sp2 < lo || sp2 >= hi, "without SA_ONSTACK it ran on the alternate stack");
	ss = (stack_t){ .ss_sp = altstack, .ss_size = 100, .ss_flags = 0 };
	errno = 0;
	KT_EXPECT(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM, "a 100-byte stack: %s",
		  strerror(errno));
	return KT_PASS;
}

/* ---- SIGPIPE, groups, exec ---- */

static void write_no_reader(void *arg)
{
	int p[2];
	pipe(p);
	close(p[0]);
	write(p[1], "x", 1);
	_exit(0);
}

static int test_sigpipe(void)
{
	char why[96];
	int p[2];

	KT_EXPECT(dies_by_signal(write_no_reader, NULL, SIGPIPE, why, sizeof(why)),
		  "write to a pipe without readers: %s", why);
	signal(SIGPIPE, SIG_IGN);
	pipe(p);
	close(p[0]);
	errno = 0;
	ssize_t r = write(p[1], "x", 1);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
	KT_EXPECT(r == -1 && errno == EPIPE, "SIGPIPE ignored: write %zd (%s), want EPIPE", r,
		  strerror(errno));
	return KT_PASS;
}

static int test_kill_group(void)
{
	pid_t kids[2];
	int st;

	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			for (;;)
				pause();
		}
		setpgid(kids[i], kids[0]); /* both in a group led by the first */
	}
	pid_t g = getpgid(kids[1]);
	int k = kill(-kids[0], SIGTERM), e = errno;
	if (g != kids[0] || k) { /* leave no child behind */
		kill(kids[0], SIGKILL);
		kill(kids[1], SIGKILL);
	}
	KT_EXPECT(g == kids[0], "setpgid: group %d", g);
	KT_EXPECT(k == 0, "kill(-pgid): %s", strerror(e));
	for (int i = 0; i < 2; i++)
		KT_EXPECT(waitpid(kids[i], &st, 0) == kids[i] && WIFSIGNALED(st) &&
			  WTERMSIG(st) == SIGTERM, "child %d: status %#x", i, st);
	errno = 0;
	KT_EXPECT(kill(-kids[0], SIGTERM) == -1 && errno == ESRCH, "an empty group: %s",
		  strerror(errno));
	return KT_PASS;
}

/* --exec-check: after execve, caught SIGUSR1 is SIG_DFL, ignored SIGUSR2 still ignored,
 * the mask kept. Exit 0 if so. */
static int exec_check(void)
{
	struct sigaction a, b;
	sigset_t set;

	sigaction(SIGUSR1, NULL, &a);
	sigaction(SIGUSR2, NULL, &b);
	sigprocmask(SIG_BLOCK, NULL, &set);
	if (a.sa_handler != SIG_DFL)
		return 1;
	if (b.sa_handler != SIG_IGN)
		return 2;
	if (!sigismember(&set, SIGHUP))
		return 3;
	return 0;
}

static int test_exec_resets_handlers(void)
{
	if (ut_exec_unsupported())
		KT_SKIP("%s", ut_exec_unsupported());
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t set;
		set_handler(SIGUSR1, on_sig, 0);
		signal(SIGUSR2, SIG_IGN);
		sigemptyset(&set);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_BLOCK, &set, NULL);
		execl(self, self, "--exec-check", (char *)NULL);
		_exit(100);
	}
	KT_EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "after execve: status %#x (exit 1: handler kept, 2: SIG_IGN lost, 3: mask lost)",
		  st);
	return KT_PASS;
}

/* tests/user/sigstate.c */
extern const struct kt_case sigstate_cases[];
extern const int sigstate_ncases;

int main(int argc, char **argv)
{
	static const struct kt_case cases[] = {
		{ "handler_runs_with_siginfo", test_handler_runs },
		{ "registers_restored_by_sigreturn", test_registers_restored },
		{ "fpu_state_restored", test_fpu_restored },
		{ "forged_frame_refused", test_forged_frame_refused },
		{ "forged_eflags_ignored", test_forged_eflags_ignored },
		{ "sa_restart", test_sa_restart },
		{ "mask_and_pending", test_mask_and_pending },
		{ "sigchld_with_siginfo", test_sigchld },
		{ "stop_continue_waitpid", test_stop_continue },
		{ "nanosleep_interrupted", test_sleep_interrupted },
		{ "nanosleep_resumes_after_stop", test_sleep_across_stop },
		{ "fault_to_handler", test_fault_to_handler },
		{ "sigaltstack_sa_onstack", test_sigaltstack },
		{ "sigpipe", test_sigpipe },
		{ "kill_process_group", test_kill_group },
		{ "exec_resets_handlers", test_exec_resets_handlers },
	};

	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct kt_case all[N + 16];

	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "--exec-check"))
		return exec_check();
	memcpy(all, cases, sizeof(cases));
	for (int i = 0; i < sigstate_ncases && i < 16; i++)
		all[N + i] = sigstate_cases[i];
	return kt_run("signal", all, N + (sigstate_ncases < 16 ? sigstate_ncases : 16));
}
