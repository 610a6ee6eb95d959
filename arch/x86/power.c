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
	/* QEMU acts on the reset asynchronously, in its main thread: on a busy
	 * host that thread may not run for over a second, and a triple fault
	 * meanwhile would look like a crash. Ten seconds, then the last resort. */
	for (int i = 0; i < 100; i++)
		udelay(100000);
	machine_triple_fault();
}
