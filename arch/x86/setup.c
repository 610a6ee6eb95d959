/* setup.c - the x86 half of early boot: CPU tables, the legacy PIC, and
 * getting the boot loader's information into kernel memory. */
#include "apic.h"
#include "arch.h"
#include "bootinfo.h"
#include "cpu.h"
#include "early_map.h"
#include "i8259.h"
#include "machine.h"
#include "mmzone.h"
#include "panic.h"
#include "pit.h"
#include "printk.h"
#include "pgtable.h"
#include "setup.h"
#include "smp.h"
#include "traps.h"
#include "x86.h"

/* The multiboot2 information is copied here before anything can reuse the
 * memory it sits in (GRUB puts it right after the kernel image). */
static u8 mb2_copy[64 * 1024] __attribute__((aligned(8)));

void arch_early_setup(void)
{
	gdt_init(); /* first: %fs gives arch_cpu_id(), which every lock uses */
	console_init();
	clock_init();
	idt_init();
	i8259_init(); /* off the exception vectors, every line masked (i8259.c) */
}

/* Without a local APIC the tick is the PIT's IRQ0 through the 8259; a
 * machine with neither (microvm,pic=off -cpu max,-apic) would sleep forever
 * in the first msleep. Check that ticks arrive, within 200 ms. */
static void check_pit_tick(void)
{
	if (lapic_present)
		return;
	u64 end = arch_clock_ns() + 200000000ull;
	while (!pit_tick_count() && arch_clock_ns() < end)
		arch_cpu_relax();
	if (!pit_tick_count())
		panic("no timer interrupt: this machine has no local APIC, and the PIT's IRQ0 "
		      "through the 8259%s never arrived; Highland cannot schedule without a tick",
		      i8259_present ? "" : " (no 8259 answered)");
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
	zone_pcp_update(nr_cpus_online); /* the per-CPU page lists: each CPU's share */
	__asm__ volatile("sti");
	check_pit_tick();
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
