/* spinlock.c - ticket locks. A CPU takes a ticket with one atomic add and
 * waits until `owner` reaches it, so waiters are served in arrival order.
 * The debug checks (spinlock.h) report and carry on: a report is more use
 * than a hung machine, and the tests can check for it. */
#include "ksyms.h"
#include "printk.h"
#include "spinlock.h"

unsigned long spinlock_reports;
/* A report prints through printk, which takes a spinlock itself: a misuse
 * of that lock must not report recursively. */
static bool reporting[NR_CPUS];

static void report(spinlock_t *l, const char *what, void *caller)
{
	unsigned cpu = arch_cpu_id();

	__atomic_fetch_add(&spinlock_reports, 1, __ATOMIC_RELAXED);
	if (reporting[cpu])
		return;
	reporting[cpu] = true;
	printk(KERN_ERR "BUG: spinlock %s on CPU#%u: lock %s (%p), owner_cpu %d, caller %pS\n", what,
	       cpu, l->name ? l->name : "?", (void *)l, l->cpu, caller);
	dump_stack();
	reporting[cpu] = false;
}

void spin_lock_init(spinlock_t *l, const char *name)
{
	l->next = l->owner = 0;
	l->cpu = -1;
	l->refused = 0;
	l->name = name;
}

void spin_lock(spinlock_t *l)
{
	preempt_disable();
	unsigned cpu = arch_cpu_id();

	/* Only this CPU ever stores its own number here, so the racy read
	 * cannot mistake another CPU's hold for ours. */
	if (unlikely(l->cpu == (int)cpu)) {
		report(l, "recursion (refused: it would spin forever)", arch_return_address());
		l->refused++;
		return;
	}
	u16 me = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		arch_cpu_relax();
	l->cpu = (int)cpu;
}

/* Whether the unlock may go ahead; a refused recursive acquisition's unlock
 * is consumed here (its preempt_disable is undone by the caller). */
static bool unlock_ok(spinlock_t *l, void *caller, bool *nested)
{
	int cpu = (int)arch_cpu_id();

	*nested = false;
	if (unlikely(l->cpu != cpu)) {
		report(l, l->cpu < 0 ? "already unlocked (unlock ignored)" :
			  "unlocked by the wrong CPU (unlock ignored)", caller);
		return false;
	}
	if (unlikely(l->refused)) {
		l->refused--;
		*nested = true;
		return false;
	}
	return true;
}

static void release(spinlock_t *l)
{
	l->cpu = -1;
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

void spin_release(spinlock_t *l)
{
	bool nested;

	if (unlock_ok(l, arch_return_address(), &nested))
		release(l);
	else if (!nested)
		preempt_disable(); /* nothing was held: keep the caller's enable balanced */
}

void spin_unlock(spinlock_t *l)
{
	bool nested;

	if (unlock_ok(l, arch_return_address(), &nested))
		release(l);
	else if (!nested)
		return; /* a misuse: this CPU never disabled preemption for it */
	preempt_enable();
}

bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) != __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

bool spin_trylock(spinlock_t *l)
{
	u16 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u16 expect = owner;

	preempt_disable();
	/* Free means next == owner: take ticket `owner` only if nobody else has. */
	if (!__atomic_compare_exchange_n(&l->next, &expect, (u16)(owner + 1), false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		preempt_enable();
		return false;
	}
	l->cpu = (int)arch_cpu_id();
	return true;
}
