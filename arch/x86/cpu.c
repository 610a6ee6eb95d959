/* cpu.c - reading CPUID once at boot. Everything later (NX in page tables,
 * global pages, how much RAM is addressable, whether lfence or rdmsr may be
 * executed) is derived from here, never assumed from the machine model: a
 * Pentium II has PAE but no SSE2, so no lfence, and an instruction the CPU
 * lacks is an invalid-opcode oops. boot.asm has already refused a CPU
 * without CPUID, PAE, CMPXCHG8B, a TSC or CMOV (the compiler's i686 code). */
#include "cpu.h"
#include "kstring.h"
#include "printk.h"
#include "spinlock.h"
#include "x86.h"

struct cpuinfo boot_cpu;
bool boot_cpu_lfence_rdtsc;

static void read_brand(struct cpuinfo *c)
{
	u32 *w = (u32 *)c->model_name;

	if (c->max_ext_leaf < 0x80000004) {
		strlcpy(c->model_name, "(no brand string)", sizeof(c->model_name));
		return;
	}
	for (u32 i = 0; i < 3; i++)
		cpuid(0x80000002 + i, 0, &w[i * 4], &w[i * 4 + 1], &w[i * 4 + 2], &w[i * 4 + 3]);
	c->model_name[48] = '\0';
}

/* Without CPUID 0x80000008, the width follows from the paging features:
 * PAE with PSE-36 means 36 bits; plain PAE on such CPUs drives only 32
 * address lines (QEMU's qemu32 model is one: a PTE above 4 GB faults with
 * the reserved bit set). */
static void derive_phys_bits(struct cpuinfo *c)
{
	u32 a, b, cx, d;

	if (c->max_ext_leaf >= 0x80000008) {
		cpuid(0x80000008, 0, &a, &b, &cx, &d);
		c->phys_bits = a & 0xff;
		c->phys_bits_from_cpuid = true;
	} else {
		c->phys_bits = c->pse36 ? 36 : 32;
	}
}

void cpu_detect(void)
{
	struct cpuinfo *c = &boot_cpu;
	u32 a, b, cx, d;

	cpuid(0, 0, &c->max_leaf, &b, &cx, &d);
	memcpy(c->vendor, &b, 4);
	memcpy(c->vendor + 4, &d, 4);
	memcpy(c->vendor + 8, &cx, 4);
	c->vendor[12] = '\0';
	cpuid(1, 0, &a, &b, &cx, &d);
	c->stepping = a & 0xf;
	c->model = (a >> 4) & 0xf;
	c->family = (a >> 8) & 0xf;
	if (c->family == 0xf)
		c->family += (a >> 20) & 0xff;
	if (c->family >= 6)
		c->model |= ((a >> 16) & 0xf) << 4;
	c->tsc = d & (1u << 4);
	c->pse = d & (1u << 3);
	c->pae = d & (1u << 6);
	c->apic = d & (1u << 9);
	c->pge = d & (1u << 13);
	c->pse36 = d & (1u << 17);
	c->msr = d & (1u << 5);
	c->cx8 = d & (1u << 8);
	c->cmov = d & (1u << 15);
	c->sse2 = d & (1u << 26);
	c->hypervisor = cx & (1u << 31);
	boot_cpu_lfence_rdtsc = c->sse2;
	cpuid(0x80000000, 0, &c->max_ext_leaf, &b, &cx, &d);
	if (c->max_ext_leaf < 0x80000000 || c->max_ext_leaf > 0x8000ffff)
		c->max_ext_leaf = 0;
	if (c->max_ext_leaf >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &cx, &d);
		c->nx = (d & (1u << 20)) && c->msr; /* NX is switched on in EFER, an MSR */
	}
	read_brand(c);
	derive_phys_bits(c);

	pr_info("CPU: %s %s (family 0x%x, model 0x%x, stepping 0x%x)\n", c->vendor, c->model_name,
		c->family, c->model, c->stepping);
	pr_info("CPU: features: pae%s%s%s%s%s cx8 cmov%s%s%s, physical address bits: %u (%s)\n",
		c->pse ? " pse" : "", c->pse36 ? " pse36" : "", c->pge ? " pge" : " (no pge)",
		c->nx ? " nx" : " (no nx)", c->tsc ? " tsc" : "", c->msr ? " msr" : " (no msr)",
		c->apic ? " apic" : " (no apic)", c->sse2 ? " sse2" : " (no sse2: rdtsc unfenced)",
		c->phys_bits,
		c->phys_bits_from_cpuid ? "CPUID 0x80000008" : "derived: no CPUID 0x80000008");
	if (c->hypervisor) {
		spin_lock_unfair = true;
		pr_info("CPU: running under a hypervisor: spinlocks are test-and-set (unfair), "
			"as Linux's virt_spin_lock\n");
	}
	if (!c->nx)
		pr_notice("NX (Execute Disable) protection: not supported by this CPU\n");
	else
		pr_info("NX (Execute Disable) protection: active\n");
}
