/* pit.h - the 8254 PIT: TSC calibration intervals, and the tick on a CPU
 * without a local APIC. */
#ifndef HL_PIT_H
#define HL_PIT_H

#include "apic.h"
#include "types.h"

#define PIT_TICK_RATE 1193182u /* Hz */

/* One calibration window: TSC cycles while the PIT counted `ticks`, give
 * or take err cycles (how long the PIT accesses at both ends took). */
struct pit_window { u64 cycles, err; u32 ticks; };

/* A window of `count` ticks (at most 65535) timed through channel 2's gate
 * at port 0x61 / of at least `count` read back from channel 0. False when
 * the machine does not have what the method needs. Interrupts off. */
bool pit_gate_window(u32 count, struct pit_window *w);
bool pit_ch0_window(u32 count, struct pit_window *w);
/* Channel 0 periodic at hz on IRQ0 (unmasked at the 8259), calling fn. */
void pit_timer_start(unsigned hz, irq_handler_t fn);
/* IRQ0 ticks handled since pit_timer_start (0 while the local APIC ticks). */
unsigned long pit_tick_count(void);

#endif
