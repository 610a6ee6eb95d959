/* pgtable_arch.h - the simulated machine's side of include/pgtable.h: the
 * same PAE format and entry operations as the kernel's (pgtable_pae.h),
 * over tables in simulated memory, with host atomics for cmpxchg8b and two
 * hooks a test can use:
 *   sim_pte_races   > 0: the next compare-and-exchanges first let
 *                   sim_pte_race_fn change the entry, as another CPU's MMU
 *                   setting accessed/dirty between read and write would
 *   pae_written     every PTE write passes the simulated TLB model
 *                   (sim_vmalloc.c), which catches mapping over a present
 *                   or stale (cleared, unflushed) kernel entry. */
#ifndef HL_PGTABLE_ARCH_H
#define HL_PGTABLE_ARCH_H

#include "types.h"

extern int sim_pte_races;
extern void (*sim_pte_race_fn)(u64 *entry);
extern unsigned long sim_pte_cmpxchg_fails; /* compare-and-exchanges that lost a race */

static inline bool pae_cmpxchg64(u64 *p, u64 *old, u64 new)
{
	if (sim_pte_races > 0 && sim_pte_race_fn) {
		sim_pte_races--;
		sim_pte_race_fn(p);
	}
	if (__atomic_compare_exchange_n(p, old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return true;
	sim_pte_cmpxchg_fails++;
	return false;
}

struct mm_struct;
void sim_pte_written(struct mm_struct *mm, unsigned long addr, void *ptep, u64 v);
#define pae_written(mm, addr, ptep, v) sim_pte_written(mm, addr, ptep, pte_val(v))

#include "../../arch/x86/include/pgtable_pae.h"

extern pgd_t swapper_pg_dir[PTRS_PER_PGD];

#endif
