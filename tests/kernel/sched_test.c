/* sched_test.c - kernel threads and the scheduler: join and exit codes,
 * placement, round-robin fairness under preemption, msleep, yield,
 * preempt_disable, and kmap_local mappings that follow their task across
 * context switches. */
#include "apic.h"
#include "highmem.h"
#include "ktest.h"
#include "mmzone.h"
#include "pit.h"
#include "sched_test_util.h"

static int return_arg(void *arg) { return (int)(unsigned long)arg; }

static void exit_deep(int code) { kthread_exit(code); }
static int exit_early(void *arg)
{
	exit_deep((int)(unsigned long)arg);
	return -1; /* not reached */
}

static void test_join_returns_exit_code(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	struct task *a = kthread_run(return_arg, (void *)42ul, "ret42");
	struct task *b = kthread_run(exit_early, (void *)7ul, "exit7");

	if (!a || !b) {
		if (a)
			kthread_join(a);
		if (b)
			kthread_join(b);
		KTEST_ALLOC_FAILED(t, "a thread");
	}
	KTEST_EXPECT_EQ(t, kthread_join(a), 42);
	KTEST_EXPECT_EQ(t, kthread_join(b), 7);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before); /* both stacks given back */
}

static int where_am_i(void *arg)
{
	(void)arg;
	msleep(20); /* all of them alive at once, so placement sees the load */
	return (int)arch_cpu_id();
}

static void test_threads_spread_over_cpus(struct ktest *t)
{
	unsigned n = 2 * test_nr_cpus(), used = 0;
	struct task *th[2 * NR_CPUS];
	bool seen[NR_CPUS] = { false };

	for (unsigned i = 0; i < n; i++) {
		th[i] = kthread_run(where_am_i, NULL, "where/%u", i);
		if (!th[i]) {
			while (i-- > 0)
				kthread_join(th[i]);
			KTEST_ALLOC_FAILED(t, "th[i]");
		}
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned placed = th[i]->cpu;
		int ran = kthread_join(th[i]);
		KTEST_EXPECT_EQ(t, ran, placed); /* a task never leaves its CPU */
		if (!seen[ran])
			used++;
		seen[ran] = true;
	}
	KTEST_EXPECT_EQ(t, used, test_nr_cpus()); /* every CPU got some */
}

static volatile bool spin_stop;
static int spinner(void *arg)
{
	volatile unsigned long *loops = arg;

	while (!spin_stop)
		(*loops)++;
	return 0;
}

/* Three busy threads that never yield, on one CPU: only the tick's
 * preemption lets them take turns, and each gets a fair share. The share
 * is judged in ticks, the scheduler's own measure: each thread's count is
 * within two timeslices of the others'. Loop counts only show that each
 * ran: a host that stalls the virtual CPU during one thread's slice (two
 * QEMUs on a 2-core CI machine) shortens that slice's loops, not its tick,
 * and once gave one thread a third of another's loops. */
static void test_fairness_round_robin(struct ktest *t)
{
	enum { N = 3 };
	volatile unsigned long loops[N] = { 0 };
	struct task *th[N];
	unsigned long ticks[N], min = ~0ul, max = 0, loops_min = ~0ul;

	spin_stop = false;
	for (int i = 0; i < N; i++) {
		th[i] = kthread_create_on_cpu(spinner, (void *)&loops[i], test_cpu(), "spin/%d", i);
		if (!th[i]) { /* run the ones created: they stop at once */
			spin_stop = true;
			while (i-- > 0) {
				wake_up_process(th[i]);
				kthread_join(th[i]);
			}
			KTEST_ALLOC_FAILED(t, "th[i]");
		}
	}
	for (int i = 0; i < N; i++)
		wake_up_process(th[i]);
	msleep(600);
	spin_stop = true;
	for (int i = 0; i < N; i++) {
		ticks[i] = th[i]->ticks;
		kthread_join(th[i]);
		min = MIN(min, ticks[i]);
		max = MAX(max, ticks[i]);
		loops_min = MIN(loops_min, loops[i]);
	}
	KTEST_EXPECT_GT(t, loops_min, 0);
	KTEST_EXPECT_GT(t, min, 0);
	KTEST_EXPECT_LE(t, max, min + 2 * TIMESLICE_TICKS);
}

