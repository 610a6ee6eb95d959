/* task.c - the x86 side of the scheduler: a new task's first stack frame,
 * the running task's %fs fields, the idle instruction pair, and the two
 * interrupts that drive scheduling (the local APIC timer's tick and the
 * reschedule IPI). The switch itself is switch.asm. */
#include "apic.h"
#include "arch.h"
#include "percpu.h"
#include "pit.h"
#include "sched.h"
#include "setup.h"
#include "traps.h"

extern char boot_stack_bottom[], boot_stack_top[];

/* The frame arch_switch_to pops: edi esi ebx ebp, then its return address,
 * which is entry. Above that a 0 where entry's return address would be:
 * entry never returns, and backtraces stop there (ebp is 0 too). */
unsigned long arch_task_stack_init(void *stack_top, void (*entry)(void))
{
	u32 *sp = (u32 *)((unsigned long)stack_top & ~15ul);

	*--sp = 0;          /* entry's return address: none */
	*--sp = (u32)entry; /* arch_switch_to's ret */
	*--sp = 0;          /* ebp */
	*--sp = 0;          /* ebx */
	*--sp = 0;          /* esi */
	*--sp = 0;          /* edi */
	return (unsigned long)sp;
}

/* The stack bounds are what stack_bounds() (stacktrace.c) trusts when it
 * walks frames, so oops backtraces work inside threads. */
void arch_set_current(struct task *t, void *stack_lo, void *stack_hi)
{
	struct cpu_local *c = this_cpu();

	c->curr_task = t;
	c->stack_bottom = stack_lo;
	c->stack_top = stack_hi;
	/* ring 3 enters the kernel on this task's stack, and finds its TLS */
	tss_set_esp0(c->cpu, (u32)stack_hi);
	load_TLS(t->tls, c->cpu);
}

void arch_send_reschedule(unsigned cpu) { lapic_send_ipi(cpu_locals[cpu].apic_id, RESCHEDULE_VECTOR); }

/* `sti; hlt` is one unit: sti takes effect after the next instruction, so
 * an interrupt that arrives after the check still wakes the hlt. */
void arch_idle(void)
{
	__asm__ volatile("cli" : : : "memory");
	if (arch_need_resched())
		__asm__ volatile("sti" : : : "memory");
	else
		__asm__ volatile("sti; hlt" : : : "memory");
}

void arch_boot_stack(void **lo, void **hi)
{
	*lo = boot_stack_bottom;
	*hi = boot_stack_top;
}

static void timer_irq(struct trap_frame *f)
{
	(void)f;
	scheduler_tick();
}

/* All the IPI has to do is set the flag on its own CPU: the interrupt
 * return (irq.c) then switches. */
static void resched_irq(struct trap_frame *f)
{
	(void)f;
	arch_set_need_resched();
}

void sched_irqs_init(void)
{
	set_irq_handler(LOCAL_TIMER_VECTOR, timer_irq);
	set_irq_handler(RESCHEDULE_VECTOR, resched_irq);
	if (lapic_present)
		lapic_timer_start(HZ);
	else
		pit_timer_start(HZ, timer_irq); /* no local APIC: IRQ0 through the 8259 */
}
