/*
 * sigstate.c - t_signal's cases on signal state as Linux keeps and shows it: real-time
 * signals queued (each send one delivery, in order, with sigqueue's
 * si_value), rt_sigqueueinfo's checks, the Sig* lines of /proc/PID/status
 * and the signal fields of /proc/PID/stat, a stopped process's state T,
 * the controlling terminal in stat's tty_nr/tpgid, and the children's
 * times (times, getrusage(RUSAGE_CHILDREN), wait4's rusage, stat's cutime)
 * added up at wait.
 *
 * Why: ps, top and shells read these; before, Highland merged real-time
 * signals like standard ones and printed 0 for the masks, tty and the
 * children's times. Every case checks what Linux does: run natively on a
 * Linux machine (build/tests/user/t_signal) the program passes. Under
 * qemu-i386 (make user-host-test) /proc/self is the emulator's and
 * qemu-user keeps one pending instance per signal, so those cases skip.
 *
 * Linked into t_signal (Makefile) rather than a program of its own: each
 * static test program adds ~0.75 MB to build/initramfs-test.cpio, which
 * every user-space job loads and unpacks.
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

/* Under an emulator (the runner's HL_TEST_WRAPPER): why a case cannot run, else NULL. */
static const char *emulated(void)
{
	return getenv("HL_TEST_WRAPPER") ? "under qemu-user: /proc/self is the emulator's, and "
					   "it keeps one pending instance per signal" : NULL;
}

static volatile int nrec;
static volatile int rec_sig[16], rec_code[16], rec_val[16];

static void record(int sig, siginfo_t *si, void *uc)
{
	if (nrec < 16) {
		rec_sig[nrec] = sig;
		rec_code[nrec] = si->si_code;
		rec_val[nrec] = si->si_value.sival_int;
	}
	nrec++;
}