static void test_msleep_duration(struct ktest *t)
{
	static const unsigned ms[] = { 10, 50, 120 };

	for (unsigned i = 0; i < ARRAY_SIZE(ms); i++) {
		unsigned long j0 = jiffies;
		u64 ns0 = arch_clock_ns();
		msleep(ms[i]);
		unsigned long dj = jiffies - j0;
		u64 dns = arch_clock_ns() - ns0;
		KTEST_EXPECT_GE(t, dj, msecs_to_jiffies(ms[i]));
		KTEST_EXPECT_LE(t, dj, msecs_to_jiffies(ms[i]) + 20); /* generous: TCG hosts stall */
		KTEST_EXPECT_GE(t, dns, (u64)ms[i] * 1000000 * 3 / 4); /* tick vs TSC calibration */
	}
}

/* The tick comes from the timer the CPU has: the local APIC's, or without
 * one (-cpu max,-apic) the PIT's IRQ0 through the 8259 (arch/x86/pit.c).
 * Either way the time goes on while this task sleeps, and with a local
 * APIC the PIT stays silent (one tick source, not two). */
static void test_tick_from_the_timer_the_cpu_has(struct ktest *t)
{
	unsigned long p0 = pit_tick_count(), j0 = jiffies;

	msleep(100);
	unsigned long dj = jiffies - j0, dp = pit_tick_count() - p0;
	KTEST_EXPECT_GE(t, dj, msecs_to_jiffies(100));
	if (lapic_present)
		KTEST_EXPECT_EQ(t, dp, 0);
	else
		KTEST_EXPECT_GE(t, dp, dj); /* every jiffy was an IRQ0 */
}

static DEFINE_SPINLOCK(order_lock);
static int wake_order[8], nr_woken;
static int sleep_then_log(void *arg)
{
	int ms = (int)(unsigned long)arg;

	msleep((unsigned)ms);
	unsigned long f = spin_lock_irqsave(&order_lock);
	wake_order[nr_woken++] = ms;
	spin_unlock_irqrestore(&order_lock, f);
	return 0;
}

/* Started in the opposite order, they wake shortest sleep first. */
static void test_msleep_wake_order(struct ktest *t)
{
	static const int ms[] = { 200, 120, 40 };
	struct task *th[3];

	nr_woken = 0;
	for (int i = 0; i < 3; i++) {
		th[i] = kthread_run(sleep_then_log, (void *)(unsigned long)ms[i], "sleep%d", ms[i]);
		if (!th[i]) {
			while (i-- > 0)
				kthread_join(th[i]);
			KTEST_ALLOC_FAILED(t, "th[i]");
		}
	}
	for (int i = 0; i < 3; i++)
		kthread_join(th[i]);
	KTEST_ASSERT_EQ(t, nr_woken, 3);
	KTEST_EXPECT_EQ(t, wake_order[0], 40);
	KTEST_EXPECT_EQ(t, wake_order[1], 120);
	KTEST_EXPECT_EQ(t, wake_order[2], 200);
}

static char yield_log[64];
static int yield_len, yielders_started;
static int yielder(void *arg)
{
	/* Both on the runqueue before either starts logging. */
	__atomic_fetch_add(&yielders_started, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&yielders_started, __ATOMIC_SEQ_CST) < 2)
		yield();
	for (int i = 0; i < 10; i++) {
		yield_log[__atomic_fetch_add(&yield_len, 1, __ATOMIC_RELAXED)] = *(char *)arg;
		yield();
	}
	return 0;
}

/* Two threads that yield after each step take turns on their CPU. */
static void test_yield_alternates(struct ktest *t)
{
	struct task *a = kthread_create_on_cpu(yielder, "A", test_cpu(), "yield-A");
	struct task *b = kthread_create_on_cpu(yielder, "B", test_cpu(), "yield-B");

	yield_len = yielders_started = 0;
	if (!a || !b) {
		yielders_started = 1; /* the one there need not wait for its partner */
		if (a) {
			wake_up_process(a);
			kthread_join(a);
		}
		if (b) {
			wake_up_process(b);
			kthread_join(b);
		}
		KTEST_ALLOC_FAILED(t, "a yielder thread");
	}
	wake_up_process(a);
	wake_up_process(b);
	kthread_join(a);
	kthread_join(b);
	KTEST_ASSERT_EQ(t, yield_len, 20);
	int runs = 0;
	for (int i = 2; i < 20; i++) /* never three in a row: a preempted step can make two */
		runs += yield_log[i] == yield_log[i - 1] && yield_log[i] == yield_log[i - 2];
	KTEST_EXPECT_EQ(t, runs, 0);
}

