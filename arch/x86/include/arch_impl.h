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
 * Every slot lives in the PTE page of the top 2 MB (paging.c). kmap slot s
 * is fixmap index i = FIX_KMAP_BEGIN + s, at FIXADDR_TOP - (i + 1) pages,
 * i.e. PTE index 510 - i. */
extern u64 *fixmap_pte_page;
extern u32 kmap_prot_high; /* the NX bit (in the high word) when the CPU has it */

#define ARCH_FIXMAP_TOP 0xFFFFF000UL
#define ARCH_FIX_KMAP_BEGIN 10 /* = FIX_KMAP_BEGIN in layout.h (checked in paging.c) */

/* The slot is clear and was invalidated when last unmapped: no flush. The
 * high word goes first and the low word (with the present bit) last, so the
 * CPU never sees a half-written entry. */
static inline void *arch_kmap_atomic_map(unsigned slot, unsigned long pfn)
{
	unsigned i = ARCH_FIX_KMAP_BEGIN + slot;
	volatile u32 *pte = (volatile u32 *)&fixmap_pte_page[510 - i];

	pte[1] = (u32)(pfn >> 20) | kmap_prot_high;
	pte[0] = (u32)(pfn << 12) | 0x163; /* present, rw, accessed, dirty, global */
	return (void *)(ARCH_FIXMAP_TOP - ((unsigned long)i + 1) * 4096);
}

/* Clear the low word (present bit) first, then one local invlpg. */
static inline void arch_kmap_atomic_unmap(unsigned slot)
{
	unsigned i = ARCH_FIX_KMAP_BEGIN + slot;
	volatile u32 *pte = (volatile u32 *)&fixmap_pte_page[510 - i];
	unsigned long va = ARCH_FIXMAP_TOP - ((unsigned long)i + 1) * 4096;

	pte[0] = 0;
	pte[1] = 0;
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* The frame a mapped slot points at (read back when a task switch saves
 * the outgoing task's kmap_local mappings). */
static inline unsigned long arch_kmap_atomic_pfn(unsigned slot)
{
	unsigned i = ARCH_FIX_KMAP_BEGIN + slot;
	volatile u32 *pte = (volatile u32 *)&fixmap_pte_page[510 - i];

	return (pte[0] >> 12) | ((pte[1] & 0xfffffu) << 20); /* address bits 32..51 */
}

#endif
