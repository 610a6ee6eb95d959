/* tlb.c - TLB flushes, local and on other CPUs (shootdown), and switch_mm.
 *
 * Kernel mappings are global (_PAGE_GLOBAL) and the same in every address
 * space, so a kernel flush (vmalloc, pkmap) goes to every online CPU. A user
 * mapping can be cached only by a CPU that has its mm loaded: such CPUs are
 * in the mm's cpu set (mm_cpumask), which switch_mm keeps, and a per-mm flush
 * sends IPIs to them alone. A CPU that left the mm reloaded CR3, which
 * dropped every non-global entry, so it has nothing of the mm to flush.
 *
 * The initiator flushes locally, asks each target CPU through an IPI, and
 * waits for each to acknowledge. While it waits - for the shootdown lock or
 * for acks - it also serves requests aimed at itself, so two CPUs shooting
 * at each other at once cannot deadlock. Callers must not hold a spinlock
 * that another CPU may be spinning on with interrupts off (as in Linux). */
#include "apic.h"
#include "arch.h"
#include "mm_types.h"
#include "percpu.h"
#include "pgtable.h"
#include "printk.h"
#include "smp.h"
#include "spinlock.h"
#include "x86.h"

#define FLUSH_ALL_PAGES 32 /* beyond this, flush everything (Linux's ceiling) */
#define CR4_PGE (1u << 7)

struct tlb_stats {
	unsigned long full, ranges, range_pages, shootdowns_sent, shootdowns_received;
	unsigned long mm_flushes, mm_ipis_received;
};
static struct tlb_stats stats[NR_CPUS];

/* One request at a time, under shoot_lock: a range of the kernel (mm NULL)
 * or of one mm, for the CPUs whose shoot_req is set. */
static DEFINE_SPINLOCK(shoot_lock);
static struct mm_struct *volatile shoot_mm;
static volatile unsigned long shoot_start, shoot_end;
static volatile int shoot_pending;
static volatile bool shoot_req[NR_CPUS];
static volatile int shoot_waker = -1; /* the initiator's APIC id while it waits in hlt */

struct mm_struct *current_active_mm(void) { return this_cpu()->loaded_mm; }

