/* smpboot.c - waking the application processors, one at a time:
 * copy the trampoline below 1 MB, fill in its data (page tables, stack,
 * entry point, CPU number), send INIT-SIPI-SIPI, and wait for the AP to
 * report in. An AP that does not answer within a second is given up on and
 * left out - safely: its start is withdrawn with the same lock cmpxchg the
 * AP uses to claim it (boot/trampoline.asm), so an AP that answers later
 * finds it withdrawn and parks in the trampoline page without touching the
 * stack freed here. Only when the withdrawal succeeded is the stack freed;
 * an AP that claimed its start is waited for, and if it still never reports,
 * its stack is left allocated rather than freed under it. */
#include "apic.h"
#include "arch.h"
#include "cmdline.h"
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

struct tr_data { u32 cr3, cr4, nx, stack, entry, cpu, claim, hold, parked; };
#define TR_CLAIMED 0x80000000u /* tr_claim: the AP took its start */
#define CLAIMED_WAIT_MS 10000  /* an AP that claimed may still be slow: wait this long */

extern const u8 trampoline_start[], trampoline_end[], tr_data[];
unsigned nr_cpus_online = 1;
struct smpboot_late_ap smpboot_late_ap;
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

static volatile struct tr_data *trampoline_data(void)
{
	return __va(TRAMP_BASE + (u32)(tr_data - trampoline_start));
}

/* A deadline on the clock, not a count of udelay(1000)s: those overshoot
 * when the host is busy, and 1000 of them made "1 s" last 5. */
static bool wait_alive(unsigned ms)
{
	u64 end = arch_clock_ns() + (u64)ms * 1000000;

	while (!ap_alive && arch_clock_ns() < end)
		arch_cpu_relax();
	return ap_alive;
}

