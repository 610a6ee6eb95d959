/*
 * tty_input.c - the console terminal with keys typed at it: Highland's
 * init in the tty-console job (tools/test-matrix), which boots with
 * rdinit=/tests/tty_input and has tools/qemu-run type into the serial
 * port (--type-after) each time this program prints "@@ready:NAME@@".
 *
 * What is typed and checked, in order:
 *   canon   "hellx\x7fo worx\bld\r"  canonical read: erase by ^? and ^H  -> "hello world\n"
 *   kill    "junk\x15ok\r"            VKILL erases the line                 -> "ok\n"
 *   eof     "\x04"                    VEOF on an empty line                  -> read returns 0
 *   raw     "xyz"                     ICANON off, VMIN 3: one read           -> "xyz"
 *   noisig  "\x03\r"                  ISIG and ICRNL off: bytes as typed     -> 0x03 '\r'
 *   intr    "\x03"                    ^C: SIGINT ends a foreground sleep 100
 *   susp    "\x1a"                    ^Z: SIGTSTP stops the foreground job (WUNTRACED)
 *   eintr   "\x03"                    ^C during a read with a SIGINT handler -> EINTR
 *   poll    "p"                       poll on the terminal wakes for a key
 * The test program is the session leader of a new session (forked by
 * init) with the console as its controlling terminal, as a login shell.
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int tty = -1;
static struct termios saved;

static void ready(const char *name) { out("@@ready:%s@@\n", name); }

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int test_canonical(void)
{
	char buf[64];

	ready("canon");
	ssize_t n = read(tty, buf, sizeof(buf) - 1);
	KT_EXPECT(n == 12 && !memcmp(buf, "hello world\n", 12), "read %zd: '%.*s'", n,
		  (int)(n > 0 ? n : 0), buf);
	ready("kill");
	n = read(tty, buf, sizeof(buf) - 1);
	KT_EXPECT(n == 3 && !memcmp(buf, "ok\n", 3), "after ^U: read %zd '%.*s'", n,
		  (int)(n > 0 ? n : 0), buf);
	ready("eof");
	n = read(tty, buf, sizeof(buf) - 1);
	KT_EXPECT(n == 0, "^D on an empty line: read %zd, want 0", n);
	return KT_PASS;
}

static int test_raw(void)
{
	struct termios t = saved;
	char buf[16];

	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;
	KT_EXPECT(tcsetattr(tty, TCSANOW, &t) == 0, "TCSETS: %s", strerror(errno));
	ready("raw");
	ssize_t n = read(tty, buf, sizeof(buf));
	KT_EXPECT(n == 3 && !memcmp(buf, "xyz", 3), "VMIN 3: read %zd '%.*s'", n,
		  (int)(n > 0 ? n : 0), buf);
	t.c_lflag &= ~ISIG;
	t.c_iflag &= ~ICRNL;
	t.c_cc[VMIN] = 2;
	tcsetattr(tty, TCSANOW, &t);
	ready("noisig");
	n = read(tty, buf, sizeof(buf));
	tcsetattr(tty, TCSANOW, &saved);
	KT_EXPECT(n == 2 && buf[0] == 3 && buf[1] == '\r', "ISIG/ICRNL off: read %zd %02x %02x", n,
		  (unsigned char)buf[0], (unsigned char)buf[1]);
	return KT_PASS;
}

/* A foreground job: a child in its own group, given the terminal, sleeping 100 s. */
static pid_t start_fg_sleeper(void)
{
	int p[2];
	char c;

	pipe(p);
	pid_t kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		write(p[1], "x", 1);
		sleep(100);
		_exit(0);
	}
	setpgid(kid, kid);
	tcsetpgrp(tty, kid); /* from the foreground: no SIGTTOU (the child would get one) */
	read(p[0], &c, 1);
	close(p[0]);
	close(p[1]);
	return kid;
}

/* The terminal back to this process's group (SIGTTOU blocked, as a shell does). */
static void take_terminal_back(void)
{
	sigset_t s, old;

	sigemptyset(&s);
	sigaddset(&s, SIGTTOU);
	sigprocmask(SIG_BLOCK, &s, &old);
	tcsetpgrp(tty, getpgrp());
	sigprocmask(SIG_SETMASK, &old, NULL);
	out("\n"); /* after the echoed ^C or ^Z, as a shell prints */
}

