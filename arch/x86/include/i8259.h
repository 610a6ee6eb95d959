/* i8259.h - the legacy PIC pair: lines 0-15 on vectors 0x30-0x3f, masked
 * unless a line is asked for (the PIT tick without a local APIC). */
#ifndef HL_I8259_H
#define HL_I8259_H

#include "types.h"

#define ISA_IRQ_VECTOR(irq) (0x30 + (irq)) /* Linux's numbering too */
#define IRQ0_VECTOR ISA_IRQ_VECTOR(0)
#define IS_ISA_VECTOR(v) ((v) >= ISA_IRQ_VECTOR(0) && (v) <= ISA_IRQ_VECTOR(15))

extern bool i8259_present; /* the mask register kept a written value */

/* Probe, re-program off the exception vectors, mask all 16 lines. */
void i8259_init(void);
void i8259_unmask_irq(unsigned irq);
void i8259_mask_irq(unsigned irq);
/* True for a spurious IRQ 7/15 (in-service bit clear): no handler, no EOI. */
bool i8259_spurious(unsigned irq);
/* End of interrupt for line irq (slave, then master). */
void i8259_eoi(unsigned irq);

#endif
