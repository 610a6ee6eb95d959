/*
 * t_exec.c - execve: argv and envp arrive intact (also large ones), fds
 * survive exec unless close-on-exec, "#!" scripts run their interpreter,
 * and bad paths, pointers and files get Linux's errors.
 *
 * Why re-exec itself: the program checks what it received in a second
 * role (argv[1] = "--child", "--script", "--fds"), with no other binary.
 * Its path is argv[0] as the runner gives it (/tests/t_exec); scratch files
 * go to $TMPDIR or /tmp (created if missing).
 */
#include "ut.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MANY 1000

static char self[256];

/* Fork; the child execs path with argv/envp; returns the wait status, or -1. */
static int exec_status(const char *path, char *const argv[], char *const envp[])
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(100 + (errno & 63));
	}
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

#define EXPECT_EXIT(st, code, what) do { char d_[96]; \
	KT_EXPECT((st) != -1 && WIFEXITED(st) && WEXITSTATUS(st) == (code), \
		  "%s: %s, want exit %d (100+errno = exec failed)", what, \
		  (st) == -1 ? "fork/wait failed" : describe_status(st, d_, sizeof(d_)), code); \
	} while (0)

/* --child: argv = self --child a "b c" "" ; envp = FOO=bar EMPTY= */
static int child_role(int argc, char **argv)
{
	if (argc != 5 || strcmp(argv[2], "a") || strcmp(argv[3], "b c") || strcmp(argv[4], ""))
		return 1;
	if (!getenv("FOO") || strcmp(getenv("FOO"), "bar") || !getenv("EMPTY") ||
	    strcmp(getenv("EMPTY"), "") || getenv("HL_KTAP_NESTED"))
		return 2;
	return 42;
}

static int test_argv_envp(void)
{
	if (ut_exec_unsupported())
		KT_SKIP("%s", ut_exec_unsupported());
	char *argv[] = { self, "--child", "a", "b c", "", NULL };
	char *envp[] = { "FOO=bar", "EMPTY=", NULL };

	EXPECT_EXIT(exec_status(self, argv, envp), 42, "exec with argv and envp");
	return KT_PASS;
}

/* --many N: N arguments "arg<i>" and an environment of N*64 bytes. */
static int many_role(int argc, char **argv)
{
	if (argc != MANY + 3)
		return 3;
	for (int i = 0; i < MANY; i++) {
		char want[16];
		snprintf(want, sizeof(want), "arg%d", i);
		if (strcmp(argv[3 + i], want))
			return 4;
	}
	const char *big = getenv("BIG");
	if (!big || strlen(big) != MANY * 64)
		return 5;
	return 43;
}

static int test_large_argv_envp(void)
{
	if (ut_exec_unsupported())
		KT_SKIP("%s", ut_exec_unsupported());
	static char *argv[MANY + 4];
	static char args[MANY][16], big[MANY * 64 + 8];

	argv[0] = self;
	argv[1] = "--many";
	argv[2] = "x";
	for (int i = 0; i < MANY; i++) {
		snprintf(args[i], sizeof(args[i]), "arg%d", i);
		argv[3 + i] = args[i];
	}
	argv[MANY + 3] = NULL;
	strcpy(big, "BIG=");
	memset(big + 4, 'e', MANY * 64);
	big[4 + MANY * 64] = '\0';
	char *envp[] = { big, NULL };
	EXPECT_EXIT(exec_status(self, argv, envp), 43, "exec with 1000 arguments and 64 KB of env");
	return KT_PASS;
}

static int test_exec_other_binary(void)
{
	if (ut_exec_unsupported())
		KT_SKIP("%s", ut_exec_unsupported());
	char tiny[300], dir[256];

	snprintf(dir, sizeof(dir), "%s", self);
	snprintf(tiny, sizeof(tiny), "%s/tiny", dirname(dir));
	char *argv[] = { tiny, "1", "2", NULL };
	char *envp[] = { NULL };
	EXPECT_EXIT(exec_status(tiny, argv, envp), 3, tiny);
	return KT_PASS;
}

