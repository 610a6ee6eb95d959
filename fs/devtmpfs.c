/* devtmpfs.c - /dev: the console (the serial port), /dev/null, /dev/zero.
 *
 * devtmpfs is a RAM filesystem like the root one, filled at boot with the
 * device nodes the kernel knows, and mounted on /dev (init's own mount of
 * it then gets EBUSY, as the reference notes for Linux). A device node's
 * inode carries only its number; opening it finds the
 * driver by its major (register_chrdev; the driver's open picks the minor),
 * as Linux's char devices.
 *
 * The console: output goes to the serial port as written (console_write
 * turns \n into CR LF). Input is line-buffered with echo, as a terminal in
 * canonical mode: characters collect in an edit line (backspace/DEL erases
 * one, ^U the line, CR becomes \n), and a finished line (or ^D) becomes
 * readable; read blocks on a wait queue until then. The receive side is a
 * kthread that polls the UART every 10 ms (console_getc), started only when
 * init's console is set up, so the serial monitor - which polls the same
 * port - never competes with it. Why polling and not the UART interrupt:
 * no change to the interrupt wiring, and nothing is lost - QEMU's 16550
 * stops delivering when its FIFO is full until the guest reads it.
 */
#include "blkdev.h"
#include "err.h"
#include "highmem.h"
#include "internal.h"
#include "kstring.h"
#include "machine.h"
#include "printk.h"
#include "sched.h"
#include "slab.h"

#define MKDEV(ma, mi) (((u32)(ma) << 8) | (u32)(mi))

static struct super_block *devtmpfs_sb;

struct super_block *devtmpfs_super(void) { return devtmpfs_sb; }

/* ---- /dev/null and /dev/zero ---- */

static ssize_t null_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	return (ssize_t)count;
}

static ssize_t zero_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	static const char zeros[512];
	size_t done = 0;

	while (done < count) {
		size_t n = count - done < sizeof(zeros) ? count - done : sizeof(zeros);
		if (fs_io_to(io, done, zeros, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return (ssize_t)done;
}

static const struct file_operations null_fops = { .read = null_read, .write = null_write };
static const struct file_operations zero_fops = { .read = zero_read, .write = null_write };

/* Major 1 ("mem"): the minor picks the device, as Linux's memory_open. */
static int mem_open(struct inode *inode, struct file *f)
{
	switch (inode->i_rdev & 0xff) {
	case 3: f->f_op = &null_fops; return 0;
	case 5: f->f_op = &zero_fops; return 0;
	default: return -ENXIO;
	}
}

static const struct file_operations mem_fops = { .open = mem_open };

/* ---- the console's line discipline ---- */

#define TTY_LINE_MAX 1024
#define TTY_READY_MAX 4096

static struct {
	spinlock_t lock;
	char line[TTY_LINE_MAX]; /* being edited */
	size_t len;
	char ready[TTY_READY_MAX]; /* finished lines, for read */
	size_t ready_len;
	bool eof_pending;        /* ^D: a read at ready position eof_pos returns 0 */
	size_t eof_pos;
	wait_queue_head_t wq;
	bool rx_started;
} tty = { .lock = SPINLOCK_INIT("tty"), .wq = WAIT_QUEUE_HEAD_INIT(tty.wq) };

/* Move the edit line to the readable bytes (lock held). */
static void tty_commit(void)
{
	size_t n = tty.len;

	if (n > TTY_READY_MAX - tty.ready_len)
		n = TTY_READY_MAX - tty.ready_len; /* nobody reads: the oldest stay */
	memcpy(tty.ready + tty.ready_len, tty.line, n);
	tty.ready_len += n;
	tty.len = 0;
}

/* One received character (lock held); true if a reader should wake. */
static bool tty_receive(char c)
{
	if (c == '\r')
		c = '\n';
	if (c == 0x7f || c == '\b') {
		if (tty.len) {
			tty.len--;
			console_write("\b \b", 3);
		}
		return false;
	}
	if (c == 0x15) { /* ^U: the whole line */
		for (; tty.len; tty.len--)
			console_write("\b \b", 3);
		return false;
	}
	if (c == 0x04) { /* ^D: the line as it is; at its start, end of file */
		if (!tty.len && !tty.eof_pending) {
			tty.eof_pending = true;
			tty.eof_pos = tty.ready_len;
		}
		tty_commit();
		return true;
	}
	if (tty.len >= TTY_LINE_MAX - 1 && c != '\n')
		return false; /* full: only the newline still fits */
	tty.line[tty.len++] = c;
	console_write(&c, 1);
	if (c != '\n')
		return false;
	tty_commit();
	return true;
}

int console_input_inject(const char *s, size_t n)
{
	bool wake = false;
	unsigned long flags = spin_lock_irqsave(&tty.lock);

	for (size_t i = 0; i < n; i++)
		wake |= tty_receive(s[i]);
	spin_unlock_irqrestore(&tty.lock, flags);
	if (wake)
		wake_up_all(&tty.wq);
	return 0;
}

static int console_rx_thread(void *arg)
{
	for (;;) {
		char buf[64];
		size_t n = 0;
		int c;

		while (n < sizeof(buf) && (c = console_getc()) >= 0)
			buf[n++] = (char)c;
		if (n)
			console_input_inject(buf, n);
		else
			msleep(10);
	}
	return 0;
}

static bool tty_readable(void)
{
	return __atomic_load_n(&tty.ready_len, __ATOMIC_ACQUIRE) || tty.eof_pending;
}

static ssize_t console_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	char buf[TTY_LINE_MAX];
	size_t n;

	if (!count)
		return 0;
	for (;;) {
		wait_event(tty.wq, tty_readable());
		unsigned long flags = spin_lock_irqsave(&tty.lock);
		if (tty.eof_pending && tty.eof_pos == 0) {
			tty.eof_pending = false;
			spin_unlock_irqrestore(&tty.lock, flags);
			return 0;
		}
		size_t avail = tty.eof_pending ? tty.eof_pos : tty.ready_len;
		if (!avail) {
			spin_unlock_irqrestore(&tty.lock, flags);
			continue;
		}
		/* One line at most, as a terminal in canonical mode reads. */
		for (n = 0; n < avail && n < count && n < sizeof(buf);)
			if (tty.ready[n++] == '\n')
				break;
		memcpy(buf, tty.ready, n);
		memmove(tty.ready, tty.ready + n, tty.ready_len - n);
		tty.ready_len -= n;
		if (tty.eof_pending)
			tty.eof_pos -= n;
		spin_unlock_irqrestore(&tty.lock, flags);
		break;
	}
	return fs_io_to(io, 0, buf, n) ? -EFAULT : (ssize_t)n;
}

static ssize_t console_fwrite(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	char buf[256];
	size_t done = 0;

	while (done < count) {
		size_t n = count - done < sizeof(buf) ? count - done : sizeof(buf);
		if (fs_io_from(io, done, buf, n))
			return done ? (ssize_t)done : -EFAULT;
		console_write(buf, n);
		done += n;
	}
	return (ssize_t)done;
}

#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413

/* A serial console in canonical mode: ICRNL|IXON, OPOST|ONLCR,
 * B115200|CS8|CREAD|HUPCL, ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN. */
void console_termios(struct termios *t)
{
	static const u8 cc[19] = { 3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0,
				   0x12, 0x0f, 0x17, 0x16, 0 };

	memset(t, 0, sizeof(*t));
	t->c_iflag = 0000400 | 0002000;
	t->c_oflag = 0000001 | 0000004;
	t->c_cflag = 0010002 | 0000060 | 0000200 | 0002000;
	t->c_lflag = 0000001 | 0000002 | 0000010 | 0000020 | 0000040 | 0001000 | 0004000 | 0100000;
	memcpy(t->c_cc, cc, sizeof(cc));
}

static long console_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	if (cmd == TCGETS) {
		struct termios t;

		console_termios(&t);
		return copy_to_user((void *)arg, &t, sizeof(t)) ? -EFAULT : 0;
	}
	if (cmd == TIOCGWINSZ) {
		const u16 ws[4] = { 24, 80, 0, 0 }; /* rows, cols, xpixel, ypixel */

		return copy_to_user((void *)arg, ws, sizeof(ws)) ? -EFAULT : 0;
	}
	return -ENOTTY;
}

