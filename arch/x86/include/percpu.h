/* percpu.h - each CPU's own small block, reached through %fs.
 *
 * Every CPU loads %fs with a GDT segment whose base is its struct cpu_local,
 * so `mov %fs:4, reg` is this CPU's number: one instruction, no lookup (the
 * same trick Linux plays with %fs on i386). Generic per-CPU data are arrays
 * indexed by that number (zones' pcp[], kmap_ctrl[]). */
#ifndef HL_PERCPU_H
#define HL_PERCPU_H

#include "types.h"

struct task;
struct mm_struct;

/* Bit 31 of preempt_count is the *inverted* need-resched flag (set = no
 * reschedule wanted). Folding it in means preempt_enable is one `decl` and
 * one `je`: the word reaches 0 exactly when the count drops to 0 while a
 * reschedule is pending (Linux's x86 trick). Interrupts and IPIs set and
 * clear it only on their own CPU, so one-instruction updates need no lock. */
#define PREEMPT_NEED_RESCHED 0x80000000u
/* Bit 30 of preempt_count is this CPU's slab lock (mm/slab.c's per-CPU
 * arrays): set, it also counts as preemption disabled, and one bts both
 * tests and takes it, so an interrupt handler finds it held by the
 * context it interrupted instead of corrupting the array under it. */
#define PREEMPT_SLAB_LOCK_BIT 30

struct cpu_local {
	struct cpu_local *self; /* %fs:0 */
	unsigned cpu;           /* %fs:4: arch_cpu_id() */
	unsigned apic_id;
	int irq_depth;          /* > 0 inside an interrupt handler */
	bool online;
	unsigned long irq_count;
	void *stack_bottom, *stack_top; /* the running task's stack, for backtraces */
	unsigned preempt_count; /* preempt_disable depth | inverted PREEMPT_NEED_RESCHED */
	struct task *curr_task; /* the task running here (kernel/sched.c's current) */
	struct kmap_ctrl *kmap; /* this CPU's kmap_atomic slot stack (arch_kmap_ctrl) */
	struct mm_struct *loaded_mm; /* whose page tables CR3 holds (tlb.c: switch_mm) */
};

extern struct cpu_local cpu_locals[];

static inline struct cpu_local *this_cpu(void)
{
	struct cpu_local *c;

	__asm__("movl %%fs:0, %0" : "=r"(c));
	return c;
}

/* The GDT's per-CPU %fs selector for cpu. */
u16 gdt_percpu_selector(unsigned cpu);
u16 gdt_df_selector(unsigned cpu);
/* Load the GDT, this CPU's TSS and %fs (BSP: cpu 0 in gdt_init). */
void gdt_load_cpu(unsigned cpu);

#endif
