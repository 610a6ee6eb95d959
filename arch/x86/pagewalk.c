/* pagewalk.c - what the monitor shows about the CPU: the PAE walk of an
 * address in the address space this CPU has loaded (through pt_walk, the
 * same walker everything uses), and the CPUs. */
#include "cpu.h"
#include "highmem.h"
#include "machine.h"
#include "mm.h"
#include "percpu.h"
#include "mm_types.h"
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

/* The walk of va in mm, as the MMU does it, each level's entry decoded
 * (pt_walk: the one walker, which maps a HIGHMEM PTE page to read it). */
void show_pagewalk(struct mm_struct *mm, unsigned long va)
{
	struct pt_walk w;
	bool mapped = pt_walk(mm, va, &w);

	printk("pagewalk %#010lx: CR3 %#010x -> PGD (PDPT) at physical 0x%08llx%s\n", va, read_cr3(),
	       w.table_pa[0], mm == &init_mm ? " (swapper_pg_dir)" : "");
	/* PAE PDPT entries have only P (and cache bits): no RW/NX to show. */
	printk("  PGD [%3u] = %016llx  %s\n", (unsigned)pgd_index(va), pgd_val(w.pgd),
	       pgd_present(w.pgd) ? "present" : "not-present");
	if (w.level == 1) {
		printk("  walk stops at the PGD: nothing maps %#010lx\n", va);
		return;
	}
	show_flags("PMD", (unsigned)pmd_index(va), pmd_val(w.pmd));
	if (w.level == 2 && !mapped) {
		printk("  walk stops at the PMD: no page table for %#010lx\n", va);
		return;
	}
	if (w.large) {
		printk("  2 MB page: %#010lx -> physical %#llx (pfn %#llx)\n", va, w.pa, w.pa >> PAGE_SHIFT);
		return;
	}
	show_flags("PTE", (unsigned)pte_index(va), pte_val(w.pte));
	if (!mapped) {
		printk("  walk stops at the PTE: %#010lx is not mapped\n", va);
		return;
	}
	printk("  4 KB page: %#010lx -> physical %#llx (pfn %#llx%s)\n", va, w.pa, w.pa >> PAGE_SHIFT,
	       (w.pa >> PAGE_SHIFT) >= max_low_pfn ? ", highmem" : "");
}

void machine_show_pagewalk(unsigned long va)
{
	struct mm_struct *mm = current_active_mm();

	show_pagewalk(mm ? mm : &init_mm, va);
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

