/* fs_dev_test.c - the files that are not RAM files: /dev/null, /dev/zero,
 * device nodes, the console (writes, and its line discipline fed with
 * injected input while a thread reads), pipes between threads, descriptor
 * tables across a fork-like dup_fd and exec, and /proc read back and
 * checked against Linux's formats. */
#include "highmem.h"
#include "mm.h"
#include "mmzone.h"
#include "proc_fs.h"
#include "sched.h"
#include "slab.h"
#include "fs_test.h"

static void fs_devices(struct ktest *t)
{
	char buf[32];
	struct file *f;
	loff_t pos = 0;

	no_injection(t);
	f = filp_open("/dev/null", O_RDWR, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), 0);
	KTEST_EXPECT_EQ(t, kernel_write(f, "abc", 3, &pos), 3);
	KTEST_EXPECT_EQ(t, vfs_ioctl(f, 0x5401, 0), -ENOTTY); /* TCGETS: not a terminal */
	fput(f);
	f = filp_open("/dev/zero", O_RDONLY, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	memset(buf, 1, sizeof(buf));
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), 32);
	KTEST_EXPECT_EQ(t, buf[0] | buf[31], 0);
	fput(f);
	f = filp_open("/dev/console", O_WRONLY, 0);
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_write(f, "# fs: written to /dev/console\n", 30, &pos), 30);
	fput(f);
	struct termios tio;
	console_termios(&tio);
	KTEST_EXPECT_EQ(t, tio.c_lflag & 2, 2); /* ICANON */
	KTEST_EXPECT_EQ(t, sizeof(tio), 36);
	KTEST_EXPECT_EQ(t, do_mount("devtmpfs", "/dev", "devtmpfs"), -EBUSY);
	KTEST_EXPECT_EQ(t, do_mount("x", "/dev", "ext4"), -ENODEV);
	KTEST_EXPECT_EQ(t, vfs_mknod("/t_null", S_IFCHR | 0666, (1 << 8) | 3), 0);
	f = filp_open("/t_null", O_WRONLY, 0); /* a node outside /dev works the same */
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_write(f, "abc", 3, &pos), 3);
	fput(f);
	KTEST_EXPECT_EQ(t, vfs_mknod("/t_bad", S_IFCHR | 0666, (9 << 8) | 9), 0);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/t_bad", O_RDONLY, 0)), -ENXIO);
	vfs_unlink("/t_null");
	vfs_unlink("/t_bad");
}

/* ---- the console's line discipline ---- */

struct reader {
	char buf[64];
	long n;
	volatile bool done;
};

static int console_reader(void *arg)
{
	struct reader *r = arg;
	struct file *f = filp_open("/dev/console", O_RDONLY, 0);
	loff_t pos = 0;

	r->n = IS_ERR(f) ? PTR_ERR(f) : kernel_read(f, r->buf, sizeof(r->buf) - 1, &pos);
	if (!IS_ERR(f))
		fput(f);
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	return 0;
}

static long read_line(struct ktest *t, struct reader *r, const char *input, int settle_ms)
{
	memset(r, 0, sizeof(*r));
	struct task *th = kthread_run(console_reader, r, "fs-tty-reader");
	if (!th)
		return -ENOMEM;
	msleep(30);
	KTEST_EXPECT_FALSE(t, r->done); /* blocked: no line yet */
	console_input_inject(input, strlen(input));
	for (int i = 0; i < settle_ms && !r->done; i++)
		msleep(1);
	if (!r->done) { /* finish it so the thread can be joined */
		console_input_inject("\n", 1);
		kthread_join(th);
		return -EAGAIN;
	}
	kthread_join(th);
	return r->n;
}

static void fs_console_line_discipline(struct ktest *t)
{
	static struct reader r;

	no_injection(t);
	/* partial line: the reader stays blocked until the newline */
	KTEST_EXPECT_EQ(t, read_line(t, &r, "ab", 100), -EAGAIN);
	KTEST_EXPECT_EQ(t, r.n, 3); /* "ab\n" once the test sent the newline */
	/* backspace and DEL erase, CR ends the line as \n */
	KTEST_EXPECT_EQ(t, read_line(t, &r, "hx\by\x7fi\r", 1000), 3);
	KTEST_EXPECT_STREQ(t, r.buf, "hi\n");
	/* ^U kills the line */
	KTEST_EXPECT_EQ(t, read_line(t, &r, "junk\x15ok\n", 1000), 3);
	KTEST_EXPECT_STREQ(t, r.buf, "ok\n");
	/* ^D on an empty line: end of file (read returns 0) */
	KTEST_EXPECT_EQ(t, read_line(t, &r, "\x04", 1000), 0);
	/* two lines typed ahead: one per read */
	console_input_inject("one\ntwo\n", 8);
	struct file *f = filp_open("/dev/console", O_RDONLY, 0);
	char buf[16];
	loff_t pos = 0;
	KTEST_ASSERT_TRUE(t, !IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), 4);
	KTEST_EXPECT_EQ(t, memcmp(buf, "one\n", 4), 0);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 2, &pos), 2); /* a short buffer takes part of it */
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, sizeof(buf), &pos), 2);
	KTEST_EXPECT_EQ(t, memcmp(buf, "o\n", 2), 0);
	fput(f);
}

