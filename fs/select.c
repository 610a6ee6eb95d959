/* select.c - poll, select and their signal-mask variants (ppoll,
 * pselect6, with 32- and 64-bit times).
 *
 * Why: a shell waits for the terminal and its children's pipes at once,
 * and tools wait for input with a timeout. Each call asks every file for
 * its readiness (f_op->poll, include/poll.h); if nothing is ready it
 * sleeps until a pollable source says something changed (poll_notify), the
 * timeout ends, or a signal arrives (-ERESTARTNOHAND: a handler makes it
 * -EINTR, a stop and SIGCONT run it again with its whole timeout, where
 * Linux would go on with the time left). A generation count taken before
 * the files are asked makes sure no change between asking and sleeping
 * is missed. ppoll and pselect6 write the time left back, as Linux. ppoll/pselect6 block their mask for the wait and put the old
 * one back - after the handler if a signal ended it (restore_sigmask). */
#include "errno.h"
#include "internal.h"
#include "kstring.h"
#include "poll.h"
#include "sched.h"
#include "signal.h"
#include "slab.h"
#include "syscalls.h"
#include "uaccess.h"

#define NSEC_PER_SEC 1000000000ULL
#define NO_TIMEOUT (~0ULL)
#define POLL_MAX_FDS NR_OPEN_DEFAULT

static DECLARE_WAIT_QUEUE_HEAD(poll_wq);
static unsigned long poll_gen;

void poll_notify(void)
{
	__atomic_add_fetch(&poll_gen, 1, __ATOMIC_SEQ_CST);
	wake_up_all(&poll_wq);
}

struct pollfd32 {
	int fd;
	short events, revents;
};

/* fd's readiness mask; POLLNVAL if it is not open. */
static unsigned fd_poll(int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return POLLNVAL;
	unsigned m = f->f_op && f->f_op->poll ? f->f_op->poll(f)
					      : POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	fput(f);
	return m;
}

/* Sleep until a poll_notify after gen, end_ns (NO_TIMEOUT: none) or a
 * signal; false once the time is over. */
static bool poll_sleep(unsigned long gen, u64 end_ns)
{
	u64 now = arch_clock_ns();

	if (end_ns != NO_TIMEOUT && now >= end_ns)
		return false;
	long ticks = end_ns == NO_TIMEOUT ? MAX_SCHEDULE_TIMEOUT
					  : (long)(((end_ns - now) * HZ + NSEC_PER_SEC - 1) / NSEC_PER_SEC) + 1;
	wait_event_timeout(poll_wq, __atomic_load_n(&poll_gen, __ATOMIC_SEQ_CST) != gen ||
				    signal_pending(current), ticks);
	return end_ns == NO_TIMEOUT || arch_clock_ns() < end_ns;
}

/* The work of poll: fds' revents filled; the number ready, 0 on timeout,
 * or -ERESTARTNOHAND. */
static long do_poll(struct pollfd32 *fds, unsigned n, u64 end_ns)
{
	for (;;) {
		unsigned long gen = __atomic_load_n(&poll_gen, __ATOMIC_SEQ_CST);
		long ready = 0;
		for (unsigned i = 0; i < n; i++) {
			fds[i].revents = 0;
			if (fds[i].fd < 0)
				continue;
			unsigned m = fd_poll(fds[i].fd);
			m &= (unsigned)(u16)fds[i].events | POLLERR | POLLHUP | POLLNVAL;
			fds[i].revents = (short)m;
			ready += m != 0;
		}
		if (ready)
			return ready;
		if (signal_pending(current))
			return -ERESTARTNOHAND;
		if (!poll_sleep(gen, end_ns))
			return 0;
	}
}

static long poll_user(struct pollfd32 *ufds, unsigned n, u64 end_ns)
{
	if (n > POLL_MAX_FDS)
		return -EINVAL;
	struct pollfd32 *fds = kmalloc(n ? n * sizeof(*fds) : 1, GFP_KERNEL);
	if (!fds)
		return -ENOMEM;
	long r = copy_from_user(fds, ufds, n * sizeof(*fds)) ? -EFAULT : do_poll(fds, n, end_ns);
	if (r >= 0)
		for (unsigned i = 0; i < n && r >= 0; i++)
			if (put_user(fds[i].revents, &ufds[i].revents))
				r = -EFAULT;
	kfree(fds);
	return r;
}