static int catch_with_info(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = record;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/* A "Name:\tHEX" line of /proc/PID/status as a number; -1 if missing. */
static long long status_hex(const char *path, const char *name)
{
	static char buf[4096];
	char key[32];

	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(key, sizeof(key), "\n%s:\t", name);
	char *p = strstr(buf, key);
	return p ? (long long)strtoull(p + strlen(key), NULL, 16) : -1;
}

/* Field n (1-based) of /proc/PID/stat, as text after the comm's ")"; "" if missing. */
static const char *stat_field(const char *path, int n, char *out, size_t len)
{
	char buf[1024];
	out[0] = 0;
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return out;
	char *p = strrchr(buf, ')');
	for (int f = 2; p && f < n; f++)
		p = strchr(p + 1, ' ');
	if (p && n > 2) {
		size_t k = strcspn(p + 1, " \n");
		snprintf(out, len, "%.*s", (int)(k < len ? k : len - 1), p + 1);
	}
	return out;
}

/* ---- real-time signals queued ---- */

static int test_rt_signals_queued(void)
{
	int a = SIGRTMIN + 1, b = SIGRTMIN + 2;
	sigset_t set, old;

	if (emulated())
		KT_SKIP("%s", emulated());
	nrec = 0;
	KT_EXPECT(catch_with_info(a) == 0 && catch_with_info(b) == 0 &&
		  catch_with_info(SIGUSR1) == 0, "sigaction: %s", strerror(errno));
	sigemptyset(&set);
	sigaddset(&set, a);
	sigaddset(&set, b);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), b);
	kill(getpid(), b);
	errno = 0;
	int q = sigqueue(getpid(), b, (union sigval){ .sival_int = 11 });
	int qerr = errno;
	sigqueue(getpid(), b, (union sigval){ .sival_int = 22 });
	sigqueue(getpid(), a, (union sigval){ .sival_int = 5 });
	kill(getpid(), SIGUSR1); /* a standard signal sent twice: merged */
	kill(getpid(), SIGUSR1);
	long long sigq = status_hex("/proc/self/status", "SigQ");
	int before = nrec;
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigset_t pend;
	sigpending(&pend);
	int left = sigismember(&pend, b);
	/* whatever happened, nothing stays behind for the next cases */
	signal(a, SIG_DFL);
	signal(b, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	if (hl_is_highland()) /* Linux counts the whole user's queued signals */
		KT_EXPECT(sigq == 6, "SigQ: want 6 queued (5 real-time, SIGUSR1), got %llx", sigq);
	KT_EXPECT(before == 0, "a blocked signal was delivered");
	KT_EXPECT(!left, "still pending after all were delivered");
	/* Which signal's handler runs first is not the point (Linux builds a frame
	 * for each deliverable signal before returning, so the last one taken
	 * runs first); each signal's own deliveries come in the order sent. */
	KT_EXPECT(nrec == 6, "%d deliveries, want 6 (each real-time send once, SIGUSR1 merged)",
		  (int)nrec);
	KT_EXPECT(q == 0, "sigqueue: %s", strerror(qerr));
	static const int want_code[4] = { SI_USER, SI_USER, SI_QUEUE, SI_QUEUE };
	static const int want_val[4] = { 0, 0, 11, 22 };
	int nb = 0, na = 0, nu = 0;
	for (int i = 0; i < 6; i++) {
		if (rec_sig[i] == b) {
			KT_EXPECT(rec_code[i] == want_code[nb] &&
				  (want_code[nb] != SI_QUEUE || rec_val[i] == want_val[nb]),
				  "signal %d's delivery %d: code %d value %d, want code %d value %d", b,
				  nb, rec_code[i], rec_val[i], want_code[nb], want_val[nb]);
			nb++;
		} else if (rec_sig[i] == a) {
			KT_EXPECT(rec_code[i] == SI_QUEUE && rec_val[i] == 5,
				  "signal %d: code %d value %d, want SI_QUEUE 5", a, rec_code[i],
				  rec_val[i]);
			na++;
		} else {
			KT_EXPECT(rec_sig[i] == SIGUSR1 && rec_code[i] == SI_USER,
				  "delivery %d: signal %d code %d", i, rec_sig[i], rec_code[i]);
			nu++;
		}
	}
	KT_EXPECT(nb == 4 && na == 1 && nu == 1, "deliveries: %d of %d, %d of %d, %d of SIGUSR1",
		  nb, b, na, a, nu);
	return KT_PASS;
}

/* Setting SIG_IGN drops the queued instances too. */
static int test_rt_ignore_drops_queue(void)
{
	int s = SIGRTMIN + 3;
	sigset_t set, old, pend;

	nrec = 0;
	catch_with_info(s);
	sigemptyset(&set);
	sigaddset(&set, s);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), s);
	kill(getpid(), s);
	signal(s, SIG_IGN);
	KT_EXPECT(sigpending(&pend) == 0 && !sigismember(&pend, s), "ignored, still pending");
	catch_with_info(s);
	sigprocmask(SIG_SETMASK, &old, NULL);
	KT_EXPECT(nrec == 0, "%d deliveries of signals dropped by SIG_IGN", (int)nrec);
	signal(s, SIG_DFL);
	return KT_PASS;
}

static void wait_forever(void *arg)
{
	for (;;)
		pause();
}