/* ---- pipes ---- */

struct pipe_writer {
	struct file *f;
	long total;
};

static int pipe_writer_fn(void *arg)
{
	struct pipe_writer *w = arg;
	static char chunk[3000];
	loff_t pos = 0;

	for (int i = 0; i < (int)sizeof(chunk); i++)
		chunk[i] = (char)i;
	for (int i = 0; i < 10; i++) { /* 30000 bytes: more than the pipe holds */
		long r = kernel_write(w->f, chunk, sizeof(chunk), &pos);
		if (r < 0)
			break;
		w->total += r;
	}
	fput(w->f); /* the last writer gone: the reader sees end of file */
	return 0;
}

static void fs_pipes(struct ktest *t)
{
	struct file *p[2];
	static struct pipe_writer w;
	static char buf[4096];
	long got = 0, r;
	loff_t pos = 0;
	bool ok = true;

	no_injection(t);
	KTEST_ASSERT_EQ(t, create_pipe_files(p, 0), 0);
	KTEST_EXPECT_EQ(t, (file_inode(p[0])->i_mode & S_IFMT), S_IFIFO);
	w.f = p[1];
	w.total = 0;
	struct task *th = kthread_run(pipe_writer_fn, &w, "fs-pipe-writer");
	KTEST_ASSERT_NOT_NULL(t, th);
	while ((r = kernel_read(p[0], buf, sizeof(buf), &pos)) > 0) {
		for (long i = 0; i < r; i++)
			ok &= buf[i] == (char)((got + i) % 3000);
		got += r;
	}
	kthread_join(th);
	KTEST_EXPECT_EQ(t, r, 0);
	KTEST_EXPECT_EQ(t, got, 30000);
	KTEST_EXPECT_EQ(t, w.total, 30000);
	KTEST_EXPECT_TRUE(t, ok);
	fput(p[0]);
	/* no reader: EPIPE; non-blocking empty read: EAGAIN */
	KTEST_ASSERT_EQ(t, create_pipe_files(p, O_NONBLOCK), 0);
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, 1, &pos), -EAGAIN);
	fput(p[0]);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], "x", 1, &pos), -EPIPE);
	fput(p[1]);
}

/* ---- /proc ---- */

static int show_comm(struct seq_file *m, struct task *task)
{
	seq_printf(m, "%s\n", task->name);
	return 0;
}

static int show_fixed(struct seq_file *m, void *data)
{
	for (int i = 0; i < 1000; i++) /* 7000 bytes: the buffer must grow */
		seq_printf(m, "%06d\n", i);
	seq_puts(m, (const char *)data);
	seq_putc(m, '!');
	return 0;
}

static bool find_name(void *ctx, const char *name, size_t len, u64 ino, unsigned type)
{
	char *want = ctx;

	if (strlen(want) == len && !memcmp(want, name, len))
		want[0] = '\0'; /* found */
	return true;
}

static bool dir_has(const char *dir, const char *name)
{
	char want[32];
	struct file *f = filp_open(dir, O_RDONLY | O_DIRECTORY, 0);

	if (IS_ERR(f))
		return false;
	strlcpy(want, name, sizeof(want));
	f->f_op->iterate(f, find_name, want);
	fput(f);
	return want[0] == '\0';
}