static u64 ns_from_now(u64 ns) { return arch_clock_ns() + ns; }

SYSCALL_DEFINE3(poll, 168, struct pollfd32 *, ufds, unsigned, nfds, int, timeout_ms)
{
	u64 end = timeout_ms < 0 ? NO_TIMEOUT : ns_from_now((u64)timeout_ms * 1000000ULL);

	return poll_user(ufds, nfds, end);
}

/* A user timespec (32- or 64-bit) as an absolute end; NULL: none. */
static int timespec_end(const void *uts, bool time64, u64 *end)
{
	s64 sec, nsec;

	*end = NO_TIMEOUT;
	if (!uts)
		return 0;
	if (time64) {
		s64 ts[2];
		if (copy_from_user(ts, uts, sizeof(ts)))
			return -EFAULT;
		sec = ts[0], nsec = ts[1];
	} else {
		s32 ts[2];
		if (copy_from_user(ts, uts, sizeof(ts)))
			return -EFAULT;
		sec = ts[0], nsec = ts[1];
	}
	if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	*end = ns_from_now((u64)sec * NSEC_PER_SEC + (u64)nsec);
	return 0;
}

/* ppoll and pselect6 write the time left back into the caller's timespec
 * (Linux's poll_select_finish), which glibc's select turns into its timeval. */
static long put_time_left(void *uts, bool time64, u64 end, long r)
{
	if (!uts || end == NO_TIMEOUT || r == -EFAULT)
		return r;
	u64 now = arch_clock_ns(), left = now < end ? end - now : 0;
	s64 t64[2] = { (s64)(left / NSEC_PER_SEC), (s64)(left % NSEC_PER_SEC) };
	s32 t32[2] = { (s32)t64[0], (s32)t64[1] };
	if (time64 ? copy_to_user(uts, t64, sizeof(t64)) : copy_to_user(uts, t32, sizeof(t32)))
		return -EFAULT;
	return r;
}

/* ppoll/pselect6's mask for the wait (NULL: none). */
static int set_wait_mask(const sigset_t *umask, size_t size)
{
	sigset_t m;

	if (!umask)
		return 0;
	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&m, umask, sizeof(m)))
		return -EFAULT;
	current->saved_sigmask = current->blocked;
	current->restore_sigmask = true;
	current->blocked = m & ~SIG_UNBLOCKABLE;
	return 0;
}

/* After the wait: the old mask back now, unless a signal's handler is
 * still to run (then after it). */
static long end_wait_mask(long r)
{
	struct task *t = current;

	if (t->restore_sigmask && r != -ERESTARTNOHAND) {
		t->restore_sigmask = false;
		t->blocked = t->saved_sigmask;
	}
	return r;
}

static long do_ppoll(struct pollfd32 *ufds, unsigned n, void *tsp, const sigset_t *mask,
		     size_t size, bool time64)
{
	u64 end;
	int err = timespec_end(tsp, time64, &end);

	if (!err)
		err = set_wait_mask(mask, size);
	if (err)
		return err;
	return end_wait_mask(put_time_left(tsp, time64, end, poll_user(ufds, n, end)));
}

SYSCALL_DEFINE5(ppoll, 309, struct pollfd32 *, ufds, unsigned, nfds, void *, tsp,
		const sigset_t *, mask, size_t, size)
{
	return do_ppoll(ufds, nfds, tsp, mask, size, false);
}

SYSCALL_DEFINE5(ppoll_time64, 414, struct pollfd32 *, ufds, unsigned, nfds, void *, tsp,
		const sigset_t *, mask, size_t, size)
{
	return do_ppoll(ufds, nfds, tsp, mask, size, true);
}

/* ---- select ---- */

#define FDSET_WORDS (POLL_MAX_FDS / 32)
#define IN_SET (POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define OUT_SET (POLLOUT | POLLWRNORM | POLLERR)
#define EX_SET POLLPRI

struct fdsets {
	u32 in[FDSET_WORDS], out[FDSET_WORDS], ex[FDSET_WORDS];
};

static bool bit(const u32 *set, int fd) { return (set[fd / 32] >> (fd % 32)) & 1; }

