/* arch_impl.h - x86 implementation of include/arch.h (see there). */
#ifndef HL_ARCH_IMPL_H
#define HL_ARCH_IMPL_H

#include "percpu.h"
#include "types.h"

static inline unsigned long arch_irq_save(void)
{
	unsigned long f;

	__asm__ volatile("pushfl; popl %0; cli" : "=r"(f) : : "memory");
	return f;
}

static inline void arch_irq_restore(unsigned long f)
{
	if (f & (1u << 9))
		__asm__ volatile("sti" : : : "memory");
}

/* arch_irq_save, popping EFLAGS straight into memory, and its restore
 * testing IF there: on a fast path that is short of registers (the slab's
 * per-CPU arrays) the state then needs none, and the function no
 * callee-saved register to save and restore. */
static inline void arch_irq_save_to(unsigned long *f)
{
	__asm__ volatile("pushfl; popl %0; cli" : "=m"(*f) : : "memory");
}

static inline void arch_irq_restore_from(const unsigned long *f)
{
	__asm__ volatile("testl $0x200, %0; jz 1f; sti; 1:" : : "m"(*f) : "memory", "cc");
}

static inline bool arch_irqs_disabled(void)
{
	unsigned long f;

	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return !(f & (1u << 9));
}

static inline void arch_cpu_relax(void) { __asm__ volatile("pause" : : : "memory"); }

/* %fs:4 is this CPU's number (arch/x86/include/percpu.h). */
static inline unsigned arch_cpu_id(void)
{
	unsigned cpu;

	__asm__ volatile("movl %%fs:4, %0" : "=r"(cpu));
	return cpu;
}

u64 arch_clock_ns(void);

/* The TSC, ordered after earlier instructions by lfence so they are counted
 * (benchmarks). lfence is an SSE2 instruction: a Pentium II or III has none
 * (invalid opcode), so there rdtsc runs unfenced, as Linux's rdtsc_ordered()
 * does without a fence feature (boot_cpu_lfence_rdtsc is set by cpu.c; boot.asm
 * made sure rdtsc itself exists). */