static int test_ctrl_c_and_z(void)
{
	int st;

	pid_t kid = start_fg_sleeper();
	long t0 = now_ms();
	ready("intr");
	pid_t w = waitpid(kid, &st, 0);
	long dt = now_ms() - t0;
	take_terminal_back();
	KT_EXPECT(w == kid && WIFSIGNALED(st) && WTERMSIG(st) == SIGINT,
		  "^C: the foreground sleep ended with status %#x, want SIGINT", st);
	KT_EXPECT(dt < 60000, "^C took %ld ms", dt);
	kid = start_fg_sleeper();
	ready("susp");
	w = waitpid(kid, &st, WUNTRACED);
	take_terminal_back();
	KT_EXPECT(w == kid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP,
		  "^Z: status %#x, want stopped by SIGTSTP", st);
	kill(kid, SIGKILL);
	kill(kid, SIGCONT);
	waitpid(kid, &st, 0);
	return KT_PASS;
}

static volatile sig_atomic_t got_int;
static void on_int(int sig) { got_int = 1; }

static int test_read_eintr_and_poll(void)
{
	struct sigaction sa;
	char buf[8];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_int; /* no SA_RESTART */
	sigaction(SIGINT, &sa, NULL);
	/* "ready" only once this process sleeps in read: a ^C typed before the
	 * read began would run the handler first and leave read waiting for
	 * good (with the console's input by interrupt, ^C arrives at once) */
	pid_t helper = fork();
	if (helper == 0) {
		char path[64], st[1024];
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)getppid());
		for (int i = 0; i < 500; i++) {
			if (read_file(path, st, sizeof(st)) <= 0) {
				usleep(300000); /* no /proc: give the read time to begin */
				break;
			}
			char *p = strrchr(st, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				break;
			usleep(10000);
		}
		ready("eintr");
		_exit(0);
	}
	errno = 0;
	ssize_t n = read(tty, buf, sizeof(buf));
	int e = errno;
	signal(SIGINT, SIG_DFL);
	if (helper > 0)
		waitpid(helper, NULL, 0);
	out("\n");
	KT_EXPECT(n == -1 && e == EINTR && got_int, "read during ^C: %zd (%s), handler %d", n,
		  strerror(e), (int)got_int);
	struct termios t = saved;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	tcsetattr(tty, TCSANOW, &t);
	struct pollfd pf = { tty, POLLIN, 0 };
	KT_EXPECT(poll(&pf, 1, 0) == 0, "poll: readable before anything was typed");
	ready("poll");
	int r = poll(&pf, 1, 30000);
	n = r == 1 ? read(tty, buf, 1) : -1;
	tcsetattr(tty, TCSANOW, &saved);
	KT_EXPECT(r == 1 && (pf.revents & POLLIN) && n == 1 && buf[0] == 'p',
		  "poll %d revents %#x, read %zd", r, pf.revents, n);
	return KT_PASS;
}

int main(void)
{
	static const struct kt_case cases[] = {
		{ "canonical_erase_kill_eof", test_canonical },
		{ "raw_vmin_no_isig", test_raw },
		{ "ctrl_c_and_ctrl_z_to_foreground", test_ctrl_c_and_z },
		{ "read_eintr_and_poll", test_read_eintr_and_poll },
	};
	int st;

	mount("proc", "/proc", "proc", 0, NULL); /* as init: the eintr step reads /proc (EBUSY: there) */
	pid_t pid = fork();
	if (pid == 0) { /* a login session on the console */
		setsid();
		tty = open("/dev/console", O_RDWR);
		if (tty < 0 || tcgetpgrp(tty) != getpid() || tcgetattr(tty, &saved)) {
			out("# tty_input: no controlling terminal: %s\n", strerror(errno));
			_exit(2);
		}
		_exit(kt_run("tty_input", cases, sizeof(cases) / sizeof(cases[0])));
	}
	if (waitpid(pid, &st, 0) != pid)
		return 3;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 4;
}