static int test_rt_sigqueueinfo_checks(void)
{
	siginfo_t si;
	int st;

	memset(&si, 0, sizeof(si));
	pid_t pid = fork();
	if (pid == 0) {
		wait_forever(NULL);
		_exit(0);
	}
	KT_EXPECT(pid > 0, "fork: %s", strerror(errno));
	si.si_code = SI_USER; /* pretending to be kill() to another process */
	errno = 0;
	long r1 = syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si);
	int e1 = errno;
	si.si_code = 0x80; /* SI_KERNEL */
	long r2 = syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si);
	int e2 = errno;
	errno = 0;
	si.si_code = SI_QUEUE;
	long r4 = syscall(SYS_rt_sigqueueinfo, pid, 65, &si);
	int e4 = errno;
	si.si_value.sival_int = 3;
	long r3 = syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si);
	if (r3 != 0)
		kill(pid, SIGKILL);
	waitpid(pid, &st, 0); /* SIGUSR1's default action ends it */
	KT_EXPECT(r1 == -1 && e1 == EPERM && r2 == -1 && e2 == EPERM,
		  "forged si_code to another process: %ld (%s), %ld (%s): want EPERM", r1,
		  strerror(e1), r2, strerror(e2));
	KT_EXPECT(r3 == 0, "SI_QUEUE: %ld", r3);
	KT_EXPECT(r4 == -1 && e4 == EINVAL, "signal 65: %ld (%s)", r4, strerror(e4));
	KT_EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1, "the child was not ended by "
		  "SIGUSR1 from rt_sigqueueinfo (status %#x)", st);
	/* to itself, a process may say what it likes */
	nrec = 0;
	catch_with_info(SIGUSR2);
	si.si_code = SI_USER;
	KT_EXPECT(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si) == 0 && nrec == 1 &&
		  rec_code[0] == SI_USER, "to itself: %d deliveries, code %d", (int)nrec, rec_code[0]);
	/* a standard signal carries sigqueue's value too */
	nrec = 0;
	sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 99 });
	KT_EXPECT(nrec == 1 && rec_code[0] == SI_QUEUE && rec_val[0] == 99,
		  "sigqueue(SIGUSR2, 99): %d deliveries, code %d value %d", (int)nrec, rec_code[0],
		  rec_val[0]);
	signal(SIGUSR2, SIG_DFL);
	return KT_PASS;
}

/* ---- /proc/PID/status and stat ---- */

static void on_any(int sig) { }

static int test_status_signal_masks(void)
{
	sigset_t set, old;
	char f[32];

	if (emulated())
		KT_SKIP("%s", emulated());
	for (int s = 1; s <= 64; s++) /* what the runner or a shell left ignored */
		if (s != SIGKILL && s != SIGSTOP && (s < 32 || s >= SIGRTMIN))
			signal(s, SIG_DFL);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, on_any);
	signal(SIGRTMIN + 6, on_any); /* 40 */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGRTMIN + 6);
	sigprocmask(SIG_SETMASK, &set, &old);
	kill(getpid(), SIGHUP);                           /* to the process: shared */
	syscall(SYS_tgkill, getpid(), getpid(), SIGQUIT); /* to the thread: private */
	kill(getpid(), SIGRTMIN + 6);
	unsigned long long bit = 1;
	unsigned long long want_blk = bit << (SIGHUP - 1) | bit << (SIGQUIT - 1) |
				      bit << (SIGRTMIN + 5);
	long long pnd = status_hex("/proc/self/status", "SigPnd");
	long long shd = status_hex("/proc/self/status", "ShdPnd");
	long long blk = status_hex("/proc/self/status", "SigBlk");
	long long ign = status_hex("/proc/self/status", "SigIgn");
	long long cgt = status_hex("/proc/self/status", "SigCgt");
	const char *sigign = stat_field("/proc/self/stat", 33, f, sizeof(f));
	long stat_ign = atol(sigign);
	long stat_cgt = atol(stat_field("/proc/self/stat", 34, f, sizeof(f)));
	long stat_blk = atol(stat_field("/proc/self/stat", 32, f, sizeof(f)));
	/* leave nothing behind: drop the pending ones, put the mask back */
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGRTMIN + 6, SIG_IGN);
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (int s = 1; s <= 64; s++)
		if (s != SIGKILL && s != SIGSTOP && (s < 32 || s >= SIGRTMIN))
			signal(s, SIG_DFL);
	KT_EXPECT(pnd == (long long)(bit << (SIGQUIT - 1)), "SigPnd %llx: want SIGQUIT (tgkill)",
		  pnd);
	KT_EXPECT(shd == (long long)(bit << (SIGHUP - 1) | bit << (SIGRTMIN + 5)),
		  "ShdPnd %llx: want SIGHUP and SIGRTMIN+6 (kill)", shd);
	KT_EXPECT(blk == (long long)want_blk, "SigBlk %llx, want %llx", blk, want_blk);
	KT_EXPECT(ign == (long long)(bit << (SIGUSR1 - 1)), "SigIgn %llx: want SIGUSR1", ign);
	KT_EXPECT(cgt == (long long)(bit << (SIGUSR2 - 1) | bit << (SIGRTMIN + 5)),
		  "SigCgt %llx: want SIGUSR2 and signal %d", cgt, SIGRTMIN + 6);
	/* stat: the low 31 bits, in decimal (fs/proc/array.c) */
	KT_EXPECT(stat_blk == (long)(want_blk & 0x7fffffff) && stat_ign == 1L << (SIGUSR1 - 1) &&
		  stat_cgt == 1L << (SIGUSR2 - 1), "stat: blocked %ld sigignore %ld sigcatch %ld",
		  stat_blk, stat_ign, stat_cgt);
	return KT_PASS;
}

