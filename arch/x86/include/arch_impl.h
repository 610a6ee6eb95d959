/* arch_impl.h - x86 implementation of include/arch.h (see there). */
#ifndef HL_ARCH_IMPL_H
#define HL_ARCH_IMPL_H

#include "types.h"

static inline unsigned long arch_irq_save(void)
{
	unsigned long f;

	__asm__ volatile("pushfl; popl %0; cli" : "=r"(f) : : "memory");
	return f;
}

static inline void arch_irq_restore(unsigned long f)
{
	if (f & (1u << 9))
		__asm__ volatile("sti" : : : "memory");
}

static inline bool arch_irqs_disabled(void)
{
	unsigned long f;

	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return !(f & (1u << 9));
}

static inline void arch_cpu_relax(void) { __asm__ volatile("pause" : : : "memory"); }

/* One CPU runs until the SMP issue brings up the others. */
static inline unsigned arch_cpu_id(void) { return 0; }

u64 arch_clock_ns(void);

#define arch_return_address() __builtin_return_address(0)

#endif
