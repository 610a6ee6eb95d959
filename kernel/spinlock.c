/* spinlock.c - ticket locks. A CPU takes a ticket with one atomic add and
 * waits until `owner` reaches it, so waiters are served in arrival order. */
#include "panic.h"
#include "spinlock.h"

void spin_lock_init(spinlock_t *l, const char *name)
{
	l->next = l->owner = 0;
	l->cpu = -1;
	l->name = name;
}

void spin_lock(spinlock_t *l)
{
	if (l->cpu == (int)arch_cpu_id())
		panic("spinlock recursion: %s already held by this CPU (caller %pS)",
		      l->name ? l->name : "?", arch_return_address());
	u16 me = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		arch_cpu_relax();
	l->cpu = (int)arch_cpu_id();
}

void spin_unlock(spinlock_t *l)
{
	if (l->cpu != (int)arch_cpu_id()) {
		panic("spin_unlock of %s by CPU %u, but it is held by %d (caller %pS)",
		      l->name ? l->name : "?", arch_cpu_id(), l->cpu, arch_return_address());
	}
	l->cpu = -1;
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) != __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

bool spin_trylock(spinlock_t *l)
{
	u16 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u16 expect = owner;

	/* Free means next == owner: take ticket `owner` only if nobody else has. */
	if (!__atomic_compare_exchange_n(&l->next, &expect, (u16)(owner + 1), false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	l->cpu = (int)arch_cpu_id();
	return true;
}
