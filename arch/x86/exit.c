/* exit.c - stopping the machine. */
#include "machine.h"
#include "x86.h"

__noreturn void machine_halt(void)
{
	for (;;) {
		__asm__ volatile("cli");
		halt();
	}
}

__noreturn void machine_exit(int value)
{
	outl(QEMU_EXIT_PORT, (u32)value);
	/* No isa-debug-exit device (real hardware, other machine): halt. */
	machine_halt();
}

__noreturn void machine_triple_fault(void)
{
	static const struct __attribute__((packed)) { u16 limit; u32 base; } empty = { 0, 0 };

	/* With an empty IDT, int3 cannot be delivered: #GP, then #DF, then a
	 * triple fault, which QEMU -no-reboot turns into exit status 0. */
	__asm__ volatile("lidt %0; int3" : : "m"(empty));
	machine_halt();
}
