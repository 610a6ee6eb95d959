/* power.c - ending a run: power off and reboot, the ways QEMU and PCs offer. */
#include "apic.h"
#include "machine.h"
#include "x86.h"

__noreturn void machine_poweroff(void)
{
	outl(QEMU_EXIT_PORT, QEMU_EXIT_PASS); /* QEMU with isa-debug-exit: exits here */
	outw(0x604, 0x2000);                  /* i440fx/q35 ACPI PM1a_CNT: SLP_TYP 0, SLP_EN */
	outw(0xb004, 0x2000);                 /* older QEMU/Bochs */
	machine_halt();
}

__noreturn void machine_reboot(void)
{
	for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
		;
	outb(0x64, 0xfe); /* keyboard controller: pulse the reset line */
	udelay(1000000);  /* give the reset a second to happen (QEMU acts on it asynchronously) */
	machine_triple_fault();
}
