/*
 * t_abi.c - the rest of the Linux i386 ABI that issue 15 lists, each call
 * checked for its effect and not only its return value: vfork, kill with
 * SIGKILL and SIGTERM, pipe/dup/dup2/fcntl, readv/writev, lseek, the
 * devtmpfs nodes, mkdir/unlink/getdents64, clocks and sleeping, the ids,
 * and /proc/self (status, cmdline, maps) agreeing with what we know.
 *
 * Why here: glibc exercises these the way programs do, so a wrong answer
 * shows up as a glibc-visible failure, not a register value.
 */
#include "ut.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char self_arg0[256];

static int test_vfork_exit(void)
{
	int st;
	pid_t pid = vfork();

	/* Only _exit is allowed in the child (POSIX); whether memory is
	 * shared is not checked: qemu-i386 runs vfork as fork. */
	if (pid == 0)
		_exit(7);
	KT_EXPECT(pid > 0, "vfork: %s", strerror(errno));
	KT_EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
		  "the vfork child did not exit 7");
	return KT_PASS;
}

static int killed_by(int sig)
{
	int p[2], st;
	char c;

	if (pipe(p) < 0)
		return 0;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		(void)!write(p[1], "r", 1);
		for (;;)
			pause();
	}
	close(p[1]);
	(void)!read(p[0], &c, 1);            /* the child runs */
	close(p[0]);
	kill(pid, sig);
	return waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

static int test_kill_default_actions(void)
{
	KT_EXPECT(killed_by(SIGKILL), "a child sent SIGKILL was not killed by it");
	KT_EXPECT(killed_by(SIGTERM), "a child sent SIGTERM was not killed by it");
	errno = 0;
	KT_EXPECT(kill(999999, SIGTERM) == -1 && errno == ESRCH, "kill of no process: errno %d",
		  errno);
	return KT_PASS;
}

static int test_pipe_dup_iovec(void)
{
	int p[2];
	char a[] = "hello ", b[] = "world", got[32] = "";
	struct iovec wv[2] = { { a, 6 }, { b, 5 } };
	char r1[4], r2[16];
	struct iovec rv[2] = { { r1, 4 }, { r2, 7 } };

	KT_EXPECT(pipe(p) == 0, "pipe: %s", strerror(errno));
	KT_EXPECT(writev(p[1], wv, 2) == 11, "writev: %s", strerror(errno));
	KT_EXPECT(readv(p[0], rv, 2) == 11, "readv: %s", strerror(errno));
	KT_EXPECT(!memcmp(r1, "hell", 4) && !memcmp(r2, "o world", 7), "readv scattered wrong");
	int d = dup(p[1]);
	KT_EXPECT(d > p[1] || d > p[0], "dup gave %d", d);
	KT_EXPECT(dup2(d, 100) == 100, "dup2: %s", strerror(errno));
	KT_EXPECT(write(100, "xyz", 3) == 3, "write to the dup2 copy: %s", strerror(errno));
	KT_EXPECT(read(p[0], got, sizeof(got)) == 3 && !memcmp(got, "xyz", 3), "read back");
	KT_EXPECT(fcntl(100, F_SETFD, FD_CLOEXEC) == 0 && fcntl(100, F_GETFD) == FD_CLOEXEC,
		  "fcntl FD_CLOEXEC");
	close(d);
	close(100);
	close(p[1]);
	KT_EXPECT(read(p[0], got, 1) == 0, "no EOF after every write end was closed");
	close(p[0]);
	errno = 0;
	KT_EXPECT(close(p[0]) == -1 && errno == EBADF, "close twice: errno %d", errno);
	return KT_PASS;
}

static int test_dev_nodes(void)
{
	char buf[64];
	int z = open("/dev/zero", O_RDONLY), n = open("/dev/null", O_RDWR);

	KT_EXPECT(z >= 0 && n >= 0, "open /dev/zero and /dev/null: %s", strerror(errno));
	memset(buf, 0x55, sizeof(buf));
	KT_EXPECT(read(z, buf, sizeof(buf)) == sizeof(buf), "read /dev/zero");
	for (unsigned i = 0; i < sizeof(buf); i++)
		KT_EXPECT(buf[i] == 0, "/dev/zero gave 0x%x", buf[i]);
	KT_EXPECT(write(n, buf, sizeof(buf)) == sizeof(buf), "write /dev/null");
	KT_EXPECT(read(n, buf, sizeof(buf)) == 0, "read /dev/null is not EOF");
	close(z);
	close(n);
	return KT_PASS;
}

