/* kmap_types.h - the per-CPU and per-task state of kmap_atomic and
 * kmap_local_page (include/highmem.h), apart from their functions, so that
 * the scheduler (include/sched.h, which saves a task's mappings at a
 * switch) and uaccess.h need not pull in all of highmem.h. Linux had a
 * kmap_types.h too (its slot numbers); these are Highland's own. */
#ifndef HL_KMAP_TYPES_H
#define HL_KMAP_TYPES_H

#include "layout.h"
#include "pgtable_arch.h" /* pte_t */
#include "types.h"

/* This CPU's slot stack: depth, and the address each slot maps (to check
 * that unmaps come in reverse order). Also the running task's
 * pagefault_disable() depth (include/uaccess.h), kept here because
 * kmap_atomic, its main user, already has this structure at hand. */
struct kmap_ctrl {
	int idx;                  /* slots in use */
	unsigned slot_base;       /* this CPU's first fixmap kmap slot: cpu * KM_MAX_IDX */
	unsigned pagefault_disabled; /* the running task's; saved in its struct task at a switch */
	unsigned long maps;       /* highmem pages this CPU mapped through a slot */
	/* addr[i + 1]: what slot i maps, slots 0..idx-1 in use; addr[0] is a
	 * guard, KMAP_ADDR_GUARD, which no page address equals: so the unmap
	 * fast path compares addr[idx] with no separate "is the stack empty"
	 * test (as the slab's per-CPU arrays keep a NULL below their top).
	 * On x86 a slot's address never changes, so kmap_atomic_init fills
	 * the table once and the map fast path only reads it; the hosted
	 * machine maps a frame at its own address and writes it at each map. */
	void *addr[KM_MAX_IDX + 1];
	/* pte[i + 1]: slot i's fixmap PTE (x86; the hosted machine has none),
	 * found once by kmap_atomic_init, so mapping and unmapping write
	 * through it without computing where it is (Linux's kmap_pte - idx). */
	pte_t *pte[KM_MAX_IDX + 1];
};
#define KMAP_ADDR_GUARD ((void *)1) /* not page-aligned: never a mapping's address */

/* A switched-out task's local mappings: their frames, oldest first. */
struct kmap_saved {
	int nr;
	unsigned long pfn[KM_MAX_IDX];
};

#endif
