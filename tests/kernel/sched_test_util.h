/* sched_test_util.h - helpers shared by the scheduler, wait queue, spinlock
 * and stress suites (static inline: each suite is its own file). */
#ifndef HL_SCHED_TEST_UTIL_H
#define HL_SCHED_TEST_UTIL_H

#include "kstring.h"
#include "printk.h"
#include "sched.h"

/* The CPU the suites put their threads on: the last one online, so that on
 * -smp 2+ they do not share CPU 0 with init (the test runner), and on
 * -smp 1 they do. */
static inline unsigned test_cpu(void)
{
	for (unsigned c = NR_CPUS; c-- > 0;)
		if (sched_cpu_online(c))
			return c;
	return 0;
}

static inline unsigned test_nr_cpus(void)
{
	unsigned n = 0;

	for (unsigned c = 0; c < NR_CPUS; c++)
		n += sched_cpu_online(c);
	return n;
}

/* Does the newest part of the kernel log contain s? */
static inline bool log_contains(const char *s)
{
	static char buf[8192];
	size_t n = log_read_tail(buf, sizeof(buf)), len = strlen(s);

	for (size_t i = 0; i + len <= n; i++)
		if (memcmp(buf + i, s, len) == 0)
			return true;
	return false;
}

/* Spin (preemptible) until *flag is set or `ticks` jiffies pass. */
static inline bool spin_until(volatile bool *flag, unsigned long ticks)
{
	unsigned long start = jiffies;

	while (!*flag && jiffies - start < ticks)
		arch_cpu_relax();
	return *flag;
}

#endif
