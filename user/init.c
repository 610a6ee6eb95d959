/*
 * init.c - /init of build/initramfs.cpio, what `make run` boots into.
 *
 * Why so small: it is a demo of real user space on Highland, not a shell.
 * It mounts /proc and /dev as a Linux init does, greets, and reads commands
 * from the console: `cat FILE`, `ls DIR`, `run PROG [ARGS]` (fork, execve,
 * wait4, then the exit status), `tests` (the user test suite), `exit [N]`
 * (init exits: Highland prints "init exited with status N" and QEMU ends),
 * `poweroff`, `reboot`. For the kernel monitor boot with CMDLINE=monitor.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXARGS 16

/* Mount fstype on dir; already mounted (EBUSY) is fine. */
static void mount_fs(const char *src, const char *dir, const char *fstype)
{
	mkdir(dir, 0755);
	if (mount(src, dir, fstype, 0, NULL) < 0 && errno != EBUSY)
		printf("init: mount %s on %s: %s\n", fstype, dir, strerror(errno));
}

static void cat(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[512];
	size_t n;

	if (!f) {
		printf("cat: %s: %s\n", path, strerror(errno));
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
}

static void ls(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		printf("ls: %s: %s\n", path, strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL)
		printf("%s%s  ", e->d_name, e->d_type == DT_DIR ? "/" : "");
	printf("\n");
	closedir(d);
}

/* fork + execve argv[0] (environment: PATH, HOME), wait, say how it ended. */
static void run(char **argv)
{
	char *envp[] = { "PATH=/bin:/tests", "HOME=/", NULL };
	int status;

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("run: fork: %s\n", strerror(errno));
		return;
	}
	if (pid == 0) {
		execve(argv[0], argv, envp);
		printf("run: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int r = waitpid(pid, &status, 0);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;       /* as init: reap orphans reparented to us */
	if (r < 0)
		printf("run: waitpid: %s\n", strerror(errno));
	else if (WIFEXITED(status))
		printf("[pid %d exited with status %d]\n", (int)pid, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("[pid %d killed by signal %d: %s]\n", (int)pid, WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
}

static void help(void)
{
	printf("  cat FILE            print a file (try /proc/meminfo, /proc/self/maps)\n"
	       "  ls [DIR]            list a directory (default /)\n"
	       "  run PROG [ARGS]     run a program, e.g. run /bin/hello a b\n"
	       "  tests               run the user test suite (/tests/runner)\n"
	       "  exit [N]            end init with status N (Highland then ends QEMU)\n"
	       "  poweroff, reboot\n");
}

/* One command line, split on blanks; returns 0 when init should exit (status in *code). */
static int command(char *line, int *code)
{
	char *argv[MAXARGS + 1];
	int argc = 0;

	for (char *t = strtok(line, " \t\n"); t && argc < MAXARGS; t = strtok(NULL, " \t\n"))
		argv[argc++] = t;
	argv[argc] = NULL;
	if (argc == 0)
		return 1;
	if (!strcmp(argv[0], "help"))
		help();
	else if (!strcmp(argv[0], "cat") && argc == 2)
		cat(argv[1]);
	else if (!strcmp(argv[0], "ls") && argc <= 2)
		ls(argc == 2 ? argv[1] : "/");
	else if (!strcmp(argv[0], "run") && argc >= 2)
		run(argv + 1);
	else if (!strcmp(argv[0], "tests") && argc == 1)
		run((char *[]){ "/tests/runner", NULL });
	else if (!strcmp(argv[0], "exit") && argc <= 2) {
		*code = argc == 2 ? atoi(argv[1]) : 0;
		return 0;
	} else if (!strcmp(argv[0], "poweroff") && argc == 1)
		reboot(RB_POWER_OFF);
	else if (!strcmp(argv[0], "reboot") && argc == 1)
		reboot(RB_AUTOBOOT);
	else
		printf("%s: unknown command or wrong arguments (help lists them)\n", argv[0]);
	return 1;
}

int main(void)
{
	struct utsname u;
	char line[256];
	int code = 0;

	if (getpid() == 1) {
		mount_fs("proc", "/proc", "proc");
		mount_fs("devtmpfs", "/dev", "devtmpfs");
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	if (uname(&u) == 0)
		printf("\nWelcome to user space on %s %s (%s), pid %d.\n", u.sysname, u.release,
		       u.version, (int)getpid());
	printf("Programs are static glibc binaries in /bin and /tests; `help` lists commands.\n");
	for (;;) {
		printf("# ");
		if (!fgets(line, sizeof(line), stdin)) {
			printf("\ninit: end of input, exiting\n");
			return 0;
		}
		if (!command(line, &code))
			return code;
	}
}
