/*
 * t_pgrp.c - process groups and sessions: setpgid, getpgid, getpgrp,
 * setsid, getsid with Linux's rules (ESRCH for a stranger, EPERM across
 * sessions and for a session leader or a group leader's setsid, EACCES
 * after the child's execve), inheritance at fork, and wait4 by group
 * (pid 0 and -pgid) with WNOHANG.
 *
 * Why: job control is the shell putting each job in its own group; these
 * are the rules it relies on. Each case runs in a child that first makes
 * itself a session leader, so the runner's own ids never matter.
 */
#include "ut.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *self;

/* Run fn in a child that leads a new session; its exit code 0 is a pass,
 * else the line number of the failed check. */
static int in_new_session(int (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (setsid() != getpid())
			_exit(1);
		_exit(fn());
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

#define CHECK(c) do { if (!(c)) return __LINE__ & 0xff ? __LINE__ & 0xff : 1; } while (0)

static pid_t sleeper(void)
{
	pid_t p = fork();
	if (p == 0) {
		for (;;)
			pause();
	}
	return p;
}

static int session_rules(void)
{
	pid_t me = getpid();

	CHECK(getsid(0) == me && getpgrp() == me && getpgid(0) == me);
	errno = 0;
	CHECK(setsid() == -1 && errno == EPERM);         /* already a group leader */
	errno = 0;
	CHECK(setpgid(0, 0) == -1 && errno == EPERM);    /* a session leader cannot move */
	pid_t c = sleeper();
	CHECK(getpgid(c) == me && getsid(c) == me);      /* inherited */
	CHECK(setpgid(c, c) == 0 && getpgid(c) == c);    /* its own group */
	CHECK(setpgid(c, me) == 0 && getpgid(c) == me);  /* and back */
	errno = 0;
	CHECK(setpgid(c, 99999) == -1 && errno == EPERM); /* no such group in the session */
	errno = 0;
	CHECK(setpgid(1, 1) == -1 && errno == ESRCH);    /* not its child */
	errno = 0;
	CHECK(getpgid(999999) == -1 && errno == ESRCH);
	errno = 0;
	CHECK(setpgid(0, -1) == -1 && errno == EINVAL);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return 0;
}

static int test_session_rules(void)
{
	int r = in_new_session(session_rules);
	KT_EXPECT(r == 0, "check at line %d (of t_pgrp.c, mod 256) failed (-1: fork/wait)", r);
	return KT_PASS;
}

/* A child in another session cannot be moved into ours; a group leader's setsid fails. */
static int other_session(void)
{
	int p[2];
	char c;

	pipe(p);
	pid_t kid = fork();
	if (kid == 0) {
		setsid();
		write(p[1], "x", 1);
		for (;;)
			pause();
	}
	close(p[1]); /* a child that dies first ends the read, not the test */
	CHECK(read(p[0], &c, 1) == 1);
	errno = 0;
	int r = setpgid(kid, getpid()) == -1 && errno == EPERM;
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	CHECK(r);
	return 0;
}

static int test_other_session(void)
{
	int r = in_new_session(other_session);
	KT_EXPECT(r == 0, "check at line %d failed: setpgid on a child of another session", r);
	return KT_PASS;
}

static int after_exec(void)
{
	int p[2];
	char c;

	pipe(p);
	pid_t kid = fork();
	if (kid == 0) {
		dup2(p[1], 3);
		execl(self, self, "--pause", (char *)NULL);
		_exit(100);
	}
	close(p[1]); /* a failed exec ends the read (EOF), not the test */
	CHECK(read(p[0], &c, 1) == 1); /* the new program is running */
	errno = 0;
	int r = setpgid(kid, kid) == -1 && errno == EACCES;
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	CHECK(r);
	return 0;
}

static int test_eacces_after_exec(void)
{
	if (ut_exec_unsupported())
		KT_SKIP("%s", ut_exec_unsupported());
	int r = in_new_session(after_exec);
	KT_EXPECT(r == 0, "check at line %d failed: setpgid after the child's execve", r);
	return KT_PASS;
}

static int wait_by_group(void)
{
	int st;
	pid_t a = fork();
	if (a == 0) {
		usleep(100000);
		_exit(3);
	}
	setpgid(a, a);
	pid_t b = fork();
	if (b == 0) {
		usleep(100000);
		_exit(4);
	}
	/* b stays in our group */
	CHECK(waitpid(0, &st, WNOHANG) == 0);            /* b is running */
	CHECK(waitpid(-a, &st, 0) == a && WEXITSTATUS(st) == 3);
	CHECK(waitpid(0, &st, 0) == b && WEXITSTATUS(st) == 4);
	errno = 0;
	CHECK(waitpid(-a, &st, WNOHANG) == -1 && errno == ECHILD);
	return 0;
}

static int test_wait_by_group(void)
{
	int r = in_new_session(wait_by_group);
	KT_EXPECT(r == 0, "check at line %d failed (wait4 by group)", r);
	return KT_PASS;
}

/* A pipeline's first process may end before the shell moves the others
 * into its group: an ended, unreaped process keeps its group (Linux keeps
 * the zombie's struct pid), so setpgid into it still succeeds. */
static int zombie_keeps_group(void)
{
	int st;
	pid_t a = fork();
	if (a == 0) {
		setpgid(0, 0); /* leads its own group, then ends */
		_exit(0);
	}
	usleep(200000); /* a has ended by now: a zombie, not reaped */
	pid_t b = sleeper();
	CHECK(b > 0);
	int r = setpgid(b, a);
	kill(b, SIGKILL);
	waitpid(b, &st, 0);
	waitpid(a, &st, 0);
	CHECK(r == 0); /* EPERM: the group was forgotten with its ended leader */
	return 0;
}

static int test_zombie_keeps_group(void)
{
	int r = in_new_session(zombie_keeps_group);
	KT_EXPECT(r == 0, "check at line %d failed (setpgid into a zombie's group)", r);
	return KT_PASS;
}

int main(int argc, char **argv)
{
	static const struct kt_case cases[] = {
		{ "session_and_group_rules", test_session_rules },
		{ "eperm_across_sessions", test_other_session },
		{ "eacces_after_exec", test_eacces_after_exec },
		{ "wait4_by_group_wnohang", test_wait_by_group },
		{ "zombie_keeps_its_group", test_zombie_keeps_group },
	};

	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "--pause")) {
		write(3, "x", 1);
		for (;;)
			pause();
	}
	return kt_run("pgrp", cases, sizeof(cases) / sizeof(cases[0]));
}
