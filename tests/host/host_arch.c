/* host_arch.c - state of the simulated machine (see arch_impl.h). */
#include "arch.h"
#include "highmem.h"
#include "preempt.h"

unsigned host_cpu_id;
bool host_irqs_off;
unsigned host_preempt_count;
bool host_slab_cpu_locked[NR_CPUS];

/* Never called: no reschedule is ever pending on the simulated machine. */
void preempt_schedule(void) {}

/* The simulated slots map a frame at its direct-map address (sim_mm.c), so
 * the frame is that address's. */
unsigned long arch_kmap_atomic_pfn(unsigned slot)
{
	void *va = kmap_ctrl[slot / KM_MAX_IDX].addr[slot % KM_MAX_IDX + 1];

	return (unsigned long)(virt_to_phys(va) >> PAGE_SHIFT);
}

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

struct kmap_ctrl *arch_kmap_ctrl(void)
{
	struct kmap_ctrl *c = &kmap_ctrl[host_cpu_id];

	c->slot_base = host_cpu_id * KM_MAX_IDX;
	return c;
}

void *arch_kmap_push(struct kmap_ctrl *c, int n, unsigned long pfn)
{
	return c->addr[n] = arch_kmap_atomic_map(c->slot_base + (unsigned)n - 1, pfn);
}

void arch_kmap_pop(struct kmap_ctrl *c, int n, void *va)
{
	arch_kmap_atomic_unmap(c->slot_base + (unsigned)n - 1);
}

void arch_kmap_ctrl_init(struct kmap_ctrl *c, unsigned cpu) { c->slot_base = cpu * KM_MAX_IDX; }
