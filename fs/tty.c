/* tty.c - the serial console as a terminal: termios, an N_TTY-style line
 * discipline, and job control (include/tty.h).
 *
 * Why it matters: a shell edits its command line in raw mode (ICANON off,
 * VMIN 1), runs programs in canonical mode (the terminal edits the line:
 * VERASE, VKILL, VWERASE, VEOF), and relies on the terminal for ^C: with
 * ISIG, VINTR/VQUIT/VSUSP send SIGINT/SIGQUIT/SIGTSTP to the foreground
 * process group. The terminal belongs to at most one session (its
 * controlling terminal: a session leader without one gets it by opening it
 * without O_NOCTTY, or by TIOCSCTTY); a process of that session outside the
 * foreground group that reads gets SIGTTIN (and with TOSTOP, writes get
 * SIGTTOU), as Linux's job control. Unlike Linux, opening /dev/console
 * gives a controlling terminal too (Linux only does it for /dev/ttyS0):
 * Highland has one terminal and init scripts open the console.
 *
 * Input: once init has the console, the UART interrupts for every byte
 * (IRQ 4 through the I/O APIC, arch/x86/serial.c and ioapic.c) and the
 * handler calls tty_receive_buf; on a machine without an I/O APIC a kthread
 * ("ttyS0-rx") polls the UART every 10 ms instead. Every lock on that path
 * (the tty's, tasklist_lock for ^C's signal, the wait queues) is taken with
 * interrupts off, so the handler cannot find its own CPU holding one. Bytes
 * go through tty_receive under the lock: input
 * processing (ICRNL, INLCR, IGNCR), signals, then the edit line
 * (canonical) or the read buffer (raw). ERASE accepts both ^? and ^H.
 * Output goes to the UART as written, \n as CR LF with OPOST|ONLCR.
 * TCXONC and IXON flow control are accepted and do nothing (the serial
 * output never blocks). Readers sleep on a wait queue; a signal ends the
 * sleep (-ERESTARTSYS). */
#include "errno.h"
#include "internal.h"
#include "kstring.h"
#include "machine.h"
#include "poll.h"
#include "printk.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "tty.h"

/* termbits.h (asm-generic), octal as there */
#define INLCR 0000100
#define IGNCR 0000200
#define ICRNL 0000400
#define OPOST 0000001
#define ONLCR 0000004
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define ECHOCTL 0001000
#define ECHOKE 0004000
#define IEXTEN 0100000
enum { VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP, VEOL,
       VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2 };

/* ioctls (asm-generic/ioctls.h) */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCSBRK 0x5409
#define TCXONC 0x540A
#define TCFLSH 0x540B
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCOUTQ 0x5411
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B
#define TIOCNOTTY 0x5422
#define FIONBIO 0x5421
#define TIOCGSID 0x5429
#define TIOCGSERIAL 0x541E /* struct serial_struct: 60 bytes on i386 */

#define TTY_LINE_MAX 4095 /* N_TTY_BUF_SIZE - 1 */
#define TTY_BUF 4096
#define F_LINE_END 1      /* this byte ends a canonical line */
#define F_EOF 2           /* an EOF mark: ends a line, is not read */

static struct {
	spinlock_t lock;
	struct termios tio;
	u16 ws[4];                 /* struct winsize: rows, cols, xpixel, ypixel */
	char line[TTY_LINE_MAX];   /* canonical: being edited */
	size_t len;
	char buf[TTY_BUF];         /* readable bytes */
	u8 flags[TTY_BUF];         /* F_LINE_END / F_EOF per byte of buf */
	size_t buf_len;
	unsigned lines;            /* canonical lines complete in buf */
	int session, pgrp;         /* controlling session (0: none), foreground group */
	wait_queue_head_t wq;
	bool rx_started, inited;
} tty = { .lock = SPINLOCK_INIT("tty"), .wq = WAIT_QUEUE_HEAD_INIT(tty.wq) };

/* A serial console in canonical mode: ICRNL|IXON, OPOST|ONLCR,
 * B115200|CS8|CREAD|HUPCL, ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN. */
void console_termios(struct termios *t)
{
	static const u8 cc[19] = { 3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0,
				   0x12, 0x0f, 0x17, 0x16, 0 };

	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | 0002000;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = 0010002 | 0000060 | 0000200 | 0002000;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(t->c_cc, cc, sizeof(cc));
}

