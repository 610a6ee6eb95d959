/* spinlock_test.c - ticket locks under contention, the preempt count they
 * carry, and the debug reports: recursion, unlock by the wrong CPU or of a
 * free lock, and might_sleep in every kind of atomic context. Each misuse
 * is expected: the test checks the counter and the report's text. */
#include "ktest.h"
#include "sched_test_util.h"
#include "smp.h"

static DEFINE_SPINLOCK(test_lock);

static void test_lock_counts_preemption(struct ktest *t)
{
	unsigned base = preempt_count();

	spin_lock(&test_lock);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&test_lock));
	KTEST_EXPECT_EQ(t, preempt_count(), base + 1);
	KTEST_EXPECT_FALSE(t, spin_trylock(&test_lock)); /* held: no ticket taken */
	KTEST_EXPECT_EQ(t, preempt_count(), base + 1);
	spin_unlock(&test_lock);
	KTEST_EXPECT_EQ(t, preempt_count(), base);
	KTEST_EXPECT_TRUE(t, spin_trylock(&test_lock));
	spin_unlock(&test_lock);
	unsigned long f = spin_lock_irqsave(&test_lock);
	KTEST_EXPECT_TRUE(t, arch_irqs_disabled());
	spin_unlock_irqrestore(&test_lock, f);
	KTEST_EXPECT_FALSE(t, arch_irqs_disabled());
	KTEST_EXPECT_FALSE(t, spin_is_locked(&test_lock));
	KTEST_EXPECT_EQ(t, preempt_count(), base);
}

/* Few rounds: under TCG each handoff between CPUs may wait for the host to
 * run the next ticket holder's vCPU, so handoffs, not instructions, cost. */
enum { ROUNDS = 200 };
static unsigned long shared_counter;

/* Odd threads use the irqsave variant, even ones the plain lock (preemption
 * off, interrupts on: a tick while held must not switch). */
static int hammer(void *arg)
{
	bool irqsave = (unsigned long)arg & 1;

	for (int i = 0; i < ROUNDS; i++) {
		unsigned long f = irqsave ? spin_lock_irqsave(&test_lock) : 0;
		if (!irqsave)
			spin_lock(&test_lock);
		unsigned long v = shared_counter; /* a lost update shows as a short count */
		arch_cpu_relax();
		shared_counter = v + 1;
		if (irqsave)
			spin_unlock_irqrestore(&test_lock, f);
		else
			spin_unlock(&test_lock);
		if (i % 64 == 0)
			yield();
	}
	return 0;
}

/* Two threads per CPU increment one counter under the lock. */
static void contention_run(struct ktest *t)
{
	unsigned n = 2 * test_nr_cpus();
	struct task *th[2 * NR_CPUS];

	shared_counter = 0;
	for (unsigned i = 0; i < n; i++) {
		th[i] = kthread_create_on_cpu(hammer, (void *)(unsigned long)i, i % test_nr_cpus(),
					      "hammer/%u", i);
		if (!th[i]) { /* the ones created run their rounds and end */
			while (i-- > 0) {
				wake_up_process(th[i]);
				kthread_join(th[i]);
			}
			KTEST_ALLOC_FAILED(t, "th[i]");
		}
	}
	for (unsigned i = 0; i < n; i++)
		wake_up_process(th[i]);
	for (unsigned i = 0; i < n; i++)
		kthread_join(th[i]);
	KTEST_EXPECT_EQ(t, shared_counter, (unsigned long)n * ROUNDS);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

/* Both ways of taking the lock (spinlock.h): tickets, as on real hardware,
 * and test-and-set, as in a virtual machine, whichever this boot uses. The
 * switch is safe with locks held: both ways keep free as next == owner. */
static void test_contention_loses_nothing(struct ktest *t)
{
	bool boot_way = spin_lock_unfair;

	spin_lock_unfair = false;
	contention_run(t);
	spin_lock_unfair = true;
	contention_run(t);
	spin_lock_unfair = boot_way;
}

static void test_recursion_reported_and_refused(struct ktest *t)
{
	DEFINE_SPINLOCK(rec_lock);
	unsigned long reports = spinlock_reports;

	spin_lock(&rec_lock);
	spin_lock(&rec_lock); /* would spin forever: reported and refused */
	KTEST_EXPECT_EQ(t, spinlock_reports, reports + 1);
	KTEST_EXPECT_TRUE(t, log_contains("BUG: spinlock recursion (refused: it would spin forever) "
					  "on CPU#0: lock rec_lock"));
	KTEST_EXPECT_TRUE(t, log_contains("caller test_recursion_reported_and_refused+"));
	spin_unlock(&rec_lock); /* the refused one's: the lock stays held */
	KTEST_EXPECT_TRUE(t, spin_is_locked(&rec_lock));
	spin_unlock(&rec_lock);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&rec_lock));
	KTEST_EXPECT_EQ(t, spinlock_reports, reports + 1);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

static DEFINE_SPINLOCK(other_lock);
static volatile bool unlock_tried;
static void unlock_it(void *arg)
{
	spin_unlock(arg);
	unlock_tried = true; /* not a tail call: the report's caller is this function */
}

