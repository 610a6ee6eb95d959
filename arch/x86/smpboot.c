/* smpboot.c - waking the application processors, one at a time:
 * copy the trampoline below 1 MB, fill in its data (page tables, stack,
 * entry point, CPU number), send INIT-SIPI-SIPI, and wait for the AP to
 * report in. An AP that does not answer within a second is reported and
 * left out. */
#include "apic.h"
#include "arch.h"
#include "cpu.h"
#include "gfp.h"
#include "kstring.h"
#include "percpu.h"
#include "pgtable.h"
#include "printk.h"
#include "sched.h"
#include "smp.h"
#include "traps.h"
#include "x86.h"

#define TRAMP_BASE 0x8000u
#define AP_STACK_ORDER 2 /* 16 KB */

struct tr_data { u32 cr3, cr4, nx, stack, entry, cpu; };

extern const u8 trampoline_start[], trampoline_end[], tr_data[];
unsigned nr_cpus_online = 1;
static volatile bool ap_alive;

/* The trampoline's page directory: low 2 MB 1:1 (one large page, executable)
 * for the jump into paging, and the kernel's own PMD for the top gigabyte. */
static pgd_t tramp_pgd[4] __attribute__((aligned(32)));
static pmd_t tramp_pmd[512] __attribute__((aligned(4096)));

void idt_load(void);

/* First C code on an AP, on its own stack, which becomes its idle task's. */
static __noreturn void ap_entry(void)
{
	volatile struct tr_data *d = __va(TRAMP_BASE + (u32)(tr_data - trampoline_start));
	unsigned cpu = d->cpu;

	write_cr3((u32)__pa(swapper_pg_dir)); /* leave the trampoline tables */
	gdt_load_cpu(cpu);
	idt_load();
	lapic_init();
	this_cpu()->online = true;
	this_cpu()->stack_top = (void *)d->stack;
	__atomic_fetch_add(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
	lapic_timer_start(HZ);
	ap_alive = true;
	sched_ap_start(this_cpu()->stack_bottom, this_cpu()->stack_top);
}

static void prepare_trampoline(void)
{
	memcpy(__va(TRAMP_BASE), trampoline_start, (size_t)(trampoline_end - trampoline_start));
	set_pmd(&tramp_pmd[0], __pmd(_PAGE_PRESENT | _PAGE_RW | _PAGE_PSE));
	tramp_pgd[0] = __pgd(__pa(tramp_pmd) | _PAGE_PRESENT);
	tramp_pgd[3] = swapper_pg_dir[3];
}

static bool start_one(unsigned cpu, unsigned apic_id)
{
	volatile struct tr_data *d = __va(TRAMP_BASE + (u32)(tr_data - trampoline_start));
	struct page *stack = alloc_pages(GFP_KERNEL, AP_STACK_ORDER);

	if (!stack) {
		pr_err("smpboot: no memory for CPU %u's stack: left out\n", cpu);
		return false;
	}
	d->cr3 = (u32)__pa(tramp_pgd);
	d->cr4 = read_cr4();
	d->nx = boot_cpu.nx;
	d->stack = (u32)page_address(stack) + (PAGE_SIZE << AP_STACK_ORDER);
	d->entry = (u32)ap_entry;
	d->cpu = cpu;
	ap_alive = false;
	cpu_locals[cpu].stack_bottom = page_address(stack);
	pr_info("smpboot: Booting Node 0 Processor %u APIC %#x\n", cpu, apic_id);
	lapic_start_ap(apic_id, TRAMP_BASE >> 12);
	for (int ms = 0; ms < 1000 && !ap_alive; ms++)
		udelay(1000);
	if (ap_alive)
		return true;
	pr_err("smpboot: CPU %u (APIC %#x) did not answer the STARTUP IPIs within 1 s: left out\n",
	       cpu, apic_id);
	__free_pages(stack, AP_STACK_ORDER);
	return false;
}

void smp_boot_cpus(void)
{
	unsigned bsp = lapic_id(), next = 1;

	cpu_locals[0].online = true;
	if (!lapic_present || !smp_find_config()) {
		pr_info("smp: no local APIC or no processor table: running on the boot CPU only\n");
		pr_info("smp: Brought up 1 node, 1 CPU\n");
		return;
	}
	prepare_trampoline();
	pr_info("x86: Booting SMP configuration:\n");
	for (unsigned i = 0; i < smp_config.nr_cpus; i++) {
		unsigned id = smp_config.apic_ids[i];
		if (id == bsp)
			continue;
		if (next >= NR_CPUS)
			break;
		if (start_one(next, id))
			next++;
	}
	pr_info("smp: Brought up 1 node, %u CPU%s\n", nr_cpus_online, nr_cpus_online > 1 ? "s" : "");
}