static void tty_init_once(void)
{
	if (tty.inited)
		return;
	console_termios(&tty.tio);
	tty.ws[0] = 24;
	tty.ws[1] = 80;
	tty.inited = true;
}

/* ---- output ---- */

static void tty_out(const char *s, size_t n)
{
	if ((tty.tio.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR))
		console_write(s, n);
	else
		console_write_raw(s, n);
}

/* Echo one input character: control characters as ^X with ECHOCTL. */
static void echo_char(char c)
{
	u8 u = (u8)c;

	if ((tty.tio.c_lflag & ECHOCTL) && (u < 0x20 || u == 0x7f) && c != '\n' && c != '\t') {
		char e[2] = { '^', (char)(u ^ 0x40) };
		tty_out(e, 2);
	} else {
		tty_out(&c, 1);
	}
}

/* Columns an echoed character took (2 for ^X). */
static int echo_width(char c)
{
	u8 u = (u8)c;

	return (tty.tio.c_lflag & ECHOCTL) && (u < 0x20 || u == 0x7f) && c != '\t' ? 2 : 1;
}

/* ---- input (tty.lock held) ---- */

static void buf_put(char c, u8 flag)
{
	if (tty.buf_len >= TTY_BUF)
		return; /* nobody reads: the oldest bytes stay, new ones go */
	tty.buf[tty.buf_len] = c;
	tty.flags[tty.buf_len++] = flag;
	if (flag)
		tty.lines++;
}

/* The edit line ends (with c, or an EOF mark): it becomes readable. */
static void commit_line(char c, u8 flag)
{
	if (tty.buf_len + tty.len + 1 > TTY_BUF)
		tty.len = TTY_BUF - tty.buf_len > 0 ? TTY_BUF - tty.buf_len - 1 : 0;
	for (size_t i = 0; i < tty.len; i++)
		buf_put(tty.line[i], 0);
	tty.len = 0;
	buf_put(c, flag);
}

static void erase_one(void)
{
	if (!tty.len)
		return;
	char c = tty.line[--tty.len];
	if (tty.tio.c_lflag & ECHO)
		for (int w = echo_width(c); w; w--)
			tty_out("\b \b", 3);
}

static void flush_input(void)
{
	tty.len = 0;
	tty.buf_len = 0;
	tty.lines = 0;
}

static bool is_cc(char c, int idx) { return tty.tio.c_cc[idx] && (u8)c == tty.tio.c_cc[idx]; }

/* One received byte; returns a signal for the foreground group, or 0. */
static int tty_receive(char c)
{
	u32 lf = tty.tio.c_lflag, inf = tty.tio.c_iflag;

	if (c == '\r') {
		if (inf & IGNCR)
			return 0;
		if (inf & ICRNL)
			c = '\n';
	} else if (c == '\n' && (inf & INLCR)) {
		c = '\r';
	}
	if (lf & ISIG) {
		int sig = is_cc(c, VINTR) ? SIGINT : is_cc(c, VQUIT) ? SIGQUIT
			  : is_cc(c, VSUSP) ? SIGTSTP : 0;
		if (sig) {
			if (!(lf & NOFLSH))
				flush_input();
			if (lf & ECHO)
				echo_char(c);
			return sig;
		}
	}
	if (!(lf & ICANON)) {
		buf_put(c, 0);
		if (lf & ECHO)
			echo_char(c);
		return 0;
	}
	if (is_cc(c, VERASE) || (c == '\b' && tty.tio.c_cc[VERASE] == 0x7f)) {
		erase_one();
		return 0;
	}
	if (is_cc(c, VKILL)) {
		if ((lf & ECHOKE) || !(lf & ECHOK)) {
			while (tty.len)
				erase_one();
		} else {
			tty.len = 0;
			if (lf & ECHO)
				tty_out("\n", 1);
		}
		return 0;
	}
	if (is_cc(c, VWERASE) && (lf & IEXTEN)) {
		while (tty.len && tty.line[tty.len - 1] == ' ')
			erase_one();
		while (tty.len && tty.line[tty.len - 1] != ' ')
			erase_one();
		return 0;
	}
	if (is_cc(c, VEOF)) {
		commit_line(0, F_EOF);
		return 0;
	}
	bool eol = c == '\n' || is_cc(c, VEOL) || is_cc(c, VEOL2);
	if (lf & ECHO)
		echo_char(c);
	else if (c == '\n' && (lf & ECHONL))
		tty_out("\n", 1);
	if (eol) {
		commit_line(c, F_LINE_END);
		return 0;
	}
	if (tty.len < TTY_LINE_MAX - 1)
		tty.line[tty.len++] = c; /* full: only the line's end still fits */
	return 0;
}