/* One pass: res gets the ready bits of want; the count, or -EBADF. */
static long select_pass(int n, const struct fdsets *want, struct fdsets *res)
{
	long count = 0;

	memset(res, 0, sizeof(*res));
	for (int fd = 0; fd < n; fd++) {
		bool i = bit(want->in, fd), o = bit(want->out, fd), e = bit(want->ex, fd);
		if (!i && !o && !e)
			continue;
		unsigned m = fd_poll(fd);
		if (m & POLLNVAL)
			return -EBADF;
		u32 b = 1u << (fd % 32);
		if (i && (m & IN_SET))
			res->in[fd / 32] |= b, count++;
		if (o && (m & OUT_SET))
			res->out[fd / 32] |= b, count++;
		if (e && (m & EX_SET))
			res->ex[fd / 32] |= b, count++;
	}
	return count;
}

static long do_select(int n, u32 *uin, u32 *uout, u32 *uex, u64 end)
{
	if (n < 0)
		return -EINVAL;
	if (n > POLL_MAX_FDS)
		n = POLL_MAX_FDS;
	size_t bytes = (size_t)((n + 31) / 32) * 4;
	struct fdsets *s = kzalloc(2 * sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	struct fdsets *res = s + 1;
	long r = 0;
	if ((uin && copy_from_user(s->in, uin, bytes)) || (uout && copy_from_user(s->out, uout, bytes)) ||
	    (uex && copy_from_user(s->ex, uex, bytes)))
		r = -EFAULT;
	while (!r) {
		unsigned long gen = __atomic_load_n(&poll_gen, __ATOMIC_SEQ_CST);
		r = select_pass(n, s, res);
		if (r)
			break;
		if (signal_pending(current)) {
			r = -ERESTARTNOHAND;
			break;
		}
		if (!poll_sleep(gen, end))
			break;
	}
	if (r >= 0 && ((uin && copy_to_user(uin, res->in, bytes)) ||
		       (uout && copy_to_user(uout, res->out, bytes)) ||
		       (uex && copy_to_user(uex, res->ex, bytes))))
		r = -EFAULT;
	kfree(s);
	return r;
}

/* _newselect (142): struct timeval { long tv_sec, tv_usec }, updated with the time left. */
SYSCALL_DEFINE5(_newselect, 142, int, n, u32 *, inp, u32 *, outp, u32 *, exp, s32 *, tvp)
{
	u64 end = NO_TIMEOUT;
	s32 tv[2];

	if (tvp) {
		if (copy_from_user(tv, tvp, sizeof(tv)))
			return -EFAULT;
		if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
			return -EINVAL;
		end = ns_from_now((u64)tv[0] * NSEC_PER_SEC + (u64)tv[1] * 1000);
	}
	long r = do_select(n, inp, outp, exp, end);
	if (tvp && r != -EFAULT) {
		u64 now = arch_clock_ns(), left = now < end ? end - now : 0;
		s32 l[2] = { (s32)(left / NSEC_PER_SEC), (s32)(left % NSEC_PER_SEC / 1000) };
		if (copy_to_user(tvp, l, sizeof(l)))
			return -EFAULT;
	}
	return r;
}

/* pselect6's sixth argument: struct { const sigset_t *ss; size_t ss_len; }. */
static long do_pselect6(int n, u32 *inp, u32 *outp, u32 *exp, void *tsp, const u32 *sig,
			bool time64)
{
	u64 end;
	u32 sm[2] = { 0, 0 };
	int err = timespec_end(tsp, time64, &end);

	if (!err && sig && copy_from_user(sm, sig, sizeof(sm)))
		err = -EFAULT;
	if (!err && sm[0])
		err = set_wait_mask((const sigset_t *)sm[0], sm[1]);
	if (err)
		return err;
	return end_wait_mask(put_time_left(tsp, time64, end, do_select(n, inp, outp, exp, end)));
}

SYSCALL_DEFINE6(pselect6, 308, int, n, u32 *, inp, u32 *, outp, u32 *, exp, void *, tsp,
		const u32 *, sig)
{
	return do_pselect6(n, inp, outp, exp, tsp, sig, false);
}

SYSCALL_DEFINE6(pselect6_time64, 413, int, n, u32 *, inp, u32 *, outp, u32 *, exp,
		void *, tsp, const u32 *, sig)
{
	return do_pselect6(n, inp, outp, exp, tsp, sig, true);
}