/* Withdraw the start offered to apic_id; false if the AP claimed it first. */
static bool withdraw_start(unsigned apic_id)
{
	u32 expect = apic_id + 1;

	return __atomic_compare_exchange_n(&trampoline_data()->claim, &expect, 0, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static bool wait_parked(unsigned apic_id)
{
	u64 end = arch_clock_ns() + 1000000000ull;

	while (trampoline_data()->parked != apic_id + 1 && arch_clock_ns() < end)
		arch_cpu_relax();
	return trampoline_data()->parked == apic_id + 1;
}

/* The test's late AP: after its stack was freed, take the same pages back
 * and fill them; once the AP has parked, they must be untouched. */
static void late_ap_check(unsigned cpu, unsigned apic_id, struct page *freed)
{
	volatile struct tr_data *d = trampoline_data();
	struct page *again = alloc_pages(GFP_KERNEL, AP_STACK_ORDER);
	u32 *w = again ? page_address(again) : NULL;
	const unsigned n = (PAGE_SIZE << AP_STACK_ORDER) / 4;

	for (unsigned i = 0; w && i < n; i++)
		w[i] = 0x1a7eca11u ^ i;
	d->hold = 0;
	smpboot_late_ap.parked = wait_parked(apic_id);
	smpboot_late_ap.reused = again == freed;
	smpboot_late_ap.untouched = w != NULL;
	for (unsigned i = 0; w && i < n; i++)
		if (w[i] != (0x1a7eca11u ^ i))
			smpboot_late_ap.untouched = false;
	pr_info("smpboot: CPU %u (APIC %#x) %s; its freed stack %s, %s\n", cpu, apic_id,
		smpboot_late_ap.parked ? "answered after it was given up on and parked itself"
				       : "never reported that it parked",
		smpboot_late_ap.reused ? "was allocated again and filled" : "was not handed out again",
		smpboot_late_ap.untouched ? "and nothing wrote to it" : "AND WAS WRITTEN TO");
	if (again)
		__free_pages(again, AP_STACK_ORDER);
}

/* Fill the trampoline's data for one AP (the claim last: it opens the start). */
static void offer_start(unsigned cpu, unsigned apic_id, struct page *stack, bool hold)
{
	volatile struct tr_data *d = trampoline_data();

	d->cr3 = (u32)__pa(tramp_pgd);
	d->cr4 = read_cr4();
	d->nx = boot_cpu.nx;
	d->stack = (u32)page_address(stack) + (PAGE_SIZE << AP_STACK_ORDER);
	d->entry = (u32)ap_entry;
	d->cpu = cpu;
	d->hold = hold;
	ap_alive = false;
	cpu_locals[cpu].stack_bottom = page_address(stack);
	__atomic_store_n(&d->claim, apic_id + 1, __ATOMIC_SEQ_CST);
}

enum start_result { AP_STARTED, AP_LEFT_OUT, AP_LOST };

/* AP_LOST: the AP took its start and went silent. It may still read the
 * trampoline's data and run as CPU `cpu`, so neither may be reused. */
static enum start_result start_one(unsigned cpu, unsigned apic_id, bool hold)
{
	struct page *stack = alloc_pages(GFP_KERNEL, AP_STACK_ORDER);

	if (!stack) {
		pr_err("smpboot: no memory for CPU %u's stack: left out\n", cpu);
		return AP_LEFT_OUT;
	}
	offer_start(cpu, apic_id, stack, hold);
	pr_info("smpboot: Booting Node 0 Processor %u APIC %#x%s\n", cpu, apic_id,
		hold ? " (smpboot_test=late_ap: held in the trampoline past the timeout)" : "");
	lapic_start_ap(apic_id, TRAMP_BASE >> 12);
	if (wait_alive(1000))
		return AP_STARTED;
	if (withdraw_start(apic_id)) {
		pr_err("smpboot: CPU %u (APIC %#x) did not answer the STARTUP IPIs within 1 s: "
		       "gave up on it (its start is withdrawn: if it answers later, it parks)\n",
		       cpu, apic_id);
		cpu_locals[cpu].stack_bottom = NULL;
		__free_pages(stack, AP_STACK_ORDER);
		smpboot_late_ap.given_up++;
		if (hold)
			late_ap_check(cpu, apic_id, stack);
		return AP_LEFT_OUT;
	}
	/* It claimed its start just now: it runs on this stack, so wait for it. */
	if (wait_alive(CLAIMED_WAIT_MS)) {
		pr_warn("smpboot: CPU %u (APIC %#x) answered after the 1 s timeout\n", cpu, apic_id);
		return AP_STARTED;
	}
	pr_err("smpboot: CPU %u (APIC %#x) took its start but never reported in: left out, "
	       "its %lu KB stack stays allocated (it may still be running on it), and no "
	       "further CPU is started (it may still read the trampoline's data)\n", cpu,
	       apic_id, (PAGE_SIZE << AP_STACK_ORDER) / 1024);
	smpboot_late_ap.given_up++;
	return AP_LOST;
}

/* smpboot_test=late_ap: hold CPU 1 in the trampoline past the timeout. */
static void late_ap_option(void)
{
	char v[16];

	if (cmdline_get_str("smpboot_test", v, sizeof(v)) < 0)
		return;
	if (strcmp(v, "late_ap") == 0)
		smpboot_late_ap.requested = true;
	else
		pr_err("smpboot_test=%s: unknown test (the one there is: late_ap): ignored\n", v);
}

void smp_boot_cpus(void)
{
	unsigned bsp = lapic_id(), next = 1;
	bool held = false;

	cpu_locals[0].online = true;
	if (!lapic_present || !smp_find_config()) {
		pr_info("smp: no local APIC or no processor table: running on the boot CPU only\n");
		pr_info("smp: Brought up 1 node, 1 CPU\n");
		return;
	}
	prepare_trampoline();
	late_ap_option();
	pr_info("x86: Booting SMP configuration:\n");
	for (unsigned i = 0; i < smp_config.nr_cpus; i++) {
		unsigned id = smp_config.apic_ids[i];
		if (id == bsp)
			continue;
		if (next >= NR_CPUS)
			break;
		bool hold = smpboot_late_ap.requested && !held; /* the first AP only */
		held |= hold;
		enum start_result r = start_one(next, id, hold);
		if (r == AP_STARTED)
			next++;
		else if (r == AP_LOST)
			break;
	}
	unsigned parked = trampoline_data()->parked;
	if (parked && !smpboot_late_ap.requested)
		pr_warn("smpboot: the CPU with APIC %#x answered after it was given up on and "
			"parked itself\n", parked - 1);
	pr_info("smp: Brought up 1 node, %u CPU%s\n", nr_cpus_online, nr_cpus_online > 1 ? "s" : "");
}