static int test_stopped_state(void)
{
	char path[64], f[8], state[64];
	int st;

	if (emulated())
		KT_SKIP("%s", emulated());
	pid_t pid = fork();
	if (pid == 0) {
		wait_forever(NULL);
		_exit(0);
	}
	kill(pid, SIGSTOP);
	KT_EXPECT(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st), "not stopped");
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	stat_field(path, 3, f, sizeof(f));
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	char buf[2048];
	read_file(path, buf, sizeof(buf));
	char *p = strstr(buf, "State:\t");
	snprintf(state, sizeof(state), "%.*s", p ? (int)strcspn(p, "\n") : 0, p ? p : "");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	KT_EXPECT(!strcmp(f, "T") && !strcmp(state, "State:\tT (stopped)"),
		  "a stopped process: stat state '%s', status '%s'", f, state);
	return KT_PASS;
}

/* In a session of its own with the console as controlling terminal:
 * tty_nr is ttyS0's 4:64 and tpgid the foreground group (its own). */
static void tty_child(void *arg)
{
	char f[32];

	if (setsid() < 0)
		_exit(10);
	int fd = open("/dev/ttyS0", O_RDWR);
	if (fd < 0)
		_exit(11); /* no serial port here */
	if (ioctl(fd, TIOCSCTTY, 0) < 0)
		_exit(12); /* another session has it */
	long nr = atol(stat_field("/proc/self/stat", 7, f, sizeof(f)));
	long tpgid = atol(stat_field("/proc/self/stat", 8, f, sizeof(f)));
	_exit(nr == 0x440 && tpgid == getpgrp() ? 0 : 20);
}

static int test_stat_tty_nr(void)
{
	char f[32];

	if (emulated())
		KT_SKIP("%s", emulated());
	int st = run_in_child(tty_child, NULL);
	if (WIFEXITED(st) && WEXITSTATUS(st) >= 10 && WEXITSTATUS(st) <= 12)
		KT_SKIP("no console to take (%s)", WEXITSTATUS(st) == 11 ? "no /dev/ttyS0" :
			WEXITSTATUS(st) == 12 ? "another session has it" : "setsid failed");
	KT_EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "with the console as controlling terminal: tty_nr not 0x440 (ttyS0, 4:64) or "
		  "tpgid not its group (status %#x)", st);
	pid_t pid = fork(); /* a session without a terminal */
	if (pid == 0) {
		setsid();
		long nr = atol(stat_field("/proc/self/stat", 7, f, sizeof(f)));
		long tpgid = atol(stat_field("/proc/self/stat", 8, f, sizeof(f)));
		_exit(nr == 0 && tpgid == -1 ? 0 : 1);
	}
	KT_EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
		  "without a terminal: want tty_nr 0, tpgid -1");
	return KT_PASS;
}

