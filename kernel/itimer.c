/* itimer.c - alarm, setitimer and getitimer: ITIMER_REAL, which sends
 * SIGALRM when its time is up (and again every interval).
 *
 * Why a thread: Highland has no timer callbacks, only sleeps with a
 * timeout. One kernel thread ("itimer", started by the first setitimer or
 * alarm) sleeps until the earliest expiry of any process's timer, sends the
 * SIGALRMs that are due and rearms periodic timers; setitimer wakes it to
 * look again. The resolution is the scheduler tick (HZ = 100: 10 ms), and
 * the values are kept in jiffies (it_real_value: the expiry, 0 when off;
 * it_real_incr: the interval). ITIMER_VIRTUAL and ITIMER_PROF (CPU time)
 * are not implemented: EINVAL. A fork's child starts without a timer;
 * execve keeps it, as Linux. */
#include "errno.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "syscalls.h"
#include "uaccess.h"

#define ITIMER_REAL 0
#define USEC_PER_SEC 1000000UL

static DECLARE_WAIT_QUEUE_HEAD(itimer_wq);
static unsigned long itimer_gen; /* bumped by setitimer: the thread looks again */
static bool itimer_started;

struct scan {
	unsigned long now, next; /* next: the earliest expiry left (0: none) */
};

static void expire_one(struct task *t, void *arg)
{
	struct scan *s = arg;
	unsigned long v = t->it_real_value;

	if (!v)
		return;
	if (time_after_eq(s->now, v)) {
		send_signal_locked(t, SIGALRM, NULL);
		if (t->it_real_incr) {
			while (time_after_eq(s->now, v))
				v += t->it_real_incr;
		} else {
			v = 0;
		}
		t->it_real_value = v;
		if (!v)
			return;
	}
	if (!s->next || time_after(s->next, v))
		s->next = v;
}

static int itimer_thread(void *arg)
{
	(void)arg;
	for (;;) {
		unsigned long gen = __atomic_load_n(&itimer_gen, __ATOMIC_SEQ_CST);
		struct scan s = { jiffies, 0 };
		for_each_process(expire_one, &s);
		long timeout = s.next ? (long)(s.next - s.now) : MAX_SCHEDULE_TIMEOUT;
		if (timeout <= 0)
			timeout = 1;
		wait_event_timeout(itimer_wq, __atomic_load_n(&itimer_gen, __ATOMIC_SEQ_CST) != gen,
				   timeout);
	}
	return 0;
}

static unsigned long usecs_to_jiffies_up(u64 us)
{
	return (unsigned long)((us * HZ + USEC_PER_SEC - 1) / USEC_PER_SEC);
}

static u64 jiffies_to_usecs(unsigned long j) { return (u64)j * (USEC_PER_SEC / HZ); }

/* The timer now as { interval, value } in microseconds. */
static void get_real(u64 *interval, u64 *value)
{
	struct task *t = current;
	unsigned long v = t->it_real_value, now = jiffies;

	*interval = jiffies_to_usecs(t->it_real_incr);
	*value = v ? jiffies_to_usecs(time_after(v, now) ? v - now : 1) : 0;
}

static int set_real(u64 interval_us, u64 value_us)
{
	struct task *t = current;

	if (value_us && !__atomic_exchange_n(&itimer_started, true, __ATOMIC_ACQ_REL) &&
	    !kthread_run(itimer_thread, NULL, "itimer")) {
		__atomic_store_n(&itimer_started, false, __ATOMIC_RELEASE);
		return -ENOMEM;
	}
	unsigned long f = spin_lock_irqsave(&tasklist_lock);
	unsigned long j = usecs_to_jiffies_up(value_us);
	t->it_real_incr = usecs_to_jiffies_up(interval_us);
	unsigned long v = jiffies + (j ? j : 1);
	t->it_real_value = value_us ? (v ? v : 1) : 0; /* never 0 when armed */
	spin_unlock_irqrestore(&tasklist_lock, f);
	__atomic_add_fetch(&itimer_gen, 1, __ATOMIC_SEQ_CST);
	wake_up_all(&itimer_wq);
	return 0;
}

/* struct itimerval on i386: four longs (interval sec, usec, value sec, usec). */
SYSCALL_DEFINE3(setitimer, 104, int, which, const s32 *, uval, s32 *, uold)
{
	s32 nv[4] = { 0, 0, 0, 0 };
	u64 oi, ov;

	if (which != ITIMER_REAL)
		return -EINVAL;
	if (uval && copy_from_user(nv, uval, sizeof(nv)))
		return -EFAULT;
	if (nv[0] < 0 || nv[1] < 0 || nv[1] >= 1000000 || nv[2] < 0 || nv[3] < 0 ||
	    nv[3] >= 1000000)
		return -EINVAL;
	get_real(&oi, &ov);
	int err = set_real((u64)nv[0] * USEC_PER_SEC + (u32)nv[1], (u64)nv[2] * USEC_PER_SEC + (u32)nv[3]);
	if (err)
		return err;
	s32 o[4] = { (s32)(oi / USEC_PER_SEC), (s32)(oi % USEC_PER_SEC), (s32)(ov / USEC_PER_SEC),
		     (s32)(ov % USEC_PER_SEC) };
	return uold && copy_to_user(uold, o, sizeof(o)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(getitimer, 105, int, which, s32 *, uval)
{
	u64 i, v;

	if (which != ITIMER_REAL)
		return -EINVAL;
	get_real(&i, &v);
	s32 o[4] = { (s32)(i / USEC_PER_SEC), (s32)(i % USEC_PER_SEC), (s32)(v / USEC_PER_SEC),
		     (s32)(v % USEC_PER_SEC) };
	return copy_to_user(uval, o, sizeof(o)) ? -EFAULT : 0;
}

/* alarm: SIGALRM in seconds (0: cancel); the seconds the old one had left,
 * rounded to the nearest (at least 1 if one was set), as Linux. */
SYSCALL_DEFINE1(alarm, 27, unsigned, seconds)
{
	u64 i, v;

	get_real(&i, &v);
	int err = set_real(0, (u64)seconds * USEC_PER_SEC);
	if (err)
		return err;
	if (!v)
		return 0;
	unsigned long left = (unsigned long)((v + USEC_PER_SEC / 2) / USEC_PER_SEC);
	return left ? (long)left : 1;
}
