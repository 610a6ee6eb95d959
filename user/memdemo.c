/*
 * memdemo.c - leaves memory in a state worth drawing, then prints the
 * memview snapshot (/proc/highland/memsnap) on the console for
 * tools/memview (`make memview`; docs/memview.md).
 *
 * Why these steps: each gives the pictures something to show. 16 MB of
 * anonymous memory, touched (frames from HighMem when there is any), half
 * of it then shared copy-on-write with a child made by fork; a file of the
 * initramfs mapped privately and read (page-cache frames); a region left
 * untouched (pages not present). The child waits on a pipe until the
 * snapshot is taken (then killed), so both processes are in it. Runs as init
 * (rdinit=/bin/memdemo) or from the demo shell (`run /bin/memdemo`); with the
 * argument `hold` (the monitor's `spawn /bin/memdemo hold`) it prints no
 * snapshot and keeps everything until the machine stops.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ANON_MB 16

static int fail(const char *what)
{
	perror(what);
	return 1;
}

static void copy_snapshot(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open("/proc/highland/memsnap", O_RDONLY);

	if (fd < 0) {
		perror("memdemo: /proc/highland/memsnap");
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n)
			break;
	close(fd);
}

int main(int argc, char **argv)
{
	int hold = argc > 1 && !strcmp(argv[1], "hold");
	size_t len = (size_t)ANON_MB << 20;
	int pipefd[2];
	char c = 0;

	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL); /* as init: not mounted yet (EBUSY otherwise) */
	char *anon = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *idle = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED || idle == MAP_FAILED)
		return fail("memdemo: mmap");
	memset(anon, 0x5a, len);
	idle[0] = 1; /* one page of the idle region present, the rest not */
	int fd = open("/bin/memdemo", O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return fail("memdemo: /bin/memdemo");
	const volatile char *file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED)
		return fail("memdemo: mmap of a file");
	for (off_t o = 0; o < st.st_size; o += 4096)
		c ^= file[o];
	if (pipe(pipefd) < 0)
		return fail("memdemo: pipe");
	pid_t child = fork();
	if (child < 0)
		return fail("memdemo: fork");
	if (child == 0) { /* write half of the shared anon: those pages get copies */
		memset(anon, 0xa5, len / 2);
		if (write(pipefd[1], "r", 1) != 1)
			return 1;
		for (;;)
			pause(); /* until the parent's SIGKILL */
	}
	if (read(pipefd[0], &c, 1) != 1)
		return fail("memdemo: child");
	printf("memdemo: parent %d, child %d: %d MB anonymous, a file mapped\n", (int)getpid(),
	       (int)child, ANON_MB);
	fflush(stdout);
	if (hold) { /* a monitor boot: the monitor's memsnap takes the picture */
		printf("memdemo: holding\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	copy_snapshot();
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}
