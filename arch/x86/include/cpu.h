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
	u32 phys_bits;     /* physical address width (CPUID 0x80000008, else derived) */
	bool phys_bits_from_cpuid;
};

extern struct cpuinfo boot_cpu;

/* Fill boot_cpu from CPUID and print a summary line. */
void cpu_detect(void);

#endif
