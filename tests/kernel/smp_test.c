/* smp_test.c - the processors: every CPU the firmware lists is online with
 * its own per-CPU block, IPIs reach each of them, and a kernel mapping
 * changed on one CPU is not seen stale on another after a shootdown, and
 * every CPU shooting and calling at once neither hangs nor serves a request
 * twice. */
#include "arch.h"
#include "gfp.h"
#include "highmem.h"
#include "kstring.h"
#include "ktest.h"
#include "layout.h"
#include "percpu.h"
#include "pgtable.h"
#include "sched.h"
#include "smp.h"

static void record_cpu(void *arg) { ((unsigned *)arg)[arch_cpu_id()] = arch_cpu_id() + 100; }

static void test_all_cpus_online(struct ktest *t)
{
	unsigned listed = smp_config.nr_cpus ? MIN(smp_config.nr_cpus, NR_CPUS) : 1;

	/* smpboot_test=late_ap leaves CPU 1 out on purpose; nothing else may. */
	KTEST_EXPECT_EQ(t, nr_cpus_online, listed - (smpboot_late_ap.requested && listed > 1));
	KTEST_EXPECT_EQ(t, arch_cpu_id(), 0);
	KTEST_EXPECT_EQ(t, (unsigned long)this_cpu(), (unsigned long)&cpu_locals[0]);
}

static void test_ipi_reaches_every_cpu(struct ktest *t)
{
	unsigned seen[NR_CPUS] = { 0 };

	for (unsigned c = 0; c < NR_CPUS; c++)
		if (cpu_locals[c].online)
			KTEST_EXPECT_EQ(t, smp_call_on_cpu(c, record_cpu, seen), 0);
	for (unsigned c = 0; c < NR_CPUS; c++)
		KTEST_EXPECT_EQ(t, seen[c], cpu_locals[c].online ? c + 100 : 0);
	KTEST_EXPECT_EQ(t, smp_call_on_cpu(NR_CPUS, record_cpu, seen), -1);
}

/* The probe: read the word at the test address on whichever CPU runs it. */
static volatile u32 *probe_va;
static u32 probe_seen;
static void probe(void *arg) { (void)arg; probe_seen = *probe_va; }

static void test_shootdown_reaches_other_cpus(struct ktest *t)
{
	unsigned other = 1;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "one CPU: boot with -smp 2 or more");
	struct page *a = alloc_page(GFP_KERNEL), *b = alloc_page(GFP_KERNEL);
	if (!a || !b) {
		if (a)
			__free_page(a);
		if (b)
			__free_page(b);
		KTEST_ALLOC_FAILED(t, "a page");
	}
	*(u32 *)page_address(a) = 0xaaaa0001;
	*(u32 *)page_address(b) = 0xbbbb0002;
	/* A page of vmalloc space nobody uses: its page table exists already. */
	unsigned long va = VMALLOC_END - 16 * PAGE_SIZE;
	probe_va = (volatile u32 *)va;
	pte_t *pte = virt_to_kpte(va);
	set_pte_at(&init_mm, va, pte, mk_pte(a, PAGE_KERNEL));
	smp_call_on_cpu(other, probe, NULL); /* the other CPU caches va -> a */
	KTEST_EXPECT_EQ(t, probe_seen, 0xaaaa0001);
	pte_clear(&init_mm, va, pte);
	set_pte_at(&init_mm, va, pte, mk_pte(b, PAGE_KERNEL));
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
	smp_call_on_cpu(other, probe, NULL);
	KTEST_EXPECT_EQ(t, probe_seen, 0xbbbb0002); /* not the stale a */
	pte_clear(&init_mm, va, pte);
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
	__free_page(a);
	__free_page(b);
}

/* Every CPU at once: kernel shootdowns (each CPU waits for shoot_lock while
 * the others shoot, serving their requests meanwhile) and calls to the next
 * CPU. Each request must be served exactly once: a request served both by
 * a wait loop and by its IPI counted twice (and let the initiator go on
 * early), and one raised before the count was set was lost (a hang). */
#define STORM_ROUNDS 100
static unsigned storm_calls[NR_CPUS];
static void storm_call(void *arg) { (void)arg; storm_calls[arch_cpu_id()]++; }

