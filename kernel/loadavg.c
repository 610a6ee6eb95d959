/* loadavg.c - the load averages of /proc/loadavg, uptime, top and sysinfo().
 *
 * Linux's definition (kernel/sched/loadavg.c): every LOAD_FREQ (5 s and a
 * tick) the number of active tasks n is sampled and each average moves
 * toward it, load = load * e + n * (1 - e), with e = exp(-5 s / 1, 5, 15
 * min) in 11-bit fixed point (1884, 2014, 2037 of 2048), rounding up while
 * the load rises so that it can reach n. The arithmetic here is that one.
 *
 * What differs: Linux samples from the timer tick and counts running and
 * uninterruptible tasks, kernel threads included. Here a kernel thread
 * ("loadavg") sleeps 5.01 s between samples and counts the processes that
 * are running or runnable (Highland has no uninterruptible sleep, and its
 * kernel threads only wait for work); it starts when /proc is first
 * mounted (fs/proc.c), so a boot that runs no user space (the monitor,
 * ktest=) has no such thread, and the averages stay 0.00 until then. */
#include "loadavg.h"
#include "process.h"
#include "sched.h"

#define LOAD_FREQ_MS 5010 /* Linux's LOAD_FREQ: 5 * HZ + 1 ticks at HZ = 100 */
#define EXP_1 1884        /* 1 / exp(5 s / 1 min) in fixed point */
#define EXP_5 2014        /* 1 / exp(5 s / 5 min) */
#define EXP_15 2037       /* 1 / exp(5 s / 15 min) */

static unsigned long avenrun[3];

unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1; /* round up while rising */
	return newload / FIXED_1;
}

void calc_global_load(unsigned long active)
{
	unsigned long a = active * FIXED_1;

	__atomic_store_n(&avenrun[0], calc_load(avenrun[0], EXP_1, a), __ATOMIC_RELAXED);
	__atomic_store_n(&avenrun[1], calc_load(avenrun[1], EXP_5, a), __ATOMIC_RELAXED);
	__atomic_store_n(&avenrun[2], calc_load(avenrun[2], EXP_15, a), __ATOMIC_RELAXED);
}

void get_avenrun(unsigned long *loads, unsigned long offset, int shift)
{
	for (int i = 0; i < 3; i++)
		loads[i] = (__atomic_load_n(&avenrun[i], __ATOMIC_RELAXED) + offset) << shift;
}

static void count_active(struct task *t, void *arg)
{
	if (t->state == TASK_RUNNING)
		(*(unsigned long *)arg)++;
}

static int loadavg_thread(void *unused)
{
	for (;;) {
		unsigned long active = 0;

		msleep(LOAD_FREQ_MS);
		for_each_process(count_active, &active);
		calc_global_load(active);
	}
	return 0;
}

void loadavg_start(void)
{
	static int started;

	if (__atomic_exchange_n(&started, 1, __ATOMIC_ACQ_REL))
		return;
	if (!kthread_run(loadavg_thread, NULL, "loadavg"))
		started = 0; /* no memory now: the next mount of /proc tries again */
}
