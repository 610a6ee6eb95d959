/* tlb.c - TLB flushes, local and on every CPU (shootdown).
 *
 * A kernel mapping that other CPUs may have cached (vmalloc, pkmap) must be
 * flushed on all of them before its virtual range is reused. The initiator
 * flushes locally, asks every other online CPU through an IPI, and waits
 * for each to acknowledge. While it waits - for the shootdown lock or for
 * acks - it also serves requests aimed at itself, so two CPUs shooting at
 * each other at once cannot deadlock. Callers must not hold a spinlock that
 * another CPU may be spinning on with interrupts off (as in Linux). */
#include "apic.h"
#include "arch.h"
#include "percpu.h"
#include "pgtable.h"
#include "printk.h"
#include "smp.h"
#include "spinlock.h"
#include "x86.h"

#define FLUSH_ALL_PAGES 32 /* beyond this, flush everything (Linux's ceiling) */

struct tlb_stats {
	unsigned long full, ranges, range_pages, shootdowns_sent, shootdowns_received;
};
static struct tlb_stats stats[NR_CPUS];

static DEFINE_SPINLOCK(shoot_lock);
static volatile unsigned long shoot_start, shoot_end;
static volatile int shoot_pending;
static volatile bool shoot_req[NR_CPUS];

void flush_tlb_one_kernel(unsigned long va) { invlpg(va); }

void flush_tlb_all_local(void)
{
	u32 cr4 = read_cr4();

	stats[arch_cpu_id()].full++;
	if (cr4 & (1u << 7)) { /* toggling PGE drops global entries too */
		write_cr4(cr4 & ~(1u << 7));
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

static void flush_local(unsigned long start, unsigned long end)
{
	struct tlb_stats *s = &stats[arch_cpu_id()];

	if ((end - start) >> PAGE_SHIFT > FLUSH_ALL_PAGES) {
		flush_tlb_all_local();
		return;
	}
	s->ranges++;
	s->range_pages += (end - start) >> PAGE_SHIFT;
	for (unsigned long va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		invlpg(va);
}

/* Do the flush another CPU asked this one for, if any. */
static void serve_shootdown(void)
{
	unsigned cpu = arch_cpu_id();

	if (!shoot_req[cpu])
		return;
	flush_local(shoot_start, shoot_end);
	stats[cpu].shootdowns_received++;
	shoot_req[cpu] = false;
	__atomic_fetch_sub(&shoot_pending, 1, __ATOMIC_SEQ_CST);
}

static void shootdown_irq(struct trap_frame *f)
{
	(void)f;
	serve_shootdown();
}

void arch_flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	unsigned me = arch_cpu_id();

	flush_local(start, end);
	if (nr_cpus_online <= 1)
		return;
	while (!spin_trylock(&shoot_lock))
		serve_shootdown();
	shoot_start = start;
	shoot_end = end;
	int n = 0;
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (c != me && cpu_locals[c].online) {
			shoot_req[c] = true;
			n++;
		}
	__atomic_store_n(&shoot_pending, n, __ATOMIC_SEQ_CST);
	stats[me].shootdowns_sent++;
	lapic_send_ipi_allbutself(TLB_SHOOTDOWN_VECTOR);
	while (__atomic_load_n(&shoot_pending, __ATOMIC_SEQ_CST))
		serve_shootdown();
	spin_unlock(&shoot_lock);
}

void flush_tlb_all(void) { arch_flush_tlb_kernel_range(0, ~0UL); }

void tlb_init(void) { set_irq_handler(TLB_SHOOTDOWN_VECTOR, shootdown_irq); }

void machine_show_tlb(void)
{
	printk("TLB flushes per CPU (full = CR4.PGE toggle; ranges = invlpg loops):\n");
	printk("  CPU       full     ranges      pages  shootdowns-sent  shootdowns-received\n");
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!cpu_locals[c].online)
			continue;
		struct tlb_stats *s = &stats[c];
		printk("  %3u %10lu %10lu %10lu %16lu %20lu\n", c, s->full, s->ranges, s->range_pages,
		       s->shootdowns_sent, s->shootdowns_received);
	}
}

unsigned long tlb_shootdowns_received(unsigned cpu) { return stats[cpu].shootdowns_received; }