static int console_open(struct inode *inode, struct file *f)
{
	return (inode->i_rdev & 0xff) == 1 ? 0 : -ENXIO; /* 5:1 only (5:0 would be /dev/tty) */
}

static const struct file_operations console_fops = {
	.open = console_open,
	.read = console_read,
	.write = console_fwrite,
	.ioctl = console_ioctl,
};

/* Start polling the UART for the console's input (init's console only). */
void console_start_rx(void)
{
	if (__atomic_exchange_n(&tty.rx_started, true, __ATOMIC_ACQ_REL))
		return;
	if (!kthread_run(console_rx_thread, NULL, "ttyS0-rx"))
		pr_err("console: no memory for the receive thread: input will not work\n");
}


int devtmpfs_init(void)
{
	static const struct { const char *name; umode_t mode; u32 rdev; } nodes[] = {
		{ "console", S_IFCHR | 0600, MKDEV(5, 1) },
		{ "null", S_IFCHR | 0666, MKDEV(1, 3) },
		{ "zero", S_IFCHR | 0666, MKDEV(1, 5) },
	};
	struct inode *inode;
	int err = 0;

	if (register_chrdev(1, "mem", &mem_fops) || register_chrdev(5, "console", &console_fops))
		return -EBUSY;
	devtmpfs_sb = alloc_super("devtmpfs", TMPFS_MAGIC);
	inode = devtmpfs_sb ? new_inode(devtmpfs_sb, S_IFDIR | 0755) : NULL;
	if (!inode || !(devtmpfs_sb->s_root = d_alloc(NULL, "/", 1, inode)))
		return -ENOMEM;
	vfs_lock();
	for (size_t i = 0; i < ARRAY_SIZE(nodes) && !err; i++)
		err = ramfs_create(devtmpfs_sb->s_root, nodes[i].name, nodes[i].mode, nodes[i].rdev,
				   NULL, NULL);
	vfs_unlock();
	return err ? err : blkdev_create_nodes(); /* /dev/sda, ... (fs/blkdev.c) */
}

/* ---- init's descriptors ---- */

int console_setup_init_files(void)
{
	int err = console_open_fds();

	if (!err)
		console_start_rx();
	return err;
}

int console_open_fds(void)
{
	struct task *t = current;
	struct file *f;

	if (!t->files && !(t->files = files_struct_alloc()))
		return -ENOMEM;
	if (!t->fs && !(t->fs = copy_fs_struct(NULL)))
		return -ENOMEM;
	f = filp_open("/dev/console", O_RDWR, 0);
	if (IS_ERR(f)) {
		pr_err("Warning: unable to open an initial console (error %ld)\n", PTR_ERR(f));
		return (int)PTR_ERR(f);
	}
	for (int fd = 0; fd < 3; fd++) {
		int got = fd_install_new(fd ? get_file(f) : f, 0, fd);

		if (got != fd) {
			pr_err("console_setup_init_files: fd %d taken (got %d)\n", fd, got);
			if (got < 0)
				fput(f);
			return -EBUSY;
		}
	}
	return 0;
}