static int storm_worker(void *arg)
{
	unsigned me = (unsigned)(unsigned long)arg, next = me;
	unsigned long va = VMALLOC_END - 15 * PAGE_SIZE; /* nothing mapped there */

	do /* the next online CPU after me */
		next = (next + 1) % NR_CPUS;
	while (!cpu_locals[next].online);
	for (int i = 0; i < STORM_ROUNDS; i++) {
		flush_tlb_kernel_range(va, va + PAGE_SIZE);
		if (smp_call_on_cpu(next, storm_call, NULL))
			return 1;
	}
	return 0;
}

static void test_shootdown_storm_served_once(struct ktest *t)
{
	struct task *th[NR_CPUS];
	unsigned long sent0 = 0, recv0 = 0, sent = 0, recv = 0, s, r;
	unsigned n = 0, cpus = 0;
	unsigned long halts = smp_answer_halts;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "one CPU: boot with -smp 2 or more");
	for (unsigned c = 0; c < NR_CPUS; c++) {
		storm_calls[c] = 0;
		if (!cpu_locals[c].online)
			continue;
		tlb_shootdown_counts(c, &s, &r);
		sent0 += s;
		recv0 += r;
	}
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!cpu_locals[c].online)
			continue;
		cpus++;
		int retries = 0; /* a stack allocation failed by injection is tried again */
		while (!(th[n] = kthread_create_on_cpu(storm_worker, (void *)(unsigned long)c, c,
						       "storm-%u", c)) &&
		       ktest_injected(t) && retries++ < 1000)
			;
		if (th[n])
			wake_up_process(th[n++]);
	}
	KTEST_ASSERT_EQ(t, n, cpus); /* a thread per CPU, or the counts below mean less */
	for (unsigned i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_join(th[i]), 0);
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (!cpu_locals[c].online)
			continue;
		tlb_shootdown_counts(c, &s, &r);
		sent += s;
		recv += r;
		KTEST_EXPECT_EQ(t, storm_calls[c], STORM_ROUNDS); /* the previous CPU's calls, once each */
	}
	/* Others may shoot meanwhile too, but every shootdown reaches every other CPU once. */
	KTEST_EXPECT_GE(t, sent - sent0, (unsigned long)n * STORM_ROUNDS);
	KTEST_EXPECT_EQ(t, recv - recv0, (sent - sent0) * (cpus - 1));
	/* The workers wait with interrupts on: in hlt, woken by the last answer
	 * (smp_call.c), not spinning; a lost wake-up would have hung above. */
	KTEST_EXPECT_GT(t, smp_answer_halts, halts);
}

/* smpboot_test=late_ap: CPU 1 was held in the trampoline until the boot CPU
 * had given up on it, freed its stack and handed the pages out again (filled
 * with a pattern). Released, it must have found its start withdrawn and
 * parked without writing to that memory (issue 20: a late AP used to run on
 * its freed stack and overwrite whatever lived there). */
static void test_late_ap_parked_safely(struct ktest *t)
{
	if (!smpboot_late_ap.requested)
		KTEST_SKIP(t, "boot with smpboot_test=late_ap (and -smp 2 or more)");
	if (smp_config.nr_cpus < 2)
		KTEST_SKIP(t, "smpboot_test=late_ap needs a second CPU");
	KTEST_EXPECT_EQ(t, smpboot_late_ap.given_up, 1);
	KTEST_EXPECT_TRUE(t, smpboot_late_ap.parked);
	KTEST_EXPECT_TRUE(t, smpboot_late_ap.reused);    /* else the next check proves nothing */
	KTEST_EXPECT_TRUE(t, smpboot_late_ap.untouched);
}

static struct ktest_case smp_cases[] = {
	KTEST_CASE(test_all_cpus_online),
	KTEST_CASE(test_ipi_reaches_every_cpu),
	KTEST_CASE(test_shootdown_reaches_other_cpus),
	KTEST_CASE(test_shootdown_storm_served_once),
	KTEST_CASE(test_late_ap_parked_safely),
	{ 0 },
};
KTEST_SUITE(smp, smp_cases);
