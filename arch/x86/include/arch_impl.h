/* arch_impl.h - x86 implementation of include/arch.h (see there). */
#ifndef HL_ARCH_IMPL_H
#define HL_ARCH_IMPL_H

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

/* The TSC, serialized so earlier instructions are counted (benchmarks). */
static inline u64 arch_cycles(void)
{
	u32 lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

#define arch_return_address() __builtin_return_address(0)

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

#endif
