/*
 * t_tty.c - the console terminal without typing: termios round trips
 * (TCGETS/TCSETS/TCSETSF), the window size, non-blocking raw reads
 * (VMIN/VTIME), and job control: a session leader opening /dev/ttyS0 gets
 * its controlling terminal (TIOCGPGRP, TIOCGSID, /dev/tty), TIOCSPGRP's
 * rules, a background read stopped by SIGTTIN (or EIO when SIGTTIN is
 * ignored), and the terminal freed when the session leader exits.
 *
 * Why: the shell's line editing and job control sit on these. What needs
 * keys typed at the console is tests/user/tty_input.c (the tty-console
 * job). On the host (qemu-i386) the console is not Highland's: skipped.
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define NEED_HIGHLAND() do { if (!hl_is_highland()) \
	KT_SKIP("needs Highland's console (the host's terminal is another)"); } while (0)

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int test_termios_round_trip(void)
{
	struct termios t, saved, back;

	NEED_HIGHLAND();
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);
	KT_EXPECT(fd >= 0, "open /dev/console: %s", strerror(errno));
	KT_EXPECT(tcgetattr(fd, &saved) == 0, "TCGETS: %s", strerror(errno));
	KT_EXPECT((saved.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG) &&
		  saved.c_cc[VINTR] == 3 && saved.c_cc[VERASE] == 0x7f && saved.c_cc[VEOF] == 4,
		  "defaults: lflag %#o VINTR %d VERASE %d", saved.c_lflag, saved.c_cc[VINTR],
		  saved.c_cc[VERASE]);
	t = saved;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 3;
	t.c_cc[VERASE] = 8;
	KT_EXPECT(tcsetattr(fd, TCSAFLUSH, &t) == 0, "TCSETSF: %s", strerror(errno));
	KT_EXPECT(tcgetattr(fd, &back) == 0 && back.c_lflag == t.c_lflag &&
		  back.c_cc[VTIME] == 3 && back.c_cc[VERASE] == 8, "read back lflag %#o", back.c_lflag);
	/* raw, VMIN 0 VTIME 3: a read with nothing typed returns 0 after 0.3 s */
	char c;
	long t0 = now_ms();
	ssize_t n = read(fd, &c, 1);
	long dt = now_ms() - t0;
	KT_EXPECT(n == 0 && dt >= 250 && dt < 3000, "VTIME 3: read %zd after %ld ms", n, dt);
	t.c_cc[VTIME] = 0;
	tcsetattr(fd, TCSANOW, &t);
	t0 = now_ms();
	n = read(fd, &c, 1);
	KT_EXPECT(n == 0 && now_ms() - t0 < 200, "VMIN 0 VTIME 0: read %zd (want 0 at once)", n);
	int avail = -1;
	KT_EXPECT(ioctl(fd, FIONREAD, &avail) == 0 && avail == 0, "FIONREAD %d", avail);
	KT_EXPECT(tcsetattr(fd, TCSANOW, &saved) == 0, "restore: %s", strerror(errno));
	KT_EXPECT(tcflush(fd, TCIFLUSH) == 0 && tcdrain(fd) == 0 && tcflow(fd, TCOON) == 0,
		  "tcflush/tcdrain/tcflow: %s", strerror(errno));
	struct winsize ws, ws2 = { 50, 132, 0, 0 };
	KT_EXPECT(ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 24 && ws.ws_col == 80,
		  "window %ux%u, want 80x24", ws.ws_col, ws.ws_row);
	KT_EXPECT(ioctl(fd, TIOCSWINSZ, &ws2) == 0 && ioctl(fd, TIOCGWINSZ, &ws2) == 0 &&
		  ws2.ws_row == 50 && ws2.ws_col == 132, "TIOCSWINSZ round trip");
	ioctl(fd, TIOCSWINSZ, &ws);
	int null = open("/dev/null", O_RDWR);
	errno = 0;
	KT_EXPECT(tcgetattr(null, &t) == -1 && errno == ENOTTY, "/dev/null is no terminal");
	close(null);
	close(fd);
	return KT_PASS;
}

#define CHECK(c) do { if (!(c)) return __LINE__ % 250 + 1; } while (0)

/* In a new session: the terminal becomes ours by opening it. */
static int ctty_child(void)
{
	CHECK(setsid() == getpid());
	int fd = open("/dev/ttyS0", O_RDWR);
	CHECK(fd >= 0);
	CHECK(tcgetpgrp(fd) == getpid());
	pid_t sid = -1;
	CHECK(ioctl(fd, TIOCGSID, &sid) == 0 && sid == getpid());
	int tty = open("/dev/tty", O_RDWR);
	CHECK(tty >= 0);
	close(tty);
	errno = 0;
	CHECK(tcsetpgrp(fd, 99999) == -1 && errno == EPERM); /* no such group here */
	/* a background child reading: SIGTTIN stops it */
	pid_t kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		char c;
		read(fd, &c, 1);
		_exit(9);
	}
	setpgid(kid, kid);
	int st;
	CHECK(waitpid(kid, &st, WUNTRACED) == kid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	/* ... or EIO when it ignores SIGTTIN */
	kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		char c;
		errno = 0;
		_exit(read(fd, &c, 1) == -1 && errno == EIO ? 0 : 8);
	}
	setpgid(kid, kid);
	CHECK(waitpid(kid, &st, 0) == kid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* the foreground moves to a child's group and back (SIGTTOU blocked, as a shell) */
	kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(kid, kid);
	CHECK(tcsetpgrp(fd, kid) == 0 && tcgetpgrp(fd) == kid);
	sigset_t ttou, old;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	CHECK(tcsetpgrp(fd, getpid()) == 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	int ser[15];
	CHECK(ioctl(fd, TIOCGSERIAL, ser) == 0 && ser[1] == 0 && ser[3] == 4); /* ttyS0, irq 4 */
	/* another session leader: TIOCSCTTY 0 refused, 1 (root) takes it over */
	kid = fork();
	if (kid == 0) {
		setsid();
		errno = 0;
		if (ioctl(fd, TIOCSCTTY, 0) != -1 || errno != EPERM)
			_exit(1);
		if (ioctl(fd, TIOCSCTTY, 1) != 0 || tcgetpgrp(fd) != getpid())
			_exit(2);
		_exit(0);
	}
	CHECK(waitpid(kid, &st, 0) == kid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	errno = 0;
	CHECK(tcgetpgrp(fd) == -1 && errno == ENOTTY); /* no longer ours */
	return 0;
}

static int test_controlling_tty(void)
{
	int st;

	NEED_HIGHLAND();
	pid_t pid = fork();
	if (pid == 0)
		_exit(ctty_child());
	KT_EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "check near line %d of t_tty.c failed (status %#x)", WEXITSTATUS(st) - 1, st);
	/* its session is gone: another session leader can take the terminal */
	pid = fork();
	if (pid == 0) {
		setsid();
		int fd = open("/dev/console", O_RDWR);
		_exit(fd >= 0 && tcgetpgrp(fd) == getpid() ? 0 : 1);
	}
	KT_EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "the terminal was not freed by the first session's end");
	/* not a session leader: no controlling terminal, /dev/tty is ENXIO */
	errno = 0;
	KT_EXPECT(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO, "/dev/tty without one: %s",
		  strerror(errno));
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "termios_round_trip_and_raw_reads", test_termios_round_trip },
		{ "controlling_tty_and_job_control", test_controlling_tty },
	};

	return kt_run("tty", cases, sizeof(cases) / sizeof(cases[0]));
}