struct preempt_probe {
	volatile unsigned long *bg;
	unsigned long during, after;
	bool pending;
};

/* Busy with preemption off for 5 ticks (more than a timeslice) while a
 * runnable thread waits on the same CPU: it must not run until the enable. */
static int preempt_off(void *arg)
{
	struct preempt_probe *p = arg;

	preempt_disable();
	unsigned long before = *p->bg, j = jiffies;
	/* At least 5 ticks, and on until this CPU's tick asked for a switch
	 * (a busy host can delay this vCPU's ticks against CPU 0's jiffies):
	 * at most 100 ticks, after which `pending` is reported false. */
	while (jiffies - j < 5 || (!need_resched() && jiffies - j < 100))
		arch_cpu_relax();
	p->during = *p->bg - before;
	p->pending = need_resched();
	preempt_enable(); /* the switch happens here */
	p->after = *p->bg - before;
	return 0;
}

static void test_preempt_disable_blocks_preemption(struct ktest *t)
{
	volatile unsigned long bg = 0;
	struct preempt_probe p = { .bg = &bg };

	spin_stop = false;
	struct task *busy = kthread_create_on_cpu(spinner, (void *)&bg, test_cpu(), "bg-spin");
	struct task *off = kthread_create_on_cpu(preempt_off, &p, test_cpu(), "preempt-off");
	if (!busy || !off) {
		spin_stop = true; /* the spinner stops at once; preempt_off ends by itself */
		if (busy) {
			wake_up_process(busy);
			kthread_join(busy);
		}
		if (off) {
			wake_up_process(off);
			kthread_join(off);
		}
		KTEST_ALLOC_FAILED(t, "a thread");
	}
	wake_up_process(busy);
	wake_up_process(off);
	kthread_join(off);
	spin_stop = true;
	kthread_join(busy);
	KTEST_EXPECT_EQ(t, p.during, 0); /* not one loop of the other thread */
	KTEST_EXPECT_TRUE(t, p.pending); /* the tick wanted to switch */
	KTEST_EXPECT_GT(t, p.after, 0);  /* and did, at preempt_enable */
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

/* HighMem pages an ordinary allocation can still get: those above the
 * zone's min watermark (highmem=4K makes a zone that has none). */
static unsigned long highmem_spare(void)
{
	const struct zone *z = &zones[ZONE_HIGHMEM];
	unsigned long mark = z->watermark[WMARK_MIN] + z->lowmem_reserve[ZONE_HIGHMEM];

	return z->free_pages > mark + 2 ? z->free_pages - mark - 2 : 0;
}

static struct page *high_page(u32 seed)
{
	struct page *p = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 0);

	if (!p)
		return NULL;
	if (!PageHighMem(p)) {
		__free_pages(p, 0);
		return NULL;
	}
	u32 *va = kmap_atomic(p);
	for (u32 i = 0; i < 1024; i++)
		va[i] = seed ^ i;
	kunmap_atomic(va);
	return p;
}

struct km_arg {
	struct page *page;
	u32 seed;
	void *va;
	int bad;
	struct km_arg *wait_for; /* the other holder, to map before this one goes on */
};

/* Map once, then check the contents through that address across many
 * switches (yield to the other thread, sleep). */
static int kmap_local_holder(void *arg)
{
	struct km_arg *a = arg;
	u32 *va = kmap_local_page(a->page);

	__atomic_store_n(&a->va, va, __ATOMIC_RELEASE);
	/* A holds its mapping, runnable, until B has mapped: so B's switches
	 * find A's slot saved however late the test thread starts B (a busy
	 * host can stall its virtual CPU for longer than A's 12 rounds). */
	if (a->wait_for)
		while (!__atomic_load_n(&a->wait_for->va, __ATOMIC_ACQUIRE))
			yield();
	for (int r = 0; r < 12; r++) {
		for (u32 i = 0; i < 1024; i += 61)
			a->bad += va[i] != (a->seed ^ i);
		if (r % 3 == 2)
			msleep(10);
		else
			yield();
	}
	kunmap_local(va);
	return 0;
}

/* kmap-A while the test runs, for docs/walkthrough.md's gdb session
 * (volatile and global: the stores must stay although C never reads it). */
struct task *volatile kmap_task_a;

