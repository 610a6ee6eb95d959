/* spinlock.c - ticket locks. A CPU that finds the lock taken takes a
 * ticket with one atomic add and waits until `owner` reaches it, so waiters
 * are served in arrival order (in a virtual machine, test-and-set instead:
 * spinlock.h says why).
 * The uncontended lock and unlock are inline (spinlock.h); this file has
 * their slow paths.
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

/* spin_lock (spinlock.h) found this CPU holding l already: that would spin
 * forever, so the acquisition is refused and its matching unlock ignored. */
void spin_lock_recursion(spinlock_t *l, void *caller)
{
	report(l, "recursion (refused: it would spin forever)", caller);
	l->refused++;
}


bool spin_lock_unfair;

/* Unfair: read-only spinning until the lock looks free, then one
 * compare-exchange, so the line is written only with a chance to win it.
 * Fair: take the next ticket and wait until owner reaches it. */
void spin_lock_contended(spinlock_t *l)
{
	if (!spin_lock_unfair) {
		u16 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

		while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
			arch_cpu_relax();
		return;
	}
	for (;;) {
		u16 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
		u16 expect = owner;

		if (__atomic_load_n(&l->next, __ATOMIC_RELAXED) == owner &&
		    __atomic_compare_exchange_n(&l->next, &expect, (u16)(owner + 1), false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		arch_cpu_relax();
	}
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

void spin_release_slow(spinlock_t *l, void *caller)
{
	bool nested;

	if (unlock_ok(l, caller, &nested))
		spin_release_fast(l);
	else if (!nested)
		preempt_disable(); /* nothing was held: keep the caller's enable balanced */
}

void spin_unlock_slow(spinlock_t *l, void *caller)
{
	bool nested;

	if (unlock_ok(l, caller, &nested))
		spin_release_fast(l);
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
