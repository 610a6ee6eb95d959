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

/* COM1, 115200 8N1. console_init() is safe to call more than once. */
void console_init(void);
void console_write(const char *s, size_t n);
/* A received byte, or -1 when none is waiting. */
int console_getc(void);

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