static void test_unlock_by_other_cpu_reported(struct ktest *t)
{
	if (test_nr_cpus() < 2)
		KTEST_SKIP(t, "one CPU: boot with -smp 2 or more");
	unsigned long reports = spinlock_reports;
	char want[96];

	spin_lock(&other_lock);
	smp_call_on_cpu(test_cpu(), unlock_it, &other_lock);
	KTEST_EXPECT_EQ(t, spinlock_reports, reports + 1);
	snprintf(want, sizeof(want), "unlocked by the wrong CPU (unlock ignored) on CPU#%u: "
		 "lock other_lock", test_cpu());
	KTEST_EXPECT_TRUE(t, log_contains(want));
	KTEST_EXPECT_TRUE(t, log_contains("owner_cpu 0, caller unlock_it+"));
	KTEST_EXPECT_TRUE(t, spin_is_locked(&other_lock)); /* still ours */
	spin_unlock(&other_lock);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&other_lock));
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

static void test_unlock_of_free_lock_reported(struct ktest *t)
{
	DEFINE_SPINLOCK(free_lock);
	unsigned long reports = spinlock_reports;

	spin_unlock(&free_lock);
	KTEST_EXPECT_EQ(t, spinlock_reports, reports + 1);
	KTEST_EXPECT_TRUE(t, log_contains("BUG: spinlock already unlocked (unlock ignored) on CPU#0: "
					  "lock free_lock"));
	KTEST_EXPECT_FALSE(t, spin_is_locked(&free_lock));
	KTEST_EXPECT_EQ(t, preempt_count(), 0); /* not decremented below 0 */
}

/* might_sleep() at a known line; the report names it. */
static int sleep_check_line;
static void check_might_sleep(void)
{
	sleep_check_line = __LINE__ + 1;
	might_sleep();
}

static bool reported_here(void)
{
	char want[96];

	snprintf(want, sizeof(want), "invalid context at tests/kernel/spinlock_test.c:%d",
		 sleep_check_line);
	return log_contains(want);
}

static void test_might_sleep_reports_atomic_contexts(struct ktest *t)
{
	unsigned long reports = might_sleep_reports;

	check_might_sleep(); /* a thread with nothing held: fine */
	KTEST_EXPECT_EQ(t, might_sleep_reports, reports);

	spin_lock(&test_lock);
	check_might_sleep();
	spin_unlock(&test_lock);
	KTEST_EXPECT_EQ(t, might_sleep_reports, reports + 1);
	KTEST_EXPECT_TRUE(t, reported_here());
	KTEST_EXPECT_TRUE(t, log_contains("in_atomic(): 1, irqs_disabled(): 0, in_interrupt(): 0, "
					  "pid: 1, name: init"));

	unsigned long f = arch_irq_save();
	check_might_sleep();
	arch_irq_restore(f);
	KTEST_EXPECT_EQ(t, might_sleep_reports, reports + 2);
	KTEST_EXPECT_TRUE(t, log_contains("in_atomic(): 0, irqs_disabled(): 1"));

	preempt_disable();
	check_might_sleep();
	preempt_enable();
	KTEST_EXPECT_EQ(t, might_sleep_reports, reports + 3);
	KTEST_EXPECT_TRUE(t, log_contains("preempt_count: 1, expected: 0"));
}

static void sleep_check_in_irq(void *arg)
{
	(void)arg;
	check_might_sleep();
}

static void test_might_sleep_in_interrupt(struct ktest *t)
{
	if (test_nr_cpus() < 2)
		KTEST_SKIP(t, "one CPU: boot with -smp 2 or more");
	unsigned long reports = might_sleep_reports;

	smp_call_on_cpu(test_cpu(), sleep_check_in_irq, NULL);
	KTEST_EXPECT_EQ(t, might_sleep_reports, reports + 1);
	KTEST_EXPECT_TRUE(t, log_contains("in_interrupt(): 1"));
}

/* Really sleeping with a spinlock held: reported, and since each task has
 * its own preempt count, the machine goes on (the lock is private). */
static void test_msleep_with_spinlock_held(struct ktest *t)
{
	DEFINE_SPINLOCK(held_lock);
	unsigned long reports = might_sleep_reports, j = jiffies;

	spin_lock(&held_lock);
	msleep(20);
	KTEST_EXPECT_EQ(t, preempt_count(), 1);
	spin_unlock(&held_lock);
	KTEST_EXPECT_EQ(t, might_sleep_reports, reports + 1);
	KTEST_EXPECT_GE(t, jiffies - j, 2);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

static struct ktest_case spinlock_cases[] = {
	KTEST_CASE(test_lock_counts_preemption),
	KTEST_CASE(test_contention_loses_nothing),
	KTEST_CASE(test_recursion_reported_and_refused),
	KTEST_CASE(test_unlock_by_other_cpu_reported),
	KTEST_CASE(test_unlock_of_free_lock_reported),
	KTEST_CASE(test_might_sleep_reports_atomic_contexts),
	KTEST_CASE(test_might_sleep_in_interrupt),
	KTEST_CASE(test_msleep_with_spinlock_held),
	{ 0 },
};
KTEST_SUITE(spinlock, spinlock_cases);
