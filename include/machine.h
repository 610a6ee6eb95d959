/* machine.h - what the generic kernel asks of the machine it runs on:
 * a console, a clock, and ways to stop. Implemented in arch/x86/. */
#ifndef HL_MACHINE_H
#define HL_MACHINE_H

#include "types.h"

/* Exit statuses through QEMU's isa-debug-exit (iobase 0xf4): QEMU exits with
 * (value << 1) | 1. PASS is written only after a complete run in which every
 * test passed; 0 (triple fault under -no-reboot) and 1 (QEMU's own error)
 * are never a pass. */
#define QEMU_EXIT_PORT 0xf4
#define QEMU_EXIT_PASS 0x10 /* qemu-system-i386 exit status 33 */
#define QEMU_EXIT_FAIL 0x11 /* qemu-system-i386 exit status 35 */

/* ---- boot, in start_kernel's order (arch/x86/setup.c, cpu.c, mm_setup.c,
 * smpboot.c); generic code reaches them through this header, never through
 * arch/x86/include. */
struct boot_info;
struct e820_table;
/* Console, clock, GDT/TSS, IDT, PIC masked: enough to print and to oops. */
void arch_early_setup(void);
/* Copy and parse the boot loader's information (v1 or multiboot2). */
int arch_read_boot_info(u32 magic, u32 info_pa, struct boot_info *bi);
/* The CPU's features (CPUID): stops with a message without PAE. */
void cpu_detect(void);
/* Memory: the low/high split, memblock, the final page tables, the zones and
 * the buddy allocator. The identity map is gone after. */
void setup_arch_memory(struct e820_table *map);
/* Local APIC, the other CPUs (smp: Brought up ...), interrupts on. */
void arch_smp_init(void);

/* COM1, 115200 8N1. console_init() is safe to call more than once. */
void console_init(void);
void console_write(const char *s, size_t n);
/* The same without turning \n into CR LF (fs/tty.c with OPOST|ONLCR off). */
void console_write_raw(const char *s, size_t n);
/* A received byte, or -1 when none is waiting. */
int console_getc(void);
/* Input by interrupt from now on: every byte received goes to rx, called
 * in the interrupt handler (arch/x86/serial.c: IRQ 4 through the I/O APIC,
 * routed to the calling CPU). false, nothing changed, if the machine has no
 * I/O APIC: the caller polls console_getc instead. */
bool console_rx_irq_start(void (*rx)(const char *s, size_t n));

/* Calibrate the TSC against the PIT so arch_clock_ns() works. */
void clock_init(void);
u32 clock_tsc_khz(void);

/* For the serial monitor: the page-table walk of a kernel virtual address
 * (each level's entry and flags, or where the walk stopped); the CPUs; the
 * TLB flush counters. */
void machine_show_pagewalk(unsigned long va);
void machine_show_cpus(void);
void machine_show_tlb(void);
/* Power off (QEMU: exit with PASS; else ACPI S5 on i440fx/q35) and reboot
 * (keyboard controller reset, then a triple fault). */
__noreturn void machine_poweroff(void);
__noreturn void machine_reboot(void);

/* Stop the machine: exit QEMU with PASS or FAIL, halt when there is no exit device. */
__noreturn void machine_exit(int value);
__noreturn void machine_halt(void);
/* Deliberately triple-fault (harness self-test): the CPU resets. */
__noreturn void machine_triple_fault(void);

#endif
