/*
 * t_itimer.c - alarm, setitimer and getitimer (ITIMER_REAL): SIGALRM
 * comes when the time is up and not before, a periodic timer keeps
 * firing, the old value comes back, alarm(0) cancels, a fork's child
 * starts without the parent's timer, and an unhandled SIGALRM ends the
 * process.
 *
 * Why: sleep, timeout and the shell's read -t are built on these.
 */
#include "ut.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) { alarms++; }

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int test_alarm(void)
{
	signal(SIGALRM, on_alarm);
	alarms = 0;
	KT_EXPECT(alarm(2) == 0, "no alarm was set before");
	unsigned left = alarm(1);
	KT_EXPECT(left == 2 || left == 1, "alarm returned %u, want about 2", left);
	long t0 = now_ms();
	while (!alarms && now_ms() - t0 < 3000)
		usleep(10000); /* not pause(): a signal just before it would be missed */
	long dt = now_ms() - t0;
	KT_EXPECT(alarms == 1, "SIGALRM %d times", (int)alarms);
	KT_EXPECT(dt >= 900 && dt < 2500, "alarm(1) came after %ld ms", dt);
	alarm(1);
	KT_EXPECT(alarm(0) >= 1, "alarm(0) did not report the one set");
	usleep(1300000);
	KT_EXPECT(alarms == 1, "a cancelled alarm fired");
	signal(SIGALRM, SIG_DFL);
	return KT_PASS;
}

static int test_setitimer_periodic(void)
{
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } }, old, cur;

	signal(SIGALRM, on_alarm);
	alarms = 0;
	KT_EXPECT(setitimer(ITIMER_REAL, &it, &old) == 0, "setitimer: %s", strerror(errno));
	KT_EXPECT(old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0, "an old timer was set");
	int got = getitimer(ITIMER_REAL, &cur);
	if (got || cur.it_interval.tv_usec != 50000 || cur.it_value.tv_usec > 50000) {
		struct itimerval stop = { { 0, 0 }, { 0, 0 } };
		setitimer(ITIMER_REAL, &stop, NULL); /* no SIGALRMs into the next case */
		KT_EXPECT(0, "getitimer: interval %ld value %ld", (long)cur.it_interval.tv_usec,
			  (long)cur.it_value.tv_usec);
	}
	long t0 = now_ms();
	while (now_ms() - t0 < 500)
		usleep(10000);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, &old);
	int n = alarms;
	KT_EXPECT(n >= 5 && n <= 12, "%d SIGALRMs in 500 ms of a 50 ms timer", n);
	KT_EXPECT(old.it_interval.tv_usec == 50000, "old interval %ld", (long)old.it_interval.tv_usec);
	usleep(200000);
	KT_EXPECT(alarms == n, "the timer fired after it was stopped");
	errno = 0;
	it.it_value.tv_usec = 1000000;
	KT_EXPECT(setitimer(ITIMER_REAL, &it, NULL) == -1 && errno == EINVAL, "usec 1000000: %s",
		  strerror(errno));
	signal(SIGALRM, SIG_DFL);
	return KT_PASS;
}

static void alarm_kills(void *arg)
{
	alarm(1);
	for (;;)
		pause();
}

static int test_fork_and_default(void)
{
	char why[96];
	int st;

	alarm(5);
	pid_t pid = fork();
	if (pid == 0)
		_exit(alarm(0) == 0 ? 0 : 1);
	alarm(0);
	KT_EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "the child inherited the alarm");
	KT_EXPECT(dies_by_signal(alarm_kills, NULL, SIGALRM, why, sizeof(why)),
		  "an unhandled SIGALRM: %s", why);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "alarm", test_alarm },
		{ "setitimer_periodic", test_setitimer_periodic },
		{ "fork_clears_and_default_kills", test_fork_and_default },
	};

	return kt_run("itimer", cases, sizeof(cases) / sizeof(cases[0]));
}