static int test_files_and_dirs(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[256], file[300];

	mkdir(tmp, 01777);
	snprintf(dir, sizeof(dir), "%s/hl_abi_%d", tmp, (int)getpid());
	snprintf(file, sizeof(file), "%s/f", dir);
	KT_EXPECT(mkdir(dir, 0755) == 0, "mkdir %s: %s", dir, strerror(errno));
	int fd = open(file, O_RDWR | O_CREAT | O_EXCL, 0644);
	KT_EXPECT(fd >= 0, "create %s: %s", file, strerror(errno));
	KT_EXPECT(write(fd, "0123456789", 10) == 10, "write");
	KT_EXPECT(lseek(fd, 3, SEEK_SET) == 3, "lseek SET");
	char c[4] = "";
	KT_EXPECT(read(fd, c, 2) == 2 && c[0] == '3' && c[1] == '4', "read after lseek");
	KT_EXPECT(lseek(fd, -1, SEEK_END) == 9, "lseek END");
	struct stat st;
	KT_EXPECT(fstat(fd, &st) == 0 && st.st_size == 10 && S_ISREG(st.st_mode), "fstat");
	close(fd);
	DIR *d = opendir(dir);
	KT_EXPECT(d, "opendir: %s", strerror(errno));
	int found = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		found += strcmp(e->d_name, "f") == 0;
	closedir(d);
	KT_EXPECT(found == 1, "getdents64 listed the new file %d times", found);
	KT_EXPECT(unlink(file) == 0 && rmdir(dir) == 0, "unlink/rmdir: %s", strerror(errno));
	errno = 0;
	KT_EXPECT(open(file, O_RDONLY) == -1 && errno == ENOENT, "open after unlink: errno %d",
		  errno);
	return KT_PASS;
}

static int test_clocks_and_sleep(void)
{
	struct timespec a, b, rt, nap = { 0, 20 * 1000 * 1000 };

	KT_EXPECT(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime: %s", strerror(errno));
	KT_EXPECT(nanosleep(&nap, NULL) == 0, "nanosleep: %s", strerror(errno));
	KT_EXPECT(sched_yield() == 0, "sched_yield: %s", strerror(errno));
	KT_EXPECT(clock_gettime(CLOCK_MONOTONIC, &b) == 0, "clock_gettime");
	long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	KT_EXPECT(ns >= 20 * 1000 * 1000, "nanosleep(20 ms) took %lld ns", ns);
	KT_EXPECT(clock_gettime(CLOCK_REALTIME, &rt) == 0, "CLOCK_REALTIME: %s", strerror(errno));
	return KT_PASS;
}

static int test_ids_and_proc_self(void)
{
	char buf[4096], want[64];

	KT_EXPECT(getppid() > 0 && gettid() == getpid(), "getppid/gettid");
	if (hl_is_highland())
		KT_EXPECT(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0,
			  "Highland's processes run as root");
	KT_EXPECT(read_file("/proc/self/status", buf, sizeof(buf)) > 0, "read /proc/self/status");
	snprintf(want, sizeof(want), "\nPid:\t%d\n", (int)getpid());
	KT_EXPECT(strstr(buf, want), "/proc/self/status has no '%s'", want + 1);
	long n = read_file("/proc/self/cmdline", buf, sizeof(buf));
	KT_EXPECT(n == (long)strlen(self_arg0) + 1 && !strcmp(buf, self_arg0),
		  "/proc/self/cmdline is '%s', argv[0] '%s'", buf, self_arg0);
	KT_EXPECT(read_file("/proc/self/maps", buf, sizeof(buf)) > 0, "read /proc/self/maps");
	KT_EXPECT(strstr(buf, "[stack]") && strstr(buf, "r-xp"),
		  "/proc/self/maps lacks [stack] or an r-xp text mapping");
	return KT_PASS;
}

int main(int argc, char **argv)
{
	static const struct kt_case cases[] = {
		{ "vfork_exit", test_vfork_exit },
		{ "kill_default_actions", test_kill_default_actions },
		{ "pipe_dup_iovec", test_pipe_dup_iovec },
		{ "dev_zero_null", test_dev_nodes },
		{ "files_and_dirs", test_files_and_dirs },
		{ "clocks_and_sleep", test_clocks_and_sleep },
		{ "ids_and_proc_self", test_ids_and_proc_self },
	};
	snprintf(self_arg0, sizeof(self_arg0), "%s", argv[0]);
	(void)argc;
	return kt_run("abi", cases, 7);
}
