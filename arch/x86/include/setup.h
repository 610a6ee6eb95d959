/* setup.h - x86 early setup called from start_kernel. */
#ifndef HL_SETUP_H
#define HL_SETUP_H

#include "types.h"

struct boot_info;
struct e820_table;

/* Console, clock, GDT/TSS, IDT, PIC masked: enough to print and to oops. */
void arch_early_setup(void);
/* Copy and parse the boot loader's information (v1 or multiboot2). */
int arch_read_boot_info(u32 magic, u32 info_pa, struct boot_info *bi);
/* Memory: the low/high split, memblock, the final page tables, the zones and
 * the buddy allocator (arch/x86/mm_setup.c). The identity map is gone after. */
void setup_arch_memory(struct e820_table *map);
/* Local APIC, the other CPUs (smp: Brought up ...), interrupts on. */
void arch_smp_init(void);
/* The timer tick and reschedule IPI handlers; starts this CPU's tick. */
void sched_irqs_init(void);

#endif