static void test_kmap_local_survives_switches(struct ktest *t)
{
	struct page *pa = high_page(0xaaaa0000), *pb = high_page(0xbbbb0000);
	struct km_arg b = { pb, 0xbbbb0000, NULL, 0, NULL }, a = { pa, 0xaaaa0000, NULL, 0, &b };

	if (!pa || !pb) {
		if (pa) __free_pages(pa, 0);
		if (pb) __free_pages(pb, 0);
		if (zone_is_empty(&zones[ZONE_HIGHMEM]))
			KTEST_SKIP(t, "no HighMem zone at this RAM size");
		if (!highmem_spare())
			KTEST_SKIP(t, "no HighMem page above the zone's min watermark (highmem= tiny)");
		KTEST_ALLOC_FAILED(t, "a HighMem page");
	}
	struct task *ta = kthread_create_on_cpu(kmap_local_holder, &a, test_cpu(), "kmap-A");
	struct task *tb = kthread_create_on_cpu(kmap_local_holder, &b, test_cpu(), "kmap-B");
	if (!ta || !tb) {
		if (ta) {
			wake_up_process(ta);
			kthread_join(ta);
		}
		if (tb) {
			wake_up_process(tb);
			kthread_join(tb);
		}
		__free_pages(pa, 0);
		__free_pages(pb, 0);
		KTEST_ALLOC_FAILED(t, "a kmap thread");
	}
	/* B starts once A holds its mapping, so B's switches always find A's
	 * slot saved (docs/walkthrough.md reads that moment with gdb). */
	kmap_task_a = ta;
	wake_up_process(ta);
	while (!__atomic_load_n(&a.va, __ATOMIC_ACQUIRE))
		yield();
	wake_up_process(tb);
	kthread_join(ta);
	kmap_task_a = NULL;
	kthread_join(tb);
	KTEST_EXPECT_EQ(t, a.bad, 0);
	KTEST_EXPECT_EQ(t, b.bad, 0);
	/* Each was alone on the CPU's slots when it mapped: the same slot, the
	 * same address, and still each saw its own page. */
	KTEST_EXPECT_EQ(t, (unsigned long)a.va, (unsigned long)b.va);
	KTEST_EXPECT_EQ(t, kmap_ctrl[test_cpu()].idx, 0);
	__free_pages(pa, 0);
	__free_pages(pb, 0);
}

static int kmap_leaker(void *arg)
{
	kmap_local_page(arg); /* and never kunmap_local */
	return 0;
}

static void test_exit_with_kmap_local_reported(struct ktest *t)
{
	struct page *p = high_page(0x1eaf0000);
	char want[48];

	if (!p) {
		if (zone_is_empty(&zones[ZONE_HIGHMEM]))
			KTEST_SKIP(t, "no HighMem zone at this RAM size");
		if (!highmem_spare())
			KTEST_SKIP(t, "no HighMem page above the zone's min watermark (highmem= tiny)");
		KTEST_ALLOC_FAILED(t, "a HighMem page");
	}
	unsigned long leaks = kmap_local_leaks;
	struct task *th = kthread_create_on_cpu(kmap_leaker, p, test_cpu(), "kmap-leaker");
	if (!th) {
		__free_pages(p, 0);
		KTEST_ALLOC_FAILED(t, "th");
	}
	wake_up_process(th);
	kthread_join(th);
	KTEST_EXPECT_EQ(t, kmap_local_leaks, leaks + 1);
	KTEST_EXPECT_TRUE(t, log_contains("task kmap-leaker (pid"));
	snprintf(want, sizeof(want), "-> pfn %#lx: unmapped now", page_to_pfn(p));
	KTEST_EXPECT_TRUE(t, log_contains(want));
	KTEST_EXPECT_EQ(t, kmap_ctrl[test_cpu()].idx, 0); /* the slot was cleared */
	__free_pages(p, 0);
}

static int stack_user(void *arg)
{
	volatile char buf[3000];

	for (unsigned i = 0; i < sizeof(buf); i += 64)
		buf[i] = (char)i;
	return (int)task_stack_used(current);
}

static volatile bool sleeper_go;
static DECLARE_WAIT_QUEUE_HEAD(sleeper_wq);
static int sleeper(void *arg)
{
	(void)arg;
	wait_event(sleeper_wq, sleeper_go);
	return 0;
}

