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
 *   void arch_irq_save_to(unsigned long *f);   arch_irq_save, the state stored straight
 *   void arch_irq_restore_from(const unsigned long *f);   into *f and restored from
 *                                              there (a fast path's local kept in
 *                                              memory: one register fewer to keep)
 *   bool arch_irqs_disabled(void);             are interrupts off on this CPU?
 *   void arch_cpu_relax(void);                 spin-wait hint (pause)
 *   unsigned arch_cpu_id(void);                this CPU's number, 0..NR_CPUS-1
 *   u64 arch_clock_ns(void);                   nanoseconds since boot (0 before calibration)
 *   u64 arch_cycles(void);                     a cycle counter (TSC), for benchmarks
 *   void *arch_return_address(void);           caller of the current function (for reports)
 *
 *   phys_to_virt(), virt_to_phys()             the direct map (declared in mm.h;
 *                                              arch/x86/mm_iface.c, tests/host/sim_mm.c)
 *   arch_kmap_atomic_map(slot, pfn)            map a frame at fixmap slot `slot`
 *                                              (already offset for this CPU) and
 *                                              return its virtual address; one PTE
 *                                              write, no TLB flush
 *   arch_kmap_atomic_unmap(slot)               clear that PTE, invlpg on this CPU
 *   arch_phys_bits()                           the CPU's physical address width
 *   (page tables, TLB flushes and address spaces have their own interface:
 *   include/pgtable.h and include/mm_types.h)
 *   arch_call_on_cpu(cpu, fn, arg)             run fn(arg) on that CPU and wait; -1 if
 *                                              the CPU is not online
 *   arch_kmap_atomic_pfn(slot)                 the frame a mapped kmap slot points at
 *
 * Preemption and the running task (include/preempt.h, kernel/sched.c), all
 * per CPU and cheap (x86: one %fs-relative instruction each):
 *   arch_preempt_count_inc() / _dec()          preempt_disable depth +1 / -1
 *   arch_preempt_count_dec_and_test()          -1; true if now 0 with a reschedule pending
 *   arch_preempt_count() / _set(n)             the depth; replace it (task switch)
 *   arch_preempt_pending()                     depth 0 and a reschedule pending
 *   arch_need_resched() / arch_set_need_resched() / arch_clear_need_resched()
 *   arch_in_interrupt()                        inside an interrupt handler
 *   arch_slab_cpu_trylock()                    take this CPU's slab lock (mm/slab: the
 *                                              per-CPU object arrays): preemption off
 *                                              too; false if a context this CPU
 *                                              interrupted holds it (test-and-set of a
 *                                              preempt-word bit: one instruction)
 *   arch_slab_cpu_unlock()                     release it; true if the word reached 0:
 *                                              a reschedule is due (preempt_schedule)
 *   arch_irq_enable()                          interrupts on
 *   struct task *arch_current(void)            the task running on this CPU (NULL before
 *                                              the scheduler starts)
 * Kernel only (kernel/sched.c; the hosted build has no threads):
 *   arch_task_stack_init(top, entry)           a new task's first stack frame, so that
 *                                              arch_switch_to "returns" into entry();
 *                                              returns the stack pointer to save
 *   arch_switch_to(&prev_sp, next_sp)          save callee-saved registers and the stack
 *                                              pointer, load next's (interrupts off)
 *   arch_set_current(t, stack_lo, stack_hi)    t runs here now; its stack (backtraces)
 *   arch_send_reschedule(cpu)                  IPI: that CPU should call the scheduler
 *   arch_idle()                                wait for an interrupt unless a reschedule
 *                                              is pending; returns with interrupts on
 *   arch_boot_stack(&lo, &hi)                  the boot CPU's stack (the init task's)
 * The two kmap_atomic hooks are inline on x86: they are the whole cost of
 * kmap_atomic (`make bench`: kmap_atomic, about 56 instructions a pair).
 */
#ifndef HL_ARCH_H
#define HL_ARCH_H

#include "layout.h" /* NR_CPUS */
#include "types.h"

#include <arch_impl.h>

unsigned arch_phys_bits(void);
int arch_call_on_cpu(unsigned cpu, void (*fn)(void *), void *arg);

/* Linux's names for the same things. */
#define smp_processor_id() arch_cpu_id()

struct task;
unsigned long arch_task_stack_init(void *stack_top, void (*entry)(void));
void arch_switch_to(unsigned long *prev_sp, unsigned long next_sp);
void arch_set_current(struct task *t, void *stack_lo, void *stack_hi);
void arch_send_reschedule(unsigned cpu);
void arch_idle(void);
void arch_boot_stack(void **lo, void **hi);

#endif
