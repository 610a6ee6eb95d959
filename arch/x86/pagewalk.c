/* pagewalk.c - what the monitor shows about the CPU: the PAE walk of an
 * address through swapper_pg_dir, the CPU, and TLB flush counts. Reading
 * page-table pages through the direct map is safe: they are all lowmem. */
#include "cpu.h"
#include "highmem.h"
#include "machine.h"
#include "mm.h"
#include "percpu.h"
#include "pgtable.h"
#include "sched.h"
#include "smp.h"
#include "printk.h"
#include "x86.h"


static void show_flags(const char *level, unsigned idx, u64 e)
{
	printk("  %-4s[%3u] = %016llx  %s%s%s%s%s%s%s%s\n", level, idx, e,
	       e & _PAGE_PRESENT ? "present" : "not-present",
	       e & _PAGE_RW ? " rw" : (e & _PAGE_PRESENT ? " ro" : ""),
	       e & _PAGE_USER ? " user" : "", e & _PAGE_ACCESSED ? " accessed" : "",
	       e & _PAGE_DIRTY ? " dirty" : "", e & _PAGE_PSE ? " 2M-page" : "",
	       e & _PAGE_GLOBAL ? " global" : "", e & _PAGE_NX ? " nx" : "");
}

void machine_show_pagewalk(unsigned long va)
{
	printk("pagewalk %#010lx: CR3 %#010x -> PGD (PDPT) %p\n", va, read_cr3(), swapper_pg_dir);
	pgd_t pgd = swapper_pg_dir[pgd_index(va)];
	/* PAE PDPT entries have only P (and cache bits): no RW/NX to show. */
	printk("  PGD [%3u] = %016llx  %s\n", (unsigned)pgd_index(va), pgd,
	       pgd & _PAGE_PRESENT ? "present" : "not-present");
	if (!(pgd & _PAGE_PRESENT)) {
		printk("  walk stops at the PGD: nothing maps %#010lx (user space has no mappings)\n", va);
		return;
	}
	pmd_t pmd = ((pmd_t *)__va(pte_phys(pgd)))[pmd_index(va)];
	show_flags("PMD", (unsigned)pmd_index(va), pmd);
	if (!(pmd & _PAGE_PRESENT)) {
		printk("  walk stops at the PMD: no page table for %#010lx\n", va);
		return;
	}
	if (pmd & _PAGE_PSE) {
		phys_addr_t pa = (pmd & PTE_PFN_MASK & ~(phys_addr_t)(PMD_SIZE - 1)) + (va & (PMD_SIZE - 1));
		printk("  2 MB page: %#010lx -> physical %#llx (pfn %#llx)\n", va, pa, pa >> PAGE_SHIFT);
		return;
	}
	pte_t pte = ((pte_t *)__va(pte_phys(pmd)))[pte_index(va)];
	show_flags("PTE", (unsigned)pte_index(va), pte);
	if (!(pte & _PAGE_PRESENT)) {
		printk("  walk stops at the PTE: %#010lx is not mapped\n", va);
		return;
	}
	phys_addr_t pa = pte_phys(pte) + (va & (PAGE_SIZE - 1));
	printk("  4 KB page: %#010lx -> physical %#llx (pfn %#llx%s)\n", va, pa, pa >> PAGE_SHIFT,
	       (pa >> PAGE_SHIFT) >= max_low_pfn ? ", highmem" : "");
}

void machine_show_cpus(void)
{
	const struct cpuinfo *c = &boot_cpu;

	printk("%u CPU(s) online, found in the %s; boot CPU: %s %s\n", nr_cpus_online,
	       smp_config.source, c->vendor, c->model_name);
	printk("  family %#x model %#x stepping %#x, TSC %u kHz\n", c->family, c->model, c->stepping,
	       clock_tsc_khz());
	printk("  pae%s%s%s%s, physical address bits %u, CR4 %#x\n", c->pse ? " pse" : "",
	       c->pse36 ? " pse36" : "", c->pge ? " pge" : "", c->nx ? " nx" : "", c->phys_bits,
	       read_cr4());
	printk("  CPU  APIC  online  interrupts  kmap_atomic slots in use  current task\n");
	for (unsigned i = 0; i < NR_CPUS; i++) {
		char task[TASK_COMM_LEN + 16], slots[16];
		if (!cpu_locals[i].online)
			continue;
		sched_describe_cpu(i, task, sizeof(task));
		snprintf(slots, sizeof(slots), "%d of %d", kmap_ctrl[i].idx, KM_MAX_IDX);
		printk("  %3u  %4u  %6s  %10lu  %-24s  %s\n", i, cpu_locals[i].apic_id, "yes",
		       cpu_locals[i].irq_count, slots, task);
	}
}

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
	machine_triple_fault();
}