static void test_stack_use_and_threads_report(struct ktest *t)
{
	struct task *u = kthread_run(stack_user, NULL, "stack-user");
	KTEST_ASSERT_ALLOC(t, u);
	int used = kthread_join(u);

	KTEST_EXPECT_GE(t, used, 3000);
	KTEST_EXPECT_LT(t, used, (int)THREAD_STACK_SIZE - 512);
	KTEST_EXPECT_GT(t, task_stack_used(current), 0);
	sleeper_go = false;
	struct task *s = kthread_run(sleeper, NULL, "sleepy-head");
	KTEST_ASSERT_ALLOC(t, s);
	while (wait_queue_length(&sleeper_wq) == 0)
		yield();
	char line[64];
	show_tasks();
	snprintf(line, sizeof(line), "%-16s %-9s", "sleepy-head", "sleeping");
	KTEST_EXPECT_TRUE(t, log_contains(line));
	snprintf(line, sizeof(line), "%-16s %-9s %3u", "init", "running", 0u);
	KTEST_EXPECT_TRUE(t, log_contains(line));
	sleeper_go = true;
	wake_up(&sleeper_wq);
	kthread_join(s);
}

/* pagefault_disable() is per task (uaccess.h): a task switched to while
 * another has page faults disabled does not inherit that, and gets it back
 * when it runs again. Also Linux's TASK_RUNNING: the task waiting for the
 * CPU is TASK_RUNNING too, with on_cpu telling it is not the one running. */
static struct task *volatile pf_a;
static volatile int pf_b_done, pf_b_saw_disabled, pf_b_saw_a_runnable, pf_b_on_cpu;
static volatile int pf_a_after;

static int pf_holder(void *arg)
{
	(void)arg;
	pagefault_disable();
	while (!pf_b_done)
		yield();
	pf_a_after = pagefault_disabled();
	pagefault_enable();
	return 0;
}

static int pf_other(void *arg)
{
	(void)arg;
	while (!pf_b_done && (!pf_a || !pf_a->pagefault_disabled)) /* saved: pf_a is switched out */
		yield();
	if (pf_b_done) /* the test gave up (no memory for pf-holder) */
		return 0;
	pf_b_saw_disabled = pagefault_disabled();
	pf_b_saw_a_runnable = pf_a->state == TASK_RUNNING && !pf_a->on_cpu;
	pf_b_on_cpu = current->on_cpu && current->state == TASK_RUNNING;
	pf_b_done = 1;
	return 0;
}

static void test_pagefault_disable_is_per_task(struct ktest *t)
{
	pf_a = NULL;
	pf_b_done = pf_b_saw_disabled = pf_b_saw_a_runnable = pf_b_on_cpu = pf_a_after = 0;
	struct task *a = kthread_create_on_cpu(pf_holder, NULL, test_cpu(), "pf-holder");
	struct task *b = kthread_create_on_cpu(pf_other, NULL, test_cpu(), "pf-other");

	if (!a || !b) {
		pf_b_done = 1;
		if (a) {
			wake_up_process(a);
			kthread_join(a);
		}
		if (b) {
			wake_up_process(b);
			kthread_join(b);
		}
		KTEST_ALLOC_FAILED(t, "a thread");
	}
	pf_a = a;
	wake_up_process(a);
	wake_up_process(b);
	kthread_join(b);
	kthread_join(a);
	KTEST_EXPECT_FALSE(t, pf_b_saw_disabled);  /* not inherited from pf-holder */
	KTEST_EXPECT_TRUE(t, pf_b_saw_a_runnable); /* TASK_RUNNING, but not on its CPU */
	KTEST_EXPECT_TRUE(t, pf_b_on_cpu);
	KTEST_EXPECT_TRUE(t, pf_a_after);          /* given back at the switch */
	KTEST_EXPECT_FALSE(t, pagefault_disabled());
}

static struct ktest_case sched_cases[] = {
	KTEST_CASE(test_join_returns_exit_code),
	KTEST_CASE(test_threads_spread_over_cpus),
	KTEST_CASE(test_fairness_round_robin),
	KTEST_CASE(test_msleep_duration),
	KTEST_CASE(test_msleep_wake_order),
	KTEST_CASE(test_tick_from_the_timer_the_cpu_has),
	KTEST_CASE(test_yield_alternates),
	KTEST_CASE(test_preempt_disable_blocks_preemption),
	KTEST_CASE(test_kmap_local_survives_switches),
	KTEST_CASE(test_exit_with_kmap_local_reported),
	KTEST_CASE(test_stack_use_and_threads_report),
	KTEST_CASE(test_pagefault_disable_is_per_task),
	{ 0 },
};
KTEST_SUITE(sched, sched_cases);