void tty_receive_buf(const char *s, size_t n)
{
	u64 sigs = 0;
	unsigned long flags = spin_lock_irqsave(&tty.lock);

	tty_init_once();
	for (size_t i = 0; i < n; i++) {
		int sig = tty_receive(s[i]);
		if (sig)
			sigs |= sigmask(sig);
	}
	int pgrp = tty.pgrp;
	spin_unlock_irqrestore(&tty.lock, flags);
	for (int sig = 1; sigs && pgrp; sig++)
		if (sigs & sigmask(sig)) {
			sigs &= ~sigmask(sig);
			kill_pgrp(pgrp, sig);
		}
	wake_up_all(&tty.wq);
	poll_notify();
}

int console_input_inject(const char *s, size_t n)
{
	tty_receive_buf(s, n);
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
			tty_receive_buf(buf, n);
		else
			msleep(10);
	}
	return 0;
}

void console_start_rx(void)
{
	if (__atomic_exchange_n(&tty.rx_started, true, __ATOMIC_ACQ_REL))
		return;
	if (console_rx_irq_start(tty_receive_buf)) {
		pr_info("ttyS0: input by interrupt (IRQ 4 through the I/O APIC); no polling thread\n");
		return;
	}
	if (!kthread_run(console_rx_thread, NULL, "ttyS0-rx"))
		pr_err("console: no memory for the receive thread: input will not work\n");
	else
		pr_info("ttyS0: input polled every 10 ms by the ttyS0-rx thread (no I/O APIC to route IRQ 4)\n");
}

/* ---- job control ---- */

/* Is the terminal current's controlling terminal? */
static bool is_ctty(void)
{
	struct task *t = current;

	return t->is_process && tty.session && tty.session == t->sid;
}

/* A background process of the terminal's session touching it: sig to its
 * group (-ERESTARTSYS), or, if it ignores or blocks sig, -EIO for a read
 * (SIGTTIN) or go ahead (0) for the rest, as Linux's tty_check_change. */
static int job_control(int sig)
{
	struct task *t = current;

	if (!is_ctty() || !tty.pgrp || t->pgid == tty.pgrp)
		return 0;
	if ((t->blocked & sigmask(sig)) || task_sigaction(t, sig)->handler == SIG_IGN)
		return sig == SIGTTIN ? -EIO : 0;
	kill_pgrp(t->pgid, sig);
	return -ERESTARTSYS;
}

void tty_session_leader_exit(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&tty.lock);
	int pgrp = tty.session == t->sid ? tty.pgrp : 0;
	bool mine = tty.session == t->sid;

	if (mine)
		tty.session = tty.pgrp = 0;
	spin_unlock_irqrestore(&tty.lock, flags);
	if (mine && pgrp) {
		kill_pgrp(pgrp, SIGHUP);
		kill_pgrp(pgrp, SIGCONT);
	}
}

bool tty_of_session(int sid, unsigned *tty_nr, int *tpgid)
{
	unsigned long flags = spin_lock_irqsave(&tty.lock);
	bool mine = sid > 0 && tty.session == sid;

	/* the console is ttyS0 whichever name opened it: major 4, minor 64 */
	*tty_nr = mine ? (64u & 0xff) | (4u << 8) : 0;
	*tpgid = mine ? tty.pgrp : -1; /* Linux: 0 if the terminal has no foreground group */
	spin_unlock_irqrestore(&tty.lock, flags);
	return mine;
}

/* A session leader without a terminal takes this free one. */
static void acquire_ctty(void)
{
	struct task *t = current;
	unsigned long flags = spin_lock_irqsave(&tty.lock);

	if (t->is_process && t->sid == t->pid && !tty.session) {
		tty.session = t->sid;
		tty.pgrp = t->pgid;
	}
	spin_unlock_irqrestore(&tty.lock, flags);
}

/* ---- file operations ---- */

static bool canon(void) { return tty.tio.c_lflag & ICANON; }

static bool tty_readable(size_t min)
{
	return canon() ? tty.lines > 0 : tty.buf_len >= (min ? min : 1);
}

