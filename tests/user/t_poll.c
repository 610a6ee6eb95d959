/*
 * t_poll.c - poll, select, ppoll and pselect on pipes, /dev/null and
 * regular files: timeouts (nothing ready: 0 after the time, not before),
 * readiness (data, room, hang-up, a bad descriptor), wakeups by a writer
 * in another process, and by a signal (EINTR); ppoll's mask.
 *
 * Why: a shell waits for its terminal and its jobs' pipes with these, and
 * tools (timeout, watch, read -t) rely on their timeouts.
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int test_poll_timeout_and_ready(void)
{
	int p[2];

	KT_EXPECT(pipe(p) == 0, "pipe");
	struct pollfd fds[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
	long t0 = now_ms();
	int r = poll(fds, 1, 200);
	long dt = now_ms() - t0;
	KT_EXPECT(r == 0 && fds[0].revents == 0, "empty pipe: poll %d revents %#x", r,
		  fds[0].revents);
	KT_EXPECT(dt >= 200 && dt < 2000, "a 200 ms timeout took %ld ms", dt);
	r = poll(fds, 2, 0);
	KT_EXPECT(r == 1 && fds[1].revents == POLLOUT, "write end: %d %#x", r, fds[1].revents);
	write(p[1], "x", 1);
	r = poll(fds, 2, -1);
	KT_EXPECT(r == 2 && fds[0].revents == POLLIN, "with a byte: %d %#x", r, fds[0].revents);
	close(p[1]);
	char c;
	read(p[0], &c, 1);
	r = poll(fds, 1, 1000);
	KT_EXPECT(r == 1 && (fds[0].revents & POLLHUP), "no writer: %d %#x, want POLLHUP", r,
		  fds[0].revents);
	close(p[0]);
	struct pollfd bad = { 1000, POLLIN, 0 }, neg = { -1, POLLIN, 7 };
	KT_EXPECT(poll(&bad, 1, 0) == 1 && bad.revents == POLLNVAL, "fd 1000: %#x", bad.revents);
	KT_EXPECT(poll(&neg, 1, 0) == 0 && neg.revents == 0, "fd -1 is skipped: %#x", neg.revents);
	int null = open("/dev/null", O_RDWR);
	struct pollfd nf = { null, POLLIN | POLLOUT, 0 };
	KT_EXPECT(poll(&nf, 1, -1) == 1 && nf.revents == (POLLIN | POLLOUT), "/dev/null: %#x",
		  nf.revents);
	close(null);
	return KT_PASS;
}

/* A child writes after 150 ms: poll with no timeout wakes for it. */
static int test_poll_woken_by_writer(void)
{
	int p[2];

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(150000);
		write(p[1], "y", 1);
		_exit(0);
	}
	struct pollfd f = { p[0], POLLIN, 0 };
	long t0 = now_ms();
	int r = poll(&f, 1, 5000);
	long dt = now_ms() - t0;
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
	KT_EXPECT(r == 1 && f.revents == POLLIN, "poll %d %#x", r, f.revents);
	KT_EXPECT(dt >= 100 && dt < 4000, "woken after %ld ms (the writer waited 150)", dt);
	return KT_PASS;
}

static void on_alarm(int sig) {}

static int test_poll_and_select_eintr(void)
{
	int p[2];
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART; /* poll and select are never restarted after a handler */
	sigaction(SIGALRM, &sa, NULL);
	pipe(p);
	struct pollfd f = { p[0], POLLIN, 0 };
	alarm(1);
	errno = 0;
	int r = poll(&f, 1, 10000);
	KT_EXPECT(r == -1 && errno == EINTR, "poll: %d (%s), want EINTR", r, strerror(errno));
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	alarm(1);
	errno = 0;
	r = select(p[0] + 1, &rd, NULL, NULL, NULL);
	KT_EXPECT(r == -1 && errno == EINTR, "select: %d (%s), want EINTR", r, strerror(errno));
	signal(SIGALRM, SIG_DFL);
	close(p[0]);
	close(p[1]);
	return KT_PASS;
}

static int test_select(void)
{
	int p[2];
	fd_set rd, wr;

	pipe(p);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	struct timeval tv = { 0, 150000 };
	long t0 = now_ms();
	int r = select(p[0] + 1, &rd, NULL, NULL, &tv);
	long dt = now_ms() - t0;
	KT_EXPECT(r == 0 && !FD_ISSET(p[0], &rd), "empty pipe: select %d", r);
	KT_EXPECT(dt >= 150 && dt < 2000, "a 150 ms timeout took %ld ms", dt);
	KT_EXPECT(tv.tv_sec == 0 && tv.tv_usec == 0, "timeval left %ld.%06ld, want 0",
		  (long)tv.tv_sec, (long)tv.tv_usec);
	write(p[1], "z", 1);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	FD_SET(p[1], &rd); /* the write end is never readable */
	r = select(p[1] + 1, &rd, &wr, NULL, NULL);
	KT_EXPECT(r == 2 && FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr) && !FD_ISSET(p[1], &rd),
		  "ready sets: %d", r);
	FD_ZERO(&rd);
	FD_SET(50, &rd); /* not open */
	errno = 0;
	tv = (struct timeval){ 0, 0 };
	KT_EXPECT(select(51, &rd, NULL, NULL, &tv) == -1 && errno == EBADF, "bad fd: %s",
		  strerror(errno));
	char path[] = "/tmp/t_poll_XXXXXX";
	mkdir("/tmp", 01777);
	int fd = mkstemp(path);
	if (fd >= 0) {
		FD_ZERO(&rd);
		FD_SET(fd, &rd);
		r = select(fd + 1, &rd, NULL, NULL, NULL);
		KT_EXPECT(r == 1 && FD_ISSET(fd, &rd), "a regular file is always readable: %d", r);
		close(fd);
		unlink(path);
	}
	close(p[0]);
	close(p[1]);
	return KT_PASS;
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { got_usr1 = 1; }

/* ppoll's mask: SIGUSR1 blocked normally, let in during the wait only. */
static int test_ppoll_mask(void)
{
	int p[2];
	sigset_t block, old, during;

	pipe(p);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	got_usr1 = 0;
	kill(getpid(), SIGUSR1); /* pending: blocked */
	KT_EXPECT(!got_usr1, "a blocked signal ran");
	struct pollfd f = { p[0], POLLIN, 0 };
	struct timespec ts = { 5, 0 };
	sigemptyset(&during);
	errno = 0;
	int r = ppoll(&f, 1, &ts, &during);
	KT_EXPECT(r == -1 && errno == EINTR && got_usr1, "ppoll: %d (%s), handler %d", r,
		  strerror(errno), (int)got_usr1);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	KT_EXPECT(sigismember(&now, SIGUSR1), "ppoll did not put the mask back");
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	ts = (struct timespec){ 0, 50000000 };
	r = ppoll(&f, 1, &ts, NULL);
	KT_EXPECT(r == 0, "ppoll 50 ms timeout: %d", r);
	close(p[0]);
	close(p[1]);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "poll_timeout_and_readiness", test_poll_timeout_and_ready },
		{ "poll_woken_by_writer", test_poll_woken_by_writer },
		{ "poll_select_eintr", test_poll_and_select_eintr },
		{ "select_sets_and_timeout", test_select },
		{ "ppoll_sigmask", test_ppoll_mask },
	};

	return kt_run("poll", cases, sizeof(cases) / sizeof(cases[0]));
}
