/* setup.c - the x86 half of early boot: CPU tables, the legacy PIC, and
 * getting the boot loader's information into kernel memory. */
#include "apic.h"
#include "bootinfo.h"
#include "cpu.h"
#include "early_map.h"
#include "machine.h"
#include "panic.h"
#include "printk.h"
#include "pgtable.h"
#include "setup.h"
#include "smp.h"
#include "traps.h"
#include "x86.h"

/* The multiboot2 information is copied here before anything can reuse the
 * memory it sits in (GRUB puts it right after the kernel image). */
static u8 mb2_copy[64 * 1024] __attribute__((aligned(8)));

/* Remap the 8259 PICs away from the exception vectors (the BIOS leaves the
 * timer on vector 8, the double fault), then mask every line: until the
 * SMP issue brings the local APIC, nothing interrupts us. */
static void pic_disable(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void arch_early_setup(void)
{
	gdt_init(); /* first: %fs gives arch_cpu_id(), which every lock uses */
	console_init();
	clock_init();
	idt_init();
	pic_disable();
}

/* Once memory management and the scheduler's structures exist: the local
 * APIC, the TLB shootdown and call IPIs, the scheduler's tick (started
 * before the APs, which reuse the boot CPU's timer calibration), the other
 * CPUs, and interrupts on. */
void arch_smp_init(void)
{
	lapic_init();
	tlb_init();
	smp_call_init();
	sched_irqs_init();
	smp_boot_cpus();
	__asm__ volatile("sti");
}

int arch_read_boot_info(u32 magic, u32 info_pa, struct boot_info *bi)
{
	if (magic == MB1_BOOTLOADER_MAGIC)
		return parse_multiboot1(info_pa, early_read_phys, NULL, bi);

	u32 total;
	if (early_read_phys(NULL, info_pa, &total, sizeof(total)) < 0) {
		pr_err("multiboot2: boot information at %#x is not readable\n", info_pa);
		return -1;
	}
	size_t len = total < sizeof(mb2_copy) ? total : sizeof(mb2_copy);
	if (total > sizeof(mb2_copy))
		pr_err("multiboot2: boot information is %u bytes, only %u fit the copy buffer\n",
		       total, (unsigned)sizeof(mb2_copy));
	if (len < 8 || early_read_phys(NULL, info_pa, mb2_copy, len) < 0) {
		pr_err("multiboot2: cannot copy %u bytes of boot information from %#x\n", total,
		       info_pa);
		return -1;
	}
	return parse_multiboot2(mb2_copy, len, bi);
}