/* ---- the children's times ---- */

static void spin_ticks(clock_t n)
{
	struct tms t;
	times(&t);
	clock_t end = t.tms_utime + t.tms_stime + n;
	do
		times(&t);
	while (t.tms_utime + t.tms_stime < end);
}

/* Burns 0.3 s of CPU after reaping a grandchild that burnt 0.2 s. */
static void spinning_child(void *arg)
{
	pid_t g = fork();
	if (g == 0) {
		spin_ticks(20);
		_exit(0);
	}
	waitpid(g, NULL, 0);
	spin_ticks(30);
}

static int test_children_times(void)
{
	struct tms t0, t1, t2;
	struct rusage ru, rc;
	char f[32];
	int st;

	times(&t0);
	pid_t pid = fork();
	if (pid == 0) {
		spinning_child(NULL);
		_exit(0);
	}
	KT_EXPECT(pid > 0, "fork: %s", strerror(errno));
	usleep(100000);
	times(&t1);
	KT_EXPECT(t1.tms_cutime == t0.tms_cutime && t1.tms_cstime == t0.tms_cstime,
		  "children's time counted before wait");
	KT_EXPECT(wait4(pid, &st, 0, &ru) == pid && WIFEXITED(st), "wait4");
	times(&t2);
	long got = (long)(t2.tms_cutime + t2.tms_cstime - t0.tms_cutime - t0.tms_cstime);
	/* 50 ticks each child measured in itself; 2 of slack for the last partial ticks */
	KT_EXPECT(got >= 48 && got < 1000, "times: children's %ld ticks, want >= 50 (the child's "
		  "30 and the grandchild's 20 it reaped)", got);
	long ru_ms = ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000 +
		     ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000;
	KT_EXPECT(ru_ms >= 480, "wait4's rusage: %ld ms, want >= 500", ru_ms);
	KT_EXPECT(getrusage(RUSAGE_CHILDREN, &rc) == 0, "getrusage: %s", strerror(errno));
	long rc_ms = rc.ru_utime.tv_sec * 1000 + rc.ru_utime.tv_usec / 1000 +
		     rc.ru_stime.tv_sec * 1000 + rc.ru_stime.tv_usec / 1000;
	KT_EXPECT(rc_ms >= 480, "getrusage(RUSAGE_CHILDREN): %ld ms, want >= 500", rc_ms);
	if (!emulated()) {
		long cut = atol(stat_field("/proc/self/stat", 16, f, sizeof(f))) +
			   atol(stat_field("/proc/self/stat", 17, f, sizeof(f)));
		/* one count on Highland; Linux keeps nanoseconds and rounds each its own way */
		long tc = (long)(t2.tms_cutime + t2.tms_cstime), slack = hl_is_highland() ? 0 : 5;
		KT_EXPECT(cut >= tc - slack && cut <= tc + slack,
			  "/proc/self/stat cutime+cstime %ld, times says %ld", cut,
			  (long)(t2.tms_cutime + t2.tms_cstime));
	}
	return KT_PASS;
}

const struct kt_case sigstate_cases[] = {
	{ "rt_signals_queued", test_rt_signals_queued },
	{ "rt_ignore_drops_queue", test_rt_ignore_drops_queue },
	{ "rt_sigqueueinfo_checks", test_rt_sigqueueinfo_checks },
	{ "status_signal_masks", test_status_signal_masks },
	{ "stopped_state_T", test_stopped_state },
	{ "stat_tty_nr", test_stat_tty_nr },
	{ "children_times", test_children_times },
};
const int sigstate_ncases = sizeof(sigstate_cases) / sizeof(sigstate_cases[0]);