/* Take up to count bytes (canonical: one line at most) into out; lock held. */
static size_t take(char *out, size_t count, bool *eof)
{
	size_t n = 0, i = 0;

	*eof = false;
	while (i < tty.buf_len && n < count) {
		u8 fl = tty.flags[i];
		if (fl == F_EOF) { /* at the start: read returns 0; else the bytes before it */
			if (!n) {
				*eof = true;
				i++;
				tty.lines--;
			}
			break;
		}
		out[n++] = tty.buf[i++];
		if (fl == F_LINE_END) {
			tty.lines--;
			break;
		}
	}
	memmove(tty.buf, tty.buf + i, tty.buf_len - i);
	memmove(tty.flags, tty.flags + i, tty.buf_len - i);
	tty.buf_len -= i;
	return n;
}

static ssize_t tty_read(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	char out[256];
	size_t n;
	bool eof;

	if (!count)
		return 0;
	int err = job_control(SIGTTIN);
	if (err)
		return err;
	u8 vmin = tty.tio.c_cc[VMIN], vtime = tty.tio.c_cc[VTIME];
	size_t want = canon() ? 1 : (vmin < count ? vmin : count);
	if (!canon() && !vmin && !vtime) {
		/* polling read: whatever is there, maybe nothing */
	} else if (f->f_flags & O_NONBLOCK) {
		if (!tty_readable(1))
			return -EAGAIN;
	} else if (!canon() && !vmin) { /* VTIME tenths of a second for a first byte */
		wait_event_timeout(tty.wq, tty_readable(1) || signal_pending(current),
				   msecs_to_jiffies(vtime * 100u));
	} else {
		if (wait_event_interruptible(tty.wq, tty_readable(1)))
			return -ERESTARTSYS;
		while (!canon() && vmin && tty.buf_len < want) { /* VMIN bytes, VTIME between them */
			size_t had = tty.buf_len;
			if (vtime)
				wait_event_timeout(tty.wq, tty.buf_len > had || signal_pending(current),
						   msecs_to_jiffies(vtime * 100u));
			else
				wait_event(tty.wq, tty.buf_len > had || signal_pending(current));
			if (tty.buf_len == had || signal_pending(current))
				break;
		}
	}
	if (signal_pending(current) && !tty_readable(1))
		return -ERESTARTSYS;
	unsigned long flags = spin_lock_irqsave(&tty.lock);
	n = take(out, count < sizeof(out) ? count : sizeof(out), &eof);
	spin_unlock_irqrestore(&tty.lock, flags);
	if (!n && !eof && canon() && !(f->f_flags & O_NONBLOCK))
		return tty_read(f, io, count, pos); /* another reader took the line: wait again */
	if (!n && !eof && !canon() && (vmin || vtime) && signal_pending(current))
		return -ERESTARTSYS;
	return fs_io_to(io, 0, out, n) ? -EFAULT : (ssize_t)n;
}

static ssize_t tty_write(struct file *f, const struct fs_io *io, size_t count, loff_t *pos)
{
	char buf[256];
	size_t done = 0;

	if (tty.tio.c_lflag & TOSTOP) {
		int err = job_control(SIGTTOU);
		if (err)
			return err;
	}
	while (done < count) {
		size_t n = count - done < sizeof(buf) ? count - done : sizeof(buf);
		if (fs_io_from(io, done, buf, n))
			return done ? (ssize_t)done : -EFAULT;
		tty_out(buf, n);
		done += n;
	}
	return (ssize_t)done;
}

