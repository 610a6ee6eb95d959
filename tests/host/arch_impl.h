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
static inline void arch_irq_save_to(unsigned long *f) { *f = arch_irq_save(); }
static inline void arch_irq_restore_from(const unsigned long *f) { arch_irq_restore(*f); }
static inline bool arch_irqs_disabled(void) { return host_irqs_off; }
static inline void arch_cpu_relax(void) {}
static inline unsigned arch_cpu_id(void) { return host_cpu_id; }
static inline u64 arch_clock_ns(void) { return 0; }
static inline u64 arch_cycles(void) { return 0; }
#define arch_return_address() __builtin_return_address(0)

/* kmap_atomic's slots on the simulated machine (tests/host/sim_mm.c). */
void *arch_kmap_atomic_map(unsigned slot, unsigned long pfn);
/* This CPU's kmap_atomic slot stack (host_arch.c: by host_cpu_id). */
struct kmap_ctrl *arch_kmap_ctrl(void);
void arch_kmap_atomic_unmap(unsigned slot);
unsigned long arch_kmap_atomic_pfn(unsigned slot); /* host_arch.c */
/* The fast path's hooks (host_arch.c): the simulated slot maps a frame at
 * its direct-map address, recorded in c->addr[n]; there are no PTEs. */
struct kmap_ctrl;
void *arch_kmap_push(struct kmap_ctrl *c, int n, unsigned long pfn);
void arch_kmap_pop(struct kmap_ctrl *c, int n, void *va);
void arch_kmap_ctrl_init(struct kmap_ctrl *c, unsigned cpu);

/* Preemption: a plain counter. The hosted build has no threads and no
 * scheduler, so no reschedule is ever pending and preempt_enable never
 * calls preempt_schedule (host_arch.c has an empty one for the linker). */
struct task;
extern unsigned host_preempt_count;
static inline void arch_irq_enable(void) { host_irqs_off = false; }
static inline void arch_preempt_count_inc(void) { host_preempt_count++; }
static inline void arch_preempt_count_dec(void) { host_preempt_count--; }
static inline bool arch_preempt_count_dec_and_test(void)
{
	host_preempt_count--;
	return false;
}
static inline unsigned arch_preempt_count(void) { return host_preempt_count; }
static inline void arch_preempt_count_set(unsigned c) { host_preempt_count = c; }
static inline bool arch_preempt_pending(void) { return false; }
static inline bool arch_need_resched(void) { return false; }
static inline void arch_set_need_resched(void) {}
static inline void arch_clear_need_resched(void) {}
static inline bool arch_in_interrupt(void) { return false; }
/* The slab's per-CPU lock: a flag per simulated CPU, and a preempt count
 * (tests set host_slab_cpu_locked to play an interrupted holder). */
extern bool host_slab_cpu_locked[];
static inline bool arch_slab_cpu_trylock(void)
{
	if (host_slab_cpu_locked[host_cpu_id])
		return false;
	host_slab_cpu_locked[host_cpu_id] = true;
	host_preempt_count++;
	return true;
}
static inline bool arch_slab_cpu_unlock(void)
{
	host_slab_cpu_locked[host_cpu_id] = false;
	host_preempt_count--;
	return false;
}
static inline struct task *arch_current(void) { return (struct task *)0; }

#endif
