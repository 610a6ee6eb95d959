/* ioapic.h - the I/O APIC (arch/x86/ioapic.c): the chipset's interrupt
 * router, which turns a device's interrupt line into a message to a local
 * APIC. Highland routes one line through it so far: COM1's IRQ 4, the
 * serial console's input (arch/x86/serial.c). */
#ifndef HL_IOAPIC_H
#define HL_IOAPIC_H

#include "types.h"

/* The vector ISA IRQ n gets through the I/O APIC (0x30-0x3f are the 8259's). */
#define IOAPIC_ISA_VECTOR(irq) (0x40 + (irq))

/* Map the first I/O APIC the firmware described and mask every pin (once;
 * later calls say the same). false: none, or no local APIC to deliver to. */
bool ioapic_init(void);
/* Route ISA IRQ irq (through the firmware's overrides) to vector on the
 * local APIC apic_id, unmasked: 0, or -ENODEV without an I/O APIC, -EINVAL
 * if the IRQ's GSI is not on its pins. */
int ioapic_route_isa_irq(unsigned irq, u8 vector, unsigned apic_id);
/* Mask ISA IRQ irq's pin again. */
void ioapic_mask_isa_irq(unsigned irq);
/* The pin ISA IRQ irq arrives at (-1: none), for reports. */
int ioapic_isa_pin(unsigned irq);

#endif
