/* arch.h - the small, named interface between generic code (mm/, kernel/)
 * and the CPU. Generic code includes this header and nothing from arch/.
 *
 * The implementation is <arch_impl.h>, found through the include path:
 *   kernel build:  arch/x86/include/arch_impl.h   (real instructions)
 *   hosted build:  tests/host/arch_impl.h          (a simulated machine)
 * Each must provide, as functions or macros:
 *
 *   unsigned long arch_irq_save(void);         disable interrupts, return old state
 *   void arch_irq_restore(unsigned long f);    restore a state from arch_irq_save
 *   bool arch_irqs_disabled(void);             are interrupts off on this CPU?
 *   void arch_cpu_relax(void);                 spin-wait hint (pause)
 *   unsigned arch_cpu_id(void);                this CPU's number, 0..NR_CPUS-1
 *   u64 arch_clock_ns(void);                   nanoseconds since boot (0 before calibration)
 *   void *arch_return_address(void);           caller of the current function (for reports)
 */
#ifndef HL_ARCH_H
#define HL_ARCH_H

#include "types.h"

#define NR_CPUS 8 /* per-CPU arrays are sized for this many (room for the SMP issue) */

#include <arch_impl.h>

#endif
