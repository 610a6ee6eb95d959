/* apic.h - the local APIC: each CPU's interrupt controller, timer and
 * inter-processor interrupts (IPIs); and the vectors Highland uses.
 * The legacy PIC stays masked; device interrupts come through the I/O APIC
 * (ioapic.h: so far the serial console's IRQ 4). */
#ifndef HL_APIC_H
#define HL_APIC_H

#include "types.h"

#define LOCAL_TIMER_VECTOR 0xec
#define TLB_SHOOTDOWN_VECTOR 0xf0
#define CALL_FUNCTION_VECTOR 0xfb
#define RESCHEDULE_VECTOR 0xfd
#define ERROR_APIC_VECTOR 0xfe
#define SPURIOUS_APIC_VECTOR 0xff

extern phys_addr_t lapic_phys; /* from the MADT (or the MSR) */
extern bool lapic_present;

/* Map the registers (BSP once) and enable this CPU's local APIC. */
void lapic_init(void);
unsigned lapic_id(void);
void lapic_eoi(void);
/* The vectors this CPU's local APIC has in service (accepted, not yet
 * EOI'd), lowest first, into out[max]; how many. For the #DF report. */
unsigned lapic_in_service(u8 *out, unsigned max);
/* Send `vector` to one CPU by APIC id / to every other CPU. */
void lapic_send_ipi(unsigned apic_id, u8 vector);
void lapic_send_ipi_allbutself(u8 vector);
/* INIT, then two STARTUPs at page `vector` (the trampoline's page number). */
int lapic_start_ap(unsigned apic_id, u8 vector);
/* Periodic timer on this CPU at hz, firing LOCAL_TIMER_VECTOR. */
void lapic_timer_start(unsigned hz);
/* Busy-wait, TSC-based. */
void udelay(unsigned long us);

/* Interrupt handlers for vectors >= 32 (arch/x86/irq.c). */
struct trap_frame;
typedef void (*irq_handler_t)(struct trap_frame *f);
void set_irq_handler(u8 vector, irq_handler_t fn);
void irq_dispatch(struct trap_frame *f);

#endif