static void fs_proc(struct ktest *t)
{
	static char buf[16384];
	char path[32];
	long n;

	no_injection(t);
	n = do_mount("proc", "/proc", "proc");
	KTEST_EXPECT_TRUE(t, n == 0 || n == -EBUSY); /* init may have mounted it */
	KTEST_EXPECT_EQ(t, do_mount("proc", "/proc", "proc"), -EBUSY);
	n = slurp("/proc/meminfo", buf, sizeof(buf));
	KTEST_EXPECT_GT(t, n, 100);
	KTEST_EXPECT_EQ(t, strncmp(buf, "MemTotal:       ", 16), 0);
	KTEST_EXPECT_EQ(t, memcmp(buf + 24, " kB\nMemFree:        ", 20), 0);
	slurp("/proc/buddyinfo", buf, sizeof(buf));
	KTEST_EXPECT_EQ(t, strncmp(buf, "Node 0, zone      DMA ", 22), 0);
	slurp("/proc/zoneinfo", buf, sizeof(buf));
	KTEST_EXPECT_EQ(t, strncmp(buf, "Node 0, zone      DMA\n  pages free     ", 39), 0);
	slurp("/proc/slabinfo", buf, sizeof(buf));
	KTEST_EXPECT_EQ(t, strncmp(buf, "slabinfo - version: 2.1\n# name ", 31), 0);
	n = slurp("/proc/vmallocinfo", buf, sizeof(buf));
	KTEST_EXPECT_TRUE(t, n == 0 || !strncmp(buf, "0x", 2)); /* Linux's lines, no header */
	slurp("/proc/vmstat", buf, sizeof(buf));
	KTEST_EXPECT_EQ(t, strncmp(buf, "nr_free_pages ", 14), 0);
	/* a file that grows its buffer, in a subdirectory */
	n = proc_create_single("fs_test/big", show_fixed, "end");
	KTEST_EXPECT_TRUE(t, n == 0 || n == -EEXIST);
	KTEST_EXPECT_EQ(t, slurp("/proc/fs_test/big", buf, sizeof(buf)), 7004);
	KTEST_EXPECT_STREQ(t, buf + 6993, "000999\nend!");
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/proc/fs_test/x", O_WRONLY | O_CREAT, 0)), -EACCES);
	KTEST_EXPECT_EQ(t, vfs_mkdir("/proc/x", 0755), -EPERM);
	/* self, the pid directories, per-pid files */
	n = proc_pid_register("fs_test_comm", show_comm);
	KTEST_EXPECT_TRUE(t, n == 0 || n == -EEXIST);
	KTEST_EXPECT_GT(t, vfs_readlink("/proc/self", path, sizeof(path) - 1), 0);
	snprintf(buf, 16, "%d", current_pid());
	KTEST_EXPECT_EQ(t, strncmp(path, buf, strlen(buf)), 0);
	slurp("/proc/self/fs_test_comm", buf, sizeof(buf));
	snprintf(path, sizeof(path), "%s\n", current->name);
	KTEST_EXPECT_STREQ(t, buf, path);
	snprintf(path, sizeof(path), "%d", current_pid());
	KTEST_EXPECT_TRUE(t, dir_has("/proc", path));
	KTEST_EXPECT_TRUE(t, dir_has("/proc", "meminfo"));
	KTEST_EXPECT_TRUE(t, dir_has("/proc", "self"));
	KTEST_EXPECT_TRUE(t, dir_has("/proc/self", "fs_test_comm"));
	KTEST_EXPECT_EQ(t, slurp("/proc/99999", buf, sizeof(buf)), -ENOENT);
	KTEST_EXPECT_EQ(t, vfs_unlink("/proc/meminfo"), -EPERM);
}

/* A thread's descriptor table: fds 0-2 on the console, dup_fd shares the
 * files, do_close_on_exec closes the marked ones, the last put closes. */
struct fd_result {
	int err, fd3, cloexec_fd;
	long count_shared, count_after_exec, after_put;
	bool same_file, gone_after_exec, kept_after_exec;
};

static int fd_table_thread(void *arg)
{
	struct fd_result *r = arg;
	struct files_struct *copy;
	struct file *f;

	r->err = console_open_fds();
	if (r->err)
		return 0;
	struct files_struct *files = current->files;
	r->same_file = files->fd[0] == files->fd[1] && files->fd[1] == files->fd[2];
	f = filp_open("/dev/null", O_RDWR, 0);
	r->fd3 = fd_install_new(f, 0, 0);
	f = filp_open("/dev/zero", O_RDONLY, 0);
	r->cloexec_fd = fd_install_new(f, O_CLOEXEC, 10);
	copy = dup_fd(files);
	r->count_shared = copy ? copy->fd[r->fd3]->f_count : -1;
	if (copy) {
		do_close_on_exec(copy);
		r->gone_after_exec = copy->fd[r->cloexec_fd] == NULL;
		r->kept_after_exec = copy->fd[r->fd3] != NULL;
		r->count_after_exec = files->fd[r->cloexec_fd]->f_count;
		put_files_struct(copy);
	}
	r->after_put = files->fd[r->fd3]->f_count;
	put_files_struct(files);
	current->files = NULL;
	free_fs_struct(current->fs);
	current->fs = NULL;
	return 0;
}

static void fs_fd_tables(struct ktest *t)
{
	static struct fd_result r;

	no_injection(t);
	memset(&r, 0, sizeof(r));
	struct task *th = kthread_run(fd_table_thread, &r, "fs-fd-table");
	KTEST_ASSERT_NOT_NULL(t, th);
	kthread_join(th);
	KTEST_ASSERT_EQ(t, r.err, 0);
	KTEST_EXPECT_TRUE(t, r.same_file); /* 0, 1, 2: one open file */
	KTEST_EXPECT_EQ(t, r.fd3, 3);
	KTEST_EXPECT_EQ(t, r.cloexec_fd, 10); /* the lowest free at or above 10 */
	KTEST_EXPECT_EQ(t, r.count_shared, 2); /* the fork's table shares the file */
	KTEST_EXPECT_TRUE(t, r.gone_after_exec);
	KTEST_EXPECT_TRUE(t, r.kept_after_exec);
	KTEST_EXPECT_EQ(t, r.count_after_exec, 1); /* exec dropped the copy's reference */
	KTEST_EXPECT_EQ(t, r.after_put, 1);
}

static struct ktest_case fs_dev_cases[] = {
	KTEST_CASE(fs_devices),
	KTEST_CASE(fs_console_line_discipline),
	KTEST_CASE(fs_pipes),
	KTEST_CASE(fs_fd_tables),
	KTEST_CASE(fs_proc),
	{ 0 },
};
KTEST_SUITE(fs_dev, fs_dev_cases);
