/* cpu.h - what CPUID says about the boot CPU. */
#ifndef HL_CPU_H
#define HL_CPU_H

#include "types.h"

struct cpuinfo {
	char vendor[13];
	char model_name[49];
	u32 family, model, stepping;
	u32 max_leaf, max_ext_leaf;
	bool pae, pse, pge, pse36, nx, tsc, apic;
	bool msr;          /* rdmsr/wrmsr exist (CPUID.1:EDX bit 5) */
	bool cx8;          /* cmpxchg8b (bit 8): boot.asm refuses a CPU without it */
	bool cmov;         /* bit 15: the kernel is compiled for i686, boot.asm checks it */
	bool sse2;         /* bit 26: lfence exists (it orders rdtsc in arch_cycles) */
	bool hypervisor;   /* CPUID.1:ECX bit 31: a virtual machine (spinlock.h's unfair mode) */
	u32 phys_bits;     /* physical address width (CPUID 0x80000008, else derived) */
	bool phys_bits_from_cpuid;
};

extern struct cpuinfo boot_cpu;
/* boot_cpu.sse2, where arch_cycles() can read it without this header. */
extern bool boot_cpu_lfence_rdtsc;

/* Fill boot_cpu from CPUID and print a summary line. */
void cpu_detect(void);

#endif
