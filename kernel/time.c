/* time.c - clocks and sleeping for processes: clock_gettime (32-bit and
 * 64-bit time_t), nanosleep.
 *
 * CLOCK_MONOTONIC (and BOOTTIME, the _RAW and _COARSE variants) is the time
 * since boot (arch_clock_ns, the calibrated TSC). CLOCK_REALTIME is the
 * CMOS RTC's date read at the first call, plus the monotonic time since:
 * Highland has no NTP and no settimeofday. */
#include "errno.h"
#include "process.h"
#include "sched.h"
#include "signal.h"
#include "syscalls.h"
#include "uaccess.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define NSEC_PER_SEC 1000000000ULL

static u64 realtime_base_ns; /* the RTC's date minus the monotonic time when it was read */

static int clock_ns(int clock, u64 *ns)
{
	u64 now = arch_clock_ns();

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		if (!realtime_base_ns)
			realtime_base_ns = arch_rtc_epoch_seconds() * NSEC_PER_SEC - now;
		*ns = realtime_base_ns + now;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = now;
		return 0;
	}
	return -EINVAL;
}

u64 ktime_get_real_seconds(void)
{
	u64 ns;

	clock_ns(CLOCK_REALTIME, &ns);
	return ns / NSEC_PER_SEC;
}

/* struct old_timespec32: two 32-bit longs. */
SYSCALL_DEFINE2(clock_gettime, __NR_clock_gettime, int, clock, s32 *, tp)
{
	u64 ns;
	int err = clock_ns(clock, &ns);

	if (err)
		return err;
	s32 ts[2] = { (s32)(ns / NSEC_PER_SEC), (s32)(ns % NSEC_PER_SEC) };
	return copy_to_user(tp, ts, sizeof(ts)) ? -EFAULT : 0;
}

/* struct __kernel_timespec: 64-bit seconds, 64-bit nanoseconds. */
SYSCALL_DEFINE2(clock_gettime64, __NR_clock_gettime64, int, clock, s64 *, tp)
{
	u64 ns;
	int err = clock_ns(clock, &ns);

	if (err)
		return err;
	s64 ts[2] = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC) };
	return copy_to_user(tp, ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Sleep until the monotonic clock reaches end, in scheduler ticks (HZ): at
 * least the time asked. A signal ends it early: -ERESTART_RESTARTBLOCK
 * (a handler makes it -EINTR; a stop and SIGCONT go on with
 * restart_syscall), with the time left in *left. */
static int do_nanosleep_until(u64 end, u64 *left)
{
	/* a tick's sleep may end at the very next tick: sleep until the clock
	 * says the time is up, a tick more than asked each time */
	for (u64 now = arch_clock_ns(); now < end && !signal_pending(current); now = arch_clock_ns()) {
		long ticks = (long)(((end - now) * HZ + NSEC_PER_SEC - 1) / NSEC_PER_SEC) + 1;
		set_current_state(TASK_SLEEPING);
		if (!signal_pending(current))
			schedule_timeout(ticks);
		set_current_state(TASK_RUNNING);
	}
	u64 now = arch_clock_ns();
	if (now >= end || !signal_pending(current))
		return 0;
	*left = end - now;
	current->restart.end_ns = end;
	return -ERESTART_RESTARTBLOCK;
}

/* restart_syscall after a stop: the rest of the sleep, rem written as before. */
static long nanosleep_restart(struct restart_block *rb)
{
	u64 left;
	int err = do_nanosleep_until(rb->end_ns, &left);

	if (err && rb->rmtp) {
		s64 r64[2] = { (s64)(left / NSEC_PER_SEC), (s64)(left % NSEC_PER_SEC) };
		s32 r32[2] = { (s32)r64[0], (s32)r64[1] };
		if (rb->time64 ? copy_to_user((void *)rb->rmtp, r64, sizeof(r64))
			       : copy_to_user((void *)rb->rmtp, r32, sizeof(r32)))
			return -EFAULT;
	}
	if (err)
		current->restart = *rb, current->restart.fn = nanosleep_restart;
	return err;
}

static int do_nanosleep(u64 ns, u64 *left, void *rmtp, bool time64)
{
	int err = do_nanosleep_until(arch_clock_ns() + ns, left);

	if (err) {
		current->restart.fn = nanosleep_restart;
		current->restart.rmtp = (unsigned long)rmtp;
		current->restart.time64 = time64;
	}
	return err;
}

SYSCALL_DEFINE2(nanosleep, __NR_nanosleep, const s32 *, req, s32 *, rem)
{
	s32 ts[2];
	u64 left;

	if (copy_from_user(ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || (u32)ts[1] >= NSEC_PER_SEC)
		return -EINVAL;
	int err = do_nanosleep((u64)ts[0] * NSEC_PER_SEC + (u32)ts[1], &left, rem, false);
	s32 r[2] = { err ? (s32)(left / NSEC_PER_SEC) : 0, err ? (s32)(left % NSEC_PER_SEC) : 0 };
	if (err && rem && copy_to_user(rem, r, sizeof(r)))
		return -EFAULT;
	return err;
}

/* clock_nanosleep (267) and clock_nanosleep_time64 (407), what glibc's
 * nanosleep calls: CLOCK_REALTIME or CLOCK_MONOTONIC, relative or
 * TIMER_ABSTIME; the time left goes to rem only for a relative sleep. */
#define TIMER_ABSTIME 1
static long clock_nanosleep_ns(int clock, int flags, s64 sec, s64 nsec, u64 *left, void *rem,
			       bool time64)
{
	u64 now;
	int err = clock_ns(clock, &now);

	if (err)
		return err;
	if (clock != 0 && clock != 1)
		return -EINVAL; /* CLOCK_REALTIME, CLOCK_MONOTONIC only */
	if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	u64 ns = (u64)sec * NSEC_PER_SEC + (u64)nsec;
	if (flags & TIMER_ABSTIME)
		ns = ns > now ? ns - now : 0;
	return do_nanosleep(ns, left, flags & TIMER_ABSTIME ? NULL : rem, time64);
}

SYSCALL_DEFINE4(clock_nanosleep, 267, int, clock, int, flags, const s32 *, req, s32 *, rem)
{
	s32 ts[2];
	u64 left;

	if (copy_from_user(ts, req, sizeof(ts)))
		return -EFAULT;
	long err = clock_nanosleep_ns(clock, flags, ts[0], ts[1], &left, rem, false);
	if (err == -ERESTART_RESTARTBLOCK && !(flags & TIMER_ABSTIME) && rem) {
		s32 r[2] = { (s32)(left / NSEC_PER_SEC), (s32)(left % NSEC_PER_SEC) };
		if (copy_to_user(rem, r, sizeof(r)))
			return -EFAULT;
	}
	return err;
}

SYSCALL_DEFINE4(clock_nanosleep_time64, 407, int, clock, int, flags, const s64 *, req, s64 *, rem)
{
	s64 ts[2];
	u64 left;

	if (copy_from_user(ts, req, sizeof(ts)))
		return -EFAULT;
	long err = clock_nanosleep_ns(clock, flags, ts[0], ts[1], &left, rem, true);
	if (err == -ERESTART_RESTARTBLOCK && !(flags & TIMER_ABSTIME) && rem) {
		s64 r[2] = { (s64)(left / NSEC_PER_SEC), (s64)(left % NSEC_PER_SEC) };
		if (copy_to_user(rem, r, sizeof(r)))
			return -EFAULT;
	}
	return err;
}
