/* arch_impl.h - the hosted "machine" behind include/arch.h for unit tests:
 * one CPU (which tests may switch to simulate per-CPU paths), interrupts as
 * a flag, and a clock that does not move. */
#ifndef HL_ARCH_IMPL_H
#define HL_ARCH_IMPL_H

#include "types.h"

extern unsigned host_cpu_id;   /* tests set it to exercise per-CPU data */
extern bool host_irqs_off;

static inline unsigned long arch_irq_save(void)
{
	unsigned long f = host_irqs_off;

	host_irqs_off = true;
	return f;
}

static inline void arch_irq_restore(unsigned long f) { host_irqs_off = f; }
static inline bool arch_irqs_disabled(void) { return host_irqs_off; }
static inline void arch_cpu_relax(void) {}
static inline unsigned arch_cpu_id(void) { return host_cpu_id; }
static inline u64 arch_clock_ns(void) { return 0; }
static inline u64 arch_cycles(void) { return 0; }
#define arch_return_address() __builtin_return_address(0)

/* kmap_atomic's slots on the simulated machine (tests/host/sim_mm.c). */
void *arch_kmap_atomic_map(unsigned slot, unsigned long pfn);
void arch_kmap_atomic_unmap(unsigned slot);

#endif
