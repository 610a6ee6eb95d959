/* host_arch.c - state of the simulated machine (see arch_impl.h). */
#include "arch.h"

unsigned host_cpu_id;
bool host_irqs_off;

/* The simulated machine's CPUs are all "online": running fn "on" cpu means
 * running it here with host_cpu_id switched, as per-CPU code would see it. */
int arch_call_on_cpu(unsigned cpu, void (*fn)(void *), void *arg)
{
	unsigned saved = host_cpu_id;

	if (cpu >= NR_CPUS)
		return -1;
	host_cpu_id = cpu;
	fn(arg);
	host_cpu_id = saved;
	return 0;
}