/* Drop the whole TLB, global (kernel) entries too: toggling CR4.PGE. */
void flush_tlb_all_local(void)
{
	u32 cr4 = read_cr4();

	stats[arch_cpu_id()].full++;
	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

/* Flush [start, end) here: a CR3 reload drops non-global entries only, so
 * it serves a user range; a kernel range beyond the ceiling takes a full
 * flush. */
static void flush_local(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct tlb_stats *s = &stats[arch_cpu_id()];

	if ((end - start) >> PAGE_SHIFT > FLUSH_ALL_PAGES) {
		if (mm) {
			s->full++;
			write_cr3(read_cr3());
		} else {
			flush_tlb_all_local();
		}
		return;
	}
	s->ranges++;
	s->range_pages += (end - start) >> PAGE_SHIFT;
	for (unsigned long va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		invlpg(va);
}

/* Do the flush another CPU asked this one for, if any. A user flush for an
 * mm this CPU no longer has loaded needs nothing: its CR3 load did it.
 * Called from the IPI handler and from the wait loops below, so interrupts
 * are off while a request is served: otherwise the IPI could arrive between
 * the test and the clear, serve the request again and count it twice,
 * letting the initiator go on before every CPU has flushed. */
static void serve_shootdown(void)
{
	unsigned cpu = arch_cpu_id();

	if (!__atomic_load_n(&shoot_req[cpu], __ATOMIC_ACQUIRE))
		return;
	unsigned long f = arch_irq_save();
	if (shoot_req[cpu]) {
		if (!shoot_mm || shoot_mm == this_cpu()->loaded_mm)
			flush_local(shoot_mm, shoot_start, shoot_end);
		if (shoot_mm)
			stats[cpu].mm_ipis_received++;
		else
			stats[cpu].shootdowns_received++;
		shoot_req[cpu] = false;
		int waker = shoot_waker; /* read before the last answer lets it go */
		if (__atomic_sub_fetch(&shoot_pending, 1, __ATOMIC_SEQ_CST) == 0)
			smp_answer_ipi(waker, TLB_SHOOTDOWN_VECTOR);
	}
	arch_irq_restore(f);
}

static bool shoot_answered(void)
{
	return !__atomic_load_n(&shoot_pending, __ATOMIC_SEQ_CST);
}

static void shootdown_irq(struct trap_frame *f)
{
	(void)f;
	serve_shootdown();
}

/* Flush [start, end) of mm (NULL: the kernel) on this CPU and on the other
 * CPUs in `targets`, waiting for each. */
static void shootdown(struct mm_struct *mm, unsigned long targets, unsigned long start,
		      unsigned long end)
{
	unsigned me = arch_cpu_id();

	if (targets & (1ul << me))
		flush_local(mm, start, end);
	targets &= ~(1ul << me);
	if (!targets || nr_cpus_online <= 1)
		return;
	while (!spin_trylock(&shoot_lock)) {
		serve_shootdown();
		arch_cpu_relax(); /* pause: a spinning vCPU slows the one it waits for */
	}
	shoot_mm = mm;
	shoot_start = start;
	shoot_end = end;
	/* The count is set before any request is raised: a target that is
	 * itself waiting for shoot_lock serves its request at once, and its
	 * decrement must not be overwritten by the count. */
	unsigned long to = 0;
	int n = 0;
	for (unsigned c = 0; c < NR_CPUS; c++)
		if ((targets & (1ul << c)) && cpu_locals[c].online) {
			to |= 1ul << c;
			n++;
		}
	shoot_waker = smp_waker_id();
	__atomic_store_n(&shoot_pending, n, __ATOMIC_SEQ_CST);
	stats[me].shootdowns_sent++;
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (to & (1ul << c)) {
			__atomic_store_n(&shoot_req[c], true, __ATOMIC_SEQ_CST);
			lapic_send_ipi(cpu_locals[c].apic_id, TLB_SHOOTDOWN_VECTOR);
		}
	smp_wait_answers(shoot_answered, serve_shootdown);
	shoot_waker = -1;
	spin_unlock(&shoot_lock);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	shootdown(NULL, ~0ul, start, end);
}

void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	mm->flush_count++;
	stats[arch_cpu_id()].mm_flushes++;
	shootdown(mm, __atomic_load_n(mm_cpumask(mm), __ATOMIC_SEQ_CST), start, end);
}

void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr)
{
	flush_tlb_range(vma, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE);
}

void flush_tlb_mm(struct mm_struct *mm)
{
	struct vm_area_struct whole = { .vm_mm = mm, .vm_start = 0, .vm_end = PAGE_OFFSET };

	flush_tlb_range(&whole, 0, PAGE_OFFSET);
}

/* The CPU joins next's set before its CR3 load (a flush sent meanwhile
 * reaches it) and leaves prev's after (the load dropped prev's entries). */
void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	unsigned long bit = 1ul << arch_cpu_id();

	if (prev == next)
		return;
	__atomic_or_fetch(mm_cpumask(next), bit, __ATOMIC_SEQ_CST);
	write_cr3((u32)__pa(next->pgd));
	this_cpu()->loaded_mm = next;
	__atomic_and_fetch(mm_cpumask(prev), ~bit, __ATOMIC_SEQ_CST);
}

void tlb_init(void) { set_irq_handler(TLB_SHOOTDOWN_VECTOR, shootdown_irq); }

void machine_show_tlb(void)
{
	printk("TLB flushes per CPU (full = CR4.PGE toggle or CR3 reload; ranges = invlpg loops;\n"
	       "kernel shootdowns go to every CPU, mm flushes only to CPUs that have the mm loaded):\n");
	printk("  CPU       full     ranges      pages  shootdowns-sent  shootdowns-received"
	       "  mm-flushes  mm-ipis-received\n");
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!cpu_locals[c].online)
			continue;
		struct tlb_stats *s = &stats[c];
		printk("  %3u %10lu %10lu %10lu %16lu %20lu %11lu %17lu\n", c, s->full, s->ranges,
		       s->range_pages, s->shootdowns_sent, s->shootdowns_received, s->mm_flushes,
		       s->mm_ipis_received);
	}
}

unsigned long tlb_mm_ipis_received(unsigned cpu) { return stats[cpu].mm_ipis_received; }

void tlb_shootdown_counts(unsigned cpu, unsigned long *sent, unsigned long *received)
{
	*sent = stats[cpu].shootdowns_sent;
	*received = stats[cpu].shootdowns_received;
}