extern bool boot_cpu_lfence_rdtsc;
static inline u64 arch_cycles(void)
{
	u32 lo, hi;

	if (boot_cpu_lfence_rdtsc)
		__asm__ volatile("lfence" : : : "memory");
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

#define arch_return_address() __builtin_return_address(0)

static inline void arch_irq_enable(void) { __asm__ volatile("sti" : : : "memory"); }

/* ---- preemption and the running task: %fs-relative, one instruction each
 * (the fields and the inverted PREEMPT_NEED_RESCHED bit: percpu.h). Each is
 * a compiler barrier, so memory accesses do not move across them. */
#define PCPU_OFF(field) offsetof(struct cpu_local, field)

static inline void arch_preempt_count_inc(void)
{
	__asm__ volatile("incl %%fs:%c0" : : "i"(PCPU_OFF(preempt_count)) : "memory", "cc");
}

static inline void arch_preempt_count_dec(void)
{
	__asm__ volatile("decl %%fs:%c0" : : "i"(PCPU_OFF(preempt_count)) : "memory", "cc");
}

/* This CPU's kmap_atomic slot stack (include/highmem.h): one %fs load. */
struct kmap_ctrl;
static inline struct kmap_ctrl *arch_kmap_ctrl(void)
{
	struct kmap_ctrl *c;

	__asm__ volatile("movl %%fs:%c1, %0" : "=r"(c) : "i"(PCPU_OFF(kmap)) : "memory");
	return c;
}

/* The slab's per-CPU lock (percpu.h, PREEMPT_SLAB_LOCK_BIT): one bts takes
 * it and says whether it was taken already (by the context an interrupt
 * handler interrupted: nothing else on this CPU can hold it). Holding it,
 * the preempt word is not 0, so the task is not switched away. */
static inline bool arch_slab_cpu_trylock(void)
{
	bool held;

	__asm__ volatile("btsl %2, %%fs:%c1"
			 : "=@ccc"(held)
			 : "i"(PCPU_OFF(preempt_count)), "i"(PREEMPT_SLAB_LOCK_BIT)
			 : "memory");
	return !held;
}

/* Release it with one sub: the word reaching 0 means the count is 0 with a
 * reschedule pending (an interrupt asked for one meanwhile): true. */
static inline bool arch_slab_cpu_unlock(void)
{
	bool zero;

	__asm__ volatile("subl %2, %%fs:%c1"
			 : "=@ccz"(zero)
			 : "i"(PCPU_OFF(preempt_count)), "i"(1u << PREEMPT_SLAB_LOCK_BIT)
			 : "memory");
	return zero;
}

/* Decrement; true when the word became 0: count 0 and a reschedule pending. */
static inline bool arch_preempt_count_dec_and_test(void)
{
	bool zero;

	__asm__ volatile("decl %%fs:%c1" : "=@ccz"(zero) : "i"(PCPU_OFF(preempt_count)) : "memory");
	return zero;
}

static inline unsigned arch_preempt_word(void)
{
	unsigned v;

	__asm__ volatile("movl %%fs:%c1, %0" : "=r"(v) : "i"(PCPU_OFF(preempt_count)) : "memory");
	return v;
}

static inline unsigned arch_preempt_count(void) { return arch_preempt_word() & ~PREEMPT_NEED_RESCHED; }
/* Count 0 and a reschedule pending: where interrupt return may preempt. */
static inline bool arch_preempt_pending(void) { return arch_preempt_word() == 0; }
static inline bool arch_need_resched(void) { return !(arch_preempt_word() & PREEMPT_NEED_RESCHED); }

static inline void arch_set_need_resched(void)
{
	__asm__ volatile("andl %1, %%fs:%c0" : : "i"(PCPU_OFF(preempt_count)), "i"(~PREEMPT_NEED_RESCHED)
			 : "memory", "cc");
}

static inline void arch_clear_need_resched(void)
{
	__asm__ volatile("orl %1, %%fs:%c0" : : "i"(PCPU_OFF(preempt_count)), "i"(PREEMPT_NEED_RESCHED)
			 : "memory", "cc");
}

/* Replace the count (a task switch restores the incoming task's); the
 * need-resched bit belongs to the CPU and is kept. Interrupts are off. */
static inline void arch_preempt_count_set(unsigned count)
{
	unsigned w = (arch_preempt_word() & PREEMPT_NEED_RESCHED) | count;

	__asm__ volatile("movl %0, %%fs:%c1" : : "r"(w), "i"(PCPU_OFF(preempt_count)) : "memory");
}

static inline bool arch_in_interrupt(void)
{
	int d;

	__asm__ volatile("movl %%fs:%c1, %0" : "=r"(d) : "i"(PCPU_OFF(irq_depth)));
	return d > 0;
}

static inline struct task *arch_current(void)
{
	struct task *t;

	__asm__ volatile("movl %%fs:%c1, %0" : "=r"(t) : "i"(PCPU_OFF(curr_task)));
	return t;
}

/* ---- kmap_atomic's fixmap slots --------------------------------------
 * Through the page-table interface: the slot's fixmap PTE (layout.h places
 * FIX_KMAP_BEGIN + slot; paging.c keeps the fixmap's one PTE page). */
#include "pgtable_arch.h"

extern pte_t *fixmap_pte_page; /* the PTE page of the top 2 MB: every fixmap slot */
/* kmap_prot (Linux's name): PAGE_KERNEL for the slots. Its low word is a
 * constant and its high word (NX, if the CPU has it) one value paging_init
 * computes, so the fast path loads one word, not a 64-bit protection. */
extern u32 kmap_prot_high;
#define kmap_prot __pgprot(((u64)kmap_prot_high << 32) | (u32)__PAGE_KERNEL)

/* Fixmap index i is at FIXADDR_TOP - (i + 1) pages: PTE 510 - i of the
 * last PTE page (paging.c checks this at compile time). */
#define FIX_PTE_INDEX(i) (PTRS_PER_PTE - 2 - (i))
static inline pte_t *kmap_slot_pte(unsigned slot) { return fixmap_pte_page + FIX_PTE_INDEX(FIX_KMAP_BEGIN + slot); }

/* The slot is clear and was invalidated when last unmapped: set_pte_pfn
 * (high half, then the present low half) and no flush. */
static inline void *arch_kmap_atomic_map(unsigned slot, unsigned long pfn)
{
	set_pte_pfn(kmap_slot_pte(slot), pfn, kmap_prot);
	return (void *)fix_to_virt(FIX_KMAP_BEGIN + slot);
}

/* Clear the PTE (present bit first), then one local invlpg. */
static inline void arch_kmap_atomic_unmap(unsigned slot)
{
	unsigned long va = fix_to_virt(FIX_KMAP_BEGIN + slot);

	pte_clear(NULL, va, kmap_slot_pte(slot));
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* ---- the kmap_atomic fast path (include/highmem.h): the slot's PTE and
 * address come from this CPU's kmap_ctrl tables (kmap_types.h), filled once
 * by arch_kmap_ctrl_init, so a map is the PTE value and two stores. */
#include "kmap_types.h"

/* Slot n - 1 of c's stack takes frame pfn; its address. The slot is clear
 * and was invalidated when last unmapped: set_pte_pfn writes the high half
 * (the frame's top bits, NX) first, then the low half with the present
 * bit, and no flush is needed. */
static inline void *arch_kmap_push(struct kmap_ctrl *c, int n, unsigned long pfn)
{
	set_pte_pfn(c->pte[n], pfn, kmap_prot);
	return c->addr[n];
}

/* Slot n - 1 of c's stack, mapped at va, is released: the PTE cleared
 * (present bit first) and one local invlpg (no other CPU uses the slot). */
static inline void arch_kmap_pop(struct kmap_ctrl *c, int n, void *va)
{
	pte_clear(NULL, (unsigned long)va, c->pte[n]);
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Fill c's tables for CPU cpu's slots (once the fixmap's PTE page exists). */
static inline void arch_kmap_ctrl_init(struct kmap_ctrl *c, unsigned cpu)
{
	for (unsigned i = 0; i < KM_MAX_IDX; i++) {
		c->pte[i + 1] = kmap_slot_pte(cpu * KM_MAX_IDX + i);
		c->addr[i + 1] = (void *)fix_to_virt(FIX_KMAP_BEGIN + cpu * KM_MAX_IDX + i);
	}
}

/* The frame a mapped slot points at (read back when a task switch saves
 * the outgoing task's kmap_local mappings). */
static inline unsigned long arch_kmap_atomic_pfn(unsigned slot) { return pte_pfn(ptep_get(kmap_slot_pte(slot))); }

#endif