static unsigned tty_poll(struct file *f)
{
	return (tty_readable(1) ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static long set_fg_pgrp(int __user_pgrp)
{
	if (!is_ctty())
		return -ENOTTY;
	int err = job_control(SIGTTOU);
	if (err)
		return err;
	if (__user_pgrp < 0)
		return -EINVAL;
	if (!pgrp_exists(__user_pgrp, current->sid)) /* zombies included, as Linux */
		return -EPERM;
	tty.pgrp = __user_pgrp;
	return 0;
}

static long set_termios(unsigned cmd, unsigned long arg)
{
	struct termios t;

	if (copy_from_user(&t, (void *)arg, sizeof(t)))
		return -EFAULT;
	int err = job_control(SIGTTOU);
	if (err)
		return err;
	unsigned long flags = spin_lock_irqsave(&tty.lock);
	if (cmd == TCSETSF)
		flush_input();
	bool was_canon = canon();
	tty.tio = t;
	if (was_canon && !canon()) { /* the edit line becomes readable as it is */
		for (size_t i = 0; i < tty.len; i++)
			buf_put(tty.line[i], 0);
		tty.len = 0;
		tty.lines = 0; /* raw: no line marks (an EOF mark is dropped) */
		size_t k = 0;
		for (size_t i = 0; i < tty.buf_len; i++)
			if (tty.flags[i] != F_EOF)
				tty.buf[k++] = tty.buf[i];
		tty.buf_len = k;
		memset(tty.flags, 0, k);
	}
	spin_unlock_irqrestore(&tty.lock, flags);
	wake_up_all(&tty.wq);
	poll_notify();
	return 0;
}

static long tty_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	void *uarg = (void *)arg;
	int v;

	tty_init_once();
	switch (cmd) {
	case TCGETS:
		return copy_to_user(uarg, &tty.tio, sizeof(tty.tio)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW: /* output is written synchronously: nothing to drain */
	case TCSETSF:
		return set_termios(cmd, arg);
	case TCSBRK:
	case TCXONC: /* no flow control on this console: accepted, nothing to do */
		return 0;
	case TCFLSH:
		if (arg > 2)
			return -EINVAL;
		if (arg != 1) { /* TCIFLUSH, TCIOFLUSH; output is never queued */
			unsigned long fl = spin_lock_irqsave(&tty.lock);
			flush_input();
			spin_unlock_irqrestore(&tty.lock, fl);
		}
		return 0;
	case TIOCGWINSZ:
		return copy_to_user(uarg, tty.ws, sizeof(tty.ws)) ? -EFAULT : 0;
	case TIOCSWINSZ: {
		u16 ws[4];
		if (copy_from_user(ws, uarg, sizeof(ws)))
			return -EFAULT;
		bool changed = memcmp(ws, tty.ws, sizeof(ws)) != 0;
		memcpy(tty.ws, ws, sizeof(ws));
		if (changed && tty.pgrp)
			kill_pgrp(tty.pgrp, SIGWINCH);
		return 0;
	}
	case TIOCGPGRP:
		if (!is_ctty())
			return -ENOTTY;
		return put_user(tty.pgrp, (int *)uarg);
	case TIOCSPGRP:
		if (get_user(v, (int *)uarg))
			return -EFAULT;
		return set_fg_pgrp(v);
	case TIOCGSID:
		if (!is_ctty())
			return -ENOTTY;
		return put_user(tty.session, (int *)uarg);
	case TIOCSCTTY:
		if (is_ctty())
			return 0;
		if (!current->is_process || current->sid != current->pid)
			return -EPERM;
		if (tty.session && arg != 1)
			return -EPERM; /* another session's; arg 1 (root) steals it, as Linux */
		tty.session = 0;
		acquire_ctty();
		return 0;
	case TIOCGSERIAL: { /* busybox cttyhack finds "ttyS<line>" with it */
		u32 ss[15] = { 4 /* PORT_16550A */, 0 /* line */, 0x3f8, 4 /* irq */, 0,
			       16 /* xmit_fifo_size */, 0, 115200 /* baud_base */ };
		return copy_to_user(uarg, ss, sizeof(ss)) ? -EFAULT : 0;
	}
	case TIOCNOTTY:
		if (!is_ctty())
			return -ENOTTY;
		if (current->sid == current->pid)
			tty_session_leader_exit(current);
		return 0;
	case FIONREAD:
		return put_user((int)tty.buf_len, (int *)uarg);
	case TIOCOUTQ:
		return put_user(0, (int *)uarg);
	case FIONBIO:
		if (get_user(v, (int *)uarg))
			return -EFAULT;
		f->f_flags = v ? f->f_flags | O_NONBLOCK : f->f_flags & ~(unsigned)O_NONBLOCK;
		return 0;
	}
	return -ENOTTY;
}

/* 5:1 /dev/console, 4:64 /dev/ttyS0, 5:0 /dev/tty (the caller's controlling terminal). */
static int tty_open(struct inode *inode, struct file *f)
{
	unsigned major = (inode->i_rdev >> 8) & 0xff, minor = inode->i_rdev & 0xff;

	tty_init_once();
	if (major == 5 && minor == 0)
		return is_ctty() ? 0 : -ENXIO;
	if (!((major == 5 && minor == 1) || (major == 4 && minor == 64)))
		return -ENXIO;
	if (!(f->f_flags & O_NOCTTY))
		acquire_ctty();
	return 0;
}

const struct file_operations tty_fops = {
	.open = tty_open,
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
};
