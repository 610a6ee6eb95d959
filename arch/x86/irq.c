/* irq.c - interrupts (vectors 32..255): a handler table, per-CPU counts,
 * the "in interrupt" depth, and the end-of-interrupt: to the 8259 for its
 * lines (vectors 0x30-0x3f: the PIT tick on a CPU without a local APIC),
 * to the local APIC for everything else. */
#include "apic.h"
#include "i8259.h"
#include "percpu.h"
#include "printk.h"
#include "sched.h"
#include "traps.h"

static irq_handler_t handlers[256];

void set_irq_handler(u8 vector, irq_handler_t fn) { handlers[vector] = fn; }

void irq_dispatch(struct trap_frame *f)
{
	struct cpu_local *c = this_cpu();
	irq_handler_t fn = handlers[f->vector];

	c->irq_count++;
	if (f->vector == SPURIOUS_APIC_VECTOR)
		return; /* no EOI for spurious interrupts */
	if (IS_ISA_VECTOR(f->vector) && i8259_spurious(f->vector - ISA_IRQ_VECTOR(0)))
		return;
	c->irq_depth++;
	if (fn)
		fn(f);
	else
		printk(KERN_WARNING "CPU %u: unexpected interrupt on vector %#x\n", c->cpu, f->vector);
	c->irq_depth--;
	if (IS_ISA_VECTOR(f->vector))
		i8259_eoi(f->vector - ISA_IRQ_VECTOR(0));
	else
		lapic_eoi();
	/* Preemption on the way out: the tick ended a timeslice, or a wakeup
	 * (perhaps the reschedule IPI) wants this CPU. The interrupted context
	 * had interrupts on (or it would not have been interrupted) and its
	 * trap frame stays on its own stack until the scheduler picks it again
	 * and this function returns into trap_common's iret. The EOI is done,
	 * so the next tick can come while another task runs. */
	if (!c->irq_depth && arch_preempt_pending())
		preempt_schedule_irq();
}