/* --fds KEEP GONE: KEEP must be open, GONE (close-on-exec) closed. */
static int fds_role(char **argv)
{
	int keep = atoi(argv[2]), gone = atoi(argv[3]);
	if (fcntl(keep, F_GETFD) < 0)
		return 6;
	if (fcntl(gone, F_GETFD) != -1 || errno != EBADF)
		return 7;
	return 44;
}

static int test_fds_across_exec(void)
{
	if (ut_exec_unsupported())
		KT_SKIP("%s", ut_exec_unsupported());
	int a[2], b[2];
	char ks[12], gs[12];

	KT_EXPECT(pipe(a) == 0 && pipe2(b, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
	snprintf(ks, sizeof(ks), "%d", a[1]);
	snprintf(gs, sizeof(gs), "%d", b[1]);
	char *argv[] = { self, "--fds", ks, gs, NULL };
	char *envp[] = { NULL };
	int st = exec_status(self, argv, envp);
	close(a[0]); close(a[1]); close(b[0]); close(b[1]);
	EXPECT_EXIT(st, 44, "fds after exec (6: kept fd closed, 7: O_CLOEXEC fd kept)");
	return KT_PASS;
}

/* Write a scratch file with mode; its path in path. */
static int scratch(char *path, size_t len, const char *name, const char *text, mode_t mode)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	mkdir(tmp, 01777);
	snprintf(path, len, "%s/hl_exec_%d_%s", tmp, (int)getpid(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int test_shebang_script(void)
{
	if (ut_exec_unsupported())
		KT_SKIP("%s", ut_exec_unsupported());
	char path[300], text[400];

	snprintf(text, sizeof(text), "#!%s --script\necho not a shell\n", self);
	KT_EXPECT(scratch(path, sizeof(path), "script", text, 0755) == 0,
		  "cannot write a script in /tmp: %s", strerror(errno));
	char *argv[] = { path, "one", NULL };
	char *envp[] = { NULL };
	int st = exec_status(path, argv, envp);
	unlink(path);
	EXPECT_EXIT(st, 45, "#! script (its interpreter gets: --script PATH one)");
	return KT_PASS;
}

static int script_role(int argc, char **argv)
{
	return argc == 4 && strstr(argv[2], "hl_exec_") && !strcmp(argv[3], "one") ? 45 : 8;
}

static int test_errors(void)
{
	char path[300];
	char *argv[] = { "x", NULL };
	char *envp[] = { NULL };

	errno = 0;
	KT_EXPECT(execve("/no/such/file", argv, envp) == -1 && errno == ENOENT,
		  "execve of a missing file: errno %d, want ENOENT", errno);
	errno = 0;
	KT_EXPECT(execve((char *)0xC0001000, argv, envp) == -1 && errno == EFAULT,
		  "execve with a kernel-space path: errno %d, want EFAULT", errno);
	errno = 0;
	KT_EXPECT(execve(self, (char **)0xC0001000, envp) == -1 && errno == EFAULT,
		  "execve with a kernel-space argv: errno %d, want EFAULT", errno);
	KT_EXPECT(scratch(path, sizeof(path), "junk", "this is not a program\n", 0755) == 0,
		  "cannot write a file in /tmp: %s", strerror(errno));
	errno = 0;
	int r = execve(path, argv, envp);
	int e = errno;
	unlink(path);
	KT_EXPECT(r == -1 && e == ENOEXEC, "execve of a text file: errno %d, want ENOEXEC", e);
	return KT_PASS;
}

int main(int argc, char **argv)
{
	static const struct kt_case cases[] = {
		{ "argv_envp", test_argv_envp },
		{ "large_argv_envp", test_large_argv_envp },
		{ "exec_other_binary", test_exec_other_binary },
		{ "fds_across_exec", test_fds_across_exec },
		{ "shebang_script", test_shebang_script },
		{ "errors", test_errors },
	};

	if (argc >= 2 && !strcmp(argv[1], "--child"))
		return child_role(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "--many"))
		return many_role(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "--fds"))
		return fds_role(argv);
	if (argc >= 2 && !strcmp(argv[1], "--script"))
		return script_role(argc, argv);
	snprintf(self, sizeof(self), "%s", strchr(argv[0], '/') ? argv[0] : "/tests/t_exec");
	return kt_run("exec", cases, 6);
}
